"""Queries over read models, projection status and lag, and read-your-writes waits."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from application.errors import InvalidCursor
from application.readmodels import (
    REGION_LEVEL_COLUMNS,
    Filter,
    Page,
    ProjectionStatus,
    Query,
    ReadModelCheck,
    Row,
    Table,
)
from infrastructure.projections.check import latest as latest_checks
from infrastructure.projections.runner import ProjectionEngine
from infrastructure.projections.schema import decode_row, table_name, to_db

MAX_LIMIT = 1000


class UnknownProjection(KeyError):
    pass


class ReadModelStore:
    def __init__(self, engine: ProjectionEngine) -> None:
        self.engine = engine
        #: With no runner in this process and none elsewhere (the command line, tests), a
        #: wait catches the read model up itself; an API whose projections run elsewhere
        #: only reads, and an API running them in a thread nudges that thread instead.
        self._nudge: Callable[[], None] | None = None

    def position(self, projection: str) -> int:
        active = self.engine.active(projection)
        return active.position if active else 0

    def query(self, projection: str, query: Query) -> Page:
        spec = self._projection(projection)
        table = next(t for t in spec.tables if t.name == query.table)
        active = self.engine.active(projection)
        if active is None:
            return Page(rows=[], position=0)
        name = f"{self.engine.prefix}{table_name(projection, active.generation, table.name)}"
        order = list(query.order) or list(table.key)
        for column in table.key:
            if column not in order:
                order.append(column)
        where, params = self._where(table, query.filters)
        if query.after is not None:
            _check_cursor(table, order, query.after)
            comparison = "<" if query.descending else ">"
            where.append(f"({', '.join(order)}) {comparison} ({', '.join('?' for _ in order)})")
            params.extend(
                to_db(self._column(table, c), v, self.engine.db.dialect)
                for c, v in zip(order, query.after, strict=True)
            )
        direction = "DESC" if query.descending else "ASC"
        limit = max(1, min(query.limit, MAX_LIMIT))
        sql = (
            f"SELECT {', '.join(table.column_names())} FROM {name}"  # noqa: S608
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + f" ORDER BY {', '.join(f'{c} {direction}' for c in order)} LIMIT ?"
        )
        with self.engine.db.reading() as tx:
            position_row = tx.fetchone(
                f"SELECT position FROM {self.engine.prefix}jejak_projections "  # noqa: S608
                "WHERE name = ? AND generation = ?",
                (projection, active.generation),
            )
            rows = tx.fetchall(sql, [*params, limit + 1])
        decoded = [decode_row(table, row) for row in rows[:limit]]
        next_after = None
        if len(rows) > limit and decoded:
            next_after = tuple(decoded[-1][c] for c in order)
        return Page(
            rows=decoded,
            position=int(position_row[0]) if position_row else active.position,
            next_after=next_after,
        )

    def wait_for(self, projection: str, position: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if self.position(projection) >= position:
                return True
            if time.monotonic() >= deadline:
                return False
            if self._nudge is None:
                self.engine.process(states=("active",))
                continue
            self._nudge()
            time.sleep(0.02)

    def checks(self) -> list[ReadModelCheck]:
        return latest_checks(self.engine)

    def runs_behind(self, nudge: Callable[[], None]) -> None:
        """From now on a runner keeps the read models current: a wait wakes it with
        ``nudge`` and sleeps, instead of processing the feed in the caller's thread."""
        self._nudge = nudge

    def runs_elsewhere(self) -> None:
        """Another process runs the projections: a wait only watches the position."""
        self._nudge = _nothing

    def status(self) -> list[ProjectionStatus]:
        head = self.engine.head()
        statuses = []
        for name in self.engine.projections:
            generations = self.engine.generations(name)
            active = next((g for g in generations if g.state == "active"), None)
            building = next((g for g in generations if g.state == "building"), None)
            position = active.position if active else 0
            statuses.append(
                ProjectionStatus(
                    name=name,
                    generation=active.generation if active else 0,
                    position=position,
                    head=head,
                    lag_events=max(0, head - position),
                    lag_seconds=self._lag_seconds(position, head),
                    state="active" if active else "missing",
                    rebuilding=building.position if building else None,
                )
            )
        return statuses

    def _lag_seconds(self, position: int, head: int) -> float:
        if position >= head:
            return 0.0
        pending = self.engine.recorder.select_notifications(start=position + 1, limit=1)
        if not pending:
            return 0.0
        event: Any = self.engine.mapper.to_domain_event(pending[0])
        waited: float = (datetime.now(UTC) - event.timestamp).total_seconds()
        return max(0.0, waited)

    def _where(self, table: Table, filters: Sequence[Filter]) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        dialect = self.engine.db.dialect
        for condition in filters:
            column = self._column(table, condition.column)
            name = column.name
            if condition.op == "=":
                clauses.append(f"{name} = ?")
                params.append(to_db(column, condition.value, dialect))
            elif condition.op == "in":
                values = list(condition.value)
                if not values:
                    clauses.append("1 = 0")
                    continue
                clauses.append(f"{name} IN ({', '.join('?' for _ in values)})")
                params.extend(to_db(column, v, dialect) for v in values)
            elif condition.op == "prefix":
                prefixes = (
                    [condition.value] if isinstance(condition.value, str) else list(condition.value)
                )
                if not prefixes:
                    clauses.append("1 = 0")
                    continue
                parts = []
                for prefix in prefixes:
                    parts.append(f"({name} = ? OR {name} LIKE ? ESCAPE '\\')")
                    params.extend([prefix, _like_prefix(prefix)])
                clauses.append("(" + " OR ".join(parts) + ")")
            elif condition.op in (">=", "<=", ">", "<"):
                clauses.append(f"{name} {condition.op} ?")
                params.append(to_db(column, condition.value, dialect))
            elif condition.op == "region":
                codes = list(condition.value)
                if not codes:
                    clauses.append("1 = 0")  # fail closed: no region, no rows
                    continue
                by_level: dict[str, list[str]] = {}
                for code in codes:
                    level = code.count(".")
                    by_level.setdefault(REGION_LEVEL_COLUMNS[level], []).append(code)
                parts = []
                for level_column, values in by_level.items():
                    parts.append(f"{level_column} IN ({', '.join('?' for _ in values)})")
                    params.extend(values)
                clauses.append("(" + " OR ".join(parts) + ")")
            elif condition.op == "is_null":
                clauses.append(f"{name} IS NULL")
            elif condition.op == "not_null":
                clauses.append(f"{name} IS NOT NULL")
        return clauses, params

    def _projection(self, name: str) -> Any:
        try:
            return self.engine.projections[name]
        except KeyError:
            raise UnknownProjection(name) from None

    @staticmethod
    def _column(table: Table, name: str) -> Any:
        for column in table.columns:
            if column.name == name:
                return column
        msg = f"{table.name} has no column {name}"
        raise KeyError(msg)


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + ".%"


__all__ = ["ReadModelStore", "Row"]


def _check_cursor(table: Table, order: list[str], after: Sequence[Any]) -> None:
    """A cursor holds one value of the right type per ordering column; anything else would
    fail in the database (or, worse, compare text with numbers), so it is refused here."""
    if len(after) != len(order):
        raise InvalidCursor()
    columns = {column.name: column for column in table.columns}
    for name, value in zip(order, after, strict=True):
        if value is not None and not _fits(columns[name].type, value):
            raise InvalidCursor()


def _fits(kind: str, value: Any) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "date":
        if not isinstance(value, str):
            return False
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return True
    return kind == "text" and isinstance(value, str)


def _nothing() -> None:
    """No runner in this process to wake."""
