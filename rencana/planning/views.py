"""Planning pages: documents, the logframe tree editor, indicators and targets, the checker, diffs.

Every page works without JavaScript; HTMX adds live nomenclature search in the node form.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from rencana.core.exports import xlsx_response
from rencana.core.forms import form_errors_from
from rencana.core.pagination import paginate, query_without_page
from rencana.planning import access, diffs, levels, selectors, services
from rencana.planning.forms import (
    DocumentEditForm,
    DocumentForm,
    IndicatorForm,
    MoveForm,
    NodeForm,
    StageForm,
)
from rencana.planning.models import DocumentKind, Indicator, NodeKind, PlanDocument, Stage


def _document(request: PemdaRequest, document_id: int) -> PlanDocument:
    document = selectors.document_get(pemda=request.pemda, document_id=document_id)
    if document is None:
        raise NotFoundError(_("Dokumen perencanaan tidak ditemukan di pemda ini."))
    return document


def _tree_url(document: PlanDocument, node_id: int | None = None) -> str:
    url = reverse("planning:document", kwargs={"kode": document.pemda.kode, "document_id": document.pk})
    return f"{url}#simpul-{node_id}" if node_id else url


@pemda_view("plan.view")
@require_GET
def document_list(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    jenis = request.GET.get("jenis", "")
    if jenis not in DocumentKind.values:
        jenis = ""
    page = paginate(request, selectors.document_list(pemda=pemda, jenis=jenis))
    context = {
        "pemda": pemda,
        "page": page,
        "query": query_without_page(request),
        "jenis": jenis,
        "kinds": DocumentKind.choices,
        "can_manage": request.scope.has("plan.manage"),
    }
    return render(request, "planning/document_list.html", context)


@pemda_view("plan.view")
@require_GET
def document_scores(request: PemdaRequest, document_id: int) -> HttpResponse:
    """The checker's scores of one document: a fragment the list loads per row (HTMX)."""
    document = _document(request, document_id)
    check = selectors.document_check(document)
    context = {"pemda": request.pemda, "document": document, "check": check}
    return render(request, "planning/fragment_scores.html", context)


@pemda_view("plan.view")
@require_GET
def dashboard_panel(request: PemdaRequest) -> HttpResponse:
    """The pemda dashboard's planning panel: newest RPJMD and RKPD with scores, RKPD per OPD."""
    pemda = request.pemda
    latest = {}
    for kind in ("RPJMD", "RKPD"):
        document = selectors.document_list(pemda=pemda, jenis=kind).first()
        if document is not None:
            latest[kind] = (document, selectors.document_check(document))
    context = {"pemda": pemda, "latest": list(latest.values()), "rkpd": latest.get("RKPD")}
    return render(request, "planning/fragment_dashboard.html", context)


