"""Early warning: after quarter q, project indicators and budgets to December and flag the ones at risk.

Pure: frozen dataclasses in, frozen dataclasses out; no database. Capaian and predikat follow
`monitoring.achievement` (Permendagri 86/2017).

Input
- `IndicatorProgress`: an indicator with its annual target, polaritas, agregasi and the values reported for
  triwulan I-IV (None = not reported). As in e-Monev, a kumulatif quarter holds the quarter's own amount;
  otherwise the value at the end of the quarter.
- `BudgetProgress`: a sub-kegiatan's pagu and the money spent in each quarter (None = not reported).

Projection to the end of the year, from the quarters 1..q only
- kumulatif indicator: the sum so far divided by the share of the year's amount expected by quarter q
  (`pola_kumulatif`, default linear 25/50/75/100 %, i.e. sum * 4 / q);
- akhir_periode indicator: the last reported value (a condition carries over to December);
- rata_rata indicator: the mean of the reported quarters;
- budget: the spending so far divided by the share of the pagu a typical year has spent by quarter q
  (`pola_anggaran`, default S-curve 15/40/70/100 %). Regional spending is back-loaded: the first months go
  to DPA preparation and procurement (tenders), contracts are paid on progress or completion, and payment
  requests pile up before the books close in December. A linear pace (*4/q) would flag nearly every
  sub-kegiatan after triwulan I (15 % spent reads as 60 % by December), so the S-curve is the yardstick;
  the linear projection is kept beside it for comparison. Both curves are parameters; in triwulan IV both
  shares are 100 % and the projection is the actual value.
  A kumulatif indicator or a budget with a passed quarter unreported has no projection: the gap would read
  as 0 and understate the pace (the missing report is flagged instead).
Indicator projections are rounded to 4 decimals and serapan to 2 (ROUND_HALF_UP) before they are judged.

Rules (code: severity; `Severity`: kritis > waspada > perhatian)
1. belum_melapor (indicators and budgets): a quarter from I to q without a report. kritis when nothing was
   reported for I..q, waspada when only some quarters are missing; names the quarters.
2. capaian_proyeksi_rendah (indicators): the projection's capaian against the annual target is below
   "Tinggi" (76). kritis for a Sangat Rendah projection (< 51), waspada for Rendah (51-66), perhatian for
   Sedang (66-76). A target of 0 gives no capaian and no warning.
3. serapan_proyeksi_rendah (budgets): projected serapan below `ambang_serapan` (default 90 %). kritis when
   more than 30 points below it, waspada when more than 15 points below, perhatian otherwise.
4. melebihi_pagu (budgets, kritis): the money spent so far already exceeds the pagu.
An item can have several warnings (e.g. a missing quarter and a low projection from the other quarters).
`warnings_for` returns them sorted by severity, then in input order (indicators before budgets).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from itertools import pairwise

from django.utils.translation import gettext as _

from rencana.core.numbers import format_angka, format_rupiah
from rencana.monitoring.achievement import (
    AKHIR_PERIODE,
    BATAS_TINGGI,
    KUMULATIF,
    RENDAH,
    SANGAT_RENDAH,
    SEDANG,
    Capaian,
    absorption,
    capaian,
    normalize_agregasi,
    normalize_polaritas,
    persen,
    predikat_label,
)

QUARTERS = 4
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
ZERO = Decimal(0)
HUNDRED = Decimal(100)
PROJECTION_STEP = Decimal("0.0001")
CENT = Decimal("0.01")
_PRECISION = 50

LINEAR_CURVE: tuple[Decimal, ...] = (Decimal(25), Decimal(50), Decimal(75), Decimal(100))
DEFAULT_SPENDING_CURVE: tuple[Decimal, ...] = (Decimal(15), Decimal(40), Decimal(70), Decimal(100))
DEFAULT_ABSORPTION_THRESHOLD = Decimal(90)
# Projected serapan this many points or more below the threshold is kritis / waspada.
KRITIS_GAP = Decimal(30)
WASPADA_GAP = Decimal(15)

INDIKATOR = "indikator"
ANGGARAN = "anggaran"


class Severity(StrEnum):
    KRITIS = "kritis"
    WASPADA = "waspada"
    PERHATIAN = "perhatian"


SEVERITY_RANK = {Severity.KRITIS: 0, Severity.WASPADA: 1, Severity.PERHATIAN: 2}

# Severity of a projection whose predikat is below Tinggi; Tinggi and Sangat Tinggi are on track.
PREDIKAT_SEVERITY = {
    SANGAT_RENDAH: Severity.KRITIS,
    RENDAH: Severity.WASPADA,
    SEDANG: Severity.PERHATIAN,
}


def severity_label(severity: Severity) -> str:
    labels = {
        Severity.KRITIS: _("Kritis"),
        Severity.WASPADA: _("Waspada"),
        Severity.PERHATIAN: _("Perhatian"),
    }
    return labels[severity]


# --- input ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorProgress:
    id: int
    nama: str
    target: Decimal  # the annual target
    polaritas: str  # "positif" | "negatif"
    agregasi: str  # "kumulatif" | "akhir_periode" | "rata_rata"
    triwulan: tuple[Decimal | None, ...]  # reported values for triwulan I..IV (None = not reported)
    satuan: str = ""


@dataclass(frozen=True)
class BudgetProgress:
    id: int
    nama: str
    pagu: Decimal
    triwulan: tuple[Decimal | None, ...]  # money spent in triwulan I..IV (None = not reported)


# --- output -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorProjection:
    indikator: IndicatorProgress
    triwulan: int  # the last quarter counted (q)
    belum_melapor: tuple[int, ...]  # quarters 1..q without a report
    sejauh_ini: Decimal | None  # the annual rule over the quarters reported so far (sum, last or mean)
    porsi: Decimal | None  # kumulatif: the share of the year expected by quarter q (percent)
    proyeksi: Decimal | None  # projected end-of-year value, 4 decimals; None when it cannot be projected
    capaian: Capaian | None  # of the projection against the target; None without a projection


@dataclass(frozen=True)
class BudgetProjection:
    anggaran: BudgetProgress
    triwulan: int
    belum_melapor: tuple[int, ...]
    realisasi: Decimal  # money spent in the reported quarters 1..q
    serapan: Decimal | None  # realisasi / pagu so far, percent; None when pagu is 0
    porsi: Decimal  # the share of the pagu a typical year has spent by quarter q (percent)
    proyeksi_serapan: Decimal | None  # projected serapan by the spending curve; None when not projectable
    proyeksi_linear: Decimal | None  # projected serapan at a linear pace, for comparison


@dataclass(frozen=True)
class EarlyWarning:
    objek: str  # INDIKATOR | ANGGARAN
    id: int
    nama: str
    aturan: str  # rule code, see the module docstring
    tingkat: Severity
    alasan: str  # Indonesian, naming the numbers
    proyeksi: Decimal | None = None  # indicator: projected value; budget: projected serapan (percent)
    capaian_proyeksi: Decimal | None = None  # indicator only
    predikat_proyeksi: str | None = None  # indicator only


# --- helpers ----------------------------------------------------------------------------------------


def _check_quarter(quarter: int) -> None:
    if isinstance(quarter, bool) or not isinstance(quarter, int) or not 1 <= quarter <= QUARTERS:
        raise ValueError(_("Triwulan harus 1 sampai 4, bukan %(triwulan)s.") % {"triwulan": quarter})


def _check_curve(curve: Sequence[Decimal]) -> None:
    values = list(curve)
    ok = (
        len(values) == QUARTERS
        and all(isinstance(v, Decimal) and v.is_finite() for v in values)
        and values[0] > 0
        and all(a < b for a, b in pairwise(values))
        and values[-1] == HUNDRED
    )
    if not ok:
        raise ValueError(
            _(
                "Pola triwulan harus empat persen yang naik, lebih dari 0 dan berakhir di 100, "
                "mis. 15, 40, 70, 100."
            )
        )


def _passed(values: Sequence[Decimal | None], quarter: int) -> list[Decimal | None]:
    """The values of quarters 1..quarter; a missing entry is None."""
    return [values[i] if i < len(values) else None for i in range(quarter)]


def _roman(quarters: Sequence[int]) -> str:
    return ", ".join(ROMAN[q] for q in quarters)


def _angka(value: Decimal) -> str:
    """A value in Indonesian notation with at most 4 decimals and no trailing zeros: "1.234,5"."""
    exponent = value.normalize().as_tuple().exponent
    decimals = min(4, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    return format_angka(value, decimals)


def _rupiah(value: Decimal) -> str:
    return format_rupiah(value, 0 if value == value.to_integral_value() else 2)


def _project(value: Decimal, porsi: Decimal, step: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = max(_PRECISION, value.adjusted() + 10)
        return (value * HUNDRED / porsi).quantize(step, rounding=ROUND_HALF_UP)


# --- projections ------------------------------------------------------------------------------------


def project_indicator(
    indicator: IndicatorProgress, quarter: int, pola_kumulatif: Sequence[Decimal] = LINEAR_CURVE
) -> IndicatorProjection:
    """The end-of-year projection of one indicator after `quarter` (method in the module docstring)."""
    _check_quarter(quarter)
    _check_curve(pola_kumulatif)
    rule = normalize_agregasi(indicator.agregasi)
    normalize_polaritas(indicator.polaritas)
    values = _passed(indicator.triwulan, quarter)
    missing = tuple(i + 1 for i, value in enumerate(values) if value is None)
    reported = [value for value in values if value is not None]
    for value in reported:
        if not value.is_finite() or value < 0:
            raise ValueError(_("Nilai realisasi indikator “%(nama)s” tidak sah.") % {"nama": indicator.nama})
    sejauh_ini: Decimal | None = None
    porsi: Decimal | None = None
    proyeksi: Decimal | None = None
    if reported:
        if rule == KUMULATIF:
            sejauh_ini = sum(reported, ZERO)
            porsi = pola_kumulatif[quarter - 1]
            if not missing:
                proyeksi = _project(sejauh_ini, porsi, PROJECTION_STEP)
        elif rule == AKHIR_PERIODE:
            sejauh_ini = reported[-1]
            proyeksi = sejauh_ini.quantize(PROJECTION_STEP, rounding=ROUND_HALF_UP)
        else:
            with localcontext() as ctx:
                ctx.prec = _PRECISION
                sejauh_ini = sum(reported, ZERO) / len(reported)
            proyeksi = sejauh_ini.quantize(PROJECTION_STEP, rounding=ROUND_HALF_UP)
    hasil = None if proyeksi is None else capaian(indicator.target, proyeksi, indicator.polaritas)
    return IndicatorProjection(
        indikator=indicator,
        triwulan=quarter,
        belum_melapor=missing,
        sejauh_ini=sejauh_ini,
        porsi=porsi,
        proyeksi=proyeksi,
        capaian=hasil,
    )


def project_budget(
    budget: BudgetProgress, quarter: int, pola_anggaran: Sequence[Decimal] = DEFAULT_SPENDING_CURVE
) -> BudgetProjection:
    """The end-of-year serapan projection of one sub-kegiatan's budget after `quarter`."""
    _check_quarter(quarter)
    _check_curve(pola_anggaran)
    values = _passed(budget.triwulan, quarter)
    missing = tuple(i + 1 for i, value in enumerate(values) if value is None)
    reported = [value for value in values if value is not None]
    for value in reported:
        if not value.is_finite() or value < 0:
            raise ValueError(_("Realisasi anggaran “%(nama)s” tidak sah.") % {"nama": budget.nama})
    realisasi = sum(reported, ZERO)
    serapan = absorption(realisasi, budget.pagu)
    porsi = pola_anggaran[quarter - 1]
    proyeksi: Decimal | None = None
    linear: Decimal | None = None
    if serapan is not None and reported and not missing:
        with localcontext() as ctx:
            ctx.prec = max(_PRECISION, realisasi.adjusted() - budget.pagu.adjusted() + 10)
            exact = realisasi * HUNDRED / budget.pagu
        proyeksi = _project(exact, porsi, CENT)
        linear = _project(exact, LINEAR_CURVE[quarter - 1], CENT)
    return BudgetProjection(
        anggaran=budget,
        triwulan=quarter,
        belum_melapor=missing,
        realisasi=realisasi,
        serapan=serapan,
        porsi=porsi,
        proyeksi_serapan=proyeksi,
        proyeksi_linear=linear,
    )


