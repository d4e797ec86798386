"""Services of the applicant side: groups, members (NIK, duplicates), businesses, documents, locking."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation

from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.models import AuditEvent
from rencana.permits import services_apply, services_workflow
from rencana.permits.models import ApplicationDocument, GroupMember, MemberRole, Sex
from rencana.permits.tests.apply_support import PDF, PNG, ApplyWorld, apply_world, nik, upload


@pytest.fixture(autouse=True)
def _indonesian_messages() -> Iterator[None]:
    # The messages are asserted in Indonesian; another test on the same worker may leave English active.
    with translation.override("id"):
        yield


__all__ = ["apply_world"]

pytestmark = pytest.mark.django_db


def member(nama: str, number: str, **extra: str) -> services_apply.MemberInput:
    return services_apply.MemberInput(
        nama=nama,
        nik=number,
        jenis_kelamin=extra.get("sex", Sex.L),
        **{k: v for k, v in extra.items() if k in ("peran", "telepon")},
    )


# --- groups ------------------------------------------------------------------------------------------


def test_group_is_created_in_a_village_of_the_pemda_and_audited(apply_world: ApplyWorld) -> None:
    group = apply_world.group()
    assert group.desa_id == apply_world.village and group.luas_dinyatakan == Decimal("48.50")
    event = AuditEvent.objects.get(
        object_type="permits.farmergroup", object_id=str(group.pk), action="create"
    )
    assert event.actor_id == apply_world.pendamping.pk and event.pemda_id == apply_world.pemda.pk


@pytest.mark.parametrize("desa", ["", "18.06.01", "35.75.01.2001", "18.06.01.9999", "18.06.01.2016x"])
def test_group_village_must_be_a_desa_of_the_pemda(apply_world: ApplyWorld, desa: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        services_apply.group_create(
            actor=apply_world.pendamping,
            pemda=apply_world.pemda,
            data=services_apply.GroupInput(nama="KTH Uji", desa_kode=desa),
        )
    assert any(e["kolom"] == "desa" for e in caught.value.errors)


def test_group_name_is_required_and_unique_in_a_village(apply_world: ApplyWorld) -> None:
    apply_world.group("KTH Maju")
    with pytest.raises(ApplicationError) as caught:
        services_apply.group_create(
            actor=apply_world.pendamping,
            pemda=apply_world.pemda,
            data=services_apply.GroupInput(nama=" kth  maju ", desa_kode=apply_world.village),
        )
    assert caught.value.errors[0]["kolom"] == "nama"
    with pytest.raises(ApplicationError):
        services_apply.group_create(
            actor=apply_world.pendamping,
            pemda=apply_world.pemda,
            data=services_apply.GroupInput(nama="   ", desa_kode=apply_world.village),
        )


def test_group_update_uses_optimistic_locking(apply_world: ApplyWorld) -> None:
    group = apply_world.group()
    data = services_apply.GroupInput(nama="KTH Baru", desa_kode=apply_world.village)
    services_apply.group_update(actor=apply_world.pendamping, group=group, expected_version=1, data=data)
    assert group.version == 2
    with pytest.raises(ConflictError):
        services_apply.group_update(
            actor=apply_world.pendamping,
            group=group,
            expected_version=1,
            data=services_apply.GroupInput(nama="KTH Lain", desa_kode=apply_world.village),
        )
    group.refresh_from_db()
    assert group.nama == "KTH Baru"


def test_unchanged_group_update_writes_nothing(apply_world: ApplyWorld) -> None:
    group = apply_world.group()
    before = AuditEvent.objects.count()
    data = services_apply.GroupInput(
        nama=group.nama, desa_kode=group.desa_id, ketua=group.ketua, luas_dinyatakan=group.luas_dinyatakan
    )
    services_apply.group_update(actor=apply_world.pendamping, group=group, expected_version=1, data=data)
    assert AuditEvent.objects.count() == before and group.version == 1


def test_group_with_an_application_cannot_be_deleted(apply_world: ApplyWorld) -> None:
    group = apply_world.group()
    apply_world.hkm(group)
    with pytest.raises(ConflictError):
        services_apply.group_delete(actor=apply_world.pendamping, group=group, expected_version=group.version)
    lone = apply_world.group("KTH Sendiri")
    lone_id = lone.pk
    services_apply.group_delete(actor=apply_world.pendamping, group=lone, expected_version=lone.version)
    assert AuditEvent.objects.filter(action="delete", object_id=str(lone_id)).exists()


# --- members -----------------------------------------------------------------------------------------


def test_member_nik_is_checked_and_cleaned(apply_world: ApplyWorld) -> None:
    group = apply_world.group()
    added = services_apply.member_add(
        actor=apply_world.pendamping, group=group, data=member("Siti", "1806 0155 0190 0007", sex=Sex.P)
    )
    assert added.nik == "1806015501900007"
    for bad in ("", "123", "18060115019000071", "18060115019000AB", "0006011501900001", "1806019901900001"):
        with pytest.raises(ApplicationError) as caught:
            services_apply.member_add(actor=apply_world.pendamping, group=group, data=member("X", bad))
        assert caught.value.errors[0]["kolom"] == "nik"


def test_a_nik_is_once_per_group_and_roles_ketua_sekretaris_bendahara_once_each(
    apply_world: ApplyWorld,
) -> None:
    group = apply_world.group()
    services_apply.member_add(
        actor=apply_world.pendamping, group=group, data=member("A", nik(1), peran="ketua")
    )
    with pytest.raises(ApplicationError) as caught:
        services_apply.member_add(actor=apply_world.pendamping, group=group, data=member("B", nik(1)))
    assert "sudah terdaftar" in caught.value.errors[0]["pesan"]
    with pytest.raises(ApplicationError) as caught:
        services_apply.member_add(
            actor=apply_world.pendamping, group=group, data=member("C", nik(2), peran="ketua")
        )
    assert caught.value.errors[0]["kolom"] == "peran"
    services_apply.member_add(
        actor=apply_world.pendamping, group=group, data=member("D", nik(3), peran="bendahara")
    )
    assert GroupMember.objects.filter(kelompok=group).count() == 2


def test_duplicates_across_groups_are_flagged_not_refused(apply_world: ApplyWorld) -> None:
    one = apply_world.group("KTH Satu", members=3)
    two = apply_world.group("KTH Dua")
    shared = services_apply.member_add(
        actor=apply_world.pendamping, group=two, data=member("Anggota 2 lagi", nik(2))
    )
    alone = services_apply.member_add(actor=apply_world.pendamping, group=two, data=member("Lain", nik(99)))
    flags = services_apply.duplicate_members(apply_world.pemda, [shared, alone])
    assert [d.kelompok_nama for d in flags[shared.pk]] == ["KTH Satu"] and alone.pk not in flags
    counts = services_apply.duplicate_counts(apply_world.pemda, [one.pk, two.pk])
    assert counts == {one.pk: 1, two.pk: 1}


def test_duplicates_do_not_cross_pemda(apply_world: ApplyWorld) -> None:
    mine = apply_world.group(members=1)
    from rencana.permits.models import FarmerGroup

    foreign = FarmerGroup.objects.create(pemda=apply_world.other, nama="KTH Jauh", desa_id="35.75.01.1001")
    GroupMember.objects.create(
        pemda=apply_world.other, kelompok=foreign, nama="X", nik=nik(1), jenis_kelamin="L"
    )
    members = list(GroupMember.objects.filter(kelompok=mine))
    assert services_apply.duplicate_members(apply_world.pemda, members) == {}


def test_member_audit_masks_nik_and_phone(apply_world: ApplyWorld) -> None:
    group = apply_world.group()
    services_apply.member_add(
        actor=apply_world.pendamping, group=group, data=member("A", nik(5), telepon="081234567890")
    )
    event = AuditEvent.objects.get(action="member_add")
    assert event.after is not None
    assert event.after["nik"] == "1806********0005" and event.after["telepon"] == "0812*****890"
    assert nik(5) not in str(event.after)


def test_member_update_keeps_nik_left_blank_and_remove_is_audited(apply_world: ApplyWorld) -> None:
    group = apply_world.group(members=2)
    first = GroupMember.objects.filter(kelompok=group).order_by("pk").first()
    assert first is not None
    stored = first.nik
    updated = services_apply.member_update(
        actor=apply_world.pendamping,
        member=first,
        data=services_apply.MemberInput(
            nama="Nama Baru", nik="", jenis_kelamin=Sex.P, peran=MemberRole.KETUA
        ),
    )
    assert updated.nik == stored and updated.nama == "Nama Baru"
    services_apply.member_remove(actor=apply_world.pendamping, member=updated)
    assert not GroupMember.objects.filter(pk=first.pk).exists()
    assert AuditEvent.objects.filter(action="member_remove").exists()


def test_group_and_members_are_locked_while_officers_verify(apply_world: ApplyWorld) -> None:
    group = apply_world.group(members=1)
    application = apply_world.hkm(group)
    type(application).objects.filter(pk=application.pk).update(
        tahap="verifikasi_administrasi", status="proses"
    )
    with pytest.raises(ConflictError) as caught:
        services_apply.member_add(actor=apply_world.pendamping, group=group, data=member("B", nik(8)))
    assert application.kode_lacak in caught.value.message
    with pytest.raises(ConflictError):
        services_apply.group_update(
            actor=apply_world.pendamping,
            group=group,
            expected_version=group.version,
            data=services_apply.GroupInput(nama="X", desa_kode=apply_world.village),
        )
    type(application).objects.filter(pk=application.pk).update(tahap="perbaikan")
    services_apply.member_add(actor=apply_world.pendamping, group=group, data=member("B", nik(8)))


# --- businesses --------------------------------------------------------------------------------------


def test_business_is_validated_and_masked_in_the_audit(apply_world: ApplyWorld) -> None:
    business = services_apply.business_create(
        actor=apply_world.pendamping,
        pemda=apply_world.pemda,
        data=services_apply.BusinessInput(
            nama_usaha="Bakso Pak Eko",
            pemilik="Eko",
            nik=nik(12),
            telepon="0812-3456-7890",
            kbli="56104",
            lokasi_kode="18.06.01.1001",
            modal=Decimal("2500000"),
        ),
    )
    assert business.telepon == "081234567890" and business.lokasi_id == "18.06.01.1001"
    event = AuditEvent.objects.get(object_type="permits.microbusiness", action="create")
    assert nik(12) not in str(event.after) and "081234567890" not in str(event.after)
    with pytest.raises(ApplicationError) as caught:
        services_apply.business_create(
            actor=apply_world.pendamping,
            pemda=apply_world.pemda,
            data=services_apply.BusinessInput(
                nama_usaha="",
                pemilik="",
                nik="12",
                kbli="561",
                lokasi_kode="35.75.01.1001",
                modal=Decimal("-1"),
            ),
        )
    assert {e["kolom"] for e in caught.value.errors} == {
        "nama_usaha",
        "pemilik",
        "nik",
        "kbli",
        "lokasi",
        "modal",
    }


def test_business_update_locking_and_unchanged(apply_world: ApplyWorld) -> None:
    business = services_apply.business_create(
        actor=apply_world.pendamping,
        pemda=apply_world.pemda,
        data=services_apply.BusinessInput(nama_usaha="Warung Bu Sri", pemilik="Sri", nik=nik(3, female=True)),
    )
    same = services_apply.BusinessInput(nama_usaha="Warung Bu Sri", pemilik="Sri", nik="")
    services_apply.business_update(
        actor=apply_world.pendamping, business=business, expected_version=1, data=same
    )
    assert business.version == 1 and business.nik == nik(3, female=True)
    changed = services_apply.BusinessInput(nama_usaha="Warung Bu Sri", pemilik="Sri", pasar="Pasar Kaget")
    services_apply.business_update(
        actor=apply_world.pendamping, business=business, expected_version=1, data=changed
    )
    assert business.version == 2
    with pytest.raises(ConflictError):
        services_apply.business_update(
            actor=apply_world.pendamping, business=business, expected_version=1, data=same
        )


# --- documents ---------------------------------------------------------------------------------------


def test_document_is_checked_by_magic_bytes_and_stored_by_hash(apply_world: ApplyWorld) -> None:
    application = apply_world.hkm(apply_world.group())
    document = services_apply.document_add(
        actor=apply_world.pendamping, application=application, kode_dokumen="ad_art", upload=upload()
    )
    stored = document.berkas.name or ""
    assert document.sha256 in stored and stored.endswith(".pdf")
    services_apply.document_add(
        actor=apply_world.pendamping,
        application=application,
        kode_dokumen="ad_art",
        upload=upload(PNG, "hal2.png"),
    )
    assert ApplicationDocument.objects.filter(permohonan=application, kode_dokumen="ad_art").count() == 2
    cases = [
        (upload(b"GIF89a....", "foto.gif"), "ad_art"),
        (upload(PDF, "foto.jpg"), "ad_art"),
        (upload(b"", "kosong.pdf"), "ad_art"),
        (upload(PDF), "tidak_ada"),
    ]
    for file, kode in cases:
        with pytest.raises(ApplicationError):
            services_apply.document_add(
                actor=apply_world.pendamping, application=application, kode_dokumen=kode, upload=file
            )


def test_document_too_large_is_refused(apply_world: ApplyWorld) -> None:
    application = apply_world.hkm(apply_world.group())
    big = upload(PDF + b"0" * services_apply.MAX_DOCUMENT_BYTES)
    with pytest.raises(ApplicationError) as caught:
        services_apply.document_add(
            actor=apply_world.pendamping, application=application, kode_dokumen="ad_art", upload=big
        )
    assert "10 MB" in caught.value.message


def test_documents_are_locked_once_submitted(apply_world: ApplyWorld) -> None:
    application = apply_world.hkm(apply_world.group())
    document = services_apply.document_add(
        actor=apply_world.pendamping, application=application, kode_dokumen="ad_art", upload=upload()
    )
    type(application).objects.filter(pk=application.pk).update(tahap="verifikasi_administrasi")
    application.refresh_from_db()
    with pytest.raises(ConflictError):
        services_apply.document_add(
            actor=apply_world.pendamping, application=application, kode_dokumen="ad_art", upload=upload()
        )
    with pytest.raises(ConflictError):
        services_apply.document_remove(actor=apply_world.pendamping, document=document)
    # A document of the current stage's own list (the officer's field report) is accepted there.
    type(application).objects.filter(pk=application.pk).update(tahap="verifikasi_teknis")
    application.refresh_from_db()
    services_apply.document_add(
        actor=apply_world.petugas,
        application=application,
        kode_dokumen="berita_acara_verifikasi",
        upload=upload(),
    )


def test_document_remove_is_audited(apply_world: ApplyWorld) -> None:
    application = apply_world.hkm(apply_world.group())
    document = services_apply.document_add(
        actor=apply_world.pendamping, application=application, kode_dokumen="ad_art", upload=upload()
    )
    services_apply.document_remove(actor=apply_world.pendamping, document=document)
    assert AuditEvent.objects.filter(action="document_remove", object_id=str(application.pk)).exists()
    assert services_workflow.checklist(application).complete is False
