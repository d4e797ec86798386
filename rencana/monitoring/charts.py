"""Charts of the evaluation pages as plain SVG text: no database, no JavaScript, no inline CSS.

Every function returns a complete `<svg>` element (a `SafeString`, ready for a template, and plain
text a PDF report can embed). Rules:
- Accessible: `role="img"`, a `<title>` and a `<desc>` referenced by `aria-labelledby`; the page shows
  the same figures in a table, so the chart is never the only way to read them. Bars carry their value
  and predikat as text, not only as a colour.
- Safe: every text that comes from data (names, labels) is XML-escaped and stripped of characters XML
  cannot hold; styling uses SVG presentation attributes only (the CSP forbids `style=`).
- Deterministic: the same input gives the same text (coordinates with one decimal), so tests compare
  substrings.

Colours follow the traffic light of `achievement.warna` (hijau, kuning, merah) in shades dark enough
for 3:1 contrast on white; unrated items are grey.
"""

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rencana.core.numbers import format_angka
from rencana.monitoring import achievement

# Traffic-light fills (and the text colour used on white).
COLOURS: Mapping[str, str] = {
    achievement.HIJAU: "#1a7f37",
    achievement.KUNING: "#9a6700",
    achievement.MERAH: "#b42318",
}
GREY = "#8c959f"
INK = "#1b1f24"
MUTED = "#59636e"
GRID = "#d0d7de"
# The stacked predikat bar tells the five bands apart with shades of the three lights.
PREDIKAT_COLOURS: Mapping[str, str] = {
    achievement.SANGAT_TINGGI: "#0f5323",
    achievement.TINGGI: "#1a7f37",
    achievement.SEDANG: "#9a6700",
    achievement.RENDAH: "#b42318",
    achievement.SANGAT_RENDAH: "#6e1410",
}
# The two series of a trend: colour and marker shape differ, so neither is needed alone.
CAPAIAN_COLOUR = "#1d4e89"
SERAPAN_COLOUR = "#b35c00"

FONT = "system-ui, sans-serif"
SMALL = ' font-size="10"'
LABEL_CHARS = 30

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID = re.compile(r"[^A-Za-z0-9_-]")


def esc(text: object) -> str:
    """`text` safe inside an XML element or a double-quoted attribute."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def _n(value: float) -> str:
    """A coordinate with one decimal, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else format_angka(value, 2) + "%"


def _slug(chart_id: str) -> str:
    return _ID.sub("-", chart_id) or "grafik"


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    ident = _slug(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-judul {ident}-uraian" font-family="{FONT}" font-size="12">',
        f'<title id="{ident}-judul">{esc(title)}</title>',
        f'<desc id="{ident}-uraian">{esc(desc)}</desc>',
    ]


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    # Every text above went through esc(); numbers and colours are ours.
    return mark_safe("\n".join(parts))  # noqa: S308


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK, extra: str = "") -> str:
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{fill}"{extra}>{esc(text)}</text>'


