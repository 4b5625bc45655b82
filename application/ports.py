"""What the application needs from the outside world, as protocols the infrastructure
implements. Nothing here knows about SQL, HTTP or a particular crypto library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.persistence import IntegrityError


@dataclass(frozen=True)
class Claim:
    """A unique key owned by one aggregate (a keyed NIK fingerprint, say), written in the same
    transaction as the aggregate's events so that two racing registrations cannot both win."""

    kind: str
    key: str
    owner_id: UUID


@dataclass(frozen=True)
class IdempotencyRecord:
    """The first response to a keyed request, stored with the events it produced."""

    scope: str
    key: str
    fingerprint: str
    aggregate_id: UUID
    response: Mapping[str, Any]


#: What an idempotency record's fingerprint becomes when the person it concerns is erased:
#: a keyed fingerprint of a body holding their NIK or name would let whoever holds the key
#: confirm a guess of it. The record stays, so a late retry of the request still gets its
#: first answer (which holds only ids) instead of recording again what was erased.
ERASED_FINGERPRINT = "erased"


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: str
    response: Mapping[str, Any]
    position: int


@dataclass(frozen=True)
class SaveExtras:
    """Rows the event recorder writes in the events' own transaction."""

    claims: Sequence[Claim] = ()
    #: Claims given up in the same transaction (a journey closed frees its worker).
    releases: Sequence[Claim] = ()
    idempotency: IdempotencyRecord | None = None
    #: What the decision read that the write depends on, checked again under the write lock.
    guards: Sequence[Guard] = ()


@dataclass(frozen=True)
class Unchanged:
    """The decision read this aggregate at this version without changing it (a journey
    opened with its worker's village): it stands only if nobody has written to it since."""

    aggregate_id: UUID
    version: int


@dataclass(frozen=True)
class ClaimsOwned:
    """The decision read every key of this kind its owner holds (the journeys of a worker
    it moves): it stands only if they are still exactly these."""

    kind: str
    owner_id: UUID
    keys: frozenset[str]


Guard = Unchanged | ClaimsOwned


class ReadChanged(IntegrityError):
    """What a decision read changed before its write: decide again on the fresh state."""


class ClaimTaken(IntegrityError):
    """Another aggregate already owns the claimed key."""

    def __init__(self, kind: str, owner_id: UUID) -> None:
        super().__init__(f"{kind} already claimed")
        self.kind = kind
        self.owner_id = owner_id


class IdempotencyKeyTaken(IntegrityError):
    """A concurrent request with the same Idempotency-Key committed first."""


@dataclass(frozen=True)
class AuditedEvent:
    """A stored event with its place in the feed, its chain link and its decoded content."""

    position: int
    aggregate_id: UUID
    version: int
    topic: str
    hash: str
    event: Any


@dataclass(frozen=True)
class Undecodable:
    """What is shown of a stored event whose bytes no longer decode (they were changed
    behind the service's back): its place and its hash stay visible, and verification names
    it, so an export goes on past it instead of stopping short."""

    error: str
    timestamp: None = None


@dataclass(frozen=True)
class Problem:
    """Something verification found wrong. ``aggregate_id`` names the history it concerns
    (None only for a whole run of the feed renumbered, which concerns no one history);
    ``position`` is where in the feed it was found, when that is known."""

    aggregate_id: UUID | None
    version: int | None
    #: changed | removed | reordered | inserted (a history's chain); moved | renumbered |
    #: forged | unsealed (the feed); snapshot (a snapshot that is not sound)
    kind: str
    detail: str
    position: int | None = None


@dataclass(frozen=True)
class LogProblem:
    """Where the access log's chain breaks: ``entry_id`` is the first entry found wrong."""

    entry_id: int
    kind: str  # changed | removed | unsealed | truncated
    detail: str


