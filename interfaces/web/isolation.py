"""Text that people typed, isolated from the page around it.

Names, titles and notes are refused when they carry direction controls or invisible
characters (``domain.text.visible``), but events recorded before that rule, and notes (free
text, where Arabic or Hebrew may need marks), still hold them. A right-to-left override in a
name must not turn around the words that follow it in a list, a heading or the page title, so
templates show such text through these filters:

- ``|bdi`` wraps it in ``<bdi>`` (direction from its own first strong character, isolated
  from its neighbours): for text in the page body;
- ``|isolate`` wraps it in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, the same
  isolation as plain characters: for ``<title>``, where no element may go.

Inside an isolate, an override that is never closed ends at the isolate's end (Unicode
Bidirectional Algorithm, rule X6a), so nothing typed can reach beyond its own value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from interfaces.web import text

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def bdi(value: Any) -> Markup:
    if value is None or value == "":
        return Markup("")
    return Markup("<bdi>{}</bdi>").format(value)


def isolate(value: Any) -> str:
    shown = "" if value is None else str(value)
    return f"{FIRST_STRONG_ISOLATE}{shown}{POP_DIRECTIONAL_ISOLATE}" if shown else ""


def phrase(key: str, lang: str, params: Mapping[str, Any]) -> str:
    """A phrase of the interface; values passed through ``|bdi`` stay isolated in it (the
    phrase itself is escaped, the isolated values are not escaped twice)."""
    if not any(isinstance(value, Markup) for value in params.values()):
        return text.t(key, lang, **params)
    return escape(text.t(key, lang)).format(**params)


FILTERS = {"bdi": bdi, "isolate": isolate}
