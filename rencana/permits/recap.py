"""Rekap kelompok HKm per kabupaten/kota: reading and reconciling a published table (field case 4, the
Lampung 2005 table), and the same table computed from a pemda's own applications.

Pure module: no ORM, no Django. The service (`services_recap.py`) stores what this module accepts.

Terms
- *Tabel rekap*: one row per kabupaten/kota with the farmer groups holding an HKm permit (`izin_hkm`), an
  IHHBK permit (`ihhbk`), in process (`dalam_proses`), their total (`total`), members in households
  (`anggota_kk`) and managed area in hectares (`luas_garapan_ha`), and usually a *baris TOTAL* (the printed
  totals). Columns are recognised by name, ignoring case, spaces and punctuation, with common variants
  (`KOLOM`: "Kabupaten/Kota", "Luas Garapan (ha)", "Anggota (KK)", ...).
- *Baris* (row): the spreadsheet row number the user sees in Excel/LibreOffice (the header is row 1 in the
  Lampung file, so Lampung Tengah is row 5); 0 is the file as a whole.
- *Masalah* (`Problem`): one finding at (row, column) with a stable `jenis`. A *galat* (error) rejects the
  file, nothing is written until it is fixed; a *peringatan* (warning) is stored with the import.

Number cells (Indonesian notation, `rencana.core.numbers.parse_angka`; nothing is guessed, nothing fixed)
- Counts (`izin_hkm`, `ihhbk`, `dalam_proses`, `total`, `anggota_kk`) are whole numbers. A dot between
  groups of three digits can only separate thousands there ("1.169" KK is 1169 KK: 1,169 households cannot
  exist); anything else must be a whole number in a notation `parse_angka` reads ("2,5" is refused).
- The area takes `parse_angka` as it is: "5.319,05" and "5319.05" are read, "5.319.05" (wrongly grouped)
  and "5.319" (1.000 times apart in the two notations) are *angka_ambigu*. At most 2 decimals (the stored
  precision): a third would be rounded silently, so it is refused.
- Markers of an unknown value ("*", "-", "?", "…", "x", "n/a", "td", ...; `UNKNOWN_MARKERS`) are
  *nilai_tidak_diketahui*: stored as empty, never as 0 ("-" is "nihil" in BPS tables, but also "no data").
- A blank cell (or a row shorter than the header) is *sel_kosong*: stored as empty, never as 0.

Kinds of problem (`JENIS`: kind -> level)
- galat: `angka_ambigu`, `angka_tidak_sah` (letters, negative, not whole, too many decimals, too large),
  `berkas_tidak_terbaca` (not a CSV/XLSX, empty, too large), `kolom_tidak_dikenal`, `kolom_ganda`,
  `kolom_wajib_tidak_ada` (`kabupaten`, `izin_hkm`, `dalam_proses`, `total`), `sel_tanpa_judul` (data in a
  column without a header), `tanpa_data`, `baris_total_ganda`, `baris_setelah_total` (a data row below the
  TOTAL row: included in it or not?).
- peringatan: `total_tidak_cocok`, `nilai_tidak_diketahui`, `sel_kosong`, `kabupaten_ganda`,
  `wilayah_tidak_dikenal`, `wilayah_ambigu`.

Reconciliation (`reconcile`)
- Per row: `izin_hkm + ihhbk + dalam_proses = total` (every row of the Lampung table satisfies it).
- Per column: the TOTAL row's value = the sum of the data rows.
- When a part is empty or unknown the sum is incomplete: since counts and areas are not negative, it is a
  lower bound, and only a sum of the known parts *above* the printed total is a mismatch. Otherwise the
  check is "tidak dapat diperiksa" (shown on the page, not a problem). So the Lampung area total, with
  Lampung Timur unknown, is not reported, and the IHHBK total 110 (Way Kanan empty) says nothing more.
- A TOTAL row is one whose `kabupaten` or `no` cell starts with "total" or "jumlah". Rows below it without
  numbers are notes (sources, legends) and are left out.

Kabupaten names are matched to the kabupaten/kota codes of the pemda's province (`match_wilayah`), ignoring
the "Kabupaten"/"Kota" prefix ("Bandar Lampung" = 18.71 Kota Bandar Lampung). A name that matches nothing
is a warning only when the region list is loaded (`wilayah_termuat`); otherwise the name alone is kept.

Applied to `hkm_kelompok_lampung_2005.csv` as printed: exactly four problems, and the file is rejected:
row 5 `luas_garapan_ha` angka_ambigu ("5.319.05"), row 6 `luas_garapan_ha` nilai_tidak_diketahui ("*"),
row 9 `ihhbk` sel_kosong (Way Kanan), row 10 `anggota_kk` total_tidak_cocok (14.932 printed, 14.902 summed).
With "5.319,05" the last three remain, as warnings, and the file is accepted.

The aggregate of a pemda's own applications (`aggregate`): per kabupaten/kota, farmer groups with an
approved HKm application (*berizin*), groups with one in process and none approved (*dalam proses*), their
total, their members, and their area (the map's computed hectares, else the declared area; groups with
neither are counted in `tanpa_luas`). Area shown rounded to 2 decimals, ROUND_HALF_UP.
"""

