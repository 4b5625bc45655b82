"""Journeys through the real app, on both backends: the lifecycle, order, flags, time
travel, corrections, concurrency headers and scope."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.support import (
    ALL_DOCUMENTS,
    DEPARTURE,
    FAR_VILLAGE,
    create_user,
    document_body,
    journey_body,
    login,
    nik_for,
    worker_body,
)

Headers = dict[str, str]


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> Headers:
    create_user(app_runtime, "petugas.ternyang", "officer", ("35.07.12.2001",))
    return login(client, "petugas.ternyang")


@pytest.fixture
def worker_id(client: TestClient, officer: Headers) -> str:
    response = client.post("/v1/workers", json=worker_body(), headers=officer)
    assert response.status_code == 201, response.text
    worker: str = response.json()["id"]
    return worker


@pytest.fixture
def journey_id(client: TestClient, officer: Headers, worker_id: str) -> str:
    response = client.post("/v1/journeys", json=journey_body(worker_id), headers=officer)
    assert response.status_code == 201, response.text
    journey: str = response.json()["id"]
    return journey


def post(client: TestClient, headers: Headers, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def record_all_documents(client: TestClient, headers: Headers, journey_id: str) -> None:
    for kind in ALL_DOCUMENTS:
        post(client, headers, f"/v1/journeys/{journey_id}/documents", document_body(kind))


def read(client: TestClient, headers: Headers, journey_id: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/v1/journeys/{journey_id}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    journey: dict[str, Any] = response.json()
    return journey


# The lifecycle --------------------------------------------------------------------


def test_a_journey_is_followed_from_counselling_to_closure(
    client: TestClient, officer: Headers, worker_id: str
) -> None:
    opened = post(
        client, officer, "/v1/journeys", journey_body(worker_id, occurred_on="2024-01-05")
    )
    journey_id = opened["id"]
    assert opened["version"] == 1
    assert opened["stage"] == "pre_departure"
    assert "passport" in opened["flags"]["missing_documents"]
    base = f"/v1/journeys/{journey_id}"

    counselled = post(
        client,
        officer,
        f"{base}/counselling",
        {"occurred_on": "2024-01-06", "topics": ["safe_migration", "costs_and_fees"]},
    )
    assert counselled["stage"] == "pre_departure"
    record_all_documents(client, officer, journey_id)
    indication = post(
        client,
        officer,
        f"{base}/indications",
        {"occurred_on": "2024-01-20", "indicators": ["excessive_fees"], "note": "asked for fees"},
    )
    assert indication["indication_id"] == 1
    resolved = post(
        client,
        officer,
        f"{base}/indications/1/resolution",
        {"occurred_on": "2024-02-01", "outcome": "persuaded"},
    )
    assert resolved["indication_id"] == 1

    departed = post(client, officer, f"{base}/departure", DEPARTURE)
    assert departed["stage"] == "placement"
    assert departed["flags"]["non_procedural"] is False
    assert departed["flags"]["non_procedural_reasons"] == []

    post(
        client,
        officer,
        f"{base}/welfare-checks",
        {"occurred_on": "2024-06-01", "contact_with": "family", "status": "concern"},
    )
    incident = post(
        client,
        officer,
        f"{base}/incidents",
        {"occurred_on": "2024-07-01", "category": "unpaid_wages", "severity": "high"},
    )
    assert incident["incident_id"] == 1
    post(
        client,
        officer,
        f"{base}/incidents/1/resolution",
        {"occurred_on": "2024-08-01", "outcome": "compensated"},
    )
    returned = post(
        client,
        officer,
        f"{base}/return",
        {"returned_on": "2026-03-05", "reason": "contract_completed"},
    )
    assert returned["stage"] == "returned"
    planned = post(
        client,
        officer,
        f"{base}/reintegration-plan",
        {"occurred_on": "2026-03-20", "needs": ["skills_training", "business_capital"]},
    )
    assert planned["stage"] == "reintegration"
    post(
        client,
        officer,
        f"{base}/reintegration-activities",
        {"occurred_on": "2026-04-02", "kind": "entrepreneurship_training"},
    )
    closed = post(
        client, officer, f"{base}/closure", {"occurred_on": "2026-05-01", "reason": "reintegrated"}
    )
    assert closed["stage"] == "closed"

    journey = read(client, officer, journey_id)
    assert journey["stage"] == "closed"
    assert journey["version"] == closed["version"] == 22
    assert journey["worker_id"] == worker_id
    assert journey["village_code"] == "35.07.12.2001"
    assert journey["destination_country"] == "TW"
    assert journey["opened_on"] == "2024-01-05"
    assert [d["kind"] for d in journey["documents"]] == list(ALL_DOCUMENTS)
    assert journey["indications"][0]["resolution"]["outcome"] == "persuaded"
    assert journey["indications"][0]["note"] == "asked for fees"
    assert journey["departure"]["employer"] == "Chen household"
    assert journey["incidents"][0]["resolution"]["outcome"] == "compensated"
    assert journey["return"]["reason"] == "contract_completed"
    assert journey["reintegration_plans"][0]["needs"] == ["skills_training", "business_capital"]
    assert journey["closure"]["reason"] == "reintegrated"
    # Backdated facts show both dates: when they happened and when they were recorded.
    assert journey["counselling"][0]["occurred_on"] == "2024-01-06"
    assert journey["counselling"][0]["recorded_at"].startswith(str(datetime.now(UTC).year))


def test_a_cancelled_journey_frees_the_worker_for_a_new_one(
    client: TestClient, officer: Headers, worker_id: str, journey_id: str
) -> None:
    cancelled = post(
        client, officer, f"/v1/journeys/{journey_id}/cancellation", {"reason": "stayed home"}
    )
    assert cancelled["stage"] == "cancelled"
    again = client.post("/v1/journeys", json=journey_body(worker_id), headers=officer)
    assert again.status_code == 201, again.text
    assert again.json()["id"] != journey_id


def test_a_second_open_journey_is_refused_with_the_open_ones_id(
    client: TestClient, officer: Headers, worker_id: str, journey_id: str
) -> None:
    again = client.post(
        "/v1/journeys", json=journey_body(worker_id, destination_country="MY"), headers=officer
    )
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "journey_already_open"
    assert error["details"]["open_journey_id"] == journey_id


# Order ----------------------------------------------------------------------------

RETURN = {"returned_on": "2025-01-01", "reason": "contract_completed"}
PLAN = {"needs": ["health_care"]}
ACTIVITY = {"kind": "counselling"}
WELFARE = {"contact_with": "worker", "status": "ok"}
END = {"reason": "done"}


def _departed(client: TestClient, headers: Headers, journey_id: str) -> None:
    post(client, headers, f"/v1/journeys/{journey_id}/departure", DEPARTURE)


def _cancelled(client: TestClient, headers: Headers, journey_id: str) -> None:
    post(client, headers, f"/v1/journeys/{journey_id}/cancellation", END)


def _closed(client: TestClient, headers: Headers, journey_id: str) -> None:
    _departed(client, headers, journey_id)
    post(client, headers, f"/v1/journeys/{journey_id}/return", RETURN)
    post(client, headers, f"/v1/journeys/{journey_id}/closure", END)


def _nothing(client: TestClient, headers: Headers, journey_id: str) -> None:
    pass


@pytest.mark.parametrize(
    ("given", "path", "body", "stage"),
    [
        (_cancelled, "departure", DEPARTURE, "cancelled"),
        (_nothing, "return", RETURN, "pre_departure"),
        (_nothing, "reintegration-plan", PLAN, "pre_departure"),
        (_departed, "reintegration-plan", PLAN, "placement"),
        (_nothing, "reintegration-activities", ACTIVITY, "pre_departure"),
        (_nothing, "welfare-checks", WELFARE, "pre_departure"),
        (_nothing, "closure", END, "pre_departure"),
        (_departed, "cancellation", END, "placement"),
        (_departed, "departure", DEPARTURE, "placement"),
        (_departed, "indications", {"indicators": ["other"]}, "placement"),
        (_closed, "incidents", {"category": "other", "severity": "low"}, "closed"),
        (_closed, "welfare-checks", WELFARE, "closed"),
        (_closed, "documents", document_body("passport"), "closed"),
        (_closed, "closure", END, "closed"),
        (_cancelled, "counselling", {"topics": ["other"]}, "cancelled"),
    ],
)
def test_a_breach_of_order_is_409_naming_the_current_stage(
    client: TestClient,
    officer: Headers,
    journey_id: str,
    given: Any,
    path: str,
    body: dict[str, Any],
    stage: str,
) -> None:
    given(client, officer, journey_id)
    version = read(client, officer, journey_id)["version"]
    response = client.post(f"/v1/journeys/{journey_id}/{path}", json=body, headers=officer)
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "journey_stage_conflict"
    assert f"stage {stage}" in error["message"]
    assert error["details"]["stage"] == stage
    assert read(client, officer, journey_id)["version"] == version


def test_stage_conflicts_speak_indonesian(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    response = client.post(
        f"/v1/journeys/{journey_id}/return",
        json=RETURN,
        headers={**officer, "Accept-Language": "id"},
    )
    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        "Tindakan ini tidak dapat dilakukan: perjalanan berada pada tahap pre_departure."
    )


def test_a_closed_journey_still_accepts_corrections(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    _closed(client, officer, journey_id)
    corrected = post(
        client,
        officer,
        f"/v1/journeys/{journey_id}/corrections",
        {"corrects_version": 3, "reason": "typo", "changes": {"reason": "early_termination"}},
    )
    assert corrected["stage"] == "closed"
    assert read(client, officer, journey_id)["return"]["reason"] == "early_termination"


# Flags ----------------------------------------------------------------------------


def test_a_departure_without_documents_is_recorded_and_flagged_with_each_missing_one(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    record_all_documents(client, officer, journey_id)
    # A passport recorded, but of another kind by mistake: the visa is then missing.
    journey = read(client, officer, journey_id)
    visa = next(d for d in journey["documents"] if d["kind"] == "work_visa")
    post(
        client,
        officer,
        f"/v1/journeys/{journey_id}/corrections",
        {"corrects_version": visa["version"], "reason": "wrong kind", "changes": {"kind": "other"}},
    )
    departed = post(client, officer, f"/v1/journeys/{journey_id}/departure", DEPARTURE)
    assert departed["stage"] == "placement"
    assert departed["flags"]["non_procedural"] is True
    assert departed["flags"]["non_procedural_reasons"] == [
        {"reason": "missing_document", "document_kind": "work_visa", "indication_id": None}
    ]


def test_a_departure_with_an_unresolved_indication_is_flagged(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    record_all_documents(client, officer, journey_id)
    post(
        client, officer, f"/v1/journeys/{journey_id}/indications", {"indicators": ["non_work_visa"]}
    )
    departed = post(client, officer, f"/v1/journeys/{journey_id}/departure", DEPARTURE)
    assert departed["flags"]["non_procedural"] is True
    assert departed["flags"]["non_procedural_reasons"] == [
        {"reason": "unresolved_indication", "document_kind": None, "indication_id": 1}
    ]


def test_a_departure_of_a_worker_under_18_is_flagged(client: TestClient, officer: Headers) -> None:
    birth = date(2007, 6, 1)
    minor = post(
        client,
        officer,
        "/v1/workers",
        worker_body(nik=nik_for(birth, "P"), birth_date=birth.isoformat()),
    )
    journey = post(client, officer, "/v1/journeys", journey_body(minor["id"]))
    record_all_documents(client, officer, journey["id"])
    departed = post(client, officer, f"/v1/journeys/{journey['id']}/departure", DEPARTURE)
    assert departed["flags"]["non_procedural"] is True
    assert departed["flags"]["non_procedural_reasons"] == [
        {"reason": "under_18", "document_kind": None, "indication_id": None}
    ]
    assert read(client, officer, journey["id"])["departure"]["worker_under_18"] is True


def test_the_placement_agreement_is_required_only_for_p3mi(
    client: TestClient, officer: Headers, worker_id: str
) -> None:
    journey = post(
        client,
        officer,
        "/v1/journeys",
        journey_body(worker_id, placement_scheme="mandiri", p3mi=None),
    )
    for kind in ALL_DOCUMENTS[:-1]:  # all but the placement agreement
        post(client, officer, f"/v1/journeys/{journey['id']}/documents", document_body(kind))
    departed = post(client, officer, f"/v1/journeys/{journey['id']}/departure", DEPARTURE)
    assert departed["flags"]["non_procedural"] is False


def test_a_document_expiring_before_the_contract_end_is_flagged(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    record_all_documents(client, officer, journey_id)
    post(
        client,
        officer,
        f"/v1/journeys/{journey_id}/documents",
        document_body("work_visa", number="V-2", expires_on="2025-06-30"),
    )
    # A visa valid to 2034 is already recorded: the longest-lasting one counts.
    departed = post(client, officer, f"/v1/journeys/{journey_id}/departure", DEPARTURE)
    assert departed["flags"]["documents_expiring"] == []

    other = post(
        client,
        officer,
        f"/v1/journeys/{journey_id}/documents",
        document_body("other", number="X-1", expires_on="2025-12-31"),
    )
    assert other["flags"]["documents_expiring"] == [
        {
            "document_id": other["document_id"],
            "kind": "other",
            "expires_on": "2025-12-31",
            "contract_end": "2026-03-01",
        }
    ]


# Time travel and corrections -------------------------------------------------------


def test_time_travel_by_version_shows_the_journey_as_it_was(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    _departed(client, officer, journey_id)
    then = read(client, officer, journey_id, as_of_version=1)
    assert then["version"] == 1
    assert then["stage"] == "pre_departure"
    assert then["departure"] is None
    now = read(client, officer, journey_id)
    assert now["stage"] == "placement"

    beyond = client.get(f"/v1/journeys/{journey_id}", params={"as_of_version": 3}, headers=officer)
    assert beyond.status_code == 404
    assert beyond.json()["error"]["code"] == "version_not_found"
    zero = client.get(f"/v1/journeys/{journey_id}", params={"as_of_version": 0}, headers=officer)
    assert zero.status_code == 422


def test_time_travel_by_recording_time_shows_the_journey_as_it_was(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    time.sleep(0.01)
    between = datetime.now(UTC)
    time.sleep(0.01)
    _departed(client, officer, journey_id)

    then = read(client, officer, journey_id, as_of=between.isoformat())
    assert then["version"] == 1
    assert then["stage"] == "pre_departure"
    assert then["as_of"] is not None
    wib = between.astimezone(datetime.now().astimezone().tzinfo).isoformat()
    assert read(client, officer, journey_id, as_of=wib)["version"] == 1
    assert read(client, officer, journey_id, as_of=datetime.now(UTC).isoformat())["version"] == 2
    # Typed straight into a URL, the offset's "+" arrives as a space; it still means +07:00.
    in_wib = between.astimezone(timezone(timedelta(hours=7))).isoformat()
    typed = client.get(f"/v1/journeys/{journey_id}?as_of={in_wib}", headers=officer)
    assert typed.status_code == 200, typed.text
    assert typed.json()["version"] == 1

    before = (between - timedelta(days=1)).isoformat()
    early = client.get(f"/v1/journeys/{journey_id}", params={"as_of": before}, headers=officer)
    assert early.status_code == 404
    assert early.json()["error"]["code"] == "not_yet_recorded"
    naive = client.get(
        f"/v1/journeys/{journey_id}", params={"as_of": "2025-01-01T00:00:00"}, headers=officer
    )
    assert naive.status_code == 422
    assert naive.json()["error"]["details"]["fields"][0]["field"] == "as_of"
    both = client.get(
        f"/v1/journeys/{journey_id}",
        params={"as_of": between.isoformat(), "as_of_version": 1},
        headers=officer,
    )
    assert both.status_code == 422


def test_a_correction_amends_the_state_and_the_history_keeps_both(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    _departed(client, officer, journey_id)
    corrected = post(
        client,
        officer,
        f"/v1/journeys/{journey_id}/corrections",
        {
            "corrects_version": 2,
            "reason": "date and employer mistyped",
            "changes": {"departed_on": "2024-03-03", "employer": "Lin household"},
        },
    )
    assert corrected["version"] == 3
    now = read(client, officer, journey_id)
    assert now["departure"]["departed_on"] == "2024-03-03"
    assert now["departure"]["employer"] == "Lin household"
    assert now["corrections"] == [
        {
            "version": 3,
            "occurred_on": now["corrections"][0]["occurred_on"],
            "recorded_at": now["corrections"][0]["recorded_at"],
            "recorded_by": now["corrections"][0]["recorded_by"],
            "corrects_version": 2,
            "reason": "date and employer mistyped",
            "changes": {"departed_on": "2024-03-03", "worker_under_18": False},
            "personal_fields": ["employer"],
        }
    ]
    before = read(client, officer, journey_id, as_of_version=2)
    assert before["departure"]["departed_on"] == "2024-03-01"
    assert before["departure"]["employer"] == "Chen household"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"corrects_version": 9, "reason": "x", "changes": {"occupation": "cook"}},
            "corrects_version",
        ),
        ({"corrects_version": 1, "reason": "x", "changes": {"stage": "closed"}}, "changes.stage"),
        (
            {"corrects_version": 1, "reason": "x", "changes": {"destination_country": "XX"}},
            "changes.destination_country",
        ),
        (
            {"corrects_version": 1, "reason": "x", "changes": {"occurred_on": "2999-01-01"}},
            "changes.occurred_on",
        ),
        (
            {"corrects_version": 1, "reason": "x", "changes": {"placement_scheme": "mandiri"}},
            "p3mi",
        ),
        (
            {"corrects_version": 2, "reason": "x", "changes": {"contract_end": "2020-01-01"}},
            "contract_end",
        ),
        (
            {"corrects_version": 2, "reason": "x", "changes": {"departed_on": "not a date"}},
            "changes.departed_on",
        ),
        ({"corrects_version": 1, "reason": "x", "changes": {}}, "changes"),
    ],
)
def test_invalid_corrections_are_refused_with_the_field_named(
    client: TestClient, officer: Headers, journey_id: str, body: dict[str, Any], field: str
) -> None:
    _departed(client, officer, journey_id)
    response = client.post(f"/v1/journeys/{journey_id}/corrections", json=body, headers=officer)
    assert response.status_code == 422, response.text
    fields = [item["field"] for item in response.json()["error"]["details"]["fields"]]
    assert field in fields
    assert read(client, officer, journey_id)["version"] == 2


# Concurrency headers ---------------------------------------------------------------


def test_if_match_refuses_a_stale_journey_write(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    path = f"/v1/journeys/{journey_id}/counselling"
    stale = client.post(path, json={"topics": ["other"]}, headers={**officer, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.json()["error"]["details"] == {"expected": 7, "current": 1}
    fresh = client.post(path, json={"topics": ["other"]}, headers={**officer, "If-Match": '"1"'})
    assert fresh.status_code == 201
    assert fresh.headers["etag"] == '"2"'


def test_an_idempotency_key_makes_a_journey_write_happen_once(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    path = f"/v1/journeys/{journey_id}/incidents"
    body = {"category": "loss_of_contact", "severity": "medium", "occurred_on": "2024-01-01"}
    headers = {**officer, "Idempotency-Key": "incident-1"}
    first = client.post(path, json=body, headers=headers)
    again = client.post(path, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(read(client, officer, journey_id)["incidents"]) == 1
    other = client.post(path, json={**body, "severity": "high"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"


def test_an_idempotent_retry_of_an_open_returns_the_same_journey(
    client: TestClient, officer: Headers, worker_id: str
) -> None:
    headers = {**officer, "Idempotency-Key": "open-1"}
    first = client.post("/v1/journeys", json=journey_body(worker_id), headers=headers)
    again = client.post("/v1/journeys", json=journey_body(worker_id), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]


# Scope and roles -------------------------------------------------------------------


def test_an_officer_of_another_village_gets_404(
    client: TestClient, app_runtime: Runtime, officer: Headers, worker_id: str, journey_id: str
) -> None:
    create_user(app_runtime, "petugas.cilacap", "officer", (FAR_VILLAGE,))
    far = login(client, "petugas.cilacap")
    assert client.get(f"/v1/journeys/{journey_id}", headers=far).status_code == 404
    write = client.post(
        f"/v1/journeys/{journey_id}/counselling", json={"topics": ["other"]}, headers=far
    )
    assert write.status_code == 404
    assert write.json()["error"]["code"] == "not_found"
    opening = client.post("/v1/journeys", json=journey_body(worker_id), headers=far)
    assert opening.status_code == 404
    assert read(client, officer, journey_id)["version"] == 1


def test_coordinators_and_auditors_read_admins_do_not_and_auditors_never_write(
    client: TestClient, app_runtime: Runtime, journey_id: str
) -> None:
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    create_user(app_runtime, "koordinator.cilacap", "coordinator", ("33.01",))
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "admin", "admin")
    path = f"/v1/journeys/{journey_id}"
    assert client.get(path, headers=login(client, "koordinator.malang")).status_code == 200
    assert client.get(path, headers=login(client, "koordinator.cilacap")).status_code == 404
    auditor = login(client, "auditor")
    assert client.get(path, headers=auditor).status_code == 200
    denied = client.post(f"{path}/counselling", json={"topics": ["other"]}, headers=auditor)
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "forbidden"
    admin = login(client, "admin")
    assert client.get(path, headers=admin).status_code == 403
    assert client.post(f"{path}/closure", json=END, headers=admin).status_code == 403


def test_unknown_journeys_and_sub_entities_are_404(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/v1/journeys/{unknown}", headers=officer).status_code == 404
    for path in ("indications/1/resolution", "incidents/99/resolution", "incidents/-1/resolution"):
        response = client.post(
            f"/v1/journeys/{journey_id}/{path}", json={"outcome": "referred"}, headers=officer
        )
        assert response.status_code == 404, path


# Validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"p3mi": None}, "p3mi"),
        ({"placement_scheme": "mandiri"}, "p3mi"),
        ({"destination_country": "XX"}, "destination_country"),
        ({"destination_country": "ID"}, "destination_country"),
        ({"destination_country": "Taiwan"}, "destination_country"),
        ({"placement_scheme": "tourist"}, "placement_scheme"),
        ({"occurred_on": "2999-01-01"}, "occurred_on"),
        ({"p3mi": {"name": "PT X"}}, "p3mi.licence_number"),
        ({"worker_id": "not-a-uuid"}, "worker_id"),
    ],
)
def test_invalid_openings_are_422_with_the_field_named(
    client: TestClient, officer: Headers, worker_id: str, overrides: dict[str, Any], field: str
) -> None:
    response = client.post(
        "/v1/journeys", json={**journey_body(worker_id), **overrides}, headers=officer
    )
    assert response.status_code == 422, response.text
    fields = [item["field"] for item in response.json()["error"]["details"]["fields"]]
    assert field in fields


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("documents", document_body("visa_on_arrival"), "kind"),
        ("documents", document_body("passport", expires_on="2020-01-01"), "expires_on"),
        ("documents", document_body("passport", issued_on="2999-01-01"), "issued_on"),
        ("indications", {"indicators": []}, "indicators"),
        ("indications", {"indicators": ["gossip"]}, "indicators.0"),
        ("departure", {**DEPARTURE, "contract_end": "2024-01-01"}, "contract_end"),
        ("departure", {**DEPARTURE, "departed_on": "2999-01-01"}, "departed_on"),
        ("incidents", {"category": "unpaid_wages", "severity": "urgent"}, "severity"),
        (
            "counselling",
            {"topics": ["other"], "extra": 1},
            "*",
        ),  # a key the client chose is never echoed
    ],
)
def test_invalid_journey_writes_are_422_with_the_field_named(
    client: TestClient,
    officer: Headers,
    journey_id: str,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    response = client.post(f"/v1/journeys/{journey_id}/{path}", json=body, headers=officer)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert field in [item["field"] for item in error["details"]["fields"]]


def test_a_return_before_the_departure_is_refused(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    _departed(client, officer, journey_id)
    response = client.post(
        f"/v1/journeys/{journey_id}/return",
        json={"returned_on": "2024-02-01", "reason": "deported"},
        headers={**officer, "Accept-Language": "id"},
    )
    assert response.status_code == 422
    field = response.json()["error"]["details"]["fields"][0]
    assert field["field"] == "returned_on"
    assert field["message"] == "tidak boleh sebelum tanggal keberangkatan"


# Vocabularies -----------------------------------------------------------------------


def test_vocabularies_are_listed_with_indonesian_labels(
    client: TestClient, officer: Headers
) -> None:
    response = client.get("/v1/vocabularies", headers={**officer, "Accept-Language": "id"})
    assert response.status_code == 200
    body = response.json()
    reasons = {item["code"]: item for item in body["vocabularies"]["return_reason"]}
    assert reasons["deported"]["label"] == "Dideportasi"
    assert reasons["deported"]["label_en"] == "Deported"
    assert set(body["vocabularies"]) >= {
        "document_kind",
        "indicator",
        "incident_category",
        "severity",
        "return_reason",
        "reintegration_need",
        "reintegration_activity_kind",
    }
    assert "TW" in body["countries"]
    assert "ID" not in body["countries"]
    assert client.get("/v1/vocabularies").status_code == 401


def test_the_openapi_schema_lists_the_vocabularies(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "deported" in schemas["ReturnReason"]["enum"]
    assert "bpjs_ketenagakerjaan" in schemas["DocumentKind"]["enum"]
    assert set(schemas["Severity"]["enum"]) == {"low", "medium", "high", "critical"}
    assert "non_procedural_reasons" in schemas["FlagsView"]["properties"]


def test_help_given_before_a_plan_is_written_starts_the_reintegration(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    _departed(client, officer, journey_id)
    post(client, officer, f"/v1/journeys/{journey_id}/return", RETURN)
    activity = client.post(
        f"/v1/journeys/{journey_id}/reintegration-activities", json=ACTIVITY, headers=officer
    )
    assert activity.status_code == 201, activity.text
    assert activity.json()["stage"] == "reintegration"
    assert read(client, officer, journey_id)["stage"] == "reintegration"


@pytest.mark.parametrize(
    ("path", "date_field"), [("departure", "departed_on"), ("return", "returned_on")]
)
def test_a_departure_or_return_may_also_say_occurred_on_for_its_day(
    client: TestClient, officer: Headers, journey_id: str, path: str, date_field: str
) -> None:
    if path == "return":
        _departed(client, officer, journey_id)
    body = DEPARTURE if path == "departure" else RETURN
    other_day = {**body, "occurred_on": "2020-01-01"}
    refused = client.post(f"/v1/journeys/{journey_id}/{path}", json=other_day, headers=officer)
    assert refused.status_code == 422, refused.text
    same_day = {**body, "occurred_on": body[date_field]}
    recorded = client.post(f"/v1/journeys/{journey_id}/{path}", json=same_day, headers=officer)
    assert recorded.status_code == 201, recorded.text


def test_listed_values_are_read_as_people_type_them_and_stored_canonically(
    client: TestClient, officer: Headers, journey_id: str
) -> None:
    topics = {"topics": ["Safe Migration", "costs-and-fees", "rights"]}
    post(client, officer, f"/v1/journeys/{journey_id}/counselling", topics)
    journey = read(client, officer, journey_id)
    assert journey["counselling"][0]["topics"] == [
        "safe_migration",
        "costs_and_fees",
        "worker_rights",
    ]
    unknown = client.post(
        f"/v1/journeys/{journey_id}/counselling", json={"topics": ["astrology"]}, headers=officer
    )
    assert unknown.status_code == 422
