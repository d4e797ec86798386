"""Pure tests of rencana.permits.geometry: reading map files, clear messages for bad geometry, areas.

Acceptance (issue 7): the area computed for a known polygon matches a reference within 0.5 %, and invalid
geometry gets a clear message. No database.
"""

import json
import math
from decimal import Decimal

import pytest
import shapefile
from pyproj import CRS, Geod, Proj
from pyproj.enums import WktVersion
from shapely.geometry import MultiPolygon, Polygon, box

from rencana.permits import geometry as g
from rencana.permits.tests.maps_files import (
    BOW_TIE,
    LAMPUNG_SQUARE,
    UTM_48S,
    feature_collection,
    geojson_bytes,
    kml_bytes,
    kmz_bytes,
    polygon_geometry,
    shapefile_zip,
    square,
    to_wgs84,
    utm_rectangle,
)

GEOD = Geod(ellps="WGS84")


def geod_ha(polygon: Polygon) -> float:
    area, _perimeter = GEOD.geometry_area_perimeter(polygon)
    return abs(area) / 10_000


def relative(a: float, b: float) -> float:
    return abs(a - b) / b


# ------------------------------------------------------------------------------------------------
# Areas against references (acceptance: within 0.5 %)


def test_lampung_square_matches_pyproj_geodesic_area_within_half_a_percent() -> None:
    parsed = g.parse(geojson_bytes(polygon_geometry(LAMPUNG_SQUARE)), "areal.geojson")
    computed = g.area_ha(parsed.geometri)
    reference = geod_ha(Polygon(LAMPUNG_SQUARE))
    # 0.01° is about 1.106 km north-south and 1.109 km east-west here: about 122.6 ha.
    assert 122 < reference < 123
    assert relative(computed, reference) < 0.005
    # In fact the equal-area projection and the geodesic agree far closer than that.
    assert relative(computed, reference) < 1e-5
    assert relative(g.geodesic_area_ha(parsed.geometri), reference) < 1e-9


def test_a_rectangle_of_known_metres_laid_out_in_utm_48s_measures_its_true_area() -> None:
    # 1,000 m x 500 m = 50 ha on the UTM grid, south-west corner near Kota Agung, Tanggamus.
    rectangle = utm_rectangle(445_000, 9_405_000, 1_000, 500)
    wgs84 = to_wgs84(rectangle)
    computed = g.area_ha(Polygon(wgs84))
    assert relative(computed, 50.0) < 0.005  # the published figure, within 0.5 %
    # The grid is conformal, not equal-area: the true area is the grid area over the areal scale factor.
    lon, lat = wgs84[0]
    factors = Proj(UTM_48S).get_factors(lon, lat)
    assert relative(computed, 50.0 / factors.areal_scale) < 1e-4


def test_a_utm_shapefile_is_transformed_with_its_prj_and_measured() -> None:
    rectangle = utm_rectangle(445_000, 9_405_000, 2_000, 1_000)  # 200 ha
    data = shapefile_zip([rectangle], prj=UTM_48S.to_wkt(WktVersion.WKT1_ESRI))
    parsed = g.parse(data, "areal_utm.zip")
    assert parsed.format == g.FORMAT_SHAPEFILE
    assert relative(g.area_ha(parsed.geometri), 200.0) < 0.005
    assert any("UTM zone 48S" in note for note in parsed.catatan)
    min_lon, min_lat, max_lon, max_lat = parsed.geometri.bounds
    assert 104.4 < min_lon < max_lon < 104.6 and -5.4 < min_lat < max_lat < -5.3


@pytest.mark.parametrize(
    ("lon", "lat", "size"),
    [
        (104.60, -5.30, 0.01),  # Tanggamus
        (104.50, -5.40, 0.114),  # about the size of Register 30 (16,060 ha)
        (95.30, 5.50, 0.05),  # Aceh, north of the equator
        (140.50, -8.40, 0.2),  # Merauke
        (117.0, -0.001, 0.002),  # across the equator
    ],
)
def test_equal_area_projection_agrees_with_the_geodesic_area_anywhere_in_indonesia(
    lon: float, lat: float, size: float
) -> None:
    polygon = Polygon(square(lon, lat, size))
    assert relative(g.area_ha(polygon), geod_ha(polygon)) < 1e-4


