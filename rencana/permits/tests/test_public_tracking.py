"""The public tracking page: stage, dates, days used against days allowed, what is missing and the
free-of-charge notice — and never personal data. Every name, NIK, phone number and free text below
carries a marker ("Penanda") that must not appear on a public page."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import override

from rencana.accounts.scope import scope_for
from rencana.conftest import make_pemda, make_region
from rencana.core.roles import Role
from rencana.permits import services_public, services_workflow
from rencana.permits.models import (
    Application,
    ApplicationDocument,
    FarmerGroup,
    GroupMember,
    MemberRole,
    StageEvent,
)
from rencana.permits.types import ensure_shipped_types
from rencana.regions.models import Pemda

# Personal data that must never reach a public page.
MEMBER_NAMES = [f"Anggota Penanda{i:02d}" for i in range(1, 17)]
NIKS = [f"1806054107900{i:03d}" for i in range(1, 17)]
PHONES = [f"08137700{i:04d}" for i in range(1, 17)]
GROUP_NAME = "Kelompok Tani Penandakelompok"
LEADER = "Sukarmin Penandaketua"
APPLICANT = {"username": "akunpemohonrahasia", "first_name": "Wagiman", "last_name": "Penandaakun"}
FACILITATOR = {"username": "pendampingrahasia", "first_name": "Sri", "last_name": "Penandapendamping"}
OFFICER = {"username": "petugasrahasia", "first_name": "Joko", "last_name": "Penandapetugas"}
WORK_PLAN = "Kebun kopi dan alpukat milik Penandadata"
RETURN_REASON = "NIK Sukarmin Penandaalasan salah ketik"
DECISION_REASON = "Disetujui; catatan untuk Bapak Penandakeputusan"
DESA = "Pekon Datarajan"

PERSONAL = [
    *MEMBER_NAMES,
    *NIKS,
    *PHONES,
    "1806054107900",  # any NIK of the group, even cut
    "08137700",  # any phone of the group, even cut
    GROUP_NAME,
    "Penandakelompok",
    LEADER,
    "Penandaketua",
    *APPLICANT.values(),
    "Penandaakun",
    *FACILITATOR.values(),
    *OFFICER.values(),
    "Penandadata",
    "Penandaalasan",
    "Penandakeputusan",
    "Penanda",
]


@dataclass
class Case:
    pemda: Pemda
    group: FarmerGroup
    applicant: User
    facilitator: User
    officer: User
    application: Application


def tanggamus_case(make_user: Callable[..., Any], *, members: int = 16) -> Case:
    """A Tanggamus farmer group near Register 30 with a draft HKm application prepared by a facilitator."""
    ensure_shipped_types()
    pemda = make_pemda("18.06", "Kabupaten Tanggamus")
    make_region("18.06.05", "Kecamatan Pulau Panggung", "kecamatan", "18.06")
    desa = make_region("18.06.05.2001", DESA, "desa", "18.06.05")
    group = FarmerGroup.objects.create(
        pemda=pemda, nama=GROUP_NAME, desa=desa, ketua=LEADER, kawasan="HL Register 30 Gunung Tanggamus"
    )
    for i in range(members):
        GroupMember.objects.create(
            pemda=pemda,
            kelompok=group,
            nama=LEADER if i == 0 else MEMBER_NAMES[i],
            nik=NIKS[i],
            jenis_kelamin="P" if i % 2 else "L",
            peran=MemberRole.KETUA if i == 0 else MemberRole.ANGGOTA,
            telepon=PHONES[i],
        )
    applicant = make_user(Role.PEMOHON, pemda, **APPLICANT)
    facilitator = make_user(Role.PENDAMPING, pemda, **FACILITATOR)
    officer = make_user(Role.PETUGAS_IZIN, pemda, **OFFICER)
    application = services_workflow.application_create(
        actor=facilitator, pemda=pemda, jenis_kode="hkm", kelompok=group, pemohon=applicant
    )
    services_workflow.application_update(
        actor=facilitator,
        application=application,
        expected_version=application.version,
        data={"rencana_kerja": WORK_PLAN},
    )
    return Case(pemda, group, applicant, facilitator, officer, application)


def complete_and_submit(case: Case) -> None:
    """Fill every required field and document, then submit (facilitator)."""
    app = case.application
    services_workflow.application_update(
        actor=case.facilitator,
        application=app,
        expected_version=app.version,
        data={"kawasan": "HL Register 30"},
        luas_dinyatakan=Decimal("48.50"),
    )
    definition = services_workflow.definition_of(app)
    for doc in definition.required_documents(app.tahap):
        row = ApplicationDocument(
            pemda=case.pemda,
            permohonan=app,
            kode_dokumen=doc.kode,
            nama_berkas=f"{doc.kode}-Penandaberkas.pdf",
            sha256="0" * 64,
            ukuran=9,
        )
        row.berkas.save(f"{doc.kode}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        row.save()
    take(case, case.facilitator, "ajukan")


def take(case: Case, user: User, aksi: str, alasan: str = "") -> None:
    app = case.application
    app.refresh_from_db()
    services_workflow.transition(
        actor=user,
        application=app,
        expected_version=app.version,
        aksi=aksi,
        alasan=alasan,
        scope=scope_for(user, case.pemda),
    )


def backdate(case: Case, offsets: list[int], days_ago: int) -> list[datetime.datetime]:
    """Move the history into the past: event i happened `offsets[i]` days after a start `days_ago` ago."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    events = list(StageEvent.objects.filter(permohonan=case.application).order_by("pada", "id"))
    assert len(events) == len(offsets)
    moments = [start + datetime.timedelta(days=d) for d in offsets]
    for event, moment in zip(events, moments, strict=True):
        StageEvent.objects.filter(pk=event.pk).update(pada=moment)
    Application.objects.filter(pk=case.application.pk).update(
        tahap_sejak=moments[-1], diajukan_pada=moments[1] if len(moments) > 1 else None, dibuat=moments[0]
    )
    case.application.refresh_from_db()
    return moments


