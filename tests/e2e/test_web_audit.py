"""The auditors' timeline through the real app, on both backends: events in Indonesian words,
dates as people write them, the worker named in the heading (an access-logged read), and the
stored event (topic and JSON) one click away; and the case as it stood on a past date, in
both readings (what had happened by then, what had been recorded by then)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from uuid import UUID

from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from application.writes import WriteOptions
from domain.dates import WIB
from infrastructure.bootstrap import Runtime
from tests.e2e import test_web_pages as pages
from tests.e2e.test_web_pages import record, register
from tests.web import Person

# The users and the signed-in officer of the case pages' tests.
people = pages.people
officer = pages.officer


def _opened_on_2_january_2024(officer: Person, worker_id: str, scheme: str = "mandiri") -> str:
    response = officer.submit(
        f"/workers/{worker_id}",
        f"/workers/{worker_id}/journeys",
        {
            "destination_country": "TW",
            "occupation": "caregiver",
            "placement_scheme": scheme,
            "occurred_on": "2024-01-02",
        },
    )
    match = re.search(r"/journeys/([0-9a-f-]{36})", str(response.url))
    assert match, response.text
    return match.group(1)


def _case_opened_in_the_past(officer: Person, worker_id: str) -> str:
    return _depart_on_1_march_2024(officer, _opened_on_2_january_2024(officer, worker_id))


def _case_with_several_kinds_of_event(officer: Person) -> str:
    worker_id = register(officer, full_name="Siti Aminah")
    journey_id = _opened_on_2_january_2024(officer, worker_id, "g_to_g")
    record(
        officer,
        journey_id,
        "counselling",
        {"topics": ["safe_migration"], "occurred_on": "2024-01-05"},
    )
    record(
        officer,
        journey_id,
        "documents",
        {
            "kind": "passport",
            "number": "C1234567",
            "issued_on": "2024-01-10",
            "occurred_on": "2024-01-15",
        },
    )
    return _depart_on_1_march_2024(officer, journey_id)


def _depart_on_1_march_2024(officer: Person, journey_id: str) -> str:
    departure = {
        "departed_on": "2024-03-01",
        "employer": "Chen household",
        "contract_start": "2024-03-02",
        "contract_end": "2026-03-01",
    }
    record(officer, journey_id, "departure", departure)
    return journey_id


def _outside_details(html: str) -> str:
    """What a reader sees without opening a ``<details>``: text only, no tags or links."""
    shown = re.sub(r"<details.*?</details>", "", html, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", "", shown))


def test_the_timeline_reads_in_indonesian_with_the_worker_named(
    client: TestClient, officer: Person, people: Runtime
) -> None:
    journey_id = _case_with_several_kinds_of_event(officer)
    auditor = Person(client)
    auditor.login("auditor")
    page = auditor.get(f"/audit/streams/{journey_id}")
    assert page.status_code == 200
    heading = unescape(re.search(r"<h1>(.*?)</h1>", page.text, re.DOTALL).group(1))
    assert "Perjalanan kerja" in heading
    assert "Siti Aminah" in heading
    shown = _outside_details(page.text)
    for words in (
        "Perjalanan dibuka",
        "Konseling migrasi aman",
        "Dokumen dicatat",
        "Berangkat",
        "Skema penempatan",
        "Antar-pemerintah (G to G)",
        "Migrasi aman dan prosedural",
        "Paspor",
        "Taiwan",
        "Tanggal berangkat",
        "1 Maret 2024",
        "5 Januari 2024",
        "10 Januari 2024",
    ):
        assert words in shown, words
    for raw in (
        "Journey.Departed",
        "Journey.Opened",
        "placement_scheme",
        "g_to_g",
        "(kode)",  # the form asks for a country's code; the timeline shows its name
        "safe_migration",
        "2024-03-01",
        "worker_id",
        journey_id,
    ):
        assert raw not in shown, raw
    newest = auditor.get("/audit")  # the newest events of the feed, in the same words
    assert newest.status_code == 200
    assert "Berangkat" in _outside_details(newest.text)
    assert "Journey.Departed" not in _outside_details(newest.text)
    # The stored event, whole, is one click away.
    assert "<code>Journey.Departed</code>" in page.text
    assert "&#34;departed_on&#34;: &#34;2024-03-01&#34;" in page.text
    worker_id = people.app.get_journey(SYSTEM_PRINCIPAL, UUID(journey_id)).worker_id
    entries = people.app.access_entries(
        SYSTEM_PRINCIPAL, since=None, until=None, after=0, limit=1000
    )
    assert any(
        e.action == "read_personal_data"
        and e.username == "auditor"
        and e.subject_id == str(worker_id)
        and e.route == "/audit/streams/{aggregate_id}"
        for e in entries
    )


def test_the_timeline_speaks_english_when_asked(client: TestClient, officer: Person) -> None:
    journey_id = _case_with_several_kinds_of_event(officer)
    auditor = Person(client)
    auditor.login("auditor")
    auditor.get("/language/en?next=/audit")
    shown = _outside_details(auditor.get(f"/audit/streams/{journey_id}").text)
    assert "Journey opened" in shown
    assert "Audit timeline: Journey" in shown
    assert "Departure date" in shown
    assert "1 March 2024" in shown


def test_an_erased_workers_timeline_shows_erased_not_their_name(
    client: TestClient, officer: Person, people: Runtime
) -> None:
    journey_id = _case_with_several_kinds_of_event(officer)
    worker_id = people.app.get_journey(SYSTEM_PRINCIPAL, UUID(journey_id)).worker_id
    people.app.erase_worker(SYSTEM_PRINCIPAL, worker_id, "asked by the worker", WriteOptions())
    auditor = Person(client)
    auditor.login("auditor")
    page = auditor.get(f"/audit/streams/{journey_id}")
    assert page.status_code == 200
    assert "Siti Aminah" not in page.text
    assert "Chen household" not in page.text
    assert "[erased]" in page.text
    then = auditor.get(f"/journeys/{journey_id}?as_of=2024-06-01&reading=happened")
    assert then.status_code == 200
    assert "menurut yang sudah terjadi sampai akhir 1 Juni 2024" in _outside_details(then.text)
    assert 'class="stage stage-placement"' in then.text
    assert "Chen household" not in then.text


# The case as it stood on a past date ------------------------------------------------------


def test_the_form_names_both_readings_of_the_past(officer: Person) -> None:
    journey_id = _case_opened_in_the_past(officer, register(officer))
    page = officer.get(f"/journeys/{journey_id}").text
    assert 'name="reading" value="happened" checked' in page
    assert 'name="reading" value="recorded"' in page
    assert "yang sudah terjadi sampai tanggal itu" in page
    assert "yang sudah dicatat di Jejak sampai tanggal itu" in page


def test_a_past_date_reads_what_had_happened_by_then(client: TestClient, officer: Person) -> None:
    journey_id = _case_opened_in_the_past(officer, register(officer))
    auditor = Person(client)
    auditor.login("auditor")
    before_departure = auditor.get(f"/journeys/{journey_id}?as_of=2024-02-01&reading=happened")
    assert before_departure.status_code == 200
    assert 'class="stage stage-pre_departure"' in before_departure.text
    shown = _outside_details(before_departure.text)
    assert "menurut yang sudah terjadi sampai akhir 1 Februari 2024" in shown
    abroad = auditor.get(f"/journeys/{journey_id}?as_of=2024-06-01")  # the reading by default
    assert abroad.status_code == 200
    assert 'class="stage stage-placement"' in abroad.text
    # Recorded today: by the dates of recording, nothing of it existed on 1 June 2024.
    recorded = auditor.get(f"/journeys/{journey_id}?as_of=2024-06-01&reading=recorded")
    assert recorded.status_code == 200
    shown = _outside_details(recorded.text)
    assert "Pada 1 Juni 2024 perjalanan ini belum dicatat di Jejak" in shown
    assert 'value="recorded" checked' in recorded.text
    today = datetime.now(WIB).date()
    now = auditor.get(f"/journeys/{journey_id}?as_of={today.isoformat()}&reading=recorded")
    assert "seperti yang sudah dicatat di Jejak sampai akhir" in _outside_details(now.text)
    assert 'class="stage stage-placement"' in now.text


def test_a_date_before_the_case_is_a_friendly_answer_in_both_readings(
    client: TestClient, officer: Person
) -> None:
    journey_id = _case_opened_in_the_past(officer, register(officer))
    auditor = Person(client)
    auditor.login("auditor")
    for reading, words in (("happened", "belum dimulai"), ("recorded", "belum dicatat di Jejak")):
        page = auditor.get(f"/journeys/{journey_id}?as_of=2020-01-01&reading={reading}")
        assert page.status_code == 200, reading
        shown = _outside_details(page.text)
        assert f"Pada 1 Januari 2020 perjalanan ini {words}" in shown
        assert "dibuka 2 Januari 2024" in shown or "pertama dicatat" in shown
        assert not re.search(r"\d{4}-\d{2}-\d{2}T", shown)  # no raw timestamp
        assert "Tidak ditemukan" not in shown


def test_a_date_the_form_cannot_read_is_an_error_next_to_it(officer: Person) -> None:
    journey_id = _case_opened_in_the_past(officer, register(officer))
    tomorrow = (datetime.now(WIB).date() + timedelta(days=1)).isoformat()
    for typed, message in (
        ("yesterday", "Tanggal tidak dikenali"),
        ("1899-12-31", "Tanggal tidak dikenali"),
        (tomorrow, "Tanggal tidak boleh setelah hari ini."),
    ):
        page = officer.get(f"/journeys/{journey_id}?as_of={typed}")
        assert page.status_code == 422, typed
        error = re.search(r'id="as-of-err" role="alert">([^<]+)', page.text)
        assert error, typed
        assert message in unescape(error.group(1)), typed
        assert 'aria-invalid="true" aria-describedby="as-of-err"' in page.text
        assert f'value="{typed}"' in page.text  # what was typed stays
