"""SWOT diagram and IE matrix as SVG: well-formed, accessible, escaped, the point in the right place."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from rencana.strategy import charts

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>&"'
D = Decimal


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 (our own output under test)
    assert root.tag == f"{SVG}svg"
    return root


def _accessible(root: ET.Element, title: str) -> str:
    """Checks role, title and desc; returns the desc text."""
    assert root.get("role") == "img"
    labelled = (root.get("aria-labelledby") or "").split()
    title_el = root.find(f"{SVG}title")
    desc_el = root.find(f"{SVG}desc")
    assert title_el is not None and desc_el is not None
    assert title_el.text == title
    assert desc_el.text
    assert labelled == [title_el.get("id"), desc_el.get("id")]
    return desc_el.text


def _no_style(root: ET.Element, svg: str) -> None:
    assert "style=" not in svg
    assert all("style" not in element.attrib for element in root.iter())


def _shaded(root: ET.Element) -> list[str]:
    return [
        rect.get("data-kuadran", "")
        for rect in root.iter(f"{SVG}rect")
        if "terpilih" in (rect.get("class") or "").split()
    ]


def _centre(root: ET.Element) -> tuple[float, float]:
    """The origin of the diagram: the top-left corner of quadrant II."""
    rect = root.find(f".//{SVG}rect[@data-kuadran='II']")
    assert rect is not None
    return float(rect.get("x", "")), float(rect.get("y", ""))


def _point(root: ET.Element) -> tuple[float, float]:
    circle = root.find(f".//{SVG}g[@class='titik']/{SVG}circle")
    assert circle is not None
    return float(circle.get("cx", "")), float(circle.get("cy", ""))


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


# --------------------------------------------------------------------------------------------
# SWOT diagram


def test_swot_diagram_is_valid_accessible_svg() -> None:
    svg = charts.swot_diagram(D("1.40"), D("1.25"), chart_id="swot-uji")
    root = _parse(svg)
    desc = _accessible(root, "Diagram SWOT")
    _no_style(root, svg)
    assert root.get("id") == "swot-uji"
    assert "(S - W) = 1,40" in desc and "(O - T) = 1,25" in desc
    texts = _texts(root)
    for label in ("Kekuatan", "Kelemahan", "Peluang", "Ancaman", "Kuadran I", "Kuadran IV"):
        assert label in texts
    for strategy in ("Agresif (SO)", "Diversifikasi (ST)", "Turn-around (WO)", "Defensif (WT)"):
        assert strategy in texts


def test_pasuruan_point_shades_quadrant_one() -> None:
    svg = charts.swot_diagram(D("1.40"), D("1.25"), title="Posisi strategis Kota Pasuruan")
    root = _parse(svg)
    desc = _accessible(root, "Posisi strategis Kota Pasuruan")
    assert _shaded(root) == ["I"]
    assert "Titik berada di kuadran I: strategi Agresif (SO)." in desc
    assert ">(1,40; 1,25)</text>" in svg
    cx, cy = _centre(root)
    px, py = _point(root)
    assert px > cx and py < cy
    # Scale +-1.5 over a half-width of 210: 320 + 210 * 1.40 / 1.5, 260 - 210 * 1.25 / 1.5.
    assert (cx, cy) == (320, 260)
    assert (px, py) == (516, 85)
    quadrant_name = root.find(f".//{SVG}g[@class='nama-kuadran'][@data-kuadran='I']/{SVG}text")
    assert quadrant_name is not None and quadrant_name.get("font-weight") == "bold"


@pytest.mark.parametrize(
    ("x", "y", "quadrant", "strategy", "right", "up"),
    [
        ("1.40", "1.25", "I", "Agresif (SO)", True, True),
        ("0.75", "-0.30", "II", "Diversifikasi (ST)", True, False),
        ("-0.60", "0.90", "III", "Turn-around (WO)", False, True),
        ("-2.10", "-1.05", "IV", "Defensif (WT)", False, False),
    ],
)
def test_point_is_drawn_in_its_quadrant(
    x: str, y: str, quadrant: str, strategy: str, right: bool, up: bool
) -> None:
    root = _parse(charts.swot_diagram(D(x), D(y)))
    assert _shaded(root) == [quadrant]
    cx, cy = _centre(root)
    px, py = _point(root)
    assert (px > cx) is right and (px < cx) is not right
    assert (py < cy) is up and (py > cy) is not up  # SVG y grows downwards
    desc = _accessible(root, "Diagram SWOT")
    assert f"kuadran {quadrant}: strategi {strategy}." in desc


def test_point_on_an_axis_shades_and_names_both_neighbours() -> None:
    root = _parse(charts.swot_diagram(D("1.5"), D("0")))
    assert _shaded(root) == ["I", "II"]
    cx, cy = _centre(root)
    px, py = _point(root)
    assert px > cx and py == cy
    desc = _accessible(root, "Diagram SWOT")
    assert "pada sumbu, di antara kuadran I (Agresif (SO)) dan II (Diversifikasi (ST))" in desc

    root = _parse(charts.swot_diagram(D("0"), D("-0.4")))
    assert _shaded(root) == ["II", "IV"]
    cx, cy = _centre(root)
    px, py = _point(root)
    assert px == cx and py > cy


def test_point_at_the_origin_names_all_four_and_shades_none() -> None:
    svg = charts.swot_diagram(D("0.00"), D("0.00"))
    root = _parse(svg)
    assert _shaded(root) == []
    assert _point(root) == _centre(root)
    desc = _accessible(root, "Diagram SWOT")
    assert "di antara keempat kuadran" in desc
    assert all(name in desc for name in ("I Agresif (SO)", "IV Defensif (WT)"))
    assert ">(0,00; 0,00)</text>" in svg


@pytest.mark.parametrize(
    ("x", "y", "axis_max", "ticks"),
    [
        ("0.20", "-0.10", "1,0", ["0,5", "1,0", "-1,0"]),  # never below +-1
        ("1.40", "1.25", "1,5", ["0,5", "1,0", "1,5", "-1,5"]),
        ("-2.40", "0.50", "2,5", ["2,5", "-2,5"]),
        ("-3.20", "0.40", "4,0", ["1", "4", "-4"]),  # steps of 1 beyond 2.5
        ("0.30", "-5.50", "6,0", ["2", "6", "-6"]),
    ],
)
def test_scale_is_symmetric_and_rounded_up_to_a_nice_step(
    x: str, y: str, axis_max: str, ticks: list[str]
) -> None:
    root = _parse(charts.swot_diagram(D(x), D(y)))
    desc = _accessible(root, "Diagram SWOT")
    assert f"dari -{axis_max} sampai {axis_max}." in desc
    axis = root.find(f"{SVG}g[@class='sumbu']")
    assert axis is not None
    labels = [t.text for t in axis.findall(f"{SVG}text")]
    for tick in ticks:
        # Each tick is labelled on both axes.
        assert labels.count(tick) == 2
    assert labels.count("0") == 1


def test_participants_points_are_drawn_labelled_and_widen_the_scale() -> None:
    points = [
        ("Bappeda", D("1.10"), D("0.90")),
        ("Dinas Kesehatan", D("-0.30"), D("1.60")),
        ("Peserta 3", D("2.60"), D("-0.20")),
    ]
    svg = charts.swot_diagram(D("1.40"), D("1.25"), points=points)
    root = _parse(svg)
    group = root.find(f"{SVG}g[@class='titik-peserta']")
    assert group is not None
    assert len(group.findall(f"{SVG}g/{SVG}circle")) == 3
    assert [t.text for t in group.findall(f"{SVG}g/{SVG}text")] == ["Bappeda", "Dinas Kesehatan", "Peserta 3"]
    assert [t.text for t in group.findall(f"{SVG}g/{SVG}title")][1] == "Dinas Kesehatan: (-0,30; 1,60)"
    desc = _accessible(root, "Diagram SWOT")
    assert "Bappeda (1,10; 0,90); Dinas Kesehatan (-0,30; 1,60); Peserta 3 (2,60; -0,20)" in desc
    assert "dari -3,0 sampai 3,0" in desc  # 2.60 needs the +-3 scale
    # The participants do not move the shading: it follows the main point.
    assert _shaded(root) == ["I"]
    cx, cy = _centre(root)
    circles = group.findall(f"{SVG}g/{SVG}circle")
    third_x, third_y = float(circles[2].get("cx", "")), float(circles[2].get("cy", ""))
    assert third_x > cx and third_y > cy
    assert "Posisi tiap peserta" in _texts(root)


def test_without_participants_there_is_no_participant_legend() -> None:
    root = _parse(charts.swot_diagram(D(1), D(1)))
    assert root.find(f"{SVG}g[@class='titik-peserta']") is None
    assert root.find(f"{SVG}g[@class='legenda']") is None


def test_non_finite_values_are_refused() -> None:
    with pytest.raises(ValueError, match="terhingga"):
        charts.swot_diagram(D("NaN"), D(1))
    with pytest.raises(ValueError, match="terhingga"):
        charts.swot_diagram(D(1), D(1), points=[("a", D("Infinity"), D(0))])
    with pytest.raises(ValueError, match="terhingga"):
        charts.ie_matrix(D(2), D("NaN"))


# --------------------------------------------------------------------------------------------
# IE matrix


def test_ie_matrix_is_valid_accessible_svg() -> None:
    svg = charts.ie_matrix(D("2.50"), D("2.85"), chart_id="ie-uji")
    root = _parse(svg)
    desc = _accessible(root, "Matriks internal-eksternal (IE)")
    _no_style(root, svg)
    assert root.get("id") == "ie-uji"
    assert "Total skor IFAS 2,50 (Rata-rata), total skor EFAS 2,85 (Menengah)" in desc
    assert "sel V, strategi Pertahankan dan pelihara." in desc
    texts = _texts(root)
    for label in ("Kuat", "Rata-rata", "Lemah", "Tinggi", "Menengah", "Rendah", "4,0", "1,0"):
        assert label in texts
    # Legend in text, so the groups do not depend on colour.
    assert "Tumbuh dan bina: I, II, IV" in texts
    assert "Pertahankan dan pelihara: III, V, VII" in texts
    assert "Panen atau divestasi: VI, VIII, IX" in texts


def test_pasuruan_ie_matrix_outlines_cell_five() -> None:
    root = _parse(charts.ie_matrix(D("2.50"), D("2.85")))
    outlined = root.findall(f".//{SVG}rect[@class='sel-terpilih']")
    assert [rect.get("data-sel") for rect in outlined] == ["V"]
    # Cell V is the middle one: columns and rows of 130 x 100 from (130, 72).
    assert (outlined[0].get("x"), outlined[0].get("y")) == ("261.5", "173.5")
    # IFAS 2.50 is halfway between 4 (left) and 1 (right); EFAS 2.85 is 1.15 below 4.
    assert _point(root) == (325, 187)
    labels = [t.text for t in root.findall(f".//{SVG}g[@class='titik']/{SVG}text")]
    assert labels == ["IFAS 2,50", "EFAS 2,85"]


def test_ie_cells_are_numbered_row_by_row_and_coloured_by_group() -> None:
    root = _parse(charts.ie_matrix(D(3), D(3)))
    cells = root.findall(f".//{SVG}g[@class='sel']/{SVG}g")
    assert [cell.get("data-sel") for cell in cells] == list(charts.ROMAN)
    groups = {cell.get("data-sel"): cell.get("data-strategi") for cell in cells}
    assert [n for n, g in groups.items() if g == charts.TUMBUH] == ["I", "II", "IV"]
    assert [n for n, g in groups.items() if g == charts.PERTAHANKAN] == ["III", "V", "VII"]
    assert [n for n, g in groups.items() if g == charts.PANEN] == ["VI", "VIII", "IX"]
    fills = {cell.get("data-strategi"): cell.find(f"{SVG}rect").get("fill") for cell in cells}  # type: ignore[union-attr]
    assert len(set(fills.values())) == 3
    first = cells[0].find(f"{SVG}rect")
    third = cells[2].find(f"{SVG}rect")
    seventh = cells[6].find(f"{SVG}rect")
    assert first is not None and third is not None and seventh is not None
    # I top-left (high, strong), III top-right (high, weak), VII bottom-left (low, strong).
    assert float(first.get("x", "")) < float(third.get("x", "")) and first.get("y") == third.get("y")
    assert first.get("x") == seventh.get("x") and float(first.get("y", "")) < float(seventh.get("y", ""))


@pytest.mark.parametrize(
    ("ifas", "efas", "cell"),
    [
        ("3.00", "3.00", "I"),  # boundaries fall into the higher band
        ("2.99", "3.00", "II"),
        ("2.00", "3.50", "II"),
        ("1.99", "3.00", "III"),
        ("3.00", "2.99", "IV"),
        ("2.00", "2.00", "V"),
        ("1.99", "2.00", "VI"),
        ("4.00", "1.99", "VII"),
        ("2.00", "1.00", "VIII"),
        ("1.00", "1.00", "IX"),
        ("4.00", "4.00", "I"),
    ],
)
def test_ie_band_boundaries_are_inclusive_from_below(ifas: str, efas: str, cell: str) -> None:
    root = _parse(charts.ie_matrix(D(ifas), D(efas)))
    outlined = root.find(f".//{SVG}rect[@class='sel-terpilih']")
    assert outlined is not None and outlined.get("data-sel") == cell
    desc = _accessible(root, "Matriks internal-eksternal (IE)")
    assert f"sel {cell}," in desc
    assert "di luar rentang" not in desc


def test_ie_values_outside_the_range_are_clamped_and_said_so() -> None:
    root = _parse(charts.ie_matrix(D("4.50"), D("0.50")))
    outlined = root.find(f".//{SVG}rect[@class='sel-terpilih']")
    assert outlined is not None and outlined.get("data-sel") == "VII"
    desc = _accessible(root, "Matriks internal-eksternal (IE)")
    assert "Total skor IFAS 4,50 di luar rentang 1,0–4,0; titik digambar pada 4,0." in desc
    assert "Total skor EFAS 0,50 di luar rentang 1,0–4,0; titik digambar pada 1,0." in desc
    # The point sits on the matrix corner (IFAS 4 left edge, EFAS 1 bottom edge); its text keeps the input.
    assert _point(root) == (130, 372)
    assert "IFAS 4,50" in _texts(root)


# --------------------------------------------------------------------------------------------
# Both charts


def test_hostile_text_is_escaped() -> None:
    svgs = [
        charts.swot_diagram(D(1), D(-1), title=HOSTILE, points=[(HOSTILE, D(0), D(1))], chart_id=HOSTILE),
        charts.ie_matrix(D("2.5"), D("2.5"), title=HOSTILE, chart_id=HOSTILE),
    ]
    for svg in svgs:
        assert "<script" not in svg
        assert "&lt;script&gt;&amp;&quot;" in svg
        root = _parse(svg)
        title = root.find(f"{SVG}title")
        assert title is not None and title.text == HOSTILE
        assert root.get("id") == "-script---"
        _no_style(root, svg)
    participant = _parse(svgs[0]).find(f".//{SVG}g[@class='titik-peserta']/{SVG}g/{SVG}text")
    assert participant is not None and participant.text == HOSTILE


def test_output_is_deterministic() -> None:
    points = [("A", D("0.333"), D("-0.667"))]
    first = charts.swot_diagram(D("1.40"), D("1.25"), points=points)
    assert first == charts.swot_diagram(D("1.40"), D("1.25"), points=points)
    assert 'cx="516" cy="85"' in first
    assert 'cx="366.6" cy="353.4"' in first  # 320 + 210 * 0.333 / 1.5, 260 + 210 * 0.667 / 1.5
    assert charts.ie_matrix(D("2.50"), D("2.85")) == charts.ie_matrix(D("2.50"), D("2.85"))
    assert 'cx="325" cy="187"' in charts.ie_matrix(D("2.50"), D("2.85"))
