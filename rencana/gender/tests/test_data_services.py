"""Data terpilah and index components: the services (validation, audit, optimistic locking) and IPM by
sex / IPG / IKG computed from stored components (`selectors_data.compute_pemda_indices`)."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from rencana.conftest import make_region
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.models import AuditEvent
from rencana.gender import services_data
from rencana.gender.models import IndexComponent, IndexValue, SexValue
from rencana.gender.selectors_data import compute_pemda_indices, indices_from_components
from rencana.planning import services as plan_services
from rencana.planning.models import Indicator
from rencana.planning.services import IndicatorInput, NodeInput
from rencana.planning.tests.conftest import Plan, build_plan, make_edition
from rencana.regions.models import Pemda

DATA = Path(__file__).parent / "data"
D = Decimal


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    with translation.override("id"):
        yield


@dataclass
class World:
    plan: Plan
    pemda: Pemda
    actor: User
    pemda_indicator: Indicator  # flagged, sasaran of the RPJMD (no OPD)
    opd_indicator: Indicator  # flagged, sub-kegiatan of plan.opd
    other_indicator: Indicator  # flagged, program of plan.other_opd
    unflagged: Indicator


def build_world(pemda: Pemda) -> World:
    """A plan of pemda A with flagged indicators of two OPDs and of the pemda, and a kecamatan."""
    make_edition()
    plan = build_plan(pemda)
    make_region("63.02.01", "Pulau Laut Utara", "kecamatan", "63.02")
    opd_indicator = plan_services.indicator_create(
        actor=None,
        node=plan.sub,
        data=IndicatorInput(nama="Jumlah peserta pelatihan", satuan="orang", terpilah_gender=True),
    )
    other_program = plan_services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=None,
        data=NodeInput(jenis="program", kode="X.XX.01", opd=plan.other_opd),
    )
    other_indicator = plan_services.indicator_create(
        actor=None,
        node=other_program,
        data=IndicatorInput(nama="Persentase ASN mengikuti pelatihan PUG", satuan="%", terpilah_gender=True),
    )
    unflagged = plan_services.indicator_create(
        actor=None, node=plan.sub, data=IndicatorInput(nama="Jumlah rumah sakit", satuan="unit")
    )
    return World(plan, pemda, plan.perencana, plan.indicator, opd_indicator, other_indicator, unflagged)


@pytest.fixture
def w(pemda_a: Pemda) -> World:
    return build_world(pemda_a)


def set_value(w: World, **overrides: Any) -> SexValue:
    kwargs: dict[str, Any] = {
        "actor": w.actor,
        "pemda": w.pemda,
        "indicator": w.opd_indicator,
        "wilayah_kode": "63.02",
        "tahun": 2024,
        "perempuan": "1.234,5",
        "laki_laki": "987",
        "sumber": "Dinas Kesehatan, SIMPUS 2024",
        "status": "sementara",
        "expected_version": None,
    }
    kwargs.update(overrides)
    return services_data.sexvalue_set(**kwargs)


def kolom(exc: ApplicationError) -> set[str]:
    return {e["kolom"] for e in exc.errors}


# --- sexvalue_set ----------------------------------------------------------------------------------


def test_sexvalue_created_with_indonesian_numbers_and_audited(w: World) -> None:
    value = set_value(w)
    assert value.perempuan == D("1234.5")
    assert value.laki_laki == D("987")
    assert value.version == 1
    event = AuditEvent.objects.get(object_type="gender.sexvalue", object_id=str(value.pk))
    assert event.action == "create"
    assert event.after is not None and event.after["perempuan"] == "1234.5000"
    assert event.pemda_id == w.pemda.pk


def test_sexvalue_update_audits_old_and_new_and_bumps_version(w: World) -> None:
    value = set_value(w)
    updated = set_value(w, perempuan="1300", status="tetap", expected_version=value.version)
    assert updated.pk == value.pk
    assert updated.version == 2
    event = AuditEvent.objects.filter(
        object_type="gender.sexvalue", object_id=str(value.pk), action="update"
    ).get()
    assert event.before == {"perempuan": "1234.5000", "status": "sementara"}
    assert event.after == {"perempuan": "1300.0000", "status": "tetap"}


def test_same_values_again_write_nothing(w: World) -> None:
    value = set_value(w)
    again = set_value(w, perempuan="1234,50", expected_version=1)
    assert again.version == value.version == 1
    assert AuditEvent.objects.filter(object_type="gender.sexvalue", object_id=str(value.pk)).count() == 1


def test_stale_version_is_refused_and_nothing_changes(w: World) -> None:
    value = set_value(w)
    set_value(w, perempuan="1", expected_version=1)
    with pytest.raises(ConflictError) as exc:
        set_value(w, perempuan="2", expected_version=1)
    assert exc.value.status == 409
    assert exc.value.code == "versi_usang"
    value.refresh_from_db()
    assert value.perempuan == D("1")


def test_version_zero_means_i_saw_no_value(w: World) -> None:
    set_value(w)
    with pytest.raises(ConflictError):
        set_value(w, perempuan="5", expected_version=0)


def test_every_bad_field_is_reported_at_once(w: World) -> None:
    with pytest.raises(ApplicationError) as exc:
        set_value(
            w,
            wilayah_kode="99.99",
            tahun=1800,
            perempuan="-3",
            laki_laki="5.319.05",
            sumber="  ",
            status="final",
        )
    assert exc.value.status == 400
    assert kolom(exc.value) == {"wilayah", "tahun", "perempuan", "laki_laki", "sumber", "status"}
    assert not SexValue.objects.exists()


def test_at_least_one_value_is_required(w: World) -> None:
    with pytest.raises(ApplicationError) as exc:
        set_value(w, perempuan="", laki_laki=None)
    assert kolom(exc.value) == {"perempuan"}
    assert "paling sedikit satu" in exc.value.errors[0]["pesan"]


def test_one_sex_only_is_accepted(w: World) -> None:
    value = set_value(w, perempuan=None, laki_laki=D("12.5"))
    assert value.perempuan is None and value.laki_laki == D("12.5")


def test_unflagged_indicator_is_refused_with_the_way_to_flag_it(w: World) -> None:
    with pytest.raises(ApplicationError) as exc:
        set_value(w, indicator=w.unflagged)
    assert kolom(exc.value) == {"indikator"}
    assert "terpilah menurut jenis kelamin" in exc.value.message


def test_another_pemdas_indicator_is_not_found(w: World, pemda_b: Pemda) -> None:
    with pytest.raises(NotFoundError):
        set_value(w, pemda=pemda_b, wilayah_kode="35.75")


def test_region_must_be_the_pemda_or_inside_it(w: World, pemda_b: Pemda) -> None:
    assert set_value(w, wilayah_kode="63.02.01").wilayah_id == "63.02.01"
    with pytest.raises(ApplicationError) as exc:
        set_value(w, wilayah_kode="35.75")
    assert kolom(exc.value) == {"wilayah"}
    assert "di luar" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        set_value(w, wilayah_kode="63.0")  # a prefix without the dot is not inside
    assert kolom(exc.value) == {"wilayah"}


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), "abc", "1,2,3", "1 234", "12%"])
def test_hostile_numbers_are_refused_not_crashing(w: World, bad: Any) -> None:
    with pytest.raises(ApplicationError) as exc:
        set_value(w, perempuan=bad)
    assert "perempuan" in kolom(exc.value)


def test_delete_is_audited_and_checks_the_version(w: World) -> None:
    value = set_value(w)
    with pytest.raises(ConflictError):
        services_data.sexvalue_delete(actor=w.actor, value=value, expected_version=7)
    services_data.sexvalue_delete(actor=w.actor, value=value, expected_version=1)
    assert not SexValue.objects.exists()
    event = AuditEvent.objects.get(object_type="gender.sexvalue", object_id=str(value.pk), action="delete")
    assert event.before is not None and event.before["sumber"] == "Dinas Kesehatan, SIMPUS 2024"


# --- component_set ---------------------------------------------------------------------------------


def set_component(w: World, kode: str, nilai: Any, **overrides: Any) -> IndexComponent:
    kwargs: dict[str, Any] = {
        "actor": w.actor,
        "pemda": w.pemda,
        "wilayah_kode": "63.02",
        "tahun": 2022,
        "kode": kode,
        "nilai": nilai,
        "sumber": "BPS",
        "status": "tetap",
    }
    kwargs.update(overrides)
    return services_data.component_set(**kwargs)


@pytest.mark.parametrize(
    ("kode", "nilai", "pesan"),
    [
        ("mtf", "28", "proporsi"),
        ("mhpk20", "-0,1", "proporsi"),
        ("legislatif_p", "100,5", "persentase"),
        ("tpak_l", "-1", "persentase"),
        ("uhh_p", "150", "tahun"),
        ("uhh_l", "19", "tahun"),
        ("rls_p", "21", "tahun"),
        ("pengeluaran_p", "0", "rupiah"),
        ("pengeluaran_l", "Rp -5", "rupiah"),
        ("hls_p", "", "wajib"),
        ("hls_p", "x", "bukan angka"),
    ],
)
def test_component_ranges(w: World, kode: str, nilai: str, pesan: str) -> None:
    with pytest.raises(ApplicationError) as exc:
        set_component(w, kode, nilai)
    assert kolom(exc.value) == {"nilai"}
    assert pesan in exc.value.message
    assert not IndexComponent.objects.exists()


def test_component_unknown_code_and_bad_region_are_reported_together(w: World) -> None:
    with pytest.raises(ApplicationError) as exc:
        set_component(w, "ipm", "70", wilayah_kode="35.75", sumber="")
    assert kolom(exc.value) == {"kode", "wilayah", "sumber"}


def test_component_accepts_rupiah_notation_audits_and_locks(w: World) -> None:
    component = set_component(w, "pengeluaran_p", "Rp 11.899.000")
    assert component.nilai == D("11899000")
    changed = set_component(w, "pengeluaran_p", "12000000", expected_version=1)
    assert changed.version == 2
    with pytest.raises(ConflictError):
        set_component(w, "pengeluaran_p", "13000000", expected_version=1)
    actions = list(
        AuditEvent.objects.filter(object_type="gender.indexcomponent")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]
    services_data.component_delete(actor=w.actor, component=changed, expected_version=2)
    assert not IndexComponent.objects.exists()


# --- computed indices ------------------------------------------------------------------------------


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


IKG_FIELDS = ("mtf", "mhpk20", "legislatif_l", "legislatif_p", "sma_l", "sma_p", "tpak_l", "tpak_p")


def test_ikg_of_kabupaten_bogor_2022_from_stored_components(w: World) -> None:
    row = next(r for r in rows("ikg_bps.csv") if r["wilayah"] == "Kabupaten Bogor")
    for field in IKG_FIELDS:
        set_component(w, field, row[field], sumber=f"BPS {field}", tahun=int(row["tahun"]))
    IndexValue.objects.create(wilayah_id="63.02", tahun=2022, indeks="IKG", nilai=D("0.588"), sumber="BPS")
    result = compute_pemda_indices(w.pemda, "63.02", 2022)
    assert result.ikg.ok
    assert result.ikg.nilai == D(row["ikg_publikasi"]) == D("0.588")
    assert abs(result.ikg.raw - 0.58809) < 0.00001  # type: ignore[operator]
    assert {f.kode: f.sumber for f in result.ikg.komponen} == {f: f"BPS {f}" for f in IKG_FIELDS}
    assert all(f.status == "tetap" for f in result.ikg.komponen)
    assert result.terbit["IKG"].nilai == D("0.588")
    # IPM and IPG have none of their components: every one is listed, no value is guessed.
    assert not result.ipg.ok
    assert result.ipg.kurang == (
        "uhh_p",
        "hls_p",
        "rls_p",
        "pengeluaran_p",
        "uhh_l",
        "hls_l",
        "rls_l",
        "pengeluaran_l",
    )
    assert not result.ipm_perempuan.ok and result.ipm_perempuan.nilai is None


def test_ipm_row_reproduced_through_ipm_by_sex_and_ipg(w: World) -> None:
    """The components are by sex, with the IPG's UHH goalposts (perempuan 22,5–87,5, laki-laki 17,5–82,5),
    which are the IPM's (20–85) shifted by 2,5 years: the published IPM row comes back for each sex when
    UHH is shifted likewise, and the IPG is then 100."""
    row = next(r for r in rows("ipm_bps.csv") if r["wilayah"] == "Indonesia")
    uhh = D(row["uhh"])
    for sex, shift in (("p", D("2.5")), ("l", D("-2.5"))):
        set_component(w, f"uhh_{sex}", uhh + shift, tahun=2023)
        set_component(w, f"hls_{sex}", row["hls"], tahun=2023)
        set_component(w, f"rls_{sex}", row["rls"], tahun=2023)
        set_component(w, f"pengeluaran_{sex}", row["pengeluaran"], tahun=2023, sumber=row["sumber"][:255])
    result = compute_pemda_indices(w.pemda, "63.02", 2023)
    assert result.ipm_perempuan.nilai == D(row["ipm_publikasi"]) == D("74.39")
    assert result.ipm_laki_laki.nilai == D("74.39")
    assert result.ipg.nilai == D("100.00")
    assert len(result.ipg.komponen) == 8
    # IKG: every one of its eight components is missing.
    assert len(result.ikg.kurang) == 8 and result.ikg.nilai is None


def test_missing_components_are_listed_when_incomplete(w: World) -> None:
    set_component(w, "uhh_p", "72", tahun=2024)
    set_component(w, "mtf", "0,2", tahun=2024)
    result = compute_pemda_indices(w.pemda, "63.02", 2024)
    assert result.ipm_perempuan.kurang == ("hls_p", "rls_p", "pengeluaran_p")
    assert [f.kode for f in result.ipm_perempuan.komponen] == ["uhh_p"]
    assert "mhpk20" in result.ikg.kurang and "mtf" not in result.ikg.kurang
    assert len(result.kurang) == 14
    assert result.ikg.kurang_label[0].startswith("MHPK20")


def test_a_value_the_method_refuses_is_reported_not_raised(w: World) -> None:
    for kode, nilai in (("uhh_p", "21"), ("hls_p", "12"), ("rls_p", "8"), ("pengeluaran_p", "10000000")):
        set_component(w, kode, nilai, tahun=2024)
    result = compute_pemda_indices(w.pemda, "63.02", 2024)
    assert result.ipm_perempuan.nilai is None
    assert "22,5" in result.ipm_perempuan.galat


def test_indices_from_components_is_pure() -> None:
    ipm_p, ipm_l, ipg, ikg = indices_from_components({})
    assert ipg.kurang and ikg.kurang and not ipm_p.ok and not ipm_l.ok
