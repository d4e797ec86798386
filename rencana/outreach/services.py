"""Writes of outreach evaluation: validated, one transaction each, audited; stale edits refused.

- *Kegiatan* (`event_create`, `event_update`, `event_delete`): an event's title, date, place, organiser,
  agenda, speakers and target group. Edits carry the version they were based on (`save_versioned`: a
  stale one is a 409 and changes nothing).
- *Peserta* (`participant_add`, `participants_add_blank`, `participant_update`, `participant_delete`,
  `attendance_set`): participants numbered 1, 2, ... per event, with attendance. Names may stay blank (a
  participant is then "#7"); a phone number is personal data, masked outside authorised officers' pages.
- *Butir instrumen* (`item_add`, `item_update`, `item_delete`): yes/no knowledge statements (asked before and
  after) and 1–5 Likert statements (asked after).
- *Formulir kertas* (`paper_form_save`): staff type one participant's whole paper form at once: every answer
  is checked first and nothing is written unless all are valid (all or nothing). The form replaces what was
  stored for that participant; a blank answer removes a stored one. Two staff typing the same form: the
  second save is refused (409) when the stored answers changed since the form was opened (`form_stamp`).
- *Formulir ponsel* (`phone_link_new`, `phone_link_disable`, `phone_event`, `phone_submit`): one secret link
  per event (only its SHA-256 is stored, as the workshop links of `strategy.services`); it is shown once when
  made and stops working when renewed or disabled. Each phone submission answers every item of one moment
  (sebelum: knowledge items; sesudah: knowledge and Likert items); the first creates a new participant and
  gives its number, a later one from the same browser (the view keeps the participant in the session)
  completes that participant; a moment already answered is not overwritten (409).
- *Agregat* (`aggregate_save`, `aggregate_import`): when only published figures are known (as in the Bekasi
  study) the before/after percentages of a knowledge item or the mean of a Likert item are entered as such,
  with the number of respondents; or imported from a CSV/XLSX table in the shape of the Bekasi files
  (`no, pernyataan, sebelum_persen, sesudah_persen` or `no, pernyataan, rata_rata`; optional `n`), which
  creates the items it names (natural key: the item number), with a dry run; importing the same file twice
  changes nothing.

Numbers typed by staff follow Indonesian notation (`rencana.core.numbers.parse_angka`); figures keep at most
two decimals, as the published tables do; nothing is rounded silently.
"""

import datetime
import hashlib
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rencana.core.audit import audit_record, snapshot
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.imports import (
    CellParser,
    Column,
    ImportResult,
    ImportRow,
    ImportSpec,
    Outcome,
    RowError,
    angka,
    run_import,
    text,
)
from rencana.core.locking import save_versioned
from rencana.core.numbers import AngkaError, parse_angka
from rencana.core.tabular import TabularError, read_table
from rencana.outreach.models import AggregateResult, Event, Item, ItemKind, Moment, Participant, Response
from rencana.regions.models import Pemda

MAX_PARTICIPANTS = 5000
MAX_ITEMS = 200
MAX_BLANK_AT_ONCE = 500
MAX_RESPONDENTS = 1_000_000
SUMBER_KERTAS = "kertas"
SUMBER_PONSEL = "ponsel"
SEXES = ("", "L", "P")
YES = {"1", "ya", "y", "benar", "b"}
NO = {"0", "tidak", "t", "salah", "s"}
PARTICIPANT_FIELDS = ("nomor", "nama", "jenis_kelamin", "telepon", "usaha", "hadir")
AGGREGATE_FIELDS = ("sebelum_persen", "sesudah_persen", "rata_rata", "n", "sumber")

Errors = list[dict[str, str]]


def _invalid(message: str, errors: Errors) -> ApplicationError:
    detail = "; ".join(e["pesan"] for e in errors)
    return ApplicationError(f"{message} {detail}".strip(), errors=errors)


def _clean_text(value: Any) -> str:
    """One line: NUL removed, runs of white space collapsed."""
    return " ".join(str(value or "").replace("\x00", "").split())


def _clean_block(value: Any) -> str:
    """Several lines (agenda, speakers): NUL removed, each line trimmed, blank lines at the ends dropped."""
    lines = [" ".join(line.split()) for line in str(value or "").replace("\x00", "").splitlines()]
    return "\n".join(lines).strip()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- events ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventInput:
    judul: str
    tanggal: Any  # datetime.date; anything else is refused
    tempat: str = ""
    penyelenggara: str = ""
    agenda: str = ""
    narasumber: str = ""
    sasaran: str = ""


def _check_event(data: EventInput) -> Errors:
    errors: Errors = []
    if not _clean_text(data.judul):
        errors.append({"kolom": "judul", "pesan": _("Judul kegiatan wajib diisi.")})
    for field, limit in (("judul", 255), ("tempat", 255), ("penyelenggara", 255), ("sasaran", 255)):
        if len(_clean_text(getattr(data, field))) > limit:
            errors.append(
                {"kolom": field, "pesan": _("Paling panjang {n} karakter.").format(n=limit)},
            )
    for field in ("agenda", "narasumber"):
        if len(_clean_block(getattr(data, field))) > 10_000:
            errors.append({"kolom": field, "pesan": _("Paling panjang {n} karakter.").format(n=10_000)})
    if not isinstance(data.tanggal, datetime.date):
        errors.append({"kolom": "tanggal", "pesan": _("Tanggal kegiatan wajib diisi.")})
    elif not 2000 <= data.tanggal.year <= 2100:
        errors.append({"kolom": "tanggal", "pesan": _("Tanggal kegiatan harus antara tahun 2000 dan 2100.")})
    return errors


