"""The production store: eventsourcing's PostgreSQL recorder with Jejak's write path.

Positions are assigned explicitly while the writer holds the store's write lock (a
transaction-scoped advisory lock: a table lock in EXCLUSIVE mode would need UPDATE or DELETE
privilege on the events table, which the runtime role must not have), so the feed has no
gaps even when a transaction rolls back (a sequence would leave one), in commit order. The
events table and the access log refuse UPDATE, DELETE and TRUNCATE for everybody until
their owner disables the trigger on purpose; the runtime role is not their owner (see
``infrastructure/schema.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    InterfaceError,
    Notification,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import (
    ConnectionPool,
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from psycopg.sql import SQL, Composed, Identifier
from psycopg_pool import PoolTimeout
from psycopg_pool.base import AttemptWithBackoff

from application.ports import SaveExtras
from infrastructure.db import PostgresDatabase, advisory_key
from infrastructure.keys import StoreKeys
from infrastructure.ledger import LedgerWriter, Tables, side_table_statements
from infrastructure.snapshot_seals import SealedSnapshotRecorder, SealedSnapshots
from infrastructure.store_common import JejakFactory, LedgerReads


def tables_for(datastore: PostgresDatastore) -> Tables:
    return Tables(prefix=f'"{datastore.schema}".')


T = TypeVar("T")

# The library's reads without its retry decorator (ten attempts, each of which may wait the
# pool's whole timeout: a request caught by a database outage hung for up to a minute).
_select_events = PostgresAggregateRecorder.select_events.__wrapped__
_select_notifications = PostgresApplicationRecorder.select_notifications.__wrapped__
_max_notification_id = PostgresApplicationRecorder.max_notification_id.__wrapped__


def _read(read: Callable[[], T]) -> T:
    """Runs a read; once more if a pooled connection broke under it (the server restarted
    since it was opened), never after the pool could not hand out a connection at all: the
    server is away, and the caller answers 503 after one pool timeout instead of ten."""
    try:
        return read()
    except (OperationalError, InterfaceError) as error:
        if isinstance(error.__cause__, PoolTimeout):
            raise
        return read()


class BoundedReads:
    """Event reads that give up after one pool timeout when PostgreSQL is unreachable."""

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        events: Sequence[StoredEvent] = _read(
            lambda: _select_events(self, originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        )
        return events


class JejakSnapshotRecorder(SealedSnapshotRecorder, PostgresAggregateRecorder):
    """The library's snapshot table, every row sealed (``infrastructure/snapshot_seals.py``),
    with bounded reads."""

    def __init__(self, datastore: PostgresDatastore, *, keys: StoreKeys) -> None:
        super().__init__(datastore, events_table_name="jejak_snapshots")
        self.sealed = SealedSnapshots(
            PostgresDatabase(datastore), tables_for(datastore), keys.snapshots, bounded=_read
        )


class JejakPostgresRecorder(BoundedReads, LedgerReads, PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, keys: StoreKeys) -> None:
        super().__init__(datastore, events_table_name="jejak_events")
        self.tables = tables_for(datastore)
        self.db = PostgresDatabase(datastore)
        self.writer = LedgerWriter(
            self.db,
            self.tables,
            keys.chain,
            position_column="notification_id",
            feed_key=keys.feed,
        )
        self.write_lock = advisory_key(self.tables.events)
        events = self.tables.events
        schema = f'"{datastore.schema}"'
        statements = [
            f"CREATE SCHEMA IF NOT EXISTS {schema}",
            f"CREATE TABLE IF NOT EXISTS {events} ("
            "originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
            "topic text NOT NULL, state bytea NOT NULL, notification_id bigint NOT NULL, "
            "hash bytea NOT NULL, feed_seal bytea, feed_previous bytea, "
            "PRIMARY KEY (originator_id, originator_version))",
            f"CREATE UNIQUE INDEX IF NOT EXISTS jejak_events_notification_id_idx "
            f"ON {events} (notification_id)",
            f"CREATE OR REPLACE FUNCTION {schema}.jejak_refuse_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
            "'jejak_events is append-only: % refused', TG_OP "
            "USING ERRCODE = 'insufficient_privilege'; END $$",
            f"CREATE OR REPLACE TRIGGER jejak_events_append_only BEFORE UPDATE OR DELETE "
            f"ON {events} FOR EACH ROW EXECUTE FUNCTION {schema}.jejak_refuse_change()",
            f"CREATE OR REPLACE TRIGGER jejak_events_no_truncate BEFORE TRUNCATE "
            f"ON {events} FOR EACH STATEMENT EXECUTE FUNCTION {schema}.jejak_refuse_change()",
            *side_table_statements(self.tables, postgres=True),
            f"CREATE OR REPLACE TRIGGER jejak_access_log_append_only BEFORE UPDATE OR DELETE "
            f"ON {self.tables.access_log} FOR EACH ROW EXECUTE FUNCTION {schema}.jejak_refuse_change()",
            f"CREATE OR REPLACE TRIGGER jejak_access_log_no_truncate BEFORE TRUNCATE "
            f"ON {self.tables.access_log} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {schema}.jejak_refuse_change()",
        ]
        self.sql_create_statements = [Composed([SQL(statement)]) for statement in statements]

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        notifications: Sequence[Notification] = _read(
            lambda: _select_notifications(
                self, start, limit, stop, topics, inclusive_of_start=inclusive_of_start
            )
        )
        return notifications

    def max_notification_id(self) -> int | None:
        head: int | None = _read(lambda: _max_notification_id(self))
        return head

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Jejak's write path, deliberately without the library's retry: after an error at
        commit nobody knows whether the events were stored, and a blind retry could store
        them twice. The client sees 503 and retries with its Idempotency-Key instead."""
        extras: SaveExtras | None = kwargs.get("jejak")
        with self.db.transaction() as tx:
            tx.execute(f"SET LOCAL lock_timeout = '{int(self.datastore.lock_timeout)}s'")
            tx.execute("SELECT pg_advisory_xact_lock(?)", (self.write_lock,))
            positions = self.writer.write(tx, stored_events, extras)
            tx.execute(SQL("NOTIFY {0}").format(Identifier(self.channel_name)).as_string())
            return positions


