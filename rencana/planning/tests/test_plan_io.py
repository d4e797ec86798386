import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from rencana.core.models import AuditEvent
from rencana.planning import plan_io, selectors, services
from rencana.planning.models import Indicator, PlanDocument, PlanNode
from rencana.planning.services import IndicatorInput, NodeInput
from rencana.planning.tests.conftest import Plan

pytestmark = pytest.mark.django_db


def _save(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _state(document: PlanDocument) -> dict[str, dict[str, str]]:
    return selectors.document_state(selectors.tree(document))


def _rkpd_copy(plan: Plan) -> PlanDocument:
    return services.document_create(
        actor=None, pemda=plan.pemda, jenis="RKPD", tahun_mulai=2026, induk=plan.rpjmd, nama="RKPD impor"
    )


def _enrich(plan: Plan) -> None:
    """More of what a real RKPD has: several indicators on one node, a location, a supporting program."""
    services.indicator_create(
        actor=None,
        node=plan.sub,
        data=IndicatorInput(
            nama="Persentase progres fisik", satuan="%", jenis="output", target={2026: Decimal("100")}
        ),
    )
    services.node_update(
        actor=None,
        node=plan.sub,
        expected_version=plan.sub.version,
        data=NodeInput(
            jenis="sub_kegiatan",
            kode=plan.sub.kode,
            nama=plan.sub.nama,
            opd=plan.opd,
            pagu={2026: Decimal("750000000.50")},
            sumber_dana="DAK Fisik",
            lokasi="63.02",
        ),
    )
    support = services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=None,
        data=NodeInput(jenis="program", kode="X.XX.01", opd=plan.other_opd),
    )
    kegiatan = services.node_create(
        actor=None, document=plan.rkpd, parent=support, data=NodeInput(jenis="kegiatan", kode="X.XX.01.2.01")
    )
    services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=kegiatan,
        data=NodeInput(jenis="sub_kegiatan", kode="X.XX.01.2.01.0001", pagu={2026: Decimal("125000000")}),
    )


def test_budget_export_then_import_is_lossless(plan: Plan, tmp_path: Path) -> None:
    _enrich(plan)
    path = _save(tmp_path / "rkpd.xlsx", plan_io.document_export_bytes(plan.rkpd))
    target = _rkpd_copy(plan)
    result = plan_io.document_import(actor=None, document=target, path=path, dry_run=False)
    assert result.ok, result.errors
    assert result.created == 6
    assert _state(target) == _state(plan.rkpd)


def test_reimporting_the_same_file_changes_nothing_and_audits_nothing(plan: Plan, tmp_path: Path) -> None:
    _enrich(plan)
    path = _save(tmp_path / "rkpd.xlsx", plan_io.document_export_bytes(plan.rkpd))
    before = AuditEvent.objects.count()
    result = plan_io.document_import(actor=None, document=plan.rkpd, path=path, dry_run=False)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert AuditEvent.objects.count() == before


def test_dry_run_counts_what_would_happen_and_writes_nothing(plan: Plan, tmp_path: Path) -> None:
    path = _save(tmp_path / "rkpd.xlsx", plan_io.document_export_bytes(plan.rkpd))
    target = _rkpd_copy(plan)
    result = plan_io.document_import(actor=None, document=target, path=path, dry_run=True)
    assert result.ok and result.created == 3
    assert not PlanNode.objects.filter(dokumen=target).exists()


