"""Fixtures for the end-to-end tests: Debian's Chromium driven by Playwright against `live_server`.

The app runs in-process (pytest-django's `live_server`, which serves app static files like
StaticLiveServerTestCase) on the test database. Every step's screenshot is kept under
`test-artifacts/e2e/<test-name>/NN-step.png`, plus `NN-failure.png` when a test fails.
"""

import os

# Playwright's sync API keeps an event loop in the test thread; Django would otherwise refuse
# database access from it (SynchronousOnlyOperation). Must be set before any test touches the DB.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import contextlib
import re
import shutil
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Playwright, Response, sync_playwright

from rencana.accounts.services import role_assign
from rencana.conftest import make_pemda, make_region
from rencana.core.roles import Role
from rencana.regions.models import Pemda, RegionBoundary, RegionLevel
from rencana.regions.services import opd_create

# Overridable only to exercise the skip/fail path; CI uses the Debian package (make e2e-deps).
CHROMIUM = Path(os.environ.get("RENCANA_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's default is 30 s; a step of this app that needs more than this is a failure anyway.
STEP_TIMEOUT_MS = 10_000
ARTIFACTS = Path("test-artifacts") / "e2e"

# Reports the CSP violations with their directive, in addition to Chromium's own console error.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("[csp-violation] " + e.effectiveDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


def pytest_configure(config: pytest.Config) -> None:
    # Known to pytest-xdist; registered here too so `-p no:xdist` with --strict-markers accepts it.
    config.addinivalue_line("markers", "xdist_group(name): run the tests of one group on one worker")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


# ---------------------------------------------------------------------------------------------------
# Browser


@pytest.fixture(scope="session")
def playwright_driver() -> Generator[Playwright]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        reason = f"{CHROMIUM} not found: install Debian's 'chromium' package (make e2e-deps)."
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Generator[Browser]:
    # launch() (not a persistent context) gives every run a fresh temporary user-data dir.
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class BrowserSession:
    """One test's page, its screenshots, and everything the browser complained about."""

    page: Page
    artifacts: Path
    steps: int = 0
    pending: list[tuple[str, str]] = field(default_factory=list)  # (page URL, problem)
    responses: dict[str, int] = field(default_factory=dict)
    reported: list[tuple[str, str, str]] = field(default_factory=list)  # (step, page URL, problem)

    def shot(self, step: str) -> Path:
        self.steps += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.artifacts / f"{self.steps:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def checkpoint(self, where: str) -> None:
        """File what the browser reported since the last checkpoint under the step `where`.

        Soft on purpose: the journey goes on so one console error does not hide later breakage;
        `assert_clean` at the end of the test fails with everything that was filed.
        """
        self.reported.extend((where, url, problem) for url, problem in self.pending)
        self.pending.clear()

    def assert_clean(self, where: str = "end") -> None:
        """No script errors, console errors (CSP violations are console errors) or failed sub-resources."""
        self.checkpoint(where)
        grouped: dict[str, list[str]] = {}
        for step, url, problem in self.reported:
            grouped.setdefault(problem, []).append(f"{step}: {url}")
        summary = "\n".join(
            f"- {problem}\n    seen {len(places)}x, on: " + "; ".join(dict.fromkeys(places))
            for problem, places in grouped.items()
        )
        if self.reported:
            raise AssertionError(f"the browser reported problems:\n{summary}")

    def status_of(self, path: str) -> int | None:
        """HTTP status of the last response whose URL path ends with `path`."""
        found = [status for url, status in self.responses.items() if url.split("?")[0].endswith(path)]
        return found[-1] if found else None

    # Listeners -----------------------------------------------------------------------------------

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location or {}
            source = f"{where.get('url') or '?'}:{where.get('lineNumber', '?')}"
            self.pending.append((self.page.url, f"console error: {message.text} (source {source})"))

    def on_page_error(self, error: Error) -> None:
        self.pending.append((self.page.url, f"page error: {error.message}"))

    def on_response(self, response: Response) -> None:
        self.responses[response.url] = response.status
        # 4xx/5xx for anything but the document itself (404 pages are tested on purpose elsewhere).
        if response.status >= 400 and response.request.resource_type != "document":
            self.pending.append((self.page.url, f"HTTP {response.status} for {response.url}"))


@pytest.fixture
def session(browser: Browser, live_server: Any, request: pytest.FixtureRequest) -> Generator[BrowserSession]:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    artifacts = request.config.rootpath / ARTIFACTS / name
    shutil.rmtree(artifacts, ignore_errors=True)
    artifacts.mkdir(parents=True)
    # Indonesian is the product's default; Accept-Language decides when no language cookie is set.
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
    current = BrowserSession(page=page, artifacts=artifacts)
    page.on("console", current.on_console)
    page.on("pageerror", current.on_page_error)
    page.on("response", current.on_response)
    yield current
    reports = request.node.stash.get(_REPORTS, {})
    if "call" in reports and reports["call"].failed:
        with contextlib.suppress(Error):  # the page may be gone; the failure itself is what matters
            current.shot("failure")
    context.close()


# ---------------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class E2EData:
    username: str
    password: str
    kotabaru: Pemda
    pasuruan: Pemda
    kecamatan: tuple[str, ...]
    opds_kotabaru: tuple[str, ...]
    opds_pasuruan: tuple[str, ...]


KECAMATAN = (
    ("63.02.01", "Pulau Laut Utara"),
    ("63.02.02", "Pulau Laut Selatan"),
    ("63.02.03", "Kelumpang Hulu"),
    ("63.02.04", "Hampang"),
)


def _square(lng: float, lat: float, size: float = 0.1) -> dict[str, Any]:
    """A closed, counter-clockwise GeoJSON polygon with its south-west corner at (lng, lat)."""
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def e2e_data(transactional_db: Any) -> E2EData:
    """Two pemda (63.02 with four kecamatan boundaries, 35.75), OPDs, and one admin of both."""
    make_region("63", "Kalimantan Selatan", RegionLevel.PROVINSI)
    make_region("35", "Jawa Timur", RegionLevel.PROVINSI)
    kotabaru = make_pemda("63.02", "Kabupaten Kotabaru")
    pasuruan = make_pemda("35.75", "Kota Pasuruan", "kota")
    # The kabupaten's own outline must not be drawn on its map (only the level below it is).
    RegionBoundary.objects.create(
        region_id="63.02", geometry=_square(115.9, -3.3, 0.7), lat=-2.95, lng=116.25
    )
    for i, (kode, nama) in enumerate(KECAMATAN):
        make_region(kode, nama, RegionLevel.KECAMATAN, "63.02")
        lng, lat = 116.0 + 0.12 * (i % 2), -3.2 + 0.12 * (i // 2)
        RegionBoundary.objects.create(
            region_id=kode, geometry=_square(lng, lat), lat=lat + 0.05, lng=lng + 0.05
        )

    password = "sandi-e2e-Rencana-2026"
    user = get_user_model().objects.create_user(username="e2e.admin", password=password)
    for pemda in (kotabaru, pasuruan):
        role_assign(actor=None, user=user, pemda=pemda, role=Role.ADMIN_PEMDA)
    opds_kotabaru = ("Dinas Pendidikan Kotabaru", "Dinas Kesehatan Kotabaru", "Bappeda Kotabaru")
    for n, nama in enumerate(opds_kotabaru, start=1):
        opd_create(actor=user, pemda=kotabaru, kode=f"1.0{n}", nama=nama)
    opds_pasuruan = ("Dinas Pendidikan Kota Pasuruan", "Bappeda Kota Pasuruan")
    for n, nama in enumerate(opds_pasuruan, start=1):
        opd_create(actor=user, pemda=pasuruan, kode=f"1.0{n}", nama=nama)
    return E2EData(
        username=user.username,
        password=password,
        kotabaru=kotabaru,
        pasuruan=pasuruan,
        kecamatan=tuple(kode for kode, _ in KECAMATAN),
        opds_kotabaru=opds_kotabaru,
        opds_pasuruan=opds_pasuruan,
    )
