"""Realization in and out of Excel: the pre-filled template, the import and its pages."""

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from rencana.core.imports import ImportResult
from rencana.core.models import AuditEvent
from rencana.monitoring import realization_io, services
from rencana.monitoring.models import Realization, RealizationValue, Status
from rencana.monitoring.tests.conftest import Monev
from rencana.planning import services as plan_services
from rencana.planning.models import Indicator, PlanNode
from rencana.planning.services import IndicatorInput, NodeInput

pytestmark = pytest.mark.django_db

# Columns of the file (1-based) and the first data row (a title row sits above the header row).
KODE, NAMA, INDIKATOR, SATUAN, NILAI, PAGU, ANGGARAN, PENDUKUNG, PENGHAMBAT, TINDAK = range(1, 11)
FIRST = 3
RS = "1.02.02.2.01.0001"
PUSKESMAS = "1.02.02.2.01.0002"
OTHER = "X.XX.01.2.01.0001"


@dataclass
class Lines:
    monev: Monev
    rs: PlanNode  # two indicators: "Jumlah Rumah Sakit yang Dibangun" (Unit), "Persentase progres" (%)
    puskesmas: PlanNode
    other: PlanNode  # a sub-kegiatan of the other OPD
    rs_indicators: list[Indicator]


@pytest.fixture
def lines(monev: Monev) -> Lines:
    plan = monev.plan
    plan_services.indicator_create(
        actor=None, node=plan.sub, data=IndicatorInput(nama="Persentase progres fisik", satuan="%")
    )
    puskesmas = plan_services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=plan.kegiatan,
        data=NodeInput(jenis="sub_kegiatan", kode=PUSKESMAS, opd=plan.opd, pagu={2026: Decimal(150000000)}),
    )
    program = plan_services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=None,
        data=NodeInput(jenis="program", kode="X.XX.01", opd=plan.other_opd),
    )
    kegiatan = plan_services.node_create(
        actor=None, document=plan.rkpd, parent=program, data=NodeInput(jenis="kegiatan", kode="X.XX.01.2.01")
    )
    other = plan_services.node_create(
        actor=None, document=plan.rkpd, parent=kegiatan, data=NodeInput(jenis="sub_kegiatan", kode=OTHER)
    )
    assert other.opd_id == plan.other_opd.pk
    indicators = list(Indicator.objects.filter(node=plan.sub).order_by("urutan", "id"))
    assert [i.nama for i in indicators] == ["Jumlah Rumah Sakit yang Dibangun", "Persentase progres fisik"]
    return Lines(monev=monev, rs=plan.sub, puskesmas=puskesmas, other=other, rs_indicators=indicators)


def _export(lines: Lines, triwulan: int = 2) -> bytes:
    plan = lines.monev.plan
    return realization_io.realization_export_bytes(
        document=plan.rkpd, opd=plan.opd, tahun=2026, triwulan=triwulan
    )