def test_holes_are_subtracted_and_multipolygons_added() -> None:
    outer = square(104.60, -5.30, 0.01)
    hole = square(104.603, -5.297, 0.002)[::-1]
    with_hole = Polygon(outer, [hole])
    expected = geod_ha(Polygon(outer)) - geod_ha(Polygon(hole))
    assert relative(g.area_ha(with_hole), expected) < 1e-5
    assert relative(g.geodesic_area_ha(with_hole), expected) < 1e-9
    two = MultiPolygon([Polygon(square(104.60, -5.30, 0.01)), Polygon(square(104.62, -5.30, 0.01))])
    assert relative(g.area_ha(two), 2 * geod_ha(Polygon(square(104.60, -5.30, 0.01)))) < 1e-4


def test_hectares_and_percentages_are_rounded_half_up() -> None:
    assert g.ha(1.23445) == Decimal("1.2345")  # repr keeps the written digits; half up
    assert g.ha(0.00004) == Decimal("0.0000")
    assert g.persen(1, 3) == Decimal("33.33")
    assert g.persen(1, 0) == Decimal("0.00")


# ------------------------------------------------------------------------------------------------
# Declared vs computed


@pytest.mark.parametrize(
    ("terhitung", "dinyatakan", "selisih_persen", "sesuai"),
    [
        (Decimal("122.58"), Decimal("120"), Decimal("2.15"), True),
        (Decimal("105"), Decimal("100"), Decimal("5.00"), True),
        (Decimal("105.01"), Decimal("100"), Decimal("5.01"), False),
        (Decimal("80"), Decimal("100"), Decimal("-20.00"), False),
    ],
)
def test_declared_area_is_compared_in_percent_of_the_declared(
    terhitung: Decimal, dinyatakan: Decimal, selisih_persen: Decimal, sesuai: bool
) -> None:
    comparison = g.compare_declared(terhitung, dinyatakan)
    assert comparison is not None
    assert comparison.selisih_persen == selisih_persen
    assert comparison.sesuai is sesuai
    assert comparison.selisih_ha == (terhitung - dinyatakan).quantize(Decimal("0.0001"))


def test_nothing_declared_means_no_comparison() -> None:
    assert g.compare_declared(Decimal("10"), None) is None
    assert g.compare_declared(Decimal("10"), Decimal("0")) is None


# ------------------------------------------------------------------------------------------------
# Overlap and the part outside a layer


def test_overlap_between_two_maps_in_hectares_by_tracking_code() -> None:
    a = Polygon(square(104.60, -5.30, 0.01))
    b = Polygon(square(104.605, -5.30, 0.01))  # shares the eastern half of a
    c = Polygon(square(104.70, -5.30, 0.01))  # far away
    found = g.overlaps(a, [("HKM-BBBB-BBBB", b), ("HKM-CCCC-CCCC", c)])
    assert [o.kode_lacak for o in found] == ["HKM-BBBB-BBBB"]
    half = geod_ha(Polygon(square(104.605, -5.30, 0.005)).union(Polygon(square(104.605, -5.295, 0.005))))
    assert relative(float(found[0].luas_ha), half) < 1e-3
    assert found[0].persen == Decimal("50.00")
    assert g.overlap_ha(a, c) == 0.0


def test_slivers_along_a_shared_boundary_are_not_overlaps() -> None:
    a = Polygon(square(104.60, -5.30, 0.01))
    neighbour = Polygon(square(104.6099995, -5.30, 0.01))  # 0.0000005° (5 cm) into a: about 61 m²
    assert g.overlaps(a, [("HKM-BBBB-BBBB", neighbour)]) == []


def test_part_outside_the_forest_layer() -> None:
    subject = Polygon(square(104.60, -5.30, 0.01))
    layer = box(104.605, -5.40, 104.70, -5.20)  # covers the eastern half only
    result = g.outside(subject, layer)
    assert result.di_luar_persen == Decimal("50.00")
    assert relative(float(result.di_luar_ha), g.area_ha(subject) / 2) < 1e-3
    inside = g.outside(subject, box(104.0, -6.0, 105.0, -5.0))
    assert inside.di_luar_ha == Decimal("0.0000") and inside.di_luar_persen == Decimal("0.00")
    assert g.outside(subject, None).di_luar_persen == Decimal("100.00")


# ------------------------------------------------------------------------------------------------
# Reading the three formats


