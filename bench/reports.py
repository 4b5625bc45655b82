"""Row 5: the coordinators' reports on the whole dataset, scoped to one regency.

Each report is called in process through the application's report use cases, with the
arguments its route (``interfaces/http/routes/reports.py``) passes: the first page (100 rows)
of each paginated report, the whole of the aggregate ones (stage counts, destinations). HTTP
parsing, authentication and JSON rendering are not included. The coordinator's scope covers
every regency of the dataset; each call asks for one of them (``region=``).

The baseline, measured in the same run: a full scan of the read-model table the report reads
(``SELECT *`` of every row, fetched to the end through a streaming cursor): what answering
without the read model's region indexes and pagination would cost at least. Stage counts and
destinations summarise the journeys table, so their baseline is the scan of that table.

The cooperatives and pillar-activity reports are not measured: the dataset holds no
cooperatives or village activities, and timing an empty table would say nothing.

Read models must be current: the rebuild benchmark runs first in the suite; run alone, this
module catches them up itself first."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from application.readmodels import Filter, Page
from bench.core import Context, Measurement, MemoryReading, median, percentile
from infrastructure.bootstrap import Runtime
from infrastructure.projections.schema import table_name

NUMBERS = (5,)
TARGET_MS = 50.0
CALLS = {True: 30, False: 200}
WARM_UP = 5
SCANS = 3

#: name -> (read model table of the baseline, the call)
Report = Callable[[Any, Any, str], Page]


def _reports(runtime: Runtime) -> dict[str, tuple[str, Report]]:
    cutoff = runtime.app.services.clock.today() - timedelta(days=30)

    def rows(table: str, filters: list[Filter], order: tuple[str, ...]) -> Report:
        def call(app: Any, principal: Any, region: str) -> Page:
            page: Page = app.report(
                principal,
                "journeys",
                table,
                region=region,
                filters=filters,
                order=order,
                limit=100,
            )
            return page

        return call

    return {
        "journeys": ("journeys", rows("journeys", [], ("journey_id",))),
        "journeys?stage=placement": (
            "journeys",
            rows("journeys", [Filter("stage", "=", "placement")], ("journey_id",)),
        ),
        "non-procedural": (
            "journeys",
            rows("journeys", [Filter("non_procedural", "=", True)], ("journey_id",)),
        ),
        "reintegration-backlog": (
            "journeys",
            rows(
                "journeys",
                [Filter("last_help_on", "not_null"), Filter("last_help_on", "<", cutoff)],
                ("last_help_on", "journey_id"),
            ),
        ),
        "incidents": (
            "incidents",
            rows("incidents", [], ("reported_on", "journey_id", "incident_id")),
        ),
        "stage-counts": (
            "journeys",
            lambda app, principal, region: app.stage_counts(principal, region=region),
        ),
        "destinations": (
            "journeys",
            lambda app, principal, region: app.destinations(principal, region=region, year=None),
        ),
    }


def run(ctx: Context) -> list[Measurement | MemoryReading]:
    runtime = ctx.runtime()
    try:
        caught_up = catch_up(runtime)
        app = runtime.app
        coordinator = app.authenticate(
            ctx.dataset.coordinator_username, ctx.dataset.coordinator_password, "bench"
        )
        region = ctx.dataset.regencies[0]
        reports = _reports(runtime)
        scans = {table: _full_scan(runtime, table) for table in {t for t, _ in reports.values()}}
        measurements: list[Measurement | MemoryReading] = []
        for name, (table, call) in reports.items():
            for _ in range(WARM_UP):
                page = call(app, coordinator, region)
            times = []
            for _ in range(CALLS[ctx.quick]):
                started = time.perf_counter()
                page = call(app, coordinator, region)
                times.append(time.perf_counter() - started)
            p95 = percentile(times, 95) * 1000
            typical = median(times) * 1000
            scan_ms, scanned = scans[table]
            measurements.append(
                Measurement(
                    number=5,
                    name=f"coordinator report: {name}",
                    backend=ctx.backend.name,
                    size=ctx.size_name,
                    journeys=ctx.dataset.journeys,
                    events=ctx.dataset.events,
                    value=p95,
                    unit="ms p95",
                    target=f"p95 ≤ {TARGET_MS:.0f} ms",
                    baseline_name=f"full scan of the {table} read model",
                    baseline=scan_ms,
                    ratio=scan_ms / p95 if p95 else None,
                    met=p95 <= TARGET_MS,
                    cost_us=typical * 1000,
                    details={
                        "calls": len(times),
                        "median_ms": typical,
                        "max_ms": max(times) * 1000,
                        "region": region,
                        "rows_returned": len(page.rows),
                        "baseline_rows_scanned": scanned,
                        "via": "application report use case, in process",
                        "read_models_caught_up_here": caught_up > 0,
                    },
                )
            )
        return measurements
    finally:
        runtime.close()


def catch_up(runtime: Runtime) -> int:
    """Applies the feed to the active read models until they reach the head (nothing to do
    after the rebuild benchmark). Returns how many events it applied, summed over the
    projections."""
    engine = runtime.projections
    applied = 0
    last_report = time.monotonic()
    while True:
        done = engine.process(states=("active",))
        applied += done
        if not done:
            head = engine.head()
            behind = [
                name
                for name in engine.projections
                if (active := engine.active(name)) is not None and active.position < head
            ]
            if not behind:
                return applied
        if time.monotonic() - last_report > 30:
            last_report = time.monotonic()
            print(f"[reports] catching up the read models: {applied:,} events", flush=True)


def _full_scan(runtime: Runtime, table: str) -> tuple[float, int]:
    """Median milliseconds to fetch every row of the journeys projection's ``table``."""
    engine = runtime.projections
    active = engine.active("journeys")
    assert active is not None
    name = f"{engine.prefix}{table_name('journeys', active.generation, table)}"
    times = []
    count = 0
    for _ in range(SCANS):
        started = time.perf_counter()
        count = sum(1 for _ in engine.db.stream(f"SELECT * FROM {name}"))
        times.append(time.perf_counter() - started)
    return median(times) * 1000, count
