"""Managed-area maps (*peta areal kelola*): reading uploads, checking geometry, measuring areas.

Terms:
- *Peta areal kelola*: the polygon(s) of the area a farmer group asks to manage (PermenLHK 9/2021 asks for
  the map of the area with the HKm proposal). Stored as a GeoJSON Polygon or MultiPolygon in WGS 84
  longitude/latitude (RFC 7946, exterior rings counter-clockwise).
- *Bagian*: one polygon of the upload (a feature, a KML Placemark polygon, a shapefile record part).
- *Lapisan kawasan hutan*: the forest-area layer an officer uploads; the part of a map outside it is reported.
- *Tumpang tindih*: the area a map shares with the map of another active application of the same pemda.

Formats read (all in memory, nothing written to disk): GeoJSON (a geometry, Feature or FeatureCollection;
the legacy ``crs`` member is honoured), KML 2.x (parsed with defusedxml: no entities, no external
references) or a KMZ, and a zipped ESRI shapefile (pyshp; .shp + .shx, optional .dbf/.prj). A .prj in
another coordinate system (UTM zone 48S, DGN95 / TM-3, ...) is transformed to WGS 84 with pyproj; a .prj
pyproj cannot read is refused with a message, never guessed.

Area method. Areas are measured in a Lambert azimuthal equal-area (LAEA) projection on the WGS 84
ellipsoid, centred on the measured polygon (``+proj=laea +lat_0=<centre> +lon_0=<centre> +ellps=WGS84``):
- an equal-area projection keeps areas exactly (to floating point), wherever the polygon is; a
  conformal one does not: UTM (the usual choice in the field) scales areas by k² — 0.9992 on the central
  meridian and up to about +0.2 % near a zone edge, and Indonesia spans nine zones; Web Mercator
  overstates areas (slightly near the equator, hugely further away) and is not used for measuring;
- centring the projection on the polygon keeps its shape distortion negligible for areas the size
  of a village or a forest register, so the straight polygon edges of the upload stay where they were
  drawn and intersections (overlap, part outside the forest layer) are computed in the same plane in
  metres with the ordinary planar algorithms of GEOS (shapely);
- the tests cross-check it against pyproj.Geod's geodesic area on the WGS 84 ellipsoid (Karney 2013)
  and against rectangles of known size laid out in UTM; they agree far within the 0.5 % required
  (the geodesic figure is also kept, `geodesic_area_ha`).
Hectares are Decimal with four places, rounded ROUND_HALF_UP; percentages two places, ROUND_HALF_UP.
"""

import io
import json
import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import numpy as np
import shapefile
import shapely
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_fromstring
from django.utils.translation import gettext as _
from pyproj import CRS, Geod, Transformer
from pyproj.exceptions import CRSError, ProjError
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

from rencana.core.numbers import format_angka

type Area = Polygon | MultiPolygon
Ring = list[tuple[float, float]]

# Indonesia from Pulau Rondo (about 95° E, 6.1° N) to Merauke (141° E) and Pulau Ndana (11° S), with margin.
INDONESIA_BBOX = (94.5, -11.5, 141.5, 6.5)  # min lon, min lat, max lon, max lat

# Declared area (from the field or the proposal) vs the area measured from the map: beyond this the
# officer is asked to check; the field measurements of community groups are rarely better than a few %.
TOLERANSI_LUAS_PERSEN = Decimal("5")
# Overlaps smaller than this (100 m²) are digitising slivers along a shared boundary, not competing claims.
MIN_TUMPANG_TINDIH_HA = 0.01

HA = Decimal("0.0001")
PERSEN = Decimal("0.01")

FORMAT_GEOJSON = "geojson"
FORMAT_KML = "kml"
FORMAT_KMZ = "kmz"
FORMAT_SHAPEFILE = "shapefile"
FORMAT_LABELS = {
    FORMAT_GEOJSON: "GeoJSON",
    FORMAT_KML: "KML",
    FORMAT_KMZ: "KMZ",
    FORMAT_SHAPEFILE: "Shapefile (zip)",
}
# Names an upload may have, by the format its content turned out to be.
SUFFIXES = {
    FORMAT_GEOJSON: (".geojson", ".json"),
    FORMAT_KML: (".kml",),
    FORMAT_KMZ: (".kmz", ".zip"),
    FORMAT_SHAPEFILE: (".zip",),
}
ALL_SUFFIXES = (".geojson", ".json", ".kml", ".kmz", ".zip")

WGS84 = CRS.from_epsg(4326)
GEOD = Geod(ellps="WGS84")
MAX_NESTING = 8  # GeometryCollection / MultiGeometry inside each other
SEGMENT_SEARCH_LIMIT = 200_000  # ring segments searched for the crossing pair of a self-intersection


@dataclass(frozen=True)
class Limits:
    """What one upload may hold; a map of a group's area is small, a forest layer of a province is not."""

    max_bytes: int
    max_vertices: int
    max_parts: int
    max_unzipped_bytes: int


MAP_LIMITS = Limits(
    max_bytes=5 * 1024 * 1024, max_vertices=50_000, max_parts=500, max_unzipped_bytes=50 * 1024 * 1024
)
LAYER_LIMITS = Limits(
    max_bytes=40 * 1024 * 1024,
    max_vertices=500_000,
    max_parts=50_000,
    max_unzipped_bytes=200 * 1024 * 1024,
)


class GeometryError(ValueError):
    """An upload that cannot become a valid area: `message` says what and, where known, where."""

    def __init__(
        self, message: str, *, kode: str = "geometri_tidak_valid", lokasi: tuple[float, float] | None = None
    ):
        super().__init__(message)
        self.message = message
        self.kode = kode
        self.lokasi = lokasi


@dataclass
class RawPart:
    """One polygon as read from the file, before any check: rings of (x, y), the first one the boundary."""

    rings: list[Ring]
    asal: str  # where it came from, for messages: "fitur ke-2", "Placemark “Blok A”", "rekaman ke-3"


