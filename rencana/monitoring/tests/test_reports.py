"""Evaluation reports: the RKPD evaluation table and the RPJMD end-of-period table, as XLSX and PDF.

The `history` fixture is a small two-year plan with realizations entered through the services (save ->
submit -> verify); the figures below are worked out by hand from it:

- sub-kegiatan 1.02.02.2.01.0001 (kumulatif output "Jumlah Rumah Sakit yang Dibangun", Unit):
  RKPD 2025 target 2, reported TW I 1 + TW IV 1 = 2, spent 100 + 350 = 450 juta of 500 juta;
  RKPD 2026 target 4, reported TW I 1 + TW II 2 = 3 -> capaian 75,00 (Sedang), spent 150 + 225 = 375 juta
  of 750 juta -> serapan 50,00; Renstra target 2029: 10 and pagu 3.000 juta over the period, so the RPJMD
  realization up to 2026 is 2 + 3 = 5 (50,00, Sangat Rendah) and Rp 825 juta (27,50%).
- program 1.02.02 (outcome "Persentase fasilitas kesehatan sesuai standar", akhir periode): RKPD 2026
  target 60, reported 45 in TW II -> 75,00 (Sedang); RPJMD target 2029: 80 -> 56,25 (Rendah).
- sasaran 1.1.3 (IKG, negatif, akhir periode): targets 0,53 (2025) and 0,51 (2026), 0,45 in 2029;
  Bappeda reported 0,52 (2025 TW IV) and 0,50 (2026 TW II) -> 2026 capaian 101,96, end of period
  (2 - 0,50/0,45) * 100 = 88,89 (Tinggi).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rencana.core.roles import Role
from rencana.monitoring import reports, services
from rencana.monitoring.models import Realization
from rencana.monitoring.tests.conftest import Monev
from rencana.planning import services as plan_services
from rencana.planning.models import Indicator, PlanDocument, PlanNode
from rencana.planning.services import IndicatorInput, NodeInput

pytestmark = pytest.mark.django_db

JUTA = Decimal(1_000_000)


@dataclass
class History:
    monev: Monev
    rkpd_2025: PlanDocument
    sub_2025: PlanNode
    renstra: PlanDocument
    program_indicator: Indicator
    sub_indicator: Indicator
    rpjmd_program: PlanNode


def set_targets(indicator: Indicator, targets: dict[int, Decimal], **changes: Any) -> Indicator:
    fields = {
        "nama": indicator.nama,
        "satuan": indicator.satuan,
        "jenis": indicator.jenis,
        "polaritas": indicator.polaritas,
        "agregasi": indicator.agregasi,
        **changes,
    }
    return plan_services.indicator_update(
        actor=None,
        indicator=indicator,
        expected_version=indicator.version,
        data=IndicatorInput(**fields, target=targets),
    )


def report(
    node: PlanNode,
    tahun: int,
    triwulan: int,
    values: dict[Indicator, Decimal],
    anggaran: Decimal | None = None,
    *,
    verify: bool = True,
    actor: Any = None,
    **texts: str,
) -> Realization:
    """Save, submit and (unless `verify` is False) verify one quarter, as the pages do."""
    realization = services.realization_save(
        actor=actor,
        node=node,
        tahun=tahun,
        triwulan=triwulan,
        expected_version=None,
        anggaran=anggaran if anggaran is not None else Decimal(0),
        values={indicator.pk: value for indicator, value in values.items()},
        **texts,
    )
    realization = services.realization_submit(
        actor=actor, realization=realization, expected_version=realization.version
    )
    if verify:
        realization = services.realization_verify(
            actor=actor, realization=realization, expected_version=realization.version
        )
    return realization


def build_history(monev: Monev) -> History:
    plan = monev.plan
    pemda, opd = plan.pemda, plan.opd
    # RPJMD program: an outcome indicator with its end-of-period target.
    rpjmd_program = PlanNode.objects.get(dokumen=plan.rpjmd, jenis="program", kode="1.02.02")
    plan_services.indicator_create(
        actor=None,
        node=rpjmd_program,
        data=IndicatorInput(
            nama="Persentase fasilitas kesehatan sesuai standar",
            satuan="%",
            target={2025: Decimal(50), 2026: Decimal(60), 2029: Decimal(80)},
        ),
    )
    # The OPD's Renstra down to the sub-kegiatan, with the five-year target and pagu.
    renstra = plan_services.document_create(
        actor=None, pemda=pemda, jenis="RENSTRA", tahun_mulai=2025, opd=opd, induk=plan.rpjmd
    )
    r_program = plan_services.node_create(
        actor=None,
        document=renstra,
        parent=None,
        data=NodeInput(jenis="program", kode="1.02.02", opd=opd, sasaran_ids=[plan.sasaran.pk]),
    )
    r_kegiatan = plan_services.node_create(
        actor=None, document=renstra, parent=r_program, data=NodeInput(jenis="kegiatan", kode="1.02.02.2.01")
    )
    r_sub = plan_services.node_create(
        actor=None,
        document=renstra,
        parent=r_kegiatan,
        data=NodeInput(
            jenis="sub_kegiatan",
            kode="1.02.02.2.01.0001",
            pagu={y: Decimal(600) * JUTA for y in range(2025, 2030)},
        ),
    )
    set_targets(Indicator.objects.get(node=r_sub), {2025: Decimal(2), 2029: Decimal(10)})
    # RKPD 2025 with the same program, kegiatan and sub-kegiatan of the same OPD.
    rkpd_2025 = plan_services.document_create(
        actor=None, pemda=pemda, jenis="RKPD", tahun_mulai=2025, induk=plan.rpjmd
    )
    program_2025 = plan_services.node_create(
        actor=None,
        document=rkpd_2025,
        parent=None,
        data=NodeInput(jenis="program", kode="1.02.02", opd=opd, sasaran_ids=[plan.sasaran.pk]),
    )
    kegiatan_2025 = plan_services.node_create(
        actor=None,
        document=rkpd_2025,
        parent=program_2025,
        data=NodeInput(jenis="kegiatan", kode="1.02.02.2.01", opd=opd),
    )
    sub_2025 = plan_services.node_create(
        actor=None,
        document=rkpd_2025,
        parent=kegiatan_2025,
        data=NodeInput(
            jenis="sub_kegiatan", kode="1.02.02.2.01.0001", opd=opd, pagu={2025: Decimal(500) * JUTA}
        ),
    )
    indicator_2025 = set_targets(Indicator.objects.get(node=sub_2025), {2025: Decimal(2)})
    report(sub_2025, 2025, 1, {indicator_2025: Decimal(1)}, Decimal(100) * JUTA)
    report(sub_2025, 2025, 4, {indicator_2025: Decimal(1)}, Decimal(350) * JUTA)
    # RKPD 2026: targets, a program outcome and the first two quarters.
    sub_indicator = set_targets(Indicator.objects.get(node=plan.sub), {2026: Decimal(4)})
    program_indicator = plan_services.indicator_create(
        actor=None,
        node=plan.program,
        data=IndicatorInput(
            nama="Persentase Fasilitas Kesehatan sesuai standar", satuan="%", target={2026: Decimal(60)}
        ),
    )
    report(plan.sub, 2026, 1, {sub_indicator: Decimal(1)}, Decimal(150) * JUTA)
    report(
        plan.sub,
        2026,
        2,
        {sub_indicator: Decimal(2)},
        Decimal(225) * JUTA,
        faktor_pendukung="Lahan tersedia",
        faktor_penghambat="Tender ulang",
    )
    report(plan.program, 2026, 2, {program_indicator: Decimal(45)})
    # Bappeda's own reports on the sasaran (IKG, negatif).
    report(plan.sasaran, 2025, 4, {plan.indicator: Decimal("0.52")})
    report(plan.sasaran, 2026, 2, {plan.indicator: Decimal("0.50")})
    return History(monev, rkpd_2025, sub_2025, renstra, program_indicator, sub_indicator, rpjmd_program)


def other_line(monev: Monev, *, pagu: Decimal | None = None, target: Decimal | None = None) -> PlanNode:
    """A program -> kegiatan -> sub-kegiatan of the other OPD in the RKPD 2026, linked to no sasaran."""
    plan = monev.plan
    program = plan_services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=None,
        data=NodeInput(jenis="program", kode="X.XX.01", opd=plan.other_opd),
    )
    kegiatan = plan_services.node_create(
        actor=None, document=plan.rkpd, parent=program, data=NodeInput(jenis="kegiatan", kode="X.XX.01.2.01")
    )
    sub = plan_services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=kegiatan,
        data=NodeInput(
            jenis="sub_kegiatan", kode="X.XX.01.2.01.0001", pagu={2026: pagu} if pagu is not None else None
        ),
    )
    if target is not None:
        set_targets(Indicator.objects.get(node=sub), {2026: target})
    return sub


@pytest.fixture
def history(monev: Monev) -> History:
    return build_history(monev)


def require_pdf() -> None:
    """Skip when WeasyPrint cannot run here (not installed, or its system libraries are missing)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"WeasyPrint tidak tersedia: {exc}")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sheet(data: bytes) -> Any:
    workbook = load_workbook(io.BytesIO(data))
    return workbook.active


