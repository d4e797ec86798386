"""Benchmark of the e-Monev evaluation: a full pemda year, a national set, and a pandas / SQL floor.

Data, per pemda: the RKPD 2026 of a kabupaten drawn from the 2027 nomenclature by
`rencana.planning.generate.generate_budget_tree` for the 34 OPDs of Kotabaru plus 20 kecamatan and 10
puskesmas (asking 6,000 gives about 5,000 sub-kegiatan, as in bench/planning_bench.py), each with its
output indicator; some indicators are made "akhir_periode" (every 7th), "rata_rata" (every 11th) or
"negatif" (every 13th); every 97th has no 2026 target, every 50th sub-kegiatan no pagu. An RPJMD
2025–2029 with the demo's misi/tujuan/sasaran (`rencana.planning.demo.MISI`) carries the RPJMD-level
indicators: 2 per tujuan, 6 per sasaran and one outcome indicator per program of the RPJMD (the
programs the RKPD runs), about 300 in all, with Bappeda's own verified realizations (no OPD) for the
four quarters of 2026. Every sub-kegiatan has a verified realization for each of the four quarters
(budget and indicator value; performance levels spread over the five predikat bands); every 25th
sub-kegiatan's quarter II was corrected (revision 0 verified, revision 1 verified with other numbers:
revision 1 counts) and every 40th has a correction of quarter III in progress (revision 0 verified,
revision 1 a draft with other numbers: revision 0 counts);
every 3rd current realization has an evidence row. Written in bulk (seed data, no audit trail).

Runs against its own fresh database: the SQLite file var/bench/monev.sqlite3 (deleted first) or, with
`--database postgres`, the PostgreSQL database bench_monev (dropped and created again, and dropped at
the end unless --keep). DEBUG is off. Parts (default: pemda):

- pemda: `monitoring.evaluation.evaluate` of the year up to TW 4 (median of 5 after a warm-up, query
  count); the RPJMD-level indicators as the sasaran page evaluates them (`views_eval._own_indicators`
  on every sasaran); the pages through Django's test client as a perencana (evaluation page of the
  pemda, of the largest OPD, of a sasaran, the dashboard panel, the public summary; median of 5,
  queries with CaptureQueriesContext); the command `rencana monev evaluate --format json` when it
  exists; the floor: the same aggregation by pandas on DataFrames of the same rows (fetched with one
  SQL query per table) and by one SQL statement inside the database; the per-OPD capaian means and
  serapan of Rencana and of both floors compared to 2 decimals.
- national: --pemda-count pemda (default 546) generated one after the other, then every pemda's year
  evaluated by `evaluate`, and the same by the floors in one pass over all pemda; figures for fewer
  than 546 are extrapolated linearly to 546 and labelled so.

    .venv/bin/python bench/monev_bench.py
    .venv/bin/python bench/monev_bench.py --database postgres
    .venv/bin/python bench/monev_bench.py --database postgres national --pemda-count 50
"""

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from rencana.planning.models import NomenclatureEdition, PlanDocument
    from rencana.regions.models import Pemda

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench" / "monev.sqlite3"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_monev"
NATIONAL_PEMDA = 546
_PROVINCE_CODES = (
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 71 72 73 74 75 76 81 82 "
    "91 92 93 94 95 96"
)
PROVINCES = tuple(_PROVINCE_CODES.split())
PEMDA_KODE = "63.02"
TAHUN = 2026
TRIWULAN = 4
ASK_SUB_KEGIATAN = 6000  # gives ~5,000 with the OPD list below
RUNS = 5
PARTS = ("pemda", "national")
# Year-end share of the annual target per sub-kegiatan, one per predikat band (ST, T, S, R, SR).
LEVELS = (Decimal("1.02"), Decimal("0.85"), Decimal("0.70"), Decimal("0.58"), Decimal("0.35"))
SPREAD = (Decimal("0.15"), Decimal("0.25"), Decimal("0.30"), Decimal("0.30"))  # share of each quarter
# The demo RPJMD has 4 tujuan and 8 sasaran; synthetic ones bring it to a usual kabupaten's 12 and 32.
EXTRA_TUJUAN = 8
EXTRA_SASARAN = 24
INDICATORS_PER_TUJUAN = 2
INDICATORS_PER_SASARAN = 4


# --- environment (as bench/planning_bench.py) -------------------------------------------------------


def _database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    return POSTGRES_URL if args.database == "postgres" else f"sqlite:///{SQLITE_PATH}"


def _maintenance(url: str) -> tuple[str, str] | None:
    """(maintenance URL, database name) of a PostgreSQL bench_ database; None for SQLite."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return None
    name = parts.path.lstrip("/")
    if not name.startswith("bench_"):
        sys.exit(f"Refusing to recreate database {name!r}: use a database whose name starts with bench_.")
    return urlunsplit(parts._replace(path="/postgres")), name


def _fresh_database(url: str) -> None:
    """Start from nothing: delete the SQLite file, or drop and create a bench_ PostgreSQL database."""
    target = _maintenance(url)
    if target is None:
        parts = urlsplit(url)
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    maintenance, name = target
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_database(url: str) -> None:
    target = _maintenance(url)
    if target is None:
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    maintenance, name = target
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    print(f"\nDatabase {name} dropped (--keep keeps it).")


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencana.settings")
    os.environ["DEBUG"] = "0"
    hosts = os.environ.get("ALLOWED_HOSTS")
    if hosts is not None and "testserver" not in hosts.split(","):
        os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver"  # Django's test client
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _machine() -> list[str]:
    import django
    import pandas
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("select version()")
        else:
            cursor.execute("select 'SQLite ' || sqlite_version()")
        db_version = str(cursor.fetchone()[0])
    cpu = "?"
    memory = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return [
        f"Database: {db_version}",
        f"Python {platform.python_version()}, Django {django.get_version()}, pandas {pandas.__version__}, "
        f"{os.cpu_count()} CPU ({cpu}), {memory} RAM, load average {os.getloadavg()[0]:.2f}",
    ]


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _database_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("select pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        cursor.execute("pragma wal_checkpoint(TRUNCATE)")
        cursor.execute("select page_count * page_size from pragma_page_count(), pragma_page_size()")
        return int(cursor.fetchone()[0])


def _analyze() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("analyze")
    return time.perf_counter() - started


class _QueryCounter:
    """Counts statements through `connection.execute_wrapper` (cheap: keeps no SQL)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def _counting() -> Iterator[_QueryCounter]:
    from django.db import connection

    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def _pct(samples: list[float], q: int) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


