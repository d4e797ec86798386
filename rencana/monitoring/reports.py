"""Evaluation reports of Permendagri 86/2017 as XLSX and PDF; what the early warning and advice pages read.

(a) RKPD evaluation table (`rkpd_table`, annex "Evaluasi terhadap hasil RKPD"): the year's RKPD in tree
    order, program -> kegiatan -> sub-kegiatan, one row per indicator (a node without indicators gets
    one row). Columns, numbered as in the annex (K = kinerja, the indicator value; Rp = rupiah):
    1 No · 2 Sasaran · 3 Kode · 4 Program/kegiatan/sub-kegiatan · 5 Indikator ·
    6 target RPJMD/Renstra at the end of the period (K, Rp) · 7 realization of the RPJMD up to last
    year (K, Rp) · 8 this year's RKPD target (K, Rp) · 9-12 realization in quarter I-IV (K, Rp) ·
    13 this year's realization (K, Rp) · 14 level of achievement this year (%, K and Rp) ·
    15 realization of the RPJMD up to this year (K, Rp) · 16 level of achievement against the RPJMD up to
    this year (%, K and Rp) · 17 responsible OPD · 18 keterangan (the predikat, or why there is none).
    Method:
    - This year: `evaluation.evaluate` for the sub-kegiatan (only verified realizations, or verified and
      submitted ones when `include_submitted`); the indicators of a program or kegiatan count the
      realizations reported on that node itself under the same rules. The Rp of a program or kegiatan
      is the sum of its sub-kegiatan (pagu and spending), as in `Evaluation.per_program`.
    - Reference of columns 6, 7, 15, 16: the node of the same level, code and OPD in the RPJMD the RKPD
      derives from (its `induk`, else the newest RPJMD covering the year); for kegiatan and sub-kegiatan
      (and programs missing from the RPJMD) the node in the OPD's Renstra covering the year. An
      indicator matches the reference indicator of the same name (case and spaces ignored), or the only
      one when both nodes have a single indicator. K = the reference indicator's target of the last year
      of the period (else its latest target); Rp = the reference node's pagu summed over the period.
    - Earlier years: every year from the start of that period up to last year that has an RKPD is
      evaluated for the whole year; a node is the same across years when level, code and OPD (its own
      or the nearest ancestor's) match, an indicator when its name matches. Years are combined by the
      indicator's agregasi (`achievement.end_of_period_realization`: kumulatif adds the years up,
      otherwise the latest reported year counts); column 16 K is `achievement.capaian_akhir_periode`,
      16 Rp the spending of all those years against the reference pagu.
(b) RPJMD end-of-period table (`rpjmd_table`): tujuan and sasaran of the RPJMD covering the year with
    their indicators: baseline, end-of-period target, per year target, realization (what Bappeda reports
    on the node itself, quarters combined by the indicator's agregasi) and capaian, then the realization
    and capaian at the end of the period (`capaian_akhir_periode`) with the predikat.

Both tables become XLSX (`table_xlsx`: the annex's two-level header with merged group headers, a
numbering row, frozen panes, number formats) or PDF (`table_pdf`: WeasyPrint, landscape A4, with the
SVG charts of `monitoring.charts`). Without WeasyPrint's system libraries `table_pdf` raises
`PdfUnavailableError` naming the Debian packages to install: a page shows the message, never a 500.

Also here, for the pages: `year_data` (the figures of every program, kegiatan and sub-kegiatan of a
year), `early_warnings` (the inputs of `warning.warnings_for` built from the realizations) and
`advice_rows` (`advice.advise` per program and kegiatan over the years), and `evaluation_to_dict` (the
JSON of `rencana monev evaluate`).
"""

import io
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from rencana.core.errors import ApplicationError, NotFoundError
from rencana.core.exports import XLSX_TYPE
from rencana.core.numbers import format_angka
from rencana.monitoring import achievement, advice, warning
from rencana.monitoring.evaluation import Evaluation, GroupResult, IndicatorResult, LineResult, evaluate
from rencana.monitoring.models import Decision, ProgramDecision, Realization, RealizationValue, Status
from rencana.planning.models import Indicator, IndicatorTarget, NodeBudget, NodeLink, PlanDocument, PlanNode
from rencana.regions.models import Opd, Pemda

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
BUDGET_KINDS = ("program", "kegiatan", "sub_kegiatan")
ZERO = Decimal(0)
PDF_TYPE = "application/pdf"
FORMATS = ("xlsx", "pdf")
# How many years back the advice looks (the evaluated year included): one RPJMD period.
ADVICE_YEARS = 5
DEBIAN_PDF_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"

# Cell kinds: how a value is written (number format in XLSX, notation in PDF).
TEXT = "text"
K = "k"
RP = "rp"
PCT = "pct"

NodeKey = tuple[str, str, int | None]


class PdfUnavailableError(ApplicationError):
    """WeasyPrint or its system libraries are missing on this server: a setup problem, not the user's."""

    status = 503
    code = "pdf_tidak_tersedia"


# --- tables -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header; under a group, the sub-header (K, Rp, ...)
    group: str = ""  # the merged header over consecutive columns of the same group; "" = stands alone
    number: str = ""  # the annex column number, on the first column of a group
    kind: str = TEXT
    width: float = 12


@dataclass
class Row:
    level: str  # program, kegiatan, sub_kegiatan, tujuan, sasaran, total
    cells: dict[str, Any]


@dataclass
class Table:
    title: str
    subtitle: list[str]
    columns: list[Column]
    rows: list[Row]
    notes: list[str]
    sheet: str
    filename: str  # without extension
    frozen_columns: int  # columns kept visible when scrolling right
    charts: list[tuple[str, SafeString]] = field(default_factory=list)  # (title, SVG), PDF only

    @property
    def grouped(self) -> bool:
        return any(column.group for column in self.columns)

    @property
    def numbered(self) -> bool:
        return any(column.number for column in self.columns)

    def spans(self) -> list[tuple[int, int, str, str]]:
        """(first, last, group, number) of every header span, columns indexed from 0."""
        spans: list[tuple[int, int, str, str]] = []
        for index, column in enumerate(self.columns):
            if column.group and spans and spans[-1][2] == column.group and spans[-1][1] == index - 1:
                first, _last, group, number = spans[-1]
                spans[-1] = (first, index, group, number)
            else:
                spans.append((index, index, column.group, column.number))
        return spans


def _percent(value: Decimal | None) -> str:
    return "" if value is None else format_angka(value, 2)


