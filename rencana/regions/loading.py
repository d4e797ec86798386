"""Load a Kemendagri region edition and the kabupaten/kota and kecamatan boundaries into the database.

`regions_load(edition="2025")` brings the `Region` table to exactly the codes of that edition
(Kepmendagri 300.2.2-2138/2025, or 100.1.1-6117/2022 for "2022"; files in `data/`, see
data/PROVENANCE.md): new codes are inserted, renamed or re-parented codes updated, codes absent
from the edition deleted, in one transaction with batched bulk operations. The search tokens
(`RegionSearchToken`) follow the same changes. Boundaries (`RegionBoundary`, simplified GeoJSON from
`cahyadsn/wilayah_boundaries`, Kepmendagri 300.2.2-2430/2025) are rewritten only when their files
changed. Loading twice changes nothing the second time.
"""

import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from tqdm import tqdm

from rencana.core.audit import audit_record
from rencana.regions import editions
from rencana.regions.editions import EDITIONS, RegionRow, Rename
from rencana.regions.models import Pemda, ReferenceDataLoad, Region, RegionBoundary, RegionSearchToken

BOUNDARY_FILES: tuple[str, ...] = ("batas_kabupaten_kota_2025.geojson", "batas_kecamatan_2025.geojson")
BOUNDARY_EDITION = "2025"
# Rows per INSERT/UPDATE statement: well under SQLite's 32,766 bound variables, few round trips.
BATCH = 2000
UPDATE_BATCH = 500


@dataclass
class LoadReport:
    """What a load found and did, compared with what the database held before."""

    edition: str
    decree: str
    counts: dict[str, int] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)
    # Codes gone from the edition but kept because a pemda is registered on them (decided by a person).
    kept: list[str] = field(default_factory=list)
    # Rows rewritten for another reason (level, parent, search key or edition label).
    updated: int = 0
    boundaries: int = 0
    boundaries_written: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.renamed or self.updated or self.boundaries_written)

    def summary(self) -> dict[str, Any]:
        """Short, JSON-safe summary for ReferenceDataLoad and the audit event (examples capped)."""
        return {
            "edisi": self.edition,
            "keputusan": self.decree,
            "jumlah_per_tingkat": self.counts,
            "ditambah": len(self.added),
            "dihapus": len(self.removed),
            "berganti_nama": len(self.renamed),
            "diperbarui_lain": self.updated,
            "contoh_ditambah": self.added[:20],
            "contoh_dihapus": self.removed[:20],
            "contoh_berganti_nama": [asdict(r) for r in self.renamed[:20]],
            "dipertahankan_karena_dipakai_pemda": self.kept,
            "batas": self.boundaries,
            "batas_ditulis": self.boundaries_written,
        }


