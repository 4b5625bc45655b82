"""Whole numbers as JSON carries them: ``true`` is not 1, and ``1.0`` or ``"1"`` is not a
count (Python's ``bool`` is an ``int``, so the check is written once, here)."""

from __future__ import annotations

from typing import TypeGuard

from domain.errors import InvalidValue


def is_whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def whole_number(value: object, field: str, *, reason: str) -> int:
    """``value`` if it is a whole number; else refused with ``reason`` (which says what
    kind of number: "must be a whole number of months")."""
    if not is_whole(value):
        raise InvalidValue(field=field, reason=reason)
    return value
