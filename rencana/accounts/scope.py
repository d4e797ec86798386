"""Builds the request's `Scope` from role assignments; the tenant-page decorator."""

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from rencana.accounts.models import RoleAssignment
from rencana.core.errors import NotFoundError
from rencana.core.roles import Role
from rencana.core.scope import ANONYMOUS, Assignment, Scope
from rencana.regions.models import Pemda

# A provinsi ("63") or kabupaten/kota ("63.02") code; anything else cannot be a pemda.
PEMDA_KODE = re.compile(r"^\d{2}(\.\d{2})?$")


class PemdaRequest(HttpRequest):
    """The request a `pemda_view` receives: logged-in user, the pemda from the URL, the user's scope there."""

    user: User
    pemda: Pemda
    scope: Scope


class UserRequest(HttpRequest):
    """The request a `login_view` receives."""

    user: User


def scope_for(user: Any, pemda: Pemda) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    rows = RoleAssignment.objects.filter(user_id=user.pk, pemda_id=pemda.pk).values_list("role", "opd_id")
    return Scope(
        user_id=user.pk,
        pemda_id=pemda.pk,
        pemda_kode=pemda.kode,
        assignments=tuple(Assignment(Role(role), opd_id) for role, opd_id in rows),
    )


def pemdas_of(user: Any) -> QuerySet[Pemda]:
    if not getattr(user, "is_authenticated", False):
        return Pemda.objects.none()
    return Pemda.objects.filter(aktif=True, role_assignments__user_id=user.pk).distinct().order_by("kode")


def resolve_scope(user: Any, kode: str, permission: str, *, opd_id: int | None = None) -> tuple[Pemda, Scope]:
    """The pemda `kode` and the user's scope in it, if the user may use `permission` there.

    Non-members get "not found" (a pemda's existence in this installation is not their business);
    members without the permission get "forbidden".
    """
    if not PEMDA_KODE.match(kode):
        raise NotFoundError(_("Pemda tidak ditemukan."))
    pemda = Pemda.objects.filter(kode=kode, aktif=True).select_related("region").first()
    if pemda is None:
        raise NotFoundError(_("Pemda tidak ditemukan."))
    scope = scope_for(user, pemda)
    if not scope.is_member:
        raise NotFoundError(_("Pemda tidak ditemukan."))
    scope.require(permission, opd_id=opd_id)
    return pemda, scope


def pemda_view(permission: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A tenant page under /pemda/<kode>/...: needs a login and `permission` in that pemda."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, kode: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                pemda, scope = resolve_scope(request.user, kode, permission)
            except NotFoundError as exc:
                raise Http404(exc.message) from exc
            request.pemda = pemda  # type: ignore[attr-defined]  # set here, declared on PemdaRequest
            request.scope = scope  # type: ignore[attr-defined]
            # Write the session only when the pemda changes: a page that loads two panels at once
            # would otherwise save the same session twice concurrently (a lock error on SQLite).
            if request.session.get("pemda_kode") != pemda.kode:
                request.session["pemda_kode"] = pemda.kode
            return view(request, *args, **kwargs)

        wrapper.rencana_access = "pemda"  # type: ignore[attr-defined]
        wrapper.rencana_permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator
