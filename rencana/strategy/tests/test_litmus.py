"""Litmus test of strategic issues (Bryson): items, bands, scores and ranking; no database."""

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rencana.strategy.litmus import (
    DEFAULT_ITEMS,
    Band,
    LitmusInputError,
    LitmusItem,
    LitmusScore,
    band_label,
    default_bands,
    rank,
    score,
    translated_item,
    validate_config,
)

BANDS = default_bands(len(DEFAULT_ITEMS))


def answers(value: int, count: int = 13) -> dict[str, int]:
    return {item.kode: value for item in DEFAULT_ITEMS[:count]}


def complete(total: int) -> LitmusScore:
    return LitmusScore(total, "x", (), True)


def incomplete(total: int) -> LitmusScore:
    return LitmusScore(total, None, ("L13",), False)


# Items and bands


def test_default_test_has_13_items_with_unique_codes_and_texts() -> None:
    assert len(DEFAULT_ITEMS) == 13
    assert len({item.kode for item in DEFAULT_ITEMS}) == 13
    for item in DEFAULT_ITEMS:
        assert item.pertanyaan.endswith("?")
        assert item.operasional and item.strategis


def test_default_items_cover_the_points_of_the_litmus_test() -> None:
    text = " ".join(item.pertanyaan for item in DEFAULT_ITEMS)
    for point in ("DPRD", "Kapan", "dampak", "keuangan", "program baru", "pendapatan", "bangunan", "pegawai"):
        assert point in text
    for point in ("cara terbaik", "pejabat terendah", "dibiarkan", "OPD", "agama dan budaya"):
        assert point in text


def test_default_bands_for_13_items() -> None:
    assert default_bands(13) == [
        Band(13, 21, "kurang strategis"),
        Band(22, 30, "cukup strategis"),
        Band(31, 39, "sangat strategis"),
    ]
    assert validate_config(DEFAULT_ITEMS, BANDS) == []


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, [(1, 1), (2, 2), (3, 3)]),
        (2, [(2, 2), (3, 4), (5, 6)]),  # 5 totals: 1 + 2 + 2
        (4, [(4, 6), (7, 9), (10, 12)]),
        (5, [(5, 7), (8, 11), (12, 15)]),
    ],
)
def test_default_bands_give_the_remainder_to_the_upper_bands(n: int, expected: list[tuple[int, int]]) -> None:
    assert [(band.minimum, band.maximum) for band in default_bands(n)] == expected


@given(st.integers(min_value=1, max_value=200))
def test_default_bands_cover_the_range_without_gaps(n: int) -> None:
    bands = default_bands(n)
    assert bands[0].minimum == n and bands[-1].maximum == 3 * n
    for before, after in pairwise(bands):
        assert after.minimum == before.maximum + 1
    sizes = [band.maximum - band.minimum + 1 for band in bands]
    assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes)
    items = [LitmusItem(f"B{i}", "Tanya?", "a", "b") for i in range(n)]
    assert validate_config(items, bands) == []


@pytest.mark.parametrize("n", [0, -1])
def test_default_bands_need_an_item(n: int) -> None:
    with pytest.raises(LitmusInputError):
        default_bands(n)


def test_validate_config_reports_every_problem() -> None:
    items = [
        LitmusItem("A", "Tanya?", "", ""),
        LitmusItem("A", "  ", "", ""),
        LitmusItem("", "Tanya?", "", ""),
    ]
    bands = [Band(4, 5, "rendah"), Band(7, 8, " "), Band(8, 10, "tinggi")]
    assert validate_config(items, bands) == [
        "Kode butir A dipakai lebih dari sekali.",
        "Butir A: pertanyaan belum diisi.",
        "Butir ke-3: kode belum diisi.",
        "Kelompok 7–8: label belum diisi.",
        "Kelompok pertama harus mulai dari 3 (skor terendah 3 butir), bukan 4.",
        "Kelompok terakhir harus berakhir di 9 (skor tertinggi 3 butir), bukan 10.",
        "Skor 6 tidak masuk kelompok mana pun.",
        "Kelompok 7–8 dan 8–10 tumpang tindih.",
    ]


