"""The public comparison page of Jawa Timur's 38 kabupaten/kota (IPM, IPG, IDG, IKG from the shipped BPS
file): ranking, chart, map and legend, highlight, trend, XLSX, GeoJSON, and hostile parameters."""

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from rencana.conftest import make_region
from rencana.core.numbers import format_angka
from rencana.gender import bps, compare
from rencana.gender.tests.test_bps import csv_rows, make_jatim
from rencana.regions.models import RegionBoundary

pytestmark = pytest.mark.django_db

D = Decimal
URL = "/pug/perbandingan/35/"
GEO = "/pug/perbandingan/35/peta.geojson"


def square(lng: float, lat: float, size: float = 0.05) -> dict[str, Any]:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def jatim(db: Any) -> None:
    make_jatim()
    bps.load_jatim()
    RegionBoundary.objects.create(region_id="35.75", geometry=square(112.88, -7.66), lat=-7.64, lng=112.9)
    RegionBoundary.objects.create(region_id="35.78", geometry=square(112.7, -7.3), lat=-7.27, lng=112.72)


def file_values(indeks: str, tahun: int) -> dict[str, Decimal]:
    return {
        r["kode_kemendagri"]: D(r["nilai"])
        for r in csv_rows()
        if r["indikator"] == indeks and int(r["tahun"]) == tahun
    }


def table_rows(body: str) -> dict[str, list[str]]:
    """Region code -> the texts of its cells in the ranking table."""
    table = body[
        body.index('id="tabel-peringkat"') : body.index("</table>", body.index('id="tabel-peringkat"'))
    ]
    rows = {}
    for kode, cells in re.findall(r'<tr data-kode="([\d.]+)"[^>]*>(.*?)</tr>', table, re.S):
        texts = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", cells, re.S)
        ]
        rows[kode] = texts
    return rows


def expected_ranks(values: dict[str, Decimal], lower_better: bool) -> dict[str, int]:
    """Competition ranks computed here independently of gender.compare."""
    return {
        kode: 1 + sum(1 for other in values.values() if (other < v if lower_better else other > v))
        for kode, v in values.items()
    }


@pytest.mark.parametrize("indeks", ["IPM", "IPG", "IDG", "IKG"])
def test_ranking_numbers_match_the_shipped_file(jatim: None, client: Client, indeks: str) -> None:
    response = client.get(URL, {"indeks": indeks, "tahun": "2023"})
    assert response.status_code == 200
    body = response.content.decode()
    values = file_values(indeks, 2023)
    province = values.pop("35")
    rows = table_rows(body)
    assert len(rows) == 38 == len(values)
    ranks = expected_ranks(values, lower_better=indeks == "IKG")
    decimals = compare.DECIMALS[indeks]
    for kode, value in values.items():
        peringkat, kode_cell, _nama, nilai, selisih, _posisi, _kelas = rows[kode]
        assert kode_cell == kode
        assert nilai == format_angka(value, decimals), (kode, nilai)
        assert int(peringkat) == ranks[kode]
        diff = format_angka(value - province, decimals)
        assert selisih == (f"+{diff}" if value > province else diff)
    assert format_angka(province, decimals) in body
    # Table order is the rank order.
    assert [int(r[0]) for r in rows.values()] == sorted(int(r[0]) for r in rows.values())


def test_default_page_is_ipm_latest_year_with_map_legend_and_sources(jatim: None, client: Client) -> None:
    body = client.get(URL).content.decode()
    assert "Peringkat IPM kabupaten/kota, Provinsi Jawa Timur, 2023" in body
    rows = table_rows(body)
    first = next(iter(rows.values()))
    assert first[:4] == ["1", "35.78", "Kota Surabaya", "83,45"]
    assert rows["35.75"][3] == "77,17"
    # Chart, map container, legend in text, and the source under table, chart and map.
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="grafik-peringkat"' in body
    assert 'id="peta-perbandingan"' in body and 'data-geojson="/pug/perbandingan/35/peta.geojson?' in body
    assert "leaflet/leaflet.js" in body and "gender/perbandingan.js" in body
    assert 'id="legenda-peta"' in body and "Kelas 1:" in body and "Kelas 5:" in body
    assert body.count("Sumber: BPS") >= 4
    assert "noscript" in body


