"""Human development and gender indices: BPS IPM (metode baru), IPG and IDG; UNDP GDI and GII; BPS IKG.

Pure: numbers in (Decimal, int or float), frozen dataclasses out; no database. The PUG pages and the
`rencana calc ipm|ipg|gdi|gii|ikg` calculators (`gender.calculators`) use these functions. Each method is
the one of the project's acceptance README (sections "IPM", "GDI and GII", "IKG", "IPG and IDG").

Arithmetic
- Inputs are converted to float and the logarithms, powers and roots are computed in binary floating
  point; nothing is rounded before the end. Each result keeps the raw float (`*_raw`) and the value as
  published: a Decimal rounded ROUND_HALF_UP from the float's shortest decimal text (`repr`), to
  2 decimals for IPM, IPG and IDG (BPS) and 3 decimals for GDI, GII and IKG (UNDP, BPS).
- Every input is checked before use; a value outside its range raises `IndexInputError(field, message)`
  (a ValueError) whose Indonesian message names the field: not a number (bool included), NaN or
  infinite, negative, a percentage above 100, a proportion above 1.

IPM — BPS "metode baru" (since 2010; goalposts `UHH`, `HLS_MAKS`, `RLS_MAKS`, `PENGELUARAN`)
- I_kesehatan = (UHH - 20) / (85 - 20), UHH = umur harapan hidup saat lahir (years).
- I_pendidikan = (min(HLS, 18)/18 + min(RLS, 15)/15) / 2, HLS = harapan lama sekolah (years, age 7),
  RLS = rata-rata lama sekolah (years, population 25+).
- I_pengeluaran = (ln P - ln 1 007 436) / (ln 26 572 352 - ln 1 007 436), P = pengeluaran per kapita
  disesuaikan (Rp/orang/tahun, harga konstan 2012), taken as published.
- IPM = 100 * (I_kesehatan * I_pendidikan * I_pengeluaran)^(1/3), published to 2 decimals.
- Ranges (our decision): a value below its minimum goalpost would make its index negative, so UHH < 20
  and P < 1 007 436 are refused (HLS and RLS have minimum 0: negatives are refused). A value above its
  maximum is clamped to it, as BPS caps HLS at 18 and RLS at 15; UHH above 85 and P above 26 572 352 do
  not occur in BPS data and are clamped the same way, so every index stays within [0, 1].
- Status (`ipm_status`), on the IPM rounded to 2 decimals: rendah < 60 ≤ sedang < 70 ≤ tinggi < 80 ≤
  sangat tinggi. So 59.995 is 60.00, "sedang".
- UHH series break: from BPS's November 2023 release UHH comes from the 2020 census long form (series
  revised back to 2020); never mix vintages in one time series.

IPG — Indeks Pembangunan Gender (BPS)
- IPM per sex (`ipm_by_sex`) with the GDI's sex-specific UHH goalposts (perempuan 22.5–87.5, laki-laki
  17.5–82.5) and the IPM goalposts otherwise; IPG = IPM_perempuan / IPM_laki-laki * 100 (raw IPMs),
  published to 2 decimals.
- Per-sex expenditure (`expenditure_by_sex`) from the female share of earned income:
  S_f = r·EA_f / (r·EA_f + EA_m), r = female/male wage ratio, EA = share of the economically active;
  P_f = P * S_f / N_f, P_m = P * (1 - S_f) / N_m, N = population share (N_m = 1 - N_f).

IDG — Indeks Pemberdayaan Gender (BPS; UNDP's former Gender Empowerment Measure)
- Three dimensions, each an equally-distributed equivalent percentage (EDEP, ε = 2) over women and men:
  EDEP = 1 / (N_f/X_f + N_m/X_m), N = population shares (proportions), X = attainments.
  Parliament: X = percentage of seats held by women and by men (100 - women's); index = EDEP / 50.
  Managers, professionals, administrators and technicians: likewise; index = EDEP / 50.
  Earned income: P_f and P_m from the women's share of earned income as in IPG, each clamped to the
  income goalposts and indexed linearly, I = (P - min) / (max - min); index = EDEP of I_f and I_m.
  An attainment of 0 gives EDEP 0 (the limit of the harmonic mean).
- IDG = 100 * the arithmetic mean of the three indices, published to 2 decimals. Parity (X_f = 50 with
  N_f = 0.5, or X_f / X_m = N_f / N_m in general) gives a share index of 1.
- BPS does not publish the income goalposts it uses. They are the fields of `IdgConstants`, an
  assumption that the caller may replace: the default `DEFAULT_IDG_CONSTANTS` takes the IPM
  expenditure goalposts (Rp 1 007 436 – 26 572 352 per person per year, 2012 prices), consistent with
  the per-sex expenditure of the IPG; `UNDP_GEM_IDG_CONSTANTS` holds the GEM's PPP$ 100 – 40 000 for
  incomes in PPP dollars. Where the components are missing, a published IDG is taken as data with
  `idg_published` (`IdgResult.sumber` is "publikasi" rather than "hitung").

GDI — UNDP Gender Development Index (HDR 2021/22 technical notes)
- HDI per sex (`hdi_by_sex`): health (LE - 22.5)/65 for women, (LE - 17.5)/65 for men (LE clamped to the
  sex's goalposts 22.5–87.5 or 17.5–82.5; below the minimum is refused); education
  (min(EYS, 18)/18 + min(MYS, 15)/15) / 2; income (ln GNIpc - ln 100) / (ln 75 000 - ln 100) with GNIpc
  (2017 PPP$) clamped to [100, 75 000]; HDI = geometric mean of the three. GDI = HDI_f / HDI_m, to
  3 decimals. Because the life-expectancy goalposts differ by 5 years, equal LE does not give GDI = 1:
  women's biological advantage is discounted, and GDI = 1 when female LE = male LE + 5 and the other
  components are equal.

GII — UNDP Gender Inequality Index (HDR 2021/22)
- h = sqrt((10/MMR) * (1/ABR)), MMR = maternal deaths per 100 000 live births clamped to [10, 1000],
  ABR = births per 1 000 women aged 15–19 (must be above 0). Shares are given in percent as UNDP
  publishes them and used as proportions: PR = parliament seats (a share of 0 becomes 0.1 %; UNDP states
  this for women, it is applied to men's share too so that a theoretical all-female parliament does not
  divide by zero), SE = population 25+ with at least some secondary education, LFPR = labour force
  participation rate (SE and LFPR must be above 0: with 0 the index is undefined).
- G_F = (h * sqrt(PR_F * SE_F) * LFPR_F)^(1/3); G_M = (sqrt(PR_M * SE_M) * LFPR_M)^(1/3);
  HARM = 2 / (1/G_F + 1/G_M);
  G_FM = (((h + 1)/2) * ((sqrt(PR_F * SE_F) + sqrt(PR_M * SE_M))/2) * ((LFPR_F + LFPR_M)/2))^(1/3);
  GII = 1 - HARM / G_FM, to 3 decimals. By the inequality of the means GII lies in [0, 1), and is 0 only
  at full equality (h = 1 and equal shares); a float result a hair below 0 at equality is reported as 0.
  GII does not change when both sexes' values of one indicator are scaled alike, so the ratio is
  computed on each pair divided by its larger value (no underflow for tiny shares); the intermediate
  values returned are those of the formulas on proportions.

IKG — Indeks Ketimpangan Gender (BPS adaptation of the GII)
- Reproductive health from MTF (share of women 15–49 whose last live birth was not in a health facility)
  and MHPK20 (share whose first live birth was before age 20), both proportions:
  h = sqrt(0.00005 / (MTF * MHPK20)); MTF * MHPK20 = 0 is refused. Empowerment: DPRD seats
  (legislatif, a share of 0 becomes 0.1 % as in the GII) and population 25+ with at least senior
  secondary school (SMA) by sex; labour: TPAK by sex; all in percent. Then the GII formulas with this h,
  to 3 decimals; this reproduces BPS's published table to ±0.0005.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, NamedTuple

from django.utils.translation import gettext as _

from rencana.core.numbers import format_angka

Number = Decimal | int | float
Sumber = Literal["hitung", "publikasi"]


@dataclass(frozen=True)
class Goalposts:
    minimum: float
    maximum: float


# IPM (BPS metode baru).
UHH = Goalposts(20.0, 85.0)
HLS_MAKS = 18.0
RLS_MAKS = 15.0
PENGELUARAN = Goalposts(1_007_436.0, 26_572_352.0)  # Rp/orang/tahun, harga konstan 2012

# Sexes, as BPS (IPM, IPG) and UNDP (HDI, GDI) name them.
JenisKelamin = Literal["perempuan", "laki_laki"]
Sex = Literal["female", "male"]
PEREMPUAN: JenisKelamin = "perempuan"
LAKI_LAKI: JenisKelamin = "laki_laki"
FEMALE: Sex = "female"
MALE: Sex = "male"

# Life-expectancy goalposts by sex, shared by IPG (UHH) and GDI (LE).
LE_FEMALE = Goalposts(22.5, 87.5)
LE_MALE = Goalposts(17.5, 82.5)

# UNDP HDI/GDI (HDR 2021/22).
EYS_MAX = 18.0
MYS_MAX = 15.0
GNI_PC = Goalposts(100.0, 75_000.0)  # 2017 PPP$

# UNDP GII (HDR 2021/22) and BPS IKG.
MMR = Goalposts(10.0, 1_000.0)
PARLEMEN_MIN_PERSEN = 0.1  # a parliament share of 0 % becomes 0.1 %
IKG_H_ACUAN = 0.00005  # h = sqrt(IKG_H_ACUAN / (MTF * MHPK20))

# IPM status bands on the rounded IPM: inclusive lower bounds, highest first.
RENDAH = "rendah"
SEDANG = "sedang"
TINGGI = "tinggi"
SANGAT_TINGGI = "sangat tinggi"
STATUS_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(80), SANGAT_TINGGI),
    (Decimal(70), TINGGI),
    (Decimal(60), SEDANG),
)

HITUNG: Sumber = "hitung"
PUBLIKASI: Sumber = "publikasi"


class IndexInputError(ValueError):
    """An input of an index is out of its range; `field` names it, `message` (Indonesian) says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def within(self, parent: str) -> "IndexInputError":
        """The same error for the field as part of `parent`: "uhh" in "perempuan" is "perempuan.uhh"."""
        field = f"{parent}.{self.field}"
        return IndexInputError(field, self.message.replace(f"“{self.field}”", f"“{field}”"))