@dataclass
class RawMap:
    format: str
    parts: list[RawPart]
    crs: CRS | None = None  # None: WGS 84 longitude/latitude
    prj_hilang: bool = False  # a shapefile without .prj
    catatan: list[str] = field(default_factory=list)
    bukan_poligon: list[str] = field(default_factory=list)  # kinds of the other features met ("Point", ...)


@dataclass(frozen=True)
class ParsedMap:
    geometri: Area
    format: str
    jumlah_bagian: int
    jumlah_titik: int
    catatan: tuple[str, ...]  # notes for the user: coordinates transformed, parts merged, features ignored


@dataclass(frozen=True)
class AreaComparison:
    """Declared vs measured area; `selisih_persen` is relative to the declared area."""

    dinyatakan_ha: Decimal
    terhitung_ha: Decimal
    selisih_ha: Decimal
    selisih_persen: Decimal
    toleransi_persen: Decimal
    sesuai: bool


@dataclass(frozen=True)
class Overlap:
    kode_lacak: str
    luas_ha: Decimal
    persen: Decimal  # of the subject map's area


@dataclass(frozen=True)
class Outside:
    di_luar_ha: Decimal
    di_luar_persen: Decimal  # of the subject map's area


# ------------------------------------------------------------------------------------------------
# Numbers and places


def ha(value: float) -> Decimal:
    """Hectares as Decimal, four places, ROUND_HALF_UP."""
    return Decimal(repr(float(value))).quantize(HA, rounding=ROUND_HALF_UP)


def persen(part: float, whole: float) -> Decimal:
    if whole <= 0:
        return Decimal("0.00")
    return Decimal(repr(100.0 * part / whole)).quantize(PERSEN, rounding=ROUND_HALF_UP)


def _kapital(text: str) -> str:
    """First letter upper case, the rest as it is (names in quotes keep their case)."""
    return text[:1].upper() + text[1:]


def tempat(lon: float, lat: float) -> str:
    """A place in words: "bujur 104,612300° BT, lintang 5,301200° LS"."""
    timur_barat = _("BT") if lon >= 0 else _("BB")
    utara_selatan = _("LU") if lat >= 0 else _("LS")
    return _("bujur {bujur}° {bt}, lintang {lintang}° {ls}").format(
        bujur=format_angka(abs(lon), 6), bt=timur_barat, lintang=format_angka(abs(lat), 6), ls=utara_selatan
    )


# ------------------------------------------------------------------------------------------------
# Reading files


def detect_format(data: bytes, name: str = "") -> str:
    """The format of `data` by its content; the file name must agree with it."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        found = FORMAT_SHAPEFILE  # or KMZ, told apart by what the zip holds (read_zip)
    elif head.startswith((b"{", b"[")):
        found = FORMAT_GEOJSON
    elif head.startswith(b"<") and re.search(rb"<(\w+:)?kml[\s>]", data[:65536]):
        found = FORMAT_KML
    elif head.startswith(b"<"):
        raise GeometryError(
            _("Berkas ini XML tetapi bukan KML (tidak ada elemen <kml>)."), kode="format_tidak_dikenal"
        )
    else:
        raise GeometryError(
            _(
                "Jenis berkas tidak dikenali. Unggah peta sebagai GeoJSON (.geojson), KML (.kml/.kmz) "
                "atau shapefile yang dizip (.zip berisi .shp, .shx, .dbf dan .prj)."
            ),
            kode="format_tidak_dikenal",
        )
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    allowed = SUFFIXES[found] + (SUFFIXES[FORMAT_KMZ] if found == FORMAT_SHAPEFILE else ())
    if name and suffix not in allowed:
        raise GeometryError(
            _(
                "Isi berkas adalah {jenis} tetapi namanya berakhiran “{akhiran}”. Gunakan akhiran {boleh}."
            ).format(
                jenis=FORMAT_LABELS[found], akhiran=suffix or "-", boleh=", ".join(dict.fromkeys(allowed))
            ),
            kode="format_tidak_cocok",
        )
    return found


def read_map(data: bytes, name: str = "", *, limits: Limits = MAP_LIMITS) -> RawMap:
    """The polygons of an uploaded file, as written in it (not yet transformed nor checked)."""
    if not data.strip():
        raise GeometryError(_("Berkas kosong."), kode="berkas_kosong")
    if len(data) > limits.max_bytes:
        raise GeometryError(
            _("Berkas peta paling besar {batas} MB (berkas ini {ukuran} MB).").format(
                batas=format_angka(limits.max_bytes / 1048576, 0), ukuran=format_angka(len(data) / 1048576, 1)
            ),
            kode="berkas_terlalu_besar",
        )
    found = detect_format(data, name)
    if found == FORMAT_GEOJSON:
        return read_geojson(data, limits=limits)
    if found == FORMAT_KML:
        return read_kml(data, limits=limits)
    return read_zip(data, limits=limits)


class _Counter:
    """Counts vertices and parts while reading, so an oversized file stops early."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.vertices = 0
        self.parts = 0

    def add_ring(self, ring: Ring) -> None:
        self.vertices += len(ring)
        if self.vertices > self.limits.max_vertices:
            raise GeometryError(
                _(
                    "Peta memiliki lebih dari {batas} titik. Sederhanakan batasnya (misalnya dengan "
                    "Simplify di QGIS, toleransi 1 m) lalu unggah lagi."
                ).format(batas=format_angka(self.limits.max_vertices, 0)),
                kode="titik_terlalu_banyak",
            )

    def add_part(self) -> None:
        self.parts += 1
        if self.parts > self.limits.max_parts:
            raise GeometryError(
                _("Peta memiliki lebih dari {batas} poligon; gabungkan atau pisahkan per permohonan.").format(
                    batas=format_angka(self.limits.max_parts, 0)
                ),
                kode="bagian_terlalu_banyak",
            )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _json_position(value: Any, asal: str) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) < 2 or not all(_number(v) for v in value[:2]):
        shown = json.dumps(value, ensure_ascii=False)[:60]
        raise GeometryError(
            _("Koordinat {asal} tidak terbaca: {nilai}. Setiap titik ditulis [bujur, lintang].").format(
                asal=asal, nilai=shown
            ),
            kode="koordinat_tidak_valid",
        )
    x, y = float(value[0]), float(value[1])
    if not (math.isfinite(x) and math.isfinite(y)):
        raise GeometryError(
            _("Koordinat {asal} bukan angka yang sah.").format(asal=asal), kode="koordinat_tidak_valid"
        )
    return x, y