import io
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final, Literal

from openpyxl import Workbook
from openpyxl.styles import Font

from rencana.core.numbers import AngkaError, format_angka, parse_angka
from rencana.core.tabular import Table, TabularError, cell_text, read_table
from rencana.regions.editions import nama_cari, normalize, strip_admin_prefix

Tingkat = Literal["galat", "peringatan"]
GALAT: Final = "galat"
PERINGATAN: Final = "peringatan"

MAX_BYTES = 5 * 1024 * 1024
MAX_DATA_ROWS = 1000
MAX_ROW_NUMBER = 32_767  # RecapRow.nomor is a PositiveSmallIntegerField
MAX_COUNT = 2_147_483_647  # PositiveIntegerField
MAX_AREA = Decimal("999999999999.99")  # DecimalField(max_digits=14, decimal_places=2)
AREA_DECIMALS = 2

# Kind of problem -> level. The kinds are stable names (JSON output, stored reports, tests).
JENIS: dict[str, Tingkat] = {
    "angka_ambigu": GALAT,
    "angka_tidak_sah": GALAT,
    "berkas_tidak_terbaca": GALAT,
    "kolom_tidak_dikenal": GALAT,
    "kolom_ganda": GALAT,
    "kolom_wajib_tidak_ada": GALAT,
    "sel_tanpa_judul": GALAT,
    "tanpa_data": GALAT,
    "baris_total_ganda": GALAT,
    "baris_setelah_total": GALAT,
    "total_tidak_cocok": PERINGATAN,
    "nilai_tidak_diketahui": PERINGATAN,
    "sel_kosong": PERINGATAN,
    "kabupaten_ganda": PERINGATAN,
    "wilayah_tidak_dikenal": PERINGATAN,
    "wilayah_ambigu": PERINGATAN,
}

# What statistical tables print for "unknown / not available" (compared after `_marker_key`).
UNKNOWN_MARKERS = frozenset(
    {
        "*",
        "**",
        "***",
        "?",
        "-",
        "--",
        "–",
        "—",
        "...",
        "…",
        "x",
        "n/a",
        "na",
        "td",
        "t.d.",
        "t.d",
        "tad",
        "t.a.d",
        "t.a.d.",
        "tidak ada data",
        "tidak diketahui",
        "belum ada data",
        "data tidak tersedia",
    }
)

_THOUSANDS_ONLY = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_NUMERIC_TEXT = re.compile(r"[+\-\u2212]?[0-9.,]+")
_TOTAL_WORDS = ("total", "jumlah")
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "gambar PNG"),
    (b"\xff\xd8\xff", "gambar JPG"),
    (b"GIF8", "gambar GIF"),
    (b"\x1f\x8b", "arsip gzip"),
    (b"Rar!", "arsip RAR"),
    (b"7z\xbc\xaf", "arsip 7z"),
    (b"MZ", "program"),
    (b"\x7fELF", "program"),
)


# --- columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kolom:
    key: str
    label: str
    jenis: Literal["nomor", "teks", "bulat", "desimal"]
    wajib: bool
    alias: tuple[str, ...] = ()


KOLOM: tuple[Kolom, ...] = (
    Kolom("no", "No", "nomor", False, ("nomor", "no urut", "nomor urut")),
    Kolom(
        "kabupaten",
        "Kabupaten/Kota",
        "teks",
        True,
        ("kabupaten/kota", "kab/kota", "kota/kabupaten", "kab./kota", "kabupaten kota", "wilayah", "daerah"),
    ),
    Kolom(
        "izin_hkm",
        "Berizin HKm",
        "bulat",
        True,
        ("izin hkm", "berizin hkm", "iuphkm", "izin iuphkm", "kelompok berizin hkm", "hkm", "berizin"),
    ),
    Kolom("ihhbk", "IHHBK", "bulat", False, ("izin ihhbk", "iuphhbk", "berizin ihhbk", "hhbk")),
    Kolom(
        "dalam_proses",
        "Dalam proses",
        "bulat",
        True,
        ("proses", "sedang diproses", "dalam proses izin", "diproses"),
    ),
    Kolom(
        "total",
        "Total kelompok",
        "bulat",
        True,
        ("jumlah", "jumlah kelompok", "total kelompok", "jumlah kelompok tani", "kelompok"),
    ),
    Kolom(
        "anggota_kk",
        "Anggota (KK)",
        "bulat",
        False,
        ("anggota", "jumlah anggota", "jumlah anggota (kk)", "jumlah kk", "kk", "anggota kk"),
    ),
    Kolom(
        "luas_garapan_ha",
        "Luas garapan (ha)",
        "desimal",
        False,
        (
            "luas garapan",
            "luas",
            "luas (ha)",
            "luas ha",
            "luas_ha",
            "luas areal (ha)",
            "luas areal kelola (ha)",
        ),
    ),
)
KOLOM_BY_KEY: dict[str, Kolom] = {k.key: k for k in KOLOM}
NUMBER_KEYS: tuple[str, ...] = tuple(k.key for k in KOLOM if k.jenis in ("bulat", "desimal"))
PART_KEYS: tuple[str, ...] = ("izin_hkm", "ihhbk", "dalam_proses")
_ORDER = {k.key: i for i, k in enumerate(KOLOM)}


