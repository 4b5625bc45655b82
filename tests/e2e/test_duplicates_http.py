"""Possible duplicates through the real app, on both backends: warnings at registration in
the caller's scope only, the coordinators' review list, and "not the same person"."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.support import OTHER_VILLAGE, VILLAGE, create_user, login, nik_for, worker_body

BORN = date(1993, 11, 2)


@pytest.fixture
def users(client: TestClient, app_runtime: Runtime) -> dict[str, dict[str, str]]:
    create_user(app_runtime, "petugas", "officer", (VILLAGE,))
    create_user(app_runtime, "petugas.tetangga", "officer", (OTHER_VILLAGE,))
    create_user(app_runtime, "koordinator", "coordinator", ("35.07",))
    return {name: login(client, name) for name in ("petugas", "petugas.tetangga", "koordinator")}


def register(client: TestClient, headers: dict[str, str], **fields: Any) -> Any:
    body = worker_body(birth_date=BORN.isoformat(), **fields)
    response = client.post("/v1/workers", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_similar_name_with_the_same_birth_date_is_a_warning_in_scope_only(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    first = register(
        client, users["petugas"], nik=nik_for(BORN, serial=1111), full_name="Siti Aminah"
    )
    assert first["possible_duplicates"] == []
    # The same person typed again in the same village, with old spelling and another NIK.
    again = register(
        client, users["petugas"], nik=nik_for(BORN, serial=5432), full_name="SITI AMINNAH"
    )
    assert again["possible_duplicates"] == [
        {"worker_id": first["id"], "reason": "similar_name_same_birth_date",
         "reasons": ["similar_name_same_birth_date"]}
    ]  # fmt: skip
    # A neighbouring village's officer does not see the Ternyang records, so is told nothing.
    neighbour = register(
        client,
        users["petugas.tetangga"],
        nik=nik_for(BORN, serial=8765),
        full_name="Siti Aminah",
        village_code=OTHER_VILLAGE,
    )
    assert neighbour["possible_duplicates"] == []
    # Their coordinator sees the whole regency.
    regency = register(
        client, users["koordinator"], nik=nik_for(BORN, serial=3456), full_name="Aminah"
    )
    assert {d["worker_id"] for d in regency["possible_duplicates"]} == {
        first["id"], again["id"], neighbour["id"],
    }  # fmt: skip


def test_another_name_with_the_same_birth_date_is_no_warning(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    register(client, users["petugas"], nik=nik_for(BORN, serial=1111), full_name="Siti Aminah")
    other = register(
        client, users["petugas"], nik=nik_for(BORN, serial=5432), full_name="Siti Rahayu"
    )
    assert other["possible_duplicates"] == []


def test_a_nik_one_digit_or_one_swap_away_with_the_same_birth_date_is_a_warning(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    first = register(client, users["petugas"], nik=nik_for(BORN, serial=1234), full_name="Dewi")
    typo = register(client, users["petugas"], nik=nik_for(BORN, serial=1235), full_name="Rina")
    swap = register(client, users["petugas"], nik=nik_for(BORN, serial=1324), full_name="Wati")
    assert typo["possible_duplicates"] == [
        {
            "worker_id": first["id"],
            "reason": "nik_one_digit_away",
            "reasons": ["nik_one_digit_away"],
        }
    ]
    assert {d["worker_id"]: d["reason"] for d in swap["possible_duplicates"]} == {
        first["id"]: "nik_digits_swapped"
    }


def test_a_coordinator_declares_two_workers_different_people_once(
    client: TestClient, users: dict[str, dict[str, str]], app_runtime: Runtime
) -> None:
    first = register(
        client, users["petugas"], nik=nik_for(BORN, serial=1111), full_name="Siti Aminah"
    )
    second = register(
        client, users["petugas"], nik=nik_for(BORN, serial=5432), full_name="Siti Aminah"
    )
    coordinator = users["koordinator"]
    listed = client.get("/v1/duplicates", headers=coordinator).json()
    pair = {"worker_id": min(first["id"], second["id"]), "other_worker_id": max(first["id"], second["id"]),
            "reason": "similar_name_same_birth_date", "reasons": ["similar_name_same_birth_date"]}  # fmt: skip
    assert listed["items"] == [pair]

    body = {"worker_ids": [second["id"], first["id"]], "reason": "Dua orang: KK berbeda"}
    officer = client.post("/v1/duplicates/not-same-person", json=body, headers=users["petugas"])
    assert officer.status_code == 403
    declared = client.post("/v1/duplicates/not-same-person", json=body, headers=coordinator)
    assert declared.status_code == 201, declared.text
    assert client.get("/v1/duplicates", headers=coordinator).json()["items"] == []
    twice = client.post("/v1/duplicates/not-same-person", json=body, headers=coordinator)
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "already_declared_distinct")

    create_user(app_runtime, "auditor", "auditor")
    stream = client.get(
        f"/v1/audit/streams/{declared.json()['id']}", headers=login(client, "auditor")
    )
    event = stream.json()["events"][0]
    assert event["type"] == "PersonPair.DeclaredDistinct"
    assert sorted(event["data"]["worker_ids"]) == sorted([first["id"], second["id"]])


def test_declaring_a_pair_outside_the_coordinators_scope_is_404(
    client: TestClient, users: dict[str, dict[str, str]], app_runtime: Runtime
) -> None:
    create_user(app_runtime, "koordinator.cilacap", "coordinator", ("33.01",))
    first = register(client, users["petugas"], nik=nik_for(BORN, serial=1111), full_name="Siti")
    second = register(client, users["petugas"], nik=nik_for(BORN, serial=5432), full_name="Siti")
    response = client.post(
        "/v1/duplicates/not-same-person",
        json={"worker_ids": [first["id"], second["id"]], "reason": "beda"},
        headers=login(client, "koordinator.cilacap"),
    )
    assert response.status_code == 404
    assert (
        client.get("/v1/duplicates", headers=login(client, "koordinator.cilacap")).json()["items"]
        == []
    )


def test_an_erased_worker_is_no_longer_a_possible_duplicate(
    client: TestClient, users: dict[str, dict[str, str]], app_runtime: Runtime
) -> None:
    first = register(
        client, users["petugas"], nik=nik_for(BORN, serial=1111), full_name="Siti Aminah"
    )
    create_user(app_runtime, "admin", "admin")
    erased = client.post(f"/v1/workers/{first['id']}/erasure", headers=login(client, "admin"))
    assert erased.status_code == 201
    again = register(
        client, users["petugas"], nik=nik_for(BORN, serial=5432), full_name="Siti Aminah"
    )
    assert again["possible_duplicates"] == []