@dataclass
class Timing:
    wall_ms: list[float]  # per run
    cpu_ms: list[float]  # CPU time of this process per run (the database server's is not in it)
    queries: int  # of the last run
    result: Any

    def row(self) -> str:
        """ "| median | min | max | CPU median | queries |" cells."""
        wall = self.wall_ms
        return (
            f"| {statistics.median(wall):,.0f} | {min(wall):,.0f} | {max(wall):,.0f} "
            f"| {statistics.median(self.cpu_ms):,.0f} | {self.queries} |"
        )


def _timed(call: Callable[[], Any], runs: int = RUNS) -> Timing:
    """`runs` timings after one warm-up call, the query count of the last run, its result."""
    result = call()
    wall: list[float] = []
    cpu: list[float] = []
    queries = 0
    for _ in range(runs):
        with _counting() as counter:
            started, started_cpu = time.perf_counter(), time.process_time()
            result = call()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries = counter.count
    return Timing(wall, cpu, queries, result)


# --- data -------------------------------------------------------------------------------------------


def _opd_rows() -> list[tuple[str, str, str, str]]:
    from rencana.regions.demo import KOTABARU_OPD

    rows = list(KOTABARU_OPD)
    rows += [
        (f"7.01.0.00.0.00.{i:02d}.0000", f"Kecamatan Uji {i}", f"Kec. {i}", "7.01 Kecamatan")
        for i in range(3, 23)
    ]
    rows += [
        (f"1.02.0.00.0.00.01.{i:04d}", f"UPTD Puskesmas Uji {i}", f"Puskesmas {i}", "1.02 Kesehatan")
        for i in range(1, 11)
    ]
    return rows


def _pemda(kode: str, nama: str, opd_rows: list[tuple[str, str, str, str]]) -> "Pemda":
    from rencana.regions.models import Opd, Pemda, Region

    province = kode.split(".")[0]
    Region.objects.get_or_create(
        kode=province,
        defaults={
            "nama": f"Provinsi {province}",
            "level": "provinsi",
            "nama_cari": province,
            "edisi": "2025",
        },
    )
    region, _ = Region.objects.get_or_create(
        kode=kode,
        defaults={
            "nama": nama,
            "level": "kabupaten",
            "parent_id": province,
            "nama_cari": nama.lower().removeprefix("kabupaten "),
            "edisi": "2025",
        },
    )
    pemda = Pemda.objects.create(kode=kode, region=region, nama=nama, jenis="kabupaten", tahun_anggaran=TAHUN)
    Opd.objects.bulk_create(
        Opd(pemda=pemda, kode=k, nama=n, singkatan=s, urusan=u) for k, n, s, u in opd_rows
    )
    return pemda


@dataclass
class PemdaYear:
    pemda: "Pemda"
    rpjmd: "PlanDocument"
    rkpd: "PlanDocument"
    sub_kegiatan: int
    rpjmd_indicators: int
    realizations: int
    values: int


def _indicator(pemda: "Pemda", node: Any, nama: str, urutan: int, **extra: Any) -> Any:
    from rencana.planning.models import Indicator

    return Indicator(
        pemda=pemda,
        node=node,
        nama=nama,
        satuan=extra.pop("satuan", "%"),
        baseline_tahun=2024,
        baseline_nilai=Decimal(60),
        urutan=urutan,
        **extra,
    )


