"""Demo realizations of Kabupaten Kotabaru's RKPD 2026, quarters I-III.

Each sub-kegiatan gets a performance level (year-to-date share of its annual target after quarter III:
about 95 %, 80 %, 70 %, 56 % or 30 %), so the evaluation shows all five predikat; budget follows a
back-loaded spending curve. Quarters I and II are verified; in quarter III most entries are verified,
some wait for verification, a few were returned with a reason and some OPDs have not reported at all
(they show on the late page once the deadline has passed). Written in bulk, as seed data: the audit
trail records one event for the load, not one per entry.
"""

import random
from decimal import Decimal
from typing import Any, TextIO

from django.utils import timezone

from rencana.core.audit import audit_record
from rencana.monitoring.models import Realization, RealizationValue, Status
from rencana.planning.models import Indicator, IndicatorTarget, NodeBudget, PlanDocument, PlanNode
from rencana.regions.models import Pemda

PEMDA = "63.02"
TAHUN = 2026
# Year-to-date share of the annual target after quarter III, one per predikat band.
LEVELS = (Decimal("0.95"), Decimal("0.80"), Decimal("0.70"), Decimal("0.56"), Decimal("0.30"))
# How the year-to-date amount is spread over quarters I-III (kumulatif indicators and budget).
SPREAD = (Decimal("0.25"), Decimal("0.35"), Decimal("0.40"))
RETURN_REASONS = (
    "Bukti foto kegiatan belum dilampirkan.",
    "Realisasi anggaran tidak sama dengan SP2D; mohon dicek ulang.",
    "Nilai indikator melebihi target tahunan tanpa penjelasan.",
)
HINDERING = (
    "Pengadaan barang tertunda karena gagal lelang.",
    "Cuaca buruk menghambat pekerjaan fisik di wilayah kepulauan.",
    "Petunjuk teknis DAK terlambat diterima.",
    "",
)


def load(*, stdout: TextIO | Any) -> int:
    pemda = Pemda.objects.filter(kode=PEMDA).first()
    if pemda is None:
        return 0
    rkpd = (
        PlanDocument.objects.filter(pemda=pemda, jenis="RKPD", tahun_mulai=TAHUN)
        .order_by("-revisi_ke")
        .first()
    )
    if rkpd is None or Realization.objects.filter(pemda=pemda, tahun=TAHUN).exists():
        return 0
    rng = random.Random(86)
    subs = list(PlanNode.objects.filter(dokumen=rkpd, jenis="sub_kegiatan").order_by("id"))
    indicators: dict[int, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(node__dokumen=rkpd, node__jenis="sub_kegiatan"):
        indicators.setdefault(indicator.node_id, []).append(indicator)
    targets = dict(
        IndicatorTarget.objects.filter(indikator__node__dokumen=rkpd, tahun=TAHUN).values_list(
            "indikator_id", "nilai"
        )
    )
    pagu = dict(NodeBudget.objects.filter(node__dokumen=rkpd, tahun=TAHUN).values_list("node_id", "jumlah"))
    opd_ids = sorted({n.opd_id for n in subs if n.opd_id})
    # Two OPDs have not reported quarter III at all (late); one has not reported quarter II either.
    silent_q3 = set(opd_ids[-2:])
    silent_q2 = set(opd_ids[-1:])
    now = timezone.now()
    realizations: list[Realization] = []
    plans: list[tuple[Realization, PlanNode, Decimal]] = []
    for index, node in enumerate(subs):
        level = LEVELS[index % len(LEVELS)]
        for quarter in (1, 2, 3):
            if (quarter == 3 and node.opd_id in silent_q3) or (quarter == 2 and node.opd_id in silent_q2):
                continue
            status = Status.VERIFIED
            reason = ""
            if quarter == 3:
                roll = rng.random()
                status = (
                    Status.VERIFIED
                    if roll < 0.7
                    else Status.SUBMITTED
                    if roll < 0.85
                    else Status.RETURNED
                    if roll < 0.93
                    else Status.DRAFT
                )
                if status == Status.RETURNED:
                    reason = rng.choice(RETURN_REASONS)
            budget = pagu.get(node.pk)
            spent = (budget * level * SPREAD[quarter - 1]).quantize(Decimal("1000")) if budget else None
            realization = Realization(
                pemda=pemda,
                node=node,
                opd_id=node.opd_id,
                tahun=TAHUN,
                triwulan=quarter,
                status=status,
                anggaran=spent,
                faktor_pendukung="Dukungan anggaran dan SDM memadai." if level >= Decimal("0.8") else "",
                faktor_penghambat=rng.choice(HINDERING) if level < Decimal("0.8") else "",
                tindak_lanjut="Percepatan pelaksanaan di triwulan berikutnya."
                if level < Decimal("0.7")
                else "",
                alasan_pengembalian=reason,
                diajukan_pada=now if status != Status.DRAFT else None,
                diverifikasi_pada=now if status == Status.VERIFIED else None,
            )
            realizations.append(realization)
            plans.append((realization, node, level))
    Realization.objects.bulk_create(realizations, batch_size=2000)
    values: list[RealizationValue] = []
    for realization, node, level in plans:
        for indicator in indicators.get(node.pk, []):
            target = targets.get(indicator.pk)
            if target is None:
                continue
            if indicator.agregasi == "kumulatif":
                value = target * level * SPREAD[realization.triwulan - 1]
            else:
                value = target * level * Decimal(realization.triwulan) / 3
            values.append(
                RealizationValue(
                    pemda=pemda,
                    realisasi=realization,
                    indikator=indicator,
                    nilai=value.quantize(Decimal("0.0001")),
                )
            )
    RealizationValue.objects.bulk_create(values, batch_size=2000)
    audit_record(
        actor=None,
        action="demo",
        object_type="monitoring.realization",
        object_label=f"Realisasi demo {pemda.nama} {TAHUN}",
        pemda_id=pemda.pk,
        after={"realisasi": len(realizations), "nilai": len(values)},
    )
    stdout.write(
        f"e-Monev demo {pemda.nama}: {len(realizations)} realisasi TW I–III {TAHUN} "
        f"({len(values)} nilai indikator)."
    )
    return len(realizations) + len(values)
