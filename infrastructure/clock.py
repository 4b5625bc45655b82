"""Time: UTC for recording; the officers' calendars for "today"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
WIT = timezone(timedelta(hours=9), "WIT")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(WIB).date()

    def latest_today(self) -> date:
        return datetime.now(WIT).date()
