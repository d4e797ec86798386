"""Who may change what in a plan: Bappeda everything, an OPD operator only its own OPD's lines."""

from django.utils.translation import gettext as _

from rencana.core.errors import PermissionDeniedError
from rencana.core.scope import Scope
from rencana.planning.models import PlanDocument


def can_edit(scope: Scope, document: PlanDocument, opd_id: int | None = None) -> bool:
    """Whether `scope` may change `document`, or a line of it run by `opd_id`."""
    if document.terkunci:
        return False
    if scope.has("plan.manage"):
        return True
    owner = document.opd_id or opd_id
    # `Scope.has` treats an object without OPD as open to OPD-bound roles; plan lines without an
    # OPD (visi, misi, sasaran) belong to Bappeda, so require an OPD here.
    return owner is not None and scope.has("plan.edit", opd_id=owner)


def require_edit(scope: Scope, document: PlanDocument, opd_id: int | None = None) -> None:
    if document.terkunci:
        return  # the service refuses with the clearer "locked" message
    if not can_edit(scope, document, opd_id):
        raise PermissionDeniedError(_("Anda tidak berwenang mengubah bagian dokumen ini."))


def require_manage(scope: Scope) -> None:
    scope.require("plan.manage")
