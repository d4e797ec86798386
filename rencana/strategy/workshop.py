"""The arithmetic of a SWOT workshop: several participants score the same factors independently.

Pure: Decimal in, frozen dataclasses out; no database. The results feed `strategy.swot` (IFAS/EFAS).
Every function that decides a number also returns its `steps` or `notes`: Indonesian sentences a
facilitator can read out or print, so the final matrix can be explained.

Terms and rules
- *Sebaran* (`spread`): n, mean, median, population standard deviation, minimum, maximum, range and
  coefficient of variation (stdev / |mean|; None when the mean is 0) of what the participants gave one
  factor. No value: everything None; one value: stdev 0.
- *Perbedaan pendapat* (`disagreement`): "perlu dibahas" (to be discussed) when the ratings differ by
  `RATING_RANGE_PERLU_DIBAHAS` (2) points or more, or the weights' coefficient of variation is at least
  `BOBOT_CV_PERLU_DIBAHAS` (0,5); "beda tipis" (slight difference) from a rating range of 1 or a weight
  CV of 0,25 (`BOBOT_CV_BEDA_TIPIS`); otherwise "sepakat" (agreed).
- *Sisa terbesar* (largest remainder, Hamilton's method): shares are rounded to `decimals` places so
  that they sum to exactly 1. Each share is cut down to the rounding unit (0,01 for 2 decimals), then the
  units still missing go one each to the largest cut-off remainders, the earlier factor first when
  remainders tie. Remainders are compared at 12 decimals so that noise of the arithmetic cannot
  decide a tie.
- *Angka mentah* (`normalize_raw`): importance as any non-negative numbers (3, 2, 5); weight = value /
  sum, rounded by largest remainder. A negative number, or a sum of 0, is refused.
- *Perbandingan berpasangan* (`pairwise_weights`, AHP, Saaty, *The Analytic Hierarchy Process*, 1980):
  a judgement v for the pair (a, b) on Saaty's 1-9 scale says a is v times as important as b (1 equal,
  3 moderately, 5 strongly, 7 very strongly, 9 extremely more important; 1/v says the reverse, and the
  reverse pair is implied as 1/v). Judgements run from 1/9 (written 0,11 or more) to 9. Every pair
  must be judged. Priorities are the geometric means of the rows of the comparison matrix, normalized
  (then rounded by largest remainder). Consistency: λmax is the mean of (A.p)_i / p_i, CI =
  (λmax - n) / (n - 1), CR = CI / RI(n) with Saaty's random index `RANDOM_INDEX` (n up to 15);
  CR <= 0,10 is consistent; with n <= 2 the matrix is always consistent (CR 0).
- *Matriks akhir* (`final_scores`): per factor the participants' weights and ratings are aggregated by
  "median" or "mean"; participants who skipped a factor are left out of its statistics. The aggregate
  rating is rounded to an integer ROUND_HALF_UP (2,5 -> 3). The aggregate weights are normalized again
  within IFAS (S, W) and within EFAS (O, T) by largest remainder, so each matrix sums to 1,00.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from django.utils.translation import gettext as _

from rencana.core.numbers import format_angka
from rencana.strategy.swot import EFAS, IFAS, Factor, as_jenis, as_number, as_rating, show_value

ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)
_PRECISION = 50
REMAINDER_QUANTUM = Decimal("1e-12")

SEPAKAT = "sepakat"
BEDA_TIPIS = "beda tipis"
PERLU_DIBAHAS = "perlu dibahas"
RATING_RANGE_BEDA_TIPIS = 1
RATING_RANGE_PERLU_DIBAHAS = 2
BOBOT_CV_BEDA_TIPIS = Decimal("0.25")
BOBOT_CV_PERLU_DIBAHAS = Decimal("0.5")

MEDIAN = "median"
MEAN = "mean"
METHODS = (MEDIAN, MEAN)

SAATY_MIN = Decimal("0.11")  # 1/9 written to two decimals
SAATY_MAX = Decimal(9)
CR_LIMIT = Decimal("0.10")
# Saaty's random consistency index by matrix size (Saaty 1980; 11-15 from Saaty's later tables).
RANDOM_INDEX: dict[int, Decimal] = {
    1: ZERO,
    2: ZERO,
    3: Decimal("0.58"),
    4: Decimal("0.90"),
    5: Decimal("1.12"),
    6: Decimal("1.24"),
    7: Decimal("1.32"),
    8: Decimal("1.41"),
    9: Decimal("1.45"),
    10: Decimal("1.49"),
    11: Decimal("1.51"),
    12: Decimal("1.48"),
    13: Decimal("1.56"),
    14: Decimal("1.57"),
    15: Decimal("1.59"),
}


class WorkshopInputError(ValueError):
    """The workshop figures cannot be computed; `problems` lists every reason, `message` joins them."""

    def __init__(self, *problems: str) -> None:
        self.problems = tuple(problems)
        self.message = " ".join(problems)
        super().__init__(self.message)


@dataclass(frozen=True)
class Spread:
    n: int
    mean: Decimal | None
    median: Decimal | None
    stdev: Decimal | None  # population standard deviation
    minimum: Decimal | None
    maximum: Decimal | None
    range: Decimal | None
    cv: Decimal | None  # stdev / |mean|; None when the mean is 0


@dataclass(frozen=True)
class Disagreement:
    level: str  # SEPAKAT, BEDA_TIPIS, PERLU_DIBAHAS
    alasan: tuple[str, ...]  # Indonesian sentences, empty when agreed

    @property
    def perlu_dibahas(self) -> bool:
        return self.level == PERLU_DIBAHAS


@dataclass(frozen=True)
class Normalization:
    weights: dict[str, Decimal]
    total_raw: Decimal
    steps: list[str]


@dataclass(frozen=True)
class PairwiseResult:
    weights: dict[str, Decimal]
    consistency_ratio: Decimal  # unrounded; 0 for n <= 2
    consistent: bool
    steps: list[str]
    lambda_max: Decimal | None = None  # None for n <= 2
    consistency_index: Decimal | None = None


@dataclass(frozen=True)
class FinalFactor:
    kode: str
    jenis: str
    bobot: Decimal  # final weight, re-normalized within its matrix
    rating: int  # final rating 1-4
    bobot_agregat: Decimal  # median or mean of the participants' weights, unrounded
    rating_agregat: Decimal  # median or mean of the participants' ratings, unrounded
    bobot_spread: Spread
    rating_spread: Spread
    disagreement: Disagreement


@dataclass(frozen=True)
class FinalMatrix:
    method: str
    participants: int
    factors: tuple[FinalFactor, ...]
    notes: tuple[str, ...]

    @property
    def weights(self) -> dict[str, Decimal]:
        """Final weight per kode."""
        return {f.kode: f.bobot for f in self.factors}

    @property
    def ratings(self) -> dict[str, int]:
        """Final rating per kode."""
        return {f.kode: f.rating for f in self.factors}

    def swot_factors(self, statements: Mapping[str, str]) -> list[Factor]:
        """The final matrix as `swot.Factor`s, with the statement of each kode (the kode when missing)."""
        return [
            Factor(f.jenis, f.kode, statements.get(f.kode, f.kode), f.bobot, f.rating) for f in self.factors
        ]


def _angka(value: Decimal) -> str:
    """A number as the user gave it (its own decimals, at most 6) in Indonesian notation."""
    exponent = value.as_tuple().exponent
    decimals = min(6, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    return format_angka(value, decimals)


def _number(value: Any) -> Decimal:
    number = as_number(value)
    if number is None:
        raise WorkshopInputError(_("Nilai {nilai} bukan angka.").format(nilai=show_value(value)))
    return number


def _median(ordered: Sequence[Decimal]) -> Decimal:
    n = len(ordered)
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / TWO


def spread(values: Sequence[Decimal | int]) -> Spread:
    """Spread of one factor's values across participants (definitions in the module docstring)."""
    numbers = [_number(v) for v in values]
    n = len(numbers)
    if n == 0:
        return Spread(0, None, None, None, None, None, None, None)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        mean = sum(numbers, ZERO) / n
        median = _median(sorted(numbers))
        variance = sum(((v - mean) ** 2 for v in numbers), ZERO) / n
        stdev = variance.sqrt()
        minimum, maximum = min(numbers), max(numbers)
        cv = stdev / abs(mean) if mean != 0 else None
    return Spread(n, mean, median, stdev, minimum, maximum, maximum - minimum, cv)


