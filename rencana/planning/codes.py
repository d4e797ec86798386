"""Permendagri 90/2019 codes: normalising, shape, parent, validity for a pemda, edition mapping.

Pure module: no ORM. The loader (`rencana.planning.nomenclature`), the plan services and the
plan import use it.

Code shapes (a dot between segments):

- ``U`` urusan (``1`` ... ``9``, ``X`` for the supporting programs every OPD has);
- ``U.BB`` bidang urusan (two digits, ``XX`` under ``X``);
- ``U.BB.PP`` program;
- ``U.BB.PP.J.KK`` kegiatan; ``J`` is the kind of pemda: 1 provinsi, 2 kabupaten/kota, 3-8
  special autonomy (3 Papua, 4 Papua Barat, 5 DIY, 6 DKI Jakarta, 7 Aceh, 8 Bali);
- ``U.BB.PP.J.KK.SSSS`` sub-kegiatan.

A kegiatan's parent is its program (``1.02.02.2.01`` -> ``1.02.02``): ``J`` is not a level.

Edition mapping (`map_codes`) takes the program / kegiatan / sub-kegiatan entries valid for one
kind of pemda in an old and a new edition and says, for each old code, where it went:

1. ``kode_sama``: the same code and level exists in the new edition with the same name
   (case and spaces ignored);
2. ``nama_sama``: an entry of the same level and the same name exists in the same program of the
   new edition (for a program: in the same bidang) under another code;
3. ``kode_sebelumnya``: a new entry names the old code as its previous code (2027 metadata);
4. ``kode_sama`` with ``nama_berubah``: the same code exists but was renamed, and its new name is
   not the name of another old entry of that program (otherwise the code was reused for a moved
   item and the old entry is left unmapped, with the reused code as an alternative);
5. ``tidak_terpetakan``: none of the above; a planner must decide.

Step 4 comes after the name match on purpose: later editions renumbered many sub-kegiatan, so a
code that now carries another name is often a different sub-kegiatan.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext as _

URUSAN = "urusan"
BIDANG = "bidang"
PROGRAM = "program"
KEGIATAN = "kegiatan"
SUB_KEGIATAN = "sub_kegiatan"
LEVELS: tuple[str, ...] = (URUSAN, BIDANG, PROGRAM, KEGIATAN, SUB_KEGIATAN)
BUDGET_LEVELS: tuple[str, ...] = (PROGRAM, KEGIATAN, SUB_KEGIATAN)

PROVINSI = "provinsi"
KABKOTA = "kabkota"
SEMUA = "semua"
PEMDA_KINDS: tuple[str, ...] = (PROVINSI, KABKOTA)

# Number of segments of each level's code.
SEGMENTS: dict[str, int] = {URUSAN: 1, BIDANG: 2, PROGRAM: 3, KEGIATAN: 5, SUB_KEGIATAN: 6}
_LEVEL_BY_SEGMENTS: dict[int, str] = {n: level for level, n in SEGMENTS.items()}
# Width of each segment: U, BB, PP, J, KK, SSSS.
_WIDTHS: tuple[int, ...] = (1, 2, 2, 1, 2, 4)

_SHAPES: dict[str, re.Pattern[str]] = {
    URUSAN: re.compile(r"^[0-9X]$"),
    BIDANG: re.compile(r"^[0-9X]\.(\d{2}|XX)$"),
    PROGRAM: re.compile(r"^[0-9X]\.(\d{2}|XX)\.\d{2}$"),
    KEGIATAN: re.compile(r"^[0-9X]\.(\d{2}|XX)\.\d{2}\.\d\.\d{2}$"),
    SUB_KEGIATAN: re.compile(r"^[0-9X]\.(\d{2}|XX)\.\d{2}\.\d\.\d{2}\.\d{4}$"),
}
# Whitespace of any kind (NBSP, zero-width space, tabs) never belongs in a code.
_SPACES = re.compile(r"[\s\u00a0\u200b\u2007\u202f\ufeff]+")
_SEGMENT = re.compile(r"^(\d+|X+)$")

# Urusan names are fixed by Permendagri 90/2019; an import that has only the lower levels gets them.
URUSAN_NAMES: dict[str, str] = {
    "1": "URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR",
    "2": "URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR",
    "3": "URUSAN PEMERINTAHAN PILIHAN",
    "4": "UNSUR PENDUKUNG URUSAN PEMERINTAHAN",
    "5": "UNSUR PENUNJANG URUSAN PEMERINTAHAN",
    "6": "UNSUR PENGAWASAN URUSAN PEMERINTAHAN",
    "7": "UNSUR KEWILAYAHAN",
    "8": "UNSUR PEMERINTAHAN UMUM",
    "9": "UNSUR KEKHUSUSAN",
    "X": "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH",
}


def level_label(level: str) -> str:
    """The level's Indonesian name for messages ("sub-kegiatan")."""
    labels = {
        URUSAN: _("urusan"),
        BIDANG: _("bidang urusan"),
        PROGRAM: _("program"),
        KEGIATAN: _("kegiatan"),
        SUB_KEGIATAN: _("sub-kegiatan"),
    }
    return labels.get(level, level)


