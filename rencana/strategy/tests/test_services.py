"""Writes of the strategic analysis: the matrix is all or nothing, the workshop records how the final
matrix was reached, one-time links work once, TOWS cites the right factors, issues reach the RPJMD."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.models import AuditEvent
from rencana.planning import services as plan_services
from rencana.planning.models import PlanNode
from rencana.planning.services import NodeInput
from rencana.regions.models import Pemda
from rencana.strategy import services, swot
from rencana.strategy.models import AnalysisStatus, Factor, StrategicIssue
from rencana.strategy.tests.conftest import DATA, Pasuruan, pasuruan_rows


def expected_json() -> dict[str, object]:
    data = json.loads((DATA / "swot_kota_pasuruan_expected.json").read_text(encoding="utf-8"))
    data.pop("note")
    return data


def as_plain(value: object) -> object:
    return json.loads(json.dumps(value, default=float))


def test_the_pasuruan_matrix_reproduces_the_published_result(pasuruan: Pasuruan) -> None:
    result, problems = services.matrix_result(services.factors_of(pasuruan.analysis))
    assert problems == []
    assert result is not None
    assert as_plain(swot.result_json(result)) == expected_json()


def _entries(**changes: tuple[str, str]) -> dict[str, services.MatrixEntry]:
    entries = {r["kode"]: services.MatrixEntry(r["bobot"], r["rating"]) for r in pasuruan_rows()}
    for kode, (bobot, rating) in changes.items():
        entries[kode] = services.MatrixEntry(bobot, rating)
    return entries


def test_bad_matrix_names_every_problem_and_saves_nothing(open_analysis: Pasuruan) -> None:
    analysis = open_analysis.analysis
    # S1 0.10 instead of 0.20 makes IFAS sum to 0.90; S2 rated 5.
    entries = _entries(S1=("0,10", "3"), S2=("0.15", "5"))
    events_before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as caught:
        services.matrix_set(actor=None, analysis=analysis, expected_version=analysis.version, entries=entries)
    text = " ".join(e["pesan"] for e in caught.value.errors)
    assert "IFAS" in text and "0,90" in text
    assert "S2" in text and "5" in text
    assert Factor.objects.filter(analisis=analysis, bobot__isnull=False).count() == 0
    assert AuditEvent.objects.count() == events_before


def test_an_empty_factor_statement_is_refused(open_analysis: Pasuruan) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.factor_create(
            actor=None, analysis=open_analysis.analysis, data=services.FactorInput(jenis="S", faktor="   ")
        )
    assert caught.value.errors[0]["kolom"] == "faktor"
    assert Factor.objects.filter(analisis=open_analysis.analysis).count() == 11


def test_raw_numbers_are_normalized_with_an_explanation(open_analysis: Pasuruan) -> None:
    analysis = open_analysis.analysis
    raw = {
        r["kode"]: services.MatrixEntry(str(int(Decimal(r["bobot"]) * 100)), r["rating"])
        for r in pasuruan_rows()
    }
    _analysis, steps = services.matrix_set(
        actor=None, analysis=analysis, expected_version=analysis.version, entries=raw, normalize=True
    )
    assert steps and any("100" in s for s in steps)
    result, _problems = services.matrix_result(services.factors_of(analysis))
    assert result is not None and as_plain(swot.result_json(result)) == expected_json()


def test_a_stale_matrix_edit_is_refused(pasuruan: Pasuruan) -> None:
    analysis = pasuruan.analysis
    with pytest.raises(ConflictError):
        services.matrix_set(
            actor=None, analysis=analysis, expected_version=analysis.version - 1, entries=_entries()
        )


def test_unknown_factor_codes_in_the_matrix_are_refused(open_analysis: Pasuruan) -> None:
    entries = _entries()
    entries["X9"] = services.MatrixEntry("0.1", "2")
    with pytest.raises(ApplicationError) as caught:
        services.matrix_set(
            actor=None,
            analysis=open_analysis.analysis,
            expected_version=open_analysis.analysis.version,
            entries=entries,
        )
    assert any(e["kolom"] == "X9" for e in caught.value.errors)


def _score(kodes_weights: dict[str, tuple[str, str]]) -> services.ScoreInput:
    return services.ScoreInput(
        mentah={k: w for k, (w, _r) in kodes_weights.items()},
        rating={k: r for k, (_w, r) in kodes_weights.items()},
        berpasangan={},
    )


def test_three_participants_score_and_closing_the_round_fixes_the_median_matrix(
    open_analysis: Pasuruan,
) -> None:
    analysis = open_analysis.analysis
    links = [
        services.participant_add(actor=None, analysis=analysis, nama=f"Peserta {n}")[1] for n in (1, 2, 3)
    ]
    analysis.refresh_from_db()
    rnd = services.round_open(
        actor=open_analysis.planner, analysis=analysis, expected_version=analysis.version
    )
    base = {r["kode"]: (str(int(Decimal(r["bobot"]) * 100)), r["rating"]) for r in pasuruan_rows()}
    participants = [services.participant_claim(link) for link in links]
    low = {**base, "S1": ("18", "2"), "O1": ("23", "3")}
    high = {**base, "S1": ("22", "4"), "O1": ("27", "4")}
    for participant, answers in zip(participants, (base, low, high), strict=True):
        services.submission_save(
            participant=participant, rnd=rnd, data=_score(answers), expected_version=None
        )
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SCORING
    services.round_close(
        actor=open_analysis.planner,
        analysis=analysis,
        expected_version=analysis.version,
        method="median",
        ringkasan="S1 dibahas: median dipakai.",
    )
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.CLOSED
    assert any("median" in n.lower() for n in analysis.catatan_matriks)
    assert any("S1 dibahas" in n for n in analysis.catatan_matriks)
    result, problems = services.matrix_result(services.factors_of(analysis))
    assert problems == [] and result is not None
    assert as_plain(swot.result_json(result)) == expected_json()


def test_participant_answers_are_all_or_nothing(open_analysis: Pasuruan) -> None:
    analysis = open_analysis.analysis
    participant, _link = services.participant_add(actor=None, analysis=analysis, nama="Peserta")
    analysis.refresh_from_db()
    rnd = services.round_open(actor=None, analysis=analysis, expected_version=analysis.version)
    answers = {r["kode"]: ("1", r["rating"]) for r in pasuruan_rows()}
    answers["W1"] = ("-2", "2")
    answers["T2"] = ("1", "5")
    with pytest.raises(ApplicationError) as caught:
        services.submission_save(
            participant=participant, rnd=rnd, data=_score(answers), expected_version=None
        )
    columns = {e["kolom"] for e in caught.value.errors}
    assert {"W1.bobot", "T2.rating"} <= columns
    assert not rnd.jawaban.exists()


def test_factors_are_frozen_while_a_round_is_open(open_analysis: Pasuruan) -> None:
    analysis = open_analysis.analysis
    services.participant_add(actor=None, analysis=analysis, nama="Peserta")
    analysis.refresh_from_db()
    services.round_open(actor=None, analysis=analysis, expected_version=analysis.version)
    analysis.refresh_from_db()
    with pytest.raises(ConflictError):
        services.factor_create(
            actor=None, analysis=analysis, data=services.FactorInput(jenis="O", faktor="Baru")
        )


def test_a_one_time_link_works_once(open_analysis: Pasuruan) -> None:
    _participant, link = services.participant_add(actor=None, analysis=open_analysis.analysis, nama="Tamu")
    services.participant_claim(link)
    with pytest.raises(ConflictError):
        services.participant_claim(link)
    with pytest.raises(NotFoundError):
        services.participant_claim("bukan-tautan")


def test_closing_without_answers_is_refused(open_analysis: Pasuruan) -> None:
    analysis = open_analysis.analysis
    services.participant_add(actor=None, analysis=analysis, nama="Peserta")
    analysis.refresh_from_db()
    services.round_open(actor=None, analysis=analysis, expected_version=analysis.version)
    analysis.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.round_close(
            actor=None, analysis=analysis, expected_version=analysis.version, method="median"
        )


def test_tows_strategies_cite_only_their_cell_kinds(pasuruan: Pasuruan) -> None:
    factors = {f.kode: f for f in services.factors_of(pasuruan.analysis)}
    strategy = services.tows_create(
        actor=None,
        analysis=pasuruan.analysis,
        sel="SO",
        teks="Kembangkan SIPD",
        factor_ids=[factors["S1"].pk, factors["O2"].pk],
    )
    assert sorted(strategy.faktor.values_list("kode", flat=True)) == ["O2", "S1"]
    with pytest.raises(ApplicationError) as caught:
        services.tows_create(
            actor=None, analysis=pasuruan.analysis, sel="WT", teks="Salah sel", factor_ids=[factors["S1"].pk]
        )
    assert "S1" in caught.value.message
    with pytest.raises(ApplicationError):
        services.tows_create(
            actor=None, analysis=pasuruan.analysis, sel="WO", teks="Tanpa faktor", factor_ids=[]
        )


def test_issues_are_questions_scored_by_the_litmus_test(pasuruan: Pasuruan) -> None:
    with pytest.raises(ApplicationError):
        services.issue_create(actor=None, analysis=pasuruan.analysis, pertanyaan="Bukan pertanyaan")
    issue = services.issue_create(
        actor=None, analysis=pasuruan.analysis, pertanyaan="Bagaimana meningkatkan mutu produk perencanaan?"
    )
    answers = {f"L{n:02d}": "3" for n in range(1, 14)}
    result = services.issue_score(actor=None, issue=issue, expected_version=issue.version, answers=answers)
    assert result.total == 39 and result.complete and result.label == "sangat strategis"
    issue.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.issue_score(actor=None, issue=issue, expected_version=issue.version, answers={"L01": "4"})


def _rpjmd(pasuruan: Pasuruan) -> tuple[PlanNode, PlanNode]:
    document = plan_services.document_create(
        actor=None, pemda=pasuruan.pemda, jenis="RPJMD", tahun_mulai=2025
    )
    misi = plan_services.node_create(
        actor=None, document=document, parent=None, data=NodeInput(jenis="misi", kode="1", nama="Misi satu")
    )
    tujuan = plan_services.node_create(
        actor=None,
        document=document,
        parent=misi,
        data=NodeInput(jenis="tujuan", kode="1.1", nama="Tujuan satu"),
    )
    return misi, tujuan


def test_a_chosen_issue_links_to_the_rpjmd_and_becomes_a_draft_sasaran(pasuruan: Pasuruan) -> None:
    _misi, tujuan = _rpjmd(pasuruan)
    issue = services.issue_create(
        actor=None, analysis=pasuruan.analysis, pertanyaan="Bagaimana memperkuat data?"
    )
    services.issue_link(actor=None, issue=issue, node_ids=[tujuan.pk])
    node = services.issue_make_node(
        actor=pasuruan.planner,
        issue=issue,
        parent=tujuan,
        jenis="sasaran",
        nama="Meningkatnya mutu data",
    )
    assert node.jenis == "sasaran" and node.induk_id == tujuan.pk
    assert set(StrategicIssue.objects.get(pk=issue.pk).simpul.values_list("pk", flat=True)) == {
        tujuan.pk,
        node.pk,
    }
    with pytest.raises(ApplicationError):
        services.issue_make_node(actor=None, issue=issue, parent=tujuan, jenis="strategi", nama="x")


def test_links_to_another_pemdas_plan_are_refused(pasuruan: Pasuruan, pemda_a: Pemda) -> None:
    document = plan_services.document_create(actor=None, pemda=pemda_a, jenis="RPJMD", tahun_mulai=2025)
    misi = plan_services.node_create(
        actor=None, document=document, parent=None, data=NodeInput(jenis="misi", kode="1", nama="Misi lain")
    )
    tujuan = plan_services.node_create(
        actor=None,
        document=document,
        parent=misi,
        data=NodeInput(jenis="tujuan", kode="1.1", nama="Tujuan lain"),
    )
    issue = services.issue_create(actor=None, analysis=pasuruan.analysis, pertanyaan="Isu?")
    with pytest.raises(ApplicationError):
        services.issue_link(actor=None, issue=issue, node_ids=[tujuan.pk])
    with pytest.raises(NotFoundError):
        services.issue_make_node(actor=None, issue=issue, parent=tujuan, jenis="sasaran", nama="x")


def test_every_write_is_audited(open_analysis: Pasuruan) -> None:
    analysis = open_analysis.analysis
    services.matrix_set(
        actor=open_analysis.planner, analysis=analysis, expected_version=analysis.version, entries=_entries()
    )
    event = AuditEvent.objects.filter(action="matrix_set", object_id=str(analysis.pk)).get()
    assert event.actor == open_analysis.planner
    assert event.before is not None and event.after is not None
    assert event.before["matriks"]["S1"] == [None, None]
    assert event.after["matriks"]["S1"][1] == 3


def test_reopening_a_closed_analysis_allows_changes_again(pasuruan: Pasuruan) -> None:
    analysis = pasuruan.analysis
    analysis.status = AnalysisStatus.CLOSED
    analysis.save(update_fields=["status"])
    with pytest.raises(ConflictError):
        services.factor_create(
            actor=None, analysis=analysis, data=services.FactorInput(jenis="T", faktor="Baru")
        )
    services.analysis_reopen(actor=None, analysis=analysis, expected_version=analysis.version)
    services.factor_create(actor=None, analysis=analysis, data=services.FactorInput(jenis="T", faktor="Baru"))


def test_analysis_needs_a_title_and_a_date(pasuruan: Pasuruan) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.analysis_create(
            actor=None, pemda=pasuruan.pemda, data=services.AnalysisInput(judul=" ", tanggal=None)
        )
    assert {e["kolom"] for e in caught.value.errors} == {"judul", "tanggal"}
    ok = services.analysis_create(
        actor=None,
        pemda=pasuruan.pemda,
        data=services.AnalysisInput(judul="A", tanggal=datetime.date(2026, 1, 1)),
    )
    assert ok.litmus["bands"][0] == [13, 21, "kurang strategis"]


def test_pairwise_weights_give_the_participant_weights(open_analysis: Pasuruan) -> None:
    analysis = open_analysis.analysis
    analysis.metode_bobot = "berpasangan"
    analysis.save(update_fields=["metode_bobot"])
    participant, _link = services.participant_add(actor=None, analysis=analysis, nama="Peserta")
    analysis.refresh_from_db()
    rnd = services.round_open(actor=None, analysis=analysis, expected_version=analysis.version)
    factors = services.factors_of(analysis)
    pairs: dict[str, str] = {}
    for matrix in (("S", "W"), ("O", "T")):
        group = [f for f in factors if f.jenis in matrix]
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                pairs[f"{a.kode}|{b.kode}"] = "1"
    data = services.ScoreInput(mentah={}, rating={f.kode: "2" for f in factors}, berpasangan=pairs)
    submission, steps = services.submission_save(
        participant=participant, rnd=rnd, data=data, expected_version=None
    )
    weights = {k: Decimal(v["bobot"]) for k, v in submission.skor.items()}
    assert sum(weights[f.kode] for f in factors if f.jenis in "SW") == 1
    assert sum(weights[f.kode] for f in factors if f.jenis in "OT") == 1
    assert steps
    bad = dict(pairs)
    bad.pop(next(iter(bad)))
    with pytest.raises(ApplicationError):
        services.submission_save(
            participant=participant,
            rnd=rnd,
            data=services.ScoreInput(mentah={}, rating=data.rating, berpasangan=bad),
            expected_version=submission.version,
        )


def test_user_participants_have_no_link(open_analysis: Pasuruan) -> None:
    user = User.objects.create_user(username="peserta-akun")
    participant, link = services.participant_add(
        actor=None, analysis=open_analysis.analysis, nama="", user=user
    )
    assert link == "" and participant.nama == "peserta-akun"
    with pytest.raises(ApplicationError):
        services.participant_add(actor=None, analysis=open_analysis.analysis, nama="lagi", user=user)


def test_a_pairwise_round_with_more_than_fifteen_factors_per_matrix_is_refused(
    open_analysis: Pasuruan,
) -> None:
    analysis = open_analysis.analysis
    analysis.metode_bobot = "berpasangan"
    analysis.save(update_fields=["metode_bobot"])
    for n in range(12):
        services.factor_create(
            actor=None, analysis=analysis, data=services.FactorInput(jenis="S", faktor=f"S tambahan {n}")
        )
    services.participant_add(actor=None, analysis=analysis, nama="Peserta")
    analysis.refresh_from_db()
    with pytest.raises(ApplicationError) as caught:
        services.round_open(actor=None, analysis=analysis, expected_version=analysis.version)
    assert "IFAS" in caught.value.message and "15" in caught.value.message
