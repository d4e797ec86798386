"""Small real map files for the map tests, made in memory: GeoJSON, KML/KMZ and zipped shapefiles (pyshp)."""

import io
import itertools
import json
import zipfile
from collections.abc import Sequence
from typing import Any

import shapefile
from pyproj import CRS, Transformer
from pyproj.enums import WktVersion

Ring = Sequence[tuple[float, float]]

# A 0.01° x 0.01° square in Kabupaten Tanggamus, Lampung (near Register 30), counter-clockwise.
LAMPUNG_SQUARE: list[tuple[float, float]] = [
    (104.60, -5.30),
    (104.61, -5.30),
    (104.61, -5.29),
    (104.60, -5.29),
    (104.60, -5.30),
]
# Its corners out of order: the boundary crosses itself between the corners (a bow tie).
BOW_TIE: list[tuple[float, float]] = [
    (104.60, -5.30),
    (104.61, -5.29),
    (104.61, -5.30),
    (104.60, -5.29),
    (104.60, -5.30),
]


def square(lon: float, lat: float, size: float) -> list[tuple[float, float]]:
    """A counter-clockwise square of `size` degrees with its south-west corner at (lon, lat)."""
    return [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)]


def polygon_geometry(*rings: Ring) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring] for ring in rings]}


def geojson_bytes(value: Any) -> bytes:
    return json.dumps(value).encode()


def feature_collection(*geometries: dict[str, Any], names: Sequence[str] = ()) -> dict[str, Any]:
    features = []
    for i, geometry in enumerate(geometries):
        properties = {"nama": names[i]} if i < len(names) else {}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def kml_bytes(*rings: Ring, name: str = "Blok A", kind: str = "Polygon") -> bytes:
    def coords(ring: Ring) -> str:
        return " ".join(f"{x},{y},0" for x, y in ring)

    if kind == "Polygon":
        outer, *holes = rings
        inner = "".join(
            f"<innerBoundaryIs><LinearRing><coordinates>{coords(h)}</coordinates></LinearRing></innerBoundaryIs>"
            for h in holes
        )
        body = (
            f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords(outer)}</coordinates>"
            f"</LinearRing></outerBoundaryIs>{inner}</Polygon>"
        )
    else:
        body = f"<{kind}><coordinates>{coords(rings[0])}</coordinates></{kind}>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
        f"<name>{name}</name>{body}</Placemark></Document></kml>"
    ).encode()


def kmz_bytes(kml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", kml)
    return buffer.getvalue()


def clockwise(ring: Ring) -> list[tuple[float, float]]:
    """Shapefiles write outer rings clockwise."""
    points = list(ring)
    area2 = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(points))
    return points if area2 < 0 else points[::-1]


def shapefile_zip(
    *polygons: Sequence[Ring],
    prj: str | None = CRS.from_epsg(4326).to_wkt(WktVersion.WKT1_ESRI),
    shape_type: int = shapefile.POLYGON,
    stem: str = "areal",
    include_shx: bool = True,
    extra_shp: bool = False,
) -> bytes:
    """A zipped shapefile of `polygons` (each a list of rings: outer first, clockwise written for us)."""
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shape_type)
    writer.field("nama", "C", size=40)
    for number, rings in enumerate(polygons, start=1):
        if shape_type == shapefile.POLYGON:
            outer, *holes = rings
            writer.poly([clockwise(outer), *[clockwise(h)[::-1] for h in holes]])
        elif shape_type == shapefile.POLYLINE:
            writer.line([list(rings[0])])
        else:
            writer.point(*rings[0][0])
        writer.record(f"Blok {number}")
    writer.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}/{stem}.shp", shp.getvalue())
        if include_shx:
            archive.writestr(f"{stem}/{stem}.shx", shx.getvalue())
        archive.writestr(f"{stem}/{stem}.dbf", dbf.getvalue())
        if prj is not None:
            archive.writestr(f"{stem}/{stem}.prj", prj)
        if extra_shp:
            archive.writestr("lain.shp", shp.getvalue())
        archive.writestr("__MACOSX/._areal.shp", b"junk")
    return buffer.getvalue()


UTM_48S = CRS.from_epsg(32748)


def utm_rectangle(easting: float, northing: float, width: float, height: float) -> list[tuple[float, float]]:
    """A width x height metre rectangle laid out in UTM zone 48S (EPSG:32748), counter-clockwise."""
    return [
        (easting, northing),
        (easting + width, northing),
        (easting + width, northing + height),
        (easting, northing + height),
        (easting, northing),
    ]


def to_wgs84(ring: Ring, crs: CRS = UTM_48S) -> list[tuple[float, float]]:
    transformer = Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True)
    points = [transformer.transform(x, y) for x, y in ring]
    return [(float(x), float(y)) for x, y in points]
