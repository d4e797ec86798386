"""Evaluation pages of e-Monev (Permendagri 86/2017): the pemda, an OPD, a program, a sasaran, and the
public summary for citizens.

The numbers come from `monitoring.evaluation.evaluate` (verified realizations; `?sementara=1` adds
submitted ones, shown as provisional). An OPD operator sees only its own OPD (`access.visible_opds`):
the pemda page is limited to it, another OPD's page is "not found". Charts are SVG from
`monitoring.charts`; every chart's figures are also in a table on the page.

Query count: each `evaluate` is a fixed number of queries whatever the number of sub-kegiatan; a page
with a trend runs it once per quarter of the year and once per earlier year (at most `TREND_YEARS`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rencana.accounts.scope import PEMDA_KODE, PemdaRequest, pemda_view
from rencana.core.access import public_view
from rencana.core.errors import ApplicationError, NotFoundError
from rencana.core.numbers import format_rupiah
from rencana.monitoring import access, achievement, charts
from rencana.monitoring.evaluation import Evaluation, GroupResult, LineResult, evaluate
from rencana.monitoring.models import Realization, RealizationValue, Status
from rencana.monitoring.selectors import QUARTERS, rkpd_for
from rencana.monitoring.views import _current_quarter, _period
from rencana.planning.models import Indicator, IndicatorTarget, PlanDocument, PlanNode
from rencana.regions.models import Opd, Pemda

TREND_YEARS = 4
NO_SASARAN = "0"


# --------------------------------------------------------------------------------------------
# Presentation helpers: numbers are formatted here (Indonesian notation, 2 decimals, as in charts).


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else achievement.persen(value)


def _predikat(predikat: str | None) -> dict[str, str]:
    return {
        "predikat": predikat or "",
        "predikat_label": achievement.predikat_label(predikat) if predikat else "",
        "warna": achievement.warna(predikat) if predikat else "",
    }


def _figures(group: GroupResult) -> dict[str, Any]:
    counts = group.counts()
    return {
        "capaian": group.capaian,
        "capaian_text": _pct(group.capaian),
        "serapan_text": _pct(group.serapan),
        "pagu_text": format_rupiah(group.pagu),
        "spent_text": format_rupiah(group.spent),
        "lines": len(group.lines),
        "rated": group.rated,
        "unrated": len(group.lines) - group.rated,
        "counts": [(achievement.predikat_label(k), v, achievement.warna(k)) for k, v in counts.items()],
        **_predikat(group.predikat),
    }


def _entry_url(kode: str, node_id: int, tahun: int, triwulan: int) -> str:
    return reverse(
        "monitoring:entry", kwargs={"kode": kode, "node_id": node_id, "tahun": tahun, "triwulan": triwulan}
    )


def _line(line: LineResult, kode: str, tahun: int) -> dict[str, Any]:
    efficiency = line.efficiency
    quarters = []
    for q, (status, spent) in enumerate(zip(line.statuses, line.spent_quarters, strict=True), start=1):
        quarters.append(
            {
                "q": q,
                "status": status or "",
                "status_label": Status(status).label if status else _("belum diisi"),
                "spent_text": format_rupiah(spent) if spent is not None else "—",
                "url": _entry_url(kode, line.node.pk, tahun, q),
            }
        )
    indicators = [
        {
            "indicator": r.indicator,
            "target": r.target,
            "quarters": r.quarters,
            "realisasi": r.realisasi,
            "capaian_text": _pct(r.capaian.capaian),
            "alasan": r.capaian.alasan or "",
            **_predikat(r.capaian.predikat),
        }
        for r in line.indicators
    ]
    return {
        "line": line,
        "node": line.node,
        "capaian_text": _pct(line.capaian),
        "serapan_text": _pct(line.serapan),
        "pagu_text": format_rupiah(line.pagu),
        "spent_text": format_rupiah(line.spent),
        "efficiency": efficiency.kategori,
        "efficiency_label": achievement.efficiency_label(efficiency.kategori),
        "efficiency_text": efficiency.penjelasan,
        "quarters": quarters,
        "indicators": indicators,
        "evidence": line.evidence,
        "factors": line.factors,
        **_predikat(line.predikat),
    }


def _has_data(lines: Sequence[LineResult]) -> bool:
    """True when at least one counted (verified, or submitted when provisional) report is in `lines`."""
    return any(
        any(v is not None for v in line.spent_quarters)
        or any(r.realisasi is not None for r in line.indicators)
        for line in lines
    )


def _sementara(request: HttpRequest) -> bool:
    return request.GET.get("sementara", "") == "1"


def _query(tahun: int, triwulan: int, sementara: bool) -> str:
    return f"?tahun={tahun}&tw={triwulan}" + ("&sementara=1" if sementara else "")


def _base(
    request: PemdaRequest, tahun: int, triwulan: int, sementara: bool, evaluation: Evaluation | None
) -> dict[str, Any]:
    return {
        "pemda": request.pemda,
        "tahun": tahun,
        "triwulan": triwulan,
        "quarters": QUARTERS,
        "period_quarters": list(range(1, triwulan + 1)),
        "sementara": sementara,
        "qs": _query(tahun, triwulan, sementara),
        "evaluation": evaluation,
        "document": evaluation.document if evaluation is not None else None,
        "has_lines": bool(evaluation and evaluation.lines),
        "limited": access.visible_opds(request.scope) is not None,
    }


def _groups_chart(rows: Sequence[dict[str, Any]], *, title: str, chart_id: str) -> str:
    return charts.capaian_bars(
        [charts.Bar(row["label"], row["figures"]["capaian"]) for row in rows], title=title, chart_id=chart_id
    )


def _stack(group: GroupResult, title: str, chart_id: str) -> str:
    return charts.predikat_stack(
        group.counts(), unrated=len(group.lines) - group.rated, title=title, chart_id=chart_id
    )


def _evaluate(pemda: Pemda, tahun: int, triwulan: int, **options: Any) -> Evaluation:
    """`evaluate`, with a value the rules refuse (e.g. a realisasi 10^18 times its target) reported as
    a message to fix the data instead of a server error."""
    try:
        return evaluate(pemda, tahun, triwulan, **options)
    except ValueError as exc:
        raise ApplicationError(
            _("Evaluasi tidak dapat dihitung karena ada data yang perlu diperbaiki: %(pesan)s")
            % {"pesan": str(exc)}
        ) from exc


# --------------------------------------------------------------------------------------------
# Trend: capaian and serapan per quarter of the year and per earlier year with an RKPD


@dataclass
class TrendRow:
    label: str
    group: GroupResult

    @property
    def capaian_text(self) -> str:
        return _pct(self.group.capaian)

    @property
    def serapan_text(self) -> str:
        return _pct(self.group.serapan)

    @property
    def predikat(self) -> str:
        return self.group.predikat or ""

    @property
    def predikat_label(self) -> str:
        return achievement.predikat_label(self.group.predikat) if self.group.predikat else ""

    @property
    def warna(self) -> str:
        return self.group.warna

    @property
    def point(self) -> charts.TrendPoint:
        return charts.TrendPoint(self.label, self.group.capaian, self.group.serapan)


def _trend(evaluation: Evaluation, opd_ids: frozenset[int] | None, subject: str) -> dict[str, Any]:
    pemda, tahun, triwulan = evaluation.pemda, evaluation.tahun, evaluation.triwulan
    sementara = evaluation.include_submitted
    quarterly: list[TrendRow] = []
    for q in range(1, triwulan + 1):
        result = (
            evaluation
            if q == triwulan
            else _evaluate(
                pemda, tahun, q, include_submitted=sementara, opd_ids=opd_ids, document=evaluation.document
            )
        )
        quarterly.append(TrendRow(_("TW %(q)s") % {"q": q}, result.total()))
    earlier = sorted(
        PlanDocument.objects.filter(pemda=pemda, jenis="RKPD", tahun_mulai__lt=tahun)
        .order_by("-tahun_mulai")
        .values_list("tahun_mulai", flat=True)
        .distinct()[:TREND_YEARS]
    )
    yearly = [
        TrendRow(str(year), _evaluate(pemda, year, 4, include_submitted=sementara, opd_ids=opd_ids).total())
        for year in earlier
    ]
    yearly.append(
        TrendRow(_("%(tahun)s s.d. TW %(q)s") % {"tahun": tahun, "q": triwulan}, evaluation.total())
    )
    return {
        "quarterly": quarterly,
        "yearly": yearly,
        "quarterly_chart": charts.trend_lines(
            [row.point for row in quarterly],
            title=_("Tren per triwulan %(tahun)s: %(subjek)s") % {"tahun": tahun, "subjek": subject},
            chart_id="tren-triwulan",
        ),
        "yearly_chart": charts.trend_lines(
            [row.point for row in yearly],
            title=_("Tren per tahun: %(subjek)s") % {"subjek": subject},
            chart_id="tren-tahun",
        ),
    }


# --------------------------------------------------------------------------------------------
# Pages


@pemda_view("monev.view")
@require_GET
def pemda(request: PemdaRequest) -> HttpResponse:
    """The pemda's evaluation: total, predikat distribution, per OPD, per sasaran, trend."""
    tahun, triwulan = _period(request)
    sementara = _sementara(request)
    allowed = access.visible_opds(request.scope)
    evaluation = _evaluate(request.pemda, tahun, triwulan, include_submitted=sementara, opd_ids=allowed)
    context = _base(request, tahun, triwulan, sementara, evaluation)
    if evaluation.document is not None and evaluation.lines:
        kode = request.pemda.kode
        total = evaluation.total()
        opd_rows = []
        for group in evaluation.per_opd():
            opd = group.lines[0].node.opd
            opd_rows.append(
                {
                    "label": group.label or _("Tanpa OPD"),
                    "url": reverse("evaluasi:opd", kwargs={"kode": kode, "opd_id": opd.pk}) if opd else "",
                    "figures": _figures(group),
                }
            )
        sasaran_rows = sorted(
            (
                {
                    "label": group.label if group.key != NO_SASARAN else _("Belum ditautkan ke sasaran"),
                    "url": reverse("evaluasi:sasaran", kwargs={"kode": kode, "node_id": int(group.key)})
                    if group.key != NO_SASARAN
                    else "",
                    "figures": _figures(group),
                }
                for group in evaluation.per_sasaran()
            ),
            key=lambda row: (row["url"] == "", row["label"]),
        )
        context.update(
            {
                "total": _figures(total),
                "has_data": _has_data(evaluation.lines),
                "opd_rows": opd_rows,
                "sasaran_rows": sasaran_rows,
                "stack_chart": _stack(total, _("Sebaran predikat sub-kegiatan"), "sebaran-predikat"),
                "opd_chart": _groups_chart(opd_rows, title=_("Capaian per OPD"), chart_id="capaian-opd"),
                "sasaran_chart": _groups_chart(
                    sasaran_rows, title=_("Capaian per sasaran"), chart_id="capaian-sasaran"
                ),
                "trend": _trend(evaluation, allowed, request.pemda.nama),
            }
        )
    return render(request, "monitoring/eval_pemda.html", context)


