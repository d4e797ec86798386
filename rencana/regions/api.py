"""Pemda and OPD operations under /api/v1/pemda/{kode}/..., with the same scope rules as the pages."""

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from rencana.accounts.scope import pemdas_of, resolve_scope
from rencana.api_schemas import AUTH_ERRORS, PemdaKode, Text
from rencana.core.errors import NotFoundError
from rencana.regions import selectors, services
from rencana.regions.api_wilayah import router as wilayah_router
from rencana.regions.models import Opd

router = Router()
router.add_router("/wilayah", wilayah_router)
pemda_router = Router(tags=["pemda dan OPD"])


class PemdaOut(Schema):
    kode: str
    nama: str
    jenis: str
    tahun_anggaran: int


class OpdOut(Schema):
    id: int
    kode: str
    nama: str
    singkatan: str
    urusan: str
    aktif: bool
    version: int


class OpdIn(Schema):
    kode: Text
    nama: Text
    singkatan: Text = ""
    urusan: Text = ""


class OpdUpdateIn(OpdIn):
    version: int


class OpdStatusIn(Schema):
    aktif: bool
    version: int


class OpdPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[OpdOut]


class OpdFilter(Schema):
    q: Text = ""
    status: Text = "aktif"
    page: int = 1
    page_size: int = 50


@pemda_router.get(
    "", response={200: list[PemdaOut], **AUTH_ERRORS}, summary="Pemda tempat Anda memiliki peran"
)
def pemda_list(request: HttpRequest) -> list[PemdaOut]:
    return [PemdaOut.from_orm(p) for p in pemdas_of(request.user)]


@pemda_router.get("/{kode}", response={200: PemdaOut, **AUTH_ERRORS}, summary="Satu pemda")
def pemda_detail(request: HttpRequest, kode: PemdaKode) -> PemdaOut:
    pemda, _scope = resolve_scope(request.user, kode, "pemda.view")
    return PemdaOut.from_orm(pemda)


@pemda_router.get("/{kode}/opd", response={200: OpdPage, **AUTH_ERRORS}, summary="Daftar OPD (berhalaman)")
def opd_list(request: HttpRequest, kode: PemdaKode, filters: Query[OpdFilter]) -> OpdPage:
    pemda, _scope = resolve_scope(request.user, kode, "opd.view")
    page_size = max(1, min(filters.page_size, 500))
    page = max(1, min(filters.page, 1_000_000))
    qs = selectors.opd_list(pemda=pemda, q=filters.q[:100], status=filters.status)
    start = (page - 1) * page_size
    return OpdPage(
        count=qs.count(),
        page=page,
        page_size=page_size,
        items=[OpdOut.from_orm(o) for o in qs[start : start + page_size]],
    )


def _opd(kode_pemda_id: int, opd_id: int) -> Opd:
    opd = Opd.objects.filter(pemda_id=kode_pemda_id, pk=opd_id).first()
    if opd is None:
        raise NotFoundError("OPD tidak ditemukan di pemda ini.")
    return opd


@pemda_router.get("/{kode}/opd/{opd_id}", response={200: OpdOut, **AUTH_ERRORS}, summary="Satu OPD")
def opd_detail(request: HttpRequest, kode: PemdaKode, opd_id: int) -> OpdOut:
    pemda, _scope = resolve_scope(request.user, kode, "opd.view")
    return OpdOut.from_orm(_opd(pemda.pk, opd_id))


@pemda_router.post("/{kode}/opd", response={201: OpdOut, **AUTH_ERRORS}, summary="Tambah OPD")
def opd_create(request: HttpRequest, kode: PemdaKode, payload: OpdIn) -> Status[OpdOut]:
    pemda, _scope = resolve_scope(request.user, kode, "opd.manage")
    opd = services.opd_create(actor=request.user, pemda=pemda, **payload.dict())
    return Status(201, OpdOut.from_orm(opd))


@pemda_router.put(
    "/{kode}/opd/{opd_id}", response={200: OpdOut, **AUTH_ERRORS}, summary="Ubah OPD (butuh versi)"
)
def opd_update(request: HttpRequest, kode: PemdaKode, opd_id: int, payload: OpdUpdateIn) -> OpdOut:
    pemda, _scope = resolve_scope(request.user, kode, "opd.manage")
    data = payload.dict()
    version = data.pop("version")
    opd = services.opd_update(
        actor=request.user, opd=_opd(pemda.pk, opd_id), expected_version=version, **data
    )
    return OpdOut.from_orm(opd)


@pemda_router.post(
    "/{kode}/opd/{opd_id}/status",
    response={200: OpdOut, **AUTH_ERRORS},
    summary="Aktifkan atau nonaktifkan OPD",
)
def opd_status(request: HttpRequest, kode: PemdaKode, opd_id: int, payload: OpdStatusIn) -> OpdOut:
    pemda, _scope = resolve_scope(request.user, kode, "opd.manage")
    opd = services.opd_set_active(
        actor=request.user, opd=_opd(pemda.pk, opd_id), expected_version=payload.version, aktif=payload.aktif
    )
    return OpdOut.from_orm(opd)


router.add_router("/pemda", pemda_router)
