"""Coordinators' journey reports through the real app, on both backends: what they show
agrees with the journeys themselves, corrections included, within each caller's scope."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from infrastructure.clock import SystemClock
from tests.support import (
    ALL_DOCUMENTS,
    DEPARTURE,
    FAR_VILLAGE,
    OTHER_VILLAGE,
    VILLAGE,
    create_user,
    document_body,
    journey_body,
    login,
    nik_for,
    worker_body,
)

Headers = dict[str, str]
TODAY = SystemClock().today()


@pytest.fixture
def people(client: TestClient, app_runtime: Runtime) -> dict[str, Headers]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,))
    create_user(app_runtime, "petugas.cilacap", "officer", (FAR_VILLAGE,))
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    create_user(app_runtime, "auditor", "auditor")
    names = (
        "petugas.ternyang",
        "petugas.senggreng",
        "petugas.cilacap",
        "koordinator.malang",
        "auditor",
    )
    return {name: login(client, name) for name in names}


def post(client: TestClient, headers: Headers, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def new_journey(
    client: TestClient, headers: Headers, village: str, *, district: str = "350712", **journey: Any
) -> tuple[str, str, int]:
    birth = date(1996, 5, 17)
    worker = post(
        client,
        headers,
        "/v1/workers",
        worker_body(
            village_code=village, nik=nik_for(birth, "P", district), birth_date=birth.isoformat()
        ),
    )
    opened = post(client, headers, "/v1/journeys", journey_body(worker["id"], **journey))
    return worker["id"], opened["id"], opened["position"]


def depart(client: TestClient, headers: Headers, journey_id: str, *, documents: bool = True) -> int:
    if documents:
        for kind in ALL_DOCUMENTS:
            post(client, headers, f"/v1/journeys/{journey_id}/documents", document_body(kind))
    return int(post(client, headers, f"/v1/journeys/{journey_id}/departure", DEPARTURE)["position"])


def report(
    client: TestClient, headers: Headers, path: str, position: int, **params: Any
) -> dict[str, Any]:
    response = client.get(path, params={"min_position": position, **params}, headers=headers)
    assert response.status_code == 200, response.text
    body = dict(response.json())
    assert body["position"] >= position
    return body


def test_the_journeys_report_shows_stage_flags_and_dates(
    client: TestClient, people: dict[str, Headers]
) -> None:
    officer = people["petugas.ternyang"]
    worker_id, procedural, _ = new_journey(client, officer, VILLAGE)
    depart(client, officer, procedural)
    _, irregular, _ = new_journey(
        client, officer, VILLAGE, destination_country="MY", placement_scheme="mandiri", p3mi=None
    )
    last = depart(client, officer, irregular, documents=False)
    body = report(client, people["koordinator.malang"], "/v1/reports/journeys", last)
    rows = {row["journey_id"]: row for row in body["items"]}
    assert rows[procedural]["stage"] == "placement"
    assert rows[procedural]["non_procedural"] is False
    assert rows[procedural]["worker_id"] == worker_id
    assert rows[procedural]["departed_on"] == "2024-03-01"
    assert rows[irregular]["non_procedural"] is True
    assert rows[irregular]["non_procedural_reasons"] == ["missing_document"]
    assert rows[irregular]["destination_country"] == "MY"
    watch = report(client, people["koordinator.malang"], "/v1/reports/non-procedural", last)
    assert [row["journey_id"] for row in watch["items"]] == [irregular]
    only_my = report(
        client, people["koordinator.malang"], "/v1/reports/journeys", last, destination="my"
    )
    assert [row["journey_id"] for row in only_my["items"]] == [irregular]
    placement = report(
        client,
        people["koordinator.malang"],
        "/v1/reports/journeys",
        last,
        stage="placement",
        flag="non_procedural",
    )
    assert [row["journey_id"] for row in placement["items"]] == [irregular]
    assert "Siti" not in str(body)


def test_stage_counts_per_child_region_and_scope(
    client: TestClient, people: dict[str, Headers]
) -> None:
    ternyang, senggreng = people["petugas.ternyang"], people["petugas.senggreng"]
    _, a, _ = new_journey(client, ternyang, VILLAGE)
    depart(client, ternyang, a)
    new_journey(client, ternyang, VILLAGE)
    _, c, _ = new_journey(client, senggreng, OTHER_VILLAGE)
    cancelled = post(
        client, senggreng, f"/v1/journeys/{c}/cancellation", {"reason": "changed mind"}
    )
    _, _, far = new_journey(client, people["petugas.cilacap"], FAR_VILLAGE, district="330101")
    position = max(cancelled["position"], far)
    regency = report(client, people["koordinator.malang"], "/v1/reports/stage-counts", position)
    [district] = regency["items"]
    assert district["region_code"] == "35.07.12"
    assert district["name"] == "Sumberpucung"
    assert (
        district["pre_departure"],
        district["placement"],
        district["cancelled"],
        district["total"],
    ) == (1, 1, 1, 3)
    villages = report(
        client,
        people["koordinator.malang"],
        "/v1/reports/stage-counts",
        position,
        region="35.07.12",
    )
    assert {row["region_code"]: row["total"] for row in villages["items"]} == {
        VILLAGE: 2,
        OTHER_VILLAGE: 1,
    }
    own = report(client, ternyang, "/v1/reports/stage-counts", position)
    assert [(row["region_code"], row["total"]) for row in own["items"]] == [(VILLAGE, 2)]
    national = report(client, people["auditor"], "/v1/reports/stage-counts", position)
    assert {row["region_code"]: row["total"] for row in national["items"]} == {"33": 1, "35": 3}
    first = report(client, people["auditor"], "/v1/reports/stage-counts", position, limit=1)
    assert [row["region_code"] for row in first["items"]] == ["33"]
    second = report(
        client,
        people["auditor"],
        "/v1/reports/stage-counts",
        position,
        limit=1,
        after=first["next"],
    )
    assert [row["region_code"] for row in second["items"]] == ["35"]
    assert second["next"] is None
    assert (
        client.get(
            "/v1/reports/stage-counts?region=33", headers=people["koordinator.malang"]
        ).status_code
        == 403
    )


def test_a_correction_moves_the_counts(client: TestClient, people: dict[str, Headers]) -> None:
    officer = people["petugas.ternyang"]
    _, journey, _ = new_journey(client, officer, VILLAGE)
    depart(client, officer, journey)
    before = report(client, officer, "/v1/reports/destinations", 0, year=2024)
    opened_version = 1
    corrected = post(
        client,
        officer,
        f"/v1/journeys/{journey}/corrections",
        {
            "corrects_version": opened_version,
            "reason": "wrong country",
            "changes": {"destination_country": "HK"},
        },
    )
    after = report(client, officer, "/v1/reports/destinations", corrected["position"], year=2024)
    assert before["items"] == [] or before["items"][0]["destination_country"] == "TW"
    assert after["items"] == [{"year": 2024, "destination_country": "HK", "departures": 1}]
    row = report(client, officer, "/v1/reports/journeys", corrected["position"])["items"][0]
    assert row["destination_country"] == "HK"


def test_the_reintegration_backlog_and_incidents(
    client: TestClient, people: dict[str, Headers]
) -> None:
    officer = people["petugas.ternyang"]
    _, waiting, _ = new_journey(client, officer, VILLAGE)
    depart(client, officer, waiting)
    post(
        client,
        officer,
        f"/v1/journeys/{waiting}/return",
        {"returned_on": "2025-01-10", "reason": "contract_completed"},
    )
    _, helped, _ = new_journey(client, officer, VILLAGE)
    depart(client, officer, helped)
    post(
        client,
        officer,
        f"/v1/journeys/{helped}/return",
        {"returned_on": "2025-01-10", "reason": "early_termination"},
    )
    post(
        client,
        officer,
        f"/v1/journeys/{helped}/reintegration-plan",
        {"occurred_on": "2025-01-12", "needs": ["skills_training"]},
    )
    incident = post(
        client,
        officer,
        f"/v1/journeys/{helped}/reintegration-activities",
        {"occurred_on": TODAY.isoformat(), "kind": "entrepreneurship_training"},
    )
    backlog = report(
        client,
        people["koordinator.malang"],
        "/v1/reports/reintegration-backlog",
        incident["position"],
    )
    assert [row["journey_id"] for row in backlog["items"]] == [waiting]
    assert backlog["items"][0]["last_help_on"] == "2025-01-10"

    _, abroad, _ = new_journey(client, officer, VILLAGE)
    depart(client, officer, abroad)
    reported = post(
        client,
        officer,
        f"/v1/journeys/{abroad}/incidents",
        {"occurred_on": "2024-05-01", "category": "unpaid_wages", "severity": "high"},
    )
    second = post(
        client,
        officer,
        f"/v1/journeys/{abroad}/incidents",
        {"occurred_on": "2024-06-01", "category": "loss_of_contact", "severity": "critical"},
    )
    resolved = post(
        client,
        officer,
        f"/v1/journeys/{abroad}/incidents/1/resolution",
        {"occurred_on": "2024-07-01", "outcome": "resolved"},
    )
    open_ones = report(
        client,
        people["koordinator.malang"],
        "/v1/reports/incidents",
        resolved["position"],
        status="open",
    )
    assert [(r["journey_id"], r["incident_id"], r["category"]) for r in open_ones["items"]] == [
        (abroad, second["incident_id"], "loss_of_contact")
    ]
    shouted = report(
        client,
        people["koordinator.malang"],
        "/v1/reports/incidents",
        resolved["position"],
        status="OPEN",
    )
    assert shouted["items"] == open_ones["items"]
    every = report(
        client, people["koordinator.malang"], "/v1/reports/incidents", resolved["position"]
    )
    assert [r["status"] for r in every["items"]] == ["resolved", "open"]
    assert reported["incident_id"] == 1


def test_journey_reports_download_as_csv(client: TestClient, people: dict[str, Headers]) -> None:
    officer = people["petugas.ternyang"]
    _, journey, position = new_journey(client, officer, VILLAGE)
    response = client.get(
        "/v1/reports/journeys",
        params={"min_position": position},
        headers={**people["koordinator.malang"], "Accept": "text/csv"},
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["journey_id"] for row in rows] == [journey]
    assert rows[0]["stage"] == "pre_departure"
    client.get("/v1/reports/journeys", headers=people["koordinator.malang"])  # JSON: no export
    log = client.get("/v1/audit/access-log", headers=people["auditor"]).json()["items"]
    exports = [(e["username"], e["route"]) for e in log if e["action"] == "export"]
    assert exports == [("koordinator.malang", "/v1/reports/journeys")]
