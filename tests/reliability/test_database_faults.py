"""Database faults: PostgreSQL restarted under load, on a cluster of the test's own (the
shared server on 5432 is never touched).

Officers keep writing journeys and reading them back through a real `jejak serve` while the
cluster is restarted twice: once as after a crash (``pg_ctl -m immediate``: every backend
killed mid-query) and once by an administrator (``-m fast``), each time left down for a
couple of seconds. Requests caught by the outage are answered 503 in the error shape (never
500, never a hang past the client's patience); /readyz says "not ready" while the store is
away and "ready" again without anyone touching the service; the projection thread resumes
by itself; and every write that was acknowledged is in the store, once."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import psycopg
import pytest

from tests.reliability.harness import (
    Ack,
    Officer,
    PrivatePostgres,
    Report,
    Server,
    seed_users,
    server_env,
    store_shape,
    token,
    wait_until,
)
from tests.reliability.test_crash_safety import (
    activity_rows,
    finish,
    start_writers,
    wait_for_projections,
)
from tests.reliability.workload import (
    assert_acks_match_store,
    assert_events_are_the_writes,
    assert_positions_answered_are_stored,
    positions_of,
    retry_figures,
)
from tests.support import PASSWORD, VILLAGE, journey_body, worker_body

pytestmark = pytest.mark.slow

#: A crash kept down longer than the pool's 5-second wait (so waiting requests get 503),
#: then an administrator's restart shorter than it (so waiting requests ride it out).
OUTAGES = (("immediate", 9.0), ("fast", 2.0))
#: The pool's wait for a connection (POSTGRES_CONNECT_TIMEOUT): the longest a request may
#: queue for an unreachable store before its 503.
POOL_TIMEOUT = 5.0


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A cluster of this test's own. Failing to start one fails the test: never a skip."""
    cluster = PrivatePostgres()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


class Watcher:
    """Polls a path and keeps every answer with its time (for /readyz and reads)."""

    def __init__(self, base: str, path: str, headers: dict[str, str], stop: threading.Event):
        self.base, self.path, self.headers, self.stop = base, path, headers, stop
        self.seen: list[tuple[float, int | None, Any, float]] = []

    def __call__(self) -> None:
        with httpx.Client(base_url=self.base, headers=self.headers, timeout=60) as client:
            while not self.stop.is_set():
                started = time.monotonic()
                try:
                    response = client.get(self.path)
                    status: int | None = response.status_code
                    body: Any = response.json()
                except httpx.TransportError:
                    status, body = None, None
                self.seen.append((started, status, body, time.monotonic() - started))
                time.sleep(0.1)


def test_a_postgres_restart_under_load_is_503_then_recovery_and_loses_nothing(
    private_postgres: PrivatePostgres, keys: dict[str, str], workdir: Path, report: Report
) -> None:
    url = private_postgres.url
    seed_users(url, keys, workdir, [("petugas", "officer", (VILLAGE,)), ("auditor", "auditor", ())])
    server = Server(server_env(url, workdir, keys), workdir)
    server.start()
    try:
        officer_token = token(server.base, "petugas", PASSWORD)
        stop = threading.Event()
        writers, threads = start_writers(server, officer_token, "pg", 8, stop)
        wait_until(lambda: any(w.journeys for w in writers), 30, "a first journey")
        watch_stop = threading.Event()
        ready = Watcher(server.base, "/readyz", {}, watch_stop)
        journey = next(w.journeys[0] for w in writers if w.journeys)
        reader = Watcher(
            server.base,
            f"/v1/journeys/{journey}",
            {"Authorization": f"Bearer {officer_token}"},
            watch_stop,
        )
        watchers = [threading.Thread(target=ready), threading.Thread(target=reader)]
        for thread in watchers:
            thread.start()
        outages: list[tuple[float, float]] = []
        try:
            for mode, down_seconds in OUTAGES:
                time.sleep(3.0)
                down = time.monotonic()
                private_postgres.restart(mode, down_seconds=down_seconds)
                outages.append((down, time.monotonic()))
            acked_before = sum(len(w.acks) for w in writers)
            first_write_after = wait_until(
                lambda: sum(len(w.acks) for w in writers) > acked_before + len(writers),
                60,
                "writes acknowledged after the last restart",
            )
            ready_again = wait_until(
                lambda: httpx.get(f"{server.base}/readyz", timeout=10).status_code == 200,
                60,
                "/readyz to say ready again",
            )
            time.sleep(2.0)
        finally:
            stop.set()
            watch_stop.set()
            for thread in watchers:
                thread.join(timeout=120)
            finish(writers, threads)

        # Every answer was a success or a 503 in the error shape: never a 500.
        attempts = [t for w in writers for _, a in w.acks for t in a.attempts]
        statuses = Counter(t.status for t in attempts)
        assert set(statuses) <= {201, 503}, statuses
        assert statuses[503] > 0, "the restarts were never felt: the test proved nothing"
        for attempt in attempts:
            if attempt.status == 503:
                assert_error_shape(attempt.body, {"store_unavailable", "contention"})
        read_statuses = Counter(status for _, status, _, _ in reader.seen)
        assert set(read_statuses) <= {200, 503}, read_statuses
        for _, status, body, _ in reader.seen:
            if status == 503:
                assert_error_shape(body, {"store_unavailable"})
        # Nobody waited much beyond one pool timeout for an answer.
        slowest = max(t.seconds for t in attempts)
        assert slowest < POOL_TIMEOUT + 2.5, slowest  # margin for a busy machine
        # Writes flowed again soon after each outage (the pool retries every 2 s at most; it
        # took 5 s and more, growing with the outage, before).
        recovered = [
            min(t.at for t in attempts if t.status == 201 and t.at > up) - up for _, up in outages
        ]
        assert max(recovered) < 4.0, recovered
        # /readyz followed the store: not ready during the outages, ready afterwards, and
        # always answered promptly.
        assert max(seconds for _, _, _, seconds in ready.seen) < 3.0
        ready_statuses = Counter(status for _, status, _, _ in ready.seen)
        assert set(ready_statuses) <= {200, 503}, ready_statuses
        unreachable = [b for _, s, b, _ in ready.seen if s == 503]
        assert any(b["checks"]["store"] == "unreachable" for b in unreachable), ready_statuses
        assert ready.seen[-1][1] == 200

        acks: list[tuple[str, Ack]] = [a for w in writers for a in w.acks]
        shape = store_shape(url)
        assert_acks_match_store(acks, shape.versions)
        assert_positions_answered_are_stored(acks, positions_of(url))
        auditor = Officer(server.base, token(server.base, "auditor", PASSWORD))
        compared = assert_events_are_the_writes(auditor, writers)
        assert auditor.get("/v1/audit/verify")["intact"] is True
        auditor.close()
        caught_up = wait_for_projections(url)
        assert activity_rows(url) == shape.events
        assert server.alive()
        assert server.unexpected_errors() == []
        slowest_503 = max((t.seconds for t in attempts if t.status == 503), default=0.0)
        report(
            "PostgreSQL restarted twice under load (immediate 9 s, fast 2 s)",
            {
                "cluster down for (s)": [round(b - a, 2) for a, b in outages],
                **retry_figures(writers),
                "write answers": dict(sorted(statuses.items())),
                "slowest 503 (s)": round(slowest_503, 2),
                "slowest answer (s)": round(slowest, 2),
                "first 201 after each outage (s)": [round(r, 2) for r in recovered],
                "slowest /readyz (s)": round(max(s for _, _, _, s in ready.seen), 2),
                "read answers (GET journey)": dict(read_statuses),
                "/readyz answers": dict(ready_statuses),
                "writes flowing again after (s)": round(first_write_after, 2),
                "/readyz ready again after (s)": round(ready_again, 2),
                "projections caught up after (s)": round(caught_up, 2),
                "events in the store": shape.events,
                "events traced to their write": compared,
            },
        )
    finally:
        server.stop()


