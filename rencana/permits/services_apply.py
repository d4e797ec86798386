"""Writes of the applicant side of permits: farmer groups and their members, micro businesses, and the
documents of an application (issue 7, item 2; field cases 4 and 5).

Terms
- *Kelompok tani* (`FarmerGroup`): a farmer group of a pemda, located in a village (desa/kelurahan/pekon)
  of that pemda by its Kemendagri code ("18.06.01.2016").
- *Anggota* (`GroupMember`): a member with a NIK (16 digits, checked by `nik.nik_problem`), sex and role
  (ketua, sekretaris, bendahara: at most one each; anggota). A NIK appears at most once in a group (the
  table's unique constraint). *Ganda* (duplicate): the same NIK in two or more groups of the same pemda is
  not refused (a farmer may have joined two groups, or a number was mistyped) but flagged wherever members
  are listed (`duplicate_members`), so the officer can ask.
- *Usaha mikro* (`MicroBusiness`): a micro business with its owner, KBLI code (5 digits), location
  (desa/kelurahan of the pemda), address, market and capital in rupiah (whole rupiah, >= 0).
- *Dokumen* (`ApplicationDocument`): a file for one of the documents the permit type names
  (`PermitDefinition.all_documents()`): PDF, JPG or PNG, recognised by its first bytes (the name's
  extension must agree), at most 10 MB, stored under its SHA-256 hash. Several files may be given for one
  document (e.g. photos of each page); each is a row.

Rules
- Every write runs in one transaction with an audit record; versioned records (`FarmerGroup`,
  `MicroBusiness`) are saved with optimistic locking (a stale version -> `ConflictError`, 409).
- NIK and phone numbers are written to the audit trail masked (`mask_nik`, `mask_telepon`).
- *Terkunci* (locked): while an application of a group or business is with the officers (a stage that
  is neither editable by the applicant, `Stage.dapat_diubah`, nor final), the group, its members and the
  business cannot be changed (`ConflictError`): what the officers verify must not move under them. They
  can be changed again once the application is returned for correction or decided.
- Documents are added and removed while the application's stage is editable by the applicant; a
  document of the current stage's own list (e.g. the field verification report an officer uploads) can
  also be added at that stage. Who may do it is the caller's check (views, `permits.access`).
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from rencana.core.audit import audit_record, snapshot
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.locking import save_versioned
from rencana.permits import kbli as kbli_codes
from rencana.permits import services_workflow
from rencana.permits.models import (
    Application,
    ApplicationDocument,
    FarmerGroup,
    GroupMember,
    MemberRole,
    MicroBusiness,
    Sex,
)
from rencana.permits.nik import (
    clean_nik,
    clean_telepon,
    mask_nik,
    mask_telepon,
    nik_problem,
    telepon_problem,
)
from rencana.regions.models import Pemda, Region, RegionLevel

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "BusinessInput",
    "GroupInput",
    "MemberInput",
    "business_create",
    "business_update",
    "document_add",
    "document_remove",
    "duplicate_members",
    "group_create",
    "group_delete",
    "group_update",
    "mask_nik",
    "mask_telepon",
    "member_add",
    "member_remove",
    "member_update",
]

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Magic bytes decide the type; the name's extension must agree with them.
DOCUMENT_TYPES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
}
VILLAGE_LEVELS = (RegionLevel.DESA, RegionLevel.KELURAHAN)
SINGLE_ROLES = (MemberRole.KETUA, MemberRole.SEKRETARIS, MemberRole.BENDAHARA)
MAX_LUAS = Decimal("9999999999.99")
MAX_MODAL = Decimal("9999999999999999")
MEMBER_AUDIT_FIELDS = ("nama", "nik", "jenis_kelamin", "peran", "telepon")


# --- helpers ---------------------------------------------------------------------------------------


def _text(value: Any, max_len: int, *, multiline: bool = False) -> str:
    """Trimmed text without control characters (NUL and friends), at most `max_len` characters."""
    cleaned = "".join(ch for ch in str(value or "") if ch >= " " or (multiline and ch == "\n"))
    if multiline:
        return "\n".join(line.rstrip() for line in cleaned.strip().splitlines())[:max_len]
    return " ".join(cleaned.split())[:max_len]


def _error(kolom: str, pesan: str) -> dict[str, str]:
    return {"kolom": kolom, "pesan": pesan}


def _raise(errors: list[dict[str, str]]) -> None:
    if errors:
        first = errors[0]["pesan"] if len(errors) == 1 else _("Periksa isian yang ditandai.")
        raise ApplicationError(first, errors=errors)


def village_in_pemda(pemda: Pemda, kode: str) -> Region | None:
    """The desa/kelurahan `kode` when it lies inside `pemda`'s region; None otherwise."""
    kode = str(kode or "").strip()
    if not kode.startswith(f"{pemda.kode}.") or len(kode) > 13:
        return None
    return Region.objects.filter(kode=kode, level__in=VILLAGE_LEVELS).first()


