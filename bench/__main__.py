"""``python -m bench [--quick] [--sizes 10k,100k] [--backends sqlite,postgres] [--only 3,5]``.

For each size and backend: a fresh store, a dataset built by ``bench.dataset``, then every
benchmark of ``bench.suite`` in order (read-only ones first, writers last). Results are merged
into the JSON file next to the report, so a long size can be run on its own and still land in
the same table."""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

from bench import report
from bench.core import (
    DATABASE_PREFIX,
    POSTGRES_ADMIN_URL,
    SIZES,
    Backend,
    Context,
    DatasetInfo,
    Measurement,
    MemoryReading,
)
from infrastructure.settings import Settings

#: Benchmark modules in the order they run, with the rows they measure; each has ``run(ctx)``.
SUITE: tuple[tuple[str, frozenset[int]], ...] = (
    ("bench.rebuild", frozenset({3})),  # rebuilds the read models (later reports need them)
    ("bench.reports", frozenset({5})),
    ("bench.agenda", frozenset({11})),
    ("bench.agenda_scale", frozenset({11})),  # copies the agenda's rows, deletes them after
    ("bench.aggregates", frozenset({6})),
    ("bench.audit", frozenset({7})),
    ("bench.imports", frozenset({12})),  # and the importer's memory
    ("bench.writes", frozenset({1, 2})),  # and the server's memory
    ("bench.lag", frozenset({4})),  # and the projection runner's memory
    ("bench.scans", frozenset({10})),  # last: its uploads grow the store by megabytes
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the CI smoke test: tiny and short")
    parser.add_argument("--sizes", default="10k,100k", help=f"comma-separated, of {list(SIZES)}")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--only", default="", help="comma-separated benchmark numbers")
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--workdir", type=Path, default=Path(".bench"))
    parser.add_argument("--reuse", action="store_true", help="reuse a dataset already built")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    sizes = ["quick"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown sizes {unknown}; known: {list(SIZES)}")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    only = {int(n) for n in args.only.split(",") if n.strip()}

    results_file = args.out.with_suffix(".json")
    for size in sizes:
        for backend_name in backends:
            measurements = run_one(backend_name, size, args, only)
            # Loaded afresh: another size may have been written meanwhile by another run.
            results = report.load(results_file)
            results["machine"] = machine()
            report.merge(results, backend_name, size, measurements)
            report.save(results_file, results)
            report.write(results, args.out)
            print(f"[bench] {backend_name}/{size}: written to {args.out}", flush=True)
    return 0


def run_one(
    backend_name: str, size: str, args: argparse.Namespace, only: set[int]
) -> list[Measurement | MemoryReading]:
    workdir = (args.workdir / f"{backend_name}-{size}").resolve()
    backend = make_backend(backend_name, size, workdir, fresh=not args.reuse)
    settings = Settings(
        database_url=backend.database_url,
        dev_key_file=workdir / "dev-keys.json",
        log_level="WARNING",
        snapshot_interval=50,
    )
    marker = workdir / "dataset.json"
    if args.reuse and marker.exists():
        dataset = DatasetInfo(**json.loads(marker.read_text()))
        print(f"[bench] {backend_name}/{size}: reusing {dataset.journeys} journeys", flush=True)
    else:
        from bench import dataset as builder

        print(f"[bench] {backend_name}/{size}: building {SIZES[size]} journeys", flush=True)
        dataset = builder.build(backend, settings.with_keys(), SIZES[size], args.seed, workdir)
        analyze(backend)
        marker.write_text(json.dumps(dataset.__dict__))
        print(
            f"[bench] {backend_name}/{size}: {dataset.events} events in "
            f"{dataset.seconds_to_build:.0f} s",
            flush=True,
        )
    ctx = Context(
        backend=backend,
        size_name=size,
        dataset=dataset,
        settings=settings.with_keys(),
        workdir=workdir,
        quick=args.quick,
    )
    measurements: list[Measurement | MemoryReading] = []
    for module_name, numbers in SUITE:
        if only and not only.intersection(numbers):
            continue
        module = importlib.import_module(module_name)
        started = time.perf_counter()
        print(f"[bench] {backend_name}/{size}: {module_name} ...", flush=True)
        produced = module.run(ctx)
        for item in produced:
            print(f"[bench]   {describe(item)}", flush=True)
        measurements.extend(produced)
        print(f"[bench]   ({time.perf_counter() - started:.0f} s)", flush=True)
    return measurements


def analyze(backend: Backend) -> None:
    """Planner statistics for the tables just loaded, as autovacuum would gather them on a
    live server. Without them (and autovacuum is off on some servers, ours included)
    PostgreSQL guesses that one journey's events after its snapshot are some 40,000 rows
    and plans a parallel, JIT-compiled scan: 60 ms for a read that takes 0.1 ms."""
    if backend.name == "postgres":
        with psycopg.connect(backend.dsn, autocommit=True) as conn:
            conn.execute("ANALYZE")
    else:
        conn = sqlite3.connect(backend.dsn)
        try:
            conn.execute("ANALYZE")
        finally:
            conn.close()


def make_backend(name: str, size: str, workdir: Path, *, fresh: bool) -> Backend:
    if fresh and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if name == "sqlite":
        path = workdir / "jejak.sqlite3"
        return Backend("sqlite", f"sqlite:///{path}", str(path))
    if name == "postgres":
        database = f"{DATABASE_PREFIX}_{size}"
        if fresh:
            with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{database}"')
        url = f"{POSTGRES_ADMIN_URL}/{database}"
        return Backend("postgres", url, url)
    msg = f"unknown backend {name!r}: sqlite or postgres"
    raise SystemExit(msg)


def describe(item: Measurement | MemoryReading) -> str:
    if isinstance(item, MemoryReading):
        return f"peak RSS of the {item.process}: {item.peak_rss_mb:.0f} MB"
    ratio = f" ({item.ratio:.2f}x {item.baseline_name})" if item.ratio is not None else ""
    return f"{item.number}. {item.name}: {item.value:,.2f} {item.unit}{ratio}"


def machine() -> dict[str, Any]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = 0.0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory_gb = int(meminfo.read_text().split()[1]) / 1024 / 1024
    postgres_version = "unknown"
    try:
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres") as conn:
            row = conn.execute("SHOW server_version").fetchone()
            postgres_version = str(row[0]) if row else "unknown"
    except psycopg.Error:
        pass
    return {
        "cpu": cpu,
        "cores": __import__("os").cpu_count(),
        "memory_gb": round(memory_gb, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgres": postgres_version,
        "platform": platform.platform(),
    }


if __name__ == "__main__":
    sys.exit(main())
