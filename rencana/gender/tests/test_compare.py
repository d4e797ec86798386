"""Ranking rules of the regional comparison (gender.compare) and its SVG chart (gender.charts), no DB."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation

from rencana.gender import charts, compare
from rencana.gender.compare import RegionValue

D = Decimal


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    with translation.override("id"):
        yield


def _values(pairs: list[tuple[str, str | None]]) -> list[RegionValue]:
    return [RegionValue(kode, f"Wilayah {kode}", D(v) if v is not None else None) for kode, v in pairs]


def _ranks(ranking: compare.Ranking) -> list[tuple[str, int | None]]:
    return [(r.kode, r.peringkat) for r in ranking.rows]


def test_ipm_ranks_descending_and_ties_share_a_rank() -> None:
    ranking = compare.rank(
        "IPM",
        _values(
            [("35.01", "70.10"), ("35.02", "82.00"), ("35.03", "75.50"), ("35.04", "75.50"), ("35.05", "60")]
        ),
    )
    assert _ranks(ranking) == [("35.02", 1), ("35.03", 2), ("35.04", 2), ("35.01", 4), ("35.05", 5)]


def test_ties_are_exact_decimal_equality_not_rounded_text() -> None:
    ranking = compare.rank("IPM", _values([("35.01", "75.5"), ("35.02", "75.50"), ("35.03", "75.51")]))
    assert _ranks(ranking) == [("35.03", 1), ("35.01", 2), ("35.02", 2)]


def test_ikg_ranks_ascending_lower_is_better() -> None:
    ranking = compare.rank(
        "IKG", _values([("35.75", "0.310"), ("35.77", "0.079"), ("35.26", "0.615"), ("35.73", "0.131")])
    )
    assert _ranks(ranking) == [("35.77", 1), ("35.73", 2), ("35.75", 3), ("35.26", 4)]
    assert compare.lower_is_better("IKG") and not compare.lower_is_better("IDG")


def test_ikg_ties_share_a_rank_and_the_next_rank_skips() -> None:
    ranking = compare.rank("IKG", _values([("a", "0.200"), ("b", "0.100"), ("c", "0.100"), ("d", "0.300")]))
    assert _ranks(ranking) == [("b", 1), ("c", 1), ("a", 3), ("d", 4)]


def test_regions_without_a_value_come_last_unranked_by_code() -> None:
    ranking = compare.rank(
        "IPG", _values([("35.09", None), ("35.02", "90"), ("35.01", None), ("35.03", "95")])
    )
    assert _ranks(ranking) == [("35.03", 1), ("35.02", 2), ("35.01", None), ("35.09", None)]
    missing = ranking.tanpa_data
    assert [r.kode for r in missing] == ["35.01", "35.09"]
    assert all(r.kelas is None and r.selisih is None and r.posisi is None and not r.ada_data for r in missing)
    assert ranking.ringkasan is not None and ranking.ringkasan.jumlah == 2


def test_difference_and_position_against_the_province_follow_polarity() -> None:
    ipm = compare.rank("IPM", _values([("a", "80.00"), ("b", "70.00"), ("c", "75.00")]), acuan=D("75.00"))
    by_code = {r.kode: r for r in ipm.rows}
    assert by_code["a"].selisih == D("5.00") and by_code["a"].posisi == compare.LEBIH_BAIK
    assert by_code["b"].selisih == D("-5.00") and by_code["b"].posisi == compare.LEBIH_BURUK
    assert by_code["c"].selisih == 0 and by_code["c"].posisi == compare.SAMA
    ikg = compare.rank("IKG", _values([("a", "0.500"), ("b", "0.300")]), acuan=D("0.423"))
    by_code = {r.kode: r for r in ikg.rows}
    assert by_code["a"].posisi == compare.LEBIH_BURUK and by_code["a"].selisih == D("0.077")
    assert by_code["b"].posisi == compare.LEBIH_BAIK and by_code["b"].selisih == D("-0.123")


def test_without_province_value_no_difference() -> None:
    ranking = compare.rank("IDG", _values([("a", "60")]))
    assert ranking.acuan is None and ranking.rows[0].selisih is None and ranking.rows[0].posisi is None


def test_summary_min_max_and_exact_median() -> None:
    ranking = compare.rank("IPM", _values([("a", "70.01"), ("b", "80.00"), ("c", "75.00"), ("d", "72.00")]))
    summary = ranking.ringkasan
    assert summary is not None
    assert (summary.jumlah, summary.minimum, summary.maksimum) == (4, D("70.01"), D("80.00"))
    assert summary.median == D("73.5")
    assert compare.rank("IPM", _values([("a", None)])).ringkasan is None


@pytest.mark.parametrize(
    ("position", "count", "kelas"),
    [(0, 38, 1), (7, 38, 1), (8, 38, 2), (37, 38, 5), (0, 1, 1), (1, 2, 3), (4, 5, 5), (9, 10, 5)],
)
def test_quantile_class_of_a_position(position: int, count: int, kelas: int) -> None:
    assert compare.class_of(position, count) == kelas


def test_class_of_refuses_a_position_outside_the_count() -> None:
    with pytest.raises(ValueError, match="posisi"):
        compare.class_of(5, 5)


def test_classes_are_quintiles_of_the_rank_order_and_ties_share_a_class() -> None:
    values = _values([(f"r{i:02d}", str(100 - i)) for i in range(10)])
    ranking = compare.rank("IPM", values)
    assert [r.kelas for r in ranking.rows] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    tied = compare.rank("IPM", _values([("a", "80"), ("b", "79"), ("c", "79"), ("d", "79"), ("e", "70")]))
    assert [r.kelas for r in tied.rows] == [1, 2, 2, 2, 5]
    assert [(b.kelas, b.batas_bawah, b.batas_atas, b.jumlah) for b in tied.kelas] == [
        (1, D(80), D(80), 1),
        (2, D(79), D(79), 3),
        (5, D(70), D(70), 1),
    ]


def test_ikg_class_one_holds_the_lowest_values() -> None:
    ranking = compare.rank("IKG", _values([(f"r{i}", f"0.{i}00") for i in range(1, 6)]))
    assert ranking.kelas[0].kelas == 1 and ranking.kelas[0].batas_atas == D("0.100")


def test_rank_refuses_unknown_index_and_duplicate_codes() -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        compare.rank("HDI", [])
    with pytest.raises(ValueError, match="ganda"):
        compare.rank("IPM", _values([("a", "1"), ("a", "2")]))


def test_empty_ranking() -> None:
    ranking = compare.rank("IPM", [])
    assert ranking.rows == () and ranking.kelas == () and ranking.ringkasan is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("IPM", "IPM"),
        ("ikg", "IKG"),
        (" Idg ", "IDG"),
        ("", None),
        (None, None),
        ("<script>", None),
        ("IPMX", None),
    ],
)
def test_parse_index(raw: str | None, expected: str | None) -> None:
    assert compare.parse_index(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023", 2023),
        (" 2021 ", 2021),
        ("abc", None),
        ("2023.5", None),
        ("99999999999999999999", None),
        ("1900", None),
        ("٢٠٢٣", None),  # Arabic-Indic digits: isdigit() but not a year we accept
        ("", None),
        (None, None),
        ("-2023", None),
    ],
)
def test_parse_year(raw: str | None, expected: int | None) -> None:
    assert compare.parse_year(raw) == expected


def test_choose_year_falls_back_to_the_latest_year_with_data() -> None:
    assert compare.choose_year(2022, [2021, 2022, 2023]) == 2022
    assert compare.choose_year(2019, [2021, 2022, 2023]) == 2023
    assert compare.choose_year(None, [2021, 2023]) == 2023
    assert compare.choose_year(2023, []) is None


def test_trend_one_row_per_year_with_every_index() -> None:
    rows = compare.trend(
        [("IPM", 2022, D("76.5")), ("IKG", 2023, D("0.310")), ("IPM", 2023, D("77.17")), ("XYZ", 2023, D(1))]
    )
    assert [r.tahun for r in rows] == [2022, 2023]
    assert rows[0].nilai == {"IPM": D("76.5"), "IPG": None, "IDG": None, "IKG": None}
    assert rows[1].nilai["IKG"] == D("0.310") and rows[1].nilai["IPM"] == D("77.17")


# --------------------------------------------------------------------------------------------
# Chart


def test_ranking_bars_show_rank_value_reference_and_highlight() -> None:
    ranking = compare.rank(
        "IPM",
        [
            RegionValue("35.78", "Kota Surabaya", D("82.74")),
            RegionValue("35.75", "Kota Pasuruan", D("77.17")),
            RegionValue("35.27", "Kabupaten Sampang", D("64.13")),
            RegionValue("35.99", "Kabupaten Tanpa Data", None),
        ],
        acuan=D("74.65"),
    )
    svg = str(
        charts.ranking_bars(
            ranking.rows,
            indeks="IPM",
            title="Peringkat IPM",
            acuan=ranking.acuan,
            acuan_label="Provinsi Jawa Timur",
            sorot="35.75",
        )
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert " style=" not in svg  # presentation attributes only (font-style= is one)
    assert "1. Kota Surabaya" in svg and "82,74" in svg
    assert "▶ 2. Kota Pasuruan" in svg and 'class="batang sorot" data-kode="35.75"' in svg
    assert f'stroke="{charts.HIGHLIGHT}"' in svg
    assert "Provinsi Jawa Timur: 74,65" in svg and 'stroke-dasharray="6 3"' in svg
    assert "tidak ada data" in svg
    assert f'fill="{charts.CLASS_COLOURS[1]}"' in svg
    assert "lebih tinggi lebih baik" in svg


def test_ranking_bars_escape_names_and_use_three_decimals_for_ikg() -> None:
    ranking = compare.rank("IKG", [RegionValue("x", '<script>alert("x")</script>', D("0.079"))])
    svg = str(charts.ranking_bars(ranking.rows, indeks="IKG", title="<b>judul</b>"))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "0,079" in svg and "lebih rendah lebih baik" in svg


def test_ranking_bars_empty() -> None:
    svg = str(charts.ranking_bars([], indeks="IPM", title="kosong"))
    assert "Belum ada data." in svg


@pytest.mark.parametrize(
    ("indeks", "values", "expected"),
    [
        ("IPM", [D("82.74")], D(100)),
        ("IKG", [D("0.615")], D(1)),
        ("IPG", [D("103.2")], D(110)),
        ("IDG", [], D(100)),
    ],
)
def test_axis_max(indeks: str, values: list[Decimal], expected: Decimal) -> None:
    assert charts.axis_max(indeks, values) == expected


def test_swatch_accepts_only_hex_colours() -> None:
    assert 'fill="#253494"' in charts.swatch("#253494")
    assert "javascript" not in charts.swatch('" onload="javascript:alert(1)')
