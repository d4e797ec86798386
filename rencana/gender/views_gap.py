"""Pages of the Gender Analysis Pathway (GAP), the Gender Budget Statement (GBS) and ARG tagging.

- `gap_list`: the worksheets of a year (filter by OPD and status, paginated, `?format=xlsx`), and a search
  for a sub-kegiatan of the year's RKPD to start a worksheet for (only the ones the user may edit).
- `gap_start` (POST): a new, pre-filled worksheet (`services_gap.gap_start`); an existing one opens.
- `gap_detail`: the nine steps, one section each with a plain explanation and the plan's data beside it;
  save as draft, finalize, take back to draft. A stale version answers 409 with the user's text kept.
- `gbs_pdf`, `gbs_docx`: the GBS generated from the worksheet (`gender.gbs`).
- `arg_list`: the year's RKPD sub-kegiatan with pagu and ARG tag (filter by OPD, search, paginated), a
  form per row, the share of the pagu that is gender-responsive per OPD and overall (`?format=xlsx` the
  summary, `?format=xlsx_sub` the rows); `arg_tag` (POST) sets or removes one tag.

Scope (gender.access): every staff member reads; an OPD operator reads and writes only its own OPD's
sub-kegiatan (another OPD's worksheet or sub-kegiatan is "not found"); Pokja PUG, Bappeda and the admin
see and edit all.
"""

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from rencana.core.exports import xlsx_response
from rencana.core.numbers import format_angka, format_rupiah
from rencana.core.pagination import paginate, query_without_page
from rencana.core.scope import Scope
from rencana.gender import access, gbs, services_gap
from rencana.gender.models import ArgCategory, ArgTag, GapStatus, GapWorksheet
from rencana.planning.forms import AngkaField
from rencana.planning.models import PlanNode
from rencana.regions.models import Opd

SEARCH_LIMIT = 25
GAP_HEADERS = [
    "Tahun",
    "OPD",
    "Kode",
    "Sub-kegiatan",
    "Status",
    "Alokasi anggaran (Rp)",
    "Diubah",
]
ARG_SUMMARY_HEADERS = [
    "OPD",
    "Jumlah sub-kegiatan",
    "Sub-kegiatan ditandai",
    "Pagu sub-kegiatan (Rp)",
    "Pagu spesifik gender (Rp)",
    "Pagu kesetaraan gender (Rp)",
    "Pagu penguatan kelembagaan PUG (Rp)",
    "Pagu responsif gender (Rp)",
    "Persentase responsif gender (%)",
]
ARG_ROW_HEADERS = ["OPD", "Kode", "Sub-kegiatan", "Pagu (Rp)", "Kategori ARG", "Catatan"]


# --- shared helpers ---------------------------------------------------------------------------------


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


def _tahun(request: PemdaRequest, raw: str | None = None) -> int:
    value = _int(request.GET.get("tahun") if raw is None else raw)
    return value if value is not None and 2000 <= value <= 2100 else request.pemda.tahun_anggaran


def _visible_opds(request: PemdaRequest) -> list[Opd]:
    allowed = access.visible_opds(request.scope)
    qs = Opd.objects.filter(pemda=request.pemda)
    if allowed is not None:
        qs = qs.filter(pk__in=allowed)
    return list(qs.order_by("kode", "pk"))


def _opd_filter(request: PemdaRequest, opds: list[Opd]) -> int | None:
    wanted = _int(request.GET.get("opd"))
    return wanted if wanted is not None and any(o.pk == wanted for o in opds) else None


def _node_opd_id(node: PlanNode) -> int | None:
    """The OPD a sub-kegiatan belongs to: its own, else its document's (a Renja)."""
    return node.opd_id if node.opd_id is not None else node.dokumen.opd_id


def _may_read(scope: Scope, opd_id: int | None) -> bool:
    allowed = access.visible_opds(scope)
    return allowed is None or opd_id in allowed


def _may_edit(scope: Scope, opd_id: int | None) -> bool:
    if not scope.has("pug.edit"):
        return False
    allowed = access.editable_opds(scope)
    return allowed is None or opd_id in allowed