# Input checks.


def _number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise IndexInputError(field, _("Isian “{field}” harus berupa angka.").format(field=field))
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise IndexInputError(field, _("Isian “{field}” harus berupa angka terhingga.").format(field=field))
    return number


def _non_negative(value: object, field: str) -> float:
    number = _number(value, field)
    if number < 0:
        raise IndexInputError(field, _("Isian “{field}” tidak boleh negatif.").format(field=field))
    return number


def _positive(value: object, field: str) -> float:
    number = _non_negative(value, field)
    if number == 0:
        raise IndexInputError(
            field,
            _("Isian “{field}” harus lebih dari 0: dengan nilai 0 indeks tidak terdefinisi.").format(
                field=field
            ),
        )
    return number


def _percent(value: object, field: str) -> float:
    """A percentage 0–100."""
    number = _non_negative(value, field)
    if number > 100:
        raise IndexInputError(
            field, _("Isian “{field}” adalah persentase: tidak boleh lebih dari 100.").format(field=field)
        )
    return number


def _proportion(value: object, field: str) -> float:
    """A proportion 0–1."""
    number = _non_negative(value, field)
    if number > 1:
        raise IndexInputError(
            field, _("Isian “{field}” adalah proporsi (0–1): tidak boleh lebih dari 1.").format(field=field)
        )
    return number