def disagreement(rating: Spread | None = None, bobot: Spread | None = None) -> Disagreement:
    """How far participants disagree on one factor (thresholds in the module docstring)."""
    level = SEPAKAT
    alasan: list[str] = []
    if rating is not None and rating.range is not None and rating.range >= RATING_RANGE_BEDA_TIPIS:
        assert rating.minimum is not None and rating.maximum is not None
        alasan.append(
            _("Rating peserta berselisih {selisih} poin (dari {terendah} sampai {tertinggi}).").format(
                selisih=_angka(rating.range),
                terendah=_angka(rating.minimum),
                tertinggi=_angka(rating.maximum),
            )
        )
        level = PERLU_DIBAHAS if rating.range >= RATING_RANGE_PERLU_DIBAHAS else BEDA_TIPIS
    if bobot is not None and bobot.cv is not None and bobot.cv >= BOBOT_CV_BEDA_TIPIS:
        alasan.append(
            _("Bobot peserta beragam: koefisien variasi {cv}.").format(cv=format_angka(bobot.cv, 2))
        )
        if bobot.cv >= BOBOT_CV_PERLU_DIBAHAS:
            level = PERLU_DIBAHAS
        elif level == SEPAKAT:
            level = BEDA_TIPIS
    return Disagreement(level, tuple(alasan))


