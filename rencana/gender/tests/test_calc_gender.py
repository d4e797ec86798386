"""`rencana calc ipm|ipg|gdi|gii|ikg`: the real console script in a subprocess, and the registered
functions in-process, on the acceptance rows and on bad input."""

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from rencana.core import calculators
from rencana.core.calculators import CalcFunction, CalcInputError, json_default
from rencana.gender.calculators import gdi_calc, gii_calc, ikg_calc, ipg_calc, ipm_calc

PROJECT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).parent / "data"
D = Decimal

IPM_FIELDS = ("uhh", "hls", "rls", "pengeluaran")
GII_FIELDS = ("mmr", "abr", "pr_f", "pr_m", "se_f", "se_m", "lfpr_f", "lfpr_m")
IKG_FIELDS = ("mtf", "mhpk20", "legislatif_l", "legislatif_p", "sma_l", "sma_p", "tpak_l", "tpak_p")
FUNCTIONS: dict[str, CalcFunction] = {
    "ipm": ipm_calc,
    "ipg": ipg_calc,
    "gdi": gdi_calc,
    "gii": gii_calc,
    "ikg": ikg_calc,
}


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    """The messages are checked in Indonesian, whatever language an earlier test left active."""
    with translation.override("id"):
        yield


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def json_object(row: dict[str, str], fields: tuple[str, ...], suffix: str = "") -> str:
    """The row's fields as a JSON object, each number exactly as the CSV writes it."""
    return "{" + ", ".join(f'"{field}": {row[field + suffix]}' for field in fields) + "}"


def gdi_input(row: dict[str, str]) -> str:
    female = json_object(row, ("le", "eys", "mys", "gni_pc"), "_f")
    male = json_object(row, ("le", "eys", "mys", "gni_pc"), "_m")
    return f'{{"female": {female}, "male": {male}}}'


IPM_CASES = [(json_object(row, IPM_FIELDS), row) for row in rows("ipm_bps.csv")]
UNDP_ROWS = rows("gdi_gii_undp_2021.csv")
GDI_CASES = [(gdi_input(row), row) for row in UNDP_ROWS]
GII_CASES = [(json_object(row, GII_FIELDS), row) for row in UNDP_ROWS]
IKG_CASES = [(json_object(row, IKG_FIELDS), row) for row in rows("ikg_bps.csv")]
IPG_INPUT = (
    '{"perempuan": {"uhh": 75.5, "hls": 13.3, "rls": 8.4, "pengeluaran": 9200000}, '
    '"laki_laki": {"uhh": 71.6, "hls": 13.0, "rls": 9.1, "pengeluaran": 15900000}}'
)
IKG_GOOD = json_object(
    {"mtf": "0.2", "mhpk20": "0.3", "legislatif_l": "78", "legislatif_p": "22"}
    | {"sma_l": "41", "sma_p": "35", "tpak_l": "84", "tpak_p": "48"},
    IKG_FIELDS,
)

