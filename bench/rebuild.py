"""Row 3: every projection rebuilt from zero (``ProjectionEngine.rebuild_all``), against
the eventsourcing library's own ``ProjectionRunner`` running a simpler projection (journeys by
stage, kept the library's way: one transaction per event with its tracking row) over the same
events.

The rebuild runs in a child process (``python -m bench.rebuild``), so its peak RSS is the
rebuild's alone, not the dataset builder's. It runs last, so the read models are current for the reports benchmark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from eventsourcing.persistence import ListenNotifySubscription, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.projection import Projection as LibraryProjection
from eventsourcing.projection import ProjectionRunner
from eventsourcing.sqlite import SQLiteTrackingRecorder

from bench.core import Context, Measurement, MemoryReading
from infrastructure.settings import Settings

NUMBERS = (3,)
TARGET_RATE = 20_000.0
TARGET_RATIO = 20.0
#: The library's runner is slow: it is timed on a prefix of the feed for at most this long.
BASELINE_SECONDS = {True: 2.0, False: 20.0}

STAGE_BY_TOPIC = {
    "jejak:Journey.Opened": "pre_departure",
    "jejak:Journey.Departed": "placement",
    "jejak:Journey.Returned": "returned",
    "jejak:Journey.ReintegrationPlanned": "reintegration",
    "jejak:Journey.Cancelled": "cancelled",
    "jejak:Journey.Closed": "closed",
}
VIEW = "benchstages"


# The baseline: a projection written the library's way -----------------------------------


class _SQLiteStages(SQLiteTrackingRecorder):
    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            c.execute("DROP TABLE IF EXISTS stage_of")
            c.execute("DROP TABLE IF EXISTS stage_counts")
            c.execute("DELETE FROM tracking")
            c.execute("CREATE TABLE stage_of (journey_id TEXT PRIMARY KEY, stage TEXT)")
            c.execute("CREATE TABLE stage_counts (stage TEXT PRIMARY KEY, journeys INTEGER)")

    def move(self, journey_id: str, stage: str, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("SELECT stage FROM stage_of WHERE journey_id = ?", (journey_id,))
            row = c.fetchone()
            if row is not None:
                c.execute(
                    "UPDATE stage_counts SET journeys = journeys - 1 WHERE stage = ?", (row[0],)
                )
            c.execute(
                "INSERT INTO stage_counts VALUES (?, 1) ON CONFLICT (stage) "
                "DO UPDATE SET journeys = journeys + 1",
                (stage,),
            )
            c.execute(
                "INSERT INTO stage_of VALUES (?, ?) ON CONFLICT (journey_id) "
                "DO UPDATE SET stage = excluded.stage",
                (journey_id, stage),
            )
            self._insert_tracking(c, tracking)


class _PostgresStages(PostgresTrackingRecorder):
    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            c.execute("DROP TABLE IF EXISTS bench_stage_of")
            c.execute("DROP TABLE IF EXISTS bench_stage_counts")
            c.execute(f"DELETE FROM {self.tracking_table_name}")
            c.execute("CREATE TABLE bench_stage_of (journey_id TEXT PRIMARY KEY, stage TEXT)")
            c.execute("CREATE TABLE bench_stage_counts (stage TEXT PRIMARY KEY, journeys BIGINT)")

    def move(self, journey_id: str, stage: str, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("SELECT stage FROM bench_stage_of WHERE journey_id = %s", (journey_id,))
            row = c.fetchone()
            if row is not None:
                c.execute(
                    "UPDATE bench_stage_counts SET journeys = journeys - 1 WHERE stage = %s",
                    (row["stage"],),
                )
            c.execute(
                "INSERT INTO bench_stage_counts VALUES (%s, 1) ON CONFLICT (stage) "
                "DO UPDATE SET journeys = bench_stage_counts.journeys + 1",
                (stage,),
            )
            c.execute(
                "INSERT INTO bench_stage_of VALUES (%s, %s) ON CONFLICT (journey_id) "
                "DO UPDATE SET stage = excluded.stage",
                (journey_id, stage),
            )
            self._insert_tracking(c, tracking)

    def drop(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("DROP TABLE IF EXISTS bench_stage_of")
            c.execute("DROP TABLE IF EXISTS bench_stage_counts")
            c.execute(f"DROP TABLE IF EXISTS {self.tracking_table_name}")


class JourneysByStage(LibraryProjection[Any]):
    """Journeys counted by stage, one event and one tracking row per transaction: what the
    library's documentation shows (stages from topics alone, corrections ignored: less work
    than the Jejak projections do)."""

    name = VIEW
    topics = ()

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        stage = STAGE_BY_TOPIC.get(type(domain_event).TOPIC)
        if stage is None:
            self.view.insert_tracking(tracking)
        else:
            self.view.move(str(domain_event.originator_id), stage, tracking)


def _source_class(settings: Settings) -> type[Any]:
    """The Jejak application as the library's runner constructs it (``cls(env)``)."""
    from application.app import JejakApplication
    from application.ports import Services
    from infrastructure.clock import SystemClock
    from infrastructure.crypto import Keyring
    from infrastructure.passwords import Argon2Passwords
    from infrastructure.regions import KemendagriRegister

    assert settings.signing_key is not None
    services = Services(
        regions=KemendagriRegister(),
        passwords=Argon2Passwords(fast=True),
        keyring=Keyring(settings.signing_key),
        clock=SystemClock(),
        settings={"snapshot_interval": settings.snapshot_interval},
    )

    class Source(JejakApplication):
        def __init__(self, env: Any = None) -> None:
            super().__init__(env=env, services=services)
            if settings.database_url.startswith("sqlite"):
                # The library's SQLite recorder has no subscriptions (NotImplementedError);
                # its base subscription pulls what is stored, which is all a rebuild needs.
                recorder = self.recorder

                def subscribe(gt: int | None = None, topics: Any = ()) -> Any:
                    return ListenNotifySubscription(recorder=recorder, gt=gt, topics=topics)

                recorder.subscribe = subscribe  # type: ignore[method-assign]

    return Source