def kind_label(kind: str) -> str:
    labels = {PROVINSI: _("provinsi"), KABKOTA: _("kabupaten/kota"), SEMUA: _("semua pemda")}
    return labels.get(kind, kind)


# --- normalising -------------------------------------------------------------------------------


def _not_a_code(raw: object) -> ValueError:
    shown = str(raw).strip()
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return ValueError(
        _("“%(nilai)s” bukan kode nomenklatur; contoh kode yang benar: 1.02, 1.02.02, 1.02.02.2.01.0001.")
        % {"nilai": shown}
    )


def _from_number(raw: int | float | Decimal) -> str:
    """A code Excel stored as a number: only urusan (2) and bidang (1.02, 1.1 for 1.10) fit."""
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise _not_a_code(raw)
        text = repr(raw)
        if "e" in text or "E" in text:
            raise _not_a_code(raw)
    elif isinstance(raw, Decimal):
        if not raw.is_finite():
            raise _not_a_code(raw)
        text = format(raw, "f")
    else:
        text = str(raw)
    if text.startswith("-"):
        raise _not_a_code(raw)
    whole, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0") if len(fraction) > 2 else fraction
    if not fraction.strip("0"):
        # 2.0 or 2.00: a whole number is an urusan code.
        return whole
    # Excel drops trailing zeros: 1.1 was typed as 1.10.
    return f"{whole}.{fraction.ljust(2, '0')}"


def normalize_kode(raw: object) -> str:
    """The canonical code string of a spreadsheet cell; raises `ValueError` (Indonesian) if it is none.

    - spaces (also NBSP and other invisible spaces) anywhere and trailing dots are removed, "x" is
      upper-cased;
    - numbers (Excel turned "1.02" into 1.02 and "1.10" into 1.1): 1.02 -> "1.02", 1.1 -> "1.10",
      2 -> "2"; the same for text holding only an urusan and a one-digit bidang ("1.1" -> "1.10");
    - in longer codes, numeric segments shorter than their width get leading zeros
      ("1.2.2" -> "1.02.02"; a 2-digit sub-kegiatan number as in Kepmendagri 050-3708/2020,
      "1.02.02.2.01.01" -> "1.02.02.2.01.0001").
    """
    if raw is None or isinstance(raw, bool):
        raise ValueError(_("Kode kosong.")) if raw is None else _not_a_code(raw)
    if isinstance(raw, int | float | Decimal):
        text = _from_number(raw)
    elif isinstance(raw, str):
        text = _SPACES.sub("", raw).upper().rstrip(".")
        if not text:
            raise ValueError(_("Kode kosong."))
        if re.fullmatch(r"\d+\.\d", text):
            # "1.1": a number cell exported as text; the bidang lost its trailing zero.
            text += "0"
    else:
        raise _not_a_code(raw)
    segments = text.split(".")
    if len(segments) not in _LEVEL_BY_SEGMENTS or not all(_SEGMENT.match(s) for s in segments):
        raise _not_a_code(raw)
    fixed: list[str] = []
    for index, segment in enumerate(segments):
        width = _WIDTHS[index]
        if segment.isdigit() and len(segment) < width:
            segment = segment.zfill(width)
        elif width == 1 and segment.isdigit() and len(segment) > 1 and segment[:-1].strip("0") == "":
            # "01" for a one-digit urusan or J: leading zeros only.
            segment = segment[-1]
        fixed.append(segment)
    kode = ".".join(fixed)
    if level_of(kode) is None:
        raise _not_a_code(raw)
    return kode


