"""Pages of outreach evaluation (sosialisasi): thin views over `services`, `selectors` and `reports`.

Staff with `outreach.view` read every page of their pemda; `outreach.manage` (admin, permit officers,
planners) writes. Another pemda's event is "not found". A participant's phone number is shown in full only
to holders of `permit.process`, masked elsewhere and never exported. The phone form (`phone_form`) is public:
its secret link names the event; GET only explains and shows the questions (a link preview must not create
anything), POST submits one moment's answers.
"""

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.access import public_view
from rencana.core.errors import ApplicationError, PermissionDeniedError
from rencana.core.exports import XLSX_TYPE, xlsx_response
from rencana.core.imports import template_xlsx
from rencana.core.pagination import paginate, query_without_page
from rencana.outreach import reports, selectors, services
from rencana.outreach.forms import (
    AggregateImportForm,
    BlankParticipantsForm,
    EventForm,
    ItemEditForm,
    ItemForm,
    ParticipantForm,
)
from rencana.outreach.models import Event, Item, ItemKind, Moment, Participant

SESSION_PARTICIPANTS = "outreach_peserta"  # phone form: event id -> participant id of this browser
SESSION_NEW_LINK = "outreach_tautan_baru"  # the link shown once after it was made
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


# --- helpers -----------------------------------------------------------------------------------------


def _int(raw: Any) -> int | None:
    text = str(raw or "").strip()
    if not text.isdigit() or not text.isascii() or len(text) > 12:
        return None
    return int(text)


def _version(request: HttpRequest) -> int:
    return _int(request.POST.get("version")) or -1


def _url(name: str, event: Event, **extra: Any) -> str:
    return reverse(f"outreach:{name}", kwargs={"kode": event.pemda.kode, "kegiatan_id": event.pk, **extra})


def _can_manage(request: PemdaRequest) -> bool:
    return request.scope.has("outreach.manage")


def _require_manage(request: PemdaRequest) -> None:
    if not _can_manage(request):
        raise PermissionDeniedError(_("Hanya petugas pengelola sosialisasi yang dapat mengubah data ini."))


def _sees_phone(request: PemdaRequest) -> bool:
    return request.scope.has("permit.process")


def _form_errors(form: Any, exc: ApplicationError) -> None:
    placed = False
    for error in exc.errors:
        field = error.get("kolom", "")
        form.add_error(field if field in form.fields else None, error["pesan"])
        placed = True
    if not placed:
        form.add_error(None, exc.message)


def _tabs(request: PemdaRequest, event: Event, active: str) -> list[dict[str, Any]]:
    entries = [
        ("detail", _("Keterangan kegiatan")),
        ("participants", _("Peserta")),
        ("items", _("Instrumen")),
    ]
    if _can_manage(request):
        entries += [("paper_form", _("Isi formulir kertas")), ("aggregate", _("Hasil agregat"))]
    entries.append(("results", _("Hasil")))
    return [{"url": _url(name, event), "label": label, "active": name == active} for name, label in entries]


def _base(request: PemdaRequest, event: Event, active: str) -> dict[str, Any]:
    return {
        "pemda": request.pemda,
        "event": event,
        "tabs": _tabs(request, event, active),
        "can_manage": _can_manage(request),
    }


def _event_input(data: dict[str, Any]) -> services.EventInput:
    return services.EventInput(
        judul=data["judul"],
        tanggal=data["tanggal"],
        tempat=data["tempat"],
        penyelenggara=data["penyelenggara"],
        agenda=data["agenda"],
        narasumber=data["narasumber"],
        sasaran=data["sasaran"],
    )


# --- events ------------------------------------------------------------------------------------------


