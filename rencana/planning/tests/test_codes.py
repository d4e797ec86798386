"""Pure tests of `rencana.planning.codes`: no database."""

from decimal import Decimal

import pytest

from rencana.planning import codes
from rencana.planning.codes import CodeEntry, check_code, make_entry, map_codes, normalize_kode

# --- normalize_kode ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1.02, "1.02"),  # "1.02" typed into a number cell
        (1.1, "1.10"),  # "1.10" typed into a number cell loses its trailing zero
        (1.2, "1.20"),
        (2, "2"),
        (2.0, "2"),
        (Decimal("1.10"), "1.10"),
        (Decimal("1.1"), "1.10"),
        (Decimal("1.020"), "1.02"),
        (Decimal("7"), "7"),
        ("1.1", "1.10"),
        ("  1.02.02 ", "1.02.02"),
        ("1.02.02.", "1.02.02"),
        ("\u00a01.02.02.2.01.0001\u00a0", "1.02.02.2.01.0001"),
        ("1.02.02.2.01.0001", "1.02.02.2.01.0001"),
        ("1. 02 .02", "1.02.02"),
        ("X.XX.01", "X.XX.01"),
        ("x.xx.01.2.01.0001", "X.XX.01.2.01.0001"),
        ("X", "X"),
        ("1.2.2", "1.02.02"),
        ("01.02", "1.02"),
        # Kepmendagri 050-3708/2020 numbered sub-kegiatan with two digits.
        ("1.02.02.2.01.01", "1.02.02.2.01.0001"),
    ],
)
def test_normalize_kode(raw: object, expected: str) -> None:
    assert normalize_kode(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "abc",
        "1..2",
        "1.02.02.2",  # four segments: no level has that shape
        "1.02.02.11.01",  # J has one digit
        "1.020",
        "12",
        1.123,
        12,
        -1,
        float("nan"),
        True,
        [1],
        "1.02.02.2.01.00001",
        "Sumber: SIPD",
    ],
)
def test_normalize_kode_refuses(raw: object) -> None:
    with pytest.raises(ValueError) as info:
        normalize_kode(raw)
    message = str(info.value)
    assert "kode" in message.lower()


def test_normalize_kode_message_is_indonesian_and_names_the_value() -> None:
    with pytest.raises(ValueError, match="“abc” bukan kode nomenklatur"):
        normalize_kode("abc")
    with pytest.raises(ValueError, match="Kode kosong"):
        normalize_kode(None)


# --- shape ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kode", "level"),
    [
        ("1", "urusan"),
        ("X", "urusan"),
        ("1.02", "bidang"),
        ("X.XX", "bidang"),
        ("1.02.02", "program"),
        ("X.XX.01", "program"),
        ("1.02.02.2.01", "kegiatan"),
        ("X.XX.01.1.01", "kegiatan"),
        ("1.02.02.2.01.0001", "sub_kegiatan"),
        ("X.XX.01.2.05.0009", "sub_kegiatan"),
        ("", None),
        ("12", None),
        ("1.2", None),
        ("1.02.02.2", None),
        ("1.02.02.2.01.001", None),
        ("1.X2", None),
        ("1.02.XX", None),
        ("A.02", None),
    ],
)
def test_level_of(kode: str, level: str | None) -> None:
    assert codes.level_of(kode) == level


@pytest.mark.parametrize(
    ("kode", "parent"),
    [
        ("1", ""),
        ("1.02", "1"),
        ("X.XX", "X"),
        ("1.02.02", "1.02"),
        ("1.02.02.2.01", "1.02.02"),  # a kegiatan's parent is its program: J is not a level
        ("1.02.02.2.01.0001", "1.02.02.2.01"),
    ],
)
def test_parent_kode(kode: str, parent: str) -> None:
    assert codes.parent_kode(kode) == parent


@pytest.mark.parametrize(
    ("jenis", "kind"),
    [("provinsi", "provinsi"), ("kabupaten", "kabkota"), ("kota", "kabkota"), (" Kota ", "kabkota")],
)
def test_pemda_kind_of(jenis: str, kind: str) -> None:
    assert codes.pemda_kind_of(jenis) == kind


def test_pemda_kind_of_unknown() -> None:
    with pytest.raises(ValueError, match="Jenis pemda tidak dikenal"):
        codes.pemda_kind_of("desa")


