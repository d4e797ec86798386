"""Personal API tokens: `rcn_` + 40 random characters; the database keeps only a SHA-256 digest."""

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

TOKEN_PREFIX = "rcn_"  # noqa: S105 -- a prefix, not a secret


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(30)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from rencana.accounts.models import ApiToken

        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), dicabut__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.terakhir_dipakai is None or (now - row.terakhir_dipakai).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(terakhir_dipakai=now)
        request.user = row.user
        return row.user
