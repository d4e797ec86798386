"""Benchmark of the strategic analysis: a big SWOT workshop, its pages and reports, `rencana calc swot`.

Sizes: a big Bappeda workshop has about 40 factors (10 each of S, W, O and T: 20 in IFAS, 20 in EFAS)
and about 30 participants; a national run is all 546 pemda with about 3 analyses each (1,638).

Data: Kota Pasuruan (35.75) with a planner (role perencana) and a small RPJMD 2025–2029 (visi, 3 misi,
6 tujuan, 12 sasaran) to link strategic issues to. Factors, participants, rounds, submissions, TOWS
strategies and issues are written through `rencana.strategy.services` (validated and audited, as the
pages write them). Participants' answers come from a fixed seed: a "true" importance (2–9) and rating
per factor (S and O rated 3–4, W and T 1–2, Rangkuti's convention), each participant off by up to
±2 in importance and now and then by 1–2 rating points (so some factors are "perlu dibahas"). Raw
answers are typed as a facilitator's participants type them ("5", "3,5"); pairwise judgements are the
nearest Saaty value (1/9 … 9) to the ratio of the participant's two importances.

Scenarios:

1. workshop: one analysis with 40 factors (raw importance numbers), 30 participants (3 with an account
   of the pemda, 27 with a one-time link), a round opened; every participant's complete submission
   saved through `services.submission_save` (latency p50/p95, queries with CaptureQueriesContext),
   then every participant saves changed answers once more (the update path), then `services.round_close`
   (median; 5 times inside a rolled-back transaction, then for real). The same with the pairwise method
   (AHP) at the largest size the code accepts: `workshop.pairwise_weights` takes at most 15 factors
   per matrix (`max(workshop.RANDOM_INDEX)`), so 15 IFAS + 15 EFAS (105 + 105 judgements per
   participant). What a 20 + 20 pairwise workshop (190 + 190 judgements) does is reported as well.
   While the round fills up, the facilitator's status fragment (polled every 5 s) is timed with 0, 1/3,
   2/3 and all participants submitted.
2. pages: Django's test client logged in as the planner, one warm-up then --requests requests each
   (default 20): p50/p95/max, queries, response size. During the open round (30 submissions): analysis
   detail, workshop page, status fragment, a participant's score page; after closing: analysis detail
   (matrix, SWOT diagram, IE matrix), workshop page, TOWS (20 strategies), issues list (30 issues, 25
   scored with the 13-item litmus test, 20 linked to the RPJMD), one issue, report page, XLSX and PDF.
3. calc: `swot.compute` on the 40-factor final matrix, in process, calls per second; the same through
   the `swot` calculator with the JSON parsing and writing of `rencana calc swot`; the command itself
   as a subprocess (start-up included); what 546 x 3 analyses would take.

With --national the tables are first filled with --pemda-count pemda (default 546) x 3 analyses in
bulk (one open, one with an open round and 30 submissions, one closed with its matrix, 20 TOWS
strategies and 30 issues), without audit rows, then ANALYZE; the scenarios then run beside them.

Runs against its own fresh database: the SQLite file var/bench/strategy.sqlite3 (deleted first) or,
with `--database postgres` or a PostgreSQL DATABASE_URL in the environment, a PostgreSQL database
whose name starts with bench_ (default bench_strategy; dropped and created again, and dropped at the
end unless --keep). DEBUG is off.

    .venv/bin/python bench/strategy_bench.py [--quick]
    .venv/bin/python bench/strategy_bench.py --database postgres
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_strategy .venv/bin/python bench/strategy_bench.py
    .venv/bin/python bench/strategy_bench.py --database postgres --national
"""

import argparse
import datetime
import json
import math
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from rencana.planning.models import PlanNode
    from rencana.regions.models import Pemda
    from rencana.strategy.models import Analysis, Factor, Participant

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench" / "strategy.sqlite3"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_strategy"
PEMDA_KODE = "35.75"
NATIONAL_PEMDA = 546
ANALYSES_PER_PEMDA = 3
_PROVINCE_CODES = (
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 71 72 73 74 75 76 81 82 "
    "91 92 93 94 95 96"
)
PROVINCES = tuple(_PROVINCE_CODES.split())
KINDS = ("S", "W", "O", "T")
PER_KIND = 10  # 40 factors: 20 IFAS + 20 EFAS
PARTICIPANTS = 30
USER_PARTICIPANTS = 3  # with an account of the pemda; the others use a one-time link
TOWS_PER_CELL = 5
ISSUES = 30
ISSUES_SCORED = 25
ISSUES_LINKED = 20
CLOSE_RUNS = 5
POLL_SECONDS = 5  # hx-trigger="every 5s" in strategy/workshop.html
SAATY = (
    (Decimal(1) / 9, "1/9"),
    (Decimal(1) / 7, "1/7"),
    (Decimal(1) / 5, "1/5"),
    (Decimal(1) / 3, "1/3"),
    (Decimal(1), "1"),
    (Decimal(3), "3"),
    (Decimal(5), "5"),
    (Decimal(7), "7"),
    (Decimal(9), "9"),
)