def _json_polygon(coordinates: Any, asal: str, counter: _Counter) -> RawPart:
    if not isinstance(coordinates, list) or not coordinates:
        raise GeometryError(
            _("Poligon {asal} tidak memiliki koordinat.").format(asal=asal), kode="geometri_kosong"
        )
    rings: list[Ring] = []
    for ring_value in coordinates:
        if not isinstance(ring_value, list):
            raise GeometryError(
                _("Koordinat {asal} tidak tersusun sebagai cincin titik.").format(asal=asal),
                kode="koordinat_tidak_valid",
            )
        ring = [_json_position(p, asal) for p in ring_value]
        counter.add_ring(ring)
        rings.append(ring)
    counter.add_part()
    return RawPart(rings=rings, asal=asal)


def _json_geometry(geometry: Any, asal: str, counter: _Counter, raw: RawMap, depth: int = 0) -> list[RawPart]:
    if geometry is None:
        raw.catatan.append(_("{asal} tidak memiliki geometri dan diabaikan.").format(asal=_kapital(asal)))
        return []
    if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
        raise GeometryError(
            _("Geometri {asal} tidak sah: tidak ada “type”.").format(asal=asal), kode="geojson_tidak_sah"
        )
    kind = geometry["type"]
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return [_json_polygon(coordinates, asal, counter)]
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list):
            raise GeometryError(
                _("Geometri {asal} tidak memiliki koordinat.").format(asal=asal), kode="geometri_kosong"
            )
        return [
            _json_polygon(polygon, _("{asal} bagian ke-{n}").format(asal=asal, n=i), counter)
            for i, polygon in enumerate(coordinates, start=1)
        ]
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if depth >= MAX_NESTING or not isinstance(members, list):
            raise GeometryError(
                _("GeometryCollection {asal} tidak sah.").format(asal=asal), kode="geojson_tidak_sah"
            )
        parts: list[RawPart] = []
        for i, member in enumerate(members, start=1):
            label = _("{asal} geometri ke-{n}").format(asal=asal, n=i)
            parts.extend(_json_geometry(member, label, counter, raw, depth + 1))
        return parts
    if kind in ("Point", "MultiPoint", "LineString", "MultiLineString"):
        raw.bukan_poligon.append(kind)
        return []
    raise GeometryError(
        _("Jenis geometri “{jenis}” pada {asal} tidak dikenal dalam GeoJSON.").format(
            jenis=kind[:40], asal=asal
        ),
        kode="geojson_tidak_sah",
    )


def _json_crs(document: dict[str, Any]) -> CRS | None:
    """The legacy (2008) GeoJSON ``crs`` member, if it names something other than WGS 84 lon/lat."""
    member = document.get("crs")
    if not isinstance(member, dict):
        return None
    properties = member.get("properties")
    name = properties.get("name") if isinstance(properties, dict) else None
    if not isinstance(name, str) or not name.strip():
        return None
    text = name.strip()
    if re.search(r"CRS84$", text, re.IGNORECASE):
        return None
    # Only EPSG codes ("EPSG:32748", "urn:ogc:def:crs:EPSG::32748"): nothing else reaches PROJ.
    code = re.fullmatch(r"(?:urn:ogc:def:crs:)?EPSG:(?:[\d.]*:)?(\d{4,6})", text, re.IGNORECASE)
    try:
        if code is None:
            raise CRSError(text)
        crs = CRS.from_epsg(int(code.group(1)))
    except (CRSError, ProjError, ValueError, TypeError) as exc:
        raise GeometryError(
            _(
                "Sistem koordinat “{nama}” pada GeoJSON tidak dikenali. "
                "Simpan ulang peta dalam WGS 84 (EPSG:4326)."
            ).format(nama=name[:80]),
            kode="crs_tidak_dikenal",
        ) from exc
    return None if _is_wgs84(crs) else crs


def read_geojson(data: bytes, *, limits: Limits = MAP_LIMITS) -> RawMap:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeometryError(_("Berkas GeoJSON harus berupa teks UTF-8."), kode="geojson_tidak_sah") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeometryError(
            _("Berkas GeoJSON tidak dapat dibaca: JSON rusak di baris {baris}, kolom {kolom}.").format(
                baris=exc.lineno, kolom=exc.colno
            ),
            kode="geojson_tidak_sah",
        ) from exc
    except RecursionError as exc:
        raise GeometryError(_("Berkas GeoJSON bersarang terlalu dalam."), kode="geojson_tidak_sah") from exc
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise GeometryError(
            _("Berkas JSON ini bukan GeoJSON: tidak ada “type” (Feature, FeatureCollection atau Polygon)."),
            kode="geojson_tidak_sah",
        )
    raw = RawMap(format=FORMAT_GEOJSON, parts=[], crs=_json_crs(document))
    counter = _Counter(limits)
    kind = document["type"]
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise GeometryError(_("FeatureCollection tanpa daftar “features”."), kode="geojson_tidak_sah")
        for i, feature in enumerate(features, start=1):
            label = _feature_label(feature, i)
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise GeometryError(
                    _("{asal} bukan Feature GeoJSON.").format(asal=_kapital(label)),
                    kode="geojson_tidak_sah",
                )
            raw.parts.extend(_json_geometry(feature.get("geometry"), label, counter, raw))
    elif kind == "Feature":
        raw.parts.extend(_json_geometry(document.get("geometry"), _feature_label(document, 1), counter, raw))
    else:
        raw.parts.extend(_json_geometry(document, _("poligon"), counter, raw))
    return raw


def _feature_label(feature: Any, number: int) -> str:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if isinstance(properties, dict):
        for key in ("nama", "name", "Nama", "NAMA", "Name", "NAME"):
            value = properties.get(key)
            if isinstance(value, str | int) and str(value).strip():
                return _("fitur ke-{n} “{nama}”").format(n=number, nama=str(value).strip()[:60])
    return _("fitur ke-{n}").format(n=number)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if _local(child.tag) == name)


