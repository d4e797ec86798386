"""BPS index values (IPM, IPG, IDG, IKG) as reference data: load the shipped file, read it back.

Loading (`bps_load`, `load_jatim`)
- Source: `data/jatim_ipm_ipg_idg_ikg_kabkota.csv` (BPS Provinsi Jawa Timur tables, 38 kabupaten/kota and
  the province; provenance and licence in data/PROVENANCE.md; cite "Sumber: BPS"), or any CSV with the same
  columns (`rencana gender load-bps --file PATH`): `kode_kemendagri`, `indikator`, `tahun`, `nilai` (dot
  decimal, as published) and optionally `catatan`.
- Only the indicators `IPM`, `IPG`, `IDG` and `IKG` are loaded (`INDICATORS`); the other rows of the file
  (IPM/IPG with UHH Long Form SP2020, HLS, expenditure, AMH) are counted as ignored. `IPM` is BPS's
  "metode baru" series before the UHH Long Form SP2020 revision: the two series are never mixed.
- Each value becomes one `IndexValue` (region, year, index) with `sumber` "BPS" (plus the row's `catatan`).
- Every row is checked first (code, year 1990-2100, a finite number within the index's range with at most
  4 decimals, no duplicate region/year/index); any error -> nothing is written and all errors are raised
  at once in one `ApplicationError` (row number, column, message).
- A region code not in the loaded Kemendagri list (`Region`, filled by `rencana regions load`) is reported
  in `LoadResult.missing_regions` and its rows skipped (`skipped`): nothing is created for it.
- Idempotent: a value equal to the stored one (same Decimal, same `sumber`) is left alone; counts say how
  many were created, updated and unchanged. Values not in the file (e.g. computed ones) are never deleted.
- One transaction; when something changed, one audit event `reference_load` on `gender.indexvalue`.

Reading (selectors used by the comparison page): the kabupaten/kota of a province, their values for one
index and year, the years with data, and one region's values of the four indices over the years.
"""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rencana.core.audit import audit_record
from rencana.core.errors import ApplicationError
from rencana.gender import compare
from rencana.gender.models import IndexValue
from rencana.regions.models import Region, RegionLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
JATIM_FILE = DATA_DIR / "jatim_ipm_ipg_idg_ikg_kabkota.csv"
SUMBER = "BPS"
# Indicator in the file -> IndexValue.indeks.
INDICATORS: dict[str, str] = {"IPM": "IPM", "IPG": "IPG", "IDG": "IDG", "IKG": "IKG"}
REQUIRED_COLUMNS = ("kode_kemendagri", "indikator", "tahun", "nilai")
# Plausible published range of each index (inclusive): outside it the row is an error, not a value.
RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "IPM": (Decimal(0), Decimal(100)),
    "IPG": (Decimal(0), Decimal(200)),
    "IDG": (Decimal(0), Decimal(100)),
    "IKG": (Decimal(0), Decimal(1)),
}
MAX_DECIMALS = 4  # IndexValue.nilai has 4 decimal places: more would be rounded silently
MAX_ERRORS = 200
KODE_RE = re.compile(r"^\d{2}(\.\d{2})?$")
KABKOTA_LEVELS = (RegionLevel.KABUPATEN, RegionLevel.KOTA)


@dataclass
class LoadResult:
    """What a load found and did."""

    path: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0  # rows of indicators other than IPM/IPG/IDG/IKG
    skipped: int = 0  # rows of a region code absent from Region
    missing_regions: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> dict[str, Any]:
        return {
            "berkas": Path(self.path).name,
            "dibuat": self.created,
            "diperbarui": self.updated,
            "tidak_berubah": self.unchanged,
            "diabaikan": self.ignored,
            "dilewati": self.skipped,
            "wilayah_tidak_ada": self.missing_regions,
        }


@dataclass(frozen=True)
class _Row:
    number: int
    kode: str
    indeks: str
    tahun: int
    nilai: Decimal
    sumber: str


def _error(number: int, kolom: str, pesan: str) -> dict[str, Any]:
    return {"baris": number, "kolom": kolom, "pesan": pesan}


