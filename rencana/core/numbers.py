"""Indonesian number notation: reading what users type, writing what they read.

Terms
- *Notasi Indonesia*: a dot groups thousands and a comma marks decimals ("5.319,05").
- *Notasi polos* (plain): no thousands separator, a dot or a comma marks decimals ("5319.05",
  "5319,05").
- *Ambigu*: text that both notations read differently. "5.319" is 5319 in Indonesian notation and
  5.319 in plain notation; the parser refuses it and asks for "5319" or "5,319" (DESIGN.md: never
  guess).

Accepted by `parse_angka`:
- "5.319,05", "1.234.567", "5319,05", "5319.05", "0.551", "1234.567" (a dot is a thousands
  separator only if every group after the first has exactly three digits and the first group has
  1-3 digits without a leading zero; otherwise a single dot is a decimal point);
- a sign "+" or "-" (also the Unicode minus sign U+2212), leading and trailing spaces;
- a "Rp" / "Rp." prefix. With it the text is money in Indonesian notation, so every dot is a
  thousands separator ("Rp 5.319" is 5319, "Rp 12.50" is refused) and a trailing ",-" is allowed
  ("Rp 1.500.000,-");
- a trailing "%" only when the caller asks (`persen=True`); the value is the number as written
  ("12,5%" -> 12.5, not 0.125).

Refused with `AngkaError`: empty text, letters, spaces inside the number ("1 234,5": a space is not
an Indonesian thousands separator and may join two numbers), more than one comma, a dot after the
comma ("1,234.56", English notation), wrongly grouped dots ("5.319.05"), the ambiguous "5.319",
a missing digit before or after a separator (",5", "5,"), "NaN"/"inf", and text longer than
`MAX_LENGTH` characters.

Writing: `format_angka` rounds ROUND_HALF_UP to a fixed number of decimals ("5.319,05");
`format_rupiah` prefixes "Rp". A whole number from 1.000 to 999.999 written with zero decimals
("5.319") is exactly the ambiguous form above: show it to people, but ask them to type "5319".
"""

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

MAX_LENGTH = 100

EXPECTED_FORMS = "5.319,05 (titik pemisah ribuan, koma desimal), 5319,05 atau 5319.05"

_DIGITS = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_RP_PREFIX = re.compile(r"rp\.?\s*", re.IGNORECASE)


class AngkaError(ValueError):
    """Text that is not a number in a notation Rencana accepts; `message` says why, in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def show_text(text: str) -> str:
    """The user's text quoted for a message, shortened to 40 characters."""
    shown = text if len(text) <= 40 else text[:37] + "..."
    return f"“{shown}”"


def _integer_part(part: str, original: str, *, money: bool) -> str:
    """Digits of the part before the decimal mark; dots must group thousands correctly."""
    if "." not in part:
        if not _DIGITS.fullmatch(part):
            raise AngkaError(f"{show_text(original)} bukan angka: harus ada angka sebelum koma (mis. 0,5).")
        return part
    if _GROUPED.fullmatch(part):
        return part.replace(".", "")
    if money:
        hint = " Untuk rupiah titik adalah pemisah ribuan dan koma desimal, mis. Rp 1.500.000,50."
    else:
        hint = f" Bentuk yang diterima: {EXPECTED_FORMS}."
    raise AngkaError(
        f"{show_text(original)} bukan angka yang sah: pengelompokan ribuan dengan titik salah atau ambigu "
        f"(setiap kelompok setelah titik harus tiga angka).{hint}"
    )


def _parse_body(body: str, original: str, *, money: bool) -> Decimal:
    if body.count(",") > 1:
        raise AngkaError(
            f"{show_text(original)} bukan angka: ada lebih dari satu koma. Koma hanya untuk desimal, "
            f"mis. {EXPECTED_FORMS}."
        )
    if "," in body:
        whole, fraction = body.split(",")
        if "." in fraction:
            raise AngkaError(
                f"{show_text(original)} tampaknya notasi Inggris (koma ribuan, titik desimal) dan ambigu. "
                f"Tulis dengan notasi Indonesia: {EXPECTED_FORMS}."
            )
        if not _DIGITS.fullmatch(fraction):
            raise AngkaError(f"{show_text(original)} bukan angka: harus ada angka setelah koma desimal.")
        return Decimal(f"{_integer_part(whole, original, money=money)}.{fraction}")
    if body.count(".") == 1 and not money:
        whole, fraction = body.split(".")
        if not _DIGITS.fullmatch(whole) or not _DIGITS.fullmatch(fraction):
            raise AngkaError(f"{show_text(original)} bukan angka: harus ada angka sebelum dan sesudah titik.")
        if len(fraction) == 3 and _GROUPED.fullmatch(body):
            plain = body.replace(".", "")
            raise AngkaError(
                f"{show_text(original)} ambigu: bisa berarti {plain} (titik pemisah ribuan) atau "
                f"{whole},{fraction} (titik desimal). Tulis “{plain}” atau “{whole},{fraction}”."
            )
        return Decimal(body)
    return Decimal(_integer_part(body, original, money=money))