def _descendants(element: Element, name: str) -> Iterator[Element]:
    return (node for node in element.iter() if _local(node.tag) == name)


def _kml_ring(element: Element, asal: str, counter: _Counter) -> Ring:
    rings = list(_descendants(element, "coordinates"))
    text = (rings[0].text or "") if rings else ""
    text = re.sub(r"\s*,\s*", ",", text.strip())
    ring: Ring = []
    for token in text.split():
        values = token.split(",")
        try:
            x, y = float(values[0]), float(values[1])
        except (ValueError, IndexError) as exc:
            raise GeometryError(
                _(
                    "Koordinat KML {asal} tidak terbaca: “{nilai}”. "
                    "Setiap titik ditulis bujur,lintang[,tinggi]."
                ).format(asal=asal, nilai=token[:60]),
                kode="koordinat_tidak_valid",
            ) from exc
        if not (math.isfinite(x) and math.isfinite(y)):
            raise GeometryError(
                _("Koordinat KML {asal} bukan angka yang sah.").format(asal=asal),
                kode="koordinat_tidak_valid",
            )
        ring.append((x, y))
    counter.add_ring(ring)
    return ring


def _kml_polygon(polygon: Element, asal: str, counter: _Counter) -> RawPart:
    outer = next(_children(polygon, "outerBoundaryIs"), None)
    if outer is None:
        raise GeometryError(
            _("Poligon KML {asal} tidak memiliki batas luar (outerBoundaryIs).").format(asal=asal),
            kode="geometri_kosong",
        )
    rings = [_kml_ring(outer, asal, counter)]
    rings.extend(_kml_ring(inner, asal, counter) for inner in _children(polygon, "innerBoundaryIs"))
    counter.add_part()
    return RawPart(rings=rings, asal=asal)


