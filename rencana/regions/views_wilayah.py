"""Public region pages: search the Kemendagri code list by code prefix or name."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rencana.core.access import public_view
from rencana.regions.models import Region


@public_view
@require_GET
def wilayah_cari(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    results = list(Region.objects.filter(nama_cari__contains=q.lower())[:50]) if q else []
    return render(request, "regions/wilayah_cari.html", {"q": q, "results": results})
