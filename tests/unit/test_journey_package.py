"""The journey package's tables agree with each other: actions name the aggregate's
commands, every event is the journey's under its stored topic, and every event but a
correction, a scan or a transfer can be corrected (a scan is replaced by a new one, a
transfer is a change of custody, not a fact of the migration)."""

from __future__ import annotations

import inspect

from eventsourcing.utils import resolve_topic

from domain.journey import CORRECTABLE, EVENTS, Journey, JourneyAction
from domain.journey.events import Corrected, DocumentScanAttached, Transferred


def test_each_action_is_the_name_of_a_command_of_the_journey() -> None:
    for action in JourneyAction:
        command = getattr(Journey, action.value)
        assert inspect.isfunction(command), action


def test_every_event_is_the_journeys_and_is_read_back_from_its_topic() -> None:
    for event in EVENTS:
        assert vars(Journey)[event.__name__] is event
        assert resolve_topic(event.TOPIC) is event
        assert event.NAME == event.TOPIC.removeprefix("jejak:Journey.") == event.__name__


def test_every_event_but_a_correction_names_what_a_correction_may_change() -> None:
    assert set(CORRECTABLE) == set(EVENTS) - {Corrected, DocumentScanAttached, Transferred}
    assert all(CORRECTABLE.values())