@pytest.mark.parametrize(
    ("berlaku", "kind", "expected"),
    [
        ("semua", "provinsi", True),
        ("semua", "kabkota", True),
        ("provinsi", "provinsi", True),
        ("provinsi", "kabkota", False),
        ("kabkota", "kabkota", True),
        ("kabkota", "provinsi", False),
    ],
)
def test_applies_to(berlaku: str, kind: str, expected: bool) -> None:
    assert codes.applies_to(berlaku, kind) is expected


def test_pemda_digit_kind() -> None:
    assert codes.pemda_digit_kind("1.01.02.1.01") == "provinsi"
    assert codes.pemda_digit_kind("1.02.02.2.01.0001") == "kabkota"
    assert codes.pemda_digit_kind("1.01.07.7.01.0001") is None
    assert codes.pemda_digit_kind("1.02.02") is None


def test_nama_cari() -> None:
    assert codes.nama_cari("  Pembangunan   Rumah\u00a0Sakit ") == "pembangunan rumah sakit"


# --- check_code ----------------------------------------------------------------------------------

ENTRIES = [
    make_entry("1.02.02", "PROGRAM PEMENUHAN UPAYA KESEHATAN", "semua"),
    make_entry(
        "1.02.02.1.01", "Penyediaan Fasilitas Pelayanan Kesehatan untuk UKM dan UKP Provinsi", "provinsi"
    ),
    make_entry(
        "1.02.02.2.01", "Penyediaan Fasilitas Pelayanan Kesehatan untuk UKM dan UKP Kab/Kota", "kabkota"
    ),
    make_entry(
        "1.02.02.2.01.0001", "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya", "kabkota"
    ),
    make_entry("X.XX.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH PROVINSI", "provinsi"),
    make_entry("X.XX.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA", "kabkota"),
]


def lookup(kode: str, kind: str) -> CodeEntry | None:
    found = [e for e in ENTRIES if e.kode == kode and codes.applies_to(e.berlaku_untuk, kind)]
    found.sort(key=lambda e: e.berlaku_untuk != kind)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("kode", "level", "parent", "kind"),
    [
        ("1.02.02", "program", None, "kabkota"),
        ("1.02.02", "program", "", "kabkota"),  # a program at the top of the budget tree
        ("1.02.02.2.01", "kegiatan", "1.02.02", "kabkota"),
        ("1.02.02.1.01", "kegiatan", "1.02.02", "provinsi"),
        ("1.02.02.2.01.0001", "sub_kegiatan", "1.02.02.2.01", "kabkota"),
        ("X.XX.01", "program", None, "provinsi"),
    ],
)
def test_check_code_ok(kode: str, level: str, parent: str | None, kind: str) -> None:
    assert check_code(kode, level=level, parent_kode=parent, pemda_kind=kind, lookup=lookup) == []


def test_check_code_unknown() -> None:
    problems = check_code(
        "1.02.02.2.01.0999", level="sub_kegiatan", parent_kode=None, pemda_kind="kabkota", lookup=lookup
    )
    assert problems == ["Kode 1.02.02.2.01.0999 tidak ada di nomenklatur."]


def test_check_code_not_a_code() -> None:
    problems = check_code("1.02.9", level="program", parent_kode=None, pemda_kind="kabkota", lookup=lookup)
    assert problems == ["Kode 1.02.9 tidak berbentuk kode nomenklatur."]


@pytest.mark.parametrize("parent", [None, "", "1.02.02"])
def test_check_code_wrong_level(parent: str | None) -> None:
    # One problem: the level; the parent check would only repeat it.
    problems = check_code(
        "1.02.02", level="kegiatan", parent_kode=parent, pemda_kind="kabkota", lookup=lookup
    )
    assert problems == ["Kode 1.02.02 adalah kode program, bukan kegiatan."]
    problems = check_code(
        "1.02.02.2.01.0999", level="kegiatan", parent_kode=None, pemda_kind="kabkota", lookup=lookup
    )
    assert problems == ["Kode 1.02.02.2.01.0999 adalah kode sub-kegiatan, bukan kegiatan."]


