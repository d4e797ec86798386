"""Permit-type pages: versions list, a definition as readable tables, a new version from the JSON editor."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from rencana.core.roles import Role
from rencana.permits.models import PermitType
from rencana.permits.types import ensure_shipped_types, shipped_definition
from rencana.regions.models import Pemda

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def urls(pemda: Pemda, row: PermitType) -> tuple[str, str, str]:
    kode = pemda.kode
    return (
        reverse("permits:types", kwargs={"kode": kode}),
        reverse("permits:type_detail", kwargs={"kode": kode, "type_id": row.pk}),
        reverse("permits:type_new_version", kwargs={"kode": kode, "type_id": row.pk}),
    )


@pytest.fixture
def hkm() -> PermitType:
    ensure_shipped_types()
    return PermitType.objects.get(kode="hkm")


def test_list_and_detail_show_the_definition_as_tables(
    pemda_a: Pemda, make_user: Callable[..., Any], hkm: PermitType
) -> None:
    list_url, detail_url, _edit = urls(pemda_a, hkm)
    client = login(make_user(Role.PETUGAS_IZIN, pemda_a))
    body = client.get(list_url).content.decode()
    assert "Persetujuan Pengelolaan Hutan Kemasyarakatan" in body and "Nomor Induk Berusaha" in body
    assert "Buat versi baru" not in body  # officers read; only the admin configures
    body = client.get(detail_url).content.decode()
    for text in (
        "Verifikasi administrasi",
        "Verifikasi teknis dan lapangan",
        "Petugas perizinan",
        "AD/ART kelompok",
        "Surat pengantar dari desa/kampung/pekon",
        "Berkas lengkap — lanjut ke verifikasi teknis",
        "kelengkapan berkas",
        "Nomor 9 Tahun 2021",
        "gratis",
    ):
        assert text in body, text


def test_the_admin_makes_a_new_version(
    pemda_a: Pemda, make_user: Callable[..., Any], hkm: PermitType
) -> None:
    list_url, _detail, edit_url = urls(pemda_a, hkm)
    client = login(make_user(Role.ADMIN_PEMDA, pemda_a))
    assert "Buat versi baru" in client.get(list_url).content.decode()
    page = client.get(edit_url)
    assert page.status_code == 200 and "&quot;verifikasi_administrasi&quot;" in page.content.decode()
    data = shipped_definition("hkm")
    data["stages"][3]["sla_hari"] = 21
    response = client.post(edit_url, {"definisi": json.dumps(data), "versi_dasar": "1"})
    assert response.status_code == 302
    created = PermitType.objects.get(kode="hkm", versi=2)
    assert response["Location"] == reverse(
        "permits:type_detail", kwargs={"kode": pemda_a.kode, "type_id": created.pk}
    )
    assert created.aktif and not PermitType.objects.get(pk=hkm.pk).aktif
    assert created.definisi["stages"][3]["sla_hari"] == 21


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{ bukan json", "JSON tidak sah di baris 1"),
        ("[1, 2]", "Definisi harus berupa objek JSON"),
        ("", "JSON tidak sah"),
    ],
)
def test_broken_json_is_explained(
    pemda_a: Pemda, make_user: Callable[..., Any], hkm: PermitType, text: str, expected: str
) -> None:
    _list, _detail, edit_url = urls(pemda_a, hkm)
    response = login(make_user(Role.ADMIN_PEMDA, pemda_a)).post(
        edit_url, {"definisi": text, "versi_dasar": "1"}
    )
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert PermitType.objects.filter(kode="hkm").count() == 1


def test_definition_problems_are_listed(
    pemda_a: Pemda, make_user: Callable[..., Any], hkm: PermitType
) -> None:
    _list, _detail, edit_url = urls(pemda_a, hkm)
    data = shipped_definition("hkm")
    data["transitions"].append({"dari": "keputusan", "ke": "banding", "aksi": "banding", "label": "Banding"})
    response = login(make_user(Role.ADMIN_PEMDA, pemda_a)).post(
        edit_url, {"definisi": json.dumps(data), "versi_dasar": "1"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "banding" in body and "tidak ada di daftar tahap" in body
    assert "&quot;banding&quot;" in body  # the typed text is kept for fixing
    assert PermitType.objects.filter(kode="hkm").count() == 1


def test_a_stale_type_edit_is_409(pemda_a: Pemda, make_user: Callable[..., Any], hkm: PermitType) -> None:
    _list, _detail, edit_url = urls(pemda_a, hkm)
    client = login(make_user(Role.ADMIN_PEMDA, pemda_a))
    payload = {"definisi": json.dumps(shipped_definition("hkm")), "versi_dasar": "1"}
    assert client.post(edit_url, payload).status_code == 302
    response = client.post(edit_url, payload)
    assert response.status_code == 409
    assert PermitType.objects.filter(kode="hkm").count() == 2


def test_only_the_admin_configures(pemda_a: Pemda, make_user: Callable[..., Any], hkm: PermitType) -> None:
    _list, _detail, edit_url = urls(pemda_a, hkm)
    officer = login(make_user(Role.PETUGAS_IZIN, pemda_a))
    assert officer.get(edit_url).status_code == 403
    payload = {"definisi": json.dumps(shipped_definition("hkm")), "versi_dasar": "1"}
    assert officer.post(edit_url, payload).status_code == 403
    assert login(make_user(Role.PENDAMPING, pemda_a)).get(_list).status_code == 403
    assert PermitType.objects.filter(kode="hkm").count() == 1


def test_shipped_types_can_be_installed_from_the_page(pemda_a: Pemda, make_user: Callable[..., Any]) -> None:
    admin = login(make_user(Role.ADMIN_PEMDA, pemda_a))
    list_url = reverse("permits:types", kwargs={"kode": pemda_a.kode})
    assert "Pasang jenis izin bawaan" in admin.get(list_url).content.decode()
    response = admin.post(reverse("permits:types_ensure", kwargs={"kode": pemda_a.kode}))
    assert response.status_code == 302
    assert sorted(PermitType.objects.values_list("kode", flat=True)) == ["hkm", "nib"]


def test_unknown_type_is_404(pemda_a: Pemda, make_user: Callable[..., Any]) -> None:
    admin = login(make_user(Role.ADMIN_PEMDA, pemda_a))
    url = reverse("permits:type_detail", kwargs={"kode": pemda_a.kode, "type_id": 987654})
    assert admin.get(url).status_code == 404
