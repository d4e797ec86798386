"""Officer pages: queues with service-level clocks, application detail, actions through the page (409 and
400 change nothing), scope (another pemda 404, facilitator 403), XLSX export without NIK."""

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.permits import services_workflow
from rencana.permits.models import Application, GroupMember
from rencana.permits.tests.test_workflow_services import (
    Actors,
    hkm_at,
    make_business,
    make_group,
    move,
    new_hkm,
    state,
)
from rencana.permits.types import ensure_shipped_types
from rencana.regions.models import Pemda

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(pemda_a: Pemda, make_user: Callable[..., Any]) -> Actors:
    ensure_shipped_types()
    return Actors(pemda_a, make_user)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home_url(pemda: Pemda) -> str:
    return reverse("permits:home", kwargs={"kode": pemda.kode})


def detail_url(application: Application) -> str:
    return reverse(
        "permits:officer_application",
        kwargs={"kode": application.pemda.kode, "application_id": application.pk},
    )


def action_url(application: Application) -> str:
    return reverse(
        "permits:officer_action", kwargs={"kode": application.pemda.kode, "application_id": application.pk}
    )


def make_overdue(application: Application, days: int) -> None:
    Application.objects.filter(pk=application.pk).update(
        tahap_sejak=timezone.now() - datetime.timedelta(days=days)
    )


def test_dashboard_shows_queues_clocks_and_overdue(actors: Actors) -> None:
    late = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    on_time = move(
        actors,
        new_hkm(actors, group=make_group(actors.pemda, "KTH Tepat Waktu")),
        "ajukan",
        actors.facilitator,
    )
    drafting = new_hkm(actors, complete=False, group=make_group(actors.pemda, "KTH Masih Menyusun"))
    make_overdue(late, 8)
    make_overdue(on_time, 2)
    make_overdue(drafting, 40)
    body = login(actors.officer).get(home_url(actors.pemda)).content.decode()
    assert "Verifikasi administrasi" in body
    assert late.kode_lacak in body and on_time.kode_lacak in body and drafting.kode_lacak in body
    assert "8 / 5" in body and "2 / 5" in body and "40 / —" in body
    assert body.count('class="badge error">Terlambat') == 1
    response = login(actors.officer).get(home_url(actors.pemda) + "?terlambat=1")
    text = response.content.decode()
    assert late.kode_lacak in text and on_time.kode_lacak not in text and drafting.kode_lacak not in text
    response = login(actors.officer).get(home_url(actors.pemda) + "?tahap=penyusunan&jenis=hkm")
    text = response.content.decode()
    assert drafting.kode_lacak in text and late.kode_lacak not in text


def test_dashboard_queue_counts(actors: Actors) -> None:
    from rencana.permits.views_officer import Definitions, _overdue_q, _queues, _types_of

    late = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    move(actors, new_hkm(actors, group=make_group(actors.pemda, "KTH B")), "ajukan", actors.facilitator)
    make_overdue(late, 6)
    apps = Application.objects.filter(pemda=actors.pemda)
    definitions = Definitions()
    types = _types_of(apps)
    queues = {
        q.jenis: q
        for q in _queues(apps, types, definitions, _overdue_q(types, definitions, timezone.localdate()))
    }
    rows = {r.kode: (r.jumlah, r.terlambat) for r in queues["hkm"].rows}
    assert rows["verifikasi_administrasi"] == (2, 1)
    assert rows["penyusunan"] == (0, 0)
    assert queues["hkm"].terlambat == 1
    assert [r.kode for r in queues["nib"].rows] == ["penyiapan_data", "pendaftaran_oss", "nib_terbit"]


def test_dashboard_filters_search_and_hostile_input(actors: Actors) -> None:
    hkm = new_hkm(actors, complete=False)
    nib = services_workflow.application_create(
        actor=actors.officer, pemda=actors.pemda, jenis_kode="nib", usaha=make_business(actors.pemda)
    )
    client = login(actors.officer)
    text = client.get(home_url(actors.pemda) + "?q=bu+sri").content.decode()
    assert nib.kode_lacak in text and hkm.kode_lacak not in text
    text = client.get(home_url(actors.pemda) + f"?q={hkm.kode_lacak.lower()}").content.decode()
    assert hkm.kode_lacak in text and nib.kode_lacak not in text
    for query in (
        "?status=disetujui",
        "?jenis=tidak-ada",
        "?tahap=" + "x" * 300,
        "?status=<script>",
        "?halaman=-9",
        "?q=" + "a" * 500,
    ):
        response = client.get(home_url(actors.pemda) + query)
        assert response.status_code == 200, query
    assert nib.kode_lacak not in client.get(home_url(actors.pemda) + "?status=disetujui").content.decode()


