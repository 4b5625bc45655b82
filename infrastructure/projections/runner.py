"""The projection runner: reads the global feed in batches and applies each batch to each
projection in one transaction together with its new position (exactly once, restart-safe).

The library's ProjectionRunner commits one event per transaction and cannot follow SQLite at
all; this one works on SQLite by polling (and by in-process wake-ups) and on PostgreSQL with
LISTEN/NOTIFY, on top of the library's notification log."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from eventsourcing.persistence import ApplicationRecorder, Notification

from application.readmodels import EventEnvelope, Projection
from infrastructure.db import Database
from infrastructure.mapper import PersonalDataMapper
from infrastructure.projections.schema import (
    TRACKING,
    create_statements,
    drop_statements,
    tracking_statements,
)
from infrastructure.projections.session import BatchSession, RowCache

logger = logging.getLogger("jejak.projections")

BATCH = 2000
#: How long a batch's transaction may sit between statements on PostgreSQL. The library sets
#: 5 s on every connection, which rightly ends a writer that leaked a transaction while
#: holding the events table's lock; but a batch does its Python work (decoding, replaying
#: aggregates, extracting facts) between statements, and on a loaded machine that took
#: longer: the server ended the transaction, the batch failed and was tried again, and the
#: rebuild could never finish. A batch locks only its own read-model rows and tracking row.
BATCH_IDLE_TIMEOUT = "120s"


class AggregateStates:
    """Aggregates evolved event by event for projections that derive facts from them: the
    most recently touched stay in memory; any other is replayed from the store on demand
    (never from a snapshot: those are sealed with personal keys)."""

    def __init__(
        self, recorder: ApplicationRecorder, mapper: PersonalDataMapper, capacity: int
    ) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.capacity = capacity
        self._items: OrderedDict[Any, Any] = OrderedDict()

    def after(self, event: Any) -> Any:
        identity = event.originator_id
        aggregate = self._items.pop(identity, None)
        if aggregate is None or aggregate.version != event.originator_version - 1:
            aggregate = self._replay(identity, event.originator_version - 1)
        aggregate = event.mutate(aggregate)
        self._items[identity] = aggregate
        if len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return aggregate

    def forget(self) -> None:
        self._items.clear()

    def _replay(self, identity: Any, upto: int) -> Any:
        aggregate = None
        if upto < 1:
            return None
        for stored in self.recorder.select_events(identity, lte=upto):
            aggregate = self.mapper.to_domain_event(stored).mutate(aggregate)  # type: ignore[attr-defined]
        return aggregate


class PositionMoved(Exception):
    """Another runner applied this batch first; ours is rolled back."""


@dataclass
class Generation:
    name: str
    generation: int
    version: int
    position: int
    state: str


class ProjectionEngine:
    """Everything about projections that touches the database: tracking, batches, rebuilds."""

    def __init__(
        self,
        database: Database,
        prefix: str,
        recorder: ApplicationRecorder,
        mapper: PersonalDataMapper,
        projections: Sequence[type[Projection]],
        *,
        batch_size: int = BATCH,
        aggregate_cache: int = 20_000,
        row_cache: int = 20_000,
    ) -> None:
        self.db = database
        self.prefix = prefix
        self.recorder = recorder
        self.mapper = mapper.public()
        self.projections = {projection.name: projection for projection in projections}
        self.batch_size = batch_size
        self.aggregate_cache = aggregate_cache
        self._states: dict[frozenset[tuple[str, int]], AggregateStates] = {}
        #: Rows per table kept between batches for each generation (see ``RowCache``).
        self.row_cache = row_cache
        self._rows: dict[tuple[str, int], RowCache] = {}

    # Set-up ------------------------------------------------------------------------------

    def set_up(self) -> None:
        """Creates tracking and the first generation of any projection not yet known."""
        with self.db.transaction() as tx:
            for statement in tracking_statements(self.prefix):
                tx.execute(statement)
        for name, projection in self.projections.items():
            generations = self.generations(name)
            if not any(g.state in ("active", "building") for g in generations):
                self._create_generation(
                    projection, 1 + max((g.generation for g in generations), default=0), "active"
                )
            active = self.active(name)
            if (
                active is not None
                and active.version != projection.version
                and not any(g.state == "building" for g in generations)
            ):
                logger.warning(
                    "projection changed version: rebuilding",
                    extra={"projection": name, "from": active.version, "to": projection.version},
                )
                self.start_rebuild(name)

    def generations(self, name: str) -> list[Generation]:
        with self.db.reading() as tx:
            rows = tx.fetchall(
                f"SELECT name, generation, version, position, state FROM {self.prefix}{TRACKING} "  # noqa: S608
                "WHERE name = ? ORDER BY generation",
                (name,),
            )
        return [Generation(str(r[0]), int(r[1]), int(r[2]), int(r[3]), str(r[4])) for r in rows]

    def active(self, name: str) -> Generation | None:
        return next((g for g in self.generations(name) if g.state == "active"), None)

    def start_rebuild(self, name: str) -> Generation:
        """A fresh generation at position zero, built beside the active one."""
        projection = self.projections[name]
        existing = self.generations(name)
        building = next((g for g in existing if g.state == "building"), None)
        if building is not None:
            return building
        number = 1 + max((g.generation for g in existing), default=0)
        return self._create_generation(projection, number, "building")

    def _create_generation(
        self, projection: type[Projection], number: int, state: str
    ) -> Generation:
        now = _now()
        with self.db.transaction() as tx:
            for statement in drop_statements(self.prefix, projection, number):
                tx.execute(statement)
            for statement in create_statements(self.db.dialect, self.prefix, projection, number):
                tx.execute(statement)
            tx.execute(
                f"INSERT INTO {self.prefix}{TRACKING} (name, generation, version, position, state, "  # noqa: S608
                "created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, ?)",
                (projection.name, number, projection.version, state, now, now),
            )
        return Generation(projection.name, number, projection.version, 0, state)

    # Processing --------------------------------------------------------------------------

    def head(self) -> int:
        return int(self.recorder.max_notification_id() or 0)

    def process(self, states: Sequence[str] = ("active", "building")) -> int:
        """Applies at most one batch to each tracked generation; returns events applied.
        Generations at the same position share the batch: each event is read and decoded
        once, each aggregate evolved once, and all of them commit in one transaction."""
        head = self.head()
        applied = 0
        pending: list[Generation] = []
        for name in self.projections:
            for generation in self.generations(name):
                if generation.state in states and generation.position < head:
                    pending.append(generation)
        for group in _by_position(pending):
            applied += self._apply_batch(group, head)
        for name in self.projections:
            if any(g.state == "building" for g in self.generations(name)):
                self._switch_if_caught_up(name)
        return applied

    def _apply_batch(self, generations: Sequence[Generation], head: int) -> int:
        """One batch of the feed applied to generations that all stand at one position."""
        position = generations[0].position
        specs = [self.projections[g.name] for g in generations]
        topics: tuple[str, ...] = ()
        if all(spec.topics for spec in specs):
            topics = tuple(sorted({t for spec in specs for t in spec.topics}))
        notifications = self.recorder.select_notifications(
            start=position + 1, limit=self.batch_size, stop=head, topics=topics
        )
        # Positions are gap-free and in commit order, so when fewer than a batch match, the
        # projection has seen everything up to the head.
        new_position = notifications[-1].id if len(notifications) == self.batch_size else head
        instances = [spec() for spec in specs]
        wanted = [frozenset(spec.topics) if spec.topics else None for spec in specs]
        prefixes = sorted({p for spec in specs for p in spec.aggregates})
        states = self._states_for(generations) if prefixes else None
        caches = [self._rows_for(g) for g in generations]
        try:
            with self.db.transaction() as tx:
                if self.db.dialect == "postgresql":
                    tx.execute(
                        f"SET LOCAL idle_in_transaction_session_timeout = '{BATCH_IDLE_TIMEOUT}'"
                    )
                sessions = [
                    BatchSession(tx, self.db.dialect, self.prefix, spec, g.generation, cache)
                    for spec, g, cache in zip(specs, generations, caches, strict=True)
                ]
                self._apply_all(notifications, instances, wanted, sessions, states, prefixes)
                now = _now()
                for generation, session in zip(generations, sessions, strict=True):
                    session.flush()
                    moved = tx.execute(
                        f"UPDATE {self.prefix}{TRACKING} SET position = ?, updated_at = ? "  # noqa: S608
                        "WHERE name = ? AND generation = ? AND position = ?",
                        (new_position, now, generation.name, generation.generation, position),
                    )
                    if moved != 1:
                        raise PositionMoved
        except PositionMoved:
            if states is not None:
                states.forget()
            self._forget_rows(generations)
            return 0
        except Exception:
            if states is not None:
                states.forget()  # they may have moved past what was committed
            self._forget_rows(generations)
            raise
        for session in sessions:
            session.remember(new_position)
        return len(notifications) * len(generations)

    def _rows_for(self, generation: Generation) -> RowCache:
        """The generation's cached rows, if they are still those at its position."""
        key = (generation.name, generation.generation)
        cache = self._rows.get(key)
        if cache is None or cache.position != generation.position:
            tables = [table.name for table in self.projections[generation.name].tables]
            cache = self._rows[key] = RowCache(generation.position, self.row_cache, tables)
        return cache

    def _forget_rows(self, generations: Sequence[Generation]) -> None:
        for generation in generations:
            self._rows.pop((generation.name, generation.generation), None)

    def _apply_all(
        self,
        notifications: Sequence[Notification],
        instances: Sequence[Projection],
        wanted: Sequence[frozenset[str] | None],
        sessions: Sequence[BatchSession],
        states: AggregateStates | None,
        prefixes: Sequence[str],
    ) -> None:
        """Each event decoded once, its aggregate evolved once, then handed to every
        projection that reads its topic (with that projection's own facts)."""
        to_domain_event = self.mapper.to_domain_event
        for notification in notifications:
            topic = notification.topic
            readers = [i for i, topics in enumerate(wanted) if topics is None or topic in topics]
            if not readers:
                continue
            event: Any = to_domain_event(notification)
            aggregate = None
            if states is not None and topic.startswith(tuple(prefixes)):
                aggregate = states.after(event)
            shared: EventEnvelope | None = None
            for i in readers:
                instance = instances[i]
                projection = type(instance)
                if aggregate is not None and topic.startswith(projection.aggregates):
                    envelope = EventEnvelope(
                        position=notification.id,
                        aggregate_id=notification.originator_id,  # type: ignore[arg-type]
                        version=notification.originator_version,
                        topic=topic,
                        recorded_at=event.timestamp,
                        event=event,
                        facts=instance.extract(aggregate),
                    )
                else:
                    if shared is None:
                        shared = EventEnvelope(
                            position=notification.id,
                            aggregate_id=notification.originator_id,  # type: ignore[arg-type]
                            version=notification.originator_version,
                            topic=topic,
                            recorded_at=event.timestamp,
                            event=event,
                        )
                    envelope = shared
                instance.apply(envelope, sessions[i])

    def _states_for(self, generations: Sequence[Generation]) -> AggregateStates:
        """Aggregates evolved for one group of generations moving together; a group that
        changes (a rebuild caught up) starts afresh (the cache replays what it misses)."""
        key = frozenset((g.name, g.generation) for g in generations)
        if key not in self._states:
            for other in [k for k in self._states if k & key]:
                del self._states[other]
            self._states[key] = AggregateStates(self.recorder, self.mapper, self.aggregate_cache)
        return self._states[key]

    def _switch_if_caught_up(self, name: str) -> bool:
        generations = self.generations(name)
        building = next((g for g in generations if g.state == "building"), None)
        if building is None or building.position < self.head():
            return False
        with self.db.transaction() as tx:
            tx.execute(
                f"UPDATE {self.prefix}{TRACKING} SET state = 'retired', updated_at = ? "  # noqa: S608
                "WHERE name = ? AND state = 'active'",
                (_now(), name),
            )
            tx.execute(
                f"UPDATE {self.prefix}{TRACKING} SET state = 'active', updated_at = ? "  # noqa: S608
                "WHERE name = ? AND generation = ?",
                (_now(), name, building.generation),
            )
        logger.info(
            "projection rebuilt", extra={"projection": name, "generation": building.generation}
        )
        return True

    def drop_retired(self, name: str) -> None:
        projection = self.projections[name]
        for generation in self.generations(name):
            if generation.state == "retired":
                with self.db.transaction() as tx:
                    for statement in drop_statements(
                        self.prefix, projection, generation.generation
                    ):
                        tx.execute(statement)
                    tx.execute(
                        f"DELETE FROM {self.prefix}{TRACKING} WHERE name = ? AND generation = ?",  # noqa: S608
                        (name, generation.generation),
                    )
                self._rows.pop((name, generation.generation), None)

    def rebuild(
        self, name: str, *, progress: Callable[[int, int], None] | None = None
    ) -> Generation:
        """Builds a fresh generation from zero and switches readers to it when caught up."""
        return self.rebuild_all([name], progress=progress)[0]

    def rebuild_all(
        self, names: Sequence[str], *, progress: Callable[[int, int], None] | None = None
    ) -> list[Generation]:
        """Builds fresh generations of several projections in one pass over the feed (each
        event read and decoded once for all of them) and switches readers to each when it
        has caught up."""
        numbers = {name: self.start_rebuild(name).generation for name in names}
        while True:
            head = self.head()
            building = [
                g
                for name, number in numbers.items()
                for g in self.generations(name)
                if g.generation == number and g.state == "building"
            ]
            if not building:
                break
            behind = [g for g in building if g.position < head]
            if behind:
                group = _by_position(behind)[0]
                self._apply_batch(group, head)
                if progress is not None:
                    progress(min(g.position for g in behind), head)
            for generation in building:
                self._switch_if_caught_up(generation.name)
        time.sleep(0.5)  # let reads that resolved the old generation finish
        for name in names:
            self.drop_retired(name)
        return [
            next(g for g in self.generations(name) if g.generation == number)
            for name, number in numbers.items()
        ]


