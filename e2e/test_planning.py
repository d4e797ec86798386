"""The planning module in a real browser: from a sasaran with targets to a traceable sub-kegiatan.

The issue's acceptance journey, all through the pages as a Bappeda planner (perencana): an RPJMD with
misi → tujuan → sasaran and an indicator with a target for each of its five years; an RKPD under it
with program → kegiatan → sub-kegiatan picked from the Permendagri 90 nomenclature (HTMX search in
the code box) and a pagu; the pagu traceability score at 0% until the sub-kegiatan is linked to the
RPJMD's sasaran, then 100%; the XLSX export.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import BrowserSession
from rencana.accounts.services import role_assign
from rencana.conftest import make_pemda, make_region
from rencana.core.roles import Role
from rencana.planning import services
from rencana.planning.nomenclature import nomenclature_load
from rencana.regions.models import Pemda, RegionLevel
from rencana.regions.services import opd_create

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

DINKES = "Dinas Kesehatan Kabupaten Kotabaru"
SASARAN = ("1.1.1", "Meningkatnya derajat kesehatan masyarakat")
PROGRAM = ("1.02.02", "PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT")
KEGIATAN = (
    "1.02.02.2.01",
    "Penyediaan Fasilitas Pelayanan Kesehatan untuk UKM dan UKP Kewenangan Daerah Kabupaten/Kota",
)
SUB_KEGIATAN = ("1.02.02.2.01.0001", "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya")
# A whole percentage as the pages print it: "100%", or with the two decimals of the checker ("100,00%").
ZERO_PCT = re.compile(r"^\s*0([,.]00)?\s*%\s*$")
FULL_PCT = re.compile(r"^\s*100([,.]00)?\s*%\s*$")


@dataclass(frozen=True)
class PlanningData:
    username: str
    password: str
    pemda: Pemda


@pytest.fixture
def planning_data(transactional_db: Any) -> PlanningData:
    """A kabupaten with two OPDs and one perencana."""
    make_region("63", "Kalimantan Selatan", RegionLevel.PROVINSI)
    pemda = make_pemda("63.02", "Kabupaten Kotabaru")
    password = "sandi-e2e-Perencana-2026"
    user = get_user_model().objects.create_user(username="e2e.perencana", password=password)
    role_assign(actor=None, user=user, pemda=pemda, role=Role.PERENCANA)
    opd_create(
        actor=None, pemda=pemda, kode="1.01.0.00.0.00.01.0000", nama="Dinas Pendidikan Kabupaten Kotabaru"
    )
    opd_create(actor=None, pemda=pemda, kode="1.02.0.00.0.00.01.0000", nama=DINKES)
    return PlanningData(username=user.username, password=password, pemda=pemda)


@pytest.fixture
def nomenclature_2027(transactional_db: Any) -> None:
    """The shipped 2027 edition (a few seconds): documents get it, and budget codes are checked against it."""
    nomenclature_load("2027")


# ---------------------------------------------------------------------------------------------------
# Page helpers


def sign_in(page: Page, data: PlanningData) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(data.username)
    page.get_by_label("Kata sandi").fill(data.password)
    page.locator("main form").get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(rf"/pemda/{re.escape(data.pemda.kode)}/$"))


def tree_row(page: Page, text: str) -> Locator:
    """The logframe row (one <li> per node, not nested) whose head shows `text`."""
    return page.locator('[data-testid="logframe"] > li').filter(has=page.locator(".tree-head", has_text=text))


def fill_kode(page: Page, kode: str) -> None:
    """Type a code; wait for the nomenclature search it triggers (HTMX), so no request is left running."""
    with page.expect_response(re.compile(r"/nomenklatur/hasil/\?")):
        page.locator("#id_kode").fill(kode)


def save_node(page: Page, session: BrowserSession, step: str, jenis: str) -> None:
    session.shot(f"{step}-form")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text(f"{jenis} ditambahkan.")
    session.shot(step)
    session.checkpoint(step)


def add_strategic_node(
    page: Page, session: BrowserSession, link: Locator, jenis: str, kode: str, nama: str
) -> None:
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah simpul")
    expect(page.get_by_role("combobox", name="Jenis", exact=True)).to_have_value(jenis.lower())
    fill_kode(page, kode)
    page.get_by_label("Nama", exact=True).fill(nama)
    save_node(page, session, f"{jenis}-added", jenis)
    expect(tree_row(page, nama)).to_contain_text(kode)


def create_document(page: Page, session: BrowserSession, jenis: str, tahun: int, induk: str = "") -> str:
    """Create a document through "Buat dokumen"; returns its (default) name, the page's heading."""
    page.locator("nav.sidenav").get_by_role("link", name="Perencanaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dokumen perencanaan")
    page.get_by_role("link", name="Buat dokumen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buat dokumen perencanaan")
    page.get_by_label("Jenis dokumen").select_option(jenis)
    page.get_by_label("Tahun awal").fill(str(tahun))
    if induk:
        page.get_by_label("Dokumen induk").select_option(label=induk)
    session.shot(f"{jenis}-form")
    page.get_by_role("button", name="Buat", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(jenis)
    expect(page.locator(".messages")).to_contain_text("dibuat.")
    expect(page.locator("dl.facts")).to_contain_text("edisi 2027")
    session.shot(f"{jenis}-created")
    session.checkpoint(f"create {jenis}")
    return heading.inner_text().strip()


def open_checker(page: Page) -> Locator:
    """Open the logframe checker from the document page; its findings' rows."""
    page.get_by_role("link", name="Pemeriksa logframe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pemeriksa logframe")
    return page.get_by_role("table", name="Temuan pemeriksa").locator("tbody tr")


def rules_of(findings: Locator) -> list[str]:
    return [text.strip() for text in findings.locator("code").all_inner_texts()]


# ---------------------------------------------------------------------------------------------------
# The journey


def test_sasaran_indicator_and_linked_sub_kegiatan_raise_the_traceability_score(
    session: BrowserSession, planning_data: PlanningData, nomenclature_2027: None, tmp_path: Path
) -> None:
    page = session.page

    # 1. Sign in as the planner.
    sign_in(page, planning_data)
    session.shot("signed-in")
    session.checkpoint("sign-in")

    # 2. RPJMD 2025–2029: misi → tujuan → sasaran, each from the tree's own links.
    rpjmd = create_document(page, session, "RPJMD", 2025)
    assert "2025–2029" in rpjmd
    expect(page.get_by_test_id("skor-indikator")).to_have_text("—")
    add_strategic_node(
        page,
        session,
        page.get_by_role("link", name="Tambah misi"),
        "Misi",
        "1",
        "Mewujudkan masyarakat yang sehat",
    )
    add_strategic_node(
        page,
        session,
        tree_row(page, "Mewujudkan masyarakat yang sehat").get_by_role("link", name="+ tujuan"),
        "Tujuan",
        "1.1",
        "Meningkatkan kualitas kesehatan masyarakat",
    )
    add_strategic_node(
        page,
        session,
        tree_row(page, "Meningkatkan kualitas kesehatan masyarakat").get_by_role("link", name="+ sasaran"),
        "Sasaran",
        *SASARAN,
    )

    # 3. An indicator of the sasaran with baseline and a target for each of the five years.
    sasaran_row = tree_row(page, SASARAN[1])
    sasaran_row.get_by_role("link", name="+ indikator").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah indikator")
    page.get_by_label("Nama indikator").fill("Indeks Keluarga Sehat")
    page.get_by_role("combobox", name="Jenis", exact=True).select_option("outcome")
    page.get_by_label("Satuan").fill("indeks")
    page.get_by_label("Polaritas").select_option("positif")
    page.get_by_label("Tahun baseline").fill("2024")
    page.get_by_label("Nilai baseline").fill("0,38")
    targets = {2025: "0,41", 2026: "0,45", 2027: "0,5", 2028: "0,55", 2029: "0,6"}
    for tahun, nilai in targets.items():
        page.get_by_label(f"Target {tahun}", exact=True).fill(nilai)
    session.shot("indicator-form")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("Indikator ditambahkan.")
    indicator = tree_row(page, SASARAN[1]).locator("ul.indicators li")
    expect(indicator).to_contain_text("Indeks Keluarga Sehat")
    expect(indicator).to_contain_text(re.compile(r"baseline 2024: 0,38\b"))
    for tahun, nilai in targets.items():
        expect(indicator).to_contain_text(re.compile(rf"{tahun}: {nilai}(?=[;)])"))
    expect(page.get_by_test_id("skor-indikator")).to_have_text(FULL_PCT)
    session.shot("indicator-added")
    # The edit form gives the numbers back as they were typed.
    indicator.get_by_role("link", name="Indeks Keluarga Sehat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ubah indikator")
    expect(page.get_by_label("Nilai baseline")).to_have_value("0,38")
    for tahun, nilai in targets.items():
        expect(page.get_by_label(f"Target {tahun}", exact=True)).to_have_value(nilai)
    session.shot("indicator-edit-form")
    page.locator("main form").get_by_role("link", name="Batal").click()
    expect(page.get_by_test_id("skor-indikator")).to_have_text(FULL_PCT)
    session.checkpoint("indicator")

    # 4. RKPD 2026 under the RPJMD; the program is picked from the nomenclature search (HTMX).
    rkpd = create_document(page, session, "RKPD", 2026, induk=rpjmd)
    expect(page.locator("dl.facts")).to_contain_text(rpjmd)
    page.get_by_role("link", name="Tambah program").click()
    expect(page.get_by_role("combobox", name="Jenis", exact=True)).to_have_value("program")
    fill_kode(page, PROGRAM[0])
    pick = page.locator("#kode-saran").locator(f'[data-fill-kode="{PROGRAM[0]}"]')
    expect(pick).to_contain_text(PROGRAM[1])
    session.shot("program-nomenclature-search")
    pick.click()
    expect(page.locator("#id_kode")).to_have_value(PROGRAM[0])
    expect(page.get_by_label("Nama", exact=True)).to_have_value(PROGRAM[1])
    expect(page.locator("#kode-saran")).to_be_empty()
    page.get_by_label("OPD pelaksana").select_option(label=DINKES)
    expect(page.get_by_label("Sasaran yang dilayani")).to_contain_text(SASARAN[1])
    save_node(page, session, "program-added", "Program")
    expect(tree_row(page, PROGRAM[1])).to_contain_text(DINKES)

    # The kegiatan and sub-kegiatan by code only: their names come from the nomenclature.
    tree_row(page, PROGRAM[1]).get_by_role("link", name="+ kegiatan").click()
    expect(page.locator("main")).to_contain_text(f"Di bawah: Program {PROGRAM[0]}")
    expect(page.get_by_label("OPD pelaksana").locator("option:checked")).to_have_text(DINKES)
    fill_kode(page, KEGIATAN[0])
    save_node(page, session, "kegiatan-added", "Kegiatan")
    expect(tree_row(page, KEGIATAN[1])).to_contain_text(KEGIATAN[0])

    tree_row(page, KEGIATAN[1]).get_by_role("link", name="+ sub-kegiatan").click()
    fill_kode(page, SUB_KEGIATAN[0])
    page.get_by_label("Pagu 2026 (Rp)").fill("1.250.000.000")
    save_node(page, session, "sub-kegiatan-added", "Sub-kegiatan")
    sub_row = tree_row(page, SUB_KEGIATAN[1])
    expect(sub_row).to_contain_text(SUB_KEGIATAN[0])
    expect(sub_row).to_contain_text("Rp 1.250.000.000")

    # Nothing of the RKPD serves a sasaran yet: 0% of its pagu is traceable.
    expect(page.get_by_test_id("skor-pagu")).to_have_text(ZERO_PCT)
    findings = open_checker(page)
    untraced = findings.filter(has=page.locator("code", has_text="tidak_tertaut_sasaran"))
    # Reported once, at the top of the untraced subtree (the program), counting its sub-kegiatan.
    expect(untraced).to_have_count(1)
    expect(untraced).to_contain_text(PROGRAM[0])
    expect(untraced).to_contain_text(DINKES)
    expect(untraced).to_contain_text("begitu pula 1 sub-kegiatan di bawahnya")
    session.shot("checker-untraced")
    session.checkpoint("rkpd built, untraced")
    page.locator("main").get_by_role("link", name=rkpd).click()

    # 5. Link the sub-kegiatan to the RPJMD's sasaran: 100% traceable, the finding is gone.
    tree_row(page, SUB_KEGIATAN[1]).get_by_role("link", name="Ubah", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUB_KEGIATAN[0])
    expect(page.get_by_label("Pagu 2026 (Rp)")).not_to_have_value("")
    page.get_by_label("Sasaran yang dilayani").select_option(label=" ".join(SASARAN))
    session.shot("sub-kegiatan-link-form")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("Perubahan disimpan.")
    sub_row = tree_row(page, SUB_KEGIATAN[1])
    expect(sub_row).to_contain_text(f"Melayani: {' '.join(SASARAN)}")
    expect(sub_row).to_contain_text("Rp 1.250.000.000")  # the pagu survived the round trip
    expect(page.get_by_test_id("skor-pagu")).to_have_text(FULL_PCT)
    session.shot("sub-kegiatan-linked")
    findings = open_checker(page)
    assert "tidak_tertaut_sasaran" not in rules_of(findings)
    session.shot("checker-traced")
    session.checkpoint("linked")
    page.locator("main").get_by_role("link", name=rkpd).click()

    # 6. The export downloads a workbook that holds the whole budget tree.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh XLSX", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    xlsx = tmp_path / download.suggested_filename
    download.save_as(xlsx)
    workbook = load_workbook(xlsx, read_only=True)
    cells = {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    workbook.close()
    for kode, _nama in (PROGRAM, KEGIATAN, SUB_KEGIATAN):
        assert kode in cells, kode
    session.assert_clean("export")


def test_indicator_values_show_in_the_tree_as_typed(
    session: BrowserSession, planning_data: PlanningData
) -> None:
    """Baseline and targets appear in Indonesian notation without padding zeros (0,45, not 0,4500)."""
    user = get_user_model().objects.get(username=planning_data.username)
    document = services.document_create(
        actor=user, pemda=planning_data.pemda, jenis="RPJMD", tahun_mulai=2025
    )
    parent = None
    for jenis, kode, nama in (("misi", "1", "Misi"), ("tujuan", "1.1", "Tujuan"), ("sasaran", *SASARAN)):
        parent = services.node_create(
            actor=user,
            document=document,
            parent=parent,
            data=services.NodeInput(jenis=jenis, kode=kode, nama=nama),
        )
    assert parent is not None
    targets = {2025: "0.41", 2026: "0.45", 2027: "0.5", 2028: "0.55", 2029: "12"}
    services.indicator_create(
        actor=user,
        node=parent,
        data=services.IndicatorInput(
            nama="Indeks Keluarga Sehat",
            satuan="indeks",
            baseline_tahun=2024,
            baseline_nilai=Decimal("0.38"),
            target={tahun: Decimal(nilai) for tahun, nilai in targets.items()},
        ),
    )
    page = session.page
    sign_in(page, planning_data)
    page.goto(f"/pemda/{planning_data.pemda.kode}/perencanaan/{document.pk}/")
    indicator = tree_row(page, SASARAN[1]).locator("ul.indicators li")
    expect(indicator).to_contain_text("Indeks Keluarga Sehat")
    session.shot("indicator-values")
    text = indicator.inner_text()
    assert "baseline 2024: 0,38;" in text, text
    for tahun, nilai in targets.items():
        assert re.search(rf"\b{tahun}: {re.escape(nilai.replace('.', ','))}[;)]", text), (tahun, text)
    session.assert_clean("indicator values")
