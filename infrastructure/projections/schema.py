"""Read-model tables: DDL from the projections' declarations, per dialect and generation.

Each rebuild writes a fresh generation of a projection's tables; readers switch to it only
when it has caught up, so nobody ever reads a half-built model."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from application.readmodels import Column, Projection, Row, Table
from infrastructure.db import Dialect

TRACKING = "jejak_projections"

_TYPES: dict[str, dict[str, str]] = {
    "sqlite": {"text": "TEXT", "int": "INTEGER", "bool": "INTEGER", "date": "TEXT", "json": "TEXT"},
    "postgresql": {
        "text": "TEXT",
        "int": "BIGINT",
        "bool": "BOOLEAN",
        "date": "TEXT",
        "json": "TEXT",
    },
}


def tracking_statements(prefix: str) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {prefix}{TRACKING} ("
        "name TEXT NOT NULL, generation INTEGER NOT NULL, version INTEGER NOT NULL, "
        "position BIGINT NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL, "
        "updated_at TEXT NOT NULL, PRIMARY KEY (name, generation))"
    ]


def table_name(projection: str, generation: int, table: str) -> str:
    return f"rm_{projection}_g{generation}_{table}"


def create_statements(
    dialect: Dialect, prefix: str, projection: type[Projection], generation: int
) -> list[str]:
    statements = []
    types = _TYPES[dialect]
    for table in projection.tables:
        name = table_name(projection.name, generation, table.name)
        columns = ", ".join(f"{c.name} {types[c.type]}" for c in table.columns)
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {prefix}{name} ({columns}, "
            f"PRIMARY KEY ({', '.join(table.key)}))"
        )
        for number, index in enumerate(table.indexes):
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {name}_i{number} ON {prefix}{name} ({', '.join(index)})"
            )
    return statements


def drop_statements(prefix: str, projection: type[Projection], generation: int) -> list[str]:
    return [
        f"DROP TABLE IF EXISTS {prefix}{table_name(projection.name, generation, table.name)}"
        for table in projection.tables
    ]


def to_db(column: Column, value: Any, dialect: Dialect) -> Any:
    if value is None:
        return None
    if column.type == "json":
        return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)
    if column.type == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if column.type == "bool":
        return int(bool(value)) if dialect == "sqlite" else bool(value)
    if column.type == "int":
        return int(value)
    return str(value)


def converter(column: Column, dialect: Dialect) -> Callable[[Any], Any]:
    """``to_db`` for one column, decided once: what a batch's flush calls per value."""
    if column.type == "text":
        return lambda value: value if value is None or value.__class__ is str else str(value)
    if column.type == "int":
        return lambda value: None if value is None else int(value)
    return lambda value: to_db(column, value, dialect)


def from_db(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.type == "json":
        return json.loads(value)
    if column.type == "bool":
        return bool(value)
    return value


def decode_row(table: Table, values: tuple[Any, ...]) -> Row:
    return {
        column.name: from_db(column, value)
        for column, value in zip(table.columns, values, strict=True)
    }
