"""A journey as it had happened by a day, as its history knows it now.

The other reading of the past, the journey as it had been *recorded* by a moment, is a
prefix of its history (``repository.get(id, version=N)``). This one is not: an entry
recorded late (a departure entered a month after it) counts from the day it happened, and
what was recorded early but happened later does not count yet. Each event counts on the date
it happened as corrections left it; a correction counts with the event it corrects (what we
know now of what had happened then). The events kept are replayed in their recorded order,
renumbered (versions, and the numbers of documents, indications, incidents and referrals)
so that they make a journey of their own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from domain.journey import events as ev
from domain.journey.state import JourneyState

#: Events that start an item later events name by number, and the field with the number.
_NUMBERED: dict[type[ev.Event], str] = {
    ev.DocumentRecorded: "document_id",
    ev.NonProceduralIndicationRaised: "indication_id",
    ev.IncidentReported: "incident_id",
    ev.Referred: "referral_id",
}
#: Events about such an item: they count only with it.
_ABOUT_ITEM: dict[type[ev.Event], str] = {
    ev.DocumentScanAttached: "document_id",
    ev.IndicationResolved: "indication_id",
    ev.IncidentResolved: "incident_id",
    ev.ReferralOutcomeRecorded: "referral_id",
}


def happened_by(history: Sequence[ev.Event], now: JourneyState, day: date) -> list[ev.Event]:
    """The events of what had happened by the end of ``day`` (``now``: the journey the whole
    ``history`` makes, whose entries carry corrected dates). Empty if it had not begun."""
    kept: list[ev.Event] = []
    versions: dict[int, int] = {}  # recorded version -> version in the events kept
    numbers: dict[str, dict[int, int]] = {}  # item field -> recorded number -> kept number
    for event in history:
        changes = _renumbered(event, now, day, versions, numbers)
        if changes is None:
            if isinstance(event, ev.Opened):
                return []  # the journey had not begun
            continue
        versions[event.originator_version] = len(kept) + 1
        kept.append(replace(event, originator_version=len(kept) + 1, **changes))
    return kept


def _renumbered(
    event: ev.Event,
    now: JourneyState,
    day: date,
    versions: dict[int, int],
    numbers: dict[str, dict[int, int]],
) -> dict[str, Any] | None:
    """The fields to renumber on an event that counts; None for one that does not."""
    if isinstance(event, ev.Corrected):
        target = versions.get(event.corrects_version)
        return None if target is None else {"corrects_version": target}
    happened_on = ev.entry_of(now, event.originator_version)["occurred_on"]
    if happened_on > day:
        return None
    changes: dict[str, Any] = {}
    about = _ABOUT_ITEM.get(type(event))
    if about is not None:
        number = numbers.get(about, {}).get(getattr(event, about))
        if number is None:
            return None
        changes[about] = number
    starts = _NUMBERED.get(type(event))
    if starts is not None:
        items = numbers.setdefault(starts, {})
        items[getattr(event, starts)] = len(items) + 1
        changes[starts] = items[getattr(event, starts)]
    return changes
