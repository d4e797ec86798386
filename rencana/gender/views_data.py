"""Pages of sex-disaggregated data (data terpilah) and index components of a pemda.

- `data_list` (`data/`): the indicators flagged "terpilah menurut jenis kelamin" with their values of a
  year in every region (filter year, OPD, name; paginated); `data_export` the same as XLSX (the import's
  columns, so it can be edited and imported back).
- `data_entry` (`data/<indicator_id>/`): the values of one indicator (all years and regions, paginated)
  and a form for one region and year; `?wilayah=&tahun=` opens a stored value for editing. A stale
  version answers 409 with the typed values kept.
- `data_completeness` (`data/kelengkapan/`): per OPD, its flagged indicators, how many have a value in
  the chosen year and which do not, with a link to fill each (`?format=xlsx` the same table).
- `data_import` (`data/impor/`): upload -> dry run listing every bad row and column -> confirm (one
  transaction, all or nothing); `data_import_template` the template, one row per indicator to fill.
- `components` (`komponen/`): the index components of a year with source and status, an entry form
  (Pokja PUG, Bappeda, admin), and IPM by sex, IPG and IKG computed from them with each input's
  provenance next to the value published for the region (IndexValue), when there is one.
  `components_import`, `components_import_template`, `components_export` as for the data.

Scope (gender.access): every staff member reads; an OPD operator writes only the data of its own OPD's
indicators (another OPD's: 403), the Pokja PUG, Bappeda and the admin write all; components and their
import need `pug.manage`.
"""

import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from rencana.core.exports import XLSX_TYPE, xlsx_response
from rencana.core.forms import form_errors_from
from rencana.core.imports import ImportResult, ImportSpec
from rencana.core.numbers import format_angka
from rencana.core.pagination import paginate, query_without_page
from rencana.gender import access, data_io, selectors_data, services_data
from rencana.gender.models import ComponentCode, DataStatus, IndexComponent, IndexName, SexValue
from rencana.planning.models import Indicator
from rencana.regions.models import Opd, Pemda

COMPLETENESS_HEADERS = ["OPD", "ID indikator", "Indikator", "Satuan", "Dokumen", "Tahun", "Terisi"]
PUBLISHED_FOR = {"ipg": IndexName.IPG, "ikg": IndexName.IKG}


# --- helpers --------------------------------------------------------------------------------------


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


def _tahun(raw: str | None, default: int) -> int:
    value = _int(raw)
    return (
        value
        if value is not None and services_data.MIN_TAHUN <= value <= services_data.MAX_TAHUN
        else default
    )


def _angka(value: Decimal | None) -> str:
    """A stored value as people write it: its own decimals (at most 6), Indonesian notation."""
    if value is None:
        return "—"
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_angka(value, min(places, 6))


