"""Imports, reconciliation and possible duplicates on the web pages, on both backends."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.spreadsheets import WORKER_HEADER, csv_file
from tests.support import VILLAGE, create_user, journey_body, nik_for, personal, worker_body
from tests.web import Person, hidden_fields

BORN = date(1994, 6, 9)


@pytest.fixture
def people(app_runtime: Runtime) -> Runtime:
    create_user(app_runtime, "petugas", "officer", (VILLAGE,))
    create_user(app_runtime, "koordinator", "coordinator", ("35.07",))
    create_user(app_runtime, "auditor", "auditor")
    return app_runtime


def person(client: TestClient, username: str) -> Person:
    someone = Person(client)
    assert someone.login(username).status_code == 200
    return someone


def head(runtime: Runtime) -> int:
    return int(runtime.app.recorder.max_notification_id() or 0)


def upload(someone: Person, action: str, content: bytes, **data: str) -> object:
    page = someone.get(action)
    return someone.client.post(
        action,
        data={**hidden_fields(page.text, action), **data},
        files={"file": ("data.csv", content, "text/csv")},
    )


def test_an_officer_uploads_reads_the_dry_run_in_indonesian_and_commits(
    client: TestClient, people: Runtime
) -> None:
    officer = person(client, "petugas")
    good = (nik_for(BORN, "L", serial=1357), "Joko Susilo", "L", "9 Juni 1994", VILLAGE, "")
    bad = ("123", "Tanpa NIK", "L", "09/06/1994", VILLAGE, "")
    personal("Joko Susilo")
    before = head(people)
    page = upload(
        officer, "/imports", csv_file([WORKER_HEADER, good, bad], delimiter=";"), kind="workers"
    )
    assert page.status_code == 200  # type: ignore[attr-defined]
    html = page.text  # type: ignore[attr-defined]
    assert re.search(r"/imports/[0-9a-f-]{36}$", str(page.url))  # type: ignore[attr-defined]
    assert "Uji coba selesai" in html
    assert "NIK terdiri dari tepat 16 digit" in html
    assert head(people) == before
    action = re.search(r'action="(/imports/[0-9a-f-]{36}/commit)"', html)
    assert action, html
    done = officer.send(html, action.group(1), {})
    assert done.status_code == 200
    assert "Sudah dicatat." in done.text
    assert head(people) == before + 1


def test_a_file_that_is_no_spreadsheet_is_shown_on_the_form(
    client: TestClient, people: Runtime
) -> None:
    officer = person(client, "petugas")
    page = upload(officer, "/imports", b"\x89PNG\r\n\x1a\n\x00\x00", kind="workers")
    assert page.status_code == 415  # type: ignore[attr-defined]
    assert "bukan berkas CSV atau XLSX" in page.text  # type: ignore[attr-defined]


def test_auditors_do_not_import_but_download_nothing_they_cannot_use(
    client: TestClient, people: Runtime
) -> None:
    auditor = person(client, "auditor")
    assert auditor.get("/imports").status_code == 403
    officer = person(client, "petugas")
    template = officer.get("/imports/templates/workers")
    assert template.status_code == 200
    assert template.content.startswith(b"PK")


def test_the_registration_form_warns_of_a_possible_duplicate_before_saving(
    client: TestClient, people: Runtime
) -> None:
    officer = person(client, "petugas")
    first = {"nik": nik_for(BORN, "P", serial=2468), "full_name": "Siti Aminah", "sex": "P",
             "birth_date": BORN.isoformat(), "village_code": VILLAGE}  # fmt: skip
    saved = officer.submit("/workers/new", "/workers/new", first)
    first_id = re.search(r"/workers/([0-9a-f-]{36})", str(saved.url))
    assert first_id
    before = head(people)
    again = {**first, "nik": nik_for(BORN, "P", serial=8642), "full_name": "Siti Aminnah"}
    warned = officer.submit("/workers/new", "/workers/new", again)
    assert warned.status_code == 200
    assert str(warned.url).endswith("/workers/new")
    assert "Mungkin orang ini sudah terdaftar" in warned.text
    assert f'href="/workers/{first_id.group(1)}"' in warned.text
    assert head(people) == before
    confirmed = officer.send(warned.text, "/workers/new", {**again, "confirm_duplicates": "1"})
    assert re.search(r"/workers/[0-9a-f-]{36}", str(confirmed.url))
    assert head(people) == before + 1


def test_a_coordinator_reviews_possible_duplicates_and_declares_two_people(
    client: TestClient, people: Runtime
) -> None:
    officer_api = {"Authorization": "Bearer " + _token(client, "petugas")}
    for serial in (1111, 5555):
        body = worker_body(nik=nik_for(BORN, "P", serial=serial), full_name="Rina Wati",
                           birth_date=BORN.isoformat())  # fmt: skip
        assert client.post("/v1/workers", json=body, headers=officer_api).status_code == 201
    coordinator = person(client, "koordinator")
    page = coordinator.get("/duplicates")
    assert page.text.count("Rina Wati") == 2
    assert "nama mirip, tanggal lahir sama" in page.text
    done = coordinator.send(page.text, "/duplicates/not-same-person", {"reason": "KK berbeda"})
    assert done.status_code == 200
    assert "Dicatat: keduanya orang yang berbeda." in done.text
    assert "Rina Wati" not in done.text


def test_the_reconciliation_page_lists_departures_missing_from_the_national_list(
    client: TestClient, people: Runtime
) -> None:
    headers = {"Authorization": "Bearer " + _token(client, "petugas")}
    body = worker_body(nik=nik_for(BORN, "P", serial=3690), full_name="Dewi Lestari",
                       birth_date=BORN.isoformat())  # fmt: skip
    worker = client.post("/v1/workers", json=body, headers=headers).json()
    journey = client.post("/v1/journeys", json=journey_body(worker["id"]), headers=headers).json()
    departure = {"departed_on": "2024-03-05", "employer": "Majikan", "contract_start": "2024-03-06",
                 "contract_end": "2026-03-05"}  # fmt: skip
    client.post(f"/v1/journeys/{journey['id']}/departure", json=departure, headers=headers)
    listed = ("NIK", "Nama", "Tanggal Berangkat", "Negara Tujuan", "P3MI")
    first = (nik_for(date(1990, 1, 1), "L", serial=9999), "Orang Lain", "01/03/2024", "TW", "")
    last = (nik_for(date(1991, 1, 1), "L", serial=7777), "Orang Lagi", "10/03/2024", "TW", "")
    coordinator = person(client, "koordinator")
    page = upload(coordinator, "/reconciliations", csv_file([listed, first, last]))
    html = page.text  # type: ignore[attr-defined]
    assert page.status_code == 200, html  # type: ignore[attr-defined]
    assert "tidak ada di daftar nasional" in html
    assert f'href="/journeys/{journey["id"]}"' in html
    assert "Dewi Lestari" in html
    assert first[0] not in html


def _token(client: TestClient, username: str) -> str:
    response = client.post(
        "/v1/auth/token", data={"username": username, "password": "a long passphrase"}
    )
    return str(response.json()["access_token"])
