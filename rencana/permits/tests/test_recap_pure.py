"""The recap table reader and its reconciliation (rencana.permits.recap): plain functions, no database."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from rencana.permits import recap
from rencana.permits.recap import KOLOM_BY_KEY, GroupState, Problem, WilayahRef

DATA = Path(__file__).resolve().parent / "data"
LAMPUNG = (DATA / "hkm_kelompok_lampung_2005.csv").read_bytes()
# The printed file with "5.319.05" written as the study meant it (the only error).
CORRECTED = LAMPUNG.replace(b"5.319.05", b'"5.319,05"')
# ... and with the three warnings resolved: a clean file.
CLEAN = (
    CORRECTED.replace(b"8,Way Kanan,0,,18", b"8,Way Kanan,0,0,18")
    .replace(b"147,*", b'147,"0,00"')
    .replace(b"14.932", b"14.902")
)

PRINTED_PROBLEMS = [
    (5, "luas_garapan_ha", "angka_ambigu", "galat"),
    (6, "luas_garapan_ha", "nilai_tidak_diketahui", "peringatan"),
    (9, "ihhbk", "sel_kosong", "peringatan"),
    (10, "anggota_kk", "total_tidak_cocok", "peringatan"),
]


def summary(problems: list[Problem]) -> list[tuple[int, str, str, str]]:
    return [(p.baris, p.kolom, p.jenis, p.tingkat) for p in problems]


def as_xlsx(rows: list[list[object]], *, title_rows: int = 0) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for _ in range(title_rows):
        sheet.append(["Rekapitulasi kelompok HKm Provinsi Lampung 2005"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lampung_rows(luas_tengah: object) -> list[list[object]]:
    """The Lampung table as a spreadsheet would hold it (numbers as numbers, text as typed)."""
    return [
        [
            "No",
            "Kabupaten/Kota",
            "Izin HKm",
            "IHHBK",
            "Dalam Proses",
            "Total",
            "Anggota (KK)",
            "Luas Garapan (ha)",
        ],
        [1, "Bandar Lampung", 1, 0, 1, 2, 520, 530.9],
        [2, "Lampung Selatan", 2, 3, 1, 6, 1169, 1859],
        [3, "Tanggamus", 6, 0, 6, 12, 2771, 3761],
        [4, "Lampung Tengah", 0, 104, 0, 104, 4407, luas_tengah],
        [5, "Lampung Timur", 0, 0, 4, 4, 147, "*"],
        [6, "Lampung Utara", 1, 3, 3, 7, 1161, 1877.25],
        [7, "Lampung Barat", 5, 0, 9, 14, 2269, 4975.95],
        [8, "Way Kanan", 0, None, 18, 18, 2458, 4916],
        [None, "TOTAL", 15, 110, 42, 167, 14932, 23239.15],
    ]


# --- the Lampung table (acceptance) ---------------------------------------------------------------


def test_lampung_as_printed_is_rejected_with_exactly_the_four_problems() -> None:
    result = recap.read_recap(LAMPUNG, "hkm_kelompok_lampung_2005.csv")
    assert result.rejected
    assert summary(result.masalah) == PRINTED_PROBLEMS
    assert recap.exit_status(result) == 2
    ambiguous, unknown, empty, mismatch = result.masalah
    assert "5.319.05" in ambiguous.pesan and "Lampung Tengah" in ambiguous.pesan
    assert ambiguous.nilai == "5.319.05"
    assert "“*”" in unknown.pesan and "Lampung Timur" in unknown.pesan
    assert "Way Kanan" in empty.pesan
    assert "14.932" in mismatch.pesan and "14.902" in mismatch.pesan and "selisih 30" in mismatch.pesan
    assert result.masalah[0].as_dict().keys() == {"baris", "kolom", "jenis", "pesan"}


def test_lampung_corrected_imports_with_the_three_warnings() -> None:
    result = recap.read_recap(CORRECTED, "hkm_kelompok_lampung_2005.csv")
    assert not result.rejected
    assert summary(result.masalah) == PRINTED_PROBLEMS[1:]
    assert recap.exit_status(result) == 1
    assert len(result.rows) == 8
    tengah = result.rows[3]
    assert (tengah.kabupaten, tengah.luas_garapan_ha) == ("Lampung Tengah", Decimal("5319.05"))
    # Nothing silently fixed: unknown and empty cells stay empty, the printed total stays as printed.
    assert result.rows[4].luas_garapan_ha is None
    assert result.rows[7].ihhbk is None
    assert result.totals is not None and result.totals.anggota_kk == 14932
    assert result.rows[1].anggota_kk == 1169  # "1.169" in a count column is one thousand one hundred ...
    checks = {r.kolom: r for r in result.rekonsiliasi}
    assert checks["anggota_kk"].status == "tidak_cocok" and checks["anggota_kk"].jumlah == 14902
    assert checks["ihhbk"].status == "cocok" and not checks["ihhbk"].lengkap
    assert checks["luas_garapan_ha"].jumlah == Decimal("23239.15") and not checks["luas_garapan_ha"].lengkap
    assert {checks[k].status for k in ("izin_hkm", "dalam_proses", "total")} == {"cocok"}


def test_luas_total_is_not_checked_while_a_cell_is_unknown() -> None:
    result = recap.read_recap(LAMPUNG, "x.csv")
    luas = next(r for r in result.rekonsiliasi if r.kolom == "luas_garapan_ha")
    assert luas.status == "tidak_dapat_diperiksa"
    assert luas.jumlah == Decimal("17920.10")  # the known rows, without the ambiguous and the unknown cell


def test_clean_file_has_no_problem() -> None:
    result = recap.read_recap(CLEAN, "bersih.csv")
    assert result.masalah == []
    assert not result.rejected and recap.exit_status(result) == 0


def test_xlsx_gives_the_same_four_problems() -> None:
    result = recap.read_recap(as_xlsx(lampung_rows("5.319.05")), "lampung.xlsx")
    assert summary(result.masalah) == PRINTED_PROBLEMS
    fixed = recap.read_recap(as_xlsx(lampung_rows(5319.05), title_rows=2), "lampung.xlsx")
    assert summary(fixed.masalah) == [(b + 2, k, j, t) for b, k, j, t in PRINTED_PROBLEMS[1:]]
    assert fixed.rows[3].luas_garapan_ha == Decimal("5319.05")
    assert fixed.rows[0].luas_garapan_ha == Decimal("530.90")


def test_semicolon_csv_from_indonesian_excel() -> None:
    text = CLEAN.decode().replace('"', "")
    lines = []
    for line in text.splitlines():
        # Rebuild with ";" as Excel in an Indonesian locale writes it (decimal commas unquoted).
        cells = line.split(",")
        if len(cells) == 9:  # the area cell "530,90" was split at its decimal comma
            cells = [*cells[:7], cells[7] + "," + cells[8]]
        lines.append(";".join(cells))
    result = recap.read_recap("\ufeff".encode() + "\r\n".join(lines).encode(), "rekap.csv")
    assert result.masalah == []
    assert result.totals is not None and result.totals.luas_garapan_ha == Decimal("23239.15")


# --- cells ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key", "status", "value"),
    [
        ("1.169", "anggota_kk", "ok", 1169),
        ("14.932", "anggota_kk", "ok", 14932),
        ("1.234.567", "anggota_kk", "ok", 1234567),
        ("1169", "anggota_kk", "ok", 1169),
        ("1.169,00", "anggota_kk", "ok", 1169),
        (520, "anggota_kk", "ok", 520),
        (520.0, "anggota_kk", "ok", 520),
        ("2,5", "anggota_kk", "tidak_sah", None),
        (2.5, "anggota_kk", "tidak_sah", None),
        ("1.16", "anggota_kk", "tidak_sah", None),
        ("-3", "total", "tidak_sah", None),
        ("tiga", "total", "tidak_sah", None),
        (True, "total", "tidak_sah", None),
        ("5.319,05", "luas_garapan_ha", "ok", Decimal("5319.05")),
        ("5319.05", "luas_garapan_ha", "ok", Decimal("5319.05")),
        ("530,90", "luas_garapan_ha", "ok", Decimal("530.90")),
        ("23.239,15", "luas_garapan_ha", "ok", Decimal("23239.15")),
        (4916, "luas_garapan_ha", "ok", Decimal("4916.00")),
        ("5.319.05", "luas_garapan_ha", "ambigu", None),
        ("5.319", "luas_garapan_ha", "ambigu", None),
        ("1,234.56", "luas_garapan_ha", "ambigu", None),
        ("5,3,1", "luas_garapan_ha", "ambigu", None),
        ("530,905", "luas_garapan_ha", "tidak_sah", None),
        ("Rp 5.000", "luas_garapan_ha", "tidak_sah", None),
        (float("nan"), "luas_garapan_ha", "tidak_sah", None),
        ("9" * 20, "luas_garapan_ha", "tidak_sah", None),
        ("9" * 20, "total", "tidak_sah", None),
        ("*", "luas_garapan_ha", "tidak_diketahui", None),
        ("-", "anggota_kk", "tidak_diketahui", None),
        ("…", "anggota_kk", "tidak_diketahui", None),
        (" n/a ", "anggota_kk", "tidak_diketahui", None),
        ("Tidak ada data", "anggota_kk", "tidak_diketahui", None),
        ("", "ihhbk", "kosong", None),
        ("   ", "ihhbk", "kosong", None),
        (None, "ihhbk", "kosong", None),
    ],
)
def test_read_number(raw: object, key: str, status: str, value: object) -> None:
    cell = recap.read_number(raw, KOLOM_BY_KEY[key])
    assert (cell.status, cell.value) == (status, value)
    if status in ("ambigu", "tidak_sah"):
        assert cell.pesan


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("kabupaten", "kabupaten"),
        ("Kabupaten/Kota", "kabupaten"),
        ("KAB/KOTA", "kabupaten"),
        ("Izin HKm", "izin_hkm"),
        ("IUPHKm", "izin_hkm"),
        ("Dalam Proses", "dalam_proses"),
        ("Jumlah Kelompok", "total"),
        ("Anggota (KK)", "anggota_kk"),
        ("Jumlah Anggota (KK)", "anggota_kk"),
        ("Luas Garapan (ha)", "luas_garapan_ha"),
        ("luas_ha", "luas_garapan_ha"),
        ("No.", "no"),
        ("Keterangan", None),
    ],
)
def test_header_variants(header: str, key: str | None) -> None:
    assert recap.column_key(header) == key


# --- structure ------------------------------------------------------------------------------------


def csv_bytes(*lines: str) -> bytes:
    return "\n".join(lines).encode()


HEADER = "no,kabupaten,izin_hkm,ihhbk,dalam_proses,total,anggota_kk,luas_garapan_ha"


def test_row_total_mismatch_is_a_warning() -> None:
    result = recap.read_recap(csv_bytes(HEADER, "1,Tanggamus,6,0,6,13,2771,3761"), "x.csv")
    assert summary(result.masalah) == [(2, "total", "total_tidak_cocok", "peringatan")]
    assert "13" in result.masalah[0].pesan and "12" in result.masalah[0].pesan


def test_incomplete_column_is_a_mismatch_only_when_the_known_sum_exceeds_the_total() -> None:
    result = recap.read_recap(
        csv_bytes(HEADER, "1,A,1,0,1,2,500,*", "2,B,1,0,1,2,600,10", "3,TOTAL,2,0,2,4,1000,5"), "x.csv"
    )
    assert summary(result.masalah) == [
        (2, "luas_garapan_ha", "nilai_tidak_diketahui", "peringatan"),
        (4, "anggota_kk", "total_tidak_cocok", "peringatan"),
        (4, "luas_garapan_ha", "total_tidak_cocok", "peringatan"),
    ]
    assert "diketahui" in result.masalah[2].pesan


def test_optional_columns_may_be_absent_and_no_total_row_is_allowed() -> None:
    result = recap.read_recap(
        csv_bytes("Kabupaten/Kota;Izin HKm;Dalam Proses;Total", "Tanggamus;6;6;12"), "x.csv"
    )
    assert result.masalah == []
    assert result.kolom == ("kabupaten", "izin_hkm", "dalam_proses", "total")
    assert result.totals is None
    assert {r.status for r in result.rekonsiliasi} == {"tanpa_total"}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ((HEADER + ",keterangan", "1,A,1,0,1,2,3,4,x"), [(1, "keterangan", "kolom_tidak_dikenal")]),
        (("kabupaten,izin_hkm,total", "A,1,1"), [(1, "dalam_proses", "kolom_wajib_tidak_ada")]),
        (
            ("kabupaten,izin_hkm,dalam_proses,total,Jumlah Kelompok", "A,1,0,1,1"),
            [(1, "total", "kolom_ganda")],
        ),
        ((HEADER,), [(0, "", "tanpa_data")]),
        ((HEADER, "1,A,1,0,1,2,3,4,lebih"), [(2, "", "sel_tanpa_judul")]),
        (
            (HEADER, "1,A,1,0,1,2,3,4", ",TOTAL,1,0,1,2,3,4", ",Jumlah,1,0,1,2,3,4"),
            [(4, "kabupaten", "baris_total_ganda")],
        ),
        (
            (HEADER, "1,A,1,0,1,2,3,4", ",TOTAL,1,0,1,2,3,4", "2,B,1,0,1,2,3,4"),
            [(4, "", "baris_setelah_total")],
        ),
    ],
)
def test_structure_errors_reject(lines: tuple[str, ...], expected: list[tuple[int, str, str]]) -> None:
    result = recap.read_recap(csv_bytes(*lines), "x.csv")
    assert result.rejected
    assert [(p.baris, p.kolom, p.jenis) for p in result.galat] == expected


def test_notes_below_the_total_row_are_left_out() -> None:
    result = recap.read_recap(
        csv_bytes(
            HEADER, "1,A,1,0,1,2,3,4", ",TOTAL,1,0,1,2,3,4", "Sumber: Dinas Kehutanan Provinsi Lampung"
        ),
        "x.csv",
    )
    assert result.masalah == [] and len(result.rows) == 1


def test_total_row_found_by_the_number_column_when_the_name_is_merged_away() -> None:
    result = recap.read_recap(csv_bytes(HEADER, "1,A,1,0,1,2,3,4", "JUMLAH,,1,0,1,2,3,4"), "x.csv")
    assert result.masalah == [] and result.totals is not None and result.totals.baris == 3


def test_empty_name_and_duplicate_kabupaten_are_warnings() -> None:
    result = recap.read_recap(
        csv_bytes(HEADER, "1,Tanggamus,1,0,1,2,3,4", "2,Kabupaten Tanggamus,1,0,1,2,3,4", "3,,1,0,1,2,3,4"),
        "x.csv",
    )
    assert not result.rejected
    assert [(p.baris, p.jenis) for p in result.masalah] == [
        (2, "kabupaten_ganda"),
        (3, "kabupaten_ganda"),
        (4, "sel_kosong"),
    ]


# --- hostile files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "x.csv", "kosong"),
        (b"%PDF-1.7\n...", "rekap.csv", "PDF"),
        (b"\x89PNG\r\n\x1a\n", "rekap.xlsx", "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "rekap.xls", ".xls"),
        (b"PK\x03\x04 bukan xlsx", "rekap.xlsx", "XLSX"),
        (b"kabupaten,total\n\xff\xfe,1", "rekap.csv", "UTF-8"),
        (b"kabupaten\x00,total", "rekap.csv", "biner"),
        (b"<html>", "rekap.html", "tidak didukung"),
        (b"x" * (recap.MAX_BYTES + 1), "besar.csv", "terlalu besar"),
        (b"a,b\n" + b"\n" * 40_000 + b"1,2", "panjang.csv", "terlalu panjang"),
    ],
)
def test_hostile_files_get_one_clear_message(data: bytes, name: str, fragment: str) -> None:
    result = recap.read_recap(data, name)
    assert result.rejected
    assert [p.jenis for p in result.masalah] == ["berkas_tidak_terbaca"]
    assert fragment in result.masalah[0].pesan
    assert result.masalah[0].baris == 0


def test_not_a_recap_table() -> None:
    result = recap.read_recap(b"nama,umur\nBudi,40\n", "orang.csv")
    assert result.rejected
    assert {p.jenis for p in result.masalah} == {"kolom_tidak_dikenal", "kolom_wajib_tidak_ada"}


def test_too_many_rows() -> None:
    rows = [HEADER] + [f"{i},K{i},0,0,0,0,0,0" for i in range(recap.MAX_DATA_ROWS + 1)]
    result = recap.read_recap(csv_bytes(*rows), "x.csv")
    assert result.rejected and "paling banyak" in result.masalah[0].pesan


# --- regions --------------------------------------------------------------------------------------

LAMPUNG_REGIONS = [
    WilayahRef("18.01", "Kabupaten Lampung Selatan", "kabupaten"),
    WilayahRef("18.02", "Kabupaten Lampung Tengah", "kabupaten"),
    WilayahRef("18.03", "Kabupaten Lampung Utara", "kabupaten"),
    WilayahRef("18.04", "Kabupaten Lampung Barat", "kabupaten"),
    WilayahRef("18.06", "Kabupaten Tanggamus", "kabupaten"),
    WilayahRef("18.07", "Kabupaten Lampung Timur", "kabupaten"),
    WilayahRef("18.08", "Kabupaten Way Kanan", "kabupaten"),
    WilayahRef("18.71", "Kota Bandar Lampung", "kota"),
]


def test_names_match_the_province_regions_without_new_problems() -> None:
    result = recap.read_recap(CORRECTED, "x.csv", wilayah=LAMPUNG_REGIONS, wilayah_termuat=True)
    assert summary(result.masalah) == PRINTED_PROBLEMS[1:]
    assert [r.wilayah for r in result.rows] == [
        "18.71",
        "18.01",
        "18.06",
        "18.02",
        "18.07",
        "18.03",
        "18.04",
        "18.08",
    ]
    assert result.totals is not None and result.totals.wilayah is None


def test_unknown_name_is_a_warning_only_when_the_region_list_is_loaded() -> None:
    data = csv_bytes(HEADER, "1,Atlantis,1,0,1,2,3,4")
    loaded = recap.read_recap(data, "x.csv", wilayah=LAMPUNG_REGIONS, wilayah_termuat=True)
    assert [(p.baris, p.kolom, p.jenis) for p in loaded.masalah] == [
        (2, "kabupaten", "wilayah_tidak_dikenal")
    ]
    assert recap.read_recap(data, "x.csv", wilayah=LAMPUNG_REGIONS).masalah == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bandung", (None, "ambigu")),
        ("Kota Bandung", ("32.73", "")),
        ("Kab. Bandung", ("32.04", "")),
        ("KABUPATEN  BANDUNG", ("32.04", "")),
        ("Bogor", ("32.01", "")),
        ("Bekasi Raya", (None, "tidak_dikenal")),
    ],
)
def test_match_wilayah(name: str, expected: tuple[str | None, str]) -> None:
    regions = [
        WilayahRef("32.04", "Kabupaten Bandung", "kabupaten"),
        WilayahRef("32.73", "Kota Bandung", "kota"),
        WilayahRef("32.01", "Kabupaten Bogor", "kabupaten"),
    ]
    assert recap.match_wilayah(name, regions) == expected


# --- aggregate and export -------------------------------------------------------------------------


def test_aggregate_per_kabupaten() -> None:
    groups = [
        GroupState(1, "18.06", True, 20, Decimal("120.5")),
        GroupState(2, "18.06", False, 16, None),
        GroupState(3, "18.01", False, 15, Decimal("10.25")),
    ]
    result = recap.aggregate(groups, {"18.06": "Kabupaten Tanggamus"})
    assert [(r.kabupaten, r.nama, r.berizin, r.dalam_proses, r.total) for r in result.rows] == [
        ("18.01", "", 0, 1, 1),
        ("18.06", "Kabupaten Tanggamus", 1, 1, 2),
    ]
    tanggamus = result.rows[1]
    assert (tanggamus.anggota, tanggamus.luas_ha, tanggamus.tanpa_luas) == (36, Decimal("120.5"), 1)
    assert (result.total.berizin, result.total.dalam_proses, result.total.total) == (1, 2, 3)
    assert (result.total.anggota, result.total.luas_ha) == (51, Decimal("130.75"))


def test_recap_xlsx_has_rows_problems_and_reconciliation() -> None:
    result = recap.read_recap(CORRECTED, "x.csv")
    content = recap.recap_xlsx(
        judul="Lampung 2005",
        lines=result.rows,
        totals=result.totals,
        masalah=[p.as_dict() for p in result.peringatan],
        rekonsiliasi=result.rekonsiliasi,
    )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Rekap", "Masalah", "Rekonsiliasi"]
    rows = list(workbook["Rekap"].iter_rows(values_only=True))
    assert rows[0][0] == "Lampung 2005"
    assert rows[-1][2] == "TOTAL" and rows[-1][8] == 14932
    assert len(list(workbook["Masalah"].iter_rows(values_only=True))) == 4


def test_recap_xlsx_keeps_formula_like_text_as_text() -> None:
    line = recap.RecapLine(baris=2, kabupaten='=HYPERLINK("http://contoh.invalid","klik")', total=1)
    content = recap.recap_xlsx(
        judul="=1+1", lines=[line], totals=None, masalah=[{"pesan": "=2+2"}], rekonsiliasi=[]
    )
    workbook = load_workbook(io.BytesIO(content))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert workbook["Rekap"]["C3"].value.startswith("=HYPERLINK")


def test_template_reads_back_clean() -> None:
    assert recap.read_recap(recap.template_xlsx(), "templat.xlsx").masalah == []