def pemda_villages(pemda: Pemda) -> QuerySet[Region]:
    """The desa/kelurahan of `pemda`, by code (for choices)."""
    return Region.objects.filter(kode__startswith=f"{pemda.kode}.", level__in=VILLAGE_LEVELS).order_by("kode")


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal("NaN")
    return number


def _locking_application(applications: Iterable[Application]) -> Application | None:
    """The first application among `applications` that is with the officers (see "Terkunci")."""
    for application in applications:
        try:
            stage = services_workflow.definition_of(application).stage(application.tahap)
        except (KeyError, ApplicationError):
            continue
        if not stage.dapat_diubah and not stage.final:
            return application
    return None


def _refuse_if_locked(applications: Iterable[Application], what: str) -> None:
    application = _locking_application(applications)
    if application is not None:
        raise ConflictError(
            _(
                "{apa} sedang diperiksa petugas (permohonan {kode}); datanya dikunci sampai permohonan "
                "dikembalikan untuk perbaikan atau diputuskan."
            ).format(apa=what, kode=application.kode_lacak),
            code="terkunci",
        )


# --- farmer groups ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupInput:
    nama: str
    desa_kode: str
    ketua: str = ""
    tanggal_bentuk: datetime.date | None = None
    luas_dinyatakan: Decimal | None = None
    kawasan: str = ""


def _clean_group(pemda: Pemda, data: GroupInput, *, exclude_id: int | None = None) -> dict[str, Any]:
    errors: list[dict[str, str]] = []
    nama = _text(data.nama, 200)
    if not nama:
        errors.append(_error("nama", _("Nama kelompok wajib diisi.")))
    elif (
        FarmerGroup.objects.filter(pemda=pemda, nama__iexact=nama)
        .exclude(pk=exclude_id or 0)
        .filter(desa_id=str(data.desa_kode or "").strip())
        .exists()
    ):
        errors.append(_error("nama", _("Sudah ada kelompok dengan nama ini di desa yang sama.")))
    desa = village_in_pemda(pemda, data.desa_kode)
    if desa is None:
        errors.append(
            _error("desa", _("Pilih desa/kelurahan/pekon di wilayah {pemda}.").format(pemda=pemda.nama))
        )
    luas = _decimal(data.luas_dinyatakan)
    if luas is not None and (not luas.is_finite() or luas < 0 or luas > MAX_LUAS):
        errors.append(_error("luas_dinyatakan", _("Luas ditulis dalam hektare, angka 0 atau lebih.")))
    today = datetime.date.today()
    if data.tanggal_bentuk is not None and not datetime.date(1900, 1, 1) <= data.tanggal_bentuk <= today:
        errors.append(_error("tanggal_bentuk", _("Tanggal dibentuk tidak boleh di masa depan.")))
    _raise(errors)
    return {
        "nama": nama,
        "desa": desa,
        "ketua": _text(data.ketua, 150),
        "tanggal_bentuk": data.tanggal_bentuk,
        "luas_dinyatakan": luas.quantize(Decimal("0.01")) if luas is not None else None,
        "kawasan": _text(data.kawasan, 200),
    }


@transaction.atomic
def group_create(*, actor: Any, pemda: Pemda, data: GroupInput) -> FarmerGroup:
    values = _clean_group(pemda, data)
    group = FarmerGroup.objects.create(pemda=pemda, **values)
    audit_record(
        actor=actor,
        action="create",
        instance=group,
        pemda_id=pemda.pk,
        after=snapshot(group, FarmerGroup.AUDITED_FIELDS),
    )
    return group


