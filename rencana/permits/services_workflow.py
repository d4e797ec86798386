"""Writes of the permit workflow: creating an application, saving its answers, moving it between stages,
assigning a facilitator, scheduling the field verification. The rules are the permit type's data
(`rencana.permits.workflow`); this module enforces them on the server.

- Every write runs in one transaction on the locked row, carries the version the user saw
  (`expected_version`) and is refused with a 409 when that version is stale; nothing changes then.
- `transition` takes only a transition defined from the current stage (else 409 "transisi_tidak_sah"),
  and only for a role allowed to take it (else 403); a transition whose `syarat` holds "kelengkapan"
  needs a complete checklist (else 409 "belum_lengkap"), one with "jadwal_lapangan" a field verification
  date that has come (else 409); a required reason must be written (else 400).
- Each transition records a `StageEvent` (the history and the service-level clock) and an audit event.
"""

import datetime
import json
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rencana.core.audit import audit_record, snapshot
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from rencana.core.locking import STALE_MESSAGE, save_versioned
from rencana.core.roles import Role
from rencana.core.scope import Scope
from rencana.permits import access
from rencana.permits.models import (
    Application,
    ApplicationDocument,
    AreaMap,
    FarmerGroup,
    GroupMember,
    MicroBusiness,
    PermitType,
    StageEvent,
)
from rencana.permits.types import definition_of_type
from rencana.permits.workflow import (
    NIK_LENGTH,
    Checklist,
    ChecklistFacts,
    ChecklistItem,
    PermitDefinition,
    SlaState,
    Stage,
    Transition,
    allowed_transitions,
    build_checklist,
    sla,
)
from rencana.regions.models import Pemda

__all__ = [
    "Checklist",
    "ChecklistItem",
    "active_type",
    "application_create",
    "application_update",
    "assign_facilitator",
    "checklist",
    "definition_of",
    "facilitators",
    "schedule_field_verification",
    "sla_of",
    "stage_of",
    "transition",
    "transitions_for",
]

# Tracking codes: no 0/O, 1/I/L, so a code read aloud or copied by hand stays right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_REASON = 2000
MAX_DATA_CHARS = 100_000
MAX_FIELD_NAME = 60
MAX_LUAS = Decimal("9999999999.99")
FIELD_VISIT_HORIZON_DAYS = 366


# --------------------------------------------------------------------------------------------------
# Reading


def definition_of(application: Application) -> PermitDefinition:
    """The definition of the permit-type version the application started under."""
    return definition_of_type(application.jenis)


def active_type(kode: str) -> PermitType:
    """The newest active version of permit type `kode`."""
    row = PermitType.objects.filter(kode=kode, aktif=True).order_by("-versi").first()
    if row is None:
        raise NotFoundError(
            _("Jenis izin “{kode}” belum tersedia. Jalankan: rencana izin types ensure").format(kode=kode)
        )
    return row


def stage_of(application: Application, definition: PermitDefinition | None = None) -> Stage | None:
    definition = definition or definition_of(application)
    return definition.stage(application.tahap) if definition.has_stage(application.tahap) else None


def sla_of(
    application: Application,
    now: datetime.datetime | None = None,
    definition: PermitDefinition | None = None,
) -> SlaState | None:
    """The service-level clock of the application's current stage (calendar days, local time)."""
    stage = stage_of(application, definition)
    if stage is None:
        return None
    return sla(stage, application.tahap_sejak, now or timezone.now(), tz=timezone.get_current_timezone())


def transitions_for(application: Application, scope: Scope, user: Any) -> list[Transition]:
    """The transitions `user` may take now on `application` (buttons to show)."""
    definition = definition_of(application)
    return allowed_transitions(definition, application.tahap, access.acting_roles(scope, user, application))