BAD = [
    ("ipm", '{"hls": 13, "rls": 9, "pengeluaran": 10000000}', "“uhh” wajib ada"),
    ("ipm", '{"uhh": "73,93", "hls": 13, "rls": 9, "pengeluaran": 10000000}', "“uhh” harus berupa angka"),
    ("ipm", '{"uhh": 70, "hls": true, "rls": 9, "pengeluaran": 10000000}', "“hls” harus berupa angka"),
    ("ipm", '{"uhh": 70, "hls": 13, "rls": null, "pengeluaran": 10000000}', "“rls” harus berupa angka"),
    ("ipm", '{"uhh": 19, "hls": 13, "rls": 9, "pengeluaran": 10000000}', "“uhh” tidak boleh kurang dari 20"),
    ("ipm", '{"uhh": 70, "hls": -1, "rls": 9, "pengeluaran": 10000000}', "“hls” tidak boleh negatif"),
    ("ipm", '{"uhh": 70, "hls": 13, "rls": 9, "pengeluaran": 0}', "“pengeluaran” tidak boleh kurang dari"),
    ("ipg", '{"laki_laki": {}}', "“perempuan” wajib ada"),
    ("ipg", '{"perempuan": [1, 2], "laki_laki": {}}', "“perempuan” harus berupa objek JSON"),
    ("ipg", IPG_INPUT.replace('"uhh": 71.6, ', ""), "“laki_laki.uhh” wajib ada"),
    ("ipg", IPG_INPUT.replace('"rls": 8.4', '"rls": false'), "“perempuan.rls” harus berupa angka"),
    ("ipg", IPG_INPUT.replace('"uhh": 75.5', '"uhh": 22'), "“perempuan.uhh” tidak boleh kurang dari 22,5"),
    ("ipg", IPG_INPUT.replace('"uhh": 71.6', '"uhh": 17.5'), "“laki_laki.uhh” berada di batas bawah"),
    ("gdi", '{"female": {"le": 70, "eys": 13, "mys": 9, "gni_pc": 10000}}', "“male” wajib ada"),
    ("gdi", GDI_CASES[0][0].replace('"mys": 8.912110329', '"mys": "8"'), "“male.mys” harus berupa angka"),
    ("gdi", GDI_CASES[0][0].replace('"le": 69.7437', '"le": 20'), "“female.le” tidak boleh kurang dari 22,5"),
    ("gdi", GDI_CASES[0][0].replace('"gni_pc": 7905.917421', '"gni_pc": -1'), "“female.gni_pc” tidak boleh"),
    ("gii", GII_CASES[0][0].replace('"mmr": 177, ', ""), "“mmr” wajib ada"),
    ("gii", GII_CASES[0][0].replace('"pr_f": 21.04347826', '"pr_f": 121'), "“pr_f” adalah persentase"),
    ("gii", GII_CASES[0][0].replace('"abr": 33.929', '"abr": 0'), "“abr” harus lebih dari 0"),
    ("gii", GII_CASES[0][0].replace('"lfpr_m": 81.668', '"lfpr_m": -81.668'), "“lfpr_m” tidak boleh negatif"),
    ("ikg", IKG_GOOD.replace('"mtf": 0.2', '"mtf": 0'), "“mtf” membuat hasil kali MTF dan MHPK20 bernilai 0"),
    ("ikg", IKG_GOOD.replace('"mhpk20": 0.3', '"mhpk20": 30'), "“mhpk20” adalah proporsi"),
    ("ikg", IKG_GOOD.replace('"tpak_p": 48', '"tpak_p": true'), "“tpak_p” harus berupa angka"),
    ("ikg", IKG_GOOD.replace('"sma_p": 35', '"sma_p": 135'), "“sma_p” adalah persentase"),
]
# One bad input per calculator through the real command; all of them in-process.
BAD_CLI = [BAD[4], BAD[11], BAD[15], BAD[18], BAD[21]]


def rencana_script() -> str:
    """The `rencana` console script of the running virtualenv (.venv/bin/rencana here)."""
    beside_python = Path(sys.executable).parent / "rencana"
    found = str(beside_python) if beside_python.exists() else shutil.which("rencana")
    assert found, "the `rencana` console script is not installed (pip install -e .)"
    return found