def _visible_opd(request: PemdaRequest, opd_id: int) -> Opd:
    opd = Opd.objects.filter(pemda=request.pemda, pk=opd_id).first()
    allowed = access.visible_opds(request.scope)
    if opd is None or (allowed is not None and opd.pk not in allowed):
        raise NotFoundError(_("OPD tidak ditemukan di pemda ini."))
    return opd


def _program_rows(lines: Sequence[LineResult], kode: str, tahun: int) -> list[dict[str, Any]]:
    """Lines grouped by program (in their order), each with its sub-kegiatan presented."""
    groups: dict[int, GroupResult] = {}
    programs: dict[int, PlanNode | None] = {}
    for line in lines:
        key = line.program.pk if line.program else 0
        programs.setdefault(key, line.program)
        label = f"{line.program.kode} {line.program.nama}" if line.program else _("Tanpa program")
        groups.setdefault(key, GroupResult(key=str(key), label=label)).lines.append(line)
    return [
        {
            "label": group.label,
            "program": programs[key],
            "url": reverse("evaluasi:program", kwargs={"kode": kode, "node_id": key}) if key else "",
            "figures": _figures(group),
            "lines": [_line(line, kode, tahun) for line in group.lines],
        }
        for key, group in groups.items()
    ]


@pemda_view("monev.view")
@require_GET
def opd(request: PemdaRequest, opd_id: int) -> HttpResponse:
    """One OPD: its programs and sub-kegiatan with indicators, serapan, efficiency, trend."""
    opd = _visible_opd(request, opd_id)
    tahun, triwulan = _period(request)
    sementara = _sementara(request)
    only = frozenset({opd.pk})
    evaluation = _evaluate(request.pemda, tahun, triwulan, include_submitted=sementara, opd_ids=only)
    context = _base(request, tahun, triwulan, sementara, evaluation)
    context["opd"] = opd
    if evaluation.document is not None and evaluation.lines:
        total = evaluation.total()
        programs = _program_rows(evaluation.lines, request.pemda.kode, tahun)
        context.update(
            {
                "total": _figures(total),
                "has_data": _has_data(evaluation.lines),
                "programs": programs,
                "stack_chart": _stack(total, _("Sebaran predikat sub-kegiatan"), "sebaran-predikat"),
                "program_chart": _groups_chart(
                    programs, title=_("Capaian per program"), chart_id="capaian-program"
                ),
                "trend": _trend(evaluation, only, opd.nama),
            }
        )
    return render(request, "monitoring/eval_opd.html", context)