FACTOR_TEXTS: dict[str, tuple[str, ...]] = {
    "S": (
        "SDM perencana bersertifikat jabatan fungsional perencana",
        "Data pembangunan daerah tersedia dalam portal Satu Data",
        "Aplikasi perencanaan dan penganggaran dipakai seluruh OPD",
        "Komitmen kepala daerah terhadap perencanaan berbasis kinerja",
        "Forum koordinasi perencanaan lintas OPD berjalan rutin",
        "RPJMD dan Renstra OPD selaras",
        "Kemitraan dengan perguruan tinggi untuk kajian kebijakan",
        "RKPD disusun tepat waktu lima tahun berturut-turut",
        "Monitoring dan evaluasi triwulanan berjalan",
        "Ruang kerja, jaringan dan perangkat TI memadai",
    ),
    "W": (
        "Indikator kinerja OPD belum SMART",
        "Jumlah analis kebijakan dan perencana masih kurang",
        "Data sektoral sering terlambat dan tidak seragam",
        "Keterkaitan program dengan sasaran RPJMD lemah",
        "Anggaran kajian dan penelitian terbatas",
        "Hasil evaluasi belum dipakai untuk perencanaan berikutnya",
        "Rotasi pegawai tinggi sehingga pengetahuan hilang",
        "Musrenbang didominasi usulan fisik jangka pendek",
        "Koordinasi dengan pemerintah desa/kelurahan belum optimal",
        "Sistem informasi antar-OPD belum saling terhubung",
    ),
    "O": (
        "Kebijakan Satu Data Indonesia dan SPBE nasional",
        "Dana insentif fiskal berbasis kinerja",
        "Dukungan program pemerintah provinsi dan pusat",
        "Minat investasi swasta di kawasan industri",
        "Partisipasi masyarakat dan media sosial yang tinggi",
        "Kerja sama antardaerah dalam kawasan metropolitan",
        "Data statistik BPS yang makin rinci",
        "Program tanggung jawab sosial perusahaan di daerah",
        "Perkembangan teknologi digital",
        "Bonus demografi: penduduk usia produktif meningkat",
    ),
    "T": (
        "Regulasi perencanaan dari pusat sering berubah",
        "Dana transfer ke daerah menurun",
        "Risiko bencana banjir dan rob",
        "Tuntutan publik akan layanan yang cepat",
        "Kepentingan politik dalam penentuan program",
        "Inflasi dan kenaikan harga bahan pokok",
        "Alih fungsi lahan pertanian",
        "Persaingan investasi dengan daerah tetangga",
        "Serangan siber terhadap sistem informasi pemerintah",
        "Urbanisasi menekan layanan perkotaan",
    ),
}
TOWS_TEXTS = {
    "SO": "Manfaatkan {a} untuk meraih {b}",
    "WO": "Atasi {a} dengan memanfaatkan {b}",
    "ST": "Gunakan {a} untuk menghadapi {b}",
    "WT": "Kurangi {a} dan hindari {b}",
}


# --- environment (as bench/planning_bench.py and bench/monev_bench.py) --------------------------------


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


def _pct(samples: Sequence[float], q: int) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def _queries_text(counts: Sequence[int]) -> str:
    """The query count, or its range when it varied between runs."""
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
        return cells + (f" {self.size / 1024:,.0f} |" if size else "")


