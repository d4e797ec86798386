"""The pure statistics on the published Bekasi numbers and on known tables (no database)."""

import csv
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from rencana.outreach import stats

DATA = Path(__file__).resolve().parent / "data"


def bekasi_knowledge() -> list[tuple[Decimal, Decimal]]:
    with open(DATA / "outreach_bekasi_2022_pengetahuan.csv", encoding="utf-8") as fh:
        return [(Decimal(r["sebelum_persen"]), Decimal(r["sesudah_persen"])) for r in csv.DictReader(fh)]


def bekasi_means() -> list[Decimal]:
    with open(DATA / "outreach_bekasi_2022_kepuasan.csv", encoding="utf-8") as fh:
        return [Decimal(r["rata_rata"]) for r in csv.DictReader(fh)]


@pytest.mark.parametrize(
    ("sebelum", "sesudah", "gain", "g", "kategori"),
    [
        (35, 100, "65.00", "1.00", stats.TINGGI),  # item 1
        (40, 100, "60.00", "1.00", stats.TINGGI),
        (10, 65, "55.00", "0.61", stats.SEDANG),  # item 4: 55/90 = 0.6111
        (25, 80, "55.00", "0.73", stats.TINGGI),  # item 7: 55/75 = 0.7333
        (20, 75, "55.00", "0.69", stats.SEDANG),  # item 9: 55/80 = 0.6875, band from the exact g
        (20, 70, "50.00", "0.63", stats.SEDANG),  # item 10: 0.625 rounds half up
        (50, 40, "-10.00", "-0.20", stats.RENDAH),  # knowledge fell
        (0, 0, "0.00", "0.00", stats.RENDAH),
    ],
)
def test_gain_and_normalized_gain(sebelum: int, sesudah: int, gain: str, g: str, kategori: str) -> None:
    result = stats.gain_of(sebelum, sesudah)
    assert result.gain == Decimal(gain)
    assert result.g == Decimal(g)
    assert result.kategori == kategori
    assert result.alasan is None


def test_normalized_gain_is_undefined_when_before_is_100() -> None:
    assert stats.normalized_gain(100, 100) is None
    assert stats.normalized_gain(100, 80) is None
    result = stats.gain_of(100, 100)
    assert result.gain == Decimal("0.00")
    assert result.g is None and result.kategori is None
    assert result.alasan == stats.ALASAN_SEBELUM_100


def test_normalized_gain_is_exact() -> None:
    assert stats.normalized_gain(10, 65) == Fraction(55, 90)
    assert stats.normalized_gain(Decimal("33.33"), 100) == 1


@pytest.mark.parametrize(("sebelum", "sesudah"), [(-1, 50), (50, 100.5), (101, 100)])
def test_percentages_outside_0_100_are_refused(sebelum: float, sesudah: float) -> None:
    with pytest.raises(ValueError, match="antara 0 dan 100"):
        stats.gain_of(Decimal(str(sebelum)), Decimal(str(sesudah)))


def test_missing_percentage_gives_no_gain() -> None:
    result = stats.gain_of(35, None)
    assert (
        result.sebelum == Decimal("35.00")
        and result.gain is None
        and result.alasan == stats.ALASAN_TANPA_DATA
    )


def test_bekasi_averages() -> None:
    gains = [stats.gain_of(before, after) for before, after in bekasi_knowledge()]
    summary = stats.summarize_gains(gains)
    assert summary.butir == 10
    assert summary.sebelum == Decimal("28.00")  # 280 / 10
    assert summary.sesudah == Decimal("89.00")  # 890 / 10
    assert summary.gain == Decimal("61.00")
    # Mean of the ten g: six items at 1 plus 55/90, 55/75, 55/80, 50/80 -> 8.6569 / 10.
    assert summary.g == Decimal("0.87") and summary.g_butir == 10 and summary.g_kategori == stats.TINGGI
    # Hake's class g of the averages: 61 / 72 = 0.8472.
    assert summary.g_kelas == Decimal("0.85")


def test_average_g_leaves_out_undefined_items() -> None:
    summary = stats.summarize_gains([stats.gain_of(100, 100), stats.gain_of(50, 100)])
    assert summary.butir == 2 and summary.g_butir == 1
    assert summary.g == Decimal("1.00")
    assert summary.gain == Decimal("25.00")


def test_average_of_nothing_is_none() -> None:
    summary = stats.summarize_gains([])
    assert summary.sebelum is None and summary.g is None and summary.g_kelas is None and summary.butir == 0


@pytest.mark.parametrize(
    ("b", "c", "p"),
    [
        (1, 9, "0.0215"),  # 2 * (1 + 10) / 1024 = 0.021484
        (9, 1, "0.0215"),  # two-sided: symmetric
        (0, 0, "1.0000"),  # no discordant pairs
        (5, 5, "1.0000"),
        (0, 1, "1.0000"),
        (0, 6, "0.0313"),  # 2 / 64 = 0.03125 rounds half up
        (2, 10, "0.0386"),  # 2 * (1 + 12 + 66) / 4096 = 0.038574
        (0, 20, "0.0000"),  # 2 / 2^20
    ],
)
def test_mcnemar_exact(b: int, c: int, p: str) -> None:
    test = stats.mcnemar_exact(b, c)
    assert test.p == Decimal(p)
    assert test.n == b + c
    assert 0 < test.p_exact <= 1


