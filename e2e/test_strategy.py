"""The SWOT workshop in a browser: three participants score on their own devices, the round is closed.

The issue's acceptance journey with four browsers, each in its own context (no shared cookies): the
facilitator (a perencana of Kota Pasuruan, signed in) and three participants who only have a one-time
link (no account). The analysis and its 11 acceptance factors (the Kota Pasuruan case, no weights yet) are
built in Python; everything else goes through the pages:

1. the facilitator opens the workshop page, adds three participants by name, copies each one-time link
   right after its add (it is shown only once) and opens the scoring round;
2. each participant opens their link, presses "Mulai menilai", types raw importance numbers and picks the
   ratings, saves, and reads back their normalized weights. Participant 1 gives the acceptance weights
   (times 100) and ratings; 2 and 3 deviate either side of them (3 on a 0–50 scale, with decimal commas), so
   that the median of every factor is the acceptance value;
3. the facilitator's live table (HTMX polling) shows every participant's scores, the aggregates and the
   live SWOT diagram with one small point per participant;
4. the facilitator closes the round with the median and a discussion summary: the analysis page shows
   x = 1,40, y = 1,25, quadrant I (agresif, SO), IE cell V, the diagram's point inside the shaded
   quadrant I, and notes that say how the matrix was reached;
5. a used link, opened again in a fresh browser, is refused (409, "sudah dipakai").

Screenshots of all browsers are numbered in one sequence under test-artifacts/e2e/<test>/.
"""

import contextlib
import datetime
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Error, FloatRect, Locator, Page, expect

from e2e.conftest import _REPORTS, CSP_REPORTER, STEP_TIMEOUT_MS, BrowserSession
from rencana.accounts.services import role_assign
from rencana.conftest import make_pemda, make_region
from rencana.core.roles import Role
from rencana.regions.models import Pemda, RegionLevel
from rencana.strategy import services
from rencana.strategy.models import Analysis
from rencana.strategy.tests.conftest import add_factors, pasuruan_rows

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

JUDUL = "Lokakarya SWOT Bappeda Kota Pasuruan"
PESERTA = ("Kepala Bidang Perencanaan", "Kepala Bidang Data", "Sekretaris")
RINGKASAN = "S1 dan O1 dibahas; peserta sepakat memakai median sebagai matriks akhir."
# HTMX polls the live table every 5 s; give it two polls before failing.
POLL_TIMEOUT_MS = 12_000


@dataclass(frozen=True)
class WorkshopData:
    username: str
    password: str
    pemda: Pemda
    analysis: Analysis


@pytest.fixture
def workshop_data(transactional_db: Any) -> WorkshopData:
    """Kota Pasuruan, a perencana, and an open analysis with the 11 acceptance factors (no weights)."""
    make_region("35", "Jawa Timur", RegionLevel.PROVINSI)
    pemda = make_pemda("35.75", "Kota Pasuruan", "kota")
    password = "sandi-e2e-Fasilitator-2026"
    user = get_user_model().objects.create_user(username="fasilitator.pasuruan", password=password)
    role_assign(actor=None, user=user, pemda=pemda, role=Role.PERENCANA)
    analysis = services.analysis_create(
        actor=user,
        pemda=pemda,
        data=services.AnalysisInput(judul=JUDUL, tanggal=datetime.date(2026, 11, 3), fasilitator="Bappeda"),
    )
    add_factors(analysis, user)
    analysis.refresh_from_db()
    return WorkshopData(username=user.username, password=password, pemda=pemda, analysis=analysis)


@dataclass
class Story:
    """Every browser's screenshots in one numbered sequence, each step named after who took it."""

    sessions: dict[str, BrowserSession] = field(default_factory=dict)
    step: int = 0

    def shot(self, who: str, name: str) -> None:
        current = self.sessions[who]
        current.steps = self.step
        current.shot(f"{who}-{name}")
        self.step = current.steps
        current.checkpoint(f"{who}: {name}")


