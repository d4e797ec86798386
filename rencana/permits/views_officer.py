"""Officer pages of the permits module: the dashboard with queues per stage and service-level clocks
(filters, pagination, XLSX export), the application detail (history, documents, checklist, map check),
and the officer actions (verify, return for correction, schedule the field verification, recommend,
approve or reject, assign a facilitator). Thin: rules live in `services_workflow` and the type's data.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.dates import parse_tanggal
from rencana.core.errors import ApplicationError
from rencana.core.exports import xlsx_response
from rencana.core.models import AuditEvent
from rencana.core.pagination import paginate, query_without_page
from rencana.core.roles import ROLE_LABELS, Role
from rencana.permits import access, services_workflow
from rencana.permits.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    AreaMap,
    GroupMember,
    PermitType,
    StageEvent,
)
from rencana.permits.nik import mask_nik
from rencana.permits.types import definition_of_type
from rencana.permits.workflow import PermitDefinition, SlaState, Stage, sla

OPEN_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.PROSES)
MAX_QUERY = 100
EXPORT_LIMIT = 20_000


def role_label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role


class Definitions:
    """Definitions of the permit-type versions met in one request, loaded once each."""

    def __init__(self) -> None:
        self._by_id: dict[int, PermitDefinition | None] = {}

    def of(self, permit_type: PermitType) -> PermitDefinition | None:
        if permit_type.pk not in self._by_id:
            try:
                self._by_id[permit_type.pk] = definition_of_type(permit_type)
            except ApplicationError:
                self._by_id[permit_type.pk] = None
        return self._by_id[permit_type.pk]


@dataclass(frozen=True)
class Filters:
    jenis: str
    tahap: str
    status: str
    terlambat: bool
    q: str

    @classmethod
    def from_request(cls, request: PemdaRequest) -> "Filters":
        get = request.GET
        status = get.get("status", "")
        valid_status = {"", "semua", *ApplicationStatus.values}
        return cls(
            jenis=get.get("jenis", "").strip()[:20],
            tahap=get.get("tahap", "").strip()[:40],
            status=status if status in valid_status else "",
            terlambat=get.get("terlambat") == "1",
            q=" ".join(get.get("q", "").split())[:MAX_QUERY],
        )


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _types_of(pemda_apps: QuerySet[Application]) -> list[PermitType]:
    """Every version used by the pemda's applications plus the active versions."""
    used = set(pemda_apps.values_list("jenis_id", flat=True).distinct())
    return list(PermitType.objects.filter(Q(pk__in=used) | Q(aktif=True)).order_by("kode", "-versi"))


def _overdue_q(types: list[PermitType], definitions: Definitions, today: datetime.date) -> Q:
    """Applications whose current stage's clock ran out: calendar days used > days allowed."""
    condition = Q(pk__in=[])
    for permit_type in types:
        definition = definitions.of(permit_type)
        if definition is None:
            continue
        for stage in definition.stages:
            if stage.sla_hari is None or stage.final:
                continue
            cutoff = _local_midnight(today - datetime.timedelta(days=stage.sla_hari))
            condition |= Q(jenis_id=permit_type.pk, tahap=stage.kode, tahap_sejak__lt=cutoff)
    return condition


@dataclass
class QueueRow:
    kode: str
    nama: str
    sla_hari: int | None
    final: bool
    jumlah: int = 0
    terlambat: int = 0


@dataclass
class Queue:
    jenis: str
    nama: str
    rows: list[QueueRow]

    @property
    def jumlah(self) -> int:
        return sum(r.jumlah for r in self.rows if not r.final)

    @property
    def terlambat(self) -> int:
        return sum(r.terlambat for r in self.rows)


def _queues(
    apps: QuerySet[Application], types: list[PermitType], definitions: Definitions, overdue: Q
) -> list[Queue]:
    counts: dict[tuple[int, str], tuple[int, int]] = {
        (row["jenis_id"], row["tahap"]): (row["n"], row["late"])
        for row in apps.order_by()
        .values("jenis_id", "tahap")
        .annotate(n=Count("id"), late=Count("id", filter=overdue))
    }
    by_kode: dict[str, list[PermitType]] = defaultdict(list)
    for permit_type in types:
        by_kode[permit_type.kode].append(permit_type)
    queues = []
    for kode, versions in by_kode.items():
        newest = versions[0]
        rows: dict[str, QueueRow] = {}
        for permit_type in versions:  # newest first: its stage names and order win
            definition = definitions.of(permit_type)
            stages: tuple[Stage, ...] = definition.stages if definition else ()
            for stage in stages:
                rows.setdefault(stage.kode, QueueRow(stage.kode, stage.nama, stage.sla_hari, stage.final))
            for (jenis_id, tahap), (n, late) in counts.items():
                if jenis_id != permit_type.pk:
                    continue
                row = rows.setdefault(tahap, QueueRow(tahap, tahap, None, False))
                row.jumlah += n
                row.terlambat += late
        queues.append(Queue(jenis=kode, nama=newest.nama, rows=list(rows.values())))
    return queues


