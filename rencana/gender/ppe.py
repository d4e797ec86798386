"""PPE self-assessment (penilaian mandiri Penghargaan Parahita Ekapraya, formerly APE): criteria, score
bands and scoring, as configurable data.

**The defaults here are NOT the official KemenPPPA instrument or thresholds.** The official evaluation sheet
and the score limits of the predicates are not public in this installation, so Rencana ships a documented
default (`DEFAULT_CRITERIA`, `DEFAULT_BANDS`) built from the seven PUG prerequisites (Permendagri 15/2008 jo.
67/2011 on PUG in the regions; Inpres 9/2000) plus implementation and results. A PUG manager (Pokja PUG,
Bappeda, admin pemda) edits both per assessment; the page says so next to every score.

Terms
- *Kriteria* (`Criterion`): a question with a code (`kode`, unique, letters/digits/._-), the group it
  belongs to (`kelompok`: one of the seven prerequisites, or `pelaksanaan` implementation, or `hasil`
  results, see `GROUPS`) and a maximum score `maks` (1..`MAX_SCORE`). The default scale is 0/1/2 =
  belum / sebagian / sudah.
- *Jawaban*: the score given to a criterion, a whole number 0..maks. A criterion without a valid answer is
  *missing*: it scores 0 and is listed in `PpeScore.missing` (the score is then provisional).
- *Persentase*: total / maximum * 100 over all criteria, rounded to 2 decimals ROUND_HALF_UP.
- *Predikat* (`Band`): the band whose range holds the rounded percentage. Bands are contiguous: the first
  starts at 0, each next one starts where the previous ends (`dari` inclusive, `sampai` exclusive), and the
  last ends at 100 inclusive. No gaps, no overlaps (`validate_config`).

Default bands (documented default, not official): 0-<40 "Belum berpredikat", 40-<60 Pratama, 60-<75 Madya,
75-<90 Utama, 90-100 Mentor (the names of the PPE levels; the limits are Rencana's assumption).

Pure: plain dataclasses in and out, no ORM. `config_to_json` / `config_from_json` convert to and from the JSON
snapshot kept in `PpeAssessment.kriteria`; `criteria_from_lines` / `bands_from_lines` read the plain text form
pages edit (one line per criterion or band, fields separated by "|").
"""

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rencana.core.numbers import AngkaError, format_angka, parse_angka

MAX_SCORE = 10
MAX_CRITERIA = 200
MAX_BANDS = 10
MAX_QUESTION = 500
MAX_LABEL = 60
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
DIGITS = re.compile(r"[0-9]{1,3}")  # ASCII digits only: str.isdigit() also accepts "²", which int() refuses
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")

# Group code -> label. The seven prerequisites keep the codes of `PrerequisiteCode`.
GROUPS: dict[str, Any] = {
    "komitmen": gettext_lazy("Komitmen"),
    "kebijakan": gettext_lazy("Kebijakan"),
    "kelembagaan": gettext_lazy("Kelembagaan"),
    "sumber_daya": gettext_lazy("Sumber daya (manusia dan anggaran)"),
    "data_terpilah": gettext_lazy("Data terpilah"),
    "alat_analisis": gettext_lazy("Alat analisis gender"),
    "partisipasi": gettext_lazy("Partisipasi masyarakat"),
    "pelaksanaan": gettext_lazy("Pelaksanaan PUG"),
    "hasil": gettext_lazy("Hasil (dampak)"),
}


@dataclass(frozen=True)
class Criterion:
    kode: str
    kelompok: str
    pertanyaan: str
    maks: int = 2


@dataclass(frozen=True)
class Band:
    dari: Decimal  # inclusive
    sampai: Decimal  # exclusive, except the last band, which includes 100
    label: str


@dataclass(frozen=True)
class GroupScore:
    kelompok: str
    label: str
    total: int
    maksimum: int
    persen: Decimal
    jumlah: int  # criteria in the group
    terjawab: int  # of which answered


@dataclass(frozen=True)
class PpeScore:
    total: int
    maximum: int
    percent: Decimal  # 2 decimals ROUND_HALF_UP
    predikat: str
    per_group: tuple[GroupScore, ...]
    missing: tuple[str, ...]  # codes of criteria without a valid answer (they score 0)


