"""Loading the shipped BPS table (IPM, IPG, IDG, IKG of Jawa Timur) into IndexValue: exact, idempotent,
all-or-nothing, regions that are not loaded reported; and the `rencana gender load-bps` command."""

import csv
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from rencana.conftest import make_region
from rencana.core.errors import ApplicationError
from rencana.core.models import AuditEvent
from rencana.gender import bps
from rencana.gender.models import IndexValue

pytestmark = pytest.mark.django_db

D = Decimal
SHIPPED = bps.JATIM_FILE
INDICES = ("IPM", "IPG", "IDG", "IKG")


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    with translation.override("id"):
        yield


def csv_rows() -> list[dict[str, str]]:
    with SHIPPED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def jatim_names() -> dict[str, str]:
    """Code -> name of the 39 regions of the shipped file (province 35 and 38 kabupaten/kota)."""
    return {row["kode_kemendagri"]: row["wilayah"] for row in csv_rows()}


def make_jatim(codes: list[str] | None = None) -> None:
    """Province 35 and (some of) its kabupaten/kota as `rencana regions load` would write them."""
    make_region("35", "Jawa Timur", "provinsi")
    for kode, nama in jatim_names().items():
        if kode == "35" or (codes is not None and kode not in codes):
            continue
        make_region(kode, nama, "kota" if nama.startswith("Kota ") else "kabupaten", "35")


def stored(kode: str, tahun: int, indeks: str) -> IndexValue:
    return IndexValue.objects.get(wilayah_id=kode, tahun=tahun, indeks=indeks)


def test_shipped_file_is_the_reviewed_copy() -> None:
    import hashlib

    digest = hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    assert digest == "dc9b5452e1ff4826dc32eb03aceb524fdaedac6a6d7016cf54fdd29afea3badc"
    assert digest in (SHIPPED.parent / "PROVENANCE.md").read_text(encoding="utf-8")


def test_full_load_reproduces_every_value_of_the_file_exactly() -> None:
    make_jatim()
    result = bps.load_jatim()
    expected = [r for r in csv_rows() if r["indikator"] in INDICES]
    assert len(expected) == 39 * 14 + 3 * 39 * 3  # IPM 2010-2023; IPG, IDG, IKG 2021-2023
    assert (result.created, result.updated, result.unchanged) == (len(expected), 0, 0)
    assert result.ignored == len(csv_rows()) - len(expected)
    assert result.missing_regions == [] and result.skipped == 0
    db = {(v.wilayah_id, v.tahun, v.indeks): v.nilai for v in IndexValue.objects.all()}
    assert len(db) == len(expected)
    for row in expected:
        assert db[(row["kode_kemendagri"], int(row["tahun"]), row["indikator"])] == D(row["nilai"]), row


@pytest.mark.parametrize(
    ("kode", "tahun", "indeks", "nilai"),
    [
        ("35.75", 2023, "IPM", "77.17"),
        ("35.75", 2023, "IPG", "96.81"),
        ("35.75", 2023, "IDG", "56.11"),
        ("35.75", 2023, "IKG", "0.310"),
        ("35", 2023, "IKG", "0.423"),
        ("35.77", 2023, "IKG", "0.079"),
        ("35.01", 2010, "IPM", None),
        ("35.78", 2021, "IPG", None),
    ],
)
def test_spot_values_match_the_file(kode: str, tahun: int, indeks: str, nilai: str | None) -> None:
    make_jatim(["35.01", "35.75", "35.77", "35.78"])
    bps.load_jatim()
    in_file = next(
        r["nilai"]
        for r in csv_rows()
        if (r["kode_kemendagri"], int(r["tahun"]), r["indikator"]) == (kode, tahun, indeks)
    )
    if nilai is not None:
        assert in_file == nilai  # the brief's spot check is what the file says
    value = stored(kode, tahun, indeks)
    assert value.nilai == D(in_file)
    assert value.sumber.startswith("BPS")


def test_source_keeps_the_file_note() -> None:
    make_jatim(["35.75"])
    bps.load_jatim()
    assert stored("35.75", 2023, "IPM").sumber == (
        "BPS; IPM metode baru (seri BPS sebelum penyesuaian UHH Long Form SP2020)"
    )
    assert stored("35.75", 2023, "IKG").sumber == "BPS"


def test_other_indicators_are_not_loaded() -> None:
    make_jatim(["35.75"])
    bps.load_jatim()
    assert set(IndexValue.objects.values_list("indeks", flat=True)) == set(INDICES)
    # IPM 2023 is the "metode baru" series (77.17), not the UHH Long Form SP2020 one (78.30).
    assert stored("35.75", 2023, "IPM").nilai == D("77.17")


def test_missing_regions_are_reported_and_nothing_is_created_for_them() -> None:
    make_jatim(["35.75", "35.78"])
    result = bps.load_jatim()
    assert set(IndexValue.objects.values_list("wilayah_id", flat=True)) == {"35", "35.75", "35.78"}
    assert len(result.missing_regions) == 36 and "35.01" in result.missing_regions
    assert result.skipped == 36 * 23 and result.created == 3 * 23
    assert "36 kode wilayah tidak ada" in bps.describe(result)


def test_nothing_loaded_when_no_region_exists() -> None:
    result = bps.load_jatim()
    assert result.created == 0 and len(result.missing_regions) == 39
    assert not IndexValue.objects.exists()
    assert not AuditEvent.objects.filter(action="reference_load").exists()


