"""Shared fixtures: two pemda with OPDs and users, without loading the whole region list."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from rencana.accounts.services import role_assign
from rencana.core.roles import Role
from rencana.regions.editions import nama_cari
from rencana.regions.loading import regions_reindex
from rencana.regions.models import Opd, Pemda, Region


def make_region(kode: str, nama: str, level: str, parent: str | None = None) -> Region:
    """A region with its real search key and search tokens, as `rencana regions load` would write it."""
    region, created = Region.objects.get_or_create(
        kode=kode,
        defaults={
            "nama": nama,
            "level": level,
            "parent_id": parent,
            "nama_cari": nama_cari(nama, level),
            "edisi": "2025",
        },
    )
    if created:
        regions_reindex(kodes=[kode])
    return region


def make_pemda(kode: str, nama: str, jenis: str = "kabupaten") -> Pemda:
    province = kode.split(".")[0]
    make_region(province, f"Provinsi {province}", "provinsi")
    region = make_region(kode, nama, jenis, province) if "." in kode else Region.objects.get(kode=kode)
    pemda, _ = Pemda.objects.get_or_create(
        kode=kode, defaults={"region": region, "nama": nama, "jenis": jenis}
    )
    return pemda


@pytest.fixture
def pemda_a(db: Any) -> Pemda:
    """Kabupaten Kotabaru with two OPDs whose names are unique markers (never seen by pemda B)."""
    pemda = make_pemda("63.02", "Kabupaten Kotabaru")
    Opd.objects.get_or_create(pemda=pemda, kode="A.01", defaults={"nama": "Dinas Rahasia Kotabaru"})
    Opd.objects.get_or_create(pemda=pemda, kode="A.02", defaults={"nama": "Badan Khusus Kotabaru"})
    return pemda


@pytest.fixture
def pemda_b(db: Any) -> Pemda:
    pemda = make_pemda("35.75", "Kota Pasuruan", "kota")
    Opd.objects.get_or_create(pemda=pemda, kode="B.01", defaults={"nama": "Bappeda Kota Pasuruan"})
    return pemda


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    counter = {"n": 0}

    def factory(
        role: Role | None = None, pemda: Pemda | None = None, opd: Opd | None = None, **extra: Any
    ) -> Any:
        counter["n"] += 1
        user = get_user_model().objects.create_user(
            username=extra.pop("username", f"pengguna{counter['n']}"),
            password="sandi-uji-123",  # noqa: S106
            **extra,
        )
        if role is not None and pemda is not None:
            role_assign(actor=None, user=user, pemda=pemda, role=role, opd=opd)
        return user

    return factory


@pytest.fixture
def client_as(make_user: Callable[..., Any]) -> Callable[..., Client]:
    def factory(role: Role, pemda: Pemda, opd: Opd | None = None) -> Client:
        client = Client()
        client.force_login(make_user(role, pemda, opd))
        return client

    return factory