def _c(kode: str, kelompok: str, pertanyaan: str) -> Criterion:
    return Criterion(kode=kode, kelompok=kelompok, pertanyaan=pertanyaan, maks=2)


# Documented default, not the official KemenPPPA instrument (see the module docstring). Questions are data:
# they are copied into each assessment and may be edited there, so they are not marked for translation.
DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    _c("KOM1", "komitmen", "Ada Perda atau Perkada tentang PUG yang berlaku."),
    _c("KOM2", "komitmen", "PUG tercantum dalam RPJPD/RPJMD (misi, tujuan, sasaran atau arah kebijakan)."),
    _c("KOM3", "komitmen", "Kepala daerah menerbitkan surat edaran/instruksi pelaksanaan PUG dan PPRG."),
    _c("KEB1", "kebijakan", "Ada peraturan kepala daerah tentang pedoman teknis PUG/PPRG."),
    _c("KEB2", "kebijakan", "Renstra dan Renja OPD memuat isu gender dan indikator responsif gender."),
    _c(
        "KEB3",
        "kebijakan",
        "Ada kebijakan penganggaran responsif gender (ARG) dalam pedoman penyusunan APBD.",
    ),
    _c("KEL1", "kelembagaan", "Pokja PUG ditetapkan dengan SK kepala daerah yang masih berlaku."),
    _c("KEL2", "kelembagaan", "Pokja PUG rapat secara berkala dan notulennya terdokumentasi."),
    _c("KEL3", "kelembagaan", "Ada focal point PUG di setiap OPD."),
    _c("KEL4", "kelembagaan", "Ada tim teknis (driver) PPRG: Bappeda, BPKAD, Inspektorat dan dinas PPPA."),
    _c("SDM1", "sumber_daya", "Aparatur OPD terlatih analisis gender (GAP/GBS)."),
    _c("SDM2", "sumber_daya", "Ada anggaran untuk penguatan kelembagaan PUG."),
    _c("SDM3", "sumber_daya", "Ada fasilitator atau narasumber PUG daerah."),
    _c(
        "DAT1", "data_terpilah", "Data terpilah menurut jenis kelamin tersedia untuk indikator kinerja utama."
    ),
    _c("DAT2", "data_terpilah", "Profil gender atau buku data terpilah diterbitkan dan diperbarui."),
    _c("DAT3", "data_terpilah", "Data terpilah dipakai dalam perencanaan (data pembuka wawasan GAP)."),
    _c("ALT1", "alat_analisis", "GAP dipakai untuk menyusun program dan kegiatan OPD."),
    _c("ALT2", "alat_analisis", "GBS disusun dan dilampirkan pada RKA OPD."),
    _c("ALT3", "alat_analisis", "Instrumen verifikasi ARG dipakai oleh TAPD."),
    _c("PAR1", "partisipasi", "Organisasi perempuan, anak dan disabilitas dilibatkan dalam musrenbang."),
    _c("PAR2", "partisipasi", "Ada mitra PUG dari masyarakat (PUSPA, perguruan tinggi, dunia usaha, media)."),
    _c("PEL1", "pelaksanaan", "Sebagian besar OPD menerapkan PPRG pada sub-kegiatannya."),
    _c("PEL2", "pelaksanaan", "ARG terintegrasi dalam APBD (penandaan anggaran responsif gender)."),
    _c("PEL3", "pelaksanaan", "Monitoring dan evaluasi pelaksanaan PUG dilakukan dan dilaporkan."),
    _c("HAS1", "hasil", "IPG meningkat dibanding tahun sebelumnya."),
    _c("HAS2", "hasil", "IDG meningkat dibanding tahun sebelumnya."),
    _c("HAS3", "hasil", "IKG menurun dibanding tahun sebelumnya."),
    _c("HAS4", "hasil", "Ada inovasi PUG yang direplikasi atau mendapat pengakuan."),
)

# Documented default, not the official KemenPPPA thresholds (see the module docstring).
DEFAULT_BANDS: tuple[Band, ...] = (
    Band(Decimal(0), Decimal(40), "Belum berpredikat"),
    Band(Decimal(40), Decimal(60), "Pratama"),
    Band(Decimal(60), Decimal(75), "Madya"),
    Band(Decimal(75), Decimal(90), "Utama"),
    Band(Decimal(90), Decimal(100), "Mentor"),
)


