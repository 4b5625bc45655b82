"""Free text typed by officers: names, titles, purposes."""

from __future__ import annotations

import unicodedata

from domain.errors import InvalidValue

MAX_TEXT = 200

#: Letters that render as nothing (Hangul fillers, the braille blank) and the combining
#: grapheme joiner: a name made of them looks empty or like another name. Format (Cf) and
#: control (Cc) characters are refused by category, see ``visible``.
_INVISIBLE_LETTERS = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0")
INVISIBLE_REASON = "must not contain invisible or direction-changing characters"


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


def visible(value: str, field: str) -> str:
    """Short text shows as what it says. Bidirectional controls (U+202E turns
    ``abc\\u202egpj.exe`` into what reads as ``abcexe.jpg``), zero-width spaces and joiners, the
    byte-order mark and other format or control characters make a name display as another,
    or as nothing; a list, a page title or an audit line then lies. Whitespace is not
    refused here: ``one_line`` folds it."""
    for character in value:
        if character.isspace():
            continue
        if character in _INVISIBLE_LETTERS or unicodedata.category(character) in ("Cf", "Cc"):
            raise InvalidValue(field=field, reason=INVISIBLE_REASON)
    return value


def one_line(value: object, field: str, max_length: int = MAX_TEXT) -> str:
    """Collapses runs of whitespace (a pasted name keeps no tabs or newlines) and refuses
    text that is empty, too long to show in a list, or that would display as something
    else (``visible``)."""
    if not isinstance(value, str):
        raise InvalidValue(field=field, reason="must be text")
    cleaned = collapsed(visible(storable(value, field), field), field)
    if len(cleaned) > max_length:
        raise InvalidValue(field=field, reason="is too long")
    return cleaned


def person_name(value: object, field: str) -> str:
    """A person's name: one line of visible text with at least one letter."""
    cleaned = one_line(value, field)
    if not any(character.isalpha() for character in cleaned):
        raise InvalidValue(field=field, reason="must contain a letter")
    return cleaned
