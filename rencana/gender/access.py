"""Who may read and write PUG records: staff read; Pokja PUG and Bappeda keep the pemda-wide records;
an OPD operator writes only its own OPD's GAP/GBS, ARG tags and sex-disaggregated data."""

from django.utils.translation import gettext as _

from rencana.core.errors import NotFoundError, PermissionDeniedError
from rencana.core.scope import Scope
from rencana.planning.models import PlanNode


def visible_opds(scope: Scope) -> frozenset[int] | None:
    """OPD ids whose PUG records the user may read; None = every OPD of the pemda."""
    return scope.opd_filter("pug.view")


def editable_opds(scope: Scope) -> frozenset[int] | None:
    """OPD ids whose PUG records the user may write; None = every OPD (Pokja, Bappeda, admin)."""
    return scope.opd_filter("pug.edit")


def require_read_node(scope: Scope, node: PlanNode) -> None:
    allowed = visible_opds(scope)
    if allowed is not None and node.opd_id not in allowed:
        raise NotFoundError(_("Sub-kegiatan tidak ditemukan."))


def can_edit_node(scope: Scope, node: PlanNode) -> bool:
    if not scope.has("pug.edit"):
        return False
    allowed = editable_opds(scope)
    return allowed is None or node.opd_id in allowed


def require_edit_node(scope: Scope, node: PlanNode) -> None:
    if not can_edit_node(scope, node):
        raise PermissionDeniedError(
            _("Hanya operator OPD pelaksana, Pokja PUG atau Bappeda yang mengubah data ini.")
        )


def require_manage(scope: Scope) -> None:
    if not scope.has("pug.manage"):
        raise PermissionDeniedError(
            _("Hanya Pokja PUG, perencana Bappeda atau admin pemda yang mengubah data ini.")
        )