def test_dashboard_query_count_does_not_grow_with_rows(
    actors: Actors, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    for i in range(6):
        new_hkm(actors, complete=False, group=make_group(actors.pemda, f"KTH {i}", members=1))
    client = login(actors.officer)
    client.get(home_url(actors.pemda))
    with django_assert_max_num_queries(16):
        response = client.get(home_url(actors.pemda))
    assert response.status_code == 200


def test_xlsx_export_has_the_listed_columns_and_no_nik(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    make_overdue(application, 9)
    services_workflow.application_create(
        actor=actors.officer, pemda=actors.pemda, jenis_kode="nib", usaha=make_business(actors.pemda)
    )
    response = login(actors.officer).get(home_url(actors.pemda) + "?format=xlsx&jenis=hkm")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kode lacak" and "Hari terpakai" in rows[0]
    assert len(rows) == 2
    assert rows[1][0] == application.kode_lacak and rows[1][2] == "KTH Wana Lestari"
    assert rows[1][7] == 9 and rows[1][8] == 5 and rows[1][9] == "ya"
    cells = " ".join(str(c) for row in rows for c in row if c is not None)
    assert "3275014101900001" not in cells and "1806" not in cells


def test_detail_shows_history_checklist_documents_and_actions(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    body = login(actors.officer).get(detail_url(application)).content.decode()
    assert application.kode_lacak in body
    assert "Penyusunan usulan bersama pendamping → Verifikasi administrasi" in body
    assert "AD/ART kelompok" in body and "ad_art.pdf" in body
    assert "Lengkap" in body
    assert 'value="verifikasi"' in body and 'value="minta_perbaikan"' in body
    assert 'value="setujui"' not in body
    assert "Berkas lengkap — lanjut ke verifikasi teknis" in body
    # Officers with permit.process see the full NIK; the pimpinan (read only) sees it masked, without actions.
    nik = GroupMember.objects.filter(kelompok_id=application.kelompok_id).values_list("nik", flat=True)[0]
    assert nik in body
    read_only = login(actors.leader).get(detail_url(application)).content.decode()
    assert nik not in read_only and f"{nik[:4]}********{nik[-4:]}" in read_only
    assert 'name="aksi"' not in read_only


def test_officer_actions_through_the_page(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    client = login(actors.officer)
    response = client.post(action_url(application), {"aksi": "verifikasi", "version": application.version})
    assert response.status_code == 302 and response["Location"] == detail_url(application)
    application.refresh_from_db()
    assert application.tahap == "verifikasi_teknis"
    assert AuditEvent.objects.filter(
        object_id=str(application.pk), action="izin_verifikasi", actor=actors.officer
    ).exists()
    # Schedule the field visit, assign a facilitator, then finish the technical verification.
    response = client.post(
        action_url(application),
        {
            "aksi": "jadwal_lapangan",
            "version": application.version,
            "tanggal": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.jadwal_verifikasi_lapangan == timezone.localdate()
    response = client.post(
        action_url(application),
        {"aksi": "pendamping", "version": application.version, "pendamping": actors.other_facilitator.pk},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.pendamping == actors.other_facilitator
    response = client.post(
        action_url(application),
        {"aksi": "verifikasi", "version": application.version, "alasan": "Batas sesuai."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.tahap == "rekomendasi"
    history = login(actors.officer).get(detail_url(application)).content.decode()
    assert (
        "Verifikasi lapangan dijadwalkan" in history
        and "Pendamping ditetapkan" in history
        and "Batas sesuai." in history
    )


@pytest.mark.parametrize(
    ("post", "status", "message"),
    [
        ({"aksi": "setujui", "alasan": "langsung setujui"}, 409, "tidak berlaku pada tahap"),
        ({"aksi": "entah"}, 409, "tidak berlaku pada tahap"),
        ({"aksi": "verifikasi", "version": "stale"}, 409, "telah diubah oleh pengguna lain"),
        ({"aksi": "verifikasi", "version": "-1"}, 409, "telah diubah oleh pengguna lain"),
        ({"aksi": "minta_perbaikan", "alasan": "  "}, 400, "wajib diisi"),
        (
            {"aksi": "jadwal_lapangan", "tanggal": "2026-01-01"},
            409,
            "Verifikasi lapangan dijadwalkan pada tahap verifikasi teknis",
        ),
        ({"aksi": "pendamping", "pendamping": "999999"}, 400, "bukan pendamping"),
        ({"aksi": ""}, 400, "Pilih tindakan"),
    ],
)
def test_refused_actions_through_the_page_change_nothing(
    actors: Actors, post: dict[str, str], status: int, message: str
) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    before = state(application)
    data = {"version": str(application.version), **post}
    response = login(actors.officer).post(action_url(application), data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert state(application) == before


def test_a_stale_page_cannot_overwrite_a_newer_decision(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    opened_version = application.version
    first, second = login(actors.officer), login(actors.admin)
    assert (
        first.post(action_url(application), {"aksi": "verifikasi", "version": opened_version}).status_code
        == 302
    )
    before = state(application)
    response = second.post(
        action_url(application),
        {"aksi": "minta_perbaikan", "version": opened_version, "alasan": "AD/ART kurang."},
    )
    assert response.status_code == 409
    assert state(application) == before


def test_submitting_an_incomplete_nib_through_the_page_is_409(actors: Actors) -> None:
    application = services_workflow.application_create(
        actor=actors.officer, pemda=actors.pemda, jenis_kode="nib", usaha=make_business(actors.pemda)
    )
    before = state(application)
    response = login(actors.officer).post(
        action_url(application), {"aksi": "ajukan", "version": application.version}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Belum bisa diajukan" in body and "Akun OSS" in body
    assert state(application) == before


def test_the_field_date_must_be_a_date(actors: Actors) -> None:
    application = hkm_at(actors, "verifikasi_teknis")
    before = state(application)
    response = login(actors.officer).post(
        action_url(application),
        {"aksi": "jadwal_lapangan", "version": application.version, "tanggal": "31/02/2026"},
    )
    assert response.status_code == 400
    assert state(application) == before


def test_the_facilitator_cannot_take_officer_actions(actors: Actors) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    before = state(application)
    for user in (actors.facilitator, actors.applicant, actors.leader):
        response = login(user).post(
            action_url(application), {"aksi": "verifikasi", "version": application.version}
        )
        assert response.status_code == 403
    assert login(actors.facilitator).get(detail_url(application)).status_code == 403
    assert login(actors.facilitator).get(home_url(actors.pemda)).status_code == 403
    assert state(application) == before


def test_officers_of_another_pemda_get_404(
    actors: Actors, pemda_b: Pemda, make_user: Callable[..., Any]
) -> None:
    application = move(actors, new_hkm(actors), "ajukan", actors.facilitator)
    outsider = login(make_user(Role.PETUGAS_IZIN, pemda_b))
    before = state(application)
    # Through pemda A's URLs (not a member there) and through their own pemda's URLs (not their application).
    assert outsider.get(detail_url(application)).status_code == 404
    assert (
        outsider.post(
            action_url(application), {"aksi": "verifikasi", "version": application.version}
        ).status_code
        == 404
    )
    own_detail = reverse(
        "permits:officer_application", kwargs={"kode": pemda_b.kode, "application_id": application.pk}
    )
    own_action = reverse(
        "permits:officer_action", kwargs={"kode": pemda_b.kode, "application_id": application.pk}
    )
    assert outsider.get(own_detail).status_code == 404
    assert (
        outsider.post(own_action, {"aksi": "verifikasi", "version": application.version}).status_code == 404
    )
    text = outsider.get(reverse("permits:home", kwargs={"kode": pemda_b.kode})).content.decode()
    assert application.kode_lacak not in text and "KTH Wana Lestari" not in text
    assert state(application) == before


def test_missing_application_is_404(actors: Actors) -> None:
    url = reverse("permits:officer_application", kwargs={"kode": actors.pemda.kode, "application_id": 999999})
    assert login(actors.officer).get(url).status_code == 404
