"""The journey: one migration of one worker, from the first counselling to closure (the case).

Stages: ``pre_departure`` → ``placement`` → ``returned`` → (``reintegration`` →) ``closed``,
or ``pre_departure`` → ``cancelled``. Order is enforced; a breach names the current stage.

The service records what happened; it does not forbid reality. A departure is always
accepted and flagged non-procedural, with its reasons, when the law was not followed. Events
are never edited: a ``Corrected`` event amends what an earlier one said, the state reflects
the amendment, and the history keeps both.

Every fact carries the date it happened (``occurred_on``, given by the officer) besides the
time it was recorded (the library's ``timestamp``), so backdated entries stay visible.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypedDict, cast
from uuid import UUID, uuid4

from eventsourcing.utils import register_topic

from domain import journey_values as values
from domain.errors import InvalidValue, RuleViolation
from domain.events import ERASED, Actor, JejakAggregate, JejakCreated, JejakEvent
from domain.flags import Flags, assess, under_18
from domain.journey_values import P3mi, Parser
from domain.regions import village_code as parse_village_code
from domain.snapshots import PackedSnapshot
from domain.vocabularies import (
    FINAL_STAGES,
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
    Stage,
    WelfareStatus,
)

__all__ = [
    "ALLOWED_STAGES",
    "AlreadyResolved",
    "Flags",
    "Journey",
    "JourneyAction",
    "JourneyAlreadyOpen",
    "JourneyStageConflict",
    "P3mi",
    "actions_allowed_in",
]

# Errors ------------------------------------------------------------------------------


class JourneyStageConflict(RuleViolation):
    """A command out of order: no departure after a cancellation, no return before a
    departure, nothing after closure but a correction."""

    code = "journey_stage_conflict"
    template = "Cannot {action}: the journey is in stage {stage}."


class JourneyAlreadyOpen(RuleViolation):
    """A worker has at most one journey that is neither closed nor cancelled."""

    code = "journey_already_open"
    template = "This worker already has an open journey (id {open_journey_id})."


class AlreadyResolved(RuleViolation):
    code = "already_resolved"
    template = "{what} {number} is already resolved."


# What may be recorded in which stage ------------------------------------------------


class JourneyAction(StrEnum):
    """The journey commands other than opening and correcting. Values are the last segment
    of their HTTP paths, so interfaces can name a command without a table of their own."""

    PROVIDE_MIGRATION_INFO = "counselling"
    RECORD_DOCUMENT = "documents"
    RAISE_INDICATION = "indications"
    RESOLVE_INDICATION = "indication-resolution"
    RECORD_DEPARTURE = "departure"
    CHECK_WELFARE = "welfare-checks"
    REPORT_INCIDENT = "incidents"
    RESOLVE_INCIDENT = "incident-resolution"
    RECORD_RETURN = "return"
    PLAN_REINTEGRATION = "reintegration-plan"
    RECORD_REINTEGRATION_ACTIVITY = "reintegration-activities"
    CANCEL = "cancellation"
    CLOSE = "closure"


_OPEN_STAGES = frozenset(
    {Stage.PRE_DEPARTURE, Stage.PLACEMENT, Stage.RETURNED, Stage.REINTEGRATION}
)

#: The order of a journey, as one table: each command and the stages it may be recorded in.
#: Counselling, indications and cancellation belong before departure; welfare checks and the
#: return to the placement; reintegration after the return; incidents at any open stage;
#: after closure or cancellation nothing but a correction.
ALLOWED_STAGES: dict[JourneyAction, frozenset[Stage]] = {
    JourneyAction.PROVIDE_MIGRATION_INFO: frozenset({Stage.PRE_DEPARTURE}),
    JourneyAction.RECORD_DOCUMENT: frozenset({Stage.PRE_DEPARTURE, Stage.PLACEMENT}),
    JourneyAction.RAISE_INDICATION: frozenset({Stage.PRE_DEPARTURE}),
    JourneyAction.RESOLVE_INDICATION: _OPEN_STAGES,
    JourneyAction.RECORD_DEPARTURE: frozenset({Stage.PRE_DEPARTURE}),
    JourneyAction.CHECK_WELFARE: frozenset({Stage.PLACEMENT}),
    JourneyAction.REPORT_INCIDENT: _OPEN_STAGES,
    JourneyAction.RESOLVE_INCIDENT: _OPEN_STAGES,
    JourneyAction.RECORD_RETURN: frozenset({Stage.PLACEMENT}),
    JourneyAction.PLAN_REINTEGRATION: frozenset({Stage.RETURNED, Stage.REINTEGRATION}),
    JourneyAction.RECORD_REINTEGRATION_ACTIVITY: frozenset({Stage.RETURNED, Stage.REINTEGRATION}),
    JourneyAction.CANCEL: frozenset({Stage.PRE_DEPARTURE}),
    JourneyAction.CLOSE: frozenset({Stage.RETURNED, Stage.REINTEGRATION}),
}

#: How a refusal names the command (``Cannot record a departure: ...``).
ACTION_WORDS: dict[JourneyAction, str] = {
    JourneyAction.PROVIDE_MIGRATION_INFO: "provide migration information",
    JourneyAction.RECORD_DOCUMENT: "record a document",
    JourneyAction.RAISE_INDICATION: "raise a non-procedural indication",
    JourneyAction.RESOLVE_INDICATION: "resolve an indication",
    JourneyAction.RECORD_DEPARTURE: "record a departure",
    JourneyAction.CHECK_WELFARE: "record a welfare check",
    JourneyAction.REPORT_INCIDENT: "report an incident",
    JourneyAction.RESOLVE_INCIDENT: "resolve an incident",
    JourneyAction.RECORD_RETURN: "record a return",
    JourneyAction.PLAN_REINTEGRATION: "plan reintegration",
    JourneyAction.RECORD_REINTEGRATION_ACTIVITY: "record a reintegration activity",
    JourneyAction.CANCEL: "cancel the journey",
    JourneyAction.CLOSE: "close the journey",
}


def actions_allowed_in(stage: Stage) -> tuple[JourneyAction, ...]:
    """The commands a journey in ``stage`` accepts, in the table's order."""
    return tuple(action for action in JourneyAction if stage in ALLOWED_STAGES[action])


