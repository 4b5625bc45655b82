"""One pass over a file, a batch of rows at a time: the dry run, the commit's check, and the
commit itself are each such a pass. A pass remembers only what later rows of the file need
(the unique keys earlier rows claimed, and the people they register, for duplicate
warnings within the file), so memory stays bounded by a batch, not by the file."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import BaseAggregate

from application.duplicates.keys import (
    MatchReason,
    PersonFacts,
    name_sounds,
    similar_names,
)
from application.imports.cells import Cell
from application.imports.columns import COLUMNS, ImportKind, Layout
from application.imports.decide import DECIDERS, KEEP, RECORD, BatchContext, check_row
from application.imports.existing import DiffersFromRecord, OnExisting
from application.imports.outcomes import (
    DONE,
    KEPT,
    RowError,
    error_signature,
    record_signature,
    row_error,
    update_signature,
)
from application.imports.parse import ParsedRow, parse_row
from application.journeys import OPEN_JOURNEY_CLAIM
from application.ports import Claim, Guard
from application.principal import Principal
from application.workers import NIK_CLAIM
from domain.errors import DomainError

if TYPE_CHECKING:
    from application.imports.usecases import ImportUseCases

#: Claim kind that marks a row of a file as recorded: ``sha256:kind:sheet:row`` -> owner.
IMPORT_ROW_CLAIM = "import_row"


@dataclass
class RowOutcome:
    row: int
    signature: str
    errors: list[RowError] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


@dataclass
class BatchPlan:
    outcomes: list[RowOutcome]
    touched: dict[UUID, BaseAggregate[UUID]]
    claims: list[Claim]
    duplicates: list[dict[str, Any]]
    guards: list[Guard] = field(default_factory=list)

    @property
    def recorded(self) -> int:
        """Rows whose events this batch saves: recorded anew or updated."""
        return sum(1 for outcome in self.outcomes if outcome.signature.startswith(("R:", "U:")))

    def events(self) -> Counter[str]:
        return Counter(topic for outcome in self.outcomes for topic in outcome.topics)


@dataclass
class ImportSession:
    app: ImportUseCases
    principal: Principal
    kind: ImportKind
    sha256: str
    sheet: str
    layout: Layout
    labels: Mapping[str, Mapping[str, str]]
    today: date
    on_existing: OnExisting = OnExisting.ERROR
    check_duplicates: bool = True
    planned: dict[tuple[str, str], tuple[UUID, int]] = field(default_factory=dict)
    people: list[tuple[int, PersonFacts]] = field(default_factory=list)

    def row_key(self, row: int) -> str:
        return f"{self.sha256}:{self.kind.value}:{self.sheet}:{row}"

    def source(self, row: int) -> dict[str, Any]:
        return {"sha256": self.sha256, "sheet": self.sheet, "row": row}

    def plan(self, rows: Sequence[tuple[int, Sequence[Cell]]]) -> BatchPlan:
        """Decides a batch of rows against the store (read in bulk) and the rows before."""
        parsed = [self._parse(number, row_cells) for number, row_cells in rows]
        ctx = BatchContext(
            self.app, self.principal, self.today, self._stored(parsed), self.planned,
            on_existing=self.on_existing,
        )  # fmt: skip
        plan = BatchPlan(outcomes=[], touched={}, claims=[], duplicates=[])
        registered: list[tuple[int, PersonFacts]] = []
        for row in parsed:
            outcome, facts = self._decide(ctx, row, plan)
            plan.outcomes.append(outcome)
            if facts is not None:
                registered.append((row.row, facts))
        if self.check_duplicates and registered:
            plan.duplicates = self._duplicates(registered)
            self.people.extend(registered)
        return plan

    def in_file_duplicates(self) -> list[dict[str, Any]]:
        """People registered twice within the file (a similar name, or a NIK one digit or
        one swap away, with the same birth date): each later row names the earlier one."""
        found: dict[tuple[int, int], list[MatchReason]] = defaultdict(list)
        for first, later, reason in _near_niks(self.people):
            found[(later, first)].append(reason)
        for first, later in _similar_names(self.people):
            found[(later, first)].append(MatchReason.SIMILAR_NAME)
        return [
            {"row": row, "other_row": other, "reason": reasons[0].value,
             "reasons": [r.value for r in reasons]}
            for (row, other), reasons in sorted(found.items())
        ]  # fmt: skip

    # Steps ------------------------------------------------------------------------------

    def _parse(self, number: int, row_cells: Sequence[Cell]) -> ParsedRow:
        row = parse_row(COLUMNS[self.kind], number, row_cells, self.layout, self.labels, self.today)
        if row.has("nik"):
            try:
                nik = self.app.real_nik(row.get("nik"))
            except DomainError as error:
                row.errors.append(error)
            else:
                row.values["nik_parsed"] = nik
                row.values["nik_key"] = self.app._nik_key(nik)
        check_row(self.kind, row, self.app)
        return row

    def _stored(self, rows: Sequence[ParsedRow]) -> dict[tuple[str, str], UUID]:
        """The claims this batch needs, read in three bulk reads; every NIK looked up is
        written to the access log."""
        store = self.app.import_store()
        stored: dict[tuple[str, str], UUID] = {}
        for kind, keys in (
            (IMPORT_ROW_CLAIM, [self.row_key(row.row) for row in rows]),
            (NIK_CLAIM, [row.get("nik_key") for row in rows if row.has("nik_key")]),
        ):
            stored.update({(kind, k): o for k, o in store.claim_owners(kind, keys).items()})
        workers = [str(o) for (kind, _), o in stored.items() if kind == NIK_CLAIM]
        found = store.claim_owners(OPEN_JOURNEY_CLAIM, workers)
        stored.update({(OPEN_JOURNEY_CLAIM, k): o for k, o in found.items()})
        checked = [row.get("nik_key") for row in rows if row.has("nik_key")]
        self.app.nik_checked(self.principal, [stored.get((NIK_CLAIM, k)) for k in checked])
        return stored

    def _decide(
        self, ctx: BatchContext, row: ParsedRow, plan: BatchPlan
    ) -> tuple[RowOutcome, PersonFacts | None]:
        key = self.row_key(row.row)
        if (IMPORT_ROW_CLAIM, key) in ctx.stored:
            return RowOutcome(row.row, DONE), None
        columns = COLUMNS[self.kind]
        errors = [row_error(row.row, e, self.layout, columns) for e in row.errors]
        if not errors:
            try:
                decision = DECIDERS[self.kind](ctx, row)
            except DomainError as error:
                errors = self._errors(row.row, error)
                _forget_changes(ctx, plan)
        if errors:
            return RowOutcome(row.row, error_signature(errors), errors), None
        for claim in decision.noted:
            self.planned[(claim.kind, claim.key)] = (claim.owner_id, row.row)
        if decision.outcome == KEEP:
            return RowOutcome(row.row, KEPT), None
        topics = self._stamp(decision.touched, row.row)
        for aggregate in decision.touched:
            plan.touched[aggregate.id] = aggregate
            ctx.cache[aggregate.id] = aggregate
        for claim in decision.claims:
            self.planned[(claim.kind, claim.key)] = (claim.owner_id, row.row)
        plan.claims.extend(decision.claims)
        plan.guards.extend(decision.guards)
        plan.claims.append(Claim(IMPORT_ROW_CLAIM, key, decision.main.id))
        signature = (record_signature if decision.outcome == RECORD else update_signature)(topics)
        return RowOutcome(row.row, signature, topics=topics), decision.registers

    def _errors(self, row: int, error: DomainError) -> list[RowError]:
        """A row's refusal; one error per column that differs from the record."""
        columns = COLUMNS[self.kind]
        if isinstance(error, DiffersFromRecord):
            return [
                row_error(row, type(error)((), field=name), self.layout, columns)
                for name in error.fields
            ]
        return [row_error(row, error, self.layout, columns)]

    def _stamp(self, aggregates: Sequence[BaseAggregate[UUID]], row: int) -> list[str]:
        """Names the row on the events it made: the source goes into the stored event, and
        so into the hash chain."""
        source = self.source(row)
        topics = []
        for aggregate in aggregates:
            for event in aggregate.pending_events:
                if "imported_from" not in vars(event):
                    object.__setattr__(event, "imported_from", source)
                    topics.append(str(getattr(type(event), "TOPIC", "")).removeprefix("jejak:"))
        return topics

    def _duplicates(self, registered: Sequence[tuple[int, PersonFacts]]) -> list[dict[str, Any]]:
        matches = self.app.possible_duplicates(self.principal, [facts for _, facts in registered])
        return [
            {"row": row, **match.as_json()}
            for (row, _), found in zip(registered, matches, strict=True)
            for match in found
        ]


