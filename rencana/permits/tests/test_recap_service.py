"""Storing recap imports (services_recap.recap_import) and reading them back (selectors_recap)."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from rencana.conftest import make_pemda, make_region
from rencana.core.errors import ApplicationError, PermissionDeniedError
from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.core.scope import Assignment, Scope
from rencana.permits import recap, selectors_recap, services_recap
from rencana.permits.models import (
    Application,
    ApplicationStatus,
    AreaMap,
    FarmerGroup,
    GroupMember,
    PermitType,
    RecapImport,
    RecapRow,
)
from rencana.permits.tests.test_recap_pure import CLEAN, CORRECTED, LAMPUNG, PRINTED_PROBLEMS, summary
from rencana.regions.models import Pemda, ReferenceDataLoad

pytestmark = pytest.mark.django_db


@pytest.fixture
def lampung(db: Any) -> Pemda:
    return make_pemda("18", "Provinsi Lampung", "provinsi")


def run(pemda: Pemda, data: bytes, **extra: Any) -> Any:
    return services_recap.recap_import(
        actor=None, pemda=pemda, data=data, nama_berkas="hkm_kelompok_lampung_2005.csv", **extra
    )


def test_printed_file_is_rejected_and_nothing_is_written(lampung: Pemda) -> None:
    audits = AuditEvent.objects.count()
    result = run(lampung, LAMPUNG)
    assert result.rejected and result.rekap_id is None
    assert summary(result.masalah) == PRINTED_PROBLEMS
    assert not RecapImport.objects.exists() and not RecapRow.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_corrected_file_is_stored_with_its_three_warnings(lampung: Pemda) -> None:
    result = run(lampung, CORRECTED, judul="Kelompok HKm Lampung 2005", tahun=2005, sumber="Studi 2010")
    assert not result.rejected and not result.sudah_ada
    rekap = RecapImport.objects.get(pk=result.rekap_id)
    assert (rekap.pemda_id, rekap.judul, rekap.tahun, rekap.sumber) == (
        lampung.pk,
        "Kelompok HKm Lampung 2005",
        2005,
        "Studi 2010",
    )
    assert [(m["baris"], m["kolom"], m["jenis"]) for m in rekap.masalah] == [
        (b, k, j) for b, k, j, _t in PRINTED_PROBLEMS[1:]
    ]
    assert set(rekap.masalah[0]) == {"baris", "kolom", "jenis", "pesan"}
    rows = list(RecapRow.objects.filter(rekap=rekap))
    assert len(rows) == 9 and all(r.pemda_id == lampung.pk for r in rows)
    by_name = {r.kabupaten: r for r in rows}
    assert by_name["Lampung Tengah"].luas_ha == Decimal("5319.05")
    assert by_name["Lampung Timur"].luas_ha is None  # "*": stored empty, never 0
    assert by_name["Way Kanan"].ihhbk is None
    total = by_name["TOTAL"]
    assert total.adalah_total and total.anggota_kk == 14932 and total.nomor == 10
    event = AuditEvent.objects.get(action="import", object_id=str(rekap.pk))
    assert event.pemda_id == lampung.pk and event.after is not None and event.after["peringatan"] == 3


def test_reimport_of_the_same_file_creates_nothing_and_says_so(lampung: Pemda) -> None:
    first = run(lampung, CORRECTED)
    again = run(lampung, CORRECTED, judul="Judul lain")
    assert again.sudah_ada and again.rekap_id == first.rekap_id
    assert RecapImport.objects.count() == 1 and RecapRow.objects.count() == 9
    assert AuditEvent.objects.filter(action="import").count() == 1
    # Another pemda importing the same file gets its own copy.
    tanggamus = make_pemda("18.06", "Kabupaten Tanggamus")
    other = run(tanggamus, CORRECTED)
    assert not other.sudah_ada and other.rekap_id != first.rekap_id


def test_dry_run_writes_nothing(lampung: Pemda) -> None:
    result = run(lampung, CLEAN, dry_run=True)
    assert not result.rejected and result.masalah == [] and result.rekap_id is None
    assert not RecapImport.objects.exists()


def test_import_from_a_path(lampung: Pemda, tmp_path: Path) -> None:
    path = tmp_path / "lampung.csv"
    path.write_bytes(CLEAN)
    result = services_recap.recap_import(actor=None, pemda=lampung, path=path)
    assert result.masalah == [] and result.rekap_id is not None
    assert RecapImport.objects.get().nama_berkas == "lampung.csv"
    missing = services_recap.recap_import(actor=None, pemda=lampung, path=tmp_path / "tidak-ada.csv")
    assert missing.rejected and missing.masalah[0].jenis == "berkas_tidak_terbaca"
    huge = tmp_path / "besar.csv"
    with open(huge, "wb") as fh:
        fh.truncate(recap.MAX_BYTES + 1)
    refused = services_recap.recap_import(actor=None, pemda=lampung, path=huge)
    assert refused.rejected and "terlalu besar" in refused.masalah[0].pesan
    assert RecapImport.objects.count() == 1


def test_names_are_matched_to_loaded_regions(lampung: Pemda) -> None:
    for kode, nama, level in [
        ("18.01", "Kabupaten Lampung Selatan", "kabupaten"),
        ("18.02", "Kabupaten Lampung Tengah", "kabupaten"),
        ("18.03", "Kabupaten Lampung Utara", "kabupaten"),
        ("18.04", "Kabupaten Lampung Barat", "kabupaten"),
        ("18.06", "Kabupaten Tanggamus", "kabupaten"),
        ("18.07", "Kabupaten Lampung Timur", "kabupaten"),
        ("18.08", "Kabupaten Way Kanan", "kabupaten"),
        ("18.71", "Kota Bandar Lampung", "kota"),
    ]:
        make_region(kode, nama, level, "18")
    ReferenceDataLoad.objects.create(dataset="wilayah", edisi="2025", checksum="uji")
    result = run(lampung, CORRECTED)
    assert summary(result.masalah) == PRINTED_PROBLEMS[1:]
    stored = dict(RecapRow.objects.values_list("kabupaten", "wilayah_id"))
    assert stored["Bandar Lampung"] == "18.71" and stored["Way Kanan"] == "18.08" and stored["TOTAL"] is None


def test_regions_partly_present_but_not_loaded_give_no_warning(lampung: Pemda) -> None:
    make_region("18.06", "Kabupaten Tanggamus", "kabupaten", "18")
    result = run(lampung, CORRECTED)
    assert summary(result.masalah) == PRINTED_PROBLEMS[1:]
    assert dict(RecapRow.objects.values_list("kabupaten", "wilayah_id"))["Tanggamus"] == "18.06"


def test_scope_without_permit_process_is_refused(lampung: Pemda) -> None:
    scope = Scope(
        user_id=1, pemda_id=lampung.pk, pemda_kode="18", assignments=(Assignment(Role.PIMPINAN, None),)
    )
    with pytest.raises(PermissionDeniedError):
        run(lampung, CLEAN, scope=scope)
    assert not RecapImport.objects.exists()


@pytest.mark.parametrize(
    ("extra", "kolom"),
    [({"judul": "x" * 256}, "judul"), ({"tahun": 1200}, "tahun"), ({"sumber": "y" * 300}, "sumber")],
)
def test_bad_description_fields(lampung: Pemda, extra: dict[str, Any], kolom: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        run(lampung, CLEAN, **extra)
    assert [e["kolom"] for e in caught.value.errors] == [kolom]


def test_selectors_read_back_the_stored_recap(lampung: Pemda) -> None:
    result = run(lampung, CORRECTED)
    rekap = selectors_recap.recap_get(lampung, result.rekap_id)
    lines, totals = selectors_recap.recap_lines(rekap)
    assert [line.kabupaten for line in lines][:2] == ["Bandar Lampung", "Lampung Selatan"]
    assert totals is not None and totals.total == 167
    assert selectors_recap.stored_columns(lines, totals) == (
        "izin_hkm",
        "ihhbk",
        "dalam_proses",
        "total",
        "anggota_kk",
        "luas_garapan_ha",
    )
    listed = selectors_recap.recaps_of(lampung).get()
    assert getattr(listed, "jumlah_baris", None) == 8
    other = make_pemda("35.75", "Kota Pasuruan", "kota")
    with pytest.raises(ApplicationError):
        selectors_recap.recap_get(other, result.rekap_id)


# --- the aggregate of the pemda's own applications ------------------------------------------------


@pytest.fixture
def hkm_type(db: Any) -> PermitType:
    return PermitType.objects.create(kode="hkm", nama="Persetujuan Pengelolaan HKm", definisi={})


def make_group(pemda: Pemda, nama: str, desa: str, members: int, luas: str | None = None) -> FarmerGroup:
    group = FarmerGroup.objects.create(
        pemda=pemda, nama=nama, desa_id=desa, luas_dinyatakan=Decimal(luas) if luas else None
    )
    GroupMember.objects.bulk_create(
        GroupMember(pemda=pemda, kelompok=group, nama=f"Anggota {i}", nik=f"18060{i:011d}", jenis_kelamin="L")
        for i in range(members)
    )
    return group


def make_application(
    pemda: Pemda, jenis: PermitType, group: FarmerGroup, status: str, luas: str | None = None
) -> Application:
    return Application.objects.create(
        pemda=pemda,
        jenis=jenis,
        kode_lacak=f"HKM-{Application.objects.count():04d}-UJI{group.pk}",
        kelompok=group,
        tahap="x",
        status=status,
        tahap_sejak=timezone.now(),
        luas_dinyatakan=Decimal(luas) if luas else None,
    )


def test_own_aggregate(
    hkm_type: PermitType, django_assert_max_num_queries: Callable[..., Any], make_user: Any
) -> None:
    tanggamus = make_pemda("18.06", "Kabupaten Tanggamus")
    a = make_group(tanggamus, "KTH Sumber Rejeki", "18.06.01.2001", 20)
    b = make_group(tanggamus, "KTH Talang Jaya", "18.06.01.2002", 16, luas="40")
    c = make_group(tanggamus, "KTH Draf", "18.06.01.2003", 30)
    approved = make_application(tanggamus, hkm_type, a, ApplicationStatus.DISETUJUI, luas="99")
    AreaMap.objects.create(pemda=tanggamus, permohonan=approved, geometri={}, luas_ha=Decimal("120.1234"))
    make_application(tanggamus, hkm_type, a, ApplicationStatus.DITOLAK)
    make_application(tanggamus, hkm_type, b, ApplicationStatus.PROSES)
    make_application(tanggamus, hkm_type, c, ApplicationStatus.DRAFT)
    nib = PermitType.objects.create(kode="nib", nama="NIB", definisi={})
    make_application(tanggamus, nib, c, ApplicationStatus.DISETUJUI)  # not HKm
    with django_assert_max_num_queries(3):
        result = selectors_recap.own_aggregate(tanggamus)
    assert [(r.kabupaten, r.nama, r.berizin, r.dalam_proses, r.anggota) for r in result.rows] == [
        ("18.06", "Kabupaten Tanggamus", 1, 1, 36)
    ]
    assert result.total.luas_ha == Decimal("160.1234") and result.total.tanpa_luas == 0
    # Another pemda sees none of it.
    assert selectors_recap.own_aggregate(make_pemda("35.75", "Kota Pasuruan", "kota")).rows == []