def field_value(application: Application, kode: str) -> Any:
    """An answer by field code: the wizard's `data` first, then the applicant's record."""
    data = application.data if isinstance(application.data, dict) else {}
    value = data.get(kode)
    if value not in (None, ""):
        return value
    if kode == "luas_dinyatakan":
        if application.luas_dinyatakan is not None:
            return application.luas_dinyatakan
        return application.kelompok.luas_dinyatakan if application.kelompok is not None else None
    for owner in (application.usaha, application.kelompok):
        if owner is None:
            continue
        try:
            model_field = owner._meta.get_field(kode)
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None and getattr(model_field, "concrete", False):
            return getattr(owner, model_field.attname)  # type: ignore[union-attr]
    return value


def checklist(application: Application) -> Checklist:
    """Is the application complete for submission: required fields, documents, members with NIK, map."""
    definition = definition_of(application)
    members = 0
    if application.kelompok_id:
        niks = GroupMember.objects.filter(kelompok_id=application.kelompok_id).values_list("nik", flat=True)
        members = sum(1 for nik in niks if len(nik or "") == NIK_LENGTH and str(nik).isdigit())
    facts = ChecklistFacts(
        isian={kode: field_value(application, kode) for kode in definition.isian_wajib},
        dokumen=frozenset(
            ApplicationDocument.objects.filter(permohonan_id=application.pk).values_list(
                "kode_dokumen", flat=True
            )
        ),
        ada_peta=AreaMap.objects.filter(permohonan_id=application.pk).exists(),
        ada_pemohon=bool(
            application.kelompok_id if definition.jenis_pemohon == "kelompok" else application.usaha_id
        ),
        anggota_ber_nik=members,
    )
    return build_checklist(definition, application.tahap, facts)


def facilitators(pemda: Pemda) -> QuerySet[Any]:
    """Users holding the pendamping role in `pemda` (choices for assignment)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, role_assignments__pemda=pemda, role_assignments__role=Role.PENDAMPING.value
        )
        .distinct()
        .order_by("first_name", "username")
    )


# --------------------------------------------------------------------------------------------------
# Writing


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked(application: Application, expected_version: Any) -> Application:
    """The application's row, locked for this transaction; a stale version is a 409."""
    row = (
        # Lock only the application's row: PostgreSQL refuses FOR UPDATE on the nullable side of a join.
        Application.objects.select_for_update(of=("self",))
        .select_related("jenis", "kelompok", "usaha")
        .filter(pk=application.pk)
        .first()
    )
    if row is None:
        raise NotFoundError(_("Permohonan tidak ditemukan."))
    if (
        not isinstance(expected_version, int)
        or isinstance(expected_version, bool)
        or row.version != expected_version
    ):
        raise ConflictError(
            _(STALE_MESSAGE).format(
                expected=expected_version if isinstance(expected_version, int) else "?", current=row.version
            ),
            code="versi_usang",
        )
    return row


def _copy_back(source: Application, target: Application, fields: list[str]) -> None:
    for name in [*fields, "version"]:
        setattr(target, name, getattr(source, name))


def _save(row: Application, fields: list[str]) -> None:
    """Write `fields` with optimistic locking (the row is locked and its version already checked)."""
    row.diubah = timezone.now()
    save_versioned(row, expected_version=row.version, fields=[*fields, "diubah"])


def new_tracking_code(prefix: str) -> str:
    """A code like "HKM-7F3K-9Q2M" that is not used yet."""
    head = "".join(c for c in prefix.upper() if c.isalnum())[:6] or "IZN"
    for _attempt in range(20):
        body = "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))
        code = f"{head}-{body[:4]}-{body[4:]}"
        if not Application.objects.filter(kode_lacak=code).exists():
            return code
    raise ConflictError(_("Gagal membuat kode lacak unik; coba lagi."))  # pragma: no cover - 31^8 codes


