"""IFAS/EFAS, SWOT quadrant and IE matrix (Rangkuti); the acceptance case of Kota Pasuruan; no database."""

import contextlib
import csv
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rencana.strategy.swot import (
    Factor,
    Jenis,
    Problem,
    SwotInputError,
    compute,
    ie_cell,
    ie_strategy_label,
    quadrant,
    quadrant_strategy_label,
    result_json,
    validate,
)

DATA = Path(__file__).parent / "data"
D = Decimal


def pasuruan_factors() -> list[Factor]:
    with (DATA / "swot_kota_pasuruan.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Factor(row["jenis"], row["kode"], row["faktor"], D(row["bobot"]), int(row["rating"]))
            for row in csv.DictReader(handle)
        ]


def pasuruan_expected() -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(
        (DATA / "swot_kota_pasuruan_expected.json").read_text(encoding="utf-8"), parse_float=Decimal
    )
    expected.pop("note")
    return expected


def factor(
    jenis: Any = "S", kode: Any = "S1", faktor: Any = "Faktor", bobot: Any = "0.5", rating: Any = 3
) -> Factor:
    """A factor with any values, as a form or a JSON file may deliver them (a text bobot that reads as a
    number becomes a Decimal; "0,2" stays text)."""
    if isinstance(bobot, str):
        with contextlib.suppress(InvalidOperation):
            bobot = D(bobot)
    return Factor(jenis, kode, faktor, bobot, rating)


def matrix(s: str, w: str, o: str, t: str) -> list[Factor]:
    """Four factors of weight 0.5 and 0.5 per matrix whose scores give the wanted sums (ratings as given)."""
    return [
        factor("S", "S1", bobot="0.5", rating=int(s)),
        factor("W", "W1", bobot="0.5", rating=int(w)),
        factor("O", "O1", bobot="0.5", rating=int(o)),
        factor("T", "T1", bobot="0.5", rating=int(t)),
    ]


# The acceptance case


def test_pasuruan_reproduces_the_expected_json_exactly() -> None:
    assert result_json(compute(pasuruan_factors())) == pasuruan_expected()


def test_pasuruan_figures_keep_two_decimals_as_published() -> None:
    out = result_json(compute(pasuruan_factors()))
    assert str(out["ifas"]["total"]) == "2.50"
    assert str(out["efas"]["weights_sum"]) == "1.00"
    assert str(out["x"]) == "1.40"


def test_pasuruan_score_of_every_factor_is_weight_times_rating() -> None:
    with (DATA / "swot_kota_pasuruan.csv").open(encoding="utf-8", newline="") as handle:
        expected = {row["kode"]: D(row["skor"]) for row in csv.DictReader(handle)}
    result = compute(pasuruan_factors())
    assert {f.kode: f.skor for f in result.factors} == expected


def test_pasuruan_is_aggressive_and_favours_so() -> None:
    result = compute(pasuruan_factors())
    assert (result.quadrant, result.quadrant_strategy, result.tows) == ("I", "agresif (SO)", ("SO",))
    assert (result.ie_matrix_cell, result.ie_strategy, result.ie_strategi) == (
        "V",
        "hold and maintain",
        "pertahankan dan pelihara",
    )


def test_result_keeps_exact_sums() -> None:
    result = compute(pasuruan_factors())
    assert result.ifas.strength_score == D("1.95")
    assert result.ifas.weakness_score == D("0.55")
    assert result.efas.total == D("2.85")
    assert result.y == D("1.25")


# Quadrants


