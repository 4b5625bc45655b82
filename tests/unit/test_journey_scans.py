"""Scans as facts of the journey: attached to a recorded document, replaced by a newer one,
kept in the history, refused after closure, and carried by snapshots (old ones too)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import InvalidValue
from domain.events import SYSTEM
from domain.journey import Journey, JourneySnapshot, JourneyStageConflict
from domain.vocabularies import DocumentKind, PlacementScheme
from tests.unit.test_journey import given
from tests.unit.test_snapshots import state_of, stored_and_read


def a_journey() -> Journey:
    journey = Journey.open(
        worker_id=uuid4(),
        village_code="35.07.12.2001",
        destination_country="TW",
        occupation="caregiver",
        placement_scheme=PlacementScheme.MANDIRI,
        p3mi=None,
        actor=SYSTEM,
        occurred_on=date(2024, 1, 2),
    )
    journey.record_document(
        kind=DocumentKind.PASSPORT,
        number="C1234567",
        issued_on=date(2024, 1, 3),
        expires_on=None,
        actor=SYSTEM,
        occurred_on=date(2024, 1, 3),
    )
    return journey


def attach(journey: Journey, document_id: int = 1, **overrides: Any) -> UUID:
    scan_id = uuid4()
    values: dict[str, Any] = {
        "document_id": document_id,
        "scan_id": scan_id,
        "content_type": "image/jpeg",
        "size": 123_456,
        "sha256": "a" * 64,
        "stored_sha256": "b" * 64,
        "actor": SYSTEM,
        "occurred_on": date(2024, 1, 4),
    }
    values.update(overrides)
    journey.attach_scan(**values)
    return scan_id


def test_a_newer_scan_replaces_the_current_one_and_both_stay_in_the_history() -> None:
    journey = a_journey()
    first = attach(journey)
    second = attach(journey, content_type="application/pdf", size=99)
    replayed = given(list(journey.collect_events()))
    current = replayed.scan_of(1)
    assert current is not None
    assert (current["scan_id"], current["content_type"], current["version"]) == (
        second,
        "application/pdf",
        4,
    )
    assert [s["scan_id"] for s in replayed.attached_scans] == [first, second]
    assert replayed.event_at(3) == "DocumentScanAttached"
    assert replayed.entry_at(3)["scan_id"] == first


def test_a_scan_names_a_recorded_document() -> None:
    journey = a_journey()
    with pytest.raises(InvalidValue):
        attach(journey, document_id=2)
    assert journey.scan_of(1) is None


def test_no_scan_is_attached_after_the_journey_ends() -> None:
    journey = a_journey()
    journey.cancel(reason="tidak jadi berangkat", actor=SYSTEM, occurred_on=date(2024, 1, 5))
    with pytest.raises(JourneyStageConflict):
        attach(journey)


def test_a_scan_is_not_corrected_but_replaced() -> None:
    journey = a_journey()
    attach(journey)
    with pytest.raises(InvalidValue) as refused:
        journey.correct(
            corrects_version=3,
            reason="salah",
            changes={"size": 1},
            worker_birth_date=None,
            latest_today=date(2025, 1, 1),
            actor=SYSTEM,
            occurred_on=date(2024, 1, 6),
        )
    assert refused.value.params["reason"] == "cannot be corrected on this event"


def test_scans_travel_in_snapshots_and_an_older_snapshot_without_them_takes_one() -> None:
    journey = a_journey()
    attach(journey)
    journey.collect_events()
    loaded = stored_and_read(JourneySnapshot.take(journey)).mutate(None)
    assert isinstance(loaded, Journey)
    assert state_of(loaded) == state_of(journey)

    older = a_journey()  # snapshotted before scans existed: no list in its state
    older.collect_events()
    snapshot = stored_and_read(JourneySnapshot.take(older))
    assert "scans" not in snapshot.state
    from_old = snapshot.mutate(None)
    assert isinstance(from_old, Journey)
    assert from_old.scan_of(1) is None
    scan_id = attach(from_old)
    current = from_old.scan_of(1)
    assert current is not None
    assert current["scan_id"] == scan_id
