"""``?min_position=`` on reports: a position beyond the store's newest event is refused at
once, waits are capped per user, and a waiting report holds no request thread.

The read models are kept still by running the app without its projection runner (as when
``jejak projections run`` runs them elsewhere and is stopped): a real position then stays
unreached for the whole wait."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from infrastructure.settings import Settings
from interfaces.http.app import create_app
from interfaces.http.freshness import MAX_WAITS_PER_USER
from tests.support import VILLAGE, create_user, fast_runtime, login, worker_body

Headers = dict[str, str]


def test_a_position_beyond_the_newest_event_is_refused_at_once(
    client: TestClient, app_runtime: Runtime
) -> None:
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    coordinator = login(client, "koordinator.malang")
    head = app_runtime.projections.head()
    reads = (
        "/v1/reports/journeys",
        "/v1/reports/cooperatives",
        "/v1/reports/stage-counts",
        # The reads added since: the same dependency, the same refusal.
        "/v1/agenda",
        "/v1/reports/agenda-summary",
        "/v1/transfers",
        "/v1/reports/referrals",
    )
    for path in reads:
        response = client.get(path, params={"min_position": head + 1000}, headers=coordinator)
        assert response.status_code == 422, path
        error = response.json()["error"]
        assert error["code"] == "position_ahead"
        assert error["details"] == {"min_position": head + 1000, "head": head}
    indonesian = client.get(
        "/v1/reports/journeys",
        params={"min_position": head + 1},
        headers={**coordinator, "Accept-Language": "id"},
    )
    assert indonesian.json()["error"]["message"].startswith("min_position")
    assert "melampaui" in indonesian.json()["error"]["message"]
    reached = client.get("/v1/reports/journeys", params={"min_position": head}, headers=coordinator)
    assert reached.status_code == 200


@pytest.fixture
def still(settings: Settings) -> Iterator[tuple[TestClient, Headers, Headers, int]]:
    """An app whose read models do not move, two officers, and a position they wait for."""
    app = create_app(
        settings.model_copy(update={"projections_in_process": False}),
        runtime_factory=fast_runtime,
    )
    with TestClient(app) as client:
        runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        create_user(runtime, "petugas.satu", "officer", (VILLAGE,))
        create_user(runtime, "petugas.dua", "officer", (VILLAGE,))
        one, two = login(client, "petugas.satu"), login(client, "petugas.dua")
        written = client.post("/v1/workers", json=worker_body(), headers=one)
        assert written.status_code == 201, written.text
        yield client, one, two, written.json()["position"]


def waiting_report(client: TestClient, headers: Headers, position: int) -> Future[int]:
    pool = ThreadPoolExecutor(1)
    future = pool.submit(
        lambda: (
            client.get(
                "/v1/reports/journeys", params={"min_position": position}, headers=headers
            ).status_code
        )
    )
    pool.shutdown(wait=False)
    return future


def until_waiting(client: TestClient, count: int) -> None:
    waits = client.app.state.read_your_writes  # type: ignore[attr-defined]
    deadline = time.monotonic() + 5
    while waits.open_waits() < count:
        assert time.monotonic() < deadline, f"{waits.open_waits()} of {count} reports waiting"
        time.sleep(0.01)


def test_waiting_reports_hold_no_request_thread(
    still: tuple[TestClient, Headers, Headers, int],
) -> None:
    """With a request thread pool of one thread, four waiting reports leave it free."""
    client, one, two, position = still
    assert client.portal is not None

    async def one_thread() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1

    client.portal.call(one_thread)
    waits = [waiting_report(client, headers, position) for headers in (one, one, two, two)]
    until_waiting(client, 4)
    me = client.get("/v1/me", headers=one)
    assert me.status_code == 200
    assert not any(wait.done() for wait in waits), "a report stopped waiting before /v1/me"
    assert [wait.result(timeout=30) for wait in waits] == [200] * 4


def test_a_user_may_have_only_a_few_reports_waiting(
    still: tuple[TestClient, Headers, Headers, int],
) -> None:
    client, one, two, position = still
    waits = [waiting_report(client, one, position) for _ in range(MAX_WAITS_PER_USER)]
    until_waiting(client, MAX_WAITS_PER_USER)
    refused = client.get("/v1/reports/journeys", params={"min_position": position}, headers=one)
    other = waiting_report(client, two, position)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_waits"
    assert refused.headers["retry-after"] == "1"
    assert [wait.result(timeout=30) for wait in waits] == [200] * MAX_WAITS_PER_USER
    assert other.result(timeout=30) == 200
    stale = client.get("/v1/reports/journeys", params={"min_position": position}, headers=one)
    assert stale.json()["position"] < position  # the wait ended; the report says how current
