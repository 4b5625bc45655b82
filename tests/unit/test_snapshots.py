"""Packed snapshots give back exactly the state they were taken from, through the same JSON
transcoder the stores use, and a snapshot stored before packing existed still loads."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Snapshot
from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, UUIDAsHex

from application.base import DateAsISO
from domain.events import SYSTEM, Actor, Role
from domain.journey import Journey, JourneySnapshot
from domain.snapshots import PACKED, _packed, _unpacked
from domain.vocabularies import (
    ContactWith,
    DocumentKind,
    IncidentCategory,
    IncidentOutcome,
    IndicationOutcome,
    Indicator,
    MigrationTopic,
    PlacementScheme,
    ReturnReason,
    Severity,
    WelfareStatus,
)
from tests.unit.test_journey import ADULT, TODAY, all_documents

OFFICER = Actor(user_id=uuid4(), role=Role.OFFICER)


def transcoder() -> JSONTranscoder:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), DecimalAsStr(), DateAsISO()):
        transcoder.register(transcoding)
    return transcoder


def stored_and_read(snapshot: Snapshot) -> Snapshot:
    """The snapshot as a store gives it back: its state through JSON and out again."""
    codec = transcoder()
    state = codec.decode(codec.encode(snapshot.state))
    return dataclasses.replace(snapshot, state=state)


def state_of(journey: Journey) -> dict[str, Any]:
    state = dict(vars(journey))
    state.pop("_pending_events")
    return state


def a_long_journey(welfare_checks: int) -> Journey:
    """A journey with an entry of every list, entries that change after they are made
    (resolutions, corrections), None in dated columns, and two recording users."""
    journey = Journey.open(
        worker_id=uuid4(),
        village_code="35.07.12.2001",
        destination_country="TW",
        occupation="caregiver",
        placement_scheme=PlacementScheme.P3MI,
        p3mi={"name": "PT Contoh", "licence_number": "KEP 1/2020"},
        actor=SYSTEM,
        occurred_on=date(2024, 1, 2),
    )
    journey.provide_migration_info(
        topics=[MigrationTopic.SAFE_MIGRATION], actor=OFFICER, occurred_on=date(2024, 1, 3)
    )
    for step in all_documents():
        step(journey)
    journey.record_document(
        kind=DocumentKind.OTHER,
        number="X-1",
        issued_on=date(2024, 1, 4),
        expires_on=None,
        actor=OFFICER,
        occurred_on=date(2024, 1, 4),
    )
    journey.raise_indication(
        indicators=[Indicator.UNLICENSED_RECRUITER],
        note="asked for fees",
        actor=OFFICER,
        occurred_on=date(2024, 1, 20),
    )
    journey.resolve_indication(
        1, outcome=IndicationOutcome.PERSUADED, note=None, actor=SYSTEM, occurred_on=TODAY
    )
    journey.raise_indication(
        indicators=[Indicator.UNLICENSED_RECRUITER], note=None, actor=SYSTEM, occurred_on=TODAY
    )
    journey.record_departure(
        departed_on=date(2024, 3, 1),
        employer="Chen household",
        contract_start=date(2024, 3, 2),
        contract_end=date(2026, 3, 1),
        worker_birth_date=ADULT,
        actor=SYSTEM,
    )
    for n in range(welfare_checks):
        journey.check_welfare(
            contact_with=ContactWith.WORKER,
            status=WelfareStatus.OK,
            note=None if n % 3 else f"call {n}",
            actor=OFFICER if n % 2 else SYSTEM,
            occurred_on=date(2024, 4, 1),
        )
    journey.report_incident(
        category=IncidentCategory.UNPAID_WAGES,
        severity=Severity.HIGH,
        note="three months",
        actor=OFFICER,
        occurred_on=date(2025, 1, 1),
    )
    journey.resolve_incident(
        1, outcome=IncidentOutcome.RESOLVED, note=None, actor=OFFICER, occurred_on=TODAY
    )
    journey.record_return(
        returned_on=date(2026, 3, 5), reason=ReturnReason.CONTRACT_COMPLETED, actor=SYSTEM
    )
    journey.correct(
        corrects_version=2,
        reason="mistyped",
        changes={"occurred_on": "2024-01-04"},
        worker_birth_date=ADULT,
        latest_today=date(2026, 4, 1),
        actor=OFFICER,
        occurred_on=date(2026, 4, 1),
    )
    journey.collect_events()  # as recorded: the repository snapshots a journey it loaded
    return journey


def test_a_journey_comes_back_from_its_packed_snapshot_exactly_as_it_was() -> None:
    journey = a_long_journey(welfare_checks=40)
    snapshot = JourneySnapshot.take(journey)
    packed = [name for name, value in snapshot.state.items() if isinstance(value, dict)]
    assert {"welfare_checks", "records", "documents", "indications"} <= set(packed)

    loaded = stored_and_read(snapshot).mutate(None)

    assert isinstance(loaded, Journey)
    assert state_of(loaded) == state_of(journey)
    assert loaded.version == journey.version
    assert loaded.flags == journey.flags
    # The loaded journey takes new facts as the original does.
    loaded.report_incident(
        category=IncidentCategory.UNPAID_WAGES,
        severity=Severity.LOW,
        note=None,
        actor=OFFICER,
        occurred_on=date(2026, 4, 2),
    )
    assert [incident["incident_id"] for incident in loaded.incidents] == [1, 2]
    assert loaded.event_at(loaded.version) == "IncidentReported"


def test_types_survive_packing_column_by_column() -> None:
    user = uuid4()
    entries = [
        {"on": date(2024, 1, 1), "at": datetime(2024, 1, 1, 8, tzinfo=UTC), "by": user, "n": 1},
        {"on": None, "at": datetime(2024, 1, 2, 9, 30, 1, 5, tzinfo=UTC), "by": None, "n": None},
    ]
    packed = _packed(entries)
    assert packed[PACKED][1] == ["date", "datetime", "uuid", "value"]
    codec = transcoder()
    unpacked = _unpacked(codec.decode(codec.encode(packed)))
    assert unpacked == entries
    assert [type(entry["by"]) for entry in unpacked] == [UUID, type(None)]


def test_lists_that_cannot_be_packed_are_stored_as_they_are() -> None:
    mixed = [{"when": date(2024, 1, 1)}, {"when": datetime(2024, 1, 1, tzinfo=UTC)}]
    assert _packed(mixed)[PACKED][1] == ["value"]
    assert _unpacked(_packed(mixed)) == mixed
    shapes = [{"a": 1}, {"b": 2}]
    assert _packed(shapes) is shapes
    for value in ([], [1, 2], [{}], "text", None, {"a": 1}):
        assert _packed(value) is value
        assert _unpacked(value) is value


def test_a_snapshot_stored_before_packing_still_loads() -> None:
    journey = a_long_journey(welfare_checks=3)
    old = stored_and_read(Snapshot.take(journey))
    as_stored_then = JourneySnapshot(
        originator_id=old.originator_id,
        originator_version=old.originator_version,
        timestamp=old.timestamp,
        topic=old.topic,
        state=old.state,
    )
    for snapshot in (old, as_stored_then):
        loaded = snapshot.mutate(None)
        assert isinstance(loaded, Journey)
        assert state_of(loaded) == state_of(journey)
