"""Tables of imports and of the duplicate index, beside the event store's own.

``jejak_imports`` keeps an uploaded file between its dry run and its commit, sealed
(AES-GCM) with a key of the import's own in the key vault; committing or expiring the import
destroys that key and clears the column, so no readable copy of the file stays. The report
and the row signatures hold codes, counts, row numbers and ids only.

``jejak_duplicate_keys`` holds keyed HMACs only (see ``application/duplicates/keys.py``),
with the worker id, the village code and the number of name tokens."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from application.duplicates.index import IndexEntry, PairRow
from application.imports.ports import ImportProgress, ImportRecord
from application.imports.usecases import ImportPorts, ImportUseCases
from infrastructure.crypto import open_sealed, seal
from infrastructure.db import Database, Tx
from infrastructure.spreadsheets import SpreadsheetFiles
from infrastructure.store_common import JejakFactory
from infrastructure.vault import KeyVault

#: Keys per statement of a bulk read (far below both engines' parameter limits).
CHUNK = 500
_INDEX_NAME = "duplicates"


class ImportTables:
    def __init__(self, prefix: str) -> None:
        self.imports = f"{prefix}jejak_imports"
        self.keys = f"{prefix}jejak_duplicate_keys"
        self.distinct = f"{prefix}jejak_duplicate_distinct"
        self.positions = f"{prefix}jejak_duplicate_position"
        self.claims = f"{prefix}jejak_claims"

    def statements(self, *, postgres: bool) -> list[str]:
        blob = "bytea" if postgres else "BLOB"
        return [
            f"CREATE TABLE IF NOT EXISTS {self.imports} (id TEXT PRIMARY KEY, "
            "user_id TEXT NOT NULL, kind TEXT NOT NULL, sha256 TEXT NOT NULL, "
            "status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
            "rows_total BIGINT NOT NULL, done_rows BIGINT NOT NULL, recorded BIGINT NOT NULL, "
            "planned_position BIGINT NOT NULL, planned_on TEXT, phase TEXT NOT NULL, "
            f"report TEXT NOT NULL, signatures TEXT NOT NULL, content {blob})",
            f"CREATE TABLE IF NOT EXISTS {self.keys} (key TEXT NOT NULL, worker_id TEXT NOT NULL, "
            "kind TEXT NOT NULL, village_code TEXT NOT NULL, tokens INTEGER NOT NULL, "
            "PRIMARY KEY (key, worker_id))",
            f"CREATE INDEX IF NOT EXISTS jejak_duplicate_keys_worker_idx ON {self.keys} (worker_id)",
            f"CREATE TABLE IF NOT EXISTS {self.distinct} (first_id TEXT NOT NULL, "
            "second_id TEXT NOT NULL, PRIMARY KEY (first_id, second_id))",
            f"CREATE TABLE IF NOT EXISTS {self.positions} (name TEXT PRIMARY KEY, "
            "position BIGINT NOT NULL)",
        ]


class ImportSchema:
    """The imports' and the duplicate index's tables, created by the schema's owner with the
    rest of the store (``infrastructure.schema``)."""

    schema_name = "imports"

    def __init__(self, db: Database, tables: ImportTables) -> None:
        self.db = db
        self.tables = tables

    def set_up(self) -> None:
        with self.db.transaction() as tx:
            for statement in self.tables.statements(postgres=self.db.dialect == "postgresql"):
                tx.execute(statement)

    def privileges(self) -> dict[str, str]:
        """An import's progress is updated and its file dropped; the index forgets a
        worker's keys when they change; a pair marked distinct stays so."""
        t = self.tables
        return {
            t.imports: "SELECT, INSERT, UPDATE",
            t.keys: "SELECT, INSERT, DELETE",
            t.distinct: "SELECT, INSERT",
            t.positions: "SELECT, INSERT, UPDATE",
        }


def claim_owners(db: Database, table: str, kind: str, keys: Sequence[str]) -> dict[str, UUID]:
    owners: dict[str, UUID] = {}
    unique = sorted(set(keys))
    with db.reading() as tx:
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start : start + CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = tx.fetchall(
                f"SELECT key, owner_id FROM {table} WHERE kind = ? AND key IN ({marks})",  # noqa: S608
                [kind, *chunk],
            )
            owners.update({str(key): UUID(str(owner)) for key, owner in rows})
    return owners


