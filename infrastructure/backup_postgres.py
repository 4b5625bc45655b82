"""``pg_dump`` and ``pg_restore`` of the one schema a Jejak URL names.

The dump runs in a snapshot exported by a transaction of our own that reads the head in the
same snapshot, so the position a backup reports is exactly what the dump holds, while the
service keeps writing (its writers' table lock does not block a dump's reads). The password
travels in the environment of the tools, never on their command line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
from psycopg import sql

#: Where Debian and Ubuntu put each PostgreSQL version's tools (the newest is taken).
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
EVENTS = "jejak_events"


class BackupRefused(RuntimeError):
    """A backup or restore that cannot be done safely; the message says why and what to do."""


@dataclass(frozen=True)
class PostgresTarget:
    host: str
    port: int
    user: str
    password: str
    dbname: str
    schema: str

    @classmethod
    def from_url(cls, url: str) -> PostgresTarget:
        """The same reading of the URL as the store's (``infrastructure/persistence.py``)."""
        parts = urlsplit(url)
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname=unquote(parts.path.lstrip("/")) or "postgres",
            schema=parse_qs(parts.query).get("schema", ["public"])[0],
        )

    def connect(self, *, autocommit: bool = True) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=self.dbname,
            autocommit=autocommit,
            connect_timeout=10,
        )

    def tool_env(self) -> dict[str, str]:
        """The environment the service's own connections see (TLS settings included),
        with the URL's host, port, role, database and password over it."""
        env = dict(os.environ)
        env.update(
            PGHOST=self.host, PGPORT=str(self.port), PGUSER=self.user, PGDATABASE=self.dbname
        )
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def tool(name: str, server_major: int | None = None) -> str:
    """``pg_dump`` or ``pg_restore``: the server's major version's under ``PG_BIN_GLOB`` when
    installed (a dump needs tools at least as new as the server), else the one on PATH,
    else the newest under ``PG_BIN_GLOB``."""
    if server_major is not None:
        exact = Path(PG_BIN_GLOB.replace("*", str(server_major), 1)) / name
        if exact.is_file():
            return str(exact)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        (Path(d) / name for d in glob(PG_BIN_GLOB)),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)] or [0],
    )
    for candidate in reversed(candidates):
        if candidate.is_file():
            return str(candidate)
    msg = (
        f"{name} was found neither on PATH nor in {PG_BIN_GLOB}: install PostgreSQL's client "
        "tools of the server's version (Debian: postgresql-client-15)"
    )
    raise BackupRefused(msg)


def dump(target: PostgresTarget, out: Path) -> tuple[int, int]:
    """Dumps the schema into ``out`` (custom format); returns the head it holds."""
    with _connected(target, autocommit=False) as connection:
        pg_dump = tool("pg_dump", connection.info.server_version // 10000)
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # Idle while pg_dump works: a server-wide timeout must not end the snapshot's source.
        connection.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
        row = connection.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        snapshot = str(row[0])
        head = _head(connection, target.schema)
        if head is None:
            msg = f"no Jejak store in the schema {target.schema!r} of {target.dbname}"
            raise BackupRefused(msg)
        # The exporting transaction stays open until the dump has its snapshot and is done.
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--schema={_pattern(target.schema)}",
                f"--file={out}",
                "--no-password",
            ],
            target,
            "pg_dump",
        )
        connection.rollback()
    return head


def restore(target: PostgresTarget, source: Path) -> tuple[int, int]:
    """Restores a dump into the empty schema (created when missing), in one transaction:
    a restore that fails half-way leaves nothing behind."""
    with _connected(target) as connection:
        pg_restore = tool("pg_restore", connection.info.server_version // 10000)
        relations = connection.execute(
            "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')",
            (target.schema,),
        ).fetchone()
        exists = connection.execute(
            "SELECT 1 FROM pg_namespace WHERE nspname = %s", (target.schema,)
        ).fetchone()
    if relations and int(str(relations[0])):
        msg = (
            f"the schema {target.schema!r} of {target.dbname} is not empty ({relations[0]} "
            "tables and sequences): a restore writes only into an empty database"
        )
        raise BackupRefused(msg)
    contents = _run([pg_restore, "--list", str(source)], target, "pg_restore")
    with tempfile.NamedTemporaryFile("w", suffix=".list") as listing:
        listing.write(_without_schema(contents, target.schema) if exists else contents)
        listing.flush()
        _run(
            [
                pg_restore,
                f"--dbname={target.dbname}",
                f"--use-list={listing.name}",
                "--single-transaction",
                "--exit-on-error",
                # Owned by whoever restores (the schema's owner); the service's role is
                # granted its privileges by `jejak db init`, which may be another role here.
                "--no-owner",
                "--no-privileges",
                "--no-password",
                str(source),
            ],
            target,
            "pg_restore",
        )
    with _connected(target) as connection:
        head = _head(connection, target.schema)
    if head is None:
        msg = f"the backup held no Jejak store for the schema {target.schema!r}"
        raise BackupRefused(msg)
    return head


def _without_schema(contents: str, schema: str) -> str:
    """The dump's table of contents less the schema itself (and its comment), which exists
    already: creating it again would end the restore."""
    entry = re.compile(rf"^\d+; \d+ \d+ (SCHEMA|COMMENT) - (SCHEMA )?{re.escape(schema)} ")
    return "".join(line for line in contents.splitlines(keepends=True) if not entry.match(line))


def _head(
    connection: psycopg.Connection[tuple[object, ...]], schema: str
) -> tuple[int, int] | None:
    found = connection.execute("SELECT to_regclass(%s)", (f'"{schema}".{EVENTS}',)).fetchone()
    if found is None or found[0] is None:
        return None
    query = sql.SQL("SELECT COALESCE(MAX(notification_id), 0), COUNT(*) FROM {}.{}").format(
        sql.Identifier(schema), sql.Identifier(EVENTS)
    )
    row = connection.execute(query).fetchone()
    assert row is not None
    return int(str(row[0])), int(str(row[1]))


def _connected(
    target: PostgresTarget, *, autocommit: bool = True
) -> psycopg.Connection[tuple[object, ...]]:
    try:
        return target.connect(autocommit=autocommit)
    except psycopg.OperationalError as error:
        msg = f"cannot connect to {target.dbname} on {target.host}:{target.port}: {error}"
        raise BackupRefused(msg) from None


def _pattern(schema: str) -> str:
    """The schema as a pg_dump pattern that matches it exactly (case and all)."""
    return '"' + schema.replace('"', '""') + '"'


def _run(command: list[str], target: PostgresTarget, name: str) -> str:
    result = subprocess.run(  # noqa: S603 (the tool's path and our own arguments)
        command, env=target.tool_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        msg = f"{name} failed (exit {result.returncode}): {result.stderr.strip()}"
        raise BackupRefused(msg)
    return result.stdout
