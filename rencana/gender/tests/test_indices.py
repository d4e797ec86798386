"""IPM, IPG, IDG (BPS), GDI, GII (UNDP) and IKG (BPS): acceptance rows, rules and properties; no database."""

import csv
import math
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from rencana.gender.indices import (
    DEFAULT_IDG_CONSTANTS,
    HITUNG,
    PUBLIKASI,
    RENDAH,
    SANGAT_TINGGI,
    SEDANG,
    TINGGI,
    UNDP_GEM_IDG_CONSTANTS,
    IdgConstants,
    IndexInputError,
    SexComponents,
    UndpComponents,
    edep,
    expenditure_by_sex,
    gdi,
    gii,
    hdi_by_sex,
    idg,
    idg_published,
    ikg,
    ipg,
    ipm,
    ipm_by_sex,
    ipm_status,
    status_label,
)

DATA = Path(__file__).parent / "data"
D = Decimal
FAST = settings(max_examples=150, deadline=None)


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    """The messages are checked in Indonesian, whatever language an earlier test left active."""
    with translation.override("id"):
        yield


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


IPM_ROWS = rows("ipm_bps.csv")
UNDP_ROWS = rows("gdi_gii_undp_2021.csv")
IKG_ROWS = rows("ikg_bps.csv")


def undp(row: dict[str, str], suffix: str) -> UndpComponents:
    return UndpComponents(
        D(row[f"le_{suffix}"]), D(row[f"eys_{suffix}"]), D(row[f"mys_{suffix}"]), D(row[f"gni_pc_{suffix}"])
    )


# Acceptance rows.


def test_acceptance_tables_are_not_empty() -> None:
    assert len(IPM_ROWS) >= 2 and len(UNDP_ROWS) >= 2 and len(IKG_ROWS) >= 2


@pytest.mark.parametrize("row", IPM_ROWS, ids=lambda r: f"{r['wilayah']}-{r['tahun']}")
def test_every_ipm_row_reproduces_the_published_ipm_within_its_tolerance(row: dict[str, str]) -> None:
    result = ipm(D(row["uhh"]), D(row["hls"]), D(row["rls"]), D(row["pengeluaran"]))
    published = D(row["ipm_publikasi"])
    assert abs(result.ipm - published) <= D(row["toleransi"])
    assert abs(D(repr(result.ipm_raw)) - published) <= D(row["toleransi"])
    assert result.ipm.as_tuple().exponent == -2  # two decimals, as BPS prints


@pytest.mark.parametrize("row", UNDP_ROWS, ids=lambda r: r["iso3"])
def test_every_gdi_row_equals_the_published_gdi_to_three_decimals(row: dict[str, str]) -> None:
    result = gdi(undp(row, "f"), undp(row, "m"))
    assert result.gdi == D(row["gdi"])
    assert str(result.gdi) == f"{D(row['gdi']):.3f}"
    assert result.hdi_f.hdi_raw == pytest.approx(float(row["hdi_f"]), abs=1e-6)
    assert result.hdi_m.hdi_raw == pytest.approx(float(row["hdi_m"]), abs=1e-6)


@pytest.mark.parametrize("row", UNDP_ROWS, ids=lambda r: r["iso3"])
def test_every_gii_row_equals_the_published_gii_to_three_decimals(row: dict[str, str]) -> None:
    fields = ("mmr", "abr", "pr_f", "pr_m", "se_f", "se_m", "lfpr_f", "lfpr_m")
    result = gii(*(D(row[field]) for field in fields))
    assert result.gii == D(row["gii"])
    assert result.gii.as_tuple().exponent == -3


@pytest.mark.parametrize("row", IKG_ROWS, ids=lambda r: r["wilayah"])
def test_every_ikg_row_reproduces_the_published_ikg_within_half_a_thousandth(row: dict[str, str]) -> None:
    fields = ("mtf", "mhpk20", "legislatif_l", "legislatif_p", "sma_l", "sma_p", "tpak_l", "tpak_p")
    result = ikg(*(D(row[field]) for field in fields))
    published = D(row["ikg_publikasi"])
    assert abs(D(repr(result.ikg_raw)) - published) <= D("0.0005")
    assert abs(result.ikg - published) <= D("0.0005")
    assert result.ikg.as_tuple().exponent == -3


