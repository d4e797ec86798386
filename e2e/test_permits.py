"""Permits in a browser, on a phone: a facilitator takes a Tanggamus farmer group through the HKm wizard to
submission, downloads the DOCX proposal, and the public tracking page shows the application without
personal data (issue 7, acceptance).

The browser is a phone (390 x 844 CSS pixels, the size of a common Android/iPhone screen): every wizard
screen is checked to fit its width. The data is built in Python (Kabupaten Tanggamus 18.06 with the
pekon of Kota Agung, the shipped permit types, the facilitator and the demo group "KTH Sinar Harapan"
with 14 members); everything else goes through the pages:

1. the facilitator opens "Permohonan saya", starts an HKm application for the group; the check page
   shows what is missing and the submit button is disabled;
2. step 1 adds the 15th member (NIK typed with spaces), saves the group; step 2 types the area in
   Indonesian notation, uploads the managed-area map (GeoJSON) on the map page; step 3 writes the work
   plan; step 4 downloads the DOCX proposal (NIKs masked) and uploads the five required documents;
3. the check page is complete; the facilitator submits and reads the tracking code;
4. an anonymous visitor opens the public tracking page: stage "Verifikasi administrasi", the free-of-charge
   notice, and no NIK, phone number, member or group name anywhere on the page.
"""

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, ViewportSize, expect

from e2e.conftest import CSP_REPORTER, STEP_TIMEOUT_MS, BrowserSession
from rencana.accounts.services import role_assign
from rencana.conftest import make_pemda, make_region
from rencana.core.roles import Role
from rencana.permits import services_apply, types
from rencana.permits.models import Application, FarmerGroup, MemberRole, Sex
from rencana.regions.models import Pemda

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

PHONE: ViewportSize = {"width": 390, "height": 844}
GROUP = "KTH Sinar Harapan"
PEKON = ("18.06.01.2016", "Negeri Ratu")
MEMBERS = (
    "Sutrisno",
    "Siti Aminah",
    "Wayan Sudarma",
    "Ketut Ayu",
    "Made Suarta",
    "Nyoman Ratih",
    "Slamet Riyadi",
    "Sri Wahyuni",
    "Bambang Irawan",
    "Dewi Lestari",
    "Agus Salim",
    "Rina Marlina",
    "Joko Susilo",
    "Yuliana",
)
NEW_MEMBER = ("Kartini Rahayu", "1806 0155 0190 0015")
DOCUMENTS = (
    "AD/ART kelompok",
    "Rencana kerja",
    "Daftar anggota dengan NIK, diketahui kepala desa/pekon",
    "Struktur organisasi kelompok",
    "Surat pengantar dari desa/kampung/pekon",
)
# About 48.5 ha near Register 30 Gunung Tanggamus (west of Kota Agung).
AREA = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"nama": "Areal kelola"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [104.58, -5.33],
                        [104.5863, -5.33],
                        [104.5863, -5.3237],
                        [104.58, -5.3237],
                        [104.58, -5.33],
                    ]
                ],
            },
        }
    ],
}


def member_nik(serial: int, female: bool) -> str:
    return f"180601{55 if female else 15:02d}0190{serial:04d}"


@dataclass(frozen=True)
class PermitData:
    pemda: Pemda
    username: str
    password: str
    group: FarmerGroup
    niks: tuple[str, ...]
    phones: tuple[str, ...]


@pytest.fixture
def permit_data(transactional_db: Any) -> PermitData:
    make_region("18", "Lampung", "provinsi")
    pemda = make_pemda("18.06", "Kabupaten Tanggamus")
    make_region("18.06.01", "Kota Agung", "kecamatan", "18.06")
    make_region(*PEKON, "desa", "18.06.01")
    types.ensure_shipped_types()
    password = "sandi-e2e-Pendamping-2026"
    facilitator = get_user_model().objects.create_user(username="pendamping.tanggamus", password=password)
    role_assign(actor=None, user=facilitator, pemda=pemda, role=Role.PENDAMPING)
    group = services_apply.group_create(
        actor=facilitator,
        pemda=pemda,
        data=services_apply.GroupInput(
            nama=GROUP, desa_kode=PEKON[0], ketua=MEMBERS[0], kawasan="Register 30"
        ),
    )
    niks, phones = [], []
    for serial, name in enumerate(MEMBERS, start=1):
        female = serial % 2 == 0
        niks.append(member_nik(serial, female))
        phones.append(f"0812{serial:08d}")
        services_apply.member_add(
            actor=facilitator,
            group=group,
            data=services_apply.MemberInput(
                nama=name,
                nik=niks[-1],
                jenis_kelamin=Sex.P if female else Sex.L,
                peran=MemberRole.KETUA if serial == 1 else MemberRole.ANGGOTA,
                telepon=phones[-1],
            ),
        )
    return PermitData(pemda, facilitator.username, password, group, tuple(niks), tuple(phones))


