"""Fixtures: every persistence-touching test runs on SQLite and on PostgreSQL.

PostgreSQL is real: each run gets a database of its own (``jejak_test_<pid>_<hex>``) on the
server at ``JEJAK_TEST_POSTGRES_URL`` (default: 127.0.0.1:5432, user postgres), and each test
a schema of its own. A missing server is an error, never a skip."""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from infrastructure.settings import Settings
from interfaces.http.app import create_app
from interfaces.logs import JsonFormatter
from tests.log_scan import leaks
from tests.support import (
    ADMIN_URL,
    CAPTURED_LOGS,
    PERSONAL_VALUES,
    fast_runtime,
    make_settings,
)

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


#: Where the workers of a parallel run (pytest-xdist) leave what their log scans found.
_SCAN_DIR = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    logging.getLogger().addHandler(_RunLog())
    logging.getLogger().setLevel(logging.DEBUG)
    if not hasattr(config, "workerinput"):
        config.stash[_SCAN_DIR] = Path(tempfile.mkdtemp(prefix="jejak-log-scan-"))


def pytest_configure_node(node: Any) -> None:
    """Tells each worker of a parallel run where to leave its scan."""
    node.workerinput["jejak_log_scan"] = str(node.config.stash[_SCAN_DIR])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """No log line of the run carries personal data: each process scans what it logged
    against the people it used; the controller of a parallel run gathers its workers' scans
    and fails the run on any leak (or, when JEJAK_LOG_SCAN_REQUIRED is set, as
    scripts/run-tests does, when nothing was logged at all: the scan would prove nothing)."""
    scan = {"lines": len(CAPTURED_LOGS), "leaks": leaks(CAPTURED_LOGS, PERSONAL_VALUES)}
    workerinput = getattr(session.config, "workerinput", None)
    if workerinput is not None:
        folder = Path(workerinput["jejak_log_scan"])
        (folder / f"{workerinput['workerid']}.json").write_text(json.dumps(scan))
        return
    folder = session.config.stash[_SCAN_DIR]
    scans = [scan, *(json.loads(path.read_text()) for path in folder.glob("*.json"))]
    shutil.rmtree(folder, ignore_errors=True)
    lines = sum(int(s["lines"]) for s in scans)
    found = [leak for s in scans for leak in s["leaks"]]
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"log scan: {lines} log lines, {len(found)} with personal data")
    if found or (lines == 0 and os.environ.get("JEJAK_LOG_SCAN_REQUIRED")):
        for leak in found[:50]:
            if reporter is not None:
                reporter.write_line(f"personal data in a log line: {leak}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
