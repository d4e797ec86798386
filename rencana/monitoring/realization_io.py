"""Quarterly realization in and out of Excel, per OPD and quarter.

One row per sub-kegiatan of the OPD in the year's RKPD (`selectors.rkpd_for`), with the columns
Kode, Sub-kegiatan, Indikator, Satuan, Nilai, Pagu, Realisasi anggaran, Faktor pendukung, Faktor
penghambat, Tindak lanjut. Several indicators of one sub-kegiatan are written on separate lines of
one cell: the lines of Indikator and Nilai line up.

- *Templat* and *ekspor* are the same file: every sub-kegiatan of the OPD, pre-filled with the
  quarter's current values (empty where nothing was reported yet). Importing it back changes nothing.
- Natural key: Kode. A code of another OPD's sub-kegiatan, or one that is not in the RKPD, is an
  error; so is an indicator name that the sub-kegiatan does not have (matched ignoring case and
  spaces).
- Sub-kegiatan, Satuan and Pagu are information only; they are never stored.
- A row that changes nothing is left alone; a row without any value for a sub-kegiatan that has no
  realization yet creates nothing (the template lists every sub-kegiatan, filled or not).
- Writes go through `services.realization_save`, so they are validated, versioned and audited; the
  import only ever writes drafts and never submits. A row that would change a submitted or verified
  realization is refused (a verified one needs a revision first); an identical row is unchanged.
- Columns missing from the file leave stored values alone; a blank cell in a present column clears
  the value.
"""

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from rencana.core import imports
from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.imports import CellParser, Column, ImportResult, ImportRow, ImportSpec, Outcome
from rencana.core.numbers import AngkaError, parse_angka
from rencana.core.tabular import cell_text
from rencana.monitoring import selectors, services
from rencana.monitoring.models import RealizationValue, Status
from rencana.planning.codes import normalize_kode
from rencana.planning.models import Indicator, PlanDocument, PlanNode
from rencana.regions.models import Opd

TEXT_FIELDS = ("faktor_pendukung", "faktor_penghambat", "tindak_lanjut")
MAX_ANGGARAN = Decimal("9999999999999999.99")
CENTS = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")


# --- cell parsers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownCodes:
    """The sub-kegiatan codes an import may name: the OPD's own, and those of other OPDs."""

    opd: Opd
    tahun: int
    own: frozenset[str]
    elsewhere: frozenset[str]


def known_codes(document: PlanDocument, opd: Opd) -> KnownCodes:
    own: set[str] = set()
    elsewhere: set[str] = set()
    for kode, opd_id in PlanNode.objects.filter(dokumen=document, jenis="sub_kegiatan").values_list(
        "kode", "opd_id"
    ):
        (own if opd_id == opd.pk else elsewhere).add(kode)
    return KnownCodes(
        opd=opd, tahun=document.tahun_mulai, own=frozenset(own), elsewhere=frozenset(elsewhere - own)
    )


def _kode(known: KnownCodes | None) -> CellParser:
    def parse(raw: Any) -> str:
        kode = normalize_kode(raw)
        if known is None or kode in known.own:
            return kode
        if kode in known.elsewhere:
            raise ValueError(
                _(
                    "Sub-kegiatan %(kode)s dilaksanakan OPD lain, bukan %(opd)s; "
                    "realisasinya diisi oleh OPD pelaksananya."
                )
                % {"kode": kode, "opd": known.opd.nama}
            )
        raise ValueError(
            _("Kode %(kode)s bukan sub-kegiatan %(opd)s di RKPD %(tahun)s.")
            % {"kode": kode, "opd": known.opd.nama, "tahun": known.tahun}
        )

    return CellParser(
        parse, "Kode sub-kegiatan, mis. 1.02.02.2.01.0001 (ketik sebagai teks)", number_format="@"
    )


def _cell_lines(raw: Any) -> str:
    """A cell's text keeping its lines: a blank line stands for a blank value."""
    if isinstance(raw, str):
        return raw.replace("\r\n", "\n").replace("\r", "\n")
    return cell_text(raw)