def in_technical_verification(case: Case) -> list[datetime.datetime]:
    """Submitted, returned for correction (with a reason naming a person), resubmitted, verified:
    now 20 days into the technical verification (14 allowed)."""
    complete_and_submit(case)
    take(case, case.officer, "minta_perbaikan", RETURN_REASON)
    take(case, case.facilitator, "ajukan_ulang")
    take(case, case.officer, "verifikasi")
    return backdate(case, [0, 5, 8, 10, 12], days_ago=32)


def page(client: Client, code: str) -> tuple[int, str]:
    response = client.get(reverse("permits:track", kwargs={"kode_lacak": code}))
    return response.status_code, response.content.decode()


def assert_no_personal_data(html: str) -> None:
    for marker in PERSONAL:
        assert marker not in html, marker
        assert escape(marker) not in html, marker


def local(moment: datetime.datetime) -> str:
    with override("id"):
        return str(date_filter(timezone.localtime(moment), "j F Y"))


@pytest.fixture
def case(make_user: Callable[..., Any]) -> Case:
    return tanggamus_case(make_user)


# --- the draft: what is missing ---------------------------------------------------------------------------


def test_draft_page_shows_stage_missing_items_and_free_notice_without_personal_data(case: Case) -> None:
    status, html = page(Client(), case.application.kode_lacak)
    assert status == 200
    assert "Penyusunan usulan bersama pendamping" in html
    assert "Kelompok dan pendamping melengkapi data kelompok" in html  # what happens at this stage
    assert "Draf" in html
    assert "Layanan ini gratis" in html
    assert escape(services_public.DEFAULT_BIAYA) in html
    assert "Persetujuan Pengelolaan Hutan Kemasyarakatan (HKm)" in html
    assert "Kabupaten Tanggamus" in html
    assert DESA in html
    missing = services_workflow.checklist(case.application).missing
    assert missing, "a fresh draft lacks documents"
    section = html.split('data-testid="kurang"', 1)[1].split("</ul>", 1)[0]
    for item in missing:
        assert escape(item.label) in section, item.label
    # Filled items are not listed as missing.
    assert escape("Ringkasan rencana kerja kelompok") not in section
    # The drafting stage has no service-level clock.
    assert "tanpa batas waktu layanan" in html
    # The complaint link carries the pemda and the code.
    assert reverse("permits:complaint_public", kwargs={"kode": "18.06"}) + "?kode_lacak=" in html
    assert_no_personal_data(html)
    # A search engine is told to keep away.
    assert 'name="robots" content="noindex' in html


