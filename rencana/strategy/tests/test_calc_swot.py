"""`rencana calc swot`: the real console script in a subprocess, and the registered function in-process."""

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
from rencana.strategy.calculators import swot_calc

PROJECT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).parent / "data"


def rencana_script() -> str:
    """The `rencana` console script of the running virtualenv (.venv/bin/rencana here)."""
    beside_python = Path(sys.executable).parent / "rencana"
    found = str(beside_python) if beside_python.exists() else shutil.which("rencana")
    assert found, "the `rencana` console script is not installed (pip install -e .)"
    return found


def run_swot(stdin: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [rencana_script(), "calc", "swot"],
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


def pasuruan_rows() -> list[dict[str, Any]]:
    """The acceptance CSV as the calculator's factor objects (numbers as written in the CSV)."""
    with (DATA / "swot_kota_pasuruan.csv").open(encoding="utf-8", newline="") as handle:
        return [
            {
                "jenis": row["jenis"],
                "kode": row["kode"],
                "faktor": row["faktor"],
                "bobot": Decimal(row["bobot"]),
                "rating": int(row["rating"]),
            }
            for row in csv.DictReader(handle)
        ]


def pasuruan_stdin(rows: list[dict[str, Any]] | None = None) -> str:
    """The input JSON; weights become JSON numbers (0.20 is written 0.2)."""
    return json.dumps({"faktor": pasuruan_rows() if rows is None else rows}, default=json_default)


def expected_json() -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(
        (DATA / "swot_kota_pasuruan_expected.json").read_text(encoding="utf-8")
    )
    expected.pop("note")
    return expected


def decimal_input(stdin: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(stdin, parse_float=Decimal)
    return data


def with_changes(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """The acceptance rows with some factors changed (by kode)."""
    rows = pasuruan_rows()
    for row in rows:
        row.update(changes.get(row["kode"], {}))
    return rows


BAD_FIELD = [
    ("{}", "Isian “faktor” wajib ada pada masukan"),
    ('{"faktor": {"S1": 1}}', "Isian “faktor” harus berupa daftar"),
    ('{"faktor": "S1"}', "Isian “faktor” harus berupa daftar"),
]


# The console script


def test_command_reproduces_the_acceptance_case() -> None:
    result = run_swot(pasuruan_stdin())
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert out.count("\n") == 1
    assert json.loads(out) == expected_json()


def test_command_prints_json_numbers_and_texts() -> None:
    out = json.loads(run_swot(pasuruan_stdin()).stdout.decode())
    assert out["x"] == 1.4 and out["ie_strategy"] == "hold and maintain"
    assert out["quadrant_strategy"] == "agresif (SO)"


def test_command_reports_every_problem_on_one_line() -> None:
    rows = with_changes(
        S1={"bobot": Decimal("0.10")},  # IFAS sums to 0.90
        S2={"rating": 5},
        O3={"faktor": ""},
    )
    err = one_line_error(run_swot(pasuruan_stdin(rows)))
    assert "Faktor S2: rating harus bilangan bulat 1–4, bukan 5." in err
    assert "Faktor O3: pernyataan faktor kosong." in err
    assert "Bobot IFAS berjumlah 0,90; harus 1,00 (±0,005)." in err


@pytest.mark.parametrize(("stdin", "fragment"), BAD_FIELD)
def test_command_names_a_missing_or_wrong_faktor_field(stdin: str, fragment: str) -> None:
    assert fragment in one_line_error(run_swot(stdin))


def test_command_lists_the_calculator() -> None:
    result = subprocess.run(
        [rencana_script(), "calc", "--list"], capture_output=True, cwd=PROJECT, timeout=60, check=False
    )
    assert result.returncode == 0
    assert "swot\t" in result.stdout.decode()


# In-process: the registered function


def test_registered_function_gives_the_same_json() -> None:
    calculator = calculators.get_calculator("swot")
    assert calculator is not None and calculator.function is swot_calc
    out = json.dumps(swot_calc(decimal_input(pasuruan_stdin())), default=json_default)
    assert json.loads(out) == expected_json()


def test_registered_function_keeps_two_decimals() -> None:
    result = swot_calc(decimal_input(pasuruan_stdin()))
    assert result["ifas"]["total"] == Decimal("2.50")
    assert str(result["efas"]["weights_sum"]) == "1.00"
    assert str(result["y"]) == "1.25"


def test_registered_function_lists_every_problem_naming_the_factor() -> None:
    rows = with_changes(S1={"bobot": Decimal("0.10")}, S2={"rating": 5}, O3={"faktor": "  "})
    with pytest.raises(CalcInputError) as caught:
        swot_calc(decimal_input(pasuruan_stdin(rows)))
    assert caught.value.message == (
        "Faktor S2: rating harus bilangan bulat 1–4, bukan 5. Faktor O3: pernyataan faktor kosong. "
        "Bobot IFAS berjumlah 0,90; harus 1,00 (±0,005)."
    )


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"bobot": "0,2"}, "Faktor S1: bobot harus berupa angka, bukan “0,2”."),
        ({"bobot": None}, "Faktor S1: bobot belum diisi."),
        ({"rating": 3.5}, "Faktor S1: rating harus bilangan bulat 1–4, bukan 3,5."),
        ({"rating": "3"}, "Faktor S1: rating harus bilangan bulat 1–4, bukan “3”."),
        ({"jenis": "K"}, "Faktor S1: jenis “K” tidak dikenal; gunakan S, W, O atau T."),
        ({"kode": "S2"}, "Kode S2 dipakai oleh lebih dari satu faktor."),
        ({"bobot": -0.2}, "Faktor S1: bobot tidak boleh negatif (-0,2)."),
    ],
)
def test_registered_function_names_the_faulty_field(change: dict[str, Any], fragment: str) -> None:
    data = decimal_input(pasuruan_stdin())
    data["faktor"][0].update(change)
    with pytest.raises(CalcInputError) as caught:
        swot_calc(data)
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message


def test_missing_fields_of_a_factor_are_reported_together() -> None:
    data = decimal_input(pasuruan_stdin())
    data["faktor"][0] = {"kode": "S1"}
    with pytest.raises(CalcInputError) as caught:
        swot_calc(data)
    assert caught.value.message.startswith(
        "Faktor S1: jenis belum diisi (S, W, O atau T). Faktor S1: pernyataan faktor kosong. "
        "Faktor S1: bobot belum diisi. Faktor S1: rating belum diisi."
    )


def test_an_entry_that_is_not_an_object_is_named_by_position() -> None:
    data = decimal_input(pasuruan_stdin())
    data["faktor"].append("S5")
    with pytest.raises(CalcInputError) as caught:
        swot_calc(data)
    assert caught.value.message == (
        "Faktor ke-12 harus berupa objek JSON dengan isian jenis, kode, faktor, bobot dan rating."
    )


@pytest.mark.parametrize(("stdin", "fragment"), BAD_FIELD)
def test_registered_function_names_the_faktor_field(stdin: str, fragment: str) -> None:
    with pytest.raises(CalcInputError) as caught:
        swot_calc(decimal_input(stdin))
    assert fragment in caught.value.message
