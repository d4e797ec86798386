"""Pages of managed-area maps: an application's map (upload, findings, Leaflet map), its GeoJSON for the
map, and the officer's forest-area layers. Thin: the work is in `services_maps` and `geometry`."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, NotFoundError
from rencana.core.exports import xlsx_response
from rencana.core.forms import form_errors_from
from rencana.core.numbers import format_angka
from rencana.core.pagination import paginate, query_without_page
from rencana.permits import access, geometry, services_maps
from rencana.permits.models import Application, AreaMap, ForestLayer

MAP_ACCEPT = ".geojson,.json,.kml,.kmz,.zip"


class MapUploadForm(forms.Form):
    berkas = forms.FileField(
        label=gettext_lazy("Berkas peta (GeoJSON, KML/KMZ atau shapefile dalam .zip, paling besar 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": MAP_ACCEPT}),
    )


class ForestLayerForm(forms.Form):
    nama = forms.CharField(label=gettext_lazy("Nama lapisan"), max_length=services_maps.MAX_NAMA_LAPISAN)
    berkas = forms.FileField(
        label=gettext_lazy("Berkas lapisan (GeoJSON, KML/KMZ atau shapefile dalam .zip, paling besar 40 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": MAP_ACCEPT}),
    )


def _number(value: Any, decimals: int = 2) -> str:
    """A stored Decimal string in Indonesian notation ("" when missing)."""
    if value is None or value == "":
        return ""
    try:
        return format_angka(Decimal(str(value)), decimals)
    except (InvalidOperation, ValueError):
        return ""


def _findings_view(findings: dict[str, Any]) -> dict[str, Any]:
    """The findings with numbers formatted for the page."""
    if not findings.get("ada_peta"):
        return {"ada_peta": False}
    selisih = findings.get("selisih_persen")
    return {
        "ada_peta": True,
        "luas": _number(findings.get("luas_ha"), 2),
        "luas_geodesik": _number(findings.get("luas_geodesik_ha"), 2),
        "dinyatakan": _number(findings.get("luas_dinyatakan_ha"), 2),
        "selisih_ha": _number(findings.get("selisih_ha"), 2),
        "selisih_persen": _number(selisih, 2),
        "toleransi": _number(findings.get("toleransi_persen"), 0),
        "luas_sesuai": findings.get("luas_sesuai"),
        "tumpang_tindih": [
            {
                "kode_lacak": o.get("kode_lacak", ""),
                "luas": _number(o.get("luas_ha"), 2),
                "persen": _number(o.get("persen"), 2),
                "tahap": o.get("tahap_nama") or o.get("tahap", ""),
                "status": o.get("status", ""),
            }
            for o in findings.get("tumpang_tindih", [])
        ],
        "lapisan": findings.get("lapisan"),
        "di_luar_ha": _number(findings.get("di_luar_kawasan_ha"), 2),
        "di_luar_persen": _number(findings.get("di_luar_kawasan_persen"), 2),
        "ada_di_luar": bool(findings.get("di_luar_kawasan_ha"))
        and Decimal(str(findings.get("di_luar_kawasan_ha"))) > 0,
        "catatan": findings.get("catatan", []),
    }


def _back_url(request: PemdaRequest) -> str:
    name = "permits:home" if request.scope.has("permit.view") else "permits:my_applications"
    return reverse(name, kwargs={"kode": request.pemda.kode})


def _render_map_page(
    request: PemdaRequest, application: Application, form: MapUploadForm, status: int = 200
) -> HttpResponse:
    peta = AreaMap.objects.filter(permohonan_id=application.pk).first()
    findings = services_maps.map_check(application) if peta is not None else {"ada_peta": False}
    context = {
        "application": application,
        "peta": peta,
        "luas_peta": _number(peta.luas_ha, 4) if peta is not None else "",
        "format_label": geometry.FORMAT_LABELS.get(peta.format_berkas, peta.format_berkas) if peta else "",
        "temuan": _findings_view(findings),
        "form": form,
        "may_upload": services_maps.may_upload_map(request.scope, request.user, application),
        "is_officer": access.can_process(request.scope),
        "geojson_url": reverse(
            "permits:map_geojson", kwargs={"kode": request.pemda.kode, "application_id": application.pk}
        ),
        "back_url": _back_url(request),
        "accept": MAP_ACCEPT,
    }
    return render(request, "permits/map_upload.html", context, status=status)


@pemda_view("permit.apply")
@require_http_methods(["GET", "POST"])
def map_upload(request: PemdaRequest, application_id: int) -> HttpResponse:
    application = access.get_application(request, application_id)
    form = MapUploadForm()
    if request.method == "POST":
        form = MapUploadForm(request.POST, request.FILES)
        valid = form.is_valid()
        try:
            services_maps.require_may_upload(request.scope, request.user, application)
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            form_errors_from(form, exc)
            return _render_map_page(request, application, form, status=exc.status)
        if valid:
            try:
                peta = services_maps.map_upload(
                    actor=request.user, application=application, upload=form.cleaned_data["berkas"]
                )
            except ApplicationError as exc:
                if exc.status == 403:
                    raise
                form_errors_from(form, exc)
                return _render_map_page(request, application, form, status=exc.status)
            messages.success(
                request,
                _("Peta diunggah: luas terhitung {luas} ha.").format(luas=format_angka(peta.luas_ha, 2)),
            )
            return redirect("permits:map_upload", kode=request.pemda.kode, application_id=application.pk)
        return _render_map_page(request, application, form, status=400)
    return _render_map_page(request, application, form)


@pemda_view("permit.apply")
@require_GET
def map_geojson(request: PemdaRequest, application_id: int) -> HttpResponse:
    try:
        application = access.get_application(request, application_id)
    except NotFoundError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    data = services_maps.overlap_features(application)
    response = JsonResponse(data)
    response["Content-Type"] = "application/geo+json"
    return response


def _layer_rows(layers: Any) -> list[list[Any]]:
    return [
        [
            layer.nama,
            float(layer.luas_ha),
            _("aktif") if layer.aktif else _("tidak aktif"),
            layer.diunggah_oleh.username if layer.diunggah_oleh else "",
            layer.diunggah,
        ]
        for layer in layers
    ]


@pemda_view("permit.process")
@require_http_methods(["GET", "POST"])
def forest_layers(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    form = ForestLayerForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("aksi", "unggah")
        try:
            if action == "nonaktifkan":
                raw_id = request.POST.get("lapisan", "")
                layer = ForestLayer.objects.filter(
                    pemda=pemda, pk=int(raw_id) if raw_id.isdigit() and len(raw_id) < 12 else 0
                ).first()
                if layer is None:
                    raise NotFoundError(_("Lapisan kawasan hutan tidak ditemukan."))
                services_maps.forest_layer_deactivate(actor=request.user, layer=layer)
                messages.success(request, _("Lapisan “{nama}” dinonaktifkan.").format(nama=layer.nama))
                return redirect("permits:forest_layers", kode=pemda.kode)
            form = ForestLayerForm(request.POST, request.FILES)
            if form.is_valid():
                layer = services_maps.forest_layer_upload(
                    actor=request.user,
                    pemda=pemda,
                    nama=form.cleaned_data["nama"],
                    upload=form.cleaned_data["berkas"],
                )
                messages.success(
                    request,
                    _("Lapisan “{nama}” diunggah dan dipakai untuk pemeriksaan peta ({luas} ha).").format(
                        nama=layer.nama, luas=format_angka(layer.luas_ha, 2)
                    ),
                )
                return redirect("permits:forest_layers", kode=pemda.kode)
            status = 400
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            if action == "nonaktifkan":
                messages.error(request, exc.message)
                return redirect("permits:forest_layers", kode=pemda.kode)
            form_errors_from(form, exc)
            status = exc.status
    layers = (
        ForestLayer.objects.filter(pemda=pemda).select_related("diunggah_oleh").order_by("-diunggah", "-pk")
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"kawasan-hutan-{pemda.kode}.xlsx",
            _("Lapisan kawasan hutan"),
            [_("Nama lapisan"), _("Luas (ha)"), _("Status"), _("Diunggah oleh"), _("Diunggah")],
            _layer_rows(layers),
        )
    page = paginate(request, layers.defer("geometri"))
    active = services_maps.active_layer(pemda.pk)
    preview_geometry = services_maps.layer_preview(active)
    preview = None
    if active is not None and preview_geometry is not None:
        preview = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": preview_geometry,
                    "properties": {"peran": "kawasan", "label": active.nama},
                }
            ],
        }
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "active": active,
        "preview": preview,
        "accept": MAP_ACCEPT,
    }
    return render(request, "permits/forest_layers.html", context, status=status)