def test_tracking_view_holds_only_plain_non_personal_values(case: Case) -> None:
    view = services_public.tracking_view(case.application.kode_lacak)
    assert view is not None
    assert_no_personal_data(repr(view))
    for value in vars(view).values():
        assert not hasattr(value, "_meta"), "no model instance may reach the template"
    assert view.desa == DESA
    assert view.gratis is True
    assert view.hari_diizinkan is None


# --- in process: dates and days ---------------------------------------------------------------------------


def test_overdue_stage_shows_days_used_against_allowed_and_dates_of_each_stage(case: Case) -> None:
    moments = in_technical_verification(case)
    status, html = page(Client(), case.application.kode_lacak)
    assert status == 200
    assert re.search(r'data-testid="tahap">Verifikasi teknis dan lapangan<', html)
    assert re.search(r'data-testid="status">Diproses<', html)
    days = html.split('data-testid="hari">', 1)[1].split("</dd>", 1)[0]
    assert "20 dari 14 hari" in days
    assert "Terlambat" in days
    for moment in moments:
        assert local(moment) in html
    for stage in ("Verifikasi administrasi", "Perbaikan oleh kelompok"):
        assert stage in html
    assert "Kembalikan untuk perbaikan" in html  # the action's label, not the officer's reason
    assert_no_personal_data(html)


def test_history_steps_and_days(case: Case) -> None:
    moments = in_technical_verification(case)
    view = services_public.tracking_view(case.application.kode_lacak)
    assert view is not None
    assert [s.tahap for s in view.riwayat] == [
        "Penyusunan usulan bersama pendamping",
        "Verifikasi administrasi",
        "Perbaikan oleh kelompok",
        "Verifikasi administrasi",
        "Verifikasi teknis dan lapangan",
    ]
    assert [s.hari for s in view.riwayat] == [5, 3, 2, 2, 20]
    assert [s.sekarang for s in view.riwayat] == [False, False, False, False, True]
    assert [s.aksi for s in view.riwayat] == [
        "Permohonan dibuat",
        "Ajukan usulan",
        "Kembalikan untuk perbaikan",
        "Ajukan ulang setelah perbaikan",
        "Berkas lengkap — lanjut ke verifikasi teknis",
    ]
    assert view.riwayat[0].mulai == moments[0] and view.riwayat[0].selesai == moments[1]
    assert (view.hari_terpakai, view.hari_diizinkan, view.terlambat) == (20, 14, True)
    assert view.kurang == () and view.checklist_tersedia
    assert view.diajukan_pada == moments[1]


def test_on_time_stage_is_not_marked_late(case: Case) -> None:
    complete_and_submit(case)
    backdate(case, [0, 5], days_ago=8)
    status, html = page(Client(), case.application.kode_lacak)
    assert status == 200
    days = html.split('data-testid="hari">', 1)[1].split("</dd>", 1)[0]
    assert "3 dari 5 hari" in days
    assert "Terlambat" not in days
    assert "Tidak ada yang kurang" in html