def _chunks[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sha256(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _region(row: RegionRow, edition: str) -> Region:
    return Region(
        kode=row.kode,
        nama=row.nama,
        level=row.level,
        parent_id=row.parent,
        nama_cari=row.nama_cari,
        edisi=edition,
    )


def _tokens_for(kode: str, key: str, level: str) -> list[RegionSearchToken]:
    rank = editions.LEVEL_RANK[level]
    return [RegionSearchToken(token=t[:40], region_id=kode, rank=rank) for t in editions.tokens(key)]


def _load_regions(
    rows: list[RegionRow],
    edition: str,
    report: LoadReport,
    step: Callable[[int], object],
    plan: Callable[[int], object],
) -> None:
    # What the database holds now, as rows of the same shape as the file.
    current: dict[str, tuple[str, str, str | None, str, str]] = {
        kode: (nama, level, parent, cari, edisi)
        for kode, nama, level, parent, cari, edisi in Region.objects.values_list(
            "kode", "nama", "level", "parent_id", "nama_cari", "edisi"
        ).iterator(chunk_size=5000)
    }
    before = {kode: RegionRow(kode=kode, nama=v[0], level=v[1], parent=v[2]) for kode, v in current.items()}
    diff = editions.diff_editions(before, rows)
    report.added, report.removed, report.renamed = diff.added, diff.removed, diff.renamed
    # Deleting the region of a registered pemda would orphan the tenant: keep it and say so.
    report.kept = sorted(Pemda.objects.filter(region_id__in=diff.removed).values_list("region_id", flat=True))
    removable = [kode for kode in diff.removed if kode not in set(report.kept)]
    added = set(diff.added)
    to_create: list[Region] = []
    to_update: list[Region] = []
    relabel = 0
    for row in rows:
        if row.kode in added:
            to_create.append(_region(row, edition))
            continue
        old = current[row.kode]
        if (old[0], old[1], old[2], old[3]) != (row.nama, row.level, row.parent, row.nama_cari):
            to_update.append(_region(row, edition))
        elif old[4] != edition:
            relabel += 1
    report.updated = len(to_update) - len(diff.renamed) + relabel

    new_tokens = [
        token
        for region in (*to_create, *to_update)
        for token in _tokens_for(region.kode, region.nama_cari, region.level)
    ]
    plan(len(diff.removed) + len(to_create) + len(to_update) + len(new_tokens) // 2)
    # Search tokens follow the rows whose search key may have changed.
    stale_tokens = [*removable, *(r.kode for r in to_update)]
    for chunk in _chunks(removable, UPDATE_BATCH):
        Region.objects.filter(kode__in=chunk).delete()
        step(len(chunk))
    for chunk in _chunks(stale_tokens, UPDATE_BATCH):
        RegionSearchToken.objects.filter(region_id__in=chunk).delete()
    for created in _chunks(to_create, BATCH):
        Region.objects.bulk_create(created)
        step(len(created))
    for updated in _chunks(to_update, UPDATE_BATCH):
        Region.objects.bulk_update(updated, ["nama", "level", "parent", "nama_cari", "edisi"])
        step(len(updated))
    if relabel:
        # One statement instead of a bulk_update of every unchanged row.
        Region.objects.exclude(edisi=edition).exclude(kode__in=report.kept).update(edisi=edition)
    for token_chunk in _chunks(new_tokens, BATCH * 2):
        RegionSearchToken.objects.bulk_create(token_chunk)
        step(len(token_chunk) // 2)


def _read_boundaries() -> list[RegionBoundary]:
    boundaries: list[RegionBoundary] = []
    for name in BOUNDARY_FILES:
        with (editions.DATA_DIR / name).open(encoding="utf-8") as handle:
            collection = json.load(handle)
        for feature in collection["features"]:
            props = feature["properties"]
            boundaries.append(
                RegionBoundary(
                    region_id=props["kode"],
                    geometry=feature["geometry"],
                    lat=float(props["lat"]),
                    lng=float(props["lng"]),
                )
            )
    return boundaries


def _load_boundaries(
    report: LoadReport, step: Callable[[int], object], plan: Callable[[int], object]
) -> None:
    checksum = _sha256(editions.DATA_DIR / name for name in BOUNDARY_FILES)
    record = ReferenceDataLoad.objects.filter(dataset="batas").first()
    present = RegionBoundary.objects.count()
    if record is not None and record.checksum == checksum and present == record.summary.get("jumlah"):
        report.boundaries = present
        return
    boundaries = _read_boundaries()
    plan(len(boundaries))
    RegionBoundary.objects.all().delete()
    for chunk in _chunks(boundaries, 500):
        RegionBoundary.objects.bulk_create(chunk)
        step(len(chunk))
    report.boundaries = len(boundaries)
    report.boundaries_written = True
    ReferenceDataLoad.objects.update_or_create(
        dataset="batas",
        defaults={
            "edisi": BOUNDARY_EDITION,
            "checksum": checksum,
            "summary": {"jumlah": len(boundaries), "berkas": list(BOUNDARY_FILES)},
        },
    )


def regions_load(
    *, edition: str = "2025", progress: bool = False, stdout: TextIO | None = None
) -> LoadReport:
    """Bring Region (and its search tokens and boundaries) to exactly `edition`; idempotent.

    Raises `editions.EditionError` for an unknown edition. `stdout` receives one line per phase.
    """
    started = time.perf_counter()
    path = editions.edition_path(edition)
    rows = editions.read_edition(edition)
    report = LoadReport(edition=edition, decree=EDITIONS[edition][1])

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    bar = tqdm(
        total=0,
        unit="baris",
        desc=f"Wilayah {edition}",
        file=sys.stderr,
        disable=not progress,
        leave=False,
    )

    def plan(more: int) -> None:
        # The amount of work is known only after comparing with the database.
        bar.total = (bar.total or 0) + more
        bar.refresh()

    try:
        with transaction.atomic():
            say(f"Memuat kode wilayah edisi {edition} ({report.decree}) ...")
            _load_regions(rows, edition, report, bar.update, plan)
            say("Memeriksa batas wilayah ...")
            _load_boundaries(report, bar.update, plan)
            report.counts = editions.count_levels(rows)
            checksum = _sha256([path])
            record = ReferenceDataLoad.objects.filter(dataset="wilayah").first()
            stale_record = record is None or record.edisi != edition or record.checksum != checksum
            if report.changed or stale_record:
                report.seconds = round(time.perf_counter() - started, 2)
                ReferenceDataLoad.objects.update_or_create(
                    dataset="wilayah",
                    defaults={"edisi": edition, "checksum": checksum, "summary": report.summary()},
                )
            if report.changed:
                audit_record(
                    actor=None,
                    action="reference_load",
                    object_type="regions.region",
                    object_id=edition,
                    object_label=f"Kode wilayah Kemendagri edisi {edition} ({report.decree})"[:255],
                    after=report.summary(),
                )
    finally:
        bar.close()
    report.seconds = time.perf_counter() - started
    return report


def regions_reindex(*, kodes: Iterable[str] | None = None) -> int:
    """Recompute `nama_cari` and the search tokens of `kodes` (all regions when None); returns tokens written.

    For regions written outside `regions_load` (test factories, hand fixes in the admin).
    """
    qs = Region.objects.all() if kodes is None else Region.objects.filter(kode__in=list(kodes))
    regions = list(qs.only("kode", "nama", "level", "nama_cari"))
    with transaction.atomic():
        fixed = [r for r in regions if r.nama_cari != editions.nama_cari(r.nama, r.level)]
        for region in fixed:
            region.nama_cari = editions.nama_cari(region.nama, region.level)
        for fixed_chunk in _chunks(fixed, UPDATE_BATCH):
            Region.objects.bulk_update(fixed_chunk, ["nama_cari"])
        codes = [r.kode for r in regions]
        for code_chunk in _chunks(codes, UPDATE_BATCH):
            RegionSearchToken.objects.filter(region_id__in=code_chunk).delete()
        tokens = [t for r in regions for t in _tokens_for(r.kode, r.nama_cari, r.level)]
        for token_chunk in _chunks(tokens, BATCH * 2):
            RegionSearchToken.objects.bulk_create(token_chunk)
    return len(tokens)
