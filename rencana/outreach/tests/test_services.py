"""Writes of outreach evaluation: audit, optimistic locking, the all-or-nothing paper form, the phone link,
aggregate entry and the import of the Bekasi tables."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.models import AuditEvent
from rencana.outreach import selectors, services
from rencana.outreach.models import AggregateResult, Event, Item, ItemKind, Participant, Response
from rencana.outreach.tests.conftest import KNOWLEDGE_CSV, LIKERT_CSV
from rencana.regions.models import Pemda

pytestmark = pytest.mark.django_db


def audit_actions(obj: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- events -------------------------------------------------------------------------------------------


def test_event_create_cleans_and_audits(bekasi: Pemda, officer: Any) -> None:
    event = services.event_create(
        actor=officer,
        pemda=bekasi,
        data=services.EventInput(
            judul="  Sosialisasi\x00  NIB ", tanggal=datetime.date(2022, 12, 3), agenda=" a \n\n b \n"
        ),
    )
    assert event.judul == "Sosialisasi NIB"
    assert event.agenda == "a\n\nb"
    assert event.dibuat_oleh == officer
    assert audit_actions(event) == ["create"]


@pytest.mark.parametrize(
    ("judul", "tanggal", "kolom"),
    [
        ("", datetime.date(2022, 1, 1), "judul"),
        ("X", None, "tanggal"),
        ("X", datetime.date(1990, 1, 1), "tanggal"),
    ],
)
def test_event_create_refuses_bad_input(
    bekasi: Pemda, officer: Any, judul: str, tanggal: Any, kolom: str
) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.event_create(
            actor=officer, pemda=bekasi, data=services.EventInput(judul=judul, tanggal=tanggal)
        )
    assert caught.value.status == 400
    assert [e["kolom"] for e in caught.value.errors] == [kolom]
    assert not Event.objects.exists()


def test_event_update_with_a_stale_version_is_409_and_changes_nothing(event: Event, officer: Any) -> None:
    data = services.EventInput(judul="Judul baru", tanggal=event.tanggal)
    services.event_update(actor=officer, event=event, expected_version=1, data=data)
    event.refresh_from_db()
    assert event.version == 2 and event.judul == "Judul baru"
    stale = Event.objects.get(pk=event.pk)
    with pytest.raises(ConflictError):
        services.event_update(
            actor=officer,
            event=stale,
            expected_version=1,
            data=services.EventInput(judul="Tertimpa?", tanggal=event.tanggal),
        )
    event.refresh_from_db()
    assert event.judul == "Judul baru"
    assert audit_actions(event) == ["create", "update"]


def test_event_delete_needs_the_current_version(event: Event, officer: Any, items: dict[str, Item]) -> None:
    with pytest.raises(ConflictError):
        services.event_delete(actor=officer, event=event, expected_version=7)
    services.event_delete(actor=officer, event=event, expected_version=1)
    assert not Event.objects.exists() and not Item.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="outreach.event").exists()


# --- participants -------------------------------------------------------------------------------------


def test_participants_are_numbered_and_attendance_is_set(event: Event, officer: Any) -> None:
    first = services.participant_add(
        actor=officer, event=event, data=services.ParticipantInput(nama="Bu Sari", telepon="081234567890")
    )
    blank = services.participants_add_blank(actor=officer, event=event, jumlah=3)
    assert first.nomor == 1 and [p.nomor for p in blank] == [2, 3, 4]
    changed = services.attendance_set(
        actor=officer, event=event, hadir_ids=[first.pk, blank[0].pk], shown_ids=[p.pk for p in blank]
    )
    assert changed == 2  # blank[1] and blank[2] now absent
    assert list(Participant.objects.filter(kegiatan=event, hadir=True).values_list("nomor", flat=True)) == [
        1,
        2,
    ]
    # The audit trail never holds the phone number in full.
    stored = AuditEvent.objects.filter(object_type="outreach.participant", object_id=str(first.pk)).get()
    assert stored.after is not None and stored.after["telepon"] == "0812****7890"


def test_attendance_refuses_another_events_participant(event: Event, officer: Any, bekasi: Pemda) -> None:
    other = services.event_create(
        actor=officer, pemda=bekasi, data=services.EventInput(judul="Lain", tanggal=datetime.date(2023, 1, 1))
    )
    stranger = services.participant_add(actor=officer, event=other, data=services.ParticipantInput())
    with pytest.raises(NotFoundError):
        services.attendance_set(actor=officer, event=event, hadir_ids=[stranger.pk])


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("0812-3456-7890", True),
        ("+62 812 3456", True),
        ("abc", False),
        ("12", False),
        ("\uff11\uff12\uff13\uff14\uff15\uff16\uff17", False),  # fullwidth digits,
    ],
)
def test_phone_numbers_are_checked(event: Event, officer: Any, phone: str, ok: bool) -> None:
    data = services.ParticipantInput(telepon=phone)
    if ok:
        services.participant_add(actor=officer, event=event, data=data)
    else:
        with pytest.raises(ApplicationError):
            services.participant_add(actor=officer, event=event, data=data)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("", ""),
        ("081234567890", "0812****7890"),
        ("0812345", "08*****"),
        ("+6281234567890", "+628******7890"),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert services.mask_phone(phone) == masked


def test_participant_update_can_keep_the_phone(event: Event, officer: Any) -> None:
    person = services.participant_add(
        actor=officer, event=event, data=services.ParticipantInput(nama="A", telepon="081234567890")
    )
    services.participant_update(
        actor=officer,
        participant=person,
        data=services.ParticipantInput(nama="B", telepon=""),
        keep_phone=True,
    )
    person.refresh_from_db()
    assert (person.nama, person.telepon) == ("B", "081234567890")


def test_participant_with_answers_cannot_be_deleted(
    event: Event, officer: Any, items: dict[str, Item]
) -> None:
    person = services.paper_form_save(
        actor=officer,
        event=event,
        participant=None,
        answers={(items["p1"].pk, "sebelum"): "ya"},
        peserta=services.ParticipantInput(),
    )
    with pytest.raises(ConflictError):
        services.participant_delete(actor=officer, participant=person)
    services.paper_form_save(actor=officer, event=event, participant=person, answers={})
    services.participant_delete(actor=officer, participant=person)
    assert not Participant.objects.exists()


# --- items --------------------------------------------------------------------------------------------


def test_items_get_the_next_number_per_kind(event: Event, officer: Any, items: dict[str, Item]) -> None:
    assert (items["p1"].nomor, items["p2"].nomor, items["k1"].nomor) == (1, 2, 1)
    with pytest.raises(ApplicationError):
        services.item_add(actor=officer, event=event, jenis=ItemKind.LIKERT, pernyataan="x", nomor=1)
    with pytest.raises(ApplicationError):
        services.item_add(actor=officer, event=event, jenis="lain", pernyataan="x")
    with pytest.raises(ApplicationError):
        services.item_add(actor=officer, event=event, jenis=ItemKind.LIKERT, pernyataan="   ")


def test_item_with_answers_cannot_be_deleted(event: Event, officer: Any, items: dict[str, Item]) -> None:
    services.paper_form_save(
        actor=officer, event=event, participant=None, answers={(items["p1"].pk, "sebelum"): "1"}
    )
    with pytest.raises(ConflictError):
        services.item_delete(actor=officer, item=items["p1"])
    kept_pk = items["p2"].pk
    services.item_delete(actor=officer, item=items["p2"])
    assert list(
        AuditEvent.objects.filter(object_type="outreach.item", object_id=str(kept_pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["create", "delete"]


# --- paper form ---------------------------------------------------------------------------------------


def full_form(items: dict[str, Item], **overrides: str) -> dict[tuple[int, str], str]:
    answers = {
        (items["p1"].pk, "sebelum"): "tidak",
        (items["p1"].pk, "sesudah"): "ya",
        (items["p2"].pk, "sebelum"): "0",
        (items["p2"].pk, "sesudah"): "1",
        (items["k1"].pk, "sesudah"): "5",
    }
    for key, value in overrides.items():
        name, saat = key.split("_")
        answers[(items[name].pk, saat)] = value
    return answers


def test_paper_form_saves_the_whole_form(event: Event, officer: Any, items: dict[str, Item]) -> None:
    person = services.paper_form_save(
        actor=officer,
        event=event,
        participant=None,
        answers=full_form(items),
        peserta=services.ParticipantInput(nama="Pak Budi", jenis_kelamin="l"),
    )
    assert person.nomor == 1 and person.jenis_kelamin == "L"
    assert selectors.answers_of(person) == {
        (items["p1"].pk, "sebelum"): 0,
        (items["p1"].pk, "sesudah"): 1,
        (items["p2"].pk, "sebelum"): 0,
        (items["p2"].pk, "sesudah"): 1,
        (items["k1"].pk, "sesudah"): 5,
    }
    assert set(Response.objects.values_list("sumber", flat=True)) == {"kertas"}
    form_audit = AuditEvent.objects.get(action="paper_form")
    assert form_audit.after == {
        "K1:sesudah": 5,
        "P1:sebelum": 0,
        "P1:sesudah": 1,
        "P2:sebelum": 0,
        "P2:sesudah": 1,
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"p1_sesudah": "mungkin"},  # not ya/tidak
        {"k1_sesudah": "6"},  # outside 1-5
        {"k1_sesudah": "4,5"},
    ],
)
def test_paper_form_is_all_or_nothing(
    event: Event, officer: Any, items: dict[str, Item], overrides: dict[str, str]
) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.paper_form_save(
            actor=officer,
            event=event,
            participant=None,
            answers=full_form(items, **overrides),
            peserta=services.ParticipantInput(nama="Pak Budi"),
        )
    assert caught.value.status == 400
    assert len(caught.value.errors) == 1
    assert ":" in caught.value.errors[0]["kolom"]
    assert not Participant.objects.exists() and not Response.objects.exists()
    assert not AuditEvent.objects.filter(object_type__startswith="outreach.participant").exists()


def test_paper_form_reports_every_problem_and_keeps_stored_answers(
    event: Event, officer: Any, items: dict[str, Item]
) -> None:
    person = services.paper_form_save(actor=officer, event=event, participant=None, answers=full_form(items))
    stamp = services.form_stamp(person)
    bad = full_form(items, p1_sebelum="x", p2_sesudah="2", k1_sesudah="0")
    bad[(items["k1"].pk, "sebelum")] = "5"  # Likert is not asked before
    with pytest.raises(ApplicationError) as caught:
        services.paper_form_save(
            actor=officer, event=event, participant=person, answers=bad, expected_stamp=stamp
        )
    assert len(caught.value.errors) == 4
    assert selectors.answers_of(person)[(items["k1"].pk, "sesudah")] == 5


def test_paper_form_replaces_answers_and_blank_removes(
    event: Event, officer: Any, items: dict[str, Item]
) -> None:
    person = services.paper_form_save(actor=officer, event=event, participant=None, answers=full_form(items))
    services.paper_form_save(
        actor=officer,
        event=event,
        participant=person,
        answers=full_form(items, k1_sesudah="4", p2_sebelum=""),
        expected_stamp=services.form_stamp(person),
    )
    answers = selectors.answers_of(person)
    assert answers[(items["k1"].pk, "sesudah")] == 4
    assert (items["p2"].pk, "sebelum") not in answers
    # Saving the same form again changes nothing and records nothing.
    before = AuditEvent.objects.count()
    services.paper_form_save(
        actor=officer,
        event=event,
        participant=person,
        answers=full_form(items, k1_sesudah="4", p2_sebelum=""),
    )
    assert AuditEvent.objects.count() == before


def test_paper_form_over_changed_answers_is_409(event: Event, officer: Any, items: dict[str, Item]) -> None:
    person = services.paper_form_save(actor=officer, event=event, participant=None, answers=full_form(items))
    opened = services.form_stamp(person)
    services.paper_form_save(
        actor=officer,
        event=event,
        participant=person,
        answers=full_form(items, k1_sesudah="3"),
        expected_stamp=opened,
    )
    with pytest.raises(ConflictError):
        services.paper_form_save(
            actor=officer,
            event=event,
            participant=person,
            answers=full_form(items, k1_sesudah="1"),
            expected_stamp=opened,
        )
    assert selectors.answers_of(person)[(items["k1"].pk, "sesudah")] == 3


def test_paper_form_of_another_events_participant_is_not_found(
    event: Event, officer: Any, items: dict[str, Item], bekasi: Pemda
) -> None:
    other = services.event_create(
        actor=officer, pemda=bekasi, data=services.EventInput(judul="Lain", tanggal=datetime.date(2023, 1, 1))
    )
    stranger = services.participant_add(actor=officer, event=other, data=services.ParticipantInput())
    with pytest.raises(NotFoundError):
        services.paper_form_save(actor=officer, event=event, participant=stranger, answers=full_form(items))


def test_paper_form_needs_items(event: Event, officer: Any) -> None:
    with pytest.raises(ConflictError):
        services.paper_form_save(actor=officer, event=event, participant=None, answers={})


def test_individual_answers_give_mcnemar(event: Event, officer: Any, items: dict[str, Item]) -> None:
    # Item p1: one participant ya->tidak, nine tidak->ya: McNemar p = 0.0215.
    services.paper_form_save(
        actor=officer,
        event=event,
        participant=None,
        answers=full_form(items, p1_sebelum="ya", p1_sesudah="tidak"),
    )
    for _ in range(9):
        services.paper_form_save(actor=officer, event=event, participant=None, answers=full_form(items))
    results = selectors.event_results(event)
    p1 = results.knowledge[0].result
    assert p1.mcnemar is not None and (p1.mcnemar.b, p1.mcnemar.c) == (1, 9)
    assert p1.mcnemar.p == Decimal("0.0215")
    assert (p1.gain.sebelum, p1.gain.sesudah, p1.gain.gain) == (
        Decimal("10.00"),
        Decimal("90.00"),
        Decimal("80.00"),
    )
    assert results.likert[0].result.distribusi == (0, 0, 0, 0, 10)
    assert results.overall.rata_rata == Decimal("5.00")
    assert results.responden == 10 and not results.aggregate_only


# --- phone form ---------------------------------------------------------------------------------------


def test_phone_link_is_secret_renewable_and_disabled(event: Event, officer: Any) -> None:
    token = services.phone_link_new(actor=officer, event=event, expected_version=1)
    event.refresh_from_db()
    assert token not in event.token_hash and len(event.token_hash) == 64
    assert services.phone_event(token) == event
    newer = services.phone_link_new(actor=officer, event=event, expected_version=event.version)
    with pytest.raises(NotFoundError):
        services.phone_event(token)
    assert services.phone_event(newer) == event
    with pytest.raises(ConflictError):
        services.phone_link_disable(actor=officer, event=Event.objects.get(pk=event.pk), expected_version=1)
    services.phone_link_disable(actor=officer, event=event, expected_version=event.version)
    with pytest.raises(NotFoundError):
        services.phone_event(newer)
    assert audit_actions(event) == ["create", "phone_link_new", "phone_link_new", "phone_link_disable"]


@pytest.mark.parametrize("token", ["", "x" * 101, "a\x00b", "tidak-dikenal"])
def test_unknown_links_are_not_found(token: str) -> None:
    with pytest.raises(NotFoundError):
        services.phone_event(token)


def test_phone_submission_creates_a_participant_then_completes_it(
    event: Event, officer: Any, items: dict[str, Item]
) -> None:
    token = services.phone_link_new(actor=officer, event=event, expected_version=1)
    services.participants_add_blank(actor=officer, event=event, jumlah=2)
    person = services.phone_submit(
        token=token, saat="sebelum", answers={items["p1"].pk: "ya", items["p2"].pk: "tidak"}
    )
    assert person.nomor == 3 and person.hadir
    with pytest.raises(ConflictError):  # the same moment twice
        services.phone_submit(
            token=token,
            saat="sebelum",
            answers={items["p1"].pk: "ya", items["p2"].pk: "ya"},
            participant_id=person.pk,
        )
    again = services.phone_submit(
        token=token,
        saat="sesudah",
        answers={items["p1"].pk: "ya", items["p2"].pk: "ya", items["k1"].pk: "4"},
        participant_id=person.pk,
    )
    assert again == person
    assert set(Response.objects.filter(peserta=person).values_list("sumber", flat=True)) == {"ponsel"}
    assert Response.objects.filter(peserta=person).count() == 5
    assert AuditEvent.objects.filter(action="phone_form", actor__isnull=True).count() == 2


def test_phone_submission_must_answer_everything(event: Event, officer: Any, items: dict[str, Item]) -> None:
    token = services.phone_link_new(actor=officer, event=event, expected_version=1)
    with pytest.raises(ApplicationError) as caught:
        services.phone_submit(
            token=token, saat="sesudah", answers={items["p1"].pk: "ya", items["k1"].pk: "9"}
        )
    assert len(caught.value.errors) == 2  # p2 missing, k1 out of range
    assert not Participant.objects.exists()
    with pytest.raises(ApplicationError):
        services.phone_submit(token=token, saat="kapan", answers={})


def test_phone_submission_with_a_participant_of_another_event_starts_a_new_one(
    event: Event, officer: Any, items: dict[str, Item], bekasi: Pemda
) -> None:
    other = services.event_create(
        actor=officer, pemda=bekasi, data=services.EventInput(judul="Lain", tanggal=datetime.date(2023, 1, 1))
    )
    stranger = services.participant_add(actor=officer, event=other, data=services.ParticipantInput())
    token = services.phone_link_new(actor=officer, event=event, expected_version=1)
    person = services.phone_submit(
        token=token,
        saat="sebelum",
        answers={items["p1"].pk: "1", items["p2"].pk: "0"},
        participant_id=stranger.pk,
    )
    assert person.kegiatan_id == event.pk and person.pk != stranger.pk


# --- aggregates ---------------------------------------------------------------------------------------


def test_aggregate_save_validates_everything_first(
    event: Event, officer: Any, items: dict[str, Item]
) -> None:
    rows = {
        items["p1"].pk: services.AggregateInput(sebelum_persen="35", sesudah_persen="100", n="20"),
        items["p2"].pk: services.AggregateInput(sebelum_persen="5.319.05", sesudah_persen="120"),
        items["k1"].pk: services.AggregateInput(rata_rata="4,633"),
    }
    with pytest.raises(ApplicationError) as caught:
        services.aggregate_save(actor=officer, event=event, rows=rows)
    kolom = sorted(e["kolom"] for e in caught.value.errors)
    assert kolom == sorted(
        [
            f"{items['p2'].pk}:sebelum_persen",
            f"{items['p2'].pk}:sesudah_persen",
            f"{items['k1'].pk}:rata_rata",
        ]
    )
    assert not AggregateResult.objects.exists()


def test_aggregate_save_and_remove(event: Event, officer: Any, items: dict[str, Item]) -> None:
    rows = {
        items["p1"].pk: services.AggregateInput(sebelum_persen="35", sesudah_persen="100%", n="20"),
        items["k1"].pk: services.AggregateInput(rata_rata="4,63", n="20"),
    }
    assert services.aggregate_save(actor=officer, event=event, rows=rows, sumber="Studi 2022") == 2
    assert services.aggregate_save(actor=officer, event=event, rows=rows, sumber="Studi 2022") == 0
    stored = AggregateResult.objects.get(butir=items["k1"])
    assert stored.rata_rata == Decimal("4.63") and stored.n == 20 and stored.sumber == "Studi 2022"
    assert (
        services.aggregate_save(actor=officer, event=event, rows={items["k1"].pk: services.AggregateInput()})
        == 1
    )
    assert not AggregateResult.objects.filter(butir=items["k1"]).exists()


@pytest.mark.parametrize(
    ("item", "data"),
    [
        ("p1", services.AggregateInput(rata_rata="4")),  # knowledge items have no mean
        ("k1", services.AggregateInput(sebelum_persen="40")),  # Likert items have no percentages
        ("k1", services.AggregateInput(n="20")),  # a count without figures
        ("k1", services.AggregateInput(rata_rata="4", n="0")),
        ("k1", services.AggregateInput(rata_rata="4", n="dua puluh")),
    ],
)
def test_aggregate_refuses_figures_of_the_wrong_kind(
    event: Event, officer: Any, items: dict[str, Item], item: str, data: services.AggregateInput
) -> None:
    with pytest.raises(ApplicationError):
        services.aggregate_save(actor=officer, event=event, rows={items[item].pk: data})


def test_import_of_the_bekasi_tables(event: Event, officer: Any) -> None:
    dry = services.aggregate_import(actor=officer, event=event, path=KNOWLEDGE_CSV, dry_run=True, n=20)
    assert dry.ok and dry.created == 10
    assert not Item.objects.exists()
    for path, count in ((KNOWLEDGE_CSV, 10), (LIKERT_CSV, 6)):
        result = services.aggregate_import(
            actor=officer, event=event, path=path, dry_run=False, n=20, sumber="Studi"
        )
        assert result.ok, result.errors
        assert result.created == count
    assert Item.objects.filter(kegiatan=event, jenis=ItemKind.PENGETAHUAN).count() == 10
    assert Item.objects.filter(kegiatan=event, jenis=ItemKind.LIKERT).count() == 6
    # Importing the same files again changes nothing and leaves no audit trail.
    before = AuditEvent.objects.count()
    for path in (KNOWLEDGE_CSV, LIKERT_CSV):
        again = services.aggregate_import(
            actor=officer, event=event, path=path, dry_run=False, n=20, sumber="Studi"
        )
        assert again.ok and again.created == 0 and again.updated == 0
    assert AuditEvent.objects.count() == before
    results = selectors.event_results(event)
    assert results.overall.rata_rata == Decimal("4.70")
    assert results.summary.gain == Decimal("61.00")
    first = results.knowledge[0].result
    assert (first.gain.gain, first.gain.g, first.mcnemar, first.n_sebelum) == (
        Decimal("65.00"),
        Decimal("1.00"),
        None,
        20,
    )
    assert results.knowledge[3].result.gain.g == Decimal("0.61")
    assert results.aggregate_only


def test_import_reports_every_bad_cell_and_writes_nothing(event: Event, officer: Any, tmp_path: Path) -> None:
    path = tmp_path / "tabel.csv"
    path.write_text(
        "no,pernyataan,sebelum_persen,sesudah_persen\n1,Satu,35,100\n2,Dua,5.319.05,100\nx,Tiga,10,101\n",
        encoding="utf-8",
    )
    result = services.aggregate_import(actor=officer, event=event, path=path, dry_run=False)
    assert not result.ok
    cells = {(e.row, e.column) for e in result.errors}
    assert {(3, "sebelum_persen"), (4, "no"), (4, "sesudah_persen")} <= cells
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("a,b\n1,2\n", "Jenis tabel tidak dikenali"),
        ("", "kosong"),
    ],
)
def test_import_refuses_unknown_tables(
    event: Event, officer: Any, tmp_path: Path, content: str, fragment: str
) -> None:
    path = tmp_path / "tabel.csv"
    path.write_text(content, encoding="utf-8")
    result = services.aggregate_import(actor=officer, event=event, path=path, dry_run=False)
    assert not result.ok and fragment in result.errors[0].message


def test_import_refuses_a_binary_file(event: Event, officer: Any, tmp_path: Path) -> None:
    path = tmp_path / "tabel.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = services.aggregate_import(
        actor=officer, event=event, path=path, dry_run=False, jenis="pengetahuan"
    )
    assert not result.ok and result.errors[0].row == 0


def test_results_need_three_queries(
    bekasi_event: Event, officer: Any, django_assert_num_queries: Any
) -> None:
    services.participants_add_blank(actor=officer, event=bekasi_event, jumlah=20)
    with django_assert_num_queries(3):
        results = selectors.event_results(bekasi_event)
    assert results.peserta == 20 and len(results.knowledge) == 10 and len(results.likert) == 6


def test_import_of_an_xlsx_table_with_a_title_row(event: Event, officer: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Tabel 2. Kepuasan peserta"])
    sheet.append(["No", "Pernyataan", "Rata-rata", "n"])
    for number, text, mean in ((1, "Topik Kegiatan Menarik", 4.63), (2, "Materi Kegiatan Menarik", 4.62)):
        sheet.append([number, text, mean, 20])
    path = tmp_path / "kepuasan.xlsx"
    workbook.save(path)
    result = services.aggregate_import(actor=officer, event=event, path=path, dry_run=False)
    assert result.ok, result.errors
    assert result.created == 2
    means = sorted(
        m
        for m in AggregateResult.objects.filter(butir__kegiatan=event).values_list("rata_rata", flat=True)
        if m
    )
    assert means == [Decimal("4.62"), Decimal("4.63")]
    assert set(Item.objects.filter(kegiatan=event).values_list("jenis", flat=True)) == {ItemKind.LIKERT}
