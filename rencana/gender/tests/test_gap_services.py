"""GAP services: the pre-fill from a built plan, validation, workflow, locking and audit.

`make_pug` (the planning fixtures' RKPD 2026 of pemda A with users of every PUG role) also serves the other
GAP/GBS/ARG test modules.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from rencana.accounts.services import role_assign
from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.gender import services_gap
from rencana.gender.models import GapStatus, GapWorksheet, SexValue
from rencana.gender.services_gap import GapInput, gap_finalize, gap_reopen, gap_start, gap_update
from rencana.planning import services as plan_services
from rencana.planning.models import Indicator, NodeBudget, PlanNode
from rencana.planning.services import IndicatorInput
from rencana.planning.tests.conftest import Plan, build_plan, make_edition
from rencana.regions.models import Opd, Pemda

TAHUN = 2026


@dataclass
class Pug:
    plan: Plan
    pokja: User
    operator: User  # operator_opd of plan.opd (which runs the sub-kegiatan)
    other_operator: User  # operator_opd of plan.other_opd
    pimpinan: User  # reads everything, writes nothing


def _user(username: str, pemda: Pemda, role: Role, opd: Opd | None = None) -> User:
    user = User.objects.create_user(username=username, password="sandi-uji-123")
    role_assign(actor=None, user=user, pemda=pemda, role=role, opd=opd)
    return user


def make_pug(pemda_a: Pemda) -> Pug:
    """The plan and the users; each test module wraps it in its own `pug` fixture."""
    make_edition()
    plan = build_plan(pemda_a)
    return Pug(
        plan=plan,
        pokja=_user("pokja-pug", pemda_a, Role.POKJA_PUG),
        operator=_user("operator-dinas", pemda_a, Role.OPERATOR_OPD, plan.opd),
        other_operator=_user("operator-lain", pemda_a, Role.OPERATOR_OPD, plan.other_opd),
        pimpinan=_user("pimpinan", pemda_a, Role.PIMPINAN),
    )


@pytest.fixture
def pug(pemda_a: Pemda) -> Pug:
    return make_pug(pemda_a)


def add_sub(plan: Plan, kode: str, pagu: Decimal | None, opd: Opd | None = None, nama: str = "") -> PlanNode:
    """A sub-kegiatan under the plan's kegiatan with a 2026 pagu (test data, written directly)."""
    node = PlanNode.objects.create(
        pemda=plan.pemda,
        dokumen=plan.rkpd,
        jenis="sub_kegiatan",
        induk=plan.kegiatan,
        kode=kode,
        nama=nama or f"Sub-kegiatan uji {kode}",
        opd=opd or plan.opd,
        luar_nomenklatur=True,
    )
    if pagu is not None:
        NodeBudget.objects.create(pemda=plan.pemda, node=node, tahun=TAHUN, jumlah=pagu)
    return node


def flagged_indicator(plan: Plan) -> Indicator:
    """A sasaran indicator flagged "terpilah menurut jenis kelamin", with a 2025 value per sex."""
    indicator = plan_services.indicator_create(
        actor=None,
        node=plan.sasaran,
        data=IndicatorInput(
            nama="Persentase persalinan di fasilitas kesehatan",
            satuan="%",
            baseline_tahun=2024,
            baseline_nilai=Decimal("81.5"),
            terpilah_gender=True,
        ),
    )
    SexValue.objects.create(
        pemda=plan.pemda,
        indikator=indicator,
        wilayah_id=plan.pemda.kode,
        tahun=2025,
        perempuan=Decimal("83.25"),
        laki_laki=Decimal("79.5"),
        sumber="Profil Kesehatan Kabupaten Kotabaru 2025",
    )
    return indicator


COMPLETE = GapInput(
    kebijakan="Pembangunan rumah sakit untuk layanan rujukan.",
    data_pembuka="Persalinan di fasilitas kesehatan: perempuan 83,25%.",
    faktor_akses="Jarak ke rumah sakit membatasi ibu hamil di pulau kecil.",
    sebab_internal="Belum ada ruang laktasi dan layanan ramah perempuan.",
    sebab_eksternal="Biaya transportasi ditanggung keluarga.",
    tujuan_reformulasi="Rumah sakit yang menjangkau ibu hamil dari pulau kecil.",
    rencana_aksi="- Bangun ruang bersalin\n- Sediakan ambulans laut",
    baseline="Persalinan di fasilitas: 83,25% (2025).",
    indikator_gender="Persalinan di fasilitas kesehatan dari pulau kecil naik menjadi 90%.",
    anggaran=Decimal("750000000"),
)


# --- pre-fill ---------------------------------------------------------------------------------------


