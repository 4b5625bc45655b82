"""Fixtures: every persistence-touching test runs on SQLite and on PostgreSQL.

PostgreSQL is real: each run gets a database of its own (``jejak_test_<pid>_<hex>``) on the
server at ``JEJAK_TEST_POSTGRES_URL`` (default: 127.0.0.1:5432, user postgres), and each test
a schema of its own. A missing server is an error, never a skip."""

from __future__ import annotations

import logging
import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from infrastructure.settings import Settings
from interfaces.http.app import create_app
from interfaces.logs import JsonFormatter
from tests.support import ADMIN_URL, CAPTURED_LOGS, fast_runtime, make_settings

BACKENDS = ("sqlite", "postgres")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    name = f"jejak_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is required for the suite and did not answer at {ADMIN_URL}: {error}",
            pytrace=False,
        )
    base = ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(pg_database: str) -> Iterator[str]:
    """A schema of its own in the run's PostgreSQL database (for PostgreSQL-only tests)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{pg_database}?schema={schema}"
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jejak.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path)


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    built = fast_runtime(settings)
    yield built
    built.close()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, runtime_factory=fast_runtime)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def app_runtime(client: TestClient) -> Runtime:
    """The runtime inside the app under test (to create users without HTTP)."""
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


#: Loggers of the tests' own HTTP clients and fuzzers: they log the URLs a test sends
#: (schemathesis fuzzes floats whose 16 mantissa digits look like a NIK), and they never
#: run in the service, so their lines say nothing about what Jejak logs.
_CLIENT_SIDE_LOGGERS = frozenset(
    {"urllib3", "httpx", "httpx2", "httpcore", "httpcore2", "hpack", "schemathesis", "hypothesis"}
)


class _RunLog(logging.Handler):
    """Keeps every log line the service's code wrote during the run, formatted as
    production formats them."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".", 1)[0] in _CLIENT_SIDE_LOGGERS:
            return
        CAPTURED_LOGS.append(self.format(record))


def pytest_configure(config: pytest.Config) -> None:
    logging.getLogger().addHandler(_RunLog())
    logging.getLogger().setLevel(logging.DEBUG)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The scan of the run's logs goes last, after everything that could log."""
    last = [
        item for item in items if item.name == "test_no_log_line_of_the_run_carries_personal_data"
    ]
    for item in last:
        items.remove(item)
        items.append(item)
