"""e-Monev fixtures: the planning fixtures' RKPD 2026 and users of every e-Monev role."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from rencana.accounts.services import role_assign
from rencana.core.roles import Role
from rencana.planning.tests.conftest import Plan, build_plan, make_edition
from rencana.regions.models import Pemda


@dataclass
class Monev:
    plan: Plan
    operator: User
    other_operator: User
    verifier: User


@pytest.fixture
def monev(pemda_a: Pemda) -> Monev:
    make_edition()
    plan = build_plan(pemda_a)
    operator = User.objects.create_user(username="operator-dinas", password="sandi-uji-123")
    role_assign(actor=None, user=operator, pemda=pemda_a, role=Role.OPERATOR_OPD, opd=plan.opd)
    other = User.objects.create_user(username="operator-lain", password="sandi-uji-123")
    role_assign(actor=None, user=other, pemda=pemda_a, role=Role.OPERATOR_OPD, opd=plan.other_opd)
    verifier = User.objects.create_user(username="verifikator-uji", password="sandi-uji-123")
    role_assign(actor=None, user=verifier, pemda=pemda_a, role=Role.VERIFIKATOR)
    return Monev(plan=plan, operator=operator, other_operator=other, verifier=verifier)
