"""Readiness follows the store and the projections; metrics expose their lag."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from infrastructure.settings import Settings
from interfaces.http.app import create_app
from interfaces.http.routes.ops import SingleFlight
from tests.support import create_user, fast_runtime, login


def test_metrics_expose_projection_positions_and_lag(
    client: TestClient, app_runtime: object
) -> None:
    client.get("/healthz")
    text = client.get("/metrics").text
    assert 'jejak_projection_position{projection="activity"}' in text
    assert 'jejak_projection_lag_events{projection="activity"}' in text
    assert "jejak_events_head" in text


def test_ready_reports_projections_within_lag(client: TestClient) -> None:
    body = client.get("/readyz").json()
    assert body["status"] == "ready"
    assert body["checks"]["projections"]["lagging"] == {}


@pytest.fixture
def stalled_client(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    """An API whose projections run elsewhere (and here: nowhere), allowed 0.5 s of lag."""
    stalled = settings.model_copy(
        update={"projections_in_process": False, "max_projection_lag_seconds": 0.5}
    )
    with TestClient(create_app(stalled, runtime_factory=fast_runtime)) as test_client:
        yield test_client


def test_ready_fails_when_a_projection_falls_behind(stalled_client: TestClient) -> None:
    runtime = stalled_client.app.state.runtime  # type: ignore[attr-defined]
    create_user(runtime, "admin", "admin")
    login(stalled_client, "admin")
    time.sleep(0.7)
    response = stalled_client.get("/readyz")
    assert response.status_code == 503
    assert "activity" in response.json()["checks"]["projections"]["lagging"]
    runtime.projections.process()
    assert stalled_client.get("/readyz").status_code == 200


def test_ready_answers_promptly_when_the_projections_cannot_be_read(client: TestClient) -> None:
    """The store can go away between the ping and the reading of the projections' positions,
    which then waits for a pooled connection as long as any request (5 s): the probe says
    not ready instead of waiting, and probes repeated meanwhile share the one reading."""
    released = threading.Event()
    readings: list[int] = []

    def stuck() -> list[object]:
        readings.append(1)
        released.wait(30)
        return []

    state = client.app.state  # type: ignore[attr-defined]
    real = state.projection_status
    state.projection_status = SingleFlight(stuck)
    try:
        for _ in range(2):
            response = client.get("/readyz")
            assert response.status_code == 503
            assert response.json()["checks"]["store"] == "unreachable"
        assert readings == [1]
        released.set()
        state.projection_status.close()
    finally:
        released.set()
        state.projection_status = real
    assert client.get("/readyz").status_code == 200


def test_a_single_flight_check_shares_its_result_and_runs_again_once_done() -> None:
    calls: list[int] = []
    gate = threading.Event()

    def check() -> int:
        calls.append(1)
        gate.wait(30)
        return len(calls)

    flight = SingleFlight(check)
    try:
        with pytest.raises(TimeoutError):
            flight.result(timeout=0.05)
        with pytest.raises(TimeoutError):
            flight.result(timeout=0.05)
        assert calls == [1]  # the second caller waited for the first one's check
        gate.set()
        first = flight.result(timeout=10)
        assert first in (1, 2)  # that check's result, or a new one's if it had finished
        assert flight.result(timeout=10) == first + 1  # done: the next caller runs afresh
    finally:
        gate.set()
        flight.close()
