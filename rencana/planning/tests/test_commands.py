import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from rencana.planning import plan_io
from rencana.planning.models import PlanDocument, PlanNode
from rencana.planning.tests.conftest import Plan

pytestmark = pytest.mark.django_db


def test_check_as_json_and_text(plan: Plan) -> None:
    out = io.StringIO()
    call_command(
        "planning",
        "check",
        "--pemda",
        "63.02",
        "--dokumen",
        str(plan.rkpd.pk),
        "--format",
        "json",
        stdout=out,
    )
    body = json.loads(out.getvalue())
    assert body["document_id"] == plan.rkpd.pk and body["pct_pagu_traceable"] == 100.0
    text = io.StringIO()
    call_command("planning", "check", "--pemda", "63.02", "--dokumen", str(plan.rpjmd.pk), stdout=text)
    assert "Ringkasan" in text.getvalue()


def test_import_creates_the_document_and_is_idempotent(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "rkpd.xlsx"
    path.write_bytes(plan_io.document_export_bytes(plan.rkpd))
    PlanNode.objects.filter(dokumen=plan.rkpd).delete()
    plan.rkpd.delete()
    out = io.StringIO()
    call_command(
        "planning", "import", "--pemda", "63.02", "--jenis", "RKPD", "--tahun", "2026", str(path), stdout=out
    )
    assert "3 baru" in out.getvalue()
    document = PlanDocument.objects.get(pemda=plan.pemda, jenis="RKPD")
    assert document.induk_id == plan.rpjmd.pk
    again = io.StringIO()
    call_command(
        "planning",
        "import",
        "--pemda",
        "63.02",
        "--jenis",
        "rkpd",
        "--tahun",
        "2026",
        str(path),
        stdout=again,
    )
    assert "0 baru, 0 diubah, 3 tidak berubah" in again.getvalue()


def test_import_with_errors_exits_2_listing_every_bad_cell(plan: Plan, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Kode", "Pagu", "OPD"])
    sheet.append(["1.02.02.2.01.0002", "sepuluh", "A.01"])
    sheet.append(["bukan kode", "10", "A.01"])
    path = tmp_path / "salah.xlsx"
    workbook.save(path)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "planning",
            "import",
            "--pemda",
            "63.02",
            "--jenis",
            "RKPD",
            "--tahun",
            "2027",
            str(path),
            stderr=err,
        )
    assert exited.value.code == 2
    assert "baris 2, kolom Pagu" in err.getvalue() and "baris 3, kolom Kode" in err.getvalue()
    assert not PlanDocument.objects.filter(tahun_mulai=2027).exists()


def test_dry_run_writes_nothing(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "rkpd.xlsx"
    path.write_bytes(plan_io.document_export_bytes(plan.rkpd))
    out = io.StringIO()
    call_command(
        "planning",
        "import",
        "--pemda",
        "63.02",
        "--jenis",
        "RKPD",
        "--tahun",
        "2027",
        "--dry-run",
        str(path),
        stdout=out,
    )
    assert "uji coba" in out.getvalue()
    assert not PlanDocument.objects.filter(tahun_mulai=2027).exists()


def test_export_writes_the_import_layout(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "keluar.xlsx"
    call_command(
        "planning",
        "export",
        "--pemda",
        "63.02",
        "--dokumen",
        str(plan.rpjmd.pk),
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    assert path.stat().st_size > 0