def _lines(max_len: int) -> CellParser:
    def parse(raw: Any) -> list[str]:
        text = _cell_lines(raw)
        if len(text) > max_len:
            raise ValueError(
                _("Paling panjang %(n)s karakter (terisi %(m)s).") % {"n": max_len, "m": len(text)}
            )
        return [" ".join(line.split()) for line in text.split("\n")] if text.strip() else []

    return CellParser(parse, "Teks; satu baris per indikator (Alt+Enter)", number_format="@")


def _checked(value: Decimal, line: int) -> Decimal:
    if value < 0:
        raise ValueError(_("Baris %(n)s di sel ini: nilai realisasi tidak boleh negatif.") % {"n": line})
    if value > services.MAX_VALUE:
        raise ValueError(_("Baris %(n)s di sel ini: nilai realisasi terlalu besar.") % {"n": line})
    return value


def _number_lines() -> CellParser:
    def parse(raw: Any) -> list[Decimal | None]:
        if isinstance(raw, bool):
            raise ValueError(_("Isi dengan angka, bukan ya/tidak."))
        if isinstance(raw, int):
            return [_checked(Decimal(raw), 1)]
        if isinstance(raw, float):
            if raw != raw or raw in (float("inf"), float("-inf")):
                raise ValueError(_("Isi dengan angka."))
            # Excel keeps 15 significant digits; more would be binary noise.
            return [_checked(Decimal(format(raw, ".15g")), 1)]
        text = _cell_lines(raw)
        if not text.strip():
            return []
        values: list[Decimal | None] = []
        for number, line in enumerate(text.split("\n"), start=1):
            line = line.strip()
            if not line or line == "-":
                values.append(None)
                continue
            try:
                values.append(_checked(parse_angka(line), number))
            except AngkaError as exc:
                raise ValueError(
                    _("Baris %(n)s di sel ini: %(pesan)s") % {"n": number, "pesan": exc.message}
                ) from None
        return values

    return CellParser(
        parse, "Angka (5.319,05 atau 5319,05); satu baris per indikator, kosong atau - bila belum ada"
    )


# --- specification ------------------------------------------------------------------------------


def realization_spec(*, tahun: int, triwulan: int, known: KnownCodes | None = None) -> ImportSpec:
    """The columns of the realization file; with `known`, a Kode must be one of the OPD's sub-kegiatan."""
    return ImportSpec(
        title=f"Realisasi TW{triwulan} {tahun}",
        columns=(
            Column(
                "kode",
                "Kode",
                _kode(known),
                required=True,
                example="1.02.02.2.01.0001",
                aliases=("kode sub-kegiatan", "kode sub kegiatan", "kode rekening"),
                note="Kode sub-kegiatan OPD ini di RKPD; dipakai untuk mengenali barisnya.",
            ),
            Column(
                "sub_kegiatan",
                "Sub-kegiatan",
                imports.text(4000),
                default="",
                aliases=("sub kegiatan", "subkegiatan", "nama sub-kegiatan"),
                note="Informasi; tidak disimpan.",
            ),
            Column(
                "indikator",
                "Indikator",
                _lines(8000),
                default=[],
                example="Jumlah Rumah Sakit yang Dibangun",
                aliases=("indikator kinerja", "indikator keluaran"),
                note="Nama indikator sub-kegiatan seperti di RKPD, satu per baris; baris Nilai sejajar.",
            ),
            Column(
                "satuan",
                "Satuan",
                _lines(4000),
                default=[],
                example="Unit",
                note="Informasi; tidak disimpan.",
            ),
            Column(
                "nilai",
                "Nilai",
                _number_lines(),
                default=[],
                example="1",
                aliases=("realisasi", "nilai realisasi", "realisasi fisik", "realisasi kinerja"),
                note=(
                    "Realisasi tiap indikator, satu per baris. Indikator kumulatif: capaian triwulan "
                    "ini saja; indikator lain: nilai pada akhir triwulan. Kosong menghapus nilai."
                ),
            ),
            Column(
                "pagu",
                "Pagu",
                imports.text(200),
                default="",
                aliases=("pagu (rp)", "pagu anggaran"),
                note="Informasi; tidak disimpan.",
            ),
            Column(
                "anggaran",
                "Realisasi anggaran",
                imports.angka(minimum=Decimal(0), maximum=MAX_ANGGARAN),
                example="125.000.000",
                aliases=("realisasi anggaran (rp)", "anggaran", "realisasi keuangan"),
                note="Realisasi anggaran triwulan ini saja, dalam rupiah (bukan kumulatif).",
            ),
            Column("faktor_pendukung", "Faktor pendukung", imports.text(5000), default=""),
            Column("faktor_penghambat", "Faktor penghambat", imports.text(5000), default=""),
            Column(
                "tindak_lanjut",
                "Tindak lanjut",
                imports.text(5000),
                default="",
                aliases=("tindak lanjut yang diusulkan",),
            ),
        ),
        natural_key=("kode",),
    )


