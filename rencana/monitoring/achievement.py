"""Capaian (achievement) and predikat (rating) of an indicator per Permendagri 86/2017, and budget absorption.

Pure: Decimal in, frozen dataclasses out; no database. The e-Monev pages, the early warning
(`monitoring.warning`), the advice (`monitoring.advice`) and `rencana calc capaian` all use these rules.

Terms
- *Target*: the planned value of an indicator for a period; *realisasi*: the value reached.
- *Polaritas*: "positif" (higher is better) or "negatif" (lower is better).
- *Capaian*: realisasi against target in percent.
  Positif: realisasi / target * 100. Negatif: (2 - realisasi / target) * 100, never below 0 (a negatif
  indicator that ends at twice its target or worse scores 0).
  Target 0: capaian cannot be computed; `alasan` says so ("tidak dapat dihitung: target 0"), nothing is
  divided by zero. Target or realisasi below 0, or an unknown polaritas, is refused with `ValueError`.
- *Predikat*: capaian is rounded to 2 decimals ROUND_HALF_UP first, then banded on the rounded value
  (`BANDS`), lower bounds inclusive and no gaps:
  ≥ 91 Sangat Tinggi (above 100 included) · ≥ 76 Tinggi · ≥ 66 Sedang · ≥ 51 Rendah · below Sangat Rendah.
  So a raw 75.995 is 76.00, Tinggi; a raw 90.994 is 90.99, Tinggi. Each predikat has a traffic-light
  colour for the pages (`warna`): hijau (Sangat Tinggi, Tinggi), kuning (Sedang), merah (Rendah,
  Sangat Rendah). The band names are data and stay Indonesian; `predikat_label` translates them.
- *Agregasi* (how the quarters of a year make the annual realization, `annual_realization`):
  "kumulatif" the sum of the reported quarters (each quarter holds its own amount), "akhir_periode" the
  last reported value, "rata_rata" the mean of the reported quarters. A quarter without a report (None)
  is skipped, never read as 0; with no report at all the annual realization is None.
- *Capaian akhir periode* (against the RPJMD/Renstra end-of-period target, `capaian_akhir_periode`): the
  annual realizations are combined by the same agregasi across years: "kumulatif" indicators add up
  every reported year (what was built in 2025 and in 2026 counts towards the five-year target);
  "akhir_periode" and "rata_rata" indicators are a condition, not a stock, so the latest reported year's
  value (already averaged within its year for rata_rata) is compared with the end-of-period target, which
  describes the condition at the end of the period. Years without a report are skipped.
- *Serapan anggaran* (budget absorption, `absorption`): realisasi anggaran / pagu * 100, 2 decimals
  ROUND_HALF_UP; None when pagu is 0. Above 100 is kept (overspending shows).
- *Efisiensi* (`efficiency`), from capaian and serapan of the same period, first matching row:
  1. tidak_dapat_dinilai: capaian or serapan unknown;
  2. efisien: capaian ≥ serapan and capaian ≥ 76 (at least Tinggi);
  3. boros: serapan - capaian ≥ 25 percentage points (`BOROS_SELISIH`): money was spent without results;
  4. wajar: everything else (results in line with spending, or low results with low spending).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext as _

from rencana.core.numbers import format_angka

POSITIF = "positif"
NEGATIF = "negatif"
POLARITAS = (POSITIF, NEGATIF)

KUMULATIF = "kumulatif"
AKHIR_PERIODE = "akhir_periode"
RATA_RATA = "rata_rata"
AGREGASI = (KUMULATIF, AKHIR_PERIODE, RATA_RATA)

SANGAT_TINGGI = "Sangat Tinggi"
TINGGI = "Tinggi"
SEDANG = "Sedang"
RENDAH = "Rendah"
SANGAT_RENDAH = "Sangat Rendah"

HIJAU = "hijau"
KUNING = "kuning"
MERAH = "merah"

EFISIEN = "efisien"
WAJAR = "wajar"
BOROS = "boros"
TIDAK_DAPAT_DINILAI = "tidak_dapat_dinilai"

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
TWO = Decimal(2)
BOROS_SELISIH = Decimal(25)
# A realisasi more than 10^18 times its target is a typing or unit error, not an achievement to report.
MAX_RATIO_DIGITS = 18
_PRECISION = 50


@dataclass(frozen=True)
class Band:
    batas_bawah: (
        Decimal  # inclusive lower bound of the rounded capaian; the last band also takes anything below
    )
    predikat: str
    warna: str


BANDS: tuple[Band, ...] = (
    Band(Decimal(91), SANGAT_TINGGI, HIJAU),
    Band(Decimal(76), TINGGI, HIJAU),
    Band(Decimal(66), SEDANG, KUNING),
    Band(Decimal(51), RENDAH, MERAH),
    Band(ZERO, SANGAT_RENDAH, MERAH),
)

WARNA: Mapping[str, str] = {band.predikat: band.warna for band in BANDS}

# The lower bound of "Tinggi": from here on an indicator is on track.
BATAS_TINGGI = BANDS[1].batas_bawah


@dataclass(frozen=True)
class Capaian:
    capaian: Decimal | None  # percent, 2 decimals; None when it cannot be computed
    predikat: str | None
    alasan: str | None  # why capaian is None (Indonesian, translated); None when computed

    @property
    def warna(self) -> str | None:
        return None if self.predikat is None else WARNA[self.predikat]


@dataclass(frozen=True)
class Efficiency:
    kategori: str  # EFISIEN, WAJAR, BOROS, TIDAK_DAPAT_DINILAI
    penjelasan: str  # one Indonesian sentence naming capaian and serapan


def round2(value: Decimal) -> Decimal:
    """`value` rounded ROUND_HALF_UP to 2 decimals, exact however large it is."""
    with localcontext() as ctx:
        ctx.prec = max(_PRECISION, value.adjusted() + 4)
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def persen(value: Decimal | None) -> str:
    """A percentage for messages: "77,56%"; "-" for None."""
    return "-" if value is None else format_angka(value, 2) + "%"


def predikat(capaian: Decimal) -> str:
    """The predikat of a capaian; the value is rounded to 2 decimals first (idempotent on rounded values)."""
    rounded = round2(capaian)
    for band in BANDS:
        if rounded >= band.batas_bawah:
            return band.predikat
    return BANDS[-1].predikat


def warna(predikat: str) -> str:
    """The traffic-light colour (hijau, kuning, merah) of a predikat."""
    return WARNA[predikat]


def predikat_label(predikat: str) -> str:
    """The predikat for people, in the active language (the data keeps the Indonesian band name)."""
    labels = {
        SANGAT_TINGGI: _("Sangat Tinggi"),
        TINGGI: _("Tinggi"),
        SEDANG: _("Sedang"),
        RENDAH: _("Rendah"),
        SANGAT_RENDAH: _("Sangat Rendah"),
    }
    return labels.get(predikat, predikat)


def efficiency_label(kategori: str) -> str:
    labels = {
        EFISIEN: _("Efisien"),
        WAJAR: _("Wajar"),
        BOROS: _("Boros"),
        TIDAK_DAPAT_DINILAI: _("Tidak dapat dinilai"),
    }
    return labels.get(kategori, kategori)


def _check_finite(value: Decimal, nama: str) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError(_("Nilai %(nama)s harus berupa angka terhingga.") % {"nama": nama})


def _check_not_negative(value: Decimal, nama: str) -> None:
    _check_finite(value, nama)
    if value < 0:
        raise ValueError(_("Nilai %(nama)s tidak boleh negatif.") % {"nama": nama})


def normalize_polaritas(polaritas: str) -> str:
    """ "positif" or "negatif" (case and spaces ignored); anything else is refused with ValueError."""
    value = polaritas.strip().lower() if isinstance(polaritas, str) else ""
    if value not in POLARITAS:
        raise ValueError(
            _("Polaritas “%(polaritas)s” tidak dikenal: gunakan “positif” atau “negatif”.")
            % {"polaritas": polaritas}
        )
    return value


def normalize_agregasi(agregasi: str) -> str:
    """ "kumulatif", "akhir_periode" or "rata_rata"; anything else is refused with ValueError."""
    value = agregasi.strip().lower() if isinstance(agregasi, str) else ""
    if value not in AGREGASI:
        raise ValueError(
            _("Agregasi “%(agregasi)s” tidak dikenal: gunakan “kumulatif”, “akhir_periode” atau “rata_rata”.")
            % {"agregasi": agregasi}
        )
    return value


def capaian(target: Decimal, realisasi: Decimal, polaritas: str) -> Capaian:
    """Capaian and predikat of one realisasi against its target (rules in the module docstring)."""
    arah = normalize_polaritas(polaritas)
    _check_not_negative(target, "target")
    _check_not_negative(realisasi, "realisasi")
    if target == 0:
        return Capaian(None, None, _("tidak dapat dihitung: target 0"))
    if realisasi != 0 and realisasi.adjusted() - target.adjusted() > MAX_RATIO_DIGITS:
        if arah == NEGATIF:
            return Capaian(ZERO.quantize(CENT), SANGAT_RENDAH, None)
        raise ValueError(
            _("Realisasi lebih dari 10^%(digit)d kali target; periksa angka dan satuannya.")
            % {"digit": MAX_RATIO_DIGITS}
        )
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        ratio = realisasi / target
        raw = ratio * HUNDRED if arah == POSITIF else max((TWO - ratio) * HUNDRED, ZERO)
    value = round2(raw)
    return Capaian(value, predikat(value), None)


def annual_realization(quarters: Sequence[Decimal | None], agregasi: str) -> Decimal | None:
    """The year's realization from its quarters in order; None quarters are skipped (None if all are)."""
    rule = normalize_agregasi(agregasi)
    reported = [value for value in quarters if value is not None]
    if not reported:
        return None
    for value in reported:
        _check_finite(value, "realisasi")
    return _combine(reported, rule)


