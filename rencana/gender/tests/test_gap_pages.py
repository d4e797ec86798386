"""GAP pages: list, search and start, the nine-step form, 409 on a stale edit, scope of OPD operators."""

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from rencana.gender.models import GapStatus, GapWorksheet
from rencana.gender.services_gap import gap_start
from rencana.gender.tests.test_gap_services import TAHUN, Pug, add_sub, flagged_indicator, make_pug
from rencana.regions.models import Pemda

KODE = "63.02"


@pytest.fixture
def pug(pemda_a: Pemda) -> Pug:
    return make_pug(pemda_a)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def list_url() -> str:
    return reverse("gender:gap_list", kwargs={"kode": KODE})


def detail_url(gap: GapWorksheet) -> str:
    return reverse("gender:gap_detail", kwargs={"kode": KODE, "gap_id": gap.pk})


def start_url(node_id: int) -> str:
    return reverse("gender:gap_start", kwargs={"kode": KODE, "node_id": node_id})


def form_data(gap: GapWorksheet, **changes: str) -> dict[str, str]:
    data = {name: getattr(gap, name) for name in (*GapWorksheet.STEP_FIELDS, "analisis_situasi", "dampak")}
    data["anggaran"] = "750.000.000"
    data["version"] = str(gap.version)
    data.update(changes)
    return data


FILLED = {
    "faktor_partisipasi": "Perempuan jarang diundang dalam perencanaan layanan.",
    "tujuan_reformulasi": "Layanan rujukan yang menjangkau ibu hamil dari pulau kecil.",
    "rencana_aksi": "1. Bangun ruang bersalin\n2. Sediakan ambulans laut",
}


