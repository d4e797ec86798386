"""Benchmark of gender mainstreaming (PUG): the index engine, ARG/GAP/GBS on a pemda year, data terpilah,
and the BPS comparison of a province with its map, once with Jawa Timur and once with a national set.

Data.
- Regions: the full Kemendagri 2025 list with kabupaten/kota and kecamatan boundaries
  (`regions.loading.regions_load`, as `rencana regions load` and the demo load it); with --quick only the
  provinces, all 514 kabupaten/kota and their boundaries, and province 35 down to desa with its kecamatan
  boundaries, written in bulk from the same shipped files (no search tokens).
- BPS: the shipped Jawa Timur file (`gender.bps.load_jatim`, real published values: IPM 2010–2023,
  IPG/IDG/IKG 2021–2023 for the province and its 38 kabupaten/kota).
- A pemda year: Kabupaten Malang (35.07) with the 34 OPDs of Kotabaru plus 20 kecamatan and 10 puskesmas
  (as bench/planning_bench.py and bench/monev_bench.py), an RPJMD 2025–2029 with the demo's misi, tujuan
  and sasaran (4 indicators per sasaran, 2 of them flagged "terpilah menurut jenis kelamin"), and the RKPD
  2026 drawn from the 2027 nomenclature by `planning.generate.generate_budget_tree` (asking 6,000 gives
  about 5,000 sub-kegiatan with pagu and an output indicator; programs linked to sasaran). Every 20th
  sub-kegiatan output indicator is flagged too. About 20 % of the sub-kegiatan are ARG-tagged (30 %
  spesifik, 50 % kesetaraan, 20 % kelembagaan): the first 100 (30 with --quick) through `arg_tag_set`
  (timed), the rest in bulk. 300 GAP worksheets (draft and final) in bulk on tagged sub-kegiatan; the
  seven prerequisites; the 16 index components of the pemda's region for 2021–2024; sex-disaggregated
  values of the pemda's region for 2022–2024 for every flagged indicator (seed data, bulk, no audit).
  A Pokja PUG user (role pokja_pug) of the pemda browses.
- National (part 5): `IndexValue` for every province and kabupaten/kota in `Region` (38 + 514) for
  2010–2023 and the 4 indices, SYNTHETIC values (a fixed seed: IPM 58–82 rising 0.4–0.8 a year, IPG 82–98,
  IDG 50–80, IKG 0.10–0.60 falling) wherever BPS's real Jawa Timur rows do not already hold the key.

Parts (all run, in this order):
1. engine: `indices.ipm`, `ipg`, `ikg`, `gdi`, `gii` (and `idg`) in process with realistic Indonesian
   inputs as Decimals, calls per second and µs per call.
2. pemda year: `arg_summary` (all OPDs, and one OPD's scope), `arg_tag_set`, `gap_start` (pre-fill;
   service and the POST page), the pages through Django's test client as the Pokja PUG user (PUG home, ARG
   list and its exports, GAP list and worksheet), GBS PDF and DOCX downloads; p50/p95 and queries.
3. data terpilah: an XLSX of --import-rows rows (default 2,000: 100 flagged indicators x the pemda and
   19 kecamatan, year 2025; 500 with --quick) through `data_io.sexvalue_import_run` (first through the
   import page: upload and dry run): dry run, commit, the same file again (nothing changes), and without
   --quick a file with every value changed (update); the statements per row by kind; another user's small
   write while a dry run runs in another thread (how long it waits); then completeness (service and page),
   the data list and export, `compute_pemda_indices` and the components page.
4. Jawa Timur: the public comparison page (`/pug/perbandingan/35/`), its XLSX and its GeoJSON endpoint
   with the 38 kabupaten/kota boundaries, anonymous; p50/p95, queries, response size.
5. national: the synthetic national `IndexValue` set, then the comparison page and GeoJSON of Jawa Timur
   (most kabupaten/kota, 38), Jawa Tengah (35, synthetic values) and Papua Barat Daya (96, the largest
   boundary geometry), and the PUG home page again.

Runs against its own fresh database: the SQLite file var/bench/gender.sqlite3 (deleted first) or, with
`--database postgres` or a PostgreSQL DATABASE_URL in the environment, a PostgreSQL database whose name
starts with bench_ (default bench_gender; dropped and created again, dropped at the end unless --keep).
DEBUG is off; MEDIA_ROOT is a temporary directory (the import page stores uploads there), removed at
the end. Queries are counted with `connection.execute_wrapper` (cheap: keeps no SQL).

    .venv/bin/python bench/gender_bench.py [--quick]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gender .venv/bin/python bench/gender_bench.py
"""

import argparse
import dataclasses
import io
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from rencana.planning.models import NomenclatureEdition, PlanDocument
    from rencana.regions.models import Pemda

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench" / "gender.sqlite3"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_gender"
PEMDA_KODE = "35.07"  # Kabupaten Malang, Jawa Timur
TAHUN = 2026
DATA_TAHUN = 2025  # the year of the imported sex-disaggregated data
ASK_SUB_KEGIATAN = 6000  # gives ~5,000 with the OPD list below
ARG_SHARE = 0.20
ARG_WEIGHTS = (("spesifik", 30), ("kesetaraan", 50), ("kelembagaan", 20))
GAP_BULK = 300
FLAG_EVERY = 20  # every 20th sub-kegiatan output indicator is flagged terpilah_gender
IMPORT_KECAMATAN = 19
YEARS = tuple(range(2010, 2024))  # 14 years of the national set
INDICES = ("IPM", "IPG", "IDG", "IKG")
SYNTHETIC = "SINTETIS (benchmark), bukan data BPS"


# --- environment (as bench/strategy_bench.py) ----------------------------------------------------


