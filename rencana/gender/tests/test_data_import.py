"""XLSX import and export of data terpilah and index components through the core import framework:
template, dry run reporting every bad row and column without writing, commit all or nothing, idempotent
re-import, OPD scope per row, and the page flow upload -> dry run -> confirm."""

import io
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from rencana.accounts.scope import scope_for
from rencana.core.models import AuditEvent
from rencana.core.roles import Role
from rencana.gender import data_io
from rencana.gender.models import IndexComponent, SexValue
from rencana.gender.selectors_data import compute_pemda_indices
from rencana.gender.tests.test_data_services import World, build_world
from rencana.regions.models import Pemda

D = Decimal
HEADER = [
    "ID indikator",
    "Nama indikator",
    "Kode wilayah",
    "Tahun",
    "Perempuan",
    "Laki-laki",
    "Sumber",
    "Status",
]


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    with translation.override("id"):
        yield


@pytest.fixture
def w(pemda_a: Pemda) -> World:
    return build_world(pemda_a)


def xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def good_rows(w: World) -> list[list[Any]]:
    return [
        [
            w.opd_indicator.pk,
            "Jumlah peserta pelatihan",
            "63.02",
            2024,
            "1.234,5",
            987,
            "SIMPUS 2024",
            "tetap",
        ],
        [w.opd_indicator.pk, "", "63.02.01", 2024, 12.5, "", "SIMPUS 2024", ""],
        [
            w.pemda_indicator.pk,
            "indeks ketimpangan  GENDER (IKG)",
            "63.02",
            2023,
            "0,551",
            "",
            "BPS",
            "sementara",
        ],
    ]


def run(
    w: World, path: Path, *, dry_run: bool, role: Role = Role.PERENCANA, opd: Any = None, make_user: Any
) -> Any:
    user = make_user(role, w.pemda, opd)
    return data_io.sexvalue_import_run(
        actor=user, pemda=w.pemda, scope=scope_for(user, w.pemda), path=path, dry_run=dry_run
    )


def test_dry_run_reports_every_bad_row_and_column_and_writes_nothing(
    w: World, tmp_path: Path, pemda_b: Pemda, make_user: Callable[..., Any]
) -> None:
    path = xlsx(
        tmp_path / "salah.xlsx",
        HEADER,
        [
            *good_rows(w),
            [w.unflagged.pk, "", "63.02", 2024, "1", "1", "BPS", ""],  # 5: not flagged
            [999999, "", "63.02", 2024, "1", "1", "BPS", ""],  # 6: no such indicator
            [w.opd_indicator.pk, "", "35.75", 2024, "1", "1", "BPS", ""],  # 7: outside the pemda
            [w.opd_indicator.pk, "", "63.02", "dua ribu", "-1", "5.319.05", "BPS", "final"],  # 8: 4 bad cells
            [w.opd_indicator.pk, "Nama lain", "63.02", 2022, "1", "", "", ""],  # 9: wrong name
            [w.other_indicator.pk, "", "63.02", 2024, "", "3", "", ""],  # 10: a value without source
            [w.opd_indicator.pk, "", "63.2", 2022, "1", "", "x", ""],  # 11: malformed region code
        ],
    )
    result = run(w, path, dry_run=True, make_user=make_user)
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert {
        (5, "ID indikator"),
        (6, "ID indikator"),
        (7, "Kode wilayah"),
        (8, "Tahun"),
        (8, "Perempuan"),
        (8, "Laki-laki"),
        (8, "Status"),
        (9, "Nama indikator"),
        (10, "Sumber"),
        (11, "Kode wilayah"),
    } <= found
    assert not {row for row, _column in found} & {2, 3, 4}
    assert not SexValue.objects.exists()
    # The same errors on a commit: all or nothing.
    assert not run(w, path, dry_run=False, make_user=make_user).ok
    assert not SexValue.objects.exists()