@transaction.atomic
def group_update(*, actor: Any, group: FarmerGroup, expected_version: int, data: GroupInput) -> FarmerGroup:
    _refuse_if_locked(group.permohonan.all(), _("Kelompok ini"))
    values = _clean_group(group.pemda, data, exclude_id=group.pk)
    before = snapshot(group, FarmerGroup.AUDITED_FIELDS)
    for name, value in values.items():
        setattr(group, name, value)
    after = snapshot(group, FarmerGroup.AUDITED_FIELDS)
    if before == after and group.version == expected_version:
        return group
    save_versioned(group, expected_version=expected_version, fields=FarmerGroup.AUDITED_FIELDS)
    audit_record(
        actor=actor, action="update", instance=group, pemda_id=group.pemda_id, before=before, after=after
    )
    return group


@transaction.atomic
def group_delete(*, actor: Any, group: FarmerGroup, expected_version: int) -> None:
    if group.permohonan.exists():
        raise ConflictError(
            _("Kelompok ini sudah punya permohonan; kelompok tidak dapat dihapus."), code="dipakai"
        )
    current = FarmerGroup.objects.filter(pk=group.pk).values_list("version", flat=True).first()
    if current != expected_version:
        raise ConflictError(
            _("Kelompok ini telah diubah pengguna lain; muat ulang halaman lalu ulangi."), code="versi_usang"
        )
    audit_record(
        actor=actor,
        action="delete",
        instance=group,
        pemda_id=group.pemda_id,
        before={**snapshot(group, FarmerGroup.AUDITED_FIELDS), "anggota": group.anggota.count()},
    )
    group.delete()


# --- members ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    nama: str
    nik: str
    jenis_kelamin: str
    peran: str = MemberRole.ANGGOTA
    telepon: str = ""


def _member_snapshot(member: GroupMember) -> dict[str, Any]:
    return {
        "kelompok": member.kelompok_id,
        "nama": member.nama,
        "nik": mask_nik(member.nik),
        "jenis_kelamin": member.jenis_kelamin,
        "peran": member.peran,
        "telepon": mask_telepon(member.telepon),
    }


def _clean_member(
    group: FarmerGroup, data: MemberInput, *, member: GroupMember | None = None
) -> dict[str, Any]:
    errors: list[dict[str, str]] = []
    nama = _text(data.nama, 150)
    if not nama:
        errors.append(_error("nama", _("Nama anggota wajib diisi (sesuai KTP).")))
    nik = clean_nik(data.nik)
    if not nik and member is not None:
        nik = member.nik  # left empty on an edit form: keep the stored number
    problem = nik_problem(nik)
    if problem:
        errors.append(_error("nik", problem))
    elif GroupMember.objects.filter(kelompok=group, nik=nik).exclude(pk=getattr(member, "pk", 0)).exists():
        errors.append(_error("nik", _("NIK ini sudah terdaftar sebagai anggota kelompok ini.")))
    if data.jenis_kelamin not in Sex.values:
        errors.append(_error("jenis_kelamin", _("Pilih jenis kelamin: perempuan atau laki-laki.")))
    peran = data.peran or MemberRole.ANGGOTA
    if peran not in MemberRole.values:
        errors.append(_error("peran", _("Pilih peran: ketua, sekretaris, bendahara atau anggota.")))
    elif peran in SINGLE_ROLES:
        holder = (
            GroupMember.objects.filter(kelompok=group, peran=peran)
            .exclude(pk=getattr(member, "pk", 0))
            .first()
        )
        if holder is not None:
            errors.append(
                _error(
                    "peran",
                    _("Kelompok ini sudah punya {peran}: {nama}. Ubah dulu peran {nama}.").format(
                        peran=MemberRole(peran).label.lower(), nama=holder.nama
                    ),
                )
            )
    telepon = clean_telepon(data.telepon)
    if problem_phone := telepon_problem(telepon):
        errors.append(_error("telepon", problem_phone))
    _raise(errors)
    return {"nama": nama, "nik": nik, "jenis_kelamin": data.jenis_kelamin, "peran": peran, "telepon": telepon}


def _save_member(member: GroupMember) -> None:
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("NIK ini baru saja didaftarkan di kelompok ini oleh pengguna lain; muat ulang halaman."),
            code="nik_ganda",
            errors=[_error("nik", _("NIK sudah terdaftar di kelompok ini."))],
        ) from exc


