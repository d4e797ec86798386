"""Pure statistics of outreach evaluation: knowledge gain, McNemar's exact test, Likert summaries.

No ORM and no Django: plain numbers in, frozen dataclasses out, so every rule is tested as a plain
function (`tests/test_stats.py`). Method as in the acceptance README ("Outreach evaluation"):

- *Persen sebelum / sesudah* (before / after %): the share of participants answering "ya" (yes) to a
  knowledge statement before and after the event. From individual answers: yes answers / answers at
  that moment x 100 (a participant who answered only one moment counts at that moment only). From a
  published table (aggregate-only entry, as in the Bekasi study): the printed percentage.
- *Gain* (points): sesudah - sebelum.
- *Gain ternormalisasi* (normalized gain, Hake 1998): g = (sesudah - sebelum) / (100 - sebelum), the
  share of the possible improvement that was achieved. Undefined when sebelum is 100 (nothing left to
  gain); negative when knowledge fell. Hake's bands: tinggi g ≥ 0,7; sedang 0,3 ≤ g < 0,7; rendah
  g < 0,3 (decided on the exact g, before rounding).
- *Rata-rata* over the knowledge items: the mean of sebelum, of sesudah, of gain, and of g over the items
  where g is defined; also the *class* normalized gain of the averages, ⟨g⟩ = (mean sesudah - mean
  sebelum) / (100 - mean sebelum) (Hake's class-average g), undefined when mean sebelum is 100.
- *Uji McNemar eksak* (two-sided), only from individual answers paired per participant: of the
  participants who answered both moments, b changed from ya to tidak and c from tidak to ya; under no
  change each discordant pair is a fair coin, so p = min(1, 2 · Σ_{k=0}^{min(b,c)} C(b+c, k) / 2^(b+c)),
  computed exactly with integers (`math.comb`); p = 1 when there are no discordant pairs.
- *Likert* (1–5): per item the number of answers, the distribution (count and % of each of 1..5) and the
  mean; overall, the mean of the item means (as the study: the six means 4,63 4,62 4,65 4,77 5,00 4,54
  give 4,7017 → 4,70) and the pooled distribution of every answer. With only a published mean, the item
  has a mean and no distribution.

Rounding: every computation is exact (`fractions.Fraction`); results are rounded once at the end,
ROUND_HALF_UP, to 2 decimals (percentages, gain, g, means) or 4 decimals (p-values).
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import comb

HUNDRED = Fraction(100)
LIKERT_SCALE = (1, 2, 3, 4, 5)

# Hake's bands of the normalized gain.
TINGGI = "tinggi"
SEDANG = "sedang"
RENDAH = "rendah"
HIGH_FROM = Fraction(7, 10)
MEDIUM_FROM = Fraction(3, 10)

# Why a result is missing (codes; the pages and the calculator word them).
ALASAN_SEBELUM_100 = "sebelum_100"  # g undefined: nothing left to gain
ALASAN_TANPA_DATA = "tanpa_data"  # no before or after figure

Number = Decimal | int | Fraction


def exact(value: Number) -> Fraction:
    """`value` as an exact fraction (a Decimal converts without any binary rounding)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("nilai bukan angka terhingga")
    return Fraction(value)


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """`value` rounded to `places` decimals, halves away from zero (ROUND_HALF_UP), computed exactly."""
    if places < 0:
        raise ValueError("places tidak boleh negatif")
    scaled = abs(exact(value)) * 10**places
    whole = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)  # floor(x + 1/2)
    negative = exact(value) < 0 and whole != 0
    return Decimal((1 if negative else 0, tuple(int(d) for d in str(whole)), -places))


def _round(value: Fraction | None, places: int = 2) -> Decimal | None:
    return None if value is None else round_half_up(value, places)


def _percent(value: Number, name: str) -> Fraction:
    number = exact(value)
    if number < 0 or number > 100:
        raise ValueError(f"{name} harus antara 0 dan 100 (persen), bukan {value}")
    return number


# --- normalized gain ------------------------------------------------------------------------------


def normalized_gain(sebelum: Number, sesudah: Number) -> Fraction | None:
    """g = (sesudah - sebelum) / (100 - sebelum), exact; None when sebelum is 100 (undefined)."""
    before = _percent(sebelum, "sebelum")
    after = _percent(sesudah, "sesudah")
    if before == HUNDRED:
        return None
    return (after - before) / (HUNDRED - before)


def hake_category(g: Fraction | None) -> str | None:
    """Hake's band of an exact g: tinggi (≥ 0,7), sedang (≥ 0,3), rendah; None when g is undefined."""
    if g is None:
        return None
    if g >= HIGH_FROM:
        return TINGGI
    if g >= MEDIUM_FROM:
        return SEDANG
    return RENDAH


@dataclass(frozen=True)
class Gain:
    """One knowledge item's before/after percentages and gains, rounded (2 decimals) and exact."""

    sebelum: Decimal | None
    sesudah: Decimal | None
    gain: Decimal | None
    g: Decimal | None
    kategori: str | None
    alasan: str | None  # why g is None (ALASAN_*), None when g is defined
    sebelum_exact: Fraction | None
    sesudah_exact: Fraction | None
    gain_exact: Fraction | None
    g_exact: Fraction | None


