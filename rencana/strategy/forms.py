from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rencana.regions.models import Opd, Pemda
from rencana.strategy.models import Aggregation, FactorKind, TowsCell, WeightMethod


class AnalysisForm(forms.Form):
    judul = forms.CharField(label=_("Judul"), max_length=200)
    tanggal = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    ruang_lingkup = forms.CharField(
        label=_("Ruang lingkup"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fasilitator = forms.CharField(label=_("Fasilitator"), max_length=150, required=False)
    opd = forms.ModelChoiceField(
        label=_("OPD (kosongkan untuk analisis tingkat pemda)"), queryset=Opd.objects.none(), required=False
    )
    metode_bobot = forms.ChoiceField(
        label=_("Cara peserta mengisi bobot"),
        choices=WeightMethod.choices,
        initial=WeightMethod.RAW,
        help_text=_(
            "Angka langsung: tiap peserta memberi angka kepentingan (mis. 1–10) lalu dinormalkan. "
            "Berpasangan: peserta membandingkan dua faktor sekaligus (skala 1–9)."
        ),
    )
    metode_agregasi = forms.ChoiceField(
        label=_("Agregasi skor peserta"),
        choices=Aggregation.choices,
        initial=Aggregation.MEDIAN,
        help_text=_("Median tahan terhadap satu penilaian ekstrem; rata-rata memakai semua angka."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.filter(pemda=pemda).order_by("kode")  # type: ignore[attr-defined]


class FactorForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Jenis"), choices=FactorKind.choices)
    kode = forms.CharField(
        label=_("Kode"),
        max_length=10,
        required=False,
        help_text=_("Kosongkan untuk kode otomatis (S1, S2, ...)."),
    )
    faktor = forms.CharField(label=_("Pernyataan faktor"), max_length=300, required=False)
    penjelasan = forms.CharField(
        label=_("Penjelasan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    bukti = forms.CharField(
        label=_("Bukti (tautan atau rujukan data)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indikator = forms.TypedMultipleChoiceField(
        label=_("Indikator rencana sebagai bukti"), coerce=int, required=False, choices=()
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, indicator_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indikator"].choices = indicator_choices  # type: ignore[attr-defined]
        self.fields["indikator"].widget.attrs["size"] = 6


class ParticipantForm(forms.Form):
    nama = forms.CharField(label=_("Nama peserta"), max_length=150, required=False)
    instansi = forms.CharField(label=_("Instansi/jabatan"), max_length=200, required=False)
    username = forms.CharField(
        label=_("Nama pengguna (opsional)"),
        max_length=150,
        required=False,
        help_text=_("Isi bila peserta punya akun di pemda ini; kosongkan untuk membuat tautan sekali pakai."),
    )


class CloseRoundForm(forms.Form):
    metode = forms.ChoiceField(label=_("Agregasi"), choices=Aggregation.choices)
    ringkasan = forms.CharField(
        label=_("Ringkasan diskusi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TowsForm(forms.Form):
    sel = forms.ChoiceField(label=_("Sel TOWS"), choices=TowsCell.choices)
    teks = forms.CharField(label=_("Strategi"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    faktor = forms.TypedMultipleChoiceField(
        label=_("Faktor yang dipadukan"),
        coerce=int,
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    terpilih = forms.BooleanField(label=_("Strategi terpilih"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, factor_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["faktor"].choices = factor_choices  # type: ignore[attr-defined]


class IssueForm(forms.Form):
    pertanyaan = forms.CharField(
        label=_("Isu strategis (rumuskan sebagai pertanyaan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kaitan_visi_misi = forms.CharField(
        label=_("Kaitan dengan visi dan misi"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    strategi = forms.TypedChoiceField(
        label=_("Berasal dari strategi TOWS"), coerce=int, required=False, empty_value=None, choices=()
    )
    terpilih = forms.BooleanField(label=_("Isu terpilih"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, strategy_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategi"].choices = [("", "—"), *strategy_choices]  # type: ignore[attr-defined]
