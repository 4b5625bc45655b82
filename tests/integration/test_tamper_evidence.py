"""Someone with write access to the database edits history behind the service's back: each
kind of edit is found by verification, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from application.workers import AddDependent, RegisterWorker
from application.writes import WriteOptions
from domain.worker import Relationship, Sex
from infrastructure.bootstrap import Runtime
from tests import rawdb
from tests.support import VILLAGE, create_user, login, nik_for


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
    for n in range(children):
        runtime.app.add_dependent(
            SYSTEM_PRINCIPAL,
            worker_id,
            AddDependent(
                name=f"Anak {n}", birth_date=date(2016, 1, 1), relationship=Relationship.CHILD
            ),
            WriteOptions(),
        )
    return worker_id


def id_param(url: str, aggregate_id: UUID) -> object:
    return aggregate_id.hex if url.startswith("sqlite") else aggregate_id


def kinds(runtime: Runtime, aggregate_id: UUID) -> set[str]:
    result = runtime.app.verify_chains(SYSTEM_PRINCIPAL)
    assert aggregate_id in result.failed
    return {p.kind for p in result.problems if p.aggregate_id == aggregate_id}


def test_an_untouched_store_verifies(runtime: Runtime) -> None:
    worker_with_children(runtime)
    worker_with_children(runtime)
    result = runtime.app.verify_chains(SYSTEM_PRINCIPAL)
    assert (result.checked, result.events, result.failed, result.problems) == (2, 10, [], [])
    assert result.missing_positions == []


def test_changed_bytes_are_found(runtime: Runtime, database_url: str) -> None:
    target = worker_with_children(runtime)
    other = worker_with_children(runtime)
    rawdb.execute(
        database_url,
        "UPDATE jejak_events SET state = %s WHERE originator_id = %s AND originator_version = 3",
        (b'{"forged": true}', id_param(database_url, target)),
        bypass_triggers=True,
    )
    result = runtime.app.verify_chains(SYSTEM_PRINCIPAL)
    assert result.failed == [target]
    assert {(p.version, p.kind) for p in result.problems} == {(3, "changed")}
    assert other not in result.failed


def test_a_removed_event_is_found(runtime: Runtime, database_url: str) -> None:
    target = worker_with_children(runtime)
    rawdb.execute(
        database_url,
        "DELETE FROM jejak_events WHERE originator_id = %s AND originator_version = 2",
        (id_param(database_url, target),),
        bypass_triggers=True,
    )
    assert "removed" in kinds(runtime, target)
    assert runtime.app.verify_chains(SYSTEM_PRINCIPAL).missing_positions == [2]


def test_reordered_events_are_found(runtime: Runtime, database_url: str) -> None:
    target = worker_with_children(runtime)
    key = id_param(database_url, target)
    for statement in (
        "UPDATE jejak_events SET originator_version = 100 WHERE originator_id = %s AND originator_version = 2",
        "UPDATE jejak_events SET originator_version = 2 WHERE originator_id = %s AND originator_version = 3",
        "UPDATE jejak_events SET originator_version = 3 WHERE originator_id = %s AND originator_version = 100",
    ):
        rawdb.execute(database_url, statement, (key,), bypass_triggers=True)
    assert "reordered" in kinds(runtime, target)


def test_an_inserted_event_is_found(runtime: Runtime, database_url: str) -> None:
    target = worker_with_children(runtime, children=2)
    key = id_param(database_url, target)
    rows = rawdb.query(
        database_url,
        "SELECT topic, state FROM jejak_events WHERE originator_id = %s AND originator_version = 2",
        (key,),
    )
    topic, state = rows[0]
    position = "rowid" if database_url.startswith("sqlite") else "notification_id"
    for version in (3, 2):  # make room at version 3
        rawdb.execute(
            database_url,
            f"UPDATE jejak_events SET originator_version = originator_version + 1 "
            f"WHERE originator_id = %s AND originator_version = {version}",
            (key,),
            bypass_triggers=True,
        )
    rawdb.execute(
        database_url,
        f"INSERT INTO jejak_events ({position}, originator_id, originator_version, topic, state, hash) "
        "VALUES (%s, %s, 2, %s, %s, %s)",
        (1000, key, topic, bytes(state), b"\x01" * 32),
    )
    found = kinds(runtime, target)
    assert "inserted" in found


def test_truncation_after_a_checkpoint_is_found(runtime: Runtime, database_url: str) -> None:
    target = worker_with_children(runtime)
    statement = runtime.app.make_checkpoint(SYSTEM_PRINCIPAL)
    assert runtime.app.verify_against_checkpoint(SYSTEM_PRINCIPAL, statement).intact
    rawdb.execute(
        database_url,
        "DELETE FROM jejak_events WHERE originator_id = %s AND originator_version = 5",
        (id_param(database_url, target),),
        bypass_triggers=True,
    )
    assert runtime.app.verify_chains(SYSTEM_PRINCIPAL).failed == []  # a chain cannot see it
    result = runtime.app.verify_against_checkpoint(SYSTEM_PRINCIPAL, statement)
    assert not result.intact
    assert result.events_found == result.events_expected - 1
    assert result.missing_positions == [5]
    assert not result.heads_match


def test_a_checkpoint_signed_by_someone_else_is_refused(runtime: Runtime) -> None:
    worker_with_children(runtime, children=1)
    statement = runtime.app.make_checkpoint(SYSTEM_PRINCIPAL)
    forged = {**statement, "events": statement["events"] + 1}
    result = runtime.app.verify_against_checkpoint(SYSTEM_PRINCIPAL, forged)
    assert not result.valid_signature
    assert not result.intact


def test_later_events_do_not_disturb_an_earlier_checkpoint(runtime: Runtime) -> None:
    target = worker_with_children(runtime, children=1)
    statement = runtime.app.make_checkpoint(SYSTEM_PRINCIPAL)
    runtime.app.add_dependent(
        SYSTEM_PRINCIPAL,
        target,
        AddDependent(name="Baru", birth_date=date(2020, 1, 1), relationship=Relationship.CHILD),
        WriteOptions(),
    )
    worker_with_children(runtime, children=1)
    assert runtime.app.verify_against_checkpoint(SYSTEM_PRINCIPAL, statement).intact


@pytest.mark.parametrize("table", ["jejak_access_log"])
def test_the_access_log_is_append_only(runtime: Runtime, database_url: str, table: str) -> None:
    worker_id = worker_with_children(runtime, children=0)
    runtime.app.get_worker(SYSTEM_PRINCIPAL, worker_id)
    with pytest.raises(Exception, match="append-only"):
        rawdb.execute(database_url, f"DELETE FROM {table}")


#: An edit made with the database's own string functions: on SQLite, replace() hands back
#: text where a BLOB was, which the verifier must read as changed bytes, not trip over.
TEXT_EDIT = {
    "sqlite": "UPDATE jejak_events SET state = replace(state, 'relationship', 'relasi') "
    "WHERE originator_id = %s AND originator_version = 2",
    "postgres": "UPDATE jejak_events SET state = convert_to(replace(convert_from(state, "
    "'UTF8'), 'relationship', 'relasi'), 'UTF8') "
    "WHERE originator_id = %s AND originator_version = 2",
}


def test_an_edit_that_leaves_text_in_the_state_column_is_found(
    runtime: Runtime, database_url: str
) -> None:
    target = worker_with_children(runtime)
    backend = "sqlite" if database_url.startswith("sqlite") else "postgres"
    rawdb.execute(
        database_url, TEXT_EDIT[backend], (id_param(database_url, target),), bypass_triggers=True
    )
    assert kinds(runtime, target) == {"changed"}
    one = runtime.app.verify_chains(SYSTEM_PRINCIPAL, target)
    assert one.failed == [target]


def test_verifying_a_history_that_does_not_exist_is_not_found(runtime: Runtime) -> None:
    from uuid import uuid4

    from application.errors import NotFound

    with pytest.raises(NotFound):
        runtime.app.verify_chains(SYSTEM_PRINCIPAL, uuid4())


def test_a_forged_event_is_shown_as_undecodable_and_the_export_goes_past_it(
    client: TestClient, app_runtime: Runtime, database_url: str
) -> None:
    """Auditors still read, page and export the whole feed; reading the damaged record
    itself says what is wrong instead of failing with a 500."""
    target = worker_with_children(app_runtime, children=2)
    rawdb.execute(
        database_url,
        "UPDATE jejak_events SET state = %s WHERE originator_id = %s AND originator_version = 2",
        (b"not json at all", id_param(database_url, target)),
        bypass_triggers=True,
    )
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "petugas", "officer", (VILLAGE,))
    auditor = login(client, "auditor")

    stream = client.get(f"/v1/audit/streams/{target}", headers=auditor)
    assert stream.status_code == 200, stream.text
    damaged = stream.json()["events"][1]
    assert damaged["data"]["undecodable"] is True
    assert damaged["recorded_at"] is None
    feed = client.get("/v1/audit/events", headers=auditor)
    assert feed.status_code == 200
    total = len(feed.json()["events"])
    export = client.get("/v1/audit/events", headers={**auditor, "Accept": "application/x-ndjson"})
    lines = [json.loads(line) for line in export.text.splitlines()]
    assert len(lines) == total
    assert sum(1 for line in lines if line["data"].get("undecodable")) == 1

    read = client.get(f"/v1/workers/{target}", headers=login(client, "petugas"))
    assert read.status_code == 503
    assert read.json()["error"]["code"] == "integrity_error"
