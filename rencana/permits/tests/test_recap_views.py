"""Pages of recaps: the import flow (upload -> dry run -> confirm), a stored recap, the aggregate report."""

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from rencana.conftest import make_pemda
from rencana.core.roles import Role
from rencana.permits import recap, services_recap
from rencana.permits.models import ApplicationStatus, PermitType, RecapImport, RecapRow
from rencana.permits.tests.test_recap_pure import (
    CLEAN,
    CORRECTED,
    LAMPUNG,
    PRINTED_PROBLEMS,
    as_xlsx,
    lampung_rows,
)
from rencana.permits.tests.test_recap_service import make_application, make_group
from rencana.regions.models import Pemda

pytestmark = pytest.mark.django_db

PROBLEM_ROW = re.compile(
    r'<tr data-jenis="(?P<jenis>[a-z_]+)">\s*<td class="num">(?P<baris>\d+)</td>\s*'
    r"<td><code>(?P<kolom>[a-z_]+)</code>"
)


@pytest.fixture
def lampung(db: Any) -> Pemda:
    return make_pemda("18", "Provinsi Lampung", "provinsi")


@pytest.fixture
def officer(lampung: Pemda, client_as: Callable[..., Client]) -> Client:
    return client_as(Role.PETUGAS_IZIN, lampung)


def url(name: str, pemda: Pemda, **kwargs: Any) -> str:
    return reverse(f"permits:{name}", kwargs={"kode": pemda.kode, **kwargs})


def upload(
    client: Client, pemda: Pemda, data: bytes, name: str = "hkm_kelompok_lampung_2005.csv", **extra: Any
) -> Any:
    return client.post(
        url("recap_import", pemda),
        {"berkas": SimpleUploadedFile(name, data), "aksi": "periksa", **extra},
    )


def problems_on(page: str) -> list[tuple[int, str, str]]:
    return [(int(m["baris"]), m["kolom"], m["jenis"]) for m in PROBLEM_ROW.finditer(page)]


def test_printed_file_is_rejected_on_the_page_with_the_four_problems(lampung: Pemda, officer: Client) -> None:
    response = upload(officer, lampung, LAMPUNG)
    assert response.status_code == 400
    page = response.content.decode()
    assert problems_on(page) == [(b, k, j) for b, k, j, _t in PRINTED_PROBLEMS]
    assert "5.319.05" in page and "14.932" in page and "14.902" in page
    assert page.count('class="badge error"') == 1 and page.count('class="badge warn"') >= 3
    assert 'value="impor"' not in page  # no confirm button for a rejected file
    assert not RecapImport.objects.exists()


def test_confirm_is_refused_for_a_rejected_file_even_when_forged(lampung: Pemda, officer: Client) -> None:
    page = upload(officer, lampung, LAMPUNG).content.decode()
    assert 'name="token"' not in page
    forged = officer.post(url("recap_import", lampung), {"aksi": "impor", "token": "0" * 32})
    assert forged.status_code == 400
    assert not RecapImport.objects.exists()


def test_corrected_file_dry_run_then_confirm(lampung: Pemda, officer: Client) -> None:
    response = upload(officer, lampung, CORRECTED, judul="Kelompok HKm Lampung 2005", tahun="2005")
    assert response.status_code == 200
    page = response.content.decode()
    assert problems_on(page) == [(b, k, j) for b, k, j, _t in PRINTED_PROBLEMS[1:]]
    assert 'value="impor"' in page and not RecapImport.objects.exists()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page)
    assert token is not None
    confirm = officer.post(
        url("recap_import", lampung),
        {
            "aksi": "impor",
            "token": token.group(1),
            "nama_berkas": "hkm_kelompok_lampung_2005.csv",
            "judul": "Kelompok HKm Lampung 2005",
            "tahun": "2005",
            "sumber": "",
        },
    )
    rekap = RecapImport.objects.get()
    assert confirm.status_code == 302
    assert confirm["Location"] == url("recap_detail", lampung, recap_id=rekap.pk)
    assert (rekap.judul, rekap.tahun, len(rekap.masalah)) == ("Kelompok HKm Lampung 2005", 2005, 3)
    assert RecapRow.objects.filter(rekap=rekap).count() == 9
    # The same file again: nothing new, said so, and a link to the stored recap.
    again = upload(officer, lampung, CORRECTED)
    assert again.status_code == 200
    body = again.content.decode()
    assert url("recap_detail", lampung, recap_id=rekap.pk) in body and 'value="impor"' not in body
    assert RecapImport.objects.count() == 1


def test_detail_shows_rows_warnings_and_reconciliation(
    lampung: Pemda, officer: Client, client_as: Any
) -> None:
    result = services_recap.recap_import(actor=None, pemda=lampung, data=CORRECTED, nama_berkas="lampung.csv")
    reader = client_as(Role.PIMPINAN, lampung)
    page = reader.get(url("recap_detail", lampung, recap_id=result.rekap_id)).content.decode()
    assert problems_on(page) == [(b, k, j) for b, k, j, _t in PRINTED_PROBLEMS[1:]]
    assert "Lampung Tengah" in page and "5.319,05" in page and "14.932" in page and "14.902" in page
    export = reader.get(url("recap_detail", lampung, recap_id=result.rekap_id) + "?format=xlsx")
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(export.content))
    assert workbook.sheetnames == ["Rekap", "Masalah", "Rekonsiliasi"]
    listing = reader.get(url("recap", lampung)).content.decode()
    assert "lampung.csv" in listing
    assert url("recap_import", lampung) not in listing  # a reader cannot import


