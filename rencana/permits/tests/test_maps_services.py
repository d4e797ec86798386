"""Map uploads and checks (rencana.permits.services_maps): replace, audit, overlap, forest layer, who may."""

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from pyproj.enums import WktVersion

from rencana.conftest import make_pemda
from rencana.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.permits import geometry, services_maps, services_workflow
from rencana.permits.models import AreaMap, ForestLayer
from rencana.permits.tests.maps_files import (
    BOW_TIE,
    LAMPUNG_SQUARE,
    UTM_48S,
    geojson_bytes,
    kml_bytes,
    polygon_geometry,
    shapefile_zip,
    square,
    utm_rectangle,
)
from rencana.permits.tests.maps_setup import PRIVATE_MARKERS, MapCase, group, map_case, move_to, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_user: Callable[..., Any]) -> MapCase:
    return map_case(make_user)


def geo(ring: list[tuple[float, float]]) -> bytes:
    return geojson_bytes(polygon_geometry(ring))


def test_upload_stores_the_polygon_its_area_and_an_audit_record(case: MapCase) -> None:
    peta = services_maps.map_upload(
        actor=case.facilitator, application=case.a, upload=upload(geo(LAMPUNG_SQUARE))
    )
    peta.refresh_from_db()
    assert peta.permohonan_id == case.a.pk and peta.pemda_id == case.pemda.pk
    assert peta.format_berkas == "geojson" and peta.nama_berkas == "areal.geojson"
    assert peta.geometri["type"] == "Polygon"
    assert Decimal("122.5") < peta.luas_ha < Decimal("122.7")
    assert peta.diunggah_oleh == case.facilitator
    # Declared 120 ha (from the group): +2.15 %, within the 5 % tolerance.
    assert peta.pemeriksaan["luas_dinyatakan_ha"] == "120.00"
    assert peta.pemeriksaan["selisih_persen"] == "2.15"
    assert peta.pemeriksaan["luas_sesuai"] is True
    assert peta.pemeriksaan["tumpang_tindih"] == []
    event = AuditEvent.objects.get(action="map_upload", object_id=str(case.a.pk))
    assert event.before is None and event.after is not None
    assert event.after["luas_ha"] == str(peta.luas_ha) and len(event.after["sha256"]) == 64


def test_a_new_upload_replaces_the_previous_map(case: MapCase) -> None:
    first = services_maps.map_upload(
        actor=case.facilitator, application=case.a, upload=upload(geo(LAMPUNG_SQUARE))
    )
    data = shapefile_zip(
        [utm_rectangle(445_000, 9_405_000, 1_000, 500)], prj=UTM_48S.to_wkt(WktVersion.WKT1_ESRI)
    )
    second = services_maps.map_upload(
        actor=case.facilitator, application=case.a, upload=upload(data, "areal.zip")
    )
    assert second.pk == first.pk
    assert AreaMap.objects.filter(permohonan=case.a).count() == 1
    second.refresh_from_db()
    assert second.format_berkas == "shapefile"
    assert abs(second.luas_ha - Decimal("50")) < Decimal("0.25")  # 50 ha laid out in UTM, within 0.5 %
    assert any("UTM zone 48S" in note for note in second.pemeriksaan["catatan"])
    assert second.pemeriksaan["luas_sesuai"] is False  # declared 120 ha
    events = AuditEvent.objects.filter(action="map_upload", object_id=str(case.a.pk)).order_by("pk")
    assert events.count() == 2
    last = events.last()
    assert last is not None and last.before is not None
    assert last.before["nama_berkas"] == "areal.geojson"


def test_kml_upload(case: MapCase) -> None:
    peta = services_maps.map_upload(
        actor=case.applicant, application=case.a, upload=upload(kml_bytes(LAMPUNG_SQUARE), "blok.kml")
    )
    assert peta.format_berkas == "kml"


def test_invalid_geometry_is_refused_with_the_reason_and_nothing_is_stored(case: MapCase) -> None:
    with pytest.raises(ApplicationError) as caught:
        services_maps.map_upload(actor=case.facilitator, application=case.a, upload=upload(geo(BOW_TIE)))
    assert caught.value.code == "memotong_diri"
    assert "memotong dirinya sendiri" in caught.value.message
    assert caught.value.errors[0]["kolom"] == "berkas"
    assert not AreaMap.objects.filter(permohonan=case.a).exists()
    assert not AuditEvent.objects.filter(action="map_upload").exists()


