"""The PUG home page of a pemda: where each part of gender mainstreaming stands, with links to it.

Figures: readiness (how many of the seven prerequisites are met), the year's ARG share of the RKPD's
sub-kegiatan pagu, GAP worksheets (draft / final), the latest index values of the pemda's region against the
roadmap. An OPD operator sees the ARG share and GAP counts of its own OPD only (`access.visible_opds`).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rencana.accounts.scope import PemdaRequest, pemda_view
from rencana.core.numbers import format_angka
from rencana.gender import access, services_gap, services_readiness
from rencana.gender.models import GapStatus, GapWorksheet, IndexName, IndexValue


@pemda_view("pug.view")
@require_GET
def home(request: PemdaRequest) -> HttpResponse:
    pemda = request.pemda
    tahun = pemda.tahun_anggaran
    opd_ids = access.visible_opds(request.scope)
    arg = services_gap.arg_summary(pemda, tahun, opd_ids=opd_ids)
    gaps = GapWorksheet.objects.filter(pemda=pemda, tahun=tahun)
    if opd_ids is not None:
        gaps = gaps.filter(opd_id__in=opd_ids)
    latest: dict[str, IndexValue] = {}
    for value in IndexValue.objects.filter(wilayah_id=pemda.region_id).order_by("indeks", "tahun"):
        latest[value.indeks] = value
    indices = [
        {
            "kode": kode,
            "label": label,
            "nilai": format_angka(latest[kode].nilai, 3 if kode == "IKG" else 2) if kode in latest else "—",
            "tahun": latest[kode].tahun if kode in latest else None,
            "sumber": latest[kode].sumber if kode in latest else "",
        }
        for kode, label in IndexName.choices
    ]
    arg_pct = arg.total.persen
    context = {
        "pemda": pemda,
        "tahun": tahun,
        "readiness": services_readiness.readiness_progress(pemda),
        "arg": arg,
        "arg_persen": format_angka(arg_pct, 2) if arg_pct is not None else "—",
        "gap_draft": gaps.filter(status=GapStatus.DRAFT).count(),
        "gap_final": gaps.filter(status=GapStatus.FINAL).count(),
        "indices": indices,
        "provinsi": pemda.kode.split(".")[0],
        "can_manage": request.scope.has("pug.manage"),
    }
    return render(request, "gender/home.html", context)