def _angka_input(value: Decimal | None) -> str:
    """A stored value for a form field: no thousands separator (always read back the same)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _years(pemda: Pemda, tahun: int) -> list[int]:
    now = pemda.tahun_anggaran
    return sorted({*range(now - 6, now + 1), tahun}, reverse=True)


def _opd_choice(request: PemdaRequest) -> tuple[int | None, bool, str]:
    """The OPD filter: (opd id, pemda-wide indicators only, the raw value for the form)."""
    raw = request.GET.get("opd", "")
    if raw == "pemda":
        return None, True, raw
    wanted = _int(raw)
    if wanted is not None and Opd.objects.filter(pemda=request.pemda, pk=wanted).exists():
        return wanted, False, raw
    return None, False, ""


def _q(request: PemdaRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:100]


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _status_label(status: str) -> str:
    try:
        return str(DataStatus(status).label)
    except ValueError:
        return status


def _opd_name(indicator: Indicator, names: dict[int, str]) -> str:
    opd_id = selectors_data.indicator_opd_id(indicator)
    return names.get(opd_id, "") if opd_id is not None else _("Tingkat pemda (tanpa OPD)")


def _entry_url(kode: str, indicator_id: int, **query: Any) -> str:
    url = reverse("gender:data_entry", kwargs={"kode": kode, "indicator_id": indicator_id})
    wanted = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(wanted)}" if wanted else url


def _version(raw: str | None) -> int | None:
    """The version a form was based on: "" = not sent (None), digits = that version."""
    return _int(raw)


# --- list, export, completeness --------------------------------------------------------------------


@pemda_view("pug.view")
@require_GET
def data_list(request: PemdaRequest) -> HttpResponse:
    pemda, scope = request.pemda, request.scope
    tahun = _tahun(request.GET.get("tahun"), selectors_data.default_tahun(pemda))
    opd_id, tanpa_opd, opd_raw = _opd_choice(request)
    q = _q(request)
    page = paginate(
        request, selectors_data.flagged_indicators(pemda, opd_id=opd_id, q=q, tanpa_opd=tanpa_opd)
    )
    indicators: list[Indicator] = list(page.object_list)
    values = selectors_data.sex_values(pemda, [i.pk for i in indicators], tahun)
    names = selectors_data.region_names(v.wilayah_id for vs in values.values() for v in vs)
    opds = list(selectors_data.pemda_opds(pemda))
    opd_names = {o.pk: o.nama for o in opds}
    rows = []
    for indicator in indicators:
        opd = selectors_data.indicator_opd_id(indicator)
        rows.append(
            {
                "indicator": indicator,
                "opd": _opd_name(indicator, opd_names),
                "dokumen": indicator.node.dokumen.nama,
                "can_edit": selectors_data.can_edit_indicator(scope, opd),
                "url": _entry_url(pemda.kode, indicator.pk, tahun=tahun),
                "values": [
                    {
                        "wilayah": v.wilayah_id,
                        "wilayah_nama": names.get(v.wilayah_id, ""),
                        "perempuan": _angka(v.perempuan),
                        "laki_laki": _angka(v.laki_laki),
                        "sumber": v.sumber,
                        "status": _status_label(v.status),
                        "url": _entry_url(pemda.kode, indicator.pk, tahun=v.tahun, wilayah=v.wilayah_id),
                    }
                    for v in values.get(indicator.pk, [])
                ],
            }
        )
    context = {
        "pemda": pemda,
        "page": page,
        "rows": rows,
        "tahun": tahun,
        "years": _years(pemda, tahun),
        "opds": opds,
        "opd": opd_raw,
        "q": q,
        "query": query_without_page(request),
        "export_query": urlencode({"tahun": tahun, "opd": opd_raw, "q": q}),
        "can_edit": scope.has("pug.edit"),
        "can_manage": scope.has("pug.manage"),
    }
    return render(request, "gender/data_list.html", context)


@pemda_view("pug.view")
@require_GET
def data_export(request: PemdaRequest) -> HttpResponse:
    """The stored values (filter `tahun`, `opd`, `q` as on the list; no `tahun` = every year)."""
    pemda = request.pemda
    raw = request.GET.get("tahun", "")
    tahun = _tahun(raw, 0) or None
    opd_id, _tanpa, _raw = _opd_choice(request)
    content = data_io.sexvalue_export_bytes(pemda=pemda, tahun=tahun, opd_id=opd_id, q=_q(request))
    return _attachment(content, f"data-terpilah-{pemda.kode}{'-' + str(tahun) if tahun else ''}.xlsx")


@pemda_view("pug.view")
@require_GET
def data_completeness(request: PemdaRequest) -> HttpResponse:
    pemda, scope = request.pemda, request.scope
    tahun = _tahun(request.GET.get("tahun"), selectors_data.default_tahun(pemda))
    groups = selectors_data.completeness(pemda, tahun)
    if request.GET.get("format") == "xlsx":
        missing_ids = {i.pk for g in groups for i in g.kurang}
        rows = (
            [
                g.nama,
                i.pk,
                i.nama,
                i.satuan,
                i.node.dokumen.nama,
                tahun,
                "belum" if i.pk in missing_ids else "ya",
            ]
            for g in groups
            for i in g.indikator
        )
        return xlsx_response(
            f"kelengkapan-data-terpilah-{pemda.kode}-{tahun}.xlsx", "Kelengkapan", COMPLETENESS_HEADERS, rows
        )
    page = Paginator(groups, 20).get_page(request.GET.get("halaman"))
    items = []
    for group in page.object_list:
        may_edit = selectors_data.can_edit_indicator(scope, group.opd_id)
        items.append(
            {
                "group": group,
                "can_edit": may_edit,
                "kurang": [
                    {
                        "indicator": i,
                        "url": _entry_url(pemda.kode, i.pk, tahun=tahun, wilayah=pemda.region_id),
                    }
                    for i in group.kurang
                ],
            }
        )
    total = sum(g.total for g in groups)
    filled = sum(g.terisi for g in groups)
    context = {
        "pemda": pemda,
        "tahun": tahun,
        "years": _years(pemda, tahun),
        "page": page,
        "items": items,
        "total": total,
        "terisi": filled,
        "query": query_without_page(request),
        "can_edit": scope.has("pug.edit"),
    }
    return render(request, "gender/data_completeness.html", context)


# --- entry -----------------------------------------------------------------------------------------


class SexValueForm(forms.Form):
    wilayah = forms.CharField(
        label=gettext_lazy("Kode wilayah"),
        max_length=13,
        help_text=gettext_lazy("Kode Kemendagri: wilayah pemda atau wilayah di dalamnya (kecamatan, desa)."),
    )
    tahun = forms.IntegerField(
        label=gettext_lazy("Tahun"), min_value=services_data.MIN_TAHUN, max_value=services_data.MAX_TAHUN
    )
    perempuan = forms.CharField(
        label=gettext_lazy("Perempuan"),
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "Angka, mis. 48,5 atau 1.234; isi paling sedikit satu dari perempuan/laki-laki."
        ),
    )
    laki_laki = forms.CharField(label=gettext_lazy("Laki-laki"), max_length=40, required=False)
    # Not required here: the service checks it with the other fields, so every error shows at once.
    sumber = forms.CharField(
        label=gettext_lazy("Sumber data"),
        max_length=255,
        required=False,
        help_text=gettext_lazy(
            "Mis. “BPS Kabupaten Kotabaru, Susenas Maret 2024” atau “Dinas Kesehatan, SIMPUS”."
        ),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=DataStatus.choices, initial=DataStatus.SEMENTARA
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].widget.attrs["list"] = "daftar-wilayah"
        for name in ("perempuan", "laki_laki"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


def _indicator(request: PemdaRequest, indicator_id: int) -> Indicator:
    indicator = selectors_data.flagged_indicator(request.pemda, indicator_id)
    if indicator is None:
        raise NotFoundError(_("Indikator tidak ditemukan."))
    return indicator


@pemda_view("pug.view")
@require_http_methods(["GET", "POST"])
def data_entry(request: PemdaRequest, indicator_id: int) -> HttpResponse:
    pemda, scope = request.pemda, request.scope
    indicator = _indicator(request, indicator_id)
    opd_id = selectors_data.indicator_opd_id(indicator)
    can_edit = selectors_data.can_edit_indicator(scope, opd_id)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDeniedError(
                _("Hanya operator OPD pemilik indikator, Pokja PUG atau Bappeda yang mengisi data ini.")
            )
        if request.POST.get("aksi") == "hapus":
            return _delete_sexvalue(request, indicator)
        form = SexValueForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services_data.sexvalue_set(
                    actor=request.user,
                    pemda=pemda,
                    indicator=indicator,
                    wilayah_kode=data["wilayah"],
                    tahun=data["tahun"],
                    perempuan=data["perempuan"],
                    laki_laki=data["laki_laki"],
                    sumber=data["sumber"],
                    status=data["status"],
                    expected_version=data["version"],
                )
            except ApplicationError as exc:
                form_errors_from(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Data terpilah {wilayah} tahun {tahun} tersimpan.").format(
                        wilayah=saved.wilayah_id, tahun=saved.tahun
                    ),
                )
                return redirect(
                    _entry_url(pemda.kode, indicator.pk, tahun=saved.tahun, wilayah=saved.wilayah_id)
                )
        else:
            status = 400
    else:
        form = _entry_form(request, indicator)
    values = SexValue.objects.filter(pemda=pemda, indikator=indicator).order_by("-tahun", "wilayah_id")
    page = paginate(request, values)
    names = selectors_data.region_names(v.wilayah_id for v in page.object_list)
    rows = [
        {
            "value": v,
            "wilayah_nama": names.get(v.wilayah_id, ""),
            "perempuan": _angka(v.perempuan),
            "laki_laki": _angka(v.laki_laki),
            "status": _status_label(v.status),
            "url": _entry_url(pemda.kode, indicator.pk, tahun=v.tahun, wilayah=v.wilayah_id),
        }
        for v in page.object_list
    ]
    opd_names = dict(Opd.objects.filter(pemda=pemda).values_list("pk", "nama"))
    context = {
        "pemda": pemda,
        "indicator": indicator,
        "opd": _opd_name(indicator, opd_names),
        "form": form,
        "can_edit": can_edit and indicator.terpilah_gender,
        "rows": rows,
        "page": page,
        "query": query_without_page(request),
        "regions": list(selectors_data.pemda_regions(pemda)[:500]),
        "plan_url": reverse(
            "planning:indicator_edit",
            kwargs={
                "kode": pemda.kode,
                "document_id": indicator.node.dokumen_id,
                "indicator_id": indicator.pk,
            },
        ),
    }
    return render(request, "gender/data_entry.html", context, status=status)


def _entry_form(request: PemdaRequest, indicator: Indicator) -> SexValueForm:
    pemda = request.pemda
    wilayah = request.GET.get("wilayah", "").strip()[:13] or pemda.region_id
    tahun = _tahun(request.GET.get("tahun"), selectors_data.default_tahun(pemda))
    existing = SexValue.objects.filter(indikator=indicator, wilayah_id=wilayah, tahun=tahun).first()
    if existing is None:
        return SexValueForm(
            initial={"wilayah": wilayah, "tahun": tahun, "status": DataStatus.SEMENTARA, "version": 0}
        )
    return SexValueForm(
        initial={
            "wilayah": existing.wilayah_id,
            "tahun": existing.tahun,
            "perempuan": _angka_input(existing.perempuan),
            "laki_laki": _angka_input(existing.laki_laki),
            "sumber": existing.sumber,
            "status": existing.status,
            "version": existing.version,
        }
    )


def _delete_sexvalue(request: PemdaRequest, indicator: Indicator) -> HttpResponse:
    value = SexValue.objects.filter(
        pemda=request.pemda, indikator=indicator, pk=_int(request.POST.get("value_id")) or 0
    ).first()
    if value is None:
        raise NotFoundError(_("Data terpilah ini sudah tidak ada."))
    services_data.sexvalue_delete(
        actor=request.user, value=value, expected_version=_version(request.POST.get("version"))
    )
    messages.success(
        request,
        _("Data terpilah {wilayah} tahun {tahun} dihapus.").format(
            wilayah=value.wilayah_id, tahun=value.tahun
        ),
    )
    return redirect(_entry_url(request.pemda.kode, indicator.pk))


# --- imports ---------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas XLSX atau CSV"), required=False)


def _columns(spec: ImportSpec) -> list[dict[str, Any]]:
    """The columns of an import for its page: label, required, what to write."""
    return [{"label": c.label, "required": c.required, "note": c.note or c.parser.hint} for c in spec.columns]


def _upload_dir(request: PemdaRequest, kind: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "impor" / request.pemda.kode / f"pug-{kind}-{request.user.pk}"


def _import_page(
    request: PemdaRequest,
    *,
    kind: str,
    template: str,
    context: dict[str, Any],
    run: Callable[[Path, bool], ImportResult],
    done_url: str,
) -> HttpResponse:
    """Upload -> dry run with every error -> confirm -> one transaction (all or nothing)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {**context, "form": form, "pemda": request.pemda}
    if request.method != "POST":
        return render(request, template, context)
    folder = _upload_dir(request, kind)
    token = request.POST.get("token", "")
    if "berkas" in request.FILES:
        upload = request.FILES.get("berkas")
        assert upload is not None
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            form.add_error("berkas", _("Berkas harus berformat .xlsx atau .csv."))
            return render(request, template, context, status=400)
        folder.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex + suffix
        with open(folder / token, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
    safe = token and "/" not in token and "\\" not in token and ".." not in token and len(token) <= 64
    stored = folder / token if safe else None
    if stored is None or not stored.exists():
        form.add_error("berkas", _("Pilih berkas yang akan diimpor."))
        return render(request, template, context, status=400)
    commit = request.POST.get("aksi") == "impor"
    result = run(stored, not commit)
    context.update({"result": result, "token": token})
    if commit and result.ok:
        stored.unlink(missing_ok=True)
        messages.success(
            request,
            _("Impor selesai: {baru} baru, {ubah} diubah, {tetap} tidak berubah.").format(
                baru=result.created, ubah=result.updated, tetap=result.unchanged
            ),
        )
        return redirect(done_url)
    return render(request, template, context, status=200 if result.ok else 400)


@pemda_view("pug.edit")
@require_http_methods(["GET", "POST"])
def data_import(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    tahun = _tahun(request.GET.get("tahun"), selectors_data.default_tahun(pemda))

    def run(path: Path, dry_run: bool) -> ImportResult:
        return data_io.sexvalue_import_run(
            actor=request.user, pemda=pemda, scope=request.scope, path=path, dry_run=dry_run
        )

    return _import_page(
        request,
        kind="data",
        template="gender/data_import.html",
        context={
            "tahun": tahun,
            "years": _years(pemda, tahun),
            "columns": _columns(data_io.SEX_SPEC),
            "operator": access.editable_opds(request.scope) is not None,
        },
        run=run,
        done_url=reverse("gender:data_list", kwargs={"kode": pemda.kode}),
    )


@pemda_view("pug.edit")
@require_GET
def data_import_template(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    tahun = _tahun(request.GET.get("tahun"), selectors_data.default_tahun(pemda))
    content = data_io.sexvalue_template_bytes(pemda=pemda, scope=request.scope, tahun=tahun)
    return _attachment(content, f"templat-data-terpilah-{pemda.kode}-{tahun}.xlsx")


# --- components ------------------------------------------------------------------------------------


class ComponentForm(forms.Form):
    wilayah = forms.CharField(label=gettext_lazy("Kode wilayah"), max_length=13)
    tahun = forms.IntegerField(
        label=gettext_lazy("Tahun"), min_value=services_data.MIN_TAHUN, max_value=services_data.MAX_TAHUN
    )
    kode = forms.ChoiceField(label=gettext_lazy("Komponen"), choices=ComponentCode.choices)
    nilai = forms.CharField(
        label=gettext_lazy("Nilai"),
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "Tahun untuk UHH/HLS/RLS, rupiah untuk pengeluaran, proporsi 0–1 untuk MTF dan MHPK20 "
            "(28% ditulis 0,28), persen 0–100 untuk kursi DPRD, SMA ke atas dan TPAK."
        ),
    )
    sumber = forms.CharField(label=gettext_lazy("Sumber data"), max_length=255, required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=DataStatus.choices, initial=DataStatus.TETAP
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].widget.attrs["list"] = "daftar-wilayah"
        self.fields["nilai"].widget.attrs["inputmode"] = "decimal"


def _component_years(pemda: Pemda, tahun: int) -> list[int]:
    return sorted({*selectors_data.component_years(pemda), *_years(pemda, tahun)}, reverse=True)


def _components_url(kode: str, **query: Any) -> str:
    url = reverse("gender:components", kwargs={"kode": kode})
    wanted = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(wanted)}" if wanted else url


@pemda_view("pug.view")
@require_http_methods(["GET", "POST"])
def components(request: PemdaRequest) -> HttpResponse:
    pemda, scope = request.pemda, request.scope
    years = selectors_data.component_years(pemda)
    tahun = _tahun(request.GET.get("tahun"), years[0] if years else pemda.tahun_anggaran - 1)
    wilayah = request.GET.get("wilayah", "").strip()[:13]
    if not wilayah or not selectors_data.in_pemda(pemda, wilayah):
        wilayah = pemda.region_id
    can_manage = scope.has("pug.manage")
    status = 200
    if request.method == "POST":
        access.require_manage(scope)
        if request.POST.get("aksi") == "hapus":
            component = IndexComponent.objects.filter(
                pemda=pemda, pk=_int(request.POST.get("component_id")) or 0
            ).first()
            if component is None:
                raise NotFoundError(_("Komponen indeks ini sudah tidak ada."))
            services_data.component_delete(
                actor=request.user,
                component=component,
                expected_version=_version(request.POST.get("version")),
            )
            messages.success(request, _("Komponen dihapus."))
            return redirect(_components_url(pemda.kode, tahun=component.tahun, wilayah=component.wilayah_id))
        form = ComponentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services_data.component_set(
                    actor=request.user,
                    pemda=pemda,
                    wilayah_kode=data["wilayah"],
                    tahun=data["tahun"],
                    kode=data["kode"],
                    nilai=data["nilai"],
                    sumber=data["sumber"],
                    status=data["status"],
                    expected_version=data["version"],
                )
            except ApplicationError as exc:
                form_errors_from(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Komponen {komponen} tersimpan.").format(
                        komponen=services_data.component_label(saved.kode)
                    ),
                )
                return redirect(_components_url(pemda.kode, tahun=saved.tahun, wilayah=saved.wilayah_id))
        else:
            status = 400
    else:
        form = _component_form(request, tahun, wilayah)
    page = paginate(request, selectors_data.component_rows(pemda, tahun=tahun))
    names = selectors_data.region_names({c.wilayah_id for c in page.object_list} | {wilayah})
    rows = [
        {
            "c": c,
            "label": services_data.component_label(c.kode),
            "wilayah_nama": names.get(c.wilayah_id, ""),
            "nilai": _angka(c.nilai),
            "status": _status_label(c.status),
            "url": _components_url(pemda.kode, tahun=c.tahun, wilayah=c.wilayah_id, komponen=c.kode),
        }
        for c in page.object_list
    ]
    computed = selectors_data.compute_pemda_indices(pemda, wilayah, tahun)
    results = []
    for item in computed.hasil:
        published_name = PUBLISHED_FOR.get(item.kunci)
        published = computed.terbit.get(published_name) if published_name else None
        results.append(
            {
                "item": item,
                "nilai": format_angka(item.nilai, item.desimal) if item.nilai is not None else "",
                "terbit": published,
                "terbit_nilai": format_angka(published.nilai, item.desimal) if published else "",
                "inputs": [{"fact": f, "nilai": _angka(f.nilai)} for f in item.komponen],
            }
        )
    ipm_published = computed.terbit.get(IndexName.IPM)
    context = {
        "pemda": pemda,
        "tahun": tahun,
        "years": _component_years(pemda, tahun),
        "wilayah": wilayah,
        "wilayah_nama": names.get(wilayah, computed.wilayah_nama),
        "regions": list(selectors_data.pemda_regions(pemda)[:500]),
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
        "form": form,
        "can_manage": can_manage,
        "can_edit": scope.has("pug.edit"),
        "computed": computed,
        "results": results,
        "kurang": [services_data.component_label(k) for k in computed.kurang],
        "ipm_terbit": ipm_published,
        "ipm_terbit_nilai": format_angka(ipm_published.nilai, 2) if ipm_published else "",
    }
    return render(request, "gender/components.html", context, status=status)


