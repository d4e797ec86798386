"""Writes of e-Monev: realization entries and their workflow, evidence, deadlines, decisions.

The workflow is the table `TRANSITIONS` (status, action) -> status; anything else is refused with a
409. Edits carry the version they were based on. Verified entries never change: `realization_revise`
opens a new revision. Every write is audited. Permission and OPD scope are checked by the caller
(`rencana.monitoring.access`).
"""

import datetime
import hashlib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rencana.core.audit import audit_record, snapshot
from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.locking import save_versioned
from rencana.monitoring.models import (
    Decision,
    Evidence,
    ProgramDecision,
    QuarterDeadline,
    Realization,
    RealizationValue,
    Status,
)
from rencana.planning.models import Indicator, NodeBudget, PlanNode
from rencana.regions.models import Pemda

TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, "submit"): Status.SUBMITTED,
    (Status.RETURNED, "submit"): Status.SUBMITTED,
    (Status.SUBMITTED, "verify"): Status.VERIFIED,
    (Status.SUBMITTED, "return"): Status.RETURNED,
}
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})

REFUSALS = {
    Status.SUBMITTED: gettext_noop(
        "Realisasi ini sudah diajukan dan menunggu verifikasi; tidak bisa diubah."
    ),
    Status.VERIFIED: gettext_noop(
        "Realisasi ini sudah terverifikasi dan terkunci. Buat revisi bila perlu koreksi; "
        "versi terverifikasi tetap tersimpan."
    ),
}

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# Magic bytes decide the type; the extension must agree with them.
EVIDENCE_TYPES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
}
MAX_VALUE = Decimal("9999999999999999.9999")


def default_deadline(tahun: int, triwulan: int) -> datetime.date:
    """The 10th of the month after the quarter (TW IV: 10 January of the next year)."""
    if triwulan == 4:
        return datetime.date(tahun + 1, 1, 10)
    return datetime.date(tahun, triwulan * 3 + 1, 10)


def quarter_deadline(pemda: Pemda, tahun: int, triwulan: int) -> datetime.date:
    stored = QuarterDeadline.objects.filter(pemda=pemda, tahun=tahun, triwulan=triwulan).first()
    return stored.batas if stored is not None else default_deadline(tahun, triwulan)


@transaction.atomic
def deadline_set(
    *, actor: Any, pemda: Pemda, tahun: int, triwulan: int, batas: datetime.date
) -> QuarterDeadline:
    if triwulan not in (1, 2, 3, 4):
        raise ApplicationError(_("Triwulan harus 1 sampai 4."))
    row, _created = QuarterDeadline.objects.get_or_create(
        pemda=pemda, tahun=tahun, triwulan=triwulan, defaults={"batas": batas}
    )
    before = {"batas": row.batas.isoformat()} if not _created else None
    if not _created and row.batas == batas:
        return row
    row.batas = batas
    row.save(update_fields=["batas"])
    audit_record(
        actor=actor, action="deadline", instance=row, pemda_id=pemda.pk, before=before, after={"batas": batas}
    )
    return row


def current_realization(node: PlanNode, tahun: int, triwulan: int) -> Realization | None:
    return (
        Realization.objects.filter(node=node, tahun=tahun, triwulan=triwulan).order_by("-revisi_ke").first()
    )


def _state(realization: Realization) -> dict[str, Any]:
    state = snapshot(realization, Realization.AUDITED_FIELDS)
    state["nilai"] = {
        str(k): str(v)
        for k, v in RealizationValue.objects.filter(realisasi=realization)
        .order_by("indikator_id")
        .values_list("indikator_id", "nilai")
    }
    return state


def _refuse_unless_editable(realization: Realization) -> None:
    if realization.status not in EDITABLE:
        raise ConflictError(_(REFUSALS[Status(realization.status)]), code="realisasi_terkunci")


