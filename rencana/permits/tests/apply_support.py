"""Test data of the applicant side (wizard helper): Tanggamus (18.06) with villages, the shipped permit
types, users in every applicant role, and a group with members whose NIKs are valid."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rencana.conftest import make_pemda, make_region
from rencana.core.roles import Role
from rencana.permits import services_apply, services_workflow, types
from rencana.permits.models import Application, FarmerGroup, MemberRole, Sex
from rencana.regions.models import Pemda, RegionLevel

KECAMATAN = ("18.06.01", "Kota Agung")
VILLAGES = (("18.06.01.2016", "Negeri Ratu"), ("18.06.01.2019", "Penanggungan"), ("18.06.01.1001", "Baros"))
PDF = b"%PDF-1.4\n% berkas uji\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def nik(serial: int, *, female: bool = False, region: str = "180601") -> str:
    """A structurally valid NIK: region, birth date 15 Jan 1990 (day + 40 for women), serial."""
    day = 55 if female else 15
    return f"{region}{day:02d}0190{serial:04d}"


@dataclass
class ApplyWorld:
    pemda: Pemda
    other: Pemda
    village: str
    pendamping: Any
    pemohon: Any
    petugas: Any
    admin: Any
    outsider: Any
    make_user: Callable[..., Any]

    def client(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def group(self, nama: str = "KTH Sinar Harapan", *, members: int = 0, actor: Any = None) -> FarmerGroup:
        group = services_apply.group_create(
            actor=actor or self.pendamping,
            pemda=self.pemda,
            data=services_apply.GroupInput(
                nama=nama, desa_kode=self.village, ketua="Sutrisno", luas_dinyatakan=Decimal("48.5")
            ),
        )
        for i in range(1, members + 1):
            services_apply.member_add(
                actor=actor or self.pendamping,
                group=group,
                data=services_apply.MemberInput(
                    nama=f"Anggota {i}",
                    nik=nik(i, female=i % 3 == 0),
                    jenis_kelamin=Sex.P if i % 3 == 0 else Sex.L,
                    peran=MemberRole.KETUA if i == 1 else MemberRole.ANGGOTA,
                    telepon=f"08123456{i:04d}",
                ),
            )
        return group

    def hkm(self, group: FarmerGroup, actor: Any = None) -> Application:
        return services_workflow.application_create(
            actor=actor or self.pendamping, pemda=self.pemda, jenis_kode="hkm", kelompok=group
        )


@pytest.fixture
def apply_world(db: Any, make_user: Callable[..., Any]) -> ApplyWorld:
    make_region("18", "Lampung", RegionLevel.PROVINSI)
    pemda = make_pemda("18.06", "Kabupaten Tanggamus")
    make_region(*KECAMATAN, RegionLevel.KECAMATAN, "18.06")
    for kode, nama in VILLAGES:
        level = RegionLevel.KELURAHAN if kode.endswith("1001") else RegionLevel.DESA
        make_region(kode, nama, level, KECAMATAN[0])
    other = make_pemda("35.75", "Kota Pasuruan", "kota")
    types.ensure_shipped_types()
    return ApplyWorld(
        pemda=pemda,
        other=other,
        village=VILLAGES[0][0],
        pendamping=make_user(Role.PENDAMPING, pemda, username="pendamping"),
        pemohon=make_user(Role.PEMOHON, pemda, username="pemohon"),
        petugas=make_user(Role.PETUGAS_IZIN, pemda, username="petugas"),
        admin=make_user(Role.ADMIN_PEMDA, pemda, username="admin"),
        outsider=make_user(Role.PENDAMPING, pemda, username="pendamping_lain"),
        make_user=make_user,
    )


def upload(data: bytes = PDF, name: str = "berkas.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
