"""PPE self-assessment: the documented default configuration, validation, scoring and band boundaries; no
database."""

from decimal import Decimal

import pytest

from rencana.gender import ppe
from rencana.gender.models import PrerequisiteCode
from rencana.gender.ppe import Band, Criterion

BANDS = ppe.DEFAULT_BANDS


def test_default_configuration_is_valid_and_covers_every_group() -> None:
    assert ppe.validate_config(ppe.DEFAULT_CRITERIA, ppe.DEFAULT_BANDS) == []
    groups = {c.kelompok for c in ppe.DEFAULT_CRITERIA}
    assert set(PrerequisiteCode.values) <= groups
    assert {"pelaksanaan", "hasil"} <= groups
    assert set(ppe.GROUPS) == groups
    assert all(c.maks == 2 for c in ppe.DEFAULT_CRITERIA)
    assert [b.label for b in ppe.DEFAULT_BANDS][1:] == ["Pratama", "Madya", "Utama", "Mentor"]


def test_the_module_says_the_defaults_are_not_official() -> None:
    doc = ppe.__doc__ or ""
    assert "NOT the official" in doc
    assert "not public" in doc


def test_all_sudah_is_mentor_and_all_belum_is_the_lowest_band() -> None:
    top = ppe.score(ppe.DEFAULT_CRITERIA, BANDS, {c.kode: 2 for c in ppe.DEFAULT_CRITERIA})
    assert (top.total, top.maximum, top.percent, top.predikat) == (56, 56, Decimal("100.00"), "Mentor")
    assert top.missing == ()
    bottom = ppe.score(ppe.DEFAULT_CRITERIA, BANDS, {c.kode: 0 for c in ppe.DEFAULT_CRITERIA})
    assert (bottom.total, bottom.percent, bottom.predikat) == (0, Decimal("0.00"), "Belum berpredikat")


def test_missing_answers_score_zero_and_are_listed() -> None:
    answers = {"KOM1": 2, "KOM2": "1", "KOM3": 5, "TIDAK_ADA": 2, "KEB1": True, "KEB2": None}
    result = ppe.score(ppe.DEFAULT_CRITERIA, BANDS, answers)
    assert result.total == 3
    assert "KOM3" in result.missing and "KEB1" in result.missing and "KEB2" in result.missing
    assert "KOM1" not in result.missing and "KOM2" not in result.missing
    assert len(result.missing) == len(ppe.DEFAULT_CRITERIA) - 2
    komitmen = result.per_group[0]
    assert (komitmen.kelompok, komitmen.total, komitmen.maksimum, komitmen.jumlah, komitmen.terjawab) == (
        "komitmen",
        3,
        6,
        3,
        2,
    )
    assert komitmen.persen == Decimal("50.00")
    assert [g.kelompok for g in result.per_group] == list(ppe.GROUPS)


def _ten() -> list[Criterion]:
    # Ten criteria with maximum 10 each: a total of t points is exactly t percent.
    return [Criterion(kode=f"C{i}", kelompok="komitmen", pertanyaan="?", maks=10) for i in range(10)]


def _answers(total: int) -> dict[str, int]:
    answers = {}
    for i in range(10):
        answers[f"C{i}"] = min(10, max(0, total - 10 * i))
    return answers


@pytest.mark.parametrize(
    ("total", "predikat"),
    [
        (0, "Belum berpredikat"),
        (39, "Belum berpredikat"),
        (40, "Pratama"),
        (59, "Pratama"),
        (60, "Madya"),
        (74, "Madya"),
        (75, "Utama"),
        (89, "Utama"),
        (90, "Mentor"),
        (100, "Mentor"),
    ],
)
def test_band_boundaries_lower_inclusive_upper_exclusive(total: int, predikat: str) -> None:
    result = ppe.score(_ten(), BANDS, _answers(total))
    assert result.percent == Decimal(total)
    assert result.predikat == predikat


@pytest.mark.parametrize(
    ("percent", "predikat"),
    [
        (Decimal("39.99"), "Belum berpredikat"),
        (Decimal("40.00"), "Pratama"),
        (Decimal("89.99"), "Utama"),
        (Decimal("90"), "Mentor"),
        (Decimal("100"), "Mentor"),
    ],
)
def test_band_for(percent: Decimal, predikat: str) -> None:
    assert ppe.band_for(BANDS, percent) == predikat


def test_percentage_is_rounded_half_up_before_banding() -> None:
    # 119 of 300 = 39.6666...% -> 39.67 (Belum berpredikat); 2 of 3 = 66.666...% -> 66.67.
    criteria = [Criterion(kode=f"C{i}", kelompok="hasil", pertanyaan="?", maks=10) for i in range(30)]
    answers = {f"C{i}": 4 for i in range(30)}
    answers["C0"] = 3
    result = ppe.score(criteria, BANDS, answers)
    assert (result.total, result.percent, result.predikat) == (119, Decimal("39.67"), "Belum berpredikat")
    small = [Criterion(kode="A", kelompok="hasil", pertanyaan="?", maks=3)]
    assert ppe.score(small, BANDS, {"A": 2}).percent == Decimal("66.67")
    # 1 of 8 = 12.5% exactly; 1 of 800 = 0.125% -> 0.13 (half up).
    tiny = [Criterion(kode=f"T{i}", kelompok="hasil", pertanyaan="?", maks=10) for i in range(80)]
    assert ppe.score(tiny, BANDS, {"T0": 1}).percent == Decimal("0.13")


