"""Public region API under /api/v1/wilayah: search, one region, boundaries as GeoJSON.

Data: the Kemendagri code list edition loaded by `rencana regions load` (Kepmendagri
300.2.2-2138/2025 by default) and simplified boundaries from cahyadsn/wilayah_boundaries (MIT);
see regions/data/PROVENANCE.md. No login needed (`auth=None`).
"""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from rencana.api_schemas import PUBLIC_ERRORS
from rencana.core.errors import NotFoundError
from rencana.regions.models import Region, RegionBoundary
from rencana.regions.search import region_ancestors, region_get, region_search
from rencana.regions.selectors import child_boundaries

router = Router(tags=["wilayah"])

Level = Literal["provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan"]


class RegionOut(Schema):
    kode: str
    nama: str
    level: str
    parent_kode: str | None
    parent_nama: str | None
    edisi: str

    @staticmethod
    def of(region: Region) -> "RegionOut":
        parent = region.parent if region.parent_id else None
        return RegionOut(
            kode=region.kode,
            nama=region.nama,
            level=region.level,
            parent_kode=region.parent_id,
            parent_nama=parent.nama if parent is not None else None,
            edisi=region.edisi,
        )


class RegionRef(Schema):
    kode: str
    nama: str
    level: str


class RegionDetailOut(RegionOut):
    induk: list[RegionRef] = Field(description="Provinsi sampai induk langsung")
    jumlah_anak: int
    punya_batas: bool


class RegionFilter(Schema):
    q: str = Field("", max_length=100, description="Kode (awal kode) atau nama wilayah")
    level: Level | None = None
    parent: str | None = Field(None, max_length=13, description="Kode induk langsung")
    limit: int = Field(20, ge=1, le=100)


class FeatureCollectionOut(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[dict[str, Any]]


def _required(kode: str) -> Region:
    region = region_get(kode)
    if region is None:
        raise NotFoundError(f"Kode wilayah {kode[:20]} tidak ditemukan.")
    return region


def _feature(boundary: RegionBoundary, region: Region) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": boundary.geometry,
        "properties": {
            "kode": region.kode,
            "nama": region.nama,
            "level": region.level,
            "lat": boundary.lat,
            "lng": boundary.lng,
        },
    }


@router.get(
    "",
    response={200: list[RegionOut], **PUBLIC_ERRORS},
    auth=None,
    summary="Cari wilayah menurut kode atau nama",
    url_name="wilayah_cari",
)
def wilayah_list(request: HttpRequest, filters: Query[RegionFilter]) -> list[RegionOut]:
    found = region_search(filters.q, level=filters.level, parent=filters.parent, limit=filters.limit)
    return [RegionOut.of(r) for r in found]


@router.get(
    "/{kode}",
    response={200: RegionDetailOut, **PUBLIC_ERRORS},
    auth=None,
    summary="Satu wilayah, dengan jenjang induknya",
    url_name="wilayah_detail",
)
def wilayah_detail(request: HttpRequest, kode: str) -> RegionDetailOut:
    region = _required(kode)
    base = RegionOut.of(region)
    return RegionDetailOut(
        **base.dict(),
        induk=[RegionRef(kode=a.kode, nama=a.nama, level=a.level) for a in region_ancestors(region)],
        jumlah_anak=Region.objects.filter(parent_id=region.kode).count(),
        punya_batas=RegionBoundary.objects.filter(region_id=region.kode).exists(),
    )


@router.get(
    "/{kode}/batas",
    response={200: FeatureCollectionOut, **PUBLIC_ERRORS},
    auth=None,
    summary="Batas wilayah (GeoJSON, disederhanakan; ?anak=1 untuk batas wilayah di bawahnya)",
    url_name="wilayah_batas",
)
def wilayah_batas(request: HttpRequest, kode: str, anak: bool = False) -> FeatureCollectionOut:
    region = _required(kode)
    features: list[dict[str, Any]] = []
    own = RegionBoundary.objects.filter(region_id=region.kode).first()
    if own is not None:
        features.append(_feature(own, region))
    if anak:
        features.extend(_feature(b, b.region) for b in child_boundaries(kode=region.kode))
    return FeatureCollectionOut(features=features)
