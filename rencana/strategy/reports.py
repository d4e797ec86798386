"""The report of a strategic analysis as a page, XLSX and PDF.

`report_data` reads everything the report shows in a fixed number of queries, whatever the size of the
analysis: the header (title, pemda, OPD, date, facilitator, status), the factors grouped S, W, O, T in
their IFAS and EFAS matrices with bobot, rating and skor, the published IFAS/EFAS figures (x, y,
quadrant, IE cell; `services.matrix_result` and `swot.result_json`) or the problems that keep the matrix
from being computed, how the final matrix was reached (`Analysis.catatan_matriks`) and the workshop
rounds, the TOWS strategies per cell with the factors they combine, the strategic issues ranked by
their litmus score (`litmus.rank`) with their links to the RPJMD, and the chosen strategies and issues.

`report_xlsx` writes it as a workbook (sheets Hasil, Faktor, TOWS, Isu strategis, Uji litmus,
Lokakarya; numbers as numbers with number formats, each sheet's header row bold and frozen);
`report_pdf` as a portrait A4 PDF through WeasyPrint with the SWOT diagram and the IE matrix drawn
inline (`charts`), fetching nothing. Without WeasyPrint's system libraries it raises the
`PdfUnavailableError` of `monitoring.reports`, naming the Debian packages to install.
"""

import datetime
import io
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rencana.core.numbers import format_angka
from rencana.monitoring.reports import DEBIAN_PDF_PACKAGES, PdfUnavailableError
from rencana.planning.models import NodeKind, PlanNode
from rencana.strategy import charts, litmus, services, swot
from rencana.strategy.models import (
    Aggregation,
    Analysis,
    AnalysisStatus,
    Factor,
    FactorKind,
    Round,
    StrategicIssue,
    TowsCell,
    TowsStrategy,
)

PDF_TYPE = "application/pdf"
KIND_ORDER = ("S", "W", "O", "T")
MATRICES = ((swot.IFAS, ("S", "W")), (swot.EFAS, ("O", "T")))
NODE_ORDER = ("tujuan", "sasaran", "strategi")

# XLSX number formats: weights and scores keep up to 4 decimals, published figures 2.
FMT_WEIGHT = "0.00##"
FMT_FIGURE = "0.00"
FMT_INTEGER = "0"
FMT_DATE = "DD-MM-YYYY"
FMT_DATETIME = "DD-MM-YYYY HH:MM"


# --- the data -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorRow:
    jenis: str
    kode: str
    faktor: str
    penjelasan: str
    bobot: Decimal | None
    rating: int | None
    skor: Decimal | None  # bobot x rating, exact; None while either is missing


@dataclass(frozen=True)
class FactorGroup:
    jenis: str  # S, W, O, T
    label: str  # "Kekuatan (S)"
    rows: tuple[FactorRow, ...]


@dataclass(frozen=True)
class MatrixTable:
    name: str  # IFAS or EFAS
    groups: tuple[FactorGroup, ...]
    bobot_sum: Decimal  # the weights filled in
    skor_total: Decimal | None  # rounded to 2 decimals; None while a factor has no score

    @property
    def rows(self) -> tuple[FactorRow, ...]:
        return tuple(row for group in self.groups for row in group.rows)


@dataclass(frozen=True)
class Figures:
    """The published figures (`swot.result_json`, rounded to 2 decimals)."""

    strength_score: Decimal
    weakness_score: Decimal
    ifas_total: Decimal
    ifas_weights_sum: Decimal
    opportunity_score: Decimal
    threat_score: Decimal
    efas_total: Decimal
    efas_weights_sum: Decimal
    x: Decimal
    y: Decimal
    quadrant: str  # "I", or "I/III" on an axis
    quadrant_strategy: str  # in the active language
    tows: tuple[str, ...]  # the TOWS cells the quadrant favours
    ie_cell: str  # "I" ... "IX"
    ie_strategy: str  # in the active language