def read_kml(data: bytes, *, limits: Limits = MAP_LIMITS, format: str = FORMAT_KML) -> RawMap:
    try:
        root = xml_fromstring(data)
    except DefusedXmlException as exc:
        raise GeometryError(
            _("Berkas KML memuat deklarasi entitas atau rujukan luar yang tidak diizinkan."),
            kode="kml_tidak_sah",
        ) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise GeometryError(
            _("Berkas KML tidak dapat dibaca: XML rusak di baris {baris}, kolom {kolom}.").format(
                baris=line, kolom=column + 1
            ),
            kode="kml_tidak_sah",
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise GeometryError(_("Berkas KML tidak dapat dibaca."), kode="kml_tidak_sah") from exc
    if _local(root.tag) != "kml":
        raise GeometryError(_("Berkas XML ini bukan KML (elemen akarnya bukan <kml>)."), kode="kml_tidak_sah")
    raw = RawMap(format=format, parts=[])
    counter = _Counter(limits)
    for number, placemark in enumerate(_descendants(root, "Placemark"), start=1):
        name_node = next(_children(placemark, "name"), None)
        name = (name_node.text or "").strip() if name_node is not None else ""
        label = (
            _("Placemark “{nama}”").format(nama=name[:60]) if name else _("Placemark ke-{n}").format(n=number)
        )
        polygons = list(_descendants(placemark, "Polygon"))
        for i, polygon in enumerate(polygons, start=1):
            asal = label if len(polygons) == 1 else _("{asal} poligon ke-{n}").format(asal=label, n=i)
            raw.parts.append(_kml_polygon(polygon, asal, counter))
        if not polygons:
            for kind in ("LineString", "LinearRing", "Point"):
                if next(_descendants(placemark, kind), None) is not None:
                    raw.bukan_poligon.append(kind)
                    break
    return raw


SHAPE_KINDS = {
    shapefile.POINT: "Point",
    shapefile.POINTZ: "Point",
    shapefile.POINTM: "Point",
    shapefile.MULTIPOINT: "MultiPoint",
    shapefile.MULTIPOINTZ: "MultiPoint",
    shapefile.MULTIPOINTM: "MultiPoint",
    shapefile.POLYLINE: "LineString",
    shapefile.POLYLINEZ: "LineString",
    shapefile.POLYLINEM: "LineString",
    shapefile.MULTIPATCH: "MultiPatch",
}
POLYGON_SHAPES = {shapefile.POLYGON, shapefile.POLYGONZ, shapefile.POLYGONM}


def _zip_members(archive: zipfile.ZipFile, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in archive.infolist():
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if info.is_dir() or "__MACOSX" in path.parts or path.name.startswith("._"):
            continue
        total += info.file_size
        if total > limits.max_unzipped_bytes:
            raise GeometryError(
                _("Isi zip terlalu besar setelah diekstrak (lebih dari {batas} MB).").format(
                    batas=format_angka(limits.max_unzipped_bytes / 1048576, 0)
                ),
                kode="berkas_terlalu_besar",
            )
        members[info.filename] = info
    return members


def _zip_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    with archive.open(info) as handle:
        content = handle.read(limits.max_unzipped_bytes + 1)
    if len(content) > limits.max_unzipped_bytes:
        raise GeometryError(_("Isi zip terlalu besar setelah diekstrak."), kode="berkas_terlalu_besar")
    return content


def read_zip(data: bytes, *, limits: Limits = MAP_LIMITS) -> RawMap:
    """A zipped shapefile, or a KMZ (a zip holding a .kml)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = _zip_members(archive, limits)
        by_suffix: dict[str, list[str]] = {}
        for member_name in members:
            by_suffix.setdefault(PurePosixPath(member_name).suffix.lower(), []).append(member_name)
        shp_names = by_suffix.get(".shp", [])
        if not shp_names:
            kml_names = by_suffix.get(".kml", [])
            if kml_names:
                return read_kml(
                    _zip_read(archive, members[kml_names[0]], limits), limits=limits, format=FORMAT_KMZ
                )
            raise GeometryError(
                _(
                    "Zip ini tidak berisi shapefile (.shp) maupun KML. "
                    "Zip harus memuat .shp, .shx, .dbf dan .prj."
                ),
                kode="shapefile_tidak_lengkap",
            )
        if len(shp_names) > 1:
            raise GeometryError(
                _("Zip berisi lebih dari satu shapefile ({nama}); unggah satu shapefile per zip.").format(
                    nama=", ".join(sorted(PurePosixPath(n).name for n in shp_names))[:200]
                ),
                kode="shapefile_ganda",
            )
        shp_name = shp_names[0]
        stem = shp_name[: -len(".shp")].lower()
        companions = {
            PurePosixPath(n).suffix.lower(): n
            for n in members
            if n[: -len(PurePosixPath(n).suffix)].lower() == stem
        }
        if ".shx" not in companions:
            raise GeometryError(
                _("Shapefile tidak lengkap: berkas {nama}.shx tidak ada di dalam zip.").format(
                    nama=PurePosixPath(shp_name).stem
                ),
                kode="shapefile_tidak_lengkap",
            )
        files = {
            suffix: _zip_read(archive, members[n], limits)
            for suffix, n in companions.items()
            if suffix in (".shp", ".shx", ".prj")
        }
    except zipfile.BadZipFile as exc:
        raise GeometryError(_("Berkas zip rusak atau tidak lengkap."), kode="zip_rusak") from exc
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        # Encrypted members, unsupported compression, truncated data.
        raise GeometryError(
            _("Isi zip tidak dapat dibaca (terenkripsi, rusak, atau cara kompresinya tidak didukung)."),
            kode="zip_rusak",
        ) from exc
    raw = RawMap(format=FORMAT_SHAPEFILE, parts=[])
    if ".prj" in files:
        raw.crs = _prj_crs(files[".prj"])
    else:
        raw.prj_hilang = True
    _read_shapes(files[".shp"], files[".shx"], raw, limits)
    return raw


def _prj_crs(content: bytes) -> CRS | None:
    text = content.decode("utf-8", errors="replace").strip().lstrip("\ufeff")
    if not text:
        return None
    try:
        crs = CRS.from_wkt(text)
    except (CRSError, ProjError, ValueError, TypeError) as exc:
        raise GeometryError(
            _(
                "Sistem koordinat pada berkas .prj tidak dikenali, sehingga letak peta tidak dapat "
                "dipastikan. "
                "Simpan ulang shapefile dalam WGS 84 (EPSG:4326) atau sistem koordinat baku "
                "(misalnya UTM zona 48S, EPSG:32748), lalu unggah lagi."
            ),
            kode="crs_tidak_dikenal",
        ) from exc
    return None if _is_wgs84(crs) else crs


def _is_wgs84(crs: CRS) -> bool:
    if not crs.is_geographic:
        return False
    if crs.to_epsg(min_confidence=70) == 4326 or crs.equals(WGS84, ignore_axis_order=True):
        return True
    datum = crs.datum.name.lower() if crs.datum is not None else ""
    return datum.replace(" ", "_") in ("world_geodetic_system_1984", "d_wgs_1984", "wgs_1984", "wgs84")


def _read_shapes(shp: bytes, shx: bytes, raw: RawMap, limits: Limits) -> None:
    counter = _Counter(limits)
    try:
        with warnings.catch_warnings():
            # pyshp warns about damaged headers; a file it cannot read raises and gets a message below.
            warnings.simplefilter("ignore")
            _read_records(shapefile.Reader(shp=io.BytesIO(shp), shx=io.BytesIO(shx)), raw, counter)
    except GeometryError:
        raise
    except Exception as exc:  # pyshp raises many kinds on a damaged file; none may become a 500
        raise GeometryError(
            _("Shapefile rusak atau tidak dapat dibaca ({rincian}).").format(rincian=str(exc)[:120]),
            kode="shapefile_rusak",
        ) from exc


def _read_records(reader: shapefile.Reader, raw: RawMap, counter: _Counter) -> None:
    kind = reader.shapeType
    if kind not in POLYGON_SHAPES and kind != shapefile.NULL:
        raw.bukan_poligon.append(SHAPE_KINDS.get(kind, str(kind)))
        return
    for number, shape in enumerate(reader.iterShapes(), start=1):
        if shape.shapeType == shapefile.NULL or not shape.points:
            continue
        asal = _("rekaman ke-{n}").format(n=number)
        interface = shape.__geo_interface__
        polygons = (
            [interface["coordinates"]] if interface["type"] == "Polygon" else list(interface["coordinates"])
        )
        for i, polygon in enumerate(polygons, start=1):
            rings: list[Ring] = []
            for ring_value in polygon:
                ring = [(float(p[0]), float(p[1])) for p in ring_value]
                counter.add_ring(ring)
                rings.append(ring)
            counter.add_part()
            label = asal if len(polygons) == 1 else _("{asal} bagian ke-{n}").format(asal=asal, n=i)
            raw.parts.append(RawPart(rings=rings, asal=label))


# ------------------------------------------------------------------------------------------------
# Checking


def _transform_parts(raw: RawMap) -> None:
    """Coordinates of `raw` to WGS 84 longitude/latitude, in place."""
    if raw.crs is None:
        return
    try:
        transformer = Transformer.from_crs(raw.crs, WGS84, always_xy=True)
        for part in raw.parts:
            for index, ring in enumerate(part.rings):
                if not ring:
                    continue
                xs, ys = transformer.transform([p[0] for p in ring], [p[1] for p in ring], errcheck=True)
                part.rings[index] = list(zip((float(x) for x in xs), (float(y) for y in ys), strict=True))
    except (ProjError, CRSError, ValueError, TypeError) as exc:
        raise GeometryError(
            _("Koordinat tidak dapat diubah dari {crs} ke WGS 84; periksa sistem koordinat peta.").format(
                crs=raw.crs.name
            ),
            kode="crs_tidak_dikenal",
        ) from exc
    raw.catatan.append(_("Koordinat diubah dari {crs} ke WGS 84 (bujur/lintang).").format(crs=raw.crs.name))


def _inside(x: float, y: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = INDONESIA_BBOX
    return min_lon <= x <= max_lon and min_lat <= y <= max_lat


def _check_coordinates(raw: RawMap) -> None:
    points = [p for part in raw.parts for ring in part.rings for p in ring]
    outside = [p for p in points if not _inside(*p)]
    if not outside:
        return
    x, y = outside[0]
    if all(_inside(py, px) for px, py in outside):
        raise GeometryError(
            _(
                "Koordinat berada di luar Indonesia (bujur {x}, lintang {y}). Tampaknya urutan bujur "
                "dan lintang tertukar: GeoJSON, KML dan shapefile menulis bujur (longitude) dulu, "
                "lalu lintang (latitude), misalnya bujur 104,61 lalu lintang -5,30 untuk Tanggamus."
            ).format(x=format_angka(x, 6), y=format_angka(y, 6)),
            kode="bujur_lintang_tertukar",
            lokasi=(x, y),
        )
    if any(abs(px) > 180 or abs(py) > 90 for px, py in outside):
        if raw.format == FORMAT_SHAPEFILE and raw.prj_hilang:
            message = _(
                "Koordinat shapefile tampak dalam meter (misalnya UTM), tetapi berkas .prj tidak ada "
                "di dalam zip, sehingga sistem koordinatnya tidak diketahui. Sertakan berkas .prj, "
                "atau simpan ulang dalam WGS 84 (EPSG:4326)."
            )
        else:
            message = _(
                "Koordinat tampak dalam meter (misalnya UTM: {x}, {y}), bukan derajat bujur/lintang. Simpan "
                "ulang peta dalam WGS 84 (EPSG:4326), atau unggah shapefile lengkap dengan berkas .prj."
            ).format(x=format_angka(x, 0), y=format_angka(y, 0))
        raise GeometryError(message, kode="koordinat_bukan_derajat")
    raise GeometryError(
        _(
            "Koordinat berada di luar wilayah Indonesia ({tempat}). Periksa sistem koordinat peta: "
            "harus WGS 84 bujur/lintang dalam derajat desimal."
        ).format(tempat=tempat(x, y)),
        kode="di_luar_indonesia",
        lokasi=(x, y),
    )


def _dedupe(ring: Ring) -> Ring:
    out: Ring = []
    for point in ring:
        if not out or point != out[-1]:
            out.append(point)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _ring_label(index: int) -> str:
    return _("batas luar") if index == 0 else _("lubang ke-{n}").format(n=index)


def _crossing(rings: list[Ring], near: tuple[float, float] | None) -> tuple[int, int, int, int, int] | None:
    """The pair of edges that cross: (ring, edge a, ring, edge b, n-edges of a's ring) nearest to `near`."""
    starts: list[tuple[float, float]] = []
    ends: list[tuple[float, float]] = []
    owner: list[tuple[int, int, int]] = []
    for r, ring in enumerate(rings):
        closed = [*ring, ring[0]]
        for e in range(len(ring)):
            starts.append(closed[e])
            ends.append(closed[e + 1])
            owner.append((r, e, len(ring)))
    if not owner or len(owner) > SEGMENT_SEARCH_LIMIT:
        return None
    coords = np.stack([np.array(starts), np.array(ends)], axis=1)
    segments = shapely.linestrings(coords)
    tree = shapely.STRtree(segments)
    left, right = tree.query(segments, predicate="intersects")
    best: tuple[float, int, int] | None = None
    target = shapely.Point(near) if near else None
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        ri, ei, ni = owner[i]
        rj, ej, _nj = owner[j]
        neighbours = ri == rj and (abs(ei - ej) == 1 or abs(ei - ej) == ni - 1)
        # Neighbours share a vertex; they only matter when they overlap along a line (a spike).
        if neighbours and shapely.intersection(segments[i], segments[j]).geom_type == "Point":
            continue
        distance = shapely.distance(shapely.intersection(segments[i], segments[j]), target) if target else 0.0
        if best is None or distance < best[0]:
            best = (distance, i, j)
    if best is None:
        return None
    _d, i, j = best
    return owner[i][0], owner[i][1], owner[j][0], owner[j][1], owner[i][2]


def _edge(ring_index: int, edge: int, ring_length: int) -> str:
    start, end = edge + 1, (edge + 1) % ring_length + 1
    text = _("garis dari titik ke-{a} ke titik ke-{b}").format(a=start, b=end)
    if ring_index:
        text = _("{garis} pada {cincin}").format(garis=text, cincin=_ring_label(ring_index))
    return text


REASON_RE = re.compile(r"^(?P<reason>[^\[]+)\[(?P<x>\S+) (?P<y>\S+)\]$")


def _invalid_part(part: RawPart, rings: list[Ring], polygon: Polygon) -> GeometryError:
    reason_text = shapely.is_valid_reason(polygon)
    match = REASON_RE.match(reason_text or "")
    reason = match.group("reason").strip() if match else (reason_text or "")
    where: tuple[float, float] | None = None
    if match:
        try:
            where = (float(match.group("x")), float(match.group("y")))
        except ValueError:
            where = None
    near = _(" di sekitar {tempat}").format(tempat=tempat(*where)) if where else ""
    if reason in ("Self-intersection", "Ring Self-intersection"):
        crossing = _crossing(rings, where)
        detail = ""
        if crossing is not None:
            ra, ea, rb, eb, _n = crossing
            detail = _(": {garis_a} bersilangan dengan {garis_b}").format(
                garis_a=_edge(ra, ea, len(rings[ra])), garis_b=_edge(rb, eb, len(rings[rb]))
            )
        return GeometryError(
            _(
                "Batas {asal} memotong dirinya sendiri (berbentuk seperti dasi kupu-kupu){dekat}{rincian}. "
                "Urutkan titik-titik batas mengelilingi areal tanpa menyilang, lalu unggah lagi."
            ).format(asal=part.asal, dekat=near, rincian=detail),
            kode="memotong_diri",
            lokasi=where,
        )
    messages = {
        "Hole lies outside shell": _("Lubang (enclave) pada {asal} berada di luar batas luarnya{dekat}."),
        "Nested holes": _("Lubang-lubang pada {asal} saling bertumpuk{dekat}."),
        "Interior is disconnected": _("Lubang-lubang pada {asal} membelah areal menjadi terpisah{dekat}."),
        "Too few points": _(
            "Batas {asal} memiliki terlalu sedikit titik{dekat}; poligon perlu paling sedikit 3 titik."
        ),
        "Invalid Coordinate": _("Koordinat {asal} tidak sah{dekat}."),
        "Ring is not closed": _(
            "Batas {asal} tidak tertutup{dekat}: titik terakhir harus sama dengan titik pertama."
        ),
    }
    template = messages.get(reason, _("Geometri {asal} tidak sah ({alasan}){dekat}."))
    return GeometryError(
        template.format(asal=part.asal, dekat=near, alasan=reason[:80]),
        kode="geometri_tidak_valid",
        lokasi=where,
    )


def _polygon(part: RawPart) -> Polygon:
    rings = [_dedupe(ring) for ring in part.rings]
    for index, ring in enumerate(rings):
        if len(ring) < 3:
            raise GeometryError(
                _(
                    "{cincin} {asal} hanya memiliki {n} titik berbeda; sebuah poligon perlu paling sedikit "
                    "3 titik berbeda (titik terakhir sama dengan titik pertama)."
                ).format(cincin=_kapital(_ring_label(index)), asal=part.asal, n=len(ring)),
                kode="titik_terlalu_sedikit",
            )
    if shapely.MultiPoint(rings[0]).convex_hull.area == 0:
        raise GeometryError(
            _("Titik-titik batas {asal} terletak pada satu garis sehingga luasnya nol.").format(
                asal=part.asal
            ),
            kode="luas_nol",
        )
    polygon = Polygon(rings[0], rings[1:])
    if not polygon.is_valid:
        raise _invalid_part(part, rings, polygon)
    return polygon


def _repair(part: RawPart) -> list[Polygon]:
    rings = [_dedupe(ring) for ring in part.rings]
    if len(rings[0]) < 3:
        return []
    polygon = Polygon(rings[0], [r for r in rings[1:] if len(r) >= 3])
    fixed = polygonal(shapely.make_valid(polygon))
    return [p for p in ([fixed] if isinstance(fixed, Polygon) else list(fixed.geoms)) if p.area > 0]


def build_area(raw: RawMap, *, perbaiki: bool = False) -> ParsedMap:
    """The checked (Multi)Polygon of `raw` in WGS 84, or a `GeometryError` saying what is wrong and where.

    `perbaiki` (for an officer's forest layer, which may come from a large official dataset with small
    flaws): invalid polygons are repaired with GEOS MakeValid instead of refused, and the note says how many.
    """
    if not raw.parts:
        if raw.bukan_poligon:
            kinds = sorted(set(raw.bukan_poligon))
            if any(k in ("LineString", "LinearRing", "MultiLineString") for k in kinds):
                message = _(
                    "Peta berisi garis ({jenis}), bukan poligon. Areal kelola harus digambar sebagai bidang "
                    "tertutup: di Google Earth gunakan “Tambahkan Poligon”, di QGIS simpan sebagai "
                    "lapisan poligon."
                )
            else:
                message = _(
                    "Peta berisi titik ({jenis}), bukan poligon. Areal kelola harus digambar sebagai bidang "
                    "tertutup (poligon) yang mengelilingi areal."
                )
            raise GeometryError(message.format(jenis=", ".join(kinds)), kode="bukan_poligon")
        raise GeometryError(_("Berkas tidak berisi poligon."), kode="geometri_kosong")
    _transform_parts(raw)
    _check_coordinates(raw)
    polygons: list[Polygon] = []
    repaired = 0
    for part in raw.parts:
        try:
            polygons.append(_polygon(part))
        except GeometryError:
            if not perbaiki:
                raise
            fixed = _repair(part)
            if fixed:
                repaired += 1
                polygons.extend(fixed)
    if not polygons:
        raise GeometryError(_("Berkas tidak berisi poligon yang sah."), kode="geometri_kosong")
    notes = list(raw.catatan)
    if repaired:
        notes.append(_("{n} poligon yang tidak sah diperbaiki otomatis (MakeValid).").format(n=repaired))
    if raw.bukan_poligon:
        notes.append(
            _("{n} fitur yang bukan poligon (titik/garis) diabaikan.").format(n=len(raw.bukan_poligon))
        )
    if len(polygons) == 1:
        merged: Area = polygons[0]
    else:
        merged = polygonal(shapely.union_all(polygons))
        centre = _centre(merged)
        doubled = sum(area_ha(p, pusat=centre) for p in polygons) - area_ha(merged, pusat=centre)
        if doubled >= MIN_TUMPANG_TINDIH_HA:
            notes.append(
                _(
                    "Beberapa poligon dalam berkas saling tumpang tindih seluas {luas} ha; "
                    "luas itu dihitung sekali."
                ).format(luas=format_angka(ha(doubled), 4))
            )
    merged = normalise(merged)
    return ParsedMap(
        geometri=merged,
        format=raw.format,
        jumlah_bagian=len(polygons),
        jumlah_titik=int(shapely.get_num_coordinates(merged)),
        catatan=tuple(notes),
    )


def parse(data: bytes, name: str = "", *, limits: Limits = MAP_LIMITS, perbaiki: bool = False) -> ParsedMap:
    """Read and check an uploaded map (GeoJSON, KML/KMZ or zipped shapefile)."""
    return build_area(read_map(data, name, limits=limits), perbaiki=perbaiki)


def polygonal(geometry: Any) -> Area:
    """The polygons of any geometry (an intersection may also hold lines and points)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    polygons = [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon) and not g.is_empty]
    polygons += [p for g in getattr(geometry, "geoms", []) if isinstance(g, MultiPolygon) for p in g.geoms]
    return MultiPolygon(polygons)


def normalise(geometry: Area) -> Area:
    """Exterior rings counter-clockwise, holes clockwise (RFC 7946 section 3.1.6)."""
    if isinstance(geometry, Polygon):
        return orient(geometry, sign=1.0)
    return MultiPolygon([orient(p, sign=1.0) for p in geometry.geoms])


# ------------------------------------------------------------------------------------------------
# GeoJSON in and out


def to_geojson(geometry: Area) -> dict[str, Any]:
    """A GeoJSON geometry dict of plain lists (what a JSONField stores)."""
    result: dict[str, Any] = json.loads(shapely.to_geojson(geometry))
    return result


def from_geojson(value: Any) -> Area | None:
    """A stored geometry back as shapely; None when it is missing or not polygonal."""
    if not isinstance(value, dict):
        return None
    try:
        geometry = shapely.geometry.shape(value)
    except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.GEOSException):
        return None
    if not isinstance(geometry, Polygon | MultiPolygon) or geometry.is_empty:
        return None
    return geometry


# ------------------------------------------------------------------------------------------------
# Measuring


def _centre(geometry: Any) -> tuple[float, float]:
    min_x, min_y, max_x, max_y = geometry.bounds
    return (min_x + max_x) / 2, (min_y + max_y) / 2


@lru_cache(maxsize=256)
def _laea(lon0: float, lat0: float) -> Transformer:
    target = CRS.from_proj4(
        f"+proj=laea +lat_0={lat0} +lon_0={lon0} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    )
    return Transformer.from_crs(WGS84, target, always_xy=True)


def laea_transformer(pusat: tuple[float, float]) -> Transformer:
    """WGS 84 -> LAEA centred on `pusat` (lon, lat), rounded to 0.001° so nearby polygons share one."""
    return _laea(round(pusat[0], 3), round(pusat[1], 3))


def project(geometry: Any, pusat: tuple[float, float] | None = None) -> Any:
    """`geometry` in metres in the LAEA projection centred on `pusat` (default: its own centre)."""
    transformer = laea_transformer(pusat or _centre(geometry))

    def forward(x: Any, y: Any) -> tuple[Any, Any]:
        return transformer.transform(x, y)

    return shapely.transform(geometry, lambda coords: np.column_stack(forward(coords[:, 0], coords[:, 1])))


def area_ha(geometry: Any, *, pusat: tuple[float, float] | None = None) -> float:
    """Area in hectares in the LAEA projection centred on `pusat` (default: the geometry's own centre)."""
    if geometry is None or geometry.is_empty:
        return 0.0
    return float(project(geometry, pusat).area) / 10_000.0


def geodesic_area_ha(geometry: Area) -> float:
    """Area in hectares on the WGS 84 ellipsoid with geodesic edges (pyproj.Geod, Karney's algorithm)."""
    polygons = [geometry] if isinstance(geometry, Polygon) else list(geometry.geoms)
    total = 0.0
    for polygon in polygons:
        area, _perimeter = GEOD.geometry_area_perimeter(orient(polygon, sign=1.0))
        total += abs(area)
    return total / 10_000.0


def compare_declared(
    terhitung_ha: Decimal | float,
    dinyatakan_ha: Decimal | float | None,
    *,
    toleransi_persen: Decimal = TOLERANSI_LUAS_PERSEN,
) -> AreaComparison | None:
    """The measured area against the declared one; None when nothing (or zero) was declared."""
    if dinyatakan_ha is None:
        return None
    declared = Decimal(str(dinyatakan_ha))
    if declared <= 0:
        return None
    measured = Decimal(str(terhitung_ha)).quantize(HA, rounding=ROUND_HALF_UP)
    difference = measured - declared
    percent = (difference * 100 / declared).quantize(PERSEN, rounding=ROUND_HALF_UP)
    return AreaComparison(
        dinyatakan_ha=declared,
        terhitung_ha=measured,
        selisih_ha=difference.quantize(HA, rounding=ROUND_HALF_UP),
        selisih_persen=percent,
        toleransi_persen=toleransi_persen,
        sesuai=abs(percent) <= toleransi_persen,
    )


def overlap_ha(a: Any, b: Any, *, pusat: tuple[float, float] | None = None) -> float:
    """Area shared by `a` and `b`, in hectares (LAEA centred on `a` unless told)."""
    if a is None or b is None or a.is_empty or b.is_empty or not a.intersects(b):
        return 0.0
    return area_ha(a.intersection(b), pusat=pusat or _centre(a))


def overlaps(
    subject: Area, others: Iterable[tuple[str, Area]], *, min_ha: float = MIN_TUMPANG_TINDIH_HA
) -> list[Overlap]:
    """The other maps (by tracking code) that share at least `min_ha` with `subject`, largest first."""
    centre = _centre(subject)
    total = area_ha(subject, pusat=centre)
    found: list[Overlap] = []
    for kode, other in others:
        shared = overlap_ha(subject, other, pusat=centre)
        if shared >= min_ha:
            found.append(Overlap(kode_lacak=kode, luas_ha=ha(shared), persen=persen(shared, total)))
    return sorted(found, key=lambda o: (-o.luas_ha, o.kode_lacak))


def clip(layer: Any, around: Any, *, margin: float = 0.0) -> Any:
    """The part of `layer` inside the bounding box of `around` widened by `margin` degrees."""
    min_x, min_y, max_x, max_y = around.bounds
    return shapely.clip_by_rect(layer, min_x - margin, min_y - margin, max_x + margin, max_y + margin)


def outside_part(subject: Area, layer: Any) -> Any:
    """The part of `subject` not covered by `layer` (lon/lat)."""
    if layer is None or layer.is_empty:
        return subject
    near = clip(layer, subject, margin=0.001)
    return subject.difference(near)


def outside(subject: Area, layer: Any) -> Outside:
    """How much of `subject` lies outside the forest-area `layer`, in hectares and % of `subject`."""
    centre = _centre(subject)
    total = area_ha(subject, pusat=centre)
    rest = area_ha(outside_part(subject, layer), pusat=centre)
    if rest < MIN_TUMPANG_TINDIH_HA:
        rest = 0.0
    return Outside(di_luar_ha=ha(rest), di_luar_persen=persen(rest, total))


def simplified(area: Area, *, max_vertices: int = 20_000) -> Any:
    """`area` with at most about `max_vertices` vertices for drawing (Douglas-Peucker, topology kept)."""
    result: Any = area
    tolerance = 0.00005  # degrees, about 5 m
    while int(shapely.get_num_coordinates(result)) > max_vertices and tolerance < 1:
        result = shapely.simplify(area, tolerance, preserve_topology=True)
        tolerance *= 2
    return result
