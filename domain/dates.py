"""The programme's calendar: the officers' clocks, how far back a record may go, and ages.

Officers work from Aceh (WIB) to Papua (WIT): "today" is theirs, and a date that is
already today somewhere in Indonesia is not in the future."""

from __future__ import annotations

from datetime import date, timedelta, timezone

from domain.errors import InvalidValue

#: Western Indonesian time: the clock officers read times on.
WIB = timezone(timedelta(hours=7), "WIB")
#: Eastern Indonesian time: where a day starts first, so the latest "today" in the country.
WIT = timezone(timedelta(hours=9), "WIT")

#: No fact the programme records happened before the Republic: an earlier year is a typo.
EARLIEST_YEAR = 1945


def on_record(day: date, field: str) -> date:
    """A date a record can hold: 1945 or later."""
    if day.year < EARLIEST_YEAR:
        raise InvalidValue(field=field, reason="is too far in the past")
    return day


def fact_date(day: date, field: str, latest_today: date) -> date:
    """The date a fact happened on: backdating is allowed and visible, the future is not
    (``latest_today`` is today wherever in Indonesia it is latest)."""
    if day > latest_today:
        raise InvalidValue(field=field, reason="cannot be in the future")
    return on_record(day, field)


def age_on(birth_date: date, day: date) -> int:
    """Whole years: a person born on 5 July is a year older from 5 July on."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
