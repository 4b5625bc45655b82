"""Login throttling and the bounded password checks, through the real app.

The throttle's clock is moved forward by the tests that wait (a clock, not a repository, is
replaced); the tests of parallel logins hold the password check itself with a gate around
the real hasher, so what runs at once is decided by the test, not by the machine's speed."""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from application.ports import PasswordHasher, PasswordWeakness
from infrastructure.bootstrap import Runtime
from infrastructure.clock import SystemClock
from infrastructure.settings import Settings
from interfaces.http.app import create_app
from tests.support import PASSWORD, create_user, fast_runtime, login
from tests.web import Person

WRONG = {"password": "wrong password!"}


class MovableClock(SystemClock):
    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return super().now() + self.offset


@pytest.fixture
def clock(app_runtime: Runtime) -> MovableClock:
    moved = MovableClock()
    app_runtime.app.throttle.clock = moved
    return moved


def from_address(client: TestClient, address: str) -> TestClient:
    """Another caller of the same running app, connecting from ``address``."""
    return TestClient(client.app, client=(address, 50000))


def attempt(client: TestClient, username: str, password: str = PASSWORD) -> int:
    return client.post(
        "/v1/auth/token", data={"username": username, "password": password}
    ).status_code


def test_failures_from_one_address_wait_longer_each_time(
    client: TestClient, app_runtime: Runtime, clock: MovableClock
) -> None:
    create_user(app_runtime, "admin", "admin")
    assert [attempt(client, "admin", **WRONG) for _ in range(5)] == [401] * 5
    blocked = client.post("/v1/auth/token", data={"username": "admin", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "too_many_attempts"
    assert 25 <= int(blocked.headers["retry-after"]) <= 31
    clock.offset += timedelta(seconds=31)
    assert attempt(client, "admin", **WRONG) == 401
    second = client.post("/v1/auth/token", data={"username": "admin", "password": PASSWORD})
    assert second.status_code == 429
    assert 55 <= int(second.headers["retry-after"]) <= 61
    clock.offset += timedelta(seconds=61)
    assert attempt(client, "admin") == 200


def test_an_account_locked_from_one_address_logs_in_from_another(
    client: TestClient, app_runtime: Runtime
) -> None:
    """Guessing a predictable username (petugas.<desa>) from one place locks that place out,
    not the officer at her own desk."""
    create_user(app_runtime, "petugas.ternyang", "officer", ("35.07.12.2001",))
    for _ in range(6):
        attempt(client, "petugas.ternyang", **WRONG)
    assert attempt(client, "petugas.ternyang") == 429
    assert attempt(from_address(client, "127.0.0.2"), "petugas.ternyang") == 200


def test_one_users_typos_do_not_lock_out_others_at_the_same_address(
    client: TestClient, app_runtime: Runtime
) -> None:
    create_user(app_runtime, "admin", "admin")
    create_user(app_runtime, "auditor.satu", "auditor")
    for _ in range(6):
        attempt(client, "admin", **WRONG)
    assert attempt(client, "admin") == 429
    assert attempt(client, "auditor.satu") == 200


def test_an_office_behind_one_address_survives_many_typos(
    client: TestClient, app_runtime: Runtime
) -> None:
    """Sixty mistyped passwords of fifteen officers behind one NAT (fifty locked the whole
    office before) leave everyone able to log in."""
    create_user(app_runtime, "auditor.satu", "auditor")
    for officer in range(15):
        for _ in range(4):
            assert attempt(client, f"petugas.{officer}", **WRONG) == 401
    assert attempt(client, "auditor.satu") == 200


def test_one_address_sweeping_many_usernames_is_throttled(
    client: TestClient, app_runtime: Runtime
) -> None:
    create_user(app_runtime, "auditor.satu", "auditor")
    answers = Counter(attempt(client, f"tebak{n}", "x" * 12) for n in range(300))
    assert answers == {401: 300}
    assert attempt(client, "auditor.satu") == 429
    assert attempt(from_address(client, "127.0.0.2"), "auditor.satu") == 200


def test_distributed_guessing_locks_an_account_except_where_it_logged_in_before(
    client: TestClient, app_runtime: Runtime
) -> None:
    create_user(app_runtime, "auditor.satu", "auditor")
    desk = from_address(client, "127.0.0.2")
    assert attempt(desk, "auditor.satu") == 200
    for n in range(20):
        guesser = from_address(client, f"127.0.1.{n + 1}")
        assert [attempt(guesser, "auditor.satu", **WRONG) for _ in range(5)] == [401] * 5
    assert attempt(from_address(client, "127.0.0.3"), "auditor.satu") == 429
    assert attempt(desk, "auditor.satu") == 200


def test_throttled_logins_are_written_to_the_access_log(
    client: TestClient, app_runtime: Runtime
) -> None:
    create_user(app_runtime, "admin", "admin")
    create_user(app_runtime, "auditor.satu", "auditor")
    for _ in range(7):
        attempt(client, "admin", **WRONG)
    log = client.get("/v1/audit/access-log", headers=login(client, "auditor.satu"))
    actions = [e["action"] for e in log.json()["items"] if e["username"] == "admin"]
    assert actions.count("login_failed") == 5
    assert actions.count("login_throttled") == 2


# Parallel logins ------------------------------------------------------------------------


class GatedPasswords:
    """The real hasher, with every check held until the test opens the gate."""

    def __init__(self, inner: PasswordHasher) -> None:
        self.inner = inner
        self.entered = threading.Semaphore(0)
        self.gate = threading.Event()
        self.niceness: list[int] = []

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        self.entered.release()
        self.gate.wait(20)
        return self.inner.verify(password_hash, password)

    def weakness(self, password: str, context: Sequence[str]) -> PasswordWeakness | None:
        return self.inner.weakness(password, context)


def gated_client(settings: Settings, slots: int) -> Iterator[tuple[TestClient, GatedPasswords]]:
    app = create_app(
        settings.model_copy(update={"max_concurrent_logins": slots}), runtime_factory=fast_runtime
    )
    with TestClient(app) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        create_user(runtime, "auditor.satu", "auditor")
        gated = GatedPasswords(runtime.app.services.passwords)
        runtime.app.services = dataclasses.replace(runtime.app.services, passwords=gated)
        try:
            yield client, gated
        finally:
            gated.gate.set()


@pytest.fixture
def many_slots(settings: Settings) -> Iterator[tuple[TestClient, GatedPasswords]]:
    yield from gated_client(settings, slots=16)


@pytest.fixture
def one_slot(settings: Settings) -> Iterator[tuple[TestClient, GatedPasswords]]:
    yield from gated_client(settings, slots=1)


def test_parallel_guesses_are_counted_before_the_password_is_checked(
    many_slots: tuple[TestClient, GatedPasswords],
) -> None:
    """Counting failures after the slow hash let every parallel guess through."""
    client, gated = many_slots
    with ThreadPoolExecutor(10) as pool:
        answers = [
            pool.submit(attempt, client, "auditor.satu", "wrong password!") for _ in range(10)
        ]
        for _ in range(5):
            assert gated.entered.acquire(timeout=10)
        refused = [answers[n] for n in range(10) if answers[n].done()]
        gated.gate.set()
        statuses = Counter(future.result(timeout=20) for future in answers)
    assert not gated.entered.acquire(timeout=0.5), "a sixth guess reached the password check"
    assert statuses == {401: 5, 429: 5}
    assert all(future.result() == 429 for future in refused)


def test_a_login_beyond_the_free_slots_is_refused_at_once_and_reads_go_on(
    one_slot: tuple[TestClient, GatedPasswords],
) -> None:
    """With one password check slot and a request thread pool of one thread, a login held
    in its check leaves the pool free: /v1/me answers, a second login is 503 at once."""
    client, gated = one_slot
    assert client.portal is not None
    bearer = client.app.state.runtime.tokens.issue(  # type: ignore[attr-defined]
        client.app.state.runtime.app.get_user("auditor.satu").id  # type: ignore[attr-defined]
    )

    async def one_thread() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1

    client.portal.call(one_thread)
    with ThreadPoolExecutor(3) as pool:
        held = pool.submit(attempt, client, "auditor.satu")
        assert gated.entered.acquire(timeout=10)
        me = pool.submit(client.get, "/v1/me", headers={"Authorization": f"Bearer {bearer}"})
        second = pool.submit(
            client.post, "/v1/auth/token", data={"username": "auditor.satu", "password": PASSWORD}
        )
        try:
            assert me.result(timeout=10).status_code == 200
            busy = second.result(timeout=10)
            assert not held.done()
        finally:
            gated.gate.set()
        assert held.result(timeout=20) == 200
    assert busy.status_code == 503
    assert busy.json()["error"]["code"] == "logins_busy"
    assert busy.headers["retry-after"] == "1"


def test_a_web_login_beyond_the_free_slots_shows_a_busy_page(
    one_slot: tuple[TestClient, GatedPasswords],
) -> None:
    client, gated = one_slot
    person = Person(TestClient(client.app))
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(attempt, client, "auditor.satu")
        assert gated.entered.acquire(timeout=10)
        try:
            busy = person.login("auditor.satu")
        finally:
            gated.gate.set()
        assert held.result(timeout=20) == 200
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == "1"
    assert "Terlalu banyak proses masuk yang sedang diperiksa" in busy.text
    assert person.login("auditor.satu").status_code == 200


@pytest.mark.skipif(sys.platform != "linux", reason="nice is per thread on Linux only")
def test_password_checks_run_at_a_lower_cpu_priority(
    many_slots: tuple[TestClient, GatedPasswords],
) -> None:
    """Argon2 keeps every core busy while it runs; signed-in requests must come first."""
    client, gated = many_slots
    gated.gate.set()
    assert attempt(client, "auditor.satu") == 200
    process = os.getpriority(os.PRIO_PROCESS, 0)
    assert gated.niceness == [min(19, process + 10)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == process