@pytest.fixture
def story(
    session: BrowserSession, browser: Browser, live_server: Any, request: pytest.FixtureRequest
) -> Generator[tuple[Story, Callable[[str], BrowserSession]]]:
    """The facilitator's `session` plus a factory of fresh browser contexts (one per participant)."""
    current = Story(sessions={"fasilitator": session})
    contexts = []

    def new_browser(who: str) -> BrowserSession:
        context = browser.new_context(
            base_url=live_server.url,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.add_init_script(CSP_REPORTER)
        contexts.append(context)
        page = context.new_page()
        other = BrowserSession(page=page, artifacts=session.artifacts)
        page.on("console", other.on_console)
        page.on("pageerror", other.on_page_error)
        page.on("response", other.on_response)
        current.sessions[who] = other
        return other

    yield current, new_browser
    reports = request.node.stash.get(_REPORTS, {})
    failed = "call" in reports and reports["call"].failed
    for who, other in current.sessions.items():
        if failed and other is not session:
            with contextlib.suppress(Error):
                other.steps = max(other.steps, current.step, session.steps)
                other.shot(f"failure-{who}")
    for context in contexts:
        context.close()


# ---------------------------------------------------------------------------------------------------
# The participants' answers


def acceptance() -> dict[str, tuple[Decimal, str]]:
    """kode -> (weight, rating) of the acceptance CSV."""
    return {r["kode"]: (Decimal(r["bobot"]), r["rating"]) for r in pasuruan_rows()}


def answers() -> list[dict[str, tuple[str, str]]]:
    """Per participant, kode -> (raw importance as typed, rating).

    1: the acceptance weights times 100. 2: S1/O1 lower (and S2/O2 higher, so each matrix still sums to 100),
    S1/O1/T1 ratings lower. 3: the opposite deviations, typed on a 0–50 scale with decimal commas. The
    median per factor is the acceptance weight and rating.
    """
    base = {kode: (str(int(w * 100)), rating) for kode, (w, rating) in acceptance().items()}
    second = dict(base)
    second |= {"S1": ("15", "2"), "S2": ("20", "3"), "O1": ("20", "3"), "O2": ("25", "3"), "T1": ("20", "1")}
    third_hundred = dict(base)
    third_hundred |= {
        "S1": ("25", "4"),
        "S2": ("10", "3"),
        "O1": ("30", "4"),
        "O2": ("15", "3"),
        "T1": ("20", "3"),
    }
    third = {
        kode: (f"{Decimal(raw) / 2:f}".replace(".", ","), rating)
        for kode, (raw, rating) in third_hundred.items()
    }
    assert third["S1"] == ("12,5", "4")
    return [base, second, third]


def koma(value: Decimal) -> str:
    """A weight as the pages print it: two decimals, decimal comma."""
    return f"{value:.2f}".replace(".", ",")


def weights_of(answer: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The normalized weights the page should print (each matrix's raw numbers sum to a round total)."""
    raw = {k: Decimal(v.replace(",", ".")) for k, (v, _r) in answer.items()}
    matrix = {k: "IFAS" if k[0] in "SW" else "EFAS" for k in raw}
    totals = {m: sum(v for k, v in raw.items() if matrix[k] == m) for m in ("IFAS", "EFAS")}
    return {k: koma(v / totals[matrix[k]]) for k, v in raw.items()}


# ---------------------------------------------------------------------------------------------------
# Page helpers


def sign_in(page: Page, data: WorkshopData) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(data.username)
    page.get_by_label("Kata sandi").fill(data.password)
    page.locator("main form").get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(rf"/pemda/{re.escape(data.pemda.kode)}/$"))


def messages(page: Page) -> Locator:
    return page.locator(".messages")


def factor_row(table: Locator, kode: str) -> Locator:
    """The table row whose row header starts with the factor's code ("S1 SDM Bappeda …")."""
    return table.locator("tbody tr").filter(
        has=table.page.locator("th[scope=row]", has_text=re.compile(rf"^\s*{kode}\s"))
    )


def fill_scores(page: Page, answer: dict[str, tuple[str, str]]) -> None:
    for kode, (raw, rating) in answer.items():
        page.get_by_label(f"Angka kepentingan {kode}", exact=True).fill(raw)
        page.get_by_label(f"Rating {kode}", exact=True).select_option(rating)


def centre(box: FloatRect | None) -> tuple[float, float]:
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def inside(point: tuple[float, float], box: FloatRect | None) -> bool:
    assert box is not None
    x, y = point
    return box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"]


# ---------------------------------------------------------------------------------------------------
# The journey


def test_three_participants_score_apart_and_the_closed_round_sets_the_diagram(
    story: tuple[Story, Callable[[str], BrowserSession]], workshop_data: WorkshopData
) -> None:
    tale, new_browser = story
    data = workshop_data
    facilitator = tale.sessions["fasilitator"]
    fa = facilitator.page
    workshop_url = f"/pemda/{data.pemda.kode}/strategi/{data.analysis.pk}/lokakarya/"
    detail_url = f"/pemda/{data.pemda.kode}/strategi/{data.analysis.pk}/"

    # 1. The facilitator signs in and opens the workshop page: no participants, no round yet.
    sign_in(fa, data)
    fa.goto(workshop_url)
    expect(fa.get_by_role("heading", name="Lokakarya penilaian")).to_be_visible()
    expect(fa.locator("main")).to_contain_text("Belum ada peserta.")
    expect(fa.locator("#status-lokakarya")).to_contain_text("Belum ada putaran penilaian.")
    tale.shot("fasilitator", "empty-workshop")

    # Three participants by name; each one-time link is shown once, right after its add.
    links: list[str] = []
    for name in PESERTA:
        fa.get_by_label("Nama peserta").fill(name)
        fa.get_by_role("button", name="Tambah peserta").click()
        expect(messages(fa)).to_contain_text(f"Peserta {name} ditambahkan.")
        shown = fa.locator("code.one-time-link")
        expect(shown).to_have_count(1)
        expect(fa.locator("li").filter(has=shown)).to_contain_text(f"{name}:")
        link = shown.inner_text().strip()
        assert re.fullmatch(r"https?://[^/]+/lokakarya/[A-Za-z0-9_-]{20,}/", link), link
        assert link not in links
        links.append(link)
        tale.shot("fasilitator", f"added-{len(links)}")
    participants_table = fa.locator("main table").first
    expect(participants_table.locator("tbody tr")).to_have_count(3)
    expect(participants_table.locator("tbody tr").filter(has_text="tautan (belum dipakai)")).to_have_count(3)
    fa.reload()
    expect(fa.locator("code.one-time-link")).to_have_count(0)  # gone on the next visit

    fa.get_by_role("button", name="Buka putaran penilaian").click()
    expect(messages(fa)).to_contain_text("Putaran 1 dibuka: peserta dapat mulai menilai.")
    live = fa.locator("#status-lokakarya")
    expect(live).to_contain_text("Skor putaran 1 (terbuka)")
    expect(fa.get_by_role("button", name="Tutup putaran dan tetapkan matriks")).to_be_visible()
    tale.shot("fasilitator", "round-open")

    # 2. Each participant in their own browser: claim the link, score every factor, save.
    everyone = answers()
    for n, (name, link, answer) in enumerate(zip(PESERTA, links, everyone, strict=True), start=1):
        who = f"peserta-{n}"
        guest = new_browser(who)
        page = guest.page
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Undangan lokakarya analisis strategis")
        tale.shot(who, "invitation")
        page.get_by_role("button", name="Mulai menilai").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Penilaian faktor SWOT")
        expect(page.locator("main")).to_contain_text(f"Peserta: {name}")
        fill_scores(page, answer)
        tale.shot(who, "filled")
        page.get_by_role("button", name="Simpan penilaian").click()
        expect(messages(page)).to_contain_text("Penilaian Anda tersimpan.")
        expect(page.get_by_role("alert")).to_have_count(0)
        form_table = page.locator("main form table").first
        for kode, printed in weights_of(answer).items():
            row = factor_row(form_table, kode)
            expect(row.locator("td").last).to_have_text(printed)
            expect(row.get_by_label(f"Rating {kode}", exact=True)).to_have_value(answer[kode][1])
        expect(page.locator("details").filter(has_text="Cara bobot Anda dihitung")).to_be_visible()
        tale.shot(who, "saved")
    assert weights_of(everyone[0]) == {k: koma(w) for k, (w, _r) in acceptance().items()}

    # 3. The facilitator's live table, refreshed by HTMX while the round is open (no reload).
    scores = fa.locator("#skor-peserta")
    s1, o1 = factor_row(scores, "S1"), factor_row(scores, "O1")
    expect(s1.locator("td").nth(2)).to_have_text("0,25 / 4", timeout=POLL_TIMEOUT_MS)
    expect(fa.locator("#diagram-swot-putaran")).to_be_visible(timeout=POLL_TIMEOUT_MS)
    for n, name in enumerate(PESERTA):
        expect(scores.locator("thead th").nth(n + 1)).to_contain_text(name)
    headers = scores.locator("thead th")
    expect(headers.filter(has_text="Median bobot")).to_have_count(1)
    expect(headers.filter(has_text="Usulan akhir")).to_have_count(1)
    # participant cells, mean, median, sd of the weights, mean, median, range of the ratings, proposal
    expect(s1.locator("td")).to_have_text(
        [
            "0,20 / 3",
            "0,15 / 2",
            "0,25 / 4",
            "0,20",
            "0,20",
            re.compile(r"^0,0\d\d$"),
            "3,00",
            "3,00",
            "2",
            "0,20 / 3",
        ]
    )
    expect(o1.locator("td")).to_have_text(
        [
            "0,25 / 4",
            "0,20 / 3",
            "0,30 / 4",
            "0,25",
            "0,25",
            re.compile(r"^0,0\d\d$"),
            "3,67",
            "4,00",
            "1",
            "0,25 / 4",
        ]
    )
    for kode, (weight, rating) in acceptance().items():
        expect(factor_row(scores, kode).locator("td").last).to_have_text(f"{koma(weight)} / {rating}")
    expect(live).to_contain_text("Dengan agregat saat ini: x = 1,40, y = 1,25, kuadran I.")
    dots = fa.locator("#diagram-swot-putaran g.titik-peserta > g")
    expect(dots).to_have_count(3)
    for n, name in enumerate(PESERTA):
        expect(dots.nth(n).locator("title")).to_contain_text(name)
    expect(fa.locator("#diagram-swot-putaran g.titik")).to_have_count(1)
    tale.shot("fasilitator", "live-scores")
    # The full page says the same after a reload, and every link is now used.
    fa.reload()
    expect(factor_row(fa.locator("#skor-peserta"), "S1").locator("td").nth(1)).to_have_text("0,15 / 2")
    rows = fa.locator("main table").first.locator("tbody tr")
    expect(rows.filter(has_text="tautan (sudah dipakai)").filter(has_text="tersimpan")).to_have_count(3)

    # 4. Close with the median and a summary: the analysis gets the acceptance matrix and diagram.
    fa.get_by_label("Agregasi").select_option(label="Median")
    fa.get_by_label("Ringkasan diskusi").fill(RINGKASAN)
    tale.shot("fasilitator", "close-form")
    fa.get_by_role("button", name="Tutup putaran dan tetapkan matriks").click()
    expect(fa).to_have_url(re.compile(rf"{re.escape(detail_url)}$"))
    expect(messages(fa)).to_contain_text("Putaran 1 ditutup; matriks akhir tercatat.")
    result = fa.locator("#hasil-swot")
    for key, text in (
        ("strength_score", "1,95"), ("weakness_score", "0,55"), ("ifas_total", "2,50"),
        ("opportunity_score", "2,05"), ("threat_score", "0,80"), ("efas_total", "2,85"),
        ("x", "1,40"), ("y", "1,25"),
    ):  # fmt: skip
        expect(result.locator(f"[data-key={key}]")).to_have_text(text)
    expect(result.locator("[data-key=quadrant]")).to_have_text(re.compile(r"^\s*I\b.*agresif \(SO\)"))
    expect(result.locator("[data-key=ie]")).to_have_text(re.compile(r"^\s*V\b"))
    diagram = fa.locator("svg#diagram-swot")
    expect(diagram).to_be_visible()
    expect(diagram.locator("rect.kuadran.terpilih")).to_have_count(1)
    shaded = diagram.locator('rect.kuadran.terpilih[data-kuadran="I"]')
    expect(shaded).to_have_count(1)
    point = diagram.locator("g.titik circle")
    expect(point).to_have_count(1)
    assert inside(centre(point.bounding_box()), shaded.bounding_box()), "the point is not in quadrant I"
    expect(diagram.locator("g.titik title")).to_contain_text("kuadran I")
    expect(fa.locator("svg#matriks-ie")).to_be_visible()
    heading = fa.locator("h3", has_text="Bagaimana matriks akhir diperoleh")
    notes = heading.locator("xpath=following-sibling::ul[1]")
    expect(notes).to_contain_text("penilaian 3 peserta dengan median")
    expect(notes).to_contain_text(f"Ringkasan diskusi: {RINGKASAN}")
    expect(notes).to_contain_text(f"Putaran 1 ditutup oleh {data.username}")
    matrix_rows = fa.locator("main table").filter(has=fa.locator("th", has_text="Kode")).locator("tbody tr")
    for kode, (weight, rating) in acceptance().items():
        row = matrix_rows.filter(has=fa.locator("td", has_text=re.compile(rf"^{kode}$")))
        expect(row.locator("td.num").nth(0)).to_have_text(koma(weight))
        expect(row.locator("td.num").nth(1)).to_have_text(rating)
    tale.shot("fasilitator", "closed-analysis")

    # The workshop page keeps the closed round's scores and notes, and no longer polls.
    fa.goto(workshop_url)
    expect(live).to_contain_text("Skor putaran 1 (ditutup)")
    expect(live).not_to_have_attribute("hx-get", re.compile(".+"))
    expect(live.locator("ul.notes")).to_contain_text(RINGKASAN)
    tale.shot("fasilitator", "closed-workshop")

    # A participant's page: the round is over.
    first = tale.sessions["peserta-1"].page
    first.reload()
    expect(first.locator("main")).to_contain_text("Belum ada putaran penilaian yang terbuka.")
    expect(first.get_by_role("button", name="Simpan penilaian")).to_have_count(0)
    tale.shot("peserta-1", "round-closed")

    # 5. A used link in a fresh browser: the invitation page opens, claiming it is refused.
    stranger = new_browser("tamu")
    page = stranger.page
    page.goto(links[0])
    expect(page.get_by_role("button", name="Mulai menilai")).to_be_visible()
    page.get_by_role("button", name="Mulai menilai").click()
    expect(page.locator("main")).to_contain_text("Tautan ini sudah dipakai pada")
    expect(page.locator("main")).to_contain_text("Minta tautan baru kepada fasilitator.")
    assert stranger.status_of(links[0].split("://", 1)[1].split("/", 1)[1]) == 409
    # Chromium logs every 4xx document as a console error; this one is the point of the step.
    expected = f"status of 409 (Conflict) (source {links[0]}:"
    assert any(expected in problem for _url, problem in stranger.pending)
    stranger.pending[:] = [(url, problem) for url, problem in stranger.pending if expected not in problem]
    tale.shot("tamu", "used-link")

    for who, current in tale.sessions.items():
        current.assert_clean(who)