def _require_edit(scope: Scope, opd_id: int | None) -> None:
    if not _may_edit(scope, opd_id):
        raise PermissionDeniedError(
            _("Hanya operator OPD pelaksana, Pokja PUG atau Bappeda yang mengubah data ini.")
        )


def _label(name: str) -> str:
    """The verbose name of a worksheet field (numbered like the GAP steps)."""
    return capfirst(str(getattr(GapWorksheet._meta.get_field(name), "verbose_name", name)))


def _pagu(node: PlanNode) -> Decimal | None:
    """The year's pagu annotated by `services_gap.sub_kegiatan_queryset`."""
    value: Decimal | None = getattr(node, "pagu_tahun", None)
    return value


def _rupiah(value: Decimal | None) -> str:
    return format_rupiah(value) if value is not None else "—"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _gap(request: PemdaRequest, gap_id: int) -> GapWorksheet:
    gap = (
        GapWorksheet.objects.filter(pemda=request.pemda, pk=gap_id)
        .select_related("node__dokumen", "opd", "dibuat_oleh")
        .first()
    )
    if gap is None or not _may_read(request.scope, gap.opd_id):
        raise NotFoundError(_("Lembar GAP tidak ditemukan."))
    return gap


def _node(request: PemdaRequest, node_id: int) -> PlanNode:
    node = PlanNode.objects.filter(pemda=request.pemda, pk=node_id).select_related("dokumen", "opd").first()
    if node is None or not _may_read(request.scope, _node_opd_id(node)):
        raise NotFoundError(_("Sub-kegiatan tidak ditemukan."))
    return node


def _gap_url(kode: str, gap_id: int) -> str:
    return reverse("gender:gap_detail", kwargs={"kode": kode, "gap_id": gap_id})


# --- GAP list and start -----------------------------------------------------------------------------


@pemda_view("pug.view")
@require_GET
def gap_list(request: PemdaRequest) -> HttpResponse:
    pemda, scope = request.pemda, request.scope
    tahun = _tahun(request)
    opds = _visible_opds(request)
    opd_id = _opd_filter(request, opds)
    status = request.GET.get("status", "")
    status = status if status in GapStatus.values else ""
    worksheets = services_gap.gap_queryset(
        pemda, opd_ids=access.visible_opds(scope), tahun=tahun, opd_id=opd_id, status=status
    )
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                g.tahun,
                g.opd.nama if g.opd else "",
                g.node.kode,
                g.node.nama,
                g.get_status_display(),
                g.anggaran,
                g.diubah,
            ]
            for g in worksheets.iterator()
        )
        return xlsx_response(f"gap-{pemda.kode}-{tahun}.xlsx", "GAP", GAP_HEADERS, rows)
    page = paginate(request, worksheets)

    document = services_gap.rkpd_for(pemda, tahun)
    can_start = scope.has("pug.edit")
    cari = " ".join(request.GET.get("cari", "").split())[:100]
    found: list[dict[str, Any]] = []
    more = False
    if can_start and cari and document is not None:
        nodes = list(
            services_gap.sub_kegiatan_queryset(document, opd_ids=access.editable_opds(scope), q=cari)[
                : SEARCH_LIMIT + 1
            ]
        )
        more = len(nodes) > SEARCH_LIMIT
        nodes = nodes[:SEARCH_LIMIT]
        existing = dict(
            GapWorksheet.objects.filter(
                pemda=pemda, node_id__in=[n.pk for n in nodes], tahun=tahun
            ).values_list("node_id", "pk")
        )
        found = [
            {
                "node": n,
                "pagu": _rupiah(_pagu(n)),
                "gap_id": existing.get(n.pk),
            }
            for n in nodes
        ]
    context = {
        "pemda": pemda,
        "tahun": tahun,
        "opds": opds,
        "opd_id": opd_id,
        "status": status,
        "statuses": GapStatus.choices,
        "page": page,
        "query": query_without_page(request),
        "export_query": urlencode({"tahun": tahun, "opd": opd_id or "", "status": status, "format": "xlsx"}),
        "document": document,
        "can_start": can_start,
        "cari": cari,
        "found": found,
        "more": more,
        "limited": access.visible_opds(scope) is not None,
    }
    return render(request, "gender/gap_list.html", context)