def baseline(ctx: Context, head: int) -> dict[str, Any]:
    """Events per second of the library's ProjectionRunner over a prefix of the feed."""
    from infrastructure.persistence import library_env

    env = library_env(ctx.settings)
    prefix = VIEW.upper()
    env[f"{prefix}_CREATE_TABLE"] = "yes"  # the library's own view tables
    if ctx.backend.name == "sqlite":
        view_file = ctx.workdir / "baseline-view.sqlite3"
        view_file.unlink(missing_ok=True)
        env[f"{prefix}_PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
        env[f"{prefix}_SQLITE_DBNAME"] = str(view_file)
        view_class: type[Any] = _SQLiteStages
    else:
        env[f"{prefix}_PERSISTENCE_MODULE"] = "eventsourcing.postgres"
        view_class = _PostgresStages
    limit = BASELINE_SECONDS[ctx.quick]
    started = time.perf_counter()
    runner = ProjectionRunner(
        application_class=_source_class(ctx.settings),
        projection_class=JourneysByStage,
        view_class=view_class,
        env=env,
    )
    done = 0
    with runner:
        while True:
            time.sleep(0.05)
            done = runner.view.max_tracking_id(runner.app_name) or 0
            elapsed = time.perf_counter() - started
            if done >= head or elapsed >= limit:
                break
        runner.stop()
    elapsed = time.perf_counter() - started
    if isinstance(runner.view, _PostgresStages):
        runner.view.drop()
    return {"events": done, "seconds": elapsed, "rate": done / elapsed if elapsed else 0.0}


# Ours: the command line's rebuild, in a child process ------------------------------------


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "JEJAK_DATABASE_URL": settings.database_url,
            "JEJAK_DEV_KEY_FILE": str(settings.dev_key_file),
            "JEJAK_MASTER_KEY": settings.master_key or "",
            "JEJAK_SIGNING_KEY": settings.signing_key or "",
            "JEJAK_LOG_LEVEL": "WARNING",
        }
    )
    return env


