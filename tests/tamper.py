"""What every way of reading the verdict says about a store edited behind the service's
back: ``jejak audit verify`` (with and without ``--checkpoint``), ``GET /v1/audit/verify``
and ``POST /v1/audit/verify/checkpoint``. A tamper test edits the store, then asks each of
them and checks that each names the history it hurt."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from application.workers import AddDependent, RegisterWorker
from application.writes import WriteOptions
from domain.worker import Relationship, Sex
from infrastructure.bootstrap import Runtime
from infrastructure.settings import Settings
from interfaces.cli import audit_command
from tests.support import VILLAGE, create_user, login, nik_for

Named = set[tuple[str | None, str]]


@dataclass
class AuditedStore:
    client: TestClient
    runtime: Runtime
    settings: Settings
    url: str
    auditor: dict[str, str]
    workdir: Path

    def checkpoint(self) -> dict[str, Any]:
        statement: dict[str, Any] = self.runtime.app.make_checkpoint(SYSTEM_PRINCIPAL)
        return statement

    def cli(self, capsys: pytest.CaptureFixture[str], **args: Any) -> tuple[int, dict[str, Any]]:
        capsys.readouterr()
        namespace = argparse.Namespace(
            **{"audit_command": "verify", "aggregate": None, "checkpoint": None, **args}
        )
        status = audit_command(self.settings, namespace)
        return status, json.loads(capsys.readouterr().out)

    def verdicts(
        self, capsys: pytest.CaptureFixture[str], statement: dict[str, Any]
    ) -> dict[str, dict[str, Any]]:
        """Each surface's answer (the CLI's with its exit status under ``status``)."""
        path = self.workdir / "checkpoint.json"
        path.write_text(json.dumps(statement))
        status, cli = self.cli(capsys)
        status_cp, cli_cp = self.cli(capsys, checkpoint=path)
        http = self.client.get("/v1/audit/verify", headers=self.auditor)
        http_cp = self.client.post(
            "/v1/audit/verify/checkpoint", json=statement, headers=self.auditor
        )
        assert http.status_code == 200, http.text
        assert http_cp.status_code == 200, http_cp.text
        return {
            "jejak audit verify": {**cli, "status": status},
            "jejak audit verify --checkpoint": {**cli_cp, "status": status_cp},
            "GET /v1/audit/verify": http.json(),
            "POST /v1/audit/verify/checkpoint": http_cp.json(),
        }

    def named_everywhere(
        self, capsys: pytest.CaptureFixture[str], statement: dict[str, Any]
    ) -> dict[str, Named]:
        """What each surface names, after checking that none of them says intact."""
        found: dict[str, Named] = {}
        for surface, verdict in self.verdicts(capsys, statement).items():
            assert verdict["intact"] is False, surface
            if "status" in verdict:
                assert verdict["status"] == 1, surface
            found[surface] = named(verdict)
        return found


def named(verdict: dict[str, Any]) -> Named:
    """(aggregate id, kind) of every problem a verdict lists, its nested verification's too."""
    problems = list(verdict.get("problems", []))
    problems += verdict.get("verification", {}).get("problems", [])
    return {(p["aggregate_id"], p["kind"]) for p in problems}


@pytest.fixture
def audited(
    client: TestClient, app_runtime: Runtime, settings: Settings, database_url: str, tmp_path: Path
) -> AuditedStore:
    create_user(app_runtime, "auditor", "auditor")
    return AuditedStore(
        client, app_runtime, settings, database_url, login(client, "auditor"), tmp_path
    )


def worker_with_children(runtime: Runtime, children: int = 4) -> UUID:
    birth = date(1992, 2, 2)
    worker_id = runtime.app.register_worker(
        SYSTEM_PRINCIPAL,
        RegisterWorker(
            nik=nik_for(birth, "L"),
            full_name="Joko",
            sex=Sex.LAKI_LAKI,
            birth_date=birth,
            village_code=VILLAGE,
        ),
        WriteOptions(),
    ).id
    add_children(runtime, worker_id, children)
    return worker_id


def add_children(runtime: Runtime, worker_id: UUID, children: int) -> None:
    for n in range(children):
        runtime.app.add_dependent(
            SYSTEM_PRINCIPAL,
            worker_id,
            AddDependent(
                name=f"Anak {n}", birth_date=date(2016, 1, 1), relationship=Relationship.CHILD
            ),
            WriteOptions(),
        )
