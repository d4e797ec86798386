"""Indonesian dates: reading what users type, writing what they read.

Rule: day first. In Indonesia "03/04/2026" is 3 April 2026 (PUEBI and every government form),
so numeric dates are read day-month-year and there is no US month-first reading to guess between.

Accepted by `parse_tanggal` (case-insensitive, surrounding spaces ignored):
- "21/11/2026", "21-11-2026", "21.11.2026" (day and month with one or two digits; the same
  separator twice);
- ISO "2026-11-21" (year first is recognised by its four digits);
- "21 November 2026", "21 Nov 2026", "21 Nov. 2026", "21-Nov-2026": Indonesian month names and
  common abbreviations (Jan, Feb, Mar, Apr, Mei, Jun, Jul, Agu/Agt/Ags, Sep/Sept, Okt, Nov, Des),
  and the English names and abbreviations that spreadsheets set to English produce (May, Aug,
  Oct, Dec, ...), which never mean another month.

Refused with `TanggalError`: impossible dates (31/02/2026), two-digit years (21/11/26: the
century would be a guess), years outside `MIN_YEAR`..`MAX_YEAR` (almost always a typing error in
a planning document), and anything else.

Writing: `format_tanggal` gives "21 November 2026" (day without a leading zero).
"""

import re
from datetime import date

from rencana.core.numbers import show_text

MIN_YEAR = 1900
MAX_YEAR = 2100

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_MONTH_NAMES = (
    ("januari", "jan", "january"),
    ("februari", "feb", "pebruari", "peb", "february"),
    ("maret", "mar", "march"),
    ("april", "apr"),
    ("mei", "may"),
    ("juni", "jun", "june"),
    ("juli", "jul", "july"),
    ("agustus", "agu", "agt", "ags", "agus", "aug", "august"),
    ("september", "sep", "sept"),
    ("oktober", "okt", "oct", "october"),
    ("november", "nov", "nop", "nopember"),
    ("desember", "des", "dec", "december"),
)
_ALIASES: dict[str, int] = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}

EXPECTED_FORMS = "21/11/2026, 21-11-2026, 2026-11-21 atau 21 November 2026"

_DAY_FIRST = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d+)", re.ASCII)
_ISO = re.compile(r"(\d{4})([/\-])(\d{1,2})\2(\d{1,2})", re.ASCII)
_WORDS = re.compile(r"(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d+)", re.ASCII)


class TanggalError(ValueError):
    """Text that is not a date Rencana accepts; `message` says why, in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _build(year_text: str, month: int, day: int, original: str) -> date:
    if len(year_text) != 4:
        raise TanggalError(f"{show_text(original)}: tulis tahun dengan empat angka, mis. {EXPECTED_FORMS}.")
    year = int(year_text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise TanggalError(f"{show_text(original)}: tahun harus antara {MIN_YEAR} dan {MAX_YEAR}.")
    if not 1 <= month <= 12:
        raise TanggalError(
            f"{show_text(original)}: bulan {month} tidak ada. Urutan tanggal adalah hari, bulan, tahun "
            f"({EXPECTED_FORMS})."
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise TanggalError(
            f"{show_text(original)}: tanggal {day} {BULAN[month - 1]} {year} tidak ada di kalender."
        ) from None


def parse_tanggal(text: str) -> date:
    """The date `text` denotes, day first (see the module docstring)."""
    if not isinstance(text, str):
        raise TanggalError("Tanggal harus berupa teks.")
    original = " ".join(text.split())
    if not original:
        raise TanggalError(f"Tanggal kosong: isi dengan tanggal, mis. {EXPECTED_FORMS}.")
    if len(original) > 40:
        raise TanggalError("Tanggal terlalu panjang (lebih dari 40 karakter).")
    lowered = original.lower()
    if match := _ISO.fullmatch(lowered):
        return _build(match[1], int(match[3]), int(match[4]), original)
    if match := _DAY_FIRST.fullmatch(lowered):
        return _build(match[4], int(match[3]), int(match[1]), original)
    if match := _WORDS.fullmatch(lowered):
        month = _ALIASES.get(match[2])
        if month is None:
            raise TanggalError(
                f"{show_text(original)}: nama bulan “{match[2]}” tidak dikenal. Tulis nama bulan lengkap "
                "(Januari ... Desember) atau singkatannya (Jan, Feb, Mar, Apr, Mei, Jun, Jul, Agu, Sep, "
                "Okt, Nov, Des)."
            )
        return _build(match[3], month, int(match[1]), original)
    raise TanggalError(
        f"{show_text(original)} bukan tanggal yang dikenali. Bentuk yang diterima: {EXPECTED_FORMS}."
    )


def format_tanggal(value: date) -> str:
    """`value` as Indonesians write it in documents: "21 November 2026"."""
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"
