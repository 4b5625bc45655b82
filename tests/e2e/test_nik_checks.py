"""Whether a NIK is registered anywhere is not free to learn (issue 16, item 8), through the
real app on both backends: a registration conflict outside the caller's scope names no one,
every NIK existence check (registration conflict, lookup, the web's live check, the
registration form's duplicate warning, an import) is in the access log, hit or miss and without the NIK, and each user has an hourly allowance of them,
beyond which the answer is 429 with Retry-After."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from infrastructure.settings import Settings
from tests.spreadsheets import WORKER_HEADER, csv_file
from tests.support import (
    FAR_VILLAGE,
    VILLAGE,
    create_user,
    login,
    make_settings,
    nik_for,
    worker_body,
)
from tests.web import Person, field_errors, hidden_fields

Headers = dict[str, str]
#: A small allowance, so that the tests can spend it.
ALLOWANCE = 4


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path).model_copy(
        update={"nik_checks_per_hour": ALLOWANCE}
    )


@pytest.fixture
def people(client: TestClient, app_runtime: Runtime) -> dict[str, Headers]:
    users = {
        "petugas.ternyang": ("officer", (VILLAGE,)),
        "petugas.jauh": ("officer", (FAR_VILLAGE,)),
        "koordinator.malang": ("coordinator", ("35.07",)),
        "koordinator.cilacap": ("coordinator", ("33.01",)),
        "auditor": ("auditor", ()),
    }
    for username, (role, regions) in users.items():
        create_user(app_runtime, username, role, regions)
    return {username: login(client, username) for username in users}


def far_worker(client: TestClient, people: dict[str, Headers]) -> tuple[str, dict[str, Any]]:
    """A worker of Cilacap (Jawa Tengah), registered there by its own officer."""
    birth = date(1990, 4, 3)
    body = worker_body(
        nik=nik_for(birth, "L", district="330101"),
        sex="L",
        birth_date=birth.isoformat(),
        village_code=FAR_VILLAGE,
        full_name="Budi Santoso",
    )
    response = client.post("/v1/workers", json=body, headers=people["petugas.jauh"])
    assert response.status_code == 201, response.text
    return str(response.json()["id"]), body


def access_log(client: TestClient, people: dict[str, Headers], username: str) -> list[Any]:
    response = client.get(
        f"/v1/audit/access-log?username={username}&limit=1000", headers=people["auditor"]
    )
    assert response.status_code == 200, response.text
    return [item for item in response.json()["items"] if item["action"].startswith("nik_check")]


def test_a_registration_conflict_outside_the_scope_names_no_one(
    client: TestClient, people: dict[str, Headers]
) -> None:
    worker_id, body = far_worker(client, people)
    again = {**body, "village_code": VILLAGE}
    for username in ("petugas.ternyang", "koordinator.malang"):
        refused = client.post("/v1/workers", json=again, headers=people[username])
        assert refused.status_code == 409, refused.text
        error = refused.json()["error"]
        assert error["code"] == "worker_registered_elsewhere"
        assert error["details"] == {}
        assert "coordinator" in error["message"]
        assert worker_id not in refused.text
        assert body["nik"] not in refused.text
    indonesian = client.post(
        "/v1/workers", json=again, headers={**people["petugas.ternyang"], "Accept-Language": "id"}
    )
    assert "wilayah lain" in indonesian.json()["error"]["message"]

    # Whoever may read the worker is told which record it is.
    here = {**body, "village_code": FAR_VILLAGE}
    for username in ("petugas.jauh", "koordinator.cilacap"):
        refused = client.post("/v1/workers", json=here, headers=people[username])
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "worker_already_registered"
        assert refused.json()["error"]["details"]["existing_id"] == worker_id

    # A registration refused for another reason says nothing about the NIK.
    wrong = client.post(
        "/v1/workers",
        json={**again, "birth_date": "1990-04-04"},
        headers=people["petugas.ternyang"],
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["details"]["fields"][0]["field"] == "birth_date"


def test_every_nik_check_is_in_the_access_log_hit_or_miss_without_the_nik(
    client: TestClient, people: dict[str, Headers]
) -> None:
    worker_id, body = far_worker(client, people)
    officer = people["petugas.ternyang"]
    unknown = nik_for(date(1993, 2, 1), "L")
    found_nowhere = client.post("/v1/workers/lookup", json={"nik": unknown}, headers=officer)
    assert found_nowhere.status_code == 404
    # Outside the scope a lookup finds nothing either, and cannot tell the two apart ...
    outside = client.post("/v1/workers/lookup", json={"nik": body["nik"]}, headers=officer)
    assert outside.status_code == 404
    assert outside.json() == found_nowhere.json()
    conflict = client.post("/v1/workers", json={**body, "village_code": VILLAGE}, headers=officer)
    assert conflict.status_code == 409
    # ... but the auditor sees whom each check found.
    entries = access_log(client, people, "petugas.ternyang")
    assert [(e["action"], e["subject_id"], e["route"]) for e in entries] == [
        ("nik_check", None, "/v1/workers/lookup"),
        ("nik_check", worker_id, "/v1/workers/lookup"),
        ("nik_check", worker_id, "/v1/workers"),
    ]
    every_value = str(access_log(client, people, "petugas.jauh")) + str(entries)
    assert body["nik"] not in every_value
    assert unknown not in every_value
    # The far officer's own registration was a check too (a miss: the NIK was free).
    assert [(e["action"], e["subject_id"]) for e in access_log(client, people, "petugas.jauh")] == [
        ("nik_check", None)
    ]


def test_nik_checks_beyond_the_hourly_allowance_are_refused_with_retry_after(
    client: TestClient, people: dict[str, Headers]
) -> None:
    worker_id, body = far_worker(client, people)
    officer = people["petugas.ternyang"]
    for _ in range(ALLOWANCE - 1):
        lookup = client.post("/v1/workers/lookup", json={"nik": body["nik"]}, headers=officer)
        assert lookup.status_code == 404
    conflict = client.post("/v1/workers", json={**body, "village_code": VILLAGE}, headers=officer)
    assert conflict.status_code == 409  # the last check of the allowance

    for probe in (
        client.post("/v1/workers/lookup", json={"nik": body["nik"]}, headers=officer),
        client.post("/v1/workers", json={**body, "village_code": VILLAGE}, headers=officer),
        client.post(
            "/v1/workers",
            json=worker_body(),  # a NIK nobody holds: refused as well, before looking
            headers={**officer, "Accept-Language": "id"},
        ),
    ):
        assert probe.status_code == 429, probe.text
        error = probe.json()["error"]
        assert set(error) == {"code", "message", "details"}
        assert error["code"] == "too_many_nik_checks"
        wait = int(probe.headers["Retry-After"])
        assert 0 < wait <= 3600
        assert error["details"]["retry_after"] == wait
    assert error["message"] == f"Terlalu banyak pemeriksaan NIK; coba lagi dalam {wait} detik."
    entries = access_log(client, people, "petugas.ternyang")
    assert [e["action"] for e in entries].count("nik_check") == ALLOWANCE
    assert [e["action"] for e in entries].count("nik_check_refused") == 3

    # The allowance is the officer's own: others check on.
    other = client.post(
        "/v1/workers/lookup", json={"nik": body["nik"]}, headers=people["koordinator.cilacap"]
    )
    assert other.status_code == 200
    assert other.json()["id"] == worker_id


def test_registrations_that_create_a_worker_spend_no_allowance(
    client: TestClient, people: dict[str, Headers]
) -> None:
    officer = people["petugas.ternyang"]
    for _ in range(ALLOWANCE * 2):
        registered = client.post("/v1/workers", json=worker_body(), headers=officer)
        assert registered.status_code == 201, registered.text
    lookup = client.post(
        "/v1/workers/lookup", json={"nik": nik_for(date(1993, 2, 1), "L")}, headers=officer
    )
    assert lookup.status_code == 404


def _live_check(person: Person, nik: str) -> Any:
    token = hidden_fields(person.get("/workers/new").text, "/workers/new")["csrf_token"]
    return person.client.post(
        "/workers/check-nik",
        data={"nik": nik},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )


def test_the_web_says_registered_elsewhere_and_counts_its_live_checks(
    client: TestClient, people: dict[str, Headers]
) -> None:
    worker_id, body = far_worker(client, people)
    officer = Person(client)
    officer.login("petugas.ternyang")
    elsewhere = _live_check(officer, body["nik"])
    assert elsewhere.status_code == 200
    assert "Sudah terdaftar di wilayah lain" in elsewhere.text
    assert worker_id not in elsewhere.text
    form = {
        "nik": body["nik"],
        "full_name": "Budi Santoso",
        "sex": "L",
        "birth_date": body["birth_date"],
        "village_code": VILLAGE,
    }
    saved = officer.submit("/workers/new", "/workers/new", form)
    assert saved.status_code == 409
    assert field_errors(saved.text)["register-nik"].startswith("Sudah terdaftar di wilayah lain")
    assert worker_id not in saved.text
    for _ in range(ALLOWANCE - 2):
        assert _live_check(officer, body["nik"]).status_code == 200
    limited = _live_check(officer, body["nik"])
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 3600
    assert "Terlalu banyak pemeriksaan NIK" in limited.text
    refused = officer.submit("/workers/new", "/workers/new", form)
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert field_errors(refused.text)["register-nik"].startswith("Terlalu banyak pemeriksaan NIK")
    found = officer.submit("/workers", "/workers/find", {"nik": body["nik"]})
    assert found.status_code == 429
    entries = [(e["action"], e["route"]) for e in access_log(client, people, "petugas.ternyang")]
    assert entries == [
        ("nik_check", "/workers/check-nik"),
        ("nik_check", "/workers/new"),
        *[("nik_check", "/workers/check-nik")] * (ALLOWANCE - 2),
        ("nik_check_refused", "/workers/check-nik"),
        ("nik_check_refused", "/workers/new"),
        ("nik_check_refused", "/workers/find"),
    ]


def test_a_registration_that_loses_a_race_names_no_one_outside_the_scope(
    client: TestClient,
    people: dict[str, Headers],
    app_runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both registrations checked the NIK before either was saved: the keyed NIK index
    refuses the second in the events' transaction, and its 409 follows the same rule."""
    worker_id, body = far_worker(client, people)
    monkeypatch.setattr(app_runtime.app, "_nik_owner", lambda *args, **kwargs: None)
    lost = client.post(
        "/v1/workers", json={**body, "village_code": VILLAGE}, headers=people["petugas.ternyang"]
    )
    assert lost.status_code == 409, lost.text
    assert lost.json()["error"]["code"] == "worker_registered_elsewhere"
    assert worker_id not in lost.text
    here = client.post("/v1/workers", json=body, headers=people["koordinator.cilacap"])
    assert here.status_code == 409
    assert here.json()["error"]["details"]["existing_id"] == worker_id


