from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from rencana.accounts.models import ApiToken, LoginFailure
from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.regions.models import Pemda

pytestmark = pytest.mark.django_db
LOGIN = "/akun/masuk/"


def test_login_with_right_password_lands_on_the_users_pemda(pemda_a: Pemda, make_user: Any) -> None:
    make_user(Role.PERENCANA, pemda_a, username="budi")
    client = Client()
    response = client.post(LOGIN, {"username": "budi", "password": "sandi-uji-123"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/pemda/{pemda_a.kode}/"
    assert "Kabupaten Kotabaru" in response.content.decode()


def test_wrong_password_shows_indonesian_message_and_is_counted(pemda_a: Pemda, make_user: Any) -> None:
    make_user(Role.PERENCANA, pemda_a, username="budi")
    response = Client().post(LOGIN, {"username": "budi", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert LoginFailure.objects.filter(username="budi").count() == 1


def test_login_is_throttled_after_repeated_failures_even_with_right_password(
    pemda_a: Pemda, make_user: Any, settings: Any
) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    make_user(Role.PERENCANA, pemda_a, username="budi")
    client = Client()
    for _ in range(3):
        client.post(LOGIN, {"username": "budi", "password": "salah"})
    response = client.post(LOGIN, {"username": "budi", "password": "sandi-uji-123"})
    assert response.status_code == 200
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_clears_failures(pemda_a: Pemda, make_user: Any) -> None:
    make_user(Role.PERENCANA, pemda_a, username="budi")
    client = Client()
    client.post(LOGIN, {"username": "budi", "password": "salah"})
    client.post(LOGIN, {"username": "budi", "password": "sandi-uji-123"})
    assert not LoginFailure.objects.filter(username="budi").exists()


def test_user_without_role_sees_an_explanation(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user())
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert "belum memiliki peran" in response.content.decode()


def test_logout_needs_post_and_ends_the_session(pemda_a: Pemda, client_as: Any) -> None:
    client = client_as(Role.PERENCANA, pemda_a)
    assert client.get("/akun/keluar/").status_code == 405
    client.post("/akun/keluar/")
    assert client.get(f"/pemda/{pemda_a.kode}/").status_code == 302


def test_token_is_shown_once_stored_as_digest_and_works_for_the_api(pemda_a: Pemda, make_user: Any) -> None:
    user = make_user(Role.ADMIN_PEMDA, pemda_a)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:token_create"), {"nama": "dasbor kantor"})
    body = response.content.decode()
    raw = body.split('data-testid="token-baru">')[1].split("<")[0]
    assert raw.startswith("rcn_")
    token = ApiToken.objects.get(user=user)
    assert raw not in (token.digest, token.prefix)
    assert AuditEvent.objects.filter(action="token_create", object_id=str(token.pk)).exists()

    api = Client()
    ok = api.get("/api/v1/akun/saya", headers={"Authorization": f"Bearer {raw}"})
    assert ok.status_code == 200
    assert ok.json()["peran"][0]["pemda"] == pemda_a.kode

    client.post(reverse("accounts:token_revoke", kwargs={"token_id": token.pk}))
    refused = api.get("/api/v1/akun/saya", headers={"Authorization": f"Bearer {raw}"})
    assert refused.status_code == 401
    assert refused.json()["code"] == "perlu_login"


def test_token_name_is_required(pemda_a: Pemda, make_user: Any) -> None:
    client = Client()
    client.force_login(make_user(Role.ADMIN_PEMDA, pemda_a))
    response = client.post(reverse("accounts:token_create"), {"nama": "   "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_user_cannot_revoke_someone_elses_token(pemda_a: Pemda, make_user: Any) -> None:
    owner = make_user(Role.ADMIN_PEMDA, pemda_a)
    other = make_user(Role.ADMIN_PEMDA, pemda_a)
    client = Client()
    client.force_login(owner)
    client.post(reverse("accounts:token_create"), {"nama": "milik pemilik"})
    token = ApiToken.objects.get(user=owner)
    intruder = Client()
    intruder.force_login(other)
    response = intruder.post(reverse("accounts:token_revoke", kwargs={"token_id": token.pk}))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.aktif
