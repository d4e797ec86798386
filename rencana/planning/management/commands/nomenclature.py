"""`rencana nomenclature load|load-xlsx|search|list`: the Permendagri 90 nomenclature from the shell.

- `load [--edisi 2020|2027] [--no-progress]`: load an edition shipped with Rencana (idempotent);
- `load-xlsx FILE --edisi KODE --nama "..."`: load an official edition from the government's XLSX
  (all or nothing; every bad row is listed on stderr);
- `search QUERY [--edisi KODE] [--tingkat program|kegiatan|sub_kegiatan] [--pemda-jenis provinsi|kabkota]
  [--limit N] [--json]`: a code prefix ("1.02.02") or words of the name;
- `list`: the loaded editions with their counts per level.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from rencana.core.errors import ApplicationError
from rencana.core.management.base import RencanaCommand
from rencana.planning import codes
from rencana.planning.models import NomenclatureEdition
from rencana.planning.nomenclature import (
    DEFAULT_EDITION,
    EDITIONS,
    LoadReport,
    edition_counts,
    edition_default,
    nomenclature_load,
    nomenclature_load_xlsx,
    nomenclature_search,
)

SHOWN_ERRORS = 100
SHOWN_PLACEHOLDERS = 20


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(RencanaCommand):
    help = "Muat dan cari nomenklatur perencanaan Permendagri 90/2019."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="muat satu edisi yang dikirim bersama aplikasi")
        load.add_argument("--edisi", default=DEFAULT_EDITION, help="edisi: 2027 (bawaan) atau 2020")
        load.add_argument("--no-progress", action="store_true", help="tanpa bilah kemajuan")
        xlsx = sub.add_parser("load-xlsx", help="muat edisi resmi dari berkas XLSX pemerintah")
        xlsx.add_argument("file", help="berkas .xlsx")
        xlsx.add_argument("--edisi", required=True, help="kode edisi, mis. 2028")
        xlsx.add_argument("--nama", required=True, help="nama edisi, mis. nomor keputusan menteri")
        xlsx.add_argument("--no-progress", action="store_true", help="tanpa bilah kemajuan")
        search = sub.add_parser("search", help="cari menurut awalan kode atau kata dalam nama")
        search.add_argument("query")
        search.add_argument("--edisi", default="", help="kode edisi (bawaan: edisi terbaru yang dimuat)")
        search.add_argument("--tingkat", choices=list(codes.BUDGET_LEVELS), help="tingkat")
        search.add_argument("--pemda-jenis", dest="pemda_jenis", choices=list(codes.PEMDA_KINDS))
        search.add_argument("--limit", type=int, default=20, help="jumlah hasil (1-500)")
        search.add_argument("--json", action="store_true", help="keluaran JSON")
        sub.add_parser("list", help="edisi yang sudah dimuat, dengan jumlah per tingkat")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            self._load(options)
        elif action == "load-xlsx":
            self._load_xlsx(options)
        elif action == "search":
            self._search(options)
        else:
            self._list()

    def _load(self, options: dict[str, Any]) -> None:
        edisi = options["edisi"]
        if edisi not in EDITIONS:
            raise CommandError(
                _("Edisi nomenklatur %(edisi)s tidak dikenal. Edisi yang tersedia: %(daftar)s.")
                % {"edisi": edisi, "daftar": ", ".join(sorted(EDITIONS))}
            )
        progress = not options["no_progress"] and options.get("verbosity", 1) > 0
        self._print_report(nomenclature_load(edisi, progress=progress))

    def _load_xlsx(self, options: dict[str, Any]) -> None:
        progress = not options["no_progress"] and options.get("verbosity", 1) > 0
        try:
            report = nomenclature_load_xlsx(
                Path(options["file"]), edisi=options["edisi"], nama=options["nama"], progress=progress
            )
        except ApplicationError as exc:
            for error in exc.errors[:SHOWN_ERRORS]:
                where = _("baris %(baris)d") % {"baris": error.get("baris", 0)}
                if error.get("kolom"):
                    where += f", {error['kolom']}"
                self.stderr.write(f"  {where}: {error.get('pesan', '')}")
            if len(exc.errors) > SHOWN_ERRORS:
                self.stderr.write(
                    "  "
                    + _("... dan %(jumlah)d kesalahan lain.") % {"jumlah": len(exc.errors) - SHOWN_ERRORS}
                )
            raise CommandError(exc.message) from exc
        self._print_report(report)

    def _print_report(self, report: LoadReport) -> None:
        out = self.stdout.write
        out(_("Nomenklatur edisi %(edisi)s (%(nama)s):") % {"edisi": report.edisi, "nama": report.nama})
        for level, count in report.counts.items():
            kinds = ", ".join(
                f"{codes.kind_label(kind)} {_number(n)}"
                for kind, n in report.counts_by_kind.get(level, {}).items()
            )
            out(f"  {codes.level_label(level):<14} {_number(count):>7}  ({kinds})")
        if report.with_metadata:
            out(
                "  "
                + _("sub-kegiatan dengan metadata: %(jumlah)s") % {"jumlah": _number(report.with_metadata)}
            )
        if report.placeholders:
            out(
                self.style.WARNING(
                    _("Induk yang tidak ada di berkas dan dibuat (periksa namanya): %(jumlah)d")
                    % {"jumlah": len(report.placeholders)}
                )
            )
            for kode, kind, nama in report.placeholders[:SHOWN_PLACEHOLDERS]:
                out(f"  {kode} ({codes.kind_label(kind)}): {nama}")
        if report.unchanged:
            out(self.style.SUCCESS(_("Tidak ada perubahan: edisi ini sudah dimuat dari berkas yang sama.")))
        elif report.previous_total is None:
            out(self.style.SUCCESS(_("Dimuat: %(jumlah)s baris.") % {"jumlah": _number(report.total)}))
        else:
            out(
                self.style.SUCCESS(
                    _("Dimuat ulang: %(jumlah)s baris (sebelumnya %(sebelumnya)s).")
                    % {"jumlah": _number(report.total), "sebelumnya": _number(report.previous_total)}
                )
            )
        out(_("Waktu: %(detik)s detik") % {"detik": f"{report.seconds:.1f}".replace(".", ",")})

    def _search(self, options: dict[str, Any]) -> None:
        limit = options["limit"]
        if not 1 <= limit <= 500:
            raise CommandError(_("--limit harus antara 1 dan 500."))
        edisi_kode = options["edisi"]
        edition = (
            NomenclatureEdition.objects.filter(kode=edisi_kode).first() if edisi_kode else edition_default()
        )
        if edition is None:
            if edisi_kode:
                raise CommandError(
                    _("Edisi nomenklatur %(edisi)s belum dimuat; lihat `rencana nomenclature list`.")
                    % {"edisi": edisi_kode}
                )
            raise CommandError(
                _("Belum ada edisi nomenklatur yang dimuat. Jalankan: rencana nomenclature load")
            )
        found = nomenclature_search(
            edisi=edition,
            q=options["query"],
            level=options["tingkat"],
            pemda_kind=options["pemda_jenis"],
            limit=limit,
        )
        if options["json"]:
            data = [
                {
                    "kode": item.kode,
                    "level": item.level,
                    "nama": item.nama,
                    "kode_induk": item.kode_induk,
                    "berlaku_untuk": item.berlaku_untuk,
                    "indikator": item.indikator,
                    "satuan": item.satuan,
                    "edisi": edition.kode,
                }
                for item in found
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if not found:
            self.stdout.write(_("Tidak ada nomenklatur yang cocok."))
            return
        for item in found:
            self.stdout.write(f"{item.kode:<18} {item.berlaku_untuk:<9} {item.level:<13} {item.nama}")

    def _list(self) -> None:
        rows = edition_counts()
        if not rows:
            self.stdout.write(
                _("Belum ada edisi nomenklatur yang dimuat. Jalankan: rencana nomenclature load")
            )
            return
        header = "  ".join(f"{codes.level_label(level):>13}" for level in codes.LEVELS)
        self.stdout.write(f"{_('edisi'):<10} {header}  {_('nama')}")
        for edition, counts in rows:
            numbers = "  ".join(f"{_number(counts[level]):>13}" for level in codes.LEVELS)
            self.stdout.write(f"{edition.kode:<10} {numbers}  {edition.nama}")
