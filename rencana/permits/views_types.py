"""Permit types (jenis izin): the versions of each type, a definition shown as readable tables, and a new
version made by editing the JSON definition (checked by `workflow.load_definition`; problems listed)."""

import json
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, NotFoundError
from rencana.permits import types as permit_types
from rencana.permits.models import Application, PermitType
from rencana.permits.views_officer import role_label
from rencana.permits.workflow import DefinitionError, load_definition

SYARAT_LABELS = {
    "gabungan_di_atas_anggota": gettext_lazy(
        "Di atas jumlah anggota ini dapat membentuk gabungan (Gapoktanhut)"
    ),
    "kawasan": gettext_lazy("Kawasan"),
    "skala_usaha": gettext_lazy("Skala usaha"),
    "tingkat_risiko": gettext_lazy("Tingkat risiko"),
    "modal_maks": gettext_lazy("Modal usaha paling banyak (Rp)"),
}


def _syarat_rows(syarat: dict[str, Any]) -> list[tuple[str, Any]]:
    rows = []
    for key, value in sorted(syarat.items()):
        if key in ("isian_wajib", "label_isian", "jenis_pemohon", "min_anggota"):
            continue
        shown = (
            f"{value:,}".replace(",", ".")
            if isinstance(value, int) and not isinstance(value, bool)
            else value
        )
        rows.append((str(SYARAT_LABELS.get(key, key)), shown))
    return rows


def _type(type_id: int) -> PermitType:
    row = PermitType.objects.filter(pk=type_id).first()
    if row is None:
        raise NotFoundError(_("Jenis izin tidak ditemukan."))
    return row


@pemda_view("permit.view")
@require_GET
def types_list(request: PemdaRequest) -> HttpResponse:
    rows = list(PermitType.objects.order_by("kode", "-versi"))
    used = dict(
        Application.objects.filter(pemda=request.pemda)
        .order_by()
        .values_list("jenis_id")
        .annotate(n=Count("id"))
    )
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row.kode].append({"row": row, "dipakai": used.get(row.pk, 0)})
    context = {
        "pemda": request.pemda,
        "groups": list(grouped.items()),
        "can_configure": request.scope.has("permit.configure"),
        "shipped_missing": [k for k in permit_types.SHIPPED if k not in grouped],
    }
    return render(request, "permits/types_list.html", context)


@pemda_view("permit.configure")
@require_POST
def types_ensure(request: PemdaRequest) -> HttpResponse:
    created = permit_types.ensure_shipped_types()
    if created:
        messages.success(
            request,
            _("Jenis izin bawaan dipasang: {daftar}.").format(daftar=", ".join(r.nama for r in created)),
        )
    else:
        messages.info(request, _("Jenis izin bawaan sudah ada; tidak ada yang diubah."))
    return redirect(reverse("permits:types", kwargs={"kode": request.pemda.kode}))


@pemda_view("permit.view")
@require_GET
def type_detail(request: PemdaRequest, type_id: int) -> HttpResponse:
    row = _type(type_id)
    problems: list[str] = []
    definition = None
    try:
        definition = load_definition(row.definisi)
    except DefinitionError as exc:
        problems = exc.problems
    stage_names = {s.kode: s.nama for s in definition.stages} if definition else {}
    context = {
        "pemda": request.pemda,
        "row": row,
        "definition": definition,
        "problems": problems,
        "stages": [
            {"stage": s, "pelaku": [role_label(r) for r in s.pelaku], "no": i}
            for i, s in enumerate(definition.stages, start=1)
        ]
        if definition
        else [],
        "transitions": [
            {
                "t": t,
                "dari": stage_names.get(t.dari, t.dari),
                "ke": stage_names.get(t.ke, t.ke),
                "pelaku": [role_label(r) for r in t.pelaku],
            }
            for t in definition.transitions
        ]
        if definition
        else [],
        "fields": [(k, definition.label_isian(k)) for k in definition.isian_wajib] if definition else [],
        "other_syarat": _syarat_rows(dict(definition.syarat)) if definition else [],
        "newest": PermitType.objects.filter(kode=row.kode)
        .order_by("-versi")
        .values_list("versi", flat=True)
        .first(),
        "can_configure": request.scope.has("permit.configure"),
    }
    return render(request, "permits/types_detail.html", context)


@pemda_view("permit.configure")
@require_http_methods(["GET", "POST"])
def type_new_version(request: PemdaRequest, type_id: int) -> HttpResponse:
    row = _type(type_id)
    newest = PermitType.objects.filter(kode=row.kode).order_by("-versi").first()
    text = json.dumps(row.definisi, ensure_ascii=False, indent=2)
    basis = newest.versi if newest else row.versi
    status = 200
    error = ""
    problems: list[str] = []
    if request.method == "POST":
        text = request.POST.get("definisi", "")
        raw_basis = request.POST.get("versi_dasar", "").strip()
        basis = int(raw_basis) if raw_basis.isdigit() and len(raw_basis) < 10 else 0
        try:
            data = permit_types.parse_definition_text(text)
            created = permit_types.type_new_version(
                request.user,
                row.kode,
                data,
                str(data.get("dasar_hukum", "")),
                str(data.get("nama", "")),
                versi_dasar=basis,
            )
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            status = exc.status
            error = exc.message
            problems = [
                e.get("pesan", "") for e in exc.errors if e.get("pesan") and e.get("pesan") != exc.message
            ]
        else:
            messages.success(
                request,
                _("Versi {versi} {nama} disimpan dan menjadi versi aktif.").format(
                    versi=created.versi, nama=created.nama
                ),
            )
            return redirect(
                reverse("permits:type_detail", kwargs={"kode": request.pemda.kode, "type_id": created.pk})
            )
    context = {
        "pemda": request.pemda,
        "row": row,
        "text": text,
        "basis": basis,
        "error": error,
        "problems": problems,
    }
    return render(request, "permits/types_edit.html", context, status=status)
