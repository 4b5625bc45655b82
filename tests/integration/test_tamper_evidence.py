"""Someone with write access to the database edits history behind the service's back: each
kind of edit is found, and the history it hurt named, by `jejak audit verify`, by
`GET /v1/audit/verify` and by verification against a signed checkpoint, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from application.workers import AddDependent
from application.writes import WriteOptions
from domain.worker import Relationship
from infrastructure.bootstrap import Runtime
from infrastructure.checkpoints import MISSING_LIMIT
from tests import rawdb
from tests.rawdb import id_param, position_column
from tests.support import VILLAGE, create_user, login
from tests.tamper import AuditedStore, add_children, named, worker_with_children


def kinds(runtime: Runtime, aggregate_id: UUID) -> set[str]:
    result = runtime.app.verify_chains(SYSTEM_PRINCIPAL)
    assert aggregate_id in result.failed
    return {p.kind for p in result.problems if p.aggregate_id == aggregate_id}


def test_an_untouched_store_verifies_everywhere(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    worker_with_children(audited.runtime)
    worker_with_children(audited.runtime)
    statement = audited.checkpoint()
    result = audited.runtime.app.verify_chains(SYSTEM_PRINCIPAL)
    # The auditor (a user: one event) and the two workers.
    assert (result.checked, result.events, result.failed, result.problems) == (3, 11, [], [])
    assert result.missing_positions == []
    for surface, verdict in audited.verdicts(capsys, statement).items():
        assert verdict["intact"] is True, (surface, verdict)
        assert verdict.get("status", 0) == 0, surface


def test_changed_bytes_are_named_everywhere(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    target = worker_with_children(audited.runtime)
    other = worker_with_children(audited.runtime)
    statement = audited.checkpoint()
    rawdb.execute(
        audited.url,
        "UPDATE jejak_events SET state = %s WHERE originator_id = %s AND originator_version = 3",
        (b'{"forged": true}', id_param(audited.url, target)),
        bypass_triggers=True,
    )
    result = audited.runtime.app.verify_chains(SYSTEM_PRINCIPAL)
    assert result.failed == [target]
    assert {(p.version, p.kind) for p in result.problems} == {(3, "changed")}
    assert other not in result.failed
    for surface, names in audited.named_everywhere(capsys, statement).items():
        assert names == {(str(target), "changed")}, surface
    # Nothing was cut off, yet a checkpoint verification does not say intact.
    against = audited.runtime.app.verify_against_checkpoint(SYSTEM_PRINCIPAL, statement)
    assert against.events_found == against.events_expected
    assert against.missing_positions == []
    assert not against.intact


def test_a_removed_event_is_named_everywhere(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    target = worker_with_children(audited.runtime)
    worker_with_children(audited.runtime)
    statement = audited.checkpoint()
    removed = rawdb.position_of(audited.url, target, 2)
    rawdb.execute(
        audited.url,
        "DELETE FROM jejak_events WHERE originator_id = %s AND originator_version = 2",
        (id_param(audited.url, target),),
        bypass_triggers=True,
    )
    assert "removed" in kinds(audited.runtime, target)
    assert audited.runtime.app.verify_chains(SYSTEM_PRINCIPAL).missing_positions == [removed]
    for surface, names in audited.named_everywhere(capsys, statement).items():
        assert (str(target), "removed") in names, surface
        assert {aggregate for aggregate, _ in names} == {str(target)}, surface


def test_reordered_events_of_one_history_are_named_everywhere(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    target = worker_with_children(audited.runtime)
    statement = audited.checkpoint()
    key = id_param(audited.url, target)
    for statement_sql in (
        "UPDATE jejak_events SET originator_version = 100 WHERE originator_id = %s AND originator_version = 2",
        "UPDATE jejak_events SET originator_version = 2 WHERE originator_id = %s AND originator_version = 3",
        "UPDATE jejak_events SET originator_version = 3 WHERE originator_id = %s AND originator_version = 100",
    ):
        rawdb.execute(audited.url, statement_sql, (key,), bypass_triggers=True)
    assert "reordered" in kinds(audited.runtime, target)
    for surface, names in audited.named_everywhere(capsys, statement).items():
        assert (str(target), "reordered") in names, surface


def test_an_inserted_event_is_named_everywhere(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    target = worker_with_children(audited.runtime, children=2)
    statement = audited.checkpoint()
    key = id_param(audited.url, target)
    rows = rawdb.query(
        audited.url,
        "SELECT topic, state FROM jejak_events WHERE originator_id = %s AND originator_version = 2",
        (key,),
    )
    topic, state = rows[0]
    for version in (3, 2):  # make room at version 3
        rawdb.execute(
            audited.url,
            f"UPDATE jejak_events SET originator_version = originator_version + 1 "
            f"WHERE originator_id = %s AND originator_version = {version}",
            (key,),
            bypass_triggers=True,
        )
    rawdb.execute(
        audited.url,
        f"INSERT INTO jejak_events ({position_column(audited.url)}, originator_id, "
        "originator_version, topic, state, hash) VALUES (%s, %s, 2, %s, %s, %s)",
        (1000, key, topic, bytes(state), b"\x01" * 32),
    )
    assert "inserted" in kinds(audited.runtime, target)
    for surface, names in audited.named_everywhere(capsys, statement).items():
        assert (str(target), "inserted") in names, surface


def test_two_histories_swapped_in_the_feed_are_both_named_everywhere(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each history's own chain is untouched: only the feed says the order changed."""
    first = worker_with_children(audited.runtime)
    second = worker_with_children(audited.runtime)
    statement = audited.checkpoint()
    p = position_column(audited.url)
    last_of_first = rawdb.position_of(audited.url, first, 5)
    for old, new in ((last_of_first, -1), (last_of_first + 1, last_of_first), (-1, last_of_first + 1)):
        rawdb.execute(
            audited.url,
            f"UPDATE jejak_events SET {p} = %s WHERE {p} = %s",
            (new, old),
            bypass_triggers=True,
        )
    result = audited.runtime.app.verify_chains(SYSTEM_PRINCIPAL)
    assert set(result.failed) == {first, second}
    assert result.missing_positions == []
    for surface, names in audited.named_everywhere(capsys, statement).items():
        assert names == {(str(first), "moved"), (str(second), "moved")}, surface


