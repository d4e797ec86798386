"""Litmus test of strategic issues: is an issue strategic or operational?

After Bryson, *Strategic Planning for Public and Nonprofit Organizations* (Jossey-Bass; the "litmus test
for strategic issues" of the chapter on identifying strategic issues). The questions in `DEFAULT_ITEMS`
are our own Indonesian wording of the points Bryson's test asks about, adapted to local government
(kepala daerah and DPRD for the governing board, OPD for departments). Pure: no database.

Terms and rules
- *Butir* (`LitmusItem`): one question with a description of the answer that marks an issue as
  *operasional* (score 1) and as *strategis* (score 3); 2 lies between.
- *Skor* (`score`): the sum of the answers, each an integer 1-3; an answer outside 1-3, or for an item
  that is not in the test, is refused (`LitmusInputError` naming the item). While an item is
  unanswered the score is *incomplete*: the partial total is kept, the band is None and `missing` lists
  the items still to answer.
- *Kelompok* (`Band`): inclusive integer ranges of the total with a label. With n items the total runs
  from n to 3n; `default_bands(n)` splits that range into three contiguous bands as equal as possible,
  any remainder going to the upper bands: for the 13 default items 13-21 "kurang strategis",
  22-30 "cukup strategis", 31-39 "sangat strategis". `validate_config` checks a custom test: item codes
  unique and filled in, questions filled in, bands covering n..3n with no gap or overlap, labels filled in.
- *Peringkat* (`rank`): complete scores first, by total descending; equal totals keep their input order
  and share a rank (1, 2, 2, 4); incomplete scores follow in input order without a rank.

The texts are data stored with each analysis (`gettext_noop` marks them for the English catalogue; show
them through `translated_item` and `band_label`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

SCORE_MIN = 1
SCORE_MAX = 3

KURANG_STRATEGIS = gettext_noop("kurang strategis")
CUKUP_STRATEGIS = gettext_noop("cukup strategis")
SANGAT_STRATEGIS = gettext_noop("sangat strategis")
DEFAULT_LABELS = (KURANG_STRATEGIS, CUKUP_STRATEGIS, SANGAT_STRATEGIS)


class LitmusInputError(ValueError):
    """An answer that cannot be scored; `message` (Indonesian) names the item."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LitmusItem:
    kode: str
    pertanyaan: str
    operasional: str  # the answer that scores 1
    strategis: str  # the answer that scores 3


@dataclass(frozen=True)
class Band:
    minimum: int  # inclusive
    maximum: int  # inclusive
    label: str


@dataclass(frozen=True)
class LitmusScore:
    total: int  # sum of the answers given (partial while incomplete)
    label: str | None  # the band's label; None while incomplete (or when no band holds the total)
    missing: tuple[str, ...]  # codes of the unanswered items, in test order
    complete: bool


@dataclass(frozen=True)
class Ranked[K]:
    key: K
    score: LitmusScore
    rank: int | None  # None for an incomplete score


