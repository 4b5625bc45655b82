"""Snapshots that store an aggregate's lists of entries by column.

A journey keeps one entry per fact, so a journey of 1,000 welfare checks is a list of 1,000
small dicts, each with a date, a timestamp and a user id. Stored as they are, every one of
those values is a ``{"_type_": ..., "_data_": ...}`` object that the JSON decoder hands to
Python one at a time: five thousand calls to load one journey, about 85 % of the time a load
took. Packed by column, the same list is a few plain JSON arrays of strings, and a column of
dates is turned back into dates by one list comprehension.

Packing changes how a snapshot is stored, never what it holds: ``mutate`` gives back exactly
the state ``take`` was given (tests/unit/test_snapshots.py), and a snapshot stored unpacked
(the library's ``Snapshot``, before packing existed) still loads as it did. Snapshots are a
cache of the events, so none of this touches the history itself."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Self
from uuid import UUID

from eventsourcing.domain import BaseAggregate, MutableOrImmutableAggregate, Snapshot

#: The key of the one-key object that stands for a packed list in the stored state.
PACKED = "_packed_"

#: A column whose every value is None or of one of these exact types is stored as text.
_AS_TEXT: dict[type, str] = {date: "date", datetime: "datetime", UUID: "uuid"}
_TO_TEXT: dict[str, Callable[[Any], str]] = {
    "date": date.isoformat,
    "datetime": datetime.isoformat,
    "uuid": lambda value: value.hex,
}


class PackedSnapshot(Snapshot):
    """A snapshot whose non-empty lists of same-shaped dicts are stored as columns."""

    @classmethod
    def take(cls, aggregate: MutableOrImmutableAggregate[UUID]) -> Self:
        taken = super().take(aggregate)
        state = {name: _packed(value) for name, value in taken.state.items()}
        return dataclasses.replace(taken, state=state)

    def mutate(self, _: None) -> BaseAggregate[UUID]:
        state = {name: _unpacked(value) for name, value in self.state.items()}
        return super(PackedSnapshot, dataclasses.replace(self, state=state)).mutate(None)


def _packed(value: Any) -> Any:
    if not isinstance(value, list) or not value or not all(type(e) is dict for e in value):
        return value
    keys = list(value[0])
    if not keys or any(list(entry) != keys for entry in value):
        return value  # entries of different shapes: stored as they are
    kinds: list[str] = []
    columns: list[list[Any]] = []
    for key in keys:
        column = [entry[key] for entry in value]
        kind = _kind_of(column)
        kinds.append(kind)
        if kind == "value":
            columns.append(column)
        else:
            to_text = _TO_TEXT[kind]
            columns.append([None if item is None else to_text(item) for item in column])
    return {PACKED: [keys, kinds, columns]}


def _kind_of(column: Sequence[Any]) -> str:
    types = {type(item) for item in column if item is not None}
    if len(types) == 1:
        return _AS_TEXT.get(types.pop(), "value")
    return "value"


def _unpacked(value: Any) -> Any:
    if type(value) is not dict or len(value) != 1 or PACKED not in value:
        return value
    keys, kinds, columns = value[PACKED]
    read = [_READERS[kind](column) for kind, column in zip(kinds, columns, strict=True)]
    if len(keys) != len(read) or len({len(column) for column in read}) != 1:
        msg = "a packed list whose columns do not line up"
        raise ValueError(msg)
    # Filled column by column: half the time of dict(zip(keys, row)) for every row, whose
    # zip object per entry was the largest cost left in loading a long journey.
    entries: list[dict[str, Any]] = [{} for _ in read[0]]
    for key, column in zip(keys, read, strict=True):
        for entry, item in zip(entries, column, strict=True):
            entry[key] = item
    return entries


def _dates(column: list[str | None]) -> list[date | None]:
    parse = date.fromisoformat
    return [None if text is None else parse(text) for text in column]


def _datetimes(column: list[str | None]) -> list[datetime | None]:
    parse = datetime.fromisoformat
    return [None if text is None else parse(text) for text in column]


def _uuids(column: list[str | None]) -> list[UUID | None]:
    """The same user records most entries: each distinct id is parsed once."""
    seen: dict[str, UUID] = {}
    out: list[UUID | None] = []
    for text in column:
        if text is None:
            out.append(None)
            continue
        uuid = seen.get(text)
        if uuid is None:
            uuid = seen[text] = UUID(hex=text)
        out.append(uuid)
    return out


def _values(column: list[Any]) -> list[Any]:
    return column


_READERS: dict[str, Callable[[list[Any]], list[Any]]] = {
    "date": _dates,
    "datetime": _datetimes,
    "uuid": _uuids,
    "value": _values,
}
