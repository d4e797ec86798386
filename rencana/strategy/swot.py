"""SWOT analysis by the IFAS/EFAS method (Rangkuti, *Analisis SWOT: Teknik Membedah Kasus Bisnis*).

Pure: factors in, frozen dataclasses out; Decimal arithmetic, no database. The SWOT pages and
`rencana calc swot` (`strategy.calculators`) use these rules; the workshop arithmetic that produces the
weights and ratings lives in `strategy.workshop`.

Terms
- *Faktor*: one statement of the analysis with its *jenis*: S kekuatan (strength), W kelemahan
  (weakness), O peluang (opportunity), T ancaman (threat); a *kode* (S1, W2, ...) unique in the analysis.
- *IFAS* (internal factor analysis summary) holds the S and W factors, *EFAS* (external) the O and T
  factors. In each matrix the *bobot* (weight) of a factor is a number from 0 to 1 and the weights sum to
  1,00; a sum off by more than 0,005 (`WEIGHT_TOLERANCE`) is refused.
- *Rating*: an integer 1-4. Strengths and opportunities: 4 = very strong/large. Weaknesses and threats
  are rated so that a severe one gets 1.
- *Skor* = bobot x rating; a matrix *total* is the sum of its scores (between 1,0 and 4,0).
- *Diagram*: x = sum of S scores - sum of W scores, y = sum of O scores - sum of T scores.
  Quadrant I (x > 0, y > 0) agresif, favours the SO cell of the TOWS matrix; II (x > 0, y < 0)
  diversifikasi (ST); III (x < 0, y > 0) turn-around (WO); IV (x < 0, y < 0) defensif (WT). A point on
  an axis names both neighbouring quadrants ("I/III" on the positive y axis), the origin all four.
- *IE matrix* (internal-external): the IFAS total picks the column, strong >= 3,0, average >= 2,0, weak
  below; the EFAS total picks the row, high >= 3,0, medium >= 2,0, low below. Cells I-IX are numbered
  row by row from (high, strong). I, II, IV: grow and build (tumbuh dan bina); III, V, VII: hold and
  maintain (pertahankan dan pelihara); VI, VIII, IX: harvest or divest (panen atau divestasi).

Rounding: scores, sums, x and y are exact Decimals; the published figures (`result_json`) are rounded to
2 decimals ROUND_HALF_UP at the end. The quadrant and the IE cell are read from those rounded figures
(as `monitoring.achievement` bands a rounded capaian), so what is shown always agrees with the
classification: an x of 0,004 is shown as 0,00 and lies on the axis.

Validation (`validate`) reports every problem at once, each naming its factor (or the matrix), so a
form or `rencana calc swot` can show the whole list: unknown jenis, empty statement, empty or duplicate
kode, bobot missing / not a number / negative / above 1, rating not an integer 1-4, an empty matrix, and
weights of a matrix not summing to 1,00 (+-0,005). Values are checked at run time whatever their type,
because they come from forms, CSV files and JSON.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from rencana.core.numbers import format_angka, show_text

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
WEIGHT_TOLERANCE = Decimal("0.005")
RATING_MIN = 1
RATING_MAX = 4
IE_STRONG = Decimal("3.0")  # IFAS total from here on: strong column; EFAS total: high row
IE_AVERAGE = Decimal("2.0")  # from here on: average column / medium row
_PRECISION = 50

IFAS = "IFAS"
EFAS = "EFAS"


class Jenis(StrEnum):
    """The four kinds of factor; IFAS holds S and W, EFAS holds O and T."""

    S = "S"
    W = "W"
    O = "O"  # noqa: E741
    T = "T"

    @property
    def label(self) -> str:
        labels = {
            Jenis.S: _("Kekuatan"),
            Jenis.W: _("Kelemahan"),
            Jenis.O: _("Peluang"),
            Jenis.T: _("Ancaman"),
        }
        return labels[self]

    @property
    def matrix(self) -> str:
        return IFAS if self in (Jenis.S, Jenis.W) else EFAS


@dataclass(frozen=True)
class Factor:
    jenis: str  # "S", "W", "O" or "T" (case and spaces ignored)
    kode: str  # unique in the analysis, e.g. "S1"
    faktor: str  # the statement
    bobot: Decimal | None  # weight 0-1 within its matrix; None when not filled in (a problem)
    rating: int | None  # 1-4; None when not filled in (a problem)


@dataclass(frozen=True)
class Problem:
    kode: str  # the factor's kode, "IFAS"/"EFAS" for a matrix, "" when the factor has no kode
    kolom: str  # the field at fault: jenis, kode, faktor, bobot, rating
    pesan: str  # one Indonesian sentence naming the factor


class SwotInputError(ValueError):
    """The factors cannot be computed; `problems` lists every reason, `message` joins them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        self.message = " ".join(problem.pesan for problem in self.problems)
        super().__init__(self.message)


