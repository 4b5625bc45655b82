"""The production store: eventsourcing's PostgreSQL recorder with Jejak's write path.

Positions are assigned explicitly under the table lock the library already takes, so the
feed has no gaps even when a transaction rolls back (a sequence would leave one), and the
events table refuses UPDATE, DELETE and TRUNCATE for everybody until a superuser disables the
trigger on purpose."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder, StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from psycopg.sql import SQL, Composed, Identifier

from application.ports import SaveExtras
from infrastructure.db import PostgresDatabase
from infrastructure.ledger import LedgerWriter, Tables, side_table_statements
from infrastructure.store_common import JejakFactory, LedgerReads


def tables_for(datastore: PostgresDatastore) -> Tables:
    return Tables(prefix=f'"{datastore.schema}".')


class JejakPostgresRecorder(LedgerReads, PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, chain_key: bytes) -> None:
        super().__init__(datastore, events_table_name="jejak_events")
        self.tables = tables_for(datastore)
        self.db = PostgresDatabase(datastore)
        self.writer = LedgerWriter(
            self.db, self.tables, chain_key, position_column="notification_id"
        )
        events = self.tables.events
        schema = f'"{datastore.schema}"'
        statements = [
            f"CREATE SCHEMA IF NOT EXISTS {schema}",
            f"CREATE TABLE IF NOT EXISTS {events} ("
            "originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
            "topic text NOT NULL, state bytea NOT NULL, notification_id bigint NOT NULL, "
            "hash bytea NOT NULL, PRIMARY KEY (originator_id, originator_version))",
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
        ]
        self.sql_create_statements = [Composed([SQL(statement)]) for statement in statements]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        extras: SaveExtras | None = kwargs.get("jejak")
        with self.db.transaction() as tx:
            tx.execute(f"SET LOCAL lock_timeout = '{int(self.datastore.lock_timeout)}s'")
            tx.execute(f"LOCK TABLE {self.tables.events} IN EXCLUSIVE MODE")
            positions = self.writer.write(tx, stored_events, extras)
            tx.execute(SQL("NOTIFY {0}").format(Identifier(self.channel_name)).as_string())
            return positions


class JejakPostgresFactory(JejakFactory, PostgresFactory):
    """Selected with ``PERSISTENCE_MODULE=infrastructure.postgres_store:JejakPostgresFactory``."""

    position_column = "notification_id"

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        if self.datastore.enable_db_functions:
            msg = "POSTGRES_ENABLE_DB_FUNCTIONS drops the table lock in eventsourcing 9.5.6"
            raise OSError(msg)
        self._set_up(PostgresDatabase(self.datastore), tables_for(self.datastore))

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        recorder = PostgresAggregateRecorder(self.datastore, events_table_name=f"jejak_{purpose}")
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def application_recorder(self) -> ApplicationRecorder:
        recorder = JejakPostgresRecorder(self.datastore, chain_key=self.chain_key)
        if self.env_create_table():
            recorder.create_table()
        self._remember(recorder)
        return recorder