def _person(serial: int, district: str = "350712") -> tuple[str, date]:
    born = date(1985, 1 + serial % 12, 2 + serial % 20)
    return nik_for(born, "L", district=district, serial=7300 + serial), born


def _registered_far(client: TestClient, people: dict[str, Headers], count: int) -> list[str]:
    """NIKs of workers registered in Cilacap by its own officer."""
    niks = []
    for serial in range(count):
        nik, born = _person(serial, district="330101")
        body = worker_body(nik=nik, sex="L", birth_date=born.isoformat(),
                           village_code=FAR_VILLAGE, full_name=f"Warga Cilacap {serial}")  # fmt: skip
        response = client.post("/v1/workers", json=body, headers=people["petugas.jauh"])
        assert response.status_code == 201, response.text
        niks.append(nik)
    return niks


def _import_row(nik: str, serial: int) -> tuple[str, ...]:
    born = _person(serial)[1]
    return (nik, f"Warga {serial}", "L", born.strftime("%d/%m/%Y"), VILLAGE, "")


def test_an_imports_nik_checks_are_logged_counted_and_tell_nothing_once_spent(
    client: TestClient, people: dict[str, Headers]
) -> None:
    """A row registering a NIK that another area holds is a NIK check like a registration
    conflict: logged, counted. Once the allowance is spent, a row of such a NIK and a row
    of a NIK registered nowhere read alike, or the import would answer what the allowance
    withholds (a 'spent' answer came only for NIKs registered elsewhere)."""
    elsewhere = _registered_far(client, people, ALLOWANCE + 2)
    free = [_person(serial)[0] for serial in range(10, 13)]
    serials = [*range(ALLOWANCE), 10, ALLOWANCE, 11, 12, ALLOWANCE + 1]  # 10-12: free
    order = [free[serial - 10] if serial >= 10 else elsewhere[serial] for serial in serials]
    rows = [WORKER_HEADER, *(_import_row(nik, n) for nik, n in zip(order, serials, strict=True))]
    officer = people["petugas.ternyang"]
    answer = client.post(
        "/v1/imports",
        files={"file": ("data.csv", csv_file(rows), "text/csv")},
        data={"kind": "workers"},
        headers=officer,
    )
    assert answer.status_code == 201, answer.text
    codes = {error["row"]: error["code"] for error in answer.json()["errors"]}
    spent_from = ALLOWANCE + 2  # the first row after the allowance's (rows start at 2)
    assert [codes.get(row) for row in range(2, spent_from)] == [
        "worker_registered_elsewhere"
    ] * ALLOWANCE
    assert [codes.get(row) for row in range(spent_from, len(rows) + 1)] == ["nik_checks_spent"] * (
        len(order) - ALLOWANCE
    )
    for nik in (*elsewhere, *free):
        assert nik not in answer.text

    entries = access_log(client, people, "petugas.ternyang")
    assert [e["action"] for e in entries] == ["nik_check"] * len(order)
    assert sum(1 for e in entries if e["subject_id"] is None) == len(free)
    assert all(e["route"] == "/v1/imports" for e in entries)
    assert not any(nik in str(entries) for nik in (*elsewhere, *free))
    # One allowance for every way of asking.
    lookup = client.post("/v1/workers/lookup", json={"nik": elsewhere[0]}, headers=officer)
    assert lookup.status_code == 429