def _filtered(apps: QuerySet[Application], filters: Filters, overdue: Q) -> QuerySet[Application]:
    if filters.jenis:
        apps = apps.filter(jenis__kode=filters.jenis)
    if filters.tahap:
        apps = apps.filter(tahap=filters.tahap)
    if filters.status == "":
        apps = apps.filter(status__in=OPEN_STATUSES)
    elif filters.status != "semua":
        apps = apps.filter(status=filters.status)
    if filters.terlambat:
        apps = apps.filter(overdue)
    if filters.q:
        apps = apps.filter(
            Q(kode_lacak__icontains=filters.q)
            | Q(kelompok__nama__icontains=filters.q)
            | Q(usaha__nama_usaha__icontains=filters.q)
            | Q(usaha__pemilik__icontains=filters.q)
        )
    return apps.select_related(
        "jenis", "kelompok", "kelompok__desa", "usaha", "usaha__lokasi", "pendamping"
    ).order_by("tahap_sejak", "pk")


@dataclass(frozen=True)
class ListRow:
    application: Application
    pemohon: str
    wilayah: str
    tahap: str
    clock: SlaState | None

    @property
    def pendamping(self) -> str:
        user = self.application.pendamping
        if user is None:
            return ""
        return user.get_full_name() or user.username


def _list_rows(applications: Any, definitions: Definitions, now: datetime.datetime) -> list[ListRow]:
    rows = []
    tz = timezone.get_current_timezone()
    for application in applications:
        definition = definitions.of(application.jenis)
        stage = (
            definition.stage(application.tahap)
            if definition and definition.has_stage(application.tahap)
            else None
        )
        if application.kelompok is not None:
            pemohon = application.kelompok.nama
            wilayah = application.kelompok.desa.nama if application.kelompok.desa else ""
        elif application.usaha is not None:
            pemohon = application.usaha.nama_usaha
            wilayah = application.usaha.lokasi.nama if application.usaha.lokasi else application.usaha.pasar
        else:
            pemohon, wilayah = "", ""
        rows.append(
            ListRow(
                application=application,
                pemohon=pemohon,
                wilayah=wilayah,
                tahap=stage.nama if stage else application.tahap,
                clock=sla(stage, application.tahap_sejak, now, tz=tz) if stage else None,
            )
        )
    return rows


def _export(rows: list[ListRow]) -> HttpResponse:
    headers = [
        _("Kode lacak"),
        _("Jenis izin"),
        _("Pemohon"),
        _("Desa/lokasi"),
        _("Tahap"),
        _("Status"),
        _("Di tahap sejak"),
        _("Hari terpakai"),
        _("Hari diizinkan"),
        _("Terlambat"),
        _("Pendamping"),
    ]
    data = [
        [
            r.application.kode_lacak,
            r.application.jenis.nama,
            r.pemohon,
            r.wilayah,
            r.tahap,
            r.application.get_status_display(),
            timezone.localtime(r.application.tahap_sejak),
            r.clock.hari_terpakai if r.clock else None,
            r.clock.hari_diizinkan if r.clock else None,
            _("ya") if r.clock and r.clock.terlambat else _("tidak"),
            r.pendamping,
        ]
        for r in rows
    ]
    return xlsx_response("permohonan-izin.xlsx", _("Permohonan izin"), headers, data)


