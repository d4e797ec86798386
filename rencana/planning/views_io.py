"""Planning pages: Excel in/out, the yearly target grid, moving a plan to another nomenclature edition."""

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, NotFoundError
from rencana.core.numbers import AngkaError, parse_angka
from rencana.planning import access, edition, levels, plan_io, selectors, services
from rencana.planning.forms import EditionForm, ImportForm
from rencana.planning.models import DocumentKind, PlanDocument
from rencana.planning.views import _angka_initial, _document, _tree_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _layout(request: PemdaRequest, document: PlanDocument) -> str:
    layout = request.GET.get("tata", "") or request.POST.get("tata", "")
    return layout if layout in ("matriks", "anggaran") else plan_io.default_layout(document)


@pemda_view("plan.view")
@require_GET
def document_export(request: PemdaRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    layout = _layout(request, document)
    response = HttpResponse(plan_io.document_export_bytes(document, layout), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{document.jenis.lower()}-{document.pk}-{layout}.xlsx"'
    )
    return response


@pemda_view("plan.view")
@require_GET
def import_template(request: PemdaRequest, jenis: str) -> HttpResponse:
    """An empty template for a kind of document, for the pemda's current budget year."""
    if jenis.upper() not in DocumentKind.values:
        raise NotFoundError(_("Jenis dokumen tidak dikenal."))
    kind = jenis.upper()

    sample = PlanDocument(
        pemda=request.pemda,
        jenis=kind,
        tahun_mulai=request.pemda.tahun_anggaran,
        tahun_akhir=levels.period_end(kind, request.pemda.tahun_anggaran),
        nama=kind,
    )
    layout = request.GET.get("tata", "")
    if layout not in ("matriks", "anggaran"):
        layout = plan_io.default_layout(sample)
    response = HttpResponse(plan_io.template_bytes(sample, layout), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="templat-{kind.lower()}-{layout}.xlsx"'
    return response


def _upload_dir(request: PemdaRequest) -> Path:
    return Path(settings.MEDIA_ROOT) / "impor" / request.pemda.kode / f"rencana-{request.user.pk}"


@pemda_view("plan.edit")
@require_http_methods(["GET", "POST"])
def document_import(request: PemdaRequest, document_id: int) -> HttpResponse:
    """Upload -> dry run with every error -> confirm -> one transaction (all or nothing)."""
    document = _document(request, document_id)
    # A pemda-wide document is imported by Bappeda; an OPD's Renstra/Renja also by its operator.
    access.require_edit(request.scope, document)
    layout = _layout(request, document)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"pemda": request.pemda, "document": document, "form": form, "layout": layout}
    if request.method != "POST":
        return render(request, "planning/document_import.html", context)
    folder = _upload_dir(request)
    token = request.POST.get("token", "")
    if "berkas" in request.FILES:
        upload = request.FILES.get("berkas")
        assert upload is not None
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            form.add_error("berkas", _("Berkas harus berformat .xlsx atau .csv."))
            return render(request, "planning/document_import.html", context, status=400)
        folder.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex + suffix
        with open(folder / token, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
    stored = folder / token if token and "/" not in token and ".." not in token else None
    if stored is None or not stored.exists():
        form.add_error("berkas", _("Pilih berkas yang akan diimpor."))
        return render(request, "planning/document_import.html", context, status=400)
    commit = request.POST.get("aksi") == "impor"
    try:
        result = plan_io.document_import(
            actor=request.user, document=document, path=stored, dry_run=not commit, layout=layout
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return render(request, "planning/document_import.html", context, status=409)
    context.update({"result": result, "token": token})
    if commit and result.ok:
        stored.unlink(missing_ok=True)
        messages.success(
            request,
            _("Impor selesai: %(baru)s baru, %(ubah)s diubah, %(tetap)s tidak berubah.")
            % {"baru": result.created, "ubah": result.updated, "tetap": result.unchanged},
        )
        return redirect(_tree_url(document))
    return render(request, "planning/document_import.html", context, status=200 if result.ok else 400)


@pemda_view("plan.edit")
@require_http_methods(["GET", "POST"])
def target_grid(request: PemdaRequest, document_id: int) -> HttpResponse:
    """Every indicator of the document with its baseline and yearly targets in one editable grid."""
    document = _document(request, document_id)
    tree = selectors.tree(document)
    scope = request.scope
    items = [
        (row, indicator)
        for row in tree.rows
        for indicator in row.indicators
        if access.can_edit(scope, document, row.node.opd_id)
    ]
    page = Paginator(items, 100).get_page(request.GET.get("halaman"))
    years = document.tahun
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        wanted: list[tuple[Any, dict[int, Decimal | None], int]] = []
        for _row, indicator in page.object_list:
            sent = request.POST.get(f"v_{indicator.pk}", "")
            if not sent.isdigit():
                continue  # not on the submitted form: leave it alone
            targets: dict[int, Decimal | None] = {}
            for tahun in years:
                name = f"t_{indicator.pk}_{tahun}"
                raw = request.POST.get(name, "").strip()
                values[name] = raw
                if not raw:
                    targets[tahun] = None
                    continue
                try:
                    targets[tahun] = parse_angka(raw)
                except AngkaError as exc:
                    errors[name] = exc.message
            wanted.append((indicator, targets, int(sent)))
        if not errors:
            changed = 0
            try:
                with transaction.atomic():
                    for indicator, targets, version in wanted:
                        current = indicator.target_per_tahun
                        clean = {
                            t: v.quantize(Decimal("0.0001")) for t, v in targets.items() if v is not None
                        }
                        if clean == current and version == indicator.version:
                            continue
                        before = indicator.version
                        updated = services.indicator_update(
                            actor=request.user,
                            indicator=indicator,
                            expected_version=version,
                            data=_same_indicator(indicator, targets),
                        )
                        changed += updated.version != before
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(n)s indikator diperbarui.") % {"n": changed})
                return redirect(request.get_full_path())
    rows = []
    for row, indicator in page.object_list:
        cells = []
        for tahun in years:
            name = f"t_{indicator.pk}_{tahun}"
            stored = indicator.target_per_tahun.get(tahun)  # type: ignore[attr-defined]
            value = values.get(name, _angka_initial(stored))
            cells.append({"name": name, "value": value, "error": errors.get(name, ""), "tahun": tahun})
        rows.append({"row": row, "indicator": indicator, "cells": cells})
    context = {
        "pemda": request.pemda,
        "document": document,
        "rows": rows,
        "page": page,
        "years": years,
        "has_errors": bool(errors),
    }
    return render(request, "planning/target_grid.html", context, status=400 if errors else 200)


def _same_indicator(indicator: Any, targets: dict[int, Decimal | None]) -> services.IndicatorInput:
    return services.IndicatorInput(
        nama=indicator.nama,
        satuan=indicator.satuan,
        jenis=indicator.jenis,
        polaritas=indicator.polaritas,
        agregasi=indicator.agregasi,
        definisi=indicator.definisi,
        formula=indicator.formula,
        sumber_data=indicator.sumber_data,
        baseline_tahun=indicator.baseline_tahun,
        baseline_nilai=indicator.baseline_nilai,
        terpilah_gender=indicator.terpilah_gender,
        target=targets,
    )


@pemda_view("plan.manage")
@require_http_methods(["GET", "POST"])
def document_edition(request: PemdaRequest, document_id: int) -> HttpResponse:
    """Move a document to another nomenclature edition: preview the mapping, then apply it."""
    document = _document(request, document_id)
    form = EditionForm(request.POST or request.GET or None, initial={"version": document.version})
    preview = None
    status = 200
    if form.is_bound and form.is_valid():
        target = form.cleaned_data["edisi"]
        preview = edition.edition_preview(document=document, edition=target)
        if request.method == "POST" and form.cleaned_data.get("terapkan"):
            try:
                edition.edition_apply(
                    actor=request.user,
                    document=document,
                    edition=target,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = 409
            else:
                messages.success(
                    request,
                    _(
                        "Dokumen kini memakai nomenklatur edisi %(edisi)s: %(n)s kode dipetakan, "
                        "%(m)s perlu keputusan perencana."
                    )
                    % {"edisi": target.kode, "n": preview.mapped_count, "m": len(preview.unmapped)},
                )
                return redirect(_tree_url(document))
    context = {"pemda": request.pemda, "document": document, "form": form, "preview": preview}
    return render(request, "planning/document_edition.html", context, status=status)
