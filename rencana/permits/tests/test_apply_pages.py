"""Applicant pages: my applications, starting one, the wizard steps, groups, members, businesses, drafts."""

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from rencana.permits import services_apply
from rencana.permits.models import Application, ApplicationDocument, AreaMap, GroupMember, MicroBusiness, Sex
from rencana.permits.tests.apply_support import PDF, ApplyWorld, apply_world, nik, upload

__all__ = ["apply_world"]

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[104.6, -5.4], [104.605, -5.4], [104.605, -5.395], [104.6, -5.395], [104.6, -5.4]]],
}


def url(name: str, world: ApplyWorld, **kwargs: Any) -> str:
    return reverse(f"permits:{name}", kwargs={"kode": world.pemda.kode, **kwargs})


def step_url(world: ApplyWorld, application: Application, langkah: str) -> str:
    return url("wizard_step", world, application_id=application.pk, langkah=langkah)


def text(response: Any) -> str:
    return response.content.decode()


def complete_hkm(world: ApplyWorld, members: int = 15) -> Application:
    """An HKm application with everything the checklist wants."""
    group = world.group(members=members)
    application = world.hkm(group)
    application.data = {
        "kawasan": "Register 30 Gunung Tanggamus, hutan lindung",
        "rencana_kerja": "Menanam kopi",
    }
    application.luas_dinyatakan = Decimal("48.50")
    application.save()
    AreaMap.objects.create(
        pemda=world.pemda, permohonan=application, geometri=SQUARE, luas_ha=Decimal("30.6")
    )
    for kode in ("ad_art", "rencana_kerja", "daftar_anggota", "struktur_organisasi", "surat_pengantar_desa"):
        services_apply.document_add(
            actor=world.pendamping, application=application, kode_dokumen=kode, upload=upload()
        )
    application.refresh_from_db()
    return application


# --- my applications and start -----------------------------------------------------------------------


def test_my_applications_lists_only_mine(apply_world: ApplyWorld) -> None:
    mine = apply_world.hkm(apply_world.group())
    theirs = apply_world.hkm(
        apply_world.group("KTH Lain", actor=apply_world.outsider), actor=apply_world.outsider
    )
    page = apply_world.client(apply_world.pendamping).get(url("my_applications", apply_world))
    assert page.status_code == 200
    assert mine.kode_lacak in text(page) and theirs.kode_lacak not in text(page)
    assert "gratis" in text(page)


def test_start_hkm_with_a_new_group_opens_the_first_step(apply_world: ApplyWorld) -> None:
    client = apply_world.client(apply_world.pendamping)
    start = url("application_start", apply_world) + "?jenis=hkm"
    assert client.get(start).status_code == 200
    response = client.post(
        start, {"jenis": "hkm", "pilihan": "baru", "nama": "KTH Wana Lestari", "desa": apply_world.village}
    )
    application = Application.objects.get(kelompok__nama="KTH Wana Lestari")
    assert response.status_code == 302 and response["Location"] == step_url(
        apply_world, application, "kelompok"
    )
    assert (
        application.dibuat_oleh == apply_world.pendamping and application.pendamping == apply_world.pendamping
    )


def test_start_refuses_missing_or_foreign_choices(apply_world: ApplyWorld) -> None:
    client = apply_world.client(apply_world.pendamping)
    start = url("application_start", apply_world)
    assert client.post(start, {"jenis": "hkm", "pilihan": "baru", "nama": "", "desa": ""}).status_code == 400
    assert client.post(start, {"jenis": "hkm"}).status_code == 400
    foreign = apply_world.group("KTH Orang Lain", actor=apply_world.outsider)
    assert client.post(start, {"jenis": "hkm", "pilihan": str(foreign.pk)}).status_code == 404
    assert client.post(start, {"jenis": "nib", "pilihan": "x"}).status_code == 404
    assert not Application.objects.exists()


def test_start_nib_with_a_new_business(apply_world: ApplyWorld) -> None:
    client = apply_world.client(apply_world.pemohon)
    response = client.post(
        url("application_start", apply_world),
        {"jenis": "nib", "pilihan": "baru", "nama_usaha": "Bakso Pak Eko", "pemilik": "Eko Prasetyo"},
    )
    application = Application.objects.get(usaha__nama_usaha="Bakso Pak Eko")
    assert response["Location"] == step_url(apply_world, application, "usaha")
    assert application.pemohon == apply_world.pemohon and application.jenis.kode == "nib"


