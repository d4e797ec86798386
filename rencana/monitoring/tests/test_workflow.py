from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.models import AuditEvent
from rencana.monitoring import services
from rencana.monitoring.models import Realization, RealizationValue, Status
from rencana.monitoring.tests.conftest import Monev
from rencana.planning.models import Indicator

pytestmark = pytest.mark.django_db


def _save(monev: Monev, **extra: object) -> Realization:
    plan = monev.plan
    indicator = Indicator.objects.get(node=plan.sub)
    values: dict[str, object] = {
        "anggaran": Decimal("100000000"),
        "values": {indicator.pk: Decimal(1)},
        "expected_version": None,
    }
    values.update(extra)
    return services.realization_save(
        actor=monev.operator,
        node=plan.sub,
        tahun=2026,
        triwulan=2,
        **values,  # type: ignore[arg-type]
    )


def test_the_whole_workflow_with_a_return_and_a_revision(monev: Monev) -> None:
    realization = _save(monev)
    assert realization.status == Status.DRAFT and realization.opd_id == monev.plan.opd.pk
    services.realization_submit(
        actor=monev.operator, realization=realization, expected_version=realization.version
    )
    with pytest.raises(ConflictError):
        _save(monev, anggaran=Decimal(5))
    with pytest.raises(ApplicationError):
        services.realization_return(
            actor=monev.verifier, realization=realization, expected_version=realization.version, alasan=" "
        )
    services.realization_return(
        actor=monev.verifier,
        realization=realization,
        expected_version=realization.version,
        alasan="Bukti kurang",
    )
    assert realization.status == Status.RETURNED
    realization = _save(monev, anggaran=Decimal("120000000"), expected_version=realization.version)
    services.realization_submit(
        actor=monev.operator, realization=realization, expected_version=realization.version
    )
    services.realization_verify(
        actor=monev.verifier, realization=realization, expected_version=realization.version
    )
    assert realization.status == Status.VERIFIED and realization.diverifikasi_oleh == monev.verifier
    with pytest.raises(ConflictError) as locked:
        _save(monev, anggaran=Decimal(1))
    assert locked.value.code == "realisasi_terkunci"
    revision = services.realization_revise(actor=monev.operator, realization=realization)
    assert (revision.revisi_ke, revision.status, revision.anggaran) == (
        1,
        Status.DRAFT,
        Decimal("120000000.00"),
    )
    assert RealizationValue.objects.filter(realisasi=revision).count() == 1
    corrected = _save(monev, anggaran=Decimal("110000000"), expected_version=revision.version)
    assert corrected.pk == revision.pk
    realization.refresh_from_db()
    assert realization.anggaran == Decimal("120000000.00") and realization.status == Status.VERIFIED
    actions = list(
        AuditEvent.objects.filter(object_type="monitoring.realization").values_list("action", flat=True)
    )
    assert {"create", "submit", "return", "update", "verify", "revise"} <= set(actions)


def test_illegal_transitions_are_refused(monev: Monev) -> None:
    realization = _save(monev)
    with pytest.raises(ConflictError):
        services.realization_verify(
            actor=monev.verifier, realization=realization, expected_version=realization.version
        )
    with pytest.raises(ConflictError):
        services.realization_revise(actor=monev.operator, realization=realization)


def test_submission_needs_budget_and_every_indicator(monev: Monev) -> None:
    realization = _save(monev, anggaran=None, values={})
    with pytest.raises(ApplicationError) as caught:
        services.realization_submit(
            actor=monev.operator, realization=realization, expected_version=realization.version
        )
    columns = [e["kolom"] for e in caught.value.errors]
    assert "anggaran" in columns and any(c.startswith("nilai_") for c in columns)


def test_budget_over_the_year_pagu_is_refused(monev: Monev) -> None:
    _save(monev, anggaran=Decimal("700000000"))
    indicator = Indicator.objects.get(node=monev.plan.sub)
    with pytest.raises(ApplicationError) as caught:
        services.realization_save(
            actor=monev.operator,
            node=monev.plan.sub,
            tahun=2026,
            triwulan=3,
            expected_version=None,
            anggaran=Decimal("100000000"),
            values={indicator.pk: Decimal(1)},
        )
    assert "melebihi pagu" in caught.value.message


def test_stale_edit_is_refused(monev: Monev) -> None:
    realization = _save(monev)
    stale = realization.version
    _save(monev, anggaran=Decimal(2), expected_version=stale)
    with pytest.raises(ConflictError):
        _save(monev, anggaran=Decimal(3), expected_version=stale)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bukti.pdf", b"%PDF-1.4 isi", None),
        ("foto.jpg", b"\xff\xd8\xff\xe0 isi", None),
        ("foto.png", b"\x89PNG\r\n\x1a\n isi", None),
        ("bukti.pdf", b"MZ\x90\x00 program", "PDF, JPG atau PNG"),
        ("foto.png", b"%PDF-1.4 isi", "akhiran"),
        ("kosong.pdf", b"", "kosong"),
    ],
)
def test_evidence_type_is_read_from_the_content(
    monev: Monev, name: str, data: bytes, message: str | None
) -> None:
    realization = _save(monev)
    upload = SimpleUploadedFile(name, data)
    if message is None:
        evidence = services.evidence_add(actor=monev.operator, realization=realization, upload=upload)
        assert evidence.nama_asli == name and str(evidence.berkas.name).endswith(evidence.ekstensi)
        assert "/" not in evidence.nama_asli
    else:
        with pytest.raises(ApplicationError) as caught:
            services.evidence_add(actor=monev.operator, realization=realization, upload=upload)
        assert message in caught.value.message


def test_large_evidence_is_refused(monev: Monev) -> None:
    realization = _save(monev)
    upload = SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * (services.MAX_EVIDENCE_BYTES + 1))
    with pytest.raises(ApplicationError, match="5 MB"):
        services.evidence_add(actor=monev.operator, realization=realization, upload=upload)


def test_default_deadlines_and_override(monev: Monev) -> None:
    assert str(services.default_deadline(2026, 1)) == "2026-04-10"
    assert str(services.default_deadline(2026, 4)) == "2027-01-10"
    import datetime

    services.deadline_set(
        actor=None, pemda=monev.plan.pemda, tahun=2026, triwulan=2, batas=datetime.date(2026, 7, 15)
    )
    assert str(services.quarter_deadline(monev.plan.pemda, 2026, 2)) == "2026-07-15"