# --- warnings ---------------------------------------------------------------------------------------


def _missing_warning(objek: str, id_: int, nama: str, missing: tuple[int, ...], quarter: int) -> EarlyWarning:
    tingkat = Severity.KRITIS if len(missing) == quarter else Severity.WASPADA
    alasan = _(
        "Belum melapor untuk triwulan %(triwulan)s; laporan s.d. triwulan %(sampai)s sudah jatuh tempo."
    ) % {
        "triwulan": _roman(missing),
        "sampai": ROMAN[quarter],
    }
    return EarlyWarning(objek, id_, nama, "belum_melapor", tingkat, alasan)


def _method(projection: IndicatorProjection) -> str:
    rule = normalize_agregasi(projection.indikator.agregasi)
    quarter = projection.triwulan
    sejauh_ini = projection.sejauh_ini if projection.sejauh_ini is not None else ZERO
    if rule == KUMULATIF:
        return _("jumlah s.d. triwulan %(triwulan)s %(sejauh)s dibagi porsi yang diharapkan %(porsi)s") % {
            "triwulan": ROMAN[quarter],
            "sejauh": _angka(sejauh_ini),
            "porsi": persen(projection.porsi),
        }
    if rule == AKHIR_PERIODE:
        return _("nilai terakhir yang dilaporkan")
    reported = quarter - len(projection.belum_melapor)
    return _("rata-rata %(jumlah)d triwulan yang dilaporkan") % {"jumlah": reported}


