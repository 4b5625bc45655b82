"""`jejak projections check` rebuilds each read model into shadow tables and names every live
row that differs from what the events give; auditors read the last check's outcome at
`GET /v1/audit/read-models`. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from infrastructure.settings import Settings
from interfaces.cli import main
from tests import rawdb
from tests.integration.test_journeys_app import depart_and_return, open_for, register
from tests.integration.test_programme_app import admit_person, establish
from tests.support import VILLAGE, create_user, login, use_settings


def programme(runtime: Runtime) -> None:
    """Journeys at a few stages and a cooperative with a member: rows in every read model."""
    for n in range(3):
        journey_id = open_for(runtime.app, register(runtime.app))
        if n:
            depart_and_return(runtime.app, journey_id)
    admit_person(runtime, establish(runtime))


def caught_up(runtime: Runtime) -> None:
    head = runtime.projections.head()
    for name in runtime.projections.projections:
        assert runtime.read_models.wait_for(name, head, timeout=60), name


def test_a_tampered_read_model_is_named_row_by_row(
    client: TestClient,
    app_runtime: Runtime,
    settings: Settings,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    programme(app_runtime)
    caught_up(app_runtime)
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "petugas", "officer", (VILLAGE,))
    auditor = login(client, "auditor")
    never = client.get("/v1/audit/read-models", headers=auditor).json()["items"]
    assert {item["name"] for item in never} == set(app_runtime.projections.projections)
    assert all(item["last_check"] is None for item in never)

    use_settings(settings, monkeypatch)
    assert main(["projections", "check"]) == 0
    assert capsys.readouterr().out.count(": intact") == len(app_runtime.projections.projections)

    [(journey_id, stage)] = rawdb.query(
        database_url, "SELECT journey_id, stage FROM rm_journeys_g1_journeys ORDER BY 1 LIMIT 1"
    )
    forged_stage = "closed" if stage != "closed" else "placement"
    rawdb.execute(
        database_url,
        "UPDATE rm_journeys_g1_journeys SET stage = %s WHERE journey_id = %s",
        (forged_stage, journey_id),
    )
    [(cooperative_id,)] = rawdb.query(
        database_url, "SELECT cooperative_id FROM rm_cooperatives_g1_cooperatives LIMIT 1"
    )
    rawdb.execute(
        database_url,
        "UPDATE rm_cooperatives_g1_cooperatives SET savings_sukarela = savings_sukarela + 5000000 "
        "WHERE cooperative_id = %s",
        (cooperative_id,),
    )
    rawdb.execute(
        database_url,
        "INSERT INTO rm_workers_g1_workers (worker_id) VALUES ('not-a-worker')",
    )

    assert main(["projections", "check"]) == 1
    out = capsys.readouterr().out
    assert f"journeys [journey_id={journey_id}]: changed (stage)" in out
    assert f"cooperatives [cooperative_id={cooperative_id}]: changed (savings_sukarela)" in out
    assert "workers [worker_id=not-a-worker]: extra" in out

    response = client.get("/v1/audit/read-models", headers=auditor)
    assert response.status_code == 200, response.text
    items = {item["name"]: item for item in response.json()["items"]}
    journeys = items["journeys"]["last_check"]
    assert journeys["intact"] is False
    assert journeys["differences"] == 1
    assert journeys["rows_differing"] == [
        {
            "table": "journeys",
            "key": {"journey_id": journey_id},
            "kind": "changed",
            "live": {"stage": forged_stage},
            "rebuilt": {"stage": stage},
        }
    ]
    assert items["cooperatives"]["last_check"]["differences"] == 1
    assert items["workers"]["last_check"]["rows_differing"][0]["kind"] == "extra"
    assert items["activity"]["last_check"]["intact"] is True
    assert items["journeys"]["rebuilt_since"] is False

    # The shadow tables are gone, and readers never saw them.
    tracked = rawdb.query(database_url, "SELECT name, generation, state FROM jejak_projections")
    assert {row[2] for row in tracked} == {"active"}
    assert {row[1] for row in tracked} == {1}

    officer = login(client, "petugas")
    assert client.get("/v1/audit/read-models", headers=officer).status_code == 403


def test_checking_one_read_model_checks_only_that_one(
    runtime: Runtime,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    programme(runtime)
    caught_up(runtime)
    use_settings(settings, monkeypatch)
    assert main(["projections", "check", "journeys"]) == 0
    assert capsys.readouterr().out.startswith("journeys: ")
    assert [check.name for check in runtime.read_models.checks()] == ["journeys"]
    assert main(["projections", "check", "nonesuch"]) == 2
