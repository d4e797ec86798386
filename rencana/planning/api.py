"""Planning API: documents and their logframe under /api/v1/pemda/{kode}/perencanaan, the public
nomenclature search under /api/v1/nomenklatur. Same scope rules as the pages."""

from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from rencana.accounts.scope import resolve_scope
from rencana.api_schemas import AUTH_ERRORS, PUBLIC_ERRORS, PemdaKode, Text
from rencana.core.errors import NotFoundError
from rencana.planning import logframe, selectors
from rencana.planning.models import NomenclatureEdition
from rencana.planning.nomenclature import edition_default, nomenclature_search

router = Router()
plan_router = Router(tags=["perencanaan"])
nomenclature_router = Router(tags=["nomenklatur"])


class DocumentOut(Schema):
    id: int
    jenis: str
    nama: str
    opd_kode: str | None
    tahun_mulai: int
    tahun_akhir: int
    induk_id: int | None
    tahap: str
    revisi_ke: int
    edisi_nomenklatur: str | None
    version: int


def _document_out(document: Any) -> DocumentOut:
    return DocumentOut(
        id=document.pk,
        jenis=document.jenis,
        nama=document.nama,
        opd_kode=document.opd.kode if document.opd_id else None,
        tahun_mulai=document.tahun_mulai,
        tahun_akhir=document.tahun_akhir,
        induk_id=document.induk_id,
        tahap=document.tahap,
        revisi_ke=document.revisi_ke,
        edisi_nomenklatur=document.edisi_nomenklatur.kode if document.edisi_nomenklatur_id else None,
        version=document.version,
    )


class TargetOut(Schema):
    tahun: int
    nilai: Decimal


class IndicatorOut(Schema):
    id: int
    jenis: str
    nama: str
    satuan: str
    polaritas: str
    agregasi: str
    baseline_tahun: int | None
    baseline_nilai: Decimal | None
    terpilah_gender: bool
    target: list[TargetOut]


class PaguOut(Schema):
    tahun: int
    jumlah: Decimal


class NodeOut(Schema):
    id: int
    jenis: str
    induk_id: int | None
    kedalaman: int
    kode: str
    nama: str
    opd_kode: str | None
    luar_nomenklatur: bool
    sasaran_ids: list[int]
    pagu: list[PaguOut]
    lokasi: list[str]
    sumber_dana: str
    indikator: list[IndicatorOut]
    version: int


class DocumentDetailOut(DocumentOut):
    simpul: list[NodeOut]


class FindingOut(Schema):
    rule: str
    severity: Literal["error", "warning", "info"]
    node_id: int | None
    node_label: str
    message: str
    fix: str
    indicator_id: int | None
    opd_nama: str


class OpdScoreOut(Schema):
    opd_nama: str
    pagu_total: str
    pagu_traceable: str
    pct_pagu_traceable: float | None


class CheckOut(Schema):
    document_id: int
    counts: dict[str, int]
    pagu_total: str
    pagu_traceable: str
    pct_pagu_traceable: float | None
    indicators_total: int
    indicators_complete: int
    pct_indicators_complete: float | None
    per_opd: list[OpdScoreOut]
    findings: list[FindingOut]


class NomenclatureOut(Schema):
    kode: str
    level: str
    nama: str
    kode_induk: str
    berlaku_untuk: str
    indikator: str
    satuan: str


class NomenclatureFilter(Schema):
    q: Text = Field("", description="awal kode (1.02.02) atau kata dari nama")
    edisi: Text = ""
    tingkat: Literal["", "urusan", "bidang", "program", "kegiatan", "sub_kegiatan"] = ""
    pemda_jenis: Literal["", "provinsi", "kabkota"] = ""
    limit: int = Field(20, ge=1, le=100)


@plan_router.get(
    "/{kode}/perencanaan",
    response={200: list[DocumentOut], **AUTH_ERRORS},
    summary="Dokumen perencanaan pemda",
)
def document_list(request: HttpRequest, kode: PemdaKode) -> list[DocumentOut]:
    pemda, _scope = resolve_scope(request.user, kode, "plan.view")
    return [_document_out(d) for d in selectors.document_list(pemda=pemda)]


