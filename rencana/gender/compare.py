"""Ranking of the kabupaten/kota of a province by a published index (IPM, IPG, IDG, IKG), pure.

Plain values in, frozen dataclasses out; no database, no Django. `gender.bps` fetches the values,
`gender.views_compare` shows them, `gender.charts` draws them.

Terms
- *Arah* (polarity): IPM, IPG and IDG are better when higher, so the ranking is descending; IKG (Indeks
  Ketimpangan Gender, 0-1) is better when lower, so the ranking is ascending (`LOWER_IS_BETTER`).
- *Peringkat* (rank): standard competition ranking ("1, 2, 2, 4"): regions with the same value share
  the rank of the first of them and the next rank skips; among equals the order is by region code.
  Values are compared exactly as published (Decimal), never after a further rounding.
- *Tidak ada data*: a region of the province without a value for that index and year is listed after
  every ranked region (by code), with no rank, no class and no difference.
- *Acuan provinsi* (reference): the province's own published value for the same index and year; each
  region's difference is `nilai - acuan` (positive = above the province), and `posisi` says whether that is
  better, worse or the same given the index's polarity. Without a province value both stay None.
- *Ringkasan*: count, minimum, maximum and median of the ranked values (the median of an even count
  is the mean of the two middle values, exact in Decimal).
- *Kelas* (class for the choropleth map): five classes by quantile of the rank order, class 1 = the best
  fifth. A region at 0-based position p (the position of the first of its ties, i.e. rank - 1) among n
  ranked regions is in class floor(5p / n) + 1, so ties always share a class and with fewer than five
  regions some classes stay empty. Each class keeps the range of its values for the legend.
- *Angka desimal*: BPS publishes IPM, IPG and IDG to 2 decimals and IKG to 3 (`DECIMALS`); pages show
  those places, ROUND_HALF_UP (`rencana.core.numbers.format_angka`).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

INDICES: tuple[str, ...] = ("IPM", "IPG", "IDG", "IKG")
DEFAULT_INDEX = "IPM"
LOWER_IS_BETTER: frozenset[str] = frozenset({"IKG"})
DECIMALS: Mapping[str, int] = {"IPM": 2, "IPG": 2, "IDG": 2, "IKG": 3}
CLASSES = 5

# Position of a region against the province's value, taking the polarity into account.
LEBIH_BAIK = "lebih_baik"
LEBIH_BURUK = "lebih_buruk"
SAMA = "sama"

YEAR_MIN, YEAR_MAX = 1990, 2100


@dataclass(frozen=True)
class RegionValue:
    kode: str
    nama: str
    nilai: Decimal | None


@dataclass(frozen=True)
class RankedRow:
    kode: str
    nama: str
    nilai: Decimal | None
    peringkat: int | None  # None = tidak ada data
    kelas: int | None
    selisih: Decimal | None  # nilai - acuan provinsi
    posisi: str | None  # LEBIH_BAIK | LEBIH_BURUK | SAMA against the province

    @property
    def ada_data(self) -> bool:
        return self.nilai is not None


@dataclass(frozen=True)
class Summary:
    jumlah: int
    minimum: Decimal
    maksimum: Decimal
    median: Decimal


@dataclass(frozen=True)
class ClassBand:
    kelas: int  # 1 = best fifth
    batas_bawah: Decimal  # smallest value in the class
    batas_atas: Decimal  # largest value in the class
    jumlah: int


@dataclass(frozen=True)
class Ranking:
    indeks: str
    rows: tuple[RankedRow, ...]
    acuan: Decimal | None
    ringkasan: Summary | None  # None when no region has a value
    kelas: tuple[ClassBand, ...]  # non-empty classes, best first

    @property
    def ranked(self) -> tuple[RankedRow, ...]:
        return tuple(r for r in self.rows if r.peringkat is not None)

    @property
    def tanpa_data(self) -> tuple[RankedRow, ...]:
        return tuple(r for r in self.rows if r.peringkat is None)

    def row(self, kode: str) -> RankedRow | None:
        return next((r for r in self.rows if r.kode == kode), None)


def lower_is_better(indeks: str) -> bool:
    return indeks in LOWER_IS_BETTER


def _check_index(indeks: str) -> None:
    if indeks not in INDICES:
        raise ValueError(f"Indeks {indeks!r} tidak dikenal; pilih salah satu dari {', '.join(INDICES)}.")


def position(indeks: str, nilai: Decimal, acuan: Decimal) -> str:
    """LEBIH_BAIK, LEBIH_BURUK or SAMA: `nilai` against `acuan` for an index of this polarity."""
    _check_index(indeks)
    if nilai == acuan:
        return SAMA
    higher = nilai > acuan
    return LEBIH_BAIK if higher != lower_is_better(indeks) else LEBIH_BURUK


def class_of(position_0: int, count: int) -> int:
    """The quantile class (1 = best fifth) of the region at 0-based rank position `position_0` of `count`."""
    if count <= 0 or not 0 <= position_0 < count:
        raise ValueError("posisi di luar jumlah wilayah berperingkat")
    return position_0 * CLASSES // count + 1


def rank(indeks: str, values: Iterable[RegionValue], *, acuan: Decimal | None = None) -> Ranking:
    """Rank `values` by `indeks` (see the module docstring for every rule)."""
    _check_index(indeks)
    items = list(values)
    codes = [v.kode for v in items]
    if len(set(codes)) != len(codes):
        raise ValueError("kode wilayah ganda dalam daftar nilai")
    valued = [v for v in items if v.nilai is not None]
    missing = sorted((v for v in items if v.nilai is None), key=lambda v: v.kode)
    lower = lower_is_better(indeks)

    def sort_key(v: RegionValue) -> tuple[Decimal, str]:
        assert v.nilai is not None
        return (v.nilai if lower else -v.nilai, v.kode)

    valued.sort(key=sort_key)
    rows: list[RankedRow] = []
    count = len(valued)
    current_rank = 0
    previous: Decimal | None = None
    for index, item in enumerate(valued):
        assert item.nilai is not None
        if previous is None or item.nilai != previous:
            current_rank = index + 1
            previous = item.nilai
        rows.append(
            RankedRow(
                kode=item.kode,
                nama=item.nama,
                nilai=item.nilai,
                peringkat=current_rank,
                kelas=class_of(current_rank - 1, count),
                selisih=None if acuan is None else item.nilai - acuan,
                posisi=None if acuan is None else position(indeks, item.nilai, acuan),
            )
        )
    rows.extend(
        RankedRow(kode=v.kode, nama=v.nama, nilai=None, peringkat=None, kelas=None, selisih=None, posisi=None)
        for v in missing
    )
    return Ranking(
        indeks=indeks, rows=tuple(rows), acuan=acuan, ringkasan=summarize(valued), kelas=_bands(rows)
    )


def summarize(values: Sequence[RegionValue]) -> Summary | None:
    numbers = [v.nilai for v in values if v.nilai is not None]
    if not numbers:
        return None
    return Summary(jumlah=len(numbers), minimum=min(numbers), maksimum=max(numbers), median=median(numbers))


def _bands(rows: Sequence[RankedRow]) -> tuple[ClassBand, ...]:
    members: dict[int, list[Decimal]] = {}
    for row in rows:
        if row.kelas is not None and row.nilai is not None:
            members.setdefault(row.kelas, []).append(row.nilai)
    return tuple(
        ClassBand(kelas=k, batas_bawah=min(v), batas_atas=max(v), jumlah=len(v))
        for k, v in sorted(members.items())
    )


# --------------------------------------------------------------------------------------------
# Trend of one region: the four indices per year


@dataclass(frozen=True)
class TrendRow:
    tahun: int
    nilai: Mapping[str, Decimal | None]  # indeks -> value (None = tidak ada data)


def trend(values: Iterable[tuple[str, int, Decimal]]) -> tuple[TrendRow, ...]:
    """(indeks, tahun, nilai) triples -> one row per year (ascending) with every index of `INDICES`."""
    by_year: dict[int, dict[str, Decimal | None]] = {}
    for indeks, tahun, nilai in values:
        if indeks not in INDICES:
            continue
        by_year.setdefault(tahun, dict.fromkeys(INDICES))[indeks] = nilai
    return tuple(TrendRow(tahun=t, nilai=by_year[t]) for t in sorted(by_year))


# --------------------------------------------------------------------------------------------
# Request parameters: junk never raises, it gives None and the caller falls back to a default


def parse_index(raw: str | None) -> str | None:
    """ "ipm", " IKG " -> the index code; anything else -> None."""
    if raw is None:
        return None
    text = raw.strip().upper()
    return text if text in INDICES else None


def parse_year(raw: str | None) -> int | None:
    """A four-digit year between 1990 and 2100; anything else (letters, "2023.5", huge numbers) -> None."""
    if raw is None:
        return None
    text = raw.strip()
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        return None
    year = int(text)
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def choose_year(requested: int | None, available: Sequence[int]) -> int | None:
    """The requested year when it has data, else the latest year with data; None when nothing has data."""
    if requested is not None and requested in available:
        return requested
    return max(available) if available else None