def _pemda_node(request: PemdaRequest, node_id: int) -> PlanNode:
    node = (
        PlanNode.objects.filter(pemda=request.pemda, pk=node_id)
        .select_related("dokumen", "opd", "induk")
        .first()
    )
    if node is None:
        raise NotFoundError(_("Simpul rencana tidak ditemukan di pemda ini."))
    return node


def _tw(request: HttpRequest, tahun: int) -> int:
    raw = request.GET.get("tw", "")
    return int(raw) if raw in ("1", "2", "3", "4") else _current_quarter(tahun)


@pemda_view("monev.view")
@require_GET
def program(request: PemdaRequest, node_id: int) -> HttpResponse:
    """A program or kegiatan of an RKPD: its kegiatan and sub-kegiatan, for the RKPD's year."""
    node = _pemda_node(request, node_id)
    allowed = access.visible_opds(request.scope)
    sementara = _sementara(request)
    evaluable = node.jenis in ("program", "kegiatan") and node.dokumen.jenis == "RKPD"
    if not evaluable:
        if allowed is not None and node.opd_id is not None and node.opd_id not in allowed:
            raise NotFoundError(_("Program tidak ditemukan di pemda ini."))
        tahun, triwulan = _period(request)
        context = _base(request, tahun, triwulan, sementara, None)
        context.update({"node": node, "evaluable": False})
        return render(request, "monitoring/eval_program.html", context)
    tahun = node.dokumen.tahun_mulai
    triwulan = _tw(request, tahun)
    evaluation = _evaluate(
        request.pemda, tahun, triwulan, include_submitted=sementara, opd_ids=allowed, document=node.dokumen
    )
    lines = [
        line
        for line in evaluation.lines
        if (line.program is not None and line.program.pk == node.pk)
        or (line.kegiatan is not None and line.kegiatan.pk == node.pk)
    ]
    if allowed is not None and node.opd_id not in allowed and not lines:
        raise NotFoundError(_("Program tidak ditemukan di pemda ini."))
    kode = request.pemda.kode
    group = GroupResult(key=str(node.pk), label=f"{node.kode} {node.nama}", lines=lines)
    kegiatan: dict[int, GroupResult] = {}
    for line in lines:
        key = line.kegiatan.pk if line.kegiatan else 0
        label = f"{line.kegiatan.kode} {line.kegiatan.nama}" if line.kegiatan else _("Tanpa kegiatan")
        kegiatan.setdefault(key, GroupResult(key=str(key), label=label)).lines.append(line)
    kegiatan_rows = [
        {"label": g.label, "figures": _figures(g), "lines": [_line(line, kode, tahun) for line in g.lines]}
        for g in kegiatan.values()
    ]
    served = sorted({pk for line in lines for pk in line.sasaran_ids})
    newest = rkpd_for(request.pemda, tahun)
    context = _base(request, tahun, triwulan, sementara, evaluation)
    context.update(
        {
            "node": node,
            "evaluable": True,
            "has_lines": bool(lines),
            "no_lines_text": _("Belum ada sub-kegiatan di bawah simpul ini di lingkup Anda."),
            "outdated": newest is not None and newest.pk != node.dokumen_id,
            "total": _figures(group),
            "has_data": _has_data(lines),
            "kegiatan_rows": kegiatan_rows,
            "sasaran": [
                {
                    "label": evaluation.sasaran_names.get(pk, ""),
                    "url": reverse("evaluasi:sasaran", kwargs={"kode": kode, "node_id": pk}),
                }
                for pk in served
            ],
            "opd_url": reverse("evaluasi:opd", kwargs={"kode": kode, "opd_id": node.opd_id})
            if node.opd_id is not None and (allowed is None or node.opd_id in allowed)
            else "",
            "stack_chart": _stack(group, _("Sebaran predikat sub-kegiatan"), "sebaran-predikat"),
        }
    )
    return render(request, "monitoring/eval_program.html", context)