def _rows(data: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _row_of(data: bytes, kode: str) -> int:
    for number, row in enumerate(_rows(data), start=1):
        if row and row[0] == kode:
            return number
    raise AssertionError(f"{kode} not in the file")


def _file(
    tmp_path: Path, data: bytes, edits: dict[tuple[int, int], Any], name: str = "realisasi.xlsx"
) -> Path:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    for (row, column), value in edits.items():
        sheet.cell(row=row, column=column, value=value)
    path = tmp_path / name
    workbook.save(path)
    return path


def _import(lines: Lines, path: Path, *, dry_run: bool = False, triwulan: int = 2) -> ImportResult:
    plan = lines.monev.plan
    return realization_io.realization_import(
        actor=lines.monev.operator,
        document=plan.rkpd,
        opd=plan.opd,
        tahun=2026,
        triwulan=triwulan,
        path=path,
        dry_run=dry_run,
    )


def _filled(lines: Lines, tmp_path: Path) -> Path:
    data = _export(lines)
    row = _row_of(data, RS)
    return _file(
        tmp_path,
        data,
        {
            (row, NILAI): "1\n37,5",
            (row, ANGGARAN): "125.000.000",
            (row, PENDUKUNG): "Lahan sudah tersedia",
            (row, PENGHAMBAT): "Hujan",
            (row, TINDAK): "Tambah shift kerja",
        },
    )


def _events() -> int:
    return AuditEvent.objects.filter(object_type="monitoring.realization").count()


def test_the_template_lists_the_opds_sub_kegiatan_with_indicators_and_pagu(lines: Lines) -> None:
    rows = _rows(_export(lines))
    assert "Realisasi TW 2 2026" in str(rows[0][0])
    assert rows[1] == [
        "Kode",
        "Sub-kegiatan",
        "Indikator",
        "Satuan",
        "Nilai",
        "Pagu",
        "Realisasi anggaran",
        "Faktor pendukung",
        "Faktor penghambat",
        "Tindak lanjut",
    ]
    data = [r for r in rows[2:] if any(r)]
    assert [r[0] for r in data] == [RS, PUSKESMAS]  # not the other OPD's line
    rs = data[0]
    assert rs[INDIKATOR - 1] == "Jumlah Rumah Sakit yang Dibangun\nPersentase progres fisik"
    assert rs[SATUAN - 1] == "Unit\n%"
    assert rs[PAGU - 1] == "750.000.000"
    assert rs[NILAI - 1] is None and rs[ANGGARAN - 1] is None


def test_the_template_is_prefilled_with_the_stored_values(lines: Lines) -> None:
    first, second = lines.rs_indicators
    services.realization_save(
        actor=lines.monev.operator,
        node=lines.rs,
        tahun=2026,
        triwulan=2,
        expected_version=None,
        anggaran=Decimal("1250000.5"),
        values={second.pk: Decimal("12.5")},
        faktor_penghambat="Hujan",
    )
    data = _export(lines)
    row = _rows(data)[_row_of(data, RS) - 1]
    assert row[NILAI - 1] == "\n12,5"  # the first indicator has no value yet: an empty line
    assert row[ANGGARAN - 1] == "1250000,5"
    assert row[PENGHAMBAT - 1] == "Hujan"
    # Another quarter's file is empty.
    other = _export(lines, triwulan=3)
    assert _rows(other)[_row_of(other, RS) - 1][ANGGARAN - 1] is None
    assert first.pk  # both indicators are in the file


def test_a_good_file_is_checked_then_imported_as_drafts_and_reimporting_changes_nothing(
    lines: Lines, tmp_path: Path
) -> None:
    path = _filled(lines, tmp_path)
    preview = _import(lines, path, dry_run=True)
    assert preview.ok, preview.errors
    assert (preview.created, preview.updated, preview.unchanged) == (1, 0, 1)  # the empty row: nothing
    assert not Realization.objects.exists()

    result = _import(lines, path)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 1)
    realization = Realization.objects.get()
    assert realization.node == lines.rs and realization.status == Status.DRAFT
    assert (realization.tahun, realization.triwulan, realization.opd_id) == (2026, 2, lines.monev.plan.opd.pk)
    assert realization.anggaran == Decimal("125000000")
    assert realization.faktor_pendukung == "Lahan sudah tersedia"
    assert realization.tindak_lanjut == "Tambah shift kerja"
    first, second = lines.rs_indicators
    assert dict(RealizationValue.objects.values_list("indikator_id", "nilai")) == {
        first.pk: Decimal(1),
        second.pk: Decimal("37.5"),
    }
    assert not Realization.objects.filter(node=lines.puskesmas).exists()

    events, version = _events(), realization.version
    again = _import(lines, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert _events() == events
    realization.refresh_from_db()
    assert realization.version == version

    exported = tmp_path / "ekspor.xlsx"
    exported.write_bytes(_export(lines))
    round_trip = _import(lines, exported)
    assert (round_trip.created, round_trip.updated, round_trip.unchanged) == (0, 0, 2)
    assert _events() == events


def test_a_changed_row_updates_the_draft_and_a_blank_line_clears_a_value(
    lines: Lines, tmp_path: Path
) -> None:
    _import(lines, _filled(lines, tmp_path))
    data = _export(lines)
    row = _row_of(data, RS)
    result = _import(lines, _file(tmp_path, data, {(row, NILAI): "2\n-", (row, ANGGARAN): 130000000}))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    realization = Realization.objects.get()
    assert realization.anggaran == Decimal("130000000")
    first, _second = lines.rs_indicators
    assert dict(RealizationValue.objects.values_list("indikator_id", "nilai")) == {first.pk: Decimal(2)}
    assert realization.status == Status.DRAFT  # the import never submits


def test_a_file_with_errors_writes_nothing_and_names_every_bad_row_and_column(
    lines: Lines, tmp_path: Path
) -> None:
    data = _export(lines)
    rs, puskesmas = _row_of(data, RS), _row_of(data, PUSKESMAS)
    last = puskesmas + 1
    path = _file(
        tmp_path,
        data,
        {
            (rs, NILAI): "1\nsatu",
            (rs, ANGGARAN): "-5",
            (puskesmas, ANGGARAN): "banyak",
            (last, KODE): OTHER,
            (last + 1, KODE): "9.99.99.2.01.0001",
        },
    )
    result = _import(lines, path)
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (rs, "Nilai"),
        (rs, "Realisasi anggaran"),
        (puskesmas, "Realisasi anggaran"),
        (last, "Kode"),
        (last + 1, "Kode"),
    }
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "Baris 2" in messages[(rs, "Nilai")]
    assert "OPD lain" in messages[(last, "Kode")]
    assert "bukan sub-kegiatan" in messages[(last + 1, "Kode")]
    assert not Realization.objects.exists()
    assert result.created == result.updated == result.unchanged == 0