def test_gap_start_prefills_from_the_plan_and_the_sasaran_disaggregated_data(pug: Pug) -> None:
    plan = pug.plan
    flagged_indicator(plan)
    gap = gap_start(actor=pug.pokja, node=plan.sub, tahun=TAHUN)
    gap.refresh_from_db()
    assert (gap.pemda_id, gap.opd_id, gap.tahun, gap.status, gap.version) == (
        plan.pemda.pk,
        plan.opd.pk,
        TAHUN,
        GapStatus.DRAFT,
        1,
    )
    assert gap.dibuat_oleh == pug.pokja
    # Step 1: program, kegiatan, sub-kegiatan with codes, the OPD and the sasaran it serves (via the program).
    assert "Program: 1.02.02 PROGRAM PEMENUHAN UPAYA KESEHATAN" in gap.kebijakan
    assert "Kegiatan: 1.02.02.2.01 Penyediaan Fasilitas Pelayanan Kesehatan" in gap.kebijakan
    assert "Sub-kegiatan: 1.02.02.2.01.0001 Pembangunan Rumah Sakit beserta" in gap.kebijakan
    assert "OPD pelaksana: Dinas Rahasia Kotabaru" in gap.kebijakan
    assert "Tujuan (sasaran yang dilayani): 1.1.3 Meningkatnya kesetaraan gender" in gap.kebijakan
    # Step 2: the sub-kegiatan has no disaggregated data, so the sasaran's flagged indicators, with source.
    assert gap.data_pembuka.startswith("Sub-kegiatan ini belum memiliki data terpilah")
    assert (
        "- Persentase persalinan di fasilitas kesehatan, Kabupaten Kotabaru 2025: perempuan 83,25 %, "
        "laki-laki 79,5 % (selisih perempuan dikurangi laki-laki 3,75). "
        "Sumber: Profil Kesehatan Kabupaten Kotabaru 2025."
    ) in gap.data_pembuka
    # The IKG of the sasaran is flagged too, without values yet.
    assert (
        "- Indeks Ketimpangan Gender (IKG): belum ada data terpilah menurut jenis kelamin."
        in gap.data_pembuka
    )
    # Step 8: baselines and the latest disaggregated value.
    assert "- Indeks Ketimpangan Gender (IKG): baseline 2023: 0,551 indeks" in gap.baseline
    assert (
        "- Persentase persalinan di fasilitas kesehatan: baseline 2024: 81,5 %; data terpilah terakhir "
        "(2025, Kabupaten Kotabaru): perempuan 83,25 %, laki-laki 79,5 %"
    ) in gap.baseline
    # Step 9 suggested from the output indicator; the budget from the 2026 pagu.
    assert gap.indikator_gender.startswith(
        "- Jumlah Rumah Sakit yang Dibangun (Unit), dipilah menurut jenis kelamin"
    )
    assert gap.anggaran == Decimal("750000000.00")
    # The steps the user writes are left empty.
    for name in ("faktor_akses", "sebab_internal", "tujuan_reformulasi", "rencana_aksi", "dampak"):
        assert getattr(gap, name) == ""


def test_the_sub_kegiatans_own_disaggregated_data_come_first(pug: Pug) -> None:
    plan = pug.plan
    flagged_indicator(plan)
    own = Indicator.objects.get(node=plan.sub)
    SexValue.objects.create(
        pemda=plan.pemda,
        indikator=own,
        wilayah_id=plan.pemda.kode,
        tahun=2025,
        perempuan=Decimal(3),
        laki_laki=Decimal(1),
        sumber="Laporan Dinas Kesehatan",
    )
    SexValue.objects.create(  # a later year than the worksheet's is not data "pembuka wawasan" yet
        pemda=plan.pemda, indikator=own, wilayah_id=plan.pemda.kode, tahun=2027, perempuan=9, laki_laki=9
    )
    gap = gap_start(actor=None, node=plan.sub, tahun=TAHUN)
    assert gap.data_pembuka == (
        "Data terpilah indikator sub-kegiatan ini:\n"
        "- Jumlah Rumah Sakit yang Dibangun, Kabupaten Kotabaru 2025: perempuan 3 Unit, laki-laki 1 Unit "
        "(selisih perempuan dikurangi laki-laki 2). Sumber: Laporan Dinas Kesehatan."
    )


def test_step_2_is_empty_without_any_disaggregated_indicator(pug: Pug) -> None:
    plan = pug.plan
    Indicator.objects.filter(pemda=plan.pemda).update(terpilah_gender=False)
    NodeBudget.objects.filter(node=plan.sub).delete()
    gap = gap_start(actor=None, node=plan.sub, tahun=TAHUN)
    assert gap.data_pembuka == ""
    assert gap.anggaran is None