def _pemda_year(pemda: "Pemda", edition: "NomenclatureEdition", *, seed: int) -> PemdaYear:
    """RPJMD + generated RKPD 2026 + a year of verified realizations (see the module docstring)."""
    from django.utils import timezone

    from rencana.monitoring.models import Evidence, Realization, RealizationValue, Status
    from rencana.planning import generate, services
    from rencana.planning.demo import DEFAULT_SASARAN, MISI, SASARAN_BY_BIDANG, VISI
    from rencana.planning.models import Indicator, IndicatorTarget, NodeBudget, NodeLink, PlanNode
    from rencana.regions.models import Opd

    rpjmd = services.document_create(actor=None, pemda=pemda, jenis="RPJMD", tahun_mulai=2025, edisi=edition)

    def node(jenis: str, kode: str, nama: str, urutan: int, induk: PlanNode | None) -> PlanNode:
        return PlanNode(
            pemda=pemda, dokumen=rpjmd, jenis=jenis, kode=kode, nama=nama, urutan=urutan, induk=induk
        )

    visi = PlanNode.objects.create(pemda=pemda, dokumen=rpjmd, jenis="visi", nama=VISI, urutan=1)
    misi = [node("misi", k, n, i, visi) for i, (k, n, _t) in enumerate(MISI, start=1)]
    PlanNode.objects.bulk_create(misi)
    tujuan = [
        node("tujuan", k, n, i, m)
        for m, (_k, _n, tujuan_list) in zip(misi, MISI, strict=True)
        for i, (k, n, _s) in enumerate(tujuan_list, start=1)
    ]
    PlanNode.objects.bulk_create(tujuan)
    by_kode = {t.kode: t for t in tujuan}
    sasaran = [
        node("sasaran", k, n, i, by_kode[tk])
        for _k, _n, tujuan_list in MISI
        for tk, _tn, sasaran_list in tujuan_list
        for i, (k, n) in enumerate(sasaran_list, start=1)
    ]
    PlanNode.objects.bulk_create(sasaran)
    sasaran_ids = {s.kode: s.pk for s in sasaran}  # the demo's, which the programs serve by bidang
    children = Counter(n.induk_id for n in [*tujuan, *sasaran])
    extra: list[PlanNode] = []
    for j in range(EXTRA_TUJUAN):
        parent = misi[j % len(misi)]
        children[parent.pk] += 1
        kode = f"{parent.kode}.{children[parent.pk]}"
        extra.append(node("tujuan", kode, f"Tujuan uji {kode}", children[parent.pk], parent))
    PlanNode.objects.bulk_create(extra)
    tujuan += extra
    extra = []
    for j in range(EXTRA_SASARAN):
        parent = tujuan[j % len(tujuan)]
        children[parent.pk] += 1
        kode = f"{parent.kode}.{children[parent.pk]}"
        extra.append(node("sasaran", kode, f"Sasaran uji {kode}", children[parent.pk], parent))
    PlanNode.objects.bulk_create(extra)
    sasaran += extra

    def sasaran_for(bidang: str) -> int | None:
        return sasaran_ids.get(SASARAN_BY_BIDANG.get(bidang, DEFAULT_SASARAN))

    rkpd = services.document_create(
        actor=None, pemda=pemda, jenis="RKPD", tahun_mulai=TAHUN, induk=rpjmd, edisi=edition
    )
    opds = list(Opd.objects.filter(pemda=pemda).order_by("id"))
    generated = generate.generate_budget_tree(
        document=rkpd,
        opds=opds,
        pemda_kind="kabkota",
        sub_kegiatan=ASK_SUB_KEGIATAN,
        sasaran_for=sasaran_for,
        seed=seed,
    )
    subs = list(PlanNode.objects.filter(dokumen=rkpd, jenis="sub_kegiatan").order_by("id"))
    NodeBudget.objects.filter(node_id__in=[n.pk for n in subs[::50]], tahun=TAHUN).delete()
    sub_indicators = list(
        Indicator.objects.filter(node__dokumen=rkpd, node__jenis="sub_kegiatan").order_by("id")
    )
    ids = [i.pk for i in sub_indicators]
    Indicator.objects.filter(pk__in=ids[::7]).update(agregasi="akhir_periode")
    Indicator.objects.filter(pk__in=ids[3::11]).update(agregasi="rata_rata")
    Indicator.objects.filter(pk__in=ids[5::13]).update(polaritas="negatif")
    IndicatorTarget.objects.filter(indikator_id__in=ids[::97], tahun=TAHUN).delete()

    # RPJMD-level indicators: tujuan, sasaran, and one outcome indicator per RPJMD program.
    programs = sorted(
        set(PlanNode.objects.filter(dokumen=rkpd, jenis="program").values_list("kode", flat=True))
    )
    start = PlanNode.objects.filter(dokumen=rpjmd, induk=None).count()
    rpjmd_programs = [
        PlanNode(pemda=pemda, dokumen=rpjmd, jenis="program", kode=k, nama=k, urutan=start + i)
        for i, k in enumerate(programs, start=1)
    ]
    PlanNode.objects.bulk_create(rpjmd_programs)
    NodeLink.objects.bulk_create(
        NodeLink(pemda=pemda, dari=n, ke_id=target)
        for n in rpjmd_programs
        if (target := sasaran_for(".".join(n.kode.split(".")[:2]))) is not None
    )
    strategic: list[Any] = []
    for t in tujuan:
        strategic += [
            _indicator(pemda, t, f"Indeks tujuan {t.kode} ({j})", j)
            for j in range(1, INDICATORS_PER_TUJUAN + 1)
        ]
    for s in sasaran:
        strategic += [
            _indicator(
                pemda,
                s,
                f"Indikator sasaran {s.kode} ({j})",
                j,
                polaritas="negatif" if j == 3 else "positif",
                agregasi="rata_rata" if j == 4 else "akhir_periode",
            )
            for j in range(1, INDICATORS_PER_SASARAN + 1)
        ]
    strategic += [_indicator(pemda, p, f"Persentase capaian program {p.kode}", 1) for p in rpjmd_programs]
    Indicator.objects.bulk_create(strategic)
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(pemda=pemda, indikator=i, tahun=t, nilai=Decimal(70 + 2 * (t - 2025)))
        for i in strategic
        for t in rpjmd.tahun
    )

    # A year of verified realizations.
    targets: dict[int, Decimal] = dict(
        IndicatorTarget.objects.filter(indikator_id__in=ids, tahun=TAHUN).values_list("indikator_id", "nilai")
    )
    pagu = dict(NodeBudget.objects.filter(node__dokumen=rkpd, tahun=TAHUN).values_list("node_id", "jumlah"))
    indicators_of: dict[int, list[Any]] = {}
    for indicator in Indicator.objects.filter(pk__in=ids):
        indicators_of.setdefault(indicator.node_id, []).append(indicator)
    now = timezone.now()
    rows: list[Realization] = []
    plans: list[tuple[Realization, list[Any], Decimal, Decimal]] = []

    def realization(
        node_id: int,
        opd_id: int | None,
        q: int,
        revisi: int,
        anggaran: Decimal | None,
        status: str = Status.VERIFIED,
    ) -> Any:
        verified = status == Status.VERIFIED
        return Realization(
            pemda=pemda,
            node_id=node_id,
            opd_id=opd_id,
            tahun=TAHUN,
            triwulan=q,
            revisi_ke=revisi,
            status=status,
            anggaran=anggaran,
            faktor_pendukung="Dukungan anggaran dan SDM memadai." if q % 2 else "",
            faktor_penghambat="" if q % 2 else "Pengadaan barang tertunda.",
            diajukan_pada=now if verified else None,
            diverifikasi_pada=now if verified else None,
        )

    for index, sub in enumerate(subs):
        level = LEVELS[index % len(LEVELS)]
        budget = pagu.get(sub.pk)
        for q in (1, 2, 3, 4):
            corrected = q == 2 and index % 25 == 0
            spent = (
                (budget * min(level, Decimal(1)) * SPREAD[q - 1]).quantize(Decimal(1000)) if budget else None
            )
            if corrected:  # the superseded verified revision: other numbers, must not count
                old = realization(sub.pk, sub.opd_id, q, 0, spent * 2 if spent else None)
                rows.append(old)
                plans.append((old, indicators_of.get(sub.pk, []), level / 2, Decimal(1)))
            current = realization(sub.pk, sub.opd_id, q, 1 if corrected else 0, spent)
            rows.append(current)
            plans.append((current, indicators_of.get(sub.pk, []), level, Decimal(1)))
            if q == 3 and index % 40 == 7:  # a correction in progress: the draft must not count yet
                draft = realization(sub.pk, sub.opd_id, q, 1, spent / 2 if spent else None, Status.DRAFT)
                rows.append(draft)
                plans.append((draft, indicators_of.get(sub.pk, []), level / 2, Decimal(1)))
    for item in [*tujuan, *sasaran, *rpjmd_programs]:
        for q in (1, 2, 3, 4):
            rows.append(realization(item.pk, None, q, 0, None))
            plans.append(
                (rows[-1], [i for i in strategic if i.node_id == item.pk], Decimal("0.9"), Decimal(70))
            )
    Realization.objects.bulk_create(rows, batch_size=2000)
    values: list[RealizationValue] = []
    for row, indicators, level, fallback in plans:
        q = row.triwulan
        for indicator in indicators:
            goal = targets.get(indicator.pk, fallback)
            factor = level if indicator.polaritas == "positif" else Decimal(2) - level
            if indicator.agregasi == "kumulatif":
                value = goal * factor * SPREAD[q - 1]
            elif indicator.agregasi == "akhir_periode":
                value = goal * factor * sum(SPREAD[:q], Decimal(0))
            else:  # rata_rata: around the level, the mean of the four is the level
                value = goal * factor * (Decimal(1) + (Decimal(q) - Decimal("2.5")) / 50)
            values.append(
                RealizationValue(
                    pemda=pemda, realisasi=row, indikator=indicator, nilai=value.quantize(Decimal("0.0001"))
                )
            )
    RealizationValue.objects.bulk_create(values, batch_size=2000)
    Evidence.objects.bulk_create(
        (
            Evidence(
                pemda=pemda,
                realisasi=row,
                berkas=f"bukti/{pemda.pk}/00/{row.pk:064d}.pdf",
                nama_asli=f"bukti-{row.pk}.pdf",
                jenis_isi="application/pdf",
                ukuran=1024,
                sha256=f"{row.pk:064d}",
                ekstensi=".pdf",
            )
            for row in rows[::3]
        ),
        batch_size=2000,
    )
    return PemdaYear(
        pemda=pemda,
        rpjmd=rpjmd,
        rkpd=rkpd,
        sub_kegiatan=generated.sub_kegiatan,
        rpjmd_indicators=len(strategic),
        realizations=len(rows),
        values=len(values),
    )


