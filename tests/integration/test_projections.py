"""The projection engine on both backends: batches, exactly once under failure and concurrent
runners, rebuilds that equal the live model, status and lag, wake-ups."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any, ClassVar

import pytest

from application.principal import SYSTEM_PRINCIPAL
from application.readmodels import Column, EventEnvelope, Projection, Query, Table, ViewSession
from application.workers import AddDependent, RegisterWorker
from application.writes import WriteOptions
from domain.worker import Relationship, Sex
from infrastructure.bootstrap import Runtime
from infrastructure.projections.runner import ProjectionEngine, ProjectionRunner
from infrastructure.projections.store import ReadModelStore
from infrastructure.store_common import JejakFactory
from tests.support import VILLAGE, nik_for


class EventTally(Projection):
    """Counts events per type and remembers each event's position once."""

    name = "tally"
    version = 1
    topics = ()
    tables = (
        Table("counts", (Column("type"), Column("events", "int")), key=("type",)),
        Table("seen", (Column("position", "int"), Column("aggregate_id")), key=("position",)),
    )
    fail_at: ClassVar[int | None] = None
    #: (position, seconds): the batch's work pauses there, as on a loaded machine.
    pause_at: ClassVar[tuple[int, float] | None] = None

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        if EventTally.fail_at is not None and envelope.position == EventTally.fail_at:
            raise RuntimeError("simulated crash in the middle of a batch")
        if EventTally.pause_at is not None and envelope.position == EventTally.pause_at[0]:
            time.sleep(EventTally.pause_at[1])
        view.add("counts", (envelope.topic,), {"events": 1})
        view.put(
            "seen", {"position": envelope.position, "aggregate_id": str(envelope.aggregate_id)}
        )


def engine_for(runtime: Runtime, batch_size: int = 7) -> ProjectionEngine:
    factory = runtime.app.factory
    assert isinstance(factory, JejakFactory)
    engine = ProjectionEngine(
        factory.database,
        factory.tables.prefix,
        runtime.app.recorder,
        runtime.app.mapper,  # type: ignore[arg-type]
        (EventTally,),
        batch_size=batch_size,
    )
    engine.set_up()
    return engine


def record_events(runtime: Runtime, workers: int = 5, children: int = 3) -> int:
    for n in range(workers):
        birth = date(1990, 1, 1 + n)
        worker_id = runtime.app.register_worker(
            SYSTEM_PRINCIPAL,
            RegisterWorker(
                nik=nik_for(birth, "L"),
                full_name=f"Pekerja {n}",
                sex=Sex.LAKI_LAKI,
                birth_date=birth,
                village_code=VILLAGE,
            ),
            WriteOptions(),
        ).id
        for c in range(children):
            runtime.app.add_dependent(
                SYSTEM_PRINCIPAL,
                worker_id,
                AddDependent(
                    name=f"Anak {c}", birth_date=date(2015, 1, 1), relationship=Relationship.CHILD
                ),
                WriteOptions(),
            )
    return int(runtime.app.recorder.max_notification_id() or 0)


def catch_up(engine: ProjectionEngine) -> None:
    while engine.process():
        pass


def counts(runtime: Runtime, engine: ProjectionEngine) -> dict[str, int]:
    store = ReadModelStore(engine)
    page = store.query("tally", Query(table="counts", limit=1000))
    return {row["type"]: row["events"] for row in page.rows}


@pytest.fixture(autouse=True)
def _no_failure() -> Any:
    EventTally.fail_at = None
    yield
    EventTally.fail_at = None


def test_a_projection_catches_up_in_batches_and_reports_its_position(runtime: Runtime) -> None:
    head = record_events(runtime)
    engine = engine_for(runtime)
    catch_up(engine)
    assert counts(runtime, engine) == {
        "jejak:Worker.Registered": 5,
        "jejak:Worker.DependentAdded": 15,
    }
    assert ReadModelStore(engine).position("tally") == head
    status = next(s for s in ReadModelStore(engine).status() if s.name == "tally")
    assert (status.lag_events, status.lag_seconds) == (0, 0.0)