def test_unknown_indicator_names_and_misaligned_lines_are_errors_and_nothing_is_written(
    lines: Lines, tmp_path: Path
) -> None:
    data = _export(lines)
    rs, puskesmas = _row_of(data, RS), _row_of(data, PUSKESMAS)
    path = _file(
        tmp_path,
        data,
        {
            (rs, INDIKATOR): "Jumlah Rumah Sakit yang Dibangun\nJumlah Tempat Tidur",
            (rs, NILAI): "1\n20",
            (puskesmas, NILAI): "1\n2\n3",
            (puskesmas, ANGGARAN): "1000000",
        },
    )
    result = _import(lines, path)
    assert not result.ok
    by_row = {(e.row, e.column): e.message for e in result.errors}
    assert "“Jumlah Tempat Tidur”" in by_row[(rs, "Indikator")]
    assert "Nilai (3)" in by_row[(puskesmas, "Nilai")]
    assert not Realization.objects.exists()


def test_indicator_names_match_ignoring_case_and_spaces(lines: Lines, tmp_path: Path) -> None:
    data = _export(lines)
    rs = _row_of(data, RS)
    path = _file(
        tmp_path,
        data,
        {
            (rs, INDIKATOR): "persentase  progres FISIK\njumlah rumah sakit yang dibangun",
            (rs, NILAI): "40\n1",
        },
    )
    assert _import(lines, path).ok
    first, second = lines.rs_indicators
    assert dict(RealizationValue.objects.values_list("indikator_id", "nilai")) == {
        first.pk: Decimal(1),
        second.pk: Decimal(40),
    }


def test_rows_of_submitted_or_verified_realization_are_refused_unless_identical(
    lines: Lines, tmp_path: Path
) -> None:
    _import(lines, _filled(lines, tmp_path))
    realization = Realization.objects.get()
    services.realization_submit(
        actor=lines.monev.operator, realization=realization, expected_version=realization.version
    )
    unchanged = tmp_path / "sama.xlsx"
    unchanged.write_bytes(_export(lines))
    assert _import(lines, unchanged).unchanged == 2

    data = _export(lines)
    rs = _row_of(data, RS)
    changed = _file(tmp_path, data, {(rs, ANGGARAN): "1"}, name="ubah.xlsx")
    result = _import(lines, changed)
    assert [(e.row, e.column) for e in result.errors] == [(rs, "Kode")]
    assert "sudah diajukan" in result.errors[0].message

    services.realization_verify(
        actor=lines.monev.verifier, realization=realization, expected_version=realization.version
    )
    result = _import(lines, changed)
    assert [(e.row, e.column) for e in result.errors] == [(rs, "Kode")]
    assert "terverifikasi" in result.errors[0].message and "revisi" in result.errors[0].message
    realization.refresh_from_db()
    assert realization.anggaran == Decimal("125000000") and realization.status == Status.VERIFIED

    # After a revision the correction goes into the new draft; the verified entry stays.
    services.realization_revise(actor=lines.monev.operator, realization=realization)
    assert _import(lines, changed).updated == 1
    assert list(
        Realization.objects.filter(node=lines.rs).order_by("revisi_ke").values_list("status", "anggaran")
    ) == [(Status.VERIFIED, Decimal("125000000")), (Status.DRAFT, Decimal(1))]


def test_the_services_refusal_names_the_column(lines: Lines, tmp_path: Path) -> None:
    data = _export(lines)
    rs = _row_of(data, RS)
    path = _file(tmp_path, data, {(rs, ANGGARAN): "800000000"})  # the pagu is 750.000.000
    result = _import(lines, path)
    assert [(e.row, e.column) for e in result.errors] == [(rs, "Realisasi anggaran")]
    assert "melebihi pagu" in result.errors[0].message


def test_a_csv_without_the_nilai_column_keeps_the_stored_values(lines: Lines, tmp_path: Path) -> None:
    _import(lines, _filled(lines, tmp_path))
    path = tmp_path / "realisasi.csv"
    path.write_text(f"Kode;Realisasi anggaran\n{RS};126000000\n", encoding="utf-8")
    result = _import(lines, path)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert RealizationValue.objects.count() == 2
    realization = Realization.objects.get()
    assert realization.anggaran == Decimal("126000000") and realization.faktor_penghambat == "Hujan"


