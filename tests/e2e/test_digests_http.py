"""Digest preferences and the notifications audit through the real app, on both backends;
and the digests sent by the runner beside the projections, as `jejak serve` runs them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from infrastructure.settings import Settings
from tests.channels import WEBHOOK_SECRET, Receiver, webhook_receiver
from tests.e2e.test_agenda_http import placed
from tests.support import VILLAGE, create_user, login, make_settings

Headers = dict[str, str]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as found:
        yield found


@pytest.fixture
def settings(database_url: str, tmp_path: Path, receiver: Receiver) -> Settings:
    """The suite's settings with a webhook channel, sending from 00:00 WIB."""
    return make_settings(database_url, tmp_path).model_copy(
        update={
            "notify_webhook_url": receiver.url,
            "notify_webhook_secret": WEBHOOK_SECRET,
            "notify_hour": 0,
            "notify_timeout_seconds": 5.0,
        }
    )


@pytest.fixture
def people(client: TestClient, app_runtime: Runtime) -> dict[str, Headers]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "admin", "admin")
    return {name: login(client, name) for name in ("petugas.ternyang", "auditor", "admin")}


def test_users_choose_where_digests_go_and_may_opt_out(
    client: TestClient, people: dict[str, Headers]
) -> None:
    officer = people["petugas.ternyang"]
    empty = client.get("/v1/me/notifications", headers=officer).json()
    assert empty == {
        "email": None,
        "phone": None,
        "opted_out": False,
        "version": 0,
        "channels": ["webhook"],
    }
    bad = client.put(
        "/v1/me/notifications",
        json={"email": "not an address"},
        headers={**officer, "Accept-Language": "id"},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["fields"][0]["field"] == "email"
    assert "e-mail" in bad.json()["error"]["message"]
    not_bool = client.put("/v1/me/notifications", json={"opted_out": "yes"}, headers=officer)
    assert not_bool.status_code == 422
    ahead = client.put(
        "/v1/me/notifications", json={"opted_out": True}, headers={**officer, "If-Match": '"1"'}
    )
    assert ahead.status_code == 412
    chosen = client.put(
        "/v1/me/notifications",
        json={"phone": "0812-3456-7890", "opted_out": True},
        headers={**officer, "If-Match": '"0"'},
    )
    assert chosen.status_code == 201, chosen.text
    mine = client.get("/v1/me/notifications", headers=officer).json()
    assert (mine["phone"], mine["opted_out"], mine["version"]) == ("+6281234567890", True, 1)
    stale = client.put(
        "/v1/me/notifications", json={"opted_out": False}, headers={**officer, "If-Match": '"0"'}
    )
    assert stale.status_code == 412
    path = "/v1/users/petugas.ternyang/notifications"
    assert client.get(path, headers=officer).status_code == 403
    by_admin = client.put(path, json={"email": "ani@dinas.example"}, headers=people["admin"])
    assert by_admin.status_code == 201
    read = client.get(path, headers=people["admin"]).json()
    assert (read["email"], read["phone"], read["opted_out"]) == ("ani@dinas.example", None, False)


def test_the_digest_runs_beside_the_projections_and_is_audited(
    client: TestClient, app_runtime: Runtime, people: dict[str, Headers], receiver: Receiver
) -> None:
    officer = people["petugas.ternyang"]
    client.put("/v1/me/notifications", json={"phone": "081234567890"}, headers=officer)
    placed(client, officer, VILLAGE, app_runtime.app.services.clock.today() - timedelta(days=40))
    assert (
        app_runtime.digests is not None
    )  # started with the projections (JEJAK_NOTIFY_WITH_PROJECTIONS)
    # It planned when the service started, before anyone subscribed: the next planning
    # (hourly) would find this officer; the test does not wait the hour.
    app_runtime.digests.replan = 0
    app_runtime.digests.nudge()
    deadline = time.monotonic() + 30
    while not receiver.posts and time.monotonic() < deadline:
        time.sleep(0.1)
    (post,) = receiver.posts
    assert post.signed_with(WEBHOOK_SECRET)
    assert post.json["counts"]["overdue"] >= 1
    assert client.get("/v1/audit/notifications", headers=officer).status_code == 403
    audit = client.get("/v1/audit/notifications", headers=people["auditor"])
    assert audit.status_code == 200, audit.text
    (item,) = audit.json()["items"]
    assert item["username"] == "petugas.ternyang"
    assert item["channel"] == "webhook"
    assert item["to"] == "+62•••7890"
    assert item["state"] == "sent"
    assert item["sent_at"]
    assert audit.json()["next_after"] is None
