"""Fixtures of the outreach tests: Kota Bekasi (32.75) with an event, items and the Bekasi tables."""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rencana.conftest import make_pemda
from rencana.core.roles import Role
from rencana.outreach import services
from rencana.outreach.models import Event, Item, ItemKind
from rencana.regions.models import Pemda

DATA = Path(__file__).resolve().parent / "data"
KNOWLEDGE_CSV = DATA / "outreach_bekasi_2022_pengetahuan.csv"
LIKERT_CSV = DATA / "outreach_bekasi_2022_kepuasan.csv"


@pytest.fixture
def bekasi(db: Any) -> Pemda:
    return make_pemda("32.75", "Kota Bekasi", "kota")


@pytest.fixture
def officer(bekasi: Pemda, make_user: Callable[..., Any]) -> Any:
    return make_user(Role.PETUGAS_IZIN, bekasi)


@pytest.fixture
def event(bekasi: Pemda, officer: Any) -> Event:
    return services.event_create(
        actor=officer,
        pemda=bekasi,
        data=services.EventInput(
            judul="Sosialisasi NIB pedagang",
            tanggal=datetime.date(2022, 12, 3),
            tempat="Pasar Kaget Jalan Elang Raya",
            agenda="Kebijakan pelayanan publik\nTanya jawab",
            narasumber="DPMPTSP Kota Bekasi\nPT Pegadaian",
        ),
    )


@pytest.fixture
def items(event: Event, officer: Any) -> dict[str, Item]:
    """Two knowledge items and one Likert item."""
    return {
        "p1": services.item_add(
            actor=officer, event=event, jenis=ItemKind.PENGETAHUAN, pernyataan="Saya tahu NIB itu gratis"
        ),
        "p2": services.item_add(
            actor=officer,
            event=event,
            jenis=ItemKind.PENGETAHUAN,
            pernyataan="Saya tahu cara mendaftar di OSS",
        ),
        "k1": services.item_add(
            actor=officer, event=event, jenis=ItemKind.LIKERT, pernyataan="Materi menarik"
        ),
    }


@pytest.fixture
def bekasi_event(event: Event, officer: Any) -> Event:
    """The event with the two published Bekasi tables imported as aggregates (n = 20)."""
    for path in (KNOWLEDGE_CSV, LIKERT_CSV):
        result = services.aggregate_import(actor=officer, event=event, path=path, dry_run=False, n=20)
        assert result.ok, result.errors
    return event
