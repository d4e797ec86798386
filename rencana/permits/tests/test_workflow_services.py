"""The workflow services on the database: rules enforced server-side, 409 leaves everything unchanged,
every action audited, visibility per role. The factories here are shared by the officer page tests."""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from rencana.accounts.scope import scope_for
from rencana.conftest import make_region
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.permits import access, services_workflow
from rencana.permits.models import (
    Application,
    ApplicationDocument,
    AreaMap,
    FarmerGroup,
    GroupMember,
    MicroBusiness,
    StageEvent,
)
from rencana.permits.types import ensure_shipped_types
from rencana.regions.models import Pemda

pytestmark = pytest.mark.django_db

HKM_DOCS = ("ad_art", "rencana_kerja", "daftar_anggota", "struktur_organisasi", "surat_pengantar_desa")
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[104.6, -5.4], [104.61, -5.4], [104.61, -5.39], [104.6, -5.39], [104.6, -5.4]]],
}


# --------------------------------------------------------------------------------------------------
# Factories (plain functions, imported by test_officer_pages.py)


def make_group(pemda: Pemda, nama: str = "KTH Wana Lestari", members: int = 15) -> FarmerGroup:
    make_region(f"{pemda.kode}.01", "Kecamatan Uji", "kecamatan", pemda.kode)
    desa = make_region(f"{pemda.kode}.01.2001", "Pekon Sinar Harapan", "desa", f"{pemda.kode}.01")
    group = FarmerGroup.objects.create(
        pemda=pemda,
        nama=nama,
        desa=desa,
        ketua="Sutrisno",
        luas_dinyatakan=Decimal("120.50"),
        kawasan="HL Register 30",
    )
    for i in range(members):
        GroupMember.objects.create(
            pemda=pemda,
            kelompok=group,
            nama=f"Anggota {i + 1}",
            nik=f"1806{group.pk:04d}{i + 1:08d}",
            jenis_kelamin="L" if i % 2 else "P",
        )
    return group


def make_business(pemda: Pemda, **fields: Any) -> MicroBusiness:
    values: dict[str, Any] = {
        "nama_usaha": "Warung Bu Sri",
        "pemilik": "Sri Wahyuni",
        "nik": "3275014101900001",
        "kbli": "47241",
        "alamat": "Pasar Kaget Jl. Elang Raya",
        "modal": Decimal(5_000_000),
    }
    values.update(fields)
    return MicroBusiness.objects.create(pemda=pemda, **values)


def complete_hkm(application: Application) -> Application:
    """Fill the fields and upload the documents and map a HKm submission needs."""
    application.data = {"kawasan": "Hutan Lindung Register 30", "rencana_kerja": "Agroforestri kopi dan lada"}
    application.save(update_fields=["data"])
    for kode in HKM_DOCS:
        doc = ApplicationDocument(
            pemda=application.pemda, permohonan=application, kode_dokumen=kode, nama_berkas=f"{kode}.pdf"
        )
        doc.berkas.save(f"{kode}.pdf", ContentFile(b"%PDF-1.4 uji"), save=False)
        doc.save()
    AreaMap.objects.create(
        pemda=application.pemda, permohonan=application, geometri=SQUARE, luas_ha=Decimal("121.0")
    )
    application.refresh_from_db()
    return application


def state(application: Application) -> dict[str, Any]:
    """Everything a refused action must leave as it was."""
    row = Application.objects.filter(pk=application.pk).values().get()
    return {
        "row": row,
        "events": list(StageEvent.objects.filter(permohonan_id=application.pk).values_list("pk", "ke")),
        "audit": AuditEvent.objects.filter(
            object_type="permits.application", object_id=str(application.pk)
        ).count(),
    }


class Actors:
    def __init__(self, pemda: Pemda, make_user: Callable[..., Any]) -> None:
        self.pemda = pemda
        self.officer = make_user(Role.PETUGAS_IZIN, pemda)
        self.admin = make_user(Role.ADMIN_PEMDA, pemda)
        self.facilitator = make_user(Role.PENDAMPING, pemda)
        self.other_facilitator = make_user(Role.PENDAMPING, pemda)
        self.applicant = make_user(Role.PEMOHON, pemda)
        self.leader = make_user(Role.PIMPINAN, pemda)

    def scope(self, user: Any) -> Any:
        return scope_for(user, self.pemda)


