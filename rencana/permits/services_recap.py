"""Importing a recap table of farmer groups per kabupaten/kota (`RecapImport` + `RecapRow`).

`recap_import` reads the file with `rencana.permits.recap` (checks and reconciliation, described there) and:
- a file with any error (galat) is rejected: nothing is written, the result lists every problem;
- the same file (same SHA-256 of its bytes) already imported for this pemda: nothing is written, the result
  says so (`sudah_ada`) and names the stored import (`rekap_id`);
- a dry run (`dry_run=True`) writes nothing and reports what an import would store;
- otherwise one transaction writes the `RecapImport` (its `masalah` = the warnings, as
  {"baris", "kolom", "jenis", "pesan"}), one `RecapRow` per row (the TOTAL row as printed, `adalah_total`),
  and one audit event "import". Values are stored as read: an empty or unknown cell stays empty.

Kabupaten names are matched against the kabupaten/kota of the pemda's province in the loaded region list;
names that match nothing are warnings only once the whole list is loaded (`rencana regions load`).
"""

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from rencana.core.audit import audit_record
from rencana.core.errors import ApplicationError
from rencana.core.scope import Scope
from rencana.permits import recap
from rencana.permits.models import RecapImport, RecapRow
from rencana.regions.models import Pemda, ReferenceDataLoad, Region, RegionLevel

MIN_TAHUN = 1945
MAX_TAHUN = 2100


def province_regions(pemda: Pemda) -> tuple[list[recap.WilayahRef], bool]:
    """The kabupaten/kota of the pemda's province, and whether the whole region list is loaded."""
    province = pemda.kode.split(".")[0]
    refs = [
        recap.WilayahRef(kode, nama, level)
        for kode, nama, level in Region.objects.filter(
            parent_id=province, level__in=(RegionLevel.KABUPATEN, RegionLevel.KOTA)
        ).values_list("kode", "nama", "level")
    ]
    return refs, ReferenceDataLoad.objects.filter(dataset="wilayah").exists()


def _check_fields(judul: str, sumber: str, tahun: int | None) -> None:
    errors = []
    if len(judul) > 255:
        errors.append({"kolom": "judul", "pesan": _("Judul paling panjang 255 karakter.")})
    if len(sumber) > 255:
        errors.append({"kolom": "sumber", "pesan": _("Sumber paling panjang 255 karakter.")})
    if tahun is not None and not MIN_TAHUN <= tahun <= MAX_TAHUN:
        errors.append(
            {
                "kolom": "tahun",
                "pesan": _("Tahun data harus antara {min} dan {max}.").format(min=MIN_TAHUN, max=MAX_TAHUN),
            }
        )
    if errors:
        raise ApplicationError(" ".join(e["pesan"] for e in errors), errors=errors)


def _read_path(path: Path) -> bytes | recap.RecapResult:
    try:
        size = path.stat().st_size
        if size > recap.MAX_BYTES:
            return recap.RecapResult(
                masalah=[
                    recap.problem(
                        0,
                        "",
                        "berkas_tidak_terbaca",
                        f"Berkas terlalu besar (lebih dari {recap.MAX_BYTES // (1024 * 1024)} MB).",
                    )
                ],
                rejected=True,
            )
        return path.read_bytes()
    except OSError:
        return recap.RecapResult(
            masalah=[
                recap.problem(
                    0, "", "berkas_tidak_terbaca", "Berkas tidak ditemukan atau tidak dapat dibuka."
                )
            ],
            rejected=True,
        )


def recap_import(
    *,
    actor: Any,
    pemda: Pemda,
    data: bytes | None = None,
    path: Path | None = None,
    nama_berkas: str = "",
    judul: str = "",
    tahun: int | None = None,
    sumber: str = "",
    dry_run: bool = False,
    scope: Scope | None = None,
) -> recap.RecapResult:
    """Check a recap table (bytes or a path) and store it unless rejected, already imported or a dry run."""
    if scope is not None:
        scope.require("permit.process")
    judul, sumber = " ".join(judul.split()), " ".join(sumber.split())
    _check_fields(judul, sumber, tahun)
    if data is None:
        if path is None:
            raise ApplicationError(_("Tidak ada berkas yang diimpor."))
        read = _read_path(path)
        if isinstance(read, recap.RecapResult):
            return read
        data = read
        nama_berkas = nama_berkas or path.name
    nama_berkas = Path(nama_berkas.replace("\\", "/")).name[:255]
    wilayah, termuat = province_regions(pemda)
    result = recap.read_recap(data, nama_berkas, wilayah=wilayah, wilayah_termuat=termuat)
    sha256 = hashlib.sha256(data).hexdigest()
    result = replace(result, sha256=sha256)
    if result.rejected:
        return result
    existing = RecapImport.objects.filter(pemda=pemda, sha256=sha256).values_list("pk", flat=True).first()
    if existing is not None:
        return replace(result, rekap_id=existing, sudah_ada=True)
    if dry_run:
        return result
    judul = judul or (f"Rekap kelompok HKm {nama_berkas}".strip() if nama_berkas else "Rekap kelompok HKm")
    with transaction.atomic():
        # Two imports of the same file at once: the second waits here and then finds the first.
        Pemda.objects.select_for_update().filter(pk=pemda.pk).first()
        existing = RecapImport.objects.filter(pemda=pemda, sha256=sha256).values_list("pk", flat=True).first()
        if existing is not None:
            return replace(result, rekap_id=existing, sudah_ada=True)
        rekap = RecapImport.objects.create(
            pemda=pemda,
            judul=judul[:255],
            tahun=tahun,
            sumber=sumber[:255],
            nama_berkas=nama_berkas,
            sha256=sha256,
            masalah=[p.as_dict() for p in result.peringatan],
            diimpor_oleh=actor if getattr(actor, "is_authenticated", False) else None,
        )
        lines = [*result.rows, *([result.totals] if result.totals else [])]
        RecapRow.objects.bulk_create(
            [
                RecapRow(
                    pemda=pemda,
                    rekap=rekap,
                    nomor=line.baris,
                    kabupaten=line.kabupaten,
                    wilayah_id=line.wilayah,
                    izin_hkm=line.izin_hkm,
                    ihhbk=line.ihhbk,
                    dalam_proses=line.dalam_proses,
                    total=line.total,
                    anggota_kk=line.anggota_kk,
                    luas_ha=line.luas_garapan_ha,
                    adalah_total=line.adalah_total,
                )
                for line in lines
            ]
        )
        audit_record(
            actor=actor,
            action="import",
            instance=rekap,
            pemda_id=pemda.pk,
            after={
                "judul": rekap.judul,
                "tahun": rekap.tahun,
                "sumber": rekap.sumber,
                "nama_berkas": rekap.nama_berkas,
                "sha256": sha256,
                "baris": len(result.rows),
                "peringatan": len(result.peringatan),
            },
        )
    return replace(result, rekap_id=rekap.pk)