@transaction.atomic
def member_add(*, actor: Any, group: FarmerGroup, data: MemberInput) -> GroupMember:
    _refuse_if_locked(group.permohonan.all(), _("Kelompok ini"))
    values = _clean_member(group, data)
    member = GroupMember(pemda_id=group.pemda_id, kelompok=group, **values)
    _save_member(member)
    audit_record(
        actor=actor,
        action="member_add",
        instance=group,
        pemda_id=group.pemda_id,
        after=_member_snapshot(member),
    )
    return member


@transaction.atomic
def member_update(*, actor: Any, member: GroupMember, data: MemberInput) -> GroupMember:
    group = member.kelompok
    _refuse_if_locked(group.permohonan.all(), _("Kelompok ini"))
    values = _clean_member(group, data, member=member)
    before = _member_snapshot(member)
    unchanged = all(getattr(member, k) == v for k, v in values.items())
    if unchanged:
        return member
    for name, value in values.items():
        setattr(member, name, value)
    _save_member(member)
    audit_record(
        actor=actor,
        action="member_update",
        instance=group,
        pemda_id=group.pemda_id,
        before=before,
        after=_member_snapshot(member),
    )
    return member


@transaction.atomic
def member_remove(*, actor: Any, member: GroupMember) -> None:
    group = member.kelompok
    _refuse_if_locked(group.permohonan.all(), _("Kelompok ini"))
    audit_record(
        actor=actor,
        action="member_remove",
        instance=group,
        pemda_id=group.pemda_id,
        before=_member_snapshot(member),
    )
    member.delete()


@dataclass(frozen=True)
class DuplicateOf:
    """Another group of the pemda where the same NIK is a member."""

    kelompok_id: int
    kelompok_nama: str
    anggota_nama: str


def duplicate_members(pemda: Pemda, members: Iterable[GroupMember]) -> dict[int, list[DuplicateOf]]:
    """For each of `members` whose NIK is also a member of another group of `pemda`: those other groups."""
    members = list(members)
    niks = {m.nik for m in members if m.nik}
    if not niks:
        return {}
    others: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    rows = GroupMember.objects.filter(pemda=pemda, nik__in=niks).values_list(
        "pk", "nik", "kelompok_id", "kelompok__nama", "nama"
    )
    for pk, nik, kelompok_id, kelompok_nama, nama in rows:
        others[nik].append((pk, kelompok_id, kelompok_nama, nama))
    found: dict[int, list[DuplicateOf]] = {}
    for member in members:
        elsewhere = [
            DuplicateOf(kelompok_id=g, kelompok_nama=gn, anggota_nama=n)
            for pk, g, gn, n in others.get(member.nik, [])
            if pk != member.pk and g != member.kelompok_id
        ]
        if elsewhere:
            found[member.pk] = elsewhere
    return found


def duplicate_counts(pemda: Pemda, group_ids: Iterable[int]) -> dict[int, int]:
    """Per group id: how many of its members' NIKs are also members of another group of `pemda`."""
    group_ids = list(group_ids)
    if not group_ids:
        return {}
    shared = (
        GroupMember.objects.filter(pemda=pemda)
        .values("nik")
        .annotate(groups=Count("kelompok", distinct=True))
        .filter(groups__gt=1)
        .values("nik")
    )
    rows = (
        GroupMember.objects.filter(pemda=pemda, kelompok_id__in=group_ids, nik__in=shared)
        .values("kelompok_id")
        .annotate(n=Count("pk"))
    )
    return {row["kelompok_id"]: row["n"] for row in rows}


# --- micro businesses ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BusinessInput:
    nama_usaha: str
    pemilik: str
    nik: str = ""
    telepon: str = ""
    jenis_kelamin: str = ""
    kbli: str = ""
    lokasi_kode: str = ""
    alamat: str = ""
    pasar: str = ""
    modal: Decimal | None = None