def test_second_load_changes_nothing_and_leaves_no_audit() -> None:
    make_jatim(["35.75", "35.78"])
    first = bps.load_jatim()
    assert AuditEvent.objects.filter(action="reference_load", object_type="gender.indexvalue").count() == 1
    second = bps.load_jatim()
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert not second.changed
    assert AuditEvent.objects.filter(action="reference_load", object_type="gender.indexvalue").count() == 1


def test_a_changed_value_is_updated_and_an_extra_value_kept() -> None:
    make_jatim(["35.75"])
    bps.load_jatim()
    IndexValue.objects.filter(wilayah_id="35.75", tahun=2023, indeks="IPM").update(nilai=D("1.00"))
    IndexValue.objects.create(wilayah_id="35.75", tahun=2030, indeks="IPM", nilai=D("80"), sumber="hitung")
    result = bps.load_jatim()
    assert (result.created, result.updated) == (0, 1)
    assert stored("35.75", 2023, "IPM").nilai == D("77.17")
    assert stored("35.75", 2030, "IPM").sumber == "hitung"


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "bps.csv"
    path.write_text(
        "\n".join(["kode_kemendagri,kode_bps,wilayah,indikator,tahun,nilai,satuan,catatan", *lines]) + "\n"
    )
    return path


def test_one_bad_row_writes_nothing_and_every_error_is_reported(tmp_path: Path) -> None:
    make_jatim(["35.75"])
    path = _write(
        tmp_path,
        [
            "35.75,3575,Kota Pasuruan,IPM,2023,77.17,indeks,",
            "35.75,3575,Kota Pasuruan,IPG,2023,96.81,indeks,",
            "35.75,3575,Kota Pasuruan,IKG,2023,1.5,indeks,",
            "35.75,3575,Kota Pasuruan,IDG,abc,56.11,indeks,",
            "3575,3575,Kota Pasuruan,IDG,2022,56.11,indeks,",
            "35.75,3575,Kota Pasuruan,IPM,2022,tujuh,indeks,",
            "35.75,3575,Kota Pasuruan,IPM,2022,76.123456,indeks,",
            "35.75,3575,Kota Pasuruan,IPM,2023,77.17,indeks,",
            "35.75,3575,Kota Pasuruan,IPM,2021,NaN,indeks,",
            "35.75,3575,Kota Pasuruan,HLS,2023,bukan angka,tahun,",
        ],
    )
    with pytest.raises(ApplicationError) as caught:
        bps.bps_load(path=path)
    assert not IndexValue.objects.exists()
    errors = [(e["baris"], e["kolom"]) for e in caught.value.errors]
    assert errors == [
        (4, "nilai"),
        (5, "tahun"),
        (6, "kode_kemendagri"),
        (7, "nilai"),
        (8, "nilai"),
        (9, "indikator"),
        (10, "nilai"),
    ]
    assert "sudah ada di baris 2" in caught.value.errors[5]["pesan"]
    assert "tidak ada nilai yang dimuat" in caught.value.message


def test_a_database_failure_rolls_back_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_jatim(["35.75"])
    path = _write(tmp_path, ["35.75,3575,Kota Pasuruan,IPM,2023,77.17,indeks,"])
    IndexValue.objects.create(wilayah_id="35.75", tahun=2022, indeks="IPM", nilai=D("1"), sumber="BPS")
    path.write_text(path.read_text() + "35.75,3575,Kota Pasuruan,IPM,2022,76.43,indeks,\n")

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(IndexValue.objects, "bulk_update", fail)
    with pytest.raises(RuntimeError):
        bps.bps_load(path=path)
    # The row created before the failure is gone, the stored one untouched.
    assert list(IndexValue.objects.values_list("tahun", "nilai")) == [(2022, D("1"))]


def test_missing_columns_and_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "kolom.csv"
    bad.write_text("kode,tahun,nilai\n35.75,2023,1\n")
    with pytest.raises(ApplicationError) as caught:
        bps.bps_load(path=bad)
    assert "kode_kemendagri" in caught.value.errors[0]["kolom"]
    binary = tmp_path / "biner.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ApplicationError, match="UTF-8"):
        bps.bps_load(path=binary)
    with pytest.raises(ApplicationError, match="tidak bisa dibaca"):
        bps.bps_load(path=tmp_path / "tidak-ada.csv")


def test_command_prints_the_counts_and_is_idempotent() -> None:
    make_jatim(["35.75"])
    out = StringIO()
    call_command("gender", "load-bps", stdout=out)
    text = out.getvalue()
    assert "46 dibuat, 0 diperbarui, 0 tidak berubah" in text
    assert "37 kode wilayah tidak ada" in text and "rencana regions load" in text
    out = StringIO()
    call_command("gender", "load-bps", stdout=out)
    assert "0 dibuat, 0 diperbarui, 46 tidak berubah" in out.getvalue()


def test_command_with_a_bad_file_exits_with_every_error(tmp_path: Path) -> None:
    path = _write(tmp_path, ["35.75,3575,Kota Pasuruan,IKG,2023,2,indeks,"])
    err = StringIO()
    with pytest.raises(CommandError, match="1 kesalahan"):
        call_command("gender", "load-bps", "--file", str(path), stderr=err)
    assert "baris 2, kolom nilai" in err.getvalue()
    with pytest.raises(CommandError, match="tidak bisa dibaca"):
        call_command("gender", "load-bps", "--file", str(tmp_path / "hilang.csv"))


def test_load_jatim_writes_one_line_for_the_demo() -> None:
    make_jatim()
    out = StringIO()
    result = bps.load_jatim(stdout=out)
    assert result.created == 897
    assert out.getvalue().startswith("Nilai indeks BPS dari jatim_ipm_ipg_idg_ikg_kabkota.csv: 897 dibuat")