def run_calc(name: str, stdin: str) -> dict[str, Any]:
    result = subprocess.run(
        [rencana_script(), "calc", name],
        input=stdin.encode(),
        capture_output=True,
        cwd=PROJECT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert out.count("\n") == 1
    data: dict[str, Any] = json.loads(out, parse_float=Decimal)
    return data


def in_process(name: str, stdin: str) -> dict[str, Any]:
    """The registered function on the input as the command reads it, and its output as JSON reads back."""
    calculator = calculators.get_calculator(name)
    assert calculator is not None and calculator.function is FUNCTIONS[name]
    result = calculator.function(json.loads(stdin, parse_float=Decimal))
    data: dict[str, Any] = json.loads(json.dumps(result, default=json_default), parse_float=Decimal)
    return data


RUNNERS = [pytest.param(run_calc, id="cli"), pytest.param(in_process, id="in-process")]


# Acceptance rows, through the command and through the registered functions.


@pytest.mark.parametrize("run", RUNNERS)
@pytest.mark.parametrize(("stdin", "row"), IPM_CASES, ids=[row["wilayah"] for _, row in IPM_CASES])
def test_ipm_reproduces_every_acceptance_row(run: Any, stdin: str, row: dict[str, str]) -> None:
    out = run("ipm", stdin)
    assert abs(out["ipm"] - D(row["ipm_publikasi"])) <= D(row["toleransi"])
    assert abs(out["ipm_raw"] - D(row["ipm_publikasi"])) <= D(row["toleransi"])
    assert set(out) == {
        "ipm",
        "ipm_raw",
        "indeks_kesehatan",
        "indeks_pendidikan",
        "indeks_pengeluaran",
        "status",
    }
    assert out["status"] == "tinggi"


@pytest.mark.parametrize("run", RUNNERS)
@pytest.mark.parametrize(("stdin", "row"), GDI_CASES, ids=[row["iso3"] for _, row in GDI_CASES])
def test_gdi_reproduces_every_acceptance_row(run: Any, stdin: str, row: dict[str, str]) -> None:
    out = run("gdi", stdin)
    assert out["gdi"] == D(row["gdi"])
    assert abs(out["hdi_f"] - D(row["hdi_f"])) <= D("1e-6")
    assert abs(out["hdi_m"] - D(row["hdi_m"])) <= D("1e-6")
    assert round(out["gdi_raw"], 3) == D(row["gdi"])


@pytest.mark.parametrize("run", RUNNERS)
@pytest.mark.parametrize(("stdin", "row"), GII_CASES, ids=[row["iso3"] for _, row in GII_CASES])
def test_gii_reproduces_every_acceptance_row(run: Any, stdin: str, row: dict[str, str]) -> None:
    out = run("gii", stdin)
    assert out["gii"] == D(row["gii"])
    assert set(out) == {"gii", "gii_raw"}


@pytest.mark.parametrize("run", RUNNERS)
@pytest.mark.parametrize(("stdin", "row"), IKG_CASES, ids=[row["wilayah"] for _, row in IKG_CASES])
def test_ikg_reproduces_every_acceptance_row(run: Any, stdin: str, row: dict[str, str]) -> None:
    out = run("ikg", stdin)
    assert abs(out["ikg_raw"] - D(row["ikg_publikasi"])) <= D("0.0005")
    assert abs(out["ikg"] - D(row["ikg_publikasi"])) <= D("0.0005")


@pytest.mark.parametrize("run", RUNNERS)
def test_ipg_gives_both_ipms_and_the_ipg(run: Any) -> None:
    assert run("ipg", IPG_INPUT) == {"ipm_perempuan": D("71"), "ipm_laki_laki": D("77.54"), "ipg": D("91.56")}


def test_command_prints_the_ipm_with_two_decimals_and_raw_floats() -> None:
    result = subprocess.run(
        [rencana_script(), "calc", "ipm"],
        input=IPM_CASES[0][0].encode(),
        capture_output=True,
        cwd=PROJECT,
        timeout=60,
        check=False,
    )
    assert result.stdout.decode().startswith('{"ipm": 74.39, "ipm_raw": 74.389827')


def test_command_lists_the_gender_calculators() -> None:
    result = subprocess.run(
        [rencana_script(), "calc", "--list"], capture_output=True, cwd=PROJECT, timeout=60, check=False
    )
    assert result.returncode == 0
    listed = result.stdout.decode()
    for name in FUNCTIONS:
        assert f"\n{name}\t" in f"\n{listed}"


# Rounded values are Decimals with the published decimals; raw values are floats.


def test_registered_functions_return_rounded_decimals_and_raw_floats() -> None:
    hasil = ipm_calc(json.loads(IPM_CASES[0][0], parse_float=Decimal))
    assert hasil["ipm"] == D("74.39") and str(hasil["ipm"]) == "74.39"
    assert isinstance(hasil["ipm_raw"], float) and isinstance(hasil["indeks_kesehatan"], float)
    hasil = gdi_calc(json.loads(GDI_CASES[0][0], parse_float=Decimal))
    assert str(hasil["gdi"]) == "0.941" and isinstance(hasil["hdi_f"], float)
    hasil = gii_calc(json.loads(GII_CASES[0][0], parse_float=Decimal))
    assert str(hasil["gii"]) == "0.444" and isinstance(hasil["gii_raw"], float)
    hasil = ikg_calc(json.loads(IKG_CASES[0][0], parse_float=Decimal))
    assert str(hasil["ikg"]) == "0.490" and isinstance(hasil["ikg_raw"], float)
    assert str(ipg_calc(json.loads(IPG_INPUT, parse_float=Decimal))["ipm_perempuan"]) == "71.00"


# Bad input: exit 2 and one line naming the field; CalcInputError in-process.


@pytest.mark.parametrize(("name", "stdin", "fragment"), BAD_CLI)
def test_command_refuses_bad_input_with_exit_2_naming_the_field(name: str, stdin: str, fragment: str) -> None:
    result = subprocess.run(
        [rencana_script(), "calc", name],
        input=stdin.encode(),
        capture_output=True,
        cwd=PROJECT,
        timeout=60,
        check=False,
    )
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert result.stdout == b""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert fragment in err


@pytest.mark.parametrize(("name", "stdin", "fragment"), BAD)
def test_registered_function_raises_calc_input_error_naming_the_field(
    name: str, stdin: str, fragment: str
) -> None:
    with pytest.raises(CalcInputError) as caught:
        FUNCTIONS[name](json.loads(stdin, parse_float=Decimal))
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message