def _parse_value(indeks: str, text: str) -> tuple[Decimal | None, str]:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("Bukan angka (gunakan titik desimal, mis. 77.17): {nilai}").format(nilai=text[:40])
    if not value.is_finite():
        return None, _("Bukan angka terhingga: {nilai}").format(nilai=text[:40])
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        return None, _("Paling banyak {n} angka desimal: {nilai}").format(n=MAX_DECIMALS, nilai=text[:40])
    low, high = RANGES[indeks]
    if not low <= value <= high:
        return None, _("{indeks} harus antara {bawah} dan {atas}: {nilai}").format(
            indeks=indeks, bawah=low, atas=high, nilai=text[:40]
        )
    return value, ""


def _sumber(catatan: str) -> str:
    catatan = " ".join(catatan.split())
    return (f"{SUMBER}; {catatan}" if catatan else SUMBER)[:255]


def read_rows(text: str) -> tuple[list[_Row], int, list[dict[str, Any]]]:
    """Check every row of the CSV `text`: (rows to load, rows ignored, errors). Pure, no database."""
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        return [], 0, [_error(1, ", ".join(missing), _("Kolom wajib tidak ada di baris judul."))]
    reader.fieldnames = headers
    rows: list[_Row] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, int, str], int] = {}
    ignored = 0
    for number, raw in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
        indicator = cells.get("indikator", "")
        if indicator not in INDICATORS:
            ignored += 1
            continue
        indeks = INDICATORS[indicator]
        row_errors: list[dict[str, Any]] = []
        kode = cells.get("kode_kemendagri", "")
        if not KODE_RE.match(kode):
            row_errors.append(
                _error(number, "kode_kemendagri", _("Kode wilayah tidak sah: {kode}").format(kode=kode[:20]))
            )
        tahun = compare.parse_year(cells.get("tahun", ""))
        if tahun is None:
            row_errors.append(
                _error(
                    number,
                    "tahun",
                    _("Tahun harus empat angka antara 1990 dan 2100: {tahun}").format(
                        tahun=cells.get("tahun", "")[:20]
                    ),
                )
            )
        value, message = _parse_value(indeks, cells.get("nilai", ""))
        if value is None:
            row_errors.append(_error(number, "nilai", message))
        if row_errors or tahun is None or value is None:
            errors.extend(row_errors)
        else:
            key = (kode, tahun, indeks)
            if key in seen:
                errors.append(
                    _error(
                        number,
                        "indikator",
                        _("{indeks} {kode} tahun {tahun} sudah ada di baris {baris}.").format(
                            indeks=indeks, kode=kode, tahun=tahun, baris=seen[key]
                        ),
                    )
                )
            else:
                seen[key] = number
                rows.append(_Row(number, kode, indeks, tahun, value, _sumber(cells.get("catatan", ""))))
        if len(errors) >= MAX_ERRORS:
            break
    return rows, ignored, errors


