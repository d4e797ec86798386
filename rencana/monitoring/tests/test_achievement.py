"""Capaian, predikat, annual realization, absorption and efficiency (Permendagri 86/2017); no database."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rencana.monitoring import achievement
from rencana.monitoring.achievement import (
    BANDS,
    Capaian,
    absorption,
    annual_realization,
    capaian,
    capaian_akhir_periode,
    efficiency,
    end_of_period_realization,
    predikat,
    predikat_label,
    warna,
)

DATA = Path(__file__).parent / "data" / "capaian_permendagri86.csv"
D = Decimal
PREDIKAT_ORDER = [band.predikat for band in reversed(BANDS)]  # Sangat Rendah first


def acceptance_rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    "row", acceptance_rows(), ids=lambda r: f"{r['target']}-{r['realisasi']}-{r['polaritas']}"
)
def test_every_acceptance_row_gives_its_capaian_and_predikat(row: dict[str, str]) -> None:
    result = capaian(D(row["target"]), D(row["realisasi"]), row["polaritas"])
    assert result == Capaian(D(row["capaian"]), row["predikat"], None)
    assert str(result.capaian) == row["capaian"]  # two decimals, as printed


def test_acceptance_table_is_not_empty() -> None:
    assert len(acceptance_rows()) >= 5


def test_issue_example_negative_polarity() -> None:
    result = capaian(D("0.45"), D("0.551"), "negatif")
    assert result == Capaian(D("77.56"), "Tinggi", None)
    assert result.warna == "hijau"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "Sangat Rendah"),
        ("50.99", "Sangat Rendah"),
        ("51", "Rendah"),
        ("65.99", "Rendah"),
        ("66", "Sedang"),
        ("75.99", "Sedang"),
        ("76", "Tinggi"),
        ("90.99", "Tinggi"),
        ("91", "Sangat Tinggi"),
        ("100", "Sangat Tinggi"),
        ("150", "Sangat Tinggi"),
    ],
)
def test_band_lower_bounds_are_inclusive_without_gaps(value: str, expected: str) -> None:
    assert predikat(D(value)) == expected
    assert capaian(D(100), D(value), "positif").predikat == expected


@pytest.mark.parametrize(
    ("realisasi", "rounded", "expected"),
    [
        ("75.995", "76.00", "Tinggi"),
        ("75.994", "75.99", "Sedang"),
        ("90.994", "90.99", "Tinggi"),
        ("90.995", "91.00", "Sangat Tinggi"),
        ("50.995", "51.00", "Rendah"),
        ("65.995", "66.00", "Sedang"),
    ],
)
def test_capaian_is_rounded_half_up_before_banding(realisasi: str, rounded: str, expected: str) -> None:
    result = capaian(D(100), D(realisasi), "positif")
    assert str(result.capaian) == rounded
    assert result.predikat == expected
    assert predikat(D(realisasi)) == expected


def test_negative_polarity_never_goes_below_zero() -> None:
    assert capaian(D(10), D(25), "negatif") == Capaian(D("0.00"), "Sangat Rendah", None)
    assert capaian(D(10), D(20), "negatif").capaian == D(0)


def test_negative_polarity_at_zero_realisasi_is_200() -> None:
    assert capaian(D(8), D(0), "negatif") == Capaian(D("200.00"), "Sangat Tinggi", None)


def test_target_zero_gives_the_reason_instead_of_dividing() -> None:
    result = capaian(D(0), D(5), "positif")
    assert result == Capaian(None, None, "tidak dapat dihitung: target 0")
    assert result.warna is None


def test_polarity_is_read_case_insensitively() -> None:
    assert capaian(D(10), D(7), " Positif ").capaian == D(70)


@pytest.mark.parametrize(
    ("target", "realisasi", "polaritas", "fragment"),
    [
        (D(-1), D(1), "positif", "target tidak boleh negatif"),
        (D(1), D(-1), "positif", "realisasi tidak boleh negatif"),
        (D(1), D(1), "netral", "Polaritas “netral” tidak dikenal"),
        (D("NaN"), D(1), "positif", "angka terhingga"),
        (D(1), D("Infinity"), "positif", "angka terhingga"),
    ],
)
def test_invalid_input_is_refused_with_an_indonesian_message(
    target: Decimal, realisasi: Decimal, polaritas: str, fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        capaian(target, realisasi, polaritas)


def test_absurd_ratio_is_refused_for_positive_and_zero_for_negative() -> None:
    with pytest.raises(ValueError, match="10\\^18"):
        capaian(D("1E-10"), D("1E+10"), "positif")
    assert capaian(D("1E-10"), D("1E+10"), "negatif").capaian == D(0)


def test_colour_per_predikat() -> None:
    assert [warna(p) for p in PREDIKAT_ORDER] == ["merah", "merah", "kuning", "hijau", "hijau"]


def test_predikat_labels_keep_indonesian_names_in_indonesian() -> None:
    assert [predikat_label(p) for p in PREDIKAT_ORDER] == PREDIKAT_ORDER


# --- properties ---------------------------------------------------------------------------------------

capaian_values = st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False)
positive = st.decimals(
    min_value=D("0.001"), max_value=D(10**9), places=3, allow_nan=False, allow_infinity=False
)
non_negative = st.decimals(min_value=0, max_value=D(10**9), places=3, allow_nan=False, allow_infinity=False)


@given(capaian_values, capaian_values)
@example(D("75.995"), D("76"))
def test_band_is_monotone_in_capaian(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert PREDIKAT_ORDER.index(predikat(low)) <= PREDIKAT_ORDER.index(predikat(high))


@given(positive, non_negative, non_negative)
def test_positive_capaian_increases_with_realisasi(target: Decimal, r1: Decimal, r2: Decimal) -> None:
    low, high = sorted((r1, r2))
    a, b = capaian(target, low, "positif"), capaian(target, high, "positif")
    assert a.capaian is not None and b.capaian is not None
    assert a.capaian <= b.capaian


@given(positive, non_negative, non_negative)
def test_negative_capaian_decreases_with_realisasi_and_stays_non_negative(
    target: Decimal, r1: Decimal, r2: Decimal
) -> None:
    low, high = sorted((r1, r2))
    a, b = capaian(target, low, "negatif"), capaian(target, high, "negatif")
    assert a.capaian is not None and b.capaian is not None
    assert a.capaian >= b.capaian >= 0


@given(non_negative, st.sampled_from(["positif", "negatif"]))
def test_target_zero_always_gives_the_reason(realisasi: Decimal, polaritas: str) -> None:
    assert capaian(D(0), realisasi, polaritas) == Capaian(None, None, "tidak dapat dihitung: target 0")


@given(positive, non_negative, st.sampled_from(["positif", "negatif"]))
def test_capaian_has_two_decimals_and_the_predikat_of_its_value(
    target: Decimal, realisasi: Decimal, polaritas: str
) -> None:
    result = capaian(target, realisasi, polaritas)
    assert result.capaian is not None
    assert result.capaian.as_tuple().exponent == -2
    assert result.predikat == predikat(result.capaian)


# --- annual realization -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quarters", "agregasi", "expected"),
    [
        ([D(10), D(20), D(30), D(40)], "kumulatif", D(100)),
        ([D(10), None, D(30), None], "kumulatif", D(40)),
        ([D(10), D(20), D(30), D(40)], "akhir_periode", D(40)),
        ([D(10), D(20), None, None], "akhir_periode", D(20)),
        ([D(5), None, D(15)], "akhir_periode", D(15)),
        ([D(10), D(20), D(30), D(40)], "rata_rata", D(25)),
        ([D(10), None, D(30), None], "rata_rata", D(20)),
        ([None, None, None, None], "kumulatif", None),
        ([], "rata_rata", None),
    ],
)
def test_annual_realization_skips_missing_quarters(
    quarters: list[Decimal | None], agregasi: str, expected: Decimal | None
) -> None:
    assert annual_realization(quarters, agregasi) == expected


def test_missing_quarter_is_not_read_as_zero_in_the_mean() -> None:
    assert annual_realization([D(80), None], "rata_rata") == D(80)


def test_unknown_aggregation_is_refused() -> None:
    with pytest.raises(ValueError, match="Agregasi “median” tidak dikenal"):
        annual_realization([D(1)], "median")


# --- end of period --------------------------------------------------------------------------------------


def test_end_of_period_kumulatif_sums_every_reported_year() -> None:
    years = {2025: D(10), 2026: None, 2027: D(15)}
    assert end_of_period_realization(years, "kumulatif") == D(25)
    assert capaian_akhir_periode(D(50), years, "positif", "kumulatif") == Capaian(
        D("50.00"), "Sangat Rendah", None
    )


@pytest.mark.parametrize("agregasi", ["akhir_periode", "rata_rata"])
def test_end_of_period_condition_uses_the_latest_reported_year(agregasi: str) -> None:
    years = {2027: None, 2026: D(9), 2025: D(12)}
    assert end_of_period_realization(years, agregasi) == D(9)
    assert capaian_akhir_periode(D(8), years, "negatif", agregasi).capaian == D("87.50")


def test_end_of_period_without_any_year_gives_the_reason() -> None:
    result = capaian_akhir_periode(D(8), {2025: None}, "positif")
    assert result == Capaian(None, None, "tidak dapat dihitung: belum ada realisasi")


# --- absorption and efficiency -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("realisasi", "pagu", "expected"),
    [
        (D(750_000), D(1_000_000), D("75.00")),
        (D(1), D(3), D("33.33")),
        (D(2), D(3), D("66.67")),
        (D("0.125"), D(1), D("12.50")),
        (D("0.12345"), D(1), D("12.35")),
        (D(1_200_000), D(1_000_000), D("120.00")),
        (D(0), D(1_000_000), D("0.00")),
        (D(5), D(0), None),
    ],
)
def test_absorption_in_percent_two_decimals_half_up(
    realisasi: Decimal, pagu: Decimal, expected: Decimal
) -> None:
    assert absorption(realisasi, pagu) == expected


def test_absorption_refuses_negative_money() -> None:
    with pytest.raises(ValueError, match="pagu tidak boleh negatif"):
        absorption(D(1), D(-1))


@pytest.mark.parametrize(
    ("capaian_value", "serapan", "kategori"),
    [
        (D(95), D(90), "efisien"),
        (D(76), D(76), "efisien"),
        (D(120), D(60), "efisien"),
        (D(80), D(85), "wajar"),
        (D(50), D(40), "wajar"),
        (D(70), D("94.99"), "wajar"),
        (D(70), D(95), "boros"),
        (D(40), D(90), "boros"),
        (None, D(90), "tidak_dapat_dinilai"),
        (D(90), None, "tidak_dapat_dinilai"),
    ],
)
def test_efficiency_categories(capaian_value: Decimal | None, serapan: Decimal | None, kategori: str) -> None:
    assert efficiency(capaian_value, serapan).kategori == kategori


def test_efficiency_explanation_names_the_numbers() -> None:
    boros = efficiency(D(40), D("90.5"))
    assert "90,50%" in boros.penjelasan and "40,00%" in boros.penjelasan and "50,50 poin" in boros.penjelasan
    assert "serapan anggaran tidak tersedia" in efficiency(D(90), None).penjelasan
    assert "capaian tidak tersedia" in efficiency(None, D(90)).penjelasan


def test_round2_handles_large_values_exactly() -> None:
    assert achievement.round2(D("123456789012345678901234567890.125")) == D(
        "123456789012345678901234567890.13"
    )