# IPM.


def test_ipm_returns_its_three_indices_unrounded() -> None:
    result = ipm(D("73.93"), D("13.15"), D("8.77"), 11_899_000)
    assert result.indeks_kesehatan == pytest.approx((73.93 - 20) / 65, rel=1e-15)
    assert result.indeks_pendidikan == pytest.approx((13.15 / 18 + 8.77 / 15) / 2, rel=1e-15)
    expected = (math.log(11_899_000) - math.log(1_007_436)) / (math.log(26_572_352) - math.log(1_007_436))
    assert result.indeks_pengeluaran == pytest.approx(expected, rel=1e-15)
    product = result.indeks_kesehatan * result.indeks_pendidikan * result.indeks_pengeluaran
    assert result.ipm_raw == pytest.approx(100 * product ** (1 / 3), rel=1e-15)
    assert result.ipm == D("74.39")
    assert result.status == TINGGI


def test_ipm_accepts_decimal_int_and_float_alike() -> None:
    assert ipm(D("70"), D("13"), D("9"), D("10000000")) == ipm(70, 13, 9, 10_000_000)
    assert ipm(70.0, 13.0, 9.0, 1e7) == ipm(70, 13, 9, 10_000_000)


def test_ipm_caps_hls_at_18_and_rls_at_15() -> None:
    assert ipm(70, 25, 19, 10_000_000) == ipm(70, 18, 15, 10_000_000)


def test_ipm_clamps_uhh_and_expenditure_above_their_maximum() -> None:
    assert ipm(90, 18, 15, 40_000_000) == ipm(85, 18, 15, 26_572_352)
    assert ipm(85, 18, 15, 26_572_352).ipm == D("100.00")


def test_ipm_at_the_minimum_goalposts_is_zero_and_rendah() -> None:
    result = ipm(20, 0, 0, 1_007_436)
    assert result.ipm == D("0.00")
    assert result.status == RENDAH


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("0", RENDAH),
        ("59.99", RENDAH),
        ("59.994", RENDAH),
        ("59.995", SEDANG),  # rounds to 60.00 first
        ("60", SEDANG),
        ("69.99", SEDANG),
        ("70", TINGGI),
        ("79.994", TINGGI),
        ("79.995", SANGAT_TINGGI),
        ("80", SANGAT_TINGGI),
        ("100", SANGAT_TINGGI),
    ],
)
def test_ipm_status_bands_on_the_value_rounded_to_two_decimals(value: str, status: str) -> None:
    assert ipm_status(D(value)) == status


def test_status_label_is_the_capitalised_band_name() -> None:
    assert status_label(SANGAT_TINGGI) == "Sangat Tinggi"
    assert status_label("lain") == "lain"


@pytest.mark.parametrize(
    ("args", "field", "fragment"),
    [
        ((D("19.99"), 13, 9, 10_000_000), "uhh", "tidak boleh kurang dari 20"),
        ((70, -1, 9, 10_000_000), "hls", "tidak boleh negatif"),
        ((70, 13, D("-0.1"), 10_000_000), "rls", "tidak boleh negatif"),
        ((70, 13, 9, 1_000_000), "pengeluaran", "tidak boleh kurang dari 1.007.436"),
        ((70, 13, 9, 0), "pengeluaran", "tidak boleh kurang dari 1.007.436"),
        ((True, 13, 9, 10_000_000), "uhh", "harus berupa angka"),
        (("70", 13, 9, 10_000_000), "uhh", "harus berupa angka"),
        ((70, None, 9, 10_000_000), "hls", "harus berupa angka"),
        ((70, 13, D("NaN"), 10_000_000), "rls", "angka terhingga"),
        ((70, 13, 9, math.inf), "pengeluaran", "angka terhingga"),
        ((70, 13, 9, 10**400), "pengeluaran", "angka terhingga"),
    ],
)
def test_ipm_refuses_out_of_range_input_naming_the_field(
    args: tuple[object, ...], field: str, fragment: str
) -> None:
    with pytest.raises(IndexInputError) as caught:
        ipm(*args)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert f"“{field}”" in caught.value.message
    assert fragment in caught.value.message
    assert isinstance(caught.value, ValueError)