def _apply_event(event: Event, data: EventInput) -> None:
    event.judul = _clean_text(data.judul)
    event.tanggal = data.tanggal
    event.tempat = _clean_text(data.tempat)
    event.penyelenggara = _clean_text(data.penyelenggara)
    event.agenda = _clean_block(data.agenda)
    event.narasumber = _clean_block(data.narasumber)
    event.sasaran = _clean_text(data.sasaran)


@transaction.atomic
def event_create(*, actor: Any, pemda: Pemda, data: EventInput) -> Event:
    errors = _check_event(data)
    if errors:
        raise _invalid(_("Kegiatan belum benar:"), errors)
    event = Event(pemda=pemda, dibuat_oleh=_user(actor))
    _apply_event(event, data)
    event.save()
    audit_record(
        actor=actor,
        action="create",
        instance=event,
        pemda_id=pemda.pk,
        after=snapshot(event, Event.AUDITED_FIELDS),
    )
    return event


@transaction.atomic
def event_update(*, actor: Any, event: Event, expected_version: int, data: EventInput) -> Event:
    errors = _check_event(data)
    if errors:
        raise _invalid(_("Kegiatan belum benar:"), errors)
    before = snapshot(event, Event.AUDITED_FIELDS)
    _apply_event(event, data)
    after = snapshot(event, Event.AUDITED_FIELDS)
    if after == before:
        return event
    save_versioned(event, expected_version=expected_version, fields=Event.AUDITED_FIELDS)
    audit_record(
        actor=actor, action="update", instance=event, pemda_id=event.pemda_id, before=before, after=after
    )
    return event


@transaction.atomic
def event_delete(*, actor: Any, event: Event, expected_version: int) -> None:
    """Delete an event with its participants, items, answers and aggregates (stale version: 409)."""
    current = Event.objects.select_for_update().filter(pk=event.pk).values_list("version", flat=True).first()
    if current is None:
        raise NotFoundError(_("Kegiatan sosialisasi tidak ditemukan."))
    if current != expected_version:
        raise ConflictError(
            _(
                "Kegiatan ini telah diubah oleh pengguna lain (versi {expected}, sekarang {current}). "
                "Muat ulang halaman lalu ulangi."
            ).format(expected=expected_version, current=current),
            code="versi_usang",
        )
    before = snapshot(event, Event.AUDITED_FIELDS)
    before.update(
        peserta=Participant.objects.filter(kegiatan=event).count(),
        butir=Item.objects.filter(kegiatan=event).count(),
        jawaban=Response.objects.filter(butir__kegiatan=event).count(),
    )
    audit_record(actor=actor, action="delete", instance=event, pemda_id=event.pemda_id, before=before)
    event.delete()


# --- participants ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantInput:
    nama: str = ""
    jenis_kelamin: str = ""
    telepon: str = ""
    usaha: str = ""
    hadir: bool = True


def _check_participant(data: ParticipantInput) -> Errors:
    errors: Errors = []
    if len(_clean_text(data.nama)) > 150:
        errors.append({"kolom": "nama", "pesan": _("Nama paling panjang {n} karakter.").format(n=150)})
    if len(_clean_text(data.usaha)) > 200:
        errors.append(
            {"kolom": "usaha", "pesan": _("Usaha/pekerjaan paling panjang {n} karakter.").format(n=200)}
        )
    if _clean_text(data.jenis_kelamin).upper() not in SEXES:
        errors.append({"kolom": "jenis_kelamin", "pesan": _("Jenis kelamin diisi L, P atau dikosongkan.")})
    phone = _clean_text(data.telepon)
    digits = phone.replace(" ", "").replace("-", "")
    if phone and (
        len(phone) > 20 or not digits.lstrip("+").isdigit() or not digits.isascii() or len(digits) < 6
    ):
        errors.append(
            {
                "kolom": "telepon",
                "pesan": _(
                    "Nomor telepon hanya angka (boleh diawali +, dipisah spasi atau -), 6–20 karakter."
                ),
            }
        )
    return errors


def _participant_state(participant: Participant) -> dict[str, Any]:
    state = snapshot(participant, PARTICIPANT_FIELDS)
    # The audit trail keeps who was changed, not the phone number itself.
    state["telepon"] = mask_phone(participant.telepon)
    return state


def mask_phone(phone: str) -> str:
    """ "081234567890" -> "0812****7890": the first and the last four digits, stars between."""
    phone = _clean_text(phone)
    if not phone:
        return ""
    if len(phone) <= 8:
        return phone[:2] + "*" * (len(phone) - 2)
    return phone[:4] + "*" * (len(phone) - 8) + phone[-4:]


def _locked_event(event: Event) -> Event:
    locked = Event.objects.select_for_update().filter(pk=event.pk).first()
    if locked is None:
        raise NotFoundError(_("Kegiatan sosialisasi tidak ditemukan."))
    return locked


def _next_numbers(event: Event, count: int) -> list[int]:
    """The next `count` participant numbers (the caller holds the event's row lock)."""
    current = Participant.objects.filter(kegiatan=event).aggregate(m=Max("nomor"))["m"] or 0
    existing = Participant.objects.filter(kegiatan=event).count()
    if existing + count > MAX_PARTICIPANTS:
        raise ConflictError(
            _("Satu kegiatan paling banyak {n} peserta.").format(n=MAX_PARTICIPANTS), code="peserta_penuh"
        )
    return list(range(current + 1, current + count + 1))