def _captured(call: Callable[[], Any]) -> tuple[Any, float, float, int]:
    """The result of `call`, its wall and CPU time in ms, its number of queries (CaptureQueriesContext)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started, started_cpu = time.perf_counter(), time.process_time()
        result = call()
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - started_cpu) * 1000
    return result, elapsed, cpu, len(captured.captured_queries)


def _page(client: Any, label: str, url: str, requests: int) -> Samples:
    """`requests` GETs after one warm-up (template compilation is not counted)."""
    samples = Samples(label)
    for run in range(requests + 1):
        response, elapsed, cpu, queries = _captured(lambda: client.get(url))
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


# --- data -------------------------------------------------------------------------------------------


@dataclass
class World:
    pemda: "Pemda"
    planner: Any
    nodes: list["PlanNode"]  # RPJMD tujuan and sasaran, to link issues to
    usernames: int = 0

    def user(self, prefix: str) -> Any:
        from django.contrib.auth import get_user_model

        from rencana.accounts.services import role_assign
        from rencana.core.roles import Role

        self.usernames += 1
        user = get_user_model().objects.create_user(
            username=f"{prefix}-{self.usernames}", password="bench-sandi-123"
        )
        role_assign(actor=None, user=user, pemda=self.pemda, role=Role.PERENCANA)
        return user


def _region_and_pemda(kode: str, nama: str, jenis: str) -> "Pemda":
    from rencana.regions.models import Pemda, Region

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
            "level": jenis,
            "parent_id": province,
            "nama_cari": nama.lower().removeprefix("kota ").removeprefix("kabupaten "),
            "edisi": "2025",
        },
    )
    return Pemda.objects.create(kode=kode, region=region, nama=nama, jenis=jenis, tahun_anggaran=2026)


def _world() -> World:
    from django.db import transaction

    from rencana.planning import services as plan_services
    from rencana.planning.models import PlanNode

    with transaction.atomic():
        pemda = _region_and_pemda(PEMDA_KODE, "Kota Pasuruan", "kota")
        world = World(pemda=pemda, planner=None, nodes=[])
        world.planner = world.user("perencana")
        rpjmd = plan_services.document_create(actor=None, pemda=pemda, jenis="RPJMD", tahun_mulai=2025)

        def node(jenis: str, kode: str, nama: str, urutan: int, induk: PlanNode | None) -> PlanNode:
            return PlanNode.objects.create(
                pemda=pemda, dokumen=rpjmd, jenis=jenis, kode=kode, nama=nama, urutan=urutan, induk=induk
            )

        visi = node("visi", "", "Kota Pasuruan maju, sejahtera dan berkelanjutan", 1, None)
        for m in range(1, 4):
            misi = node("misi", f"{m}", f"Misi {m}: pembangunan daerah bidang {m}", m, visi)
            for t in range(1, 3):
                tujuan = node("tujuan", f"{m}.{t}", f"Meningkatnya kinerja bidang {m}.{t}", t, misi)
                world.nodes.append(tujuan)
                for s in range(1, 3):
                    world.nodes.append(
                        node("sasaran", f"{m}.{t}.{s}", f"Meningkatnya capaian {m}.{t}.{s}", s, tujuan)
                    )
    return world


def _factor_inputs(per_kind: dict[str, int]) -> list[Any]:
    from rencana.strategy import services

    inputs = []
    for kind in KINDS:
        for i in range(per_kind[kind]):
            text = FACTOR_TEXTS[kind][i % len(FACTOR_TEXTS[kind])]
            inputs.append(
                services.FactorInput(
                    jenis=kind,
                    faktor=text if i < len(FACTOR_TEXTS[kind]) else f"{text} ({i + 1})",
                    penjelasan=(
                        f"{text}. Dibahas dalam rapat tim perencana; lihat profil internal (SAP) dan "
                        "eksternal (ETOP) dalam naskah akademik analisis."
                    ),
                    bukti="LKjIP 2025, Bab III; Satu Data kota, tabel indikator kinerja utama.",
                )
            )
    return inputs


@dataclass
class Truth:
    importance: dict[str, int]
    rating: dict[str, int]


def _truth(factors: Sequence["Factor"], rng: random.Random) -> Truth:
    return Truth(
        importance={f.kode: rng.randint(2, 9) for f in factors},
        rating={f.kode: rng.choice((3, 4)) if f.jenis in ("S", "O") else rng.choice((1, 2)) for f in factors},
    )


def _saaty(ratio: float) -> str:
    return min(SAATY, key=lambda item: abs(math.log(float(item[0])) - math.log(ratio)))[1]


def _score_input(
    factors: Sequence["Factor"], truth: Truth, rng: random.Random, *, pairwise: bool
) -> tuple[Any, int]:
    """One participant's complete form; and the number of pairwise judgements in it."""
    from rencana.strategy import services

    importance = {k: max(1, v + rng.randint(-2, 2)) for k, v in truth.importance.items()}
    mentah: dict[str, str] = {}
    rating: dict[str, str] = {}
    for f in factors:
        mentah[f.kode] = f"{importance[f.kode]},5" if rng.random() < 0.15 else str(importance[f.kode])
        shift = rng.choices((0, 1, -1, 2, -2), weights=(70, 12, 12, 3, 3))[0]
        rating[f.kode] = str(min(4, max(1, truth.rating[f.kode] + shift)))
    pairs: dict[str, str] = {}
    if pairwise:
        for kinds in (("S", "W"), ("O", "T")):
            group = [f for f in factors if f.jenis in kinds]
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    pairs[f"{a.kode}|{b.kode}"] = _saaty(importance[a.kode] / importance[b.kode])
        mentah = {}
    return services.ScoreInput(mentah=mentah, rating=rating, berpasangan=pairs), len(pairs)


def _analysis(world: World, judul: str, method: str) -> "Analysis":
    from rencana.strategy import services

    return services.analysis_create(
        actor=world.planner,
        pemda=world.pemda,
        data=services.AnalysisInput(
            judul=judul,
            tanggal=datetime.date(2026, 11, 20),
            ruang_lingkup="Lingkungan internal Bappeda dan lingkungan eksternal pemerintah kota.",
            fasilitator="Bidang Penelitian dan Pengembangan Bappeda",
            metode_bobot=method,
        ),
    )


def _add_factors(world: World, analysis: "Analysis", per_kind: dict[str, int]) -> list["Factor"]:
    from rencana.strategy import services

    for data in _factor_inputs(per_kind):
        services.factor_create(actor=world.planner, analysis=analysis, data=data)
    return services.factors_of(analysis)


def _add_participants(world: World, analysis: "Analysis", count: int) -> list["Participant"]:
    from rencana.strategy import services

    people = []
    for i in range(count):
        user = world.user("peserta") if i < USER_PARTICIPANTS else None
        participant, _token = services.participant_add(
            actor=world.planner,
            analysis=analysis,
            nama=f"Peserta {i + 1:02d}",
            instansi=("Bappeda", "Dinas Kominfo", "BPKPD", "Dinas PUPR", "Inspektorat", "Akademisi")[i % 6],
            user=user,
        )
        people.append(participant)
    return people


def _fresh(analysis: "Analysis") -> "Analysis":
    from rencana.strategy import access

    return access.get_analysis(analysis.pemda, analysis.pk)


