"""Journeys: the case of one migration, recorded by the officers of the worker's village and
read by them, their coordinators and auditors. A worker has at most one open journey."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import project_aggregate
from eventsourcing.persistence import MapperDeserialisationError

from application.base import JejakBase
from application.errors import NotFound
from application.ports import Claim, ClaimTaken, Unchanged
from application.principal import CASE_READING_ROLES, RECORDING_ROLES, Principal
from application.writes import Change, WriteOptions, WriteResult, check_expected_version
from domain.dates import fact_date
from domain.errors import InvalidValue
from domain.journey import Journey, JourneyAlreadyOpen, P3mi
from domain.journey.events import Event as JourneyEvent
from domain.journey.happened import happened_by
from domain.vocabularies import (
    ContactWith,
    DocumentKind,
    IncidentCategory,
    IncidentOutcome,
    IndicationOutcome,
    Indicator,
    MigrationTopic,
    PlacementScheme,
    ReintegrationActivityKind,
    ReintegrationNeed,
    ReturnReason,
    Severity,
    WelfareStatus,
)
from domain.worker import Worker, WorkerErased

#: Claim kind that keeps one open journey per worker: str(worker id) -> journey id.
OPEN_JOURNEY_CLAIM = "open_journey"
#: Claim kind that indexes every journey of a worker: str(journey id) -> worker id.
WORKER_JOURNEY_CLAIM = "worker_journey"


class VersionNotFound(NotFound):
    """``as_of_version`` beyond the journey's history: that version does not exist (yet)."""

    code = "version_not_found"
    template = "The journey has no version {version}; its latest is {current}."


class NotYetRecorded(NotFound):
    """``as_of`` before the journey was opened: it did not exist then."""

    code = "not_yet_recorded"
    template = "The journey had not been recorded yet at {as_of}."


class NotYetHappened(NotFound):
    """``happened_by`` before the journey began: nothing of it had happened by then."""

    code = "not_yet_happened"
    template = "Nothing of the journey had happened yet by {day}."


# Commands ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenJourney:
    worker_id: UUID
    destination_country: str
    occupation: str
    placement_scheme: PlacementScheme
    p3mi: P3mi | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class ProvideMigrationInfo:
    topics: Sequence[MigrationTopic]
    occurred_on: date | None = None


@dataclass(frozen=True)
class RecordDocument:
    kind: DocumentKind
    number: str
    issued_on: date
    expires_on: date | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class RaiseIndication:
    indicators: Sequence[Indicator]
    note: str | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class ResolveIndication:
    outcome: IndicationOutcome
    note: str | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class RecordDeparture:
    departed_on: date
    employer: str
    contract_start: date
    contract_end: date


@dataclass(frozen=True)
class CheckWelfare:
    contact_with: ContactWith
    status: WelfareStatus
    note: str | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class ReportIncident:
    category: IncidentCategory
    severity: Severity
    note: str | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class ResolveIncident:
    outcome: IncidentOutcome
    note: str | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class RecordReturn:
    returned_on: date
    reason: ReturnReason


@dataclass(frozen=True)
class PlanReintegration:
    needs: Sequence[ReintegrationNeed]
    occurred_on: date | None = None


@dataclass(frozen=True)
class RecordReintegrationActivity:
    kind: ReintegrationActivityKind
    note: str | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class EndJourney:
    """A cancellation (the worker did not leave) or a closure (the case is done);
    ``leave_open_reason`` says why open incidents and indications are left open."""

    reason: str
    occurred_on: date | None = None
    leave_open_reason: str | None = None


@dataclass(frozen=True)
class CorrectJourney:
    corrects_version: int
    reason: str
    changes: Mapping[str, object] = field(default_factory=dict)


# Use cases ---------------------------------------------------------------------------


