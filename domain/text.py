"""Free text typed by officers: names, titles, purposes."""

from __future__ import annotations

from domain.errors import InvalidValue

MAX_TEXT = 200


def one_line(value: str, field: str, max_length: int = MAX_TEXT) -> str:
    """Collapses runs of whitespace (a pasted name keeps no tabs or newlines) and refuses
    text that is empty or too long to show in a list."""
    if not isinstance(value, str):
        raise InvalidValue(field=field, reason="must be text")
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidValue(field=field, reason="must not be empty")
    if len(cleaned) > max_length:
        raise InvalidValue(field=field, reason="is too long")
    return cleaned
