"""Benchmark of planning: RKPD XLSX import, the logframe checker, a generated national set, the pages.

Data: RKPD trees drawn from the 2027 nomenclature by `rencana.planning.generate.generate_budget_tree`
for a kabupaten with the 34 OPDs of Kotabaru (`rencana.regions.demo.KOTABARU_OPD`) plus the other 20 of
its 22 kecamatan and 10 puskesmas (sub-units of the Dinas Kesehatan, SIPD code 1.02.0.00.0.00.01.00NN):
the generator takes 1 to 4 sub-kegiatan per kegiatan, once, so the Kotabaru list alone stops at about
2,800 sub-kegiatan. Asking for 6,000 gives about 5,000. Every pemda also has an RPJMD 2025–2029 with the
demo's misi/tujuan/sasaran (`rencana.planning.demo.MISI`), one indicator with baseline and five targets
per tujuan and sasaran, and the programs its RKPD runs; programs serve a sasaran chosen by bidang
(`demo.SASARAN_BY_BIDANG`). A few defects per RKPD (every 50th sub-kegiatan without pagu, every 40th
program without sasaran) give the checker something to report.

Runs against its own fresh database: the SQLite file var/bench/planning.sqlite3 (deleted first) or,
with `--database postgres`, the PostgreSQL database bench_planning (dropped and created again; a
--database-url is recreated only when its database name starts with "bench_"). DEBUG is off, as in
production (a debug cursor would time and keep every query). Parts (default: import check pages):

- import: export the RKPD with `plan_io.document_export_bytes`, import the file into an empty RKPD
  of a second pemda with the same OPD and sasaran codes (`plan_io.document_import`, dry_run=False),
  then import the same file again (idempotent: every row unchanged); with --tracemalloc, at the very
  end, the Python heap peak of the same import (a dry run into another empty RKPD);
- check: `selectors.document_check` on the ~5,000-sub-kegiatan RKPD, split into loading
  (`selectors.logframe_input`) and the pure check (`logframe.check_document`), median of 5;
- pages: the tree page, the check page and the XLSX export through Django's test client as a
  perencana, for the ~5,000-sub-kegiatan RKPD and a ~500-node one: median of 5 after one warm-up,
  queries (CaptureQueriesContext) and response size;
- national: --pemda-count pemda (default 546) generated one after the other, then every RKPD checked;
  figures for fewer than 546 are extrapolated linearly to 546 and labelled so.

    .venv/bin/python bench/planning_bench.py --tracemalloc
    .venv/bin/python bench/planning_bench.py --database postgres
    .venv/bin/python bench/planning_bench.py --database postgres national --pemda-count 100
"""

import argparse
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from rencana.planning.models import NomenclatureEdition, PlanDocument
    from rencana.regions.models import Pemda

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench" / "planning.sqlite3"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_planning"
NATIONAL_PEMDA = 546
# The 38 province codes of the 2025 edition; the national set numbers kabupaten 20, 21, ... under
# each (fake but well-formed kab/kota codes, never the 63.02/63.03 of the other parts).
_PROVINCE_CODES = (
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 71 72 73 74 75 76 81 82 "
    "91 92 93 94 95 96"
)
PROVINCES = tuple(_PROVINCE_CODES.split())
SOURCE_PEMDA = "63.02"
TARGET_PEMDA = "63.03"
ASK_SUB_KEGIATAN = 6000  # gives ~5,000 with the OPD list below (see the module docstring)
ASK_SMALL = 320  # gives a ~500-node RKPD with the 34 Kotabaru OPDs
RUNS = 5
PARTS = ("import", "check", "pages", "national")


# --- environment -------------------------------------------------------------------------------


def _database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    return POSTGRES_URL if args.database == "postgres" else f"sqlite:///{SQLITE_PATH}"


