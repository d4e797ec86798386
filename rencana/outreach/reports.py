"""Results of an outreach event as a page, an XLSX workbook and a PDF report with charts.

`presentation(results)` turns `selectors.event_results` into what the results page and the PDF show:

- Pengetahuan (knowledge), one row per yes/no item: sebelum %, sesudah %, gain (points), normalized gain g
  with Hake's band (or why g is undefined), the number of answers, McNemar's exact test (b = ya→tidak,
  c = tidak→ya, two-sided p, "bermakna" when p < 0,05) when individual answers exist, and where the figures
  come from (individual answers or a published table); then the averages (`stats.summarize_gains`).
- Kepuasan (satisfaction), one row per 1–5 Likert item: n, the distribution of the answers 1..5 when
  individual answers exist, and the mean; then the overall mean (mean of the item means) and the pooled
  distribution.
- The charts (`charts`): before/after bars, Likert means with the overall mean, and the distribution when
  there are individual answers.

Rounding: 2 decimals ROUND_HALF_UP (p-values 4 decimals), as `stats` computes them; the note is printed under
the tables. The XLSX has sheets Kegiatan, Pengetahuan and Kepuasan with numbers as numbers; no personal data
(participants are only counted). The PDF is portrait A4 via WeasyPrint with the charts inline, fetching
nothing; without WeasyPrint's system libraries it raises `monitoring.reports.PdfUnavailableError` naming the
Debian packages to install (the page shows the message, never a 500).
"""

import datetime
import io
import logging
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rencana.core.dates import format_tanggal
from rencana.core.numbers import format_angka
from rencana.monitoring.reports import DEBIAN_PDF_PACKAGES, PdfUnavailableError
from rencana.outreach import charts, stats
from rencana.outreach.selectors import EventResults

PDF_TYPE = "application/pdf"
SIGNIFICANCE = Fraction(5, 100)
SMALLEST_P = Decimal("0.0001")
FMT_FIGURE = "0.00"
FMT_P = "0.0000"


def kategori_label(kategori: str | None) -> str:
    return {stats.TINGGI: _("tinggi"), stats.SEDANG: _("sedang"), stats.RENDAH: _("rendah")}.get(
        kategori or "", ""
    )


def alasan_label(alasan: str | None) -> str:
    return {
        stats.ALASAN_SEBELUM_100: _("tidak terdefinisi: sebelum 100%"),
        stats.ALASAN_TANPA_DATA: _("belum ada angka sebelum dan sesudah"),
    }.get(alasan or "", "")


def sumber_label(sumber: str) -> str:
    return {
        stats.SUMBER_JAWABAN: _("jawaban peserta"),
        stats.SUMBER_AGREGAT: _("angka terbitan (agregat)"),
        stats.SUMBER_KOSONG: _("belum diisi"),
    }.get(sumber, sumber)