# --- import -------------------------------------------------------------------------------------


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _stored_values(realization_ids: Sequence[int]) -> dict[int, dict[int, Decimal]]:
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for realization_id, indicator_id, nilai in RealizationValue.objects.filter(
        realisasi_id__in=realization_ids
    ).values_list("realisasi_id", "indikator_id", "nilai"):
        found[realization_id][indicator_id] = nilai
    return found


def _indicator_values(values: dict[str, Any], indicators: list[Indicator]) -> dict[int, Decimal | None]:
    """Indicator id -> the row's value (None clears it), from the Indikator and Nilai lines."""
    names: list[str] | None = values.get("indikator")
    numbers: list[Decimal | None] | None = values.get("nilai")
    errors: list[dict[str, str]] = []
    by_name = {_name_key(i.nama): i for i in indicators}
    matched: list[Indicator | None] = []
    if names:
        unknown = [n for n in names if n and _name_key(n) not in by_name]
        if unknown:
            known = "; ".join(i.nama for i in indicators) or _("(belum ada indikator)")
            errors.append(
                {
                    "kolom": "indikator",
                    "pesan": _(
                        "Indikator tidak ada di sub-kegiatan ini: %(daftar)s. Indikator yang ada: %(ada)s."
                    )
                    % {"daftar": "; ".join(f"“{n}”" for n in unknown), "ada": known},
                }
            )
        seen: set[str] = set()
        for name in names:
            key = _name_key(name)
            if key and key in seen:
                errors.append(
                    {
                        "kolom": "indikator",
                        "pesan": _("Indikator “%(nama)s” ditulis lebih dari sekali.") % {"nama": name},
                    }
                )
            seen.add(key)
            matched.append(by_name.get(key) if key else None)
        if numbers and len(numbers) != len(names):
            errors.append(
                {
                    "kolom": "nilai",
                    "pesan": _(
                        "Jumlah baris Nilai (%(n)s) tidak sama dengan jumlah baris Indikator (%(i)s); "
                        "tulis satu nilai per baris indikator."
                    )
                    % {"n": len(numbers), "i": len(names)},
                }
            )
        elif numbers:
            for index, (name, number) in enumerate(zip(names, numbers, strict=True), start=1):
                if not name and number is not None:
                    errors.append(
                        {
                            "kolom": "nilai",
                            "pesan": _("Baris %(n)s di sel Nilai berisi angka tanpa nama indikator.")
                            % {"n": index},
                        }
                    )
    elif numbers:
        if len(numbers) != len(indicators):
            errors.append(
                {
                    "kolom": "indikator",
                    "pesan": _(
                        "Tulis nama indikator di kolom Indikator, satu per baris, sejajar dengan "
                        "baris Nilai (sub-kegiatan ini memiliki %(n)s indikator)."
                    )
                    % {"n": len(indicators)},
                }
            )
        matched = list(indicators)
    if errors:
        raise ApplicationError(
            _("Indikator atau nilai belum benar: %(daftar)s")
            % {"daftar": " ".join(e["pesan"] for e in errors)},
            errors=errors,
        )
    if numbers is None:
        return {}  # no Nilai column: stored values stay
    result: dict[int, Decimal | None] = {}
    for index, indicator in enumerate(matched):
        if indicator is not None:
            result[indicator.pk] = numbers[index] if numbers else None
    return result