def test_check_code_wrong_parent() -> None:
    problems = check_code(
        "1.02.02.2.01.0001",
        level="sub_kegiatan",
        parent_kode="1.02.02.2.02",
        pemda_kind="kabkota",
        lookup=lookup,
    )
    assert problems == [
        "Kode 1.02.02.2.01.0001 seharusnya berada di bawah 1.02.02.2.01, bukan di bawah 1.02.02.2.02."
    ]


def test_check_code_needs_a_parent() -> None:
    problems = check_code(
        "1.02.02.2.01", level="kegiatan", parent_kode="", pemda_kind="kabkota", lookup=lookup
    )
    assert problems == ["Kode 1.02.02.2.01 (kegiatan) harus berada di bawah 1.02.02."]


def test_check_code_other_kind_of_pemda() -> None:
    # A provinsi kegiatan used by a kabupaten, and a kab/kota sub-kegiatan used by a provinsi.
    problems = check_code(
        "1.02.02.1.01", level="kegiatan", parent_kode="1.02.02", pemda_kind="kabkota", lookup=lookup
    )
    assert problems == [
        "Kode 1.02.02.1.01 hanya berlaku untuk pemda provinsi, tidak untuk pemda kabupaten/kota."
    ]
    problems = check_code(
        "1.02.02.2.01.0001", level="sub_kegiatan", parent_kode=None, pemda_kind="provinsi", lookup=lookup
    )
    assert problems == [
        "Kode 1.02.02.2.01.0001 hanya berlaku untuk pemda kabupaten/kota, tidak untuk pemda provinsi."
    ]


def test_check_code_lookup_prefers_the_kind() -> None:
    entry = lookup("X.XX.01", "kabkota")
    assert entry is not None and entry.nama.endswith("KABUPATEN/KOTA")


# --- map_codes -----------------------------------------------------------------------------------


def e(kode: str, nama: str, previous: str = "") -> CodeEntry:
    return make_entry(kode, nama, "kabkota", kode_sebelumnya=previous)


OLD = [
    e("1.02.02", "PROGRAM PEMENUHAN UPAYA KESEHATAN"),
    e("1.02.02.2.01", "Penyediaan Fasilitas"),
    e("1.02.02.2.01.0001", "Pembangunan Rumah Sakit"),  # same code, same name
    e("1.02.02.2.01.0002", "Pembangunan Puskesmas"),  # same code, renamed
    e("1.02.02.2.01.0003", "Pengadaan Alat Kesehatan"),  # moved within the program (another kegiatan)
    e("1.02.02.2.01.0004", "Rehabilitasi Gudang Obat"),  # replaced, named by kode_sebelumnya
    e("1.02.02.2.01.0005", "Pengembangan Laboratorium"),  # gone
    e("1.02.02.2.01.0006", "Pemeliharaan Ambulans"),  # moved to another program: not a name match
    e("1.02.02.2.01.0007", "Operasional Posyandu"),  # its code now holds the moved 0003: reused
]
NEW = [
    e("1.02.02", "PROGRAM PEMENUHAN UPAYA KESEHATAN"),
    e("1.02.02.2.01", "Penyediaan Fasilitas"),
    e("1.02.02.2.02", "Penyediaan Layanan"),
    e("1.02.02.2.01.0001", "pembangunan  rumah sakit"),  # case and spaces do not count
    e("1.02.02.2.01.0002", "Pembangunan Puskesmas dan Pustu"),
    e("1.02.02.2.01.0007", "Pengadaan Alat Kesehatan"),
    e("1.02.02.2.02.0001", "Pengadaan Alat Kesehatan"),
    e("1.02.02.2.01.0010", "Rehabilitasi dan Pemeliharaan Gudang Farmasi", previous="1.02.02.2.01.0004"),
    e("1.02.03.2.01.0001", "Pemeliharaan Ambulans"),
    e("1.02.02.2.01.0011", "Sub-kegiatan baru"),
]


