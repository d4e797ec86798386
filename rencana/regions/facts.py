"""Area (BIG 2024) and population by sex (Dukcapil, semester II 2024) per provinsi and kabupaten/kota.

Source file: `data/wilayah_luas_penduduk_2025.csv` (see data/PROVENANCE.md). The published file carries
spreadsheet damage that we repair instead of trusting: codes whose trailing zero was lost ("11.1" for 11.10,
"31.0" for 31) and, for those regions, area and population split over two rows. `normalise_code` restores
the code and `merge_rows` joins the halves. Pure module: no ORM.
"""

import csv
import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "wilayah_luas_penduduk_2025.csv"


@dataclass(frozen=True)
class RegionFacts:
    kode: str
    nama: str
    luas_km2: Decimal | None
    penduduk_laki_laki: int | None
    penduduk_perempuan: int | None
    penduduk_total: int | None

    @property
    def kepadatan(self) -> Decimal | None:
        """People per km², rounded to whole persons."""
        if not self.luas_km2 or not self.penduduk_total:
            return None
        return (Decimal(self.penduduk_total) / self.luas_km2).quantize(Decimal(1))

    @property
    def rasio_jenis_kelamin(self) -> Decimal | None:
        """Men per 100 women (BPS sex ratio), one decimal."""
        if not self.penduduk_laki_laki or not self.penduduk_perempuan:
            return None
        return (Decimal(100 * self.penduduk_laki_laki) / Decimal(self.penduduk_perempuan)).quantize(
            Decimal("0.1")
        )


def normalise_code(kode: str) -> str:
    """Restore a Kemendagri code mangled by a spreadsheet: "11.1" -> "11.10", "31.0" -> "31"."""
    kode = kode.strip()
    if "." not in kode:
        return kode
    head, tail = kode.split(".", 1)
    if tail == "0":
        return head
    if len(tail) == 1:
        return f"{head}.{tail}0"
    return kode


def _int(text: str) -> int | None:
    return int(text) if text.strip() else None


def _dec(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def merge_rows(rows: list[dict[str, str]]) -> dict[str, RegionFacts]:
    """Facts per normalised code; a field empty in one row is taken from the other row of the same region."""
    merged: dict[str, RegionFacts] = {}
    for row in rows:
        kode = normalise_code(row["kode"])
        new = RegionFacts(
            kode=kode,
            nama=row["nama"].strip(),
            luas_km2=_dec(row["luas_km2"]),
            penduduk_laki_laki=_int(row["penduduk_pria"]),
            penduduk_perempuan=_int(row["penduduk_wanita"]),
            penduduk_total=_int(row["penduduk_total"]),
        )
        old = merged.get(kode)
        if old is not None:
            new = RegionFacts(
                kode=kode,
                nama=old.nama or new.nama,
                luas_km2=old.luas_km2 if old.luas_km2 is not None else new.luas_km2,
                penduduk_laki_laki=old.penduduk_laki_laki
                if old.penduduk_laki_laki is not None
                else new.penduduk_laki_laki,
                penduduk_perempuan=old.penduduk_perempuan
                if old.penduduk_perempuan is not None
                else new.penduduk_perempuan,
                penduduk_total=old.penduduk_total if old.penduduk_total is not None else new.penduduk_total,
            )
        merged[kode] = new
    return merged


@functools.cache
def all_facts() -> dict[str, RegionFacts]:
    """Read once per process: immutable reference data shipped with the package."""
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        return merge_rows(list(csv.DictReader(fh)))


def region_facts(kode: str) -> RegionFacts | None:
    return all_facts().get(kode)