def _comparable(text: str) -> str:
    """Text as it survives a trip through a spreadsheet: one kind of line end, no control characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _service_errors(exc: ApplicationError) -> ApplicationError:
    """A service refusal with its fields renamed to this file's columns (nilai_12 -> nilai)."""
    errors = []
    for item in exc.errors:
        kolom = str(item.get("kolom") or "")
        errors.append({**item, "kolom": "nilai" if kolom.startswith("nilai") else kolom})
    renamed = type(exc)(exc.message, code=exc.code, errors=errors)
    return renamed


class RealizationApplier:
    def __init__(self, *, actor: Any, document: PlanDocument, opd: Opd, tahun: int, triwulan: int) -> None:
        self.actor = actor
        self.document = document
        self.opd = opd
        self.tahun = tahun
        self.triwulan = triwulan
        self.lines: dict[str, selectors.Line] = {}
        self.stored: dict[int, dict[int, Decimal]] = {}

    def load(self, rows: Sequence[ImportRow]) -> None:
        lines = selectors.opd_lines(self.document, self.opd, self.tahun, self.triwulan)
        self.lines = {line.node.kode: line for line in lines}
        self.stored = _stored_values([line.realization.pk for line in lines if line.realization])

    def apply(self, row: ImportRow) -> Outcome:
        values = row.values
        line = self.lines.get(values["kode"])
        if line is None:  # the RKPD changed since the file was checked
            raise ApplicationError(
                _("Kode %(kode)s bukan sub-kegiatan OPD ini.") % {"kode": values["kode"]},
                errors=[{"kolom": "kode", "pesan": _("Sub-kegiatan tidak ditemukan.")}],
            )
        current = line.realization
        mapping = _indicator_values(values, line.indicators)
        stored = self.stored.get(current.pk, {}) if current is not None else {}
        wanted = dict(stored)
        for indicator_id, value in mapping.items():
            if value is None:
                wanted.pop(indicator_id, None)
            else:
                wanted[indicator_id] = value.quantize(FOUR_PLACES)
        if "anggaran" in values:
            anggaran = values["anggaran"].quantize(CENTS) if values["anggaran"] is not None else None
        else:
            anggaran = current.anggaran if current is not None else None
        # A file's text is stored with one kind of line end ("\n"), whatever the spreadsheet wrote.
        texts = {
            name: (
                _cell_lines(str(values[name])).strip()
                if name in values
                else str(getattr(current, name, "")).strip()
            )
            for name in TEXT_FIELDS
        }
        if current is None:
            if anggaran is None and not any(texts.values()) and not wanted:
                return Outcome.UNCHANGED  # a template row left empty
        else:
            same = (
                anggaran == current.anggaran
                and all(
                    _comparable(texts[name]) == _comparable(getattr(current, name)) for name in TEXT_FIELDS
                )
                and wanted == stored
            )
            if same:
                return Outcome.UNCHANGED
            if current.status not in services.EDITABLE:
                message = _(services.REFUSALS[Status(current.status)])
                raise ConflictError(
                    message, code="realisasi_terkunci", errors=[{"kolom": "kode", "pesan": message}]
                )
        try:
            services.realization_save(
                actor=self.actor,
                node=line.node,
                tahun=self.tahun,
                triwulan=self.triwulan,
                expected_version=current.version if current is not None else None,
                anggaran=anggaran,
                values=mapping,
                **texts,
            )
        except ApplicationError as exc:
            raise _service_errors(exc) from exc
        return Outcome.CREATED if current is None else Outcome.UPDATED


def _check_period(document: PlanDocument, tahun: int, triwulan: int) -> None:
    if triwulan not in selectors.QUARTERS:
        raise ApplicationError(_("Triwulan harus 1 sampai 4."))
    if tahun not in document.tahun:
        raise ApplicationError(_("Tahun %(tahun)s di luar periode dokumen.") % {"tahun": tahun})