@transaction.atomic
def application_create(
    *,
    actor: Any,
    pemda: Pemda,
    jenis_kode: str,
    kelompok: FarmerGroup | None = None,
    usaha: MicroBusiness | None = None,
    pemohon: Any = None,
) -> Application:
    """A draft application of the active version of `jenis_kode`, at its initial stage."""
    jenis = active_type(jenis_kode)
    definition = definition_of_type(jenis)
    for owner in (kelompok, usaha):
        if owner is not None and owner.pemda_id != pemda.pk:
            raise NotFoundError(_("Pemohon tidak ditemukan di pemda ini."))
    wanted = definition.jenis_pemohon
    if wanted == "kelompok" and (kelompok is None or usaha is not None):
        raise ApplicationError(
            _("Permohonan {nama} diajukan oleh kelompok tani: pilih kelompoknya.").format(
                nama=definition.nama
            ),
            errors=[{"kolom": "kelompok", "pesan": _("Pilih kelompok tani.")}],
        )
    if wanted == "usaha" and (usaha is None or kelompok is not None):
        raise ApplicationError(
            _("Permohonan {nama} diajukan oleh usaha mikro: pilih usahanya.").format(nama=definition.nama),
            errors=[{"kolom": "usaha", "pesan": _("Pilih usaha mikro.")}],
        )
    user = _actor(actor)
    facilitator = None
    if user is not None and user.role_assignments.filter(pemda=pemda, role=Role.PENDAMPING.value).exists():
        facilitator = user
    now = timezone.now()
    stage = definition.stage(definition.awal)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    pemda=pemda,
                    jenis=jenis,
                    kode_lacak=new_tracking_code(definition.kode),
                    kelompok=kelompok,
                    usaha=usaha,
                    tahap=stage.kode,
                    status=stage.status,
                    tahap_sejak=now,
                    luas_dinyatakan=kelompok.luas_dinyatakan if kelompok is not None else None,
                    pendamping=facilitator,
                    pemohon=pemohon,
                    dibuat_oleh=user,
                )
            break
        except IntegrityError:  # pragma: no cover - a tracking code taken between check and insert
            continue
    else:  # pragma: no cover
        raise ConflictError(_("Gagal membuat kode lacak unik; coba lagi."))
    StageEvent.objects.create(
        pemda=pemda, permohonan=application, dari="", ke=stage.kode, aksi="buat", oleh=user, pada=now
    )
    audit_record(
        actor=actor,
        action="create",
        instance=application,
        pemda_id=pemda.pk,
        after={"jenis": f"{jenis.kode} v{jenis.versi}", **snapshot(application, Application.AUDITED_FIELDS)},
    )
    return application


def _clean_data(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ApplicationError(_("Isian permohonan tidak sah."))
    clean: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str) or not key or len(key) > MAX_FIELD_NAME:
            raise ApplicationError(_("Nama isian tidak sah."))
        if isinstance(value, str):
            value = value.strip()
            if "\x00" in value:
                raise ApplicationError(
                    _("Isian berisi karakter yang tidak sah."),
                    errors=[{"kolom": key, "pesan": _("Karakter tidak sah.")}],
                )
        clean[key] = value
    return clean


@transaction.atomic
def application_update(
    *,
    actor: Any,
    application: Application,
    expected_version: int,
    data: Mapping[str, Any],
    luas_dinyatakan: Decimal | None = None,
) -> Application:
    """Merge wizard answers into the application (a None value removes the answer).

    Allowed only while the applicant may edit (drafting, or returned for correction); otherwise 409.
    """
    row = _locked(application, expected_version)
    definition = definition_of(row)
    stage = stage_of(row, definition)
    if stage is None or not stage.dapat_diubah:
        raise ConflictError(
            _(
                "Permohonan sudah diajukan dan sedang diproses; isiannya tidak bisa diubah "
                "kecuali dikembalikan untuk perbaikan."
            ),
            code="tidak_dapat_diubah",
        )
    changes = _clean_data(data)
    merged = dict(row.data) if isinstance(row.data, dict) else {}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    try:
        encoded = json.dumps(merged, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("Isian permohonan harus berupa teks, angka, daftar atau objek.")) from exc
    if len(encoded) > MAX_DATA_CHARS:
        raise ApplicationError(_("Isian permohonan terlalu panjang."))
    fields = ["data"]
    before = snapshot(row, ["data", "luas_dinyatakan"])
    if luas_dinyatakan is not None:
        try:
            luas = Decimal(luas_dinyatakan).quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError, ValueError) as exc:
            raise ApplicationError(
                _("Luas tidak sah."), errors=[{"kolom": "luas_dinyatakan", "pesan": _("Luas tidak sah.")}]
            ) from exc
        if not Decimal(0) < luas <= MAX_LUAS:
            raise ApplicationError(
                _("Luas harus lebih dari 0 ha."),
                errors=[{"kolom": "luas_dinyatakan", "pesan": _("Luas harus lebih dari 0 ha.")}],
            )
        row.luas_dinyatakan = luas
        fields.append("luas_dinyatakan")
    row.data = merged
    _save(row, fields)
    audit_record(
        actor=actor,
        action="update",
        instance=row,
        pemda_id=row.pemda_id,
        before=before,
        after=snapshot(row, ["data", "luas_dinyatakan"]),
    )
    _copy_back(row, application, fields)
    return row


