"""One error type for everything a user can get wrong.

Services raise `ApplicationError` (or a subclass) with a stable `code` and an Indonesian message;
one handler turns it into JSON for the API (`rencana.api`) and into a page message for views.
"""

from typing import Any


class ApplicationError(Exception):
    status = 400
    code = "tidak_valid"

    def __init__(
        self, message: str, *, code: str | None = None, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.errors = errors or []

    def as_dict(self) -> dict[str, Any]:
        return {"detail": self.message, "code": self.code, "errors": self.errors}


class PermissionDeniedError(ApplicationError):
    status = 403
    code = "tidak_berwenang"


class NotFoundError(ApplicationError):
    status = 404
    code = "tidak_ditemukan"


class ConflictError(ApplicationError):
    """A stale version (optimistic locking) or an illegal state transition."""

    status = 409
    code = "konflik"