@dataclass(frozen=True)
class RoundRow:
    nomor: int
    dibuka: datetime.datetime
    ditutup: datetime.datetime | None
    metode: str  # the aggregation's label; "" while open
    peserta: int  # participants who submitted their answers
    ringkasan: str
    catatan: tuple[str, ...]


@dataclass(frozen=True)
class TowsRow:
    sel: str
    teks: str
    faktor: tuple[str, ...]  # codes of the combined factors, S W O T order
    terpilih: bool


@dataclass(frozen=True)
class TowsGroup:
    sel: str
    label: str
    favoured: bool
    strategies: tuple[TowsRow, ...]


@dataclass(frozen=True)
class LinkedNode:
    jenis: str  # "Tujuan", "Sasaran", "Strategi"
    nama: str

    def __str__(self) -> str:
        return f"{self.jenis}: {self.nama}"


@dataclass(frozen=True)
class IssueRow:
    rank: int | None  # None while the litmus score is incomplete
    pertanyaan: str
    kaitan_visi_misi: str
    strategi: str  # "SO: ..." of the TOWS strategy it came from, or ""
    scores: tuple[int | None, ...]  # per litmus item, in the test's order
    total: int
    label: str  # the band's label in the active language; "" while incomplete
    complete: bool
    missing: tuple[str, ...]
    terpilih: bool
    nodes: tuple[LinkedNode, ...]


@dataclass(frozen=True)
class StrategyReport:
    analysis_id: int
    pemda_kode: str
    title: str
    pemda: str
    opd: str
    tanggal: datetime.date
    fasilitator: str
    status: str  # label
    ruang_lingkup: str
    matrices: tuple[MatrixTable, MatrixTable]
    figures: Figures | None
    problems: tuple[str, ...]  # why the matrix cannot be computed (empty when there are no factors)
    catatan: tuple[str, ...]  # how the final matrix was reached
    rounds: tuple[RoundRow, ...]
    tows: tuple[TowsGroup, ...]
    litmus_items: tuple[litmus.LitmusItem, ...]  # in the active language
    bands: tuple[litmus.Band, ...]  # labels in the active language
    issues: tuple[IssueRow, ...]  # ranked
    generated: datetime.datetime

    @property
    def groups(self) -> tuple[FactorGroup, ...]:
        return tuple(group for matrix in self.matrices for group in matrix.groups)

    @property
    def has_factors(self) -> bool:
        return any(group.rows for group in self.groups)

    @property
    def favoured(self) -> tuple[str, ...]:
        return self.figures.tows if self.figures is not None else ()

    @property
    def chosen_strategies(self) -> tuple[TowsRow, ...]:
        return tuple(s for group in self.tows for s in group.strategies if s.terpilih)

    @property
    def chosen_issues(self) -> tuple[IssueRow, ...]:
        return tuple(issue for issue in self.issues if issue.terpilih)

    @property
    def filename(self) -> str:
        """Without extension."""
        return f"analisis-strategis-{self.analysis_id}"


def _factor_row(factor: Factor) -> FactorRow:
    skor = factor.bobot * factor.rating if factor.bobot is not None and factor.rating is not None else None
    return FactorRow(
        jenis=factor.jenis,
        kode=factor.kode,
        faktor=factor.faktor,
        penjelasan=factor.penjelasan,
        bobot=factor.bobot,
        rating=factor.rating,
        skor=skor,
    )


def _matrix_table(name: str, kinds: Sequence[str], rows: Sequence[FactorRow]) -> MatrixTable:
    groups = tuple(
        FactorGroup(kind, str(FactorKind(kind).label), tuple(r for r in rows if r.jenis == kind))
        for kind in kinds
    )
    members = [r for group in groups for r in group.rows]
    bobot_sum = sum((r.bobot for r in members if r.bobot is not None), Decimal(0))
    scored = [r.skor for r in members if r.skor is not None]
    skor_total = swot.round2(sum(scored, Decimal(0))) if members and len(scored) == len(members) else None
    return MatrixTable(name, groups, bobot_sum, skor_total)