def _check_period(node: PlanNode, tahun: int, triwulan: int) -> None:
    errors = []
    if triwulan not in (1, 2, 3, 4):
        errors.append({"kolom": "triwulan", "pesan": _("Triwulan harus 1 sampai 4.")})
    if tahun not in node.dokumen.tahun:
        errors.append(
            {"kolom": "tahun", "pesan": _("Tahun %(tahun)s di luar periode dokumen.") % {"tahun": tahun}}
        )
    if errors:
        raise ApplicationError(_("Periode realisasi tidak sah."), errors=errors)


def _spent_elsewhere(node: PlanNode, tahun: int, triwulan: int) -> Decimal:
    """Budget reported for the other quarters of the year (their current revisions)."""
    total = Decimal(0)
    for quarter in (1, 2, 3, 4):
        if quarter == triwulan:
            continue
        current = current_realization(node, tahun, quarter)
        if current is not None and current.anggaran is not None:
            total += current.anggaran
    return total


def _clean_values(
    node: PlanNode, anggaran: Decimal | None, values: Mapping[int, Decimal | None], tahun: int, triwulan: int
) -> tuple[dict[int, Decimal], list[dict[str, str]]]:
    errors: list[dict[str, str]] = []
    own = set(Indicator.objects.filter(node=node).values_list("pk", flat=True))
    clean: dict[int, Decimal] = {}
    for indicator_id, value in values.items():
        if indicator_id not in own:
            errors.append({"kolom": "nilai", "pesan": _("Indikator bukan milik simpul ini.")})
        elif value is None:
            continue
        elif value < 0:
            errors.append(
                {"kolom": f"nilai_{indicator_id}", "pesan": _("Nilai realisasi tidak boleh negatif.")}
            )
        elif value > MAX_VALUE:
            errors.append({"kolom": f"nilai_{indicator_id}", "pesan": _("Nilai realisasi terlalu besar.")})
        else:
            clean[indicator_id] = value.quantize(Decimal("0.0001"))
    if anggaran is not None:
        if anggaran < 0:
            errors.append({"kolom": "anggaran", "pesan": _("Realisasi anggaran tidak boleh negatif.")})
        else:
            pagu = NodeBudget.objects.filter(node=node, tahun=tahun).values_list("jumlah", flat=True).first()
            spent = _spent_elsewhere(node, tahun, triwulan) + anggaran
            if pagu is not None and spent > pagu:
                errors.append(
                    {
                        "kolom": "anggaran",
                        "pesan": _(
                            "Realisasi anggaran setahun (Rp%(total)s) melebihi pagu (Rp%(pagu)s). "
                            "Periksa angka triwulan ini dan triwulan sebelumnya."
                        )
                        % {
                            "total": f"{spent:,.0f}".replace(",", "."),
                            "pagu": f"{pagu:,.0f}".replace(",", "."),
                        },
                    }
                )
    return clean, errors


