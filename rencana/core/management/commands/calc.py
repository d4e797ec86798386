"""`rencana calc <name>`: one JSON object on stdin -> one JSON object (one line) on stdout.

`rencana calc --list` lists the calculators (see `rencana.core.calculators`).

Exit status: 0 success; 2 bad input (not JSON, not an object, unknown calculator, or the
calculator's `CalcInputError`), with one Indonesian line on stderr; 1 a fault inside a calculator,
also one line (run with `--traceback` to see the trace). Never a traceback for user input.
JSON numbers are read as Decimal, and NaN/Infinity are refused.
"""

import json
import sys
from decimal import Decimal
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from rencana.core import calculators


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} bukan angka JSON yang sah")


class Command(BaseCommand):
    help = "Jalankan kalkulator: satu objek JSON dari stdin, satu objek JSON ke stdout."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="nama kalkulator (lihat --list)")
        parser.add_argument("--list", action="store_true", help="daftar kalkulator yang tersedia")

    def fail(self, message: str, status: int = 2) -> NoReturn:
        self.stderr.write(" ".join(message.split()))
        sys.exit(status)

    def handle(self, *args: Any, **options: Any) -> None:
        calculators.discover()
        if options["list"]:
            for each in calculators.all_calculators():
                self.stdout.write(f"{each.name}\t{each.description}")
            return
        name = options["name"]
        if not name:
            self.fail("Sebutkan nama kalkulator, mis. `rencana calc angka`; lihat `rencana calc --list`.")
        calc = calculators.get_calculator(name)
        if calc is None:
            known = ", ".join(c.name for c in calculators.all_calculators())
            self.fail(f"Kalkulator “{name}” tidak ada. Yang tersedia: {known}.")
        data = self.read_input()
        try:
            result = calc.function(data)
        except calculators.CalcInputError as exc:
            self.fail(exc.message)
        except Exception as exc:
            if options.get("traceback"):
                raise
            self.fail(
                f"Kesalahan internal pada kalkulator “{name}” ({type(exc).__name__}); "
                "jalankan dengan --traceback untuk rinciannya.",
                status=1,
            )
        self.stdout.write(json.dumps(result, ensure_ascii=False, default=calculators.json_default))

    def read_input(self) -> dict[str, Any]:
        raw = sys.stdin.buffer.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.fail("Masukan harus teks UTF-8 berisi satu objek JSON.")
        if not text.strip():
            self.fail('Masukan kosong: kirim satu objek JSON lewat stdin, mis. {"teks": "5.319,05"}.')
        try:
            data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            self.fail(f"Masukan bukan JSON yang sah (baris {exc.lineno}, kolom {exc.colno}).")
        except (ValueError, RecursionError) as exc:
            self.fail(f"Masukan bukan JSON yang sah: {exc}.")
        if not isinstance(data, dict):
            self.fail("Masukan harus satu objek JSON ({...}), bukan daftar atau nilai tunggal.")
        return data