@pytest.mark.parametrize("which", ["sasaran", "kegiatan", "program"])
def test_gap_start_refuses_a_node_that_is_not_a_sub_kegiatan(pug: Pug, which: str) -> None:
    node = getattr(pug.plan, which)
    with pytest.raises(ApplicationError) as caught:
        gap_start(actor=None, node=node, tahun=TAHUN)
    assert caught.value.code == "bukan_sub_kegiatan"
    assert caught.value.status == 400
    assert not GapWorksheet.objects.exists()


def test_gap_start_refuses_a_year_outside_the_document_and_a_second_worksheet(pug: Pug) -> None:
    with pytest.raises(ApplicationError) as caught:
        gap_start(actor=None, node=pug.plan.sub, tahun=2027)
    assert caught.value.code == "tahun_tidak_sah"
    gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    with pytest.raises(ConflictError) as conflict:
        gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    assert conflict.value.code == "gap_sudah_ada"
    assert GapWorksheet.objects.count() == 1


def test_gap_start_is_audited(pug: Pug) -> None:
    gap = gap_start(actor=pug.pokja, node=pug.plan.sub, tahun=TAHUN)
    event = AuditEvent.objects.get(object_type="gender.gapworksheet", object_id=str(gap.pk))
    assert (event.action, event.actor, event.pemda_id) == ("create", pug.pokja, pug.plan.pemda.pk)
    assert event.after is not None and event.after["anggaran"] == "750000000.00"


# --- update, validation, workflow -------------------------------------------------------------------