UHH_YEARS = st.floats(20, 90, allow_nan=False)
SCHOOL_YEARS = st.floats(0, 25, allow_nan=False)
EXPENDITURE = st.floats(1_007_436, 40_000_000, allow_nan=False)
STEP = st.floats(0, 50, allow_nan=False)


@pytest.mark.parametrize("component", [0, 1, 2, 3])
@FAST
@given(
    base=st.tuples(UHH_YEARS, SCHOOL_YEARS, SCHOOL_YEARS, EXPENDITURE),
    step=STEP,
)
def test_ipm_is_monotone_non_decreasing_in_each_component(
    component: int, base: tuple[float, float, float, float], step: float
) -> None:
    raised = list(base)
    raised[component] += step * (1_000_000 if component == 3 else 1)
    assert ipm(*raised).ipm_raw >= ipm(*base).ipm_raw
    assert ipm(*raised).ipm >= ipm(*base).ipm


# IPG.


def test_ipm_by_sex_uses_the_sex_specific_uhh_goalposts() -> None:
    assert ipm_by_sex(75, 13, 9, 10_000_000, "perempuan").indeks_kesehatan == pytest.approx(52.5 / 65)
    assert ipm_by_sex(75, 13, 9, 10_000_000, "laki_laki").indeks_kesehatan == pytest.approx(57.5 / 65)
    with pytest.raises(IndexInputError, match="tidak boleh kurang dari 22,5"):
        ipm_by_sex(22, 13, 9, 10_000_000, "perempuan")
    assert ipm_by_sex(17.5, 13, 9, 10_000_000, "laki_laki").ipm == D("0.00")


def test_ipm_by_sex_refuses_an_unknown_sex() -> None:
    with pytest.raises(IndexInputError, match="tidak dikenal"):
        ipm_by_sex(75, 13, 9, 10_000_000, "female")  # type: ignore[arg-type]


def test_ipg_is_the_ratio_of_the_raw_ipms_times_100() -> None:
    perempuan = SexComponents(D("75.5"), D("13.3"), D("8.4"), 9_200_000)
    laki_laki = SexComponents(D("71.6"), D("13.0"), D("9.1"), 15_900_000)
    result = ipg(perempuan, laki_laki)
    assert result.ipm_perempuan == ipm_by_sex(D("75.5"), D("13.3"), D("8.4"), 9_200_000, "perempuan")
    assert result.ipm_laki_laki == ipm_by_sex(D("71.6"), D("13.0"), D("9.1"), 15_900_000, "laki_laki")
    assert result.ipg_raw == pytest.approx(100 * result.ipm_perempuan.ipm_raw / result.ipm_laki_laki.ipm_raw)
    assert result.ipg == D("91.56")


def test_ipg_is_100_when_women_live_five_years_longer_and_the_rest_is_equal() -> None:
    result = ipg(SexComponents(75, 13, 9, 10_000_000), SexComponents(70, 13, 9, 10_000_000))
    assert result.ipg == D("100.00")


@pytest.mark.parametrize(
    ("perempuan", "laki_laki", "field"),
    [
        (SexComponents(22, 13, 9, 10_000_000), SexComponents(70, 13, 9, 10_000_000), "perempuan.uhh"),
        (SexComponents(75, 13, 9, 10_000_000), SexComponents(70, 13, 9, -5), "laki_laki.pengeluaran"),
        (SexComponents(75, 13, 9, 10_000_000), SexComponents(70, 13, True, 1e7), "laki_laki.rls"),
        (SexComponents(75, 13, 9, 10_000_000), SexComponents(17.5, 13, 9, 1e7), "laki_laki.uhh"),
        (SexComponents(75, 13, 9, 10_000_000), SexComponents(70, 0, 0, 1e7), "laki_laki.hls"),
    ],
)
def test_ipg_errors_name_the_sex_and_the_field(
    perempuan: SexComponents, laki_laki: SexComponents, field: str
) -> None:
    with pytest.raises(IndexInputError) as caught:
        ipg(perempuan, laki_laki)
    assert caught.value.field == field
    assert f"“{field}”" in caught.value.message


