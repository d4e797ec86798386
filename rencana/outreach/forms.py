"""Forms of the outreach pages: they parse the request; the services validate and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rencana.outreach.models import ItemKind


class EventForm(forms.Form):
    judul = forms.CharField(label=_("Judul kegiatan"), max_length=255)
    tanggal = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    tempat = forms.CharField(label=_("Tempat"), max_length=255, required=False)
    penyelenggara = forms.CharField(label=_("Penyelenggara"), max_length=255, required=False)
    sasaran = forms.CharField(
        label=_("Sasaran peserta"),
        max_length=255,
        required=False,
        help_text=_("Mis. pedagang kaki lima Pasar Kaget Jalan Elang Raya."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Satu acara per baris."),
    )
    narasumber = forms.CharField(
        label=_("Narasumber"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu narasumber per baris, dengan instansinya."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


SEX_CHOICES = [("", "—"), ("L", _("L (laki-laki)")), ("P", _("P (perempuan)"))]


class ParticipantForm(forms.Form):
    nama = forms.CharField(
        label=_("Nama"),
        max_length=150,
        required=False,
        help_text=_("Boleh dikosongkan: peserta dikenali dari nomornya."),
    )
    jenis_kelamin = forms.ChoiceField(label=_("Jenis kelamin"), choices=SEX_CHOICES, required=False)
    usaha = forms.CharField(label=_("Usaha/pekerjaan"), max_length=200, required=False)
    telepon = forms.CharField(label=_("Telepon"), max_length=20, required=False)
    hadir = forms.BooleanField(label=_("Hadir"), required=False, initial=True)

    def __init__(self, *args: Any, show_phone: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_phone:
            # Officers without permit.process see numbers masked and cannot change them.
            del self.fields["telepon"]


class BlankParticipantsForm(forms.Form):
    jumlah = forms.IntegerField(label=_("Jumlah peserta tanpa nama"), min_value=1, max_value=500)


class ItemForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Jenis butir"), choices=ItemKind.choices)
    nomor = forms.IntegerField(
        label=_("Nomor"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Kosongkan untuk nomor berikutnya."),
    )
    pernyataan = forms.CharField(label=_("Pernyataan"), widget=forms.Textarea(attrs={"rows": 2}))


class ItemEditForm(forms.Form):
    pernyataan = forms.CharField(label=_("Pernyataan"), widget=forms.Textarea(attrs={"rows": 2}))


IMPORT_KIND_CHOICES = [
    ("", _("Kenali dari judul kolom")),
    (ItemKind.PENGETAHUAN.value, _("Pengetahuan (sebelum_persen, sesudah_persen)")),
    (ItemKind.LIKERT.value, _("Kepuasan (rata_rata)")),
]


class AggregateImportForm(forms.Form):
    berkas = forms.FileField(label=_("Berkas CSV atau XLSX"))
    jenis = forms.ChoiceField(label=_("Jenis tabel"), choices=IMPORT_KIND_CHOICES, required=False)
    n = forms.IntegerField(
        label=_("Jumlah responden"),
        min_value=1,
        max_value=1_000_000,
        required=False,
        help_text=_("Dipakai bila tabel tidak mempunyai kolom n."),
    )
    sumber = forms.CharField(
        label=_("Sumber angka"),
        max_length=255,
        required=False,
        help_text=_("Mis. laporan kegiatan atau artikel yang memuat tabel ini."),
    )