def test_cutting_a_historys_newest_events_and_renumbering_names_that_history_everywhere(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two welfare-like facts cut from the end of one history, the positions after them
    moved down to close the hole: the history's chain looks whole and nothing is missing,
    but the event after the cut still names what came before it."""
    target = worker_with_children(audited.runtime)
    other = worker_with_children(audited.runtime)
    add_children(audited.runtime, target, 2)  # the newest two of the target
    third = worker_with_children(audited.runtime)
    statement = audited.checkpoint()
    cut = rawdb.position_of(audited.url, target, 7)
    rawdb.execute(
        audited.url,
        "DELETE FROM jejak_events WHERE originator_id = %s AND originator_version > 5",
        (id_param(audited.url, target),),
        bypass_triggers=True,
    )
    rawdb.renumber(audited.url, above=cut, by=-2)
    result = audited.runtime.app.verify_chains(SYSTEM_PRINCIPAL)
    assert result.missing_positions == []
    assert result.failed == [target]
    assert {(p.aggregate_id, p.kind) for p in result.problems} == {
        (target, "removed"),
        (None, "renumbered"),
    }
    assert other not in result.failed
    assert third not in result.failed
    for surface, names in audited.named_everywhere(capsys, statement).items():
        assert (str(target), "removed") in names, surface
        assert (None, "renumbered") in names, surface


def test_cutting_the_last_event_is_named_against_a_checkpoint(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """The newest event of the whole feed leaves nothing behind to break: only a
    checkpoint taken before sees it gone, and it names the history."""
    worker_with_children(audited.runtime)
    target = worker_with_children(audited.runtime)
    statement = audited.checkpoint()
    last = rawdb.position_of(audited.url, target, 5)
    assert audited.runtime.app.verify_against_checkpoint(SYSTEM_PRINCIPAL, statement).intact
    rawdb.execute(
        audited.url,
        "DELETE FROM jejak_events WHERE originator_id = %s AND originator_version = 5",
        (id_param(audited.url, target),),
        bypass_triggers=True,
    )
    assert audited.runtime.app.verify_chains(SYSTEM_PRINCIPAL).intact  # a chain cannot see it
    result = audited.runtime.app.verify_against_checkpoint(SYSTEM_PRINCIPAL, statement)
    assert not result.intact
    assert result.events_found == result.events_expected - 1
    assert result.missing_positions == [last]
    assert not result.heads_match
    verdicts = audited.verdicts(capsys, statement)
    for surface in ("jejak audit verify --checkpoint", "POST /v1/audit/verify/checkpoint"):
        verdict = verdicts[surface]
        assert verdict["intact"] is False, surface
        assert (str(target), "removed") in named(verdict), surface
        assert verdict["missing_positions"] == [last], surface
    assert verdicts["jejak audit verify --checkpoint"]["status"] == 1


def test_an_event_without_its_feed_seal_is_named(runtime: Runtime, database_url: str) -> None:
    target = worker_with_children(runtime, children=2)
    rawdb.execute(
        database_url,
        "UPDATE jejak_events SET feed_seal = NULL WHERE originator_id = %s AND originator_version = 2",
        (id_param(database_url, target),),
        bypass_triggers=True,
    )
    assert kinds(runtime, target) == {"unsealed"}
    assert runtime.app.verify_chains(SYSTEM_PRINCIPAL, target).failed == [target]


def test_a_checkpoint_signed_by_someone_else_is_refused(runtime: Runtime) -> None:
    worker_with_children(runtime, children=1)
    statement = runtime.app.make_checkpoint(SYSTEM_PRINCIPAL)
    forged = {**statement, "events": statement["events"] + 1}
    result = runtime.app.verify_against_checkpoint(SYSTEM_PRINCIPAL, forged)
    assert not result.valid_signature
    assert not result.intact


def test_a_checkpoint_naming_a_position_far_beyond_the_feed_is_answered_at_once(
    runtime: Runtime,
) -> None:
    """A forged position (found by the fuzzer: 2,993,856,506,733,288,448) listed every
    missing position before counting them, and the process ran out of memory."""
    worker_with_children(runtime, children=1)
    statement = runtime.app.make_checkpoint(SYSTEM_PRINCIPAL)
    far = {**statement, "position": 2_993_856_506_733_288_448}
    result = runtime.app.verify_against_checkpoint(SYSTEM_PRINCIPAL, far)
    assert not result.valid_signature
    assert not result.intact
    assert result.missing_positions[0] == statement["position"] + 1
    assert len(result.missing_positions) == MISSING_LIMIT


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


def test_a_position_or_version_altered_out_of_range_is_named_not_fatal(
    runtime: Runtime, database_url: str
) -> None:
    target = worker_with_children(runtime, children=2)
    other = worker_with_children(runtime, children=1)
    p = position_column(database_url)
    rawdb.execute(
        database_url,
        "UPDATE jejak_events SET originator_version = -5 WHERE originator_id = %s "
        "AND originator_version = 2",
        (id_param(database_url, target),),
        bypass_triggers=True,
    )
    last = rawdb.position_of(database_url, other, 2)
    rawdb.execute(
        database_url, f"UPDATE jejak_events SET {p} = -7 WHERE {p} = %s", (last,), bypass_triggers=True
    )
    result = runtime.app.verify_chains(SYSTEM_PRINCIPAL)
    assert target in result.failed
    assert other in result.failed