def _fresh_database(url: str) -> None:
    """Start from nothing: delete the SQLite file, or drop and create a bench_ PostgreSQL database."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = parts.path.lstrip("/")
    if not name.startswith("bench_"):
        sys.exit(f"Refusing to recreate database {name!r}: use a database whose name starts with bench_.")
    import psycopg

    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


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
        f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPU "
        f"({cpu}), {memory} RAM, load average {os.getloadavg()[0]:.2f}",
    ]


def _rss_mib() -> float:
    """Resident memory now (Linux /proc), MiB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _maxrss_mib() -> float:
    """The process's peak resident memory so far (ru_maxrss is KiB on Linux), MiB."""
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
    """Refresh planner statistics after a bulk load (autovacuum would, later); seconds taken."""
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


# --- data --------------------------------------------------------------------------------------


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
    """A kabupaten, its Region rows (as conftest.py make_pemda, without search tokens) and OPDs."""
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
    pemda = Pemda.objects.create(kode=kode, region=region, nama=nama, jenis="kabupaten")
    Opd.objects.bulk_create(
        Opd(pemda=pemda, kode=k, nama=n, singkatan=s, urusan=u) for k, n, s, u in opd_rows
    )
    return pemda


def _rpjmd(pemda: "Pemda", edition: "NomenclatureEdition") -> tuple["PlanDocument", dict[str, int]]:
    """RPJMD 2025–2029: visi, the demo's misi/tujuan/sasaran, an indicator per tujuan and sasaran."""
    from decimal import Decimal

    from rencana.planning import services
    from rencana.planning.demo import MISI, VISI
    from rencana.planning.models import Indicator, IndicatorTarget, PlanNode

    document = services.document_create(
        actor=None, pemda=pemda, jenis="RPJMD", tahun_mulai=2025, edisi=edition
    )

    def node(jenis: str, kode: str, nama: str, urutan: int, induk: PlanNode | None) -> PlanNode:
        return PlanNode(
            pemda=pemda, dokumen=document, jenis=jenis, kode=kode, nama=nama, urutan=urutan, induk=induk
        )

    visi = PlanNode.objects.create(pemda=pemda, dokumen=document, jenis="visi", nama=VISI, urutan=1)
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
    indicators = [
        Indicator(
            pemda=pemda,
            node=n,
            nama=f"Indeks capaian {n.nama.lower()}",
            satuan="indeks",
            baseline_tahun=2024,
            baseline_nilai=Decimal(60),
            urutan=1,
        )
        for n in [*tujuan, *sasaran]
    ]
    Indicator.objects.bulk_create(indicators)
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(pemda=pemda, indikator=i, tahun=t, nilai=Decimal(61 + t - 2025))
        for i in indicators
        for t in document.tahun
    )
    return document, {s.kode: s.pk for s in sasaran}


@dataclass
class PemdaPlans:
    pemda: "Pemda"
    rpjmd: "PlanDocument"
    rkpd: "PlanDocument"
    sub_kegiatan: int
    nodes: int


