"""Report of a strategic analysis: data, XLSX, PDF and the page (the Kota Pasuruan acceptance case)."""

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from rencana.core.roles import Role
from rencana.planning.models import PlanDocument, PlanNode
from rencana.regions.models import Pemda
from rencana.strategy import reports, services
from rencana.strategy.models import Analysis, Factor, Participant, Round, Submission
from rencana.strategy.tests.conftest import Pasuruan

TITLE = "Analisis strategis Bappeda Kota Pasuruan"
STRATEGY_SO = "Manfaatkan komitmen kepala daerah untuk memperkuat koordinasi perencanaan"
STRATEGY_WT = "Perbaiki sistem pengawasan agar kerja sama dengan DPRD pulih"
ISSUE_CHOSEN = "Bagaimana koordinasi perencanaan diperkuat dengan dukungan kepala daerah?"
ISSUE_PARTIAL = "Bagaimana pengawasan perencanaan diperbaiki?"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, analysis: Analysis) -> str:
    return reverse(f"strategy:{name}", kwargs={"kode": analysis.pemda.kode, "analysis_id": analysis.pk})


def _factor_ids(analysis: Analysis, *codes: str) -> list[int]:
    return list(Factor.objects.filter(analisis=analysis, kode__in=codes).values_list("pk", flat=True))


def _rpjmd_node(pemda: Pemda, jenis: str, nama: str) -> PlanNode:
    document, _created = PlanDocument.objects.get_or_create(
        pemda=pemda,
        jenis="RPJMD",
        defaults={"nama": "RPJMD 2025–2029", "tahun_mulai": 2025, "tahun_akhir": 2029},
    )
    return PlanNode.objects.create(pemda=pemda, dokumen=document, jenis=jenis, nama=nama)


def add_strategies_and_issues(case: Pasuruan, *, suffix: str = "") -> None:
    """Two TOWS strategies (SO chosen), an issue from the SO strategy scored completely, chosen and linked
    to an RPJMD tujuan, and an issue scored on two items only."""
    analysis, actor = case.analysis, case.planner
    so = services.tows_create(
        actor=actor,
        analysis=analysis,
        sel="SO",
        teks=STRATEGY_SO + suffix,
        factor_ids=_factor_ids(analysis, "O1", "S4"),
        terpilih=True,
    )
    services.tows_create(
        actor=actor,
        analysis=analysis,
        sel="WT",
        teks=STRATEGY_WT + suffix,
        factor_ids=_factor_ids(analysis, "W2", "T1"),
    )
    chosen = services.issue_create(
        actor=actor, analysis=analysis, pertanyaan=ISSUE_CHOSEN[:-1] + suffix + "?", strategi_id=so.pk
    )
    items, _bands = services.litmus_config(analysis)
    services.issue_score(
        actor=actor,
        issue=chosen,
        expected_version=chosen.version,
        answers={item.kode: "3" if index < 10 else "2" for index, item in enumerate(items)},
    )
    chosen.refresh_from_db()
    services.issue_update(
        actor=actor,
        issue=chosen,
        expected_version=chosen.version,
        pertanyaan=chosen.pertanyaan,
        kaitan_visi_misi="Misi 1: tata kelola pemerintahan",
        strategi_id=so.pk,
        terpilih=True,
    )
    node = _rpjmd_node(case.pemda, "tujuan", "Meningkatkan kualitas perencanaan pembangunan" + suffix)
    services.issue_link(actor=actor, issue=chosen, node_ids=[node.pk])
    partial = services.issue_create(
        actor=actor, analysis=analysis, pertanyaan=ISSUE_PARTIAL[:-1] + suffix + "?"
    )
    services.issue_score(
        actor=actor, issue=partial, expected_version=partial.version, answers={"L01": "2", "L02": "1"}
    )


@pytest.fixture
def full(pasuruan: Pasuruan) -> Pasuruan:
    add_strategies_and_issues(pasuruan)
    pasuruan.analysis.refresh_from_db()
    return pasuruan


