"""Row 6: loading a journey of more than 1,000 events through the application's repository,
which starts from the latest snapshot (taken every ``snapshot_interval`` events) and applies
the events after it, against the baseline measured in the same run: the same load replaying
every event from the first (the application's snapshot-free repository, ``app._replaying``,
the one it falls back to when a snapshot cannot be opened).

Each load is the whole of ``repository.get``: reading the rows, opening the snapshot sealed
with the worker's key (AES-GCM), decoding, and evolving the aggregate. The repository keeps no
cache of aggregates, so every load goes to the store."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from bench.core import Context, Measurement, MemoryReading, median, percentile
from domain.journey import Journey

NUMBERS = (6,)
TARGET_MS = 2.0
LOADS = {True: 20, False: 200}
BASELINE_LOADS = {True: 10, False: 50}
WARM_UP = 5


def run(ctx: Context) -> list[Measurement | MemoryReading]:
    runtime = ctx.runtime()
    app = runtime.app
    try:
        journey_id = UUID(ctx.dataset.long_journey)
        assert app.snapshots is not None
        snapshots = [s.originator_version for s in app.snapshots.get(journey_id)]
        taken = False
        if not snapshots:
            app.take_snapshot(journey_id)
            snapshots = [s.originator_version for s in app.snapshots.get(journey_id)]
            taken = True
        with_snapshot = _time_loads(lambda: app.repository.get(journey_id), LOADS[ctx.quick])
        replaying = _time_loads(lambda: app._replaying.get(journey_id), BASELINE_LOADS[ctx.quick])
        journey: Any = app.repository.get(journey_id)
        replayed: Any = app._replaying.get(journey_id)
        assert isinstance(journey, Journey)
        assert isinstance(replayed, Journey)
        if (journey.version, journey.stage, len(journey.records)) != (
            replayed.version,
            replayed.stage,
            len(replayed.records),
        ):
            msg = "the journey loaded from its snapshot differs from the one replayed"
            raise AssertionError(msg)
        value = median(with_snapshot) * 1000
        baseline = median(replaying) * 1000
        return [
            Measurement(
                number=6,
                name="aggregate load: journey of 1,000+ events, from its snapshot",
                backend=ctx.backend.name,
                size=ctx.size_name,
                journeys=ctx.dataset.journeys,
                events=ctx.dataset.events,
                value=value,
                unit="ms median",
                target=f"≤ {TARGET_MS:g} ms",
                baseline_name="replaying every event, no snapshot",
                baseline=baseline,
                ratio=baseline / value if value else None,
                met=value <= TARGET_MS,
                cost_us=value * 1000,
                details={
                    "loads": len(with_snapshot),
                    "p95_ms": percentile(with_snapshot, 95) * 1000,
                    "baseline_loads": len(replaying),
                    "baseline_p95_ms": percentile(replaying, 95) * 1000,
                    "journey_version": journey.version,
                    "latest_snapshot": max(snapshots),
                    "events_after_snapshot": journey.version - max(snapshots),
                    "snapshot_taken_here": taken,
                },
            )
        ]
    finally:
        runtime.close()


def _time_loads(load: Any, count: int) -> list[float]:
    for _ in range(WARM_UP):
        load()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        load()
        times.append(time.perf_counter() - started)
    return times