def _clean_business(
    pemda: Pemda, data: BusinessInput, *, business: MicroBusiness | None = None
) -> dict[str, Any]:
    errors: list[dict[str, str]] = []
    nama_usaha = _text(data.nama_usaha, 200)
    if not nama_usaha:
        errors.append(
            _error("nama_usaha", _("Nama usaha wajib diisi (boleh nama dagang, mis. “Bakso Pak Eko”)."))
        )
    pemilik = _text(data.pemilik, 150)
    if not pemilik:
        errors.append(_error("pemilik", _("Nama pemilik wajib diisi (sesuai KTP).")))
    nik = clean_nik(data.nik)
    if not nik and business is not None:
        nik = business.nik
    if nik and (problem := nik_problem(nik)):
        errors.append(_error("nik", problem))
    telepon = clean_telepon(data.telepon)
    if not telepon and business is not None and data.telepon == "":
        telepon = business.telepon
    if problem_phone := telepon_problem(telepon):
        errors.append(_error("telepon", problem_phone))
    if data.jenis_kelamin and data.jenis_kelamin not in Sex.values:
        errors.append(_error("jenis_kelamin", _("Pilih jenis kelamin: perempuan atau laki-laki.")))
    kode_kbli = str(data.kbli or "").strip()
    if kode_kbli and not kbli_codes.KODE_RE.match(kode_kbli):
        errors.append(_error("kbli", _("Kode KBLI terdiri dari 5 angka, mis. 56104.")))
    lokasi = None
    if str(data.lokasi_kode or "").strip():
        lokasi = village_in_pemda(pemda, data.lokasi_kode)
        if lokasi is None:
            errors.append(
                _error("lokasi", _("Pilih kelurahan/desa di wilayah {pemda}.").format(pemda=pemda.nama))
            )
    modal = _decimal(data.modal)
    if modal is not None and (
        not modal.is_finite() or modal < 0 or modal > MAX_MODAL or modal != modal.to_integral_value()
    ):
        errors.append(
            _error("modal", _("Modal ditulis dalam rupiah penuh, angka 0 atau lebih, mis. 2.500.000."))
        )
    _raise(errors)
    return {
        "nama_usaha": nama_usaha,
        "pemilik": pemilik,
        "nik": nik,
        "telepon": telepon,
        "jenis_kelamin": data.jenis_kelamin or "",
        "kbli": kode_kbli,
        "lokasi": lokasi,
        "alamat": _text(data.alamat, 300),
        "pasar": _text(data.pasar, 200),
        "modal": modal,
    }


def _business_snapshot(business: MicroBusiness) -> dict[str, Any]:
    data = snapshot(business, MicroBusiness.AUDITED_FIELDS)
    data["nik"] = mask_nik(business.nik)
    data["telepon"] = mask_telepon(business.telepon)
    data["jenis_kelamin"] = business.jenis_kelamin
    return data


BUSINESS_FIELDS = (*MicroBusiness.AUDITED_FIELDS, "jenis_kelamin")


@transaction.atomic
def business_create(*, actor: Any, pemda: Pemda, data: BusinessInput) -> MicroBusiness:
    values = _clean_business(pemda, data)
    business = MicroBusiness.objects.create(pemda=pemda, **values)
    audit_record(
        actor=actor, action="create", instance=business, pemda_id=pemda.pk, after=_business_snapshot(business)
    )
    return business


@transaction.atomic
def business_update(
    *, actor: Any, business: MicroBusiness, expected_version: int, data: BusinessInput
) -> MicroBusiness:
    _refuse_if_locked(business.permohonan.all(), _("Usaha ini"))
    values = _clean_business(business.pemda, data, business=business)
    before = _business_snapshot(business)
    raw_before = {k: getattr(business, k) for k in values}
    for name, value in values.items():
        setattr(business, name, value)
    if raw_before == values and business.version == expected_version:
        return business
    save_versioned(business, expected_version=expected_version, fields=BUSINESS_FIELDS)
    audit_record(
        actor=actor,
        action="update",
        instance=business,
        pemda_id=business.pemda_id,
        before=before,
        after=_business_snapshot(business),
    )
    return business


# --- documents -------------------------------------------------------------------------------------


