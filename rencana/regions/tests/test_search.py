"""Region search: the selector, the public page and the public API, on a small region set
(plus one slow test on the full 2025 edition)."""

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from rencana.conftest import make_region
from rencana.regions.loading import regions_load, regions_reindex
from rencana.regions.models import RegionBoundary
from rencana.regions.search import region_search


def _xdist_group(name: str) -> pytest.MarkDecorator:
    # With `-p no:xdist` the xdist_group marker is not registered and --strict-markers rejects it.
    try:
        return pytest.mark.xdist_group(name)
    except pytest.fail.Exception:
        return pytest.mark.slow


@pytest.fixture
def regions(db: Any) -> None:
    """Two provinces, three kabupaten/kota, a kecamatan named like a kota, a desa and a kelurahan."""
    make_region("35", "Jawa Timur", "provinsi")
    make_region("35.14", "Kabupaten Pasuruan", "kabupaten", "35")
    make_region("35.75", "Kota Pasuruan", "kota", "35")
    make_region("35.75.01", "Gadingrejo", "kecamatan", "35.75")
    make_region("35.75.01.1001", "Gadingrejo", "kelurahan", "35.75.01")
    make_region("63", "Kalimantan Selatan", "provinsi")
    make_region("63.02", "Kabupaten Kotabaru", "kabupaten", "63")
    make_region("63.02.01", "Pulau Sembilan", "kecamatan", "63.02")
    make_region("63.02.01.2001", "Tanjung Nyiur Kotabaru", "desa", "63.02.01")
    make_region("11.01.17", "Kota Bahagia", "kecamatan", "11.01")
    # The factory stores a plain lower-case key; the search index uses the loader's rules.
    regions_reindex()


def codes(found: list[Any]) -> list[str]:
    return [r.kode for r in found]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("63", ["63", "63.02", "63.02.01", "63.02.01.2001"]),
        ("35.7", ["35.75", "35.75.01", "35.75.01.1001"]),
        ("35.75.01.", ["35.75.01.1001"]),
        ("35.75.01.1001", ["35.75.01.1001"]),
        ("9", []),
    ],
)
def test_code_prefix(regions: None, q: str, expected: list[str]) -> None:
    assert codes(region_search(q)) == expected


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("kotabaru", "63.02"),
        ("Kabupaten Kotabaru", "63.02"),
        ("kab. kotabaru", "63.02"),
        ("kota pasuruan", "35.75"),
        ("kabupaten pasuruan", "35.14"),
        ("PASURUAN", "35.14"),
        ("jawa tim", "35"),
        ("pasur", "35.14"),
        ("kota bahagia", "11.01.17"),
        ("gading", "35.75.01"),
    ],
)
def test_name_ranks_the_expected_region_first(regions: None, q: str, first: str) -> None:
    found = region_search(q)
    assert found and found[0].kode == first


def test_all_words_must_match(regions: None) -> None:
    assert codes(region_search("tanjung kotabaru")) == ["63.02.01.2001"]
    assert codes(region_search("kotabaru tanjung")) == ["63.02.01.2001"]
    assert region_search("tanjung pasuruan") == []


def test_name_ranks_higher_levels_first(regions: None) -> None:
    # Kabupaten Kotabaru (exact key) before the desa whose name only contains the word.
    assert codes(region_search("kotabaru")) == ["63.02", "63.02.01.2001"]
    assert codes(region_search("gadingrejo")) == ["35.75.01", "35.75.01.1001"]


def test_filters_and_limit(regions: None) -> None:
    assert codes(region_search("pasuruan", level="kota")) == ["35.75"]
    assert codes(region_search("gadingrejo", level="kelurahan")) == ["35.75.01.1001"]
    assert codes(region_search("35", parent="35")) == ["35.14", "35.75"]
    assert codes(region_search("pasuruan", limit=1)) == ["35.14"]
    assert region_search("pasuruan", level="negara") == []
    assert region_search("pasuruan", parent="'; drop table x") == []
    assert len(region_search("6", limit=10_000)) == 4


@pytest.mark.parametrize(
    "q",
    [
        "",
        " ",
        "%",
        "_",
        "'",
        '"',
        "\\",
        "%%%",
        "a" * 500,
        "1" * 500,
        "35." * 100,
        "ü",
        "जावा",
        "\x00",
        "😀 kota",
        "..",
        "3_",
    ],
)
def test_odd_input_does_not_error(regions: None, q: str) -> None:
    assert isinstance(region_search(q), list)
    assert region_search(q, level="desa", parent="\x00") == []


