"""Public comparison of the kabupaten/kota of a province by IPM, IPG, IDG or IKG (BPS), with a map.

    /pug/perbandingan/<provinsi>/?indeks=IPM|IPG|IDG|IKG&tahun=YYYY&sorot=35.75[&format=xlsx]
    /pug/perbandingan/<provinsi>/peta.geojson?indeks=&tahun=&sorot=

The numbers are BPS's published values loaded by `rencana gender load-bps` (`gender.bps`); the ranking,
the province reference, the summary and the five map classes come from `gender.compare`; the bar chart
from `gender.charts`. Public (BPS data are public): no pemda, no login.

Input never gives a 500: an unknown or malformed province code is a 404; a junk `indeks` falls back to IPM,
a junk or data-less `tahun` to the latest year with data, a `sorot` that is not a kabupaten/kota of the
province is ignored — each with a notice on the page. The ranking (at most a few dozen rows: Jawa Timur has
38 kabupaten/kota) is one table, not paginated, so ranks read straight down; it exports to XLSX with the
same columns. The map reads the GeoJSON endpoint (kabupaten/kota boundaries, `RegionBoundary`) with the
value, rank, class and colour of each region; without JavaScript the table carries every number.

Queries: a fixed handful per page whatever the number of regions (province, kabupaten/kota, years,
values, trend, boundary check).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rencana.core.access import public_view
from rencana.core.errors import NotFoundError
from rencana.core.exports import xlsx_response
from rencana.core.numbers import format_angka
from rencana.gender import bps, charts, compare
from rencana.gender.models import IndexName
from rencana.regions.models import Region
from rencana.regions.selectors import child_boundaries

SUMBER_TEXT = "Sumber: BPS"


@dataclass
class Selection:
    """What the request asks for, after validation, with what the database holds for it."""

    province: Region
    regions: list[Region]
    indeks: str
    tahun: int | None
    years: list[int]
    sorot: str
    ranking: compare.Ranking
    sources: list[str]
    notices: list[str] = field(default_factory=list)

    @property
    def province_label(self) -> str:
        return _("Provinsi {nama}").format(nama=self.province.nama)

    @property
    def sorot_region(self) -> Region | None:
        return next((r for r in self.regions if r.kode == self.sorot), None)


def _select(request: HttpRequest, provinsi: str) -> Selection:
    province = bps.province_get(provinsi)
    if province is None:
        raise NotFoundError(_("Provinsi dengan kode {kode} tidak ditemukan.").format(kode=provinsi[:20]))
    notices: list[str] = []
    raw_index = request.GET.get("indeks")
    indeks = compare.parse_index(raw_index)
    if indeks is None:
        indeks = compare.DEFAULT_INDEX
        if raw_index:
            notices.append(_("Indeks tidak dikenal; ditampilkan {indeks}.").format(indeks=indeks))
    regions = bps.kabkota_of(province)
    codes = [r.kode for r in regions]
    all_codes = [*codes, province.kode]
    years = bps.years_with_data(all_codes, indeks)
    raw_year = request.GET.get("tahun")
    requested = compare.parse_year(raw_year)
    tahun = compare.choose_year(requested, years)
    if raw_year and tahun is not None and requested != tahun:
        notices.append(
            _("Tidak ada data {indeks} untuk tahun yang diminta; ditampilkan tahun {tahun}.").format(
                indeks=indeks, tahun=tahun
            )
        )
    values = bps.values_for(all_codes, indeks, tahun) if tahun is not None else {}
    acuan = values[province.kode][0] if province.kode in values else None
    ranking = compare.rank(
        indeks,
        [
            compare.RegionValue(r.kode, r.nama, values[r.kode][0] if r.kode in values else None)
            for r in regions
        ],
        acuan=acuan,
    )
    raw_sorot = (request.GET.get("sorot") or "").strip()
    sorot = raw_sorot if raw_sorot in codes else ""
    if raw_sorot and not sorot:
        notices.append(_("Wilayah yang disorot bukan kabupaten/kota provinsi ini; sorotan diabaikan."))
    return Selection(
        province=province,
        regions=regions,
        indeks=indeks,
        tahun=tahun,
        years=years,
        sorot=sorot,
        ranking=ranking,
        # Notes beyond the plain "BPS" (e.g. which IPM series), shown after "Sumber: BPS".
        sources=sorted({sumber for _nilai, sumber in values.values() if sumber != bps.SUMBER}),
        notices=notices,
    )


# --------------------------------------------------------------------------------------------
# Presentation: numbers as text (Indonesian notation, the index's published decimals)


def _value_text(indeks: str, value: Decimal | None) -> str:
    return charts.format_value(indeks, value) if value is not None else _("tidak ada data")


def _difference_text(indeks: str, value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = charts.format_value(indeks, value)
    return f"+{text}" if value > 0 else text


def _median_text(indeks: str, value: Decimal) -> str:
    # The median of an even count is the mean of two published values: show its extra decimal when it has one.
    places = compare.DECIMALS[indeks]
    exact = value.quantize(Decimal(1).scaleb(-places)) == value
    return format_angka(value, places if exact else places + 1)


def _position_label(posisi: str | None) -> str:
    return {
        compare.LEBIH_BAIK: _("lebih baik"),
        compare.LEBIH_BURUK: _("lebih buruk"),
        compare.SAMA: _("sama"),
    }.get(posisi or "", "—")


def _rows(sel: Selection) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "nilai_text": _value_text(sel.indeks, row.nilai),
            "selisih_text": _difference_text(sel.indeks, row.selisih),
            "posisi_text": _position_label(row.posisi),
            "swatch": charts.swatch(charts.class_colour(row.kelas)),
            "sorot": row.kode == sel.sorot,
        }
        for row in sel.ranking.rows
    ]


def _legend(sel: Selection) -> list[dict[str, Any]]:
    count = len(sel.ranking.kelas)
    items = []
    for index, band in enumerate(sel.ranking.kelas):
        low, high = sorted((band.batas_bawah, band.batas_atas))
        if index == 0:
            note = _("peringkat teratas")
        elif index == count - 1:
            note = _("peringkat terbawah")
        else:
            note = ""
        items.append(
            {
                "kelas": band.kelas,
                "swatch": charts.swatch(charts.class_colour(band.kelas)),
                "range": f"{charts.format_value(sel.indeks, low)} – {charts.format_value(sel.indeks, high)}",
                "jumlah": band.jumlah,
                "note": note,
            }
        )
    return items


def _trend(sel: Selection) -> dict[str, Any]:
    region = sel.sorot_region or sel.province
    label = region.nama if sel.sorot_region else sel.province_label
    return {
        "label": label,
        "kode": region.kode,
        "rows": [
            {
                "tahun": row.tahun,
                "cells": [
                    charts.format_value(i, value) if (value := row.nilai[i]) is not None else "—"
                    for i in compare.INDICES
                ],
            }
            for row in bps.region_trend(region.kode)
        ],
    }


def _tooltip(indeks: str, nama: str, kode: str, row: compare.RankedRow | None) -> str:
    nilai = _value_text(indeks, row.nilai if row is not None else None)
    if row is None or row.peringkat is None:
        return f"{nama} ({kode}): {nilai}"
    return _("{nama} ({kode}): {nilai}, peringkat {peringkat}").format(
        nama=nama, kode=kode, nilai=nilai, peringkat=row.peringkat
    )


def _query(sel: Selection, **extra: Any) -> str:
    params: dict[str, Any] = {"indeks": sel.indeks}
    if sel.tahun is not None:
        params["tahun"] = sel.tahun
    if sel.sorot:
        params["sorot"] = sel.sorot
    params.update(extra)
    return urlencode(params)


def _xlsx(sel: Selection) -> HttpResponse:
    headers = [
        _("Peringkat"),
        _("Kode wilayah"),
        _("Kabupaten/kota"),
        sel.indeks,
        _("Selisih dengan provinsi"),
        _("Dibanding provinsi"),
        _("Kelas peta (1 = terbaik)"),
    ]
    rows: list[list[Any]] = [
        [
            r.peringkat,
            r.kode,
            r.nama,
            r.nilai,
            r.selisih,
            _position_label(r.posisi) if r.posisi else "",
            r.kelas,
        ]
        for r in sel.ranking.rows
    ]
    rows.append([])
    rows.append(["", sel.province.kode, sel.province_label, sel.ranking.acuan, "", _("acuan provinsi"), ""])
    rows.append([SUMBER_TEXT, "; ".join(sel.sources)])
    tahun = sel.tahun or "-"
    filename = f"perbandingan-{sel.indeks.lower()}-{sel.province.kode}-{tahun}.xlsx"
    return xlsx_response(filename, f"{sel.indeks} {tahun}", headers, rows)


@public_view
@require_GET
def compare_page(request: HttpRequest, provinsi: str) -> HttpResponse:
    sel = _select(request, provinsi)
    if request.GET.get("format") == "xlsx":
        return _xlsx(sel)
    ranking = sel.ranking
    index_label = IndexName(sel.indeks).label
    title = _("Peringkat {indeks} kabupaten/kota, {provinsi}, {tahun}").format(
        indeks=sel.indeks, provinsi=sel.province_label, tahun=sel.tahun or "—"
    )
    summary = ranking.ringkasan
    context = {
        "sel": sel,
        "province": sel.province,
        "province_label": sel.province_label,
        "indeks": sel.indeks,
        "index_label": index_label,
        "indices": [(code, IndexName(code).label) for code in compare.INDICES],
        "tahun": sel.tahun,
        "years": sel.years,
        "sorot": sel.sorot,
        "sorot_region": sel.sorot_region,
        "regions": sel.regions,
        "notices": sel.notices,
        "title": title,
        "lower_is_better": compare.lower_is_better(sel.indeks),
        "decimals": compare.DECIMALS[sel.indeks],
        "rows": _rows(sel),
        "has_data": bool(ranking.ranked),
        "missing": len(ranking.tanpa_data),
        "acuan_text": _value_text(sel.indeks, ranking.acuan) if ranking.acuan is not None else "",
        "summary": summary,
        "min_text": _value_text(sel.indeks, summary.minimum) if summary else "",
        "max_text": _value_text(sel.indeks, summary.maksimum) if summary else "",
        "median_text": _median_text(sel.indeks, summary.median) if summary else "",
        "chart": charts.ranking_bars(
            ranking.rows,
            indeks=sel.indeks,
            title=title,
            acuan=ranking.acuan,
            acuan_label=sel.province_label,
            sorot=sel.sorot,
        )
        if ranking.rows
        else "",
        "legend": _legend(sel),
        "no_data_swatch": charts.swatch(charts.NO_DATA),
        "highlight_colour": charts.HIGHLIGHT,
        "has_map": child_boundaries(kode=sel.province.kode).exists(),
        "geojson_url": reverse("gender:compare_geojson", kwargs={"provinsi": sel.province.kode})
        + "?"
        + _query(sel),
        "xlsx_query": _query(sel, format="xlsx"),
        "sources": sel.sources,
        "trend": _trend(sel),
        "trend_indices": compare.INDICES,
    }
    return render(request, "gender/compare.html", context)


@public_view
@require_GET
def compare_geojson(request: HttpRequest, provinsi: str) -> HttpResponse:
    try:
        sel = _select(request, provinsi)
    except NotFoundError as exc:
        return JsonResponse({"detail": exc.message, "code": exc.code, "errors": []}, status=exc.status)
    features = []
    for boundary in child_boundaries(kode=sel.province.kode):
        row = sel.ranking.row(boundary.region_id)
        nilai = row.nilai if row is not None else None
        features.append(
            {
                "type": "Feature",
                "geometry": boundary.geometry,
                "properties": {
                    "kode": boundary.region_id,
                    "nama": boundary.region.nama,
                    "nilai": float(nilai) if nilai is not None else None,
                    "nilai_teks": _value_text(sel.indeks, nilai),
                    "peringkat": row.peringkat if row is not None else None,
                    "kelas": row.kelas if row is not None else None,
                    "warna": charts.class_colour(row.kelas if row is not None else None),
                    "sorot": boundary.region_id == sel.sorot,
                    "label": _tooltip(sel.indeks, boundary.region.nama, boundary.region_id, row),
                },
            }
        )
    data = {
        "type": "FeatureCollection",
        "features": features,
        # Foreign members (RFC 7946 section 6.1): what the values are and where they come from.
        "indeks": sel.indeks,
        "tahun": sel.tahun,
        "provinsi": {"kode": sel.province.kode, "nama": sel.province.nama},
        "acuan_provinsi": float(sel.ranking.acuan) if sel.ranking.acuan is not None else None,
        "lebih_rendah_lebih_baik": compare.lower_is_better(sel.indeks),
        "kelas": [
            {
                "kelas": b.kelas,
                "warna": charts.class_colour(b.kelas),
                "batas_bawah": float(b.batas_bawah),
                "batas_atas": float(b.batas_atas),
                "jumlah": b.jumlah,
            }
            for b in sel.ranking.kelas
        ],
        "sumber": "BPS",
        "sumber_batas": "cahyadsn/wilayah_boundaries (MIT), Kepmendagri 300.2.2-2430/2025",
    }
    return JsonResponse(data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})
