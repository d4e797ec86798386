"""Writes (and the few reads they need) of PUG readiness: the seven prerequisites and their evidence, the PPE
self-assessment, the PUG roadmap targets and the Pokja PUG (members, meetings, minutes).

Every write runs in one transaction and leaves an audit event; versioned records (prerequisites, PPE
assessments, roadmap targets) carry the version they were based on. Permission ("pug.manage") and pemda
scope are checked by the caller (`rencana.gender.access.require_manage` in the views); the objects passed in
already belong to the caller's pemda. Pure rules live in `gender.ppe` and `gender.roadmap`.
"""

import datetime
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rencana.core.audit import audit_record, snapshot
from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.locking import save_versioned
from rencana.core.numbers import AngkaError, parse_angka
from rencana.gender import ppe, roadmap
from rencana.gender.models import (
    IndexName,
    IndexValue,
    PokjaMeeting,
    PokjaMember,
    PokjaRole,
    PpeAssessment,
    Prerequisite,
    PrerequisiteCode,
    PrerequisiteEvidence,
    PrerequisiteStatus,
    RoadmapTarget,
)
from rencana.regions.models import Opd, Pemda

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# Magic bytes decide the type; the extension must agree with them (as e-Monev evidence).
EVIDENCE_TYPES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
}
CONTENT_TYPES: dict[str, str] = {
    suffix: content_type for content_type, (_magic, suffixes) in EVIDENCE_TYPES.items() for suffix in suffixes
}
PREREQUISITE_ORDER: tuple[str, ...] = tuple(PrerequisiteCode.values)
TARGET_PLACES = Decimal("0.0001")
MIN_YEAR = roadmap.MIN_YEAR
MAX_YEAR = roadmap.MAX_YEAR


def _error(kolom: str, pesan: str) -> ApplicationError:
    return ApplicationError(pesan, errors=[{"kolom": kolom, "pesan": pesan}])