def disagreement_label(level: str) -> str:
    labels = {SEPAKAT: _("sepakat"), BEDA_TIPIS: _("beda tipis"), PERLU_DIBAHAS: _("perlu dibahas")}
    return labels.get(level, level)


# Largest-remainder rounding


def _check_decimals(decimals: int) -> Decimal:
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 10:
        raise WorkshopInputError(_("Jumlah desimal harus bilangan bulat 0–10."))
    return Decimal(1).scaleb(-decimals)


def largest_remainder(shares: Sequence[Decimal], decimals: int = 2) -> tuple[list[Decimal], list[bool]]:
    """`shares` (non-negative, summing to 1 up to arithmetic noise) rounded to `decimals` places so that
    they sum to exactly 1; the second list says which share received an extra unit."""
    unit = _check_decimals(decimals)
    units_total = 10**decimals
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        quotas = [(share * units_total).quantize(REMAINDER_QUANTUM, ROUND_HALF_EVEN) for share in shares]
        floors = [int(q.to_integral_value(ROUND_FLOOR)) for q in quotas]
        remainders = [q - f for q, f in zip(quotas, floors, strict=True)]
    missing = units_total - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-remainders[i], i))
    bumped = [False] * len(shares)
    for i in order[: max(missing, 0)]:
        floors[i] += 1
        bumped[i] = True
    return [(Decimal(f) * unit).quantize(unit) for f in floors], bumped


def _shares(values: Sequence[Decimal]) -> list[Decimal]:
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        total = sum(values, ZERO)
        return [value / total for value in values]