def _figures(result: swot.SwotResult) -> Figures:
    data = swot.result_json(result)
    return Figures(
        strength_score=data["ifas"]["strength_score"],
        weakness_score=data["ifas"]["weakness_score"],
        ifas_total=data["ifas"]["total"],
        ifas_weights_sum=data["ifas"]["weights_sum"],
        opportunity_score=data["efas"]["opportunity_score"],
        threat_score=data["efas"]["threat_score"],
        efas_total=data["efas"]["total"],
        efas_weights_sum=data["efas"]["weights_sum"],
        x=data["x"],
        y=data["y"],
        quadrant=data["quadrant"],
        quadrant_strategy=swot.quadrant_strategy_label(data["quadrant"]),
        tows=tuple(result.tows),
        ie_cell=data["ie_matrix_cell"],
        ie_strategy=swot.ie_strategy_label(data["ie_matrix_cell"]),
    )


def _rounds(analysis: Analysis) -> tuple[RoundRow, ...]:
    rounds = (
        Round.objects.filter(analisis=analysis)
        .annotate(answered=Count("jawaban", filter=Q(jawaban__selesai=True), distinct=True))
        .order_by("nomor")
    )
    return tuple(
        RoundRow(
            nomor=rnd.nomor,
            dibuka=rnd.dibuka,
            ditutup=rnd.ditutup,
            metode=str(Aggregation(rnd.metode_agregasi).label) if rnd.metode_agregasi else "",
            peserta=rnd.answered,
            ringkasan=rnd.ringkasan_diskusi,
            catatan=tuple(str(note) for note in rnd.catatan or ()),
        )
        for rnd in rounds
    )


def _tows(analysis: Analysis, factors: Sequence[Factor], favoured: tuple[str, ...]) -> tuple[TowsGroup, ...]:
    strategies = list(TowsStrategy.objects.filter(analisis=analysis).order_by("sel", "urutan", "id"))
    position = {f.pk: index for index, f in enumerate(factors)}
    kode = {f.pk: f.kode for f in factors}
    combined: dict[int, list[int]] = defaultdict(list)
    links = TowsStrategy.faktor.through.objects.filter(towsstrategy__analisis=analysis).values_list(
        "towsstrategy_id", "factor_id"
    )
    for strategy_id, factor_id in links:
        combined[strategy_id].append(factor_id)
    groups = []
    for cell in TowsCell:
        rows = tuple(
            TowsRow(
                sel=s.sel,
                teks=s.teks,
                faktor=tuple(
                    kode[i] for i in sorted(combined[s.pk], key=lambda i: position.get(i, 0)) if i in kode
                ),
                terpilih=s.terpilih,
            )
            for s in strategies
            if s.sel == cell.value
        )
        groups.append(TowsGroup(cell.value, str(cell.label), cell.value in favoured, rows))
    return tuple(groups)


