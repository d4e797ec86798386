"""Who may read and write which realization: an OPD operator only its own OPD's lines."""

from django.utils.translation import gettext as _

from rencana.core.errors import NotFoundError, PermissionDeniedError
from rencana.core.scope import Scope
from rencana.planning.models import PlanNode


def visible_opds(scope: Scope) -> frozenset[int] | None:
    """OPD ids whose entries the user may read; None = all of the pemda."""
    return scope.opd_filter("monev.view")


def require_read(scope: Scope, node: PlanNode) -> None:
    allowed = visible_opds(scope)
    if allowed is not None and node.opd_id not in allowed:
        # Another OPD's line is not the operator's business: same answer as a missing one.
        raise NotFoundError(_("Data realisasi tidak ditemukan."))


def can_enter(scope: Scope, node: PlanNode) -> bool:
    return node.opd_id is not None and scope.has("monev.enter", opd_id=node.opd_id)


def require_enter(scope: Scope, node: PlanNode) -> None:
    if not can_enter(scope, node):
        raise PermissionDeniedError(_("Hanya operator OPD pelaksana yang mengisi realisasi ini."))


def require_verify(scope: Scope) -> None:
    if not scope.has("monev.verify"):
        raise PermissionDeniedError(_("Hanya verifikator atau perencana Bappeda yang memverifikasi."))