def test_xlsx_upload_and_clean_file(lampung: Pemda, officer: Client) -> None:
    response = upload(officer, lampung, as_xlsx(lampung_rows("5.319.05")), name="lampung.xlsx")
    assert problems_on(response.content.decode()) == [(b, k, j) for b, k, j, _t in PRINTED_PROBLEMS]
    clean = upload(officer, lampung, CLEAN, name="bersih.csv")
    assert clean.status_code == 200 and "Tidak ada galat maupun peringatan" in clean.content.decode()


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"%PDF-1.7 ...", "rekap.csv", "PDF"),
        (b"", "kosong.csv", "kosong"),
        (b"\x00\x01\x02", "biner.csv", "biner"),
        (b"nama,umur\nBudi,40", "orang.csv", "tidak dikenal"),
    ],
)
def test_hostile_uploads_get_a_clear_message(
    lampung: Pemda, officer: Client, data: bytes, name: str, fragment: str
) -> None:
    response = upload(officer, lampung, data, name=name)
    assert response.status_code == 400
    assert fragment in response.content.decode()
    assert not RecapImport.objects.exists()


def test_huge_upload_is_refused_before_reading(lampung: Pemda, officer: Client) -> None:
    response = upload(officer, lampung, b"a" * (recap.MAX_BYTES + 1), name="besar.csv")
    assert response.status_code == 400 and "terlalu besar" in response.content.decode()


@pytest.mark.parametrize(
    "post",
    [
        {"aksi": "impor"},
        {"aksi": "impor", "token": "../../etc/passwd"},
        {"aksi": "impor", "token": "f" * 32},
        {"aksi": "periksa", "tahun": "abad"},
    ],
)
def test_bad_posts(lampung: Pemda, officer: Client, post: dict[str, str]) -> None:
    response = officer.post(url("recap_import", lampung), post)
    assert response.status_code == 400
    assert not RecapImport.objects.exists()


def test_access(lampung: Pemda, client_as: Callable[..., Client], pemda_b: Pemda) -> None:
    result = services_recap.recap_import(actor=None, pemda=lampung, data=CLEAN, nama_berkas="rahasia.csv")
    detail = url("recap_detail", lampung, recap_id=result.rekap_id)
    reader = client_as(Role.PIMPINAN, lampung)
    assert reader.get(url("recap_import", lampung)).status_code == 403
    assert reader.get(url("recap_template", lampung)).status_code == 403
    assert reader.get(detail).status_code == 200
    applicant = client_as(Role.PEMOHON, lampung)
    assert applicant.get(detail).status_code == 403
    outsider = client_as(Role.PETUGAS_IZIN, pemda_b)
    assert outsider.get(detail).status_code == 404
    # Its own pemda's URL with another pemda's recap id: not found, nothing leaks.
    response = outsider.get(url("recap_detail", pemda_b, recap_id=result.rekap_id))
    assert response.status_code == 404 and "rahasia.csv" not in response.content.decode()
    assert "rahasia.csv" not in outsider.get(url("recap", pemda_b)).content.decode()


def test_template_download(lampung: Pemda, officer: Client) -> None:
    response = officer.get(url("recap_template", lampung))
    assert response.status_code == 200
    assert recap.read_recap(response.content, "templat.xlsx").masalah == []


def test_aggregate_report_page_and_export(
    officer: Client, client_as: Callable[..., Client], django_assert_max_num_queries: Callable[..., Any]
) -> None:
    tanggamus = make_pemda("18.06", "Kabupaten Tanggamus")
    hkm = PermitType.objects.create(kode="hkm", nama="Persetujuan Pengelolaan HKm", definisi={})
    group = make_group(tanggamus, "KTH Sumber Rejeki", "18.06.01.2001", 17, luas="12.5")
    make_application(tanggamus, hkm, group, ApplicationStatus.DISETUJUI)
    client = client_as(Role.PIMPINAN, tanggamus)
    page = client.get(url("recap", tanggamus))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kabupaten Tanggamus" in body and "12,50" in body and "Belum ada tabel rekap" in body
    with django_assert_max_num_queries(12):
        client.get(url("recap", tanggamus))
    export = client.get(url("recap", tanggamus) + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[1][:6] == ("18.06", "Kabupaten Tanggamus", 1, 0, 1, 17)
    assert rows[-1][1] == "TOTAL"


def test_empty_pages_render(lampung: Pemda, officer: Client) -> None:
    assert officer.get(url("recap", lampung)).status_code == 200
    assert officer.get(url("recap_import", lampung)).status_code == 200
    assert officer.get(url("recap_detail", lampung, recap_id=999999)).status_code == 404