def _strict_proportion(value: object, field: str) -> float:
    """A proportion strictly between 0 and 1 (a population share of one sex)."""
    number = _proportion(value, field)
    if number in (0, 1):
        raise IndexInputError(
            field, _("Isian “{field}” harus lebih dari 0 dan kurang dari 1.").format(field=field)
        )
    return number


def _at_least(value: object, field: str, minimum: float) -> float:
    """A value not below the minimum goalpost of its index (below it the index would be negative)."""
    number = _number(value, field)
    if number < minimum:
        raise IndexInputError(
            field,
            _(
                "Isian “{field}” tidak boleh kurang dari {minimum} (batas bawah metode); di bawahnya "
                "indeksnya negatif."
            ).format(field=field, minimum=format_angka(minimum, _decimals(minimum))),
        )
    return number


def _decimals(value: float) -> int:
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _rounded(raw: float, places: int) -> Decimal:
    """`raw` as published: its shortest decimal text rounded ROUND_HALF_UP to `places` decimals."""
    return Decimal(repr(raw)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _clamp(value: float, goalposts: Goalposts) -> float:
    return min(max(value, goalposts.minimum), goalposts.maximum)


# Results.


@dataclass(frozen=True)
class IpmResult:
    ipm: Decimal  # 2 decimals, ROUND_HALF_UP
    ipm_raw: float  # 0–100
    indeks_kesehatan: float  # 0–1
    indeks_pendidikan: float  # 0–1
    indeks_pengeluaran: float  # 0–1
    status: str  # RENDAH, SEDANG, TINGGI, SANGAT_TINGGI (on `ipm`)


@dataclass(frozen=True)
class SexComponents:
    """The IPM components of one sex; `pengeluaran` is that sex's own expenditure (P_f or P_m)."""

    uhh: Number
    hls: Number
    rls: Number
    pengeluaran: Number


@dataclass(frozen=True)
class IpgResult:
    ipm_perempuan: IpmResult
    ipm_laki_laki: IpmResult
    ipg: Decimal  # 2 decimals, ROUND_HALF_UP
    ipg_raw: float  # 100 * raw IPM_perempuan / raw IPM_laki-laki


class ExpenditureBySex(NamedTuple):
    s_f: float  # women's share of earned income, proportion
    p_f: float  # women's per-capita expenditure, P * S_f / N_f
    p_m: float  # men's per-capita expenditure, P * (1 - S_f) / N_m


@dataclass(frozen=True)
class IdgConstants:
    """Income goalposts of the IDG (an assumption: BPS does not publish its own), linear index."""

    pendapatan_min: float
    pendapatan_maks: float
    satuan: str

    def __post_init__(self) -> None:
        minimum = _non_negative(self.pendapatan_min, "pendapatan_min")
        maximum = _number(self.pendapatan_maks, "pendapatan_maks")
        if maximum <= minimum:
            raise IndexInputError(
                "pendapatan_maks",
                _("Isian “{field}” harus lebih besar dari pendapatan_min.").format(field="pendapatan_maks"),
            )


DEFAULT_IDG_CONSTANTS = IdgConstants(
    PENGELUARAN.minimum, PENGELUARAN.maximum, "Rp/orang/tahun, harga konstan 2012"
)
UNDP_GEM_IDG_CONSTANTS = IdgConstants(100.0, 40_000.0, "PPP US$")


@dataclass(frozen=True)
class IdgResult:
    idg: Decimal  # 0–100, 2 decimals, ROUND_HALF_UP
    idg_raw: float
    sumber: Sumber  # "hitung" (computed here) or "publikasi" (a published value taken as data)
    indeks_parlemen: float | None = None  # 0–1; None for a published value
    indeks_manajer: float | None = None
    indeks_pendapatan: float | None = None


@dataclass(frozen=True)
class UndpComponents:
    """The HDI components of one sex: life expectancy, expected and mean years of schooling, GNI pc."""

    le: Number
    eys: Number
    mys: Number
    gni_pc: Number  # 2017 PPP$


@dataclass(frozen=True)
class HdiResult:
    hdi: Decimal  # 3 decimals, ROUND_HALF_UP
    hdi_raw: float
    health_index: float
    education_index: float
    income_index: float


@dataclass(frozen=True)
class GdiResult:
    hdi_f: HdiResult
    hdi_m: HdiResult
    gdi: Decimal  # 3 decimals, ROUND_HALF_UP
    gdi_raw: float


@dataclass(frozen=True)
class GiiResult:
    gii: Decimal  # 3 decimals, ROUND_HALF_UP
    gii_raw: float
    h: float  # reproductive health term
    g_f: float
    g_m: float
    harm: float
    g_fm: float


@dataclass(frozen=True)
class IkgResult:
    ikg: Decimal  # 3 decimals, ROUND_HALF_UP
    ikg_raw: float
    h: float  # sqrt(0.00005 / (MTF * MHPK20))
    g_f: float
    g_m: float
    harm: float
    g_fm: float


# IPM, IPG.


def ipm_status(ipm: Number) -> str:
    """The IPM status of a value rounded to 2 decimals first (ROUND_HALF_UP): rendah < 60 ≤ sedang < 70 ≤
    tinggi < 80 ≤ sangat tinggi."""
    rounded = _rounded(_number(ipm, "ipm"), 2)
    for lower, status in STATUS_BANDS:
        if rounded >= lower:
            return status
    return RENDAH


def status_label(status: str) -> str:
    """The IPM status for people, in the active language (the data keeps BPS's Indonesian name)."""
    labels = {
        RENDAH: _("Rendah"),
        SEDANG: _("Sedang"),
        TINGGI: _("Tinggi"),
        SANGAT_TINGGI: _("Sangat Tinggi"),
    }
    return labels.get(status, status)


def _ipm(uhh: Number, hls: Number, rls: Number, pengeluaran: Number, uhh_goalposts: Goalposts) -> IpmResult:
    uhh_value = min(_at_least(uhh, "uhh", uhh_goalposts.minimum), uhh_goalposts.maximum)
    hls_value = min(_non_negative(hls, "hls"), HLS_MAKS)
    rls_value = min(_non_negative(rls, "rls"), RLS_MAKS)
    p_value = min(_at_least(pengeluaran, "pengeluaran", PENGELUARAN.minimum), PENGELUARAN.maximum)
    kesehatan = (uhh_value - uhh_goalposts.minimum) / (uhh_goalposts.maximum - uhh_goalposts.minimum)
    pendidikan = (hls_value / HLS_MAKS + rls_value / RLS_MAKS) / 2
    pengeluaran_index = (math.log(p_value) - math.log(PENGELUARAN.minimum)) / (
        math.log(PENGELUARAN.maximum) - math.log(PENGELUARAN.minimum)
    )
    raw = 100 * (kesehatan * pendidikan * pengeluaran_index) ** (1 / 3)
    rounded = _rounded(raw, 2)
    return IpmResult(rounded, raw, kesehatan, pendidikan, pengeluaran_index, ipm_status(rounded))


def ipm(uhh: Number, hls: Number, rls: Number, pengeluaran: Number) -> IpmResult:
    """IPM (BPS metode baru) from UHH (years), HLS (years), RLS (years) and P (Rp/orang/tahun, 2012)."""
    return _ipm(uhh, hls, rls, pengeluaran, UHH)


def ipm_by_sex(uhh: Number, hls: Number, rls: Number, pengeluaran: Number, sex: JenisKelamin) -> IpmResult:
    """IPM of one sex for the IPG: UHH goalposts 22.5–87.5 (perempuan) or 17.5–82.5 (laki_laki)."""
    if sex == PEREMPUAN:
        return _ipm(uhh, hls, rls, pengeluaran, LE_FEMALE)
    if sex == LAKI_LAKI:
        return _ipm(uhh, hls, rls, pengeluaran, LE_MALE)
    raise IndexInputError(
        "sex",
        _("Jenis kelamin “{sex}” tidak dikenal: gunakan “perempuan” atau “laki_laki”.").format(sex=sex),
    )


def _ipm_of(components: SexComponents, sex: JenisKelamin) -> IpmResult:
    try:
        return ipm_by_sex(components.uhh, components.hls, components.rls, components.pengeluaran, sex)
    except IndexInputError as exc:
        raise exc.within(sex) from None


def _zero_divisor(field: str, message: str) -> IndexInputError:
    return IndexInputError(field, message.format(field=field))


def ipg(perempuan: SexComponents, laki_laki: SexComponents) -> IpgResult:
    """IPG = IPM_perempuan / IPM_laki-laki * 100; errors name the field as "perempuan.uhh" etc."""
    ipm_p = _ipm_of(perempuan, PEREMPUAN)
    ipm_l = _ipm_of(laki_laki, LAKI_LAKI)
    if ipm_l.ipm_raw == 0:
        component = _zero_component(ipm_l.indeks_kesehatan, ipm_l.indeks_pendidikan)
        raise _zero_divisor(
            f"{LAKI_LAKI}.{component}",
            _(
                "Isian “{field}” berada di batas bawah metode sehingga IPM laki-laki 0: IPG tidak dapat "
                "dihitung."
            ),
        )
    raw = 100 * ipm_p.ipm_raw / ipm_l.ipm_raw
    return IpgResult(ipm_p, ipm_l, _rounded(raw, 2), raw)


def _zero_component(health: float, education: float) -> str:
    if health == 0:
        return "uhh"
    if education == 0:
        return "hls"
    return "pengeluaran"


def expenditure_by_sex(
    p: Number, wage_ratio: Number, ea_f: Number, ea_m: Number, n_f: Number
) -> ExpenditureBySex:
    """Per-sex expenditure for the IPG: S_f = r·EA_f / (r·EA_f + EA_m), P_f = P * S_f / N_f,
    P_m = P * (1 - S_f) / N_m with N_m = 1 - N_f. `wage_ratio` r is female/male wages, EA_f and EA_m the
    shares of the economically active (proportions), N_f the women's share of the population."""
    p_value = _positive(p, "p")
    r = _positive(wage_ratio, "wage_ratio")
    ea_f_value = _proportion(ea_f, "ea_f")
    ea_m_value = _proportion(ea_m, "ea_m")
    n_f_value = _strict_proportion(n_f, "n_f")
    denominator = r * ea_f_value + ea_m_value
    if denominator == 0:
        raise IndexInputError(
            "ea_m",
            _("Isian “{field}” dan ea_f keduanya 0: sumbangan pendapatan tidak dapat dihitung.").format(
                field="ea_m"
            ),
        )
    s_f = r * ea_f_value / denominator
    return ExpenditureBySex(s_f, p_value * s_f / n_f_value, p_value * (1 - s_f) / (1 - n_f_value))


# IDG.


def edep(n_f: float, n_m: float, x_f: float, x_m: float) -> float:
    """Equally-distributed equivalent of x_f and x_m (ε = 2): 1 / (n_f/x_f + n_m/x_m); 0 if either is 0."""
    if x_f == 0 or x_m == 0:
        return 0.0
    return 1 / (n_f / x_f + n_m / x_m)


def idg(
    parlemen_p: Number,
    manajer_p: Number,
    sumbangan_pendapatan_p: Number,
    pengeluaran: Number,
    penduduk_p: Number,
    constants: IdgConstants = DEFAULT_IDG_CONSTANTS,
) -> IdgResult:
    """IDG from women's shares (percent) of parliament seats, of managers/professionals/administrators/
    technicians and of earned income (BPS "sumbangan pendapatan perempuan"), per-capita expenditure P (in
    the unit of `constants`) and women's share of the population (proportion); see the module docstring."""
    parlemen = _percent(parlemen_p, "parlemen_p")
    manajer = _percent(manajer_p, "manajer_p")
    s_f = _percent(sumbangan_pendapatan_p, "sumbangan_pendapatan_p") / 100
    p_value = _positive(pengeluaran, "pengeluaran")
    n_f = _strict_proportion(penduduk_p, "penduduk_p")
    n_m = 1 - n_f
    indeks_parlemen = edep(n_f, n_m, parlemen, 100 - parlemen) / 50
    indeks_manajer = edep(n_f, n_m, manajer, 100 - manajer) / 50
    income = Goalposts(constants.pendapatan_min, constants.pendapatan_maks)
    span = income.maximum - income.minimum
    index_f = (_clamp(p_value * s_f / n_f, income) - income.minimum) / span
    index_m = (_clamp(p_value * (1 - s_f) / n_m, income) - income.minimum) / span
    indeks_pendapatan = edep(n_f, n_m, index_f, index_m)
    raw = 100 * (indeks_parlemen + indeks_manajer + indeks_pendapatan) / 3
    return IdgResult(_rounded(raw, 2), raw, HITUNG, indeks_parlemen, indeks_manajer, indeks_pendapatan)


def idg_published(value: Number) -> IdgResult:
    """A published IDG (0–100) taken as data where its components are missing; `sumber` "publikasi"."""
    number = _percent(value, "idg")
    return IdgResult(_rounded(number, 2), number, PUBLIKASI)


# UNDP GDI.


def hdi_by_sex(le: Number, eys: Number, mys: Number, gni_pc: Number, sex: Sex) -> HdiResult:
    """HDI of one sex for the GDI (life-expectancy goalposts 22.5–87.5 female, 17.5–82.5 male)."""
    if sex == FEMALE:
        goalposts = LE_FEMALE
    elif sex == MALE:
        goalposts = LE_MALE
    else:
        raise IndexInputError(
            "sex", _("Jenis kelamin “{sex}” tidak dikenal: gunakan “female” atau “male”.").format(sex=sex)
        )
    le_value = min(_at_least(le, "le", goalposts.minimum), goalposts.maximum)
    eys_value = min(_non_negative(eys, "eys"), EYS_MAX)
    mys_value = min(_non_negative(mys, "mys"), MYS_MAX)
    gni_value = _clamp(_non_negative(gni_pc, "gni_pc"), GNI_PC)
    health = (le_value - goalposts.minimum) / (goalposts.maximum - goalposts.minimum)
    education = (eys_value / EYS_MAX + mys_value / MYS_MAX) / 2
    income = (math.log(gni_value) - math.log(GNI_PC.minimum)) / (
        math.log(GNI_PC.maximum) - math.log(GNI_PC.minimum)
    )
    raw = (health * education * income) ** (1 / 3)
    return HdiResult(_rounded(raw, 3), raw, health, education, income)


def _hdi_of(components: UndpComponents, sex: Sex) -> HdiResult:
    try:
        return hdi_by_sex(components.le, components.eys, components.mys, components.gni_pc, sex)
    except IndexInputError as exc:
        raise exc.within(sex) from None


def gdi(female: UndpComponents, male: UndpComponents) -> GdiResult:
    """GDI = HDI_f / HDI_m (UNDP); errors name the field as "female.le" etc."""
    hdi_f = _hdi_of(female, FEMALE)
    hdi_m = _hdi_of(male, MALE)
    if hdi_m.hdi_raw == 0:
        component = {0: "le", 1: "eys", 2: "gni_pc"}[
            [hdi_m.health_index, hdi_m.education_index, hdi_m.income_index].index(0)
        ]
        raise _zero_divisor(
            f"{MALE}.{component}",
            _(
                "Isian “{field}” berada di batas bawah metode sehingga HDI laki-laki 0: GDI tidak dapat "
                "dihitung."
            ),
        )
    raw = hdi_f.hdi_raw / hdi_m.hdi_raw
    return GdiResult(hdi_f, hdi_m, _rounded(raw, 3), raw)


# UNDP GII and BPS IKG.


class _Inequality(NamedTuple):
    raw: float
    g_f: float
    g_m: float
    harm: float
    g_fm: float


def _means(
    h: float, pr_f: float, pr_m: float, se_f: float, se_m: float, lf_f: float, lf_m: float
) -> tuple[float, float, float, float]:
    """G_F, G_M, HARM and G_FM of the GII formulas."""
    empowerment_f = math.sqrt(pr_f) * math.sqrt(se_f)
    empowerment_m = math.sqrt(pr_m) * math.sqrt(se_m)
    g_f = (h * empowerment_f * lf_f) ** (1 / 3)
    g_m = (empowerment_m * lf_m) ** (1 / 3)
    # A G that underflows to 0 takes the harmonic mean's limit, 0.
    harm = 2 / (1 / g_f + 1 / g_m) if g_f > 0 and g_m > 0 else 0.0
    g_fm = (((h + 1) / 2) * ((empowerment_f + empowerment_m) / 2) * ((lf_f + lf_m) / 2)) ** (1 / 3)
    return g_f, g_m, harm, g_fm


def _pair(female: float, male: float) -> tuple[float, float]:
    larger = max(female, male)
    return female / larger, male / larger


def _inequality(
    h: float, pr_f: float, pr_m: float, se_f: float, se_m: float, lf_f: float, lf_m: float
) -> _Inequality:
    """The GII formulas on shares in percent (parliament shares already floored at 0.1 %).

    The intermediate values are those of the formulas on proportions. The index itself does not change
    when both sexes' values of one indicator are multiplied by the same factor, so it is computed on each
    pair divided by its larger value: then no share, however small, underflows to 0 (1e-310 % for both
    sexes is still equality)."""
    g_f, g_m, harm, g_fm = _means(h, pr_f / 100, pr_m / 100, se_f / 100, se_m / 100, lf_f / 100, lf_m / 100)
    *_, harm_scaled, g_fm_scaled = _means(h, *_pair(pr_f, pr_m), *_pair(se_f, se_m), *_pair(lf_f, lf_m))
    raw = min(max(1 - harm_scaled / g_fm_scaled, 0.0), 1.0) if g_fm_scaled > 0 else 1.0
    return _Inequality(raw, g_f, g_m, harm, g_fm)


def _parliament(value: Number, field: str) -> float:
    """A parliament share in percent; exactly 0 % becomes 0.1 %."""
    number = _percent(value, field)
    return number if number > 0 else PARLEMEN_MIN_PERSEN


def gii(
    mmr: Number,
    abr: Number,
    pr_f: Number,
    pr_m: Number,
    se_f: Number,
    se_m: Number,
    lfpr_f: Number,
    lfpr_m: Number,
) -> GiiResult:
    """GII (UNDP) from MMR (per 100 000 live births), ABR (per 1 000 women 15–19) and shares in percent:
    parliament seats (PR), population 25+ with some secondary education (SE), labour force participation."""
    mmr_value = _clamp(_non_negative(mmr, "mmr"), MMR)
    abr_value = _positive(abr, "abr")
    shares = (
        _parliament(pr_f, "pr_f"),
        _parliament(pr_m, "pr_m"),
        _positive(_percent(se_f, "se_f"), "se_f"),
        _positive(_percent(se_m, "se_m"), "se_m"),
        _positive(_percent(lfpr_f, "lfpr_f"), "lfpr_f"),
        _positive(_percent(lfpr_m, "lfpr_m"), "lfpr_m"),
    )
    h = math.sqrt((10 / mmr_value) * (1 / abr_value))
    result = _inequality(h, *shares)
    return GiiResult(_rounded(result.raw, 3), result.raw, h, result.g_f, result.g_m, result.harm, result.g_fm)


def ikg(
    mtf: Number,
    mhpk20: Number,
    legislatif_l: Number,
    legislatif_p: Number,
    sma_l: Number,
    sma_p: Number,
    tpak_l: Number,
    tpak_p: Number,
) -> IkgResult:
    """IKG (BPS) from MTF and MHPK20 (proportions) and, in percent by sex, DPRD seats, population 25+
    with at least SMA, and TPAK."""
    mtf_value = _proportion(mtf, "mtf")
    mhpk20_value = _proportion(mhpk20, "mhpk20")
    for field, value in (("mtf", mtf_value), ("mhpk20", mhpk20_value * mtf_value)):
        if value == 0:
            raise IndexInputError(
                field,
                _(
                    "Isian “{field}” membuat hasil kali MTF dan MHPK20 bernilai 0: dimensi kesehatan "
                    "reproduksi (h) tidak dapat dihitung."
                ).format(field=field),
            )
    shares = (
        _parliament(legislatif_p, "legislatif_p"),
        _parliament(legislatif_l, "legislatif_l"),
        _positive(_percent(sma_p, "sma_p"), "sma_p"),
        _positive(_percent(sma_l, "sma_l"), "sma_l"),
        _positive(_percent(tpak_p, "tpak_p"), "tpak_p"),
        _positive(_percent(tpak_l, "tpak_l"), "tpak_l"),
    )
    h = math.sqrt(IKG_H_ACUAN / (mtf_value * mhpk20_value))
    result = _inequality(h, *shares)
    return IkgResult(_rounded(result.raw, 3), result.raw, h, result.g_f, result.g_m, result.harm, result.g_fm)