def _header_key(text: str) -> str:
    """Header -> lookup key, ignoring case, spaces, punctuation: "Luas Garapan (ha)" -> "luasgarapanha"."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


_HEADER_LOOKUP: dict[str, str] = {}
for _kolom in KOLOM:
    for _name in (_kolom.key, _kolom.label, *_kolom.alias):
        _HEADER_LOOKUP.setdefault(_header_key(_name), _kolom.key)
# For rencana.core.tabular's title-row skipping (it compares case-folded text without spaces).
HEADER_NAMES: frozenset[str] = frozenset(
    "".join(name.split()).casefold() for k in KOLOM for name in (k.key, k.label, *k.alias)
)


def column_key(header: str) -> str | None:
    """The column a header names, or None."""
    return _HEADER_LOOKUP.get(_header_key(header))


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    baris: int
    kolom: str
    jenis: str
    pesan: str
    tingkat: Tingkat
    nilai: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The public form (JSON output, stored report): baris, kolom, jenis, pesan."""
        return {"baris": self.baris, "kolom": self.kolom, "jenis": self.jenis, "pesan": self.pesan}


def problem(baris: int, kolom: str, jenis: str, pesan: str, nilai: str = "") -> Problem:
    return Problem(baris, kolom, jenis, pesan, JENIS[jenis], nilai)


Number = int | Decimal


@dataclass(frozen=True)
class RecapLine:
    """One row of the table as accepted: empty or unknown cells are None."""

    baris: int
    kabupaten: str
    no: str = ""
    izin_hkm: int | None = None
    ihhbk: int | None = None
    dalam_proses: int | None = None
    total: int | None = None
    anggota_kk: int | None = None
    luas_garapan_ha: Decimal | None = None
    adalah_total: bool = False
    wilayah: str | None = None

    def value(self, key: str) -> Number | None:
        value: Number | None = getattr(self, key)
        return value


@dataclass(frozen=True)
class Reconciliation:
    """A column's printed total against the sum of its rows."""

    kolom: str
    total: Number | None  # printed in the TOTAL row
    jumlah: Decimal  # sum of the known cells
    lengkap: bool  # every data cell known
    status: Literal["cocok", "tidak_cocok", "tidak_dapat_diperiksa", "tanpa_total"]

    @property
    def selisih(self) -> Decimal | None:
        return None if self.total is None else Decimal(self.total) - self.jumlah


@dataclass(frozen=True)
class RecapResult:
    masalah: list[Problem]
    rows: list[RecapLine] = field(default_factory=list)
    totals: RecapLine | None = None
    kolom: tuple[str, ...] = ()
    rekonsiliasi: list[Reconciliation] = field(default_factory=list)
    rejected: bool = False
    # Filled by the service: the stored import, and whether the same file was already imported.
    rekap_id: int | None = None
    sudah_ada: bool = False
    sha256: str = ""

    @property
    def galat(self) -> list[Problem]:
        return [p for p in self.masalah if p.tingkat == GALAT]

    @property
    def peringatan(self) -> list[Problem]:
        return [p for p in self.masalah if p.tingkat == PERINGATAN]


def _rejected(masalah: list[Problem]) -> RecapResult:
    return RecapResult(masalah=sort_problems(masalah), rejected=True)


def sort_problems(masalah: Iterable[Problem]) -> list[Problem]:
    return sorted(masalah, key=lambda p: (p.baris, _ORDER.get(p.kolom, len(_ORDER)), p.jenis))


def exit_status(result: RecapResult) -> int:
    """0 accepted without problems, 1 accepted with warnings, 2 rejected."""
    if result.rejected:
        return 2
    return 1 if result.masalah else 0


# --- number cells --------------------------------------------------------------------------------


def _marker_key(text: str) -> str:
    return " ".join(text.casefold().split())


def shown(value: Number | None, key: str) -> str:
    """A value as printed in messages and pages: "14.932", "23.239,15", "—"."""
    if value is None:
        return "—"
    return format_angka(value, AREA_DECIMALS if KOLOM_BY_KEY[key].jenis == "desimal" else 0)


