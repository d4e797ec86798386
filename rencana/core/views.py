"""Shell pages: landing, pemda dashboard, audit trail, language switch, error pages, health."""

import datetime
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from rencana.accounts.scope import PemdaRequest, UserRequest, pemda_view, pemdas_of
from rencana.core.access import login_view, public_view
from rencana.core.errors import NotFoundError
from rencana.core.exports import xlsx_response
from rencana.core.models import AuditEvent
from rencana.core.pagination import paginate, query_without_page
from rencana.core.selectors import AuditFilter, audit_choices, audit_events
from rencana.regions.facts import region_facts
from rencana.regions.models import Opd


@public_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html")


@public_view
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_view
@require_GET
def dashboard_redirect(request: UserRequest) -> HttpResponse:
    pemdas = list(pemdas_of(request.user))
    remembered = request.session.get("pemda_kode")
    for pemda in pemdas:
        if pemda.kode == remembered:
            return redirect("core:dashboard_pemda", kode=pemda.kode)
    if pemdas:
        return redirect("core:dashboard_pemda", kode=pemdas[0].kode)
    return render(request, "core/no_role.html")


@pemda_view("pemda.view")
@require_GET
def dashboard(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    opd_count = Opd.objects.filter(pemda=pemda, aktif=True).count()
    context = {
        "pemda": pemda,
        "opd_count": opd_count,
        "facts": region_facts(pemda.kode),
        "show_plan_panel": request.scope.has("plan.view"),
        "show_monev_panel": request.scope.has("monev.view"),
    }
    return render(request, "core/dashboard.html", context)


def _parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _audit_filter(request: HttpRequest) -> AuditFilter:
    g = request.GET
    return AuditFilter(
        actor=g.get("pelaku", "").strip()[:150],
        action=g.get("aksi", "").strip()[:40],
        object_type=g.get("jenis", "").strip()[:80],
        date_from=_parse_date(g.get("dari", "")),
        date_to=_parse_date(g.get("sampai", "")),
        q=g.get("q", "").strip()[:100],
    )


@pemda_view("audit.view")
@require_GET
def audit_list(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    filters = _audit_filter(request)
    page = paginate(request, audit_events(pemda_id=pemda.pk, filters=filters))
    actions, types = audit_choices(pemda_id=pemda.pk)
    context: dict[str, Any] = {
        "pemda": pemda,
        "page": page,
        "filters": filters,
        "actions": actions,
        "types": types,
        "query": query_without_page(request),
    }
    return render(request, "core/audit_list.html", context)


AUDIT_HEADERS = [
    "Waktu",
    "Pelaku",
    "Aksi",
    "Jenis objek",
    "ID objek",
    "Objek",
    "Sebelum",
    "Sesudah",
    "ID permintaan",
]


@pemda_view("audit.view")
@require_GET
def audit_export(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    events = audit_events(pemda_id=pemda.pk, filters=_audit_filter(request))
    rows = (
        [
            e.at,
            e.actor_label,
            e.action,
            e.object_type,
            e.object_id,
            e.object_label,
            e.before,
            e.after,
            e.request_id,
        ]
        for e in events.iterator(chunk_size=2000)
    )
    return xlsx_response(f"audit-{pemda.kode}.xlsx", "Audit", AUDIT_HEADERS, rows)


@pemda_view("audit.view")
@require_GET
def audit_detail(request: PemdaRequest, event_id: int) -> HttpResponse:
    pemda = request.pemda
    event = AuditEvent.objects.filter(pemda_id=pemda.pk, pk=event_id).first()
    if event is None:
        raise NotFoundError(_("Catatan audit tidak ditemukan."))
    return render(request, "core/audit_detail.html", {"pemda": pemda, "event": event})


@public_view
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"status": 403, "message": _("Anda tidak berwenang membuka halaman ini.")},
        status=403,
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "core/error.html", {"status": 404, "message": _("Halaman tidak ditemukan.")}, status=404
    )


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the 500 page must render even when it is down.
    from django.template import loader

    template = loader.get_template("core/error_500.html")
    return HttpResponse(template.render({}), status=500)