# --- scenario 1: the workshop ----------------------------------------------------------------------


@dataclass
class WorkshopRun:
    label: str
    analysis: "Analysis"
    participants: list["Participant"]
    factors: int
    judgements: int
    first: Samples
    again: Samples
    close: Samples
    status: list[tuple[int, Samples]]  # (participants submitted, status fragment)
    final_note: str


def _status_url(analysis: "Analysis") -> str:
    from django.urls import reverse

    return reverse(
        "strategy:workshop_status", kwargs={"kode": analysis.pemda.kode, "analysis_id": analysis.pk}
    )


def run_workshop(
    world: World,
    client: Any,
    *,
    label: str,
    method: str,
    per_kind: dict[str, int],
    participants: int,
    requests: int,
    seed: int,
) -> WorkshopRun:

    from rencana.strategy import services
    from rencana.strategy.models import Participant, Round, Submission, WeightMethod

    rng = random.Random(seed)
    pairwise = method == WeightMethod.PAIRWISE
    analysis = _analysis(world, f"Lokakarya SWOT Bappeda 2026 ({label})", method)
    factors = _add_factors(world, analysis, per_kind)
    people = _add_participants(world, analysis, participants)
    analysis = _fresh(analysis)
    rnd = services.round_open(actor=world.planner, analysis=analysis, expected_version=analysis.version)
    truth = _truth(factors, rng)
    forms = [_score_input(factors, truth, rng, pairwise=pairwise) for _ in people]
    judgements = forms[0][1]
    checkpoints = sorted({0, round(participants / 3), round(2 * participants / 3), participants})
    url = _status_url(analysis)
    status: list[tuple[int, Samples]] = []
    first = Samples(f"{label}: first save")
    for index, person in enumerate([*people, None]):
        if index in checkpoints:
            short = label.split()[0]
            status.append((index, _page(client, f"{short}: status, {index} submitted", url, requests)))
        if person is None:
            break
        # As in the score view: the participant and the open round are read per request.
        participant = Participant.objects.select_related("analisis", "user").get(pk=person.pk)
        current = Round.objects.get(pk=rnd.pk)
        data = forms[index][0]
        _result, ms, cpu, queries = _captured(
            partial(
                services.submission_save,
                participant=participant,
                rnd=current,
                data=data,
                expected_version=None,
            )
        )
        first.add(ms, cpu, queries)
    # Everyone changes their answers once (the update path: version check, audit of before and after).
    again = Samples(f"{label}: save again (update)")
    for person in people:
        participant = Participant.objects.select_related("analisis", "user").get(pk=person.pk)
        current = Round.objects.get(pk=rnd.pk)
        version = Submission.objects.get(putaran=current, peserta=participant).version
        data, _n = _score_input(factors, truth, rng, pairwise=pairwise)
        _result, ms, cpu, queries = _captured(
            partial(
                services.submission_save,
                participant=participant,
                rnd=current,
                data=data,
                expected_version=version,
            )
        )
        again.add(ms, cpu, queries)
    return WorkshopRun(
        label=label,
        analysis=analysis,
        participants=people,
        factors=len(factors),
        judgements=judgements,
        first=first,
        again=again,
        close=Samples(f"{label}: round_close"),
        status=status,
        final_note="",
    )


def close_workshop(world: World, run: WorkshopRun) -> None:
    """`round_close` CLOSE_RUNS times inside a rolled-back transaction, then once for real."""
    from django.db import transaction

    from rencana.strategy import services

    for attempt in range(CLOSE_RUNS + 1):
        analysis = _fresh(run.analysis)
        real = attempt == CLOSE_RUNS
        with transaction.atomic():
            rnd, ms, cpu, queries = _captured(
                partial(
                    services.round_close,
                    actor=world.planner,
                    analysis=analysis,
                    expected_version=analysis.version,
                    method=analysis.metode_agregasi,
                )
            )
            if not real:
                transaction.set_rollback(True)
        run.close.add(ms, cpu, queries)
    analysis = _fresh(run.analysis)
    result, _problems = services.matrix_result(services.factors_of(analysis))
    final = services.aggregate_round(analysis, rnd)
    discuss = sum(1 for f in final.factors if f.disagreement.perlu_dibahas) if final is not None else 0
    if result is not None:
        run.final_note = (
            f"{run.label}: closed with the {analysis.metode_agregasi}; IFAS {result.ifas.total:.2f}, "
            f"EFAS {result.efas.total:.2f}, quadrant {result.quadrant}, IE cell {result.ie_matrix_cell}; "
            f"{discuss} of {run.factors} factors marked perlu dibahas."
        )
    run.analysis = analysis


