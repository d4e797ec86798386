from decimal import Decimal

import pytest

from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.models import AuditEvent
from rencana.planning import diffs, selectors, services
from rencana.planning.models import Indicator, IndicatorTarget, PlanDocument, PlanNode
from rencana.planning.services import IndicatorInput, NodeInput
from rencana.planning.tests.conftest import Plan
from rencana.regions.models import Pemda

pytestmark = pytest.mark.django_db


def test_document_period_follows_its_kind_and_gets_a_standard_name(pemda_a: Pemda) -> None:
    rpjmd = services.document_create(actor=None, pemda=pemda_a, jenis="RPJMD", tahun_mulai=2025)
    assert (rpjmd.tahun_mulai, rpjmd.tahun_akhir) == (2025, 2029)
    assert rpjmd.nama == "RPJMD Kabupaten Kotabaru 2025–2029"
    rkpd = services.document_create(actor=None, pemda=pemda_a, jenis="RKPD", tahun_mulai=2026, induk=rpjmd)
    assert rkpd.tahun == [2026]


@pytest.mark.parametrize(
    ("jenis", "tahun", "with_opd", "parent_kind", "column"),
    [
        ("RENJA", 2026, False, None, "opd"),
        ("RKPD", 2026, True, None, "opd"),
        ("RKPD", 2026, False, "RPJPD", "induk"),
        ("RKPD", 2031, False, "RPJMD", "induk"),
        ("XYZ", 2026, False, None, "jenis"),
        ("RKPD", 1990, False, None, "tahun_mulai"),
    ],
)
def test_document_rules_are_reported_per_field(
    pemda_a: Pemda, jenis: str, tahun: int, with_opd: bool, parent_kind: str | None, column: str
) -> None:
    parent = None
    if parent_kind:
        parent = services.document_create(actor=None, pemda=pemda_a, jenis=parent_kind, tahun_mulai=2025)
    opd = pemda_a.opds.first() if with_opd else None
    with pytest.raises(ApplicationError) as caught:
        services.document_create(
            actor=None, pemda=pemda_a, jenis=jenis, tahun_mulai=tahun, opd=opd, induk=parent
        )
    assert column in [e["kolom"] for e in caught.value.errors]


def test_parent_of_another_pemda_is_refused(pemda_a: Pemda, pemda_b: Pemda) -> None:
    foreign = services.document_create(actor=None, pemda=pemda_b, jenis="RPJMD", tahun_mulai=2025)
    with pytest.raises(ApplicationError):
        services.document_create(actor=None, pemda=pemda_a, jenis="RKPD", tahun_mulai=2026, induk=foreign)


def test_stage_moves_one_step_and_adoption_locks_the_document(plan: Plan) -> None:
    doc = plan.rpjmd
    with pytest.raises(ConflictError):
        services.document_set_stage(
            actor=None, document=doc, expected_version=doc.version, tahap="musrenbang"
        )
    for tahap in ("rancangan", "musrenbang", "rancangan_akhir", "ditetapkan"):
        services.document_set_stage(actor=None, document=doc, expected_version=doc.version, tahap=tahap)
    assert doc.terkunci and doc.ditetapkan_pada is not None
    with pytest.raises(ConflictError) as caught:
        services.node_create(
            actor=None, document=doc, parent=None, data=NodeInput(jenis="misi", nama="Misi baru")
        )
    assert caught.value.code == "dokumen_terkunci"
    with pytest.raises(ConflictError):
        services.document_set_stage(
            actor=None, document=doc, expected_version=doc.version, tahap="rancangan_akhir"
        )


def test_stale_version_is_refused_and_nothing_is_overwritten(plan: Plan) -> None:
    node = plan.sasaran
    stale = node.version
    services.node_update(
        actor=None,
        node=node,
        expected_version=stale,
        data=NodeInput(jenis="sasaran", kode="1.1.3", nama="Versi A"),
    )
    other = PlanNode.objects.get(pk=node.pk)
    with pytest.raises(ConflictError):
        services.node_update(
            actor=None,
            node=other,
            expected_version=stale,
            data=NodeInput(jenis="sasaran", kode="1.1.3", nama="Versi B"),
        )
    assert PlanNode.objects.get(pk=node.pk).nama == "Versi A"


