"""Public region pages: search the Kemendagri code list (kode wilayah) and show one region.

Data: the edition loaded by `rencana regions load` (Kepmendagri 300.2.2-2138/2025 by default;
source and licence in regions/data/PROVENANCE.md). Thin views over regions/search.py.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rencana.core.access import public_view
from rencana.core.errors import NotFoundError
from rencana.core.pagination import paginate, query_without_page
from rencana.regions import editions
from rencana.regions.models import ReferenceDataLoad, RegionBoundary, RegionLevel
from rencana.regions.search import region_ancestors, region_children, region_get, region_search

RESULT_LIMIT = 50


def _edition_context() -> dict[str, Any]:
    """Which edition is loaded, for the sentence on the source of the data."""
    record = ReferenceDataLoad.objects.filter(dataset="wilayah").only("edisi").first()
    edisi = record.edisi if record is not None else ""
    return {"edisi": edisi, "keputusan": editions.EDITIONS.get(edisi, ("", ""))[1]}


@public_view
@require_GET
def wilayah_cari(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    level = request.GET.get("tingkat", "")
    if level not in RegionLevel.values:
        level = ""
    results = region_search(q, level=level or None, limit=RESULT_LIMIT) if q else []
    context = {
        "q": q,
        "level": level,
        "levels": RegionLevel.choices,
        "results": results,
        "limit": RESULT_LIMIT,
    }
    if request.headers.get("HX-Request") == "true":
        # The search box asks htmx for the result list only.
        return render(request, "regions/wilayah_hasil.html", context)
    return render(request, "regions/wilayah_cari.html", {**context, **_edition_context()})


@public_view
@require_GET
def wilayah_detail(request: HttpRequest, kode: str) -> HttpResponse:
    region = region_get(kode)
    if region is None:
        raise NotFoundError(f"Kode wilayah {kode[:20]} tidak ditemukan.")
    page = paginate(request, region_children(region))
    context = {
        "region": region,
        "ancestors": region_ancestors(region),
        "page": page,
        "query": query_without_page(request),
        "has_boundary": RegionBoundary.objects.filter(region_id=region.kode).exists(),
        **_edition_context(),
    }
    return render(request, "regions/wilayah_detail.html", context)
