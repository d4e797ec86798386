"""Services of PUG readiness: prerequisites and evidence, PPE, roadmap targets, Pokja; validation, audit,
optimistic locking."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.models import AuditEvent
from rencana.gender import ppe
from rencana.gender import services_readiness as services
from rencana.gender.models import (
    PokjaMember,
    PpeAssessment,
    Prerequisite,
    PrerequisiteCode,
    PrerequisiteEvidence,
    RoadmapTarget,
)
from rencana.regions.models import Opd, Pemda

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% bukti\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _audits(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def _before(event: AuditEvent) -> dict[str, Any]:
    return dict(event.before or {})


def _after(event: AuditEvent) -> dict[str, Any]:
    return dict(event.after or {})


# --- prerequisites ------------------------------------------------------------------------------------


def test_seven_prerequisites_are_created_once_in_order(pemda_a: Pemda) -> None:
    first = services.prerequisites_for(pemda_a)
    assert [p.kode for p in first] == list(PrerequisiteCode.values)
    assert all(p.status == "belum" for p in first)
    again = services.prerequisites_for(pemda_a)
    assert [p.pk for p in again] == [p.pk for p in first]
    assert Prerequisite.objects.filter(pemda=pemda_a).count() == 7
    progress = services.readiness_progress(pemda_a)
    assert (progress.terpenuhi, progress.sebagian, progress.belum, progress.jumlah) == (0, 0, 7, 7)


def test_progress_counts_missing_rows_as_belum(pemda_b: Pemda) -> None:
    progress = services.readiness_progress(pemda_b)
    assert (progress.terpenuhi, progress.belum) == (0, 7)


def test_prerequisite_update_is_versioned_and_audited(pemda_a: Pemda, make_user) -> None:
    actor = make_user()
    prereq = services.prerequisites_for(pemda_a)[2]
    version = prereq.version
    services.prerequisite_update(
        actor=actor, prereq=prereq, expected_version=version, status="terpenuhi", catatan="SK Pokja 2025"
    )
    prereq.refresh_from_db()
    assert (prereq.status, prereq.catatan, prereq.version) == ("terpenuhi", "SK Pokja 2025", version + 1)
    event = _audits("prerequisite_update")[-1]
    assert event.pemda_id == pemda_a.pk
    assert event.before == {"status": "belum", "catatan": ""}
    assert event.after == {"status": "terpenuhi", "catatan": "SK Pokja 2025"}
    with pytest.raises(ConflictError):
        services.prerequisite_update(
            actor=actor, prereq=prereq, expected_version=version, status="belum", catatan=""
        )
    with pytest.raises(ApplicationError):
        services.prerequisite_update(
            actor=actor, prereq=prereq, expected_version=prereq.version, status="selesai", catatan=""
        )
    assert services.readiness_progress(pemda_a).terpenuhi == 1


def test_prerequisite_set_by_code(pemda_a: Pemda) -> None:
    services.prerequisite_set(actor=None, pemda=pemda_a, kode="kelembagaan", status="sebagian", catatan="x")
    services.prerequisite_set(actor=None, pemda=pemda_a, kode="kelembagaan", status="terpenuhi")
    assert Prerequisite.objects.get(pemda=pemda_a, kode="kelembagaan").status == "terpenuhi"
    with pytest.raises(ApplicationError):
        services.prerequisite_set(actor=None, pemda=pemda_a, kode="lain", status="terpenuhi")


def test_evidence_file_is_checked_by_magic_bytes(pemda_a: Pemda) -> None:
    prereq = services.prerequisites_for(pemda_a)[0]
    evidence = services.evidence_add(
        actor=None, prereq=prereq, judul="Perda 16/2013", upload=SimpleUploadedFile("perda.pdf", PDF)
    )
    assert evidence.nama_berkas == "perda.pdf"
    stored = evidence.berkas.name or ""
    assert stored.startswith("pug/") and stored.endswith(".pdf")
    assert len(stored.split("/")[-1].split("_")[0]) >= 64  # stored under its SHA-256
    assert services.evidence_content_type(evidence) == "application/pdf"
    image = services.evidence_add(
        actor=None, prereq=prereq, judul="Foto", upload=SimpleUploadedFile("a.png", PNG)
    )
    assert services.evidence_content_type(image) == "image/png"
    refused = [
        SimpleUploadedFile("bukan.pdf", b"<html><script>alert(1)</script>"),  # HTML named .pdf
        SimpleUploadedFile("perda.png", PDF),  # a PDF named .png
        SimpleUploadedFile("kosong.pdf", b""),
        SimpleUploadedFile("besar.pdf", PDF + b"0" * (5 * 1024 * 1024)),
        SimpleUploadedFile("a.exe", b"MZ\x90\x00"),
    ]
    for upload in refused:
        with pytest.raises(ApplicationError) as info:
            services.evidence_add(actor=None, prereq=prereq, judul="x", upload=upload)
        assert info.value.errors[0]["kolom"] == "berkas"
    assert PrerequisiteEvidence.objects.filter(prasyarat=prereq).count() == 2
    assert len(_audits("prerequisite_evidence_add")) == 2


def test_evidence_reference_without_file_and_removal(pemda_a: Pemda) -> None:
    prereq = services.prerequisites_for(pemda_a)[1]
    with pytest.raises(ApplicationError):
        services.evidence_add(actor=None, prereq=prereq, judul="Perbup", tautan="  ")
    with pytest.raises(ApplicationError):
        services.evidence_add(actor=None, prereq=prereq, judul="  ", tautan="Perbup 24/2016")
    evidence = services.evidence_add(actor=None, prereq=prereq, judul="Perbup", tautan="Perbup 24/2016")
    assert not evidence.berkas and evidence.tautan == "Perbup 24/2016"
    services.evidence_remove(actor=None, evidence=evidence)
    assert not PrerequisiteEvidence.objects.filter(pk=evidence.pk).exists()
    assert _before(_audits("prerequisite_evidence_remove")[-1])["judul"] == "Perbup"


# --- PPE -------------------------------------------------------------------------------------------------


def test_ppe_start_snapshots_the_default_then_the_latest_config(pemda_a: Pemda) -> None:
    first = services.ppe_start(actor=None, pemda=pemda_a, tahun=2025)
    assert first.kriteria == ppe.default_config_json()
    with pytest.raises(ConflictError):
        services.ppe_start(actor=None, pemda=pemda_a, tahun=2025)
    for bad in (1999, 2101):
        with pytest.raises(ApplicationError):
            services.ppe_start(actor=None, pemda=pemda_a, tahun=bad)
    criteria = [ppe.Criterion("A", "komitmen", "Ada Perda?", 2), ppe.Criterion("B", "hasil", "IKG turun?", 4)]
    bands = [ppe.Band(Decimal(0), Decimal(50), "Pratama"), ppe.Band(Decimal(50), Decimal(100), "Madya")]
    services.ppe_criteria_set(
        actor=None, assessment=first, expected_version=first.version, criteria=criteria, bands=bands
    )
    second = services.ppe_start(actor=None, pemda=pemda_a, tahun=2026)
    assert ppe.config_from_json(second.kriteria) == (criteria, bands)
    assert len(_audits("ppe_start")) == 2


def test_ppe_answer_validates_scores_and_audits(pemda_a: Pemda) -> None:
    assessment = services.ppe_start(actor=None, pemda=pemda_a, tahun=2025)
    with pytest.raises(ApplicationError) as info:
        services.ppe_answer(
            actor=None,
            assessment=assessment,
            expected_version=assessment.version,
            answers={"KOM1": 3, "X": 1},
        )
    assert {e["kolom"] for e in info.value.errors} == {"k_KOM1", "k_X"}
    services.ppe_answer(
        actor=None,
        assessment=assessment,
        expected_version=assessment.version,
        answers={"KOM1": 2, "KOM2": "1", "KOM3": None},
    )
    assessment.refresh_from_db()
    assert assessment.jawaban == {"KOM1": 2, "KOM2": 1}
    result = services.ppe_score(assessment)
    assert result.total == 3 and result.maximum == 56
    event = _audits("ppe_answer")[-1]
    assert event.before == {"jawaban": {}} and event.after == {"jawaban": {"KOM1": 2, "KOM2": 1}}
    with pytest.raises(ConflictError):
        services.ppe_answer(actor=None, assessment=assessment, expected_version=0, answers={})


def test_ppe_criteria_change_drops_answers_that_no_longer_fit(pemda_a: Pemda) -> None:
    assessment = services.ppe_start(actor=None, pemda=pemda_a, tahun=2025)
    services.ppe_answer(
        actor=None, assessment=assessment, expected_version=assessment.version, answers={"KOM1": 2, "KOM2": 2}
    )
    criteria = [ppe.Criterion("KOM1", "komitmen", "?", 1), ppe.Criterion("BARU", "hasil", "?", 2)]
    with pytest.raises(ApplicationError) as info:
        services.ppe_criteria_set(
            actor=None,
            assessment=assessment,
            expected_version=assessment.version,
            criteria=criteria,
            bands=[ppe.Band(Decimal(0), Decimal(90), "A")],
        )
    assert any("100" in e["pesan"] for e in info.value.errors)
    services.ppe_criteria_set(
        actor=None,
        assessment=assessment,
        expected_version=assessment.version,
        criteria=criteria,
        bands=list(ppe.DEFAULT_BANDS),
    )
    assessment.refresh_from_db()
    assert assessment.jawaban == {}
    assert _before(_audits("ppe_criteria_set")[-1])["jawaban"] == {"KOM1": 2, "KOM2": 2}


def test_unreadable_snapshot_is_an_application_error(pemda_a: Pemda) -> None:
    assessment = PpeAssessment.objects.create(pemda=pemda_a, tahun=2024, kriteria={"rusak": True})
    with pytest.raises(ApplicationError):
        services.ppe_score(assessment)


# --- roadmap -----------------------------------------------------------------------------------------------


def test_roadmap_set_is_all_or_nothing_with_errors_per_year(pemda_a: Pemda) -> None:
    with pytest.raises(ApplicationError) as info:
        services.roadmap_set(
            actor=None,
            pemda=pemda_a,
            indeks="IKG",
            targets={
                "2025": "0,530",
                "2026": "45",
                "2027": "abc",
                "1999": "0,5",
                "20x8": "0,4",
                2029: "5.319",
            },
        )
    errors = {e["kolom"]: e["pesan"] for e in info.value.errors}
    assert set(errors) == {"target_2026", "target_2027", "target_1999", "target_20x8", "target_2029"}
    assert "antara 0 dan 1" in errors["target_2026"]
    assert "ambigu" in errors["target_2029"]
    assert not RoadmapTarget.objects.filter(pemda=pemda_a).exists()
    assert not _audits("roadmap_set")


def test_roadmap_set_creates_updates_and_removes(pemda_a: Pemda, pemda_b: Pemda) -> None:
    result = services.roadmap_set(
        actor=None, pemda=pemda_a, indeks="IPM", targets={"2025": "71,20", 2029: Decimal("75.37"), "2026": ""}
    )
    assert result == {2025: Decimal("71.20"), 2029: Decimal("75.37")}
    services.roadmap_set(actor=None, pemda=pemda_a, indeks="IPM", targets={"2025": "71,5", "2029": ""})
    assert services.roadmap_targets(pemda_a) == {"IPM": {2025: Decimal("71.5")}}
    assert services.roadmap_targets(pemda_b) == {}
    events = _audits("roadmap_set")
    assert len(events) == 2
    assert events[1].before == {"2025": "71.2000", "2029": "75.3700"}
    assert events[1].after == {"2025": "71.5000"}
    for bad_index in ("HDI", ""):
        with pytest.raises(ApplicationError):
            services.roadmap_set(actor=None, pemda=pemda_a, indeks=bad_index, targets={})
    with pytest.raises(ApplicationError):
        services.roadmap_set(actor=None, pemda=pemda_a, indeks="IPM", targets={"2025": "101"})


# --- Pokja -------------------------------------------------------------------------------------------------


def test_pokja_members_and_meetings(pemda_a: Pemda, pemda_b: Pemda) -> None:
    opd = Opd.objects.filter(pemda=pemda_a).first()
    other_opd = Opd.objects.filter(pemda=pemda_b).first()
    ketua = services.pokja_member_add(
        actor=None, pemda=pemda_a, nama="Sekda Kotabaru", jabatan="Sekretaris Daerah", peran="ketua"
    )
    driver = services.pokja_member_add(
        actor=None, pemda=pemda_a, nama="Kepala Bapperida", opd=opd, peran="tim_teknis"
    )
    with pytest.raises(ApplicationError):
        services.pokja_member_add(actor=None, pemda=pemda_a, nama="X", opd=other_opd)
    with pytest.raises(ApplicationError):
        services.pokja_member_add(actor=None, pemda=pemda_a, nama="  ")
    with pytest.raises(ApplicationError):
        services.pokja_member_add(actor=None, pemda=pemda_a, nama="X", peran="bos")
    outsider = services.pokja_member_add(actor=None, pemda=pemda_b, nama="Orang Pasuruan")
    meeting = services.pokja_meeting_add(
        actor=None,
        pemda=pemda_a,
        tanggal=datetime.date(2025, 3, 10),
        agenda="Reaktivasi Pokja PUG",
        notulen="Pokja diaktifkan kembali.",
        peserta=[ketua, driver],
    )
    assert set(meeting.peserta.all()) == {ketua, driver}
    with pytest.raises(ApplicationError):
        services.pokja_meeting_add(
            actor=None, pemda=pemda_a, tanggal=datetime.date(2025, 3, 11), agenda="x", peserta=[outsider]
        )
    with pytest.raises(ApplicationError):
        services.pokja_meeting_add(actor=None, pemda=pemda_a, tanggal=datetime.date(2025, 3, 11), agenda=" ")
    services.pokja_meeting_update(
        actor=None,
        meeting=meeting,
        tanggal=datetime.date(2025, 3, 12),
        agenda="Reaktivasi Pokja PUG",
        notulen="Disepakati RAD PUG.",
        peserta=[ketua],
    )
    services.pokja_member_update(
        actor=None, member=driver, nama="Kepala Bapperida", jabatan="Kepala", opd=opd, peran="tim_teknis"
    )
    services.pokja_member_deactivate(actor=None, member=driver)
    services.pokja_member_deactivate(actor=None, member=driver)  # idempotent, one audit
    assert not PokjaMember.objects.get(pk=driver.pk).aktif
    assert len(_audits("pokja_member_add")) == 3
    assert len(_audits("pokja_member_deactivate")) == 1
    update = _audits("pokja_meeting_update")[-1]
    assert _before(update)["peserta"] == sorted([ketua.pk, driver.pk])
    assert _after(update)["peserta"] == [ketua.pk]
    assert _after(update)["notulen"] == "Disepakati RAD PUG."
    assert _after(_audits("pokja_member_update")[-1])["jabatan"] == "Kepala"
