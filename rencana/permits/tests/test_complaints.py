"""Complaint services: anonymous complaints, linking to an application of the same pemda, cleaning and limits,
the per-session rate limit, and the Inspektorat's audited follow-up with stale edits refused."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from rencana.conftest import make_pemda
from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.permits import services_public as sp
from rencana.permits.models import Complaint, ComplaintStatus
from rencana.permits.tests.test_public_tracking import Case, tanggamus_case

STORY = "Oknum meminta Rp 2.000.000 agar izin HKm cepat keluar."


@pytest.fixture
def case(make_user: Callable[..., Any]) -> Case:
    return tanggamus_case(make_user, members=3)


def test_anonymous_complaint_is_stored_new_and_audited_as_public(case: Case) -> None:
    complaint = sp.complaint_create(pemda=case.pemda, isi=STORY)
    assert complaint.status == ComplaintStatus.BARU
    assert (complaint.nama, complaint.kontak, complaint.permohonan) == ("", "", None)
    event = AuditEvent.objects.get(object_type="permits.complaint", object_id=str(complaint.pk))
    assert event.actor is None and event.actor_label == "publik"
    assert event.pemda_id == case.pemda.pk and event.action == "create"
    assert event.after is not None and event.after["anonim"] is True


def test_reporter_identity_is_kept_but_not_written_to_the_audit_log(case: Case) -> None:
    complaint = sp.complaint_create(
        pemda=case.pemda, isi=STORY, nama="Pelapor Rahasia", kontak="081211112222"
    )
    assert (complaint.nama, complaint.kontak) == ("Pelapor Rahasia", "081211112222")
    event = AuditEvent.objects.get(object_type="permits.complaint", object_id=str(complaint.pk))
    assert "Pelapor Rahasia" not in str(event.after) and "081211112222" not in str(event.after)
    assert event.after is not None and event.after["anonim"] is False


def test_a_typed_code_links_the_application_of_that_pemda(case: Case) -> None:
    code = case.application.kode_lacak
    complaint = sp.complaint_create(
        pemda=case.pemda, isi=STORY, kode_lacak=f"  {code.lower().replace('-', ' ')} "
    )
    assert complaint.permohonan_id == case.application.pk
    assert complaint.kode_lacak == code


def test_a_code_of_another_pemda_is_kept_as_typed_but_not_linked(case: Case) -> None:
    other = make_pemda("35.75", "Kota Pasuruan", "kota")
    code = case.application.kode_lacak
    complaint = sp.complaint_create(pemda=other, isi=STORY, kode_lacak=code)
    assert complaint.permohonan is None
    assert complaint.kode_lacak == code.replace("-", "")


def test_an_unknown_code_is_kept_normalised(case: Case) -> None:
    complaint = sp.complaint_create(pemda=case.pemda, isi=STORY, kode_lacak="hkm-zzzz-zzzz")
    assert complaint.permohonan is None and complaint.kode_lacak == "HKMZZZZZZZZ"


def test_text_is_cleaned_of_control_characters(case: Case) -> None:
    complaint = sp.complaint_create(
        pemda=case.pemda,
        isi="Diminta\x07 uang\u202e\r\nRp 500.000\x1b oleh oknum.",
        nama="  Budi\n\tPelapor\x0b ",
        kontak="0812\x00 1111",
    )
    assert complaint.isi == "Diminta uang\nRp 500.000 oleh oknum."
    assert complaint.nama == "Budi Pelapor"
    assert complaint.kontak == "0812 1111"


@pytest.mark.parametrize(
    ("fields", "kolom"),
    [
        ({"isi": "uang"}, "isi"),
        ({"isi": "   \x07\x07\x07\x07\x07\x07\x07\x07\x07\x07\x07   "}, "isi"),
        ({"isi": "x" * (sp.ISI_MAX + 1)}, "isi"),
        ({"isi": STORY, "nama": "n" * (sp.NAMA_MAX + 1)}, "nama"),
        ({"isi": STORY, "kontak": "k" * (sp.KONTAK_MAX + 1)}, "kontak"),
        ({"isi": STORY, "kode_lacak": "K" * (sp.MAX_CODE_INPUT + 1)}, "kode_lacak"),
    ],
)
def test_invalid_complaints_are_refused_and_nothing_is_stored(
    case: Case, fields: dict[str, Any], kolom: str
) -> None:
    with pytest.raises(ApplicationError) as info:
        sp.complaint_create(pemda=case.pemda, **fields)
    assert info.value.status == 400
    assert kolom in {e["kolom"] for e in info.value.errors}
    assert not Complaint.objects.exists()


def test_rate_limit_per_session_per_hour(case: Case, settings: Any) -> None:
    settings.RENCANA_COMPLAINTS_PER_HOUR = 3
    session: dict[str, Any] = {}
    start = timezone.now()
    for minute in range(3):
        sp.complaint_create(
            pemda=case.pemda, isi=STORY, session=session, now=start + datetime.timedelta(minutes=minute)
        )
    assert sp.complaint_quota_left(session, now=start + datetime.timedelta(minutes=3)) == 0
    with pytest.raises(sp.TooManyComplaintsError) as info:
        sp.complaint_create(
            pemda=case.pemda, isi=STORY, session=session, now=start + datetime.timedelta(minutes=4)
        )
    assert info.value.status == 429
    assert Complaint.objects.count() == 3
    # Another browser session is not affected; an hour later this one may send again.
    sp.complaint_create(pemda=case.pemda, isi=STORY, session={}, now=start + datetime.timedelta(minutes=4))
    sp.complaint_create(
        pemda=case.pemda, isi=STORY, session=session, now=start + datetime.timedelta(minutes=61)
    )
    assert Complaint.objects.count() == 5


def test_a_tampered_session_value_does_not_break_the_limit(case: Case) -> None:
    session: dict[str, Any] = {sp.SESSION_KEY: "junk"}
    sp.complaint_create(pemda=case.pemda, isi=STORY, session=session)
    assert isinstance(session[sp.SESSION_KEY], list) and len(session[sp.SESSION_KEY]) == 1


# --- the Inspektorat's follow-up --------------------------------------------------------------------------


def test_follow_up_is_saved_and_audited(case: Case, make_user: Callable[..., Any]) -> None:
    inspector = make_user(Role.INSPEKTORAT, case.pemda)
    complaint = sp.complaint_create(pemda=case.pemda, isi=STORY)
    version = sp.complaint_fingerprint(complaint)
    sp.complaint_update(
        actor=inspector,
        complaint=complaint,
        status=ComplaintStatus.DITINDAKLANJUTI,
        tindak_lanjut="Klarifikasi ke kepala pekon\x07 dijadwalkan.",
        expected_version=version,
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.DITINDAKLANJUTI
    assert complaint.tindak_lanjut == "Klarifikasi ke kepala pekon dijadwalkan."
    event = AuditEvent.objects.filter(
        object_type="permits.complaint", object_id=str(complaint.pk), action="update"
    ).get()
    assert event.actor == inspector
    assert event.before is not None and event.after is not None
    assert event.before["status"] == "baru" and event.after["status"] == "ditindaklanjuti"


def test_a_stale_follow_up_is_refused_and_changes_nothing(case: Case, make_user: Callable[..., Any]) -> None:
    inspector = make_user(Role.INSPEKTORAT, case.pemda)
    complaint = sp.complaint_create(pemda=case.pemda, isi=STORY)
    stale = sp.complaint_fingerprint(complaint)
    sp.complaint_update(
        actor=inspector,
        complaint=complaint,
        status="ditindaklanjuti",
        tindak_lanjut="A",
        expected_version=stale,
    )
    with pytest.raises(ConflictError) as info:
        sp.complaint_update(
            actor=inspector, complaint=complaint, status="selesai", tindak_lanjut="B", expected_version=stale
        )
    assert info.value.status == 409
    complaint.refresh_from_db()
    assert (complaint.status, complaint.tindak_lanjut) == ("ditindaklanjuti", "A")
    assert (
        AuditEvent.objects.filter(
            object_type="permits.complaint", object_id=str(complaint.pk), action="update"
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("status", "tindak_lanjut", "kolom"),
    [
        ("hilang", "x", "status"),
        ("selesai", "", "tindak_lanjut"),
        ("ditindaklanjuti", "   ", "tindak_lanjut"),
        ("selesai", "x" * (sp.TINDAK_LANJUT_MAX + 1), "tindak_lanjut"),
    ],
)
def test_invalid_follow_up_is_refused(
    case: Case, make_user: Callable[..., Any], status: str, tindak_lanjut: str, kolom: str
) -> None:
    complaint = sp.complaint_create(pemda=case.pemda, isi=STORY)
    with pytest.raises(ApplicationError) as info:
        sp.complaint_update(
            actor=make_user(Role.INSPEKTORAT, case.pemda),
            complaint=complaint,
            status=status,
            tindak_lanjut=tindak_lanjut,
            expected_version=sp.complaint_fingerprint(complaint),
        )
    assert info.value.status == 400
    assert kolom in {e["kolom"] for e in info.value.errors}
    complaint.refresh_from_db()
    assert complaint.status == "baru"


def test_an_unchanged_follow_up_writes_no_audit_event(case: Case, make_user: Callable[..., Any]) -> None:
    complaint = sp.complaint_create(pemda=case.pemda, isi=STORY)
    sp.complaint_update(
        actor=make_user(Role.INSPEKTORAT, case.pemda), complaint=complaint, status="baru", tindak_lanjut=""
    )
    assert not AuditEvent.objects.filter(
        object_type="permits.complaint", object_id=str(complaint.pk), action="update"
    ).exists()


def test_selectors_keep_to_the_pemda_and_filter_by_status(case: Case) -> None:
    other = make_pemda("35.75", "Kota Pasuruan", "kota")
    mine = sp.complaint_create(pemda=case.pemda, isi=STORY)
    theirs = sp.complaint_create(pemda=other, isi=STORY)
    assert list(sp.complaints_of(case.pemda)) == [mine]
    assert list(sp.complaints_of(case.pemda, status="selesai")) == []
    assert list(sp.complaints_of(case.pemda, status="junk")) == [mine]
    assert sp.complaint_get(case.pemda, mine.pk) == mine
    with pytest.raises(ApplicationError) as info:
        sp.complaint_get(case.pemda, theirs.pk)
    assert info.value.status == 404
