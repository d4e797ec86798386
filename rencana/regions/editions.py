"""Editions of the Kemendagri region code list (kode wilayah): parsing, search keys and diffs.

An edition is one Keputusan Menteri Dalam Negeri on "Kode dan Data Wilayah Administrasi
Pemerintahan". Two ship with Rencana (files under `rencana/regions/data/`, compiled by
`cahyadsn/wilayah`, MIT; see data/PROVENANCE.md):

- "2025": Kepmendagri 300.2.2-2138/2025 (with later name fixes), 91,599 codes;
- "2022": Kepmendagri 100.1.1-6117/2022, 91,591 codes (province 96 Papua Barat Daya is absent
  although its children are present).

Code shapes: `PP` provinsi, `PP.KK` kabupaten/kota (KK < 71 kabupaten, >= 71 kota),
`PP.KK.CC` kecamatan, `PP.KK.CC.DDDD` desa/kelurahan (first digit of DDDD: 1 kelurahan,
2 desa, 3 desa adat, which Rencana files as desa).

Pure module: no Django, no ORM. The loader (`loading.py`) and the search (`search.py`) use it.
"""

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# Edition -> (file under data/, the decree it follows).
EDITIONS: dict[str, tuple[str, str]] = {
    "2025": ("wilayah_2025.csv", "Kepmendagri 300.2.2-2138/2025"),
    "2022": ("wilayah_2022.csv", "Kepmendagri 100.1.1-6117/2022"),
}
DEFAULT_EDITION = "2025"

# The model's levels (RegionLevel values), from the top of the tree down.
PROVINSI = "provinsi"
KABUPATEN = "kabupaten"
KOTA = "kota"
KECAMATAN = "kecamatan"
DESA = "desa"
KELURAHAN = "kelurahan"
LEVELS: tuple[str, ...] = (PROVINSI, KABUPATEN, KOTA, KECAMATAN, DESA, KELURAHAN)
# Search ranks higher levels first; kabupaten and kota are one tier.
LEVEL_RANK: dict[str, int] = {PROVINSI: 0, KABUPATEN: 1, KOTA: 1, KECAMATAN: 2, DESA: 3, KELURAHAN: 3}

