"""How every write runs: optimistic concurrency (If-Match), bounded retries when a
concurrent writer wins, and idempotency keys stored in the same transaction as the events."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import BaseAggregate
from eventsourcing.persistence import IntegrityError

from application.errors import TooMuchContention, VersionMismatch
from application.ports import Claim, ClaimTaken, Guard

MAX_WRITE_ATTEMPTS = 12


@dataclass(frozen=True)
class WriteOptions:
    """What the caller asked of a write besides its body.

    ``expected_version`` comes from If-Match; ``fingerprint`` identifies the request (route
    and body) so that a reused Idempotency-Key with another body can be refused.
    """

    expected_version: int | None = None
    idempotency_key: str | None = None
    fingerprint: str = ""


@dataclass(frozen=True)
class WriteResult:
    id: UUID
    version: int
    position: int
    extra: Mapping[str, Any] = field(default_factory=dict)
    replayed: bool = False

    def response(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "version": self.version,
            "position": self.position,
            **self.extra,
        }


@dataclass
class Change:
    """The outcome of deciding a command: the aggregate the caller addressed (its id and new
    version are the answer), any others changed with it, and unique keys it claims."""

    target: BaseAggregate[UUID]
    others: Sequence[BaseAggregate[UUID]] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    claims: Sequence[Claim] = ()
    releases: Sequence[Claim] = ()
    on_claim_taken: Callable[[ClaimTaken], Exception] | None = None
    #: What the decision read without changing: the write stands only if it still holds.
    guards: Sequence[Guard] = ()
    #: For a new aggregate with a derived id, a conflict means it exists: not worth a retry.
    on_conflict: Callable[[], Exception] | None = None


def check_expected_version(aggregate: BaseAggregate[UUID], options: WriteOptions) -> None:
    if options.expected_version is not None and aggregate.version != options.expected_version:
        raise VersionMismatch(expected=options.expected_version, current=aggregate.version)


def retry_on_conflict(attempt: Callable[[], WriteResult | None]) -> WriteResult:
    """Runs ``attempt`` until it returns a result; ``None`` means a concurrent writer won and
    the command should be decided again on the fresh state. Waits a little, with jitter,
    between attempts so that writers racing on one record spread out."""
    for tries in range(MAX_WRITE_ATTEMPTS):
        result = attempt()
        if result is not None:
            return result
        time.sleep(random.uniform(0, 0.005 * (2 ** min(tries, 5))))  # noqa: S311 - jitter
    raise TooMuchContention()


__all__ = [
    "Change",
    "IntegrityError",
    "WriteOptions",
    "WriteResult",
    "check_expected_version",
    "retry_on_conflict",
]