def test_revision_copies_the_adopted_plan_and_the_diff_names_what_changed(plan: Plan) -> None:
    doc = plan.rpjmd
    for tahap in ("rancangan", "musrenbang", "rancangan_akhir", "ditetapkan"):
        services.document_set_stage(actor=None, document=doc, expected_version=doc.version, tahap=tahap)
    revision = services.document_revise(actor=None, document=doc)
    assert revision.revisi_ke == 1 and revision.revisi_dari_id == doc.pk and not revision.terkunci
    assert PlanNode.objects.filter(dokumen=revision).count() == PlanNode.objects.filter(dokumen=doc).count()
    assert Indicator.objects.filter(node__dokumen=revision).count() == 2
    # The revision's program still serves the revision's own sasaran, not the old one.
    program = PlanNode.objects.get(dokumen=revision, jenis="program")
    assert list(program.tautan_keluar.values_list("ke__dokumen_id", flat=True)) == [revision.pk]
    with pytest.raises(ConflictError):
        services.document_revise(actor=None, document=doc)

    indicator = Indicator.objects.get(node__dokumen=revision, nama__startswith="Indeks Ketimpangan")
    services.indicator_update(
        actor=None,
        indicator=indicator,
        expected_version=indicator.version,
        data=IndicatorInput(
            nama=indicator.nama,
            satuan="indeks",
            polaritas="negatif",
            baseline_tahun=2023,
            baseline_nilai=Decimal("0.551"),
            target={
                2025: Decimal("0.53"),
                2026: Decimal("0.50"),
                2027: Decimal("0.49"),
                2028: Decimal("0.47"),
            },
        ),
    )
    services.node_create(
        actor=None,
        document=revision,
        parent=PlanNode.objects.get(dokumen=revision, jenis="misi"),
        data=NodeInput(jenis="tujuan", kode="1.2", nama="Tujuan tambahan"),
    )
    changes = diffs.diff_documents(
        selectors.document_state(selectors.tree(doc)), selectors.document_state(selectors.tree(revision))
    )
    kinds = {(c.kind, c.label.split(" ")[0]) for c in changes}
    assert ("tambah", "Tujuan") in kinds
    changed = next(c for c in changes if c.kind == "ubah")
    assert ("target 2026", "0.5100", "0.5000") in changed.fields
    assert ("target 2029", "0.4500", "") in changed.fields


def test_node_kind_must_fit_under_its_parent(plan: Plan) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.node_create(
            actor=None,
            document=plan.rpjmd,
            parent=plan.misi,
            data=NodeInput(jenis="sasaran", nama="Langsung"),
        )
    assert caught.value.errors[0]["kolom"] == "jenis"
    with pytest.raises(ApplicationError):
        services.node_create(
            actor=None, document=plan.rkpd, parent=None, data=NodeInput(jenis="misi", nama="Misi")
        )


@pytest.mark.parametrize(
    ("kode", "parent_attr", "message"),
    [
        ("1.02.02.2.01.9999", "kegiatan", "tidak ada di nomenklatur"),
        ("1.02.02.1.01.0001", "kegiatan", "hanya berlaku untuk pemda provinsi"),
        ("1.02.02.2.01", "kegiatan", "bukan"),
    ],
)
def test_codes_are_validated_against_the_nomenclature(
    plan: Plan, kode: str, parent_attr: str, message: str
) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.node_create(
            actor=None,
            document=plan.rkpd,
            parent=getattr(plan, parent_attr),
            data=NodeInput(jenis="sub_kegiatan", kode=kode, opd=plan.opd),
        )
    assert message in caught.value.message


def test_a_code_outside_the_nomenclature_is_allowed_only_when_marked(plan: Plan) -> None:
    node = services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=plan.kegiatan,
        data=NodeInput(
            jenis="sub_kegiatan",
            kode="1.02.02.2.01.9999",
            nama="Inovasi daerah",
            opd=plan.opd,
            luar_nomenklatur=True,
        ),
    )
    assert node.luar_nomenklatur and node.nama == "Inovasi daerah"


