"""`rencana monev evaluate`: JSON to stdout, XLSX/PDF to a file, one Indonesian line on bad input."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from rencana.monitoring.management.commands.monev import Command
from rencana.monitoring.tests.conftest import Monev
from rencana.monitoring.tests.test_reports import History, build_history, require_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(name="history")
def history_fixture(monev: Monev) -> History:
    return build_history(monev)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("monev", "evaluate", *args, stdout=out)
    return out.getvalue()


def test_json_has_totals_groups_and_every_line(history: History) -> None:
    plan = history.monev.plan
    data = json.loads(_run("--pemda", plan.pemda.kode, "--tahun", "2026", "--triwulan", "2"))
    assert (data["tahun"], data["triwulan"], data["dasar"]) == (2026, 2, "terverifikasi")
    assert data["dokumen"]["id"] == plan.rkpd.pk
    total = data["total"]
    assert (total["capaian"], total["predikat"], total["serapan"]) == ("75.00", "Sedang", "50.00")
    assert total["pagu"] == "750000000.00" and total["realisasi_anggaran"] == "375000000.00"
    assert [g["nama"] for g in data["per_opd"]] == [plan.opd.nama]
    assert data["per_sasaran"][0]["nama"] == "1.1.3 Meningkatnya kesetaraan gender"
    assert data["per_sasaran"][0]["sasaran_id"] == plan.sasaran.pk
    [line] = data["baris"]
    assert line["kode"] == plan.sub.kode and line["opd"]["kode"] == plan.opd.kode
    assert line["status_triwulan"] == ["verified", "verified"]
    assert line["efisiensi"]["kategori"] == "wajar"
    [indicator] = line["indikator"]
    assert indicator["target"] == "4.0000" and indicator["triwulan"] == ["1.0000", "2.0000"]
    assert (indicator["realisasi"], indicator["capaian"], indicator["predikat"]) == (
        "3.0000",
        "75.00",
        "Sedang",
    )
    assert indicator["alasan"] is None


def test_json_shows_the_reason_of_an_unrated_indicator(history: History) -> None:
    from rencana.monitoring.tests.test_reports import other_line

    plan = history.monev.plan
    sub = other_line(history.monev)
    data = json.loads(_run("--pemda", plan.pemda.kode, "--tahun", "2026", "--triwulan", "1"))
    lines = {line["kode"]: line for line in data["baris"]}
    assert lines[plan.sub.kode]["indikator"][0]["capaian"] == "25.00"
    unrated = lines[sub.kode]["indikator"][0]
    assert (unrated["capaian"], unrated["predikat"]) == (None, None)
    assert unrated["alasan"] == "target tahun ini belum diisi"
    assert {g["nama"] for g in data["per_opd"]} == {plan.opd.nama, plan.other_opd.nama}


def test_provisional_counts_submitted_reports(history: History) -> None:
    from decimal import Decimal

    from rencana.monitoring.tests.test_reports import JUTA, report

    plan = history.monev.plan
    report(plan.sub, 2026, 3, {history.sub_indicator: Decimal(1)}, Decimal(100) * JUTA, verify=False)
    final = json.loads(_run("--pemda", plan.pemda.kode, "--tahun", "2026", "--triwulan", "3"))
    provisional = json.loads(
        _run("--pemda", plan.pemda.kode, "--tahun", "2026", "--triwulan", "3", "--sementara")
    )
    assert final["baris"][0]["indikator"][0]["realisasi"] == "3.0000"
    assert provisional["dasar"] == "terverifikasi_dan_diajukan"
    assert provisional["baris"][0]["indikator"][0]["realisasi"] == "4.0000"


def test_xlsx_and_json_files(history: History, tmp_path: Path) -> None:
    plan = history.monev.plan
    target = tmp_path / "rkpd.xlsx"
    message = _run("--pemda", plan.pemda.kode, "--tahun", "2026", "--format", "xlsx", "--output", str(target))
    assert "ditulis ke" in message
    sheet = load_workbook(target).active
    assert (
        sheet is not None
        and sheet["A1"].value == "Evaluasi terhadap hasil RKPD Kabupaten Kotabaru tahun 2026"
    )
    rpjmd = tmp_path / "rpjmd.xlsx"
    _run(
        "--pemda",
        plan.pemda.kode,
        "--tahun",
        "2026",
        "--format",
        "xlsx",
        "--jenis",
        "rpjmd",
        "--output",
        str(rpjmd),
    )
    rpjmd_sheet = load_workbook(rpjmd).active
    assert rpjmd_sheet is not None
    assert str(rpjmd_sheet["A1"].value).startswith("Evaluasi capaian akhir periode")
    as_json = tmp_path / "evaluasi.json"
    _run("--pemda", plan.pemda.kode, "--tahun", "2026", "--output", str(as_json))
    assert json.loads(as_json.read_text(encoding="utf-8"))["tahun"] == 2026


def test_pdf_file(history: History, tmp_path: Path) -> None:
    require_pdf()
    target = tmp_path / "rkpd.pdf"
    _run(
        "--pemda",
        history.monev.plan.pemda.kode,
        "--tahun",
        "2026",
        "--format",
        "pdf",
        "--output",
        str(target),
    )
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pemda", "99.99", "--tahun", "2026"], "Pemda 99.99 belum terdaftar"),
        (["--pemda", "63.02", "--tahun", "2031"], "Belum ada RKPD tahun 2031"),
        (
            ["--pemda", "63.02", "--tahun", "2031", "--format", "xlsx", "--output", "x.xlsx"],
            "Belum ada RKPD tahun 2031",
        ),
        (["--pemda", "63.02", "--tahun", "1999"], "Tahun 1999 tidak sah"),
        (["--pemda", "63.02", "--tahun", "2026", "--format", "pdf"], "perlu --output"),
    ],
)
def test_bad_input_is_one_line(history: History, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_exit_status_and_stderr_from_the_shell(history: History, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["rencana", "monev", "evaluate", "--pemda", "99.99", "--tahun", "2026"])
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Pemda 99.99 belum terdaftar" in err
