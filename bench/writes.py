"""Rows 1 and 2: writes over HTTP against the same writes made in-process, and the latency
of writes at half of the maximum load; the server's peak memory.

Row 1: locust (headless, 16 ``FastHttpUser``s, no wait) records welfare checks on journeys
in placement through a real ``jejak serve``; each successful request is one event. The
baseline is the same use case (``JejakApplication.check_welfare``, the officer's
``Principal``) called from 16 threads of this process on the same store for as long, which
leaves out only HTTP, JSON and the bearer token. HTTP and in-process runs alternate, and
each figure is the median of its runs, so that a neighbour's load on the machine hits both.
The details add two lower layers of the same write, from 16 threads as well: a stock
eventsourcing ``Application`` (library recorder, no encryption, chains, idempotency or
scope checks) loading an aggregate and saving one event, and raw INSERTs of rows of the
same size, one transaction each (psycopg on PostgreSQL; sqlite3 on SQLite, one writer at a
time like the library's pool): the physical limit of one commit per event.

Row 2: locust again with every user at a constant rate (``constant_throughput``) adding up
to half of row 1's figure; p99 of the response times (locust's own measurement of every
request, percentiles computed exactly here)."""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from application.journeys import CheckWelfare
from application.writes import WriteOptions
from bench.core import Context, Measurement, MemoryReading, median, percentile
from bench.report import NAMES
from bench.server import LoadResult, cpu_pressure, run_locust, running_server
from domain.vocabularies import ContactWith, WelfareStatus

NUMBERS = (1, 2)
USERS = 16
RATIO_TARGET = 0.5
P99_TARGET_MS = 50.0
#: The row 1 figure of each (backend, size) measured in this process, for ``bench.lag``.
MAX_EVENTS_PER_S: dict[tuple[str, str], float] = {}


def run(ctx: Context) -> list[Measurement | MemoryReading]:
    phase = ctx.seconds(10, 2)
    repetitions = 1 if ctx.quick else 3
    http_runs: list[LoadResult] = []
    inprocess_runs: list[Threaded] = []
    with running_server(ctx) as server:
        for _ in range(repetitions):
            http_runs.append(run_locust(server, ctx, seconds=phase, label="max"))
            inprocess_runs.append(in_process(ctx, USERS, phase))
        http = median([r.per_second for r in http_runs])
        MAX_EVENTS_PER_S[(ctx.backend.name, ctx.size_name)] = http
        half = run_locust(
            server,
            ctx,
            seconds=ctx.seconds(20, 2),
            rate_per_user=http / 2 / USERS,
            label="half",
        )
        server_rss = server.peak_rss_mb()
    same_rate = in_process(ctx, USERS, ctx.seconds(10, 1), rate_per_thread=http / 2 / USERS)
    baseline = median([r.per_second for r in inprocess_runs])
    lower = ctx.seconds(5, 0.5)
    stock = stock_application(ctx, USERS, lower)
    raw = raw_inserts(ctx, USERS, lower, row_bytes=stored_size(ctx))
    common: dict[str, Any] = {
        "backend": ctx.backend.name,
        "size": ctx.size_name,
        "journeys": ctx.dataset.journeys,
        "events": ctx.dataset.events,
    }
    ratio = http / baseline if baseline else None
    row1 = Measurement(
        number=1,
        name=NAMES[1],
        value=round(http, 1),
        unit="events/s",
        target=f"≥ {RATIO_TARGET}x in-process Application",
        baseline_name="in-process Application, 16 threads",
        baseline=round(baseline, 1),
        ratio=round(ratio, 3) if ratio is not None else None,
        met=ratio is not None and ratio >= RATIO_TARGET,
        cost_us=round(1e6 / http, 1) if http else None,
        details={
            "http_runs": [r.summary() for r in http_runs],
            "in_process_runs": [r.summary() for r in inprocess_runs],
            "stock_eventsourcing_application": stock.summary(),
            "raw_insert": raw.summary(),
            "http_vs_raw_insert": round(http / raw.per_second, 3) if raw.per_second else None,
            "baseline_vs_stock_application": round(baseline / stock.per_second, 3)
            if stock.per_second
            else None,
            "placement_journeys": len(ctx.dataset.placement_journeys),
            "server": "jejak serve (one uvicorn process), projections out of process and idle",
        },
        **common,
    )
    row2 = Measurement(
        number=2,
        name=NAMES[2],
        value=half.p99,
        unit="ms p99",
        target=f"p99 ≤ {P99_TARGET_MS:.0f} ms",
        met=half.failures == 0 and half.p99 <= P99_TARGET_MS,
        details={
            "offered_per_second": round(http / 2, 1),
            **half.summary(),
            # The same schedule of check_welfare calls in-process: what HTTP adds to the tail.
            "in_process_same_rate": same_rate.summary(),
        },
        **common,
    )
    memory = MemoryReading(
        process="server",
        backend=ctx.backend.name,
        size=ctx.size_name,
        journeys=ctx.dataset.journeys,
        peak_rss_mb=round(server_rss, 1),
    )
    return [row1, row2, memory]