@pemda_view("permit.view")
@require_GET
def home(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    filters = Filters.from_request(request)
    apps = access.visible_applications(request.scope, request.user, pemda)
    definitions = Definitions()
    types = _types_of(apps)
    now = timezone.now()
    overdue = _overdue_q(types, definitions, timezone.localdate())
    listed = _filtered(apps, filters, overdue)
    if request.GET.get("format") == "xlsx":
        return _export(_list_rows(listed[:EXPORT_LIMIT], definitions, now))
    page = paginate(request, listed)
    context = {
        "pemda": pemda,
        "filters": filters,
        "queues": _queues(apps, types, definitions, overdue),
        "page": page,
        "rows": _list_rows(page.object_list, definitions, now),
        "query": query_without_page(request),
        "type_choices": sorted({(t.kode, t.nama) for t in types if t.aktif}),
        "status_choices": [
            ("", _("Belum selesai (draf dan diproses)")),
            *ApplicationStatus.choices,
            ("semua", _("Semua")),
        ],
        "export_query": _export_query(request),
        "can_configure": request.scope.has("permit.configure"),
    }
    return render(request, "permits/officer_home.html", context)


def _export_query(request: PemdaRequest) -> str:
    params = request.GET.copy()
    params.pop("halaman", None)
    params["format"] = "xlsx"
    return params.urlencode()


# --------------------------------------------------------------------------------------------------
# Application detail and actions


def _detail_url(application: Application) -> str:
    return reverse(
        "permits:officer_application",
        kwargs={"kode": application.pemda.kode, "application_id": application.pk},
    )


def _answers(application: Application, definition: PermitDefinition | None) -> list[tuple[str, Any]]:
    data = application.data if isinstance(application.data, dict) else {}
    rows: list[tuple[str, Any]] = []
    shown: set[str] = set()
    if definition is not None:
        for kode in definition.isian_wajib:
            value = services_workflow.field_value(application, kode)
            if kode == "nik":
                continue  # shown with the applicant, masked for readers without permit.process
            rows.append((definition.label_isian(kode), value))
            shown.add(kode)
    for key, value in sorted(data.items()):
        if key not in shown and key != "nik":
            rows.append((definition.label_isian(key) if definition else key, value))
    return rows


def _history(application: Application, definition: PermitDefinition | None) -> list[dict[str, Any]]:
    def name(kode: str) -> str:
        if definition is not None and definition.has_stage(kode):
            return definition.stage(kode).nama
        return kode

    events = [
        {
            "pada": e.pada,
            "oleh": e.oleh,
            "judul": name(e.ke) if not e.dari else f"{name(e.dari)} → {name(e.ke)}",
            "aksi": e.aksi,
            "alasan": e.alasan,
        }
        for e in StageEvent.objects.filter(permohonan=application)
        .select_related("oleh")
        .order_by("pada", "pk")
    ]
    labels = {
        "assign_facilitator": _("Pendamping ditetapkan"),
        "schedule_field_verification": _("Verifikasi lapangan dijadwalkan"),
        "update": _("Isian diperbarui"),
    }
    audits = AuditEvent.objects.filter(
        object_type=Application._meta.label_lower, object_id=str(application.pk), action__in=list(labels)
    ).select_related("actor")
    for a in audits:
        events.append(
            {
                "pada": a.at,
                "oleh": a.actor,
                "judul": labels[a.action],
                "aksi": a.action,
                "alasan": _audit_note(a),
            }
        )
    return sorted(events, key=lambda e: e["pada"])


def _audit_note(event: AuditEvent) -> str:
    after = event.after or {}
    if event.action == "schedule_field_verification":
        return str(after.get("jadwal_verifikasi_lapangan") or "")
    return ""


def _members(application: Application, show_nik: bool) -> list[dict[str, Any]]:
    if application.kelompok_id is None:
        return []
    return [
        {
            "nama": m.nama,
            "nik": m.nik if show_nik else mask_nik(m.nik),
            "jenis_kelamin": m.get_jenis_kelamin_display(),
            "peran": m.get_peran_display(),
        }
        for m in GroupMember.objects.filter(kelompok_id=application.kelompok_id).order_by("pk")
    ]


def _detail_context(request: PemdaRequest, application: Application, **extra: Any) -> dict[str, Any]:
    definition = Definitions().of(application.jenis)
    stage = (
        definition.stage(application.tahap)
        if definition and definition.has_stage(application.tahap)
        else None
    )
    can_process = access.can_process(request.scope)
    docs = list(
        ApplicationDocument.objects.filter(permohonan=application).order_by("kode_dokumen", "-diunggah")
    )
    doc_names = {d.kode: d.nama for d in definition.all_documents()} if definition else {}
    peta = AreaMap.objects.filter(permohonan=application).first()
    transitions = (
        services_workflow.transitions_for(application, request.scope, request.user) if definition else []
    )
    usaha = application.usaha
    return {
        "pemda": request.pemda,
        "application": application,
        "definition": definition,
        "stage": stage,
        "clock": services_workflow.sla_of(application, definition=definition) if definition else None,
        "checklist": services_workflow.checklist(application) if definition else None,
        "answers": _answers(application, definition),
        "members": _members(application, can_process),
        "usaha_nik": (usaha.nik if can_process else mask_nik(usaha.nik)) if usaha is not None else "",
        "documents": [{"doc": d, "nama": doc_names.get(d.kode_dokumen, d.kode_dokumen)} for d in docs],
        "peta": peta,
        "history": _history(application, definition),
        "can_process": can_process,
        "transitions": transitions if can_process else [],
        "facilitators": list(services_workflow.facilitators(request.pemda)) if can_process else [],
        "field_visit": bool(stage and stage.verifikasi_lapangan and can_process),
        "is_final": bool(stage and stage.final),
        "pelaku": [role_label(r) for r in stage.pelaku] if stage else [],
        "today": timezone.localdate(),
        **extra,
    }


@pemda_view("permit.view")
@require_GET
def application_detail(request: PemdaRequest, application_id: int) -> HttpResponse:
    application = access.get_application(request, application_id)
    return render(request, "permits/officer_detail.html", _detail_context(request, application))


def _version(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _facilitator(request: PemdaRequest) -> Any:
    raw = request.POST.get("pendamping", "").strip()
    if not raw:
        return None
    user = (
        services_workflow.facilitators(request.pemda)
        .filter(pk=int(raw) if raw.isdigit() and len(raw) < 10 else 0)
        .first()
    )
    if user is None:
        raise ApplicationError(
            _("Pengguna itu bukan pendamping di pemda ini."),
            errors=[{"kolom": "pendamping", "pesan": _("Pilih pendamping dari daftar.")}],
        )
    return user


def _date(raw: str) -> datetime.date:
    try:
        return parse_tanggal(raw)
    except ValueError as exc:
        message = _("Tanggal verifikasi lapangan tidak sah: tulis mis. 21-11-2026.")
        raise ApplicationError(message, errors=[{"kolom": "tanggal", "pesan": message}]) from exc


@pemda_view("permit.process")
@require_POST
def application_action(request: PemdaRequest, application_id: int) -> HttpResponse:
    """One officer action on an application; a refused one re-renders the page with its reason and status
    (400 bad input, 409 illegal transition or stale version) and changes nothing."""
    application = access.get_application(request, application_id)
    aksi = request.POST.get("aksi", "").strip()[:40]
    version = _version(request.POST.get("version", ""))
    alasan = request.POST.get("alasan", "")
    try:
        if aksi == "pendamping":
            services_workflow.assign_facilitator(
                actor=request.user,
                application=application,
                expected_version=version,  # type: ignore[arg-type]  # None is stale: a 409
                pendamping=_facilitator(request),
                scope=request.scope,
            )
            messages.success(request, _("Pendamping disimpan."))
        elif aksi == "jadwal_lapangan":
            services_workflow.schedule_field_verification(
                actor=request.user,
                application=application,
                expected_version=version,  # type: ignore[arg-type]
                tanggal=_date(request.POST.get("tanggal", "")),
                scope=request.scope,
            )
            messages.success(request, _("Jadwal verifikasi lapangan disimpan."))
        else:
            if not aksi:
                raise ApplicationError(_("Pilih tindakan."))
            moved = services_workflow.transition(
                actor=request.user,
                application=application,
                expected_version=version,  # type: ignore[arg-type]
                aksi=aksi,
                alasan=alasan,
                scope=request.scope,
            )
            definition = services_workflow.definition_of(moved)
            messages.success(
                request,
                _("Permohonan {kode} sekarang di tahap “{tahap}”.").format(
                    kode=moved.kode_lacak, tahap=definition.stage(moved.tahap).nama
                ),
            )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        application.refresh_from_db()
        context = _detail_context(
            request,
            application,
            error=exc.message,
            error_items=exc.errors if exc.code == "belum_lengkap" else [],
            posted={"aksi": aksi, "alasan": alasan[:2000]},
        )
        return render(request, "permits/officer_detail.html", context, status=exc.status)
    return redirect(_detail_url(application))