def test_pokja_finds_a_sub_kegiatan_starts_fills_and_finalizes(pug: Pug) -> None:
    flagged_indicator(pug.plan)
    client = client_for(pug.pokja)
    response = client.get(list_url(), {"tahun": str(TAHUN), "cari": "rumah sakit"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pembangunan Rumah Sakit beserta Sarana" in page
    assert start_url(pug.plan.sub.pk) in page
    assert "Belum ada lembar GAP untuk pilihan ini." in page

    response = client.post(start_url(pug.plan.sub.pk), {"tahun": TAHUN})
    gap = GapWorksheet.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(gap)

    response = client.get(detail_url(gap))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Langkah 1. Kebijakan/program/kegiatan dan tujuannya",
        "Langkah 9. Indikator gender",
        "Akses: kesempatan memperoleh layanan",  # the plain explanation of step 3
        "Profil Kesehatan Kabupaten Kotabaru 2025",  # the disaggregated data, shown and pre-filled
        "Rp 750.000.000",
        "Agar dapat difinalkan, isi dulu:",
    ):
        assert text in page, text

    response = client.post(detail_url(gap), {**form_data(gap, faktor_akses="Jarak jauh."), "aksi": "simpan"})
    assert response.status_code == 302
    gap.refresh_from_db()
    assert (gap.faktor_akses, gap.status, gap.version) == ("Jarak jauh.", GapStatus.DRAFT, 2)

    response = client.post(detail_url(gap), {**form_data(gap, **FILLED), "aksi": "final"})
    assert response.status_code == 302
    gap.refresh_from_db()
    assert gap.status == GapStatus.FINAL
    page = client.get(detail_url(gap)).content.decode()
    assert "Kembalikan ke draf" in page and 'name="aksi" value="final"' not in page
    assert "Ambulans laut".lower() in page.lower()


def test_finalizing_with_missing_steps_lists_them_and_keeps_the_text(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    client = client_for(pug.pokja)
    data = {**form_data(gap, kebijakan="", sebab_internal="Teks yang tidak boleh hilang"), "aksi": "final"}
    response = client.post(detail_url(gap), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Lembar GAP belum dapat difinalkan. Langkah yang belum diisi:" in page
    for step in (
        "Langkah 1 (Kebijakan/program/kegiatan dan tujuannya)",
        "Langkah 3 (Faktor kesenjangan gender)",
    ):
        assert step in page
    assert "Teks yang tidak boleh hilang" in page
    gap.refresh_from_db()
    assert (gap.status, gap.version) == (GapStatus.DRAFT, 1)


def test_a_stale_edit_through_the_page_answers_409_and_keeps_the_users_text(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    first, second = client_for(pug.pokja), client_for(pug.operator)
    opened = form_data(gap)  # both opened version 1
    assert (
        first.post(detail_url(gap), {**opened, "faktor_akses": "Versi pertama", "aksi": "simpan"}).status_code
        == 302
    )
    response = second.post(detail_url(gap), {**opened, "faktor_akses": "Versi kedua", "aksi": "simpan"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "telah diubah oleh pengguna lain" in page
    assert "Versi kedua" in page  # the second user's text is still in the form
    gap.refresh_from_db()
    assert (gap.faktor_akses, gap.version) == ("Versi pertama", 2)


def test_invalid_budget_answers_400_at_the_field(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    response = client_for(pug.pokja).post(
        detail_url(gap), {**form_data(gap, anggaran="5.319.05"), "aksi": "simpan"}
    )
    assert response.status_code == 400
    assert "field-error" in response.content.decode()


def test_opd_operator_sees_and_edits_only_its_own_opd(pug: Pug) -> None:
    plan = pug.plan
    other_sub = add_sub(plan, "1.02.02.2.01.0002", None, opd=plan.other_opd, nama="Pembangunan Puskesmas")
    own = gap_start(actor=None, node=plan.sub, tahun=TAHUN)
    other = gap_start(actor=None, node=other_sub, tahun=TAHUN)
    client = client_for(pug.operator)

    # Another OPD's worksheet and its GBS are "not found"; the list shows only its own.
    assert client.get(detail_url(other)).status_code == 404
    kwargs = {"kode": KODE, "gap_id": other.pk}
    assert client.get(reverse("gender:gbs_pdf", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("gender:gbs_docx", kwargs=kwargs)).status_code == 404
    assert client.post(detail_url(other), {**form_data(other), "aksi": "simpan"}).status_code == 404
    page = client.get(list_url(), {"tahun": TAHUN}).content.decode()
    assert plan.sub.kode in page and "Pembangunan Puskesmas" not in page
    # The search offers only its own OPD's sub-kegiatan; starting another OPD's is "not found".
    page = client.get(list_url(), {"tahun": str(TAHUN), "cari": "Pembangunan"}).content.decode()
    assert "Pembangunan Rumah Sakit" in page and "Pembangunan Puskesmas" not in page
    other.delete()
    assert client.post(start_url(other_sub.pk), {"tahun": TAHUN}).status_code == 404
    assert not GapWorksheet.objects.filter(node=other_sub).exists()
    # Its own worksheet opens and saves.
    assert client.get(detail_url(own)).status_code == 200
    assert (
        client.post(detail_url(own), {**form_data(own, faktor_kontrol="x"), "aksi": "simpan"}).status_code
        == 302
    )


def test_read_only_roles_cannot_write(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    client = client_for(pug.pimpinan)
    page = client.get(detail_url(gap)).content.decode()
    assert 'name="aksi" value="simpan"' not in page
    assert "Langkah 1. Kebijakan/program/kegiatan dan tujuannya" in page  # read-only view
    assert client.post(detail_url(gap), {**form_data(gap), "aksi": "simpan"}).status_code == 403
    assert client.post(start_url(pug.plan.sub.pk), {"tahun": TAHUN}).status_code == 403
    page = client.get(list_url(), {"tahun": str(TAHUN), "cari": "rumah"}).content.decode()
    assert "Mulai GAP untuk sub-kegiatan" not in page


def test_starting_twice_opens_the_existing_worksheet(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    response = client_for(pug.pokja).post(start_url(pug.plan.sub.pk), {"tahun": TAHUN}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(gap)
    assert "sudah ada" in response.content.decode()
    assert GapWorksheet.objects.count() == 1


@pytest.mark.parametrize("which", ["sasaran", "kegiatan"])
def test_starting_on_a_node_that_is_not_a_sub_kegiatan_is_a_message(pug: Pug, which: str) -> None:
    node = getattr(pug.plan, which)
    response = client_for(pug.pokja).post(start_url(node.pk), {"tahun": "x"}, follow=True)
    assert response.status_code == 200
    assert "hanya untuk sub-kegiatan" in response.content.decode()
    assert not GapWorksheet.objects.exists()


def test_back_to_draft_and_unknown_actions(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    client = client_for(pug.pokja)
    client.post(detail_url(gap), {**form_data(gap, faktor_akses="a", **FILLED), "aksi": "final"})
    gap.refresh_from_db()
    assert gap.status == GapStatus.FINAL
    # A final worksheet posted as if it were a draft is a conflict, not an overwrite.
    assert client.post(detail_url(gap), {**form_data(gap), "aksi": "simpan"}).status_code == 409
    stale = client.post(detail_url(gap), {"aksi": "draf", "version": "1"}, follow=True)
    assert "telah diubah oleh pengguna lain" in stale.content.decode()
    assert client.post(detail_url(gap), {"aksi": "draf", "version": str(gap.version)}).status_code == 302
    gap.refresh_from_db()
    assert gap.status == GapStatus.DRAFT
    assert client.post(detail_url(gap), {"aksi": "hapus"}).status_code == 400


def test_list_filters_paginates_and_exports(pug: Pug, settings: Any) -> None:
    settings.RENCANA_PAGE_SIZE = 2
    plan = pug.plan
    subs = [plan.sub] + [add_sub(plan, f"1.02.02.2.01.{n:04d}", None) for n in range(2, 5)]
    for node in subs:
        gap_start(actor=None, node=node, tahun=TAHUN)
    GapWorksheet.objects.filter(node=subs[0]).update(status=GapStatus.FINAL)
    client = client_for(pug.pokja)
    first = client.get(list_url(), {"tahun": TAHUN}).content.decode()
    assert "Halaman 1 dari 2 (4 baris)" in first
    final_only = client.get(list_url(), {"tahun": str(TAHUN), "status": "final"}).content.decode()
    assert plan.sub.nama in final_only and "Sub-kegiatan uji" not in final_only
    response = client.get(list_url(), {"tahun": str(TAHUN), "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Tahun", "OPD", "Kode", "Sub-kegiatan")
    assert len(rows) == 5 and {r[4] for r in rows[1:]} == {"Final", "Draf"}
    assert rows[1][1] == "Dinas Rahasia Kotabaru"


def test_pages_survive_junk_parameters(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    client = client_for(pug.pokja)
    junk = {
        "tahun": "20x6",
        "opd": "-1",
        "status": "hapus",
        "halaman": "999",
        "cari": "'; drop",
        "format": "pdf",
    }
    assert client.get(list_url(), junk).status_code == 200
    assert client.get(detail_url(gap), junk).status_code == 200
    response = client.post(detail_url(gap), {"aksi": "simpan", "version": "abc", "anggaran": "x" * 50})
    assert response.status_code == 400
    assert (
        client.get(reverse("gender:gap_detail", kwargs={"kode": KODE, "gap_id": 999999})).status_code == 404
    )


def test_list_query_count_does_not_grow_with_the_worksheets(
    pug: Pug, django_assert_max_num_queries: Any
) -> None:
    plan = pug.plan
    client = client_for(pug.pokja)
    gap_start(actor=None, node=plan.sub, tahun=TAHUN)
    with django_assert_max_num_queries(30) as small:
        client.get(list_url(), {"tahun": str(TAHUN), "cari": "uji"})
    for n in range(2, 12):
        gap_start(actor=None, node=add_sub(plan, f"1.02.02.2.01.{n:04d}", None), tahun=TAHUN)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(list_url(), {"tahun": str(TAHUN), "cari": "uji"})