def num(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else format_angka(value, places)


def pct(value: Decimal | None) -> str:
    return "—" if value is None else format_angka(value, 2) + "%"


def p_text(test: stats.McNemar | None) -> str:
    if test is None:
        return "—"
    if test.p < SMALLEST_P:
        return "< " + format_angka(SMALLEST_P, 4)
    return format_angka(test.p, 4)


def _n_text(first: int | None, second: int | None) -> str:
    if first is None and second is None:
        return "—"
    if first == second:
        return str(first)
    return f"{first if first is not None else '—'} / {second if second is not None else '—'}"


@dataclass(frozen=True)
class Presentation:
    knowledge: list[dict[str, Any]]
    summary: dict[str, Any]
    likert: list[dict[str, Any]]
    overall: dict[str, Any]
    charts: list[tuple[str, Any]]  # (caption, SVG)
    notes: list[str]


def presentation(results: EventResults) -> Presentation:
    knowledge = []
    for row in results.knowledge:
        r, g = row.result, row.result.gain
        test = r.mcnemar
        knowledge.append(
            {
                "item": row.item,
                "nomor": row.item.nomor,
                "pernyataan": row.item.pernyataan,
                "sebelum": pct(g.sebelum),
                "sesudah": pct(g.sesudah),
                "gain": num(g.gain),
                "g": num(g.g) if g.g is not None else "—",
                "kategori": kategori_label(g.kategori),
                "alasan": alasan_label(g.alasan) if g.g is None else "",
                "n": _n_text(r.n_sebelum, r.n_sesudah),
                "mcnemar": test,
                "p": p_text(test),
                "bermakna": test is not None and test.p_exact < SIGNIFICANCE,
                "sumber": sumber_label(r.sumber),
                "raw": r,
            }
        )
    s = results.summary
    summary = {
        "butir": s.butir,
        "sebelum": pct(s.sebelum),
        "sesudah": pct(s.sesudah),
        "gain": num(s.gain),
        "g": num(s.g),
        "g_butir": s.g_butir,
        "g_kategori": kategori_label(s.g_kategori),
        "g_kelas": num(s.g_kelas),
        "g_kelas_kategori": kategori_label(s.g_kelas_kategori),
    }
    likert = []
    for lrow in results.likert:
        lr = lrow.result
        likert.append(
            {
                "item": lrow.item,
                "nomor": lrow.item.nomor,
                "pernyataan": lrow.item.pernyataan,
                "n": "—" if lr.n is None else str(lr.n),
                "distribusi": list(zip(lr.distribusi, lr.persen, strict=True))
                if lr.distribusi is not None and lr.persen is not None
                else None,
                "rata_rata": num(lr.rata_rata),
                "sumber": sumber_label(lr.sumber),
            }
        )
    o = results.overall
    overall = {
        "butir": o.butir,
        "rata_rata": num(o.rata_rata),
        "rata_rata_exact": o.rata_rata_exact,
        "distribusi": list(zip(o.distribusi, o.persen, strict=True))
        if o.distribusi is not None and o.persen is not None
        else None,
        "item_means": " + ".join(
            num(row.result.rata_rata) for row in results.likert if row.result.rata_rata is not None
        ),
        "exact_text": format_angka(
            Decimal(o.rata_rata_exact.numerator) / Decimal(o.rata_rata_exact.denominator), 4
        )
        if o.rata_rata_exact is not None
        else "—",
    }
    chart_list: list[tuple[str, Any]] = []
    if results.knowledge:
        caption = _("Pengetahuan sebelum dan sesudah kegiatan (% peserta menjawab ya)")
        chart_list.append(
            (
                caption,
                charts.knowledge_bars(
                    [
                        charts.KnowledgeBar(
                            f"{row.item.nomor}. {row.item.pernyataan}",
                            row.result.gain.sebelum,
                            row.result.gain.sesudah,
                        )
                        for row in results.knowledge
                    ],
                    title=caption,
                ),
            )
        )
    if results.likert:
        caption = _("Kepuasan peserta: rata-rata per butir (skala 1–5)")
        chart_list.append(
            (
                caption,
                charts.likert_means(
                    [
                        charts.LikertBar(f"{row.item.nomor}. {row.item.pernyataan}", row.result.rata_rata)
                        for row in results.likert
                    ],
                    overall=o.rata_rata,
                    title=caption,
                ),
            )
        )
        distributions = [
            charts.LikertDistribution(f"{row.item.nomor}. {row.item.pernyataan}", row.result.distribusi)
            for row in results.likert
            if row.result.distribusi is not None
        ]
        if distributions:
            caption = _("Kepuasan peserta: sebaran jawaban 1–5 per butir")
            chart_list.append((caption, charts.likert_distribution(distributions, title=caption)))
    notes = [
        _(
            "Gain = sesudah - sebelum (poin persen). Gain ternormalisasi g = (sesudah - sebelum) / "
            "(100 - sebelum), tidak terdefinisi bila sebelum 100%; kategori Hake: tinggi g ≥ 0,7, "
            "sedang 0,3 ≤ g < 0,7, rendah g < 0,3. g kelas = g dari rata-rata sebelum dan sesudah."
        ),
        _(
            "Uji McNemar eksak dua sisi pada peserta yang menjawab sebelum dan sesudah: b = ya menjadi "
            "tidak, c = tidak menjadi ya; p dihitung tepat dari sebaran binomial; bermakna bila p < 0,05. "
            "Hanya bila ada jawaban perorangan."
        ),
        _(
            "Rata-rata kepuasan keseluruhan = rata-rata dari rata-rata tiap butir (cara studi). Semua angka "
            "dihitung tepat lalu dibulatkan 2 desimal, ROUND_HALF_UP (nilai p 4 desimal)."
        ),
    ]
    if results.aggregate_only:
        notes.append(
            _(
                "Hasil ini berasal dari angka terbitan (persen dan rata-rata), bukan jawaban perorangan: "
                "uji McNemar dan sebaran jawaban tidak dapat dihitung."
            )
        )
    return Presentation(knowledge, summary, likert, overall, chart_list, notes)


# --- XLSX --------------------------------------------------------------------------------------------


def _no_formulas(sheet: Worksheet) -> None:
    """A statement typed as "=..." stays text: openpyxl would otherwise store it as a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def _sheet(
    workbook: Workbook, title: str, headers: list[str], widths: list[int], *, first: bool = False
) -> Worksheet:
    if first:
        sheet = workbook.active
        assert sheet is not None
        sheet.title = title
    else:
        sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def _formats(sheet: Worksheet, formats: dict[int, str]) -> None:
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            column = cell.column if isinstance(cell.column, int) else 0
            if column in formats and isinstance(cell.value, Decimal | int | float):
                cell.number_format = formats[column]


def report_xlsx(results: EventResults) -> bytes:
    event = results.event
    workbook = Workbook()
    info = _sheet(workbook, _("Keterangan kegiatan"), [_("Hal"), _("Isi keterangan")], [28, 90], first=True)
    for label, value in (
        (_("Judul"), event.judul),
        (_("Tanggal"), format_tanggal(event.tanggal)),
        (_("Tempat"), event.tempat),
        (_("Penyelenggara"), event.penyelenggara),
        (_("Narasumber"), event.narasumber),
        (_("Agenda"), event.agenda),
        (_("Sasaran peserta"), event.sasaran),
        (_("Peserta terdaftar"), results.peserta),
        (_("Peserta hadir"), results.hadir),
        (_("Peserta yang menjawab (jawaban perorangan)"), results.responden),
        (_("Pembulatan"), _("2 desimal, ROUND_HALF_UP (nilai p 4 desimal)")),
    ):
        info.append([label, value])
    for cells in info.iter_rows(min_row=2):
        cells[1].alignment = Alignment(wrap_text=True, vertical="top")

    knowledge = _sheet(
        workbook,
        _("Pengetahuan"),
        [
            _("No."),
            _("Pernyataan"),
            _("Sebelum (%)"),
            _("Sesudah (%)"),
            _("Gain (poin)"),
            _("Gain ternormalisasi (g)"),
            _("Kategori g"),
            _("n sebelum"),
            _("n sesudah"),
            _("McNemar b (ya→tidak)"),
            _("McNemar c (tidak→ya)"),
            _("McNemar p (dua sisi)"),
            _("Sumber angka"),
        ],
        [6, 60, 12, 12, 12, 14, 12, 10, 10, 12, 12, 12, 22],
    )
    for row in results.knowledge:
        r, g = row.result, row.result.gain
        knowledge.append(
            [
                row.item.nomor,
                row.item.pernyataan,
                g.sebelum,
                g.sesudah,
                g.gain,
                g.g,
                kategori_label(g.kategori) or alasan_label(g.alasan),
                r.n_sebelum,
                r.n_sesudah,
                r.mcnemar.b if r.mcnemar else None,
                r.mcnemar.c if r.mcnemar else None,
                r.mcnemar.p if r.mcnemar else None,
                sumber_label(r.sumber),
            ]
        )
    s = results.summary
    if results.knowledge:
        knowledge.append(
            [
                None,
                _("Rata-rata ({n} butir)").format(n=s.butir),
                s.sebelum,
                s.sesudah,
                s.gain,
                s.g,
                kategori_label(s.g_kategori),
            ]
        )
        knowledge.append(
            [None, _("g kelas (dari rata-rata sebelum dan sesudah)"), None, None, None, s.g_kelas]
        )
        for cell in knowledge[knowledge.max_row - 1] + knowledge[knowledge.max_row]:
            cell.font = Font(bold=True)
    _formats(knowledge, {3: FMT_FIGURE, 4: FMT_FIGURE, 5: FMT_FIGURE, 6: FMT_FIGURE, 12: FMT_P})

    likert = _sheet(
        workbook,
        _("Kepuasan"),
        [
            _("No."),
            _("Pernyataan"),
            _("n"),
            _("Jawaban 1"),
            _("Jawaban 2"),
            _("Jawaban 3"),
            _("Jawaban 4"),
            _("Jawaban 5"),
            _("Rata-rata (1–5)"),
            _("Sumber angka"),
        ],
        [6, 60, 8, 10, 10, 10, 10, 10, 14, 22],
    )
    for lrow in results.likert:
        lr = lrow.result
        counts: list[int | None] = list(lr.distribusi) if lr.distribusi is not None else [None] * 5
        likert.append(
            [lrow.item.nomor, lrow.item.pernyataan, lr.n, *counts, lr.rata_rata, sumber_label(lr.sumber)]
        )
    o = results.overall
    if results.likert:
        pooled: list[int | None] = list(o.distribusi) if o.distribusi is not None else [None] * 5
        likert.append(
            [None, _("Keseluruhan (rata-rata dari rata-rata butir)"), None, *pooled, o.rata_rata, None]
        )
        for cell in likert[likert.max_row]:
            cell.font = Font(bold=True)
    _formats(likert, {9: FMT_FIGURE})
    for sheet in (info, knowledge, likert):
        _no_formulas(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------------

PDF_CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 7pt; color: #59636e; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 8pt; color: #1b1f24; }
h1 { font-size: 13pt; margin: 0 0 2mm; }
h2 { font-size: 10pt; margin: 5mm 0 2mm; }
.muted { color: #59636e; }
dl.facts { display: block; margin: 0 0 2mm; }
dl.facts dt { font-weight: bold; float: left; clear: left; width: 32mm; }
dl.facts dd { margin: 0 0 1mm 34mm; white-space: pre-line; }
table { border-collapse: collapse; width: 100%; margin-top: 2mm; }
th, td { border: 0.4pt solid #8c959f; padding: 0.8mm 1mm; vertical-align: top; }
th { background: #e8eef5; text-align: left; }
td.num, th.num { text-align: right; }
tr.total td { font-weight: bold; background: #f2f5f9; }
tr { page-break-inside: avoid; }
.notes p { margin: 0 0 1mm; color: #59636e; }
.chart { page-break-inside: avoid; margin: 3mm 0; }
.chart svg { display: block; max-width: 100%; height: auto; }
.sr-only { display: none; }
"""


def pdf_html(results: EventResults) -> str:
    event = results.event
    return render_to_string(
        "outreach/report_pdf.html",
        {
            "event": event,
            "results": results,
            "tanggal": format_tanggal(event.tanggal),
            "generated": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
            "p": presentation(results),
        },
    )


def report_pdf(results: EventResults) -> bytes:
    """The report as a portrait A4 PDF; `PdfUnavailableError` when WeasyPrint cannot run here."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(
            _(
                "PDF tidak dapat dibuat di server ini: WeasyPrint atau pustaka sistemnya tidak tersedia "
                "({sebab}). Pasang paket Python weasyprint dan paket Debian {paket}, lalu coba lagi; "
                "sementara itu unduh versi XLSX."
            ).format(sebab=type(exc).__name__, paket=DEBIAN_PDF_PACKAGES)
        ) from exc
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:  # one INFO line per layout step is noise; settings may override
        progress.setLevel(logging.WARNING)
    # Everything is inline (styles and SVG charts): no file, network or data URL is ever fetched.
    fetcher = URLFetcher(allowed_protocols=())
    try:
        document = HTML(string=pdf_html(results), url_fetcher=fetcher)
        data: bytes = document.write_pdf(stylesheets=[CSS(string=PDF_CSS, url_fetcher=fetcher)])
    except OSError as exc:
        raise PdfUnavailableError(
            _(
                "PDF gagal dibuat: {sebab}. Periksa paket Debian {paket}; sementara itu unduh versi XLSX."
            ).format(sebab=exc, paket=DEBIAN_PDF_PACKAGES)
        ) from exc
    return data


def filename(results: EventResults) -> str:
    event = results.event
    day = event.tanggal.isoformat() if isinstance(event.tanggal, datetime.date) else "tanpa-tanggal"
    return f"hasil-sosialisasi-{event.pk}-{day}"
