"""Loading the Permendagri 90 nomenclature, searching it, mapping editions, the XLSX import, the command.

A full load of the 2027 edition (9,229 rows) takes about a second; tests that need it load it once.
Tests that load both shipped editions are marked slow.
"""

import json
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from rencana.core.errors import ApplicationError
from rencana.core.models import AuditEvent
from rencana.planning import codes
from rencana.planning.models import NomenclatureEdition, NomenclatureItem
from rencana.planning.nomenclature import (
    EDITIONS,
    PLACEHOLDER_NAME,
    edition_counts,
    edition_default,
    edition_mapping,
    lookup_function,
    nomenclature_load,
    nomenclature_load_xlsx,
    nomenclature_lookup,
    nomenclature_search,
    read_shipped_edition,
)
from rencana.regions.models import ReferenceDataLoad

FULL_LOAD = pytest.mark.xdist_group("nomenclature")

COUNTS_2027 = {"urusan": 10, "bidang": 51, "program": 237, "kegiatan": 1555, "sub_kegiatan": 7376}
COUNTS_2020 = {"urusan": 10, "bidang": 51, "program": 233, "kegiatan": 1034, "sub_kegiatan": 5030}


def _levels(edisi: str) -> dict[str, int]:
    counts = Counter(NomenclatureItem.objects.filter(edisi__kode=edisi).values_list("level", flat=True))
    return {level: counts.get(level, 0) for level in codes.LEVELS}


def _item(edisi: str, kode: str, berlaku: str) -> NomenclatureItem:
    return NomenclatureItem.objects.get(edisi__kode=edisi, kode=kode, berlaku_untuk=berlaku)


# --- the shipped files, without the database ------------------------------------------------------


def test_shipped_files_counts() -> None:
    rows, report = read_shipped_edition("2027")
    assert report.counts == COUNTS_2027
    assert report.counts_by_kind["sub_kegiatan"] == {"kabkota": 3345, "provinsi": 3826, "semua": 205}
    # PROVENANCE: 4,031 sub-kegiatan for a provinsi, 3,550 for a kab/kota.
    subs = [r for r in rows if r.level == "sub_kegiatan"]
    assert sum(1 for r in subs if codes.applies_to(r.berlaku_untuk, "provinsi")) == 4031
    assert sum(1 for r in subs if codes.applies_to(r.berlaku_untuk, "kabkota")) == 3550
    assert report.with_metadata == 7375  # 2.17.02.1.02.0005 has an empty metadata row
    assert len(report.metadata_differs) == 106
    assert sum(1 for r in rows if r.kode_sebelumnya) == 346
    rows_2020, report_2020 = read_shipped_edition("2020")
    assert report_2020.counts == COUNTS_2020
    assert report_2020.counts_by_kind["sub_kegiatan"] == {"kabkota": 2232, "provinsi": 2798}
    assert report_2020.with_metadata == 0
    assert len(rows_2020) == 6358 and len(rows) == 9229


def test_unknown_edition() -> None:
    with pytest.raises(ApplicationError, match="Edisi nomenklatur 2019 tidak dikenal"):
        nomenclature_load("2019")


# --- loading the 2027 edition ----------------------------------------------------------------------


