"""The SVG charts: accessible, escaped, without inline styles, deterministic (no database)."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from rencana.outreach import charts

SVG = "{http://www.w3.org/2000/svg}"


def knowledge() -> str:
    return charts.knowledge_bars(
        [
            charts.KnowledgeBar("1. Saya memahami pentingnya izin", Decimal("35"), Decimal("100")),
            charts.KnowledgeBar("4. Prosedur <b>&</b> \x00", Decimal("10"), Decimal("65")),
            charts.KnowledgeBar("5. Tanpa angka sesudah", Decimal("50"), None),
        ],
        title="Pengetahuan",
    )


def means() -> str:
    return charts.likert_means(
        [charts.LikertBar("1. Topik menarik", Decimal("4.63")), charts.LikertBar("2. Kosong", None)],
        overall=Decimal("4.70"),
        title="Kepuasan",
    )


def distribution() -> str:
    return charts.likert_distribution(
        [
            charts.LikertDistribution("1. Topik", (0, 0, 1, 4, 15)),
            charts.LikertDistribution("2. Belum", (0, 0, 0, 0, 0)),
        ],
        title="Sebaran",
    )


@pytest.mark.parametrize("make", [knowledge, means, distribution])
def test_charts_are_valid_accessible_svg_without_style(make: object) -> None:
    svg = make()  # type: ignore[operator]
    root = ET.fromstring(svg)  # noqa: S314 -- our own output
    assert root.get("role") == "img"
    labelled = (root.get("aria-labelledby") or "").split()
    assert len(labelled) == 2
    ids = {el.get("id") for el in root.iter()}
    assert set(labelled) <= ids
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert "style=" not in svg
    assert svg == make()  # type: ignore[operator]


def test_knowledge_bars_carry_values_as_text_and_escape_labels() -> None:
    svg = knowledge()
    assert "35,00%" in svg and "100,00%" in svg and "65,00%" in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "\x00" not in svg
    assert svg.count('fill="#1d4e89"') == 3  # two after-bars and the legend
    desc = ET.fromstring(svg).find(f"{SVG}desc")  # noqa: S314 -- our own output
    assert desc is not None and "sebelum 35,00%" in (desc.text or "")


def test_likert_means_draw_the_overall_line() -> None:
    svg = means()
    assert "rata-rata keseluruhan 4,70" in svg
    assert "4,63" in svg
    assert re.search(r'stroke-dasharray="5 3"', svg)


def test_likert_distribution_shows_counts_and_empty_rows() -> None:
    svg = distribution()
    assert ">15<" in svg and "n=20" in svg and "belum ada jawaban" in svg
    assert "jawaban 5" in svg


def test_empty_charts_say_so() -> None:
    assert "Belum ada data." in charts.knowledge_bars([], title="x")
    assert "Belum ada data." in charts.likert_means([], overall=None, title="x")
