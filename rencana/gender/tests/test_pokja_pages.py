"""Pages of the Pokja PUG: members (add, edit, deactivate, export) and meetings with minutes; roles and
tenancy."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from rencana.core.roles import Role
from rencana.gender import services_readiness as services
from rencana.gender.models import PokjaMeeting, PokjaMember
from rencana.regions.models import Opd, Pemda

pytestmark = pytest.mark.django_db


def _url(name: str, pemda: Pemda, **kwargs: Any) -> str:
    return reverse(f"gender:{name}", kwargs={"kode": pemda.kode, **kwargs})


def _text(response: Any) -> str:
    return response.content.decode()


def test_empty_pokja_page(client_as: Callable[..., Client], pemda_a: Pemda) -> None:
    body = _text(client_as(Role.PIMPINAN, pemda_a).get(_url("pokja", pemda_a)))
    assert "Belum ada anggota Pokja PUG yang dicatat." in body
    assert "Belum ada rapat Pokja PUG yang dicatat." in body
    assert "Tambah anggota" not in body  # read-only role


def test_pokja_member_adds_edits_and_deactivates_members(
    client_as: Callable[..., Client], pemda_a: Pemda
) -> None:
    client = client_as(Role.POKJA_PUG, pemda_a)
    url = _url("pokja", pemda_a)
    opd = Opd.objects.filter(pemda=pemda_a).first()
    assert opd is not None
    response = client.post(
        url,
        {
            "aksi": "anggota_simpan",
            "nama": "Kepala Bapperida",
            "jabatan": "Kepala",
            "opd": opd.pk,
            "peran": "tim_teknis",
        },
    )
    assert response.status_code == 302
    member = PokjaMember.objects.get(pemda=pemda_a)
    assert (member.nama, member.opd_id, member.peran, member.aktif) == (
        "Kepala Bapperida",
        opd.pk,
        "tim_teknis",
        True,
    )
    assert client.post(url, {"aksi": "anggota_simpan", "nama": "", "peran": "anggota"}).status_code == 400
    assert client.post(url, {"aksi": "anggota_simpan", "nama": "X", "peran": "raja"}).status_code == 400

    edit = _text(client.get(url + f"?ubah={member.pk}"))
    assert "Ubah anggota: Kepala Bapperida" in edit
    response = client.post(
        url,
        {
            "aksi": "anggota_simpan",
            "anggota": member.pk,
            "nama": "Kepala Bapperida Kotabaru",
            "peran": "ketua",
            "aktif": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.nama, member.peran, member.opd_id) == ("Kepala Bapperida Kotabaru", "ketua", None)
    assert client.post(url, {"aksi": "anggota_nonaktif", "anggota": member.pk}).status_code == 302
    member.refresh_from_db()
    assert not member.aktif
    body = _text(client.get(url))
    assert "tidak aktif" in body and "0 aktif" in body
    export = client.get(url + "?unduh=anggota")
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    assert client.post(url, {"aksi": "anggota_nonaktif", "anggota": "999999"}).status_code == 404
    assert client.post(url, {"aksi": "entah"}).status_code == 302  # unknown action: a message, nothing done
    assert client.get(url + "?ubah=abc").status_code == 200


def test_meeting_with_minutes(client_as: Callable[..., Client], pemda_a: Pemda) -> None:
    client = client_as(Role.PERENCANA, pemda_a)
    ketua = services.pokja_member_add(actor=None, pemda=pemda_a, nama="Sekda", peran="ketua")
    sekretaris = services.pokja_member_add(
        actor=None, pemda=pemda_a, nama="Kadis PPPAPPKB", peran="sekretaris"
    )
    url = _url("pokja", pemda_a)
    bad = client.post(url, {"aksi": "rapat_tambah", "tanggal": "31/02/2025", "agenda": "Rapat"})
    assert bad.status_code == 400
    response = client.post(
        url,
        {
            "aksi": "rapat_tambah",
            "tanggal": "10/03/2025",
            "agenda": "Reaktivasi Pokja PUG",
            "notulen": "",
            "peserta": [ketua.pk, sekretaris.pk],
        },
    )
    assert response.status_code == 302
    meeting = PokjaMeeting.objects.get(pemda=pemda_a)
    assert meeting.tanggal == datetime.date(2025, 3, 10)
    meeting_url = _url("pokja_meeting", pemda_a, meeting_id=meeting.pk)
    assert response["Location"] == meeting_url
    page = _text(client.get(meeting_url))
    assert "10 Maret 2025" in page and "Notulen belum ditulis." in page
    response = client.post(
        meeting_url,
        {
            "tanggal": "2025-03-10",
            "agenda": "Reaktivasi Pokja PUG",
            "notulen": "Disepakati RAD PUG 2025-2029.\nTim teknis menyiapkan pelatihan GAP.",
            "peserta": [ketua.pk],
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert "RAD PUG" in meeting.notulen and list(meeting.peserta.all()) == [ketua]
    listing = _text(client.get(url))
    assert "Reaktivasi Pokja PUG" in listing and "10 Maret 2025" in listing
    assert client.post(meeting_url, {"tanggal": "", "agenda": ""}).status_code == 400


def test_operator_reads_pokja_but_cannot_write(client_as: Callable[..., Client], pemda_a: Pemda) -> None:
    opd = Opd.objects.filter(pemda=pemda_a).first()
    client = client_as(Role.OPERATOR_OPD, pemda_a, opd)
    member = services.pokja_member_add(actor=None, pemda=pemda_a, nama="Sekda", peran="ketua")
    meeting = services.pokja_meeting_add(
        actor=None, pemda=pemda_a, tanggal=datetime.date(2025, 3, 10), agenda="Rapat", notulen="Isi"
    )
    assert client.get(_url("pokja", pemda_a)).status_code == 200
    assert client.get(_url("pokja_meeting", pemda_a, meeting_id=meeting.pk)).status_code == 200
    for url, data in (
        (_url("pokja", pemda_a), {"aksi": "anggota_simpan", "nama": "Orang", "peran": "anggota"}),
        (_url("pokja", pemda_a), {"aksi": "anggota_nonaktif", "anggota": member.pk}),
        (_url("pokja", pemda_a), {"aksi": "rapat_tambah", "tanggal": "2025-03-11", "agenda": "x"}),
        (_url("pokja_meeting", pemda_a, meeting_id=meeting.pk), {"tanggal": "2025-03-10", "agenda": "Ubah"}),
    ):
        assert client.post(url, data).status_code == 403
    assert PokjaMember.objects.filter(pemda=pemda_a, aktif=True).count() == 1
    meeting.refresh_from_db()
    assert meeting.agenda == "Rapat" and PokjaMeeting.objects.count() == 1


def test_another_pemda_cannot_see_or_touch_the_pokja(
    client_as: Callable[..., Client], pemda_a: Pemda, pemda_b: Pemda
) -> None:
    client = client_as(Role.POKJA_PUG, pemda_b)
    member = services.pokja_member_add(actor=None, pemda=pemda_a, nama="Rahasia Kotabaru", peran="ketua")
    meeting = services.pokja_meeting_add(
        actor=None, pemda=pemda_a, tanggal=datetime.date(2025, 3, 10), agenda="Rapat Rahasia Kotabaru"
    )
    assert client.get(_url("pokja", pemda_a)).status_code == 404
    assert client.get(_url("pokja_meeting", pemda_a, meeting_id=meeting.pk)).status_code == 404
    assert client.get(_url("pokja_meeting", pemda_b, meeting_id=meeting.pk)).status_code == 404
    own = client.get(_url("pokja", pemda_b) + f"?ubah={member.pk}")
    assert own.status_code == 200 and "Rahasia Kotabaru" not in _text(own)
    response = client.post(_url("pokja", pemda_b), {"aksi": "anggota_nonaktif", "anggota": member.pk})
    assert response.status_code == 404
    response = client.post(
        _url("pokja", pemda_b),
        {"aksi": "rapat_tambah", "tanggal": "2025-03-11", "agenda": "Rapat", "peserta": [member.pk]},
    )
    assert response.status_code == 400  # not a choice of pemda B's form
    member.refresh_from_db()
    assert member.aktif and not PokjaMeeting.objects.filter(pemda=pemda_b).exists()