@FULL_LOAD
@pytest.mark.django_db
def test_load_2027_then_reload_is_a_no_op_and_a_changed_file_replaces() -> None:
    report = nomenclature_load("2027")
    assert not report.unchanged
    assert report.counts == COUNTS_2027 == _levels("2027")
    assert report.total == NomenclatureItem.objects.count() == 9229

    assert _item("2027", "1.02", "semua").nama == "URUSAN PEMERINTAHAN BIDANG KESEHATAN"
    program = _item("2027", "1.02.02", "semua")
    assert program.nama == "PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT"
    assert (program.level, program.kode_induk) == ("program", "1.02")
    rs = _item("2027", "1.02.02.2.01.0001", "kabkota")
    assert rs.nama == "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya"
    assert (rs.level, rs.kode_induk) == ("sub_kegiatan", "1.02.02.2.01")
    assert rs.nama_cari == "pembangunan rumah sakit beserta sarana dan prasarana pendukungnya"
    assert rs.indikator and rs.satuan
    usb = _item("2027", "1.01.02.1.01.0001", "provinsi")
    assert (usb.nama, usb.kinerja, usb.indikator, usb.satuan, usb.spm, usb.jenis) == (
        "Pembangunan USB (Unit Sekolah Baru)",
        "Sekolah Baru yang Terbangun",
        "Jumlah Sekolah Baru yang Telah Dibangun",
        "Unit",
        "SPM",
        "Layanan",
    )
    # The previous code comes from "1.02.02.1.02.0013 Pengelolaan Pelayanan Kesehatan Orang ...".
    assert NomenclatureItem.objects.filter(kode_sebelumnya="1.02.02.1.02.0013").exists()
    assert NomenclatureItem.objects.exclude(kode_sebelumnya="").count() == 346
    # A "semua" sub-kegiatan takes the provinsi metadata.
    dayah = _item("2027", "1.01.07.7.01.0009", "semua")
    assert dayah.indikator == "Jumlah Tempat Ibadah Dayah yang Terbangun/Terehabilitasi"
    # Provinsi and kab/kota reuse codes with different names.
    assert _item("2027", "X.XX.01", "provinsi").nama.endswith("PROVINSI")
    assert _item("2027", "X.XX.01", "kabkota").nama.endswith("KABUPATEN/KOTA")

    edition = NomenclatureEdition.objects.get(kode="2027")
    assert edition.nama == EDITIONS["2027"].nama and edition.checksum == report.checksum
    record = ReferenceDataLoad.objects.get(dataset="nomenklatur-2027")
    assert (record.edisi, record.checksum, record.summary["jumlah"]) == ("2027", report.checksum, 9229)
    event = AuditEvent.objects.get(action="reference_load", object_type="planning.nomenclatureedition")
    assert event.object_id == str(edition.pk) and event.before is None
    assert event.after is not None and event.after["jumlah_per_tingkat"] == COUNTS_2027
    assert edition_default() == edition

    # Loading the same files again writes nothing.
    ids = set(NomenclatureItem.objects.values_list("pk", flat=True))
    again = nomenclature_load("2027")
    assert again.unchanged and again.counts == COUNTS_2027
    assert set(NomenclatureItem.objects.values_list("pk", flat=True)) == ids
    assert AuditEvent.objects.filter(action="reference_load").count() == 1

    # Files that changed (here: a different checksum on record) replace the items, keeping the edition row.
    NomenclatureEdition.objects.filter(pk=edition.pk).update(checksum="lama")
    replaced = nomenclature_load("2027")
    assert not replaced.unchanged and replaced.previous_total == 9229
    assert NomenclatureEdition.objects.get(kode="2027").pk == edition.pk
    assert NomenclatureItem.objects.count() == 9229
    assert not ids & set(NomenclatureItem.objects.values_list("pk", flat=True))
    assert AuditEvent.objects.filter(action="reference_load").count() == 2


