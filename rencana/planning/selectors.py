"""Read queries over plans: document lists, the whole tree in a constant number of queries, checker input."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from rencana.planning import codes, levels, logframe
from rencana.planning.models import (
    Indicator,
    IndicatorTarget,
    NodeBudget,
    NodeLink,
    NomenclatureItem,
    PlanDocument,
    PlanNode,
)
from rencana.planning.services import known_sasaran_ids
from rencana.regions.models import Pemda


def document_list(
    *, pemda: Pemda, jenis: str = "", opd_ids: frozenset[int] | None = None
) -> QuerySet[PlanDocument]:
    qs = (
        PlanDocument.objects.filter(pemda=pemda)
        .select_related("opd", "induk", "edisi_nomenklatur")
        .annotate(jumlah_simpul=Count("nodes"))
    )
    if jenis:
        qs = qs.filter(jenis=jenis)
    if opd_ids is not None:
        qs = qs.filter(opd_id__in=opd_ids)
    return qs.order_by("-tahun_mulai", "jenis", "opd__kode", "-revisi_ke")


def document_get(*, pemda: Pemda, document_id: int) -> PlanDocument | None:
    return (
        PlanDocument.objects.filter(pemda=pemda, pk=document_id)
        .select_related("pemda", "opd", "induk", "edisi_nomenklatur", "revisi_dari")
        .first()
    )


def versions_of(document: PlanDocument) -> list[PlanDocument]:
    """Every version of the same plan (the revision chain), oldest first."""
    first = document
    while first.revisi_dari_id is not None:
        first = PlanDocument.objects.get(pk=first.revisi_dari_id)
    chain = [first]
    while True:
        nxt = PlanDocument.objects.filter(revisi_dari=chain[-1]).first()
        if nxt is None:
            return chain
        chain.append(nxt)


@dataclass
class TreeRow:
    node: PlanNode
    depth: int
    indicators: list[Indicator] = field(default_factory=list)
    pagu: dict[int, Decimal] = field(default_factory=dict)
    sasaran: list[PlanNode] = field(default_factory=list)
    children: int = 0

    @property
    def pagu_total(self) -> Decimal:
        return sum(self.pagu.values(), Decimal(0))


@dataclass
class Tree:
    document: PlanDocument
    rows: list[TreeRow]
    by_id: dict[int, TreeRow]
    sasaran_options: list[PlanNode]

    def sasaran_label(self, node_id: int) -> str:
        for option in self.sasaran_options:
            if option.pk == node_id:
                return str(option)
        return str(node_id)


def _ordered(nodes: list[PlanNode]) -> list[tuple[PlanNode, int]]:
    children: dict[int | None, list[PlanNode]] = defaultdict(list)
    ids = {n.pk for n in nodes}
    for node in nodes:
        parent = node.induk_id if node.induk_id in ids else None
        children[parent].append(node)
    for group in children.values():
        group.sort(key=lambda n: (n.urutan, n.pk))
    ordered: list[tuple[PlanNode, int]] = []
    stack: list[tuple[PlanNode, int]] = [(n, 0) for n in reversed(children[None])]
    while stack:
        node, depth = stack.pop()
        ordered.append((node, depth))
        stack.extend((c, depth + 1) for c in reversed(children[node.pk]))
    return ordered


def tree(document: PlanDocument, *, opd_id: int | None = None) -> Tree:
    """The document's nodes in tree order with indicators, targets, pagu and links: five queries.

    Every query also names the tenant (`pemda_id`): on PostgreSQL with many pemda the planner then uses
    the tenant index instead of scanning every pemda's rows (docs/benchmarks.md, Planning).

    `opd_id` keeps only the budget subtrees run by that OPD (and their ancestors).
    """
    nodes = list(PlanNode.objects.filter(dokumen=document).select_related("opd"))
    if opd_id is not None:
        by_id = {n.pk: n for n in nodes}
        keep: set[int] = set()
        for node in nodes:
            if node.opd_id == opd_id:
                current: PlanNode | None = node
                while current is not None and current.pk not in keep:
                    keep.add(current.pk)
                    current = by_id.get(current.induk_id) if current.induk_id else None
        nodes = [n for n in nodes if n.pk in keep]
    ordered = _ordered(nodes)
    rows = [TreeRow(node=n, depth=d) for n, d in ordered]
    by_id_row = {r.node.pk: r for r in rows}
    for row in rows:
        if row.node.induk_id in by_id_row:
            by_id_row[row.node.induk_id].children += 1
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for t in IndicatorTarget.objects.filter(
        pemda_id=document.pemda_id, indikator__node__dokumen=document
    ).values_list("indikator_id", "tahun", "nilai"):
        targets[t[0]][t[1]] = t[2]
    for indicator in Indicator.objects.filter(pemda_id=document.pemda_id, node__dokumen=document).order_by(
        "urutan", "id"
    ):
        owner = by_id_row.get(indicator.node_id)
        if owner is not None:
            indicator.target_per_tahun = targets.get(indicator.pk, {})  # type: ignore[attr-defined]
            owner.indicators.append(indicator)
    for node_id, tahun, jumlah in NodeBudget.objects.filter(
        pemda_id=document.pemda_id, node__dokumen=document
    ).values_list("node_id", "tahun", "jumlah"):
        if node_id in by_id_row:
            by_id_row[node_id].pagu[tahun] = jumlah
    options = sasaran_options(document)
    option_by_id = {o.pk: o for o in options}
    for dari_id, ke_id in NodeLink.objects.filter(
        pemda_id=document.pemda_id, dari__dokumen=document
    ).values_list("dari_id", "ke_id"):
        if dari_id in by_id_row and ke_id in option_by_id:
            by_id_row[dari_id].sasaran.append(option_by_id[ke_id])
    return Tree(document=document, rows=rows, by_id=by_id_row, sasaran_options=options)


def sasaran_options(document: PlanDocument) -> list[PlanNode]:
    ids = known_sasaran_ids(document)
    return list(
        PlanNode.objects.filter(pk__in=ids).select_related("dokumen").order_by("dokumen_id", "kode", "id")
    )


def nomenclature_entries(document: PlanDocument) -> dict[str, logframe.NomenclatureEntry] | None:
    if document.edisi_nomenklatur_id is None:
        return None
    kind = codes.pemda_kind_of(document.pemda.jenis)
    entries: dict[str, logframe.NomenclatureEntry] = {}
    rows = NomenclatureItem.objects.filter(
        edisi_id=document.edisi_nomenklatur_id,
        berlaku_untuk__in=[kind, "semua"],
        level__in=["program", "kegiatan", "sub_kegiatan"],
    ).values_list("kode", "level", "kode_induk", "nama", "berlaku_untuk")
    for kode, level, induk, nama, berlaku in rows:
        if kode in entries and berlaku == "semua":
            continue  # the entry for this kind of pemda wins over the shared one
        entries[kode] = logframe.NomenclatureEntry(kode=kode, level=level, kode_induk=induk, nama=nama)
    return entries


def _codes_of(document: PlanDocument | None, jenis: str) -> frozenset[str] | None:
    if document is None:
        return None
    return frozenset(
        PlanNode.objects.filter(dokumen=document, jenis=jenis).exclude(kode="").values_list("kode", flat=True)
    )


def logframe_input(document: PlanDocument, *, tree_data: Tree | None = None) -> logframe.DocumentData:
    """The plain data the logframe checker reads."""
    data = tree_data or tree(document)
    known = frozenset(known_sasaran_ids(document))
    all_links: dict[int, list[int]] = defaultdict(list)
    for dari_id, ke_id in NodeLink.objects.filter(
        pemda_id=document.pemda_id, dari__dokumen=document
    ).values_list("dari_id", "ke_id"):
        all_links[dari_id].append(ke_id)
    nodes = tuple(
        logframe.NodeData(
            id=row.node.pk,
            jenis=row.node.jenis,
            kode=row.node.kode,
            nama=row.node.nama,
            induk_id=row.node.induk_id,
            opd_id=row.node.opd_id,
            opd_nama=row.node.opd.nama if row.node.opd is not None else "",
            sasaran_ids=tuple(all_links.get(row.node.pk, ())),
            pagu=dict(row.pagu),
            luar_nomenklatur=row.node.luar_nomenklatur,
        )
        for row in data.rows
    )
    indicators = tuple(
        logframe.IndicatorData(
            id=ind.pk,
            node_id=ind.node_id,
            nama=ind.nama,
            satuan=ind.satuan,
            polaritas=ind.polaritas,
            jenis=ind.jenis,
            baseline_tahun=ind.baseline_tahun,
            baseline_nilai=ind.baseline_nilai,
            targets=dict(ind.target_per_tahun),  # type: ignore[attr-defined]
        )
        for row in data.rows
        for ind in row.indicators
    )
    parent = document.induk
    return logframe.DocumentData(
        id=document.pk,
        jenis=document.jenis,
        nama=document.nama,
        tahun=tuple(document.tahun),
        nodes=nodes,
        indicators=indicators,
        known_sasaran_ids=known,
        parent_jenis=parent.jenis if parent else "",
        parent_program_codes=_codes_of(parent, "program") if document.jenis == "RKPD" else None,
        parent_sub_kegiatan_codes=_codes_of(parent, "sub_kegiatan") if document.jenis == "RENJA" else None,
        nomenclature=nomenclature_entries(document),
    )


def document_check(document: PlanDocument, *, tree_data: Tree | None = None) -> logframe.CheckResult:
    return logframe.check_document(logframe_input(document, tree_data=tree_data))


def opd_shares(data: Tree) -> list[dict[str, Any]]:
    """Pagu per OPD at the lowest budget level (what the OPD actually spends), with its share."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in data.rows:
        node = row.node
        if not levels.is_budget(node.jenis):
            continue
        if row.children:
            continue  # budget nodes only have budget children: count the lowest level
        totals[node.opd.nama if node.opd is not None else ""] += row.pagu_total
    grand = sum(totals.values(), Decimal(0))
    shares = []
    for nama, total in sorted(totals.items(), key=lambda kv: -kv[1]):
        pct = (total * 100 / grand).quantize(Decimal("0.01")) if grand else None
        shares.append({"opd": nama, "pagu": total, "persen": pct})
    return shares