def _combine(values: Sequence[Decimal], rule: str) -> Decimal:
    if rule == KUMULATIF:
        return sum(values, ZERO)
    if rule == AKHIR_PERIODE:
        return values[-1]
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return sum(values, ZERO) / len(values)


def end_of_period_realization(
    realisasi_tahunan: Mapping[int, Decimal | None], agregasi: str
) -> Decimal | None:
    """The realization compared with an end-of-period target: the sum over the reported years for
    kumulatif indicators, the latest reported year's value otherwise; None when no year is reported."""
    rule = normalize_agregasi(agregasi)
    reported = [realisasi_tahunan[year] for year in sorted(realisasi_tahunan)]
    values = [value for value in reported if value is not None]
    if not values:
        return None
    for value in values:
        _check_finite(value, "realisasi")
    return sum(values, ZERO) if rule == KUMULATIF else values[-1]


def capaian_akhir_periode(
    target_akhir: Decimal,
    realisasi_tahunan: Mapping[int, Decimal | None],
    polaritas: str,
    agregasi_tahunan: str = AKHIR_PERIODE,
) -> Capaian:
    """Capaian against the end-of-period (RPJMD/Renstra) target, see `end_of_period_realization`."""
    normalize_polaritas(polaritas)
    realisasi = end_of_period_realization(realisasi_tahunan, agregasi_tahunan)
    if realisasi is None:
        _check_not_negative(target_akhir, "target")
        return Capaian(None, None, _("tidak dapat dihitung: belum ada realisasi"))
    return capaian(target_akhir, realisasi, polaritas)