def _messy_workbook(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["RENCANA KERJA PEMERINTAH DAERAH KABUPATEN KOTABARU TAHUN 2026"])
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(
        ["Kode ", "Sub Kegiatan", "Indikator", "Target", "Satuan", "Pagu (Rp)", "Kode OPD", "Sasaran RPJMD"]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_messy_government_spreadsheet_is_understood(plan: Plan, tmp_path: Path) -> None:
    data = _messy_workbook(
        [
            # Excel turned the program code "1.02" style cells into numbers elsewhere; here the code
            # of a sub-kegiatan with spaces, Indonesian numbers, an OPD written by name.
            [
                " 1.02.02.2.01.0002 ",
                "",
                "Jumlah Puskesmas yang Dibangun",
                "2",
                "Unit",
                "1.250.000.000,50",
                "Dinas Rahasia Kotabaru ",
                "1.1.3",
            ],
            ["X.XX.01.2.01.0001", "", "", "", "", 300_000_000, "A.02", ""],
        ]
    )
    target = _rkpd_copy(plan)
    result = plan_io.document_import(
        actor=None, document=target, path=_save(tmp_path / "kotor.xlsx", data), dry_run=False
    )
    assert result.ok, result.errors
    sub = PlanNode.objects.get(dokumen=target, kode="1.02.02.2.01.0002")
    assert sub.nama == "Pembangunan Puskesmas"  # from the nomenclature
    assert sub.induk is not None and sub.induk.kode == "1.02.02.2.01"
    assert sub.induk.induk is not None and sub.induk.induk.kode == "1.02.02"
    assert sub.pagu.get().jumlah == Decimal("1250000000.50")
    assert list(sub.tautan_keluar.values_list("ke_id", flat=True)) == [plan.sasaran.pk]
    indicator = Indicator.objects.get(node=sub)
    assert indicator.target.get().nilai == Decimal(2)
    support = PlanNode.objects.get(dokumen=target, kode="X.XX.01.2.01.0001")
    assert support.opd == plan.other_opd
    assert support.nama == "Penyusunan Dokumen Perencanaan Perangkat Daerah"
    assert Indicator.objects.get(node=support).satuan == "Dokumen"  # pre-filled from the metadata


def test_a_file_with_errors_writes_nothing_and_names_every_bad_cell(plan: Plan, tmp_path: Path) -> None:
    data = _messy_workbook(
        [
            ["1.02.02.2.01.0001", "", "Jumlah RS", "dua", "Unit", "1.250.000", "A.01", ""],
            ["1.02.02.2.01.9999", "", "", "", "", "5.319.05", "A.01", ""],
            ["1.02.02.2.01.0002", "", "", "", "", "1000", "Dinas Tidak Ada", ""],
            ["1.02.02.2.01.0002", "", "", "", "", "1000", "A.01", "9.9.9"],
            ["1.02.02.1.01.0001", "", "", "", "", "1000", "A.01", ""],
        ]
    )
    target = _rkpd_copy(plan)
    result = plan_io.document_import(
        actor=None, document=target, path=_save(tmp_path / "salah.xlsx", data), dry_run=False
    )
    assert not result.ok
    cells = {(e.row, e.column) for e in result.errors}
    assert (4, "Target") in cells  # "dua" is not a number
    assert (5, "Pagu") in cells  # 5.319.05 is ambiguous
    assert not PlanNode.objects.filter(dokumen=target).exists()
    # Fix the cell errors: the rows the services refuse are all named too.
    data = _messy_workbook(
        [
            ["1.02.02.2.01.9999", "", "", "", "", "5.319,05", "A.01", ""],
            ["1.02.02.2.01.0002", "", "", "", "", "1000", "Dinas Tidak Ada", ""],
            ["1.02.02.2.01.0001", "", "", "", "", "1000", "A.01", "9.9.9"],
            ["1.02.02.1.01.0001", "", "", "", "", "1000", "A.01", ""],
        ]
    )
    result = plan_io.document_import(
        actor=None, document=target, path=_save(tmp_path / "salah2.xlsx", data), dry_run=False
    )
    rows: dict[int, list[tuple[str, str]]] = {}
    for error in result.errors:
        rows.setdefault(error.row, []).append((error.column, error.message))
    assert set(rows) == {4, 5, 6, 7}
    assert any("tidak ada di nomenklatur" in message for _c, message in rows[4])
    assert rows[5][0][0] == "OPD"
    assert rows[6][0][0] == "Sasaran"
    assert any("provinsi" in message for _c, message in rows[7])
    assert not PlanNode.objects.filter(dokumen=target).exists()


def test_codes_typed_as_numbers_are_restored(plan: Plan, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        ["Kode misi", "Misi", "Kode tujuan", "Tujuan", "Kode sasaran", "Sasaran", "Indikator", "Satuan"]
    )
    sheet.append([2, "Misi dua", 2.1, "Tujuan dua", 2.11, "Sasaran dua-satu-satu", "Indeks X", "indeks"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = plan_io.document_import(
        actor=None, document=plan.rpjmd, path=_save(tmp_path / "m.xlsx", buffer.getvalue()), dry_run=False
    )
    assert result.ok, result.errors
    assert PlanNode.objects.filter(dokumen=plan.rpjmd, jenis="tujuan", kode="2.1").exists()
    assert PlanNode.objects.filter(dokumen=plan.rpjmd, jenis="sasaran", kode="2.11").exists()


def test_matrix_export_then_import_is_lossless_and_idempotent(plan: Plan, tmp_path: Path) -> None:
    path = _save(tmp_path / "rpjmd.xlsx", plan_io.document_export_bytes(plan.rpjmd, "matriks"))
    sheet = load_workbook(path).active
    assert sheet is not None
    headers = [c.value for c in sheet[2]]
    assert headers[:6] == ["Kode misi", "Misi", "Kode tujuan", "Tujuan", "Kode sasaran", "Sasaran"]
    assert "Target 2029" in headers
    copy = services.document_create(
        actor=None, pemda=plan.pemda, jenis="RPJMD", tahun_mulai=2025, nama="Salinan"
    )
    result = plan_io.document_import(actor=None, document=copy, path=path, dry_run=False, layout="matriks")
    assert result.ok, result.errors
    strategic = {k: v for k, v in _state(plan.rpjmd).items() if not k.startswith("program")}
    assert _state(copy) == strategic
    again = plan_io.document_import(actor=None, document=copy, path=path, dry_run=False, layout="matriks")
    assert (again.created, again.updated) == (0, 0)


def test_template_explains_every_column(plan: Plan) -> None:
    workbook = load_workbook(io.BytesIO(plan_io.template_bytes(plan.rkpd)))
    assert workbook.sheetnames[1] == "Petunjuk"
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header[:6] == ["Kode", "Urusan", "Bidang", "Program", "Kegiatan", "Sub-kegiatan"]
    assert {"Indikator", "Target", "Satuan", "Pagu", "Lokasi", "Sumber dana", "OPD"} <= set(header)


def test_locked_documents_refuse_imports(plan: Plan, tmp_path: Path) -> None:
    doc = plan.rkpd
    for tahap in ("rancangan", "musrenbang", "rancangan_akhir", "ditetapkan"):
        services.document_set_stage(actor=None, document=doc, expected_version=doc.version, tahap=tahap)
    path = _save(tmp_path / "rkpd.xlsx", plan_io.document_export_bytes(doc))
    with pytest.raises(Exception, match="terkunci"):
        plan_io.document_import(actor=None, document=doc, path=path, dry_run=False)
