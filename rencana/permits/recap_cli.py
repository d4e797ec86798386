"""`rencana izin rekap-import --pemda CODE FILE [--format json|text] [--dry-run]`: import a recap table of
farmer groups per kabupaten/kota (XLSX or CSV) with its reconciliation report (`services_recap`).

Options: `--judul`, `--tahun`, `--sumber` describe the table (optional).

Output (`--format json`, the default): one JSON object
    {"masalah": [{"baris", "kolom", "jenis", "pesan"}, ...], "ditolak": bool, "diimpor": bool,
     "baris": n, "rekap_id": id or null, "sudah_ada": bool, "uji_coba": bool,
     "jumlah_galat": n, "jumlah_peringatan": n}
`baris` counts the kabupaten/kota rows (not the TOTAL row); `diimpor` is true only when this run stored a
new import; `sudah_ada` when the same file was imported before (nothing new is stored; `rekap_id` names it).
`--format text`: one line per problem and a summary line.

Exit status: 0 accepted without problems, 1 accepted with warnings, 2 rejected (nothing written), or an
unknown pemda / bad arguments (one Indonesian line on stderr). A dry run or a repeated import exits as the
import would (0 or 1).
"""

import argparse
import json
from pathlib import Path
from typing import Any, Protocol

from rencana.core.errors import ApplicationError


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `rekap-import` subcommand's arguments (for the `izin` command)."""
    parser.add_argument("--pemda", required=True, help="kode wilayah pemda, mis. 18 (Provinsi Lampung)")
    parser.add_argument("berkas", help="berkas XLSX atau CSV, mis. hkm_kelompok_lampung_2005.csv")
    parser.add_argument("--format", choices=("json", "text"), default="json")
    parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan apa pun")
    parser.add_argument("--judul", default="", help="judul rekap (bawaan: dari nama berkas)")
    parser.add_argument("--tahun", type=int, default=None, help="tahun data, mis. 2005")
    parser.add_argument("--sumber", default="", help="sumber tabel, mis. Dinas Kehutanan Provinsi Lampung")


def _line(text: str) -> str:
    return " ".join(str(text).split()) + "\n"


def result_dict(result: Any, *, dry_run: bool) -> dict[str, Any]:
    return {
        "masalah": [p.as_dict() for p in result.masalah],
        "ditolak": result.rejected,
        "diimpor": bool(result.rekap_id) and not result.sudah_ada and not dry_run,
        "baris": len(result.rows),
        "rekap_id": result.rekap_id,
        "sudah_ada": result.sudah_ada,
        "uji_coba": dry_run,
        "jumlah_galat": len(result.galat),
        "jumlah_peringatan": len(result.peringatan),
    }


def _summary(result: Any, *, dry_run: bool) -> str:
    if result.rejected:
        return (
            f"DITOLAK: {len(result.galat)} galat, {len(result.peringatan)} peringatan; "
            "tidak ada yang disimpan."
        )
    if result.sudah_ada:
        return f"Berkas yang sama sudah diimpor (rekap {result.rekap_id}); tidak ada yang baru disimpan."
    if dry_run:
        return f"Uji coba: {len(result.rows)} baris dapat diimpor, {len(result.peringatan)} peringatan."
    return f"Diimpor: rekap {result.rekap_id}, {len(result.rows)} baris, {len(result.peringatan)} peringatan."


def run(options: dict[str, Any], stdout: Writer, stderr: Writer) -> int:
    """Run `izin rekap-import` with parsed `options`; returns the exit status."""
    from rencana.permits import recap, services_recap
    from rencana.regions.models import Pemda

    kode = str(options.get("pemda") or "")
    pemda = Pemda.objects.filter(kode=kode).first()
    if pemda is None:
        stderr.write(_line(f"Pemda {kode} belum terdaftar. Tambahkan dengan: rencana pemda add KODE"))
        return 2
    raw_path = options.get("berkas") or options.get("file") or options.get("path")
    if not raw_path:
        stderr.write(_line("Sebutkan berkas XLSX atau CSV yang diimpor."))
        return 2
    fmt = options.get("format") or "json"
    if fmt not in ("json", "text"):
        stderr.write(_line(f"Format “{fmt}” tidak dikenal: gunakan json atau text."))
        return 2
    dry_run = bool(options.get("dry_run"))
    tahun = options.get("tahun")
    try:
        result = services_recap.recap_import(
            actor=None,
            pemda=pemda,
            path=Path(raw_path),
            judul=str(options.get("judul") or ""),
            tahun=int(tahun) if tahun is not None else None,
            sumber=str(options.get("sumber") or ""),
            dry_run=dry_run,
        )
    except ApplicationError as exc:
        stderr.write(_line(exc.message))
        return 2
    if fmt == "json":
        stdout.write(json.dumps(result_dict(result, dry_run=dry_run), ensure_ascii=False) + "\n")
    else:
        for item in result.masalah:
            where = f"baris {item.baris}" if item.baris else "berkas"
            column = f", {item.kolom}" if item.kolom else ""
            stdout.write(_line(f"{where}{column} [{item.tingkat} {item.jenis}]: {item.pesan}"))
        stdout.write(_line(_summary(result, dry_run=dry_run)))
    return recap.exit_status(result)
