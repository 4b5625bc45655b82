"""Possible duplicates: warnings when a registration (by hand or imported) looks like a
worker already registered, the pairs a coordinator may review, and their verdict that two
records are two people.

The index of blocking keys (``keys``) follows the event feed like a read model: it reads
``Worker.Registered`` with the application's own mapper (it needs the name and NIK to make
the keys, and keeps only the keys), forgets a worker on ``PersonalDataErased`` and records
``PersonPair.DeclaredDistinct``. Its position moves in the same transaction as its rows, so
it is exactly once and restart-safe; every check first catches it up to the head."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from application.duplicates.index import DuplicateIndex, IndexEntry, PairRow
from application.duplicates.keys import (
    BlockingKey,
    KeyKind,
    MatchReason,
    PersonFacts,
    blocking_keys,
    name_sounds,
    similar_names,
)
from application.principal import CASE_READING_ROLES, Principal
from application.workers import RegisterWorker, WorkerUseCases
from application.writes import Change, WriteOptions, WriteResult
from domain.errors import RuleViolation
from domain.events import ERASED, Role
from domain.nik import Nik
from domain.person_pair import PersonPair
from domain.worker import Worker

WORKER_REGISTERED = "jejak:Worker.Registered"
WORKER_ERASED = "jejak:Worker.PersonalDataErased"
INDEX_TOPICS = (WORKER_REGISTERED, WORKER_ERASED, PersonPair.DeclaredDistinct.TOPIC)
#: Coordinators review possible duplicates in their regions.
DECLARING_ROLES = frozenset({Role.COORDINATOR, Role.SYSTEM})
CATCH_UP_BATCH = 1000
_catching_up = threading.Lock()


class AlreadyDeclaredDistinct(RuleViolation):
    code = "already_declared_distinct"
    template = "These two workers have already been declared different people."


@dataclass
class PossibleDuplicate:
    worker_id: UUID
    reasons: list[MatchReason] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "worker_id": str(self.worker_id),
            "reason": self.reasons[0].value,
            "reasons": [r.value for r in self.reasons],
        }


@dataclass(frozen=True)
class DuplicatePair:
    worker_id: UUID
    other_worker_id: UUID
    reasons: tuple[MatchReason, ...]


@dataclass(frozen=True)
class DuplicatePage:
    items: list[DuplicatePair]
    next_after: tuple[str, str] | None


class DuplicateUseCases(WorkerUseCases):
    duplicate_index: DuplicateIndex | None = None

    def _possible_duplicates_of(
        self, principal: Principal, command: RegisterWorker, nik: Nik, village: str
    ) -> list[dict[str, Any]]:
        facts = PersonFacts(nik.digits, command.full_name, command.birth_date, village)
        return [match.as_json() for match in self.possible_duplicates(principal, [facts])[0]]

    def find_possible_duplicates(
        self, principal: Principal, command: RegisterWorker
    ) -> list[PossibleDuplicate]:
        """What a registration would warn about, before it is saved (the web form asks)."""
        principal.require_recording_in(command.village_code, "register workers")
        nik = self.real_nik(command.nik)
        owner = self._nik_owner(principal, nik, only_hits_count=True)
        if owner is not None:
            # A known NIK leads to its record first: the refusal saving would give (once
            # counted), naming the record only when it is the caller's to see.
            raise self._already_registered(principal, owner)
        facts = PersonFacts(nik.digits, command.full_name, command.birth_date, command.village_code)
        return self.possible_duplicates(principal, [facts])[0]

    def possible_duplicates(
        self,
        principal: Principal,
        people: Sequence[PersonFacts],
        exclude: Sequence[UUID] = (),
    ) -> list[list[PossibleDuplicate]]:
        """For each person, the registered workers in the caller's scope that may be them.
        Workers outside the scope are never named, nor hinted at."""
        index = self._duplicate_index()
        self.catch_up_duplicates()
        fingerprint = self._duplicate_fingerprint
        keys = [blocking_keys(person, fingerprint) for person in people]
        found: dict[str, list[IndexEntry]] = defaultdict(list)
        for entry in index.lookup(sorted({k.key for person in keys for k in person})):
            found[entry.key].append(entry)
        skipped = {str(worker_id) for worker_id in exclude}
        return [
            _matches(principal, person, person_keys, found, skipped)
            for person, person_keys in zip(people, keys, strict=True)
        ]

    def list_possible_duplicates(
        self,
        principal: Principal,
        *,
        region: str | None,
        after: tuple[str, str] | None = None,
        limit: int = 50,
    ) -> DuplicatePage:
        """Pairs of workers in the caller's scope (both of them) that may be one person and
        that nobody has declared distinct, for a coordinator to review."""
        principal.require_role(CASE_READING_ROLES, "read reports")
        scope = principal.scope_filter(region)
        self.catch_up_duplicates()
        rows = self._duplicate_index().pairs(scope, after, limit)
        grouped: dict[tuple[str, str], list[PairRow]] = defaultdict(list)
        for row in rows:
            grouped[(row.first_id, row.second_id)].append(row)
        items = []
        for (first, second), kinds in grouped.items():
            reasons = _pair_reasons(kinds)
            if reasons:
                items.append(DuplicatePair(UUID(first), UUID(second), reasons))
        last = list(grouped)[-1] if len(grouped) >= limit else None
        return DuplicatePage(items=items, next_after=last)

    def declare_distinct(
        self,
        principal: Principal,
        first: UUID,
        second: UUID,
        reason: str,
        options: WriteOptions,
    ) -> WriteResult:
        """A coordinator has checked that two workers are two people: the pair is recorded
        (``PersonPair.DeclaredDistinct``) and no longer raised as a possible duplicate."""
        principal.require_role(DECLARING_ROLES, "declare workers distinct")
        occurred_on = self.services.clock.today()

        def decide() -> Change:
            for worker_id in (first, second):
                worker = self._load(worker_id, Worker, "worker")
                principal.require_recording_on(
                    worker.village_code, "worker", "declare workers distinct"
                )
            pair = PersonPair.declare_distinct(
                first=first, second=second, reason=reason, actor=principal.actor,
                occurred_on=occurred_on,
            )  # fmt: skip
            return Change(pair, on_conflict=AlreadyDeclaredDistinct)

        return self._execute(principal, options, decide)

    def catch_up_duplicates(self, max_batches: int = 50) -> None:
        """Brings the index up to the newest event (bounded: a store indexed for the first
        time is caught up by ``jejak duplicates index`` or by later checks)."""
        index = self._duplicate_index()
        with _catching_up:
            for _ in range(max_batches):
                position = index.position()
                head = int(self.recorder.max_notification_id() or 0)
                if position >= head:
                    return
                notifications = self.recorder.select_notifications(
                    start=position + 1, limit=CATCH_UP_BATCH, stop=head, topics=INDEX_TOPICS
                )
                full = len(notifications) == CATCH_UP_BATCH
                self.personal_data.load_keys(
                    [
                        UUID(str(n.originator_id))
                        for n in notifications
                        if n.topic == WORKER_REGISTERED
                    ]
                )
                new = notifications[-1].id if full else head
                add: list[IndexEntry] = []
                forget: list[str] = []
                distinct: list[tuple[str, str]] = []
                for notification in notifications:
                    event = self.mapper.to_domain_event(notification)
                    self._index_event(event, add, forget, distinct)
                index.advance(position, new, add, forget, distinct)

    # Helpers ------------------------------------------------------------------------------

    def _index_event(
        self,
        event: Any,
        add: list[IndexEntry],
        forget: list[str],
        distinct: list[tuple[str, str]],
    ) -> None:
        worker_id = str(event.originator_id)
        if isinstance(event, Worker.Registered):
            if event.nik == ERASED or event.birth_date is None:
                return
            facts = PersonFacts(event.nik, event.full_name, event.birth_date, event.village_code)
            tokens = len(name_sounds(event.full_name)[0])
            add.extend(
                IndexEntry(key.key, worker_id, key.kind.value, event.village_code, tokens)
                for key in blocking_keys(facts, self._duplicate_fingerprint)
            )
        elif isinstance(event, Worker.PersonalDataErased):
            forget.append(worker_id)
        elif isinstance(event, PersonPair.DeclaredDistinct):
            low, high = sorted(str(w) for w in event.worker_ids)
            distinct.append((low, high))

    def _duplicate_fingerprint(self, material: str) -> str:
        return self.services.keyring.fingerprint("duplicates", material)

    def _duplicate_index(self) -> DuplicateIndex:
        if self.duplicate_index is None:
            msg = "the duplicate index is not attached to this application"
            raise RuntimeError(msg)
        return self.duplicate_index


def _matches(
    principal: Principal,
    person: PersonFacts,
    keys: Sequence[BlockingKey],
    found: dict[str, list[IndexEntry]],
    skipped: set[str],
) -> list[PossibleDuplicate]:
    tokens = sum(1 for key in keys if key.kind is KeyKind.NAME)
    shared: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    entries: dict[str, IndexEntry] = {}
    for key in keys:
        for entry in found.get(key.key, ()):
            if entry.worker_id in skipped or not principal.covers(entry.village_code):
                continue
            entries[entry.worker_id] = entry
            kinds[entry.worker_id].add(entry.kind)
            if entry.kind == KeyKind.NAME:
                shared[entry.worker_id].add(entry.key)
    matches = []
    for worker_id in sorted(entries):
        reasons = _reasons(kinds[worker_id], len(shared[worker_id]), tokens, entries[worker_id])
        if reasons:
            matches.append(PossibleDuplicate(UUID(worker_id), reasons))
    return matches


def _reasons(kinds: set[str], shared: int, tokens: int, entry: IndexEntry) -> list[MatchReason]:
    reasons = []
    if KeyKind.NIK_DIGIT in kinds:
        reasons.append(MatchReason.NIK_ONE_DIGIT)
    if KeyKind.NIK_SWAP in kinds:
        reasons.append(MatchReason.NIK_SWAPPED)
    if KeyKind.WHOLE in kinds or similar_names(shared, tokens, entry.tokens):
        reasons.append(MatchReason.SIMILAR_NAME)
    return reasons


def _pair_reasons(rows: Sequence[PairRow]) -> tuple[MatchReason, ...]:
    by_kind = {row.kind: row for row in rows}
    token = by_kind.get(KeyKind.NAME)
    kinds = set(by_kind)
    shared = token.shared if token is not None else 0
    first_tokens = rows[0].first_tokens
    reasons = _reasons(
        kinds,
        shared,
        first_tokens,
        IndexEntry("", rows[0].second_id, "", rows[0].second_village, rows[0].second_tokens),
    )
    return tuple(reasons)