@dataclass(frozen=True)
class _Cell:
    status: Literal["ok", "kosong", "tidak_diketahui", "ambigu", "tidak_sah"]
    value: Number | None = None
    pesan: str = ""


def _quote(text: str) -> str:
    return f"“{text if len(text) <= 40 else text[:37] + '...'}”"


def read_number(raw: Any, kolom: Kolom) -> _Cell:
    """One number cell (see the module docstring)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return _Cell("kosong")
    whole = kolom.jenis == "bulat"
    if isinstance(raw, bool | date | datetime):
        return _Cell("tidak_sah", pesan=f"{_quote(cell_text(raw))} bukan angka.")
    value: Decimal
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return _Cell("tidak_sah", pesan="Sel berisi nilai yang bukan angka.")
        # Excel keeps 15 significant digits; more would be binary noise.
        value = Decimal(format(raw, ".15g"))
    elif isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw).strip()
        if _marker_key(text) in UNKNOWN_MARKERS:
            return _Cell("tidak_diketahui")
        if not _NUMERIC_TEXT.fullmatch(text):
            return _Cell(
                "tidak_sah",
                pesan=f"{_quote(text)} bukan angka. Bila nilainya tidak diketahui, tulis “*”.",
            )
        if whole and _THOUSANDS_ONLY.fullmatch(text):
            value = Decimal(text.replace(".", ""))
        else:
            try:
                value = parse_angka(text)
            except AngkaError as exc:
                return _Cell("ambigu", pesan=f"{exc.message} Rencana tidak menebak: perbaiki berkasnya.")
    if not value.is_finite():
        return _Cell("tidak_sah", pesan="Sel berisi nilai yang bukan angka.")
    text_value = cell_text(raw)
    if value < 0:
        return _Cell("tidak_sah", pesan=f"{_quote(text_value)}: tidak boleh negatif.")
    if whole:
        if value != value.to_integral_value():
            return _Cell(
                "tidak_sah",
                pesan=f"{_quote(text_value)}: jumlah kelompok atau anggota harus bilangan bulat.",
            )
        if value > MAX_COUNT:
            return _Cell("tidak_sah", pesan=f"{_quote(text_value)}: terlalu besar.")
        return _Cell("ok", int(value))
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -AREA_DECIMALS:
        return _Cell(
            "tidak_sah",
            pesan=f"{_quote(text_value)}: paling banyak {AREA_DECIMALS} angka desimal "
            "(lebih dari itu akan terbulatkan diam-diam).",
        )
    if value > MAX_AREA:
        return _Cell("tidak_sah", pesan=f"{_quote(text_value)}: terlalu besar.")
    return _Cell("ok", value.quantize(Decimal("0.01")))


# --- region names --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WilayahRef:
    """A kabupaten/kota of the pemda's province, as loaded in the region list."""

    kode: str
    nama: str
    level: str


def match_wilayah(nama: str, wilayah: Sequence[WilayahRef]) -> tuple[str | None, str]:
    """The code `nama` names among `wilayah`, ignoring the "Kabupaten"/"Kota" prefix.

    Returns (code, "") or (None, "tidak_dikenal" | "ambigu"). "Kota X" picks the kota when both
    "Kabupaten X" and "Kota X" exist; plain "X" is then ambiguous.
    """
    text, implied = strip_admin_prefix(normalize(nama))
    found = [w for w in wilayah if nama_cari(w.nama, w.level) == text]
    if implied is not None and len(found) > 1:
        found = [w for w in found if w.level == implied] or found
    if len(found) == 1:
        return found[0].kode, ""
    return None, "ambigu" if found else "tidak_dikenal"


# --- reading -------------------------------------------------------------------------------------


def _sniff(data: bytes, nama_berkas: str) -> str:
    """Suffix ".xlsx" or ".csv" for read_table; raises TabularError for what is neither."""
    if not data:
        raise TabularError("Berkas kosong: tidak berisi apa pun.")
    if len(data) > MAX_BYTES:
        raise TabularError(
            f"Berkas terlalu besar (lebih dari {MAX_BYTES // (1024 * 1024)} MB); tabel rekap per "
            "kabupaten/kota biasanya hanya beberapa kilobita."
        )
    suffix = Path(nama_berkas).suffix.lower()
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise TabularError(f"Berkas ini bukan CSV atau XLSX (tampaknya {what}).")
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise TabularError("Format .xls (Excel 97-2003) tidak didukung. Simpan ulang sebagai .xlsx.")
    if data.startswith(b"PK"):
        return ".xlsx"
    if suffix == ".xlsx":
        raise TabularError(
            "Berkas XLSX tidak dapat dibaca (rusak atau bukan berkas Excel .xlsx). "
            "Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx."
        )
    if suffix not in {".csv", ".txt", ""}:
        raise TabularError("Format berkas tidak didukung: gunakan .xlsx atau .csv.")
    return ".csv"