def try_normalize_kode(raw: object) -> str | None:
    try:
        return normalize_kode(raw)
    except ValueError:
        return None


# --- shape ---------------------------------------------------------------------------------------


def level_of(kode: str) -> str | None:
    """The level a code's shape says (`U.BB.PP` -> "program"); None if no shape matches."""
    level = _LEVEL_BY_SEGMENTS.get(kode.count(".") + 1)
    if level is None or not _SHAPES[level].match(kode):
        return None
    return level


def parent_kode(kode: str) -> str:
    """The code of the parent: "" for an urusan, the program for a kegiatan (J is not a level)."""
    segments = kode.split(".")
    if len(segments) <= 1:
        return ""
    if len(segments) == 5:
        return ".".join(segments[:3])
    return ".".join(segments[:-1])


_parent_of = parent_kode


def program_of(kode: str) -> str:
    """The program prefix `U.BB.PP` of a program, kegiatan or sub-kegiatan code ("" above)."""
    segments = kode.split(".")
    return ".".join(segments[:3]) if len(segments) >= 3 else ""


def pemda_digit_kind(kode: str) -> str | None:
    """The kind of pemda a kegiatan / sub-kegiatan's J digit states: 1 provinsi, 2 kab/kota, else None."""
    segments = kode.split(".")
    if len(segments) < 5:
        return None
    return {"1": PROVINSI, "2": KABKOTA}.get(segments[3])


def pemda_kind_of(jenis_pemda: str) -> str:
    """Pemda.jenis -> the nomenclature's kind: "provinsi" or "kabkota" (kabupaten and kota)."""
    value = jenis_pemda.strip().lower()
    if value == PROVINSI:
        return PROVINSI
    if value in ("kabupaten", "kota", KABKOTA):
        return KABKOTA
    raise ValueError(_("Jenis pemda tidak dikenal: %(jenis)s.") % {"jenis": jenis_pemda})


def applies_to(berlaku_untuk: str, pemda_kind: str) -> bool:
    """Whether an entry valid for `berlaku_untuk` may be used by a pemda of `pemda_kind`."""
    return berlaku_untuk in (SEMUA, pemda_kind)


def nama_cari(nama: str) -> str:
    """The search and comparison key of a name: lower case, single spaces."""
    return " ".join(nama.split()).lower()


# --- entries and checking ------------------------------------------------------------------------


class Entry(Protocol):
    """One nomenclature code (a `NomenclatureItem`, or a `CodeEntry` in pure code)."""

    @property
    def kode(self) -> str: ...

    @property
    def level(self) -> str: ...

    @property
    def kode_induk(self) -> str: ...

    @property
    def nama(self) -> str: ...

    @property
    def berlaku_untuk(self) -> str: ...


@dataclass(frozen=True, slots=True)
class CodeEntry:
    kode: str
    level: str
    nama: str
    kode_induk: str = ""
    berlaku_untuk: str = SEMUA
    kode_sebelumnya: str = ""


def make_entry(kode: str, nama: str, berlaku_untuk: str = SEMUA, kode_sebelumnya: str = "") -> CodeEntry:
    """A `CodeEntry` whose level and parent come from the code's shape."""
    level = level_of(kode)
    if level is None:
        raise _not_a_code(kode)
    return CodeEntry(
        kode=kode,
        level=level,
        nama=nama,
        kode_induk=parent_kode(kode),
        berlaku_untuk=berlaku_untuk,
        kode_sebelumnya=kode_sebelumnya,
    )


Lookup = Callable[[str, str], Entry | None]


