from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rencana.accounts.models import ROLE_CHOICES
from rencana.regions.models import Opd, Pemda


class RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("Peran"), choices=ROLE_CHOICES)
    opd = forms.ModelChoiceField(
        label=_("OPD"),
        queryset=Opd.objects.none(),
        required=False,
        help_text=_("Wajib untuk operator OPD; kosongkan untuk peran seluruh pemda."),
    )

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.filter(pemda=pemda, aktif=True).order_by("nama")  # type: ignore[attr-defined]


class UserCreateForm(RoleFields):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=300)
    email = forms.EmailField(label=_("Surel"), required=False)
    password = forms.CharField(
        label=_("Kata sandi awal"),
        widget=forms.PasswordInput,
        min_length=10,
        help_text=_(
            "Minimal 10 karakter, bukan kata sandi umum. Sampaikan secara pribadi kepada pemilik akun."
        ),
    )
    field_order = ["username", "full_name", "email", "password", "role", "opd"]


class RoleAddForm(RoleFields):
    pass


class ExistingUserRoleForm(RoleFields):
    username = forms.CharField(label=_("Nama pengguna yang sudah ada"), max_length=150)
    field_order = ["username", "role", "opd"]