def _k_text(value: Decimal) -> str:
    """An indicator value with up to 4 decimals and no trailing zeros, in Indonesian notation."""
    exponent = value.normalize().as_tuple().exponent
    decimals = min(4, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    return format_angka(value, decimals)


def display(value: Any, kind: str) -> str:
    """A cell as text (PDF and pages)."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if kind == RP:
            return format_angka(number, 0)
        if kind == PCT:
            return format_angka(number, 2)
        return _k_text(number)
    return str(value)


# --- figures of one year ----------------------------------------------------------------------------


def _rating(target: Decimal | None, realisasi: Decimal | None, polaritas: str) -> achievement.Capaian:
    if target is None:
        return achievement.Capaian(None, None, _("target tahun ini belum diisi"))
    if realisasi is None:
        return achievement.Capaian(None, None, _("belum ada realisasi terverifikasi"))
    try:
        return achievement.capaian(target, realisasi, polaritas)
    except ValueError as exc:
        return achievement.Capaian(None, None, str(exc))


def _annual(values: Sequence[Decimal | None], agregasi: str) -> Decimal | None:
    try:
        return achievement.annual_realization(values, agregasi)
    except ValueError:
        return None


def _mean(values: Iterable[Decimal | None]) -> Decimal | None:
    rated = [v for v in values if v is not None]
    return achievement.round2(sum(rated, ZERO) / len(rated)) if rated else None


def _counted(
    node_ids: Sequence[int], tahun: int, triwulan: int, *, include_submitted: bool
) -> dict[tuple[int, int], Realization]:
    """(node, quarter) -> the newest revision with a counted status, as in `evaluation.evaluate`: a
    correction in progress (a newer draft revision) does not hide the verified figures."""
    wanted = {Status.VERIFIED, Status.SUBMITTED} if include_submitted else {Status.VERIFIED}
    counted: dict[tuple[int, int], Realization] = {}
    for realization in Realization.objects.filter(
        node_id__in=node_ids, tahun=tahun, triwulan__lte=triwulan, status__in=wanted
    ).order_by("node_id", "triwulan", "revisi_ke"):
        counted[(realization.node_id, realization.triwulan)] = realization
    return counted


def indicator_results(
    node_ids: Sequence[int], tahun: int, triwulan: int, *, include_submitted: bool
) -> dict[int, list[IndicatorResult]]:
    """The indicators of any nodes with their realization of `tahun` up to `triwulan`, reported on the
    node itself (the rules of `evaluation.evaluate`, which does this for sub-kegiatan)."""
    results: dict[int, list[IndicatorResult]] = defaultdict(list)
    if not node_ids:
        return results
    indicators = list(Indicator.objects.filter(node_id__in=node_ids).order_by("urutan", "id"))
    targets = dict(
        IndicatorTarget.objects.filter(indikator__node_id__in=node_ids, tahun=tahun).values_list(
            "indikator_id", "nilai"
        )
    )
    counted = _counted(node_ids, tahun, triwulan, include_submitted=include_submitted)
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for realisasi_id, indikator_id, nilai in RealizationValue.objects.filter(
        realisasi_id__in=[r.pk for r in counted.values()]
    ).values_list("realisasi_id", "indikator_id", "nilai"):
        values[realisasi_id][indikator_id] = nilai
    for indicator in indicators:
        reports = [counted.get((indicator.node_id, q)) for q in range(1, triwulan + 1)]
        per_quarter = [values[r.pk].get(indicator.pk) if r is not None else None for r in reports]
        realisasi = _annual(per_quarter, indicator.agregasi)
        target = targets.get(indicator.pk)
        rating = _rating(target, realisasi, indicator.polaritas)
        results[indicator.node_id].append(IndicatorResult(indicator, target, per_quarter, realisasi, rating))
    return results


@dataclass
class NodeFigures:
    """A program, kegiatan or sub-kegiatan of one year's RKPD with its indicators and budget."""

    node: PlanNode
    opd: Opd | None  # its own OPD or the nearest ancestor's
    depth: int
    indicators: list[IndicatorResult]
    lines: list[LineResult]  # the sub-kegiatan at or below it (the ones in scope)
    triwulan: int
    sasaran_ids: list[int] = field(default_factory=list)
    nomor: str = ""

    @property
    def key(self) -> NodeKey:
        return node_key(self.node, self.opd)

    @property
    def line(self) -> LineResult | None:
        return self.lines[0] if self.node.jenis == "sub_kegiatan" and self.lines else None

    @property
    def pagu(self) -> Decimal:
        return sum((line.pagu for line in self.lines), ZERO)

    @property
    def spent_quarters(self) -> list[Decimal | None]:
        quarters: list[Decimal | None] = []
        for index in range(self.triwulan):
            reported = [
                line.spent_quarters[index]
                for line in self.lines
                if index < len(line.spent_quarters) and line.spent_quarters[index] is not None
            ]
            quarters.append(sum((v for v in reported if v is not None), ZERO) if reported else None)
        return quarters

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), ZERO)

    @property
    def reported(self) -> bool:
        return any(v is not None for line in self.lines for v in line.spent_quarters)

    @property
    def serapan(self) -> Decimal | None:
        pagu = self.pagu
        return achievement.absorption(self.spent, pagu) if pagu else None

    @property
    def capaian_lines(self) -> Decimal | None:
        """The mean capaian of its rated sub-kegiatan (as `GroupResult.capaian`)."""
        return _mean(line.capaian for line in self.lines)

    @property
    def capaian_own(self) -> Decimal | None:
        return _mean(result.capaian.capaian for result in self.indicators)

    @property
    def kinerja(self) -> Decimal | None:
        """What the advice reads: the mean of its own rated indicators (a program's outcome), else the
        mean capaian of its sub-kegiatan."""
        own = self.capaian_own
        return own if own is not None else self.capaian_lines


def node_key(node: PlanNode, opd: Opd | None) -> NodeKey:
    """The same program / kegiatan / sub-kegiatan across years: level, code and OPD."""
    return (node.jenis, node.kode or f"#{node.pk}", opd.pk if opd is not None else None)


@dataclass
class YearData:
    pemda: Pemda
    tahun: int
    triwulan: int
    include_submitted: bool
    evaluation: Evaluation
    figures: list[NodeFigures]
    sasaran_names: dict[int, str]

    @property
    def document(self) -> PlanDocument | None:
        return self.evaluation.document

    def by_key(self) -> dict[NodeKey, NodeFigures]:
        return {f.key: f for f in self.figures}


def _sort_key(node: PlanNode) -> tuple[str, int, int]:
    return (node.kode, node.urutan, node.pk)


def year_data(
    pemda: Pemda,
    tahun: int,
    triwulan: int = 4,
    *,
    include_submitted: bool = False,
    opd_ids: frozenset[int] | None = None,
) -> YearData:
    """Every program, kegiatan and sub-kegiatan of the year's RKPD in tree order, limited to `opd_ids`
    (a program or kegiatan is kept when a sub-kegiatan below it is, or its own OPD is allowed)."""
    ev = evaluate(pemda, tahun, triwulan, include_submitted=include_submitted, opd_ids=opd_ids)
    if ev.document is None:
        return YearData(pemda, tahun, triwulan, include_submitted, ev, [], {})
    nodes = {
        n.pk: n
        for n in PlanNode.objects.filter(dokumen=ev.document, jenis__in=BUDGET_KINDS).select_related("opd")
    }
    children: dict[int | None, list[PlanNode]] = defaultdict(list)
    for node in nodes.values():
        children[node.induk_id if node.induk_id in nodes else None].append(node)
    lines = {line.node.pk: line for line in ev.lines}
    figures: list[NodeFigures] = []

    def walk(node: PlanNode, depth: int, opd: Opd | None) -> list[LineResult]:
        own_opd = node.opd or opd
        position = len(figures)
        figure = NodeFigures(node, own_opd, depth, [], [], triwulan)
        figures.append(figure)
        below: list[LineResult] = [lines[node.pk]] if node.pk in lines else []
        for child in sorted(children.get(node.pk, []), key=_sort_key):
            below.extend(walk(child, depth + 1, own_opd))
        figure.lines = below
        if node.jenis == "sub_kegiatan":
            visible = bool(below)
        else:
            visible = bool(below) or opd_ids is None or (own_opd is not None and own_opd.pk in opd_ids)
        if not visible:
            del figures[position:]
            return []
        return below

    roots = sorted(
        children.get(None, []), key=lambda n: (n.opd.kode if n.opd else "", n.kode, n.urutan, n.pk)
    )
    number = 0
    for root in roots:
        before = len(figures)
        walk(root, 0, None)
        if len(figures) > before:
            number += 1
            _renumber(figures[before:], str(number))
    own = indicator_results(
        [f.node.pk for f in figures if f.node.jenis != "sub_kegiatan"],
        tahun,
        triwulan,
        include_submitted=include_submitted,
    )
    links: dict[int, list[int]] = defaultdict(list)
    for dari, ke in NodeLink.objects.filter(dari_id__in=[f.node.pk for f in figures]).values_list(
        "dari_id", "ke_id"
    ):
        links[dari].append(ke)
    names = {
        pk: f"{kode} {nama}".strip()
        for pk, kode, nama in PlanNode.objects.filter(
            pk__in={ke for kes in links.values() for ke in kes}
        ).values_list("pk", "kode", "nama")
    }
    for figure in figures:
        figure.sasaran_ids = sorted(links.get(figure.node.pk, []))
        line = figure.line
        figure.indicators = list(line.indicators) if line is not None else own.get(figure.node.pk, [])
    return YearData(pemda, tahun, triwulan, include_submitted, ev, figures, {**ev.sasaran_names, **names})


def _renumber(figures: list[NodeFigures], root_number: str) -> None:
    """Outline numbers (1, 1.1, 1.1.1) from the depths, in tree order."""
    counters: list[int] = []
    for figure in figures:
        if figure.depth == 0:
            figure.nomor = root_number
            counters = []
            continue
        while len(counters) < figure.depth:
            counters.append(0)
        del counters[figure.depth :]
        counters[figure.depth - 1] += 1
        figure.nomor = ".".join([root_number, *(str(c) for c in counters)])


# --- reference plans (RPJMD / Renstra) --------------------------------------------------------------