@dataclass(frozen=True)
class ScoredFactor:
    jenis: Jenis
    kode: str
    faktor: str
    bobot: Decimal
    rating: int
    skor: Decimal  # bobot x rating, exact


@dataclass(frozen=True)
class Ifas:
    strength_score: Decimal
    weakness_score: Decimal
    total: Decimal
    weights_sum: Decimal


@dataclass(frozen=True)
class Efas:
    opportunity_score: Decimal
    threat_score: Decimal
    total: Decimal
    weights_sum: Decimal


@dataclass(frozen=True)
class Quadrant:
    code: str  # "I" ... "IV", or "I/III" etc. on an axis, "I/II/III/IV" at the origin
    strategy: str  # "agresif (SO)"; on an axis "agresif (SO) / turn-around (WO)"
    tows: tuple[str, ...]  # the TOWS cells it favours: ("SO",), ("SO", "WO"), ...


@dataclass(frozen=True)
class IeCell:
    cell: str  # "I" ... "IX"
    row: str  # EFAS: "high", "medium", "low"
    column: str  # IFAS: "strong", "average", "weak"
    strategy: str  # "grow and build", "hold and maintain", "harvest or divest"
    strategi: str  # the same in Indonesian: "tumbuh dan bina", ...


@dataclass(frozen=True)
class SwotResult:
    factors: tuple[ScoredFactor, ...]
    ifas: Ifas
    efas: Efas
    x: Decimal  # sum S - sum W, exact
    y: Decimal  # sum O - sum T, exact
    quadrant: str
    quadrant_strategy: str
    tows: tuple[str, ...]
    ie_matrix_cell: str
    ie_strategy: str
    ie_strategi: str


# Quadrant -> (strategy name, favoured TOWS cell). The names are data and stay Indonesian.
QUADRANTS: dict[str, tuple[str, str]] = {
    "I": ("agresif", "SO"),
    "II": ("diversifikasi", "ST"),
    "III": ("turn-around", "WO"),
    "IV": ("defensif", "WT"),
}

IE_ROWS = ("high", "medium", "low")
IE_COLUMNS = ("strong", "average", "weak")
IE_CELLS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
GROW = "grow and build"
HOLD = "hold and maintain"
HARVEST = "harvest or divest"
IE_STRATEGY: dict[str, str] = {
    "I": GROW,
    "II": GROW,
    "IV": GROW,
    "III": HOLD,
    "V": HOLD,
    "VII": HOLD,
    "VI": HARVEST,
    "VIII": HARVEST,
    "IX": HARVEST,
}
IE_STRATEGI: dict[str, str] = {
    GROW: "tumbuh dan bina",
    HOLD: "pertahankan dan pelihara",
    HARVEST: "panen atau divestasi",
}


def round2(value: Decimal) -> Decimal:
    """`value` rounded ROUND_HALF_UP to 2 decimals, exact however large it is."""
    with localcontext() as ctx:
        ctx.prec = max(_PRECISION, value.adjusted() + 4)
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _sign(value: Decimal) -> int:
    return 0 if value == 0 else (1 if value > 0 else -1)


def quadrant(x: Decimal, y: Decimal) -> Quadrant:
    """The diagram quadrant of (x, y), both rounded to 2 decimals first (idempotent on rounded values)."""
    sx, sy = _sign(round2(x)), _sign(round2(y))
    xs = (1, -1) if sx == 0 else (sx,)
    ys = (1, -1) if sy == 0 else (sy,)
    by_signs = {(1, 1): "I", (1, -1): "II", (-1, 1): "III", (-1, -1): "IV"}
    codes = sorted({by_signs[(a, b)] for a in xs for b in ys}, key=list(QUADRANTS).index)
    return Quadrant(
        code="/".join(codes),
        strategy=" / ".join(f"{QUADRANTS[c][0]} ({QUADRANTS[c][1]})" for c in codes),
        tows=tuple(QUADRANTS[c][1] for c in codes),
    )


def quadrant_strategy_label(code: str) -> str:
    """The strategy of a quadrant code ("I", "I/III", ...) for people, in the active language."""
    names = {
        "agresif": _("agresif"),
        "diversifikasi": _("diversifikasi"),
        "turn-around": _("turn-around"),
        "defensif": _("defensif"),
    }
    return " / ".join(f"{names[QUADRANTS[c][0]]} ({QUADRANTS[c][1]})" for c in code.split("/"))


def _level(total: Decimal) -> int:
    rounded = round2(total)
    if rounded >= IE_STRONG:
        return 0
    if rounded >= IE_AVERAGE:
        return 1
    return 2


