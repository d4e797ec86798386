"""The permits demo: Tanggamus applications in every stage (one overdue, one overlapping), Bekasi vendors
preparing NIB, the Lampung 2005 table with its three warnings; loading twice changes nothing."""

import io

import pytest

from rencana.accounts import demo as accounts_demo
from rencana.conftest import make_pemda, make_region
from rencana.permits import demo, services_workflow
from rencana.permits.models import Application, FarmerGroup, MicroBusiness, RecapImport
from rencana.regions import demo as regions_demo
from rencana.regions.models import Pemda


@pytest.fixture
def demo_world(db: None) -> None:
    make_pemda("18.06", "Kabupaten Tanggamus")
    make_pemda("32.75", "Kota Bekasi", "kota")
    make_pemda("63.02", "Kabupaten Kotabaru")
    make_pemda("35.75", "Kota Pasuruan", "kota")
    make_pemda("35", "Provinsi Jawa Timur", "provinsi")
    make_region("18.06.01", "Kota Agung", "kecamatan", "18.06")
    for n in range(1, 41):
        make_region(f"18.06.01.{2000 + n}", f"Pekon {n}", "desa", "18.06.01")
    make_region("32.75.01", "Bekasi Timur", "kecamatan", "32.75")
    make_region("32.75.01.1001", "Margahayu", "kelurahan", "32.75.01")
    make_region("63", "Kalimantan Selatan", "provinsi")
    regions_demo.load(stdout=io.StringIO())
    accounts_demo.load(stdout=io.StringIO())


def test_the_demo_has_applications_in_every_stage_and_loads_once(demo_world: None) -> None:
    out = io.StringIO()
    assert demo.load(stdout=out) > 0
    tanggamus = Pemda.objects.get(kode="18.06")
    stages = set(Application.objects.filter(pemda=tanggamus).values_list("tahap", flat=True))
    assert stages == {stage for _n, stage, _d, _o in demo.GROUPS}
    assert FarmerGroup.objects.filter(pemda=tanggamus).count() == 8
    overdue = [
        a
        for a in Application.objects.filter(pemda=tanggamus)
        if services_workflow.sla_of(a) is not None and services_workflow.sla_of(a).terlambat  # type: ignore[union-attr]
    ]
    assert [a.tahap for a in overdue] == ["verifikasi_teknis"]
    overlapping = [
        a for a in Application.objects.filter(pemda=tanggamus) if a.peta.pemeriksaan.get("tumpang_tindih")
    ]
    assert len(overlapping) >= 2
    assert MicroBusiness.objects.filter(pemda__kode="32.75").count() == 20
    recap = RecapImport.objects.get(pemda__kode="18")
    assert sorted(p["jenis"] for p in recap.masalah) == [
        "nilai_tidak_diketahui",
        "sel_kosong",
        "total_tidak_cocok",
    ]
    assert demo.load(stdout=io.StringIO()) == 0
