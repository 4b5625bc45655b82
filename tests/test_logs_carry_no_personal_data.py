"""No personal data in any log line of a full test run (UU 27/2022): not a NIK, not a name
the run used. Runs last (see conftest)."""

from __future__ import annotations

import re

from tests.support import CAPTURED_LOGS, PERSONAL_VALUES

_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def test_no_log_line_of_the_run_carries_personal_data() -> None:
    assert CAPTURED_LOGS, "nothing was logged: the scan would prove nothing"
    leaks = []
    for line in CAPTURED_LOGS:
        if found := _SIXTEEN_DIGITS.search(line):
            leaks.append(f"{found.group()!r} in {line[:300]}")
            continue
        for value in PERSONAL_VALUES:
            if len(value) >= 4 and value in line:
                leaks.append(f"{value!r} in {line[:300]}")
                break
    assert leaks == []
