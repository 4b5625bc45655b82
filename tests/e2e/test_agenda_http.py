"""The agenda through the real app, on both backends: items in scope with their status, CSV,
pages, the rules as data (read by everyone, changed by admins only, refused when invalid)
and the summary per child region."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from infrastructure.clock import SystemClock
from tests.support import (
    FAR_VILLAGE,
    OTHER_VILLAGE,
    VILLAGE,
    create_user,
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
    create_user(app_runtime, "petugas.cilacap", "officer", (FAR_VILLAGE,))
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "admin", "admin")
    names = ("petugas.ternyang", "petugas.cilacap", "koordinator.malang", "auditor", "admin")
    return {name: login(client, name) for name in names}


def post(client: TestClient, headers: Headers, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def placed(client: TestClient, headers: Headers, village: str, departed: date) -> tuple[str, int]:
    """A worker of ``village`` who left on ``departed`` (no welfare check yet)."""
    birth = date(1996, 5, 17)
    district = village.replace(".", "")[:6]
    worker = post(
        client,
        headers,
        "/v1/workers",
        worker_body(
            village_code=village, nik=nik_for(birth, "P", district), birth_date=birth.isoformat()
        ),
    )
    journey = post(
        client,
        headers,
        "/v1/journeys",
        journey_body(worker["id"], placement_scheme="mandiri", p3mi=None),
    )
    departure = {
        "departed_on": departed.isoformat(),
        "employer": "Chen household",
        "contract_start": departed.isoformat(),
        "contract_end": (departed + timedelta(days=730)).isoformat(),
    }
    result = post(client, headers, f"/v1/journeys/{journey['id']}/departure", departure)
    return journey["id"], int(result["position"])


def agenda(client: TestClient, headers: Headers, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/agenda", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_an_officer_sees_what_is_due_in_their_village_with_its_status(
    client: TestClient, people: dict[str, Headers]
) -> None:
    officer = people["petugas.ternyang"]
    late, _ = placed(client, officer, VILLAGE, TODAY - timedelta(days=40))
    soon, position = placed(client, officer, VILLAGE, TODAY - timedelta(days=27))
    body = agenda(client, officer, min_position=position, kind="welfare_check")
    assert body["position"] >= position
    items = {item["journey_id"]: item for item in body["items"]}
    assert set(items) == {late, soon}
    assert items[late]["status"] == "overdue"
    assert items[late]["overdue_days"] == 10
    assert items[late]["due_on"] == (TODAY - timedelta(days=10)).isoformat()
    assert items[late]["reason"] == "departure"
    assert items[soon]["status"] == "due"
    assert items[soon]["overdue_days"] == 0
    assert [i["journey_id"] for i in body["items"]] == [late, soon]  # soonest due first
    overdue = agenda(client, officer, status="overdue")["items"]
    assert [(i["journey_id"], i["kind"]) for i in overdue] == [(late, "welfare_check")]
    upcoming = agenda(client, officer, status="upcoming")["items"]
    assert {i["kind"] for i in upcoming} == {"expected_return"}
    assert agenda(client, people["petugas.cilacap"])["items"] == []


def test_the_agenda_pages_by_key_and_downloads_as_csv(
    client: TestClient, people: dict[str, Headers]
) -> None:
    officer = people["petugas.ternyang"]
    position = 0
    for days in (50, 45, 40):
        _, position = placed(client, officer, VILLAGE, TODAY - timedelta(days=days))
    first = agenda(client, officer, limit=4, min_position=position)
    assert len(first["items"]) == 4
    assert first["next"]
    rest = agenda(client, officer, limit=4, after=first["next"])
    assert len(rest["items"]) == 2
    assert rest["next"] is None
    keys = [(i["due_on"], i["journey_id"], i["item"]) for i in first["items"] + rest["items"]]
    assert keys == sorted(keys)
    assert len(set(keys)) == 6
    response = client.get("/v1/agenda", headers={**officer, "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 6
    assert {row["status"] for row in rows} == {"overdue", "upcoming"}
    bad = client.get("/v1/agenda", params={"after": first["next"][:-2] + "zz"}, headers=officer)
    assert bad.status_code == 400


def test_bad_filters_are_refused_and_scope_is_kept(
    client: TestClient, people: dict[str, Headers]
) -> None:
    officer = people["petugas.ternyang"]
    assert client.get("/v1/agenda", params={"status": "late"}, headers=officer).status_code == 422
    assert client.get("/v1/agenda", params={"kind": "visit"}, headers=officer).status_code == 422
    future = (TODAY + timedelta(days=3)).isoformat()
    refused = client.get(
        "/v1/agenda", params={"as_of": future}, headers={**officer, "Accept-Language": "id"}
    )
    assert refused.status_code == 422
    assert "masa depan" in refused.json()["error"]["message"]
    outside = client.get("/v1/agenda", params={"region": "33.01"}, headers=officer)
    assert outside.status_code == 403
    assert client.get("/v1/agenda", headers=people["admin"]).status_code == 403
    assert client.get("/v1/agenda").status_code == 401


def test_the_summary_counts_per_child_region(
    client: TestClient, people: dict[str, Headers]
) -> None:
    coordinator = people["koordinator.malang"]
    placed(client, coordinator, VILLAGE, TODAY - timedelta(days=40))
    placed(client, coordinator, VILLAGE, TODAY - timedelta(days=35))
    _, position = placed(client, coordinator, OTHER_VILLAGE, TODAY - timedelta(days=5))
    response = client.get(
        "/v1/reports/agenda-summary",
        params={"region": "35.07.12", "min_position": position},
        headers=coordinator,
    )
    assert response.status_code == 200, response.text
    rows = {row["region_code"]: row for row in response.json()["items"]}
    assert rows[VILLAGE]["overdue"] == 2
    assert rows[VILLAGE]["oldest_overdue_on"] == (TODAY - timedelta(days=10)).isoformat()
    assert rows[VILLAGE]["most_overdue_days"] == 10
    assert rows[OTHER_VILLAGE]["overdue"] == 0
    assert rows[OTHER_VILLAGE]["upcoming"] == 2
    regency = client.get("/v1/reports/agenda-summary", headers=coordinator).json()["items"]
    assert [(r["region_code"], r["overdue"]) for r in regency] == [("35.07.12", 2)]
    assert regency[0]["name"]


def test_the_rules_are_data_changed_by_admins_with_a_reason(
    client: TestClient, people: dict[str, Headers]
) -> None:
    officer = people["petugas.ternyang"]
    first = client.get("/v1/agenda/rules", headers=officer)
    assert first.status_code == 200
    assert first.headers["etag"] == '"1"'
    assert first.json()["version"] == 1
    assert first.json()["rules"]["incident_response"]["critical_days"] == 1
    change = {"rules": {"welfare_check": {"every_days": 60}}, "reason": "monthly in year one"}
    assert client.put("/v1/agenda/rules", json=change, headers=officer).status_code == 403
    admin = {**people["admin"], "If-Match": '"1"', "Idempotency-Key": "rules-2"}
    done = client.put("/v1/agenda/rules", json=change, headers=admin)
    assert done.status_code == 201, done.text
    assert done.json()["version"] == 2
    again = client.put("/v1/agenda/rules", json=change, headers=admin)
    assert again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    stale = client.put(
        "/v1/agenda/rules", json=change, headers={**people["admin"], "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    now = client.get("/v1/agenda/rules", headers=officer).json()
    assert now["version"] == 2
    assert now["effective_from"] == TODAY.isoformat()
    assert now["rules"]["welfare_check"] == {"first_days": 30, "every_days": 60, "grace_days": 0}
    assert now["recorded_by"]["role"] == "admin"
    assert now["reason"] == "monthly in year one"
    assert [v["version"] for v in now["versions"]] == [1, 2]
    assert now["versions"][0]["recorded_by"]["role"] == "system"
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    before = client.get("/v1/agenda/rules", params={"as_of": yesterday}, headers=officer).json()
    assert before["version"] == 1


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"welfare_check": {"every_days": -5}}, "rules.welfare_check.every_days"),
        ({"home_visit": {"days": 3}}, "rules.*"),  # a key the client chose is never echoed
        ({"welfare_check": {"weekly": 1}}, "rules.welfare_check.*"),
        ({"welfare_check": {"every_days": "60"}}, "rules.welfare_check.every_days"),
    ],
)
def test_invalid_rules_are_refused_with_the_field(
    client: TestClient, people: dict[str, Headers], rules: dict[str, Any], field: str
) -> None:
    response = client.put(
        "/v1/agenda/rules",
        json={"rules": rules, "reason": "trying"},
        headers={**people["admin"], "Accept-Language": "id"},
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert [f["field"] for f in error["details"]["fields"]] == [field]
    assert error["message"].startswith(field)
    assert client.get("/v1/agenda/rules", headers=people["admin"]).json()["version"] == 1


def test_a_new_rule_version_moves_the_due_dates_at_once(
    client: TestClient, people: dict[str, Headers]
) -> None:
    officer = people["petugas.ternyang"]
    journey, position = placed(client, officer, VILLAGE, TODAY - timedelta(days=20))
    before = agenda(client, officer, kind="welfare_check", min_position=position)["items"]
    assert before[0]["status"] in ("upcoming", "due")
    change = {"rules": {"welfare_check": {"first_days": 14}}, "reason": "first call sooner"}
    assert client.put("/v1/agenda/rules", json=change, headers=people["admin"]).status_code == 201
    after = agenda(client, officer, kind="welfare_check")["items"]
    assert after[0]["journey_id"] == journey
    assert after[0]["due_on"] == (TODAY - timedelta(days=6)).isoformat()
    assert (after[0]["status"], after[0]["overdue_days"]) == ("overdue", 6)