def rpjmd_for(pemda: Pemda, tahun: int, rkpd: PlanDocument | None = None) -> PlanDocument | None:
    """The RPJMD an RKPD derives from, else the newest version of the RPJMD covering `tahun`."""
    if rkpd is not None and rkpd.induk_id is not None:
        parent = PlanDocument.objects.filter(pk=rkpd.induk_id).first()
        if parent is not None and parent.jenis == "RPJMD" and tahun in parent.tahun:
            return parent
    return (
        PlanDocument.objects.filter(
            pemda=pemda, jenis="RPJMD", tahun_mulai__lte=tahun, tahun_akhir__gte=tahun
        )
        .order_by("-tahun_mulai", "-revisi_ke")
        .first()
    )


def _renstra_for(pemda: Pemda, tahun: int) -> list[PlanDocument]:
    newest: dict[int | None, PlanDocument] = {}
    for document in PlanDocument.objects.filter(
        pemda=pemda, jenis="RENSTRA", tahun_mulai__lte=tahun, tahun_akhir__gte=tahun
    ).order_by("tahun_mulai", "revisi_ke"):
        newest[document.opd_id] = document
    return list(newest.values())


def _norm(name: str) -> str:
    return " ".join(name.casefold().split())


def _match(name: str, sole: bool, candidates: Sequence[Any], name_of: Any) -> Any:
    """The candidate with the same name, else the only candidate when the source has one indicator too."""
    wanted = _norm(name)
    for candidate in candidates:
        if _norm(name_of(candidate)) == wanted:
            return candidate
    if sole and len(candidates) == 1:
        return candidates[0]
    return None


@dataclass
class Reference:
    node: PlanNode
    document: PlanDocument
    indicators: list[Indicator]
    target_akhir: dict[int, Decimal]  # indicator id -> end-of-period target
    pagu: Decimal | None  # summed over the period

    def indicator_for(self, indicator: Indicator, sole: bool) -> Indicator | None:
        found: Indicator | None = _match(indicator.nama, sole, self.indicators, lambda i: i.nama)
        return found


class References:
    """The RPJMD and Renstra nodes an RKPD node is compared with (module docstring)."""

    def __init__(self, pemda: Pemda, tahun: int, rkpd: PlanDocument | None) -> None:
        self.rpjmd = rpjmd_for(pemda, tahun, rkpd)
        self.renstra = _renstra_for(pemda, tahun)
        documents = ([self.rpjmd] if self.rpjmd else []) + self.renstra
        self.start = min((d.tahun_mulai for d in documents), default=tahun)
        by_doc = {d.pk: d for d in documents}
        nodes = {
            n.pk: n
            for n in PlanNode.objects.filter(
                dokumen_id__in=list(by_doc), jenis__in=BUDGET_KINDS
            ).select_related("opd")
        }
        indicators: dict[int, list[Indicator]] = defaultdict(list)
        for indicator in Indicator.objects.filter(node_id__in=list(nodes)).order_by("urutan", "id"):
            indicators[indicator.node_id].append(indicator)
        last_year = {d.pk: d.tahun_akhir for d in documents}
        targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for indikator_id, tahun_target, nilai in IndicatorTarget.objects.filter(
            indikator__node_id__in=list(nodes)
        ).values_list("indikator_id", "tahun", "nilai"):
            targets[indikator_id][tahun_target] = nilai
        pagu: dict[int, Decimal] = defaultdict(Decimal)
        for node_id, jumlah in NodeBudget.objects.filter(node_id__in=list(nodes)).values_list(
            "node_id", "jumlah"
        ):
            pagu[node_id] += jumlah
        self.rpjmd_index: dict[tuple[str, str, int | None], Reference] = {}
        self.renstra_index: dict[tuple[str, str, int | None], Reference] = {}
        for node in sorted(nodes.values(), key=lambda n: n.pk):
            if not node.kode:
                continue
            document = by_doc[node.dokumen_id]
            opd_id = self._opd_of(node, nodes) or document.opd_id
            node_targets: dict[int, Decimal] = {}
            for indicator in indicators[node.pk]:
                years = targets.get(indicator.pk, {})
                end = last_year[document.pk]
                if end in years:
                    node_targets[indicator.pk] = years[end]
                elif years:
                    node_targets[indicator.pk] = years[max(years)]
            reference = Reference(node, document, indicators[node.pk], node_targets, pagu.get(node.pk))
            index = self.rpjmd_index if document.jenis == "RPJMD" else self.renstra_index
            index.setdefault((node.jenis, node.kode, opd_id), reference)

    @staticmethod
    def _opd_of(node: PlanNode, nodes: dict[int, PlanNode]) -> int | None:
        current: PlanNode | None = node
        while current is not None:
            if current.opd_id is not None:
                return current.opd_id
            current = nodes.get(current.induk_id) if current.induk_id is not None else None
        return None

    def find(self, node: PlanNode, opd: Opd | None) -> Reference | None:
        if not node.kode:
            return None
        opd_id = opd.pk if opd is not None else None
        rpjmd = self.rpjmd_index.get((node.jenis, node.kode, opd_id)) or self.rpjmd_index.get(
            (node.jenis, node.kode, None)
        )
        renstra = self.renstra_index.get((node.jenis, node.kode, opd_id))
        if node.jenis == "program":
            return rpjmd or renstra
        return renstra or rpjmd


# --- (a) RKPD evaluation table ----------------------------------------------------------------------


def _pair(key: str, group: str, number: str, *, pct: bool = False) -> list[Column]:
    return [
        Column(f"{key}_k", _("K"), group, number, PCT if pct else K, 11),
        Column(f"{key}_rp", _("Rp"), group, "", PCT if pct else RP, 16),
    ]


def rkpd_columns(tahun: int, akhir: int | None) -> list[Column]:
    akhir_text = str(akhir) if akhir else "-"
    columns = [
        Column("no", "No", number="1", width=9),
        Column("sasaran", _("Sasaran"), number="2", width=26),
        Column("kode", _("Kode"), number="3", width=18),
        Column("nama", _("Program/kegiatan/sub-kegiatan"), number="4", width=40),
        Column("indikator", _("Indikator kinerja program (outcome)/kegiatan (output)"), number="5", width=34),
    ]
    columns += _pair(
        "t_akhir", _("Target RPJMD/Renstra pada akhir periode (%(tahun)s)") % {"tahun": akhir_text}, "6"
    )
    columns += _pair(
        "lalu",
        _("Realisasi capaian kinerja RPJMD s.d. RKPD tahun lalu (%(tahun)s)") % {"tahun": tahun - 1},
        "7",
    )
    columns += _pair(
        "target", _("Target kinerja dan anggaran RKPD tahun berjalan (%(tahun)s)") % {"tahun": tahun}, "8"
    )
    for quarter in (1, 2, 3, 4):
        columns += _pair(
            f"tw{quarter}",
            _("Realisasi kinerja pada triwulan %(triwulan)s") % {"triwulan": ROMAN[quarter]},
            str(8 + quarter),
        )
    columns += _pair("real", _("Realisasi capaian kinerja dan anggaran RKPD yang dievaluasi"), "13")
    columns += _pair(
        "tingkat",
        _("Tingkat capaian kinerja dan realisasi anggaran RKPD yang dievaluasi (%)"),
        "14",
        pct=True,
    )
    columns += _pair(
        "rpjmd", _("Realisasi kinerja dan anggaran RPJMD s.d. tahun %(tahun)s") % {"tahun": tahun}, "15"
    )
    columns += _pair(
        "tingkat_rpjmd",
        _("Tingkat capaian kinerja dan realisasi anggaran RPJMD s.d. tahun %(tahun)s (%%)")
        % {"tahun": tahun},
        "16",
        pct=True,
    )
    columns += [
        Column("opd", _("Perangkat daerah penanggung jawab"), number="17", width=28),
        Column("keterangan", _("Keterangan"), number="18", width=36),
    ]
    return columns


def _predikat_text(capaian: Decimal | None) -> str:
    if capaian is None:
        return ""
    return achievement.predikat_label(achievement.predikat(capaian))


def _scope_text(opd_ids: frozenset[int] | None) -> str:
    if opd_ids is None:
        return ""
    names = list(Opd.objects.filter(pk__in=opd_ids).order_by("kode").values_list("nama", flat=True))
    return _("Dibatasi pada OPD: %(opd)s.") % {"opd": ", ".join(names) or "-"}


def _basis_text(include_submitted: bool) -> str:
    if include_submitted:
        return _(
            "Realisasi yang dihitung: terverifikasi dan yang diajukan tetapi belum diverifikasi (sementara)."
        )
    return _("Realisasi yang dihitung: hanya yang terverifikasi.")