@FULL_LOAD
@pytest.mark.django_db
def test_search_and_lookup_on_2027() -> None:
    nomenclature_load("2027")

    # Code prefix.
    found = nomenclature_search(edisi="2027", q="1.02.02.2.01", level="sub_kegiatan", pemda_kind="kabkota")
    assert found and all(i.kode.startswith("1.02.02.2.01.") for i in found)
    assert found[0].kode == "1.02.02.2.01.0001"
    assert [i.kode for i in found] == sorted(i.kode for i in found)
    assert len(found) == 18  # all the kab/kota sub-kegiatan of that kegiatan
    assert len(nomenclature_search(edisi="2027", q="1.02")) == 20  # the default limit
    assert len(nomenclature_search(edisi="2027", q="1.02", limit=3)) == 3
    assert nomenclature_search(edisi="2027", q="1.02.02.2.01.0001", limit=5)[0].nama.startswith(
        "Pembangunan Rumah"
    )
    # "X" starts a code too; both kinds unless filtered.
    supporting = nomenclature_search(edisi="2027", q="x.xx.01", level="program")
    assert [(i.kode, i.berlaku_untuk) for i in supporting] == [
        ("X.XX.01", "kabkota"),
        ("X.XX.01", "provinsi"),
    ]
    provinsi = nomenclature_search(edisi="2027", q="X.XX.01", level="program", pemda_kind="provinsi")
    assert [i.berlaku_untuk for i in provinsi] == ["provinsi"]

    # Words: every one must occur, in any order and case.
    rs = nomenclature_search(edisi="2027", q="  rumah SAKIT pembangunan ", pemda_kind="kabkota")
    assert [i.kode for i in rs] == ["1.02.02.2.01.0001"]
    provinsi_rs = nomenclature_search(edisi="2027", q="rumah sakit pembangunan", pemda_kind="provinsi")
    assert [(i.kode, i.berlaku_untuk) for i in provinsi_rs] == [
        ("1.02.02.1.01.0001", "provinsi"),
        ("3.27.03.1.01.0021", "provinsi"),  # "Pembangunan, rehabilitasi, ... Rumah Sakit Hewan ..."
    ]
    both = nomenclature_search(edisi="2027", q="pembangunan rumah sakit beserta")
    assert [i.kode for i in both] == ["1.02.02.1.01.0001", "1.02.02.2.01.0001"]
    kegiatan = nomenclature_search(edisi="2027", q="kesehatan", level="kegiatan", limit=500)
    assert kegiatan and all(i.level == "kegiatan" and "kesehatan" in i.nama_cari for i in kegiatan)
    assert nomenclature_search(edisi="2027", q="tidakadakatainiwkwk") == []

    # Children of one code; an empty query lists.
    children = nomenclature_search(edisi="2027", q="", parent="1.02.02.2.01", pemda_kind="kabkota", limit=500)
    assert children and {i.kode_induk for i in children} == {"1.02.02.2.01"}
    # Unknown edition: nothing.
    assert nomenclature_search(edisi="1999", q="rumah") == []

    # Lookup: everything valid for the kind, the kind's own entry preferred.
    table = nomenclature_lookup("2027", "kabkota")
    assert table["X.XX.01"].berlaku_untuk == "kabkota"
    assert table["1.02.02"].berlaku_untuk == "semua"
    assert "1.01.02.1.01.0001" not in table  # provinsi only
    assert sum(1 for i in table.values() if i.level == "sub_kegiatan") == 3550
    assert (
        sum(1 for i in nomenclature_lookup("2027", "provinsi").values() if i.level == "sub_kegiatan") == 4031
    )
    assert nomenclature_lookup("1999", "provinsi") == {}

    # The lookup fits codes.check_code.
    lookup = lookup_function("2027")
    assert (
        codes.check_code(
            "1.02.02.2.01.0001",
            level="sub_kegiatan",
            parent_kode="1.02.02.2.01",
            pemda_kind="kabkota",
            lookup=lookup,
        )
        == []
    )
    assert codes.check_code(
        "1.01.02.1.01.0001", level="sub_kegiatan", parent_kode=None, pemda_kind="kabkota", lookup=lookup
    ) == ["Kode 1.01.02.1.01.0001 hanya berlaku untuk pemda provinsi, tidak untuk pemda kabupaten/kota."]


@pytest.mark.slow
@FULL_LOAD
@pytest.mark.django_db
def test_both_editions_side_by_side_and_their_mapping() -> None:
    nomenclature_load("2020")
    nomenclature_load("2027")
    assert _levels("2020") == COUNTS_2020 and _levels("2027") == COUNTS_2027
    assert edition_default() == NomenclatureEdition.objects.get(kode="2027")
    assert [(e.kode, c) for e, c in edition_counts()] == [("2020", COUNTS_2020), ("2027", COUNTS_2027)]
    assert _item("2020", "1.02.02.2.01.0001", "kabkota").nama.startswith("Pembangunan Rumah Sakit")

    # PROVENANCE: 2,222 of 5,030 sub-kegiatan keep code and name (case and spaces ignored); of the
    # 2,589 codes of 2020 absent from 2027, 1,217 have a same-named sub-kegiatan for the same kind of pemda.
    old = list(NomenclatureItem.objects.filter(edisi__kode="2020", level="sub_kegiatan"))
    new = list(NomenclatureItem.objects.filter(edisi__kode="2027", level="sub_kegiatan"))
    new_pairs = {(i.kode, i.nama_cari) for i in new}
    assert sum(1 for i in old if (i.kode, i.nama_cari) in new_pairs) == 2222
    new_codes = {i.kode for i in new}
    gone = [i for i in old if i.kode not in new_codes]
    names_for = {
        kind: {i.nama_cari for i in new if codes.applies_to(i.berlaku_untuk, kind)}
        for kind in ("provinsi", "kabkota")
    }
    assert len(gone) == 2589
    assert sum(1 for i in gone if i.nama_cari in names_for[i.berlaku_untuk]) == 1217

    # map_codes per kind of pemda. Same code and name (kode_sama minus nama_berubah): 1,160 + 1,062 = 2,222.
    kab = edition_mapping("2020", "2027", "kabkota").counts()
    prov = edition_mapping("2020", "2027", "provinsi").counts()
    assert kab["sub_kegiatan"] == {
        "kode_sama": 1198,
        "nama_sama": 438,
        "kode_sebelumnya": 12,
        "tidak_terpetakan": 584,
        "nama_berubah": 136,
        "tanpa_asal": 1915,
    }
    assert prov["sub_kegiatan"] == {
        "kode_sama": 1224,
        "nama_sama": 567,
        "kode_sebelumnya": 13,
        "tidak_terpetakan": 994,
        "nama_berubah": 64,
        "tanpa_asal": 2234,
    }
    assert (
        sum(c["sub_kegiatan"]["kode_sama"] - c["sub_kegiatan"]["nama_berubah"] for c in (kab, prov)) == 2222
    )
    # Every old code is accounted for: 2,232 kab/kota and 2,798 provinsi sub-kegiatan.
    assert sum(kab["sub_kegiatan"][m] for m in codes.MAPPING_METHODS) == 2232
    assert sum(prov["sub_kegiatan"][m] for m in codes.MAPPING_METHODS) == 2798
    assert kab["kegiatan"] == {
        "kode_sama": 397,
        "nama_sama": 59,
        "kode_sebelumnya": 0,
        "tidak_terpetakan": 10,
        "nama_berubah": 53,
        "tanpa_asal": 258,
    }
    assert prov["kegiatan"]["kode_sama"] == 409 and prov["kegiatan"]["nama_sama"] == 88
    assert kab["program"]["kode_sama"] == 180 and prov["program"]["kode_sama"] == 198