def _clean_reason(alasan: Any) -> str:
    text = alasan.strip() if isinstance(alasan, str) else ""
    if len(text) > MAX_REASON:
        raise ApplicationError(
            _("Alasan paling panjang {n} karakter.").format(n="2.000"),
            errors=[{"kolom": "alasan", "pesan": _("Alasan terlalu panjang.")}],
        )
    return text


@transaction.atomic
def transition(
    *,
    actor: Any,
    application: Application,
    expected_version: int,
    aksi: str,
    alasan: str = "",
    scope: Scope,
) -> Application:
    """Take action `aksi` from the application's current stage (rules in the module docstring)."""
    if scope.pemda_id != application.pemda_id:
        raise NotFoundError(_("Permohonan tidak ditemukan di pemda ini."))
    row = _locked(application, expected_version)
    definition = definition_of(row)
    candidates = [t for t in definition.transitions_from(row.tahap) if t.aksi == aksi]
    if not candidates:
        stage = stage_of(row, definition)
        raise ConflictError(
            _("Tindakan “{aksi}” tidak berlaku pada tahap “{tahap}”. Tidak ada yang diubah.").format(
                aksi=str(aksi)[:40], tahap=stage.nama if stage else row.tahap
            ),
            code="transisi_tidak_sah",
        )
    move = candidates[0]
    roles = access.acting_roles(scope, actor, row)
    if not roles.intersection(move.pelaku):
        raise PermissionDeniedError(
            _("Anda tidak berwenang melakukan “{label}” pada tahap ini.").format(label=move.label)
        )
    reason = _clean_reason(alasan)
    if move.alasan_wajib and not reason:
        label = move.alasan_label or _("Alasan")
        raise ApplicationError(
            _("“{label}” wajib diisi untuk tindakan “{aksi}”.").format(label=label, aksi=move.label),
            errors=[{"kolom": "alasan", "pesan": _("{label} wajib diisi.").format(label=label)}],
        )
    if "kelengkapan" in move.syarat:
        result = checklist(row)
        if not result.complete:
            raise ConflictError(
                _("Belum bisa diajukan, masih kurang: {daftar}.").format(
                    daftar="; ".join(i.label for i in result.missing)
                ),
                code="belum_lengkap",
                errors=[
                    {"kolom": i.kode, "pesan": f"{i.label}: {i.keterangan}".strip(": ")}
                    for i in result.missing
                ],
            )
    if "jadwal_lapangan" in move.syarat:
        visit = row.jadwal_verifikasi_lapangan
        if visit is None or visit > timezone.localdate():
            raise ConflictError(
                _("Verifikasi lapangan belum dijadwalkan atau tanggalnya belum tiba."), code="jadwal_lapangan"
            )
    target = definition.stage(move.ke)
    before = snapshot(row, ["tahap", "status", "alasan_keputusan"])
    now = timezone.now()
    source = row.tahap
    row.tahap = target.kode
    row.status = target.status
    row.tahap_sejak = now
    fields = ["tahap", "status", "tahap_sejak"]
    if "kelengkapan" in move.syarat and row.diajukan_pada is None:
        row.diajukan_pada = now
        fields.append("diajukan_pada")
    if target.final:
        row.alasan_keputusan = reason
        fields.append("alasan_keputusan")
    _save(row, fields)
    user = _actor(actor)
    StageEvent.objects.create(
        pemda_id=row.pemda_id,
        permohonan=row,
        dari=source,
        ke=target.kode,
        aksi=move.aksi,
        alasan=reason,
        oleh=user,
        pada=now,
    )
    audit_record(
        actor=actor,
        action=f"izin_{move.aksi}"[:40],
        instance=row,
        pemda_id=row.pemda_id,
        before=before,
        after={**snapshot(row, ["tahap", "status", "alasan_keputusan"]), "alasan": reason},
    )
    _copy_back(row, application, fields)
    return row


