"""Pure parts of the applicant side: NIK checks and masking, the wizard's steps and work plan. No database."""

import pytest

from rencana.permits import wizard
from rencana.permits.nik import (
    clean_nik,
    clean_telepon,
    mask_nik,
    mask_telepon,
    nik_is_female,
    nik_problem,
    telepon_problem,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("1806015501900007", "1806015501900007"),
        (" 1806 0155 0190 0007 ", "1806015501900007"),
        ("1806.0155-0190.0007", "1806015501900007"),
        ("", ""),
    ],
)
def test_clean_nik_removes_group_separators(raw: str, clean: str) -> None:
    assert clean_nik(raw) == clean


@pytest.mark.parametrize("nik", ["1806011501900001", "3201234101900001", "9471017112990009"])
def test_valid_niks(nik: str) -> None:
    assert nik_problem(nik) is None


@pytest.mark.parametrize(
    ("nik", "fragment"),
    [
        ("", "wajib"),
        ("18060115019000AB", "hanya berisi angka"),
        ("180601150190001", "yang diisi 15"),
        ("18060115019000011", "yang diisi 17"),
        ("0906011501900001", "kode provinsi"),
        ("1806013201900001", "tanggal lahir"),
        ("1806017201900001", "tanggal lahir"),
        ("1806011513900001", "tanggal lahir"),
        ("1806011500900001", "tanggal lahir"),
        ("1806011501900000", "0000"),
    ],
)
def test_invalid_niks_say_why(nik: str, fragment: str) -> None:
    problem = nik_problem(nik)
    assert problem is not None and fragment in problem


def test_sex_from_nik() -> None:
    assert nik_is_female("1806015501900007") is True
    assert nik_is_female("1806011501900007") is False
    assert nik_is_female("123") is None


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("3201234567890001", "3201********0001"),
        ("", ""),
        ("12345678", "********"),
        ("123456789", "1234*6789"),
    ],
)
def test_mask_nik(value: str, masked: str) -> None:
    assert mask_nik(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("081234567890", "0812*****890"), ("", ""), ("12345", "*****"), ("+6281234567", "+628****567")],
)
def test_mask_telepon(value: str, masked: str) -> None:
    assert mask_telepon(value) == masked


def test_phone_cleaning_and_checks() -> None:
    assert clean_telepon("+62 812-3456-7890") == "+6281234567890"
    assert clean_telepon("(0721) 123456") == "0721123456"
    assert telepon_problem("") is None and telepon_problem("081234567890") is None
    assert telepon_problem("0812abc") is not None and telepon_problem("123") is not None


# --- wizard ------------------------------------------------------------------------------------------


def codes(steps: tuple[wizard.Step, ...]) -> list[str]:
    return [s.kode for s in steps]


def test_steps_per_applicant_kind() -> None:
    assert codes(wizard.steps_for("kelompok", has_documents=True)) == [
        "kelompok",
        "areal",
        "rencana",
        "dokumen",
        "periksa",
    ]
    assert codes(wizard.steps_for("usaha", has_documents=False)) == [
        "usaha",
        "kbli",
        "lokasi",
        "pernyataan",
        "periksa",
    ]
    assert codes(wizard.steps_for("usaha", has_documents=True))[-2:] == ["dokumen", "periksa"]


def test_neighbours() -> None:
    steps = wizard.steps_for("kelompok", has_documents=True)
    before, after = wizard.neighbours(steps, "kelompok")
    assert before is None and after is not None and after.kode == "areal"
    before, after = wizard.neighbours(steps, "periksa")
    assert before is not None and before.kode == "dokumen" and after is None
    assert wizard.neighbours(steps, "tidak-ada") == (None, None)
    assert wizard.find_step(steps, "rencana") is not None and wizard.find_step(steps, "x") is None


@pytest.mark.parametrize(
    ("item", "step"),
    [
        ("pemohon", "kelompok"),
        ("anggota", "kelompok"),
        ("isian:kawasan", "areal"),
        ("isian:luas_dinyatakan", "areal"),
        ("isian:rencana_kerja", "rencana"),
        ("dokumen:ad_art", "dokumen"),
        ("dokumen:peta_areal_kelola", "areal"),
        ("isian:tidak_dikenal", "periksa"),
        ("sesuatu", "periksa"),
    ],
)
def test_checklist_items_lead_to_their_step_hkm(item: str, step: str) -> None:
    steps = wizard.steps_for("kelompok", has_documents=True)
    assert wizard.step_for_item(steps, item, peta_documents=["peta_areal_kelola"]) == step


@pytest.mark.parametrize(
    ("item", "step"),
    [
        ("pemohon", "usaha"),
        ("isian:nik", "usaha"),
        ("isian:akun_oss", "usaha"),
        ("isian:kbli", "kbli"),
        ("isian:lokasi", "lokasi"),
        ("isian:modal", "lokasi"),
        ("isian:pernyataan_mandiri", "pernyataan"),
        ("dokumen:ktp_pemilik", "periksa"),
    ],
)
def test_checklist_items_lead_to_their_step_nib(item: str, step: str) -> None:
    steps = wizard.steps_for("usaha", has_documents=False)
    assert wizard.step_for_item(steps, item) == step


def test_work_plan_keeps_filled_rows_trimmed_and_bounded() -> None:
    rows = [
        {"kegiatan": "  Pembibitan  ", "waktu": "Tahun\x00 ke-1", "target": "", "keterangan": ""},
        {"kegiatan": "", "waktu": "", "target": "", "keterangan": ""},
        {"kegiatan": "x" * 500},
        *({"kegiatan": f"K{i}"} for i in range(40)),
    ]
    kept = wizard.clean_work_plan(rows)
    assert kept[0] == {"kegiatan": "Pembibitan", "waktu": "Tahun ke-1", "target": "", "keterangan": ""}
    assert len(kept[1]["kegiatan"]) == wizard.WORK_TEXT_MAX
    assert len(kept) == wizard.MAX_WORK_ROWS


def test_work_plan_rows_tolerate_hand_edited_data() -> None:
    assert wizard.work_plan_rows({}) == []
    assert wizard.work_plan_rows({"rencana_kegiatan": "teks"}) == []
    assert wizard.work_plan_rows({"rencana_kegiatan": [1, None, {"kegiatan": "A"}]}) == [
        {"kegiatan": "A", "waktu": "", "target": "", "keterangan": ""}
    ]
