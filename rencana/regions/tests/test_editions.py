"""The pure edition functions, checked against the shipped Kepmendagri files (no database)."""

from functools import cache

import pytest

from rencana.regions import editions
from rencana.regions.editions import EditionError, RegionRow


@cache
def rows(edition: str) -> tuple[RegionRow, ...]:
    return tuple(editions.read_edition(edition))


@cache
def by_code(edition: str) -> dict[str, RegionRow]:
    return {row.kode: row for row in rows(edition)}


@pytest.mark.parametrize(
    ("kode", "level"),
    [
        ("35", "provinsi"),
        ("63.02", "kabupaten"),
        ("35.70", "kabupaten"),
        ("35.71", "kota"),
        ("35.75", "kota"),
        ("35.75.01", "kecamatan"),
        ("35.75.01.1001", "kelurahan"),
        ("11.01.01.2001", "desa"),
        ("91.01.01.3001", "desa"),
    ],
)
def test_level_of(kode: str, level: str) -> None:
    assert editions.level_of(kode) == level


@pytest.mark.parametrize("kode", ["", "3", "35.", "35.7", "35.75.1", "35.75.01.101", "ab", "35-75"])
def test_level_of_rejects_malformed_codes(kode: str) -> None:
    with pytest.raises(EditionError):
        editions.level_of(kode)


@pytest.mark.parametrize(
    ("nama", "level", "expected"),
    [
        ("Kabupaten Kotabaru", "kabupaten", "kotabaru"),
        ("Kota Pasuruan", "kota", "pasuruan"),
        ("KAB. ACEH SELATAN", "kabupaten", "aceh selatan"),
        ("Kota Administrasi Jakarta Utara ", "kota", "jakarta utara"),
        ("KAB. ADM. KEP. SERIBU", "kabupaten", "kep. seribu"),
        ("Kota  Bahagia", "kecamatan", "kota bahagia"),
        ("Bu Nuapu\u2019u", "desa", "bu nuapuu"),
        ("Kota Pasuruan", None, "pasuruan"),
        ("Kota", "kota", "kota"),
    ],
)
def test_nama_cari(nama: str, level: str | None, expected: str) -> None:
    assert editions.nama_cari(nama, level) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sei lepan-timur", ["sei", "lepan", "timur"]),
        ("kep. seribu", ["kep", "seribu"]),
        ("a a b", ["a", "b"]),
        ("", []),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert editions.tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("35", True), ("35.75.", True), ("3", True), ("", False), (".35", False), ("35a", False)],
)
def test_looks_like_code(text: str, expected: bool) -> None:
    assert editions.looks_like_code(text) is expected


def test_parse_small_file_and_diff() -> None:
    old = editions.parse_wilayah(
        "kode,nama,level,kode_induk\n"
        "63,KALIMANTAN SELATAN,provinsi,\n"
        "63.02,KAB. KOTABARU,kabupaten_kota,63\n"
        "63.02.01,Pulau Sembilan,kecamatan,63.02\n"
    )
    new = editions.parse_wilayah(
        "kode,nama,level,kode_induk\n"
        "63,KALIMANTAN SELATAN,provinsi,\n"
        "63.02,Kabupaten Kotabaru,kabupaten_kota,63\n"
        "63.02.02,Pulau Laut Barat,kecamatan,63.02\n"
    )
    diff = editions.diff_editions(old, new)
    assert diff.added == ["63.02.02"]
    assert diff.removed == ["63.02.01"]
    assert [(r.kode, r.old, r.new) for r in diff.renamed] == [
        ("63.02", "KAB. KOTABARU", "Kabupaten Kotabaru")
    ]
    assert editions.diff_editions(new, new).unchanged


@pytest.mark.parametrize(
    "body",
    [
        "kode,nama\n35,Jawa Timur\n",
        "kode,nama,level,kode_induk\n35.75,Kota Pasuruan,provinsi,35\n",
        "kode,nama,level,kode_induk\n35.75,Kota Pasuruan,kabupaten_kota,36\n",
        "kode,nama,level,kode_induk\n35,Jawa Timur,provinsi,\n35,Jawa Timur,provinsi,\n",
    ],
)
def test_parse_rejects_malformed_files(body: str) -> None:
    with pytest.raises(EditionError):
        editions.parse_wilayah(body)


def test_unknown_edition() -> None:
    with pytest.raises(EditionError, match="tidak dikenal"):
        editions.read_edition("2019")


@pytest.mark.parametrize(
    ("edition", "expected"),
    [
        (
            "2025",
            {
                "provinsi": 38,
                "kabupaten": 416,
                "kota": 98,
                "kecamatan": 7285,
                "desa": 75266,
                "kelurahan": 8496,
            },
        ),
        ("2022", {"provinsi": 37}),
    ],
)
def test_counts_per_level(edition: str, expected: dict[str, int]) -> None:
    counts = editions.count_levels(rows(edition))
    assert {key: counts[key] for key in expected} == expected
    if edition == "2025":
        # 38 / 514 / 7,285 / 83,762 as stated in PROVENANCE.md.
        assert counts["kabupaten"] + counts["kota"] == 514
        assert counts["desa"] + counts["kelurahan"] == 83_762
        assert len(rows(edition)) == 91_599
    else:
        assert len(rows(edition)) == 91_591


@pytest.mark.parametrize(
    ("kode", "nama", "level", "parent"),
    [
        ("35.75", "Kota Pasuruan", "kota", "35"),
        ("63.02", "Kabupaten Kotabaru", "kabupaten", "63"),
        ("35", "Jawa Timur", "provinsi", None),
        ("63", "Kalimantan Selatan", "provinsi", None),
        ("18.06", "Kabupaten Tanggamus", "kabupaten", "18"),
        ("32.75", "Kota Bekasi", "kota", "32"),
        ("96", "Papua Barat Daya", "provinsi", None),
    ],
)
def test_spot_checks_2025(kode: str, nama: str, level: str, parent: str | None) -> None:
    assert by_code("2025")[kode] == RegionRow(kode=kode, nama=nama, level=level, parent=parent)


def test_diff_2022_to_2025_matches_provenance() -> None:
    diff = editions.diff_editions(rows("2022"), rows("2025"))
    assert (len(diff.added), len(diff.removed), len(diff.renamed), len(diff.moved)) == (1258, 1250, 2245, 0)
    # Province 96 is absent from the 2022 file, so the diff counts it as added.
    assert "96" in diff.added
    renamed = {r.kode: r for r in diff.renamed}
    assert (renamed["11.01"].old, renamed["11.01"].new) == ("KAB. ACEH SELATAN", "Kabupaten Aceh Selatan")
    # The reverse direction swaps added and removed.
    back = editions.diff_editions(rows("2025"), rows("2022"))
    assert (back.added, back.removed) == (diff.removed, diff.added)