def read_file(data: bytes, nama_berkas: str) -> Table:
    """The first sheet of an XLSX file or a CSV file (UTF-8; "," ";" or tab), title rows skipped."""
    suffix = _sniff(data, nama_berkas)
    with tempfile.TemporaryDirectory(prefix="rencana-rekap-") as folder:
        path = Path(folder) / f"rekap{suffix}"
        path.write_bytes(data)
        return read_table(path, header_names=set(HEADER_NAMES))


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _is_total_label(text: str) -> bool:
    key = _header_key(text)
    return key.startswith(_TOTAL_WORDS)


def read_recap(
    data: bytes,
    nama_berkas: str,
    *,
    wilayah: Sequence[WilayahRef] = (),
    wilayah_termuat: bool = False,
) -> RecapResult:
    """Read and reconcile a recap table.

    `wilayah`: the kabupaten/kota of the pemda's province to match names against; `wilayah_termuat`: the
    whole region list is loaded, so a name matching nothing is worth a warning (else it is kept silently).
    """
    try:
        table = read_file(data, nama_berkas)
    except TabularError as exc:
        return _rejected([problem(0, "", "berkas_tidak_terbaca", exc.message)])
    return check_table(table, wilayah=wilayah, wilayah_termuat=wilayah_termuat)


def _map_headers(table: Table) -> tuple[dict[str, int], list[Problem]]:
    positions: dict[str, int] = {}
    masalah: list[Problem] = []
    expected = ", ".join(k.key for k in KOLOM)
    for index, header in enumerate(table.headers):
        if not header:
            continue
        key = column_key(header)
        if key is None:
            masalah.append(
                problem(
                    table.header_row,
                    header,
                    "kolom_tidak_dikenal",
                    f"Kolom “{header}” tidak dikenal. Kolom yang dikenali: {expected} "
                    "(atau judul seperti “Kabupaten/Kota”, “Luas Garapan (ha)”). Ganti judulnya atau hapus "
                    "kolomnya.",
                    header,
                )
            )
        elif key in positions:
            masalah.append(
                problem(
                    table.header_row,
                    key,
                    "kolom_ganda",
                    f"Kolom {key} muncul dua kali (“{table.headers[positions[key]]}” dan “{header}”).",
                    header,
                )
            )
        else:
            positions[key] = index
    missing = [k.key for k in KOLOM if k.wajib and k.key not in positions]
    if missing:
        masalah.append(
            problem(
                table.header_row,
                ", ".join(missing),
                "kolom_wajib_tidak_ada",
                f"Kolom wajib tidak ada: {', '.join(missing)}. Kolom yang dikenali: {expected}.",
            )
        )
    return positions, masalah