# Threads in this process -------------------------------------------------------------------


@dataclass
class Threaded:
    """``threads`` workers calling one operation in a loop for about ``seconds``."""

    threads: int
    seconds: float
    operations: int
    errors: int
    latencies_ms: list[float]
    first_error: str | None = None
    cpu_pressure: float | None = None

    @property
    def per_second(self) -> float:
        return self.operations / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        times = sorted(self.latencies_ms) or [0.0]
        return {
            "threads": self.threads,
            "seconds": round(self.seconds, 2),
            "operations": self.operations,
            "per_second": round(self.per_second, 1),
            "errors": self.errors,
            "p50_ms": round(percentile(times, 50), 2),
            "p99_ms": round(percentile(times, 99), 2),
            "cpu_pressure_avg10_pct": self.cpu_pressure,
            **({"first_error": self.first_error} if self.first_error else {}),
        }


def threaded(
    threads: int,
    seconds: float,
    make_worker: Callable[[int], Callable[[], None]],
    *,
    rate_per_thread: float = 0.0,
) -> Threaded:
    """Runs ``make_worker(i)()`` in a loop on ``threads`` threads, all started together: as
    fast as each can, or on a fixed schedule of ``rate_per_thread`` calls per second each,
    the threads' slots spread evenly over one period (as the locustfile does)."""
    workers = [make_worker(i) for i in range(threads)]
    counts = [0] * threads
    errors = [0] * threads
    latencies: list[list[float]] = [[] for _ in range(threads)]
    first_error: list[str] = []
    barrier = threading.Barrier(threads + 1)
    stop = threading.Event()

    def loop(i: int) -> None:
        work = workers[i]
        barrier.wait()
        period = 1 / rate_per_thread if rate_per_thread > 0 else 0.0
        due = time.perf_counter() + i * period / threads
        while not stop.is_set():
            if period:
                if stop.wait(max(0.0, due - time.perf_counter())):
                    break
                due += period
            began = time.perf_counter()
            try:
                work()
            except Exception as error:
                errors[i] += 1
                if not first_error:
                    first_error.append(f"{type(error).__name__}: {error}"[:300])
                continue
            latencies[i].append((time.perf_counter() - began) * 1000)
            counts[i] += 1

    pool = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in pool:
        thread.join(60)
    elapsed = time.perf_counter() - began
    return Threaded(
        threads=threads,
        seconds=elapsed,
        operations=sum(counts),
        errors=sum(errors),
        latencies_ms=[x for each in latencies for x in each],
        first_error=first_error[0] if first_error else None,
        cpu_pressure=cpu_pressure(),
    )


def in_process(
    ctx: Context, threads: int, seconds: float, *, rate_per_thread: float = 0.0
) -> Threaded:
    """The baseline: ``check_welfare`` from ``threads`` threads, each on its own slice of the
    placement journeys (as each locust user is)."""
    runtime = ctx.runtime()
    try:
        app = runtime.app
        principal = app.principal_for(app.get_user(ctx.dataset.officer_username).id)
        journeys = [UUID(j) for j in ctx.dataset.placement_journeys]
        command = CheckWelfare(contact_with=ContactWith.FAMILY, status=WelfareStatus.OK)

        def make_worker(i: int) -> Callable[[], None]:
            mine = journeys[i::threads] or journeys
            position = [0]

            def work() -> None:
                journey = mine[position[0] % len(mine)]
                position[0] += 1
                app.check_welfare(principal, journey, command, WriteOptions())

            return work

        return threaded(threads, seconds, make_worker, rate_per_thread=rate_per_thread)
    finally:
        runtime.close()


# The layers below: a stock library Application and raw INSERTs ------------------------------


class Case(Aggregate):
    """A stand-in journey for the stock library Application."""

    @event("Created")
    def __init__(self, village_code: str) -> None:
        self.village_code = village_code
        self.checks = 0

    @event("WelfareChecked")
    def check_welfare(
        self,
        contact_with: str,
        status: str,
        note: str | None,
        actor_id: str,
        actor_role: str,
        occurred_on: str,
    ) -> None:
        self.checks += 1


class StockApplication(Application[UUID]):
    name = "JejakBenchStock"


