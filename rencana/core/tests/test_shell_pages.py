import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from rencana.core.audit import audit_record
from rencana.core.roles import Role
from rencana.regions.models import Pemda
from rencana.regions.services import opd_create

pytestmark = pytest.mark.django_db


def test_landing_page_explains_the_product_to_anonymous_visitors(client: Client) -> None:
    body = client.get("/").content.decode()
    assert "Perencanaan" in body and "Masuk" in body


def test_health_reports_the_database(client: Client) -> None:
    assert client.get("/sehat/").json()["status"] == "ok"


def test_dashboard_says_what_will_appear_and_shows_menu_by_role(pemda_a: Pemda, client_as: Any) -> None:
    planner = client_as(Role.PERENCANA, pemda_a).get(f"/pemda/{pemda_a.kode}/").content.decode()
    assert "Yang akan tampil di beranda ini" in planner
    assert "Peta wilayah" in planner and "Jejak audit" not in planner
    admin = client_as(Role.ADMIN_PEMDA, pemda_a).get(f"/pemda/{pemda_a.kode}/").content.decode()
    assert "Jejak audit" in admin and "Pengguna dan peran" in admin


def test_pemda_switcher_lists_every_pemda_of_the_user(pemda_a: Pemda, pemda_b: Pemda, make_user: Any) -> None:
    from rencana.accounts.services import role_assign

    user = make_user(Role.PERENCANA, pemda_a)
    role_assign(actor=None, user=user, pemda=pemda_b, role=Role.PERENCANA)
    client = Client()
    client.force_login(user)
    body = client.get(f"/pemda/{pemda_b.kode}/").content.decode()
    assert 'id="pilih-pemda"' in body
    assert f'value="/pemda/{pemda_a.kode}/"' in body
    assert f'value="/pemda/{pemda_b.kode}/" selected' in body
    # the session remembers the last pemda for /beranda/
    assert client.get(reverse("core:dashboard"))["Location"] == f"/pemda/{pemda_b.kode}/"


def test_audit_page_filters_paginates_and_exports(pemda_a: Pemda, client_as: Any, settings: Any) -> None:
    settings.RENCANA_PAGE_SIZE = 5
    for i in range(7):
        opd_create(actor=None, pemda=pemda_a, kode=f"Q.{i}", nama=f"Dinas Audit {i}")
    audit_record(actor=None, action="update", object_type="regions.opd", object_id="1", pemda_id=pemda_a.pk)
    client = client_as(Role.ADMIN_PEMDA, pemda_a)
    url = reverse("core:audit", kwargs={"kode": pemda_a.kode})
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"aksi": "create"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Halaman 1 dari 2" in body
    assert len(queries) <= 12
    export = client.get(reverse("core:audit_export", kwargs={"kode": pemda_a.kode}), {"aksi": "create"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = list(sheet.values)
    assert rows[0][:3] == ("Waktu", "Pelaku", "Aksi")
    assert len(rows) == 1 + 7
    assert {r[2] for r in rows[1:]} == {"create"}


def test_audit_filters_ignore_junk_input(pemda_a: Pemda, client_as: Any) -> None:
    client = client_as(Role.ADMIN_PEMDA, pemda_a)
    url = reverse("core:audit", kwargs={"kode": pemda_a.kode})
    response = client.get(url, {"dari": "kemarin", "sampai": "2026-13-45", "halaman": "-3", "q": "'%_"})
    assert response.status_code == 200


def test_audit_page_is_for_admins_only(pemda_a: Pemda, client_as: Any) -> None:
    client = client_as(Role.PERENCANA, pemda_a)
    assert client.get(reverse("core:audit", kwargs={"kode": pemda_a.kode})).status_code == 403


def test_audit_detail_shows_before_and_after(pemda_a: Pemda, client_as: Any) -> None:
    event = audit_record(
        actor=None,
        action="update",
        object_type="regions.opd",
        object_id="9",
        pemda_id=pemda_a.pk,
        before={"nama": "Lama"},
        after={"nama": "Baru"},
    )
    client = client_as(Role.ADMIN_PEMDA, pemda_a)
    body = client.get(
        reverse("core:audit_detail", kwargs={"kode": pemda_a.kode, "event_id": event.pk})
    ).content
    assert b"Lama" in body and b"Baru" in body


def test_server_error_page_renders_without_the_database(rf: Any) -> None:
    from rencana.core.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert "Data Anda tidak berubah" in response.content.decode()


def test_dashboard_shows_population_by_sex_and_area_of_the_pemda(pemda_a: Pemda, client_as: Any) -> None:
    body = client_as(Role.PERENCANA, pemda_a).get(f"/pemda/{pemda_a.kode}/").content.decode()
    assert "332.787" in body  # Kotabaru, Dukcapil semester II 2024, Indonesian thousands separator
    assert "171.691" in body and "161.096" in body