@pytest.mark.parametrize(
    ("x", "y", "code", "strategy", "tows"),
    [
        ("1.4", "1.25", "I", "agresif (SO)", ("SO",)),
        ("0.3", "-0.2", "II", "diversifikasi (ST)", ("ST",)),
        ("-0.3", "0.2", "III", "turn-around (WO)", ("WO",)),
        ("-0.3", "-0.2", "IV", "defensif (WT)", ("WT",)),
        ("0", "0.5", "I/III", "agresif (SO) / turn-around (WO)", ("SO", "WO")),
        ("0", "-0.5", "II/IV", "diversifikasi (ST) / defensif (WT)", ("ST", "WT")),
        ("0.5", "0", "I/II", "agresif (SO) / diversifikasi (ST)", ("SO", "ST")),
        ("-0.5", "0", "III/IV", "turn-around (WO) / defensif (WT)", ("WO", "WT")),
        (
            "0",
            "0",
            "I/II/III/IV",
            "agresif (SO) / diversifikasi (ST) / turn-around (WO) / defensif (WT)",
            None,
        ),
    ],
)
def test_quadrant_of_every_region_and_axis(
    x: str, y: str, code: str, strategy: str, tows: tuple[str, ...] | None
) -> None:
    result = quadrant(D(x), D(y))
    assert result.code == code
    assert result.strategy == strategy
    assert result.tows == (tows or ("SO", "ST", "WO", "WT"))


def test_quadrant_reads_the_published_two_decimals() -> None:
    assert quadrant(D("0.004"), D("1")).code == "I/III"  # shown as 0,00: on the axis
    assert quadrant(D("0.005"), D("1")).code == "I"  # shown as 0,01
    assert quadrant(D("-0.005"), D("-1")).code == "IV"


@pytest.mark.parametrize(
    ("ratings", "code"),
    [
        (("4", "1", "4", "1"), "I"),
        (("4", "1", "1", "4"), "II"),
        (("1", "4", "4", "1"), "III"),
        (("1", "4", "1", "4"), "IV"),
        (("3", "3", "4", "1"), "I/III"),
        (("3", "3", "3", "3"), "I/II/III/IV"),
    ],
)
def test_compute_places_the_matrix_in_its_quadrant(ratings: tuple[str, str, str, str], code: str) -> None:
    assert compute(matrix(*ratings)).quadrant == code


def test_quadrant_strategy_label_translates_each_name() -> None:
    assert quadrant_strategy_label("I") == "agresif (SO)"
    assert quadrant_strategy_label("II/IV") == "diversifikasi (ST) / defensif (WT)"


# IE matrix


@pytest.mark.parametrize(
    ("ifas", "efas", "cell", "strategy"),
    [
        ("3.0", "3.0", "I", "grow and build"),
        ("2.0", "3.0", "II", "grow and build"),
        ("1.99", "3.0", "III", "hold and maintain"),
        ("3.0", "2.0", "IV", "grow and build"),
        ("2.99", "2.99", "V", "hold and maintain"),
        ("1.0", "2.0", "VI", "harvest or divest"),
        ("4.0", "1.99", "VII", "hold and maintain"),
        ("2.0", "1.0", "VIII", "harvest or divest"),
        ("1.0", "1.0", "IX", "harvest or divest"),
    ],
)
def test_ie_cell_bounds_are_inclusive(ifas: str, efas: str, cell: str, strategy: str) -> None:
    result = ie_cell(D(ifas), D(efas))
    assert (result.cell, result.strategy) == (cell, strategy)


@pytest.mark.parametrize(
    ("ifas", "efas", "row", "column"),
    [("3.0", "3.0", "high", "strong"), ("2.5", "2.5", "medium", "average"), ("1.5", "1.5", "low", "weak")],
)
def test_ie_rows_follow_efas_and_columns_ifas(ifas: str, efas: str, row: str, column: str) -> None:
    result = ie_cell(D(ifas), D(efas))
    assert (result.row, result.column) == (row, column)


def test_ie_cell_reads_the_published_two_decimals() -> None:
    assert ie_cell(D("2.995"), D("2.5")).cell == "IV"  # 2.995 is shown as 3,00: strong
    assert ie_cell(D("2.994"), D("2.5")).cell == "V"
    assert ie_cell(D("1.995"), D("1.995")).cell == "V"


@pytest.mark.parametrize(
    ("cell", "label"),
    [("I", "tumbuh dan bina"), ("V", "pertahankan dan pelihara"), ("IX", "panen atau divestasi")],
)
def test_ie_strategy_label_is_indonesian(cell: str, label: str) -> None:
    assert ie_strategy_label(cell) == label


def test_jenis_labels_and_matrices() -> None:
    assert [j.label for j in Jenis] == ["Kekuatan", "Kelemahan", "Peluang", "Ancaman"]
    assert [j.matrix for j in Jenis] == ["IFAS", "IFAS", "EFAS", "EFAS"]


