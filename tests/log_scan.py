"""The scan of a run's logs for personal data (UU 27/2022): no NIK, no name the run used, in
any line the service's code logged. Each test process scans what it logged itself against the
values it used (a process never sees another's people), and the run fails on any leak:
``tests/conftest.py`` runs it when the session ends, in every worker of a parallel run."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def leaks(lines: Iterable[str], values: Iterable[str]) -> list[str]:
    """Each line that carries a 16-digit number (a NIK's shape) or one of ``values``."""
    patterns = [(value, _whole(value)) for value in values if len(value) >= 4]
    found = []
    for line in lines:
        if match := _SIXTEEN_DIGITS.search(line):
            found.append(f"{match.group()!r} in {line[:300]}")
            continue
        for value, pattern in patterns:
            # The substring test first: a regex per value on every line took minutes.
            if value in line and pattern.search(line):
                found.append(f"{value!r} in {line[:300]}")
                break
    return found


def _whole(value: str) -> re.Pattern[str]:
    """A personal value as a whole token: "12345" must not match the microseconds of a
    timestamp ("01:41:30.123451"), which made the scan fail on a run's clock, not a leak."""
    return re.compile(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])")