def test_search_page(regions: None, client: Client) -> None:
    url = reverse("regions:wilayah_cari")
    empty = client.get(url)
    assert empty.status_code == 200
    assert "Ketik kode atau nama wilayah" in empty.content.decode()
    page = client.get(url, {"q": "kotabaru"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Kabupaten Kotabaru" in body and reverse("regions:wilayah_detail", args=["63.02"]) in body
    assert "<html" in body
    fragment = client.get(url, {"q": "kotabaru", "tingkat": "desa"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert "Tanjung Nyiur Kotabaru" in fragment.content.decode()
    assert "Kabupaten Kotabaru" not in fragment.content.decode()
    none = client.get(url, {"q": "tidakada", "tingkat": "bukan-tingkat"})
    assert none.status_code == 200 and "Tidak ada wilayah yang cocok" in none.content.decode()
    for junk in ("%", "'", "a" * 500, "\u00e9\u2019"):
        assert client.get(url, {"q": junk}).status_code == 200
    # A NUL byte may be refused by the request layer (400) but must never cause a 500.
    assert client.get(url, {"q": "\x00"}).status_code in (200, 400)


def test_detail_page(regions: None, client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(8):
        page = client.get(reverse("regions:wilayah_detail", args=["35.75.01"]))
    body = page.content.decode()
    assert page.status_code == 200
    # Parent chain, the region itself and its child.
    assert "Jawa Timur" in body and "Kota Pasuruan" in body and "35.75.01.1001" in body
    assert "Kementerian Dalam Negeri" in body
    leaf = client.get(reverse("regions:wilayah_detail", args=["35.75.01.1001"]))
    assert leaf.status_code == 200 and "Tidak ada wilayah di bawah" in leaf.content.decode()
    assert client.get(reverse("regions:wilayah_detail", args=["99.99"])).status_code == 404
    assert client.get("/wilayah/%25/").status_code == 404


def test_api_search_and_detail(regions: None, client: Client) -> None:
    found = client.get("/api/v1/wilayah", {"q": "kota pasuruan", "limit": "2"})
    assert found.status_code == 200
    data = found.json()
    assert data[0] == {
        "kode": "35.75",
        "nama": "Kota Pasuruan",
        "level": "kota",
        "parent_kode": "35",
        "parent_nama": "Jawa Timur",
        "edisi": "2025",
    }
    assert len(data) == 2
    assert [r["kode"] for r in client.get("/api/v1/wilayah", {"q": "6", "level": "kecamatan"}).json()] == [
        "63.02.01"
    ]
    assert client.get("/api/v1/wilayah", {"q": "%"}).json() == []
    bad_inputs: list[dict[str, str]] = [
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "x"},
        {"level": "negara"},
        {"q": "a" * 101},
    ]
    for bad in bad_inputs:
        response = client.get("/api/v1/wilayah", {"q": "pasuruan", **bad})
        assert response.status_code == 422, bad
        assert response.json()["code"] == "masukan_tidak_valid"
    detail = client.get("/api/v1/wilayah/35.75.01")
    assert detail.status_code == 200
    body = detail.json()
    assert [a["kode"] for a in body["induk"]] == ["35", "35.75"]
    assert (body["jumlah_anak"], body["punya_batas"]) == (1, False)
    missing = client.get("/api/v1/wilayah/99.99")
    assert missing.status_code == 404
    assert missing.json()["code"] == "tidak_ditemukan"


def test_api_boundaries(regions: None, client: Client) -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[112.9, -7.6], [112.95, -7.6], [112.95, -7.65], [112.9, -7.6]]],
    }
    RegionBoundary.objects.create(region_id="35.75", geometry=square, lat=-7.64, lng=112.91)
    RegionBoundary.objects.create(region_id="35.75.01", geometry=square, lat=-7.64, lng=112.92)
    own = client.get("/api/v1/wilayah/35.75/batas").json()
    assert own["type"] == "FeatureCollection"
    assert [f["properties"]["kode"] for f in own["features"]] == ["35.75"]
    assert own["features"][0]["geometry"] == square
    with_children = client.get("/api/v1/wilayah/35.75/batas", {"anak": 1}).json()
    assert [f["properties"]["kode"] for f in with_children["features"]] == ["35.75", "35.75.01"]
    assert client.get("/api/v1/wilayah/35/batas").json()["features"] == []
    assert client.get("/api/v1/wilayah/99/batas").status_code == 404


@pytest.mark.slow
@_xdist_group("regions_full_load")
@pytest.mark.django_db
def test_search_on_the_full_2025_edition() -> None:
    regions_load(edition="2025")
    expectations = {
        "35.75": "35.75",
        "kota pasuruan": "35.75",
        "kotabaru": "63.02",
        "kabupaten kotabaru": "63.02",
        "tanggamus": "18.06",
        "kota bekasi": "32.75",
        "jawa timur": "35",
        "kalimantan selatan": "63",
    }
    slowest = 0.0
    for q, first in expectations.items():
        started = time.perf_counter()
        found = region_search(q)
        slowest = max(slowest, time.perf_counter() - started)
        assert found and found[0].kode == first, q
    assert len(region_search("a", limit=100)) == 100
    assert region_search("35.75", level="kecamatan")[0].kode == "35.75.01"
    # A loose bound that only catches a lost index; the benchmark measures the real p95.
    assert slowest < 0.5