@transaction.atomic
def realization_save(
    *,
    actor: Any,
    node: PlanNode,
    tahun: int,
    triwulan: int,
    expected_version: int | None,
    anggaran: Decimal | None,
    values: Mapping[int, Decimal | None],
    faktor_pendukung: str = "",
    faktor_penghambat: str = "",
    tindak_lanjut: str = "",
) -> Realization:
    """Create or update the current draft of (node, year, quarter)."""
    _check_period(node, tahun, triwulan)
    clean, errors = _clean_values(node, anggaran, values, tahun, triwulan)
    texts = {
        "faktor_pendukung": faktor_pendukung.strip(),
        "faktor_penghambat": faktor_penghambat.strip(),
        "tindak_lanjut": tindak_lanjut.strip(),
    }
    for name, text in texts.items():
        if len(text) > 5000:
            errors.append({"kolom": name, "pesan": _("Paling panjang 5.000 karakter.")})
    if errors:
        raise ApplicationError(
            _("Realisasi belum benar: %(daftar)s") % {"daftar": "; ".join(e["pesan"] for e in errors)},
            errors=errors,
        )
    realization = current_realization(node, tahun, triwulan)
    if realization is None:
        realization = Realization.objects.create(
            pemda_id=node.pemda_id,
            node=node,
            opd_id=node.opd_id,
            tahun=tahun,
            triwulan=triwulan,
            anggaran=anggaran,
            **texts,
        )
        RealizationValue.objects.bulk_create(
            RealizationValue(pemda_id=node.pemda_id, realisasi=realization, indikator_id=i, nilai=v)
            for i, v in clean.items()
        )
        audit_record(
            actor=actor,
            action="create",
            instance=realization,
            pemda_id=node.pemda_id,
            after=_state(realization),
        )
        return realization
    _refuse_unless_editable(realization)
    before = _state(realization)
    realization.anggaran = anggaran
    for name, text in texts.items():
        setattr(realization, name, text)
    existing = {v.indikator_id: v for v in RealizationValue.objects.filter(realisasi=realization)}
    for indicator_id, value in clean.items():
        row = existing.pop(indicator_id, None)
        if row is None:
            RealizationValue.objects.create(
                pemda_id=node.pemda_id, realisasi=realization, indikator_id=indicator_id, nilai=value
            )
        elif row.nilai != value:
            row.nilai = value
            row.save(update_fields=["nilai"])
    for row in existing.values():
        if row.indikator_id in values:  # cleared on the form
            row.delete()
    after = _state(realization)
    if before == after:
        if expected_version is not None and realization.version != expected_version:
            save_versioned(realization, expected_version=expected_version, fields=[])
        return realization
    save_versioned(
        realization,
        expected_version=expected_version if expected_version is not None else realization.version,
        fields=["anggaran", *texts, "diubah"],
    )
    audit_record(
        actor=actor, action="update", instance=realization, pemda_id=node.pemda_id, before=before, after=after
    )
    return realization


def _move(realization: Realization, action: str) -> str:
    target = TRANSITIONS.get((realization.status, action))
    if target is None:
        raise ConflictError(
            _("Tindakan “%(aksi)s” tidak berlaku untuk realisasi berstatus %(status)s.")
            % {"aksi": action, "status": realization.get_status_display()},
            code="transisi_tidak_sah",
        )
    return target


@transaction.atomic
def realization_submit(*, actor: Any, realization: Realization, expected_version: int) -> Realization:
    target = _move(realization, "submit")
    missing = []
    if realization.anggaran is None:
        missing.append({"kolom": "anggaran", "pesan": _("Realisasi anggaran belum diisi.")})
    reported = set(
        RealizationValue.objects.filter(realisasi=realization).values_list("indikator_id", flat=True)
    )
    for indicator in Indicator.objects.filter(node_id=realization.node_id).order_by("urutan", "id"):
        if indicator.pk not in reported:
            missing.append(
                {
                    "kolom": f"nilai_{indicator.pk}",
                    "pesan": _("Nilai indikator “%(nama)s” belum diisi.") % {"nama": indicator.nama},
                }
            )
    if missing:
        raise ApplicationError(
            _("Belum bisa diajukan: %(daftar)s") % {"daftar": "; ".join(m["pesan"] for m in missing)},
            errors=missing,
        )
    before = {"status": realization.status}
    realization.status = target
    realization.diajukan_pada = timezone.now()
    realization.alasan_pengembalian = ""  # the reason stays in the audit trail
    save_versioned(
        realization,
        expected_version=expected_version,
        fields=["status", "diajukan_pada", "alasan_pengembalian"],
    )
    audit_record(
        actor=actor,
        action="submit",
        instance=realization,
        pemda_id=realization.pemda_id,
        before=before,
        after={"status": target},
    )
    return realization