class ProjectionRunner:
    """Runs the engine in a background thread (inside ``jejak serve``) or in the foreground
    (``jejak projections run``), waking on new events."""

    def __init__(
        self, engine: ProjectionEngine, *, poll_seconds: float = 0.5, listen: bool = True
    ) -> None:
        self.engine = engine
        self.poll_seconds = poll_seconds
        self.listen = listen
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.errors = 0

    def nudge(self, *_: object) -> None:
        self.wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.run_forever, name="jejak-projections", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def run_forever(self) -> None:
        """Processes until stopped. A database restart breaks the LISTEN connection as well
        as batches: both are logged and retried with backoff, and the thread never dies
        (it did, silently, when the LISTEN connection broke, and projections stopped)."""
        while not self.stopping.is_set():
            try:
                with self._notifications() as notified:
                    self._follow(notified)
            except Exception as error:
                self._failed("projection listener failed", error)

    def _follow(self, notified: Callable[[float], bool]) -> None:
        while not self.stopping.is_set():
            try:
                applied = self.engine.process()
                self.errors = 0
            except Exception as error:
                self._failed("projection batch failed", error)
                applied = 0
            if applied:
                continue
            self._wait(notified)

    def _failed(self, message: str, error: Exception) -> None:
        self.errors += 1
        logger.warning(message, extra={"error_type": type(error).__name__})
        self.stopping.wait(min(5.0, 0.2 * 2 ** min(self.errors, 5)))

    def _wait(self, notified: Callable[[float], bool]) -> None:
        if self.wake.wait(0):
            self.wake.clear()
            return
        if notified(self.poll_seconds):
            return
        self.wake.wait(0)
        self.wake.clear()

    @contextlib.contextmanager
    def _notifications(self) -> Iterator[Callable[[float], bool]]:
        """On PostgreSQL, waits on NOTIFY from the recorder; otherwise sleeps a little."""
        datastore = getattr(self.engine.recorder, "datastore", None)
        pool = getattr(datastore, "pool", None)
        kwargs = getattr(pool, "kwargs", None)
        channel = getattr(self.engine.recorder, "channel_name", None)
        if not (self.listen and kwargs and channel and self.engine.db.dialect == "postgresql"):

            def sleep(timeout: float) -> bool:
                return self.wake.wait(timeout)

            yield sleep
            return
        connection = psycopg.connect(
            **{k: v for k, v in kwargs.items() if k != "row_factory"}, autocommit=True
        )
        try:
            connection.execute(f'LISTEN "{channel}"')

            def listen(timeout: float) -> bool:
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline and not self.wake.is_set():
                    for _ in connection.notifies(timeout=min(0.1, timeout), stop_after=1):
                        return True
                return self.wake.is_set()

            yield listen
        finally:
            connection.close()


def _by_position(generations: Sequence[Generation]) -> list[list[Generation]]:
    """Generations grouped by the position they stand at, the furthest behind first."""
    groups: dict[int, list[Generation]] = {}
    for generation in generations:
        groups.setdefault(generation.position, []).append(generation)
    return [groups[position] for position in sorted(groups)]


def _now() -> str:
    return datetime.now(UTC).isoformat()