# --- official spreadsheet -------------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list[Any]], merges: tuple[str, ...] = (), title: str = "Lampiran") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


MESSY_ROWS: list[list[Any]] = [
    ["NOMENKLATUR SUB KEGIATAN PEMUTAKHIRAN 2028"],
    ["Lampiran Keputusan Menteri Dalam Negeri Nomor 900.1-0000 Tahun 2027"],
    [],
    ["No", "Kode", "Nomenklatur", "Berlaku", "Metadata Sub Kegiatan", None, None],
    [None, None, None, None, "Kinerja", "Indikator", "Satuan"],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
    [1, 1, "URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR  ", "semua"],
    [2, 1.02, "URUSAN PEMERINTAHAN BIDANG KESEHATAN ", None],
    [3, "1.02.02 ", "PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN  MASYARAKAT", ""],
    [4, "1.02.02.2.01", "Penyediaan Fasilitas Pelayanan Kesehatan Kabupaten/Kota", "Kabupaten/Kota"],
    [
        5,
        "1.02.02.2.01.0001",
        "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya  ",
        "kabkota",
        "Rumah Sakit yang Terbangun",
        "Jumlah Rumah Sakit yang Dibangun ",
        "Unit",
    ],
    [],
    [6, "1.02.02.1.01.0001\u00a0", "Pengembangan Rumah Sakit Provinsi", "Provinsi", None, None, "Unit"],
    [7, 2.1, "URUSAN PEMERINTAHAN BIDANG PERTANAHAN", None],
    [8, "X.XX.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH PROVINSI", "provinsi"],
    [9, "X.XX.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA", "kabupaten/kota"],
    [10, "1.02.02.7.01.0001", "Pembangunan Rumah Sakit Aceh", None],
]
MESSY_MERGES = ("A1:G1", "A2:G2", "E4:G4", "A4:A5", "B4:B5", "C4:C5", "D4:D5")