@dataclass
class OwnIndicator:
    """A sasaran's own indicator: its target for the year and, for Bappeda, its reported realization."""

    indicator: Indicator
    target: Decimal | None
    quarters: list[Decimal | None]
    realisasi: Decimal | None
    capaian: achievement.Capaian

    @property
    def capaian_text(self) -> str:
        return _pct(self.capaian.capaian)

    @property
    def predikat_label(self) -> str:
        return achievement.predikat_label(self.capaian.predikat) if self.capaian.predikat else ""

    @property
    def warna(self) -> str:
        return self.capaian.warna or ""


def _own_indicators(
    node: PlanNode, tahun: int, triwulan: int, *, sementara: bool, with_realization: bool
) -> list[OwnIndicator]:
    """The node's indicators with the year's target and (when allowed) the realization reported on the
    node itself, by the same rules as `evaluation` (current revision, verified unless provisional)."""
    indicators = list(Indicator.objects.filter(node=node).order_by("urutan", "id"))
    targets = dict(
        IndicatorTarget.objects.filter(indikator__node=node, tahun=tahun).values_list("indikator_id", "nilai")
    )
    values: dict[int, dict[int, Decimal]] = {}
    if with_realization:
        wanted = {Status.VERIFIED, Status.SUBMITTED} if sementara else {Status.VERIFIED}
        current: dict[int, Realization] = {}
        for realization in Realization.objects.filter(
            node=node, tahun=tahun, triwulan__lte=triwulan
        ).order_by("triwulan", "revisi_ke"):
            current[realization.triwulan] = realization
        counted = {q: r.pk for q, r in current.items() if r.status in wanted}
        by_realization: dict[int, dict[int, Decimal]] = {pk: {} for pk in counted.values()}
        for realisasi_id, indikator_id, nilai in RealizationValue.objects.filter(
            realisasi_id__in=list(counted.values())
        ).values_list("realisasi_id", "indikator_id", "nilai"):
            by_realization[realisasi_id][indikator_id] = nilai
        values = {q: by_realization[pk] for q, pk in counted.items()}
    result = []
    for indicator in indicators:
        quarters = [values[q].get(indicator.pk) if q in values else None for q in range(1, triwulan + 1)]
        target = targets.get(indicator.pk)
        try:
            realisasi = achievement.annual_realization(quarters, indicator.agregasi)
            if target is None:
                rating = achievement.Capaian(None, None, _("target tahun ini belum diisi"))
            elif realisasi is None:
                rating = achievement.Capaian(None, None, _("belum ada realisasi terverifikasi"))
            else:
                rating = achievement.capaian(target, realisasi, indicator.polaritas)
        except ValueError as exc:
            realisasi, rating = None, achievement.Capaian(None, None, str(exc))
        result.append(OwnIndicator(indicator, target, quarters, realisasi, rating))
    return result


