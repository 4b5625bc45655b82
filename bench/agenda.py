"""Row 11: the agenda at scale.

- An officer's page: the three lists of "Tugas hari ini" for one village (overdue 25, due
  25, upcoming 10, as ``interfaces/web/agenda.py`` asks for them), through the application's
  ``agenda`` use case in process (names, HTTP and HTML not included).
- A coordinator's regency summary: ``agenda_summary`` for one regency (per district).

Both against a full scan, measured in the same run: what answering without the read model
costs, every journey of the village (or regency) loaded from the event store and its items
computed by the domain (``domain.agenda.open_items``). A regency's scan is timed on at most
``SCAN_SAMPLE`` journeys and scaled to all of them (said in the details).

- The projection's share of a rebuild: every projection rebuilt from zero in a child process
  (as row 3), with the agenda projection's own work timed inside it (its ``extract`` and
  ``apply`` per event, and the writing of its tables per batch), as a share of the
  rebuild's time (the 0.5 s grace before old generations are dropped left out).

Read models must be current: run after the rebuild benchmark, or this module catches them up."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from application.principal import Principal
from application.readmodels import Filter, Query
from bench.core import Context, Measurement, MemoryReading, median, percentile
from bench.rebuild import rebuild_in_child
from bench.reports import catch_up
from domain.agenda import open_items
from domain.agenda_rules import AgendaStatus, due_on, in_force, status_on
from domain.events import Role
from domain.journey import Journey
from domain.regions import RegionCode
from infrastructure.bootstrap import Runtime

NUMBERS = (11,)
TARGET_MS = 50.0
CALLS = {True: 30, False: 200}
WARM_UP = 5
SCAN_SAMPLE = 2_000
PAGE = {AgendaStatus.OVERDUE: 25, AgendaStatus.DUE: 25, AgendaStatus.UPCOMING: 10}
GRACE_SECONDS = 0.5


@dataclass(frozen=True)
class Queries:
    """The two agenda queries of this row, for the dataset's busiest village and its
    regency, with what answering each by a full scan costs."""

    village: str
    regency: str
    page: Callable[[], Any]
    summary: Callable[[], Any]
    village_scan: tuple[float, int, int]
    regency_scan: tuple[float, int, int]

    def measure(self, ctx: Context, prefix: str) -> list[Measurement]:
        return [
            latency(ctx, f"{prefix}an officer's page", self.page, self.village_scan, self.village),
            latency(
                ctx, f"{prefix}a regency summary", self.summary, self.regency_scan, self.regency
            ),
        ]


def queries(runtime: Runtime) -> Queries:
    catch_up(runtime)
    village = busiest_village(runtime)
    regency = village.rsplit(".", 2)[0]
    officer = principal_for(Role.OFFICER, village)
    coordinator = principal_for(Role.COORDINATOR, regency)
    app = runtime.app
    return Queries(
        village=village,
        regency=regency,
        page=lambda: app.agenda_lists(officer, PAGE, region=None),
        summary=lambda: app.agenda_summary(coordinator, region=regency),
        village_scan=full_scan(runtime, village),
        regency_scan=full_scan(runtime, regency),
    )


def run(ctx: Context) -> list[Measurement | MemoryReading]:
    runtime = ctx.runtime()
    try:
        measurements: list[Measurement | MemoryReading] = [
            *queries(runtime).measure(ctx, "agenda: ")
        ]
    finally:
        runtime.close()
    measurements.append(_share(ctx))
    return measurements


def principal_for(role: Role, code: str) -> Principal:
    return Principal(user_id=uuid4(), username="bench", role=role, regions=(RegionCode(code),))


def busiest_village(runtime: Runtime) -> str:
    """The village with the most open items (an officer's page at its fullest)."""
    auditor = Principal(user_id=uuid4(), username="bench", role=Role.AUDITOR, regions=())
    rows = runtime.app.agenda_summary(auditor, region=None, per_village=True).rows
    best = max(rows, key=lambda r: int(r["overdue"]) + int(r["due"]) + int(r["upcoming"]))
    return str(best["region_code"])


def latency(
    ctx: Context, name: str, call: Any, scan: tuple[float, int, int], region: str
) -> Measurement:
    for _ in range(WARM_UP):
        call()
    times = []
    for _ in range(CALLS[ctx.quick]):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    p95 = percentile(times, 95) * 1000
    scan_ms, journeys, sampled = scan
    return Measurement(
        number=11,
        name=name,
        backend=ctx.backend.name,
        size=ctx.size_name,
        journeys=ctx.dataset.journeys,
        events=ctx.dataset.events,
        value=p95,
        unit="ms p95",
        target=f"p95 ≤ {TARGET_MS:.0f} ms",
        baseline_name="full scan: every journey of the scope replayed and its items computed",
        baseline=scan_ms,
        ratio=scan_ms / p95 if p95 else None,
        met=p95 <= TARGET_MS,
        cost_us=median(times) * 1e6,
        details={
            "calls": len(times),
            "median_ms": median(times) * 1000,
            "region": region,
            "journeys_in_scope": journeys,
            "journeys_replayed_for_the_baseline": sampled,
            "via": "application use case, in process",
        },
    )


def full_scan(runtime: Runtime, region: str) -> tuple[float, int, int]:
    """Milliseconds to compute the scope's agenda without the read model: each journey of
    the region (ids from the journeys read model) loaded and its items computed."""
    app = runtime.app
    ids: list[str] = []
    after = None
    while True:
        page = runtime.read_models.query(
            "journeys",
            Query(
                table="journeys",
                filters=[Filter("village_code", "region", (region,))],
                columns=("journey_id",),
                after=after,
                limit=1000,
            ),
        )
        ids.extend(str(row["journey_id"]) for row in page.rows)
        if page.next_after is None:
            break
        after = page.next_after
    sample = ids[:SCAN_SAMPLE]
    today = app.services.clock.today()
    rules = in_force(app.agenda_rule_history(), today)
    started = time.perf_counter()
    for journey_id in sample:
        journey: Journey = app.repository.get(UUID(journey_id))
        for item in open_items(journey):
            due = due_on(item.anchor, item.rule, rules)
            status_on(due, rules.grace(item.kind.value), today)
    seconds = time.perf_counter() - started
    scaled = seconds * (len(ids) / len(sample)) if sample else seconds
    return scaled * 1000, len(ids), len(sample)


def _share(ctx: Context) -> Measurement:
    result = rebuild_in_child(ctx, "bench.agenda")
    share = 100 * result["agenda_seconds"] / result["rebuild_seconds"]
    return Measurement(
        number=11,
        name="agenda: its projection's share of a rebuild",
        backend=ctx.backend.name,
        size=ctx.size_name,
        journeys=ctx.dataset.journeys,
        events=ctx.dataset.events,
        value=share,
        unit="% of the rebuild",
        target="—",
        details={
            "rebuild_seconds": round(result["rebuild_seconds"], 2),
            "agenda_seconds": round(result["agenda_seconds"], 2),
            "measured": "every projection rebuilt together in a child process; the agenda "
            "projection's extract, apply and table writes timed inside it",
        },
    )


def child() -> int:
    """Rebuilds every projection with the agenda projection's own work timed; the last line
    of standard output is JSON."""
    from application.projections.agenda import AgendaBoard
    from infrastructure.bootstrap import build_runtime
    from infrastructure.projections.session import BatchSession
    from infrastructure.settings import Settings

    spent = [0.0]

    def timed(function: Any, only_agenda: bool = False) -> Any:
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            if only_agenda and self.projection.name != "agenda":
                return function(self, *args, **kwargs)
            started = time.perf_counter()
            try:
                return function(self, *args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started

        return wrapper

    AgendaBoard.extract = timed(AgendaBoard.extract)  # type: ignore[method-assign]
    AgendaBoard.apply = timed(AgendaBoard.apply)  # type: ignore[method-assign]
    BatchSession.flush = timed(BatchSession.flush, only_agenda=True)  # type: ignore[method-assign]
    runtime = build_runtime(Settings())
    try:
        engine = runtime.projections
        started = time.perf_counter()
        engine.rebuild_all(list(engine.projections))
        seconds = time.perf_counter() - started - GRACE_SECONDS
    finally:
        runtime.close()
    print(json.dumps({"rebuild_seconds": seconds, "agenda_seconds": spent[0]}))
    return 0


if __name__ == "__main__":
    sys.exit(child())