# State -------------------------------------------------------------------------------
# Plain dicts and lists of JSON values, so that snapshots store them without custom
# transcodings; TypedDicts give them types.


class Entry(TypedDict):
    """What every recorded fact keeps: the event that said it, when it happened, when and
    by whom it was recorded."""

    version: int
    occurred_on: date
    recorded_at: datetime
    recorded_by: UUID


class OpeningEntry(Entry):
    destination_country: str
    occupation: str
    placement_scheme: str
    p3mi: P3mi | None


class CounsellingEntry(Entry):
    topics: list[str]


class DocumentEntry(Entry):
    document_id: int
    kind: str
    number: str
    issued_on: date
    expires_on: date | None


class ResolutionEntry(Entry):
    outcome: str
    note: str | None


class IndicationEntry(Entry):
    indication_id: int
    indicators: list[str]
    note: str | None
    resolution: ResolutionEntry | None


class DepartureEntry(Entry):
    departed_on: date
    employer: str
    contract_start: date
    contract_end: date
    worker_under_18: bool


class WelfareCheckEntry(Entry):
    contact_with: str
    status: str
    note: str | None


class IncidentEntry(Entry):
    incident_id: int
    category: str
    severity: str
    note: str | None
    resolution: ResolutionEntry | None


class ReturnEntry(Entry):
    returned_on: date
    reason: str


class PlanEntry(Entry):
    needs: list[str]


class ActivityEntry(Entry):
    kind: str
    note: str | None


class EndEntry(Entry):
    reason: str


class CorrectionEntry(Entry):
    corrects_version: int
    reason: str
    #: The corrected values of fields that are not personal data.
    changes: dict[str, Any]
    #: Names (never values) of corrected personal fields, e.g. ``["note"]``.
    personal_fields: list[str]


class EventRecord(TypedDict):
    """Which event a version was and which entry it wrote (an index into its list)."""

    event: str
    index: int


# The aggregate -----------------------------------------------------------------------

#: Fields holding personal data in journey events, corrected into an encrypted field.
PERSONAL_FIELD_NAMES = frozenset({"note", "number", "employer"})


class JourneySnapshot(PackedSnapshot):
    """A journey's snapshot, under a stored name of its own (stored names are schema)."""

    TOPIC = "jejak:Journey.Snapshot"


register_topic(JourneySnapshot.TOPIC, JourneySnapshot)