@pytest.mark.django_db
def test_load_xlsx_messy_official_file(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "nomenklatur 2028.xlsx", MESSY_ROWS, MESSY_MERGES)
    report = nomenclature_load_xlsx(path, edisi="2028", nama="Kepmendagri 900.1-0000/2027")
    items = {(i.kode, i.berlaku_untuk): i for i in NomenclatureItem.objects.filter(edisi__kode="2028")}
    assert sorted(items) == [
        ("1", "semua"),
        ("1.02", "semua"),
        ("1.02.02", "semua"),  # kinds below: kab/kota, provinsi and semua
        ("1.02.02.1.01", "provinsi"),  # missing parent, rebuilt
        ("1.02.02.1.01.0001", "provinsi"),
        ("1.02.02.2.01", "kabkota"),
        ("1.02.02.2.01.0001", "kabkota"),
        ("1.02.02.7.01", "semua"),  # missing parent of a special-autonomy item (J = 7 -> semua)
        ("1.02.02.7.01.0001", "semua"),
        ("2", "semua"),  # missing urusan: rebuilt with its fixed name
        ("2.10", "semua"),  # 2.1 typed into a number cell
        ("X", "semua"),
        ("X.XX", "semua"),
        ("X.XX.01", "kabkota"),
        ("X.XX.01", "provinsi"),
    ]
    assert report.counts == {"urusan": 3, "bidang": 3, "program": 3, "kegiatan": 3, "sub_kegiatan": 3}
    assert report.placeholders == [
        ("1.02.02.1.01", "provinsi", PLACEHOLDER_NAME),
        ("1.02.02.7.01", "semua", PLACEHOLDER_NAME),
        ("2", "semua", codes.URUSAN_NAMES["2"]),
        ("X", "semua", codes.URUSAN_NAMES["X"]),
        ("X.XX", "semua", PLACEHOLDER_NAME),
    ]
    rs = items[("1.02.02.2.01.0001", "kabkota")]
    assert (rs.nama, rs.level, rs.kode_induk, rs.kinerja, rs.indikator, rs.satuan) == (
        "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya",
        "sub_kegiatan",
        "1.02.02.2.01",
        "Rumah Sakit yang Terbangun",
        "Jumlah Rumah Sakit yang Dibangun",
        "Unit",
    )
    program = items[("1.02.02", "semua")]
    assert program.nama == "PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT"
    assert program.nama_cari == program.nama.lower()
    assert items[("1.02", "semua")].kode_induk == "1"
    assert items[("1.02.02.1.01.0001", "provinsi")].kode_induk == "1.02.02.1.01"

    edition = NomenclatureEdition.objects.get(kode="2028")
    assert edition.nama == "Kepmendagri 900.1-0000/2027"
    assert "nomenklatur 2028.xlsx" in edition.sumber and "Lampiran" in edition.sumber
    assert ReferenceDataLoad.objects.get(dataset="nomenklatur-2028").summary["induk_dibuat"] == 5
    assert AuditEvent.objects.filter(action="reference_load", object_id=str(edition.pk)).count() == 1
    # The same file again: nothing written.
    assert nomenclature_load_xlsx(path, edisi="2028", nama="Kepmendagri 900.1-0000/2027").unchanged
    assert AuditEvent.objects.filter(action="reference_load").count() == 1


@pytest.mark.django_db
def test_load_xlsx_wide_sipd_layout(tmp_path: Path) -> None:
    header = [
        "kode_bidang_urusan",
        "nama_bidang_urusan",
        "kode_program",
        "nama_program",
        "kode_giat",
        "nama_giat",
        "kode_sub_giat",
        "nama_sub_giat",
        "kinerja",
        "indikator",
        "satuan",
        "pemda",
        "subkegiatan_sebelumnya",
        "pelaksana",
    ]
    bidang = [1.02, "URUSAN PEMERINTAHAN BIDANG KESEHATAN", "1.02.02", "PROGRAM PEMENUHAN UPAYA KESEHATAN"]
    rows: list[list[Any]] = [
        header,
        [
            *bidang,
            "1.02.02.2.01",
            "Penyediaan Fasilitas Kab/Kota",
            "1.02.02.2.01.0001",
            "Pembangunan RS",
            "RS Terbangun",
            "Jumlah RS",
            "Unit",
            "kabkota",
            None,
            "Dinas Kesehatan",
        ],
        [
            *bidang,
            "1.02.02.2.01",
            "Penyediaan Fasilitas Kab/Kota",
            "1.02.02.2.01.0002",
            "Pembangunan Puskesmas",
            "Puskesmas Terbangun",
            "Jumlah Puskesmas",
            "Unit",
            "kabkota",
            None,
            None,
        ],
        [
            *bidang,
            "1.02.02.1.01",
            "Penyediaan Fasilitas Provinsi",
            "1.02.02.1.01.0001",
            "Pengembangan RS Provinsi",
            "RS Berkembang",
            "Jumlah RS",
            "Unit",
            "provinsi",
            "1.02.02.1.01.0009 Pengembangan Rumah Sakit",
            None,
        ],
        [
            "X.XX",
            "PENUNJANG",
            "X.XX.01",
            "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH PROVINSI",
            "X.XX.01.1.01",
            "Perencanaan Provinsi",
            "X.XX.01.1.01.0001",
            "Penyusunan Dokumen Perencanaan",
            "Dokumen",
            "Jumlah",
            "Dokumen",
            "provinsi",
            None,
            None,
        ],
        [
            "X.XX",
            "PENUNJANG",
            "X.XX.01",
            "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
            "X.XX.01.2.01",
            "Perencanaan Kab/Kota",
            "X.XX.01.2.01.0001",
            "Penyusunan Dokumen Perencanaan",
            "Dokumen",
            "Jumlah",
            "Dokumen",
            "kabupaten/kota",
            None,
            None,
        ],
    ]
    report = nomenclature_load_xlsx(
        _xlsx(tmp_path / "sipd.xlsx", rows), edisi="2028-sipd", nama="Ekspor SIPD 2028"
    )
    items = {(i.kode, i.berlaku_untuk): i for i in NomenclatureItem.objects.filter(edisi__kode="2028-sipd")}
    assert sorted(items) == [
        ("1", "semua"),
        ("1.02", "semua"),
        ("1.02.02", "semua"),
        ("1.02.02.1.01", "provinsi"),
        ("1.02.02.1.01.0001", "provinsi"),
        ("1.02.02.2.01", "kabkota"),
        ("1.02.02.2.01.0001", "kabkota"),
        ("1.02.02.2.01.0002", "kabkota"),
        ("X", "semua"),
        ("X.XX", "semua"),
        ("X.XX.01", "kabkota"),
        ("X.XX.01", "provinsi"),
        ("X.XX.01.1.01", "provinsi"),
        ("X.XX.01.1.01.0001", "provinsi"),
        ("X.XX.01.2.01", "kabkota"),
        ("X.XX.01.2.01.0001", "kabkota"),
    ]
    assert [p[0] for p in report.placeholders] == ["1", "X"]  # urusan, with their fixed names
    assert items[("1", "semua")].nama == codes.URUSAN_NAMES["1"]
    assert items[("X.XX.01", "provinsi")].nama.endswith("PROVINSI")
    assert items[("1.02", "semua")].nama == "URUSAN PEMERINTAHAN BIDANG KESEHATAN"
    moved = items[("1.02.02.1.01.0001", "provinsi")]
    assert (moved.kode_sebelumnya, moved.indikator, moved.kinerja) == (
        "1.02.02.1.01.0009",
        "Jumlah RS",
        "RS Berkembang",
    )


