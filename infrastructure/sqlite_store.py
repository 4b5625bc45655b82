"""The embedded store: eventsourcing's SQLite recorder with Jejak's write path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder, StoredEvent
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteDatastore,
    SQLiteFactory,
)

from application.ports import SaveExtras
from infrastructure.db import SQLiteDatabase
from infrastructure.keys import StoreKeys
from infrastructure.ledger import LedgerWriter, Tables, side_table_statements
from infrastructure.snapshot_seals import SealedSnapshotRecorder, SealedSnapshots
from infrastructure.store_common import JejakFactory, LedgerReads

TABLES = Tables()

#: The append-only guards (also dropped and put back by ``jejak db upgrade`` when it links
#: events stored before feed seals existed).
APPEND_ONLY_TRIGGERS = {
    "jejak_events_no_update": f"CREATE TRIGGER IF NOT EXISTS jejak_events_no_update "
    f"BEFORE UPDATE ON {TABLES.events} "
    "BEGIN SELECT RAISE(ABORT, 'jejak_events is append-only'); END",
    "jejak_events_no_delete": f"CREATE TRIGGER IF NOT EXISTS jejak_events_no_delete "
    f"BEFORE DELETE ON {TABLES.events} "
    "BEGIN SELECT RAISE(ABORT, 'jejak_events is append-only'); END",
    "jejak_access_log_no_update": f"CREATE TRIGGER IF NOT EXISTS jejak_access_log_no_update "
    f"BEFORE UPDATE ON {TABLES.access_log} "
    "BEGIN SELECT RAISE(ABORT, 'jejak_access_log is append-only'); END",
    "jejak_access_log_no_delete": f"CREATE TRIGGER IF NOT EXISTS jejak_access_log_no_delete "
    f"BEFORE DELETE ON {TABLES.access_log} "
    "BEGIN SELECT RAISE(ABORT, 'jejak_access_log is append-only'); END",
}


class JejakSQLiteRecorder(LedgerReads, SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, *, keys: StoreKeys) -> None:
        super().__init__(datastore, events_table_name=TABLES.events)
        self.db = SQLiteDatabase(datastore)
        self.writer = LedgerWriter(
            self.db, TABLES, keys.chain, position_column="rowid", feed_key=keys.feed
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {TABLES.events} ("
            "originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL, "
            "topic TEXT NOT NULL, state BLOB NOT NULL, hash BLOB NOT NULL, "
            "feed_seal BLOB, feed_previous BLOB, "
            "PRIMARY KEY (originator_id, originator_version))",
            *side_table_statements(TABLES, postgres=False),
            # Events and the access log are append-only: edits made behind the service's
            # back must be deliberate.
            *APPEND_ONLY_TRIGGERS.values(),
        ]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        extras: SaveExtras | None = kwargs.get("jejak")
        with self.db.transaction() as tx:
            return self.writer.write(tx, stored_events, extras)


class JejakSQLiteSnapshotRecorder(SealedSnapshotRecorder, SQLiteAggregateRecorder):
    """The library's snapshot table, every row sealed (``infrastructure/snapshot_seals.py``)."""

    def __init__(self, datastore: SQLiteDatastore, *, keys: StoreKeys) -> None:
        super().__init__(datastore, events_table_name=TABLES.snapshots)
        self.sealed = SealedSnapshots(SQLiteDatabase(datastore), TABLES, keys.snapshots)


class JejakSQLiteFactory(JejakFactory, SQLiteFactory):
    """Selected with ``PERSISTENCE_MODULE=infrastructure.sqlite_store:JejakSQLiteFactory``."""

    position_column = "rowid"

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        self._set_up(SQLiteDatabase(self.datastore), TABLES)

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        recorder: AggregateRecorder
        if purpose == "snapshots":
            recorder = JejakSQLiteSnapshotRecorder(self.datastore, keys=self.keys)
        else:
            recorder = SQLiteAggregateRecorder(
                self.datastore, events_table_name=f"jejak_{purpose}"
            )
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def application_recorder(self) -> ApplicationRecorder:
        recorder = JejakSQLiteRecorder(self.datastore, keys=self.keys)
        if self.env_create_table():
            recorder.create_table()
        self._remember(recorder)
        return recorder