def _find_row(sheet: Any, column: int, value: str) -> int:
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row=row, column=column).value == value:
            return row
    raise AssertionError(f"{value!r} not in column {column}")


def _header_row(sheet: Any) -> int:
    return _find_row(sheet, 1, "No")


def _column_of(table: reports.Table, key: str) -> int:
    return [c.key for c in table.columns].index(key) + 1


# --- RKPD table -------------------------------------------------------------------------------------


def test_rkpd_table_rows_follow_the_tree_with_the_worked_figures(history: History) -> None:
    plan = history.monev.plan
    table = reports.rkpd_table(plan.pemda, 2026, 2)
    levels = [(row.level, row.cells.get("kode")) for row in table.rows]
    assert levels == [
        ("program", "1.02.02"),
        ("kegiatan", "1.02.02.2.01"),
        ("sub_kegiatan", "1.02.02.2.01.0001"),
        ("total", None),
    ]
    program, kegiatan, sub, total = (row.cells for row in table.rows)
    assert sub["no"] == "1.1.1" and kegiatan["no"] == "1.1" and program["no"] == "1"
    assert sub["target_k"] == Decimal(4) and sub["target_rp"] == Decimal(750) * JUTA
    assert (sub["tw1_k"], sub["tw2_k"]) == (Decimal(1), Decimal(2))
    assert (sub["tw1_rp"], sub["tw2_rp"]) == (Decimal(150) * JUTA, Decimal(225) * JUTA)
    assert "tw3_k" not in sub and "tw3_rp" not in sub
    assert sub["real_k"] == Decimal(3) and sub["real_rp"] == Decimal(375) * JUTA
    assert sub["tingkat_k"] == Decimal("75.00") and sub["tingkat_rp"] == Decimal("50.00")
    # Against the Renstra: 2025 + 2026, target 10 in 2029, pagu 5 x 600 juta.
    assert sub["t_akhir_k"] == Decimal(10) and sub["t_akhir_rp"] == Decimal(3000) * JUTA
    assert sub["lalu_k"] == Decimal(2) and sub["lalu_rp"] == Decimal(450) * JUTA
    assert sub["rpjmd_k"] == Decimal(5) and sub["rpjmd_rp"] == Decimal(825) * JUTA
    assert sub["tingkat_rpjmd_k"] == Decimal("50.00") and sub["tingkat_rpjmd_rp"] == Decimal("27.50")
    assert sub["keterangan"] == "Sedang; RPJMD: Sangat Rendah"
    assert sub["opd"] == plan.opd.nama
    # The program's own outcome, matched by name (case ignored) with the RPJMD program's indicator.
    assert program["indikator"] == "Persentase Fasilitas Kesehatan sesuai standar (%)"
    assert program["target_k"] == Decimal(60) and program["real_k"] == Decimal(45)
    assert program["tingkat_k"] == Decimal("75.00")
    assert program["t_akhir_k"] == Decimal(80) and program["tingkat_rpjmd_k"] == Decimal("56.25")
    assert program["sasaran"] == "1.1.3 Meningkatnya kesetaraan gender"
    # Rp of a program is the sum of its sub-kegiatan.
    assert program["target_rp"] == Decimal(750) * JUTA and program["real_rp"] == Decimal(375) * JUTA
    assert "Rata-rata capaian sub-kegiatan: 75,00% (Sedang)" in program["keterangan"]
    assert total["tingkat_k"] == Decimal("75.00") and total["tingkat_rp"] == Decimal("50.00")


