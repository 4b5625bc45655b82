"""What each kind of row records, decided with the domain's own commands on the store's
aggregates (and what earlier rows of the same file decided): a dry run and a commit run the
very same code, so the commit records what the dry run said."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.domain import BaseAggregate

from application.checks import day_of, registered_village
from application.duplicates.keys import PersonFacts
from application.errors import NotFound, OutOfScope, WorkerAlreadyRegistered
from application.imports.columns import ImportKind
from application.imports.existing import (
    DocumentDiffers,
    IdentityDiffers,
    JourneyDiffers,
    OnExisting,
    document_differences,
    extend_journey,
    identity_differences,
    journey_differences,
    same_document,
    update_phone,
)
from application.imports.outcomes import (
    DuplicateInFile,
    NoOpenJourney,
    NotRegisteredHere,
)
from application.imports.parse import ParsedRow, require
from application.journeys import OPEN_JOURNEY_CLAIM, opening_claims
from application.ports import Claim, Guard, Unchanged
from application.principal import Principal
from application.workers import NIK_CLAIM
from domain.contact import normalise_phone
from domain.errors import InvalidValue
from domain.journey import Journey, JourneyAlreadyOpen
from domain.regions import RegionCode
from domain.village import Village, VillageNotDesignated, village_id_for
from domain.vocabularies import PlacementScheme
from domain.worker import Worker

if TYPE_CHECKING:
    from application.imports.usecases import ImportUseCases

A = TypeVar("A", bound=BaseAggregate[UUID])

NOT_REGISTERED = "no worker with this NIK is registered in your villages"
PERSON_COLUMNS = ("full_name", "sex", "birth_date", "village_code")
#: What a row does: records anew, updates what is recorded, or keeps it as it is.
RECORD, UPDATE, KEEP = "R", "U", "K"
#: Dates of facts: none may lie in the future.
FACT_DATES = ("opened_on", "departed_on", "returned_on", "issued_on", "held_on", "occurred_on")


@dataclass
class Decision:
    """A row's changes: the aggregate its row claim names, every aggregate it changed, the
    unique keys it claims, and the person it registers (for duplicate warnings). ``noted``
    are keys later rows of the file must not name again, though this row claims nothing
    new (the worker or open journey it keeps or updates)."""

    main: BaseAggregate[UUID]
    touched: list[BaseAggregate[UUID]]
    claims: list[Claim] = field(default_factory=list)
    registers: PersonFacts | None = None
    outcome: str = RECORD
    noted: list[Claim] = field(default_factory=list)
    #: What the row read and did not change, checked again when the batch is saved.
    guards: list[Guard] = field(default_factory=list)


@dataclass
class BatchContext:
    """The store as one batch sees it: claims read in bulk, claims made by earlier rows of
    the file (``planned``: key -> owner and row), and the aggregates loaded so far."""

    app: ImportUseCases
    principal: Principal
    today: date
    stored: Mapping[tuple[str, str], UUID]
    planned: Mapping[tuple[str, str], tuple[UUID, int]]
    cache: dict[UUID, BaseAggregate[UUID]] = field(default_factory=dict)
    on_existing: OnExisting = OnExisting.ERROR

    def owner(self, kind: str, key: str) -> UUID | None:
        planned = self.planned.get((kind, key))
        return planned[0] if planned is not None else self.stored.get((kind, key))

    def first_row(self, kind: str, key: str) -> int | None:
        planned = self.planned.get((kind, key))
        return None if planned is None else planned[1]

    def load(self, aggregate_id: UUID, cls: type[A], what: str) -> A:
        cached = self.cache.get(aggregate_id)
        if isinstance(cached, cls):
            return cached
        aggregate = self.app._load(aggregate_id, cls, what)
        self.cache[aggregate_id] = aggregate
        return aggregate


def check_row(kind: ImportKind, row: ParsedRow, app: ImportUseCases) -> None:
    """Rules between the columns of a row, and dates of facts not in the future: checked
    before anything is decided, so a row reports all of its problems at once."""
    if kind is ImportKind.JOURNEYS:
        if row.has("departed_on"):
            require(row, ("employer", "contract_start", "contract_end"))
        if row.has("returned_on"):
            require(row, ("return_reason", "departed_on"))
        if row.get("placement_scheme") is PlacementScheme.P3MI:
            require(row, ("p3mi_name", "p3mi_licence_number"))
        if any(row.has(name) for name in PERSON_COLUMNS) and "nik_key" in row.values:
            require(row, PERSON_COLUMNS)
    born = row.get("birth_date")
    if born is not None and born > app.services.clock.latest_today():
        row.errors.append(InvalidValue(field="birth_date", reason="cannot be in the future"))
    for name in FACT_DATES:
        if row.has(name):
            try:
                day_of(app, row.get(name), name)
            except InvalidValue as error:
                row.errors.append(error)


def decide_worker(ctx: BatchContext, row: ParsedRow) -> Decision:
    code, existing = _registered(ctx, row)
    if existing is not None:
        return _existing_worker(ctx, row, existing, code)
    worker = _register(ctx, row, code)
    facts = _facts(row, worker)
    return Decision(worker, [worker], [Claim(NIK_CLAIM, row.get("nik_key"), worker.id)], facts)


def decide_journey(ctx: BatchContext, row: ParsedRow) -> Decision:
    key = row.get("nik_key")
    _not_earlier_in_file(ctx, key)
    if row.has("full_name"):  # the row answers whether its NIK is registered elsewhere
        ctx.app.answering_niks(ctx.principal)
    owner = ctx.owner(NIK_CLAIM, key)
    touched: list[BaseAggregate[UUID]] = []
    claims: list[Claim] = []
    guards: list[Guard] = []
    facts = None
    if owner is None and row.has("full_name"):
        worker = _register(ctx, row, _village_in_scope(ctx, row))
        touched.append(worker)
        claims.append(Claim(NIK_CLAIM, key, worker.id))
        facts = _facts(row, worker)
    else:
        if owner is not None and row.has("full_name"):
            existing = ctx.load(owner, Worker, "worker")
            if not ctx.principal.covers(existing.village_code):
                raise ctx.app.registered_elsewhere(ctx.principal)
        worker = _worker_in_scope(ctx, owner)
        first = ctx.first_row(OPEN_JOURNEY_CLAIM, str(worker.id))
        if first is not None:
            raise DuplicateInFile(first_row=first)
        journey_id = ctx.owner(OPEN_JOURNEY_CLAIM, str(worker.id))
        if journey_id is not None and ctx.on_existing is OnExisting.ERROR:
            raise JourneyAlreadyOpen(open_journey_id=str(journey_id))
        if journey_id is not None:
            return _existing_journey(ctx, row, worker, journey_id)
        if ctx.on_existing is OnExisting.UPDATE and _person_updated(ctx, row, worker):
            touched.append(worker)
        if not worker.pending_events:  # stored before this batch: its village may move
            guards.append(Unchanged(worker.id, worker.version))
    journey = _journey(ctx, row, worker)
    touched.append(journey)
    claims += opening_claims(journey)
    return Decision(journey, touched, claims, facts, guards=guards)


def decide_document(ctx: BatchContext, row: ParsedRow) -> Decision:
    worker = _worker_in_scope(ctx, ctx.owner(NIK_CLAIM, row.get("nik_key")))
    journey_id = ctx.owner(OPEN_JOURNEY_CLAIM, str(worker.id))
    if journey_id is None:
        raise NoOpenJourney()
    journey = ctx.load(journey_id, Journey, "journey")
    recorded = None if ctx.on_existing is OnExisting.ERROR else same_document(row, journey)
    if recorded is not None:
        differs = document_differences(row, recorded)
        if differs and ctx.on_existing is OnExisting.UPDATE:
            raise DocumentDiffers(differs)
        return Decision(journey, [], outcome=KEEP)
    journey.record_document(
        kind=row.get("kind"),
        number=row.get("number"),
        issued_on=row.get("issued_on"),
        expires_on=row.get("expires_on"),
        actor=ctx.principal.actor,
        occurred_on=row.get("occurred_on") or ctx.today,
    )
    return Decision(journey, [journey])


def decide_activity(ctx: BatchContext, row: ParsedRow) -> Decision:
    code = registered_village(ctx.app, row.get("village_code"), "village_code")
    if not ctx.principal.covers(code.value):
        raise OutOfScope(region=code.value)
    try:
        village = ctx.load(village_id_for(code), Village, "Desmigratif village")
    except NotFound:
        raise VillageNotDesignated(village_code=code.value) from None
    village.hold_activity(
        pillar=row.get("pillar"),
        held_on=row.get("held_on"),
        title=row.get("title"),
        participants=row.get("participants"),
        participant_worker_ids=(),
        actor=ctx.principal.actor,
    )
    return Decision(village, [village])


DECIDERS: Mapping[ImportKind, Callable[[BatchContext, ParsedRow], Decision]] = {
    ImportKind.WORKERS: decide_worker,
    ImportKind.JOURNEYS: decide_journey,
    ImportKind.DOCUMENTS: decide_document,
    ImportKind.ACTIVITIES: decide_activity,
}


# Helpers ----------------------------------------------------------------------------------


def _registered(ctx: BatchContext, row: ParsedRow) -> tuple[RegionCode, Worker | None]:
    """The village a workers row names, and the worker its NIK already belongs to in the
    importer's scope when the importer chose to keep or update such rows; a NIK registered
    outside the scope is the same error whatever was chosen."""
    key = row.get("nik_key")
    _not_earlier_in_file(ctx, key)
    code = _village_in_scope(ctx, row)
    ctx.app.answering_niks(ctx.principal)
    owner = ctx.owner(NIK_CLAIM, key)
    if owner is None:
        return code, None
    existing = ctx.load(owner, Worker, "worker")
    if not ctx.principal.covers(existing.village_code):
        raise ctx.app.registered_elsewhere(ctx.principal)
    if ctx.on_existing is OnExisting.ERROR:
        raise WorkerAlreadyRegistered(existing_id=str(owner))
    return code, existing


def _village_in_scope(ctx: BatchContext, row: ParsedRow) -> RegionCode:
    code = registered_village(ctx.app, row.get("village_code"), "village_code")
    if not ctx.principal.covers(code.value):
        raise OutOfScope(region=code.value)
    return code


def _register(ctx: BatchContext, row: ParsedRow, code: RegionCode) -> Worker:
    """The worker a row registers, with the checks of a registration by hand."""
    phone = row.get("phone")
    return Worker.register(
        nik=row.get("nik_parsed"),
        full_name=row.get("full_name"),
        sex=row.get("sex"),
        birth_date=row.get("birth_date"),
        village=code,
        phone=normalise_phone(phone) if phone else None,
        actor=ctx.principal.actor,
        today=ctx.today,
    )


def _existing_worker(
    ctx: BatchContext, row: ParsedRow, worker: Worker, code: RegionCode
) -> Decision:
    """A workers row about someone registered in scope: kept, or (``update``) its phone
    recorded once the person's identity agrees with the record."""
    noted = [Claim(NIK_CLAIM, row.get("nik_key"), worker.id)]
    if ctx.on_existing is OnExisting.UPDATE and _person_updated(ctx, row, worker, code):
        return Decision(worker, [worker], outcome=UPDATE, noted=noted)
    return Decision(worker, [], outcome=KEEP, noted=noted)


