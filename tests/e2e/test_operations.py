"""Readiness follows the store and the projections; metrics expose their lag."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from infrastructure.settings import Settings
from interfaces.http.app import create_app
from tests.conftest import fast_runtime
from tests.support import create_user, login


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
