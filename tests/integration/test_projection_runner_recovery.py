"""The projection runner survives its database connections breaking (PostgreSQL).

A database restart breaks the runner's LISTEN connection. It used to end the runner's
thread silently, so the read models stopped following the store until the process was
restarted by hand. Here the test terminates just that one backend (its own connection, in
its own database: nobody else's session is touched) and expects the runner to reconnect and
keep projecting."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest

from application.principal import SYSTEM_PRINCIPAL
from application.workers import RegisterWorker
from application.writes import WriteOptions
from domain.worker import Sex
from infrastructure.bootstrap import Runtime
from tests.support import VILLAGE, fast_runtime, make_settings, nik_for


@pytest.fixture
def pg_runtime(postgres_url: str, tmp_path: Path) -> Iterator[Runtime]:
    runtime = fast_runtime(make_settings(postgres_url, tmp_path))
    yield runtime
    runtime.close()


def register(runtime: Runtime, serial: int) -> int:
    birth = date(1994, 5, 6)
    result = runtime.app.register_worker(
        SYSTEM_PRINCIPAL,
        RegisterWorker(
            nik=nik_for(birth, "L", serial=serial),
            full_name="Agus",
            sex=Sex("L"),
            birth_date=birth,
            village_code=VILLAGE,
        ),
        WriteOptions(),
    )
    return result.position


def listener_pids(database_url: str) -> list[int]:
    base = database_url.partition("?")[0]
    with psycopg.connect(base, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        ).fetchall()
    return [int(row[0]) for row in rows]


def caught_up(runtime: Runtime, position: int, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(s.position >= position for s in runtime.read_models.status()):
            return True
        time.sleep(0.05)
    return False


def test_the_runner_reconnects_when_its_listen_connection_is_killed(
    pg_runtime: Runtime, postgres_url: str
) -> None:
    runner = pg_runtime.start_projections()
    assert caught_up(pg_runtime, register(pg_runtime, 1))
    deadline = time.monotonic() + 10
    while not (pids := listener_pids(postgres_url)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pids) == 1, pids
    base = postgres_url.partition("?")[0]
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute("SELECT pg_terminate_backend(%s)", (pids[0],))
    time.sleep(0.5)
    assert runner._thread is not None
    assert runner._thread.is_alive()
    assert caught_up(pg_runtime, register(pg_runtime, 2))
    deadline = time.monotonic() + 10
    while listener_pids(postgres_url) in ([], pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener_pids(postgres_url) not in ([], pids), "the runner never listened again"
