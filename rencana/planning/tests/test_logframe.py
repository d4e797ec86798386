"""The logframe checker on plain data: every rule, the scores, the renderings; no database."""

import dataclasses
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pytest

from rencana.planning.logframe import (
    CheckResult,
    DocumentData,
    Finding,
    IndicatorData,
    NodeData,
    NomenclatureEntry,
    OpdScore,
    Severity,
    check_document,
    result_to_dict,
    result_to_text,
)

D = Decimal
YEARS = (2025, 2026, 2027, 2028, 2029)
VISI, MISI, TUJUAN, SASARAN, STRATEGI, ARAH = 1, 2, 3, 4, 5, 6
PROGRAM, KEGIATAN, SUB = 10, 11, 12
PROGRAM_KODE, KEGIATAN_KODE, SUB_KODE = "1.02.02", "1.02.02.2.01", "1.02.02.2.01.0001"
DINKES = "Dinas Kesehatan"


# --- factories --------------------------------------------------------------------------------------


def node(node_id: int, jenis: str, kode: str = "", induk: int | None = None, **changes: Any) -> NodeData:
    changes.setdefault("nama", f"{jenis} nomor {node_id}")
    return NodeData(id=node_id, jenis=jenis, kode=kode, induk_id=induk, **changes)


def pagu(amount: int | str, years: Iterable[int] = YEARS) -> dict[int, Decimal]:
    return dict.fromkeys(years, D(amount))


def indicator(
    indicator_id: int,
    node_id: int,
    *,
    jenis: str = "outcome",
    years: Iterable[int] = YEARS,
    targets: Mapping[int, Decimal] | None = None,
    **changes: Any,
) -> IndicatorData:
    fields: dict[str, Any] = {
        "nama": f"Indikator {indicator_id}",
        "satuan": "persen",
        "polaritas": "positif",
        "baseline_tahun": 2024,
        "baseline_nilai": D("10"),
    }
    fields.update(changes)
    if targets is None:
        targets = {year: D(11 + i) for i, year in enumerate(years)}
    return IndicatorData(id=indicator_id, node_id=node_id, jenis=jenis, targets=targets, **fields)


def nomenclature(*entries: tuple[str, str, str]) -> dict[str, NomenclatureEntry]:
    return {
        kode: NomenclatureEntry(kode=kode, level=level, kode_induk=induk, nama=kode)
        for kode, level, induk in entries
    }


NOMENCLATURE = nomenclature(
    (PROGRAM_KODE, "program", "1.02"),
    (KEGIATAN_KODE, "kegiatan", PROGRAM_KODE),
    (SUB_KODE, "sub_kegiatan", KEGIATAN_KODE),
    ("1.02.02.2.02", "kegiatan", PROGRAM_KODE),
    ("1.02.02.2.02.0001", "sub_kegiatan", "1.02.02.2.02"),
)


def clean_document(**changes: Any) -> DocumentData:
    """An RPJMD without any finding: every level, linked program, consistent pagu, complete indicators."""
    nodes = (
        node(VISI, "visi", "1"),
        node(MISI, "misi", "1", VISI),
        node(TUJUAN, "tujuan", "1.1", MISI),
        node(SASARAN, "sasaran", "1.1.1", TUJUAN),
        node(STRATEGI, "strategi", "1.1.1.1", SASARAN),
        node(ARAH, "arah_kebijakan", "1.1.1.1.1", STRATEGI),
        node(
            PROGRAM,
            "program",
            PROGRAM_KODE,
            None,
            opd_id=7,
            opd_nama=DINKES,
            sasaran_ids=(SASARAN,),
            pagu=pagu(1000),
        ),
        node(KEGIATAN, "kegiatan", KEGIATAN_KODE, PROGRAM, pagu=pagu(600)),
        node(SUB, "sub_kegiatan", SUB_KODE, KEGIATAN, pagu=pagu(500)),
    )
    indicators = (
        indicator(101, TUJUAN),
        indicator(
            102,
            SASARAN,
            polaritas="negatif",
            baseline_nilai=D(20),
            targets=dict(zip(YEARS, map(D, (19, 18, 17, 16, 15)), strict=True)),
        ),
        indicator(103, PROGRAM),
        indicator(104, KEGIATAN, jenis="output", satuan="dokumen"),
        indicator(105, SUB, jenis="output", satuan="orang"),
    )
    fields: dict[str, Any] = {
        "id": 1,
        "jenis": "RPJMD",
        "nama": "RPJMD Kabupaten Contoh 2025-2029",
        "tahun": YEARS,
        "nodes": nodes,
        "indicators": indicators,
        "known_sasaran_ids": frozenset({SASARAN}),
        "parent_jenis": "RPJPD",
        "nomenclature": NOMENCLATURE,
    }
    fields.update(changes)
    return DocumentData(**fields)


