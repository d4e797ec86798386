"""Writes to pemda and OPD records: validated, in one transaction, audited."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from rencana.core.audit import audit_record, snapshot
from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.locking import save_versioned
from rencana.regions.models import Opd, Pemda, PemdaJenis, Region, RegionLevel


def _clean_opd_fields(*, kode: str, nama: str, singkatan: str, urusan: str) -> dict[str, str]:
    fields = {
        "kode": kode.strip(),
        "nama": " ".join(nama.split()),
        "singkatan": singkatan.strip(),
        "urusan": urusan.strip(),
    }
    errors = []
    if not fields["kode"]:
        errors.append({"kolom": "kode", "pesan": _("Kode OPD wajib diisi.")})
    elif len(fields["kode"]) > 40:
        errors.append({"kolom": "kode", "pesan": _("Kode OPD paling panjang 40 karakter.")})
    if not fields["nama"]:
        errors.append({"kolom": "nama", "pesan": _("Nama OPD wajib diisi.")})
    elif len(fields["nama"]) > 200:
        errors.append({"kolom": "nama", "pesan": _("Nama OPD paling panjang 200 karakter.")})
    if len(fields["singkatan"]) > 40:
        errors.append({"kolom": "singkatan", "pesan": _("Singkatan paling panjang 40 karakter.")})
    if len(fields["urusan"]) > 255:
        errors.append({"kolom": "urusan", "pesan": _("Urusan paling panjang 255 karakter.")})
    if errors:
        raise ApplicationError(
            _("Data OPD belum benar: %(daftar)s") % {"daftar": "; ".join(str(e["pesan"]) for e in errors)},
            errors=errors,
        )
    return fields


def _ensure_kode_free(pemda: Pemda, kode: str, *, exclude_id: int | None = None) -> None:
    taken = Opd.objects.filter(pemda=pemda, kode=kode)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise ConflictError(
            _("Kode OPD %(kode)s sudah dipakai di %(pemda)s.") % {"kode": kode, "pemda": pemda.nama},
            code="kode_ganda",
            errors=[{"kolom": "kode", "pesan": _("Kode sudah dipakai.")}],
        )


@transaction.atomic
def opd_create(
    *, actor: Any, pemda: Pemda, kode: str, nama: str, singkatan: str = "", urusan: str = ""
) -> Opd:
    fields = _clean_opd_fields(kode=kode, nama=nama, singkatan=singkatan, urusan=urusan)
    _ensure_kode_free(pemda, fields["kode"])
    opd = Opd.objects.create(pemda=pemda, **fields)
    audit_record(
        actor=actor, action="create", instance=opd, pemda_id=pemda.pk, after=snapshot(opd, Opd.AUDITED_FIELDS)
    )
    return opd


@transaction.atomic
def opd_update(
    *,
    actor: Any,
    opd: Opd,
    expected_version: int,
    kode: str,
    nama: str,
    singkatan: str = "",
    urusan: str = "",
) -> Opd:
    fields = _clean_opd_fields(kode=kode, nama=nama, singkatan=singkatan, urusan=urusan)
    before = snapshot(opd, Opd.AUDITED_FIELDS)
    if fields["kode"] != opd.kode:
        _ensure_kode_free(opd.pemda, fields["kode"], exclude_id=opd.pk)
    for name, value in fields.items():
        setattr(opd, name, value)
    after = snapshot(opd, Opd.AUDITED_FIELDS)
    if before == after:
        if opd.version != expected_version:
            save_versioned(opd, expected_version=expected_version, fields=[])
        return opd
    save_versioned(opd, expected_version=expected_version, fields=[*fields, "diubah"])
    audit_record(
        actor=actor, action="update", instance=opd, pemda_id=opd.pemda_id, before=before, after=after
    )
    return opd


@transaction.atomic
def opd_set_active(*, actor: Any, opd: Opd, expected_version: int, aktif: bool) -> Opd:
    if opd.aktif == aktif:
        return opd
    before = snapshot(opd, ["aktif"])
    opd.aktif = aktif
    save_versioned(opd, expected_version=expected_version, fields=["aktif"])
    audit_record(
        actor=actor,
        action="activate" if aktif else "deactivate",
        instance=opd,
        pemda_id=opd.pemda_id,
        before=before,
        after={"aktif": aktif},
    )
    return opd


PEMDA_LEVELS = {
    RegionLevel.PROVINSI: PemdaJenis.PROVINSI,
    RegionLevel.KABUPATEN: PemdaJenis.KABUPATEN,
    RegionLevel.KOTA: PemdaJenis.KOTA,
}


@transaction.atomic
def pemda_ensure(*, actor: Any, kode: str, tahun_anggaran: int = 2026) -> tuple[Pemda, bool]:
    """The pemda for region `kode` (a provinsi or kabupaten/kota), created if missing."""
    region = Region.objects.filter(kode=kode).first()
    if region is None:
        raise ApplicationError(
            _(
                "Kode wilayah %(kode)s tidak ada di daftar Kemendagri yang termuat. "
                "Jalankan `rencana regions load`."
            )
            % {"kode": kode}
        )
    if region.level not in PEMDA_LEVELS:
        raise ApplicationError(
            _("%(region)s bukan provinsi atau kabupaten/kota; pemda hanya untuk tingkat itu.")
            % {"region": region}
        )
    existing = Pemda.objects.filter(kode=kode).first()
    if existing is not None:
        return existing, False
    jenis = PEMDA_LEVELS[RegionLevel(region.level)]
    nama = region.nama if region.level != RegionLevel.PROVINSI else f"Provinsi {region.nama}"
    pemda = Pemda.objects.create(
        kode=kode, region=region, nama=nama, jenis=jenis, tahun_anggaran=tahun_anggaran
    )
    audit_record(
        actor=actor,
        action="create",
        instance=pemda,
        pemda_id=pemda.pk,
        after=snapshot(pemda, ["kode", "nama", "jenis", "tahun_anggaran"]),
    )
    return pemda, True