@transaction.atomic
def realization_verify(*, actor: Any, realization: Realization, expected_version: int) -> Realization:
    target = _move(realization, "verify")
    realization.status = target
    realization.diverifikasi_pada = timezone.now()
    realization.diverifikasi_oleh = actor if getattr(actor, "is_authenticated", False) else None
    save_versioned(
        realization,
        expected_version=expected_version,
        fields=["status", "diverifikasi_pada", "diverifikasi_oleh"],
    )
    audit_record(
        actor=actor,
        action="verify",
        instance=realization,
        pemda_id=realization.pemda_id,
        before={"status": Status.SUBMITTED},
        after={"status": target},
    )
    return realization


@transaction.atomic
def realization_return(
    *, actor: Any, realization: Realization, expected_version: int, alasan: str
) -> Realization:
    target = _move(realization, "return")
    alasan = alasan.strip()
    if not alasan:
        raise ApplicationError(
            _("Tulis alasan pengembalian agar OPD tahu apa yang harus diperbaiki."),
            errors=[{"kolom": "alasan", "pesan": _("Alasan wajib diisi.")}],
        )
    if len(alasan) > 2000:
        raise ApplicationError(_("Alasan paling panjang 2.000 karakter."))
    realization.status = target
    realization.alasan_pengembalian = alasan
    save_versioned(realization, expected_version=expected_version, fields=["status", "alasan_pengembalian"])
    audit_record(
        actor=actor,
        action="return",
        instance=realization,
        pemda_id=realization.pemda_id,
        before={"status": Status.SUBMITTED},
        after={"status": target, "alasan_pengembalian": alasan},
    )
    return realization


@transaction.atomic
def realization_revise(*, actor: Any, realization: Realization) -> Realization:
    """A correction of a verified entry: a new draft revision with the same values."""
    if realization.status != Status.VERIFIED:
        raise ConflictError(
            _("Hanya realisasi terverifikasi yang direvisi; yang lain masih bisa diubah langsung."),
            code="belum_terverifikasi",
        )
    latest = Realization.objects.filter(
        node_id=realization.node_id, tahun=realization.tahun, triwulan=realization.triwulan
    ).aggregate(m=Max("revisi_ke"))["m"]
    if latest != realization.revisi_ke:
        raise ConflictError(_("Sudah ada revisi yang lebih baru; ubah revisi itu."), code="sudah_direvisi")
    copy = Realization.objects.create(
        pemda_id=realization.pemda_id,
        node_id=realization.node_id,
        opd_id=realization.opd_id,
        tahun=realization.tahun,
        triwulan=realization.triwulan,
        revisi_ke=realization.revisi_ke + 1,
        anggaran=realization.anggaran,
        faktor_pendukung=realization.faktor_pendukung,
        faktor_penghambat=realization.faktor_penghambat,
        tindak_lanjut=realization.tindak_lanjut,
    )
    RealizationValue.objects.bulk_create(
        RealizationValue(pemda_id=v.pemda_id, realisasi=copy, indikator_id=v.indikator_id, nilai=v.nilai)
        for v in RealizationValue.objects.filter(realisasi=realization)
    )
    audit_record(
        actor=actor,
        action="revise",
        instance=copy,
        pemda_id=copy.pemda_id,
        before={"realisasi": realization.pk, "revisi_ke": realization.revisi_ke},
        after=_state(copy),
    )
    return copy


def _evidence_type(head: bytes, name: str) -> tuple[str, str]:
    suffix = Path(name).suffix.lower()
    for content_type, (magic, suffixes) in EVIDENCE_TYPES.items():
        if head.startswith(magic):
            if suffix not in suffixes:
                raise ApplicationError(
                    _("Isi berkas adalah %(jenis)s tetapi namanya berakhiran “%(akhiran)s”.")
                    % {"jenis": content_type, "akhiran": suffix or "-"},
                    errors=[
                        {"kolom": "berkas", "pesan": _("Akhiran nama berkas tidak cocok dengan isinya.")}
                    ],
                )
            return content_type, suffix
    raise ApplicationError(
        _("Bukti harus berupa PDF, JPG atau PNG."),
        errors=[{"kolom": "berkas", "pesan": _("Jenis berkas tidak didukung.")}],
    )


