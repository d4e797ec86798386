"""Sex-disaggregated data and index components in and out of Excel, through the core import framework.

Data terpilah (`SEX_SPEC`; headers are the same in the template, the export and the import, so an
export can be edited and imported back):
- *ID indikator* (required): the indicator's number, shown on the "Data terpilah" page and written in the
  template (indicators have no code of their own, and the same name can appear in several documents).
  The indicator must belong to the pemda and be flagged "terpilah menurut jenis kelamin".
- *Nama indikator* (optional): for people; when filled it must equal the name of that ID (spaces and
  case aside), which catches a row pasted against the wrong ID. *Satuan* and *Nama wilayah* are for
  people only and are not imported.
- *Kode wilayah* (required, Kemendagri code: the pemda's own region or one inside it, e.g. 63.02 or
  63.02.01), *Tahun* (required), *Perempuan* and *Laki-laki* (numbers >= 0, at least one), *Sumber*
  (required when the row has a value), *Status* (sementara | tetap, blank = sementara).
- The natural key is (ID indikator, Kode wilayah, Tahun): a row for an existing value updates it;
  importing the same file twice changes nothing. A row whose Perempuan, Laki-laki and Sumber are all
  empty is skipped (the template lists every flagged indicator; fill only the rows you have data for).
  An OPD operator may import only the indicators of its own OPD (each other row is reported).

Komponen indeks (`COMPONENT_SPEC`, Pokja PUG / Bappeda): *Kode wilayah*, *Tahun*, *Komponen* (one of the
codes of `ComponentCode`: uhh_p, uhh_l, ..., tpak_l), *Keterangan komponen* (for people, not imported),
*Nilai*, *Sumber*, *Status* (blank = tetap); natural key (Kode wilayah, Tahun, Komponen); a row without
Nilai and Sumber is skipped. Ranges as in `gender.services_data.COMPONENT_RULES`.

Writes go through `gender.services_data` (validated, audited, one transaction for the whole file, all or
nothing); a row that changes nothing writes nothing.
"""

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from rencana.core import imports
from rencana.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from rencana.core.exports import xlsx_bytes
from rencana.core.imports import CellParser, Column, ImportResult, ImportRow, ImportSpec, Outcome, row_errors
from rencana.core.scope import Scope
from rencana.core.tabular import RowError, TabularError, cell_text, check_rows, read_table, sort_errors
from rencana.gender import access, selectors_data, services_data
from rencana.gender.models import ComponentCode, DataStatus, IndexComponent, SexValue
from rencana.planning.models import Indicator
from rencana.regions.models import Pemda

KODE_WILAYAH = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


# --- column parsers --------------------------------------------------------------------------------


