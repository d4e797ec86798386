"""Pages of PUG readiness: the seven prerequisites with their evidence, the PPE self-assessment (answers,
score, configurable criteria and bands), the PUG roadmap (IPM, IPG, IDG, IKG targets against actual values)
and the Pokja PUG (members, meetings and minutes).

Every staff member with "pug.view" reads; writing needs "pug.manage" (Pokja PUG, Bappeda planner, admin
pemda), checked on each POST with `access.require_manage` (403 otherwise). Objects of another pemda are not
found.
"""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.dates import TanggalError, format_tanggal, parse_tanggal
from rencana.core.errors import ApplicationError, NotFoundError
from rencana.core.exports import xlsx_response
from rencana.core.forms import form_errors_from
from rencana.core.numbers import format_angka
from rencana.core.pagination import paginate
from rencana.gender import access, ppe, roadmap
from rencana.gender import services_readiness as services
from rencana.gender.models import (
    IndexName,
    PokjaMeeting,
    PokjaMember,
    PokjaRole,
    PpeAssessment,
    Prerequisite,
    PrerequisiteEvidence,
    PrerequisiteStatus,
)
from rencana.monitoring import achievement
from rencana.regions.models import Opd

MAX_ROADMAP_FIELDS = 40
TARGET_FIELD = re.compile(r"^target_(.{1,10})$")

# --- forms ----------------------------------------------------------------------------------------


ID_TEXT = re.compile(r"[0-9]{1,11}")


class IdChoiceField(forms.ModelChoiceField):
    """A model choice whose submitted id is checked to be a plain small number before any query (a huge
    number would overflow the database integer: a 500 instead of "not a valid choice")."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not ID_TEXT.fullmatch(str(value)):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else []:
            if not ID_TEXT.fullmatch(str(item)):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:20]},
                )
        return super().clean(value)


class PrerequisiteForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=PrerequisiteStatus.choices)
    catatan = forms.CharField(
        label=gettext_lazy("Keterangan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(forms.Form):
    judul = forms.CharField(label=gettext_lazy("Judul dokumen"), max_length=255)
    berkas = forms.FileField(
        label=gettext_lazy("Berkas (PDF, JPG atau PNG, paling besar 5 MB)"), required=False
    )
    tautan = forms.CharField(
        label=gettext_lazy("atau rujukan (nomor dokumen atau tautan)"), max_length=500, required=False
    )


class PpeStartForm(forms.Form):
    tahun = forms.IntegerField(
        label=gettext_lazy("Tahun"), min_value=services.MIN_YEAR, max_value=services.MAX_YEAR
    )


class PpeCriteriaForm(forms.Form):
    kriteria = forms.CharField(
        label=gettext_lazy("Kriteria, satu per baris: KODE | kelompok | skor maksimum | pertanyaan"),
        widget=forms.Textarea(attrs={"rows": 20, "class": "wide"}),
        max_length=100000,
    )
    predikat = forms.CharField(
        label=gettext_lazy("Predikat, satu per baris dari yang terendah: dari | sampai | predikat"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MemberForm(forms.Form):
    nama = forms.CharField(label=gettext_lazy("Nama"), max_length=150)
    jabatan = forms.CharField(label=gettext_lazy("Jabatan"), max_length=200, required=False)
    opd = IdChoiceField(label=gettext_lazy("OPD"), queryset=Opd.objects.none(), required=False)
    peran = forms.ChoiceField(label=gettext_lazy("Peran dalam Pokja"), choices=PokjaRole.choices)
    aktif = forms.BooleanField(label=gettext_lazy("Aktif"), required=False, initial=True)
    anggota = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.filter(pemda=pemda, aktif=True).order_by("kode")  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    tanggal = forms.CharField(
        label=gettext_lazy("Tanggal"), max_length=40, widget=forms.DateInput(attrs={"type": "date"})
    )
    agenda = forms.CharField(label=gettext_lazy("Agenda"), max_length=300)
    notulen = forms.CharField(
        label=gettext_lazy("Notulen"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=50000,
    )
    peserta = IdMultipleChoiceField(
        label=gettext_lazy("Peserta (anggota Pokja)"),
        queryset=PokjaMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peserta"].queryset = PokjaMember.objects.filter(pemda=pemda).order_by("-aktif", "nama")  # type: ignore[attr-defined]

    def clean_tanggal(self) -> Any:
        try:
            return parse_tanggal(self.cleaned_data["tanggal"])
        except TanggalError as exc:
            raise forms.ValidationError(str(exc)) from exc


# --- helpers --------------------------------------------------------------------------------------


def _number(text: str, digits: int = 11) -> int | None:
    """A whole number of at most `digits` ASCII digits, or None ("²" passes str.isdigit, not int)."""
    return int(text) if re.fullmatch(rf"[0-9]{{1,{digits}}}", text) else None


def _version(request: PemdaRequest) -> int:
    raw = request.POST.get("version", "")
    version = _number(raw, 9)
    return -1 if version is None else version


def _url(name: str, request: PemdaRequest, **kwargs: Any) -> str:
    return reverse(f"gender:{name}", kwargs={"kode": request.pemda.kode, **kwargs})


def _plain(value: Decimal | None) -> str:
    """A stored number as users type it back: "75,37", "0,45"."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _refuse(request: PemdaRequest, exc: ApplicationError) -> None:
    if exc.status in (403, 404):
        raise exc
    messages.error(request, exc.message)
    for error in exc.errors:
        if error.get("pesan") and error.get("pesan") != exc.message:
            messages.error(request, error["pesan"])