def _create_participant(
    *, actor: Any, event: Event, data: ParticipantInput, action: str = "create"
) -> Participant:
    _locked_event(event)
    participant = Participant.objects.create(
        pemda_id=event.pemda_id,
        kegiatan=event,
        nomor=_next_numbers(event, 1)[0],
        nama=_clean_text(data.nama),
        jenis_kelamin=_clean_text(data.jenis_kelamin).upper(),
        telepon=_clean_text(data.telepon),
        usaha=_clean_text(data.usaha),
        hadir=bool(data.hadir),
    )
    audit_record(
        actor=actor,
        action=action,
        instance=participant,
        pemda_id=event.pemda_id,
        after=_participant_state(participant),
    )
    return participant


@transaction.atomic
def participant_add(*, actor: Any, event: Event, data: ParticipantInput) -> Participant:
    errors = _check_participant(data)
    if errors:
        raise _invalid(_("Peserta belum benar:"), errors)
    return _create_participant(actor=actor, event=event, data=data)


@transaction.atomic
def participants_add_blank(*, actor: Any, event: Event, jumlah: int, hadir: bool = True) -> list[Participant]:
    """`jumlah` participants without names (numbers only), e.g. the 20 vendors of an attendance count."""
    if isinstance(jumlah, bool) or not isinstance(jumlah, int) or not 1 <= jumlah <= MAX_BLANK_AT_ONCE:
        raise _invalid(
            _("Jumlah peserta belum benar:"),
            [{"kolom": "jumlah", "pesan": _("Isi 1 sampai {n}.").format(n=MAX_BLANK_AT_ONCE)}],
        )
    _locked_event(event)
    numbers = _next_numbers(event, jumlah)
    created = Participant.objects.bulk_create(
        [Participant(pemda_id=event.pemda_id, kegiatan=event, nomor=n, hadir=hadir) for n in numbers]
    )
    audit_record(
        actor=actor,
        action="participants_add",
        instance=event,
        pemda_id=event.pemda_id,
        after={"peserta_baru": jumlah, "nomor": f"{numbers[0]}–{numbers[-1]}", "hadir": hadir},
    )
    return created


@transaction.atomic
def participant_update(
    *, actor: Any, participant: Participant, data: ParticipantInput, keep_phone: bool = False
) -> Participant:
    """Change a participant; `keep_phone` leaves the stored number (for users who only see it masked)."""
    if keep_phone:
        data = ParticipantInput(
            nama=data.nama,
            jenis_kelamin=data.jenis_kelamin,
            telepon=participant.telepon,
            usaha=data.usaha,
            hadir=data.hadir,
        )
    errors = _check_participant(data)
    if errors:
        raise _invalid(_("Peserta belum benar:"), errors)
    before = _participant_state(participant)
    old_phone = participant.telepon
    participant.nama = _clean_text(data.nama)
    participant.jenis_kelamin = _clean_text(data.jenis_kelamin).upper()
    participant.telepon = _clean_text(data.telepon)
    participant.usaha = _clean_text(data.usaha)
    participant.hadir = bool(data.hadir)
    after = _participant_state(participant)
    if after == before and participant.telepon == old_phone:
        return participant
    participant.save(update_fields=["nama", "jenis_kelamin", "telepon", "usaha", "hadir"])
    audit_record(
        actor=actor,
        action="update",
        instance=participant,
        pemda_id=participant.pemda_id,
        before=before,
        after=after,
    )
    return participant


@transaction.atomic
def participant_delete(*, actor: Any, participant: Participant) -> None:
    if Response.objects.filter(peserta=participant).exists():
        raise ConflictError(
            _(
                "Peserta #{nomor} sudah mempunyai jawaban. Kosongkan formulirnya dulu bila peserta ini "
                "memang harus dihapus."
            ).format(nomor=participant.nomor),
            code="peserta_berjawaban",
        )
    audit_record(
        actor=actor,
        action="delete",
        instance=participant,
        pemda_id=participant.pemda_id,
        before=_participant_state(participant),
    )
    participant.delete()


@transaction.atomic
def attendance_set(
    *, actor: Any, event: Event, hadir_ids: Collection[int], shown_ids: Collection[int] | None = None
) -> int:
    """Mark the participants `hadir_ids` present and the other ones of `shown_ids` (default: all of the
    event) absent; a page lists only some participants, so it passes the ones it showed. Returns how
    many changed."""
    present = {int(i) for i in hadir_ids}
    rows = Participant.objects.filter(kegiatan=event)
    if shown_ids is not None:
        rows = rows.filter(pk__in={int(i) for i in shown_ids} | present)
    found = list(rows.values_list("pk", "nomor", "hadir"))
    if present - {pk for pk, _nomor, _hadir in found}:
        raise NotFoundError(_("Peserta tidak ditemukan pada kegiatan ini."))
    to_present = [pk for pk, _nomor, hadir in found if pk in present and not hadir]
    to_absent = [pk for pk, _nomor, hadir in found if pk not in present and hadir]
    if not to_present and not to_absent:
        return 0
    Participant.objects.filter(pk__in=to_present).update(hadir=True)
    Participant.objects.filter(pk__in=to_absent).update(hadir=False)
    numbers = {pk: nomor for pk, nomor, _hadir in found}
    audit_record(
        actor=actor,
        action="attendance",
        instance=event,
        pemda_id=event.pemda_id,
        after={
            "hadir": sorted(numbers[pk] for pk in to_present),
            "tidak_hadir": sorted(numbers[pk] for pk in to_absent),
        },
    )
    return len(to_present) + len(to_absent)


# --- items -------------------------------------------------------------------------------------------


def _item_state(item: Item) -> dict[str, Any]:
    return snapshot(item, ("jenis", "nomor", "pernyataan"))


