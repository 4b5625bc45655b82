"""The duplicate index as the application sees it: blocking keys by worker, the pairs a
coordinator declared distinct, and the event position the index reflects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class IndexEntry:
    """One blocking key of one registered worker. ``tokens`` is how many name tokens the
    worker's name has (a count, to judge how similar two names are)."""

    key: str
    worker_id: str
    kind: str
    village_code: str
    tokens: int


@dataclass(frozen=True)
class PairRow:
    """What two workers' keys have in common, by kind of key."""

    first_id: str
    second_id: str
    kind: str
    shared: int
    first_village: str
    second_village: str
    first_tokens: int
    second_tokens: int


class DuplicateIndex(Protocol):
    def position(self) -> int: ...

    def advance(
        self,
        old: int,
        new: int,
        add: Sequence[IndexEntry],
        forget: Sequence[str],
        distinct: Sequence[tuple[str, str]],
    ) -> bool:
        """Applies one batch of events and moves the position from ``old`` to ``new`` in one
        transaction; ``False`` (and nothing changed) when another process moved it first."""
        ...

    def lookup(self, keys: Sequence[str]) -> list[IndexEntry]: ...

    def distinct(self, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (sorted) pairs were declared distinct."""
        ...

    def pairs(
        self, scope: Sequence[str], after: tuple[str, str] | None, limit: int
    ) -> list[PairRow]:
        """Pairs of workers under ``scope`` (region prefixes; empty: everywhere) sharing
        keys, not declared distinct, in order of their ids, at most ``limit`` pairs."""
        ...
