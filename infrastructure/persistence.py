"""``JEJAK_DATABASE_URL`` turned into the eventsourcing library's environment."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from infrastructure.keys import MASTER_KEY_ENV, PREVIOUS_MASTER_KEY_ENV, SIGNING_KEY_ENV
from infrastructure.settings import Settings

SQLITE_FACTORY = "infrastructure.sqlite_store:JejakSQLiteFactory"
POSTGRES_FACTORY = "infrastructure.postgres_store:JejakPostgresFactory"


def library_env(settings: Settings) -> dict[str, str]:
    if not settings.master_key or not settings.signing_key:
        msg = "keys are missing: call Settings.with_keys() first"
        raise ValueError(msg)
    env = {
        MASTER_KEY_ENV: settings.master_key,
        SIGNING_KEY_ENV: settings.signing_key,
        # Tables are created by ``infrastructure/schema.py`` (at start when the schema is
        # not current, or by `jejak db upgrade`): a current schema needs no DDL at all.
        "CREATE_TABLE": "no",
    }
    if settings.previous_master_key:
        env[PREVIOUS_MASTER_KEY_ENV] = settings.previous_master_key
    url = settings.database_url
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:" and not path.startswith("file:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        env.update(
            {
                "PERSISTENCE_MODULE": SQLITE_FACTORY,
                "SQLITE_DBNAME": path,
                "SQLITE_LOCK_TIMEOUT": str(settings.lock_timeout_seconds),
            }
        )
        return env
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    env.update(
        {
            "PERSISTENCE_MODULE": POSTGRES_FACTORY,
            "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_SCHEMA": query.get("schema", ["public"])[0],
            "POSTGRES_LOCK_TIMEOUT": str(settings.lock_timeout_seconds),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_POOL_SIZE": str(settings.pool_size),
            "POSTGRES_MAX_OVERFLOW": str(settings.pool_max_overflow),
            "POSTGRES_PRE_PING": "yes",
            # The library's default, named: a transaction left idle this long (a leaked one
            # holding the events table's lock) is ended by the server. Projection batches
            # raise it for their own transactions (infrastructure/projections/runner.py).
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "5",
            # Off on purpose: in 9.5.6 the database functions drop the table lock that keeps
            # positions in commit order, and write no tracking rows.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "no",
        }
    )
    return env
