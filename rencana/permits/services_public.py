"""Public tracking of permit applications, and complaints about requests for money (issue 7, item 7).

- *Kode lacak* (tracking code): printed on every application ("HKM-7F3K-9Q2M"). A typed code is read
  case-insensitively with spaces, dashes and other separators ignored (`normalize_code`), so "hkm 7f3k 9q2m"
  finds the same application.
- *Tampilan pelacakan* (`TrackingView`): what anyone holding the code may see, without logging in: permit
  type, pemda, village (desa), stage, status, the dates of each stage (from `StageEvent`), days used against
  the days allowed in the current stage (calendar days, `workflow.sla`), the labels of what is still missing
  (`services_workflow.checklist`) and the free-of-charge notice of the permit type (`biaya`). It never holds
  personal data: no group, member, business or account name, no NIK, no phone, no officer, and no free text
  written by officers (reasons may name people). It is built from plain values, not model instances, so a
  template cannot reach personal data through a relation.
- *Pengaduan* (`Complaint`): anyone, anonymous allowed, reports that someone asked for money for a service
  that is free. The complaint goes to the pemda's Inspektorat (permission "complaint.view"), which records
  its follow-up (`complaint_update`). Basic protection against abuse: length limits, control characters
  removed, and at most `COMPLAINTS_PER_HOUR` complaints per browser session per hour (the session, not the
  IP address: a whole village may share one connection).
"""

import datetime
import hashlib
import re
import unicodedata
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rencana.core.audit import audit_record
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.permits import nik, services_workflow, workflow
from rencana.permits.models import Application, ApplicationStatus, Complaint, ComplaintStatus, StageEvent
from rencana.regions.models import Pemda

# Longest text accepted in the code box (a code is about 13 characters; the rest is room for spaces).
MAX_CODE_INPUT = 40
ISI_MIN = 10
ISI_MAX = 5000
NAMA_MAX = 150
KONTAK_MAX = 150
TINDAK_LANJUT_MAX = 5000
# Complaints one browser session may send per hour (settings.RENCANA_COMPLAINTS_PER_HOUR overrides).
COMPLAINTS_PER_HOUR = 5
RATE_WINDOW_SECONDS = 3600
SESSION_KEY = "permits_pengaduan_waktu"

DEFAULT_BIAYA = gettext_noop(
    "Layanan ini gratis. Tidak ada biaya apa pun untuk mengurus permohonan ini; jangan memberikan uang "
    "kepada siapa pun yang menjanjikan izin."
)
ACTOR_PUBLIC = "publik"

_FREE = re.compile(r"\bgratis\b|tidak dipungut biaya|tanpa biaya|bebas biaya|\bfree\b", re.IGNORECASE)
_NOT_FREE = re.compile(r"\b(tidak|bukan)\s+gratis\b", re.IGNORECASE)
_PHONE_LIKE = re.compile(r"\+?\d{6,15}")
_NOT_CODE = re.compile(r"[^A-Z0-9]")
# Invisible direction overrides that can disguise text (CVE-2021-42574 "Trojan Source").
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))


class TooManyComplaintsError(ApplicationError):
    status = 429
    code = "terlalu_sering"


# --- tracking --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageStep:
    """One visit of a stage in the application's history."""

    tahap: str
    aksi: str
    mulai: datetime.datetime
    selesai: datetime.datetime | None
    hari: int | None
    sekarang: bool


@dataclass(frozen=True)
class TrackingView:
    """What the public tracking page shows. Only non-personal fields: keep it that way."""

    kode_lacak: str
    jenis: str
    dasar_hukum: str
    pemda_kode: str
    pemda_nama: str
    desa: str
    tahap_kode: str
    tahap: str
    tahap_keterangan: str
    status: str
    status_label: str
    final: bool
    dibuat: datetime.datetime
    diajukan_pada: datetime.datetime | None
    tahap_sejak: datetime.datetime
    hari_terpakai: int | None
    hari_diizinkan: int | None
    terlambat: bool
    jadwal_verifikasi_lapangan: datetime.date | None
    riwayat: tuple[StageStep, ...]
    kurang: tuple[str, ...]
    checklist_tersedia: bool
    gratis: bool
    biaya: str


