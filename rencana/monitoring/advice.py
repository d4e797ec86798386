"""Advice on a program or kegiatan for the next plan: lanjutkan, modifikasi or hentikan (keep, modify, stop).

Pure and deterministic: the same input always gives the same advice, and the advice names the rule that
fired and the facts (with their numbers) behind it. The planner decides; `ProgramDecision` records whether
the advice was followed.

Input (`advise`)
- capaian per year: (tahun, capaian or None), e.g. the program's outcome capaian of each evaluated year;
- serapan anggaran per year (percent, None = unknown);
- tertelusur: whether the logframe checker traces the program to a sasaran (objective);
- supporting and hindering factors reported in e-Monev (free texts), and optionally a trend ("naik",
  "turun", "tetap") given by the evaluator.

Facts (`AdviceFacts`), derived from the input
- *berdata*: the years with a capaian, in year order; the *latest* is the last of them.
- *kinerja* of a capaian: tinggi (≥ 76: predikat Tinggi or Sangat Tinggi), sedang (66 to 76), rendah
  (< 66: predikat Rendah or Sangat Rendah), after rounding to 2 decimals as in `achievement`.
- *rendah_beruntun*: how many of the latest years with a capaian are rendah in a row (years without data
  are skipped, not counted as low).
- *tren*: the given trend, else from the last two years with data: naik when the capaian rose by at least
  5 points (`TREN_AMBANG`), turun when it fell by at least 5, tetap otherwise; unknown with one year.
- *efisiensi* of the latest year (`achievement.efficiency` of its capaian and that year's serapan).

Rules (`RULES`, first match wins: code -> advice)
1. tanpa_data -> belum_cukup_data: no year has a capaian.
2. tidak_tertelusur_rendah -> hentikan: not traced to any sasaran and rendah in the latest 2 or more years.
3. rendah_menahun -> hentikan: rendah in the latest 3 or more years and the trend is not naik.
4. tidak_tertelusur -> modifikasi: not traced to any sasaran (link it to the sasaran it serves or
   restructure it).
5. boros -> modifikasi: the latest year's efisiensi is boros (serapan at least 25 points above capaian).
6. kinerja_tinggi -> lanjutkan: the latest capaian is tinggi (and the spending is not boros, rule 5).
7. kinerja_belum_tinggi -> modifikasi: everything else (the latest capaian is sedang or rendah).

Confidence (`Advice.keyakinan`): tinggi with 3 or more years of capaian and a known serapan for the latest
year, sedang with 2 years (or 3+ without the latest serapan), rendah with one year or none. The note says
why, and for hentikan with reported hindering factors it asks to check whether they were temporary.
Reported factors are listed as evidence but never change the rule: free text is not judged automatically.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from rencana.monitoring.achievement import (
    BATAS_TINGGI,
    BOROS,
    Efficiency,
    efficiency,
    persen,
    predikat,
    predikat_label,
    round2,
)

LANJUTKAN = "lanjutkan"
MODIFIKASI = "modifikasi"
HENTIKAN = "hentikan"
BELUM_CUKUP_DATA = "belum_cukup_data"

NAIK = "naik"
TURUN = "turun"
TETAP = "tetap"
TREN = (NAIK, TURUN, TETAP)

TINGGI = "tinggi"
SEDANG = "sedang"
RENDAH = "rendah"

BATAS_SEDANG = Decimal(66)  # below this a capaian is rendah (predikat Rendah or Sangat Rendah)
TREN_AMBANG = Decimal(5)
FACTOR_LENGTH = 200


@dataclass(frozen=True)
class AdviceFacts:
    tahun_berdata: tuple[int, ...]  # years with a capaian, in order
    capaian: tuple[tuple[int, Decimal | None], ...]  # every year given, in order, capaian rounded
    serapan: tuple[tuple[int, Decimal | None], ...]
    tahun_terakhir: int | None  # the latest year with a capaian
    capaian_terakhir: Decimal | None
    kinerja_terakhir: str | None  # TINGGI, SEDANG, RENDAH; None without data
    rendah_beruntun: int
    tren: str | None  # NAIK, TURUN, TETAP; None when unknown
    tren_diberikan: bool  # the trend came from the input, not from the numbers
    serapan_terakhir: Decimal | None  # serapan of tahun_terakhir
    efisiensi: Efficiency
    tertelusur: bool
    faktor_pendukung: tuple[str, ...]
    faktor_penghambat: tuple[str, ...]


@dataclass(frozen=True)
class AdviceRule:
    kode: str
    rekomendasi: str
    syarat: Callable[[AdviceFacts], bool]
    bukti: tuple[str, ...]  # facts named in the evidence, in order (see `_evidence`)


RULES: tuple[AdviceRule, ...] = (
    AdviceRule("tanpa_data", BELUM_CUKUP_DATA, lambda f: not f.tahun_berdata, ("capaian",)),
    AdviceRule(
        "tidak_tertelusur_rendah",
        HENTIKAN,
        lambda f: not f.tertelusur and f.rendah_beruntun >= 2,
        ("tertelusur", "rendah_beruntun", "capaian"),
    ),
    AdviceRule(
        "rendah_menahun",
        HENTIKAN,
        lambda f: f.rendah_beruntun >= 3 and f.tren != NAIK,
        ("rendah_beruntun", "tren", "capaian"),
    ),
    AdviceRule(
        "tidak_tertelusur", MODIFIKASI, lambda f: not f.tertelusur, ("tertelusur", "capaian_terakhir")
    ),
    AdviceRule("boros", MODIFIKASI, lambda f: f.efisiensi.kategori == BOROS, ("efisiensi", "capaian")),
    AdviceRule(
        "kinerja_tinggi",
        LANJUTKAN,
        lambda f: f.kinerja_terakhir == TINGGI,
        ("capaian_terakhir", "efisiensi", "tren"),
    ),
    AdviceRule(
        "kinerja_belum_tinggi",
        MODIFIKASI,
        lambda f: True,
        ("capaian_terakhir", "tren", "efisiensi"),
    ),
)


@dataclass(frozen=True)
class Advice:
    rekomendasi: str  # LANJUTKAN, MODIFIKASI, HENTIKAN, BELUM_CUKUP_DATA
    aturan: str  # the code of the rule that fired
    penjelasan_aturan: str  # the rule in one sentence
    bukti: tuple[str, ...]  # short Indonesian sentences naming the numbers, most important first
    keyakinan: str  # TINGGI, SEDANG, RENDAH
    catatan_keyakinan: str
    fakta: AdviceFacts


def recommendation_label(rekomendasi: str) -> str:
    labels = {
        LANJUTKAN: _("Lanjutkan"),
        MODIFIKASI: _("Modifikasi"),
        HENTIKAN: _("Hentikan"),
        BELUM_CUKUP_DATA: _("Belum cukup data"),
    }
    return labels.get(rekomendasi, rekomendasi)


def _rule_texts() -> dict[str, str]:
    return {
        "tanpa_data": _("Belum ada capaian pada tahun mana pun, sehingga belum dapat disarankan."),
        "tidak_tertelusur_rendah": _(
            "Tidak tertelusur ke sasaran dan capaiannya rendah dua tahun atau lebih berturut-turut: hentikan."
        ),
        "rendah_menahun": _(
            "Capaian rendah tiga tahun atau lebih berturut-turut dan tidak membaik: hentikan."
        ),
        "tidak_tertelusur": _(
            "Tidak tertelusur ke sasaran: modifikasi dengan menautkannya ke sasaran yang dilayani atau "
            "menyusun ulang."
        ),
        "boros": _("Serapan anggaran jauh melampaui capaian: modifikasi cara pelaksanaan atau besaran pagu."),
        "kinerja_tinggi": _(
            "Capaian tahun terakhir tinggi dengan penggunaan anggaran yang wajar: lanjutkan."
        ),
        "kinerja_belum_tinggi": _("Capaian tahun terakhir belum mencapai predikat Tinggi: modifikasi."),
    }


# --- facts ------------------------------------------------------------------------------------------


def _kinerja(value: Decimal) -> str:
    rounded = round2(value)
    if rounded >= BATAS_TINGGI:
        return TINGGI
    if rounded >= BATAS_SEDANG:
        return SEDANG
    return RENDAH


def _clean_texts(texts: Sequence[str]) -> tuple[str, ...]:
    cleaned = (" ".join(text.split()) for text in texts)
    return tuple(
        text if len(text) <= FACTOR_LENGTH else text[: FACTOR_LENGTH - 1] + "…" for text in cleaned if text
    )


def _check_value(value: Decimal | None, what: str, year: int) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValueError(
            _("Nilai %(apa)s tahun %(tahun)d harus angka tidak negatif.") % {"apa": what, "tahun": year}
        )
    return round2(value)


def facts(
    *,
    capaian_tahunan: Sequence[tuple[int, Decimal | None]],
    serapan_tahunan: Mapping[int, Decimal | None],
    tertelusur: bool,
    faktor_pendukung: Sequence[str] = (),
    faktor_penghambat: Sequence[str] = (),
    tren: str | None = None,
) -> AdviceFacts:
    """The facts of the module docstring; refuses a year given twice, a negative value or an unknown trend."""
    years = [year for year, _value in capaian_tahunan]
    if len(set(years)) != len(years):
        raise ValueError(_("Setiap tahun capaian hanya boleh muncul sekali."))
    if tren is not None and tren not in TREN:
        raise ValueError(
            _("Tren “%(tren)s” tidak dikenal: gunakan “naik”, “turun” atau “tetap”.") % {"tren": tren}
        )
    capaian = tuple(
        (year, _check_value(value, _("capaian"), year))
        for year, value in sorted(capaian_tahunan, key=lambda p: p[0])
    )
    serapan = tuple(
        (year, _check_value(serapan_tahunan[year], _("serapan anggaran"), year))
        for year in sorted(serapan_tahunan)
    )
    berdata = [(year, value) for year, value in capaian if value is not None]
    rendah_beruntun = 0
    for _year, value in reversed(berdata):
        if _kinerja(value) != RENDAH:
            break
        rendah_beruntun += 1
    tren_diberikan = tren is not None
    if tren is None and len(berdata) >= 2:
        change = berdata[-1][1] - berdata[-2][1]
        tren = NAIK if change >= TREN_AMBANG else TURUN if change <= -TREN_AMBANG else TETAP
    tahun_terakhir = berdata[-1][0] if berdata else None
    capaian_terakhir = berdata[-1][1] if berdata else None
    serapan_terakhir = dict(serapan).get(tahun_terakhir) if tahun_terakhir is not None else None
    return AdviceFacts(
        tahun_berdata=tuple(year for year, _value in berdata),
        capaian=capaian,
        serapan=serapan,
        tahun_terakhir=tahun_terakhir,
        capaian_terakhir=capaian_terakhir,
        kinerja_terakhir=None if capaian_terakhir is None else _kinerja(capaian_terakhir),
        rendah_beruntun=rendah_beruntun,
        tren=tren,
        tren_diberikan=tren_diberikan,
        serapan_terakhir=serapan_terakhir,
        efisiensi=efficiency(capaian_terakhir, serapan_terakhir),
        tertelusur=bool(tertelusur),
        faktor_pendukung=_clean_texts(faktor_pendukung),
        faktor_penghambat=_clean_texts(faktor_penghambat),
    )


# --- evidence ---------------------------------------------------------------------------------------


def _capaian_text(value: Decimal) -> str:
    return _("%(capaian)s (%(predikat)s)") % {
        "capaian": persen(value),
        "predikat": predikat_label(predikat(value)),
    }


def _evidence(fact: str, f: AdviceFacts) -> str | None:
    """One sentence about one fact, or None when there is nothing to say."""
    if fact == "capaian":
        if not f.capaian:
            return _("Belum ada data capaian.")
        parts = [
            _("%(tahun)d: tidak ada data") % {"tahun": year}
            if value is None
            else _("%(tahun)d: %(capaian)s") % {"tahun": year, "capaian": _capaian_text(value)}
            for year, value in f.capaian
        ]
        return _("Capaian per tahun: %(rincian)s.") % {"rincian": "; ".join(parts)}
    if fact == "capaian_terakhir" and f.capaian_terakhir is not None and f.tahun_terakhir is not None:
        return _("Capaian tahun terakhir (%(tahun)d): %(capaian)s.") % {
            "tahun": f.tahun_terakhir,
            "capaian": _capaian_text(f.capaian_terakhir),
        }
    if fact == "rendah_beruntun" and f.rendah_beruntun:
        return _(
            "Capaian di bawah %(batas)s (predikat Rendah atau Sangat Rendah) pada %(jumlah)d tahun terakhir "
            "berturut-turut."
        ) % {"batas": persen(BATAS_SEDANG), "jumlah": f.rendah_beruntun}
    if fact == "tertelusur":
        if f.tertelusur:
            return _("Tertelusur ke sasaran menurut pemeriksaan logframe.")
        return _("Tidak tertelusur ke sasaran mana pun menurut pemeriksaan logframe.")
    if fact == "tren":
        return _trend_text(f)
    if fact == "efisiensi":
        return f.efisiensi.penjelasan
    return None


def _trend_text(f: AdviceFacts) -> str | None:
    names = {NAIK: _("naik"), TURUN: _("turun"), TETAP: _("tetap")}
    if f.tren is None:
        return None
    if f.tren_diberikan:
        return _("Tren yang dilaporkan: %(tren)s.") % {"tren": names[f.tren]}
    berdata = [(year, value) for year, value in f.capaian if value is not None]
    (tahun_awal, awal), (tahun_akhir, akhir) = berdata[-2], berdata[-1]
    return _("Tren capaian %(tren)s: dari %(awal)s (%(tahun_awal)d) menjadi %(akhir)s (%(tahun_akhir)d).") % {
        "tren": names[f.tren],
        "awal": persen(awal),
        "tahun_awal": tahun_awal,
        "akhir": persen(akhir),
        "tahun_akhir": tahun_akhir,
    }


def _factor_evidence(f: AdviceFacts) -> list[str]:
    found: list[str] = []
    if f.faktor_pendukung:
        found.append(
            _("Faktor pendukung yang dilaporkan: %(faktor)s.") % {"faktor": "; ".join(f.faktor_pendukung)}
        )
    if f.faktor_penghambat:
        found.append(
            _("Faktor penghambat yang dilaporkan: %(faktor)s.") % {"faktor": "; ".join(f.faktor_penghambat)}
        )
    return found


def _confidence(f: AdviceFacts, rekomendasi: str) -> tuple[str, str]:
    years = len(f.tahun_berdata)
    if years >= 3 and f.serapan_terakhir is not None:
        level = TINGGI
    elif years >= 2:
        level = SEDANG
    else:
        level = RENDAH
    notes = {
        TINGGI: _(
            "Keyakinan tinggi: %(jumlah)d tahun data capaian dan serapan anggaran tahun terakhir tersedia."
        ),
        SEDANG: _("Keyakinan sedang: %(jumlah)d tahun data capaian."),
        RENDAH: _("Keyakinan rendah: hanya %(jumlah)d tahun data capaian."),
    }
    parts = [notes[level] % {"jumlah": years} if years else _("Keyakinan rendah: belum ada data capaian.")]
    if years and f.serapan_terakhir is None:
        parts.append(_("Serapan anggaran tahun terakhir tidak tersedia."))
    if rekomendasi == HENTIKAN and f.faktor_penghambat:
        parts.append(
            _(
                "Ada faktor penghambat yang dilaporkan; periksa apakah penyebabnya sementara sebelum "
                "menghentikan."
            )
        )
    return level, " ".join(parts)


def advise(
    *,
    capaian_tahunan: Sequence[tuple[int, Decimal | None]],
    serapan_tahunan: Mapping[int, Decimal | None] | None = None,
    tertelusur: bool,
    faktor_pendukung: Sequence[str] = (),
    faktor_penghambat: Sequence[str] = (),
    tren: str | None = None,
) -> Advice:
    """The advice for one program or kegiatan: the first rule of `RULES` that holds, with its evidence."""
    f = facts(
        capaian_tahunan=capaian_tahunan,
        serapan_tahunan=serapan_tahunan or {},
        tertelusur=tertelusur,
        faktor_pendukung=faktor_pendukung,
        faktor_penghambat=faktor_penghambat,
        tren=tren,
    )
    rule = next(r for r in RULES if r.syarat(f))
    bukti = [text for fact in rule.bukti if (text := _evidence(fact, f)) is not None]
    bukti.extend(_factor_evidence(f))
    keyakinan, catatan = _confidence(f, rule.rekomendasi)
    return Advice(
        rekomendasi=rule.rekomendasi,
        aturan=rule.kode,
        penjelasan_aturan=_rule_texts()[rule.kode],
        bukti=tuple(bukti),
        keyakinan=keyakinan,
        catatan_keyakinan=catatan,
        fakta=f,
    )
