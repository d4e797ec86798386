"""e-Monev pages: quarter overview, an OPD's lines, the entry form with its workflow, verification queue,
late OPDs, deadlines, evidence downloads."""

import datetime
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, NotFoundError
from rencana.core.forms import form_errors_from
from rencana.core.pagination import paginate
from rencana.monitoring import access, selectors, services
from rencana.monitoring.forms import DeadlineForm, EvidenceForm, RealizationForm, ReturnForm
from rencana.monitoring.models import Evidence, Realization, Status
from rencana.planning.models import Indicator, PlanNode
from rencana.regions.models import Opd


def _period(request: PemdaRequest) -> tuple[int, int]:
    raw_year = request.GET.get("tahun", "")
    raw_quarter = request.GET.get("tw", "")
    tahun = (
        int(raw_year)
        if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100
        else request.pemda.tahun_anggaran
    )
    triwulan = int(raw_quarter) if raw_quarter in ("1", "2", "3", "4") else _current_quarter(tahun)
    return tahun, triwulan


def _current_quarter(tahun: int) -> int:
    today = timezone.localdate()
    if today.year < tahun:
        return 1
    if today.year > tahun:
        return 4
    return (today.month - 1) // 3 + 1


def _today() -> datetime.date:
    return timezone.localdate()


