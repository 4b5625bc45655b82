"""Registering and reading workers through the real app, on both backends."""

from __future__ import annotations

from datetime import date

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


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> dict[str, str]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    return login(client, "petugas.ternyang")


def test_an_officer_registers_a_worker_and_reads_it_back(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = worker_body()
    response = client.post("/v1/workers", json=body, headers=officer)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["version"] == 1
    assert created["position"] >= 1
    assert response.headers["etag"] == '"1"'

    read = client.get(f"/v1/workers/{created['id']}", headers=officer)
    assert read.status_code == 200
    worker = read.json()
    assert worker["nik"] == body["nik"]
    assert worker["full_name"] == "Siti Aminah"
    assert worker["phone"] == "+6281234567890"
    assert worker["village_code"] == VILLAGE
    assert worker["erased"] is False


def test_the_worker_id_does_not_reveal_the_nik(client: TestClient, officer: dict[str, str]) -> None:
    body = worker_body()
    worker_id = client.post("/v1/workers", json=body, headers=officer).json()["id"]
    assert body["nik"] not in worker_id.replace("-", "")
    import hashlib

    for digest in (hashlib.sha256, hashlib.md5, hashlib.sha1):
        assert digest(body["nik"].encode()).hexdigest()[:32] != worker_id.replace("-", "")


def test_a_second_registration_of_the_same_nik_is_refused_with_the_existing_id(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = worker_body()
    first = client.post("/v1/workers", json=body, headers=officer).json()
    again = client.post("/v1/workers", json={**body, "full_name": "Siti A."}, headers=officer)
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "worker_already_registered"
    assert error["details"]["existing_id"] == first["id"]
    assert body["nik"] not in again.text


def test_lookup_by_nik_in_the_body_finds_the_worker(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = worker_body()
    worker_id = client.post("/v1/workers", json=body, headers=officer).json()["id"]
    found = client.post("/v1/workers/lookup", json={"nik": body["nik"]}, headers=officer)
    assert found.status_code == 200
    assert found.json()["id"] == worker_id
    missing = client.post(
        "/v1/workers/lookup", json={"nik": nik_for(date(1990, 1, 1), "L")}, headers=officer
    )
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nik": "12345"}, "nik"),
        ({"nik": "9907124507950003"}, "nik"),  # no province 99
        ({"nik": "3507123207950003"}, "nik"),  # day 32 is not a date
        ({"nik": "3507124507950000"}, "nik"),  # serial 0000
        ({"birth_date": "1995-07-06"}, "birth_date"),  # NIK says 5 July
        ({"sex": "L"}, "sex"),  # NIK day + 40 says woman
        ({"village_code": "35.07.12.9999"}, "village_code"),
        ({"village_code": "35.07"}, "village_code"),
        ({"village_code": "3507122001"}, "village_code"),
        ({"nik": "3507994507950003"}, "nik"),  # no district 35.07.99
        ({"phone": "12"}, "phone"),
        ({"full_name": "   "}, "full_name"),
        ({"full_name": "\u200b\u200e\ufeff"}, "full_name"),  # only invisible characters
    ],
)
def test_invalid_registrations_are_refused_with_the_field_named(
    client: TestClient, officer: dict[str, str], overrides: dict[str, str], field: str
) -> None:
    body = worker_body(**overrides)
    response = client.post("/v1/workers", json=body, headers=officer)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert any(item["field"].endswith(field) for item in error["details"]["fields"])
    assert body["nik"] not in response.text or field != "nik"


def test_errors_speak_indonesian_when_asked(client: TestClient, officer: dict[str, str]) -> None:
    response = client.post(
        "/v1/workers",
        json=worker_body(birth_date="1995-07-06"),
        headers={**officer, "Accept-Language": "id-ID,id;q=0.9,en;q=0.5"},
    )
    assert response.status_code == 422
    assert "tanggal lahir" in response.json()["error"]["details"]["fields"][0]["message"]
    assert response.headers["content-language"] == "id"


def test_an_officer_cannot_register_in_another_village(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = client.post(
        "/v1/workers", json=worker_body(village_code=OTHER_VILLAGE), headers=officer
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "out_of_scope"


def test_a_worker_outside_the_scope_looks_like_it_does_not_exist(
    client: TestClient, app_runtime: Runtime, officer: dict[str, str]
) -> None:
    create_user(app_runtime, "petugas.cilacap", "officer", (FAR_VILLAGE,))
    far = login(client, "petugas.cilacap")
    body = worker_body(village_code=FAR_VILLAGE, nik=nik_for(date(1995, 7, 5), "P", "330101"))
    worker_id = client.post("/v1/workers", json=body, headers=far).json()["id"]
    assert client.get(f"/v1/workers/{worker_id}", headers=officer).status_code == 404
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/v1/workers/{unknown}", headers=officer).status_code == 404
    assert (
        client.post("/v1/workers/lookup", json={"nik": body["nik"]}, headers=officer).status_code
        == 404
    )
    dependent = {"name": "Budi", "birth_date": "2015-03-02", "relationship": "child"}
    assert (
        client.post(
            f"/v1/workers/{worker_id}/dependents", json=dependent, headers=officer
        ).status_code
        == 404
    )


def test_a_coordinator_reads_workers_under_their_prefix(
    client: TestClient, app_runtime: Runtime, officer: dict[str, str]
) -> None:
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    coordinator = login(client, "koordinator.malang")
    worker_id = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    assert client.get(f"/v1/workers/{worker_id}", headers=coordinator).status_code == 200


def test_dependents_are_added_with_their_own_id(
    client: TestClient, officer: dict[str, str]
) -> None:
    worker_id = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    response = client.post(
        f"/v1/workers/{worker_id}/dependents",
        json={"name": "Budi", "birth_date": "2015-03-02", "relationship": "child"},
        headers=officer,
    )
    assert response.status_code == 201, response.text
    assert response.json()["version"] == 2
    dependent_id = response.json()["dependent_id"]
    worker = client.get(f"/v1/workers/{worker_id}", headers=officer).json()
    assert worker["dependents"] == [
        {"id": dependent_id, "name": "Budi", "birth_date": "2015-03-02", "relationship": "child"}
    ]


def test_admins_and_auditors_cannot_register_workers(
    client: TestClient, app_runtime: Runtime
) -> None:
    create_user(app_runtime, "admin", "admin")
    create_user(app_runtime, "auditor", "auditor")
    for name in ("admin", "auditor"):
        response = client.post("/v1/workers", json=worker_body(), headers=login(client, name))
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_a_new_phone_number_is_recorded_and_read_back(
    client: TestClient, officer: dict[str, str]
) -> None:
    worker_id = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    changed = client.post(
        f"/v1/workers/{worker_id}/contact",
        json={"phone": "+886 912 345 678", "occurred_on": "2025-01-02"},
        headers=officer,
    )
    assert changed.status_code == 201, changed.text
    assert changed.json()["version"] == 2
    assert client.get(f"/v1/workers/{worker_id}", headers=officer).json()["phone"] == (
        "+886912345678"
    )
    removed = client.post(f"/v1/workers/{worker_id}/contact", json={"phone": None}, headers=officer)
    assert removed.status_code == 201
    assert client.get(f"/v1/workers/{worker_id}", headers=officer).json()["phone"] is None
    bad = client.post(f"/v1/workers/{worker_id}/contact", json={"phone": "12"}, headers=officer)
    assert bad.status_code == 422
