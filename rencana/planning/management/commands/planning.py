"""`rencana planning check|import|export|list`: plan documents from the shell.

- `list --pemda CODE`: the pemda's documents with their id, period, stage and scores;
- `check --pemda CODE --dokumen ID [--format json|text]`: the logframe checker (docs/api.md
  documents the JSON);
- `import --pemda CODE --jenis RKPD --tahun 2026 FILE [--opd KODE] [--tata anggaran|matriks]
  [--dry-run]`: import into the newest unlocked version of that document, creating the document
  (with its parent, when exactly one fits) if the pemda has none. Exit 0 on success; exit 2 with
  every bad row and column on stderr, and nothing written;
- `export --pemda CODE --dokumen ID --output FILE [--tata ...]`: the same layout the import reads.
"""

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from rencana.core.management.base import RencanaCommand
from rencana.planning import levels, logframe, plan_io, selectors, services
from rencana.planning.models import DocumentKind, PlanDocument
from rencana.regions.models import Opd, Pemda


class _Rollback(Exception):
    pass


class Command(RencanaCommand):
    help = "Dokumen perencanaan: daftar, periksa logframe, impor dan ekspor XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="daftar dokumen perencanaan pemda")
        listing.add_argument("--pemda", required=True)
        check = sub.add_parser("check", help="jalankan pemeriksa logframe atas satu dokumen")
        check.add_argument("--pemda", required=True)
        check.add_argument("--dokumen", type=int, required=True, help="id dokumen (lihat `planning list`)")
        check.add_argument("--format", choices=("json", "text"), default="text")
        imp = sub.add_parser("import", help="impor XLSX/CSV ke dokumen (semua atau tidak sama sekali)")
        imp.add_argument("--pemda", required=True)
        imp.add_argument(
            "--jenis",
            required=True,
            choices=[k.lower() for k in DocumentKind.values] + list(DocumentKind.values),
        )
        imp.add_argument("--tahun", type=int, required=True, help="tahun (awal periode) dokumen")
        imp.add_argument("--opd", default="", help="kode OPD untuk Renstra/Renja")
        imp.add_argument("--tata", choices=("anggaran", "matriks"), default="")
        imp.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan")
        imp.add_argument("berkas", type=Path)
        exp = sub.add_parser("export", help="ekspor dokumen ke XLSX (tata letak yang sama dengan impor)")
        exp.add_argument("--pemda", required=True)
        exp.add_argument("--dokumen", type=int, required=True)
        exp.add_argument("--tata", choices=("anggaran", "matriks"), default="")
        exp.add_argument("--output", type=Path, required=True)

    def fail(self, message: str, status: int = 2) -> NoReturn:
        self.stderr.write(message)
        sys.exit(status)

    def _pemda(self, kode: str) -> Pemda:
        pemda = Pemda.objects.filter(kode=kode).first()
        if pemda is None:
            raise CommandError(f"Pemda {kode} belum terdaftar. Tambahkan dengan: rencana pemda add KODE")
        return pemda

    def _document(self, pemda: Pemda, document_id: int) -> PlanDocument:
        document = selectors.document_get(pemda=pemda, document_id=document_id)
        if document is None:
            raise CommandError(
                f"Dokumen {document_id} tidak ada di pemda {pemda.kode}; lihat `rencana planning list`."
            )
        return document

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = self._pemda(options["pemda"])
        action = options["action"]
        if action == "list":
            for document in selectors.document_list(pemda=pemda):
                self.stdout.write(
                    f"{document.pk:>6}  {document.jenis:<8} {document.tahun_mulai}-{document.tahun_akhir}  "
                    f"{document.tahap:<16} v{document.revisi_ke}  {document.nama}"
                )
        elif action == "check":
            result = selectors.document_check(self._document(pemda, options["dokumen"]))
            if options["format"] == "json":
                self.stdout.write(json.dumps(logframe.result_to_dict(result), ensure_ascii=False, indent=2))
            else:
                self.stdout.write(logframe.result_to_text(result))
        elif action == "export":
            document = self._document(pemda, options["dokumen"])
            output: Path = options["output"]
            output.write_bytes(plan_io.document_export_bytes(document, options["tata"]))
            self.stdout.write(f"{document.nama}: ditulis ke {output}")
        else:
            self._import(pemda, options)

    def _target_document(self, pemda: Pemda, jenis: str, tahun: int, opd: Opd | None) -> PlanDocument:
        existing = PlanDocument.objects.filter(pemda=pemda, jenis=jenis, tahun_mulai=tahun, opd=opd).order_by(
            "-revisi_ke"
        )
        document = existing.first()
        if document is not None:
            return document
        parent_kind = levels.PARENT_KIND[jenis]
        end = levels.period_end(jenis, tahun)
        parents = list(
            PlanDocument.objects.filter(
                pemda=pemda, jenis=parent_kind or "-", tahun_mulai__lte=tahun, tahun_akhir__gte=end
            ).order_by("-revisi_ke")
        )
        if jenis == "RENJA" and opd is not None:
            parents = [p for p in parents if p.opd_id in (None, opd.pk)]
        parent = parents[0] if parents else None
        return services.document_create(
            actor=None, pemda=pemda, jenis=jenis, tahun_mulai=tahun, opd=opd, induk=parent
        )

    def _import(self, pemda: Pemda, options: dict[str, Any]) -> None:
        jenis = options["jenis"].upper()
        opd = None
        if options["opd"]:
            opd = Opd.objects.filter(pemda=pemda, kode=options["opd"]).first()
            if opd is None:
                raise CommandError(f"OPD {options['opd']} tidak ada di pemda {pemda.kode}.")
        path: Path = options["berkas"]
        if not path.exists():
            self.fail(f"Berkas tidak ditemukan: {path}")
        try:
            with transaction.atomic():
                document = self._target_document(pemda, jenis, options["tahun"], opd)
                result = plan_io.document_import(
                    actor=None,
                    document=document,
                    path=path,
                    dry_run=options["dry_run"],
                    layout=options["tata"],
                )
                if not result.ok or options["dry_run"]:
                    raise _Rollback
        except _Rollback:
            pass
        if not result.ok:
            self.stderr.write(f"{len(result.errors)} kesalahan; tidak ada yang disimpan.")
            for error in result.errors:
                where = f"baris {error.row}" if error.row else "berkas"
                column = f", kolom {error.column}" if error.column else ""
                value = f" [{error.value}]" if error.value else ""
                self.stderr.write(f"{where}{column}{value}: {error.message}")
            sys.exit(2)
        mode = "uji coba (tidak disimpan)" if options["dry_run"] else "disimpan"
        self.stdout.write(
            f"{document.nama} (id {document.pk}): {result.created} baru, {result.updated} diubah, "
            f"{result.unchanged} tidak berubah; {mode}."
        )