@pemda_view("monev.view")
@require_GET
def home(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    tahun, triwulan = _period(request)
    document = selectors.rkpd_for(pemda, tahun)
    statuses = []
    deadline = services.quarter_deadline(pemda, tahun, triwulan)
    if document is not None:
        statuses = selectors.quarter_status(document, tahun, triwulan, access.visible_opds(request.scope))
    context = {
        "pemda": pemda,
        "document": document,
        "tahun": tahun,
        "triwulan": triwulan,
        "quarters": selectors.QUARTERS,
        "deadline": deadline,
        "today": _today(),
        "rows": [{"status": s, "late": s.late(deadline, _today())} for s in statuses],
        "can_verify": request.scope.has("monev.verify"),
        "can_manage": request.scope.has("monev.manage"),
    }
    return render(request, "monitoring/home.html", context)


def _opd(request: PemdaRequest, opd_id: int) -> Opd:
    opd = Opd.objects.filter(pemda=request.pemda, pk=opd_id).first()
    allowed = access.visible_opds(request.scope)
    if opd is None or (allowed is not None and opd.pk not in allowed):
        raise NotFoundError(_("OPD tidak ditemukan di pemda ini."))
    return opd


@pemda_view("monev.view")
@require_GET
def opd_quarter(request: PemdaRequest, opd_id: int) -> HttpResponse:
    pemda = request.pemda
    opd = _opd(request, opd_id)
    tahun, triwulan = _period(request)
    document = selectors.rkpd_for(pemda, tahun)
    lines = selectors.opd_lines(document, opd, tahun, triwulan) if document is not None else []
    context = {
        "pemda": pemda,
        "opd": opd,
        "document": document,
        "tahun": tahun,
        "triwulan": triwulan,
        "quarters": selectors.QUARTERS,
        "lines": lines,
        "deadline": services.quarter_deadline(pemda, tahun, triwulan),
        "can_enter": request.scope.has("monev.enter", opd_id=opd.pk),
    }
    return render(request, "monitoring/opd_quarter.html", context)


def _node(request: PemdaRequest, node_id: int) -> PlanNode:
    node = (
        PlanNode.objects.filter(pemda=request.pemda, pk=node_id)
        .select_related("dokumen", "dokumen__pemda", "opd", "induk")
        .first()
    )
    if node is None:
        raise NotFoundError(_("Sub-kegiatan tidak ditemukan di pemda ini."))
    access.require_read(request.scope, node)
    return node


def _entry_url(node: PlanNode, tahun: int, triwulan: int) -> str:
    return reverse(
        "monitoring:entry",
        kwargs={"kode": node.pemda.kode, "node_id": node.pk, "tahun": tahun, "triwulan": triwulan},
    )


def _initial(realization: Realization | None) -> dict[str, Any]:
    if realization is None:
        return {}
    initial: dict[str, Any] = {
        "anggaran": _angka(realization.anggaran),
        "faktor_pendukung": realization.faktor_pendukung,
        "faktor_penghambat": realization.faktor_penghambat,
        "tindak_lanjut": realization.tindak_lanjut,
        "version": realization.version,
    }
    for indicator_id, value in selectors.values_of(realization).items():
        initial[f"nilai_{indicator_id}"] = _angka(value)
    return initial


def _angka(value: Any) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _act(
    request: PemdaRequest, node: PlanNode, tahun: int, triwulan: int, form: RealizationForm
) -> HttpResponse | None:
    """Run the POSTed action; a redirect on success, None to re-render the page with errors."""
    action = request.POST.get("aksi", "simpan")
    realization = services.current_realization(node, tahun, triwulan)
    version_raw = request.POST.get("version", "")
    version = int(version_raw) if version_raw.isdigit() else None
    scope = request.scope
    try:
        if action in ("simpan", "ajukan"):
            access.require_enter(scope, node)
            if not form.is_valid():
                return None
            data = form.cleaned_data
            realization = services.realization_save(
                actor=request.user,
                node=node,
                tahun=tahun,
                triwulan=triwulan,
                expected_version=version,
                anggaran=data["anggaran"],
                values=form.values(),
                faktor_pendukung=data["faktor_pendukung"],
                faktor_penghambat=data["faktor_penghambat"],
                tindak_lanjut=data["tindak_lanjut"],
            )
            if action == "ajukan":
                services.realization_submit(
                    actor=request.user, realization=realization, expected_version=realization.version
                )
                messages.success(request, _("Realisasi diajukan untuk diverifikasi Bappeda."))
            else:
                messages.success(request, _("Draf realisasi disimpan."))
        elif action == "unggah":
            access.require_enter(scope, node)
            if realization is None:
                raise ApplicationError(_("Simpan draf realisasi dulu, lalu unggah buktinya."))
            evidence_form = EvidenceForm(request.POST, request.FILES)
            if not evidence_form.is_valid():
                raise ApplicationError(_("Pilih berkas bukti yang akan diunggah."))
            services.evidence_add(
                actor=request.user, realization=realization, upload=evidence_form.cleaned_data["berkas"]
            )
            messages.success(request, _("Bukti diunggah."))
        elif action == "hapus_bukti":
            access.require_enter(scope, node)
            evidence_id = request.POST.get("bukti", "")
            evidence = Evidence.objects.filter(
                pk=evidence_id if evidence_id.isdigit() else 0, realisasi=realization
            ).first()
            if evidence is None:
                raise NotFoundError(_("Bukti tidak ditemukan."))
            services.evidence_delete(actor=request.user, evidence=evidence)
            messages.success(request, _("Bukti dihapus."))
        elif action in ("verifikasi", "kembalikan"):
            access.require_verify(scope)
            if realization is None:
                raise NotFoundError(_("Belum ada realisasi untuk diverifikasi."))
            if action == "verifikasi":
                services.realization_verify(
                    actor=request.user, realization=realization, expected_version=version or 0
                )
                messages.success(request, _("Realisasi diverifikasi dan dikunci."))
            else:
                services.realization_return(
                    actor=request.user,
                    realization=realization,
                    expected_version=version or 0,
                    alasan=request.POST.get("alasan", ""),
                )
                messages.success(request, _("Realisasi dikembalikan ke OPD dengan alasannya."))
        elif action == "revisi":
            access.require_enter(scope, node)
            if realization is None:
                raise NotFoundError(_("Belum ada realisasi untuk direvisi."))
            services.realization_revise(actor=request.user, realization=realization)
            messages.success(request, _("Revisi dibuat; versi terverifikasi tetap tersimpan."))
        else:
            raise ApplicationError(_("Tindakan tidak dikenal."))
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        if exc.errors and action in ("simpan", "ajukan"):
            form_errors_from(form, exc)
            return None
        messages.error(request, exc.message)
    return redirect(_entry_url(node, tahun, triwulan))


@pemda_view("monev.view")
@require_http_methods(["GET", "POST"])
def entry(request: PemdaRequest, node_id: int, tahun: int, triwulan: int) -> HttpResponse:
    node = _node(request, node_id)
    if triwulan not in selectors.QUARTERS or tahun not in node.dokumen.tahun:
        raise NotFoundError(_("Periode realisasi tidak ada untuk dokumen ini."))
    indicators = list(Indicator.objects.filter(node=node).order_by("urutan", "id"))
    realization = services.current_realization(node, tahun, triwulan)
    form = RealizationForm(
        request.POST
        if request.method == "POST" and request.POST.get("aksi", "simpan") in ("simpan", "ajukan")
        else None,
        indicators=indicators,
        initial=_initial(realization),
    )
    status = 200
    if request.method == "POST":
        done = _act(request, node, tahun, triwulan, form)
        if done is not None:
            return done
        status = 400
    history = list(
        Realization.objects.filter(node=node, tahun=tahun, triwulan=triwulan)
        .order_by("-revisi_ke")
        .select_related("diverifikasi_oleh")
    )
    editable = realization is None or realization.status in services.EDITABLE
    context = {
        "pemda": request.pemda,
        "node": node,
        "tahun": tahun,
        "triwulan": triwulan,
        "quarters": selectors.QUARTERS,
        "realization": realization,
        "values": selectors.values_of(realization),
        "indicators": indicators,
        "form": form,
        "evidence_form": EvidenceForm(),
        "return_form": ReturnForm(initial={"version": realization.version if realization else 0}),
        "evidence": list(realization.bukti.all()) if realization else [],
        "history": history,
        "can_enter": access.can_enter(request.scope, node) and editable,
        "can_revise": access.can_enter(request.scope, node)
        and realization is not None
        and realization.status == Status.VERIFIED,
        "can_verify": request.scope.has("monev.verify")
        and realization is not None
        and realization.status == Status.SUBMITTED,
        "deadline": services.quarter_deadline(request.pemda, tahun, triwulan),
    }
    return render(request, "monitoring/entry.html", context, status=status)


@pemda_view("monev.view")
@require_GET
def evidence_download(request: PemdaRequest, evidence_id: int) -> HttpResponse:
    evidence = (
        Evidence.objects.filter(pemda=request.pemda, pk=evidence_id).select_related("realisasi__node").first()
    )
    if evidence is None:
        raise NotFoundError(_("Bukti tidak ditemukan."))
    access.require_read(request.scope, evidence.realisasi.node)
    try:
        handle = evidence.berkas.open("rb")
    except FileNotFoundError as exc:
        raise NotFoundError(_("Berkas bukti tidak ada lagi di penyimpanan.")) from exc
    response = FileResponse(
        handle, content_type=evidence.jenis_isi, as_attachment=True, filename=evidence.nama_asli
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a streaming response, served like any other


@pemda_view("monev.verify")
@require_GET
def queue(request: PemdaRequest) -> HttpResponse:
    tahun, _triwulan = _period(request)
    page = paginate(request, selectors.verification_queue(request.pemda, tahun))
    return render(request, "monitoring/queue.html", {"pemda": request.pemda, "page": page, "tahun": tahun})


@pemda_view("monev.view")
@require_GET
def late(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    tahun, triwulan = _period(request)
    document = selectors.rkpd_for(pemda, tahun)
    rows = selectors.late_opds(document, tahun, triwulan, _today()) if document is not None else []
    allowed = access.visible_opds(request.scope)
    if allowed is not None:
        rows = [r for r in rows if r.opd.pk in allowed]
    context = {
        "pemda": pemda,
        "tahun": tahun,
        "triwulan": triwulan,
        "quarters": selectors.QUARTERS,
        "rows": rows,
        "deadline": services.quarter_deadline(pemda, tahun, triwulan),
        "today": _today(),
    }
    return render(request, "monitoring/late.html", context)


@pemda_view("monev.manage")
@require_http_methods(["GET", "POST"])
def deadlines(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    tahun, _triwulan = _period(request)
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.deadline_set(
            actor=request.user,
            pemda=pemda,
            tahun=tahun,
            triwulan=form.cleaned_data["triwulan"],
            batas=form.cleaned_data["batas"],
        )
        messages.success(request, _("Batas waktu disimpan."))
        return redirect(f"{reverse('monitoring:deadlines', kwargs={'kode': pemda.kode})}?tahun={tahun}")
    rows = [(q, services.quarter_deadline(pemda, tahun, q)) for q in selectors.QUARTERS]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "monitoring/deadlines.html",
        {"pemda": pemda, "tahun": tahun, "rows": rows, "form": form},
        status=status,
    )


@pemda_view("monev.view")
@require_GET
def dashboard_panel(request: PemdaRequest) -> HttpResponse:
    """The pemda dashboard's e-Monev panel: this year's verified achievement and absorption so far."""
    from rencana.monitoring import achievement, evaluation

    pemda = request.pemda
    tahun, triwulan = _period(request)
    result = evaluation.evaluate(pemda, tahun, triwulan, opd_ids=access.visible_opds(request.scope))
    total = result.total()
    context = {
        "pemda": pemda,
        "tahun": tahun,
        "triwulan": triwulan,
        "evaluation": result,
        "total": total,
        "predikat_label": achievement.predikat_label(total.predikat) if total.predikat else "",
        "counts": [(achievement.predikat_label(k), v) for k, v in total.counts().items()],
    }
    return render(request, "monitoring/fragment_dashboard.html", context)
