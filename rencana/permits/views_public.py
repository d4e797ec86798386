"""Public tracking page, public complaint form, and the Inspektorat's complaint inbox.

The tracking and complaint pages need no login and show no personal data (see `services_public`).
The inbox is a tenant page (permission "complaint.view": Inspektorat and admin of the pemda).
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rencana.accounts.scope import PEMDA_KODE, PemdaRequest, pemda_view
from rencana.core.access import public_view
from rencana.core.errors import ApplicationError
from rencana.core.exports import xlsx_response
from rencana.core.pagination import paginate, query_without_page
from rencana.permits import services_public
from rencana.permits.models import ComplaintStatus
from rencana.regions.models import Pemda

# Set in the session when the complaint form is shown; a POST without it shows the form again (a browser
# that keeps no session would otherwise escape the per-session limit).
FORM_SEEN_KEY = "permits_pengaduan_form"


def _no_index(response: HttpResponse) -> HttpResponse:
    """Tracking pages are for whoever holds the code, not for search engines."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


# --- tracking ---------------------------------------------------------------------------------------------


@public_view
@require_GET
def track_form(request: HttpRequest) -> HttpResponse:
    """A box to type a tracking code; ?kode=... goes to the tracking page of that code."""
    raw = request.GET.get("kode", "")
    if raw:
        bare = services_public.normalize_code(raw)
        if bare:
            return redirect(reverse("permits:track", kwargs={"kode_lacak": bare}))
        response = render(
            request,
            "permits/track_form.html",
            {
                "kode": raw[: services_public.MAX_CODE_INPUT],
                "error": _("Kode lacak hanya berisi huruf dan angka."),
            },
            status=400,
        )
        return _no_index(response)
    return _no_index(render(request, "permits/track_form.html", {"kode": ""}))


@public_view
@require_GET
def track(request: HttpRequest, kode_lacak: str) -> HttpResponse:
    view = services_public.tracking_view(kode_lacak)
    if view is None:
        shown = kode_lacak[: services_public.MAX_CODE_INPUT]
        response = render(
            request,
            "permits/track_form.html",
            {"kode": shown, "not_found": True},
            status=404,
        )
        return _no_index(response)
    if kode_lacak != view.kode_lacak:
        return redirect(reverse("permits:track", kwargs={"kode_lacak": view.kode_lacak}))
    complaint_url = reverse("permits:complaint_public", kwargs={"kode": view.pemda_kode})
    return _no_index(render(request, "permits/track.html", {"view": view, "complaint_url": complaint_url}))


# --- public complaint form -------------------------------------------------------------------------------


def _public_pemda(kode: str) -> Pemda:
    pemda = Pemda.objects.filter(kode=kode, aktif=True).first() if PEMDA_KODE.match(kode) else None
    if pemda is None:
        raise Http404(_("Pemda tidak ditemukan."))
    return pemda


@public_view
@require_http_methods(["GET", "POST"])
def complaint_public(request: HttpRequest, kode: str) -> HttpResponse:
    pemda = _public_pemda(kode)
    values = {
        "kode_lacak": request.GET.get("kode_lacak", "")[: services_public.MAX_CODE_INPUT],
        "isi": "",
        "nama": "",
        "kontak": "",
    }
    errors: list[dict[str, str]] = []
    message = ""
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        if not request.session.get(FORM_SEEN_KEY):
            message = _("Sesi formulir telah berakhir. Periksa isian Anda, lalu kirim sekali lagi.")
            status = 400
        else:
            try:
                services_public.complaint_create(
                    pemda=pemda,
                    isi=values["isi"],
                    kode_lacak=values["kode_lacak"],
                    nama=values["nama"],
                    kontak=values["kontak"],
                    session=request.session,
                )
            except services_public.TooManyComplaintsError as exc:
                message, status = exc.message, exc.status
            except ApplicationError as exc:
                message, errors, status = exc.message, exc.errors, exc.status
            else:
                messages.success(
                    request,
                    _(
                        "Terima kasih. Pengaduan Anda sudah diterima dan diteruskan kepada "
                        "Inspektorat {pemda}."
                    ).format(pemda=pemda.nama),
                )
                return redirect(reverse("permits:complaint_public", kwargs={"kode": pemda.kode}))
        # Long junk is not echoed back in full.
        values = {name: value[: services_public.ISI_MAX + 100] for name, value in values.items()}
    request.session[FORM_SEEN_KEY] = True
    context: dict[str, Any] = {
        "pemda": pemda,
        "values": values,
        "errors": {e.get("kolom", ""): e.get("pesan", "") for e in errors},
        "message": message,
        "limits": {
            "isi": services_public.ISI_MAX,
            "nama": services_public.NAMA_MAX,
            "kontak": services_public.KONTAK_MAX,
            "kode": services_public.MAX_CODE_INPUT,
        },
    }
    return _no_index(render(request, "permits/complaint_public.html", context, status=status))


