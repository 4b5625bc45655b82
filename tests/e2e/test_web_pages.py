"""The web interface through the real app, on both backends: sessions and CSRF, scope, every
officer form (errors in Indonesian next to their field, a double submission recording one
event), the coordinators' dashboard and CSV, the auditors' timeline."""

from __future__ import annotations

import base64
import csv
import io
import logging
import re
from datetime import date, datetime
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from application.villages import DesignateVillage
from application.writes import WriteOptions
from domain.dates import WIB
from infrastructure.bootstrap import Runtime
from tests.support import OTHER_VILLAGE, VILLAGE, create_user, nik_for
from tests.web import Person, cooperative_with_a_member, field_errors, hidden_fields

COORDINATOR_REGION = "35.07"


@pytest.fixture
def people(app_runtime: Runtime) -> Runtime:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,))
    create_user(app_runtime, "koordinator.malang", "coordinator", (COORDINATOR_REGION,))
    create_user(app_runtime, "auditor", "auditor")
    return app_runtime


@pytest.fixture
def officer(client: TestClient, people: Runtime) -> Person:
    person = Person(client)
    assert person.login("petugas.ternyang").status_code == 200
    return person


def register(person: Person, **overrides: str) -> str:
    """Registers a worker through the form; answers the new worker's id."""
    birth = date(1995, 7, 5)
    data = {
        "nik": nik_for(birth, "P"),
        "full_name": "Siti Aminah",
        "sex": "P",
        "birth_date": birth.isoformat(),
        "village_code": VILLAGE,
        **overrides,
    }
    response = person.submit("/workers/new", "/workers/new", data)
    assert response.status_code == 200, response.text
    match = re.search(r"/workers/([0-9a-f-]{36})", str(response.url))
    assert match, response.url
    return match.group(1)


def open_journey(person: Person, worker_id: str, scheme: str = "mandiri") -> str:
    response = person.submit(
        f"/workers/{worker_id}",
        f"/workers/{worker_id}/journeys",
        {"destination_country": "TW", "occupation": "caregiver", "placement_scheme": scheme},
    )
    match = re.search(r"/journeys/([0-9a-f-]{36})", str(response.url))
    assert match, response.text
    return match.group(1)


def record(person: Person, journey_id: str, action: str, data: dict[str, object]) -> str:
    response = person.submit(f"/journeys/{journey_id}", f"/journeys/{journey_id}/{action}", data)
    assert response.status_code == 200, field_errors(response.text) or response.text[-3000:]
    return response.text


def version_of(runtime: Runtime, journey_id: str) -> int:
    return runtime.app.get_journey(SYSTEM_PRINCIPAL, UUID(journey_id)).version


# Sessions, language, CSRF ---------------------------------------------------------------