_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
# Administrative prefixes of kabupaten/kota names, longest first ("kab. adm." before "kab.").
_ADMIN_PREFIXES: tuple[str, ...] = (
    "kabupaten administrasi ",
    "kota administrasi ",
    "kab. adm. ",
    "kota adm. ",
    "kabupaten ",
    "kab. ",
    "kab ",
    "kota ",
)
_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018`")
_TOKEN_RE = re.compile(r"\w+")
_DIGITS = frozenset("0123456789")


class EditionError(ValueError):
    """The edition is unknown or its file is malformed."""


@dataclass(frozen=True, slots=True)
class RegionRow:
    """One code of an edition, with the level already mapped to the model's levels."""

    kode: str
    nama: str
    level: str
    parent: str | None

    @property
    def nama_cari(self) -> str:
        return nama_cari(self.nama, self.level)


@dataclass(frozen=True, slots=True)
class Rename:
    kode: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class EditionDiff:
    """Codes added, removed and renamed (same code, different published name) between two editions."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)
    # Same code, same name, but another level or parent (never seen between 2022 and 2025).
    moved: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.moved)


def level_of(kode: str) -> str:
    """The model level of a well-formed code ("35.75" -> "kota", "63.02" -> "kabupaten")."""
    if not _CODE_RE.match(kode):
        raise EditionError(f"Kode wilayah tidak valid: {kode!r}")
    parts = kode.split(".")
    if len(parts) == 1:
        return PROVINSI
    if len(parts) == 2:
        return KABUPATEN if int(parts[1]) < 71 else KOTA
    if len(parts) == 3:
        return KECAMATAN
    return KELURAHAN if parts[3][0] == "1" else DESA


def parent_of(kode: str) -> str | None:
    head, _sep, _tail = kode.rpartition(".")
    return head or None


def normalize(text: str) -> str:
    """Lower case, apostrophes dropped, whitespace collapsed: the form both names and queries take."""
    return " ".join(text.lower().translate(_APOSTROPHES).split())


def strip_admin_prefix(text: str) -> tuple[str, str | None]:
    """Remove a leading "kabupaten "/"kota "/"kab. " from normalised text; return the level it implied."""
    for prefix in _ADMIN_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :], KOTA if prefix.startswith("kota") else KABUPATEN
    return text, None


def nama_cari(nama: str, level: str | None = None) -> str:
    """Search key: lower case, whitespace collapsed, administrative prefix removed.

    The prefix is removed only from kabupaten/kota names (or when the level is not given):
    "Kota Bahagia" is a kecamatan whose name really begins with "Kota".
    """
    text = normalize(nama)
    if level in (None, KABUPATEN, KOTA):
        text, _implied = strip_admin_prefix(text)
    return text


def tokens(text: str) -> list[str]:
    """Distinct words of a search key, in order ("sei lepan-timur" -> ["sei", "lepan", "timur"])."""
    seen: dict[str, None] = {}
    for word in _TOKEN_RE.findall(text):
        seen.setdefault(word, None)
    return list(seen)


def looks_like_code(text: str) -> bool:
    """Digits and dots only, starting with a digit: a (prefix of a) region code."""
    return bool(text) and text[0] in _DIGITS and all(ch in _DIGITS or ch == "." for ch in text)


def parse_wilayah(text: str | Iterable[str]) -> list[RegionRow]:
    """Rows of a wilayah CSV (columns kode, nama, level, kode_induk).

    The level column of the file (provinsi | kabupaten_kota | kecamatan | desa_kelurahan) is checked
    against the code shape, then replaced by the finer model level derived from the code.
    """
    lines = io.StringIO(text) if isinstance(text, str) else text
    reader = csv.DictReader(lines)
    expected = {"kode", "nama", "level", "kode_induk"}
    if reader.fieldnames is None or not expected <= set(reader.fieldnames):
        raise EditionError(f"Kolom berkas wilayah harus {sorted(expected)}, ditemukan {reader.fieldnames}")
    coarse = {
        PROVINSI: "provinsi",
        KABUPATEN: "kabupaten_kota",
        KOTA: "kabupaten_kota",
        KECAMATAN: "kecamatan",
    }
    rows: list[RegionRow] = []
    seen: set[str] = set()
    for number, record in enumerate(reader, start=2):
        kode = (record["kode"] or "").strip()
        level = level_of(kode)
        if record["level"] != coarse.get(level, "desa_kelurahan"):
            raise EditionError(f"Baris {number}: tingkat {record['level']!r} tidak sesuai dengan kode {kode}")
        if kode in seen:
            raise EditionError(f"Baris {number}: kode {kode} ganda")
        seen.add(kode)
        parent = (record["kode_induk"] or "").strip() or None
        if parent != parent_of(kode):
            raise EditionError(f"Baris {number}: induk {parent!r} tidak sesuai dengan kode {kode}")
        # The published name is kept verbatim (stray spaces too): renames are counted on it.
        rows.append(RegionRow(kode=kode, nama=record["nama"], level=level, parent=parent))
    return rows


def edition_path(edition: str) -> Path:
    if edition not in EDITIONS:
        known = ", ".join(sorted(EDITIONS))
        raise EditionError(f"Edisi wilayah {edition!r} tidak dikenal; pilih salah satu: {known}.")
    return DATA_DIR / EDITIONS[edition][0]


def read_edition(edition: str) -> list[RegionRow]:
    """The shipped rows of `edition` ("2025" or "2022")."""
    with edition_path(edition).open(encoding="utf-8", newline="") as handle:
        return parse_wilayah(handle)


def count_levels(rows: Iterable[RegionRow]) -> dict[str, int]:
    """Rows per model level, every level present (zero when absent), in tree order."""
    counts = dict.fromkeys(LEVELS, 0)
    for row in rows:
        counts[row.level] += 1
    return counts


def diff_editions(
    old_rows: Iterable[RegionRow] | Mapping[str, RegionRow], new_rows: Iterable[RegionRow]
) -> EditionDiff:
    """What changes from `old_rows` to `new_rows`, by code; each list sorted by code."""
    old = dict(old_rows) if isinstance(old_rows, Mapping) else {row.kode: row for row in old_rows}
    new = {row.kode: row for row in new_rows}
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    renamed: list[Rename] = []
    moved: list[str] = []
    for kode in sorted(new.keys() & old.keys()):
        before, after = old[kode], new[kode]
        if before.nama != after.nama:
            renamed.append(Rename(kode=kode, old=before.nama, new=after.nama))
        elif before.level != after.level or before.parent != after.parent:
            moved.append(kode)
    return EditionDiff(added=added, removed=removed, renamed=renamed, moved=moved)
