"""A journey ends with its incidents and indications resolved, or with a reason for leaving
them open (``domain.journey.endings``): given events / when it closes or is cancelled /
then the events or the refusal."""

from __future__ import annotations

import pytest

from domain.errors import InvalidValue
from domain.events import SYSTEM
from domain.journey import Journey, OpenItemsAtEnd
from domain.vocabularies import IncidentCategory, IncidentOutcome, Severity
from tests.unit.test_journey import (
    TODAY,
    Step,
    cancel,
    close,
    departure,
    given,
    history,
    indication,
    resolution,
    returned,
    then,
)

REASON = "the worker moved to Batam and cannot be reached"


def incident(note: str | None = "beaten by the employer's son") -> Step:
    return lambda journey: journey.report_incident(
        category=IncidentCategory.ABUSE,
        severity=Severity.HIGH,
        note=note,
        actor=SYSTEM,
        occurred_on=TODAY,
    )


def resolved_incident(number: int) -> Step:
    return lambda journey: journey.resolve_incident(
        number, outcome=IncidentOutcome.RESOLVED, note=None, actor=SYSTEM, occurred_on=TODAY
    )


def test_closing_with_an_open_incident_is_refused_naming_it_by_number_only() -> None:
    journey = given(history(departure(), incident(), incident(), resolved_incident(1), returned()))
    with pytest.raises(OpenItemsAtEnd) as refused:
        close()(journey)
    assert refused.value.code == "open_items_at_closure"
    assert refused.value.params == {
        "action": "close the journey",
        "incidents": [2],
        "indications": [],
    }
    assert "open incidents: 2; open indications: -" in refused.value.message
    assert "beaten" not in refused.value.message
    assert then(journey) == []
    assert journey.stage == "returned"


def test_a_blank_reason_is_no_reason() -> None:
    journey = given(history(departure(), incident(), returned()))
    with pytest.raises(OpenItemsAtEnd):
        close("   ")(journey)


def test_closing_with_a_reason_records_what_was_left_open_and_why_before_the_closure() -> None:
    journey = given(history(indication(), departure(), incident(), returned()))
    close(REASON)(journey)
    left, closed = then(journey)
    assert isinstance(left, Journey.LeftOpen)
    assert (left.reason, left.incidents, left.indications) == (REASON, [1], [1])
    assert isinstance(closed, Journey.Closed)
    assert journey.stage == "closed"
    entry = journey.left_open_at_end
    assert entry is not None
    assert (entry["reason"], entry["incidents"], entry["indications"]) == (REASON, [1], [1])
    assert [r["event"] for r in journey.records][-2:] == ["LeftOpen", "Closed"]
    # The items stay unresolved in the history: nobody resolved them.
    assert [i["incident_id"] for i in journey.open_incidents] == [1]


def test_cancelling_with_an_open_indication_is_refused_unless_it_says_why() -> None:
    journey = given(history(indication()))
    with pytest.raises(OpenItemsAtEnd) as refused:
        cancel()(journey)
    assert refused.value.params["action"] == "cancel the journey"
    assert refused.value.params["indications"] == [1]
    cancel(REASON)(journey)
    left, cancelled = then(journey)
    assert isinstance(left, Journey.LeftOpen)
    assert left.indications == [1]
    assert isinstance(cancelled, Journey.Cancelled)


def test_with_everything_resolved_a_reason_records_nothing_more() -> None:
    journey = given(history(indication(), resolution(), departure(), returned()))
    close(REASON)(journey)
    (closed,) = then(journey)
    assert isinstance(closed, Journey.Closed)
    assert journey.left_open_at_end is None


def test_an_invalid_closure_reason_records_nothing_even_with_a_leave_open_reason() -> None:
    journey = given(history(departure(), incident(), returned()))
    with pytest.raises(InvalidValue):
        journey.close(reason="", leave_open_reason=REASON, actor=SYSTEM, occurred_on=TODAY)
    assert then(journey) == []


def test_a_journey_left_open_rebuilds_from_its_events_and_its_reason_can_be_corrected() -> None:
    events = history(departure(), incident(), returned(), close(REASON))
    journey = given(events)
    assert journey.left_open_at_end is not None
    version = journey.left_open_at_end["version"]
    assert journey.correctable_at(version).keys() == {"reason"}
    journey.correct(
        corrects_version=version,
        reason="typo",
        changes={"reason": "the worker moved to Batam"},
        worker_birth_date=None,
        latest_today=TODAY,
        actor=SYSTEM,
        occurred_on=TODAY,
    )
    assert journey.entry_at(version)["reason"] == "the worker moved to Batam"
