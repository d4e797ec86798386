"""Evaluation pages: report downloads (RKPD and RPJMD tables as XLSX/PDF), early warnings, and the advice
per program and kegiatan with the planner's decisions. An OPD operator sees only its own OPD."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, NotFoundError
from rencana.core.exports import XLSX_TYPE
from rencana.monitoring import access, advice, reports, selectors, services, warning
from rencana.monitoring.models import Decision
from rencana.monitoring.views import _opd, _period
from rencana.planning.models import PlanNode
from rencana.regions.models import Opd

REPORT_KINDS = ("rkpd", "rpjmd")
BASIS_VERIFIED = "terverifikasi"


def _flag(request: PemdaRequest, name: str) -> bool:
    return request.GET.get(name, "") in ("1", "ya", "on", "true")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- report downloads -------------------------------------------------------------------------------


@pemda_view("monev.view")
@require_GET
def report_page(request: PemdaRequest) -> HttpResponse:
    """`?tahun=&tw=&jenis=rkpd|rpjmd&format=xlsx|pdf[&sementara=1]`: the file; without them, the links."""
    pemda = request.pemda
    tahun, triwulan = _period(request)
    jenis = request.GET.get("jenis", "")
    fmt = request.GET.get("format", "")
    sementara = _flag(request, "sementara")
    opd_ids = access.visible_opds(request.scope)
    rkpd = selectors.rkpd_for(pemda, tahun)
    context: dict[str, Any] = {
        "pemda": pemda,
        "tahun": tahun,
        "triwulan": triwulan,
        "quarters": selectors.QUARTERS,
        "sementara": sementara,
        "rkpd": rkpd,
        "rpjmd": reports.rpjmd_for(pemda, tahun, rkpd),
        "scoped": opd_ids is not None,
        "downloads": [
            {
                "jenis": kind,
                "label": _("Evaluasi hasil RKPD") if kind == "rkpd" else _("Evaluasi akhir periode RPJMD"),
                "formats": [
                    {
                        "format": f,
                        "label": f.upper(),
                        "query": _report_query(tahun, triwulan, kind, f, sementara),
                    }
                    for f in reports.FORMATS
                ],
            }
            for kind in REPORT_KINDS
        ],
        "errors": [],
    }
    if not jenis and not fmt:
        return render(request, "monitoring/report_page.html", context)
    if jenis not in REPORT_KINDS:
        context["errors"].append(_("Jenis laporan harus rkpd atau rpjmd."))
    if fmt not in reports.FORMATS:
        context["errors"].append(_("Format harus xlsx atau pdf."))
    if context["errors"]:
        return render(request, "monitoring/report_page.html", context, status=400)
    try:
        build = reports.rkpd_table if jenis == "rkpd" else reports.rpjmd_table
        table = build(pemda, tahun, triwulan, include_submitted=sementara, opd_ids=opd_ids)
        content, content_type, filename = reports.render_table(table, fmt)
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        context["errors"].append(exc.message)
        return render(request, "monitoring/report_page.html", context, status=exc.status)
    return _attachment(content, content_type, filename)


def _report_query(tahun: int, triwulan: int, jenis: str, fmt: str, sementara: bool) -> str:
    query = f"?tahun={tahun}&tw={triwulan}&jenis={jenis}&format={fmt}"
    return query + ("&sementara=1" if sementara else "")


# --- early warning ----------------------------------------------------------------------------------


def _warnings(request: PemdaRequest, opd: Opd | None) -> HttpResponse:
    pemda = request.pemda
    tahun, triwulan = _period(request)
    verified_only = request.GET.get("dasar", "") == BASIS_VERIFIED
    opd_ids = frozenset({opd.pk}) if opd is not None else access.visible_opds(request.scope)
    report = reports.early_warnings(
        pemda, tahun, triwulan, include_submitted=not verified_only, opd_ids=opd_ids
    )
    rows = []
    for item in report.lines:
        node = item.line.node
        rows.append(
            {
                "node": node,
                "opd": node.opd,
                "worst": item.worst.value if item.worst else "",
                "warnings": [
                    {
                        "tingkat": found.tingkat.value,
                        "label": warning.severity_label(found.tingkat),
                        "objek": _("Indikator") if found.objek == warning.INDIKATOR else _("Anggaran"),
                        "nama": found.nama,
                        "alasan": found.alasan,
                    }
                    for found in item.warnings
                ],
                "skipped": item.skipped,
                "url": reverse(
                    "monitoring:entry",
                    kwargs={"kode": pemda.kode, "node_id": node.pk, "tahun": tahun, "triwulan": triwulan},
                ),
            }
        )
    counts = report.counts()
    context = {
        "pemda": pemda,
        "opd": opd,
        "tahun": tahun,
        "triwulan": triwulan,
        "quarters": selectors.QUARTERS,
        "verified_only": verified_only,
        "document": report.evaluation.document,
        "rows": rows,
        "checked": report.checked,
        "counts": [
            {
                "tingkat": severity.value,
                "label": warning.severity_label(severity),
                "jumlah": counts[severity.value],
            }
            for severity in warning.Severity
        ],
        "opds": _opd_links(request, report) if opd is None else [],
    }
    return render(request, "monitoring/warning_list.html", context)


def _opd_links(request: PemdaRequest, report: reports.WarningReport) -> list[Opd]:
    """The OPDs with lines in scope, to open one OPD's warnings."""
    seen: dict[int, Opd] = {}
    for line in report.evaluation.lines:
        if line.node.opd is not None:
            seen.setdefault(line.node.opd.pk, line.node.opd)
    return sorted(seen.values(), key=lambda o: o.kode)


