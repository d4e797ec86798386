"""Tenant pages of the regions app: OPD list/create/edit/deactivate/import/export, the region map."""

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, NotFoundError
from rencana.core.exports import csv_response, xlsx_response
from rencana.core.forms import form_errors_from
from rencana.core.pagination import paginate, query_without_page
from rencana.regions import selectors, services
from rencana.regions.forms import OpdForm, OpdImportForm
from rencana.regions.models import Opd, Pemda
from rencana.regions.opd_import import opd_import_run, opd_import_template_bytes


def _pemda(request: PemdaRequest) -> Pemda:
    return request.pemda


@pemda_view("opd.view")
@require_GET
def opd_list(request: PemdaRequest) -> HttpResponse:
    pemda = _pemda(request)
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "aktif")
    page = paginate(request, selectors.opd_list(pemda=pemda, q=q, status=status))
    context = {
        "pemda": pemda,
        "page": page,
        "q": q,
        "status": status,
        "query": query_without_page(request),
        "can_manage": request.scope.has("opd.manage"),
    }
    return render(request, "regions/opd_list.html", context)


OPD_HEADERS = ["Kode", "Nama", "Singkatan", "Urusan/bidang", "Aktif"]


@pemda_view("opd.view")
@require_GET
def opd_export(request: PemdaRequest) -> HttpResponse:
    pemda = _pemda(request)
    qs = selectors.opd_list(
        pemda=pemda, q=request.GET.get("q", "").strip()[:100], status=request.GET.get("status", "aktif")
    )
    rows = ([o.kode, o.nama, o.singkatan, o.urusan, "ya" if o.aktif else "tidak"] for o in qs)
    if request.GET.get("format") == "csv":
        return csv_response(f"opd-{pemda.kode}.csv", OPD_HEADERS, rows)
    return xlsx_response(f"opd-{pemda.kode}.xlsx", "OPD", OPD_HEADERS, rows)


def _opd_or_404(request: PemdaRequest, opd_id: int) -> Opd:
    opd = selectors.opd_get(pemda=_pemda(request), opd_id=opd_id)
    if opd is None:
        raise NotFoundError(_("OPD tidak ditemukan di pemda ini."))
    return opd


@pemda_view("opd.manage")
@require_http_methods(["GET", "POST"])
def opd_create(request: PemdaRequest) -> HttpResponse:
    pemda = _pemda(request)
    form = OpdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opd = services.opd_create(
                actor=request.user,
                pemda=pemda,
                kode=data["kode"],
                nama=data["nama"],
                singkatan=data["singkatan"],
                urusan=data["urusan"],
            )
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("OPD “%(nama)s” ditambahkan.") % {"nama": opd.nama})
            return redirect("regions:opd_list", kode=pemda.kode)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "regions/opd_form.html", {"pemda": pemda, "form": form, "opd": None}, status=status
    )


@pemda_view("opd.manage")
@require_http_methods(["GET", "POST"])
def opd_edit(request: PemdaRequest, opd_id: int) -> HttpResponse:
    pemda = _pemda(request)
    opd = _opd_or_404(request, opd_id)
    initial = {
        "kode": opd.kode,
        "nama": opd.nama,
        "singkatan": opd.singkatan,
        "urusan": opd.urusan,
        "version": opd.version,
    }
    form = OpdForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.opd_update(
                    actor=request.user,
                    opd=opd,
                    expected_version=data["version"] or 0,
                    kode=data["kode"],
                    nama=data["nama"],
                    singkatan=data["singkatan"],
                    urusan=data["urusan"],
                )
            except ApplicationError as exc:
                status = exc.status
                form_errors_from(form, exc)
                opd.refresh_from_db()
            else:
                messages.success(request, _("Perubahan OPD “%(nama)s” disimpan.") % {"nama": opd.nama})
                return redirect("regions:opd_list", kode=pemda.kode)
    return render(request, "regions/opd_form.html", {"pemda": pemda, "form": form, "opd": opd}, status=status)


@pemda_view("opd.manage")
@require_POST
def opd_toggle(request: PemdaRequest, opd_id: int) -> HttpResponse:
    pemda = _pemda(request)
    opd = _opd_or_404(request, opd_id)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise ApplicationError(_("Versi data tidak dikirim; muat ulang halaman lalu coba lagi.")) from None
    aktif = request.POST.get("aktif") == "1"
    services.opd_set_active(actor=request.user, opd=opd, expected_version=version, aktif=aktif)
    if aktif:
        messages.success(request, _("OPD “%(nama)s” diaktifkan kembali.") % {"nama": opd.nama})
    else:
        messages.success(
            request, _("OPD “%(nama)s” dinonaktifkan. Datanya tetap tersimpan.") % {"nama": opd.nama}
        )
    return redirect("regions:opd_list", kode=pemda.kode)


def _upload_dir(pemda: Pemda, user_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "impor" / f"{pemda.pk}-{user_id}"


@pemda_view("opd.import")
@require_http_methods(["GET", "POST"])
def opd_import(request: PemdaRequest) -> HttpResponse:
    """Upload -> dry run with every error -> confirm -> one transaction (all or nothing)."""
    pemda = _pemda(request)
    form = OpdImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"pemda": pemda, "form": form}
    if request.method != "POST":
        return render(request, "regions/opd_import.html", context)
    folder = _upload_dir(pemda, request.user.pk)
    token = request.POST.get("token", "")
    if "berkas" in request.FILES:
        upload = request.FILES.get("berkas")
        assert upload is not None
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            form.add_error("berkas", _("Berkas harus berformat .xlsx atau .csv."))
            return render(request, "regions/opd_import.html", context, status=400)
        folder.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex + suffix
        with open(folder / token, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
    stored = folder / token if token and "/" not in token and ".." not in token else None
    if stored is None or not stored.exists():
        form.add_error("berkas", _("Pilih berkas yang akan diimpor."))
        return render(request, "regions/opd_import.html", context, status=400)
    commit = request.POST.get("aksi") == "impor"
    result = opd_import_run(actor=request.user, pemda=pemda, path=stored, dry_run=not commit)
    context.update({"result": result, "token": token})
    if commit and result.ok:
        stored.unlink(missing_ok=True)
        messages.success(
            request,
            _("Impor selesai: %(c)d OPD baru, %(u)d diperbarui, %(n)d tidak berubah.")
            % {"c": result.created, "u": result.updated, "n": result.unchanged},
        )
        return redirect("regions:opd_list", kode=pemda.kode)
    return render(request, "regions/opd_import.html", context, status=200 if result.ok else 400)


@pemda_view("opd.import")
@require_GET
def opd_import_template(request: PemdaRequest) -> HttpResponse:
    from rencana.core.exports import XLSX_TYPE

    response = HttpResponse(opd_import_template_bytes(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-opd.xlsx"'
    return response


@pemda_view("pemda.view")
@require_GET
def pemda_map(request: PemdaRequest) -> HttpResponse:
    pemda = _pemda(request)
    boundaries = list(selectors.child_boundaries(kode=pemda.kode))
    features = [
        {
            "type": "Feature",
            "geometry": b.geometry,
            "properties": {"kode": b.region_id, "nama": b.region.nama},
        }
        for b in boundaries
    ]
    context = {
        "pemda": pemda,
        "boundaries": boundaries,
        "geojson": {"type": "FeatureCollection", "features": features},
    }
    return render(request, "regions/peta.html", context)