def group_label(kelompok: str) -> str:
    return str(GROUPS.get(kelompok, kelompok))


def scale(maks: int) -> list[tuple[int, str]]:
    """The answer options of a criterion: 0/1/2 belum/sebagian/sudah, or numbers for other maxima."""
    if maks == 2:
        return [(0, _("belum")), (1, _("sebagian")), (2, _("sudah"))]
    return [(value, str(value)) for value in range(maks + 1)]


# --- validation ------------------------------------------------------------------------------------------


def _criteria_problems(criteria: Sequence[Criterion]) -> list[str]:
    problems: list[str] = []
    if not criteria:
        problems.append(_("Belum ada kriteria: isi paling sedikit satu."))
    if len(criteria) > MAX_CRITERIA:
        problems.append(_("Paling banyak {n} kriteria.").format(n=MAX_CRITERIA))
    seen: set[str] = set()
    for c in criteria:
        kode = c.kode if isinstance(c.kode, str) else ""
        name = kode or "?"
        if not CODE_RE.match(kode):
            problems.append(
                _(
                    "Kode kriteria “{kode}” tidak sah: 1-20 huruf, angka, titik, garis bawah "
                    "atau tanda hubung."
                ).format(kode=name)
            )
        elif kode.upper() in seen:
            problems.append(_("Kode kriteria “{kode}” dipakai lebih dari sekali.").format(kode=kode))
        seen.add(kode.upper())
        if c.kelompok not in GROUPS:
            problems.append(
                _(
                    "Kriteria {kode}: kelompok “{kelompok}” tidak dikenal; gunakan salah satu dari: {daftar}."
                ).format(kode=name, kelompok=c.kelompok, daftar=", ".join(GROUPS))
            )
        if isinstance(c.maks, bool) or not isinstance(c.maks, int) or not 1 <= c.maks <= MAX_SCORE:
            problems.append(
                _("Kriteria {kode}: skor maksimum harus bilangan bulat 1 sampai {maks}.").format(
                    kode=name, maks=MAX_SCORE
                )
            )
        text = c.pertanyaan.strip() if isinstance(c.pertanyaan, str) else ""
        if not text:
            problems.append(_("Kriteria {kode}: pertanyaan kosong.").format(kode=name))
        elif len(text) > MAX_QUESTION:
            problems.append(
                _("Kriteria {kode}: pertanyaan paling panjang {n} karakter.").format(
                    kode=name, n=MAX_QUESTION
                )
            )
    return problems


def _bands_problems(bands: Sequence[Band]) -> list[str]:
    problems: list[str] = []
    if not bands:
        return [_("Belum ada predikat: isi rentang nilai 0 sampai 100.")]
    if len(bands) > MAX_BANDS:
        problems.append(_("Paling banyak {n} predikat.").format(n=MAX_BANDS))
    for band in bands:
        if not all(isinstance(v, Decimal) and v.is_finite() for v in (band.dari, band.sampai)):
            return [*problems, _("Batas predikat harus berupa angka.")]
    labels: set[str] = set()
    for band in bands:
        label = band.label.strip() if isinstance(band.label, str) else ""
        if not label:
            problems.append(_("Ada predikat tanpa nama."))
        elif len(label) > MAX_LABEL:
            problems.append(_("Nama predikat paling panjang {n} karakter.").format(n=MAX_LABEL))
        elif label.casefold() in labels:
            problems.append(_("Predikat “{label}” dipakai lebih dari sekali.").format(label=label))
        labels.add(label.casefold())
        if band.dari >= band.sampai:
            problems.append(
                _(
                    "Predikat “{label}”: batas bawah {dari} harus lebih kecil dari batas atas {sampai}."
                ).format(label=label, dari=angka(band.dari), sampai=angka(band.sampai))
            )
    if bands[0].dari != 0:
        problems.append(
            _("Predikat pertama harus mulai dari 0 (sekarang {dari}).").format(dari=angka(bands[0].dari))
        )
    if bands[-1].sampai != HUNDRED:
        problems.append(
            _("Predikat terakhir harus berakhir di 100 (sekarang {sampai}).").format(
                sampai=angka(bands[-1].sampai)
            )
        )
    for before, after in itertools.pairwise(bands):
        if after.dari > before.sampai:
            problems.append(
                _(
                    "Ada celah antara {sampai} dan {dari}: predikat “{label}” harus mulai dari {sampai}."
                ).format(sampai=angka(before.sampai), dari=angka(after.dari), label=after.label)
            )
        elif after.dari < before.sampai:
            problems.append(
                _("Predikat “{a}” dan “{b}” tumpang tindih: “{b}” harus mulai dari {sampai}.").format(
                    a=before.label, b=after.label, sampai=angka(before.sampai)
                )
            )
    return problems