@pemda_view("monev.view")
@require_GET
def warnings_page(request: PemdaRequest) -> HttpResponse:
    """Early warnings after quarter `tw` for every OPD the user may read (Bappeda: all)."""
    return _warnings(request, None)


@pemda_view("monev.view")
@require_GET
def warnings_opd(request: PemdaRequest, opd_id: int) -> HttpResponse:
    """The same for one OPD; another OPD's page is a 404 for an operator."""
    return _warnings(request, _opd(request, opd_id))


# --- advice and decisions ---------------------------------------------------------------------------


class DecisionForm(forms.Form):
    keputusan = forms.ChoiceField(label=gettext_lazy("Keputusan"), choices=Decision.choices)
    catatan = forms.CharField(
        label=gettext_lazy("Alasan keputusan"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _year(request: PemdaRequest) -> int:
    tahun, _triwulan = _period(request)
    return tahun


def _advice_url(pemda_kode: str, tahun: int, node_id: int | None = None) -> str:
    url = reverse("monev_reports:advice", kwargs={"kode": pemda_kode}) + f"?tahun={tahun}"
    return url + (f"#simpul-{node_id}" if node_id else "")


def _advice_page(
    request: PemdaRequest,
    tahun: int,
    *,
    failed: tuple[int, DecisionForm, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    pemda = request.pemda
    opd_ids = access.visible_opds(request.scope)
    report = reports.advice_rows(pemda, tahun, opd_ids=opd_ids)
    can_manage = request.scope.has("monev.manage")
    rows = []
    for row in report.rows:
        result = row.advice
        form: DecisionForm | None = None
        error = ""
        if can_manage:
            if failed is not None and failed[0] == row.node.pk:
                form, error = failed[1], failed[2]
            else:
                initial = row.decision.keputusan if row.decision else result.rekomendasi
                form = DecisionForm(
                    initial={
                        "keputusan": initial if initial in Decision.values else "",
                        "catatan": row.decision.catatan if row.decision else "",
                    },
                    prefix=f"k{row.node.pk}",
                )
        rows.append(
            {
                "row": row,
                "node": row.node,
                "opd": row.figure.opd,
                "depth": row.figure.depth,
                "years": [
                    {
                        "tahun": y,
                        "capaian": reports.achievement.persen(c),
                        "serapan": reports.achievement.persen(s),
                    }
                    for y, c, s in row.years
                ],
                "rekomendasi": result.rekomendasi,
                "rekomendasi_label": advice.recommendation_label(result.rekomendasi),
                "advice": result,
                "decision": row.decision,
                "decision_label": row.decision.get_keputusan_display() if row.decision else "",
                "form": form,
                "error": error,
                "action": reverse(
                    "monev_reports:decide", kwargs={"kode": pemda.kode, "node_id": row.node.pk}
                ),
            }
        )
    context = {
        "pemda": pemda,
        "tahun": tahun,
        "years": report.years,
        "document": report.document,
        "rows": rows,
        "can_manage": can_manage,
        "running": tahun >= timezone.localdate().year,
        "export_url": reverse("monev_reports:decisions_export", kwargs={"kode": pemda.kode})
        + f"?tahun={tahun}",
    }
    return render(request, "monitoring/advice_list.html", context, status=status)


@pemda_view("monev.view")
@require_GET
def advice_page(request: PemdaRequest) -> HttpResponse:
    """The advice (lanjutkan / modifikasi / hentikan) per program and kegiatan of the year's RKPD."""
    return _advice_page(request, _year(request))


@pemda_view("monev.manage")
@require_POST
def advice_decide(request: PemdaRequest, node_id: int) -> HttpResponse:
    """Record the planner's decision on one program or kegiatan; the advice is recomputed here, so a
    decision that differs from it needs a reason (`services.decision_record` enforces it)."""
    pemda = request.pemda
    node = (
        PlanNode.objects.filter(
            pemda=pemda, pk=node_id, jenis__in=("program", "kegiatan"), dokumen__jenis="RKPD"
        )
        .select_related("dokumen")
        .first()
    )
    if node is None:
        raise NotFoundError(_("Program atau kegiatan RKPD tidak ditemukan di pemda ini."))
    tahun = node.dokumen.tahun_mulai
    form = DecisionForm(request.POST, prefix=f"k{node.pk}")
    if not form.is_valid():
        return _advice_page(request, tahun, failed=(node.pk, form, _("Periksa isian keputusan.")), status=400)
    computed = reports.advice_rows(pemda, tahun, node_ids=frozenset({node.pk}))
    saran = computed.rows[0].advice.rekomendasi if computed.rows else ""
    try:
        services.decision_record(
            actor=request.user,
            node=node,
            tahun=tahun,
            keputusan=form.cleaned_data["keputusan"],
            catatan=form.cleaned_data["catatan"],
            saran=saran,
        )
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        for item in exc.errors:
            if item.get("kolom") == "catatan":
                form.add_error("catatan", item.get("pesan", ""))
        return _advice_page(request, tahun, failed=(node.pk, form, exc.message), status=exc.status)
    messages.success(request, _("Keputusan atas %(simpul)s dicatat.") % {"simpul": node})
    return redirect(_advice_url(pemda.kode, tahun, node.pk))


@pemda_view("monev.view")
@require_GET
def decisions_export(request: PemdaRequest) -> HttpResponse:
    """The hentikan and modifikasi decisions of the year as XLSX, for the next RKPD draft."""
    pemda = request.pemda
    tahun = _year(request)
    content = reports.decisions_xlsx(pemda, tahun, opd_ids=access.visible_opds(request.scope))
    return _attachment(content, XLSX_TYPE, f"keputusan-{reports.safe_filename(pemda.kode)}-{tahun}.xlsx")
