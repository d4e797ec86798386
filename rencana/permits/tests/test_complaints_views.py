"""Complaint pages: the public form (anonymous allowed, limits, hostile input never a 500) and the
Inspektorat's inbox (only complaint.view of that pemda; list, filter, pages, detail, follow-up, XLSX export
with the reporter's data masked)."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from rencana.conftest import make_pemda
from rencana.core.roles import Role
from rencana.permits import services_public as sp
from rencana.permits.models import Complaint
from rencana.permits.tests.test_public_tracking import Case, tanggamus_case
from rencana.regions.models import Pemda

STORY = "Ada yang minta Rp 1.500.000 supaya usulan HKm kelompok kami cepat diproses. Penandacerita"


@pytest.fixture
def case(make_user: Callable[..., Any]) -> Case:
    return tanggamus_case(make_user, members=3)


def public_url(pemda: Pemda) -> str:
    return reverse("permits:complaint_public", kwargs={"kode": pemda.kode})


def inbox_url(pemda: Pemda) -> str:
    return reverse("permits:complaints", kwargs={"kode": pemda.kode})


def detail_url(pemda: Pemda, complaint: Complaint) -> str:
    return reverse("permits:complaint_detail", kwargs={"kode": pemda.kode, "complaint_id": complaint.pk})


def export_url(pemda: Pemda) -> str:
    return reverse("permits:complaint_export", kwargs={"kode": pemda.kode})


def send(client: Client, pemda: Pemda, **fields: str) -> Any:
    """Open the form (as a browser does), then post it."""
    client.get(public_url(pemda))
    return client.post(public_url(pemda), {"isi": STORY, **fields})


def login(make_user: Callable[..., Any], role: Role, pemda: Pemda) -> Client:
    client = Client()
    client.force_login(make_user(role, pemda))
    return client


# --- the public form --------------------------------------------------------------------------------------


def test_the_form_is_public_and_prefills_the_code(case: Case) -> None:
    code = case.application.kode_lacak
    response = Client().get(public_url(case.pemda), {"kode_lacak": code})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kabupaten Tanggamus" in html
    assert f'value="{code}"' in html
    assert "boleh tidak menulis nama" in html


def test_anonymous_complaint_reaches_the_inspektorat_inbox(case: Case, make_user: Callable[..., Any]) -> None:
    client = Client()
    response = send(client, case.pemda, kode_lacak=case.application.kode_lacak.lower())
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert "Pengaduan Anda sudah diterima" in thanks.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.permohonan_id == case.application.pk and complaint.nama == ""

    inspector = login(make_user, Role.INSPEKTORAT, case.pemda)
    inbox = inspector.get(inbox_url(case.pemda))
    html = inbox.content.decode()
    assert inbox.status_code == 200
    assert "Penandacerita" in html
    assert "Anonim" in html
    assert detail_url(case.pemda, complaint) in html
    detail = inspector.get(detail_url(case.pemda, complaint))
    assert detail.status_code == 200
    assert "Penandacerita" in detail.content.decode()
    assert (
        reverse("permits:track", kwargs={"kode_lacak": case.application.kode_lacak})
        in detail.content.decode()
    )


def test_a_post_without_the_form_session_is_shown_again_and_stores_nothing(case: Case) -> None:
    response = Client().post(public_url(case.pemda), {"isi": STORY, "nama": "Penandanama"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Penandacerita" in html and "Penandanama" in html  # the text typed is not lost
    assert not Complaint.objects.exists()


def test_invalid_complaint_shows_the_field_error(case: Case) -> None:
    client = Client()
    client.get(public_url(case.pemda))
    response = client.post(public_url(case.pemda), {"isi": "uang"})
    assert response.status_code == 400
    assert 'id="galat-isi"' in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_session_limit_applies_through_the_page(case: Case, settings: Any) -> None:
    settings.RENCANA_COMPLAINTS_PER_HOUR = 2
    client = Client()
    assert send(client, case.pemda).status_code == 302
    assert send(client, case.pemda).status_code == 302
    response = send(client, case.pemda)
    assert response.status_code == 429
    assert "satu jam terakhir" in response.content.decode()
    assert Complaint.objects.count() == 2


HOSTILE = [
    {"isi": "<script>alert('x')</script> minta uang banyak sekali", "nama": "<b>x</b>", "kontak": "=1+2"},
    {"isi": "x" * 200_000},
    {"isi": "Minta uang \u202e\u2066 " * 50, "kode_lacak": "' OR 1=1 --"},
    {"isi": "😀" * 100, "nama": "😀" * 500, "kontak": "\x1b[31m" * 10},
    {"isi": ""},
    {},
    {"isi": ["a", "b"]},
]


@pytest.mark.parametrize("fields", HOSTILE)
def test_hostile_input_never_500_and_is_escaped(case: Case, fields: dict[str, Any]) -> None:
    client = Client()
    client.get(public_url(case.pemda))
    response = client.post(public_url(case.pemda), fields)
    assert response.status_code in (302, 400)
    html = response.content.decode()
    assert "<script>alert" not in html and "<b>x</b>" not in html


def test_nul_characters_are_refused(case: Case) -> None:
    client = Client()
    client.get(public_url(case.pemda))
    response = client.post(public_url(case.pemda), {"isi": "minta uang\x00 banyak"})
    assert response.status_code == 400
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("kode", ["99.99", "abc", "18.06.05", "..", "<x>", "18.06%00"])
def test_unknown_pemda_is_404(case: Case, kode: str) -> None:
    assert Client().get(f"/izin/pengaduan-publik/{kode}/").status_code in (400, 404)
    assert Client().post(f"/izin/pengaduan-publik/{kode}/", {"isi": STORY}).status_code in (400, 403, 404)


def test_inactive_pemda_takes_no_complaints(case: Case) -> None:
    Pemda.objects.filter(pk=case.pemda.pk).update(aktif=False)
    assert Client().get(public_url(case.pemda)).status_code == 404


# --- who may read the inbox -------------------------------------------------------------------------------


def test_pendamping_and_officers_cannot_read_complaints(case: Case, make_user: Callable[..., Any]) -> None:
    complaint = sp.complaint_create(pemda=case.pemda, isi=STORY)
    for role in (Role.PENDAMPING, Role.PETUGAS_IZIN, Role.PEMOHON):
        client = login(make_user, role, case.pemda)
        for url in (inbox_url(case.pemda), detail_url(case.pemda, complaint), export_url(case.pemda)):
            response = client.get(url)
            assert response.status_code == 403, (role, url)
            assert "Penandacerita" not in response.content.decode()
        response = client.post(detail_url(case.pemda, complaint), {"status": "selesai", "tindak_lanjut": "x"})
        assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == "baru"


def test_another_pemdas_inspektorat_gets_404(case: Case, make_user: Callable[..., Any]) -> None:
    other = make_pemda("35.75", "Kota Pasuruan", "kota")
    complaint = sp.complaint_create(pemda=case.pemda, isi=STORY)
    client = login(make_user, Role.INSPEKTORAT, other)
    for url in (
        inbox_url(case.pemda),
        detail_url(case.pemda, complaint),
        export_url(case.pemda),
        detail_url(other, complaint),  # the id through their own pemda
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Penandacerita" not in response.content.decode()
    assert "Penandacerita" not in client.get(inbox_url(other)).content.decode()
    assert (
        client.post(detail_url(other, complaint), {"status": "selesai", "tindak_lanjut": "x"}).status_code
        == 404
    )


def test_anonymous_visitor_is_sent_to_login(case: Case) -> None:
    response = Client().get(inbox_url(case.pemda))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_admin_of_the_pemda_may_read_the_inbox(case: Case, make_user: Callable[..., Any]) -> None:
    sp.complaint_create(pemda=case.pemda, isi=STORY)
    assert login(make_user, Role.ADMIN_PEMDA, case.pemda).get(inbox_url(case.pemda)).status_code == 200


# --- the inbox --------------------------------------------------------------------------------------------


def test_status_filter_and_pagination(
    case: Case,
    make_user: Callable[..., Any],
    settings: Any,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    settings.RENCANA_PAGE_SIZE = 2
    inspector_user = make_user(Role.INSPEKTORAT, case.pemda)
    made = [sp.complaint_create(pemda=case.pemda, isi=f"{STORY} nomor {i}") for i in range(5)]
    sp.complaint_update(
        actor=inspector_user, complaint=made[0], status="selesai", tindak_lanjut="Sudah diperiksa"
    )
    client = Client()
    client.force_login(inspector_user)
    with django_assert_max_num_queries(12):
        first = client.get(inbox_url(case.pemda))
    assert first.status_code == 200
    html = first.content.decode()
    assert "Halaman 1 dari 3" in html
    assert html.count("nomor ") == 2
    done = client.get(inbox_url(case.pemda), {"status": "selesai"}).content.decode()
    assert "nomor 0" in done and "nomor 1" not in done
    for params in ({"status": "junk"}, {"halaman": "999"}, {"halaman": "-1"}, {"halaman": "x" * 300}):
        assert client.get(inbox_url(case.pemda), params).status_code == 200


def test_follow_up_through_the_page_and_stale_form_gets_409(
    case: Case, make_user: Callable[..., Any]
) -> None:
    complaint = sp.complaint_create(pemda=case.pemda, isi=STORY)
    client = login(make_user, Role.INSPEKTORAT, case.pemda)
    page = client.get(detail_url(case.pemda, complaint)).content.decode()
    version = page.split('name="versi" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        detail_url(case.pemda, complaint),
        {"status": "ditindaklanjuti", "tindak_lanjut": "Pelapor dihubungi.", "versi": version},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "ditindaklanjuti"
    stale = client.post(
        detail_url(case.pemda, complaint),
        {"status": "selesai", "tindak_lanjut": "Ditutup.", "versi": version},
    )
    assert stale.status_code == 409
    complaint.refresh_from_db()
    assert complaint.status == "ditindaklanjuti"


@pytest.mark.parametrize(
    "data",
    [
        {"status": "selesai", "tindak_lanjut": ""},
        {"status": "<script>", "tindak_lanjut": "x"},
        {"status": "selesai", "tindak_lanjut": "x" * 10_000},
        {},
    ],
)
def test_invalid_follow_up_through_the_page(
    case: Case, make_user: Callable[..., Any], data: dict[str, str]
) -> None:
    complaint = sp.complaint_create(pemda=case.pemda, isi=STORY)
    client = login(make_user, Role.INSPEKTORAT, case.pemda)
    response = client.post(
        detail_url(case.pemda, complaint), {**data, "versi": sp.complaint_fingerprint(complaint)}
    )
    assert response.status_code == 400
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    complaint.refresh_from_db()
    assert complaint.status == "baru"


def test_unknown_complaint_id_is_404(case: Case, make_user: Callable[..., Any]) -> None:
    client = login(make_user, Role.INSPEKTORAT, case.pemda)
    assert client.get(f"/pemda/{case.pemda.kode}/izin/pengaduan/999999/").status_code == 404
    assert client.get(f"/pemda/{case.pemda.kode}/izin/pengaduan/99999999999999999999/").status_code == 404


def test_export_masks_the_reporter_and_neutralises_formulas(
    case: Case, make_user: Callable[..., Any]
) -> None:
    sp.complaint_create(
        pemda=case.pemda,
        isi='=HYPERLINK("http://x") minta uang',
        nama="Budi Penandanama",
        kontak="081234567890",
    )
    sp.complaint_create(pemda=case.pemda, isi=STORY, kontak="warga@contoh.id")
    sp.complaint_create(pemda=case.pemda, isi=STORY)
    response = login(make_user, Role.INSPEKTORAT, case.pemda).get(export_url(case.pemda))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    values = [str(v) for row in rows for v in row if v is not None]
    text = " ".join(values)
    assert "Penandanama" not in text and "081234567890" not in text and "warga@" not in text
    assert "B*** P***" in values and "0812*****890" in values and "w****@contoh.id" in values
    assert "anonim" in values
    formula_cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.data_type == "f"]
    assert formula_cells == []
    assert any(v.startswith("'=HYPERLINK") for v in values)
