"""Schemas every API router shares: the error body and the documented error statuses."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list[dict[str, Any]] = []


# Status codes an authenticated operation may answer with (documented in OpenAPI).
AUTH_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# ... and a public one.
PUBLIC_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