@pytest.fixture
def actors(pemda_a: Pemda, make_user: Callable[..., Any]) -> Actors:
    ensure_shipped_types()
    return Actors(pemda_a, make_user)


def new_hkm(actors: Actors, *, complete: bool = True, group: FarmerGroup | None = None) -> Application:
    application = services_workflow.application_create(
        actor=actors.facilitator,
        pemda=actors.pemda,
        jenis_kode="hkm",
        kelompok=group or make_group(actors.pemda),
        pemohon=actors.applicant,
    )
    return complete_hkm(application) if complete else application


def move(
    actors: Actors, application: Application, aksi: str, user: Any = None, alasan: str = ""
) -> Application:
    user = user or actors.officer
    return services_workflow.transition(
        actor=user,
        application=application,
        expected_version=application.version,
        aksi=aksi,
        alasan=alasan,
        scope=actors.scope(user),
    )


def hkm_at(actors: Actors, tahap: str) -> Application:
    """A complete HKm application moved along the happy path to `tahap`."""
    application = new_hkm(actors)
    path = [
        ("verifikasi_administrasi", "ajukan", actors.facilitator, ""),
        ("verifikasi_teknis", "verifikasi", actors.officer, ""),
        ("rekomendasi", "verifikasi", actors.officer, ""),
        ("keputusan", "rekomendasikan", actors.officer, "Layak disetujui seluas 120 ha."),
    ]
    for target, aksi, user, alasan in path:
        if application.tahap == tahap:
            break
        if target == "rekomendasi":
            application = services_workflow.schedule_field_verification(
                actor=actors.officer,
                application=application,
                expected_version=application.version,
                tanggal=timezone.localdate(),
                scope=actors.scope(actors.officer),
            )
        application = move(actors, application, aksi, user, alasan)
    assert application.tahap == tahap
    return application


# --------------------------------------------------------------------------------------------------
# Creating and editing


def test_create_starts_a_draft_with_a_tracking_code_history_and_audit(actors: Actors) -> None:
    application = new_hkm(actors, complete=False)
    assert re.fullmatch(
        r"HKM-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}",
        application.kode_lacak,
    )
    assert (application.tahap, application.status) == ("penyusunan", "draf")
    assert application.jenis.kode == "hkm" and application.jenis.versi == 1
    assert application.pendamping == actors.facilitator  # the facilitator who created it
    assert application.luas_dinyatakan == Decimal("120.50")
    event = StageEvent.objects.get(permohonan=application)
    assert (event.dari, event.ke, event.aksi, event.oleh) == ("", "penyusunan", "buat", actors.facilitator)
    assert AuditEvent.objects.filter(
        object_id=str(application.pk), action="create", actor=actors.facilitator
    ).exists()


def test_create_checks_the_applicant(actors: Actors, pemda_b: Pemda) -> None:
    with pytest.raises(ApplicationError):
        services_workflow.application_create(actor=actors.officer, pemda=actors.pemda, jenis_kode="hkm")
    with pytest.raises(ApplicationError):
        services_workflow.application_create(
            actor=actors.officer, pemda=actors.pemda, jenis_kode="nib", kelompok=make_group(actors.pemda)
        )
    with pytest.raises(NotFoundError):
        services_workflow.application_create(
            actor=actors.officer, pemda=actors.pemda, jenis_kode="hkm", kelompok=make_group(pemda_b)
        )
    with pytest.raises(NotFoundError):
        services_workflow.application_create(actor=actors.officer, pemda=actors.pemda, jenis_kode="izin_lain")
    assert not Application.objects.exists()


def test_update_merges_answers_and_refuses_a_stale_version(actors: Actors) -> None:
    application = new_hkm(actors, complete=False)
    version = application.version
    services_workflow.application_update(
        actor=actors.facilitator,
        application=application,
        expected_version=version,
        data={"kawasan": "HL Register 30", "rencana_kerja": "Kopi"},
        luas_dinyatakan=Decimal("99.5"),
    )
    services_workflow.application_update(
        actor=actors.facilitator,
        application=application,
        expected_version=version + 1,
        data={"rencana_kerja": None, "komoditas": "lada"},
    )
    application.refresh_from_db()
    assert application.data == {"kawasan": "HL Register 30", "komoditas": "lada"}
    assert application.luas_dinyatakan == Decimal("99.50")
    before = state(application)
    with pytest.raises(ConflictError) as info:
        services_workflow.application_update(
            actor=actors.facilitator,
            application=application,
            expected_version=version,
            data={"kawasan": "lain"},
        )
    assert info.value.status == 409
    assert state(application) == before


