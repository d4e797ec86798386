"""The import framework: reading XLSX/CSV, checking rows, and the all-or-nothing transaction."""

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from rencana.core import imports
from rencana.core.errors import ApplicationError
from rencana.core.imports import Column, ImportRow, ImportSpec, Outcome, RowError
from rencana.core.models import AuditEvent
from rencana.core.tabular import TabularError, check_rows, read_table


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, extra_sheet: bool = False) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    if extra_sheet:
        workbook.create_sheet("Lain").append(["tidak dibaca"])
    workbook.save(path)
    return path


def write_csv(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


SPEC = ImportSpec(
    title="Uji",
    columns=(
        Column("kode", "Kode", imports.text(5), required=True, example="K1"),
        Column("nilai", "Nilai", imports.angka(), required=True, example="5.319,05"),
        Column("tanggal", "Tanggal mulai", imports.tanggal(), example="21/11/2026"),
        Column("aktif", "Aktif", imports.boolean(), default=True),
        Column("jenis", "Jenis", imports.choice(("a", "Jenis A"), ("b", "Jenis B")), default="a"),
    ),
    natural_key=("kode",),
)


# Reading -------------------------------------------------------------------------------------------


def test_xlsx_header_is_first_non_empty_row_and_rows_keep_sheet_numbers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [[], [None, None], ["Kode", "Nilai"], ["K1", 5], [], ["K2", "1.234,5", None]],
        extra_sheet=True,
    )
    table = read_table(path)
    assert table.header_row == 3
    assert table.headers == ("Kode", "Nilai")
    assert [(r.number, r.cells) for r in table.rows] == [(4, ("K1", 5)), (6, ("K2", "1.234,5"))]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_delimiter_is_sniffed_and_bom_ignored(tmp_path: Path, delimiter: str, bom: bool) -> None:
    text = delimiter.join(["Kode", "Nilai"]) + "\n\n" + delimiter.join(["K1", '"5.319,05"']) + "\n"
    table = read_table(write_csv(tmp_path / "a.csv", text, bom=bom))
    assert table.headers == ("Kode", "Nilai")
    assert [(r.number, r.cells) for r in table.rows] == [(3, ("K1", "5.319,05"))]


def test_csv_multiline_cell_keeps_the_starting_line_number(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "a.csv", 'Kode;Nama\nK1;"dua\nbaris"\nK2;x\n'))
    assert [r.number for r in table.rows] == [2, 4]


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("rusak.xlsx", b"\x00\x01bukan excel" * 50, "tidak dapat dibaca"),
        ("rusak.xlsx", b"PK\x03\x04" + b"\x00" * 100, "tidak dapat dibaca"),
        ("lama.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".xls"),
        ("a.csv", "Kode;Nama\nK1;Dinas Pendidikan\n".encode("cp1252") + b"\xe9", "UTF-8"),
        ("a.csv", b"", "kosong"),
        ("a.csv", b"Kode\x00;Nama", "biner"),
        ("a.pdf", b"%PDF-1.4", "tidak didukung"),
    ],
)
def test_unreadable_files_give_one_clear_message(
    tmp_path: Path, name: str, content: bytes, fragment: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TabularError) as info:
        read_table(path)
    assert fragment in info.value.message


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "bukan workbook")
    with pytest.raises(TabularError, match="tidak dapat dibaca"):
        read_table(path)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=400), suffix=st.sampled_from([".xlsx", ".csv", ".txt"]))
@example(content=b"PK\x03\x04", suffix=".csv")
@example(content=b'a;"b\n', suffix=".csv")
def test_arbitrary_bytes_read_or_raise_only_tabular_error(
    tmp_path: Path, content: bytes, suffix: str
) -> None:
    path = tmp_path / f"acak{suffix}"
    path.write_bytes(content)
    try:
        table = read_table(path)
    except TabularError as exc:
        assert exc.message
    else:
        check_rows(SPEC, table)


# Checking ------------------------------------------------------------------------------------------


def check(tmp_path: Path, rows: Sequence[Sequence[Any]]) -> tuple[list[ImportRow], list[RowError]]:
    return check_rows(SPEC, read_table(write_xlsx(tmp_path / "a.xlsx", rows)))


