"""Row 4: how far the read models trail the event store under a steady write load, and how
soon they catch up when it stops; the projection runner's peak memory.

The deployment the API offers for this: ``jejak serve`` with
``JEJAK_PROJECTIONS_IN_PROCESS=false`` and ``jejak projections run`` as its own process.
Once every read model has caught up, locust records welfare checks at half of row 1's
maximum (measured just before by ``bench.writes``, or here when row 1 did not run) while
this process samples every projection's lag about every 100 ms with the same
``ReadModelStore.status()`` that ``/readyz`` and ``jejak projections status`` use: how long
ago the oldest event a projection has not applied yet was recorded (0 when it has applied
everything up to the head). The figure is the p99, over the samples taken while the load
ran, of the largest lag of any projection; the journeys projection (what coordinators'
reports read) is reported on its own in the details. The drain is the time from the end of
the last write to the first sample in which every projection is at the head."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bench import writes
from bench.core import Context, Measurement, MemoryReading, percentile
from bench.report import NAMES
from bench.server import projection_runner, run_locust, running_server
from infrastructure.projections.store import ReadModelStore

NUMBERS = (4,)
USERS = 16
P99_TARGET_S = 1.0
DRAIN_TARGET_S = 2.0
INTERVAL_S = 0.1
#: The journeys projection feeds every coordinator's report on journeys.
MAIN = "journeys"


@dataclass
class Sample:
    at: float  # time.time()
    head: int
    #: projection name -> (events behind, seconds behind)
    lag: dict[str, tuple[int, float]]

    @property
    def worst_seconds(self) -> float:
        return max((seconds for _, seconds in self.lag.values()), default=0.0)

    @property
    def caught_up(self) -> bool:
        return all(events == 0 for events, _ in self.lag.values())


@dataclass
class Sampler:
    """Samples ``status()`` on a thread about every ``interval`` seconds."""

    store: ReadModelStore
    interval: float = INTERVAL_S
    samples: list[Sample] = field(default_factory=list)
    errors: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lag-sampler", daemon=True)

    def sample(self) -> Sample:
        statuses = self.store.status()
        at = time.time()
        head = max((s.head for s in statuses), default=0)
        return Sample(
            at=at,
            head=head,
            lag={s.name: (s.lag_events, s.lag_seconds) for s in statuses if s.state == "active"},
        )

    def _run(self) -> None:
        while not self._stop.is_set():
            began = time.monotonic()
            try:
                self.samples.append(self.sample())
            except Exception:  # a failed read is counted, the next one tried
                self.errors += 1
            self._stop.wait(max(0.0, self.interval - (time.monotonic() - began)))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)


def wait_caught_up(sampler: Sampler, timeout: float) -> float:
    """Seconds until every projection is at the head (the runner catching up on earlier
    writes); raises after ``timeout``."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if sampler.sample().caught_up:
            return time.monotonic() - began
        time.sleep(INTERVAL_S)
    msg = f"read models still behind after {timeout:.0f} s: {sampler.sample().lag}"
    raise RuntimeError(msg)


def run(ctx: Context) -> list[Measurement | MemoryReading]:
    load_seconds = ctx.seconds(20, 2)
    runtime = ctx.runtime()
    try:
        sampler = Sampler(runtime.read_models)
        with projection_runner(ctx) as runner, running_server(ctx) as server:
            before = wait_caught_up(sampler, timeout=ctx.seconds(1800, 60))
            maximum = writes.MAX_EVENTS_PER_S.get((ctx.backend.name, ctx.size_name))
            measured_here = maximum is None
            if maximum is None:
                maximum = run_locust(
                    server, ctx, seconds=ctx.seconds(10, 2), label="lag-max"
                ).per_second
                wait_caught_up(sampler, timeout=ctx.seconds(600, 30))
            sampler.start()
            load = run_locust(
                server,
                ctx,
                seconds=load_seconds,
                rate_per_user=maximum / 2 / USERS,
                label="lag",
            )
            drain_deadline = time.time() + ctx.seconds(30, 10)
            while time.time() < drain_deadline:
                if (
                    sampler.samples
                    and sampler.samples[-1].at > load.last_response
                    and (sampler.samples[-1].caught_up)
                ):
                    break
                time.sleep(INTERVAL_S / 2)
            sampler.stop()
            if not runner.alive():
                msg = f"the projection runner died:\n{runner.log.read_text()[-3000:]}"
                raise RuntimeError(msg)
            runner_rss = runner.peak_rss_mb()
    finally:
        runtime.close()

    during = [s for s in sampler.samples if load.first_request <= s.at <= load.last_response]
    after = [s for s in sampler.samples if s.at > load.last_response]
    drained = next((s for s in after if s.caught_up), None)
    drain_s = drained.at - load.last_response if drained else None
    worst = [s.worst_seconds for s in during] or [0.0]
    main = [s.lag.get(MAIN, (0, 0.0))[1] for s in during] or [0.0]
    behind = [float(max((e for e, _ in s.lag.values()), default=0)) for s in during] or [0.0]
    p99 = percentile(worst, 99)
    per_projection: dict[str, Any] = {}
    for name in sorted({n for s in during for n in s.lag}):
        values = [s.lag[name][1] for s in during if name in s.lag]
        per_projection[name] = {
            "p50_s": round(percentile(values, 50), 3),
            "p99_s": round(percentile(values, 99), 3),
            "max_s": round(max(values), 3),
        }
    row = Measurement(
        number=4,
        name=NAMES[4],
        backend=ctx.backend.name,
        size=ctx.size_name,
        journeys=ctx.dataset.journeys,
        events=ctx.dataset.events,
        value=round(p99, 3),
        unit="s p99",
        target=f"p99 ≤ {P99_TARGET_S:.0f} s; 0 within {DRAIN_TARGET_S:.0f} s after load stops",
        met=bool(during)
        and p99 <= P99_TARGET_S
        and drain_s is not None
        and drain_s <= DRAIN_TARGET_S,
        details={
            "drain_s": round(drain_s, 3) if drain_s is not None else None,
            "journeys_p99_s": round(percentile(main, 99), 3),
            "p50_s": round(percentile(worst, 50), 3),
            "max_s": round(max(worst), 3),
            "events_behind_p99": round(percentile(behind, 99), 1),
            "per_projection": per_projection,
            "samples": len(during),
            "sample_errors": sampler.errors,
            "offered_per_second": round(maximum / 2, 1),
            "max_measured_here": measured_here,
            "catch_up_before_load_s": round(before, 2),
            "load": load.summary(),
            "runner": "jejak projections run, own process; API with "
            "JEJAK_PROJECTIONS_IN_PROCESS=false",
        },
    )
    memory = MemoryReading(
        process="projection runner",
        backend=ctx.backend.name,
        size=ctx.size_name,
        journeys=ctx.dataset.journeys,
        peak_rss_mb=round(runner_rss, 1),
    )
    return [row, memory]
