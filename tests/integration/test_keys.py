"""Secrets: production refuses weak keys; rotating the master key re-wraps data keys without
touching a single event."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from application.workers import RegisterWorker
from application.writes import WriteOptions
from domain.worker import Sex
from infrastructure.bootstrap import build_runtime
from infrastructure.settings import InsecureSettings, Settings
from infrastructure.vault import MasterKeyMismatch
from interfaces.cli import serve_command
from interfaces.http.app import create_app
from tests import rawdb
from tests.support import VILLAGE, create_user, login, nik_for, personal

STRONG = secrets.token_urlsafe(48)


@pytest.mark.parametrize(
    ("master", "signing", "why"),
    [
        (None, STRONG, "required"),
        ("short-key", STRONG, "at least 32"),
        ("change-me-change-me-change-me-change-me", STRONG, "placeholder"),
        ("x" * 40, STRONG, "placeholder"),
        (STRONG, STRONG, "must differ"),
    ],
    # Named, not derived from the random key: pytest-xdist workers each collect the suite and
    # refuse to run when their test ids differ.
    ids=["missing", "short", "placeholder-words", "placeholder-repeated", "same-as-signing"],
)
def test_production_refuses_missing_short_or_placeholder_keys(
    master: str | None, signing: str, why: str, tmp_path: Path
) -> None:
    settings = Settings(
        env="production", master_key=master, signing_key=signing, dev_key_file=tmp_path / "k"
    )
    with pytest.raises(InsecureSettings, match=why):
        settings.with_keys()
    assert not (tmp_path / "k").exists()


def test_the_service_will_not_start_in_production_with_a_weak_key(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "JEJAK_ENV": "production",
        "JEJAK_MASTER_KEY": "changeme",
        "JEJAK_SIGNING_KEY": STRONG,
        "JEJAK_DATABASE_URL": f"sqlite:///{tmp_path}/j.sqlite3",
    }
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jejak"), "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "JEJAK_MASTER_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert "changeme" not in result.stderr


def test_development_keys_are_generated_once_and_kept(tmp_path: Path) -> None:
    settings = Settings(dev_key_file=tmp_path / "keys.json")
    first, second = settings.with_keys(), settings.with_keys()
    assert first.master_key == second.master_key
    assert first.signing_key == second.signing_key
    assert first.master_key != first.signing_key
    assert oct((tmp_path / "keys.json").stat().st_mode)[-3:] == "600"


def test_rotating_the_master_key_rewraps_data_keys_and_leaves_events_alone(
    database_url: str, tmp_path: Path
) -> None:
    old, new = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
    base = Settings(
        database_url=database_url, master_key=old, signing_key=STRONG, dev_key_file=tmp_path / "k"
    )
    birth = date(1993, 3, 3)
    nik = nik_for(birth, "L")
    personal(nik, "Bambang Pamungkas")
    first = build_runtime(base, fast_passwords=True)
    try:
        worker_id = first.app.register_worker(
            SYSTEM_PRINCIPAL,
            RegisterWorker(
                nik=nik,
                full_name="Bambang Pamungkas",
                sex=Sex.LAKI_LAKI,
                birth_date=birth,
                village_code=VILLAGE,
            ),
            WriteOptions(),
        ).id
    finally:
        first.close()
    events_before = rawdb.query(
        database_url, "SELECT state, hash FROM jejak_events ORDER BY originator_version"
    )

    rotating = build_runtime(
        base.model_copy(update={"master_key": new, "previous_master_key": old}), fast_passwords=True
    )
    try:
        assert rotating.app.get_worker(SYSTEM_PRINCIPAL, worker_id).full_name == "Bambang Pamungkas"
        assert rotating.app.rotate_keys(SYSTEM_PRINCIPAL) == 1
    finally:
        rotating.close()

    rotated = build_runtime(base.model_copy(update={"master_key": new}), fast_passwords=True)
    try:
        assert rotated.app.get_worker(SYSTEM_PRINCIPAL, worker_id).full_name == "Bambang Pamungkas"
    finally:
        rotated.close()
    assert (
        rawdb.query(
            database_url, "SELECT state, hash FROM jejak_events ORDER BY originator_version"
        )
        == events_before
    )

    stale = build_runtime(base, fast_passwords=True)
    try:
        with pytest.raises(MasterKeyMismatch):
            stale.app.get_worker(SYSTEM_PRINCIPAL, worker_id)
    finally:
        stale.close()


def test_a_wrong_master_key_stops_the_service_instead_of_failing_each_read(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Started with a key other than the one the data keys were wrapped with, the service
    refuses to start; an API already running says 503 and /readyz says why, never a 500."""
    right, wrong = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
    base = Settings(
        database_url=database_url, master_key=right, signing_key=STRONG, dev_key_file=tmp_path / "k"
    )
    birth = date(1991, 2, 2)
    nik = nik_for(birth, "P")
    personal(nik, "Wulan Sari")
    runtime = build_runtime(base, fast_passwords=True)
    try:
        worker_id = runtime.app.register_worker(
            SYSTEM_PRINCIPAL,
            RegisterWorker(
                nik=nik,
                full_name="Wulan Sari",
                sex=Sex.PEREMPUAN,
                birth_date=birth,
                village_code=VILLAGE,
            ),
            WriteOptions(),
        ).id
        create_user(runtime, "auditor", "auditor")
    finally:
        runtime.close()
    stale = base.model_copy(update={"master_key": wrong})

    assert serve_command(stale, None, None) == 1
    refusal = capsys.readouterr().err
    assert "1 personal-data keys" in refusal
    assert wrong not in refusal
    assert right not in refusal

    with TestClient(create_app(stale)) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["keys"] == {"unreadable": 1}
        read = client.get(f"/v1/workers/{worker_id}", headers=login(client, "auditor"))
        assert read.status_code == 503
        assert read.json()["error"]["code"] == "key_unavailable"


