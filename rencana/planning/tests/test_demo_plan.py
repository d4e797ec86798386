"""The Kotabaru demo plans carry one of every defect the checker knows (issue acceptance)."""

import io
from typing import Any

import pytest

from rencana.conftest import make_region
from rencana.planning import demo, selectors
from rencana.planning.models import Indicator, PlanDocument
from rencana.regions import demo as regions_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("nomenclature")]

EVERY_RULE = {
    "misi_tanpa_tujuan",
    "tanpa_indikator",
    "indikator_tanpa_satuan",
    "indikator_tanpa_baseline",
    "indikator_tanpa_target",
    "target_berlawanan_polaritas",
    "tidak_tertaut_sasaran",
    "sub_kegiatan_tanpa_indikator_output",
    "sub_kegiatan_tanpa_pagu",
    "program_tidak_ada_di_induk",
    "sub_kegiatan_tidak_ada_di_induk",
    "pagu_anak_melebihi_induk",
    "kode_ganda",
    "kode_luar_nomenklatur",
}


@pytest.fixture
def demo_plans(db: Any) -> None:
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
    regions_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())


def test_demo_has_the_kotabaru_cascade_with_the_pug_indicators(demo_plans: None) -> None:
    rpjmd = PlanDocument.objects.get(pemda__kode="63.02", jenis="RPJMD")
    assert (rpjmd.tahun_mulai, rpjmd.tahun_akhir) == (2025, 2029)
    ikg = Indicator.objects.get(node__dokumen=rpjmd, nama__startswith="Indeks Ketimpangan Gender")
    assert ikg.polaritas == "negatif" and ikg.node.kode == "1.1.3"
    assert str(ikg.baseline_nilai).startswith("0.551")
    rkpd = PlanDocument.objects.get(pemda__kode="63.02", jenis="RKPD")
    assert rkpd.nodes.filter(jenis="sub_kegiatan").count() >= 1000
    assert PlanDocument.objects.filter(induk=rkpd, jenis="RENJA").count() >= 30


def test_the_checker_finds_every_class_of_defect_on_the_demo(demo_plans: None) -> None:
    found: set[str] = set()
    documents = PlanDocument.objects.filter(pemda__kode="63.02", jenis__in=["RPJMD", "RKPD"])
    renja = PlanDocument.objects.filter(pemda__kode="63.02", jenis="RENJA").order_by("opd__kode").first()
    for document in [*documents, renja]:
        assert document is not None
        found |= {f.rule for f in selectors.document_check(document).findings}
    assert found >= EVERY_RULE


def test_demo_load_is_idempotent(demo_plans: None) -> None:
    count = PlanDocument.objects.count()
    assert demo.load(stdout=io.StringIO()) == 0
    assert PlanDocument.objects.count() == count
