"""The Kota Pasuruan demo: a closed workshop whose medians give the acceptance matrix, TOWS, litmus, RPJMD."""

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rencana.core.roles import Role
from rencana.planning.models import PlanDocument, PlanNode
from rencana.regions.models import Pemda
from rencana.strategy import demo, litmus, services, swot, workshop
from rencana.strategy.models import (
    Analysis,
    AnalysisStatus,
    Participant,
    Round,
    StrategicIssue,
    Submission,
    TowsStrategy,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"


def expected_json() -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(
        (DATA / "swot_kota_pasuruan_expected.json").read_text(encoding="utf-8"), parse_float=Decimal
    )
    expected.pop("note")
    return expected


@pytest.fixture
def loaded(pemda_b: Pemda) -> tuple[Analysis, str, int]:
    out = io.StringIO()
    created = demo.load(stdout=out)
    return Analysis.objects.get(pemda=pemda_b, judul=demo.JUDUL), out.getvalue(), created


def counts() -> tuple[int, ...]:
    return (
        Analysis.objects.count(),
        Participant.objects.count(),
        Round.objects.count(),
        Submission.objects.count(),
        TowsStrategy.objects.count(),
        StrategicIssue.objects.count(),
        PlanDocument.objects.count(),
        PlanNode.objects.count(),
    )


def test_load_creates_the_analysis_with_the_eleven_factors(loaded: tuple[Analysis, str, int]) -> None:
    analysis, out, created = loaded
    assert analysis.tanggal.isoformat() == "2026-10-15"
    assert analysis.fasilitator and "SAP" in analysis.ruang_lingkup and "ETOP" in analysis.ruang_lingkup
    assert analysis.opd is not None and "Bappeda" in analysis.opd.nama
    factors = services.factors_of(analysis)
    assert sorted(f.kode for f in factors) == [
        "O1",
        "O2",
        "O3",
        "S1",
        "S2",
        "S3",
        "S4",
        "T1",
        "T2",
        "W1",
        "W2",
    ]
    assert all(f.penjelasan for f in factors)
    assert created > 30
    assert "Kota Pasuruan" in out and "11 faktor" in out


def test_final_matrix_reproduces_the_acceptance_case_exactly(loaded: tuple[Analysis, str, int]) -> None:
    analysis = loaded[0]
    factors = services.factors_of(analysis)
    assert {f.kode: (str(f.bobot), f.rating) for f in factors} == {
        "S1": ("0.2000", 3),
        "S2": ("0.1500", 3),
        "S3": ("0.1500", 4),
        "S4": ("0.1000", 3),
        "W1": ("0.1500", 2),
        "W2": ("0.2500", 1),
        "O1": ("0.2500", 4),
        "O2": ("0.2000", 3),
        "O3": ("0.1500", 3),
        "T1": ("0.2000", 2),
        "T2": ("0.2000", 2),
    }
    result, problems = services.matrix_result(factors)
    assert problems == [] and result is not None
    assert swot.result_json(result) == expected_json()


def test_round_is_closed_by_median_with_three_submissions_and_notes(
    loaded: tuple[Analysis, str, int],
) -> None:
    analysis = loaded[0]
    assert analysis.status == AnalysisStatus.CLOSED
    rnd = Round.objects.get(analisis=analysis)
    assert rnd.ditutup is not None and rnd.metode_agregasi == "median"
    assert rnd.ringkasan_diskusi.startswith("Peserta sepakat")
    assert any("median" in note for note in rnd.catatan)
    assert any(note.startswith("Ringkasan diskusi:") for note in rnd.catatan)
    assert analysis.catatan_matriks == rnd.catatan
    submissions = services.round_submissions(rnd)
    assert len(submissions) == 3 and all(s.selesai for s in submissions)
    participants = Participant.objects.filter(analisis=analysis)
    assert [p.nama for p in participants] == [
        "Kepala Bidang Perencanaan",
        "Kepala Bidang Data dan Litbang",
        "Sekretaris Bappeda",
    ]
    # Without the accounts demo every participant was invited by a one-time link.
    assert all(p.user_id is None and p.token_hash for p in participants)
    # The medians need no re-normalization, and T1's ratings (1, 2, 3) are flagged for discussion.
    final = services.aggregate_round(analysis, rnd, "median")
    assert final is not None
    assert all(f.bobot == f.bobot_agregat for f in final.factors)
    t1 = next(f for f in final.factors if f.kode == "T1")
    assert t1.disagreement.level == workshop.PERLU_DIBAHAS


def test_tows_strategies_cite_their_cells_kinds_and_four_are_chosen(
    loaded: tuple[Analysis, str, int],
) -> None:
    analysis = loaded[0]
    strategies = list(TowsStrategy.objects.filter(analisis=analysis).prefetch_related("faktor"))
    assert sorted({s.sel for s in strategies}) == ["SO", "ST", "WO", "WT"]
    for strategy in strategies:
        kinds = {f.jenis for f in strategy.faktor.all()}
        assert kinds == services.CELL_KINDS[strategy.sel], strategy.teks
    chosen = [s for s in strategies if s.terpilih]
    assert len(chosen) == 4
    assert sorted(s.sel for s in chosen) == ["SO", "SO", "WO", "WT"]
    assert any("Kota dalam Angka" in s.teks and "kecamatan" in s.teks for s in chosen)
    assert any("Rakorbang" in s.teks for s in chosen)


def test_issues_rank_the_chosen_four_first_and_link_to_the_rpjmd(loaded: tuple[Analysis, str, int]) -> None:
    analysis = loaded[0]
    items, bands = services.litmus_config(analysis)
    issues = list(StrategicIssue.objects.filter(analisis=analysis).select_related("strategi"))
    assert len(issues) == len(demo.STRATEGIES)
    assert all(i.pertanyaan.endswith("?") and i.strategi is not None for i in issues)
    ranked = litmus.rank([(i, litmus.score(items, bands, i.litmus)) for i in issues])
    assert all(r.score.complete for r in ranked)
    assert [r.key.terpilih for r in ranked] == [True] * 4 + [False] * 3
    assert all(r.key.strategi.terpilih == r.key.terpilih for r in ranked if r.key.strategi)
    assert [r.rank for r in ranked] == list(range(1, 8))
    assert {r.score.label for r in ranked[:4]} <= {litmus.SANGAT_STRATEGIS, litmus.CUKUP_STRATEGIS}
    assert ranked[0].score.label == litmus.SANGAT_STRATEGIS
    assert ranked[4].score.total < ranked[3].score.total
    # The chosen issues are linked to the RPJMD tujuan and sasaran; one became a draft strategi.
    rpjmd = PlanDocument.objects.get(pemda=analysis.pemda, jenis="RPJMD")
    assert not rpjmd.terkunci
    assert [n.jenis for n in PlanNode.objects.filter(dokumen=rpjmd).order_by("id")] == [
        "visi",
        "misi",
        "misi",
        "tujuan",
        "sasaran",
        "strategi",
    ]
    for issue in issues:
        linked = set(issue.simpul.values_list("jenis", flat=True))
        if issue.terpilih:
            assert {"tujuan", "sasaran"} <= linked
        else:
            assert linked == set()
    strategi = PlanNode.objects.get(dokumen=rpjmd, jenis="strategi")
    assert strategi.induk is not None and strategi.induk.jenis == "sasaran"
    assert StrategicIssue.objects.filter(analisis=analysis, simpul=strategi, terpilih=True).count() == 1


def test_load_twice_changes_nothing(loaded: tuple[Analysis, str, int]) -> None:
    before = counts()
    out = io.StringIO()
    assert demo.load(stdout=out) == 0
    assert counts() == before
    assert out.getvalue() == ""


def test_load_without_the_pemda_does_nothing(db: Any) -> None:
    assert demo.load(stdout=io.StringIO()) == 0
    assert counts() == (0, 0, 0, 0, 0, 0, 0, 0)


def test_demo_planner_takes_part_and_is_the_actor(pemda_b: Pemda, make_user: Any) -> None:
    planner = make_user(Role.PERENCANA, pemda_b, username="perencana")
    demo.load(stdout=io.StringIO())
    analysis = Analysis.objects.get(pemda=pemda_b, judul=demo.JUDUL)
    assert analysis.dibuat_oleh == planner
    first = Participant.objects.filter(analisis=analysis).first()
    assert first is not None and first.user == planner and first.token_hash == ""
    assert Round.objects.get(analisis=analysis).ditutup_oleh == planner


def test_existing_rpjmd_is_reused(pemda_b: Pemda) -> None:
    from rencana.planning import services as plan_services
    from rencana.planning.services import NodeInput

    document = plan_services.document_create(actor=None, pemda=pemda_b, jenis="RPJMD", tahun_mulai=2025)
    visi = plan_services.node_create(
        actor=None, document=document, parent=None, data=NodeInput(jenis="visi", nama="Visi uji")
    )
    misi = plan_services.node_create(
        actor=None, document=document, parent=visi, data=NodeInput(jenis="misi", nama="Misi uji")
    )
    tujuan = plan_services.node_create(
        actor=None, document=document, parent=misi, data=NodeInput(jenis="tujuan", nama="Tujuan uji")
    )
    demo.load(stdout=io.StringIO())
    assert PlanDocument.objects.filter(pemda=pemda_b, jenis="RPJMD").count() == 1
    analysis = Analysis.objects.get(pemda=pemda_b, judul=demo.JUDUL)
    chosen = StrategicIssue.objects.filter(analisis=analysis, terpilih=True)
    assert chosen.count() == 4
    assert all(list(i.simpul.all()) == [tujuan] for i in chosen)
