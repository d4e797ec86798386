"""Advice pages: the recommendation per program and kegiatan over the years, and the planner's decisions.

With the `history` fixture (test_reports.py) program 1.02.02 of the OPD scores 100,00 in 2025 (its
sub-kegiatan: 2 of 2 units; the program has no own indicator that year) and 75,00 in 2026 (its own
outcome indicator: 45 of 60), with serapan 90,00 and 50,00: the latest capaian is sedang, the spending not
boros, so the advice is modifikasi (rule kinerja_belum_tinggi), with two years of data (keyakinan sedang).
"""

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from rencana.core.roles import Role
from rencana.monitoring import reports
from rencana.monitoring.models import ProgramDecision
from rencana.monitoring.tests.conftest import Monev
from rencana.monitoring.tests.test_reports import History, build_history, other_line, report
from rencana.planning.models import Indicator, PlanNode

pytestmark = pytest.mark.django_db


@pytest.fixture(name="history")
def history_fixture(monev: Monev) -> History:
    return build_history(monev)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(monev: Monev, tahun: int = 2026) -> str:
    return reverse("monev_reports:advice", kwargs={"kode": monev.plan.pemda.kode}) + f"?tahun={tahun}"


def _decide(monev: Monev, node: PlanNode) -> str:
    return reverse("monev_reports:decide", kwargs={"kode": monev.plan.pemda.kode, "node_id": node.pk})


def _form(node: PlanNode, keputusan: str, catatan: str = "") -> dict[str, str]:
    return {f"k{node.pk}-keputusan": keputusan, f"k{node.pk}-catatan": catatan}


def test_advice_reads_several_years_absorption_traceability_and_factors(history: History) -> None:
    plan = history.monev.plan
    result = reports.advice_rows(plan.pemda, 2026)
    assert result.years == [2025, 2026]
    rows = {row.node.kode: row for row in result.rows}
    program = rows["1.02.02"]
    assert program.years == [
        (2025, Decimal("100.00"), Decimal("90.00")),
        (2026, Decimal("75.00"), Decimal("50.00")),
    ]
    assert program.tertelusur
    assert program.advice.rekomendasi == "modifikasi" and program.advice.aturan == "kinerja_belum_tinggi"
    assert "Capaian tahun terakhir (2026): 75,00% (Sedang)." in program.advice.bukti
    assert "Faktor penghambat yang dilaporkan: Tender ulang." in program.advice.bukti
    assert program.advice.keyakinan == "sedang"
    kegiatan = rows["1.02.02.2.01"]
    assert kegiatan.years == [
        (2025, Decimal("100.00"), Decimal("90.00")),
        (2026, Decimal("75.00"), Decimal("50.00")),
    ]
    assert kegiatan.tertelusur


def test_an_untraced_program_is_advised_to_change(history: History) -> None:
    monev = history.monev
    sub = other_line(monev, pagu=Decimal(100), target=Decimal(1))
    report(sub, 2026, 1, {Indicator.objects.get(node=sub): Decimal(1)}, Decimal(90))
    rows = {row.node.kode: row for row in reports.advice_rows(monev.plan.pemda, 2026).rows}
    program = rows["X.XX.01"]
    assert not program.tertelusur and not rows["X.XX.01.2.01"].tertelusur
    assert program.advice.aturan == "tidak_tertelusur" and program.advice.rekomendasi == "modifikasi"
    assert "Tidak tertelusur ke sasaran mana pun menurut pemeriksaan logframe." in program.advice.bukti


def test_page_shows_the_advice_with_its_evidence_and_a_form(history: History) -> None:
    monev = history.monev
    page = _client(monev.plan.perencana).get(_page(monev))
    assert page.status_code == 200
    text = page.content.decode()
    assert "saran-modifikasi" in text and "Capaian tahun terakhir (2026): 75,00% (Sedang)." in text
    assert "2025: capaian 100,00%, serapan 90,00%" in text
    assert _decide(monev, monev.plan.program) in text and 'name="csrfmiddlewaretoken"' in text


def test_readers_see_no_form(history: History) -> None:
    monev = history.monev
    text = _client(monev.verifier).get(_page(monev)).content.decode()
    assert "saran-modifikasi" in text and _decide(monev, monev.plan.program) not in text


