"""Forms of the applicant pages: they check the shape of what was typed (numbers in Indonesian notation,
dates, choices); the services (`services_apply`, `services_workflow`) check the rules."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rencana.core.numbers import AngkaError, parse_angka
from rencana.permits.models import MemberRole, Sex
from rencana.regions.models import Pemda, Region

# Above this many villages a pemda (a province) gets a code box instead of a drop-down list.
MAX_VILLAGE_CHOICES = 1500


def village_choices(pemda: Pemda, villages: list[Region]) -> list[Any]:
    """Desa/kelurahan choices grouped by kecamatan (an <optgroup> each), for a <select>."""
    kecamatan = dict(
        Region.objects.filter(kode__in={v.kode.rsplit(".", 1)[0] for v in villages}).values_list(
            "kode", "nama"
        )
    )
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for village in villages:
        parent = village.kode.rsplit(".", 1)[0]
        grouped[parent].append((village.kode, village.nama))
    choices: list[Any] = [("", gettext("— pilih desa/kelurahan —"))]
    for parent in sorted(grouped):
        label = gettext("Kecamatan {nama}").format(nama=kecamatan.get(parent, parent))
        choices.append((label, grouped[parent]))
    return choices


class VillageField(forms.CharField):
    """A desa/kelurahan code: a drop-down of the pemda's villages, or a code box for very large pemda."""

    def __init__(
        self, *, villages: list[Region] | None = None, pemda: Pemda | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("max_length", 13)
        super().__init__(**kwargs)
        if villages is not None and pemda is not None and len(villages) <= MAX_VILLAGE_CHOICES:
            self.widget = forms.Select(choices=village_choices(pemda, villages))
        else:
            self.widget = forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "18.06.01.2016"})
            self.help_text = _("Kode wilayah desa/kelurahan (Kemendagri), mis. 18.06.01.2016.")


def parse_number(value: str, field: str) -> Decimal | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return parse_angka(text)
    except AngkaError as exc:
        raise forms.ValidationError(exc.message, code=field) from exc


