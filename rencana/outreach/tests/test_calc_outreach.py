"""`rencana calc outreach`: the real console script in a subprocess, and the registered function."""

import csv
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rencana.core import calculators
from rencana.core.calculators import CalcInputError, json_default
from rencana.outreach.calculators import outreach_calc

PROJECT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parent / "data"


def rencana_script() -> str:
    """The `rencana` console script of the running virtualenv (.venv/bin/rencana here)."""
    beside_python = Path(sys.executable).parent / "rencana"
    found = str(beside_python) if beside_python.exists() else shutil.which("rencana")
    assert found, "the `rencana` console script is not installed (pip install -e .)"
    return found


def run_outreach(stdin: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [rencana_script(), "calc", "outreach"],
        input=stdin.encode(),
        capture_output=True,
        cwd=PROJECT,
        timeout=60,
        check=False,
    )


def bekasi_input() -> str:
    with open(DATA / "outreach_bekasi_2022_pengetahuan.csv", encoding="utf-8") as fh:
        rows = [
            f'{{"sebelum": {r["sebelum_persen"]}, "sesudah": {r["sesudah_persen"]}}}'
            for r in csv.DictReader(fh)
        ]
    with open(DATA / "outreach_bekasi_2022_kepuasan.csv", encoding="utf-8") as fh:
        means = [r["rata_rata"] for r in csv.DictReader(fh)]
    return f'{{"butir": [{", ".join(rows)}], "kepuasan": [{", ".join(means)}]}}'


def one_line_error(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert result.stdout == b""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


BAD = [
    ("{}", "“butir” wajib ada"),
    ('{"butir": {}}', "“butir” harus berupa daftar"),
    ('{"butir": []}', "“butir” tidak boleh kosong"),
    ('{"butir": [1]}', "“butir[0]” (butir ke-1) harus berupa objek"),
    ('{"butir": [{"sesudah": 100}]}', "“butir[0].sebelum” (butir ke-1) wajib ada"),
    ('{"butir": [{"sebelum": 35}]}', "“butir[0].sesudah” (butir ke-1) wajib ada"),
    (
        '{"butir": [{"sebelum": 35, "sesudah": 100}, {"sebelum": 1, "sesudah": 2}, '
        '{"sebelum": "35", "sesudah": 1}]}',
        "“butir[2].sebelum” (butir ke-3) harus berupa angka",
    ),
    ('{"butir": [{"sebelum": true, "sesudah": 100}]}', "“butir[0].sebelum” (butir ke-1) harus berupa angka"),
    ('{"butir": [{"sebelum": null, "sesudah": 100}]}', "“butir[0].sebelum” (butir ke-1) harus berupa angka"),
    (
        '{"butir": [{"sebelum": 35, "sesudah": 100.5}]}',
        "“butir[0].sesudah” (butir ke-1) harus antara 0 dan 100%",
    ),
    (
        '{"butir": [{"sebelum": -1, "sesudah": 100}]}',
        "“butir[0].sebelum” (butir ke-1) harus antara 0 dan 100%",
    ),
    ('{"butir": [{"sebelum": 1, "sesudah": 2}], "kepuasan": [4.6, 6]}', "“kepuasan[1]”"),
    ('{"butir": [{"sebelum": 1, "sesudah": 2}], "kepuasan": "4,7"}', "“kepuasan” harus berupa daftar"),
]


def test_command_prints_the_bekasi_gains_and_averages() -> None:
    result = run_outreach(bekasi_input())
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert out.count("\n") == 1
    data = json.loads(out)
    first, fourth = data["butir"][0], data["butir"][3]
    assert first == {
        "nomor": 1,
        "sebelum": 35,
        "sesudah": 100,
        "gain": 65,
        "gain_ternormalisasi": 1,
        "kategori": "tinggi",
        "alasan": None,
    }
    assert (fourth["gain"], fourth["gain_ternormalisasi"], fourth["kategori"]) == (55, 0.61, "sedang")
    assert data["rata_rata"] == {
        "sebelum": 28,
        "sesudah": 89,
        "gain": 61,
        "gain_ternormalisasi": 0.87,
        "butir_gain_ternormalisasi": 10,
        "kategori": "tinggi",
    }
    assert data["gain_ternormalisasi_kelas"] == 0.85
    assert data["kepuasan"] == {"butir": 6, "rata_rata": 4.7}


def test_command_reports_g_undefined_at_100() -> None:
    result = run_outreach('{"butir": [{"sebelum": 100, "sesudah": 100}, {"sebelum": 50, "sesudah": 75}]}')
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["butir"][0]["gain_ternormalisasi"] is None
    assert data["butir"][0]["alasan"] == "tidak terdefinisi: sebelum 100%"
    assert data["rata_rata"]["gain_ternormalisasi"] == 0.5
    assert data["rata_rata"]["butir_gain_ternormalisasi"] == 1


# The console script is slow to start: a few cases through it, every case in-process below.
BAD_THROUGH_SCRIPT = [BAD[0], BAD[6], BAD[9], BAD[11]]


@pytest.mark.parametrize(("stdin", "fragment"), BAD_THROUGH_SCRIPT)
def test_command_refuses_bad_input_with_exit_2_naming_the_field(stdin: str, fragment: str) -> None:
    assert fragment in one_line_error(run_outreach(stdin))


def test_command_lists_the_calculator() -> None:
    result = subprocess.run(
        [rencana_script(), "calc", "--list"], capture_output=True, cwd=PROJECT, timeout=60, check=False
    )
    assert result.returncode == 0
    assert "outreach\t" in result.stdout.decode()


# In-process: the registered function.


def decimal_input(stdin: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(stdin, parse_float=Decimal)
    return data


def test_registered_function_is_the_calculator() -> None:
    calculators.discover()
    calculator = calculators.get_calculator("outreach")
    assert calculator is not None and calculator.function is outreach_calc


def test_registered_function_gives_decimals_rounded_half_up() -> None:
    result = outreach_calc(
        decimal_input('{"butir": [{"sebelum": 35, "sesudah": 100}, {"sebelum": 10, "sesudah": 65}]}')
    )
    assert result["butir"][0]["gain"] == Decimal("65.00")
    assert result["butir"][0]["gain_ternormalisasi"] == Decimal("1.00")
    assert result["butir"][1]["gain_ternormalisasi"] == Decimal("0.61")
    assert result["rata_rata"]["sebelum"] == Decimal("22.50")
    assert result["rata_rata"]["gain_ternormalisasi"] == Decimal("0.81")  # (1 + 0.6111) / 2
    assert result["gain_ternormalisasi_kelas"] == Decimal("0.77")  # 60 / 77.5
    assert json.loads(json.dumps(result, default=json_default))["rata_rata"]["sebelum"] == 22.5


def test_registered_function_reads_the_bekasi_tables() -> None:
    result = outreach_calc(decimal_input(bekasi_input()))
    assert result["kepuasan"]["rata_rata"] == Decimal("4.70")
    assert [row["gain"] for row in result["butir"]] == [
        Decimal(x) for x in (65, 60, 80, 55, 50, 70, 55, 70, 55, 50)
    ]


@pytest.mark.parametrize(("stdin", "fragment"), BAD)
def test_registered_function_raises_calc_input_error(stdin: str, fragment: str) -> None:
    with pytest.raises(CalcInputError) as caught:
        outreach_calc(decimal_input(stdin))
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message
