"""SVG charts: well-formed XML, escaped text, traffic-light colours by band, accessible, deterministic."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from rencana.monitoring import charts

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & Co\x00\x07'


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 (our own output under test)
    assert root.tag == f"{SVG}svg"
    return root


def _accessible(root: ET.Element, title: str) -> None:
    assert root.get("role") == "img"
    labelled = (root.get("aria-labelledby") or "").split()
    title_el = root.find(f"{SVG}title")
    desc_el = root.find(f"{SVG}desc")
    assert title_el is not None and desc_el is not None
    assert title_el.text == title
    assert desc_el.text
    assert labelled == [title_el.get("id"), desc_el.get("id")]


def _bar_fills(root: ET.Element) -> list[str]:
    return [rect.get("fill", "") for group in root.iter(f"{SVG}g") for rect in group.findall(f"{SVG}rect")]


def test_capaian_bars_are_valid_accessible_svg() -> None:
    svg = charts.capaian_bars(
        [charts.Bar("Dinas Kesehatan", Decimal("95.50")), charts.Bar("Dinas PU", None)],
        title="Capaian per OPD",
        chart_id="uji",
    )
    root = _parse(svg)
    _accessible(root, "Capaian per OPD")
    assert root.get("id") == "uji"
    assert "95,50% Sangat Tinggi" in svg
    assert "— belum dinilai" in svg
    assert "style=" not in svg and "<script" not in svg


def test_capaian_bars_draw_the_five_band_thresholds() -> None:
    root = _parse(charts.capaian_bars([charts.Bar("A", Decimal(50))], title="t"))
    thresholds = root.find(f"{SVG}g[@class='ambang']")
    assert thresholds is not None
    labels = [t.text for t in thresholds.findall(f"{SVG}text")]
    assert labels[:5] == ["91", "76", "66", "51", "0"]
    assert len(thresholds.findall(f"{SVG}line")) == 5


def test_bars_are_coloured_by_band_after_rounding() -> None:
    bars = [
        charts.Bar("sangat tinggi", Decimal("120")),
        charts.Bar("tinggi", Decimal("76.00")),
        charts.Bar("sedang", Decimal("75.994")),  # rounds to 75.99: Sedang
        charts.Bar("rendah", Decimal("51")),
        charts.Bar("sangat rendah", Decimal("10")),
        charts.Bar("batas", Decimal("90.995")),  # rounds to 91.00: Sangat Tinggi
    ]
    root = _parse(charts.capaian_bars(bars, title="t"))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "batang"]
    assert [g.get("data-warna") for g in groups] == ["hijau", "hijau", "kuning", "merah", "merah", "hijau"]
    fills = [g.find(f"{SVG}rect").get("fill") for g in groups]  # type: ignore[union-attr]
    assert fills == ["#1a7f37", "#1a7f37", "#9a6700", "#b42318", "#b42318", "#1a7f37"]


def test_an_explicit_predikat_is_used_as_given() -> None:
    svg = charts.capaian_bars([charts.Bar("x", Decimal(50), predikat="Tinggi")], title="t")
    assert 'data-warna="hijau"' in svg


def test_text_is_escaped_everywhere() -> None:
    svgs = [
        charts.capaian_bars(
            [charts.Bar(HOSTILE, Decimal(80))], title=HOSTILE, desc=HOSTILE, chart_id=HOSTILE
        ),
        charts.trend_lines([charts.TrendPoint(HOSTILE, Decimal(50), Decimal(40))], title=HOSTILE),
        charts.predikat_stack({"Tinggi": 1}, title=HOSTILE, desc=HOSTILE),
    ]
    for svg in svgs:
        assert "<script>" not in svg
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in svg
        root = _parse(svg)
        title = root.find(f"{SVG}title")
        assert title is not None and title.text == '<script>alert("x")</script> & Co'
    # An id made of hostile text is reduced to safe characters.
    assert 'id="-script-alert--x----script----Co--"' in svgs[0]


def test_long_labels_are_shortened_but_kept_whole_in_the_tooltip() -> None:
    label = "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat"
    svg = charts.capaian_bars([charts.Bar(label, Decimal(80))], title="t")
    assert ">Program Pemenuhan Upaya Keseh…</text>" in svg
    assert f"<title>{label}: 80,00% (Tinggi)</title>" in svg


def test_empty_charts_are_still_valid() -> None:
    for svg in (
        charts.capaian_bars([], title="kosong"),
        charts.trend_lines([], title="kosong"),
        charts.predikat_stack({}, title="kosong"),
    ):
        _accessible(_parse(svg), "kosong")
        assert "Belum ada data." in svg


def test_trend_has_axes_labels_and_gaps() -> None:
    points = [
        charts.TrendPoint("TW 1", Decimal(50), None),
        charts.TrendPoint("TW 2", None, Decimal(30)),
        charts.TrendPoint("TW 3", Decimal(70), Decimal(60)),
        charts.TrendPoint("TW 4", Decimal(80), Decimal(90)),
    ]
    svg = charts.trend_lines(points, title="Tren", chart_id="tren")
    root = _parse(svg)
    _accessible(root, "Tren")
    for label in ("TW 1", "TW 4", "0%", "100%", "Capaian (%)", "Serapan anggaran (%)"):
        assert f">{label}</text>" in svg
    capaian = root.find(f"{SVG}g[@class='seri-capaian']")
    serapan = root.find(f"{SVG}g[@class='seri-serapan']")
    assert capaian is not None and serapan is not None
    # Capaian is missing in TW 2: TW 1 stands alone, TW 3-4 are joined; circles vs squares.
    assert len(capaian.findall(f"{SVG}polyline")) == 1
    assert len(capaian.findall(f"{SVG}g/{SVG}circle")) == 3
    assert len(serapan.findall(f"{SVG}polyline")) == 1
    assert len(serapan.findall(f"{SVG}g/{SVG}rect")) == 3
    assert "<title>TW 2: capaian" not in svg
    assert "TW 2: serapan 30,00%" in svg


def test_trend_axis_grows_above_100() -> None:
    svg = charts.trend_lines([charts.TrendPoint("2025", Decimal("135.5"), Decimal(80))], title="t")
    assert ">140%</text>" in svg
    assert "135,50" in svg


def test_predikat_stack_splits_by_count_in_band_order() -> None:
    svg = charts.predikat_stack(
        {"Sangat Tinggi": 2, "Tinggi": 0, "Sedang": 1, "Rendah": 1, "Sangat Rendah": 0}, title="t", unrated=4
    )
    root = _parse(svg)
    segments = root.findall(f"{SVG}rect")
    assert [r.get("fill") for r in segments] == ["#0f5323", "#9a6700", "#b42318", "#8c959f"]
    widths = [float(r.get("width", "0")) for r in segments]
    assert widths[0] == widths[1] * 2 and widths[3] == widths[0] * 2
    assert "Sangat Tinggi: 2" in svg and "belum dinilai: 4" in svg and "Tinggi: 0" in svg
    assert "dari 8:" in svg


def test_output_is_deterministic() -> None:
    bars = [charts.Bar("A", Decimal("33.33")), charts.Bar("B", Decimal("66.67"))]
    assert charts.capaian_bars(bars, title="t") == charts.capaian_bars(bars, title="t")
    points = [charts.TrendPoint("TW 1", Decimal("12.34"), Decimal("56.78"))]
    assert charts.trend_lines(points, title="t") == charts.trend_lines(points, title="t")
    assert 'cx="338" cy="210.1"' in charts.trend_lines(points, title="t")
