"""Public pages of the Permendagri 90 nomenclature: browse and search as you type (reference data)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rencana.core.access import public_view
from rencana.planning.models import NomenclatureEdition, NomenclatureLevel
from rencana.planning.nomenclature import edition_default, nomenclature_search

LIMIT = 30


def _search_context(request: HttpRequest) -> dict[str, object]:
    # The node form's code box sends its own name ("kode").
    q = (request.GET.get("q", "") or request.GET.get("kode", "")).strip()[:100]
    edisi_kode = request.GET.get("edisi", "")[:20]
    edition = NomenclatureEdition.objects.filter(kode=edisi_kode).first() or edition_default()
    # The node form sends its "jenis" select: only codes of that level are offered.
    level = request.GET.get("tingkat", "") or request.GET.get("jenis", "")
    if level not in NomenclatureLevel.values:
        level = ""
    kind = request.GET.get("pemda_jenis", "")
    if kind not in ("provinsi", "kabkota"):
        kind = ""
    items = []
    if q and edition is not None:
        items = nomenclature_search(
            edisi=edition, q=q, level=level or None, pemda_kind=kind or None, limit=LIMIT
        )
    return {
        "q": q,
        "edition": edition,
        "editions": NomenclatureEdition.objects.all(),
        "level": level,
        "levels": NomenclatureLevel.choices,
        "kind": kind,
        "items": items,
        "limit": LIMIT,
        "pick": request.GET.get("pilih", "") == "1",
    }


@public_view
@require_GET
def nomenclature_page(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/nomenclature.html", _search_context(request))


@public_view
@require_GET
def nomenclature_results(request: HttpRequest) -> HttpResponse:
    """The result list alone, for HTMX (the page's search box, the node form's code picker)."""
    return render(request, "planning/fragment_nomenclature_results.html", _search_context(request))
