"""Sustain / modify / stop advice: one test per rule, evidence and confidence; no database."""

from decimal import Decimal

import pytest

from rencana.monitoring.advice import (
    BELUM_CUKUP_DATA,
    HENTIKAN,
    LANJUTKAN,
    MODIFIKASI,
    RULES,
    advise,
    facts,
    recommendation_label,
)

D = Decimal


def years(*values: int | str | None, start: int = 2023) -> list[tuple[int, Decimal | None]]:
    return [(start + i, None if v is None else D(v)) for i, v in enumerate(values)]


def test_rule_table_ends_with_a_catch_all_and_has_unique_codes() -> None:
    codes = [rule.kode for rule in RULES]
    assert len(codes) == len(set(codes))
    assert RULES[-1].kode == "kinerja_belum_tinggi"


def test_no_capaian_at_all_is_belum_cukup_data() -> None:
    advice = advise(capaian_tahunan=years(None, None), tertelusur=True)
    assert (advice.rekomendasi, advice.aturan, advice.keyakinan) == (BELUM_CUKUP_DATA, "tanpa_data", "rendah")
    assert advice.bukti[0] == "Capaian per tahun: 2023: tidak ada data; 2024: tidak ada data."
    assert advice.catatan_keyakinan.startswith("Keyakinan rendah: belum ada data capaian.")


def test_untraced_and_low_for_two_years_is_hentikan() -> None:
    advice = advise(capaian_tahunan=years(40, 45), serapan_tahunan={2024: D(95)}, tertelusur=False)
    assert (advice.rekomendasi, advice.aturan) == (HENTIKAN, "tidak_tertelusur_rendah")
    assert advice.bukti[:3] == (
        "Tidak tertelusur ke sasaran mana pun menurut pemeriksaan logframe.",
        "Capaian di bawah 66,00% (predikat Rendah atau Sangat Rendah) pada 2 tahun terakhir berturut-turut.",
        "Capaian per tahun: 2023: 40,00% (Sangat Rendah); 2024: 45,00% (Sangat Rendah).",
    )


def test_low_for_three_years_without_improvement_is_hentikan_even_when_traced() -> None:
    advice = advise(capaian_tahunan=years(55, 50, 52), serapan_tahunan={2025: D(90)}, tertelusur=True)
    assert (advice.rekomendasi, advice.aturan) == (HENTIKAN, "rendah_menahun")
    assert "Tren capaian tetap: dari 50,00% (2024) menjadi 52,00% (2025)." in advice.bukti


def test_low_for_three_years_but_rising_is_modifikasi_not_hentikan() -> None:
    advice = advise(capaian_tahunan=years(40, 45, 60), serapan_tahunan={2025: D(70)}, tertelusur=True)
    assert (advice.rekomendasi, advice.aturan) == (MODIFIKASI, "kinerja_belum_tinggi")
    assert advice.fakta.tren == "naik"


def test_untraced_with_good_results_is_modifikasi_to_link_it() -> None:
    advice = advise(capaian_tahunan=years(95, 98), serapan_tahunan={2024: D(90)}, tertelusur=False)
    assert (advice.rekomendasi, advice.aturan) == (MODIFIKASI, "tidak_tertelusur")


def test_untraced_with_one_low_year_is_modifikasi_not_hentikan() -> None:
    advice = advise(capaian_tahunan=years(90, 40), tertelusur=False)
    assert (advice.rekomendasi, advice.aturan) == (MODIFIKASI, "tidak_tertelusur")


def test_spending_far_above_results_is_modifikasi_boros() -> None:
    advice = advise(capaian_tahunan=years(70, 68), serapan_tahunan={2024: D(98)}, tertelusur=True)
    assert (advice.rekomendasi, advice.aturan) == (MODIFIKASI, "boros")
    assert (
        advice.bukti[0]
        == "Boros: serapan anggaran 98,00% jauh melampaui capaian 68,00% (selisih 30,00 poin)."
    )


def test_high_achievement_with_reasonable_absorption_is_lanjutkan() -> None:
    advice = advise(
        capaian_tahunan=years(88, 92, 96),
        serapan_tahunan={2023: D(85), 2024: D(90), 2025: D(93)},
        tertelusur=True,
    )
    assert (advice.rekomendasi, advice.aturan, advice.keyakinan) == (LANJUTKAN, "kinerja_tinggi", "tinggi")
    assert advice.bukti[0] == "Capaian tahun terakhir (2025): 96,00% (Sangat Tinggi)."
    assert advice.bukti[1].startswith(
        "Efisien: capaian 96,00% tidak lebih rendah dari serapan anggaran 93,00%"
    )


