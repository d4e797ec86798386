"""`rencana pemda add KODE` and `rencana pemda list`: register the governments that use this installation."""

from typing import Any

from django.core.management.base import CommandParser

from rencana.core.management.base import RencanaCommand
from rencana.regions.models import Pemda
from rencana.regions.services import pemda_ensure


class Command(RencanaCommand):
    help = "Daftarkan atau tampilkan pemda (provinsi atau kabupaten/kota) yang memakai Rencana."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="daftarkan pemda dari kode wilayah Kemendagri")
        add.add_argument("kode", help="mis. 63.02 (Kabupaten Kotabaru) atau 35 (Provinsi Jawa Timur)")
        add.add_argument("--tahun-anggaran", type=int, default=2026)
        sub.add_parser("list", help="tampilkan pemda terdaftar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            pemda, created = pemda_ensure(
                actor=None, kode=options["kode"], tahun_anggaran=options["tahun_anggaran"]
            )
            state = "didaftarkan" if created else "sudah terdaftar"
            self.stdout.write(f"{pemda.kode} {pemda.nama}: {state}.")
            return
        for pemda in Pemda.objects.order_by("kode"):
            status = "aktif" if pemda.aktif else "nonaktif"
            self.stdout.write(f"{pemda.kode:<6} {pemda.nama:<40} {pemda.jenis:<10} {status}")
