"""Identity numbers on pages (issue 16, item 13), through the real app on both backends: the
KTP number is the NIK, so it and every document number that identifies the person (KK,
passport, visa, E-PMI, BPJS, other) are masked wherever the NIK is: the worker page, the
case history, the correction form and the auditors' timeline. Showing one in full is a POST
of its own, written to the access log. The API is for scripts and auditors' tools and keeps
full numbers."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from domain.identity_numbers import masked
from infrastructure.bootstrap import Runtime
from tests.support import (
    OTHER_VILLAGE,
    VILLAGE,
    create_user,
    document_body,
    journey_body,
    login,
    nik_for,
    worker_body,
)
from tests.web import Person, hidden_fields

Headers = dict[str, str]
PASSPORT = "C1234567"
CONTRACT = "PK-2024/0815"  # a contract's reference number, not the person's: shown


@pytest.fixture
def case(client: TestClient, app_runtime: Runtime) -> dict[str, Any]:
    """A worker whose journey holds their KTP (number: the NIK), passport and contract."""
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,))
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "admin", "admin")
    officer = login(client, "petugas.ternyang")
    nik = nik_for(date(1995, 7, 5), "P")
    worker = client.post("/v1/workers", json=worker_body(nik=nik), headers=officer).json()["id"]
    journey = client.post("/v1/journeys", json=journey_body(worker), headers=officer).json()["id"]
    versions = {}
    for kind, number in (("ktp", nik), ("passport", PASSPORT), ("work_contract", CONTRACT)):
        recorded = client.post(
            f"/v1/journeys/{journey}/documents",
            json=document_body(kind, number=number),
            headers=officer,
        )
        assert recorded.status_code == 201, recorded.text
        versions[kind] = recorded.json()["version"]
    return {
        "nik": nik,
        "worker": worker,
        "journey": journey,
        "versions": versions,
        "officer": officer,
    }


def reveals(client: TestClient, username: str) -> list[str | None]:
    auditor = login(client, "auditor")
    entries = client.get(f"/v1/audit/access-log?username={username}&limit=1000", headers=auditor)
    assert entries.status_code == 200
    return [
        item["subject_id"]
        for item in entries.json()["items"]
        if item["action"] == "reveal_identity_number"
    ]


def test_the_case_history_masks_identity_numbers_until_one_is_asked_for(
    client: TestClient, case: dict[str, Any]
) -> None:
    officer = Person(client)
    officer.login("petugas.ternyang")
    page = officer.get(f"/journeys/{case['journey']}")
    assert page.status_code == 200
    assert case["nik"] not in page.text
    assert PASSPORT not in page.text
    assert masked(case["nik"]) in page.text
    assert masked(PASSPORT) in page.text
    assert CONTRACT in page.text
    assert reveals(client, "petugas.ternyang") == []

    ktp = f"/journeys/{case['journey']}/documents/1/number"
    passport = f"/journeys/{case['journey']}/documents/2/number"
    assert f'action="{passport}"' in page.text
    assert "/documents/3/number" not in page.text  # nothing to show for the contract
    shown = officer.send(page.text, ktp, {})
    assert shown.status_code == 200
    assert case["nik"] in shown.text
    assert PASSPORT not in shown.text  # one number at a time
    assert reveals(client, "petugas.ternyang") == [case["worker"]]

    # A link cannot do it (GET), nor a form without this session's token.
    assert officer.get(ktp).status_code in (404, 405)
    assert officer.client.post(ktp).status_code == 403
    # Outside the officer's scope the case does not exist.
    other = Person(client)
    other.login("petugas.senggreng")
    token = hidden_fields(other.get("/workers/new").text, "/workers/new")["csrf_token"]
    refused = other.client.post(ktp, data={"csrf_token": token})
    assert refused.status_code == 404
    assert case["nik"] not in refused.text
    assert reveals(client, "petugas.senggreng") == []
    # Admins read no case data, and only auditors open a history.
    admin = Person(client)
    admin.login("admin")
    token = hidden_fields(admin.get("/").text, "/logout")["csrf_token"]
    for path in (ktp, f"/workers/{case['worker']}/nik"):
        assert admin.client.post(path, data={"csrf_token": token}).status_code == 403
    history = f"/audit/streams/{case['journey']}/identity-numbers"
    token = hidden_fields(officer.get("/workers/new").text, "/workers/new")["csrf_token"]
    assert (
        officer.client.post(history, data={"csrf_token": token, "version": "2"}).status_code == 403
    )
    assert reveals(client, "admin") == reveals(client, "petugas.ternyang")[1:] == []


def test_the_worker_page_shows_the_nik_in_full_only_when_asked(
    client: TestClient, case: dict[str, Any]
) -> None:
    officer = Person(client)
    officer.login("petugas.ternyang")
    page = officer.get(f"/workers/{case['worker']}")
    assert case["nik"] not in page.text
    assert masked(case["nik"]) in page.text
    shown = officer.send(page.text, f"/workers/{case['worker']}/nik", {})
    assert shown.status_code == 200
    assert case["nik"] in shown.text
    assert reveals(client, "petugas.ternyang") == [case["worker"]]


def test_a_correction_form_keeps_an_identity_number_it_does_not_show(
    client: TestClient, case: dict[str, Any]
) -> None:
    officer = Person(client)
    officer.login("petugas.ternyang")
    path = f"/journeys/{case['journey']}/corrections/{case['versions']['ktp']}"
    form = officer.get(path)
    assert form.status_code == 200
    assert case["nik"] not in form.text
    assert masked(case["nik"]) in form.text
    fields = {"kind": "ktp", "issued_on": "2024-01-11", "expires_on": "2034-01-10"}
    done = officer.send(
        form.text, path, {**fields, "occurred_on": "2024-01-15", "number": "", "reason": "tgl"}
    )
    assert done.status_code == 200, done.text[-2000:]
    journey = client.get(f"/v1/journeys/{case['journey']}", headers=case["officer"]).json()
    ktp = next(d for d in journey["documents"] if d["kind"] == "ktp")
    assert ktp["number"] == case["nik"]  # the API gives the number whole
    assert ktp["issued_on"] == "2024-01-11"


def _card(html: str, version: int) -> str:
    start = html.index(f'id="v{version}"')
    return html[start : html.index("</article>", start)]


def test_the_auditors_timeline_masks_identity_numbers_and_the_api_stream_does_not(
    client: TestClient, case: dict[str, Any]
) -> None:
    corrected = client.post(
        f"/v1/journeys/{case['journey']}/corrections",
        json={
            "corrects_version": case["versions"]["passport"],
            "reason": "salah ketik",
            "changes": {"number": "C7654321"},
        },
        headers=case["officer"],
    )
    assert corrected.status_code == 201, corrected.text
    auditor = Person(client)
    auditor.login("auditor")
    for stream in (case["worker"], case["journey"]):
        page = auditor.get(f"/audit/streams/{stream}")
        assert page.status_code == 200
        assert case["nik"] not in page.text
        assert masked(case["nik"]) in page.text
    timeline = auditor.get(f"/audit/streams/{case['journey']}").text
    for secret in (PASSPORT, "C7654321"):
        assert secret not in timeline
    assert CONTRACT in timeline
    assert reveals(client, "auditor") == []

    action = f"/audit/streams/{case['journey']}/identity-numbers"
    version = case["versions"]["passport"]
    start = timeline.index(f'id="v{version}"')
    shown = auditor.send(timeline[start:], action, {})
    assert shown.status_code == 200
    assert PASSPORT in _card(shown.text, version)
    assert case["nik"] not in shown.text  # only the event asked for
    assert "C7654321" not in shown.text
    assert reveals(client, "auditor") == [case["journey"]]

    stream = client.get(f"/v1/audit/streams/{case['journey']}", headers=login(client, "auditor"))
    numbers = [e["data"].get("number") for e in stream.json()["events"]]
    assert case["nik"] in numbers
    assert PASSPORT in numbers
    assert re.search(r'"personal_changes":\{"number":"C7654321"\}', stream.text)