def check_code(
    kode: str,
    *,
    level: str,
    parent_kode: str | None,
    pemda_kind: str,
    lookup: Callable[[str, str], Entry | None],
) -> list[str]:
    """Problems (Indonesian) of a budget node's code; empty when the code fits.

    `parent_kode` is the code of the node's budget parent: None skips the parent check, "" means
    the node has no budget parent (right for a program, wrong for a kegiatan or sub-kegiatan).
    `lookup(kode, pemda_kind)` returns the entry valid for that kind of pemda, or None.
    """
    shape = level_of(kode)
    if shape is None:
        return [_("Kode %(kode)s tidak berbentuk kode nomenklatur.") % {"kode": kode}]
    entry = lookup(kode, pemda_kind)
    actual = entry.level if entry is not None else shape
    if actual != level:
        # The level is the first thing to fix; the parent check would only repeat it.
        return [
            _("Kode %(kode)s adalah kode %(tingkat_kode)s, bukan %(tingkat)s.")
            % {"kode": kode, "tingkat_kode": level_label(actual), "tingkat": level_label(level)}
        ]
    if entry is None:
        other = next((k for k in PEMDA_KINDS if k != pemda_kind and lookup(kode, k) is not None), None)
        if other is not None:
            return [
                _("Kode %(kode)s hanya berlaku untuk pemda %(jenis_lain)s, tidak untuk pemda %(jenis)s.")
                % {"kode": kode, "jenis_lain": kind_label(other), "jenis": kind_label(pemda_kind)}
            ]
        return [_("Kode %(kode)s tidak ada di nomenklatur.") % {"kode": kode}]
    problems: list[str] = []
    expected = entry.kode_induk or _parent_of(kode)
    if parent_kode is not None and level != PROGRAM and parent_kode != expected:
        if parent_kode:
            problems.append(
                _("Kode %(kode)s seharusnya berada di bawah %(induk)s, bukan di bawah %(induk_salah)s.")
                % {"kode": kode, "induk": expected, "induk_salah": parent_kode}
            )
        else:
            problems.append(
                _("Kode %(kode)s (%(tingkat)s) harus berada di bawah %(induk)s.")
                % {"kode": kode, "tingkat": level_label(level), "induk": expected}
            )
    return problems


# --- mapping between editions --------------------------------------------------------------------

KODE_SAMA = "kode_sama"
NAMA_SAMA = "nama_sama"
KODE_SEBELUMNYA = "kode_sebelumnya"
TIDAK_TERPETAKAN = "tidak_terpetakan"
MAPPING_METHODS: tuple[str, ...] = (KODE_SAMA, NAMA_SAMA, KODE_SEBELUMNYA, TIDAK_TERPETAKAN)


@dataclass(frozen=True)
class CodeMapping:
    """Where one old code went in the new edition."""

    lama: Entry
    baru: Entry | None
    cara: str
    # kode_sama only: the new edition renamed the code.
    nama_berubah: bool = False
    # Other new entries that could be meant (same name elsewhere in the program, a reused code).
    alternatif: tuple[Entry, ...] = ()

    @property
    def kode_lama(self) -> str:
        return self.lama.kode

    @property
    def kode_baru(self) -> str | None:
        return self.baru.kode if self.baru is not None else None

    @property
    def level(self) -> str:
        return self.lama.level

    @property
    def kode_berubah(self) -> bool:
        return self.baru is not None and self.baru.kode != self.lama.kode

    @property
    def perlu_keputusan(self) -> bool:
        """A planner must confirm or choose: unmapped, renamed, or more than one candidate."""
        return self.baru is None or self.nama_berubah or bool(self.alternatif)


@dataclass
class MappingResult:
    """Every old code's mapping, in old-code order, and the new codes nothing maps to."""

    items: list[CodeMapping] = field(default_factory=list)
    tanpa_asal: list[Entry] = field(default_factory=list)

    def get(self, kode: str) -> CodeMapping | None:
        """The mapping of an old code (codes determine the level)."""
        return self._by_code().get(kode)

    def _by_code(self) -> dict[str, CodeMapping]:
        return {m.kode_lama: m for m in self.items}

    def by_method(self, cara: str, level: str | None = None) -> list[CodeMapping]:
        return [m for m in self.items if m.cara == cara and (level is None or m.level == level)]

    @property
    def perlu_keputusan(self) -> list[CodeMapping]:
        return [m for m in self.items if m.perlu_keputusan]

    @property
    def target_ganda(self) -> dict[str, list[CodeMapping]]:
        """New codes that more than one old code maps to (merged in the new edition)."""
        groups: dict[str, list[CodeMapping]] = defaultdict(list)
        for mapping in self.items:
            if mapping.baru is not None:
                groups[mapping.baru.kode].append(mapping)
        return {kode: group for kode, group in groups.items() if len(group) > 1}

    def counts(self) -> dict[str, dict[str, int]]:
        """Per level: how many old codes each method mapped, renamed ones, and new codes without origin."""
        result: dict[str, dict[str, int]] = {}
        for level in BUDGET_LEVELS:
            row = dict.fromkeys(MAPPING_METHODS, 0)
            row["nama_berubah"] = 0
            row["tanpa_asal"] = sum(1 for e in self.tanpa_asal if e.level == level)
            result[level] = row
        for mapping in self.items:
            row = result[mapping.level]
            row[mapping.cara] += 1
            if mapping.nama_berubah:
                row["nama_berubah"] += 1
        return result