def test_finalizing_lists_every_missing_step_by_its_indonesian_name(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    with pytest.raises(ApplicationError) as caught:
        gap_update(actor=None, gap=gap, expected_version=1, data=GapInput(), status=GapStatus.FINAL)
    error = caught.value
    assert error.status == 400 and error.code == "gap_belum_lengkap"
    assert error.message == (
        "Lembar GAP belum dapat difinalkan. Langkah yang belum diisi: "
        "Langkah 1 (Kebijakan/program/kegiatan dan tujuannya), Langkah 2 (Data pembuka wawasan), "
        "Langkah 3 (Faktor kesenjangan gender), Langkah 6 (Reformulasi tujuan), Langkah 7 (Rencana aksi), "
        "Langkah 9 (Indikator gender)."
    )
    assert [e["kolom"] for e in error.errors] == [
        "kebijakan",
        "data_pembuka",
        "faktor_akses",
        "tujuan_reformulasi",
        "rencana_aksi",
        "indikator_gender",
    ]
    assert "minimal satu dari akses, partisipasi, kontrol atau manfaat" in error.errors[2]["pesan"]
    gap.refresh_from_db()
    assert (gap.status, gap.version) == (GapStatus.DRAFT, 1)  # nothing written


@pytest.mark.parametrize("factor", ["faktor_akses", "faktor_partisipasi", "faktor_kontrol", "faktor_manfaat"])
def test_step_3_needs_any_one_of_its_four_factors(factor: str) -> None:
    values = dict.fromkeys(GapWorksheet.STEP_FIELDS, "isi")
    for name in ("faktor_akses", "faktor_partisipasi", "faktor_kontrol", "faktor_manfaat"):
        values[name] = "  "
    assert [s.nomor for s in services_gap.missing_steps(values)] == ["3"]
    values[factor] = "Perempuan jarang dilibatkan."
    assert services_gap.missing_steps(values) == []


def test_steps_4_5_and_8_are_optional() -> None:
    values = dict.fromkeys(GapWorksheet.STEP_FIELDS, "isi")
    values.update(sebab_internal="", sebab_eksternal="", baseline="")
    assert services_gap.missing_steps(values) == []


def test_update_saves_audits_changes_and_finalizes_in_one_step(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    before_kebijakan = gap.kebijakan
    gap_update(actor=pug.pokja, gap=gap, expected_version=1, data=COMPLETE, status=GapStatus.FINAL)
    gap.refresh_from_db()
    assert (gap.status, gap.version) == (GapStatus.FINAL, 2)
    assert gap.rencana_aksi == "- Bangun ruang bersalin\n- Sediakan ambulans laut"
    event = AuditEvent.objects.filter(object_type="gender.gapworksheet", object_id=str(gap.pk)).latest("id")
    assert event.action == "finalize" and event.actor == pug.pokja
    assert event.before is not None and event.after is not None
    assert event.before["kebijakan"] == before_kebijakan
    assert event.after["kebijakan"] == COMPLETE.kebijakan
    assert (event.before["status"], event.after["status"]) == ("draf", "final")
    assert "anggaran" not in event.after  # unchanged fields are not repeated


def test_update_cleans_line_ends_and_refuses_bad_input_naming_each_field(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    gap_update(actor=None, gap=gap, expected_version=1, data=GapInput(rencana_aksi="  a  \r\nb\r\n\r\n"))
    gap.refresh_from_db()
    assert gap.rencana_aksi == "a\nb"
    bad = GapInput(faktor_akses="x" * (services_gap.MAX_TEXT + 1), anggaran=Decimal(-1))
    with pytest.raises(ApplicationError) as caught:
        gap_update(actor=None, gap=gap, expected_version=2, data=bad)
    assert [e["kolom"] for e in caught.value.errors] == ["faktor_akses", "anggaran"]
    assert "tidak boleh negatif" in caught.value.message


def test_a_stale_version_is_refused_with_409_and_nothing_is_overwritten(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    first = GapWorksheet.objects.get(pk=gap.pk)
    second = GapWorksheet.objects.get(pk=gap.pk)
    gap_update(actor=None, gap=first, expected_version=1, data=GapInput(faktor_akses="oleh pengguna pertama"))
    with pytest.raises(ConflictError) as caught:
        gap_update(
            actor=None, gap=second, expected_version=1, data=GapInput(faktor_akses="oleh pengguna kedua")
        )
    assert caught.value.status == 409 and caught.value.code == "versi_usang"
    gap.refresh_from_db()
    assert gap.faktor_akses == "oleh pengguna pertama"


def test_the_version_in_the_row_is_checked_even_when_the_instance_is_old(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    old = GapWorksheet.objects.get(pk=gap.pk)
    gap_update(actor=None, gap=gap, expected_version=1, data=GapInput(faktor_akses="baru"))
    # The old instance still says version 1: the row's version decides.
    with pytest.raises(ConflictError):
        gap_update(actor=None, gap=old, expected_version=1, data=GapInput(faktor_akses="lama"))


def test_a_final_worksheet_is_locked_until_taken_back_to_draft(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    gap_update(actor=None, gap=gap, expected_version=1, data=COMPLETE)
    gap_finalize(actor=pug.pokja, gap=gap, expected_version=2)
    assert gap.status == GapStatus.FINAL
    with pytest.raises(ConflictError) as caught:
        gap_update(actor=None, gap=gap, expected_version=3, data=COMPLETE)
    assert caught.value.code == "gap_terkunci"
    with pytest.raises(ConflictError):
        gap_finalize(actor=None, gap=gap, expected_version=3)  # final -> final is not a move
    gap_reopen(actor=pug.pokja, gap=gap, expected_version=3)
    gap.refresh_from_db()
    assert (gap.status, gap.version) == (GapStatus.DRAFT, 4)
    actions = list(
        AuditEvent.objects.filter(object_type="gender.gapworksheet", object_id=str(gap.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "finalize", "reopen"]


def test_gap_finalize_checks_the_stored_steps(pug: Pug) -> None:
    gap = gap_start(actor=None, node=pug.plan.sub, tahun=TAHUN)
    with pytest.raises(ApplicationError) as caught:
        gap_finalize(actor=None, gap=gap, expected_version=1)
    assert "Langkah 3 (Faktor kesenjangan gender)" in caught.value.message
    assert "Langkah 1 " not in caught.value.message  # pre-filled


def test_a_renja_sub_kegiatan_can_have_a_worksheet_of_its_opd(pug: Pug) -> None:
    plan = pug.plan
    renja = plan_services.document_create(
        actor=None, pemda=plan.pemda, jenis="RENJA", tahun_mulai=TAHUN, opd=plan.other_opd, induk=plan.rkpd
    )
    node = PlanNode.objects.create(
        pemda=plan.pemda,
        dokumen=renja,
        jenis="sub_kegiatan",
        kode="9.99",
        nama="Sub Renja",
        luar_nomenklatur=True,
    )
    gap = gap_start(actor=None, node=node, tahun=TAHUN)
    assert gap.opd_id == plan.other_opd.pk
    assert "Sub-kegiatan: 9.99 Sub Renja" in gap.kebijakan


def test_node_facts_take_a_fixed_number_of_queries(pug: Pug, django_assert_max_num_queries: Any) -> None:
    flagged_indicator(pug.plan)
    with django_assert_max_num_queries(10):
        facts = services_gap.node_facts(pug.plan.sub, TAHUN)
    assert facts.data_dari == "sasaran"
    assert [s.nama for s in facts.sasaran] == ["Meningkatnya kesetaraan gender"]