def validate_config(criteria: Sequence[Criterion], bands: Sequence[Band]) -> list[str]:
    """Every problem of a configuration, in Indonesian; empty when it can be used for scoring."""
    return _criteria_problems(criteria) + _bands_problems(bands)


def answer_problems(criteria: Sequence[Criterion], answers: Mapping[str, Any]) -> dict[str, str]:
    """Criterion code -> why its answer is refused (unknown code, not a whole number, out of range).

    A None answer means "not answered" and is accepted."""
    by_code = {c.kode: c for c in criteria}
    problems: dict[str, str] = {}
    for kode, value in answers.items():
        criterion = by_code.get(kode)
        if criterion is None:
            problems[str(kode)] = _("Kriteria “{kode}” tidak ada dalam penilaian ini.").format(kode=kode)
        elif value is not None and _valid_answer(value, criterion) is None:
            problems[kode] = _("Jawaban {kode} harus bilangan bulat 0 sampai {maks}.").format(
                kode=kode, maks=criterion.maks
            )
    return problems


def _valid_answer(value: Any, criterion: Criterion) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and DIGITS.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and 0 <= value <= criterion.maks:
        return value
    return None


# --- scoring ---------------------------------------------------------------------------------------------


def _percent(total: int, maximum: int) -> Decimal:
    if maximum <= 0:
        return Decimal(0).quantize(CENT)
    return (Decimal(total) * HUNDRED / Decimal(maximum)).quantize(CENT, rounding=ROUND_HALF_UP)


def band_for(bands: Sequence[Band], percent: Decimal) -> str:
    """The predikat of a (rounded) percentage; the last band includes its upper limit 100."""
    for band in bands:
        if band.dari <= percent < band.sampai:
            return band.label
    if bands and percent >= bands[-1].sampai:
        return bands[-1].label
    return bands[0].label if bands else ""


def score(criteria: Sequence[Criterion], bands: Sequence[Band], answers: Mapping[str, Any]) -> PpeScore:
    """Total, percentage, predikat and the breakdown per group (rules in the module docstring).

    An invalid configuration is refused with ValueError; an invalid or missing answer scores 0 and is listed
    in `missing`; answers to codes that are not criteria are ignored."""
    problems = validate_config(criteria, bands)
    if problems:
        raise ValueError(" ".join(problems))
    total = 0
    maximum = 0
    missing: list[str] = []
    groups: dict[str, list[int]] = {}  # kelompok -> [total, maksimum, jumlah, terjawab]
    for c in criteria:
        given = _valid_answer(answers.get(c.kode), c)
        acc = groups.setdefault(c.kelompok, [0, 0, 0, 0])
        acc[1] += c.maks
        acc[2] += 1
        maximum += c.maks
        if given is None:
            missing.append(c.kode)
            continue
        acc[0] += given
        acc[3] += 1
        total += given
    per_group = tuple(
        GroupScore(
            kelompok=kode,
            label=group_label(kode),
            total=groups[kode][0],
            maksimum=groups[kode][1],
            persen=_percent(groups[kode][0], groups[kode][1]),
            jumlah=groups[kode][2],
            terjawab=groups[kode][3],
        )
        for kode in GROUPS
        if kode in groups
    )
    percent = _percent(total, maximum)
    return PpeScore(
        total=total,
        maximum=maximum,
        percent=percent,
        predikat=band_for(bands, percent),
        per_group=per_group,
        missing=tuple(missing),
    )


# --- JSON snapshot ---------------------------------------------------------------------------------------


