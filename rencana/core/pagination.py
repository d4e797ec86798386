from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int | None = None) -> Page:
    """A page of `items` from ?halaman=N; out-of-range or junk numbers give the nearest page."""
    paginator = Paginator(items, per_page or settings.RENCANA_PAGE_SIZE)
    return paginator.get_page(request.GET.get("halaman"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("halaman", None)
    return params.urlencode()