DEFAULT_ITEMS: tuple[LitmusItem, ...] = (
    LitmusItem(
        "L01",
        gettext_noop("Apakah isu ini sudah menjadi perhatian kepala daerah atau DPRD?"),
        gettext_noop("Belum dibicarakan"),
        gettext_noop("Sudah masuk agenda kepala daerah atau DPRD"),
    ),
    LitmusItem(
        "L02",
        gettext_noop("Kapan tantangan atau peluang dari isu ini akan dihadapi?"),
        gettext_noop("Sekarang, dalam tahun berjalan"),
        gettext_noop("Dua tahun lagi atau lebih"),
    ),
    LitmusItem(
        "L03",
        gettext_noop("Seberapa luas dampak isu ini terhadap pemerintah daerah?"),
        gettext_noop("Hanya satu bidang atau unit"),
        gettext_noop("Seluruh pemerintah daerah"),
    ),
    LitmusItem(
        "L04",
        gettext_noop("Seberapa besar risiko atau peluang keuangan yang terkait dengan isu ini?"),
        gettext_noop("Kecil, sampai sekitar 10% anggaran unit"),
        gettext_noop("Besar, lebih dari sekitar 25% anggaran unit"),
    ),
    LitmusItem(
        "L05",
        gettext_noop("Apakah penanganannya menuntut tujuan, sasaran atau program baru?"),
        gettext_noop("Tidak, cukup dengan yang sudah ada"),
        gettext_noop("Ya, perlu tujuan, sasaran atau program baru"),
    ),
    LitmusItem(
        "L06",
        gettext_noop("Apakah isu ini mengubah sumber pendapatan secara berarti?"),
        gettext_noop("Tidak ada perubahan"),
        gettext_noop("Ada sumber yang berubah besar, hilang atau baru"),
    ),
    LitmusItem(
        "L07",
        gettext_noop("Apakah penanganannya memerlukan sarana atau bangunan baru?"),
        gettext_noop("Tidak perlu"),
        gettext_noop("Perlu sarana atau bangunan baru"),
    ),
    LitmusItem(
        "L08",
        gettext_noop("Apakah penanganannya memerlukan tambahan pegawai?"),
        gettext_noop("Tidak perlu"),
        gettext_noop("Perlu tambahan pegawai yang berarti"),
    ),
    LitmusItem(
        "L09",
        gettext_noop("Seberapa jelas cara terbaik untuk menangani isu ini?"),
        gettext_noop("Sudah jelas dan tinggal dijalankan"),
        gettext_noop("Belum jelas, banyak pilihan yang harus ditimbang"),
    ),
    LitmusItem(
        "L10",
        gettext_noop("Siapa pejabat terendah yang dapat memutuskan cara penanganannya?"),
        gettext_noop("Pejabat pengawas atau pelaksana teknis"),
        gettext_noop("Kepala daerah, bersama DPRD bila perlu"),
    ),
    LitmusItem(
        "L11",
        gettext_noop("Apa akibatnya bila isu ini dibiarkan?"),
        gettext_noop("Sedikit gangguan, mudah dipulihkan"),
        gettext_noop("Layanan terganggu berat, kerugian besar atau kepercayaan publik turun"),
    ),
    LitmusItem(
        "L12",
        gettext_noop("Berapa banyak unit kerja atau OPD lain yang terkena dan perlu dilibatkan?"),
        gettext_noop("Tidak ada"),
        gettext_noop("Empat atau lebih"),
    ),
    LitmusItem(
        "L13",
        gettext_noop(
            "Seberapa peka isu ini terhadap nilai sosial, ekonomi, politik, agama dan budaya masyarakat?"
        ),
        gettext_noop("Tidak peka"),
        gettext_noop("Sangat peka"),
    ),
)


def translated_item(item: LitmusItem) -> LitmusItem:
    """The item with its texts in the active language (custom texts without a translation stay as typed)."""
    return LitmusItem(item.kode, _(item.pertanyaan), _(item.operasional), _(item.strategis))


def band_label(label: str) -> str:
    """A band label in the active language."""
    return _(label) if label else label


def default_bands(n_items: int) -> list[Band]:
    """Three contiguous bands over n..3n; the remainder of the split goes to the upper bands."""
    if isinstance(n_items, bool) or not isinstance(n_items, int) or n_items < 1:
        raise LitmusInputError(_("Uji litmus memerlukan paling sedikit satu butir."))
    width, extra = divmod(2 * n_items + 1, 3)
    sizes = [width + (1 if index >= 3 - extra else 0) for index in range(3)]
    bands: list[Band] = []
    start = n_items
    for size, label in zip(sizes, DEFAULT_LABELS, strict=True):
        bands.append(Band(start, start + size - 1, label))
        start += size
    return bands


