"""`rencana monev evaluate`: the evaluation of a pemda's year from the shell.

    rencana monev evaluate --pemda 63.02 --tahun 2026 [--triwulan 4] [--sementara]
        [--format json|xlsx|pdf] [--jenis rkpd|rpjmd] [--output FILE]

- json (default, to stdout or --output): totals, per OPD, per sasaran, per program and every sub-kegiatan
  line with its indicators' target, quarters, realization, capaian, predikat and the reason when unrated
  (`reports.evaluation_to_dict`; numbers as exact decimal strings).
- xlsx / pdf: the RKPD evaluation table (`--jenis rkpd`, default) or the RPJMD end-of-period table
  (`--jenis rpjmd`) of Permendagri 86/2017, written to --output (required).
- Only verified realizations count; `--sementara` adds the submitted ones (provisional).
An unknown pemda, a year without an RKPD (or RPJMD for --jenis rpjmd), or a PDF that cannot be made on
this machine is one Indonesian line on stderr and exit status 1.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from rencana.core.management.base import RencanaCommand
from rencana.monitoring import reports
from rencana.monitoring.evaluation import evaluate
from rencana.regions.models import Pemda


class Command(RencanaCommand):
    help = "Evaluasi e-Monev: capaian dan serapan anggaran satu tahun sebagai JSON, XLSX atau PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ev = sub.add_parser("evaluate", help="evaluasi capaian RKPD satu tahun s.d. satu triwulan")
        ev.add_argument("--pemda", required=True, help="kode wilayah pemda, mis. 63.02")
        ev.add_argument("--tahun", type=int, required=True, help="tahun RKPD yang dievaluasi, mis. 2026")
        ev.add_argument("--triwulan", type=int, choices=(1, 2, 3, 4), default=4)
        ev.add_argument(
            "--sementara",
            action="store_true",
            help="sertakan realisasi yang diajukan tetapi belum diverifikasi",
        )
        ev.add_argument("--format", choices=("json", "xlsx", "pdf"), default="json")
        ev.add_argument("--jenis", choices=("rkpd", "rpjmd"), default="rkpd", help="tabel untuk xlsx/pdf")
        ev.add_argument("--output", type=Path, help="berkas tujuan (wajib untuk xlsx dan pdf)")

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = Pemda.objects.filter(kode=options["pemda"]).first()
        if pemda is None:
            raise CommandError(
                f"Pemda {options['pemda']} belum terdaftar. Tambahkan dengan: rencana pemda add KODE"
            )
        tahun: int = options["tahun"]
        if not 2000 <= tahun <= 2100:
            raise CommandError(f"Tahun {tahun} tidak sah: gunakan tahun empat angka, mis. 2026.")
        triwulan: int = options["triwulan"]
        fmt: str = options["format"]
        output: Path | None = options["output"]
        sementara: bool = options["sementara"]
        if fmt != "json" and output is None:
            raise CommandError(f"Format {fmt} perlu --output BERKAS.")
        if fmt == "json":
            evaluation = evaluate(pemda, tahun, triwulan, include_submitted=sementara)
            if evaluation.document is None:
                raise CommandError(f"Belum ada RKPD tahun {tahun} untuk {pemda.nama} ({pemda.kode}).")
            text = json.dumps(reports.evaluation_to_dict(evaluation), ensure_ascii=False, indent=2)
            if output is None:
                self.stdout.write(text)
            else:
                output.write_text(text + "\n", encoding="utf-8")
                self.stdout.write(f"Evaluasi {pemda.nama} {tahun} TW {triwulan}: ditulis ke {output}")
            return
        build = reports.rkpd_table if options["jenis"] == "rkpd" else reports.rpjmd_table
        table = build(pemda, tahun, triwulan, include_submitted=sementara)
        content, _content_type, _filename = reports.render_table(table, fmt)
        assert output is not None
        output.write_bytes(content)
        self.stdout.write(f"{table.title}: ditulis ke {output}")
