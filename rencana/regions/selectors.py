"""Read queries over pemda and OPD records."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Length

from rencana.regions.models import Opd, Pemda, RegionBoundary


def opd_list(*, pemda: Pemda, q: str = "", status: str = "aktif") -> QuerySet[Opd]:
    qs = Opd.objects.filter(pemda=pemda)
    if status == "aktif":
        qs = qs.filter(aktif=True)
    elif status == "nonaktif":
        qs = qs.filter(aktif=False)
    if q:
        qs = qs.filter(Q(nama__icontains=q) | Q(singkatan__icontains=q) | Q(kode__startswith=q))
    return qs.order_by("kode")


def opd_get(*, pemda: Pemda, opd_id: int) -> Opd | None:
    return Opd.objects.filter(pemda=pemda, pk=opd_id).first()


def child_boundaries(*, kode: str) -> QuerySet[RegionBoundary]:
    """Boundaries one level below `kode`: kab/kota of a provinsi, kecamatan of a kab/kota."""
    depth = kode.count(".") + 1
    length = {1: 5, 2: 8}.get(depth, -1)
    return (
        RegionBoundary.objects.filter(region_id__gt=kode + ".", region_id__lt=kode + "/")
        .annotate(code_length=Length("region_id"))
        .filter(code_length=length)
        .select_related("region")
        .order_by("region_id")
    )