@transaction.atomic
def evidence_add(*, actor: Any, realization: Realization, upload: UploadedFile) -> Evidence:
    _refuse_unless_editable(realization)
    name = Path(upload.name or "bukti").name[:200]
    size = upload.size or 0
    if size > MAX_EVIDENCE_BYTES:
        raise ApplicationError(
            _("Berkas bukti paling besar 5 MB (berkas ini %(mb)s MB).") % {"mb": f"{size / 1048576:.1f}"},
            errors=[{"kolom": "berkas", "pesan": _("Berkas terlalu besar.")}],
        )
    if size == 0:
        raise ApplicationError(
            _("Berkas kosong."), errors=[{"kolom": "berkas", "pesan": _("Berkas kosong.")}]
        )
    data = b"".join(upload.chunks())
    content_type, suffix = _evidence_type(data[:16], name)
    digest = hashlib.sha256(data).hexdigest()
    evidence = Evidence(
        pemda_id=realization.pemda_id,
        realisasi=realization,
        nama_asli=name,
        jenis_isi=content_type,
        ukuran=len(data),
        sha256=digest,
        ekstensi=suffix,
        diunggah_oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    evidence.berkas.save(f"{digest}{suffix}", ContentFile(data), save=False)
    evidence.save()
    audit_record(
        actor=actor,
        action="evidence",
        instance=realization,
        pemda_id=realization.pemda_id,
        after={"bukti": name, "sha256": digest, "ukuran": len(data)},
    )
    return evidence


@transaction.atomic
def evidence_delete(*, actor: Any, evidence: Evidence) -> None:
    _refuse_unless_editable(evidence.realisasi)
    audit_record(
        actor=actor,
        action="evidence_delete",
        instance=evidence.realisasi,
        pemda_id=evidence.pemda_id,
        before={"bukti": evidence.nama_asli, "sha256": evidence.sha256},
    )
    # The file itself stays: another revision may point at the same content (same hash).
    evidence.delete()


@transaction.atomic
def decision_record(
    *, actor: Any, node: PlanNode, tahun: int, keputusan: str, catatan: str, saran: str
) -> ProgramDecision:
    if keputusan not in Decision.values:
        raise ApplicationError(_("Keputusan harus lanjutkan, modifikasi atau hentikan."))
    if node.jenis not in ("program", "kegiatan"):
        raise ApplicationError(_("Keputusan dicatat untuk program atau kegiatan."))
    catatan = catatan.strip()
    if keputusan != saran and not catatan:
        raise ApplicationError(
            _("Keputusan berbeda dari saran sistem: tulis alasannya."),
            errors=[
                {"kolom": "catatan", "pesan": _("Alasan wajib diisi bila keputusan berbeda dari saran.")}
            ],
        )
    row = ProgramDecision.objects.filter(node=node, tahun=tahun).first()
    before = snapshot(row, ProgramDecision.AUDITED_FIELDS) if row else None
    if row is None:
        row = ProgramDecision.objects.create(
            pemda_id=node.pemda_id,
            node=node,
            tahun=tahun,
            saran=saran,
            keputusan=keputusan,
            catatan=catatan,
            diputuskan_oleh=actor if getattr(actor, "is_authenticated", False) else None,
        )
    else:
        row.saran, row.keputusan, row.catatan = saran, keputusan, catatan
        save_versioned(row, expected_version=row.version, fields=["saran", "keputusan", "catatan", "diubah"])
    audit_record(
        actor=actor,
        action="decision",
        instance=row,
        pemda_id=node.pemda_id,
        before=before,
        after=snapshot(row, ProgramDecision.AUDITED_FIELDS),
    )
    return row
