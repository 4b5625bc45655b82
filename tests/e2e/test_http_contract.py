"""The cross-cutting HTTP behaviours every write and read honours, through the real app."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.support import VILLAGE, create_user, login, worker_body

DEPENDENT = {"name": "Budi", "birth_date": "2015-03-02", "relationship": "child"}


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> dict[str, str]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    return login(client, "petugas.ternyang")


@pytest.fixture
def worker_id(client: TestClient, officer: dict[str, str]) -> str:
    response = client.post("/v1/workers", json=worker_body(), headers=officer)
    assert response.status_code == 201
    return str(response.json()["id"])


def assert_error_shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    return dict(body["error"])


# If-Match ---------------------------------------------------------------------------------


def test_a_write_with_the_current_version_in_if_match_applies(
    client: TestClient, officer: dict[str, str], worker_id: str
) -> None:
    response = client.post(
        f"/v1/workers/{worker_id}/dependents",
        json=DEPENDENT,
        headers={**officer, "If-Match": '"1"'},
    )
    assert response.status_code == 201
    assert response.json()["version"] == 2


def test_a_write_with_a_stale_if_match_is_refused_with_412(
    client: TestClient, officer: dict[str, str], worker_id: str
) -> None:
    client.post(f"/v1/workers/{worker_id}/dependents", json=DEPENDENT, headers=officer)
    stale = client.post(
        f"/v1/workers/{worker_id}/dependents",
        json=DEPENDENT,
        headers={**officer, "If-Match": '"1"'},
    )
    error = assert_error_shape(stale, 412, "version_mismatch")
    assert error["details"] == {"expected": 1, "current": 2}
    worker = client.get(f"/v1/workers/{worker_id}", headers=officer).json()
    assert len(worker["dependents"]) == 1


def test_a_malformed_if_match_is_a_400(
    client: TestClient, officer: dict[str, str], worker_id: str
) -> None:
    response = client.post(
        f"/v1/workers/{worker_id}/dependents",
        json=DEPENDENT,
        headers={**officer, "If-Match": "yesterday"},
    )
    assert_error_shape(response, 400, "invalid_if_match")


def test_concurrent_writes_without_if_match_never_lose_one_another(
    client: TestClient, officer: dict[str, str], worker_id: str
) -> None:
    writers = 8
    statuses: list[int] = []
    versions: list[int] = []
    lock = threading.Lock()

    def add(i: int) -> None:
        response = client.post(
            f"/v1/workers/{worker_id}/dependents",
            json={**DEPENDENT, "name": f"Anak {i}"},
            headers=officer,
        )
        with lock:
            statuses.append(response.status_code)
            if response.status_code == 201:
                versions.append(response.json()["version"])

    threads = [threading.Thread(target=add, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * writers
    assert sorted(versions) == list(range(2, 2 + writers))
    worker = client.get(f"/v1/workers/{worker_id}", headers=officer).json()
    assert sorted(d["name"] for d in worker["dependents"]) == sorted(
        f"Anak {i}" for i in range(writers)
    )
    assert worker["version"] == 1 + writers


def test_of_writers_sharing_one_if_match_exactly_one_wins(
    client: TestClient, officer: dict[str, str], worker_id: str
) -> None:
    statuses: list[int] = []
    lock = threading.Lock()

    def add(i: int) -> None:
        response = client.post(
            f"/v1/workers/{worker_id}/dependents",
            json={**DEPENDENT, "name": f"Anak {i}"},
            headers={**officer, "If-Match": '"1"'},
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [412] * 5


# Idempotency-Key --------------------------------------------------------------------------


def test_a_retry_with_the_same_key_and_body_returns_the_first_answer_and_records_nothing(
    client: TestClient, officer: dict[str, str], worker_id: str
) -> None:
    headers = {**officer, "Idempotency-Key": "dep-1"}
    first = client.post(f"/v1/workers/{worker_id}/dependents", json=DEPENDENT, headers=headers)
    again = client.post(f"/v1/workers/{worker_id}/dependents", json=DEPENDENT, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    worker = client.get(f"/v1/workers/{worker_id}", headers=officer).json()
    assert worker["version"] == 2
    assert len(worker["dependents"]) == 1


def test_a_registration_retried_with_its_key_is_not_a_duplicate(
    client: TestClient, officer: dict[str, str]
) -> None:
    body = worker_body()
    headers = {**officer, "Idempotency-Key": "reg-1"}
    first = client.post("/v1/workers", json=body, headers=headers)
    again = client.post("/v1/workers", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()


def test_the_same_key_with_another_body_is_a_422(
    client: TestClient, officer: dict[str, str], worker_id: str
) -> None:
    headers = {**officer, "Idempotency-Key": "dep-2"}
    client.post(f"/v1/workers/{worker_id}/dependents", json=DEPENDENT, headers=headers)
    other = client.post(
        f"/v1/workers/{worker_id}/dependents", json={**DEPENDENT, "name": "Ani"}, headers=headers
    )
    assert_error_shape(other, 422, "idempotency_key_reused")
    worker = client.get(f"/v1/workers/{worker_id}", headers=officer).json()
    assert [d["name"] for d in worker["dependents"]] == ["Budi"]


def test_the_same_key_on_another_path_is_a_422(
    client: TestClient, officer: dict[str, str], worker_id: str
) -> None:
    headers = {**officer, "Idempotency-Key": "shared"}
    client.post(f"/v1/workers/{worker_id}/dependents", json=DEPENDENT, headers=headers)
    other = client.post("/v1/workers", json=worker_body(), headers=headers)
    assert_error_shape(other, 422, "idempotency_key_reused")


def test_keys_belong_to_their_user(
    client: TestClient, app_runtime: Runtime, officer: dict[str, str], worker_id: str
) -> None:
    create_user(app_runtime, "petugas.dua", "officer", (VILLAGE,))
    second = login(client, "petugas.dua")
    key = {"Idempotency-Key": "same-key"}
    a = client.post(
        f"/v1/workers/{worker_id}/dependents", json=DEPENDENT, headers={**officer, **key}
    )
    b = client.post(
        f"/v1/workers/{worker_id}/dependents", json=DEPENDENT, headers={**second, **key}
    )
    assert a.status_code == b.status_code == 201
    assert b.json()["version"] == 3


def test_racing_retries_with_one_key_record_exactly_one_event(
    client: TestClient, officer: dict[str, str], worker_id: str
) -> None:
    headers = {**officer, "Idempotency-Key": "race-1"}
    bodies: list[dict[str, Any]] = []
    lock = threading.Lock()

    def send() -> None:
        response = client.post(
            f"/v1/workers/{worker_id}/dependents", json=DEPENDENT, headers=headers
        )
        with lock:
            bodies.append({"status": response.status_code, **response.json()})

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {b["status"] for b in bodies} == {201}
    assert len({b["dependent_id"] for b in bodies}) == 1
    worker = client.get(f"/v1/workers/{worker_id}", headers=officer).json()
    assert worker["version"] == 2


def test_an_unusable_idempotency_key_is_a_400(
    client: TestClient, officer: dict[str, str], worker_id: str
) -> None:
    response = client.post(
        f"/v1/workers/{worker_id}/dependents",
        json=DEPENDENT,
        headers={**officer, "Idempotency-Key": "x" * 201},
    )
    assert_error_shape(response, 400, "invalid_idempotency_key")


# Bad input --------------------------------------------------------------------------------


def test_malformed_json_is_a_400_in_the_error_shape(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = client.post(
        "/v1/workers",
        content=b'{"nik": "35071245',
        headers={**officer, "Content-Type": "application/json"},
    )
    assert_error_shape(response, 400, "malformed_json")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"nik": 3507124507950003},
        {"nik": ["3507124507950003"]},
        {**worker_body(), "birth_date": "05/07/1995"},
        {**worker_body(), "sex": "X"},
        {**worker_body(), "unexpected": "field"},
        {**worker_body(), "full_name": "x" * 10_000},
        {**worker_body(), "full_name": "Siti\x00Aminah"},
        [1, 2, 3],
        "just a string",
        None,
    ],
)
def test_wrong_types_and_missing_fields_are_422_with_field_details(
    client: TestClient, officer: dict[str, str], body: Any
) -> None:
    response = client.post("/v1/workers", json=body, headers=officer)
    error = assert_error_shape(response, 422, "validation_failed")
    assert error["details"]["fields"], error
    assert all({"field", "code", "message"} <= set(item) for item in error["details"]["fields"])


def test_invalid_utf8_is_refused_without_a_500(client: TestClient, officer: dict[str, str]) -> None:
    response = client.post(
        "/v1/workers",
        content=b'{"nik": "\xff\xfe", "full_name": "x"}',
        headers={**officer, "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert response.json()["error"]["code"] in ("malformed_json", "validation_failed")


def test_a_lone_surrogate_is_refused_without_a_500(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = client.post(
        "/v1/workers",
        content=b'{"nik": "3507124507950003", "full_name": "\\ud800", "sex": "P", '
        b'"birth_date": "1995-07-05", "village_code": "35.07.12.2001"}',
        headers={**officer, "Content-Type": "application/json"},
    )
    assert_error_shape(response, 422, "validation_failed")


def test_a_body_over_one_mebibyte_is_a_413(client: TestClient, officer: dict[str, str]) -> None:
    big = b'{"full_name": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    response = client.post(
        "/v1/workers", content=big, headers={**officer, "Content-Type": "application/json"}
    )
    assert_error_shape(response, 413, "payload_too_large")


def test_a_streamed_body_over_the_limit_is_a_413(
    client: TestClient, officer: dict[str, str]
) -> None:
    def chunks() -> Any:
        yield b'{"full_name": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'

    response = client.post(
        "/v1/workers", content=chunks(), headers={**officer, "Content-Type": "application/json"}
    )
    assert_error_shape(response, 413, "payload_too_large")


def test_unknown_ids_are_404_and_unknown_paths_are_404_in_the_shape(
    client: TestClient, officer: dict[str, str]
) -> None:
    assert_error_shape(
        client.get("/v1/workers/8b0d3c0e-0000-4000-8000-000000000000", headers=officer),
        404,
        "not_found",
    )
    assert_error_shape(client.get("/v1/no-such-thing", headers=officer), 404, "route_not_found")
    assert_error_shape(client.delete("/v1/workers", headers=officer), 405, "method_not_allowed")
    # An id that does not even parse names nothing either: unknown, so 404 like the rest.
    invalid = client.get("/v1/workers/not-a-uuid", headers=officer)
    assert_error_shape(invalid, 404, "not_found")


def test_the_nik_never_appears_in_an_error(client: TestClient, officer: dict[str, str]) -> None:
    body = worker_body(birth_date="1990-01-01")
    response = client.post("/v1/workers", json=body, headers=officer)
    assert response.status_code == 422
    assert body["nik"] not in response.text
