"""Ending a journey with incidents or indications open, through the real app on both
backends: refused (409, naming them) without a reason for leaving them open; with one, the
history shows it, the audit timeline has it, and the items leave the open incident list."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.casework import Casework, assert_error, casework
from tests.support import DEPARTURE

RETURN = {"returned_on": "2026-03-05", "reason": "contract_completed"}
NOTE = "dipukul majikan"
REASON = "pekerja pindah ke Batam dan tidak dapat dihubungi"


@pytest.fixture
def work(client: TestClient, app_runtime: Runtime) -> Casework:
    return casework(client, app_runtime)


def returned_with_incidents(work: Casework) -> str:
    """A returned journey with incident 1 resolved and incident 2 open."""
    _, journey = work.journey()
    base = f"/v1/journeys/{journey}"
    work.post("petugas", f"{base}/departure", DEPARTURE)
    for category in ("unpaid_wages", "abuse"):
        incident = {"occurred_on": "2024-05-01", "category": category, "severity": "high"}
        work.post("petugas", f"{base}/incidents", {**incident, "note": NOTE})
    work.post("petugas", f"{base}/incidents/1/resolution", {"outcome": "resolved"})
    work.post("petugas", f"{base}/return", RETURN)
    return journey


def test_closing_with_an_open_incident_is_refused_naming_it_in_indonesian(
    work: Casework,
) -> None:
    journey = returned_with_incidents(work)
    response = work.client.post(
        f"/v1/journeys/{journey}/closure",
        json={"reason": "sudah di rumah"},
        headers={**work["petugas"], "Accept-Language": "id"},
    )
    error = assert_error(response, 409, "open_items_at_closure")
    assert error["details"] == {
        "action": "close the journey",
        "incidents": [2],
        "indications": [],
    }
    assert "kejadian terbuka: 2; indikasi terbuka: -" in error["message"]
    assert NOTE not in response.text
    stage = work.client.get(f"/v1/journeys/{journey}", headers=work["petugas"]).json()["stage"]
    assert stage == "returned"


def test_closing_with_a_reason_shows_it_in_the_history_and_the_audit_timeline(
    work: Casework,
) -> None:
    journey = returned_with_incidents(work)
    closed = work.post(
        "petugas",
        f"/v1/journeys/{journey}/closure",
        {"occurred_on": "2026-05-01", "reason": "sudah di rumah", "leave_open_reason": REASON},
    )
    assert closed["stage"] == "closed"
    case: dict[str, Any] = work.client.get(
        f"/v1/journeys/{journey}", headers=work["petugas"]
    ).json()
    assert case["closure"]["reason"] == "sudah di rumah"
    assert case["left_open"]["reason"] == REASON
    assert (case["left_open"]["incidents"], case["left_open"]["indications"]) == ([2], [])
    assert case["left_open"]["occurred_on"] == "2026-05-01"
    assert case["incidents"][1]["resolution"] is None  # left open, not resolved
    stream = work.client.get(f"/v1/audit/streams/{journey}", headers=work["auditor"]).json()
    types = [event["type"] for event in stream["events"]]
    assert types[-2:] == ["Journey.LeftOpen", "Journey.Closed"]
    assert stream["events"][-2]["data"]["reason"] == REASON


def test_an_incident_left_open_leaves_the_open_list_and_is_listed_as_left_open(
    work: Casework,
) -> None:
    journey = returned_with_incidents(work)
    closed = work.post(
        "petugas",
        f"/v1/journeys/{journey}/closure",
        {"reason": "sudah di rumah", "leave_open_reason": REASON},
    )

    def listed(status: str) -> list[tuple[str, int]]:
        response = work.client.get(
            "/v1/reports/incidents",
            params={"min_position": closed["position"], "status": status},
            headers=work["koordinator.malang"],
        )
        assert response.status_code == 200, response.text
        return [(row["journey_id"], row["incident_id"]) for row in response.json()["items"]]

    assert (journey, 2) not in listed("open")
    assert listed("left_open") == [(journey, 2)]
    assert (journey, 1) in listed("resolved")


def test_cancelling_with_an_open_indication_needs_a_reason_too(work: Casework) -> None:
    _, journey = work.journey()
    base = f"/v1/journeys/{journey}"
    work.post("petugas", f"{base}/indications", {"indicators": ["unlicensed_recruiter"]})
    refused = work.client.post(
        f"{base}/cancellation", json={"reason": "tidak jadi"}, headers=work["petugas"]
    )
    error = assert_error(refused, 409, "open_items_at_closure")
    assert error["details"]["indications"] == [1]
    assert error["details"]["action"] == "cancel the journey"
    blank = work.client.post(
        f"{base}/cancellation",
        json={"reason": "tidak jadi", "leave_open_reason": ""},
        headers=work["petugas"],
    )
    assert blank.status_code == 422, blank.text
    cancelled = work.post(
        "petugas", f"{base}/cancellation", {"reason": "tidak jadi", "leave_open_reason": REASON}
    )
    assert cancelled["stage"] == "cancelled"
    case = work.client.get(base, headers=work["petugas"]).json()
    assert case["left_open"]["indications"] == [1]


def test_a_journey_closed_with_everything_resolved_has_nothing_left_open(
    work: Casework,
) -> None:
    _, journey = work.journey()
    base = f"/v1/journeys/{journey}"
    work.post("petugas", f"{base}/departure", DEPARTURE)
    work.post("petugas", f"{base}/return", RETURN)
    work.post("petugas", f"{base}/closure", {"reason": "selesai", "leave_open_reason": REASON})
    case = work.client.get(base, headers=work["petugas"]).json()
    assert case["left_open"] is None