class _NoDatabase:
    """Stands in for the vault's database once its keys are loaded: any query fails."""

    def reading(self) -> None:
        raise AssertionError("the vault asked the database again")

    transaction = reading


def test_data_keys_load_in_one_go_and_erased_people_stay_erased(
    database_url: str, tmp_path: Path
) -> None:
    """What catching the duplicate index up after a large import relies on: the keys of a
    batch's people read together, the same keys ``key_for`` gives, an erasure honoured."""
    settings = Settings(
        database_url=database_url, master_key=STRONG, signing_key=secrets.token_urlsafe(48),
        dev_key_file=tmp_path / "k",
    )  # fmt: skip
    first = build_runtime(settings, fast_passwords=True)
    try:
        ids = []
        for serial, name in enumerate(("Siti Aminah", "Dewi Lestari", "Rina Wati")):
            birth = date(1990, 1, 1 + serial)
            nik = nik_for(birth, "P", serial=700 + serial)
            personal(nik, name)
            ids.append(first.app.register_worker(
                SYSTEM_PRINCIPAL,
                RegisterWorker(nik=nik, full_name=name, sex=Sex.PEREMPUAN, birth_date=birth,
                               village_code=VILLAGE),
                WriteOptions(),
            ).id)  # fmt: skip
        first.app.erase_worker(SYSTEM_PRINCIPAL, ids[2], "on request", WriteOptions())
        expected = {str(i): first.app.factory.vault.key_for(str(i), create=False) for i in ids}
    finally:
        first.close()
    assert expected[str(ids[2])] is None
    assert None not in list(expected.values())[:2]

    second = build_runtime(settings, fast_passwords=True)
    try:
        vault = second.app.factory.vault
        unknown = uuid.uuid4()
        second.app.personal_data.load_keys([*ids, unknown])
        assert vault.key_for(str(ids[2]), create=False) is None
        assert vault.key_for(str(unknown), create=False) is None
        vault.db = _NoDatabase()
        assert [vault.key_for(str(i), create=False) for i in ids[:2]] == [
            expected[str(i)] for i in ids[:2]
        ]
    finally:
        second.close()
