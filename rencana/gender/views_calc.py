# ruff: noqa: RUF001, RUF002
# The formulas shown to people use the real minus and multiplication signs (U+2212, U+00D7).
"""Public calculator pages of IPM, IPG, GDI, GII and IKG, with every step explained in plain Indonesian.

For Pokja PUG members who are not statisticians: a form per index (numbers in Indonesian or plain
notation, "69,70" or "69.70"; percentages may end with "%"), the result at the published precision
(IPM and IPG 2 decimals, GDI, GII and IKG 3, ROUND_HALF_UP) and each intermediate index with the actual
numbers, e.g. "Indeks kesehatan = (UHH − 20) / (85 − 20) = (69,70 − 20) / 65 = 0,7646". The numbers come
from `gender.indices` (the same engine as `rencana calc`); this module only formats them. Intermediate
values are shown with 4 decimals (6 below 0,1); nothing is rounded before the end of the computation.

- `calc_index` (`pug/kalkulator/`): the five calculators.
- `calc` (`pug/kalkulator/<nama>/`, nama = ipm | ipg | gdi | gii | ikg; another name is 404). The form is
  sent with GET so a result can be bookmarked or shared; a bad value answers 400 with a message beside its
  field, never a 500.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from rencana.core.access import public_view
from rencana.core.numbers import AngkaError, format_angka, parse_angka
from rencana.gender import indices
from rencana.gender.indices import Goalposts, IndexInputError, SexComponents, UndpComponents

# --- the calculators, as data ---------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str  # form field; the engine's "perempuan.uhh" is "perempuan_uhh"
    label: Any  # lazy text
    bantuan: Any  # lazy text: what the number is and where to find it
    contoh: str  # an example value (the acceptance row of the calculator)
    persen: bool = False  # accepts a trailing "%"
    kelompok: Any = ""  # lazy text: the group heading (perempuan / laki-laki)


@dataclass(frozen=True)
class Calculator:
    nama: str
    judul: Any
    ringkas: Any  # one sentence for the index page
    penjelasan: Any  # what the index means
    fields: tuple[Field, ...]
    contoh_sumber: Any  # where the example comes from


def _ipm_fields(prefix: str, kelompok: Any, contoh: tuple[str, str, str, str]) -> tuple[Field, ...]:
    return (
        Field(
            prefix + "uhh",
            gettext_lazy("UHH: umur harapan hidup saat lahir (tahun)"),
            gettext_lazy("Rata-rata perkiraan lama hidup bayi yang baru lahir. Sumber: BPS."),
            contoh[0],
            kelompok=kelompok,
        ),
        Field(
            prefix + "hls",
            gettext_lazy("HLS: harapan lama sekolah (tahun)"),
            gettext_lazy("Lama sekolah yang diharapkan dialami anak usia 7 tahun. Sumber: BPS (Susenas)."),
            contoh[1],
            kelompok=kelompok,
        ),
        Field(
            prefix + "rls",
            gettext_lazy("RLS: rata-rata lama sekolah (tahun)"),
            gettext_lazy("Rata-rata lama sekolah penduduk usia 25 tahun ke atas. Sumber: BPS (Susenas)."),
            contoh[2],
            kelompok=kelompok,
        ),
        Field(
            prefix + "pengeluaran",
            gettext_lazy("Pengeluaran per kapita disesuaikan (Rp/orang/tahun)"),
            gettext_lazy(
                "Pengeluaran riil per orang per tahun, harga konstan 2012, seperti dipublikasikan BPS."
            ),
            contoh[3],
            kelompok=kelompok,
        ),
    )


def _hdi_fields(prefix: str, kelompok: Any, contoh: tuple[str, str, str, str]) -> tuple[Field, ...]:
    return (
        Field(
            prefix + "le",
            gettext_lazy("Umur harapan hidup saat lahir (tahun)"),
            gettext_lazy("Istilah UNDP: life expectancy at birth (LE)."),
            contoh[0],
            kelompok=kelompok,
        ),
        Field(
            prefix + "eys",
            gettext_lazy("Harapan lama sekolah (tahun)"),
            gettext_lazy("Istilah UNDP: expected years of schooling (EYS)."),
            contoh[1],
            kelompok=kelompok,
        ),
        Field(
            prefix + "mys",
            gettext_lazy("Rata-rata lama sekolah (tahun)"),
            gettext_lazy("Istilah UNDP: mean years of schooling (MYS), penduduk 25 tahun ke atas."),
            contoh[2],
            kelompok=kelompok,
        ),
        Field(
            prefix + "gni_pc",
            gettext_lazy("Pendapatan nasional bruto per kapita (PPP$ 2017)"),
            gettext_lazy("Istilah UNDP: GNI per capita, dalam PPP$ tahun 2017."),
            contoh[3],
            kelompok=kelompok,
        ),
    )


def _share_fields(
    prefix: str, names: tuple[str, str, str], contoh: tuple[str, str, str, str, str, str]
) -> tuple[Field, ...]:
    parlemen, sekolah, kerja = names
    perempuan = gettext_lazy("Perempuan")
    laki_laki = gettext_lazy("Laki-laki")
    return (
        Field(
            parlemen + ("_f" if prefix == "undp" else "_p"),
            gettext_lazy("Kursi parlemen/DPRD perempuan (%)"),
            gettext_lazy("Persentase kursi yang diduduki perempuan."),
            contoh[0],
            persen=True,
            kelompok=perempuan,
        ),
        Field(
            sekolah + ("_f" if prefix == "undp" else "_p"),
            gettext_lazy("Penduduk 25+ berpendidikan menengah ke atas, perempuan (%)"),
            gettext_lazy("GII: paling sedikit pernah SMP/SMA (secondary); IKG: tamat SMA ke atas."),
            contoh[1],
            persen=True,
            kelompok=perempuan,
        ),
        Field(
            kerja + ("_f" if prefix == "undp" else "_p"),
            gettext_lazy("Tingkat partisipasi angkatan kerja perempuan (%)"),
            gettext_lazy("TPAK: persentase penduduk usia kerja yang bekerja atau mencari kerja."),
            contoh[2],
            persen=True,
            kelompok=perempuan,
        ),
        Field(
            parlemen + ("_m" if prefix == "undp" else "_l"),
            gettext_lazy("Kursi parlemen/DPRD laki-laki (%)"),
            gettext_lazy("Persentase kursi yang diduduki laki-laki."),
            contoh[3],
            persen=True,
            kelompok=laki_laki,
        ),
        Field(
            sekolah + ("_m" if prefix == "undp" else "_l"),
            gettext_lazy("Penduduk 25+ berpendidikan menengah ke atas, laki-laki (%)"),
            gettext_lazy("Ukuran yang sama dengan isian perempuan."),
            contoh[4],
            persen=True,
            kelompok=laki_laki,
        ),
        Field(
            kerja + ("_m" if prefix == "undp" else "_l"),
            gettext_lazy("Tingkat partisipasi angkatan kerja laki-laki (%)"),
            gettext_lazy("TPAK laki-laki."),
            contoh[5],
            persen=True,
            kelompok=laki_laki,
        ),
    )


PEREMPUAN = gettext_lazy("Perempuan")
LAKI_LAKI = gettext_lazy("Laki-laki")

CALCULATORS: Mapping[str, Calculator] = {
    "ipm": Calculator(
        "ipm",
        gettext_lazy("Indeks Pembangunan Manusia (IPM)"),
        gettext_lazy("IPM BPS metode baru dari umur harapan hidup, pendidikan dan pengeluaran."),
        gettext_lazy(
            "IPM mengukur capaian pembangunan manusia dari tiga dimensi: umur panjang dan hidup sehat, "
            "pengetahuan, dan standar hidup layak. Nilainya 0–100; makin tinggi makin baik."
        ),
        _ipm_fields("", "", ("73,93", "13,15", "8,77", "11.899.000")),
        gettext_lazy("Indonesia 2023 (BPS, rilis November 2023): IPM 74,39."),
    ),
    "ipg": Calculator(
        "ipg",
        gettext_lazy("Indeks Pembangunan Gender (IPG)"),
        gettext_lazy("IPG BPS: IPM perempuan dibanding IPM laki-laki."),
        gettext_lazy(
            "IPG membandingkan IPM perempuan dengan IPM laki-laki. Nilai 100 berarti capaian pembangunan "
            "manusia perempuan setara dengan laki-laki; di bawah 100 berarti perempuan tertinggal."
        ),
        (
            *_ipm_fields("perempuan_", PEREMPUAN, ("76,43", "13,15", "8,77", "11.899.000")),
            *_ipm_fields("laki_laki_", LAKI_LAKI, ("71,43", "13,15", "8,77", "11.899.000")),
        ),
        gettext_lazy(
            "Contoh buatan dari IPM Indonesia 2023: UHH perempuan 5 tahun di atas laki-laki dan komponen "
            "lain "
            "sama, sehingga IPG 100,00 (setara)."
        ),
    ),
    "gdi": Calculator(
        "gdi",
        gettext_lazy("Gender Development Index (GDI, UNDP)"),
        gettext_lazy("GDI UNDP: HDI perempuan dibanding HDI laki-laki."),
        gettext_lazy(
            "GDI adalah padanan IPG versi UNDP (Human Development Report): HDI perempuan dibagi HDI "
            "laki-laki. Nilai 1 berarti setara."
        ),
        (
            *_hdi_fields("female_", PEREMPUAN, ("69,7437", "13,83131392", "8,206930161", "7905,917421")),
            *_hdi_fields("male_", LAKI_LAKI, ("65,5327", "13,67382635", "8,912110329", "14975,81343")),
        ),
        gettext_lazy("Indonesia 2021 (UNDP Human Development Report 2021/22): GDI 0,941."),
    ),
    "gii": Calculator(
        "gii",
        gettext_lazy("Gender Inequality Index (GII, UNDP)"),
        gettext_lazy("GII UNDP dari kesehatan reproduksi, pemberdayaan dan pasar kerja."),
        gettext_lazy(
            "GII mengukur kerugian pembangunan akibat ketimpangan gender pada kesehatan reproduksi, "
            "pemberdayaan dan pasar kerja. Nilainya 0–1: 0 berarti setara penuh, makin tinggi makin timpang."
        ),
        (
            Field(
                "mmr",
                gettext_lazy("Angka kematian ibu (per 100.000 kelahiran hidup)"),
                gettext_lazy("Istilah UNDP: maternal mortality ratio (MMR); dibatasi 10–1.000 oleh metode."),
                "177",
            ),
            Field(
                "abr",
                gettext_lazy("Angka kelahiran remaja (per 1.000 perempuan 15–19 tahun)"),
                gettext_lazy("Istilah UNDP: adolescent birth rate (ABR); harus lebih dari 0."),
                "33,929",
            ),
            *_share_fields(
                "undp",
                ("pr", "se", "lfpr"),
                ("21,04347826", "51,00518036", "53,704", "78,95652174", "58,21279907", "81,668"),
            ),
        ),
        gettext_lazy("Indonesia 2021 (UNDP Human Development Report 2021/22): GII 0,444."),
    ),
    "ikg": Calculator(
        "ikg",
        gettext_lazy("Indeks Ketimpangan Gender (IKG)"),
        gettext_lazy("IKG BPS, adaptasi GII dengan MTF dan MHPK20."),
        gettext_lazy(
            "IKG (BPS) mengukur ketimpangan gender pada kesehatan reproduksi, pemberdayaan dan pasar kerja. "
            "Nilainya 0–1: 0 berarti setara penuh, makin tinggi makin timpang."
        ),
        (
            Field(
                "mtf",
                gettext_lazy("MTF: persalinan terakhir tidak di fasilitas kesehatan (proporsi 0–1)"),
                gettext_lazy(
                    "Proporsi perempuan 15–49 tahun yang melahirkan hidup terakhir tidak di fasilitas "
                    "kesehatan. Ditulis sebagai proporsi: 28% ditulis 0,28."
                ),
                "0,280",
            ),
            Field(
                "mhpk20",
                gettext_lazy("MHPK20: melahirkan hidup pertama sebelum usia 20 (proporsi 0–1)"),
                gettext_lazy("Proporsi perempuan 15–49 tahun yang melahirkan hidup pertama sebelum usia 20."),
                "0,324",
            ),
            *_share_fields(
                "bps", ("legislatif", "sma", "tpak"), ("9,09", "31,15", "41,27", "90,91", "38,98", "85,13")
            ),
        ),
        gettext_lazy("Kabupaten Bogor 2022 (BPS, tabel IKG menurut kabupaten/kota 2018–2022): IKG 0,588."),
    ),
}


# --- formatting ------------------------------------------------------------------------------------


def _n(value: float, places: int | None = None) -> str:
    """An intermediate number: 4 decimals, 6 below 0,1 (ROUND_HALF_UP)."""
    if places is None:
        places = 6 if abs(value) < 0.1 else 4
    return format_angka(value, places)


def _in(value: Decimal | float) -> str:
    """An input as typed (its own decimals), in Indonesian notation."""
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    exponent = number.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_angka(number, min(places, 10))


@dataclass(frozen=True)
class Step:
    judul: str
    penjelasan: str
    rumus: str


@dataclass(frozen=True)
class Outcome:
    label: str
    nilai: str
    catatan: str = ""


@dataclass(frozen=True)
class Explained:
    hasil: list[Outcome]
    langkah: list[Step]


# --- explanations ----------------------------------------------------------------------------------


def _judul(kind: str, siapa: str) -> str:
    """The title of a step: `kind` of index, `siapa` "" (everyone), "p" (perempuan) or "l" (laki-laki)."""
    titles = {
        ("kesehatan", ""): _("Indeks kesehatan"),
        ("kesehatan", "p"): _("Indeks kesehatan perempuan"),
        ("kesehatan", "l"): _("Indeks kesehatan laki-laki"),
        ("pendidikan", ""): _("Indeks pendidikan"),
        ("pendidikan", "p"): _("Indeks pendidikan perempuan"),
        ("pendidikan", "l"): _("Indeks pendidikan laki-laki"),
        ("pengeluaran", ""): _("Indeks pengeluaran"),
        ("pengeluaran", "p"): _("Indeks pengeluaran perempuan"),
        ("pengeluaran", "l"): _("Indeks pengeluaran laki-laki"),
        ("ipm", ""): "IPM",
        ("ipm", "p"): _("IPM perempuan"),
        ("ipm", "l"): _("IPM laki-laki"),
        ("pendapatan", "p"): _("Indeks pendapatan perempuan"),
        ("pendapatan", "l"): _("Indeks pendapatan laki-laki"),
        ("hdi", "p"): _("HDI perempuan"),
        ("hdi", "l"): _("HDI laki-laki"),
    }
    return titles[(kind, siapa)]


def _ipm_steps(
    uhh: Decimal,
    hls: Decimal,
    rls: Decimal,
    p: Decimal,
    goal: Goalposts,
    hasil: indices.IpmResult,
    siapa: str,
) -> list[Step]:
    steps: list[Step] = []
    lo, hi = (
        format_angka(goal.minimum, 1 if goal.minimum % 1 else 0),
        format_angka(goal.maximum, 1 if goal.maximum % 1 else 0),
    )
    span = format_angka(goal.maximum - goal.minimum, 0)
    uhh_used = min(float(uhh), goal.maximum)
    note = ""
    if float(uhh) > goal.maximum:
        note = " " + _("UHH di atas {hi} dihitung {hi}.").format(hi=hi)
    steps.append(
        Step(
            _judul("kesehatan", siapa),
            _("Umur harapan hidup diukur terhadap batas bawah {lo} dan batas atas {hi} tahun.").format(
                lo=lo, hi=hi
            )
            + note,
            _("Indeks kesehatan = (UHH − {lo}) / ({hi} − {lo}) = ({uhh} − {lo}) / {span} = {hasil}").format(
                lo=lo,
                hi=hi,
                uhh=_in(Decimal(repr(uhh_used)) if note else uhh),
                span=span,
                hasil=_n(hasil.indeks_kesehatan),
            ),
        )
    )
    ihls = min(float(hls), indices.HLS_MAKS) / indices.HLS_MAKS
    irls = min(float(rls), indices.RLS_MAKS) / indices.RLS_MAKS
    steps.append(
        Step(
            _judul("pendidikan", siapa),
            _(
                "Rata-rata dua indeks: harapan lama sekolah terhadap 18 tahun dan rata-rata lama sekolah "
                "terhadap 15 tahun (nilai di atas batas dihitung sama dengan batas)."
            ),
            _(
                "Indeks HLS = {hls} / 18 = {ihls}; indeks RLS = {rls} / 15 = {irls}; indeks pendidikan = "
                "({ihls} + {irls}) / 2 = {hasil}"
            ).format(
                hls=_in(min(hls, Decimal(18))),
                ihls=_n(ihls),
                rls=_in(min(rls, Decimal(15))),
                irls=_n(irls),
                hasil=_n(hasil.indeks_pendidikan),
            ),
        )
    )
    p_used = min(float(p), indices.PENGELUARAN.maximum)
    ln_p, ln_min, ln_max = (
        math.log(p_used),
        math.log(indices.PENGELUARAN.minimum),
        math.log(indices.PENGELUARAN.maximum),
    )
    steps.append(
        Step(
            _judul("pengeluaran", siapa),
            _(
                "Pengeluaran diukur dengan logaritma natural (ln) terhadap batas Rp 1.007.436 dan "
                "Rp 26.572.352 per orang per tahun: tambahan rupiah berarti lebih besar bagi yang "
                "pengeluarannya kecil."
            ),
            _(
                "Indeks pengeluaran = (ln P − ln 1.007.436) / (ln 26.572.352 − ln 1.007.436) = "
                "(ln {p} − {ln_min}) / ({ln_max} − {ln_min}) = ({ln_p} − {ln_min}) / {span} = {hasil}"
            ).format(
                p=_in(Decimal(repr(p_used)) if p_used != float(p) else p),
                ln_p=_n(ln_p),
                ln_min=_n(ln_min),
                ln_max=_n(ln_max),
                span=_n(ln_max - ln_min),
                hasil=_n(hasil.indeks_pengeluaran),
            ),
        )
    )
    steps.append(
        Step(
            _judul("ipm", siapa),
            _("Rata-rata ukur (akar pangkat tiga dari hasil kali) ketiga indeks, dikali 100."),
            _(
                "IPM = 100 × ∛(indeks kesehatan × indeks pendidikan × indeks pengeluaran) = "
                "100 × ∛({a} × {b} × {c}) = {raw} → {ipm} (dibulatkan 2 desimal)"
            ).format(
                a=_n(hasil.indeks_kesehatan),
                b=_n(hasil.indeks_pendidikan),
                c=_n(hasil.indeks_pengeluaran),
                raw=_n(hasil.ipm_raw),
                ipm=format_angka(hasil.ipm, 2),
            ),
        )
    )
    return steps


def explain_ipm(values: Mapping[str, Decimal]) -> Explained:
    hasil = indices.ipm(values["uhh"], values["hls"], values["rls"], values["pengeluaran"])
    steps = _ipm_steps(
        values["uhh"], values["hls"], values["rls"], values["pengeluaran"], indices.UHH, hasil, ""
    )
    status = indices.status_label(hasil.status)
    steps.append(
        Step(
            _("Status pembangunan manusia"),
            _(
                "Rendah di bawah 60; sedang 60 sampai di bawah 70; tinggi 70 sampai di bawah 80; "
                "sangat tinggi 80 ke atas."
            ),
            _("IPM {ipm} → {status}").format(ipm=format_angka(hasil.ipm, 2), status=status),
        )
    )
    return Explained(
        [
            Outcome("IPM", format_angka(hasil.ipm, 2), _("dibulatkan 2 desimal, ROUND_HALF_UP")),
            Outcome(_("Status"), status),
        ],
        steps,
    )


def explain_ipg(values: Mapping[str, Decimal]) -> Explained:
    def sex(prefix: str) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        return (
            values[prefix + "uhh"],
            values[prefix + "hls"],
            values[prefix + "rls"],
            values[prefix + "pengeluaran"],
        )

    hasil = indices.ipg(SexComponents(*sex("perempuan_")), SexComponents(*sex("laki_laki_")))
    steps = [
        Step(
            _("Batas umur harapan hidup per jenis kelamin"),
            _(
                "IPG memakai batas UHH yang berbeda: perempuan 22,5–87,5 tahun, laki-laki 17,5–82,5 tahun, "
                "karena perempuan secara biologis cenderung hidup sekitar 5 tahun lebih lama. Pengeluaran "
                "adalah pengeluaran masing-masing jenis kelamin."
            ),
            "",
        ),
        *_ipm_steps(*sex("perempuan_"), indices.LE_FEMALE, hasil.ipm_perempuan, "p"),
        *_ipm_steps(*sex("laki_laki_"), indices.LE_MALE, hasil.ipm_laki_laki, "l"),
        Step(
            "IPG",
            _("IPM perempuan dibagi IPM laki-laki, dikali 100 (dihitung dari nilai yang belum dibulatkan)."),
            _(
                "IPG = 100 × IPM perempuan / IPM laki-laki = 100 × {p} / {l} = {raw} → {ipg} "
                "(dibulatkan 2 desimal)"
            ).format(
                p=_n(hasil.ipm_perempuan.ipm_raw),
                l=_n(hasil.ipm_laki_laki.ipm_raw),
                raw=_n(hasil.ipg_raw),
                ipg=format_angka(hasil.ipg, 2),
            ),
        ),
    ]
    return Explained(
        [
            Outcome(_("IPM perempuan"), format_angka(hasil.ipm_perempuan.ipm, 2)),
            Outcome(_("IPM laki-laki"), format_angka(hasil.ipm_laki_laki.ipm, 2)),
            Outcome("IPG", format_angka(hasil.ipg, 2), _("dibulatkan 2 desimal, ROUND_HALF_UP")),
        ],
        steps,
    )


def _hdi_steps(c: UndpComponents, goal: Goalposts, hasil: indices.HdiResult, siapa: str) -> list[Step]:
    lo = format_angka(goal.minimum, 1)
    hi = format_angka(goal.maximum, 1)
    le = Decimal(repr(min(float(c.le), goal.maximum)))
    eys = min(Decimal(c.eys), Decimal(18))
    mys = min(Decimal(c.mys), Decimal(15))
    gni = min(max(float(c.gni_pc), indices.GNI_PC.minimum), indices.GNI_PC.maximum)
    return [
        Step(
            _judul("kesehatan", siapa),
            _("Umur harapan hidup terhadap batas {lo}–{hi} tahun.").format(lo=lo, hi=hi),
            _("({le} − {lo}) / ({hi} − {lo}) = {hasil}").format(
                le=_in(le), lo=lo, hi=hi, hasil=_n(hasil.health_index)
            ),
        ),
        Step(
            _judul("pendidikan", siapa),
            _(
                "Rata-rata harapan lama sekolah terhadap 18 tahun dan rata-rata lama sekolah terhadap "
                "15 tahun."
            ),
            _("({eys} / 18 + {mys} / 15) / 2 = {hasil}").format(
                eys=_in(eys), mys=_in(mys), hasil=_n(hasil.education_index)
            ),
        ),
        Step(
            _judul("pendapatan", siapa),
            _("Logaritma natural pendapatan terhadap batas PPP$ 100 dan PPP$ 75.000."),
            _("(ln {gni} − ln 100) / (ln 75.000 − ln 100) = ({ln} − {lo}) / ({hi} − {lo}) = {hasil}").format(
                gni=_in(Decimal(repr(gni))),
                ln=_n(math.log(gni)),
                lo=_n(math.log(indices.GNI_PC.minimum)),
                hi=_n(math.log(indices.GNI_PC.maximum)),
                hasil=_n(hasil.income_index),
            ),
        ),
        Step(
            _judul("hdi", siapa),
            _("Rata-rata ukur (akar pangkat tiga dari hasil kali) ketiga indeks."),
            _("HDI = ∛({a} × {b} × {c}) = {hasil}").format(
                a=_n(hasil.health_index),
                b=_n(hasil.education_index),
                c=_n(hasil.income_index),
                hasil=_n(hasil.hdi_raw),
            ),
        ),
    ]


def explain_gdi(values: Mapping[str, Decimal]) -> Explained:
    def sex(prefix: str) -> UndpComponents:
        return UndpComponents(
            values[prefix + "le"], values[prefix + "eys"], values[prefix + "mys"], values[prefix + "gni_pc"]
        )

    female, male = sex("female_"), sex("male_")
    hasil = indices.gdi(female, male)
    steps = [
        *_hdi_steps(female, indices.LE_FEMALE, hasil.hdi_f, "p"),
        *_hdi_steps(male, indices.LE_MALE, hasil.hdi_m, "l"),
        Step(
            "GDI",
            _("HDI perempuan dibagi HDI laki-laki."),
            _("GDI = {f} / {m} = {raw} → {gdi} (dibulatkan 3 desimal)").format(
                f=_n(hasil.hdi_f.hdi_raw),
                m=_n(hasil.hdi_m.hdi_raw),
                raw=_n(hasil.gdi_raw),
                gdi=format_angka(hasil.gdi, 3),
            ),
        ),
    ]
    return Explained(
        [
            Outcome(_("HDI perempuan"), _n(hasil.hdi_f.hdi_raw)),
            Outcome(_("HDI laki-laki"), _n(hasil.hdi_m.hdi_raw)),
            Outcome("GDI", format_angka(hasil.gdi, 3), _("dibulatkan 3 desimal, ROUND_HALF_UP")),
        ],
        steps,
    )


def _parliament(value: Decimal) -> float:
    return float(value) if value > 0 else indices.PARLEMEN_MIN_PERSEN


def _inequality_steps(
    h_step: Step,
    shares: tuple[Decimal, Decimal, Decimal, Decimal, Decimal, Decimal],
    names: tuple[str, str, str],
    hasil: indices.GiiResult | indices.IkgResult,
    nama: str,
    h: float,
) -> list[Step]:
    pr_f, se_f, lf_f, pr_m, se_m, lf_m = shares
    parlemen, sekolah, kerja = names
    prop = [_parliament(pr_f) / 100, float(se_f) / 100, float(lf_f) / 100]
    prop_m = [_parliament(pr_m) / 100, float(se_m) / 100, float(lf_m) / 100]
    emp_f = math.sqrt(prop[0]) * math.sqrt(prop[1])
    emp_m = math.sqrt(prop_m[0]) * math.sqrt(prop_m[1])
    note = ""
    if pr_f == 0 or pr_m == 0:
        note = " " + _("Kursi 0% dihitung 0,1% agar rumus tetap terdefinisi.")
    nilai = format_angka(getattr(hasil, nama.lower()), 3)
    raw = float(getattr(hasil, nama.lower() + "_raw"))
    return [
        h_step,
        Step(
            _("Pemberdayaan"),
            _(
                "Persentase dipakai sebagai proporsi (dibagi 100). Pemberdayaan tiap jenis kelamin adalah "
                "akar dari hasil kali proporsi kursi {parlemen} dan proporsi berpendidikan {sekolah}."
            ).format(parlemen=parlemen, sekolah=sekolah)
            + note,
            _("Perempuan: √({a} × {b}) = {ef}; laki-laki: √({c} × {d}) = {em}").format(
                a=_n(prop[0]), b=_n(prop[1]), ef=_n(emp_f), c=_n(prop_m[0]), d=_n(prop_m[1]), em=_n(emp_m)
            ),
        ),
        Step(
            _("Indeks perempuan (G_F)"),
            _("Rata-rata ukur kesehatan reproduksi, pemberdayaan dan {kerja} perempuan.").format(kerja=kerja),
            _("G_F = ∛(h × pemberdayaan × {kerja}) = ∛({h} × {e} × {lf}) = {g}").format(
                kerja=kerja, h=_n(h), e=_n(emp_f), lf=_n(prop[2]), g=_n(hasil.g_f)
            ),
        ),
        Step(
            _("Indeks laki-laki (G_M)"),
            _(
                "Laki-laki tidak punya dimensi kesehatan reproduksi: rata-rata ukur pemberdayaan dan {kerja}."
            ).format(kerja=kerja),
            _("G_M = ∛(pemberdayaan × {kerja}) = ∛({e} × {lf}) = {g}").format(
                kerja=kerja, e=_n(emp_m), lf=_n(prop_m[2]), g=_n(hasil.g_m)
            ),
        ),
        Step(
            _("Rata-rata harmonik (HARM)"),
            _("Menggabungkan perempuan dan laki-laki dengan memberi bobot pada ketimpangan."),
            _("HARM = 2 / (1 / G_F + 1 / G_M) = 2 / (1 / {gf} + 1 / {gm}) = {harm}").format(
                gf=_n(hasil.g_f), gm=_n(hasil.g_m), harm=_n(hasil.harm)
            ),
        ),
        Step(
            _("Patokan setara (G_FM)"),
            _(
                "Rata-rata ukur dari rata-rata perempuan dan laki-laki pada tiap dimensi, seolah tidak ada "
                "ketimpangan."
            ),
            _(
                "G_FM = ∛(((h + 1) / 2) × ((pemberdayaan P + pemberdayaan L) / 2) × "
                "(({kerja} P + {kerja} L) / 2)) = ∛({a} × {b} × {c}) = {g}"
            ).format(
                kerja=kerja,
                a=_n((h + 1) / 2),
                b=_n((emp_f + emp_m) / 2),
                c=_n((prop[2] + prop_m[2]) / 2),
                g=_n(hasil.g_fm),
            ),
        ),
        Step(
            nama,
            _("Seberapa jauh HARM di bawah patokan setara: 0 berarti setara penuh."),
            _(
                "{nama} = 1 − HARM / G_FM = 1 − {harm} / {gfm} = {raw} → {nilai} (dibulatkan 3 desimal)"
            ).format(nama=nama, harm=_n(hasil.harm), gfm=_n(hasil.g_fm), raw=_n(raw), nilai=nilai),
        ),
    ]


def explain_gii(values: Mapping[str, Decimal]) -> Explained:
    v = values
    hasil = indices.gii(
        v["mmr"], v["abr"], v["pr_f"], v["pr_m"], v["se_f"], v["se_m"], v["lfpr_f"], v["lfpr_m"]
    )
    mmr = min(max(float(v["mmr"]), indices.MMR.minimum), indices.MMR.maximum)
    h_step = Step(
        _("Kesehatan reproduksi (h)"),
        _("Dari angka kematian ibu (MMR, dibatasi 10–1.000) dan angka kelahiran remaja (ABR)."),
        _("h = √((10 / MMR) × (1 / ABR)) = √((10 / {mmr}) × (1 / {abr})) = {h}").format(
            mmr=_in(Decimal(repr(mmr))), abr=_in(v["abr"]), h=_n(hasil.h)
        ),
    )
    shares = (v["pr_f"], v["se_f"], v["lfpr_f"], v["pr_m"], v["se_m"], v["lfpr_m"])
    steps = _inequality_steps(
        h_step, shares, (_("parlemen"), _("menengah"), _("partisipasi angkatan kerja")), hasil, "GII", hasil.h
    )
    return Explained(
        [Outcome("GII", format_angka(hasil.gii, 3), _("dibulatkan 3 desimal, ROUND_HALF_UP"))], steps
    )


def explain_ikg(values: Mapping[str, Decimal]) -> Explained:
    v = values
    hasil = indices.ikg(
        v["mtf"],
        v["mhpk20"],
        v["legislatif_l"],
        v["legislatif_p"],
        v["sma_l"],
        v["sma_p"],
        v["tpak_l"],
        v["tpak_p"],
    )
    h_step = Step(
        _("Kesehatan reproduksi (h)"),
        _(
            "BPS mengganti angka kematian ibu dan kelahiran remaja dengan MTF (persalinan tidak di fasilitas "
            "kesehatan) dan MHPK20 (melahirkan pertama sebelum usia 20)."
        ),
        _("h = √(0,00005 / (MTF × MHPK20)) = √(0,00005 / ({mtf} × {mhpk20})) = {h}").format(
            mtf=_in(v["mtf"]), mhpk20=_in(v["mhpk20"]), h=_n(hasil.h)
        ),
    )
    shares = (v["legislatif_p"], v["sma_p"], v["tpak_p"], v["legislatif_l"], v["sma_l"], v["tpak_l"])
    steps = _inequality_steps(h_step, shares, (_("DPRD"), _("SMA ke atas"), "TPAK"), hasil, "IKG", hasil.h)
    return Explained(
        [Outcome("IKG", format_angka(hasil.ikg, 3), _("dibulatkan 3 desimal, ROUND_HALF_UP"))], steps
    )


EXPLAINERS: Mapping[str, Callable[[Mapping[str, Decimal]], Explained]] = {
    "ipm": explain_ipm,
    "ipg": explain_ipg,
    "gdi": explain_gdi,
    "gii": explain_gii,
    "ikg": explain_ikg,
}


# --- the form --------------------------------------------------------------------------------------


def parse_inputs(
    calculator: Calculator, data: Mapping[str, str]
) -> tuple[dict[str, Decimal], dict[str, str]]:
    """The numbers typed in the form, and a message per field that is empty or not a number."""
    values: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for field in calculator.fields:
        raw = str(data.get(field.name, "") or "").strip()
        if not raw:
            errors[field.name] = _("Wajib diisi.")
            continue
        try:
            values[field.name] = parse_angka(raw, persen=field.persen)
        except AngkaError as exc:
            errors[field.name] = exc.message
    return values, errors


def _field_of(error: IndexInputError, calculator: Calculator) -> str | None:
    name = error.field.replace(".", "_")
    return name if any(f.name == name for f in calculator.fields) else None


def compute(calculator: Calculator, data: Mapping[str, str]) -> tuple[Explained | None, dict[str, str], str]:
    """(explanation, per-field errors, error for the whole form) of the submitted form."""
    values, errors = parse_inputs(calculator, data)
    # The engine stops at the first value out of range. To report every such field at once, a refused
    # (or unreadable) value is replaced by the calculator's example and the computation repeated; the
    # result of such a run is never shown.
    examples = {f.name: parse_angka(f.contoh) for f in calculator.fields}
    trial = {**examples, **values}
    form_error = ""
    for _attempt in range(len(calculator.fields) + 1):
        try:
            explained = EXPLAINERS[calculator.nama](trial)
        except IndexInputError as exc:
            field = _field_of(exc, calculator)
            if field is None or field in errors:
                form_error = exc.message
                break
            errors[field] = exc.message
            trial[field] = examples[field]
            continue
        except (ArithmeticError, ValueError):  # a value the method cannot use (overflow and the like)
            form_error = _("Nilai yang diisi tidak dapat dihitung; periksa kembali isian.")
            break
        if not errors:
            return explained, {}, ""
        break
    return None, errors, form_error


@public_view
@require_GET
def calc_index(request: HttpRequest) -> HttpResponse:
    return render(request, "gender/calc_index.html", {"calculators": list(CALCULATORS.values())})


@public_view
@require_GET
def calc(request: HttpRequest, nama: str) -> HttpResponse:
    calculator = CALCULATORS.get(nama)
    if calculator is None:
        raise Http404(_("Kalkulator tidak dikenal."))
    submitted = any(f.name in request.GET for f in calculator.fields)
    explained: Explained | None = None
    errors: dict[str, str] = {}
    form_error = ""
    if submitted:
        explained, errors, form_error = compute(calculator, request.GET)
    groups: list[dict[str, Any]] = []
    for field in calculator.fields:
        heading = str(field.kelompok)
        if not groups or groups[-1]["judul"] != heading:
            groups.append({"judul": heading, "fields": []})
        groups[-1]["fields"].append(
            {
                "name": field.name,
                "label": field.label,
                "bantuan": field.bantuan,
                "contoh": field.contoh,
                "value": str(request.GET.get(field.name, ""))[:100] if submitted else "",
                "error": errors.get(field.name, ""),
            }
        )
    context = {
        "calculator": calculator,
        "calculators": list(CALCULATORS.values()),
        "groups": groups,
        "explained": explained,
        "errors": errors,
        "form_error": form_error,
        "submitted": submitted,
        "contoh_query": urlencode({f.name: f.contoh for f in calculator.fields}),
    }
    status = 400 if submitted and (errors or form_error) else 200
    return render(request, "gender/calc_page.html", context, status=status)