def indicator_warnings(projection: IndicatorProjection) -> list[EarlyWarning]:
    indicator = projection.indikator
    found: list[EarlyWarning] = []
    if projection.belum_melapor:
        found.append(
            _missing_warning(
                INDIKATOR, indicator.id, indicator.nama, projection.belum_melapor, projection.triwulan
            )
        )
    hasil = projection.capaian
    if projection.proyeksi is None or hasil is None or hasil.capaian is None or hasil.predikat is None:
        return found
    tingkat = PREDIKAT_SEVERITY.get(hasil.predikat)
    if tingkat is None:
        return found
    satuan = f" {indicator.satuan.strip()}" if indicator.satuan.strip() else ""
    alasan = _(
        "Proyeksi akhir tahun %(proyeksi)s (%(metode)s) terhadap target %(target)s: capaian %(capaian)s, "
        "predikat %(predikat)s, di bawah batas %(batas)s (predikat Tinggi)."
    ) % {
        "proyeksi": _angka(projection.proyeksi) + satuan,
        "metode": _method(projection),
        "target": _angka(indicator.target) + satuan,
        "capaian": persen(hasil.capaian),
        "predikat": predikat_label(hasil.predikat),
        "batas": persen(BATAS_TINGGI),
    }
    found.append(
        EarlyWarning(
            INDIKATOR,
            indicator.id,
            indicator.nama,
            "capaian_proyeksi_rendah",
            tingkat,
            alasan,
            proyeksi=projection.proyeksi,
            capaian_proyeksi=hasil.capaian,
            predikat_proyeksi=hasil.predikat,
        )
    )
    return found


