"""A thin, dialect-aware handle on the database the event store already uses, for Jejak's
own tables (claims, idempotency, keys, read models). Statements use ``?`` placeholders."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any, Literal

import psycopg
from eventsourcing.persistence import (
    DatabaseError,
    IntegrityError,
    OperationalError,
    PersistenceError,
)
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg.rows import tuple_row

Row = tuple[Any, ...]
Dialect = Literal["sqlite", "postgresql"]


#: How long a streaming read (``PostgresDatabase.stream``) may sit between fetches.
STREAM_IDLE_TIMEOUT = "120s"


class Tx(ABC):
    """Statements inside one transaction."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Runs a statement; returns the number of rows it changed."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None


class Database(ABC):
    dialect: Dialect

    @abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager[Tx]:
        """A write transaction, serialised with the event store's writers."""

    @abstractmethod
    def reading(self) -> contextlib.AbstractContextManager[Tx]:
        """A read-only snapshot of the database."""

    @abstractmethod
    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 5000) -> Iterator[Row]:
        """Rows of a large result in constant memory (a server-side cursor on PostgreSQL)."""

    def id_param(self, value: Any) -> Any:
        """An aggregate id as the events table stores it."""
        return value

    def session_lock(self, name: str) -> contextlib.AbstractContextManager[None]:
        """Held across several transactions (PostgreSQL only; SQLite's are serialised)."""
        return contextlib.nullcontext()

    def ping(self, timeout: float) -> None:
        """Raises a persistence error unless the database answers within about ``timeout``
        seconds (a readiness probe must answer, not queue behind the requests it guards)."""
        with self.reading() as tx:
            tx.fetchone("SELECT 1")


def advisory_key(name: str) -> int:
    """The PostgreSQL advisory lock that serialises the writers of one table (qualified by
    its schema): a signed 64-bit number, the same in every process."""
    digest = hashlib.sha256(f"jejak:write-lock:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class _SQLiteTx(Tx):
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        self._cursor.execute(sql, tuple(params))
        return self._cursor.rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._cursor.executemany(sql, [tuple(row) for row in rows])

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        self._cursor.execute(sql, tuple(params))
        return [tuple(row) for row in self._cursor.fetchall()]


class SQLiteDatabase(Database):
    dialect: Dialect = "sqlite"

    def __init__(self, datastore: SQLiteDatastore) -> None:
        self.datastore = datastore

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        """BEGIN IMMEDIATE takes the write lock first, so a transaction that reads before it
        writes cannot fail half-way when another process wrote in between."""
        with _translated(), self.datastore.get_connection(commit=True) as connection:
            raw: sqlite3.Connection = connection._sqlite_conn
            cursor = raw.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
                yield _SQLiteTx(cursor)
            except BaseException:
                raw.rollback()
                raise
            else:
                raw.commit()
            finally:
                cursor.close()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Tx]:
        with _translated(), self.datastore.get_connection(commit=False) as connection:
            raw: sqlite3.Connection = connection._sqlite_conn
            cursor = raw.cursor()
            try:
                cursor.execute("BEGIN")
                yield _SQLiteTx(cursor)
            finally:
                raw.rollback()
                cursor.close()

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 5000) -> Iterator[Row]:
        with _translated(), self.datastore.get_connection(commit=False) as connection:
            raw: sqlite3.Connection = connection._sqlite_conn
            cursor = raw.cursor()
            try:
                cursor.execute("BEGIN")
                cursor.execute(sql, tuple(params))
                while rows := cursor.fetchmany(batch):
                    for row in rows:
                        yield tuple(row)
            finally:
                raw.rollback()
                cursor.close()

    def id_param(self, value: Any) -> Any:
        return value.hex if hasattr(value, "hex") and not isinstance(value, bytes) else value


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    return sql.replace("?", "%s")


class _PostgresTx(Tx):
    def __init__(self, cursor: psycopg.Cursor[Row]) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        self._cursor.execute(_pg_sql(sql), tuple(params))
        return self._cursor.rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._cursor.executemany(_pg_sql(sql), [tuple(row) for row in rows])

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        self._cursor.execute(_pg_sql(sql), tuple(params))
        return list(self._cursor.fetchall())


class PostgresDatabase(Database):
    dialect: Dialect = "postgresql"

    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        with (
            _translated(),
            self.datastore.get_connection() as connection,
            connection.transaction(),
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            yield _PostgresTx(cursor)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Tx]:
        with (
            _translated(),
            self.datastore.get_connection() as connection,
            connection.transaction(),
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield _PostgresTx(cursor)

    @contextlib.contextmanager
    def session_lock(self, name: str) -> Iterator[None]:
        """An advisory lock held on a connection of its own while the block runs (across
        the block's own transactions, which use other connections)."""
        key = advisory_key(name)
        with _translated(), self.datastore.get_connection() as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (key,))

    def ping(self, timeout: float) -> None:
        """Waits at most ``timeout`` for a pooled connection: when the server is away, every
        request queues for the pool's whole timeout, and the probe must not queue with them."""
        pool = self.datastore.pool
        with _translated():
            pool.open(wait=False)
            with pool.connection(timeout=timeout) as connection:
                connection.execute("SELECT 1")

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 5000) -> Iterator[Row]:
        with (
            _translated(),
            self.datastore.get_connection() as connection,
            connection.transaction(),
            connection.cursor(
                name=f"jejak_stream_{uuid.uuid4().hex[:12]}", row_factory=tuple_row
            ) as cursor,
        ):
            cursor.itersize = batch
            # The consumer's work between fetches (verifying a chain over millions of
            # events) may outlast the connections' idle-in-transaction timeout on a loaded
            # machine; this transaction only reads, so it may wait longer.
            connection.execute(
                f"SET LOCAL idle_in_transaction_session_timeout = '{STREAM_IDLE_TIMEOUT}'"
            )
            cursor.execute(_pg_sql(sql), tuple(params))
            yield from cursor


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    """Driver errors become the library's persistence errors, as its recorders raise them."""
    try:
        yield
    except (psycopg.IntegrityError, sqlite3.IntegrityError) as error:
        raise IntegrityError(str(error)) from error
    except (psycopg.OperationalError, sqlite3.OperationalError) as error:
        raise OperationalError(str(error)) from error
    except (psycopg.DatabaseError, sqlite3.DatabaseError) as error:
        raise DatabaseError(str(error)) from error
    except (psycopg.Error, sqlite3.Error) as error:
        raise PersistenceError(str(error)) from error