def test_rkpd_xlsx_has_the_annex_header_and_the_figures(history: History) -> None:
    plan = history.monev.plan
    table = reports.rkpd_table(plan.pemda, 2026, 2)
    sheet = _sheet(reports.table_xlsx(table))
    top = _header_row(sheet)
    assert sheet.cell(row=1, column=1).value == "Evaluasi terhadap hasil RKPD Kabupaten Kotabaru tahun 2026"
    # Two-level header: the group over K and Rp is merged, K and Rp below it.
    target = _column_of(table, "target_k")
    assert sheet.cell(row=top, column=target).value == (
        "Target kinerja dan anggaran RKPD tahun berjalan (2026)"
    )
    assert (
        sheet.cell(row=top + 1, column=target).value,
        sheet.cell(row=top + 1, column=target + 1).value,
    ) == (
        "K",
        "Rp",
    )
    merged = {str(r) for r in sheet.merged_cells.ranges}
    letter, next_letter = get_column_letter(target), get_column_letter(target + 1)
    assert f"{letter}{top}:{next_letter}{top}" in merged
    assert f"A{top}:A{top + 1}" in merged  # "No" spans both header rows
    groups = [sheet.cell(row=top, column=c).value for c in range(1, sheet.max_column + 1)]
    for expected in (
        "Target RPJMD/Renstra pada akhir periode (2029)",
        "Realisasi capaian kinerja RPJMD s.d. RKPD tahun lalu (2025)",
        "Realisasi kinerja pada triwulan I",
        "Realisasi kinerja pada triwulan IV",
        "Realisasi capaian kinerja dan anggaran RKPD yang dievaluasi",
        "Tingkat capaian kinerja dan realisasi anggaran RKPD yang dievaluasi (%)",
        "Realisasi kinerja dan anggaran RPJMD s.d. tahun 2026",
        "Tingkat capaian kinerja dan realisasi anggaran RPJMD s.d. tahun 2026 (%)",
        "Perangkat daerah penanggung jawab",
        "Keterangan",
    ):
        assert expected in groups, expected
    # The annex's numbering row, 1 to 18.
    numbers = [sheet.cell(row=top + 2, column=c).value for c in range(1, sheet.max_column + 1)]
    assert [n for n in numbers if n] == [str(n) for n in range(1, 19)]
    assert sheet.freeze_panes == f"F{top + 3}"
    row = _find_row(sheet, 3, "1.02.02.2.01.0001")
    assert float(sheet.cell(row=row, column=_column_of(table, "real_k")).value) == 3
    assert float(sheet.cell(row=row, column=_column_of(table, "real_rp")).value) == 375_000_000
    assert float(sheet.cell(row=row, column=_column_of(table, "tingkat_k")).value) == 75
    assert float(sheet.cell(row=row, column=_column_of(table, "tingkat_rpjmd_rp")).value) == 27.5
    assert sheet.cell(row=row, column=_column_of(table, "tingkat_k")).number_format == "0.00"
    assert sheet.cell(row=row, column=_column_of(table, "real_rp")).number_format == "#,##0"
    assert sheet.cell(row=row, column=_column_of(table, "keterangan")).value == "Sedang; RPJMD: Sangat Rendah"