def test_map_codes_cases() -> None:
    result = map_codes(OLD, NEW)
    by_code = {m.kode_lama: m for m in result.items}
    assert [m.kode_lama for m in result.items] == sorted(e.kode for e in OLD)

    same = by_code["1.02.02.2.01.0001"]
    assert (same.cara, same.kode_baru, same.nama_berubah, same.perlu_keputusan) == (
        "kode_sama",
        "1.02.02.2.01.0001",
        False,
        False,
    )
    assert not same.kode_berubah

    renamed = by_code["1.02.02.2.01.0002"]
    assert (renamed.cara, renamed.kode_baru, renamed.nama_berubah) == ("kode_sama", "1.02.02.2.01.0002", True)
    assert renamed.perlu_keputusan

    moved = by_code["1.02.02.2.01.0003"]
    assert (moved.cara, moved.kode_baru) == ("nama_sama", "1.02.02.2.01.0007")  # same parent kegiatan first
    assert [a.kode for a in moved.alternatif] == ["1.02.02.2.02.0001"]
    assert moved.kode_berubah and moved.perlu_keputusan

    previous = by_code["1.02.02.2.01.0004"]
    assert (previous.cara, previous.kode_baru, previous.perlu_keputusan) == (
        "kode_sebelumnya",
        "1.02.02.2.01.0010",
        False,
    )

    gone = by_code["1.02.02.2.01.0005"]
    assert (gone.cara, gone.baru, gone.alternatif) == ("tidak_terpetakan", None, ())

    # A name match in another program does not count.
    other_program = by_code["1.02.02.2.01.0006"]
    assert other_program.cara == "tidak_terpetakan"

    # 0007 exists in the new edition, but it now holds what was 0003: the code was reused.
    reused = by_code["1.02.02.2.01.0007"]
    assert (reused.cara, reused.baru) == ("tidak_terpetakan", None)
    assert [a.kode for a in reused.alternatif] == ["1.02.02.2.01.0007"]

    assert by_code["1.02.02"].cara == "kode_sama"
    assert by_code["1.02.02.2.01"].cara == "kode_sama"
    assert result.get("1.02.02.2.01.0004") is previous
    assert result.get("9.99") is None


def test_map_codes_summary() -> None:
    result = map_codes(OLD, NEW)
    counts = result.counts()
    assert counts["sub_kegiatan"] == {
        "kode_sama": 2,
        "nama_sama": 1,
        "kode_sebelumnya": 1,
        "tidak_terpetakan": 3,
        "nama_berubah": 1,
        "tanpa_asal": 3,  # 2.02.0001 (an alternative only), 03.2.01.0001 and 0011
    }
    assert counts["program"]["kode_sama"] == 1
    assert counts["kegiatan"]["tanpa_asal"] == 1  # 1.02.02.2.02
    assert {m.kode_lama for m in result.perlu_keputusan} == {
        "1.02.02.2.01.0002",
        "1.02.02.2.01.0003",
        "1.02.02.2.01.0005",
        "1.02.02.2.01.0006",
        "1.02.02.2.01.0007",
    }
    assert sorted(x.kode for x in result.tanpa_asal if x.level == "sub_kegiatan") == [
        "1.02.02.2.01.0011",
        "1.02.02.2.02.0001",
        "1.02.03.2.01.0001",
    ]
    assert result.target_ganda == {}
    assert [m.kode_lama for m in result.by_method("nama_sama")] == ["1.02.02.2.01.0003"]


def test_map_codes_merged_targets_and_levels_above_program_ignored() -> None:
    old = [e("1.02", "BIDANG"), e("1.02.02.2.01.0001", "Satu"), e("1.02.02.2.02.0001", "Satu")]
    new = [e("1.02", "BIDANG"), e("1.02.02.2.01.0001", "Satu")]
    result = map_codes(old, new)
    assert [m.kode_lama for m in result.items] == ["1.02.02.2.01.0001", "1.02.02.2.02.0001"]
    assert list(result.target_ganda) == ["1.02.02.2.01.0001"]
    assert result.items[1].cara == "nama_sama"


def test_map_codes_prefers_the_kind_over_semua() -> None:
    old = [make_entry("X.XX.01", "PROGRAM PENUNJANG KABUPATEN/KOTA", "kabkota")]
    new = [
        make_entry("X.XX.01", "PROGRAM PENUNJANG", "semua"),
        make_entry("X.XX.01", "Program Penunjang Kabupaten/Kota", "kabkota"),
    ]
    result = map_codes(old, new)
    assert (result.items[0].cara, result.items[0].nama_berubah) == ("kode_sama", False)
    assert result.items[0].baru is not None and result.items[0].baru.berlaku_untuk == "kabkota"