def _forget_changes(ctx: BatchContext, plan: BatchPlan) -> None:
    """A refused row may have changed a stored aggregate before its refusal (a phone, then
    a departure the stage refuses): the batch forgets it and later rows load it again."""
    for aggregate_id, aggregate in list(ctx.cache.items()):
        if aggregate.pending_events and aggregate_id not in plan.touched:
            del ctx.cache[aggregate_id]


def _near_niks(people: Sequence[tuple[int, PersonFacts]]) -> list[tuple[int, int, MatchReason]]:
    """Pairs of rows whose NIKs differ in one digit, or by one swap of neighbours, with the
    same birth date: one pass per position, each keeping one dictionary of the file."""
    pairs = []
    for position in range(16):
        for swap in (False, True):
            seen: dict[tuple[str, str], int] = {}
            for row, person in people:
                nik = person.nik
                if swap:
                    if position == 15 or nik[position] == nik[position + 1]:
                        continue
                    pair = "".join(sorted(nik[position : position + 2]))
                    variant = nik[:position] + pair + nik[position + 2 :]
                else:
                    variant = nik[:position] + nik[position + 1 :]
                key = (variant, person.birth_date.isoformat())
                first = seen.setdefault(key, row)
                if first != row:
                    reason = MatchReason.NIK_SWAPPED if swap else MatchReason.NIK_ONE_DIGIT
                    pairs.append((first, row, reason))
    return pairs


def _similar_names(people: Sequence[tuple[int, PersonFacts]]) -> list[tuple[int, int]]:
    groups: dict[tuple[str, str], list[tuple[int, set[str], str]]] = defaultdict(list)
    for row, person in people:
        sounds, whole = name_sounds(person.full_name)
        groups[(person.regency, person.birth_date.isoformat())].append((row, set(sounds), whole))
    pairs = []
    for members in groups.values():
        for index, (row, heard, whole) in enumerate(members):
            for earlier, earlier_heard, earlier_whole in members[:index]:
                shared = len(heard & earlier_heard)
                if whole == earlier_whole or similar_names(shared, len(heard), len(earlier_heard)):
                    pairs.append((earlier, row))
    return pairs
