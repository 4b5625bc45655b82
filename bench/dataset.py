"""The benchmark dataset: ``journeys`` cases (a worker and one journey each) in 150 real
villages of five sending regencies, the users who work on them, and one journey of more than
1,000 events.

Writing through the use cases (one command per transaction, as ``jejak demo-data`` does) would
take hours for a million journeys. Instead:

- the aggregates are made by the domain's own commands, exactly as the use cases make them
  (``bench._data_plan``), in batches of 500 cases (about 3,500 events);
- producer processes (one per core, or ``JEJAK_BENCH_PRODUCERS``) make the batches and turn them into stored events with
  the application's own mapper (per-person AES-GCM sealing, as the use cases' saves do) on
  an application of their own with the same keys; each new worker's data key is made there
  and wrapped under the master key, as ``KeyVault`` does;
- this process writes each batch in two transactions: the data keys and the claims (the
  keyed NIK index of every worker, the open-journey claim of every journey still open) in
  one ``executemany`` each, then the events through the application's recorder
  (``app.recorder.insert_events``, what ``app.save`` calls after mapping): the same ledger,
  gap-free positions and one hash chain per aggregate.

A journey opened and ended in one batch would claim and release its worker's open-journey
claim in the same transaction, which nets to nothing: only open journeys claim. Claims are
written beside the events' transaction rather than inside it (``SaveExtras`` writes one
statement per claim, a fifth of the time on PostgreSQL); nobody else writes while the
dataset is built. The long journey is written by the use cases' own path (``app.save``, which
takes the snapshots every ``snapshot_interval`` events). No read model is built (the rebuild
benchmark builds them from zero)."""

from __future__ import annotations

import multiprocessing
import os
import queue
import random
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from application.app import JejakApplication
from application.journeys import OPEN_JOURNEY_CLAIM, WORKER_JOURNEY_CLAIM
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.users import CreateUser
from application.workers import NIK_CLAIM
from application.writes import WriteOptions
from bench._data_plan import (
    REGENCIES,
    Case,
    NikMaker,
    Village,
    add_long_history,
    make_case,
    pick_villages,
)
from bench.core import Backend, DatasetInfo
from domain.events import Actor, Role
from domain.journey import Journey
from infrastructure.bootstrap import build_runtime
from infrastructure.crypto import new_data_key
from infrastructure.settings import Settings
from infrastructure.store_common import JejakFactory

PASSWORD = "bench-passphrase-1"  # noqa: S105 (a synthetic dataset's users)
ADMIN = "admin.bench"
OFFICER = "petugas.bench"
COORDINATOR = "koordinator.bench"
AUDITOR = "auditor.bench"
#: Cases per transaction: about 7 events each.
BATCH = 500
#: Welfare checks on the long journey (snapshots every ``snapshot_interval`` events).
LONG_CHECKS = 1_000
MAX_PLACEMENT_IDS = 2_000
PROGRESS_EVERY = 100_000
#: Batches queued per producer, so that it never waits for the writer.
AHEAD = 2


