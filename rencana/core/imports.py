"""Tabular import: XLSX/CSV -> checked rows -> one transaction, all or nothing.

Terms
- *Uji coba* (dry run): the import runs for real inside a transaction that is then rolled back, so
  the preview counts (created / updated / unchanged) are exactly what a commit would do.
- *Penerap* (`Applier`): the app-specific half. `load` runs once inside the transaction (fetch the
  existing records in one query); `apply` writes one row through the app's services and says
  whether it created, updated or left a record unchanged. It must not write an unchanged record,
  so re-importing a file leaves no audit trail and reports every row as unchanged.

Flow (`run_import`)
1. Read the file (`rencana.core.tabular.read_table`); an unreadable file is one error on row 0.
2. Check every row (`check_rows`); any error -> nothing is applied and all errors are returned.
3. Apply every row in one `transaction.atomic()`. Each row runs in its own savepoint so an
   `ApplicationError` from a service becomes a `RowError` for that row and the other rows are still
   checked. Any error, or a dry run -> roll back. Counts are zero when the result is not `ok`.

Building blocks for an app's importer (column parsers, `Column`, `ImportSpec`, `RowError`) live in
`rencana.core.tabular` and are re-exported here.
"""

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from django.db import IntegrityError, transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from rencana.core.errors import ApplicationError
from rencana.core.tabular import (
    CellParser,
    Column,
    ImportRow,
    ImportSpec,
    RowError,
    TabularError,
    angka,
    boolean,
    check_rows,
    choice,
    read_table,
    sort_errors,
    tanggal,
    text,
)

__all__ = [
    "Applier",
    "CellParser",
    "Column",
    "ImportResult",
    "ImportRow",
    "ImportSpec",
    "Outcome",
    "RowError",
    "angka",
    "boolean",
    "choice",
    "run_import",
    "tanggal",
    "template_xlsx",
    "text",
]


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class Applier(Protocol):
    def load(self, rows: Sequence[ImportRow]) -> None: ...

    def apply(self, row: ImportRow) -> Outcome: ...


@dataclass
class ImportResult:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


def row_errors(spec: ImportSpec, row: ImportRow, exc: ApplicationError) -> list[RowError]:
    """A service's refusal as errors on `row`, one per column the service named."""
    labels = {c.key: c.label for c in spec.columns}
    if not exc.errors:
        return [RowError(row.number, "", "", exc.message)]
    found = []
    for item in exc.errors:
        key = str(item.get("kolom") or "")
        found.append(
            RowError(
                row.number,
                labels.get(key, key),
                row.raw.get(key, ""),
                str(item.get("pesan") or exc.message),
            )
        )
    return found


def run_import(spec: ImportSpec, *, path: Path, dry_run: bool, applier: Applier) -> ImportResult:
    """Import `path` through `applier`; nothing is written unless every row is valid and not a dry run."""
    try:
        table = read_table(path, header_names=set().union(*(c.names() for c in spec.columns)))
    except TabularError as exc:
        return ImportResult(dry_run=dry_run, errors=[RowError(0, "", "", exc.message)])
    rows, errors = check_rows(spec, table)
    if errors:
        return ImportResult(dry_run=dry_run, errors=sort_errors(errors))
    counts: Counter[Outcome] = Counter()
    with transaction.atomic():
        applier.load(rows)
        for row in rows:
            try:
                with transaction.atomic():
                    counts[applier.apply(row)] += 1
            except ApplicationError as exc:
                errors.extend(row_errors(spec, row, exc))
            except IntegrityError:
                # Another user wrote the same record between our read and write.
                errors.append(
                    RowError(
                        row.number,
                        "",
                        "",
                        "Bertabrakan dengan perubahan lain yang baru disimpan; ulangi impor.",
                    )
                )
        if errors or dry_run:
            transaction.set_rollback(True)
    if errors:
        return ImportResult(dry_run=dry_run, errors=sort_errors(errors))
    return ImportResult(
        dry_run=dry_run,
        created=counts[Outcome.CREATED],
        updated=counts[Outcome.UPDATED],
        unchanged=counts[Outcome.UNCHANGED],
    )


def template_xlsx(spec: ImportSpec) -> bytes:
    """An empty workbook to fill in: the header row, and a "Petunjuk" sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = spec.title[:31]
    bold = Font(bold=True)
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = bold
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.label) + 4)
        # Style the data cells so Excel keeps "1.10" as text instead of turning it into 1.1.
        for row in range(2, 502):
            sheet.cell(row=row, column=index).number_format = column.parser.number_format
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("Petunjuk")
    keys = ", ".join(spec.column(k).label for k in spec.natural_key)
    intro = [
        f"Petunjuk impor {spec.title}",
        f"Isi lembar “{sheet.title}”: baris pertama adalah judul kolom, satu baris per data mulai baris 2.",
        f"Data dikenali dari kolom {keys}: baris dengan {keys} yang sudah ada memperbarui data itu; "
        "mengimpor berkas yang sama dua kali tidak mengubah apa pun.",
        "Semua baris diperiksa dulu; bila ada satu kesalahan saja, tidak ada yang disimpan.",
        "Kolom opsional yang dihapus dari berkas tidak mengubah data yang sudah tersimpan; "
        "kolom lain yang tidak dikenal ditolak (hapus sebelum mengunggah).",
        "Angka ditulis dengan notasi Indonesia (5.319,05) atau tanpa pemisah ribuan (5319,05).",
    ]
    for line in intro:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append([])
    guide.append(["Kolom", "Wajib?", "Format", "Contoh", "Keterangan"])
    header_row = guide.max_row
    for cell in guide[header_row]:
        cell.font = bold
    for column in spec.columns:
        note = column.note
        if not column.required and column.default not in (None, ""):
            default = column.default
            if isinstance(default, bool):
                default = "ya" if default else "tidak"
            note = f"{note} Bila kosong: {default}.".strip()
        guide.append(
            [
                column.label,
                "wajib" if column.required else "opsional",
                column.parser.hint,
                column.example,
                note,
            ]
        )
    for letter, width in zip("ABCDE", (18, 10, 48, 22, 60), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
