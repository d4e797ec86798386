"""Area and population facts, including the repair of the published file's damaged rows. No database."""

from decimal import Decimal

import pytest

from rencana.regions.facts import all_facts, merge_rows, normalise_code, region_facts


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("11.1", "11.10"), ("12.2", "12.20"), ("31.0", "31"), ("63.02", "63.02"), ("35", "35"), (" 0 ", "0")],
)
def test_codes_damaged_by_a_spreadsheet_are_restored(raw: str, expected: str) -> None:
    assert normalise_code(raw) == expected


def test_split_rows_of_one_region_are_merged() -> None:
    rows = [
        {
            "kode": "11.1",
            "nama": "Kabupaten Aceh Singkil",
            "luas_km2": "1851.615",
            "penduduk_pria": "",
            "penduduk_wanita": "",
            "penduduk_total": "",
        },
        {
            "kode": "11.10",
            "nama": "Kabupaten Aceh Singkil",
            "luas_km2": "",
            "penduduk_pria": "70857",
            "penduduk_wanita": "69604",
            "penduduk_total": "140461",
        },
    ]
    facts = merge_rows(rows)["11.10"]
    assert facts.luas_km2 == Decimal("1851.615")
    assert facts.penduduk_total == 140461


def test_shipped_file_has_every_kabupaten_kota_once_with_complete_figures() -> None:
    facts = all_facts()
    assert len([k for k in facts if k.count(".") == 1]) == 514
    assert len([k for k in facts if k.count(".") == 0 and k != "0"]) == 38
    incomplete = [
        f.kode for f in facts.values() if f.kode != "0" and (f.luas_km2 is None or f.penduduk_total is None)
    ]
    assert incomplete == []


def test_kotabaru_figures_as_published() -> None:
    kotabaru = region_facts("63.02")
    assert kotabaru is not None
    assert kotabaru.luas_km2 == Decimal("9345.91")
    assert (kotabaru.penduduk_laki_laki, kotabaru.penduduk_perempuan) == (171691, 161096)
    assert kotabaru.kepadatan == Decimal(36)
    assert kotabaru.rasio_jenis_kelamin == Decimal("106.6")
