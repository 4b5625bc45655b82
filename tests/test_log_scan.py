"""The log scan itself finds what it must, and only that."""

from __future__ import annotations

from tests.log_scan import leaks


def test_a_nik_shaped_number_in_a_log_line_is_a_leak() -> None:
    assert leaks(['{"msg": "lookup 3507124507950003"}'], []) != []


def test_a_name_the_run_used_is_a_leak_as_a_whole_word_only() -> None:
    assert leaks(['{"msg": "saved Siti Aminah"}'], ["Siti Aminah"]) != []
    assert leaks(['{"at": "01:41:30.123451"}'], ["12345"]) == []


def test_a_line_without_personal_data_is_clean() -> None:
    assert leaks(['{"msg": "request", "status": 201}'], ["Siti Aminah"]) == []
