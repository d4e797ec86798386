"""The Kota Bekasi demo: the event of 3 December 2022 reproducing the published overall satisfaction 4,70."""

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from rencana.core.roles import Role
from rencana.outreach import demo, selectors
from rencana.outreach.models import AggregateResult, Event, Item, Participant
from rencana.regions.models import Pemda

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(bekasi: Pemda) -> tuple[Event, str, int]:
    out = io.StringIO()
    created = demo.load(stdout=out)
    return Event.objects.get(pemda=bekasi, judul=demo.JUDUL), out.getvalue(), created


def test_demo_event_has_the_case_description(loaded: tuple[Event, str, int]) -> None:
    event, out, created = loaded
    assert event.tanggal.isoformat() == "2022-12-03"
    assert "DPMPTSP" in event.narasumber and "Pegadaian" in event.narasumber
    assert "Pencatatan stok barang" in event.agenda and "Tanya jawab" in event.agenda
    assert Participant.objects.filter(kegiatan=event, hadir=True).count() == 20
    assert Item.objects.filter(kegiatan=event, jenis="pengetahuan").count() == 10
    assert Item.objects.filter(kegiatan=event, jenis="likert").count() == 6
    assert set(AggregateResult.objects.filter(butir__kegiatan=event).values_list("n", flat=True)) == {20}
    assert created == 1 + 20 + 16
    assert "4,70" in out


def test_demo_reproduces_the_published_figures(loaded: tuple[Event, str, int]) -> None:
    event, _out, _created = loaded
    results = selectors.event_results(event)
    assert results.overall.rata_rata == Decimal("4.70")
    first, fourth = results.knowledge[0].result.gain, results.knowledge[3].result.gain
    assert (first.sebelum, first.sesudah, first.gain, first.g) == (
        Decimal("35.00"),
        Decimal("100.00"),
        Decimal("65.00"),
        Decimal("1.00"),
    )
    assert (fourth.gain, fourth.g) == (Decimal("55.00"), Decimal("0.61"))
    assert (results.summary.sebelum, results.summary.sesudah, results.summary.gain) == (
        Decimal("28.00"),
        Decimal("89.00"),
        Decimal("61.00"),
    )
    assert results.aggregate_only and not results.has_mcnemar


def test_demo_results_page_shows_4_70(loaded: tuple[Event, str, int], client_as: Any, bekasi: Pemda) -> None:
    event, _out, _created = loaded
    client = client_as(Role.PIMPINAN, bekasi)
    page = client.get(
        reverse("outreach:results", kwargs={"kode": "32.75", "kegiatan_id": event.pk})
    ).content.decode()
    assert re.search(r'data-testid="kepuasan-keseluruhan">4,70<', page)
    assert "65,00" in page and "1,00 (tinggi)" in page and "0,61 (sedang)" in page


def test_load_twice_changes_nothing(loaded: tuple[Event, str, int]) -> None:
    assert demo.load(stdout=io.StringIO()) == 0
    assert Event.objects.filter(judul=demo.JUDUL).count() == 1


def test_load_without_the_pemda_does_nothing(db: Any) -> None:
    assert demo.load(stdout=io.StringIO()) == 0
    assert not Event.objects.exists()


def test_demo_officer_is_the_actor(bekasi: Pemda, make_user: Any) -> None:
    officer = make_user(Role.PETUGAS_IZIN, bekasi, username="petugas.izin")
    demo.load(stdout=io.StringIO())
    assert Event.objects.get(judul=demo.JUDUL).dibuat_oleh == officer
