"""The event store under Jejak: gap-free positions, hash chains, append-only storage and
no personal data in clear. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from application.app import JejakApplication
from application.principal import SYSTEM_PRINCIPAL
from application.workers import AddDependent, RegisterWorker
from application.writes import WriteOptions
from domain.worker import Relationship, Sex
from infrastructure.bootstrap import Runtime, build_runtime
from infrastructure.chain import GENESIS, link
from infrastructure.crypto import derive_key
from infrastructure.persistence import library_env
from infrastructure.settings import Settings
from tests import rawdb
from tests.support import VILLAGE, make_settings, nik_for


def register(runtime: Runtime, name: str = "Siti Aminah", nik: str | None = None) -> UUID:
    birth = date(1995, 7, 5)
    result = runtime.app.register_worker(
        SYSTEM_PRINCIPAL,
        RegisterWorker(
            nik=nik or nik_for(birth, "P"),
            full_name=name,
            sex=Sex.PEREMPUAN,
            birth_date=birth,
            village_code=VILLAGE,
        ),
        WriteOptions(),
    )
    return result.id


def add_child(runtime: Runtime, worker_id: UUID, name: str) -> None:
    runtime.app.add_dependent(
        SYSTEM_PRINCIPAL,
        worker_id,
        AddDependent(name=name, birth_date=date(2015, 3, 2), relationship=Relationship.CHILD),
        WriteOptions(),
    )


def test_positions_are_gap_free_under_concurrent_and_conflicting_writers(runtime: Runtime) -> None:
    shared = register(runtime)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(5):
                add_child(runtime, shared, f"Anak {n}-{i}")  # conflicts, retried
                register(runtime, f"Pekerja {n}-{i}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    notifications = runtime.app.recorder.select_notifications(start=1, limit=10_000)
    assert [n.id for n in notifications] == list(range(1, 1 + 1 + 4 * 5 * 2))
    versions = [n.originator_version for n in notifications if n.originator_id == shared]
    assert versions == list(range(1, 22))


def test_each_event_is_linked_into_its_aggregates_keyed_hash_chain(
    runtime: Runtime, settings: Settings, database_url: str
) -> None:
    worker_id = register(runtime)
    add_child(runtime, worker_id, "Budi")
    add_child(runtime, worker_id, "Ani")
    key = derive_key(settings.with_keys().signing_key or "", "jejak:chain")
    rows = rawdb.query(
        database_url,
        "SELECT topic, state, hash FROM jejak_events WHERE originator_id = %s "
        "ORDER BY originator_version",
        (worker_id.hex if database_url.startswith("sqlite") else worker_id,),
    )
    assert len(rows) == 3
    previous = GENESIS
    for topic, state, stored in rows:
        expected = link(key, previous, worker_id, topic, bytes(state))
        assert bytes(stored) == expected
        previous = expected


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE jejak_events SET topic = 'jejak:Worker.Forged'",
        "DELETE FROM jejak_events",
    ],
)
def test_the_events_table_refuses_updates_and_deletes(
    runtime: Runtime, database_url: str, statement: str
) -> None:
    register(runtime)
    with pytest.raises(Exception, match="append-only"):
        rawdb.execute(database_url, statement)
    assert rawdb.query(database_url, "SELECT COUNT(*) FROM jejak_events") == [(1,)]


def test_postgres_refuses_truncate_too(postgres_url: str, tmp_path: Path) -> None:
    runtime = build_runtime(make_settings(postgres_url, tmp_path), fast_passwords=True)
    try:
        register(runtime)
    finally:
        runtime.close()
    with pytest.raises(Exception, match="append-only"):
        rawdb.execute(postgres_url, "TRUNCATE jejak_events")
    assert rawdb.query(postgres_url, "SELECT COUNT(*) FROM jejak_events") == [(1,)]


def test_no_nik_or_name_is_stored_in_clear(runtime: Runtime, database_url: str) -> None:
    nik = nik_for(date(1995, 7, 5), "P")
    worker_id = register(runtime, "Siti Rahayuningsih", nik)
    add_child(runtime, worker_id, "Bambang Sutejo")
    runtime.app.take_snapshot(worker_id)
    stored = rawdb.all_stored_bytes(database_url)
    for secret in (nik, "Siti Rahayuningsih", "Bambang Sutejo", "1995-07-05", "2015-03-02"):
        assert secret.encode() not in stored, secret
    worker = runtime.app.get_worker(SYSTEM_PRINCIPAL, worker_id)
    assert worker.full_name == "Siti Rahayuningsih"


def test_data_written_survives_a_restart_with_the_same_keys(settings: Settings) -> None:
    first = build_runtime(settings, fast_passwords=True)
    try:
        worker_id = register(first, "Siti Aminah")
    finally:
        first.close()
    second = build_runtime(settings, fast_passwords=True)
    try:
        assert second.app.get_worker(SYSTEM_PRINCIPAL, worker_id).full_name == "Siti Aminah"
    finally:
        second.close()


def test_postgres_database_functions_are_refused(postgres_url: str, tmp_path: Path) -> None:
    """In 9.5.6 they drop the table lock that keeps positions in commit order."""
    settings = make_settings(postgres_url, tmp_path).with_keys()
    env = {**library_env(settings), "POSTGRES_ENABLE_DB_FUNCTIONS": "yes"}
    services = build_runtime(settings, fast_passwords=True)
    try:
        with pytest.raises(OSError, match="table lock"):
            JejakApplication(env=env, services=services.app.services)
    finally:
        services.close()