def _plans(
    pemda: "Pemda",
    edition: "NomenclatureEdition",
    *,
    ask: int,
    seed: int,
    tahun: int = 2026,
    rpjmd: "PlanDocument | None" = None,
    sasaran: dict[str, int] | None = None,
    opd_limit: int | None = None,
) -> PemdaPlans:
    """An RPJMD (unless given) and a generated RKPD `tahun` with defects; the RPJMD gets its programs."""
    from rencana.planning import generate, services
    from rencana.planning.demo import DEFAULT_SASARAN, SASARAN_BY_BIDANG
    from rencana.planning.models import NodeBudget, NodeLink, PlanNode
    from rencana.regions.models import Opd

    if rpjmd is None or sasaran is None:
        rpjmd, sasaran = _rpjmd(pemda, edition)
    rkpd = services.document_create(
        actor=None, pemda=pemda, jenis="RKPD", tahun_mulai=tahun, induk=rpjmd, edisi=edition
    )
    opds = list(Opd.objects.filter(pemda=pemda).order_by("id"))[:opd_limit]

    def sasaran_for(bidang: str) -> int | None:
        return sasaran.get(SASARAN_BY_BIDANG.get(bidang, DEFAULT_SASARAN))

    generated = generate.generate_budget_tree(
        document=rkpd, opds=opds, pemda_kind="kabkota", sub_kegiatan=ask, sasaran_for=sasaran_for, seed=seed
    )
    subs = list(
        PlanNode.objects.filter(dokumen=rkpd, jenis="sub_kegiatan")
        .order_by("id")
        .values_list("pk", flat=True)
    )
    NodeBudget.objects.filter(node_id__in=subs[::50]).delete()
    programs = list(
        PlanNode.objects.filter(dokumen=rkpd, jenis="program").order_by("id").values_list("pk", "kode")
    )
    NodeLink.objects.filter(dari_id__in=[pk for pk, _k in programs[::40]]).delete()
    existing = set(PlanNode.objects.filter(dokumen=rpjmd, jenis="program").values_list("kode", flat=True))
    start = PlanNode.objects.filter(dokumen=rpjmd, induk=None).count()
    new = sorted({k for _pk, k in programs} - existing)
    rpjmd_programs = [
        PlanNode(pemda=pemda, dokumen=rpjmd, jenis="program", kode=k, nama=k, urutan=start + i)
        for i, k in enumerate(new, start=1)
    ]
    PlanNode.objects.bulk_create(rpjmd_programs)
    NodeLink.objects.bulk_create(
        NodeLink(pemda=pemda, dari=n, ke_id=target)
        for n in rpjmd_programs
        if (target := sasaran_for(".".join(n.kode.split(".")[:2]))) is not None
    )
    return PemdaPlans(
        pemda=pemda,
        rpjmd=rpjmd,
        rkpd=rkpd,
        sub_kegiatan=generated.sub_kegiatan,
        nodes=generated.programs + generated.kegiatan + generated.sub_kegiatan,
    )


def _document(pk: int) -> "PlanDocument":
    """The document as the views load it (`selectors.document_get`)."""
    from rencana.planning.models import PlanDocument

    return PlanDocument.objects.select_related(
        "pemda", "opd", "induk", "edisi_nomenklatur", "revisi_dari"
    ).get(pk=pk)


def _counts(document: "PlanDocument") -> dict[str, int]:
    from rencana.planning.models import Indicator, IndicatorTarget, NodeBudget, NodeLink, PlanNode

    by_kind = Counter(PlanNode.objects.filter(dokumen=document).values_list("jenis", flat=True))
    return {
        "nodes": sum(by_kind.values()),
        **{k: by_kind.get(k, 0) for k in ("program", "kegiatan", "sub_kegiatan")},
        "indicators": Indicator.objects.filter(node__dokumen=document).count(),
        "targets": IndicatorTarget.objects.filter(indikator__node__dokumen=document).count(),
        "budgets": NodeBudget.objects.filter(node__dokumen=document).count(),
        "links": NodeLink.objects.filter(dari__dokumen=document).count(),
    }


# --- parts ---------------------------------------------------------------------------------------


@dataclass
class Source:
    plans: PemdaPlans
    seconds: float
    small: PemdaPlans | None = None
    notes: list[str] = field(default_factory=list)


def _source(edition: "NomenclatureEdition", opd_rows: list[tuple[str, str, str, str]]) -> Source:
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        pemda = _pemda(SOURCE_PEMDA, "Kabupaten Kotabaru", opd_rows)
        plans = _plans(pemda, edition, ask=ASK_SUB_KEGIATAN, seed=2026)
    seconds = time.perf_counter() - started
    counts = _counts(plans.rkpd)
    print(
        f"RKPD {SOURCE_PEMDA} 2026 generated in {seconds:.1f} s: {counts['nodes']:,} nodes "
        f"({counts['program']:,} program, {counts['kegiatan']:,} kegiatan, {counts['sub_kegiatan']:,} "
        f"sub-kegiatan), {counts['indicators']:,} indicators, {counts['targets']:,} targets, "
        f"{counts['budgets']:,} pagu rows, {counts['links']:,} sasaran links; {len(opd_rows)} OPD."
    )
    return Source(plans=plans, seconds=seconds)


