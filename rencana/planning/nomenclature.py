"""The Permendagri 90/2019 nomenclature in the database: loading editions, search and lookup.

Services
- `nomenclature_load(edisi)`: one of the editions shipped in `data/nomenclature/` (see its
  PROVENANCE.md): "2020" (Kepmendagri 050-3708/2020, from BPKP's SIMDA Perencanaan) and "2027"
  (SIPD "versi pemutakhiran 2027", with the sub-kegiatan metadata). Idempotent: when the files'
  checksum equals the loaded one nothing is written; otherwise the edition's items are replaced in
  one transaction. The edition row itself is kept, so plan documents that point at it stay valid.
- `nomenclature_load_xlsx(path, edisi=..., nama=...)`: a newer official edition from the
  government's spreadsheet (all or nothing; every bad row reported).

Selectors: `nomenclature_search`, `nomenclature_lookup` (and `lookup_function` for `codes.check_code`),
`edition_default`, `edition_counts`, `edition_mapping` (`codes.map_codes` between two loaded editions).

Metadata of the 2027 edition is keyed by (kode, pemda); a sub-kegiatan listed once for "semua" takes
the provinsi metadata (the kab/kota row differs only in wording on about a hundred of them).

Spreadsheet rules (`nomenclature_load_xlsx`)
- The header row is the first of the first 30 rows of a sheet naming a code column ("Kode", "Kode
  Sub Kegiatan", "kode_sub_kegiatan", ...) and a name column ("Nama", "Nomenklatur", "Uraian", ...);
  title rows above it are skipped. A second header row under it (a merged group header with
  sub-headers such as Kinerja / Indikator / Satuan) is merged into it, and a row numbering the
  columns (1, 2, 3, ...) is skipped.
- One code column: every row is one code of any level (mixed levels). Several level-specific code
  columns ("kode_program", "kode_kegiatan", "kode_sub_kegiatan" with their "nama_..." columns): each
  row gives one code per level, the finest one carrying the metadata.
- Every sheet with such a header is read (an annex may put provinsi and kab/kota on separate sheets).
- Level and parent come from the code's shape; codes typed as numbers are repaired
  (`codes.normalize_kode`). A missing parent becomes a row named "(tanpa nama)" (an urusan gets
  its fixed name), listed in the report.
- Kind of pemda (`berlaku_untuk`): a column "Berlaku" / "Pemda" (provinsi, kabupaten/kota, semua),
  else a name column titled "... Provinsi" or "... Kabupaten/Kota", else the kegiatan's J digit:
  1 provinsi, 2 kab/kota, 3-8 (special autonomy: Papua, Papua Barat, DIY, DKI, Aceh, Bali) "semua",
  because such items exist for the provinsi and the kab/kota of those regions and the spreadsheet
  cannot tell which. An urusan, bidang or program without a stated kind takes the kinds of the
  kegiatan under it (only provinsi -> provinsi, only kab/kota -> kabkota, else semua).
- Unknown columns (No, Keterangan, Pelaksana, ...) are ignored.
"""

import csv
import hashlib
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from tqdm import tqdm

from rencana.core.audit import audit_record
from rencana.core.errors import ApplicationError
from rencana.planning import codes
from rencana.planning.models import NomenclatureEdition, NomenclatureItem
from rencana.regions.models import ReferenceDataLoad

DATA_DIR = Path(__file__).resolve().parent / "data" / "nomenclature"
DEFAULT_EDITION = "2027"
# Rows per INSERT: well under SQLite's bound-variable limit (14 columns x 2000), few round trips.
BATCH = 2000
MAX_XLSX_BYTES = 30 * 1024 * 1024
MAX_XLSX_ROWS = 60_000
HEADER_ROWS = 30
PLACEHOLDER_NAME = "(tanpa nama)"

# Model field lengths the loaders must respect.
_MAX = {"nama": 500, "satuan": 100, "spm": 20, "jenis": 20, "kode_sebelumnya": 30}


@dataclass(frozen=True)
class ShippedEdition:
    kode: str
    nama: str
    sumber: str
    berkas: str
    metadata: str | None = None

    @property
    def paths(self) -> list[Path]:
        names = [self.berkas] + ([self.metadata] if self.metadata else [])
        return [DATA_DIR / name for name in names]


EDITIONS: dict[str, ShippedEdition] = {
    "2020": ShippedEdition(
        kode="2020",
        nama="Permendagri 90/2019, pemutakhiran Kepmendagri 050-3708/2020",
        sumber=(
            "SIMDA Perencanaan (BPKP), repositori simda-id/simcan, "
            "backup_dbmaster/simcan_master_parameter90_20201120.sql (commit a9a961a). "
            "Bukan salinan resmi lampiran Kepmendagri."
        ),
        berkas="nomenklatur_2020_kepmendagri050-3708.csv",
    ),
    "2027": ShippedEdition(
        kode="2027",
        nama="Pemutakhiran SIPD untuk tahun anggaran 2027 (ekspor 23 Januari 2026)",
        sumber=(
            "Ekspor SIPD nomenklatur-subkegiatan versi pemutakhiran 2027 (2026-01-23), ditemukan di "
            "repositori allweDepth/sesendok (commit 7645f42). Mungkin masih rancangan; "
            "bukan salinan resmi lampiran Kepmendagri."
        ),
        berkas="nomenklatur_2027_sipd-pemutakhiran.csv",
        metadata="nomenklatur_2027_sipd-pemutakhiran_subkegiatan_metadata.csv",
    ),
}


