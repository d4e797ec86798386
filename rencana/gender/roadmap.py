"""PUG roadmap (peta jalan PUG): targets per year for IPM, IPG, IDG and IKG against the actual values.

Terms
- *Target*: the value a pemda plans for an index in a year (`RoadmapTarget`), usually aligned with the
  RPJMD.
- *Aktual*: the published (BPS) or computed value of the index for the pemda's own region in that year
  (`IndexValue`); None when there is none yet.
- *Capaian* and *predikat*: exactly the e-Monev rules of Permendagri 86/2017
  (`rencana.monitoring.achievement`): IPM, IPG and IDG are *positif* (higher is better, capaian = aktual /
  target * 100); IKG is *negatif* (lower is better, capaian = (2 - aktual / target) * 100, never below 0).
  E.g. IKG target 0,450 and aktual 0,551 give capaian 77,56% (Tinggi).
- *Selisih* (gap to target): aktual - target, in index points. The text says whether the target is reached and
  how far is left, in the index's direction ("perlu turun 0,101 poin lagi" for IKG).
- *Capaian akhir periode*: the latest actual value (of any year up to the last target year) against the target
  of the last target year, e.g. the RPJMD 2029 target against BPS 2023.
- Ranges of a target: IKG 0 to 1; IPM, IPG, IDG 0 to 100 (`target_problem`).
Shown with 2 decimals (IKG 3), rounded ROUND_HALF_UP. Pure: plain values in, frozen dataclasses out.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from rencana.core.numbers import format_angka
from rencana.monitoring import achievement

INDICES: tuple[str, ...] = ("IPM", "IPG", "IDG", "IKG")
POLARITAS: dict[str, str] = {
    "IPM": achievement.POSITIF,
    "IPG": achievement.POSITIF,
    "IDG": achievement.POSITIF,
    "IKG": achievement.NEGATIF,
}
DESIMAL: dict[str, int] = {"IPM": 2, "IPG": 2, "IDG": 2, "IKG": 3}
BATAS: dict[str, tuple[Decimal, Decimal]] = {
    "IPM": (Decimal(0), Decimal(100)),
    "IPG": (Decimal(0), Decimal(100)),
    "IDG": (Decimal(0), Decimal(100)),
    "IKG": (Decimal(0), Decimal(1)),
}
MAX_DECIMALS = 4  # RoadmapTarget.target keeps 4 decimals
MAX_YEARS = 15
MIN_YEAR = 2000
MAX_YEAR = 2100


@dataclass(frozen=True)
class RoadmapRow:
    indeks: str
    tahun: int
    target: Decimal | None
    aktual: Decimal | None
    capaian: Decimal | None
    predikat: str | None
    warna: str | None
    selisih: Decimal | None  # aktual - target
    keterangan: str  # gap to target, one Indonesian sentence


@dataclass(frozen=True)
class EndOfPeriod:
    tahun_target: int
    target: Decimal
    tahun_aktual: int
    aktual: Decimal
    capaian: Decimal | None
    predikat: str | None
    warna: str | None
    keterangan: str


@dataclass(frozen=True)
class IndexRoadmap:
    indeks: str
    polaritas: str
    desimal: int
    rows: tuple[RoadmapRow, ...]
    akhir: EndOfPeriod | None


def polaritas(indeks: str) -> str:
    return POLARITAS[indeks]


def angka(indeks: str, value: Decimal | None) -> str:
    """A value of the index for people, with the index's decimals; "—" for None."""
    return "—" if value is None else format_angka(value, DESIMAL.get(indeks, 2))


def target_problem(indeks: str, value: Decimal) -> str | None:
    """Why `value` cannot be a target of `indeks` (range, decimals), or None."""
    if indeks not in BATAS:
        return _("Indeks “{indeks}” tidak dikenal.").format(indeks=indeks)
    if not value.is_finite():
        return _("Target harus berupa angka.")
    low, high = BATAS[indeks]
    if not low <= value <= high:
        return _("Target {indeks} harus antara {low} dan {high}.").format(
            indeks=indeks, low=format_angka(low, 0), high=format_angka(high, 0)
        )
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        return _("Target paling banyak {n} angka desimal.").format(n=MAX_DECIMALS)
    return None


def _gap_text(indeks: str, target: Decimal | None, aktual: Decimal | None) -> str:
    if target is None:
        return _("Belum ada target.")
    if aktual is None:
        return _("Belum ada nilai aktual.")
    selisih = aktual - target
    jarak = angka(indeks, abs(selisih))
    if POLARITAS[indeks] == achievement.NEGATIF:
        if selisih <= 0:
            return (
                _("Target tercapai.")
                if selisih == 0
                else _("Target tercapai: {jarak} poin lebih rendah dari target.").format(jarak=jarak)
            )
        return _("Belum tercapai: perlu turun {jarak} poin lagi.").format(jarak=jarak)
    if selisih >= 0:
        return (
            _("Target tercapai.")
            if selisih == 0
            else _("Target tercapai: {jarak} poin di atas target.").format(jarak=jarak)
        )
    return _("Belum tercapai: perlu naik {jarak} poin lagi.").format(jarak=jarak)


