import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from rencana.monitoring import selectors, services
from rencana.monitoring.models import Realization, Status
from rencana.monitoring.tests.conftest import Monev
from rencana.planning import services as plan_services
from rencana.planning.models import Indicator
from rencana.planning.services import NodeInput

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _entry(monev: Monev, node_id: int | None = None, triwulan: int = 2) -> str:
    return reverse(
        "monitoring:entry",
        kwargs={
            "kode": monev.plan.pemda.kode,
            "node_id": node_id or monev.plan.sub.pk,
            "tahun": 2026,
            "triwulan": triwulan,
        },
    )


def _other_line(monev: Monev) -> int:
    plan = monev.plan
    program = plan_services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=None,
        data=NodeInput(jenis="program", kode="X.XX.01", opd=plan.other_opd),
    )
    kegiatan = plan_services.node_create(
        actor=None, document=plan.rkpd, parent=program, data=NodeInput(jenis="kegiatan", kode="X.XX.01.2.01")
    )
    sub = plan_services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=kegiatan,
        data=NodeInput(jenis="sub_kegiatan", kode="X.XX.01.2.01.0001"),
    )
    return sub.pk


def test_operator_submits_and_verifier_verifies_through_the_pages(monev: Monev) -> None:
    indicator = Indicator.objects.get(node=monev.plan.sub)
    operator = _client(monev.operator)
    response = operator.post(
        _entry(monev),
        {
            "aksi": "ajukan",
            "anggaran": "150.000.000",
            f"nilai_{indicator.pk}": "1",
            "faktor_penghambat": "Lahan",
        },
    )
    assert response.status_code == 302
    realization = Realization.objects.get(node=monev.plan.sub)
    assert realization.status == Status.SUBMITTED and realization.anggaran == Decimal("150000000")
    verifier = _client(monev.verifier)
    queue = verifier.get(reverse("monitoring:queue", kwargs={"kode": monev.plan.pemda.kode}) + "?tahun=2026")
    assert monev.plan.sub.kode in queue.content.decode()
    verifier.post(_entry(monev), {"aksi": "verifikasi", "version": realization.version})
    realization.refresh_from_db()
    assert realization.status == Status.VERIFIED
    # The operator can no longer change it: the page shows it read-only and offers a revision.
    page = operator.get(_entry(monev)).content.decode()
    assert "Buat revisi" in page and 'name="anggaran"' not in page


def test_bad_numbers_keep_everything_and_say_why(monev: Monev) -> None:
    response = _client(monev.operator).post(_entry(monev), {"aksi": "simpan", "anggaran": "5.319.05"})
    assert response.status_code == 400
    assert "ambigu" in response.content.decode()
    assert not Realization.objects.exists()


def test_an_operator_cannot_read_or_write_another_opds_entries(monev: Monev) -> None:
    other_line = _other_line(monev)
    operator = _client(monev.operator)
    assert operator.get(_entry(monev, other_line)).status_code == 404
    assert operator.post(_entry(monev, other_line), {"aksi": "simpan", "anggaran": "1"}).status_code == 404
    other_opd_page = reverse(
        "monitoring:opd", kwargs={"kode": monev.plan.pemda.kode, "opd_id": monev.plan.other_opd.pk}
    )
    assert operator.get(other_opd_page).status_code == 404
    # A verifier reads every OPD but cannot enter figures for one.
    verifier = _client(monev.verifier)
    assert verifier.get(_entry(monev, other_line)).status_code == 200
    assert verifier.post(_entry(monev, other_line), {"aksi": "simpan", "anggaran": "1"}).status_code == 403
    assert not Realization.objects.exists()


def test_an_operator_cannot_verify_its_own_entry(monev: Monev) -> None:
    indicator = Indicator.objects.get(node=monev.plan.sub)
    realization = services.realization_save(
        actor=monev.operator,
        node=monev.plan.sub,
        tahun=2026,
        triwulan=2,
        expected_version=None,
        anggaran=Decimal(1),
        values={indicator.pk: Decimal(1)},
    )
    services.realization_submit(
        actor=monev.operator, realization=realization, expected_version=realization.version
    )
    response = _client(monev.operator).post(
        _entry(monev), {"aksi": "verifikasi", "version": realization.version}
    )
    assert response.status_code == 403
    realization.refresh_from_db()
    assert realization.status == Status.SUBMITTED


def test_evidence_is_downloaded_only_by_who_may_read_it(monev: Monev) -> None:
    other_line = _other_line(monev)
    from rencana.planning.models import PlanNode

    node = PlanNode.objects.get(pk=other_line)
    realization = services.realization_save(
        actor=None, node=node, tahun=2026, triwulan=1, expected_version=None, anggaran=None, values={}
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence = services.evidence_add(
        actor=None, realization=realization, upload=SimpleUploadedFile("b.pdf", b"%PDF-1 x")
    )
    url = reverse("monitoring:evidence", kwargs={"kode": monev.plan.pemda.kode, "evidence_id": evidence.pk})
    assert _client(monev.operator).get(url).status_code == 404
    response = _client(monev.other_operator).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1 x"  # type: ignore[attr-defined]


def test_late_opds_after_the_deadline(monev: Monev) -> None:
    rkpd = monev.plan.rkpd
    before = selectors.late_opds(rkpd, 2026, 1, datetime.date(2026, 4, 1))
    after = selectors.late_opds(rkpd, 2026, 1, datetime.date(2026, 4, 11))
    assert before == [] and [s.opd for s in after] == [monev.plan.opd]
    page = _client(monev.verifier).get(
        reverse("monitoring:late", kwargs={"kode": monev.plan.pemda.kode}) + "?tahun=2026&tw=1"
    )
    assert page.status_code == 200


def test_home_lists_each_opds_progress(monev: Monev) -> None:
    page = _client(monev.verifier).get(
        reverse("monitoring:home", kwargs={"kode": monev.plan.pemda.kode}) + "?tahun=2026&tw=2"
    )
    assert monev.plan.opd.nama in page.content.decode()
    operator_page = _client(monev.other_operator).get(
        reverse("monitoring:home", kwargs={"kode": monev.plan.pemda.kode}) + "?tahun=2026&tw=2"
    )
    assert monev.plan.opd.nama not in operator_page.content.decode()