def _scope(entry: Entry) -> str:
    # Name matches stay within the program (for a program: within its bidang).
    if entry.level == PROGRAM:
        return parent_kode(entry.kode)
    return program_of(entry.kode)


def _one_per_code(entries: Iterable[Entry]) -> list[Entry]:
    """Budget-level entries, one per code: the kind-specific entry wins over a "semua" one."""
    chosen: dict[str, Entry] = {}
    for entry in entries:
        if entry.level not in BUDGET_LEVELS:
            continue
        held = chosen.get(entry.kode)
        if held is None or (held.berlaku_untuk == SEMUA and entry.berlaku_untuk != SEMUA):
            chosen[entry.kode] = entry
    return sorted(chosen.values(), key=lambda e: e.kode)


def _prefer(candidates: Sequence[Entry], old: Entry) -> tuple[Entry, tuple[Entry, ...]]:
    """The best of several new entries for `old`: the same parent first, then the lowest code."""
    ordered = sorted(candidates, key=lambda e: (e.kode_induk != old.kode_induk, e.kode))
    return ordered[0], tuple(ordered[1:])


def map_codes(old: Sequence[Entry], new: Sequence[Entry]) -> MappingResult:
    """Map the budget-level codes of `old` to `new`, for one kind of pemda (see the module docstring)."""
    old_entries = _one_per_code(old)
    new_entries = _one_per_code(new)
    new_by_code = {e.kode: e for e in new_entries}
    new_by_name: dict[tuple[str, str, str], list[Entry]] = defaultdict(list)
    new_by_previous: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in new_entries:
        new_by_name[(entry.level, _scope(entry), nama_cari(entry.nama))].append(entry)
        previous = getattr(entry, "kode_sebelumnya", "") or ""
        if previous:
            new_by_previous[(entry.level, previous)].append(entry)
    old_names = {(e.level, _scope(e), nama_cari(e.nama)) for e in old_entries}

    result = MappingResult()
    for entry in old_entries:
        key = nama_cari(entry.nama)
        same_code = new_by_code.get(entry.kode)
        if same_code is not None and same_code.level != entry.level:
            same_code = None
        if same_code is not None and nama_cari(same_code.nama) == key:
            result.items.append(CodeMapping(entry, same_code, KODE_SAMA))
            continue
        by_name = [e for e in new_by_name.get((entry.level, _scope(entry), key), []) if e is not same_code]
        if by_name:
            best, others = _prefer(by_name, entry)
            extra = (same_code,) if same_code is not None else ()
            result.items.append(CodeMapping(entry, best, NAMA_SAMA, alternatif=others + extra))
            continue
        by_previous = new_by_previous.get((entry.level, entry.kode), [])
        if by_previous:
            best, others = _prefer(by_previous, entry)
            renamed = best.kode == entry.kode and nama_cari(best.nama) != key
            result.items.append(
                CodeMapping(entry, best, KODE_SEBELUMNYA, nama_berubah=renamed, alternatif=others)
            )
            continue
        if same_code is not None:
            reused = (same_code.level, _scope(same_code), nama_cari(same_code.nama)) in old_names
            if not reused:
                result.items.append(CodeMapping(entry, same_code, KODE_SAMA, nama_berubah=True))
            else:
                result.items.append(CodeMapping(entry, None, TIDAK_TERPETAKAN, alternatif=(same_code,)))
            continue
        result.items.append(CodeMapping(entry, None, TIDAK_TERPETAKAN))

    targets = {m.baru.kode for m in result.items if m.baru is not None}
    result.tanpa_asal = [e for e in new_entries if e.kode not in targets]
    return result