def test_geojson_feature_collection_of_adjacent_parcels_becomes_one_area() -> None:
    west = polygon_geometry(
        [(104.60, -5.30), (104.605, -5.30), (104.605, -5.295), (104.60, -5.295), (104.60, -5.30)]
    )
    east = polygon_geometry(
        [(104.605, -5.30), (104.61, -5.30), (104.61, -5.295), (104.605, -5.295), (104.605, -5.30)]
    )
    parsed = g.parse(geojson_bytes(feature_collection(west, east, names=["Blok 1", "Blok 2"])), "a.geojson")
    assert parsed.jumlah_bagian == 2
    assert isinstance(parsed.geometri, Polygon)
    assert parsed.catatan == ()


def test_overlapping_parts_of_one_file_are_counted_once_with_a_note() -> None:
    a = polygon_geometry(square(104.60, -5.30, 0.01))
    b = polygon_geometry(square(104.605, -5.30, 0.01))
    parsed = g.parse(geojson_bytes(feature_collection(a, b)), "a.geojson")
    assert relative(g.area_ha(parsed.geometri), geod_ha(Polygon(square(104.60, -5.30, 0.01))) * 1.5) < 1e-3
    assert any("tumpang tindih" in note for note in parsed.catatan)


def test_geojson_feature_and_multipolygon_and_points_ignored_with_a_note() -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": polygon_geometry(LAMPUNG_SQUARE)}
    assert g.parse(geojson_bytes(feature), "a.json").jumlah_bagian == 1
    multi = {
        "type": "MultiPolygon",
        "coordinates": [
            [[list(p) for p in square(104.60, -5.30, 0.01)]],
            [[list(p) for p in square(104.62, -5.30, 0.01)]],
        ],
    }
    parsed = g.parse(geojson_bytes(multi), "a.geojson")
    assert isinstance(parsed.geometri, MultiPolygon) and parsed.jumlah_bagian == 2
    point = {"type": "Point", "coordinates": [104.605, -5.295]}
    mixed = g.parse(geojson_bytes(feature_collection(polygon_geometry(LAMPUNG_SQUARE), point)), "a.geojson")
    assert any("bukan poligon" in note for note in mixed.catatan)


def test_geojson_with_a_utm_crs_member_is_transformed() -> None:
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32748"}},
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": polygon_geometry(utm_rectangle(445_000, 9_405_000, 1_000, 500)),
            }
        ],
    }
    parsed = g.parse(geojson_bytes(document), "a.geojson")
    assert relative(g.area_ha(parsed.geometri), 50.0) < 0.005


@pytest.mark.parametrize(
    "name",
    [
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326",
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:EPSG:6.6:4326",
    ],
)
def test_geojson_crs_members_naming_wgs84_change_nothing(name: str) -> None:
    document = {
        "type": "Polygon",
        "crs": {"type": "name", "properties": {"name": name}},
        "coordinates": [LAMPUNG_SQUARE],
    }
    parsed = g.parse(geojson_bytes(document), "a.geojson")
    assert parsed.catatan == ()


@pytest.mark.parametrize("name", ["+proj=utm +zone=48 +south", "/etc/passwd", "EPSG:99999999", "EPSG:0"])
def test_geojson_crs_members_other_than_epsg_codes_are_refused(name: str) -> None:
    document = {
        "type": "Polygon",
        "crs": {"type": "name", "properties": {"name": name}},
        "coordinates": [LAMPUNG_SQUARE],
    }
    error = error_of(geojson_bytes(document))
    assert error.kode == "crs_tidak_dikenal"


def test_output_is_rfc7946_counter_clockwise_and_round_trips() -> None:
    clockwise = list(reversed(LAMPUNG_SQUARE))
    parsed = g.parse(geojson_bytes(polygon_geometry(clockwise)), "a.geojson")
    assert parsed.geometri.exterior.is_ccw
    stored = g.to_geojson(parsed.geometri)
    assert stored["type"] == "Polygon" and isinstance(stored["coordinates"][0][0], list)
    json.dumps(stored)
    back = g.from_geojson(stored)
    assert back is not None and back.equals(parsed.geometri)
    assert g.from_geojson({"type": "Point", "coordinates": [1, 2]}) is None
    assert g.from_geojson("rusak") is None
    assert g.from_geojson({"type": "Polygon", "coordinates": "x"}) is None