def legend_text() -> str:
    return _(
        "Predikat capaian (Permendagri 86/2017): ≥ 91 Sangat Tinggi; 76 s.d. < 91 Tinggi; 66 s.d. < 76 "
        "Sedang; 51 s.d. < 66 Rendah; < 51 Sangat Rendah."
    )


class _History:
    """Earlier years' figures of the same nodes, for columns 7, 15 and 16."""

    def __init__(self, years: dict[int, YearData]) -> None:
        self.years = {y: data.by_key() for y, data in sorted(years.items())}

    def figures(self, key: NodeKey) -> dict[int, NodeFigures]:
        return {y: by_key[key] for y, by_key in self.years.items() if key in by_key}

    def realizations(self, key: NodeKey, indicator: Indicator, sole: bool) -> dict[int, Decimal | None]:
        found: dict[int, Decimal | None] = {}
        for y, figure in self.figures(key).items():
            match: IndicatorResult | None = _match(
                indicator.nama, sole, figure.indicators, lambda r: r.indicator.nama
            )
            if match is not None:
                found[y] = match.realisasi
        return found


def _end_of_period(values: dict[int, Decimal | None], agregasi: str) -> Decimal | None:
    try:
        return achievement.end_of_period_realization(values, agregasi)
    except ValueError:
        return None


def _node_cells(
    figure: NodeFigures, reference: Reference | None, history: _History, names: dict[int, str]
) -> dict[str, Any]:
    node = figure.node
    cells: dict[str, Any] = {
        "no": figure.nomor,
        "sasaran": "; ".join(names.get(pk, "") for pk in figure.sasaran_ids),
        "kode": node.kode,
        "nama": node.nama,
        "opd": figure.opd.nama if figure.opd is not None else "",
        "target_rp": figure.pagu,
        "real_rp": figure.spent if figure.reported else None,
        "tingkat_rp": figure.serapan if figure.reported else None,
    }
    for index, value in enumerate(figure.spent_quarters):
        cells[f"tw{index + 1}_rp"] = value
    earlier = history.figures(figure.key)
    earlier_spent = [f.spent for f in earlier.values() if f.reported]
    lalu_rp = sum(earlier_spent, ZERO) if earlier_spent else None
    cells["lalu_rp"] = lalu_rp
    total = (lalu_rp or ZERO) + (figure.spent if figure.reported else ZERO)
    cells["rpjmd_rp"] = total if (lalu_rp is not None or figure.reported) else None
    if reference is not None:
        cells["t_akhir_rp"] = reference.pagu
        if reference.pagu and cells["rpjmd_rp"] is not None:
            cells["tingkat_rpjmd_rp"] = achievement.absorption(cells["rpjmd_rp"], reference.pagu)
    return cells


def _indicator_cells(
    figure: NodeFigures,
    result: IndicatorResult,
    reference: Reference | None,
    history: _History,
    tahun: int,
) -> dict[str, Any]:
    indicator = result.indicator
    sole = len(figure.indicators) == 1
    satuan = f" ({indicator.satuan})" if indicator.satuan else ""
    cells: dict[str, Any] = {
        "indikator": f"{indicator.nama}{satuan}",
        "target_k": result.target,
        "real_k": result.realisasi,
        "tingkat_k": result.capaian.capaian,
    }
    for index, value in enumerate(result.quarters):
        cells[f"tw{index + 1}_k"] = value
    notes = []
    if result.capaian.predikat:
        notes.append(achievement.predikat_label(result.capaian.predikat))
    elif result.capaian.alasan:
        notes.append(result.capaian.alasan)
    ref_indicator = reference.indicator_for(indicator, sole) if reference is not None else None
    agregasi = ref_indicator.agregasi if ref_indicator is not None else indicator.agregasi
    polaritas = ref_indicator.polaritas if ref_indicator is not None else indicator.polaritas
    earlier = history.realizations(figure.key, indicator, sole)
    cells["lalu_k"] = _end_of_period(earlier, agregasi)
    combined = {**earlier, tahun: result.realisasi}
    cells["rpjmd_k"] = _end_of_period(combined, agregasi)
    if reference is not None and ref_indicator is not None:
        target_akhir = reference.target_akhir.get(ref_indicator.pk)
        cells["t_akhir_k"] = target_akhir
        if target_akhir is not None:
            try:
                akhir = achievement.capaian_akhir_periode(target_akhir, combined, polaritas, agregasi)
            except ValueError as exc:
                akhir = achievement.Capaian(None, None, str(exc))
            cells["tingkat_rpjmd_k"] = akhir.capaian
            if akhir.predikat:
                notes.append(
                    _("RPJMD: %(predikat)s") % {"predikat": achievement.predikat_label(akhir.predikat)}
                )
    cells["keterangan"] = "; ".join(notes)
    return cells


def rkpd_table(
    pemda: Pemda,
    tahun: int,
    triwulan: int = 4,
    *,
    include_submitted: bool = False,
    opd_ids: frozenset[int] | None = None,
) -> Table:
    """The RKPD evaluation table of `tahun` up to `triwulan` (module docstring)."""
    current = year_data(pemda, tahun, triwulan, include_submitted=include_submitted, opd_ids=opd_ids)
    document = current.document
    if document is None:
        raise NotFoundError(
            _("Belum ada RKPD tahun %(tahun)s untuk %(pemda)s: evaluasi dibuat terhadap RKPD.")
            % {"tahun": tahun, "pemda": pemda.nama},
            code="rkpd_tidak_ada",
        )
    references = References(pemda, tahun, document)
    earlier = {
        y: year_data(pemda, y, 4, include_submitted=include_submitted, opd_ids=opd_ids)
        for y in range(max(references.start, tahun - ADVICE_YEARS + 1), tahun)
    }
    history = _History({y: d for y, d in earlier.items() if d.document is not None})
    akhir = references.rpjmd.tahun_akhir if references.rpjmd else None
    columns = rkpd_columns(tahun, akhir)
    rows: list[Row] = []
    for figure in current.figures:
        reference = references.find(figure.node, figure.opd)
        base = _node_cells(figure, reference, history, current.sasaran_names)
        notes = []
        if figure.node.jenis != "sub_kegiatan" and figure.capaian_lines is not None:
            notes.append(
                _("Rata-rata capaian sub-kegiatan: %(capaian)s (%(predikat)s)")
                % {
                    "capaian": achievement.persen(figure.capaian_lines),
                    "predikat": _predikat_text(figure.capaian_lines),
                }
            )
        results: list[IndicatorResult | None] = list(figure.indicators) or [None]
        for index, result in enumerate(results):
            cells = dict(base) if index == 0 else {}
            if result is not None:
                cells.update(_indicator_cells(figure, result, reference, history, tahun))
            else:
                cells["keterangan"] = _("belum ada indikator")
            if index == 0 and notes:
                cells["keterangan"] = "; ".join(filter(None, [cells.get("keterangan", ""), *notes]))
            rows.append(Row(figure.node.jenis, cells))
    total = current.evaluation.total()
    rows.append(Row("total", _total_cells(total, current)))
    subtitle = [
        _("%(pemda)s · %(dokumen)s · realisasi s.d. triwulan %(triwulan)s tahun %(tahun)s")
        % {"pemda": pemda.nama, "dokumen": document.nama, "triwulan": ROMAN[triwulan], "tahun": tahun},
        _basis_text(include_submitted),
    ]
    if references.rpjmd is not None:
        subtitle.append(
            _("Acuan akhir periode: %(dokumen)s dan Renstra OPD.") % {"dokumen": references.rpjmd.nama}
        )
    else:
        subtitle.append(
            _("Belum ada RPJMD yang mencakup tahun %(tahun)s: kolom 6, 7, 15 dan 16 hanya dari Renstra OPD.")
            % {"tahun": tahun}
        )
    if scope := _scope_text(opd_ids):
        subtitle.append(scope)
    subtitle.append(_("Dibuat %(waktu)s.") % {"waktu": timezone.localtime().strftime("%d-%m-%Y %H:%M")})
    notes = [
        _("K = kinerja (nilai indikator), Rp = anggaran (rupiah)."),
        _(
            "Rp program dan kegiatan = jumlah sub-kegiatan di bawahnya; realisasi RPJMD menggabungkan "
            "tahun-tahun RKPD sebelumnya menurut agregasi indikator (kumulatif dijumlahkan, lainnya nilai "
            "tahun terakhir)."
        ),
        legend_text(),
    ]
    return Table(
        title=_("Evaluasi terhadap hasil RKPD %(pemda)s tahun %(tahun)s")
        % {"pemda": pemda.nama, "tahun": tahun},
        subtitle=subtitle,
        columns=columns,
        rows=rows,
        notes=notes,
        sheet=_("Evaluasi RKPD %(tahun)s") % {"tahun": tahun},
        filename=f"evaluasi-rkpd-{safe_filename(pemda.kode)}-{tahun}-tw{triwulan}",
        frozen_columns=5,
        charts=_rkpd_charts(current.evaluation),
    )


