"""KBLI: the shipped subset, the idempotent loader and the search by description."""

import csv
import re

import pytest

from rencana.permits import kbli
from rencana.permits.kbli import KbliEntry, root, search, shipped_entries, words
from rencana.permits.models import KbliItem


def test_shipped_subset_is_well_formed() -> None:
    entries = shipped_entries()
    assert len(entries) >= 25
    codes = [e.kode for e in entries]
    assert len(codes) == len(set(codes)), "a code appears twice"
    for entry in entries:
        assert re.fullmatch(r"\d{5}", entry.kode), entry
        assert entry.judul and entry.judul == entry.judul.strip()
    with kbli.DATA_FILE.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["kode", "judul", "keterangan", "kata_kunci"]


def test_street_food_and_small_trade_codes_are_there() -> None:
    by_code = {e.kode: e.judul for e in shipped_entries()}
    assert by_code["56104"] == "Penyediaan Makanan Keliling/Tempat Tidak Tetap"
    assert by_code["56102"] == "Rumah/Warung Makan"
    assert by_code["47112"].startswith("Perdagangan Eceran Berbagai Macam Barang yang Utamanya Makanan")


def test_provenance_says_it_is_a_subset_to_verify_in_oss() -> None:
    text = (kbli.DATA_FILE.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "SUBSET" in text and "OSS" in text and "Nomor 2 Tahun 2020" in text


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("berjualan", "jual"),
        ("jualan", "jual"),
        ("penjahit", "jahit"),
        ("penjahitan", "jahit"),
        ("makanan", "makan"),
        ("es", "es"),
    ],
)
def test_root(word: str, expected: str) -> None:
    assert root(word) == expected


def test_words_fold_case_accents_punctuation_and_stopwords() -> None:
    assert words("Jualan BAKSO, keliling di Pasar-Kaget!") == [
        "jualan",
        "bakso",
        "keliling",
        "pasar",
        "kaget",
    ]
    assert words("Café") == ["cafe"]


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("jualan bakso keliling", "56104"),
        ("pedagang kaki lima gerobak", "56104"),
        ("warung sembako", "47112"),
        ("penjahit baju pesanan", "14120"),
        ("anyaman bambu", "16291"),
        ("tukang cukur", "96111"),
        ("es teh", "56304"),
        ("membuat tempe", "10391"),
        ("jual telur ayam", "47214"),
        ("56303", "56303"),
    ],
)
def test_search_finds_the_code_a_vendor_means(query: str, best: str) -> None:
    found = search(query, shipped_entries())
    assert found and found[0].entry.kode == best, [(m.entry.kode, m.score) for m in found[:3]]


def test_search_by_code_prefix_and_nothing_for_noise() -> None:
    found = search("5610", shipped_entries(), limit=20)
    assert {m.entry.kode for m in found} == {"56101", "56102", "56103", "56104", "56109"}
    assert search("", shipped_entries()) == []
    assert search("\x00 dan yang di", shipped_entries()) == []
    assert search("qwertyuiop", shipped_entries()) == []
    assert len(search("makanan", shipped_entries(), limit=3)) == 3


def test_search_is_pure_over_any_entries() -> None:
    entries = [KbliEntry("12345", "Usaha Uji", kata_kunci="contoh")]
    assert search("contoh", entries)[0].entry.kode == "12345"


@pytest.mark.django_db
def test_loader_is_idempotent_and_keeps_other_rows() -> None:
    KbliItem.objects.create(kode="62010", judul="Aktivitas Pemrograman Komputer")
    first = kbli.kbli_load()
    assert first["baru"] == len(shipped_entries()) and first["diubah"] == 0
    assert kbli.kbli_load() == {"baru": 0, "diubah": 0, "tetap": len(shipped_entries())}
    KbliItem.objects.filter(kode="56104").update(judul="lama")
    assert kbli.kbli_load()["diubah"] == 1
    assert KbliItem.objects.get(kode="56104").judul == "Penyediaan Makanan Keliling/Tempat Tidak Tetap"
    assert KbliItem.objects.filter(kode="62010").exists()
    assert "keliling" in KbliItem.objects.get(kode="56104").cari


@pytest.mark.django_db
def test_db_search_uses_loaded_items_or_the_file() -> None:
    assert kbli.kbli_search("bakso")[0].entry.kode == "56104"  # empty table: the shipped file
    KbliItem.objects.create(kode="99999", judul="Jasa Uji Bakso Khusus", cari="bakso uji")
    assert kbli.kbli_search("bakso uji")[0].entry.kode == "99999"
    assert kbli.kbli_title("56104") == "Penyediaan Makanan Keliling/Tempat Tidak Tetap"
    assert kbli.kbli_title("99999") == "Jasa Uji Bakso Khusus"
    assert kbli.kbli_title("x") == "" and kbli.kbli_title("00000") == ""