def test_ikg_ranks_ascending_with_kota_madiun_first(jatim: None, client: Client) -> None:
    rows = table_rows(client.get(URL, {"indeks": "IKG"}).content.decode())
    ordered = list(rows.items())
    assert ordered[0][0] == "35.77" and ordered[0][1][0] == "1" and ordered[0][1][3] == "0,079"
    assert ordered[-1][0] == "35.26" and ordered[-1][1][3] == "0,615"
    assert rows["35.75"][3] == "0,310" and rows["35.75"][5] == "lebih baik"  # 0.310 < province 0.423


def test_highlight_kota_pasuruan_in_table_chart_map_and_trend(jatim: None, client: Client) -> None:
    body = client.get(URL, {"indeks": "IPM", "tahun": "2023", "sorot": "35.75"}).content.decode()
    assert '<tr data-kode="35.75" class="sorot" aria-current="true">' in body
    assert "<mark>Kota Pasuruan</mark>" in body
    assert 'class="batang sorot" data-kode="35.75"' in body
    assert "sorot=35.75" in body  # the GeoJSON and XLSX links carry the highlight
    assert "Garis tepi merah tebal: Kota Pasuruan (disorot)" in body
    trend = body[body.index('id="tabel-tren"') :]
    trend = trend[: trend.index("</table>")]
    row_2023 = re.search(r"<th scope=\"row\">2023</th>(.*?)</tr>", trend, re.S)
    assert row_2023 is not None
    cells = re.findall(r'<td class="num">(.*?)</td>', row_2023.group(1))
    assert cells == ["77,17", "96,81", "56,11", "0,310"]
    assert "Perkembangan indeks: Kota Pasuruan" in body
    row_2010 = re.search(r"<th scope=\"row\">2010</th>(.*?)</tr>", trend, re.S)
    assert (
        row_2010 is not None and re.findall(r'<td class="num">(.*?)</td>', row_2010.group(1))[1:] == ["—"] * 3
    )  # IPG/IDG/IKG start in 2021


def test_without_highlight_the_trend_is_the_province(jatim: None, client: Client) -> None:
    body = client.get(URL).content.decode()
    assert "Perkembangan indeks: Provinsi Jawa Timur" in body and 'class="sorot"' not in body


def test_older_year_and_region_without_data(jatim: None, client: Client) -> None:
    from rencana.gender.models import IndexValue

    IndexValue.objects.filter(wilayah_id="35.79", indeks="IPM", tahun=2015).delete()
    rows = table_rows(client.get(URL, {"indeks": "IPM", "tahun": "2015"}).content.decode())
    values = file_values("IPM", 2015)
    assert rows["35.75"][3] == format_angka(values["35.75"], 2)
    assert list(rows)[-1] == "35.79" and rows["35.79"][0] == "—" and rows["35.79"][3] == "tidak ada data"