def _total_cells(total: GroupResult, current: YearData) -> dict[str, Any]:
    cells: dict[str, Any] = {
        "nama": _("Jumlah / rata-rata %(pemda)s") % {"pemda": current.pemda.nama},
        "target_rp": total.pagu,
        "real_rp": total.spent,
        "tingkat_k": total.capaian,
        "tingkat_rp": total.serapan,
        "keterangan": _predikat_text(total.capaian),
    }
    for index in range(current.triwulan):
        reported = [
            line.spent_quarters[index] for line in total.lines if line.spent_quarters[index] is not None
        ]
        cells[f"tw{index + 1}_rp"] = sum((v for v in reported if v is not None), ZERO) if reported else None
    return cells


def safe_filename(text: str) -> str:
    return "".join(c if c.isalnum() or c in ".-" else "-" for c in text)


def _rkpd_charts(ev: Evaluation) -> list[tuple[str, SafeString]]:
    try:
        from rencana.monitoring import charts
    except ImportError:  # pragma: no cover - the charts module is optional
        return []
    total = ev.total()
    bars = [
        charts.Bar(label=group.label or _("(tanpa OPD)"), capaian=group.capaian) for group in ev.per_opd()
    ]
    by_opd = _("Capaian per OPD")
    by_predikat = _("Sub-kegiatan per predikat")
    return [
        (by_opd, charts.capaian_bars(bars, title=by_opd, chart_id="laporan-capaian-opd")),
        (
            by_predikat,
            charts.predikat_stack(
                total.counts(),
                title=by_predikat,
                unrated=len(total.lines) - total.rated,
                chart_id="laporan-predikat",
            ),
        ),
    ]


# --- (b) RPJMD end-of-period table ------------------------------------------------------------------


def rpjmd_table(
    pemda: Pemda,
    tahun: int,
    triwulan: int = 4,
    *,
    include_submitted: bool = False,
    opd_ids: frozenset[int] | None = None,
) -> Table:
    """Capaian of the RPJMD's tujuan and sasaran against the end-of-period targets, up to `tahun`.

    For an OPD operator (`opd_ids` given) only the sasaran its OPD's plan nodes are linked to."""
    document = rpjmd_for(pemda, tahun)
    if document is None:
        raise NotFoundError(
            _("Belum ada RPJMD yang mencakup tahun %(tahun)s untuk %(pemda)s.")
            % {"tahun": tahun, "pemda": pemda.nama},
            code="rpjmd_tidak_ada",
        )
    nodes = list(PlanNode.objects.filter(dokumen=document, jenis__in=("tujuan", "sasaran")))
    if opd_ids is not None:
        served = set(
            NodeLink.objects.filter(dari__opd_id__in=opd_ids, ke__dokumen=document).values_list(
                "ke_id", flat=True
            )
        )
        nodes = [n for n in nodes if n.jenis == "sasaran" and n.pk in served]
    tujuan = sorted((n for n in nodes if n.jenis == "tujuan"), key=_sort_key)
    sasaran_by_parent: dict[int | None, list[PlanNode]] = defaultdict(list)
    tujuan_ids = {n.pk for n in tujuan}
    for node in nodes:
        if node.jenis == "sasaran":
            sasaran_by_parent[node.induk_id if node.induk_id in tujuan_ids else None].append(node)
    ordered: list[tuple[PlanNode, str]] = []
    for index, node in enumerate(tujuan, start=1):
        ordered.append((node, str(index)))
        for sub_index, child in enumerate(sorted(sasaran_by_parent.get(node.pk, []), key=_sort_key), start=1):
            ordered.append((child, f"{index}.{sub_index}"))
    for index, node in enumerate(
        sorted(sasaran_by_parent.get(None, []), key=_sort_key), start=len(tujuan) + 1
    ):
        ordered.append((node, str(index)))
    node_ids = [n.pk for n, _nomor in ordered]
    years = list(document.tahun)
    evaluated = [y for y in years if y <= tahun]
    per_year = {
        y: indicator_results(node_ids, y, triwulan if y == tahun else 4, include_submitted=include_submitted)
        for y in evaluated
    }
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indikator_id, tahun_target, nilai in IndicatorTarget.objects.filter(
        indikator__node_id__in=node_ids
    ).values_list("indikator_id", "tahun", "nilai"):
        targets[indikator_id][tahun_target] = nilai
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(node_id__in=node_ids).order_by("urutan", "id"):
        indicators[indicator.node_id].append(indicator)
    columns = rpjmd_columns(document, tahun)
    rows: list[Row] = []
    akhir_ratings: list[tuple[PlanNode, achievement.Capaian]] = []
    for node, nomor in ordered:
        base: dict[str, Any] = {"no": nomor, "kode": node.kode, "nama": node.nama}
        if not indicators[node.pk]:
            rows.append(Row(node.jenis, {**base, "keterangan": _("belum ada indikator")}))
            continue
        for index, indicator in enumerate(indicators[node.pk]):
            cells = dict(base) if index == 0 else {}
            cells.update(_rpjmd_indicator_cells(document, indicator, targets[indicator.pk], per_year, tahun))
            rating = cells.pop("_akhir")
            akhir_ratings.append((node, rating))
            rows.append(Row(node.jenis, cells))
    subtitle = [
        _("%(pemda)s · %(dokumen)s · realisasi s.d. triwulan %(triwulan)s tahun %(tahun)s")
        % {"pemda": pemda.nama, "dokumen": document.nama, "triwulan": ROMAN[triwulan], "tahun": tahun},
        _basis_text(include_submitted),
    ]
    if opd_ids is not None:
        subtitle.append(
            _("Hanya sasaran yang dilayani program/kegiatan OPD Anda.") + " " + _scope_text(opd_ids)
        )
    subtitle.append(_("Dibuat %(waktu)s.") % {"waktu": timezone.localtime().strftime("%d-%m-%Y %H:%M")})
    notes = [
        _(
            "Realisasi tahunan = laporan Bappeda atas tujuan/sasaran itu sendiri, triwulan digabung menurut "
            "agregasi indikator. Realisasi akhir periode: indikator kumulatif dijumlahkan antartahun, "
            "lainnya memakai nilai tahun terakhir yang dilaporkan."
        ),
        legend_text(),
    ]
    return Table(
        title=_("Evaluasi capaian akhir periode %(dokumen)s") % {"dokumen": document.nama},
        subtitle=subtitle,
        columns=columns,
        rows=rows,
        notes=notes,
        sheet=_("Evaluasi RPJMD %(tahun)s") % {"tahun": tahun},
        filename=f"evaluasi-rpjmd-{safe_filename(pemda.kode)}-{tahun}-tw{triwulan}",
        frozen_columns=4,
        charts=_rpjmd_charts(akhir_ratings),
    )


def rpjmd_columns(document: PlanDocument, tahun: int) -> list[Column]:
    columns = [
        Column("no", "No", number="1", width=9),
        Column("kode", _("Kode"), number="2", width=10),
        Column("nama", _("Tujuan/sasaran"), number="3", width=36),
        Column("indikator", _("Indikator kinerja"), number="4", width=32),
        Column("satuan", _("Satuan"), number="5", width=10),
        Column("baseline", _("Kondisi awal"), number="6", kind=K, width=11),
        Column(
            "t_akhir",
            _("Target akhir periode (%(tahun)s)") % {"tahun": document.tahun_akhir},
            number="7",
            kind=K,
            width=13,
        ),
    ]
    number = 8
    for y in document.tahun:
        group = str(y)
        columns += [
            Column(f"t{y}", _("Target"), group, str(number), K, 11),
            Column(f"r{y}", _("Realisasi"), group, "", K, 11),
            Column(f"c{y}", _("Capaian (%)"), group, "", PCT, 10),
        ]
        number += 1
    group = _("Akhir periode s.d. %(tahun)s") % {"tahun": tahun}
    columns += [
        Column("r_akhir", _("Realisasi"), group, str(number), K, 12),
        Column("c_akhir", _("Capaian (%)"), group, "", PCT, 11),
        Column("predikat", _("Predikat"), group, "", TEXT, 14),
        Column("keterangan", _("Keterangan"), number=str(number + 1), width=40),
    ]
    return columns


