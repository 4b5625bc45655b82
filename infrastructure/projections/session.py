"""A ViewSession that keeps a batch's row changes in memory and writes each touched row once,
with executemany, in the transaction that also moves the projection's position."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from application.readmodels import Key, Projection, Row, Table
from infrastructure.db import Dialect, Tx
from infrastructure.projections.schema import converter, decode_row, table_name, to_db

_DELETED = object()
_ABSENT = object()  # known not to exist: nothing to write


class RowCache:
    """Rows of one generation as committed at ``position``, kept between batches for the
    tables its projection reads (``get``), so a row read or written by one batch costs the
    next no query. Only the engine writes a generation's tables, one batch at a time and
    guarded by its position: a cache is used only while the generation still stands at
    the position it reflects, and dropped when a batch fails."""

    def __init__(self, position: int, capacity: int, tables: Sequence[str]) -> None:
        self.position = position
        self.capacity = capacity
        self.tables: dict[str, dict[Key, Any]] = {}
        #: Tables whose every row is in the cache, so that a miss means no such row: all of
        #: them for a generation at position zero (its tables were just created, empty),
        #: until one of them overflows.
        self.complete: set[str] = set() if position else set(tables)


class BatchSession:
    def __init__(
        self,
        tx: Tx,
        dialect: Dialect,
        prefix: str,
        projection: type[Projection],
        generation: int,
        cache: RowCache | None = None,
    ) -> None:
        self.tx = tx
        self.cache = cache
        #: Rows read from the database and not changed since: nothing to write.
        self._read: dict[str, dict[Key, Any]] = {table.name: {} for table in projection.tables}
        self.dialect = dialect
        self.prefix = prefix
        self.generation = generation
        self.projection = projection
        self.tables: dict[str, Table] = {table.name: table for table in projection.tables}
        self._rows: dict[str, dict[Key, Any]] = {name: {} for name in self.tables}
        self._names = {table.name: table.column_names() for table in projection.tables}
        self._columns = {table.name: frozenset(table.column_names()) for table in projection.tables}
        self._key_names = {table.name: table.key for table in projection.tables}

    # ViewSession -------------------------------------------------------------------------

    def get(self, table: str, key: Key) -> Row | None:
        rows = self._rows[table]
        if key in rows:
            row = rows[key]
            return None if row is _DELETED or row is _ABSENT else dict(row)
        read = self._read[table]
        if key in read:
            row = read[key]
            return None if row is _ABSENT else dict(row)
        if self.cache is not None:
            cached = self.cache.tables.setdefault(table, {}).get(key)
            if cached is not None:
                return None if cached is _ABSENT else dict(cached)
            if table in self.cache.complete:
                return None
        spec = self.tables[table]
        where = " AND ".join(f"{column} = ?" for column in spec.key)
        found = self.tx.fetchone(
            f"SELECT {', '.join(spec.column_names())} FROM {self._qualified(table)} WHERE {where}",  # noqa: S608
            [
                to_db(self._column(spec, c), v, self.dialect)
                for c, v in zip(spec.key, key, strict=True)
            ],
        )
        if found is None:
            read[key] = _ABSENT
            return None
        row = decode_row(spec, found)
        read[key] = row
        return dict(row)

    def put(self, table: str, row: Row) -> None:
        if row.keys() == self._columns[table]:
            stored = dict(row)  # exactly the table's columns: a plain copy
        else:
            get = row.get
            stored = {column: get(column) for column in self._names[table]}
        self._rows[table][tuple([stored[column] for column in self._key_names[table]])] = stored

    def delete(self, table: str, key: Key) -> None:
        self._rows[table][key] = _DELETED

    def add(self, table: str, key: Key, deltas: Mapping[str, int]) -> None:
        spec = self.tables[table]
        row = self.get(table, key)
        if row is None:
            row = dict(zip(spec.key, key, strict=True))
            for column in spec.columns:
                if column.name not in spec.key:
                    row[column.name] = 0 if column.type == "int" else None
        for name, delta in deltas.items():
            row[name] = int(row.get(name) or 0) + delta
        self.put(table, row)

    # Flushing ----------------------------------------------------------------------------

    def flush(self) -> int:
        """Writes every touched row once; returns how many rows were written or deleted."""
        written = 0
        for name, rows in self._rows.items():
            spec = self.tables[name]
            upserts = [row for row in rows.values() if isinstance(row, dict)]
            deletes = [key for key, row in rows.items() if row is _DELETED]
            if deletes:
                where = " AND ".join(f"{column} = ?" for column in spec.key)
                self.tx.executemany(
                    f"DELETE FROM {self._qualified(name)} WHERE {where}",  # noqa: S608
                    [
                        [
                            to_db(self._column(spec, c), v, self.dialect)
                            for c, v in zip(spec.key, key, strict=True)
                        ]
                        for key in deletes
                    ],
                )
            if upserts:
                columns = spec.column_names()
                updates = [c for c in columns if c not in spec.key]
                conflict = (
                    "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updates)
                    if updates
                    else "DO NOTHING"
                )
                converters = [(c.name, converter(c, self.dialect)) for c in spec.columns]
                self.tx.executemany(
                    f"INSERT INTO {self._qualified(name)} ({', '.join(columns)}) "  # noqa: S608
                    f"VALUES ({', '.join('?' for _ in columns)}) "
                    f"ON CONFLICT ({', '.join(spec.key)}) {conflict}",
                    [tuple([convert(row[c]) for c, convert in converters]) for row in upserts],
                )
            written += len(upserts) + len(deletes)
        return written

    def remember(self, position: int) -> None:
        """After the batch committed: its rows become the cache's, at the new position."""
        cache = self.cache
        if cache is None:
            return
        # A table written before it was ever read is not followed: no longer complete.
        cache.complete.intersection_update(cache.tables)
        for table, known in cache.tables.items():
            for rows in (self._read[table], self._rows[table]):
                for key, row in rows.items():
                    known.pop(key, None)
                    known[key] = _ABSENT if row is _DELETED else row
            excess = len(known) - cache.capacity
            if excess > 0:
                cache.complete.discard(table)
                for key in list(itertools.islice(known, excess)):
                    del known[key]
        cache.position = position

    def _qualified(self, table: str) -> str:
        return f"{self.prefix}{table_name(self.projection.name, self.generation, table)}"

    @staticmethod
    def _column(spec: Table, name: str) -> Any:
        return next(column for column in spec.columns if column.name == name)
