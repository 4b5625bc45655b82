"""The store's schema, created and upgraded in one place by whoever owns it.

``jejak_schema`` records the version of the schema and of every projection it was set up
for. A process that starts against a current schema runs no DDL at all, so the runtime role
of a two-role PostgreSQL setup needs none (``jejak db init|upgrade`` runs as the owner,
then grants the runtime role only what the service does: ``grant_runtime``). In the
single-role setup (``make run`` on SQLite, one PostgreSQL role in development and tests)
the process upgrades the schema itself at start.

An upgrade creates what is missing, adds the columns later versions need, and vouches for
what was stored before them: events stored without a feed seal are sealed in their current
order, access-log entries are chained in id order, and snapshots stored unsealed are
replaced by snapshots taken afresh from the events (nothing is trusted from the old ones).
Sealing records the store as it stands: verify it (and check it against a checkpoint)
before upgrading a store you have reason to doubt."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

import psycopg

from infrastructure.chain import FEED_START, feed_keyed, feed_ref, feed_seal
from infrastructure.db import Database, Tx
from infrastructure.journey_index import index_journeys
from infrastructure.projections.runner import ProjectionEngine
from infrastructure.projections.schema import TRACKING
from infrastructure.sqlite_store import APPEND_ONLY_TRIGGERS
from infrastructure.store_common import JejakFactory

if TYPE_CHECKING:
    from application.app import JejakApplication

#: 2: feed seals, sealed snapshots, a chained access log, no DDL needed at run time.
#: 3: the index of every worker's journeys (``infrastructure/journey_index.py``).
SCHEMA_VERSION = 3
SCHEMA_TABLE = "jejak_schema"
#: The outcome of each `jejak projections check`, read by auditors.
CHECKS_TABLE = "jejak_read_model_checks"
LINK_BATCH = 10_000

#: Columns later versions added to tables that may exist already.
_ADDED_COLUMNS = {
    "events": ("feed_seal", "feed_previous"),
    "snapshots": ("seal",),
    "access_log": ("hash",),
}
#: The PostgreSQL triggers that keep each table append-only.
_PG_GUARDS = {"events": "jejak_events_append_only", "access_log": "jejak_access_log_append_only"}
#: The SQLite triggers that keep each table append-only.
_SQLITE_GUARDS = {
    "events": ("jejak_events_no_update", "jejak_events_no_delete"),
    "access_log": ("jejak_access_log_no_update", "jejak_access_log_no_delete"),
}


class TablesOfItsOwn(Protocol):
    """A store beside the events with tables of its own (scans, digests): its owner creates
    them with the rest of the schema, and the service's role gets only what it uses."""

    #: Stands in the schema's fingerprint: a store added by a new version upgrades the schema.
    schema_name: str

    def set_up(self) -> None: ...

    def privileges(self) -> Mapping[str, str]:
        """Each table (qualified) and what the service does on it (``SELECT, INSERT``)."""
        ...


class SchemaOutdated(RuntimeError):
    """The schema is older than this version of Jejak and this role may not upgrade it."""


@dataclass(frozen=True)
class UpgradeReport:
    existed: bool
    events_sealed: int
    entries_chained: int
    snapshots_replaced: int
    journeys_indexed: int = 0


def fingerprint(engine: ProjectionEngine, stores: Sequence[TablesOfItsOwn] = ()) -> str:
    projections = ",".join(
        f"{name}:{projection.version}" for name, projection in sorted(engine.projections.items())
    )
    own = ",".join(sorted(store.schema_name for store in stores))
    return f"{SCHEMA_VERSION};{projections};{own}"


def stored_fingerprint(db: Database, prefix: str) -> str | None:
    try:
        with db.reading() as tx:
            row = tx.fetchone(
                f"SELECT version FROM {prefix}{SCHEMA_TABLE} WHERE name = 'jejak'"  # noqa: S608
            )
    except Exception:  # no such table yet: a store from before, or none at all
        return None
    return None if row is None else str(row[0])


def ensure_schema(
    app: JejakApplication,
    engine: ProjectionEngine,
    stores: Sequence[TablesOfItsOwn] = (),
    *,
    force: bool = False,
) -> UpgradeReport | None:
    """Upgrades the schema when it is not current (one query when it is), or always when
    ``force`` (`jejak db init|upgrade`)."""
    factory = _factory(app)
    stored = stored_fingerprint(factory.database, factory.tables.prefix)
    if stored == fingerprint(engine, stores) and not force:
        return None
    try:
        return upgrade(app, engine, stores)
    except Exception as error:
        if _refused(error):
            msg = (
                "the database schema is older than this version of Jejak and this database "
                "role may not change it: run `jejak db upgrade` (it connects with "
                "JEJAK_OWNER_DATABASE_URL)"
            )
            raise SchemaOutdated(msg) from error
        raise