def test_pages_ask_for_a_login_first_and_come_back_after(
    client: TestClient, people: Runtime
) -> None:
    page = client.get("/workers?stage=placement", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/workers%3Fstage%3Dplacement"
    form = client.get(page.headers["location"])
    assert 'lang="id"' in form.text
    assert "Nama pengguna" in form.text
    fields = hidden_fields(form.text, "/login")
    assert fields["next"] == "/workers?stage=placement"
    answer = client.post(
        "/login",
        data={**fields, "username": "petugas.ternyang", "password": "a long passphrase"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/workers?stage=placement"
    cookie = answer.headers["set-cookie"]
    assert "jejak_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()


def test_a_wrong_password_is_refused_in_indonesian_and_logged(
    client: TestClient, people: Runtime
) -> None:
    response = Person(client).login("petugas.ternyang", "not the password")
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.text
    entries = people.app.access_entries(
        SYSTEM_PRINCIPAL, since=None, until=None, after=0, limit=100
    )
    failed = [e for e in entries if e.action == "login_failed"]
    assert [(e.username, e.route) for e in failed] == [("petugas.ternyang", "/login")]


def test_a_login_form_from_elsewhere_is_refused(client: TestClient, people: Runtime) -> None:
    response = client.post(
        "/login", data={"username": "petugas.ternyang", "password": "a long passphrase"}
    )
    assert response.status_code == 403
    assert "jejak_session" not in response.headers.get("set-cookie", "")


def test_english_is_one_click_away_and_stays(officer: Person) -> None:
    switched = officer.get("/language/en?next=/workers")
    assert switched.status_code == 200
    assert "Workers of your villages" in switched.text
    assert "Workers of your villages" in officer.get("/workers").text
    assert officer.get("/language/en?next=https://evil.example/").url.path == "/agenda"


def test_a_form_without_the_session_csrf_token_records_nothing(
    officer: Person, people: Runtime
) -> None:
    page = officer.get("/workers/new")
    fields = hidden_fields(page.text, "/workers/new")
    fields["csrf_token"] = "0" * 64
    birth = date(1995, 7, 5)
    response = officer.client.post(
        "/workers/new",
        data={
            **fields,
            "nik": nik_for(birth, "P"),
            "full_name": "Siti Aminah",
            "sex": "P",
            "birth_date": birth.isoformat(),
            "village_code": VILLAGE,
        },
    )
    assert response.status_code == 403
    assert "kedaluwarsa" in response.text
    assert people.app.recorder.max_notification_id() == 4  # the four users, nothing more


def test_logging_out_ends_the_session(officer: Person) -> None:
    page = officer.get("/workers")
    copied = officer.client.cookies.get("jejak_session")
    assert copied
    response = officer.send(page.text, "/logout", {}, follow_redirects=False)
    assert response.status_code == 303
    assert (
        'jejak_session=""' in response.headers["set-cookie"]
        or "Max-Age=0" in response.headers["set-cookie"]
    )
    assert officer.get("/workers", follow_redirects=False).status_code == 303
    # A copy of the old cookie (a shared office computer, a stolen one) opens nothing now,
    # neither as a cookie nor as an API token.
    officer.client.cookies.set("jejak_session", copied)
    assert officer.get("/workers", follow_redirects=False).status_code == 303
    officer.client.cookies.clear()
    api = officer.client.get("/v1/me", headers={"Authorization": f"Bearer {copied}"})
    assert api.status_code == 401


# Workers ----------------------------------------------------------------------------------


def test_an_officer_registers_a_worker_and_sees_them_in_the_list(
    officer: Person, people: Runtime
) -> None:
    worker_id = register(officer)
    page = officer.get(f"/workers/{worker_id}")
    assert "Siti Aminah" in page.text
    assert "5 Juli 1995" in page.text
    assert "3507••••••••" in page.text
    people.projections.process()
    listing = officer.get("/workers")
    assert f'href="/workers/{worker_id}"' in listing.text
    assert "Tidak ada perjalanan aktif" in listing.text


def test_a_duplicate_nik_is_shown_next_to_the_field_with_a_link(officer: Person) -> None:
    nik = nik_for(date(1995, 7, 5), "P")
    worker_id = register(officer, nik=nik)
    page = officer.get("/workers/new")
    birth = "1995-07-05"
    response = officer.send(
        page.text,
        "/workers/new",
        {
            "nik": nik,
            "full_name": "Siti A.",
            "sex": "P",
            "birth_date": birth,
            "village_code": VILLAGE,
        },
    )
    assert response.status_code == 409
    assert field_errors(response.text)["register-nik"].startswith(
        "Orang dengan NIK ini sudah terdaftar."
    )
    assert f'href="/workers/{worker_id}"' in response.text


def test_registration_errors_are_in_indonesian_next_to_their_fields(officer: Person) -> None:
    page = officer.get("/workers/new")
    response = officer.send(
        page.text,
        "/workers/new",
        {
            "nik": "1234",
            "full_name": "",
            "sex": "P",
            "birth_date": "1995-07-05",
            "village_code": VILLAGE,
        },
    )
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert errors["register-full_name"] == "wajib diisi"
    wrong = officer.send(
        page.text,
        "/workers/new",
        {
            "nik": "1234",
            "full_name": "Siti",
            "sex": "P",
            "birth_date": "1995-07-05",
            "village_code": VILLAGE,
        },
    )
    assert field_errors(wrong.text) == {"register-nik": "NIK terdiri dari tepat 16 digit"}


def test_the_nik_is_checked_as_it_is_typed_without_reaching_a_url_or_a_log(
    officer: Person, caplog: pytest.LogCaptureFixture
) -> None:
    nik = nik_for(date(1995, 7, 5), "P")
    page = officer.get("/workers/new")
    token = hidden_fields(page.text, "/workers/new")["csrf_token"]
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}
    with caplog.at_level(logging.DEBUG):
        fresh = officer.client.post("/workers/check-nik", data={"nik": nik}, headers=headers)
        assert "NIK sah: lahir 5 Juli 1995, Perempuan, Kabupaten Malang." in fresh.text
        assert "Belum terdaftar." in fresh.text
        worker_id = register(officer, nik=nik)
        known = officer.client.post("/workers/check-nik", data={"nik": nik}, headers=headers)
        assert f'href="/workers/{worker_id}"' in known.text
        bad = officer.client.post(
            "/workers/check-nik", data={"nik": "3507124507950000"}, headers=headers
        )
        assert "nomor urut NIK tidak boleh 0000" in bad.text
    assert nik not in caplog.text
    assert nik not in known.text
    refused = officer.client.post("/workers/check-nik", data={"nik": nik})
    assert refused.status_code == 403

    # An officer of another village learns what saving would tell them (409), and no more.
    other = Person(officer.client)
    other.login("petugas.senggreng")
    token = hidden_fields(other.get("/workers/new").text, "/workers/new")["csrf_token"]
    elsewhere = other.client.post(
        "/workers/check-nik",
        data={"nik": nik},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert "Sudah terdaftar di wilayah lain" in elsewhere.text
    assert worker_id not in elsewhere.text
    assert "Siti" not in elsewhere.text


def test_an_officer_never_sees_another_villages_worker(client: TestClient, people: Runtime) -> None:
    officer = Person(client)
    officer.login("petugas.senggreng")
    theirs = register(
        officer,
        village_code=OTHER_VILLAGE,
        nik=nik_for(date(1990, 1, 2), "L"),
        sex="L",
        birth_date="1990-01-02",
        full_name="Budi Santoso",
    )
    officer.login("petugas.ternyang")
    mine = register(officer)
    people.projections.process()
    listing = officer.get("/workers")
    assert mine in listing.text
    assert theirs not in listing.text
    assert "Budi Santoso" not in listing.text
    hidden = officer.get(f"/workers/{theirs}")
    assert hidden.status_code == 404
    assert "Budi Santoso" not in hidden.text
    assert officer.get("/workers/not-an-id").status_code == 404


def test_a_worker_is_found_by_nik_sent_in_the_body(officer: Person) -> None:
    nik = nik_for(date(1995, 7, 5), "P")
    worker_id = register(officer, nik=nik)
    found = officer.submit("/workers", "/workers/find", {"nik": nik})
    assert str(found.url).endswith(f"/workers/{worker_id}")
    missing = officer.submit("/workers", "/workers/find", {"nik": nik_for(date(1990, 1, 1), "L")})
    assert field_errors(missing.text) == {
        "find-nik": "Belum ada pekerja dengan NIK ini di wilayah Anda."
    }


# Journeys ---------------------------------------------------------------------------------


def test_the_case_page_offers_only_what_the_stage_allows(officer: Person) -> None:
    journey_id = open_journey(officer, register(officer))
    page = officer.get(f"/journeys/{journey_id}").text
    for offered in (
        "counselling",
        "documents",
        "indications",
        "departure",
        "incidents",
        "cancellation",
    ):
        assert f'action="/journeys/{journey_id}/{offered}"' in page
    for refused in ("return", "welfare-checks", "closure", "reintegration-plan"):
        assert f'action="/journeys/{journey_id}/{refused}"' not in page
    assert "9 belum ada" in page  # mandiri: nine required documents, none recorded yet


def test_a_departure_with_documents_missing_is_recorded_and_flagged(
    officer: Person, people: Runtime
) -> None:
    journey_id = open_journey(officer, register(officer))
    page = record(
        officer,
        journey_id,
        "documents",
        {
            "kind": "passport",
            "number": "C1234567",
            "issued_on": "2024-01-10",
            "expires_on": "2034-01-10",
        },
    )
    assert "Dokumen sudah dicatat." in page
    assert "8 belum ada" in page
    page = record(
        officer,
        journey_id,
        "departure",
        {
            "departed_on": "2024-03-01",
            "employer": "Chen household",
            "contract_start": "2024-03-02",
            "contract_end": "2026-03-01",
        },
    )
    assert "Masa penempatan" in page
    assert "Non-prosedural" in page
    assert "Dokumen wajib tidak ada: Visa kerja" in page
    assert f'action="/journeys/{journey_id}/return"' in page
    assert f'action="/journeys/{journey_id}/departure"' not in page


def test_a_form_sent_twice_records_one_event(officer: Person, people: Runtime) -> None:
    journey_id = open_journey(officer, register(officer))
    before = version_of(people, journey_id)
    page = officer.get(f"/journeys/{journey_id}").text
    data = {"topics": ["safe_migration", "worker_rights"], "occurred_on": "2024-01-05"}
    first = officer.send(page, f"/journeys/{journey_id}/counselling", data)
    second = officer.send(page, f"/journeys/{journey_id}/counselling", data)
    assert first.status_code == second.status_code == 200
    assert str(first.url) == str(second.url)
    assert version_of(people, journey_id) == before + 1


def test_errors_come_back_in_the_form_that_was_sent_in_indonesian(officer: Person) -> None:
    journey_id = open_journey(officer, register(officer))
    page = officer.get(f"/journeys/{journey_id}").text
    response = officer.send(
        page,
        f"/journeys/{journey_id}/departure",
        {
            "departed_on": "2024-03-01",
            "employer": "Chen",
            "contract_start": "2024-03-02",
            "contract_end": "2024-01-01",
        },
    )
    assert response.status_code == 422
    assert field_errors(response.text) == {
        "departure-contract_end": "harus setelah tanggal mulai kontrak"
    }
    assert 'id="form-departure" open' in response.text
    assert 'value="Chen"' in response.text  # what was typed is kept
    future = officer.send(
        page,
        f"/journeys/{journey_id}/counselling",
        {"topics": ["safe_migration"], "occurred_on": "2999-01-01"},
    )
    assert field_errors(future.text) == {"counselling-occurred_on": "tidak boleh di masa depan"}
    empty = officer.send(page, f"/journeys/{journey_id}/counselling", {})
    assert field_errors(empty.text) == {"counselling-topics": "wajib diisi"}


def test_a_whole_journey_is_recorded_through_the_forms_to_closure(
    officer: Person, people: Runtime
) -> None:
    worker_id = register(officer)
    refused = officer.submit(
        f"/workers/{worker_id}",
        f"/workers/{worker_id}/journeys",
        {"destination_country": "TW", "occupation": "caregiver", "placement_scheme": "p3mi"},
    )
    assert refused.status_code == 422
    assert field_errors(refused.text) == {
        "open-p3mi_name": "wajib diisi bila skema penempatan p3mi"
    }
    journey_id = open_journey(officer, worker_id)
    record(
        officer,
        journey_id,
        "counselling",
        {"topics": ["safe_migration"], "occurred_on": "2024-01-05"},
    )
    for kind in (
        "marital_status_letter",
        "family_consent",
        "competency_certificate",
        "health_certificate",
        "passport",
        "work_visa",
        "work_contract",
        "bpjs_ketenagakerjaan",
        "pre_departure_orientation",
    ):
        record(
            officer,
            journey_id,
            "documents",
            {
                "kind": kind,
                "number": f"{kind[:3]}-1",
                "issued_on": "2024-01-10",
                "expires_on": "2034-01-10",
                "occurred_on": "2024-01-15",
            },
        )
    page = record(
        officer,
        journey_id,
        "indications",
        {"indicators": ["excessive_fees"], "note": "asked for Rp 20 juta"},
    )
    page = record(
        officer,
        journey_id,
        "indication-resolution",
        {"item": "1", "outcome": "cleared", "occurred_on": "2024-02-01"},
    )
    page = record(
        officer,
        journey_id,
        "departure",
        {
            "departed_on": "2024-03-01",
            "employer": "Chen household",
            "contract_start": "2024-03-02",
            "contract_end": "2026-03-01",
        },
    )
    assert "lengkap" in page
    assert "Non-prosedural" not in page.split("Riwayat")[0]
    record(
        officer,
        journey_id,
        "welfare-checks",
        {"contact_with": "family", "status": "ok", "occurred_on": "2024-06-01"},
    )
    record(
        officer,
        journey_id,
        "incidents",
        {"category": "unpaid_wages", "severity": "high", "occurred_on": "2024-07-01"},
    )
    record(
        officer,
        journey_id,
        "incident-resolution",
        {"item": "1", "outcome": "compensated", "occurred_on": "2024-08-01"},
    )
    record(
        officer, journey_id, "return", {"returned_on": "2024-12-20", "reason": "contract_completed"}
    )
    record(
        officer,
        journey_id,
        "reintegration-plan",
        {"needs": ["business_capital", "skills_training"]},
    )
    record(officer, journey_id, "reintegration-activities", {"kind": "entrepreneurship_training"})
    page = record(
        officer, journey_id, "closure", {"reason": "running a warung at home", "confirmed": "yes"}
    )
    assert "Kasus sudah ditutup." in page
    assert "tidak ada lagi yang dapat dicatat selain koreksi" in page
    assert people.app.get_journey(SYSTEM_PRINCIPAL, UUID(journey_id)).stage == "closed"
    summary = officer.get(f"/journeys/{journey_id}/summary")
    assert summary.status_code == 200
    assert 'media="print"' in summary.text
    assert "Ringkasan kasus PMI" in summary.text


def test_a_correction_is_shown_beside_what_it_corrects(officer: Person, people: Runtime) -> None:
    journey_id = open_journey(officer, register(officer))
    record(
        officer,
        journey_id,
        "counselling",
        {"topics": ["safe_migration"], "occurred_on": "2024-01-05"},
    )
    form = officer.get(f"/journeys/{journey_id}/corrections/2")
    assert form.status_code == 200
    assert 'value="2024-01-05"' in form.text
    unchanged = officer.send(
        form.text,
        f"/journeys/{journey_id}/corrections/2",
        {"occurred_on": "2024-01-05", "topics": ["safe_migration"], "reason": "typo"},
    )
    assert "Tidak ada isian yang diubah." in unchanged.text
    done = officer.send(
        form.text,
        f"/journeys/{journey_id}/corrections/2",
        {"occurred_on": "2024-01-06", "topics": ["safe_migration"], "reason": "date mistyped"},
    )
    assert done.status_code == 200
    assert "Koreksi sudah dicatat." in done.text
    assert "Dikoreksi (versi 3" in done.text
    assert "6 Januari 2024" in done.text


# Villages and cooperatives ---------------------------------------------------------------


def test_village_activities_and_cooperative_books_through_the_forms(
    officer: Person, people: Runtime
) -> None:
    people.app.designate_village(
        SYSTEM_PRINCIPAL, DesignateVillage(village_code=VILLAGE, cohort_year=2018), WriteOptions()
    )
    village_page = f"/villages/{VILLAGE}"
    done = officer.submit(
        village_page,
        f"{village_page}/activities",
        {
            "pillar": "community_parenting",
            "title": "Rumah belajar",
            "held_on": "2024-05-02",
            "participants": "18",
        },
    )
    assert "Kegiatan sudah dicatat." in done.text
    assert "Rumah belajar" in done.text
    coop_path, admitted, member = cooperative_with_a_member(officer, village_page)
    saved = officer.send(
        admitted.text,
        f"{coop_path}/savings",
        {
            "member_id": member,
            "kind": "sukarela",
            "amount": "Rp 1.500.000",
            "occurred_on": "2020-02-01",
        },
    )
    assert "Rp 1.500.000" in saved.text
    too_much = officer.send(
        saved.text,
        f"{coop_path}/savings-withdrawals",
        {"member_id": member, "amount": "2.000.000"},
    )
    assert too_much.status_code == 409
    assert "penarikan Rp 2.000.000 melebihi saldo itu" in too_much.text
    not_money = officer.send(
        saved.text,
        f"{coop_path}/savings-withdrawals",
        {"member_id": member, "amount": "1,5"},
    )
    assert field_errors(not_money.text) == {
        "savings-withdrawals-amount": "harus berupa bilangan bulat"
    }


# Coordinators and auditors -------------------------------------------------------------


def test_the_dashboard_keeps_filters_in_the_url_and_downloads_csv(
    client: TestClient, officer: Person, people: Runtime
) -> None:
    journey_id = open_journey(officer, register(officer))
    record(
        officer,
        journey_id,
        "departure",
        {
            "departed_on": "2024-03-01",
            "employer": "Chen",
            "contract_start": "2024-03-02",
            "contract_end": "2026-03-01",
        },
    )
    while people.projections.process():
        pass
    coordinator = Person(client)
    coordinator.login("koordinator.malang")
    page = coordinator.get("/dashboard?region=35.07.12&year=2024")
    assert page.status_code == 200
    assert 'option value="35.07.12" selected' in page.text
    assert f'href="/journeys/{journey_id}"' in page.text  # on the non-procedural watch list
    assert "/dashboard/non-procedural.csv?region=35.07.12&amp;year=2024" in page.text
    download = coordinator.get(
        "/dashboard/non-procedural.csv?region=35.07.12&year=2024&older_than_days=30"
    )
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["ID perjalanan"] for row in rows] == [journey_id]  # a spreadsheet for people
    assert "Siti" not in download.text
    log = people.app.access_entries(
        SYSTEM_PRINCIPAL, since=None, until=None, after=0, limit=100, username="koordinator.malang"
    )
    assert [e.action for e in log].count("export") == 1
    stages = coordinator.get("/dashboard/stage-counts.csv?region=35.07")
    assert "35.07.12" in stages.text
    unchosen = coordinator.get("/dashboard?region=35.07.12&year=&older_than_days=30")
    assert unchosen.status_code == 200  # a GET form sends an unchosen year as "year="
    assert coordinator.get("/dashboard?region=33.01").status_code == 403
    assert coordinator.get("/dashboard/nothing.csv").status_code == 404


def test_an_auditor_reads_a_timeline_with_backdated_entries_and_verification(
    client: TestClient, officer: Person, people: Runtime
) -> None:
    journey_id = open_journey(officer, register(officer))
    record(
        officer,
        journey_id,
        "counselling",
        {"topics": ["safe_migration"], "occurred_on": "2024-01-05"},
    )
    auditor = Person(client)
    auditor.login("auditor")
    timeline = auditor.get(f"/audit/streams/{journey_id}")
    assert timeline.status_code == 200
    assert "Journey.MigrationInfoProvided" in timeline.text
    assert "dicatat belakangan" in timeline.text
    assert "petugas.ternyang" in timeline.text
    assert "Rantai hash riwayat ini utuh (2 peristiwa)." in timeline.text
    assert "Utuh:" in auditor.get("/audit/verify").text
    today = datetime.now(WIB).date().isoformat()  # the officers' calendar
    past = auditor.get(f"/journeys/{journey_id}?as_of={today}")
    assert past.status_code == 200
    assert f'action="/journeys/{journey_id}/' not in past.text  # auditors write nothing
    officer.login("petugas.ternyang")
    assert officer.get(f"/audit/streams/{journey_id}").status_code == 403


def test_the_verification_page_names_what_was_changed_behind_jejaks_back(
    client: TestClient, people: Runtime, database_url: str
) -> None:
    """A history's newest events cut and the feed renumbered, an access-log entry edited:
    the page lists the history, the renumbered run and the broken log entry."""
    from tests import rawdb
    from tests.tamper import add_children, worker_with_children

    target = worker_with_children(people, children=1)
    add_children(people, target, 1)
    worker_with_children(people, children=1)
    people.app.get_worker(SYSTEM_PRINCIPAL, target)
    cut = rawdb.position_of(database_url, target, 3)
    rawdb.execute(
        database_url,
        "DELETE FROM jejak_events WHERE originator_id = %s AND originator_version = 3",
        (rawdb.id_param(database_url, target),),
        bypass_triggers=True,
    )
    rawdb.renumber(database_url, above=cut, by=-1)
    rawdb.execute(
        database_url,
        "UPDATE jejak_access_log SET route = '/elsewhere' WHERE id = 1",
        bypass_triggers=True,
    )
    auditor = Person(client)
    auditor.login("auditor")
    page = auditor.get("/audit/verify")
    assert page.status_code == 200
    assert "Utuh:" not in page.text
    assert f'href="/audit/streams/{target}"' in page.text
    assert "renumbered" in page.text
    assert "Urutan umpan" in page.text
    assert "Rantai log akses rusak (1 masalah):" in page.text


# Bad input is a page, never a 500 ---------------------------------------------------------


def test_malformed_input_anywhere_is_answered_without_a_server_error(
    officer: Person, people: Runtime
) -> None:
    people.app.designate_village(
        SYSTEM_PRINCIPAL, DesignateVillage(village_code=VILLAGE, cohort_year=2018), WriteOptions()
    )
    journey_id = open_journey(officer, register(officer))
    page = officer.get(f"/journeys/{journey_id}").text
    token = hidden_fields(page, f"/journeys/{journey_id}/departure")["csrf_token"]
    junk = {
        "csrf_token": token,
        "form_key": "x" * 300,
        "item": "99999999999999999999",
        "occurred_on": "31-31-2024",
        "departed_on": "2024-02-30",
        "contract_end": "\x00",
        "amount": "-1",
        "principal": "9" * 40,
        "term_months": "1e9",
        "participants": "lots",
        "topics": "not_a_topic",
        "kind": "<script>",
        "member_id": "not-a-uuid",
        "loan_id": "also-not",
        "nik": "' OR 1=1 --",
        "version": "-3",
    }
    coop = officer.submit(
        f"/villages/{VILLAGE}", f"/villages/{VILLAGE}/cooperatives", {"name": "Koperasi"}
    )
    coop_path = str(coop.url).split("?")[0].removeprefix("http://testserver")
    assert coop_path.startswith("/cooperatives/")
    paths = [
        "/workers/new",
        "/workers/check-nik",
        "/workers/find",
        f"/workers/{journey_id}/journeys",
        *(
            f"/journeys/{journey_id}/{action}"
            for action in (
                "departure",
                "counselling",
                "indication-resolution",
                "closure",
                "nothing",
            )
        ),
        f"/journeys/{journey_id}/corrections/1",
        f"/journeys/{journey_id}/corrections/999",
        f"/villages/{VILLAGE}/activities",
        "/villages/99.99.99.9999/activities",
        "/agencies",
        f"/agencies/{journey_id}",
        *(
            f"{coop_path}/{action}"
            for action in (
                "members",
                "savings",
                "savings-withdrawals",
                "loans",
                "repayments",
                "member-withdrawal",
                "meetings",
                "business-units",
                "nothing",
            )
        ),
    ]
    for path in paths:
        answer = officer.client.post(path, data=junk)
        assert answer.status_code < 500, (path, answer.status_code)
        assert "<script>" not in answer.text.replace("<script src=", "")
    for path in (
        "/workers?after=%%%garbage",
        "/workers?village=99.99",
        f"/journeys/{journey_id}?as_of=yesterday",
        f"/journeys/{journey_id}?as_of=1900-01-01",
        "/dashboard?region=35.07&year=abcd&older_than_days=-1",
        "/dashboard/stage-counts.csv?region=zz",
        "/audit?id=not-a-uuid",
        "/static/../session.py",
        "/static/vendor/nothing.js",
        "/static/a%00b.css",
        "/static/" + "x" * 300 + ".css",
        "/workers?after=" + base64.urlsafe_b64encode(b"[true, 1, 2, 3]").decode(),
    ):
        assert officer.get(path).status_code < 500, path


def test_forms_a_server_cannot_read_are_a_400_page_not_a_500(client: TestClient) -> None:
    """Starlette refuses forms with too many fields or a multipart body without its
    boundary; that refusal is the visitor's error, shown as such, before any login."""
    crowded = client.post("/login", data={f"f{n}": "x" for n in range(1_500)})
    assert crowded.status_code == 400
    broken = client.post(
        "/login", content=b"--x\r\n", headers={"Content-Type": "multipart/form-data"}
    )
    assert broken.status_code == 400
    assert "text/html" in broken.headers["content-type"]


def test_a_form_sent_after_the_session_ended_leads_back_to_its_page(
    client: TestClient, people: Runtime
) -> None:
    response = client.post(
        "/workers/new",
        data={"nik": "1"},
        headers={"Referer": "http://testserver/workers/new"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/workers/new"
    elsewhere = client.post(
        "/workers/new", headers={"Referer": "https://evil.example/x"}, follow_redirects=False
    )
    assert elsewhere.headers["location"] == "/login?next=/"


def test_the_saved_message_shows_only_what_was_saved(officer: Person) -> None:
    worker_id = register(officer)
    assert (
        "Pekerja sudah didaftarkan." in officer.get(f"/workers/{worker_id}?saved=registered").text
    )
    odd = officer.get(f"/workers/{worker_id}?saved=Hubungi+0812+sekarang")
    assert "Hubungi 0812 sekarang" not in odd.text
    assert 'role="status"' not in odd.text


def test_pages_travel_gzipped_with_a_csrf_token_masked_afresh_each_time(officer: Person) -> None:
    first = officer.get("/workers/new", headers={"Accept-Encoding": "gzip"})
    second = officer.get("/workers/new", headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    assert int(first.headers["content-length"]) < len(first.text) / 2
    one = hidden_fields(first.text, "/workers/new")["csrf_token"]
    two = hidden_fields(second.text, "/workers/new")["csrf_token"]
    assert one != two  # both valid, never the same bytes twice
    for token in (one, two):
        checked = officer.client.post(
            "/workers/check-nik", data={"nik": "1"}, headers={"X-CSRF-Token": token}
        )
        assert checked.status_code == 200


def test_a_mistyped_page_address_is_a_page_in_indonesian(client: TestClient) -> None:
    page = client.get("/pekerja", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Halaman atau data ini tidak ada" in page.text
    api = client.get("/v1/pekerja", headers={"Accept": "text/html"})
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "route_not_found"