def _scale_max(values: Sequence[Decimal | None], floor: int = 100) -> int:
    """The axis maximum: at least `floor`, else the largest value rounded up to a multiple of 20."""
    top = max((float(v) for v in values if v is not None), default=0.0)
    if top <= floor:
        return floor
    return int(-(-top // 20) * 20)


# --------------------------------------------------------------------------------------------
# (a) Horizontal bars of capaian per group, with the band thresholds


@dataclass(frozen=True)
class Bar:
    label: str
    capaian: Decimal | None  # percent, already rounded; None = unrated
    predikat: str | None = None  # computed from capaian when left out


def capaian_bars(
    bars: Sequence[Bar], *, title: str, desc: str = "", chart_id: str = "grafik-capaian"
) -> SafeString:
    """One horizontal bar per group, coloured by its predikat's traffic light, over the band lines."""
    width, label_w, right_w, row_h, top, bottom = 760, 250, 150, 26, 34, 30
    plot_x, plot_w = label_w + 10, width - label_w - 10 - right_w
    height = top + max(len(bars), 1) * row_h + bottom
    axis_max = _scale_max([b.capaian for b in bars], floor=120)

    def x_of(value: float) -> float:
        return plot_x + plot_w * min(max(value, 0.0), axis_max) / axis_max

    parts = _open(chart_id, width, height, title, desc or _describe_bars(bars))
    plot_bottom = top + max(len(bars), 1) * row_h
    # Band thresholds: the lower bound of each of the five predikat bands.
    parts.append('<g class="ambang" font-size="10">')
    for band in achievement.BANDS:
        x = x_of(float(band.batas_bawah))
        dash = "" if band.batas_bawah == 0 else ' stroke-dasharray="4 3"'
        parts.append(
            f'<line x1="{_n(x)}" y1="{top - 6}" x2="{_n(x)}" y2="{plot_bottom}" stroke="{GRID}" '
            f'stroke-width="1"{dash}/>'
        )
        parts.append(_text(x, top - 10, format_angka(band.batas_bawah, 0), anchor="middle", fill=MUTED))
    parts.append(
        _text(
            plot_x + plot_w,
            plot_bottom + 20,
            _("capaian (%), garis = batas predikat"),
            anchor="end",
            fill=MUTED,
        )
    )
    parts.append("</g>")
    if not bars:
        parts.append(_text(plot_x, top + 17, _("Belum ada data."), fill=MUTED))
    for index, bar in enumerate(bars):
        y = top + index * row_h
        predikat = bar.predikat or (achievement.predikat(bar.capaian) if bar.capaian is not None else None)
        colour = COLOURS[achievement.warna(predikat)] if predikat else GREY
        label = achievement.predikat_label(predikat) if predikat else _("belum dinilai")
        parts.append(f'<g class="batang" data-warna="{achievement.warna(predikat) if predikat else ""}">')
        parts.append(f"<title>{esc(bar.label)}: {esc(_pct(bar.capaian))} ({esc(label)})</title>")
        parts.append(_text(label_w, y + 17, _short(bar.label), anchor="end", extra=' font-size="11"'))
        if bar.capaian is not None:
            bar_w = x_of(float(bar.capaian)) - plot_x
            parts.append(
                f'<rect x="{_n(plot_x)}" y="{y + 5}" width="{_n(max(bar_w, 1.0))}" height="{row_h - 10}" '
                f'fill="{colour}"/>'
            )
        parts.append(_text(plot_x + plot_w + 8, y + 17, f"{_pct(bar.capaian)} {label}", fill=colour))
        parts.append("</g>")
    return _close(parts)


def _describe_bars(bars: Sequence[Bar]) -> str:
    items = "; ".join(f"{bar.label}: {_pct(bar.capaian)}" for bar in bars)
    return _("Capaian per kelompok, dibulatkan 2 desimal: %(daftar)s.") % {"daftar": items or "—"}


# --------------------------------------------------------------------------------------------
# (b) Line chart of a trend: capaian and serapan per quarter or per year


@dataclass(frozen=True)
class TrendPoint:
    label: str  # "TW 1", "2025"
    capaian: Decimal | None
    serapan: Decimal | None


def trend_lines(
    points: Sequence[TrendPoint], *, title: str, desc: str = "", chart_id: str = "grafik-tren"
) -> SafeString:
    """Capaian (circles) and serapan anggaran (squares) per period, on a 0-100+ % axis."""
    width, height = 640, 280
    left, right, top, bottom = 56, 20, 40, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [p.capaian for p in points] + [p.serapan for p in points]
    axis_max = _scale_max(values)
    parts = _open(chart_id, width, height, title, desc or _describe_trend(points))

    def y_of(value: Decimal) -> float:
        return top + plot_h - plot_h * min(max(float(value), 0.0), axis_max) / axis_max

    def x_of(index: int) -> float:
        if len(points) <= 1:
            return left + plot_w / 2
        # Inset so the first and last points (and their labels) stay clear of the axis and the edge.
        inset = 36
        return left + inset + (plot_w - 2 * inset) * index / (len(points) - 1)

    # Axes and grid every 20 points.
    parts.append('<g class="sumbu" font-size="10">')
    for tick in range(0, axis_max + 1, 20):
        y = y_of(Decimal(tick))
        parts.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{left + plot_w}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 3, f"{tick}%", anchor="end", fill=MUTED))
    parts.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{MUTED}" stroke-width="1"/>'
    )
    for index, point in enumerate(points):
        parts.append(_text(x_of(index), top + plot_h + 16, point.label, anchor="middle", fill=INK))
    parts.append("</g>")
    if not points:
        parts.append(_text(left + 8, top + plot_h / 2, _("Belum ada data."), fill=MUTED))
    for name, colour, pick, marker in (
        ("capaian", CAPAIAN_COLOUR, lambda p: p.capaian, "circle"),
        ("serapan", SERAPAN_COLOUR, lambda p: p.serapan, "square"),
    ):
        parts.append(f'<g class="seri-{name}">')
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, point in enumerate(points):
            value = pick(point)
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_n(x_of(index))},{_n(y_of(value))}")
        if segment:
            segments.append(segment)
        for run in segments:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
        for index, point in enumerate(points):
            value = pick(point)
            if value is None:
                continue
            x, y = x_of(index), y_of(value)
            if marker == "circle":
                shape = f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}"/>'
            else:
                shape = f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" fill="{colour}"/>'
            label_y = y - 8 if marker == "circle" else y + 16
            value_text = _text(x, label_y, format_angka(value, 2), anchor="middle", fill=colour, extra=SMALL)
            parts.append(
                f"<g><title>{esc(point.label)}: {esc(name)} {esc(_pct(value))}</title>{shape}{value_text}</g>"
            )
        parts.append("</g>")
    # Legend.
    legend_y = 18
    parts.append('<g class="legenda">')
    parts.append(f'<circle cx="{left + 6}" cy="{legend_y - 4}" r="4" fill="{CAPAIAN_COLOUR}"/>')
    parts.append(_text(left + 16, legend_y, _("Capaian (%)")))
    parts.append(f'<rect x="{left + 150}" y="{legend_y - 8}" width="8" height="8" fill="{SERAPAN_COLOUR}"/>')
    parts.append(_text(left + 164, legend_y, _("Serapan anggaran (%)")))
    parts.append("</g>")
    return _close(parts)