def _read_file(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ApplicationError(
            _("Berkas {berkas} tidak bisa dibaca: {sebab}").format(berkas=path, sebab=exc.strerror or exc)
        ) from exc
    except UnicodeDecodeError as exc:
        raise ApplicationError(_("Berkas {berkas} bukan teks UTF-8 (CSV).").format(berkas=path)) from exc


def bps_load(*, path: Path | None = None, actor: Any = None, stdout: TextIO | None = None) -> LoadResult:
    """Load the IPM/IPG/IDG/IKG values of the CSV at `path` (default: the shipped Jawa Timur file).

    Raises `ApplicationError` (with every row error in `.errors`) and writes nothing when a row is invalid.
    """
    path = path or JATIM_FILE
    rows, ignored, errors = read_rows(_read_file(path))
    if errors:
        raise ApplicationError(
            _("Berkas {berkas} berisi {n} kesalahan; tidak ada nilai yang dimuat.").format(
                berkas=path.name, n=len(errors)
            ),
            code="berkas_tidak_valid",
            errors=errors,
        )
    result = LoadResult(path=str(path), ignored=ignored)
    codes = sorted({r.kode for r in rows})
    with transaction.atomic():
        known = set(Region.objects.filter(kode__in=codes).values_list("kode", flat=True))
        result.missing_regions = [c for c in codes if c not in known]
        loadable = [r for r in rows if r.kode in known]
        result.skipped = len(rows) - len(loadable)
        existing = {
            (v.wilayah_id, v.tahun, v.indeks): v
            for v in IndexValue.objects.filter(
                wilayah_id__in=sorted(known), indeks__in=list(INDICATORS.values())
            )
        }
        to_create: list[IndexValue] = []
        to_update: list[IndexValue] = []
        for row in loadable:
            current = existing.get((row.kode, row.tahun, row.indeks))
            if current is None:
                to_create.append(
                    IndexValue(
                        wilayah_id=row.kode,
                        tahun=row.tahun,
                        indeks=row.indeks,
                        nilai=row.nilai,
                        sumber=row.sumber,
                    )
                )
            elif current.nilai != row.nilai or current.sumber != row.sumber:
                current.nilai, current.sumber = row.nilai, row.sumber
                to_update.append(current)
            else:
                result.unchanged += 1
        IndexValue.objects.bulk_create(to_create, batch_size=500)
        IndexValue.objects.bulk_update(to_update, ["nilai", "sumber"], batch_size=500)
        result.created, result.updated = len(to_create), len(to_update)
        if result.changed:
            audit_record(
                actor=actor,
                action="reference_load",
                object_type="gender.indexvalue",
                object_id=path.name[:64],
                object_label=f"Nilai indeks BPS (IPM, IPG, IDG, IKG) dari {path.name}"[:255],
                after=result.summary(),
            )
    if stdout is not None:
        stdout.write(describe(result) + "\n")
    return result


def load_jatim(stdout: TextIO | None = None) -> LoadResult:
    """The shipped Jawa Timur file (38 kabupaten/kota and the province), for `rencana demo load`."""
    return bps_load(path=JATIM_FILE, stdout=stdout)


def describe(result: LoadResult) -> str:
    """One Indonesian paragraph on what a load did (for the command and the demo)."""
    lines = [
        _(
            "Nilai indeks BPS dari {berkas}: {dibuat} dibuat, {diperbarui} diperbarui, {tetap} tidak berubah "
            "({diabaikan} baris indikator lain diabaikan)."
        ).format(
            berkas=Path(result.path).name,
            dibuat=result.created,
            diperbarui=result.updated,
            tetap=result.unchanged,
            diabaikan=result.ignored,
        )
    ]
    if result.missing_regions:
        lines.append(
            _(
                "{n} kode wilayah tidak ada di daftar wilayah yang termuat ({baris} baris dilewati): {kode}. "
                "Jalankan `rencana regions load` lalu muat ulang."
            ).format(
                n=len(result.missing_regions), baris=result.skipped, kode=", ".join(result.missing_regions)
            )
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Selectors of the comparison page


def province_get(kode: str) -> Region | None:
    """The province with Kemendagri code `kode` ("35"); None for anything else."""
    if not re.fullmatch(r"\d{2}", kode):
        return None
    return Region.objects.filter(kode=kode, level=RegionLevel.PROVINSI).first()


def kabkota_of(province: Region) -> list[Region]:
    """The kabupaten/kota of `province`, by code (at most a few dozen: Jawa Timur has 38)."""
    return list(
        Region.objects.filter(parent_id=province.kode, level__in=KABKOTA_LEVELS)
        .only("kode", "nama", "level")
        .order_by("kode")
    )


def _values(codes: Sequence[str]) -> QuerySet[IndexValue]:
    return IndexValue.objects.filter(wilayah_id__in=list(codes))


def years_with_data(codes: Sequence[str], indeks: str) -> list[int]:
    """Years (ascending) in which at least one of `codes` has a value of `indeks`."""
    return sorted(set(_values(codes).filter(indeks=indeks).values_list("tahun", flat=True).distinct()))


def values_for(codes: Sequence[str], indeks: str, tahun: int) -> dict[str, tuple[Decimal, str]]:
    """Region code -> (value, sumber) of `indeks` in `tahun`, for the regions of `codes` that have one."""
    rows = _values(codes).filter(indeks=indeks, tahun=tahun).values_list("wilayah_id", "nilai", "sumber")
    return {kode: (nilai, sumber) for kode, nilai, sumber in rows}


def region_trend(kode: str) -> tuple[compare.TrendRow, ...]:
    """One region's IPM, IPG, IDG and IKG per year."""
    triples = IndexValue.objects.filter(wilayah_id=kode, indeks__in=list(compare.INDICES)).values_list(
        "indeks", "tahun", "nilai"
    )
    return compare.trend(triples)
