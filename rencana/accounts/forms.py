from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from rencana.accounts.services import login_failure_record, login_is_throttled, login_success_record


def client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar/kecil."),
        "inactive": _("Akun ini tidak aktif."),
        "throttled": _("Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit lalu coba lagi."),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        ip = client_ip(self.request)
        if username and login_is_throttled(username=username, ip=ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_failure_record(username=username, ip=ip)
            raise
        login_success_record(username=username)
        return cleaned


class TokenCreateForm(forms.Form):
    nama = forms.CharField(
        label=_("Nama token"), max_length=80, help_text=_("Misalnya: dasbor statistik kantor")
    )