def test_kml_from_google_earth_with_a_hole() -> None:
    hole = square(104.603, -5.297, 0.002)
    parsed = g.parse(kml_bytes(LAMPUNG_SQUARE, hole), "Blok A.kml")
    assert parsed.format == g.FORMAT_KML
    expected = geod_ha(Polygon(LAMPUNG_SQUARE)) - geod_ha(Polygon(hole))
    assert relative(g.area_ha(parsed.geometri), expected) < 1e-4


def test_kml_coordinates_with_spaces_after_commas_and_kmz() -> None:
    spaced = kml_bytes(LAMPUNG_SQUARE).replace(b",-5", b", -5")
    assert g.parse(spaced, "a.kml").jumlah_titik == 5
    parsed = g.parse(kmz_bytes(kml_bytes(LAMPUNG_SQUARE)), "areal.kmz")
    assert parsed.format == g.FORMAT_KMZ
    assert relative(g.area_ha(parsed.geometri), geod_ha(Polygon(LAMPUNG_SQUARE))) < 1e-4


def test_zipped_wgs84_shapefile_with_two_records() -> None:
    data = shapefile_zip([square(104.60, -5.30, 0.01)], [square(104.62, -5.30, 0.01)])
    parsed = g.parse(data, "areal.zip")
    assert parsed.format == g.FORMAT_SHAPEFILE and parsed.jumlah_bagian == 2
    assert parsed.catatan == ()  # WGS 84: nothing transformed
    assert relative(g.area_ha(parsed.geometri), 2 * geod_ha(Polygon(LAMPUNG_SQUARE))) < 1e-3


def test_shapefile_with_a_hole_and_without_prj_in_degrees() -> None:
    outer = square(104.60, -5.30, 0.01)
    hole = square(104.603, -5.297, 0.002)
    parsed = g.parse(shapefile_zip([outer, hole], prj=None), "areal.zip")
    expected = geod_ha(Polygon(outer)) - geod_ha(Polygon(hole))
    assert relative(g.area_ha(parsed.geometri), expected) < 1e-4


# ------------------------------------------------------------------------------------------------
# Clear messages for invalid input (acceptance)