def normalize_raw(raw: Mapping[str, Decimal], decimals: int = 2) -> Normalization:
    """Weights from raw importance numbers: value / sum, rounded by largest remainder to sum exactly 1."""
    unit = _check_decimals(decimals)
    if not raw:
        raise WorkshopInputError(_("Belum ada angka mentah untuk dinormalkan."))
    values: dict[str, Decimal] = {}
    problems: list[str] = []
    for kode, value in raw.items():
        number = as_number(value)
        if number is None:
            problems.append(
                _("Angka mentah {kode} harus berupa angka, bukan {nilai}.").format(
                    kode=kode, nilai=show_value(value)
                )
            )
        elif number < 0:
            problems.append(
                _("Angka mentah {kode} tidak boleh negatif ({nilai}).").format(
                    kode=kode, nilai=_angka(number)
                )
            )
        else:
            values[kode] = number
    if problems:
        raise WorkshopInputError(*problems)
    total = sum(values.values(), ZERO)
    if total == 0:
        raise WorkshopInputError(
            _("Semua angka mentah bernilai 0: beri setidaknya satu faktor angka lebih dari 0.")
        )
    kodes = list(values)
    shares = _shares([values[k] for k in kodes])
    weights, bumped = largest_remainder(shares, decimals)
    steps = [
        _("Jumlah angka mentah = {rincian} = {jumlah}.").format(
            rincian=" + ".join(_angka(values[k]) for k in kodes), jumlah=_angka(total)
        )
    ]
    for kode, share, weight, up in zip(kodes, shares, weights, bumped, strict=True):
        steps.append(_share_step(kode, _angka(values[kode]), _angka(total), share, weight, up, decimals))
    steps.extend(_rounding_steps(kodes, bumped, unit, decimals))
    return Normalization(dict(zip(kodes, weights, strict=True)), total, steps)


def _share_step(
    kode: str, numerator: str, denominator: str, share: Decimal, weight: Decimal, up: bool, decimals: int
) -> str:
    values = {
        "kode": kode,
        "pembilang": numerator,
        "penyebut": denominator,
        "hasil": format_angka(share, decimals + 2),
        "bobot": format_angka(weight, decimals),
    }
    if share == weight:
        return _("{kode} = {pembilang} / {penyebut} = {bobot}").format(**values)
    if up:
        return _("{kode} = {pembilang} / {penyebut} ≈ {hasil}, dibulatkan ke atas menjadi {bobot}").format(
            **values
        )
    return _("{kode} = {pembilang} / {penyebut} ≈ {hasil}, dibulatkan menjadi {bobot}").format(**values)


def _rounding_steps(kodes: Sequence[str], bumped: Sequence[bool], unit: Decimal, decimals: int) -> list[str]:
    steps: list[str] = []
    extra = [k for k, up in zip(kodes, bumped, strict=True) if up]
    if extra:
        steps.append(
            _(
                "Pembulatan {desimal} desimal dengan metode sisa terbesar: tiap bobot dibulatkan ke bawah, "
                "lalu kekurangannya diberikan {satuan} per faktor kepada faktor dengan sisa pecahan "
                "terbesar ({kode})."
            ).format(desimal=decimals, satuan=format_angka(unit, decimals), kode=", ".join(extra))
        )
    steps.append(_("Jumlah bobot = {jumlah}.").format(jumlah=format_angka(ONE, decimals)))
    return steps


# Pairwise comparison (AHP)


