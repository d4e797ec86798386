"""Evaluation of a pemda's year (Permendagri 86/2017): every sub-kegiatan of the RKPD with its indicators'
capaian and its budget absorption up to a quarter, aggregated per OPD, program, sasaran and pemda.

Method (the rules themselves live in `monitoring.achievement`):
- Only *verified* realizations count by default (`include_submitted=True` adds submitted ones, shown as
  provisional); of each quarter the current revision is used.
- An indicator's realization up to quarter q is `annual_realization` of quarters 1..q under the
  indicator's agregasi, compared with its annual target of the RKPD (`capaian`); no target or no report
  leaves it unrated with the reason.
- A sub-kegiatan's capaian is the mean of its rated indicators' capaian; its serapan is the budget
  reported for quarters 1..q against the year's pagu.
- A group (OPD, program, sasaran, the pemda) has the mean capaian of its rated sub-kegiatan and the
  serapan of its summed budget. A sub-kegiatan belongs to the sasaran its program, kegiatan or itself is
  linked to (the logframe link). Means are rounded 2 decimals ROUND_HALF_UP before banding.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from rencana.monitoring import achievement
from rencana.monitoring.models import Evidence, Realization, RealizationValue, Status
from rencana.monitoring.selectors import rkpd_for
from rencana.planning.models import Indicator, IndicatorTarget, NodeBudget, NodeLink, PlanDocument, PlanNode
from rencana.regions.models import Pemda


@dataclass
class IndicatorResult:
    indicator: Indicator
    target: Decimal | None
    quarters: list[Decimal | None]
    realisasi: Decimal | None
    capaian: achievement.Capaian


@dataclass
class LineResult:
    node: PlanNode
    program: PlanNode | None
    kegiatan: PlanNode | None
    sasaran_ids: list[int]
    pagu: Decimal
    spent_quarters: list[Decimal | None]
    indicators: list[IndicatorResult]
    statuses: list[str | None]
    evidence: int = 0
    factors: list[str] = field(default_factory=list)

    @property
    def spent(self) -> Decimal:
        return sum((v for v in self.spent_quarters if v is not None), Decimal(0))

    @property
    def serapan(self) -> Decimal | None:
        return achievement.absorption(self.spent, self.pagu) if self.pagu else None

    @property
    def capaian(self) -> Decimal | None:
        rated = [r.capaian.capaian for r in self.indicators if r.capaian.capaian is not None]
        return achievement.round2(sum(rated, Decimal(0)) / len(rated)) if rated else None

    @property
    def predikat(self) -> str | None:
        value = self.capaian
        return achievement.predikat(value) if value is not None else None

    @property
    def warna(self) -> str:
        return achievement.warna(self.predikat) if self.predikat else ""

    @property
    def efficiency(self) -> achievement.Efficiency:
        return achievement.efficiency(self.capaian, self.serapan)


@dataclass
class GroupResult:
    key: str
    label: str
    lines: list[LineResult] = field(default_factory=list)

    @property
    def pagu(self) -> Decimal:
        return sum((line.pagu for line in self.lines), Decimal(0))

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), Decimal(0))

    @property
    def serapan(self) -> Decimal | None:
        return achievement.absorption(self.spent, self.pagu) if self.pagu else None

    @property
    def capaian(self) -> Decimal | None:
        rated = [line.capaian for line in self.lines if line.capaian is not None]
        return achievement.round2(sum(rated, Decimal(0)) / len(rated)) if rated else None

    @property
    def predikat(self) -> str | None:
        value = self.capaian
        return achievement.predikat(value) if value is not None else None

    @property
    def warna(self) -> str:
        return achievement.warna(self.predikat) if self.predikat else ""

    @property
    def rated(self) -> int:
        return sum(1 for line in self.lines if line.capaian is not None)

    def counts(self) -> dict[str, int]:
        counts = {band.predikat: 0 for band in achievement.BANDS}
        for line in self.lines:
            if line.predikat:
                counts[line.predikat] += 1
        return counts


@dataclass
class Evaluation:
    pemda: Pemda
    tahun: int
    triwulan: int
    document: PlanDocument | None
    include_submitted: bool
    lines: list[LineResult]
    sasaran_names: dict[int, str]

    def _group(self, keyed: Iterable[tuple[str, str, LineResult]]) -> list[GroupResult]:
        groups: dict[str, GroupResult] = {}
        for key, label, line in keyed:
            groups.setdefault(key, GroupResult(key=key, label=label)).lines.append(line)
        return sorted(groups.values(), key=lambda g: (g.label, g.key))

    def total(self) -> GroupResult:
        return GroupResult(key=self.pemda.kode, label=self.pemda.nama, lines=list(self.lines))

    def per_opd(self) -> list[GroupResult]:
        return self._group(
            (line.node.opd.kode if line.node.opd else "", line.node.opd.nama if line.node.opd else "", line)
            for line in self.lines
        )

    def per_program(self) -> list[GroupResult]:
        return self._group(
            (
                f"{line.program.kode}@{line.node.opd_id or ''}" if line.program else "",
                f"{line.program.kode} {line.program.nama}" if line.program else "",
                line,
            )
            for line in self.lines
        )

    def per_sasaran(self) -> list[GroupResult]:
        return self._group(
            (str(sasaran_id), self.sasaran_names.get(sasaran_id, ""), line)
            for line in self.lines
            for sasaran_id in (line.sasaran_ids or [0])
        )


def evaluate(
    pemda: Pemda,
    tahun: int,
    triwulan: int = 4,
    *,
    include_submitted: bool = False,
    opd_ids: frozenset[int] | None = None,
    document: PlanDocument | None = None,
) -> Evaluation:
    """The evaluation of `tahun` up to `triwulan`; a constant number of queries whatever the size."""
    document = document or rkpd_for(pemda, tahun)
    if document is None:
        return Evaluation(pemda, tahun, triwulan, None, include_submitted, [], {})
    nodes = {n.pk: n for n in PlanNode.objects.filter(dokumen=document).select_related("opd")}
    subs = [
        n for n in nodes.values() if n.jenis == "sub_kegiatan" and (opd_ids is None or n.opd_id in opd_ids)
    ]
    subs.sort(key=lambda n: (n.opd.kode if n.opd else "", n.kode, n.pk))
    sub_ids = [n.pk for n in subs]
    links: dict[int, list[int]] = defaultdict(list)
    for dari, ke in NodeLink.objects.filter(dari__dokumen=document).values_list("dari_id", "ke_id"):
        links[dari].append(ke)
    sasaran_ids = {ke for kes in links.values() for ke in kes}
    sasaran_names = {
        pk: f"{kode} {nama}".strip()
        for pk, kode, nama in PlanNode.objects.filter(pk__in=sasaran_ids).values_list("pk", "kode", "nama")
    }
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(node_id__in=sub_ids).order_by("urutan", "id"):
        indicators[indicator.node_id].append(indicator)
    targets = dict(
        IndicatorTarget.objects.filter(indikator__node_id__in=sub_ids, tahun=tahun).values_list(
            "indikator_id", "nilai"
        )
    )
    pagu = dict(NodeBudget.objects.filter(node_id__in=sub_ids, tahun=tahun).values_list("node_id", "jumlah"))
    wanted = {Status.VERIFIED, Status.SUBMITTED} if include_submitted else {Status.VERIFIED}
    current: dict[tuple[int, int], Realization] = {}
    revisions = list(
        Realization.objects.filter(node_id__in=sub_ids, tahun=tahun, triwulan__lte=triwulan).order_by(
            "node_id", "triwulan", "revisi_ke"
        )
    )
    for realization in revisions:
        current[(realization.node_id, realization.triwulan)] = realization
    # A correction in progress (a newer draft revision) must not hide the verified figures: each
    # quarter counts its newest revision that has a counted status.
    counted: dict[tuple[int, int], Realization] = {}
    for realization in revisions:
        if realization.status in wanted:
            counted[(realization.node_id, realization.triwulan)] = realization
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for realisasi_id, indikator_id, nilai in RealizationValue.objects.filter(
        realisasi_id__in=[r.pk for r in counted.values()]
    ).values_list("realisasi_id", "indikator_id", "nilai"):
        values[realisasi_id][indikator_id] = nilai
    evidence: dict[int, int] = defaultdict(int)
    for realisasi_id in Evidence.objects.filter(
        realisasi_id__in=[r.pk for r in counted.values()]
    ).values_list("realisasi_id", flat=True):
        evidence[realisasi_id] += 1
    quarters = range(1, triwulan + 1)
    lines: list[LineResult] = []
    for node in subs:
        kegiatan = nodes.get(node.induk_id) if node.induk_id else None
        program = nodes.get(kegiatan.induk_id) if kegiatan is not None and kegiatan.induk_id else None
        served = (
            links.get(node.pk)
            or (links.get(kegiatan.pk) if kegiatan else None)
            or (links.get(program.pk) if program else None)
        )
        reports = [counted.get((node.pk, q)) for q in quarters]
        results = []
        for indicator in indicators[node.pk]:
            per_quarter = [values[r.pk].get(indicator.pk) if r is not None else None for r in reports]
            realisasi = achievement.annual_realization(per_quarter, indicator.agregasi)
            target = targets.get(indicator.pk)
            if target is None:
                rating = achievement.Capaian(None, None, _("target tahun ini belum diisi"))
            elif realisasi is None:
                rating = achievement.Capaian(None, None, _("belum ada realisasi terverifikasi"))
            else:
                try:
                    rating = achievement.capaian(target, realisasi, indicator.polaritas)
                except ValueError as exc:  # an absurd figure marks this indicator, not the whole page
                    rating = achievement.Capaian(None, None, str(exc))
            results.append(IndicatorResult(indicator, target, per_quarter, realisasi, rating))
        factors = [
            text
            for r in reports
            if r is not None
            for text in (r.faktor_pendukung, r.faktor_penghambat)
            if text
        ]
        lines.append(
            LineResult(
                node=node,
                program=program,
                kegiatan=kegiatan,
                sasaran_ids=list(served or []),
                pagu=pagu.get(node.pk, Decimal(0)),
                spent_quarters=[r.anggaran if r is not None else None for r in reports],
                indicators=results,
                statuses=[
                    current[(node.pk, q)].status if (node.pk, q) in current else None for q in quarters
                ],
                evidence=sum(evidence[r.pk] for r in reports if r is not None),
                factors=factors,
            )
        )
    return Evaluation(pemda, tahun, triwulan, document, include_submitted, lines, sasaran_names)
