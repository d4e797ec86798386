"""`rencana izin rekap-import`: in-process (recap_cli.run, call_command) and the real console script."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from rencana.conftest import make_pemda
from rencana.permits import recap_cli
from rencana.permits.models import RecapImport, RecapRow
from rencana.permits.tests.test_recap_pure import (
    CLEAN,
    CORRECTED,
    LAMPUNG,
    PRINTED_PROBLEMS,
    as_xlsx,
    lampung_rows,
)
from rencana.regions.models import Pemda

PROJECT = Path(__file__).resolve().parents[3]
PRINTED_JSON = [(b, k, j) for b, k, j, _t in PRINTED_PROBLEMS]


def rencana_script() -> str:
    beside_python = Path(sys.executable).parent / "rencana"
    found = str(beside_python) if beside_python.exists() else shutil.which("rencana")
    assert found, "the `rencana` console script is not installed (pip install -e .)"
    return found


def triples(output: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(m["baris"], m["kolom"], m["jenis"]) for m in output["masalah"]]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, data in {
        "printed.csv": LAMPUNG,
        "corrected.csv": CORRECTED,
        "clean.csv": CLEAN,
        "printed.xlsx": as_xlsx(lampung_rows("5.319.05")),
        "pdf.csv": b"%PDF-1.7",
    }.items():
        (tmp_path / name).write_bytes(data)
        paths[name] = tmp_path / name
    return paths


# --- in-process -----------------------------------------------------------------------------------


@pytest.fixture
def lampung(db: Any) -> Pemda:
    return make_pemda("18", "Provinsi Lampung", "provinsi")


def run(path: Path, **options: Any) -> tuple[int, dict[str, Any] | str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = recap_cli.run({"pemda": "18", "file": path, "format": "json", **options}, out, err)
    text = out.getvalue()
    return (
        status,
        (json.loads(text) if options.get("format", "json") == "json" and text else text),
        err.getvalue(),
    )


def test_run_exit_statuses_and_json(lampung: Pemda, files: dict[str, Path]) -> None:
    status, output, _err = run(files["printed.csv"])
    assert status == 2 and isinstance(output, dict)
    assert triples(output) == PRINTED_JSON
    assert output["ditolak"] and not output["diimpor"] and output["rekap_id"] is None
    assert set(output["masalah"][0]) == {"baris", "kolom", "jenis", "pesan"}
    assert not RecapImport.objects.exists()

    status, output, _err = run(files["corrected.csv"], dry_run=True)
    assert status == 1 and isinstance(output, dict)
    assert output["uji_coba"] and not output["diimpor"] and not RecapImport.objects.exists()

    status, output, _err = run(files["corrected.csv"])
    assert status == 1 and isinstance(output, dict)
    assert triples(output) == PRINTED_JSON[1:]
    assert output["diimpor"] and output["baris"] == 8 and output["rekap_id"] == RecapImport.objects.get().pk

    status, output, _err = run(files["corrected.csv"])
    assert status == 1 and isinstance(output, dict)
    assert output["sudah_ada"] and not output["diimpor"] and RecapImport.objects.count() == 1

    status, output, _err = run(files["clean.csv"])
    assert status == 0 and isinstance(output, dict) and output["masalah"] == [] and output["diimpor"]


def test_run_text_format_xlsx_and_bad_input(lampung: Pemda, files: dict[str, Path], tmp_path: Path) -> None:
    status, text, _err = run(files["printed.xlsx"], format="text")
    assert status == 2 and isinstance(text, str)
    assert "baris 5, luas_garapan_ha [galat angka_ambigu]" in text and "DITOLAK" in text
    status, output, _err = run(files["pdf.csv"])
    assert (
        status == 2 and isinstance(output, dict) and output["masalah"][0]["jenis"] == "berkas_tidak_terbaca"
    )
    status, output, _err = run(tmp_path / "tidak-ada.csv")
    assert status == 2 and isinstance(output, dict) and "tidak ditemukan" in output["masalah"][0]["pesan"]
    status, output, err = run(files["clean.csv"], pemda="99")
    assert status == 2 and output == "" and "belum terdaftar" in err
    status, output, err = run(files["clean.csv"], tahun=99)
    assert status == 2 and "Tahun" in err
    assert not RecapImport.objects.exists()


def test_izin_command_in_process(lampung: Pemda, files: dict[str, Path]) -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "izin", "rekap-import", "--pemda", "18", str(files["printed.csv"]), "--format", "json", stdout=out
        )
    assert exited.value.code == 2
    assert triples(json.loads(out.getvalue())) == PRINTED_JSON
    out = io.StringIO()
    call_command(
        "izin", "rekap-import", "--pemda", "18", str(files["clean.csv"]), "--format", "json", stdout=out
    )
    assert json.loads(out.getvalue())["diimpor"] and RecapRow.objects.count() == 9


# --- the real console script ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh SQLite database with the Lampung province registered, for the subprocesses."""
    folder = tmp_path_factory.mktemp("rekap-cli")
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"sqlite:///{folder / 'rencana.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "rencana.settings_test",
    }
    setup = (
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "from rencana.regions.models import Region; from rencana.regions.services import pemda_ensure; "
        "Region.objects.create(kode='18', nama='Lampung', level='provinsi', nama_cari='lampung', "
        "edisi='2025'); "
        "pemda_ensure(actor=None, kode='18')"
    )
    done = subprocess.run(
        [rencana_script(), "shell", "-c", setup],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return env


def rekap_import(env: dict[str, str], path: Path, *extra: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [rencana_script(), "izin", "rekap-import", "--pemda", "18", str(path), "--format", "json", *extra],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_console_script_lampung_acceptance(cli_env: dict[str, str], files: dict[str, Path]) -> None:
    printed = rekap_import(cli_env, files["printed.csv"])
    assert printed.returncode == 2, printed.stderr.decode()
    output = json.loads(printed.stdout)
    assert triples(output) == PRINTED_JSON
    assert output["ditolak"] and output["rekap_id"] is None
    assert "Traceback" not in printed.stderr.decode()

    corrected = rekap_import(cli_env, files["corrected.csv"])
    assert corrected.returncode == 1, corrected.stderr.decode()
    output = json.loads(corrected.stdout)
    assert triples(output) == PRINTED_JSON[1:]
    assert output["diimpor"] and isinstance(output["rekap_id"], int)

    clean = rekap_import(cli_env, files["clean.csv"])
    assert clean.returncode == 0 and json.loads(clean.stdout)["masalah"] == []
