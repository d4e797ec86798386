"""Early warning pages: projections after a quarter from the realizations, scoped to the user's OPDs.

Fixture (`risky`): the OPD's sub-kegiatan has a target of 10 units and a pagu of 750 juta; TW I (1 unit,
30 juta) is verified and TW II (1 unit, 30 juta) only submitted. Counting both, after TW II the
kumulatif indicator projects to 2 / 50% = 4 units (capaian 40,00, Sangat Rendah: kritis) and the budget
to 60 / 750 = 8% spent against the 40% a typical year has spent, i.e. 20% by December (70 points under
the 90% threshold: kritis). Counting verified reports only, TW II is missing (waspada). The other OPD's
sub-kegiatan has a pagu but no report and no target: both quarters missing (kritis), the indicator
listed as not projectable.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from rencana.monitoring import reports
from rencana.monitoring.tests.conftest import Monev
from rencana.monitoring.tests.test_reports import JUTA, other_line, report, set_targets
from rencana.planning.models import Indicator, PlanNode

pytestmark = pytest.mark.django_db


@pytest.fixture
def risky(monev: Monev) -> PlanNode:
    plan = monev.plan
    indicator = set_targets(Indicator.objects.get(node=plan.sub), {2026: Decimal(10)})
    report(plan.sub, 2026, 1, {indicator: Decimal(1)}, Decimal(30) * JUTA)
    report(plan.sub, 2026, 2, {indicator: Decimal(1)}, Decimal(30) * JUTA, verify=False)
    return other_line(monev, pagu=Decimal(100) * JUTA)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(monev: Monev, opd_id: int | None = None, query: str = "?tahun=2026&tw=2") -> str:
    kode = monev.plan.pemda.kode
    if opd_id is None:
        return reverse("monev_reports:warnings", kwargs={"kode": kode}) + query
    return reverse("monev_reports:warnings_opd", kwargs={"kode": kode, "opd_id": opd_id}) + query


def test_projections_flag_the_sub_kegiatan_at_risk(monev: Monev, risky: PlanNode) -> None:
    result = reports.early_warnings(monev.plan.pemda, 2026, 2)
    by_code = {item.line.node.kode: item for item in result.lines}
    own = by_code[monev.plan.sub.kode]
    rules = {(w.objek, w.aturan, w.tingkat.value) for w in own.warnings}
    assert rules == {
        ("indikator", "capaian_proyeksi_rendah", "kritis"),
        ("anggaran", "serapan_proyeksi_rendah", "kritis"),
    }
    indicator = next(w for w in own.warnings if w.objek == "indikator")
    assert indicator.proyeksi == Decimal(4) and indicator.capaian_proyeksi == Decimal("40.00")
    other = by_code[risky.kode]
    assert {(w.objek, w.aturan, w.tingkat.value) for w in other.warnings} == {
        ("anggaran", "belum_melapor", "kritis")
    }
    assert other.skipped and "target tahun ini belum diisi" in other.skipped[0]
    assert result.checked == 2 and result.counts() == {"kritis": 3, "waspada": 0, "perhatian": 0}


def test_verified_only_reads_the_submitted_quarter_as_missing(monev: Monev, risky: PlanNode) -> None:
    result = reports.early_warnings(monev.plan.pemda, 2026, 2, include_submitted=False)
    own = next(item for item in result.lines if item.line.node.pk == monev.plan.sub.pk)
    assert {(w.aturan, w.tingkat.value) for w in own.warnings} == {("belum_melapor", "waspada")}


def test_bappeda_sees_every_opd_with_severity_reason_and_entry_link(monev: Monev, risky: PlanNode) -> None:
    page = _client(monev.verifier).get(_url(monev))
    assert page.status_code == 200
    text = page.content.decode()
    assert monev.plan.sub.kode in text and risky.kode in text
    assert "Kritis" in text and "Proyeksi akhir tahun 4 Unit" in text
    assert "Belum melapor untuk triwulan I, II" in text
    entry = reverse(
        "monitoring:entry",
        kwargs={"kode": monev.plan.pemda.kode, "node_id": monev.plan.sub.pk, "tahun": 2026, "triwulan": 2},
    )
    assert entry in text
    assert "terverifikasi dan yang sudah diajukan" in text
    # Links to each OPD's own page.
    assert _url(monev, monev.plan.opd.pk, "") in text and _url(monev, monev.plan.other_opd.pk, "") in text


def test_basis_can_be_verified_only(monev: Monev, risky: PlanNode) -> None:
    text = (
        _client(monev.verifier)
        .get(_url(monev, query="?tahun=2026&tw=2&dasar=terverifikasi"))
        .content.decode()
    )
    assert "Belum melapor untuk triwulan II;" in text
    assert "Dihitung dari realisasi yang sudah terverifikasi saja." in text


def test_operator_sees_only_its_own_opd(monev: Monev, risky: PlanNode) -> None:
    operator = _client(monev.operator)
    text = operator.get(_url(monev)).content.decode()
    assert monev.plan.sub.kode in text and risky.kode not in text
    own = operator.get(_url(monev, monev.plan.opd.pk))
    assert own.status_code == 200 and monev.plan.sub.kode in own.content.decode()
    assert operator.get(_url(monev, monev.plan.other_opd.pk)).status_code == 404


def test_bappeda_opens_one_opd(monev: Monev, risky: PlanNode) -> None:
    text = _client(monev.plan.perencana).get(_url(monev, monev.plan.other_opd.pk)).content.decode()
    assert risky.kode in text and monev.plan.sub.kode not in text


def test_a_year_without_rkpd_says_so(monev: Monev) -> None:
    page = _client(monev.verifier).get(_url(monev, query="?tahun=2030&tw=1"))
    assert page.status_code == 200 and "Belum ada RKPD tahun 2030" in page.content.decode()


def test_nothing_at_risk(monev: Monev) -> None:
    plan = monev.plan
    indicator = set_targets(Indicator.objects.get(node=plan.sub), {2026: Decimal(4)})
    report(plan.sub, 2026, 1, {indicator: Decimal(1)}, Decimal(150) * JUTA)
    text = _client(monev.verifier).get(_url(monev, query="?tahun=2026&tw=1")).content.decode()
    assert "Tidak ada sub-kegiatan yang berisiko" in text