def test_submitted_realizations_count_only_when_asked(history: History) -> None:
    plan = history.monev.plan
    report(plan.sub, 2026, 3, {history.sub_indicator: Decimal(1)}, Decimal(100) * JUTA, verify=False)
    final = reports.rkpd_table(plan.pemda, 2026, 3).rows[2].cells
    provisional = reports.rkpd_table(plan.pemda, 2026, 3, include_submitted=True).rows[2].cells
    assert final["real_k"] == Decimal(3) and "tw3_k" in final and final["tw3_k"] is None
    assert provisional["real_k"] == Decimal(4) and provisional["tingkat_k"] == Decimal("100.00")
    table = reports.rkpd_table(plan.pemda, 2026, 3, include_submitted=True)
    assert any("belum diverifikasi" in line for line in table.subtitle)


def test_a_correction_in_progress_keeps_the_verified_figures(history: History) -> None:
    plan = history.monev.plan
    verified = Realization.objects.get(node=plan.program, tahun=2026, triwulan=2)
    services.realization_revise(actor=None, realization=verified)
    program = reports.rkpd_table(plan.pemda, 2026, 2).rows[0].cells
    assert program["real_k"] == Decimal(45) and program["tingkat_k"] == Decimal("75.00")


def test_rkpd_table_for_an_opd_keeps_only_its_lines(history: History) -> None:
    plan = history.monev.plan
    table = reports.rkpd_table(plan.pemda, 2026, 2, opd_ids=frozenset({plan.other_opd.pk}))
    assert [row.level for row in table.rows] == ["total"]
    assert any(plan.other_opd.nama in line for line in table.subtitle)


