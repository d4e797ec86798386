"""`rencana calc`: the real console script as a subprocess, plus the registry in-process."""

import io
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from rencana.core import calculators


def rencana_script() -> str:
    beside_python = Path(sys.executable).parent / "rencana"
    found = str(beside_python) if beside_python.exists() else shutil.which("rencana")
    assert found, "the `rencana` console script is not installed (pip install -e .)"
    return found


def run_calc(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [rencana_script(), "calc", *args], input=data, capture_output=True, timeout=60, check=False
    )


def assert_one_line_error(result: subprocess.CompletedProcess[bytes], status: int = 2) -> str:
    err = result.stderr.decode()
    assert result.returncode == status, err
    assert result.stdout == b""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize(
    ("teks", "expected"),
    [
        ("5.319,05", {"nilai": 5319.05, "teks_baku": "5.319,05"}),
        ("5319.05", {"nilai": 5319.05, "teks_baku": "5.319,05"}),
        ("1.234.567", {"nilai": 1234567, "teks_baku": "1.234.567"}),
        ("Rp 1.500.000", {"nilai": 1500000, "teks_baku": "1.500.000"}),
        ("0.551", {"nilai": 0.551, "teks_baku": "0,551"}),
    ],
)
def test_angka_prints_one_json_object(teks: str, expected: dict[str, Any]) -> None:
    result = run_calc("angka", stdin=json.dumps({"teks": teks}))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert out.count("\n") == 1
    assert json.loads(out) == expected


@pytest.mark.parametrize(
    ("stdin", "fragment"),
    [
        ('{"teks": "5.319.05"}', "pengelompokan ribuan"),
        ('{"teks": "5.319"}', "ambigu"),
        ("{}", "“teks” wajib ada"),
        ('{"teks": 5319}', "“teks” harus berupa teks"),
        ("bukan json", "bukan JSON"),
        ('{"teks": NaN}', "bukan JSON"),
        ("[1, 2]", "satu objek JSON"),
        ("", "kosong"),
        (b"\xff\xfe", "UTF-8"),
        ("[" * 100_000, "bukan JSON"),
    ],
)
def test_bad_input_exits_2_with_one_line(stdin: str | bytes, fragment: str) -> None:
    err = assert_one_line_error(run_calc("angka", stdin=stdin))
    assert fragment in err


def test_unknown_calculator_and_missing_name() -> None:
    err = assert_one_line_error(run_calc("tidakada", stdin="{}"))
    assert "“tidakada” tidak ada" in err and "angka" in err
    assert "rencana calc --list" in assert_one_line_error(run_calc())


def test_list_names_every_calculator() -> None:
    result = run_calc("--list")
    assert result.returncode == 0
    assert result.stdout.decode().startswith("angka\t")


# In-process: registry and the fault path ---------------------------------------------------------


@pytest.fixture
def registry() -> Iterator[dict[str, calculators.Calculator]]:
    saved = dict(calculators._registry)
    yield calculators._registry
    calculators._registry.clear()
    calculators._registry.update(saved)


def call_calc(name: str, stdin: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("calc", name, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_registered_calculator_gets_exact_decimals(
    registry: dict[str, calculators.Calculator], monkeypatch: pytest.MonkeyPatch
) -> None:
    @calculators.register("uji_jumlah", "jumlah a + b")
    def jumlah(data: dict[str, Any]) -> dict[str, Any]:
        return {"jumlah": data["a"] + data["b"]}

    status, out, _ = call_calc("uji_jumlah", '{"a": 0.1, "b": 0.2}', monkeypatch)
    assert status == 0
    assert out.strip() == '{"jumlah": 0.3}'


def test_a_fault_inside_a_calculator_is_exit_1_without_traceback(
    registry: dict[str, calculators.Calculator], monkeypatch: pytest.MonkeyPatch
) -> None:
    @calculators.register("uji_rusak", "selalu gagal")
    def rusak(data: dict[str, Any]) -> dict[str, Any]:
        return {"hasil": 1 / 0}

    status, out, err = call_calc("uji_rusak", "{}", monkeypatch)
    assert (status, out) == (1, "")
    assert "ZeroDivisionError" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_two_calculators_cannot_share_a_name(registry: dict[str, calculators.Calculator]) -> None:
    with pytest.raises(ValueError, match="already registered"):

        @calculators.register("angka", "tiruan")
        def tiruan(data: dict[str, Any]) -> dict[str, Any]:
            return {}


def test_discover_keeps_the_core_calculators() -> None:
    calculators.discover()
    assert calculators.get_calculator("angka") is not None


def test_json_default() -> None:
    assert json.dumps({"a": Decimal("2.50"), "b": Decimal("3")}, default=calculators.json_default) == (
        '{"a": 2.5, "b": 3}'
    )
