"""Digests that pin generated data: the same seed must keep making the same programme and
the same benchmark dataset, whatever the code that makes them looks like.

A digest is the SHA-256 of a canonical JSON form: dates as ISO strings, enums as their
values, and every UUID replaced by the order in which it first appears (ids are random, the
programme is not). Recording times (``timestamp``) and password hashes (salted) are left out;
the real date of a run is written ``"today"``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

#: Event attributes that differ from run to run by design.
_VARYING = frozenset({"timestamp", "password_hash"})


class Canonical:
    """Turns values into plain JSON, numbering UUIDs in the order they first appear."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today
        self.ids: dict[UUID, int] = {}

    def plain(self, value: Any) -> Any:
        if isinstance(value, UUID):
            return f"id{self.ids.setdefault(value, len(self.ids))}"
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, date):
            return "today" if value == self.today else value.isoformat()
        if is_dataclass(value) and not isinstance(value, type):
            return {f.name: self.plain(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, dict):
            return {str(key): self.plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.plain(item) for item in value]
        return value

    def event(self, event: Any) -> dict[str, Any]:
        """An event as its topic and attributes (those that do not vary by design)."""
        attributes = {k: v for k, v in sorted(vars(event).items()) if k not in _VARYING}
        topic = getattr(type(event), "TOPIC", type(event).__qualname__)
        return {"topic": topic, **self.plain(attributes)}


def digest(items: Iterable[Any]) -> str:
    text = json.dumps(list(items), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