def test_a_year_without_rkpd_is_a_clear_error(history: History) -> None:
    with pytest.raises(reports.ApplicationError, match="Belum ada RKPD tahun 2031"):
        reports.rkpd_table(history.monev.plan.pemda, 2031, 4)


def test_user_text_never_becomes_a_formula(history: History) -> None:
    plan = history.monev.plan
    PlanNode.objects.filter(pk=plan.sub.pk).update(nama='=HYPERLINK("http://contoh")')
    sheet = _sheet(reports.table_xlsx(reports.rkpd_table(plan.pemda, 2026, 2)))
    row = _find_row(sheet, 3, "1.02.02.2.01.0001")
    cell = sheet.cell(row=row, column=4)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


# --- RPJMD table ------------------------------------------------------------------------------------


def test_rpjmd_table_rates_the_sasaran_at_the_end_of_the_period(history: History) -> None:
    plan = history.monev.plan
    table = reports.rpjmd_table(plan.pemda, 2026, 2)
    rows = {row.cells.get("kode"): row for row in table.rows}
    sasaran = rows["1.1.3"].cells
    assert sasaran["indikator"] == "Indeks Ketimpangan Gender (IKG)"
    assert sasaran["t_akhir"] == Decimal("0.45")
    assert sasaran["t2026"] == Decimal("0.51") and sasaran["r2026"] == Decimal("0.50")
    assert sasaran["c2026"] == Decimal("101.96") and sasaran["r2025"] == Decimal("0.52")
    assert "r2027" not in sasaran and sasaran["t2027"] == Decimal("0.49")
    assert sasaran["r_akhir"] == Decimal("0.50") and sasaran["c_akhir"] == Decimal("88.89")
    assert sasaran["predikat"] == "Tinggi"
    tujuan = rows["1.1"].cells
    assert tujuan["c_akhir"] is None and tujuan["keterangan"] == "tidak dapat dihitung: belum ada realisasi"
    sheet = _sheet(reports.table_xlsx(table))
    top = _header_row(sheet)
    headers = [sheet.cell(row=top, column=c).value for c in range(1, sheet.max_column + 1)]
    assert "2025" in headers and "2029" in headers and "Akhir periode s.d. 2026" in headers
    first_year = headers.index("2025") + 1
    assert [sheet.cell(row=top + 1, column=first_year + i).value for i in range(3)] == [
        "Target",
        "Realisasi",
        "Capaian (%)",
    ]
    row = _find_row(sheet, 2, "1.1.3")
    assert float(sheet.cell(row=row, column=_column_of(table, "c_akhir")).value) == pytest.approx(88.89)


def test_rpjmd_table_for_an_operator_shows_the_sasaran_its_opd_serves(history: History) -> None:
    plan = history.monev.plan
    own = reports.rpjmd_table(plan.pemda, 2026, 2, opd_ids=frozenset({plan.opd.pk}))
    assert [row.cells.get("kode") for row in own.rows] == ["1.1.3"]
    other = reports.rpjmd_table(plan.pemda, 2026, 2, opd_ids=frozenset({plan.other_opd.pk}))
    assert other.rows == []


def test_rpjmd_missing_is_a_clear_error(history: History) -> None:
    with pytest.raises(reports.ApplicationError, match="Belum ada RPJMD"):
        reports.rpjmd_table(history.monev.plan.pemda, 2035, 4)


# --- PDF --------------------------------------------------------------------------------------------


def test_pdfs_render(history: History) -> None:
    require_pdf()
    plan = history.monev.plan
    for table in (reports.rkpd_table(plan.pemda, 2026, 2), reports.rpjmd_table(plan.pemda, 2026, 2)):
        data = reports.table_pdf(table)
        assert data.startswith(b"%PDF") and len(data) > 5000


