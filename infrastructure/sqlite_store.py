"""The embedded store: eventsourcing's SQLite recorder with Jejak's write path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder, Mapper, StoredEvent
from eventsourcing.persistence import Transcoder as TranscoderBase
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteDatastore,
    SQLiteFactory,
)

from application.ports import EventLedger, SaveExtras, StoredResponse
from infrastructure.db import SQLiteDatabase
from infrastructure.keys import master_and_chain_keys
from infrastructure.ledger import LedgerWriter, Tables, side_table_statements
from infrastructure.mapper import PersonalDataMapper
from infrastructure.vault import KeyVault

TABLES = Tables()


class JejakSQLiteRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, *, chain_key: bytes) -> None:
        super().__init__(datastore, events_table_name=TABLES.events)
        self.db = SQLiteDatabase(datastore)
        self.writer = LedgerWriter(self.db, TABLES, chain_key, position_column="rowid")

    def construct_create_table_statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {TABLES.events} ("
            "originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL, "
            "topic TEXT NOT NULL, state BLOB NOT NULL, hash BLOB NOT NULL, "
            "PRIMARY KEY (originator_id, originator_version))",
            # Events are append-only: edits made behind the service's back must be deliberate.
            f"CREATE TRIGGER IF NOT EXISTS jejak_events_no_update BEFORE UPDATE ON {TABLES.events} "
            "BEGIN SELECT RAISE(ABORT, 'jejak_events is append-only'); END",
            f"CREATE TRIGGER IF NOT EXISTS jejak_events_no_delete BEFORE DELETE ON {TABLES.events} "
            "BEGIN SELECT RAISE(ABORT, 'jejak_events is append-only'); END",
            *side_table_statements(TABLES, postgres=False),
        ]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        extras: SaveExtras | None = kwargs.get("jejak")
        with self.db.transaction() as tx:
            return self.writer.write(tx, stored_events, extras)

    # EventLedger ----------------------------------------------------------------------

    def get_stored_response(self, scope: str, key: str) -> StoredResponse | None:
        return self.writer.get_stored_response(scope, key)

    def get_claim_owner(self, kind: str, key: str) -> UUID | None:
        return self.writer.get_claim_owner(kind, key)

    def ping(self) -> None:
        self.writer.ping()


class JejakSQLiteFactory(SQLiteFactory):
    """Selected with ``PERSISTENCE_MODULE=infrastructure.sqlite_store:JejakSQLiteFactory``."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        self.master_key, self.chain_key = master_and_chain_keys(self.env)
        self._recorder: JejakSQLiteRecorder | None = None

    def mapper(
        self,
        transcoder: TranscoderBase | None = None,
        mapper_class: type[Mapper[Any]] | None = None,
    ) -> Mapper[Any]:
        vault = KeyVault(SQLiteDatabase(self.datastore), TABLES.data_keys, self.master_key)
        return PersonalDataMapper(
            transcoder=transcoder or self.transcoder(),
            compressor=self.compressor(),
            cipher=self.cipher(),
            vault=vault,
        )

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        recorder = SQLiteAggregateRecorder(self.datastore, events_table_name=f"jejak_{purpose}")
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def application_recorder(self) -> ApplicationRecorder:
        recorder = JejakSQLiteRecorder(self.datastore, chain_key=self.chain_key)
        if self.env_create_table():
            recorder.create_table()
        self._recorder = recorder
        return recorder

    def ledger(self) -> EventLedger:
        if self._recorder is None:
            self.application_recorder()
        assert self._recorder is not None
        return self._recorder
