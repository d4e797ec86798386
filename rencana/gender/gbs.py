"""The Gender Budget Statement (GBS, "Pernyataan Anggaran Gender") of a sub-kegiatan, built from its GAP.

Format of the GBS in the PPRG guide (Permendagri 67/2011, annex; KemenPPPA/Bappenas PPRG guide): a
two-column statement signed by the head of the OPD, with
- OPD, program, kegiatan, sub-kegiatan;
- the output indicator and its target (the sub-kegiatan's output indicators, target of the year);
- analisis situasi: the GBS field when filled, else composed from GAP steps 2 (data pembuka wawasan),
  3 (gap factors 3a-3d), 4 and 5 (internal and external causes);
- rencana tindak lanjut: one component per line of GAP step 7 (the action plan);
- the budget allocated (the GBS field, pre-filled from the pagu of the year);
- the expected impact: the GBS field when filled, else GAP step 6 (reformulated aim) and step 9
  (gender indicators).
`gbs_data` collects it; `gbs_docx` writes it with python-docx, `gbs_pdf` with WeasyPrint (the
template gender/gbs_pdf.html and `PDF_CSS`). Without WeasyPrint's system libraries `gbs_pdf` raises
`PdfUnavailableError` naming the Debian packages: a page with the message, never a 500.
"""

import io
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rencana.core.dates import format_tanggal
from rencana.core.numbers import format_rupiah
from rencana.gender.models import GapStatus, GapWorksheet
from rencana.gender.services_gap import FACTOR_LABELS, NodeFacts, node_facts, node_label, with_unit
from rencana.monitoring.reports import DEBIAN_PDF_PACKAGES, PdfUnavailableError

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A list marker at the start of an action-plan line: "-", "•", "*", "1.", "2)", "a.", "b)".
# What a code keeps in a file name (the dots of "1.02.02.2.01.0001" are kept).
_SAFE = re.compile(r"[^0-9A-Za-z.]+")
_MARKER = re.compile(r"^\s*(?:[-•*–]|\d{1,2}[.)]|[a-zA-Z][.)])\s+")


@dataclass(frozen=True)
class Section:
    label: str
    text: str


@dataclass(frozen=True)
class GbsRow:
    """One row of the statement: a label and either plain text, numbered components or sections."""

    label: str
    text: str = ""
    components: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Gbs:
    judul: str
    pemda: str
    tahun: int
    status: str
    final: bool
    opd: str
    program: str
    kegiatan: str
    sub_kegiatan: str
    indikator_keluaran: tuple[str, ...]
    analisis_situasi: tuple[Section, ...]
    komponen: tuple[str, ...]
    anggaran: Decimal | None
    dampak: tuple[Section, ...]
    tempat_tanggal: str
    penandatangan: str
    filename: str  # without extension

    @property
    def anggaran_text(self) -> str:
        return format_rupiah(self.anggaran) if self.anggaran is not None else "—"

    def rows(self) -> list[GbsRow]:
        """The statement's table, in order; used by both writers."""
        return [
            GbsRow(_("Perangkat daerah (OPD)"), text=self.opd or "—"),
            GbsRow(_("Program"), text=self.program or "—"),
            GbsRow(_("Kegiatan"), text=self.kegiatan or "—"),
            GbsRow(_("Sub-kegiatan"), text=self.sub_kegiatan),
            GbsRow(
                _("Indikator dan target kinerja keluaran"),
                text="\n".join(self.indikator_keluaran) or "—",
            ),
            GbsRow(
                _("Analisis situasi"),
                text="" if self.analisis_situasi else "—",
                sections=self.analisis_situasi,
            ),
            GbsRow(_("Rencana tindak lanjut"), text="" if self.komponen else "—", components=self.komponen),
            GbsRow(_("Alokasi anggaran"), text=self.anggaran_text),
            GbsRow(_("Dampak/hasil yang diharapkan"), text="" if self.dampak else "—", sections=self.dampak),
        ]


def action_components(text: str) -> list[str]:
    """One component per non-empty line of the action plan, without its list marker."""
    components = []
    for line in text.splitlines():
        cleaned = _MARKER.sub("", line, count=1).strip()
        if cleaned:
            components.append(cleaned)
    return components


def situation(gap: GapWorksheet) -> tuple[Section, ...]:
    if gap.analisis_situasi.strip():
        return (Section("", gap.analisis_situasi.strip()),)
    sections = []
    if gap.data_pembuka.strip():
        sections.append(Section(_("Data pembuka wawasan"), gap.data_pembuka.strip()))
    factors = [(FACTOR_LABELS[name], getattr(gap, name).strip()) for name in FACTOR_LABELS]
    for label, text in factors:
        if text:
            sections.append(Section(_("Faktor kesenjangan: {faktor}").format(faktor=label), text))
    if gap.sebab_internal.strip():
        sections.append(Section(_("Sebab kesenjangan internal"), gap.sebab_internal.strip()))
    if gap.sebab_eksternal.strip():
        sections.append(Section(_("Sebab kesenjangan eksternal"), gap.sebab_eksternal.strip()))
    return tuple(sections)


def impact(gap: GapWorksheet) -> tuple[Section, ...]:
    if gap.dampak.strip():
        return (Section("", gap.dampak.strip()),)
    sections = []
    if gap.tujuan_reformulasi.strip():
        sections.append(Section(_("Tujuan (reformulasi)"), gap.tujuan_reformulasi.strip()))
    if gap.indikator_gender.strip():
        sections.append(Section(_("Indikator gender"), gap.indikator_gender.strip()))
    return tuple(sections)


def _output_lines(facts: NodeFacts) -> tuple[str, ...]:
    return tuple(
        _("{nama}: target {tahun} {target}").format(
            nama=fact.nama, tahun=facts.tahun, target=with_unit(fact.target, fact.satuan)
        )
        for fact in facts.output_indicators
    )


def gbs_data(gap: GapWorksheet) -> Gbs:
    """Everything the statement shows, read from the worksheet and its sub-kegiatan (fixed queries)."""
    facts = node_facts(gap.node, gap.tahun)
    opd = gap.opd.nama if gap.opd is not None else (facts.opd.nama if facts.opd is not None else "")
    pemda = facts.node.pemda
    return Gbs(
        judul=_("Pernyataan Anggaran Gender (Gender Budget Statement)"),
        pemda=pemda.nama,
        tahun=gap.tahun,
        status=str(GapStatus(gap.status).label),
        final=gap.status == GapStatus.FINAL,
        opd=opd,
        program=node_label(facts.program),
        kegiatan=node_label(facts.kegiatan),
        sub_kegiatan=node_label(facts.node),
        indikator_keluaran=_output_lines(facts),
        analisis_situasi=situation(gap),
        komponen=tuple(action_components(gap.rencana_aksi)),
        anggaran=gap.anggaran,
        dampak=impact(gap),
        tempat_tanggal=f"{pemda.nama}, {format_tanggal(timezone.localdate())}",
        penandatangan=_("Kepala {opd}").format(opd=opd) if opd else _("Kepala Perangkat Daerah"),
        filename=f"gbs-{gap.tahun}-{_SAFE.sub('-', facts.node.kode).strip('-.') or gap.node_id}",
    )


# --- DOCX -------------------------------------------------------------------------------------------


def gbs_docx(data: Gbs) -> bytes:
    """The statement as a Word document (python-docx): a title, a two-column table, the signature."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(data.judul.upper())
    run.bold = True
    run.font.size = Pt(12)
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.add_run(_("{pemda} · Tahun anggaran {tahun}").format(pemda=data.pemda, tahun=data.tahun))
    if not data.final:
        note = document.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        flag = note.add_run(_("DRAF: lembar GAP belum final"))
        flag.bold = True

    rows = data.rows()
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for index, row in enumerate(rows):
        left, right = table.rows[index].cells
        left.width, right.width = Cm(5), Cm(12)
        left.paragraphs[0].add_run(row.label).bold = True
        _docx_content(right, row)

    document.add_paragraph()
    for text, bold in (
        (data.tempat_tanggal, False),
        (data.penandatangan, True),
        ("", False),
        ("", False),
        ("", False),
        ("(....................................................)", False),
        (_("NIP. ........................................"), False),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(text).bold = bold
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_content(cell: Any, row: GbsRow) -> None:
    paragraphs: list[tuple[str, bool]] = []  # (text, bold)
    if row.text:
        paragraphs.extend((line, False) for line in row.text.splitlines())
    for number, component in enumerate(row.components, start=1):
        paragraphs.append((_("Komponen {n}: {teks}").format(n=number, teks=component), False))
    for section in row.sections:
        if section.label:
            paragraphs.append((section.label, True))
        paragraphs.extend((line, False) for line in section.text.splitlines())
    first = True
    for text, bold in paragraphs or [("", False)]:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.add_run(text).bold = bold


# --- PDF --------------------------------------------------------------------------------------------

PDF_CSS = """
@page { size: A4 portrait; margin: 18mm 16mm 18mm 16mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #111; line-height: 1.35; }
h1 { font-size: 13pt; text-align: center; margin: 0 0 1mm; text-transform: uppercase; }
p.sub { text-align: center; margin: 0 0 4mm; }
p.draft { text-align: center; font-weight: bold; border: 0.6pt solid #9a6700; padding: 1.5mm;
          margin: 0 0 4mm; }
table.gbs { width: 100%; border-collapse: collapse; }
table.gbs th, table.gbs td { border: 0.6pt solid #444; padding: 2mm; vertical-align: top; text-align: left; }
table.gbs th { width: 32%; background: #f0f0f0; }
table.gbs p { margin: 0 0 1.5mm; }
table.gbs ol, table.gbs ul { margin: 0; padding-left: 5mm; }
.label { font-weight: bold; }
.sign { margin-top: 10mm; margin-left: 55%; }
.sign p { margin: 0; }
.sign .space { height: 18mm; }
"""


def gbs_html(data: Gbs) -> str:
    """The HTML WeasyPrint turns into the PDF (never served to browsers)."""
    return render_to_string("gender/gbs_pdf.html", {"gbs": data, "rows": data.rows()})


def gbs_pdf(data: Gbs) -> bytes:
    """The statement as a portrait A4 PDF; `PdfUnavailableError` when WeasyPrint cannot run here."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(
            _(
                "PDF tidak dapat dibuat di server ini: WeasyPrint atau pustaka sistemnya tidak tersedia "
                "({sebab}). Pasang paket Python weasyprint dan paket Debian {paket}, lalu coba lagi; "
                "sementara itu unduh versi DOCX."
            ).format(sebab=type(exc).__name__, paket=DEBIAN_PDF_PACKAGES)
        ) from exc
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:  # one INFO line per layout step is noise; settings may override
        progress.setLevel(logging.WARNING)
    # Everything is inline: no file, network or data URL is ever fetched while rendering.
    fetcher = URLFetcher(allowed_protocols=())
    try:
        content: bytes = HTML(string=gbs_html(data), url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(string=PDF_CSS, url_fetcher=fetcher)]
        )
    except OSError as exc:
        raise PdfUnavailableError(
            _(
                "PDF gagal dibuat: {sebab}. Periksa paket Debian {paket}; sementara itu unduh versi DOCX."
            ).format(sebab=exc, paket=DEBIAN_PDF_PACKAGES)
        ) from exc
    return content
