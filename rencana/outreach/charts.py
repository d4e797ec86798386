"""Charts of outreach results as plain SVG text: no database, no JavaScript, no inline CSS.

Same rules as `rencana.monitoring.charts`:
- Accessible: `role="img"`, a `<title>` and a `<desc>` referenced by `aria-labelledby`; the results page shows
  the same figures in tables, so a chart is never the only way to read them. Every bar carries its value as
  text, and the two series differ in shade and in the label written beside them, not only in colour.
- Safe: every text that comes from data (statements) is XML-escaped and stripped of characters XML cannot
  hold; styling uses SVG presentation attributes only (the CSP forbids `style=`).
- Deterministic: the same input gives the same text (coordinates with one decimal).

Charts: `knowledge_bars` (before and after % per knowledge item), `likert_means` (mean per Likert item on
the 1–5 scale, with the overall mean as a line) and `likert_distribution` (100 % bars of the answers 1..5).
"""

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rencana.core.numbers import format_angka

INK = "#1b1f24"
MUTED = "#59636e"
GRID = "#d0d7de"
BEFORE_COLOUR = "#8c959f"  # grey: before
AFTER_COLOUR = "#1d4e89"  # dark blue: after
MEAN_COLOUR = "#1a7f37"
OVERALL_COLOUR = "#b35c00"
# Answers 1..5, from the lowest (red) to the highest (dark green); white text on all but the middle.
LIKERT_COLOURS = ("#b42318", "#e8833a", "#d0d7de", "#4c9a5d", "#0f5323")
LIKERT_TEXT = ("#ffffff", INK, INK, "#ffffff", "#ffffff")

FONT = "system-ui, sans-serif"
LABEL_CHARS = 42

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID = re.compile(r"[^A-Za-z0-9_-]")


