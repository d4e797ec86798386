"""OPD import from XLSX and CSV: service level and through the page."""

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from rencana.core.errors import ApplicationError
from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.regions import services
from rencana.regions.models import Opd, Pemda
from rencana.regions.opd_import import OpdApplier, opd_import_run, opd_import_template_bytes

pytestmark = pytest.mark.django_db

HEADER: list[Any] = ["Kode", "Nama", "Singkatan", "Urusan/bidang", "Aktif"]
GOOD: list[list[Any]] = [
    HEADER,
    ["1.01", "Dinas Pendidikan", "Disdik", "Pendidikan", "ya"],
    ["1.02", "Dinas Kesehatan", "Dinkes", "Kesehatan", None],
    ["A.01", "Dinas Rahasia Kotabaru", None, None, "tidak"],  # exists in the fixture: deactivated
]


def xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(tmp_path: Path, rows: Sequence[Sequence[Any]], name: str = "opd.xlsx") -> Path:
    path = tmp_path / name
    if name.endswith(".csv"):
        lines = [";".join("" if c is None else str(c) for c in row) for row in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    else:
        path.write_bytes(xlsx_bytes(rows))
    return path


def audit_count(pemda: Pemda) -> int:
    return AuditEvent.objects.filter(pemda_id=pemda.pk).count()


@pytest.mark.parametrize("name", ["opd.xlsx", "opd.csv"])
def test_good_file_creates_updates_and_reimport_changes_nothing(
    pemda_a: Pemda, make_user: Any, tmp_path: Path, name: str
) -> None:
    actor = make_user()
    path = write(tmp_path, GOOD, name)
    before = audit_count(pemda_a)
    result = opd_import_run(actor=actor, pemda=pemda_a, path=path, dry_run=False)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    dinkes = Opd.objects.get(pemda=pemda_a, kode="1.02")
    assert (dinkes.nama, dinkes.singkatan, dinkes.urusan, dinkes.aktif) == (
        "Dinas Kesehatan",
        "Dinkes",
        "Kesehatan",
        True,
    )
    assert not Opd.objects.get(pemda=pemda_a, kode="A.01").aktif
    assert Opd.objects.filter(pemda=pemda_a, kode="A.02", aktif=True).exists()  # not in file: untouched
    events = audit_count(pemda_a)
    assert events == before + 3

    again = opd_import_run(actor=actor, pemda=pemda_a, path=path, dry_run=False)
    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert audit_count(pemda_a) == events


def test_absent_optional_column_keeps_stored_value(pemda_a: Pemda, make_user: Any, tmp_path: Path) -> None:
    Opd.objects.filter(pemda=pemda_a, kode="A.02").update(singkatan="BK", aktif=False)
    path = write(tmp_path, [["kode", "NAMA"], ["A.02", "Badan Khusus Kotabaru"]])
    result = opd_import_run(actor=make_user(), pemda=pemda_a, path=path, dry_run=False)
    assert (result.ok, result.unchanged) == (True, 1)
    opd = Opd.objects.get(pemda=pemda_a, kode="A.02")
    assert (opd.singkatan, opd.aktif) == ("BK", False)


def test_export_of_the_list_can_be_imported_back_unchanged(
    pemda_a: Pemda, client_as: Any, make_user: Any, tmp_path: Path
) -> None:
    client = client_as(Role.ADMIN_PEMDA, pemda_a)
    exported = client.get(reverse("regions:opd_export", kwargs={"kode": pemda_a.kode}), {"status": "semua"})
    path = tmp_path / "ekspor.xlsx"
    path.write_bytes(exported.content)
    result = opd_import_run(actor=make_user(), pemda=pemda_a, path=path, dry_run=False)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (
        0,
        0,
        Opd.objects.filter(pemda=pemda_a).count(),
    )


def test_bad_rows_are_all_reported_and_nothing_is_written(
    pemda_a: Pemda, make_user: Any, tmp_path: Path
) -> None:
    rows: list[list[Any]] = [
        HEADER,
        ["1.01", "Dinas Pendidikan", None, None, None],  # good
        ["1.02", None, None, None, None],  # missing nama
        ["K" * 41, "Kode terlalu panjang", None, None, None],
        ["1.03", "Dinas A", None, None, None],
        ["1.03", "Dinas B", None, None, None],  # duplicate kode in file
        ["1.04", "Dinas C", None, None, "mungkin"],  # bad aktif
    ]
    before = (Opd.objects.count(), AuditEvent.objects.count())
    result = opd_import_run(actor=make_user(), pemda=pemda_a, path=write(tmp_path, rows), dry_run=False)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "Nama"),
        (4, "Kode"),
        (5, "Kode"),
        (6, "Kode"),
        (7, "Aktif"),
    ]
    messages = [e.message for e in result.errors]
    assert messages[0] == "Wajib diisi."
    assert "40 karakter" in messages[1]
    assert "muncul lebih dari sekali" in messages[2] and "baris 5, 6" in messages[3]
    assert "ya" in messages[4] and result.errors[4].value == "mungkin"
    assert (Opd.objects.count(), AuditEvent.objects.count()) == before


def test_service_refusal_becomes_row_error(
    pemda_a: Pemda, make_user: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: Any) -> Opd:
        raise ApplicationError("Data OPD belum benar.", errors=[{"kolom": "nama", "pesan": "Nama ditolak."}])

    monkeypatch.setattr(services, "opd_create", refuse)
    rows: list[list[Any]] = [HEADER, ["1.01", "Dinas Baru", None, None, None]]
    result = opd_import_run(actor=make_user(), pemda=pemda_a, path=write(tmp_path, rows), dry_run=False)
    assert [(e.row, e.column, e.value, e.message) for e in result.errors] == [
        (2, "Nama", "Dinas Baru", "Nama ditolak.")
    ]