def normalize_code(raw: str) -> str:
    """The typed code in canonical letters: upper case, only A-Z and 0-9 ("" for junk or overlong input)."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    if len(text) > MAX_CODE_INPUT:
        return ""
    return _NOT_CODE.sub("", text.upper())


def _dashed(bare: str) -> str:
    """Canonical bare code -> "HKM-7F3K-9Q2M" (the contract's shape: a prefix and two groups of four)."""
    if len(bare) <= 8:
        return bare
    return f"{bare[:-8]}-{bare[-8:-4]}-{bare[-4:]}"


def application_by_code(raw: str) -> Application | None:
    """The application whose tracking code is `raw` (typed in any case, with or without separators)."""
    bare = normalize_code(raw)
    if len(bare) < 4:
        return None
    apps = Application.objects.filter(pemda__aktif=True).select_related("jenis", "pemda")
    found = apps.filter(
        kode_lacak__in={bare, _dashed(bare), str(raw).strip().upper()[:MAX_CODE_INPUT]}
    ).first()
    if found is not None:
        return found
    # Codes of another shape (imported or older data): compare without separators.
    stripped = Upper(Replace(Replace("kode_lacak", Value("-"), Value("")), Value(" "), Value("")))
    return apps.annotate(kode_polos=stripped).filter(kode_polos=bare).first()


def fee_notice(biaya: str) -> tuple[bool, str]:
    """(free?, the notice to show) from a permit type's `biaya` text.

    A type without fee text, or whose text says it is free ("gratis"), gets the plain free-of-charge notice;
    a longer text saying so is shown as written. Any other text is shown as the official fee.
    """
    text = " ".join(biaya.split())
    free = not text or (bool(_FREE.search(text)) and not _NOT_FREE.search(text))
    if free and len(text.split()) <= 3:
        return True, _(DEFAULT_BIAYA)
    return free, text


def _stages_of(definition: Any) -> dict[str, Any]:
    return {stage.kode: stage for stage in getattr(definition, "stages", ())}


def _labels_of(definition: Any) -> dict[tuple[str, str], str]:
    """Action labels by (from stage, action): the same action code may mean different steps."""
    return {(t.dari, t.aksi): t.label for t in getattr(definition, "transitions", ())}


def _days(stage: Any, since: datetime.datetime, until: datetime.datetime) -> int | None:
    if stage is None:
        return max(0, (timezone.localdate(until) - timezone.localdate(since)).days)
    return workflow.sla(stage, since, until, timezone.get_current_timezone()).hari_terpakai


def _history(
    events: Sequence[StageEvent],
    stages: dict[str, Any],
    labels: dict[tuple[str, str], str],
    now: datetime.datetime,
) -> tuple[StageStep, ...]:
    steps: list[StageStep] = []
    for i, event in enumerate(events):
        until = events[i + 1].pada if i + 1 < len(events) else None
        stage = stages.get(event.ke)
        first = not event.dari and i == 0
        aksi = _("Permohonan dibuat") if first else labels.get((event.dari, event.aksi)) or event.aksi
        steps.append(
            StageStep(
                tahap=getattr(stage, "nama", "") or event.ke,
                aksi=aksi,
                mulai=event.pada,
                selesai=until,
                hari=_days(stage, event.pada, until or now),
                sekarang=until is None,
            )
        )
    return tuple(steps)


def tracking_view(kode_lacak: str, *, now: datetime.datetime | None = None) -> TrackingView | None:
    """The public view of the application with this tracking code; None when there is none."""
    application = application_by_code(kode_lacak)
    if application is None:
        return None
    now = now or timezone.now()
    try:
        definition: Any = services_workflow.definition_of(application)
    except (ApplicationError, workflow.DefinitionError):
        definition = None
    stages = _stages_of(definition)
    stage = stages.get(application.tahap)
    final = bool(getattr(stage, "final", False)) or application.status in (
        ApplicationStatus.DISETUJUI,
        ApplicationStatus.DITOLAK,
    )
    hari_terpakai: int | None = None
    hari_diizinkan: int | None = None
    terlambat = False
    if stage is not None and not final:
        state = workflow.sla(stage, application.tahap_sejak, now, timezone.get_current_timezone())
        hari_terpakai, hari_diizinkan, terlambat = state.hari_terpakai, state.hari_diizinkan, state.terlambat
    kurang: tuple[str, ...] = ()
    checklist_tersedia = False
    if not final:
        try:
            result = services_workflow.checklist(application)
        except (ApplicationError, workflow.DefinitionError):
            pass
        else:
            checklist_tersedia = True
            kurang = tuple(str(item.label) for item in result.items if not item.ok)
    places = (
        Application.objects.filter(pk=application.pk)
        .values_list("kelompok__desa__nama", "usaha__lokasi__nama")
        .first()
    )
    desa = next((name for name in places or () if name), "")
    events = list(StageEvent.objects.filter(permohonan=application).order_by("pada", "id"))
    gratis, biaya = fee_notice(str(getattr(definition, "biaya", "") or ""))
    return TrackingView(
        kode_lacak=application.kode_lacak,
        jenis=str(getattr(definition, "nama", "") or application.jenis.nama),
        dasar_hukum=str(getattr(definition, "dasar_hukum", "") or application.jenis.dasar_hukum),
        pemda_kode=application.pemda.kode,
        pemda_nama=application.pemda.nama,
        desa=desa,
        tahap_kode=application.tahap,
        tahap=str(getattr(stage, "nama", "") or application.tahap),
        tahap_keterangan=str(getattr(stage, "keterangan", "") or ""),
        status=application.status,
        status_label=str(ApplicationStatus(application.status).label)
        if application.status in ApplicationStatus.values
        else application.status,
        final=final,
        dibuat=application.dibuat,
        diajukan_pada=application.diajukan_pada,
        tahap_sejak=application.tahap_sejak,
        hari_terpakai=hari_terpakai,
        hari_diizinkan=hari_diizinkan,
        terlambat=terlambat,
        jadwal_verifikasi_lapangan=application.jadwal_verifikasi_lapangan,
        riwayat=_history(events, stages, _labels_of(definition), now),
        kurang=kurang,
        checklist_tersedia=checklist_tersedia,
        gratis=gratis,
        biaya=biaya,
    )


# --- complaints ------------------------------------------------------------------------------------------


def clean_text(value: Any, *, multiline: bool) -> str:
    """`value` without control characters and direction overrides; line breaks kept only when `multiline`
    (at most one empty line in a row), otherwise all white space collapsed to single spaces."""
    text = unicodedata.normalize("NFC", str(value or "")).translate(_BIDI)
    for newline in ("\r\n", "\r", "\u2028", "\u2029", "\x85"):
        text = text.replace(newline, "\n")
    kept = []
    for ch in text:
        if ch in "\n\t":
            kept.append(ch if multiline else " ")
        elif unicodedata.category(ch) not in ("Cc", "Cs", "Co"):
            kept.append(ch)
    cleaned = "".join(kept)
    if not multiline:
        return " ".join(cleaned.split())
    lines = [line.rstrip() for line in cleaned.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def complaints_per_hour() -> int:
    return int(getattr(settings, "RENCANA_COMPLAINTS_PER_HOUR", COMPLAINTS_PER_HOUR))


def recent_stamps(stamps: Any, now: float, window: float = RATE_WINDOW_SECONDS) -> list[float]:
    """The timestamps (seconds) within `window` before `now`; junk entries dropped."""
    if not isinstance(stamps, list):
        return []
    return [
        float(t)
        for t in stamps
        if isinstance(t, int | float) and not isinstance(t, bool) and 0 <= now - float(t) < window
    ]


def complaint_quota_left(session: MutableMapping[str, Any], *, now: datetime.datetime | None = None) -> int:
    moment = (now or timezone.now()).timestamp()
    return max(0, complaints_per_hour() - len(recent_stamps(session.get(SESSION_KEY), moment)))


def _complaint_state(complaint: Complaint) -> dict[str, Any]:
    """The audited state: never the reporter's name or contact (the audit log has other readers)."""
    return {
        "status": complaint.status,
        "permohonan": complaint.permohonan_id,
        "kode_lacak": complaint.kode_lacak,
        "anonim": not (complaint.nama or complaint.kontak),
        "tindak_lanjut": complaint.tindak_lanjut,
    }


def complaint_create(
    *,
    pemda: Pemda,
    isi: str,
    kode_lacak: str = "",
    nama: str = "",
    kontak: str = "",
    session: MutableMapping[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> Complaint:
    """Record a public complaint for `pemda` (anonymous allowed), linked to the application when the code
    names one of that pemda. With `session`, refuses more than `complaints_per_hour()` per hour."""
    moment = now or timezone.now()
    text = clean_text(isi, multiline=True)
    name = clean_text(nama, multiline=False)
    contact = clean_text(kontak, multiline=False)
    typed = clean_text(kode_lacak, multiline=False)
    errors: list[dict[str, str]] = []
    if len(text) < ISI_MIN:
        errors.append(
            {
                "kolom": "isi",
                "pesan": _("Ceritakan kejadiannya (paling sedikit {n} huruf).").format(n=ISI_MIN),
            }
        )
    elif len(text) > ISI_MAX:
        errors.append(
            {"kolom": "isi", "pesan": _("Isi pengaduan paling banyak {n} huruf.").format(n=ISI_MAX)}
        )
    if len(name) > NAMA_MAX:
        errors.append({"kolom": "nama", "pesan": _("Nama paling banyak {n} huruf.").format(n=NAMA_MAX)})
    if len(contact) > KONTAK_MAX:
        errors.append({"kolom": "kontak", "pesan": _("Kontak paling banyak {n} huruf.").format(n=KONTAK_MAX)})
    if len(typed) > MAX_CODE_INPUT:
        errors.append({"kolom": "kode_lacak", "pesan": _("Kode lacak terlalu panjang.")})
    if errors:
        raise ApplicationError(_("Pengaduan belum dapat dikirim."), errors=errors)
    stamps: list[float] = []
    if session is not None:
        stamps = recent_stamps(session.get(SESSION_KEY), moment.timestamp())
        if len(stamps) >= complaints_per_hour():
            raise TooManyComplaintsError(
                _(
                    "Anda sudah mengirim {n} pengaduan dalam satu jam terakhir. Silakan coba lagi nanti, "
                    "atau hubungi Inspektorat secara langsung."
                ).format(n=len(stamps))
            )
    application = None
    stored_code = normalize_code(typed)[:20]
    if stored_code:
        application = application_by_code(typed)
        if application is not None and application.pemda_id != pemda.pk:
            application = None
        if application is not None:
            stored_code = application.kode_lacak
    with transaction.atomic():
        complaint = Complaint.objects.create(
            pemda=pemda,
            permohonan=application,
            kode_lacak=stored_code,
            isi=text,
            nama=name,
            kontak=contact,
        )
        audit_record(
            actor=ACTOR_PUBLIC,
            action="create",
            instance=complaint,
            pemda_id=pemda.pk,
            after=_complaint_state(complaint),
        )
    if session is not None:
        session[SESSION_KEY] = [*stamps, moment.timestamp()]
    return complaint


def complaint_fingerprint(complaint: Complaint) -> str:
    """A short digest of the editable state; the form carries it so a stale edit is refused.

    (`Complaint` has no version column; this stands in for one.)
    """
    raw = f"{complaint.status}\x1f{complaint.tindak_lanjut}".encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def complaint_update(
    *,
    actor: Any,
    complaint: Complaint,
    status: str,
    tindak_lanjut: str,
    expected_version: str | None = None,
) -> Complaint:
    """The Inspektorat records the follow-up of a complaint. Permission is checked by the caller.

    `expected_version` is the `complaint_fingerprint` the form was based on: a stale edit gets 409.
    """
    follow_up = clean_text(tindak_lanjut, multiline=True)
    errors: list[dict[str, str]] = []
    if status not in ComplaintStatus.values:
        errors.append({"kolom": "status", "pesan": _("Pilih status yang tersedia.")})
    if len(follow_up) > TINDAK_LANJUT_MAX:
        errors.append(
            {
                "kolom": "tindak_lanjut",
                "pesan": _("Tindak lanjut paling banyak {n} huruf.").format(n=TINDAK_LANJUT_MAX),
            }
        )
    if status != ComplaintStatus.BARU and not follow_up:
        errors.append(
            {"kolom": "tindak_lanjut", "pesan": _("Tuliskan tindak lanjut yang sudah atau akan dilakukan.")}
        )
    if errors:
        raise ApplicationError(_("Tindak lanjut belum dapat disimpan."), errors=errors)
    with transaction.atomic():
        current = Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
        if current is None:
            raise NotFoundError(_("Pengaduan tidak ditemukan."))
        if expected_version is not None and complaint_fingerprint(current) != expected_version:
            raise ConflictError(
                _(
                    "Pengaduan ini telah diubah oleh pengguna lain sejak Anda membukanya. Tidak ada yang "
                    "ditimpa: muat ulang halaman, periksa perubahan terbaru, lalu ulangi."
                ),
                code="versi_usang",
            )
        before = _complaint_state(current)
        if current.status == status and current.tindak_lanjut == follow_up:
            return current
        current.status = status
        current.tindak_lanjut = follow_up
        current.save(update_fields=["status", "tindak_lanjut"])
        audit_record(
            actor=actor,
            action="update",
            instance=current,
            pemda_id=current.pemda_id,
            before=before,
            after=_complaint_state(current),
        )
    complaint.status, complaint.tindak_lanjut = current.status, current.tindak_lanjut
    return current


# --- selectors for the Inspektorat ------------------------------------------------------------------------


def complaints_of(pemda: Pemda, *, status: str = "") -> QuerySet[Complaint]:
    rows = Complaint.objects.filter(pemda=pemda).select_related("permohonan").order_by("-dibuat", "-id")
    if status in ComplaintStatus.values:
        rows = rows.filter(status=status)
    return rows


def complaint_get(pemda: Pemda, complaint_id: int) -> Complaint:
    complaint = Complaint.objects.filter(pemda=pemda, pk=complaint_id).select_related("permohonan").first()
    if complaint is None:
        raise NotFoundError(_("Pengaduan tidak ditemukan."))
    return complaint


def mask_text(value: str) -> str:
    """Reporter data for exports: keep enough to recognise, hide the rest.

    Phone numbers as `nik.mask_telepon` ("081234567890" -> "0812*****890"), e-mail addresses keep the first
    letter and the domain ("warga@contoh.id" -> "w****@contoh.id"), anything else keeps the first letter of
    each word ("Budi Santoso" -> "B*** S***").
    """
    text = " ".join((value or "").split())
    if not text:
        return ""
    phone = nik.clean_telepon(text)
    if _PHONE_LIKE.fullmatch(phone):
        return nik.mask_telepon(phone)
    if "@" in text:
        local, _sep, domain = text.rpartition("@")
        return f"{local[:1]}****@{domain}"
    return " ".join(f"{word[:1]}***" for word in text.split())
