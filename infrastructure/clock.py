"""Time: UTC for recording; the officers' calendars for "today"."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.dates import WIB, WIT


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(WIB).date()

    def latest_today(self) -> date:
        return datetime.now(WIT).date()
