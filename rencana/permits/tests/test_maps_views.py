"""Map pages: upload and findings, the GeoJSON for the Leaflet map, the officer's forest-area layers."""

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from rencana.core.roles import Role
from rencana.permits import services_maps
from rencana.permits.models import AreaMap, ForestLayer
from rencana.permits.tests.maps_files import (
    BOW_TIE,
    LAMPUNG_SQUARE,
    geojson_bytes,
    kml_bytes,
    polygon_geometry,
    shapefile_zip,
    square,
)
from rencana.permits.tests.maps_setup import PRIVATE_MARKERS, MapCase, map_case, move_to, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_user: Callable[..., Any]) -> MapCase:
    return map_case(make_user)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(case: MapCase, application_id: Any = None) -> str:
    return reverse(
        "permits:map_upload", kwargs={"kode": case.pemda.kode, "application_id": application_id or case.a.pk}
    )


def geojson_url(case: MapCase, application_id: Any = None) -> str:
    return reverse(
        "permits:map_geojson", kwargs={"kode": case.pemda.kode, "application_id": application_id or case.a.pk}
    )


def layers_url(case: MapCase) -> str:
    return reverse("permits:forest_layers", kwargs={"kode": case.pemda.kode})


def geo(ring: list[tuple[float, float]]) -> bytes:
    return geojson_bytes(polygon_geometry(ring))


def assert_csp_safe(html: str) -> None:
    """No inline script or style: every <script> has a src and the nonce, or is a JSON data block."""
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'type="application/json"' in tag or ("src=" in tag and "nonce=" in tag), tag
    assert "style=" not in html
    assert "<style" not in html
    assert "cdn" not in html.lower()


def test_facilitator_uploads_a_map_and_sees_the_findings(case: MapCase) -> None:
    client = login(case.facilitator)
    empty = client.get(page_url(case))
    assert empty.status_code == 200
    html = empty.content.decode()
    assert "Belum ada peta areal kelola" in html and 'enctype="multipart/form-data"' in html
    assert_csp_safe(html)
    response = client.post(page_url(case), {"berkas": upload(geo(LAMPUNG_SQUARE))})
    assert response.status_code == 302 and response["Location"] == page_url(case)
    shown = client.get(page_url(case))
    html = shown.content.decode()
    assert "122,58 ha" in html  # measured
    assert "120,00 ha" in html  # declared
    assert "dalam toleransi ±5%" in html
    assert 'id="peta-izin"' in html and f'data-geojson="{geojson_url(case)}"' in html
    assert "leaflet/leaflet.js" in html and "permits/peta_izin.js" in html
    assert_csp_safe(html)


def test_bow_tie_upload_shows_a_clear_message(case: MapCase) -> None:
    response = login(case.facilitator).post(page_url(case), {"berkas": upload(geo(BOW_TIE))})
    assert response.status_code == 400
    html = response.content.decode()
    assert "memotong dirinya sendiri" in html
    assert (
        "garis dari titik ke-1 ke titik ke-2 bersilangan dengan garis dari titik ke-3 ke titik ke-4" in html
    )
    assert 'role="alert"' in html
    assert not AreaMap.objects.filter(permohonan=case.a).exists()


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "kosong.geojson", ""),
        (b"%PDF-1.4", "peta.pdf", "Jenis berkas tidak dikenali"),
        (b"PK\x03\x04rusak", "a.zip", "zip rusak"),
    ],
)
def test_bad_files_are_messages_not_errors(case: MapCase, data: bytes, name: str, fragment: str) -> None:
    response = login(case.facilitator).post(page_url(case), {"berkas": upload(data, name)})
    assert response.status_code == 400
    assert fragment in response.content.decode()


def test_post_without_a_file(case: MapCase) -> None:
    response = login(case.facilitator).post(page_url(case), {})
    assert response.status_code == 400


def test_shapefile_and_kml_through_the_page(case: MapCase) -> None:
    client = login(case.applicant)
    response = client.post(page_url(case), {"berkas": upload(shapefile_zip([LAMPUNG_SQUARE]), "areal.zip")})
    assert response.status_code == 302
    assert AreaMap.objects.get(permohonan=case.a).format_berkas == "shapefile"
    response = client.post(page_url(case), {"berkas": upload(kml_bytes(LAMPUNG_SQUARE), "areal.kml")})
    assert response.status_code == 302
    assert AreaMap.objects.get(permohonan=case.a).format_berkas == "kml"