def _capaian(indeks: str, target: Decimal, aktual: Decimal) -> tuple[achievement.Capaian | None, str | None]:
    try:
        return achievement.capaian(target, aktual, POLARITAS[indeks]), None
    except ValueError as exc:
        return None, str(exc)


def row(indeks: str, tahun: int, target: Decimal | None, aktual: Decimal | None) -> RoadmapRow:
    """One year of one index: capaian, predikat, colour and gap to target."""
    keterangan = _gap_text(indeks, target, aktual)
    result = None
    if target is not None and aktual is not None:
        result, problem = _capaian(indeks, target, aktual)
        if result is not None and result.alasan:
            keterangan = f"{keterangan} {_('Capaian')} {result.alasan}."
        elif problem:
            keterangan = f"{keterangan} {problem}"
    return RoadmapRow(
        indeks=indeks,
        tahun=tahun,
        target=target,
        aktual=aktual,
        capaian=result.capaian if result else None,
        predikat=result.predikat if result else None,
        warna=result.warna if result else None,
        selisih=None if target is None or aktual is None else aktual - target,
        keterangan=keterangan,
    )


def end_of_period(
    indeks: str, targets: Mapping[int, Decimal], actuals: Mapping[int, Decimal]
) -> EndOfPeriod | None:
    """The latest actual (up to the last target year) against the last target; None without both."""
    if not targets:
        return None
    tahun_target = max(targets)
    years = [y for y in actuals if y <= tahun_target]
    if not years:
        return None
    tahun_aktual = max(years)
    target, aktual = targets[tahun_target], actuals[tahun_aktual]
    one = row(indeks, tahun_target, target, aktual)
    return EndOfPeriod(
        tahun_target=tahun_target,
        target=target,
        tahun_aktual=tahun_aktual,
        aktual=aktual,
        capaian=one.capaian,
        predikat=one.predikat,
        warna=one.warna,
        keterangan=one.keterangan,
    )


def index_roadmap(
    indeks: str, years: Sequence[int], targets: Mapping[int, Decimal], actuals: Mapping[int, Decimal]
) -> IndexRoadmap:
    if indeks not in POLARITAS:
        raise ValueError(_("Indeks “{indeks}” tidak dikenal.").format(indeks=indeks))
    return IndexRoadmap(
        indeks=indeks,
        polaritas=POLARITAS[indeks],
        desimal=DESIMAL[indeks],
        rows=tuple(row(indeks, y, targets.get(y), actuals.get(y)) for y in years),
        akhir=end_of_period(indeks, targets, actuals),
    )


def roadmap(
    years: Sequence[int],
    targets: Mapping[str, Mapping[int, Decimal]],
    actuals: Mapping[str, Mapping[int, Decimal]],
) -> list[IndexRoadmap]:
    """The four indices in order, each with a row per year of `years`."""
    return [index_roadmap(i, years, targets.get(i, {}), actuals.get(i, {})) for i in INDICES]


def default_years(
    target_years: Iterable[int], current_year: int, actual_years: Iterable[int] = (), span: int = 5
) -> list[int]:
    """The years a roadmap shows when none are asked for: from the earliest of the first target year, the
    current year and the latest actual year, to the later of the last target year and the current year
    (without targets, `span` years from the current one); at most `MAX_YEARS`, keeping the latest."""
    targets = set(target_years)
    end = max(targets | {current_year}) if targets else current_year + span - 1
    start = min(targets | {current_year})
    past = [y for y in actual_years if y <= end]
    if past:
        start = min(start, max(past))
    start = max(start, end - MAX_YEARS + 1)
    return list(range(start, end + 1))


def year_range(dari: int, sampai: int) -> list[int]:
    """Years `dari`..`sampai` inclusive; ValueError when reversed, outside 2000-2100 or too long."""
    if not (MIN_YEAR <= dari <= MAX_YEAR and MIN_YEAR <= sampai <= MAX_YEAR):
        raise ValueError(_("Tahun harus antara {a} dan {b}.").format(a=MIN_YEAR, b=MAX_YEAR))
    if sampai < dari:
        raise ValueError(_("Tahun akhir tidak boleh sebelum tahun awal."))
    if sampai - dari + 1 > MAX_YEARS:
        raise ValueError(_("Paling banyak {n} tahun sekaligus.").format(n=MAX_YEARS))
    return list(range(dari, sampai + 1))