# --- the HKm wizard ----------------------------------------------------------------------------------


def test_every_hkm_step_renders_with_progress_and_steps(apply_world: ApplyWorld) -> None:
    application = apply_world.hkm(apply_world.group(members=2))
    client = apply_world.client(apply_world.pendamping)
    for number, langkah in enumerate(("kelompok", "areal", "rencana", "dokumen", "periksa"), start=1):
        page = client.get(step_url(apply_world, application, langkah))
        assert page.status_code == 200, langkah
        assert f"Langkah {number} dari 5" in text(page)
        assert 'aria-current="step"' in text(page)
    assert client.get(step_url(apply_world, application, "usaha")).status_code == 404
    assert client.get(step_url(apply_world, application, "<script>")).status_code == 404


def test_kelompok_step_saves_the_group_and_adds_members(apply_world: ApplyWorld) -> None:
    group = apply_world.group()
    application = apply_world.hkm(group)
    client = apply_world.client(apply_world.pendamping)
    here = step_url(apply_world, application, "kelompok")
    response = client.post(
        here,
        {
            "aksi": "lanjut",
            "nama": "KTH Sinar Harapan II",
            "desa": apply_world.village,
            "version": group.version,
        },
    )
    assert response.status_code == 302 and response["Location"] == step_url(apply_world, application, "areal")
    group.refresh_from_db()
    assert group.nama == "KTH Sinar Harapan II"
    added = client.post(
        here,
        {
            "aksi": "tambah_anggota",
            "anggota-nama": "Siti Aminah",
            "anggota-nik": "1806 0155 0190 0042",
            "anggota-jenis_kelamin": Sex.P,
            "anggota-peran": "anggota",
        },
    )
    assert added.status_code == 302
    page = client.get(here)
    assert (
        "Siti Aminah" in text(page)
        and "1806********0042" in text(page)
        and "1806015501900042" not in text(page)
    )
    refused = client.post(
        here,
        {"aksi": "tambah_anggota", "anggota-nama": "X", "anggota-nik": "123", "anggota-jenis_kelamin": "L"},
    )
    assert refused.status_code == 400 and "NIK harus 16 angka" in text(refused)


def test_stale_group_version_answers_409_and_keeps_the_typed_values(apply_world: ApplyWorld) -> None:
    group = apply_world.group()
    application = apply_world.hkm(group)
    client = apply_world.client(apply_world.pendamping)
    here = step_url(apply_world, application, "kelompok")
    response = client.post(
        here, {"aksi": "simpan", "nama": "Nama Ketikan", "desa": apply_world.village, "version": 99}
    )
    assert response.status_code == 409 and "Nama Ketikan" in text(response)
    group.refresh_from_db()
    assert group.nama == "KTH Sinar Harapan"


