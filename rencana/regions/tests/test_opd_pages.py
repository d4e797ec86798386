import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.regions.models import Opd, Pemda

pytestmark = pytest.mark.django_db


def url(name: str, pemda: Pemda, **kwargs: Any) -> str:
    return reverse(f"regions:{name}", kwargs={"kode": pemda.kode, **kwargs})


def test_opd_list_is_paginated_searchable_and_uses_few_queries(
    pemda_a: Pemda, client_as: Any, settings: Any
) -> None:
    settings.RENCANA_PAGE_SIZE = 10
    Opd.objects.bulk_create(Opd(pemda=pemda_a, kode=f"X.{i:02d}", nama=f"Unit Uji {i}") for i in range(25))
    client = client_as(Role.PERENCANA, pemda_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("opd_list", pemda_a))
    assert response.status_code == 200
    assert "Halaman 1 dari 3" in response.content.decode()
    assert len(queries) <= 12
    found = client.get(url("opd_list", pemda_a), {"q": "Rahasia"}).content.decode()
    assert "Dinas Rahasia Kotabaru" in found and "Unit Uji" not in found


def test_empty_list_explains_what_to_do(pemda_b: Pemda, client_as: Any) -> None:
    Opd.objects.filter(pemda=pemda_b).delete()
    body = client_as(Role.ADMIN_PEMDA, pemda_b).get(url("opd_list", pemda_b)).content.decode()
    assert "Belum ada OPD" in body


def test_admin_creates_opd_and_sees_validation_messages(pemda_a: Pemda, client_as: Any) -> None:
    client = client_as(Role.ADMIN_PEMDA, pemda_a)
    bad = client.post(url("opd_create", pemda_a), {"kode": "A.01", "nama": "Duplikat"})
    assert bad.status_code == 400
    assert "sudah dipakai" in bad.content.decode()
    good = client.post(url("opd_create", pemda_a), {"kode": "A.09", "nama": "Dinas Baru", "singkatan": "DB"})
    assert good.status_code == 302
    assert Opd.objects.filter(pemda=pemda_a, kode="A.09", nama="Dinas Baru").exists()


def test_stale_edit_gets_a_conflict_message_and_keeps_the_newer_data(pemda_a: Pemda, client_as: Any) -> None:
    opd = Opd.objects.get(pemda=pemda_a, kode="A.01")
    client = client_as(Role.ADMIN_PEMDA, pemda_a)
    form = {"kode": "A.01", "singkatan": "", "urusan": "", "version": opd.version}
    assert (
        client.post(url("opd_edit", pemda_a, opd_id=opd.pk), {**form, "nama": "Pertama"}).status_code == 302
    )
    stale = client.post(url("opd_edit", pemda_a, opd_id=opd.pk), {**form, "nama": "Kedua"})
    assert stale.status_code == 409
    assert "telah diubah oleh pengguna lain" in stale.content.decode()
    assert Opd.objects.get(pk=opd.pk).nama == "Pertama"


def test_deactivate_keeps_the_row_and_is_audited(pemda_a: Pemda, client_as: Any) -> None:
    opd = Opd.objects.get(pemda=pemda_a, kode="A.02")
    client = client_as(Role.ADMIN_PEMDA, pemda_a)
    response = client.post(url("opd_toggle", pemda_a, opd_id=opd.pk), {"version": opd.version, "aktif": "0"})
    assert response.status_code == 302
    opd.refresh_from_db()
    assert opd.aktif is False
    assert AuditEvent.objects.filter(action="deactivate", object_id=str(opd.pk)).exists()
    listed = client.get(url("opd_list", pemda_a)).content.decode()
    assert "<td>Badan Khusus Kotabaru</td>" not in listed
    inactive = client.get(url("opd_list", pemda_a), {"status": "nonaktif"}).content.decode()
    assert "<td>Badan Khusus Kotabaru</td>" in inactive


def test_toggle_without_version_is_a_clear_400(pemda_a: Pemda, client_as: Any) -> None:
    opd = Opd.objects.get(pemda=pemda_a, kode="A.02")
    response = client_as(Role.ADMIN_PEMDA, pemda_a).post(
        url("opd_toggle", pemda_a, opd_id=opd.pk), {"aktif": "0"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", [Role.PERENCANA, Role.OPERATOR_OPD, Role.PIMPINAN])
def test_only_admin_may_change_opds(pemda_a: Pemda, client_as: Any, role: Role) -> None:
    opd = Opd.objects.get(pemda=pemda_a, kode="A.01")
    client = client_as(role, pemda_a, opd if role == Role.OPERATOR_OPD else None)
    assert client.get(url("opd_create", pemda_a)).status_code == 403
    assert (
        client.post(url("opd_toggle", pemda_a, opd_id=opd.pk), {"version": 1, "aktif": "0"}).status_code
        == 403
    )
    assert Opd.objects.get(pk=opd.pk).aktif


def test_export_has_the_same_columns_as_the_page(pemda_a: Pemda, client_as: Any) -> None:
    client = client_as(Role.PERENCANA, pemda_a)
    response = client.get(url("opd_export", pemda_a))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.values)
    assert rows[0] == ("Kode", "Nama", "Singkatan", "Urusan/bidang", "Aktif")
    assert {r[1] for r in rows[1:]} == {"Dinas Rahasia Kotabaru", "Badan Khusus Kotabaru"}
    csv_text = client.get(url("opd_export", pemda_a), {"format": "csv"}).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "Kode,Nama,Singkatan,Urusan/bidang,Aktif"


def test_opd_of_another_pemda_is_not_found(pemda_a: Pemda, pemda_b: Pemda, client_as: Any) -> None:
    other = Opd.objects.get(pemda=pemda_b)
    client: Client = client_as(Role.ADMIN_PEMDA, pemda_a)
    assert client.get(url("opd_edit", pemda_a, opd_id=other.pk)).status_code == 404


def test_map_page_shows_empty_state_without_boundaries(pemda_a: Pemda, client_as: Any) -> None:
    body = client_as(Role.PERENCANA, pemda_a).get(url("peta", pemda_a)).content.decode()
    assert "Data batas wilayah belum dimuat" in body


def test_opd_api_create_update_conflict(pemda_a: Pemda, make_user: Any) -> None:
    client = Client()
    client.force_login(make_user(Role.ADMIN_PEMDA, pemda_a))
    base = f"/api/v1/pemda/{pemda_a.kode}/opd"
    created = client.post(base, {"kode": "Z.01", "nama": "Dinas API"}, content_type="application/json")
    assert created.status_code == 201, created.content
    opd = created.json()
    body = {"kode": "Z.01", "nama": "Dinas API 2", "version": opd["version"]}
    assert client.put(f"{base}/{opd['id']}", body, content_type="application/json").status_code == 200
    stale = client.put(f"{base}/{opd['id']}", {**body, "nama": "X"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "versi_usang"
    listed = client.get(base, {"q": "API"}).json()
    assert listed["count"] == 1 and listed["items"][0]["nama"] == "Dinas API 2"