def test_decided_application_shows_the_decision_but_not_its_reason(case: Case) -> None:
    in_technical_verification(case)
    app = case.application
    services_workflow.schedule_field_verification(
        actor=case.officer,
        application=app,
        expected_version=app.version,
        tanggal=timezone.localdate(),
        scope=scope_for(case.officer, case.pemda),
    )
    take(case, case.officer, "verifikasi")
    take(case, case.officer, "rekomendasikan", "Rekomendasi untuk Penandakeputusan")
    take(case, case.officer, "setujui", DECISION_REASON)
    status, html = page(Client(), app.kode_lacak)
    assert status == 200
    assert re.search(r'data-testid="status">Disetujui<', html)
    assert 'data-testid="hari"' not in html  # no clock once decided
    assert 'data-testid="kurang"' not in html
    assert "Jadwal verifikasi lapangan" in html
    assert_no_personal_data(html)


# --- finding the code -------------------------------------------------------------------------------------


def test_code_is_read_case_insensitively_without_separators(case: Case) -> None:
    code = case.application.kode_lacak
    client = Client()
    for typed in (code.lower(), code.replace("-", ""), code.replace("-", " ").lower()):
        response = client.get(reverse("permits:track_form"), {"kode": typed}, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == reverse("permits:track", kwargs={"kode_lacak": code})
        assert code in response.content.decode()
    assert services_public.tracking_view(code.lower().replace("-", "")) is not None


def test_the_lookup_form_renders(db: Any) -> None:
    response = Client().get(reverse("permits:track_form"))
    assert response.status_code == 200
    assert 'name="kode"' in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        "HKM-2345-6789",
        "<script>alert(1)<script>",
        "x" * 500,
        "ÅÄÖ😀",
        "%00",
        "..",
        "HKM-' OR 1=1 --",
        "\u202eMKH",
    ],
)
def test_unknown_or_hostile_codes_get_a_friendly_404_with_the_form(case: Case, typed: str) -> None:
    status, html = page(Client(), typed)
    assert status == 404
    assert 'name="kode"' in html
    assert "tidak ditemukan" in html
    assert "<script>alert(1)" not in html
    assert_no_personal_data(html)


def test_a_code_with_a_slash_is_a_plain_404(db: Any) -> None:
    assert Client().get("/izin/lacak/%3Cscript%3E%2F%3C%2Fscript%3E/").status_code == 404


@pytest.mark.parametrize("typed", ["---", "😀", "x" * 100])
def test_lookup_form_refuses_junk_without_error(db: Any, typed: str) -> None:
    response = Client().get(reverse("permits:track_form"), {"kode": typed})
    assert response.status_code == 400
    assert 'name="kode"' in response.content.decode()


def test_an_existing_code_of_an_inactive_pemda_is_not_found(case: Case) -> None:
    Pemda.objects.filter(pk=case.pemda.pk).update(aktif=False)
    status, _html = page(Client(), case.application.kode_lacak)
    assert status == 404


def test_not_found_page_is_the_same_for_every_unknown_code(case: Case) -> None:
    """No hint whether a code exists in another form: two unknown codes give the same page, apart from the
    code itself."""
    code = case.application.kode_lacak
    near = code[:-1] + ("2" if code[-1] != "2" else "3")
    _s1, one = page(Client(), near)
    _s2, two = page(Client(), "NIB-2345-6789")
    strip = re.compile(
        r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"|'
        + re.escape(near)
        + "|NIB-2345-6789"
    )
    assert strip.sub("", one) == strip.sub("", two)


def test_tracking_page_query_count_is_bounded(
    case: Case, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    in_technical_verification(case)
    client = Client()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("permits:track", kwargs={"kode_lacak": case.application.kode_lacak}))
    assert response.status_code == 200


def test_a_logged_in_officer_sees_the_same_public_page(case: Case) -> None:
    client = Client()
    client.force_login(case.officer)
    status, html = page(client, case.application.kode_lacak)
    assert status == 200
    for marker in (*MEMBER_NAMES, *NIKS, *PHONES, GROUP_NAME, "Penandaakun", "Penandadata"):
        assert marker not in html
