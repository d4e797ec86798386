"""e-Monev in a browser: a quarter's realization from the OPD through Bappeda's verification to the dashboard.

The issue's acceptance journey with two people, each in their own browser context: an OPD operator
(operator_opd of the Dinas Kesehatan) and a Bappeda verifier (verifikator). The plan data is built in
Python (the planning fixtures' RKPD 2026 of pemda 63.02 with sub-kegiatan 1.02.02.2.01.0001 run by the
Dinas Kesehatan, plus an annual 2026 target on its output indicator); everything else goes through the
pages:

1. the operator opens e-Monev, picks TW 2, its OPD and the sub-kegiatan, types the indicator value and
   the budget in Indonesian notation, saves a draft, uploads a PDF evidence file and submits;
2. the verifier's dashboard still shows no achievement (only verified data counts); the verifier opens
   the verification queue and the entry, sees the evidence (and downloads it), returns it with a reason;
3. the operator sees "Dikembalikan" with the reason, corrects the value and submits again;
4. the verifier verifies; the operator's form is read-only and offers "Buat revisi";
5. the verifier's dashboard e-Monev panel shows the capaian and predikat of the verified values.

Screenshots of both people are numbered in one sequence under test-artifacts/e2e/<test>/.
"""

import contextlib
import re
from collections.abc import Generator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Error, Locator, Page, expect

from e2e.conftest import _REPORTS, CSP_REPORTER, STEP_TIMEOUT_MS, BrowserSession
from rencana.accounts.services import role_assign
from rencana.conftest import make_pemda, make_region
from rencana.core.roles import Role
from rencana.monitoring.achievement import capaian, predikat_label
from rencana.monitoring.views import _current_quarter
from rencana.planning.models import Indicator, IndicatorTarget, PlanNode
from rencana.planning.tests.conftest import build_plan, make_edition
from rencana.regions.models import Pemda
from rencana.regions.services import opd_create

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

DINKES = "Dinas Kesehatan Kabupaten Kotabaru"
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kotabaru"
SUB_KEGIATAN = ("1.02.02.2.01.0001", "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya")
INDICATOR_LABEL = "Jumlah Rumah Sakit yang Dibangun (Unit)"
BUDGET_LABEL = "Realisasi anggaran triwulan ini (Rp)"
TAHUN = 2026
TRIWULAN = 2
TARGET = Decimal(4)  # units in 2026
FIRST_TYPED = "1,5"
FIXED_VALUE, FIXED_TYPED = Decimal("3.5"), "3,5"
BUDGET_TYPED = "187.500.000"
REASON = "Nilai fisik tidak sesuai berita acara serah terima; mohon dicek dan diperbaiki."
EVIDENCE_NAME = "berita-acara-tw2.pdf"


@dataclass(frozen=True)
class Person:
    username: str
    password: str


@dataclass(frozen=True)
class MonevData:
    pemda: Pemda
    sub: PlanNode
    operator: Person
    verifier: Person


@pytest.fixture
def monev_data(transactional_db: Any) -> MonevData:
    """The planning fixtures' RKPD 2026 of 63.02 with a 2026 target, an OPD operator and a verifier."""
    make_region("63", "Kalimantan Selatan", "provinsi")
    pemda = make_pemda("63.02", "Kabupaten Kotabaru")
    # build_plan gives its sub-kegiatan to the first OPD by code.
    opd_create(actor=None, pemda=pemda, kode="1.02.0.00.0.00.01.0000", nama=DINKES)
    opd_create(actor=None, pemda=pemda, kode="1.03.0.00.0.00.01.0000", nama=PUPR)
    make_edition()
    plan = build_plan(pemda)
    assert plan.opd.nama == DINKES and plan.sub.kode == SUB_KEGIATAN[0]
    indicator = Indicator.objects.get(node=plan.sub)
    IndicatorTarget.objects.update_or_create(
        indikator=indicator, tahun=TAHUN, defaults={"pemda": pemda, "nilai": TARGET}
    )
    users = get_user_model().objects
    operator = Person("operator.dinkes", "sandi-e2e-Operator-2026")
    role_assign(
        actor=None,
        user=users.create_user(username=operator.username, password=operator.password),
        pemda=pemda,
        role=Role.OPERATOR_OPD,
        opd=plan.opd,
    )
    verifier = Person("verifikator.bappeda", "sandi-e2e-Verifikator-2026")
    role_assign(
        actor=None,
        user=users.create_user(username=verifier.username, password=verifier.password),
        pemda=pemda,
        role=Role.VERIFIKATOR,
    )
    return MonevData(pemda=pemda, sub=plan.sub, operator=operator, verifier=verifier)