def stock_application(ctx: Context, threads: int, seconds: float) -> Threaded:
    """The eventsourcing library as it comes: load an aggregate, record one event, save."""
    table = "jejakbenchstock_events"
    if ctx.backend.name == "postgres":
        info = psycopg.conninfo.conninfo_to_dict(ctx.backend.dsn)
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": str(info.get("dbname", "postgres")),
            "POSTGRES_HOST": str(info.get("host", "127.0.0.1")),
            "POSTGRES_PORT": str(info.get("port", "5432")),
            "POSTGRES_USER": str(info.get("user", "postgres")),
            "POSTGRES_PASSWORD": str(info.get("password", "")),
            "POSTGRES_POOL_SIZE": str(ctx.settings.pool_size),
            "POSTGRES_MAX_OVERFLOW": str(ctx.settings.pool_max_overflow),
            "CREATE_TABLE": "y",
        }
    else:
        scratch = ctx.workdir / "bench-stock.sqlite3"
        for leftover in ctx.workdir.glob("bench-stock.sqlite3*"):
            leftover.unlink()
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(scratch),
            "SQLITE_LOCK_TIMEOUT": str(ctx.settings.lock_timeout_seconds),
            "CREATE_TABLE": "y",
        }
    app = StockApplication(env=env)
    try:
        per_thread = 8
        ids: list[list[UUID]] = []
        for _ in range(threads):
            cases = [Case(village_code="35.07.12.2001") for _ in range(per_thread)]
            app.save(*cases)
            ids.append([case.id for case in cases])
        actor = str(uuid.uuid4())
        today = datetime.now(UTC).date().isoformat()

        def make_worker(i: int) -> Callable[[], None]:
            mine = ids[i]
            position = [0]

            def work() -> None:
                case: Case = app.repository.get(mine[position[0] % len(mine)])
                position[0] += 1
                case.check_welfare("family", "ok", None, actor, "officer", today)
                app.save(case)

            return work

        return threaded(threads, seconds, make_worker)
    finally:
        app.close()
        if ctx.backend.name == "postgres":
            with psycopg.connect(ctx.backend.dsn, autocommit=True) as conn:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
        else:
            for leftover in ctx.workdir.glob("bench-stock.sqlite3*"):
                leftover.unlink()


def stored_size(ctx: Context) -> int:
    """Bytes of state of the welfare checks just written (the raw rows are this size)."""
    query = (
        "SELECT avg(length(state)) FROM jejak_events WHERE topic = 'jejak:Journey.WelfareChecked'"
    )
    try:
        if ctx.backend.name == "postgres":
            with psycopg.connect(ctx.backend.dsn) as conn:
                row = conn.execute(query).fetchone()
        else:
            with sqlite3.connect(ctx.backend.dsn) as conn:
                row = conn.execute(query).fetchone()
    except (psycopg.Error, sqlite3.Error):
        row = None
    return int(row[0]) if row and row[0] else 500


def raw_inserts(ctx: Context, threads: int, seconds: float, *, row_bytes: int) -> Threaded:
    """One row per transaction, shaped like an event row (uuid, version, topic, state, hash,
    position), from ``threads`` connections: what the disk and the database allow."""
    topic = "jejak:Journey.WelfareChecked"
    state = bytes(row_bytes)
    digest = bytes(32)
    if ctx.backend.name == "postgres":
        table = "jejak_bench_raw_insert"
        with psycopg.connect(ctx.backend.dsn, autocommit=True) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(
                f"CREATE TABLE {table} (originator_id uuid NOT NULL, "
                "originator_version bigint NOT NULL, topic text NOT NULL, state bytea NOT NULL, "
                "notification_id bigserial UNIQUE, hash bytea NOT NULL, "
                "PRIMARY KEY (originator_id, originator_version))"
            )
        connections = [psycopg.connect(ctx.backend.dsn, autocommit=True) for _ in range(threads)]
        sql = (
            f"INSERT INTO {table} (originator_id, originator_version, topic, state, hash) "
            "VALUES (%s, %s, %s, %s, %s)"
        )
        try:

            def make_pg(i: int) -> Callable[[], None]:
                conn = connections[i]
                originator = uuid.uuid4()
                version = [0]

                def work() -> None:
                    version[0] += 1
                    conn.execute(sql, (originator, version[0], topic, state, digest))

                return work

            return threaded(threads, seconds, make_pg)
        finally:
            for conn in connections:
                conn.close()
            with psycopg.connect(ctx.backend.dsn, autocommit=True) as conn:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
    path = ctx.workdir / "bench-raw.sqlite3"
    for leftover in ctx.workdir.glob("bench-raw.sqlite3*"):
        leftover.unlink()
    setup = sqlite3.connect(path, isolation_level=None)
    try:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute(
            "CREATE TABLE events (originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL, "
            "topic TEXT NOT NULL, state BLOB NOT NULL, hash BLOB NOT NULL, "
            "PRIMARY KEY (originator_id, originator_version))"
        )
    finally:
        setup.close()
    lite = [
        sqlite3.connect(
            path,
            isolation_level=None,
            check_same_thread=False,
            timeout=ctx.settings.lock_timeout_seconds,
        )
        for _ in range(threads)
    ]
    # One writer at a time, as the library's SQLite pool and Jejak's writer do: sixteen
    # writers left to SQLite's busy handler back off in sleeps and measure those instead.
    writer = threading.Lock()
    try:

        def make_lite(i: int) -> Callable[[], None]:
            conn = lite[i]
            originator = str(uuid.uuid4())
            version = [0]

            def work() -> None:
                version[0] += 1
                with writer:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        conn.execute(
                            "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                            (originator, version[0], topic, state, digest),
                        )
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
                    conn.execute("COMMIT")

            return work

        return threaded(threads, seconds, make_lite)
    finally:
        for each in lite:
            each.close()
        for leftover in ctx.workdir.glob("bench-raw.sqlite3*"):
            leftover.unlink()