def check_table(
    table: Table, *, wilayah: Sequence[WilayahRef] = (), wilayah_termuat: bool = False
) -> RecapResult:
    """The table's rows, cell checks and reconciliation (see the module docstring)."""
    if table.rows and table.rows[-1].number > MAX_ROW_NUMBER:
        return _rejected(
            [
                problem(
                    0,
                    "",
                    "berkas_tidak_terbaca",
                    f"Berkas terlalu panjang (lebih dari {MAX_ROW_NUMBER} baris).",
                )
            ]
        )
    positions, masalah = _map_headers(table)
    if masalah:
        return _rejected(masalah)
    width = len(table.headers)
    lines: list[RecapLine] = []
    totals: RecapLine | None = None
    for row in table.rows:
        cells = row.cells

        def cell(key: str, cells: tuple[Any, ...] = cells) -> Any:
            index = positions.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        for index, raw in enumerate(cells):
            if not _is_blank(raw) and (index >= width or not table.headers[index]):
                masalah.append(
                    problem(
                        row.number,
                        "",
                        "sel_tanpa_judul",
                        f"Sel kolom ke-{index + 1} berisi {_quote(cell_text(raw))} tetapi kolom itu tidak "
                        "berjudul: tidak jelas datanya milik kolom apa.",
                        cell_text(raw),
                    )
                )
        nama = cell_text(cell("kabupaten"))
        nomor = cell_text(cell("no"))
        is_total = _is_total_label(nama) or (not nama and _is_total_label(nomor))
        has_numbers = any(not _is_blank(cell(k)) for k in NUMBER_KEYS if k in positions)
        if totals is not None:
            if is_total:
                masalah.append(
                    problem(
                        row.number,
                        "kabupaten",
                        "baris_total_ganda",
                        f"Baris TOTAL kedua (yang pertama di baris {totals.baris}): tidak jelas total mana "
                        "yang berlaku. Sisakan satu baris TOTAL.",
                        nama or nomor,
                    )
                )
            elif has_numbers:
                masalah.append(
                    problem(
                        row.number,
                        "",
                        "baris_setelah_total",
                        f"Ada baris data di bawah baris TOTAL (baris {totals.baris}): tidak jelas apakah "
                        "termasuk dalam total. Pindahkan ke atas baris TOTAL atau hapus.",
                        nama,
                    )
                )
            continue
        where = "TOTAL" if is_total else (nama or f"baris {row.number}")
        values: dict[str, Number | None] = {}
        for key in NUMBER_KEYS:
            if key not in positions:
                continue
            kolom = KOLOM_BY_KEY[key]
            raw = cell(key)
            parsed = read_number(raw, kolom)
            text = cell_text(raw)
            values[key] = parsed.value
            if parsed.status == "kosong":
                masalah.append(
                    problem(
                        row.number,
                        key,
                        "sel_kosong",
                        f"{where}, {key}: sel kosong. Disimpan kosong (tidak dianggap 0).",
                    )
                )
            elif parsed.status == "tidak_diketahui":
                masalah.append(
                    problem(
                        row.number,
                        key,
                        "nilai_tidak_diketahui",
                        f"{where}, {key}: {_quote(text)} berarti nilainya tidak diketahui. Disimpan kosong "
                        "(tidak dianggap 0); bila nilainya diketahui, isi angkanya.",
                        text,
                    )
                )
            elif parsed.status == "ambigu":
                masalah.append(
                    problem(row.number, key, "angka_ambigu", f"{where}, {key}: {parsed.pesan}", text)
                )
            elif parsed.status == "tidak_sah":
                masalah.append(
                    problem(row.number, key, "angka_tidak_sah", f"{where}, {key}: {parsed.pesan}", text)
                )
        if not is_total and not nama:
            masalah.append(
                problem(
                    row.number,
                    "kabupaten",
                    "sel_kosong",
                    f"Baris {row.number}: nama kabupaten/kota kosong. Angkanya tetap dihitung dalam jumlah.",
                )
            )
        line = RecapLine(
            baris=row.number,
            kabupaten=nama[:150] if nama else ("TOTAL" if is_total else ""),
            no=nomor[:20],
            adalah_total=is_total,
            **values,  # type: ignore[arg-type]
        )
        if is_total:
            totals = line
        else:
            lines.append(line)
    if len(lines) > MAX_DATA_ROWS:
        return _rejected(
            [
                problem(
                    0,
                    "",
                    "berkas_tidak_terbaca",
                    f"Berkas berisi {len(lines)} baris data; rekap per kabupaten/kota paling banyak "
                    f"{MAX_DATA_ROWS} baris.",
                )
            ]
        )
    if not lines:
        masalah.append(
            problem(
                0, "", "tanpa_data", "Berkas tidak berisi baris kabupaten/kota di bawah baris judul kolom."
            )
        )
    present = tuple(k.key for k in KOLOM if k.key in positions)
    lines = _match_regions(lines, wilayah, wilayah_termuat, masalah)
    masalah.extend(_duplicates(lines))
    rekonsiliasi, found = reconcile(lines, totals, present)
    masalah.extend(found)
    ordered = sort_problems(masalah)
    return RecapResult(
        masalah=ordered,
        rows=lines,
        totals=totals,
        kolom=present,
        rekonsiliasi=rekonsiliasi,
        rejected=any(p.tingkat == GALAT for p in ordered),
    )


def _match_regions(
    lines: list[RecapLine], wilayah: Sequence[WilayahRef], termuat: bool, masalah: list[Problem]
) -> list[RecapLine]:
    matched = []
    for line in lines:
        if not line.kabupaten:
            matched.append(line)
            continue
        kode, reason = match_wilayah(line.kabupaten, wilayah)
        if not termuat:
            pass
        elif reason == "tidak_dikenal":
            masalah.append(
                problem(
                    line.baris,
                    "kabupaten",
                    "wilayah_tidak_dikenal",
                    f"“{line.kabupaten}” tidak cocok dengan kabupaten/kota mana pun di provinsi ini; "
                    "disimpan namanya saja.",
                    line.kabupaten,
                )
            )
        elif reason == "ambigu":
            masalah.append(
                problem(
                    line.baris,
                    "kabupaten",
                    "wilayah_ambigu",
                    f"“{line.kabupaten}” cocok dengan lebih dari satu wilayah (kabupaten dan kota); tulis "
                    "“Kabupaten ...” atau “Kota ...”. Disimpan namanya saja.",
                    line.kabupaten,
                )
            )
        matched.append(replace(line, wilayah=kode))
    return matched