def test_name_and_output_indicator_come_from_the_nomenclature(plan: Plan) -> None:
    node = services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=plan.kegiatan,
        data=NodeInput(jenis="sub_kegiatan", kode=" 1.02.02.2.01.0002 ", opd=plan.opd),
    )
    assert node.kode == "1.02.02.2.01.0002"
    assert node.nama == "Pembangunan Puskesmas"
    indicator = Indicator.objects.get(node=node)
    assert (indicator.nama, indicator.satuan, indicator.jenis) == (
        "Jumlah Puskesmas yang Dibangun",
        "Unit",
        "output",
    )


def test_the_same_code_twice_for_one_opd_is_refused_but_each_opd_may_run_it(plan: Plan) -> None:
    with pytest.raises(ConflictError):
        services.node_create(
            actor=None,
            document=plan.rkpd,
            parent=None,
            data=NodeInput(jenis="program", kode="1.02.02", opd=plan.opd),
        )
    other = services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=None,
        data=NodeInput(jenis="program", kode="1.02.02", opd=plan.other_opd),
    )
    assert other.opd_id == plan.other_opd.pk


def test_links_must_point_at_a_sasaran_the_document_can_see(plan: Plan, pemda_b: Pemda) -> None:
    foreign_doc = services.document_create(actor=None, pemda=pemda_b, jenis="RPJMD", tahun_mulai=2025)
    misi = services.node_create(
        actor=None, document=foreign_doc, parent=None, data=NodeInput(jenis="misi", nama="M")
    )
    tujuan = services.node_create(
        actor=None, document=foreign_doc, parent=misi, data=NodeInput(jenis="tujuan", nama="T")
    )
    foreign = services.node_create(
        actor=None,
        document=foreign_doc,
        parent=tujuan,
        data=NodeInput(jenis="sasaran", nama="Sasaran pemda lain"),
    )
    with pytest.raises(ApplicationError) as caught:
        services.node_update(
            actor=None,
            node=plan.program,
            expected_version=plan.program.version,
            data=NodeInput(jenis="program", kode="1.02.02", opd=plan.opd, sasaran_ids=[foreign.pk]),
        )
    assert caught.value.errors[0]["kolom"] == "sasaran"


def test_pagu_and_locations_are_checked(plan: Plan) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.node_update(
            actor=None,
            node=plan.sub,
            expected_version=plan.sub.version,
            data=NodeInput(
                jenis="sub_kegiatan",
                kode=plan.sub.kode,
                opd=plan.opd,
                pagu={2027: Decimal(1), 2026: Decimal(-5)},
                lokasi="35.75.01;63.02.99",
            ),
        )
    columns = [e["kolom"] for e in caught.value.errors]
    assert columns.count("pagu") == 2 and columns.count("lokasi") == 2


def test_an_unchanged_save_writes_no_audit_event(plan: Plan) -> None:
    before = AuditEvent.objects.count()
    services.node_update(
        actor=None,
        node=plan.sub,
        expected_version=plan.sub.version,
        data=NodeInput(
            jenis="sub_kegiatan",
            kode=plan.sub.kode,
            nama=plan.sub.nama,
            opd=plan.opd,
            pagu={2026: Decimal("750000000")},
            sasaran_ids=[],
        ),
    )
    assert AuditEvent.objects.count() == before
    services.node_update(
        actor=None,
        node=plan.sub,
        expected_version=plan.sub.version,
        data=NodeInput(
            jenis="sub_kegiatan",
            kode=plan.sub.kode,
            nama=plan.sub.nama,
            opd=plan.opd,
            pagu={2026: Decimal(1)},
        ),
    )
    event = AuditEvent.objects.latest("id")
    assert event.before is not None and event.after is not None
    assert event.before["pagu"] == {"2026": "750000000.00"} and event.after["pagu"] == {"2026": "1.00"}


