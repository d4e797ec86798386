"""Reading a user's spreadsheet into checked rows: the pure half of the import framework.

Terms
- *Tabel* (`Table`): the first sheet of an XLSX file, or a CSV file, as raw cell values. The
  *header row* is the first row with any non-empty cell; each later non-empty row is a data row
  and keeps its 1-based spreadsheet row number (what the user sees in Excel / LibreOffice), so an
  error can point to it. Empty rows are skipped, not renumbered.
- *Spesifikasi* (`ImportSpec`): the columns an import expects. A `Column` has a key (the field
  name in code), an Indonesian header label, a parser (raw cell -> typed value, raising
  `ValueError` with an Indonesian message), a required flag and a default for blank cells.
  The *natural key* columns identify a record, so importing the same file twice changes nothing.
- *Kesalahan baris* (`RowError`): one problem at (row, column). Row 0 means the file as a whole.

Rules (`check_rows`)
- Headers match labels, keys or aliases ignoring case and spaces ("Urusan / Bidang" = "urusan/bidang").
- A missing required column is one error naming every missing column.
- An unrecognised column is an error too: a misspelt optional header ("Singkat") would otherwise
  be silently ignored and its data lost. Delete or rename such columns.
- An optional column that is absent leaves that field out of every row, so the importer keeps the
  stored value; a blank cell in a present column means the column's default.
- Every cell is checked and every error kept; nothing stops at the first one.
- Rows sharing a natural key are all reported, each naming the others.

CSV: UTF-8 with or without BOM; the delimiter (";", "," or tab) is the one the header line uses
most, because Excel in an Indonesian locale writes ";" and elsewhere ",".
"""

import csv
import datetime
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from rencana.core.dates import format_tanggal, parse_tanggal
from rencana.core.numbers import AngkaError, parse_angka

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024


class TabularError(ValueError):
    """The file as a whole cannot be read; `message` says why, in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class TableRow:
    number: int
    cells: tuple[Any, ...]


@dataclass(frozen=True)
class Table:
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[TableRow, ...]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _trim(cells: Sequence[Any]) -> tuple[Any, ...]:
    end = len(cells)
    while end and _is_blank(cells[end - 1]):
        end -= 1
    return tuple(cells[:end])


TITLE_ROWS = 20


def _is_header(cells: Sequence[Any], header_names: set[str]) -> bool:
    matches = sum(1 for c in cells if not _is_blank(c) and _normal(str(c)) in header_names)
    return matches >= min(2, len(header_names))


def _table_from(raw_rows: Iterable[tuple[int, Sequence[Any]]], header_names: set[str] | None = None) -> Table:
    """Rows -> table. With `header_names`, title rows above the header (a report title, merged
    across the sheet, as government spreadsheets have) are skipped: the header is the first of
    the first 20 non-empty rows naming at least two known columns, else the first non-empty row."""
    header_row = 0
    headers: tuple[str, ...] = ()
    rows: list[TableRow] = []
    pending: list[tuple[int, tuple[Any, ...]]] = []
    for number, raw in raw_rows:
        cells = _trim(raw)
        if not cells:
            continue
        if not header_row:
            if header_names is not None and not _is_header(cells, header_names):
                pending.append((number, cells))
                if len(pending) < TITLE_ROWS:
                    continue
                number, cells = pending.pop(0)
                header_row = number
                headers = tuple("" if _is_blank(c) else str(c).strip() for c in cells)
                rows.extend(TableRow(n, c) for n, c in pending)
                pending = []
                continue
            pending = []
            header_row = number
            headers = tuple("" if _is_blank(c) else str(c).strip() for c in cells)
            continue
        if len(rows) >= MAX_ROWS:
            raise TabularError(
                f"Berkas berisi lebih dari {MAX_ROWS} baris data; bagi menjadi beberapa berkas."
            )
        rows.append(TableRow(number, cells))
    if not header_row and pending:
        number, cells = pending.pop(0)
        header_row = number
        headers = tuple("" if _is_blank(c) else str(c).strip() for c in cells)
        rows.extend(TableRow(n, c) for n, c in pending)
    if not header_row:
        raise TabularError("Berkas kosong: tidak ada baris judul kolom.")
    return Table(header_row, headers, tuple(rows))


def _read_xlsx(path: Path, header_names: set[str] | None = None) -> Table:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        # A damaged or disguised upload can fail deep inside zipfile/XML parsing with many exception
        # types; for user input every one of them means the same thing.
        raise TabularError(
            "Berkas XLSX tidak dapat dibaca (rusak atau bukan berkas Excel .xlsx). "
            "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx."
        ) from exc
    try:
        if not workbook.worksheets:
            raise TabularError("Berkas XLSX tidak berisi lembar kerja.")
        sheet = workbook.worksheets[0]
        return _table_from(enumerate(sheet.iter_rows(values_only=True), start=1), header_names)
    except TabularError:
        raise
    except Exception as exc:
        raise TabularError(
            "Isi berkas XLSX tidak dapat dibaca (rusak). Buka di Excel/LibreOffice lalu simpan ulang."
        ) from exc
    finally:
        workbook.close()


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes, header_names: set[str] | None = None) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TabularError(
            "Berkas CSV harus berenkode UTF-8. Di Excel pilih Simpan Sebagai > “CSV UTF-8”."
        ) from None
    if "\x00" in text:
        raise TabularError("Berkas ini bukan CSV (berisi data biner).")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def numbered() -> Iterable[tuple[int, list[str]]]:
        # A quoted cell may span lines; a record's number is the line it starts on.
        start = 1
        for record in reader:
            yield start, record
            start = reader.line_num + 1

    try:
        return _table_from(numbered(), header_names)
    except csv.Error as exc:
        raise TabularError(f"Berkas CSV tidak dapat dibaca: {exc}.") from None


def read_table(path: Path, *, header_names: set[str] | None = None) -> Table:
    """The first sheet of an XLSX file or a CSV file, chosen by content and then by name."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        raise TabularError("Berkas tidak ditemukan atau tidak dapat dibuka.") from None
    if size > MAX_BYTES:
        raise TabularError(f"Berkas terlalu besar (lebih dari {MAX_BYTES // (1024 * 1024)} MB).")
    suffix = path.suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise TabularError("Format .xls (Excel 97-2003) tidak didukung. Simpan ulang sebagai .xlsx.")
    if suffix == ".xlsx" or head.startswith(b"PK"):
        if not zipfile.is_zipfile(path):
            raise TabularError(
                "Berkas XLSX tidak dapat dibaca (rusak atau bukan berkas Excel .xlsx). "
                "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx."
            )
        return _read_xlsx(path, header_names)
    if suffix in {".csv", ".txt"}:
        return _read_csv(path.read_bytes(), header_names)
    raise TabularError("Format berkas tidak didukung: gunakan .xlsx atau .csv.")