@pemda_view("pug.edit")
@require_POST
def gap_start(request: PemdaRequest, node_id: int) -> HttpResponse:
    node = _node(request, node_id)
    _require_edit(request.scope, _node_opd_id(node))
    tahun = _int(request.POST.get("tahun"))
    if tahun is None:
        tahun = node.dokumen.tahun_mulai
    try:
        gap = services_gap.gap_start(actor=request.user, node=node, tahun=tahun)
    except ApplicationError as exc:
        if exc.code == "gap_sudah_ada":
            existing = GapWorksheet.objects.filter(node=node, tahun=tahun).first()
            if existing is not None:
                messages.info(request, exc.message)
                return redirect(_gap_url(request.pemda.kode, existing.pk))
        messages.error(request, exc.message)
        return redirect(reverse("gender:gap_list", kwargs={"kode": request.pemda.kode}) + f"?tahun={tahun}")
    messages.success(
        request,
        _("Lembar GAP dibuat dan diisi awal dari dokumen perencanaan. Periksa dan lengkapi setiap langkah."),
    )
    return redirect(_gap_url(request.pemda.kode, gap.pk))


# --- the worksheet ----------------------------------------------------------------------------------


class GapForm(forms.Form):
    """The nine steps and the GBS fields; labels are the model's (numbered like the GAP)."""

    anggaran = AngkaField(label=_label("anggaran"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in services_gap.TEXT_FIELDS:
            self.fields[name] = forms.CharField(
                label=_label(name),
                required=False,
                max_length=services_gap.MAX_TEXT,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def data_input(self) -> services_gap.GapInput:
        cleaned = self.cleaned_data
        return services_gap.GapInput(
            **{name: cleaned.get(name, "") for name in services_gap.TEXT_FIELDS},
            anggaran=cleaned.get("anggaran"),
        )


def _initial(gap: GapWorksheet) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(gap, name) for name in services_gap.TEXT_FIELDS}
    initial["anggaran"] = (
        format_angka(gap.anggaran, 2).removesuffix(",00") if gap.anggaran is not None else ""
    )
    initial["version"] = gap.version
    return initial


def _show_errors(form: GapForm, exc: ApplicationError) -> None:
    """The service's message on top (it lists every missing step) and each error at its field."""
    form.add_error(None, exc.message)
    for error in exc.errors:
        name = error.get("kolom")
        if name in form.fields and name not in form.errors:
            form.add_error(name, error.get("pesan", exc.message))


def _act(request: PemdaRequest, gap: GapWorksheet, form: GapForm) -> tuple[HttpResponse | None, int]:
    """Run the POSTed action: (redirect, 0) on success, (None, status) to re-render with the errors."""
    _require_edit(request.scope, gap.opd_id)
    action = request.POST.get("aksi", "simpan")
    back = redirect(_gap_url(request.pemda.kode, gap.pk))
    if action == "draf":
        version = _int(request.POST.get("version"))
        try:
            services_gap.gap_reopen(actor=request.user, gap=gap, expected_version=version or 0)
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Lembar GAP dikembalikan ke draf dan dapat diubah lagi."))
        return back, 0
    if action not in ("simpan", "final"):
        raise ApplicationError(_("Tindakan tidak dikenal."))
    if not form.is_valid():
        return None, 400
    try:
        services_gap.gap_update(
            actor=request.user,
            gap=gap,
            expected_version=form.cleaned_data["version"],
            data=form.data_input(),
            status=GapStatus.FINAL if action == "final" else None,
        )
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        _show_errors(form, exc)
        return None, exc.status
    if action == "final":
        messages.success(request, _("Lembar GAP difinalkan. GBS siap diunduh."))
    else:
        messages.success(request, _("Draf lembar GAP disimpan."))
    return back, 0


def _steps(form: GapForm, gap: GapWorksheet) -> list[dict[str, Any]]:
    return [
        {
            "step": step,
            "fields": [form[name] for name in step.fields],
            "values": [(_label(name), getattr(gap, name)) for name in step.fields],
        }
        for step in services_gap.STEPS
    ]


@pemda_view("pug.view")
@require_http_methods(["GET", "POST"])
def gap_detail(request: PemdaRequest, gap_id: int) -> HttpResponse:
    gap = _gap(request, gap_id)
    posted = request.method == "POST" and request.POST.get("aksi", "simpan") in ("simpan", "final")
    form = GapForm(request.POST if posted else None, initial=_initial(gap))
    status = 200
    if request.method == "POST":
        done, status = _act(request, gap, form)
        if done is not None:
            return done
    facts = services_gap.node_facts(gap.node, gap.tahun)
    tag = ArgTag.objects.filter(node_id=gap.node_id).first()
    can_edit = _may_edit(request.scope, gap.opd_id)
    values = {name: getattr(gap, name) for name in GapWorksheet.STEP_FIELDS}
    kwargs = {"kode": request.pemda.kode, "gap_id": gap.pk}
    context = {
        "pemda": request.pemda,
        "gap": gap,
        "facts": facts,
        "form": form,
        "steps": _steps(form, gap),
        "gbs_fields": [form[name] for name in ("analisis_situasi", "anggaran", "dampak")],
        "editable": can_edit and gap.status in services_gap.EDITABLE,
        "can_reopen": can_edit and gap.status == GapStatus.FINAL,
        "missing": [services_gap.step_label(s) for s in services_gap.missing_steps(values)],
        "pagu_text": _rupiah(facts.pagu),
        "anggaran_text": _rupiah(gap.anggaran),
        "tag": tag,
        "pdf_url": reverse("gender:gbs_pdf", kwargs=kwargs),
        "docx_url": reverse("gender:gbs_docx", kwargs=kwargs),
        "list_url": reverse("gender:gap_list", kwargs={"kode": request.pemda.kode}) + f"?tahun={gap.tahun}",
        "arg_url": reverse("gender:arg_list", kwargs={"kode": request.pemda.kode}) + f"?tahun={gap.tahun}",
    }
    return render(request, "gender/gap_detail.html", context, status=status)


@pemda_view("pug.view")
@require_GET
def gbs_pdf(request: PemdaRequest, gap_id: int) -> HttpResponse:
    data = gbs.gbs_data(_gap(request, gap_id))
    return _attachment(gbs.gbs_pdf(data), gbs.PDF_TYPE, f"{data.filename}.pdf")


@pemda_view("pug.view")
@require_GET
def gbs_docx(request: PemdaRequest, gap_id: int) -> HttpResponse:
    data = gbs.gbs_data(_gap(request, gap_id))
    return _attachment(gbs.gbs_docx(data), gbs.DOCX_TYPE, f"{data.filename}.docx")


# --- ARG tagging ------------------------------------------------------------------------------------


def _persen(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_angka(value, 2)} %"


def _summary_rows(summary: services_gap.ArgSummary) -> list[dict[str, Any]]:
    def one(row: services_gap.ArgShare, total: bool = False) -> dict[str, Any]:
        return {
            "row": row,
            "total": total,
            "pagu": format_rupiah(row.pagu),
            "kategori": [
                (format_rupiah(row.per_kategori[k]), _persen(row.persen_kategori(k)))
                for k in ArgCategory.values
            ],
            "pagu_arg": format_rupiah(row.pagu_arg),
            "persen": _persen(row.persen),
        }

    return [one(r) for r in summary.rows] + ([one(summary.total, True)] if summary.rows else [])


@pemda_view("pug.view")
@require_GET
def arg_list(request: PemdaRequest) -> HttpResponse:
    pemda, scope = request.pemda, request.scope
    tahun = _tahun(request)
    opds = _visible_opds(request)
    opd_id = _opd_filter(request, opds)
    q = " ".join(request.GET.get("q", "").split())[:100]
    visible = access.visible_opds(scope)
    summary = services_gap.arg_summary(pemda, tahun, opd_ids=visible)
    fmt = request.GET.get("format", "")
    if fmt == "xlsx":
        rows = [
            [
                r.opd,
                r.sub_kegiatan,
                r.ditandai,
                r.pagu,
                *(r.per_kategori[k] for k in ArgCategory.values),
                r.pagu_arg,
                r.persen,
            ]
            for r in [*summary.rows, *([summary.total] if summary.rows else [])]
        ]
        return xlsx_response(f"arg-{pemda.kode}-{tahun}.xlsx", "ARG", ARG_SUMMARY_HEADERS, rows)
    document = summary.document
    nodes = (
        services_gap.sub_kegiatan_queryset(document, opd_ids=visible, opd_id=opd_id, q=q)
        if document is not None
        else PlanNode.objects.none()
    )
    if fmt == "xlsx_sub":
        labels = {value: str(label) for value, label in ArgCategory.choices}
        lines = (
            [
                n.opd.nama if n.opd else "",
                n.kode,
                n.nama,
                _pagu(n),
                labels[tag.kategori] if tag else "",
                tag.catatan if tag else "",
            ]
            for n in nodes
            for tag in [_tag_of(n)]
        )
        return xlsx_response(
            f"arg-sub-kegiatan-{pemda.kode}-{tahun}.xlsx", "Sub-kegiatan", ARG_ROW_HEADERS, lines
        )
    page = paginate(request, nodes)
    on_page = list(page.object_list)
    gaps = dict(
        GapWorksheet.objects.filter(
            pemda=pemda, node_id__in=[n.pk for n in on_page], tahun=tahun
        ).values_list("node_id", "pk")
    )
    lines_on_page = [
        {
            "node": n,
            "tag": _tag_of(n),
            "pagu": _rupiah(_pagu(n)),
            "gap_id": gaps.get(n.pk),
            "can_edit": _may_edit(scope, n.opd_id),
        }
        for n in on_page
    ]
    context = {
        "pemda": pemda,
        "tahun": tahun,
        "opds": opds,
        "opd_id": opd_id,
        "q": q,
        "document": document,
        "page": page,
        "rows": lines_on_page,
        "query": query_without_page(request),
        "categories": ArgCategory.choices,
        "summary": _summary_rows(summary),
        "limited": visible is not None,
        "export_summary": urlencode({"tahun": tahun, "format": "xlsx"}),
        "export_rows": urlencode({"tahun": tahun, "opd": opd_id or "", "q": q, "format": "xlsx_sub"}),
        "halaman": page.number,
    }
    return render(request, "gender/arg_list.html", context)


def _tag_of(node: PlanNode) -> ArgTag | None:
    try:
        tag: ArgTag = getattr(node, "tanda_arg")  # noqa: B009  (a reverse one-to-one: raises when missing)
        return tag
    except ArgTag.DoesNotExist:
        return None


def _back_to_arg_list(request: PemdaRequest, node: PlanNode) -> str:
    params: dict[str, Any] = {}
    tahun = _int(request.POST.get("tahun"))
    if tahun is not None and 2000 <= tahun <= 2100:
        params["tahun"] = tahun
    opd = _int(request.POST.get("opd"))
    if opd is not None:
        params["opd"] = opd
    q = " ".join(request.POST.get("q", "").split())[:100]
    if q:
        params["q"] = q
    halaman = _int(request.POST.get("halaman"))
    if halaman is not None and halaman > 1:
        params["halaman"] = halaman
    url = reverse("gender:arg_list", kwargs={"kode": request.pemda.kode})
    return url + ("?" + urlencode(params) if params else "") + f"#simpul-{node.pk}"


@pemda_view("pug.edit")
@require_POST
def arg_tag(request: PemdaRequest, node_id: int) -> HttpResponse:
    node = _node(request, node_id)
    _require_edit(request.scope, _node_opd_id(node))
    action = request.POST.get("aksi", "tandai")
    version = _int(request.POST.get("version"))
    try:
        if action == "hapus":
            tag = ArgTag.objects.filter(node=node).first()
            if tag is None:
                raise NotFoundError(_("Sub-kegiatan ini belum ditandai."))
            services_gap.arg_tag_remove(actor=request.user, tag=tag, expected_version=version or 0)
            messages.success(request, _("Tanda ARG {kode} dihapus.").format(kode=node.kode))
        elif action == "tandai":
            tag = services_gap.arg_tag_set(
                actor=request.user,
                node=node,
                kategori=request.POST.get("kategori", ""),
                catatan=request.POST.get("catatan", ""),
                expected_version=version,
            )
            messages.success(
                request,
                _("{kode} ditandai: {kategori}.").format(kode=node.kode, kategori=tag.get_kategori_display()),
            )
        else:
            raise ApplicationError(_("Tindakan tidak dikenal."))
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    return redirect(_back_to_arg_list(request, node))