class Journey(JejakAggregate):
    """One migration of one worker: the case an officer follows from the village and back."""

    TOPIC = "jejak:Journey"
    #: Snapshots hold notes and document numbers: seal them with the worker's key.
    PERSONAL_SUBJECT_ATTRIBUTE = "worker_id"
    #: A long journey is mostly lists of entries: its snapshots store them by column.
    Snapshot = JourneySnapshot

    class Event(JejakEvent):
        """Every journey event names its worker, whose key seals the event's personal fields."""

        PERSONAL_SUBJECT = "worker_id"

        worker_id: UUID

        def entry(self) -> Entry:
            return {
                "version": self.originator_version,
                "occurred_on": self.occurred_on,
                "recorded_at": self.timestamp,
                "recorded_by": self.actor_id,
            }

    class Opened(Event, JejakCreated):
        """Version 1 carried the P3MI as two flat fields (``p3mi_name``,
        ``p3mi_licence_number``); version 2 nests them. The upcaster is the pattern for
        the next change of a stored shape, and a test reads a version 1 event."""

        TOPIC = "jejak:Journey.Opened"
        class_version = 2

        village_code: str
        destination_country: str
        occupation: str
        placement_scheme: str
        p3mi: P3mi | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            name = state.pop("p3mi_name", None)
            licence = state.pop("p3mi_licence_number", None)
            state["p3mi"] = None if name is None else {"name": name, "licence_number": licence}

        def apply(self, journey: Journey) -> None:
            journey.worker_id = self.worker_id
            journey.village_code = self.village_code
            journey.stage = Stage.PRE_DEPARTURE.value
            journey.opening = {
                **self.entry(),
                "destination_country": self.destination_country,
                "occupation": self.occupation,
                "placement_scheme": self.placement_scheme,
                "p3mi": None if self.p3mi is None else copy.deepcopy(self.p3mi),
            }
            journey.counselling = []
            journey.documents = []
            journey.indications = []
            journey.departure = None
            journey.welfare_checks = []
            journey.incidents = []
            journey.return_home = None
            journey.reintegration_plans = []
            journey.reintegration_activities = []
            journey.cancellation = None
            journey.closure = None
            journey.corrections = []
            journey.records = [{"event": "Opened", "index": 0}]

    class MigrationInfoProvided(Event):
        TOPIC = "jejak:Journey.MigrationInfoProvided"

        topics: list[str]

        def apply(self, journey: Journey) -> None:
            journey.counselling.append({**self.entry(), "topics": list(self.topics)})
            journey.records.append(
                {"event": "MigrationInfoProvided", "index": len(journey.counselling) - 1}
            )

    class DocumentRecorded(Event):
        TOPIC = "jejak:Journey.DocumentRecorded"
        #: A document number identifies a person (a KTP number is the NIK).
        PERSONAL_FIELDS = {"number": ERASED}

        document_id: int
        kind: str
        number: str
        issued_on: date
        expires_on: date | None

        def apply(self, journey: Journey) -> None:
            journey.documents.append(
                {
                    **self.entry(),
                    "document_id": self.document_id,
                    "kind": self.kind,
                    "number": self.number,
                    "issued_on": self.issued_on,
                    "expires_on": self.expires_on,
                }
            )
            journey.records.append(
                {"event": "DocumentRecorded", "index": len(journey.documents) - 1}
            )

    class NonProceduralIndicationRaised(Event):
        TOPIC = "jejak:Journey.NonProceduralIndicationRaised"
        PERSONAL_FIELDS = {"note": ERASED}

        indication_id: int
        indicators: list[str]
        note: str | None

        def apply(self, journey: Journey) -> None:
            journey.indications.append(
                {
                    **self.entry(),
                    "indication_id": self.indication_id,
                    "indicators": list(self.indicators),
                    "note": self.note,
                    "resolution": None,
                }
            )
            journey.records.append(
                {"event": "NonProceduralIndicationRaised", "index": len(journey.indications) - 1}
            )

    class IndicationResolved(Event):
        TOPIC = "jejak:Journey.IndicationResolved"
        PERSONAL_FIELDS = {"note": ERASED}

        indication_id: int
        outcome: str
        note: str | None

        def apply(self, journey: Journey) -> None:
            index = self.indication_id - 1
            journey.indications[index]["resolution"] = {
                **self.entry(),
                "outcome": self.outcome,
                "note": self.note,
            }
            journey.records.append({"event": "IndicationResolved", "index": index})

    class Departed(Event):
        """``occurred_on`` is the departure date. ``worker_under_18`` is decided when the
        departure is recorded, from the worker's birth date, so that erasing the worker's
        personal data never changes the journey's flags."""

        TOPIC = "jejak:Journey.Departed"
        #: Employers of domestic workers are private persons, and name where the worker is.
        PERSONAL_FIELDS = {"employer": ERASED}

        departed_on: date
        employer: str
        contract_start: date
        contract_end: date
        worker_under_18: bool

        def apply(self, journey: Journey) -> None:
            journey.departure = {
                **self.entry(),
                "departed_on": self.departed_on,
                "employer": self.employer,
                "contract_start": self.contract_start,
                "contract_end": self.contract_end,
                "worker_under_18": self.worker_under_18,
            }
            journey.stage = Stage.PLACEMENT.value
            journey.records.append({"event": "Departed", "index": 0})

    class WelfareChecked(Event):
        TOPIC = "jejak:Journey.WelfareChecked"
        PERSONAL_FIELDS = {"note": ERASED}

        contact_with: str
        status: str
        note: str | None

        def apply(self, journey: Journey) -> None:
            journey.welfare_checks.append(
                {
                    **self.entry(),
                    "contact_with": self.contact_with,
                    "status": self.status,
                    "note": self.note,
                }
            )
            journey.records.append(
                {"event": "WelfareChecked", "index": len(journey.welfare_checks) - 1}
            )

    class IncidentReported(Event):
        TOPIC = "jejak:Journey.IncidentReported"
        PERSONAL_FIELDS = {"note": ERASED}

        incident_id: int
        category: str
        severity: str
        note: str | None

        def apply(self, journey: Journey) -> None:
            journey.incidents.append(
                {
                    **self.entry(),
                    "incident_id": self.incident_id,
                    "category": self.category,
                    "severity": self.severity,
                    "note": self.note,
                    "resolution": None,
                }
            )
            journey.records.append(
                {"event": "IncidentReported", "index": len(journey.incidents) - 1}
            )

    class IncidentResolved(Event):
        TOPIC = "jejak:Journey.IncidentResolved"
        PERSONAL_FIELDS = {"note": ERASED}

        incident_id: int
        outcome: str
        note: str | None

        def apply(self, journey: Journey) -> None:
            index = self.incident_id - 1
            journey.incidents[index]["resolution"] = {
                **self.entry(),
                "outcome": self.outcome,
                "note": self.note,
            }
            journey.records.append({"event": "IncidentResolved", "index": index})

    class Returned(Event):
        """``occurred_on`` is the date of return."""

        TOPIC = "jejak:Journey.Returned"

        returned_on: date
        reason: str

        def apply(self, journey: Journey) -> None:
            journey.return_home = {
                **self.entry(),
                "returned_on": self.returned_on,
                "reason": self.reason,
            }
            journey.stage = Stage.RETURNED.value
            journey.records.append({"event": "Returned", "index": 0})

    class ReintegrationPlanned(Event):
        TOPIC = "jejak:Journey.ReintegrationPlanned"

        needs: list[str]

        def apply(self, journey: Journey) -> None:
            journey.reintegration_plans.append({**self.entry(), "needs": list(self.needs)})
            journey.stage = Stage.REINTEGRATION.value
            journey.records.append(
                {"event": "ReintegrationPlanned", "index": len(journey.reintegration_plans) - 1}
            )

    class ReintegrationActivityRecorded(Event):
        TOPIC = "jejak:Journey.ReintegrationActivityRecorded"
        PERSONAL_FIELDS = {"note": ERASED}

        kind: str
        note: str | None

        def apply(self, journey: Journey) -> None:
            journey.reintegration_activities.append(
                {**self.entry(), "kind": self.kind, "note": self.note}
            )
            journey.stage = Stage.REINTEGRATION.value
            journey.records.append(
                {
                    "event": "ReintegrationActivityRecorded",
                    "index": len(journey.reintegration_activities) - 1,
                }
            )

    class Cancelled(Event):
        TOPIC = "jejak:Journey.Cancelled"

        reason: str

        def apply(self, journey: Journey) -> None:
            journey.cancellation = {**self.entry(), "reason": self.reason}
            journey.stage = Stage.CANCELLED.value
            journey.records.append({"event": "Cancelled", "index": 0})

    class Closed(Event):
        TOPIC = "jejak:Journey.Closed"

        reason: str

        def apply(self, journey: Journey) -> None:
            journey.closure = {**self.entry(), "reason": self.reason}
            journey.stage = Stage.CLOSED.value
            journey.records.append({"event": "Closed", "index": 0})

    class Corrected(Event):
        """Amends what the event at ``corrects_version`` said. Changes to fields that are
        not personal stay in clear in ``changes``; changes to personal fields (notes,
        document numbers, employer) travel sealed in ``personal_changes``, so erasing the
        worker never changes counts, stages or flags. ``occurred_on`` is the date of the
        correction itself."""

        TOPIC = "jejak:Journey.Corrected"
        PERSONAL_FIELDS = {"personal_changes": None}

        corrects_version: int
        reason: str
        changes: dict[str, Any]
        personal_fields: list[str]
        personal_changes: dict[str, Any] | None

        def apply(self, journey: Journey) -> None:
            amended = dict(self.changes)
            if self.personal_changes is None:
                amended.update(dict.fromkeys(self.personal_fields, ERASED))
            else:
                amended.update(self.personal_changes)
            journey._amend(self.corrects_version, amended)
            journey.corrections.append(
                {
                    **self.entry(),
                    "corrects_version": self.corrects_version,
                    "reason": self.reason,
                    "changes": dict(self.changes),
                    "personal_fields": list(self.personal_fields),
                }
            )
            journey.records.append({"event": "Corrected", "index": len(journey.corrections) - 1})

    if TYPE_CHECKING:  # state set by the events' apply(); the metaclass would turn
        # class annotations into required __init__ parameters.
        worker_id: UUID
        village_code: str
        stage: str
        opening: OpeningEntry
        counselling: list[CounsellingEntry]
        documents: list[DocumentEntry]
        indications: list[IndicationEntry]
        departure: DepartureEntry | None
        welfare_checks: list[WelfareCheckEntry]
        incidents: list[IncidentEntry]
        return_home: ReturnEntry | None
        reintegration_plans: list[PlanEntry]
        reintegration_activities: list[ActivityEntry]
        cancellation: EndEntry | None
        closure: EndEntry | None
        corrections: list[CorrectionEntry]
        records: list[EventRecord]

    # Reading ---------------------------------------------------------------------------

    @property
    def destination_country(self) -> str:
        return self.opening["destination_country"]

    @property
    def placement_scheme(self) -> str:
        return self.opening["placement_scheme"]

    @property
    def opened_on(self) -> date:
        return self.opening["occurred_on"]

    @property
    def is_open(self) -> bool:
        """Neither closed nor cancelled: the worker's one open journey."""
        return Stage(self.stage) not in FINAL_STAGES

    def event_at(self, version: int) -> str | None:
        """The name of the event recorded at ``version``, if there is one."""
        if 1 <= version <= len(self.records):
            return self.records[version - 1]["event"]
        return None

    def entry_at(self, version: int) -> dict[str, Any]:
        """A copy of what the event at ``version`` recorded, as amended by corrections."""
        if self.event_at(version) in (None, "Corrected"):
            raise InvalidValue(field="version", reason="names no event of this journey")
        return copy.deepcopy(self._target(version))

    def has_indication(self, indication_id: int) -> bool:
        return 1 <= indication_id <= len(self.indications)

    def has_incident(self, incident_id: int) -> bool:
        return 1 <= incident_id <= len(self.incidents)

    @property
    def flags(self) -> Flags:
        return assess(self)

    # Commands --------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        worker_id: UUID,
        village_code: str,
        destination_country: str,
        occupation: str,
        placement_scheme: PlacementScheme,
        p3mi: P3mi | None,
        actor: Actor,
        occurred_on: date,
    ) -> Journey:
        """Opens the case of one migration. A P3MI placement names its licensed company;
        no other scheme may name one."""
        opening = {
            "destination_country": destination_country,
            "occupation": occupation,
            "placement_scheme": placement_scheme.value,
            "p3mi": p3mi,
        }
        values.check_opening(opening)
        return cls._start(
            cls.Opened,
            id=uuid4(),
            actor=actor,
            occurred_on=occurred_on,
            worker_id=worker_id,
            village_code=parse_village_code(village_code).value,
            destination_country=values.country(destination_country, "destination_country"),
            occupation=values.text(occupation, "occupation"),
            placement_scheme=placement_scheme.value,
            p3mi=None if p3mi is None else values.p3mi(p3mi, "p3mi"),
        )

    def provide_migration_info(
        self, *, topics: Sequence[MigrationTopic], actor: Actor, occurred_on: date
    ) -> None:
        """Counselling happens before departure: it is what a CPMI decides with."""
        self._require_allowed(JourneyAction.PROVIDE_MIGRATION_INFO)
        self._add(
            self.MigrationInfoProvided,
            actor,
            occurred_on,
            topics=values.members(topics, "topics"),
        )

    def record_document(
        self,
        *,
        kind: DocumentKind,
        number: str,
        issued_on: date,
        expires_on: date | None,
        actor: Actor,
        occurred_on: date,
    ) -> int:
        """Documents are gathered before departure and renewed abroad (a passport, a visa)."""
        self._require_allowed(JourneyAction.RECORD_DOCUMENT)
        values.check_validity(issued_on, expires_on)
        document_id = len(self.documents) + 1
        self._add(
            self.DocumentRecorded,
            actor,
            occurred_on,
            document_id=document_id,
            kind=kind.value,
            number=values.text(number, "number"),
            issued_on=issued_on,
            expires_on=expires_on,
        )
        return document_id

    def raise_indication(
        self,
        *,
        indicators: Sequence[Indicator],
        note: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> int:
        """Signs of a non-procedural placement are acted on before departure; after it,
        problems are incidents."""
        self._require_allowed(JourneyAction.RAISE_INDICATION)
        indication_id = len(self.indications) + 1
        self._add(
            self.NonProceduralIndicationRaised,
            actor,
            occurred_on,
            indication_id=indication_id,
            indicators=values.members(indicators, "indicators"),
            note=values.note(note),
        )
        return indication_id

    def resolve_indication(
        self,
        indication_id: int,
        *,
        outcome: IndicationOutcome,
        note: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        self._require_allowed(JourneyAction.RESOLVE_INDICATION)
        if not self.has_indication(indication_id):
            raise InvalidValue(field="indication_id", reason="names no indication of this journey")
        indication = self.indications[indication_id - 1]
        if indication["resolution"] is not None:
            raise AlreadyResolved(what="Indication", number=indication_id)
        self._add(
            self.IndicationResolved,
            actor,
            occurred_on,
            indication_id=indication_id,
            outcome=outcome.value,
            note=values.note(note),
        )

    def record_departure(
        self,
        *,
        departed_on: date,
        employer: str,
        contract_start: date,
        contract_end: date,
        worker_birth_date: date | None,
        actor: Actor,
    ) -> None:
        """Always recorded, never refused for missing papers: the flags say what was wrong.
        The worker's age on the departure date is decided here, from the birth date."""
        self._require_allowed(JourneyAction.RECORD_DEPARTURE)
        values.check_contract(contract_start, contract_end)
        self._add(
            self.Departed,
            actor,
            departed_on,
            departed_on=departed_on,
            employer=values.text(employer, "employer"),
            contract_start=contract_start,
            contract_end=contract_end,
            worker_under_18=under_18(worker_birth_date, departed_on),
        )

    def check_welfare(
        self,
        *,
        contact_with: ContactWith,
        status: WelfareStatus,
        note: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """Monitoring during work abroad."""
        self._require_allowed(JourneyAction.CHECK_WELFARE)
        self._add(
            self.WelfareChecked,
            actor,
            occurred_on,
            contact_with=contact_with.value,
            status=status.value,
            note=values.note(note),
        )

    def report_incident(
        self,
        *,
        category: IncidentCategory,
        severity: Severity,
        note: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> int:
        """Trouble can come at any stage of an open journey: job fraud before departure,
        abuse abroad, unpaid wages claimed after return."""
        self._require_allowed(JourneyAction.REPORT_INCIDENT)
        incident_id = len(self.incidents) + 1
        self._add(
            self.IncidentReported,
            actor,
            occurred_on,
            incident_id=incident_id,
            category=category.value,
            severity=severity.value,
            note=values.note(note),
        )
        return incident_id

    def resolve_incident(
        self,
        incident_id: int,
        *,
        outcome: IncidentOutcome,
        note: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        self._require_allowed(JourneyAction.RESOLVE_INCIDENT)
        if not self.has_incident(incident_id):
            raise InvalidValue(field="incident_id", reason="names no incident of this journey")
        incident = self.incidents[incident_id - 1]
        if incident["resolution"] is not None:
            raise AlreadyResolved(what="Incident", number=incident_id)
        self._add(
            self.IncidentResolved,
            actor,
            occurred_on,
            incident_id=incident_id,
            outcome=outcome.value,
            note=values.note(note),
        )

    def record_return(self, *, returned_on: date, reason: ReturnReason, actor: Actor) -> None:
        """No return before a departure; a return cannot precede the departure date."""
        self._require_allowed(JourneyAction.RECORD_RETURN)
        assert self.departure is not None
        if returned_on < self.departure["departed_on"]:
            raise InvalidValue(field="returned_on", reason="cannot be before the departure date")
        self._add(self.Returned, actor, returned_on, returned_on=returned_on, reason=reason.value)

    def plan_reintegration(
        self, *, needs: Sequence[ReintegrationNeed], actor: Actor, occurred_on: date
    ) -> None:
        """Reintegration starts after return; a later plan revises the earlier one."""
        self._require_allowed(JourneyAction.PLAN_REINTEGRATION)
        self._add(
            self.ReintegrationPlanned, actor, occurred_on, needs=values.members(needs, "needs")
        )

    def record_reintegration_activity(
        self,
        *,
        kind: ReintegrationActivityKind,
        note: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        self._require_allowed(JourneyAction.RECORD_REINTEGRATION_ACTIVITY)
        self._add(
            self.ReintegrationActivityRecorded,
            actor,
            occurred_on,
            kind=kind.value,
            note=values.note(note),
        )

    def cancel(self, *, reason: str, actor: Actor, occurred_on: date) -> None:
        """The worker did not leave."""
        self._require_allowed(JourneyAction.CANCEL)
        self._add(self.Cancelled, actor, occurred_on, reason=values.text(reason, "reason"))

    def close(self, *, reason: str, actor: Actor, occurred_on: date) -> None:
        """A journey closes after the worker's return, with or without reintegration."""
        self._require_allowed(JourneyAction.CLOSE)
        self._add(self.Closed, actor, occurred_on, reason=values.text(reason, "reason"))

    def correct(
        self,
        *,
        corrects_version: int,
        reason: str,
        changes: Mapping[str, object],
        worker_birth_date: date | None,
        latest_today: date,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """Amends what the event at ``corrects_version`` said, at any stage, even after
        closure. Only the fields of that event can change, never which event it was (so
        never a stage); the amended journey must still make sense (a contract ending after
        it starts, a return after the departure)."""
        event = self.event_at(corrects_version)
        if event is None:
            raise InvalidValue(field="corrects_version", reason="names no event of this journey")
        if event == "Corrected":
            raise InvalidValue(
                field="corrects_version",
                reason="a correction cannot be corrected: correct the original event again",
            )
        if not changes:
            raise InvalidValue(field="changes", reason="must name at least one field")
        fields = CORRECTABLE[event]
        parsed: dict[str, Any] = {}
        for name, value in changes.items():
            parse = fields.get(name)
            if parse is None:
                raise InvalidValue(
                    field=f"changes.{name}", reason="cannot be corrected on this event"
                )
            parsed[name] = parse(value, f"changes.{name}", latest_today)
        if event == "Departed" and "departed_on" in parsed and worker_birth_date is not None:
            parsed["worker_under_18"] = under_18(worker_birth_date, parsed["departed_on"])
        trial = copy.deepcopy(self)
        trial._amend(corrects_version, parsed)
        trial._check_consistency()
        clear = {k: v for k, v in parsed.items() if k not in PERSONAL_FIELD_NAMES}
        personal = {k: v for k, v in parsed.items() if k in PERSONAL_FIELD_NAMES}
        self._add(
            self.Corrected,
            actor,
            occurred_on,
            corrects_version=corrects_version,
            reason=values.text(reason, "reason"),
            changes=clear,
            personal_fields=sorted(personal),
            personal_changes=personal,
        )

    # Helpers ---------------------------------------------------------------------------

    def _add(
        self, event_class: type[Event], actor: Actor, occurred_on: date, **kwargs: Any
    ) -> None:
        self._record(
            event_class, actor=actor, occurred_on=occurred_on, worker_id=self.worker_id, **kwargs
        )

    def _require_allowed(self, action: JourneyAction) -> None:
        allowed = ALLOWED_STAGES[action]
        if Stage(self.stage) not in allowed:
            raise JourneyStageConflict(
                action=ACTION_WORDS[action],
                stage=self.stage,
                allowed=", ".join(s.value for s in Stage if s in allowed),
            )

    def allowed_actions(self) -> tuple[JourneyAction, ...]:
        """What may be recorded next, in the journey's current stage (corrections aside)."""
        return actions_allowed_in(Stage(self.stage))

    def _target(self, version: int) -> dict[str, Any]:
        """The entry the event at ``version`` wrote, for a correction to amend."""
        record = self.records[version - 1]
        event, index = record["event"], record["index"]
        target: object
        if event == "IndicationResolved":
            target = self.indications[index]["resolution"]
        elif event == "IncidentResolved":
            target = self.incidents[index]["resolution"]
        else:
            holder = getattr(self, ENTRY_ATTRIBUTE[event])
            target = holder[index] if isinstance(holder, list) else holder
        assert isinstance(target, dict)
        return cast(dict[str, Any], target)

    def _amend(self, version: int, changes: Mapping[str, Any]) -> None:
        target = self._target(version)
        for name, value in changes.items():
            target[name] = copy.deepcopy(value)
            if name in DATE_IS_OCCURRED_ON:
                target["occurred_on"] = value

    def _check_consistency(self) -> None:
        """Rules that span fields, checked on a journey after a correction."""
        values.check_opening(cast(Mapping[str, Any], self.opening))
        for document in self.documents:
            values.check_validity(document["issued_on"], document["expires_on"])
        if self.departure is not None:
            departure = self.departure
            values.check_contract(departure["contract_start"], departure["contract_end"])
            if (
                self.return_home is not None
                and self.return_home["returned_on"] < departure["departed_on"]
            ):
                raise InvalidValue(
                    field="returned_on", reason="cannot be before the departure date"
                )


#: Where each event's entry lives on the journey.
ENTRY_ATTRIBUTE: dict[str, str] = {
    "Opened": "opening",
    "MigrationInfoProvided": "counselling",
    "DocumentRecorded": "documents",
    "NonProceduralIndicationRaised": "indications",
    "Departed": "departure",
    "WelfareChecked": "welfare_checks",
    "IncidentReported": "incidents",
    "Returned": "return_home",
    "ReintegrationPlanned": "reintegration_plans",
    "ReintegrationActivityRecorded": "reintegration_activities",
    "Cancelled": "cancellation",
    "Closed": "closure",
}

#: Dates that are the event's ``occurred_on`` under another name.
DATE_IS_OCCURRED_ON = frozenset({"departed_on", "returned_on"})


#: What a correction may change on each event, and how its JSON value is read.
CORRECTABLE: dict[str, dict[str, Parser]] = {
    "Opened": {
        "occurred_on": values.past_date,
        "destination_country": values.country_field,
        "occupation": values.text_field,
        "placement_scheme": values.enum(PlacementScheme),
        "p3mi": values.p3mi_field,
    },
    "MigrationInfoProvided": {
        "occurred_on": values.past_date,
        "topics": values.enum_list(MigrationTopic),
    },
    "DocumentRecorded": {
        "occurred_on": values.past_date,
        "kind": values.enum(DocumentKind),
        "number": values.text_field,
        "issued_on": values.past_date,
        "expires_on": values.optional_date,
    },
    "NonProceduralIndicationRaised": {
        "occurred_on": values.past_date,
        "indicators": values.enum_list(Indicator),
        "note": values.note_field,
    },
    "IndicationResolved": {
        "occurred_on": values.past_date,
        "outcome": values.enum(IndicationOutcome),
        "note": values.note_field,
    },
    "Departed": {
        "departed_on": values.past_date,
        "employer": values.text_field,
        "contract_start": values.any_date,
        "contract_end": values.any_date,
    },
    "WelfareChecked": {
        "occurred_on": values.past_date,
        "contact_with": values.enum(ContactWith),
        "status": values.enum(WelfareStatus),
        "note": values.note_field,
    },
    "IncidentReported": {
        "occurred_on": values.past_date,
        "category": values.enum(IncidentCategory),
        "severity": values.enum(Severity),
        "note": values.note_field,
    },
    "IncidentResolved": {
        "occurred_on": values.past_date,
        "outcome": values.enum(IncidentOutcome),
        "note": values.note_field,
    },
    "Returned": {"returned_on": values.past_date, "reason": values.enum(ReturnReason)},
    "ReintegrationPlanned": {
        "occurred_on": values.past_date,
        "needs": values.enum_list(ReintegrationNeed),
    },
    "ReintegrationActivityRecorded": {
        "occurred_on": values.past_date,
        "kind": values.enum(ReintegrationActivityKind),
        "note": values.note_field,
    },
    "Cancelled": {"occurred_on": values.past_date, "reason": values.text_field},
    "Closed": {"occurred_on": values.past_date, "reason": values.text_field},
}