class SqlImportStore:
    """The application's ``ImportStore``."""

    def __init__(self, db: Database, tables: ImportTables, vault: KeyVault) -> None:
        self.db = db
        self.tables = tables
        self.vault = vault

    def create(self, record: ImportRecord, content: bytes) -> None:
        subject = _subject(record.id)
        key = self.vault.key_for(subject, create=True)
        assert key is not None
        sealed = seal(key, content, subject.encode())
        with self.db.transaction() as tx:
            tx.execute(
                f"INSERT INTO {self.tables.imports} (id, user_id, kind, sha256, status, "  # noqa: S608
                "created_at, updated_at, rows_total, done_rows, recorded, planned_position, "
                "planned_on, phase, report, signatures, content) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*_row(record), sealed),
            )

    def get(self, import_id: UUID) -> ImportRecord | None:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT id, user_id, kind, sha256, status, created_at, updated_at, rows_total, "  # noqa: S608
                "done_rows, recorded, planned_position, planned_on, phase, report, signatures "
                f"FROM {self.tables.imports} WHERE id = ?",
                (str(import_id),),
            )
        return None if row is None else _record(row)

    def progress_of(self, import_id: UUID) -> ImportProgress | None:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT user_id, status, phase, rows_total, done_rows "  # noqa: S608
                f"FROM {self.tables.imports} WHERE id = ?",
                (str(import_id),),
            )
        if row is None:
            return None
        return ImportProgress(str(row[0]), str(row[1]), str(row[2]), int(row[3]), int(row[4]))

    def content(self, import_id: UUID) -> bytes | None:
        subject = _subject(import_id)
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT content FROM {self.tables.imports} WHERE id = ?",  # noqa: S608
                (str(import_id),),
            )
        key = self.vault.key_for(subject, create=False)
        if row is None or row[0] is None or key is None:
            return None
        return open_sealed(key, bytes(row[0]), subject.encode())

    def save(self, record: ImportRecord) -> None:
        record.updated_at = datetime.now(UTC)
        values = _row(record)
        with self.db.transaction() as tx:
            tx.execute(
                f"UPDATE {self.tables.imports} SET status = ?, updated_at = ?, rows_total = ?, "  # noqa: S608
                "done_rows = ?, recorded = ?, phase = ?, report = ?, signatures = ? WHERE id = ?",
                (values[4], values[6], *values[7:10], *values[12:15], str(record.id)),
            )

    def progress(self, record: ImportRecord) -> None:
        """Counters, status and phase only: the report is written once, when it is whole."""
        record.updated_at = datetime.now(UTC)
        with self.db.transaction() as tx:
            tx.execute(
                f"UPDATE {self.tables.imports} SET status = ?, updated_at = ?, rows_total = ?, "  # noqa: S608
                "done_rows = ?, recorded = ?, phase = ? WHERE id = ?",
                (
                    record.status,
                    record.updated_at.isoformat(),
                    record.rows,
                    record.done_rows,
                    record.recorded,
                    record.phase,
                    str(record.id),
                ),
            )

    def discard_content(self, import_id: UUID) -> None:
        self.vault.destroy(_subject(import_id))
        with self.db.transaction() as tx:
            tx.execute(
                f"UPDATE {self.tables.imports} SET content = NULL WHERE id = ?",  # noqa: S608
                (str(import_id),),
            )

    def expired(self, before: datetime) -> list[UUID]:
        with self.db.reading() as tx:
            rows = tx.fetchall(
                f"SELECT id FROM {self.tables.imports} "  # noqa: S608
                "WHERE content IS NOT NULL AND updated_at < ?",
                (before.isoformat(),),
            )
        return [UUID(str(row[0])) for row in rows]

    def prepare_keys(self, subjects: Sequence[UUID]) -> None:
        self.vault.create_keys([str(subject) for subject in subjects])

    def claim_owners(self, kind: str, keys: Sequence[str]) -> dict[str, UUID]:
        return claim_owners(self.db, self.tables.claims, kind, keys)


def _subject(import_id: UUID) -> str:
    return f"import:{import_id}"


def _row(record: ImportRecord) -> tuple[Any, ...]:
    return (
        str(record.id),
        record.user_id,
        record.kind,
        record.sha256,
        record.status,
        record.created_at.isoformat(),
        record.updated_at.isoformat(),
        record.rows,
        record.done_rows,
        record.recorded,
        record.planned_position,
        record.planned_on.isoformat() if record.planned_on else None,
        record.phase,
        json.dumps(dict(record.report), separators=(",", ":")),
        json.dumps(list(record.signatures), separators=(",", ":")),
    )


def _record(row: Sequence[Any]) -> ImportRecord:
    return ImportRecord(
        id=UUID(str(row[0])),
        user_id=str(row[1]),
        kind=str(row[2]),
        sha256=str(row[3]),
        status=str(row[4]),
        created_at=datetime.fromisoformat(str(row[5])),
        updated_at=datetime.fromisoformat(str(row[6])),
        rows=int(row[7]),
        done_rows=int(row[8]),
        recorded=int(row[9]),
        planned_position=int(row[10]),
        planned_on=date.fromisoformat(str(row[11])) if row[11] else None,
        phase=str(row[12]),
        report=json.loads(str(row[13])),
        signatures=json.loads(str(row[14])),
    )