def error_of(data: bytes, name: str = "a.geojson", **kwargs: object) -> g.GeometryError:
    with pytest.raises(g.GeometryError) as caught:
        g.parse(data, name, **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_bow_tie_polygon_is_refused_naming_the_problem_and_where() -> None:
    error = error_of(geojson_bytes(polygon_geometry(BOW_TIE)))
    assert error.kode == "memotong_diri"
    assert "memotong dirinya sendiri" in error.message
    # Where: the crossing point in words, and which boundary lines cross.
    assert "bujur 104,605000° BT, lintang 5,295000° LS" in error.message
    assert (
        "garis dari titik ke-1 ke titik ke-2 bersilangan dengan garis dari titik ke-3 ke titik ke-4"
        in error.message
    )
    assert error.lokasi == pytest.approx((104.605, -5.295))


def test_bow_tie_in_kml_and_shapefile_names_the_placemark_and_record() -> None:
    kml_error = error_of(kml_bytes(BOW_TIE, name="Blok Sukamaju"), "a.kml")
    assert kml_error.kode == "memotong_diri" and "Placemark “Blok Sukamaju”" in kml_error.message
    shp_error = error_of(shapefile_zip([square(104.62, -5.30, 0.01)], [BOW_TIE]), "a.zip")
    assert shp_error.kode == "memotong_diri" and "rekaman ke-2" in shp_error.message
    named = feature_collection(
        polygon_geometry(LAMPUNG_SQUARE), polygon_geometry(BOW_TIE), names=["Utara", "Selatan"]
    )
    fc_error = error_of(geojson_bytes(named))
    assert "fitur ke-2 “Selatan”" in fc_error.message


@pytest.mark.parametrize(
    ("rings", "kode", "fragment"),
    [
        (
            [[(104.60, -5.30), (104.61, -5.30), (104.60, -5.30)]],
            "titik_terlalu_sedikit",
            "hanya memiliki 2 titik",
        ),
        ([[(104.60, -5.30), (104.61, -5.29), (104.62, -5.28), (104.60, -5.30)]], "luas_nol", "satu garis"),
        (
            [square(104.60, -5.30, 0.01), square(104.62, -5.30, 0.002)],
            "geometri_tidak_valid",
            "Lubang (enclave) pada poligon berada di luar batas luarnya",
        ),
    ],
)
def test_other_invalid_polygons_get_a_message(
    rings: list[list[tuple[float, float]]], kode: str, fragment: str
) -> None:
    error = error_of(geojson_bytes(polygon_geometry(*rings)))
    assert error.kode == kode
    assert fragment in error.message


def test_swapped_latitude_and_longitude_get_a_hint() -> None:
    swapped = [(lat, lon) for lon, lat in LAMPUNG_SQUARE]
    error = error_of(geojson_bytes(polygon_geometry(swapped)))
    assert error.kode == "bujur_lintang_tertukar"
    assert "tertukar" in error.message and "bujur (longitude) dulu" in error.message


def test_coordinates_in_metres_and_outside_indonesia() -> None:
    metres = error_of(geojson_bytes(polygon_geometry(utm_rectangle(445_000, 9_405_000, 100, 100))))
    assert metres.kode == "koordinat_bukan_derajat" and "meter" in metres.message
    no_prj = error_of(shapefile_zip([utm_rectangle(445_000, 9_405_000, 100, 100)], prj=None), "a.zip")
    assert no_prj.kode == "koordinat_bukan_derajat" and ".prj tidak ada" in no_prj.message
    paris = error_of(geojson_bytes(polygon_geometry(square(2.35, 48.85, 0.01))))
    assert paris.kode == "di_luar_indonesia" and "di luar wilayah Indonesia" in paris.message


def test_points_and_lines_are_not_polygons() -> None:
    point = error_of(geojson_bytes({"type": "Point", "coordinates": [104.6, -5.3]}))
    assert point.kode == "bukan_poligon" and "titik" in point.message
    line = error_of(kml_bytes(LAMPUNG_SQUARE, kind="LineString"), "jalur.kml")
    assert line.kode == "bukan_poligon" and "garis" in line.message and "Tambahkan Poligon" in line.message
    shp_line = error_of(shapefile_zip([LAMPUNG_SQUARE], shape_type=shapefile.POLYLINE), "a.zip")
    assert shp_line.kode == "bukan_poligon"
    empty = error_of(geojson_bytes({"type": "FeatureCollection", "features": []}))
    assert empty.kode == "geometri_kosong"


def test_size_and_vertex_limits() -> None:
    small = g.Limits(max_bytes=200, max_vertices=4, max_parts=1, max_unzipped_bytes=10_000)
    too_big = error_of(geojson_bytes(polygon_geometry(LAMPUNG_SQUARE)) + b" " * 300, limits=small)
    assert too_big.kode == "berkas_terlalu_besar" and "paling besar" in too_big.message
    roomy = g.Limits(max_bytes=10_000, max_vertices=4, max_parts=1, max_unzipped_bytes=10_000)
    many = error_of(geojson_bytes(polygon_geometry(LAMPUNG_SQUARE)), limits=roomy)
    assert many.kode == "titik_terlalu_banyak" and "Sederhanakan" in many.message
    parts = g.Limits(max_bytes=10_000, max_vertices=100, max_parts=1, max_unzipped_bytes=10_000)
    two = geojson_bytes(
        feature_collection(polygon_geometry(LAMPUNG_SQUARE), polygon_geometry(square(104.62, -5.3, 0.01)))
    )
    assert error_of(two, limits=parts).kode == "bagian_terlalu_banyak"
    bomb = shapefile_zip([LAMPUNG_SQUARE])
    tiny_unzip = g.Limits(max_bytes=100_000, max_vertices=100, max_parts=10, max_unzipped_bytes=100)
    assert error_of(bomb, "a.zip", limits=tiny_unzip).kode == "berkas_terlalu_besar"


@pytest.mark.parametrize(
    ("data", "name", "kode", "fragment"),
    [
        (b"", "a.geojson", "berkas_kosong", "kosong"),
        (b"   \n", "a.geojson", "berkas_kosong", "kosong"),
        (b'{"type": "Polygon", "coordinates": [[[104.6, -5.3],', "a.geojson", "geojson_tidak_sah", "baris 1"),
        (b'{"nama": "peta"}', "a.geojson", "geojson_tidak_sah", "bukan GeoJSON"),
        (
            b'{"type": "Polygon", "coordinates": [[["a", "b"]]]}',
            "a.geojson",
            "koordinat_tidak_valid",
            "[bujur, lintang]",
        ),
        (
            b'{"type": "Polygon", "coordinates": [[[NaN, 1], [1, 2], [2, 2]]]}',
            "a.geojson",
            "koordinat_tidak_valid",
            "sah",
        ),
        (
            b'{"type": "Polygon", "coordinates": 5}',
            "a.geojson",
            "geometri_kosong",
            "tidak memiliki koordinat",
        ),
        (b'{"type": "Hexagon"}', "a.geojson", "geojson_tidak_sah", "Hexagon"),
        (b"[" * 100_000, "a.geojson", "geojson_tidak_sah", "GeoJSON"),
        (b"\xff\xfe{", "a.geojson", "format_tidak_dikenal", ".geojson"),
        (b"%PDF-1.7 bukan peta", "peta.pdf", "format_tidak_dikenal", "GeoJSON"),
        (b"<html><body>bukan</body></html>", "a.kml", "format_tidak_dikenal", "bukan KML"),
        (b"<kml><Document><Placemark>", "a.kml", "kml_tidak_sah", "baris 1"),
        (b"<kml><Placemark><Polygon/></Placemark></kml>", "a.kml", "geometri_kosong", "outerBoundaryIs"),
        (b"PK\x03\x04 rusak", "a.zip", "zip_rusak", "zip"),
    ],
)
def test_broken_files_get_a_message(data: bytes, name: str, kode: str, fragment: str) -> None:
    error = error_of(data, name)
    assert error.kode == kode
    assert fragment in error.message


def test_kml_entities_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<kml><Placemark><name>&b;</name></Placemark></kml>"
    )
    error = error_of(bomb, "a.kml")
    assert error.kode == "kml_tidak_sah" and "entitas" in error.message


