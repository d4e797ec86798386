"""Who sees and acts on which permit application.

- Officers and readers of the pemda ("permit.view": admin, petugas izin, pimpinan, Inspektorat) see every
  application of the pemda; only "permit.process" (admin, petugas izin) takes officer actions.
- A facilitator (pendamping) sees the applications they created or are assigned to.
- An applicant (pemohon) sees only their own (`Application.pemohon` or created by them).
Another's application is answered like a missing one (404): its existence is not the user's business.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from rencana.core.errors import NotFoundError, PermissionDeniedError
from rencana.core.roles import Role
from rencana.core.scope import Scope
from rencana.permits.models import Application
from rencana.regions.models import Pemda

OFFICER_ROLES = frozenset({Role.ADMIN_PEMDA.value, Role.PETUGAS_IZIN.value})


def visible_applications(scope: Scope, user: Any, pemda: Pemda) -> QuerySet[Application]:
    """The applications of `pemda` that `user` (with `scope` there) may see."""
    base = Application.objects.filter(pemda=pemda)
    if scope.pemda_id != pemda.pk or not getattr(user, "is_authenticated", False):
        return base.none()
    if scope.has("permit.view") or scope.has("permit.process"):
        return base
    roles = scope.roles
    condition = Q(pk__in=[])
    if Role.PENDAMPING in roles:
        condition |= Q(pendamping_id=user.pk) | Q(dibuat_oleh_id=user.pk)
    if Role.PEMOHON in roles:
        condition |= Q(pemohon_id=user.pk) | Q(dibuat_oleh_id=user.pk)
    if Role.PENDAMPING not in roles and Role.PEMOHON not in roles:
        return base.none()
    return base.filter(condition)


def get_application(request: Any, application_id: Any) -> Application:
    """The application `application_id` of the request's pemda, if the user may see it (else 404)."""
    try:
        pk = int(application_id)
    except (TypeError, ValueError):
        pk = 0
    application = (
        visible_applications(request.scope, request.user, request.pemda)
        .filter(pk=pk)
        .select_related(
            "jenis", "kelompok", "kelompok__desa", "usaha", "usaha__lokasi", "pendamping", "pemohon"
        )
        .first()
        if pk > 0
        else None
    )
    if application is None:
        raise NotFoundError(_("Permohonan tidak ditemukan di pemda ini."))
    return application


def can_process(scope: Scope) -> bool:
    return scope.has("permit.process")


def require_process(scope: Scope) -> None:
    if not can_process(scope):
        raise PermissionDeniedError(_("Hanya petugas perizinan atau admin yang memproses permohonan."))


def acting_roles(scope: Scope, user: Any, application: Application) -> frozenset[str]:
    """The roles `user` acts with on `application`: the workflow's `pelaku` names.

    Officer roles count across the pemda; pendamping only on applications they created or are assigned
    to; pemohon only on their own.
    """
    if scope.pemda_id != application.pemda_id or not getattr(user, "is_authenticated", False):
        return frozenset()
    roles: set[str] = set()
    held = scope.roles
    for role in held:
        if role.value in OFFICER_ROLES:
            roles.add(role.value)
    if Role.PENDAMPING in held and user.pk in (application.pendamping_id, application.dibuat_oleh_id):
        roles.add(Role.PENDAMPING.value)
    if Role.PEMOHON in held and user.pk in (application.pemohon_id, application.dibuat_oleh_id):
        roles.add(Role.PEMOHON.value)
    return frozenset(roles)
