"""The Gender Budget Statement: content from the GAP, DOCX (python-docx), PDF (WeasyPrint, pypdf)."""

import io
import re

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from rencana.gender import gbs
from rencana.gender.models import GapStatus, GapWorksheet
from rencana.gender.services_gap import gap_start, gap_update
from rencana.gender.tests.test_gap_pages import client_for
from rencana.gender.tests.test_gap_services import COMPLETE, TAHUN, Pug, make_pug
from rencana.regions.models import Pemda

KODE = "63.02"


@pytest.fixture
def pug(pemda_a: Pemda) -> Pug:
    return make_pug(pemda_a)


def finished(pug: Pug) -> GapWorksheet:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    gap_update(actor=None, gap=gap, expected_version=1, data=COMPLETE, status=GapStatus.FINAL)
    return gap


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize(
    ("text", "components"),
    [
        (
            "- Bangun ruang bersalin\n- Sediakan ambulans laut",
            ["Bangun ruang bersalin", "Sediakan ambulans laut"],
        ),
        ("1. Satu\n2) Dua\n\n  a. Tiga  ", ["Satu", "Dua", "Tiga"]),
        ("• Pelatihan bidan\n* Data terpilah", ["Pelatihan bidan", "Data terpilah"]),
        ("2026 target naik", ["2026 target naik"]),  # a number that is not a list marker stays
        ("", []),
    ],
)
def test_action_plan_lines_become_components(text: str, components: list[str]) -> None:
    assert gbs.action_components(text) == components


def test_situation_and_impact_come_from_the_steps_unless_written(pug: Pug) -> None:
    gap = finished(pug)
    gap.faktor_kontrol = "Keputusan rujukan diambil suami."
    labels = [s.label for s in gbs.situation(gap)]
    assert labels == [
        "Data pembuka wawasan",
        "Faktor kesenjangan: 3a. Akses",
        "Faktor kesenjangan: 3c. Kontrol",
        "Sebab kesenjangan internal",
        "Sebab kesenjangan eksternal",
    ]
    assert [s.label for s in gbs.impact(gap)] == ["Tujuan (reformulasi)", "Indikator gender"]
    gap.analisis_situasi, gap.dampak = "Analisis sendiri.", "Dampak sendiri."
    assert [(s.label, s.text) for s in gbs.situation(gap)] == [("", "Analisis sendiri.")]
    assert [(s.label, s.text) for s in gbs.impact(gap)] == [("", "Dampak sendiri.")]


def test_gbs_data_collects_the_statement(pug: Pug) -> None:
    data = gbs.gbs_data(finished(pug))
    assert data.opd == "Dinas Rahasia Kotabaru"
    assert data.program.startswith("1.02.02 PROGRAM PEMENUHAN")
    assert data.kegiatan.startswith("1.02.02.2.01 Penyediaan Fasilitas")
    assert data.sub_kegiatan.startswith("1.02.02.2.01.0001 Pembangunan Rumah Sakit")
    assert data.indikator_keluaran == ("Jumlah Rumah Sakit yang Dibangun: target 2026 —",)
    assert data.komponen == ("Bangun ruang bersalin", "Sediakan ambulans laut")
    assert data.anggaran_text == "Rp 750.000.000"
    assert data.final and data.penandatangan == "Kepala Dinas Rahasia Kotabaru"
    assert data.filename == "gbs-2026-1.02.02.2.01.0001"
    assert [r.label for r in data.rows()] == [
        "Perangkat daerah (OPD)",
        "Program",
        "Kegiatan",
        "Sub-kegiatan",
        "Indikator dan target kinerja keluaran",
        "Analisis situasi",
        "Rencana tindak lanjut",
        "Alokasi anggaran",
        "Dampak/hasil yang diharapkan",
    ]


def test_gbs_docx_opens_and_holds_the_opd_the_budget_and_the_components(pug: Pug) -> None:
    text = docx_text(gbs.gbs_docx(gbs.gbs_data(finished(pug))))
    for expected in (
        "PERNYATAAN ANGGARAN GENDER (GENDER BUDGET STATEMENT)",
        "Dinas Rahasia Kotabaru",
        "Rp 750.000.000",
        "Komponen 1: Bangun ruang bersalin",
        "Komponen 2: Sediakan ambulans laut",
        "Jarak ke rumah sakit membatasi ibu hamil di pulau kecil.",  # situation from step 3a
        "Rumah sakit yang menjangkau ibu hamil dari pulau kecil.",  # impact from step 6
        "Kepala Dinas Rahasia Kotabaru",
        "NIP.",
    ):
        assert expected in text, expected
    assert "DRAF" not in text


def test_gbs_pdf_is_a_pdf_with_the_sub_kegiatan(pug: Pug) -> None:
    content = gbs.gbs_pdf(gbs.gbs_data(finished(pug)))
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya" in text
    assert "Dinas Rahasia Kotabaru" in text and "Rp 750.000.000" in text
    assert "Komponen 2: Sediakan ambulans laut" in text


def test_a_draft_statement_says_so(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    data = gbs.gbs_data(gap)
    assert "DRAF: lembar GAP belum final" in docx_text(gbs.gbs_docx(data))
    assert "DRAF: lembar GAP belum final" in pdf_text(gbs.gbs_pdf(data))
    assert "Rencana tindak lanjut —" in pdf_text(gbs.gbs_pdf(data))  # no action plan yet


def test_download_pages(pug: Pug) -> None:
    gap = finished(pug)
    kwargs = {"kode": KODE, "gap_id": gap.pk}
    client = client_for(pug.operator)
    pdf = client.get(reverse("gender:gbs_pdf", kwargs=kwargs))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="gbs-2026-1.02.02.2.01.0001.pdf"'
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("gender:gbs_docx", kwargs=kwargs))
    assert docx.status_code == 200 and docx["Content-Type"] == gbs.DOCX_TYPE
    assert "Dinas Rahasia Kotabaru" in docx_text(docx.content)
    # Another OPD's operator: not found.
    assert client_for(pug.other_operator).get(reverse("gender:gbs_pdf", kwargs=kwargs)).status_code == 404


def test_without_weasyprint_the_page_names_the_packages(pug: Pug, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("weasyprint"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    gap = finished(pug)
    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    response = client_for(pug.pokja).get(reverse("gender:gbs_pdf", kwargs={"kode": KODE, "gap_id": gap.pk}))
    assert response.status_code == 503
    assert "libpango" in response.content.decode()
