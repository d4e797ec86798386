"""PUG in a browser: a Pokja PUG member goes from a sub-kegiatan to a finished GAP and its GBS PDF.

The issue's acceptance journey ("A Pokja member can go from a sub-kegiatan to a finished GAP and a GBS PDF
in the browser"). The plan is built in Python: the planning fixtures' RKPD 2026 of pemda 63.02 with
sub-kegiatan 1.02.02.2.01.0001 run by the Dinas Kesehatan, plus an indicator of the sasaran it serves
flagged "terpilah menurut jenis kelamin" with a 2025 value for women and men. Everything else goes through
the pages:

1. the Pokja member signs in, opens the GAP page, searches the year's RKPD for "rumah sakit" and starts a
   worksheet for the sub-kegiatan;
2. the worksheet opens pre-filled: step 1 names the program, kegiatan, sub-kegiatan and sasaran, step 2
   shows the disaggregated data with its source, the budget is the sub-kegiatan's pagu;
3. finalizing with steps 3, 6 and 7 empty is refused with the list of missing steps, the typed text kept;
4. the member fills the nine steps, saves a draft, then finalizes: "Final", read-only;
5. the GBS PDF downloads (its first bytes are %PDF, and it names the sub-kegiatan and the OPD).

Screenshots are numbered under test-artifacts/e2e/<test>/.
"""

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e.conftest import BrowserSession
from rencana.accounts.services import role_assign
from rencana.conftest import make_pemda, make_region
from rencana.core.roles import Role
from rencana.gender.models import GapStatus, GapWorksheet, SexValue
from rencana.planning import services as plan_services
from rencana.planning.models import PlanNode
from rencana.planning.services import IndicatorInput, NodeInput
from rencana.planning.tests.conftest import build_plan, make_edition
from rencana.regions.models import Pemda
from rencana.regions.services import opd_create

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

DINKES = "Dinas Kesehatan Kabupaten Kotabaru"
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kotabaru"
SUB_KEGIATAN = ("1.02.02.2.01.0001", "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya")
PUSKESMAS = ("1.02.02.2.01.0002", "Pembangunan Puskesmas")
SASARAN = "1.1.3 Meningkatnya kesetaraan gender"
TAHUN = 2026
SUMBER = "Profil Kesehatan Kabupaten Kotabaru 2025"
STEPS = {
    "3a. Kesenjangan: akses": "Ibu hamil di pulau kecil menempuh 3 jam perjalanan laut ke rumah sakit.",
    "3b. Kesenjangan: partisipasi": "Perempuan jarang dilibatkan dalam musyawarah perencanaan layanan.",
    "3c. Kesenjangan: kontrol": "Keputusan merujuk persalinan sering diambil suami atau keluarga.",
    "3d. Kesenjangan: manfaat": "Layanan rujukan lebih banyak dinikmati penduduk pulau utama.",
    "4. Sebab kesenjangan internal": "Belum ada ruang bersalin dan ruang laktasi; dokter kandungan terbatas.",
    "5. Sebab kesenjangan eksternal": "Ongkos kapal ditanggung keluarga; keputusan di tangan suami.",
    "6. Reformulasi tujuan": "Rumah sakit rujukan yang menjangkau ibu hamil dari pulau-pulau kecil.",
    "7. Rencana aksi": (
        "Bangun ruang bersalin dan ruang laktasi\nSediakan ambulans laut\nLatih bidan desa merujuk"
    ),
}
COMPONENTS = ("Bangun ruang bersalin dan ruang laktasi", "Sediakan ambulans laut", "Latih bidan desa merujuk")


@dataclass(frozen=True)
class GenderData:
    pemda: Pemda
    sub: PlanNode
    username: str
    password: str


@pytest.fixture
def gender_data(transactional_db: Any) -> GenderData:
    make_region("63", "Kalimantan Selatan", "provinsi")
    pemda = make_pemda("63.02", "Kabupaten Kotabaru")
    # build_plan gives its sub-kegiatan to the first OPD by code.
    opd_create(actor=None, pemda=pemda, kode="1.02.0.00.0.00.01.0000", nama=DINKES)
    opd_create(actor=None, pemda=pemda, kode="1.03.0.00.0.00.01.0000", nama=PUPR)
    make_edition()
    plan = build_plan(pemda)
    assert plan.opd.nama == DINKES and plan.sub.kode == SUB_KEGIATAN[0]
    indicator = plan_services.indicator_create(
        actor=None,
        node=plan.sasaran,
        data=IndicatorInput(
            nama="Persentase persalinan di fasilitas kesehatan", satuan="%", terpilah_gender=True
        ),
    )
    SexValue.objects.create(
        pemda=pemda,
        indikator=indicator,
        wilayah_id=pemda.kode,
        tahun=2025,
        perempuan=Decimal("83.25"),
        laki_laki=Decimal("79.5"),
        sumber=SUMBER,
    )
    plan_services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=plan.kegiatan,
        data=NodeInput(
            jenis="sub_kegiatan", kode=PUSKESMAS[0], opd=plan.opd, pagu={TAHUN: Decimal("250000000")}
        ),
    )
    username, password = "pokja.pug", "sandi-e2e-Pokja-2026"
    role_assign(
        actor=None,
        user=get_user_model().objects.create_user(username=username, password=password),
        pemda=pemda,
        role=Role.POKJA_PUG,
    )
    return GenderData(pemda=pemda, sub=plan.sub, username=username, password=password)