def _duplicates(lines: Sequence[RecapLine]) -> list[Problem]:
    seen: dict[str, list[RecapLine]] = defaultdict(list)
    for line in lines:
        if line.kabupaten:
            seen[nama_cari(line.kabupaten)].append(line)
    found = []
    for group in seen.values():
        if len(group) < 2:
            continue
        numbers = ", ".join(str(g.baris) for g in group)
        for line in group:
            found.append(
                problem(
                    line.baris,
                    "kabupaten",
                    "kabupaten_ganda",
                    f"“{line.kabupaten}” muncul lebih dari sekali (baris {numbers}); semuanya dihitung "
                    "dalam jumlah.",
                    line.kabupaten,
                )
            )
    return found


# --- reconciliation ------------------------------------------------------------------------------


def _sum(values: Iterable[Number | None]) -> tuple[Decimal, bool]:
    total = Decimal(0)
    complete = True
    for value in values:
        if value is None:
            complete = False
        else:
            total += value
    return total, complete


def _row_check(line: RecapLine, present: Sequence[str]) -> Problem | None:
    if "total" not in present or line.total is None:
        return None
    parts = [line.value(k) for k in PART_KEYS if k in present]
    known, complete = _sum(parts)
    printed = Decimal(line.total)
    if known == printed or (not complete and known < printed):
        return None
    names = " + ".join(k for k in PART_KEYS if k in present)
    where = "TOTAL" if line.adalah_total else line.kabupaten or f"baris {line.baris}"
    if complete:
        pesan = (
            f"{where}: total tertulis {shown(line.total, 'total')}, sedangkan {names} = "
            f"{shown(known, 'total')} (selisih {shown(abs(printed - known), 'total')}). Kedua angka "
            "disimpan apa adanya; periksa sumbernya."
        )
    else:
        pesan = (
            f"{where}: total tertulis {shown(line.total, 'total')}, tetapi bagian yang diketahui ({names}) "
            f"sudah {shown(known, 'total')}. Periksa sumbernya."
        )
    return problem(line.baris, "total", "total_tidak_cocok", pesan, shown(line.total, "total"))


def reconcile(
    lines: Sequence[RecapLine], totals: RecapLine | None, present: Sequence[str]
) -> tuple[list[Reconciliation], list[Problem]]:
    """Row and column totals against their parts (see the module docstring)."""
    found: list[Problem] = []
    for line in [*lines, *([totals] if totals else [])]:
        checked = _row_check(line, present)
        if checked is not None:
            found.append(checked)
    results: list[Reconciliation] = []
    for key in NUMBER_KEYS:
        if key not in present:
            continue
        jumlah, lengkap = _sum(line.value(key) for line in lines)
        value = totals.value(key) if totals is not None else None
        printed = Decimal(value) if value is not None else None
        if totals is None or printed is None:
            status: Literal["cocok", "tidak_cocok", "tidak_dapat_diperiksa", "tanpa_total"] = "tanpa_total"
        elif jumlah == printed:
            status = "cocok"
        elif lengkap or jumlah > printed:
            status = "tidak_cocok"
        else:
            status = "tidak_dapat_diperiksa"
        results.append(Reconciliation(key, value, jumlah, lengkap, status))
        if status == "tidak_cocok" and totals is not None and printed is not None:
            if lengkap:
                pesan = (
                    f"TOTAL {key}: tertulis {shown(printed, key)}, jumlah baris {shown(jumlah, key)} "
                    f"(selisih {shown(abs(printed - jumlah), key)}). Kedua angka disimpan apa adanya; "
                    "periksa sumbernya."
                )
            else:
                pesan = (
                    f"TOTAL {key}: tertulis {shown(printed, key)}, tetapi jumlah baris yang diketahui saja "
                    f"sudah {shown(jumlah, key)}. Periksa sumbernya."
                )
            found.append(problem(totals.baris, key, "total_tidak_cocok", pesan, shown(printed, key)))
    return results, found


# --- aggregate of a pemda's own applications -----------------------------------------------------


@dataclass(frozen=True)
class GroupState:
    """One farmer group with an HKm application that counts: approved or in process."""

    kelompok_id: int
    kabupaten: str  # region code of its kabupaten/kota ("18.06")
    berizin: bool  # an approved application (else: in process)
    anggota: int
    luas_ha: Decimal | None  # the map's computed area, else the declared area, else None


@dataclass
class AggregateRow:
    kabupaten: str
    nama: str = ""
    berizin: int = 0
    dalam_proses: int = 0
    anggota: int = 0
    luas_ha: Decimal = Decimal(0)
    tanpa_luas: int = 0

    @property
    def total(self) -> int:
        return self.berizin + self.dalam_proses


@dataclass
class Aggregate:
    rows: list[AggregateRow]
    total: AggregateRow