def test_file_size_limit(case: MapCase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geometry, "MAP_LIMITS", geometry.Limits(100, 10, 1, 1000))
    with pytest.raises(ApplicationError) as caught:
        services_maps.map_upload(
            actor=case.facilitator, application=case.a, upload=upload(geo(LAMPUNG_SQUARE))
        )
    assert caught.value.code == "berkas_terlalu_besar"


def test_overlap_with_another_application_by_tracking_code_only(case: MapCase) -> None:
    services_maps.map_upload(actor=case.facilitator, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    services_maps.map_upload(actor=None, application=case.b, upload=upload(geo(square(104.605, -5.30, 0.01))))
    findings = services_maps.map_check(case.a)
    assert [o["kode_lacak"] for o in findings["tumpang_tindih"]] == [case.b.kode_lacak]
    overlap = findings["tumpang_tindih"][0]
    assert Decimal("61.2") < Decimal(overlap["luas_ha"]) < Decimal("61.4")
    assert overlap["persen"] == "50.00"
    assert overlap["tahap_nama"]
    text = json.dumps(findings, ensure_ascii=False)
    assert not [m for m in PRIVATE_MARKERS if m in text]
    # The stored findings of BOTH sides were refreshed: A uploaded first, yet knows about B.
    assert (
        AreaMap.objects.get(permohonan=case.a).pemeriksaan["tumpang_tindih"][0]["kode_lacak"]
        == case.b.kode_lacak
    )
    assert (
        AreaMap.objects.get(permohonan=case.b).pemeriksaan["tumpang_tindih"][0]["kode_lacak"]
        == case.a.kode_lacak
    )
    # B moves its map away: A's stored findings lose the overlap.
    services_maps.map_upload(actor=None, application=case.b, upload=upload(geo(square(104.70, -5.30, 0.01))))
    assert AreaMap.objects.get(permohonan=case.a).pemeriksaan["tumpang_tindih"] == []


def test_rejected_applications_and_other_pemda_do_not_count(
    case: MapCase, make_user: Callable[..., Any]
) -> None:
    services_maps.map_upload(actor=None, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    services_maps.map_upload(actor=None, application=case.b, upload=upload(geo(LAMPUNG_SQUARE)))
    assert len(services_maps.map_check(case.a)["tumpang_tindih"]) == 1
    move_to(case.b, "ditolak", "ditolak")
    assert services_maps.map_check(case.a)["tumpang_tindih"] == []
    lampung_barat = make_pemda("18.04", "Kabupaten Lampung Barat")
    elsewhere = services_workflow.application_create(
        actor=None, pemda=lampung_barat, jenis_kode="hkm", kelompok=group(lampung_barat, "KTH Lain")
    )
    services_maps.map_upload(actor=None, application=elsewhere, upload=upload(geo(LAMPUNG_SQUARE)))
    assert services_maps.map_check(case.a)["tumpang_tindih"] == []


def test_forest_layer_part_outside_and_replacement(case: MapCase) -> None:
    services_maps.map_upload(actor=case.facilitator, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    assert services_maps.map_check(case.a)["lapisan"] is None
    # The layer covers the eastern half of the map.
    half = [(104.605, -5.40), (104.70, -5.40), (104.70, -5.20), (104.605, -5.20), (104.605, -5.40)]
    first = services_maps.forest_layer_upload(
        actor=case.officer,
        pemda=case.pemda,
        nama="HL Register 30",
        upload=upload(geo(half), "register30.geojson"),
    )
    assert first.aktif and first.luas_ha > 0
    findings = services_maps.map_check(case.a)
    assert findings["lapisan"] == {"id": first.pk, "nama": "HL Register 30"}
    assert findings["di_luar_kawasan_persen"] == "50.00"
    assert Decimal("61.2") < Decimal(findings["di_luar_kawasan_ha"]) < Decimal("61.4")
    # The stored findings were refreshed by the layer upload.
    assert AreaMap.objects.get(permohonan=case.a).pemeriksaan["di_luar_kawasan_persen"] == "50.00"
    # A new layer covering everything replaces it.
    whole = square(104.5, -5.4, 0.3)
    second = services_maps.forest_layer_upload(
        actor=case.officer,
        pemda=case.pemda,
        nama="HL Register 30 (revisi)",
        upload=upload(kml_bytes(whole), "r30.kml"),
    )
    first.refresh_from_db()
    assert not first.aktif and second.aktif
    assert services_maps.map_check(case.a)["di_luar_kawasan_ha"] == "0.0000"
    assert AuditEvent.objects.filter(action="forest_layer_upload").count() == 2
    services_maps.forest_layer_deactivate(actor=case.officer, layer=second)
    assert services_maps.active_layer(case.pemda.pk) is None
    assert AreaMap.objects.get(permohonan=case.a).pemeriksaan["lapisan"] is None
    with pytest.raises(ConflictError):
        services_maps.forest_layer_deactivate(actor=case.officer, layer=second)


def test_forest_layer_is_repaired_not_refused_and_needs_a_name(case: MapCase) -> None:
    layer = services_maps.forest_layer_upload(
        actor=case.officer, pemda=case.pemda, nama="  Kawasan  ", upload=upload(geo(BOW_TIE))
    )
    assert layer.nama == "Kawasan" and layer.luas_ha > 0
    event = AuditEvent.objects.get(action="forest_layer_upload")
    assert event.after is not None
    assert any("diperbaiki" in n for n in event.after["catatan"])
    with pytest.raises(ApplicationError) as caught:
        services_maps.forest_layer_upload(
            actor=case.officer, pemda=case.pemda, nama=" ", upload=upload(geo(LAMPUNG_SQUARE))
        )
    assert caught.value.errors[0]["kolom"] == "nama"
    with pytest.raises(ApplicationError):
        services_maps.forest_layer_upload(
            actor=case.officer, pemda=case.pemda, nama="x", upload=upload(b"bukan peta", "a.geojson")
        )
    assert ForestLayer.objects.filter(pemda=case.pemda).count() == 1


def test_applicant_side_may_upload_only_while_the_stage_may_be_edited(case: MapCase) -> None:
    services_maps.map_upload(actor=case.applicant, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    move_to(case.a, "verifikasi_administrasi")
    for actor in (case.facilitator, case.applicant):
        with pytest.raises(ConflictError) as caught:
            services_maps.map_upload(
                actor=actor, application=case.a, upload=upload(geo(square(104.62, -5.3, 0.01)))
            )
        assert caught.value.code == "tidak_dapat_diubah"
    # Officers correct maps at any stage.
    services_maps.map_upload(
        actor=case.officer, application=case.a, upload=upload(geo(square(104.62, -5.3, 0.01)))
    )
    # Returned for correction: the applicant side may again.
    move_to(case.a, "perbaikan")
    services_maps.map_upload(actor=case.facilitator, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))


def test_someone_else_s_facilitator_may_not_upload(case: MapCase, make_user: Callable[..., Any]) -> None:
    stranger = make_user(Role.PENDAMPING, case.pemda)
    with pytest.raises(PermissionDeniedError):
        services_maps.map_upload(actor=stranger, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    reader = make_user(Role.PIMPINAN, case.pemda)
    with pytest.raises(PermissionDeniedError):
        services_maps.map_upload(actor=reader, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    assert not AreaMap.objects.filter(permohonan=case.a).exists()


def test_the_map_satisfies_the_checklist_map_item(case: MapCase) -> None:
    def map_item_ok() -> bool:
        items = services_workflow.checklist(case.a).items
        return any(item.ok for item in items if "peta" in item.kode)

    assert not map_item_ok()
    services_maps.map_upload(actor=case.facilitator, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    assert map_item_ok()


def test_map_check_without_a_map(case: MapCase) -> None:
    assert services_maps.map_check(case.a) == {"ada_peta": False, "tumpang_tindih": []}
    assert services_maps.overlap_features(case.a) == {"type": "FeatureCollection", "features": []}


def test_features_for_the_map(case: MapCase) -> None:
    services_maps.map_upload(actor=None, application=case.a, upload=upload(geo(LAMPUNG_SQUARE)))
    services_maps.map_upload(actor=None, application=case.b, upload=upload(geo(square(104.605, -5.30, 0.01))))
    half = [(104.605, -5.40), (104.70, -5.40), (104.70, -5.20), (104.605, -5.20), (104.605, -5.40)]
    services_maps.forest_layer_upload(
        actor=case.officer, pemda=case.pemda, nama="HL Register 30", upload=upload(geo(half))
    )
    data = services_maps.overlap_features(case.a)
    roles = [f["properties"]["peran"] for f in data["features"]]
    assert roles == ["kawasan", "di_luar_kawasan", "lain", "tumpang_tindih", "permohonan"]
    assert {f["properties"]["kode_lacak"] for f in data["features"]} == {
        "",
        case.a.kode_lacak,
        case.b.kode_lacak,
    }
    kawasan = geometry.from_geojson(data["features"][0]["geometry"])
    assert kawasan is not None and kawasan.bounds[2] < 104.70  # clipped to the surroundings of the map
    text = json.dumps(data, ensure_ascii=False)
    assert not [m for m in PRIVATE_MARKERS if m in text]
