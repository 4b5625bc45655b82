"""Referrals of a case to an agency (SPEC §8), and the agency's answer.

An officer refers a case to the BP3MI, the Disnaker, the police, a shelter, legal aid;
following up on referrals is where case work usually fails ("a human process, not one
mandated by the platform"), so each referral carries the date the agency is asked to answer
by (``due_on``, the agenda's ``referral_response``) and stays open until its outcome is
recorded. Several may be open at once. A referral needs the consent of the worker or their
family, except to the police or UPTD PPA when life is in danger or the worker is trafficked
(``domain.agency.WITHOUT_CONSENT_KINDS``): then the event records the ground instead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.agency import may_refer_without_consent
from domain.errors import InvalidValue
from domain.events import Actor
from domain.journey import events, values
from domain.journey.errors import AlreadyResolved
from domain.journey.stages import JourneyAction, require_allowed
from domain.journey.state import JourneyState
from domain.text import one_line
from domain.vocabularies import (
    AgencyKind,
    ConsentBy,
    ConsentGround,
    ReferralOutcome,
    ReferralService,
)

#: The answer asked for when a referral names no date of its own: two weeks.
DEFAULT_RESPONSE_DAYS = 14


@dataclass(frozen=True)
class Consent:
    """Consent given (by the worker or their family, on a date), or not given and the
    ground for acting without it."""

    given: bool
    by: ConsentBy | None = None
    on: date | None = None
    ground: ConsentGround | None = None


@dataclass(frozen=True)
class ReferredAgency:
    """The agency as the referral names it: one of the directory (``agency_id``) or one
    typed in by the officer."""

    kind: AgencyKind
    name: str
    agency_id: UUID | None = None
    region_code: str | None = None
    contact: str | None = None


def checked_consent(consent: Consent, kind: AgencyKind, referred_on: date) -> dict[str, Any]:
    """The consent fields of the event, after the rules of SPEC §8."""
    if consent.given:
        if consent.by is None:
            raise InvalidValue(field="consent.by", reason="required when consent is given")
        if consent.on is None:
            raise InvalidValue(field="consent.on", reason="required when consent is given")
        if consent.on > referred_on:
            raise InvalidValue(field="consent.on", reason="cannot be after the referral")
        if consent.ground is not None:
            raise InvalidValue(field="consent.ground", reason="only when consent is not given")
        return {
            "consent_given": True,
            "consent_by": consent.by.value,
            "consent_on": consent.on,
            "consent_ground": None,
        }
    if not may_refer_without_consent(kind):
        raise InvalidValue(
            field="consent.given",
            reason="without consent a case may be referred only to the police or UPTD PPA",
        )
    if consent.ground is None:
        raise InvalidValue(field="consent.ground", reason="required when consent is not given")
    if consent.by is not None or consent.on is not None:
        raise InvalidValue(field="consent.by", reason="only when consent is given")
    return {
        "consent_given": False,
        "consent_by": None,
        "consent_on": None,
        "consent_ground": consent.ground.value,
    }


class JourneyReferrals(JourneyState):
    """The journey's referral commands (the ``Journey`` inherits them)."""

    if TYPE_CHECKING:  # the Journey's own recording

        def _add(
            self, event_class: type[events.Event], actor: Actor, occurred_on: date, **kwargs: Any
        ) -> None: ...

    def refer(
        self,
        *,
        service: ReferralService,
        agency: ReferredAgency,
        reason: str,
        note: str | None,
        due_on: date | None,
        consent: Consent,
        actor: Actor,
        occurred_on: date,
    ) -> int:
        """Refers the case; answers the referral's number. An agency outside the case's
        region is fine (agencies serve wider areas); the case stays where it is."""
        require_allowed(self.stage, JourneyAction.REFER)
        due = due_on or occurred_on + timedelta(days=DEFAULT_RESPONSE_DAYS)
        if due < occurred_on:
            raise InvalidValue(field="due_on", reason="cannot be before the referral")
        referral_id = len(self.referral_list()) + 1
        self._add(
            events.Referred,
            actor,
            occurred_on,
            referral_id=referral_id,
            service=service.value,
            agency_id=agency.agency_id,
            agency_kind=agency.kind.value,
            agency_name=one_line(agency.name, "agency.name"),
            agency_region_code=agency.region_code,
            agency_contact=None if agency.contact is None else one_line(agency.contact, "contact"),
            reason=one_line(reason, "reason"),
            note=values.note(note),
            due_on=due,
            **checked_consent(consent, agency.kind, occurred_on),
        )
        return referral_id

    def record_referral_outcome(
        self,
        referral_id: int,
        *,
        outcome: ReferralOutcome,
        note: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """The agency's answer; a referral has one (a second is refused)."""
        require_allowed(self.stage, JourneyAction.RECORD_REFERRAL_OUTCOME)
        if not self.has_referral(referral_id):
            raise InvalidValue(field="referral_id", reason="names no referral of this journey")
        referral = self.referral_list()[referral_id - 1]
        if referral["outcome"] is not None:
            raise AlreadyResolved(what="Referral", number=referral_id)
        if occurred_on < referral["occurred_on"]:
            raise InvalidValue(field="occurred_on", reason="cannot be before the referral")
        self._add(
            events.ReferralOutcomeRecorded,
            actor,
            occurred_on,
            referral_id=referral_id,
            outcome=outcome.value,
            note=values.note(note),
        )