def test_the_registration_forms_duplicate_warning_is_a_logged_nik_check(
    client: TestClient, people: dict[str, Headers]
) -> None:
    """The form asks for possible duplicates before it saves: that question looks the NIK
    up, so it is in the access log (a miss too) and a NIK held elsewhere spends the
    allowance there, before any warning is shown."""
    officer_api = people["petugas.ternyang"]
    born = date(1991, 8, 3)
    mine = worker_body(nik=nik_for(born, "L", serial=7501), full_name="Agus Salim",
                       sex="L", birth_date=born.isoformat())  # fmt: skip
    assert client.post("/v1/workers", json=mine, headers=officer_api).status_code == 201
    officer = Person(client)
    officer.login("petugas.ternyang")
    near = {**mine, "nik": nik_for(born, "L", serial=7502), "phone": ""}
    warned = officer.submit("/workers/new", "/workers/new", near)
    assert warned.status_code == 200
    assert 'id="register-duplicates"' in warned.text
    _, far = far_worker(client, people)
    form = {**near, "nik": far["nik"], "birth_date": far["birth_date"]}
    elsewhere = officer.submit("/workers/new", "/workers/new", form)
    assert elsewhere.status_code == 409
    assert 'id="register-duplicates"' not in elsewhere.text
    entries = [(e["action"], e["route"], e["subject_id"] is None)
               for e in access_log(client, people, "petugas.ternyang")]  # fmt: skip
    assert entries == [
        ("nik_check", "/v1/workers", True),  # the registration of Agus Salim
        ("nik_check", "/workers/new", True),  # the warning: a miss, logged
        ("nik_check", "/workers/new", False),  # held in Cilacap: logged and counted
    ]
    for _ in range(ALLOWANCE - 1):
        assert (
            client.post(
                "/v1/workers/lookup", json={"nik": far["nik"]}, headers=officer_api
            ).status_code
            == 404
        )
    spent = client.post("/v1/workers/lookup", json={"nik": far["nik"]}, headers=officer_api)
    assert spent.status_code == 429