def part_import(source: Source, edition: "NomenclatureEdition", opd_rows: list[Any]) -> Path:
    from django.db import transaction

    from rencana.planning import plan_io, services

    rkpd = _document(source.plans.rkpd.pk)
    started = time.perf_counter()
    content = plan_io.document_export_bytes(rkpd)
    export_seconds = time.perf_counter() - started
    path = SQLITE_PATH.parent / "planning-rkpd-export.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with transaction.atomic():
        target_pemda = _pemda(TARGET_PEMDA, "Kabupaten Uji Impor", opd_rows)
        rpjmd, _sasaran = _rpjmd(target_pemda, edition)
        target = services.document_create(
            actor=None, pemda=target_pemda, jenis="RKPD", tahun_mulai=2026, induk=rpjmd, edisi=edition
        )
    print()
    print(
        f"Export of RKPD {SOURCE_PEMDA} ({_counts(rkpd)['nodes']:,} nodes): {export_seconds:.2f} s, "
        f"{len(content) / 2**20:.2f} MiB XLSX ({path.relative_to(ROOT)})."
    )
    print()
    print(
        "| import | rows | created | updated | unchanged | seconds | rows/s | queries | queries/row "
        "| RSS before MiB | peak RSS MiB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label in ("into the empty RKPD of 63.03", "same file again (idempotent)"):
        document = _document(target.pk)
        rss_before = _rss_mib()
        with _counting() as counter:
            started = time.perf_counter()
            result = plan_io.document_import(actor=None, document=document, path=path, dry_run=False)
            seconds = time.perf_counter() - started
        if result.errors:
            for error in result.errors[:10]:
                print(f"  error: {error}")
            sys.exit(f"Import failed with {len(result.errors)} errors.")
        print(
            f"| {label} | {result.rows:,} | {result.created:,} | {result.updated:,} | {result.unchanged:,} "
            f"| {seconds:.1f} | {result.rows / seconds:,.0f} | {counter.count:,} "
            f"| {counter.count / max(result.rows, 1):.1f} | {rss_before:.0f} | {_maxrss_mib():.0f} |"
        )
    same = _counts(rkpd) == _counts(_document(target.pk))
    print()
    print(f"Imported RKPD has the same counts as the source: {'yes' if same else 'NO'}")
    if not same:
        print(f"  source {_counts(rkpd)}\n  target {_counts(_document(target.pk))}")
    return path


def import_memory(path: Path, edition: "NomenclatureEdition") -> None:
    """Python heap peak of the same import under tracemalloc, as a dry run (rolled back).

    Run last, so that tracemalloc (which slows the import about threefold) cannot touch the other
    timings. Into a new empty RKPD, so every row is created again.
    """
    from django.db import transaction

    from rencana.planning import plan_io, services
    from rencana.planning.models import PlanDocument

    rpjmd = PlanDocument.objects.get(pemda__kode=TARGET_PEMDA, jenis="RPJMD")
    with transaction.atomic():
        empty = services.document_create(
            actor=None, pemda=rpjmd.pemda, jenis="RKPD", tahun_mulai=2027, induk=rpjmd, edisi=edition
        )
    tracemalloc.start()
    started = time.perf_counter()
    result = plan_io.document_import(actor=None, document=_document(empty.pk), path=path, dry_run=True)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print()
    print(
        f"tracemalloc peak of the same import as a dry run into an empty RKPD: {peak / 2**20:.0f} MiB "
        f"({result.created:,} rows would be created; {seconds:.1f} s under tracemalloc)"
    )


def part_check(source: Source) -> None:
    from rencana.planning import logframe, selectors

    rkpd = _document(source.plans.rkpd.pk)
    load_ms: list[float] = []
    check_ms: list[float] = []
    queries = 0
    result = None
    data = None
    for _ in range(RUNS + 1):  # the first run warms the caches and is not counted
        with _counting() as counter:
            started = time.perf_counter()
            data = selectors.logframe_input(rkpd)
            loaded = time.perf_counter()
        result = logframe.check_document(data)
        done = time.perf_counter()
        load_ms.append((loaded - started) * 1000)
        check_ms.append((done - loaded) * 1000)
        queries = counter.count
    assert result is not None and data is not None
    load_ms, check_ms = load_ms[1:], check_ms[1:]
    counts = result.counts()
    print()
    print(
        "| document | nodes | indicators | findings (error/warning/info) | load ms | queries "
        "| check ms | total ms |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    load, check = statistics.median(load_ms), statistics.median(check_ms)
    print(
        f"| RKPD {SOURCE_PEMDA} 2026 | {len(data.nodes):,} | {len(data.indicators):,} "
        f"| {len(result.findings):,} ({counts.get('error', 0)}/{counts.get('warning', 0)}"
        f"/{counts.get('info', 0)}) | {load:.0f} | {queries} | {check:.0f} | {load + check:.0f} |"
    )
    rules = Counter(f.rule for f in result.findings)
    print()
    print(f"Findings by rule: {dict(rules.most_common())}")


def part_pages(source: Source, edition: "NomenclatureEdition") -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rencana.accounts.services import role_assign
    from rencana.core.roles import Role

    plans = source.plans
    with transaction.atomic():
        small = _plans(
            plans.pemda,
            edition,
            ask=ASK_SMALL,
            seed=7,
            tahun=2027,
            rpjmd=plans.rpjmd,
            sasaran=_sasaran_of(plans.rpjmd),
            opd_limit=34,
        )
        user = get_user_model().objects.create_user(username="perencana-bench", password="bench-sandi-123")
        role_assign(actor=None, user=user, pemda=plans.pemda, role=Role.PERENCANA)
    client = Client()
    client.force_login(user)
    print()
    print("| page | RKPD nodes | median ms | min ms | max ms | queries | response KiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    query_counts: dict[str, list[int]] = {}
    for label, suffix in (("tree", ""), ("check", "periksa/"), ("XLSX export", "ekspor.xlsx")):
        for document in (plans.rkpd, small.rkpd):
            url = f"/pemda/{plans.pemda.kode}/perencanaan/{document.pk}/{suffix}"
            nodes = _counts(document)["nodes"]
            samples: list[float] = []
            queries: list[int] = []
            size = 0
            for run in range(RUNS + 1):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    sys.exit(f"GET {url}: HTTP {response.status_code}")
                size = len(response.content)
                if run:
                    samples.append(elapsed)
                    queries.append(len(captured.captured_queries))
            query_counts.setdefault(label, []).append(queries[-1])
            spread = "" if len(set(queries)) == 1 else f" (runs: {sorted(set(queries))})"
            print(
                f"| {label} `{suffix or '.'}` | {nodes:,} | {statistics.median(samples):.0f} "
                f"| {min(samples):.0f} | {max(samples):.0f} | {queries[-1]}{spread} | {size / 1024:,.0f} |"
            )
    print()
    for label, counts in query_counts.items():
        verdict = "constant" if len(set(counts)) == 1 else "GROWS with the tree"
        print(f"Queries of the {label} page, large vs small RKPD: {counts[0]} vs {counts[1]} ({verdict}).")


def _sasaran_of(rpjmd: "PlanDocument") -> dict[str, int]:
    from rencana.planning.models import PlanNode

    return dict(PlanNode.objects.filter(dokumen=rpjmd, jenis="sasaran").values_list("kode", "pk"))


def _national_codes(count: int) -> list[str]:
    codes = [f"{p}.{k:02d}" for k in range(20, 100) for p in PROVINCES]
    if count > len(codes):
        sys.exit(f"At most {len(codes)} pemda.")
    return sorted(codes[:count])


def _probe(pk: int) -> tuple[float, float]:
    """Fastest load ms and pure check ms of one document's check over 5 runs after a warm-up.

    The fastest, not the median: other processes share the 2 cores, and the point is how the cost
    changes with the size of the tables, not the noise.
    """
    from rencana.planning import logframe, selectors

    document = _document(pk)
    load_ms: list[float] = []
    check_ms: list[float] = []
    for _ in range(6):
        started = time.perf_counter()
        data = selectors.logframe_input(document)
        loaded = time.perf_counter()
        logframe.check_document(data)
        load_ms.append((loaded - started) * 1000)
        check_ms.append((time.perf_counter() - loaded) * 1000)
    return min(load_ms[1:]), min(check_ms[1:])


def part_national(count: int, edition: "NomenclatureEdition", opd_rows: list[Any]) -> None:
    from django.db import transaction

    from rencana.planning import logframe, selectors
    from rencana.planning.models import Indicator, IndicatorTarget, NodeBudget, NodeLink, PlanNode

    before_nodes = PlanNode.objects.count()
    size_before = _database_bytes()
    generation_s: list[float] = []
    rkpd_ids: list[int] = []
    sub_kegiatan = 0
    rkpd_nodes = 0
    # While the tables fill up, the checker load of the first pemda's RKPD (same document, growing
    # tables): shows whether a pemda's check depends on the size of the whole national set.
    checkpoints = sorted({max(1, round(count * f)) for f in (0.1, 0.25, 0.5, 0.75, 1.0)})
    probes: list[tuple[int, float, float]] = []
    probe_seconds = 0.0
    started_all = time.perf_counter()
    for index, kode in enumerate(_national_codes(count)):
        started = time.perf_counter()
        with transaction.atomic():
            pemda = _pemda(kode, f"Kabupaten Uji {kode}", opd_rows)
            plans = _plans(pemda, edition, ask=ASK_SUB_KEGIATAN, seed=index)
        generation_s.append(time.perf_counter() - started)
        rkpd_ids.append(plans.rkpd.pk)
        sub_kegiatan += plans.sub_kegiatan
        rkpd_nodes += plans.nodes
        if (index + 1) % 10 == 0:
            print(
                f"  generated {index + 1}/{count} pemda, {time.perf_counter() - started_all:.0f} s",
                file=sys.stderr,
            )
        if index + 1 in checkpoints:
            probe_started = time.perf_counter()
            _analyze()
            probes.append((index + 1, *_probe(rkpd_ids[0])))
            probe_seconds += time.perf_counter() - probe_started
    generation_total = time.perf_counter() - started_all - probe_seconds
    analyze_s = _analyze()
    rss_after_generation = _maxrss_mib()
    totals = {
        "nodes (all documents)": PlanNode.objects.count() - before_nodes,
        "indicators": Indicator.objects.count(),
        "indicator targets": IndicatorTarget.objects.count(),
        "pagu rows": NodeBudget.objects.count(),
        "sasaran links": NodeLink.objects.count(),
    }
    size = _database_bytes() - size_before

    load_ms: list[float] = []
    check_ms: list[float] = []
    findings = 0
    started_all = time.perf_counter()
    for pk in rkpd_ids:
        document = _document(pk)
        started = time.perf_counter()
        data = selectors.logframe_input(document)
        loaded = time.perf_counter()
        result = logframe.check_document(data)
        done = time.perf_counter()
        load_ms.append((loaded - started) * 1000)
        check_ms.append((done - loaded) * 1000)
        findings += len(result.findings)
    check_total = time.perf_counter() - started_all
    total_ms = [a + b for a, b in zip(load_ms, check_ms, strict=True)]
    factor = NATIONAL_PEMDA / count
    extrapolated = count != NATIONAL_PEMDA

    print()
    print(f"National set: {count} pemda generated and checked on this database.")
    print()
    label = f"x {factor:.1f} = 546 pemda (EXTRAPOLATED, linear)" if extrapolated else "546 pemda"
    print(f"| quantity | {count} pemda (measured) | {label} |")
    print("|---|---:|---:|")

    def line(name: str, value: float, fmt: str = ",.0f", scale: bool = True) -> None:
        other = format(value * factor, fmt) if scale else "—"
        print(f"| {name} | {format(value, fmt)} | {other if extrapolated else format(value, fmt)} |")

    line("RKPD sub-kegiatan", sub_kegiatan)
    line("RKPD nodes (program + kegiatan + sub-kegiatan)", rkpd_nodes)
    for name, value in totals.items():
        line(name, value)
    line("database growth, MiB", size / 2**20)
    line("generation, s", generation_total, ",.1f")
    line("generation, RKPD nodes/s", rkpd_nodes / generation_total, ",.0f", scale=False)
    line("ANALYZE after generation, s", analyze_s, ",.1f", scale=False)
    line("checker over every RKPD, s", check_total, ",.1f")
    line("checker, RKPD nodes/s", rkpd_nodes / check_total, ",.0f", scale=False)
    line("findings", findings)
    print()
    decile = max(1, count // 10)
    print(
        f"Generation per pemda: p50 {statistics.median(generation_s):.2f} s, "
        f"p95 {_pct(generation_s, 95):.2f} s; "
        f"mean of the first {decile} {statistics.mean(generation_s[:decile]):.2f} s, of the last {decile} "
        f"{statistics.mean(generation_s[-decile:]):.2f} s."
    )
    print()
    print("| checker per pemda | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    for name, samples in (("load (logframe_input)", load_ms), ("pure check", check_ms), ("total", total_ms)):
        print(f"| {name} | {_pct(samples, 50):.0f} | {_pct(samples, 95):.0f} | {max(samples):.0f} |")
    print()
    print("| pemda in the tables | load ms, RKPD of the first pemda (fastest of 5) | pure check ms |")
    print("|---:|---:|---:|")
    for pemda_count, load, check in probes:
        print(f"| {pemda_count} | {load:.0f} | {check:.0f} |")
    if len(probes) >= 2 and extrapolated:
        slope, intercept = statistics.linear_regression([p[0] for p in probes], [p[1] for p in probes])
        at_full = intercept + slope * NATIONAL_PEMDA
        per_pemda = at_full + _pct(check_ms, 50)
        print()
        print(
            f"Load grows by {slope:.2f} ms per pemda in the tables (least squares over the rows above). "
            f"EXTRAPOLATED with that fit to 546 pemda: load {at_full:,.0f} ms per RKPD, so checking all 546 "
            f"takes about {NATIONAL_PEMDA * per_pemda / 60000:,.0f} min (546 x ({at_full:,.0f} + "
            f"{_pct(check_ms, 50):.0f} ms)), against {check_total * factor / 60:,.0f} min from the plain "
            "linear extrapolation."
        )
    print()
    print(
        f"Peak RSS: {rss_after_generation:.0f} MiB after generation, {_maxrss_mib():.0f} MiB after checking "
        f"(the process keeps no pemda after its turn)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "parts",
        nargs="*",
        metavar="part",
        help=f"what to run, of {' '.join(PARTS)} (default: import check pages)",
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", default="", help=f"overrides --database (sqlite: {SQLITE_PATH})")
    parser.add_argument("--pemda-count", type=int, default=NATIONAL_PEMDA, help="pemda of the national set")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure the import's Python heap peak (an extra dry-run import under tracemalloc, last)",
    )
    args = parser.parse_args()
    parts = args.parts or ["import", "check", "pages"]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part {' '.join(unknown)}; choose from {' '.join(PARTS)}")
    url = _database_url(args)
    _fresh_database(url)
    _setup(url)

    from django.core.management import call_command

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
    exported: Path | None = None
    if {"import", "check", "pages"} & set(parts):
        source = _source(edition, opd_rows)
        if "import" in parts:
            exported = part_import(source, edition, opd_rows)
        if "check" in parts:
            part_check(source)
        if "pages" in parts:
            part_pages(source, edition)
    if "national" in parts:
        part_national(args.pemda_count, edition, opd_rows)
    if exported is not None and args.tracemalloc:
        import_memory(exported, edition)


if __name__ == "__main__":
    main()