@dataclass
class ItemRow:
    """One code of an edition as read from a file, before it becomes a `NomenclatureItem`."""

    kode: str
    level: str
    nama: str
    kode_induk: str
    berlaku_untuk: str
    kinerja: str = ""
    indikator: str = ""
    satuan: str = ""
    spm: str = ""
    jenis: str = ""
    kode_sebelumnya: str = ""

    def item(self, edition: NomenclatureEdition) -> NomenclatureItem:
        return NomenclatureItem(
            edisi=edition,
            kode=self.kode,
            level=self.level,
            nama=self.nama,
            kode_induk=self.kode_induk,
            berlaku_untuk=self.berlaku_untuk,
            kinerja=self.kinerja,
            indikator=self.indikator,
            satuan=self.satuan,
            spm=self.spm,
            jenis=self.jenis,
            kode_sebelumnya=self.kode_sebelumnya,
            nama_cari=codes.nama_cari(self.nama),
        )


@dataclass
class LoadReport:
    """What a load read and did."""

    edisi: str
    nama: str
    checksum: str = ""
    # Rows per level, and per level and kind of pemda.
    counts: dict[str, int] = field(default_factory=dict)
    counts_by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    # True when the edition was already loaded from the same files: nothing was written.
    unchanged: bool = False
    # Sub-kegiatan with metadata (kinerja, indikator, satuan ...).
    with_metadata: int = 0
    # "semua" sub-kegiatan whose provinsi and kab/kota metadata differ (the provinsi one was kept).
    metadata_differs: list[str] = field(default_factory=list)
    # Parents created because the file lacked them: (kode, berlaku_untuk, nama).
    placeholders: list[tuple[str, str, str]] = field(default_factory=list)
    previous_total: int | None = None
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> dict[str, Any]:
        """JSON-safe summary for ReferenceDataLoad and the audit event (examples capped)."""
        return {
            "edisi": self.edisi,
            "nama": self.nama,
            "jumlah": self.total,
            "jumlah_per_tingkat": self.counts,
            "jumlah_per_tingkat_dan_pemda": self.counts_by_kind,
            "dengan_metadata": self.with_metadata,
            "metadata_berbeda": len(self.metadata_differs),
            "contoh_metadata_berbeda": self.metadata_differs[:20],
            "induk_dibuat": len(self.placeholders),
            "contoh_induk_dibuat": [list(p) for p in self.placeholders[:50]],
            "jumlah_sebelumnya": self.previous_total,
            "detik": round(self.seconds, 2),
        }


def _count(rows: Iterable[ItemRow], report: LoadReport) -> None:
    counts = dict.fromkeys(codes.LEVELS, 0)
    by_kind: dict[str, dict[str, int]] = {level: {} for level in codes.LEVELS}
    for row in rows:
        counts[row.level] += 1
        by_kind[row.level][row.berlaku_untuk] = by_kind[row.level].get(row.berlaku_untuk, 0) + 1
        if row.level == codes.SUB_KEGIATAN and (row.indikator or row.kinerja or row.satuan):
            report.with_metadata += 1
    report.counts = counts
    report.counts_by_kind = {level: dict(sorted(kinds.items())) for level, kinds in by_kind.items()}


