"""`rencana izin ...`: permit types and aggregate-table imports from the shell.

rencana izin types list [--format text|json]    every version of every permit type
rencana izin types ensure                       create version 1 of the shipped types (HKm, NIB)
                                                when absent; idempotent
rencana izin rekap-import --pemda KODE FILE [--format text|json] [--dry-run]
    import an aggregate table (e.g. the Lampung 2005 HKm table) with reconciliation; exit status
    0 imported, 1 imported with warnings, 2 rejected (nothing written). Implemented in
    `rencana.permits.recap_cli.run`.
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from rencana.core.management.base import RencanaCommand
from rencana.permits.models import PermitType
from rencana.permits.types import ensure_shipped_types


class Command(RencanaCommand):
    help = "Perizinan: jenis izin (daftar, pasang bawaan) dan impor tabel rekap kelompok HKm."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        types = sub.add_parser("types", help="jenis izin: list (daftar versi) atau ensure (pasang bawaan)")
        types.add_argument("types_action", choices=("list", "ensure"))
        types.add_argument("--format", choices=("text", "json"), default="text")
        recap = sub.add_parser(
            "rekap-import", help="impor tabel rekap kelompok HKm (XLSX/CSV) dengan rekonsiliasi"
        )
        recap.add_argument("--pemda", required=True, help="kode wilayah pemda, mis. 18")
        recap.add_argument("file", type=Path, help="berkas XLSX atau CSV")
        recap.add_argument("--format", choices=("text", "json"), default="text")
        recap.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan apa pun")
        recap.add_argument("--judul", default="", help="judul rekap (bawaan: nama berkas)")
        recap.add_argument("--tahun", type=int, help="tahun data, mis. 2005")
        recap.add_argument("--sumber", default="", help="sumber tabel, mis. judul laporan")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rekap-import":
            from rencana.permits import recap_cli

            status = recap_cli.run(options, self.stdout, self.stderr)
            if status:
                sys.exit(status)
            return
        if options["types_action"] == "ensure":
            created = ensure_shipped_types()
            for row in created:
                self.stdout.write(f"Dibuat: {row.kode} v{row.versi} — {row.nama}")
            if not created:
                self.stdout.write("Jenis izin bawaan sudah ada; tidak ada yang diubah.")
            return
        rows = list(PermitType.objects.order_by("kode", "-versi"))
        if options["format"] == "json":
            data = [
                {
                    "kode": r.kode,
                    "versi": r.versi,
                    "nama": r.nama,
                    "aktif": r.aktif,
                    "dibuat": r.dibuat.isoformat(),
                    "tahap": [s.get("kode") for s in r.definisi.get("stages", []) if isinstance(s, dict)],
                }
                for r in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("Belum ada jenis izin. Jalankan: rencana izin types ensure")
        for r in rows:
            mark = "aktif" if r.aktif else "lama"
            self.stdout.write(f"{r.kode}\tv{r.versi}\t{mark}\t{r.nama}")
