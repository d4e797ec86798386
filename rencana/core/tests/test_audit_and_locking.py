from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from rencana.core.audit import audit_record
from rencana.core.errors import ConflictError
from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.regions.models import Opd, Pemda
from rencana.regions.services import opd_create, opd_update

pytestmark = pytest.mark.django_db


def test_audit_event_cannot_be_changed_or_deleted(pemda_a: Pemda) -> None:
    event = audit_record(actor=None, action="create", object_type="x", object_id="1", pemda_id=pemda_a.pk)
    event.action = "update"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "create"


def test_service_write_records_who_when_before_after(pemda_a: Pemda, make_user: Any) -> None:
    user = make_user(Role.ADMIN_PEMDA, pemda_a)
    opd = opd_create(actor=user, pemda=pemda_a, kode="9.99", nama="Dinas Uji")
    opd_update(actor=user, opd=opd, expected_version=opd.version, kode="9.99", nama="Dinas Uji Baru")
    event = AuditEvent.objects.filter(object_type="regions.opd", object_id=str(opd.pk), action="update").get()
    assert event.actor == user
    assert event.pemda_id == pemda_a.pk
    assert event.before == {**(event.before or {}), "nama": "Dinas Uji"}
    assert (event.after or {})["nama"] == "Dinas Uji Baru"
    assert event.changed_fields() == [("nama", "Dinas Uji", "Dinas Uji Baru")]


def test_audit_event_carries_the_request_id(pemda_a: Pemda, client_as: Any) -> None:
    client: Client = client_as(Role.ADMIN_PEMDA, pemda_a)
    response = client.post(
        reverse("regions:opd_create", kwargs={"kode": pemda_a.kode}),
        {"kode": "7.77", "nama": "Dinas Lewat Halaman"},
        headers={"X-Request-ID": "uji-request-0001"},
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "uji-request-0001"
    assert AuditEvent.objects.get(object_label="Dinas Lewat Halaman").request_id == "uji-request-0001"


def test_stale_version_is_refused_and_nothing_is_overwritten(pemda_a: Pemda) -> None:
    opd = opd_create(actor=None, pemda=pemda_a, kode="8.88", nama="Versi Awal")
    first_reader = Opd.objects.get(pk=opd.pk)
    second_reader = Opd.objects.get(pk=opd.pk)
    opd_update(
        actor=None, opd=first_reader, expected_version=first_reader.version, kode="8.88", nama="Suntingan A"
    )
    with pytest.raises(ConflictError, match="telah diubah oleh pengguna lain") as caught:
        opd_update(
            actor=None,
            opd=second_reader,
            expected_version=second_reader.version,
            kode="8.88",
            nama="Suntingan B",
        )
    assert caught.value.status == 409
    stored = Opd.objects.get(pk=opd.pk)
    assert stored.nama == "Suntingan A"
    assert stored.version == 2
