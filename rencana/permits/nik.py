"""Personal numbers of applicants: the NIK (Nomor Induk Kependudukan) and phone numbers. Pure, no ORM.

NIK (UU 24/2013 on population administration; the number on the KTP and KK): 16 digits,
- digits 1-6: the Kemendagri code of the province, kabupaten/kota and kecamatan where it was issued
  ("320123" = 32.01.23); the province part is 11-99 (`nik_problem` checks only that it is not 00-10),
- digits 7-12: date of birth DDMMYY, with 40 added to the day for women ("410590" = 1 May 1990, female),
- digits 13-16: a serial number, never 0000.
`nik_problem` says in Indonesian why a typed number cannot be a NIK (it does not check that the person
exists: only Dukcapil can). Spaces, dots and dashes people type between digit groups are removed first
(`clean_nik`); letters, a digit too few or too many, an impossible date are refused.

Masking (personal data shown in lists, exports, documents and public pages): `mask_nik` keeps the first
four and the last four digits ("3201********0001"); `mask_telepon` keeps the first four and the last three
digits ("0812*****890"). Only officers with "permit.process" see the full numbers (views decide).
"""

import re

from django.utils.translation import gettext as _

NIK_LENGTH = 16
_SEPARATORS = re.compile(r"[\s.\-]+")
_DIGITS_ONLY = re.compile(r"\d+")
_PHONE = re.compile(r"^\+?\d{8,15}$")


def clean_nik(raw: str) -> str:
    """The NIK as typed, without the spaces, dots and dashes between digit groups."""
    return _SEPARATORS.sub("", str(raw or "")).strip()


def nik_problem(nik: str) -> str | None:
    """Why `nik` (already cleaned) cannot be a NIK, in Indonesian; None when it can."""
    if not nik:
        return _("NIK wajib diisi (16 angka, lihat KTP atau KK).")
    if not _DIGITS_ONLY.fullmatch(nik):
        return _("NIK hanya berisi angka (16 angka, lihat KTP atau KK).")
    if len(nik) != NIK_LENGTH:
        return _("NIK harus 16 angka; yang diisi {n} angka.").format(n=len(nik))
    if int(nik[0:2]) < 11:
        return _("Dua angka pertama NIK adalah kode provinsi (11 sampai 99); periksa lagi.")
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        return _("Angka ke-7 sampai ke-12 NIK adalah tanggal lahir (hari, bulan, tahun); periksa lagi.")
    if nik[12:] == "0000":
        return _("Empat angka terakhir NIK tidak mungkin 0000; periksa lagi.")
    return None


def nik_is_female(nik: str) -> bool | None:
    """True when the NIK's birth day carries the +40 of a woman; None when `nik` is not a valid NIK."""
    if nik_problem(nik) is not None:
        return None
    return int(nik[6:8]) > 40


def mask_nik(nik: str) -> str:
    """'3201234567890001' -> '3201********0001'; anything shorter than 9 characters becomes stars."""
    nik = str(nik or "")
    if not nik:
        return ""
    if len(nik) < 9:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


def clean_telepon(raw: str) -> str:
    """A phone number as typed, without spaces, dots, dashes and brackets ('+62 812-3456-7890')."""
    return re.sub(r"[\s.\-()]+", "", str(raw or "")).strip()


def telepon_problem(phone: str) -> str | None:
    """Why `phone` (already cleaned, may be empty) is not a phone number; None when it is or is empty."""
    if not phone:
        return None
    if not _PHONE.fullmatch(phone):
        return _("Nomor telepon berisi 8 sampai 15 angka, boleh diawali +, mis. 081234567890.")
    return None


def mask_telepon(phone: str) -> str:
    """'081234567890' -> '0812*****890'; short numbers become stars."""
    phone = str(phone or "")
    if not phone:
        return ""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:4] + "*" * (len(phone) - 7) + phone[-3:]
