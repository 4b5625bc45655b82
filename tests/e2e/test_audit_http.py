"""Auditors through the real app: histories, the feed and its export, verification,
checkpoints, activity and the access log; and nobody else gets in."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.support import VILLAGE, create_user, login, worker_body

DEPENDENT = {
    "name": "Budi",
    "birth_date": "2015-03-02",
    "relationship": "child",
    "occurred_on": "2025-01-10",
}


@pytest.fixture
def people(client: TestClient, app_runtime: Runtime) -> dict[str, dict[str, str]]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "admin", "admin")
    create_user(app_runtime, "koordinator", "coordinator", ("35.07",))
    return {
        name: login(client, name)
        for name in ("petugas.ternyang", "auditor", "admin", "koordinator")
    }


@pytest.fixture
def worker(client: TestClient, people: dict[str, dict[str, str]]) -> str:
    officer = people["petugas.ternyang"]
    worker_id = str(client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"])
    client.post(f"/v1/workers/{worker_id}/dependents", json=DEPENDENT, headers=officer)
    return worker_id


def test_an_auditor_reads_a_whole_history_with_who_when_and_hash(
    client: TestClient, people: dict[str, dict[str, str]], worker: str
) -> None:
    response = client.get(f"/v1/audit/streams/{worker}", headers=people["auditor"])
    assert response.status_code == 200, response.text
    stream = response.json()
    assert stream["id"] == worker
    assert stream["type"] == "Worker"
    first, second = stream["events"]
    assert [first["version"], second["version"]] == [1, 2]
    assert first["type"] == "Worker.Registered"
    assert first["actor"] == {
        "user": first["actor"]["user"],
        "username": "petugas.ternyang",
        "role": "officer",
    }
    assert first["data"]["full_name"] == "Siti Aminah"
    assert len(first["hash"]) == 64
    assert second["occurred_on"] == "2025-01-10"
    assert second["backdated"] is True
    assert first["backdated"] is False
    assert second["position"] > first["position"]


def test_the_feed_pages_without_gaps_and_hides_personal_fields(
    client: TestClient, people: dict[str, dict[str, str]], worker: str
) -> None:
    positions: list[int] = []
    after = 0
    while True:
        page = client.get(
            f"/v1/audit/events?after={after}&limit=2", headers=people["auditor"]
        ).json()
        if not page["events"]:
            break
        positions.extend(e["position"] for e in page["events"])
        after = page["next_after"]
    assert positions == list(range(1, len(positions) + 1))
    registered = next(
        e
        for e in client.get("/v1/audit/events?limit=100", headers=people["auditor"]).json()[
            "events"
        ]
        if e["type"] == "Worker.Registered"
    )
    assert registered["data"]["full_name"] == "[personal]"
    assert registered["data"]["nik"] == "[personal]"
    user_created = next(
        e
        for e in client.get("/v1/audit/events?limit=100", headers=people["auditor"]).json()[
            "events"
        ]
        if e["type"] == "User.Created"
    )
    assert user_created["data"]["password_hash"] == "[secret]"


def test_the_feed_streams_as_ndjson_and_the_export_is_logged(
    client: TestClient, people: dict[str, dict[str, str]], worker: str
) -> None:
    with client.stream(
        "GET",
        "/v1/audit/events?after=0",
        headers={**people["auditor"], "Accept": "application/x-ndjson"},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in response.iter_lines() if line]
    assert [line["position"] for line in lines] == list(range(1, len(lines) + 1))
    log = client.get("/v1/audit/access-log", headers=people["auditor"]).json()["items"]
    assert any(entry["action"] == "export" and entry["username"] == "auditor" for entry in log)


def test_verification_over_http(
    client: TestClient, people: dict[str, dict[str, str]], worker: str
) -> None:
    everything = client.get("/v1/audit/verify", headers=people["auditor"]).json()
    assert everything["intact"] is True
    assert everything["failed"] == []
    assert everything["checked"] >= 5
    one = client.get(f"/v1/audit/verify?aggregate_id={worker}", headers=people["auditor"]).json()
    assert (one["checked"], one["events"], one["intact"]) == (1, 2, True)


def test_a_checkpoint_can_be_checked_over_http(
    client: TestClient, app_runtime: Runtime, people: dict[str, dict[str, str]], worker: str
) -> None:
    from application.principal import SYSTEM_PRINCIPAL

    statement = app_runtime.app.make_checkpoint(SYSTEM_PRINCIPAL)
    result = client.post("/v1/audit/verify/checkpoint", json=statement, headers=people["auditor"])
    assert result.status_code == 200
    assert result.json()["intact"] is True
    tampered = client.post(
        "/v1/audit/verify/checkpoint", json={**statement, "position": 1}, headers=people["auditor"]
    )
    assert tampered.json()["valid_signature"] is False


def test_a_users_activity_lists_what_they_recorded(
    client: TestClient, app_runtime: Runtime, people: dict[str, dict[str, str]], worker: str
) -> None:
    app_runtime.read_models.wait_for("activity", app_runtime.projections.head(), timeout=5)
    response = client.get(
        "/v1/audit/users/petugas.ternyang/activity", headers=people["auditor"]
    ).json()
    assert [item["type"] for item in response["items"]] == [
        "Worker.Registered",
        "Worker.DependentAdded",
    ]
    assert {item["aggregate_id"] for item in response["items"]} == {worker}
    assert response["position"] >= response["items"][-1]["position"]
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    later = client.get(
        "/v1/audit/users/petugas.ternyang/activity",
        params={"since": future},
        headers=people["auditor"],
    ).json()
    assert later["items"] == []
    naive = client.get(
        "/v1/audit/users/petugas.ternyang/activity",
        params={"since": "2026-01-01T00:00:00"},
        headers=people["auditor"],
    )
    assert naive.status_code == 422
    missing = client.get("/v1/audit/users/nobody/activity", headers=people["auditor"])
    assert missing.status_code == 404


def test_a_users_activity_pages_with_its_next_cursor(
    client: TestClient, app_runtime: Runtime, people: dict[str, dict[str, str]], worker: str
) -> None:
    app_runtime.read_models.wait_for("activity", app_runtime.projections.head(), timeout=5)
    path = "/v1/audit/users/petugas.ternyang/activity"
    first = client.get(path, params={"limit": 1}, headers=people["auditor"])
    assert first.status_code == 200, first.text
    (one,) = first.json()["items"]
    assert first.json()["next"] == one["position"]
    rest = client.get(
        path, params={"after": first.json()["next"], "limit": 10}, headers=people["auditor"]
    )
    assert rest.status_code == 200, rest.text
    assert [item["type"] for item in rest.json()["items"]] == ["Worker.DependentAdded"]
    assert rest.json()["next"] is None


def test_reads_of_personal_data_and_failed_logins_are_in_the_access_log(
    client: TestClient, people: dict[str, dict[str, str]], worker: str
) -> None:
    client.get(f"/v1/workers/{worker}", headers=people["koordinator"])
    client.post(
        "/v1/workers/lookup", json={"nik": worker_body()["nik"]}, headers=people["koordinator"]
    )
    client.post("/v1/auth/token", data={"username": "koordinator", "password": "wrong password!!"})
    client.get(f"/v1/audit/streams/{worker}", headers=people["auditor"])
    items = client.get("/v1/audit/access-log?limit=1000", headers=people["auditor"]).json()["items"]
    reads = [i for i in items if i["action"] == "read_personal_data" and i["subject_id"] == worker]
    assert {(i["username"], i["route"]) for i in reads} >= {
        ("koordinator", "/v1/workers/{worker_id}"),
        ("auditor", "/v1/audit/streams/{aggregate_id}"),
    }
    failed = [i for i in items if i["action"] == "login_failed"]
    assert failed
    assert failed[-1]["username"] == "koordinator"
    only = client.get("/v1/audit/access-log?username=auditor", headers=people["auditor"]).json()[
        "items"
    ]
    assert {i["username"] for i in only} == {"auditor"}


@pytest.mark.parametrize("who", ["petugas.ternyang", "koordinator", "admin"])
def test_only_auditors_read_audit_routes(
    client: TestClient, people: dict[str, dict[str, str]], worker: str, who: str
) -> None:
    for path in (
        f"/v1/audit/streams/{worker}",
        "/v1/audit/events",
        "/v1/audit/verify",
        "/v1/audit/users/auditor/activity",
        "/v1/audit/access-log",
    ):
        response = client.get(path, headers=people[who])
        assert response.status_code == 403, (who, path)


def test_auditors_write_nothing(
    client: TestClient, people: dict[str, dict[str, str]], worker: str
) -> None:
    auditor = people["auditor"]
    for path, body in (
        ("/v1/workers", worker_body()),
        (f"/v1/workers/{worker}/dependents", DEPENDENT),
        ("/v1/users", {"username": "x1234", "password": "a long passphrase", "role": "auditor"}),
    ):
        assert client.post(path, json=body, headers=auditor).status_code == 403, path


def test_journey_and_cooperative_reads_are_logged_and_corrections_sit_beside_what_they_correct(
    client: TestClient, people: dict[str, dict[str, str]], worker: str
) -> None:
    from tests.support import journey_body

    officer = people["petugas.ternyang"]
    journey = client.post("/v1/journeys", json=journey_body(worker), headers=officer).json()["id"]
    corrected = client.post(
        f"/v1/journeys/{journey}/corrections",
        json={
            "corrects_version": 1,
            "reason": "typo",
            "changes": {"occupation": "domestic_worker"},
        },
        headers=officer,
    )
    assert corrected.status_code == 201, corrected.text
    client.get(f"/v1/journeys/{journey}", headers=people["koordinator"])
    stream = client.get(f"/v1/audit/streams/{journey}", headers=people["auditor"]).json()
    opened, correction = stream["events"]
    assert correction["type"] == "Journey.Corrected"
    assert correction["corrects_version"] == 1
    assert opened["corrected_by"] == [2]
    log = client.get("/v1/audit/access-log?username=koordinator", headers=people["auditor"]).json()
    assert any(
        e["route"] == "/v1/journeys/{journey_id}" and e["subject_id"] == worker
        for e in log["items"]
    )
