"""Report of a strategic analysis: a printable summary page and the downloads (XLSX and PDF).

Every staff member with `strategy.view` reads them; another pemda's analysis is "not found". A PDF that
cannot be made on this server raises `PdfUnavailableError` (an `ApplicationError`), which the error
middleware renders as a page naming the missing packages.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.exports import XLSX_TYPE
from rencana.strategy import access, reports, views


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@pemda_view("strategy.view")
@require_GET
def report_page(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    data = reports.report_data(analysis)
    context = views._base(request, analysis, "report")
    kwargs = {"kode": request.pemda.kode, "analysis_id": analysis.pk}
    context.update(
        reports.presentation(data),
        xlsx_url=reverse("strategy:report_xlsx", kwargs=kwargs),
        pdf_url=reverse("strategy:report_pdf", kwargs=kwargs),
    )
    return render(request, "strategy/report.html", context)


@pemda_view("strategy.view")
@require_GET
def report_xlsx(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    data = reports.report_data(access.get_analysis(request.pemda, analysis_id))
    return _attachment(reports.report_xlsx(data), XLSX_TYPE, f"{data.filename}.xlsx")


@pemda_view("strategy.view")
@require_GET
def report_pdf(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    data = reports.report_data(access.get_analysis(request.pemda, analysis_id))
    return _attachment(reports.report_pdf(data), reports.PDF_TYPE, f"{data.filename}.pdf")
