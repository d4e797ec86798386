from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from rencana.accounts.models import RoleAssignment
from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.regions.models import Opd, Pemda

pytestmark = pytest.mark.django_db


def admin_client(pemda: Pemda, make_user: Any) -> tuple[Client, Any]:
    admin = make_user(Role.ADMIN_PEMDA, pemda, username="admin.uji")
    client = Client()
    client.force_login(admin)
    return client, admin


def test_admin_creates_an_operator_bound_to_an_opd(pemda_a: Pemda, make_user: Any) -> None:
    client, _admin = admin_client(pemda_a, make_user)
    opd = Opd.objects.get(pemda=pemda_a, kode="A.01")
    form = {
        "username": "op.baru",
        "full_name": "Operator Baru",
        "email": "",
        "password": "Kotabaru-Sehat-2026",
        "role": "operator_opd",
        "opd": opd.pk,
    }
    response = client.post(reverse("users:user_create", kwargs={"kode": pemda_a.kode}), form)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="op.baru")
    assert RoleAssignment.objects.get(user=user).opd == opd
    assert AuditEvent.objects.filter(action="grant", pemda_id=pemda_a.pk).exists()


def test_operator_role_without_opd_and_weak_password_are_refused(pemda_a: Pemda, make_user: Any) -> None:
    client, _admin = admin_client(pemda_a, make_user)
    url = reverse("users:user_create", kwargs={"kode": pemda_a.kode})
    base = {"username": "op.x", "full_name": "X", "email": "", "role": "operator_opd"}
    no_opd = client.post(url, {**base, "password": "Kotabaru-Sehat-2026"})
    assert no_opd.status_code == 400
    assert "harus dikaitkan dengan satu OPD" in no_opd.content.decode()
    weak = client.post(url, {**base, "role": "perencana", "password": "1234567890"})
    assert weak.status_code == 400
    assert not get_user_model().objects.filter(username="op.x").exists()


def test_last_admin_cannot_revoke_own_admin_role(pemda_a: Pemda, make_user: Any) -> None:
    client, admin = admin_client(pemda_a, make_user)
    assignment = RoleAssignment.objects.get(user=admin, role="admin_pemda")
    url = reverse(
        "users:role_revoke",
        kwargs={"kode": pemda_a.kode, "user_id": admin.pk, "assignment_id": assignment.pk},
    )
    response = client.post(url)
    assert response.status_code == 409
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_revoking_a_role_is_audited_and_the_user_loses_access(pemda_a: Pemda, make_user: Any) -> None:
    client, _admin = admin_client(pemda_a, make_user)
    planner = make_user(Role.PERENCANA, pemda_a)
    assignment = RoleAssignment.objects.get(user=planner)
    url = reverse(
        "users:role_revoke",
        kwargs={"kode": pemda_a.kode, "user_id": planner.pk, "assignment_id": assignment.pk},
    )
    assert client.post(url).status_code == 302
    assert AuditEvent.objects.filter(action="revoke", before__role="perencana").exists()
    planner_client = Client()
    planner_client.force_login(planner)
    assert planner_client.get(f"/pemda/{pemda_a.kode}/").status_code == 404


def test_admin_sees_only_users_of_own_pemda(pemda_a: Pemda, pemda_b: Pemda, make_user: Any) -> None:
    client, _admin = admin_client(pemda_a, make_user)
    outsider = make_user(Role.PERENCANA, pemda_b, username="orang.pasuruan")
    listing = client.get(reverse("users:user_list", kwargs={"kode": pemda_a.kode})).content.decode()
    assert "orang.pasuruan" not in listing
    detail = client.get(reverse("users:user_detail", kwargs={"kode": pemda_a.kode, "user_id": outsider.pk}))
    assert detail.status_code == 404


def test_existing_user_gets_a_role_in_a_second_pemda(pemda_a: Pemda, pemda_b: Pemda, make_user: Any) -> None:
    client, _admin = admin_client(pemda_a, make_user)
    make_user(Role.PERENCANA, pemda_b, username="perencana.dua")
    response = client.post(
        reverse("users:user_add_existing", kwargs={"kode": pemda_a.kode}),
        {"username": "perencana.dua", "role": "perencana"},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user__username="perencana.dua").count() == 2