def _empty_analysis(case: Pasuruan) -> Analysis:
    return services.analysis_create(
        actor=case.planner,
        pemda=case.pemda,
        data=services.AnalysisInput(judul="Analisis tanpa faktor", tanggal=datetime.date(2026, 12, 1)),
    )


def _workbook(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


def _pairs(sheet: Any) -> dict[str, Any]:
    """Column A -> the cell of column B, for the key/value sheet "Hasil"."""
    return {row[0].value: row[1] for row in sheet.iter_rows(min_row=2) if row[0].value}


def _pdf_text(case_data: reports.StrategyReport, content: bytes) -> str:
    """The text of the PDF: with pypdf when installed; otherwise the text WeasyPrint laid out on the
    pages of the same document (pypdf is not a dependency of the project)."""
    try:
        import pypdf
    except ImportError:
        document = reports.pdf_document(case_data)

        def walk(box: Any) -> list[str]:
            found = [box.text] if isinstance(getattr(box, "text", None), str) else []
            for child in getattr(box, "children", None) or []:
                found.extend(walk(child))
            return found

        return " ".join(text for page in document.pages for text in walk(page._page_box))
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages)


def require_pdf() -> None:
    """Skip when WeasyPrint cannot run here (not installed, or its system libraries are missing)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"WeasyPrint tidak tersedia: {exc}")


# --- the data -----------------------------------------------------------------------------------------


def test_report_data_holds_the_matrix_tows_and_ranked_issues(full: Pasuruan) -> None:
    data = reports.report_data(full.analysis)
    assert data.title == TITLE and data.pemda == "Kota Pasuruan" and data.fasilitator == "Tim uji"
    assert data.tanggal == datetime.date(2026, 11, 2) and data.status == "Terbuka"
    ifas, efas = data.matrices
    assert [g.jenis for g in data.groups] == ["S", "W", "O", "T"]
    assert [r.kode for r in ifas.rows] == ["S1", "S2", "S3", "S4", "W1", "W2"]
    assert [r.kode for r in efas.rows] == ["O1", "O2", "O3", "T1", "T2"]
    assert ifas.rows[0].skor == Decimal("0.6") and ifas.bobot_sum == 1
    assert ifas.skor_total == Decimal("2.50") and efas.skor_total == Decimal("2.85")
    figures = data.figures
    assert figures is not None
    assert (figures.x, figures.y) == (Decimal("1.40"), Decimal("1.25"))
    assert figures.quadrant == "I" and figures.ie_cell == "V" and figures.tows == ("SO",)
    assert data.favoured == ("SO",) and data.problems == ()
    assert data.catatan and "Matriks diisi langsung" in data.catatan[0]
    so = next(cell for cell in data.tows if cell.sel == "SO")
    assert so.favoured and so.strategies[0].faktor == ("S4", "O1") and so.strategies[0].terpilih
    assert [s.teks for s in data.chosen_strategies] == [STRATEGY_SO]
    first, second = data.issues
    assert first.pertanyaan == ISSUE_CHOSEN and first.rank == 1 and first.complete
    assert first.total == 36 and first.label == "sangat strategis" and first.terpilih
    assert first.scores[:2] == (3, 3) and first.scores[-1] == 2 and len(first.scores) == 13
    assert [str(n) for n in first.nodes] == ["Tujuan: Meningkatkan kualitas perencanaan pembangunan"]
    assert first.strategi == f"SO: {STRATEGY_SO}"
    assert second.rank is None and not second.complete and second.total == 3 and second.label == ""
    assert second.scores[:3] == (2, 1, None) and len(second.missing) == 11
    assert [i.pertanyaan for i in data.chosen_issues] == [ISSUE_CHOSEN]


def test_report_data_names_the_problems_of_an_incomplete_matrix(open_analysis: Pasuruan) -> None:
    data = reports.report_data(open_analysis.analysis)
    assert data.has_factors and data.figures is None
    assert any("bobot belum diisi" in p for p in data.problems)
    assert data.matrices[0].skor_total is None and data.matrices[0].rows[0].skor is None


def test_report_data_reads_a_fixed_number_of_queries(full: Pasuruan) -> None:
    analysis = full.analysis
    with CaptureQueriesContext(connection) as small:
        reports.report_data(analysis)
    for kind in ("S", "W", "O", "T"):
        services.factor_create(
            actor=full.planner,
            analysis=analysis,
            data=services.FactorInput(jenis=kind, faktor=f"Faktor tambahan {kind}"),
        )
    add_strategies_and_issues(full, suffix=" (2)")
    add_strategies_and_issues(full, suffix=" (3)")
    rnd = Round.objects.create(pemda=full.pemda, analisis=analysis, nomor=1)
    participant = Participant.objects.create(pemda=full.pemda, analisis=analysis, nama="Peserta")
    Submission.objects.create(pemda=full.pemda, putaran=rnd, peserta=participant, selesai=True)
    analysis.refresh_from_db()
    with CaptureQueriesContext(connection) as large:
        data = reports.report_data(analysis)
    assert len(data.issues) == 6 and sum(len(c.strategies) for c in data.tows) == 6
    assert len(large.captured_queries) == len(small.captured_queries) <= 8


# --- XLSX ---------------------------------------------------------------------------------------------


def test_xlsx_download_holds_factors_figures_tows_and_issues_as_numbers(full: Pasuruan) -> None:
    response = _client(full.planner).get(_url("report_xlsx", full.analysis))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="analisis-strategis-{full.analysis.pk}.xlsx"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    workbook = _workbook(response.content)
    assert workbook.sheetnames[:4] == ["Hasil", "Faktor", "TOWS", "Isu strategis"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and all(cell.font.bold for cell in sheet[1] if cell.value)

    factors = workbook["Faktor"]
    header = [cell.value for cell in factors[1]]
    assert header == ["Matriks", "Jenis", "Kode", "Faktor", "Bobot", "Rating", "Skor"]
    rows = {row[2].value or row[3].value: row for row in factors.iter_rows(min_row=2)}
    s1 = rows["S1"]
    assert s1[3].value == "SDM Bappeda relatif sesuai kebutuhan"
    assert (s1[4].value, s1[5].value, s1[6].value) == (pytest.approx(0.2), 3, pytest.approx(0.6))
    assert s1[4].data_type == "n" and s1[4].number_format == "0.00##"
    assert len([key for key in rows if key[0] in "SWOT" and key[1:].isdigit()]) == 11
    total_ifas, total_efas = rows["Total IFAS"], rows["Total EFAS"]
    assert total_ifas[6].value == pytest.approx(2.50) and total_ifas[6].number_format == "0.00"
    assert total_efas[6].value == pytest.approx(2.85) and total_efas[4].value == pytest.approx(1.0)
    assert total_ifas[6].font.bold

    results = _pairs(workbook["Hasil"])
    assert results["Judul"].value == TITLE and results["Pemda"].value == "Kota Pasuruan"
    assert results["Total IFAS"].value == pytest.approx(2.50) and results["Total IFAS"].data_type == "n"
    assert results["Total EFAS"].value == pytest.approx(2.85)
    assert results["x = S - W"].value == pytest.approx(1.40) and results["x = S - W"].number_format == "0.00"
    assert results["y = O - T"].value == pytest.approx(1.25)
    assert results["Kuadran"].value == "I" and results["Sel matriks IE"].value == "V"
    assert isinstance(results["Tanggal"].value, datetime.datetime)

    tows = [[cell.value for cell in row] for row in workbook["TOWS"].iter_rows(min_row=2)]
    assert ["SO", STRATEGY_SO, "S4, O1", "ya", "ya"] in tows
    assert ["WT", STRATEGY_WT, "W2, T1", "tidak", "tidak"] in tows

    issues = workbook["Isu strategis"]
    header = [cell.value for cell in issues[1]]
    assert header[:4] == ["Peringkat", "Isu strategis", "Kaitan dengan visi dan misi", "Strategi TOWS"]
    assert header[4:17] == [f"L{n:02d}" for n in range(1, 14)]
    assert header[17:] == ["Skor litmus", "Kategori", "Skor lengkap", "Terpilih", "Tertaut ke RPJMD"]
    first = [cell.value for cell in issues[2]]
    assert first[0] == 1 and first[1] == ISSUE_CHOSEN and first[4] == 3 and first[16] == 2
    assert first[17:] == [
        36,
        "sangat strategis",
        "ya",
        "ya",
        "Tujuan: Meningkatkan kualitas perencanaan pembangunan",
    ]
    assert issues.cell(row=2, column=18).data_type == "n"
    second = [cell.value for cell in issues[3]]
    assert second[0] is None and second[1] == ISSUE_PARTIAL and second[4:7] == [2, 1, None]
    assert second[17] == 3 and second[19] == "tidak"


def test_xlsx_keeps_typed_text_that_looks_like_a_formula_as_text(pasuruan: Pasuruan) -> None:
    services.tows_create(
        actor=pasuruan.planner,
        analysis=pasuruan.analysis,
        sel="ST",
        teks='=HYPERLINK("http://contoh.test")',
        factor_ids=_factor_ids(pasuruan.analysis, "S1", "T2"),
    )
    workbook = _workbook(reports.report_xlsx(reports.report_data(pasuruan.analysis)))
    cell = workbook["TOWS"]["B2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_xlsx_lists_the_workshop_rounds(pasuruan: Pasuruan) -> None:
    analysis = pasuruan.analysis
    rnd = Round.objects.create(
        pemda=pasuruan.pemda,
        analisis=analysis,
        nomor=1,
        metode_agregasi="median",
        catatan=["Bobot akhir: median jawaban peserta."],
        ringkasan_diskusi="W2 dibahas ulang.",
    )
    for name in ("Ani", "Budi", "Citra"):
        participant = Participant.objects.create(pemda=pasuruan.pemda, analisis=analysis, nama=name)
        Submission.objects.create(
            pemda=pasuruan.pemda, putaran=rnd, peserta=participant, selesai=name != "Citra"
        )
    data = reports.report_data(analysis)
    assert [(r.nomor, r.peserta, r.metode) for r in data.rounds] == [(1, 2, "Median")]
    sheet = _workbook(reports.report_xlsx(data))["Lokakarya"]
    row = [cell.value for cell in sheet[2]]
    assert row[0] == 1 and row[3] == "Median" and row[4] == 2 and row[5] == "W2 dibahas ulang."
    assert "median jawaban peserta" in row[6]


# --- PDF ----------------------------------------------------------------------------------------------


def test_pdf_download_holds_the_title_figures_and_charts(full: Pasuruan) -> None:
    require_pdf()
    response = _client(full.planner).get(_url("report_pdf", full.analysis))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="analisis-strategis-{full.analysis.pk}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF")
    data = reports.report_data(full.analysis)
    text = " ".join(_pdf_text(data, response.content).split())
    assert TITLE in text
    for expected in ("2,50", "2,85", "1,40", "1,25", STRATEGY_SO, ISSUE_CHOSEN, "sangat strategis"):
        assert expected in text


def test_pdf_html_is_portrait_with_inline_charts_and_fetches_nothing(full: Pasuruan) -> None:
    data = reports.report_data(full.analysis)
    html = reports.pdf_html(data)
    assert html.count("<svg") == 2 and 'id="pdf-diagram-swot"' in html and 'id="pdf-matriks-ie"' in html
    assert "<link" not in html and "<img" not in html and "src=" not in html
    assert "A4 portrait" in reports.PDF_CSS and "url(" not in reports.PDF_CSS


def test_missing_pdf_libraries_give_the_monitoring_error(
    pasuruan: Pasuruan, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    from rencana.monitoring.reports import PdfUnavailableError

    real_import = builtins.__import__

    def broken(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    data = reports.report_data(pasuruan.analysis)
    monkeypatch.setattr(builtins, "__import__", broken)
    with pytest.raises(PdfUnavailableError) as caught:
        reports.report_pdf(data)
    assert caught.value.status == 503 and "libpango-1.0-0" in caught.value.message


def test_pdf_unavailable_is_a_page_not_a_500(pasuruan: Pasuruan, monkeypatch: pytest.MonkeyPatch) -> None:
    from rencana.monitoring.reports import PdfUnavailableError

    def unavailable(data: reports.StrategyReport) -> bytes:
        raise PdfUnavailableError("PDF tidak dapat dibuat: libpango-1.0-0 belum terpasang.")

    monkeypatch.setattr(reports, "report_pdf", unavailable)
    response = _client(pasuruan.planner).get(_url("report_pdf", pasuruan.analysis))
    assert response.status_code == 503
    assert "libpango-1.0-0" in response.content.decode()


# --- the page -----------------------------------------------------------------------------------------


def test_page_shows_the_figures_charts_and_download_links(full: Pasuruan) -> None:
    analysis = full.analysis
    response = _client(full.planner).get(_url("report", analysis))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="page"' in html and "Laporan" in html
    assert _url("report_xlsx", analysis) in html and _url("report_pdf", analysis) in html
    assert 'data-key="ifas_total">2,50<' in html and 'data-key="efas_total">2,85<' in html
    assert 'data-key="x">1,40<' in html and 'data-key="y">1,25<' in html
    assert 'data-key="quadrant">I — agresif (SO)<' in html and 'data-key="ie">V — ' in html
    assert 'id="laporan-diagram-swot"' in html and 'id="laporan-matriks-ie"' in html
    assert "SDM Bappeda relatif sesuai kebutuhan" in html and STRATEGY_SO in html and ISSUE_CHOSEN in html
    assert "Tujuan: Meningkatkan kualitas perencanaan pembangunan" in html
    assert "style=" not in html.split("<body", 1)[1]  # the CSP forbids inline styles


def test_page_of_an_incomplete_matrix_names_the_problems(open_analysis: Pasuruan) -> None:
    response = _client(open_analysis.planner).get(_url("report", open_analysis.analysis))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Matriks belum dapat dihitung" in html and "<svg" not in html


def test_an_analysis_without_factors_gives_an_empty_report(pasuruan: Pasuruan) -> None:
    analysis = _empty_analysis(pasuruan)
    client = _client(pasuruan.planner)
    page = client.get(_url("report", analysis))
    assert page.status_code == 200 and "Belum ada faktor SWOT" in page.content.decode()
    xlsx = client.get(_url("report_xlsx", analysis))
    assert xlsx.status_code == 200
    workbook = _workbook(xlsx.content)
    assert workbook["Faktor"].max_row == 3  # header and the two totals rows
    assert workbook["Isu strategis"].max_row == 1
    results = _pairs(workbook["Hasil"])
    assert results["Judul"].value == "Analisis tanpa faktor" and "Kuadran" not in results
    require_pdf()
    pdf = client.get(_url("report_pdf", analysis))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "Belum ada faktor." in reports.pdf_html(reports.report_data(analysis))


@pytest.mark.parametrize("name", ["report", "report_xlsx", "report_pdf"])
def test_another_pemda_gets_not_found(
    name: str, pasuruan: Pasuruan, pemda_a: Pemda, make_user: Callable[..., Any]
) -> None:
    stranger = make_user(Role.PERENCANA, pemda_a)
    response = _client(stranger).get(_url(name, pasuruan.analysis))
    assert response.status_code == 404
    other = reverse(f"strategy:{name}", kwargs={"kode": pemda_a.kode, "analysis_id": pasuruan.analysis.pk})
    assert _client(stranger).get(other).status_code == 404


def test_reading_staff_may_download_but_anonymous_may_not(
    pasuruan: Pasuruan, make_user: Callable[..., Any]
) -> None:
    reader = make_user(Role.PIMPINAN, pasuruan.pemda)
    assert _client(reader).get(_url("report_xlsx", pasuruan.analysis)).status_code == 200
    anonymous = Client().get(_url("report_xlsx", pasuruan.analysis))
    assert anonymous.status_code in (302, 403)