# --- the floor ----------------------------------------------------------------------------------------


def _tables() -> dict[str, str]:
    from rencana.monitoring.models import Realization, RealizationValue
    from rencana.planning.models import Indicator, IndicatorTarget, NodeBudget, PlanNode

    return {
        "node": PlanNode._meta.db_table,
        "ind": Indicator._meta.db_table,
        "target": IndicatorTarget._meta.db_table,
        "budget": NodeBudget._meta.db_table,
        "real": Realization._meta.db_table,
        "val": RealizationValue._meta.db_table,
    }


@dataclass
class OpdFigures:
    """What the floors compute per (document, OPD): mean capaian of rated lines, serapan, counts."""

    capaian: float | None
    serapan: float | None
    lines: int
    rated: int


def _round2(values: Any) -> Any:
    """ROUND_HALF_UP to 2 decimals on floats (capaian is never negative); the epsilon absorbs x.xx5 drift."""
    import numpy as np

    return np.floor(values * 100 + 0.5 + 1e-7) / 100


@dataclass
class FloorRun:
    figures: dict[tuple[int, int], OpdFigures]
    bands: Counter[str]
    fetch_ms: float
    compute_ms: float
    rows: int


# The floors' SQL: {sub} selects the sub-kegiatan of the documents, {tahun} and {triwulan} the period,
# {num} is the exact numeric type of the database; table names come from the models' _meta.
FETCH_SQL = {
    "subs": (
        "SELECT n.id, n.dokumen_id, n.opd_id FROM {node} n WHERE {sub}",
        ["node", "doc", "opd"],
    ),
    "ind": (
        "SELECT i.id, i.node_id, i.agregasi, i.polaritas FROM {ind} i "
        "JOIN {node} n ON n.id = i.node_id WHERE {sub}",
        ["ind", "node", "agregasi", "polaritas"],
    ),
    "target": (
        "SELECT x.indikator_id, CAST(x.nilai AS DOUBLE PRECISION) FROM {target} x "
        "JOIN {ind} i ON i.id = x.indikator_id JOIN {node} n ON n.id = i.node_id "
        "WHERE {sub} AND x.tahun = {tahun}",
        ["ind", "target"],
    ),
    "pagu": (
        "SELECT b.node_id, CAST(b.jumlah AS DOUBLE PRECISION) FROM {budget} b "
        "JOIN {node} n ON n.id = b.node_id WHERE {sub} AND b.tahun = {tahun}",
        ["node", "pagu"],
    ),
    "real": (
        "SELECT r.id, r.node_id, r.triwulan, r.revisi_ke, r.status, "
        "CAST(r.anggaran AS DOUBLE PRECISION) FROM {real} r JOIN {node} n ON n.id = r.node_id "
        "WHERE {sub} AND r.tahun = {tahun} AND r.triwulan <= {triwulan}",
        ["real", "node", "tw", "rev", "status", "anggaran"],
    ),
    "val": (
        "SELECT v.realisasi_id, v.indikator_id, CAST(v.nilai AS DOUBLE PRECISION) FROM {val} v "
        "JOIN {real} r ON r.id = v.realisasi_id JOIN {node} n ON n.id = r.node_id "
        "WHERE {sub} AND r.tahun = {tahun} AND r.triwulan <= {triwulan}",
        ["real", "ind", "nilai"],
    ),
}

