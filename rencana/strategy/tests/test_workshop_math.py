"""Workshop arithmetic: spread, disagreement, largest-remainder weights, AHP, final matrix; no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rencana.strategy.swot import compute
from rencana.strategy.workshop import (
    BEDA_TIPIS,
    PERLU_DIBAHAS,
    SEPAKAT,
    Spread,
    WorkshopInputError,
    disagreement,
    disagreement_label,
    final_scores,
    largest_remainder,
    normalize_raw,
    pairwise_weights,
    spread,
)

D = Decimal
JENIS = {"S1": "S", "S2": "S", "W1": "W", "O1": "O", "T1": "T"}


# Spread


def test_spread_of_nothing_is_all_none() -> None:
    assert spread([]) == Spread(0, None, None, None, None, None, None, None)


def test_spread_of_one_value_has_zero_stdev() -> None:
    result = spread([D("0.25")])
    assert (result.n, result.mean, result.median, result.stdev, result.range) == (
        1,
        D("0.25"),
        D("0.25"),
        0,
        0,
    )
    assert result.cv == 0


def test_spread_uses_the_population_standard_deviation() -> None:
    result = spread([D(2), D(4), D(4), D(4), D(5), D(5), D(7), D(9)])
    assert result.mean == 5
    assert result.stdev == 2
    assert result.median == D("4.5")
    assert (result.minimum, result.maximum, result.range) == (2, 9, 7)
    assert result.cv == D("0.4")


def test_spread_median_of_odd_count_is_the_middle_value() -> None:
    assert spread([3, 1, 4]).median == 3


def test_spread_cv_is_none_when_the_mean_is_zero() -> None:
    assert spread([D(0), D(0)]).cv is None


def test_spread_refuses_text() -> None:
    with pytest.raises(WorkshopInputError):
        spread(["0,5"])  # type: ignore[list-item]


# Disagreement


@pytest.mark.parametrize(
    ("ratings", "weights", "level"),
    [
        ([3, 3, 3], ["0.2", "0.2", "0.2"], SEPAKAT),
        ([3, 4, 3], ["0.2", "0.2", "0.2"], BEDA_TIPIS),
        ([3, 3, 3], ["0.2", "0.3", "0.4"], BEDA_TIPIS),  # cv 0.27
        ([2, 4, 3], ["0.2", "0.2", "0.2"], PERLU_DIBAHAS),  # range 2
        ([3, 3, 3], ["0.1", "0.1", "0.4"], PERLU_DIBAHAS),  # cv 0.71
        ([3], ["0.3"], SEPAKAT),
    ],
)
def test_disagreement_levels(ratings: list[int], weights: list[str], level: str) -> None:
    result = disagreement(spread(ratings), spread([D(w) for w in weights]))
    assert result.level == level
    assert result.perlu_dibahas == (level == PERLU_DIBAHAS)
    assert bool(result.alasan) == (level != SEPAKAT)


def test_disagreement_explains_itself_in_indonesian() -> None:
    result = disagreement(spread([1, 3, 4]), spread([D("0.1"), D("0.1"), D("0.4")]))
    assert result.alasan == (
        "Rating peserta berselisih 3 poin (dari 1 sampai 4).",
        "Bobot peserta beragam: koefisien variasi 0,71.",
    )
    assert disagreement_label(result.level) == "perlu dibahas"


def test_disagreement_without_data_is_agreement() -> None:
    assert disagreement().level == SEPAKAT
    assert disagreement(spread([]), spread([])).level == SEPAKAT


# Largest remainder and raw importance numbers


def test_normalize_raw_divides_by_the_sum_and_explains() -> None:
    result = normalize_raw({"S1": D(3), "S2": D(2), "S3": D(5)})
    assert result.weights == {"S1": D("0.30"), "S2": D("0.20"), "S3": D("0.50")}
    assert result.total_raw == 10
    assert result.steps == [
        "Jumlah angka mentah = 3 + 2 + 5 = 10.",
        "S1 = 3 / 10 = 0,30",
        "S2 = 2 / 10 = 0,20",
        "S3 = 5 / 10 = 0,50",
        "Jumlah bobot = 1,00.",
    ]


def test_normalize_raw_gives_the_missing_hundredth_to_the_first_of_equal_remainders() -> None:
    result = normalize_raw({"S1": D(1), "S2": D(1), "S3": D(1)})
    assert result.weights == {"S1": D("0.34"), "S2": D("0.33"), "S3": D("0.33")}
    assert sum(result.weights.values()) == 1
    assert "S1 = 1 / 3 ≈ 0,3333, dibulatkan ke atas menjadi 0,34" in result.steps
    assert "S2 = 1 / 3 ≈ 0,3333, dibulatkan menjadi 0,33" in result.steps
    assert any("metode sisa terbesar" in step and "(S1)" in step for step in result.steps)


def test_normalize_raw_gives_units_to_the_largest_remainders_not_the_first() -> None:
    # 1/7 = 0.142857.., 2/7 = 0.285714.., 4/7 = 0.571428..: floors 14 + 28 + 57 = 99; 28.57 has the
    # largest remainder (.5714), so S2 gets the missing hundredth.
    result = normalize_raw({"S1": D(1), "S2": D(2), "S3": D(4)})
    assert result.weights == {"S1": D("0.14"), "S2": D("0.29"), "S3": D("0.57")}


def test_normalize_raw_accepts_decimals_zeros_and_other_precisions() -> None:
    assert normalize_raw({"A": D("2.5"), "B": D("2.5"), "C": D(0)}).weights == {
        "A": D("0.50"),
        "B": D("0.50"),
        "C": D("0.00"),
    }
    assert normalize_raw({"A": D(1), "B": D(2)}, decimals=3).weights == {"A": D("0.333"), "B": D("0.667")}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"S1": D(0), "S2": D(0)}, "Semua angka mentah bernilai 0"),
        ({"S1": D(-1), "S2": D(-2)}, "Angka mentah S1 tidak boleh negatif (-1)."),
        ({"S1": D(3), "S2": D(-2)}, "Angka mentah S2 tidak boleh negatif (-2)."),
        ({}, "Belum ada angka mentah"),
    ],
)
def test_normalize_raw_refuses_nothing_to_share(raw: dict[str, Decimal], message: str) -> None:
    with pytest.raises(WorkshopInputError) as caught:
        normalize_raw(raw)
    assert message in caught.value.message
    assert isinstance(caught.value, ValueError)


def test_normalize_raw_names_every_negative_number() -> None:
    with pytest.raises(WorkshopInputError) as caught:
        normalize_raw({"S1": D(-1), "S2": D(2), "S3": D(-3)})
    assert caught.value.problems == (
        "Angka mentah S1 tidak boleh negatif (-1).",
        "Angka mentah S3 tidak boleh negatif (-3).",
    )


RAW = st.dictionaries(
    st.text(alphabet="SWOT0123456789", min_size=1, max_size=4),
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=12,
).filter(lambda raw: sum(raw.values()) > 0)


@given(raw=RAW, decimals=st.integers(min_value=0, max_value=4))
def test_normalize_raw_sums_to_exactly_one_and_preserves_order(
    raw: dict[str, Decimal], decimals: int
) -> None:
    result = normalize_raw(raw, decimals)
    unit = D(1).scaleb(-decimals)
    assert list(result.weights) == list(raw)
    assert sum(result.weights.values()) == 1
    for weight in result.weights.values():
        assert weight >= 0 and weight == weight.quantize(unit)
    for a in raw:
        share = raw[a] / result.total_raw
        assert abs(result.weights[a] - share) < unit  # never further than one rounding unit
        for b in raw:
            if raw[a] > raw[b]:
                assert result.weights[a] >= result.weights[b]
            if raw[a] == raw[b]:
                assert abs(result.weights[a] - result.weights[b]) <= unit


def test_largest_remainder_ignores_arithmetic_noise_in_ties() -> None:
    third = D(1) / 3
    noisy = [third + D("1e-20"), third - D("2e-20"), third + D("1e-20")]
    weights, bumped = largest_remainder(noisy)
    assert weights == [D("0.34"), D("0.33"), D("0.33")]
    assert bumped == [True, False, False]


def test_largest_remainder_refuses_bad_decimals() -> None:
    with pytest.raises(WorkshopInputError):
        largest_remainder([D(1)], decimals=-1)


# Pairwise comparison (AHP)


SAATY_EXAMPLE = {("A", "B"): D(3), ("A", "C"): D(5), ("B", "C"): D(3)}


def test_pairwise_weights_by_geometric_mean_with_consistency() -> None:
    result = pairwise_weights(["A", "B", "C"], SAATY_EXAMPLE)
    # Geometric means 15^(1/3) = 2.4662, 1, 0.4055; shares 0.6370, 0.2583, 0.1047.
    assert result.weights == {"A": D("0.64"), "B": D("0.26"), "C": D("0.10")}
    assert D("0.03") < result.consistency_ratio < D("0.04")
    assert result.consistent
    assert result.lambda_max is not None and D("3.03") < result.lambda_max < D("3.04")


def test_pairwise_steps_explain_the_computation() -> None:
    steps = pairwise_weights(["A", "B", "C"], SAATY_EXAMPLE).steps
    assert "Rata-rata geometrik baris A = (1 x 3 x 5)^(1/3) = 2,4662" in steps
    assert "Rata-rata geometrik baris C = (1/5 x 1/3 x 1)^(1/3) = 0,4055" in steps
    assert "A = 2,4662 / 3,8717 ≈ 0,6370, dibulatkan ke atas menjadi 0,64" in steps
    assert (
        "λmaks = 3,039; CI = (λmaks - n) / (n - 1) = 0,019; RI (n = 3) = 0,58; CR = CI / RI = 0,033." in steps
    )
    assert steps[-1] == "CR paling tinggi 0,10: penilaian konsisten."


def test_reverse_pair_is_implied_as_the_reciprocal() -> None:
    reversed_pairs = {("B", "A"): D(1) / 3, ("C", "A"): D("0.2"), ("C", "B"): D(1) / 3}
    assert pairwise_weights(["A", "B", "C"], reversed_pairs).weights == {
        "A": D("0.64"),
        "B": D("0.26"),
        "C": D("0.10"),
    }


def test_both_directions_may_be_given_when_they_agree() -> None:
    judgements = {**SAATY_EXAMPLE, ("B", "A"): D("0.333")}
    assert pairwise_weights(["A", "B", "C"], judgements).weights["A"] == D("0.64")


def test_inconsistent_judgements_are_flagged() -> None:
    circular = {("A", "B"): D(9), ("B", "C"): D(9), ("C", "A"): D(9)}
    result = pairwise_weights(["A", "B", "C"], circular)
    assert not result.consistent
    assert result.consistency_ratio > D("0.10")
    assert result.steps[-1].startswith("CR lebih dari 0,10: penilaian tidak konsisten")


@pytest.mark.parametrize("n", [1, 2])
def test_two_factors_or_fewer_are_always_consistent(n: int) -> None:
    kodes = ["A", "B"][:n]
    judgements = {("A", "B"): D(4)} if n == 2 else {}
    result = pairwise_weights(kodes, judgements)
    assert result.consistent and result.consistency_ratio == 0
    assert result.weights == ({"A": D("0.80"), "B": D("0.20")} if n == 2 else {"A": D("1.00")})


def test_every_missing_pair_is_named() -> None:
    with pytest.raises(WorkshopInputError) as caught:
        pairwise_weights(["A", "B", "C", "D"], {("A", "B"): D(3), ("A", "C"): D(2)})
    assert caught.value.problems == (
        "Pasangan (A, D) belum dinilai.",
        "Pasangan (B, C) belum dinilai.",
        "Pasangan (B, D) belum dinilai.",
        "Pasangan (C, D) belum dinilai.",
    )


@pytest.mark.parametrize(
    ("kodes", "judgements", "message"),
    [
        (["A", "B"], {("A", "B"): D(10)}, "Nilai pasangan (A, B) harus antara 1/9 dan 9, bukan 10."),
        (["A", "B"], {("A", "B"): D("0.1")}, "Nilai pasangan (A, B) harus antara 1/9 dan 9, bukan 0,1."),
        (["A", "B"], {("A", "B"): D(3), ("B", "A"): D(3)}, "dinilai bertentangan"),
        (["A", "B"], {("A", "X"): D(3)}, "Pasangan (A, X) memuat kode yang tidak ada"),
        (["A", "A"], {}, "Kode faktor ganda: A."),
        ([], {}, "Belum ada faktor untuk dibandingkan."),
        (["A", "B"], {("A", "A"): D(2), ("A", "B"): D(2)}, "dengan dirinya sendiri harus bernilai 1"),
        ([f"K{i}" for i in range(16)], {}, "paling banyak 15 faktor"),
    ],
)
def test_pairwise_refuses_bad_judgements(
    kodes: list[str], judgements: dict[tuple[str, str], Decimal], message: str
) -> None:
    with pytest.raises(WorkshopInputError) as caught:
        pairwise_weights(kodes, judgements)
    assert message in caught.value.message


@given(st.lists(st.integers(min_value=1, max_value=9), min_size=2, max_size=7))
def test_perfectly_consistent_matrix_gives_zero_cr_and_the_exact_ratios(parts: list[int]) -> None:
    # a_ij = w_i / w_j with every ratio on Saaty's scale (all parts within a factor 9 of each other).
    kodes = [f"F{i}" for i in range(len(parts))]
    judgements = {
        (kodes[i], kodes[j]): D(parts[i]) / D(parts[j])
        for i in range(len(parts))
        for j in range(i + 1, len(parts))
    }
    result = pairwise_weights(kodes, judgements)
    assert result.consistent
    assert abs(result.consistency_ratio) < D("1e-20")
    assert result.weights == normalize_raw(dict(zip(kodes, [D(p) for p in parts], strict=True))).weights


# Final matrix of a workshop


def participants() -> list[dict[str, tuple[Decimal, int]]]:
    return [
        {
            "S1": (D("0.40"), 3),
            "S2": (D("0.30"), 4),
            "W1": (D("0.30"), 2),
            "O1": (D("0.50"), 4),
            "T1": (D("0.50"), 1),
        },
        {"S1": (D("0.50"), 4), "S2": (D("0.20"), 3), "W1": (D("0.30"), 1), "O1": (D("0.70"), 3)},
        {
            "S1": (D("0.30"), 3),
            "S2": (D("0.30"), 4),
            "W1": (D("0.40"), 4),
            "O1": (D("0.60"), 3),
            "T1": (D("0.40"), 2),
        },
    ]


def test_final_scores_by_median() -> None:
    final = final_scores(participants(), JENIS)
    by_kode = {f.kode: f for f in final.factors}
    assert final.weights == {
        "S1": D("0.40"),
        "S2": D("0.30"),
        "W1": D("0.30"),
        "O1": D("0.57"),
        "T1": D("0.43"),
    }
    assert final.ratings == {"S1": 3, "S2": 4, "W1": 2, "O1": 3, "T1": 2}  # T1: median of 1 and 2 is 1.5 -> 2
    assert by_kode["T1"].rating_agregat == D("1.5")
    assert by_kode["T1"].bobot_agregat == D("0.45")
    assert by_kode["T1"].bobot_spread.n == 2  # the participant who skipped T1 is left out
    assert by_kode["W1"].disagreement.level == PERLU_DIBAHAS
    assert sum(f.bobot for f in final.factors if f.jenis in "SW") == 1
    assert sum(f.bobot for f in final.factors if f.jenis in "OT") == 1


def test_final_scores_notes_record_how_the_matrix_was_reached() -> None:
    final = final_scores(participants(), JENIS)
    assert final.notes == (
        "Matriks akhir disusun dari penilaian 3 peserta dengan median: bobot tiap faktor adalah median "
        "bobot peserta, rating adalah median rating peserta dibulatkan ke bilangan bulat terdekat "
        "(setengah ke atas).",
        "Faktor T1 dinilai 2 dari 3 peserta; yang tidak menilai tidak dihitung.",
        "Bobot IFAS hasil median sudah berjumlah 1,00; tidak perlu dinormalkan ulang.",
        "Bobot EFAS hasil median berjumlah 1,05; dinormalkan ulang dengan metode sisa terbesar agar "
        "berjumlah 1,00: O1 0,60 → 0,57; T1 0,45 → 0,43.",
    )


def test_final_scores_by_mean() -> None:
    final = final_scores(participants(), JENIS, method="mean")
    # Means: S1 0.4, S2 0.2667, W1 0.3333 (sum 1), ratings S1 3.33 -> 3, W1 2.33 -> 2, O1 3.33 -> 3.
    assert final.weights == {
        "S1": D("0.40"),
        "S2": D("0.27"),
        "W1": D("0.33"),
        "O1": D("0.57"),
        "T1": D("0.43"),
    }
    assert final.ratings == {"S1": 3, "S2": 4, "W1": 2, "O1": 3, "T1": 2}
    assert final.method == "mean" and final.participants == 3
    assert "dengan rata-rata" in final.notes[0]
    assert "S2 0,2667 → 0,27; W1 0,3333 → 0,33" in final.notes[2]


def test_mean_rating_rounds_half_up() -> None:
    scores = [{"S1": (D(1), 2), "O1": (D(1), 2)}, {"S1": (D(1), 3), "O1": (D(1), 2)}]
    final = final_scores(scores, {"S1": "S", "O1": "O"}, method="mean")
    assert final.ratings == {"S1": 3, "O1": 2}


def test_final_matrix_feeds_the_swot_computation() -> None:
    final = final_scores(participants(), JENIS)
    factors = final.swot_factors({"S1": "SDM memadai"})
    assert factors[0].faktor == "SDM memadai" and factors[1].faktor == "S2"
    result = compute(factors)
    assert result.ifas.weights_sum == 1 and result.efas.weights_sum == 1


def test_final_scores_reports_every_problem_at_once() -> None:
    scores: list[dict[str, tuple[Decimal, int]]] = [
        {"S1": (D("1.2"), 3), "X9": (D("0.1"), 2)},
        {"S1": (D("0.5"), 5)},
    ]
    with pytest.raises(WorkshopInputError) as caught:
        final_scores(scores, {"S1": "S", "O1": "Q"}, method="modus")
    assert caught.value.problems == (
        "Metode modus tidak dikenal: gunakan median atau mean.",
        "Faktor O1: jenis “Q” tidak dikenal; gunakan S, W, O atau T.",
        "Peserta 1, faktor S1: bobot harus angka 0 sampai 1, bukan 1,2.",
        "Peserta 1: faktor X9 tidak ada dalam daftar faktor.",
        "Peserta 2, faktor S1: rating harus bilangan bulat 1–4, bukan 5.",
    )


def test_factor_nobody_scored_is_named() -> None:
    with pytest.raises(WorkshopInputError) as caught:
        final_scores([{"S1": (D(1), 3)}], {"S1": "S", "O1": "O", "T1": "T"})
    assert caught.value.problems == (
        "Faktor O1 belum dinilai oleh peserta mana pun.",
        "Faktor T1 belum dinilai oleh peserta mana pun.",
    )


def test_final_scores_without_participants() -> None:
    with pytest.raises(WorkshopInputError) as caught:
        final_scores([], {"S1": "S"})
    assert "Belum ada penilaian peserta." in caught.value.problems


def test_matrix_whose_aggregate_weights_are_all_zero_is_refused() -> None:
    with pytest.raises(WorkshopInputError) as caught:
        final_scores([{"S1": (D(0), 3), "O1": (D(1), 3)}], {"S1": "S", "O1": "O"})
    assert caught.value.message == "Bobot agregat IFAS semuanya 0; tidak dapat dinormalkan."