# --- the Inspektorat's inbox ------------------------------------------------------------------------------


def _status_filter(request: HttpRequest) -> str:
    value = request.GET.get("status", "")
    return value if value in ComplaintStatus.values else ""


@pemda_view("complaint.view")
@require_GET
def complaints(request: PemdaRequest) -> HttpResponse:
    status = _status_filter(request)
    page = paginate(request, services_public.complaints_of(request.pemda, status=status))
    context: dict[str, Any] = {
        "pemda": request.pemda,
        "page": page,
        "status": status,
        "statuses": ComplaintStatus.choices,
        "query": query_without_page(request),
    }
    return render(request, "permits/complaint_list.html", context)


COMPLAINT_HEADERS = [
    "No.",
    "Diterima",
    "Status",
    "Kode lacak",
    "Isi pengaduan",
    "Nama pelapor (disamarkan)",
    "Kontak pelapor (disamarkan)",
    "Tindak lanjut",
]


def _safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is stored as plain text (public input: never trusted)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@pemda_view("complaint.view")
@require_GET
def complaint_export(request: PemdaRequest) -> HttpResponse:
    rows = (
        [
            _safe_cell(v)
            for v in (
                c.pk,
                timezone.localtime(c.dibuat),
                c.get_status_display(),
                c.kode_lacak,
                c.isi,
                services_public.mask_text(c.nama) or "anonim",
                services_public.mask_text(c.kontak),
                c.tindak_lanjut,
            )
        ]
        for c in services_public.complaints_of(request.pemda, status=_status_filter(request)).iterator(
            chunk_size=2000
        )
    )
    return xlsx_response(f"pengaduan-{request.pemda.kode}.xlsx", "Pengaduan", COMPLAINT_HEADERS, rows)


@pemda_view("complaint.view")
@require_http_methods(["GET", "POST"])
def complaint_detail(request: PemdaRequest, complaint_id: int) -> HttpResponse:
    complaint = services_public.complaint_get(request.pemda, complaint_id)
    errors: list[dict[str, str]] = []
    message = ""
    values = {"status": complaint.status, "tindak_lanjut": complaint.tindak_lanjut}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        try:
            services_public.complaint_update(
                actor=request.user,
                complaint=complaint,
                status=values["status"],
                tindak_lanjut=values["tindak_lanjut"],
                expected_version=request.POST.get("versi", ""),
            )
        except ApplicationError as exc:
            if exc.status == 409:
                raise
            message, errors, status = exc.message, exc.errors, exc.status
        else:
            messages.success(request, _("Tindak lanjut pengaduan tersimpan."))
            return redirect(
                reverse(
                    "permits:complaint_detail",
                    kwargs={"kode": request.pemda.kode, "complaint_id": complaint.pk},
                )
            )
    context: dict[str, Any] = {
        "pemda": request.pemda,
        "complaint": complaint,
        "values": values,
        "versi": services_public.complaint_fingerprint(complaint),
        "statuses": ComplaintStatus.choices,
        "errors": {e.get("kolom", ""): e.get("pesan", "") for e in errors},
        "message": message,
        "track_url": reverse("permits:track", kwargs={"kode_lacak": complaint.permohonan.kode_lacak})
        if complaint.permohonan
        else "",
    }
    return render(request, "permits/complaint_detail.html", context, status=status)
