"""Read queries over audit events."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from rencana.core.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""


def audit_events(*, pemda_id: int, filters: AuditFilter) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(pemda_id=pemda_id)
    if filters.actor:
        qs = qs.filter(actor_label__icontains=filters.actor)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.date_from:
        qs = qs.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(at__date__lte=filters.date_to)
    if filters.q:
        qs = qs.filter(Q(object_label__icontains=filters.q) | Q(object_id=filters.q))
    return qs.order_by("-at", "-id")


def audit_choices(*, pemda_id: int) -> tuple[list[str], list[str]]:
    base = AuditEvent.objects.filter(pemda_id=pemda_id)
    actions = sorted(set(base.values_list("action", flat=True).distinct()))
    types = sorted(set(base.values_list("object_type", flat=True).distinct()))
    return actions, types
