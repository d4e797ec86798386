"""The role policy as plain functions: no database."""

import pytest

from rencana.core.errors import PermissionDeniedError
from rencana.core.roles import ROLE_PERMISSIONS, Role, roles_with
from rencana.core.scope import ANONYMOUS, Assignment, Scope


def scope_with(*assignments: Assignment) -> Scope:
    return Scope(user_id=1, pemda_id=10, pemda_kode="63.02", assignments=assignments)


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.ADMIN_PEMDA, "opd.manage", True),
        (Role.ADMIN_PEMDA, "audit.view", True),
        (Role.PERENCANA, "opd.manage", False),
        (Role.PERENCANA, "opd.view", True),
        (Role.PIMPINAN, "audit.view", False),
        (Role.OPERATOR_OPD, "opd.view", True),
        (Role.PEMOHON, "opd.view", False),
        (Role.PEMOHON, "pemda.view", False),
        (Role.PENDAMPING, "pemda.view", True),
    ],
)
def test_role_grants_exactly_the_listed_permissions(role: Role, permission: str, allowed: bool) -> None:
    assert scope_with(Assignment(role)).has(permission) is allowed


def test_anonymous_scope_has_no_permission_at_all() -> None:
    assert not any(ANONYMOUS.has(p) for p in ROLE_PERMISSIONS)
    with pytest.raises(PermissionDeniedError):
        ANONYMOUS.require("pemda.view")


def test_opd_bound_role_acts_only_in_its_own_opd() -> None:
    scope = scope_with(Assignment(Role.OPERATOR_OPD, opd_id=5))
    assert scope.has("opd.view", opd_id=5)
    assert not scope.has("opd.view", opd_id=6)
    assert scope.opd_filter("opd.view") == frozenset({5})


def test_pemda_wide_role_lifts_the_opd_limit() -> None:
    scope = scope_with(Assignment(Role.OPERATOR_OPD, opd_id=5), Assignment(Role.PERENCANA))
    assert scope.has("opd.view", opd_id=6)
    assert scope.opd_filter("opd.view") is None


def test_unknown_permission_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="Izin tidak dikenal"):
        roles_with("tidak.ada")


def test_every_permission_names_only_known_roles() -> None:
    for roles in ROLE_PERMISSIONS.values():
        assert roles <= set(Role)
