"""Pages of recaps of farmer groups per kabupaten/kota (issue 7, item 8).

- `recap_index` (`izin/rekap/`, URL name "recap"): the aggregate of the pemda's own HKm applications per
  kabupaten/kota (groups licensed, in process, total, members, hectares; `selectors_recap.own_aggregate`)
  and the imported recap tables (paginated). `?format=xlsx` exports the aggregate with the same columns.
- `recap_import` (`izin/rekap/impor/`): upload an XLSX/CSV table -> dry run listing every problem (row,
  column, kind, message; errors apart from warnings) and the reconciliation of each column -> confirm,
  offered only when the file is not rejected -> one transaction (`services_recap.recap_import`).
- `recap_template` (`izin/rekap/templat/`): an empty table to fill in.
- `recap_detail` (`izin/rekap/<recap_id>/`): one imported recap with its rows, the TOTAL row as printed,
  the warnings stored with it and the reconciliation; `?format=xlsx` the same as a workbook.

Reading needs "permit.view"; importing needs "permit.process". Another pemda's recap is "not found".
"""

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError
from rencana.core.exports import XLSX_TYPE, xlsx_response
from rencana.core.forms import form_errors_from
from rencana.core.numbers import format_angka
from rencana.core.pagination import paginate, query_without_page
from rencana.permits import recap, selectors_recap, services_recap

COLUMN_LABELS: dict[str, Promise] = {
    "no": gettext_lazy("No"),
    "kabupaten": gettext_lazy("Kabupaten/kota"),
    "izin_hkm": gettext_lazy("Berizin HKm"),
    "ihhbk": gettext_lazy("IHHBK"),
    "dalam_proses": gettext_lazy("Dalam proses"),
    "total": gettext_lazy("Total kelompok"),
    "anggota_kk": gettext_lazy("Anggota (KK)"),
    "luas_garapan_ha": gettext_lazy("Luas garapan (ha)"),
}
KIND_LABELS: dict[str, Promise] = {
    "angka_ambigu": gettext_lazy("Angka ambigu"),
    "angka_tidak_sah": gettext_lazy("Angka tidak sah"),
    "berkas_tidak_terbaca": gettext_lazy("Berkas tidak terbaca"),
    "kolom_tidak_dikenal": gettext_lazy("Kolom tidak dikenal"),
    "kolom_ganda": gettext_lazy("Kolom ganda"),
    "kolom_wajib_tidak_ada": gettext_lazy("Kolom wajib tidak ada"),
    "sel_tanpa_judul": gettext_lazy("Sel tanpa judul kolom"),
    "tanpa_data": gettext_lazy("Tanpa data"),
    "baris_total_ganda": gettext_lazy("Baris TOTAL ganda"),
    "baris_setelah_total": gettext_lazy("Baris setelah TOTAL"),
    "total_tidak_cocok": gettext_lazy("Total tidak cocok"),
    "nilai_tidak_diketahui": gettext_lazy("Nilai tidak diketahui"),
    "sel_kosong": gettext_lazy("Sel kosong"),
    "kabupaten_ganda": gettext_lazy("Kabupaten/kota ganda"),
    "wilayah_tidak_dikenal": gettext_lazy("Wilayah tidak dikenal"),
    "wilayah_ambigu": gettext_lazy("Wilayah ambigu"),
}
STATUS_LABELS: dict[str, Promise] = {
    "cocok": gettext_lazy("cocok"),
    "tidak_cocok": gettext_lazy("tidak cocok"),
    "tidak_dapat_diperiksa": gettext_lazy("tidak dapat diperiksa (ada sel kosong atau tidak diketahui)"),
    "tanpa_total": gettext_lazy("tanpa total tertulis"),
}
AGGREGATE_HEADERS = [
    "Kode wilayah",
    "Kabupaten/Kota",
    "Berizin HKm",
    "Dalam proses",
    "Total kelompok",
    "Anggota (KK)",
    "Luas (ha)",
    "Kelompok tanpa luas",
]
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


class RecapImportForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas XLSX atau CSV"), required=False)
    judul = forms.CharField(label=gettext_lazy("Judul"), max_length=255, required=False)
    tahun = forms.IntegerField(
        label=gettext_lazy("Tahun data"),
        required=False,
        min_value=services_recap.MIN_TAHUN,
        max_value=services_recap.MAX_TAHUN,
    )
    sumber = forms.CharField(label=gettext_lazy("Sumber"), max_length=255, required=False)
    nama_berkas = forms.CharField(widget=forms.HiddenInput, max_length=255, required=False)
    token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)


