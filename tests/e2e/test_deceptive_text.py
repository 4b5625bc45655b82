"""Names that display as something else (issue 16, item 12), through the real app on both
backends: the API refuses direction controls and zero-width characters in names and other
short text, and pages isolate what people typed, so an event recorded before the rule (or a
note, where such characters are still allowed) cannot turn the page around it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

import domain.worker
from infrastructure.bootstrap import Runtime
from interfaces.web.isolation import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE
from tests.e2e.test_imports_web import upload
from tests.spreadsheets import WORKER_HEADER, csv_file
from tests.support import (
    DEPARTURE,
    OTHER_VILLAGE,
    VILLAGE,
    create_user,
    journey_body,
    login,
    nik_for,
    worker_body,
)
from tests.web import Person

#: The issue's example: shows as "abcexe.jpg" in a list, with an invisible tail.
DECEPTIVE = "abc\u202egpj.exe\u200b"
Headers = dict[str, str]


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> Headers:
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "auditor", "auditor")
    coordinator = login(client, "koordinator.malang")
    designated = client.post(
        "/v1/villages", json={"village_code": VILLAGE, "cohort_year": 2018}, headers=coordinator
    )
    assert designated.status_code == 201, designated.text
    return login(client, "petugas.ternyang")


def _refused(response: Any, field: str) -> str:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert [item["field"] for item in error["details"]["fields"]] == [field]
    return str(error["details"]["fields"][0]["message"])


def test_names_and_short_text_with_direction_or_invisible_characters_are_refused(
    client: TestClient, officer: Headers
) -> None:
    english = _refused(
        client.post("/v1/workers", json=worker_body(full_name=DECEPTIVE), headers=officer),
        "full_name",
    )
    assert english == "must not contain invisible or direction-changing characters"
    indonesian = _refused(
        client.post(
            "/v1/workers",
            json=worker_body(full_name=DECEPTIVE),
            headers={**officer, "Accept-Language": "id"},
        ),
        "full_name",
    )
    assert indonesian == "tidak boleh berisi karakter tak terlihat atau pengubah arah teks"

    worker = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    dependent = {"name": "Budi\u200d", "birth_date": "2015-03-02", "relationship": "child"}
    _refused(
        client.post(f"/v1/workers/{worker}/dependents", json=dependent, headers=officer), "name"
    )
    _refused(
        client.post(
            "/v1/journeys", json=journey_body(worker, occupation="care\u2067giver"), headers=officer
        ),
        "occupation",
    )
    coop = {
        "name": f"Koperasi {DECEPTIVE}",
        "village_code": VILLAGE,
        "established_on": "2019-03-01",
    }
    _refused(client.post("/v1/cooperatives", json=coop, headers=officer), "name")
    activity = {
        "pillar": "migration_service",
        "held_on": "2024-05-02",
        "title": "Sosialisasi\ufeff",
        "participants": 20,
    }
    _refused(
        client.post(f"/v1/villages/{VILLAGE}/activities", json=activity, headers=officer), "title"
    )


def _isolated_everywhere(html: str, value: str) -> int:
    """Every place ``value`` shows is inside ``<bdi>`` (the body) or between FSI and PDI (the
    title); answers how many places there are."""
    places = [match.start() for match in re.finditer(re.escape(value), html)]
    for start in places:
        before = html[max(0, start - 5) : start]
        after = html[start + len(value) : start + len(value) + 6]
        in_body = before == "<bdi>" and after == "</bdi>"
        in_title = before.endswith(FIRST_STRONG_ISOLATE) and after.startswith(
            POP_DIRECTIONAL_ISOLATE
        )
        assert in_body or in_title, html[max(0, start - 200) : start + 200]
    return len(places)


def test_a_name_recorded_before_the_rule_still_loads_and_shows_isolated(
    client: TestClient, officer: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as before_the_rule:  # as an older version recorded it
        before_the_rule.setattr(domain.worker, "_name", lambda value, field: value)
        registered = client.post(
            "/v1/workers", json=worker_body(full_name=DECEPTIVE), headers=officer
        )
    assert registered.status_code == 201, registered.text
    worker = registered.json()["id"]
    assert client.get(f"/v1/workers/{worker}", headers=officer).json()["full_name"] == DECEPTIVE
    journey = client.post("/v1/journeys", json=journey_body(worker), headers=officer).json()["id"]
    note = "catatan \u202eterbalik"  # notes are free text: still accepted, shown isolated
    checked = client.post(
        f"/v1/journeys/{journey}/counselling",
        json={"topics": ["safe_migration"], "occurred_on": "2024-01-02"},
        headers=officer,
    )
    assert checked.status_code == 201, checked.text
    indication = client.post(
        f"/v1/journeys/{journey}/indications",
        json={"indicators": ["unlicensed_recruiter"], "note": note, "occurred_on": "2024-01-03"},
        headers=officer,
    )
    assert indication.status_code == 201, indication.text

    person = Person(client)
    person.login("petugas.ternyang")
    pages = {
        "/workers": 1,
        f"/workers/{worker}": 2,  # title, heading
        f"/journeys/{journey}": 3,  # title, heading, facts
        f"/journeys/{journey}/summary": 2,
    }
    for path, places in pages.items():
        page = person.get(path)
        assert page.status_code == 200, path
        assert _isolated_everywhere(page.text, DECEPTIVE) == places, path
    assert _isolated_everywhere(person.get(f"/journeys/{journey}").text, note) == 1

    person.login("auditor")
    for stream in (worker, journey):
        timeline = person.get(f"/audit/streams/{stream}")
        assert timeline.status_code == 200
        shown = DECEPTIVE if stream == worker else note
        assert _isolated_everywhere(timeline.text, shown) >= 1


def _api(client: TestClient, headers: Headers, path: str, body: dict[str, Any]) -> Any:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, (path, response.text)
    return response.json()


def test_the_newer_pages_show_names_isolated_too(
    client: TestClient, app_runtime: Runtime, officer: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today's tasks, the transfers inbox, a referral letter, the registration form's
    warning, the coordinators' possible duplicates, a reconciliation and an import's dry run
    each show a worker's name (or, the import, none): never raw."""
    create_user(app_runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,))
    coordinator = login(client, "koordinator.malang")
    _api(client, coordinator, "/v1/villages", {"village_code": OTHER_VILLAGE, "cohort_year": 2019})
    born = date(1994, 6, 9)
    nik, near_nik, other_nik = (nik_for(born, "P", serial=s) for s in (4711, 4712, 4719))
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(domain.worker, "_name", lambda value, field: value)
        worker = _api(client, officer, "/v1/workers", worker_body(
            nik=nik, full_name=DECEPTIVE, birth_date=born.isoformat()))["id"]  # fmt: skip
        moving = _api(client, officer, "/v1/workers", worker_body(
            nik=other_nik, full_name=DECEPTIVE, birth_date=born.isoformat()))["id"]  # fmt: skip
    journey = _api(client, officer, "/v1/journeys", journey_body(worker))["id"]
    _api(client, officer, f"/v1/journeys/{journey}/departure", DEPARTURE)  # a check falls due
    agency = _api(client, coordinator, "/v1/agencies",
                  {"name": "Disnaker Malang", "kind": "disnaker", "region_code": "35.07"})  # fmt: skip
    consent = {"given": True, "by": "worker", "on": "2024-05-01"}
    _api(client, officer, f"/v1/journeys/{journey}/referrals", {
        "service": "wage_claim", "agency_id": agency["agency_id"], "reason": "Gaji",
        "consent": consent})  # fmt: skip
    moved = _api(client, officer, f"/v1/workers/{moving}/transfers",
                 {"to_village_code": OTHER_VILLAGE, "reason": "menikah"})  # fmt: skip
    for name in ("agenda", "transfers"):
        assert app_runtime.read_models.wait_for(name, moved["position"], 10), name

    person = Person(client)
    person.login("petugas.ternyang")
    pages = {
        "/agenda": person.get("/agenda"),
        "letter": person.get(f"/journeys/{journey}/referrals/1/letter"),
    }
    warned = person.submit("/workers/new", "/workers/new", {
        "nik": near_nik, "full_name": "Sri Wahyuni", "sex": "P",
        "birth_date": born.isoformat(), "village_code": VILLAGE})  # fmt: skip
    assert 'id="register-duplicates"' in warned.text
    pages["registration warning"] = warned
    national = [("NIK", "Nama", "Tanggal Berangkat", "Negara Tujuan", "P3MI"),
                (nik, "Siti", "01/03/2024", "Taiwan", "PT Contoh Penempatan")]  # fmt: skip
    pages["reconciliation"] = upload(person, "/reconciliations", csv_file(national))
    # The listed name differs, which the page says without either name (it was a 500).
    assert "<li>nama</li>" in pages["reconciliation"].text
    person.login("koordinator.malang")
    pages["/duplicates"] = person.get("/duplicates")
    person.login("petugas.senggreng")
    pages["/transfers"] = person.get("/transfers")
    for page, answer in pages.items():
        assert answer.status_code == 200, (page, answer.text[-2000:])
        assert _isolated_everywhere(answer.text, DECEPTIVE) >= 1, page

    person.login("petugas.ternyang")
    row = (near_nik, "Sri Wahyuni", "P", born.isoformat(), VILLAGE, "")
    dry_run = upload(person, "/imports", csv_file([WORKER_HEADER, row]), kind="workers")
    assert dry_run.status_code == 200
    assert f'href="/workers/{worker}"' in dry_run.text  # a possible duplicate, named by link
    assert _isolated_everywhere(dry_run.text, DECEPTIVE) == 0