# ---------------------------------------------------------------------------------------------------
# Page helpers


def sign_in(page: Page, data: PermitData) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(data.username)
    page.get_by_label("Kata sandi").fill(data.password)
    page.locator("main form").get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(rf"/pemda/{re.escape(data.pemda.kode)}/$"))


def messages(page: Page) -> Any:
    return page.locator(".messages")


def fits_the_phone(page: Page, where: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{where}: the page is {overflow}px wider than the phone screen"


def at_step(page: Page, number: int, title: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text(f"Langkah {number} dari 5")).to_be_visible()
    fits_the_phone(page, title)


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Simpan dan lanjut").click()


def docx_text(path: Path) -> str:
    from docx import Document

    document = Document(io.BytesIO(path.read_bytes()))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------------
# The journey


def test_facilitator_submits_hkm_on_a_phone_and_the_public_page_shows_no_personal_data(
    session: BrowserSession, permit_data: PermitData, browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    page, data = session.page, permit_data
    page.set_viewport_size(PHONE)
    area = tmp_path / "areal-kth-sinar-harapan.geojson"
    area.write_text(json.dumps(AREA), encoding="utf-8")
    scans = []
    for number, name in enumerate(DOCUMENTS, start=1):
        scan = tmp_path / f"dokumen-{number}.pdf"
        scan.write_bytes(b"%PDF-1.4\n% " + name.encode() + b"\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
        scans.append(scan)

    # 1. My applications -> start an HKm application for the demo group.
    sign_in(page, data)
    page.locator("nav.sidenav").get_by_role("link", name="Permohonan saya", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Permohonan saya")
    expect(page.locator("main")).to_contain_text("gratis")
    fits_the_phone(page, "permohonan saya")
    session.shot("my-applications")
    page.get_by_test_id("mulai-hkm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mulai permohonan HKm")
    page.get_by_role("radio", name=re.compile(GROUP)).check()
    session.shot("start")
    page.get_by_role("button", name=re.compile("^Mulai")).click()
    expect(messages(page)).to_contain_text("Permohonan dibuat dengan kode lacak")
    at_step(page, 1, "Kelompok dan anggota")
    kode = page.get_by_test_id("kode-lacak").inner_text()
    assert re.fullmatch(r"HKM-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", kode), kode
    wizard_base = page.url.rsplit("/", 2)[0]
    session.checkpoint("start")

    # The check page before anything: what is missing, and submission is blocked.
    page.goto(f"{wizard_base}/periksa/")
    expect(page.get_by_test_id("belum-lengkap")).to_be_visible()
    checklist = page.get_by_test_id("checklist")
    expect(checklist).to_contain_text("Paling sedikit 15 anggota dengan NIK")
    expect(checklist).to_contain_text("14 dari 15 anggota")
    expect(checklist).to_contain_text("Peta belum diunggah.")
    expect(page.get_by_role("button", name="Ajukan usulan")).to_be_disabled()
    fits_the_phone(page, "periksa (belum lengkap)")
    session.shot("check-incomplete")
    checklist.get_by_role("link", name=re.compile("Lengkapi Paling sedikit 15 anggota")).click()
    at_step(page, 1, "Kelompok dan anggota")

    # 2. Step 1: add the 15th member (NIK typed in groups), then save the group.
    expect(page.get_by_test_id("jumlah-anggota")).to_contain_text("14 anggota")
    page.get_by_text("Tambah anggota", exact=True).first.click()
    page.get_by_label("Nama (sesuai KTP)").fill(NEW_MEMBER[0])
    page.get_by_label("NIK (16 angka)").fill(NEW_MEMBER[1])
    page.get_by_label("Perempuan").check()
    session.shot("add-member")
    page.get_by_role("button", name="Tambah anggota").click()
    expect(messages(page)).to_contain_text(f"Anggota {NEW_MEMBER[0]} ditambahkan.")
    expect(page.get_by_test_id("jumlah-anggota")).to_contain_text("15 anggota")
    members = page.get_by_test_id("anggota")
    expect(members).to_contain_text(NEW_MEMBER[0])
    expect(members).to_contain_text("1806********0015")
    expect(members).not_to_contain_text(NEW_MEMBER[1].replace(" ", ""))
    page.get_by_label("Kawasan hutan").fill("Register 30 Gunung Tanggamus")
    save_and_continue(page)
    expect(messages(page)).to_contain_text("Data kelompok tersimpan.")

    # Step 2: area in Indonesian notation, then the map on the map page.
    at_step(page, 2, "Areal dan peta")
    page.get_by_label("Luas lahan yang dimohon (hektare)").fill("48,5")
    page.get_by_label("Kawasan hutan yang dimohon").fill("Register 30 Gunung Tanggamus, hutan lindung")
    page.get_by_label("Letak lahan (blok/petak, batas-batas)").fill(
        "Blok III, berbatasan dengan Way Semangka"
    )
    page.get_by_role("button", name="Simpan saja").click()
    expect(messages(page)).to_contain_text("Data areal tersimpan.")
    areal = page.url
    session.shot("area")
    page.get_by_role("link", name="Unggah peta").click()
    page.locator("input[type=file][name=berkas]").set_input_files(area)
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(messages(page)).to_contain_text("Peta diunggah")
    session.shot("map-uploaded")
    session.checkpoint("map")
    page.goto(areal)
    expect(page.locator("main")).to_contain_text("Peta sudah diunggah.")
    expect(page.get_by_label("Luas lahan yang dimohon (hektare)")).to_have_value("48,50")
    save_and_continue(page)

    # Step 3: the work plan.
    at_step(page, 3, "Rencana kerja")
    page.get_by_label("Ringkasan rencana kerja").fill(
        "Menanam kopi dan tanaman serbaguna (MPTS) di bawah tegakan; anggota merawat bergiliran."
    )
    page.get_by_label("Kegiatan 1", exact=True).fill("Pembibitan kopi")
    page.get_by_label("Waktu 1", exact=True).fill("Tahun ke-1")
    page.get_by_label("Target/volume 1", exact=True).fill("5.000 bibit")
    page.get_by_label("Kegiatan 2", exact=True).fill("Penanaman MPTS")
    session.shot("work-plan")
    save_and_continue(page)
    expect(messages(page)).to_contain_text("Rencana kerja tersimpan.")

    # Step 4: download the DOCX proposal, then upload the five required documents.
    at_step(page, 4, "Dokumen")
    with page.expect_download() as download_info:
        page.get_by_test_id("unduh-docx").click()
    download = download_info.value
    assert download.suggested_filename == f"usulan-hkm-{kode}.docx"
    proposal_path = tmp_path / "usulan.docx"
    download.save_as(proposal_path)
    proposal = docx_text(proposal_path)
    for expected in (
        GROUP,
        "Negeri Ratu",
        "II. Daftar anggota",
        "1806********0015",
        "48,50 ha",
        "Pembibitan kopi",
        kode,
    ):
        assert expected in proposal, expected
    assert not any(nik in proposal for nik in data.niks), "the facilitator's draft shows a full NIK"
    for name, scan in zip(DOCUMENTS, scans, strict=True):
        card = page.locator("section.doc-card").filter(has=page.get_by_role("heading", name=name, exact=True))
        card.locator("input[type=file]").set_input_files(scan)
        card.get_by_role("button", name=re.compile("^Unggah")).click()
        expect(messages(page)).to_contain_text(f"Berkas {scan.name} diunggah.")
    fits_the_phone(page, "dokumen")
    session.shot("documents")
    page.get_by_role("link", name=re.compile("Lewati, ke langkah berikutnya")).click()

    # 3. The check page is complete: submit.
    at_step(page, 5, "Periksa dan ajukan")
    expect(page.get_by_test_id("lengkap")).to_be_visible()
    expect(page.get_by_test_id("checklist").locator("li.missing")).to_have_count(0)
    submit = page.get_by_role("button", name="Ajukan usulan")
    expect(submit).to_be_enabled()
    session.shot("check-complete")
    submit.click()
    expect(messages(page)).to_contain_text(f"Permohonan diajukan. Simpan kode lacak {kode}")
    expect(page.get_by_test_id("sudah-diajukan")).to_contain_text("Verifikasi administrasi")
    expect(page.get_by_role("button", name="Ajukan usulan")).to_have_count(0)
    session.shot("submitted")
    application = Application.objects.get(kode_lacak=kode)
    assert application.tahap == "verifikasi_administrasi" and application.diajukan_pada is not None
    session.checkpoint("submitted")

    # 4. The public tracking page, opened by anyone with the code (no login), on a phone too.
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.add_init_script(CSP_REPORTER)
    public = context.new_page()
    try:
        public.goto(f"/izin/lacak/{kode}/")
        expect(public.get_by_test_id("tahap")).to_have_text("Verifikasi administrasi")
        expect(public.get_by_test_id("biaya")).to_contain_text("gratis")
        fits_the_phone(public, "lacak")
        public.screenshot(
            path=str(session.artifacts / f"{session.steps + 1:02d}-public-tracking.png"), full_page=True
        )
        shown = public.locator("body").inner_text()
        html = public.content()
        for page_text in (shown, html):
            assert not re.search(r"\d{16}", page_text), "a NIK on the public page"
            assert not re.search(r"\d{4}\*{4,}\d{3,4}", page_text), "a masked NIK or phone on the public page"
            assert not any(phone in page_text for phone in data.phones)
            for name in (*MEMBERS, NEW_MEMBER[0], GROUP, data.username):
                assert name not in page_text, f"{name!r} on the public page"
    finally:
        context.close()

    session.assert_clean("facilitator")