@pemda_view("outreach.view")
@require_GET
def event_list(request: PemdaRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    tahun = _int(request.GET.get("tahun"))
    if tahun is not None and not 2000 <= tahun <= 2100:
        tahun = None
    events = selectors.events_of(request.pemda, q=q, tahun=tahun)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"sosialisasi-{request.pemda.kode}.xlsx",
            _("Kegiatan sosialisasi"),
            [_("Tanggal"), _("Judul"), _("Tempat"), _("Peserta"), _("Hadir"), _("Butir")],
            (
                [e.tanggal, e.judul, e.tempat, e.jumlah_peserta, e.jumlah_hadir, e.jumlah_butir]  # type: ignore[attr-defined]
                for e in events[:10_000]
            ),
        )
    page = paginate(request, events)
    return render(
        request,
        "outreach/list.html",
        {
            "pemda": request.pemda,
            "page": page,
            "query": query_without_page(request),
            "q": " ".join(q.replace("\x00", "").split())[:100],
            "tahun": tahun or "",
            "can_manage": _can_manage(request),
        },
    )


@pemda_view("outreach.manage")
@require_http_methods(["GET", "POST"])
def event_create(request: PemdaRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=request.user, pemda=request.pemda, data=_event_input(form.cleaned_data)
            )
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Kegiatan dibuat. Tambahkan butir instrumen dan peserta."))
            return redirect(_url("detail", event))
    return render(
        request,
        "outreach/event_form.html",
        {"pemda": request.pemda, "form": form, "event": None},
        status=400 if request.method == "POST" else 200,
    )


@pemda_view("outreach.view")
@require_GET
def event_detail(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    event = selectors.get_event(request.pemda, kegiatan_id)
    results = selectors.event_results(event)
    new_links = request.session.get(SESSION_NEW_LINK, {})
    new_link = new_links.pop(str(event.pk), None) if isinstance(new_links, dict) else None
    if new_link is not None:
        request.session[SESSION_NEW_LINK] = new_links
    context = _base(request, event, "detail")
    context.update(
        results=results,
        agenda=[line for line in event.agenda.splitlines() if line.strip()],
        narasumber=[line for line in event.narasumber.splitlines() if line.strip()],
        has_link=bool(event.token_hash),
        new_link=new_link,
    )
    return render(request, "outreach/detail.html", context)


@pemda_view("outreach.manage")
@require_http_methods(["GET", "POST"])
def event_edit(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    event = selectors.get_event(request.pemda, kegiatan_id)
    initial = {
        "judul": event.judul,
        "tanggal": event.tanggal,
        "tempat": event.tempat,
        "penyelenggara": event.penyelenggara,
        "agenda": event.agenda,
        "narasumber": event.narasumber,
        "sasaran": event.sasaran,
        "version": event.version,
    }
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                actor=request.user,
                event=event,
                expected_version=form.cleaned_data["version"] or -1,
                data=_event_input(form.cleaned_data),
            )
        except ApplicationError as exc:
            if exc.status == 409:
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, _("Kegiatan disimpan."))
            return redirect(_url("detail", event))
    return render(
        request,
        "outreach/event_form.html",
        {"pemda": request.pemda, "form": form, "event": event},
        status=400 if request.method == "POST" else 200,
    )