def _person_updated(
    ctx: BatchContext, row: ParsedRow, worker: Worker, code: RegionCode | None = None
) -> bool:
    """Refuses a row whose person columns disagree with the record; records its phone."""
    if code is None and row.has("village_code"):
        code = _village_in_scope(ctx, row)
    differs = identity_differences(row, worker, None if code is None else code.value)
    if differs:
        raise IdentityDiffers(differs)
    return update_phone(row, worker, ctx.principal.actor, ctx.today)


def _existing_journey(
    ctx: BatchContext, row: ParsedRow, worker: Worker, journey_id: UUID
) -> Decision:
    """A journeys row for a worker with an open journey: kept, or (``update``) the
    departure and return it lacks recorded, once the row agrees with what it says."""
    noted = [Claim(OPEN_JOURNEY_CLAIM, str(worker.id), journey_id)]
    if ctx.on_existing is OnExisting.SKIP:
        return Decision(worker, [], outcome=KEEP, noted=noted)
    journey = ctx.load(journey_id, Journey, "journey")
    touched: list[BaseAggregate[UUID]] = []
    if _person_updated(ctx, row, worker):
        touched.append(worker)
    differs = journey_differences(row, journey)
    if differs:
        raise JourneyDiffers(differs)
    if extend_journey(row, journey, worker.birth_date, ctx.principal.actor):
        touched.append(journey)
    outcome = UPDATE if touched else KEEP
    return Decision(journey if touched else worker, touched, outcome=outcome, noted=noted)