def _status_badge(status: str) -> str:
    return {"terpenuhi": "hijau", "sebagian": "kuning"}.get(status, "merah")


# --- readiness ------------------------------------------------------------------------------------


@pemda_view("pug.view")
@require_GET
def readiness(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    prereqs = services.prerequisites_for(pemda)
    evidence: dict[int, list[PrerequisiteEvidence]] = {}
    for item in PrerequisiteEvidence.objects.filter(pemda=pemda).order_by("-id"):
        evidence.setdefault(item.prasyarat_id, []).append(item)
    rows: list[dict[str, Any]] = [
        {
            "prereq": p,
            "label": p.get_kode_display(),
            "status_label": p.get_status_display(),
            "warna": _status_badge(p.status),
            "bukti": evidence.get(p.pk, [])[:3],
            "jumlah_bukti": len(evidence.get(p.pk, [])),
        }
        for p in prereqs
    ]
    if request.GET.get("unduh") == "xlsx":
        return xlsx_response(
            f"kesiapan-pug-{pemda.kode}.xlsx",
            _("Kesiapan PUG"),
            [_("Prasyarat"), _("Status"), _("Keterangan"), _("Jumlah bukti"), _("Bukti")],
            [
                [
                    r["label"],
                    r["status_label"],
                    r["prereq"].catatan,
                    r["jumlah_bukti"],
                    "; ".join(e.judul for e in evidence.get(r["prereq"].pk, [])),
                ]
                for r in rows
            ],
        )
    progress = services.readiness_progress(pemda)
    return render(
        request,
        "gender/readiness.html",
        {"pemda": pemda, "rows": rows, "progress": progress, "can_manage": request.scope.has("pug.manage")},
    )


def _prereq(request: PemdaRequest, prereq_id: int) -> Prerequisite:
    prereq = Prerequisite.objects.filter(pemda=request.pemda, pk=prereq_id).first()
    if prereq is None:
        raise NotFoundError(_("Prasyarat tidak ditemukan."))
    return prereq


@pemda_view("pug.view")
@require_http_methods(["GET", "POST"])
def prerequisite(request: PemdaRequest, prereq_id: int) -> HttpResponse:
    prereq = _prereq(request, prereq_id)
    initial = {"status": prereq.status, "catatan": prereq.catatan, "version": prereq.version}
    form = PrerequisiteForm(initial=initial)
    evidence_form = EvidenceForm()
    status = 200
    if request.method == "POST":
        access.require_manage(request.scope)
        action = request.POST.get("aksi", "simpan")
        try:
            if action == "simpan":
                form = PrerequisiteForm(request.POST)
                if form.is_valid():
                    services.prerequisite_update(
                        actor=request.user,
                        prereq=prereq,
                        expected_version=_version(request),
                        status=form.cleaned_data["status"],
                        catatan=form.cleaned_data["catatan"],
                    )
                    messages.success(request, _("Status prasyarat disimpan."))
                    return redirect(_url("prerequisite", request, prereq_id=prereq.pk))
            elif action == "unggah":
                evidence_form = EvidenceForm(request.POST, request.FILES)
                if evidence_form.is_valid():
                    services.evidence_add(
                        actor=request.user,
                        prereq=prereq,
                        judul=evidence_form.cleaned_data["judul"],
                        upload=evidence_form.cleaned_data["berkas"],
                        tautan=evidence_form.cleaned_data["tautan"],
                    )
                    messages.success(request, _("Bukti ditambahkan."))
                    return redirect(_url("prerequisite", request, prereq_id=prereq.pk))
            elif action == "hapus_bukti":
                raw = request.POST.get("bukti", "")
                item = PrerequisiteEvidence.objects.filter(prasyarat=prereq, pk=_number(raw) or 0).first()
                if item is None:
                    raise NotFoundError(_("Bukti tidak ditemukan."))
                services.evidence_remove(actor=request.user, evidence=item)
                messages.success(request, _("Bukti dihapus."))
                return redirect(_url("prerequisite", request, prereq_id=prereq.pk))
            else:
                raise ApplicationError(_("Tindakan tidak dikenal."))
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            bound = evidence_form if action == "unggah" else form
            if exc.status == 409 or not bound.is_bound:
                messages.error(request, exc.message)
                return redirect(_url("prerequisite", request, prereq_id=prereq.pk))
            form_errors_from(bound, exc)
        status = 400
    page = paginate(request, PrerequisiteEvidence.objects.filter(prasyarat=prereq).order_by("-id"))
    return render(
        request,
        "gender/readiness_prerequisite.html",
        {
            "pemda": request.pemda,
            "prereq": prereq,
            "warna": _status_badge(prereq.status),
            "form": form,
            "evidence_form": evidence_form,
            "page": page,
            "can_manage": request.scope.has("pug.manage"),
        },
        status=status,
    )


@pemda_view("pug.view")
@require_GET
def evidence_download(request: PemdaRequest, pug_evidence_id: int) -> HttpResponse:
    item = PrerequisiteEvidence.objects.filter(pemda=request.pemda, pk=pug_evidence_id).first()
    if item is None or not item.berkas:
        raise NotFoundError(_("Berkas bukti tidak ditemukan."))
    try:
        handle = item.berkas.open("rb")
    except FileNotFoundError as exc:
        raise NotFoundError(_("Berkas bukti tidak ada lagi di penyimpanan.")) from exc
    response = FileResponse(
        handle,
        content_type=services.evidence_content_type(item),
        as_attachment=True,
        filename=item.nama_berkas or (item.berkas.name or "bukti").rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a streaming response, served like any other


# --- PPE ------------------------------------------------------------------------------------------


def _assessment(request: PemdaRequest, assessment_id: int) -> PpeAssessment:
    assessment = PpeAssessment.objects.filter(pemda=request.pemda, pk=assessment_id).first()
    if assessment is None:
        raise NotFoundError(_("Penilaian mandiri PPE tidak ditemukan."))
    return assessment


def _score_or_none(assessment: PpeAssessment) -> tuple[ppe.PpeScore | None, str]:
    try:
        return services.ppe_score(assessment), ""
    except ApplicationError as exc:
        return None, exc.message


@pemda_view("pug.view")
@require_http_methods(["GET", "POST"])
def ppe_list(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    form = PpeStartForm(initial={"tahun": pemda.tahun_anggaran})
    status = 200
    if request.method == "POST":
        access.require_manage(request.scope)
        form = PpeStartForm(request.POST)
        if form.is_valid():
            try:
                assessment = services.ppe_start(
                    actor=request.user, pemda=pemda, tahun=form.cleaned_data["tahun"]
                )
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Penilaian mandiri PPE dimulai. Jawab setiap kriteria."))
                return redirect(_url("ppe_detail", request, assessment_id=assessment.pk))
        status = 400
    items = PpeAssessment.objects.filter(pemda=pemda).order_by("-tahun")
    if request.GET.get("unduh") == "xlsx":
        cells: list[list[Any]] = []
        for a in items[:500]:
            result, problem = _score_or_none(a)
            cells.append(
                [
                    a.tahun,
                    result.total if result else None,
                    result.maximum if result else None,
                    float(result.percent) if result else None,
                    result.predikat if result else problem,
                    len(result.missing) if result else None,
                ]
            )
        return xlsx_response(
            f"ppe-{pemda.kode}.xlsx",
            _("Penilaian mandiri PPE"),
            [_("Tahun"), _("Skor"), _("Skor maksimum"), _("Persentase"), _("Predikat"), _("Belum dijawab")],
            cells,
        )
    page = paginate(request, items)
    rows = []
    for a in page.object_list:
        result, problem = _score_or_none(a)
        rows.append({"assessment": a, "score": result, "problem": problem})
    return render(
        request,
        "gender/ppe_list.html",
        {
            "pemda": pemda,
            "page": page,
            "rows": rows,
            "form": form,
            "can_manage": request.scope.has("pug.manage"),
            "bands": ppe.DEFAULT_BANDS,
        },
        status=status,
    )


def _answer_groups(
    criteria: list[ppe.Criterion], answers: dict[str, Any], errors: dict[str, str]
) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for c in criteria:
        group = groups.setdefault(
            c.kelompok, {"kode": c.kelompok, "label": ppe.group_label(c.kelompok), "items": []}
        )
        current = answers.get(c.kode)
        group["items"].append(
            {
                "criterion": c,
                "name": f"k_{c.kode}",
                "options": [
                    {"value": value, "label": label, "checked": str(current) == str(value)}
                    for value, label in ppe.scale(c.maks)
                ],
                "answered": current is not None and str(current) != "",
                "error": errors.get(f"k_{c.kode}", ""),
            }
        )
    return [groups[k] for k in ppe.GROUPS if k in groups]


@pemda_view("pug.view")
@require_http_methods(["GET", "POST"])
def ppe_detail(request: PemdaRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    config_problem = ""
    try:
        criteria, bands = services.ppe_config(assessment)
    except ApplicationError as exc:
        criteria, bands, config_problem = [], [], exc.message
    answers: dict[str, Any] = dict(assessment.jawaban) if isinstance(assessment.jawaban, dict) else {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        access.require_manage(request.scope)
        submitted: dict[str, Any] = {}
        for c in criteria:
            raw = request.POST.get(f"k_{c.kode}", "").strip()
            submitted[c.kode] = raw if raw else None
        try:
            services.ppe_answer(
                actor=request.user,
                assessment=assessment,
                expected_version=_version(request),
                answers=submitted,
            )
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            if exc.status == 409 or not exc.errors:
                messages.error(request, exc.message)
                return redirect(_url("ppe_detail", request, assessment_id=assessment.pk))
            errors = {e["kolom"]: e["pesan"] for e in exc.errors}
            answers = {k: v for k, v in submitted.items() if v is not None}
            status = 400
        else:
            messages.success(request, _("Jawaban disimpan."))
            return redirect(_url("ppe_detail", request, assessment_id=assessment.pk))
    result, problem = _score_or_none(assessment)
    band_rows = [
        {
            "band": b,
            "dari": ppe.angka(b.dari),
            "sampai": ppe.angka(b.sampai),
            "last": i == len(bands) - 1,
        }
        for i, b in enumerate(bands)
    ]
    return render(
        request,
        "gender/ppe_detail.html",
        {
            "pemda": request.pemda,
            "assessment": assessment,
            "groups": _answer_groups(criteria, answers, errors),
            "score": result,
            "percent": format_angka(result.percent) if result else "",
            "problem": config_problem or problem,
            "bands": band_rows,
            "is_default": ppe.is_default(criteria, bands),
            "can_manage": request.scope.has("pug.manage"),
            "has_errors": bool(errors),
        },
        status=status,
    )


def _criteria_from_form(form: PpeCriteriaForm) -> tuple[list[ppe.Criterion], list[ppe.Band]] | None:
    """Criteria and bands typed in the form; None (problems put on the form) when a line is unreadable."""
    if not form.is_valid():
        return None
    criteria, problems_c = ppe.criteria_from_lines(form.cleaned_data["kriteria"])
    bands, problems_b = ppe.bands_from_lines(form.cleaned_data["predikat"])
    for problem in problems_c:
        form.add_error("kriteria", problem)
    for problem in problems_b:
        form.add_error("predikat", problem)
    return None if problems_c or problems_b else (criteria, bands)


@pemda_view("pug.view")
@require_http_methods(["GET", "POST"])
def ppe_criteria(request: PemdaRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    try:
        criteria, bands = services.ppe_config(assessment)
    except ApplicationError:
        criteria, bands = list(ppe.DEFAULT_CRITERIA), list(ppe.DEFAULT_BANDS)
    form = PpeCriteriaForm(
        initial={
            "kriteria": ppe.criteria_to_lines(criteria),
            "predikat": ppe.bands_to_lines(bands),
            "version": assessment.version,
        }
    )
    status = 200
    if request.method == "POST":
        access.require_manage(request.scope)
        form = PpeCriteriaForm(request.POST)
        if request.POST.get("aksi") == "bawaan":
            parsed: tuple[list[ppe.Criterion], list[ppe.Band]] | None = (
                list(ppe.DEFAULT_CRITERIA),
                list(ppe.DEFAULT_BANDS),
            )
        else:
            parsed = _criteria_from_form(form)
        if parsed is not None:
            try:
                services.ppe_criteria_set(
                    actor=request.user,
                    assessment=assessment,
                    expected_version=_version(request),
                    criteria=parsed[0],
                    bands=parsed[1],
                )
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                if exc.status == 409:
                    messages.error(request, exc.message)
                    return redirect(_url("ppe_criteria", request, assessment_id=assessment.pk))
                for error in exc.errors or [{"pesan": exc.message}]:
                    form.add_error(None, error["pesan"])
            else:
                messages.success(request, _("Kriteria dan predikat disimpan."))
                return redirect(_url("ppe_detail", request, assessment_id=assessment.pk))
        status = 400
    return render(
        request,
        "gender/ppe_criteria.html",
        {
            "pemda": request.pemda,
            "assessment": assessment,
            "form": form,
            "criteria": criteria,
            "bands": [{"band": b, "dari": ppe.angka(b.dari), "sampai": ppe.angka(b.sampai)} for b in bands],
            "groups": [(k, str(v)) for k, v in ppe.GROUPS.items()],
            "is_default": ppe.is_default(criteria, bands),
            "can_manage": request.scope.has("pug.manage"),
            "max_score": ppe.MAX_SCORE,
        },
        status=status,
    )


# --- roadmap --------------------------------------------------------------------------------------


def _roadmap_years(
    request: PemdaRequest, targets: dict[str, dict[int, Decimal]], actuals: dict[str, dict[int, Decimal]]
) -> tuple[list[int], str]:
    raw_dari, raw_sampai = request.GET.get("dari", ""), request.GET.get("sampai", "")
    default = roadmap.default_years(
        [y for by_year in targets.values() for y in by_year],
        request.pemda.tahun_anggaran,
        [y for by_year in actuals.values() for y in by_year],
    )
    if not raw_dari and not raw_sampai:
        return default, ""
    dari, sampai = _number(raw_dari, 4), _number(raw_sampai, 4)
    if dari is None or sampai is None or len(raw_dari) != 4 or len(raw_sampai) != 4:
        return default, _("Tahun harus empat angka, mis. 2025.")
    try:
        return roadmap.year_range(dari, sampai), ""
    except ValueError as exc:
        return default, str(exc)


@pemda_view("pug.view")
@require_http_methods(["GET", "POST"])
def roadmap_page(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    submitted: dict[str, str] = {}
    errors: dict[str, str] = {}
    failed_index = ""
    status = 200
    if request.method == "POST":
        access.require_manage(request.scope)
        indeks = request.POST.get("indeks", "")
        values: dict[str, str] = {}
        for key in request.POST:
            match = TARGET_FIELD.match(key)
            if match:
                values[match.group(1)] = request.POST.get(key, "")
        try:
            if len(values) > MAX_ROADMAP_FIELDS:
                raise ApplicationError(_("Terlalu banyak tahun sekaligus."))
            services.roadmap_set(actor=request.user, pemda=pemda, indeks=indeks, targets=values)
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
            failed_index = indeks
            submitted = {f"target_{k}": v for k, v in values.items()}
            errors = {str(e.get("kolom", "")): str(e.get("pesan", "")) for e in exc.errors}
            status = 400
        else:
            messages.success(request, _("Target {indeks} disimpan.").format(indeks=indeks))
            back = request.POST.get("kembali", "")
            query = back if re.fullmatch(r"dari=\d{4}&sampai=\d{4}", back) else ""
            return redirect(_url("roadmap", request) + (f"?{query}" if query else ""))
    targets = services.roadmap_targets(pemda)
    actuals = services.roadmap_actuals(pemda)
    years, year_problem = _roadmap_years(request, targets, actuals)
    result = roadmap.roadmap(years, targets, actuals)
    if request.GET.get("unduh") == "xlsx":
        return xlsx_response(
            f"peta-jalan-pug-{pemda.kode}.xlsx",
            _("Peta jalan PUG"),
            [
                _("Indeks"),
                _("Polaritas"),
                _("Tahun"),
                _("Target"),
                _("Aktual"),
                _("Capaian (%)"),
                _("Predikat"),
                _("Keterangan"),
            ],
            [
                [ix.indeks, ix.polaritas, r.tahun, r.target, r.aktual, r.capaian, r.predikat, r.keterangan]
                for ix in result
                for r in ix.rows
            ],
        )
    tables = []
    for ix in result:
        rows = []
        for r in ix.rows:
            name = f"target_{r.tahun}"
            value = submitted[name] if ix.indeks == failed_index and name in submitted else _plain(r.target)
            rows.append(
                {
                    "row": r,
                    "name": name,
                    "value": value,
                    "error": errors.get(name, "") if ix.indeks == failed_index else "",
                    "target": roadmap.angka(ix.indeks, r.target),
                    "aktual": roadmap.angka(ix.indeks, r.aktual),
                    "capaian": format_angka(r.capaian) if r.capaian is not None else "—",
                    "predikat": achievement.predikat_label(r.predikat) if r.predikat else "",
                }
            )
        akhir = None
        if ix.akhir is not None:
            akhir = {
                "data": ix.akhir,
                "target": roadmap.angka(ix.indeks, ix.akhir.target),
                "aktual": roadmap.angka(ix.indeks, ix.akhir.aktual),
                "capaian": format_angka(ix.akhir.capaian) if ix.akhir.capaian is not None else "—",
                "predikat": achievement.predikat_label(ix.akhir.predikat) if ix.akhir.predikat else "",
            }
        tables.append(
            {
                "indeks": ix.indeks,
                "label": IndexName(ix.indeks).label,
                "negatif": ix.polaritas == "negatif",
                "batas": roadmap.BATAS[ix.indeks],
                "rows": rows,
                "akhir": akhir,
                "has_actual": any(r.aktual is not None for r in ix.rows),
            }
        )
    return render(
        request,
        "gender/roadmap.html",
        {
            "pemda": pemda,
            "tables": tables,
            "years": years,
            "dari": years[0],
            "sampai": years[-1],
            "year_problem": year_problem,
            "can_manage": request.scope.has("pug.manage"),
            "has_targets": any(targets.values()),
        },
        status=status,
    )


# --- Pokja PUG ------------------------------------------------------------------------------------


def _member(request: PemdaRequest, raw: Any) -> PokjaMember:
    text = str(raw or "")
    pk = _number(text)
    member = PokjaMember.objects.filter(pemda=request.pemda, pk=pk).first() if pk is not None else None
    if member is None:
        raise NotFoundError(_("Anggota Pokja tidak ditemukan."))
    return member


def _member_initial(member: PokjaMember) -> dict[str, Any]:
    return {
        "nama": member.nama,
        "jabatan": member.jabatan,
        "opd": member.opd_id,
        "peran": member.peran,
        "aktif": member.aktif,
        "anggota": member.pk,
    }


def _pokja_post(
    request: PemdaRequest, member_form: MemberForm, meeting_form: MeetingForm
) -> HttpResponse | None:
    """Run the POSTed action; a redirect on success, None to re-render with the forms' errors."""
    pemda = request.pemda
    action = request.POST.get("aksi", "")
    try:
        if action == "anggota_simpan":
            if not member_form.is_valid():
                return None
            data = member_form.cleaned_data
            if data.get("anggota"):
                member = _member(request, data["anggota"])
                services.pokja_member_update(
                    actor=request.user,
                    member=member,
                    nama=data["nama"],
                    jabatan=data["jabatan"],
                    opd=data["opd"],
                    peran=data["peran"],
                    aktif=data["aktif"],
                )
                messages.success(request, _("Anggota Pokja diperbarui."))
            else:
                services.pokja_member_add(
                    actor=request.user,
                    pemda=pemda,
                    nama=data["nama"],
                    jabatan=data["jabatan"],
                    opd=data["opd"],
                    peran=data["peran"],
                )
                messages.success(request, _("Anggota Pokja ditambahkan."))
        elif action == "anggota_nonaktif":
            services.pokja_member_deactivate(
                actor=request.user, member=_member(request, request.POST.get("anggota"))
            )
            messages.success(request, _("Anggota Pokja dinonaktifkan."))
        elif action == "rapat_tambah":
            if not meeting_form.is_valid():
                return None
            data = meeting_form.cleaned_data
            meeting = services.pokja_meeting_add(
                actor=request.user,
                pemda=pemda,
                tanggal=data["tanggal"],
                agenda=data["agenda"],
                notulen=data["notulen"],
                peserta=list(data["peserta"]),
            )
            messages.success(request, _("Rapat dicatat."))
            return redirect(_url("pokja_meeting", request, meeting_id=meeting.pk))
        else:
            raise ApplicationError(_("Tindakan tidak dikenal."))
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        if action == "anggota_simpan":
            form_errors_from(member_form, exc)
            return None
        if action == "rapat_tambah":
            form_errors_from(meeting_form, exc)
            return None
        _refuse(request, exc)
    return redirect(_url("pokja", request))


@pemda_view("pug.view")
@require_http_methods(["GET", "POST"])
def pokja(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    member_form = MemberForm(pemda=pemda, initial={"peran": PokjaRole.ANGGOTA, "aktif": True})
    meeting_form = MeetingForm(pemda=pemda)
    editing: PokjaMember | None = None
    status = 200
    if request.method == "POST":
        access.require_manage(request.scope)
        action = request.POST.get("aksi", "")
        if action == "anggota_simpan":
            member_form = MemberForm(request.POST, pemda=pemda)
        elif action == "rapat_tambah":
            meeting_form = MeetingForm(request.POST, pemda=pemda)
        done = _pokja_post(request, member_form, meeting_form)
        if done is not None:
            return done
        status = 400
    elif request.GET.get("ubah"):
        try:
            editing = _member(request, request.GET.get("ubah"))
        except NotFoundError:
            editing = None
        if editing is not None:
            member_form = MemberForm(pemda=pemda, initial=_member_initial(editing))
    members = (
        PokjaMember.objects.filter(pemda=pemda).select_related("opd").order_by("-aktif", "peran", "nama")
    )
    if request.GET.get("unduh") == "anggota":
        return xlsx_response(
            f"pokja-pug-{pemda.kode}.xlsx",
            _("Anggota Pokja PUG"),
            [_("Nama"), _("Jabatan"), _("OPD"), _("Peran"), _("Aktif")],
            [
                [
                    m.nama,
                    m.jabatan,
                    m.opd.nama if m.opd else "",
                    m.get_peran_display(),
                    _("ya") if m.aktif else _("tidak"),
                ]
                for m in members
            ],
        )
    member_page = paginate(request, members)
    meetings = (
        PokjaMeeting.objects.filter(pemda=pemda)
        .annotate(jumlah_peserta=Count("peserta"))
        .order_by("-tanggal", "-id")
    )
    meeting_page = Paginator(meetings, settings.RENCANA_PAGE_SIZE).get_page(request.GET.get("halaman_rapat"))
    meeting_rows = [{"meeting": m, "tanggal": format_tanggal(m.tanggal)} for m in meeting_page.object_list]
    return render(
        request,
        "gender/pokja.html",
        {
            "pemda": pemda,
            "member_page": member_page,
            "page": member_page,
            "meeting_page": meeting_page,
            "meeting_rows": meeting_rows,
            "member_form": member_form,
            "meeting_form": meeting_form,
            "editing": editing,
            "active_count": PokjaMember.objects.filter(pemda=pemda, aktif=True).count(),
            "can_manage": request.scope.has("pug.manage"),
        },
        status=status,
    )


@pemda_view("pug.view")
@require_http_methods(["GET", "POST"])
def pokja_meeting(request: PemdaRequest, meeting_id: int) -> HttpResponse:
    pemda = request.pemda
    meeting = PokjaMeeting.objects.filter(pemda=pemda, pk=meeting_id).first()
    if meeting is None:
        raise NotFoundError(_("Rapat Pokja tidak ditemukan."))
    peserta = list(meeting.peserta.select_related("opd").order_by("nama"))
    form = MeetingForm(
        pemda=pemda,
        initial={
            "tanggal": meeting.tanggal.isoformat(),
            "agenda": meeting.agenda,
            "notulen": meeting.notulen,
            "peserta": [m.pk for m in peserta],
        },
    )
    status = 200
    if request.method == "POST":
        access.require_manage(request.scope)
        form = MeetingForm(request.POST, pemda=pemda)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.pokja_meeting_update(
                    actor=request.user,
                    meeting=meeting,
                    tanggal=data["tanggal"],
                    agenda=data["agenda"],
                    notulen=data["notulen"],
                    peserta=list(data["peserta"]),
                )
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Notulen rapat disimpan."))
                return redirect(_url("pokja_meeting", request, meeting_id=meeting.pk))
        status = 400
    return render(
        request,
        "gender/pokja_meeting.html",
        {
            "pemda": pemda,
            "meeting": meeting,
            "tanggal": format_tanggal(meeting.tanggal),
            "peserta": peserta,
            "form": form,
            "can_manage": request.scope.has("pug.manage"),
        },
        status=status,
    )