def test_commit_then_reimport_is_idempotent(w: World, tmp_path: Path, make_user: Callable[..., Any]) -> None:
    path = xlsx(tmp_path / "data.xlsx", HEADER, good_rows(w))
    preview = run(w, path, dry_run=True, make_user=make_user)
    assert (preview.ok, preview.created, preview.updated, preview.unchanged) == (True, 3, 0, 0)
    assert not SexValue.objects.exists()
    done = run(w, path, dry_run=False, make_user=make_user)
    assert (done.created, done.updated, done.unchanged) == (3, 0, 0)
    value = SexValue.objects.get(indikator=w.opd_indicator, wilayah_id="63.02")
    assert (value.perempuan, value.laki_laki, value.status) == (D("1234.5"), D("987"), "tetap")
    assert SexValue.objects.get(wilayah_id="63.02.01").status == "sementara"
    events = AuditEvent.objects.filter(object_type="gender.sexvalue").count()
    again = run(w, path, dry_run=False, make_user=make_user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.filter(object_type="gender.sexvalue").count() == events
    changed = good_rows(w)
    changed[0][4] = "1300"
    result = run(w, xlsx(tmp_path / "ubah.xlsx", HEADER, changed), dry_run=False, make_user=make_user)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)


def test_export_imports_back_unchanged(w: World, tmp_path: Path, make_user: Callable[..., Any]) -> None:
    run(w, xlsx(tmp_path / "data.xlsx", HEADER, good_rows(w)), dry_run=False, make_user=make_user)
    exported = tmp_path / "ekspor.xlsx"
    exported.write_bytes(data_io.sexvalue_export_bytes(pemda=w.pemda))
    result = run(w, exported, dry_run=False, make_user=make_user)
    assert (result.ok, result.unchanged, result.created, result.updated) == (True, 3, 0, 0)


def test_operator_imports_only_its_own_opds_rows(
    w: World, tmp_path: Path, make_user: Callable[..., Any]
) -> None:
    path = xlsx(tmp_path / "data.xlsx", HEADER, good_rows(w))
    result = run(w, path, dry_run=True, role=Role.OPERATOR_OPD, opd=w.plan.opd, make_user=make_user)
    assert [(e.row, e.column) for e in result.errors] == [(4, "ID indikator")]  # the pemda-wide indicator
    other = run(w, path, dry_run=True, role=Role.OPERATOR_OPD, opd=w.plan.other_opd, make_user=make_user)
    assert sorted(e.row for e in other.errors) == [2, 3, 4]


def test_template_lists_the_indicators_the_user_may_fill_and_imports_as_is(
    w: World, tmp_path: Path, make_user: Callable[..., Any]
) -> None:
    user = make_user(Role.OPERATOR_OPD, w.pemda, w.plan.opd)
    content = data_io.sexvalue_template_bytes(pemda=w.pemda, scope=scope_for(user, w.pemda), tahun=2024)
    workbook = load_workbook(io.BytesIO(content))
    rows = [r for r in workbook.worksheets[0].iter_rows(values_only=True) if any(r)]
    assert rows[0][0] == "ID indikator"
    assert [r[0] for r in rows[1:]] == [w.opd_indicator.pk]
    assert rows[1][3:6] == ("63.02", "Kabupaten Kotabaru", 2024)
    assert workbook.sheetnames[1] == "Petunjuk"
    path = tmp_path / "templat.xlsx"
    path.write_bytes(content)
    untouched = data_io.sexvalue_import_run(
        actor=user, pemda=w.pemda, scope=scope_for(user, w.pemda), path=path, dry_run=True
    )
    assert untouched.ok and untouched.unchanged == 1  # blank rows are skipped
    workbook.worksheets[0]["G2"] = 40
    workbook.worksheets[0]["I2"] = "Laporan pelatihan 2024"
    workbook.save(path)
    filled = data_io.sexvalue_import_run(
        actor=user, pemda=w.pemda, scope=scope_for(user, w.pemda), path=path, dry_run=False
    )
    assert filled.created == 1
    assert SexValue.objects.get().perempuan == D("40")


def test_unreadable_file_is_one_error(w: World, tmp_path: Path, make_user: Callable[..., Any]) -> None:
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04 bukan excel")
    result = run(w, path, dry_run=True, make_user=make_user)
    assert len(result.errors) == 1 and result.errors[0].row == 0


