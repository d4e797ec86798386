"""Schemas every API router shares: the error body, the documented error statuses, safe input types."""

from typing import Annotated, Any

from ninja import Schema
from pydantic import StringConstraints


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list[dict[str, Any]] = []


# Status codes an authenticated operation may answer with (documented in OpenAPI).
AUTH_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
# ... and a public one.
PUBLIC_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}

# Text typed by a client. PostgreSQL cannot store or even compare a NUL character (it answers with an
# error, which would be a 500), so NUL is refused at the edge with a 422, and the rule is documented.
NO_NUL_PATTERN = r"^[^\x00]*$"
Text = Annotated[str, StringConstraints(pattern=NO_NUL_PATTERN)]

# A pemda's code in a URL: the Kemendagri code of a province ("63") or a kabupaten/kota ("63.02").
PEMDA_KODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2})?$"
PemdaKode = Annotated[str, StringConstraints(pattern=PEMDA_KODE_PATTERN)]
