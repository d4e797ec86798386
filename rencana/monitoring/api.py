"""e-Monev API under /api/v1/pemda/{kode}/monev: quarterly realization and its workflow.

Same scope rules as the pages (`rencana.monitoring.access`): every staff member reads, an OPD operator
only its own OPD's lines (another OPD's line answers 404, as if it did not exist); only the operator of
the node's OPD saves and submits; verifiers and planners verify or return. Validation, the workflow
and the audit trail are the services'; their refusals become JSON 4xx (a stale version is 409).
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Literal

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from rencana.accounts.scope import resolve_scope
from rencana.api_schemas import AUTH_ERRORS, PemdaKode, Text
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.scope import Scope
from rencana.monitoring import access, services
from rencana.monitoring.models import Realization, RealizationValue
from rencana.planning.models import Indicator, PlanNode
from rencana.regions.models import Opd, Pemda

router = Router()
monev_router = Router(tags=["e-Monev"])

REALIZATION_PATH = "/{kode}/monev/realisasi/{node_id}/{tahun}/{triwulan}"


class RealizationValueOut(Schema):
    indikator_id: int
    nama: str
    satuan: str
    nilai: Decimal


class RealizationOut(Schema):
    id: int
    node_id: int
    node_kode: str
    node_nama: str
    opd_kode: str | None
    tahun: int
    triwulan: int
    status: Literal["draft", "submitted", "returned", "verified"]
    revisi_ke: int
    anggaran: Decimal | None
    faktor_pendukung: str
    faktor_penghambat: str
    tindak_lanjut: str
    alasan_pengembalian: str
    diajukan_pada: datetime.datetime | None
    diverifikasi_pada: datetime.datetime | None
    nilai: list[RealizationValueOut]
    version: int


class RealizationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RealizationOut]


class RealizationFilter(Schema):
    tahun: int | None = Field(None, ge=2000, le=2100, description="kosong = tahun anggaran pemda")
    triwulan: int | None = Field(None, ge=1, le=4, description="kosong = semua triwulan")
    opd_id: int | None = None
    page: int = 1
    page_size: int = 50


class ValueIn(Schema):
    indikator_id: int
    nilai: Decimal | None = Field(None, description="null atau tidak dikirim = belum ada nilai")


class RealizationIn(Schema):
    anggaran: Decimal | None = Field(
        None, max_digits=18, decimal_places=2, description="realisasi anggaran triwulan ini (Rp)"
    )
    nilai: list[ValueIn] = Field(default_factory=list, max_length=500)
    faktor_pendukung: Text = ""
    faktor_penghambat: Text = ""
    tindak_lanjut: Text = ""
    version: int | None = Field(None, description="versi yang diubah; null hanya bila realisasi belum ada")


class VersionIn(Schema):
    version: int


class ReturnIn(VersionIn):
    alasan: Text


def _values_by_realization(ids: list[int]) -> dict[int, list[RealizationValueOut]]:
    found: dict[int, list[RealizationValueOut]] = defaultdict(list)
    rows = (
        RealizationValue.objects.filter(realisasi_id__in=ids)
        .select_related("indikator")
        .order_by("indikator__urutan", "indikator_id")
    )
    for row in rows:
        found[row.realisasi_id].append(
            RealizationValueOut(
                indikator_id=row.indikator_id,
                nama=row.indikator.nama,
                satuan=row.indikator.satuan,
                nilai=row.nilai,
            )
        )
    return found


def _out(realization: Realization, values: list[RealizationValueOut]) -> RealizationOut:
    node = realization.node
    return RealizationOut(
        id=realization.pk,
        node_id=node.pk,
        node_kode=node.kode,
        node_nama=node.nama,
        opd_kode=node.opd.kode if node.opd is not None else None,
        tahun=realization.tahun,
        triwulan=realization.triwulan,
        status=realization.status,  # type: ignore[arg-type]  # one of Status.values
        revisi_ke=realization.revisi_ke,
        anggaran=realization.anggaran,
        faktor_pendukung=realization.faktor_pendukung,
        faktor_penghambat=realization.faktor_penghambat,
        tindak_lanjut=realization.tindak_lanjut,
        alasan_pengembalian=realization.alasan_pengembalian,
        diajukan_pada=realization.diajukan_pada,
        diverifikasi_pada=realization.diverifikasi_pada,
        nilai=values,
        version=realization.version,
    )


def _one(realization: Realization) -> RealizationOut:
    fresh = Realization.objects.select_related("node", "node__opd").get(pk=realization.pk)
    return _out(fresh, _values_by_realization([fresh.pk]).get(fresh.pk, []))


def _node(pemda: Pemda, scope: Scope, node_id: int) -> PlanNode:
    node = PlanNode.objects.filter(pemda=pemda, pk=node_id).select_related("dokumen", "opd", "pemda").first()
    if node is None:
        raise NotFoundError(_("Sub-kegiatan tidak ditemukan di pemda ini."))
    access.require_read(scope, node)
    return node


def _current(node: PlanNode, tahun: int, triwulan: int) -> Realization:
    realization = services.current_realization(node, tahun, triwulan)
    if realization is None:
        raise NotFoundError(_("Belum ada realisasi untuk periode ini."))
    return realization


@monev_router.get(
    "/{kode}/monev/realisasi",
    response={200: RealizationPage, **AUTH_ERRORS},
    summary="Realisasi terkini (revisi terakhir) yang boleh Anda lihat, berhalaman",
)
def monev_realization_list(
    request: HttpRequest, kode: PemdaKode, filters: Query[RealizationFilter]
) -> RealizationPage:
    pemda, scope = resolve_scope(request.user, kode, "monev.view")
    tahun = filters.tahun or pemda.tahun_anggaran
    newer = Realization.objects.filter(
        node_id=OuterRef("node_id"),
        tahun=OuterRef("tahun"),
        triwulan=OuterRef("triwulan"),
        revisi_ke__gt=OuterRef("revisi_ke"),
    )
    qs = Realization.objects.filter(pemda=pemda, tahun=tahun).exclude(Exists(newer))
    if filters.triwulan is not None:
        qs = qs.filter(triwulan=filters.triwulan)
    allowed = access.visible_opds(scope)
    if allowed is not None:
        qs = qs.filter(node__opd_id__in=allowed)
    if filters.opd_id is not None:
        opd = Opd.objects.filter(pemda=pemda, pk=filters.opd_id).first()
        if opd is None or (allowed is not None and opd.pk not in allowed):
            raise NotFoundError(_("OPD tidak ditemukan di pemda ini."))
        qs = qs.filter(node__opd=opd)
    qs = qs.select_related("node", "node__opd").order_by(
        "node__opd__kode", "node__kode", "node_id", "triwulan"
    )
    page_size = max(1, min(filters.page_size, 500))
    page = max(1, min(filters.page, 1_000_000))
    start = (page - 1) * page_size
    items = list(qs[start : start + page_size])
    values = _values_by_realization([r.pk for r in items])
    return RealizationPage(
        count=qs.count(),
        page=page,
        page_size=page_size,
        items=[_out(r, values.get(r.pk, [])) for r in items],
    )


@monev_router.put(
    REALIZATION_PATH,
    response={200: RealizationOut, **AUTH_ERRORS},
    summary="Simpan draf realisasi (operator OPD pelaksana; menggantikan isi draf)",
    description=(
        "Isi draf diganti seluruhnya: indikator yang tidak dikirim di `nilai` dikosongkan. "
        "Kirim `version` realisasi yang ada (null hanya bila belum ada); realisasi yang sudah diajukan "
        "atau terverifikasi tidak bisa diubah (409)."
    ),
)
def monev_realization_save(
    request: HttpRequest, kode: PemdaKode, node_id: int, tahun: int, triwulan: int, payload: RealizationIn
) -> RealizationOut:
    pemda, scope = resolve_scope(request.user, kode, "monev.enter")
    node = _node(pemda, scope, node_id)
    access.require_enter(scope, node)
    current = services.current_realization(node, tahun, triwulan)
    if current is not None and payload.version is None:
        raise ConflictError(
            _("Realisasi ini sudah ada (versi %(versi)s): kirim version agar tidak menimpa perubahan lain.")
            % {"versi": current.version},
            code="versi_wajib",
        )
    values: dict[int, Decimal | None] = dict.fromkeys(
        Indicator.objects.filter(node=node).values_list("pk", flat=True)
    )
    sent: set[int] = set()
    for item in payload.nilai:
        if item.indikator_id in sent:
            raise ApplicationError(
                _("Indikator %(id)s dikirim lebih dari sekali.") % {"id": item.indikator_id},
                errors=[{"kolom": "nilai", "pesan": _("Satu nilai per indikator.")}],
            )
        sent.add(item.indikator_id)
        values[item.indikator_id] = item.nilai
    realization = services.realization_save(
        actor=request.user,
        node=node,
        tahun=tahun,
        triwulan=triwulan,
        expected_version=payload.version,
        anggaran=payload.anggaran,
        values=values,
        faktor_pendukung=payload.faktor_pendukung,
        faktor_penghambat=payload.faktor_penghambat,
        tindak_lanjut=payload.tindak_lanjut,
    )
    return _one(realization)


@monev_router.post(
    REALIZATION_PATH + "/ajukan",
    response={200: RealizationOut, **AUTH_ERRORS},
    summary="Ajukan realisasi untuk diverifikasi (operator OPD pelaksana)",
)
def monev_realization_submit(
    request: HttpRequest, kode: PemdaKode, node_id: int, tahun: int, triwulan: int, payload: VersionIn
) -> RealizationOut:
    pemda, scope = resolve_scope(request.user, kode, "monev.enter")
    node = _node(pemda, scope, node_id)
    access.require_enter(scope, node)
    realization = services.realization_submit(
        actor=request.user, realization=_current(node, tahun, triwulan), expected_version=payload.version
    )
    return _one(realization)


@monev_router.post(
    REALIZATION_PATH + "/verifikasi",
    response={200: RealizationOut, **AUTH_ERRORS},
    summary="Verifikasi realisasi yang diajukan (verifikator atau perencana); lalu terkunci",
)
def monev_realization_verify(
    request: HttpRequest, kode: PemdaKode, node_id: int, tahun: int, triwulan: int, payload: VersionIn
) -> RealizationOut:
    pemda, scope = resolve_scope(request.user, kode, "monev.verify")
    node = _node(pemda, scope, node_id)
    realization = services.realization_verify(
        actor=request.user, realization=_current(node, tahun, triwulan), expected_version=payload.version
    )
    return _one(realization)


@monev_router.post(
    REALIZATION_PATH + "/kembalikan",
    response={200: RealizationOut, **AUTH_ERRORS},
    summary="Kembalikan realisasi yang diajukan ke OPD, dengan alasannya (verifikator atau perencana)",
)
def monev_realization_return(
    request: HttpRequest, kode: PemdaKode, node_id: int, tahun: int, triwulan: int, payload: ReturnIn
) -> RealizationOut:
    pemda, scope = resolve_scope(request.user, kode, "monev.verify")
    node = _node(pemda, scope, node_id)
    realization = services.realization_return(
        actor=request.user,
        realization=_current(node, tahun, triwulan),
        expected_version=payload.version,
        alasan=payload.alasan,
    )
    return _one(realization)


router.add_router("/pemda", monev_router)
