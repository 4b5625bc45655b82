"""Helpers shared by the tests: settings and runtimes, synthetic NIKs, users, tokens, demo
programmes, a real server. Test modules import them from here (conftest.py holds fixtures
and hooks only)."""

from __future__ import annotations

import itertools
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from application.users import CreateUser
from application.writes import WriteOptions
from domain.events import Role
from infrastructure.bootstrap import Runtime, build_runtime
from infrastructure.settings import Settings
from interfaces import demo

PASSWORD = "a long passphrase"
VILLAGE = "35.07.12.2001"  # Ternyang, Sumberpucung, Kabupaten Malang
OTHER_VILLAGE = "35.07.12.2002"  # Senggreng, same district
FAR_VILLAGE = "33.01.01.2001"  # in Kabupaten Cilacap, Jawa Tengah

#: The PostgreSQL server of the run (each run makes a database of its own on it).
ADMIN_URL = os.environ.get(
    "JEJAK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)

_serials = itertools.count(1)

#: Every NIK and name of a person the run used, to check no log line ever carried one.
PERSONAL_VALUES: set[str] = set()
#: Log lines of the whole run (this process's records and the servers tests started).
CAPTURED_LOGS: list[str] = []


def personal(*values: str) -> None:
    PERSONAL_VALUES.update(v for v in values if v)


def captured(text: str) -> None:
    """Adds what a server started by a test wrote to its log."""
    CAPTURED_LOGS.append(text)


def make_settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        master_key=secrets.token_urlsafe(48),
        signing_key=secrets.token_urlsafe(48),
        dev_key_file=tmp_path / "keys.json",
        pool_size=2,
    )


def fast_runtime(settings: Settings) -> Runtime:
    """A runtime with cheap password hashing (the tests create many users)."""
    return build_runtime(settings, fast_passwords=True)


def nik_for(
    birth_date: date, sex: str = "P", district: str = "350712", serial: int | None = None
) -> str:
    """A structurally valid, synthetic NIK (DDMMYY with +40 on the day for women)."""
    number = next(_serials) if serial is None else serial
    day = birth_date.day + (40 if sex == "P" else 0)
    nik = f"{district}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{number % 10000 or 1:04d}"
    personal(nik)
    return nik


def worker_body(**overrides: Any) -> dict[str, Any]:
    birth = date(1995, 7, 5)
    body: dict[str, Any] = {
        "nik": nik_for(birth, "P"),
        "full_name": "Siti Aminah",
        "sex": "P",
        "birth_date": birth.isoformat(),
        "village_code": VILLAGE,
        "phone": "081234567890",
    }
    body.update(overrides)
    personal(str(body.get("nik", "")), str(body.get("full_name", "")))
    return body


def create_user(runtime: Runtime, username: str, role: str, regions: tuple[str, ...] = ()) -> None:
    runtime.app.create_user(
        SYSTEM_PRINCIPAL,
        CreateUser(username=username, password=PASSWORD, role=Role(role), regions=regions),
        WriteOptions(),
    )


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def demo_programme(seed: int, workers: int, today: date) -> demo.Programme:
    """A planned ``jejak demo-data`` programme whose NIKs and names join the values the log
    scan looks for: plan through this what a test loads."""
    programme = demo.plan_programme(seed, workers, today)
    for worker in programme.workers:
        personal(worker.registration.nik, worker.registration.full_name)
    return programme


# Journeys -------------------------------------------------------------------------

#: Every document a departure needs under a p3mi placement, valid 2024-2034.
ALL_DOCUMENTS = (
    "marital_status_letter",
    "family_consent",
    "competency_certificate",
    "health_certificate",
    "passport",
    "work_visa",
    "work_contract",
    "bpjs_ketenagakerjaan",
    "pre_departure_orientation",
    "placement_agreement",
)


def journey_body(worker_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "worker_id": worker_id,
        "destination_country": "TW",
        "occupation": "caregiver",
        "placement_scheme": "p3mi",
        "p3mi": {"name": "PT Contoh Penempatan", "licence_number": "KEP 123/2021"},
    }
    body.update(overrides)
    return body


def document_body(kind: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": kind,
        "number": f"{kind[:3].upper()}-0001",
        "issued_on": "2024-01-10",
        "expires_on": "2034-01-10",
        "occurred_on": "2024-01-15",
    }
    body.update(overrides)
    return body


DEPARTURE = {
    "departed_on": "2024-03-01",
    "employer": "Chen household",
    "contract_start": "2024-03-02",
    "contract_end": "2026-03-01",
}


# A real `jejak serve` on loopback ---------------------------------------------------------

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_env(database_url: str, workdir: Path) -> dict[str, str]:
    """The environment a `jejak` command of a test runs in: its store and its own keys."""
    return {
        **os.environ,
        "JEJAK_DATABASE_URL": database_url,
        "JEJAK_DEV_KEY_FILE": str(workdir / "keys.json"),
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    }


def use_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment an in-process ``jejak`` command (``interfaces.cli.main``) reads."""
    for name, value in {
        "JEJAK_DATABASE_URL": settings.database_url,
        "JEJAK_MASTER_KEY": settings.master_key or "",
        "JEJAK_SIGNING_KEY": settings.signing_key or "",
        "JEJAK_DEV_KEY_FILE": str(settings.dev_key_file),
    }.items():
        monkeypatch.setenv(name, value)


def create_users_by_cli(
    env: dict[str, str], workdir: Path, users: Mapping[str, tuple[str, tuple[str, ...]]]
) -> None:
    """Creates users (name -> role, regions) with `jejak users create`, as an operator would
    for a server a test starts."""
    for username, (role, regions) in users.items():
        command = [str(BIN / "jejak"), "users", "create", username, "--role", role]
        for region in regions:
            command += ["--region", region]
        subprocess.run(
            command,
            input=PASSWORD + "\n",
            env=env,
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )


@contextmanager
def jejak_serve(env: dict[str, str], workdir: Path, port: int | None = None) -> Iterator[str]:
    """Runs `jejak serve` until the block ends and yields its base URL (on ``port``, or a
    free one). What it wrote to its log joins the run's log lines, which the personal-data
    scan reads."""
    port = port or free_port()
    process = subprocess.Popen(
        [str(BIN / "jejak"), "serve", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        process.kill()
        _, errors = process.communicate()
        pytest.fail(f"jejak serve did not start: {errors.decode()}")
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            captured(process.stderr.read().decode(errors="replace"))
            process.stderr.close()
