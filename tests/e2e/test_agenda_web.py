"""The agenda's pages through the real app, on both backends: an officer lands on "Tugas
hari ini" with each row naming the worker (an access-logged read) and one click from the
form that settles it; coordinators see overdue items per village on the dashboard and open
any village's list; an auditor reads the agenda as of a past date."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from infrastructure.bootstrap import Runtime
from infrastructure.clock import SystemClock
from tests.e2e.test_agenda_http import placed
from tests.support import OTHER_VILLAGE, VILLAGE, create_user, login
from tests.web import Person, field_errors

TODAY = SystemClock().today()


@pytest.fixture
def cases(client: TestClient, app_runtime: Runtime) -> dict[str, str]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    create_user(app_runtime, "auditor", "auditor")
    coordinator = login(client, "koordinator.malang")
    late, _ = placed(client, coordinator, VILLAGE, TODAY - timedelta(days=45))
    fine, position = placed(client, coordinator, OTHER_VILLAGE, TODAY - timedelta(days=3))
    app_runtime.read_models.wait_for("agenda", position, 10)
    return {"late": late, "fine": fine}


def test_an_officer_lands_on_todays_tasks_and_reaches_the_form_in_one_click(
    client: TestClient, app_runtime: Runtime, cases: dict[str, str]
) -> None:
    officer = Person(client)
    page = officer.login("petugas.ternyang")
    assert page.status_code == 200
    assert page.url.path == "/agenda"
    assert "Tugas hari ini" in page.text
    overdue = page.text[page.text.index('id="overdue"') : page.text.index('id="due"')]
    assert "Siti Aminah" in overdue
    assert "Pemantauan kondisi" in overdue
    assert "15 hari" in overdue
    link = f"/journeys/{cases['late']}?open=welfare-checks#form-welfare-checks"
    assert f'href="{link}"' in unescape(overdue)
    assert cases["fine"] not in page.text  # another village's case
    entries = app_runtime.app.access_entries(
        SYSTEM_PRINCIPAL, since=None, until=None, after=0, limit=1000
    )
    assert any(
        e.action == "read_personal_data"
        and e.route == "/agenda"
        and e.username == "petugas.ternyang"
        for e in entries
    )
    case = officer.get(link.split("#")[0])
    assert case.status_code == 200
    assert re.search(r'<details class="action" id="form-welfare-checks" open>', case.text)
    assert not re.search(r'id="form-return" open', case.text)


def test_one_list_pages_and_downloads(client: TestClient, cases: dict[str, str]) -> None:
    officer = Person(client)
    officer.login("petugas.ternyang")
    listing = officer.get("/agenda?status=upcoming")
    assert listing.status_code == 200
    assert "Kepulangan yang diharapkan" in listing.text
    csv = officer.get("/agenda.csv?status=overdue")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert cases["late"] in csv.text
    assert "Siti" not in csv.text


def test_a_coordinator_sees_overdue_items_per_village_and_opens_one(
    client: TestClient, cases: dict[str, str]
) -> None:
    coordinator = Person(client)
    coordinator.login("koordinator.malang")
    dashboard = coordinator.get("/dashboard?region=35.07.12")
    assert dashboard.status_code == 200
    section = dashboard.text[
        dashboard.text.index('id="agenda"') : dashboard.text.index('id="stages"')
    ]
    rows = re.findall(r'<a href="/agenda\?region=([0-9.]+)">', section)
    assert rows == [VILLAGE, OTHER_VILLAGE]  # the village behind first
    village = coordinator.get(f"/agenda?region={OTHER_VILLAGE}")
    assert village.status_code == 200
    assert cases["fine"] in village.text
    assert cases["late"] not in village.text
    download = coordinator.get("/dashboard/agenda-summary.csv?region=35.07.12")
    assert download.status_code == 200
    assert VILLAGE in download.text


def test_an_auditor_reads_the_agenda_as_of_a_past_date(
    client: TestClient, cases: dict[str, str]
) -> None:
    auditor = Person(client)
    auditor.login("auditor")
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    before = auditor.get(f"/agenda?as_of={yesterday}")
    assert before.status_code == 200
    assert "menurut aturan yang berlaku saat itu" in before.text
    assert cases["late"] not in before.text  # recorded today: not known yesterday
    now = auditor.get("/agenda")
    assert cases["late"] in now.text
    assert f'href="/journeys/{cases["late"]}"' in now.text  # no form for an auditor
    future = auditor.get(f"/agenda?as_of={(TODAY + timedelta(days=2)).isoformat()}")
    assert future.status_code == 422


def test_a_person_chooses_where_reminders_go_or_opts_out(
    client: TestClient, app_runtime: Runtime, cases: dict[str, str]
) -> None:
    officer = Person(client)
    officer.login("petugas.ternyang")
    page = officer.get("/agenda/reminders")
    assert page.status_code == 200
    assert "Pengingat harian" in page.text
    refused = officer.submit(
        "/agenda/reminders", "/agenda/reminders", {"email": "bukan alamat", "phone": ""}
    )
    assert refused.status_code == 422
    assert field_errors(refused.text) == {"reminders-email": "bukan alamat e-mail"}
    saved = officer.submit(
        "/agenda/reminders",
        "/agenda/reminders",
        {"email": "ani@dinas.example", "phone": "0812 3456 7890", "opted_out": "yes"},
    )
    assert saved.status_code == 200
    assert "Pilihan pengingat tersimpan." in saved.text
    assert 'value="+6281234567890"' in saved.text
    user = app_runtime.app.get_user("petugas.ternyang")
    chosen = app_runtime.app.get_digest_preferences(app_runtime.app.principal_for(user.id))
    assert chosen is not None
    assert (chosen.email, chosen.opted_out) == ("ani@dinas.example", True)
