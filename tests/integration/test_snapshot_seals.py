"""Snapshots are bound to their aggregate, version and chain: one edited behind the service's
back is ignored (the events are replayed), logged without personal data, and named by every
verification; snapshots stored before seals existed are never trusted. SQLite and
PostgreSQL."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.application import project_aggregate
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from application.journeys import RecordDocument
from application.principal import SYSTEM_PRINCIPAL
from application.writes import WriteOptions
from domain.journey import Journey
from domain.vocabularies import DocumentKind
from infrastructure.bootstrap import Runtime
from infrastructure.mapper import SEALED, PersonalDataMapper
from infrastructure.settings import Settings
from tests import rawdb
from tests.integration.test_journeys_app import open_for, register
from tests.support import VILLAGE, create_user, login, make_settings
from tests.tamper import AuditedStore

INTERVAL = 5
NOTE = "Paspor B-7731"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Snapshots every five journey events, so a short journey has two."""
    return make_settings(database_url, tmp_path).model_copy(update={"snapshot_interval": INTERVAL})


def journey_of(runtime: Runtime, events: int) -> UUID:
    app = runtime.app
    journey_id = open_for(app, register(app))
    for n in range(events - 1):
        app.record_document(
            SYSTEM_PRINCIPAL,
            journey_id,
            RecordDocument(
                kind=DocumentKind.OTHER, number=f"{NOTE}-{n}", issued_on=date(2024, 1, 1)
            ),
            WriteOptions(),
        )
    return journey_id


def replayed(runtime: Runtime, journey_id: UUID) -> Journey:
    journey = project_aggregate(None, runtime.app.events.get(journey_id))
    assert isinstance(journey, Journey)
    return journey


def snapshot_versions(url: str) -> list[int]:
    return [
        int(r[0])
        for r in rawdb.query(url, "SELECT originator_version FROM jejak_snapshots ORDER BY 1")
    ]