@pemda_view("outreach.manage")
@require_POST
def event_delete(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    event = selectors.get_event(request.pemda, kegiatan_id)
    services.event_delete(actor=request.user, event=event, expected_version=_version(request))
    messages.success(request, _("Kegiatan “{judul}” dihapus.").format(judul=event.judul))
    return redirect(reverse("outreach:list", kwargs={"kode": request.pemda.kode}))


# --- participants ------------------------------------------------------------------------------------


def _participant_input(data: dict[str, Any], *, phone: str = "") -> services.ParticipantInput:
    return services.ParticipantInput(
        nama=data.get("nama", ""),
        jenis_kelamin=data.get("jenis_kelamin", ""),
        telepon=data.get("telepon", phone),
        usaha=data.get("usaha", ""),
        hadir=bool(data.get("hadir")),
    )


@pemda_view("outreach.view")
@require_http_methods(["GET", "POST"])
def participants(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    event = selectors.get_event(request.pemda, kegiatan_id)
    show_phone = _sees_phone(request)
    rows = selectors.participants_of(event)
    if request.method == "GET" and request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"peserta-sosialisasi-{event.pk}.xlsx",
            _("Peserta"),
            [
                _("Nomor"),
                _("Nama"),
                _("Jenis kelamin"),
                _("Usaha/pekerjaan"),
                _("Telepon"),
                _("Hadir"),
                _("Jawaban"),
            ],
            (
                [
                    p.nomor,
                    p.nama,
                    p.jenis_kelamin,
                    p.usaha,
                    services.mask_phone(p.telepon),  # exports are always masked
                    _("ya") if p.hadir else _("tidak"),
                    p.jumlah_jawaban,  # type: ignore[attr-defined]
                ]
                for p in rows
            ),
        )
    add_form = ParticipantForm(None, show_phone=show_phone, prefix="baru")
    blank_form = BlankParticipantsForm(None, prefix="kosong")
    edit_target: Participant | None = None
    edit_id = _int(request.POST.get("peserta") if request.method == "POST" else request.GET.get("ubah"))
    if edit_id is not None:
        edit_target = Participant.objects.filter(kegiatan=event, pk=edit_id).first()
    edit_form = (
        ParticipantForm(
            request.POST if request.method == "POST" and request.POST.get("aksi") == "ubah" else None,
            show_phone=show_phone,
            prefix="ubah",
            initial={
                "nama": edit_target.nama,
                "jenis_kelamin": edit_target.jenis_kelamin,
                "usaha": edit_target.usaha,
                "telepon": edit_target.telepon,
                "hadir": edit_target.hadir,
            },
        )
        if edit_target is not None
        else None
    )
    status = 200
    if request.method == "POST":
        _require_manage(request)
        action = request.POST.get("aksi", "")
        try:
            if action == "tambah":
                add_form = ParticipantForm(request.POST, show_phone=show_phone, prefix="baru")
                if add_form.is_valid():
                    added = services.participant_add(
                        actor=request.user, event=event, data=_participant_input(add_form.cleaned_data)
                    )
                    messages.success(request, _("Peserta #{nomor} ditambahkan.").format(nomor=added.nomor))
                    return redirect(_url("participants", event))
            elif action == "tambah_banyak":
                blank_form = BlankParticipantsForm(request.POST, prefix="kosong")
                if blank_form.is_valid():
                    made = services.participants_add_blank(
                        actor=request.user, event=event, jumlah=blank_form.cleaned_data["jumlah"]
                    )
                    messages.success(request, _("{n} peserta tanpa nama ditambahkan.").format(n=len(made)))
                    return redirect(_url("participants", event))
            elif action == "kehadiran":
                shown = [i for i in (_int(v) for v in request.POST.getlist("tampil")) if i is not None]
                present = [i for i in (_int(v) for v in request.POST.getlist("hadir")) if i is not None]
                changed = services.attendance_set(
                    actor=request.user, event=event, hadir_ids=present, shown_ids=shown
                )
                messages.success(request, _("Kehadiran disimpan ({n} berubah).").format(n=changed))
                return redirect(_url("participants", event) + _page_suffix(request))
            elif action == "ubah" and edit_target is not None and edit_form is not None:
                if edit_form.is_valid():
                    services.participant_update(
                        actor=request.user,
                        participant=edit_target,
                        data=_participant_input(edit_form.cleaned_data),
                        keep_phone=not show_phone,
                    )
                    messages.success(request, _("Peserta #{nomor} disimpan.").format(nomor=edit_target.nomor))
                    return redirect(_url("participants", event))
            elif action == "hapus" and edit_target is not None:
                services.participant_delete(actor=request.user, participant=edit_target)
                messages.success(request, _("Peserta #{nomor} dihapus.").format(nomor=edit_target.nomor))
                return redirect(_url("participants", event))
            else:
                raise ApplicationError(_("Permintaan tidak dikenal."))
        except ApplicationError as exc:
            if exc.status in (404, 409):
                raise
            target = {"tambah": add_form, "tambah_banyak": blank_form, "ubah": edit_form}.get(action)
            if target is None:
                raise
            _form_errors(target, exc)
        status = 400
    page = paginate(request, rows)
    context = _base(request, event, "participants")
    context.update(
        page=page,
        query=query_without_page(request),
        rows=[
            {
                "p": p,
                "telepon": p.telepon if show_phone else services.mask_phone(p.telepon),
            }
            for p in page.object_list
        ],
        add_form=add_form,
        blank_form=blank_form,
        edit_form=edit_form,
        edit_target=edit_target,
        show_phone=show_phone,
        **Participant.objects.filter(kegiatan=event).aggregate(
            jumlah=Count("id"), jumlah_hadir=Count("id", filter=Q(hadir=True))
        ),
    )
    return render(request, "outreach/participants.html", context, status=status)


def _page_suffix(request: HttpRequest) -> str:
    page = _int(request.POST.get("halaman"))
    return f"?halaman={page}" if page else ""


# --- items -------------------------------------------------------------------------------------------


@pemda_view("outreach.view")
@require_http_methods(["GET", "POST"])
def items(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    event = selectors.get_event(request.pemda, kegiatan_id)
    add_form = ItemForm(None, initial={"jenis": request.GET.get("jenis") or ItemKind.PENGETAHUAN})
    edit_id = _int(request.POST.get("butir") if request.method == "POST" else request.GET.get("ubah"))
    edit_target: Item | None = Item.objects.filter(kegiatan=event, pk=edit_id).first() if edit_id else None
    edit_form = (
        ItemEditForm(
            request.POST if request.method == "POST" and request.POST.get("aksi") == "ubah" else None,
            initial={"pernyataan": edit_target.pernyataan},
        )
        if edit_target is not None
        else None
    )
    status = 200
    if request.method == "POST":
        _require_manage(request)
        action = request.POST.get("aksi", "")
        try:
            if action == "tambah":
                add_form = ItemForm(request.POST)
                if add_form.is_valid():
                    data = add_form.cleaned_data
                    item = services.item_add(
                        actor=request.user,
                        event=event,
                        jenis=data["jenis"],
                        pernyataan=data["pernyataan"],
                        nomor=data["nomor"],
                    )
                    messages.success(request, _("Butir {nomor} ditambahkan.").format(nomor=item.nomor))
                    return redirect(_url("items", event) + f"?jenis={item.jenis}")
            elif action == "ubah" and edit_target is not None and edit_form is not None:
                if edit_form.is_valid():
                    services.item_update(
                        actor=request.user, item=edit_target, pernyataan=edit_form.cleaned_data["pernyataan"]
                    )
                    messages.success(request, _("Butir {nomor} disimpan.").format(nomor=edit_target.nomor))
                    return redirect(_url("items", event))
            elif action == "hapus" and edit_target is not None:
                services.item_delete(actor=request.user, item=edit_target)
                messages.success(request, _("Butir {nomor} dihapus.").format(nomor=edit_target.nomor))
                return redirect(_url("items", event))
            else:
                raise ApplicationError(_("Permintaan tidak dikenal."))
        except ApplicationError as exc:
            if exc.status in (404, 409):
                raise
            target = {"tambah": add_form, "ubah": edit_form}.get(action)
            if target is None:
                raise
            _form_errors(target, exc)
        status = 400
    all_items = selectors.items_of(event)
    context = _base(request, event, "items")
    context.update(
        knowledge=[i for i in all_items if i.jenis == ItemKind.PENGETAHUAN],
        likert=[i for i in all_items if i.jenis == ItemKind.LIKERT],
        add_form=add_form,
        edit_form=edit_form,
        edit_target=edit_target,
    )
    return render(request, "outreach/items.html", context, status=status)


# --- paper form --------------------------------------------------------------------------------------


def _answer_field(item: Item, saat: str) -> str:
    return f"j_{item.pk}_{saat}"


def _form_rows(
    all_items: list[Item], values: dict[tuple[int, str], str], errors: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    knowledge: list[dict[str, Any]] = []
    likert: list[dict[str, Any]] = []
    for item in all_items:
        cells = [
            {
                "saat": saat,
                "name": _answer_field(item, saat),
                "value": values.get((item.pk, saat), ""),
                "error": errors.get(f"{item.pk}:{saat}", ""),
            }
            for saat in services.moments_of(item)
        ]
        (knowledge if item.jenis == ItemKind.PENGETAHUAN else likert).append({"item": item, "cells": cells})
    return knowledge, likert


def _stored_values(answers: dict[tuple[int, str], int], all_items: list[Item]) -> dict[tuple[int, str], str]:
    kinds = {item.pk: item.jenis for item in all_items}
    out: dict[tuple[int, str], str] = {}
    for (item_id, saat), value in answers.items():
        if kinds.get(item_id) == ItemKind.PENGETAHUAN:
            out[(item_id, saat)] = "ya" if value == 1 else "tidak"
        else:
            out[(item_id, saat)] = str(value)
    return out


@pemda_view("outreach.manage")
@require_http_methods(["GET", "POST"])
def paper_form(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    """One participant's paper form: every answer before and after, saved all at once."""
    event = selectors.get_event(request.pemda, kegiatan_id)
    all_items = selectors.items_of(event)
    source = request.POST if request.method == "POST" else request.GET
    participant_id = _int(source.get("peserta"))
    participant = selectors.get_participant(event, participant_id) if participant_id is not None else None
    person_form = ParticipantForm(
        request.POST if request.method == "POST" and participant is None else None,
        show_phone=_sees_phone(request),
        prefix="peserta",
    )
    errors: dict[str, str] = {}
    general: list[str] = []
    if request.method == "POST":
        values = {
            (item.pk, saat): str(request.POST.get(_answer_field(item, saat), ""))[:20]
            for item in all_items
            for saat in services.moments_of(item)
        }
        person_ok = participant is not None or person_form.is_valid()
        if person_ok:
            try:
                saved = services.paper_form_save(
                    actor=request.user,
                    event=event,
                    participant=participant,
                    peserta=_participant_input(person_form.cleaned_data) if participant is None else None,
                    answers=values,
                    expected_stamp=str(request.POST.get("stamp", "")) if participant is not None else None,
                )
            except ApplicationError as exc:
                if exc.status in (404, 409):
                    raise
                for error in exc.errors:
                    key = str(error.get("kolom", ""))
                    if ":" in key:
                        errors[key] = str(error["pesan"])
                    elif key in person_form.fields:
                        person_form.add_error(key, str(error["pesan"]))
                    else:
                        general.append(str(error["pesan"]))
                if not exc.errors:
                    general.append(exc.message)
            else:
                messages.success(
                    request,
                    _("Formulir peserta #{nomor} tersimpan. Isi formulir berikutnya.").format(
                        nomor=saved.nomor
                    ),
                )
                return redirect(_url("paper_form", event))
    else:
        values = (
            _stored_values(selectors.answers_of(participant), all_items) if participant is not None else {}
        )
    knowledge, likert = _form_rows(all_items, values, errors)
    context = _base(request, event, "paper_form")
    context.update(
        participant=participant,
        person_form=person_form,
        knowledge=knowledge,
        likert=likert,
        stamp=services.form_stamp(participant),
        general_errors=general,
        error_count=len(errors) + len(general),
        recent=Participant.objects.filter(kegiatan=event).order_by("-nomor")[:50],
    )
    return render(
        request,
        "outreach/paper_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


# --- aggregate entry and import ----------------------------------------------------------------------


def _aggregate_rows(
    all_items: list[Item], posted: dict[int, services.AggregateInput] | None, errors: dict[str, str]
) -> list[dict[str, Any]]:
    rows = []
    for item in all_items:
        stored = selectors.aggregate_of(item)
        if posted is not None and item.pk in posted:
            data = posted[item.pk]
            values = {
                "sebelum_persen": data.sebelum_persen,
                "sesudah_persen": data.sesudah_persen,
                "rata_rata": data.rata_rata,
                "n": data.n,
            }
        elif stored is not None:
            values = {
                "sebelum_persen": reports.num(stored.sebelum_persen)
                if stored.sebelum_persen is not None
                else "",
                "sesudah_persen": reports.num(stored.sesudah_persen)
                if stored.sesudah_persen is not None
                else "",
                "rata_rata": reports.num(stored.rata_rata) if stored.rata_rata is not None else "",
                "n": stored.n or "",
            }
        else:
            values = {"sebelum_persen": "", "sesudah_persen": "", "rata_rata": "", "n": ""}
        fields = (
            ("sebelum_persen", "sesudah_persen", "n")
            if item.jenis == ItemKind.PENGETAHUAN
            else ("rata_rata", "n")
        )
        rows.append(
            {
                "item": item,
                "knowledge": item.jenis == ItemKind.PENGETAHUAN,
                "cells": [
                    {
                        "field": field,
                        "name": f"a_{item.pk}_{field}",
                        "value": values[field],
                        "label": services.field_label(field),
                        "error": errors.get(f"{item.pk}:{field}", ""),
                    }
                    for field in fields
                ],
            }
        )
    return rows


@pemda_view("outreach.manage")
@require_http_methods(["GET", "POST"])
def aggregate(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    """Published figures per item (typed, or imported from a table like the Bekasi files)."""
    event = selectors.get_event(request.pemda, kegiatan_id)
    all_items = selectors.items_of(event)
    action = request.POST.get("aksi", "") if request.method == "POST" else ""
    import_form = AggregateImportForm(
        request.POST if action in ("uji", "impor") else None,
        request.FILES if action in ("uji", "impor") else None,
    )
    errors: dict[str, str] = {}
    general: list[str] = []
    posted: dict[int, services.AggregateInput] | None = None
    result = None
    status = 200
    sumber = ""
    if request.method == "POST":
        if action == "simpan":
            posted = {
                item.pk: services.AggregateInput(
                    sebelum_persen=str(request.POST.get(f"a_{item.pk}_sebelum_persen", ""))[:30],
                    sesudah_persen=str(request.POST.get(f"a_{item.pk}_sesudah_persen", ""))[:30],
                    rata_rata=str(request.POST.get(f"a_{item.pk}_rata_rata", ""))[:30],
                    n=str(request.POST.get(f"a_{item.pk}_n", ""))[:30],
                )
                for item in all_items
            }
            sumber = str(request.POST.get("sumber", ""))[:300]
            try:
                changed = services.aggregate_save(actor=request.user, event=event, rows=posted, sumber=sumber)
            except ApplicationError as exc:
                if exc.status in (404, 409):
                    raise
                for error in exc.errors:
                    key = str(error.get("kolom", ""))
                    if ":" in key:
                        errors[key] = str(error["pesan"])
                    else:
                        general.append(str(error["pesan"]))
                if not exc.errors:
                    general.append(exc.message)
                status = 400
            else:
                messages.success(request, _("Hasil agregat disimpan ({n} butir berubah).").format(n=changed))
                return redirect(_url("results", event))
        elif action in ("uji", "impor"):
            if import_form.is_valid():
                upload = import_form.cleaned_data["berkas"]
                suffix = Path(upload.name or "").suffix.lower()
                if suffix not in (".csv", ".xlsx"):
                    import_form.add_error("berkas", _("Berkas harus berformat .csv atau .xlsx."))
                elif (upload.size or 0) > MAX_UPLOAD_BYTES:
                    import_form.add_error("berkas", _("Berkas paling besar 5 MB."))
                else:
                    with tempfile.TemporaryDirectory() as folder:
                        path = Path(folder) / f"tabel{suffix}"
                        with open(path, "wb") as fh:
                            for chunk in upload.chunks():
                                fh.write(chunk)
                        result = services.aggregate_import(
                            actor=request.user,
                            event=event,
                            path=path,
                            dry_run=action == "uji",
                            jenis=import_form.cleaned_data["jenis"] or "",
                            n=import_form.cleaned_data["n"],
                            sumber=import_form.cleaned_data["sumber"] or upload.name or "",
                        )
                    if result.ok and action == "impor":
                        messages.success(
                            request,
                            _(
                                "Impor selesai: {baru} butir baru, {ubah} diubah, {tetap} tidak berubah."
                            ).format(baru=result.created, ubah=result.updated, tetap=result.unchanged),
                        )
                        return redirect(_url("results", event))
            status = 200 if result is not None and result.ok else 400
        else:
            raise ApplicationError(_("Permintaan tidak dikenal."))
    stored_sources = {
        selectors.aggregate_of(i).sumber for i in all_items if selectors.aggregate_of(i) is not None
    }
    context = _base(request, event, "aggregate")
    context.update(
        rows=_aggregate_rows(all_items, posted, errors),
        sumber=sumber or next(iter(sorted(s for s in stored_sources if s)), ""),
        general_errors=general,
        error_count=len(errors) + len(general),
        import_form=import_form,
        result=result,
        dry_run=action == "uji",
    )
    return render(request, "outreach/aggregate.html", context, status=status)


@pemda_view("outreach.manage")
@require_GET
def aggregate_template(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    event = selectors.get_event(request.pemda, kegiatan_id)
    jenis = request.GET.get("jenis", "")
    spec = services.SPECS.get(jenis, services.KNOWLEDGE_SPEC)
    response = HttpResponse(template_xlsx(spec), content_type=XLSX_TYPE)
    name = "kepuasan" if spec is services.LIKERT_SPEC else "pengetahuan"
    response["Content-Disposition"] = f'attachment; filename="templat-{name}-sosialisasi-{event.pk}.xlsx"'
    return response


# --- phone link --------------------------------------------------------------------------------------


@pemda_view("outreach.manage")
@require_POST
def phone_link(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    event = selectors.get_event(request.pemda, kegiatan_id)
    action = request.POST.get("aksi", "")
    if action == "baru":
        token = services.phone_link_new(actor=request.user, event=event, expected_version=_version(request))
        link = request.build_absolute_uri(reverse("outreach:phone_form", kwargs={"token": token}))
        stored = request.session.get(SESSION_NEW_LINK, {})
        stored = stored if isinstance(stored, dict) else {}
        stored[str(event.pk)] = link
        request.session[SESSION_NEW_LINK] = stored
        messages.success(
            request, _("Tautan formulir ponsel dibuat. Tautan lama (bila ada) tidak berlaku lagi.")
        )
    elif action == "matikan":
        services.phone_link_disable(actor=request.user, event=event, expected_version=_version(request))
        messages.success(request, _("Tautan formulir ponsel dimatikan."))
    else:
        raise ApplicationError(_("Permintaan tidak dikenal."))
    return redirect(_url("detail", event))


# --- results -----------------------------------------------------------------------------------------


@pemda_view("outreach.view")
@require_GET
def results(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    event = selectors.get_event(request.pemda, kegiatan_id)
    data = selectors.event_results(event)
    context = _base(request, event, "results")
    context.update(results=data, p=reports.presentation(data))
    return render(request, "outreach/results.html", context)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@pemda_view("outreach.view")
@require_GET
def results_xlsx(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    data = selectors.event_results(selectors.get_event(request.pemda, kegiatan_id))
    return _attachment(reports.report_xlsx(data), XLSX_TYPE, f"{reports.filename(data)}.xlsx")


@pemda_view("outreach.view")
@require_GET
def results_pdf(request: PemdaRequest, kegiatan_id: int) -> HttpResponse:
    data = selectors.event_results(selectors.get_event(request.pemda, kegiatan_id))
    return _attachment(reports.report_pdf(data), reports.PDF_TYPE, f"{reports.filename(data)}.pdf")


# --- public phone form -------------------------------------------------------------------------------


def _session_participant(request: HttpRequest, event: Event) -> Participant | None:
    stored = request.session.get(SESSION_PARTICIPANTS, {})
    participant_id = stored.get(str(event.pk)) if isinstance(stored, dict) else None
    if not isinstance(participant_id, int):
        return None
    return Participant.objects.filter(pk=participant_id, kegiatan=event).first()


def _remember(request: HttpRequest, event: Event, participant: Participant) -> None:
    stored = request.session.get(SESSION_PARTICIPANTS, {})
    stored = stored if isinstance(stored, dict) else {}
    stored[str(event.pk)] = participant.pk
    request.session[SESSION_PARTICIPANTS] = stored


@public_view
@require_http_methods(["GET", "POST"])
def phone_form(request: HttpRequest, token: str) -> HttpResponse:
    """The phone questionnaire of an event, opened by its secret link (see the module docstring)."""
    event = services.phone_event(token)
    participant = _session_participant(request, event)
    done = services.answered_moments(participant)
    moments = services.phone_moments(event)
    open_moments = [m for m in moments if m not in done]
    wanted = request.POST.get("saat") if request.method == "POST" else request.GET.get("saat")
    saat = wanted if wanted in open_moments else (open_moments[0] if open_moments else "")
    all_items = selectors.items_of(event)
    asked = [item for item in all_items if saat and saat in services.moments_of(item)]
    values: dict[int, str] = {}
    errors: dict[str, str] = {}
    general: list[str] = []
    status = 200
    if request.method == "POST":
        values = {item.pk: str(request.POST.get(f"j_{item.pk}", ""))[:20] for item in asked}
        try:
            saved = services.phone_submit(
                token=token,
                saat=str(request.POST.get("saat", "")),
                answers=values,
                participant_id=participant.pk if participant is not None else None,
            )
        except ApplicationError as exc:
            if exc.status in (404, 409):
                raise
            for error in exc.errors:
                key = str(error.get("kolom", ""))
                if ":" in key:
                    errors[key.split(":")[0]] = str(error["pesan"])
                else:
                    general.append(str(error["pesan"]))
            if not exc.errors:
                general.append(exc.message)
            status = 400
        else:
            _remember(request, event, saved)
            messages.success(
                request,
                _("Terima kasih! Jawaban Anda tersimpan. Nomor peserta Anda: {nomor}.").format(
                    nomor=saved.nomor
                ),
            )
            return redirect(reverse("outreach:phone_form", kwargs={"token": token}))
    labels = dict(Moment.choices)
    questions = [
        {
            "item": item,
            "name": f"j_{item.pk}",
            "value": values.get(item.pk, ""),
            "error": errors.get(str(item.pk), ""),
            "knowledge": item.jenis == ItemKind.PENGETAHUAN,
        }
        for item in asked
    ]
    return render(
        request,
        "outreach/phone_form.html",
        {
            "event": event,
            "participant": participant,
            "saat": saat,
            "saat_label": labels.get(saat, ""),
            "other_moments": [(m, labels[m]) for m in open_moments if m != saat],
            "questions": questions,
            "general_errors": general,
            "error_count": len(errors) + len(general),
            "finished": bool(moments) and not open_moments,
            "not_ready": not moments,
        },
        status=status,
    )