# --- the page flow ---------------------------------------------------------------------------------


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_import_page_dry_run_then_confirm(
    w: World, tmp_path: Path, settings: Any, client_as: Callable[..., Client]
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = client_as(Role.POKJA_PUG, w.pemda)
    page = reverse("gender:data_import", kwargs={"kode": w.pemda.kode})
    assert client.get(page).status_code == 200
    template = client.get(
        reverse("gender:data_import_template", kwargs={"kode": w.pemda.kode}) + "?tahun=2024"
    )
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")

    bad = xlsx(
        tmp_path / "salah.xlsx", HEADER, [[w.opd_indicator.pk, "", "63.02", 2024, "-5", "", "BPS", ""]]
    )
    response = client.post(page, {"berkas": upload(bad), "aksi": "periksa"})
    assert response.status_code == 400
    assert "Perempuan" in response.content.decode() and "Paling kecil 0" in response.content.decode()

    good = xlsx(tmp_path / "benar.xlsx", HEADER, good_rows(w))
    response = client.post(page, {"berkas": upload(good), "aksi": "periksa"})
    assert response.status_code == 200
    assert not SexValue.objects.exists()
    token = response.context["token"]
    response = client.post(page, {"token": token, "aksi": "impor"})
    assert response.status_code == 302
    assert SexValue.objects.count() == 3
    # The stored upload is gone: confirming twice does not import twice.
    assert client.post(page, {"token": token, "aksi": "impor"}).status_code == 400
    assert client.post(page, {"token": "../../etc/passwd", "aksi": "impor"}).status_code == 400
    wrong = SimpleUploadedFile("data.pdf", b"%PDF-1.4")
    assert client.post(page, {"berkas": wrong, "aksi": "periksa"}).status_code == 400


# --- index components ------------------------------------------------------------------------------


COMPONENT_HEADER = ["Kode wilayah", "Tahun", "Komponen", "Nilai", "Sumber", "Status"]
BOGOR = [
    ("mtf", 0.280),
    ("mhpk20", 0.324),
    ("legislatif_l", 90.91),
    ("legislatif_p", 9.09),
    ("sma_l", 38.98),
    ("sma_p", 31.15),
    ("tpak_l", 85.13),
    ("tpak_p", 41.27),
]


def test_component_import_then_compute(w: World, tmp_path: Path, make_user: Callable[..., Any]) -> None:
    user = make_user(Role.POKJA_PUG, w.pemda)
    scope = scope_for(user, w.pemda)
    rows = [["63.02", 2022, kode, nilai, "BPS IKG 2022", ""] for kode, nilai in BOGOR]
    bad = [*rows, ["63.02", 2022, "ipm", 70, "BPS", ""], ["63.02", 2021, "mtf", 28, "BPS", ""]]
    result = data_io.component_import_run(
        actor=user,
        pemda=w.pemda,
        scope=scope,
        path=xlsx(tmp_path / "k1.xlsx", COMPONENT_HEADER, bad),
        dry_run=False,
    )
    assert {(e.row, e.column) for e in result.errors} == {(10, "Komponen"), (11, "Nilai")}
    assert not IndexComponent.objects.exists()
    path = xlsx(tmp_path / "k.xlsx", COMPONENT_HEADER, rows)
    done = data_io.component_import_run(actor=user, pemda=w.pemda, scope=scope, path=path, dry_run=False)
    assert done.created == 8
    assert compute_pemda_indices(w.pemda, "63.02", 2022).ikg.nilai == D("0.588")
    again = data_io.component_import_run(actor=user, pemda=w.pemda, scope=scope, path=path, dry_run=False)
    assert again.unchanged == 8
    exported = tmp_path / "ekspor.xlsx"
    exported.write_bytes(data_io.component_export_bytes(pemda=w.pemda, tahun=2022))
    back = data_io.component_import_run(actor=user, pemda=w.pemda, scope=scope, path=exported, dry_run=True)
    assert (back.ok, back.unchanged) == (True, 8)


def test_component_template_has_every_component(w: World, tmp_path: Path) -> None:
    content = data_io.component_template_bytes(pemda=w.pemda, tahun=2024)
    rows = [r for r in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True) if any(r)]
    assert len(rows) == 17 and rows[1][3] == "uhh_p"


def test_component_import_needs_pug_manage(w: World, tmp_path: Path, make_user: Callable[..., Any]) -> None:
    from rencana.core.errors import PermissionDeniedError

    user = make_user(Role.OPERATOR_OPD, w.pemda, w.plan.opd)
    path = xlsx(tmp_path / "k.xlsx", COMPONENT_HEADER, [["63.02", 2022, "mtf", 0.2, "BPS", ""]])
    with pytest.raises(PermissionDeniedError):
        data_io.component_import_run(
            actor=user, pemda=w.pemda, scope=scope_for(user, w.pemda), path=path, dry_run=True
        )