@pytest.mark.parametrize("luas", [Decimal(0), Decimal(-3)])
def test_update_refuses_a_bad_area(actors: Actors, luas: Decimal) -> None:
    application = new_hkm(actors, complete=False)
    with pytest.raises(ApplicationError) as info:
        services_workflow.application_update(
            actor=actors.facilitator,
            application=application,
            expected_version=application.version,
            data={},
            luas_dinyatakan=luas,
        )
    assert info.value.status == 400


def test_update_is_refused_once_submitted_and_allowed_again_when_returned(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    before = state(application)
    with pytest.raises(ConflictError):
        services_workflow.application_update(
            actor=actors.facilitator,
            application=application,
            expected_version=application.version,
            data={"x": "y"},
        )
    assert state(application) == before
    returned = move(
        actors, application, "minta_perbaikan", alasan="Struktur organisasi belum ditandatangani."
    )
    services_workflow.application_update(
        actor=actors.facilitator, application=returned, expected_version=returned.version, data={"x": "y"}
    )
    assert Application.objects.get(pk=application.pk).data["x"] == "y"


# --------------------------------------------------------------------------------------------------
# Transitions


def test_the_whole_hkm_path_to_approval_is_recorded_and_audited(actors: Actors) -> None:
    application = hkm_at(actors, "keputusan")
    approved = move(actors, application, "setujui", actors.admin, "SK Nomor 123/2026: disetujui 120 ha.")
    approved.refresh_from_db()
    assert (approved.tahap, approved.status) == ("disetujui", "disetujui")
    assert approved.alasan_keputusan == "SK Nomor 123/2026: disetujui 120 ha."
    assert approved.diajukan_pada is not None
    history = list(StageEvent.objects.filter(permohonan=approved).values_list("dari", "ke", "aksi"))
    assert history == [
        ("", "penyusunan", "buat"),
        ("penyusunan", "verifikasi_administrasi", "ajukan"),
        ("verifikasi_administrasi", "verifikasi_teknis", "verifikasi"),
        ("verifikasi_teknis", "rekomendasi", "verifikasi"),
        ("rekomendasi", "keputusan", "rekomendasikan"),
        ("keputusan", "disetujui", "setujui"),
    ]
    actions = list(
        AuditEvent.objects.filter(object_type="permits.application", object_id=str(approved.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "create",
        "izin_ajukan",
        "izin_verifikasi",
        "schedule_field_verification",
        "izin_verifikasi",
        "izin_rekomendasikan",
        "izin_setujui",
    ]
    last = AuditEvent.objects.filter(object_id=str(approved.pk), action="izin_setujui").get()
    assert (last.before or {}).get("tahap") == "keputusan" and (last.after or {}).get("tahap") == "disetujui"
    assert last.actor == actors.admin


def test_rejection_needs_a_reason(actors: Actors) -> None:
    application = hkm_at(actors, "keputusan")
    before = state(application)
    with pytest.raises(ApplicationError) as info:
        move(actors, application, "tolak", alasan="   ")
    assert info.value.status == 400
    assert state(application) == before
    rejected = move(actors, application, "tolak", alasan="Areal berada di luar PIAPS.")
    assert (rejected.tahap, rejected.status) == ("ditolak", "ditolak")


# The acceptance: an illegal transition or a stale edit gets 409 and changes nothing.


def test_an_illegal_transition_is_409_and_changes_nothing(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    before = state(application)
    for aksi in ("setujui", "rekomendasikan", "ajukan", "hapus", ""):
        with pytest.raises(ConflictError) as info:
            move(actors, application, aksi, alasan="Disetujui tanpa verifikasi.")
        assert info.value.status == 409
        assert info.value.code == "transisi_tidak_sah"
    assert state(application) == before


def test_a_stale_version_is_409_and_changes_nothing(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    stale = Application.objects.get(pk=application.pk)
    move(actors, application, "verifikasi")  # another officer acts first
    before = state(application)
    with pytest.raises(ConflictError) as info:
        services_workflow.transition(
            actor=actors.officer,
            application=stale,
            expected_version=stale.version,
            aksi="minta_perbaikan",
            alasan="AD/ART belum ada.",
            scope=actors.scope(actors.officer),
        )
    assert info.value.status == 409 and info.value.code == "versi_usang"
    assert state(application) == before


def test_submitting_an_incomplete_application_is_409_and_changes_nothing(actors: Actors) -> None:
    application = new_hkm(actors, complete=False)
    before = state(application)
    with pytest.raises(ConflictError) as info:
        move(actors, application, "ajukan", actors.facilitator)
    assert info.value.code == "belum_lengkap"
    missing = {e["kolom"] for e in info.value.errors}
    assert {"isian:rencana_kerja", "dokumen:ad_art", "dokumen:peta_areal_kelola"} <= missing
    assert state(application) == before


def test_a_group_below_fifteen_members_cannot_submit(actors: Actors) -> None:
    application = new_hkm(actors, group=make_group(actors.pemda, "KTH Kecil", members=14))
    with pytest.raises(ConflictError) as info:
        move(actors, application, "ajukan", actors.facilitator)
    assert [e["kolom"] for e in info.value.errors] == ["anggota"]


def test_field_verification_must_be_scheduled_and_due_before_it_is_done(actors: Actors) -> None:
    application = hkm_at(actors, "verifikasi_teknis")
    before = state(application)
    with pytest.raises(ConflictError) as info:
        move(actors, application, "verifikasi")
    assert info.value.code == "jadwal_lapangan"
    assert state(application) == before
    scheduled = services_workflow.schedule_field_verification(
        actor=actors.officer,
        application=application,
        expected_version=application.version,
        tanggal=timezone.localdate() + datetime.timedelta(days=3),
        scope=actors.scope(actors.officer),
    )
    with pytest.raises(ConflictError):
        move(actors, scheduled, "verifikasi")  # the visit has not happened yet


def test_scheduling_is_refused_at_other_stages_and_outside_sensible_dates(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    kwargs = {"actor": actors.officer, "scope": actors.scope(actors.officer)}
    with pytest.raises(ConflictError):
        services_workflow.schedule_field_verification(
            application=application,
            expected_version=application.version,
            tanggal=timezone.localdate(),
            **kwargs,
        )
    application = move(actors, application, "verifikasi")
    for day in (
        timezone.localdate() - datetime.timedelta(days=30),
        timezone.localdate() + datetime.timedelta(days=800),
    ):
        with pytest.raises(ApplicationError) as info:
            services_workflow.schedule_field_verification(
                application=application, expected_version=application.version, tanggal=day, **kwargs
            )
        assert info.value.status == 400


def test_roles_are_enforced_on_the_server(actors: Actors) -> None:
    application = new_hkm(actors)
    # An officer cannot submit for the group; another facilitator (not assigned) cannot either.
    for user in (actors.officer, actors.other_facilitator, actors.leader):
        with pytest.raises(PermissionDeniedError):
            move(actors, application, "ajukan", user)
    submitted = move(actors, application, "ajukan", actors.applicant)
    before = state(submitted)
    # The facilitator cannot take officer actions.
    with pytest.raises(PermissionDeniedError):
        move(actors, submitted, "verifikasi", actors.facilitator)
    assert state(submitted) == before


def test_a_scope_of_another_pemda_cannot_touch_the_application(
    actors: Actors, pemda_b: Pemda, make_user: Callable[..., Any]
) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    outsider = make_user(Role.PETUGAS_IZIN, pemda_b)
    before = state(application)
    with pytest.raises(NotFoundError):
        services_workflow.transition(
            actor=outsider,
            application=application,
            expected_version=application.version,
            aksi="verifikasi",
            scope=scope_for(outsider, pemda_b),
        )
    assert state(application) == before


def test_correction_round_trip(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    returned = move(
        actors, application, "minta_perbaikan", alasan="Daftar anggota belum diketahui kepala pekon."
    )
    assert (returned.tahap, returned.status) == ("perbaikan", "proses")
    event = StageEvent.objects.filter(permohonan=returned).latest("pk")
    assert event.alasan == "Daftar anggota belum diketahui kepala pekon."
    again = move(actors, returned, "ajukan_ulang", actors.facilitator)
    assert again.tahap == "verifikasi_administrasi"


def test_nib_path(actors: Actors) -> None:
    application = services_workflow.application_create(
        actor=actors.officer, pemda=actors.pemda, jenis_kode="nib", usaha=make_business(actors.pemda)
    )
    assert application.kode_lacak.startswith("NIB-")
    assert application.pendamping is None
    missing = {i.kode for i in services_workflow.checklist(application).missing}
    assert missing == {"isian:akun_oss", "isian:lokasi", "isian:pernyataan_mandiri"}
    services_workflow.application_update(
        actor=actors.officer,
        application=application,
        expected_version=application.version,
        data={"akun_oss": "sri@example.id", "lokasi": "63.02.01", "pernyataan_mandiri": True},
    )
    assert services_workflow.checklist(application).complete
    registering = move(actors, application, "ajukan")
    assert registering.tahap == "pendaftaran_oss"
    issued = move(actors, registering, "catat_nib", alasan="NIB 1234567890123, 2 Maret 2026")
    assert (issued.tahap, issued.status) == ("nib_terbit", "disetujui")


def test_facilitator_assignment(actors: Actors) -> None:
    application = new_hkm(actors)
    officer_scope = actors.scope(actors.officer)
    with pytest.raises(ApplicationError):
        services_workflow.assign_facilitator(
            actor=actors.officer,
            application=application,
            expected_version=application.version,
            pendamping=actors.leader,
            scope=officer_scope,
        )
    with pytest.raises(PermissionDeniedError):
        services_workflow.assign_facilitator(
            actor=actors.facilitator,
            application=application,
            expected_version=application.version,
            pendamping=actors.facilitator,
            scope=actors.scope(actors.facilitator),
        )
    assigned = services_workflow.assign_facilitator(
        actor=actors.officer,
        application=application,
        expected_version=application.version,
        pendamping=actors.other_facilitator,
        scope=officer_scope,
    )
    assert assigned.pendamping == actors.other_facilitator
    audit = AuditEvent.objects.get(object_id=str(application.pk), action="assign_facilitator")
    assert audit.before == {"pendamping": actors.facilitator.pk}
    assert audit.after == {"pendamping": actors.other_facilitator.pk}
    # The newly assigned facilitator may now act for the group.
    assert [
        t.aksi
        for t in services_workflow.transitions_for(
            assigned, actors.scope(actors.other_facilitator), actors.other_facilitator
        )
    ] == ["ajukan"]


def test_sla_of_an_application_overdue(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    Application.objects.filter(pk=application.pk).update(
        tahap_sejak=timezone.now() - datetime.timedelta(days=6)
    )
    application.refresh_from_db()
    clock = services_workflow.sla_of(application)
    assert clock is not None
    assert (clock.hari_terpakai, clock.hari_diizinkan, clock.terlambat) == (6, 5, True)


def test_visibility_per_role(actors: Actors, pemda_b: Pemda, make_user: Callable[..., Any]) -> None:
    mine = new_hkm(actors, complete=False)
    other = services_workflow.application_create(
        actor=actors.officer,
        pemda=actors.pemda,
        jenis_kode="hkm",
        kelompok=make_group(actors.pemda, "KTH Lain"),
    )

    def visible(user: Any, pemda: Pemda | None = None) -> set[int]:
        pemda = pemda or actors.pemda
        return set(
            access.visible_applications(scope_for(user, pemda), user, pemda).values_list("pk", flat=True)
        )

    assert visible(actors.officer) == {mine.pk, other.pk}
    assert visible(actors.leader) == {mine.pk, other.pk}
    assert visible(actors.facilitator) == {mine.pk}  # created it
    assert visible(actors.other_facilitator) == set()
    assert visible(actors.applicant) == {mine.pk}  # named as pemohon
    assert visible(make_user(Role.PEMOHON, actors.pemda)) == set()
    assert visible(make_user(Role.PERENCANA, actors.pemda)) == set()
    assert visible(make_user(Role.ADMIN_PEMDA, pemda_b), pemda_b) == set()