def _rpjmd_indicator_cells(
    document: PlanDocument,
    indicator: Indicator,
    targets: dict[int, Decimal],
    per_year: dict[int, dict[int, list[IndicatorResult]]],
    tahun: int,
) -> dict[str, Any]:
    cells: dict[str, Any] = {
        "indikator": indicator.nama,
        "satuan": indicator.satuan,
        "baseline": indicator.baseline_nilai,
    }
    end = document.tahun_akhir
    target_akhir = targets.get(end) if end in targets else (targets[max(targets)] if targets else None)
    cells["t_akhir"] = target_akhir
    annual: dict[int, Decimal | None] = {}
    for y in document.tahun:
        cells[f"t{y}"] = targets.get(y)
        results = per_year.get(y)
        if results is None:
            continue
        result = next((r for r in results.get(indicator.node_id, []) if r.indicator.pk == indicator.pk), None)
        if result is None:
            continue
        annual[y] = result.realisasi
        cells[f"r{y}"] = result.realisasi
        cells[f"c{y}"] = result.capaian.capaian
    realisasi = _end_of_period(annual, indicator.agregasi)
    cells["r_akhir"] = realisasi
    if target_akhir is None:
        rating = achievement.Capaian(None, None, _("target akhir periode belum diisi"))
    else:
        try:
            rating = achievement.capaian_akhir_periode(
                target_akhir, annual, indicator.polaritas, indicator.agregasi
            )
        except ValueError as exc:
            rating = achievement.Capaian(None, None, str(exc))
    cells["c_akhir"] = rating.capaian
    cells["predikat"] = achievement.predikat_label(rating.predikat) if rating.predikat else ""
    reported = [y for y, v in annual.items() if v is not None]
    if rating.alasan:
        cells["keterangan"] = rating.alasan
    elif indicator.agregasi == achievement.KUMULATIF:
        cells["keterangan"] = _("kumulatif: jumlah tahun %(tahun)s") % {
            "tahun": ", ".join(str(y) for y in reported)
        }
    else:
        cells["keterangan"] = _("nilai tahun terakhir yang dilaporkan (%(tahun)s)") % {"tahun": max(reported)}
    cells["_akhir"] = rating
    return cells


def _rpjmd_charts(ratings: list[tuple[PlanNode, achievement.Capaian]]) -> list[tuple[str, SafeString]]:
    try:
        from rencana.monitoring import charts
    except ImportError:  # pragma: no cover - the charts module is optional
        return []
    counts = {band.predikat: 0 for band in achievement.BANDS}
    unrated = 0
    per_node: dict[int, list[Decimal | None]] = defaultdict(list)
    labels: dict[int, str] = {}
    for node, rating in ratings:
        if rating.predikat:
            counts[rating.predikat] += 1
        else:
            unrated += 1
        per_node[node.pk].append(rating.capaian)
        labels[node.pk] = str(node)
    bars = [charts.Bar(label=labels[pk], capaian=_mean(values)) for pk, values in per_node.items()]
    by_node = _("Capaian akhir periode per tujuan/sasaran")
    by_predikat = _("Indikator per predikat akhir periode")
    return [
        (by_node, charts.capaian_bars(bars, title=by_node, chart_id="laporan-rpjmd")),
        (
            by_predikat,
            charts.predikat_stack(
                counts, title=by_predikat, unrated=unrated, chart_id="laporan-rpjmd-predikat"
            ),
        ),
    ]


# --- writers ----------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="8C959F")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
_NUMBER_FILL = PatternFill("solid", fgColor="F4F6F8")
_LEVEL_FILL = {
    "program": PatternFill("solid", fgColor="F2F5F9"),
    "total": PatternFill("solid", fgColor="E8EEF5"),
}
NUMBER_FORMATS = {K: "#,##0.00##", RP: "#,##0", PCT: "0.00"}