@dataclass(frozen=True)
class AccessLogVerification:
    entries: int
    last_id: int
    problems: list[LogProblem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Verification:
    checked: int
    events: int
    failed: list[UUID]
    problems: list[Problem]
    last_position: int
    missing_positions: list[int] = field(default_factory=list)
    #: Snapshots whose seal was checked (a snapshot that is not sound is a problem).
    snapshots: int = 0
    #: The access log's chain (None when one aggregate was verified).
    access_log: AccessLogVerification | None = None

    @property
    def intact(self) -> bool:
        return (
            not self.failed
            and not self.problems
            and not self.missing_positions
            and (self.access_log is None or self.access_log.intact)
        )


@dataclass(frozen=True)
class CheckpointVerification:
    """The store against a signed checkpoint: the whole verification (a checkpoint that
    only found nothing cut off would say little), plus what only the checkpoint can see:
    events and access-log entries cut off after it."""

    valid_signature: bool
    position: int
    events_expected: int
    events_found: int
    missing_positions: list[int]
    heads_match: bool
    verification: Verification | None = None
    #: What the checkpoint itself finds: its newest event gone or replaced (named), the
    #: access log shorter than it was.
    problems: list[Problem] = field(default_factory=list)
    access_log_problems: list[LogProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return (
            self.valid_signature
            and self.heads_match
            and not self.missing_positions
            and self.events_expected == self.events_found
            and not self.problems
            and not self.access_log_problems
            and self.verification is not None
            and self.verification.intact
        )


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    user_id: str
    username: str
    role: str
    action: str  # read_personal_data | export | login_failed | login_throttled
    subject_id: str | None
    route: str
    client: str
    id: int | None = None


class AuditStore(Protocol):
    """Every verification names what it finds wrong; none answers intact having checked
    less than the whole store (or the one history asked for)."""

    def stream(self, aggregate_id: UUID) -> list[AuditedEvent]: ...

    def feed(self, after: int, limit: int) -> list[AuditedEvent]: ...

    def verify(self, aggregate_id: UUID | None = None) -> Verification: ...

    def checkpoint(self) -> dict[str, Any]: ...

    def verify_checkpoint(self, statement: Mapping[str, Any]) -> CheckpointVerification: ...


class AccessLog(Protocol):
    def record(self, entry: AccessEntry) -> None: ...

    def record_many(self, entries: Sequence[AccessEntry]) -> None: ...

    def entries(
        self,
        *,
        since: datetime | None,
        until: datetime | None,
        after: int,
        limit: int,
        user_id: str | None = None,
    ) -> list[AccessEntry]: ...


class PersonalDataStore(Protocol):
    """Crypto-shredding: what erasure does beyond recording that it happened."""

    def destroy_key(self, subject_id: UUID) -> None:
        """Destroys the person's data key (a tombstone stays, so none is made again)."""
        ...

    def load_keys(self, subject_ids: Sequence[UUID]) -> None:
        """Reads these people's data keys in one go before a batch of their events is
        decoded (a cache: reading without it gives the same events, more slowly)."""
        ...

    def purge(self, aggregate_ids: Sequence[UUID]) -> None:
        """Deletes snapshots and the NIK index of these aggregates, and forgets the
        fingerprints of their idempotency records."""
        ...

    def rewrap_keys(self) -> int:
        """Re-wraps every data key still wrapped by a previous master key."""
        ...

    def unreadable_keys(self) -> int:
        """Data keys wrapped by a master key this process was not given: a wrong or
        missing key in the settings, which would make every read of those people fail."""
        ...


@runtime_checkable
class EventLedger(Protocol):
    """The parts of the event store beyond the library's recorder interface."""

    def get_stored_response(self, scope: str, key: str) -> StoredResponse | None: ...

    def get_claim_owner(self, kind: str, key: str) -> UUID | None: ...

    def has_claims(self, kind: str) -> bool: ...

    def claims_owned_by(self, kind: str, owner_id: UUID) -> list[str]:
        """The keys of this kind held by this owner, in key order."""
        ...

    def ping(self) -> None: ...


@runtime_checkable
class ProvidesLedger(Protocol):
    """An eventsourcing infrastructure factory that also hands out Jejak's own stores."""

    def ledger(self) -> EventLedger: ...

    def audit_store(self, mapper: Any) -> AuditStore: ...

    def access_log(self) -> AccessLog: ...

    def personal_data(self) -> PersonalDataStore: ...


class RegionRegister(Protocol):
    """The Kemendagri register of provinces, regencies, districts and villages."""

    def name_of(self, code: str) -> str | None: ...


#: Why a new password is refused: built from words of its context (the username), or
#: common, breached or otherwise guessable.
PasswordWeakness = Literal["context", "guessable"]


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def weakness(self, password: str, context: Sequence[str]) -> PasswordWeakness | None:
        """None when the password is hard enough to guess, given words an attacker would
        try first (``context``: the username and its parts)."""
        ...


class Keyring(Protocol):
    """Keyed fingerprints: never a plain hash of a small, structured space like the NIK."""

    def fingerprint(self, purpose: str, value: str) -> str: ...


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date:
        """Today on the calendar of the programme's officers (WIB)."""
        ...

    def latest_today(self) -> date:
        """Today in the easternmost Indonesian time zone (WIT): nothing can have happened
        later than this anywhere in the country."""
        ...


@dataclass(frozen=True)
class Services:
    """Collaborators the application is built with, wired in by the infrastructure."""

    regions: RegionRegister
    passwords: PasswordHasher
    keyring: Keyring
    clock: Clock
    settings: Mapping[str, Any] = field(default_factory=dict)