def _database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    if args.database == "postgres":
        return POSTGRES_URL
    env = os.environ.get("DATABASE_URL", "")
    if env.startswith(("postgres://", "postgresql://")):
        return env  # only a bench_ database is accepted (see _maintenance)
    return f"sqlite:///{SQLITE_PATH}"


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
    # Uploads of the import page go to a directory of this run, removed at the end.
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="gender-bench-media-")
    hosts = os.environ.get("ALLOWED_HOSTS")
    if hosts is not None and "testserver" not in hosts.split(","):
        os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver"  # Django's test client
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _machine() -> list[str]:
    import django
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
    versions = []
    for module in ("weasyprint", "docx", "openpyxl"):
        try:
            imported = __import__(module)
            versions.append(f"{module} {getattr(imported, '__version__', '?')}")
        except (ImportError, OSError):  # a missing library is reported, not fatal
            versions.append(f"{module} unavailable")
    with connection.cursor() as cursor:
        trips = []
        for _ in range(201):
            started = time.perf_counter()
            cursor.execute("select 1")
            cursor.fetchone()
            trips.append((time.perf_counter() - started) * 1000)
    return [
        f"Database: {db_version}; `select 1` round trip p50 {statistics.median(trips[1:]):.3f} ms",
        f"Python {platform.python_version()}, Django {django.get_version()}, {', '.join(versions)}; "
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


def _pct(samples: Sequence[float], q: int) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def _queries_text(counts: Sequence[int]) -> str:
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}–{high}"


@dataclass
class Samples:
    """Latencies (ms) and query counts of repeated calls."""

    label: str
    ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU (not PostgreSQL's)
    queries: list[int] = field(default_factory=list)
    size: int = 0  # bytes of the last response, for pages

    def add(self, ms: float, cpu_ms: float, queries: int) -> None:
        self.ms.append(ms)
        self.cpu_ms.append(cpu_ms)
        self.queries.append(queries)

    def row(self, *, size: bool = False) -> str:
        cells = (
            f"| {self.label} | {len(self.ms)} | {_pct(self.ms, 50):,.1f} | {_pct(self.ms, 95):,.1f} "
            f"| {max(self.ms):,.1f} | {_pct(self.cpu_ms, 50):,.1f} | {_queries_text(self.queries)} |"
        )
        return cells + (f" {self.size / 1024:,.1f} |" if size else "")


def _measured(call: Callable[[], Any]) -> tuple[Any, float, float, int]:
    """The result of `call`, its wall and CPU time in ms, and its number of queries."""
    with _counting() as counter:
        started, started_cpu = time.perf_counter(), time.process_time()
        result = call()
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - started_cpu) * 1000
    return result, elapsed, cpu, counter.count


def _repeat(label: str, call: Callable[[], Any], runs: int, *, warm: bool = True) -> Samples:
    """`runs` timed calls after one warm-up call."""
    samples = Samples(label)
    if warm:
        call()
    for _ in range(runs):
        _result, ms, cpu, queries = _measured(call)
        samples.add(ms, cpu, queries)
    return samples


def _page(client: Any, label: str, url: str, requests: int) -> Samples:
    """`requests` GETs after one warm-up (template compilation is not counted)."""
    samples = Samples(label)
    for run in range(requests + 1):
        response, elapsed, cpu, queries = _measured(lambda: client.get(url))
        if response.status_code != 200:
            sys.exit(f"GET {url}: HTTP {response.status_code}\n{response.content[:2000]!r}")
        samples.size = len(response.content)
        del response
        if run:
            samples.add(elapsed, cpu, queries)
    return samples