# Mirrors `evaluation.evaluate`: of each quarter the newest verified revision (a newer draft correction
# does not hide it); the annual realization by agregasi; capaian rounded per indicator, mean per
# sub-kegiatan rounded, mean per OPD of the rated sub-kegiatan rounded; serapan of the summed budget.
AGGREGATE_SQL = """
WITH cur AS (
    SELECT r.id, r.node_id, r.triwulan, r.anggaran,
           ROW_NUMBER() OVER (PARTITION BY r.node_id, r.triwulan ORDER BY r.revisi_ke DESC) AS rn
    FROM {real} r JOIN {node} n ON n.id = r.node_id
    WHERE {sub} AND r.tahun = {tahun} AND r.triwulan <= {triwulan} AND r.status = 'verified'
), ok AS (
    SELECT id, node_id, triwulan, anggaran FROM cur WHERE rn = 1
), vals AS (
    SELECT v.indikator_id, CAST(v.nilai AS {num}) AS nilai,
           ROW_NUMBER() OVER (PARTITION BY v.indikator_id ORDER BY ok.triwulan DESC) AS last_rn
    FROM {val} v JOIN ok ON ok.id = v.realisasi_id
), annual AS (
    SELECT i.id, i.node_id, i.polaritas, CAST(x.nilai AS {num}) AS target,
           CASE i.agregasi
               WHEN 'kumulatif' THEN SUM(vals.nilai)
               WHEN 'akhir_periode' THEN MAX(CASE WHEN vals.last_rn = 1 THEN vals.nilai END)
               ELSE AVG(vals.nilai) END AS realisasi
    FROM {ind} i
    JOIN {node} n ON n.id = i.node_id
    JOIN vals ON vals.indikator_id = i.id
    JOIN {target} x ON x.indikator_id = i.id AND x.tahun = {tahun}
    WHERE {sub}
    GROUP BY i.id, i.node_id, i.polaritas, i.agregasi, x.nilai
), rated AS (
    SELECT node_id, ROUND(CASE
               WHEN polaritas = 'positif' THEN realisasi * 100 / target
               WHEN (2 - realisasi / target) * 100 < 0 THEN 0
               ELSE (2 - realisasi / target) * 100 END, 2) AS capaian
    FROM annual WHERE target > 0
), sub_cap AS (
    SELECT node_id, ROUND(AVG(capaian), 2) AS capaian FROM rated GROUP BY node_id
), sub_spent AS (
    SELECT node_id, SUM(CAST(anggaran AS {num})) AS spent FROM ok GROUP BY node_id
), line AS (
    SELECT n.id, n.dokumen_id, n.opd_id, c.capaian, s.spent, CAST(b.jumlah AS {num}) AS pagu
    FROM {node} n
    LEFT JOIN sub_cap c ON c.node_id = n.id
    LEFT JOIN sub_spent s ON s.node_id = n.id
    LEFT JOIN {budget} b ON b.node_id = n.id AND b.tahun = {tahun}
    WHERE {sub}
)
SELECT dokumen_id, opd_id, ROUND(AVG(capaian), 2), COUNT(capaian), COUNT(*),
       CASE WHEN SUM(pagu) > 0 THEN ROUND(COALESCE(SUM(spent), 0) * 100 / SUM(pagu), 2) END,
       SUM(CASE WHEN capaian >= 91 THEN 1 ELSE 0 END),
       SUM(CASE WHEN capaian >= 76 AND capaian < 91 THEN 1 ELSE 0 END),
       SUM(CASE WHEN capaian >= 66 AND capaian < 76 THEN 1 ELSE 0 END),
       SUM(CASE WHEN capaian >= 51 AND capaian < 66 THEN 1 ELSE 0 END),
       SUM(CASE WHEN capaian < 51 THEN 1 ELSE 0 END)
FROM line GROUP BY dokumen_id, opd_id
"""
BAND_NAMES = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")


def _sql(template: str, documents: Sequence[int], tahun: int, triwulan: int) -> str:
    """A floor statement for `documents` (integers only are interpolated)."""
    from django.db import connection

    docs = ", ".join(str(int(i)) for i in documents)
    return template.format(
        sub=f"n.dokumen_id IN ({docs}) AND n.jenis = 'sub_kegiatan'",
        tahun=int(tahun),
        triwulan=int(triwulan),
        num="NUMERIC" if connection.vendor == "postgresql" else "REAL",
        **_tables(),
    )