def ie_cell(ifas_total: Decimal, efas_total: Decimal) -> IeCell:
    """The IE matrix cell of the two totals, each rounded to 2 decimals first."""
    row, column = _level(efas_total), _level(ifas_total)
    cell = IE_CELLS[row * 3 + column]
    strategy = IE_STRATEGY[cell]
    return IeCell(cell, IE_ROWS[row], IE_COLUMNS[column], strategy, IE_STRATEGI[strategy])


def ie_strategy_label(cell: str) -> str:
    """The IE strategy of a cell for people, in the active language."""
    labels = {
        GROW: _("tumbuh dan bina"),
        HOLD: _("pertahankan dan pelihara"),
        HARVEST: _("panen atau divestasi"),
    }
    return labels[IE_STRATEGY[cell]]


# Validation


def show_value(value: Any) -> str:
    """A value from the user for a message: numbers in Indonesian notation, text quoted."""
    if value is None:
        return _("kosong")
    if isinstance(value, bool):
        return show_text(str(value).lower())
    if isinstance(value, int):
        return format_angka(value, 0)
    if isinstance(value, Decimal) and value.is_finite():
        return format_angka(value, _decimals_of(value))
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        return show_value(Decimal(repr(value)))
    return show_text(str(value))


def _decimals_of(value: Decimal, most: int = 6) -> int:
    exponent = value.as_tuple().exponent
    return min(most, -exponent) if isinstance(exponent, int) and exponent < 0 else 0


def show_sum(value: Decimal) -> str:
    """A weight sum for messages: 2 decimals, more (up to 4) when they matter ("0,996")."""
    return format_angka(value, max(2, _decimals_of(value.normalize(), most=4)))