class SqlDuplicateIndex:
    """The application's ``DuplicateIndex``."""

    def __init__(self, db: Database, tables: ImportTables) -> None:
        self.db = db
        self.tables = tables

    def position(self) -> int:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT position FROM {self.tables.positions} WHERE name = ?",  # noqa: S608
                (_INDEX_NAME,),
            )
        return int(row[0]) if row else 0

    def advance(
        self,
        old: int,
        new: int,
        add: Sequence[IndexEntry],
        forget: Sequence[str],
        distinct: Sequence[tuple[str, str]],
    ) -> bool:
        t = self.tables
        with self.db.transaction() as tx:
            if not _move(tx, t.positions, old, new):
                return False
            tx.executemany(
                f"INSERT INTO {t.keys} (key, worker_id, kind, village_code, tokens) "  # noqa: S608
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key, worker_id) DO NOTHING",
                [(e.key, e.worker_id, e.kind, e.village_code, e.tokens) for e in add],
            )
            tx.executemany(
                f"DELETE FROM {t.keys} WHERE worker_id = ?",  # noqa: S608
                [(worker_id,) for worker_id in forget],
            )
            tx.executemany(
                f"INSERT INTO {t.distinct} (first_id, second_id) VALUES (?, ?) "  # noqa: S608
                "ON CONFLICT (first_id, second_id) DO NOTHING",
                list(distinct),
            )
        return True

    def lookup(self, keys: Sequence[str]) -> list[IndexEntry]:
        found: list[IndexEntry] = []
        with self.db.reading() as tx:
            for start in range(0, len(keys), CHUNK):
                chunk = list(keys[start : start + CHUNK])
                marks = ", ".join("?" for _ in chunk)
                rows = tx.fetchall(
                    f"SELECT key, worker_id, kind, village_code, tokens FROM {self.tables.keys} "  # noqa: S608
                    f"WHERE key IN ({marks})",
                    chunk,
                )
                found.extend(
                    IndexEntry(str(a), str(b), str(c), str(d), int(e)) for a, b, c, d, e in rows
                )
        return found

    def distinct(self, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        with self.db.reading() as tx:
            for first, second in pairs:
                if tx.fetchone(
                    f"SELECT 1 FROM {self.tables.distinct} WHERE first_id = ? AND second_id = ?",  # noqa: S608
                    (first, second),
                ):
                    found.add((first, second))
        return found

    def pairs(
        self, scope: Sequence[str], after: tuple[str, str] | None, limit: int
    ) -> list[PairRow]:
        t = self.tables
        where, params = _scoped("a", scope)
        other, other_params = _scoped("b", scope)
        conditions = [*where, *other]
        values: list[Any] = [*params, *other_params]
        if after is not None:
            conditions.append("(a.worker_id > ? OR (a.worker_id = ? AND b.worker_id > ?))")
            values.extend([after[0], after[0], after[1]])
        clause = " AND ".join(conditions) if conditions else "1 = 1"
        with self.db.reading() as tx:
            rows = tx.fetchall(
                f"SELECT a.worker_id, b.worker_id, a.kind, COUNT(*), MIN(a.village_code), "  # noqa: S608
                f"MIN(b.village_code), MIN(a.tokens), MIN(b.tokens) FROM {t.keys} a "
                f"JOIN {t.keys} b ON a.key = b.key AND a.worker_id < b.worker_id "
                f"WHERE {clause} AND NOT EXISTS (SELECT 1 FROM {t.distinct} d "
                "WHERE d.first_id = a.worker_id AND d.second_id = b.worker_id) "
                "GROUP BY a.worker_id, b.worker_id, a.kind "
                "ORDER BY a.worker_id, b.worker_id, a.kind LIMIT ?",
                [*values, (limit + 1) * 4],
            )
        result = [PairRow(str(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4]), str(r[5]),
                          int(r[6]), int(r[7])) for r in rows]  # fmt: skip
        pairs = list(dict.fromkeys((r.first_id, r.second_id) for r in result))
        if len(pairs) > limit:
            kept = set(pairs[:limit])
            result = [r for r in result if (r.first_id, r.second_id) in kept]
        return result


def _scoped(alias: str, scope: Sequence[str]) -> tuple[list[str], list[Any]]:
    if not scope:
        return [], []
    parts = " OR ".join(f"{alias}.village_code = ? OR {alias}.village_code LIKE ?" for _ in scope)
    params: list[Any] = []
    for code in scope:
        params.extend([code, f"{code}.%"])
    return [f"({parts})"], params


def _move(tx: Tx, table: str, old: int, new: int) -> bool:
    if old == 0:
        tx.execute(
            f"INSERT INTO {table} (name, position) VALUES (?, 0) ON CONFLICT (name) DO NOTHING",  # noqa: S608
            (_INDEX_NAME,),
        )
    changed = tx.execute(
        f"UPDATE {table} SET position = ? WHERE name = ? AND position = ?",  # noqa: S608
        (new, _INDEX_NAME, old),
    )
    return changed == 1


def import_schema(app: ImportUseCases) -> ImportSchema:
    factory = app.factory
    assert isinstance(factory, JejakFactory)
    return ImportSchema(factory.database, ImportTables(factory.tables.prefix))


def attach_imports(app: ImportUseCases) -> None:
    """Gives the application its import and duplicate-index stores, on the event store's
    database (their tables are the schema's: ``import_schema``)."""
    factory = app.factory
    assert isinstance(factory, JejakFactory)
    tables = ImportTables(factory.tables.prefix)
    store = SqlImportStore(factory.database, tables, factory.vault)
    app.import_ports = ImportPorts(reader=SpreadsheetFiles(), store=store)
    app.duplicate_index = SqlDuplicateIndex(factory.database, tables)