@pemda_view("monev.view")
@require_GET
def sasaran(request: PemdaRequest, node_id: int) -> HttpResponse:
    """A sasaran: the programs (sub-kegiatan) serving it and its own indicators' targets."""
    node = _pemda_node(request, node_id)
    tahun, triwulan = _period(request)
    sementara = _sementara(request)
    allowed = access.visible_opds(request.scope)
    if node.jenis != "sasaran":
        if allowed is not None and node.opd_id is not None and node.opd_id not in allowed:
            raise NotFoundError(_("Sasaran tidak ditemukan di pemda ini."))
        context = _base(request, tahun, triwulan, sementara, None)
        context.update(
            {
                "node": node,
                "evaluable": False,
                "program_url": reverse(
                    "evaluasi:program", kwargs={"kode": request.pemda.kode, "node_id": node.pk}
                )
                if node.jenis in ("program", "kegiatan") and node.dokumen.jenis == "RKPD"
                else "",
            }
        )
        return render(request, "monitoring/eval_sasaran.html", context)
    evaluation = _evaluate(request.pemda, tahun, triwulan, include_submitted=sementara, opd_ids=allowed)
    lines = [line for line in evaluation.lines if node.pk in line.sasaran_ids]
    group = GroupResult(key=str(node.pk), label=f"{node.kode} {node.nama}".strip(), lines=lines)
    programs = _program_rows(lines, request.pemda.kode, tahun)
    context = _base(request, tahun, triwulan, sementara, evaluation)
    context.update(
        {
            "node": node,
            "evaluable": True,
            "has_lines": bool(lines),
            "no_lines_text": _(
                "Belum ada sub-kegiatan RKPD tahun ini yang melayani sasaran ini di lingkup Anda."
            ),
            "total": _figures(group),
            "has_data": _has_data(lines),
            "programs": programs,
            # The sasaran's own realization is Bappeda's entry (no OPD): not shown to OPD operators.
            "own_realization": allowed is None,
            "own_indicators": _own_indicators(
                node, tahun, triwulan, sementara=sementara, with_realization=allowed is None
            ),
            "program_chart": _groups_chart(
                programs, title=_("Capaian per program"), chart_id="capaian-program"
            )
            if programs
            else "",
        }
    )
    return render(request, "monitoring/eval_sasaran.html", context)


