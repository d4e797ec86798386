"""Evaluation pages: totals from verified realizations, the provisional toggle, OPD scoping, drill-down,
the public summary, and a query count that does not grow with the number of sub-kegiatan."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rencana.monitoring import services
from rencana.monitoring.models import Realization
from rencana.monitoring.tests.conftest import Monev
from rencana.planning.models import Indicator, IndicatorTarget, NodeBudget, PlanNode
from rencana.regions.models import Opd, Pemda

pytestmark = pytest.mark.django_db

TAHUN = 2026


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _target(indicator: Indicator, nilai: str) -> None:
    IndicatorTarget.objects.update_or_create(
        indikator=indicator, tahun=TAHUN, defaults={"pemda_id": indicator.pemda_id, "nilai": Decimal(nilai)}
    )


def _report(
    node: PlanNode,
    triwulan: int,
    values: dict[int, str],
    anggaran: str,
    *,
    actor: User,
    verifier: User | None = None,
    submit: bool = True,
    faktor: str = "",
) -> Realization:
    realization = services.realization_save(
        actor=actor,
        node=node,
        tahun=TAHUN,
        triwulan=triwulan,
        expected_version=None,
        anggaran=Decimal(anggaran),
        values={k: Decimal(v) for k, v in values.items()},
        faktor_penghambat=faktor,
    )
    if submit:
        realization = services.realization_submit(
            actor=actor, realization=realization, expected_version=realization.version
        )
    if verifier is not None:
        realization = services.realization_verify(
            actor=verifier, realization=realization, expected_version=realization.version
        )
    return realization


@dataclass
class Other:
    program: PlanNode
    sub: PlanNode
    indicator: Indicator


def _line(
    monev: Monev, opd: Opd, kode: str, nama: str, *, kegiatan: PlanNode | None = None
) -> tuple[PlanNode, Indicator]:
    """A sub-kegiatan (created directly, outside the nomenclature) with one indicator, target and pagu."""
    plan = monev.plan
    sub = PlanNode.objects.create(
        pemda=plan.pemda,
        dokumen=plan.rkpd,
        jenis="sub_kegiatan",
        induk=kegiatan or plan.kegiatan,
        kode=kode,
        nama=nama,
        opd=opd,
    )
    indicator = Indicator.objects.create(pemda=plan.pemda, node=sub, nama=f"Indikator {nama}", satuan="unit")
    _target(indicator, "10")
    NodeBudget.objects.create(pemda=plan.pemda, node=sub, tahun=TAHUN, jumlah=Decimal("100000000"))
    return sub, indicator


def _other_opd_line(monev: Monev) -> Other:
    plan = monev.plan
    program = PlanNode.objects.create(
        pemda=plan.pemda,
        dokumen=plan.rkpd,
        jenis="program",
        kode="X.XX.01",
        nama="Program Penunjang",
        opd=plan.other_opd,
    )
    kegiatan = PlanNode.objects.create(
        pemda=plan.pemda,
        dokumen=plan.rkpd,
        jenis="kegiatan",
        induk=program,
        kode="X.XX.01.2.01",
        nama="Kegiatan Penunjang",
        opd=plan.other_opd,
    )
    sub, indicator = _line(
        monev, plan.other_opd, "X.XX.01.2.01.0001", "Penyusunan Dokumen Lain", kegiatan=kegiatan
    )
    return Other(program, sub, indicator)


def _sub_indicator(monev: Monev, target: str = "10") -> Indicator:
    indicator = Indicator.objects.get(node=monev.plan.sub)
    _target(indicator, target)
    return indicator


def _url(name: str, monev: Monev, **kwargs: object) -> str:
    return reverse(f"evaluasi:{name}", kwargs={"kode": monev.plan.pemda.kode, **kwargs})


def test_pemda_page_counts_verified_realizations(monev: Monev) -> None:
    plan = monev.plan
    indicator = _sub_indicator(monev)
    _report(plan.sub, 1, {indicator.pk: "8"}, "150000000", actor=monev.operator, verifier=monev.verifier)
    response = _client(plan.perencana).get(_url("pemda", monev) + "?tahun=2026&tw=2")
    assert response.status_code == 200
    body = response.content.decode()
    # 8 of 10 (akhir periode) = 80,00% -> Tinggi; 150 of 750 million = 20,00%.
    assert "80,00%" in body and "Tinggi" in body
    assert "20,00%" in body
    assert "dibulatkan 2 desimal" in body
    assert _url("opd", monev, opd_id=plan.opd.pk) in body
    assert _url("sasaran", monev, node_id=plan.sasaran.pk) in body
    assert "Meningkatnya kesetaraan gender" in body
    # Charts are inline SVG with a title; the figures are also in tables.
    assert 'role="img"' in body and "<title id=" in body
    assert "Per triwulan" in body and "TW 1" in body
    assert "lampu-hijau" in body


def test_provisional_toggle_adds_submitted_realizations(monev: Monev) -> None:
    plan = monev.plan
    indicator = _sub_indicator(monev)
    _report(plan.sub, 1, {indicator.pk: "8"}, "100000000", actor=monev.operator, verifier=monev.verifier)
    # The nomenclature's indicator is kumulatif: 8 + 2 of 10 with the submitted quarter.
    _report(plan.sub, 2, {indicator.pk: "2"}, "50000000", actor=monev.operator)  # submitted only
    client = _client(plan.perencana)
    verified = client.get(_url("pemda", monev) + "?tahun=2026&tw=2").content.decode()
    provisional = client.get(_url("pemda", monev) + "?tahun=2026&tw=2&sementara=1").content.decode()
    assert 'data-testid="capaian">80,00%' in verified
    assert 'data-testid="capaian">100,00%' in provisional
    assert 'data-testid="serapan">13,33%' in verified  # 100 of 750 million
    assert 'data-testid="serapan">20,00%' in provisional  # 150 of 750 million
    assert "Angka sementara." in provisional and "Angka sementara." not in verified
    # Drill-down links keep the toggle.
    assert "sementara=1" in provisional.split("per-opd", 1)[1]


def test_empty_states_explain(monev: Monev) -> None:
    client = _client(monev.plan.perencana)
    no_rkpd = client.get(_url("pemda", monev) + "?tahun=2031&tw=1").content.decode()
    assert "Belum ada RKPD tahun 2031" in no_rkpd
    nothing = client.get(_url("pemda", monev) + "?tahun=2026&tw=1").content.decode()
    assert "Belum ada realisasi terverifikasi sampai TW 1" in nothing


def test_operator_sees_only_own_opd(monev: Monev) -> None:
    plan = monev.plan
    other = _other_opd_line(monev)
    _report(
        other.sub,
        1,
        {other.indicator.pk: "5"},
        "10000000",
        actor=monev.other_operator,
        verifier=monev.verifier,
    )
    own = _client(monev.operator)
    body = own.get(_url("pemda", monev) + "?tahun=2026&tw=1").content.decode()
    assert plan.opd.nama in body
    assert plan.other_opd.nama not in body
    assert "Penyusunan Dokumen Lain" not in body
    assert "Anda melihat OPD Anda saja" in body
    assert own.get(_url("opd", monev, opd_id=plan.opd.pk)).status_code == 200
    assert own.get(_url("opd", monev, opd_id=plan.other_opd.pk)).status_code == 404
    assert own.get(_url("program", monev, node_id=other.program.pk)).status_code == 404
    sasaran = own.get(_url("sasaran", monev, node_id=plan.sasaran.pk)).content.decode()
    assert "Penyusunan Dokumen Lain" not in sasaran
    # The other operator sees its own OPD and its capaian (5 of 10).
    theirs = _client(monev.other_operator).get(
        _url("opd", monev, opd_id=plan.other_opd.pk) + "?tahun=2026&tw=1"
    )
    assert theirs.status_code == 200
    assert "50,00%" in theirs.content.decode()
    # Bappeda sees both.
    everything = _client(plan.perencana).get(_url("pemda", monev) + "?tahun=2026&tw=1").content.decode()
    assert plan.opd.nama in everything and plan.other_opd.nama in everything


def test_opd_page_shows_indicators_quarters_and_entry_links(monev: Monev) -> None:
    plan = monev.plan
    indicator = Indicator.objects.get(node=plan.sub)
    _report(plan.sub, 1, {indicator.pk: "3"}, "75000000", actor=monev.operator, verifier=monev.verifier)
    client = _client(plan.perencana)
    body = client.get(_url("opd", monev, opd_id=plan.opd.pk) + "?tahun=2026&tw=2").content.decode()
    assert indicator.nama in body
    # No target yet: unrated with the reason.
    assert "target tahun ini belum diisi" in body
    entry = reverse(
        "monitoring:entry",
        kwargs={"kode": plan.pemda.kode, "node_id": plan.sub.pk, "tahun": 2026, "triwulan": 1},
    )
    assert entry in body
    assert "Terverifikasi" in body and "belum diisi" in body
    assert "10,00%" in body  # serapan 75 of 750 million
    assert "Efisiensi tidak dapat dinilai" in body
    assert _url("program", monev, node_id=plan.program.pk) in body
    _target(indicator, "4")
    rated = client.get(_url("opd", monev, opd_id=plan.opd.pk) + "?tahun=2026&tw=2").content.decode()
    assert "75,00%" in rated and "Sedang" in rated and "lampu-kuning" in rated
    # The trend has one point per quarter up to TW 2.
    assert "Tren per triwulan 2026" in rated


def test_program_and_sasaran_pages(monev: Monev) -> None:
    plan = monev.plan
    indicator = _sub_indicator(monev, "2")
    _report(plan.sub, 1, {indicator.pk: "2"}, "75000000", actor=monev.operator, verifier=monev.verifier)
    client = _client(plan.perencana)
    program = client.get(_url("program", monev, node_id=plan.program.pk) + "?tw=1").content.decode()
    assert plan.sub.nama in program
    assert plan.kegiatan.nama in program
    assert "100,00%" in program and "Sangat Tinggi" in program
    assert _url("sasaran", monev, node_id=plan.sasaran.pk) in program
    kegiatan = client.get(_url("program", monev, node_id=plan.kegiatan.pk) + "?tw=1")
    assert kegiatan.status_code == 200 and plan.sub.nama in kegiatan.content.decode()
    sasaran = client.get(
        _url("sasaran", monev, node_id=plan.sasaran.pk) + "?tahun=2026&tw=1"
    ).content.decode()
    assert "Indeks Ketimpangan Gender (IKG)" in sasaran
    assert "0,51" in sasaran  # the sasaran indicator's 2026 target
    assert _url("program", monev, node_id=plan.program.pk) in sasaran
    assert "100,00%" in sasaran
    # A node of another kind explains instead of evaluating.
    wrong = client.get(_url("program", monev, node_id=plan.sasaran.pk))
    assert wrong.status_code == 200
    assert "Halaman ini mengevaluasi program atau kegiatan RKPD" in wrong.content.decode()
    assert client.get(_url("sasaran", monev, node_id=plan.program.pk)).status_code == 200
    assert client.get(_url("program", monev, node_id=999999)).status_code == 404


def test_other_pemda_nodes_are_not_found(monev: Monev, pemda_b: Pemda) -> None:
    plan = monev.plan
    node_b = PlanNode.objects.filter(pemda=pemda_b).first()
    assert node_b is None  # pemda B has no plan: any foreign id must simply be unknown
    client = _client(plan.perencana)
    assert client.get(_url("program", monev, node_id=plan.sub.pk + 1000)).status_code == 404
    opd_b = Opd.objects.filter(pemda=pemda_b).first()
    assert opd_b is not None
    assert client.get(_url("opd", monev, opd_id=opd_b.pk)).status_code == 404


def test_public_page_shows_verified_results_only(monev: Monev) -> None:
    plan = monev.plan
    indicator = _sub_indicator(monev)
    url = reverse("evaluasi:public", kwargs={"kode": plan.pemda.kode}) + "?tahun=2026"
    _report(plan.sub, 1, {indicator.pk: "9"}, "75000000", actor=monev.operator, faktor="Catatan internal uji")
    submitted_only = _client().get(url)
    assert submitted_only.status_code == 200
    text = submitted_only.content.decode()
    assert "Belum ada laporan realisasi tahun 2026 yang sudah diverifikasi" in text
    assert "90,00%" not in text
    Realization.objects.filter(node=plan.sub).delete()
    _report(
        plan.sub,
        1,
        {indicator.pk: "9"},
        "75000000",
        actor=monev.operator,
        verifier=monev.verifier,
        faktor="Catatan internal uji",
    )
    # Submitted, not counted (it would make the kumulatif 9 + 1 = 100%).
    _report(plan.sub, 2, {indicator.pk: "1"}, "75000000", actor=monev.operator)
    body = _client().get(url).content.decode()
    assert "Meningkatnya kesetaraan gender" in body
    assert "90,00%" in body and "Tinggi" in body
    assert "10,00%" in body  # serapan: only the verified quarter
    assert "Data terverifikasi sampai triwulan (TW) 1" in body
    assert "100,00%" not in body
    # No personal data, no internal notes, no OPD names.
    for secret in ("Catatan internal uji", monev.operator.username, monev.verifier.username, plan.opd.nama):
        assert secret not in body
    # The provisional switch of the internal pages does nothing here.
    assert "100,00%" not in _client().get(url + "&sementara=1").content.decode()


def test_public_page_is_404_for_unknown_or_inactive_pemda(monev: Monev) -> None:
    plan = monev.plan
    assert _client().get(reverse("evaluasi:public", kwargs={"kode": "99.99"})).status_code == 404
    assert _client().get(reverse("evaluasi:public", kwargs={"kode": "bukan-kode"})).status_code == 404
    Pemda.objects.filter(pk=plan.pemda.pk).update(aktif=False)
    assert _client().get(reverse("evaluasi:public", kwargs={"kode": plan.pemda.kode})).status_code == 404


def test_public_page_without_rkpd_explains(monev: Monev) -> None:
    url = reverse("evaluasi:public", kwargs={"kode": monev.plan.pemda.kode}) + "?tahun=2031"
    body = _client().get(url).content.decode()
    assert "RKPD) tahun 2031 belum tersedia" in body


def test_charts_on_the_page_are_well_formed(monev: Monev) -> None:
    indicator = _sub_indicator(monev)
    _report(
        monev.plan.sub, 1, {indicator.pk: "8"}, "150000000", actor=monev.operator, verifier=monev.verifier
    )
    body = _client(monev.plan.perencana).get(_url("pemda", monev) + "?tahun=2026&tw=2").content.decode()
    svgs = [chunk.split("</svg>", 1)[0] + "</svg>" for chunk in body.split("<svg")[1:]]
    assert len(svgs) >= 5  # predikat, per OPD, per sasaran, two trends
    for svg in svgs:
        ET.fromstring("<svg" + svg)  # noqa: S314 (our own output under test)
    assert "style=" not in "".join(svgs)


def _pemda_page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_pemda_page_query_count_does_not_grow_with_sub_kegiatan(monev: Monev) -> None:
    plan = monev.plan
    client = _client(plan.perencana)
    url = _url("pemda", monev) + "?tahun=2026&tw=2"

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            sub, indicator = _line(monev, plan.opd, f"1.02.02.2.01.9{i:03d}", f"Sub uji {i}")
            _report(sub, 1, {indicator.pk: "7"}, "1000000", actor=monev.operator, verifier=monev.verifier)
            _report(sub, 2, {indicator.pk: "9"}, "1000000", actor=monev.operator)

    add(1, 0)
    client.get(url)  # warm up (session, content types)
    small = _pemda_page_queries(client, url)
    add(6, 1)
    large = _pemda_page_queries(client, url)
    assert large == small
    for name, kwargs in (("opd", {"opd_id": plan.opd.pk}), ("program", {"node_id": plan.program.pk})):
        page = _url(name, monev, **kwargs) + "?tahun=2026&tw=2"
        before = _pemda_page_queries(client, page)
        add(2, 20 + len(name))
        assert _pemda_page_queries(client, page) == before


def test_a_value_the_rules_refuse_is_a_message_not_a_server_error(monev: Monev) -> None:
    """A realisasi more than 10^18 times its target makes `achievement.capaian` refuse it (ValueError)."""
    plan = monev.plan
    indicator = _sub_indicator(monev, "0.0001")
    _report(
        plan.sub,
        1,
        {indicator.pk: "1000000000000000"},
        "1000000",
        actor=monev.operator,
        verifier=monev.verifier,
    )
    for url in (
        _url("pemda", monev) + "?tahun=2026&tw=1",
        reverse("evaluasi:public", kwargs={"kode": plan.pemda.kode}) + "?tahun=2026",
    ):
        response = _client(plan.perencana).get(url)
        assert response.status_code < 500
        if response.status_code != 200:
            assert "periksa angka dan satuannya" in response.content.decode()
