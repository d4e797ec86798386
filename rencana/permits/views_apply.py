"""Applicant pages of permits (issue 7, items 2-4): "my applications", the guided wizard, farmer groups and
members, micro businesses, their XLSX imports, documents and the printable drafts.

Everything here needs "permit.apply" (admin, petugas izin, pendamping, pemohon) and shows only what the
user may see (`selectors_apply`, `permits.access`): another user's group, business or application is
answered like a missing one (404). NIK and phone numbers are masked except for officers
("permit.process"), in pages, exports and the drafts.

- `my_applications` (`permohonan-saya/`): the user's applications with their stage and a "continue"
  link, and the two ways to start: HKm for a farmer group, NIB for a micro business
  (`application_start`, `permohonan-saya/baru/?jenis=hkm|nib`).
- `wizard_step` (`wizard/<application_id>/<langkah>/`): one step per screen (`permits.wizard`), a
  progress bar, big buttons; every "Simpan" saves (`services_workflow.application_update`, or the
  group/business services), a stale version answers 409 keeping what was typed. The last step shows the
  completeness checklist (`services_workflow.checklist`) with a link from each missing item to its
  step; the submit button stays disabled until it is complete and the server refuses it anyway
  (`services_workflow.transition`, the first transition with the "kelengkapan" condition).
- Drafts: `proposal_docx` / `proposal_pdf` (`wizard/<application_id>/proposal.docx|.pdf`: the HKm
  proposal, or the NIB sheet for a business), `business_nib_pdf` / `business_nib_docx`
  (`usaha/<business_id>/nib.pdf|.docx`).
- Groups: `group_list` (+ create, XLSX export), `group_detail` (edit, members, add member, delete,
  members' XLSX), `member_edit` (`kelompok/anggota/<member_id>/`), `member_import` (dry run, then all or
  nothing) and `member_import_template`. Businesses: `business_list`, `business_detail`,
  `business_import`, `business_import_template`. `document_download` (`dokumen/<app_document_id>/`).
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
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from rencana.core.exports import XLSX_TYPE, xlsx_response
from rencana.core.forms import form_errors_from
from rencana.core.imports import ImportResult, ImportSpec
from rencana.core.numbers import format_angka, format_rupiah
from rencana.core.pagination import paginate, query_without_page
from rencana.core.roles import Role
from rencana.permits import (
    access,
    applicants_io,
    kbli,
    proposal,
    selectors_apply,
    services_apply,
    services_workflow,
    wizard,
)
from rencana.permits.forms_apply import (
    AreaStepForm,
    BusinessForm,
    GroupForm,
    KbliStepForm,
    LocationStepForm,
    MemberForm,
    NewBusinessForm,
    NewGroupForm,
    PlanStepForm,
    UploadForm,
    UsahaStepForm,
)
from rencana.permits.models import (
    Application,
    ApplicationDocument,
    AreaMap,
    FarmerGroup,
    GroupMember,
    MemberRole,
    MicroBusiness,
    Sex,
)
from rencana.permits.nik import mask_nik, mask_telepon
from rencana.regions.models import Region

HKM, NIB = "hkm", "nib"
JENIS_PEMOHON = {HKM: "kelompok", NIB: "usaha"}
ACCEPT_DOCUMENTS = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


# --- helpers ---------------------------------------------------------------------------------------


def _q(request: PemdaRequest, name: str = "q") -> str:
    return " ".join(request.GET.get(name, "").replace("\x00", " ").split())[:100]


def _villages(request: PemdaRequest) -> list[Region]:
    cached = getattr(request, "_villages", None)
    if cached is None:
        cached = list(services_apply.pemda_villages(request.pemda).only("kode", "nama"))
        request._villages = cached  # type: ignore[attr-defined]
    return cached


def _version(raw: Any) -> int:
    """The version a form was based on; a missing or junk value can never match (0)."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else 0


def _safe_back(request: PemdaRequest, fallback: str) -> str:
    """The `kembali` URL when it is a page of this pemda on this site, else `fallback`."""
    back = request.POST.get("kembali") or request.GET.get("kembali") or ""
    prefix = f"/pemda/{request.pemda.kode}/izin/"
    if back.startswith(prefix) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return fallback


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _nik_shown(request: PemdaRequest, nik: str) -> str:
    return nik if selectors_apply.sees_personal_data(request.scope) else mask_nik(nik)


def _phone_shown(request: PemdaRequest, phone: str) -> str:
    return phone if selectors_apply.sees_personal_data(request.scope) else mask_telepon(phone)


def _sex_label(value: str) -> str:
    return str(Sex(value).label) if value in Sex.values else "—"


def _role_label(value: str) -> str:
    return str(MemberRole(value).label) if value in MemberRole.values else value


def _kind(application: Application) -> str:
    return "usaha" if application.usaha_id else "kelompok"


def _map_upload_url(request: PemdaRequest, application: Application) -> str:
    try:
        return reverse(
            "permits:map_upload", kwargs={"kode": request.pemda.kode, "application_id": application.pk}
        )
    except NoReverseMatch:
        return ""


def _track_url(application: Application) -> str:
    try:
        return reverse("permits:track", kwargs={"kode_lacak": application.kode_lacak})
    except NoReverseMatch:
        return ""


def _wizard_url(kode: str, application_id: int, langkah: str) -> str:
    return reverse(
        "permits:wizard_step", kwargs={"kode": kode, "application_id": application_id, "langkah": langkah}
    )


def _stage_name(application: Application) -> str:
    try:
        stage = services_workflow.stage_of(application)
    except ApplicationError:
        stage = None
    return stage.nama if stage is not None else application.tahap


def _applicant_name(application: Application) -> str:
    if application.kelompok_id and application.kelompok is not None:
        return application.kelompok.nama
    if application.usaha_id and application.usaha is not None:
        return application.usaha.nama_usaha
    return "—"


# --- my applications and starting one -------------------------------------------------------------