def realization_import(
    *,
    actor: Any,
    document: PlanDocument,
    opd: Opd,
    tahun: int,
    triwulan: int,
    path: Path,
    dry_run: bool,
) -> ImportResult:
    """Import an OPD's realization of one quarter; nothing is written on any error or a dry run."""
    _check_period(document, tahun, triwulan)
    spec = realization_spec(tahun=tahun, triwulan=triwulan, known=known_codes(document, opd))
    applier = RealizationApplier(actor=actor, document=document, opd=opd, tahun=tahun, triwulan=triwulan)
    return imports.run_import(spec, path=path, dry_run=dry_run, applier=applier)


# --- template / export --------------------------------------------------------------------------


def _fmt(value: Decimal | None) -> str:
    """A number as the importer reads it back: no thousands separator, decimal comma."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _rupiah(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", ".")


def export_rows(document: PlanDocument, opd: Opd, tahun: int, triwulan: int) -> list[list[str]]:
    """One row per sub-kegiatan of the OPD with the quarter's current values, in the spec's column order."""
    lines = selectors.opd_lines(document, opd, tahun, triwulan)
    stored = _stored_values([line.realization.pk for line in lines if line.realization])
    rows: list[list[str]] = []
    for line in lines:
        realization = line.realization
        values = stored.get(realization.pk, {}) if realization is not None else {}
        rows.append(
            [
                line.node.kode,
                line.node.nama,
                "\n".join(" ".join(i.nama.split()) for i in line.indicators),
                "\n".join(" ".join(i.satuan.split()) for i in line.indicators),
                "\n".join(_fmt(values.get(i.pk)) for i in line.indicators) if values else "",
                _rupiah(line.pagu),
                _fmt(realization.anggaran) if realization is not None else "",
                realization.faktor_pendukung if realization is not None else "",
                realization.faktor_penghambat if realization is not None else "",
                realization.tindak_lanjut if realization is not None else "",
            ]
        )
    return rows


GUIDE = (
    "Realisasi diimpor sebagai draf ke triwulan yang dipilih di halaman impor; impor tidak pernah "
    "mengajukan realisasi untuk diverifikasi.",
    "Baris sub-kegiatan yang dibiarkan kosong tidak membuat apa pun.",
    "Baris yang realisasinya sudah diajukan atau terverifikasi hanya boleh sama persis dengan yang "
    "tersimpan; untuk mengoreksi realisasi terverifikasi, buat revisi di halaman realisasinya.",
    "Kolom Sub-kegiatan, Satuan dan Pagu hanya informasi dan tidak disimpan.",
)


def realization_export_bytes(*, document: PlanDocument | None, opd: Opd, tahun: int, triwulan: int) -> bytes:
    """The template pre-filled with the OPD's sub-kegiatan and the quarter's current values.

    Without an RKPD for the year it is the empty template. A title row sits above the header row
    (the importer skips it); the "Petunjuk" sheet explains every column.
    """
    spec = realization_spec(tahun=tahun, triwulan=triwulan)
    workbook = load_workbook(io.BytesIO(imports.template_xlsx(spec)))
    sheet = workbook.worksheets[0]
    sheet.insert_rows(1)
    sheet["A1"] = f"Realisasi TW {triwulan} {tahun} — {opd.kode} {opd.nama}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.freeze_panes = "C3"
    rows = export_rows(document, opd, tahun, triwulan) if document is not None else []
    wrap = Alignment(wrap_text=True, vertical="top")
    for offset, row in enumerate(rows):
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(row=3 + offset, column=index)
            if value:
                # Always text: "=..." typed by a user is not a formula, and characters XML cannot hold go.
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"
            cell.number_format = "@"
            cell.alignment = wrap
    for letter, width in zip("ABCDEFGHIJ", (20, 40, 40, 12, 12, 18, 18, 30, 30, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    guide = workbook["Petunjuk"]
    guide.append([])
    for text in GUIDE:
        guide.append([text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
