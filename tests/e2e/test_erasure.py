"""Erasure under UU 27/2022 through the real app: before, the data reads; after, it reads as
[erased] everywhere while history, counts and chains stay whole."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from infrastructure.bootstrap import Runtime
from tests import rawdb
from tests.support import VILLAGE, create_user, journey_body, login, nik_for, worker_body

Headers = dict[str, str]


@pytest.fixture
def people(client: TestClient, app_runtime: Runtime) -> dict[str, Headers]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "admin", "admin")
    create_user(app_runtime, "auditor", "auditor")
    return {n: login(client, n) for n in ("petugas.ternyang", "admin", "auditor")}


@pytest.fixture
def registered(client: TestClient, people: dict[str, Headers]) -> tuple[str, dict[str, str]]:
    body = worker_body(full_name="Dewi Lestari Wulandari")
    officer = people["petugas.ternyang"]
    worker_id = client.post("/v1/workers", json=body, headers=officer).json()["id"]
    client.post(
        f"/v1/workers/{worker_id}/dependents",
        json={"name": "Putri Anggraini", "birth_date": "2016-04-04", "relationship": "child"},
        headers=officer,
    )
    return str(worker_id), body


def test_an_erased_person_reads_as_erased_and_history_stays_whole(
    client: TestClient,
    app_runtime: Runtime,
    database_url: str,
    people: dict[str, Headers],
    registered: tuple[str, dict[str, str]],
) -> None:
    worker_id, body = registered
    officer, admin, auditor = people["petugas.ternyang"], people["admin"], people["auditor"]
    app_runtime.app.take_snapshot(__import__("uuid").UUID(worker_id))
    before = client.get(f"/v1/workers/{worker_id}", headers=officer).json()
    assert before["full_name"] == "Dewi Lestari Wulandari"

    erased = client.post(
        f"/v1/workers/{worker_id}/erasure", json={"reason": "request of the person"}, headers=admin
    )
    assert erased.status_code == 201, erased.text
    assert erased.json()["version"] == 3

    after = client.get(f"/v1/workers/{worker_id}", headers=officer).json()
    assert after["erased"] is True
    assert (after["nik"], after["full_name"], after["birth_date"], after["phone"]) == (
        "[erased]",
        "[erased]",
        None,
        None,
    )
    assert after["dependents"][0]["name"] == "[erased]"
    assert after["dependents"][0]["birth_date"] is None
    assert (
        client.post("/v1/workers/lookup", json={"nik": body["nik"]}, headers=officer).status_code
        == 404
    )

    stream = client.get(f"/v1/audit/streams/{worker_id}", headers=auditor).json()
    assert [e["type"] for e in stream["events"]] == [
        "Worker.Registered",
        "Worker.DependentAdded",
        "Worker.PersonalDataErased",
    ]
    assert stream["events"][0]["data"]["full_name"] == "[erased]"
    assert stream["events"][2]["data"]["reason"] == "request of the person"
    assert client.get("/v1/audit/verify", headers=auditor).json()["intact"] is True

    stored = rawdb.all_stored_bytes(database_url)
    for secret in (body["nik"], "Dewi Lestari Wulandari", "Putri Anggraini"):
        assert secret.encode() not in stored
    key_id = worker_id.replace("-", "") if database_url.startswith("sqlite") else worker_id
    assert rawdb.query(
        database_url, "SELECT COUNT(*) FROM jejak_snapshots WHERE originator_id = %s", (key_id,)
    ) == [(0,)]

    again = client.post(
        f"/v1/workers/{worker_id}/dependents",
        json={"name": "X", "birth_date": "2020-01-01", "relationship": "child"},
        headers=officer,
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "worker_erased"
    reregistered = client.post("/v1/workers", json=body, headers=officer)
    assert reregistered.status_code == 201
    assert reregistered.json()["id"] != worker_id


def test_a_legal_hold_blocks_erasure_until_lifted(
    client: TestClient, people: dict[str, Headers], registered: tuple[str, dict[str, str]]
) -> None:
    worker_id, _ = registered
    admin = people["admin"]
    held = client.post(
        f"/v1/workers/{worker_id}/legal-hold",
        json={"reason": "perkara TPPO No. 12/2026"},
        headers=admin,
    )
    assert held.status_code == 201
    refused = client.post(
        f"/v1/workers/{worker_id}/erasure", json={"reason": "request"}, headers=admin
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "under_legal_hold"
    view = client.get(f"/v1/workers/{worker_id}", headers=people["petugas.ternyang"]).json()
    assert view["legal_hold"] == "perkara TPPO No. 12/2026"
    assert view["erased"] is False
    lifted = client.post(
        f"/v1/workers/{worker_id}/legal-hold/lift", json={"reason": "case closed"}, headers=admin
    )
    assert lifted.status_code == 201
    assert (
        client.post(
            f"/v1/workers/{worker_id}/erasure", json={"reason": "request"}, headers=admin
        ).status_code
        == 201
    )
    lift_again = client.post(
        f"/v1/workers/{worker_id}/legal-hold/lift", json={"reason": "x"}, headers=admin
    )
    assert lift_again.status_code == 409


@pytest.mark.parametrize("who", ["petugas.ternyang", "auditor"])
def test_only_admins_erase_or_hold(
    client: TestClient, people: dict[str, Headers], registered: tuple[str, dict[str, str]], who: str
) -> None:
    worker_id, _ = registered
    for path in ("erasure", "legal-hold"):
        response = client.post(
            f"/v1/workers/{worker_id}/{path}", json={"reason": "x"}, headers=people[who]
        )
        assert response.status_code == 403


def test_an_interrupted_erasure_finishes_on_retry(
    client: TestClient,
    app_runtime: Runtime,
    people: dict[str, Headers],
    registered: tuple[str, dict[str, str]],
) -> None:
    """The event was recorded but the key not yet destroyed (a crash in between)."""
    import uuid

    from domain.worker import Worker

    worker_id, body = registered
    worker = app_runtime.app.repository.get(uuid.UUID(worker_id))
    assert isinstance(worker, Worker)
    worker.erase_personal_data(
        reason="request", actor=SYSTEM_PRINCIPAL.actor, occurred_on=worker.created_on.date()
    )
    app_runtime.app.save(worker)
    assert (
        client.get(f"/v1/workers/{worker_id}", headers=people["petugas.ternyang"]).json()["nik"]
        == "[erased]"
    )
    retry = client.post(
        f"/v1/workers/{worker_id}/erasure", json={"reason": "request"}, headers=people["admin"]
    )
    assert retry.status_code == 409
    stream = client.get(f"/v1/audit/streams/{worker_id}", headers=people["auditor"]).json()
    assert stream["events"][0]["data"]["full_name"] == "[erased]"
    assert (
        client.post(
            "/v1/workers/lookup", json={"nik": body["nik"]}, headers=people["petugas.ternyang"]
        ).status_code
        == 404
    )


def test_an_erasure_needs_no_body(
    client: TestClient, people: dict[str, Headers], registered: tuple[str, dict[str, str]]
) -> None:
    worker_id, _ = registered
    erased = client.post(f"/v1/workers/{worker_id}/erasure", headers=people["admin"])
    assert erased.status_code == 201, erased.text
    stream = client.get(f"/v1/audit/streams/{worker_id}", headers=people["auditor"]).json()
    assert stream["events"][-1]["data"]["reason"] == "request of the person concerned"


def test_late_retries_get_their_first_answer_and_bring_nothing_back(
    client: TestClient, people: dict[str, Headers]
) -> None:
    """A village device resending an old registration must not undo an erasure."""
    officer, admin = people["petugas.ternyang"], people["admin"]
    body = worker_body(full_name="Dewi Lestari Wulandari")
    first = client.post("/v1/workers", json=body, headers={**officer, "Idempotency-Key": "reg-1"})
    worker_id = first.json()["id"]
    erase = {**admin, "Idempotency-Key": "erase-1"}
    erased = client.post(f"/v1/workers/{worker_id}/erasure", json={"reason": "ybs"}, headers=erase)
    assert erased.status_code == 201

    again = client.post(f"/v1/workers/{worker_id}/erasure", json={"reason": "ybs"}, headers=erase)
    assert (again.status_code, again.json()) == (201, erased.json())
    resent = client.post("/v1/workers", json=body, headers={**officer, "Idempotency-Key": "reg-1"})
    assert (resent.status_code, resent.json()) == (201, first.json())

    assert (
        client.post("/v1/workers/lookup", json={"nik": body["nik"]}, headers=officer).status_code
        == 404
    )
    stream = client.get(f"/v1/audit/streams/{worker_id}", headers=people["auditor"]).json()
    assert [e["type"] for e in stream["events"]] == [
        "Worker.Registered",
        "Worker.PersonalDataErased",
    ]


def test_facts_that_say_nothing_personal_are_still_recorded_after_erasure(
    client: TestClient, people: dict[str, Headers], registered: tuple[str, dict[str, str]]
) -> None:
    """An indication raised before the erasure can still be resolved; a new note about the
    person cannot be written, since their key is gone."""
    worker_id, _ = registered
    officer = people["petugas.ternyang"]
    journey = client.post("/v1/journeys", json=journey_body(worker_id), headers=officer).json()
    indication = client.post(
        f"/v1/journeys/{journey['id']}/indications",
        json={"indicators": ["excessive_fees"], "note": "diminta Rp 30 juta oleh calo"},
        headers=officer,
    ).json()["indication_id"]
    assert (
        client.post(f"/v1/workers/{worker_id}/erasure", headers=people["admin"]).status_code == 201
    )

    resolved = client.post(
        f"/v1/journeys/{journey['id']}/indications/{indication}/resolution",
        json={"outcome": "persuaded"},
        headers=officer,
    )
    assert resolved.status_code == 201, resolved.text
    noted = client.post(
        f"/v1/journeys/{journey['id']}/indications",
        json={"indicators": ["excessive_fees"], "note": "calo datang lagi"},
        headers=officer,
    )
    assert noted.status_code == 409
    assert noted.json()["error"]["code"] == "person_erased"
    read = client.get(f"/v1/journeys/{journey['id']}", headers=officer).json()
    assert read["indications"][0]["note"] == "[erased]"
    assert read["indications"][0]["resolution"]["outcome"] == "persuaded"


def test_a_family_member_of_a_cooperative_can_be_erased_and_the_books_stay_whole(
    client: TestClient,
    database_url: str,
    people: dict[str, Headers],
    registered: tuple[str, dict[str, str]],
) -> None:
    """UU 27/2022 covers family and community members, who have no worker record."""
    worker_id, _ = registered
    officer, admin, auditor = people["petugas.ternyang"], people["admin"], people["auditor"]
    coop = client.post(
        "/v1/cooperatives",
        json={"name": "Koperasi", "village_code": VILLAGE, "established_on": "2019-03-01"},
        headers=officer,
    ).json()["id"]
    nik = nik_for(date(1990, 2, 3), "P")
    member = client.post(
        f"/v1/cooperatives/{coop}/members",
        json={"person": {"name": "Rahayu Ningsih", "nik": nik}, "kind": "family"},
        headers=officer,
    ).json()["member_id"]
    worker_member = client.post(
        f"/v1/cooperatives/{coop}/members",
        json={"worker_id": worker_id, "kind": "community"},
        headers=officer,
    ).json()["member_id"]
    client.post(
        f"/v1/cooperatives/{coop}/savings",
        json={"member_id": member, "kind": "pokok", "amount": 100_000},
        headers=officer,
    )
    path = f"/v1/cooperatives/{coop}/members/{member}/erasure"
    assert client.post(path, headers=officer).status_code == 403

    erased = client.post(path, headers=admin)
    assert erased.status_code == 201, erased.text
    books = client.get(f"/v1/cooperatives/{coop}", headers=officer).json()
    row = next(m for m in books["members"] if m["member_id"] == member)
    assert row["name"] == "[erased]"
    assert row["nik"] in (None, "[erased]")
    assert row["balances"]["pokok"] == 100_000
    keys = rawdb.query(
        database_url,
        "SELECT wrapped_key, destroyed_at FROM jejak_data_keys WHERE subject_id = %s",
        [member],
    )
    assert len(keys) == 1
    assert keys[0][0] is None
    assert keys[0][1] is not None
    assert client.get("/v1/audit/verify", headers=auditor).json()["failed"] == []

    again = client.post(path, headers=admin)
    assert again.json()["error"]["code"] == "member_already_erased"
    as_worker = client.post(
        f"/v1/cooperatives/{coop}/members/{worker_member}/erasure", headers=admin
    )
    assert as_worker.status_code == 409
    assert as_worker.json()["error"]["code"] == "member_is_a_worker"