# Validation


def messages(problems: list[Problem]) -> list[str]:
    return [p.pesan for p in problems]


def test_sound_factors_have_no_problem() -> None:
    assert validate(pasuruan_factors()) == []


def test_lowercase_jenis_and_whole_decimal_rating_are_accepted() -> None:
    factors = [factor("s", bobot="1", rating=D("3.0")), factor(" o ", "O1", bobot="1", rating=2)]
    assert validate(factors) == []
    assert compute(factors).ifas.total == D(3)


def test_weights_within_half_a_hundredth_are_accepted() -> None:
    factors = [
        factor("S", "S1", bobot="0.505"),
        factor("W", "W1", bobot="0.5"),
        factor("O", "O1", bobot="0.995"),
    ]
    assert validate(factors) == []
    assert result_json(compute(factors))["ifas"]["weights_sum"] == D("1.01")


def test_rating_5_names_the_factor() -> None:
    factors = pasuruan_factors()
    factors[1] = factor("S", "S2", "Sarana", "0.15", 5)
    assert messages(validate(factors)) == ["Faktor S2: rating harus bilangan bulat 1–4, bukan 5."]


def test_weights_not_summing_to_one_name_the_matrix_and_the_sum() -> None:
    factors = pasuruan_factors()
    factors[0] = factor("S", "S1", "SDM", "0.10", 3)
    problems = validate(factors)
    assert problems == [Problem("IFAS", "bobot", "Bobot IFAS berjumlah 0,90; harus 1,00 (±0,005).")]


def test_weight_sum_shows_the_decimals_that_matter() -> None:
    factors = [factor("S", "S1", bobot="0.494"), factor("W", "W1", bobot="0.5"), factor("O", "O1", bobot="1")]
    assert messages(validate(factors)) == ["Bobot IFAS berjumlah 0,994; harus 1,00 (±0,005)."]


def test_every_problem_is_reported_at_once() -> None:
    factors = [
        factor("X", "S1", "Tidak jelas", "0.5", 3),
        factor("S", "S2", "   ", "0.5", 3),
        factor("S", "S2", "Kembar", "0.5", 3),
        factor("S", "S4", "Tanpa bobot", None, 3),
        factor("S", "S5", "Bobot teks", "0,2", 3),
        factor("W", "W1", "Negatif", "-0.2", 2),
        factor("W", "W2", "Terlalu besar", "1.5", 0),
        factor("W", "W3", "Pecahan", "0.1", D("2.5")),
        factor("W", "", "Tanpa kode", "0.1", None),
    ]
    assert messages(validate(factors)) == [
        "Faktor S1: jenis “X” tidak dikenal; gunakan S, W, O atau T.",
        "Faktor S2: pernyataan faktor kosong.",
        "Kode S2 dipakai oleh lebih dari satu faktor.",
        "Faktor S4: bobot belum diisi.",
        "Faktor S5: bobot harus berupa angka, bukan “0,2”.",
        "Faktor W1: bobot tidak boleh negatif (-0,2).",
        "Faktor W2: bobot harus antara 0 dan 1, bukan 1,5.",
        "Faktor W2: rating harus bilangan bulat 1–4, bukan 0.",
        "Faktor W3: rating harus bilangan bulat 1–4, bukan 2,5.",
        "Faktor ke-9: kode belum diisi (mis. S1, W2).",
        "Faktor ke-9: rating belum diisi.",
        "Matriks EFAS kosong: belum ada faktor peluang (O) atau ancaman (T).",
    ]


def test_problems_name_their_kode_and_field() -> None:
    factors = [
        factor("S", "S1", bobot="0.5", rating=9),
        factor("W", "W1", bobot="0.4"),
        factor("O", "O1", bobot="1"),
    ]
    assert [(p.kode, p.kolom) for p in validate(factors)] == [("S1", "rating"), ("IFAS", "bobot")]


def test_both_matrices_empty() -> None:
    assert messages(validate([])) == [
        "Matriks IFAS kosong: belum ada faktor kekuatan (S) atau kelemahan (W).",
        "Matriks EFAS kosong: belum ada faktor peluang (O) atau ancaman (T).",
    ]