def test_xlsx_has_the_table_numbers(jatim: None, client: Client) -> None:
    response = client.get(URL, {"indeks": "IKG", "tahun": "2023", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="perbandingan-ikg-35-2023.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Peringkat", "Kode wilayah", "Kabupaten/kota", "IKG")
    assert rows[1][:4] == (1, "35.77", "Kota Madiun", 0.079)
    by_code = {r[1]: r for r in rows[1:39]}
    assert by_code["35.75"][3] == 0.31 and by_code["35.75"][5] == "lebih baik"
    assert any(r[0] == "Sumber: BPS" for r in rows)
    assert any(r[1] == "35" and r[3] == 0.423 for r in rows)


def test_geojson_is_a_feature_collection_with_values(jatim: None, client: Client) -> None:
    response = client.get(GEO, {"indeks": "IPM", "tahun": "2023", "sorot": "35.75"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection" and data["sumber"] == "BPS"
    assert (data["indeks"], data["tahun"], data["acuan_provinsi"]) == (
        "IPM",
        2023,
        float(file_values("IPM", 2023)["35"]),
    )
    features = {f["properties"]["kode"]: f for f in data["features"]}
    assert set(features) == {"35.75", "35.78"}
    for feature in features.values():
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Polygon"
        props = feature["properties"]
        assert set(props) >= {
            "kode",
            "nama",
            "nilai",
            "nilai_teks",
            "peringkat",
            "kelas",
            "warna",
            "sorot",
            "label",
        }
        assert 1 <= props["kelas"] <= 5 and re.fullmatch(r"#[0-9a-f]{6}", props["warna"])
    pasuruan = features["35.75"]["properties"]
    assert pasuruan["nilai"] == 77.17 and pasuruan["nilai_teks"] == "77,17" and pasuruan["sorot"] is True
    assert features["35.78"]["properties"]["sorot"] is False
    assert features["35.78"]["properties"]["peringkat"] == 1
    assert [c["kelas"] for c in data["kelas"]] == [1, 2, 3, 4, 5]
    assert sum(c["jumlah"] for c in data["kelas"]) == 38
    ikg = client.get(GEO, {"indeks": "IKG"}).json()
    assert {f["properties"]["kode"]: f["properties"]["nilai"] for f in ikg["features"]}["35.75"] == 0.31


def test_page_and_geojson_queries_do_not_grow_with_regions(jatim: None, client: Client) -> None:
    with CaptureQueriesContext(connection) as page:
        assert client.get(URL, {"sorot": "35.75"}).status_code == 200
    with CaptureQueriesContext(connection) as geo:
        assert client.get(GEO).status_code == 200
    assert len(page) <= 7, [q["sql"] for q in page]
    assert len(geo) <= 6, [q["sql"] for q in geo]


@pytest.mark.parametrize(
    "query",
    [
        {"tahun": "abc"},
        {"tahun": "99999999999999999999"},
        {"tahun": "1999"},
        {"tahun": "\u0663\u0660\u0662\u0663"},
        {"indeks": "<script>alert(1)</script>"},
        {"indeks": "IPM'; DROP TABLE gender_indexvalue;--"},
        {"sorot": "<img src=x onerror=alert(1)>"},
        {"sorot": "63.02"},
        {"format": "pdf"},
        {"tahun": "", "indeks": "", "sorot": ""},
    ],
)
def test_hostile_parameters_give_the_default_page(jatim: None, client: Client, query: dict[str, str]) -> None:
    response = client.get(URL, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Peringkat IPM kabupaten/kota, Provinsi Jawa Timur, 2023" in body
    assert "<script>alert" not in body and "<img src=x" not in body
    assert table_rows(body)["35.75"][3] == "77,17"
    geo = client.get(GEO, query)
    assert geo.status_code == 200 and geo.json()["indeks"] == "IPM"


def test_junk_parameters_are_explained(jatim: None, client: Client) -> None:
    body = client.get(URL, {"indeks": "xyz", "tahun": "1999", "sorot": "63.02"}).content.decode()
    assert "Indeks tidak dikenal; ditampilkan IPM." in body
    assert "Tidak ada data IPM untuk tahun yang diminta; ditampilkan tahun 2023." in body
    assert "sorotan diabaikan" in body


@pytest.mark.parametrize("provinsi", ["99", "abc", "35.75", "3", "%3Cscript%3E", "35%00", "1" * 300])
def test_unknown_province_is_404_never_500(jatim: None, client: Client, provinsi: str) -> None:
    page = client.get(f"/pug/perbandingan/{provinsi}/")
    assert page.status_code in (400, 404)
    geo = client.get(f"/pug/perbandingan/{provinsi}/peta.geojson")
    assert geo.status_code in (400, 404)


def test_unknown_province_json_error(jatim: None, client: Client) -> None:
    response = client.get("/pug/perbandingan/99/peta.geojson")
    assert response.status_code == 404 and response.json()["code"] == "tidak_ditemukan"


def test_province_without_data_or_boundaries_explains_itself(db: Any, client: Client) -> None:
    make_region("63", "Kalimantan Selatan", "provinsi")
    make_region("63.02", "Kabupaten Kotabaru", "kabupaten", "63")
    body = client.get("/pug/perbandingan/63/").content.decode()
    assert "Belum ada nilai IPM untuk kabupaten/kota di Provinsi Kalimantan Selatan" in body
    assert "rencana gender load-bps" in body
    geo = client.get("/pug/perbandingan/63/peta.geojson").json()
    assert geo["features"] == [] and geo["tahun"] is None


def test_without_boundaries_the_table_still_shows(db: Any, client: Client) -> None:
    make_jatim(["35.75", "35.78"])
    bps.load_jatim()
    body = client.get(URL).content.decode()
    assert "Data batas wilayah belum dimuat" in body and 'id="peta-perbandingan"' not in body
    assert "leaflet.js" not in body
    assert table_rows(body)["35.75"][3] == "77,17"


def test_url_names() -> None:
    assert reverse("gender:compare", kwargs={"provinsi": "35"}) == URL
    assert reverse("gender:compare_geojson", kwargs={"provinsi": "35"}) == GEO