def _document(request: HttpRequest, kode: str, dokumen_id: int) -> Any:
    pemda, _scope = resolve_scope(request.user, kode, "plan.view")
    document = selectors.document_get(pemda=pemda, document_id=dokumen_id)
    if document is None:
        raise NotFoundError("Dokumen perencanaan tidak ditemukan di pemda ini.")
    return document


@plan_router.get(
    "/{kode}/perencanaan/{dokumen_id}",
    response={200: DocumentDetailOut, **AUTH_ERRORS},
    summary="Satu dokumen dengan seluruh logframe-nya (urutan pohon)",
)
def document_detail(request: HttpRequest, kode: PemdaKode, dokumen_id: int) -> DocumentDetailOut:
    document = _document(request, kode, dokumen_id)
    tree = selectors.tree(document)
    nodes = [
        NodeOut(
            id=row.node.pk,
            jenis=row.node.jenis,
            induk_id=row.node.induk_id,
            kedalaman=row.depth,
            kode=row.node.kode,
            nama=row.node.nama,
            opd_kode=row.node.opd.kode if row.node.opd is not None else None,
            luar_nomenklatur=row.node.luar_nomenklatur,
            sasaran_ids=[s.pk for s in row.sasaran],
            pagu=[PaguOut(tahun=t, jumlah=j) for t, j in sorted(row.pagu.items())],
            lokasi=row.node.lokasi_list,
            sumber_dana=row.node.sumber_dana,
            indikator=[
                IndicatorOut(
                    id=i.pk,
                    jenis=i.jenis,
                    nama=i.nama,
                    satuan=i.satuan,
                    polaritas=i.polaritas,
                    agregasi=i.agregasi,
                    baseline_tahun=i.baseline_tahun,
                    baseline_nilai=i.baseline_nilai,
                    terpilah_gender=i.terpilah_gender,
                    target=[TargetOut(tahun=t, nilai=v) for t, v in sorted(i.target_per_tahun.items())],  # type: ignore[attr-defined]
                )
                for i in row.indicators
            ],
            version=row.node.version,
        )
        for row in tree.rows
    ]
    return DocumentDetailOut(**_document_out(document).dict(), simpul=nodes)


@plan_router.get(
    "/{kode}/perencanaan/{dokumen_id}/pemeriksaan",
    response={200: CheckOut, **AUTH_ERRORS},
    summary="Pemeriksa logframe: temuan dan skor keterlacakan (lihat docs/api.md)",
)
def document_check(request: HttpRequest, kode: PemdaKode, dokumen_id: int) -> dict[str, Any]:
    document = _document(request, kode, dokumen_id)
    return logframe.result_to_dict(selectors.document_check(document))


@nomenclature_router.get(
    "",
    response={200: list[NomenclatureOut], **PUBLIC_ERRORS},
    auth=None,
    summary="Cari nomenklatur Permendagri 90",
)
def nomenclature(request: HttpRequest, filters: Query[NomenclatureFilter]) -> list[NomenclatureOut]:
    edition = (
        NomenclatureEdition.objects.filter(kode=filters.edisi).first() if filters.edisi else edition_default()
    )
    if edition is None or not filters.q.strip():
        return []
    items = nomenclature_search(
        edisi=edition,
        q=filters.q[:100],
        level=filters.tingkat or None,
        pemda_kind=filters.pemda_jenis or None,
        limit=filters.limit,
    )
    return [
        NomenclatureOut(
            kode=i.kode,
            level=i.level,
            nama=i.nama,
            kode_induk=i.kode_induk,
            berlaku_untuk=i.berlaku_untuk,
            indikator=i.indikator,
            satuan=i.satuan,
        )
        for i in items
    ]


router.add_router("/pemda", plan_router)
router.add_router("/nomenklatur", nomenclature_router)