def test_concurrent_edit_is_a_row_error_and_rolls_everything_back(
    pemda_a: Pemda, make_user: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load = OpdApplier.load

    def load_then_someone_edits(self: OpdApplier, rows: Any) -> None:
        load(self, rows)
        Opd.objects.filter(pemda=pemda_a, kode="A.01").update(version=F("version") + 1)

    monkeypatch.setattr(OpdApplier, "load", load_then_someone_edits)
    result = opd_import_run(actor=make_user(), pemda=pemda_a, path=write(tmp_path, GOOD), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(4, "")]
    assert "diubah oleh pengguna lain" in result.errors[0].message
    assert not Opd.objects.filter(pemda=pemda_a, kode="1.01").exists()
    assert Opd.objects.get(pemda=pemda_a, kode="A.01").aktif


def test_dry_run_writes_nothing_but_counts_exactly(pemda_a: Pemda, make_user: Any, tmp_path: Path) -> None:
    before = (Opd.objects.count(), AuditEvent.objects.count())
    result = opd_import_run(actor=make_user(), pemda=pemda_a, path=write(tmp_path, GOOD), dry_run=True)
    assert result.ok and result.dry_run
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    assert (Opd.objects.count(), AuditEvent.objects.count()) == before


def test_corrupt_file_gives_a_clean_error(pemda_a: Pemda, make_user: Any, tmp_path: Path) -> None:
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(bytes(range(256)) * 20)
    result = opd_import_run(actor=make_user(), pemda=pemda_a, path=path, dry_run=True)
    assert not result.ok
    assert len(result.errors) == 1 and "tidak dapat dibaca" in result.errors[0].message


def test_template_matches_the_import(pemda_a: Pemda, make_user: Any, tmp_path: Path) -> None:
    content = opd_import_template_bytes()
    workbook = load_workbook(io.BytesIO(content))
    assert [c.value for c in workbook["OPD"][1]] == HEADER
    assert "Petunjuk" in workbook.sheetnames
    sheet = workbook["OPD"]
    sheet.append(["1.10", "Dinas Baru"])
    path = tmp_path / "templat.xlsx"
    workbook.save(path)
    result = opd_import_run(actor=make_user(), pemda=pemda_a, path=path, dry_run=False)
    assert result.ok and result.created == 1
    assert Opd.objects.filter(pemda=pemda_a, kode="1.10", aktif=True).exists()


# Through the page ----------------------------------------------------------------------------------


def import_url(pemda: Pemda) -> str:
    return reverse("regions:opd_import", kwargs={"kode": pemda.kode})


def test_page_checks_then_imports(pemda_a: Pemda, client_as: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_as(Role.ADMIN_PEMDA, pemda_a)
    upload = SimpleUploadedFile("opd.xlsx", xlsx_bytes(GOOD))
    checked = client.post(import_url(pemda_a), {"berkas": upload, "aksi": "periksa"})
    body = checked.content.decode()
    assert checked.status_code == 200
    assert "2 OPD baru, 1 diperbarui, 0 tidak berubah" in body
    assert not Opd.objects.filter(pemda=pemda_a, kode="1.01").exists()
    token = re.search(r'name="token" value="([^"]+)"', body)
    assert token is not None
    done = client.post(import_url(pemda_a), {"token": token[1], "aksi": "impor"})
    assert done.status_code == 302
    assert Opd.objects.filter(pemda=pemda_a, kode__in=["1.01", "1.02"]).count() == 2
    template = client.get(reverse("regions:opd_import_template", kwargs={"kode": pemda_a.kode}))
    assert template.status_code == 200 and template.content.startswith(b"PK")


def test_page_lists_every_error(pemda_a: Pemda, client_as: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_as(Role.ADMIN_PEMDA, pemda_a)
    csv_text = "Kode;Nama;Aktif\n1.01;;ya\n1.02;Dinas;mungkin\n"
    upload = SimpleUploadedFile("opd.csv", csv_text.encode())
    response = client.post(import_url(pemda_a), {"berkas": upload, "aksi": "periksa"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ada 2 kesalahan" in body and "Wajib diisi." in body and "mungkin" in body


def test_page_corrupt_upload_is_not_a_500(
    pemda_a: Pemda, client_as: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_as(Role.ADMIN_PEMDA, pemda_a)
    upload = SimpleUploadedFile("opd.xlsx", b"\x89PNG\r\n bukan excel")
    response = client.post(import_url(pemda_a), {"berkas": upload, "aksi": "periksa"})
    assert response.status_code == 400
    assert "tidak dapat dibaca" in response.content.decode()


def test_operator_opd_may_not_import(pemda_a: Pemda, client_as: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    opd = Opd.objects.get(pemda=pemda_a, kode="A.01")
    client = client_as(Role.OPERATOR_OPD, pemda_a, opd)
    assert client.get(import_url(pemda_a)).status_code == 403
    upload = SimpleUploadedFile("opd.xlsx", xlsx_bytes(GOOD))
    assert client.post(import_url(pemda_a), {"berkas": upload, "aksi": "impor"}).status_code == 403
    assert not Opd.objects.filter(pemda=pemda_a, kode="1.01").exists()