def _check_item_text(pernyataan: str) -> str:
    text_ = _clean_text(pernyataan)
    if not text_:
        raise _invalid(
            _("Butir belum benar:"), [{"kolom": "pernyataan", "pesan": _("Pernyataan wajib diisi.")}]
        )
    if len(text_) > 2000:
        raise _invalid(
            _("Butir belum benar:"),
            [{"kolom": "pernyataan", "pesan": _("Paling panjang {n} karakter.").format(n=2000)}],
        )
    return text_


def _create_item(*, actor: Any, event: Event, jenis: str, nomor: int, pernyataan: str) -> Item:
    item = Item.objects.create(
        pemda_id=event.pemda_id, kegiatan=event, jenis=jenis, nomor=nomor, pernyataan=pernyataan
    )
    audit_record(
        actor=actor, action="create", instance=item, pemda_id=event.pemda_id, after=_item_state(item)
    )
    return item


@transaction.atomic
def item_add(*, actor: Any, event: Event, jenis: str, pernyataan: str, nomor: int | None = None) -> Item:
    """A new statement; `nomor` defaults to the next number of its kind."""
    if jenis not in ItemKind.values:
        raise _invalid(
            _("Butir belum benar:"),
            [{"kolom": "jenis", "pesan": _("Jenis butir harus pengetahuan atau likert.")}],
        )
    text_ = _check_item_text(pernyataan)
    _locked_event(event)
    items = Item.objects.filter(kegiatan=event)
    if items.count() >= MAX_ITEMS:
        raise ConflictError(
            _("Satu kegiatan paling banyak {n} butir.").format(n=MAX_ITEMS), code="butir_penuh"
        )
    if nomor is None:
        nomor = (items.filter(jenis=jenis).aggregate(m=Max("nomor"))["m"] or 0) + 1
    elif isinstance(nomor, bool) or not isinstance(nomor, int) or not 1 <= nomor <= 999:
        raise _invalid(_("Butir belum benar:"), [{"kolom": "nomor", "pesan": _("Nomor butir 1 sampai 999.")}])
    if items.filter(jenis=jenis, nomor=nomor).exists():
        raise _invalid(
            _("Butir belum benar:"),
            [{"kolom": "nomor", "pesan": _("Nomor {nomor} sudah dipakai butir lain.").format(nomor=nomor)}],
        )
    return _create_item(actor=actor, event=event, jenis=jenis, nomor=nomor, pernyataan=text_)


@transaction.atomic
def item_update(*, actor: Any, item: Item, pernyataan: str) -> Item:
    text_ = _check_item_text(pernyataan)
    if text_ == item.pernyataan:
        return item
    before = _item_state(item)
    item.pernyataan = text_
    item.save(update_fields=["pernyataan"])
    audit_record(
        actor=actor,
        action="update",
        instance=item,
        pemda_id=item.pemda_id,
        before=before,
        after=_item_state(item),
    )
    return item


@transaction.atomic
def item_delete(*, actor: Any, item: Item) -> None:
    if Response.objects.filter(butir=item).exists():
        raise ConflictError(
            _(
                "Butir {nomor} sudah mempunyai jawaban peserta dan tidak dapat dihapus; "
                "ubah saja pernyataannya."
            ).format(nomor=item.nomor),
            code="butir_berjawaban",
        )
    before = _item_state(item)
    aggregate = AggregateResult.objects.filter(butir=item).first()
    if aggregate is not None:
        before["agregat"] = snapshot(aggregate, AGGREGATE_FIELDS)
    audit_record(actor=actor, action="delete", instance=item, pemda_id=item.pemda_id, before=before)
    item.delete()


# --- answers -----------------------------------------------------------------------------------------


def moments_of(item: Item) -> tuple[str, ...]:
    """When an item is asked: knowledge before and after, Likert after."""
    if item.jenis == ItemKind.PENGETAHUAN:
        return (Moment.SEBELUM, Moment.SESUDAH)
    return (Moment.SESUDAH,)


def parse_answer(item: Item, raw: Any) -> int | None:
    """A typed or chosen answer: knowledge 1/ya or 0/tidak, Likert 1–5; blank -> None; else ValueError."""
    value = _clean_text(raw).lower()
    if not value:
        return None
    if item.jenis == ItemKind.PENGETAHUAN:
        if value in YES:
            return 1
        if value in NO:
            return 0
        raise ValueError(_("jawaban harus ya (1) atau tidak (0)"))
    if value in {"1", "2", "3", "4", "5"}:
        return int(value)
    raise ValueError(_("jawaban harus angka 1 sampai 5"))


def _answer_key(item: Item, saat: str) -> str:
    prefix = "P" if item.jenis == ItemKind.PENGETAHUAN else "K"
    return f"{prefix}{item.nomor}:{saat}"


def _check_answers(
    items: Mapping[int, Item], answers: Mapping[tuple[int, str], Any], *, require_all: Sequence[str] = ()
) -> tuple[dict[tuple[int, str], int], Errors]:
    """Parsed answers (blank ones left out) and every problem, each naming its item and moment."""
    parsed: dict[tuple[int, str], int] = {}
    errors: Errors = []
    labels = dict(Moment.choices)
    for (item_id, saat), raw in answers.items():
        item = items.get(item_id)
        if item is None:
            errors.append(
                {"kolom": f"{item_id}:{saat}", "pesan": _("Butir tidak dikenal pada kegiatan ini.")}
            )
            continue
        if saat not in moments_of(item):
            errors.append(
                {
                    "kolom": f"{item_id}:{saat}",
                    "pesan": _("Butir {nomor} tidak ditanyakan pada saat {saat}.").format(
                        nomor=item.nomor, saat=labels.get(saat, saat)
                    ),
                }
            )
            continue
        try:
            value = parse_answer(item, raw)
        except ValueError as exc:
            errors.append(
                {
                    "kolom": f"{item_id}:{saat}",
                    "pesan": _("Butir {nomor} ({saat}): {masalah}.").format(
                        nomor=item.nomor, saat=labels[saat], masalah=exc
                    ),
                }
            )
            continue
        if value is not None:
            parsed[(item_id, saat)] = value
    for saat in require_all:
        for item in items.values():
            if (
                saat in moments_of(item)
                and (item.pk, saat) not in parsed
                and not any(e["kolom"] == f"{item.pk}:{saat}" for e in errors)
            ):
                errors.append(
                    {
                        "kolom": f"{item.pk}:{saat}",
                        "pesan": _("Butir {nomor} belum dijawab.").format(nomor=item.nomor),
                    }
                )
    return parsed, errors


