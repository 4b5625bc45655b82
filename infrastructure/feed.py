"""What is wrong with the global feed, and whose history it concerns.

Verification checks every event's feed seal on its own row while it recomputes the chains
(``infrastructure/audit.py``); only when a seal fails or a position is missing does it read
the feed again in position order, here, to say what happened:

- *moved*: an event whose seal matches another position than the one it stands at (two
  events of different aggregates swapped, one event taken elsewhere);
- *renumbered*: a run of events all shifted by the same amount, still in their order (what
  renumbering the positions after cutting an event out leaves); named as a run;
- *removed*: an event named as the one before an authentic event that no longer exists
  anywhere, which names the aggregate that lost it even when its own chain looks whole
  (its newest events cut off);
- *forged*: an event whose seal matches no position nearby (edited, inserted, or moved
  further than ``SEARCH_DISTANCE``); *unsealed*: no seal at all.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from application.ports import Problem
from infrastructure.chain import FEED_START, feed_keyed, feed_ref, feed_seal, read_feed_ref

#: How far from where it stands a moved event's true position is looked for.
SEARCH_DISTANCE = 1000
#: Events searched for at all positions in one verification (each costs up to 2,000 HMACs).
SEARCH_BUDGET = 200
#: Positions listed as missing, events checked against the one they name before them.
MISSING_LIMIT = 1000
CLAIM_LIMIT = 1000

#: Where an event (aggregate id, version) stands now, or None when it is nowhere.
Lookup = Callable[[UUID, int], int | None]


@dataclass(frozen=True)
class FeedRow:
    position: int
    originator_id: UUID
    version: int
    digest: bytes
    seal: bytes
    previous: bytes

    @property
    def ref(self) -> bytes:
        return feed_ref(self.originator_id, self.version)


@dataclass
class FeedFindings:
    problems: list[Problem] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)


class FeedSeals:
    """Checks and locates feed seals with one keyed HMAC."""

    def __init__(self, key: bytes) -> None:
        self.keyed = feed_keyed(key)
        self.budget = SEARCH_BUDGET

    def sound_at(self, row: FeedRow, position: int) -> bool:
        if position < 1:
            return False
        expected = feed_seal(
            self.keyed, position, row.originator_id, row.version, row.digest, row.previous
        )
        return hmac.compare_digest(expected, row.seal)

    def locate(self, row: FeedRow, shift: int = 0) -> int | None:
        """The position the row was recorded at: where it stands, where the run it belongs
        to came from (``shift``), or, within the search budget, any position nearby."""
        if self.sound_at(row, row.position):
            return row.position
        if shift and self.sound_at(row, row.position + shift):
            return row.position + shift
        if self.budget <= 0:
            return None
        self.budget -= 1
        for distance in range(1, SEARCH_DISTANCE + 1):
            for candidate in (row.position + distance, row.position - distance):
                if self.sound_at(row, candidate):
                    return candidate
        return None

    def misplaced(self, rows: Iterable[FeedRow]) -> list[Problem]:
        """Problems of single rows whose seal fails where they stand (one history's)."""
        return [_misplaced(row, self.locate(row) if row.seal else None) for row in rows]


def _misplaced(row: FeedRow, origin: int | None) -> Problem:
    if not row.seal:
        return _problem(row, "unsealed", "the event carries no feed seal")
    if origin is None:
        return _problem(row, "forged", "its feed seal matches no position: changed or inserted")
    return _problem(row, "moved", f"recorded at position {origin}, now at {row.position}")


def _problem(row: FeedRow, kind: str, detail: str) -> Problem:
    return Problem(row.originator_id, row.version, kind, detail, position=row.position)


@dataclass
class _Run:
    start: int
    end: int
    shift: int

    def problem(self) -> Problem:
        detail = (
            f"positions {self.start}-{self.end} were recorded as "
            f"{self.start + self.shift}-{self.end + self.shift}"
        )
        return Problem(None, None, "renumbered", detail, position=self.start)


class FeedDiagnosis:
    """One pass over the feed in position order (see the module's docstring)."""

    def __init__(self, seals: FeedSeals, lookup: Lookup) -> None:
        self.seals = seals
        self.lookup = lookup
        self.findings = FeedFindings()
        self._named: set[tuple[UUID, int]] = set()
        self._claims: list[tuple[FeedRow, bytes]] = []
        self._where: dict[bytes, int | None] = {}
        self._run: _Run | None = None
        self._shift = 0

    def run(self, rows: Iterable[FeedRow]) -> FeedFindings:
        expected = 1
        actual = FEED_START
        for row in rows:
            if row.position > expected:
                self._missing(expected, row.position)
            expected = row.position + 1
            self._row(row, actual)
            actual = row.ref
        self._close_run()
        self._resolve_claims()
        return self.findings

    def _row(self, row: FeedRow, actual: bytes) -> None:
        if not row.seal:
            self._name(_misplaced(row, None))
            return
        origin = self.seals.locate(row, self._shift)
        if origin is None:
            self._name(_misplaced(row, None))
            return
        in_order = True
        if origin != row.position:
            shift = origin - row.position
            in_order = row.previous == actual or self._where_is(row.previous) is None
            if in_order:
                self._extend_run(row.position, shift)
            else:
                self._close_run()
                self._name(_misplaced(row, origin))
            self._shift = shift
        else:
            self._close_run()
            self._shift = 0
        if in_order and row.previous != actual and len(self._claims) < CLAIM_LIMIT:
            self._claims.append((row, row.previous))

    def _name(self, problem: Problem) -> None:
        assert problem.aggregate_id is not None
        assert problem.version is not None
        self._named.add((problem.aggregate_id, problem.version))
        self.findings.problems.append(problem)

    def _missing(self, start: int, end: int) -> None:
        room = MISSING_LIMIT - len(self.findings.missing)
        if room > 0:
            self.findings.missing.extend(range(start, min(end, start + room)))

    def _extend_run(self, position: int, shift: int) -> None:
        run = self._run
        if run is not None and run.shift == shift and run.end == position - 1:
            run.end = position
            return
        self._close_run()
        self._run = _Run(position, position, shift)

    def _close_run(self) -> None:
        if self._run is not None:
            self.findings.problems.append(self._run.problem())
            self._run = None

    def _where_is(self, ref: bytes) -> int | None:
        if ref not in self._where:
            named = read_feed_ref(ref)
            self._where[ref] = None if named is None else self.lookup(*named)
        return self._where[ref]

    def _resolve_claims(self) -> None:
        """Each authentic event names the one recorded before it: one that is nowhere was
        removed (its aggregate is named), one elsewhere was reordered."""
        for row, ref in self._claims:
            named = read_feed_ref(ref)
            if named is None or named in self._named:
                continue
            self._named.add(named)
            where = self._where_is(ref)
            if where is None:
                detail = f"cut from the feed: it was recorded just before position {row.position}"
                kind = "removed"
            else:
                detail = f"no longer just before position {row.position} (it is at {where})"
                kind = "reordered"
            self.findings.problems.append(
                Problem(named[0], named[1], kind, detail, position=row.position)
            )