@dataclass(frozen=True)
class ProblemView:
    baris: int
    kolom: str
    kolom_label: str
    jenis: str
    jenis_label: str
    pesan: str
    galat: bool


def _problem_views(items: list[dict[str, Any]], levels: bool = True) -> list[ProblemView]:
    shown = []
    for item in items:
        jenis = str(item.get("jenis", ""))
        kolom = str(item.get("kolom", ""))
        shown.append(
            ProblemView(
                baris=int(item.get("baris") or 0),
                kolom=kolom,
                kolom_label=str(COLUMN_LABELS.get(kolom, kolom)),
                jenis=jenis,
                jenis_label=str(KIND_LABELS.get(jenis, jenis)),
                pesan=str(item.get("pesan", "")),
                galat=levels and recap.JENIS.get(jenis) == recap.GALAT,
            )
        )
    return shown


def _table_rows(
    lines: list[recap.RecapLine], totals: recap.RecapLine | None, columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    rows = []
    for line in [*lines, *([totals] if totals else [])]:
        rows.append(
            {
                "baris": line.baris,
                "no": line.no,
                "kabupaten": line.kabupaten,
                "wilayah": line.wilayah or "",
                "adalah_total": line.adalah_total,
                "cells": [recap.shown(line.value(k), k) for k in columns],
            }
        )
    return rows


def _reconciliation_rows(items: list[recap.Reconciliation]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        status = str(STATUS_LABELS.get(item.status, item.status))
        if item.status == "cocok" and not item.lengkap:
            status = _("cocok bila sel kosong atau tidak diketahui bernilai 0")
        rows.append(
            {
                "kolom": str(COLUMN_LABELS.get(item.kolom, item.kolom)),
                "total": recap.shown(item.total, item.kolom),
                "jumlah": recap.shown(item.jumlah, item.kolom),
                "lengkap": item.lengkap,
                "status": item.status,
                "status_label": status,
            }
        )
    return rows


def _aggregate_rows(aggregate: recap.Aggregate) -> list[list[Any]]:
    return [
        [r.kabupaten, r.nama, r.berizin, r.dalam_proses, r.total, r.anggota, r.luas_ha, r.tanpa_luas]
        for r in [*aggregate.rows, aggregate.total]
    ]


# --- list and aggregate ----------------------------------------------------------------------------


@pemda_view("permit.view")
@require_GET
def recap_index(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    aggregate = selectors_recap.own_aggregate(pemda)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"rekap-kelompok-hkm-{pemda.kode}.xlsx",
            "Rekap kelompok HKm",
            AGGREGATE_HEADERS,
            _aggregate_rows(aggregate),
        )
    page = paginate(request, selectors_recap.recaps_of(pemda))
    context = {
        "pemda": pemda,
        "aggregate": [
            {
                "kabupaten": r.kabupaten,
                "nama": r.nama or r.kabupaten,
                "berizin": r.berizin,
                "dalam_proses": r.dalam_proses,
                "total": r.total,
                "anggota": format_angka(r.anggota, 0),
                "luas": format_angka(r.luas_ha, 2),
                "tanpa_luas": r.tanpa_luas,
            }
            for r in aggregate.rows
        ],
        "aggregate_total": aggregate.total,
        "total_anggota": format_angka(aggregate.total.anggota, 0),
        "total_luas": format_angka(aggregate.total.luas_ha, 2),
        "page": page,
        "query": query_without_page(request),
        "can_import": request.scope.has("permit.process"),
    }
    return render(request, "permits/recap.html", context)


# --- import ----------------------------------------------------------------------------------------


def _upload_dir(request: PemdaRequest) -> Path:
    return Path(settings.MEDIA_ROOT) / "impor" / request.pemda.kode / f"rekap-{request.user.pk}"


def _stored(request: PemdaRequest, token: str) -> Path | None:
    if not TOKEN_RE.match(token):
        return None
    path = _upload_dir(request) / token
    return path if path.is_file() else None


@pemda_view("permit.process")
@require_http_methods(["GET", "POST"])
def recap_import(request: PemdaRequest) -> HttpResponse:
    """Upload -> dry run with every problem -> confirm (only when not rejected) -> one transaction."""
    pemda = request.pemda
    form = RecapImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"pemda": pemda, "form": form, "columns": recap.KOLOM}
    if request.method != "POST":
        return render(request, "permits/recap_import.html", context)
    if not form.is_valid():
        return render(request, "permits/recap_import.html", context, status=400)
    upload = form.cleaned_data.get("berkas")
    commit = request.POST.get("aksi") == "impor"
    token = form.cleaned_data.get("token") or ""
    nama_berkas = form.cleaned_data.get("nama_berkas") or ""
    if upload is not None:
        if upload.size is not None and upload.size > recap.MAX_BYTES:
            form.add_error(
                "berkas",
                _("Berkas terlalu besar (lebih dari {mb} MB).").format(mb=recap.MAX_BYTES // (1024 * 1024)),
            )
            return render(request, "permits/recap_import.html", context, status=400)
        data = b"".join(upload.chunks())
        nama_berkas = Path(str(upload.name or "")).name[:255]
        commit = False  # a new file is always checked first
        token = uuid.uuid4().hex
        folder = _upload_dir(request)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / token).write_bytes(data)
    else:
        stored = _stored(request, token)
        if stored is None:
            form.add_error("berkas", _("Pilih berkas XLSX atau CSV yang akan diimpor."))
            return render(request, "permits/recap_import.html", context, status=400)
        data = stored.read_bytes()
    try:
        result = services_recap.recap_import(
            actor=request.user,
            pemda=pemda,
            data=data,
            nama_berkas=nama_berkas,
            judul=form.cleaned_data.get("judul") or "",
            tahun=form.cleaned_data.get("tahun"),
            sumber=form.cleaned_data.get("sumber") or "",
            dry_run=not commit,
            scope=request.scope,
        )
    except ApplicationError as exc:
        form_errors_from(form, exc)
        return render(request, "permits/recap_import.html", context, status=400)
    if commit and result.rekap_id is not None:
        (_upload_dir(request) / token).unlink(missing_ok=True)
        if result.sudah_ada:
            messages.info(request, _("Berkas yang sama sudah pernah diimpor; tidak ada yang baru disimpan."))
        else:
            messages.success(
                request,
                _("Rekap diimpor: {baris} baris, {peringatan} peringatan.").format(
                    baris=len(result.rows), peringatan=len(result.peringatan)
                ),
            )
        return redirect("permits:recap_detail", kode=pemda.kode, recap_id=result.rekap_id)
    columns = tuple(k for k in result.kolom if k in recap.NUMBER_KEYS)
    context.update(
        {
            "result": result,
            "token": token,
            "nama_berkas": nama_berkas,
            "judul": form.cleaned_data.get("judul") or "",
            "tahun": form.cleaned_data.get("tahun") or "",
            "sumber": form.cleaned_data.get("sumber") or "",
            "problems": _problem_views([{**p.as_dict()} for p in result.masalah]),
            "n_galat": len(result.galat),
            "n_peringatan": len(result.peringatan),
            "column_labels": [COLUMN_LABELS.get(k, k) for k in columns],
            "rows": _table_rows(result.rows, result.totals, columns),
            "reconciliation": _reconciliation_rows(result.rekonsiliasi),
            "existing_url": (
                reverse("permits:recap_detail", kwargs={"kode": pemda.kode, "recap_id": result.rekap_id})
                if result.rekap_id
                else ""
            ),
        }
    )
    return render(request, "permits/recap_import.html", context, status=400 if result.rejected else 200)


@pemda_view("permit.process")
@require_GET
def recap_template(request: PemdaRequest) -> HttpResponse:
    response = HttpResponse(recap.template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-rekap-kelompok-hkm.xlsx"'
    return response


# --- one recap -------------------------------------------------------------------------------------


@pemda_view("permit.view")
@require_GET
def recap_detail(request: PemdaRequest, recap_id: int) -> HttpResponse:
    pemda = request.pemda
    rekap = selectors_recap.recap_get(pemda, recap_id)
    lines, totals = selectors_recap.recap_lines(rekap)
    columns = selectors_recap.stored_columns(lines, totals)
    reconciliation, _found = recap.reconcile(lines, totals, columns)
    stored = (
        [item for item in rekap.masalah if isinstance(item, dict)] if isinstance(rekap.masalah, list) else []
    )
    if request.GET.get("format") == "xlsx":
        content = recap.recap_xlsx(
            judul=rekap.judul, lines=lines, totals=totals, masalah=stored, rekonsiliasi=reconciliation
        )
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="rekap-{pemda.kode}-{rekap.pk}.xlsx"'
        return response
    context = {
        "pemda": pemda,
        "rekap": rekap,
        "column_labels": [COLUMN_LABELS.get(k, k) for k in columns],
        "rows": _table_rows(lines, totals, columns),
        "problems": _problem_views(stored, levels=False),
        "reconciliation": _reconciliation_rows(reconciliation),
    }
    return render(request, "permits/recap_detail.html", context)