def budget_warnings(
    projection: BudgetProjection, ambang_serapan: Decimal = DEFAULT_ABSORPTION_THRESHOLD
) -> list[EarlyWarning]:
    budget = projection.anggaran
    found: list[EarlyWarning] = []
    if projection.belum_melapor:
        found.append(
            _missing_warning(ANGGARAN, budget.id, budget.nama, projection.belum_melapor, projection.triwulan)
        )
    values = {
        "triwulan": ROMAN[projection.triwulan],
        "realisasi": _rupiah(projection.realisasi),
        "pagu": _rupiah(budget.pagu),
        "serapan": persen(projection.serapan),
    }
    if projection.realisasi > budget.pagu:
        alasan = (
            _(
                "Realisasi anggaran s.d. triwulan %(triwulan)s %(realisasi)s melebihi pagu %(pagu)s "
                "(serapan %(serapan)s)."
            )
            % values
        )
        found.append(
            EarlyWarning(
                ANGGARAN, budget.id, budget.nama, "melebihi_pagu", Severity.KRITIS, alasan, proyeksi=None
            )
        )
    proyeksi = projection.proyeksi_serapan
    if proyeksi is None or proyeksi >= ambang_serapan:
        return found
    gap = ambang_serapan - proyeksi
    tingkat = (
        Severity.KRITIS if gap > KRITIS_GAP else Severity.WASPADA if gap > WASPADA_GAP else Severity.PERHATIAN
    )
    alasan = _(
        "Realisasi anggaran s.d. triwulan %(triwulan)s %(realisasi)s dari pagu %(pagu)s "
        "(serapan %(serapan)s; pola normal %(porsi)s). Proyeksi serapan akhir tahun %(proyeksi)s "
        "(laju linear %(linear)s), di bawah ambang %(ambang)s."
    ) % {
        **values,
        "porsi": persen(projection.porsi),
        "proyeksi": persen(proyeksi),
        "linear": persen(projection.proyeksi_linear),
        "ambang": persen(ambang_serapan),
    }
    found.append(
        EarlyWarning(
            ANGGARAN, budget.id, budget.nama, "serapan_proyeksi_rendah", tingkat, alasan, proyeksi=proyeksi
        )
    )
    return found


def warnings_for(
    quarter: int,
    indicators: Sequence[IndicatorProgress] = (),
    budgets: Sequence[BudgetProgress] = (),
    *,
    ambang_serapan: Decimal = DEFAULT_ABSORPTION_THRESHOLD,
    pola_kumulatif: Sequence[Decimal] = LINEAR_CURVE,
    pola_anggaran: Sequence[Decimal] = DEFAULT_SPENDING_CURVE,
) -> list[EarlyWarning]:
    """Every warning after `quarter`, sorted by severity, then input order (indicators first)."""
    _check_quarter(quarter)
    if not isinstance(ambang_serapan, Decimal) or not ambang_serapan.is_finite() or ambang_serapan <= 0:
        raise ValueError(_("Ambang serapan harus angka lebih dari 0."))
    found: list[EarlyWarning] = []
    for indicator in indicators:
        found.extend(indicator_warnings(project_indicator(indicator, quarter, pola_kumulatif)))
    for budget in budgets:
        found.extend(budget_warnings(project_budget(budget, quarter, pola_anggaran), ambang_serapan))
    return sorted(found, key=lambda warning: SEVERITY_RANK[warning.tingkat])
