"""Strategic analysis API under /api/v1/pemda/{kode}/strategi: analyses, the IFAS/EFAS result, the matrix.

Every staff member of the pemda reads (`strategy.view`); Bappeda planners and admins set the final matrix
(`strategy.manage`). The result has exactly the shape of `rencana calc swot` (`swot.result_json`).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from rencana.accounts.scope import resolve_scope
from rencana.api_schemas import AUTH_ERRORS, PemdaKode, Text
from rencana.strategy import access, services, swot
from rencana.strategy.models import Analysis

router = Router()
strategy_router = Router(tags=["Analisis strategis"])


class AnalysisSummaryOut(Schema):
    id: int
    judul: str
    tanggal: datetime.date
    status: str
    opd_kode: str | None
    version: int


class FactorOut(Schema):
    id: int
    jenis: str
    kode: str
    faktor: str
    bobot: Decimal | None
    rating: int | None
    skor: Decimal | None
    version: int


class ProblemOut(Schema):
    kode: str
    kolom: str
    pesan: str


class AnalysisOut(AnalysisSummaryOut):
    faktor: list[FactorOut]
    hasil: dict[str, Any] | None = Field(
        None, description="bentuk sama dengan `rencana calc swot`; null bila matriks belum lengkap"
    )
    masalah: list[ProblemOut]
    catatan_matriks: list[str]


class MatrixEntryIn(Schema):
    kode: Text
    bobot: Text | Decimal
    rating: Text | int


class MatrixIn(Schema):
    version: int
    faktor: list[MatrixEntryIn]
    normalkan: bool = Field(False, description="bobot adalah angka mentah yang dinormalkan per matriks")


def _summary(a: Analysis) -> AnalysisSummaryOut:
    return AnalysisSummaryOut(
        id=a.pk,
        judul=a.judul,
        tanggal=a.tanggal,
        status=a.status,
        opd_kode=a.opd.kode if a.opd else None,
        version=a.version,
    )


def _out(analysis: Analysis) -> AnalysisOut:
    factors = services.factors_of(analysis)
    result, problems = services.matrix_result(factors)
    return AnalysisOut(
        **_summary(analysis).dict(),
        faktor=[
            FactorOut(
                id=f.pk,
                jenis=f.jenis,
                kode=f.kode,
                faktor=f.faktor,
                bobot=f.bobot,
                rating=f.rating,
                skor=f.bobot * f.rating if f.bobot is not None and f.rating is not None else None,
                version=f.version,
            )
            for f in factors
        ],
        hasil=swot.result_json(result) if result is not None else None,
        masalah=[ProblemOut(kode=p.kode, kolom=p.kolom, pesan=p.pesan) for p in problems],
        catatan_matriks=list(analysis.catatan_matriks or []),
    )


@strategy_router.get(
    "/{kode}/strategi",
    response={200: list[AnalysisSummaryOut], **AUTH_ERRORS},
    summary="Analisis strategis (SWOT) pemda, terbaru dahulu",
)
def strategy_list(request: HttpRequest, kode: PemdaKode) -> list[AnalysisSummaryOut]:
    pemda, _scope = resolve_scope(request.user, kode, "strategy.view")
    return [
        _summary(a)
        for a in Analysis.objects.filter(pemda=pemda).select_related("opd").order_by("-tanggal", "-id")[:500]
    ]


@strategy_router.get(
    "/{kode}/strategi/{analysis_id}",
    response={200: AnalysisOut, **AUTH_ERRORS},
    summary="Satu analisis: faktor, bobot, rating, skor, dan hasil IFAS/EFAS (kuadran, sel matriks IE)",
)
def strategy_detail(request: HttpRequest, kode: PemdaKode, analysis_id: int) -> AnalysisOut:
    pemda, _scope = resolve_scope(request.user, kode, "strategy.view")
    return _out(access.get_analysis(pemda, analysis_id))


@strategy_router.put(
    "/{kode}/strategi/{analysis_id}/matriks",
    response={200: AnalysisOut, **AUTH_ERRORS},
    summary="Tetapkan bobot dan rating semua faktor sekaligus (semua atau tidak sama sekali)",
    description=(
        "Bobot IFAS dan EFAS masing-masing berjumlah 1,00 (±0,005), rating bilangan bulat 1–4. "
        "Setiap masalah disebut dalam `errors` dengan kode faktornya, dan tidak ada yang disimpan. "
        "Kirim `version` analisis (409 bila usang)."
    ),
)
def strategy_matrix_set(
    request: HttpRequest, kode: PemdaKode, analysis_id: int, payload: MatrixIn
) -> AnalysisOut:
    pemda, _scope = resolve_scope(request.user, kode, "strategy.manage")
    analysis = access.get_analysis(pemda, analysis_id)
    entries = {e.kode: services.MatrixEntry(str(e.bobot), str(e.rating)) for e in payload.faktor}
    services.matrix_set(
        actor=request.user,
        analysis=analysis,
        expected_version=payload.version,
        entries=entries,
        normalize=payload.normalkan,
    )
    analysis.refresh_from_db()
    return _out(analysis)


router.add_router("/pemda", strategy_router)