def test_texts_typed_elsewhere_survive_the_round_trip_as_text(lines: Lines, tmp_path: Path) -> None:
    """Text saved on the entry page or through the API: never a formula in the file, never a 500."""
    services.realization_save(
        actor=lines.monev.operator,
        node=lines.rs,
        tahun=2026,
        triwulan=2,
        expected_version=None,
        anggaran=None,
        values={},
        faktor_pendukung="=1+1",
        faktor_penghambat="baris satu\r\nbaris dua",
        tindak_lanjut="bel\x07",
    )
    data = _export(lines)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    row = _row_of(data, RS)
    assert sheet.cell(row=row, column=PENDUKUNG).data_type == "s"
    assert sheet.cell(row=row, column=TINDAK).value == "bel"
    path = tmp_path / "ekspor.xlsx"
    path.write_bytes(data)
    result = _import(lines, path)
    assert (result.updated, result.unchanged) == (0, 2)  # line ends and control characters aside
    realization = Realization.objects.get()
    assert realization.faktor_pendukung == "=1+1"
    assert realization.faktor_penghambat == "baris satu\r\nbaris dua"
    assert realization.tindak_lanjut == "bel\x07"
    # A real change is saved, with the file's line ends.
    changed = _file(tmp_path, data, {(row, TINDAK): "Lanjutkan"}, name="ubah.xlsx")
    assert _import(lines, changed).updated == 1
    realization.refresh_from_db()
    assert (realization.faktor_pendukung, realization.tindak_lanjut) == ("=1+1", "Lanjutkan")
    assert realization.faktor_penghambat == "baris satu\nbaris dua"


def test_a_period_outside_the_document_is_refused(lines: Lines, tmp_path: Path) -> None:
    from rencana.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        _import(lines, _filled(lines, tmp_path), triwulan=5)


# --- pages ---------------------------------------------------------------------------------------


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(lines: Lines, name: str, opd_id: int | None = None) -> str:
    plan = lines.monev.plan
    url = reverse(f"monitoring:{name}", kwargs={"kode": plan.pemda.kode, "opd_id": opd_id or plan.opd.pk})
    return f"{url}?tahun=2026&tw=2"


def test_the_operator_uploads_checks_and_confirms_on_the_import_page(lines: Lines, tmp_path: Path) -> None:
    client = _client(lines.monev.operator)
    url = _url(lines, "realization_import")
    page = client.get(url)
    assert page.status_code == 200
    assert "templat.xlsx?tahun=2026&amp;tw=2" in page.content.decode()

    upload = SimpleUploadedFile("realisasi.xlsx", _filled(lines, tmp_path).read_bytes())
    checked = client.post(url, {"berkas": upload, "aksi": "periksa"})
    assert checked.status_code == 200
    assert not Realization.objects.exists()
    token = checked.context["token"]
    assert checked.context["result"].created == 1

    done = client.post(url, {"token": token, "aksi": "impor"})
    assert done.status_code == 302
    assert done["Location"].endswith(f"/opd/{lines.monev.plan.opd.pk}/?tahun=2026&tw=2")
    assert Realization.objects.get().status == Status.DRAFT


def test_the_import_page_lists_every_error_and_saves_nothing(lines: Lines, tmp_path: Path) -> None:
    data = _export(lines)
    rs = _row_of(data, RS)
    bad = _file(tmp_path, data, {(rs, NILAI): "x\ny", (rs + 1, ANGGARAN): "-1"})
    response = _client(lines.monev.operator).post(
        _url(lines, "realization_import"),
        {"berkas": SimpleUploadedFile("r.xlsx", bad.read_bytes()), "aksi": "periksa"},
    )
    assert response.status_code == 400
    assert len(response.context["result"].errors) == 2
    assert not Realization.objects.exists()


def test_who_may_import_and_download(lines: Lines) -> None:
    monev = lines.monev
    other_opd = monev.plan.other_opd.pk
    # Another OPD's operator: that OPD does not exist for them.
    assert _client(monev.other_operator).get(_url(lines, "realization_import")).status_code == 404
    assert _client(monev.other_operator).get(_url(lines, "realization_template")).status_code == 404
    # A verifier reads (downloads) but does not import.
    assert _client(monev.verifier).get(_url(lines, "realization_import")).status_code == 403
    download = _client(monev.verifier).get(_url(lines, "realization_template"))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="realisasi-' in download["Content-Disposition"]
    # The operator downloads their own OPD's file, never the other one's.
    assert _client(monev.operator).get(_url(lines, "realization_template")).status_code == 200
    assert _client(monev.operator).get(_url(lines, "realization_template", other_opd)).status_code == 404


def test_the_opd_page_links_to_the_import_for_its_operator(lines: Lines) -> None:
    page = _client(lines.monev.operator).get(_url(lines, "opd")).content.decode()
    assert "/impor/?tahun=2026&amp;tw=2" in page and "/templat.xlsx?tahun=2026&amp;tw=2" in page
    page = _client(lines.monev.verifier).get(_url(lines, "opd")).content.decode()
    assert "/impor/" not in page and "/templat.xlsx" in page
