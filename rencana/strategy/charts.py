"""SWOT charts as plain SVG text: the Cartesian SWOT diagram and the internal-external (IE) matrix.

Pure functions of numbers and strings (no database): the caller computes the IFAS/EFAS scores and passes
x = S - W, y = O - T, or the two matrix totals. The rules of `rencana.monitoring.charts` hold, and its
helpers are used: a complete `<svg>` as a `SafeString`, `role="img"` with `<title>` and `<desc>` named
by `aria-labelledby` (the desc states the figures, the quadrant or cell and its strategy, so the chart
is never the only way to read them), data text XML-escaped, presentation attributes only (the CSP
forbids `style=`), coordinates with one decimal so the same input gives the same text.

SWOT diagram (Rangkuti): quadrant I (x > 0, y > 0) agresif / SO, II (x > 0, y < 0) diversifikasi / ST,
III (x < 0, y > 0) turn-around / WO, IV (x < 0, y < 0) defensif / WT. A point on an axis belongs to both
neighbouring quadrants: both are shaded and named. The point at the origin touches all four: all four
are named in the desc and none is shaded (shading everything would say nothing).

IE matrix: columns by IFAS total, strong (>= 3.0) on the left, average (>= 2.0), weak; rows by EFAS total,
high (>= 3.0) on top, medium (>= 2.0), low. A total exactly on 3.0 or 2.0 belongs to the higher band.
Cells I-IX row by row from (high, strong); I, II, IV grow and build, III, V, VII hold and maintain,
VI, VIII, IX harvest or divest.
"""

from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from rencana.core.numbers import format_angka
from rencana.monitoring.charts import GRID, INK, MUTED, _close, _n, _open, _short, _text, esc

POINT_COLOUR = "#1d4e89"  # the diagram's point and the IE matrix point: 8.9:1 on white
PESERTA_COLOUR = "#6f42c1"  # workshop participants' points: 6.2:1 on white
SHADE = "#dbe9f6"  # the quadrant that holds the point (the point colour keeps 7:1 on it)
BOLD = ' font-weight="bold"'
# A white halo under a point's label keeps it readable across grid lines and cell borders.
HALO = ' paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round"'
SMALL = ' font-size="10"'

QUADRANTS = ("I", "II", "III", "IV")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")

# IE matrix strategy groups, by cell number.
TUMBUH, PERTAHANKAN, PANEN = "tumbuh", "pertahankan", "panen"
IE_GROUP: Mapping[str, str] = {
    "I": TUMBUH,
    "II": TUMBUH,
    "IV": TUMBUH,
    "III": PERTAHANKAN,
    "V": PERTAHANKAN,
    "VII": PERTAHANKAN,
    "VI": PANEN,
    "VIII": PANEN,
    "IX": PANEN,
}
# Light fills: black text keeps over 12:1 on each; the legend names the cells, so colour is not needed.
IE_COLOURS: Mapping[str, str] = {TUMBUH: "#cdeed6", PERTAHANKAN: "#fbeaa9", PANEN: "#f9d3cf"}
IE_MIN, IE_MAX = Decimal(1), Decimal(4)
IE_BOUNDS = (Decimal(3), Decimal(2))  # lower bounds of the upper two bands, inclusive


def _finite(name: str, value: Decimal) -> Decimal:
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{name} harus angka terhingga, bukan {value}.")
    return value


def _dot(cx: float, cy: float) -> str:
    """The main point: a dark disc with a white ring, visible on any fill."""
    return (
        f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="6" fill="{POINT_COLOUR}" stroke="#ffffff" '
        f'stroke-width="1.5"/>'
    )


def _coords(x: Decimal, y: Decimal) -> str:
    return f"({format_angka(x, 2)}; {format_angka(y, 2)})"


# --------------------------------------------------------------------------------------------
# (a) The Cartesian SWOT diagram


def _strategy(quadrant: str) -> str:
    return {
        "I": _("Agresif (SO)"),
        "II": _("Diversifikasi (ST)"),
        "III": _("Turn-around (WO)"),
        "IV": _("Defensif (WT)"),
    }[quadrant]


def _quadrants(x: Decimal, y: Decimal) -> tuple[str, ...]:
    """The quadrants whose closed area holds (x, y): one, two on an axis, four at the origin."""
    by_x = {"I", "II"} if x > 0 else {"III", "IV"} if x < 0 else set(QUADRANTS)
    by_y = {"I", "III"} if y > 0 else {"II", "IV"} if y < 0 else set(QUADRANTS)
    return tuple(q for q in QUADRANTS if q in by_x and q in by_y)