@pytest.mark.django_db
def test_load_xlsx_bad_rows_are_all_reported_and_nothing_is_written(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Daftar nomenklatur"],
        ["Kode", "Uraian", "Berlaku", "Satuan"],
        ["1", "URUSAN PEMERINTAHAN WAJIB", "semua"],  # row 3: fine
        ["1.02.02.2", "Bentuk kode salah", ""],  # row 4
        ["1.02.02.2.01.0001", "   ", "kabkota"],  # row 5: no name
        ["1.02.02.2.01.0002", "Pembangunan Puskesmas", "desa"],  # row 6: unknown kind
        [None, "Nama tanpa kode", None],  # row 7
        ["1.02.02.2.01.0003", "Pengadaan Obat", "kabkota", "x" * 101],  # row 8: unit too long
        ["1.02.02.2.01.0004", "Satu", "kabkota"],  # row 9
        ["1.02.02.2.01.0004", "Dua", "kabkota"],  # row 10: same code and kind, another name
        ["Sumber: SIPD", None, None],  # row 11
    ]
    path = _xlsx(tmp_path / "salah.xlsx", rows)
    with pytest.raises(ApplicationError) as info:
        nomenclature_load_xlsx(path, edisi="2028", nama="Rancangan")
    error = info.value
    assert error.code == "nomenklatur_tidak_valid"
    assert "7 kesalahan" in error.message and "tidak ada yang dimuat" in error.message
    assert [(e["baris"], e["kolom"]) for e in error.errors] == [
        (4, "Kode"),
        (5, "Uraian"),
        (6, "Berlaku"),
        (7, "Kode"),
        (8, "Satuan"),
        (10, "Kode"),
        (11, "Kode"),
    ]
    messages = {e["baris"]: e["pesan"] for e in error.errors}
    assert "bukan kode nomenklatur" in messages[4]
    assert messages[5] == "Nama wajib diisi."
    assert "provinsi, kabupaten/kota atau semua" in messages[6]
    assert "Paling panjang 100 karakter" in messages[8]
    assert "sudah ada di baris 9 dengan nama lain" in messages[10]
    assert NomenclatureEdition.objects.count() == 0 and NomenclatureItem.objects.count() == 0
    assert not ReferenceDataLoad.objects.filter(dataset__startswith="nomenklatur").exists()