def gain_of(sebelum: Number | None, sesudah: Number | None) -> Gain:
    """Gain and normalized gain of one item from its before and after percentages (0–100)."""
    before = None if sebelum is None else _percent(sebelum, "sebelum")
    after = None if sesudah is None else _percent(sesudah, "sesudah")
    if before is None or after is None:
        return Gain(
            _round(before), _round(after), None, None, None, ALASAN_TANPA_DATA, before, after, None, None
        )
    g = normalized_gain(before, after)
    return Gain(
        sebelum=_round(before),
        sesudah=_round(after),
        gain=_round(after - before),
        g=_round(g),
        kategori=hake_category(g),
        alasan=ALASAN_SEBELUM_100 if g is None else None,
        sebelum_exact=before,
        sesudah_exact=after,
        gain_exact=after - before,
        g_exact=g,
    )


@dataclass(frozen=True)
class GainSummary:
    """Averages over the knowledge items that have both percentages (see the module docstring)."""

    butir: int  # items with both percentages
    sebelum: Decimal | None
    sesudah: Decimal | None
    gain: Decimal | None
    g: Decimal | None  # mean of the per-item g where defined
    g_butir: int  # items whose g is defined
    g_kategori: str | None
    g_kelas: Decimal | None  # Hake's class g of the averages
    g_kelas_kategori: str | None


def _mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def summarize_gains(gains: Iterable[Gain]) -> GainSummary:
    complete = [g for g in gains if g.gain_exact is not None]
    before = _mean([g.sebelum_exact for g in complete if g.sebelum_exact is not None])
    after = _mean([g.sesudah_exact for g in complete if g.sesudah_exact is not None])
    gain = _mean([g.gain_exact for g in complete if g.gain_exact is not None])
    defined = [g.g_exact for g in complete if g.g_exact is not None]
    mean_g = _mean(defined)
    class_g = normalized_gain(before, after) if before is not None and after is not None else None
    return GainSummary(
        butir=len(complete),
        sebelum=_round(before),
        sesudah=_round(after),
        gain=_round(gain),
        g=_round(mean_g),
        g_butir=len(defined),
        g_kategori=hake_category(mean_g),
        g_kelas=_round(class_g),
        g_kelas_kategori=hake_category(class_g),
    )


# --- McNemar's exact test -------------------------------------------------------------------------


@dataclass(frozen=True)
class McNemar:
    b: int  # ya before, tidak after
    c: int  # tidak before, ya after
    p_exact: Fraction
    p: Decimal  # rounded to 4 decimals

    @property
    def n(self) -> int:
        """Discordant pairs."""
        return self.b + self.c


def mcnemar_exact(b: int, c: int) -> McNemar:
    """Two-sided exact McNemar test on the discordant pairs b and c (binomial with p = 1/2)."""
    if isinstance(b, bool) or isinstance(c, bool) or not isinstance(b, int) or not isinstance(c, int):
        raise TypeError("b dan c harus bilangan bulat")
    if b < 0 or c < 0:
        raise ValueError("b dan c tidak boleh negatif")
    n = b + c
    if n == 0:
        p = Fraction(1)
    else:
        tail = sum(comb(n, k) for k in range(min(b, c) + 1))
        p = min(Fraction(1), Fraction(2 * tail, 2**n))
    return McNemar(b=b, c=c, p_exact=p, p=round_half_up(p, 4))


@dataclass(frozen=True)
class PairedCounts:
    """Participants who answered a yes/no item at both moments.

    a ya→ya, b ya→tidak, c tidak→ya, d tidak→tidak.
    """

    a: int
    b: int
    c: int
    d: int

    @property
    def n(self) -> int:
        return self.a + self.b + self.c + self.d


def paired_counts[K: Hashable](sebelum: Mapping[K, int], sesudah: Mapping[K, int]) -> PairedCounts:
    cells = {(1, 1): 0, (1, 0): 0, (0, 1): 0, (0, 0): 0}
    for who, before in sebelum.items():
        after = sesudah.get(who)
        if after is None:
            continue
        cells[(_yes_no(before), _yes_no(after))] += 1
    return PairedCounts(a=cells[(1, 1)], b=cells[(1, 0)], c=cells[(0, 1)], d=cells[(0, 0)])


def _yes_no(value: int) -> int:
    if isinstance(value, bool) or value not in (0, 1):
        raise ValueError(f"jawaban pengetahuan harus 1 (ya) atau 0 (tidak), bukan {value!r}")
    return int(value)


# --- one knowledge item ---------------------------------------------------------------------------

SUMBER_JAWABAN = "jawaban"  # individual answers
SUMBER_AGREGAT = "agregat"  # published percentages
SUMBER_KOSONG = "kosong"  # nothing entered yet


@dataclass(frozen=True)
class KnowledgeResult:
    sumber: str
    gain: Gain
    n_sebelum: int | None  # answers before (None: unknown, aggregate without n)
    n_sesudah: int | None
    ya_sebelum: int | None
    ya_sesudah: int | None
    pasangan: PairedCounts | None  # individual answers only
    mcnemar: McNemar | None  # individual answers with at least one pair


