"""Charts of the regional comparison (IPM, IPG, IDG, IKG) as plain SVG text: no database, no JavaScript.

Same rules as `rencana.monitoring.charts`: every function returns a complete `<svg>` element (a
`SafeString` a template or a PDF can embed); accessible (`role="img"`, `<title>` and `<desc>`, and the page
shows the same numbers in a table); every text from data is XML-escaped; presentation attributes only,
never `style=` (the CSP forbids it); deterministic coordinates (one decimal) so tests compare substrings.

Colours: the five quantile classes of `gender.compare` (class 1 = best fifth) share one sequential palette
(`CLASS_COLOURS`, dark = better) with the choropleth map and its legend, so a bar and its region on the map
have the same colour. Colour is never the only carrier: each bar has its rank and value as text.
"""

import html
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rencana.core.numbers import format_angka
from rencana.gender import compare
from rencana.gender.compare import RankedRow

# Class 1 (best) darkest; 5 lightest. Outlined bars and polygons keep the light classes visible on white.
CLASS_COLOURS: Mapping[int, str] = {
    1: "#253494",
    2: "#2c7fb8",
    3: "#41b6c4",
    4: "#a1dab4",
    5: "#ffffcc",
}
NO_DATA = "#d0d7de"
OUTLINE = "#59636e"
HIGHLIGHT = "#b42318"
REFERENCE = "#9a6700"
INK = "#1b1f24"
MUTED = "#59636e"
GRID = "#d0d7de"
FONT = "system-ui, sans-serif"
LABEL_CHARS = 28

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID = re.compile(r"[^A-Za-z0-9_-]")


def esc(text: object) -> str:
    """`text` safe inside an XML element or a double-quoted attribute."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def class_colour(kelas: int | None) -> str:
    return CLASS_COLOURS.get(kelas, NO_DATA) if kelas is not None else NO_DATA


def format_value(indeks: str, value: Decimal) -> str:
    """A published value in Indonesian notation with the index's decimals (IKG 3, others 2)."""
    return format_angka(value, compare.DECIMALS[indeks])


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK, extra: str = "") -> str:
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{fill}"{extra}>{esc(text)}</text>'


def axis_max(indeks: str, values: Sequence[Decimal | None]) -> Decimal:
    """0-1 for IKG, 0-100 for the others; a larger value (IPG above 100) rounds up to the next tenth."""
    nominal = Decimal(1) if indeks == "IKG" else Decimal(100)
    top = max((v for v in values if v is not None), default=Decimal(0))
    if top <= nominal:
        return nominal
    step = nominal / 10
    return (top / step).to_integral_value(rounding=ROUND_CEILING) * step