def config_to_json(criteria: Sequence[Criterion], bands: Sequence[Band]) -> dict[str, Any]:
    """The snapshot stored in `PpeAssessment.kriteria` (numbers of bands as strings, exact)."""
    return {
        "kriteria": [
            {"kode": c.kode, "kelompok": c.kelompok, "pertanyaan": c.pertanyaan, "maks": c.maks}
            for c in criteria
        ],
        "predikat": [{"dari": str(b.dari), "sampai": str(b.sampai), "label": b.label} for b in bands],
    }


def default_config_json() -> dict[str, Any]:
    return config_to_json(DEFAULT_CRITERIA, DEFAULT_BANDS)


def is_default(criteria: Sequence[Criterion], bands: Sequence[Band]) -> bool:
    return tuple(criteria) == DEFAULT_CRITERIA and tuple(bands) == DEFAULT_BANDS


def config_from_json(data: Any) -> tuple[list[Criterion], list[Band]]:
    """Criteria and bands from a stored snapshot; ValueError when its shape is wrong (not when its values
    are: that is `validate_config`'s job)."""
    if not isinstance(data, dict):
        raise ValueError(_("Konfigurasi PPE tersimpan tidak terbaca."))
    raw_criteria = data.get("kriteria")
    raw_bands = data.get("predikat")
    if not isinstance(raw_criteria, list) or not isinstance(raw_bands, list):
        raise ValueError(_("Konfigurasi PPE tersimpan tidak terbaca."))
    try:
        criteria = [
            Criterion(
                kode=str(item["kode"]),
                kelompok=str(item["kelompok"]),
                pertanyaan=str(item["pertanyaan"]),
                maks=item["maks"] if isinstance(item["maks"], int) else -1,
            )
            for item in raw_criteria
        ]
        bands = [
            Band(Decimal(str(item["dari"])), Decimal(str(item["sampai"])), str(item["label"]))
            for item in raw_bands
        ]
    except (KeyError, TypeError, InvalidOperation) as exc:
        raise ValueError(_("Konfigurasi PPE tersimpan tidak terbaca.")) from exc
    return criteria, bands


# --- plain-text form ---------------------------------------------------------------------------------------


def criteria_to_lines(criteria: Sequence[Criterion]) -> str:
    return "\n".join(f"{c.kode} | {c.kelompok} | {c.maks} | {c.pertanyaan}" for c in criteria)


def bands_to_lines(bands: Sequence[Band]) -> str:
    return "\n".join(f"{angka(b.dari)} | {angka(b.sampai)} | {b.label}" for b in bands)


def angka(value: Decimal) -> str:
    """A band limit for people, with only the decimals it has: "40", "37,5"."""
    return format_angka(value, _places(value))


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def criteria_from_lines(text: str) -> tuple[list[Criterion], list[str]]:
    """Criteria from lines "KODE | kelompok | maks | pertanyaan" (blank lines skipped); problems per line."""
    criteria: list[Criterion] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|", 3)]
        if len(parts) != 4:
            problems.append(
                _("Baris {n}: tulis “KODE | kelompok | skor maksimum | pertanyaan”.").format(n=number)
            )
            continue
        kode, kelompok, maks_text, pertanyaan = parts
        maks = int(maks_text) if DIGITS.fullmatch(maks_text) else -1
        if maks < 0:
            problems.append(
                _("Baris {n}: skor maksimum “{maks}” bukan bilangan bulat.").format(
                    n=number, maks=maks_text[:20]
                )
            )
            continue
        criteria.append(
            Criterion(kode=kode.upper(), kelompok=kelompok.lower(), pertanyaan=pertanyaan, maks=maks)
        )
    return criteria, problems


def bands_from_lines(text: str) -> tuple[list[Band], list[str]]:
    """Bands from lines "dari | sampai | predikat" in ascending order; numbers in Indonesian notation."""
    bands: list[Band] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) != 3:
            problems.append(
                _("Baris {n}: tulis “dari | sampai | predikat”, mis. “40 | 60 | Pratama”.").format(n=number)
            )
            continue
        try:
            dari = parse_angka(parts[0])
            sampai = parse_angka(parts[1])
        except AngkaError as exc:
            problems.append(_("Baris {n}: {pesan}").format(n=number, pesan=exc.message))
            continue
        bands.append(Band(dari, sampai, parts[2]))
    return bands, problems
