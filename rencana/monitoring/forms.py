"""Forms of the e-Monev pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rencana.planning.forms import AngkaField
from rencana.planning.models import Indicator


class RealizationForm(forms.Form):
    anggaran = AngkaField(label=_("Realisasi anggaran triwulan ini (Rp)"))
    faktor_pendukung = forms.CharField(
        label=_("Faktor pendukung"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    faktor_penghambat = forms.CharField(
        label=_("Faktor penghambat"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    tindak_lanjut = forms.CharField(
        label=_("Tindak lanjut yang diusulkan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            label = f"{indicator.nama} ({indicator.satuan})" if indicator.satuan else indicator.nama
            self.fields[f"nilai_{indicator.pk}"] = AngkaField(label=label)

    def values(self) -> dict[int, Any]:
        return {i.pk: self.cleaned_data.get(f"nilai_{i.pk}") for i in self.indicators}

    def value_fields(self) -> list[forms.BoundField]:
        return [self[f"nilai_{i.pk}"] for i in self.indicators]


class EvidenceForm(forms.Form):
    berkas = forms.FileField(label=_("Bukti (PDF, JPG atau PNG, paling besar 5 MB)"))


class ReturnForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan pengembalian"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeadlineForm(forms.Form):
    triwulan = forms.TypedChoiceField(
        label=_("Triwulan"), choices=[(q, f"TW {q}") for q in (1, 2, 3, 4)], coerce=int
    )
    batas = forms.DateField(label=_("Batas waktu"), widget=forms.DateInput(attrs={"type": "date"}))