def _latest_quarter(lines: Sequence[LineResult]) -> int | None:
    """The last quarter with a counted report in `lines`."""
    found = [
        q
        for line in lines
        for q in range(1, len(line.spent_quarters) + 1)
        if line.spent_quarters[q - 1] is not None
        or any(r.quarters[q - 1] is not None for r in line.indicators)
    ]
    return max(found) if found else None


@public_view
@require_GET
def public_summary(request: HttpRequest, kode: str) -> HttpResponse:
    """For citizens: verified results only, per sasaran, of an active pemda (no names of people)."""
    pemda = Pemda.objects.filter(kode=kode, aktif=True).first() if PEMDA_KODE.match(kode) else None
    if pemda is None:
        raise Http404(_("Pemda tidak ditemukan."))
    raw = request.GET.get("tahun", "")
    tahun = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else pemda.tahun_anggaran
    evaluation = _evaluate(pemda, tahun, 4)
    years = sorted(
        set(
            PlanDocument.objects.filter(pemda=pemda, jenis="RKPD")
            .order_by()
            .values_list("tahun_mulai", flat=True)
            .distinct()
        )
        | {tahun}
    )
    context: dict[str, Any] = {
        "pemda": pemda,
        "tahun": tahun,
        "years": years,
        "document": evaluation.document,
        "has_lines": bool(evaluation.lines),
    }
    if evaluation.document is not None and evaluation.lines:
        rows = sorted(
            (
                {
                    "label": group.label if group.key != NO_SASARAN else _("Belum ditautkan ke sasaran"),
                    "linked": group.key != NO_SASARAN,
                    "figures": _figures(group),
                }
                for group in evaluation.per_sasaran()
            ),
            key=lambda row: (not row["linked"], row["label"]),
        )
        total = evaluation.total()
        context.update(
            {
                "total": _figures(total),
                "rows": rows,
                "has_data": _has_data(evaluation.lines),
                "latest_quarter": _latest_quarter(evaluation.lines),
                "chart": _groups_chart(rows, title=_("Capaian per sasaran"), chart_id="capaian-sasaran"),
            }
        )
    return render(request, "monitoring/public_capaian.html", context)