def _describe_trend(points: Sequence[TrendPoint]) -> str:
    items = "; ".join(
        _("%(periode)s: capaian %(capaian)s, serapan %(serapan)s")
        % {"periode": p.label, "capaian": _pct(p.capaian), "serapan": _pct(p.serapan)}
        for p in points
    )
    return _("Tren capaian dan serapan anggaran, dibulatkan 2 desimal: %(daftar)s.") % {
        "daftar": items or "—"
    }


# --------------------------------------------------------------------------------------------
# (c) One stacked bar of how many items have each predikat


def predikat_stack(
    counts: Mapping[str, int],
    *,
    title: str,
    desc: str = "",
    unrated: int = 0,
    chart_id: str = "grafik-predikat",
) -> SafeString:
    """A 100% bar split by predikat (Sangat Tinggi first), with unrated items in grey at the end."""
    width, height, left, right, bar_y, bar_h = 720, 110, 10, 10, 14, 30
    plot_w = width - left - right
    segments: list[tuple[str, int, str]] = [
        (
            achievement.predikat_label(band.predikat),
            counts.get(band.predikat, 0),
            PREDIKAT_COLOURS[band.predikat],
        )
        for band in achievement.BANDS
    ]
    segments.append((_("belum dinilai"), unrated, GREY))
    total = sum(count for _label, count, _colour in segments)
    parts = _open(chart_id, width, height, title, desc or _describe_stack(segments, total))
    if total == 0:
        parts.append(
            f'<rect x="{left}" y="{bar_y}" width="{plot_w}" height="{bar_h}" fill="none" stroke="{GRID}"/>'
        )
        parts.append(_text(left + plot_w / 2, bar_y + 20, _("Belum ada data."), anchor="middle", fill=MUTED))
    x = float(left)
    for label, count, colour in segments:
        if count == 0 or total == 0:
            continue
        w = plot_w * count / total
        parts.append(
            f'<rect x="{_n(x)}" y="{bar_y}" width="{_n(w)}" height="{bar_h}" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1"><title>{esc(label)}: {count}</title></rect>'
        )
        if w >= 24:
            ink = INK if colour == GREY else "#ffffff"
            parts.append(_text(x + w / 2, bar_y + 20, str(count), anchor="middle", fill=ink))
        x += w
    # Legend: every band, with its count, so the numbers do not depend on colour.
    parts.append('<g class="legenda" font-size="11">')
    column_w = plot_w / len(segments)
    for index, (label, count, colour) in enumerate(segments):
        lx = left + index * column_w
        parts.append(f'<rect x="{_n(lx)}" y="{bar_y + bar_h + 16}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(lx + 14, bar_y + bar_h + 25, f"{label}: {count}"))
    parts.append("</g>")
    return _close(parts)


def _describe_stack(segments: Sequence[tuple[str, int, str]], total: int) -> str:
    items = "; ".join(f"{label}: {count}" for label, count, _colour in segments)
    return _("Jumlah per predikat dari %(total)s: %(daftar)s.") % {"total": total, "daftar": items}