@pytest.fixture
def second_session(
    session: BrowserSession, browser: Browser, live_server: Any, request: pytest.FixtureRequest
) -> Generator[BrowserSession]:
    """A second person's browser context, set up like `session` (after it: same artifacts folder)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    other = BrowserSession(page=page, artifacts=session.artifacts)
    page.on("console", other.on_console)
    page.on("pageerror", other.on_page_error)
    page.on("response", other.on_response)
    yield other
    reports = request.node.stash.get(_REPORTS, {})
    if "call" in reports and reports["call"].failed:
        with contextlib.suppress(Error):
            other.steps = max(other.steps, session.steps)
            other.shot("failure-second-person")
    context.close()


@dataclass
class Story:
    """Both people's screenshots in one numbered sequence, each step named after who took it."""

    operator: BrowserSession
    verifier: BrowserSession
    step: int = 0

    def shot(self, who: BrowserSession, name: str) -> None:
        label = "operator" if who is self.operator else "verifikator"
        who.steps = self.step
        who.shot(f"{label}-{name}")
        self.step = who.steps
        who.checkpoint(f"{label}: {name}")


# ---------------------------------------------------------------------------------------------------
# Page helpers


def sign_in(page: Page, person: Person, pemda: Pemda) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(person.password)
    page.locator("main form").get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(rf"/pemda/{re.escape(pemda.kode)}/$"))


def menu(page: Page, name: str) -> None:
    page.locator("nav.sidenav").get_by_role("link", name=name, exact=True).click()


def status_badge(page: Page) -> Locator:
    return page.get_by_test_id("status")


def messages(page: Page) -> Locator:
    return page.locator(".messages")


def monev_panel(page: Page) -> Locator:
    """The dashboard's e-Monev panel once its HTMX fragment has replaced the placeholder."""
    panel = page.get_by_test_id("panel-monev")
    expect(panel.get_by_role("link", name="Buka e-Monev")).to_be_visible()
    return panel


def open_entry_as_operator(page: Page, data: MonevData) -> None:
    """e-Monev → TW 2 → the OPD → the sub-kegiatan's entry, by the pages' own links."""
    menu(page, "e-Monev")
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring dan evaluasi (e-Monev)")
    page.get_by_label("Tahun").fill(str(TAHUN))
    page.get_by_label("Triwulan").select_option(label=f"TW {TRIWULAN}")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("main")).to_contain_text(f"Batas waktu laporan TW {TRIWULAN} {TAHUN}")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)  # an operator sees only its own OPD
    rows.get_by_role("link", name=DINKES).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DINKES)
    expect(page.locator("main")).to_contain_text(f"Realisasi TW {TRIWULAN} {TAHUN}")
    line = page.locator("main table tbody tr").filter(has_text=SUB_KEGIATAN[0])
    expect(line).to_contain_text(SUB_KEGIATAN[1])
    line.get_by_role("link", name="Isi / lihat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Realisasi TW {TRIWULAN} {TAHUN}")
    expect(page.locator("main")).to_contain_text(SUB_KEGIATAN[0])