def test_mcnemar_known_table_exactly() -> None:
    assert stats.mcnemar_exact(1, 9).p_exact == Fraction(11, 512)
    assert stats.mcnemar_exact(0, 0).p_exact == 1


def test_mcnemar_refuses_bad_counts() -> None:
    with pytest.raises(ValueError):
        stats.mcnemar_exact(-1, 2)
    with pytest.raises(TypeError):
        stats.mcnemar_exact(True, 2)


def test_knowledge_from_individual_answers() -> None:
    # Ten participants: one ya->tidak (b), nine tidak->ya (c); an eleventh answered only before.
    before = {1: 1, **dict.fromkeys(range(2, 11), 0), 11: 0}
    after = {1: 0, **dict.fromkeys(range(2, 11), 1)}
    result = stats.knowledge_from_answers(before, after)
    assert result.sumber == stats.SUMBER_JAWABAN
    assert (result.n_sebelum, result.ya_sebelum, result.n_sesudah, result.ya_sesudah) == (11, 1, 10, 9)
    assert result.gain.sebelum == Decimal("9.09")  # 1/11
    assert result.gain.sesudah == Decimal("90.00")
    assert result.pasangan == stats.PairedCounts(a=0, b=1, c=9, d=0)
    assert result.mcnemar is not None and result.mcnemar.p == Decimal("0.0215")
    # g from the exact percentages: (90 - 100/11) / (100 - 100/11) = 0.89
    assert result.gain.g == Decimal("0.89")


def test_knowledge_without_discordant_pairs_has_p_1() -> None:
    result = stats.knowledge_from_answers({1: 1, 2: 0}, {1: 1, 2: 0})
    assert result.mcnemar is not None and result.mcnemar.p == Decimal("1.0000")


def test_knowledge_from_percent_has_no_mcnemar() -> None:
    result = stats.knowledge_from_percent(Decimal("35"), Decimal("100"), 20)
    assert result.sumber == stats.SUMBER_AGREGAT and result.mcnemar is None and result.n_sebelum == 20
    assert stats.knowledge_from_percent(None, None).sumber == stats.SUMBER_KOSONG


def test_yes_no_answers_must_be_0_or_1() -> None:
    with pytest.raises(ValueError):
        stats.knowledge_from_answers({1: 2}, {})


def test_likert_summary_distribution_and_mean() -> None:
    summary = stats.likert_summary([5, 5, 4, 3, 5, 4, 1])
    assert summary.distribusi == (1, 0, 1, 2, 3)
    assert summary.n == 7
    assert summary.rata_rata == Decimal("3.86")  # 27 / 7 = 3.857
    assert summary.persen == (
        Decimal("14.29"),
        Decimal("0.00"),
        Decimal("14.29"),
        Decimal("28.57"),
        Decimal("42.86"),
    )
    with pytest.raises(ValueError):
        stats.likert_summary([6])
    empty = stats.likert_summary([])
    assert empty.rata_rata is None and empty.n == 0


def test_likert_from_mean_checks_the_scale() -> None:
    assert stats.likert_from_mean(Decimal("4.63"), 20).rata_rata == Decimal("4.63")
    with pytest.raises(ValueError):
        stats.likert_from_mean(Decimal("5.01"))


def test_bekasi_overall_satisfaction_is_4_70() -> None:
    means = bekasi_means()
    assert means == [Decimal(x) for x in ("4.63", "4.62", "4.65", "4.77", "5.00", "4.54")]
    assert stats.overall_mean(means) == Decimal("4.70")  # 28.21 / 6 = 4.7017
    overall = stats.likert_overall(stats.likert_from_mean(m, 20) for m in means)
    assert overall.rata_rata == Decimal("4.70")
    assert overall.rata_rata_exact == Fraction(2821, 600)
    assert overall.butir == 6 and overall.distribusi is None


def test_overall_mean_is_the_mean_of_item_means_not_of_pooled_answers() -> None:
    first = stats.likert_summary([5])  # mean 5, one answer
    second = stats.likert_summary([3, 3, 3])  # mean 3, three answers
    overall = stats.likert_overall([first, second])
    assert overall.rata_rata == Decimal("4.00")  # (5 + 3) / 2, not 14 / 4
    assert overall.distribusi == (0, 0, 3, 0, 1)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(-1, 8), 2, "-0.13"),
        (Fraction(-1, 1000), 2, "0.00"),
        (Decimal("4.705"), 2, "4.71"),
        (Fraction(2821, 600), 2, "4.70"),
        (Fraction(11, 512), 4, "0.0215"),
        (7, 0, "7"),
    ],
)
def test_round_half_up(value: stats.Number, places: int, expected: str) -> None:
    assert str(stats.round_half_up(value, places)) == expected