def test_values_are_typed_and_blank_optional_cells_take_the_default(tmp_path: Path) -> None:
    rows, errors = check(
        tmp_path,
        [
            ["  KODE ", "nilai", "Tanggal  Mulai", "aktif", "JENIS"],
            ["K1", "5.319,05", "21/11/2026", "tidak", "Jenis B"],
            ["K2", 12.5, datetime.datetime(2026, 1, 2), True, None],
            [3, 7, None, "", "A"],
        ],
    )
    assert errors == []
    assert [r.values for r in rows] == [
        {
            "kode": "K1",
            "nilai": Decimal("5319.05"),
            "tanggal": datetime.date(2026, 11, 21),
            "aktif": False,
            "jenis": "b",
        },
        {
            "kode": "K2",
            "nilai": Decimal("12.5"),
            "tanggal": datetime.date(2026, 1, 2),
            "aktif": True,
            "jenis": "a",
        },
        {"kode": "3", "nilai": Decimal(7), "tanggal": None, "aktif": True, "jenis": "a"},
    ]
    assert rows[0].number == 2 and rows[0].raw["nilai"] == "5.319,05"


def test_absent_optional_columns_are_left_out_of_the_row(tmp_path: Path) -> None:
    rows, errors = check(tmp_path, [["Kode", "Nilai"], ["K1", "1"]])
    assert errors == []
    assert rows[0].values == {"kode": "K1", "nilai": Decimal(1)}


def test_every_error_is_collected_with_row_and_column(tmp_path: Path) -> None:
    _, errors = check(
        tmp_path,
        [
            ["Kode", "Nilai", "Tanggal mulai", "Aktif", "Jenis"],
            ["K1", "5.319.05", "31/02/2026", "mungkin", "c"],
            ["TERLALUPANJANG", None, None, None, None],
            ["K3", "1", None, None, None, "sel liar"],
            ["K4", "1"],
            ["K4", "2"],
        ],
    )
    found = {(e.row, e.column) for e in errors}
    assert found == {
        (2, "Nilai"),
        (2, "Tanggal mulai"),
        (2, "Aktif"),
        (2, "Jenis"),
        (3, "Kode"),
        (3, "Nilai"),
        (4, ""),
        (5, "Kode"),
        (6, "Kode"),
    }
    by_place = {(e.row, e.column): e for e in errors}
    assert "pengelompokan ribuan" in by_place[(2, "Nilai")].message
    assert by_place[(2, "Nilai")].value == "5.319.05"
    assert "tidak ada di kalender" in by_place[(2, "Tanggal mulai")].message
    assert "ya" in by_place[(2, "Aktif")].message
    assert "Jenis A, Jenis B" in by_place[(2, "Jenis")].message
    assert "5 karakter" in by_place[(3, "Kode")].message
    assert by_place[(3, "Nilai")].message == "Wajib diisi."
    assert "tanpa judul" in by_place[(4, "")].message
    assert "baris 5, 6" in by_place[(5, "Kode")].message and "baris 5, 6" in by_place[(6, "Kode")].message


def test_missing_required_and_unknown_columns_are_reported_once(tmp_path: Path) -> None:
    _, errors = check(tmp_path, [["Kode", "Singkat", "Catatan", "Kode"], ["K1", "x", "y", "K1"]])
    messages = " | ".join(e.message for e in errors)
    assert len(errors) == 3
    assert "Kolom wajib tidak ada: Nilai" in messages
    assert "Kolom tidak dikenal: Singkat, Catatan" in messages
    assert "muncul dua kali" in messages
    assert {e.row for e in errors} == {1}


def test_header_only_file_is_an_error(tmp_path: Path) -> None:
    _, errors = check(tmp_path, [["Kode", "Nilai"]])
    assert [e.message for e in errors] == ["Berkas tidak berisi baris data di bawah judul kolom."]


# Running -------------------------------------------------------------------------------------------