def budget_document(
    nodes: Iterable[NodeData], indicators: Iterable[IndicatorData] = (), **changes: Any
) -> DocumentData:
    """An RKPD 2026 of budget nodes only (its sasaran 4 lives in the RPJMD); no nomenclature unless given."""
    fields: dict[str, Any] = {
        "id": 2,
        "jenis": "RKPD",
        "nama": "RKPD 2026",
        "tahun": (2026,),
        "nodes": tuple(nodes),
        "indicators": tuple(indicators),
        "known_sasaran_ids": frozenset({SASARAN}),
        "parent_jenis": "RPJMD",
    }
    fields.update(changes)
    return DocumentData(**fields)


def with_node(doc: DocumentData, node_id: int, **changes: Any) -> DocumentData:
    nodes = tuple(dataclasses.replace(n, **changes) if n.id == node_id else n for n in doc.nodes)
    return dataclasses.replace(doc, nodes=nodes)


def with_indicator(doc: DocumentData, indicator_id: int, **changes: Any) -> DocumentData:
    indicators = tuple(
        dataclasses.replace(i, **changes) if i.id == indicator_id else i for i in doc.indicators
    )
    return dataclasses.replace(doc, indicators=indicators)


def without_indicators_of(doc: DocumentData, node_id: int) -> DocumentData:
    return dataclasses.replace(doc, indicators=tuple(i for i in doc.indicators if i.node_id != node_id))


def adding(doc: DocumentData, *nodes: NodeData, indicators: Iterable[IndicatorData] = ()) -> DocumentData:
    return dataclasses.replace(doc, nodes=doc.nodes + nodes, indicators=doc.indicators + tuple(indicators))


