"""The permit workflow as data (pure: no database): definition checks, transitions by role, SLA clocks,
the completeness checklist."""

import copy
import datetime
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rencana.core.roles import Role
from rencana.permits import workflow
from rencana.permits.workflow import (
    ChecklistFacts,
    DefinitionError,
    Stage,
    allowed_transitions,
    build_checklist,
    load_definition,
    sla,
)

DATA = Path(__file__).resolve().parents[1] / "data"
JAKARTA = ZoneInfo("Asia/Jakarta")


def shipped(kode: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"jenis_{kode}.json").read_text(encoding="utf-8"))
    return data


def problems_of(data: Any) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_definition(data)
    return info.value.problems


def test_known_roles_are_the_projects_roles() -> None:
    assert {r.value for r in Role} == workflow.KNOWN_ROLES


def test_shipped_hkm_definition() -> None:
    definition = load_definition(shipped("hkm"))
    assert definition.kode == "hkm"
    assert definition.awal == "penyusunan"
    assert definition.min_anggota == 15
    assert definition.jenis_pemohon == "kelompok"
    assert definition.biaya == "gratis"
    assert "PermenLHK" in definition.dasar_hukum or "Nomor 9 Tahun 2021" in definition.dasar_hukum
    assert "PIAPS" in definition.dasar_hukum and "300" in definition.dasar_hukum
    assert "bukan angka dari peraturan" in definition.dasar_hukum
    codes = [s.kode for s in definition.stages]
    assert codes[:6] == [
        "penyusunan",
        "verifikasi_administrasi",
        "perbaikan",
        "verifikasi_teknis",
        "rekomendasi",
        "keputusan",
    ]
    assert {s.kode for s in definition.stages if s.final} == {"disetujui", "ditolak"}
    docs = {d.kode for d in definition.required_documents("penyusunan")}
    assert docs == {
        "peta_areal_kelola",
        "ad_art",
        "rencana_kerja",
        "daftar_anggota",
        "struktur_organisasi",
        "surat_pengantar_desa",
    }
    assert definition.stage("penyusunan").sla_hari is None
    assert definition.stage("verifikasi_teknis").verifikasi_lapangan


def test_shipped_nib_definition() -> None:
    definition = load_definition(shipped("nib"))
    assert definition.biaya == "gratis"
    assert definition.jenis_pemohon == "usaha"
    assert definition.syarat["tingkat_risiko"] == "rendah"
    assert set(definition.isian_wajib) >= {
        "akun_oss",
        "nama_usaha",
        "kbli",
        "lokasi",
        "modal",
        "pernyataan_mandiri",
    }
    assert [s.kode for s in definition.stages] == ["penyiapan_data", "pendaftaran_oss", "nib_terbit"]
    assert definition.stage("nib_terbit").status == "disetujui"


def test_unknown_stage_in_a_transition_is_reported() -> None:
    data = shipped("hkm")
    data["transitions"].append(
        {
            "dari": "keputusan",
            "ke": "banding",
            "aksi": "banding",
            "label": "Banding",
            "pelaku": ["petugas_izin"],
        }
    )
    problems = problems_of(data)
    assert any("“banding”" in p and "tidak ada di daftar tahap" in p for p in problems), problems


def test_a_stage_without_a_path_to_a_final_stage_is_reported() -> None:
    data = shipped("hkm")
    # Drop every way out of "rekomendasi": it becomes a dead end.
    data["transitions"] = [t for t in data["transitions"] if t["dari"] != "rekomendasi"]
    problems = problems_of(data)
    assert any("“rekomendasi”" in p and "tidak ada jalan ke tahap akhir" in p for p in problems), problems


def test_no_final_stage_at_all_is_reported() -> None:
    data = shipped("nib")
    data["stages"] = [s for s in data["stages"] if not s.get("final")]
    data["transitions"] = [t for t in data["transitions"] if t["ke"] != "nib_terbit"]
    assert any("Tidak ada tahap akhir" in p for p in problems_of(data))


def test_duplicate_stage_codes_are_reported() -> None:
    data = shipped("hkm")
    data["stages"].append(copy.deepcopy(data["stages"][1]))
    assert any("“verifikasi_administrasi” ganda" in p for p in problems_of(data))


