"""Journey use cases on a real store, SQLite and PostgreSQL: the one-open-journey claim,
snapshots of long histories, erasure, an older event shape and time travel."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import Application, project_aggregate
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.utils import get_topic

from application.app import JejakApplication
from application.journeys import (
    CorrectJourney,
    EndJourney,
    NotYetRecorded,
    OpenJourney,
    ProvideMigrationInfo,
    RaiseIndication,
    RecordDeparture,
    RecordDocument,
    RecordReturn,
    ReportIncident,
    VersionNotFound,
)
from application.principal import SYSTEM_PRINCIPAL
from application.workers import RegisterWorker
from application.writes import WriteOptions
from domain.events import ERASED
from domain.journey import Journey, JourneyAlreadyOpen
from domain.vocabularies import (
    DocumentKind,
    IncidentCategory,
    Indicator,
    MigrationTopic,
    PlacementScheme,
    ReturnReason,
    Severity,
)
from domain.worker import Sex, WorkerErased
from infrastructure.bootstrap import Runtime
from infrastructure.mapper import DEFLATED, SEALED, PersonalDataMapper
from infrastructure.settings import Settings
from tests import rawdb
from tests.support import fast_runtime, nik_for

P = SYSTEM_PRINCIPAL
NO_OPTIONS = WriteOptions()


def register(app: JejakApplication) -> UUID:
    birth = date(1995, 7, 5)
    command = RegisterWorker(
        nik=nik_for(birth, "P"),
        full_name="Siti Aminah",
        sex=Sex.PEREMPUAN,
        birth_date=birth,
        village_code="35.07.12.2001",
    )
    return app.register_worker(P, command, NO_OPTIONS).id


def open_for(app: JejakApplication, worker_id: UUID) -> UUID:
    command = OpenJourney(
        worker_id=worker_id,
        destination_country="MY",
        occupation="plantation worker",
        placement_scheme=PlacementScheme.G_TO_G,
    )
    return app.open_journey(P, command, NO_OPTIONS).id


def depart_and_return(app: JejakApplication, journey_id: UUID) -> None:
    app.record_departure(
        P,
        journey_id,
        RecordDeparture(
            departed_on=date(2024, 3, 1),
            employer="Ladang Sawit Sdn Bhd",
            contract_start=date(2024, 3, 2),
            contract_end=date(2026, 3, 1),
        ),
        NO_OPTIONS,
    )
    app.record_return(
        P,
        journey_id,
        RecordReturn(returned_on=date(2025, 1, 5), reason=ReturnReason.EARLY_TERMINATION),
        NO_OPTIONS,
    )


def test_a_worker_has_one_open_journey_until_it_is_closed(runtime: Runtime) -> None:
    app = runtime.app
    worker_id = register(app)
    first = open_for(app, worker_id)
    with pytest.raises(JourneyAlreadyOpen) as raised:
        open_for(app, worker_id)
    assert raised.value.params["open_journey_id"] == str(first)
    depart_and_return(app, first)
    app.close_journey(P, first, EndJourney(reason="back home"), NO_OPTIONS)
    second = open_for(app, worker_id)
    assert second != first
    assert app.ledger.get_claim_owner("open_journey", str(worker_id)) == second


def test_two_officers_opening_a_journey_at_once_open_one(runtime: Runtime) -> None:
    app = runtime.app
    worker_id = register(app)
    outcomes: list[Any] = []
    barrier = threading.Barrier(4)

    def attempt() -> None:
        barrier.wait()
        try:
            outcomes.append(open_for(app, worker_id))
        except JourneyAlreadyOpen as error:
            outcomes.append(error)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    opened = [outcome for outcome in outcomes if isinstance(outcome, UUID)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, JourneyAlreadyOpen)]
    assert len(opened) == 1
    assert len(refused) == 3
    assert {error.params["open_journey_id"] for error in refused} == {str(opened[0])}


def _long_journey(app: JejakApplication, events: int) -> tuple[UUID, UUID]:
    worker_id = register(app)
    journey_id = open_for(app, worker_id)
    app.raise_indication(
        P,
        journey_id,
        RaiseIndication(indicators=[Indicator.EXCESSIVE_FEES], note="fees"),
        NO_OPTIONS,
    )
    for n in range(events - 2):
        app.record_document(
            P,
            journey_id,
            RecordDocument(kind=DocumentKind.OTHER, number=f"N-{n}", issued_on=date(2024, 1, 1)),
            NO_OPTIONS,
        )
    return worker_id, journey_id


def test_a_journey_longer_than_the_snapshot_interval_loads_the_same(runtime: Runtime) -> None:
    app = runtime.app
    _, journey_id = _long_journey(app, 120)
    assert app.snapshots is not None
    snapshots = [s.originator_version for s in app.snapshots.get(journey_id)]
    assert snapshots == [50, 100]

    journey = app.get_journey(P, journey_id)
    replayed = project_aggregate(None, app.events.get(journey_id))
    assert isinstance(replayed, Journey)
    assert journey.version == replayed.version == 120
    assert vars(journey) == vars(replayed)
    assert journey.documents == replayed.documents
    assert journey.indications == replayed.indications
    assert len(journey.documents) == 118
    assert journey.indications[0]["note"] == "fees"

    at_75 = app.get_journey(P, journey_id, as_of_version=75)
    assert at_75.version == 75
    assert len(at_75.documents) == 73
    with pytest.raises(VersionNotFound):
        app.get_journey(P, journey_id, as_of_version=121)


def test_snapshots_are_stored_packed_and_older_unpacked_ones_still_load(
    runtime: Runtime, settings: Settings
) -> None:
    app = runtime.app
    _, journey_id = _long_journey(app, 60)
    assert app.snapshots is not None
    [stored] = app.snapshots.recorder.select_events(journey_id)
    assert stored.topic == "jejak:Journey.Snapshot"
    packed = app.snapshots.get(journey_id)
    # The repository, unlike the use cases, never falls back to replaying every event.
    expected = vars(app.repository.get(journey_id))
    assert expected == vars(project_aggregate(None, app.events.get(journey_id)))

    mapper = app.mapper
    assert isinstance(mapper, PersonalDataMapper)
    sealed = mapper.transcoder.decode(stored.state)["state"][SEALED]
    assert sealed[DEFLATED] is True

    # A snapshot as stored before journeys packed theirs: the library's own Snapshot, its
    # state sealed without deflating.
    [snapshot] = list(packed)
    journey = project_aggregate(None, [snapshot])
    assert isinstance(journey, Journey)
    older = Snapshot.take(journey)
    outer = mapper.transcoder.decode(mapper.to_stored_event(older).state)
    outer["state"] = {SEALED: mapper._seal(journey.worker_id, older.state)}
    assert DEFLATED not in outer["state"][SEALED]
    rawdb.execute(settings.database_url, "DELETE FROM jejak_snapshots")
    app.snapshots.recorder.insert_events(
        [
            StoredEvent(
                originator_id=journey_id,
                originator_version=older.originator_version,
                topic=get_topic(Snapshot),
                state=mapper.transcoder.encode(outer),
            )
        ]
    )
    [again] = app.snapshots.recorder.select_events(journey_id)
    assert again.topic == "eventsourcing.domain:Snapshot"

    assert vars(app.repository.get(journey_id)) == expected


def test_erasing_the_worker_keeps_counts_stages_and_flags(runtime: Runtime) -> None:
    app = runtime.app
    worker_id, journey_id = _long_journey(app, 60)
    app.correct_journey(
        P,
        journey_id,
        CorrectJourney(corrects_version=2, reason="typo", changes={"note": "fees asked"}),
        NO_OPTIONS,
    )
    depart_and_return(app, journey_id)
    before = app.get_journey(P, journey_id)
    assert isinstance(app.mapper, PersonalDataMapper)
    app.mapper.vault.destroy(str(worker_id))

    after = app.get_journey(P, journey_id)  # the snapshot at 50 is sealed with the lost key
    assert after.version == before.version == 63
    assert after.stage == before.stage == "returned"
    assert after.flags == before.flags
    assert after.flags.non_procedural is True
    assert len(after.documents) == len(before.documents) == 58
    assert {d["number"] for d in after.documents} == {ERASED}
    assert after.indications[0]["note"] == ERASED
    assert after.departure is not None
    assert after.departure["employer"] == ERASED
    assert after.corrections[0]["personal_fields"] == ["note"]
    # Nothing new about the person can be sealed; ending the journey needs no personal data,
    # nor does leaving its open indication open (the reason is not personal data).
    end = EndJourney(reason="erasure requested", leave_open_reason="the worker left the programme")
    app.close_journey(P, journey_id, end, NO_OPTIONS)
    closed = app.get_journey(P, journey_id)
    assert closed.stage == "closed"
    assert closed.left_open_at_end is not None
    assert closed.left_open_at_end["indications"] == [1]


def test_writes_after_erasure_pass_the_snapshot_points(runtime: Runtime) -> None:
    """Snapshots cannot be sealed for an erased worker, nor earlier ones opened: the writes
    that would take them still succeed, once each."""
    app = runtime.app
    worker_id, journey_id = _long_journey(app, 50)
    assert isinstance(app.mapper, PersonalDataMapper)
    app.mapper.vault.destroy(str(worker_id))
    for _ in range(50):
        app.provide_migration_info(
            P, journey_id, ProvideMigrationInfo(topics=[MigrationTopic.SAFE_MIGRATION]), NO_OPTIONS
        )
    journey = app.get_journey(P, journey_id)
    assert journey.version == 100
    assert len(journey.counselling) == 50
    assert app.snapshots is not None
    stored = app.snapshots.recorder.select_events(journey_id)
    assert [snapshot.originator_version for snapshot in stored] == [50]


def test_an_erased_worker_gets_no_new_journey(runtime: Runtime) -> None:
    app = runtime.app
    worker_id = register(app)
    worker = app.get_worker(P, worker_id)
    worker.erase_personal_data(reason="request", actor=P.actor, occurred_on=date(2025, 1, 1))
    app.save(worker)
    with pytest.raises(WorkerErased):
        open_for(app, worker_id)


def test_an_opened_event_of_the_first_shape_is_read(runtime: Runtime) -> None:
    """Version 1 of Opened carried the P3MI in two flat fields."""
    app = runtime.app
    journey_id, worker_id = uuid4(), uuid4()
    state = {
        "timestamp": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        "originator_topic": get_topic(Journey),
        "actor_id": uuid4(),
        "actor_role": "officer",
        "occurred_on": date(2024, 1, 2),
        "worker_id": worker_id,
        "village_code": "35.07.12.2001",
        "destination_country": "HK",
        "occupation": "domestic worker",
        "placement_scheme": "p3mi",
        "p3mi_name": "PT Lama",
        "p3mi_licence_number": "KEP 9/2015",
    }
    stored = StoredEvent(
        originator_id=journey_id,
        originator_version=1,
        topic=get_topic(Journey.Opened),
        state=app.mapper.transcoder.encode(state),
    )
    app.recorder.insert_events([stored])

    journey = app.get_journey(P, journey_id)
    assert journey.opening["p3mi"] == {"name": "PT Lama", "licence_number": "KEP 9/2015"}
    assert journey.worker_id == worker_id
    assert journey.destination_country == "HK"
    assert journey.stage == "pre_departure"


def test_time_travel_by_recording_time(runtime: Runtime) -> None:
    app = runtime.app
    journey_id = open_for(app, register(app))
    time.sleep(0.01)
    between = datetime.now(UTC)
    time.sleep(0.01)
    app.report_incident(
        P,
        journey_id,
        ReportIncident(category=IncidentCategory.ILLNESS, severity=Severity.MEDIUM),
        NO_OPTIONS,
    )
    assert app.get_journey(P, journey_id, as_of=between).version == 1
    assert app.get_journey(P, journey_id, as_of=datetime.now(UTC)).version == 2
    with pytest.raises(NotYetRecorded):
        app.get_journey(P, journey_id, as_of=datetime(2000, 1, 1, tzinfo=UTC))


def test_a_snapshot_that_fails_never_fails_or_repeats_the_write(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = runtime.app
    _, journey_id = _long_journey(app, 49)

    def refuse(*args: object, **kwargs: object) -> None:
        raise IntegrityError("snapshot already taken")

    monkeypatch.setattr(Application, "take_snapshot", refuse)
    result = app.record_document(
        P,
        journey_id,
        RecordDocument(kind=DocumentKind.PASSPORT, number="P-1", issued_on=date(2024, 1, 1)),
        NO_OPTIONS,
    )
    assert result.version == 50
    assert app.get_journey(P, journey_id).version == 50


def test_the_snapshot_interval_follows_the_settings(settings: Settings) -> None:
    runtime = fast_runtime(settings.model_copy(update={"snapshot_interval": 10}))
    try:
        app = runtime.app
        _, journey_id = _long_journey(app, 25)
        assert app.snapshots is not None
        stored = app.snapshots.recorder.select_events(journey_id)
        assert [snapshot.originator_version for snapshot in stored] == [10, 20]
        assert app.get_journey(P, journey_id).version == 25
    finally:
        runtime.close()
