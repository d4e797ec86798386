import io

import pytest
from django.core.management import call_command

from rencana.accounts.demo import DEMO_ACCOUNTS
from rencana.accounts.models import RoleAssignment
from rencana.conftest import make_region
from rencana.core.roles import Role
from rencana.regions.demo import DEMO_PEMDA
from rencana.regions.models import Opd, Pemda

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_regions() -> None:
    for kode, nama in [
        ("63", "Kalimantan Selatan"),
        ("35", "Jawa Timur"),
        ("18", "Lampung"),
        ("32", "Jawa Barat"),
    ]:
        make_region(kode, nama, "provinsi")
    make_region("63.02", "Kabupaten Kotabaru", "kabupaten", "63")
    make_region("35.75", "Kota Pasuruan", "kota", "35")
    make_region("18.06", "Kabupaten Tanggamus", "kabupaten", "18")
    make_region("32.75", "Kota Bekasi", "kota", "32")


def test_demo_load_creates_the_demo_governments_and_one_account_per_role(demo_regions: None) -> None:
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    assert sorted(Pemda.objects.values_list("kode", flat=True)) == sorted(DEMO_PEMDA)
    assert Pemda.objects.get(kode="35").nama == "Provinsi Jawa Timur"
    assert Opd.objects.filter(pemda__kode="63.02").count() >= 30
    kotabaru_names = set(Opd.objects.filter(pemda__kode="63.02").values_list("singkatan", flat=True))
    assert {
        "Bapperida",
        "Disdik",
        "Dinkes",
        "Dinas PUPR",
        "Dinas PPPAPPKB",
        "BPKAD",
        "Inspektorat",
        "Dinas PMD",
        "DPMPTSP",
        "DLHK",
    } <= kotabaru_names
    assert {r.value for r in Role} == set(RoleAssignment.objects.values_list("role", flat=True))
    text = out.getvalue()
    assert "HANYA UNTUK DEMO" in text
    assert all(username in text for username, _, _ in DEMO_ACCOUNTS)


def test_demo_load_twice_changes_nothing(demo_regions: None) -> None:
    call_command("demo", "load", stdout=io.StringIO())
    counts = (Pemda.objects.count(), Opd.objects.count(), RoleAssignment.objects.count())
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    assert (Pemda.objects.count(), Opd.objects.count(), RoleAssignment.objects.count()) == counts
    assert "tidak ada perubahan" in out.getvalue()