@pytest.mark.django_db
def test_load_xlsx_same_code_two_names_without_kind_column(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Kode", "Nama"],
        ["X.XX.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH PROVINSI"],
        ["X.XX.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"],
    ]
    with pytest.raises(ApplicationError) as info:
        nomenclature_load_xlsx(_xlsx(tmp_path / "a.xlsx", rows), edisi="2028", nama="Uji")
    assert [e["baris"] for e in info.value.errors] == [2, 3]
    assert "tambahkan kolom “Berlaku”" in info.value.errors[0]["pesan"]


@pytest.mark.django_db
def test_load_xlsx_kind_from_the_name_header_and_j_digit(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["KODE", "NOMENKLATUR URUSAN KABUPATEN/KOTA"],
        ["1.02.02", "PROGRAM PEMENUHAN UPAYA KESEHATAN"],
        ["1.02.02.2.01", "Penyediaan Fasilitas"],
    ]
    nomenclature_load_xlsx(_xlsx(tmp_path / "kab.xlsx", rows), edisi="kab", nama="Tabel kab/kota")
    assert set(
        NomenclatureItem.objects.filter(kode__startswith="1.02.02").values_list("kode", "berlaku_untuk")
    ) == {
        ("1.02.02", "kabkota"),
        ("1.02.02.2.01", "kabkota"),
    }
    rows = [["Kode Sub Kegiatan", "Nomenklatur"], ["1.02.02.1.01", "Provinsi"], ["1.02.02.2.01", "Kab"]]
    nomenclature_load_xlsx(_xlsx(tmp_path / "j.xlsx", rows), edisi="j", nama="J")
    kinds = dict(
        NomenclatureItem.objects.filter(edisi__kode="j", level="kegiatan").values_list(
            "kode", "berlaku_untuk"
        )
    )
    assert kinds == {"1.02.02.1.01": "provinsi", "1.02.02.2.01": "kabkota"}
    assert NomenclatureItem.objects.get(edisi__kode="j", kode="1.02.02").berlaku_untuk == "semua"


@pytest.mark.django_db
def test_load_xlsx_one_sheet_per_kind_of_pemda(tmp_path: Path) -> None:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Catatan"
    notes.append(["Lampiran ini terdiri atas dua tabel."])
    tables = {
        "Provinsi": ("NOMENKLATUR URUSAN PROVINSI", "Penyediaan Fasilitas Provinsi", "1.02.02.1.01"),
        "Kab-Kota": ("NOMENKLATUR URUSAN KABUPATEN/KOTA", "Penyediaan Fasilitas Kab/Kota", "1.02.02.2.01"),
    }
    for title, (header, kegiatan, kode) in tables.items():
        sheet = workbook.create_sheet(title)
        sheet.append(["KODE", header])
        sheet.append(["1.02.02", "PROGRAM PEMENUHAN UPAYA KESEHATAN"])
        sheet.append([kode, kegiatan])
    path = tmp_path / "lampiran.xlsx"
    workbook.save(path)
    report = nomenclature_load_xlsx(path, edisi="2029", nama="Lampiran")
    rows = set(NomenclatureItem.objects.filter(edisi__kode="2029").values_list("kode", "berlaku_untuk"))
    assert {r for r in rows if r[0].startswith("1.02.02")} == {
        ("1.02.02", "provinsi"),
        ("1.02.02", "kabkota"),
        ("1.02.02.1.01", "provinsi"),
        ("1.02.02.2.01", "kabkota"),
    }
    assert ("1.02", "semua") in {(k, b) for k, b, _n in report.placeholders}
    assert NomenclatureEdition.objects.get(kode="2029").sumber.endswith("lembar Provinsi, Kab-Kota")

    # A clash between two rows of one sheet names the sheet of each.
    second = workbook["Kab-Kota"]
    second.append(["1.02.02.2.01", "Nama lain"])
    workbook.save(path)
    with pytest.raises(ApplicationError) as info:
        nomenclature_load_xlsx(path, edisi="2029", nama="Lampiran")
    assert [(e["lembar"], e["baris"]) for e in info.value.errors] == [("Kab-Kota", 4)]
    assert "sudah ada di baris 3 dengan nama lain" in info.value.errors[0]["pesan"]


