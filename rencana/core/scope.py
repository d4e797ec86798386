"""The one scope mechanism: who may do what, in which pemda and OPD.

`Scope` is built once per request (accounts.scope.scope_for) from the user's role assignments in
the pemda being viewed. Views, API operations and selectors ask it, never the raw assignments.
Pure: no ORM import, so the policy is tested as plain functions.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from rencana.core.errors import PermissionDeniedError
from rencana.core.roles import Role, roles_with


@dataclass(frozen=True)
class Assignment:
    role: Role
    opd_id: int | None = None


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    pemda_id: int | None
    pemda_kode: str = ""
    assignments: tuple[Assignment, ...] = field(default_factory=tuple)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(a.role for a in self.assignments)

    @property
    def is_member(self) -> bool:
        return bool(self.assignments)

    def has(self, permission: str, *, opd_id: int | None = None) -> bool:
        """True when a role grants `permission`; for an OPD-owned object, in that OPD."""
        allowed = roles_with(permission)
        for a in self.assignments:
            if a.role not in allowed:
                continue
            if opd_id is None or a.opd_id is None or a.opd_id == opd_id:
                return True
        return False

    def require(self, permission: str, *, opd_id: int | None = None) -> None:
        if not self.has(permission, opd_id=opd_id):
            raise PermissionDeniedError(_("Anda tidak berwenang untuk tindakan ini pada pemda/OPD ini."))

    def opd_filter(self, permission: str) -> frozenset[int] | None:
        """OPD ids a user is limited to for `permission`; None means every OPD of the pemda."""
        allowed = roles_with(permission)
        granting = [a for a in self.assignments if a.role in allowed]
        if any(a.opd_id is None for a in granting):
            return None
        return frozenset(a.opd_id for a in granting if a.opd_id is not None)


ANONYMOUS = Scope(user_id=None, pemda_id=None)
