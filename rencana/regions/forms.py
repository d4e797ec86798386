from django import forms
from django.utils.translation import gettext_lazy as _


class OpdForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode OPD"), max_length=40, help_text=_("Kode perangkat daerah, mis. 5.01.5.05.0.00.01.0000")
    )
    nama = forms.CharField(label=_("Nama OPD"), max_length=200)
    singkatan = forms.CharField(label=_("Singkatan"), max_length=40, required=False)
    urusan = forms.CharField(label=_("Urusan/bidang yang diampu"), max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OpdImportForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas XLSX atau CSV"),
        required=False,
        help_text=_("Gunakan templat agar nama kolom sesuai."),
    )