def test_expenditure_by_sex_gives_the_readme_check_values() -> None:
    s_f, p_f, p_m = expenditure_by_sex(11_899_000, D("0.735"), D("0.402"), D("0.598"), D("0.509"))
    assert round(s_f, 3) == 0.331
    assert round(s_f / 0.509, 3) == 0.650
    assert p_f == pytest.approx(11_899_000 * s_f / 0.509)
    assert p_m == pytest.approx(11_899_000 * (1 - s_f) / 0.491)


@FAST
@given(
    p=st.floats(1e5, 1e8),
    r=st.floats(0.1, 2),
    ea_f=st.floats(0.01, 1),
    n_f=st.floats(0.3, 0.7),
)
def test_expenditure_by_sex_keeps_the_total(p: float, r: float, ea_f: float, n_f: float) -> None:
    shares = expenditure_by_sex(p, r, ea_f, 1 - ea_f, n_f)
    assert 0 <= shares.s_f <= 1
    assert n_f * shares.p_f + (1 - n_f) * shares.p_m == pytest.approx(p, rel=1e-12)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((0, 0.7, 0.4, 0.6, 0.5), "p"),
        ((1e7, 0, 0.4, 0.6, 0.5), "wage_ratio"),
        ((1e7, 0.7, 1.4, 0.6, 0.5), "ea_f"),
        ((1e7, 0.7, 0, 0, 0.5), "ea_m"),
        ((1e7, 0.7, 0.4, 0.6, 0), "n_f"),
        ((1e7, 0.7, 0.4, 0.6, 1), "n_f"),
    ],
)
def test_expenditure_by_sex_refuses_bad_input(args: tuple[float, ...], field: str) -> None:
    with pytest.raises(IndexInputError) as caught:
        expenditure_by_sex(*args)
    assert caught.value.field == field


# IDG.


def test_idg_share_indices_are_one_at_parity() -> None:
    result = idg(50, 50, 50, 10_000_000, D("0.5"))
    assert result.indeks_parlemen == pytest.approx(1.0)
    assert result.indeks_manajer == pytest.approx(1.0)
    assert result.sumber == HITUNG


def test_idg_parity_follows_the_population_share() -> None:
    result = idg(D("50.9"), D("50.9"), D("50.9"), 10_000_000, D("0.509"))
    assert result.indeks_parlemen == pytest.approx(1.0, abs=1e-12)


def test_idg_income_index_is_the_common_index_when_incomes_per_head_are_equal() -> None:
    # Women's share of earned income equal to their population share: P_f = P_m = P.
    result = idg(50, 50, 50, 10_000_000, D("0.5"))
    expected = (10_000_000 - 1_007_436) / (26_572_352 - 1_007_436)
    assert result.indeks_pendapatan == pytest.approx(expected)
    assert result.idg_raw == pytest.approx(100 * (2 + expected) / 3)


def test_idg_is_100_at_parity_with_incomes_at_the_maximum() -> None:
    assert idg(50, 50, 50, 30_000_000, D("0.5")).idg == D("100.00")


def test_idg_zero_share_gives_a_zero_index() -> None:
    result = idg(0, 100, 30, 10_000_000, D("0.5"))
    assert result.indeks_parlemen == 0
    assert result.indeks_manajer == 0