def _issues(
    analysis: Analysis, items: Sequence[litmus.LitmusItem], bands: Sequence[litmus.Band]
) -> tuple[IssueRow, ...]:
    nodes = PlanNode.objects.only("id", "jenis", "nama", "urutan").order_by("urutan", "id")
    issues = list(
        StrategicIssue.objects.filter(analisis=analysis)
        .select_related("strategi")
        .prefetch_related(Prefetch("simpul", queryset=nodes))
        .order_by("urutan", "id")
    )
    known = {item.kode for item in items}
    scored = []
    for issue in issues:
        # Answers to items no longer in the test (the test was edited after scoring) are left out.
        answers = {
            k: v
            for k, v in (issue.litmus or {}).items()
            if k in known
            and isinstance(v, int)
            and not isinstance(v, bool)
            and litmus.SCORE_MIN <= v <= litmus.SCORE_MAX
        }
        scored.append(((issue, answers), litmus.score(items, bands, answers)))
    rows = []
    for ranked in litmus.rank(scored):
        issue, answers = ranked.key
        linked = sorted(
            issue.simpul.all(),
            key=lambda n: (NODE_ORDER.index(n.jenis) if n.jenis in NODE_ORDER else 9, n.urutan, n.pk),
        )
        strategy = issue.strategi
        rows.append(
            IssueRow(
                rank=ranked.rank,
                pertanyaan=issue.pertanyaan,
                kaitan_visi_misi=issue.kaitan_visi_misi,
                strategi=f"{strategy.sel}: {strategy.teks}" if strategy is not None else "",
                scores=tuple(answers.get(item.kode) for item in items),
                total=ranked.score.total,
                label=litmus.band_label(ranked.score.label) if ranked.score.label else "",
                complete=ranked.score.complete,
                missing=ranked.score.missing,
                terpilih=issue.terpilih,
                nodes=tuple(LinkedNode(str(NodeKind(n.jenis).label), n.nama) for n in linked),
            )
        )
    return tuple(rows)


def report_data(analysis: Analysis) -> StrategyReport:
    """Everything the report shows, in a fixed number of queries (see the module docstring)."""
    factors = sorted(
        Factor.objects.filter(analisis=analysis),
        key=lambda f: (KIND_ORDER.index(f.jenis) if f.jenis in KIND_ORDER else 9, f.urutan, f.pk),
    )
    rows = [_factor_row(f) for f in factors]
    ifas, efas = (_matrix_table(name, kinds, rows) for name, kinds in MATRICES)
    result, problems = services.matrix_result(factors) if factors else (None, [])
    figures = _figures(result) if result is not None else None
    items, bands = services.litmus_config(analysis)
    return StrategyReport(
        analysis_id=analysis.pk,
        pemda_kode=analysis.pemda.kode,
        title=analysis.judul,
        pemda=analysis.pemda.nama,
        opd=analysis.opd.nama if analysis.opd is not None else "",
        tanggal=analysis.tanggal,
        fasilitator=analysis.fasilitator,
        status=str(AnalysisStatus(analysis.status).label),
        ruang_lingkup=analysis.ruang_lingkup,
        matrices=(ifas, efas),
        figures=figures,
        problems=tuple(p.pesan for p in problems),
        catatan=tuple(str(note) for note in analysis.catatan_matriks or ()),
        rounds=_rounds(analysis),
        tows=_tows(analysis, factors, figures.tows if figures is not None else ()),
        litmus_items=tuple(litmus.translated_item(item) for item in items),
        bands=tuple(litmus.Band(b.minimum, b.maximum, litmus.band_label(b.label)) for b in bands),
        issues=_issues(analysis, items, bands),
        generated=timezone.now(),
    )


# --- presentation (page and PDF) --------------------------------------------------------------------