def _text(value: str | None, kolom: str, label: str, max_length: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise _error(kolom, _("{label} wajib diisi.").format(label=label))
    if len(text) > max_length:
        raise _error(kolom, _("{label} paling panjang {n} karakter.").format(label=label, n=max_length))
    return text


# --- prerequisites ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessProgress:
    terpenuhi: int
    sebagian: int
    belum: int
    jumlah: int = len(PrerequisiteCode.values)

    @property
    def persen(self) -> int:
        return round(self.terpenuhi * 100 / self.jumlah) if self.jumlah else 0


@transaction.atomic
def prerequisites_for(pemda: Pemda) -> list[Prerequisite]:
    """The seven prerequisites of `pemda` in their fixed order, created (status "belum") on first use."""
    existing = set(Prerequisite.objects.filter(pemda=pemda).values_list("kode", flat=True))
    missing = [kode for kode in PREREQUISITE_ORDER if kode not in existing]
    if missing:
        Prerequisite.objects.bulk_create(
            [Prerequisite(pemda=pemda, kode=kode) for kode in missing], ignore_conflicts=True
        )
    rows = {p.kode: p for p in Prerequisite.objects.filter(pemda=pemda, kode__in=PREREQUISITE_ORDER)}
    return [rows[kode] for kode in PREREQUISITE_ORDER if kode in rows]


def readiness_progress(pemda: Pemda) -> ReadinessProgress:
    """How many of the seven prerequisites are met, partly met, not met (a missing row counts as "belum")."""
    counts: dict[str, int] = {}
    for status in Prerequisite.objects.filter(pemda=pemda, kode__in=PREREQUISITE_ORDER).values_list(
        "status", flat=True
    ):
        counts[status] = counts.get(status, 0) + 1
    terpenuhi = counts.get(PrerequisiteStatus.TERPENUHI, 0)
    sebagian = counts.get(PrerequisiteStatus.SEBAGIAN, 0)
    return ReadinessProgress(
        terpenuhi=terpenuhi, sebagian=sebagian, belum=len(PREREQUISITE_ORDER) - terpenuhi - sebagian
    )


@transaction.atomic
def prerequisite_update(
    *, actor: Any, prereq: Prerequisite, expected_version: int, status: str, catatan: str
) -> Prerequisite:
    if status not in PrerequisiteStatus.values:
        raise _error("status", _("Status harus belum, sebagian atau terpenuhi."))
    catatan = _text(catatan, "catatan", _("Keterangan"), 5000)
    before = snapshot(prereq, Prerequisite.AUDITED_FIELDS)
    prereq.status = status
    prereq.catatan = catatan
    prereq.diubah = timezone.now()
    save_versioned(prereq, expected_version=expected_version, fields=["status", "catatan", "diubah"])
    audit_record(
        actor=actor,
        action="prerequisite_update",
        instance=prereq,
        pemda_id=prereq.pemda_id,
        before=before,
        after=snapshot(prereq, Prerequisite.AUDITED_FIELDS),
    )
    return prereq


def prerequisite_set(*, actor: Any, pemda: Pemda, kode: str, status: str, catatan: str = "") -> Prerequisite:
    """Set one prerequisite by its code at its current version (for demos and commands, not for forms)."""
    if kode not in PrerequisiteCode.values:
        raise _error("kode", _("Prasyarat “{kode}” tidak dikenal.").format(kode=kode))
    with transaction.atomic():
        prereq = next(p for p in prerequisites_for(pemda) if p.kode == kode)
        return prerequisite_update(
            actor=actor, prereq=prereq, expected_version=prereq.version, status=status, catatan=catatan
        )


def _evidence_type(head: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    for content_type, (magic, suffixes) in EVIDENCE_TYPES.items():
        if head.startswith(magic):
            if suffix not in suffixes:
                raise _error(
                    "berkas",
                    _("Isi berkas adalah {jenis} tetapi namanya berakhiran “{akhiran}”.").format(
                        jenis=content_type, akhiran=suffix or "-"
                    ),
                )
            return suffix
    raise _error("berkas", _("Bukti harus berupa PDF, JPG atau PNG."))


def evidence_content_type(evidence: PrerequisiteEvidence) -> str:
    return CONTENT_TYPES.get(Path(evidence.berkas.name or "").suffix.lower(), "application/octet-stream")


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    prereq: Prerequisite,
    judul: str,
    upload: UploadedFile | None = None,
    tautan: str = "",
) -> PrerequisiteEvidence:
    """An evidence document: an uploaded PDF/JPG/PNG (magic bytes checked, at most 5 MB, stored under its
    SHA-256 name) and/or a text reference (decree number, link)."""
    judul = _text(judul, "judul", _("Judul dokumen"), 255, required=True)
    tautan = _text(tautan, "tautan", _("Rujukan"), 500)
    if upload is None and not tautan:
        raise _error("berkas", _("Unggah berkas bukti atau tulis rujukannya (nomor dokumen atau tautan)."))
    evidence = PrerequisiteEvidence(
        pemda_id=prereq.pemda_id,
        prasyarat=prereq,
        judul=judul,
        tautan=tautan,
        diunggah_oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    after: dict[str, Any] = {"judul": judul, "tautan": tautan}
    if upload is not None:
        name = Path(upload.name or "bukti").name[:200]
        size = upload.size or 0
        if size > MAX_EVIDENCE_BYTES:
            raise _error(
                "berkas",
                _("Berkas bukti paling besar 5 MB (berkas ini {mb} MB).").format(mb=f"{size / 1048576:.1f}"),
            )
        if size == 0:
            raise _error("berkas", _("Berkas kosong."))
        data = b"".join(upload.chunks())
        if len(data) > MAX_EVIDENCE_BYTES:
            raise _error("berkas", _("Berkas bukti paling besar 5 MB."))
        suffix = _evidence_type(data[:16], name)
        digest = hashlib.sha256(data).hexdigest()
        evidence.nama_berkas = name
        evidence.berkas.save(f"{digest}{suffix}", ContentFile(data), save=False)
        after.update(berkas=name, sha256=digest, ukuran=len(data))
    evidence.save()
    audit_record(
        actor=actor,
        action="prerequisite_evidence_add",
        instance=prereq,
        pemda_id=prereq.pemda_id,
        after=after,
    )
    return evidence


@transaction.atomic
def evidence_remove(*, actor: Any, evidence: PrerequisiteEvidence) -> None:
    audit_record(
        actor=actor,
        action="prerequisite_evidence_remove",
        instance=evidence.prasyarat,
        pemda_id=evidence.pemda_id,
        before={"judul": evidence.judul, "berkas": evidence.nama_berkas, "tautan": evidence.tautan},
    )
    # The stored file stays (the audit trail may need it); only the record goes.
    evidence.delete()


# --- PPE self-assessment ------------------------------------------------------------------------------------


def ppe_config(assessment: PpeAssessment) -> tuple[list[ppe.Criterion], list[ppe.Band]]:
    """The criteria and bands of an assessment; ApplicationError when the stored snapshot is unreadable."""
    try:
        return ppe.config_from_json(assessment.kriteria)
    except ValueError as exc:
        raise ApplicationError(str(exc), code="konfigurasi_ppe") from exc


@transaction.atomic
def ppe_start(*, actor: Any, pemda: Pemda, tahun: int) -> PpeAssessment:
    """A new assessment for `tahun`; its criteria and bands are a copy of the pemda's latest assessment's
    (so a manager's changes carry over) or, for the first one, of the documented default."""
    if isinstance(tahun, bool) or not isinstance(tahun, int) or not MIN_YEAR <= tahun <= MAX_YEAR:
        raise _error("tahun", _("Tahun harus antara {a} dan {b}.").format(a=MIN_YEAR, b=MAX_YEAR))
    if PpeAssessment.objects.filter(pemda=pemda, tahun=tahun).exists():
        raise ConflictError(
            _("Penilaian mandiri PPE tahun {tahun} sudah ada.").format(tahun=tahun), code="ppe_sudah_ada"
        )
    config = ppe.default_config_json()
    latest = PpeAssessment.objects.filter(pemda=pemda).order_by("-tahun").first()
    if latest is not None:
        try:
            criteria, bands = ppe.config_from_json(latest.kriteria)
        except ValueError:
            criteria, bands = list(ppe.DEFAULT_CRITERIA), list(ppe.DEFAULT_BANDS)
        if not ppe.validate_config(criteria, bands):
            config = ppe.config_to_json(criteria, bands)
    try:
        with transaction.atomic():
            assessment = PpeAssessment.objects.create(pemda=pemda, tahun=tahun, kriteria=config, jawaban={})
    except IntegrityError as exc:
        raise ConflictError(
            _("Penilaian mandiri PPE tahun {tahun} sudah ada.").format(tahun=tahun), code="ppe_sudah_ada"
        ) from exc
    audit_record(
        actor=actor,
        action="ppe_start",
        instance=assessment,
        pemda_id=pemda.pk,
        after={
            "tahun": tahun,
            "kriteria": len(config["kriteria"]),
            "dari": latest.tahun if latest else "bawaan",
        },
    )
    return assessment


@transaction.atomic
def ppe_answer(
    *, actor: Any, assessment: PpeAssessment, expected_version: int, answers: Mapping[str, Any]
) -> PpeAssessment:
    """Store the answers (criterion code -> whole number 0..maks, or None for "not answered")."""
    criteria, _bands = ppe_config(assessment)
    problems = ppe.answer_problems(criteria, answers)
    if problems:
        raise ApplicationError(
            _("Ada jawaban yang tidak sah."),
            errors=[{"kolom": f"k_{kode}", "pesan": pesan} for kode, pesan in problems.items()],
        )
    jawaban = {
        c.kode: int(answers[c.kode]) for c in criteria if c.kode in answers and answers[c.kode] is not None
    }
    before = {"jawaban": assessment.jawaban}
    assessment.jawaban = jawaban
    assessment.diubah = timezone.now()
    save_versioned(assessment, expected_version=expected_version, fields=["jawaban", "diubah"])
    audit_record(
        actor=actor,
        action="ppe_answer",
        instance=assessment,
        pemda_id=assessment.pemda_id,
        before=before,
        after={"jawaban": jawaban},
    )
    return assessment


@transaction.atomic
def ppe_criteria_set(
    *,
    actor: Any,
    assessment: PpeAssessment,
    expected_version: int,
    criteria: Sequence[ppe.Criterion],
    bands: Sequence[ppe.Band],
) -> PpeAssessment:
    """Replace the criteria and bands of one assessment (validated by `ppe.validate_config`). Answers to
    criteria that no longer exist, or above a lowered maximum, are dropped (and audited)."""
    problems = ppe.validate_config(criteria, bands)
    if problems:
        raise ApplicationError(
            _("Konfigurasi PPE tidak sah."), errors=[{"kolom": "", "pesan": p} for p in problems]
        )
    by_code = {c.kode: c for c in criteria}
    old = dict(assessment.jawaban) if isinstance(assessment.jawaban, dict) else {}
    kept = {
        kode: value
        for kode, value in old.items()
        if kode in by_code and isinstance(value, int) and 0 <= value <= by_code[kode].maks
    }
    before = {"kriteria": assessment.kriteria, "jawaban": old}
    assessment.kriteria = ppe.config_to_json(criteria, bands)
    assessment.jawaban = kept
    assessment.diubah = timezone.now()
    save_versioned(assessment, expected_version=expected_version, fields=["kriteria", "jawaban", "diubah"])
    audit_record(
        actor=actor,
        action="ppe_criteria_set",
        instance=assessment,
        pemda_id=assessment.pemda_id,
        before=before,
        after={"kriteria": assessment.kriteria, "jawaban": kept},
    )
    return assessment


def ppe_score(assessment: PpeAssessment) -> ppe.PpeScore:
    criteria, bands = ppe_config(assessment)
    try:
        return ppe.score(criteria, bands, assessment.jawaban if isinstance(assessment.jawaban, dict) else {})
    except ValueError as exc:
        raise ApplicationError(str(exc), code="konfigurasi_ppe") from exc


# --- roadmap -----------------------------------------------------------------------------------------------


def roadmap_targets(pemda: Pemda) -> dict[str, dict[int, Decimal]]:
    """Index -> year -> target of `pemda`."""
    result: dict[str, dict[int, Decimal]] = {}
    for indeks, tahun, target in RoadmapTarget.objects.filter(pemda=pemda).values_list(
        "indeks", "tahun", "target"
    ):
        result.setdefault(indeks, {})[tahun] = target
    return result


def roadmap_actuals(pemda: Pemda) -> dict[str, dict[int, Decimal]]:
    """Index -> year -> value of the pemda's own region (`IndexValue`, BPS or computed)."""
    result: dict[str, dict[int, Decimal]] = {}
    rows = IndexValue.objects.filter(wilayah_id=pemda.region_id, indeks__in=roadmap.INDICES).values_list(
        "indeks", "tahun", "nilai"
    )
    for indeks, tahun, nilai in rows:
        result.setdefault(indeks, {})[tahun] = nilai
    return result


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if MIN_YEAR <= value <= MAX_YEAR else None
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}", value.strip()):
        return _year(int(value.strip()))
    return None


@transaction.atomic
def roadmap_set(
    *, actor: Any, pemda: Pemda, indeks: str, targets: Mapping[Any, str | Decimal | None]
) -> dict[int, Decimal]:
    """Set the targets of one index for the given years, all or nothing.

    `targets` maps a year to a value in Indonesian or plain notation ("75,37", "0.450") or a Decimal; a blank
    value removes that year's target. Every bad year or value is reported (`errors`, `kolom` "target_<year>"),
    and nothing is written then. Returns the index's targets after the change."""
    if indeks not in IndexName.values:
        raise _error("indeks", _("Indeks harus IPM, IPG, IDG atau IKG."))
    errors: list[dict[str, Any]] = []
    parsed: dict[int, Decimal | None] = {}
    for key, raw in targets.items():
        tahun = _year(key)
        if tahun is None:
            errors.append(
                {
                    "kolom": f"target_{key}",
                    "tahun": str(key)[:10],
                    "pesan": _("Tahun “{tahun}” tidak sah: harus {a} sampai {b}.").format(
                        tahun=str(key)[:10], a=MIN_YEAR, b=MAX_YEAR
                    ),
                }
            )
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            parsed[tahun] = None
            continue
        try:
            value = raw if isinstance(raw, Decimal) else parse_angka(str(raw))
        except AngkaError as exc:
            errors.append({"kolom": f"target_{tahun}", "tahun": tahun, "pesan": f"{tahun}: {exc.message}"})
            continue
        problem = roadmap.target_problem(indeks, value)
        if problem:
            errors.append({"kolom": f"target_{tahun}", "tahun": tahun, "pesan": f"{tahun}: {problem}"})
            continue
        parsed[tahun] = value.quantize(TARGET_PLACES)  # as stored (4 decimals), so the audit reads the same
    if errors:
        raise ApplicationError(
            _("Target {indeks} tidak disimpan: {n} isian salah.").format(indeks=indeks, n=len(errors)),
            errors=errors,
        )
    existing = {
        t.tahun: t for t in RoadmapTarget.objects.select_for_update().filter(pemda=pemda, indeks=indeks)
    }
    before = {str(y): str(t.target) for y, t in sorted(existing.items())}
    for tahun, new in parsed.items():
        row = existing.get(tahun)
        if new is None:
            if row is not None:
                row.delete()
                del existing[tahun]
        elif row is None:
            existing[tahun] = RoadmapTarget.objects.create(
                pemda=pemda, indeks=indeks, tahun=tahun, target=new
            )
        elif row.target != new:
            row.target = new
            save_versioned(row, expected_version=row.version, fields=["target"])
    after = {str(y): str(t.target) for y, t in sorted(existing.items())}
    if before != after:
        audit_record(
            actor=actor,
            action="roadmap_set",
            object_type="gender.roadmaptarget",
            object_id=f"{pemda.pk}:{indeks}",
            object_label=_("Peta jalan PUG {indeks}").format(indeks=indeks),
            pemda_id=pemda.pk,
            before=before,
            after=after,
        )
    return {y: t.target for y, t in sorted(existing.items())}


# --- Pokja PUG ----------------------------------------------------------------------------------------------


def _member_state(member: PokjaMember) -> dict[str, Any]:
    return snapshot(member, ("nama", "jabatan", "opd", "peran", "aktif"))


def _check_opd(pemda: Pemda, opd: Opd | None) -> None:
    if opd is not None and opd.pemda_id != pemda.pk:
        raise _error("opd", _("OPD tidak ditemukan di pemda ini."))


def _check_peran(peran: str) -> None:
    if peran not in PokjaRole.values:
        raise _error("peran", _("Peran harus ketua, sekretaris, tim teknis atau anggota."))


@transaction.atomic
def pokja_member_add(
    *,
    actor: Any,
    pemda: Pemda,
    nama: str,
    jabatan: str = "",
    opd: Opd | None = None,
    peran: str = PokjaRole.ANGGOTA,
) -> PokjaMember:
    nama = _text(nama, "nama", _("Nama"), 150, required=True)
    jabatan = _text(jabatan, "jabatan", _("Jabatan"), 200)
    _check_opd(pemda, opd)
    _check_peran(peran)
    member = PokjaMember.objects.create(
        pemda=pemda, nama=nama, jabatan=jabatan, opd=opd, peran=peran, aktif=True
    )
    audit_record(
        actor=actor,
        action="pokja_member_add",
        instance=member,
        pemda_id=pemda.pk,
        after=_member_state(member),
    )
    return member


@transaction.atomic
def pokja_member_update(
    *,
    actor: Any,
    member: PokjaMember,
    nama: str,
    jabatan: str,
    opd: Opd | None,
    peran: str,
    aktif: bool = True,
) -> PokjaMember:
    nama = _text(nama, "nama", _("Nama"), 150, required=True)
    jabatan = _text(jabatan, "jabatan", _("Jabatan"), 200)
    _check_opd(member.pemda, opd)
    _check_peran(peran)
    before = _member_state(member)
    member.nama, member.jabatan, member.opd, member.peran, member.aktif = (
        nama,
        jabatan,
        opd,
        peran,
        bool(aktif),
    )
    member.save(update_fields=["nama", "jabatan", "opd", "peran", "aktif"])
    after = _member_state(member)
    if before != after:
        audit_record(
            actor=actor,
            action="pokja_member_update",
            instance=member,
            pemda_id=member.pemda_id,
            before=before,
            after=after,
        )
    return member


@transaction.atomic
def pokja_member_deactivate(*, actor: Any, member: PokjaMember) -> PokjaMember:
    """A member who left the Pokja stays in the minutes of past meetings; only `aktif` changes."""
    if not member.aktif:
        return member
    member.aktif = False
    member.save(update_fields=["aktif"])
    audit_record(
        actor=actor,
        action="pokja_member_deactivate",
        instance=member,
        pemda_id=member.pemda_id,
        before={"aktif": True},
        after={"aktif": False},
    )
    return member


def _meeting_fields(
    pemda: Pemda, tanggal: datetime.date, agenda: str, notulen: str, peserta: Iterable[PokjaMember]
) -> tuple[str, str, list[PokjaMember]]:
    if not isinstance(tanggal, datetime.date) or not MIN_YEAR <= tanggal.year <= MAX_YEAR:
        raise _error(
            "tanggal", _("Tanggal rapat harus antara tahun {a} dan {b}.").format(a=MIN_YEAR, b=MAX_YEAR)
        )
    agenda = _text(agenda, "agenda", _("Agenda"), 300, required=True)
    notulen = _text(notulen, "notulen", _("Notulen"), 50000)
    members = list(peserta)
    if any(m.pemda_id != pemda.pk for m in members):
        raise _error("peserta", _("Peserta harus anggota Pokja PUG pemda ini."))
    return agenda, notulen, members


def _meeting_state(meeting: PokjaMeeting) -> dict[str, Any]:
    return {
        "tanggal": meeting.tanggal,
        "agenda": meeting.agenda,
        "notulen": meeting.notulen,
        "peserta": sorted(meeting.peserta.values_list("pk", flat=True)),
    }


@transaction.atomic
def pokja_meeting_add(
    *,
    actor: Any,
    pemda: Pemda,
    tanggal: datetime.date,
    agenda: str,
    notulen: str = "",
    peserta: Iterable[PokjaMember] = (),
) -> PokjaMeeting:
    agenda, notulen, members = _meeting_fields(pemda, tanggal, agenda, notulen, peserta)
    meeting = PokjaMeeting.objects.create(pemda=pemda, tanggal=tanggal, agenda=agenda, notulen=notulen)
    meeting.peserta.set(members)
    audit_record(
        actor=actor,
        action="pokja_meeting_add",
        instance=meeting,
        pemda_id=pemda.pk,
        after=_meeting_state(meeting),
    )
    return meeting


@transaction.atomic
def pokja_meeting_update(
    *,
    actor: Any,
    meeting: PokjaMeeting,
    tanggal: datetime.date,
    agenda: str,
    notulen: str,
    peserta: Iterable[PokjaMember],
) -> PokjaMeeting:
    agenda, notulen, members = _meeting_fields(meeting.pemda, tanggal, agenda, notulen, peserta)
    before = _meeting_state(meeting)
    meeting.tanggal, meeting.agenda, meeting.notulen = tanggal, agenda, notulen
    meeting.save(update_fields=["tanggal", "agenda", "notulen"])
    meeting.peserta.set(members)
    after = _meeting_state(meeting)
    if before != after:
        audit_record(
            actor=actor,
            action="pokja_meeting_update",
            instance=meeting,
            pemda_id=meeting.pemda_id,
            before=before,
            after=after,
        )
    return meeting
