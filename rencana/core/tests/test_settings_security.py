import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

RENCANA = Path(sys.executable).parent / "rencana"


@pytest.mark.slow
def test_production_profile_passes_check_deploy(tmp_path: Path) -> None:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a real deployment never has it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "RENCANA_PROFILE": "production",
        "SECRET_KEY": "uji-" + "k9Qz7xW2pL5vN8rT3yH6jB1mC4fG0dS" * 2,
        "ALLOWED_HOSTS": "rencana.example.go.id",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "rencana.settings",
    }
    result = subprocess.run(
        [str(RENCANA), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_production_profile_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"RENCANA_PROFILE": "production", "DJANGO_SETTINGS_MODULE": "rencana.settings"})
    result = subprocess.run(
        [str(RENCANA), "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_default_hasher_is_argon2() -> None:
    from rencana import settings as base_settings

    assert base_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_pages_send_csp_and_security_headers(client: Client) -> None:
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # every script tag carries the nonce of this response
    nonce = csp.split("'nonce-")[1].split("'")[0]
    body = response.content.decode()
    assert body.count("<script") == body.count(f'nonce="{nonce}"')


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused(pemda_a: Any, make_user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/akun/masuk/", {"username": "x", "password": "y"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_unknown_page_gets_the_indonesian_404_page(client: Client) -> None:
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_session_cookie_is_http_only_and_expires() -> None:
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