# Column parsers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellParser:
    """Raw cell -> typed value; `hint` describes the format for the template's instructions."""

    parse: Callable[[Any], Any]
    hint: str
    # Excel number format for the template column: "@" keeps codes like "1.10" as typed text.
    number_format: str = "General"

    def __call__(self, raw: Any) -> Any:
        return self.parse(raw)


def cell_text(raw: Any) -> str:
    """A cell as the user sees it: 12.0 -> "12", a date -> "21 November 2026"."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "ya" if raw else "tidak"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime) and raw.time() == datetime.time(0):
        return format_tanggal(raw.date())
    if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
        return format_tanggal(raw)
    return str(raw).strip()


def text(max_len: int) -> CellParser:
    def parse(raw: Any) -> str:
        value = cell_text(raw)
        if len(value) > max_len:
            raise ValueError(f"Paling panjang {max_len} karakter (terisi {len(value)}).")
        return value

    return CellParser(parse, f"Teks, paling panjang {max_len} karakter", number_format="@")


def angka(
    *, minimum: Decimal | None = None, maximum: Decimal | None = None, persen: bool = False
) -> CellParser:
    def parse(raw: Any) -> Decimal:
        if isinstance(raw, bool):
            raise ValueError("Isi dengan angka, bukan ya/tidak.")
        if isinstance(raw, int):
            value = Decimal(raw)
        elif isinstance(raw, float):
            if raw != raw or raw in (float("inf"), float("-inf")):
                raise ValueError("Isi dengan angka.")
            # Excel keeps 15 significant digits; more would be binary noise (0.30000000000000004).
            value = Decimal(format(raw, ".15g"))
        else:
            try:
                value = parse_angka(cell_text(raw), persen=persen)
            except AngkaError as exc:
                raise ValueError(exc.message) from None
        if minimum is not None and value < minimum:
            raise ValueError(f"Paling kecil {minimum}.")
        if maximum is not None and value > maximum:
            raise ValueError(f"Paling besar {maximum}.")
        return value

    hint = "Angka, mis. 5.319,05 atau 5319,05 (titik pemisah ribuan, koma desimal)"
    return CellParser(parse, hint + (", boleh diakhiri %" if persen else ""))


def tanggal() -> CellParser:
    def parse(raw: Any) -> datetime.date:
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        if isinstance(raw, int | float):
            raise ValueError("Isi sebagai tanggal (mis. 21/11/2026), bukan angka.")
        return parse_tanggal(str(raw))

    return CellParser(parse, "Tanggal, hari dulu: 21/11/2026 atau 21 November 2026")


_TRUE = {"ya", "true", "1", "benar"}
_FALSE = {"tidak", "false", "0", "salah"}


def boolean() -> CellParser:
    def parse(raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        word = cell_text(raw).lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError("Isi dengan “ya” atau “tidak”.")

    return CellParser(parse, "ya atau tidak")


def choice(*options: str | tuple[str, str]) -> CellParser:
    """One of `options`: values, or (value, label) pairs; either matches, ignoring case."""
    pairs = [(o, o) if isinstance(o, str) else o for o in options]
    lookup = {_normal(v): v for v, _ in pairs} | {_normal(label): v for v, label in pairs}
    shown = ", ".join(label for _, label in pairs)

    def parse(raw: Any) -> str:
        found = lookup.get(_normal(cell_text(raw)))
        if found is None:
            raise ValueError(f"Pilih salah satu: {shown}.")
        return found

    return CellParser(parse, f"Salah satu dari: {shown}")


# Specification and row checking -------------------------------------------------------------------


def _normal(header: str) -> str:
    return "".join(header.split()).casefold()


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    parser: CellParser
    required: bool = False
    default: Any = None
    example: str = ""
    note: str = ""
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {_normal(n) for n in (self.key, self.label, *self.aliases)}


@dataclass(frozen=True)
class ImportSpec:
    title: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class ImportRow:
    """A checked data row: `values` holds typed values of the columns present in the file."""

    number: int
    values: dict[str, Any]
    raw: dict[str, str] = field(default_factory=dict)


def _match_headers(spec: ImportSpec, table: Table) -> tuple[dict[str, int], list[RowError]]:
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    unknown: list[str] = []
    for index, header in enumerate(table.headers):
        if not header:
            continue
        column = next((c for c in spec.columns if _normal(header) in c.names()), None)
        if column is None:
            unknown.append(header)
        elif column.key in positions:
            errors.append(
                RowError(table.header_row, column.label, header, f"Kolom “{column.label}” muncul dua kali.")
            )
        else:
            positions[column.key] = index
    missing = [c.label for c in spec.columns if c.required and c.key not in positions]
    expected = ", ".join(c.label for c in spec.columns)
    if missing:
        errors.append(
            RowError(
                table.header_row,
                ", ".join(missing),
                "",
                f"Kolom wajib tidak ada: {', '.join(missing)}. Judul kolom yang dikenali: {expected}.",
            )
        )
    if unknown:
        errors.append(
            RowError(
                table.header_row,
                ", ".join(unknown),
                "",
                f"Kolom tidak dikenal: {', '.join(unknown)}. Hapus atau ganti judulnya; "
                f"judul kolom yang dikenali: {expected}.",
            )
        )
    return positions, errors


def check_rows(spec: ImportSpec, table: Table) -> tuple[list[ImportRow], list[RowError]]:
    """Every data row parsed against `spec`, and every error found (see the module docstring)."""
    positions, errors = _match_headers(spec, table)
    if errors:
        return [], errors
    if not table.rows:
        return [], [RowError(0, "", "", "Berkas tidak berisi baris data di bawah judul kolom.")]
    rows: list[ImportRow] = []
    for table_row in table.rows:
        values: dict[str, Any] = {}
        raw_texts: dict[str, str] = {}
        row_ok = True
        for index, raw in enumerate(table_row.cells):
            if not _is_blank(raw) and (index >= len(table.headers) or not table.headers[index]):
                errors.append(
                    RowError(table_row.number, "", cell_text(raw), "Sel berisi data di kolom tanpa judul.")
                )
                row_ok = False
        for column in spec.columns:
            if column.key not in positions:
                continue
            index = positions[column.key]
            raw = table_row.cells[index] if index < len(table_row.cells) else None
            raw_texts[column.key] = cell_text(raw)
            if _is_blank(raw):
                if column.required:
                    errors.append(RowError(table_row.number, column.label, "", "Wajib diisi."))
                    row_ok = False
                values[column.key] = column.default
                continue
            try:
                values[column.key] = column.parser(raw)
            except ValueError as exc:
                errors.append(RowError(table_row.number, column.label, cell_text(raw), _message(exc)))
                row_ok = False
        if row_ok:
            rows.append(ImportRow(table_row.number, values, raw_texts))
    errors.extend(_duplicate_keys(spec, rows))
    return rows, errors


def _message(exc: ValueError) -> str:
    return str(getattr(exc, "message", None) or exc)


def _duplicate_keys(spec: ImportSpec, rows: Sequence[ImportRow]) -> list[RowError]:
    if not spec.natural_key:
        return []
    seen: dict[tuple[Any, ...], list[ImportRow]] = defaultdict(list)
    for row in rows:
        seen[tuple(row.values.get(k) for k in spec.natural_key)].append(row)
    labels = ", ".join(spec.column(k).label for k in spec.natural_key)
    errors = []
    for key, group in seen.items():
        if len(group) < 2:
            continue
        numbers = ", ".join(str(r.number) for r in group)
        shown = " / ".join(cell_text(v) for v in key)
        for row in group:
            errors.append(
                RowError(
                    row.number,
                    labels,
                    shown,
                    f"{labels} “{shown}” muncul lebih dari sekali di berkas (baris {numbers}).",
                )
            )
    return errors


def sort_errors(errors: Iterable[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: e.row)