#: The longest pause between two attempts to reconnect to a server that went away.
MAX_RECONNECT_DELAY_SECONDS = 2.0


class _CappedBackoff(AttemptWithBackoff):
    def update_delay(self, now: float) -> None:
        super().update_delay(now)
        self.delay = min(self.delay, MAX_RECONNECT_DELAY_SECONDS)


class RecoveringPool(ConnectionPool[Any]):
    """The library's pool, reconnecting at least every two seconds while the server is
    away. psycopg_pool doubles the pause after each failed attempt (1, 2, 4, 8 s...), so the
    service stayed down for about as long again as the database had been: six seconds after
    an eight-second restart, half a minute after a thirty-second one."""

    def _add_connection(self, attempt: AttemptWithBackoff | None, growing: bool = False) -> None:
        super()._add_connection(
            attempt or _CappedBackoff(timeout=self.reconnect_timeout), growing=growing
        )


class JejakPostgresFactory(JejakFactory, PostgresFactory):
    """Selected with ``PERSISTENCE_MODULE=infrastructure.postgres_store:JejakPostgresFactory``."""

    position_column = "notification_id"

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        if self.datastore.enable_db_functions:
            msg = "POSTGRES_ENABLE_DB_FUNCTIONS drops the table lock in eventsourcing 9.5.6"
            raise OSError(msg)
        # The datastore built the library's pool, not opened yet: same pool, our reconnection.
        assert not self.datastore.pool._opened
        self.datastore.pool.__class__ = RecoveringPool
        self._set_up(PostgresDatabase(self.datastore), tables_for(self.datastore))

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        recorder: AggregateRecorder
        if purpose == "snapshots":
            recorder = JejakSnapshotRecorder(self.datastore, keys=self.keys)
        else:
            recorder = PostgresAggregateRecorder(
                self.datastore, events_table_name=f"jejak_{purpose}"
            )
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def application_recorder(self) -> ApplicationRecorder:
        recorder = JejakPostgresRecorder(self.datastore, keys=self.keys)
        if self.env_create_table():
            recorder.create_table()
        self._remember(recorder)
        return recorder