def _whole_number(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = cell_text(raw)
    return int(text) if text.isdigit() and len(text) <= 12 else None


def positive_id() -> CellParser:
    def parse(raw: Any) -> int:
        value = _whole_number(raw)
        if value is None or value <= 0:
            raise ValueError("Isi dengan nomor ID indikator (bilangan bulat), mis. 123.")
        return value

    return CellParser(parse, "Bilangan bulat, mis. 123")


def tahun_cell() -> CellParser:
    def parse(raw: Any) -> int:
        value = _whole_number(raw)
        if value is None or not services_data.MIN_TAHUN <= value <= services_data.MAX_TAHUN:
            raise ValueError(
                f"Tahun ditulis 4 angka antara {services_data.MIN_TAHUN} dan {services_data.MAX_TAHUN}, "
                "mis. 2024."
            )
        return value

    return CellParser(parse, "Tahun, 4 angka (mis. 2024)")


def kode_wilayah() -> CellParser:
    def parse(raw: Any) -> str:
        value = cell_text(raw)
        if not KODE_WILAYAH.match(value):
            raise ValueError(
                "Kode wilayah Kemendagri ditulis seperti 63.02 (kabupaten/kota) atau 63.02.01 (kecamatan); "
                "format sel sebagai Teks agar angka nol di belakang tidak hilang."
            )
        return value

    return CellParser(
        parse, "Kode wilayah Kemendagri sebagai teks, mis. 63.02 atau 63.02.01", number_format="@"
    )


STATUS_CHOICE = imports.choice(*DataStatus.values)

SEX_SPEC = ImportSpec(
    title="Data terpilah",
    columns=(
        Column(
            "indikator",
            "ID indikator",
            positive_id(),
            required=True,
            example="123",
            note="Nomor ID indikator di halaman Data terpilah dan di templat. Indikator harus ditandai "
            "terpilah menurut jenis kelamin.",
            aliases=("id", "id_indikator", "indikator id"),
        ),
        Column(
            "indikator_nama",
            "Nama indikator",
            imports.text(2000),
            default="",
            example="Angka partisipasi sekolah SMA",
            note="Untuk dibaca; bila diisi harus sama dengan nama indikator ID itu (pengaman salah ID).",
        ),
        Column("satuan", "Satuan", imports.text(100), default="", note="Untuk dibaca saja; tidak diimpor."),
        Column(
            "wilayah",
            "Kode wilayah",
            kode_wilayah(),
            required=True,
            example="63.02",
            note="Wilayah pemda sendiri atau wilayah di dalamnya (kecamatan, desa).",
        ),
        Column("wilayah_nama", "Nama wilayah", imports.text(120), default="", note="Untuk dibaca saja."),
        Column("tahun", "Tahun", tahun_cell(), required=True, example="2024"),
        Column(
            "perempuan",
            "Perempuan",
            imports.angka(minimum=Decimal(0)),
            example="48,5",
            note="Nilai untuk perempuan, tidak negatif. Isi paling sedikit satu dari Perempuan/Laki-laki.",
        ),
        Column(
            "laki_laki",
            "Laki-laki",
            imports.angka(minimum=Decimal(0)),
            example="51,5",
            note="Nilai untuk laki-laki, tidak negatif.",
            aliases=("laki laki", "laki_laki"),
        ),
        Column(
            "sumber",
            "Sumber",
            imports.text(255),
            default="",
            example="BPS, Susenas 2024",
            note="Wajib bila baris berisi nilai. Baris yang Perempuan, Laki-laki dan Sumber-nya kosong "
            "dilewati.",
        ),
        Column(
            "status",
            "Status",
            STATUS_CHOICE,
            default=DataStatus.SEMENTARA.value,
            example="sementara",
            note="“sementara” (masih dapat berubah) atau “tetap” (final).",
        ),
    ),
    natural_key=("indikator", "wilayah", "tahun"),
)

COMPONENT_SPEC = ImportSpec(
    title="Komponen indeks",
    columns=(
        Column("wilayah", "Kode wilayah", kode_wilayah(), required=True, example="63.02"),
        Column("wilayah_nama", "Nama wilayah", imports.text(120), default="", note="Untuk dibaca saja."),
        Column("tahun", "Tahun", tahun_cell(), required=True, example="2024"),
        Column(
            "kode",
            "Komponen",
            imports.choice(*ComponentCode.values),
            required=True,
            example="uhh_p",
            note="Kode komponen: uhh_p/uhh_l umur harapan hidup (tahun); hls_p/hls_l harapan lama sekolah "
            "(tahun); rls_p/rls_l rata-rata lama sekolah (tahun); pengeluaran_p/pengeluaran_l pengeluaran "
            "per kapita disesuaikan (Rp); mtf dan mhpk20 (proporsi 0-1); legislatif_p/legislatif_l kursi "
            "DPRD (%); sma_p/sma_l penduduk 25+ berpendidikan SMA ke atas (%); tpak_p/tpak_l TPAK (%). "
            "_p perempuan, _l laki-laki.",
        ),
        Column(
            "keterangan",
            "Keterangan komponen",
            imports.text(255),
            default="",
            note="Untuk dibaca saja; tidak diimpor.",
        ),
        Column("nilai", "Nilai", imports.angka(), example="69,70"),
        Column(
            "sumber",
            "Sumber",
            imports.text(255),
            default="",
            example="BPS, IPG menurut kabupaten/kota 2024",
            note="Wajib bila baris berisi nilai. Baris yang Nilai dan Sumber-nya kosong dilewati.",
        ),
        Column("status", "Status", STATUS_CHOICE, default=DataStatus.TETAP.value, example="tetap"),
    ),
    natural_key=("wilayah", "tahun", "kode"),
)


def run_checked(spec: ImportSpec, *, path: Path, dry_run: bool, applier: imports.Applier) -> ImportResult:
    """`core.imports.run_import`, and when cells are unreadable, also the services' verdict on the rows
    that could be read (in a transaction rolled back), so one dry run lists every problem of the file:
    the framework alone stops before the services when any cell is unreadable."""
    result = imports.run_import(spec, path=path, dry_run=dry_run, applier=applier)
    if result.ok or any(e.row == 0 for e in result.errors):
        return result
    try:
        table = read_table(path, header_names=set().union(*(c.names() for c in spec.columns)))
    except TabularError:
        return result
    rows, cell_errors = check_rows(spec, table)
    if not cell_errors or not rows:
        return result  # the services already ran on every row, or no row could be read
    more: list[RowError] = []
    with transaction.atomic():
        applier.load(rows)
        for row in rows:
            try:
                with transaction.atomic():
                    applier.apply(row)
            except ApplicationError as exc:
                more.extend(row_errors(spec, row, exc))
            except IntegrityError:
                continue
        transaction.set_rollback(True)
    return ImportResult(dry_run=dry_run, errors=sort_errors([*result.errors, *more]))


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _refuse(kolom: str, message: str, error: type[ApplicationError] = ApplicationError) -> ApplicationError:
    return error(message, errors=[{"kolom": kolom, "pesan": message}])


# --- data terpilah ---------------------------------------------------------------------------------


class SexValueApplier:
    """Writes the rows of a data-terpilah file through `services_data.sexvalue_set`."""

    def __init__(self, *, actor: Any, pemda: Pemda, scope: Scope) -> None:
        self.actor = actor
        self.pemda = pemda
        self.scope = scope
        self.indicators: dict[int, Indicator] = {}
        self.existing: dict[tuple[int, str, int], SexValue] = {}

    def load(self, rows: Sequence[ImportRow]) -> None:
        ids = {row.values["indikator"] for row in rows}
        self.indicators = {
            i.pk: i
            for i in Indicator.objects.filter(pemda=self.pemda, pk__in=ids).annotate(
                opd_efektif=Coalesce(F("node__opd_id"), F("node__dokumen__opd_id"))
            )
        }
        self.existing = {
            (v.indikator_id, v.wilayah_id, v.tahun): v
            for v in SexValue.objects.filter(pemda=self.pemda, indikator_id__in=ids)
        }

    def apply(self, row: ImportRow) -> Outcome:
        values = row.values
        indicator = self.indicators.get(values["indikator"])
        if indicator is None:
            raise _refuse(
                "indikator",
                _("Indikator dengan ID {id} tidak ada di pemda ini.").format(id=values["indikator"]),
                NotFoundError,
            )
        name = values.get("indikator_nama") or ""
        if name and not _same_name(name, indicator.nama):
            raise _refuse(
                "indikator_nama",
                _(
                    "ID {id} adalah indikator “{nama}”, bukan yang tertulis di baris ini; perbaiki ID atau "
                    "namanya."
                ).format(id=indicator.pk, nama=indicator.nama[:120]),
            )
        if not selectors_data.can_edit_indicator(self.scope, selectors_data.indicator_opd_id(indicator)):
            raise _refuse(
                "indikator",
                _("Anda hanya dapat mengisi data terpilah indikator OPD Anda sendiri."),
                PermissionDeniedError,
            )
        blank = all(values.get(k) in (None, "") for k in ("perempuan", "laki_laki", "sumber"))
        if blank:
            return Outcome.UNCHANGED
        existing = self.existing.get((indicator.pk, values["wilayah"], values["tahun"]))
        saved = services_data.sexvalue_set(
            actor=self.actor,
            pemda=self.pemda,
            indicator=indicator,
            wilayah_kode=values["wilayah"],
            tahun=values["tahun"],
            perempuan=values["perempuan"] if "perempuan" in values else getattr(existing, "perempuan", None),
            laki_laki=values["laki_laki"] if "laki_laki" in values else getattr(existing, "laki_laki", None),
            sumber=values.get("sumber") or "",
            status=str(values.get("status") or getattr(existing, "status", DataStatus.SEMENTARA)),
            expected_version=None,
        )
        if existing is None:
            return Outcome.CREATED
        return Outcome.UNCHANGED if saved.version == existing.version else Outcome.UPDATED


def sexvalue_import_run(*, actor: Any, pemda: Pemda, scope: Scope, path: Path, dry_run: bool) -> ImportResult:
    """Import a data-terpilah file: a dry run reports every bad row and column and writes nothing; a
    commit writes every row or none."""
    if not scope.has("pug.edit"):
        raise PermissionDeniedError(_("Anda tidak berwenang mengimpor data terpilah."))
    return run_checked(
        SEX_SPEC, path=path, dry_run=dry_run, applier=SexValueApplier(actor=actor, pemda=pemda, scope=scope)
    )


def _fill(template: bytes, rows: Sequence[Sequence[Any]]) -> bytes:
    """The template with `rows` written from row 2 of its first sheet."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sexvalue_template_bytes(*, pemda: Pemda, scope: Scope, tahun: int) -> bytes:
    """The import template with one row per flagged indicator the user may fill (the pemda's region,
    `tahun`, values empty): fill the rows you have data for, delete or leave the others."""
    region = pemda.region
    rows = [
        [i.pk, i.nama, i.satuan, region.kode, region.nama, tahun, None, None, None, None]
        for i in selectors_data.flagged_indicators(pemda)
        if selectors_data.can_edit_indicator(scope, selectors_data.indicator_opd_id(i))
    ]
    return _fill(imports.template_xlsx(SEX_SPEC), rows)


SEX_HEADERS = [c.label for c in SEX_SPEC.columns]


def sexvalue_export_bytes(
    *, pemda: Pemda, tahun: int | None = None, opd_id: int | None = None, q: str = ""
) -> bytes:
    """The stored values with the import's columns (an export can be edited and imported back)."""
    values = list(selectors_data.sexvalue_export_rows(pemda, tahun=tahun, opd_id=opd_id, q=q))
    names = selectors_data.region_names(v.wilayah_id for v in values)
    rows = (
        [
            v.indikator_id,
            v.indikator.nama,
            v.indikator.satuan,
            v.wilayah_id,
            names.get(v.wilayah_id, ""),
            v.tahun,
            v.perempuan,
            v.laki_laki,
            v.sumber,
            v.status,
        ]
        for v in values
    )
    return xlsx_bytes(SEX_SPEC.title, SEX_HEADERS, rows)


# --- index components ------------------------------------------------------------------------------


class ComponentApplier:
    """Writes the rows of a components file through `services_data.component_set`."""

    def __init__(self, *, actor: Any, pemda: Pemda) -> None:
        self.actor = actor
        self.pemda = pemda
        self.existing: dict[tuple[str, int, str], IndexComponent] = {}

    def load(self, rows: Sequence[ImportRow]) -> None:
        self.existing = {
            (c.wilayah_id, c.tahun, c.kode): c
            for c in IndexComponent.objects.filter(
                pemda=self.pemda, tahun__in={row.values["tahun"] for row in rows}
            )
        }

    def apply(self, row: ImportRow) -> Outcome:
        values = row.values
        if all(values.get(k) in (None, "") for k in ("nilai", "sumber")):
            return Outcome.UNCHANGED
        existing = self.existing.get((values["wilayah"], values["tahun"], values["kode"]))
        saved = services_data.component_set(
            actor=self.actor,
            pemda=self.pemda,
            wilayah_kode=values["wilayah"],
            tahun=values["tahun"],
            kode=values["kode"],
            nilai=values["nilai"] if "nilai" in values else getattr(existing, "nilai", None),
            sumber=values.get("sumber") or "",
            status=str(values.get("status") or getattr(existing, "status", DataStatus.TETAP)),
            expected_version=None,
        )
        if existing is None:
            return Outcome.CREATED
        return Outcome.UNCHANGED if saved.version == existing.version else Outcome.UPDATED


def component_import_run(
    *, actor: Any, pemda: Pemda, scope: Scope, path: Path, dry_run: bool
) -> ImportResult:
    access.require_manage(scope)
    return run_checked(
        COMPONENT_SPEC, path=path, dry_run=dry_run, applier=ComponentApplier(actor=actor, pemda=pemda)
    )


def component_template_bytes(*, pemda: Pemda, tahun: int) -> bytes:
    """The template with one row per component for the pemda's region and `tahun`, values empty."""
    region = pemda.region
    rows = [
        [region.kode, region.nama, tahun, kode, str(label), None, None, None]
        for kode, label in ComponentCode.choices
    ]
    return _fill(imports.template_xlsx(COMPONENT_SPEC), rows)


COMPONENT_HEADERS = [c.label for c in COMPONENT_SPEC.columns]


def component_export_bytes(*, pemda: Pemda, tahun: int | None = None) -> bytes:
    components = list(selectors_data.component_rows(pemda, tahun=tahun))
    names = selectors_data.region_names(c.wilayah_id for c in components)
    rows = (
        [
            c.wilayah_id,
            names.get(c.wilayah_id, ""),
            c.tahun,
            c.kode,
            services_data.component_label(c.kode),
            c.nilai,
            c.sumber,
            c.status,
        ]
        for c in components
    )
    return xlsx_bytes(COMPONENT_SPEC.title, COMPONENT_HEADERS, rows)