def assert_error_shape(body: Any, codes: set[str]) -> None:
    assert isinstance(body, dict), body
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] in codes, body


def test_a_write_in_flight_when_postgres_goes_down_is_a_503_and_its_retry_records_it_once(
    private_postgres: PrivatePostgres, keys: dict[str, str], workdir: Path, report: Report
) -> None:
    """The write is held inside its transaction (waiting for the events table lock, which
    the test holds) when the cluster is stopped as after a crash: its connection dies under
    it. The answer is 503 in the error shape; the retry with its key, once the cluster is
    back, records the write exactly once (the library's blind retry is not used on this
    path: after an unknown commit it could have written it twice)."""
    url = private_postgres.url
    seed_users(url, keys, workdir, [("petugas", "officer", (VILLAGE,))])
    server = Server(server_env(url, workdir, keys), workdir)
    server.start()
    try:
        officer = Officer(server.base, token(server.base, "petugas", PASSWORD))
        worker = officer.write("/v1/workers", worker_body(), "w").response["id"]
        journey = officer.write(
            "/v1/journeys", journey_body(worker, occurred_on="2022-01-05"), "j"
        ).response["id"]
        path = f"/v1/journeys/{journey}/counselling"
        body = {"occurred_on": "2022-01-06", "topics": ["safe_migration"]}
        answer: dict[str, Any] = {}

        def write() -> None:
            started = time.monotonic()
            response = httpx.post(
                f"{server.base}{path}",
                json=body,
                headers={
                    "Authorization": officer.client.headers["Authorization"],
                    "Idempotency-Key": "in-flight",
                },
                timeout=60,
            )
            answer.update(
                status=response.status_code,
                body=response.json(),
                seconds=time.monotonic() - started,
            )

        locker = psycopg.connect(url)
        try:
            locker.execute("LOCK TABLE jejak_events IN EXCLUSIVE MODE")
            thread = threading.Thread(target=write)
            thread.start()
            wait_until(
                lambda: waiting_for_lock(url) > 0, 10, "the write to wait inside its transaction"
            )
            down = private_postgres.restart("immediate", down_seconds=1.0)
        finally:
            locker.close()  # its server is gone: nothing to commit or roll back
        thread.join(timeout=60)
        assert answer["status"] == 503, answer
        assert_error_shape(answer["body"], {"store_unavailable"})
        assert officer.get(f"/v1/journeys/{journey}")["version"] == 1  # nothing was written
        retried = officer.write(path, body, "in-flight")
        assert retried.response["version"] == 2
        assert not retried.replayed
        again = officer.write(path, body, "in-flight")
        assert again.replayed
        assert again.response == retried.response
        assert store_shape(url).versions[journey] == [1, 2]
        officer.close()
        assert server.unexpected_errors() == []
        report(
            "a write in flight when PostgreSQL is stopped (immediate)",
            {
                "answer": f"{answer['status']} {answer['body']['error']['code']}",
                "answered after (s)": round(answer["seconds"], 2),
                "cluster down for (s)": round(down, 2),
                "retry with its key": f"201, version {retried.response['version']}",
            },
        )
    finally:
        server.stop()


def waiting_for_lock(url: str) -> int:
    """Backends of the server waiting for a lock (the held write), seen from outside."""
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ).fetchone()
    return int(row[0]) if row else 0