def test_validate_config_needs_items_and_bands() -> None:
    assert validate_config([], []) == [
        "Uji litmus memerlukan paling sedikit satu butir.",
        "Kelompok skor belum ditentukan.",
    ]


def test_validate_config_refuses_an_inverted_band() -> None:
    items = [LitmusItem("A", "Tanya?", "", "")]
    problems = validate_config(items, [Band(1, 1, "a"), Band(3, 2, "b")])
    assert "Kelompok 3–2: batas bawah melebihi batas atas." in problems


# Scores


@pytest.mark.parametrize(
    ("value", "total", "label"),
    [(1, 13, "kurang strategis"), (2, 26, "cukup strategis"), (3, 39, "sangat strategis")],
)
def test_score_sums_the_answers_and_names_the_band(value: int, total: int, label: str) -> None:
    assert score(DEFAULT_ITEMS, BANDS, answers(value)) == LitmusScore(total, label, (), True)


@pytest.mark.parametrize(
    ("ones", "total", "label"), [(4, 22, "cukup strategis"), (5, 21, "kurang strategis")]
)
def test_score_band_bounds_are_inclusive(ones: int, total: int, label: str) -> None:
    given_answers = {item.kode: (1 if i < ones else 2) for i, item in enumerate(DEFAULT_ITEMS)}
    result = score(DEFAULT_ITEMS, BANDS, given_answers)
    assert (result.total, result.label) == (total, label)


def test_incomplete_score_keeps_the_partial_total_and_lists_what_is_missing() -> None:
    result = score(DEFAULT_ITEMS, BANDS, answers(3, count=10))
    assert result == LitmusScore(30, None, ("L11", "L12", "L13"), False)


@pytest.mark.parametrize("bad", [0, 4, -1, True])
def test_answer_outside_1_to_3_names_the_item(bad: int) -> None:
    given_answers = {**answers(2), "L05": bad}
    with pytest.raises(LitmusInputError) as caught:
        score(DEFAULT_ITEMS, BANDS, given_answers)
    assert caught.value.message.startswith("Butir L05: skor harus 1, 2 atau 3")
    assert isinstance(caught.value, ValueError)


def test_answer_for_an_unknown_item_is_refused() -> None:
    with pytest.raises(LitmusInputError, match="L99"):
        score(DEFAULT_ITEMS, BANDS, {"L99": 2})


# Ranking


def test_rank_puts_complete_first_by_total_and_shares_ranks() -> None:
    scored = [
        ("isu-a", complete(25)),
        ("isu-b", incomplete(30)),
        ("isu-c", complete(33)),
        ("isu-d", complete(25)),
        ("isu-e", incomplete(12)),
        ("isu-f", complete(20)),
    ]
    ranked = rank(scored)
    assert [(r.key, r.rank) for r in ranked] == [
        ("isu-c", 1),
        ("isu-a", 2),
        ("isu-d", 2),
        ("isu-f", 4),
        ("isu-b", None),
        ("isu-e", None),
    ]


def test_rank_keeps_input_order_among_equal_totals() -> None:
    scored = [(key, complete(30)) for key in ("c", "a", "b")]
    assert [(r.key, r.rank) for r in rank(scored)] == [("c", 1), ("a", 1), ("b", 1)]


def test_rank_of_nothing_is_empty() -> None:
    assert rank([]) == []


# Labels in the active language


def test_texts_are_shown_through_the_catalogue() -> None:
    item = translated_item(DEFAULT_ITEMS[0])
    assert item.kode == "L01"
    assert item.pertanyaan == DEFAULT_ITEMS[0].pertanyaan  # the active language is Indonesian
    assert band_label("cukup strategis") == "cukup strategis"
    assert band_label("") == ""