def table_xlsx(table: Table) -> bytes:
    """The table as one worksheet: title rows, the two-level header and its numbering row, the rows."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.sheet[:31]
    width = len(table.columns)
    sheet.cell(row=1, column=1, value=table.title).font = Font(bold=True, size=13)
    for offset, line in enumerate(table.subtitle, start=2):
        sheet.cell(row=offset, column=1, value=line).font = Font(italic=True, size=9)
    top = len(table.subtitle) + 3
    header = Font(bold=True, size=9)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    levels = 2 if table.grouped else 1
    for first, last, group, number in table.spans():
        if group:
            sheet.cell(row=top, column=first + 1, value=group)
            sheet.merge_cells(start_row=top, start_column=first + 1, end_row=top, end_column=last + 1)
            for index in range(first, last + 1):
                sheet.cell(row=top + 1, column=index + 1, value=table.columns[index].label)
        else:
            sheet.cell(row=top, column=first + 1, value=table.columns[first].label)
            if levels == 2:
                sheet.merge_cells(
                    start_row=top, start_column=first + 1, end_row=top + 1, end_column=first + 1
                )
        if table.numbered:
            sheet.cell(row=top + levels, column=first + 1, value=number)
            if last > first:
                sheet.merge_cells(
                    start_row=top + levels, start_column=first + 1, end_row=top + levels, end_column=last + 1
                )
    header_rows = levels + (1 if table.numbered else 0)
    for header_row in range(top, top + header_rows):
        for header_column in range(1, width + 1):
            head = sheet.cell(row=header_row, column=header_column)
            head.font = header
            head.alignment = centre
            head.border = _BORDER
            head.fill = _NUMBER_FILL if table.numbered and header_row == top + levels else _HEADER_FILL
    if levels == 2:
        sheet.row_dimensions[top].height = 54
    first_data = top + header_rows
    wrap = Alignment(wrap_text=True, vertical="top")
    for offset, data in enumerate(table.rows):
        row_number = first_data + offset
        fill = _LEVEL_FILL.get(data.level)
        bold = data.level in ("program", "total", "tujuan")
        for index, column in enumerate(table.columns, start=1):
            value = data.cells.get(column.key)
            cell = sheet.cell(row=row_number, column=index, value=_xlsx_value(value))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text typed by users is never a formula
            cell.border = _BORDER
            cell.font = Font(size=9, bold=bold)
            if column.kind != TEXT:
                cell.number_format = NUMBER_FORMATS[column.kind]
                cell.alignment = Alignment(vertical="top")
            else:
                cell.alignment = wrap
            if fill is not None:
                cell.fill = fill
    note_row = first_data + len(table.rows) + 1
    for offset, note in enumerate(table.notes):
        sheet.cell(row=note_row + offset, column=1, value=note).font = Font(italic=True, size=9)
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"{get_column_letter(table.frozen_columns + 1)}{first_data}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{top}:{first_data - 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return value


PDF_CSS = """
@page { size: A4 landscape; margin: 12mm 10mm 14mm 10mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 7pt; color: #59636e; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 5.5pt; color: #1b1f24; }
h1 { font-size: 11pt; margin: 0 0 2mm; }
p.sub { margin: 0 0 1mm; color: #59636e; }
table { border-collapse: collapse; width: 100%; margin-top: 3mm; table-layout: fixed; }
thead { display: table-header-group; }
th, td { border: 0.4pt solid #8c959f; padding: 0.5mm 0.6mm; vertical-align: top; overflow-wrap: break-word; }
th { background: #e8eef5; font-weight: bold; text-align: center; vertical-align: middle; }
tr.nomor th { background: #f4f6f8; font-weight: normal; }
td.num { text-align: right; }
tr.program td, tr.tujuan td, tr.total td { font-weight: bold; background: #f2f5f9; }
tr.program td.num, tr.tujuan td.num, tr.total td.num { font-weight: normal; }
tr { page-break-inside: avoid; }
.notes { margin-top: 3mm; color: #59636e; }
.notes p { margin: 0 0 1mm; }
.charts { page-break-before: always; }
.charts h2 { font-size: 9pt; margin: 0 0 2mm; }
.charts svg { display: block; margin: 0 0 6mm; max-width: 100%; height: auto; }
"""


def _pdf_weight(column: Column) -> float:
    if column.kind == RP:
        return 12
    if column.kind == PCT:
        return 10
    if column.kind == K:
        return 8
    return max(column.width * 0.6, 5)


def _wrappable(text: str) -> str:
    """Lets long numbers and codes break after their dots in narrow PDF columns (zero-width space)."""
    return text.replace(".", ".\u200b")


def pdf_context(table: Table) -> dict[str, Any]:
    """What `monitoring/report_pdf.html` reads: column widths, header spans and the cells as text."""
    top: list[dict[str, Any]] = []
    second: list[str] = []
    numbers: list[dict[str, Any]] = []
    for first, last, group, number in table.spans():
        span = last - first + 1
        if group:
            top.append({"text": group, "colspan": span, "rowspan": 1})
            second.extend(table.columns[i].label for i in range(first, last + 1))
        else:
            top.append(
                {"text": table.columns[first].label, "colspan": 1, "rowspan": 2 if table.grouped else 1}
            )
        numbers.append({"text": number, "colspan": span})
    weights = [_pdf_weight(c) for c in table.columns]
    widths = [f"{100 * w / sum(weights):.2f}" for w in weights]
    wrapped = {"kode", "no"}
    rows = [
        {
            "level": row.level,
            "cells": [
                {
                    "text": _wrappable(text) if c.kind != TEXT or c.key in wrapped else text,
                    "num": c.kind != TEXT,
                }
                for c in table.columns
                for text in (display(row.cells.get(c.key), c.kind),)
            ],
        }
        for row in table.rows
    ]
    return {"table": table, "widths": widths, "top": top, "second": second, "numbers": numbers, "rows": rows}


def table_pdf(table: Table) -> bytes:
    """The table as a landscape A4 PDF (WeasyPrint); `PdfUnavailableError` when it cannot run here."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(
            _(
                "PDF tidak dapat dibuat di server ini: WeasyPrint atau pustaka sistemnya tidak tersedia "
                "(%(sebab)s). Pasang paket Python weasyprint dan paket Debian %(paket)s, lalu coba lagi; "
                "sementara itu unduh versi XLSX."
            )
            % {"sebab": type(exc).__name__, "paket": DEBIAN_PDF_PACKAGES}
        ) from exc
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:  # one INFO line per layout step is noise; settings may override
        progress.setLevel(logging.WARNING)
    html = render_to_string("monitoring/report_pdf.html", pdf_context(table))
    # Everything is inline: no file, network or data URL is ever fetched while rendering.
    fetcher = URLFetcher(allowed_protocols=())
    try:
        document = HTML(string=html, url_fetcher=fetcher)
        data: bytes = document.write_pdf(stylesheets=[CSS(string=PDF_CSS, url_fetcher=fetcher)])
    except OSError as exc:
        raise PdfUnavailableError(
            _("PDF gagal dibuat: %(sebab)s. Periksa paket Debian %(paket)s; sementara itu unduh versi XLSX.")
            % {"sebab": exc, "paket": DEBIAN_PDF_PACKAGES}
        ) from exc
    return data


def render_table(table: Table, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the table as XLSX or PDF."""
    if fmt == "pdf":
        return table_pdf(table), PDF_TYPE, f"{table.filename}.pdf"
    if fmt == "xlsx":
        return table_xlsx(table), XLSX_TYPE, f"{table.filename}.xlsx"
    raise ApplicationError(_("Format harus xlsx atau pdf."))


# --- JSON of the evaluation (`rencana monev evaluate --format json`) --------------------------------


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _group_dict(group: GroupResult) -> dict[str, Any]:
    return {
        "kunci": group.key,
        "nama": group.label,
        "jumlah_sub_kegiatan": len(group.lines),
        "dinilai": group.rated,
        "capaian": _dec(group.capaian),
        "predikat": group.predikat,
        "pagu": _dec(group.pagu),
        "realisasi_anggaran": _dec(group.spent),
        "serapan": _dec(group.serapan),
        "per_predikat": group.counts(),
    }


def evaluation_to_dict(ev: Evaluation) -> dict[str, Any]:
    """Totals, per OPD, per sasaran, per program and every line with its indicators (numbers as exact
    decimal strings, percent with 2 decimals)."""
    return {
        "pemda": {"kode": ev.pemda.kode, "nama": ev.pemda.nama},
        "tahun": ev.tahun,
        "triwulan": ev.triwulan,
        "dasar": "terverifikasi_dan_diajukan" if ev.include_submitted else "terverifikasi",
        "dokumen": None if ev.document is None else {"id": ev.document.pk, "nama": ev.document.nama},
        "total": _group_dict(ev.total()),
        "per_opd": [_group_dict(g) for g in ev.per_opd()],
        "per_sasaran": [{**_group_dict(g), "sasaran_id": int(g.key) or None} for g in ev.per_sasaran()],
        "per_program": [_group_dict(g) for g in ev.per_program()],
        "baris": [_line_dict(line) for line in ev.lines],
    }


def _line_dict(line: LineResult) -> dict[str, Any]:
    node = line.node
    efficiency = line.efficiency
    return {
        "node_id": node.pk,
        "kode": node.kode,
        "nama": node.nama,
        "opd": None if node.opd is None else {"kode": node.opd.kode, "nama": node.opd.nama},
        "program": None if line.program is None else line.program.kode,
        "kegiatan": None if line.kegiatan is None else line.kegiatan.kode,
        "sasaran_ids": line.sasaran_ids,
        "status_triwulan": line.statuses,
        "pagu": _dec(line.pagu),
        "realisasi_anggaran_triwulan": [_dec(v) for v in line.spent_quarters],
        "realisasi_anggaran": _dec(line.spent),
        "serapan": _dec(line.serapan),
        "capaian": _dec(line.capaian),
        "predikat": line.predikat,
        "efisiensi": {"kategori": efficiency.kategori, "penjelasan": efficiency.penjelasan},
        "bukti": line.evidence,
        "indikator": [
            {
                "id": r.indicator.pk,
                "nama": r.indicator.nama,
                "satuan": r.indicator.satuan,
                "polaritas": r.indicator.polaritas,
                "agregasi": r.indicator.agregasi,
                "target": _dec(r.target),
                "triwulan": [_dec(v) for v in r.quarters],
                "realisasi": _dec(r.realisasi),
                "capaian": _dec(r.capaian.capaian),
                "predikat": r.capaian.predikat,
                "alasan": r.capaian.alasan,
            }
            for r in line.indicators
        ],
    }


# --- early warning ----------------------------------------------------------------------------------


@dataclass
class WarningLine:
    line: LineResult
    warnings: list[warning.EarlyWarning]
    skipped: list[str]  # indicators left out (no target) and why

    @property
    def worst(self) -> warning.Severity | None:
        if not self.warnings:
            return None
        return min((w.tingkat for w in self.warnings), key=lambda s: warning.SEVERITY_RANK[s])


@dataclass
class WarningReport:
    evaluation: Evaluation
    lines: list[WarningLine]  # the sub-kegiatan with at least one warning, worst first
    checked: int

    def counts(self) -> dict[str, int]:
        counts = {severity.value: 0 for severity in warning.Severity}
        for item in self.lines:
            for found in item.warnings:
                counts[found.tingkat.value] += 1
        return counts


def _padded(values: Sequence[Decimal | None]) -> tuple[Decimal | None, ...]:
    return tuple(list(values) + [None] * (4 - len(values)))


def early_warnings(
    pemda: Pemda,
    tahun: int,
    triwulan: int,
    *,
    include_submitted: bool = True,
    opd_ids: frozenset[int] | None = None,
) -> WarningReport:
    """`warning.warnings_for` after `triwulan` for every sub-kegiatan of the year's RKPD in scope.

    Inputs: an indicator with an annual target (without one it cannot be projected and is listed as
    skipped) and its reported values for quarters 1..triwulan; the sub-kegiatan's pagu (when above 0)
    and the budget reported per quarter. By default verified and submitted realizations count (the
    freshest data a warning can use); `include_submitted=False` counts verified ones only. A quarter
    whose current revision is a draft or returned counts as not reported."""
    ev = evaluate(pemda, tahun, triwulan, include_submitted=include_submitted, opd_ids=opd_ids)
    found_lines: list[WarningLine] = []
    for line in ev.lines:
        found: list[warning.EarlyWarning] = []
        skipped: list[str] = []
        for result in line.indicators:
            indicator = result.indicator
            if result.target is None:
                skipped.append(
                    _("%(indikator)s: target tahun ini belum diisi, tidak dapat diproyeksikan.")
                    % {"indikator": indicator.nama}
                )
                continue
            progress = warning.IndicatorProgress(
                id=indicator.pk,
                nama=indicator.nama,
                target=result.target,
                polaritas=indicator.polaritas,
                agregasi=indicator.agregasi,
                triwulan=_padded(result.quarters),
                satuan=indicator.satuan,
            )
            try:
                found.extend(warning.warnings_for(triwulan, [progress]))
            except ValueError as exc:
                skipped.append(f"{indicator.nama}: {exc}")
        if line.pagu > 0:
            budget = warning.BudgetProgress(
                id=line.node.pk, nama=str(line.node), pagu=line.pagu, triwulan=_padded(line.spent_quarters)
            )
            try:
                found.extend(warning.warnings_for(triwulan, budgets=[budget]))
            except ValueError as exc:
                skipped.append(f"{line.node}: {exc}")
        found.sort(key=lambda w: warning.SEVERITY_RANK[w.tingkat])
        if found or skipped:
            found_lines.append(WarningLine(line, found, skipped))
    found_lines.sort(
        key=lambda item: (
            warning.SEVERITY_RANK[item.worst] if item.worst is not None else len(warning.SEVERITY_RANK),
            item.line.node.opd.kode if item.line.node.opd else "",
            item.line.node.kode,
        )
    )
    return WarningReport(ev, found_lines, len(ev.lines))


# --- advice -----------------------------------------------------------------------------------------


@dataclass
class AdviceRow:
    figure: NodeFigures
    years: list[tuple[int, Decimal | None, Decimal | None]]  # (tahun, capaian, serapan)
    tertelusur: bool
    advice: advice.Advice
    decision: ProgramDecision | None

    @property
    def node(self) -> PlanNode:
        return self.figure.node

    @property
    def decision_differs(self) -> bool:
        return self.decision is not None and self.decision.keputusan != self.decision.saran


@dataclass
class AdviceReport:
    tahun: int
    years: list[int]
    document: PlanDocument | None
    rows: list[AdviceRow]


def _factors(lines: Iterable[LineResult], tahun: int) -> dict[int, tuple[list[str], list[str]]]:
    """Supporting and hindering factors of the counted (verified) reports, per sub-kegiatan."""
    counted = _counted([line.node.pk for line in lines], tahun, 4, include_submitted=False)
    found: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for (node_id, _q), realization in sorted(counted.items()):
        pendukung, penghambat = found[node_id]
        if realization.faktor_pendukung.strip() and realization.faktor_pendukung not in pendukung:
            pendukung.append(realization.faktor_pendukung)
        if realization.faktor_penghambat.strip() and realization.faktor_penghambat not in penghambat:
            penghambat.append(realization.faktor_penghambat)
    return found


def advice_rows(
    pemda: Pemda, tahun: int, *, opd_ids: frozenset[int] | None = None, node_ids: frozenset[int] | None = None
) -> AdviceReport:
    """`advice.advise` for every program and kegiatan of the year's RKPD (or only `node_ids`).

    Each year from `tahun - 4` to `tahun` that has an RKPD is evaluated for the whole year on verified
    realizations; the node of another year is the one with the same level, code and OPD. Per year the
    capaian is the node's own indicators' mean (a program's outcome) when rated, else the mean capaian of
    its sub-kegiatan; the serapan is its sub-kegiatan's spending against their pagu. Traceability comes
    from the logframe checker on the evaluated RKPD: a node is traced unless it or its program has a
    `tidak_tertaut_sasaran` finding. The factors are those of the evaluated year's verified reports."""
    from rencana.planning.selectors import document_check

    existing = set(
        PlanDocument.objects.filter(
            pemda=pemda, jenis="RKPD", tahun_mulai__gt=tahun - ADVICE_YEARS, tahun_mulai__lte=tahun
        ).values_list("tahun_mulai", flat=True)
    )
    years = sorted(existing)
    if tahun not in existing:
        return AdviceReport(tahun, years, None, [])
    data = {y: year_data(pemda, y, 4, opd_ids=opd_ids) for y in years}
    current = data[tahun]
    document = current.document
    assert document is not None
    keyed = {y: d.by_key() for y, d in data.items()}
    check = document_check(document)
    untraced = {f.node_id for f in check.findings if f.rule == "tidak_tertaut_sasaran"}
    factors = _factors(current.evaluation.lines, tahun)
    wanted = [
        f
        for f in current.figures
        if f.node.jenis in ("program", "kegiatan") and (node_ids is None or f.node.pk in node_ids)
    ]
    decisions = {
        d.node_id: d
        for d in ProgramDecision.objects.filter(
            node_id__in=[f.node.pk for f in wanted], tahun=tahun
        ).select_related("diputuskan_oleh")
    }
    rows: list[AdviceRow] = []
    for figure in wanted:
        history: list[tuple[int, Decimal | None, Decimal | None]] = []
        for y in years:
            other = keyed[y].get(figure.key)
            if other is not None:
                history.append((y, other.kinerja, other.serapan))
        pendukung: list[str] = []
        penghambat: list[str] = []
        for line in figure.lines:
            supporting, hindering = factors.get(line.node.pk, ([], []))
            pendukung += [t for t in supporting if t not in pendukung]
            penghambat += [t for t in hindering if t not in penghambat]
        chain = {figure.node.pk, figure.node.induk_id}
        tertelusur = not (chain & untraced)
        result = advice.advise(
            capaian_tahunan=[(y, c) for y, c, _s in history],
            serapan_tahunan={y: s for y, _c, s in history},
            tertelusur=tertelusur,
            faktor_pendukung=pendukung,
            faktor_penghambat=penghambat,
        )
        rows.append(AdviceRow(figure, history, tertelusur, result, decisions.get(figure.node.pk)))
    return AdviceReport(tahun, years, document, rows)


def decisions_xlsx(pemda: Pemda, tahun: int, *, opd_ids: frozenset[int] | None = None) -> bytes:
    """The "hentikan" and "modifikasi" decisions on the year's evaluation, for the next RKPD draft."""
    decisions = (
        ProgramDecision.objects.filter(
            pemda=pemda, tahun=tahun, keputusan__in=(Decision.HENTIKAN, Decision.MODIFIKASI)
        )
        .select_related("node", "node__opd", "node__induk", "node__induk__opd", "diputuskan_oleh")
        .order_by("keputusan", "node__kode", "node_id")
    )
    rows: list[list[Any]] = []
    for decision in decisions:
        node = decision.node
        opd = node.opd or (node.induk.opd if node.induk is not None else None)
        if opd_ids is not None and (opd is None or opd.pk not in opd_ids):
            continue
        rows.append(
            [
                decision.tahun,
                node.get_jenis_display(),
                node.kode,
                node.nama,
                opd.nama if opd is not None else "",
                advice.recommendation_label(decision.saran) if decision.saran else "",
                decision.get_keputusan_display(),
                decision.catatan,
                decision.diputuskan_oleh.get_username() if decision.diputuskan_oleh else "",
                timezone.localtime(decision.diubah).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    headers = [
        _("Tahun evaluasi"),
        _("Jenis"),
        _("Kode"),
        _("Program/kegiatan"),
        _("OPD"),
        _("Saran sistem"),
        _("Keputusan"),
        _("Alasan keputusan"),
        _("Diputuskan oleh"),
        _("Diubah"),
    ]
    columns = [
        Column(f"c{i}", label, width=w)
        for i, (label, w) in enumerate(zip(headers, (10, 12, 18, 44, 28, 16, 14, 44, 16, 17), strict=True))
    ]
    table = Table(
        title=_(
            "Keputusan hentikan/modifikasi atas evaluasi tahun %(tahun)s, untuk rancangan RKPD %(berikut)s"
        )
        % {"tahun": tahun, "berikut": tahun + 1},
        subtitle=[
            pemda.nama,
            _("Dibuat %(waktu)s.") % {"waktu": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
        ],
        columns=columns,
        rows=[Row("", {f"c{i}": value for i, value in enumerate(row)}) for row in rows],
        notes=[],
        sheet=_("Keputusan %(tahun)s") % {"tahun": tahun},
        filename=f"keputusan-{safe_filename(pemda.kode)}-{tahun}",
        frozen_columns=4,
    )
    return table_xlsx(table)
