"""`rencana calc capaian`: the real console script in a subprocess, and the registered function in-process."""

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
from rencana.monitoring.calculators import capaian_calc

PROJECT = Path(__file__).resolve().parents[3]


def rencana_script() -> str:
    """The `rencana` console script of the running virtualenv (.venv/bin/rencana here)."""
    beside_python = Path(sys.executable).parent / "rencana"
    found = str(beside_python) if beside_python.exists() else shutil.which("rencana")
    assert found, "the `rencana` console script is not installed (pip install -e .)"
    return found


def run_capaian(stdin: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [rencana_script(), "calc", "capaian"],
        input=stdin.encode(),
        capture_output=True,
        cwd=PROJECT,
        timeout=60,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert result.stdout == b""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


GOOD = [
    (
        '{"target": 0.45, "realisasi": 0.551, "polaritas": "negatif"}',
        {"capaian": 77.56, "predikat": "Tinggi", "alasan": None},
    ),
    (
        '{"target": 7, "realisasi": 6.5, "polaritas": "negatif"}',
        {"capaian": 107.14, "predikat": "Sangat Tinggi", "alasan": None},
    ),
    (
        '{"target": 10, "realisasi": 7, "polaritas": "positif"}',
        {"capaian": 70, "predikat": "Sedang", "alasan": None},
    ),
    (
        '{"target": 0, "realisasi": 3, "polaritas": "positif"}',
        {"capaian": None, "predikat": None, "alasan": "tidak dapat dihitung: target 0"},
    ),
]

BAD = [
    ('{"realisasi": 1, "polaritas": "positif"}', "“target” wajib ada"),
    ('{"target": 1, "polaritas": "positif"}', "“realisasi” wajib ada"),
    ('{"target": 1, "realisasi": 1}', "“polaritas” wajib ada"),
    ('{"target": "0,45", "realisasi": 1, "polaritas": "positif"}', "“target” harus berupa angka"),
    ('{"target": true, "realisasi": 1, "polaritas": "positif"}', "“target” harus berupa angka"),
    ('{"target": 1, "realisasi": null, "polaritas": "positif"}', "“realisasi” harus berupa angka"),
    ('{"target": -1, "realisasi": 1, "polaritas": "positif"}', "“target” tidak boleh negatif"),
    ('{"target": 1, "realisasi": -0.5, "polaritas": "positif"}', "“realisasi” tidak boleh negatif"),
    ('{"target": 1, "realisasi": 1, "polaritas": "netral"}', "Polaritas “netral” tidak dikenal"),
    ('{"target": 1, "realisasi": 1, "polaritas": 1}', "“polaritas” harus berupa teks"),
    ('{"target": 1e-20, "realisasi": 1e20, "polaritas": "positif"}', "periksa angka dan satuannya"),
]


@pytest.mark.parametrize(("stdin", "expected"), GOOD)
def test_command_prints_capaian_as_a_json_number(stdin: str, expected: dict[str, Any]) -> None:
    result = run_capaian(stdin)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert out.count("\n") == 1
    assert json.loads(out) == expected


def test_command_prints_the_issue_example_exactly() -> None:
    result = run_capaian('{"target": 0.45, "realisasi": 0.551, "polaritas": "negatif"}')
    assert result.stdout.decode().strip() == '{"capaian": 77.56, "predikat": "Tinggi", "alasan": null}'


@pytest.mark.parametrize(("stdin", "fragment"), BAD)
def test_command_refuses_bad_input_with_exit_2_and_one_line(stdin: str, fragment: str) -> None:
    assert fragment in one_line_error(run_capaian(stdin))


def test_command_lists_the_calculator() -> None:
    result = subprocess.run(
        [rencana_script(), "calc", "--list"], capture_output=True, cwd=PROJECT, timeout=60, check=False
    )
    assert result.returncode == 0
    assert "capaian\t" in result.stdout.decode()


# In-process: the registered function, whether or not the app is installed yet.


def decimal_input(stdin: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(stdin, parse_float=Decimal)
    return data


@pytest.mark.parametrize(("stdin", "expected"), GOOD)
def test_registered_function_gives_the_same_json(stdin: str, expected: dict[str, Any]) -> None:
    calculator = calculators.get_calculator("capaian")
    assert calculator is not None and calculator.function is capaian_calc
    out = json.dumps(capaian_calc(decimal_input(stdin)), default=json_default)
    assert json.loads(out) == expected


def test_registered_function_keeps_two_decimals() -> None:
    result = capaian_calc(decimal_input('{"target": 0.45, "realisasi": 0.551, "polaritas": "negatif"}'))
    assert result == {"capaian": Decimal("77.56"), "predikat": "Tinggi", "alasan": None}
    assert (
        json.dumps(result, default=json_default) == '{"capaian": 77.56, "predikat": "Tinggi", "alasan": null}'
    )


@pytest.mark.parametrize(("stdin", "fragment"), BAD)
def test_registered_function_raises_calc_input_error(stdin: str, fragment: str) -> None:
    with pytest.raises(CalcInputError) as caught:
        capaian_calc(decimal_input(stdin))
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message