def test_high_achievement_without_absorption_is_still_lanjutkan_with_lower_confidence() -> None:
    advice = advise(capaian_tahunan=years(88, 92, 96), tertelusur=True)
    assert (advice.rekomendasi, advice.keyakinan) == (LANJUTKAN, "sedang")
    assert "Serapan anggaran tahun terakhir tidak tersedia." in advice.catatan_keyakinan


def test_medium_achievement_is_modifikasi() -> None:
    advice = advise(capaian_tahunan=years(70), serapan_tahunan={2023: D(75)}, tertelusur=True)
    assert (advice.rekomendasi, advice.aturan, advice.keyakinan) == (
        MODIFIKASI,
        "kinerja_belum_tinggi",
        "rendah",
    )
    assert advice.catatan_keyakinan == "Keyakinan rendah: hanya 1 tahun data capaian."


def test_years_without_data_do_not_break_or_extend_the_low_streak() -> None:
    advice = advise(capaian_tahunan=years(40, None, 45), tertelusur=False)
    assert advice.fakta.rendah_beruntun == 2
    assert advice.rekomendasi == HENTIKAN


def test_input_order_of_years_does_not_matter() -> None:
    a = advise(capaian_tahunan=[(2025, D(52)), (2023, D(55)), (2024, D(50))], tertelusur=True)
    b = advise(capaian_tahunan=years(55, 50, 52), tertelusur=True)
    assert a == b


def test_given_trend_overrides_the_computed_one() -> None:
    advice = advise(capaian_tahunan=years(55, 50, 52), tertelusur=True, tren="naik")
    assert advice.rekomendasi == MODIFIKASI
    assert "Tren yang dilaporkan: naik." in advice.bukti


def test_factors_are_evidence_and_temper_a_stop() -> None:
    advice = advise(
        capaian_tahunan=years(40, 45),
        tertelusur=False,
        faktor_pendukung=["Dukungan  DPRD"],
        faktor_penghambat=["Banjir bandang\nmerusak lokasi", ""],
    )
    assert advice.bukti[-2:] == (
        "Faktor pendukung yang dilaporkan: Dukungan DPRD.",
        "Faktor penghambat yang dilaporkan: Banjir bandang merusak lokasi.",
    )
    assert "periksa apakah penyebabnya sementara" in advice.catatan_keyakinan


def test_factors_do_not_change_the_recommendation() -> None:
    plain = advise(capaian_tahunan=years(88, 92, 96), tertelusur=True)
    with_factors = advise(capaian_tahunan=years(88, 92, 96), tertelusur=True, faktor_penghambat=["Cuaca"])
    assert plain.rekomendasi == with_factors.rekomendasi and plain.aturan == with_factors.aturan


def test_advice_is_deterministic() -> None:
    kwargs = {"capaian_tahunan": years(60, 70, 80), "serapan_tahunan": {2025: D(85)}, "tertelusur": True}
    assert advise(**kwargs) == advise(**kwargs)  # type: ignore[arg-type]


def test_rule_explanation_is_given() -> None:
    advice = advise(capaian_tahunan=years(40, 45), tertelusur=False)
    assert advice.penjelasan_aturan.endswith("hentikan.")


def test_rounding_applies_before_judging_high_achievement() -> None:
    assert advise(capaian_tahunan=years("75.995"), tertelusur=True).rekomendasi == LANJUTKAN


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"capaian_tahunan": [(2024, D(1)), (2024, D(2))]}, "hanya boleh muncul sekali"),
        ({"capaian_tahunan": years(-1)}, "harus angka tidak negatif"),
        ({"capaian_tahunan": years(50), "tren": "melonjak"}, "Tren “melonjak” tidak dikenal"),
    ],
)
def test_invalid_input_is_refused(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        facts(serapan_tahunan={}, tertelusur=True, **kwargs)  # type: ignore[arg-type]


def test_recommendation_labels() -> None:
    assert [recommendation_label(r) for r in (LANJUTKAN, MODIFIKASI, HENTIKAN, BELUM_CUKUP_DATA)] == [
        "Lanjutkan",
        "Modifikasi",
        "Hentikan",
        "Belum cukup data",
    ]