def test_decision_following_the_advice_needs_no_reason(history: History) -> None:
    monev = history.monev
    response = _client(monev.plan.perencana).post(
        _decide(monev, monev.plan.program), _form(monev.plan.program, "modifikasi")
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#simpul-{monev.plan.program.pk}")
    decision = ProgramDecision.objects.get(node=monev.plan.program, tahun=2026)
    assert (decision.keputusan, decision.saran, decision.catatan) == ("modifikasi", "modifikasi", "")
    assert decision.diputuskan_oleh == monev.plan.perencana
    text = _client(monev.plan.perencana).get(_page(monev)).content.decode()
    assert "Ubah keputusan" in text


def test_overriding_the_advice_without_a_reason_is_refused(history: History) -> None:
    monev = history.monev
    response = _client(monev.plan.perencana).post(
        _decide(monev, monev.plan.program), _form(monev.plan.program, "lanjutkan")
    )
    assert response.status_code == 400
    assert "Keputusan berbeda dari saran sistem: tulis alasannya." in response.content.decode()
    assert not ProgramDecision.objects.exists()


def test_overriding_with_a_reason_is_recorded_and_shown(history: History) -> None:
    monev = history.monev
    client = _client(monev.plan.perencana)
    response = client.post(
        _decide(monev, monev.plan.program), _form(monev.plan.program, "lanjutkan", "Prioritas nasional")
    )
    assert response.status_code == 302
    decision = ProgramDecision.objects.get(node=monev.plan.program, tahun=2026)
    assert (decision.keputusan, decision.saran, decision.catatan) == (
        "lanjutkan",
        "modifikasi",
        "Prioritas nasional",
    )
    text = client.get(_page(monev)).content.decode()
    assert "berbeda dari saran" in text and "Prioritas nasional" in text


def test_the_advice_cannot_be_forged_from_the_form(history: History) -> None:
    """The advice is recomputed on the server: posting another saran does not excuse the reason."""
    monev = history.monev
    data = {**_form(monev.plan.program, "lanjutkan"), "saran": "lanjutkan"}
    response = _client(monev.plan.perencana).post(_decide(monev, monev.plan.program), data)
    assert response.status_code == 400 and not ProgramDecision.objects.exists()


@pytest.mark.parametrize("who", ["operator", "verifier"])
def test_only_managers_record_decisions(history: History, who: str) -> None:
    monev = history.monev
    user = monev.operator if who == "operator" else monev.verifier
    response = _client(user).post(_decide(monev, monev.plan.program), _form(monev.plan.program, "modifikasi"))
    assert response.status_code == 403
    assert not ProgramDecision.objects.exists()


def test_decisions_only_on_programs_and_kegiatan_of_an_rkpd(history: History) -> None:
    monev = history.monev
    client = _client(monev.plan.perencana)
    for node in (monev.plan.sub, monev.plan.sasaran):
        assert client.post(_decide(monev, node), _form(node, "modifikasi")).status_code == 404


def test_bad_form_is_a_400(history: History) -> None:
    monev = history.monev
    response = _client(monev.plan.perencana).post(
        _decide(monev, monev.plan.program), _form(monev.plan.program, "tunda")
    )
    assert response.status_code == 400 and not ProgramDecision.objects.exists()


def test_operator_sees_only_its_own_programs(history: History) -> None:
    monev = history.monev
    other_line(monev)
    own = _client(monev.operator).get(_page(monev)).content.decode()
    assert "1.02.02.2.01" in own and "X.XX.01" not in own
    other = _client(monev.other_operator).get(_page(monev)).content.decode()
    assert "X.XX.01" in other and "1.02.02.2.01" not in other


def test_stop_and_modify_decisions_export_for_the_next_rkpd(history: History) -> None:
    monev = history.monev
    client = _client(monev.plan.perencana)
    client.post(_decide(monev, monev.plan.program), _form(monev.plan.program, "modifikasi"))
    client.post(
        _decide(monev, monev.plan.kegiatan), _form(monev.plan.kegiatan, "lanjutkan", "Sudah diperbaiki")
    )
    url = reverse("monev_reports:decisions_export", kwargs={"kode": monev.plan.pemda.kode}) + "?tahun=2026"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == reports.XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    flat = [v for row in values for v in row]
    assert "Program/kegiatan" in flat and "Keputusan" in flat
    assert monev.plan.program.kode in flat and "Modifikasi" in flat
    assert monev.plan.kegiatan.kode not in flat  # lanjutkan is not exported
    # An operator of another OPD exports nothing of this OPD.
    other = load_workbook(io.BytesIO(_client(monev.other_operator).get(url).content)).active
    assert other is not None
    assert monev.plan.program.kode not in [c for row in other.iter_rows(values_only=True) for c in row]


def test_a_year_without_rkpd(history: History) -> None:
    page = _client(history.monev.plan.perencana).get(_page(history.monev, 2031))
    assert page.status_code == 200 and "Belum ada RKPD tahun 2031" in page.content.decode()


def test_pimpinan_reads_the_advice(history: History, client_as: Callable[..., Client]) -> None:
    page = client_as(Role.PIMPINAN, history.monev.plan.pemda).get(_page(history.monev))
    assert page.status_code == 200 and "Catat keputusan" not in page.content.decode()