def form_stamp(participant: Participant | None) -> str:
    """A fingerprint of a participant's stored answers: a paper form saved over changed answers is stale."""
    if participant is None or participant.pk is None:
        return ""
    rows = (
        Response.objects.filter(peserta=participant)
        .order_by("butir_id", "saat")
        .values_list("butir_id", "saat", "nilai")
    )
    text_ = ";".join(f"{b}:{s}:{v}" for b, s, v in rows)
    return hashlib.sha256(text_.encode()).hexdigest()[:20]


@transaction.atomic
def paper_form_save(
    *,
    actor: Any,
    event: Event,
    participant: Participant | None,
    answers: Mapping[tuple[int, str], Any],
    peserta: ParticipantInput | None = None,
    expected_stamp: str | None = None,
) -> Participant:
    """One participant's whole paper form, all or nothing (see the module docstring).

    `answers` maps (item id, "sebelum"/"sesudah") to what was typed; a missing or blank entry means no
    answer. Without `participant` a new one is made from `peserta`.
    """
    items = {item.pk: item for item in Item.objects.filter(kegiatan=event)}
    if not items:
        raise ConflictError(_("Kegiatan ini belum mempunyai butir instrumen."), code="tanpa_butir")
    parsed, errors = _check_answers(items, answers)
    if participant is None:
        errors.extend(_check_participant(peserta or ParticipantInput()))
    elif participant.kegiatan_id != event.pk:
        raise NotFoundError(_("Peserta tidak ditemukan pada kegiatan ini."))
    if errors:
        raise _invalid(_("Formulir belum disimpan; periksa jawaban ini:"), errors)
    if participant is None:
        participant = _create_participant(actor=actor, event=event, data=peserta or ParticipantInput())
    else:
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if expected_stamp is not None and expected_stamp != form_stamp(participant):
            raise ConflictError(
                _(
                    "Jawaban peserta #{nomor} telah diubah orang lain sejak formulir ini dibuka. "
                    "Tidak ada yang ditimpa: muat ulang formulir, periksa, lalu simpan lagi."
                ).format(nomor=participant.nomor),
                code="versi_usang",
            )
    stored = {
        (r.butir_id, r.saat): r for r in Response.objects.filter(peserta=participant).select_related("butir")
    }
    before = {_answer_key(r.butir, r.saat): r.nilai for r in stored.values()}
    removed = [r.pk for key, r in stored.items() if key not in parsed]
    changed: list[Response] = []
    new: list[Response] = []
    for (item_id, saat), value in parsed.items():
        current = stored.get((item_id, saat))
        if current is None:
            new.append(
                Response(
                    pemda_id=event.pemda_id,
                    peserta=participant,
                    butir_id=item_id,
                    saat=saat,
                    nilai=value,
                    sumber=SUMBER_KERTAS,
                )
            )
        elif current.nilai != value:
            current.nilai = value
            current.sumber = SUMBER_KERTAS
            changed.append(current)
    after = {_answer_key(items[item_id], saat): value for (item_id, saat), value in parsed.items()}
    if not removed and not changed and not new:
        return participant
    Response.objects.filter(pk__in=removed).delete()
    for response in changed:
        response.save(update_fields=["nilai", "sumber", "dicatat"])
    Response.objects.bulk_create(new)
    audit_record(
        actor=actor,
        action="paper_form",
        instance=participant,
        object_label=_("Formulir peserta #{nomor}").format(nomor=participant.nomor),
        pemda_id=event.pemda_id,
        before=dict(sorted(before.items())),
        after=dict(sorted(after.items())),
    )
    return participant


# --- phone form by link ------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def phone_link_new(*, actor: Any, event: Event, expected_version: int) -> str:
    """A fresh secret link for the event's phone form; the old one stops working. Shown once."""
    token = secrets.token_urlsafe(24)
    had_link = bool(event.token_hash)
    event.token_hash = _token_hash(token)
    save_versioned(event, expected_version=expected_version, fields=("token_hash",))
    audit_record(
        actor=actor,
        action="phone_link_new",
        instance=event,
        pemda_id=event.pemda_id,
        after={"tautan_ponsel": "baru", "menggantikan_tautan_lama": had_link},
    )
    return token


@transaction.atomic
def phone_link_disable(*, actor: Any, event: Event, expected_version: int) -> None:
    if not event.token_hash:
        return
    event.token_hash = ""
    save_versioned(event, expected_version=expected_version, fields=("token_hash",))
    audit_record(
        actor=actor,
        action="phone_link_disable",
        instance=event,
        pemda_id=event.pemda_id,
        after={"tautan_ponsel": ""},
    )


def phone_event(token: str) -> Event:
    """The event whose phone link is `token`; an unknown, renewed or disabled link is "not found"."""
    if not token or len(token) > 100 or "\x00" in token:
        raise NotFoundError(_("Tautan formulir tidak dikenal atau sudah tidak berlaku."))
    event = Event.objects.select_related("pemda").filter(token_hash=_token_hash(token)).first()
    if event is None:
        raise NotFoundError(_("Tautan formulir tidak dikenal atau sudah tidak berlaku."))
    return event