@pemda_view("plan.manage")
@require_http_methods(["GET", "POST"])
def document_create(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    form = DocumentForm(request.POST or None, pemda=pemda, initial={"tahun_mulai": pemda.tahun_anggaran})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_create(
                actor=request.user,
                pemda=pemda,
                jenis=data["jenis"],
                tahun_mulai=data["tahun_mulai"],
                opd=data["opd"],
                induk=data["induk"],
                nama=data["nama"],
                edisi=data["edisi"],
            )
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Dokumen “%(nama)s” dibuat.") % {"nama": document.nama})
            return redirect(_tree_url(document))
    status = 400 if request.method == "POST" else 200
    return render(request, "planning/document_form.html", {"pemda": pemda, "form": form}, status=status)


@pemda_view("plan.view")
@require_GET
def document_detail(request: PemdaRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    opd_filter = request.GET.get("opd", "")
    opd_id = int(opd_filter) if opd_filter.isdigit() else None
    tree = selectors.tree(document, opd_id=opd_id)
    full_tree = tree if opd_id is None else selectors.tree(document)
    check = selectors.document_check(document, tree_data=full_tree)
    findings_by_node: dict[int, int] = {}
    for finding in check.findings:
        if finding.node_id is not None and finding.severity == "error":
            findings_by_node[finding.node_id] = findings_by_node.get(finding.node_id, 0) + 1
    scope = request.scope
    can_edit_any = access.can_edit(scope, document) or any(
        access.can_edit(scope, document, row.node.opd_id) for row in tree.rows if row.node.opd_id
    )
    rows = [
        {
            "row": row,
            "errors": findings_by_node.get(row.node.pk, 0),
            "can_edit": access.can_edit(scope, document, row.node.opd_id),
            "child_kinds": [
                (k, NodeKind(k).label.lower())
                for k in levels.allowed_children(document.jenis, row.node.jenis)
            ],
        }
        for row in tree.rows
    ]
    context = {
        "pemda": request.pemda,
        "document": document,
        "rows": rows,
        "check": check,
        "shares": selectors.opd_shares(full_tree),
        "versions": selectors.versions_of(document),
        "top_kinds": [(k, NodeKind(k).label.lower()) for k in levels.allowed_children(document.jenis, None)],
        "can_edit_top": access.can_edit(scope, document),
        "can_edit_any": can_edit_any,
        "can_manage": scope.has("plan.manage"),
        "stages": [
            (value, label)
            for value, label in Stage.choices
            if levels.stage_move(document.tahap, value).allowed
        ],
        "opd_id": opd_id,
        "opds": sorted(
            {(r.node.opd.pk, r.node.opd.nama) for r in full_tree.rows if r.node.opd is not None},
            key=lambda x: x[1],
        ),
    }
    return render(request, "planning/document_detail.html", context)


@pemda_view("plan.manage")
@require_http_methods(["GET", "POST"])
def document_edit(request: PemdaRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    initial = {"nama": document.nama, "induk": document.induk_id, "version": document.version}
    form = DocumentEditForm(request.POST or None, document=document, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                actor=request.user,
                document=document,
                expected_version=form.cleaned_data["version"],
                nama=form.cleaned_data["nama"],
                induk=form.cleaned_data["induk"],
            )
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Dokumen disimpan."))
            return redirect(_tree_url(document))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "planning/document_edit.html",
        {"pemda": request.pemda, "document": document, "form": form},
        status=status,
    )


@pemda_view("plan.manage")
@require_POST
def document_stage(request: PemdaRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tahap tidak dikenal."))
        return redirect(_tree_url(document))
    try:
        services.document_set_stage(
            actor=request.user,
            document=document,
            expected_version=form.cleaned_data["version"],
            tahap=form.cleaned_data["tahap"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tahap dokumen: %(tahap)s.") % {"tahap": document.get_tahap_display()})
    return redirect(_tree_url(document))


@pemda_view("plan.manage")
@require_POST
def document_revise(request: PemdaRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    try:
        revision = services.document_revise(actor=request.user, document=document)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(_tree_url(document))
    messages.success(
        request,
        _("Perubahan ke-%(n)s dibuat; dokumen yang ditetapkan tetap utuh.") % {"n": revision.revisi_ke},
    )
    return redirect(_tree_url(revision))


@pemda_view("plan.view")
@require_GET
def document_diff(request: PemdaRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    versions = selectors.versions_of(document)
    other_id = request.GET.get("dengan", "")
    other = None
    if other_id.isdigit():
        other = selectors.document_get(pemda=request.pemda, document_id=int(other_id))
    if other is None:
        index = next(i for i, v in enumerate(versions) if v.pk == document.pk)
        other = versions[index - 1] if index > 0 else None
    changes = diffs.diff_documents(diffs_state(other), diffs_state(document)) if other is not None else []
    context = {
        "pemda": request.pemda,
        "document": document,
        "other": other,
        "versions": versions,
        "changes": changes,
    }
    return render(request, "planning/document_diff.html", context)


def diffs_state(document: PlanDocument | None) -> dict[str, dict[str, str]]:
    if document is None:
        return {}
    return selectors.document_state(selectors.tree(document))


# --- nodes -----------------------------------------------------------------------------------


def _node_form_context(
    request: PemdaRequest, document: PlanDocument, form: NodeForm, **extra: Any
) -> dict[str, Any]:
    return {"pemda": request.pemda, "document": document, "form": form, **extra}


def _node_input(form: NodeForm) -> services.NodeInput:
    data = form.cleaned_data
    return services.NodeInput(
        jenis=data["jenis"],
        kode=data["kode"],
        nama=data["nama"],
        opd=data["opd"],
        luar_nomenklatur=data["luar_nomenklatur"],
        sumber_dana=data["sumber_dana"],
        lokasi=data["lokasi"],
        sasaran_ids=[s.pk for s in data["sasaran"]],
        pagu=form.pagu(),
    )


@pemda_view("plan.edit")
@require_http_methods(["GET", "POST"])
def node_create(request: PemdaRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    parent_id = request.GET.get("induk", "") or request.POST.get("induk", "")
    parent = services.get_node(document, int(parent_id)) if parent_id.isdigit() else None
    kinds = levels.allowed_children(document.jenis, parent.jenis if parent else None)
    if not kinds:
        raise NotFoundError(_("Simpul ini tidak bisa memiliki anak."))
    inherited_opd = parent.opd_id if parent is not None else None
    initial: dict[str, Any] = {
        "jenis": request.GET.get("jenis") or kinds[0],
        "opd": inherited_opd or document.opd_id,
    }
    form = NodeForm(
        request.POST or None,
        document=document,
        kinds=kinds,
        sasaran=selectors.sasaran_options(document),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        opd = form.cleaned_data["opd"]
        try:
            access.require_edit(request.scope, document, opd.pk if opd else inherited_opd)
            node = services.node_create(
                actor=request.user,
                document=document,
                parent=parent,
                data=_node_input(form),
                prefill_indicator=form.cleaned_data["isi_indikator"],
            )
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("%(jenis)s ditambahkan.") % {"jenis": node.get_jenis_display()})
            return redirect(_tree_url(document, node.pk))
    elif parent is not None or not any(levels.is_budget(k) for k in kinds):
        # An OPD operator may open the form at the top of an RKPD (it picks its own OPD there).
        access.require_edit(request.scope, document, inherited_opd or document.opd_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "planning/node_form.html",
        _node_form_context(request, document, form, parent=parent, node=None),
        status=status,
    )


@pemda_view("plan.edit")
@require_http_methods(["GET", "POST"])
def node_edit(request: PemdaRequest, document_id: int, node_id: int) -> HttpResponse:
    document = _document(request, document_id)
    node = services.get_node(document, node_id)
    access.require_edit(request.scope, document, node.opd_id)
    tree_row = selectors.tree(document).by_id[node.pk]
    initial: dict[str, Any] = {
        "jenis": node.jenis,
        "kode": node.kode,
        "nama": node.nama,
        "luar_nomenklatur": node.luar_nomenklatur,
        "opd": node.opd_id,
        "sasaran": [s.pk for s in tree_row.sasaran],
        "sumber_dana": node.sumber_dana,
        "lokasi": node.lokasi,
        "version": node.version,
    }
    for tahun, jumlah in tree_row.pagu.items():
        initial[f"pagu_{tahun}"] = str(jumlah).replace(".", ",")
    form = NodeForm(
        request.POST or None,
        document=document,
        kinds=(node.jenis,),
        sasaran=selectors.sasaran_options(document),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        opd = form.cleaned_data["opd"]
        try:
            if opd is not None and opd.pk != node.opd_id:
                access.require_edit(request.scope, document, opd.pk)
            services.node_update(
                actor=request.user,
                node=node,
                expected_version=form.cleaned_data["version"] or 0,
                data=_node_input(form),
            )
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect(_tree_url(document, node.pk))
    candidates = [
        r.node
        for r in selectors.tree(document).rows
        if node.jenis in levels.allowed_children(document.jenis, r.node.jenis) and r.node.pk != node.pk
    ]
    move_form = MoveForm(initial={"induk": node.induk_id, "version": node.version}, candidates=candidates)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "planning/node_form.html",
        _node_form_context(
            request,
            document,
            form,
            parent=node.induk,
            node=node,
            indicators=tree_row.indicators,
            move_form=move_form,
        ),
        status=status,
    )


@pemda_view("plan.edit")
@require_POST
def node_move(request: PemdaRequest, document_id: int, node_id: int) -> HttpResponse:
    document = _document(request, document_id)
    node = services.get_node(document, node_id)
    access.require_edit(request.scope, document, node.opd_id)
    direction = request.POST.get("arah", "")
    version = request.POST.get("version", "")
    expected = int(version) if version.isdigit() else 0
    try:
        if direction in ("naik", "turun"):
            services.node_shift(
                actor=request.user,
                node=node,
                expected_version=expected,
                direction=-1 if direction == "naik" else 1,
            )
        else:
            candidates = [
                r.node
                for r in selectors.tree(document).rows
                if node.jenis in levels.allowed_children(document.jenis, r.node.jenis)
            ]
            form = MoveForm(request.POST, candidates=candidates)
            if not form.is_valid():
                raise ApplicationError(_("Pilih induk yang sah."))
            services.node_move(
                actor=request.user,
                node=node,
                expected_version=form.cleaned_data["version"],
                parent=form.cleaned_data["induk"],
            )
            messages.success(request, _("Simpul dipindahkan."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(_tree_url(document, node.pk))


@pemda_view("plan.edit")
@require_POST
def node_delete(request: PemdaRequest, document_id: int, node_id: int) -> HttpResponse:
    document = _document(request, document_id)
    node = services.get_node(document, node_id)
    access.require_edit(request.scope, document, node.opd_id)
    version = request.POST.get("version", "")
    try:
        services.node_delete(
            actor=request.user, node=node, expected_version=int(version) if version.isdigit() else 0
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(_tree_url(document, node.pk))
    messages.success(request, _("Simpul dan turunannya dihapus."))
    return redirect(_tree_url(document, node.induk_id))


# --- indicators ------------------------------------------------------------------------------


def _indicator_input(form: IndicatorForm) -> services.IndicatorInput:
    data = form.cleaned_data
    return services.IndicatorInput(
        nama=data["nama"],
        satuan=data["satuan"],
        jenis=data["jenis"],
        polaritas=data["polaritas"],
        agregasi=data["agregasi"],
        definisi=data["definisi"],
        formula=data["formula"],
        sumber_data=data["sumber_data"],
        baseline_tahun=data["baseline_tahun"],
        baseline_nilai=data["baseline_nilai"],
        terpilah_gender=data["terpilah_gender"],
        target=form.targets(),
    )


def _angka_initial(value: Any) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")


@pemda_view("plan.edit")
@require_http_methods(["GET", "POST"])
def indicator_create(request: PemdaRequest, document_id: int, node_id: int) -> HttpResponse:
    document = _document(request, document_id)
    node = services.get_node(document, node_id)
    access.require_edit(request.scope, document, node.opd_id)
    jenis = "output" if node.jenis == "sub_kegiatan" else "outcome"
    form = IndicatorForm(request.POST or None, years=document.tahun, initial={"jenis": jenis})
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_create(actor=request.user, node=node, data=_indicator_input(form))
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Indikator ditambahkan."))
            return redirect(_tree_url(document, node.pk))
    status = 400 if request.method == "POST" else 200
    context = {"pemda": request.pemda, "document": document, "node": node, "form": form, "indicator": None}
    return render(request, "planning/indicator_form.html", context, status=status)


def _indicator(document: PlanDocument, indicator_id: int) -> Indicator:
    indicator = (
        Indicator.objects.filter(pk=indicator_id, node__dokumen=document)
        .select_related("node", "node__dokumen")
        .first()
    )
    if indicator is None:
        raise NotFoundError(_("Indikator tidak ditemukan di dokumen ini."))
    return indicator


@pemda_view("plan.edit")
@require_http_methods(["GET", "POST"])
def indicator_edit(request: PemdaRequest, document_id: int, indicator_id: int) -> HttpResponse:
    document = _document(request, document_id)
    indicator = _indicator(document, indicator_id)
    access.require_edit(request.scope, document, indicator.node.opd_id)
    initial: dict[str, Any] = {
        name: getattr(indicator, name)
        for name in (
            "nama",
            "jenis",
            "satuan",
            "polaritas",
            "agregasi",
            "baseline_tahun",
            "definisi",
            "formula",
            "sumber_data",
            "terpilah_gender",
        )
    }
    initial["baseline_nilai"] = _angka_initial(indicator.baseline_nilai)
    initial["version"] = indicator.version
    for target in indicator.target.all():
        initial[f"target_{target.tahun}"] = _angka_initial(target.nilai)
    form = IndicatorForm(request.POST or None, years=document.tahun, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                actor=request.user,
                indicator=indicator,
                expected_version=form.cleaned_data["version"] or 0,
                data=_indicator_input(form),
            )
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Indikator disimpan."))
            return redirect(_tree_url(document, indicator.node_id))
    status = 400 if request.method == "POST" else 200
    context = {
        "pemda": request.pemda,
        "document": document,
        "node": indicator.node,
        "form": form,
        "indicator": indicator,
    }
    return render(request, "planning/indicator_form.html", context, status=status)


@pemda_view("plan.edit")
@require_POST
def indicator_delete(request: PemdaRequest, document_id: int, indicator_id: int) -> HttpResponse:
    document = _document(request, document_id)
    indicator = _indicator(document, indicator_id)
    access.require_edit(request.scope, document, indicator.node.opd_id)
    version = request.POST.get("version", "")
    try:
        services.indicator_delete(
            actor=request.user, indicator=indicator, expected_version=int(version) if version.isdigit() else 0
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Indikator dihapus."))
    return redirect(_tree_url(document, indicator.node_id))


# --- checker ---------------------------------------------------------------------------------

CHECK_HEADERS = ["Tingkat", "Aturan", "Simpul", "OPD", "Temuan", "Cara memperbaiki"]


@pemda_view("plan.view")
@require_GET
def document_check(request: PemdaRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    result = selectors.document_check(document)
    if request.GET.get("format") == "xlsx":
        rows = (
            [str(f.severity), f.rule, f.node_label, f.opd_nama, f.message, f.fix] for f in result.findings
        )
        return xlsx_response(f"pemeriksaan-logframe-{document.pk}.xlsx", "Temuan", CHECK_HEADERS, rows)
    severity = request.GET.get("tingkat", "")
    findings = [f for f in result.findings if not severity or f.severity == severity]
    context = {
        "pemda": request.pemda,
        "document": document,
        "result": result,
        "findings": findings,
        "severity": severity,
        "counts": result.counts(),
    }
    return render(request, "planning/document_check.html", context)


@pemda_view("plan.view")
@require_GET
def plan_help(request: PemdaRequest) -> HttpResponse:
    return render(request, "planning/help.html", {"pemda": request.pemda})