def test_a_crash_in_the_middle_of_a_batch_applies_nothing_and_a_restart_applies_all_once(
    runtime: Runtime,
) -> None:
    head = record_events(runtime)
    engine = engine_for(runtime, batch_size=50)
    EventTally.fail_at = 11
    with pytest.raises(RuntimeError, match="simulated crash"):
        engine.process()
    store = ReadModelStore(engine)
    assert store.position("tally") == 0
    assert counts(runtime, engine) == {}
    status = next(s for s in store.status() if s.name == "tally")
    assert status.lag_events == head
    assert status.lag_seconds >= 0
    EventTally.fail_at = None
    restarted = engine_for(runtime, batch_size=50)
    catch_up(restarted)
    assert sum(counts(runtime, restarted).values()) == head
    seen = store.query("tally", Query(table="seen", limit=1000)).rows
    assert [row["position"] for row in seen] == list(range(1, head + 1))


def test_two_runners_at_once_never_apply_an_event_twice(runtime: Runtime) -> None:
    head = record_events(runtime, workers=8)
    first, second = engine_for(runtime, batch_size=5), engine_for(runtime, batch_size=5)
    errors: list[BaseException] = []

    def run(engine: ProjectionEngine) -> None:
        try:
            for _ in range(200):
                engine.process()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(e,)) for e in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    catch_up(first)
    assert errors == []
    assert sum(counts(runtime, first).values()) == head


def test_a_rebuild_from_zero_produces_exactly_the_live_rows(runtime: Runtime) -> None:
    record_events(runtime, workers=6)
    engine = engine_for(runtime)
    catch_up(engine)
    store = ReadModelStore(engine)
    live = store.query("tally", Query(table="seen", limit=1000)).rows
    live_counts = counts(runtime, engine)
    before = engine.active("tally")
    assert before is not None
    rebuilt = engine.rebuild("tally")
    after = engine.active("tally")
    assert after is not None
    assert after.generation == rebuilt.generation > before.generation
    assert store.query("tally", Query(table="seen", limit=1000)).rows == live
    assert counts(runtime, engine) == live_counts
    assert [g.state for g in engine.generations("tally")] == ["active"]


def test_readers_keep_the_old_generation_until_the_new_one_caught_up(runtime: Runtime) -> None:
    head = record_events(runtime, workers=3)
    engine = engine_for(runtime, batch_size=2)
    catch_up(engine)
    building = engine.start_rebuild("tally")
    engine.process(states=("building",))
    store = ReadModelStore(engine)
    active = engine.active("tally")
    assert active is not None
    assert active.generation != building.generation
    assert sum(counts(runtime, engine).values()) == head
    catch_up(engine)
    active = engine.active("tally")
    assert active is not None
    assert active.generation == building.generation
    assert store.position("tally") == head


def test_keyset_pages_and_filters(runtime: Runtime) -> None:
    record_events(runtime, workers=4)
    engine = engine_for(runtime)
    catch_up(engine)
    store = ReadModelStore(engine)
    seen: list[int] = []
    after = None
    while True:
        page = store.query("tally", Query(table="seen", limit=3, after=after))
        seen.extend(row["position"] for row in page.rows)
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == list(range(1, 17))
    from application.readmodels import Filter

    newest = store.query(
        "tally",
        Query(table="seen", filters=[Filter("position", ">", 10)], descending=True, limit=2),
    )
    assert [row["position"] for row in newest.rows] == [16, 15]


def test_the_runner_wakes_up_for_new_events(runtime: Runtime) -> None:
    engine = engine_for(runtime)
    runner = ProjectionRunner(engine, poll_seconds=5.0)
    runtime.app.on_recorded(runner.nudge)
    runner.start()
    try:
        head = record_events(runtime, workers=1, children=1)
        store = ReadModelStore(engine)
        assert store.wait_for("tally", head, timeout=3.0)
    finally:
        runner.stop()


def test_postgres_notifications_wake_a_runner_in_another_process(
    runtime: Runtime, settings: Any
) -> None:
    """No in-process nudge: only LISTEN/NOTIFY (PostgreSQL) or polling (SQLite) can wake it."""
    engine = engine_for(runtime)
    runner = ProjectionRunner(
        engine, poll_seconds=0.2 if settings.database_url.startswith("sqlite") else 30.0
    )
    runner.start()
    try:
        head = record_events(runtime, workers=1, children=0)
        assert ReadModelStore(engine).wait_for("tally", head, timeout=3.0)
    finally:
        runner.stop()