def test_pdf_html_has_the_two_level_header_and_the_charts(history: History) -> None:
    from django.template.loader import render_to_string

    table = reports.rkpd_table(history.monev.plan.pemda, 2026, 2)
    html = render_to_string("monitoring/report_pdf.html", reports.pdf_context(table))
    assert 'colspan="2" rowspan="1">Target kinerja dan anggaran RKPD tahun berjalan (2026)</th>' in html
    assert 'rowspan="2">Kode</th>' in html
    assert "<svg" in html and "75,00" in html


def test_missing_pdf_libraries_give_an_application_error(
    history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def broken(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", broken)
    table = reports.rkpd_table(history.monev.plan.pemda, 2026, 2)
    with pytest.raises(reports.PdfUnavailableError) as caught:
        reports.table_pdf(table)
    assert caught.value.status == 503 and "libpango-1.0-0" in caught.value.message


# --- report page ------------------------------------------------------------------------------------


def _report_url(monev: Monev, query: str = "") -> str:
    return reverse("monev_reports:reports", kwargs={"kode": monev.plan.pemda.kode}) + query


def test_report_page_lists_the_downloads(history: History) -> None:
    monev = history.monev
    page = _client(monev.plan.perencana).get(_report_url(monev, "?tahun=2026&tw=2"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "jenis=rkpd" in text and "format=pdf" in text and "jenis=rpjmd" in text


def test_report_page_downloads_xlsx(history: History) -> None:
    monev = history.monev
    response = _client(monev.plan.perencana).get(
        _report_url(monev, "?tahun=2026&tw=2&jenis=rkpd&format=xlsx")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == reports.XLSX_TYPE
    assert 'filename="evaluasi-rkpd-63.02-2026-tw2.xlsx"' in response["Content-Disposition"]
    sheet = _sheet(response.content)
    assert _find_row(sheet, 3, "1.02.02.2.01.0001")


def test_report_page_downloads_pdf(history: History) -> None:
    require_pdf()
    monev = history.monev
    response = _client(monev.plan.perencana).get(
        _report_url(monev, "?tahun=2026&tw=2&jenis=rpjmd&format=pdf")
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_operator_report_is_limited_to_its_own_opd(history: History) -> None:
    monev = history.monev
    own = _client(monev.operator).get(_report_url(monev, "?tahun=2026&tw=2&jenis=rkpd&format=xlsx"))
    assert _find_row(_sheet(own.content), 3, "1.02.02.2.01.0001")
    other = _client(monev.other_operator).get(_report_url(monev, "?tahun=2026&tw=2&jenis=rkpd&format=xlsx"))
    sheet = _sheet(other.content)
    codes = [sheet.cell(row=r, column=3).value for r in range(1, sheet.max_row + 1)]
    assert "1.02.02.2.01.0001" not in codes and "1.02.02" not in codes


def test_report_page_refuses_bad_choices_and_missing_years(
    history: History, client_as: Callable[..., Client]
) -> None:
    monev = history.monev
    client = _client(monev.plan.perencana)
    bad = client.get(_report_url(monev, "?tahun=2026&jenis=lain&format=xlsx"))
    assert bad.status_code == 400 and "jenis" in bad.content.decode().lower()
    missing = client.get(_report_url(monev, "?tahun=2031&tw=4&jenis=rkpd&format=xlsx"))
    assert missing.status_code == 404 and "Belum ada RKPD tahun 2031" in missing.content.decode()
    pimpinan = client_as(Role.PIMPINAN, history.monev.plan.pemda)
    assert pimpinan.get(_report_url(monev)).status_code == 200


def test_pdf_unavailable_shows_the_page_not_a_500(history: History, monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(table: reports.Table) -> bytes:
        raise reports.PdfUnavailableError("PDF tidak dapat dibuat: libpango-1.0-0 belum terpasang.")

    monkeypatch.setattr(reports, "table_pdf", unavailable)
    monev = history.monev
    response = _client(monev.plan.perencana).get(_report_url(monev, "?tahun=2026&tw=2&jenis=rkpd&format=pdf"))
    assert response.status_code == 503 and "libpango-1.0-0" in response.content.decode()