def test_the_name_must_agree_with_the_content() -> None:
    error = error_of(kml_bytes(LAMPUNG_SQUARE), "areal.geojson")
    assert error.kode == "format_tidak_cocok" and "KML" in error.message and ".kml" in error.message


@pytest.mark.parametrize(
    ("kwargs", "kode", "fragment"),
    [
        ({"include_shx": False}, "shapefile_tidak_lengkap", "areal.shx tidak ada"),
        ({"extra_shp": True}, "shapefile_ganda", "lebih dari satu shapefile"),
        ({"prj": 'PROJCS["tidak dikenal"]'}, "crs_tidak_dikenal", ".prj tidak dikenali"),
    ],
)
def test_incomplete_or_unclear_shapefiles(kwargs: dict[str, object], kode: str, fragment: str) -> None:
    error = error_of(shapefile_zip([square(104.60, -5.30, 0.01)], **kwargs), "a.zip")  # type: ignore[arg-type]
    assert error.kode == kode
    assert fragment in error.message


def test_a_zip_without_a_shapefile() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan peta")
    error = error_of(buffer.getvalue(), "a.zip")
    assert error.kode == "shapefile_tidak_lengkap" and ".shp" in error.message


def test_a_damaged_shapefile_is_a_message_not_a_crash() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.shp", b"\x00" * 120)
        archive.writestr("a.shx", b"\x00" * 10)
    error = error_of(buffer.getvalue(), "a.zip")
    assert error.kode == "shapefile_rusak"


def test_a_forest_layer_may_be_repaired_instead_of_refused() -> None:
    repaired = g.parse(geojson_bytes(polygon_geometry(BOW_TIE)), "kawasan.geojson", perbaiki=True)
    assert repaired.geometri.is_valid and repaired.geometri.area > 0
    assert any("diperbaiki" in note for note in repaired.catatan)


def test_place_in_words() -> None:
    assert g.tempat(104.6123, -5.3) == "bujur 104,612300° BT, lintang 5,300000° LS"
    assert g.tempat(95.3, 5.5) == "bujur 95,300000° BT, lintang 5,500000° LU"


def test_simplified_for_drawing_keeps_few_vertices() -> None:
    circle = Polygon(
        [
            (104.6 + 0.1 * math.cos(t / 1000 * 2 * math.pi), -5.3 + 0.1 * math.sin(t / 1000 * 2 * math.pi))
            for t in range(1000)
        ]
    )
    small = g.simplified(circle, max_vertices=100)
    assert int(__import__("shapely").get_num_coordinates(small)) <= 100
    assert relative(small.area, circle.area) < 0.01


def test_a_prj_in_wgs84_is_not_transformed() -> None:
    parsed = g.parse(
        shapefile_zip([LAMPUNG_SQUARE], prj=CRS.from_epsg(4326).to_wkt(WktVersion.WKT1_ESRI)), "a.zip"
    )
    assert parsed.catatan == ()