def open_from_queue(page: Page) -> None:
    menu(page, "e-Monev")
    page.get_by_role("link", name="Antrean verifikasi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Antrean verifikasi {TAHUN}")
    row = page.locator("main table tbody tr").filter(has_text=SUB_KEGIATAN[0])
    expect(row).to_have_count(1)
    expect(row).to_contain_text(DINKES)
    expect(row).to_contain_text(f"TW {TRIWULAN}")
    row.get_by_role("link", name=re.compile(re.escape(SUB_KEGIATAN[0]))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Realisasi TW {TRIWULAN} {TAHUN}")
    expect(status_badge(page)).to_have_text("Diajukan")


def dashboard_panel(page: Page, pemda: Pemda) -> Locator:
    """The e-Monev panel of the pemda dashboard; its own URL with TW 2 when today's default excludes it."""
    page.goto(f"/pemda/{pemda.kode}/")
    panel = monev_panel(page)
    if pemda.tahun_anggaran == TAHUN and _current_quarter(TAHUN) >= TRIWULAN:
        expect(panel).to_contain_text(f"Realisasi terverifikasi sampai TW {_current_quarter(TAHUN)} {TAHUN}")
        return panel
    # Not reached on the date this was written (2026-11-21: TW 4); kept so the test survives the calendar.
    page.goto(f"/pemda/{pemda.kode}/monev/ringkasan/?tahun={TAHUN}&tw={TRIWULAN}")
    return page.locator("body")


def shown(typed: str) -> re.Pattern[str]:
    """A value typed as "3,5" read back with its unit: "3,5 Unit" (or "3,50 Unit", 2 decimals)."""
    return re.compile(rf"(?<![\d,.]){re.escape(typed)}0? Unit\b")


def persen(value: Decimal) -> str:
    """A percentage as the panel prints a 2-decimal Decimal in Indonesian: 87,50%."""
    return f"{value:.2f}".replace(".", ",") + "%"


# ---------------------------------------------------------------------------------------------------
# The journey


def test_quarter_ii_submitted_returned_fixed_verified_updates_the_dashboard(
    session: BrowserSession, second_session: BrowserSession, monev_data: MonevData, tmp_path: Path
) -> None:
    story = Story(operator=session, verifier=second_session)
    op, ver = session.page, second_session.page
    data = monev_data
    evidence = tmp_path / EVIDENCE_NAME
    evidence.write_bytes(b"%PDF-1.4\n% Rencana e2e\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

    # 1. The operator opens the sub-kegiatan's TW 2 entry: nothing reported yet.
    sign_in(op, data.operator, data.pemda)
    story.shot(session, "signed-in")
    open_entry_as_operator(op, data)
    expect(status_badge(op)).to_have_count(0)
    expect(op.locator("main")).to_contain_text("Simpan draf dulu untuk mengunggah bukti.")
    story.shot(session, "empty-entry")

    # 2. Indicator value and budget in Indonesian notation; a draft first.
    op.get_by_label(INDICATOR_LABEL).fill(FIRST_TYPED)
    op.get_by_label(BUDGET_LABEL).fill(BUDGET_TYPED)
    op.get_by_label("Faktor pendukung").fill("Kontraktor bekerja sesuai jadwal.")
    story.shot(session, "draft-form")
    op.get_by_role("button", name="Simpan draf").click()
    expect(messages(op)).to_contain_text("Draf realisasi disimpan.")
    expect(status_badge(op)).to_have_text("Draf")
    expect(op.get_by_label(INDICATOR_LABEL)).to_have_value(FIRST_TYPED)
    expect(op.get_by_label(BUDGET_LABEL)).to_have_value(re.compile(r"^187\.?500\.?000$"))
    story.shot(session, "draft-saved")

    # 3. The evidence, a small PDF.
    op.get_by_label("Bukti (PDF, JPG atau PNG, paling besar 5 MB)").set_input_files(evidence)
    op.get_by_role("button", name="Unggah bukti").click()
    expect(messages(op)).to_contain_text("Bukti diunggah.")
    expect(op.get_by_role("link", name=EVIDENCE_NAME)).to_be_visible()
    story.shot(session, "evidence-uploaded")

    # 4. Submit: "Diajukan", no longer editable.
    op.get_by_role("button", name="Ajukan ke Bappeda").click()
    expect(messages(op)).to_contain_text("Realisasi diajukan untuk diverifikasi Bappeda.")
    expect(status_badge(op)).to_have_text("Diajukan")
    expect(op.get_by_role("button", name="Simpan draf")).to_have_count(0)
    expect(op.get_by_role("button", name="Ajukan ke Bappeda")).to_have_count(0)
    story.shot(session, "submitted")

    # 5. The verifier's dashboard: a submitted report is not yet an achievement.
    sign_in(ver, data.verifier, data.pemda)
    panel = dashboard_panel(ver, data.pemda)
    expect(panel.get_by_test_id("capaian-pemda")).to_have_text("—")
    expect(panel.get_by_test_id("predikat-pemda")).to_have_count(0)
    expect(panel).to_contain_text("0 / 1")  # sub-kegiatan rated / all
    story.shot(second_session, "dashboard-before-verification")

    # 6. The queue → the entry with the operator's numbers and evidence; return it with a reason.
    open_from_queue(ver)
    facts = ver.locator("main table")
    expect(facts.locator("tr").filter(has_text="Jumlah Rumah Sakit yang Dibangun")).to_contain_text(
        shown(FIRST_TYPED)
    )
    expect(facts.locator("tr").filter(has_text="Realisasi anggaran")).to_contain_text("Rp 187.500.000")
    link = ver.get_by_role("link", name=EVIDENCE_NAME)
    expect(link).to_be_visible()
    with ver.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == EVIDENCE_NAME
    downloaded = tmp_path / "unduhan.pdf"
    download.save_as(downloaded)
    assert downloaded.read_bytes() == evidence.read_bytes()
    story.shot(second_session, "submitted-entry-with-evidence")
    ver.get_by_label("Alasan pengembalian").fill(REASON)
    ver.get_by_role("button", name="Kembalikan ke OPD").click()
    expect(messages(ver)).to_contain_text("Realisasi dikembalikan ke OPD dengan alasannya.")
    expect(status_badge(ver)).to_have_text("Dikembalikan")
    story.shot(second_session, "returned")

    # 7. The operator sees the return and its reason, corrects the value and submits again.
    op.reload()
    expect(status_badge(op)).to_have_text("Dikembalikan")
    expect(op.get_by_role("alert")).to_contain_text(f"Dikembalikan oleh Bappeda: {REASON}")
    expect(op.get_by_label(INDICATOR_LABEL)).to_have_value(FIRST_TYPED)
    expect(op.get_by_role("link", name=EVIDENCE_NAME)).to_be_visible()  # the evidence stays
    story.shot(session, "sees-return")
    op.get_by_label(INDICATOR_LABEL).fill(FIXED_TYPED)
    story.shot(session, "corrected-form")
    op.get_by_role("button", name="Ajukan ke Bappeda").click()
    expect(messages(op)).to_contain_text("Realisasi diajukan untuk diverifikasi Bappeda.")
    expect(status_badge(op)).to_have_text("Diajukan")
    expect(op.get_by_role("alert")).to_have_count(0)  # the reason is gone from the page (kept in audit)
    story.shot(session, "resubmitted")

    # 8. The verifier verifies the corrected entry.
    open_from_queue(ver)
    facts = ver.locator("main table")
    expect(facts.locator("tr").filter(has_text="Jumlah Rumah Sakit yang Dibangun")).to_contain_text(
        shown(FIXED_TYPED)
    )
    story.shot(second_session, "resubmitted-entry")
    ver.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(messages(ver)).to_contain_text("Realisasi diverifikasi dan dikunci.")
    expect(status_badge(ver)).to_have_text("Terverifikasi")
    expect(ver.get_by_role("button", name="Kembalikan ke OPD")).to_have_count(0)
    story.shot(second_session, "verified")

    # 9. The operator's entry is locked: no form, no upload; a revision is offered instead.
    op.reload()
    expect(status_badge(op)).to_have_text("Terverifikasi")
    main = op.locator("main")
    expect(main.get_by_role("textbox")).to_have_count(0)
    expect(op.get_by_role("button", name="Simpan draf")).to_have_count(0)
    expect(op.get_by_role("button", name="Ajukan ke Bappeda")).to_have_count(0)
    expect(op.get_by_role("button", name="Unggah bukti")).to_have_count(0)
    expect(op.get_by_role("button", name="hapus")).to_have_count(0)
    expect(main.locator("table tr").filter(has_text="Jumlah Rumah Sakit yang Dibangun")).to_contain_text(
        shown(FIXED_TYPED)
    )
    expect(op.get_by_role("button", name=re.compile(r"^Buat revisi"))).to_be_visible()
    story.shot(session, "verified-read-only")

    # 10. The verifier's dashboard now rates the pemda from the verified values.
    expected = capaian(TARGET, FIXED_VALUE, "positif")
    assert expected.capaian is not None and expected.predikat is not None
    panel = dashboard_panel(ver, data.pemda)
    expect(panel.get_by_test_id("capaian-pemda")).to_have_text(persen(expected.capaian))
    expect(panel.get_by_test_id("predikat-pemda")).to_have_text(predikat_label(expected.predikat))
    expect(panel).to_contain_text("1 / 1")
    story.shot(second_session, "dashboard-after-verification")

    session.assert_clean("operator")
    second_session.assert_clean("verifikator")
