"""e-Monev pages for Excel: an OPD's realization of one quarter as a pre-filled template, and its import
(upload -> dry run with every error -> confirm -> one transaction, all or nothing)."""

import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, PermissionDeniedError
from rencana.core.exports import XLSX_TYPE
from rencana.monitoring import realization_io, selectors
from rencana.monitoring.views import _opd, _period

TEMPLATE = "monitoring/import.html"


class RealizationImportForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas XLSX atau CSV"), required=False)


def _upload_dir(request: PemdaRequest) -> Path:
    return Path(settings.MEDIA_ROOT) / "impor" / request.pemda.kode / f"monev-{request.user.pk}"


def _opd_url(request: PemdaRequest, opd_id: int, tahun: int, triwulan: int) -> str:
    url = reverse("monitoring:opd", kwargs={"kode": request.pemda.kode, "opd_id": opd_id})
    return f"{url}?tahun={tahun}&tw={triwulan}"


@pemda_view("monev.view")
@require_GET
def realization_template(request: PemdaRequest, opd_id: int) -> HttpResponse:
    """The OPD's sub-kegiatan with the quarter's current values: the template, and the export."""
    opd = _opd(request, opd_id)
    tahun, triwulan = _period(request)
    document = selectors.rkpd_for(request.pemda, tahun)
    data = realization_io.realization_export_bytes(document=document, opd=opd, tahun=tahun, triwulan=triwulan)
    response = HttpResponse(data, content_type=XLSX_TYPE)
    safe_kode = "".join(c if c.isalnum() or c in ".-" else "-" for c in opd.kode)
    response["Content-Disposition"] = (
        f'attachment; filename="realisasi-{safe_kode}-{tahun}-tw{triwulan}.xlsx"'
    )
    return response


@pemda_view("monev.enter")
@require_http_methods(["GET", "POST"])
def realization_import(request: PemdaRequest, opd_id: int) -> HttpResponse:
    """Upload -> dry run with every error -> confirm -> one transaction (all or nothing)."""
    opd = _opd(request, opd_id)
    if not request.scope.has("monev.enter", opd_id=opd.pk):
        raise PermissionDeniedError(_("Hanya operator OPD ini yang mengimpor realisasinya."))
    tahun, triwulan = _period(request)
    document = selectors.rkpd_for(request.pemda, tahun)
    form = RealizationImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "pemda": request.pemda,
        "opd": opd,
        "document": document,
        "tahun": tahun,
        "triwulan": triwulan,
        "quarters": selectors.QUARTERS,
        "form": form,
    }
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    if document is None:
        form.add_error(
            None,
            _("Belum ada RKPD tahun %(tahun)s: realisasi dilaporkan terhadap RKPD.") % {"tahun": tahun},
        )
        return render(request, TEMPLATE, context, status=409)
    folder = _upload_dir(request)
    token = request.POST.get("token", "")
    if "berkas" in request.FILES:
        upload = request.FILES.get("berkas")
        assert upload is not None
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            form.add_error("berkas", _("Berkas harus berformat .xlsx atau .csv."))
            return render(request, TEMPLATE, context, status=400)
        folder.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex + suffix
        with open(folder / token, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
    stored = folder / token if token and "/" not in token and ".." not in token else None
    if stored is None or not stored.exists():
        form.add_error("berkas", _("Pilih berkas yang akan diimpor."))
        return render(request, TEMPLATE, context, status=400)
    commit = request.POST.get("aksi") == "impor"
    try:
        result = realization_io.realization_import(
            actor=request.user,
            document=document,
            opd=opd,
            tahun=tahun,
            triwulan=triwulan,
            path=stored,
            dry_run=not commit,
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return render(request, TEMPLATE, context, status=409)
    context.update({"result": result, "token": token})
    if commit and result.ok:
        stored.unlink(missing_ok=True)
        messages.success(
            request,
            _("Impor realisasi selesai: %(baru)s baru, %(ubah)s diubah, %(tetap)s tidak berubah.")
            % {"baru": result.created, "ubah": result.updated, "tetap": result.unchanged},
        )
        return redirect(_opd_url(request, opd.pk, tahun, triwulan))
    return render(request, TEMPLATE, context, status=200 if result.ok else 400)