def _print_table(title: str, rows: Sequence[Samples], *, size: bool = False) -> None:
    print()
    header = f"| {title} | n | p50 ms | p95 ms | max ms | CPU p50 ms | queries |"
    print(header + (" KiB |" if size else ""))
    print("|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if size else ""))
    for samples in rows:
        print(samples.row(size=size))


# --- regions and BPS -----------------------------------------------------------------------------


def load_regions(quick: bool) -> str:
    """All regions and boundaries (`regions_load`), or with --quick the subset of the module docstring."""
    if not quick:
        from rencana.regions.loading import regions_load

        report = regions_load(edition="2025")
        return (
            f"Regions: `regions_load` 2025 in {report.seconds:.1f} s: {sum(report.counts.values()):,} "
            f"codes, {report.boundaries:,} boundaries."
        )
    from django.db import transaction

    from rencana.regions import editions
    from rencana.regions.loading import _read_boundaries, _region
    from rencana.regions.models import Region, RegionBoundary

    started = time.perf_counter()
    rows = [
        r
        for r in editions.read_edition("2025")
        if r.level in ("provinsi", "kabupaten", "kota") or r.kode.startswith("35.")
    ]
    boundaries = [
        b
        for b in _read_boundaries()
        if b.region_id.count(".") == 1 or b.region_id.startswith("35.")  # kab/kota, or kecamatan of 35
    ]
    with transaction.atomic():
        Region.objects.bulk_create([_region(r, "2025") for r in rows], batch_size=2000)
        RegionBoundary.objects.bulk_create(boundaries, batch_size=500)
    return (
        f"Regions (--quick subset, bulk): {len(rows):,} codes (provinces, kabupaten/kota, province 35 "
        f"to desa), {len(boundaries):,} boundaries, {time.perf_counter() - started:.1f} s."
    )


# --- part 1: the engine --------------------------------------------------------------------------


def part_engine(calls: int) -> None:
    from rencana.gender import indices

    D = Decimal
    female = indices.SexComponents(D("74.21"), D("13.31"), D("8.41"), D("9102000"))
    male = indices.SexComponents(D("70.38"), D("13.12"), D("9.27"), D("15715000"))
    f_undp = indices.UndpComponents(D("73.6"), D("13.7"), D("8.4"), D("8900"))
    m_undp = indices.UndpComponents(D("69.4"), D("13.5"), D("9.1"), D("15500"))
    cases: list[tuple[str, Callable[[], Any]]] = [
        (
            "`ipm` (UHH, HLS, RLS, pengeluaran)",
            lambda: indices.ipm(D("72.35"), D("13.21"), D("8.83"), D("11899000")),
        ),
        ("`ipg` (IPM of each sex, ratio)", lambda: indices.ipg(female, male)),
        (
            "`ikg` (MTF, MHPK20, DPRD, SMA+, TPAK by sex)",
            lambda: indices.ikg(
                mtf=D("0.121"),
                mhpk20=D("0.254"),
                legislatif_l=D("77.5"),
                legislatif_p=D("22.5"),
                sma_l=D("38.2"),
                sma_p=D("32.1"),
                tpak_l=D("84.3"),
                tpak_p=D("54.1"),
            ),
        ),
        ("`gdi` (UNDP, HDI of each sex)", lambda: indices.gdi(f_undp, m_undp)),
        (
            "`gii` (UNDP)",
            lambda: indices.gii(
                D("173"), D("32.9"), D("21.9"), D("78.1"), D("48.3"), D("55.4"), D("53.3"), D("81.8")
            ),
        ),
        (
            "`idg` (BPS, default income goalposts)",
            lambda: indices.idg(D("22.5"), D("48.9"), D("37.4"), D("11899000"), D("0.497")),
        ),
    ]
    print()
    print("## 1. The index engine (`gender.indices`, in process, Decimal inputs)")
    print()
    print("| call | calls | p50 µs | p95 µs | calls/s | calls per CPU s | result |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, call in cases:
        result = None
        for _ in range(max(10, calls // 20)):
            result = call()
        samples: list[float] = []
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(calls):
            t0 = time.perf_counter()
            call()
            samples.append((time.perf_counter() - t0) * 1e6)
        rate = calls / (time.perf_counter() - started)
        cpu_rate = calls / (time.process_time() - started_cpu)
        value = next(
            (
                getattr(result, name)
                for name in ("ipm", "ipg", "ikg", "gdi", "gii", "idg")
                if hasattr(result, name)
            ),
            None,
        )
        print(
            f"| {label} | {calls:,} | {_pct(samples, 50):,.1f} | {_pct(samples, 95):,.1f} | {rate:,.0f} "
            f"| {cpu_rate:,.0f} | {value} |"
        )


# --- part 2: the pemda year ----------------------------------------------------------------------


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


@dataclass
class Year:
    pemda: "Pemda"
    rpjmd: "PlanDocument"
    rkpd: "PlanDocument"
    pokja: Any
    subs: list[int]  # sub-kegiatan ids of the RKPD, by id
    tagged: list[int]  # ARG-tagged sub-kegiatan ids
    untagged: list[int]
    flagged: list[int]  # flagged indicator ids
    own_data_subs: list[int]  # sub-kegiatan whose own output indicator is flagged
    tag_calls: Samples = field(default_factory=lambda: Samples("`arg_tag_set` (new tag)"))
    notes: list[str] = field(default_factory=list)


def _user(pemda: "Pemda", username: str, role: str) -> Any:
    from django.contrib.auth import get_user_model

    from rencana.accounts.services import role_assign
    from rencana.core.roles import Role

    user = get_user_model().objects.create_user(username=username, password="bench-sandi-123")
    role_assign(actor=None, user=user, pemda=pemda, role=Role(role))
    return user


def build_year(edition: "NomenclatureEdition", tag_calls: int) -> Year:
    """The pemda year of the module docstring."""
    from django.db import transaction

    from rencana.gender import services_gap
    from rencana.gender.models import (
        ArgTag,
        ComponentCode,
        GapStatus,
        GapWorksheet,
        IndexComponent,
        Prerequisite,
        PrerequisiteCode,
        SexValue,
    )
    from rencana.planning import generate, services
    from rencana.planning.demo import DEFAULT_SASARAN, MISI, SASARAN_BY_BIDANG, VISI
    from rencana.planning.models import Indicator, IndicatorTarget, PlanNode
    from rencana.regions.models import Opd, Pemda, Region

    rng = random.Random(2026)
    started = time.perf_counter()
    with transaction.atomic():
        region = Region.objects.get(kode=PEMDA_KODE)
        pemda = Pemda.objects.create(
            kode=PEMDA_KODE, region=region, nama=region.nama, jenis="kabupaten", tahun_anggaran=TAHUN
        )
        Opd.objects.bulk_create(
            Opd(pemda=pemda, kode=k, nama=n, singkatan=s, urusan=u) for k, n, s, u in _opd_rows()
        )
        pokja = _user(pemda, "pokja-pug", "pokja_pug")
        rpjmd = services.document_create(
            actor=None, pemda=pemda, jenis="RPJMD", tahun_mulai=2025, edisi=edition
        )

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
        sasaran_ids = {s.kode: s.pk for s in sasaran}
        strategic = [
            Indicator(
                pemda=pemda,
                node=s,
                jenis="outcome",
                nama=(
                    f"Persentase penduduk terlayani sasaran {s.kode} ({j}), menurut jenis kelamin"
                    if j <= 2
                    else f"Indeks capaian sasaran {s.kode} ({j})"
                ),
                satuan="%",
                baseline_tahun=2024,
                baseline_nilai=Decimal(55 + j),
                terpilah_gender=j <= 2,
                urutan=j,
            )
            for s in sasaran
            for j in range(1, 5)
        ]
        Indicator.objects.bulk_create(strategic)
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(pemda=pemda, indikator=i, tahun=t, nilai=Decimal(60 + 2 * (t - 2025)))
            for i in strategic
            for t in rpjmd.tahun
        )

        def sasaran_for(bidang: str) -> int | None:
            return sasaran_ids.get(SASARAN_BY_BIDANG.get(bidang, DEFAULT_SASARAN))

        rkpd = services.document_create(
            actor=None, pemda=pemda, jenis="RKPD", tahun_mulai=TAHUN, induk=rpjmd, edisi=edition
        )
        opds = list(Opd.objects.filter(pemda=pemda).order_by("id"))
        generate.generate_budget_tree(
            document=rkpd,
            opds=opds,
            pemda_kind="kabkota",
            sub_kegiatan=ASK_SUB_KEGIATAN,
            sasaran_for=sasaran_for,
            seed=2026,
        )
        subs = list(
            PlanNode.objects.filter(dokumen=rkpd, jenis="sub_kegiatan")
            .order_by("id")
            .values_list("pk", flat=True)
        )
        sub_indicators = dict(
            Indicator.objects.filter(node_id__in=subs).order_by("id").values_list("node_id", "pk")
        )
        own_data_subs = subs[::FLAG_EVERY]
        Indicator.objects.filter(pk__in=[sub_indicators[s] for s in own_data_subs]).update(
            terpilah_gender=True
        )
        flagged = list(
            Indicator.objects.filter(pemda=pemda, terpilah_gender=True)
            .order_by("id")
            .values_list("pk", flat=True)
        )

        Prerequisite.objects.bulk_create(
            Prerequisite(pemda=pemda, kode=kode, status=("terpenuhi", "sebagian", "belum")[i % 3])
            for i, kode in enumerate(PrerequisiteCode.values)
        )
        component_values = {
            "uhh_p": 75.1, "uhh_l": 71.2, "hls_p": 13.2, "hls_l": 13.0, "rls_p": 7.6, "rls_l": 8.5,
            "pengeluaran_p": 9_400_000, "pengeluaran_l": 14_900_000, "mtf": 0.08, "mhpk20": 0.27,
            "legislatif_p": 20.0, "legislatif_l": 80.0, "sma_p": 28.4, "sma_l": 35.9, "tpak_p": 55.2,
            "tpak_l": 83.7,
        }  # fmt: skip
        IndexComponent.objects.bulk_create(
            IndexComponent(
                pemda=pemda,
                wilayah_id=PEMDA_KODE,
                tahun=year,
                kode=kode,
                nilai=Decimal(str(round(value * (1 + 0.01 * (year - 2021)), 4))),
                sumber=f"BPS Kabupaten Malang, Susenas {year} ({SYNTHETIC})",
            )
            for year in range(2021, 2025)
            for kode, value in component_values.items()
            if kode in ComponentCode.values
        )
        SexValue.objects.bulk_create(
            (
                SexValue(
                    pemda=pemda,
                    indikator_id=ind,
                    wilayah_id=PEMDA_KODE,
                    tahun=year,
                    perempuan=Decimal(rng.randint(300, 900)) / 10,
                    laki_laki=Decimal(rng.randint(300, 900)) / 10,
                    sumber=f"BPS Kabupaten Malang, Susenas {year}",
                    status="tetap",
                )
                for ind in flagged
                for year in (2022, 2023, 2024)
            ),
            batch_size=2000,
        )
        untagged = list(subs)
        rng.shuffle(untagged)
        count = round(len(subs) * ARG_SHARE)
        chosen, untagged = untagged[:count], untagged[count:]
        categories = [k for k, w in ARG_WEIGHTS for _ in range(w)]
        kinds = {s: rng.choice(categories) for s in chosen}
    # Tags through the service first (timed), the rest in bulk.
    year = Year(
        pemda=pemda,
        rpjmd=rpjmd,
        rkpd=rkpd,
        pokja=pokja,
        subs=subs,
        tagged=sorted(chosen),
        untagged=sorted(untagged),
        flagged=flagged,
        own_data_subs=own_data_subs,
    )
    nodes = {n.pk: n for n in PlanNode.objects.filter(pk__in=chosen[:tag_calls])}
    for pk in chosen[:tag_calls]:
        _r, ms, cpu, queries = _measured(
            partial(
                services_gap.arg_tag_set,
                actor=pokja,
                node=nodes[pk],
                kategori=kinds[pk],
                catatan="Ditandai oleh Pokja PUG.",
            )
        )
        year.tag_calls.add(ms, cpu, queries)
    with transaction.atomic():
        ArgTag.objects.bulk_create(
            (ArgTag(pemda=pemda, node_id=pk, kategori=kinds[pk]) for pk in chosen[tag_calls:]),
            batch_size=2000,
        )
        opd_of = dict(PlanNode.objects.filter(pk__in=chosen).values_list("pk", "opd_id"))
        # Worksheets on tagged sub-kegiatan that are not used by the gap_start timings (own-data ones).
        own = set(own_data_subs)
        for_gap = [pk for pk in sorted(chosen) if pk not in own][:GAP_BULK]
        GapWorksheet.objects.bulk_create(
            (
                GapWorksheet(
                    pemda=pemda,
                    node_id=pk,
                    opd_id=opd_of[pk],
                    tahun=TAHUN,
                    status=GapStatus.FINAL if i % 3 == 0 else GapStatus.DRAFT,
                    kebijakan="Sub-kegiatan dianalisis (isi awal).",
                    data_pembuka="Data terpilah Susenas.",
                    faktor_akses="Akses perempuan lebih rendah.",
                    tujuan_reformulasi="Meningkatkan akses perempuan.",
                    rencana_aksi="- Sosialisasi\n- Pelatihan",
                    indikator_gender="Jumlah peserta perempuan dan laki-laki.",
                    anggaran=Decimal(150_000_000),
                )
                for i, pk in enumerate(for_gap)
            ),
            batch_size=1000,
        )
    seconds = time.perf_counter() - started
    analyze_s = _analyze()
    print(
        f"Pemda {PEMDA_KODE} {pemda.nama} generated in {seconds:.1f} s (ANALYZE {analyze_s:.1f} s): "
        f"{len(subs):,} sub-kegiatan, {len(chosen):,} ARG-tagged ({len(chosen) / len(subs):.0%}; "
        f"{min(tag_calls, len(chosen))} through `arg_tag_set`), {len(for_gap)} GAP worksheets in bulk, "
        f"{len(flagged)} flagged indicators ({len(own_data_subs)} sub-kegiatan, {len(strategic) // 2} "
        f"sasaran), {len(flagged) * 3:,} seed sex-disaggregated values (2022–2024)."
    )
    return year


def _gap_text() -> dict[str, Any]:
    """A worksheet as an OPD fills it, for the GBS downloads."""
    return {
        "faktor_akses": (
            "Perempuan kepala keluarga di desa terpencil lebih jarang mengakses layanan karena jarak dan "
            "jam layanan yang bertepatan dengan jam kerja."
        ),
        "faktor_partisipasi": "Keterwakilan perempuan dalam forum perencanaan desa baru 18 %.",
        "faktor_kontrol": "Keputusan penggunaan bantuan didominasi laki-laki kepala rumah tangga.",
        "faktor_manfaat": "Manfaat pelatihan lebih banyak diterima laki-laki (62 % peserta).",
        "sebab_internal": (
            "Jadwal layanan belum mempertimbangkan beban kerja perempuan; data penerima belum terpilah "
            "menurut jenis kelamin; petugas belum dilatih analisis gender."
        ),
        "sebab_eksternal": "Norma pembagian kerja di rumah tangga; jarak ke pusat layanan; biaya transport.",
        "tujuan_reformulasi": (
            "Meningkatkan akses dan manfaat layanan bagi perempuan dan laki-laki secara setara, dengan "
            "perhatian pada perempuan kepala keluarga di desa terpencil."
        ),
        "rencana_aksi": "\n".join(
            f"{i}. {t}"
            for i, t in enumerate(
                (
                    "Menyesuaikan jadwal layanan (layanan sore dan akhir pekan)",
                    "Layanan keliling ke desa terpencil setiap bulan",
                    "Mendata penerima manfaat terpilah menurut jenis kelamin",
                    "Pelatihan analisis gender bagi petugas",
                    "Kuota minimal 40 % peserta perempuan dalam pelatihan",
                    "Forum konsultasi dengan organisasi perempuan",
                ),
                start=1,
            )
        ),
        "indikator_gender": (
            "- Persentase perempuan penerima layanan (target 50 %)\n"
            "- Jumlah perempuan kepala keluarga terlayani\n"
            "- Persentase peserta pelatihan perempuan"
        ),
        "analisis_situasi": "",
        "dampak": "",
    }


def part_pemda(year: Year, requests: int, gap_starts: int, pdf_requests: int) -> None:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from rencana.gender import services_gap
    from rencana.gender.models import GapStatus, GapWorksheet
    from rencana.planning.models import PlanNode

    pemda = year.pemda
    client = Client()
    client.force_login(year.pokja)
    kode = pemda.kode

    # arg_summary
    largest_opd = (
        PlanNode.objects.filter(dokumen=year.rkpd, jenis="sub_kegiatan")
        .values("opd_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "opd_id")
        .first()
    )
    assert largest_opd is not None
    opd_id = largest_opd["opd_id"]
    summary = services_gap.arg_summary(pemda, TAHUN)
    services = [
        _repeat("`arg_summary`, all OPDs", lambda: services_gap.arg_summary(pemda, TAHUN), requests),
        _repeat(
            f"`arg_summary`, one OPD's scope ({largest_opd['n']} sub-kegiatan)",
            lambda: services_gap.arg_summary(pemda, TAHUN, opd_ids=frozenset({opd_id})),
            requests,
        ),
        year.tag_calls,
    ]

    # gap_start: the service, alternating sub-kegiatan with their own flagged indicator (step 2 from its
    # own data) and tagged ones without (step 2 from the sasaran's flagged indicators).
    taken = set(GapWorksheet.objects.filter(pemda=pemda).values_list("node_id", flat=True))
    own = [pk for pk in year.own_data_subs if pk not in taken]
    other = [pk for pk in year.tagged if pk not in taken and pk not in set(year.own_data_subs)]
    plan = [pk for pair in zip(own, other, strict=False) for pk in pair]
    nodes = {
        n.pk: n for n in PlanNode.objects.filter(pk__in=plan[: gap_starts + 12]).select_related("dokumen")
    }
    start_samples = Samples("`gap_start` (pre-fill steps 1, 2, 8, 9 and the budget; write + audit)")
    started_gaps: list[GapWorksheet] = []
    for pk in plan[:gap_starts]:
        gap, ms, cpu, queries = _measured(
            partial(services_gap.gap_start, actor=year.pokja, node=nodes[pk], tahun=TAHUN)
        )
        start_samples.add(ms, cpu, queries)
        started_gaps.append(gap)
    facts_samples = _repeat(
        "`node_facts` alone (the reads of the pre-fill)",
        lambda: services_gap.node_facts(nodes[plan[0]], TAHUN),
        requests,
    )
    post_samples = Samples("POST `gap/mulai/<id>/` (page: start, redirect)")
    for pk in plan[gap_starts : gap_starts + max(3, min(10, gap_starts))]:
        url = reverse("gender:gap_start", kwargs={"kode": kode, "node_id": pk})
        response, ms, cpu, queries = _measured(partial(client.post, url, {"tahun": TAHUN}))
        if response.status_code != 302:
            sys.exit(f"POST {url}: HTTP {response.status_code}")
        post_samples.add(ms, cpu, queries)
    with_data = sum(1 for g in started_gaps if g.data_pembuka)
    first = started_gaps[0]
    year.notes.append(
        f"gap_start: {with_data} of {len(started_gaps)} pre-filled worksheets have step 2 (data pembuka "
        f"wawasan) filled; the first one's step 2 has {len(first.data_pembuka.splitlines())} lines, "
        f"step 1 {len(first.kebijakan.splitlines())}, step 8 {len(first.baseline.splitlines())}, "
        f"budget {first.anggaran}."
    )

    # A complete worksheet for the GBS downloads, finalized through the service.
    gap = started_gaps[0]
    data = dataclasses.replace(services_gap.GapInput.of(gap), **_gap_text())
    gap = services_gap.gap_update(
        actor=year.pokja, gap=gap, expected_version=gap.version, data=data, status=GapStatus.FINAL
    )
    gap_urls = {
        name: reverse(f"gender:{name}", kwargs={"kode": kode, "gap_id": gap.pk})
        for name in ("gap_detail", "gbs_pdf", "gbs_docx")
    }
    arg_url = reverse("gender:arg_list", kwargs={"kode": kode})
    pages = [
        _page(
            client, "PUG home `/pemda/35.07/pug/`", reverse("gender:home", kwargs={"kode": kode}), requests
        ),
        _page(client, "ARG list, page 1 (summary of 64 OPDs + 50 rows with a form each)", arg_url, requests),
        _page(client, "ARG list, the largest OPD", f"{arg_url}?opd={opd_id}", requests),
        _page(client, "ARG list, search `q=pelayanan`", f"{arg_url}?q=pelayanan", requests),
        _page(client, "ARG list, last page", f"{arg_url}?halaman=9999", requests),
        _page(client, "ARG summary XLSX (`?format=xlsx`)", f"{arg_url}?format=xlsx", requests),
        _page(
            client,
            f"ARG rows XLSX (`?format=xlsx_sub`, {len(year.subs):,} rows)",
            f"{arg_url}?format=xlsx_sub",
            max(2, requests // 4),
        ),
        _page(client, "GAP list (year 2026)", reverse("gender:gap_list", kwargs={"kode": kode}), requests),
        _page(
            client,
            "GAP list, search a sub-kegiatan to start",
            reverse("gender:gap_list", kwargs={"kode": kode}) + "?cari=pelayanan",
            requests,
        ),
        _page(client, "GAP worksheet (nine steps, plan data)", gap_urls["gap_detail"], requests),
        _page(client, "GBS PDF (WeasyPrint)", gap_urls["gbs_pdf"], pdf_requests),
        _page(client, "GBS DOCX (python-docx)", gap_urls["gbs_docx"], requests),
    ]
    from rencana.gender import gbs

    loaded = GapWorksheet.objects.select_related("node__dokumen", "opd", "dibuat_oleh").get(pk=gap.pk)
    parts = [
        _repeat("`gbs.gbs_data` (facts + texts)", lambda: gbs.gbs_data(loaded), requests),
        _repeat("`gbs.gbs_html` (the PDF's HTML)", lambda: gbs.gbs_html(gbs.gbs_data(loaded)), requests),
        _repeat("`gbs.gbs_pdf` alone", lambda: gbs.gbs_pdf(gbs.gbs_data(loaded)), pdf_requests),
        _repeat("`gbs.gbs_docx` alone", lambda: gbs.gbs_docx(gbs.gbs_data(loaded)), requests),
    ]
    pdf = gbs.gbs_pdf(gbs.gbs_data(loaded))
    try:
        import pypdf

        pages_count: int | str = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    except ImportError:
        pages_count = "?"

    print()
    print("## 2. A pemda year: ARG, GAP, GBS (Pokja PUG user)")
    total = summary.total
    print()
    print(
        f"ARG share: {total.ditandai:,} of {total.sub_kegiatan:,} sub-kegiatan tagged, pagu "
        f"Rp {total.pagu_arg:,.0f} of Rp {total.pagu:,.0f} = {total.persen} % over {len(summary.rows)} OPDs."
    )
    _print_table("service call", [*services, start_samples, facts_samples, post_samples])
    _print_table("page (test client)", pages, size=True)
    _print_table("GBS generation, in process", parts)
    print()
    print(f"GBS PDF: {len(pdf) / 1024:,.0f} KiB, {pages_count} A4 page(s).")
    for note in year.notes:
        print(note)


# --- part 3: data terpilah -----------------------------------------------------------------------


def _import_file(year: Year, rows: int, *, shift: int = 0) -> tuple[Path, int]:
    """An XLSX with the import's columns: `rows` / 20 flagged indicators x the pemda and 19 kecamatan."""
    from django.db.models import Q

    from rencana.core.exports import xlsx_bytes
    from rencana.gender import data_io
    from rencana.planning.models import Indicator
    from rencana.regions.models import Region

    regions = list(
        Region.objects.filter(Q(kode=PEMDA_KODE) | Q(parent_id=PEMDA_KODE, level="kecamatan"))
        .order_by("kode")
        .values_list("kode", "nama")[: IMPORT_KECAMATAN + 1]
    )
    per_indicator = len(regions)
    count = max(1, rows // per_indicator)
    indicators = list(Indicator.objects.filter(pk__in=year.flagged).order_by("id")[:count])
    rng = random.Random(7 + shift)
    lines = []
    for indicator in indicators:
        for kode, nama in regions:
            lines.append(
                [
                    indicator.pk,
                    indicator.nama,
                    indicator.satuan,
                    kode,
                    nama,
                    DATA_TAHUN,
                    # Perempuan as typed in Indonesian notation ("48,5"), laki-laki as a number cell.
                    f"{rng.randint(300, 900) / 10 + shift:.1f}".replace(".", ","),
                    rng.randint(300, 900) / 10 + shift,
                    "BPS Kabupaten Malang, Susenas 2025" if kode == PEMDA_KODE else "Dinas terkait, 2025",
                    "sementara",
                ]
            )
    content = xlsx_bytes(data_io.SEX_SPEC.title, data_io.SEX_HEADERS, lines)
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False, dir=ROOT / "var" / "bench") as handle:
        handle.write(content)
    return Path(handle.name), len(lines)


def _statements_per_row(year: Year, scope: Any) -> str:
    """The statements of a 40-row dry run by kind, per row (where the import's queries go)."""
    import re
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rencana.gender import data_io

    small, count = _import_file(year, 40)
    with CaptureQueriesContext(connection) as captured:
        data_io.sexvalue_import_run(actor=year.pokja, pemda=year.pemda, scope=scope, path=small, dry_run=True)
    small.unlink(missing_ok=True)
    kinds: Counter[str] = Counter()
    for query in captured.captured_queries:
        sql = query["sql"]
        verb = sql.split(None, 1)[0].upper()
        table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
        lock = " FOR UPDATE" if "FOR UPDATE" in sql.upper() else ""
        kinds[f"{verb} {table.group(1) if table and verb != 'SAVEPOINT' else ''}{lock}".strip()] += 1
    return ", ".join(f"{kind} {n / count:.1f}" for kind, n in kinds.most_common() if n >= count / 2)


def _write_during_import(year: Year, scope: Any, path: Path) -> str:
    """Another user's small write (one prerequisite's note, its own transaction) made 1 s into a dry run
    of `path` running in another thread: how long it waited, or its error."""
    import threading

    from django.db import DatabaseError, connection, connections, transaction

    from rencana.gender import data_io
    from rencana.gender.models import Prerequisite

    span: list[float] = []

    def work() -> None:
        started = time.perf_counter()
        try:
            data_io.sexvalue_import_run(
                actor=year.pokja, pemda=year.pemda, scope=scope, path=path, dry_run=True
            )
        finally:
            span.append(time.perf_counter() - started)
            connections.close_all()  # this thread's connection

    thread = threading.Thread(target=work)
    thread.start()
    time.sleep(1.0)
    started = time.perf_counter()
    try:
        with transaction.atomic():
            Prerequisite.objects.filter(pemda=year.pemda, kode="komitmen").update(catatan="Rapat Pokja PUG.")
        outcome = "saved"
    except DatabaseError as exc:
        outcome = f"failed: {type(exc).__name__}: {exc}"
    waited = time.perf_counter() - started
    thread.join()
    busy = (connection.settings_dict.get("OPTIONS") or {}).get("timeout")
    return (
        f"Another user's write 1 s into a dry run (another thread) of a file of the same size with every "
        f"value changed, which took {span[0]:.1f} s: {outcome} after {waited * 1000:,.0f} ms"
        + (f" (SQLite busy timeout {busy} s, transaction_mode IMMEDIATE)." if busy else ".")
    )


def part_data(year: Year, rows: int, requests: int, quick: bool) -> None:
    from django.test import Client
    from django.urls import reverse

    from rencana.accounts.scope import scope_for
    from rencana.gender import data_io, selectors_data
    from rencana.gender.models import SexValue

    pemda = year.pemda
    scope = scope_for(year.pokja, pemda)
    path, count = _import_file(year, rows)
    changed, _n = _import_file(year, rows, shift=1)
    runs: list[tuple[str, Any, float, float, int]] = []

    def run(label: str, file: Path, dry_run: bool) -> None:
        result, ms, cpu, queries = _measured(
            lambda: data_io.sexvalue_import_run(
                actor=year.pokja, pemda=pemda, scope=scope, path=file, dry_run=dry_run
            )
        )
        if not result.ok:
            sys.exit(f"{label}: import refused: {result.errors[:5]}")
        runs.append((label, result, ms, cpu, queries))

    before = SexValue.objects.count()
    breakdown = _statements_per_row(year, scope)
    client = Client()
    client.force_login(year.pokja)
    kode = pemda.kode
    upload = Samples("POST `data/impor/` upload + dry run (page, new values)")
    for _ in range(1 if quick else 2):
        with path.open("rb") as handle:
            response, ms, cpu, queries = _measured(
                partial(
                    client.post,
                    reverse("gender:data_import", kwargs={"kode": kode}),
                    {"berkas": handle, "aksi": "periksa"},
                )
            )
        if response.status_code != 200:
            sys.exit(f"upload: HTTP {response.status_code}")
        upload.add(ms, cpu, queries)
        upload.size = len(response.content)
    run("dry run (new values)", path, True)
    run("commit (creates every row)", path, False)
    run("the same file again (nothing changes)", path, False)
    if not quick:
        run("every value changed (updates every row)", changed, False)
    after = SexValue.objects.count()
    other, _n = _import_file(year, rows, shift=2)
    contention = _write_during_import(year, scope, other)
    other.unlink(missing_ok=True)
    # Reading alone: the table parsing and cell checks of the framework, without the services.
    from rencana.core.tabular import check_rows, read_table

    spec = data_io.SEX_SPEC
    names = set().union(*(c.names() for c in spec.columns))
    read = _repeat(
        "read + check cells only (`read_table` + `check_rows`)",
        lambda: check_rows(spec, read_table(path, header_names=names)),
        3,
    )
    services = [
        _repeat(
            f"`completeness` {DATA_TAHUN}", lambda: selectors_data.completeness(pemda, DATA_TAHUN), requests
        ),
        _repeat(
            "`compute_pemda_indices` (IPM by sex, IPG, IKG from 16 components)",
            lambda: selectors_data.compute_pemda_indices(pemda, PEMDA_KODE, 2024),
            requests,
        ),
    ]
    groups = selectors_data.completeness(pemda, DATA_TAHUN)
    computed = selectors_data.compute_pemda_indices(pemda, PEMDA_KODE, 2024)
    pages = [
        _page(
            client,
            "completeness page `data/kelengkapan/`",
            reverse("gender:data_completeness", kwargs={"kode": kode}) + f"?tahun={DATA_TAHUN}",
            requests,
        ),
        _page(
            client,
            "completeness XLSX",
            reverse("gender:data_completeness", kwargs={"kode": kode}) + f"?tahun={DATA_TAHUN}&format=xlsx",
            requests,
        ),
        _page(client, "data list `data/`", reverse("gender:data_list", kwargs={"kode": kode}), requests),
        _page(
            client,
            "data export XLSX (every value)",
            reverse("gender:data_export", kwargs={"kode": kode}),
            max(2, requests // 4),
        ),
        _page(
            client,
            "components page (with `compute_pemda_indices`)",
            reverse("gender:components", kwargs={"kode": kode}) + "?tahun=2024",
            requests,
        ),
    ]
    print()
    print("## 3. Data terpilah")
    print()
    print(
        f"Import file: {count:,} rows (flagged indicators x the pemda and {IMPORT_KECAMATAN} kecamatan, "
        f"{DATA_TAHUN}), "
        f"{path.stat().st_size / 1024:,.0f} KiB. `SexValue` rows {before:,} -> {after:,}."
    )
    print()
    print(
        "| `data_io.sexvalue_import_run` | s | rows/s | CPU s | queries | queries per row "
        "| created / updated / unchanged |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, result, ms, cpu, queries in runs:
        print(
            f"| {label} | {ms / 1000:,.2f} | {count / (ms / 1000):,.0f} | {cpu / 1000:,.2f} | {queries:,} "
            f"| {queries / count:,.1f} | {result.created:,} / {result.updated:,} / {result.unchanged:,} |"
        )
    print()
    print(f"Statements per row of a new value (a 40-row dry run): {breakdown}.")
    print()
    print(contention)
    _print_table("reading and the upload page", [read, upload], size=True)
    _print_table("service call", services)
    _print_table("page (test client)", pages, size=True)
    total = sum(g.total for g in groups)
    filled = sum(g.terisi for g in groups)
    print()
    print(
        f"Completeness {DATA_TAHUN}: {filled} of {total} flagged indicators have a value, in {len(groups)} "
        f"groups (OPDs and the pemda level). Computed 2024: "
        + ", ".join(f"{c.nama} {c.nilai}" for c in computed.hasil)
        + "."
    )
    path.unlink(missing_ok=True)
    changed.unlink(missing_ok=True)


# --- parts 4 and 5: the comparison ---------------------------------------------------------------


def _compare_pages(client: Any, provinsi: str, label: str, requests: int, sorot: str = "") -> list[Samples]:
    from django.urls import reverse

    page = reverse("gender:compare", kwargs={"provinsi": provinsi})
    geo = reverse("gender:compare_geojson", kwargs={"provinsi": provinsi})
    extra = f"&sorot={sorot}" if sorot else ""
    return [
        _page(client, f"{label}: page, IPM 2023", f"{page}?indeks=IPM&tahun=2023{extra}", requests),
        _page(client, f"{label}: page, IKG 2023", f"{page}?indeks=IKG&tahun=2023{extra}", requests),
        _page(client, f"{label}: XLSX, IPM 2023", f"{page}?indeks=IPM&tahun=2023&format=xlsx", requests),
        _page(client, f"{label}: GeoJSON, IPM 2023", f"{geo}?indeks=IPM&tahun=2023{extra}", requests),
    ]


def part_jatim(requests: int) -> list[Samples]:
    from django.test import Client

    from rencana.regions.selectors import child_boundaries

    client = Client()
    samples = _compare_pages(client, "35", "Jawa Timur", requests, sorot=PEMDA_KODE)
    print()
    print("## 4. Jawa Timur comparison (public, anonymous; BPS values)")
    print()
    print(f"Kabupaten/kota boundaries of 35: {child_boundaries(kode='35').count()}.")
    _print_table("request", samples, size=True)
    return samples


def national_fill() -> None:
    from django.db import transaction

    from rencana.gender.models import IndexValue
    from rencana.regions.models import Region

    rng = random.Random(514)
    size_before = _database_bytes()
    started = time.perf_counter()
    regions = list(
        Region.objects.filter(level__in=("provinsi", "kabupaten", "kota"))
        .order_by("kode")
        .values_list("kode", flat=True)
    )
    existing = set(IndexValue.objects.values_list("wilayah_id", "tahun", "indeks"))
    rows = []
    for kode in regions:
        ipm0 = rng.uniform(58, 76)
        slope = rng.uniform(0.4, 0.8)
        ipg0 = rng.uniform(82, 96)
        idg0 = rng.uniform(50, 76)
        ikg0 = rng.uniform(0.25, 0.60)
        for t in YEARS:
            k = t - YEARS[0]
            values = {
                "IPM": min(82.0, ipm0 + slope * k),
                "IPG": min(98.0, ipg0 + 0.12 * k),
                "IDG": min(80.0, idg0 + 0.3 * k),
                "IKG": max(0.10, ikg0 - 0.008 * k),
            }
            for indeks in INDICES:
                if (kode, t, indeks) in existing:
                    continue
                places = 3 if indeks == "IKG" else 2
                rows.append(
                    IndexValue(
                        wilayah_id=kode,
                        tahun=t,
                        indeks=indeks,
                        nilai=Decimal(f"{values[indeks]:.{places}f}"),
                        sumber=SYNTHETIC,
                    )
                )
    with transaction.atomic():
        IndexValue.objects.bulk_create(rows, batch_size=2000)
    seconds = time.perf_counter() - started
    analyze_s = _analyze()
    kabkota = sum(1 for k in regions if "." in k)
    print()
    print(
        f"National IndexValue set: {len(regions) - kabkota} provinces + {kabkota} kabupaten/kota x "
        f"{len(YEARS)} years ({YEARS[0]}–{YEARS[-1]}) x {len(INDICES)} indices; {len(rows):,} SYNTHETIC "
        f"rows added beside {len(existing):,} BPS rows, {IndexValue.objects.count():,} in all, in "
        f"{seconds:.1f} s (ANALYZE {analyze_s:.1f} s), {(_database_bytes() - size_before) / 2**20:,.1f} MiB."
    )


def part_national(year: Year, requests: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from rencana.gender import bps
    from rencana.regions.selectors import child_boundaries

    national_fill()
    client = Client()
    samples: list[Samples] = []
    counts = []
    for provinsi, label, sorot in (
        ("35", "Jawa Timur (38, BPS + synthetic)", PEMDA_KODE),
        ("33", "Jawa Tengah (35, synthetic)", ""),
        ("96", "Papua Barat Daya (6, largest geometry)", ""),
    ):
        samples += _compare_pages(client, provinsi, label, requests, sorot=sorot)
        counts.append(f"{provinsi}: {child_boundaries(kode=provinsi).count()} boundaries")
    pokja = Client()
    pokja.force_login(year.pokja)
    samples.append(
        _page(
            pokja,
            "PUG home (national tables)",
            reverse("gender:home", kwargs={"kode": year.pemda.kode}),
            requests,
        )
    )
    result, ms, _cpu, queries = _measured(bps.load_jatim)
    print()
    print("## 5. National IndexValue set (synthetic values)")
    print()
    print("; ".join(counts) + ".")
    _print_table("request", samples, size=True)
    print()
    print(
        f"`bps.load_jatim` again beside the national set: {ms:,.0f} ms, {queries} queries "
        f"({result.created} created, {result.updated} updated, {result.unchanged:,} unchanged)."
    )


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="subset of regions, fewer requests and calls")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--database-url",
        default="",
        help=f"overrides --database (sqlite: {SQLITE_PATH}; a PostgreSQL DATABASE_URL in the environment "
        "is used when neither is given)",
    )
    parser.add_argument(
        "--requests", type=int, default=0, help="requests per page (default 20, 5 with --quick)"
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=0,
        help="rows of the data terpilah import (2,000; 500 with --quick)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database at the end")
    args = parser.parse_args()
    requests = args.requests or (5 if args.quick else 20)
    import_rows = args.import_rows or (500 if args.quick else 2000)
    pdf_requests = 3 if args.quick else 10
    calls = 2000 if args.quick else 20000
    tag_calls = 30 if args.quick else 100
    gap_starts = 10 if args.quick else 40
    url = _database_url(args)
    _fresh_database(url)
    _setup(url)
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)

    from django.core.management import call_command

    from rencana.gender import bps
    from rencana.planning.models import NomenclatureEdition
    from rencana.planning.nomenclature import nomenclature_load

    run_started = time.perf_counter()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    for line in _machine():
        print(line)
    started = time.perf_counter()
    nomenclature_load("2027")
    nomenclature_s = time.perf_counter() - started
    edition = NomenclatureEdition.objects.get(kode="2027")
    print(
        f"Migrate {migrate_s:.1f} s, nomenclature 2027 {nomenclature_s:.1f} s. {requests} requests per page"
        f"{', --quick' if args.quick else ''}."
    )
    try:
        print(load_regions(args.quick))
        result, ms, _cpu, queries = _measured(bps.load_jatim)
        print(
            f"BPS Jawa Timur (`bps.load_jatim`): {result.created:,} IndexValue rows in {ms:,.0f} ms, "
            f"{queries} queries ({result.ignored:,} rows of other indicators ignored)."
        )
        part_engine(calls)
        year = build_year(edition, tag_calls)
        part_pemda(year, requests, gap_starts, pdf_requests)
        part_data(year, import_rows, requests, args.quick)
        part_jatim(requests)
        part_national(year, requests)
        print()
        print(
            f"Whole run {time.perf_counter() - run_started:,.0f} s. Peak RSS {_maxrss_mib():,.0f} MiB. "
            f"Load average at the end {os.getloadavg()[0]:.2f}."
        )
    finally:
        shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)
        if not args.keep:
            _drop_database(url)


if __name__ == "__main__":
    main()