def upgrade(
    app: JejakApplication, engine: ProjectionEngine, stores: Sequence[TablesOfItsOwn] = ()
) -> UpgradeReport:
    factory = _factory(app)
    db, prefix = factory.database, factory.tables.prefix
    # One upgrade at a time on PostgreSQL (processes starting together); on SQLite every
    # step is a transaction that takes the write lock and checks before it acts.
    with db.session_lock(f"{prefix}{SCHEMA_TABLE}"):
        existed = stored_fingerprint(db, prefix) is not None or _has_events_table(db, factory)
        app.recorder.create_table()  # type: ignore[attr-defined]
        assert app.snapshots is not None
        app.snapshots.recorder.create_table()  # type: ignore[attr-defined]
        _add_columns(db, factory)
        engine.set_up()
        for store in stores:
            store.set_up()
        with db.transaction() as tx:
            tx.execute(
                f"CREATE TABLE IF NOT EXISTS {prefix}{SCHEMA_TABLE} ("
                "name TEXT PRIMARY KEY, version TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            tx.execute(
                f"CREATE TABLE IF NOT EXISTS {prefix}{CHECKS_TABLE} ("
                "name TEXT NOT NULL, checked_at TEXT NOT NULL, generation INTEGER NOT NULL, "
                "position BIGINT NOT NULL, rows_compared BIGINT NOT NULL, "
                "differences BIGINT NOT NULL, details TEXT NOT NULL, "
                "PRIMARY KEY (name, checked_at))"
            )
        sealed = _seal_feed(db, factory)
        chained = _chain_access_log(db, factory)
        replaced = _replace_unsealed_snapshots(app, db, factory)
        indexed = index_journeys(app, db, factory.tables.claims)
        with db.transaction() as tx:
            tx.execute(f"DELETE FROM {prefix}{SCHEMA_TABLE} WHERE name = 'jejak'")  # noqa: S608
            tx.execute(
                f"INSERT INTO {prefix}{SCHEMA_TABLE} (name, version, applied_at) "  # noqa: S608
                "VALUES ('jejak', ?, ?)",
                (fingerprint(engine, stores), datetime.now(UTC).isoformat()),
            )
    return UpgradeReport(existed, sealed, chained, replaced, indexed)


def grant_runtime(
    app: JejakApplication, role: str, stores: Sequence[TablesOfItsOwn] = ()
) -> None:
    """Gives the runtime role of a two-role PostgreSQL setup exactly what the service does,
    and nothing else: it may append events and access-log entries but never change or
    remove them, may not TRUNCATE (it owns nothing) nor create or alter tables. Read-model
    tables created later by the owner (rebuilds, checks) are granted by default."""
    factory = _factory(app)
    db, t, prefix = factory.database, factory.tables, factory.tables.prefix
    schema = prefix.rstrip(".")
    who = _identifier(role)
    with db.reading() as tx:
        read_models = [
            str(row[0])
            for row in tx.fetchall(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = ? AND table_name LIKE ?",
                (schema.strip('"'), "rm\\_%"),
            )
        ]
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {who}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {who}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {who}",
        f"GRANT USAGE ON SCHEMA {schema} TO {who}",
        f"GRANT SELECT, INSERT ON {t.events}, {t.access_log} TO {who}",
        # Erasure deletes snapshots and frees claims; closing a journey frees its claim.
        f"GRANT SELECT, INSERT, DELETE ON {t.snapshots}, {t.claims} TO {who}",
        # Erasure forgets fingerprints and destroys keys; key rotation re-wraps them.
        f"GRANT SELECT, INSERT, UPDATE ON {t.idempotency}, {t.data_keys} TO {who}",
        f"GRANT SELECT ON {prefix}{SCHEMA_TABLE}, {prefix}{CHECKS_TABLE} TO {who}",
        f"GRANT SELECT, UPDATE ON {prefix}{TRACKING} TO {who}",
        *(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {prefix}{_identifier(name)} TO {who}"
            for name in read_models
        ),
        *(
            f"GRANT {privileges} ON {table} TO {who}"
            for store in stores
            for table, privileges in store.privileges().items()
        ),
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {who}",
    ]
    with db.transaction() as tx:
        for statement in statements:
            tx.execute(statement)


# Steps --------------------------------------------------------------------------------


def _add_columns(db: Database, factory: JejakFactory) -> None:
    blob = "bytea" if db.dialect == "postgresql" else "BLOB"
    with db.transaction() as tx:
        for table, columns in _ADDED_COLUMNS.items():
            name = getattr(factory.tables, table)
            present = _columns(tx, db, factory, table)
            for column in columns:
                if column not in present:
                    tx.execute(f"ALTER TABLE {name} ADD COLUMN {column} {blob}")


