"""Reads of the applicant side: which farmer groups, businesses and applications a user may open.

- Officers ("permit.process": admin, petugas izin) see every group and business of the pemda, with full
  NIK and phone numbers (`sees_personal_data`).
- A facilitator (pendamping) or applicant (pemohon) sees the groups and businesses they registered
  (the "create" audit event names them) and those of the applications they may see
  (`permits.access.visible_applications`: created by them, assigned to them, or their own). Anyone else's
  is answered like a missing one (404).
- "Permohonan saya" (`my_applications`): the applications the user created, is assigned to as
  facilitator, or applies for, newest change first.
"""

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from rencana.core.errors import NotFoundError
from rencana.core.models import AuditEvent
from rencana.core.scope import Scope
from rencana.permits import access
from rencana.permits.models import Application, FarmerGroup, GroupMember, MicroBusiness
from rencana.regions.models import Pemda


def sees_personal_data(scope: Scope) -> bool:
    """Full NIK and phone numbers are shown only to authorised officers."""
    return scope.has("permit.process")


def _created_by(user: Any, pemda: Pemda, model: type[models.Model]) -> Any:
    return AuditEvent.objects.filter(
        pemda_id=pemda.pk, object_type=model._meta.label_lower, action="create", actor_id=user.pk
    ).values_list("object_id", flat=True)


def _ids(values: Any) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def visible_groups(scope: Scope, user: Any, pemda: Pemda) -> QuerySet[FarmerGroup]:
    base = FarmerGroup.objects.filter(pemda=pemda)
    if scope.pemda_id != pemda.pk or not getattr(user, "is_authenticated", False):
        return base.none()
    if scope.has("permit.process"):
        return base
    applications = access.visible_applications(scope, user, pemda).exclude(kelompok=None)
    created = _ids(_created_by(user, pemda, FarmerGroup))
    return base.filter(Q(pk__in=created) | Q(pk__in=applications.values("kelompok_id")))


def visible_businesses(scope: Scope, user: Any, pemda: Pemda) -> QuerySet[MicroBusiness]:
    base = MicroBusiness.objects.filter(pemda=pemda)
    if scope.pemda_id != pemda.pk or not getattr(user, "is_authenticated", False):
        return base.none()
    if scope.has("permit.process"):
        return base
    applications = access.visible_applications(scope, user, pemda).exclude(usaha=None)
    created = _ids(_created_by(user, pemda, MicroBusiness))
    return base.filter(Q(pk__in=created) | Q(pk__in=applications.values("usaha_id")))


def _pk(value: Any) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk < 2**63 else 0


def get_group(request: Any, group_id: Any) -> FarmerGroup:
    group = (
        visible_groups(request.scope, request.user, request.pemda)
        .select_related("desa")
        .filter(pk=_pk(group_id))
        .first()
    )
    if group is None:
        raise NotFoundError(_("Kelompok tani tidak ditemukan di pemda ini."))
    return group


def get_member(request: Any, member_id: Any) -> GroupMember:
    member = (
        GroupMember.objects.filter(pemda=request.pemda, pk=_pk(member_id))
        .select_related("kelompok", "kelompok__desa")
        .first()
    )
    if (
        member is None
        or not visible_groups(request.scope, request.user, request.pemda)
        .filter(pk=member.kelompok_id)
        .exists()
    ):
        raise NotFoundError(_("Anggota tidak ditemukan di pemda ini."))
    return member


def get_business(request: Any, business_id: Any) -> MicroBusiness:
    business = (
        visible_businesses(request.scope, request.user, request.pemda)
        .select_related("lokasi")
        .filter(pk=_pk(business_id))
        .first()
    )
    if business is None:
        raise NotFoundError(_("Usaha mikro tidak ditemukan di pemda ini."))
    return business


def get_application(request: Any, application_id: Any) -> Application:
    return access.get_application(request, _pk(application_id))


def my_applications(scope: Scope, user: Any, pemda: Pemda) -> QuerySet[Application]:
    own = Q(dibuat_oleh_id=user.pk) | Q(pendamping_id=user.pk) | Q(pemohon_id=user.pk)
    return (
        access.visible_applications(scope, user, pemda)
        .filter(own)
        .select_related("jenis", "kelompok", "usaha")
        .order_by("-diubah", "-pk")
    )


def applications_of_group(group: FarmerGroup) -> QuerySet[Application]:
    return Application.objects.filter(kelompok=group).select_related("jenis").order_by("-dibuat")


def applications_of_business(business: MicroBusiness) -> QuerySet[Application]:
    return Application.objects.filter(usaha=business).select_related("jenis").order_by("-dibuat")