def _saaty(value: Decimal) -> str:
    """A judgement for the steps: "3", "1/3", or the number with 2 decimals when it is neither."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        inverse = ONE / value
    for number, text in ((value, "{0}"), (inverse, "1/{0}")):
        whole = number.to_integral_value(ROUND_HALF_UP)
        if whole >= 1 and abs(number - whole) < Decimal("0.001"):
            return text.format(int(whole))
    return format_angka(value, 2)


def _pair_value(a: str, b: str, judgements: Mapping[tuple[str, str], Decimal]) -> tuple[Decimal | None, str]:
    """The judgement a over b, from (a, b) or implied by (b, a); a problem sentence when it is not usable."""
    forward, backward = judgements.get((a, b)), judgements.get((b, a))
    if forward is None and backward is None:
        return None, _("Pasangan ({a}, {b}) belum dinilai.").format(a=a, b=b)
    checked: list[Decimal] = []
    for pair, value in (((a, b), forward), ((b, a), backward)):
        if value is None:
            continue
        number = as_number(value)
        if number is None or not SAATY_MIN <= number <= SAATY_MAX:
            return None, _("Nilai pasangan ({a}, {b}) harus antara 1/9 dan 9, bukan {nilai}.").format(
                a=pair[0], b=pair[1], nilai=show_value(value)
            )
        checked.append(number)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        if len(checked) == 2 and abs(checked[0] * checked[1] - ONE) > Decimal("0.02"):
            return None, _(
                "Pasangan ({a}, {b}) dan ({b}, {a}) dinilai bertentangan: nilai yang satu harus kebalikan "
                "yang lain."
            ).format(a=a, b=b)
        return (checked[0] if forward is not None else ONE / checked[0]), ""


def _pairwise_matrix(
    kodes: Sequence[str], judgements: Mapping[tuple[str, str], Decimal]
) -> list[list[Decimal]]:
    problems: list[str] = []
    if not kodes:
        raise WorkshopInputError(_("Belum ada faktor untuk dibandingkan."))
    duplicates = sorted({k for k in kodes if list(kodes).count(k) > 1})
    if duplicates:
        problems.append(_("Kode faktor ganda: {kode}.").format(kode=", ".join(duplicates)))
    if len(kodes) > max(RANDOM_INDEX):
        problems.append(
            _("Perbandingan berpasangan paling banyak {n} faktor; pecah menjadi beberapa kelompok.").format(
                n=max(RANDOM_INDEX)
            )
        )
    known = set(kodes)
    for a, b in judgements:
        if a not in known or b not in known:
            problems.append(
                _("Pasangan ({a}, {b}) memuat kode yang tidak ada dalam daftar faktor.").format(a=a, b=b)
            )
        elif a == b and as_number(judgements[(a, b)]) != ONE:
            problems.append(_("Faktor {a} dibandingkan dengan dirinya sendiri harus bernilai 1.").format(a=a))
    if problems:
        raise WorkshopInputError(*problems)
    n = len(kodes)
    matrix = [[ONE] * n for _i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            value, problem = _pair_value(kodes[i], kodes[j], judgements)
            if value is None:
                problems.append(problem)
                continue
            with localcontext() as ctx:
                ctx.prec = _PRECISION
                matrix[i][j], matrix[j][i] = value, ONE / value
    if problems:
        raise WorkshopInputError(*problems)
    return matrix


def pairwise_weights(
    kodes: Sequence[str], judgements: Mapping[tuple[str, str], Decimal], decimals: int = 2
) -> PairwiseResult:
    """AHP weights of `kodes` from pairwise judgements, with Saaty's consistency ratio (module docstring)."""
    _check_decimals(decimals)
    matrix = _pairwise_matrix(kodes, judgements)
    n = len(kodes)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        means = [(sum((v.ln() for v in row), ZERO) / n).exp() for row in matrix]
        total = sum(means, ZERO)
        priorities = [g / total for g in means]
        weights, bumped = largest_remainder(priorities, decimals)
        steps = [
            _(
                "Matriks perbandingan berpasangan {n} x {n}: nilai v pada baris a, kolom b berarti a v kali "
                "lebih penting daripada b; sel kebalikannya 1/v."
            ).format(n=n)
        ]
        for kode, row, g in zip(kodes, matrix, means, strict=True):
            steps.append(
                _("Rata-rata geometrik baris {kode} = ({nilai})^(1/{n}) = {hasil}").format(
                    kode=kode,
                    nilai=" x ".join(_saaty(v) for v in row),
                    n=n,
                    hasil=format_angka(g, 4),
                )
            )
        for kode, g, p, weight, up in zip(kodes, means, priorities, weights, bumped, strict=True):
            steps.append(
                _share_step(kode, format_angka(g, 4), format_angka(total, 4), p, weight, up, decimals)
            )
        steps.extend(_rounding_steps(kodes, bumped, Decimal(1).scaleb(-decimals), decimals))
        if n <= 2:
            steps.append(_("Dengan {n} faktor matriks selalu konsisten (CR = 0).").format(n=n))
            return PairwiseResult(dict(zip(kodes, weights, strict=True)), ZERO, True, steps)
        weighted = [sum((a * p for a, p in zip(row, priorities, strict=True)), ZERO) for row in matrix]
        lambda_max = sum((w / p for w, p in zip(weighted, priorities, strict=True)), ZERO) / n
        ci = (lambda_max - n) / (n - 1)
        cr = ci / RANDOM_INDEX[n]
    consistent = cr <= CR_LIMIT
    values = {
        "lambda": format_angka(lambda_max, 3),
        "ci": format_angka(ci, 3),
        "n": n,
        "ri": format_angka(RANDOM_INDEX[n], 2),
        "cr": format_angka(cr, 3),
    }
    steps.append(
        _(
            "λmaks = {lambda}; CI = (λmaks - n) / (n - 1) = {ci}; RI (n = {n}) = {ri}; CR = CI / RI = {cr}."
        ).format(**values)
    )
    steps.append(
        _("CR paling tinggi 0,10: penilaian konsisten.")
        if consistent
        else _("CR lebih dari 0,10: penilaian tidak konsisten; tinjau kembali perbandingan berpasangan.")
    )
    return PairwiseResult(dict(zip(kodes, weights, strict=True)), cr, consistent, steps, lambda_max, ci)