def knowledge_from_answers[K: Hashable](
    sebelum: Mapping[K, int], sesudah: Mapping[K, int]
) -> KnowledgeResult:
    """An item from individual yes (1) / no (0) answers keyed by participant."""
    yes_before = sum(_yes_no(v) for v in sebelum.values())
    yes_after = sum(_yes_no(v) for v in sesudah.values())
    before = Fraction(100 * yes_before, len(sebelum)) if sebelum else None
    after = Fraction(100 * yes_after, len(sesudah)) if sesudah else None
    pairs = paired_counts(sebelum, sesudah)
    return KnowledgeResult(
        sumber=SUMBER_JAWABAN if sebelum or sesudah else SUMBER_KOSONG,
        gain=gain_of(before, after),
        n_sebelum=len(sebelum),
        n_sesudah=len(sesudah),
        ya_sebelum=yes_before,
        ya_sesudah=yes_after,
        pasangan=pairs if pairs.n else None,
        mcnemar=mcnemar_exact(pairs.b, pairs.c) if pairs.n else None,
    )


def knowledge_from_percent(
    sebelum: Number | None, sesudah: Number | None, n: int | None = None
) -> KnowledgeResult:
    """An item from published percentages (no individual answers: no McNemar test)."""
    if sebelum is None and sesudah is None:
        return KnowledgeResult(SUMBER_KOSONG, gain_of(None, None), None, None, None, None, None, None)
    return KnowledgeResult(
        sumber=SUMBER_AGREGAT,
        gain=gain_of(sebelum, sesudah),
        n_sebelum=n if sebelum is not None else None,
        n_sesudah=n if sesudah is not None else None,
        ya_sebelum=None,
        ya_sesudah=None,
        pasangan=None,
        mcnemar=None,
    )


# --- Likert ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LikertSummary:
    sumber: str
    n: int | None
    distribusi: tuple[int, ...] | None  # counts of 1, 2, 3, 4, 5; None for a published mean
    persen: tuple[Decimal, ...] | None  # the same as % of n (2 decimals)
    rata_rata: Decimal | None  # 2 decimals
    rata_rata_exact: Fraction | None


def _likert_value(value: int) -> int:
    if isinstance(value, bool) or value not in LIKERT_SCALE:
        raise ValueError(f"jawaban skala Likert harus 1–5, bukan {value!r}")
    return int(value)


def likert_summary(values: Iterable[int]) -> LikertSummary:
    """Distribution and mean of 1–5 answers."""
    counts = [0, 0, 0, 0, 0]
    for value in values:
        counts[_likert_value(value) - 1] += 1
    n = sum(counts)
    if n == 0:
        return LikertSummary(SUMBER_KOSONG, 0, tuple(counts), None, None, None)
    mean = Fraction(sum(score * count for score, count in zip(LIKERT_SCALE, counts, strict=True)), n)
    return LikertSummary(
        sumber=SUMBER_JAWABAN,
        n=n,
        distribusi=tuple(counts),
        persen=tuple(round_half_up(Fraction(100 * count, n)) for count in counts),
        rata_rata=round_half_up(mean),
        rata_rata_exact=mean,
    )


def likert_from_mean(mean: Number | None, n: int | None = None) -> LikertSummary:
    """An item from a published mean (1–5): no distribution."""
    if mean is None:
        return LikertSummary(SUMBER_KOSONG, None, None, None, None, None)
    value = exact(mean)
    if value < 1 or value > 5:
        raise ValueError(f"rata-rata skala Likert harus antara 1 dan 5, bukan {mean}")
    return LikertSummary(SUMBER_AGREGAT, n, None, None, round_half_up(value), value)


@dataclass(frozen=True)
class LikertOverall:
    butir: int  # items with a mean
    rata_rata: Decimal | None  # mean of the item means, 2 decimals
    rata_rata_exact: Fraction | None
    distribusi: tuple[int, ...] | None  # pooled counts of every individual answer; None when there are none
    persen: tuple[Decimal, ...] | None


def overall_mean(item_means: Iterable[Number]) -> Decimal | None:
    """The mean of the item means, rounded at the end (the study's overall satisfaction)."""
    means = [exact(m) for m in item_means]
    return _round(_mean(means))


def likert_overall(items: Iterable[LikertSummary]) -> LikertOverall:
    items = list(items)
    means = [i.rata_rata_exact for i in items if i.rata_rata_exact is not None]
    mean = _mean(means)
    pooled = [0, 0, 0, 0, 0]
    for item in items:
        if item.distribusi is not None:
            pooled = [p + c for p, c in zip(pooled, item.distribusi, strict=True)]
    total = sum(pooled)
    return LikertOverall(
        butir=len(means),
        rata_rata=_round(mean),
        rata_rata_exact=mean,
        distribusi=tuple(pooled) if total else None,
        persen=tuple(round_half_up(Fraction(100 * c, total)) for c in pooled) if total else None,
    )