class NumberField(forms.CharField):
    """A number typed in Indonesian notation ("5.319,05", "2.500.000"); cleaned to a Decimal or None."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        return parse_number(text, "angka")


class VersionField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31, **kwargs)


class GroupForm(forms.Form):
    nama = forms.CharField(label=_("Nama kelompok"), max_length=200)
    desa = VillageField(label=_("Desa/kelurahan/pekon"))
    ketua = forms.CharField(label=_("Nama ketua"), max_length=150, required=False)
    tanggal_bentuk = forms.DateField(
        label=_("Tanggal kelompok dibentuk"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
    )
    luas_dinyatakan = NumberField(label=_("Luas lahan garapan (ha)"), required=False)
    kawasan = forms.CharField(label=_("Kawasan hutan"), max_length=200, required=False)
    version = VersionField()

    def __init__(
        self, *args: Any, villages: list[Region] | None = None, pemda: Pemda | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["desa"] = VillageField(label=_("Desa/kelurahan/pekon"), villages=villages, pemda=pemda)


class NewGroupForm(forms.Form):
    nama = forms.CharField(label=_("Nama kelompok"), max_length=200)
    desa = VillageField(label=_("Desa/kelurahan/pekon"))

    def __init__(
        self, *args: Any, villages: list[Region] | None = None, pemda: Pemda | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["desa"] = VillageField(label=_("Desa/kelurahan/pekon"), villages=villages, pemda=pemda)


SEX_CHOICES = [(Sex.P.value, _("Perempuan")), (Sex.L.value, _("Laki-laki"))]


class MemberForm(forms.Form):
    nama = forms.CharField(label=_("Nama (sesuai KTP)"), max_length=150)
    nik = forms.CharField(
        label=_("NIK (16 angka)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    jenis_kelamin = forms.ChoiceField(label=_("Jenis kelamin"), choices=SEX_CHOICES, widget=forms.RadioSelect)
    peran = forms.ChoiceField(
        label=_("Peran"), choices=MemberRole.choices, initial=MemberRole.ANGGOTA, required=False
    )
    telepon = forms.CharField(
        label=_("Nomor HP (boleh kosong)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class BusinessForm(forms.Form):
    nama_usaha = forms.CharField(label=_("Nama usaha"), max_length=200)
    pemilik = forms.CharField(label=_("Nama pemilik (sesuai KTP)"), max_length=150)
    nik = forms.CharField(
        label=_("NIK pemilik (16 angka)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin pemilik"), choices=SEX_CHOICES, required=False, widget=forms.RadioSelect
    )
    telepon = forms.CharField(
        label=_("Nomor HP"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    kbli = forms.CharField(
        label=_("Kode KBLI (5 angka)"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    lokasi = VillageField(label=_("Kelurahan/desa tempat usaha"), required=False)
    alamat = forms.CharField(label=_("Alamat atau tempat berjualan"), max_length=300, required=False)
    pasar = forms.CharField(label=_("Pasar"), max_length=200, required=False)
    modal = NumberField(label=_("Modal usaha (Rp)"), required=False)
    version = VersionField()

    def __init__(
        self, *args: Any, villages: list[Region] | None = None, pemda: Pemda | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["lokasi"] = VillageField(
            label=_("Kelurahan/desa tempat usaha"), villages=villages, pemda=pemda, required=False
        )


class NewBusinessForm(forms.Form):
    nama_usaha = forms.CharField(label=_("Nama usaha"), max_length=200)
    pemilik = forms.CharField(label=_("Nama pemilik (sesuai KTP)"), max_length=150)


# --- wizard steps ----------------------------------------------------------------------------------


class AreaStepForm(forms.Form):
    luas_dinyatakan = NumberField(label=_("Luas lahan yang dimohon (hektare)"), required=False)
    kawasan = forms.CharField(
        label=_("Kawasan hutan yang dimohon"),
        max_length=200,
        required=False,
        help_text=_("Nama dan fungsinya, mis. “Register 30 Gunung Tanggamus, hutan lindung”."),
    )
    lokasi_areal = forms.CharField(
        label=_("Letak lahan (blok/petak, batas-batas)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    versi = VersionField()


class PlanStepForm(forms.Form):
    rencana_kerja = forms.CharField(
        label=_("Ringkasan rencana kerja"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mis. tanaman apa yang ditanam, berapa pohon, siapa yang merawat."),
    )
    kepada = forms.CharField(
        label=_("Surat permohonan ditujukan kepada"),
        max_length=300,
        required=False,
        help_text=_("Boleh dibiarkan; pendamping atau petugas dapat memberi tahu alamat yang tepat."),
    )
    versi = VersionField()


class UsahaStepForm(forms.Form):
    nama_usaha = forms.CharField(label=_("Nama usaha"), max_length=200)
    pemilik = forms.CharField(label=_("Nama pemilik (sesuai KTP)"), max_length=150)
    nik = forms.CharField(
        label=_("NIK pemilik (16 angka)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin pemilik"), choices=SEX_CHOICES, required=False, widget=forms.RadioSelect
    )
    telepon = forms.CharField(
        label=_("Nomor HP aktif (untuk OSS)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    akun_oss = forms.EmailField(label=_("Email aktif (untuk akun OSS)"), max_length=200, required=False)
    versi = VersionField()
    versi_usaha = VersionField()


class KbliStepForm(forms.Form):
    uraian_usaha = forms.CharField(
        label=_("Ceritakan usaha Anda"),
        max_length=300,
        required=False,
        help_text=_("Mis. “jualan bakso keliling pakai gerobak”."),
    )
    kbli = forms.CharField(
        label=_("Kode KBLI"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    versi = VersionField()
    versi_usaha = VersionField()


class LocationStepForm(forms.Form):
    lokasi = VillageField(label=_("Kelurahan/desa tempat usaha"), required=False)
    alamat = forms.CharField(label=_("Alamat atau tempat berjualan"), max_length=300, required=False)
    pasar = forms.CharField(label=_("Nama pasar (bila berjualan di pasar)"), max_length=200, required=False)
    modal = NumberField(
        label=_("Modal usaha (Rp)"),
        required=False,
        help_text=_("Uang dan barang untuk usaha, tanpa tanah dan bangunan. Mis. 2.500.000."),
    )
    versi = VersionField()
    versi_usaha = VersionField()

    def __init__(
        self, *args: Any, villages: list[Region] | None = None, pemda: Pemda | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["lokasi"] = VillageField(
            label=_("Kelurahan/desa tempat usaha"), villages=villages, pemda=pemda, required=False
        )


class UploadForm(forms.Form):
    kode_dokumen = forms.CharField(max_length=40, widget=forms.HiddenInput)
    berkas = forms.FileField(label=_("Pilih berkas atau ambil foto"), required=False)
