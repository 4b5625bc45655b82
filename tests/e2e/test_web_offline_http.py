"""What the server gives the offline web app, through the real app on both backends: the
service worker stamped with its build, every file it keeps, the session question the outbox
asks before it sends, and the form endpoints answering the outbox as its sender expects
(recorded, refused because the case moved on, replayed, or a login needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from application.principal import SYSTEM_PRINCIPAL
from application.villages import DesignateVillage
from application.writes import WriteOptions
from infrastructure.bootstrap import Runtime
from infrastructure.settings import Settings
from interfaces.http.app import create_app
from interfaces.web import offline, text
from tests.support import (
    VILLAGE,
    create_user,
    fast_runtime,
    journey_body,
    login,
    make_settings,
    worker_body,
)
from tests.web import Person, hidden_fields

HX = {"HX-Request": "true"}


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> Person:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    person = Person(client)
    assert person.login("petugas.ternyang").status_code == 200
    return person


def new_case(client: TestClient) -> str:
    headers = login(client, "petugas.ternyang")
    worker = client.post("/v1/workers", headers=headers, json=worker_body())
    assert worker.status_code == 201, worker.text
    journey = client.post("/v1/journeys", headers=headers, json=journey_body(worker.json()["id"]))
    assert journey.status_code == 201, journey.text
    return str(journey.json()["id"])


def test_the_service_worker_is_stamped_with_its_build_and_keeps_only_files(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    script = worker.text
    build = f"0.1.0.{offline.files_digest()}"
    assert f'const BUILD = "{build}";' in script
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", script).group(1))  # type: ignore[union-attr]
    assert shell == list(offline.SHELL)
    for url in shell:  # a file missing would make the worker's installation fail
        assert client.get(url).status_code == 200, url
    with pytest.raises(ValidationError):  # it goes into URLs and a script: a plain label
        Settings(build='x"; alert(1)')
    labelled = make_settings(database_url, tmp_path).model_copy(update={"build": "rilis-7"})
    with TestClient(create_app(labelled, runtime_factory=fast_runtime)) as other:
        assert f'"0.1.0-rilis-7.{offline.files_digest()}"' in other.get("/sw.js").text


def test_modules_manifest_and_offline_page(client: TestClient, officer: Person) -> None:
    for name in offline.MODULES:
        module = client.get(f"/offline/{name}")
        assert module.status_code == 200
        assert module.headers["cache-control"] == "no-cache"
    assert client.get("/offline/sw.js").status_code == 404
    assert client.get("/offline/..%2Fjejak.css").status_code == 404
    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    body = manifest.json()
    assert (body["start_url"], body["scope"], body["display"]) == ("/", "/", "standalone")
    for icon in body["icons"]:
        picture = client.get(icon["src"])
        assert picture.content[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = (
            int(picture.content[16:20].hex(), 16),
            int(picture.content[20:24].hex(), 16),
        )
        assert f"{width}x{height}" == icon["sizes"]
    # Kept for whoever comes next: rendered for nobody, even when asked within a session.
    for lang, title in (("id", "Perlu koneksi ke server"), ("en", "The server is needed")):
        page = client.get(f"/offline?lang={lang}")
        assert f"<h1>{title}</h1>" in page.text
        assert "data-jejak-user" not in page.text
        assert "petugas.ternyang" not in page.text


def test_pages_carry_the_person_and_the_words_of_the_outbox(officer: Person) -> None:
    page = officer.get("/workers").text
    assert re.search(r'<body[^>]* data-jejak-user="[0-9a-f-]{36}"', page)
    assert '<script type="module" src="/offline/page.js"></script>' in page
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    words = re.findall(r'<span data-word="([a-z_.-]+)">([^<]*)</span>', page)
    assert len(words) >= 30
    assert ("send_now", "Kirim sekarang") in words
    assert ("kind.welfare-checks", "Catat pemantauan kondisi") in words
    partial = Path(text.__file__).parent / "templates" / "partials" / "offline_ui.html"
    keys = re.search(r"for key in \[([^\]]*)\]", partial.read_text()).group(1)  # type: ignore[union-attr]
    for key in re.findall(r"'([a-z_]+)'", keys):
        assert f"offline.{key}" in text.UI


def test_the_outbox_asks_who_is_signed_in_and_gets_a_token_a_form_accepts(
    client: TestClient, officer: Person
) -> None:
    journey_id = new_case(client)
    session = client.get("/offline/session")
    assert session.status_code == 200
    assert session.headers["cache-control"] == "no-store"
    answer = session.json()
    assert set(answer) == {"user", "csrf", "lang", "build"}
    assert re.fullmatch(r"[0-9a-f-]{36}", answer["user"])
    fields = hidden_fields(
        client.get(f"/journeys/{journey_id}").text, f"/journeys/{journey_id}/counselling"
    )
    sent = client.post(
        f"/journeys/{journey_id}/counselling",
        data={**fields, "csrf_token": answer["csrf"], "topics": "safe_migration"},
        headers=HX,
    )
    assert sent.status_code == 204
    assert sent.headers["hx-redirect"] == f"/journeys/{journey_id}?saved=counselling#top"

    client.post("/logout", data={"csrf_token": answer["csrf"]})
    ended = client.get("/offline/session")
    assert ended.status_code == 401
    assert ended.json()["error"]["message"] == text.t("offline.login_again", "id")
    again = client.post(f"/journeys/{journey_id}/counselling", data=fields, headers=HX)
    assert again.status_code == 204
    assert again.headers["hx-redirect"].startswith("/login?next=")


def test_a_form_made_against_an_older_version_is_refused_and_a_replay_is_answered_again(
    client: TestClient, officer: Person, app_runtime: Runtime
) -> None:
    journey_id = new_case(client)
    page = client.get(f"/journeys/{journey_id}").text
    counselling = hidden_fields(page, f"/journeys/{journey_id}/counselling")
    documents = hidden_fields(page, f"/journeys/{journey_id}/documents")
    version = int(counselling["expected_version"])
    assert documents["expected_version"] == str(version)

    first = client.post(
        f"/journeys/{journey_id}/counselling",
        data={**counselling, "topics": "safe_migration"},
        headers=HX,
    )
    assert first.status_code == 204
    # The same entry again (its answer was lost on the way): answered again, not refused.
    replay = client.post(
        f"/journeys/{journey_id}/counselling",
        data={**counselling, "topics": "safe_migration"},
        headers=HX,
    )
    assert replay.status_code == 204
    # Another entry made against the version before it: the case moved on.
    refused = client.post(
        f"/journeys/{journey_id}/documents",
        data={**documents, "kind": "passport", "number": "C1234567", "issued_on": "2024-01-10"},
        headers=HX,
    )
    assert refused.status_code == 412
    assert text.t("form.moved_on", "id") in refused.text
    again = hidden_fields(refused.text, f"/journeys/{journey_id}/documents")
    assert again["form_key"] == documents["form_key"]  # the same entry, to be sent again
    assert again["expected_version"] == str(version + 1)  # against the case as it is now
    resent = client.post(
        f"/journeys/{journey_id}/documents",
        data={**again, "kind": "passport", "number": "C1234567", "issued_on": "2024-01-10"},
        headers=HX,
    )
    assert resent.status_code == 204
    headers = login(client, "petugas.ternyang")
    recorded = client.get(f"/v1/journeys/{journey_id}", headers=headers).json()
    assert recorded["version"] == version + 2
    assert len(recorded["counselling"]) == len(recorded["documents"]) == 1
    # The message the outbox keeps is in the officer's language.
    client.cookies.set("jejak_lang", "en")
    stale = {**counselling, "form_key": again["form_key"] + "x", "topics": "safe_migration"}
    english = client.post(f"/journeys/{journey_id}/counselling", data=stale, headers=HX)
    assert english.status_code == 412
    assert text.t("form.moved_on", "en") in english.text


def test_a_village_activity_made_against_an_older_version_is_refused(
    client: TestClient, officer: Person, app_runtime: Runtime
) -> None:
    app_runtime.app.designate_village(
        SYSTEM_PRINCIPAL, DesignateVillage(village_code=VILLAGE, cohort_year=2018), WriteOptions()
    )
    action = f"/villages/{VILLAGE}/activities"
    stale = hidden_fields(client.get(f"/villages/{VILLAGE}").text, action)
    activity = {"pillar": "community_parenting", "title": "Rumah belajar", "held_on": "2024-05-02"}
    first = client.post(action, data={**stale, **activity, "participants": "18"}, headers=HX)
    assert first.status_code == 204
    fresh = hidden_fields(client.get(f"/villages/{VILLAGE}").text, action)
    assert int(fresh["expected_version"]) == int(stale["expected_version"]) + 1
    late = {**stale, "form_key": fresh["form_key"], **activity, "participants": "9"}
    refused = client.post(action, data=late, headers=HX)
    assert refused.status_code == 412
    assert text.t("form.moved_on", "id") in refused.text
