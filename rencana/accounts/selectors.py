"""Read queries over users and their roles within one pemda."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from rencana.accounts.models import RoleAssignment
from rencana.regions.models import Pemda


def pemda_users(*, pemda: Pemda, q: str = "", role: str = "") -> QuerySet[Any]:
    """Users holding at least one role in `pemda`, with those roles prefetched."""
    assignments = RoleAssignment.objects.filter(pemda=pemda).select_related("opd").order_by("role")
    users = get_user_model().objects.filter(role_assignments__pemda=pemda)
    if role:
        users = users.filter(role_assignments__pemda=pemda, role_assignments__role=role)
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    return (
        users.distinct()
        .prefetch_related(Prefetch("role_assignments", queryset=assignments, to_attr="pemda_roles"))
        .order_by("username")
    )


def pemda_user(*, pemda: Pemda, user_id: int) -> Any | None:
    return pemda_users(pemda=pemda).filter(pk=user_id).first()
