"""Free text typed by officers: names, titles, purposes."""

from __future__ import annotations

from domain.errors import InvalidValue

MAX_TEXT = 200


def storable(value: str, field: str) -> str:
    """Text the store can keep: no NUL (PostgreSQL text refuses it) and no lone surrogate
    (it cannot be encoded as UTF-8). Request bodies are checked at the edge; this covers
    values that arrive inside free-form maps, such as a correction's changes."""
    if "\x00" in value:
        raise InvalidValue(field=field, reason="must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValue(field=field, reason="must be valid Unicode text") from None
    return value


def collapsed(value: str, field: str) -> str:
    """Runs of whitespace as one space; text of nothing but whitespace is refused."""
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidValue(field=field, reason="must not be empty")
    return cleaned


def one_line(value: object, field: str, max_length: int = MAX_TEXT) -> str:
    """Collapses runs of whitespace (a pasted name keeps no tabs or newlines) and refuses
    text that is empty or too long to show in a list."""
    if not isinstance(value, str):
        raise InvalidValue(field=field, reason="must be text")
    cleaned = collapsed(storable(value, field), field)
    if len(cleaned) > max_length:
        raise InvalidValue(field=field, reason="is too long")
    return cleaned