def test_duplicate_action_from_one_stage_and_duplicate_document_codes_are_reported() -> None:
    data = shipped("hkm")
    data["transitions"].append(
        {"dari": "keputusan", "ke": "ditolak", "aksi": "setujui", "label": "Lagi", "pelaku": ["petugas_izin"]}
    )
    data["stages"][0]["dokumen"].append({"kode": "ad_art", "nama": "AD/ART lagi"})
    problems = problems_of(data)
    assert any("aksi ganda" in p for p in problems), problems
    assert any("kode dokumen “ad_art” ganda" in p for p in problems), problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["stages"][1].update(pelaku=["lurah"]), "peran “lurah” tidak dikenal"),
        (lambda d: d["stages"][1].update(sla_hari=0), "sla_hari"),
        (lambda d: d["stages"][1].update(sla_hari="5"), "sla_hari"),
        (lambda d: d["stages"][1].update(status="selesai"), "status harus"),
        (lambda d: d.update(awal="tidak_ada"), "“awal”"),
        (lambda d: d.update(awal="disetujui"), "Tahap awal tidak boleh tahap akhir"),
        (lambda d: d["transitions"][0].update(syarat=["bayar"]), "syarat hanya boleh"),
        (lambda d: d["syarat"].update(min_anggota="15"), "min_anggota"),
        (lambda d: d.update(kode=""), "“kode”"),
        (
            lambda d: d["transitions"].append(
                {
                    "dari": "disetujui",
                    "ke": "keputusan",
                    "aksi": "buka",
                    "label": "Buka",
                    "pelaku": ["admin_pemda"],
                }
            ),
            "tahap akhir tidak boleh punya transisi keluar",
        ),
        (
            lambda d: d["stages"].append({"kode": "arsip", "nama": "Arsip", "pelaku": ["admin_pemda"]}),
            "tidak bisa dicapai",
        ),
    ],
)
def test_definition_problems(change: Any, expected: str) -> None:
    data = shipped("hkm")
    change(data)
    problems = problems_of(data)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("data", [None, [], "teks", {"kode": "x"}])
def test_junk_is_refused_with_problems_not_an_exception(data: Any) -> None:
    assert problems_of(data)


def test_every_problem_is_listed_at_once() -> None:
    data = shipped("hkm")
    data["stages"][1]["pelaku"] = ["lurah"]
    data["stages"][2]["sla_hari"] = -1
    data["transitions"][0]["ke"] = "entah"
    assert len(problems_of(data)) >= 3


HKM = load_definition(shipped("hkm"))
NIB = load_definition(shipped("nib"))


def actions(tahap: str, *roles: str, definition: workflow.PermitDefinition = HKM) -> list[str]:
    return [t.aksi for t in allowed_transitions(definition, tahap, roles)]


@pytest.mark.parametrize(
    ("tahap", "roles", "expected"),
    [
        ("penyusunan", ("pendamping",), ["ajukan"]),
        ("penyusunan", ("pemohon",), ["ajukan"]),
        ("penyusunan", ("petugas_izin",), []),
        ("verifikasi_administrasi", ("petugas_izin",), ["verifikasi", "minta_perbaikan"]),
        ("verifikasi_administrasi", ("pendamping", "pemohon"), []),
        ("perbaikan", ("pendamping",), ["ajukan_ulang"]),
        ("verifikasi_teknis", ("admin_pemda",), ["verifikasi", "minta_perbaikan"]),
        ("rekomendasi", ("petugas_izin",), ["rekomendasikan"]),
        ("keputusan", ("petugas_izin",), ["setujui", "tolak"]),
        ("keputusan", ("pimpinan", "inspektorat"), []),
        ("disetujui", ("admin_pemda", "petugas_izin"), []),
        ("tidak_ada", ("admin_pemda",), []),
    ],
)
def test_allowed_transitions_by_role(tahap: str, roles: tuple[str, ...], expected: list[str]) -> None:
    assert actions(tahap, *roles) == expected


def test_nib_allows_the_counter_officer_to_help() -> None:
    assert actions("penyiapan_data", "petugas_izin", definition=NIB) == ["ajukan"]
    assert actions("pendaftaran_oss", "pendamping", definition=NIB) == ["minta_perbaikan", "catat_nib"]


def test_reasons_are_required_where_the_data_says() -> None:
    required = {t.aksi for t in HKM.transitions if t.alasan_wajib}
    assert required == {"minta_perbaikan", "rekomendasikan", "setujui", "tolak"}


STAGE = Stage(
    kode="verifikasi_administrasi", nama="Verifikasi administrasi", pelaku=("petugas_izin",), sla_hari=5
)
DAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    ("days", "used", "late"),
    [(0, 0, False), (1, 1, False), (5, 5, False), (6, 6, True), (30, 30, True)],
)
def test_sla_counts_calendar_days_and_is_overdue_only_past_the_allowed_days(
    days: int, used: int, late: bool
) -> None:
    state = sla(STAGE, DAY, DAY + datetime.timedelta(days=days), tz=JAKARTA)
    assert (state.hari_terpakai, state.hari_diizinkan, state.terlambat) == (used, 5, late)
    assert state.sisa == 5 - used


def test_sla_counts_local_dates_not_24_hour_periods() -> None:
    evening = datetime.datetime(2026, 3, 2, 23, 50, tzinfo=JAKARTA)
    next_morning = datetime.datetime(2026, 3, 3, 0, 10, tzinfo=JAKARTA)
    assert sla(STAGE, evening, next_morning, tz=JAKARTA).hari_terpakai == 1
    # 17:30 UTC on 2 March is already 3 March in Jakarta.
    utc_evening = datetime.datetime(2026, 3, 2, 17, 30, tzinfo=datetime.UTC)
    assert sla(STAGE, utc_evening, next_morning, tz=JAKARTA).hari_terpakai == 0