# Final matrix of a workshop


def _method_name(method: str) -> str:
    return _("median") if method == MEDIAN else _("rata-rata")


def _aggregate(values: Sequence[Decimal], method: str) -> Decimal:
    stats = spread(values)
    result = stats.median if method == MEDIAN else stats.mean
    assert result is not None
    return result


def _participant_problems(
    participant_scores: Sequence[Mapping[str, tuple[Decimal, int]]], jenis_of: Mapping[str, str]
) -> list[str]:
    problems: list[str] = []
    for number, scores in enumerate(participant_scores, start=1):
        for kode, pair in scores.items():
            if kode not in jenis_of:
                problems.append(
                    _("Peserta {peserta}: faktor {kode} tidak ada dalam daftar faktor.").format(
                        peserta=number, kode=kode
                    )
                )
                continue
            bobot, rating = pair
            weight = as_number(bobot)
            if weight is None or not ZERO <= weight <= ONE:
                problems.append(
                    _(
                        "Peserta {peserta}, faktor {kode}: bobot harus angka 0 sampai 1, bukan {nilai}."
                    ).format(peserta=number, kode=kode, nilai=show_value(bobot))
                )
            if as_rating(rating) is None:
                problems.append(
                    _(
                        "Peserta {peserta}, faktor {kode}: rating harus bilangan bulat 1–4, bukan {nilai}."
                    ).format(peserta=number, kode=kode, nilai=show_value(rating))
                )
    return problems


