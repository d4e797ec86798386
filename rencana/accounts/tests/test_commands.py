import io

import pytest
from django.core.management import CommandError, call_command

from rencana.accounts.models import RoleAssignment
from rencana.conftest import make_region
from rencana.regions.models import Pemda

pytestmark = pytest.mark.django_db


def test_first_admin_of_a_new_installation_is_set_up_from_the_shell() -> None:
    make_region("63", "Kalimantan Selatan", "provinsi")
    make_region("63.02", "Kabupaten Kotabaru", "kabupaten", "63")
    out = io.StringIO()
    call_command("pemda", "add", "63.02", stdout=out)
    assert Pemda.objects.get(kode="63.02").nama == "Kabupaten Kotabaru"
    call_command(
        "users",
        "create",
        "kepala.it",
        "--pemda",
        "63.02",
        "--role",
        "admin_pemda",
        "--password",
        "Kotabaru-Maju-2026",
        stdout=out,
    )
    assert RoleAssignment.objects.get(user__username="kepala.it").role == "admin_pemda"
    call_command("users", "list", "--pemda", "63.02", stdout=out)
    assert "kepala.it" in out.getvalue()


def test_shell_errors_are_one_clear_line() -> None:
    with pytest.raises(CommandError, match="belum terdaftar"):
        call_command("users", "list", "--pemda", "99.99")
    make_region("63", "Kalimantan Selatan", "provinsi")
    make_region("63.02.01", "Pulau Laut Utara", "kecamatan", "63.02")
    with pytest.raises(CommandError, match="bukan provinsi atau kabupaten/kota"):
        call_command("pemda", "add", "63.02.01")