def phone_moments(event: Event) -> tuple[str, ...]:
    """The moments the event's phone form asks (sebelum only when there are knowledge items)."""
    kinds = set(Item.objects.filter(kegiatan=event).values_list("jenis", flat=True))
    moments: list[str] = []
    if ItemKind.PENGETAHUAN in kinds:
        moments.append(Moment.SEBELUM)
    if kinds:
        moments.append(Moment.SESUDAH)
    return tuple(moments)


def answered_moments(participant: Participant | None) -> set[str]:
    if participant is None:
        return set()
    return set(Response.objects.filter(peserta=participant).values_list("saat", flat=True).distinct())


@transaction.atomic
def phone_submit(
    *, token: str, saat: str, answers: Mapping[int, Any], participant_id: int | None = None
) -> Participant:
    """Answers of one moment from the phone form; a new participant unless this browser already has one."""
    event = phone_event(token)
    event = _locked_event(event)
    if saat not in Moment.values:
        raise ApplicationError(_("Saat pengisian harus sebelum atau sesudah."), code="saat_tidak_valid")
    items = {item.pk: item for item in Item.objects.filter(kegiatan=event)}
    asked = {pk: item for pk, item in items.items() if saat in moments_of(item)}
    if not asked:
        raise ConflictError(_("Kuesioner ini belum disiapkan panitia."), code="tanpa_butir")
    participant = None
    if participant_id is not None:
        participant = Participant.objects.filter(pk=participant_id, kegiatan=event).first()
    if participant is not None and saat in answered_moments(participant):
        raise ConflictError(
            _(
                "Anda (peserta #{nomor}) sudah mengisi kuesioner {saat}; "
                "jawaban tidak dapat diubah lewat ponsel."
            ).format(nomor=participant.nomor, saat=dict(Moment.choices)[saat].lower()),
            code="sudah_diisi",
        )
    parsed, errors = _check_answers(
        asked, {(pk, saat): answers.get(pk, "") for pk in asked}, require_all=(saat,)
    )
    if errors:
        raise _invalid(_("Jawaban belum lengkap:"), errors)
    if participant is None:
        participant = _create_participant(
            actor=None, event=event, data=ParticipantInput(), action="phone_join"
        )
    Response.objects.bulk_create(
        [
            Response(
                pemda_id=event.pemda_id,
                peserta=participant,
                butir_id=item_id,
                saat=moment,
                nilai=value,
                sumber=SUMBER_PONSEL,
            )
            for (item_id, moment), value in parsed.items()
        ]
    )
    audit_record(
        actor=None,
        action="phone_form",
        instance=participant,
        object_label=_("Formulir peserta #{nomor}").format(nomor=participant.nomor),
        pemda_id=event.pemda_id,
        after={_answer_key(items[i], m): v for (i, m), v in sorted(parsed.items())},
    )
    return participant


# --- aggregate-only entry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AggregateInput:
    """What was typed for one item (text in Indonesian or plain notation; blank = not known)."""

    sebelum_persen: Any = ""
    sesudah_persen: Any = ""
    rata_rata: Any = ""
    n: Any = ""


@dataclass(frozen=True)
class AggregateValues:
    sebelum_persen: Decimal | None
    sesudah_persen: Decimal | None
    rata_rata: Decimal | None
    n: int | None

    @property
    def empty(self) -> bool:
        return self.sebelum_persen is None and self.sesudah_persen is None and self.rata_rata is None


def _figure(raw: Any, low: int, high: int, *, persen: bool) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    else:
        try:
            value = parse_angka(_clean_text(raw), persen=persen)
        except AngkaError as exc:
            raise ValueError(exc.message) from None
    if not value.is_finite() or value < low or value > high:
        raise ValueError(_("harus antara {low} dan {high}").format(low=low, high=high))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and value != value.quantize(Decimal("0.01")):
        raise ValueError(_("paling banyak 2 desimal, seperti angka yang diterbitkan"))
    return value.quantize(Decimal("0.01"))


def _count(raw: Any) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text_ = _clean_text(raw)
        if not text_.isdigit() or not text_.isascii() or len(text_) > 9:
            raise ValueError(_("harus bilangan bulat"))
        value = int(text_)
    if not 1 <= value <= MAX_RESPONDENTS:
        raise ValueError(_("harus antara 1 dan {n}").format(n=MAX_RESPONDENTS))
    return value


def _check_aggregate(item: Item, data: AggregateInput) -> tuple[AggregateValues | None, Errors]:
    errors: Errors = []
    values: dict[str, Any] = {}
    label = _("Butir {nomor}").format(nomor=item.nomor)
    fields: list[tuple[str, int, int, bool]] = [
        ("sebelum_persen", 0, 100, True),
        ("sesudah_persen", 0, 100, True),
        ("rata_rata", 1, 5, False),
    ]
    for field, low, high, persen in fields:
        try:
            values[field] = _figure(getattr(data, field), low, high, persen=persen)
        except ValueError as exc:
            errors.append({"kolom": f"{item.pk}:{field}", "pesan": f"{label}, {field_label(field)}: {exc}."})
    try:
        values["n"] = _count(data.n)
    except ValueError as exc:
        errors.append({"kolom": f"{item.pk}:n", "pesan": f"{label}, {field_label('n')}: {exc}."})
    if errors:
        return None, errors
    if item.jenis == ItemKind.PENGETAHUAN and values["rata_rata"] is not None:
        errors.append(
            {
                "kolom": f"{item.pk}:rata_rata",
                "pesan": _("{label}: butir pengetahuan tidak memakai rata-rata.").format(label=label),
            }
        )
    if item.jenis == ItemKind.LIKERT and (
        values["sebelum_persen"] is not None or values["sesudah_persen"] is not None
    ):
        errors.append(
            {
                "kolom": f"{item.pk}:sebelum_persen",
                "pesan": _("{label}: butir kepuasan (Likert) diisi rata-ratanya, bukan persen.").format(
                    label=label
                ),
            }
        )
    result = AggregateValues(**values)
    if result.empty and values["n"] is not None:
        errors.append(
            {
                "kolom": f"{item.pk}:n",
                "pesan": _("{label}: jumlah responden tanpa angka hasil.").format(label=label),
            }
        )
    return (None, errors) if errors else (result, [])


