"""Designating villages and recording pillar activities through the real app, on both
backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.support import (
    FAR_VILLAGE,
    OTHER_VILLAGE,
    VILLAGE,
    create_user,
    login,
    nik_for,
    worker_body,
)

Headers = dict[str, str]
TODAY = datetime.now(UTC).date()


@pytest.fixture
def coordinator(client: TestClient, app_runtime: Runtime) -> Headers:
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    return login(client, "koordinator.malang")


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> Headers:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    return login(client, "petugas.ternyang")


@pytest.fixture
def designated(client: TestClient, coordinator: Headers) -> dict[str, Any]:
    response = client.post(
        "/v1/villages", json={"village_code": VILLAGE, "cohort_year": 2018}, headers=coordinator
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def activity(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "pillar": "migration_service",
        "held_on": "2024-05-02",
        "title": "Sosialisasi migrasi aman",
        "participants": 25,
    }
    body.update(overrides)
    return body


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    return dict(error)


# Designation -----------------------------------------------------------------------------


def test_a_coordinator_designates_a_village_of_their_region(
    client: TestClient, designated: dict[str, Any], officer: Headers
) -> None:
    assert designated["version"] == 1
    assert designated["village_code"] == VILLAGE
    assert designated["position"] >= 1
    village = client.get(f"/v1/villages/{VILLAGE}", headers=officer)
    assert village.status_code == 200, village.text
    body = village.json()
    assert body["name"] == "Ternyang"
    assert body["cohort_year"] == 2018
    assert body["programme"] == "desmigratif"
    assert body["pillars"] == ["migration_service", "productive_business", "community_parenting"]
    assert body["activities"] == []


def test_designating_a_village_twice_is_a_conflict(
    client: TestClient, designated: dict[str, Any], coordinator: Headers
) -> None:
    again = client.post(
        "/v1/villages", json={"village_code": VILLAGE, "cohort_year": 2019}, headers=coordinator
    )
    error = assert_error(again, 409, "already_exists")
    assert VILLAGE in error["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"village_code": "35.07.12.9999", "cohort_year": 2018}, "village_code"),
        ({"village_code": "35.07.12", "cohort_year": 2018}, "village_code"),
        ({"village_code": VILLAGE, "cohort_year": 2015}, "cohort_year"),
        ({"village_code": VILLAGE, "cohort_year": "2018"}, "cohort_year"),
        ({"village_code": VILLAGE, "cohort_year": 2018.5}, "cohort_year"),
        ({"village_code": VILLAGE}, "cohort_year"),
        ({"village_code": VILLAGE, "cohort_year": TODAY.year + 5}, "cohort_year"),
    ],
)
def test_a_designation_needs_a_registered_village_and_a_cohort_year(
    client: TestClient, coordinator: Headers, body: dict[str, Any], field: str
) -> None:
    response = client.post("/v1/villages", json=body, headers=coordinator)
    error = assert_error(response, 422, response.json()["error"]["code"])
    assert any(item["field"] == field for item in error["details"]["fields"])


def test_admins_designate_anywhere_officers_and_auditors_never(
    client: TestClient, app_runtime: Runtime, officer: Headers
) -> None:
    create_user(app_runtime, "admin", "admin")
    create_user(app_runtime, "auditor", "auditor")
    body = {"village_code": FAR_VILLAGE, "cohort_year": 2019}
    auditor = login(client, "auditor")
    assert_error(client.post("/v1/villages", json=body, headers=auditor), 403, "forbidden")
    assert_error(client.post("/v1/villages", json=body, headers=officer), 403, "forbidden")
    response = client.post("/v1/villages", json=body, headers=login(client, "admin"))
    assert response.status_code == 201, response.text


def test_a_coordinator_cannot_designate_outside_their_region(
    client: TestClient, coordinator: Headers
) -> None:
    response = client.post(
        "/v1/villages", json={"village_code": FAR_VILLAGE, "cohort_year": 2018}, headers=coordinator
    )
    assert_error(response, 403, "out_of_scope")


# Listing ---------------------------------------------------------------------------------


def test_villages_are_listed_within_the_callers_scope_and_region(
    client: TestClient, app_runtime: Runtime, coordinator: Headers, officer: Headers
) -> None:
    create_user(app_runtime, "admin", "admin")
    admin = login(client, "admin")
    for code in (VILLAGE, OTHER_VILLAGE, FAR_VILLAGE):
        response = client.post(
            "/v1/villages", json={"village_code": code, "cohort_year": 2019}, headers=admin
        )
        assert response.status_code == 201, response.text

    def codes(headers: Headers, region: str | None = None) -> list[str]:
        params = {} if region is None else {"region": region}
        response = client.get("/v1/villages", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [item["village_code"] for item in response.json()["items"]]

    assert codes(admin) == [FAR_VILLAGE, VILLAGE, OTHER_VILLAGE]
    assert codes(admin, "35") == [VILLAGE, OTHER_VILLAGE]
    assert codes(coordinator) == [VILLAGE, OTHER_VILLAGE]
    assert codes(coordinator, "35.07.12.2002") == [OTHER_VILLAGE]
    assert codes(officer) == [VILLAGE]
    assert codes(officer, "35.07") == [VILLAGE]
    assert_error(
        client.get("/v1/villages", params={"region": "33"}, headers=coordinator),
        403,
        "out_of_scope",
    )
    assert client.get("/v1/villages", params={"region": "x"}, headers=admin).status_code == 422


def test_the_list_shows_activity_counts_per_pillar(
    client: TestClient, designated: dict[str, Any], officer: Headers
) -> None:
    for pillar in ("migration_service", "migration_service", "community_parenting"):
        response = client.post(
            f"/v1/villages/{VILLAGE}/activities", json=activity(pillar=pillar), headers=officer
        )
        assert response.status_code == 201, response.text
    (item,) = client.get("/v1/villages", headers=officer).json()["items"]
    assert item["activity_counts"] == {
        "migration_service": 2,
        "productive_business": 0,
        "community_parenting": 1,
    }
    assert item["version"] == 4


# Activities ------------------------------------------------------------------------------


def test_an_officer_records_an_activity_with_named_participants(
    client: TestClient, designated: dict[str, Any], officer: Headers
) -> None:
    worker_id = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    response = client.post(
        f"/v1/villages/{VILLAGE}/activities",
        json=activity(
            pillar="productive_business",
            title="Pelatihan kewirausahaan",
            participants=12,
            participant_worker_ids=[worker_id],
        ),
        headers={**officer, "If-Match": '"1"'},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["version"] == 2
    village = client.get(f"/v1/villages/{VILLAGE}", headers=officer).json()
    assert village["activities"] == [
        {
            "activity_id": created["activity_id"],
            "pillar": "productive_business",
            "held_on": "2024-05-02",
            "title": "Pelatihan kewirausahaan",
            "participants": 12,
            "participant_worker_ids": [worker_id],
        }
    ]


def test_an_admin_reads_a_village_without_who_took_part(
    client: TestClient, app_runtime: Runtime, designated: dict[str, Any], officer: Headers
) -> None:
    """Admins manage villages but read no case data: the activity is there, its named
    participants are not."""
    worker_id = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    client.post(
        f"/v1/villages/{VILLAGE}/activities",
        json=activity(participant_worker_ids=[worker_id]),
        headers=officer,
    )
    create_user(app_runtime, "admin.desa", "admin")
    village = client.get(f"/v1/villages/{VILLAGE}", headers=login(client, "admin.desa"))
    assert village.status_code == 200, village.text
    [seen] = village.json()["activities"]
    assert seen["participants"] == 25
    assert seen["participant_worker_ids"] == []
    assert worker_id not in village.text


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"pillar": "cooperative"}, 422, "pillar"),
        ({"pillar": "Migration Service"}, 422, "pillar"),
        ({"participants": 0}, 422, "participants"),
        ({"participants": 2.5}, 422, "participants"),
        ({"participants": "12"}, 422, "participants"),
        ({"title": "   "}, 422, "title"),
        ({"held_on": (TODAY + timedelta(days=3)).isoformat()}, 422, "held_on"),
        ({"held_on": "2024-02-30"}, 422, "held_on"),
        (
            {"participant_worker_ids": ["00000000-0000-4000-8000-000000000000"]},
            422,
            "participant_worker_ids",
        ),
        ({"participant_worker_ids": ["not-a-uuid"]}, 422, "participant_worker_ids.0"),
        ({"colour": "red"}, 422, "*"),  # a key the client chose is never echoed
    ],
)
def test_invalid_activities_are_refused_with_the_field_named(
    client: TestClient,
    designated: dict[str, Any],
    officer: Headers,
    overrides: dict[str, Any],
    status: int,
    field: str,
) -> None:
    response = client.post(
        f"/v1/villages/{VILLAGE}/activities", json=activity(**overrides), headers=officer
    )
    assert response.status_code == status, response.text
    fields = response.json()["error"]["details"]["fields"]
    assert any(item["field"] == field for item in fields), fields


def test_fewer_participants_than_named_workers_is_refused(
    client: TestClient, designated: dict[str, Any], officer: Headers
) -> None:
    ids = [
        client.post(
            "/v1/workers",
            json=worker_body(
                nik=nik_for(date(1990, 1, n), "L"), sex="L", birth_date=f"1990-01-{n:02d}"
            ),
            headers=officer,
        ).json()["id"]
        for n in (1, 2)
    ]
    response = client.post(
        f"/v1/villages/{VILLAGE}/activities",
        json=activity(participants=1, participant_worker_ids=ids),
        headers={**officer, "Accept-Language": "id"},
    )
    error = assert_error(response, 422, "too_few_participants")
    assert "2 disebut" in error["message"]


def test_a_worker_outside_the_scope_cannot_be_named_as_participant(
    client: TestClient, app_runtime: Runtime, designated: dict[str, Any], officer: Headers
) -> None:
    create_user(app_runtime, "petugas.cilacap", "officer", (FAR_VILLAGE,))
    far = login(client, "petugas.cilacap")
    body = worker_body(village_code=FAR_VILLAGE, nik=nik_for(date(1995, 7, 5), "P", "330101"))
    far_worker = client.post("/v1/workers", json=body, headers=far).json()["id"]
    response = client.post(
        f"/v1/villages/{VILLAGE}/activities",
        json=activity(participant_worker_ids=[far_worker]),
        headers=officer,
    )
    error = assert_error(response, 422, "invalid_value")
    assert error["details"]["fields"][0]["message"] == "not a registered worker in your scope"


def test_activities_outside_the_scope_or_in_undesignated_villages_are_not_found(
    client: TestClient, app_runtime: Runtime, designated: dict[str, Any], officer: Headers
) -> None:
    create_user(app_runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,))
    other = login(client, "petugas.senggreng")
    assert_error(
        client.post(f"/v1/villages/{VILLAGE}/activities", json=activity(), headers=other),
        404,
        "not_found",
    )
    assert_error(client.get(f"/v1/villages/{VILLAGE}", headers=other), 404, "not_found")
    assert_error(
        client.post(f"/v1/villages/{OTHER_VILLAGE}/activities", json=activity(), headers=other),
        404,
        "not_found",
    )
    assert (
        client.post("/v1/villages/abc/activities", json=activity(), headers=other).status_code
        == 404
    )


def test_a_coordinator_records_activities_in_villages_under_their_prefix(
    client: TestClient, designated: dict[str, Any], coordinator: Headers
) -> None:
    response = client.post(
        f"/v1/villages/{VILLAGE}/activities",
        json=activity(pillar="community_parenting"),
        headers=coordinator,
    )
    assert response.status_code == 201, response.text


def test_auditors_read_villages_but_record_no_activities(
    client: TestClient, app_runtime: Runtime, designated: dict[str, Any]
) -> None:
    create_user(app_runtime, "auditor", "auditor")
    auditor = login(client, "auditor")
    assert client.get(f"/v1/villages/{VILLAGE}", headers=auditor).status_code == 200
    assert_error(
        client.post(f"/v1/villages/{VILLAGE}/activities", json=activity(), headers=auditor),
        403,
        "forbidden",
    )


def test_a_retried_activity_with_the_same_idempotency_key_is_recorded_once(
    client: TestClient, designated: dict[str, Any], officer: Headers
) -> None:
    headers = {**officer, "Idempotency-Key": "activity-1"}
    first = client.post(f"/v1/villages/{VILLAGE}/activities", json=activity(), headers=headers)
    again = client.post(f"/v1/villages/{VILLAGE}/activities", json=activity(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    village = client.get(f"/v1/villages/{VILLAGE}", headers=officer).json()
    assert len(village["activities"]) == 1


# Officers --------------------------------------------------------------------------------


def test_a_coordinator_assigns_an_officer_of_the_village(
    client: TestClient, designated: dict[str, Any], coordinator: Headers, officer: Headers
) -> None:
    response = client.post(
        f"/v1/villages/{VILLAGE}/officers",
        json={"username": "petugas.ternyang"},
        headers=coordinator,
    )
    assert response.status_code == 201, response.text
    officers = client.get(f"/v1/villages/{VILLAGE}", headers=officer).json()["officers"]
    assert [o["username"] for o in officers] == ["petugas.ternyang"]
    again = client.post(
        f"/v1/villages/{VILLAGE}/officers",
        json={"username": "petugas.ternyang"},
        headers=coordinator,
    )
    assert_error(again, 409, "officer_already_assigned")


def test_only_an_officer_of_that_village_can_be_assigned(
    client: TestClient,
    app_runtime: Runtime,
    designated: dict[str, Any],
    coordinator: Headers,
    officer: Headers,
) -> None:
    create_user(app_runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,))
    for username in ("petugas.senggreng", "koordinator.malang", "nobody.here"):
        response = client.post(
            f"/v1/villages/{VILLAGE}/officers", json={"username": username}, headers=coordinator
        )
        error = assert_error(response, 422, "invalid_value")
        assert error["details"]["fields"][0]["field"] == "username"
    assert_error(
        client.post(
            f"/v1/villages/{VILLAGE}/officers",
            json={"username": "petugas.ternyang"},
            headers=officer,
        ),
        403,
        "forbidden",
    )