def pairwise_limit(world: World, client_factory: Callable[[], Any]) -> list[str]:
    """What a 20 + 20 pairwise workshop does: the service, and the participant's score page."""
    from django.urls import reverse

    from rencana.strategy import services
    from rencana.strategy.models import Round, WeightMethod

    analysis = _analysis(world, "Lokakarya berpasangan 20 + 20", WeightMethod.PAIRWISE)
    factors = _add_factors(world, analysis, dict.fromkeys(KINDS, PER_KIND))
    people = _add_participants(world, analysis, 1)
    analysis = _fresh(analysis)
    try:
        rnd = services.round_open(actor=world.planner, analysis=analysis, expected_version=analysis.version)
    except Exception as exc:
        return [f"20 + 20 factors, pairwise: round_open refused the round: {type(exc).__name__}: {exc}"]
    data, judgements = _score_input(
        factors, _truth(factors, random.Random(7)), random.Random(8), pairwise=True
    )
    lines = [
        f"20 + 20 factors, pairwise: round_open accepted it; a complete form has {judgements} judgements."
    ]
    try:
        services.submission_save(
            participant=people[0], rnd=Round.objects.get(pk=rnd.pk), data=data, expected_version=None
        )
        lines.append("services.submission_save accepted it.")
    except Exception as exc:
        lines.append(f"services.submission_save raised {type(exc).__module__}.{type(exc).__name__}: {exc}")
    client = client_factory()
    assert people[0].user is not None
    client.force_login(people[0].user)
    url = reverse("strategy:score", kwargs={"participant_id": people[0].pk})
    page = client.get(url)
    form = {f"rating_{k}": v for k, v in data.rating.items()}
    form.update({f"pair_{k}": v for k, v in data.berpasangan.items()})
    response = client.post(url, form)  # the test client does not check CSRF
    lines.append(
        f"The participant's score page: GET HTTP {page.status_code}; POST of the complete form "
        f"HTTP {response.status_code}."
    )
    return lines


# --- scenario 2: the pages ---------------------------------------------------------------------------


def _urls(analysis: "Analysis") -> dict[str, str]:
    from django.urls import reverse

    kwargs = {"kode": analysis.pemda.kode, "analysis_id": analysis.pk}
    names = ("detail", "workshop", "workshop_status", "tows", "issues", "report", "report_xlsx", "report_pdf")
    return {name: reverse(f"strategy:{name}", kwargs=kwargs) for name in names}


def add_tows_and_issues(world: World, analysis: "Analysis", rng: random.Random) -> None:
    from rencana.strategy import services
    from rencana.strategy.models import StrategicIssue

    factors = services.factors_of(analysis)
    by_kind = {k: [f for f in factors if f.jenis == k] for k in KINDS}
    strategies = []
    for cell in ("SO", "WO", "ST", "WT"):
        first, second = cell[0], cell[1]
        for i in range(TOWS_PER_CELL):
            chosen = [*rng.sample(by_kind[first], 2), *rng.sample(by_kind[second], rng.randint(1, 2))]
            text = TOWS_TEXTS[cell].format(a=chosen[0].faktor.lower(), b=chosen[-1].faktor.lower())
            strategies.append(
                services.tows_create(
                    actor=world.planner,
                    analysis=analysis,
                    sel=cell,
                    teks=f"{text} (strategi {cell}-{i + 1}).",
                    factor_ids=[f.pk for f in chosen],
                    terpilih=i == 0,
                )
            )
    items, _bands = services.litmus_config(analysis)
    for i in range(ISSUES):
        strategy = strategies[i % len(strategies)] if i < len(strategies) else None
        issue = services.issue_create(
            actor=world.planner,
            analysis=analysis,
            pertanyaan=(
                f"Bagaimana pemerintah kota {('meningkatkan', 'menjaga', 'memperbaiki')[i % 3]} "
                f"kualitas perencanaan dan layanan di bidang {i + 1} dalam lima tahun ke depan?"
            ),
            kaitan_visi_misi=f"Misi {i % 3 + 1}: tata kelola dan layanan publik.",
            strategi_id=strategy.pk if strategy is not None else None,
        )
        if i < ISSUES_SCORED:
            services.issue_score(
                actor=world.planner,
                issue=issue,
                expected_version=issue.version,
                answers={item.kode: str(rng.randint(1, 3)) for item in items},
            )
        if i < ISSUES_LINKED:
            issue.refresh_from_db()
            services.issue_link(
                actor=world.planner, issue=issue, node_ids=[n.pk for n in rng.sample(world.nodes, 2)]
            )
    StrategicIssue.objects.filter(analisis=analysis, urutan__lte=6).update(terpilih=True)


def _score_url(participant: "Participant") -> str:
    from django.urls import reverse

    return reverse("strategy:score", kwargs={"participant_id": participant.pk})


def _participant_client(person: "Participant") -> Any:
    from django.test import Client

    assert person.user is not None  # the first USER_PARTICIPANTS have an account
    client = Client()
    client.force_login(person.user)
    return client


# --- scenario 3: the calculator ----------------------------------------------------------------------


