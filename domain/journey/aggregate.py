"""The journey: one migration of one worker, from the first counselling to closure (the case).

Order is enforced (``domain.journey.stages``); a breach names the current stage.

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
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.utils import register_topic

from domain.errors import InvalidValue
from domain.events import Actor, JejakAggregate
from domain.journey import corrections, endings, events, values
from domain.journey.errors import AlreadyResolved, JourneyStageConflict
from domain.journey.flags import Flags, assess, under_18
from domain.journey.referrals import JourneyReferrals
from domain.journey.stages import JourneyAction, actions_allowed_in, require_allowed
from domain.journey.state import IncidentEntry, IndicationEntry, P3mi
from domain.journey.values import Parser
from domain.regions import village_code as parse_village_code
from domain.snapshots import PackedSnapshot
from domain.text import one_line
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


class JourneySnapshot(PackedSnapshot):
    """A journey's snapshot, under a stored name of its own (stored names are schema)."""

    TOPIC = "jejak:Journey.Snapshot"


register_topic(JourneySnapshot.TOPIC, JourneySnapshot)


class Journey(JejakAggregate, JourneyReferrals):
    """One migration of one worker: the case an officer follows from the village and back
    (referrals to agencies: ``domain.journey.referrals``)."""

    TOPIC = "jejak:Journey"
    #: Snapshots hold notes and document numbers: seal them with the worker's key.
    PERSONAL_SUBJECT_ATTRIBUTE = "worker_id"
    #: A long journey is mostly lists of entries: its snapshots store them by column.
    Snapshot = JourneySnapshot

    # The library takes an aggregate's events from its class attributes (and registers
    # their topics there): naming them here makes them the journey's.
    Event = events.Event
    Opened = events.Opened
    MigrationInfoProvided = events.MigrationInfoProvided
    DocumentRecorded = events.DocumentRecorded
    NonProceduralIndicationRaised = events.NonProceduralIndicationRaised
    IndicationResolved = events.IndicationResolved
    Departed = events.Departed
    WelfareChecked = events.WelfareChecked
    IncidentReported = events.IncidentReported
    IncidentResolved = events.IncidentResolved
    Returned = events.Returned
    ReintegrationPlanned = events.ReintegrationPlanned
    ReintegrationActivityRecorded = events.ReintegrationActivityRecorded
    Cancelled = events.Cancelled
    Closed = events.Closed
    Corrected = events.Corrected
    DocumentScanAttached = events.DocumentScanAttached
    Transferred = events.Transferred
    LeftOpen = events.LeftOpen
    Referred = events.Referred
    ReferralOutcomeRecorded = events.ReferralOutcomeRecorded

    # Reading ---------------------------------------------------------------------------

    @property
    def flags(self) -> Flags:
        return assess(self)

    def allowed_actions(self) -> tuple[JourneyAction, ...]:
        """What may be recorded next, in the journey's current stage (corrections aside)."""
        return actions_allowed_in(Stage(self.stage))

    def entry_at(self, version: int) -> dict[str, Any]:
        """A copy of what the event at ``version`` recorded, as amended by corrections."""
        if self.event_at(version) in (None, events.Corrected.NAME):
            raise InvalidValue(field="version", reason="names no event of this journey")
        return copy.deepcopy(events.entry_of(self, version))

    def correctable_at(self, version: int) -> Mapping[str, Parser]:
        """The fields a correction of the event at ``version`` may change, and how each is
        read; none when no event there can be corrected."""
        return corrections.correctable_fields(self, version)

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
            occupation=one_line(occupation, "occupation"),
            placement_scheme=placement_scheme.value,
            p3mi=None if p3mi is None else values.p3mi(p3mi, "p3mi"),
        )

    def provide_migration_info(
        self, *, topics: Sequence[MigrationTopic], actor: Actor, occurred_on: date
    ) -> None:
        """Counselling happens before departure: it is what a CPMI decides with."""
        require_allowed(self.stage, JourneyAction.PROVIDE_MIGRATION_INFO)
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
        require_allowed(self.stage, JourneyAction.RECORD_DOCUMENT)
        values.check_validity(issued_on, expires_on)
        document_id = len(self.documents) + 1
        self._add(
            self.DocumentRecorded,
            actor,
            occurred_on,
            document_id=document_id,
            kind=kind.value,
            number=one_line(number, "number"),
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
        require_allowed(self.stage, JourneyAction.RAISE_INDICATION)
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
        require_allowed(self.stage, JourneyAction.RESOLVE_INDICATION)
        if not self.has_indication(indication_id):
            raise InvalidValue(field="indication_id", reason="names no indication of this journey")
        _unresolved(self.indications[indication_id - 1], "Indication", indication_id)
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
        require_allowed(self.stage, JourneyAction.RECORD_DEPARTURE)
        values.check_contract(contract_start, contract_end)
        self._add(
            self.Departed,
            actor,
            departed_on,
            departed_on=departed_on,
            employer=one_line(employer, "employer"),
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
        require_allowed(self.stage, JourneyAction.CHECK_WELFARE)
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
        require_allowed(self.stage, JourneyAction.REPORT_INCIDENT)
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
        require_allowed(self.stage, JourneyAction.RESOLVE_INCIDENT)
        if not self.has_incident(incident_id):
            raise InvalidValue(field="incident_id", reason="names no incident of this journey")
        _unresolved(self.incidents[incident_id - 1], "Incident", incident_id)
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
        require_allowed(self.stage, JourneyAction.RECORD_RETURN)
        assert self.departure is not None
        if returned_on < self.departure["departed_on"]:
            raise InvalidValue(field="returned_on", reason="cannot be before the departure date")
        self._add(self.Returned, actor, returned_on, returned_on=returned_on, reason=reason.value)

    def plan_reintegration(
        self, *, needs: Sequence[ReintegrationNeed], actor: Actor, occurred_on: date
    ) -> None:
        """Reintegration starts after return; a later plan revises the earlier one."""
        require_allowed(self.stage, JourneyAction.PLAN_REINTEGRATION)
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
        require_allowed(self.stage, JourneyAction.RECORD_REINTEGRATION_ACTIVITY)
        self._add(
            self.ReintegrationActivityRecorded,
            actor,
            occurred_on,
            kind=kind.value,
            note=values.note(note),
        )

    def cancel(
        self,
        *,
        reason: str,
        actor: Actor,
        occurred_on: date,
        leave_open_reason: str | None = None,
    ) -> None:
        """The worker did not leave (open items: ``domain.journey.endings``)."""
        require_allowed(self.stage, JourneyAction.CANCEL)
        reason = one_line(reason, "reason")
        self._leave_open(JourneyAction.CANCEL, leave_open_reason, actor, occurred_on)
        self._add(self.Cancelled, actor, occurred_on, reason=reason)

    def close(
        self,
        *,
        reason: str,
        actor: Actor,
        occurred_on: date,
        leave_open_reason: str | None = None,
    ) -> None:
        """A journey closes after the worker's return, with or without reintegration
        (open items: ``domain.journey.endings``)."""
        require_allowed(self.stage, JourneyAction.CLOSE)
        reason = one_line(reason, "reason")
        self._leave_open(JourneyAction.CLOSE, leave_open_reason, actor, occurred_on)
        self._add(self.Closed, actor, occurred_on, reason=reason)

    def _leave_open(
        self, action: JourneyAction, reason: str | None, actor: Actor, occurred_on: date
    ) -> None:
        left = endings.left_open(self, action, reason)
        if left:
            self._add(self.LeftOpen, actor, occurred_on, **left)

    def attach_scan(
        self,
        *,
        document_id: int,
        scan_id: UUID,
        content_type: str,
        size: int,
        sha256: str,
        stored_sha256: str,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """A scan of a recorded document, at any open stage (a contract may be brought in
        after the return); after closure or cancellation, nothing but a correction."""
        if not self.has_document(document_id):
            raise InvalidValue(field="document_id", reason="names no document of this journey")
        if not self.is_open:
            raise JourneyStageConflict(
                action="attach a scan",
                stage=self.stage,
                allowed=", ".join(s.value for s in Stage if s not in FINAL_STAGES),
            )
        self._add(
            self.DocumentScanAttached,
            actor,
            occurred_on,
            document_id=document_id,
            scan_id=scan_id,
            content_type=content_type,
            size=size,
            sha256=sha256,
            stored_sha256=stored_sha256,
        )

    def transfer(
        self, *, transfer_id: UUID, to_village_code: str, actor: Actor, occurred_on: date
    ) -> None:
        """Moves the case to the village its worker was transferred to, at any stage (a
        closed case belongs with the person too)."""
        to_village = parse_village_code(to_village_code).value
        if to_village == self.village_code:
            raise InvalidValue(field="to_village_code", reason="is the journey's village already")
        self._add(
            self.Transferred,
            actor,
            occurred_on,
            transfer_id=transfer_id,
            from_village_code=self.village_code,
            to_village_code=to_village,
        )

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
        closure (``domain.journey.corrections`` says what may change, and checks that the
        amended journey still makes sense)."""
        clear, personal = corrections.corrected(
            self,
            corrects_version,
            changes,
            worker_birth_date=worker_birth_date,
            latest_today=latest_today,
        )
        self._add(
            self.Corrected,
            actor,
            occurred_on,
            corrects_version=corrects_version,
            reason=one_line(reason, "reason"),
            changes=clear,
            personal_fields=sorted(personal),
            personal_changes=personal,
        )

    def _add(
        self, event_class: type[events.Event], actor: Actor, occurred_on: date, **kwargs: Any
    ) -> None:
        self._record(
            event_class, actor=actor, occurred_on=occurred_on, worker_id=self.worker_id, **kwargs
        )


def _unresolved(item: IndicationEntry | IncidentEntry, what: str, number: int) -> None:
    if item["resolution"] is not None:
        raise AlreadyResolved(what=what, number=number)
