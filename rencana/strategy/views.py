"""Pages of the strategic analysis: list, analysis overview (factors, IFAS/EFAS, diagrams), direct matrix
entry, workshop (facilitator and participants), TOWS, strategic issues with the litmus test, reports.

Facilitating (writing factors, opening/closing rounds, TOWS, issues) needs `strategy.manage`; every staff
member with `strategy.view` reads. Participants score on their own page, reached by their one-time link
(claimed once, then kept in the browser's session) or, for users of the pemda, by logging in.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rencana.accounts.models import RoleAssignment
from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.access import public_view
from rencana.core.errors import ApplicationError, NotFoundError
from rencana.core.numbers import format_angka
from rencana.core.pagination import paginate, query_without_page
from rencana.planning.models import Indicator, PlanNode
from rencana.strategy import access, charts, litmus, services, swot, workshop
from rencana.strategy.forms import (
    AnalysisForm,
    CloseRoundForm,
    FactorForm,
    IssueForm,
    ParticipantForm,
    TowsForm,
)
from rencana.strategy.models import (
    Analysis,
    AnalysisStatus,
    Factor,
    FactorKind,
    Participant,
    Round,
    StrategicIssue,
    Submission,
    TowsCell,
    TowsStrategy,
    WeightMethod,
)

KIND_ORDER = ("S", "W", "O", "T")


def _url(name: str, analysis: Analysis, **extra: Any) -> str:
    return reverse(
        f"strategy:{name}", kwargs={"kode": analysis.pemda.kode, "analysis_id": analysis.pk, **extra}
    )


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _num(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else format_angka(value, places)


# --- presentation of the matrix ------------------------------------------------------------


def matrix_context(analysis: Analysis, factors: list[Factor] | None = None) -> dict[str, Any]:
    """Factors grouped by kind, the IFAS/EFAS result (or why it cannot be computed), and the pictures."""
    factors = factors if factors is not None else services.factors_of(analysis)
    groups = []
    for kind in KIND_ORDER:
        rows = []
        for f in factors:
            if f.jenis != kind:
                continue
            skor = f.bobot * f.rating if f.bobot is not None and f.rating is not None else None
            rows.append({"factor": f, "bobot": _num(f.bobot), "rating": f.rating or "—", "skor": _num(skor)})
        groups.append({"kind": kind, "label": FactorKind(kind).label, "rows": rows})
    result, problems = services.matrix_result(factors) if factors else (None, [])
    context: dict[str, Any] = {"groups": groups, "factors": factors, "result": None, "problems": problems}
    if result is not None:
        data = swot.result_json(result)
        context.update(
            result=data,
            result_text={
                "strength_score": _num(data["ifas"]["strength_score"]),
                "weakness_score": _num(data["ifas"]["weakness_score"]),
                "ifas_total": _num(data["ifas"]["total"]),
                "ifas_weights_sum": _num(data["ifas"]["weights_sum"]),
                "opportunity_score": _num(data["efas"]["opportunity_score"]),
                "threat_score": _num(data["efas"]["threat_score"]),
                "efas_total": _num(data["efas"]["total"]),
                "efas_weights_sum": _num(data["efas"]["weights_sum"]),
                "x": _num(data["x"]),
                "y": _num(data["y"]),
            },
            favoured=set(result.tows),
            diagram=charts.swot_diagram(
                data["x"], data["y"], title=_("Diagram SWOT: {judul}").format(judul=analysis.judul)
            ),
            ie=charts.ie_matrix(
                data["ifas"]["total"],
                data["efas"]["total"],
                title=_("Matriks IE: {judul}").format(judul=analysis.judul),
            ),
        )
    return context


def _tabs(analysis: Analysis, active: str) -> list[dict[str, Any]]:
    entries = [
        ("detail", _("Faktor dan matriks")),
        ("workshop", _("Lokakarya")),
        ("tows", _("Strategi TOWS")),
        ("issues", _("Isu strategis")),
        ("report", _("Laporan")),
    ]
    return [
        {"url": _url(name, analysis), "label": label, "active": name == active} for name, label in entries
    ]


def _base(request: PemdaRequest, analysis: Analysis, active: str) -> dict[str, Any]:
    return {
        "pemda": request.pemda,
        "analysis": analysis,
        "tabs": _tabs(analysis, active),
        "can_manage": access.can_manage(request.scope),
        "status_label": AnalysisStatus(analysis.status).label,
    }


# --- list and analysis ------------------------------------------------------------------------


@pemda_view("strategy.view")
@require_GET
def analysis_list(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    items = Analysis.objects.filter(pemda=pemda).select_related("opd").order_by("-tanggal", "-id")
    status = request.GET.get("status", "")
    if status in AnalysisStatus.values:
        items = items.filter(status=status)
    page = paginate(request, items)
    return render(
        request,
        "strategy/list.html",
        {
            "pemda": pemda,
            "page": page,
            "query": query_without_page(request),
            "status": status,
            "statuses": AnalysisStatus.choices,
            "can_manage": access.can_manage(request.scope),
        },
    )


@pemda_view("strategy.manage")
@require_http_methods(["GET", "POST"])
def analysis_create(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    form = AnalysisForm(request.POST or None, pemda=pemda)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            analysis = services.analysis_create(
                actor=request.user,
                pemda=pemda,
                data=services.AnalysisInput(
                    judul=data["judul"],
                    tanggal=data["tanggal"],
                    ruang_lingkup=data["ruang_lingkup"],
                    fasilitator=data["fasilitator"],
                    opd=data["opd"],
                    metode_agregasi=data["metode_agregasi"],
                    metode_bobot=data["metode_bobot"],
                ),
            )
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("Analisis dibuat. Tulis faktor kekuatan, kelemahan, peluang dan ancaman.")
            )
            return redirect(_url("detail", analysis))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "strategy/analysis_form.html",
        {"pemda": pemda, "form": form, "analysis": None},
        status=status,
    )


def _form_errors(form: Any, exc: ApplicationError) -> None:
    placed = False
    for e in exc.errors:
        field = e.get("kolom", "")
        if field in form.fields:
            form.add_error(field, e["pesan"])
            placed = True
        else:
            form.add_error(None, e["pesan"])
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@pemda_view("strategy.manage")
@require_http_methods(["GET", "POST"])
def analysis_edit(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    pemda = request.pemda
    analysis = access.get_analysis(pemda, analysis_id)
    initial = {
        "judul": analysis.judul,
        "tanggal": analysis.tanggal,
        "ruang_lingkup": analysis.ruang_lingkup,
        "fasilitator": analysis.fasilitator,
        "opd": analysis.opd_id,
        "metode_agregasi": analysis.metode_agregasi,
        "metode_bobot": analysis.metode_bobot,
        "version": analysis.version,
    }
    form = AnalysisForm(request.POST or None, pemda=pemda, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.analysis_update(
                actor=request.user,
                analysis=analysis,
                expected_version=data["version"] or -1,
                data=services.AnalysisInput(
                    judul=data["judul"],
                    tanggal=data["tanggal"],
                    ruang_lingkup=data["ruang_lingkup"],
                    fasilitator=data["fasilitator"],
                    opd=data["opd"],
                    metode_agregasi=data["metode_agregasi"],
                    metode_bobot=data["metode_bobot"],
                ),
            )
        except ApplicationError as exc:
            if exc.status == 409:
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, _("Analisis disimpan."))
            return redirect(_url("detail", analysis))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "strategy/analysis_form.html",
        {"pemda": pemda, "form": form, "analysis": analysis},
        status=status,
    )


@pemda_view("strategy.view")
@require_GET
def analysis_detail(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    context = _base(request, analysis, "detail")
    context.update(matrix_context(analysis))
    own = None
    if request.user.is_authenticated:
        own = Participant.objects.filter(analisis=analysis, user=request.user).first()
    context.update(
        own_participant=own, open_round=services.open_round(analysis), notes=analysis.catatan_matriks
    )
    return render(request, "strategy/detail.html", context)


@pemda_view("strategy.manage")
@require_POST
def analysis_reopen(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    services.analysis_reopen(actor=request.user, analysis=analysis, expected_version=_version(request))
    messages.success(request, _("Analisis dibuka kembali: faktor dan matriks dapat diubah."))
    return redirect(_url("detail", analysis))


# --- factors -----------------------------------------------------------------------------------


def _indicator_choices(analysis: Analysis) -> list[tuple[int, str]]:
    rows = (
        Indicator.objects.filter(pemda_id=analysis.pemda_id, node__jenis__in=("tujuan", "sasaran"))
        .select_related("node__dokumen")
        .order_by("-node__dokumen__tahun_mulai", "node__urutan", "id")[:300]
    )
    return [(i.pk, f"{i.nama} ({i.node.dokumen.jenis} {i.node.dokumen.tahun_mulai})") for i in rows]


@pemda_view("strategy.manage")
@require_http_methods(["GET", "POST"])
def factor_create(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    form = FactorForm(
        request.POST or None,
        indicator_choices=_indicator_choices(analysis),
        initial={"jenis": request.GET.get("jenis", "S")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.factor_create(
                actor=request.user,
                analysis=analysis,
                data=services.FactorInput(
                    jenis=d["jenis"],
                    kode=d["kode"],
                    faktor=d["faktor"],
                    penjelasan=d["penjelasan"],
                    bukti=d["bukti"],
                    indikator_ids=tuple(d["indikator"]),
                ),
            )
        except ApplicationError as exc:
            if exc.status == 409:
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, _("Faktor ditambahkan."))
            if "lagi" in request.POST:
                return redirect(_url("factor_create", analysis) + f"?jenis={d['jenis']}")
            return redirect(_url("detail", analysis))
    context = _base(request, analysis, "detail")
    context.update(form=form, factor=None)
    return render(
        request, "strategy/factor_form.html", context, status=400 if request.method == "POST" else 200
    )


def _get_factor(analysis: Analysis, factor_id: int) -> Factor:
    factor = Factor.objects.filter(analisis=analysis, pk=factor_id).first()
    if factor is None:
        raise NotFoundError(_("Faktor tidak ditemukan."))
    factor.analisis = analysis
    return factor


@pemda_view("strategy.manage")
@require_http_methods(["GET", "POST"])
def factor_edit(request: PemdaRequest, analysis_id: int, factor_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    factor = _get_factor(analysis, factor_id)
    initial = {
        "jenis": factor.jenis,
        "kode": factor.kode,
        "faktor": factor.faktor,
        "penjelasan": factor.penjelasan,
        "bukti": factor.bukti,
        "indikator": list(factor.indikator.values_list("pk", flat=True)),
        "version": factor.version,
    }
    form = FactorForm(request.POST or None, indicator_choices=_indicator_choices(analysis), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.factor_update(
                actor=request.user,
                factor=factor,
                expected_version=d["version"] if d["version"] is not None else -1,
                data=services.FactorInput(
                    jenis=d["jenis"],
                    kode=d["kode"],
                    faktor=d["faktor"],
                    penjelasan=d["penjelasan"],
                    bukti=d["bukti"],
                    indikator_ids=tuple(d["indikator"]),
                ),
            )
        except ApplicationError as exc:
            if exc.status == 409:
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, _("Faktor disimpan."))
            return redirect(_url("detail", analysis))
    context = _base(request, analysis, "detail")
    context.update(form=form, factor=factor)
    return render(
        request, "strategy/factor_form.html", context, status=400 if request.method == "POST" else 200
    )


@pemda_view("strategy.manage")
@require_POST
def factor_delete(request: PemdaRequest, analysis_id: int, factor_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    factor = _get_factor(analysis, factor_id)
    services.factor_delete(actor=request.user, factor=factor, expected_version=_version(request))
    messages.success(request, _("Faktor dihapus."))
    return redirect(_url("detail", analysis))


# --- the final matrix entered directly ---------------------------------------------------------


@pemda_view("strategy.manage")
@require_http_methods(["GET", "POST"])
def matrix_edit(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    factors = services.factors_of(analysis)
    errors: list[dict[str, str]] = []
    steps: list[str] = []
    typed: dict[str, dict[str, str]] = {}
    if request.method == "POST":
        entries = {
            f.kode: services.MatrixEntry(
                request.POST.get(f"bobot_{f.kode}", ""), request.POST.get(f"rating_{f.kode}", "")
            )
            for f in factors
        }
        typed = {k: {"bobot": e.bobot, "rating": e.rating} for k, e in entries.items()}
        try:
            _analysis, steps = services.matrix_set(
                actor=request.user,
                analysis=analysis,
                expected_version=_version(request),
                entries=entries,
                normalize=request.POST.get("normalkan") == "1",
            )
        except ApplicationError as exc:
            if exc.status == 409:
                raise
            errors = exc.errors or [{"kolom": "", "pesan": exc.message}]
        else:
            messages.success(request, _("Matriks IFAS/EFAS disimpan."))
            return redirect(_url("detail", analysis))
    rows = []
    bad = {e.get("kolom", "").split(".")[0] for e in errors}
    for f in factors:
        rows.append(
            {
                "factor": f,
                "bobot": typed.get(f.kode, {}).get(
                    "bobot", format_angka(f.bobot, 2) if f.bobot is not None else ""
                ),
                "rating": typed.get(f.kode, {}).get("rating", str(f.rating or "")),
                "bad": f.kode in bad,
            }
        )
    context = _base(request, analysis, "detail")
    context.update(rows=rows, errors=errors, steps=steps)
    return render(request, "strategy/matrix_form.html", context, status=400 if errors else 200)


# --- workshop: facilitator ---------------------------------------------------------------------


def _workshop_context(analysis: Analysis) -> dict[str, Any]:
    factors = services.factors_of(analysis)
    participants = list(Participant.objects.filter(analisis=analysis).select_related("user").order_by("id"))
    rounds = list(Round.objects.filter(analisis=analysis).order_by("-nomor"))
    current = next((r for r in rounds if r.is_open), None)
    shown = current or (rounds[0] if rounds else None)
    submissions: list[Submission] = services.round_submissions(shown) if shown else []
    by_participant = {s.peserta_id: s for s in submissions}
    table = []
    final = services.aggregate_round(analysis, shown) if shown else None
    final_by_kode = {ff.kode: ff for ff in final.factors} if final is not None else {}
    for f in factors:
        cells = []
        for p in participants:
            s = by_participant.get(p.pk)
            entry = s.skor.get(f.kode) if s else None
            cells.append(
                {
                    "bobot": _num(Decimal(entry["bobot"])) if entry else "—",
                    "rating": entry["rating"] if entry else "—",
                }
            )
        row: dict[str, Any] = {"factor": f, "cells": cells}
        final_factor = final_by_kode.get(f.kode)
        if final_factor is not None:
            ws = final_factor.bobot_spread
            rs = final_factor.rating_spread
            row.update(
                mean_bobot=_num(ws.mean),
                median_bobot=_num(ws.median),
                sd_bobot=_num(ws.stdev, 3),
                mean_rating=_num(rs.mean),
                median_rating=_num(rs.median),
                range_rating=_num(rs.range, 0),
                final_bobot=_num(final_factor.bobot),
                final_rating=final_factor.rating,
                discuss=final_factor.disagreement.level == workshop.PERLU_DIBAHAS,
                discuss_why=final_factor.disagreement.alasan,
            )
        table.append(row)
    points = []
    for p in participants:
        s = by_participant.get(p.pk)
        if s is None:
            continue
        pure = [
            swot.Factor(
                jenis=f.jenis,
                kode=f.kode,
                faktor=f.faktor,
                bobot=Decimal(s.skor[f.kode]["bobot"]),
                rating=int(s.skor[f.kode]["rating"]),
            )
            for f in factors
            if f.kode in s.skor
        ]
        if not swot.validate(pure):
            r = swot.compute(pure)
            points.append((p.nama, r.x, r.y))
    live = None
    if final is not None and final.weights:
        pure_final = [
            swot.Factor(
                jenis=f.jenis,
                kode=f.kode,
                faktor=f.faktor,
                bobot=final.weights.get(f.kode),
                rating=final.ratings.get(f.kode),
            )
            for f in factors
        ]
        if not swot.validate(pure_final):
            live_result = swot.compute(pure_final)
            live = {
                "x": _num(live_result.x),
                "y": _num(live_result.y),
                "quadrant": live_result.quadrant,
                "diagram": charts.swot_diagram(
                    live_result.x,
                    live_result.y,
                    title=_("Diagram SWOT putaran ini"),
                    points=points,
                    chart_id="diagram-swot-putaran",
                ),
            }
    return {
        "factors": factors,
        "participants": participants,
        "submitted_ids": set(by_participant),
        "rounds": rounds,
        "current": current,
        "shown": shown,
        "table": table,
        "final": final,
        "live": live,
    }


@pemda_view("strategy.view")
@require_GET
def workshop_page(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    context = _base(request, analysis, "workshop")
    context.update(_workshop_context(analysis))
    context.update(
        participant_form=ParticipantForm(),
        close_form=CloseRoundForm(initial={"metode": analysis.metode_agregasi, "version": analysis.version}),
        new_links=request.session.pop("strategy_new_links", []),
    )
    return render(request, "strategy/workshop.html", context)


@pemda_view("strategy.view")
@require_GET
def workshop_status(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    """The live table of the facilitator's page (HTMX polls it while a round is open)."""
    analysis = access.get_analysis(request.pemda, analysis_id)
    context = _base(request, analysis, "workshop")
    context.update(_workshop_context(analysis))
    return render(request, "strategy/fragment_workshop_status.html", context)