def aggregate(groups: Iterable[GroupState], names: Mapping[str, str] | None = None) -> Aggregate:
    """Groups per kabupaten/kota (sorted by code) and the total row."""
    names = names or {}
    by_kab: dict[str, AggregateRow] = {}
    total = AggregateRow(kabupaten="", nama="TOTAL")
    for group in groups:
        row = by_kab.setdefault(
            group.kabupaten, AggregateRow(group.kabupaten, names.get(group.kabupaten, ""))
        )
        for target in (row, total):
            if group.berizin:
                target.berizin += 1
            else:
                target.dalam_proses += 1
            target.anggota += group.anggota
            if group.luas_ha is None:
                target.tanpa_luas += 1
            else:
                target.luas_ha += group.luas_ha
    return Aggregate([by_kab[k] for k in sorted(by_kab)], total)


# --- export --------------------------------------------------------------------------------------


def recap_xlsx(
    *,
    judul: str,
    lines: Sequence[RecapLine],
    totals: RecapLine | None,
    masalah: Sequence[Mapping[str, Any]],
    rekonsiliasi: Sequence[Reconciliation],
) -> bytes:
    """A stored recap as a workbook: "Rekap" (rows and the TOTAL row as printed), "Masalah" (the warnings
    stored with the import), "Rekonsiliasi" (each column's printed total against the sum of its rows)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Rekap"
    bold = Font(bold=True)
    sheet.append([judul])
    sheet["A1"].font = Font(bold=True, size=13)
    headers = ["Baris", "No", "Kabupaten/Kota", "Kode wilayah", *(KOLOM_BY_KEY[k].label for k in NUMBER_KEYS)]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = bold
    for line in [*lines, *([totals] if totals else [])]:
        values: list[Any] = [line.baris, line.no, line.kabupaten, line.wilayah or ""]
        for key in NUMBER_KEYS:
            value = line.value(key)
            values.append(value if value is not None else "")
        sheet.append(values)
        if line.adalah_total:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
    for index, width in enumerate((8, 6, 28, 14, 14, 10, 14, 16, 14, 18), start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "A3"
    problems = workbook.create_sheet("Masalah")
    problems.append(["Baris", "Kolom", "Jenis", "Pesan"])
    for cell in problems[1]:
        cell.font = bold
    for item in masalah:
        problems.append([item.get("baris"), item.get("kolom"), item.get("jenis"), item.get("pesan")])
    for letter, width in zip("ABCD", (8, 18, 24, 100), strict=True):
        problems.column_dimensions[letter].width = width
    checks = workbook.create_sheet("Rekonsiliasi")
    checks.append(
        ["Kolom", "Total tertulis", "Jumlah baris (yang diketahui)", "Semua sel diketahui", "Status"]
    )
    for cell in checks[1]:
        cell.font = bold
    for check in rekonsiliasi:
        checks.append(
            [
                check.kolom,
                check.total if check.total is not None else "",
                check.jumlah,
                "ya" if check.lengkap else "tidak",
                check.status.replace("_", " "),
            ]
        )
    for letter, width in zip("ABCDE", (18, 16, 28, 20, 24), strict=True):
        checks.column_dimensions[letter].width = width
    _as_text(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _as_text(workbook: Workbook) -> None:
    """Text from a user's file stays text: openpyxl would store "=HYPERLINK(...)" as a formula."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"


def template_xlsx() -> bytes:
    """An empty recap table to fill in: the header row, an example row and a TOTAL row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Rekap"
    sheet.append([k.key for k in KOLOM])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([1, "Tanggamus", 6, 0, 6, 12, 2771, "3.761,00"])
    sheet.append([None, "TOTAL", 6, 0, 6, 12, 2771, "3.761,00"])
    for index in range(1, len(KOLOM) + 1):
        sheet.column_dimensions[chr(64 + index)].width = 16
    guide = workbook.create_sheet("Petunjuk")
    for text in (
        "Satu baris per kabupaten/kota, lalu satu baris TOTAL (tulis “TOTAL” di kolom kabupaten).",
        "Angka: notasi Indonesia (1.169 atau 5.319,05) atau tanpa pemisah ribuan (5319,05).",
        "Nilai yang tidak diketahui: tulis “*” (disimpan kosong, tidak dianggap 0).",
        "Total diperiksa terhadap jumlah baris; angka ambigu (mis. 5.319.05) membuat berkas ditolak.",
        "Kolom wajib: kabupaten, izin_hkm, dalam_proses, total. Opsional: no, ihhbk, anggota_kk, "
        "luas_garapan_ha.",
    ):
        guide.append([text])
    guide.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def decimal_or_none(value: Any) -> Decimal | None:
    """A stored DecimalField value (or None) as Decimal."""
    if value is None:
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


__all__ = [
    "GALAT",
    "JENIS",
    "KOLOM",
    "PERINGATAN",
    "Aggregate",
    "AggregateRow",
    "GroupState",
    "Problem",
    "RecapLine",
    "RecapResult",
    "Reconciliation",
    "WilayahRef",
    "aggregate",
    "check_table",
    "column_key",
    "exit_status",
    "match_wilayah",
    "read_recap",
    "recap_xlsx",
    "reconcile",
    "template_xlsx",
]