def ranking_bars(
    rows: Sequence[RankedRow],
    *,
    indeks: str,
    title: str,
    acuan: Decimal | None = None,
    acuan_label: str = "",
    sorot: str = "",
    desc: str = "",
    chart_id: str = "grafik-peringkat",
) -> SafeString:
    """One horizontal bar per region in rank order, coloured by class, with the province's value as a line.

    `sorot` (a region code) outlines that region's bar and marks its label; regions without data come last
    with the words "tidak ada data" instead of a bar.
    """
    width, label_w, value_w, row_h, top, bottom = 760, 230, 110, 20, 46, 34
    plot_x = label_w + 10
    plot_w = width - plot_x - value_w
    count = max(len(rows), 1)
    height = top + count * row_h + bottom
    scale = axis_max(indeks, [r.nilai for r in rows] + [acuan])

    def x_of(value: Decimal) -> float:
        clamped = min(max(value, Decimal(0)), scale)
        return plot_x + plot_w * float(clamped / scale)

    ident = _ID.sub("-", chart_id) or "grafik"
    description = desc or describe(rows, indeks=indeks, acuan=acuan, acuan_label=acuan_label)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-judul {ident}-uraian" font-family="{FONT}" font-size="12">',
        f'<title id="{ident}-judul">{esc(title)}</title>',
        f'<desc id="{ident}-uraian">{esc(description)}</desc>',
    ]
    plot_bottom = top + count * row_h
    # Grid: five steps of the axis.
    parts.append('<g class="sumbu" font-size="10">')
    for step in range(6):
        tick = scale * step / 5
        x = x_of(tick)
        parts.append(
            f'<line x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{plot_bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        decimals = 1 if indeks == "IKG" else 0
        parts.append(_text(x, plot_bottom + 14, format_angka(tick, decimals), anchor="middle", fill=MUTED))
    parts.append(
        _text(
            plot_x + plot_w,
            plot_bottom + 28,
            _("nilai {indeks} (sumbu mulai dari 0)").format(indeks=indeks),
            anchor="end",
            fill=MUTED,
        )
    )
    parts.append("</g>")
    if not rows:
        parts.append(_text(plot_x, top + 14, _("Belum ada data."), fill=MUTED))
    for index, row in enumerate(rows):
        y = top + index * row_h
        highlighted = bool(sorot) and row.kode == sorot
        label = f"{row.peringkat}. {_short(row.nama)}" if row.peringkat is not None else _short(row.nama)
        if highlighted:
            label = "▶ " + label
        weight = ' font-weight="bold"' if highlighted else ""
        css = "batang sorot" if highlighted else "batang"
        parts.append(f'<g class="{css}" data-kode="{esc(row.kode)}" data-kelas="{row.kelas or ""}">')
        value_text = format_value(indeks, row.nilai) if row.nilai is not None else _("tidak ada data")
        parts.append(f"<title>{esc(row.nama)} ({esc(row.kode)}): {esc(value_text)}</title>")
        parts.append(_text(label_w, y + 14, label, anchor="end", extra=f' font-size="11"{weight}'))
        if row.nilai is None:
            parts.append(_text(plot_x + 4, y + 14, value_text, fill=MUTED, extra=' font-style="italic"'))
        else:
            bar_w = max(x_of(row.nilai) - plot_x, 1.0)
            stroke = (
                f'stroke="{HIGHLIGHT}" stroke-width="2.5"'
                if highlighted
                else f'stroke="{OUTLINE}" stroke-width="0.5"'
            )
            parts.append(
                f'<rect x="{_n(plot_x)}" y="{y + 3}" width="{_n(bar_w)}" height="{row_h - 6}" '
                f'fill="{class_colour(row.kelas)}" {stroke}/>'
            )
            parts.append(_text(plot_x + plot_w + 8, y + 14, value_text, extra=weight))
        parts.append("</g>")
    if acuan is not None:
        x = x_of(acuan)
        text = f"{acuan_label or _('Provinsi')}: {format_value(indeks, acuan)}"
        anchor = "end" if x > plot_x + plot_w * 0.6 else "start"
        shift = -4 if anchor == "end" else 4
        parts.append('<g class="acuan">')
        parts.append(
            f'<line x1="{_n(x)}" y1="{top - 16}" x2="{_n(x)}" y2="{plot_bottom}" stroke="{REFERENCE}" '
            f'stroke-width="2" stroke-dasharray="6 3"/>'
        )
        parts.append(_text(x + shift, top - 20, text, anchor=anchor, fill=REFERENCE, extra=' font-size="11"'))
        parts.append("</g>")
    order = _("lebih rendah lebih baik") if compare.lower_is_better(indeks) else _("lebih tinggi lebih baik")
    parts.append(_text(4, 14, f"{indeks}: {order}", fill=MUTED, extra=' font-size="11"'))
    parts.append("</svg>")
    # Every text above went through esc(); numbers and colours are ours.
    return mark_safe("\n".join(parts))  # noqa: S308


def describe(
    rows: Sequence[RankedRow], *, indeks: str, acuan: Decimal | None = None, acuan_label: str = ""
) -> str:
    items = "; ".join(
        f"{r.peringkat}. {r.nama} {format_value(indeks, r.nilai)}" for r in rows if r.nilai is not None
    )
    text = _("Peringkat {indeks} kabupaten/kota: {daftar}.").format(indeks=indeks, daftar=items or "—")
    missing = [r.nama for r in rows if r.nilai is None]
    if missing:
        text += " " + _("Tidak ada data: {daftar}.").format(daftar=", ".join(missing))
    if acuan is not None:
        text += " " + _("Garis putus-putus: {wilayah} {nilai}.").format(
            wilayah=acuan_label or _("Provinsi"), nilai=format_value(indeks, acuan)
        )
    return text


def swatch(colour: str, *, outline: str = OUTLINE, size: int = 14) -> SafeString:
    """A small coloured square for a legend in HTML (decorative: the legend's text carries the meaning)."""
    safe = colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else NO_DATA
    return mark_safe(  # noqa: S308 - colour checked above, numbers are ours
        f'<svg xmlns="http://www.w3.org/2000/svg" class="swatch" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" aria-hidden="true" focusable="false">'
        f'<rect x="0.5" y="0.5" width="{size - 1}" height="{size - 1}" fill="{safe}" '
        f'stroke="{outline}"/></svg>'
    )