FIELD_LABELS = {
    "sebelum_persen": gettext_noop("sebelum (%)"),
    "sesudah_persen": gettext_noop("sesudah (%)"),
    "rata_rata": gettext_noop("rata-rata (1–5)"),
    "n": gettext_noop("jumlah responden"),
}


def field_label(field: str) -> str:
    """The translated label of an aggregate field."""
    return _(FIELD_LABELS[field])


def _write_aggregate(*, actor: Any, item: Item, values: AggregateValues, sumber: str) -> bool:
    """Store (or remove, when empty) one item's published figures; True when something changed."""
    current = AggregateResult.objects.filter(butir=item).first()
    before = snapshot(current, AGGREGATE_FIELDS) if current is not None else None
    if values.empty:
        if current is None:
            return False
        current.delete()
        audit_record(
            actor=actor, action="aggregate_delete", instance=item, pemda_id=item.pemda_id, before=before
        )
        return True
    target = current or AggregateResult(pemda_id=item.pemda_id, butir=item)
    target.sebelum_persen = values.sebelum_persen
    target.sesudah_persen = values.sesudah_persen
    target.rata_rata = values.rata_rata
    target.n = values.n
    target.sumber = _clean_text(sumber)[:255]
    after = snapshot(target, AGGREGATE_FIELDS)
    if after == before:
        return False
    target.save()
    audit_record(
        actor=actor, action="aggregate", instance=item, pemda_id=item.pemda_id, before=before, after=after
    )
    return True


@transaction.atomic
def aggregate_save(*, actor: Any, event: Event, rows: Mapping[int, AggregateInput], sumber: str = "") -> int:
    """Published figures of several items at once, all or nothing; returns how many items changed."""
    items = {item.pk: item for item in Item.objects.filter(kegiatan=event)}
    errors: Errors = []
    checked: list[tuple[Item, AggregateValues]] = []
    if len(_clean_text(sumber)) > 255:
        errors.append({"kolom": "sumber", "pesan": _("Sumber paling panjang {n} karakter.").format(n=255)})
    for item_id, data in rows.items():
        item = items.get(item_id)
        if item is None:
            errors.append({"kolom": str(item_id), "pesan": _("Butir tidak dikenal pada kegiatan ini.")})
            continue
        values, problems = _check_aggregate(item, data)
        errors.extend(problems)
        if values is not None:
            checked.append((item, values))
    if errors:
        raise _invalid(_("Hasil agregat belum disimpan:"), errors)
    return sum(
        _write_aggregate(actor=actor, item=item, values=values, sumber=sumber) for item, values in checked
    )


# --- import of aggregate tables (the shape of outreach_bekasi_2022_*.csv) ------------------------------


def _whole_number(low: int, high: int) -> CellParser:
    def parse(raw: Any) -> int:
        if isinstance(raw, bool):
            raise ValueError("Isi dengan bilangan bulat.")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, int):
            value = raw
        else:
            cell = _clean_text(raw)
            if not cell.isdigit() or not cell.isascii() or len(cell) > 9:
                raise ValueError("Isi dengan bilangan bulat, mis. 3.")
            value = int(cell)
        if not low <= value <= high:
            raise ValueError(f"Isi {low} sampai {high}.")
        return value

    return CellParser(parse, f"Bilangan bulat {low}–{high}")


NO_COLUMN = Column("no", "no", _whole_number(1, 999), required=True, example="1", aliases=("nomor",))
PERNYATAAN_COLUMN = Column(
    "pernyataan", "pernyataan", text(2000), required=True, example="Saya memahami pentingnya izin usaha"
)
N_COLUMN = Column(
    "n",
    "n",
    _whole_number(1, MAX_RESPONDENTS),
    example="20",
    note="Jumlah responden; bila kolom ini tidak ada, dipakai jumlah yang diisi pada halaman impor.",
    aliases=("jumlah responden", "jumlah_responden"),
)
KNOWLEDGE_SPEC = ImportSpec(
    title="Pengetahuan",
    columns=(
        NO_COLUMN,
        PERNYATAAN_COLUMN,
        Column(
            "sebelum_persen",
            "sebelum_persen",
            angka(minimum=Decimal(0), maximum=Decimal(100), persen=True),
            required=True,
            example="35",
            note="Persen peserta yang menjawab ya sebelum kegiatan (0–100).",
            aliases=("sebelum (%)", "sebelum"),
        ),
        Column(
            "sesudah_persen",
            "sesudah_persen",
            angka(minimum=Decimal(0), maximum=Decimal(100), persen=True),
            required=True,
            example="100",
            note="Persen peserta yang menjawab ya sesudah kegiatan (0–100).",
            aliases=("sesudah (%)", "sesudah"),
        ),
        N_COLUMN,
    ),
    natural_key=("no",),
)
LIKERT_SPEC = ImportSpec(
    title="Kepuasan",
    columns=(
        NO_COLUMN,
        PERNYATAAN_COLUMN,
        Column(
            "rata_rata",
            "rata_rata",
            angka(minimum=Decimal(1), maximum=Decimal(5)),
            required=True,
            example="4,63",
            note="Rata-rata skala 1–5.",
            aliases=("rata-rata", "rata rata", "rerata"),
        ),
        N_COLUMN,
    ),
    natural_key=("no",),
)
SPECS = {ItemKind.PENGETAHUAN.value: KNOWLEDGE_SPEC, ItemKind.LIKERT.value: LIKERT_SPEC}


