"""Test data for the map tests: Tanggamus farmer groups with draft HKm applications, and uploads."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from rencana.conftest import make_pemda, make_region
from rencana.core.roles import Role
from rencana.permits import services_workflow
from rencana.permits.models import Application, FarmerGroup
from rencana.permits.types import ensure_shipped_types
from rencana.regions.models import Pemda

# Names that are personal data or private to an applicant: never in another application's findings.
PRIVATE_MARKERS = (
    "Kelompok Rahasiapeta",
    "pendamping_rahasiapeta",
    "Ketua Rahasiapeta",
    "pemohon_rahasiapeta",
)


@dataclass
class MapCase:
    pemda: Pemda
    facilitator: User
    applicant: User
    officer: User
    a: Application  # the application under test
    b: Application  # another group's application in the same pemda (its names are PRIVATE_MARKERS)


def group(pemda: Pemda, nama: str, ketua: str = "Ketua", luas: Decimal | None = None) -> FarmerGroup:
    desa = make_region("18.06.05.2001", "Pekon Datarajan", "desa", "18.06.05")
    return FarmerGroup.objects.create(pemda=pemda, nama=nama, desa=desa, ketua=ketua, luas_dinyatakan=luas)


def map_case(make_user: Callable[..., Any]) -> MapCase:
    ensure_shipped_types()
    pemda = make_pemda("18.06", "Kabupaten Tanggamus")
    make_region("18.06.05", "Kecamatan Pulau Panggung", "kecamatan", "18.06")
    facilitator = make_user(Role.PENDAMPING, pemda, username="pendamping_peta")
    applicant = make_user(Role.PEMOHON, pemda, username="pemohon_peta")
    officer = make_user(Role.PETUGAS_IZIN, pemda, username="petugas_peta")
    other_facilitator = make_user(Role.PENDAMPING, pemda, username="pendamping_rahasiapeta")
    other_applicant = make_user(Role.PEMOHON, pemda, username="pemohon_rahasiapeta")
    a = services_workflow.application_create(
        actor=facilitator,
        pemda=pemda,
        jenis_kode="hkm",
        kelompok=group(pemda, "KTH Sumber Rejeki", luas=Decimal("120.00")),
        pemohon=applicant,
    )
    b = services_workflow.application_create(
        actor=other_facilitator,
        pemda=pemda,
        jenis_kode="hkm",
        kelompok=group(pemda, "Kelompok Rahasiapeta", ketua="Ketua Rahasiapeta"),
        pemohon=other_applicant,
    )
    return MapCase(pemda=pemda, facilitator=facilitator, applicant=applicant, officer=officer, a=a, b=b)


def upload(data: bytes, name: str = "areal.geojson") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def move_to(application: Application, tahap: str, status: str = "proses") -> None:
    """Put an application in another stage directly (the workflow itself is tested elsewhere)."""
    Application.objects.filter(pk=application.pk).update(tahap=tahap, status=status)
    application.refresh_from_db()
