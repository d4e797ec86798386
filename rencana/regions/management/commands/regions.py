"""`rencana regions load|search|diff`: the Kemendagri region code list (kode wilayah) from the shell.

- `load [--edition 2025|2022] [--no-progress]`: bring the Region table (and boundaries) to one
  shipped edition (Kepmendagri 300.2.2-2138/2025 or 100.1.1-6117/2022) and report the changes;
- `search QUERY [--limit N] [--json]`: the same search as the public page;
- `diff --from 2022 --to 2025`: compare two shipped files, without the database.
"""

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from rencana.core.management.base import RencanaCommand
from rencana.regions import editions
from rencana.regions.editions import EditionError, Rename
from rencana.regions.loading import LoadReport, regions_load
from rencana.regions.search import region_search

LEVEL_LABELS = {
    "provinsi": "provinsi",
    "kabupaten": "kabupaten",
    "kota": "kota",
    "kecamatan": "kecamatan",
    "desa": "desa",
    "kelurahan": "kelurahan",
}
EXAMPLES = 20


class Command(RencanaCommand):
    help = "Muat, cari dan bandingkan daftar kode wilayah Kemendagri."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="muat satu edisi kode wilayah (dan batas wilayah) ke basis data")
        load.add_argument(
            "--edition", default=editions.DEFAULT_EDITION, help="edisi: 2025 (bawaan) atau 2022"
        )
        load.add_argument("--no-progress", action="store_true", help="tanpa bilah kemajuan")
        search = sub.add_parser("search", help="cari wilayah menurut kode atau nama")
        search.add_argument("query")
        search.add_argument("--limit", type=int, default=20, help="jumlah hasil (1-100)")
        search.add_argument("--json", action="store_true", help="keluaran JSON")
        diff = sub.add_parser("diff", help="bandingkan dua edisi yang dikirim bersama aplikasi")
        diff.add_argument("--from", dest="old", default="2022")
        diff.add_argument("--to", dest="new", default=editions.DEFAULT_EDITION)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            self._load(options)
        elif action == "search":
            self._search(options)
        else:
            self._diff(options)

    def _edition(self, edition: str) -> str:
        if edition not in editions.EDITIONS:
            known = ", ".join(sorted(editions.EDITIONS))
            raise CommandError(f"Edisi wilayah {edition!r} tidak dikenal. Edisi yang tersedia: {known}.")
        return edition

    def _load(self, options: dict[str, Any]) -> None:
        edition = self._edition(options["edition"])
        progress = not options["no_progress"] and options.get("verbosity", 1) > 0
        try:
            report = regions_load(edition=edition, progress=progress)
        except EditionError as exc:
            raise CommandError(str(exc)) from exc
        self._print_report(report)

    def _print_report(self, report: LoadReport) -> None:
        out = self.stdout.write
        out(f"Kode wilayah edisi {report.edition} ({report.decree}):")
        for level, count in report.counts.items():
            out(f"  {LEVEL_LABELS[level]:<10} {count:>7,}".replace(",", "."))
        out(f"  batas wilayah (kabupaten/kota dan kecamatan): {report.boundaries:,}".replace(",", "."))
        if not report.changed:
            out(self.style.SUCCESS("Tidak ada perubahan: basis data sudah sesuai dengan edisi ini."))
        else:
            self._print_changes(report.added, report.removed, report.renamed)
            out(f"Baris lain yang diperbarui (tingkat, induk, kunci cari, label edisi): {report.updated}")
            if report.kept:
                out(
                    self.style.WARNING(
                        "Tidak dihapus karena dipakai pemda terdaftar (putuskan pemetaannya): "
                        + ", ".join(report.kept)
                    )
                )
            if report.boundaries_written:
                out(f"Batas wilayah ditulis ulang: {report.boundaries} fitur.")
        out(f"Waktu: {report.seconds:.1f} detik".replace(".", ","))

    def _print_changes(self, added: list[str], removed: list[str], renamed: list[Rename]) -> None:
        out = self.stdout.write
        out(f"Ditambah: {len(added)} kode")
        for kode in added[:EXAMPLES]:
            out(f"  + {kode}")
        out(f"Dihapus: {len(removed)} kode")
        for kode in removed[:EXAMPLES]:
            out(f"  - {kode}")
        out(f"Berganti nama: {len(renamed)} kode")
        for rename in renamed[:EXAMPLES]:
            out(f"  ~ {rename.kode}: {rename.old.strip()} -> {rename.new.strip()}")
        if max(len(added), len(removed), len(renamed)) > EXAMPLES:
            out(f"(paling banyak {EXAMPLES} contoh per jenis perubahan ditampilkan)")

    def _search(self, options: dict[str, Any]) -> None:
        limit = options["limit"]
        if not 1 <= limit <= 100:
            raise CommandError("--limit harus antara 1 dan 100.")
        found = region_search(options["query"], limit=limit)
        if options["json"]:
            data = [
                {"kode": r.kode, "nama": r.nama, "level": r.level, "parent": r.parent_id, "edisi": r.edisi}
                for r in found
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if not found:
            self.stdout.write("Tidak ada wilayah yang cocok.")
            return
        for r in found:
            parent = f"  (induk {r.parent.nama.strip()}, {r.parent_id})" if r.parent else ""
            self.stdout.write(f"{r.kode:<14} {r.nama.strip():<45} {r.level:<10}{parent}")

    def _diff(self, options: dict[str, Any]) -> None:
        old, new = self._edition(options["old"]), self._edition(options["new"])
        diff = editions.diff_editions(editions.read_edition(old), editions.read_edition(new))
        self.stdout.write(
            f"Perbedaan edisi {old} ({editions.EDITIONS[old][1]}) -> {new} ({editions.EDITIONS[new][1]}):"
        )
        self._print_changes(diff.added, diff.removed, diff.renamed)
        if diff.moved:
            self.stdout.write(f"Pindah tingkat atau induk: {len(diff.moved)} kode")