def test_weight_sum_is_not_checked_while_a_weight_is_unreadable() -> None:
    factors = [factor("S", "S1", bobot=None), factor("W", "W1", bobot="0.2"), factor("O", "O1", bobot="1")]
    assert messages(validate(factors)) == ["Faktor S1: bobot belum diisi."]


def test_duplicate_kode_ignores_case_and_is_reported_once() -> None:
    factors = [factor("S", "S1", bobot="0.4"), factor("S", "s1", bobot="0.3"), factor("W", "S1", bobot="0.3")]
    factors.append(factor("O", "O1", bobot="1"))
    assert messages(validate(factors)) == ["Kode s1 dipakai oleh lebih dari satu faktor."]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("jenis", None, "Faktor S1: jenis belum diisi (S, W, O atau T)."),
        ("jenis", 1, "Faktor S1: jenis 1 tidak dikenal; gunakan S, W, O atau T."),
        ("kode", 7, "Faktor ke-1: kode harus berupa teks, bukan 7."),
        ("faktor", None, "Faktor S1: pernyataan faktor kosong."),
        ("bobot", True, "Faktor S1: bobot harus berupa angka, bukan “true”."),
        ("bobot", D("NaN"), "Faktor S1: bobot harus berupa angka, bukan “NaN”."),
        ("rating", "3", "Faktor S1: rating harus bilangan bulat 1–4, bukan “3”."),
        ("rating", True, "Faktor S1: rating harus bilangan bulat 1–4, bukan “true”."),
    ],
)
def test_values_of_the_wrong_type_are_problems_not_crashes(field: str, value: Any, message: str) -> None:
    values: dict[str, Any] = {"jenis": "S", "kode": "S1", "faktor": "F", "bobot": D(1), "rating": 3}
    values[field] = value
    factors = [Factor(**values), factor("O", "O1", bobot="1")]
    assert message in messages(validate(factors))


def test_compute_raises_with_every_problem() -> None:
    factors = pasuruan_factors()
    factors[0] = factor("S", "S1", "", "0.10", 5)
    with pytest.raises(SwotInputError) as caught:
        compute(factors)
    assert [p.kolom for p in caught.value.problems] == ["faktor", "rating", "bobot"]
    assert caught.value.message == (
        "Faktor S1: pernyataan faktor kosong. Faktor S1: rating harus bilangan bulat 1–4, bukan 5. "
        "Bobot IFAS berjumlah 0,90; harus 1,00 (±0,005)."
    )
    assert str(caught.value) == caught.value.message
    assert isinstance(caught.value, ValueError)


# Properties


WEIGHT_SPLITS = st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=5)


def split_to_weights(parts: list[int]) -> list[Decimal]:
    """Weights (4 decimals) that sum to exactly 1."""
    total = sum(parts)
    weights = [(D(p) / total).quantize(D("0.0001")) for p in parts[:-1]]
    return [*weights, D(1) - sum(weights, D(0))]


@given(
    ifas=WEIGHT_SPLITS,
    efas=WEIGHT_SPLITS,
    ratings=st.lists(st.integers(min_value=1, max_value=4), min_size=10, max_size=10),
)
def test_totals_lie_between_1_and_4_and_x_y_follow_the_scores(
    ifas: list[int], efas: list[int], ratings: list[int]
) -> None:
    factors = [
        Factor("S" if i % 2 == 0 else "W", f"I{i}", "F", w, ratings[i])
        for i, w in enumerate(split_to_weights(ifas))
    ] + [
        Factor("O" if i % 2 == 0 else "T", f"E{i}", "F", w, ratings[5 + i])
        for i, w in enumerate(split_to_weights(efas))
    ]
    result = compute(factors)
    assert D(1) <= result.ifas.total <= D(4)
    assert D(1) <= result.efas.total <= D(4)
    assert result.x == result.ifas.strength_score - result.ifas.weakness_score
    assert result.y == result.efas.opportunity_score - result.efas.threat_score
    assert result.ifas.weights_sum == result.efas.weights_sum == D(1)
    assert quadrant(result.x, result.y).code == result.quadrant