def pandas_floor(documents: Sequence[int], tahun: int, triwulan: int) -> FloorRun:
    """The evaluation's per-OPD aggregation with pandas, from the same rows (one SELECT per table)."""
    import numpy as np
    import pandas as pd
    from django.db import connection

    started = time.perf_counter()
    frames: dict[str, pd.DataFrame] = {}
    with connection.cursor() as cursor:
        for name, (template, columns) in FETCH_SQL.items():
            cursor.execute(_sql(template, documents, tahun, triwulan))
            frames[name] = pd.DataFrame(cursor.fetchall(), columns=columns)
    fetched = time.perf_counter()

    real = frames["real"]
    real = real[real["status"] == "verified"]  # then the newest of each quarter: a draft does not hide it
    real = real.sort_values(["node", "tw", "rev"]).drop_duplicates(["node", "tw"], keep="last")
    val = frames["val"].merge(real[["real", "tw"]], on="real").sort_values(["ind", "tw"])
    grouped = val.groupby("ind")["nilai"]
    annual = pd.DataFrame({"sum": grouped.sum(), "mean": grouped.mean(), "last": grouped.last()})
    ind = frames["ind"].merge(annual, left_on="ind", right_index=True, how="left")
    ind = ind.merge(frames["target"], on="ind", how="left")
    realisasi = np.select(
        [ind["agregasi"] == "kumulatif", ind["agregasi"] == "akhir_periode"],
        [ind["sum"], ind["last"]],
        ind["mean"],
    )
    target = ind["target"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(target > 0, realisasi / target, np.nan)
    raw = np.where(ind["polaritas"] == "positif", ratio * 100, np.maximum((2 - ratio) * 100, 0))
    ind["capaian"] = _round2(raw)  # NaN stays NaN: no target, target 0 or nothing verified
    per_sub = _round2(ind.groupby("node")["capaian"].mean())  # mean skips NaN: the rated indicators
    subs = frames["subs"].merge(per_sub.rename("capaian"), left_on="node", right_index=True, how="left")
    spent = real.groupby("node")["anggaran"].sum(min_count=1).rename("spent")
    subs = subs.merge(spent, left_on="node", right_index=True, how="left")
    subs = subs.merge(frames["pagu"], on="node", how="left")
    opd = subs.groupby(["doc", "opd"], dropna=False).agg(
        capaian=("capaian", "mean"),
        rated=("capaian", "count"),
        lines=("node", "size"),
        spent=("spent", "sum"),
        pagu=("pagu", "sum"),
    )
    opd["capaian"] = _round2(opd["capaian"])
    with np.errstate(divide="ignore", invalid="ignore"):
        opd["serapan"] = np.where(opd["pagu"] > 0, _round2(opd["spent"] * 100 / opd["pagu"]), np.nan)
    cap = subs["capaian"].to_numpy()
    bands = np.select([cap >= 91, cap >= 76, cap >= 66, cap >= 51, cap >= 0], list(BAND_NAMES), "")
    done = time.perf_counter()
    figures = {
        (int(doc), int(opd_id)): OpdFigures(
            capaian=None if np.isnan(row.capaian) else float(row.capaian),
            serapan=None if np.isnan(row.serapan) else float(row.serapan),
            lines=int(row.lines),
            rated=int(row.rated),
        )
        for (doc, opd_id), row in opd.iterrows()
    }
    return FloorRun(
        figures=figures,
        bands=Counter(str(b) for b in bands if b),
        fetch_ms=(fetched - started) * 1000,
        compute_ms=(done - fetched) * 1000,
        rows=sum(len(f) for f in frames.values()),
    )


def sql_floor(documents: Sequence[int], tahun: int, triwulan: int) -> FloorRun:
    """The same aggregation as one SQL statement inside the database (PostgreSQL or SQLite)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(_sql(AGGREGATE_SQL, documents, tahun, triwulan))
        rows = cursor.fetchall()
    done = time.perf_counter()
    bands: Counter[str] = Counter()
    figures = {}
    for doc, opd_id, capaian, rated, lines, serapan, *counts in rows:
        figures[(int(doc), int(opd_id))] = OpdFigures(
            capaian=None if capaian is None else float(capaian),
            serapan=None if serapan is None else float(serapan),
            lines=int(lines),
            rated=int(rated),
        )
        for name, count in zip(BAND_NAMES, counts, strict=True):
            bands[name] += int(count or 0)
    return FloorRun(
        figures=figures, bands=bands, fetch_ms=0.0, compute_ms=(done - started) * 1000, rows=len(rows)
    )


def _rencana_figures(evaluation: Any) -> tuple[dict[tuple[int, int], OpdFigures], Counter[str]]:
    figures = {}
    doc = evaluation.document.pk
    for group in evaluation.per_opd():
        opd = group.lines[0].node.opd
        figures[(doc, opd.pk)] = OpdFigures(
            capaian=None if group.capaian is None else float(group.capaian),
            serapan=None if group.serapan is None else float(group.serapan),
            lines=len(group.lines),
            rated=group.rated,
        )
    bands = Counter({k: v for k, v in evaluation.total().counts().items() if v})
    return figures, bands


def _compare(
    reference: dict[tuple[int, int], OpdFigures], other: dict[tuple[int, int], OpdFigures]
) -> tuple[int, list[str]]:
    """How many OPDs agree to 2 decimals (capaian, serapan) and in counts; the disagreements."""

    def same(a: float | None, b: float | None) -> bool:
        return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 0.005)

    agree = 0
    problems: list[str] = []
    for key in sorted(set(reference) | set(other)):
        a, b = reference.get(key), other.get(key)
        if (
            a is not None
            and b is not None
            and same(a.capaian, b.capaian)
            and same(a.serapan, b.serapan)
            and (a.lines, a.rated) == (b.lines, b.rated)
        ):
            agree += 1
            continue
        problems.append(f"{key}: Rencana {a} vs floor {b}")
    return agree, problems


# --- parts --------------------------------------------------------------------------------------------


def _perencana(pemda: "Pemda", username: str) -> Any:
    from django.contrib.auth import get_user_model

    from rencana.accounts.services import role_assign
    from rencana.core.roles import Role

    user = get_user_model().objects.create_user(username=username, password="bench-sandi-123")
    role_assign(actor=None, user=user, pemda=pemda, role=Role.PERENCANA)
    return user


def _cli(pemda: "Pemda", database_url: str) -> None:
    """`rencana monev evaluate --format json` in a subprocess, when the command exists."""
    rencana = shutil.which("rencana", path=str(Path(sys.executable).parent)) or "rencana"
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0"}
    probe = subprocess.run(
        [rencana, "monev", "evaluate", "--help"], capture_output=True, text=True, env=env, check=False
    )
    if probe.returncode != 0:
        print()
        print("CLI `rencana monev evaluate`: not available in this tree (not measured).")
        return
    command = [
        rencana,
        "monev",
        "evaluate",
        "--pemda",
        pemda.kode,
        "--tahun",
        str(TAHUN),
        "--triwulan",
        str(TRIWULAN),
        "--format",
        "json",
    ]
    samples: list[float] = []
    size = 0
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        samples.append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            print(f"\nCLI {' '.join(command[1:])}: exit {done.returncode}: {done.stderr.strip()[:500]}")
            return
        size = len(done.stdout)
        json.loads(done.stdout)
    print()
    print(
        f"CLI `{' '.join(command[1:])}` (subprocess, including interpreter and Django start-up): "
        f"median {statistics.median(samples):,.0f} ms of 3, JSON {size / 1024:,.0f} KiB."
    )


def part_pemda(year: PemdaYear, database_url: str) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rencana.monitoring import evaluation as ev
    from rencana.monitoring import views_eval
    from rencana.planning.models import Indicator, PlanNode

    pemda, rkpd = year.pemda, year.rkpd
    print()
    print("| evaluation of one pemda year (TW 1–4) | median ms | min ms | max ms | CPU ms | queries |")
    print("|---|---:|---:|---:|---:|---:|")
    evaluate_timing = _timed(lambda: ev.evaluate(pemda, TAHUN, TRIWULAN, document=rkpd))
    evaluation = evaluate_timing.result
    print(f"| `evaluate` ({len(evaluation.lines):,} sub-kegiatan) {evaluate_timing.row()}")
    # What the rest needs from the evaluation, kept small: holding ~50,000 objects alive would make
    # every later garbage collection (and so every later timing) slower than in a server process.
    reference, reference_bands = _rencana_figures(evaluation)
    largest = max(evaluation.per_opd(), key=lambda g: len(g.lines))
    largest_opd, largest_lines = largest.lines[0].node.opd, len(largest.lines)
    busiest = max(evaluation.per_sasaran(), key=lambda g: len(g.lines) if g.key != "0" else -1)
    busiest_key, busiest_lines = busiest.key, len(busiest.lines)
    total = evaluation.total()
    summary = (
        f"Pemda: capaian {total.capaian}% ({total.predikat}), serapan {total.serapan}%, "
        f"{total.rated:,} sub-kegiatan rated."
    )
    evaluate_timing.result = None
    del evaluation, largest, busiest, total
    gc.collect()

    def groups() -> Any:
        evaluation = ev.evaluate(pemda, TAHUN, TRIWULAN, document=rkpd)
        return evaluation.per_opd(), evaluation.per_program(), evaluation.per_sasaran(), evaluation.total()

    print(f"| `evaluate` + per OPD, program, sasaran, total {_timed(groups).row()}")
    sasaran = list(PlanNode.objects.filter(dokumen=year.rpjmd, jenis="sasaran").order_by("kode"))
    kinds = Counter(Indicator.objects.filter(node__dokumen=year.rpjmd).values_list("node__jenis", flat=True))

    def own_indicators() -> int:
        return sum(
            len(views_eval._own_indicators(s, TAHUN, TRIWULAN, sementara=False, with_realization=True))
            for s in sasaran
        )

    timing = _timed(own_indicators)
    print(
        f"| RPJMD level: sasaran page's own indicators, all {len(sasaran)} sasaran ({timing.result} "
        f"indicators) {timing.row()}"
    )
    try:  # the Permendagri 86 tables (monitoring/reports.py), when this tree has them
        from rencana.monitoring import reports
    except ImportError:
        reports = None  # type: ignore[assignment]
    for name, label in (
        ("rpjmd_table", "RPJMD level: `reports.rpjmd_table` (tujuan + sasaran, end of period)"),
        ("rkpd_table", "`reports.rkpd_table` (RKPD evaluation table, Permendagri 86 annex)"),
    ):
        build = getattr(reports, name, None)
        if build is None:
            print(f"| {label} | not in this tree | | | | |")
            continue
        call: Callable[[], Any] = partial(build, pemda, TAHUN, TRIWULAN)
        timing = _timed(call)
        print(f"| {label}, {len(timing.result.rows):,} rows {timing.row()}")
        timing.result = None
    print()
    print(
        f"RPJMD-level indicators: {year.rpjmd_indicators} ({kinds['tujuan']} on tujuan, "
        f"{kinds['sasaran']} on sasaran, {kinds['program']} on RPJMD programs). "
        "The sasaran page evaluates a sasaran's own indicators; the RPJMD table tujuan and sasaran; "
        "nothing evaluates the RPJMD programs' indicators. `evaluate` covers the RKPD's sub-kegiatan only."
    )

    # Pages as a perencana.
    client = Client()
    client.force_login(_perencana(pemda, f"perencana-{pemda.kode}"))
    gc.collect()
    qs = f"?tahun={TAHUN}&tw={TRIWULAN}"
    pages = [
        ("evaluation, pemda (with TW 1–4 trend)", f"/pemda/{pemda.kode}/evaluasi/{qs}"),
        (
            f"evaluation, largest OPD ({largest_lines:,} sub-kegiatan)",
            f"/pemda/{pemda.kode}/evaluasi/opd/{largest_opd.pk}/{qs}",
        ),
        (
            f"evaluation, sasaran ({busiest_lines:,} sub-kegiatan)",
            f"/pemda/{pemda.kode}/evaluasi/sasaran/{busiest_key}/{qs}",
        ),
        ("dashboard panel", f"/pemda/{pemda.kode}/monev/ringkasan/{qs}"),
        ("public summary", f"/publik/{pemda.kode}/capaian/?tahun={TAHUN}"),
    ]
    print()
    print("| page (test client, perencana) | median ms | min ms | max ms | queries | response KiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, url in pages:
        page_samples: list[float] = []
        page_queries: list[int] = []
        size = 0
        status = 0
        for run in range(RUNS + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
            status = response.status_code
            size = len(response.content)
            del response
            if run:
                page_samples.append(elapsed)
                page_queries.append(len(captured.captured_queries))
        if status != 200:
            print(f"| {label} `{url}` | HTTP {status} | | | | |")
            continue
        print(
            f"| {label} | {statistics.median(page_samples):,.0f} | {min(page_samples):,.0f} "
            f"| {max(page_samples):,.0f} | {page_queries[-1]} | {size / 1024:,.0f} |"
        )

    _cli(pemda, database_url)

    # The floors and the comparison.
    print()
    print(
        "| floor (same aggregation, same rows) | fetch ms | compute ms | total ms | CPU ms "
        "| Rencana `evaluate` / floor (wall) | (CPU) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    rencana_ms = statistics.median(evaluate_timing.wall_ms)
    rencana_cpu = statistics.median(evaluate_timing.cpu_ms)
    comparisons = []
    for label, floor in (
        ("pandas DataFrames", pandas_floor),
        ("one SQL statement in the database", sql_floor),
    ):
        runs: list[FloorRun] = []
        cpu: list[float] = []
        floor([rkpd.pk], TAHUN, TRIWULAN)  # warm-up
        for _ in range(RUNS):
            started_cpu = time.process_time()
            runs.append(floor([rkpd.pk], TAHUN, TRIWULAN))
            cpu.append((time.process_time() - started_cpu) * 1000)
        total = statistics.median(r.fetch_ms + r.compute_ms for r in runs)
        fetch = statistics.median(r.fetch_ms for r in runs)
        compute = statistics.median(r.compute_ms for r in runs)
        cpu_ms = statistics.median(cpu)
        # The SQL floor's work is in the database server, whose CPU time is not this process's.
        in_server = floor is sql_floor and connection.vendor == "postgresql"
        cpu_ratio = "— (server)" if in_server else f"{rencana_cpu / cpu_ms:,.0f}x"
        print(
            f"| {label} | {fetch:,.0f} | {compute:,.0f} | {total:,.0f} | {cpu_ms:,.0f} "
            f"| {rencana_ms / total:,.1f}x | {cpu_ratio} |"
        )
        agree, problems = _compare(reference, runs[-1].figures)
        comparisons.append((label, agree, problems, runs[-1].bands))
    print()
    print(
        f"`evaluate` for the ratio: median {rencana_ms:,.0f} ms wall, {rencana_cpu:,.0f} ms CPU, of {RUNS}. "
        "Floor medians are taken per column, so fetch + compute need not add up to the total."
    )
    for label, agree, problems, bands in comparisons:
        print(
            f"Per-OPD capaian mean and serapan, Rencana vs {label}: {agree}/{len(reference)} OPDs equal to "
            f"2 decimals (and in lines/rated counts); predikat counts "
            f"{'equal' if bands == reference_bands else f'DIFFER: {dict(bands)}'}."
        )
        for problem in problems[:10]:
            print(f"  {problem}")
    print(f"Predikat of the sub-kegiatan (Rencana): {dict(reference_bands)}")
    print(summary)


def _national_codes(count: int) -> list[str]:
    codes = [f"{p}.{k:02d}" for k in range(20, 100) for p in PROVINCES]
    if count > len(codes):
        sys.exit(f"At most {len(codes)} pemda.")
    return sorted(codes[:count])


def part_national(count: int, edition: "NomenclatureEdition", opd_rows: list[Any]) -> None:
    from django.db import transaction

    from rencana.monitoring.evaluation import evaluate
    from rencana.monitoring.models import Realization, RealizationValue

    size_before = _database_bytes()
    generation_s: list[float] = []
    years: list[PemdaYear] = []
    started_all = time.perf_counter()
    for index, kode in enumerate(_national_codes(count)):
        started = time.perf_counter()
        with transaction.atomic():
            pemda = _pemda(kode, f"Kabupaten Uji {kode}", opd_rows)
            year = _pemda_year(pemda, edition, seed=index)
        generation_s.append(time.perf_counter() - started)
        years.append(year)
        if (index + 1) % 5 == 0:
            print(
                f"  generated {index + 1}/{count} pemda, {time.perf_counter() - started_all:.0f} s",
                file=sys.stderr,
            )
    generation_total = time.perf_counter() - started_all
    analyze_s = _analyze()
    size = _database_bytes() - size_before
    realizations = Realization.objects.count()
    values = RealizationValue.objects.count()

    evaluate_ms: list[float] = []
    references: dict[tuple[int, int], OpdFigures] = {}
    sub_kegiatan = 0
    started_all, started_cpu = time.perf_counter(), time.process_time()
    for year in years:
        started = time.perf_counter()
        result = evaluate(year.pemda, TAHUN, TRIWULAN)
        groups = result.per_opd()
        result.total()
        evaluate_ms.append((time.perf_counter() - started) * 1000)
        sub_kegiatan += len(result.lines)
        figures, _bands = _rencana_figures(result)
        references.update(figures)
        del groups, result
    evaluate_total = time.perf_counter() - started_all
    evaluate_cpu = time.process_time() - started_cpu
    documents = [y.rkpd.pk for y in years]
    floors = []
    for label, floor in (
        ("pandas, one pass over all pemda", pandas_floor),
        ("SQL, one statement", sql_floor),
    ):
        started, started_cpu = time.perf_counter(), time.process_time()
        run = floor(documents, TAHUN, TRIWULAN)
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        agree, problems = _compare(references, run.figures)
        floors.append((label, seconds, cpu, run, agree, problems))

    factor = NATIONAL_PEMDA / count
    extrapolated = count != NATIONAL_PEMDA
    print()
    print(f"National set: {count} pemda generated and evaluated on this database.")
    print()
    label = f"x {factor:.1f} = 546 pemda (EXTRAPOLATED, linear)" if extrapolated else "546 pemda"
    print(f"| quantity | {count} pemda (measured) | {label} |")
    print("|---|---:|---:|")

    def line(name: str, value: float, fmt: str = ",.0f", scale: bool = True) -> None:
        other = format(value * factor, fmt) if scale else "—"
        print(f"| {name} | {format(value, fmt)} | {other if extrapolated else format(value, fmt)} |")

    line("sub-kegiatan evaluated", sub_kegiatan)
    line("realizations (all revisions, incl. RPJMD level)", realizations)
    line("realization values", values)
    line("database growth, MiB", size / 2**20)
    line("generation, s", generation_total, ",.1f")
    line("ANALYZE after generation, s", analyze_s, ",.1f", scale=False)
    line("`evaluate` + per OPD over every pemda, s", evaluate_total, ",.1f")
    line("  CPU of this process, s", evaluate_cpu, ",.1f")
    for name, seconds, cpu, run, _agree, _problems in floors:
        line(f"floor: {name}, s", seconds, ",.1f")
        line("  CPU of this process, s", cpu, ",.1f")
        if run.fetch_ms:
            line(f"  of which fetching {run.rows:,} rows, s", run.fetch_ms / 1000, ",.1f")
    print()
    print("| `evaluate` per pemda | p50 ms | p95 ms | max ms | first 5 mean ms | last 5 mean ms |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| TW 1–4, ~5,000 sub-kegiatan | {_pct(evaluate_ms, 50):,.0f} | {_pct(evaluate_ms, 95):,.0f} "
        f"| {max(evaluate_ms):,.0f} | {statistics.mean(evaluate_ms[:5]):,.0f} "
        f"| {statistics.mean(evaluate_ms[-5:]):,.0f} |"
    )
    print()
    for name, seconds, _cpu, _run, agree, problems in floors:
        print(
            f"Rencana / floor ({name}): {evaluate_total / seconds:,.1f}x (wall); per-OPD figures equal "
            f"to 2 decimals for {agree}/{len(references)} (document, OPD) pairs."
        )
        for problem in problems[:5]:
            print(f"  {problem}")
    print(
        f"Generation per pemda: p50 {statistics.median(generation_s):.1f} s, "
        f"p95 {_pct(generation_s, 95):.1f} s. "
        f"Peak RSS {_maxrss_mib():,.0f} MiB."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "parts", nargs="*", metavar="part", help=f"what to run, of {' '.join(PARTS)} (default: pemda)"
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", default="", help=f"overrides --database (sqlite: {SQLITE_PATH})")
    parser.add_argument("--pemda-count", type=int, default=NATIONAL_PEMDA, help="pemda of the national set")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database at the end")
    args = parser.parse_args()
    parts = args.parts or ["pemda"]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part {' '.join(unknown)}; choose from {' '.join(PARTS)}")
    url = _database_url(args)
    _fresh_database(url)
    _setup(url)

    from django.core.management import call_command
    from django.db import transaction

    from rencana.planning.models import NomenclatureEdition
    from rencana.planning.nomenclature import nomenclature_load

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    started = time.perf_counter()
    nomenclature_load("2027")
    nomenclature_s = time.perf_counter() - started
    edition = NomenclatureEdition.objects.get(kode="2027")
    for line in _machine():
        print(line)
    print(f"Parts: {' '.join(parts)}. Migrate {migrate_s:.1f} s, nomenclature 2027 {nomenclature_s:.1f} s.")
    opd_rows = _opd_rows()
    try:
        if "pemda" in parts:
            started = time.perf_counter()
            with transaction.atomic():
                pemda = _pemda(PEMDA_KODE, "Kabupaten Kotabaru", opd_rows)
                year = _pemda_year(pemda, edition, seed=2026)
            seconds = time.perf_counter() - started
            analyze_s = _analyze()
            print(
                f"Pemda {PEMDA_KODE} generated in {seconds:.1f} s (ANALYZE {analyze_s:.1f} s): "
                f"{year.sub_kegiatan:,} sub-kegiatan, {year.rpjmd_indicators} RPJMD-level indicators, "
                f"{year.realizations:,} realizations (4 quarters, incl. superseded revisions and the RPJMD "
                "level), "
                f"{year.values:,} realization values."
            )
            part_pemda(year, url)
        if "national" in parts:
            part_national(args.pemda_count, edition, opd_rows)
    finally:
        if not args.keep:
            _drop_database(url)


if __name__ == "__main__":
    main()