@pemda_view("permit.apply")
@require_GET
def my_applications(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    page = paginate(request, selectors_apply.my_applications(request.scope, request.user, pemda))
    rows = []
    for application in page.object_list:
        steps = _steps(application)
        draft = application.status == "draf"
        rows.append(
            {
                "application": application,
                "jenis": application.jenis.nama,
                "pemohon": _applicant_name(application),
                "tahap": _stage_name(application),
                "status": application.get_status_display(),
                "lanjut": _wizard_url(pemda.kode, application.pk, steps[0].kode if draft else wizard.PERIKSA),
                "periksa": _wizard_url(pemda.kode, application.pk, wizard.PERIKSA),
                "lacak": _track_url(application),
            }
        )
    context = {
        "pemda": pemda,
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
        "is_officer": access.can_process(request.scope),
    }
    return render(request, "permits/apply_list.html", context)


def _pemohon_for(request: PemdaRequest) -> Any:
    """The applicant account of a new application: the user, when applying for themselves."""
    roles = request.scope.roles
    return request.user if Role.PEMOHON in roles and Role.PENDAMPING not in roles else None


@pemda_view("permit.apply")
@require_http_methods(["GET", "POST"])
def application_start(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    jenis = request.POST.get("jenis") or request.GET.get("jenis") or HKM
    if jenis not in JENIS_PEMOHON:
        jenis = HKM
    villages = _villages(request)
    new_form: forms.Form = NewGroupForm(villages=villages, pemda=pemda) if jenis == HKM else NewBusinessForm()
    errors: list[str] = []
    choice = request.POST.get("pilihan", "")
    status = 200
    if request.method == "POST":
        if choice == "baru":
            new_form = (
                NewGroupForm(request.POST, villages=villages, pemda=pemda)
                if jenis == HKM
                else NewBusinessForm(request.POST)
            )
        if choice == "baru" and not new_form.is_valid():
            status = 400
        elif not choice:
            errors.append(_("Pilih kelompok/usaha yang sudah ada, atau isi data yang baru."))
            status = 400
        else:
            try:
                application = _start(request, jenis, choice, new_form)
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                if choice == "baru":
                    form_errors_from(new_form, exc)
                else:
                    errors.append(exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    _(
                        "Permohonan dibuat dengan kode lacak {kode}. Isi langkah demi langkah; "
                        "semua tersimpan."
                    ).format(kode=application.kode_lacak),
                )
                return redirect(_wizard_url(pemda.kode, application.pk, _steps(application)[0].kode))
    owners: list[Any]
    if jenis == HKM:
        owners = list(
            selectors_apply.visible_groups(request.scope, request.user, pemda).select_related("desa")[:200]
        )
    else:
        owners = list(selectors_apply.visible_businesses(request.scope, request.user, pemda)[:200])
    context = {
        "pemda": pemda,
        "jenis": jenis,
        "owners": owners,
        "form": new_form,
        "errors": errors,
        "pilihan": choice,
    }
    return render(request, "permits/apply_start.html", context, status=status)


@transaction.atomic
def _start(request: PemdaRequest, jenis: str, choice: str, new_form: forms.Form) -> Application:
    """Create the group or business when new, then the application (all or nothing)."""
    pemda = request.pemda
    kelompok = usaha = None
    if jenis == HKM:
        if choice == "baru":
            kelompok = services_apply.group_create(
                actor=request.user,
                pemda=pemda,
                data=services_apply.GroupInput(
                    nama=new_form.cleaned_data["nama"], desa_kode=new_form.cleaned_data["desa"]
                ),
            )
        else:
            kelompok = selectors_apply.get_group(request, choice)
    elif choice == "baru":
        usaha = services_apply.business_create(
            actor=request.user,
            pemda=pemda,
            data=services_apply.BusinessInput(
                nama_usaha=new_form.cleaned_data["nama_usaha"], pemilik=new_form.cleaned_data["pemilik"]
            ),
        )
    else:
        usaha = selectors_apply.get_business(request, choice)
    return services_workflow.application_create(
        actor=request.user,
        pemda=pemda,
        jenis_kode=jenis,
        kelompok=kelompok,
        usaha=usaha,
        pemohon=_pemohon_for(request),
    )


# --- the wizard ------------------------------------------------------------------------------------


def _steps(application: Application) -> tuple[wizard.Step, ...]:
    definition = services_workflow.definition_of(application)
    awal = definition.stage(definition.awal) if definition.has_stage(definition.awal) else None
    jenis = definition.jenis_pemohon or _kind(application)
    has_documents = bool(awal and any(doc.jenis != "peta" or jenis != "kelompok" for doc in awal.dokumen))
    return wizard.steps_for(jenis, has_documents=has_documents)


class StepContext:
    """What every step page shows: the application, steps and progress, editability, the checklist."""

    def __init__(self, request: PemdaRequest, application: Application, step: wizard.Step) -> None:
        self.request = request
        self.application = application
        self.definition = services_workflow.definition_of(application)
        self.steps = _steps(application)
        self.step = step
        self.stage = services_workflow.stage_of(application, self.definition)
        self.editable = bool(self.stage and self.stage.dapat_diubah)
        self.checklist = services_workflow.checklist(application)
        self.peta_documents = [d.kode for d in self.definition.all_documents() if d.jenis == "peta"]

    def item_step(self, kode: str) -> str:
        return wizard.step_for_item(self.steps, kode, peta_documents=self.peta_documents)

    def context(self) -> dict[str, Any]:
        kode = self.request.pemda.kode
        index = [s.kode for s in self.steps].index(self.step.kode)
        before, after = wizard.neighbours(self.steps, self.step.kode)
        missing_here = [i for i in self.checklist.missing if self.item_step(i.kode) == self.step.kode]
        done_steps = {s.kode for s in self.steps} - {self.item_step(i.kode) for i in self.checklist.missing}
        return {
            "pemda": self.request.pemda,
            "application": self.application,
            "definition": self.definition,
            "stage": self.stage,
            "steps": [
                {
                    "kode": s.kode,
                    "judul": s.judul,
                    "url": _wizard_url(kode, self.application.pk, s.kode),
                    "aktif": s.kode == self.step.kode,
                    "selesai": s.kode in done_steps and s.kode != wizard.PERIKSA,
                    "nomor": n,
                }
                for n, s in enumerate(self.steps, start=1)
            ],
            "step": self.step,
            "nomor": index + 1,
            "jumlah": len(self.steps),
            "persen": round(100 * (index + 1) / len(self.steps)),
            "sebelumnya": _wizard_url(kode, self.application.pk, before.kode) if before else "",
            "berikutnya": _wizard_url(kode, self.application.pk, after.kode) if after else "",
            "editable": self.editable,
            "missing_here": missing_here,
            "checklist": self.checklist,
            "pemohon_nama": _applicant_name(self.application),
            "lacak": _track_url(self.application),
            "proposal_docx": reverse(
                "permits:proposal_docx", kwargs={"kode": kode, "application_id": self.application.pk}
            ),
            "proposal_pdf": reverse(
                "permits:proposal_pdf", kwargs={"kode": kode, "application_id": self.application.pk}
            ),
            "kind": _kind(self.application),
        }


def _after_save(request: PemdaRequest, ctx: StepContext, message: str) -> HttpResponse:
    messages.success(request, message)
    kode = request.pemda.kode
    if request.POST.get("aksi") == "lanjut":
        _before, after = wizard.neighbours(ctx.steps, ctx.step.kode)
        if after is not None:
            return redirect(_wizard_url(kode, ctx.application.pk, after.kode))
    return redirect(_wizard_url(kode, ctx.application.pk, ctx.step.kode))


def _require_editable(ctx: StepContext) -> None:
    if not ctx.editable:
        raise ConflictError(
            _(
                "Permohonan sudah diajukan dan sedang diproses; isiannya tidak bisa diubah kecuali "
                "dikembalikan untuk perbaikan."
            ),
            code="tidak_dapat_diubah",
        )


@pemda_view("permit.apply")
@require_http_methods(["GET", "POST"])
def wizard_step(request: PemdaRequest, application_id: int, langkah: str) -> HttpResponse:
    application = selectors_apply.get_application(request, application_id)
    steps = _steps(application)
    step = wizard.find_step(steps, langkah)
    if step is None:
        raise NotFoundError(
            _("Langkah “{langkah}” tidak ada pada permohonan ini.").format(langkah=str(langkah)[:40])
        )
    ctx = StepContext(request, application, step)
    handler = STEP_HANDLERS[step.kode]
    return handler(request, ctx)


def _render_step(
    request: PemdaRequest, ctx: StepContext, extra: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {**ctx.context(), **extra}
    return render(request, f"permits/wizard_{ctx.step.kode}.html", context, status=status)


def _member_rows(
    request: PemdaRequest, group: FarmerGroup, members: list[GroupMember]
) -> list[dict[str, Any]]:
    duplicates = services_apply.duplicate_members(request.pemda, members)
    return [
        {
            "member": m,
            "nik": _nik_shown(request, m.nik),
            "jenis_kelamin": _sex_label(m.jenis_kelamin),
            "peran": _role_label(m.peran),
            "telepon": _phone_shown(request, m.telepon),
            "ganda": duplicates.get(m.pk, []),
            "url": reverse("permits:member_edit", kwargs={"kode": request.pemda.kode, "member_id": m.pk}),
        }
        for m in members
    ]


def _group_form_initial(group: FarmerGroup) -> dict[str, Any]:
    return {
        "nama": group.nama,
        "desa": group.desa_id,
        "ketua": group.ketua,
        "tanggal_bentuk": group.tanggal_bentuk,
        "luas_dinyatakan": format_angka(group.luas_dinyatakan, 2)
        if group.luas_dinyatakan is not None
        else "",
        "kawasan": group.kawasan,
        "version": group.version,
    }


def _group_input(form: forms.Form) -> services_apply.GroupInput:
    data = form.cleaned_data
    return services_apply.GroupInput(
        nama=data["nama"],
        desa_kode=data["desa"],
        ketua=data.get("ketua", ""),
        tanggal_bentuk=data.get("tanggal_bentuk"),
        luas_dinyatakan=data.get("luas_dinyatakan"),
        kawasan=data.get("kawasan", ""),
    )


def _member_input(form: forms.Form) -> services_apply.MemberInput:
    data = form.cleaned_data
    return services_apply.MemberInput(
        nama=data["nama"],
        nik=data.get("nik", ""),
        jenis_kelamin=data["jenis_kelamin"],
        peran=data.get("peran") or MemberRole.ANGGOTA,
        telepon=data.get("telepon", ""),
    )


def _step_kelompok(request: PemdaRequest, ctx: StepContext) -> HttpResponse:
    group = ctx.application.kelompok
    if group is None:
        raise NotFoundError(_("Permohonan ini tidak punya kelompok tani."))
    villages = _villages(request)
    group_form = GroupForm(initial=_group_form_initial(group), villages=villages, pemda=request.pemda)
    member_form = MemberForm(prefix="anggota")
    status = 200
    if request.method == "POST":
        _require_editable(ctx)
        if request.POST.get("aksi") == "tambah_anggota":
            member_form = MemberForm(request.POST, prefix="anggota")
            if member_form.is_valid():
                try:
                    member = services_apply.member_add(
                        actor=request.user, group=group, data=_member_input(member_form)
                    )
                except ApplicationError as exc:
                    if exc.status in (403, 404):
                        raise
                    form_errors_from(member_form, exc)
                    status = exc.status
                else:
                    messages.success(request, _("Anggota {nama} ditambahkan.").format(nama=member.nama))
                    return redirect(
                        _wizard_url(request.pemda.kode, ctx.application.pk, ctx.step.kode) + "#anggota"
                    )
            else:
                status = 400
        else:
            group_form = GroupForm(request.POST, villages=villages, pemda=request.pemda)
            if group_form.is_valid():
                try:
                    services_apply.group_update(
                        actor=request.user,
                        group=group,
                        expected_version=_version(request.POST.get("version")),
                        data=_group_input(group_form),
                    )
                except ApplicationError as exc:
                    if exc.status in (403, 404):
                        raise
                    form_errors_from(group_form, exc)
                    status = exc.status
                else:
                    return _after_save(request, ctx, _("Data kelompok tersimpan."))
            else:
                status = 400
    members_page = paginate(request, GroupMember.objects.filter(kelompok=group).order_by("pk"))
    extra = {
        "group": group,
        "group_form": group_form,
        "member_form": member_form,
        "members": _member_rows(request, group, list(members_page.object_list)),
        "members_page": members_page,
        "jumlah_anggota": GroupMember.objects.filter(kelompok=group).count(),
        "min_anggota": ctx.definition.min_anggota,
        "import_url": reverse(
            "permits:member_import", kwargs={"kode": request.pemda.kode, "group_id": group.pk}
        ),
        "group_url": reverse(
            "permits:group_detail", kwargs={"kode": request.pemda.kode, "group_id": group.pk}
        ),
        "here": _wizard_url(request.pemda.kode, ctx.application.pk, ctx.step.kode),
    }
    return _render_step(request, ctx, extra, status)


def _map_summary(request: PemdaRequest, application: Application) -> dict[str, Any]:
    area_map = AreaMap.objects.filter(permohonan=application).first()
    luas = application.luas_dinyatakan
    summary: dict[str, Any] = {
        "ada_peta": area_map is not None,
        "luas_peta": format_angka(area_map.luas_ha, 2) if area_map is not None else "",
        "upload_url": _map_upload_url(request, application),
        "outline": proposal.map_outline(area_map.geometri, 320, 220) if area_map is not None else None,
    }
    if area_map is not None and luas:
        difference = (Decimal(area_map.luas_ha) - luas) / luas * 100
        summary["selisih"] = format_angka(difference, 1)
    return summary


def _step_areal(request: PemdaRequest, ctx: StepContext) -> HttpResponse:
    application = ctx.application
    data = application.data if isinstance(application.data, dict) else {}
    group = application.kelompok
    initial = {
        "luas_dinyatakan": format_angka(application.luas_dinyatakan, 2)
        if application.luas_dinyatakan is not None
        else "",
        "kawasan": data.get("kawasan") or (group.kawasan if group else ""),
        "lokasi_areal": data.get("lokasi_areal", ""),
        "versi": application.version,
    }
    form = AreaStepForm(initial=initial)
    status = 200
    if request.method == "POST":
        _require_editable(ctx)
        form = AreaStepForm(request.POST)
        if form.is_valid():
            cleaned = form.cleaned_data
            try:
                services_workflow.application_update(
                    actor=request.user,
                    application=application,
                    expected_version=_version(request.POST.get("versi")),
                    data={
                        "kawasan": cleaned["kawasan"] or None,
                        "lokasi_areal": cleaned["lokasi_areal"] or None,
                    },
                    luas_dinyatakan=cleaned["luas_dinyatakan"],
                )
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                form_errors_from(form, exc)
                status = exc.status
            else:
                return _after_save(request, ctx, _("Data areal tersimpan."))
        else:
            status = 400
    return _render_step(request, ctx, {"form": form, "peta": _map_summary(request, application)}, status)


def _plan_rows_from_post(request: PemdaRequest) -> list[dict[str, str]]:
    count = min(
        int(request.POST.get("baris", "0") or 0) if request.POST.get("baris", "").isdigit() else 0, 40
    )
    rows = [{c: request.POST.get(f"{c}_{i}", "") for c in wizard.WORK_COLUMNS} for i in range(count)]
    return wizard.clean_work_plan(rows)


def _step_rencana(request: PemdaRequest, ctx: StepContext) -> HttpResponse:
    application = ctx.application
    data = application.data if isinstance(application.data, dict) else {}
    form = PlanStepForm(
        initial={
            "rencana_kerja": data.get("rencana_kerja", ""),
            "kepada": data.get("kepada") or proposal.DEFAULT_KEPADA,
            "versi": application.version,
        }
    )
    rows = wizard.work_plan_rows(data)
    status = 200
    if request.method == "POST":
        _require_editable(ctx)
        form = PlanStepForm(request.POST)
        rows = _plan_rows_from_post(request)
        if form.is_valid():
            cleaned = form.cleaned_data
            try:
                services_workflow.application_update(
                    actor=request.user,
                    application=application,
                    expected_version=_version(request.POST.get("versi")),
                    data={
                        "rencana_kerja": cleaned["rencana_kerja"] or None,
                        "kepada": cleaned["kepada"] or None,
                        "rencana_kegiatan": rows or None,
                    },
                )
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                form_errors_from(form, exc)
                status = exc.status
            else:
                return _after_save(request, ctx, _("Rencana kerja tersimpan."))
        else:
            status = 400
    blank = dict.fromkeys(wizard.WORK_COLUMNS, "")
    shown = [*rows, *[dict(blank) for _i in range(max(3, 6 - len(rows)))]][: wizard.MAX_WORK_ROWS]
    return _render_step(
        request,
        ctx,
        {"form": form, "rows": [{"i": i, **r} for i, r in enumerate(shown)], "baris": len(shown)},
        status,
    )


def _documents_view(request: PemdaRequest, ctx: StepContext) -> list[dict[str, Any]]:
    application = ctx.application
    uploaded: dict[str, list[ApplicationDocument]] = {}
    for document in ApplicationDocument.objects.filter(permohonan=application).order_by("diunggah", "pk"):
        uploaded.setdefault(document.kode_dokumen, []).append(document)
    has_map = AreaMap.objects.filter(permohonan=application).exists()
    requirements = (
        ctx.definition.stage(ctx.definition.awal).dokumen
        if ctx.definition.has_stage(ctx.definition.awal)
        else ()
    )
    if ctx.stage is not None and ctx.stage.kode != ctx.definition.awal:
        requirements = (*requirements, *[d for d in ctx.stage.dokumen if d not in requirements])
    kode = request.pemda.kode
    rows = []
    for doc in requirements:
        files = uploaded.get(doc.kode, [])
        rows.append(
            {
                "doc": doc,
                "files": [
                    {
                        "document": f,
                        "url": reverse(
                            "permits:document_download", kwargs={"kode": kode, "app_document_id": f.pk}
                        ),
                        "ukuran": format_angka(max(Decimal(1), Decimal(f.ukuran) / 1024), 0),
                    }
                    for f in files
                ],
                "ada": bool(files) or (doc.jenis == "peta" and has_map),
                "peta": doc.jenis == "peta",
                "map_url": _map_upload_url(request, application) if doc.jenis == "peta" else "",
            }
        )
    return rows


def _step_dokumen(request: PemdaRequest, ctx: StepContext) -> HttpResponse:
    application = ctx.application
    status = 200
    upload_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        aksi = request.POST.get("aksi")
        if aksi == "hapus":
            document = services_apply.document_of(application, request.POST.get("document_id"))
            services_apply.document_remove(actor=request.user, document=document)
            messages.success(request, _("Berkas {nama} dihapus.").format(nama=document.nama_berkas))
            return redirect(_wizard_url(request.pemda.kode, application.pk, ctx.step.kode))
        form = UploadForm(request.POST, request.FILES)
        kode_dokumen = request.POST.get("kode_dokumen", "")[:40]
        if form.is_valid() and form.cleaned_data.get("berkas"):
            try:
                document = services_apply.document_add(
                    actor=request.user,
                    application=application,
                    kode_dokumen=form.cleaned_data["kode_dokumen"],
                    upload=form.cleaned_data["berkas"],
                )
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                upload_errors[kode_dokumen] = [str(e.get("pesan") or exc.message) for e in exc.errors] or [
                    exc.message
                ]
                if exc.message not in upload_errors[kode_dokumen]:
                    upload_errors[kode_dokumen].insert(0, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Berkas {nama} diunggah.").format(nama=document.nama_berkas))
                return redirect(
                    _wizard_url(request.pemda.kode, application.pk, ctx.step.kode)
                    + f"#dok-{document.kode_dokumen}"
                )
        else:
            upload_errors[kode_dokumen] = [_("Pilih berkas (PDF, JPG atau PNG) dulu.")]
            status = 400
    rows = _documents_view(request, ctx)
    for row in rows:
        row["errors"] = upload_errors.get(row["doc"].kode, [])
    return _render_step(request, ctx, {"documents": rows, "accept": ACCEPT_DOCUMENTS}, status)


def _submit_transition(request: PemdaRequest, application: Application) -> Any:
    """The transition that submits the application for this user: the first with "kelengkapan"."""
    moves = services_workflow.transitions_for(application, request.scope, request.user)
    return next((t for t in moves if "kelengkapan" in t.syarat), None)


def _events(application: Application, ctx: StepContext) -> list[dict[str, Any]]:
    """The stage history with stage names instead of codes."""
    names = {s.kode: s.nama for s in ctx.definition.stages}
    labels = {t.aksi: t.label for t in ctx.definition.transitions}
    labels.setdefault("buat", _("Permohonan dibuat"))
    return [
        {"pada": e.pada, "aksi": labels.get(e.aksi, e.aksi), "ke": names.get(e.ke, e.ke)}
        for e in application.riwayat.all().order_by("pada", "pk")[:50]
    ]


def _step_periksa(request: PemdaRequest, ctx: StepContext) -> HttpResponse:
    application = ctx.application
    status = 200
    submit_errors: list[str] = []
    if request.method == "POST" and request.POST.get("aksi") == "ajukan":
        move = _submit_transition(request, application)
        if move is None:
            raise PermissionDeniedError(_("Anda tidak dapat mengajukan permohonan ini pada tahap sekarang."))
        try:
            services_workflow.transition(
                actor=request.user,
                application=application,
                expected_version=_version(request.POST.get("versi")),
                aksi=move.aksi,
                scope=request.scope,
            )
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            submit_errors = [exc.message]
            status = exc.status
            application.refresh_from_db()
            ctx = StepContext(request, application, ctx.step)
        else:
            messages.success(
                request,
                _("Permohonan diajukan. Simpan kode lacak {kode} untuk melihat perkembangannya.").format(
                    kode=application.kode_lacak
                ),
            )
            return redirect(_wizard_url(request.pemda.kode, application.pk, ctx.step.kode))
    elif request.method == "POST":
        raise ApplicationError(_("Tindakan tidak dikenal."))
    kode = request.pemda.kode
    items = [
        {
            "item": item,
            "url": _wizard_url(kode, application.pk, ctx.item_step(item.kode)),
        }
        for item in ctx.checklist.items
    ]
    move = _submit_transition(request, application)
    extra = {
        "items": items,
        "submit": move,
        "submit_errors": submit_errors,
        "nib_url": reverse(
            "permits:business_nib_pdf", kwargs={"kode": kode, "business_id": application.usaha_id}
        )
        if application.usaha_id
        else "",
        "events": _events(application, ctx),
    }
    return _render_step(request, ctx, extra, status)


def _business_initial(request: PemdaRequest, business: MicroBusiness) -> dict[str, Any]:
    return {
        "nama_usaha": business.nama_usaha,
        "pemilik": business.pemilik,
        "nik": business.nik if selectors_apply.sees_personal_data(request.scope) else "",
        "jenis_kelamin": business.jenis_kelamin,
        "telepon": business.telepon if selectors_apply.sees_personal_data(request.scope) else "",
        "kbli": business.kbli,
        "lokasi": business.lokasi_id or "",
        "alamat": business.alamat,
        "pasar": business.pasar,
        "modal": format_angka(business.modal, 0).replace(".", "") if business.modal is not None else "",
        "version": business.version,
    }


def _business_input(business: MicroBusiness, changes: dict[str, Any]) -> services_apply.BusinessInput:
    values: dict[str, Any] = {
        "nama_usaha": business.nama_usaha,
        "pemilik": business.pemilik,
        "nik": "",  # blank keeps the stored number (see services_apply._clean_business)
        "telepon": "",
        "jenis_kelamin": business.jenis_kelamin,
        "kbli": business.kbli,
        "lokasi_kode": business.lokasi_id or "",
        "alamat": business.alamat,
        "pasar": business.pasar,
        "modal": business.modal,
    }
    values.update(changes)
    return services_apply.BusinessInput(**values)


def _save_business_step(
    request: PemdaRequest, ctx: StepContext, form: forms.Form, changes: dict[str, Any], data: dict[str, Any]
) -> HttpResponse | None:
    """Save a NIB step: the business record, then the wizard answers; None when it failed (errors on form)."""
    business = ctx.application.usaha
    assert business is not None
    try:
        services_apply.business_update(
            actor=request.user,
            business=business,
            expected_version=_version(request.POST.get("versi_usaha")),
            data=_business_input(business, changes),
        )
        if data:
            services_workflow.application_update(
                actor=request.user,
                application=ctx.application,
                expected_version=_version(request.POST.get("versi")),
                data=data,
            )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        form_errors_from(form, exc)
        form.status = exc.status  # type: ignore[attr-defined]
        return None
    return _after_save(request, ctx, _("Tersimpan."))


def _step_usaha(request: PemdaRequest, ctx: StepContext) -> HttpResponse:
    business = ctx.application.usaha
    if business is None:
        raise NotFoundError(_("Permohonan ini tidak punya usaha mikro."))
    data = ctx.application.data if isinstance(ctx.application.data, dict) else {}
    initial = {
        **_business_initial(request, business),
        "akun_oss": data.get("akun_oss", ""),
        "versi": ctx.application.version,
        "versi_usaha": business.version,
    }
    form = UsahaStepForm(initial=initial)
    status = 200
    if request.method == "POST":
        _require_editable(ctx)
        form = UsahaStepForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            done = _save_business_step(
                request,
                ctx,
                form,
                {
                    "nama_usaha": c["nama_usaha"],
                    "pemilik": c["pemilik"],
                    "nik": c["nik"],
                    "telepon": c["telepon"],
                    "jenis_kelamin": c["jenis_kelamin"] or business.jenis_kelamin,
                },
                {"akun_oss": c["akun_oss"] or None},
            )
            if done is not None:
                return done
            status = getattr(form, "status", 400)
        else:
            status = 400
    extra = {
        "form": form,
        "nik_tersimpan": _nik_shown(request, business.nik),
        "telepon_tersimpan": _phone_shown(request, business.telepon),
        "officer": selectors_apply.sees_personal_data(request.scope),
    }
    return _render_step(request, ctx, extra, status)


def _step_kbli(request: PemdaRequest, ctx: StepContext) -> HttpResponse:
    business = ctx.application.usaha
    if business is None:
        raise NotFoundError(_("Permohonan ini tidak punya usaha mikro."))
    data = ctx.application.data if isinstance(ctx.application.data, dict) else {}
    q = _q(request) or str(data.get("uraian_usaha") or "")
    form = KbliStepForm(
        initial={
            "uraian_usaha": q,
            "kbli": business.kbli,
            "versi": ctx.application.version,
            "versi_usaha": business.version,
        }
    )
    status = 200
    if request.method == "POST":
        _require_editable(ctx)
        form = KbliStepForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            chosen = request.POST.get("pilih_kbli") or c["kbli"] or business.kbli
            done = _save_business_step(
                request, ctx, form, {"kbli": chosen}, {"uraian_usaha": c["uraian_usaha"] or None}
            )
            if done is not None:
                return done
            status = getattr(form, "status", 400)
            q = c["uraian_usaha"]
        else:
            status = 400
    results = kbli.kbli_search(q, limit=8) if q else []
    extra = {
        "form": form,
        "q": q,
        "results": results,
        "chosen": business.kbli,
        "chosen_title": kbli.kbli_title(business.kbli),
    }
    return _render_step(request, ctx, extra, status)


def _step_lokasi(request: PemdaRequest, ctx: StepContext) -> HttpResponse:
    business = ctx.application.usaha
    if business is None:
        raise NotFoundError(_("Permohonan ini tidak punya usaha mikro."))
    villages = _villages(request)
    initial = {
        **_business_initial(request, business),
        "versi": ctx.application.version,
        "versi_usaha": business.version,
    }
    form = LocationStepForm(initial=initial, villages=villages, pemda=request.pemda)
    status = 200
    if request.method == "POST":
        _require_editable(ctx)
        form = LocationStepForm(request.POST, villages=villages, pemda=request.pemda)
        if form.is_valid():
            c = form.cleaned_data
            done = _save_business_step(
                request,
                ctx,
                form,
                {"lokasi_kode": c["lokasi"], "alamat": c["alamat"], "pasar": c["pasar"], "modal": c["modal"]},
                {},
            )
            if done is not None:
                return done
            status = getattr(form, "status", 400)
        else:
            status = 400
    limit = ctx.definition.syarat.get("modal_maks")
    extra = {
        "form": form,
        "modal_maks": format_rupiah(limit) if isinstance(limit, int) else "",
        "modal_lebih": isinstance(limit, int) and business.modal is not None and business.modal > limit,
    }
    return _render_step(request, ctx, extra, status)


def _step_pernyataan(request: PemdaRequest, ctx: StepContext) -> HttpResponse:
    application = ctx.application
    data = application.data if isinstance(application.data, dict) else {}
    statements = proposal.nib_statements()
    checked = [bool(data.get("pernyataan_mandiri"))] * len(statements)
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        _require_editable(ctx)
        checked = [request.POST.get(f"pernyataan_{i}") == "ya" for i in range(len(statements))]
        agreed = all(checked)
        if not agreed and any(checked):
            errors.append(_("Centang semua pernyataan bila Anda sanggup memenuhinya."))
        try:
            services_workflow.application_update(
                actor=request.user,
                application=application,
                expected_version=_version(request.POST.get("versi")),
                data={"pernyataan_mandiri": True if agreed else None},
            )
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            errors.append(exc.message)
            status = exc.status
        else:
            if not errors:
                return _after_save(request, ctx, _("Pernyataan tersimpan."))
            status = 400
    extra = {
        "statements": [
            {"i": i, "teks": s, "checked": c}
            for i, (s, c) in enumerate(zip(statements, checked, strict=True))
        ],
        "errors": errors,
    }
    return _render_step(request, ctx, extra, status)


STEP_HANDLERS: dict[str, Callable[[PemdaRequest, StepContext], HttpResponse]] = {
    "kelompok": _step_kelompok,
    "areal": _step_areal,
    "rencana": _step_rencana,
    "usaha": _step_usaha,
    "kbli": _step_kbli,
    "lokasi": _step_lokasi,
    "pernyataan": _step_pernyataan,
    wizard.DOKUMEN: _step_dokumen,
    wizard.PERIKSA: _step_periksa,
}


# --- drafts ----------------------------------------------------------------------------------------


def _latest_application(business: MicroBusiness) -> Application | None:
    return selectors_apply.applications_of_business(business).first()


def _draft(request: PemdaRequest, application: Application, fmt: str) -> HttpResponse:
    show = selectors_apply.sees_personal_data(request.scope)
    if application.usaha_id and application.usaha is not None:
        sheet = proposal.nib_data(application.usaha, application, show_nik=show)
        if fmt == "pdf":
            return _attachment(proposal.nib_pdf(sheet), proposal.PDF_TYPE, f"{sheet.filename}.pdf")
        return _attachment(proposal.nib_docx(sheet), proposal.DOCX_TYPE, f"{sheet.filename}.docx")
    data = proposal.proposal_data(application, show_nik=show)
    if fmt == "pdf":
        return _attachment(proposal.proposal_pdf(data), proposal.PDF_TYPE, f"{data.filename}.pdf")
    return _attachment(proposal.proposal_docx(data), proposal.DOCX_TYPE, f"{data.filename}.docx")


@pemda_view("permit.apply")
@require_GET
def proposal_docx(request: PemdaRequest, application_id: int) -> HttpResponse:
    return _draft(request, selectors_apply.get_application(request, application_id), "docx")


@pemda_view("permit.apply")
@require_GET
def proposal_pdf(request: PemdaRequest, application_id: int) -> HttpResponse:
    return _draft(request, selectors_apply.get_application(request, application_id), "pdf")


@pemda_view("permit.apply")
@require_GET
def business_nib_pdf(request: PemdaRequest, business_id: int) -> HttpResponse:
    business = selectors_apply.get_business(request, business_id)
    sheet = proposal.nib_data(
        business, _latest_application(business), show_nik=selectors_apply.sees_personal_data(request.scope)
    )
    return _attachment(proposal.nib_pdf(sheet), proposal.PDF_TYPE, f"{sheet.filename}.pdf")


@pemda_view("permit.apply")
@require_GET
def business_nib_docx(request: PemdaRequest, business_id: int) -> HttpResponse:
    business = selectors_apply.get_business(request, business_id)
    sheet = proposal.nib_data(
        business, _latest_application(business), show_nik=selectors_apply.sees_personal_data(request.scope)
    )
    return _attachment(proposal.nib_docx(sheet), proposal.DOCX_TYPE, f"{sheet.filename}.docx")


@pemda_view("permit.apply")
@require_GET
def document_download(request: PemdaRequest, app_document_id: int) -> HttpResponse:
    document = (
        ApplicationDocument.objects.filter(pemda=request.pemda, pk=app_document_id)
        .select_related("permohonan")
        .first()
    )
    if document is None:
        raise NotFoundError(_("Dokumen tidak ditemukan."))
    # Visible only with the application it belongs to (another's: 404).
    selectors_apply.get_application(request, document.permohonan_id)
    try:
        handle = document.berkas.open("rb")
    except FileNotFoundError as exc:
        raise NotFoundError(_("Berkas dokumen tidak ada lagi di penyimpanan.")) from exc
    suffix = Path(document.berkas.name or "").suffix.lower()
    content_type = {".pdf": "application/pdf", ".png": "image/png"}.get(suffix, "image/jpeg")
    response = FileResponse(
        handle, content_type=content_type, as_attachment=True, filename=document.nama_berkas
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a streaming response, served like any other


# --- farmer groups ---------------------------------------------------------------------------------


GROUP_HEADERS = [
    "Nama kelompok",
    "Kode desa",
    "Desa",
    "Ketua",
    "Anggota",
    "Perempuan",
    "Luas (ha)",
    "NIK ganda",
]


@pemda_view("permit.apply")
@require_http_methods(["GET", "POST"])
def group_list(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    villages = _villages(request)
    form = GroupForm(villages=villages, pemda=pemda)
    status = 200
    if request.method == "POST":
        form = GroupForm(request.POST, villages=villages, pemda=pemda)
        if form.is_valid():
            try:
                group = services_apply.group_create(actor=request.user, pemda=pemda, data=_group_input(form))
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                form_errors_from(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("Kelompok {nama} dibuat. Tambahkan anggotanya.").format(nama=group.nama)
                )
                return redirect("permits:group_detail", kode=pemda.kode, group_id=group.pk)
        else:
            status = 400
    q = _q(request)
    groups = selectors_apply.visible_groups(request.scope, request.user, pemda).select_related("desa")
    if q:
        groups = groups.filter(Q(nama__icontains=q) | Q(desa__nama__icontains=q) | Q(ketua__icontains=q))
    groups = services_apply.groups_with_member_counts(groups).order_by("nama", "pk")
    if request.GET.get("format") == "xlsx":
        counts = services_apply.duplicate_counts(pemda, [g.pk for g in groups])
        rows = [
            [
                g.nama,
                g.desa_id,
                g.desa.nama if g.desa else "",
                g.ketua,
                getattr(g, "jumlah_anggota", 0),
                getattr(g, "jumlah_perempuan", 0),
                g.luas_dinyatakan,
                counts.get(g.pk, 0),
            ]
            for g in groups
        ]
        return xlsx_response(f"kelompok-tani-{pemda.kode}.xlsx", "Kelompok tani", GROUP_HEADERS, rows)
    page = paginate(request, groups)
    counts = services_apply.duplicate_counts(pemda, [g.pk for g in page.object_list])
    context = {
        "pemda": pemda,
        "page": page,
        "rows": [{"group": g, "ganda": counts.get(g.pk, 0)} for g in page.object_list],
        "form": form,
        "q": q,
        "query": query_without_page(request),
        "export_query": urlencode({"q": q, "format": "xlsx"}),
    }
    return render(request, "permits/group_list.html", context, status=status)


MEMBER_HEADERS = ["Nama", "NIK", "Jenis kelamin", "Peran", "Telepon"]


@pemda_view("permit.apply")
@require_http_methods(["GET", "POST"])
def group_detail(request: PemdaRequest, group_id: int) -> HttpResponse:
    pemda = request.pemda
    group = selectors_apply.get_group(request, group_id)
    villages = _villages(request)
    form = GroupForm(initial=_group_form_initial(group), villages=villages, pemda=pemda)
    member_form = MemberForm(prefix="anggota")
    status = 200
    if request.method == "POST":
        aksi = request.POST.get("aksi")
        try:
            if aksi == "hapus":
                services_apply.group_delete(
                    actor=request.user, group=group, expected_version=_version(request.POST.get("version"))
                )
                messages.success(request, _("Kelompok {nama} dihapus.").format(nama=group.nama))
                return redirect("permits:group_list", kode=pemda.kode)
            if aksi == "tambah_anggota":
                member_form = MemberForm(request.POST, prefix="anggota")
                if member_form.is_valid():
                    member = services_apply.member_add(
                        actor=request.user, group=group, data=_member_input(member_form)
                    )
                    messages.success(request, _("Anggota {nama} ditambahkan.").format(nama=member.nama))
                    return redirect(
                        reverse("permits:group_detail", kwargs={"kode": pemda.kode, "group_id": group.pk})
                        + "#anggota"
                    )
                status = 400
            else:
                form = GroupForm(request.POST, villages=villages, pemda=pemda)
                if form.is_valid():
                    services_apply.group_update(
                        actor=request.user,
                        group=group,
                        expected_version=_version(request.POST.get("version")),
                        data=_group_input(form),
                    )
                    messages.success(request, _("Data kelompok tersimpan."))
                    return redirect("permits:group_detail", kode=pemda.kode, group_id=group.pk)
                status = 400
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            form_errors_from(member_form if aksi == "tambah_anggota" else form, exc)
            status = exc.status
    members = GroupMember.objects.filter(kelompok=group).order_by("pk")
    if request.GET.get("format") == "xlsx":
        rows = [
            [m.nama, _nik_shown(request, m.nik), m.jenis_kelamin, m.peran, _phone_shown(request, m.telepon)]
            for m in members
        ]
        return xlsx_response(f"anggota-{group.pk}.xlsx", "Anggota kelompok", MEMBER_HEADERS, rows)
    page = paginate(request, members)
    applications = [
        {
            "application": a,
            "tahap": _stage_name(a),
            "url": _wizard_url(pemda.kode, a.pk, wizard.PERIKSA),
        }
        for a in selectors_apply.applications_of_group(group)
        if access.visible_applications(request.scope, request.user, pemda).filter(pk=a.pk).exists()
    ]
    context = {
        "pemda": pemda,
        "group": group,
        "form": form,
        "member_form": member_form,
        "page": page,
        "members": _member_rows(request, group, list(page.object_list)),
        "jumlah_anggota": members.count(),
        "applications": applications,
        "query": query_without_page(request),
        "officer": selectors_apply.sees_personal_data(request.scope),
    }
    return render(request, "permits/group_detail.html", context, status=status)


@pemda_view("permit.apply")
@require_http_methods(["GET", "POST"])
def member_edit(request: PemdaRequest, member_id: int) -> HttpResponse:
    pemda = request.pemda
    member = selectors_apply.get_member(request, member_id)
    group = member.kelompok
    fallback = reverse("permits:group_detail", kwargs={"kode": pemda.kode, "group_id": group.pk})
    back = _safe_back(request, fallback)
    officer = selectors_apply.sees_personal_data(request.scope)
    form = MemberForm(
        initial={
            "nama": member.nama,
            "nik": member.nik if officer else "",
            "jenis_kelamin": member.jenis_kelamin,
            "peran": member.peran,
            "telepon": member.telepon if officer else "",
        }
    )
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("aksi") == "hapus":
                services_apply.member_remove(actor=request.user, member=member)
                messages.success(request, _("Anggota {nama} dihapus dari kelompok.").format(nama=member.nama))
                return redirect(back)
            form = MemberForm(request.POST)
            if form.is_valid():
                data = _member_input(form)
                if not officer and not form.cleaned_data.get("telepon"):
                    data = services_apply.MemberInput(**{**data.__dict__, "telepon": member.telepon})
                services_apply.member_update(actor=request.user, member=member, data=data)
                messages.success(request, _("Data anggota {nama} tersimpan.").format(nama=member.nama))
                return redirect(back)
            status = 400
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            form_errors_from(form, exc)
            status = exc.status
    duplicates = services_apply.duplicate_members(pemda, [member]).get(member.pk, [])
    context = {
        "pemda": pemda,
        "group": group,
        "member": member,
        "form": form,
        "nik_tersimpan": _nik_shown(request, member.nik),
        "telepon_tersimpan": _phone_shown(request, member.telepon),
        "officer": officer,
        "ganda": duplicates,
        "back": back,
    }
    return render(request, "permits/group_member.html", context, status=status)


# --- imports ---------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    berkas = forms.FileField(required=False)


def _columns(spec: ImportSpec) -> list[dict[str, Any]]:
    return [{"label": c.label, "required": c.required, "note": c.note or c.parser.hint} for c in spec.columns]


def _upload_dir(request: PemdaRequest, kind: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "impor" / request.pemda.kode / f"izin-{kind}-{request.user.pk}"


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
    upload = request.FILES.get("berkas")
    if isinstance(upload, UploadedFile):
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            form.add_error("berkas", _("Berkas harus berformat .xlsx atau .csv."))
            return render(request, template, context, status=400)
        folder.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex + suffix
        with open(folder / token, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
    safe = bool(token) and "/" not in token and "\\" not in token and ".." not in token and len(token) <= 64
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


@pemda_view("permit.apply")
@require_http_methods(["GET", "POST"])
def member_import(request: PemdaRequest, group_id: int) -> HttpResponse:
    group = selectors_apply.get_group(request, group_id)
    done = reverse("permits:group_detail", kwargs={"kode": request.pemda.kode, "group_id": group.pk})
    back = _safe_back(request, "")

    def run(path: Path, dry_run: bool) -> ImportResult:
        return applicants_io.member_import_run(actor=request.user, group=group, path=path, dry_run=dry_run)

    return _import_page(
        request,
        kind=f"anggota-{group.pk}",
        template="permits/group_import.html",
        context={"group": group, "columns": _columns(applicants_io.MEMBER_SPEC), "back": back},
        run=run,
        done_url=back or done,
    )


@pemda_view("permit.apply")
@require_GET
def member_import_template(request: PemdaRequest) -> HttpResponse:
    return _attachment(applicants_io.member_template_bytes(), XLSX_TYPE, "templat-anggota-kelompok.xlsx")


# --- micro businesses ------------------------------------------------------------------------------


BUSINESS_HEADERS = [
    "Nama usaha",
    "Pemilik",
    "NIK",
    "Jenis kelamin",
    "Telepon",
    "KBLI",
    "Kode wilayah",
    "Alamat",
    "Pasar",
    "Modal (Rp)",
]


def _business_input_from(form: forms.Form) -> services_apply.BusinessInput:
    c = form.cleaned_data
    return services_apply.BusinessInput(
        nama_usaha=c["nama_usaha"],
        pemilik=c["pemilik"],
        nik=c.get("nik", ""),
        telepon=c.get("telepon", ""),
        jenis_kelamin=c.get("jenis_kelamin", ""),
        kbli=c.get("kbli", ""),
        lokasi_kode=c.get("lokasi", ""),
        alamat=c.get("alamat", ""),
        pasar=c.get("pasar", ""),
        modal=c.get("modal"),
    )


@pemda_view("permit.apply")
@require_http_methods(["GET", "POST"])
def business_list(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    villages = _villages(request)
    form = BusinessForm(villages=villages, pemda=pemda)
    status = 200
    if request.method == "POST":
        form = BusinessForm(request.POST, villages=villages, pemda=pemda)
        if form.is_valid():
            try:
                business = services_apply.business_create(
                    actor=request.user, pemda=pemda, data=_business_input_from(form)
                )
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                form_errors_from(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Usaha {nama} dibuat.").format(nama=business.nama_usaha))
                return redirect("permits:business_detail", kode=pemda.kode, business_id=business.pk)
        else:
            status = 400
    q = _q(request)
    businesses = selectors_apply.visible_businesses(request.scope, request.user, pemda).select_related(
        "lokasi"
    )
    if q:
        businesses = businesses.filter(
            Q(nama_usaha__icontains=q) | Q(pemilik__icontains=q) | Q(pasar__icontains=q)
        )
    businesses = businesses.order_by("nama_usaha", "pk")
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                b.nama_usaha,
                b.pemilik,
                _nik_shown(request, b.nik),
                b.jenis_kelamin,
                _phone_shown(request, b.telepon),
                b.kbli,
                b.lokasi_id or "",
                b.alamat,
                b.pasar,
                b.modal,
            ]
            for b in businesses
        ]
        return xlsx_response(f"usaha-mikro-{pemda.kode}.xlsx", "Usaha mikro", BUSINESS_HEADERS, rows)
    page = paginate(request, businesses)
    context = {
        "pemda": pemda,
        "page": page,
        "rows": [
            {
                "business": b,
                "modal": format_rupiah(b.modal) if b.modal is not None else "—",
                "lokasi": b.lokasi.nama if b.lokasi_id and b.lokasi else "—",
                "nib_url": reverse(
                    "permits:business_nib_pdf", kwargs={"kode": pemda.kode, "business_id": b.pk}
                ),
            }
            for b in page.object_list
        ],
        "form": form,
        "q": q,
        "query": query_without_page(request),
        "export_query": urlencode({"q": q, "format": "xlsx"}),
    }
    return render(request, "permits/business_list.html", context, status=status)


@pemda_view("permit.apply")
@require_http_methods(["GET", "POST"])
def business_detail(request: PemdaRequest, business_id: int) -> HttpResponse:
    pemda = request.pemda
    business = selectors_apply.get_business(request, business_id)
    villages = _villages(request)
    form = BusinessForm(initial=_business_initial(request, business), villages=villages, pemda=pemda)
    status = 200
    if request.method == "POST":
        form = BusinessForm(request.POST, villages=villages, pemda=pemda)
        if form.is_valid():
            try:
                services_apply.business_update(
                    actor=request.user,
                    business=business,
                    expected_version=_version(request.POST.get("version")),
                    data=_business_input_from(form),
                )
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                form_errors_from(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Data usaha tersimpan."))
                return redirect("permits:business_detail", kode=pemda.kode, business_id=business.pk)
        else:
            status = 400
    visible = access.visible_applications(request.scope, request.user, pemda)
    applications = [
        {"application": a, "tahap": _stage_name(a), "url": _wizard_url(pemda.kode, a.pk, wizard.PERIKSA)}
        for a in selectors_apply.applications_of_business(business).filter(pk__in=visible.values("pk"))
    ]
    context = {
        "pemda": pemda,
        "business": business,
        "form": form,
        "nik_tersimpan": _nik_shown(request, business.nik),
        "telepon_tersimpan": _phone_shown(request, business.telepon),
        "officer": selectors_apply.sees_personal_data(request.scope),
        "kbli_judul": kbli.kbli_title(business.kbli),
        "applications": applications,
        "nib_pdf": reverse(
            "permits:business_nib_pdf", kwargs={"kode": pemda.kode, "business_id": business.pk}
        ),
        "nib_docx": reverse(
            "permits:business_nib_docx", kwargs={"kode": pemda.kode, "business_id": business.pk}
        ),
    }
    return render(request, "permits/business_detail.html", context, status=status)


@pemda_view("permit.apply")
@require_http_methods(["GET", "POST"])
def business_import(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda

    def run(path: Path, dry_run: bool) -> ImportResult:
        return applicants_io.business_import_run(
            actor=request.user, pemda=pemda, scope=request.scope, path=path, dry_run=dry_run
        )

    return _import_page(
        request,
        kind="usaha",
        template="permits/business_import.html",
        context={"columns": _columns(applicants_io.BUSINESS_SPEC)},
        run=run,
        done_url=reverse("permits:business_list", kwargs={"kode": pemda.kode}),
    )


@pemda_view("permit.apply")
@require_GET
def business_import_template(request: PemdaRequest) -> HttpResponse:
    return _attachment(applicants_io.business_template_bytes(), XLSX_TYPE, "templat-usaha-mikro.xlsx")
