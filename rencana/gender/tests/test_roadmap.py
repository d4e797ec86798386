"""PUG roadmap: capaian by the e-Monev rules (IKG negatif), gap to target, ranges; no database."""

from decimal import Decimal

import pytest

from rencana.gender import roadmap

D = Decimal


def test_ikg_is_negatif_the_issue_example() -> None:
    # Kotabaru: IKG target 0,450 (RPJMD 2029), actual 0,551 -> (2 - 0,551/0,450) * 100 = 77,56 Tinggi.
    r = roadmap.row("IKG", 2029, D("0.450"), D("0.551"))
    assert (r.capaian, r.predikat, r.warna) == (D("77.56"), "Tinggi", "hijau")
    assert r.selisih == D("0.101")
    assert r.keterangan == "Belum tercapai: perlu turun 0,101 poin lagi."


def test_ipm_is_positif() -> None:
    r = roadmap.row("IPM", 2029, D("75.37"), D("70.61"))
    assert (r.capaian, r.predikat) == (D("93.68"), "Sangat Tinggi")
    assert r.keterangan == "Belum tercapai: perlu naik 4,76 poin lagi."
    reached = roadmap.row("IPM", 2024, D("70.00"), D("70.61"))
    assert reached.capaian == D("100.87")
    assert reached.keterangan == "Target tercapai: 0,61 poin di atas target."


@pytest.mark.parametrize(
    ("indeks", "polaritas"), [("IPM", "positif"), ("IPG", "positif"), ("IDG", "positif"), ("IKG", "negatif")]
)
def test_polarity_of_each_index(indeks: str, polaritas: str) -> None:
    assert roadmap.polaritas(indeks) == polaritas


def test_ikg_below_target_is_reached_and_far_above_scores_zero() -> None:
    lower = roadmap.row("IKG", 2026, D("0.500"), D("0.450"))
    assert lower.capaian == D("110.00") and lower.predikat == "Sangat Tinggi"
    assert lower.keterangan == "Target tercapai: 0,050 poin lebih rendah dari target."
    exact = roadmap.row("IKG", 2026, D("0.500"), D("0.500"))
    assert exact.keterangan == "Target tercapai."
    worse = roadmap.row("IKG", 2026, D("0.300"), D("0.700"))
    assert worse.capaian == D("0.00") and worse.predikat == "Sangat Rendah"


def test_missing_target_or_actual() -> None:
    no_actual = roadmap.row("IPG", 2027, D("86"), None)
    assert no_actual.capaian is None and no_actual.predikat is None and no_actual.selisih is None
    assert no_actual.keterangan == "Belum ada nilai aktual."
    no_target = roadmap.row("IPG", 2023, None, D("85.05"))
    assert no_target.capaian is None and no_target.keterangan == "Belum ada target."
    zero = roadmap.row("IDG", 2023, D("0"), D("75.95"))
    assert zero.capaian is None and "target 0" in zero.keterangan


def test_index_roadmap_rows_and_end_of_period() -> None:
    targets = {2025: D("0.530"), 2027: D("0.490"), 2029: D("0.450")}
    actuals = {2022: D("0.560"), 2023: D("0.551"), 2031: D("0.300")}
    result = roadmap.index_roadmap("IKG", [2023, 2024, 2025], targets, actuals)
    assert [r.tahun for r in result.rows] == [2023, 2024, 2025]
    assert result.rows[0].target is None and result.rows[0].aktual == D("0.551")
    assert result.rows[2].aktual is None
    assert result.akhir is not None
    assert (result.akhir.tahun_target, result.akhir.tahun_aktual) == (2029, 2023)
    assert (result.akhir.capaian, result.akhir.predikat) == (D("77.56"), "Tinggi")
    assert roadmap.index_roadmap("IKG", [2025], {}, actuals).akhir is None
    assert roadmap.index_roadmap("IKG", [2025], targets, {}).akhir is None
    with pytest.raises(ValueError):
        roadmap.index_roadmap("HDI", [2025], {}, {})


def test_roadmap_has_the_four_indices_in_order() -> None:
    result = roadmap.roadmap([2025], {"IPM": {2025: D("71")}}, {"IPM": {2025: D("71")}})
    assert [ix.indeks for ix in result] == ["IPM", "IPG", "IDG", "IKG"]
    assert result[0].rows[0].capaian == D("100.00")
    assert result[3].polaritas == "negatif" and result[3].desimal == 3


@pytest.mark.parametrize(
    ("indeks", "value", "ok"),
    [
        ("IKG", D("0.450"), True),
        ("IKG", D("1"), True),
        ("IKG", D("1.001"), False),
        ("IKG", D("45"), False),
        ("IPM", D("75.37"), True),
        ("IPM", D("100.01"), False),
        ("IPG", D("-1"), False),
        ("IDG", D("0"), True),
        ("IPM", D("70.12345"), False),
        ("XYZ", D("1"), False),
    ],
)
def test_target_ranges(indeks: str, value: Decimal, ok: bool) -> None:
    assert (roadmap.target_problem(indeks, value) is None) is ok


def test_years() -> None:
    assert roadmap.default_years([], 2026) == [2026, 2027, 2028, 2029, 2030]
    assert roadmap.default_years([2029, 2025, 2027], 2026) == [2025, 2026, 2027, 2028, 2029]
    # Kotabaru: RPJMD target 2029 only, BPS 2023 the latest actual, budget year 2026.
    assert roadmap.default_years([2029], 2026, [2021, 2023]) == list(range(2023, 2030))
    assert roadmap.default_years([], 2026, [2024]) == list(range(2024, 2031))
    assert roadmap.default_years([2029], 2026, [2035]) == list(range(2026, 2030))
    years = roadmap.default_years([2000, 2100], 2026)
    assert len(years) == roadmap.MAX_YEARS and years[-1] == 2100
    assert roadmap.year_range(2025, 2029) == [2025, 2026, 2027, 2028, 2029]
    for dari, sampai in ((2029, 2025), (1999, 2005), (2000, 2030)):
        with pytest.raises(ValueError):
            roadmap.year_range(dari, sampai)


def test_values_are_shown_with_the_index_decimals() -> None:
    assert roadmap.angka("IKG", D("0.45")) == "0,450"
    assert roadmap.angka("IPM", D("75.375")) == "75,38"
    assert roadmap.angka("IPM", None) == "—"