def _baseline_text(indicator: Indicator) -> str:
    value = "" if indicator.baseline_nilai is None else str(indicator.baseline_nilai)
    return f"{indicator.baseline_tahun or ''} {value}".strip()


def document_state(data: Tree) -> dict[str, dict[str, str]]:
    """A document flattened for `diffs.diff_documents`."""
    keys: dict[int, str] = {}
    state: dict[str, dict[str, str]] = {}
    for row in data.rows:
        node = row.node
        own = f"{node.jenis}:{node.kode or node.nama[:60]}"
        if node.opd is not None:
            own += f"@{node.opd.kode}"
        key = f"{keys[node.induk_id]}/{own}" if node.induk_id in keys else own
        keys[node.pk] = key
        label = f"{node.get_jenis_display()} {node.kode} {node.nama}".replace("  ", " ")[:160]
        state[key] = {
            "_label": label,
            "nama": node.nama,
            "opd": node.opd.nama if node.opd is not None else "",
            "sumber_dana": node.sumber_dana,
            "lokasi": node.lokasi,
            "luar_nomenklatur": "ya" if node.luar_nomenklatur else "tidak",
            "sasaran": "; ".join(sorted(f"{s.kode} {s.nama}".strip() for s in row.sasaran)),
            **{f"pagu {tahun}": str(jumlah) for tahun, jumlah in sorted(row.pagu.items())},
        }
        for indicator in row.indicators:
            targets = indicator.target_per_tahun  # type: ignore[attr-defined]
            state[f"{key}#{indicator.nama[:80]}"] = {
                "_label": f"{label} — {indicator.nama}"[:200],
                "satuan": indicator.satuan,
                "polaritas": indicator.polaritas,
                "baseline": _baseline_text(indicator),
                **{f"target {tahun}": str(nilai) for tahun, nilai in sorted(targets.items())},
            }
    return state
