"""Benchmark of the region list: loading the Kemendagri editions and searching 91,599 regions.

Data: the shipped editions (Kepmendagri 300.2.2-2138/2025 and 100.1.1-6117/2022, see
rencana/regions/data/PROVENANCE.md). Runs against its own database (a SQLite file under
var/bench/ by default, or --database-url), migrates it, empties the region tables, then times:

1. `regions_load` 2025 into empty tables, again (idempotent), 2022, and 2025 again;
2. >= 1,000 `region_search` calls with a fixed-seed mix of code prefixes (1 to 13 characters),
   common and rare names, name prefixes and multiword queries (p50/p95/p99, throughput);
3. the public page /wilayah/?q= and the API /api/v1/wilayah?q= through Django's test client.

    .venv/bin/python bench/regions_bench.py
    .venv/bin/python bench/regions_bench.py --database-url postgres://postgres@127.0.0.1:5432/bench_regions
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencana.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _percentiles(samples_ms: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def _queries(count: int, seed: int) -> list[str]:
    """A realistic mix, drawn from the 2025 file with a fixed seed so runs are comparable."""
    from rencana.regions import editions

    rng = random.Random(seed)
    rows = editions.read_edition("2025")
    by_level: dict[str, list[editions.RegionRow]] = {}
    for row in rows:
        by_level.setdefault(row.level, []).append(row)
    word_counts = Counter(word for row in rows for word in editions.tokens(row.nama_cari))
    common = [w for w, _n in word_counts.most_common(60) if len(w) > 2]
    rare = [w for w, n in word_counts.items() if n == 1 and len(w) > 4]
    kabkota = by_level["kabupaten"] + by_level["kota"]
    villages = by_level["desa"] + by_level["kelurahan"]

    def code_prefix() -> str:
        kode = rng.choice(rows).kode
        return kode[: rng.choice([1, 2, 4, 5, 7, 8, 10, 13])].rstrip(".") or kode[:2]

    def kab_kota_name() -> str:
        return rng.choice(kabkota).nama.strip()

    def name_prefix() -> str:
        word = rng.choice(common + rare)
        return word[: rng.randint(2, max(2, len(word)))]

    def multiword() -> str:
        row = rng.choice(villages + by_level["kecamatan"])
        words = editions.tokens(row.nama_cari)
        return " ".join(words[:2]) if len(words) > 1 else f"{words[0]} {rng.choice(common)}"

    makers: list[tuple[float, Callable[[], str]]] = [
        (0.25, code_prefix),
        (0.20, lambda: rng.choice(common)),
        (0.15, lambda: rng.choice(rare)),
        (0.15, kab_kota_name),
        (0.10, name_prefix),
        (0.15, multiword),
    ]
    weights = [w for w, _f in makers]
    return [rng.choices(makers, weights)[0][1]() for _ in range(count)]


def _time_calls(call: Callable[[str], object], queries: list[str]) -> tuple[list[float], float]:
    samples: list[float] = []
    started = time.perf_counter()
    for q in queries:
        t0 = time.perf_counter()
        call(q)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples, time.perf_counter() - started


def _report(label: str, samples: list[float], seconds: float) -> None:
    p50, p95, p99 = _percentiles(samples)
    print(
        f"| {label} | {len(samples)} | {p50:.2f} | {p95:.2f} | {p99:.2f} | {max(samples):.1f} "
        f"| {len(samples) / seconds:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench' / 'regions.sqlite3'}")
    parser.add_argument("--searches", type=int, default=2000)
    parser.add_argument("--http", type=int, default=300, help="requests each to the page and the API")
    parser.add_argument("--seed", type=int, default=20250)
    args = parser.parse_args()
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    _setup(args.database_url)

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from rencana.regions.loading import regions_load
    from rencana.regions.models import ReferenceDataLoad, Region, RegionBoundary, RegionSearchToken
    from rencana.regions.search import region_search

    call_command("migrate", verbosity=0)
    # Start from empty region tables so the first load is a real first load.
    for model in (RegionSearchToken, RegionBoundary, Region, ReferenceDataLoad):
        model.objects.all().delete()

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("select version()")
        else:
            cursor.execute("select 'SQLite ' || sqlite_version()")
        db_version = str(cursor.fetchone()[0])
    print(f"Database: {db_version}")
    print(f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPU")
    print()
    print("| load | seconds | added | removed | renamed | boundaries written |")
    print("|---|---:|---:|---:|---:|---|")
    for label, edition in (
        ("2025, empty tables", "2025"),
        ("2025 again (idempotent)", "2025"),
        ("2025 -> 2022", "2022"),
        ("2022 -> 2025", "2025"),
    ):
        report = regions_load(edition=edition)
        print(
            f"| {label} | {report.seconds:.2f} | {len(report.added):,} | {len(report.removed):,} "
            f"| {len(report.renamed):,} | {'yes' if report.boundaries_written else 'no'} |"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("analyze")
    print()

    queries = _queries(args.searches, args.seed)
    for q in queries[:200]:  # warm the caches as a running server would be
        region_search(q)
    print("| what | calls | p50 ms | p95 ms | p99 ms | max ms | calls/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    samples, seconds = _time_calls(lambda q: region_search(q), queries)
    _report("region_search (selector)", samples, seconds)
    hits = sum(1 for q in queries[:300] if region_search(q))
    client = Client()
    http_queries = queries[: args.http]
    samples, seconds = _time_calls(lambda q: client.get("/wilayah/", {"q": q}), http_queries)
    _report("page GET /wilayah/?q=", samples, seconds)
    samples, seconds = _time_calls(lambda q: client.get("/api/v1/wilayah", {"q": q}), http_queries)
    _report("API GET /api/v1/wilayah?q=", samples, seconds)
    print()
    print(f"Queries with at least one result (first 300): {hits}/300. Examples: {queries[:8]}")


if __name__ == "__main__":
    main()