def _document_type(head: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    for _content_type, (magic, suffixes) in DOCUMENT_TYPES.items():
        if head.startswith(magic):
            if suffix not in suffixes:
                raise ApplicationError(
                    _(
                        "Isi berkas adalah {jenis} tetapi namanya berakhiran “{akhiran}”; "
                        "ganti nama berkasnya."
                    ).format(jenis=suffixes[0].lstrip(".").upper(), akhiran=suffix or "-"),
                    errors=[_error("berkas", _("Akhiran nama berkas tidak cocok dengan isinya."))],
                )
            return suffix
    raise ApplicationError(
        _("Berkas harus berupa PDF, JPG atau PNG (foto atau pindaian dokumen)."),
        errors=[_error("berkas", _("Jenis berkas tidak didukung."))],
    )


def document_requirement_names(application: Application) -> dict[str, str]:
    """Document code -> name, for every document the application's permit type names."""
    definition = services_workflow.definition_of(application)
    return {doc.kode: doc.nama for doc in definition.all_documents()}


def _check_document_stage(application: Application, kode_dokumen: str) -> None:
    definition = services_workflow.definition_of(application)
    names = {doc.kode for doc in definition.all_documents()}
    if kode_dokumen not in names:
        raise ApplicationError(
            _("Dokumen “{kode}” tidak dikenal untuk jenis izin ini.").format(kode=kode_dokumen[:40]),
            errors=[_error("kode_dokumen", _("Pilih dokumen dari daftar."))],
        )
    try:
        stage = definition.stage(application.tahap)
    except KeyError:
        stage = None
    own = stage is not None and any(doc.kode == kode_dokumen for doc in stage.dokumen)
    if stage is None or not (stage.dapat_diubah or own) or stage.final:
        raise ConflictError(
            _(
                "Dokumen tidak dapat diubah pada tahap ini: permohonan sedang diperiksa atau "
                "sudah diputuskan."
            ),
            code="terkunci",
        )


@transaction.atomic
def document_add(
    *, actor: Any, application: Application, kode_dokumen: str, upload: UploadedFile
) -> ApplicationDocument:
    """Attach `upload` as (one file of) the document `kode_dokumen` of `application` (module docstring)."""
    kode_dokumen = str(kode_dokumen or "").strip()
    _check_document_stage(application, kode_dokumen)
    name = Path(upload.name or "dokumen").name[:200] or "dokumen"
    size = upload.size or 0
    if size > MAX_DOCUMENT_BYTES:
        raise ApplicationError(
            _("Berkas paling besar 10 MB (berkas ini {mb} MB). Foto ulang dengan ukuran lebih kecil.").format(
                mb=f"{size / 1048576:.1f}".replace(".", ",")
            ),
            errors=[_error("berkas", _("Berkas terlalu besar."))],
        )
    if size == 0:
        raise ApplicationError(_("Berkas kosong."), errors=[_error("berkas", _("Berkas kosong."))])
    data = b"".join(upload.chunks())
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ApplicationError(
            _("Berkas paling besar 10 MB."), errors=[_error("berkas", _("Berkas terlalu besar."))]
        )
    suffix = _document_type(data[:16], name)
    digest = hashlib.sha256(data).hexdigest()
    document = ApplicationDocument(
        pemda_id=application.pemda_id,
        permohonan=application,
        kode_dokumen=kode_dokumen,
        nama_berkas=name,
        sha256=digest,
        ukuran=len(data),
        diunggah_oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.berkas.save(f"{digest}{suffix}", ContentFile(data), save=False)
    document.save()
    audit_record(
        actor=actor,
        action="document_add",
        instance=application,
        pemda_id=application.pemda_id,
        after={"dokumen": kode_dokumen, "berkas": name, "sha256": digest, "ukuran": len(data)},
    )
    return document


@transaction.atomic
def document_remove(*, actor: Any, document: ApplicationDocument) -> None:
    application = document.permohonan
    _check_document_stage(application, document.kode_dokumen)
    audit_record(
        actor=actor,
        action="document_remove",
        instance=application,
        pemda_id=application.pemda_id,
        before={"dokumen": document.kode_dokumen, "berkas": document.nama_berkas, "sha256": document.sha256},
    )
    # The stored file stays: another row may point at the same content (same hash).
    document.delete()


def document_of(application: Application, document_id: Any) -> ApplicationDocument:
    """The document `document_id` of `application` (else 404)."""
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        pk = 0
    document = ApplicationDocument.objects.filter(permohonan=application, pk=pk).first() if pk > 0 else None
    if document is None:
        raise NotFoundError(_("Dokumen tidak ditemukan."))
    return document


def groups_with_member_counts(queryset: QuerySet[FarmerGroup]) -> QuerySet[FarmerGroup]:
    """`queryset` annotated with `jumlah_anggota`, `jumlah_perempuan`."""
    return queryset.annotate(
        jumlah_anggota=Count("anggota", distinct=True),
        jumlah_perempuan=Count("anggota", filter=Q(anggota__jenis_kelamin=Sex.P), distinct=True),
    )
