"""Outreach pages: roles, tenancy, hostile input, the paper form, the phone link, results and downloads."""

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.outreach import services
from rencana.outreach.models import AggregateResult, Event, Item, Participant, Response
from rencana.outreach.tests.conftest import KNOWLEDGE_CSV, LIKERT_CSV
from rencana.regions.models import Pemda

pytestmark = pytest.mark.django_db


def url(name: str, event: Event, **extra: Any) -> str:
    return reverse(f"outreach:{name}", kwargs={"kode": event.pemda.kode, "kegiatan_id": event.pk, **extra})


EVENT_PAGES = [
    "detail",
    "participants",
    "items",
    "results",
    "results_xlsx",
    "results_pdf",
]
MANAGE_PAGES = ["edit", "paper_form", "aggregate", "aggregate_template"]


@pytest.fixture
def manager(client_as: Callable[..., Client], bekasi: Pemda) -> Client:
    return client_as(Role.PETUGAS_IZIN, bekasi)


@pytest.fixture
def reader(client_as: Callable[..., Client], bekasi: Pemda) -> Client:
    return client_as(Role.PIMPINAN, bekasi)


# --- roles and tenancy --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN_PEMDA, Role.PETUGAS_IZIN, Role.PERENCANA])
def test_managers_open_every_page(client_as: Callable[..., Client], bekasi_event: Event, role: Role) -> None:
    client = client_as(role, bekasi_event.pemda)
    assert client.get(reverse("outreach:list", kwargs={"kode": "32.75"})).status_code == 200
    assert client.get(reverse("outreach:create", kwargs={"kode": "32.75"})).status_code == 200
    for name in EVENT_PAGES + MANAGE_PAGES:
        response = client.get(url(name, bekasi_event))
        assert response.status_code == 200, name


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.INSPEKTORAT, Role.OPERATOR_OPD, Role.VERIFIKATOR])
def test_other_staff_read_but_do_not_write(
    client_as: Callable[..., Client], bekasi_event: Event, role: Role, bekasi: Pemda
) -> None:
    opd = None
    if role == Role.OPERATOR_OPD:
        from rencana.regions.models import Opd

        opd = Opd.objects.create(pemda=bekasi, kode="B.01", nama="Dinas Koperasi")
    client = client_as(role, bekasi, opd)
    for name in EVENT_PAGES:
        assert client.get(url(name, bekasi_event)).status_code == 200, name
    for name in MANAGE_PAGES:
        assert client.get(url(name, bekasi_event)).status_code == 403, name
    assert client.get(reverse("outreach:create", kwargs={"kode": "32.75"})).status_code == 403
    posts = [
        (url("participants", bekasi_event), {"aksi": "tambah_banyak", "kosong-jumlah": "3"}),
        (url("items", bekasi_event), {"aksi": "tambah", "jenis": "likert", "pernyataan": "x"}),
        (url("phone_link", bekasi_event), {"aksi": "baru", "version": "1"}),
        (url("delete", bekasi_event), {"version": "1"}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 403, target
    assert Participant.objects.count() == 0 and Item.objects.count() == 16
    page = client.get(url("detail", bekasi_event)).content.decode()
    assert "Buat tautan" not in page


@pytest.mark.parametrize("role", [Role.PENDAMPING, Role.PEMOHON])
def test_applicants_and_facilitators_are_forbidden(
    client_as: Callable[..., Client], bekasi_event: Event, role: Role
) -> None:
    client = client_as(role, bekasi_event.pemda)
    assert client.get(reverse("outreach:list", kwargs={"kode": "32.75"})).status_code == 403
    assert client.get(url("results", bekasi_event)).status_code == 403


def test_another_pemda_gets_404_and_sees_nothing(
    client_as: Callable[..., Client], bekasi_event: Event, pemda_b: Pemda
) -> None:
    outsider = client_as(Role.ADMIN_PEMDA, pemda_b)
    for name in EVENT_PAGES + MANAGE_PAGES:
        response = outsider.get(url(name, bekasi_event))
        assert response.status_code == 404, name
    # The event id under the outsider's own pemda is not found either.
    own = reverse("outreach:results", kwargs={"kode": pemda_b.kode, "kegiatan_id": bekasi_event.pk})
    response = outsider.get(own)
    assert response.status_code == 404
    assert "Elang Raya" not in response.content.decode()
    listing = outsider.get(reverse("outreach:list", kwargs={"kode": pemda_b.kode})).content.decode()
    assert bekasi_event.judul not in listing


def test_anonymous_is_sent_to_login(bekasi_event: Event) -> None:
    response = Client().get(url("results", bekasi_event))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


HOSTILE = "?q=%00&tahun=%00&halaman=-1&peserta=%00&ubah=%00&jenis=%00&format=%00&saat=%00"


@pytest.mark.parametrize("name", EVENT_PAGES + MANAGE_PAGES)
def test_hostile_query_never_500(manager: Client, bekasi_event: Event, name: str) -> None:
    assert manager.get(url(name, bekasi_event) + HOSTILE).status_code < 500


def test_hostile_posts_never_500(manager: Client, bekasi_event: Event) -> None:
    item = Item.objects.filter(kegiatan=bekasi_event).first()
    assert item is not None
    posts = [
        ("participants", {"aksi": "\x00"}),
        ("participants", {"aksi": "kehadiran", "hadir": ["x", "999999"], "tampil": ["\x00"]}),
        ("participants", {"aksi": "ubah", "peserta": "999999"}),
        ("participants", {"aksi": "tambah", "baru-nama": "\x00" * 500, "baru-telepon": "\x00"}),
        ("participants", {"aksi": "tambah_banyak", "kosong-jumlah": "100000000000000000000"}),
        ("items", {"aksi": "tambah", "jenis": "\x00", "pernyataan": "\x00", "nomor": "-5"}),
        ("items", {"aksi": "hapus", "butir": "abc"}),
        ("paper_form", {"peserta": "999999"}),
        ("paper_form", {f"j_{item.pk}_sebelum": "\x00" * 100, "peserta-jenis_kelamin": "X"}),
        ("aggregate", {"aksi": "simpan", f"a_{item.pk}_sebelum_persen": "1e999", "sumber": "\x00"}),
        ("aggregate", {"aksi": "impor"}),
        ("aggregate", {"aksi": "\x00"}),
        ("phone_link", {"aksi": "baru", "version": "\x00"}),
        ("edit", {"judul": "\x00", "tanggal": "2024-13-45", "version": "x"}),
        ("delete", {"version": "-1"}),
    ]
    for name, data in posts:
        response = manager.post(url(name, bekasi_event), data)
        assert response.status_code < 500, (name, data, response.status_code)
    assert (
        manager.post(reverse("outreach:create", kwargs={"kode": "32.75"}), {"tanggal": "\x00"}).status_code
        == 400
    )


# --- event pages --------------------------------------------------------------------------------------


def test_create_edit_and_delete_an_event(manager: Client, bekasi: Pemda) -> None:
    response = manager.post(
        reverse("outreach:create", kwargs={"kode": "32.75"}),
        {"judul": "Sosialisasi OSS", "tanggal": "2023-02-01", "agenda": "Satu\nDua", "narasumber": "DPMPTSP"},
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", event)
    detail = manager.get(url("detail", event)).content.decode()
    assert "<li>Satu</li>" in detail and "DPMPTSP" in detail
    response = manager.post(
        url("edit", event), {"judul": "Sosialisasi OSS 2", "tanggal": "2023-02-01", "version": "1"}
    )
    assert response.status_code == 302
    stale = manager.post(url("edit", event), {"judul": "Lama", "tanggal": "2023-02-01", "version": "1"})
    assert stale.status_code == 409
    event.refresh_from_db()
    assert event.judul == "Sosialisasi OSS 2"
    assert manager.post(url("delete", event), {"version": "1"}).status_code == 409
    assert manager.post(url("delete", event), {"version": "2"}).status_code == 302
    assert not Event.objects.exists()


def test_list_filters_paginates_and_exports(manager: Client, bekasi_event: Event) -> None:
    page = manager.get(reverse("outreach:list", kwargs={"kode": "32.75"}) + "?q=pedagang&tahun=2022")
    assert bekasi_event.judul in page.content.decode()
    assert (
        bekasi_event.judul
        not in manager.get(
            reverse("outreach:list", kwargs={"kode": "32.75"}) + "?tahun=2024"
        ).content.decode()
    )
    export = manager.get(reverse("outreach:list", kwargs={"kode": "32.75"}) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None and sheet.cell(row=2, column=2).value == bekasi_event.judul


# --- participants -------------------------------------------------------------------------------------


def test_participants_add_attendance_and_masked_phone(
    manager: Client, reader: Client, event: Event, client_as: Callable[..., Client]
) -> None:
    response = manager.post(
        url("participants", event),
        {"aksi": "tambah", "baru-nama": "Bu Sari", "baru-telepon": "081234567890", "baru-hadir": "on"},
    )
    assert response.status_code == 302
    manager.post(url("participants", event), {"aksi": "tambah_banyak", "kosong-jumlah": "2"})
    people = list(Participant.objects.filter(kegiatan=event).order_by("nomor"))
    assert [p.nomor for p in people] == [1, 2, 3]
    response = manager.post(
        url("participants", event),
        {"aksi": "kehadiran", "tampil": [str(p.pk) for p in people], "hadir": [str(people[0].pk)]},
    )
    assert response.status_code == 302
    assert list(Participant.objects.filter(hadir=True).values_list("nomor", flat=True)) == [1]
    # The permit officer (permit.process) sees the full number; a planner and a reader see it masked.
    assert "081234567890" in manager.get(url("participants", event)).content.decode()
    planner = client_as(Role.PERENCANA, event.pemda)
    for client in (planner, reader):
        page = client.get(url("participants", event)).content.decode()
        assert "081234567890" not in page and "0812****7890" in page
    export = manager.get(url("participants", event) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "0812****7890" in cells and "081234567890" not in cells
    # A planner edits the name without seeing, or wiping, the number.
    response = planner.post(
        url("participants", event),
        {"aksi": "ubah", "peserta": str(people[0].pk), "ubah-nama": "Ibu Sari", "ubah-hadir": "on"},
    )
    assert response.status_code == 302
    people[0].refresh_from_db()
    assert (people[0].nama, people[0].telepon) == ("Ibu Sari", "081234567890")


def test_participant_with_bad_phone_is_400(manager: Client, event: Event) -> None:
    response = manager.post(url("participants", event), {"aksi": "tambah", "baru-telepon": "abc"})
    assert response.status_code == 400
    assert "Nomor telepon" in response.content.decode()
    assert not Participant.objects.exists()


# --- items --------------------------------------------------------------------------------------------


def test_items_page_adds_edits_and_deletes(manager: Client, event: Event) -> None:
    assert (
        manager.post(
            url("items", event), {"aksi": "tambah", "jenis": "pengetahuan", "pernyataan": "Saya tahu NIB"}
        ).status_code
        == 302
    )
    item = Item.objects.get()
    assert (
        manager.post(
            url("items", event), {"aksi": "ubah", "butir": item.pk, "pernyataan": "Saya tahu NIB gratis"}
        ).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.pernyataan == "Saya tahu NIB gratis"
    assert (
        manager.post(url("items", event), {"aksi": "tambah", "jenis": "likert", "pernyataan": ""}).status_code
        == 400
    )
    assert manager.post(url("items", event), {"aksi": "hapus", "butir": item.pk}).status_code == 302
    assert not Item.objects.exists()


# --- paper form ---------------------------------------------------------------------------------------


def paper_post(items: dict[str, Item], **overrides: str) -> dict[str, str]:
    data = {
        f"j_{items['p1'].pk}_sebelum": "tidak",
        f"j_{items['p1'].pk}_sesudah": "ya",
        f"j_{items['p2'].pk}_sebelum": "tidak",
        f"j_{items['p2'].pk}_sesudah": "ya",
        f"j_{items['k1'].pk}_sesudah": "5",
        "peserta-nama": "Pak Budi",
        "peserta-hadir": "on",
    }
    data.update(overrides)
    return data


def test_paper_form_page_saves_all_or_nothing(manager: Client, event: Event, items: dict[str, Item]) -> None:
    bad = paper_post(items, **{f"j_{items['k1'].pk}_sesudah": "9"})
    response = manager.post(url("paper_form", event), bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Formulir belum disimpan" in page and 'aria-invalid="true"' in page
    assert not Participant.objects.exists() and not Response.objects.exists()
    response = manager.post(url("paper_form", event), paper_post(items))
    assert response.status_code == 302
    person = Participant.objects.get()
    assert person.nama == "Pak Budi" and Response.objects.filter(peserta=person).count() == 5
    # Reopen the form: the stored answers are selected; a stale save is refused with 409.
    page = manager.get(url("paper_form", event) + f"?peserta={person.pk}").content.decode()
    stamp = re.search(r'name="stamp" value="([0-9a-f]*)"', page)
    assert stamp is not None
    assert 'value="5" selected' in page
    edited = paper_post(items, **{f"j_{items['k1'].pk}_sesudah": "4"}) | {
        "peserta": str(person.pk),
        "stamp": stamp.group(1),
    }
    assert manager.post(url("paper_form", event), edited).status_code == 302
    again = paper_post(items, **{f"j_{items['k1'].pk}_sesudah": "2"}) | {
        "peserta": str(person.pk),
        "stamp": stamp.group(1),
    }
    assert manager.post(url("paper_form", event), again).status_code == 409
    assert Response.objects.get(peserta=person, butir=items["k1"]).nilai == 4


def test_paper_form_of_a_participant_of_another_event_is_404(
    manager: Client, event: Event, items: dict[str, Item], bekasi_event: Event, officer: Any
) -> None:
    other = services.event_create(
        actor=officer, pemda=event.pemda, data=services.EventInput(judul="Lain", tanggal=event.tanggal)
    )
    stranger = services.participant_add(actor=officer, event=other, data=services.ParticipantInput())
    assert manager.get(url("paper_form", event) + f"?peserta={stranger.pk}").status_code == 404


# --- phone form ---------------------------------------------------------------------------------------


def test_phone_link_flow(manager: Client, event: Event, items: dict[str, Item]) -> None:
    response = manager.post(url("phone_link", event), {"aksi": "baru", "version": "1"})
    assert response.status_code == 302
    detail = manager.get(url("detail", event)).content.decode()
    link = re.search(r'<code class="one-time-link">([^<]+)</code>', detail)
    assert link is not None
    path = link.group(1).split("testserver", 1)[1]
    # Shown once only.
    assert "one-time-link" not in manager.get(url("detail", event)).content.decode()
    phone = Client()
    page = phone.get(path)
    assert page.status_code == 200
    assert items["p1"].pernyataan in page.content.decode()
    assert not Participant.objects.exists()  # GET creates nothing (link previews)
    # Missing answers: 400, nothing stored.
    assert phone.post(path, {"saat": "sebelum", f"j_{items['p1'].pk}": "ya"}).status_code == 400
    assert not Participant.objects.exists()
    response = phone.post(
        path, {"saat": "sebelum", f"j_{items['p1'].pk}": "ya", f"j_{items['p2'].pk}": "tidak"}
    )
    assert response.status_code == 302
    person = Participant.objects.get()
    text = phone.get(path).content.decode()
    assert f"Nomor peserta Anda: {person.nomor}" in text
    assert items["k1"].pernyataan in text  # the next moment (sesudah) asks the Likert item too
    response = phone.post(
        path,
        {
            "saat": "sesudah",
            f"j_{items['p1'].pk}": "ya",
            f"j_{items['p2'].pk}": "ya",
            f"j_{items['k1'].pk}": "4",
        },
    )
    assert response.status_code == 302
    assert (
        Participant.objects.count() == 1
        and Response.objects.filter(peserta=person, sumber="ponsel").count() == 5
    )
    assert "sudah mengisi semua bagian" in phone.get(path).content.decode()
    assert phone.post(path, {"saat": "sesudah"}).status_code == 409
    # Another phone is another participant.
    other = Client()
    other.post(path, {"saat": "sebelum", f"j_{items['p1'].pk}": "tidak", f"j_{items['p2'].pk}": "tidak"})
    assert list(Participant.objects.order_by("nomor").values_list("nomor", flat=True)) == [1, 2]
    # Renewing the link stops the old one.
    event.refresh_from_db()
    manager.post(url("phone_link", event), {"aksi": "baru", "version": str(event.version)})
    assert Client().get(path).status_code == 404


@pytest.mark.parametrize("token", ["tidak-dikenal", "x" * 150, "%00"])
def test_unknown_phone_links_are_404(token: str) -> None:
    # A NUL in the path is refused earlier by the project's middleware (400).
    expected = (400, 404) if token == "%00" else (404,)
    assert Client().get(f"/sosialisasi/isi/{token}/").status_code in expected
    assert Client().post(f"/sosialisasi/isi/{token}/", {"saat": "sebelum"}).status_code in expected


def test_phone_form_without_items_says_so(manager: Client, event: Event) -> None:
    manager.post(url("phone_link", event), {"aksi": "baru", "version": "1"})
    link = re.search(
        r'<code class="one-time-link">([^<]+)</code>', manager.get(url("detail", event)).content.decode()
    )
    assert link is not None
    path = link.group(1).split("testserver", 1)[1]
    assert "belum disiapkan" in Client().get(path).content.decode()
    assert Client().post(path, {"saat": "sebelum"}).status_code == 409


# --- aggregates and results ---------------------------------------------------------------------------


def test_aggregate_import_through_the_page(manager: Client, event: Event) -> None:
    upload = SimpleUploadedFile("pengetahuan.csv", KNOWLEDGE_CSV.read_bytes(), content_type="text/csv")
    response = manager.post(url("aggregate", event), {"aksi": "uji", "berkas": upload, "n": "20"})
    assert response.status_code == 200 and "Uji coba berhasil" in response.content.decode()
    assert not Item.objects.exists()
    for path in (KNOWLEDGE_CSV, LIKERT_CSV):
        upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
        response = manager.post(url("aggregate", event), {"aksi": "impor", "berkas": upload, "n": "20"})
        assert response.status_code == 302, response.content.decode()[:2000]
    assert Item.objects.filter(kegiatan=event).count() == 16
    assert AggregateResult.objects.filter(n=20).count() == 16
    bad = SimpleUploadedFile("x.csv", b"no,pernyataan,rata_rata\n1,Satu,7\n", content_type="text/csv")
    response = manager.post(url("aggregate", event), {"aksi": "impor", "berkas": bad})
    assert response.status_code == 400 and "Berkas ditolak" in response.content.decode()
    wrong = SimpleUploadedFile("x.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert manager.post(url("aggregate", event), {"aksi": "impor", "berkas": wrong}).status_code == 400


def test_aggregate_form_through_the_page(manager: Client, event: Event, items: dict[str, Item]) -> None:
    data = {
        "aksi": "simpan",
        f"a_{items['p1'].pk}_sebelum_persen": "35",
        f"a_{items['p1'].pk}_sesudah_persen": "100",
        f"a_{items['p1'].pk}_n": "20",
        f"a_{items['k1'].pk}_rata_rata": "4,63",
        "sumber": "Studi",
    }
    bad = data | {f"a_{items['k1'].pk}_rata_rata": "5.319.05"}
    response = manager.post(url("aggregate", event), bad)
    assert response.status_code == 400 and "ambigu" in response.content.decode()
    assert not AggregateResult.objects.exists()
    assert manager.post(url("aggregate", event), data).status_code == 302
    page = manager.get(url("results", event)).content.decode()
    assert "4,63" in page and "65,00" in page


def test_results_page_shows_the_bekasi_numbers(reader: Client, bekasi_event: Event) -> None:
    page = reader.get(url("results", bekasi_event)).content.decode()
    assert re.search(r'data-testid="kepuasan-keseluruhan">4,70<', page)
    assert re.search(r'data-testid="gain-rata-rata">61,00<', page)
    assert "(4,63 + 4,62 + 4,65 + 4,77 + 5,00 + 4,54) / 6 = 4,7017 → 4,70" in page
    assert "35,00%" in page and "100,00%" in page and "0,61 (sedang)" in page
    assert (
        page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    )  # no distribution without answers
    assert " style=" not in page.split("<main", 1)[1]
    assert "angka terbitan" in page


def test_results_downloads(reader: Client, bekasi_event: Event) -> None:
    xlsx = reader.get(url("results_xlsx", bekasi_event))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Keterangan kegiatan", "Pengetahuan", "Kepuasan"]
    knowledge = list(workbook["Pengetahuan"].iter_rows(values_only=True))
    assert knowledge[1][:6] == (1, "Saya memahami pentingnya pengurusan ijin usaha", 35, 100, 65, 1)
    likert = list(workbook["Kepuasan"].iter_rows(values_only=True))
    assert likert[-1][8] == 4.7
    pdf = reader.get(url("results_pdf", bekasi_event))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "4,70" in text and "Pasar Kaget" in text


def test_results_of_an_empty_event(reader: Client, event: Event) -> None:
    page = reader.get(url("results", event)).content.decode()
    assert "Belum ada butir instrumen" in page
    assert reader.get(url("results_pdf", event)).status_code == 200
    assert reader.get(url("results_xlsx", event)).status_code == 200


def test_formula_text_stays_text_in_xlsx(manager: Client, event: Event, officer: Any) -> None:
    services.item_add(actor=officer, event=event, jenis="likert", pernyataan='=HYPERLINK("http://x")')
    xlsx = manager.get(url("results_xlsx", event))
    cell = load_workbook(io.BytesIO(xlsx.content))["Kepuasan"].cell(row=2, column=2)
    assert cell.data_type == "s"


def test_every_write_is_audited(manager: Client, event: Event, items: dict[str, Item]) -> None:
    before = AuditEvent.objects.count()
    manager.post(url("paper_form", event), paper_post(items))
    manager.post(url("participants", event), {"aksi": "tambah_banyak", "kosong-jumlah": "2"})
    assert AuditEvent.objects.count() == before + 3  # participant, form, blank participants


def test_results_and_list_pages_use_a_fixed_number_of_queries(
    reader: Client, bekasi_event: Event, officer: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(target: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert reader.get(target).status_code == 200
        return len(captured.captured_queries)

    results_url = url("results", bekasi_event)
    list_url = reverse("outreach:list", kwargs={"kode": "32.75"})
    count(results_url)  # the first request also writes the session
    before = (count(results_url), count(list_url))
    for number in range(5):
        services.item_add(actor=officer, event=bekasi_event, jenis="likert", pernyataan=f"Tambahan {number}")
        services.event_create(
            actor=officer,
            pemda=bekasi_event.pemda,
            data=services.EventInput(judul=f"Kegiatan {number}", tanggal=bekasi_event.tanggal),
        )
    services.participants_add_blank(actor=officer, event=bekasi_event, jumlah=30)
    assert (count(results_url), count(list_url)) == before


def test_pdf_unavailable_is_a_message_not_a_500(
    reader: Client, bekasi_event: Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rencana.monitoring.reports import PdfUnavailableError
    from rencana.outreach import reports

    def broken(_results: Any) -> bytes:
        raise PdfUnavailableError("PDF tidak dapat dibuat: libpango-1.0-0 belum terpasang.")

    monkeypatch.setattr(reports, "report_pdf", broken)
    response = reader.get(url("results_pdf", bekasi_event))
    assert response.status_code == 503
    assert "libpango" in response.content.decode()