def test_move_keeps_the_code_hierarchy_and_refuses_cycles(plan: Plan) -> None:
    with pytest.raises(ApplicationError):
        services.node_move(
            actor=None, node=plan.misi, expected_version=plan.misi.version, parent=plan.sasaran
        )
    other_program = services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=None,
        data=NodeInput(jenis="program", kode="X.XX.01", opd=plan.opd),
    )
    with pytest.raises(ApplicationError) as caught:
        services.node_move(
            actor=None, node=plan.kegiatan, expected_version=plan.kegiatan.version, parent=other_program
        )
    assert "bukan turunan" in caught.value.message
    second = services.node_create(
        actor=None, document=plan.rpjmd, parent=None, data=NodeInput(jenis="misi", kode="2", nama="Misi dua")
    )
    moved = services.node_move(
        actor=None, node=plan.tujuan, expected_version=plan.tujuan.version, parent=second
    )
    assert moved.induk_id == second.pk
    # Top level: misi 1, program 1.02.02, misi 2 -> two steps up puts misi 2 first.
    for _step in range(2):
        services.node_shift(actor=None, node=second, expected_version=second.version, direction=-1)
    top = [
        n.kode
        for n in PlanNode.objects.filter(dokumen=plan.rpjmd, induk=None, jenis="misi").order_by("urutan")
    ]
    assert top == ["2", "1"]


def test_delete_removes_the_subtree_but_not_a_sasaran_served_elsewhere(plan: Plan) -> None:
    with pytest.raises(ConflictError):
        services.node_delete(actor=None, node=plan.sasaran, expected_version=plan.sasaran.version)
    services.node_delete(actor=None, node=plan.program, expected_version=plan.program.version)
    assert not PlanNode.objects.filter(dokumen=plan.rkpd).exists()
    event = AuditEvent.objects.filter(action="delete", object_type="planning.plannode").latest("id")
    assert event.before is not None
    assert event.before["turunan"] == 2 and event.before["kode"] == "1.02.02"


def test_indicator_targets_outside_the_period_are_refused(plan: Plan) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.indicator_create(
            actor=None,
            node=plan.sasaran,
            data=IndicatorInput(nama="X", satuan="%", target={2031: Decimal(1)}),
        )
    assert caught.value.errors[0]["kolom"] == "target"
    with pytest.raises(ApplicationError):
        services.indicator_create(actor=None, node=plan.misi, data=IndicatorInput(nama="Indikator misi"))


def test_indicator_update_replaces_the_yearly_targets(plan: Plan) -> None:
    indicator = plan.indicator
    services.indicator_update(
        actor=None,
        indicator=indicator,
        expected_version=indicator.version,
        data=IndicatorInput(
            nama=indicator.nama, satuan="indeks", polaritas="negatif", target={2029: Decimal("0.45")}
        ),
    )
    assert list(IndicatorTarget.objects.filter(indikator=indicator).values_list("tahun", flat=True)) == [2029]


def test_known_sasaran_include_the_parent_chain_and_the_opds_renstra(plan: Plan) -> None:
    renstra = services.document_create(
        actor=None, pemda=plan.pemda, jenis="RENSTRA", tahun_mulai=2025, opd=plan.opd, induk=plan.rpjmd
    )
    tujuan = services.node_create(
        actor=None, document=renstra, parent=None, data=NodeInput(jenis="tujuan", nama="T")
    )
    renstra_sasaran = services.node_create(
        actor=None, document=renstra, parent=tujuan, data=NodeInput(jenis="sasaran", nama="Sasaran OPD")
    )
    renja = services.document_create(
        actor=None, pemda=plan.pemda, jenis="RENJA", tahun_mulai=2026, opd=plan.opd, induk=plan.rkpd
    )
    assert services.known_sasaran_ids(renja) == {plan.sasaran.pk, renstra_sasaran.pk}
    other_renja = services.document_create(
        actor=None, pemda=plan.pemda, jenis="RENJA", tahun_mulai=2026, opd=plan.other_opd, induk=plan.rkpd
    )
    assert services.known_sasaran_ids(other_renja) == {plan.sasaran.pk}
    assert PlanDocument.objects.filter(pemda=plan.pemda).count() == 5


def test_deleting_a_node_still_used_elsewhere_is_a_conflict_not_a_crash(pemda_a: Pemda, plan: Plan) -> None:
    from rencana.gender.models import GapWorksheet

    sub = PlanNode.objects.filter(dokumen=plan.rkpd, jenis="sub_kegiatan").first()
    assert sub is not None
    GapWorksheet.objects.create(pemda=pemda_a, node=sub, opd=sub.opd, tahun=2026)
    with pytest.raises(ConflictError) as caught:
        services.node_delete(actor=None, node=sub, expected_version=sub.version)
    assert "GAP" in caught.value.message
    assert PlanNode.objects.filter(pk=sub.pk).exists()