def parse_angka(text: str, *, persen: bool = False) -> Decimal:
    """The number `text` denotes, in Indonesian or plain notation (see the module docstring)."""
    if not isinstance(text, str):
        raise AngkaError("Angka harus berupa teks.")
    original = text.strip()
    if not original:
        raise AngkaError("Angka kosong: isi dengan angka, mis. 5.319,05.")
    if len(original) > MAX_LENGTH:
        raise AngkaError(f"Angka terlalu panjang (lebih dari {MAX_LENGTH} karakter).")
    body = original.replace("\u2212", "-")
    if persen and body.endswith("%"):
        body = body[:-1].rstrip()
    elif body.endswith("%"):
        raise AngkaError(f"{show_text(original)}: tulis angkanya saja tanpa tanda %, mis. 12,5.")
    sign = ""
    if body.startswith(("+", "-")):
        sign, body = body[0], body[1:].lstrip()
    money = False
    prefix = _RP_PREFIX.match(body)
    if prefix:
        money, body = True, body[prefix.end() :]
        if not sign and body.startswith(("+", "-")):
            sign, body = body[0], body[1:].lstrip()
        if body.endswith(",-"):
            body = body[:-2]
    if not body:
        raise AngkaError(f"{show_text(original)} bukan angka: tidak ada angkanya.")
    if any(ch.isspace() for ch in body):
        raise AngkaError(
            f"{show_text(original)} bukan angka: ada spasi di dalam angka. Hapus spasinya; pemisah ribuan "
            "adalah titik (1.234,5)."
        )
    if not re.fullmatch(r"[0-9.,]+", body):
        raise AngkaError(
            f"{show_text(original)} bukan angka: hanya boleh berisi angka, titik, koma, tanda +/- "
            f"dan awalan Rp. Contoh: {EXPECTED_FORMS}."
        )
    if body[0] in ".," or body[-1] in ".,":
        raise AngkaError(f"{show_text(original)} bukan angka: titik atau koma harus diapit angka (mis. 0,5).")
    value = _parse_body(body, original, money=money)
    return -value if sign == "-" else value


def _as_decimal(value: Decimal | int | float) -> Decimal:
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    else:
        # repr gives the shortest text that reads back as the same float (0.1 -> "0.1").
        result = Decimal(repr(value))
    if not result.is_finite():
        raise ValueError("Nilai bukan angka terhingga (NaN atau tak hingga) tidak bisa ditampilkan.")
    return result


def format_angka(value: Decimal | int | float, decimals: int = 2) -> str:
    """`value` in Indonesian notation, rounded ROUND_HALF_UP to `decimals` places: "5.319,05"."""
    if decimals < 0:
        raise ValueError("decimals tidak boleh negatif")
    exact = _as_decimal(value)
    with localcontext() as ctx:
        # quantize fails when the result needs more digits than the context holds (28 by default).
        ctx.prec = max(28, exact.adjusted() + decimals + 2)
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    negative = rounded < 0  # -0.001 rounds to zero: no minus sign on "0,00"
    digits = f"{abs(rounded):f}"
    whole, _, fraction = digits.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups) + (f",{fraction}" if fraction else "")
    return f"-{text}" if negative else text


def format_rupiah(value: Decimal | int | float, decimals: int = 0) -> str:
    """Money: "Rp 1.500.000" (ROUND_HALF_UP to `decimals` places); negative as "-Rp 1.500.000"."""
    text = format_angka(value, decimals)
    if text.startswith("-"):
        return f"-Rp {text[1:]}"
    return f"Rp {text}"