def test_after_submission_the_applicant_side_gets_409_and_the_officer_may_upload(case: MapCase) -> None:
    services_maps.map_upload(actor=case.facilitator, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    move_to(case.a, "verifikasi_administrasi")
    client = login(case.facilitator)
    page = client.get(page_url(case)).content.decode()
    assert "peta hanya dapat diganti bila permohonan dikembalikan" in page
    assert 'type="file"' not in page
    refused = client.post(page_url(case), {"berkas": upload(geo(square(104.62, -5.3, 0.01)))})
    assert refused.status_code == 409
    assert "tidak bisa diganti" in refused.content.decode()
    officer = login(case.officer)
    assert 'type="file"' in officer.get(page_url(case)).content.decode()
    done = officer.post(page_url(case), {"berkas": upload(geo(square(104.62, -5.3, 0.01)))})
    assert done.status_code == 302


def test_overlap_on_the_page_and_in_the_geojson_without_personal_data(case: MapCase) -> None:
    services_maps.map_upload(actor=None, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    services_maps.map_upload(actor=None, application=case.b, upload=upload(geo(square(104.605, -5.30, 0.01))))
    client = login(case.facilitator)
    html = client.get(page_url(case)).content.decode()
    assert case.b.kode_lacak in html and "61,29" in html
    response = client.get(geojson_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["peran"] for f in data["features"]} == {"permohonan", "lain", "tumpang_tindih"}
    body = response.content.decode()
    for text in (html, body):
        assert not [m for m in PRIVATE_MARKERS if m in text]


def test_who_may_open_the_map_page(case: MapCase, make_user: Callable[..., Any]) -> None:
    # Another facilitator of the pemda: the application is not theirs (404, like a missing one).
    stranger = login(make_user(Role.PENDAMPING, case.pemda))
    assert stranger.get(page_url(case)).status_code == 404
    assert stranger.post(page_url(case), {"berkas": upload(geo(LAMPUNG_SQUARE))}).status_code == 404
    assert stranger.get(geojson_url(case)).status_code == 404
    # The other group's applicant cannot see A's map either.
    assert login(case.b.pemohon).get(page_url(case)).status_code == 404
    # Readers without "permit.apply".
    assert login(make_user(Role.PIMPINAN, case.pemda)).get(page_url(case)).status_code == 403
    # Unknown and hostile ids.
    officer = login(case.officer)
    assert officer.get(page_url(case, 999_999)).status_code == 404
    assert officer.get(geojson_url(case, 999_999)).status_code == 404
    assert officer.get(f"/pemda/{case.pemda.kode}/izin/permohonan/{'9' * 30}/peta/").status_code == 404
    assert not AreaMap.objects.exists()


def test_geojson_without_a_map_is_an_empty_collection(case: MapCase) -> None:
    response = login(case.facilitator).get(geojson_url(case))
    assert response.json() == {"type": "FeatureCollection", "features": []}


def test_officer_uploads_and_deactivates_a_forest_layer(case: MapCase) -> None:
    services_maps.map_upload(actor=None, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    client = login(case.officer)
    empty = client.get(layers_url(case))
    assert empty.status_code == 200 and "Belum ada lapisan" in empty.content.decode()
    half = [(104.605, -5.40), (104.70, -5.40), (104.70, -5.20), (104.605, -5.20), (104.605, -5.40)]
    response = client.post(
        layers_url(case),
        {"aksi": "unggah", "nama": "HL Register 30", "berkas": upload(geo(half), "r30.geojson")},
    )
    assert response.status_code == 302
    layer = ForestLayer.objects.get(pemda=case.pemda)
    html = client.get(layers_url(case)).content.decode()
    assert "HL Register 30" in html and 'id="peta-kawasan"' in html and 'id="peta-kawasan-data"' in html
    assert_csp_safe(html)
    # The application's page now reports the part outside the layer.
    page = login(case.facilitator).get(page_url(case)).content.decode()
    assert "di luar kawasan hutan" in page and "(50,00%)" in page
    export = client.get(layers_url(case) + "?format=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "HL Register 30"
    response = client.post(layers_url(case), {"aksi": "nonaktifkan", "lapisan": str(layer.pk)})
    assert response.status_code == 302
    layer.refresh_from_db()
    assert not layer.aktif
    again = client.post(layers_url(case), {"aksi": "nonaktifkan", "lapisan": str(layer.pk)}, follow=True)
    assert "sudah tidak aktif" in again.content.decode()
    missing = client.post(
        layers_url(case), {"aksi": "nonaktifkan", "lapisan": "99999999999999999999"}, follow=True
    )
    assert missing.status_code == 200 and "tidak ditemukan" in missing.content.decode()


def test_forest_layer_errors_are_shown_on_the_form(case: MapCase) -> None:
    client = login(case.officer)
    response = client.post(
        layers_url(case), {"aksi": "unggah", "nama": "X", "berkas": upload(b"{}", "a.geojson")}
    )
    assert response.status_code == 400
    assert "bukan GeoJSON" in response.content.decode()
    assert client.post(layers_url(case), {}).status_code == 400
    assert not ForestLayer.objects.exists()


def test_forest_layers_are_for_officers_only(case: MapCase) -> None:
    assert login(case.facilitator).get(layers_url(case)).status_code == 403
    assert login(case.applicant).post(layers_url(case), {"nama": "x"}).status_code == 403


def test_layer_list_query_count_does_not_grow_with_the_layers(
    case: MapCase, django_assert_max_num_queries: Any
) -> None:
    for i in range(6):
        services_maps.forest_layer_upload(
            actor=case.officer,
            pemda=case.pemda,
            nama=f"Lapisan {i}",
            upload=upload(geo(square(104.6, -5.3, 0.05))),
        )
    client = login(case.officer)
    client.get(layers_url(case))  # warms the per-process cache of the active layer
    with django_assert_max_num_queries(12):
        response = client.get(layers_url(case))
    assert response.status_code == 200 and response.content.decode().count("Lapisan ") >= 6