def validate_config(items: Sequence[LitmusItem], bands: Sequence[Band]) -> list[str]:
    """Every problem of a litmus test's items and bands (rules in the module docstring); [] when sound."""
    problems: list[str] = []
    if not items:
        problems.append(_("Uji litmus memerlukan paling sedikit satu butir."))
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        kode = item.kode.strip() if isinstance(item.kode, str) else ""
        if not kode:
            problems.append(_("Butir ke-{nomor}: kode belum diisi.").format(nomor=number))
        elif kode in seen:
            problems.append(_("Kode butir {kode} dipakai lebih dari sekali.").format(kode=kode))
        seen.add(kode)
        if not isinstance(item.pertanyaan, str) or not item.pertanyaan.strip():
            problems.append(
                _("Butir {kode}: pertanyaan belum diisi.").format(
                    kode=kode or _("ke-{nomor}").format(nomor=number)
                )
            )
    if not bands:
        problems.append(_("Kelompok skor belum ditentukan."))
        return problems
    for band in bands:
        if not isinstance(band.label, str) or not band.label.strip():
            problems.append(
                _("Kelompok {dari}–{sampai}: label belum diisi.").format(
                    dari=band.minimum, sampai=band.maximum
                )
            )
        if band.minimum > band.maximum:
            problems.append(
                _("Kelompok {dari}–{sampai}: batas bawah melebihi batas atas.").format(
                    dari=band.minimum, sampai=band.maximum
                )
            )
    if items:
        problems.extend(_coverage_problems(len(items), bands))
    return problems


def _coverage_problems(n_items: int, bands: Sequence[Band]) -> list[str]:
    lowest, highest = n_items * SCORE_MIN, n_items * SCORE_MAX
    problems: list[str] = []
    ordered = sorted(bands, key=lambda band: (band.minimum, band.maximum))
    if ordered[0].minimum != lowest:
        problems.append(
            _("Kelompok pertama harus mulai dari {bawah} (skor terendah {n} butir), bukan {dari}.").format(
                bawah=lowest, n=n_items, dari=ordered[0].minimum
            )
        )
    if max(band.maximum for band in ordered) != highest:
        problems.append(
            _(
                "Kelompok terakhir harus berakhir di {atas} (skor tertinggi {n} butir), bukan {sampai}."
            ).format(atas=highest, n=n_items, sampai=max(band.maximum for band in ordered))
        )
    for before, after in pairwise(ordered):
        if after.minimum == before.maximum + 2:
            problems.append(_("Skor {skor} tidak masuk kelompok mana pun.").format(skor=before.maximum + 1))
        elif after.minimum > before.maximum + 2:
            problems.append(
                _("Skor {dari}–{sampai} tidak masuk kelompok mana pun.").format(
                    dari=before.maximum + 1, sampai=after.minimum - 1
                )
            )
        elif after.minimum <= before.maximum:
            problems.append(
                _("Kelompok {a} dan {b} tumpang tindih.").format(
                    a=f"{before.minimum}–{before.maximum}", b=f"{after.minimum}–{after.maximum}"
                )
            )
    return problems


def score(items: Sequence[LitmusItem], bands: Sequence[Band], answers: Mapping[str, int]) -> LitmusScore:
    """The litmus score of one issue from its answers (item kode -> 1..3); see the module docstring."""
    known = {item.kode for item in items}
    for kode, answer in answers.items():
        if kode not in known:
            raise LitmusInputError(_("Butir uji litmus {kode} tidak dikenal.").format(kode=kode))
        if isinstance(answer, bool) or not isinstance(answer, int) or not SCORE_MIN <= answer <= SCORE_MAX:
            raise LitmusInputError(
                _("Butir {kode}: skor harus 1, 2 atau 3, bukan {nilai}.").format(kode=kode, nilai=answer)
            )
    total = sum(answers.values())
    missing = tuple(item.kode for item in items if item.kode not in answers)
    if missing:
        return LitmusScore(total, None, missing, False)
    label = next((band.label for band in bands if band.minimum <= total <= band.maximum), None)
    return LitmusScore(total, label, (), True)


def rank[K](scored: Sequence[tuple[K, LitmusScore]]) -> list[Ranked[K]]:
    """Complete scores first by total descending (ties in input order, sharing a rank), then incomplete."""
    complete = sorted(
        (pair for pair in enumerate(scored) if pair[1][1].complete),
        key=lambda pair: (-pair[1][1].total, pair[0]),
    )
    ranked: list[Ranked[K]] = []
    previous_total: int | None = None
    current_rank = 0
    for position, (_index, (key, result)) in enumerate(complete, start=1):
        if result.total != previous_total:
            current_rank, previous_total = position, result.total
        ranked.append(Ranked(key, result, current_rank))
    ranked.extend(Ranked(key, result, None) for key, result in scored if not result.complete)
    return ranked
