"""Markers for views: every URL is either public, or needs a login, or needs a role in a pemda.

The generated permission test (core/tests/test_permissions_all_routes.py) reads these markers.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


def public_view[F: Callable[..., Any]](view: F) -> F:
    """A page anyone may see (public reference data, login, public summaries)."""
    view.rencana_access = "public"  # type: ignore[attr-defined]
    return view


def login_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for any logged-in user that shows only the user's own data (profile, tokens)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.rencana_access = "login"  # type: ignore[attr-defined]
    return wrapper