def build(
    backend: Backend, settings: Settings, journeys: int, seed: int, workdir: Path
) -> DatasetInfo:
    started = time.perf_counter()
    settings = settings.with_keys()
    runtime = build_runtime(settings, fast_passwords=True)
    app = runtime.app
    try:
        villages = pick_villages(random.Random(seed))
        admin, officer, coordinator = _users(app, [v.code for v in villages])
        producers = int(os.environ.get("JEJAK_BENCH_PRODUCERS", 0)) or max(
            1, min(os.cpu_count() or 1, (journeys - 1) // (4 * BATCH))
        )
        plan = _Plan(
            settings=settings,
            seed=seed,
            villages=villages,
            actor=officer.actor,
            today=app.services.clock.today(),
            stride=producers + 1,
        )
        writer = _Writer(app)
        summary = _Summary(events=4)  # the users
        timed = time.perf_counter()
        next_report = PROGRESS_EVERY
        marks = [(0.0, summary.events)]
        for batch in _produce(plan, producers, journeys - 1):
            writer.write(batch)
            summary.add(batch)
            marks.append((time.perf_counter() - timed, summary.events))
            if summary.journeys >= next_report or summary.journeys == journeys - 1:
                next_report += PROGRESS_EVERY
                elapsed = time.perf_counter() - timed
                print(
                    f"[dataset] {backend.name}: {summary.journeys:,} journeys, "
                    f"{summary.events:,} events, {elapsed:.0f} s "
                    f"({summary.events / elapsed:,.0f} events/s, {producers} producers)",
                    flush=True,
                )
        long_journey, long_events = _long_journey(app, plan, producers)
        summary.events += long_events
        snapshots = _snapshot_versions(app, long_journey)
        seconds = time.perf_counter() - started
        return DatasetInfo(
            journeys=summary.journeys + 1,
            workers=summary.journeys + 1,
            events=summary.events,
            officer_username=OFFICER,
            officer_password=PASSWORD,
            coordinator_username=COORDINATOR,
            coordinator_password=PASSWORD,
            password=PASSWORD,
            regencies=list(REGENCIES),
            placement_journeys=summary.placement,
            long_journey=str(long_journey),
            seconds_to_build=seconds,
            extra={
                "admin_username": ADMIN,
                "auditor_username": AUDITOR,
                "villages": len(villages),
                "stages": summary.stages,
                "producers": producers,
                "events_per_second": round(summary.events / seconds),
                # Does the rate hold as the store grows? First (after the first batch, which waits
                # for the producers to start) and last tenth of the batches.
                "events_per_second_first_tenth": _rate(marks[1 : len(marks) // 10 + 2]),
                "events_per_second_last_tenth": _rate(marks[-(len(marks) // 10 + 1) :]),
                "long_journey_events": long_events - 1,
                "long_journey_snapshots": snapshots,
                "admin_id": str(admin.user_id),
                "coordinator_id": str(coordinator.user_id),
                "officer_id": str(officer.user_id),
            },
        )
    finally:
        runtime.close()


def _rate(marks: list[tuple[float, int]]) -> int | None:
    """Events per second between the first and the last of ``(seconds, events)`` marks."""
    (started, first), (ended, last) = marks[0], marks[-1]
    return round((last - first) / (ended - started)) if ended > started else None


def _users(app: JejakApplication, villages: list[str]) -> tuple[Principal, Principal, Principal]:
    """An admin (made by the system, as ``jejak users create`` does), who makes an officer of
    every village used, a coordinator of the regencies and an auditor."""
    options = WriteOptions()
    made = app.create_user(SYSTEM_PRINCIPAL, CreateUser(ADMIN, PASSWORD, Role.ADMIN, ()), options)
    admin = app.principal_for(made.id)
    principals = [admin]
    for username, role, regions in (
        (OFFICER, Role.OFFICER, tuple(villages)),
        (COORDINATOR, Role.COORDINATOR, REGENCIES),
        (AUDITOR, Role.AUDITOR, ()),
    ):
        made = app.create_user(admin, CreateUser(username, PASSWORD, role, regions), options)
        principals.append(app.principal_for(made.id))
    return principals[0], principals[1], principals[2]


# Producing batches ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What a producer needs: all of it picklable."""

    settings: Settings
    seed: int
    villages: list[Village]
    actor: Actor
    today: date
    #: NIK serials are interleaved: producer k of n uses k+1, k+1+n, ... (the last for us).
    stride: int


@dataclass
class _Batch:
    number: int
    #: (originator id, version, topic, state) of each event, in order.
    events: list[tuple[Any, int, str, bytes]]
    #: (subject id, wrapped key, master key id) of each new worker.
    keys: list[tuple[str, bytes, str]]
    #: (kind, key, owner id) of each claim.
    claims: list[tuple[str, str, str]]
    #: (journey id, stage) of each case.
    cases: list[tuple[str, str]]


class _Producer:
    """Cases made by the domain, mapped by an application of its own (an in-memory store,
    the same keys): the same transcoder and per-person sealing as the writer's."""

    def __init__(self, plan: _Plan, index: int) -> None:
        self.plan = plan
        local = plan.settings.model_copy(update={"database_url": "sqlite:///:memory:"})
        self.runtime = build_runtime(local, fast_passwords=True)
        self.app = self.runtime.app
        factory = self.app.factory
        assert isinstance(factory, JejakFactory)
        self.vault = factory.vault
        self.niks = NikMaker(offset=index, stride=plan.stride)

    def batch(self, number: int, size: int) -> _Batch:
        plan = self.plan
        rng = random.Random(f"{plan.seed}:{number}")
        cases = [
            make_case(rng, rng.choice(plan.villages), plan.today, plan.actor, self.niks)
            for _ in range(size)
        ]
        return self.seal(number, cases)

    def seal(self, number: int, cases: list[Case]) -> _Batch:
        vault = self.vault
        until = time.monotonic() + 3600
        keys = []
        for case in cases:
            subject = str(case.worker.id)
            key = new_data_key()
            keys.append((subject, vault._wrap(subject, key), vault.master_id))
            vault._cache[subject] = (key, until)
        to_stored = self.app.mapper.to_stored_event
        events: list[tuple[Any, int, str, bytes]] = []
        for case in cases:
            for aggregate in (case.worker, case.journey):
                for event in aggregate.collect_events():
                    stored = to_stored(event)
                    events.append(
                        (
                            stored.originator_id,
                            stored.originator_version,
                            stored.topic,
                            stored.state,
                        )
                    )
        vault._cache.clear()
        nik_key = self.app._nik_key
        claims = [(NIK_CLAIM, nik_key(case.nik), str(case.worker.id)) for case in cases]
        claims += [
            (OPEN_JOURNEY_CLAIM, str(case.worker.id), str(case.journey.id))
            for case in cases
            if case.journey.is_open
        ]
        claims += [
            (WORKER_JOURNEY_CLAIM, str(case.journey.id), str(case.worker.id)) for case in cases
        ]
        return _Batch(
            number=number,
            events=events,
            keys=keys,
            claims=claims,
            cases=[(str(case.journey.id), case.stage) for case in cases],
        )

    def close(self) -> None:
        self.runtime.close()


def _sizes(total: int) -> list[int]:
    return [min(BATCH, total - start) for start in range(0, total, BATCH)]


def _produce(plan: _Plan, producers: int, total: int) -> Any:
    """The batches in order: made here when one producer is enough, else by producer
    processes (spawned: this process holds database connections), ``AHEAD`` each in flight."""
    sizes = _sizes(total)
    if producers == 1:
        producer = _Producer(plan, 0)
        try:
            for number, size in enumerate(sizes):
                yield producer.batch(number, size)
        finally:
            producer.close()
        return
    context = multiprocessing.get_context("spawn")
    tasks = [context.Queue() for _ in range(producers)]
    results = [context.Queue() for _ in range(producers)]
    processes = [
        context.Process(
            target=_producer_main,
            args=(plan, index, tasks[index], results[index]),
            daemon=True,
        )
        for index in range(producers)
    ]
    for process in processes:
        process.start()
    try:
        sent = 0
        for _ in range(AHEAD * producers):
            if sent < len(sizes):
                tasks[sent % producers].put((sent, sizes[sent]))
                sent += 1
        for number in range(len(sizes)):
            index = number % producers
            batch = _receive(results[index], processes[index])
            assert batch.number == number
            if sent < len(sizes):
                tasks[sent % producers].put((sent, sizes[sent]))
                sent += 1
            yield batch
    finally:
        for task in tasks:
            task.put(None)
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()


def _receive(results: Any, process: Any) -> _Batch:
    while True:
        try:
            item = results.get(timeout=5)
        except queue.Empty:
            if not process.is_alive():
                msg = f"dataset producer {process.name} died (exit code {process.exitcode})"
                raise RuntimeError(msg) from None
            continue
        if isinstance(item, str):
            msg = f"dataset producer failed:\n{item}"
            raise RuntimeError(msg)
        assert isinstance(item, _Batch)
        return item


def _producer_main(plan: _Plan, index: int, tasks: Any, results: Any) -> None:
    try:
        producer = _Producer(plan, index)
        while (task := tasks.get()) is not None:
            number, size = task
            results.put(producer.batch(number, size))
        producer.close()
    except BaseException:  # handed to the parent, which raises it
        results.put(traceback.format_exc())


# Writing batches ------------------------------------------------------------------------


class _Writer:
    """A batch in two transactions: its data keys and claims, then its events through the
    application's recorder (positions, hash chains)."""

    def __init__(self, app: JejakApplication) -> None:
        self.app = app
        factory = app.factory
        assert isinstance(factory, JejakFactory)
        self.database = factory.database
        self.tables = factory.tables

    def write(self, batch: _Batch) -> None:
        now = datetime.now(UTC).isoformat()
        with self.database.transaction() as tx:
            tx.executemany(
                f"INSERT INTO {self.tables.data_keys} "
                "(subject_id, wrapped_key, master_key_id, created_at) VALUES (?, ?, ?, ?)",
                [(*key, now) for key in batch.keys],
            )
            tx.executemany(
                f"INSERT INTO {self.tables.claims} (kind, key, owner_id, claimed_at) "
                "VALUES (?, ?, ?, ?)",
                [(*claim, now) for claim in batch.claims],
            )
        self.app.recorder.insert_events(
            [
                StoredEvent(originator_id=i, originator_version=v, topic=t, state=s)
                for i, v, t, s in batch.events
            ]
        )


@dataclass
class _Summary:
    events: int = 0
    journeys: int = 0
    placement: list[str] = field(default_factory=list)
    stages: dict[str, int] = field(default_factory=dict)

    def add(self, batch: _Batch) -> None:
        self.events += len(batch.events)
        self.journeys += len(batch.cases)
        for journey_id, stage in batch.cases:
            self.stages[stage] = self.stages.get(stage, 0) + 1
            if stage == "placement" and len(self.placement) < MAX_PLACEMENT_IDS:
                self.placement.append(journey_id)


# The long journey -------------------------------------------------------------------------


def _long_journey(app: JejakApplication, plan: _Plan, producers: int) -> tuple[UUID, int]:
    """A case in placement, departed long enough ago for ``LONG_CHECKS`` daily welfare
    checks, written as the use cases write: ``app.save`` in chunks of 200 events, which
    snapshots the journey every ``snapshot_interval`` events."""
    producer = _Producer(plan, plan.stride - 1)
    try:
        rng = random.Random(f"{plan.seed}:long")
        village = plan.villages[0]
        departed_by = plan.today - timedelta(days=LONG_CHECKS + 1)
        case = make_case(rng, village, plan.today, plan.actor, producer.niks)
        while not _departed_before(case.journey, departed_by):
            case = make_case(rng, village, plan.today, plan.actor, producer.niks)
        _Writer(app).write(producer.seal(-1, [case]))
    finally:
        producer.close()
    journey_id = case.journey.id
    assert case.journey.departure is not None
    day = case.journey.departure["departed_on"] + timedelta(days=1)
    remaining = LONG_CHECKS
    while remaining:
        journey: Any = app.repository.get(journey_id)
        assert isinstance(journey, Journey)
        chunk = min(200, remaining)
        day = add_long_history(rng, journey, plan.actor, day, chunk)
        app.save(journey)
        remaining -= chunk
    final: Any = app.repository.get(journey_id)
    return journey_id, case.worker.version + final.version


def _departed_before(journey: Journey, day: date) -> bool:
    return journey.stage == "placement" and (
        journey.departure is not None and journey.departure["departed_on"] <= day
    )


def _snapshot_versions(app: JejakApplication, journey_id: UUID) -> list[int]:
    assert app.snapshots is not None
    return [snapshot.originator_version for snapshot in app.snapshots.get(journey_id)]