def found(result: CheckResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def summary(result: CheckResult) -> list[tuple[str, str, int | None]]:
    return [(f.rule, f.severity.value, f.node_id) for f in result.findings]


def the_one(result: CheckResult, rule: str) -> Finding:
    findings = found(result, rule)
    assert len(findings) == 1, summary(result)
    return findings[0]


# --- clean documents --------------------------------------------------------------------------------


def test_clean_rpjmd_has_no_findings_and_full_scores() -> None:
    result = check_document(clean_document())
    assert result.findings == ()
    assert result.counts() == {"error": 0, "warning": 0, "info": 0}
    assert result.document_id == 1
    assert result.pagu_total == D(2500)  # the sub-kegiatan (leaf): 500 x 5 years
    assert result.pagu_traceable == D(2500)
    assert result.pct_pagu_traceable == D("100.00")
    assert (result.indicators_total, result.indicators_complete) == (5, 5)
    assert result.pct_indicators_complete == D("100.00")
    assert result.per_opd == (OpdScore(DINKES, D(2500), D(2500), D("100.00")),)


def test_clean_rkpd_and_renja_compared_with_their_parents_have_no_findings() -> None:
    nodes = (
        node(PROGRAM, "program", PROGRAM_KODE, opd_nama=DINKES, sasaran_ids=(SASARAN,), pagu={2026: D(100)}),
        node(KEGIATAN, "kegiatan", KEGIATAN_KODE, PROGRAM, pagu={2026: D(100)}),
        node(SUB, "sub_kegiatan", SUB_KODE, KEGIATAN, pagu={2026: D(100)}),
    )
    indicators = [indicator(1, SUB, jenis="output", years=(2026,))]
    rkpd = budget_document(
        nodes, indicators, parent_program_codes=frozenset({PROGRAM_KODE}), nomenclature=NOMENCLATURE
    )
    renja = dataclasses.replace(
        rkpd,
        jenis="RENJA",
        parent_jenis="RKPD",
        parent_program_codes=None,
        parent_sub_kegiatan_codes=frozenset({SUB_KODE}),
    )
    assert check_document(rkpd).findings == ()
    assert check_document(renja).findings == ()


def test_empty_document_has_no_findings_and_no_percentages() -> None:
    result = check_document(budget_document(()))
    assert result.findings == ()
    assert result.pagu_total == D(0)
    assert result.pct_pagu_traceable is None
    assert result.pct_indicators_complete is None
    assert result.per_opd == ()


# --- rules 1-4: strategic nodes and indicators --------------------------------------------------------


def test_misi_without_tujuan_is_an_error() -> None:
    doc = adding(clean_document(), node(20, "misi", "2", VISI, nama="Misi tanpa anak"))
    finding = the_one(check_document(doc), "misi_tanpa_tujuan")
    assert finding.severity == Severity.ERROR
    assert finding.node_id == 20
    assert finding.node_label == "Misi 2 Misi tanpa anak"
    assert "Misi 2" in finding.message
    assert finding.fix


@pytest.mark.parametrize("node_id", [TUJUAN, SASARAN])
def test_tujuan_or_sasaran_without_indicator_is_an_error(node_id: int) -> None:
    result = check_document(without_indicators_of(clean_document(), node_id))
    finding = the_one(result, "tanpa_indikator")
    assert (finding.severity, finding.node_id) == (Severity.ERROR, node_id)
    assert summary(result) == [("tanpa_indikator", "error", node_id)]


def test_indicator_without_satuan_is_an_error() -> None:
    result = check_document(with_indicator(clean_document(), 103, satuan="  "))
    finding = the_one(result, "indikator_tanpa_satuan")
    assert (finding.severity, finding.node_id, finding.indicator_id) == (Severity.ERROR, PROGRAM, 103)
    assert finding.opd_nama == DINKES
    assert "Indikator 103" in finding.message


@pytest.mark.parametrize("missing", [{"baseline_tahun": None}, {"baseline_nilai": None}])
def test_indicator_without_baseline_year_or_value_is_a_warning(missing: dict[str, None]) -> None:
    result = check_document(with_indicator(clean_document(), 101, **missing))
    assert summary(result) == [("indikator_tanpa_baseline", "warning", TUJUAN)]
    assert result.findings[0].indicator_id == 101


def test_indicator_missing_targets_is_an_error_naming_the_years() -> None:
    targets = {2025: D(11), 2026: D(12), 2028: D(14)}
    result = check_document(with_indicator(clean_document(), 101, targets=targets))
    finding = the_one(result, "indikator_tanpa_target")
    assert (finding.severity, finding.node_id, finding.indicator_id) == (Severity.ERROR, TUJUAN, 101)
    assert "2027, 2029" in finding.message
    assert "2025" not in finding.message.replace("2025-2029", "")


def _targets(*values: int | str) -> dict[int, Decimal]:
    return {year: D(value) for year, value in zip(YEARS, values, strict=True)}


@pytest.mark.parametrize(
    ("polaritas", "baseline", "targets", "named"),
    [
        ("positif", 10, _targets(11, 12, "11.5", 13, 14), "2026→2027 (12 → 11,5)"),
        ("positif", 15, _targets(11, 12, 13, 14, 15), "2024→2025 (15 → 11)"),
        ("negatif", 20, _targets(19, 18, 19, 17, 16), "2026→2027 (18 → 19)"),
    ],
)
def test_targets_moving_against_polarity_are_a_warning_naming_the_years(
    polaritas: str, baseline: int, targets: dict[int, Decimal], named: str
) -> None:
    doc = with_indicator(
        clean_document(), 101, polaritas=polaritas, baseline_nilai=D(baseline), targets=targets
    )
    result = check_document(doc)
    finding = the_one(result, "target_berlawanan_polaritas")
    assert (finding.severity, finding.node_id, finding.indicator_id) == (Severity.WARNING, TUJUAN, 101)
    assert named in finding.message
    assert result.counts() == {"error": 0, "warning": 1, "info": 0}


@pytest.mark.parametrize(
    ("polaritas", "targets"),
    [("positif", _targets(10, 10, 12, 12, 13)), ("negatif", _targets(10, 9, 9, 8, 1))],
)
def test_targets_following_polarity_or_flat_are_fine(polaritas: str, targets: dict[int, Decimal]) -> None:
    doc = with_indicator(clean_document(), 101, polaritas=polaritas, baseline_nilai=D(10), targets=targets)
    assert check_document(doc).findings == ()


# --- rule 5: traceability -----------------------------------------------------------------------------


def test_unlinked_program_is_reported_once_at_the_top_with_its_sub_kegiatan_count() -> None:
    doc = adding(
        with_node(clean_document(), PROGRAM, sasaran_ids=()),
        node(13, "sub_kegiatan", "", KEGIATAN),
        node(14, "sub_kegiatan", "", KEGIATAN),
    )
    result = check_document(doc)
    finding = the_one(result, "tidak_tertaut_sasaran")
    assert (finding.severity, finding.node_id) == (Severity.ERROR, PROGRAM)
    assert "3 sub-kegiatan" in finding.message
    assert "disalin dari tahun lalu" in finding.fix
    assert result.pagu_traceable == D(0)
    assert result.pct_pagu_traceable == D("0.00")


def test_untraced_parts_below_a_partly_linked_program_are_reported_at_their_own_top() -> None:
    nodes = (
        node(1, "program", "P", opd_nama=DINKES),  # not linked, but some descendants are
        node(2, "kegiatan", "K1", 1, sasaran_ids=(SASARAN,)),
        node(3, "sub_kegiatan", "S11", 2),
        node(4, "kegiatan", "K2", 1),  # wholly untraced: reported with its 2 sub-kegiatan
        node(5, "sub_kegiatan", "S21", 4),
        node(6, "sub_kegiatan", "S22", 4),
        node(7, "kegiatan", "K3", 1),  # untraced, but one sub-kegiatan is linked
        node(8, "sub_kegiatan", "S31", 7, sasaran_ids=(SASARAN,)),
        node(9, "sub_kegiatan", "S32", 7),  # reported alone
    )
    result = check_document(budget_document(nodes))
    orphans = found(result, "tidak_tertaut_sasaran")
    assert [f.node_id for f in orphans] == [4, 9]
    assert "2 sub-kegiatan" in orphans[0].message
    assert all(f.opd_nama == DINKES for f in orphans)


def test_link_on_an_ancestor_traces_every_descendant() -> None:
    nodes = (
        node(1, "program", "P", sasaran_ids=(SASARAN,)),
        node(2, "kegiatan", "K", 1),
        node(3, "sub_kegiatan", "S", 2, pagu={2026: D(5)}),
    )
    result = check_document(budget_document(nodes))
    assert found(result, "tidak_tertaut_sasaran") == []
    assert result.pagu_traceable == D(5)


def test_link_to_an_unknown_sasaran_is_an_error_and_does_not_trace() -> None:
    nodes = (
        node(1, "program", "P", sasaran_ids=(SASARAN, 999)),  # still traced through sasaran 4
        node(2, "program", "Q", sasaran_ids=(998,)),
        node(3, "kegiatan", "K", 2),
    )
    result = check_document(budget_document(nodes))
    broken = found(result, "tautan_sasaran_rusak")
    assert [(f.node_id, f.severity) for f in broken] == [(1, Severity.ERROR), (2, Severity.ERROR)]
    assert "999" in broken[0].message and "998" in broken[1].message
    assert [f.node_id for f in found(result, "tidak_tertaut_sasaran")] == [2]


def test_children_listed_before_their_parents_are_walked_correctly() -> None:
    nodes = (
        node(3, "sub_kegiatan", "S", 2, pagu={2026: D(7)}),
        node(2, "kegiatan", "K", 1),
        node(1, "program", "P"),
    )
    result = check_document(budget_document(nodes))
    assert [f.node_id for f in found(result, "tidak_tertaut_sasaran")] == [1]
    assert result.pagu_total == D(7)


def test_cycles_and_parents_outside_the_document_do_not_hang() -> None:
    nodes = (
        node(1, "program", "P", 2),
        node(2, "kegiatan", "K", 1),
        node(3, "kegiatan", "K2", 12345, sasaran_ids=(SASARAN,)),  # parent not in the document: a root
    )
    result = check_document(budget_document(nodes))
    assert [f.node_id for f in found(result, "tidak_tertaut_sasaran")] == [1]


# --- rule 6: sub-kegiatan -----------------------------------------------------------------------------


def test_sub_kegiatan_without_output_indicator_is_an_error() -> None:
    doc = with_indicator(clean_document(), 105, jenis="outcome")
    result = check_document(doc)
    finding = the_one(result, "sub_kegiatan_tanpa_indikator_output")
    assert (finding.severity, finding.node_id, finding.opd_nama) == (Severity.ERROR, SUB, DINKES)
    assert len(result.findings) == 1


@pytest.mark.parametrize("amounts", [{}, {2025: D(0), 2026: D(0)}, {2031: D(100)}])
def test_sub_kegiatan_without_pagu_in_the_period_is_an_error(amounts: dict[int, Decimal]) -> None:
    doc = with_node(clean_document(), KEGIATAN, pagu={})
    result = check_document(with_node(doc, SUB, pagu=amounts))
    finding = the_one(result, "sub_kegiatan_tanpa_pagu")
    assert (finding.severity, finding.node_id) == (Severity.ERROR, SUB)
    assert "2025-2029" in finding.message


def test_sub_kegiatan_with_pagu_in_some_years_only_is_fine() -> None:
    doc = with_node(clean_document(), SUB, pagu={2027: D(300)})
    result = check_document(doc)
    assert result.findings == ()
    assert result.pagu_total == D(300)


# --- rule 7: codes of the parent document -------------------------------------------------------------


def _two_programs(**changes: Any) -> DocumentData:
    nodes = (
        node(1, "program", "1.02.02", sasaran_ids=(SASARAN,)),
        node(2, "program", "1.02.03", sasaran_ids=(SASARAN,)),
        node(3, "program", "", sasaran_ids=(SASARAN,)),
    )
    return budget_document(nodes, **changes)


def test_rkpd_program_missing_from_the_rpjmd_is_an_error() -> None:
    result = check_document(_two_programs(parent_program_codes=frozenset({"1.02.02"})))
    finding = the_one(result, "program_tidak_ada_di_induk")
    assert (finding.severity, finding.node_id) == (Severity.ERROR, 2)
    assert "RPJMD" in finding.message


def test_rpjmd_without_programs_gives_one_warning_instead_of_one_per_program() -> None:
    result = check_document(_two_programs(parent_program_codes=frozenset()))
    assert found(result, "program_tidak_ada_di_induk") == []
    finding = the_one(result, "induk_tanpa_program")
    assert (finding.severity, finding.node_id) == (Severity.WARNING, None)
    assert finding.node_label == "RKPD RKPD 2026"


def test_parent_codes_are_not_compared_without_a_parent_or_for_other_kinds() -> None:
    assert found(check_document(_two_programs()), "program_tidak_ada_di_induk") == []
    renstra = _two_programs(jenis="RENSTRA", parent_program_codes=frozenset({"9"}))
    assert found(check_document(renstra), "program_tidak_ada_di_induk") == []


def _renja(codes: frozenset[str]) -> DocumentData:
    nodes = (
        node(1, "program", "P", sasaran_ids=(SASARAN,)),
        node(2, "kegiatan", "K", 1),
        node(3, "sub_kegiatan", "S1", 2),
        node(4, "sub_kegiatan", "S2", 2),
    )
    return budget_document(nodes, jenis="RENJA", parent_jenis="RKPD", parent_sub_kegiatan_codes=codes)


def test_renja_sub_kegiatan_missing_from_the_rkpd_is_an_error() -> None:
    finding = the_one(check_document(_renja(frozenset({"S1"}))), "sub_kegiatan_tidak_ada_di_induk")
    assert (finding.severity, finding.node_id) == (Severity.ERROR, 4)
    assert "RKPD" in finding.message


def test_rkpd_without_sub_kegiatan_gives_one_warning() -> None:
    result = check_document(_renja(frozenset()))
    assert found(result, "sub_kegiatan_tidak_ada_di_induk") == []
    assert the_one(result, "induk_tanpa_sub_kegiatan").severity == Severity.WARNING


# --- rule 8: pagu -------------------------------------------------------------------------------------


def test_children_pagu_above_the_parent_is_an_error_saying_by_how_much() -> None:
    billions = {2025: D(5_000_000_000), 2026: D(5_000_000_000)}
    doc = clean_document(tahun=(2025, 2026), nomenclature=None)
    doc = with_node(doc, PROGRAM, pagu=billions)
    doc = with_node(doc, KEGIATAN, pagu={2025: D(3_500_000_000), 2026: D(1)})
    doc = with_node(doc, SUB, pagu={2025: D(1), 2026: D(1)})
    doc = adding(
        doc,
        node(20, "kegiatan", "1.02.02.2.02", PROGRAM, pagu={2025: D(2_750_000_000), 2026: D(1)}),
        node(21, "sub_kegiatan", "1.02.02.2.02.0001", 20, pagu={2025: D(1), 2026: D(1)}),
        indicators=[indicator(120, 21, jenis="output", years=(2025, 2026))],
    )
    result = check_document(doc)
    finding = the_one(result, "pagu_anak_melebihi_induk")
    assert (finding.severity, finding.node_id) == (Severity.ERROR, PROGRAM)
    assert "Rp1.250.000.000" in finding.message
    assert "Rp6.250.000.000" in finding.message
    assert "2026" not in finding.message
    assert len(result.findings) == 1, summary(result)


def test_children_pagu_is_not_compared_with_a_parent_without_pagu() -> None:
    doc = with_node(clean_document(), PROGRAM, pagu={2025: D(0)})
    assert check_document(doc).findings == ()


# --- rule 9: duplicate codes --------------------------------------------------------------------------


def test_duplicate_codes_give_one_error_on_the_first_node() -> None:
    doc = adding(
        clean_document(nomenclature=None),
        node(20, "sub_kegiatan", SUB_KODE, KEGIATAN, pagu=pagu(10)),
        node(21, "sub_kegiatan", SUB_KODE, KEGIATAN, pagu=pagu(10)),
        indicators=[indicator(120, 20, jenis="output"), indicator(121, 21, jenis="output")],
    )
    finding = the_one(check_document(doc), "kode_ganda")
    assert (finding.severity, finding.node_id) == (Severity.ERROR, SUB)
    assert "3 simpul" in finding.message


def test_same_code_for_different_opds_or_levels_is_not_a_duplicate() -> None:
    nodes = (
        node(1, "program", "1.02.02", opd_id=1, sasaran_ids=(SASARAN,)),
        node(2, "kegiatan", "1.02.02.2.01", 1),
        node(3, "program", "1.02.02", opd_id=2, sasaran_ids=(SASARAN,)),
        node(4, "kegiatan", "1.02.02.2.01", 3),  # OPD 2 inherited from its program
        node(5, "misi", "1.02.02"),
    )
    assert found(check_document(budget_document(nodes)), "kode_ganda") == []


# --- rules 10-11: nomenclature and missing codes -----------------------------------------------------------


def test_code_outside_the_nomenclature_is_an_error_unless_flagged_which_is_info() -> None:
    doc = with_node(clean_document(), SUB, kode="1.02.02.2.01.9999")
    finding = the_one(check_document(doc), "kode_luar_nomenklatur")
    assert (finding.severity, finding.node_id) == (Severity.ERROR, SUB)
    flagged = the_one(check_document(with_node(doc, SUB, luar_nomenklatur=True)), "kode_luar_nomenklatur")
    assert (flagged.severity, flagged.node_id) == (Severity.INFO, SUB)


def test_code_of_another_level_is_an_error() -> None:
    doc = with_node(clean_document(), KEGIATAN, kode=PROGRAM_KODE)
    result = check_document(doc)
    finding = the_one(result, "kode_tingkat_salah")
    assert (finding.severity, finding.node_id) == (Severity.ERROR, KEGIATAN)
    assert [f.node_id for f in found(result, "kode_induk_salah")] == [
        SUB
    ]  # the sub's parent code is wrong now


def test_code_under_another_parent_is_an_error() -> None:
    doc = with_node(clean_document(), SUB, kode="1.02.02.2.02.0001")
    finding = the_one(check_document(doc), "kode_induk_salah")
    assert (finding.severity, finding.node_id) == (Severity.ERROR, SUB)
    assert "1.02.02.2.02" in finding.message and KEGIATAN_KODE in finding.message


def test_without_nomenclature_codes_are_not_checked() -> None:
    doc = with_node(clean_document(nomenclature=None), SUB, kode="bukan.kode")
    assert check_document(doc).findings == ()


def test_budget_node_without_code_is_a_warning() -> None:
    result = check_document(with_node(clean_document(), KEGIATAN, kode=""))
    assert summary(result) == [("tanpa_kode", "warning", KEGIATAN)]


# --- scores -------------------------------------------------------------------------------------------


def test_pagu_scores_count_leaf_budget_nodes_per_inherited_opd() -> None:
    nodes = (
        node(1, "program", "A", opd_nama="Dinas Pendidikan", sasaran_ids=(SASARAN,), pagu={2026: D(999)}),
        node(2, "kegiatan", "A.1", 1),
        node(3, "sub_kegiatan", "A.1.1", 2, pagu={2026: D("1000000.50"), 2025: D(77)}),  # 2025 outside
        node(4, "sub_kegiatan", "A.1.2", 2, opd_nama="Badan Keuangan", pagu={2026: D(250)}),
        node(5, "program", "B", opd_nama="Badan Keuangan"),
        node(6, "kegiatan", "B.1", 5, pagu={2026: D(750)}),  # a leaf: no sub-kegiatan
        node(7, "program", "C", pagu={2026: D(100)}),  # without OPD, linked
        node(8, "program", "D", sasaran_ids=(SASARAN,)),  # a leaf without pagu
        node(9, "tujuan", "T"),  # not a budget node
    )
    result = check_document(budget_document(nodes))
    assert result.pagu_total == D("1001100.50")
    assert result.pagu_traceable == D("1000250.50")
    assert result.pct_pagu_traceable == D("99.92")  # 99.91509...
    assert result.per_opd == (
        OpdScore("", D(100), D(0), D("0.00")),
        OpdScore("Badan Keuangan", D(1000), D(250), D("25.00")),
        OpdScore("Dinas Pendidikan", D("1000000.50"), D("1000000.50"), D("100.00")),
    )


@pytest.mark.parametrize(
    ("traced", "untraced", "pct"),
    [(1, 799, "0.13"), (2, 1, "66.67"), (1, 2, "33.33"), (1, 0, "100.00"), (0, 5, "0.00")],
)
def test_pagu_percentage_rounds_half_up_to_two_decimals(traced: int, untraced: int, pct: str) -> None:
    nodes = (
        node(1, "program", "P", sasaran_ids=(SASARAN,), pagu={2026: D(traced)}),
        node(2, "program", "Q", pagu={2026: D(untraced)}),
    )
    assert check_document(budget_document(nodes)).pct_pagu_traceable == D(pct)


def test_indicator_completeness_score() -> None:
    doc = with_indicator(clean_document(), 101, satuan="")
    doc = with_indicator(doc, 102, targets={2025: D(1)})
    doc = with_indicator(doc, 103, baseline_tahun=None)
    result = check_document(doc)
    assert (result.indicators_total, result.indicators_complete) == (5, 2)
    assert result.pct_indicators_complete == D("40.00")
    one_of_three = dataclasses.replace(doc, indicators=doc.indicators[:3])
    assert check_document(one_of_three).pct_indicators_complete == D("0.00")
    assert check_document(
        dataclasses.replace(doc, indicators=doc.indicators[2:5])
    ).pct_indicators_complete == D("66.67")


# --- order, labels, renderings ------------------------------------------------------------------------


def test_findings_are_sorted_by_severity_then_node_order() -> None:
    doc = _two_programs(parent_program_codes=frozenset(), nomenclature={})
    doc = adding(doc, node(4, "program", "X.1", luar_nomenklatur=True, sasaran_ids=(SASARAN,)))
    doc = adding(doc, node(5, "misi", "9"))
    result = check_document(doc)
    assert summary(result) == [
        ("kode_luar_nomenklatur", "error", 1),
        ("kode_luar_nomenklatur", "error", 2),
        ("misi_tanpa_tujuan", "error", 5),
        ("induk_tanpa_program", "warning", None),
        ("tanpa_kode", "warning", 3),
        ("kode_luar_nomenklatur", "info", 4),
    ]
    assert result.counts() == {"error": 3, "warning": 2, "info": 1}


def test_node_label_names_kind_code_and_name_trimmed() -> None:
    long_name = "Meningkatnya kualitas " + "pelayanan kesehatan dasar " * 20
    doc = adding(clean_document(), node(20, "misi", "3", VISI, nama=long_name))
    finding = the_one(check_document(doc), "misi_tanpa_tujuan")
    assert finding.node_label.startswith("Misi 3 Meningkatnya kualitas pelayanan")
    assert len(finding.node_label) <= 120
    assert finding.node_label.endswith("…")
    assert len(finding.message) < 200


def _result_with_everything() -> CheckResult:
    doc = adding(
        _two_programs(parent_program_codes=frozenset({"1.02.02"}), nomenclature={}),
        node(4, "program", "X.1", opd_nama=DINKES, luar_nomenklatur=True, pagu={2026: D("1234.5")}),
        node(5, "misi", "9"),
    )
    return check_document(doc)


def test_result_to_dict_is_json_ready() -> None:
    result = _result_with_everything()
    data = result_to_dict(result)
    assert json.loads(json.dumps(data)) == data
    assert data["pagu_total"] == "1234.50"
    assert data["pagu_traceable"] == "0.00"
    assert data["pct_pagu_traceable"] == 0.0
    assert data["pct_indicators_complete"] is None
    assert data["counts"] == result.counts()
    assert data["per_opd"] == [
        {"opd_nama": "", "pagu_total": "0.00", "pagu_traceable": "0.00", "pct_pagu_traceable": None},
        {"opd_nama": DINKES, "pagu_total": "1234.50", "pagu_traceable": "0.00", "pct_pagu_traceable": 0.0},
    ]
    first = data["findings"][0]
    assert set(first) == {f.name for f in dataclasses.fields(Finding)}
    assert first["severity"] == "error"


def test_result_to_text_lists_findings_with_rule_codes_and_a_summary() -> None:
    result = _result_with_everything()
    text = result_to_text(result)
    for finding in result.findings:
        assert f"[{finding.severity.value.upper()}] {finding.rule} {finding.node_label}: " in text
    assert "Perbaiki:" in text
    assert "Rp0 dari Rp1.234,50 (0,00%)" in text
    assert "Tanpa OPD" in text
    assert text.count("\n[") == len(result.findings) - 1
    assert "Tidak ada temuan." in result_to_text(check_document(clean_document()))
    assert "(100,00%)" in result_to_text(check_document(clean_document()))


# --- a large document ---------------------------------------------------------------------------------


def test_a_generated_document_of_5000_nodes() -> None:
    """50 programs x 10 kegiatan x 9 sub-kegiatan; programs 0, 5, ..., 45 are not linked, and in programs
    0, 10, ..., 40 the first kegiatan is linked all the same."""
    nodes: list[NodeData] = []
    indicators: list[IndicatorData] = []
    entries: list[tuple[str, str, str]] = []
    next_id = 1
    for p in range(50):
        program_id, program_kode = next_id, f"1.{p:02d}.01"
        linked = p % 5 != 0
        next_id += 1
        nodes.append(
            node(
                program_id,
                "program",
                program_kode,
                opd_id=p % 3,
                opd_nama=f"OPD {p % 3}",
                sasaran_ids=(SASARAN,) if linked else (),
                pagu={2026: D(90_000_000)},
            )
        )
        entries.append((program_kode, "program", f"1.{p:02d}"))
        for k in range(10):
            kegiatan_id, kegiatan_kode = next_id, f"{program_kode}.2.{k:02d}"
            next_id += 1
            rescued = p % 10 == 0 and k == 0
            nodes.append(
                node(
                    kegiatan_id,
                    "kegiatan",
                    kegiatan_kode,
                    program_id,
                    sasaran_ids=(SASARAN,) if rescued else (),
                    pagu={2026: D(9_000_000)},
                )
            )
            entries.append((kegiatan_kode, "kegiatan", program_kode))
            for s in range(9):
                sub_kode = f"{kegiatan_kode}.{s:04d}"
                nodes.append(node(next_id, "sub_kegiatan", sub_kode, kegiatan_id, pagu={2026: D(1_000_000)}))
                indicators.append(indicator(next_id, next_id, jenis="output", years=(2026,)))
                entries.append((sub_kode, "sub_kegiatan", kegiatan_kode))
                next_id += 1
    doc = budget_document(
        nodes,
        indicators,
        parent_program_codes=frozenset(code for code, level, _induk in entries if level == "program"),
        nomenclature=nomenclature(*entries),
    )
    assert len(doc.nodes) == 5050
    result = check_document(doc)
    orphans = found(result, "tidak_tertaut_sasaran")
    assert len(orphans) == len(result.findings) == 5 * 1 + 5 * 9
    assert sum("90 sub-kegiatan" in f.message for f in orphans) == 5
    assert sum("9 sub-kegiatan" in f.message for f in orphans) == 45
    assert result.pagu_total == D(4_500_000_000)
    assert result.pagu_traceable == D((40 * 90 + 5 * 9) * 1_000_000)
    assert result.pct_pagu_traceable == D("81.00")
    assert (result.indicators_total, result.indicators_complete) == (4500, 4500)
    assert [s.opd_nama for s in result.per_opd] == ["OPD 0", "OPD 1", "OPD 2"]
    assert sum((s.pagu_total for s in result.per_opd), D(0)) == result.pagu_total