def _swot_scale(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """(axis maximum, tick step): at least 1, the largest |value| rounded up to at most 5 ticks of a step
    0.5, 1, 2, 5, 10, 20, 50, ..."""
    top = max([Decimal(1), *(abs(v) for v in values)])
    candidates = [Decimal("0.5")]
    magnitude = Decimal(1)
    while True:
        candidates += [magnitude, 2 * magnitude, 5 * magnitude]
        for step in candidates:
            ticks = (top / step).to_integral_value(rounding=ROUND_CEILING)
            if ticks <= 5:
                return ticks * step, step
        candidates = []
        magnitude *= 10


def swot_diagram(
    x: Decimal,
    y: Decimal,
    *,
    title: str = "",
    points: Sequence[tuple[str, Decimal, Decimal]] = (),
    chart_id: str = "diagram-swot",
) -> SafeString:
    """The SWOT diagram with the point (x, y) = (S - W, O - T), the quadrant holding it shaded.

    `points` adds smaller labelled points, e.g. one per workshop participant. The scale is symmetric
    and the same on both axes, chosen from all the points (at least +-1). An empty `title` gives
    "Diagram SWOT"; `chart_id` must be unique on the page.
    """
    x, y = _finite("x", x), _finite("y", y)
    extra = [(label, _finite("x", px), _finite("y", py)) for label, px, py in points]
    axis_max, step = _swot_scale([x, y, *(v for _label, px, py in extra for v in (px, py))])
    tick_decimals = 0 if step >= 1 else 1

    size, left, top = 420, 110, 50
    width = left + size + 110
    right, bottom = left + size, top + size
    cx, cy, half = left + size / 2, top + size / 2, size / 2
    height = bottom + 76 + (22 if extra else 0)

    def x_of(value: Decimal) -> float:
        return cx + half * float(value / axis_max)

    def y_of(value: Decimal) -> float:
        return cy - half * float(value / axis_max)

    holding = _quadrants(x, y)
    shaded = holding if len(holding) < 4 else ()
    parts = _open(
        chart_id, width, height, title or _("Diagram SWOT"), _describe_swot(x, y, holding, extra, axis_max)
    )

    # Quadrants: white, the one holding the point shaded.
    corners = {"I": (cx, top), "II": (cx, cy), "III": (left, top), "IV": (left, cy)}
    parts.append('<g class="kuadran">')
    for quadrant in QUADRANTS:
        qx, qy = corners[quadrant]
        mark = quadrant in shaded
        parts.append(
            f'<rect class="{"kuadran terpilih" if mark else "kuadran"}" data-kuadran="{quadrant}" '
            f'x="{_n(qx)}" y="{_n(qy)}" width="{_n(half)}" height="{_n(half)}" '
            f'fill="{SHADE if mark else "#ffffff"}" stroke="{GRID}" stroke-width="1"/>'
        )
    parts.append("</g>")

    # Grid and ticks every `step`, labelled on the axes.
    parts.append(f'<g class="sumbu"{SMALL}>')
    count = int(axis_max / step)
    for index in range(-count, count + 1):
        if index == 0:
            continue
        value = step * index
        gx, gy = x_of(value), y_of(value)
        parts.append(
            f'<line x1="{_n(gx)}" y1="{top}" x2="{_n(gx)}" y2="{bottom}" stroke="{GRID}" stroke-width="1" '
            f'stroke-dasharray="3 3"/>'
        )
        parts.append(
            f'<line x1="{left}" y1="{_n(gy)}" x2="{right}" y2="{_n(gy)}" stroke="{GRID}" stroke-width="1" '
            f'stroke-dasharray="3 3"/>'
        )
        label = format_angka(value, tick_decimals)
        # The outermost labels lean inwards, clear of the arrowheads and the axis names.
        x_anchor = "middle" if abs(index) < count else "end" if index > 0 else "start"
        parts.append(_text(gx, cy + 14, label, anchor=x_anchor, fill=MUTED))
        parts.append(_text(cx - 6, gy + 3.5, label, anchor="end", fill=MUTED))
    parts.append(_text(cx - 6, cy + 14, "0", anchor="end", fill=MUTED))
    parts.append(
        f'<line x1="{left}" y1="{_n(cy)}" x2="{right}" y2="{_n(cy)}" stroke="{INK}" stroke-width="1.5"/>'
    )
    parts.append(
        f'<line x1="{_n(cx)}" y1="{top}" x2="{_n(cx)}" y2="{bottom}" stroke="{INK}" stroke-width="1.5"/>'
    )
    arrows = (
        (right, cy, right - 8, cy - 4, right - 8, cy + 4),
        (left, cy, left + 8, cy - 4, left + 8, cy + 4),
        (cx, top, cx - 4, top + 8, cx + 4, top + 8),
        (cx, bottom, cx - 4, bottom - 8, cx + 4, bottom - 8),
    )
    for ax, ay, bx, by, dx, dy in arrows:
        parts.append(
            f'<polygon points="{_n(ax)},{_n(ay)} {_n(bx)},{_n(by)} {_n(dx)},{_n(dy)}" fill="{INK}"/>'
        )
    parts.append("</g>")

    # Axis ends and quadrant names, outside the plot so no point can hide them.
    parts.append('<g class="label">')
    parts.append(_text(right + 10, cy + 4, _("Kekuatan"), extra=BOLD))
    parts.append(_text(left - 10, cy + 4, _("Kelemahan"), anchor="end", extra=BOLD))
    parts.append(_text(cx, top - 14, _("Peluang"), anchor="middle", extra=BOLD))
    parts.append(_text(cx, bottom + 26, _("Ancaman"), anchor="middle", extra=BOLD))
    names = {"I": (right, top - 30, "end"), "III": (left, top - 30, "start")}
    names |= {"II": (right, bottom + 20, "end"), "IV": (left, bottom + 20, "start")}
    for quadrant in QUADRANTS:
        nx, ny, anchor = names[quadrant]
        weight = BOLD if quadrant in shaded else ""
        parts.append(
            f'<g class="nama-kuadran" data-kuadran="{quadrant}">'
            + _text(nx, ny, _("Kuadran {nomor}").format(nomor=quadrant), anchor=anchor, extra=weight)
            + _text(nx, ny + 16, _strategy(quadrant), anchor=anchor, extra=weight)
            + "</g>"
        )
    parts.append(
        _text(
            cx,
            bottom + 62,
            _("Mendatar: faktor internal (S - W). Tegak: faktor eksternal (O - T)."),
            anchor="middle",
            fill=MUTED,
            extra=' font-size="11"',
        )
    )
    parts.append("</g>")

    # Participants' points first, so the main point stays on top.
    if extra:
        parts.append('<g class="titik-peserta">')
        for label, ex, ey in extra:
            sx, sy = x_of(ex), y_of(ey)
            anchor, tx = ("end", sx - 7) if sx > cx + half / 2 else ("start", sx + 7)
            parts.append(
                f"<g><title>{esc(label)}: {esc(_coords(ex, ey))}</title>"
                f'<circle cx="{_n(sx)}" cy="{_n(sy)}" r="3.5" fill="{PESERTA_COLOUR}"/>'
                + _text(
                    tx, sy + 3.5, _short(label, 24), anchor=anchor, fill=PESERTA_COLOUR, extra=SMALL + HALO
                )
                + "</g>"
            )
        parts.append("</g>")
    px, py = x_of(x), y_of(y)
    anchor, tx = ("end", px - 10) if px > cx + half / 2 else ("start", px + 10)
    ty = py + 20 if py < top + 20 else py - 10
    where = ", ".join(holding) if len(holding) < 4 else "-"
    tooltip = _("Posisi {koordinat}, kuadran {kuadran}").format(koordinat=_coords(x, y), kuadran=where)
    parts.append(
        f'<g class="titik"><title>{esc(tooltip)}</title>{_dot(px, py)}'
        + _text(tx, ty, _coords(x, y), anchor=anchor, fill=POINT_COLOUR, extra=BOLD + HALO)
        + "</g>"
    )
    if extra:
        legend_y = bottom + 86
        parts.append('<g class="legenda" font-size="11">')
        parts.append(f'<circle cx="{left + 6}" cy="{legend_y - 4}" r="6" fill="{POINT_COLOUR}"/>')
        parts.append(_text(left + 16, legend_y, _("Posisi hasil (x = S - W; y = O - T)")))
        parts.append(f'<circle cx="{left + 256}" cy="{legend_y - 4}" r="3.5" fill="{PESERTA_COLOUR}"/>')
        parts.append(_text(left + 266, legend_y, _("Posisi tiap peserta"), fill=PESERTA_COLOUR))
        parts.append("</g>")
    return _close(parts)


def _describe_swot(
    x: Decimal,
    y: Decimal,
    holding: tuple[str, ...],
    extra: Sequence[tuple[str, Decimal, Decimal]],
    axis_max: Decimal,
) -> str:
    parts = [
        _(
            "Diagram SWOT kartesius. Sumbu mendatar: faktor internal, kekuatan dikurangi kelemahan "
            "(S - W) = {x}; sumbu tegak: faktor eksternal, peluang dikurangi ancaman (O - T) = {y}."
        ).format(x=format_angka(x, 2), y=format_angka(y, 2))
    ]
    if len(holding) == 1:
        parts.append(
            _("Titik berada di kuadran {nomor}: strategi {strategi}.").format(
                nomor=holding[0], strategi=_strategy(holding[0])
            )
        )
    elif len(holding) == 2:
        first, second = holding
        parts.append(
            _("Titik berada pada sumbu, di antara kuadran {a} ({strategi_a}) dan {b} ({strategi_b}).").format(
                a=first, strategi_a=_strategy(first), b=second, strategi_b=_strategy(second)
            )
        )
    else:
        parts.append(
            _("Titik berada di pusat diagram, di antara keempat kuadran: {daftar}.").format(
                daftar="; ".join(f"{q} {_strategy(q)}" for q in QUADRANTS)
            )
        )
    parts.append(_("Skala kedua sumbu dari -{batas} sampai {batas}.").format(batas=format_angka(axis_max, 1)))
    if extra:
        items = "; ".join(f"{label} {_coords(px, py)}" for label, px, py in extra)
        parts.append(_("Posisi tiap peserta: {daftar}.").format(daftar=items))
    return " ".join(parts)


# --------------------------------------------------------------------------------------------
# (b) The internal-external (IE) matrix


def _band(total: Decimal) -> int:
    """0 for the top band (>= 3.0), 1 for the middle (>= 2.0), 2 for the bottom."""
    return next((index for index, bound in enumerate(IE_BOUNDS) if total >= bound), len(IE_BOUNDS))


def _ie_group_label(group: str) -> str:
    return {
        TUMBUH: _("Tumbuh dan bina"),
        PERTAHANKAN: _("Pertahankan dan pelihara"),
        PANEN: _("Panen atau divestasi"),
    }[group]


def _columns() -> tuple[str, str, str]:
    return _("Kuat"), _("Rata-rata"), _("Lemah")


def _rows() -> tuple[str, str, str]:
    return _("Tinggi"), _("Menengah"), _("Rendah")


def ie_matrix(
    ifas_total: Decimal, efas_total: Decimal, *, title: str = "", chart_id: str = "matriks-ie"
) -> SafeString:
    """The 3x3 IE matrix with the point (IFAS total, EFAS total) plotted and its cell outlined.

    Totals outside 1.0-4.0 are drawn at the nearest edge and the desc says so. An empty `title` gives
    "Matriks internal-eksternal (IE)"; `chart_id` must be unique on the page.
    """
    ifas, efas = _finite("ifas_total", ifas_total), _finite("efas_total", efas_total)
    ifas_in, efas_in = min(max(ifas, IE_MIN), IE_MAX), min(max(efas, IE_MIN), IE_MAX)
    column, row = _band(ifas_in), _band(efas_in)
    cell = ROMAN[row * 3 + column]

    left, top, cell_w, cell_h = 130, 72, 130, 100
    plot_w, plot_h = 3 * cell_w, 3 * cell_h
    width, height = left + plot_w + 40, top + plot_h + 110
    span = float(IE_MAX - IE_MIN)

    def x_of(total: Decimal) -> float:
        return left + plot_w * float(IE_MAX - total) / span

    def y_of(total: Decimal) -> float:
        return top + plot_h * float(IE_MAX - total) / span

    desc = _describe_ie(ifas, efas, ifas_in, efas_in, cell, column, row)
    parts = _open(chart_id, width, height, title or _("Matriks internal-eksternal (IE)"), desc)

    # Cells coloured by strategy group, numbered.
    parts.append('<g class="sel">')
    for index, number in enumerate(ROMAN):
        r, c = divmod(index, 3)
        sx, sy = left + c * cell_w, top + r * cell_h
        group = IE_GROUP[number]
        group_label = _ie_group_label(group)
        parts.append(
            f'<g data-sel="{number}" data-strategi="{group}">'
            f"<title>{esc(_('Sel {nomor}: {strategi}').format(nomor=number, strategi=group_label))}</title>"
            f'<rect x="{sx}" y="{sy}" width="{cell_w}" height="{cell_h}" fill="{IE_COLOURS[group]}" '
            f'stroke="#ffffff" stroke-width="2"/>'
            + _text(sx + 10, sy + 24, number, extra=' font-size="16" font-weight="bold"')
            + "</g>"
        )
    parts.append("</g>")

    # Axes: IFAS across the top (4.0 on the left), EFAS down the left side (4.0 on top).
    parts.append('<g class="sumbu">')
    parts.append(_text(left + plot_w / 2, 18, _("Total skor IFAS"), anchor="middle", extra=BOLD))
    parts.append(_text(10, top - 8, _("Total skor EFAS"), extra=BOLD))
    for index, name in enumerate(_columns()):
        parts.append(_text(left + (index + 0.5) * cell_w, 40, name, anchor="middle", extra=BOLD))
    for index, name in enumerate(_rows()):
        parts.append(_text(left - 36, top + (index + 0.5) * cell_h + 4, name, anchor="end", extra=BOLD))
    for value in range(4, 0, -1):
        tick = Decimal(value)
        parts.append(
            _text(x_of(tick), top - 8, format_angka(tick, 1), anchor="middle", fill=MUTED, extra=SMALL)
        )
        parts.append(
            _text(left - 6, y_of(tick) + 3.5, format_angka(tick, 1), anchor="end", fill=MUTED, extra=SMALL)
        )
    parts.append(
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{MUTED}" '
        f'stroke-width="1"/>'
    )
    parts.append("</g>")

    # The point's cell outlined, then the point.
    parts.append(
        f'<rect class="sel-terpilih" data-sel="{cell}" x="{left + column * cell_w + 1.5}" '
        f'y="{top + row * cell_h + 1.5}" width="{cell_w - 3}" height="{cell_h - 3}" fill="none" '
        f'stroke="{INK}" stroke-width="3"/>'
    )
    px, py = x_of(ifas_in), y_of(efas_in)
    # The label in two short lines under the point (above it near the bottom edge), kept inside the matrix.
    tx = min(max(px, left + 40.0), left + plot_w - 40.0)
    ty = py + 22 if py < top + plot_h - 40 else py - 26
    ifas_text, efas_text = f"IFAS {format_angka(ifas, 2)}", f"EFAS {format_angka(efas, 2)}"
    label_extra = BOLD + HALO
    parts.append(
        f'<g class="titik"><title>{esc(ifas_text)}; {esc(efas_text)}: '
        f"{esc(_('sel {nomor}').format(nomor=cell))}</title>{_dot(px, py)}"
        + _text(tx, ty, ifas_text, anchor="middle", fill=POINT_COLOUR, extra=label_extra)
        + _text(tx, ty + 14, efas_text, anchor="middle", fill=POINT_COLOUR, extra=label_extra)
        + "</g>"
    )

    # Legend: the groups with their cells in text, so colour is not needed.
    parts.append('<g class="legenda" font-size="11">')
    legend_top = top + plot_h + 24
    for index, group in enumerate((TUMBUH, PERTAHANKAN, PANEN)):
        ly = legend_top + index * 20
        cells = ", ".join(number for number in ROMAN if IE_GROUP[number] == group)
        parts.append(
            f'<rect x="{left}" y="{ly - 10}" width="12" height="12" fill="{IE_COLOURS[group]}" '
            f'stroke="{MUTED}" stroke-width="1"/>'
        )
        parts.append(_text(left + 18, ly, f"{_ie_group_label(group)}: {cells}"))
    parts.append(
        _text(
            left,
            legend_top + 62,
            _("Total tepat 3,0 atau 2,0 masuk kelompok yang lebih tinggi."),
            fill=MUTED,
        )
    )
    parts.append("</g>")
    return _close(parts)


def _describe_ie(
    ifas: Decimal,
    efas: Decimal,
    ifas_in: Decimal,
    efas_in: Decimal,
    cell: str,
    column: int,
    row: int,
) -> str:
    parts = [
        _(
            "Matriks internal-eksternal (IE). Total skor IFAS {ifas} ({kolom}), total skor EFAS {efas} "
            "({baris}): sel {nomor}, strategi {strategi}."
        ).format(
            ifas=format_angka(ifas, 2),
            kolom=_columns()[column],
            efas=format_angka(efas, 2),
            baris=_rows()[row],
            nomor=cell,
            strategi=_ie_group_label(IE_GROUP[cell]),
        )
    ]
    for name, value, drawn in (("IFAS", ifas, ifas_in), ("EFAS", efas, efas_in)):
        if value != drawn:
            parts.append(
                _("Total skor {nama} {nilai} di luar rentang 1,0–4,0; titik digambar pada {batas}.").format(
                    nama=name, nilai=format_angka(value, 2), batas=format_angka(drawn, 1)
                )
            )
    return " ".join(parts)