def absorption(realisasi_anggaran: Decimal, pagu: Decimal) -> Decimal | None:
    """Serapan anggaran in percent, 2 decimals ROUND_HALF_UP; None when pagu is 0."""
    _check_not_negative(realisasi_anggaran, "realisasi anggaran")
    _check_not_negative(pagu, "pagu")
    if pagu == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = max(_PRECISION, realisasi_anggaran.adjusted() - pagu.adjusted() + 10)
        return round2(realisasi_anggaran * HUNDRED / pagu)


def efficiency(capaian: Decimal | None, serapan: Decimal | None) -> Efficiency:
    """Efisiensi of a period from its capaian and serapan (categories in the module docstring)."""
    if capaian is None or serapan is None:
        unknown = _("capaian") if capaian is None else _("serapan anggaran")
        return Efficiency(
            TIDAK_DAPAT_DINILAI,
            _("Efisiensi tidak dapat dinilai: %(yang)s tidak tersedia.") % {"yang": unknown},
        )
    values = {"capaian": persen(capaian), "serapan": persen(serapan), "batas": persen(BATAS_TINGGI)}
    if capaian >= serapan and capaian >= BATAS_TINGGI:
        return Efficiency(
            EFISIEN,
            _(
                "Efisien: capaian %(capaian)s tidak lebih rendah dari serapan anggaran %(serapan)s dan "
                "minimal %(batas)s."
            )
            % values,
        )
    if serapan - capaian >= BOROS_SELISIH:
        values["selisih"] = format_angka(serapan - capaian, 2)
        return Efficiency(
            BOROS,
            _(
                "Boros: serapan anggaran %(serapan)s jauh melampaui capaian %(capaian)s "
                "(selisih %(selisih)s poin)."
            )
            % values,
        )
    return Efficiency(
        WAJAR,
        _("Wajar: capaian %(capaian)s sebanding dengan serapan anggaran %(serapan)s.") % values,
    )