def _chunks[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sha256(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _clean(value: Any) -> str:
    """Cell or CSV text with runs of spaces (also NBSP, line breaks) collapsed and ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).replace("\u00a0", " ").split())


_LEADING_CODE = re.compile(r"^\s*([0-9Xx]+(?:\.[0-9Xx]+)*)")


def previous_code(text: str) -> str:
    """The code at the start of "1.02.02.1.02.0013 Pengelolaan ..." (the 2027 "sebelumnya" column)."""
    match = _LEADING_CODE.match(text or "")
    if not match:
        return ""
    return codes.try_normalize_kode(match.group(1)) or ""


# --- shipped editions ----------------------------------------------------------------------------

_MAIN_COLUMNS = ("kode", "level", "nama", "kode_induk", "berlaku_untuk")
_META_COLUMNS = ("kode", "pemda", "kinerja", "indikator", "satuan", "spm", "jenis", "subkegiatan_sebelumnya")


def _broken(edition: str, name: str, detail: str) -> ApplicationError:
    return ApplicationError(
        _("Berkas nomenklatur %(berkas)s (edisi %(edisi)s) rusak: %(rincian)s")
        % {"berkas": name, "edisi": edition, "rincian": detail},
        code="data_rusak",
    )


def _read_csv(path: Path, columns: Sequence[str], edition: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise _broken(
                edition, path.name, _("kolom tidak ada: %(kolom)s.") % {"kolom": ", ".join(missing)}
            )
        return list(reader)


def read_shipped_edition(edisi: str) -> tuple[list[ItemRow], LoadReport]:
    """The rows of a shipped edition with its metadata joined, checked; and a report with its counts."""
    spec = EDITIONS.get(edisi)
    if spec is None:
        raise ApplicationError(
            _("Edisi nomenklatur %(edisi)s tidak dikenal. Edisi yang tersedia: %(daftar)s.")
            % {"edisi": edisi, "daftar": ", ".join(sorted(EDITIONS))},
            code="edisi_tidak_dikenal",
        )
    report = LoadReport(edisi=spec.kode, nama=spec.nama)
    rows: list[ItemRow] = []
    seen: set[tuple[str, str]] = set()
    for line, raw in enumerate(_read_csv(DATA_DIR / spec.berkas, _MAIN_COLUMNS, edisi), start=2):
        kode, level, kind = raw["kode"].strip(), raw["level"].strip(), raw["berlaku_untuk"].strip()
        problem = ""
        if level not in codes.LEVELS or codes.level_of(kode) != level:
            problem = _("baris %(baris)d: kode %(kode)s bukan kode %(tingkat)s.")
        elif kind not in (*codes.PEMDA_KINDS, codes.SEMUA):
            problem = _("baris %(baris)d: berlaku_untuk tidak dikenal.")
        elif raw["kode_induk"].strip() != codes.parent_kode(kode):
            problem = _("baris %(baris)d: kode induk %(kode)s salah.")
        elif (kode, kind) in seen:
            problem = _("baris %(baris)d: kode %(kode)s muncul dua kali.")
        if problem:
            raise _broken(edisi, spec.berkas, problem % {"baris": line, "kode": kode, "tingkat": level})
        seen.add((kode, kind))
        rows.append(
            ItemRow(
                kode=kode,
                level=level,
                nama=_clean(raw["nama"])[: _MAX["nama"]],
                kode_induk=codes.parent_kode(kode),
                berlaku_untuk=kind,
            )
        )
    if spec.metadata:
        _join_metadata(rows, _read_csv(DATA_DIR / spec.metadata, _META_COLUMNS, edisi), report)
    _count(rows, report)
    return rows, report


_META_FIELDS = ("kinerja", "indikator", "satuan", "spm", "jenis", "kode_sebelumnya")


def _metadata_of(raw: dict[str, str]) -> dict[str, str]:
    values = {name: _clean(raw.get(name, "")) for name in _META_FIELDS[:-1]}
    values["kode_sebelumnya"] = previous_code(raw.get("subkegiatan_sebelumnya", ""))
    return {name: value[: _MAX.get(name, len(value))] for name, value in values.items()}


def _join_metadata(rows: list[ItemRow], meta_rows: list[dict[str, str]], report: LoadReport) -> None:
    """Metadata joined on (kode, pemda); a "semua" row takes the provinsi metadata, else the kab/kota one."""
    meta = {(m["kode"].strip(), m["pemda"].strip()): _metadata_of(m) for m in meta_rows}
    for row in rows:
        if row.level != codes.SUB_KEGIATAN:
            continue
        if row.berlaku_untuk == codes.SEMUA:
            first = meta.get((row.kode, codes.PROVINSI))
            second = meta.get((row.kode, codes.KABKOTA))
            if first is not None and second is not None and first != second:
                report.metadata_differs.append(row.kode)
            values = first or second
        else:
            values = meta.get((row.kode, row.berlaku_untuk))
        if values is not None:
            for name, value in values.items():
                setattr(row, name, value)


def nomenclature_load(
    edisi: str = DEFAULT_EDITION, *, actor: Any = None, progress: bool = False
) -> LoadReport:
    """Load a shipped edition (idempotent); raises `ApplicationError` for an unknown edition."""
    started = time.perf_counter()
    rows, report = read_shipped_edition(edisi)
    spec = EDITIONS[edisi]
    report.checksum = _sha256(spec.paths)
    _write_edition(
        rows, report, sumber=spec.sumber, actor=actor, progress=progress, started=started, berkas=spec.paths
    )
    return report


def _dataset(edisi: str) -> str:
    return f"nomenklatur-{edisi}"


def _write_edition(
    rows: Sequence[ItemRow],
    report: LoadReport,
    *,
    sumber: str,
    actor: Any,
    progress: bool,
    started: float,
    berkas: Sequence[Path],
) -> None:
    """Replace the items of `report.edisi` by `rows` unless the same checksum is already loaded."""
    with transaction.atomic():
        edition = NomenclatureEdition.objects.select_for_update().filter(kode=report.edisi).first()
        if edition is not None:
            report.previous_total = NomenclatureItem.objects.filter(edisi=edition).count()
            if edition.checksum == report.checksum and report.previous_total == len(rows):
                report.unchanged = True
                report.seconds = time.perf_counter() - started
                return
        before = (
            {"nama": edition.nama, "checksum": edition.checksum, "jumlah": report.previous_total}
            if edition is not None
            else None
        )
        if edition is None:
            edition = NomenclatureEdition(kode=report.edisi)
        edition.nama = report.nama
        edition.sumber = sumber
        edition.checksum = report.checksum
        edition.save()
        bar = tqdm(
            total=len(rows),
            unit="baris",
            desc=f"Nomenklatur {report.edisi}",
            file=sys.stderr,
            disable=not progress,
            leave=False,
        )
        try:
            NomenclatureItem.objects.filter(edisi=edition).delete()
            for chunk in _chunks(rows, BATCH):
                NomenclatureItem.objects.bulk_create([row.item(edition) for row in chunk], batch_size=BATCH)
                bar.update(len(chunk))
        finally:
            bar.close()
        report.seconds = time.perf_counter() - started
        summary = report.summary()
        summary["berkas"] = [path.name for path in berkas]
        ReferenceDataLoad.objects.update_or_create(
            dataset=_dataset(report.edisi),
            defaults={"edisi": report.edisi, "checksum": report.checksum, "summary": summary},
        )
        audit_record(
            actor=actor,
            action="reference_load",
            object_type="planning.nomenclatureedition",
            object_id=str(edition.pk),
            object_label=f"Nomenklatur edisi {report.edisi} ({report.nama})"[:255],
            before=before,
            after=summary,
        )


# --- official spreadsheet ------------------------------------------------------------------------


def _header_key(text: Any) -> str:
    """A header cell reduced to lower-case words: "Kode_Sub-Kegiatan" -> "kode sub kegiatan"."""
    key = re.sub(r"[^0-9a-z]+", " ", _clean(text).lower()).strip()
    key = re.sub(r"\bsubkegiatan\b", "sub kegiatan", key)
    key = re.sub(r"\bsub giat\b", "sub kegiatan", key)
    key = re.sub(r"\bgiat\b", "kegiatan", key)
    return key


_LEVEL_WORDS: dict[str, str] = {
    "urusan": codes.URUSAN,
    "bidang": codes.BIDANG,
    "bidang urusan": codes.BIDANG,
    "program": codes.PROGRAM,
    "kegiatan": codes.KEGIATAN,
    "sub kegiatan": codes.SUB_KEGIATAN,
}
# Longest first: "kabupaten kota" before "kota".
_KIND_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("kabupaten kota", codes.KABKOTA),
    ("kab kota", codes.KABKOTA),
    ("provinsi", codes.PROVINSI),
    ("kabupaten", codes.KABKOTA),
    ("kota", codes.KABKOTA),
)
_META_ALIASES: dict[str, str] = {
    "kinerja": "kinerja",
    "kinerja sub kegiatan": "kinerja",
    "hasil": "kinerja",
    "indikator": "indikator",
    "indikator kinerja": "indikator",
    "indikator sub kegiatan": "indikator",
    "indikator keluaran": "indikator",
    "satuan": "satuan",
    "satuan indikator": "satuan",
    "spm": "spm",
    "spm non spm": "spm",
    "jenis spm": "spm",
    "jenis": "jenis",
    "jenis sub kegiatan": "jenis",
    "kode sebelumnya": "kode_sebelumnya",
    "kode lama": "kode_sebelumnya",
    "sub kegiatan sebelumnya": "kode_sebelumnya",
    "kode sub kegiatan sebelumnya": "kode_sebelumnya",
}
_KIND_HEADERS = frozenset(
    {
        "berlaku",
        "berlaku untuk",
        "pemda",
        "jenis pemda",
        "tingkat pemda",
        "provinsi kabupaten kota",
        "prov kab kota",
        "provinsi kab kota",
    }
)
_NAME_PREFIXES = ("nama", "nomenklatur", "uraian")


@dataclass(frozen=True)
class _Header:
    """What one header cell means: a code or name column (of a level or any), metadata, the kind."""

    role: str  # "kode", "nama", "meta", "berlaku"
    level: str | None = None
    meta: str = ""
    kind: str | None = None


def _classify(text: Any) -> _Header | None:
    key = _header_key(text)
    if not key:
        return None
    if key in _META_ALIASES:
        return _Header("meta", meta=_META_ALIASES[key])
    if key in _KIND_HEADERS:
        return _Header("berlaku")
    if key in ("kode", "kode nomenklatur", "kode rekening", "no kode"):
        return _Header("kode")
    if key.startswith("kode ") and key[5:] in _LEVEL_WORDS:
        return _Header("kode", level=_LEVEL_WORDS[key[5:]])
    first, _space, rest = key.partition(" ")
    if first not in _NAME_PREFIXES:
        return None
    kind = None
    for suffix, suffix_kind in _KIND_SUFFIXES:
        if rest == suffix or rest.endswith(" " + suffix):
            kind = suffix_kind
            rest = rest[: len(rest) - len(suffix)].strip()
            break
    if rest in _LEVEL_WORDS:
        return _Header("nama", level=_LEVEL_WORDS[rest], kind=kind)
    if rest in ("", "nomenklatur") or rest.startswith("urusan"):
        # "Nomenklatur Urusan Provinsi" is how the regulation's annex titles its tables.
        return _Header("nama", kind=kind)
    return None


@dataclass
class _Layout:
    header_row: int
    data_start: int  # index into the sheet's rows
    labels: dict[int, str]
    pairs: list[tuple[str | None, int, int | None]]  # (level, code column, name column)
    berlaku: int | None
    meta: dict[str, int]
    sheet_kind: str | None
    sheet: str


def _invalid(message: str, errors: list[dict[str, Any]]) -> ApplicationError:
    return ApplicationError(message, code="nomenklatur_tidak_valid", errors=errors)


def _file_error(message: str) -> ApplicationError:
    return _invalid(message, [{"baris": 0, "kolom": "", "pesan": message}])


def _read_sheets(path: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    try:
        size = path.stat().st_size
    except OSError:
        raise _file_error(_("Berkas tidak ditemukan atau tidak dapat dibuka.")) from None
    if size > MAX_XLSX_BYTES:
        raise _file_error(
            _("Berkas terlalu besar (lebih dari %(mb)d MB).") % {"mb": MAX_XLSX_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        # A damaged or disguised file fails deep inside zipfile / XML parsing with many exception types.
        raise _file_error(
            _("Berkas XLSX tidak dapat dibaca (rusak atau bukan berkas .xlsx); simpan ulang sebagai .xlsx.")
        ) from exc
    sheets: list[tuple[str, list[tuple[Any, ...]]]] = []
    try:
        for sheet in workbook.worksheets:
            rows: list[tuple[Any, ...]] = []
            for values in sheet.iter_rows(values_only=True):
                rows.append(tuple(values))
                if len(rows) > MAX_XLSX_ROWS:
                    raise _file_error(
                        _("Lembar %(lembar)s berisi lebih dari %(jumlah)d baris.")
                        % {"lembar": sheet.title, "jumlah": MAX_XLSX_ROWS}
                    )
            sheets.append((sheet.title, rows))
    except ApplicationError:
        raise
    except Exception as exc:
        raise _file_error(
            _("Isi berkas XLSX tidak dapat dibaca (rusak); simpan ulang dari Excel/LibreOffice.")
        ) from exc
    finally:
        workbook.close()
    return sheets


def _headers_of(cells: Sequence[Any]) -> dict[int, _Header]:
    found: dict[int, _Header] = {}
    for index, cell in enumerate(cells):
        header = _classify(cell)
        if header is not None:
            found[index] = header
    return found


def _is_numbering(cells: Sequence[Any]) -> bool:
    """A row numbering the columns under the header: 1, 2, 3 ... or (1), (2), (3) ..."""
    numbers: list[int] = []
    for cell in cells:
        text = _clean(cell).strip("()")
        if not text:
            continue
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _layout(sheet: str, rows: Sequence[tuple[Any, ...]]) -> _Layout | None:
    for index, cells in enumerate(rows[:HEADER_ROWS]):
        headers = _headers_of(cells)
        roles = {h.role for h in headers.values()}
        if not {"kode", "nama"} <= roles:
            continue
        labels = {i: _clean(c) for i, c in enumerate(cells) if _clean(c)}
        start = index + 1
        # A second header row: a group header merged over sub-headers (Kinerja, Indikator, Satuan).
        if start < len(rows):
            below = _headers_of(rows[start])
            code_columns = [i for i, h in headers.items() if h.role == "kode"]
            looks_like_data = any(
                codes.try_normalize_kode(rows[start][i]) for i in code_columns if i < len(rows[start])
            )
            if below and not looks_like_data:
                for i, header in below.items():
                    headers[i] = header
                    labels[i] = _clean(rows[start][i])
                start += 1
        if start < len(rows) and _is_numbering(rows[start]):
            start += 1
        return _pair(sheet, index + 1, start, labels, headers)
    return None


def _pair(
    sheet: str, header_row: int, start: int, labels: dict[int, str], headers: dict[int, _Header]
) -> _Layout:
    code_cols = [(i, h) for i, h in sorted(headers.items()) if h.role == "kode"]
    name_cols = [(i, h) for i, h in sorted(headers.items()) if h.role == "nama"]
    kinds = {h.kind for _i, h in name_cols if h.kind}
    sheet_kind = kinds.pop() if len(kinds) == 1 else None
    pairs: list[tuple[str | None, int, int | None]] = []
    if len(code_cols) == 1:
        code_index, code_header = code_cols[0]
        same_level = [i for i, h in name_cols if h.level == code_header.level]
        generic = [i for i, h in name_cols if h.level is None]
        name_index = (same_level or generic or [name_cols[0][0]])[0]
        pairs.append((None, code_index, name_index))
    else:
        used: set[int] = set()
        for code_index, code_header in code_cols:
            match = next((i for i, h in name_cols if h.level == code_header.level and i not in used), None)
            if match is not None:
                used.add(match)
            pairs.append((code_header.level, code_index, match))
        order = {level: rank for rank, level in enumerate(codes.LEVELS)}
        pairs.sort(key=lambda p: order.get(p[0] or "", len(order)))
        spare = [i for i, h in name_cols if i not in used and h.level is None]
        if spare:
            # A generic name column names the finest code column that has no name column.
            for position in range(len(pairs) - 1, -1, -1):
                pair_level, pair_code, pair_name = pairs[position]
                if pair_name is None:
                    pairs[position] = (pair_level, pair_code, spare[0])
                    break
    berlaku = next((i for i, h in sorted(headers.items()) if h.role == "berlaku"), None)
    meta: dict[str, int] = {}
    for i, h in sorted(headers.items()):
        if h.role == "meta" and h.meta not in meta:
            meta[h.meta] = i
    return _Layout(header_row, start, labels, pairs, berlaku, meta, sheet_kind, sheet)


_KIND_VALUES: dict[str, str] = {
    "provinsi": codes.PROVINSI,
    "prov": codes.PROVINSI,
    "p": codes.PROVINSI,
    "kabkota": codes.KABKOTA,
    "kab kota": codes.KABKOTA,
    "kabupaten kota": codes.KABKOTA,
    "kabupaten": codes.KABKOTA,
    "kota": codes.KABKOTA,
    "kab": codes.KABKOTA,
    "k": codes.KABKOTA,
    "semua": codes.SEMUA,
    "provinsi dan kabupaten kota": codes.SEMUA,
    "provinsi kabupaten kota": codes.SEMUA,
    "prov kab kota": codes.SEMUA,
}


@dataclass
class _Raw:
    """One code read from one row (a row of the wide layout gives one per level)."""

    lembar: str
    row: int
    kolom: str
    kode: str
    level: str
    nama: str
    kind: str | None
    primary: bool = False
    nama_kolom: str = ""
    meta: dict[str, str] = field(default_factory=dict)


def _cell(cells: Sequence[Any], index: int | None) -> Any:
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _read_rows(layout: _Layout, rows: Sequence[tuple[Any, ...]]) -> tuple[list[_Raw], list[dict[str, Any]]]:
    raws: list[_Raw] = []
    errors: list[dict[str, Any]] = []

    def error(number: int, column: int | None, message: str) -> None:
        label = layout.labels.get(column, "") if column is not None else ""
        errors.append({"lembar": layout.sheet, "baris": number, "kolom": label, "pesan": message})

    for offset, cells in enumerate(rows[layout.data_start :]):
        number = layout.data_start + offset + 1
        if all(_clean(c) == "" for c in cells):
            continue
        kind: str | None = layout.sheet_kind
        row_ok = True
        if layout.berlaku is not None and _clean(_cell(cells, layout.berlaku)):
            text = _header_key(_cell(cells, layout.berlaku))
            if text in _KIND_VALUES:
                kind = _KIND_VALUES[text]
            else:
                error(
                    number,
                    layout.berlaku,
                    _("“%(nilai)s” tidak dikenal; isi provinsi, kabupaten/kota atau semua.")
                    % {"nilai": _clean(_cell(cells, layout.berlaku))},
                )
                row_ok = False
        meta: dict[str, str] = {}
        for name, index in layout.meta.items():
            value = _clean(_cell(cells, index))
            if name == "kode_sebelumnya" and value:
                previous = previous_code(value)
                if not previous:
                    error(number, index, _("“%(nilai)s” bukan kode sub-kegiatan.") % {"nilai": value[:40]})
                    row_ok = False
                value = previous
            limit = _MAX.get(name)
            if limit is not None and len(value) > limit:
                error(
                    number,
                    index,
                    _("Paling panjang %(batas)d karakter (terisi %(jumlah)d).")
                    % {"batas": limit, "jumlah": len(value)},
                )
                row_ok = False
            meta[name] = value
        found: list[_Raw] = []
        for level, code_index, name_index in layout.pairs:
            raw_code, raw_name = _cell(cells, code_index), _cell(cells, name_index)
            nama = _clean(raw_name)
            if _clean(raw_code) == "":
                if nama and level is None:
                    error(number, code_index, _("Kode wajib diisi (baris ini hanya berisi nama)."))
                    row_ok = False
                continue
            try:
                kode = codes.normalize_kode(raw_code)
            except ValueError as exc:
                error(number, code_index, str(exc))
                row_ok = False
                continue
            shape = codes.level_of(kode) or ""
            if level is not None and shape != level:
                error(
                    number,
                    code_index,
                    _("Kode %(kode)s adalah kode %(tingkat_kode)s, bukan %(tingkat)s.")
                    % {
                        "kode": kode,
                        "tingkat_kode": codes.level_label(shape),
                        "tingkat": codes.level_label(level),
                    },
                )
                row_ok = False
                continue
            if len(nama) > _MAX["nama"]:
                error(
                    number,
                    name_index,
                    _("Paling panjang %(batas)d karakter (terisi %(jumlah)d).")
                    % {"batas": _MAX["nama"], "jumlah": len(nama)},
                )
                row_ok = False
                continue
            found.append(
                _Raw(
                    lembar=layout.sheet,
                    row=number,
                    kolom=layout.labels.get(code_index, ""),
                    kode=kode,
                    level=shape,
                    nama=nama,
                    kind=kind,
                    nama_kolom=layout.labels.get(name_index, "") if name_index is not None else "",
                )
            )
        if not found:
            named = any(_clean(_cell(cells, p[2])) for p in layout.pairs)
            if row_ok and (named or any(_clean(_cell(cells, i)) for i in layout.meta.values())):
                error(number, None, _("Baris berisi data tetapi tanpa kode."))
            continue
        leaf = found[-1]
        leaf.primary = True
        leaf.meta = meta
        if not leaf.nama:
            error_at = {"lembar": layout.sheet, "baris": number, "kolom": leaf.nama_kolom}
            errors.append({**error_at, "pesan": _("Nama wajib diisi.")})
            row_ok = False
        if row_ok:
            raws.extend(found)
    return raws, errors


def _kind_of_leaf(raw: _Raw) -> str | None:
    if raw.kind is not None:
        return raw.kind
    if raw.level in (codes.KEGIATAN, codes.SUB_KEGIATAN):
        return codes.pemda_digit_kind(raw.kode) or codes.SEMUA
    return None


def _resolve(raws: Sequence[_Raw]) -> tuple[dict[tuple[str, str], ItemRow], list[dict[str, Any]]]:
    """Rows -> one item per (kode, berlaku_untuk); conflicting names are errors (see the module)."""
    items: dict[tuple[str, str], ItemRow] = {}
    first_row: dict[tuple[str, str], _Raw] = {}
    errors: list[dict[str, Any]] = []
    pending: dict[str, list[_Raw]] = defaultdict(list)
    for raw in raws:
        kind = _kind_of_leaf(raw) if raw.primary else None
        if kind is None:
            if not raw.primary and raw.level in (codes.KEGIATAN, codes.SUB_KEGIATAN):
                raw.kind = raw.kind or codes.pemda_digit_kind(raw.kode) or codes.SEMUA
            pending[raw.kode].append(raw)
            continue
        key = (raw.kode, kind)
        held = first_row.get(key)
        if held is not None:
            if codes.nama_cari(held.nama) != codes.nama_cari(raw.nama):
                where = (
                    _("baris %(baris)d") % {"baris": held.row}
                    if held.lembar == raw.lembar
                    else _("lembar %(lembar)s baris %(baris)d") % {"lembar": held.lembar, "baris": held.row}
                )
                errors.append(
                    {
                        "lembar": raw.lembar,
                        "baris": raw.row,
                        "kolom": raw.kolom,
                        "pesan": _("Kode %(kode)s (%(jenis)s) sudah ada di %(tempat)s dengan nama lain.")
                        % {"kode": raw.kode, "jenis": codes.kind_label(kind), "tempat": where},
                    }
                )
            continue
        first_row[key] = raw
        items[key] = ItemRow(
            kode=raw.kode,
            level=raw.level,
            nama=raw.nama,
            kode_induk=codes.parent_kode(raw.kode),
            berlaku_untuk=kind,
            **raw.meta,
        )
    # Kinds under each code, from the rows that stated or implied one.
    below: dict[str, set[str]] = defaultdict(set)
    for kode, kind in items:
        parent = codes.parent_kode(kode)
        while parent:
            below[parent].add(kind)
            parent = codes.parent_kode(parent)
    stated = {kode for kode, _kind in items}
    for kode, group in pending.items():
        if kode in stated:
            continue
        named = [r for r in group if r.nama]
        if not named:
            continue  # only a code: becomes a placeholder parent below if nothing names it
        names = {codes.nama_cari(r.nama) for r in named}
        if len(names) == 1:
            kinds = {r.kind for r in named if r.kind} | below.get(kode, set())
            kind = next(iter(kinds)) if len(kinds) == 1 else codes.SEMUA
            chosen = [(kind, named[0])]
        else:
            by_kind: dict[str | None, set[str]] = defaultdict(set)
            for r in named:
                by_kind[r.kind].add(codes.nama_cari(r.nama))
            if None in by_kind or any(len(v) > 1 for v in by_kind.values()):
                rows_text = ", ".join(str(r.row) for r in named[:10])
                for r in named:
                    errors.append(
                        {
                            "lembar": r.lembar,
                            "baris": r.row,
                            "kolom": r.kolom,
                            "pesan": _(
                                "Kode %(kode)s bernama berbeda di baris %(baris)s. Bila namanya berbeda "
                                "untuk provinsi dan kabupaten/kota, tambahkan kolom “Berlaku” "
                                "(provinsi/kabkota)."
                            )
                            % {"kode": kode, "baris": rows_text},
                        }
                    )
                continue
            chosen = [(str(k), next(r for r in named if r.kind == k)) for k in sorted(by_kind, key=str)]
        for kind, raw in chosen:
            items[(kode, kind)] = ItemRow(
                kode=kode,
                level=raw.level,
                nama=raw.nama,
                kode_induk=codes.parent_kode(kode),
                berlaku_untuk=kind,
                **raw.meta,
            )
    return items, errors


def _add_missing_parents(items: dict[tuple[str, str], ItemRow]) -> list[tuple[str, str, str]]:
    """Create a row for every parent the file lacks, for the kinds that need it; returns them.

    A parent needed by both kinds of pemda (or by a "semua" child) and absent altogether becomes one
    "semua" row; otherwise one row per missing kind. An urusan gets its fixed name.
    """
    kinds_of: dict[str, set[str]] = defaultdict(set)
    for kode, kind in items:
        kinds_of[kode].add(kind)
    created: list[tuple[str, str, str]] = []
    for level in reversed(codes.LEVELS[1:]):
        needs: dict[str, set[str]] = defaultdict(set)
        for (kode, kind), row in items.items():
            if row.level != level:
                continue
            parent = codes.parent_kode(kode)
            present = kinds_of[parent]
            if codes.SEMUA in present:
                continue
            wanted = set(codes.PEMDA_KINDS) if kind == codes.SEMUA else {kind}
            needs[parent] |= wanted - present
        for parent, missing in sorted(needs.items()):
            if not missing:
                continue
            both = missing == set(codes.PEMDA_KINDS) and not kinds_of[parent]
            new_kinds = [codes.SEMUA] if both else sorted(missing)
            nama = codes.URUSAN_NAMES.get(parent, PLACEHOLDER_NAME) if "." not in parent else PLACEHOLDER_NAME
            for kind in new_kinds:
                items[(parent, kind)] = ItemRow(
                    kode=parent,
                    level=codes.level_of(parent) or "",
                    nama=nama,
                    kode_induk=codes.parent_kode(parent),
                    berlaku_untuk=kind,
                )
                kinds_of[parent].add(kind)
                created.append((parent, kind, nama))
    return sorted(created)


_EDITION_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")


def nomenclature_load_xlsx(
    path: Path | str, *, edisi: str, nama: str, actor: Any = None, progress: bool = False
) -> LoadReport:
    """Load an official edition from the government's XLSX (all or nothing; see the module docstring).

    Raises `ApplicationError` whose `errors` list every problem as {"baris", "kolom", "pesan"} (plus
    "lembar", the sheet's name; "baris" 0 is the file as a whole).
    """
    started = time.perf_counter()
    path = Path(path)
    edisi, nama = edisi.strip(), " ".join(nama.split())
    problems: list[dict[str, Any]] = []
    if not _EDITION_CODE.match(edisi) or len(edisi) > 20:
        problems.append(
            {
                "baris": 0,
                "kolom": "edisi",
                "pesan": _("Kode edisi: 1-20 huruf, angka, titik atau tanda hubung."),
            }
        )
    if not nama or len(nama) > 200:
        problems.append(
            {"baris": 0, "kolom": "nama", "pesan": _("Nama edisi wajib diisi, paling panjang 200 karakter.")}
        )
    if problems:
        raise _invalid(_("Edisi nomenklatur belum benar."), problems)
    # Every sheet with a recognisable header is read (the annex may split provinsi and kab/kota).
    layouts: list[tuple[_Layout, list[tuple[Any, ...]]]] = []
    for sheet, sheet_rows in _read_sheets(path):
        layout = _layout(sheet, sheet_rows)
        if layout is not None:
            layouts.append((layout, sheet_rows))
    if not layouts:
        raise _file_error(
            _(
                "Judul kolom tidak ditemukan: tidak ada lembar yang dalam %(jumlah)d baris pertamanya memuat "
                "kolom kode (“Kode”, “Kode Sub Kegiatan”) dan kolom nama (“Nama”, “Nomenklatur”, “Uraian”)."
            )
            % {"jumlah": HEADER_ROWS}
        )
    raws: list[_Raw] = []
    errors: list[dict[str, Any]] = []
    for layout, sheet_rows in layouts:
        sheet_raws, sheet_errors = _read_rows(layout, sheet_rows)
        raws.extend(sheet_raws)
        errors.extend(sheet_errors)
    items, conflicts = _resolve(raws)
    errors.extend(conflicts)
    if errors:
        order = {layout.sheet: index for index, (layout, _rows) in enumerate(layouts)}
        errors.sort(key=lambda e: (order.get(e.get("lembar", ""), -1), e["baris"], e["kolom"]))
        raise _invalid(
            _("Berkas nomenklatur belum benar: %(jumlah)d kesalahan; tidak ada yang dimuat.")
            % {"jumlah": len(errors)},
            errors,
        )
    if not items:
        raise _file_error(_("Berkas tidak berisi baris nomenklatur di bawah judul kolom."))
    report = LoadReport(edisi=edisi, nama=nama)
    report.placeholders = _add_missing_parents(items)
    ordered = [items[key] for key in sorted(items)]
    _count(ordered, report)
    report.checksum = _sha256([path])
    sumber = _("Berkas XLSX %(berkas)s, lembar %(lembar)s") % {
        "berkas": path.name,
        "lembar": ", ".join(layout.sheet for layout, _rows in layouts),
    }
    _write_edition(
        ordered, report, sumber=sumber, actor=actor, progress=progress, started=started, berkas=[path]
    )
    return report


# --- selectors -----------------------------------------------------------------------------------


def _edition(edisi: NomenclatureEdition | str | None) -> NomenclatureEdition | None:
    if isinstance(edisi, NomenclatureEdition):
        return edisi
    if not edisi:
        return edition_default()
    return NomenclatureEdition.objects.filter(kode=edisi).first()


def edition_default() -> NomenclatureEdition | None:
    """The newest loaded edition (highest kode), or None when none is loaded."""
    return NomenclatureEdition.objects.order_by("-kode").first()


_CODE_QUERY = re.compile(r"^[0-9](?:[0-9.]*)$|^X(?:[.X0-9]*)$")


def nomenclature_search(
    *,
    edisi: NomenclatureEdition | str,
    q: str,
    level: str | None = None,
    pemda_kind: str | None = None,
    parent: str | None = None,
    limit: int = 20,
) -> list[NomenclatureItem]:
    """Items of an edition matching `q`, ordered by code.

    A query that starts with a digit or "X" and holds only digits, dots and "X" (e.g. "1.02.02",
    "x.xx.01", spaces ignored) is a code prefix; otherwise every word must occur in the name (case
    ignored; "2 kabupaten" is two words). `pemda_kind` keeps entries valid for that
    kind ("semua" included); `parent` keeps the children of one code. An empty query lists.
    """
    edition = _edition(edisi)
    if edition is None or limit <= 0:
        return []
    qs = NomenclatureItem.objects.filter(edisi=edition)
    text = " ".join(q.split())
    compact = "".join(text.split()).upper().rstrip(".") if text else ""
    if compact and _CODE_QUERY.match(compact):
        qs = qs.filter(kode__startswith=compact)
    else:
        for word in codes.nama_cari(text).split():
            qs = qs.filter(nama_cari__icontains=word)
    if level:
        qs = qs.filter(level=level)
    if pemda_kind:
        qs = qs.filter(berlaku_untuk__in=[pemda_kind, codes.SEMUA])
    if parent is not None:
        qs = qs.filter(kode_induk=parent)
    return list(qs.order_by("kode", "berlaku_untuk")[:limit])


def nomenclature_lookup(
    edisi: NomenclatureEdition | str, pemda_kind: str, *, levels: Sequence[str] | None = None
) -> dict[str, NomenclatureItem]:
    """Every code valid for `pemda_kind` -> its item; the kind's own entry wins over a "semua" one."""
    edition = _edition(edisi)
    if edition is None:
        return {}
    qs = NomenclatureItem.objects.filter(edisi=edition, berlaku_untuk__in=[pemda_kind, codes.SEMUA])
    if levels:
        qs = qs.filter(level__in=list(levels))
    result: dict[str, NomenclatureItem] = {}
    for item in qs.order_by("kode"):
        held = result.get(item.kode)
        if held is None or (held.berlaku_untuk == codes.SEMUA and item.berlaku_untuk == pemda_kind):
            result[item.kode] = item
    return result


def lookup_function(edisi: NomenclatureEdition | str) -> Callable[[str, str], NomenclatureItem | None]:
    """A `codes.check_code` lookup over a whole edition, built once (one query per kind of pemda)."""
    tables: dict[str, dict[str, NomenclatureItem]] = {}

    def lookup(kode: str, pemda_kind: str) -> NomenclatureItem | None:
        if pemda_kind not in tables:
            tables[pemda_kind] = nomenclature_lookup(edisi, pemda_kind)
        return tables[pemda_kind].get(kode)

    return lookup


def edition_mapping(
    old: NomenclatureEdition | str, new: NomenclatureEdition | str, pemda_kind: str
) -> codes.MappingResult:
    """`codes.map_codes` between two loaded editions for one kind of pemda."""
    budget = list(codes.BUDGET_LEVELS)
    old_items = list(nomenclature_lookup(old, pemda_kind, levels=budget).values())
    new_items = list(nomenclature_lookup(new, pemda_kind, levels=budget).values())
    return codes.map_codes(old_items, new_items)


def edition_counts() -> list[tuple[NomenclatureEdition, dict[str, int]]]:
    """Loaded editions, oldest first, with their number of items per level."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(codes.LEVELS, 0))
    rows = NomenclatureItem.objects.order_by().values("edisi_id", "level").annotate(jumlah=Count("id"))
    for row in rows:
        counts[row["edisi_id"]][row["level"]] = row["jumlah"]
    return [(edition, counts[edition.pk]) for edition in NomenclatureEdition.objects.order_by("kode")]