def _not_earlier_in_file(ctx: BatchContext, key: str) -> None:
    first = ctx.first_row(NIK_CLAIM, key)
    if first is not None:
        raise DuplicateInFile(first_row=first)


def _worker_in_scope(ctx: BatchContext, owner: UUID | None) -> Worker:
    """A registered worker the importer may record on; an unknown NIK and one registered
    outside the scope are the same error, so an import cannot probe other areas."""
    worker = None if owner is None else ctx.load(owner, Worker, "worker")
    if worker is None or worker.erased or not ctx.principal.covers(worker.village_code):
        raise NotRegisteredHere(field="nik", reason=NOT_REGISTERED)
    return worker


def _journey(ctx: BatchContext, row: ParsedRow, worker: Worker) -> Journey:
    p3mi: Any = None
    if row.has("p3mi_name") or row.has("p3mi_licence_number"):
        p3mi = {"name": row.get("p3mi_name"), "licence_number": row.get("p3mi_licence_number")}
    journey = Journey.open(
        worker_id=worker.id,
        village_code=worker.village_code,
        destination_country=row.get("destination_country"),
        occupation=row.get("occupation"),
        placement_scheme=row.get("placement_scheme"),
        p3mi=p3mi,
        actor=ctx.principal.actor,
        occurred_on=row.get("opened_on") or row.get("departed_on") or ctx.today,
    )
    if row.has("departed_on"):
        journey.record_departure(
            departed_on=row.get("departed_on"),
            employer=row.get("employer"),
            contract_start=row.get("contract_start"),
            contract_end=row.get("contract_end"),
            worker_birth_date=worker.birth_date,
            actor=ctx.principal.actor,
        )
    if row.has("returned_on"):
        journey.record_return(
            returned_on=row.get("returned_on"),
            reason=row.get("return_reason"),
            actor=ctx.principal.actor,
        )
    return journey


def _facts(row: ParsedRow, worker: Worker) -> PersonFacts:
    assert worker.birth_date is not None
    return PersonFacts(row.get("nik_parsed").digits, worker.full_name, worker.birth_date,
                       worker.village_code)  # fmt: skip
