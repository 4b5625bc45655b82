"""The case as it stood on a past date, read one of two ways the page names plainly: what had
happened by then (``happened_by``: each entry counts from the day it happened, as known now)
or what had been recorded in Jejak by then (``as_of``: the history's prefix at the end of
that day, WIB). A date the form cannot read, or one after today, is a form error; a date
before the case is a notice above the case as it is now, never an error page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import UUID

from application.journeys import NotYetHappened, NotYetRecorded
from application.principal import Principal
from domain.dates import WIB
from domain.journey import Journey
from interfaces.http.deps import AppDep

HAPPENED = "happened"
RECORDED = "recorded"
READINGS = (HAPPENED, RECORDED)
#: Years before this are typing mistakes, not dates of a case.
FIRST_YEAR = 1900


@dataclass(frozen=True)
class AsOf:
    """What the "Keadaan pada tanggal" form asked: the date as typed, the reading, the day
    it names (None when none was asked or it could not be read) and the error's phrase."""

    typed: str = ""
    reading: str = HAPPENED
    day: date | None = None
    error: str | None = None


def asked(as_of: str | None, reading: str | None, today: date) -> AsOf:
    chosen = reading if reading in READINGS else HAPPENED
    typed = (as_of or "").strip()
    if not typed:
        return AsOf(reading=chosen)
    try:
        day = date.fromisoformat(typed)
    except ValueError:
        return AsOf(typed, chosen, error="journey.as_of_invalid")
    if day.year < FIRST_YEAR:
        return AsOf(typed, chosen, error="journey.as_of_invalid")
    if day > today:
        return AsOf(typed, chosen, error="journey.as_of_future")
    return AsOf(typed, chosen, day)


def journey_as_of(
    app: AppDep, principal: Principal, journey_id: UUID, past: AsOf
) -> Journey | None:
    """The journey in the reading asked; None when the case did not exist yet that day."""
    if past.day is None:
        return None
    try:
        if past.reading == RECORDED:
            moment = datetime.combine(past.day, time.max, tzinfo=WIB)
            return app.get_journey(principal, journey_id, as_of=moment)
        return app.get_journey(principal, journey_id, happened_by=past.day)
    except (NotYetHappened, NotYetRecorded):
        return None
