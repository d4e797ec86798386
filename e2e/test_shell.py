"""The page shell in a real browser: sign-in, language, pemda switch, map, audit trail, sign-out."""

import re
import warnings
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from e2e.conftest import BrowserSession, E2EData
from rencana.core.views import AUDIT_HEADERS

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

EN_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"


def english(msgid: str) -> str | None:
    """The English text of `msgid` if the catalogue translates it and the server will show it.

    The English catalogue is still being completed: a string counts only when the .po file has a
    (non-fuzzy) msgstr and the compiled catalogue Django serves agrees with it.
    """
    if not EN_CATALOGUE.is_file():
        return None
    entry = polib.pofile(str(EN_CATALOGUE)).find(msgid)
    if entry is None or not entry.msgstr or entry.fuzzy:
        return None
    with translation.override("en"):
        served = translation.gettext(msgid)
    if served != entry.msgstr:
        warnings.warn(
            f"English catalogue not compiled for {msgid!r} (run `rencana compilemessages_py`)",
            stacklevel=2,
        )
        return None
    return entry.msgstr


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


def sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.locator("main form").get_by_role("button", name="Masuk").click()


def test_journey(session: BrowserSession, e2e_data: E2EData, tmp_path: Path) -> None:
    page = session.page
    kotabaru, pasuruan = e2e_data.kotabaru, e2e_data.pasuruan

    # 1. Sign in through the form; the first pemda (by code) opens.
    page.goto("/akun/masuk/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk ke Rencana")
    session.shot("login-form")
    sign_in(page, e2e_data.username, e2e_data.password)
    expect(page).to_have_url(re.compile(rf"/pemda/{re.escape(pasuruan.kode)}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(pasuruan.nama)
    expect(page.locator("#pilih-pemda")).to_have_value(f"/pemda/{pasuruan.kode}/")
    # The shell's scripts are served from the apps' static folders.
    assert session.status_of("/static/js/htmx/htmx.min.js") == 200
    assert session.status_of("/static/core/rencana.js") == 200
    assert page.evaluate("typeof window.htmx") == "object"
    session.shot("dashboard-pasuruan")
    session.checkpoint("dashboard after sign-in")

    # 2. English and back.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Bahasa Indonesia")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/pemda/{re.escape(pasuruan.kode)}/$"))
    for msgid in ("Keluar", "Peta wilayah"):
        text = english(msgid)
        if text is not None:
            expect(page.locator("body")).to_contain_text(text)
    session.shot("english")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    session.shot("indonesian-again")

    # 3. Switch pemda with the header's select (rencana.js navigates on change).
    page.locator("#pilih-pemda").select_option(f"/pemda/{kotabaru.kode}/")
    expect(page).to_have_url(re.compile(rf"/pemda/{re.escape(kotabaru.kode)}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(kotabaru.nama)
    expect(page.locator(".sidenav-title")).to_have_text(kotabaru.nama)
    session.shot("dashboard-kotabaru")
    session.checkpoint("language switch, pemda switch")

    # 4. The region map: Leaflet draws one SVG path per kecamatan boundary, without errors.
    page.locator("nav.sidenav").get_by_role("link", name="Peta wilayah").click()
    expect(page).to_have_url(re.compile(rf"/pemda/{re.escape(kotabaru.kode)}/peta/$"))
    expect(page.locator('#peta[data-ready="1"]')).to_be_attached()
    paths = page.locator("#peta path.leaflet-interactive")
    expect(paths).to_have_count(len(e2e_data.kecamatan))
    assert page.evaluate("typeof window.L") == "object"
    assert session.status_of("/static/leaflet/leaflet.js") == 200
    assert session.status_of("/static/leaflet/leaflet.css") == 200
    assert session.status_of("/static/core/peta.js") == 200
    for kode in e2e_data.kecamatan:
        expect(page.locator("table")).to_contain_text(kode)
    session.shot("map")
    session.checkpoint("map page")

    # 5. The audit trail lists the OPD creations; filter by action; export to XLSX.
    page.locator("nav.sidenav").get_by_role("link", name="Jejak audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jejak audit")
    table = page.locator("main table")
    for nama in e2e_data.opds_kotabaru:
        expect(table).to_contain_text(nama)
    expect(table).not_to_contain_text(e2e_data.opds_pasuruan[0])  # another pemda's events
    expect(table.locator("tbody tr").filter(has_text="grant")).to_have_count(1)
    session.shot("audit")
    page.locator("select[name=aksi]").select_option("create")
    page.get_by_role("button", name="Saring").click()
    expect(page).to_have_url(re.compile(r"[?&]aksi=create"))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(e2e_data.opds_kotabaru))
    expect(rows.locator("td:nth-child(3)")).to_have_text(["create"] * len(e2e_data.opds_kotabaru))
    session.shot("audit-filtered")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh XLSX").click()
    download = download_info.value
    assert download.suggested_filename == f"audit-{kotabaru.kode}.xlsx"
    xlsx = tmp_path / download.suggested_filename
    download.save_as(xlsx)
    sheet = load_workbook(xlsx, read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == AUDIT_HEADERS
    assert sorted(str(row[5]) for row in values[1:]) == sorted(e2e_data.opds_kotabaru)
    assert {row[2] for row in values[1:]} == {"create"}
    session.checkpoint("audit pages")

    # 6. Sign out: back on the sign-in page, and the dashboard is closed again.
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/akun/masuk/$"))
    expect(page.locator("header").get_by_role("link", name="Masuk")).to_be_visible()
    expect(page.locator("#pilih-pemda")).to_have_count(0)
    session.shot("signed-out")
    page.goto(f"/pemda/{kotabaru.kode}/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/\?next="))
    session.shot("dashboard-closed")
    session.assert_clean("sign-out")


def test_wrong_password_shows_error_and_no_session(session: BrowserSession, e2e_data: E2EData) -> None:
    page = session.page
    page.goto("/akun/masuk/")
    sign_in(page, e2e_data.username, "bukan-sandinya")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nama pengguna atau kata sandi salah")
    expect(page).to_have_url(re.compile(r"/akun/masuk/$"))
    expect(page.get_by_label("Nama pengguna")).to_have_value(e2e_data.username)
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
    assert settings.SESSION_COOKIE_NAME not in {c["name"] for c in page.context.cookies()}
    session.shot("wrong-password")
    session.assert_clean("failed sign-in")


def test_anonymous_dashboard_visit_goes_to_login_and_back(session: BrowserSession, e2e_data: E2EData) -> None:
    page = session.page
    kode = e2e_data.kotabaru.kode
    page.goto(f"/pemda/{kode}/")
    expect(page).to_have_url(re.compile(rf"/akun/masuk/\?next=/pemda/{re.escape(kode)}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk ke Rencana")
    session.shot("login-required")
    sign_in(page, e2e_data.username, e2e_data.password)
    # `next` wins over the default (first) pemda.
    expect(page).to_have_url(re.compile(rf"/pemda/{re.escape(kode)}/$"))
    assert heading(page) == e2e_data.kotabaru.nama
    session.shot("dashboard-after-next")
    session.assert_clean("sign-in with next")


def test_app_static_files_are_served(session: BrowserSession) -> None:
    for path, kind in (
        ("/static/leaflet/leaflet.js", "javascript"),
        ("/static/leaflet/leaflet.css", "css"),
        ("/static/js/htmx/htmx.min.js", "javascript"),
        ("/static/core/rencana.js", "javascript"),
        ("/static/core/peta.js", "javascript"),
        ("/static/core/rencana.css", "css"),
    ):
        response = session.page.request.get(path)
        assert response.status == 200, path
        assert kind in response.headers.get("content-type", ""), (path, response.headers)


def test_region_search_and_api_docs_work_offline_under_the_csp(
    session: BrowserSession, e2e_data: E2EData
) -> None:
    page = session.page
    page.goto("/wilayah/")
    page.get_by_label("Kode atau nama").fill("kotabaru")
    page.get_by_role("link", name="Kabupaten Kotabaru").first.wait_for()
    session.shot("region search")
    session.checkpoint("region search")
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Rencana API" in page.locator(".swagger-ui .info .title").inner_text()
    session.shot("api docs")
    session.assert_clean("api docs")