def sign_in(page: Page, data: GenderData) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(data.username)
    page.get_by_label("Kata sandi").fill(data.password)
    page.locator("main form").get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(rf"/pemda/{re.escape(data.pemda.kode)}/$"))


def messages(page: Page) -> Any:
    return page.locator(".messages")


def test_pokja_goes_from_a_sub_kegiatan_to_a_final_gap_and_a_gbs_pdf(
    session: BrowserSession, gender_data: GenderData, tmp_path: Path
) -> None:
    page, data = session.page, gender_data

    # 1. Sign in, open the GAP page, find the sub-kegiatan in the RKPD 2026 and start its worksheet.
    sign_in(page, data)
    session.shot("signed-in")
    page.goto(f"/pemda/{data.pemda.kode}/pug/gap/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Gender Analysis Pathway (GAP) {TAHUN}")
    expect(page.locator("main")).to_contain_text("Belum ada lembar GAP untuk pilihan ini.")
    page.get_by_label(f"Cari sub-kegiatan RKPD {TAHUN} (kode atau nama)").fill("rumah sakit")
    page.get_by_role("button", name="Cari", exact=True).click()
    results = page.get_by_test_id("hasil-cari")
    row = results.locator("tbody tr").filter(has_text=SUB_KEGIATAN[0])
    expect(row).to_have_count(1)
    expect(row).to_contain_text(SUB_KEGIATAN[1])
    expect(row).to_contain_text(DINKES)
    expect(row).to_contain_text("Rp 750.000.000")
    session.shot("search-results")
    session.checkpoint("search")
    row.get_by_role("button", name=f"Mulai GAP {SUB_KEGIATAN[0]}").click()

    # 2. The worksheet, pre-filled from the plan and the disaggregated data.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lembar GAP {TAHUN}")
    expect(messages(page)).to_contain_text("Lembar GAP dibuat dan diisi awal dari dokumen perencanaan.")
    expect(page.get_by_test_id("status")).to_have_text("Draf")
    step1 = page.get_by_label("1. Kebijakan/program/kegiatan dan tujuannya")
    expect(step1).to_have_value(re.compile(rf"Sub-kegiatan: {re.escape(' '.join(SUB_KEGIATAN))}"))
    expect(step1).to_have_value(re.compile(re.escape(f"Tujuan (sasaran yang dilayani): {SASARAN}")))
    step2 = page.get_by_label("2. Data pembuka wawasan (terpilah)")
    expect(step2).to_have_value(re.compile(re.escape("perempuan 83,25 %, laki-laki 79,5 %")))
    expect(step2).to_have_value(re.compile(re.escape(f"Sumber: {SUMBER}.")))
    expect(page.get_by_test_id("data-terpilah")).to_contain_text(SUMBER)
    expect(page.get_by_label("9. Indikator gender")).to_have_value(
        re.compile("Jumlah Rumah Sakit yang Dibangun")
    )
    expect(page.get_by_label("Alokasi anggaran (Rp)")).to_have_value("750.000.000")
    expect(page.locator("#langkah-3")).to_contain_text(
        "Akses: kesempatan memperoleh layanan atau sumber daya."
    )
    session.shot("prefilled-worksheet")
    session.checkpoint("worksheet")

    # 3. Finalizing too early: every missing step is named, the typed text stays.
    page.get_by_label("4. Sebab kesenjangan internal").fill(STEPS["4. Sebab kesenjangan internal"])
    page.get_by_role("button", name="Simpan dan finalkan").click()
    alert = page.locator("main .message.error")
    expect(alert).to_contain_text("Lembar GAP belum dapat difinalkan. Langkah yang belum diisi:")
    for step in (
        "Langkah 3 (Faktor kesenjangan gender)",
        "Langkah 6 (Reformulasi tujuan)",
        "Langkah 7 (Rencana aksi)",
    ):
        expect(alert).to_contain_text(step)
    expect(page.get_by_label("4. Sebab kesenjangan internal")).to_have_value(
        STEPS["4. Sebab kesenjangan internal"]
    )
    expect(page.get_by_test_id("status")).to_have_text("Draf")
    assert session.status_of(f"/pug/gap/{GapWorksheet.objects.get().pk}/") == 400
    # Chromium logs every 4xx document as a console error; this one is the point of the step.
    expected = "status of 400 (Bad Request)"
    assert any(expected in problem for _url, problem in session.pending)
    session.pending[:] = [(url, problem) for url, problem in session.pending if expected not in problem]
    session.shot("missing-steps")
    session.checkpoint("missing steps")

    # 4. The nine steps: a draft first, then final.
    step1.fill(
        step1.input_value() + "\nTujuan: layanan rujukan yang terjangkau bagi perempuan dan laki-laki."
    )
    step2.fill(step2.input_value() + "\nKajian Dinkes 2025: 38% ibu hamil di pulau kecil bersalin di rumah.")
    for label, text in STEPS.items():
        page.get_by_label(label).fill(text)
    page.get_by_label("8. Data dasar (baseline)").fill(
        "Persalinan di fasilitas kesehatan 2025: perempuan 83,25%."
    )
    page.get_by_label("9. Indikator gender").fill(
        "Persalinan di fasilitas kesehatan dari pulau kecil 90% pada 2026."
    )
    session.shot("filled-steps")
    page.get_by_role("button", name="Simpan draf").click()
    expect(messages(page)).to_contain_text("Draf lembar GAP disimpan.")
    expect(page.get_by_label("7. Rencana aksi")).to_have_value(STEPS["7. Rencana aksi"])
    page.get_by_role("button", name="Simpan dan finalkan").click()
    expect(messages(page)).to_contain_text("Lembar GAP difinalkan. GBS siap diunduh.")
    expect(page.get_by_test_id("status")).to_have_text("Final")
    expect(page.get_by_role("button", name="Simpan draf")).to_have_count(0)
    expect(page.get_by_role("button", name="Kembalikan ke draf")).to_be_visible()
    expect(page.locator("#langkah-6")).to_contain_text(STEPS["6. Reformulasi tujuan"])
    session.shot("final-worksheet")
    session.checkpoint("final")
    gap = GapWorksheet.objects.get(node=data.sub, tahun=TAHUN)
    assert gap.status == GapStatus.FINAL and gap.rencana_aksi == STEPS["7. Rencana aksi"]

    # 5. The GBS as PDF.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh GBS (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"gbs-{TAHUN}-{SUB_KEGIATAN[0]}.pdf"
    saved = tmp_path / "gbs.pdf"
    download.save_as(saved)
    content = saved.read_bytes()
    assert content[:4] == b"%PDF"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))
    assert SUB_KEGIATAN[1] in text and DINKES in text
    assert "Rp 750.000.000" in text
    for number, component in enumerate(COMPONENTS, start=1):
        assert f"Komponen {number}: {component}" in text
    session.checkpoint("download")

    # The list now shows the final worksheet.
    page.goto(f"/pemda/{data.pemda.kode}/pug/gap/?tahun={TAHUN}&status=final")
    listed = page.get_by_test_id("daftar-gap").locator("tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(SUB_KEGIATAN[0])
    expect(listed).to_contain_text("Final")
    session.shot("list-with-final")
    session.assert_clean()


def test_pokja_tags_sub_kegiatan_and_reads_the_gender_responsive_share(
    session: BrowserSession, gender_data: GenderData
) -> None:
    """ARG tagging: of 750 + 250 million rupiah, the tagged 750 million are 75,00 % of the pagu."""
    page, data = session.page, gender_data
    sign_in(page, data)
    page.goto(f"/pemda/{data.pemda.kode}/pug/arg/?tahun={TAHUN}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Anggaran responsif gender (ARG) {TAHUN}")
    summary = page.get_by_test_id("ringkasan-arg")
    total = summary.locator("tbody tr").filter(has_text="Total")
    expect(total.get_by_test_id("persen")).to_have_text("0,00 %")
    row = page.get_by_test_id("daftar-arg").locator("tbody tr").filter(has_text=SUB_KEGIATAN[0])
    expect(row).to_contain_text("belum ditandai")
    session.shot("arg-untagged")
    row.get_by_label(f"Kategori ARG {SUB_KEGIATAN[0]}").select_option(label="Kesetaraan gender")
    row.get_by_label(f"Catatan ARG {SUB_KEGIATAN[0]}").fill(
        "Ruang bersalin dan ambulans laut untuk pulau kecil"
    )
    row.get_by_role("button", name="Tandai").click()
    expect(messages(page)).to_contain_text(f"{SUB_KEGIATAN[0]} ditandai: Kesetaraan gender.")
    row = page.get_by_test_id("daftar-arg").locator("tbody tr").filter(has_text=SUB_KEGIATAN[0])
    expect(row).to_contain_text("Kesetaraan gender")
    expect(row).to_contain_text("Ruang bersalin dan ambulans laut untuk pulau kecil")
    total = page.get_by_test_id("ringkasan-arg").locator("tbody tr").filter(has_text="Total")
    expect(total.get_by_test_id("persen")).to_have_text("75,00 %")
    expect(total).to_contain_text("1/2")
    expect(total).to_contain_text("Rp 1.000.000.000")
    session.shot("arg-tagged")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh ringkasan (XLSX)").click()
    assert download_info.value.suggested_filename == f"arg-{data.pemda.kode}-{TAHUN}.xlsx"
    session.assert_clean()