class JourneyUseCases(JejakBase):
    def open_journey(
        self, principal: Principal, command: OpenJourney, options: WriteOptions
    ) -> WriteResult:
        """Opens a journey for a worker of the caller's villages; the journey keeps the
        worker's village for scope checks. A worker with an open journey is refused with 409
        and that journey's id, even when two officers open one at the same moment."""
        principal.require_role(RECORDING_ROLES, "open journeys")
        occurred_on = self._occurred_on(command.occurred_on)

        def decide() -> Change:
            worker = self._load(command.worker_id, Worker, "worker")
            principal.require_recording_on(worker.village_code, "worker", "open journeys")
            if worker.erased:
                raise WorkerErased()
            existing = self.ledger.get_claim_owner(OPEN_JOURNEY_CLAIM, str(worker.id))
            if existing is not None:
                raise JourneyAlreadyOpen(open_journey_id=str(existing))
            journey = Journey.open(
                worker_id=worker.id,
                village_code=worker.village_code,
                destination_country=command.destination_country,
                occupation=command.occupation,
                placement_scheme=command.placement_scheme,
                p3mi=command.p3mi,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return Change(
                journey,
                extra=_outcome(journey),
                claims=opening_claims(journey),
                on_claim_taken=_already_open,
                # The journey takes the worker's village: an acceptance of a transfer
                # saved meanwhile moves the worker, and this decides again.
                guards=[Unchanged(worker.id, worker.version)],
            )

        return self._execute(principal, options, decide)

    def provide_migration_info(
        self,
        principal: Principal,
        journey_id: UUID,
        command: ProvideMigrationInfo,
        options: WriteOptions,
    ) -> WriteResult:
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            journey.provide_migration_info(
                topics=command.topics, actor=principal.actor, occurred_on=occurred_on
            )
            return {}

        return self._write(principal, journey_id, options, "record counselling", act)

    def record_document(
        self, principal: Principal, journey_id: UUID, command: RecordDocument, options: WriteOptions
    ) -> WriteResult:
        occurred_on = self._occurred_on(command.occurred_on)
        issued_on = self._not_after_today(command.issued_on, "issued_on")

        def act(journey: Journey) -> dict[str, Any]:
            document_id = journey.record_document(
                kind=command.kind,
                number=command.number,
                issued_on=issued_on,
                expires_on=command.expires_on,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"document_id": document_id}

        return self._write(principal, journey_id, options, "record documents", act)

    def raise_indication(
        self,
        principal: Principal,
        journey_id: UUID,
        command: RaiseIndication,
        options: WriteOptions,
    ) -> WriteResult:
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            indication_id = journey.raise_indication(
                indicators=command.indicators,
                note=command.note,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"indication_id": indication_id}

        return self._write(principal, journey_id, options, "raise indications", act)

    def resolve_indication(
        self,
        principal: Principal,
        journey_id: UUID,
        indication_id: int,
        command: ResolveIndication,
        options: WriteOptions,
    ) -> WriteResult:
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            if not journey.has_indication(indication_id):
                raise NotFound(what="indication")
            journey.resolve_indication(
                indication_id,
                outcome=command.outcome,
                note=command.note,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"indication_id": indication_id}

        return self._write(principal, journey_id, options, "resolve indications", act)

    def record_departure(
        self,
        principal: Principal,
        journey_id: UUID,
        command: RecordDeparture,
        options: WriteOptions,
    ) -> WriteResult:
        """Always recorded; flagged non-procedural with its reasons when documents are
        missing, an indication is unresolved or the worker is under 18 that day."""
        departed_on = self._not_after_today(command.departed_on, "departed_on")

        def act(journey: Journey) -> dict[str, Any]:
            worker = self._load(journey.worker_id, Worker, "worker")
            if worker.erased:
                raise WorkerErased()
            journey.record_departure(
                departed_on=departed_on,
                employer=command.employer,
                contract_start=command.contract_start,
                contract_end=command.contract_end,
                worker_birth_date=worker.birth_date,
                actor=principal.actor,
            )
            return {}

        return self._write(principal, journey_id, options, "record departures", act)

    def check_welfare(
        self, principal: Principal, journey_id: UUID, command: CheckWelfare, options: WriteOptions
    ) -> WriteResult:
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            journey.check_welfare(
                contact_with=command.contact_with,
                status=command.status,
                note=command.note,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {}

        return self._write(principal, journey_id, options, "record welfare checks", act)

    def report_incident(
        self, principal: Principal, journey_id: UUID, command: ReportIncident, options: WriteOptions
    ) -> WriteResult:
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            incident_id = journey.report_incident(
                category=command.category,
                severity=command.severity,
                note=command.note,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"incident_id": incident_id}

        return self._write(principal, journey_id, options, "report incidents", act)

    def resolve_incident(
        self,
        principal: Principal,
        journey_id: UUID,
        incident_id: int,
        command: ResolveIncident,
        options: WriteOptions,
    ) -> WriteResult:
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            if not journey.has_incident(incident_id):
                raise NotFound(what="incident")
            journey.resolve_incident(
                incident_id,
                outcome=command.outcome,
                note=command.note,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"incident_id": incident_id}

        return self._write(principal, journey_id, options, "resolve incidents", act)

    def record_return(
        self, principal: Principal, journey_id: UUID, command: RecordReturn, options: WriteOptions
    ) -> WriteResult:
        returned_on = self._not_after_today(command.returned_on, "returned_on")

        def act(journey: Journey) -> dict[str, Any]:
            journey.record_return(
                returned_on=returned_on, reason=command.reason, actor=principal.actor
            )
            return {}

        return self._write(principal, journey_id, options, "record returns", act)

    def plan_reintegration(
        self,
        principal: Principal,
        journey_id: UUID,
        command: PlanReintegration,
        options: WriteOptions,
    ) -> WriteResult:
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            journey.plan_reintegration(
                needs=command.needs, actor=principal.actor, occurred_on=occurred_on
            )
            return {}

        return self._write(principal, journey_id, options, "plan reintegration", act)

    def record_reintegration_activity(
        self,
        principal: Principal,
        journey_id: UUID,
        command: RecordReintegrationActivity,
        options: WriteOptions,
    ) -> WriteResult:
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            journey.record_reintegration_activity(
                kind=command.kind,
                note=command.note,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {}

        return self._write(principal, journey_id, options, "record reintegration activities", act)

    def cancel_journey(
        self, principal: Principal, journey_id: UUID, command: EndJourney, options: WriteOptions
    ) -> WriteResult:
        """The worker did not leave; the worker is free to open another journey."""
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            journey.cancel(
                reason=command.reason,
                leave_open_reason=command.leave_open_reason,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {}

        return self._write(principal, journey_id, options, "cancel journeys", act)

    def close_journey(
        self, principal: Principal, journey_id: UUID, command: EndJourney, options: WriteOptions
    ) -> WriteResult:
        """The case is done; the worker is free to open another journey."""
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            journey.close(
                reason=command.reason,
                leave_open_reason=command.leave_open_reason,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {}

        return self._write(principal, journey_id, options, "close journeys", act)

    def correct_journey(
        self, principal: Principal, journey_id: UUID, command: CorrectJourney, options: WriteOptions
    ) -> WriteResult:
        """Amends what an earlier event said; allowed at every stage, even after closure."""
        today = self.services.clock.today()
        latest_today = self.services.clock.latest_today()

        def act(journey: Journey) -> dict[str, Any]:
            worker = self._load(journey.worker_id, Worker, "worker")
            journey.correct(
                corrects_version=command.corrects_version,
                reason=command.reason,
                changes=command.changes,
                worker_birth_date=None if worker.erased else worker.birth_date,
                latest_today=latest_today,
                actor=principal.actor,
                occurred_on=today,
            )
            return {}

        return self._write(principal, journey_id, options, "correct journeys", act)

    # Reading ---------------------------------------------------------------------------

    def get_journey(
        self,
        principal: Principal,
        journey_id: UUID,
        *,
        as_of_version: int | None = None,
        as_of: datetime | None = None,
        happened_by: date | None = None,
    ) -> Journey:
        """The journey now, or as it was: at a version, at a moment of recording time (the
        last version recorded at or before ``as_of``), or as it had happened by the end of
        a day (``domain.journey.happened``: what is known now of what had happened then)."""
        principal.require_role(CASE_READING_ROLES, "read journey records")
        if sum(x is not None for x in (as_of, as_of_version, happened_by)) > 1:
            raise InvalidValue(
                field="as_of", reason="give one of as_of, as_of_version, happened_by"
            )
        journey = self._load_journey(journey_id)
        principal.require_reading(journey.village_code, "journey")
        # Notes, document numbers and the employer are the worker's personal data.
        self.log_access(principal, "read_personal_data", str(journey.worker_id))
        if happened_by is not None:
            return self._happened_by(journey_id, happened_by)
        if as_of is not None:
            as_of_version = self._version_at(journey_id, as_of)
        if as_of_version is None or as_of_version == journey.version:
            return journey
        if as_of_version < 1 or as_of_version > journey.version:
            raise VersionNotFound(version=as_of_version, current=journey.version)
        return self._load_journey(journey_id, as_of_version)

    # Helpers ---------------------------------------------------------------------------

    def _write(
        self,
        principal: Principal,
        journey_id: UUID,
        options: WriteOptions,
        action: str,
        act: Callable[[Journey], dict[str, Any]],
    ) -> WriteResult:
        """Loads the journey, checks scope and If-Match, runs one domain command, and frees
        the worker's open-journey claim in the same transaction when the journey ends."""
        principal.require_role(RECORDING_ROLES, action)

        def decide() -> Change:
            journey = self._load_journey(journey_id)
            principal.require_recording_on(journey.village_code, "journey", action)
            check_expected_version(journey, options)
            was_open = journey.is_open
            extra = act(journey)
            ended = was_open and not journey.is_open
            return Change(
                journey,
                extra={**extra, **_outcome(journey)},
                releases=[_open_claim(journey)] if ended else [],
            )

        return self._execute(principal, options, decide)

    def _load_journey(self, journey_id: UUID, version: int | None = None) -> Journey:
        """A journey from its snapshot and later events; a snapshot sealed with the key of a
        worker since erased cannot be opened, so the events are replayed instead."""
        try:
            return self._load(journey_id, Journey, "journey", version)
        except MapperDeserialisationError:
            if self.snapshots is None:
                raise
            events = self.events.get(journey_id, lte=version)
            journey = cast(Journey | None, project_aggregate(None, events))
            if not isinstance(journey, Journey):
                raise NotFound(what="journey") from None
            return journey

    def _happened_by(self, journey_id: UUID, day: date) -> Journey:
        history = [
            event for event in self.events.get(journey_id) if isinstance(event, JourneyEvent)
        ]
        now = cast(Journey, project_aggregate(None, history))
        events = happened_by(history, now, day)
        if not events:
            raise NotYetHappened(day=day.isoformat())
        return cast(Journey, project_aggregate(None, events))

    def _version_at(self, journey_id: UUID, as_of: datetime) -> int:
        """The last version recorded at or before ``as_of``. Versions are recorded in order,
        so the history at a moment is a prefix of the events: stop at the first later one."""
        if as_of.tzinfo is None or as_of.utcoffset() is None:
            raise InvalidValue(field="as_of", reason="must include a time zone")
        version = 0
        for event in self.events.get(journey_id):
            assert isinstance(event, Journey.Event)
            if event.timestamp > as_of:
                break
            version = event.originator_version
        if version == 0:
            raise NotYetRecorded(as_of=as_of.isoformat())
        return version

    def _not_after_today(self, value: date, field_name: str) -> date:
        """Dates of facts (a departure, a return, an issue date) cannot lie in the future."""
        return fact_date(value, field_name, self.services.clock.latest_today())


def _outcome(journey: Journey) -> dict[str, Any]:
    """Every journey write answers with the stage and the flags it left the journey in."""
    return {"stage": journey.stage, "flags": journey.flags.as_json()}


def opening_claims(journey: Journey) -> list[Claim]:
    """A new journey is its worker's open one, and one of the worker's journeys for good
    (the index an accepted transfer moves them all by)."""
    return [_open_claim(journey), Claim(WORKER_JOURNEY_CLAIM, str(journey.id), journey.worker_id)]


def _open_claim(journey: Journey) -> Claim:
    return Claim(OPEN_JOURNEY_CLAIM, str(journey.worker_id), journey.id)


def _already_open(taken: ClaimTaken) -> Exception:
    return JourneyAlreadyOpen(open_journey_id=str(taken.owner_id))