def test_areal_and_rencana_steps_save_through_application_update(apply_world: ApplyWorld) -> None:
    application = apply_world.hkm(apply_world.group())
    client = apply_world.client(apply_world.pendamping)
    response = client.post(
        step_url(apply_world, application, "areal"),
        {"aksi": "simpan", "luas_dinyatakan": "48,5", "kawasan": "Register 30", "versi": application.version},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.luas_dinyatakan == Decimal("48.50") and application.data["kawasan"] == "Register 30"
    bad = client.post(
        step_url(apply_world, application, "areal"),
        {"aksi": "simpan", "luas_dinyatakan": "5.319.05", "versi": application.version},
    )
    assert bad.status_code == 400 and "ambigu" in text(bad)
    stale = client.post(
        step_url(apply_world, application, "rencana"),
        {"aksi": "simpan", "rencana_kerja": "x", "versi": application.version - 1},
    )
    assert stale.status_code == 409
    saved = client.post(
        step_url(apply_world, application, "rencana"),
        {
            "aksi": "lanjut",
            "rencana_kerja": "Menanam kopi dan MPTS",
            "versi": application.version,
            "baris": "3",
            "kegiatan_0": "Pembibitan",
            "waktu_0": "Tahun ke-1",
            "target_0": "5.000 bibit",
            "kegiatan_2": "Penanaman",
        },
    )
    assert saved["Location"] == step_url(apply_world, application, "dokumen")
    application.refresh_from_db()
    assert [r["kegiatan"] for r in application.data["rencana_kegiatan"]] == ["Pembibitan", "Penanaman"]


def test_dokumen_step_uploads_lists_and_removes(apply_world: ApplyWorld) -> None:
    application = apply_world.hkm(apply_world.group())
    client = apply_world.client(apply_world.pendamping)
    here = step_url(apply_world, application, "dokumen")
    response = client.post(
        here, {"aksi": "unggah", "kode_dokumen": "ad_art", "berkas": upload(PDF, "adart.pdf")}
    )
    assert response.status_code == 302
    page = client.get(here)
    assert "adart.pdf" in text(page)
    wrong = client.post(
        here, {"aksi": "unggah", "kode_dokumen": "ad_art", "berkas": upload(b"hello", "a.pdf")}
    )
    assert wrong.status_code == 400 and "PDF, JPG atau PNG" in text(wrong)
    empty = client.post(here, {"aksi": "unggah", "kode_dokumen": "ad_art"})
    assert empty.status_code == 400
    document = ApplicationDocument.objects.get(permohonan=application)
    download = client.get(url("document_download", apply_world, app_document_id=document.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert client.post(here, {"aksi": "hapus", "document_id": document.pk}).status_code == 302
    assert not ApplicationDocument.objects.filter(permohonan=application).exists()


def test_periksa_blocks_submission_until_complete_and_says_what_is_missing(apply_world: ApplyWorld) -> None:
    application = apply_world.hkm(apply_world.group(members=3))
    client = apply_world.client(apply_world.pendamping)
    here = step_url(apply_world, application, "periksa")
    page = client.get(here)
    assert "disabled" in text(page) and "Paling sedikit 15 anggota dengan NIK" in text(page)
    assert "3 dari 15 anggota" in text(page) and "AD/ART kelompok" in text(page)
    assert step_url(apply_world, application, "kelompok") in text(page)
    refused = client.post(here, {"aksi": "ajukan", "versi": application.version})
    assert refused.status_code == 409 and "masih kurang" in text(refused).lower()
    application.refresh_from_db()
    assert application.tahap == "penyusunan"


def test_complete_application_is_submitted_and_then_read_only(apply_world: ApplyWorld) -> None:
    application = complete_hkm(apply_world)
    client = apply_world.client(apply_world.pendamping)
    here = step_url(apply_world, application, "periksa")
    page = client.get(here)
    assert "Semua sudah lengkap" in text(page) and "disabled" not in re.sub(r"<input[^>]*>", "", text(page))
    response = client.post(here, {"aksi": "ajukan", "versi": application.version})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.tahap == "verifikasi_administrasi" and application.diajukan_pada is not None
    locked = client.get(step_url(apply_world, application, "areal"))
    assert locked.status_code == 200 and 'data-testid="terkunci"' in text(locked)
    again = client.post(
        step_url(apply_world, application, "areal"),
        {"aksi": "simpan", "luas_dinyatakan": "1", "versi": application.version},
    )
    assert again.status_code == 409


def test_admin_sees_the_page_but_only_applicant_roles_submit(apply_world: ApplyWorld) -> None:
    application = complete_hkm(apply_world)
    page = apply_world.client(apply_world.admin).get(step_url(apply_world, application, "periksa"))
    assert page.status_code == 200 and "diajukan oleh pemohon atau pendampingnya" in text(page)
    refused = apply_world.client(apply_world.admin).post(
        step_url(apply_world, application, "periksa"), {"aksi": "ajukan", "versi": application.version}
    )
    assert refused.status_code == 403


def test_another_facilitators_application_is_404_everywhere(apply_world: ApplyWorld) -> None:
    application = complete_hkm(apply_world)
    client = apply_world.client(apply_world.outsider)
    for langkah in ("kelompok", "periksa"):
        assert client.get(step_url(apply_world, application, langkah)).status_code == 404
    assert client.get(url("proposal_docx", apply_world, application_id=application.pk)).status_code == 404
    assert client.get(url("group_detail", apply_world, group_id=application.kelompok_id)).status_code == 404
    document = ApplicationDocument.objects.filter(permohonan=application).first()
    assert document is not None
    assert client.get(url("document_download", apply_world, app_document_id=document.pk)).status_code == 404
    member = GroupMember.objects.filter(kelompok_id=application.kelompok_id).first()
    assert member is not None
    assert client.get(url("member_edit", apply_world, member_id=member.pk)).status_code == 404


def test_other_pemda_users_cannot_reach_the_pages(apply_world: ApplyWorld) -> None:
    application = complete_hkm(apply_world)
    stranger = apply_world.make_user(
        __import__("rencana.core.roles", fromlist=["Role"]).Role.ADMIN_PEMDA, apply_world.other
    )
    client = apply_world.client(stranger)
    assert client.get(step_url(apply_world, application, "periksa")).status_code == 404
    other_url = reverse(
        "permits:wizard_step",
        kwargs={"kode": apply_world.other.kode, "application_id": application.pk, "langkah": "periksa"},
    )
    assert client.get(other_url).status_code == 404


# --- drafts ------------------------------------------------------------------------------------------


def test_proposal_docx_masks_nik_for_the_facilitator_and_not_for_the_officer(apply_world: ApplyWorld) -> None:
    from docx import Document

    application = complete_hkm(apply_world)
    for user, expected, hidden in (
        (apply_world.pendamping, "1806********0001", nik(1)),
        (apply_world.petugas, nik(1), "1806********0001"),
    ):
        response = apply_world.client(user).get(
            url("proposal_docx", apply_world, application_id=application.pk)
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        document = Document(io.BytesIO(response.content))
        cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
        assert expected in cells and hidden not in cells
        assert "KTH Sinar Harapan" in cells


def test_proposal_pdf_downloads(apply_world: ApplyWorld) -> None:
    application = complete_hkm(apply_world)
    response = apply_world.client(apply_world.pendamping).get(
        url("proposal_pdf", apply_world, application_id=application.pk)
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# --- NIB wizard --------------------------------------------------------------------------------------


def nib_application(world: ApplyWorld) -> Application:
    client = world.client(world.pemohon)
    client.post(
        url("application_start", world),
        {"jenis": "nib", "pilihan": "baru", "nama_usaha": "Es Teh Jumbo", "pemilik": "Rina"},
    )
    return Application.objects.get(usaha__nama_usaha="Es Teh Jumbo")


def test_nib_wizard_fills_every_field_and_submits(apply_world: ApplyWorld) -> None:
    application = nib_application(apply_world)
    business = application.usaha
    assert business is not None
    client = apply_world.client(apply_world.pemohon)
    for langkah in ("usaha", "kbli", "lokasi", "pernyataan", "dokumen", "periksa"):
        assert client.get(step_url(apply_world, application, langkah)).status_code == 200, langkah

    def post(langkah: str, data: dict[str, Any]) -> Any:
        application.refresh_from_db()
        business.refresh_from_db()
        return client.post(
            step_url(apply_world, application, langkah),
            {"aksi": "lanjut", "versi": application.version, "versi_usaha": business.version, **data},
        )

    assert (
        post(
            "usaha",
            {
                "nama_usaha": "Es Teh Jumbo",
                "pemilik": "Rina",
                "nik": nik(21, female=True),
                "jenis_kelamin": "P",
                "telepon": "081234567890",
                "akun_oss": "rina@example.id",
            },
        ).status_code
        == 302
    )
    search = client.get(step_url(apply_world, application, "kbli") + "?q=jualan+es+teh")
    assert "56304" in text(search)
    assert post("kbli", {"uraian_usaha": "jualan es teh", "pilih_kbli": "56304"}).status_code == 302
    assert (
        post(
            "lokasi",
            {
                "lokasi": "18.06.01.1001",
                "alamat": "Pasar Kota Agung",
                "pasar": "Pasar Kota Agung",
                "modal": "2.500.000",
            },
        ).status_code
        == 302
    )
    assert post("pernyataan", {f"pernyataan_{i}": "ya" for i in range(4)}).status_code == 302
    application.refresh_from_db()
    business.refresh_from_db()
    assert (
        business.kbli == "56304"
        and business.modal == Decimal(2500000)
        and application.data["pernyataan_mandiri"]
    )
    page = client.get(step_url(apply_world, application, "periksa"))
    assert "Semua sudah lengkap" in text(page)
    assert post("periksa", {"aksi": "ajukan"}).status_code == 302
    application.refresh_from_db()
    assert application.tahap == "pendaftaran_oss"


def test_partial_self_declaration_is_not_stored(apply_world: ApplyWorld) -> None:
    application = nib_application(apply_world)
    client = apply_world.client(apply_world.pemohon)
    response = client.post(
        step_url(apply_world, application, "pernyataan"),
        {"aksi": "simpan", "versi": application.version, "pernyataan_0": "ya"},
    )
    assert response.status_code == 400 and "Centang semua pernyataan" in text(response)
    application.refresh_from_db()
    assert "pernyataan_mandiri" not in application.data


def test_nib_sheet_pdf_and_docx(apply_world: ApplyWorld) -> None:
    application = nib_application(apply_world)
    client = apply_world.client(apply_world.pemohon)
    business = application.usaha
    assert business is not None
    pdf = client.get(url("business_nib_pdf", apply_world, business_id=business.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(url("business_nib_docx", apply_world, business_id=business.pk))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    sheet = client.get(url("proposal_docx", apply_world, application_id=application.pk))
    assert sheet.status_code == 200 and "persiapan-nib" in sheet["Content-Disposition"]


# --- groups and businesses pages ---------------------------------------------------------------------


def test_group_pages_list_create_edit_and_flag_duplicates(apply_world: ApplyWorld) -> None:
    client = apply_world.client(apply_world.pendamping)
    response = client.post(
        url("group_list", apply_world), {"nama": "KTH Harapan Jaya", "desa": apply_world.village}
    )
    assert response.status_code == 302
    group = apply_world.group("KTH Dua", members=2)
    created = services_apply.member_add(
        actor=apply_world.pendamping,
        group=group.__class__.objects.get(nama="KTH Harapan Jaya"),
        data=services_apply.MemberInput(nama="Anggota 1 lagi", nik=nik(1), jenis_kelamin="L"),
    )
    listing = client.get(url("group_list", apply_world))
    assert "KTH Harapan Jaya" in text(listing) and "juga di kelompok lain" in text(listing)
    detail = client.get(url("group_detail", apply_world, group_id=created.kelompok_id))
    assert "NIK juga terdaftar di:" in text(detail) and "KTH Dua" in text(detail)
    export = client.get(url("group_detail", apply_world, group_id=group.pk) + "?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    edit = client.get(url("member_edit", apply_world, member_id=created.pk))
    assert edit.status_code == 200 and nik(1) not in text(edit)


def test_member_edit_keeps_hidden_nik_and_phone_and_redirects_back_safely(apply_world: ApplyWorld) -> None:
    group = apply_world.group(members=1)
    first = GroupMember.objects.get(kelompok=group)
    client = apply_world.client(apply_world.pendamping)
    response = client.post(
        url("member_edit", apply_world, member_id=first.pk),
        {
            "aksi": "simpan",
            "nama": "Baru",
            "nik": "",
            "jenis_kelamin": "L",
            "peran": "ketua",
            "kembali": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and response["Location"] == url(
        "group_detail", apply_world, group_id=group.pk
    )
    first.refresh_from_db()
    assert first.nama == "Baru" and first.nik == nik(1) and first.telepon == "081234560001"


def test_officer_sees_full_nik_facilitator_masked(apply_world: ApplyWorld) -> None:
    group = apply_world.group(members=1)
    officer = apply_world.client(apply_world.petugas).get(url("group_detail", apply_world, group_id=group.pk))
    facilitator = apply_world.client(apply_world.pendamping).get(
        url("group_detail", apply_world, group_id=group.pk)
    )
    assert (
        nik(1) in text(officer)
        and nik(1) not in text(facilitator)
        and "1806********0001" in text(facilitator)
    )


def test_business_pages(apply_world: ApplyWorld) -> None:
    client = apply_world.client(apply_world.pendamping)
    response = client.post(
        url("business_list", apply_world),
        {"nama_usaha": "Gorengan Bu Tini", "pemilik": "Tini", "modal": "1.500.000", "kbli": "56104"},
    )
    assert response.status_code == 302
    business = MicroBusiness.objects.get(nama_usaha="Gorengan Bu Tini")
    detail = client.get(url("business_detail", apply_world, business_id=business.pk))
    assert detail.status_code == 200 and "Penyediaan Makanan Keliling" in text(detail)
    stale = client.post(
        url("business_detail", apply_world, business_id=business.pk),
        {"nama_usaha": "X", "pemilik": "Tini", "version": 7},
    )
    assert stale.status_code == 409
    listing = client.get(url("business_list", apply_world) + "?q=tini")
    assert "Gorengan Bu Tini" in text(listing)
    assert client.get(url("business_list", apply_world) + "?format=xlsx").status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "my_applications",
        "application_start",
        "group_list",
        "business_list",
        "business_import",
        "member_import_template",
    ],
)
def test_pages_survive_hostile_query_strings(apply_world: ApplyWorld, name: str) -> None:
    response = apply_world.client(apply_world.pendamping).get(
        url(name, apply_world) + "?q=%27%22%3Cscript%3E&halaman=-1&jenis=%3Cx%3E&format=pdf"
    )
    assert response.status_code == 200


# --- query counts ------------------------------------------------------------------------------------


def count_queries(client: Any, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["my_applications", "group_list", "business_list"])
def test_list_pages_do_not_query_per_row(apply_world: ApplyWorld, name: str) -> None:
    client = apply_world.client(apply_world.pendamping)

    def add(n: int) -> None:
        for i in range(n):
            group = apply_world.group(f"KTH {name} {i} {Application.objects.count()}", members=1)
            apply_world.hkm(group)
            services_apply.business_create(
                actor=apply_world.pendamping,
                pemda=apply_world.pemda,
                data=services_apply.BusinessInput(nama_usaha=f"Usaha {i} {group.pk}", pemilik="P"),
            )

    add(2)
    count_queries(client, url(name, apply_world))  # the first visit also stores the pemda in the session
    few = count_queries(client, url(name, apply_world))
    add(5)
    assert count_queries(client, url(name, apply_world)) == few


def test_wizard_renders_in_english_too(apply_world: ApplyWorld) -> None:
    application = complete_hkm(apply_world)
    client = apply_world.client(apply_world.pendamping)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for langkah in ("kelompok", "areal", "rencana", "dokumen", "periksa"):
        page = client.get(step_url(apply_world, application, langkah))
        assert page.status_code == 200 and '<html lang="en">' in text(page), langkah


def test_returned_application_is_editable_again_and_resubmitted(apply_world: ApplyWorld) -> None:
    from rencana.accounts.scope import scope_for
    from rencana.permits import services_workflow

    application = complete_hkm(apply_world)
    client = apply_world.client(apply_world.pendamping)
    client.post(
        step_url(apply_world, application, "periksa"), {"aksi": "ajukan", "versi": application.version}
    )
    application.refresh_from_db()
    services_workflow.transition(
        actor=apply_world.petugas,
        application=application,
        expected_version=application.version,
        aksi="minta_perbaikan",
        alasan="AD/ART belum ditandatangani ketua.",
        scope=scope_for(apply_world.petugas, apply_world.pemda),
    )
    application.refresh_from_db()
    page = client.get(step_url(apply_world, application, "periksa"))
    assert "Ajukan ulang setelah perbaikan" in text(page) and 'data-testid="terkunci"' not in text(page)
    saved = client.post(
        step_url(apply_world, application, "rencana"),
        {"aksi": "simpan", "rencana_kerja": "Menanam kopi dan alpukat", "versi": application.version},
    )
    assert saved.status_code == 302
    application.refresh_from_db()
    resubmitted = client.post(
        step_url(apply_world, application, "periksa"), {"aksi": "ajukan", "versi": application.version}
    )
    assert resubmitted.status_code == 302
    application.refresh_from_db()
    assert application.tahap == "verifikasi_administrasi" and application.data["rencana_kerja"].endswith(
        "alpukat"
    )