def _columns(tx: Tx, db: Database, factory: JejakFactory, table: str) -> set[str]:
    bare = getattr(factory.tables, table).rsplit(".", 1)[-1]
    if db.dialect == "sqlite":
        return {str(row[1]) for row in tx.fetchall(f"PRAGMA table_info({bare})")}
    schema = factory.tables.prefix.strip('".') or "public"
    rows = tx.fetchall(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ?",
        (schema, bare),
    )
    return {str(row[0]) for row in rows}


def _has_events_table(db: Database, factory: JejakFactory) -> bool:
    try:
        with db.reading() as tx:
            tx.fetchone(f"SELECT 1 FROM {factory.tables.events} LIMIT 1")  # noqa: S608
    except Exception:
        return False
    return True


def _seal_feed(db: Database, factory: JejakFactory) -> int:
    """Seals events stored before feed seals existed, in their current order, a batch per
    transaction (each lifting the append-only guard for itself only)."""
    events, p = factory.tables.events, factory.position_column
    keyed = feed_keyed(factory.keys.feed)
    sealed = 0
    while True:
        with db.transaction() as tx, _lifted(tx, db, factory, "events"):
            first = tx.fetchone(f"SELECT MIN({p}) FROM {events} WHERE feed_seal IS NULL")  # noqa: S608
            if first is None or first[0] is None:
                return sealed
            before = tx.fetchone(
                f"SELECT originator_id, originator_version FROM {events} "  # noqa: S608
                f"WHERE {p} < ? ORDER BY {p} DESC LIMIT 1",
                (int(first[0]),),
            )
            previous = FEED_START if before is None else feed_ref(_uuid(before[0]), int(before[1]))
            rows = tx.fetchall(
                f"SELECT {p}, originator_id, originator_version, hash, feed_seal FROM {events} "  # noqa: S608
                f"WHERE {p} >= ? ORDER BY {p} LIMIT ?",
                (int(first[0]), LINK_BATCH),
            )
            updates: list[tuple[Any, ...]] = []
            for position, originator_id, version, digest, seal in rows:
                identity = _uuid(originator_id)
                if seal is None:
                    new = feed_seal(keyed, int(position), identity, int(version), bytes(digest), previous)
                    updates.append((new, previous, position))
                previous = feed_ref(identity, int(version))
            tx.executemany(
                f"UPDATE {events} SET feed_seal = ?, feed_previous = ? WHERE {p} = ?",  # noqa: S608
                updates,
            )
            sealed += len(updates)


def _chain_access_log(db: Database, factory: JejakFactory) -> int:
    with db.transaction() as tx, _lifted(tx, db, factory, "access_log"):
        return factory.access_log_store().chain_unlinked(tx)


def _replace_unsealed_snapshots(app: JejakApplication, db: Database, factory: JejakFactory) -> int:
    """Snapshots stored before seals existed are not trusted: each is deleted and taken
    afresh from the events (oldest first, so each builds only on sealed ones)."""
    snapshots = factory.tables.snapshots
    with db.transaction() as tx:
        rows = tx.fetchall(
            f"SELECT originator_id, originator_version FROM {snapshots} "  # noqa: S608
            "WHERE seal IS NULL ORDER BY originator_version"
        )
        tx.execute(f"DELETE FROM {snapshots} WHERE seal IS NULL")  # noqa: S608
    for originator_id, version in rows:
        app.take_snapshot(_uuid(originator_id), int(version))
    return len(rows)


@contextlib.contextmanager
def _lifted(tx: Tx, db: Database, factory: JejakFactory, table: str) -> Iterator[None]:
    """The append-only guard of one table off for this transaction only (its owner may)."""
    name = getattr(factory.tables, table)
    if db.dialect == "postgresql":
        tx.execute(f"LOCK TABLE {name} IN EXCLUSIVE MODE")
        tx.execute(f"ALTER TABLE {name} DISABLE TRIGGER {_PG_GUARDS[table]}")
        yield
        tx.execute(f"ALTER TABLE {name} ENABLE TRIGGER {_PG_GUARDS[table]}")
        return
    for trigger in _SQLITE_GUARDS[table]:
        tx.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    yield
    for trigger in _SQLITE_GUARDS[table]:
        tx.execute(APPEND_ONLY_TRIGGERS[trigger])


def _refused(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, psycopg.errors.InsufficientPrivilege):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _factory(app: JejakApplication) -> JejakFactory:
    factory = app.factory
    assert isinstance(factory, JejakFactory)
    return factory


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
