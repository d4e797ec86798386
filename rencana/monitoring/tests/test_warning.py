"""Early warning after a quarter: projections and one test per rule; no database."""

from decimal import Decimal

import pytest

from rencana.monitoring.warning import (
    DEFAULT_SPENDING_CURVE,
    BudgetProgress,
    IndicatorProgress,
    Severity,
    project_budget,
    project_indicator,
    warnings_for,
)

D = Decimal
PAGU = D(1_000_000_000)
TARGET = D(100)


def indicator(
    triwulan: tuple[Decimal | None, ...],
    *,
    target: Decimal = TARGET,
    agregasi: str = "kumulatif",
    polaritas: str = "positif",
    id_: int = 1,
    nama: str = "Panjang jalan diperbaiki",
    satuan: str = "km",
) -> IndicatorProgress:
    return IndicatorProgress(id_, nama, target, polaritas, agregasi, triwulan, satuan)


def budget(triwulan: tuple[Decimal | None, ...], *, pagu: Decimal = PAGU, id_: int = 10) -> BudgetProgress:
    return BudgetProgress(id_, "Rehabilitasi jalan kabupaten", pagu, triwulan)


def percent_of_pagu(*shares: int | None) -> tuple[Decimal | None, ...]:
    return tuple(None if s is None else PAGU * s / 100 for s in shares)


# --- projections ----------------------------------------------------------------------------------------


def test_kumulatif_indicator_projects_at_a_linear_pace() -> None:
    projection = project_indicator(indicator((D(20), D(20))), 2)
    assert projection.sejauh_ini == D(40)
    assert projection.proyeksi == D(80)
    assert projection.capaian is not None and projection.capaian.capaian == D(80)


def test_akhir_periode_indicator_projects_its_last_value() -> None:
    projection = project_indicator(indicator((D(60), D(70), D(65)), agregasi="akhir_periode"), 3)
    assert projection.proyeksi == D(65)


def test_rata_rata_indicator_projects_the_mean_of_reported_quarters() -> None:
    projection = project_indicator(indicator((D(60), None, D(90)), agregasi="rata_rata"), 3)
    assert projection.proyeksi == D(75)
    assert projection.belum_melapor == (2,)


def test_quarters_after_the_current_one_are_ignored() -> None:
    projection = project_indicator(indicator((D(10), D(10), D(500), D(500))), 2)
    assert projection.proyeksi == D(40)


def test_kumulatif_with_a_gap_has_no_projection() -> None:
    projection = project_indicator(indicator((D(30), None)), 2)
    assert projection.proyeksi is None and projection.capaian is None


def test_budget_projects_by_the_s_curve_and_keeps_the_linear_pace_beside_it() -> None:
    projection = project_budget(budget(percent_of_pagu(15)), 1)
    assert projection.serapan == D("15.00")
    assert projection.porsi == DEFAULT_SPENDING_CURVE[0]
    assert projection.proyeksi_serapan == D("100.00")
    assert projection.proyeksi_linear == D("60.00")


def test_budget_in_the_fourth_quarter_projects_the_actual_absorption() -> None:
    projection = project_budget(budget(percent_of_pagu(10, 20, 30, 25)), 4)
    assert projection.proyeksi_serapan == projection.serapan == D("85.00")


# --- rules ----------------------------------------------------------------------------------------------


def test_indicator_on_track_gives_no_warning() -> None:
    assert warnings_for(2, [indicator((D(20), D(20)))]) == []  # projected 80: Tinggi


def test_back_loaded_spending_on_the_s_curve_gives_no_warning() -> None:
    assert warnings_for(1, budgets=[budget(percent_of_pagu(15))]) == []


def test_nothing_reported_for_a_passed_quarter_is_kritis_belum_melapor() -> None:
    [warning] = warnings_for(2, [indicator((None, None))])
    assert (warning.aturan, warning.tingkat) == ("belum_melapor", Severity.KRITIS)
    assert "Belum melapor untuk triwulan I, II" in warning.alasan


def test_one_missing_quarter_is_waspada_belum_melapor() -> None:
    warnings = warnings_for(3, [indicator((D(30), None, D(30)), target=D(30), agregasi="akhir_periode")])
    assert [(w.aturan, w.tingkat) for w in warnings] == [("belum_melapor", Severity.WASPADA)]
    assert "triwulan II;" in warnings[0].alasan


def test_missing_budget_report_is_belum_melapor() -> None:
    [warning] = warnings_for(1, budgets=[budget((None,))])
    assert (warning.objek, warning.aturan, warning.tingkat) == ("anggaran", "belum_melapor", Severity.KRITIS)


def test_missing_quarter_and_low_projection_give_two_warnings() -> None:
    warnings = warnings_for(2, [indicator((D(40), None), agregasi="akhir_periode")])
    assert [(w.aturan, w.tingkat) for w in warnings] == [
        ("capaian_proyeksi_rendah", Severity.KRITIS),  # 40 of 100
        ("belum_melapor", Severity.WASPADA),
    ]


