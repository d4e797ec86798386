"""Read queries of e-Monev: the year's RKPD, an OPD's lines for a quarter, queues, late OPDs."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from rencana.monitoring.models import Realization, RealizationValue, Status
from rencana.monitoring.services import quarter_deadline
from rencana.planning.models import Indicator, NodeBudget, PlanDocument, PlanNode
from rencana.regions.models import Opd, Pemda

QUARTERS = (1, 2, 3, 4)


def rkpd_for(pemda: Pemda, tahun: int) -> PlanDocument | None:
    """The newest version of the pemda's RKPD for `tahun` (what realization is reported against)."""
    return (
        PlanDocument.objects.filter(pemda=pemda, jenis="RKPD", tahun_mulai=tahun)
        .select_related("pemda")
        .order_by("-revisi_ke")
        .first()
    )


def reportable_nodes(document: PlanDocument, opd_ids: frozenset[int] | None = None) -> QuerySet[PlanNode]:
    nodes = PlanNode.objects.filter(dokumen=document, jenis="sub_kegiatan").select_related("opd", "induk")
    if opd_ids is not None:
        nodes = nodes.filter(opd_id__in=opd_ids)
    return nodes.order_by("opd__kode", "kode", "id")


def current_by_node(node_ids: list[int], tahun: int) -> dict[tuple[int, int], Realization]:
    """(node, quarter) -> the current revision, in one query."""
    found: dict[tuple[int, int], Realization] = {}
    rows = Realization.objects.filter(node_id__in=node_ids, tahun=tahun).order_by(
        "node_id", "triwulan", "revisi_ke"
    )
    for realization in rows:
        found[(realization.node_id, realization.triwulan)] = realization
    return found


@dataclass
class Line:
    node: PlanNode
    realization: Realization | None
    indicators: list[Indicator] = field(default_factory=list)
    pagu: Decimal | None = None


def opd_lines(document: PlanDocument, opd: Opd, tahun: int, triwulan: int) -> list[Line]:
    nodes = list(reportable_nodes(document, frozenset({opd.pk})))
    ids = [n.pk for n in nodes]
    current = current_by_node(ids, tahun)
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(node_id__in=ids).order_by("urutan", "id"):
        indicators[indicator.node_id].append(indicator)
    pagu = dict(NodeBudget.objects.filter(node_id__in=ids, tahun=tahun).values_list("node_id", "jumlah"))
    return [
        Line(
            node=n,
            realization=current.get((n.pk, triwulan)),
            indicators=indicators[n.pk],
            pagu=pagu.get(n.pk),
        )
        for n in nodes
    ]


def values_of(realization: Realization | None) -> dict[int, Decimal]:
    if realization is None:
        return {}
    return dict(RealizationValue.objects.filter(realisasi=realization).values_list("indikator_id", "nilai"))


@dataclass
class OpdStatus:
    opd: Opd
    lines: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    verified: int = 0

    @property
    def missing(self) -> int:
        return self.lines - self.submitted - self.verified

    def late(self, deadline: datetime.date, today: datetime.date) -> bool:
        return today > deadline and self.missing > 0


def quarter_status(
    document: PlanDocument, tahun: int, triwulan: int, opd_ids: frozenset[int] | None = None
) -> list[OpdStatus]:
    """Per OPD: how many lines it must report and where they are in the workflow (three queries)."""
    nodes = list(reportable_nodes(document, opd_ids).values_list("pk", "opd_id"))
    opds = {o.pk: o for o in Opd.objects.filter(pk__in={opd for _pk, opd in nodes if opd})}
    statuses: dict[int, OpdStatus] = {pk: OpdStatus(opd=o) for pk, o in opds.items()}
    node_opd = dict(nodes)
    for _pk, opd_id in nodes:
        if opd_id in statuses:
            statuses[opd_id].lines += 1
    current = current_by_node(list(node_opd), tahun)
    for (node_id, quarter), realization in current.items():
        owner = node_opd.get(node_id)
        if quarter != triwulan or owner is None or owner not in statuses:
            continue
        status = statuses[owner]
        setattr(status, realization.status, getattr(status, realization.status) + 1)
    return sorted(statuses.values(), key=lambda s: s.opd.kode)


def late_opds(document: PlanDocument, tahun: int, triwulan: int, today: datetime.date) -> list[OpdStatus]:
    deadline = quarter_deadline(document.pemda, tahun, triwulan)
    return [s for s in quarter_status(document, tahun, triwulan) if s.late(deadline, today)]


def verification_queue(pemda: Pemda, tahun: int) -> QuerySet[Realization]:
    return (
        Realization.objects.filter(pemda=pemda, tahun=tahun, status=Status.SUBMITTED)
        .select_related("node", "opd")
        .order_by("diajukan_pada", "id")
    )
