"""PostgreSQL with two real roles: an owner that creates and upgrades the schema
(`jejak db init|upgrade`), and the service's role, which does everything the service does
and nothing that would let it rewrite history: no TRUNCATE, no UPDATE or DELETE of events
or the access log, no DDL. Roles are cluster-wide: each run makes its own and drops them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from infrastructure.bootstrap import build_runtime
from infrastructure.schema import SchemaOutdated
from infrastructure.settings import Settings
from interfaces.cli import main
from interfaces.http.app import create_app
from tests import rawdb
from tests.support import (
    VILLAGE,
    create_user,
    fast_runtime,
    journey_body,
    login,
    make_settings,
    worker_body,
)


@dataclass(frozen=True)
class TwoRoles:
    owner_url: str
    service_url: str
    service: str
    settings: Settings

    def env(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name, value in {
            "JEJAK_DATABASE_URL": self.service_url,
            "JEJAK_OWNER_DATABASE_URL": self.owner_url,
            "JEJAK_MASTER_KEY": self.settings.master_key or "",
            "JEJAK_SIGNING_KEY": self.settings.signing_key or "",
            "JEJAK_DEV_KEY_FILE": str(self.settings.dev_key_file),
        }.items():
            monkeypatch.setenv(name, value)


@pytest.fixture
def two_roles(pg_database: str, tmp_path: Path) -> Iterator[TwoRoles]:
    suffix = secrets.token_hex(4)
    owner, service, schema = f"jejak_owner_{suffix}", f"jejak_app_{suffix}", f"roles_{suffix}"
    parts = urlsplit(pg_database)
    database = parts.path.lstrip("/")
    with psycopg.connect(pg_database, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{owner}" LOGIN')
        admin.execute(f'CREATE ROLE "{service}" LOGIN')
        admin.execute(f'GRANT CREATE ON DATABASE "{database}" TO "{owner}"')

    def url(role: str) -> str:
        return (
            f"postgresql://{role}@{parts.hostname}:{parts.port or 5432}/{database}?schema={schema}"
        )

    settings = make_settings(url(service), tmp_path).model_copy(
        update={"owner_database_url": url(owner)}
    )
    try:
        yield TwoRoles(url(owner), url(service), service, settings)
    finally:
        with psycopg.connect(pg_database, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            for role in (owner, service):
                admin.execute(f'DROP OWNED BY "{role}" CASCADE')
                admin.execute(f'DROP ROLE "{role}"')


def init(two_roles: TwoRoles, monkeypatch: pytest.MonkeyPatch, command: str = "init") -> None:
    two_roles.env(monkeypatch)
    assert main(["db", command]) == 0


#: What the service's role must never be able to do.
REFUSED = (
    "TRUNCATE jejak_access_log",
    "TRUNCATE jejak_events",
    "UPDATE jejak_events SET topic = 'jejak:Worker.Forged'",
    "DELETE FROM jejak_events",
    "UPDATE jejak_access_log SET username = 'nobody'",
    "DELETE FROM jejak_access_log",
    "ALTER TABLE jejak_events DISABLE TRIGGER jejak_events_append_only",
    "ALTER TABLE jejak_access_log DISABLE TRIGGER jejak_access_log_append_only",
    "DROP TABLE jejak_events",
    "CREATE TABLE jejak_elsewhere (a int)",
    "UPDATE jejak_schema SET version = 'x'",
)


def test_the_service_role_does_its_work_and_nothing_more(
    two_roles: TwoRoles, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    init(two_roles, monkeypatch)
    assert f"granted role {two_roles.service}" in capsys.readouterr().out
    app = create_app(two_roles.settings, runtime_factory=fast_runtime)
    with TestClient(app) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        for name, role, regions in (
            ("petugas", "officer", (VILLAGE,)),
            ("admin", "admin", ()),
            ("koordinator", "coordinator", ("35.07",)),
        ):
            create_user(runtime, name, role, regions)
        officer, admin = login(client, "petugas"), login(client, "admin")
        registered = client.post("/v1/workers", json=worker_body(), headers=officer)
        assert registered.status_code == 201, registered.text
        worker_id = registered.json()["id"]
        assert client.get(f"/v1/workers/{worker_id}", headers=officer).status_code == 200
        journey = client.post(
            "/v1/journeys",
            json=journey_body(worker_id),
            headers=officer,
        )
        assert journey.status_code == 201, journey.text
        runtime.app.take_snapshot(UUID(journey.json()["id"]))
        report = client.get(
            f"/v1/reports/journeys?min_position={journey.json()['position']}",
            headers=login(client, "koordinator"),
        )
        assert report.status_code == 200, report.text
        erased = client.post(
            f"/v1/workers/{worker_id}/erasure", json={"reason": "asked"}, headers=admin
        )
        assert erased.status_code == 201, erased.text
        assert runtime.app.verify_chains(SYSTEM_PRINCIPAL).intact
    with psycopg.connect(two_roles.service_url.split("?")[0], autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{urlsplit(two_roles.service_url).query.split("=")[1]}"')
        for statement in REFUSED:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)  # type: ignore[call-overload]
    assert rawdb.query(two_roles.owner_url, "SELECT COUNT(*) FROM jejak_access_log")[0][0] > 0


def test_the_service_role_refuses_to_start_on_an_older_schema(
    two_roles: TwoRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    init(two_roles, monkeypatch)
    rawdb.execute(two_roles.owner_url, "UPDATE jejak_schema SET version = '1;older'")
    with pytest.raises(SchemaOutdated, match="jejak db upgrade"):
        build_runtime(two_roles.settings, fast_passwords=True)
    assert main(["serve", "--port", "0"]) == 2
    init(two_roles, monkeypatch, "upgrade")
    runtime = build_runtime(two_roles.settings, fast_passwords=True)
    runtime.close()


def test_a_rebuild_as_the_owner_leaves_read_models_the_service_can_use(
    two_roles: TwoRoles, monkeypatch: pytest.MonkeyPatch
) -> None:
    init(two_roles, monkeypatch)
    assert main(["projections", "rebuild", "journeys"]) == 0
    runtime = build_runtime(two_roles.settings, fast_passwords=True)
    try:
        runtime.projections.process()
        statuses = {status.name: status for status in runtime.read_models.status()}
        assert statuses["journeys"].generation == 2
    finally:
        runtime.close()