def test_idg_income_goalposts_are_configurable() -> None:
    default = idg(20, 40, 30, 10_000_000, D("0.5"))
    assert idg(20, 40, 30, 10_000_000, D("0.5"), DEFAULT_IDG_CONSTANTS) == default
    dollars = idg(20, 40, 30, 12_000, D("0.5"), UNDP_GEM_IDG_CONSTANTS)
    assert dollars.indeks_parlemen == default.indeks_parlemen
    f, m = 12_000 * 0.3 / 0.5, 12_000 * 0.7 / 0.5
    index_f, index_m = (f - 100) / 39_900, (m - 100) / 39_900
    assert dollars.indeks_pendapatan == pytest.approx(1 / (0.5 / index_f + 0.5 / index_m))
    with pytest.raises(IndexInputError) as caught:
        IdgConstants(100.0, 100.0, "PPP US$")
    assert caught.value.field == "pendapatan_maks"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((120, 40, 30, 1e7, 0.5), "parlemen_p"),
        ((20, -1, 30, 1e7, 0.5), "manajer_p"),
        ((20, 40, 101, 1e7, 0.5), "sumbangan_pendapatan_p"),
        ((20, 40, 30, 0, 0.5), "pengeluaran"),
        ((20, 40, 30, 1e7, 0), "penduduk_p"),
        ((20, 40, 30, 1e7, 50), "penduduk_p"),
    ],
)
def test_idg_refuses_bad_input_naming_the_field(
    args: tuple[float, float, float, float, float], field: str
) -> None:
    with pytest.raises(IndexInputError) as caught:
        idg(*args)
    assert caught.value.field == field


@FAST
@given(
    n_f=st.floats(0.3, 0.7),
    shares=st.tuples(st.floats(0, 50), st.floats(0, 50)).map(sorted),
)
def test_idg_share_index_grows_with_womens_share_up_to_parity(n_f: float, shares: list[float]) -> None:
    parity = min(50.0, 100 * n_f)  # the maximum lies between 50 and 100·N_f
    low, high = (min(x, parity) for x in shares)
    index_low = edep(n_f, 1 - n_f, low, 100 - low) / 50
    index_high = edep(n_f, 1 - n_f, high, 100 - high) / 50
    assert index_low <= index_high + 1e-12


@FAST
@given(low=st.floats(0, 50), step=st.floats(0, 50))
def test_idg_grows_with_womens_parliament_share_up_to_half(low: float, step: float) -> None:
    high = min(low + step, 50.0)
    lower, higher = idg(low, 30, 30, 10_000_000, 0.5), idg(high, 30, 30, 10_000_000, 0.5)
    assert lower.idg_raw <= higher.idg_raw + 1e-9
    assert higher.indeks_parlemen is not None and higher.indeks_parlemen <= 1 + 1e-12


def test_idg_published_is_taken_as_data() -> None:
    result = idg_published(D("76.585"))
    assert result.idg == D("76.59")  # ROUND_HALF_UP
    assert result.sumber == PUBLIKASI
    assert (result.indeks_parlemen, result.indeks_manajer, result.indeks_pendapatan) == (None, None, None)
    with pytest.raises(IndexInputError) as caught:
        idg_published(101)
    assert caught.value.field == "idg"


# GDI.

LE = st.floats(18, 90)
EYS = st.floats(0.1, 25)
MYS = st.floats(0.1, 20)
GNI = st.floats(101, 200_000)


@FAST
@given(le_m=LE, eys=EYS, mys=MYS, gni=GNI)
def test_gdi_is_one_when_women_live_five_years_longer_and_the_rest_is_equal(
    le_m: float, eys: float, mys: float, gni: float
) -> None:
    # The goalposts for women are those for men shifted by 5 years (22.5–87.5 against 17.5–82.5), so equal
    # health indices need female LE = male LE + 5; with equal LE the GDI is below 1 by construction.
    result = gdi(UndpComponents(le_m + 5, eys, mys, gni), UndpComponents(le_m, eys, mys, gni))
    assert result.gdi_raw == pytest.approx(1.0, abs=1e-9)
    assert result.gdi == D("1.000")


def test_gdi_with_equal_life_expectancy_is_below_one() -> None:
    assert gdi(UndpComponents(70, 13, 9, 10_000), UndpComponents(70, 13, 9, 10_000)).gdi < 1