def _link_for(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("strategy:join", kwargs={"token": token}))


@pemda_view("strategy.manage")
@require_POST
def participant_add(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    form = ParticipantForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Data peserta tidak valid."))
    d = form.cleaned_data
    user = None
    if d["username"]:
        user = get_user_model().objects.filter(username=d["username"].strip()).first()
        member = user is not None and RoleAssignment.objects.filter(user=user, pemda=request.pemda).exists()
        if not member:
            raise ApplicationError(
                _(
                    "Pengguna “{nama}” tidak ditemukan di pemda ini. "
                    "Kosongkan nama pengguna untuk membuat tautan sekali pakai."
                ).format(nama=d["username"]),
                errors=[{"kolom": "username", "pesan": _("Pengguna tidak ditemukan di pemda ini.")}],
            )
    participant, token = services.participant_add(
        actor=request.user, analysis=analysis, nama=d["nama"], instansi=d["instansi"], user=user
    )
    if token:
        request.session["strategy_new_links"] = [
            *request.session.get("strategy_new_links", []),
            [participant.nama, _link_for(request, token)],
        ]
    messages.success(request, _("Peserta {nama} ditambahkan.").format(nama=participant.nama))
    return redirect(_url("workshop", analysis))


@pemda_view("strategy.manage")
@require_POST
def participant_link(request: PemdaRequest, analysis_id: int, participant_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    participant = Participant.objects.filter(analisis=analysis, pk=participant_id).first()
    if participant is None:
        raise NotFoundError(_("Peserta tidak ditemukan."))
    participant.analisis = analysis
    token = services.participant_new_link(actor=request.user, participant=participant)
    request.session["strategy_new_links"] = [[participant.nama, _link_for(request, token)]]
    messages.success(request, _("Tautan baru dibuat; tautan lama tidak berlaku lagi."))
    return redirect(_url("workshop", analysis))


@pemda_view("strategy.manage")
@require_POST
def round_open(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    rnd = services.round_open(actor=request.user, analysis=analysis, expected_version=_version(request))
    messages.success(request, _("Putaran {n} dibuka: peserta dapat mulai menilai.").format(n=rnd.nomor))
    return redirect(_url("workshop", analysis))


@pemda_view("strategy.manage")
@require_POST
def round_close(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    form = CloseRoundForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Pilih cara agregasi."))
    d = form.cleaned_data
    rnd = services.round_close(
        actor=request.user,
        analysis=analysis,
        expected_version=d["version"],
        method=d["metode"],
        ringkasan=d["ringkasan"],
    )
    messages.success(request, _("Putaran {n} ditutup; matriks akhir tercatat.").format(n=rnd.nomor))
    return redirect(_url("detail", analysis))


# --- workshop: participants ----------------------------------------------------------------------


@public_view
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link. GET only explains (link previews must not use it up); POST claims it."""
    if request.method == "POST":
        participant = services.participant_claim(token)
        access.remember_participant(request, participant)
        return redirect(reverse("strategy:score", kwargs={"participant_id": participant.pk}))
    return render(request, "strategy/join.html", {"token": token})


def _pairs(factors: list[Factor]) -> list[dict[str, Any]]:
    out = []
    for matrix, kinds in (("IFAS", ("S", "W")), ("EFAS", ("O", "T"))):
        group = [f for f in factors if f.jenis in kinds]
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                out.append({"matrix": matrix, "a": a, "b": b, "key": f"{a.kode}|{b.kode}"})
    return out


PAIRWISE_CHOICES = [
    ("9", "9"),
    ("7", "7"),
    ("5", "5"),
    ("3", "3"),
    ("1", "1"),
    ("1/3", "1/3"),
    ("1/5", "1/5"),
    ("1/7", "1/7"),
    ("1/9", "1/9"),
]


@public_view
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = access.participant_for(request, participant_id)
    analysis = participant.analisis
    rnd = services.open_round(analysis)
    factors = services.factors_of(analysis)
    submission = Submission.objects.filter(putaran=rnd, peserta=participant).first() if rnd else None
    errors: list[dict[str, str]] = []
    steps: list[str] = []
    posted: dict[str, str] = {}
    if request.method == "POST":
        if rnd is None:
            errors = [{"kolom": "", "pesan": _("Tidak ada putaran penilaian yang terbuka.")}]
        else:
            posted = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
            data = services.ScoreInput(
                mentah={f.kode: request.POST.get(f"mentah_{f.kode}", "") for f in factors},
                rating={f.kode: request.POST.get(f"rating_{f.kode}", "") for f in factors},
                berpasangan={p["key"]: request.POST.get(f"pair_{p['key']}", "") for p in _pairs(factors)},
            )
            try:
                submission, steps = services.submission_save(
                    participant=participant,
                    rnd=rnd,
                    data=data,
                    expected_version=_version(request) if submission is not None else None,
                )
            except ApplicationError as exc:
                if exc.status == 409:
                    raise
                errors = exc.errors or [{"kolom": "", "pesan": exc.message}]
            else:
                messages.success(
                    request,
                    _("Penilaian Anda tersimpan. Anda dapat mengubahnya selama putaran masih terbuka."),
                )
                request.session["strategy_steps"] = steps
                return redirect(reverse("strategy:score", kwargs={"participant_id": participant.pk}))
    saved = submission.skor if submission else {}
    bad = {e.get("kolom", "").split(".")[0] for e in errors}
    rows = []
    for f in factors:
        entry = saved.get(f.kode, {})
        rows.append(
            {
                "factor": f,
                "mentah": posted.get(f"mentah_{f.kode}", entry.get("mentah", "")),
                "rating": posted.get(f"rating_{f.kode}", str(entry.get("rating", ""))),
                "bobot": _num(Decimal(entry["bobot"])) if entry else "",
                "bad": f.kode in bad,
            }
        )
    pairs = _pairs(factors)
    saved_pairs = submission.berpasangan if submission else {}
    for p in pairs:
        p["value"] = posted.get(f"pair_{p['key']}", saved_pairs.get(p["key"], ""))
        p["bad"] = p["key"] in bad
    context = {
        "participant": participant,
        "analysis": analysis,
        "round": rnd,
        "rows": rows,
        "pairs": pairs,
        "pairwise": analysis.metode_bobot == WeightMethod.PAIRWISE,
        "pair_choices": PAIRWISE_CHOICES,
        "submission": submission,
        "errors": errors,
        "steps": steps or request.session.pop("strategy_steps", []),
    }
    return render(request, "strategy/score.html", context, status=400 if errors else 200)


# --- TOWS ----------------------------------------------------------------------------------------


def _factor_choices(factors: list[Factor]) -> list[tuple[int, str]]:
    return [(f.pk, f"{f.kode} — {f.faktor}") for f in factors]


@pemda_view("strategy.view")
@require_http_methods(["GET", "POST"])
def tows(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    factors = services.factors_of(analysis)
    form = TowsForm(
        request.POST or None,
        factor_choices=_factor_choices(factors),
        initial={"sel": request.GET.get("sel", "SO")},
    )
    if request.method == "POST":
        access.require_manage(request.scope)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.tows_create(
                    actor=request.user,
                    analysis=analysis,
                    sel=d["sel"],
                    teks=d["teks"],
                    factor_ids=d["faktor"],
                    terpilih=d["terpilih"],
                )
            except ApplicationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Strategi ditambahkan."))
                return redirect(_url("tows", analysis))
    strategies = list(TowsStrategy.objects.filter(analisis=analysis).prefetch_related("faktor"))
    context = _base(request, analysis, "tows")
    matrix = matrix_context(analysis, factors)
    cells = []
    for cell in TowsCell:
        cells.append(
            {
                "code": cell.value,
                "label": cell.label,
                "favoured": cell.value in matrix.get("favoured", set()),
                "strategies": [s for s in strategies if s.sel == cell.value],
            }
        )
    context.update(matrix, form=form, cells=cells)
    return render(request, "strategy/tows.html", context, status=400 if request.method == "POST" else 200)


def _get_strategy(analysis: Analysis, strategy_id: int) -> TowsStrategy:
    strategy = TowsStrategy.objects.filter(analisis=analysis, pk=strategy_id).first()
    if strategy is None:
        raise NotFoundError(_("Strategi tidak ditemukan."))
    strategy.analisis = analysis
    return strategy


@pemda_view("strategy.manage")
@require_http_methods(["GET", "POST"])
def tows_edit(request: PemdaRequest, analysis_id: int, strategy_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    strategy = _get_strategy(analysis, strategy_id)
    factors = services.factors_of(analysis)
    initial = {
        "sel": strategy.sel,
        "teks": strategy.teks,
        "faktor": list(strategy.faktor.values_list("pk", flat=True)),
        "terpilih": strategy.terpilih,
        "version": strategy.version,
    }
    form = TowsForm(request.POST or None, factor_choices=_factor_choices(factors), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.tows_update(
                actor=request.user,
                strategy=strategy,
                expected_version=d["version"] if d["version"] is not None else -1,
                sel=d["sel"],
                teks=d["teks"],
                factor_ids=d["faktor"],
                terpilih=d["terpilih"],
            )
        except ApplicationError as exc:
            if exc.status == 409:
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, _("Strategi disimpan."))
            return redirect(_url("tows", analysis))
    context = _base(request, analysis, "tows")
    context.update(form=form, strategy=strategy)
    return render(
        request, "strategy/tows_form.html", context, status=400 if request.method == "POST" else 200
    )


@pemda_view("strategy.manage")
@require_POST
def tows_delete(request: PemdaRequest, analysis_id: int, strategy_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    strategy = _get_strategy(analysis, strategy_id)
    services.tows_delete(actor=request.user, strategy=strategy, expected_version=_version(request))
    messages.success(request, _("Strategi dihapus."))
    return redirect(_url("tows", analysis))


# --- strategic issues ----------------------------------------------------------------------------


def ranked_issues(analysis: Analysis) -> list[dict[str, Any]]:
    items, bands = services.litmus_config(analysis)
    issues = list(
        StrategicIssue.objects.filter(analisis=analysis).select_related("strategi").prefetch_related("simpul")
    )
    scored = [(issue, litmus.score(items, bands, issue.litmus or {})) for issue in issues]
    ranked = litmus.rank(scored)
    return [{"issue": r.key, "score": r.score, "rank": r.rank} for r in ranked]


def _strategy_choices(analysis: Analysis) -> list[tuple[int, str]]:
    return [(s.pk, f"{s.sel}: {s.teks[:80]}") for s in TowsStrategy.objects.filter(analisis=analysis)]


@pemda_view("strategy.view")
@require_http_methods(["GET", "POST"])
def issues(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    form = IssueForm(
        request.POST or None,
        strategy_choices=_strategy_choices(analysis),
        initial={"strategi": request.GET.get("strategi")},
    )
    if request.method == "POST":
        access.require_manage(request.scope)
        if form.is_valid():
            d = form.cleaned_data
            try:
                issue = services.issue_create(
                    actor=request.user,
                    analysis=analysis,
                    pertanyaan=d["pertanyaan"],
                    kaitan_visi_misi=d["kaitan_visi_misi"],
                    strategi_id=d["strategi"],
                )
            except ApplicationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Isu strategis ditambahkan; beri skor uji litmus."))
                return redirect(_url("issue", analysis, issue_id=issue.pk))
    items, bands = services.litmus_config(analysis)
    context = _base(request, analysis, "issues")
    context.update(form=form, ranked=ranked_issues(analysis), items=items, bands=bands)
    return render(request, "strategy/issues.html", context, status=400 if request.method == "POST" else 200)


def _get_issue(analysis: Analysis, issue_id: int) -> StrategicIssue:
    issue = StrategicIssue.objects.filter(analisis=analysis, pk=issue_id).first()
    if issue is None:
        raise NotFoundError(_("Isu strategis tidak ditemukan."))
    issue.analisis = analysis
    return issue


@pemda_view("strategy.view")
@require_http_methods(["GET", "POST"])
def issue_detail(request: PemdaRequest, analysis_id: int, issue_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    issue = _get_issue(analysis, issue_id)
    items, bands = services.litmus_config(analysis)
    initial = {
        "pertanyaan": issue.pertanyaan,
        "kaitan_visi_misi": issue.kaitan_visi_misi,
        "strategi": issue.strategi_id,
        "terpilih": issue.terpilih,
        "version": issue.version,
    }
    form = IssueForm(request.POST or None, strategy_choices=_strategy_choices(analysis), initial=initial)
    litmus_errors: list[dict[str, str]] = []
    if request.method == "POST":
        access.require_manage(request.scope)
        action = request.POST.get("aksi", "")
        try:
            if action == "litmus":
                answers = {i.kode: request.POST.get(f"litmus_{i.kode}", "") for i in items}
                services.issue_score(
                    actor=request.user, issue=issue, expected_version=_version(request), answers=answers
                )
                messages.success(request, _("Skor uji litmus disimpan."))
            elif action == "tautan":
                ids = [int(x) for x in request.POST.getlist("simpul") if x.isdigit()]
                services.issue_link(actor=request.user, issue=issue, node_ids=ids)
                messages.success(request, _("Tautan ke RPJMD disimpan."))
            elif action == "simpul_baru":
                parent_id = request.POST.get("induk", "")
                parent = (
                    PlanNode.objects.filter(
                        pk=int(parent_id) if parent_id.isdigit() else 0, pemda_id=analysis.pemda_id
                    )
                    .select_related("dokumen")
                    .first()
                )
                if parent is None:
                    raise NotFoundError(_("Pilih simpul induk di RPJMD."))
                node = services.issue_make_node(
                    actor=request.user,
                    issue=issue,
                    parent=parent,
                    jenis=request.POST.get("jenis", ""),
                    nama=request.POST.get("nama", ""),
                )
                messages.success(
                    request,
                    _("Rancangan {jenis} “{nama}” dibuat di {dokumen} dan ditautkan.").format(
                        jenis=node.jenis, nama=node.nama, dokumen=node.dokumen.nama
                    ),
                )
            else:
                if not form.is_valid():
                    raise ApplicationError(_("Isian tidak valid."))
                d = form.cleaned_data
                services.issue_update(
                    actor=request.user,
                    issue=issue,
                    expected_version=d["version"] if d["version"] is not None else -1,
                    pertanyaan=d["pertanyaan"],
                    kaitan_visi_misi=d["kaitan_visi_misi"],
                    strategi_id=d["strategi"],
                    terpilih=d["terpilih"],
                )
                messages.success(request, _("Isu strategis disimpan."))
        except ApplicationError as exc:
            if exc.status in (403, 409):
                raise
            if action == "litmus":
                litmus_errors = exc.errors or [{"kolom": "", "pesan": exc.message}]
            elif action in ("tautan", "simpul_baru"):
                messages.error(request, exc.message)
                return redirect(_url("issue", analysis, issue_id=issue.pk))
            else:
                _form_errors(form, exc)
        else:
            return redirect(_url("issue", analysis, issue_id=issue.pk))
    result = litmus.score(items, bands, issue.litmus or {})
    linkable = services.linkable_nodes(request.pemda)
    linked = set(issue.simpul.values_list("pk", flat=True))
    context = _base(request, analysis, "issues")
    context.update(
        issue=issue,
        form=form,
        items=[
            {"item": litmus.translated_item(i), "value": str((issue.litmus or {}).get(i.kode, ""))}
            for i in items
        ],
        bands=bands,
        result=result,
        litmus_errors=litmus_errors,
        linkable=[{"node": n, "linked": n.pk in linked} for n in linkable],
        parents=list(
            PlanNode.objects.filter(
                pemda_id=analysis.pemda_id,
                dokumen__jenis="RPJMD",
                jenis__in=("misi", "tujuan", "sasaran"),
                dokumen__tahap__in=["rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir"],
            )
            .select_related("dokumen")
            .order_by("dokumen_id", "jenis", "urutan")[:300]
        ),
    )
    failed = bool(litmus_errors) or (request.method == "POST")
    return render(request, "strategy/issue.html", context, status=400 if failed else 200)


@pemda_view("strategy.manage")
@require_POST
def issue_delete(request: PemdaRequest, analysis_id: int, issue_id: int) -> HttpResponse:
    analysis = access.get_analysis(request.pemda, analysis_id)
    issue = _get_issue(analysis, issue_id)
    services.issue_delete(actor=request.user, issue=issue, expected_version=_version(request))
    messages.success(request, _("Isu strategis dihapus."))
    return redirect(_url("issues", analysis))


@pemda_view("strategy.manage")
@require_http_methods(["GET", "POST"])
def litmus_edit(request: PemdaRequest, analysis_id: int) -> HttpResponse:
    """The litmus items and bands as two plain text areas: "kode | pertanyaan" and "min–max label" lines."""
    analysis = access.get_analysis(request.pemda, analysis_id)
    items, bands = services.litmus_config(analysis)
    items_text = "\n".join(f"{i.kode} | {i.pertanyaan}" for i in items)
    bands_text = "\n".join(f"{b.minimum}-{b.maximum} {b.label}" for b in bands)
    errors: list[str] = []
    if request.method == "POST":
        items_text = request.POST.get("items", "")
        bands_text = request.POST.get("bands", "")
        new_items, new_bands, errors = _parse_litmus(items_text, bands_text, {i.kode: i for i in items})
        if request.POST.get("bawaan") == "1":
            new_items = list(litmus.DEFAULT_ITEMS)
            new_bands = litmus.default_bands(len(new_items))
            errors = []
        if not errors:
            try:
                services.litmus_set(
                    actor=request.user,
                    analysis=analysis,
                    expected_version=_version(request),
                    items=new_items,
                    bands=new_bands,
                )
            except ApplicationError as exc:
                if exc.status == 409:
                    raise
                errors = [e["pesan"] for e in exc.errors] or [exc.message]
            else:
                messages.success(request, _("Uji litmus disimpan."))
                return redirect(_url("issues", analysis))
    context = _base(request, analysis, "issues")
    context.update(items_text=items_text, bands_text=bands_text, errors=errors)
    return render(request, "strategy/litmus_form.html", context, status=400 if errors else 200)


def _parse_litmus(
    items_text: str, bands_text: str, known: dict[str, litmus.LitmusItem]
) -> tuple[list[litmus.LitmusItem], list[litmus.Band], list[str]]:
    errors: list[str] = []
    items: list[litmus.LitmusItem] = []
    for n, line in enumerate(items_text.splitlines(), start=1):
        if not line.strip():
            continue
        kode, sep, text = line.partition("|")
        if not sep or not kode.strip() or not text.strip():
            errors.append(_("Butir baris {n}: tulis “kode | pertanyaan”.").format(n=n))
            continue
        old = known.get(kode.strip())
        items.append(
            litmus.LitmusItem(
                kode=kode.strip()[:20],
                pertanyaan=text.strip(),
                operasional=old.operasional if old else "",
                strategis=old.strategis if old else "",
            )
        )
    bands: list[litmus.Band] = []
    for n, line in enumerate(bands_text.splitlines(), start=1):
        if not line.strip():
            continue
        span, _sep, label = line.strip().partition(" ")
        low, dash, high = span.replace("–", "-").partition("-")
        if not dash or not low.isdigit() or not high.isdigit() or not label.strip():
            errors.append(_("Rentang baris {n}: tulis “13-21 kurang strategis”.").format(n=n))
            continue
        bands.append(litmus.Band(int(low), int(high), label.strip()))
    if not items:
        errors.append(_("Tulis paling sedikit satu butir uji litmus."))
    return items, bands, errors
