"""`rencana gender load-bps [--file PATH]`: load BPS index values (IPM, IPG, IDG, IKG) as reference data.

Without `--file`, the shipped Jawa Timur table (38 kabupaten/kota and the province; rencana/gender/data/,
"Sumber: BPS"). Idempotent: a second run reports every value unchanged. A file with an invalid row writes
nothing and prints every error (row, column, message) with exit status 1; region codes absent from the
loaded Kemendagri list are reported and skipped (load them first with `rencana regions load`).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from rencana.core.errors import ApplicationError
from rencana.core.management.base import RencanaCommand
from rencana.gender import bps


class Command(RencanaCommand):
    help = "Data PUG: muat nilai indeks BPS (IPM, IPG, IDG, IKG) kabupaten/kota sebagai data rujukan."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load-bps", help="muat nilai IPM/IPG/IDG/IKG dari berkas CSV BPS (bawaan: Jawa Timur)"
        )
        load.add_argument(
            "--file",
            type=Path,
            default=None,
            help="berkas CSV (kolom kode_kemendagri, indikator, tahun, nilai, catatan); bawaan: Jawa Timur",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["file"]
        try:
            result = bps.bps_load(path=path)
        except ApplicationError as exc:
            for error in exc.errors[:50]:
                self.stderr.write(f"  baris {error['baris']}, kolom {error['kolom']}: {error['pesan']}")
            if len(exc.errors) > 50:
                self.stderr.write(f"  ... dan {len(exc.errors) - 50} kesalahan lain")
            raise CommandError(exc.message) from exc
        text = bps.describe(result)
        first, _sep, rest = text.partition("\n")
        self.stdout.write(self.style.SUCCESS(first) if result.changed else first)
        if rest:
            self.stdout.write(self.style.WARNING(rest))