class RecordingApplier:
    """Writes one audit event per created row, so the transaction's effect is visible."""

    def __init__(self, existing: dict[str, Decimal] | None = None, refuse: str = "") -> None:
        self.existing = existing or {}
        self.refuse = refuse
        self.loaded = 0

    def load(self, rows: Sequence[ImportRow]) -> None:
        self.loaded = len(rows)

    def apply(self, row: ImportRow) -> Outcome:
        kode, nilai = row.values["kode"], row.values["nilai"]
        if kode == self.refuse:
            raise ApplicationError("Ditolak layanan.", errors=[{"kolom": "nilai", "pesan": "Nilai ditolak."}])
        if kode == "BOOM":
            raise ApplicationError("Ditolak tanpa kolom.")
        AuditEvent.objects.create(action="create", object_type="uji", object_id=kode, actor_label="uji")
        if kode not in self.existing:
            return Outcome.CREATED
        return Outcome.UNCHANGED if self.existing[kode] == nilai else Outcome.UPDATED


GOOD_ROWS = [["Kode", "Nilai"], ["K1", "1"], ["K2", "2"], ["K3", "3"]]


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [True, False])
def test_run_import_counts_and_dry_run_rolls_back(tmp_path: Path, dry_run: bool) -> None:
    applier = RecordingApplier(existing={"K2": Decimal(2), "K3": Decimal(9)})
    result = imports.run_import(
        SPEC, path=write_xlsx(tmp_path / "a.xlsx", GOOD_ROWS), dry_run=dry_run, applier=applier
    )
    assert result.ok and result.dry_run is dry_run
    assert (result.created, result.updated, result.unchanged, result.rows) == (1, 1, 1, 3)
    assert applier.loaded == 3
    assert AuditEvent.objects.filter(object_type="uji").count() == (0 if dry_run else 3)


@pytest.mark.django_db
def test_service_refusals_become_row_errors_and_nothing_is_written(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, ["K4", "4"], ["BOOM", "5"]]
    result = imports.run_import(
        SPEC, path=write_xlsx(tmp_path / "a.xlsx", rows), dry_run=False, applier=RecordingApplier(refuse="K2")
    )
    assert not result.ok
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert [(e.row, e.column, e.value, e.message) for e in result.errors] == [
        (3, "Nilai", "2", "Nilai ditolak."),
        (6, "", "", "Ditolak tanpa kolom."),
    ]
    assert not AuditEvent.objects.filter(object_type="uji").exists()


@pytest.mark.django_db
def test_check_errors_stop_before_anything_is_applied(tmp_path: Path) -> None:
    applier = RecordingApplier()
    result = imports.run_import(
        SPEC,
        path=write_xlsx(tmp_path / "a.xlsx", [["Kode", "Nilai"], ["K1", "x"]]),
        dry_run=True,
        applier=applier,
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "Nilai")]
    assert applier.loaded == 0


def test_unreadable_file_is_one_error_on_row_zero(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"sampah")
    result = imports.run_import(SPEC, path=path, dry_run=True, applier=RecordingApplier())
    assert len(result.errors) == 1 and result.errors[0].row == 0
    assert "XLSX" in result.errors[0].message


def test_template_has_headers_and_instructions() -> None:
    workbook = load_workbook(io.BytesIO(imports.template_xlsx(SPEC)))
    assert workbook.sheetnames == ["Uji", "Petunjuk"]
    first = workbook["Uji"]
    assert [c.value for c in first[1]] == ["Kode", "Nilai", "Tanggal mulai", "Aktif", "Jenis"]
    assert first.max_row >= 1 and all(c.value is None for c in first[2])
    assert first["A2"].number_format == "@"
    guide = [[c for c in row if c is not None] for row in workbook["Petunjuk"].iter_rows(values_only=True)]
    flat = " ".join(str(c) for row in guide for c in row)
    assert ["Kolom", "Wajib?", "Format", "Contoh", "Keterangan"] in guide
    assert "Bila kosong: ya" in flat and "Salah satu dari: Jenis A, Jenis B" in flat
    kode_row = next(row for row in guide if row and row[0] == "Kode")
    assert kode_row[1] == "wajib" and kode_row[3] == "K1"


def test_template_round_trips_through_the_checker(tmp_path: Path) -> None:
    path = tmp_path / "templat.xlsx"
    path.write_bytes(imports.template_xlsx(SPEC))
    workbook = load_workbook(path)
    sheet = workbook["Uji"]
    sheet["A2"], sheet["B2"] = "K1", "5.319,05"
    workbook.save(path)
    rows, errors = check_rows(SPEC, read_table(path))
    assert errors == [] and rows[0].values["nilai"] == Decimal("5319.05")