def test_a_snapshot_moved_to_a_later_version_hides_nothing_and_is_named_everywhere(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack that worked: the snapshot at 10 relabelled 12 made every read skip
    events 11 and 12 while writes went on."""
    runtime = audited.runtime
    journey_id = journey_of(runtime, 12)
    assert snapshot_versions(audited.url) == [5, 10]
    statement = audited.checkpoint()
    rawdb.execute(
        audited.url,
        "UPDATE jejak_snapshots SET originator_version = 12 WHERE originator_version = 10",
    )
    create_user(runtime, "petugas", "officer", (VILLAGE,))
    officer = login(audited.client, "petugas")
    read = audited.client.get(f"/v1/journeys/{journey_id}", headers=officer)
    assert read.status_code == 200, read.text
    assert read.json()["version"] == 12
    assert len(read.json()["documents"]) == 11
    assert vars(runtime.app.get_journey(SYSTEM_PRINCIPAL, journey_id)) == vars(
        replayed(runtime, journey_id)
    )
    for surface, names in audited.named_everywhere(capsys, statement).items():
        assert names == {(str(journey_id), "snapshot")}, surface
    # Writes go on from the true state.
    runtime.app.record_document(
        SYSTEM_PRINCIPAL,
        journey_id,
        RecordDocument(kind=DocumentKind.OTHER, number="X", issued_on=date(2024, 1, 1)),
        WriteOptions(),
    )
    assert len(runtime.app.get_journey(SYSTEM_PRINCIPAL, journey_id).documents) == 12


def test_a_flipped_byte_in_a_snapshot_is_ignored_logged_and_named(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """It used to answer 500: the sealed box no longer opened."""
    runtime = audited.runtime
    journey_id = journey_of(runtime, 7)
    statement = audited.checkpoint()
    [(state,)] = rawdb.query(
        audited.url, "SELECT state FROM jejak_snapshots WHERE originator_version = 5"
    )
    flipped = bytearray(bytes(state))
    flipped[len(flipped) // 2] ^= 0x01
    rawdb.execute(
        audited.url,
        "UPDATE jejak_snapshots SET state = %s WHERE originator_version = 5",
        (bytes(flipped),),
    )
    create_user(runtime, "petugas", "officer", (VILLAGE,))
    officer = login(audited.client, "petugas")
    with caplog.at_level(logging.WARNING, logger="jejak.integrity"):
        read = audited.client.get(f"/v1/journeys/{journey_id}", headers=officer)
    assert read.status_code == 200, read.text
    assert read.json()["version"] == 7
    assert len(read.json()["documents"]) == 6
    ignored = [r for r in caplog.records if r.getMessage().startswith("snapshot ignored")]
    assert ignored
    assert ignored[0].aggregate_id == str(journey_id)  # type: ignore[attr-defined]
    assert NOTE not in caplog.text
    for surface, names in audited.named_everywhere(capsys, statement).items():
        assert names == {(str(journey_id), "snapshot")}, surface


def test_snapshots_stored_before_seals_are_not_trusted_and_are_replaced(
    runtime: Runtime, database_url: str
) -> None:
    """Both stored formats of before (the library's ``Snapshot`` and the packed
    ``jejak:Journey.Snapshot``), unsealed: loads replay the events instead, and the upgrade
    takes each snapshot again from the events, sealed."""
    from infrastructure.schema import upgrade

    app = runtime.app
    journey_id = journey_of(runtime, 12)
    assert app.snapshots is not None
    mapper = app.mapper
    assert isinstance(mapper, PersonalDataMapper)
    # Version 5 in the library's own format (sealed with the worker's key, not deflated),
    # version 10 as packed snapshots were stored: both without a seal, and the one at 10
    # holding a state that is not the journey's (it claims no documents at all).
    at_five = app.repository.get(journey_id, version=5)
    older = Snapshot.take(at_five)
    outer = mapper.transcoder.decode(mapper.to_stored_event(older).state)
    outer["state"] = {SEALED: mapper._seal(at_five.worker_id, older.state)}
    [packed] = app.snapshots.recorder.select_events(journey_id, lte=10, desc=True, limit=1)
    lying = Journey.Snapshot.take(app.repository.get(journey_id, version=1))
    lying_state = mapper.to_stored_event(lying).state
    rawdb.execute(database_url, "DELETE FROM jejak_snapshots")
    key = rawdb.id_param(database_url, journey_id)
    for version, topic, state in (
        (5, get_topic(Snapshot), mapper.transcoder.encode(outer)),
        (10, packed.topic, lying_state),
    ):
        rawdb.execute(
            database_url,
            "INSERT INTO jejak_snapshots (originator_id, originator_version, topic, state) "
            "VALUES (%s, %s, %s, %s)",
            (key, version, topic, state),
        )
    assert app.snapshots.recorder.select_events(journey_id) == []
    journey = app.get_journey(SYSTEM_PRINCIPAL, journey_id)
    assert vars(journey) == vars(replayed(runtime, journey_id))
    assert {p.kind for p in app.verify_chains(SYSTEM_PRINCIPAL).problems} == {"snapshot"}

    report = upgrade(app, runtime.projections)
    assert report.snapshots_replaced == 2
    stored = app.snapshots.recorder.select_events(journey_id)
    assert [(s.originator_version, s.topic) for s in stored] == [
        (5, "jejak:Journey.Snapshot"),
        (10, "jejak:Journey.Snapshot"),
    ]
    assert app.verify_chains(SYSTEM_PRINCIPAL).intact
    assert vars(app.repository.get(journey_id)) == vars(replayed(runtime, journey_id))


def test_a_snapshot_is_refused_for_a_version_never_recorded(runtime: Runtime) -> None:
    from eventsourcing.persistence import IntegrityError

    journey_id = journey_of(runtime, 2)
    assert runtime.app.snapshots is not None
    with pytest.raises(IntegrityError):
        runtime.app.snapshots.recorder.insert_events(
            [StoredEvent(journey_id, 99, "jejak:Journey.Snapshot", b"{}")]
        )
