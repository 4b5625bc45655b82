"""Direct access to the test database, bypassing the service: to inspect what is stored
and to play the part of someone editing it behind the service's back."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psycopg


def _pg(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    schema = parse_qs(parts.query).get("schema", ["public"])[0]
    return parts._replace(query="").geturl(), schema


def query(url: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return [tuple(row) for row in conn.execute(sql.replace("%s", "?"), tuple(params))]
    dsn, schema = _pg(url)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        return [tuple(row) for row in conn.execute(sql, tuple(params)).fetchall()]  # type: ignore[call-overload]


def execute(
    url: str, sql: str, params: Sequence[Any] = (), *, bypass_triggers: bool = False
) -> None:
    """Runs a statement as the database owner would. With ``bypass_triggers`` it does what a
    determined superuser can: switch the append-only triggers off for this session."""
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            if bypass_triggers:
                for table in ("jejak_events", "jejak_access_log"):
                    for change in ("update", "delete"):
                        conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_{change}")
            conn.execute(sql.replace("%s", "?"), tuple(params))
            conn.commit()
        finally:
            conn.close()
        return
    dsn, schema = _pg(url)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        if bypass_triggers:
            conn.execute("SET session_replication_role = replica")
        conn.execute(sql, tuple(params))  # type: ignore[call-overload]


def position_column(url: str) -> str:
    return "rowid" if url.startswith("sqlite") else "notification_id"


def id_param(url: str, aggregate_id: Any) -> Any:
    """An aggregate id as the events table stores it on this backend."""
    return aggregate_id.hex if url.startswith("sqlite") else aggregate_id


def position_of(url: str, aggregate_id: Any, version: int) -> int:
    rows = query(
        url,
        f"SELECT {position_column(url)} FROM jejak_events "
        "WHERE originator_id = %s AND originator_version = %s",
        (id_param(url, aggregate_id), version),
    )
    return int(rows[0][0])


def renumber(url: str, above: int, by: int) -> None:
    """Moves every event after position ``above`` by ``by`` positions (in two steps, so no
    two rows ever share a position on the way)."""
    p = position_column(url)
    execute(url, f"UPDATE jejak_events SET {p} = -{p} WHERE {p} > %s", (above,), bypass_triggers=True)
    execute(url, f"UPDATE jejak_events SET {p} = -{p} + %s WHERE {p} < 0", (by,), bypass_triggers=True)


def all_stored_bytes(url: str) -> bytes:
    """Every value of every table, as bytes, to search for what must never be stored."""
    if url.startswith("sqlite:///"):
        tables = [row[0] for row in query(url, "SELECT name FROM sqlite_master WHERE type='table'")]
    else:
        _, schema = _pg(url)
        tables = [
            row[0]
            for row in query(
                url,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            )
        ]
    chunks: list[bytes] = []
    for table in tables:
        for row in query(url, f'SELECT * FROM "{table}"'):
            for value in row:
                if isinstance(value, bytes | memoryview):
                    chunks.append(bytes(value))
                else:
                    chunks.append(str(value).encode())
    return b"\n".join(chunks)