def _num(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else format_angka(value, places)


def _weight(value: Decimal | None) -> str:
    """A weight or score: 2 decimals, up to 4 when they matter ("0,1667")."""
    if value is None:
        return "—"
    exponent = value.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_angka(value, min(4, max(2, decimals)))


def _when(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if value is not None else ""


def presentation(data: StrategyReport, *, charts_prefix: str = "laporan") -> dict[str, Any]:
    """What `strategy/report.html` and `strategy/report_pdf.html` read: the data as formatted text and
    the two charts (an empty string while the matrix cannot be computed)."""
    matrices = [
        {
            "name": matrix.name,
            "caption": _("Matriks {nama}").format(nama=matrix.name),
            "groups": [
                {
                    "jenis": group.jenis,
                    "label": group.label,
                    "rows": [
                        {
                            "kode": r.kode,
                            "faktor": r.faktor,
                            "penjelasan": r.penjelasan,
                            "bobot": _weight(r.bobot),
                            "rating": "—" if r.rating is None else str(r.rating),
                            "skor": _weight(r.skor),
                        }
                        for r in group.rows
                    ],
                }
                for group in matrix.groups
            ],
            "empty": not matrix.rows,
            "bobot_sum": _num(matrix.bobot_sum),
            "skor_total": _num(matrix.skor_total),
        }
        for matrix in data.matrices
    ]
    figures = data.figures
    figure_text: dict[str, str] = {}
    diagram: SafeString | str = ""
    ie: SafeString | str = ""
    if figures is not None:
        figure_text = {
            "strength_score": _num(figures.strength_score),
            "weakness_score": _num(figures.weakness_score),
            "ifas_total": _num(figures.ifas_total),
            "opportunity_score": _num(figures.opportunity_score),
            "threat_score": _num(figures.threat_score),
            "efas_total": _num(figures.efas_total),
            "x": _num(figures.x),
            "y": _num(figures.y),
        }
        diagram = charts.swot_diagram(
            figures.x,
            figures.y,
            title=_("Diagram SWOT: {judul}").format(judul=data.title),
            chart_id=f"{charts_prefix}-diagram-swot",
        )
        ie = charts.ie_matrix(
            figures.ifas_total,
            figures.efas_total,
            title=_("Matriks IE: {judul}").format(judul=data.title),
            chart_id=f"{charts_prefix}-matriks-ie",
        )
    rounds = [
        {
            "nomor": r.nomor,
            "dibuka": _when(r.dibuka),
            "ditutup": _when(r.ditutup) or _("masih terbuka"),
            "metode": r.metode or "—",
            "peserta": r.peserta,
            "ringkasan": r.ringkasan,
            "catatan": r.catatan,
        }
        for r in data.rounds
    ]
    issues = [
        {
            "issue": issue,
            "rank": "—" if issue.rank is None else str(issue.rank),
            "scores": [
                {"kode": item.kode, "nilai": "—" if value is None else str(value)}
                for item, value in zip(data.litmus_items, issue.scores, strict=True)
            ],
            "nodes": "; ".join(str(node) for node in issue.nodes),
        }
        for issue in data.issues
    ]
    return {
        "report": data,
        "matrices": matrices,
        "figures": figures,
        "figure_text": figure_text,
        "diagram": diagram,
        "ie": ie,
        "rounds": rounds,
        "issues": issues,
        "tanggal": data.tanggal.strftime("%d-%m-%Y"),
        "generated": _when(data.generated),
    }


# --- XLSX ---------------------------------------------------------------------------------------------

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def _put(sheet: Worksheet, row: int, column: int, value: Any, fmt: str = "", *, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column, value=_xlsx_value(value))
    if isinstance(value, str):
        if value.startswith("="):
            cell.data_type = "s"  # text typed by users is never a formula
        cell.alignment = WRAP
    else:
        cell.alignment = TOP
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = BOLD


def _sheet(
    workbook: Workbook, title: str, headers: Sequence[tuple[str, float]], *, first: bool = False
) -> Worksheet:
    """A worksheet whose first row holds the bold, frozen column headers (name, width)."""
    if first:
        sheet = workbook.active
        assert sheet is not None
        sheet.title = title[:31]
    else:
        sheet = workbook.create_sheet(title[:31])
    for index, (label, width) in enumerate(headers, start=1):
        _put(sheet, 1, index, label, bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "1:1"
    return sheet


def _results_sheet(workbook: Workbook, data: StrategyReport) -> None:
    sheet = _sheet(
        workbook, _("Hasil"), [(_("Ukuran"), 34), (_("Nilai"), 30), (_("Keterangan"), 70)], first=True
    )
    rows: list[tuple[str, Any, str, str]] = [
        (_("Judul"), data.title, "", ""),
        (_("Pemda"), data.pemda, "", ""),
        (_("OPD"), data.opd, "", ""),
        (_("Tanggal"), data.tanggal, "", FMT_DATE),
        (_("Fasilitator"), data.fasilitator, "", ""),
        (_("Status"), data.status, "", ""),
    ]
    if data.ruang_lingkup:
        rows.append((_("Ruang lingkup"), data.ruang_lingkup, "", ""))
    figures = data.figures
    if figures is not None:
        rows += [
            (_("Skor kekuatan (S)"), figures.strength_score, "", FMT_FIGURE),
            (_("Skor kelemahan (W)"), figures.weakness_score, "", FMT_FIGURE),
            (_("Total IFAS"), figures.ifas_total, "", FMT_FIGURE),
            (_("Skor peluang (O)"), figures.opportunity_score, "", FMT_FIGURE),
            (_("Skor ancaman (T)"), figures.threat_score, "", FMT_FIGURE),
            (_("Total EFAS"), figures.efas_total, "", FMT_FIGURE),
            ("x = S - W", figures.x, _("faktor internal"), FMT_FIGURE),
            ("y = O - T", figures.y, _("faktor eksternal"), FMT_FIGURE),
            (_("Kuadran"), figures.quadrant, figures.quadrant_strategy, ""),
            (_("Sel TOWS diutamakan"), ", ".join(figures.tows), "", ""),
            (_("Sel matriks IE"), figures.ie_cell, figures.ie_strategy, ""),
        ]
    elif data.has_factors:
        rows += [(_("Matriks belum dapat dihitung"), "", problem, "") for problem in data.problems]
    else:
        rows.append((_("Faktor"), "", _("Belum ada faktor."), ""))
    rows += [(_("Cara matriks akhir diperoleh"), "", note, "") for note in data.catatan]
    rows.append((_("Dibuat"), data.generated, "", FMT_DATETIME))
    for offset, (label, value, note, fmt) in enumerate(rows, start=2):
        _put(sheet, offset, 1, label, bold=True)
        _put(sheet, offset, 2, value, fmt)
        if note:
            _put(sheet, offset, 3, note)


def _factor_sheet(workbook: Workbook, data: StrategyReport) -> None:
    sheet = _sheet(
        workbook,
        _("Faktor"),
        [
            (_("Matriks"), 9),
            (_("Jenis"), 16),
            (_("Kode"), 8),
            (_("Faktor"), 60),
            (_("Bobot"), 10),
            (_("Rating"), 8),
            (_("Skor"), 10),
        ],
    )
    row = 2
    for matrix in data.matrices:
        for group in matrix.groups:
            for factor in group.rows:
                values = (
                    matrix.name,
                    group.label,
                    factor.kode,
                    factor.faktor,
                    factor.bobot,
                    factor.rating,
                    factor.skor,
                )
                formats = ("", "", "", "", FMT_WEIGHT, FMT_INTEGER, FMT_WEIGHT)
                for column, (value, fmt) in enumerate(zip(values, formats, strict=True), start=1):
                    _put(sheet, row, column, value, fmt)
                row += 1
        total = _("Total {matriks}").format(matriks=matrix.name)
        values_total = (matrix.name, "", "", total, matrix.bobot_sum, None, matrix.skor_total)
        formats_total = ("", "", "", "", FMT_FIGURE, "", FMT_FIGURE)
        for column, (value, fmt) in enumerate(zip(values_total, formats_total, strict=True), start=1):
            _put(sheet, row, column, value, fmt, bold=True)
        row += 1


def _tows_sheet(workbook: Workbook, data: StrategyReport) -> None:
    sheet = _sheet(
        workbook,
        _("TOWS"),
        [
            (_("Sel"), 7),
            (_("Strategi"), 70),
            (_("Faktor yang dipadukan"), 20),
            (_("Terpilih"), 10),
            (_("Sel diutamakan"), 14),
        ],
    )
    row = 2
    for group in data.tows:
        for strategy in group.strategies:
            _put(sheet, row, 1, strategy.sel)
            _put(sheet, row, 2, strategy.teks)
            _put(sheet, row, 3, ", ".join(strategy.faktor))
            _put(sheet, row, 4, _("ya") if strategy.terpilih else _("tidak"))
            _put(sheet, row, 5, _("ya") if group.favoured else _("tidak"))
            row += 1


def _issue_sheet(workbook: Workbook, data: StrategyReport) -> None:
    headers: list[tuple[str, float]] = [
        (_("Peringkat"), 10),
        (_("Isu strategis"), 55),
        (_("Kaitan dengan visi dan misi"), 30),
        (_("Strategi TOWS"), 30),
        *((item.kode, 6) for item in data.litmus_items),
        (_("Skor litmus"), 10),
        (_("Kategori"), 18),
        (_("Skor lengkap"), 10),
        (_("Terpilih"), 10),
        (_("Tertaut ke RPJMD"), 45),
    ]
    sheet = _sheet(workbook, _("Isu strategis"), headers)
    for row, issue in enumerate(data.issues, start=2):
        values: list[tuple[Any, str]] = [
            (issue.rank, FMT_INTEGER),
            (issue.pertanyaan, ""),
            (issue.kaitan_visi_misi, ""),
            (issue.strategi, ""),
            *((value, FMT_INTEGER) for value in issue.scores),
            (issue.total, FMT_INTEGER),
            (issue.label, ""),
            (_("ya") if issue.complete else _("tidak"), ""),
            (_("ya") if issue.terpilih else _("tidak"), ""),
            ("; ".join(str(node) for node in issue.nodes), ""),
        ]
        for column, (value, fmt) in enumerate(values, start=1):
            _put(sheet, row, column, value, fmt)


def _litmus_sheet(workbook: Workbook, data: StrategyReport) -> None:
    sheet = _sheet(
        workbook,
        _("Uji litmus"),
        [
            (_("Kode"), 8),
            (_("Pertanyaan"), 60),
            (_("Skor 1 (operasional)"), 35),
            (_("Skor 3 (strategis)"), 35),
        ],
    )
    row = 2
    for item in data.litmus_items:
        for column, value in enumerate(
            (item.kode, item.pertanyaan, item.operasional, item.strategis), start=1
        ):
            _put(sheet, row, column, value)
        row += 1
    row += 1
    _put(sheet, row, 1, _("Kelompok skor"), bold=True)
    for band in data.bands:
        row += 1
        _put(sheet, row, 1, f"{band.minimum}–{band.maximum}")
        _put(sheet, row, 2, band.label)


def _rounds_sheet(workbook: Workbook, data: StrategyReport) -> None:
    sheet = _sheet(
        workbook,
        _("Lokakarya"),
        [
            (_("Putaran"), 9),
            (_("Dibuka"), 17),
            (_("Ditutup"), 17),
            (_("Cara agregasi"), 14),
            (_("Peserta yang menjawab"), 12),
            (_("Ringkasan diskusi"), 40),
            (_("Catatan"), 70),
        ],
    )
    for row, rnd in enumerate(data.rounds, start=2):
        values: list[tuple[Any, str]] = [
            (rnd.nomor, FMT_INTEGER),
            (rnd.dibuka, FMT_DATETIME),
            (rnd.ditutup, FMT_DATETIME),
            (rnd.metode, ""),
            (rnd.peserta, FMT_INTEGER),
            (rnd.ringkasan, ""),
            ("\n".join(rnd.catatan), ""),
        ]
        for column, (value, fmt) in enumerate(values, start=1):
            _put(sheet, row, column, value, fmt)


def report_xlsx(data: StrategyReport) -> bytes:
    """The report as a workbook: Hasil, Faktor, TOWS, Isu strategis, Uji litmus, Lokakarya."""
    workbook = Workbook()
    _results_sheet(workbook, data)
    _factor_sheet(workbook, data)
    _tows_sheet(workbook, data)
    _issue_sheet(workbook, data)
    _litmus_sheet(workbook, data)
    _rounds_sheet(workbook, data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------

PDF_CSS = """
@page { size: A4 portrait; margin: 15mm 14mm 16mm 14mm;
  @bottom-left { content: string(judul); font-size: 7pt; color: #59636e; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 7pt; color: #59636e; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 8pt; color: #1b1f24;
  line-height: 1.3; }
h1 { font-size: 14pt; margin: 0 0 2mm; string-set: judul content(); }
h2 { font-size: 11pt; margin: 6mm 0 2mm; page-break-after: avoid; }
h3 { font-size: 9pt; margin: 3mm 0 1.5mm; page-break-after: avoid; }
p { margin: 0 0 1.5mm; }
.muted { color: #59636e; }
dl.facts { margin: 0 0 3mm; }
dl.facts dt { float: left; clear: left; width: 28mm; font-weight: bold; }
dl.facts dd { margin: 0 0 0.8mm 30mm; }
table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; }
thead { display: table-header-group; }
th, td { border: 0.4pt solid #8c959f; padding: 0.8mm 1mm; vertical-align: top; text-align: left; }
th { background: #e8eef5; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.group td { background: #f4f6f8; font-weight: bold; }
tr.total td { font-weight: bold; background: #e8eef5; }
tr { page-break-inside: avoid; }
.small { font-size: 7pt; }
.chart { page-break-inside: avoid; margin: 0 0 4mm; }
.chart svg { display: block; width: 150mm; height: auto; margin: 0 auto; }
.cell h3 .favoured { font-weight: normal; }
ul, ol { margin: 0 0 2mm; padding-left: 5mm; }
li { margin: 0 0 0.8mm; }
.warning { border: 0.6pt solid #9a6700; padding: 2mm; }
"""


def pdf_html(data: StrategyReport) -> str:
    """The HTML WeasyPrint turns into the PDF (never served to browsers)."""
    return render_to_string("strategy/report_pdf.html", presentation(data, charts_prefix="pdf"))


def _weasyprint() -> tuple[Any, Any, Any]:
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(
            _(
                "PDF tidak dapat dibuat di server ini: WeasyPrint atau pustaka sistemnya tidak tersedia "
                "({sebab}). Pasang paket Python weasyprint dan paket Debian {paket}, lalu coba lagi; "
                "sementara itu unduh versi XLSX."
            ).format(sebab=type(exc).__name__, paket=DEBIAN_PDF_PACKAGES)
        ) from exc
    return CSS, HTML, URLFetcher


def pdf_document(data: StrategyReport) -> Any:
    """The laid-out WeasyPrint document of the report (its pages can be inspected before writing)."""
    css, html, url_fetcher = _weasyprint()
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:  # one INFO line per layout step is noise; settings may override
        progress.setLevel(logging.WARNING)
    # Everything is inline (styles and SVG charts): no file, network or data URL is ever fetched.
    fetcher = url_fetcher(allowed_protocols=())
    try:
        return html(string=pdf_html(data), url_fetcher=fetcher).render(
            stylesheets=[css(string=PDF_CSS, url_fetcher=fetcher)]
        )
    except OSError as exc:
        raise PdfUnavailableError(
            _(
                "PDF gagal dibuat: {sebab}. Periksa paket Debian {paket}; sementara itu unduh versi XLSX."
            ).format(sebab=exc, paket=DEBIAN_PDF_PACKAGES)
        ) from exc


def report_pdf(data: StrategyReport) -> bytes:
    """The report as a portrait A4 PDF; `PdfUnavailableError` when WeasyPrint cannot run here."""
    document = pdf_document(data)
    try:
        content: bytes = document.write_pdf()
    except OSError as exc:
        raise PdfUnavailableError(
            _(
                "PDF gagal dibuat: {sebab}. Periksa paket Debian {paket}; sementara itu unduh versi XLSX."
            ).format(sebab=exc, paket=DEBIAN_PDF_PACKAGES)
        ) from exc
    return content