def _require_open(row: Application) -> PermitDefinition:
    definition = definition_of(row)
    stage = stage_of(row, definition)
    if stage is None or stage.final:
        raise ConflictError(_("Permohonan ini sudah diputus; tidak bisa diubah lagi."), code="sudah_final")
    return definition


@transaction.atomic
def assign_facilitator(
    *, actor: Any, application: Application, expected_version: int, pendamping: Any, scope: Scope
) -> Application:
    """Assign (or, with None, remove) the facilitator of an application; officers only."""
    access.require_process(scope)
    if scope.pemda_id != application.pemda_id:
        raise NotFoundError(_("Permohonan tidak ditemukan di pemda ini."))
    row = _locked(application, expected_version)
    _require_open(row)
    if pendamping is not None and not facilitators(row.pemda).filter(pk=pendamping.pk).exists():
        raise ApplicationError(
            _("Pengguna itu bukan pendamping di pemda ini."),
            errors=[{"kolom": "pendamping", "pesan": _("Pilih pendamping dari daftar.")}],
        )
    before = snapshot(row, ["pendamping"])
    row.pendamping = pendamping
    _save(row, ["pendamping"])
    audit_record(
        actor=actor,
        action="assign_facilitator",
        instance=row,
        pemda_id=row.pemda_id,
        before=before,
        after=snapshot(row, ["pendamping"]),
    )
    _copy_back(row, application, ["pendamping"])
    return row


@transaction.atomic
def schedule_field_verification(
    *, actor: Any, application: Application, expected_version: int, tanggal: datetime.date, scope: Scope
) -> Application:
    """Set the field-verification date, at a stage whose definition has `verifikasi_lapangan`."""
    access.require_process(scope)
    if scope.pemda_id != application.pemda_id:
        raise NotFoundError(_("Permohonan tidak ditemukan di pemda ini."))
    row = _locked(application, expected_version)
    definition = _require_open(row)
    stage = definition.stage(row.tahap)
    if not stage.verifikasi_lapangan:
        raise ConflictError(
            _(
                "Verifikasi lapangan dijadwalkan pada tahap verifikasi teknis, bukan pada tahap “{tahap}”."
            ).format(tahap=stage.nama),
            code="transisi_tidak_sah",
        )
    if not isinstance(tanggal, datetime.date):
        raise ApplicationError(
            _("Tanggal tidak sah."), errors=[{"kolom": "tanggal", "pesan": _("Tanggal tidak sah.")}]
        )
    earliest = timezone.localtime(row.tahap_sejak).date()
    latest = timezone.localdate() + datetime.timedelta(days=FIELD_VISIT_HORIZON_DAYS)
    if not earliest <= tanggal <= latest:
        message = _("Tanggal verifikasi lapangan harus antara {dari} dan {sampai}.").format(
            dari=earliest.strftime("%d-%m-%Y"), sampai=latest.strftime("%d-%m-%Y")
        )
        raise ApplicationError(message, errors=[{"kolom": "tanggal", "pesan": message}])
    before = snapshot(row, ["jadwal_verifikasi_lapangan"])
    row.jadwal_verifikasi_lapangan = tanggal
    _save(row, ["jadwal_verifikasi_lapangan"])
    audit_record(
        actor=actor,
        action="schedule_field_verification",
        instance=row,
        pemda_id=row.pemda_id,
        before=before,
        after=snapshot(row, ["jadwal_verifikasi_lapangan"]),
    )
    _copy_back(row, application, ["jadwal_verifikasi_lapangan"])
    return row
