"""Forms of the planning pages. Numbers are typed in Indonesian notation ("1.250.000,50")."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rencana.core.numbers import AngkaError, parse_angka
from rencana.planning import levels
from rencana.planning.models import (
    Aggregation,
    DocumentKind,
    IndicatorKind,
    NodeKind,
    NomenclatureEdition,
    PlanDocument,
    PlanNode,
    Polarity,
    Stage,
)
from rencana.regions.models import Opd, Pemda


class AngkaField(forms.CharField):
    """A number in Indonesian or plain notation; blank is None."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_angka(text)
        except AngkaError as exc:
            raise forms.ValidationError(str(exc)) from exc


class DocumentForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Jenis dokumen"), choices=DocumentKind.choices)
    tahun_mulai = forms.IntegerField(label=_("Tahun awal"), min_value=2000, max_value=2100)
    opd = forms.ModelChoiceField(
        label=_("OPD (untuk Renstra dan Renja)"), queryset=Opd.objects.none(), required=False
    )
    induk = forms.ModelChoiceField(
        label=_("Dokumen induk"), queryset=PlanDocument.objects.none(), required=False
    )
    nama = forms.CharField(
        label=_("Nama"), max_length=255, required=False, help_text=_("Kosongkan untuk nama baku.")
    )
    edisi = forms.ModelChoiceField(
        label=_("Edisi nomenklatur"), queryset=NomenclatureEdition.objects.all(), required=False
    )

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opd_field = self.fields["opd"]
        induk_field = self.fields["induk"]
        assert isinstance(opd_field, forms.ModelChoiceField)
        assert isinstance(induk_field, forms.ModelChoiceField)
        opd_field.queryset = Opd.objects.filter(pemda=pemda, aktif=True).order_by("kode")
        induk_field.queryset = PlanDocument.objects.filter(pemda=pemda).order_by("-tahun_mulai", "jenis")
        self.fields["tahun_mulai"].help_text = _(
            "Periode: RPJPD 20 tahun, RPJMD dan Renstra 5 tahun, RKPD dan Renja 1 tahun."
        )


class DocumentEditForm(forms.Form):
    nama = forms.CharField(label=_("Nama"), max_length=255)
    induk = forms.ModelChoiceField(
        label=_("Dokumen induk"), queryset=PlanDocument.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, document: PlanDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["induk"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = PlanDocument.objects.filter(
            pemda_id=document.pemda_id, jenis=levels.PARENT_KIND[document.jenis] or "-"
        ).order_by("-tahun_mulai")


class StageForm(forms.Form):
    tahap = forms.ChoiceField(choices=Stage.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class NodeForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Jenis"), choices=NodeKind.choices)
    kode = forms.CharField(
        label=_("Kode"),
        max_length=40,
        required=False,
        help_text=_("Program/kegiatan/sub-kegiatan: kode Permendagri 90, mis. 1.02.02.2.01.0001."),
    )
    nama = forms.CharField(
        label=_("Nama"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Kosongkan untuk memakai nama dari nomenklatur."),
    )
    luar_nomenklatur = forms.BooleanField(
        label=_("Kode sengaja di luar nomenklatur"),
        required=False,
        help_text=_("Ditandai dan dilaporkan pemeriksa logframe."),
    )
    opd = forms.ModelChoiceField(label=_("OPD pelaksana"), queryset=Opd.objects.none(), required=False)
    sasaran = forms.ModelMultipleChoiceField(
        label=_("Sasaran yang dilayani"),
        queryset=PlanNode.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    sumber_dana = forms.CharField(label=_("Sumber dana"), max_length=120, required=False)
    lokasi = forms.CharField(
        label=_("Lokasi (kode wilayah)"),
        max_length=2000,
        required=False,
        help_text=_("Kode kecamatan/desa dipisah titik koma, mis. 63.02.01;63.02.01.2001."),
    )
    isi_indikator = forms.BooleanField(
        label=_("Isi indikator keluaran dari nomenklatur"), required=False, initial=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        document: PlanDocument,
        kinds: tuple[str, ...],
        sasaran: list[PlanNode],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        jenis = self.fields["jenis"]
        assert isinstance(jenis, forms.ChoiceField)
        jenis.choices = [(k, NodeKind(k).label) for k in kinds]
        opd = self.fields["opd"]
        assert isinstance(opd, forms.ModelChoiceField)
        opd.queryset = Opd.objects.filter(pemda_id=document.pemda_id, aktif=True).order_by("kode")
        links = self.fields["sasaran"]
        assert isinstance(links, forms.ModelMultipleChoiceField)
        links.queryset = PlanNode.objects.filter(pk__in=[s.pk for s in sasaran]).order_by("kode", "id")
        self.years = document.tahun
        for tahun in self.years:
            self.fields[f"pagu_{tahun}"] = AngkaField(label=_("Pagu %(tahun)s (Rp)") % {"tahun": tahun})

    def pagu(self) -> dict[int, Decimal | None]:
        return {t: self.cleaned_data.get(f"pagu_{t}") for t in self.years}

    def pagu_fields(self) -> list[forms.BoundField]:
        return [self[f"pagu_{t}"] for t in self.years]


class MoveForm(forms.Form):
    induk = forms.ModelChoiceField(
        label=_("Pindah ke bawah"),
        queryset=PlanNode.objects.none(),
        required=False,
        empty_label=_("(puncak)"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: list[PlanNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["induk"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = PlanNode.objects.filter(pk__in=[c.pk for c in candidates]).order_by("urutan", "id")


class IndicatorForm(forms.Form):
    nama = forms.CharField(
        label=_("Nama indikator"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    jenis = forms.ChoiceField(label=_("Jenis"), choices=IndicatorKind.choices)
    satuan = forms.CharField(label=_("Satuan"), max_length=100, required=False)
    polaritas = forms.ChoiceField(label=_("Polaritas"), choices=Polarity.choices)
    agregasi = forms.ChoiceField(label=_("Agregasi triwulan"), choices=Aggregation.choices)
    baseline_tahun = forms.IntegerField(
        label=_("Tahun baseline"), required=False, min_value=1990, max_value=2100
    )
    baseline_nilai = AngkaField(label=_("Nilai baseline"))
    definisi = forms.CharField(label=_("Definisi"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    formula = forms.CharField(label=_("Formula"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    sumber_data = forms.CharField(label=_("Sumber data"), max_length=255, required=False)
    terpilah_gender = forms.BooleanField(label=_("Terpilah menurut jenis kelamin"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        for tahun in years:
            self.fields[f"target_{tahun}"] = AngkaField(label=_("Target %(tahun)s") % {"tahun": tahun})

    def targets(self) -> dict[int, Decimal | None]:
        return {t: self.cleaned_data.get(f"target_{t}") for t in self.years}

    def target_fields(self) -> list[forms.BoundField]:
        return [self[f"target_{t}"] for t in self.years]


class ImportForm(forms.Form):
    berkas = forms.FileField(label=_("Berkas XLSX atau CSV"), required=False)


class EditionForm(forms.Form):
    edisi = forms.ModelChoiceField(label=_("Edisi baru"), queryset=NomenclatureEdition.objects.all())
    terapkan = forms.BooleanField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