@pytest.mark.parametrize(
    ("so_far", "severity", "predikat"),
    [
        (D(25), Severity.KRITIS, "Sangat Rendah"),  # 50
        (D(30), Severity.WASPADA, "Rendah"),  # 60
        (D(35), Severity.PERHATIAN, "Sedang"),  # 70
    ],
)
def test_low_projected_capaian_severity_follows_the_predikat(
    so_far: Decimal, severity: Severity, predikat: str
) -> None:
    [warning] = warnings_for(2, [indicator((so_far / 2, so_far / 2))])
    assert warning.aturan == "capaian_proyeksi_rendah"
    assert (warning.tingkat, warning.predikat_proyeksi) == (severity, predikat)
    assert warning.capaian_proyeksi == so_far * 2


def test_low_projection_reason_names_projection_target_method_and_capaian() -> None:
    [warning] = warnings_for(2, [indicator((D(10), D(15)))])
    assert warning.alasan == (
        "Proyeksi akhir tahun 50 km (jumlah s.d. triwulan II 25 dibagi porsi yang diharapkan 50,00%) "
        "terhadap target 100 km: capaian 50,00%, predikat Sangat Rendah, "
        "di bawah batas 76,00% (predikat Tinggi)."
    )


def test_negative_polarity_indicator_rising_too_high_is_at_risk() -> None:
    warnings = warnings_for(
        1, [indicator((D(14),), target=D(10), agregasi="akhir_periode", polaritas="negatif")]
    )
    assert [(w.aturan, w.capaian_proyeksi, w.tingkat) for w in warnings] == [
        ("capaian_proyeksi_rendah", D(60), Severity.WASPADA)
    ]


def test_target_zero_indicator_gives_no_projection_warning() -> None:
    assert warnings_for(1, [indicator((D(5),), target=D(0))]) == []


@pytest.mark.parametrize(
    ("shares", "severity"),
    [
        ((5, 5), Severity.KRITIS),  # 10 % by II -> 25 % projected, 65 points under 90
        ((10, 15), Severity.WASPADA),  # 25 % -> 62.5 %, 27.5 under
        ((15, 15), Severity.PERHATIAN),  # 30 % -> 75 %, 15 under
    ],
)
def test_low_projected_absorption_severity_by_distance_to_the_threshold(
    shares: tuple[int, int], severity: Severity
) -> None:
    [warning] = warnings_for(2, budgets=[budget(percent_of_pagu(*shares))])
    assert (warning.aturan, warning.tingkat) == ("serapan_proyeksi_rendah", severity)


def test_low_absorption_reason_names_money_curve_projection_and_threshold() -> None:
    [warning] = warnings_for(2, budgets=[budget(percent_of_pagu(10, 15))])
    assert warning.proyeksi == D("62.50")
    assert warning.alasan == (
        "Realisasi anggaran s.d. triwulan II Rp 250.000.000 dari pagu Rp 1.000.000.000 (serapan 25,00%; "
        "pola normal 40,00%). Proyeksi serapan akhir tahun 62,50% (laju linear 50,00%), "
        "di bawah ambang 90,00%."
    )


def test_absorption_threshold_is_configurable() -> None:
    low = budget(percent_of_pagu(15, 15))  # projected 75 %
    assert warnings_for(2, budgets=[low], ambang_serapan=D(70)) == []
    assert len(warnings_for(2, budgets=[low], ambang_serapan=D(80))) == 1


def test_spending_curve_is_configurable() -> None:
    linear = (D(25), D(50), D(75), D(100))
    [warning] = warnings_for(1, budgets=[budget(percent_of_pagu(15))], pola_anggaran=linear)
    assert warning.proyeksi == D("60.00")


def test_spending_beyond_the_pagu_is_kritis() -> None:
    warnings = warnings_for(2, budgets=[budget(percent_of_pagu(60, 50))])
    assert [(w.aturan, w.tingkat) for w in warnings] == [("melebihi_pagu", Severity.KRITIS)]
    assert "melebihi pagu Rp 1.000.000.000 (serapan 110,00%)" in warnings[0].alasan


def test_spending_without_pagu_is_melebihi_pagu() -> None:
    [warning] = warnings_for(1, budgets=[budget((D(5),), pagu=D(0))])
    assert warning.aturan == "melebihi_pagu"


def test_warnings_are_sorted_by_severity_then_input_order() -> None:
    warnings = warnings_for(
        2,
        [
            indicator((D(17), D(18)), id_=1),  # 70: perhatian
            indicator((D(10), D(10)), id_=2),  # 40: kritis
            indicator((None, None), id_=3),  # kritis
        ],
        [budget(percent_of_pagu(10, 15), id_=4)],  # waspada
    )
    assert [(w.id, w.tingkat) for w in warnings] == [
        (2, Severity.KRITIS),
        (3, Severity.KRITIS),
        (4, Severity.WASPADA),
        (1, Severity.PERHATIAN),
    ]


@pytest.mark.parametrize("quarter", [0, 5, True])
def test_quarter_outside_one_to_four_is_refused(quarter: int) -> None:
    with pytest.raises(ValueError, match="Triwulan harus 1 sampai 4"):
        warnings_for(quarter)


def test_curve_that_does_not_end_at_100_is_refused() -> None:
    with pytest.raises(ValueError, match="Pola triwulan"):
        warnings_for(1, budgets=[budget((D(1),))], pola_anggaran=(D(10), D(20), D(30), D(90)))