@pytest.mark.parametrize(
    ("bands", "fragment"),
    [
        ((), "Belum ada predikat"),
        ((Band(Decimal(5), Decimal(100), "A"),), "mulai dari 0"),
        ((Band(Decimal(0), Decimal(90), "A"),), "berakhir di 100"),
        ((Band(Decimal(0), Decimal(40), "A"), Band(Decimal(50), Decimal(100), "B")), "celah"),
        ((Band(Decimal(0), Decimal(60), "A"), Band(Decimal(50), Decimal(100), "B")), "tumpang tindih"),
        ((Band(Decimal(0), Decimal(50), "A"), Band(Decimal(50), Decimal(100), "a")), "lebih dari sekali"),
        ((Band(Decimal(0), Decimal(0), "A"), Band(Decimal(0), Decimal(100), "B")), "lebih kecil"),
        ((Band(Decimal(0), Decimal(100), " "),), "tanpa nama"),
        ((Band(Decimal("NaN"), Decimal(100), "A"),), "berupa angka"),
    ],
)
def test_bad_bands_are_refused(bands: tuple[Band, ...], fragment: str) -> None:
    problems = ppe.validate_config(ppe.DEFAULT_CRITERIA, bands)
    assert any(fragment in p for p in problems), problems
    with pytest.raises(ValueError, match=fragment):
        ppe.score(ppe.DEFAULT_CRITERIA, bands, {})


@pytest.mark.parametrize(
    ("criteria", "fragment"),
    [
        ((), "Belum ada kriteria"),
        ((Criterion("A", "komitmen", "?"), Criterion("a", "komitmen", "?")), "lebih dari sekali"),
        ((Criterion("A B", "komitmen", "?"),), "tidak sah"),
        ((Criterion("A", "lainnya", "?"),), "tidak dikenal"),
        ((Criterion("A", "komitmen", "?", 0),), "1 sampai 10"),
        ((Criterion("A", "komitmen", "?", 11),), "1 sampai 10"),
        ((Criterion("A", "komitmen", "  "),), "pertanyaan kosong"),
        ((Criterion("A", "komitmen", "x" * 501),), "paling panjang"),
    ],
)
def test_bad_criteria_are_refused(criteria: tuple[Criterion, ...], fragment: str) -> None:
    problems = ppe.validate_config(criteria, BANDS)
    assert any(fragment in p for p in problems), problems


def test_answer_problems() -> None:
    criteria = [Criterion("A", "komitmen", "?", 2)]
    assert ppe.answer_problems(criteria, {"A": 2}) == {}
    assert ppe.answer_problems(criteria, {"A": None}) == {}
    assert set(ppe.answer_problems(criteria, {"A": 3, "B": 1})) == {"A", "B"}
    assert "A" in ppe.answer_problems(criteria, {"A": "dua"})
    assert "A" in ppe.answer_problems(criteria, {"A": -1})


def test_json_round_trip_and_unreadable_snapshots() -> None:
    data = ppe.default_config_json()
    criteria, bands = ppe.config_from_json(data)
    assert tuple(criteria) == ppe.DEFAULT_CRITERIA and tuple(bands) == ppe.DEFAULT_BANDS
    assert ppe.is_default(criteria, bands)
    broken_snapshots: list[object] = [
        None,
        [],
        {"kriteria": "x", "predikat": []},
        {"kriteria": [{"kode": "A"}], "predikat": []},
    ]
    for broken in broken_snapshots:
        with pytest.raises(ValueError):
            ppe.config_from_json(broken)
    with pytest.raises(ValueError):
        ppe.config_from_json({"kriteria": [], "predikat": [{"dari": "x", "sampai": "1", "label": "A"}]})


def test_text_lines_round_trip() -> None:
    criteria, problems = ppe.criteria_from_lines(ppe.criteria_to_lines(ppe.DEFAULT_CRITERIA))
    assert problems == [] and tuple(criteria) == ppe.DEFAULT_CRITERIA
    bands, problems = ppe.bands_from_lines(ppe.bands_to_lines(ppe.DEFAULT_BANDS))
    assert problems == [] and tuple(bands) == ppe.DEFAULT_BANDS


def test_text_lines_accept_indonesian_numbers_and_report_bad_lines() -> None:
    bands, problems = ppe.bands_from_lines("0 | 37,5 | Rendah\n\n37,5 | 100 | Tinggi")
    assert problems == []
    assert bands == [
        Band(Decimal(0), Decimal("37.5"), "Rendah"),
        Band(Decimal("37.5"), Decimal(100), "Tinggi"),
    ]
    assert ppe.validate_config(ppe.DEFAULT_CRITERIA, bands) == []
    _bands, problems = ppe.bands_from_lines("0 | 50\n50 | 1.000.00 | X")
    assert len(problems) == 2 and problems[0].startswith("Baris 1") and problems[1].startswith("Baris 2")
    criteria, problems = ppe.criteria_from_lines(
        "a1 | KOMITMEN | 3 | Ada Perda? | ya\nB | hasil | dua | ?\nC | hasil"
    )
    assert criteria == [Criterion("A1", "komitmen", "Ada Perda? | ya", 3)]
    assert len(problems) == 2


def test_scale_labels() -> None:
    assert [v for v, _label in ppe.scale(2)] == [0, 1, 2]
    assert [label for _v, label in ppe.scale(2)] == ["belum", "sebagian", "sudah"]
    assert ppe.scale(4)[-1] == (4, "4")