def esc(text: object) -> str:
    """`text` safe inside an XML element or a double-quoted attribute."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else format_angka(value, 2) + "%"


def _num(value: Decimal | None) -> str:
    return "—" if value is None else format_angka(value, 2)


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    ident = _ID.sub("-", chart_id) or "grafik"
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


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK, size: int = 0) -> str:
    extra = f' font-size="{size}"' if size else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{fill}"{extra}>{esc(text)}</text>'


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


# --- knowledge: before and after ---------------------------------------------------------------------


@dataclass(frozen=True)
class KnowledgeBar:
    label: str  # "1. Saya memahami ..."
    sebelum: Decimal | None  # percent, rounded
    sesudah: Decimal | None


def knowledge_bars(
    rows: Sequence[KnowledgeBar], *, title: str, desc: str = "", chart_id: str = "grafik-pengetahuan"
) -> SafeString:
    """Two horizontal bars per knowledge item on a 0–100 % axis: before (grey, upper) and after (blue)."""
    width, label_w, right_w, row_h, top, bottom = 760, 300, 70, 40, 44, 28
    plot_x = label_w + 10
    plot_w = width - plot_x - right_w
    height = top + max(len(rows), 1) * row_h + bottom
    plot_bottom = top + max(len(rows), 1) * row_h

    def x_of(value: Decimal) -> float:
        return plot_x + plot_w * _clamp(float(value), 0.0, 100.0) / 100

    parts = _open(chart_id, width, height, title, desc or _describe_knowledge(rows))
    parts.append('<g class="legenda">')
    parts.append(f'<rect x="{plot_x}" y="8" width="12" height="12" fill="{BEFORE_COLOUR}"/>')
    parts.append(_text(plot_x + 17, 18, _("Sebelum (batang atas)")))
    parts.append(f'<rect x="{plot_x + 190}" y="8" width="12" height="12" fill="{AFTER_COLOUR}"/>')
    parts.append(_text(plot_x + 207, 18, _("Sesudah (batang bawah)")))
    parts.append("</g>")
    parts.append('<g class="sumbu" font-size="10">')
    for tick in (0, 25, 50, 75, 100):
        x = x_of(Decimal(tick))
        parts.append(
            f'<line x1="{_n(x)}" y1="{top - 6}" x2="{_n(x)}" y2="{plot_bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(x, plot_bottom + 14, f"{tick}%", anchor="middle", fill=MUTED))
    parts.append("</g>")
    if not rows:
        parts.append(_text(plot_x + 8, top + 22, _("Belum ada data."), fill=MUTED))
    for index, row in enumerate(rows):
        y = top + index * row_h
        parts.append('<g class="butir">')
        parts.append(
            f"<title>{esc(row.label)}: {esc(_('sebelum'))} {esc(_pct(row.sebelum))}, "
            f"{esc(_('sesudah'))} {esc(_pct(row.sesudah))}</title>"
        )
        parts.append(_text(label_w, y + 23, _short(row.label), anchor="end", size=11))
        for offset, value, colour in ((4, row.sebelum, BEFORE_COLOUR), (20, row.sesudah, AFTER_COLOUR)):
            if value is not None:
                bar_w = max(x_of(value) - plot_x, 1.0)
                parts.append(
                    f'<rect x="{plot_x}" y="{y + offset}" width="{_n(bar_w)}" height="14" fill="{colour}"/>'
                )
                parts.append(_text(plot_x + bar_w + 4, y + offset + 11, _pct(value), fill=INK, size=10))
            else:
                parts.append(_text(plot_x + 4, y + offset + 11, "—", fill=MUTED, size=10))
        parts.append("</g>")
    return _close(parts)


def _describe_knowledge(rows: Sequence[KnowledgeBar]) -> str:
    items = "; ".join(
        _("{butir}: sebelum {sebelum}, sesudah {sesudah}").format(
            butir=row.label, sebelum=_pct(row.sebelum), sesudah=_pct(row.sesudah)
        )
        for row in rows
    )
    return _("Persen peserta yang menjawab ya, dibulatkan 2 desimal: {daftar}.").format(daftar=items or "—")


# --- Likert: means -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LikertBar:
    label: str
    mean: Decimal | None  # 1–5, rounded


def likert_means(
    rows: Sequence[LikertBar],
    *,
    overall: Decimal | None,
    title: str,
    desc: str = "",
    chart_id: str = "grafik-kepuasan",
) -> SafeString:
    """One bar per Likert item from 1 to its mean on the 1–5 scale; the overall mean as a dashed line."""
    width, label_w, right_w, row_h, top, bottom = 760, 300, 60, 28, 40, 30
    plot_x = label_w + 10
    plot_w = width - plot_x - right_w
    height = top + max(len(rows), 1) * row_h + bottom
    plot_bottom = top + max(len(rows), 1) * row_h

    def x_of(value: Decimal) -> float:
        return plot_x + plot_w * (_clamp(float(value), 1.0, 5.0) - 1) / 4

    parts = _open(chart_id, width, height, title, desc or _describe_means(rows, overall))
    parts.append('<g class="sumbu" font-size="10">')
    for tick in (1, 2, 3, 4, 5):
        x = x_of(Decimal(tick))
        parts.append(
            f'<line x1="{_n(x)}" y1="{top - 6}" x2="{_n(x)}" y2="{plot_bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(x, plot_bottom + 14, str(tick), anchor="middle", fill=MUTED))
    parts.append("</g>")
    if not rows:
        parts.append(_text(plot_x + 8, top + 18, _("Belum ada data."), fill=MUTED))
    for index, row in enumerate(rows):
        y = top + index * row_h
        parts.append('<g class="butir">')
        parts.append(f"<title>{esc(row.label)}: {esc(_num(row.mean))}</title>")
        parts.append(_text(label_w, y + 18, _short(row.label), anchor="end", size=11))
        if row.mean is not None:
            bar_w = max(x_of(row.mean) - plot_x, 1.0)
            parts.append(
                f'<rect x="{plot_x}" y="{y + 6}" width="{_n(bar_w)}" height="16" fill="{MEAN_COLOUR}"/>'
            )
            parts.append(_text(plot_x + bar_w + 4, y + 18, _num(row.mean), size=11))
        else:
            parts.append(_text(plot_x + 4, y + 18, "—", fill=MUTED, size=11))
        parts.append("</g>")
    if overall is not None:
        x = x_of(overall)
        parts.append('<g class="rata-rata-keseluruhan">')
        parts.append(
            f'<line x1="{_n(x)}" y1="{top - 8}" x2="{_n(x)}" y2="{plot_bottom}" stroke="{OVERALL_COLOUR}" '
            'stroke-width="2" stroke-dasharray="5 3"/>'
        )
        parts.append(
            _text(
                x,
                top - 12,
                _("rata-rata keseluruhan {nilai}").format(nilai=_num(overall)),
                anchor="end" if x > plot_x + plot_w / 2 else "start",
                fill=OVERALL_COLOUR,
                size=11,
            )
        )
        parts.append("</g>")
    return _close(parts)


def _describe_means(rows: Sequence[LikertBar], overall: Decimal | None) -> str:
    items = "; ".join(f"{row.label}: {_num(row.mean)}" for row in rows)
    return _(
        "Rata-rata skala 1–5 per butir, dibulatkan 2 desimal: {daftar}. Rata-rata keseluruhan {nilai}."
    ).format(daftar=items or "—", nilai=_num(overall))


# --- Likert: distribution ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LikertDistribution:
    label: str
    counts: tuple[int, ...]  # answers 1, 2, 3, 4, 5


def likert_distribution(
    rows: Sequence[LikertDistribution], *, title: str, desc: str = "", chart_id: str = "grafik-sebaran"
) -> SafeString:
    """A 100 % bar per item split into the answers 1..5, each segment with its count; a legend below."""
    width, label_w, right_w, row_h, top, bottom = 760, 300, 50, 28, 10, 44
    plot_x = label_w + 10
    plot_w = width - plot_x - right_w
    plot_bottom = top + max(len(rows), 1) * row_h
    height = plot_bottom + bottom
    parts = _open(chart_id, width, height, title, desc or _describe_distribution(rows))
    if not rows:
        parts.append(_text(plot_x + 8, top + 18, _("Belum ada data."), fill=MUTED))
    for index, row in enumerate(rows):
        y = top + index * row_h
        total = sum(row.counts)
        parts.append('<g class="butir">')
        parts.append(
            f"<title>{esc(row.label)}: "
            + esc(
                "; ".join(f"{score}: {count}" for score, count in zip(range(1, 6), row.counts, strict=False))
            )
            + "</title>"
        )
        parts.append(_text(label_w, y + 18, _short(row.label), anchor="end", size=11))
        if total == 0:
            parts.append(
                f'<rect x="{plot_x}" y="{y + 5}" width="{plot_w}" height="18" fill="none" stroke="{GRID}"/>'
            )
            parts.append(_text(plot_x + 6, y + 18, _("belum ada jawaban"), fill=MUTED, size=10))
        x = float(plot_x)
        for score, count in enumerate(row.counts[:5], start=1):
            if count == 0 or total == 0:
                continue
            w = plot_w * count / total
            parts.append(
                f'<rect x="{_n(x)}" y="{y + 5}" width="{_n(w)}" height="18" '
                f'fill="{LIKERT_COLOURS[score - 1]}" stroke="#ffffff" stroke-width="1"/>'
            )
            if w >= 18:
                parts.append(
                    _text(
                        x + w / 2, y + 18, str(count), anchor="middle", fill=LIKERT_TEXT[score - 1], size=10
                    )
                )
            x += w
        parts.append(_text(plot_x + plot_w + 6, y + 18, f"n={total}", fill=MUTED, size=10))
        parts.append("</g>")
    parts.append('<g class="legenda" font-size="11">')
    column_w = plot_w / 5
    for score in range(1, 6):
        lx = plot_x + (score - 1) * column_w
        parts.append(
            f'<rect x="{_n(lx)}" y="{plot_bottom + 14}" width="10" height="10" '
            f'fill="{LIKERT_COLOURS[score - 1]}" stroke="{MUTED}" stroke-width="0.5"/>'
        )
        label = _("jawaban {nilai}").format(nilai=score)
        parts.append(_text(lx + 14, plot_bottom + 23, label))
    parts.append(_text(plot_x, plot_bottom + 40, _("1 = terendah, 5 = tertinggi"), fill=MUTED, size=10))
    parts.append("</g>")
    return _close(parts)


def _describe_distribution(rows: Sequence[LikertDistribution]) -> str:
    items = "; ".join(
        "{label}: {counts}".format(
            label=row.label,
            counts=", ".join(
                f"{score}={count}" for score, count in zip(range(1, 6), row.counts, strict=False)
            ),
        )
        for row in rows
    )
    return _("Jumlah jawaban 1 sampai 5 per butir: {daftar}.").format(daftar=items or "—")