def part_calc(analysis: "Analysis", database_url: str, calls: int) -> None:
    from rencana.core import calculators
    from rencana.strategy import services, swot

    factors = services.pure_factors(services.factors_of(analysis))
    payload = json.dumps(
        {
            "faktor": [
                {
                    "jenis": f.jenis,
                    "kode": f.kode,
                    "faktor": f.faktor,
                    "bobot": float(f.bobot),
                    "rating": f.rating,
                }
                for f in factors
                if f.bobot is not None
            ]
        },
        ensure_ascii=False,
    )
    calculators.discover()
    calculator = calculators.get_calculator("swot")
    assert calculator is not None

    def via_calc() -> str:
        data = json.loads(payload, parse_float=Decimal)
        return json.dumps(calculator.function(data), ensure_ascii=False, default=calculators.json_default)

    print()
    print(
        f"| in process, {len(factors)} factors | calls | p50 µs | p95 µs | calls/s | calls per CPU s "
        f"| {NATIONAL_PEMDA} x {ANALYSES_PER_PEMDA} = {NATIONAL_PEMDA * ANALYSES_PER_PEMDA:,} analyses, s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    outputs: dict[str, Any] = {}
    for label, call in (
        ("`swot.compute`", lambda: swot.compute(factors)),
        ("`swot.compute` + `swot.result_json`", lambda: swot.result_json(swot.compute(factors))),
        ("`rencana calc swot` in process: JSON in, calculator, JSON out", via_calc),
    ):
        for _ in range(max(10, calls // 20)):  # warm-up
            outputs[label] = call()
        samples: list[float] = []
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(calls):
            t0 = time.perf_counter()
            call()
            samples.append((time.perf_counter() - t0) * 1e6)
        rate = calls / (time.perf_counter() - started)
        cpu_rate = calls / (time.process_time() - started_cpu)
        print(
            f"| {label} | {calls:,} | {_pct(samples, 50):,.0f} | {_pct(samples, 95):,.0f} | {rate:,.0f} "
            f"| {cpu_rate:,.0f} | {NATIONAL_PEMDA * ANALYSES_PER_PEMDA / rate:,.2f} |"
        )
    rencana = shutil.which("rencana", path=str(Path(sys.executable).parent)) or "rencana"
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0"}
    runs: list[float] = []
    out = ""
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run(
            [rencana, "calc", "swot"], input=payload, capture_output=True, text=True, env=env, check=False
        )
        runs.append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            print(f"\n`rencana calc swot`: exit {done.returncode}: {done.stderr.strip()[:300]}")
            return
        out = done.stdout.strip()
    same = json.loads(out) == json.loads(
        outputs["`rencana calc swot` in process: JSON in, calculator, JSON out"]
    )
    print()
    print(
        f"`rencana calc swot` as a subprocess (interpreter and Django start-up included): median "
        f"{statistics.median(runs):,.0f} ms of 3; output {'equal to' if same else 'DIFFERENT from'} the "
        f"in-process call. Result: {out}"
    )


# --- the national tables (optional) -----------------------------------------------------------------


def _national_codes(count: int) -> list[str]:
    codes = [f"{p}.{k:02d}" for k in range(20, 100) for p in PROVINCES]
    if count > len(codes):
        sys.exit(f"At most {len(codes)} pemda.")
    return sorted(codes[:count])


def national_fill(count: int, participants: int) -> None:
    """`count` pemda x 3 analyses, written in bulk (no audit rows); see the module docstring."""
    from django.db import transaction

    from rencana.regions.models import Pemda, Region
    from rencana.strategy.models import (
        Analysis,
        AnalysisStatus,
        Factor,
        Participant,
        Round,
        StrategicIssue,
        Submission,
        TowsStrategy,
    )
    from rencana.strategy.services import default_litmus

    rng = random.Random(546)
    litmus_config = default_litmus()
    litmus_codes = [item["kode"] for item in litmus_config["items"]]
    weight = f"{Decimal(1) / (2 * PER_KIND):.4f}"  # equal weights within each matrix: 0.0500
    size_before = _database_bytes()
    started_all = time.perf_counter()
    codes = _national_codes(count)
    batch = 25
    for start in range(0, len(codes), batch):
        with transaction.atomic():
            chunk = codes[start : start + batch]
            for province in sorted({c.split(".")[0] for c in chunk}):
                Region.objects.get_or_create(
                    kode=province,
                    defaults={
                        "nama": f"Provinsi {province}",
                        "level": "provinsi",
                        "nama_cari": province,
                        "edisi": "2025",
                    },
                )
            regions = Region.objects.bulk_create(
                Region(
                    kode=c,
                    nama=f"Kabupaten Uji {c}",
                    level="kabupaten",
                    parent_id=c.split(".")[0],
                    nama_cari=f"uji {c}",
                    edisi="2025",
                )
                for c in chunk
            )
            pemdas = Pemda.objects.bulk_create(
                Pemda(kode=r.kode, region=r, nama=r.nama, jenis="kabupaten", tahun_anggaran=2026)
                for r in regions
            )
            statuses = (AnalysisStatus.OPEN, AnalysisStatus.SCORING, AnalysisStatus.CLOSED)
            analyses = Analysis.objects.bulk_create(
                Analysis(
                    pemda=p,
                    judul=f"Analisis strategis {p.nama} ({s})",
                    tanggal=datetime.date(2026, 1 + i * 4, 10),
                    fasilitator="Bappeda",
                    status=s,
                    litmus=litmus_config,
                )
                for p in pemdas
                for i, s in enumerate(statuses)
            )
            factors = Factor.objects.bulk_create(
                Factor(
                    pemda_id=a.pemda_id,
                    analisis=a,
                    jenis=kind,
                    kode=f"{kind}{i + 1}",
                    faktor=FACTOR_TEXTS[kind][i % len(FACTOR_TEXTS[kind])],
                    penjelasan="Dibahas dalam rapat tim perencana.",
                    urutan=i + 1,
                    bobot=Decimal(weight) if a.status == AnalysisStatus.CLOSED else None,
                    rating=rng.randint(1, 4) if a.status == AnalysisStatus.CLOSED else None,
                )
                for a in analyses
                for kind in KINDS
                for i in range(PER_KIND)
            )
            with_rounds = [a for a in analyses if a.status != AnalysisStatus.OPEN]
            people = Participant.objects.bulk_create(
                Participant(pemda_id=a.pemda_id, analisis=a, nama=f"Peserta {i + 1:02d}", instansi="Bappeda")
                for a in with_rounds
                for i in range(participants)
            )
            now = datetime.datetime.now(tz=datetime.UTC)
            rounds = Round.objects.bulk_create(
                Round(
                    pemda_id=a.pemda_id,
                    analisis=a,
                    nomor=1,
                    ditutup=now if a.status == AnalysisStatus.CLOSED else None,
                    metode_agregasi="median" if a.status == AnalysisStatus.CLOSED else "",
                )
                for a in with_rounds
            )
            round_of = {r.analisis_id: r for r in rounds}
            kodes = [f"{kind}{i + 1}" for kind in KINDS for i in range(PER_KIND)]
            Submission.objects.bulk_create(
                (
                    Submission(
                        pemda_id=p.pemda_id,
                        putaran=round_of[p.analisis_id],
                        peserta=p,
                        skor={
                            k: {
                                "mentah": str(rng.randint(1, 9)),
                                "bobot": weight,
                                "rating": rng.randint(1, 4),
                            }
                            for k in kodes
                        },
                        selesai=True,
                    )
                    for p in people
                ),
                batch_size=500,
            )
            closed = [a for a in analyses if a.status == AnalysisStatus.CLOSED]
            strategies = TowsStrategy.objects.bulk_create(
                TowsStrategy(
                    pemda_id=a.pemda_id, analisis=a, sel=cell, teks=f"Strategi {cell}-{i + 1}", urutan=i + 1
                )
                for a in closed
                for cell in ("SO", "WO", "ST", "WT")
                for i in range(TOWS_PER_CELL)
            )
            factor_ids: dict[tuple[int, str], int] = {(f.analisis_id, f.kode): f.pk for f in factors}
            through = TowsStrategy.faktor.through
            through.objects.bulk_create(
                through(
                    towsstrategy_id=s.pk, factor_id=factor_ids[(s.analisis_id, f"{kind}{rng.randint(1, 10)}")]
                )
                for s in strategies
                for kind in s.sel
            )
            StrategicIssue.objects.bulk_create(
                StrategicIssue(
                    pemda_id=a.pemda_id,
                    analisis=a,
                    pertanyaan=f"Bagaimana meningkatkan layanan bidang {i + 1}?",
                    litmus={k: rng.randint(1, 3) for k in litmus_codes},
                    urutan=i + 1,
                )
                for a in closed
                for i in range(ISSUES)
            )
        done = min(start + batch, len(codes))
        print(
            f"  national set: {done}/{len(codes)} pemda, {time.perf_counter() - started_all:.0f} s",
            file=sys.stderr,
        )
    seconds = time.perf_counter() - started_all
    analyze_s = _analyze()
    size = _database_bytes() - size_before
    print()
    print(
        f"National tables: {count} pemda x {ANALYSES_PER_PEMDA} analyses written in bulk in {seconds:.0f} s "
        f"(ANALYZE {analyze_s:.1f} s), {size / 2**20:,.0f} MiB: {Analysis.objects.count():,} analyses, "
        f"{Factor.objects.count():,} factors, {Participant.objects.count():,} participants, "
        f"{Submission.objects.count():,} submissions, {TowsStrategy.objects.count():,} TOWS strategies, "
        f"{StrategicIssue.objects.count():,} issues."
    )


# --- main ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="10 participants, 5 requests per page, fewer calls"
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--database-url",
        default="",
        help=f"overrides --database (sqlite: {SQLITE_PATH}; a PostgreSQL DATABASE_URL in the "
        "environment is used when neither is given)",
    )
    parser.add_argument(
        "--participants", type=int, default=0, help=f"default {PARTICIPANTS} (10 with --quick)"
    )
    parser.add_argument(
        "--requests", type=int, default=0, help="requests per page (default 20, 5 with --quick)"
    )
    parser.add_argument("--national", action="store_true", help="fill the national tables first")
    parser.add_argument(
        "--pemda-count", type=int, default=NATIONAL_PEMDA, help="pemda of the national tables"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database at the end")
    args = parser.parse_args()
    participants = args.participants or (10 if args.quick else PARTICIPANTS)
    requests = args.requests or (5 if args.quick else 20)
    calls = 300 if args.quick else 3000
    url = _database_url(args)
    _fresh_database(url)
    _setup(url)

    from django.core.management import call_command
    from django.test import Client

    from rencana.strategy import workshop
    from rencana.strategy.models import WeightMethod

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    for line in _machine():
        print(line)
    print(
        f"Migrate {migrate_s:.1f} s. {participants} participants, {requests} requests per page"
        f"{', national tables' if args.national else ''}{', --quick' if args.quick else ''}."
    )
    try:
        if args.national:
            national_fill(args.pemda_count if not args.quick else min(args.pemda_count, 20), participants)
        world = _world()
        client = Client()
        client.force_login(world.planner)
        most = max(workshop.RANDOM_INDEX)
        runs = [
            run_workshop(
                world,
                client,
                label="raw 20+20",
                method=WeightMethod.RAW,
                per_kind=dict.fromkeys(KINDS, PER_KIND),
                participants=participants,
                requests=requests,
                seed=2026,
            ),
            run_workshop(
                world,
                client,
                label=f"pairwise {most}+{most}",
                method=WeightMethod.PAIRWISE,
                per_kind={"S": (most + 1) // 2, "W": most // 2, "O": (most + 1) // 2, "T": most // 2},
                participants=participants,
                requests=requests,
                seed=2027,
            ),
        ]

        # Pages during the open round (every participant has submitted).
        open_pages: list[Samples] = []
        for run in runs:
            urls = _urls(run.analysis)
            short = run.label.split()[0]
            open_pages += [
                _page(client, f"{short}: analysis detail (round open)", urls["detail"], requests),
                _page(client, f"{short}: workshop page (round open)", urls["workshop"], requests),
                _page(client, f"{short}: status fragment (round open)", urls["workshop_status"], requests),
                _page(
                    _participant_client(run.participants[0]),
                    f"{short}: a participant's score page",
                    _score_url(run.participants[0]),
                    requests,
                ),
            ]
        for run in runs:
            close_workshop(world, run)

        print()
        print("## 1. Workshop")
        for run in runs:
            print(
                f"{run.label}: {run.factors} factors, {len(run.participants)} participants"
                + (f", {run.judgements} pairwise judgements per participant" if run.judgements else "")
                + "."
            )
        _print_table("service call", [s for run in runs for s in (run.first, run.again, run.close)])
        print()
        print("Status fragment while the round fills up (facilitator's browser polls it every 5 s):")
        _print_table("status fragment", [s for run in runs for _n, s in run.status], size=True)
        for run in runs:
            if run.status:
                first_n, first_s = run.status[0]
                last_n, last_s = run.status[-1]
                print(
                    f"{run.label}: queries {_queries_text(first_s.queries)} with {first_n} submitted, "
                    f"{_queries_text(last_s.queries)} with {last_n}; p50 {_pct(first_s.ms, 50):,.0f} → "
                    f"{_pct(last_s.ms, 50):,.0f} ms."
                )
        print()
        for run in runs:
            print(run.final_note)
        print()
        for line in pairwise_limit(world, lambda: Client(raise_request_exception=False)):
            print(line)

        # Pages after closing, on the raw workshop with TOWS and issues.
        raw = runs[0]
        add_tows_and_issues(world, raw.analysis, random.Random(30))
        urls = _urls(raw.analysis)
        from rencana.strategy.models import StrategicIssue

        issue = StrategicIssue.objects.filter(analisis=raw.analysis).order_by("urutan").first()
        assert issue is not None
        closed_pages = [
            _page(client, "raw: analysis detail (closed, matrix + diagrams)", urls["detail"], requests),
            _page(client, "raw: workshop page (closed round)", urls["workshop"], requests),
            _page(client, f"raw: TOWS ({4 * TOWS_PER_CELL} strategies)", urls["tows"], requests),
            _page(client, f"raw: issues list ({ISSUES} issues)", urls["issues"], requests),
            _page(client, "raw: one issue (litmus, RPJMD links)", f"{urls['issues']}{issue.pk}/", requests),
            _page(client, "raw: report page", urls["report"], requests),
            _page(client, "raw: report XLSX", urls["report_xlsx"], requests),
            _page(client, "raw: report PDF", urls["report_pdf"], requests),
            _page(client, "pairwise: analysis detail (closed)", _urls(runs[1].analysis)["detail"], requests),
        ]
        print()
        print("## 2. Pages (test client, logged in as the planner)")
        _print_table("page", [*open_pages, *closed_pages], size=True)
        status = next(s for s in open_pages if s.label.startswith("raw: status"))
        p50 = _pct(status.ms, 50)
        print()
        print(
            f"Polling: every open workshop page asks for the status fragment every {POLL_SECONDS} s, "
            f"so N open facilitator pages make N/{POLL_SECONDS} requests/s; at the raw workshop's p50 of "
            f"{p50:,.0f} ms that keeps N x {p50 / POLL_SECONDS / 1000:.3f} cores busy, i.e. one core per "
            f"{POLL_SECONDS * 1000 / p50:,.0f} open pages."
        )
        print()
        print("| open workshop pages N | requests/s | cores busy at the measured p50 |")
        print("|---:|---:|---:|")
        for n in (1, 10, 50, 100, NATIONAL_PEMDA):
            print(f"| {n} | {n / POLL_SECONDS:,.1f} | {n / POLL_SECONDS * p50 / 1000:,.2f} |")

        print()
        print("## 3. `rencana calc swot`")
        part_calc(raw.analysis, url, calls)
        print()
        print(f"Peak RSS {_maxrss_mib():,.0f} MiB. Load average at the end {os.getloadavg()[0]:.2f}.")
    finally:
        if not args.keep:
            _drop_database(url)


if __name__ == "__main__":
    main()
