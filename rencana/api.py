"""The JSON API under /api/v1/ (django-ninja): one error format, token or session auth.

Every app adds its router in `build_api`. Errors are `{"detail": ..., "code": ..., "errors": [...]}`
with a 4xx status; an operation never answers 500 for user input.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

from rencana.accounts.tokens import TokenAuth
from rencana.core.errors import ApplicationError

api_auth = [TokenAuth(), SessionAuth()]


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Rencana API",
        version="1",
        description=(
            "API Rencana: data wilayah (publik), pemda dan OPD (dengan token atau sesi). "
            "Autentikasi: header `Authorization: Bearer <token>` (buat token di halaman Profil)."
        ),
        urls_namespace="api",
        auth=api_auth,
    )

    def error(request: HttpRequest, status: int, detail: str, code: str, errors: Any = None) -> HttpResponse:
        return api.create_response(
            request, {"detail": detail, "code": code, "errors": errors or []}, status=status
        )

    @api.exception_handler(ApplicationError)
    def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"lokasi": ".".join(str(p) for p in e.get("loc", [])), "pesan": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        return error(request, 422, "Masukan tidak valid.", "masukan_tidak_valid", errors)

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error(request, 401, "Perlu autentikasi (token API atau sesi login).", "perlu_login")

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error(request, exc.status_code, str(exc), "galat_http")

    from rencana.accounts.api import router as accounts_router
    from rencana.monitoring.api import router as monitoring_router
    from rencana.planning.api import router as planning_router
    from rencana.regions.api import router as regions_router
    from rencana.strategy.api import router as strategy_router

    api.add_router("/", regions_router)
    api.add_router("/akun", accounts_router)
    api.add_router("/", planning_router)
    api.add_router("/", monitoring_router)
    api.add_router("/", strategy_router)
    return api


api = build_api()