def rebuild_in_child(ctx: Context, module: str = "bench.rebuild") -> dict[str, Any]:
    """Runs ``python -m <module>`` (a timed rebuild) and answers the JSON of its last line."""
    done = subprocess.run(
        [sys.executable, "-m", module],
        env=child_env(ctx.settings),
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        msg = f"projection rebuild failed ({done.returncode}):\n{done.stderr[-3000:]}"
        raise RuntimeError(msg)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def child() -> int:
    """Every projection rebuilt from zero in one pass (``ProjectionEngine.rebuild_all``),
    timed, with this process's peak RSS; the last line of standard output is JSON."""
    from bench.core import own_peak_rss_mb
    from infrastructure.bootstrap import build_runtime

    runtime = build_runtime(Settings())
    try:
        engine = runtime.projections
        names = list(engine.projections)
        started = time.perf_counter()
        engine.rebuild_all(names)
        seconds = time.perf_counter() - started
        head = engine.head()
        ok = all((g := engine.active(n)) is not None and g.position >= head for n in names)
    finally:
        runtime.close()
    print(
        json.dumps(
            {
                "status": 0 if ok else 1,
                "seconds": seconds,
                "projections": names,
                "peak_rss_mb": own_peak_rss_mb(),
            }
        )
    )
    return 0 if ok else 1


def store_head(ctx: Context) -> int:
    runtime = ctx.runtime()
    try:
        return runtime.projections.head()
    finally:
        runtime.close()


def run(ctx: Context) -> list[Measurement | MemoryReading]:
    head = store_head(ctx)
    base = baseline(ctx, head)
    repeats = 1 if ctx.quick or head > 200_000 else 2
    runs = [rebuild_in_child(ctx) for _ in range(repeats)]
    best = sorted(runs, key=lambda r: float(r["seconds"]))[len(runs) // 2]
    seconds = float(best["seconds"])
    rate = head / seconds
    ratio = rate / base["rate"] if base["rate"] else None
    details: dict[str, Any] = {
        "measured": f"all {len(best['projections'])} projections rebuilt from zero together "
        "(ProjectionEngine.rebuild_all, one pass over the feed) in a child process: store "
        "events / wall time of the rebuild, including its 0.5 s grace before dropping the "
        "old generations",
        "runs": len(runs),
        "seconds": round(seconds, 2),
        "baseline": "eventsourcing ProjectionRunner, journeys by stage, one transaction per "
        f"event; {base['events']:,} of {head:,} events in {base['seconds']:.1f} s",
    }
    if ctx.backend.name == "sqlite":
        details["baseline_note"] = (
            "the library's SQLite recorder cannot subscribe: its base ListenNotifySubscription "
            "pulls the stored events instead"
        )
    memory = max(float(r["peak_rss_mb"]) for r in runs)
    return [
        Measurement(
            number=3,
            name="projection rebuild from zero",
            backend=ctx.backend.name,
            size=ctx.size_name,
            journeys=ctx.dataset.journeys,
            events=head,
            value=rate,
            unit="events/s",
            target="≥ 20,000 events/s and ≥ 20 x the library's ProjectionRunner",
            baseline_name="eventsourcing ProjectionRunner",
            baseline=base["rate"],
            ratio=ratio,
            met=rate >= TARGET_RATE and ratio is not None and ratio >= TARGET_RATIO,
            cost_us=1e6 / rate if rate else None,
            details=details,
        ),
        MemoryReading(
            process="projection rebuild",
            backend=ctx.backend.name,
            size=ctx.size_name,
            journeys=ctx.dataset.journeys,
            peak_rss_mb=memory,
        ),
    ]


if __name__ == "__main__":
    sys.exit(child())