def final_scores(
    participant_scores: Sequence[Mapping[str, tuple[Decimal, int]]],
    jenis_of: Mapping[str, str],
    method: str = MEDIAN,
    decimals: int = 2,
) -> FinalMatrix:
    """The final IFAS/EFAS weights and ratings from every participant's scores (module docstring).

    `participant_scores` holds one mapping per participant, kode -> (bobot, rating); `jenis_of` maps every
    factor's kode to its jenis (S, W, O, T) in the order the matrix lists them.
    """
    _check_decimals(decimals)
    problems: list[str] = []
    if method not in METHODS:
        problems.append(_("Metode {metode} tidak dikenal: gunakan median atau mean.").format(metode=method))
    if not participant_scores:
        problems.append(_("Belum ada penilaian peserta."))
    for kode, jenis in jenis_of.items():
        if as_jenis(jenis) is None:
            problems.append(
                _("Faktor {kode}: jenis {jenis} tidak dikenal; gunakan S, W, O atau T.").format(
                    kode=kode, jenis=show_value(jenis)
                )
            )
    problems.extend(_participant_problems(participant_scores, jenis_of))
    weights_of: dict[str, list[Decimal]] = {kode: [] for kode in jenis_of}
    ratings_of: dict[str, list[Decimal]] = {kode: [] for kode in jenis_of}
    for scores in participant_scores:
        for kode, (bobot, rating) in scores.items():
            weight, whole = as_number(bobot), as_rating(rating)
            if kode in jenis_of and weight is not None and whole is not None:
                weights_of[kode].append(weight)
                ratings_of[kode].append(Decimal(whole))
    if not problems:
        for kode in jenis_of:
            if not weights_of[kode]:
                problems.append(_("Faktor {kode} belum dinilai oleh peserta mana pun.").format(kode=kode))
    if problems:
        raise WorkshopInputError(*problems)

    count = len(participant_scores)
    notes = [
        _(
            "Matriks akhir disusun dari penilaian {n} peserta dengan {metode}: bobot tiap faktor adalah "
            "{metode} bobot peserta, rating adalah {metode} rating peserta dibulatkan ke bilangan bulat "
            "terdekat (setengah ke atas)."
        ).format(n=count, metode=_method_name(method))
    ]
    for kode in jenis_of:
        if len(weights_of[kode]) < count:
            notes.append(
                _("Faktor {kode} dinilai {k} dari {n} peserta; yang tidak menilai tidak dihitung.").format(
                    kode=kode, k=len(weights_of[kode]), n=count
                )
            )
    aggregates = {kode: _aggregate(weights_of[kode], method) for kode in jenis_of}
    final_weights: dict[str, Decimal] = {}
    for matrix in (IFAS, EFAS):
        members = [
            k for k, j in jenis_of.items() if (kind := as_jenis(j)) is not None and kind.matrix == matrix
        ]
        if not members:
            continue
        total = sum((aggregates[k] for k in members), ZERO)
        if total == 0:
            raise WorkshopInputError(
                _("Bobot agregat {matriks} semuanya 0; tidak dapat dinormalkan.").format(matriks=matrix)
            )
        rounded, _bumped = largest_remainder(_shares([aggregates[k] for k in members]), decimals)
        final_weights.update(zip(members, rounded, strict=True))
        notes.append(
            _renormalization_note(matrix, members, aggregates, final_weights, total, method, decimals)
        )

    factors: list[FinalFactor] = []
    for kode, jenis in jenis_of.items():
        rating_agregat = _aggregate(ratings_of[kode], method)
        rating = int(rating_agregat.quantize(ONE, ROUND_HALF_UP))
        weight_stats, rating_stats = spread(weights_of[kode]), spread(ratings_of[kode])
        factors.append(
            FinalFactor(
                kode=kode,
                jenis=jenis.strip().upper(),
                bobot=final_weights[kode],
                rating=min(4, max(1, rating)),
                bobot_agregat=aggregates[kode],
                rating_agregat=rating_agregat,
                bobot_spread=weight_stats,
                rating_spread=rating_stats,
                disagreement=disagreement(rating_stats, weight_stats),
            )
        )
    return FinalMatrix(method, count, tuple(factors), tuple(notes))


def _shown_weight(value: Decimal, decimals: int) -> str:
    """A weight for notes: `decimals` places, two more when the value has them (0,2333)."""
    unit = Decimal(1).scaleb(-decimals)
    exact = value == value.quantize(unit, ROUND_HALF_UP)
    return format_angka(value, decimals if exact else decimals + 2)


def _renormalization_note(
    matrix: str,
    members: Sequence[str],
    aggregates: Mapping[str, Decimal],
    final_weights: Mapping[str, Decimal],
    total: Decimal,
    method: str,
    decimals: int,
) -> str:
    changed = [k for k in members if aggregates[k] != final_weights[k]]
    values = {
        "matriks": matrix,
        "metode": _method_name(method),
        "jumlah": _shown_weight(total, decimals),
        "satu": format_angka(ONE, decimals),
    }
    if not changed:
        return _(
            "Bobot {matriks} hasil {metode} sudah berjumlah {satu}; tidak perlu dinormalkan ulang."
        ).format(**values)
    values["rincian"] = "; ".join(
        f"{k} {_shown_weight(aggregates[k], decimals)} → {format_angka(final_weights[k], decimals)}"
        for k in changed
    )
    return _(
        "Bobot {matriks} hasil {metode} berjumlah {jumlah}; dinormalkan ulang dengan metode sisa terbesar "
        "agar berjumlah {satu}: {rincian}."
    ).format(**values)