def detect_kind(path: Path) -> str | None:
    """ "likert" when the table has a mean column, "pengetahuan" when it has before/after; else None."""
    known = set().union(*(c.names() for spec in SPECS.values() for c in spec.columns))
    try:
        table = read_table(path, header_names=known)  # a title row above the header is skipped
    except TabularError:
        return None
    headers = {"".join(h.split()).casefold() for h in table.headers}
    likert = {"".join(n.split()).casefold() for n in ("rata_rata", "rata-rata", "rata rata", "rerata")}
    knowledge = {"".join(n.split()).casefold() for n in ("sebelum_persen", "sebelum (%)", "sebelum")}
    if headers & likert:
        return ItemKind.LIKERT.value
    if headers & knowledge:
        return ItemKind.PENGETAHUAN.value
    return None


class _AggregateApplier:
    def __init__(self, *, actor: Any, event: Event, jenis: str, n: int | None, sumber: str) -> None:
        self.actor = actor
        self.event = event
        self.jenis = jenis
        self.n = n
        self.sumber = sumber
        self.items: dict[int, Item] = {}

    def load(self, rows: Sequence[ImportRow]) -> None:
        _locked_event(self.event)
        self.items = {i.nomor: i for i in Item.objects.filter(kegiatan=self.event, jenis=self.jenis)}
        total = Item.objects.filter(kegiatan=self.event).count()
        new = {row.values["no"] for row in rows} - set(self.items)
        if total + len(new) > MAX_ITEMS:
            raise ConflictError(
                _("Satu kegiatan paling banyak {n} butir.").format(n=MAX_ITEMS), code="butir_penuh"
            )

    def apply(self, row: ImportRow) -> Outcome:
        nomor = row.values["no"]
        pernyataan = _clean_text(row.values["pernyataan"])
        if not pernyataan:
            raise _invalid("", [{"kolom": "pernyataan", "pesan": _("Pernyataan wajib diisi.")}])
        n = row.values.get("n") or self.n
        if self.jenis == ItemKind.PENGETAHUAN:
            data = AggregateInput(
                sebelum_persen=row.values["sebelum_persen"], sesudah_persen=row.values["sesudah_persen"], n=n
            )
        else:
            data = AggregateInput(rata_rata=row.values["rata_rata"], n=n)
        item = self.items.get(nomor)
        created = item is None
        if item is None:
            item = _create_item(
                actor=self.actor, event=self.event, jenis=self.jenis, nomor=nomor, pernyataan=pernyataan
            )
            self.items[nomor] = item
        values, problems = _check_aggregate(item, data)
        if problems or values is None:
            column = {
                "sebelum_persen": "sebelum_persen",
                "sesudah_persen": "sesudah_persen",
                "rata_rata": "rata_rata",
            }
            raise _invalid(
                "",
                [
                    {"kolom": column.get(p["kolom"].split(":")[-1], "n"), "pesan": p["pesan"]}
                    for p in problems
                ],
            )
        changed = False
        if not created and item.pernyataan != pernyataan:
            item_update(actor=self.actor, item=item, pernyataan=pernyataan)
            changed = True
        changed = _write_aggregate(actor=self.actor, item=item, values=values, sumber=self.sumber) or changed
        if created:
            return Outcome.CREATED
        return Outcome.UPDATED if changed else Outcome.UNCHANGED


def aggregate_import(
    *,
    actor: Any,
    event: Event,
    path: Path,
    dry_run: bool,
    jenis: str = "",
    n: int | None = None,
    sumber: str = "",
) -> ImportResult:
    """Import a published table of knowledge percentages or Likert means (`jenis` "": from the headers).

    Returns the core import result: every error per row and column, nothing written unless all rows are
    valid and it is not a dry run; the item numbers are the natural key.
    """
    kind = jenis or detect_kind(path)
    if kind not in SPECS:
        try:
            read_table(path)
        except TabularError as exc:
            return ImportResult(dry_run=dry_run, errors=[RowError(0, "", "", exc.message)])
        return ImportResult(
            dry_run=dry_run,
            errors=[
                RowError(
                    0,
                    "",
                    "",
                    _(
                        "Jenis tabel tidak dikenali: tabel pengetahuan berkolom no, pernyataan, "
                        "sebelum_persen, sesudah_persen; tabel kepuasan berkolom no, pernyataan, rata_rata."
                    ),
                )
            ],
        )
    if n is not None and (isinstance(n, bool) or not 1 <= n <= MAX_RESPONDENTS):
        return ImportResult(
            dry_run=dry_run,
            errors=[
                RowError(
                    0, "n", str(n), _("Jumlah responden harus antara 1 dan {n}.").format(n=MAX_RESPONDENTS)
                )
            ],
        )
    applier = _AggregateApplier(actor=actor, event=event, jenis=kind, n=n, sumber=sumber)
    try:
        return run_import(SPECS[kind], path=path, dry_run=dry_run, applier=applier)
    except ApplicationError as exc:
        return ImportResult(dry_run=dry_run, errors=[RowError(0, "", "", exc.message)])