@pytest.mark.django_db
def test_load_xlsx_file_problems(tmp_path: Path) -> None:
    not_xlsx = tmp_path / "bukan.xlsx"
    not_xlsx.write_text("kode,nama\n1,URUSAN\n", encoding="utf-8")
    with pytest.raises(ApplicationError, match="tidak dapat dibaca"):
        nomenclature_load_xlsx(not_xlsx, edisi="2028", nama="Uji")
    with pytest.raises(ApplicationError, match="tidak ditemukan"):
        nomenclature_load_xlsx(tmp_path / "tidak-ada.xlsx", edisi="2028", nama="Uji")
    no_header = _xlsx(tmp_path / "tanpa-judul.xlsx", [["Nomor", "Keterangan"], [1, "apa saja"]])
    with pytest.raises(ApplicationError, match="Judul kolom tidak ditemukan"):
        nomenclature_load_xlsx(no_header, edisi="2028", nama="Uji")
    empty = _xlsx(tmp_path / "kosong.xlsx", [["Kode", "Nama"]])
    with pytest.raises(ApplicationError, match="tidak berisi baris nomenklatur"):
        nomenclature_load_xlsx(empty, edisi="2028", nama="Uji")
    good = _xlsx(tmp_path / "baik.xlsx", [["Kode", "Nama"], ["1", "URUSAN"]])
    with pytest.raises(ApplicationError) as info:
        nomenclature_load_xlsx(good, edisi="20 28/", nama=" ")
    assert [e["kolom"] for e in info.value.errors] == ["edisi", "nama"]
    assert NomenclatureEdition.objects.count() == 0


# --- the command ----------------------------------------------------------------------------------


@FULL_LOAD
@pytest.mark.django_db
def test_command_load_search_list() -> None:
    out = StringIO()
    call_command("nomenclature", "list", stdout=out)
    assert "Belum ada edisi" in out.getvalue()
    with pytest.raises(CommandError, match="Belum ada edisi nomenklatur"):
        call_command("nomenclature", "search", "rumah sakit", stdout=StringIO())

    out = StringIO()
    call_command("nomenclature", "load", "--edisi", "2027", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "Nomenklatur edisi 2027" in text and "7.376" in text and "Dimuat: 9.229 baris" in text
    out = StringIO()
    call_command("nomenclature", "load", "--no-progress", stdout=out)
    assert "Tidak ada perubahan" in out.getvalue()

    out = StringIO()
    call_command("nomenclature", "search", "rumah sakit pembangunan", "--pemda-jenis", "kabkota", stdout=out)
    assert "1.02.02.2.01.0001" in out.getvalue()
    out = StringIO()
    call_command(
        "nomenclature", "search", "1.02.02", "--tingkat", "program", "--edisi", "2027", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert [(d["kode"], d["level"], d["edisi"]) for d in data] == [("1.02.02", "program", "2027")]
    out = StringIO()
    call_command("nomenclature", "search", "tidakadakatainiwkwk", stdout=out)
    assert "Tidak ada nomenklatur yang cocok" in out.getvalue()

    out = StringIO()
    call_command("nomenclature", "list", stdout=out)
    assert "2027" in out.getvalue() and "7.376" in out.getvalue()

    with pytest.raises(CommandError, match="Edisi nomenklatur 1999 belum dimuat"):
        call_command("nomenclature", "search", "rumah", "--edisi", "1999", stdout=StringIO())
    with pytest.raises(CommandError, match="--limit"):
        call_command("nomenclature", "search", "rumah", "--limit", "0", stdout=StringIO())


@pytest.mark.django_db
def test_command_errors(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Edisi nomenklatur 2019 tidak dikenal"):
        call_command("nomenclature", "load", "--edisi", "2019", "--no-progress")
    path = _xlsx(tmp_path / "salah.xlsx", [["Kode", "Nama"], ["1.02.02.2", "Salah"], ["1", ""]])
    err = StringIO()
    with pytest.raises(CommandError, match="2 kesalahan"):
        call_command("nomenclature", "load-xlsx", str(path), "--edisi", "2028", "--nama", "Uji", stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("  baris 2, Kode: ") and lines[1] == "  baris 3, Nama: Nama wajib diisi."
    out = StringIO()
    good = _xlsx(tmp_path / "baik.xlsx", MESSY_ROWS, MESSY_MERGES)
    call_command(
        "nomenclature",
        "load-xlsx",
        str(good),
        "--edisi",
        "2028",
        "--nama",
        "Uji",
        "--no-progress",
        stdout=out,
    )
    assert "Induk yang tidak ada di berkas dan dibuat" in out.getvalue() and "(tanpa nama)" in out.getvalue()
