"""No personal data in any log line of a full test run (UU 27/2022): not a NIK, not a name
the run used. Runs last (see conftest)."""

from __future__ import annotations

import re

from tests.support import CAPTURED_LOGS, PERSONAL_VALUES

_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def test_no_log_line_of_the_run_carries_personal_data() -> None:
    assert CAPTURED_LOGS, "nothing was logged: the scan would prove nothing"
    patterns = [(value, _whole(value)) for value in PERSONAL_VALUES if len(value) >= 4]
    leaks = []
    for line in CAPTURED_LOGS:
        if found := _SIXTEEN_DIGITS.search(line):
            leaks.append(f"{found.group()!r} in {line[:300]}")
            continue
        for value, pattern in patterns:
            # The substring test first: a regex per value on every line took minutes.
            if value in line and pattern.search(line):
                leaks.append(f"{value!r} in {line[:300]}")
                break
    assert leaks == []


def _whole(value: str) -> re.Pattern[str]:
    """A personal value as a whole token: "12345" must not match the microseconds of a
    timestamp ("01:41:30.123451"), which made the scan fail on a run's clock, not a leak."""
    return re.compile(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])")
