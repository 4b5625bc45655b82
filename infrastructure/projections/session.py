"""A ViewSession that keeps a batch's row changes in memory and writes each touched row once,
with executemany, in the transaction that also moves the projection's position."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from application.readmodels import Key, Projection, Row, Table
from infrastructure.db import Dialect, Tx
from infrastructure.projections.schema import decode_row, table_name, to_db

_DELETED = object()
_ABSENT = object()  # known not to exist: nothing to write


class BatchSession:
    def __init__(
        self, tx: Tx, dialect: Dialect, prefix: str, projection: type[Projection], generation: int
    ) -> None:
        self.tx = tx
        self.dialect = dialect
        self.prefix = prefix
        self.generation = generation
        self.projection = projection
        self.tables: dict[str, Table] = {table.name: table for table in projection.tables}
        self._rows: dict[str, dict[Key, Any]] = {name: {} for name in self.tables}

    # ViewSession -------------------------------------------------------------------------

    def get(self, table: str, key: Key) -> Row | None:
        rows = self._rows[table]
        if key in rows:
            row = rows[key]
            return None if row is _DELETED or row is _ABSENT else dict(row)
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
            rows[key] = _ABSENT
            return None
        row = decode_row(spec, found)
        rows[key] = row
        return dict(row)

    def put(self, table: str, row: Row) -> None:
        spec = self.tables[table]
        complete = {column: row.get(column) for column in spec.column_names()}
        self._rows[table][tuple(complete[c] for c in spec.key)] = complete

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
                self.tx.executemany(
                    f"INSERT INTO {self._qualified(name)} ({', '.join(columns)}) "  # noqa: S608
                    f"VALUES ({', '.join('?' for _ in columns)}) "
                    f"ON CONFLICT ({', '.join(spec.key)}) {conflict}",
                    [
                        [to_db(c, row[c.name], self.dialect) for c in spec.columns]
                        for row in upserts
                    ],
                )
            written += len(upserts) + len(deletes)
        return written

    def _qualified(self, table: str) -> str:
        return f"{self.prefix}{table_name(self.projection.name, self.generation, table)}"

    @staticmethod
    def _column(spec: Table, name: str) -> Any:
        return next(column for column in spec.columns if column.name == name)