def as_number(value: Any) -> Decimal | None:
    """`value` as a finite Decimal (Decimal, int or float, never bool), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        return number if number.is_finite() else None
    return None


def as_rating(value: Any) -> int | None:
    """`value` as an integer rating 1-4 (an int, or a whole Decimal such as 3.0), or None."""
    number = as_number(value)
    if number is None or number != number.to_integral_value():
        return None
    rating = int(number)
    return rating if RATING_MIN <= rating <= RATING_MAX else None


def as_jenis(value: Any) -> Jenis | None:
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    return Jenis(text) if text in Jenis.__members__ else None


def _name(factor: Factor, index: int) -> str:
    """How a message names the factor: its kode, or its position when it has none."""
    if isinstance(factor.kode, str) and factor.kode.strip():
        return factor.kode.strip()
    return _("ke-{nomor}").format(nomor=index + 1)


def _factor_problems(factor: Factor, index: int, seen: dict[str, int]) -> list[Problem]:
    name = _name(factor, index)
    kode = factor.kode.strip() if isinstance(factor.kode, str) else ""
    found: list[Problem] = []
    if factor.jenis is None or (isinstance(factor.jenis, str) and not factor.jenis.strip()):
        found.append(
            Problem(kode, "jenis", _("Faktor {kode}: jenis belum diisi (S, W, O atau T).").format(kode=name))
        )
    elif as_jenis(factor.jenis) is None:
        found.append(
            Problem(
                kode,
                "jenis",
                _("Faktor {kode}: jenis {jenis} tidak dikenal; gunakan S, W, O atau T.").format(
                    kode=name, jenis=show_value(factor.jenis)
                ),
            )
        )
    if factor.kode is not None and not isinstance(factor.kode, str):
        found.append(
            Problem(
                kode,
                "kode",
                _("Faktor {kode}: kode harus berupa teks, bukan {nilai}.").format(
                    kode=name, nilai=show_value(factor.kode)
                ),
            )
        )
    elif not kode:
        found.append(
            Problem(kode, "kode", _("Faktor {kode}: kode belum diisi (mis. S1, W2).").format(kode=name))
        )
    else:
        key = kode.upper()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2:
            found.append(
                Problem(kode, "kode", _("Kode {kode} dipakai oleh lebih dari satu faktor.").format(kode=kode))
            )
    if not isinstance(factor.faktor, str) or not factor.faktor.strip():
        found.append(Problem(kode, "faktor", _("Faktor {kode}: pernyataan faktor kosong.").format(kode=name)))
    found.extend(_bobot_problems(factor.bobot, kode, name))
    if factor.rating is None:
        found.append(Problem(kode, "rating", _("Faktor {kode}: rating belum diisi.").format(kode=name)))
    elif as_rating(factor.rating) is None:
        found.append(
            Problem(
                kode,
                "rating",
                _("Faktor {kode}: rating harus bilangan bulat 1–4, bukan {nilai}.").format(
                    kode=name, nilai=show_value(factor.rating)
                ),
            )
        )
    return found


def _bobot_problems(bobot: Any, kode: str, name: str) -> list[Problem]:
    if bobot is None:
        return [Problem(kode, "bobot", _("Faktor {kode}: bobot belum diisi.").format(kode=name))]
    number = as_number(bobot)
    if number is None:
        message = _("Faktor {kode}: bobot harus berupa angka, bukan {nilai}.")
    elif number < 0:
        message = _("Faktor {kode}: bobot tidak boleh negatif ({nilai}).")
    elif number > 1:
        message = _("Faktor {kode}: bobot harus antara 0 dan 1, bukan {nilai}.")
    else:
        return []
    return [Problem(kode, "bobot", message.format(kode=name, nilai=show_value(bobot)))]


def _matrix_problems(factors: Sequence[Factor]) -> list[Problem]:
    found: list[Problem] = []
    for matrix in (IFAS, EFAS):
        members = [f for f in factors if (j := as_jenis(f.jenis)) is not None and j.matrix == matrix]
        if not members:
            message = (
                _("Matriks IFAS kosong: belum ada faktor kekuatan (S) atau kelemahan (W).")
                if matrix == IFAS
                else _("Matriks EFAS kosong: belum ada faktor peluang (O) atau ancaman (T).")
            )
            found.append(Problem(matrix, "jenis", message))
            continue
        weights = [as_number(f.bobot) for f in members]
        if any(w is None for w in weights):
            continue  # the missing or unreadable weight is already reported; its sum would mislead
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            total = sum((w for w in weights if w is not None), ZERO)
        if abs(total - ONE) > WEIGHT_TOLERANCE:
            found.append(
                Problem(
                    matrix,
                    "bobot",
                    _("Bobot {matriks} berjumlah {jumlah}; harus 1,00 (±0,005).").format(
                        matriks=matrix, jumlah=show_sum(total)
                    ),
                )
            )
    return found


def validate(factors: Sequence[Factor]) -> list[Problem]:
    """Every problem of the factors, in input order, then those of each matrix; empty when all is well."""
    found: list[Problem] = []
    seen: dict[str, int] = {}
    for index, factor in enumerate(factors):
        found.extend(_factor_problems(factor, index, seen))
    found.extend(_matrix_problems(factors))
    return found


# Computation


def compute(factors: Sequence[Factor]) -> SwotResult:
    """IFAS, EFAS, diagram and IE matrix of the factors; `SwotInputError` lists every problem."""
    problems = validate(factors)
    if problems:
        raise SwotInputError(problems)
    scored: list[ScoredFactor] = []
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        for factor in factors:
            jenis = as_jenis(factor.jenis)
            bobot = as_number(factor.bobot)
            rating = as_rating(factor.rating)
            assert jenis is not None and bobot is not None and rating is not None  # validated above
            scored.append(
                ScoredFactor(
                    jenis=jenis,
                    kode=factor.kode.strip(),
                    faktor=factor.faktor.strip(),
                    bobot=bobot,
                    rating=rating,
                    skor=bobot * rating,
                )
            )

        def score(jenis: Jenis) -> Decimal:
            return sum((f.skor for f in scored if f.jenis == jenis), ZERO)

        def weights(*kinds: Jenis) -> Decimal:
            return sum((f.bobot for f in scored if f.jenis in kinds), ZERO)

        s, w, o, t = score(Jenis.S), score(Jenis.W), score(Jenis.O), score(Jenis.T)
        ifas = Ifas(s, w, s + w, weights(Jenis.S, Jenis.W))
        efas = Efas(o, t, o + t, weights(Jenis.O, Jenis.T))
        x, y = s - w, o - t
    where = quadrant(x, y)
    ie = ie_cell(ifas.total, efas.total)
    return SwotResult(
        factors=tuple(scored),
        ifas=ifas,
        efas=efas,
        x=x,
        y=y,
        quadrant=where.code,
        quadrant_strategy=where.strategy,
        tows=where.tows,
        ie_matrix_cell=ie.cell,
        ie_strategy=ie.strategy,
        ie_strategi=ie.strategi,
    )


def result_json(result: SwotResult) -> dict[str, Any]:
    """The published figures: the shape of the acceptance case, numbers rounded 2 decimals ROUND_HALF_UP."""
    return {
        "ifas": {
            "strength_score": round2(result.ifas.strength_score),
            "weakness_score": round2(result.ifas.weakness_score),
            "total": round2(result.ifas.total),
            "weights_sum": round2(result.ifas.weights_sum),
        },
        "efas": {
            "opportunity_score": round2(result.efas.opportunity_score),
            "threat_score": round2(result.efas.threat_score),
            "total": round2(result.efas.total),
            "weights_sum": round2(result.efas.weights_sum),
        },
        "x": round2(result.x),
        "y": round2(result.y),
        "quadrant": result.quadrant,
        "quadrant_strategy": result.quadrant_strategy,
        "ie_matrix_cell": result.ie_matrix_cell,
        "ie_strategy": result.ie_strategy,
    }