def _component_form(request: PemdaRequest, tahun: int, wilayah: str) -> ComponentForm:
    kode = request.GET.get("komponen", "")
    existing = (
        IndexComponent.objects.filter(pemda=request.pemda, wilayah_id=wilayah, tahun=tahun, kode=kode).first()
        if kode in ComponentCode.values
        else None
    )
    if existing is None:
        return ComponentForm(
            initial={
                "wilayah": wilayah,
                "tahun": tahun,
                "kode": kode if kode in ComponentCode.values else ComponentCode.UHH_P,
                "status": DataStatus.TETAP,
                "version": None,
            }
        )
    return ComponentForm(
        initial={
            "wilayah": existing.wilayah_id,
            "tahun": existing.tahun,
            "kode": existing.kode,
            "nilai": _angka_input(existing.nilai),
            "sumber": existing.sumber,
            "status": existing.status,
            "version": existing.version,
        }
    )


@pemda_view("pug.manage")
@require_http_methods(["GET", "POST"])
def components_import(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    years = selectors_data.component_years(pemda)
    tahun = _tahun(request.GET.get("tahun"), years[0] if years else pemda.tahun_anggaran - 1)

    def run(path: Path, dry_run: bool) -> ImportResult:
        return data_io.component_import_run(
            actor=request.user, pemda=pemda, scope=request.scope, path=path, dry_run=dry_run
        )

    return _import_page(
        request,
        kind="komponen",
        template="gender/component_import.html",
        context={
            "tahun": tahun,
            "years": _component_years(pemda, tahun),
            "columns": data_io.COMPONENT_SPEC.columns,
        },
        run=run,
        done_url=_components_url(pemda.kode, tahun=tahun),
    )


@pemda_view("pug.manage")
@require_GET
def components_import_template(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    tahun = _tahun(request.GET.get("tahun"), pemda.tahun_anggaran - 1)
    return _attachment(
        data_io.component_template_bytes(pemda=pemda, tahun=tahun),
        f"templat-komponen-indeks-{pemda.kode}-{tahun}.xlsx",
    )


@pemda_view("pug.view")
@require_GET
def components_export(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    tahun = _tahun(request.GET.get("tahun", ""), 0) or None
    return _attachment(
        data_io.component_export_bytes(pemda=pemda, tahun=tahun),
        f"komponen-indeks-{pemda.kode}{'-' + str(tahun) if tahun else ''}.xlsx",
    )
