"""XLSX/CSV import of group members and of micro businesses: template, dry run with every bad row and
column, all or nothing, idempotent re-import; and the import pages."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from rencana.core.models import AuditEvent
from rencana.core.scope import Scope
from rencana.permits import applicants_io
from rencana.permits.models import GroupMember, MicroBusiness
from rencana.permits.tests.apply_support import ApplyWorld, apply_world, nik

__all__ = ["apply_world"]

pytestmark = pytest.mark.django_db

MEMBER_HEADER = ["Nama", "NIK", "Jenis kelamin", "Peran", "Telepon"]


def xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def good_members() -> list[list[Any]]:
    return [
        ["Sutrisno", nik(1), "L", "ketua", "081234560001"],
        ["Siti Aminah", nik(2, female=True), "Perempuan", "", ""],
        ["Wayan", int(nik(3)), "l", "anggota", ""],
    ]


def test_member_template_has_the_columns_and_a_text_nik_column() -> None:
    workbook = load_workbook(io.BytesIO(applicants_io.member_template_bytes()))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == MEMBER_HEADER
    assert sheet["B2"].number_format == "@"
    assert "Petunjuk" in workbook.sheetnames


def test_member_import_dry_run_then_commit_then_idempotent(apply_world: ApplyWorld, tmp_path: Path) -> None:
    group = apply_world.group()
    path = xlsx(tmp_path / "anggota.xlsx", MEMBER_HEADER, good_members())
    dry = applicants_io.member_import_run(actor=apply_world.pendamping, group=group, path=path, dry_run=True)
    assert dry.ok and dry.created == 3 and not GroupMember.objects.filter(kelompok=group).exists()
    done = applicants_io.member_import_run(
        actor=apply_world.pendamping, group=group, path=path, dry_run=False
    )
    assert done.ok and done.created == 3
    assert GroupMember.objects.get(kelompok=group, nik=nik(3)).nama == "Wayan"
    events = AuditEvent.objects.count()
    again = applicants_io.member_import_run(
        actor=apply_world.pendamping, group=group, path=path, dry_run=False
    )
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.count() == events


def test_member_import_update_by_nik(apply_world: ApplyWorld, tmp_path: Path) -> None:
    group = apply_world.group()
    applicants_io.member_import_run(
        actor=apply_world.pendamping,
        group=group,
        path=xlsx(tmp_path / "a.xlsx", MEMBER_HEADER, good_members()),
        dry_run=False,
    )
    rows = good_members()
    rows[1][0] = "Siti Aminah Rahayu"
    result = applicants_io.member_import_run(
        actor=apply_world.pendamping,
        group=group,
        path=xlsx(tmp_path / "b.xlsx", MEMBER_HEADER, rows),
        dry_run=False,
    )
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 1, 2)


def test_member_import_lists_every_bad_row_and_column_and_writes_nothing(
    apply_world: ApplyWorld, tmp_path: Path
) -> None:
    group = apply_world.group()
    rows = [
        ["Benar", nik(1), "L", "ketua", ""],
        ["", nik(2), "L", "", ""],  # name missing
        ["Salah NIK", "12345", "X", "", ""],  # NIK and sex
        ["Huruf", "18060115019000O4", "L", "", ""],  # a letter O for a zero
        ["Ketua kedua", nik(5), "L", "ketua", ""],  # second ketua (service)
        ["Ganda", nik(1), "L", "", ""],  # same NIK twice in the file
        ["Telepon", nik(7), "L", "", "08abc"],  # phone (service)
    ]
    result = applicants_io.member_import_run(
        actor=apply_world.pendamping,
        group=group,
        path=xlsx(tmp_path / "x.xlsx", MEMBER_HEADER, rows),
        dry_run=True,
    )
    problems = {(e.row, e.column) for e in result.errors}
    assert (3, "Nama") in problems
    assert (4, "NIK") in problems and (4, "Jenis kelamin") in problems
    assert (5, "NIK") in problems
    assert (2, "NIK") in problems and (7, "NIK") in problems  # duplicate key names both rows
    committed = applicants_io.member_import_run(
        actor=apply_world.pendamping,
        group=group,
        path=xlsx(tmp_path / "y.xlsx", MEMBER_HEADER, rows),
        dry_run=False,
    )
    assert not committed.ok and not GroupMember.objects.filter(kelompok=group).exists()


def test_nik_typed_as_a_decimal_number_is_refused_with_the_reason() -> None:
    parser = applicants_io.nik_cell()
    with pytest.raises(ValueError, match="Teks"):
        parser(1.80601150190000e15)
    assert parser(int(nik(4))) == nik(4)
    assert parser(" 1806 0115 0190 0004 ") == nik(4)


def test_member_import_service_errors_are_reported_per_row(apply_world: ApplyWorld, tmp_path: Path) -> None:
    group = apply_world.group()
    rows = [["A", nik(1), "L", "ketua", ""], ["B", nik(2), "L", "ketua", ""], ["C", nik(3), "L", "", "08abc"]]
    result = applicants_io.member_import_run(
        actor=apply_world.pendamping,
        group=group,
        path=xlsx(tmp_path / "s.xlsx", MEMBER_HEADER, rows),
        dry_run=True,
    )
    assert {(e.row, e.column) for e in result.errors} == {(3, "Peran"), (4, "Telepon")}


def test_unreadable_and_unknown_columns(apply_world: ApplyWorld, tmp_path: Path) -> None:
    group = apply_world.group()
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    assert not applicants_io.member_import_run(
        actor=apply_world.pendamping, group=group, path=junk, dry_run=True
    ).ok
    odd = xlsx(tmp_path / "odd.xlsx", [*MEMBER_HEADER, "Hobi"], [["A", nik(1), "L", "", "", "x"]])
    result = applicants_io.member_import_run(
        actor=apply_world.pendamping, group=group, path=odd, dry_run=True
    )
    assert not result.ok and "Hobi" in result.errors[0].message


BUSINESS_HEADER = [
    "Nama usaha",
    "Pemilik",
    "NIK",
    "Jenis kelamin",
    "Telepon",
    "KBLI",
    "Kode wilayah",
    "Alamat",
    "Pasar",
    "Modal (Rp)",
]


def traders(n: int = 20) -> list[list[Any]]:
    return [
        [
            f"Lapak {i}",
            f"Pedagang {i}",
            nik(100 + i),
            "P" if i % 2 else "L",
            f"0812000000{i:02d}",
            "56104",
            "18.06.01.1001",
            f"Lapak {i}",
            "Pasar Kaget",
            "1.500.000",
        ]
        for i in range(1, n + 1)
    ]


def test_business_import_twenty_traders_idempotent(apply_world: ApplyWorld, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "pedagang.xlsx", BUSINESS_HEADER, traders())
    result = applicants_io.business_import_run(
        actor=apply_world.pendamping,
        pemda=apply_world.pemda,
        scope=_scope(apply_world),
        path=path,
        dry_run=False,
    )
    assert result.ok and result.created == 20
    assert MicroBusiness.objects.filter(pemda=apply_world.pemda, kbli="56104").count() == 20
    again = applicants_io.business_import_run(
        actor=apply_world.pendamping,
        pemda=apply_world.pemda,
        scope=_scope(apply_world),
        path=path,
        dry_run=False,
    )
    assert again.ok and again.unchanged == 20 and again.created == 0


def test_business_import_errors(apply_world: ApplyWorld, tmp_path: Path) -> None:
    rows = traders(3)
    rows[0][5] = "5610"  # KBLI
    rows[1][6] = "35.75.01.1001"  # village of another pemda (service)
    rows[2][9] = "5.319.05"  # ambiguous number
    result = applicants_io.business_import_run(
        actor=apply_world.pendamping,
        pemda=apply_world.pemda,
        scope=_scope(apply_world),
        path=xlsx(tmp_path / "e.xlsx", BUSINESS_HEADER, rows),
        dry_run=True,
    )
    assert {(e.row, e.column) for e in result.errors} == {(2, "KBLI"), (3, "Kode wilayah"), (4, "Modal (Rp)")}
    assert not MicroBusiness.objects.exists()


def test_business_import_matches_only_visible_businesses(apply_world: ApplyWorld, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "p.xlsx", BUSINESS_HEADER, traders(2))
    applicants_io.business_import_run(
        actor=apply_world.outsider,
        pemda=apply_world.pemda,
        scope=_scope(apply_world, apply_world.outsider),
        path=path,
        dry_run=False,
    )
    result = applicants_io.business_import_run(
        actor=apply_world.pendamping,
        pemda=apply_world.pemda,
        scope=_scope(apply_world),
        path=path,
        dry_run=False,
    )
    assert result.created == 2 and MicroBusiness.objects.count() == 4


def _scope(world: ApplyWorld, user: Any = None) -> Scope:
    from rencana.accounts.scope import scope_for

    return scope_for(user or world.pendamping, world.pemda)


# --- pages -------------------------------------------------------------------------------------------


def test_member_import_page_dry_run_then_import(apply_world: ApplyWorld, tmp_path: Path) -> None:
    group = apply_world.group()
    client = apply_world.client(apply_world.pendamping)
    page = reverse("permits:member_import", kwargs={"kode": apply_world.pemda.kode, "group_id": group.pk})
    assert client.get(page).status_code == 200
    path = xlsx(tmp_path / "anggota.xlsx", MEMBER_HEADER, good_members())
    with path.open("rb") as fh:
        dry = client.post(page, {"aksi": "periksa", "berkas": fh})
    assert dry.status_code == 200 and "Tidak ada kesalahan" in dry.content.decode()
    token = dry.context["token"]
    assert not GroupMember.objects.filter(kelompok=group).exists()
    done = client.post(page, {"aksi": "impor", "token": token})
    assert done.status_code == 302 and GroupMember.objects.filter(kelompok=group).count() == 3
    assert client.post(page, {"aksi": "impor", "token": "../../etc/passwd"}).status_code == 400
    bad = tmp_path / "bad.txt"
    bad.write_text("x")
    with bad.open("rb") as fh:
        assert client.post(page, {"aksi": "periksa", "berkas": fh}).status_code == 400


def test_business_import_page_shows_errors(apply_world: ApplyWorld, tmp_path: Path) -> None:
    client = apply_world.client(apply_world.pendamping)
    page = reverse("permits:business_import", kwargs={"kode": apply_world.pemda.kode})
    rows = traders(2)
    rows[0][1] = ""
    with xlsx(tmp_path / "b.xlsx", BUSINESS_HEADER, rows).open("rb") as fh:
        response = client.post(page, {"aksi": "periksa", "berkas": fh})
    assert response.status_code == 400 and "Wajib diisi" in response.content.decode()
    template = client.get(
        reverse("permits:business_import_template", kwargs={"kode": apply_world.pemda.kode})
    )
    assert template.status_code == 200 and template.content.startswith(b"PK")