def test_stages_without_a_clock_are_never_late() -> None:
    drafting = HKM.stage("penyusunan")
    state = sla(drafting, DAY, DAY + datetime.timedelta(days=400), tz=JAKARTA)
    assert state == workflow.SlaState(hari_terpakai=400, hari_diizinkan=None, terlambat=False)
    assert state.sisa is None
    assert sla(HKM.stage("disetujui"), DAY, DAY + datetime.timedelta(days=9), tz=JAKARTA).terlambat is False


def test_sla_never_negative_when_clocks_disagree() -> None:
    assert sla(STAGE, DAY, DAY - datetime.timedelta(days=2), tz=JAKARTA).hari_terpakai == 0


HKM_DOCS = frozenset(
    {"ad_art", "rencana_kerja", "daftar_anggota", "struktur_organisasi", "surat_pengantar_desa"}
)
HKM_FIELDS = {
    "kawasan": "Hutan Lindung Register 30",
    "luas_dinyatakan": "120.5",
    "rencana_kerja": "Kopi dan lada",
}


def hkm_facts(**changes: Any) -> ChecklistFacts:
    values: dict[str, Any] = {
        "isian": HKM_FIELDS,
        "dokumen": HKM_DOCS,
        "ada_peta": True,
        "ada_pemohon": True,
        "anggota_ber_nik": 15,
    }
    values.update(changes)
    return ChecklistFacts(**values)


def test_a_complete_hkm_application_passes_the_checklist() -> None:
    result = build_checklist(HKM, "penyusunan", hkm_facts())
    assert result.complete, result.missing
    assert {i.jenis for i in result.items} == {"pemohon", "isian", "anggota", "dokumen"}


def test_the_map_document_is_satisfied_by_the_map_upload_or_a_file() -> None:
    assert not build_checklist(HKM, "penyusunan", hkm_facts(ada_peta=False)).complete
    with_file = hkm_facts(ada_peta=False, dokumen=HKM_DOCS | {"peta_areal_kelola"})
    assert build_checklist(HKM, "penyusunan", with_file).complete


def test_missing_items_are_named() -> None:
    facts = hkm_facts(
        isian={**HKM_FIELDS, "rencana_kerja": "  "},
        dokumen=HKM_DOCS - {"ad_art"},
        anggota_ber_nik=14,
        ada_pemohon=False,
    )
    result = build_checklist(HKM, "perbaikan", facts)
    assert not result.complete
    missing = {i.kode for i in result.missing}
    assert missing == {"pemohon", "isian:rencana_kerja", "dokumen:ad_art", "anggota"}
    members = next(i for i in result.items if i.kode == "anggota")
    assert members.keterangan == "14 dari 15 anggota"


NIB_FIELDS = {
    "akun_oss": "warung@example.id / 081234567890",
    "nama_usaha": "Warung Bu Sri",
    "pemilik": "Sri Wahyuni",
    "nik": "3275014101900001",
    "kbli": "47241",
    "lokasi": "32.75.01.1001",
    "alamat": "Pasar Kaget Jl. Elang Raya",
    "modal": 5000000,
    "pernyataan_mandiri": True,
}


@pytest.mark.parametrize(
    ("field", "value", "complete"),
    [
        (None, None, True),
        ("modal", 1_500_000_000, False),
        ("modal", 0, False),
        ("modal", "lima juta", False),
        ("nik", "3275-01", False),
        ("kbli", "4724", False),
        ("pernyataan_mandiri", False, False),
        ("akun_oss", "", False),
    ],
)
def test_nib_checklist(field: str | None, value: Any, complete: bool) -> None:
    fields = dict(NIB_FIELDS)
    if field:
        fields[field] = value
    result = build_checklist(
        NIB, "penyiapan_data", ChecklistFacts(isian=fields, dokumen=frozenset(), ada_pemohon=True)
    )
    assert result.complete is complete


def test_checklist_notes_never_repeat_what_the_applicant_typed() -> None:
    fields = {**NIB_FIELDS, "nik": "32750141019", "modal": 2_000_000_000}
    result = build_checklist(
        NIB, "penyiapan_data", ChecklistFacts(isian=fields, dokumen=frozenset(), ada_pemohon=True)
    )
    text = " ".join(f"{i.label} {i.keterangan}" for i in result.items)
    assert "32750141019" not in text
    assert "2000000000" not in text and "2.000.000.000" not in text
    assert "Rp1.000.000.000" in text  # the limit, not the typed value


@pytest.mark.parametrize(
    ("value", "filled"),
    [
        (None, False),
        ("", False),
        ("  ", False),
        (False, False),
        ([], False),
        ({}, False),
        (0, True),
        ("x", True),
        (True, True),
    ],
)
def test_is_filled(value: Any, filled: bool) -> None:
    assert workflow.is_filled(value) is filled
