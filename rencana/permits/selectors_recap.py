"""Reading recaps of farmer groups per kabupaten/kota: stored imports, and the pemda's own aggregate.

- `recaps_of(pemda)`: the pemda's imported recap tables, newest first, with their number of data rows.
- `recap_get(pemda, recap_id)`: one of them (another pemda's id is "not found").
- `recap_lines(rekap)`: its rows as `recap.RecapLine` (data rows, and the TOTAL row as printed).
- `own_aggregate(pemda)`: the same table computed from the pemda's HKm applications (`recap.aggregate`):
  HKm applications are those of permit type "hkm" by a farmer group; a group counts as *berizin* with an
  approved application ("disetujui"), else *dalam proses* with one being processed ("proses"); drafts and
  rejected applications do not count. The group's kabupaten/kota is that of its village (the first five
  characters of the code).
  Area: the application's map (AreaMap.luas_ha), else the application's declared area, else the group's.
  Three queries whatever the number of groups.
"""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from rencana.core.errors import NotFoundError
from rencana.permits import recap
from rencana.permits.models import Application, ApplicationStatus, GroupMember, RecapImport, RecapRow
from rencana.regions.models import Pemda, Region

HKM = "hkm"  # PermitType.kode of the HKm permit (permits/types.py SHIPPED)


def recaps_of(pemda: Pemda) -> QuerySet[RecapImport]:
    return (
        RecapImport.objects.filter(pemda=pemda)
        .select_related("diimpor_oleh")
        .annotate(jumlah_baris=Count("baris", filter=Q(baris__adalah_total=False)))
        .order_by("-diimpor", "-pk")
    )


def recap_get(pemda: Pemda, recap_id: int) -> RecapImport:
    found = RecapImport.objects.filter(pemda=pemda, pk=recap_id).select_related("diimpor_oleh").first()
    if found is None:
        raise NotFoundError("Rekap tidak ditemukan.")
    return found


def recap_lines(rekap: RecapImport) -> tuple[list[recap.RecapLine], recap.RecapLine | None]:
    lines: list[recap.RecapLine] = []
    totals: recap.RecapLine | None = None
    for row in RecapRow.objects.filter(rekap=rekap).order_by("nomor", "pk"):
        line = recap.RecapLine(
            baris=row.nomor,
            kabupaten=row.kabupaten,
            izin_hkm=row.izin_hkm,
            ihhbk=row.ihhbk,
            dalam_proses=row.dalam_proses,
            total=row.total,
            anggota_kk=row.anggota_kk,
            luas_garapan_ha=recap.decimal_or_none(row.luas_ha),
            adalah_total=row.adalah_total,
            wilayah=row.wilayah_id,
        )
        if row.adalah_total:
            totals = line
        else:
            lines.append(line)
    return lines, totals


def stored_columns(lines: list[recap.RecapLine], totals: recap.RecapLine | None) -> tuple[str, ...]:
    """The number columns with at least one value (an absent optional column stays absent)."""
    every = [*lines, *([totals] if totals else [])]
    return tuple(k for k in recap.NUMBER_KEYS if any(line.value(k) is not None for line in every))


def own_aggregate(pemda: Pemda) -> recap.Aggregate:
    rows = (
        Application.objects.filter(
            pemda=pemda,
            jenis__kode=HKM,
            kelompok__isnull=False,
            status__in=(ApplicationStatus.DISETUJUI, ApplicationStatus.PROSES),
        )
        .order_by("kelompok_id", "-diubah", "-pk")
        .values_list(
            "kelompok_id",
            "kelompok__desa_id",
            "status",
            "peta__luas_ha",
            "luas_dinyatakan",
            "kelompok__luas_dinyatakan",
        )
    )
    chosen: dict[int, tuple[str, bool, Decimal | None]] = {}
    for kelompok_id, desa, status, peta, dinyatakan, kelompok_luas in rows:
        berizin = status == ApplicationStatus.DISETUJUI
        if kelompok_id in chosen and (chosen[kelompok_id][1] or not berizin):
            continue  # the newest approved application, else the newest in process
        area = next((Decimal(v) for v in (peta, dinyatakan, kelompok_luas) if v is not None), None)
        chosen[kelompok_id] = (str(desa)[:5], berizin, area)
    members = dict(
        GroupMember.objects.filter(pemda=pemda, kelompok_id__in=list(chosen))
        .values("kelompok_id")
        .annotate(n=Count("id"))
        .values_list("kelompok_id", "n")
    )
    codes = {kab for kab, _b, _a in chosen.values()}
    names = dict(Region.objects.filter(kode__in=codes).values_list("kode", "nama")) if codes else {}
    groups = [
        recap.GroupState(kelompok_id, kab, berizin, members.get(kelompok_id, 0), area)
        for kelompok_id, (kab, berizin, area) in chosen.items()
    ]
    return recap.aggregate(groups, names)