def test_hdi_by_sex_clamps_income_and_caps_schooling() -> None:
    assert hdi_by_sex(70, 13, 9, 80_000, "male") == hdi_by_sex(70, 13, 9, 75_000, "male")
    assert hdi_by_sex(70, 13, 9, 50, "male") == hdi_by_sex(70, 13, 9, 100, "male")
    assert hdi_by_sex(70, 13, 9, 50, "male").income_index == 0
    assert hdi_by_sex(70, 20, 16, 10_000, "female") == hdi_by_sex(70, 18, 15, 10_000, "female")
    assert hdi_by_sex(90, 18, 15, 75_000, "female").hdi == D("1.000")


def test_hdi_by_sex_refuses_an_unknown_sex() -> None:
    with pytest.raises(IndexInputError, match="tidak dikenal"):
        hdi_by_sex(70, 13, 9, 10_000, "perempuan")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("female", "male", "field"),
    [
        (UndpComponents(20, 13, 9, 1e4), UndpComponents(70, 13, 9, 1e4), "female.le"),
        (UndpComponents(75, -13, 9, 1e4), UndpComponents(70, 13, 9, 1e4), "female.eys"),
        (UndpComponents(75, 13, 9, 1e4), UndpComponents(70, 13, "9", 1e4), "male.mys"),  # type: ignore[arg-type]
        (UndpComponents(75, 13, 9, 1e4), UndpComponents(70, 13, 9, -1), "male.gni_pc"),
        (UndpComponents(75, 13, 9, 1e4), UndpComponents(17.5, 13, 9, 1e4), "male.le"),
        (UndpComponents(75, 13, 9, 1e4), UndpComponents(70, 0, 0, 1e4), "male.eys"),
        (UndpComponents(75, 13, 9, 1e4), UndpComponents(70, 13, 9, 100), "male.gni_pc"),
    ],
)
def test_gdi_errors_name_the_sex_and_the_field(
    female: UndpComponents, male: UndpComponents, field: str
) -> None:
    with pytest.raises(IndexInputError) as caught:
        gdi(female, male)
    assert caught.value.field == field
    assert f"“{field}”" in caught.value.message


# GII and IKG.

SHARE = st.floats(0.5, 100)
ABR = st.floats(0.5, 200)
MMR_VALUE = st.floats(0, 2000)


@FAST
@given(pr=st.floats(0, 100), se=SHARE, lfpr=SHARE)
def test_gii_is_zero_at_full_equality(pr: float, se: float, lfpr: float) -> None:
    result = gii(10, 1, pr, pr, se, se, lfpr, lfpr)  # h = sqrt(10/10 * 1/1) = 1
    assert result.h == 1
    assert result.gii_raw == pytest.approx(0, abs=1e-9)
    assert result.gii == D("0.000")


@FAST
@given(
    mmr=MMR_VALUE,
    abr=ABR,
    pr_f=st.floats(0, 100),
    se=st.tuples(SHARE, SHARE),
    lfpr=st.tuples(SHARE, SHARE),
)
def test_gii_always_lies_between_zero_and_one(
    mmr: float, abr: float, pr_f: float, se: tuple[float, float], lfpr: tuple[float, float]
) -> None:
    result = gii(mmr, abr, pr_f, 100 - pr_f, se[0], se[1], lfpr[0], lfpr[1])
    assert 0 <= result.gii_raw <= 1
    assert D(0) <= result.gii <= D(1)
    assert result.gii_raw == pytest.approx(max(0.0, 1 - result.harm / result.g_fm), abs=1e-12)


def test_gii_stays_zero_at_equality_however_small_the_shares() -> None:
    assert gii(10, 1, 1e-310, 1e-310, 5e-324, 5e-324, 1e-320, 1e-320).gii_raw == 0
    assert gii(10, 1, 50, 50, 60, 60, 70, 70).gii_raw == 0


def test_gii_clamps_mmr_to_10_and_1000() -> None:
    shares = (20, 80, 50, 60, 50, 80)
    assert gii(5, 30, *shares) == gii(10, 30, *shares)
    assert gii(0, 30, *shares) == gii(10, 30, *shares)
    assert gii(1500, 30, *shares) == gii(1000, 30, *shares)


def test_gii_takes_a_zero_parliament_share_as_a_tenth_of_a_percent() -> None:
    assert gii(177, 34, 0, 100, 50, 60, 50, 80) == gii(177, 34, D("0.1"), 100, 50, 60, 50, 80)
    assert gii(177, 34, 100, 0, 50, 60, 50, 80).gii_raw < 1


@pytest.mark.parametrize(
    ("args", "field", "fragment"),
    [
        ((-1, 30, 20, 80, 50, 60, 50, 80), "mmr", "tidak boleh negatif"),
        ((177, 0, 20, 80, 50, 60, 50, 80), "abr", "harus lebih dari 0"),
        ((177, 30, 120, 80, 50, 60, 50, 80), "pr_f", "persentase"),
        ((177, 30, 20, 80, 0, 60, 50, 80), "se_f", "harus lebih dari 0"),
        ((177, 30, 20, 80, 50, 100.5, 50, 80), "se_m", "persentase"),
        ((177, 30, 20, 80, 50, 60, 50, False), "lfpr_m", "harus berupa angka"),
    ],
)
def test_gii_refuses_bad_input_naming_the_field(args: tuple[object, ...], field: str, fragment: str) -> None:
    with pytest.raises(IndexInputError) as caught:
        gii(*args)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert fragment in caught.value.message


@FAST
@given(mtf=st.floats(0.0001, 1), legislatif=st.floats(0, 100), sma=SHARE, tpak=SHARE)
def test_ikg_is_zero_at_full_equality(mtf: float, legislatif: float, sma: float, tpak: float) -> None:
    mhpk20 = 0.00005 / mtf  # MTF * MHPK20 = 0.00005, so h = 1
    result = ikg(mtf, mhpk20, legislatif, legislatif, sma, sma, tpak, tpak)
    assert result.h == pytest.approx(1.0, rel=1e-12)
    assert result.ikg_raw == pytest.approx(0, abs=1e-9)
    assert result.ikg == D("0.000")


@FAST
@given(
    mtf=st.floats(0.001, 1),
    mhpk20=st.floats(0.001, 1),
    legislatif_p=st.floats(0, 100),
    sma=st.tuples(SHARE, SHARE),
    tpak=st.tuples(SHARE, SHARE),
)
def test_ikg_always_lies_between_zero_and_one(
    mtf: float, mhpk20: float, legislatif_p: float, sma: tuple[float, float], tpak: tuple[float, float]
) -> None:
    result = ikg(mtf, mhpk20, 100 - legislatif_p, legislatif_p, sma[0], sma[1], tpak[0], tpak[1])
    assert 0 <= result.ikg_raw <= 1
    assert result.h == pytest.approx(math.sqrt(0.00005 / (mtf * mhpk20)))


def test_ikg_takes_a_zero_legislative_share_as_a_tenth_of_a_percent() -> None:
    assert ikg(0.2, 0.3, 100, 0, 40, 35, 84, 48) == ikg(0.2, 0.3, 100, D("0.1"), 40, 35, 84, 48)


@pytest.mark.parametrize(
    ("args", "field", "fragment"),
    [
        ((0, 0.3, 78, 22, 41, 35, 84, 48), "mtf", "MTF dan MHPK20 bernilai 0"),
        ((0.2, 0, 78, 22, 41, 35, 84, 48), "mhpk20", "MTF dan MHPK20 bernilai 0"),
        ((16.9, 0.3, 78, 22, 41, 35, 84, 48), "mtf", "proporsi"),
        ((0.2, -0.3, 78, 22, 41, 35, 84, 48), "mhpk20", "tidak boleh negatif"),
        ((0.2, 0.3, 178, 22, 41, 35, 84, 48), "legislatif_l", "persentase"),
        ((0.2, 0.3, 78, 22, 41, 0, 84, 48), "sma_p", "harus lebih dari 0"),
        ((0.2, 0.3, 78, 22, 41, 35, 84, "48"), "tpak_p", "harus berupa angka"),
    ],
)
def test_ikg_refuses_bad_input_naming_the_field(args: tuple[object, ...], field: str, fragment: str) -> None:
    with pytest.raises(IndexInputError) as caught:
        ikg(*args)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert f"“{field}”" in caught.value.message
    assert fragment in caught.value.message
