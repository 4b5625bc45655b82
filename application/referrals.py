"""Referrals of cases to agencies (SPEC §8): made and answered on the journey, printed as a
letter, followed in a report.

A referral is a journey write like any other (scope, If-Match, Idempotency-Key): the agency
may be outside the caller's region (a provincial BP3MI, a legal-aid office in the next
regency) and the case stays in the caller's scope all the same. The letter carries what the
agency needs to take the case and nothing more (``ReferralLetter``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from application.agencies import AgencyUseCases
from application.errors import NotFound
from application.journeys import JourneyUseCases
from application.principal import Principal
from application.readmodels import Filter, Key, Page, Query, Row
from application.reports import REPORT_ROLES, page_of, scoped
from application.workers import WorkerUseCases
from application.writes import WriteOptions, WriteResult
from domain.agency import Agency, needs_nik
from domain.errors import InvalidValue
from domain.journey import Consent, Journey, ReferredAgency
from domain.journey.state import ReferralEntry
from domain.user import User
from domain.vocabularies import AgencyKind, ReferralOutcome, ReferralService

REFERRALS_READ_MODEL = "referrals"
#: Access-log action of printing a referral letter (the subject: whose).
PRINT_REFERRAL_LETTER = "print_referral_letter"
#: Outcomes counted per agency and service.
OUTCOMES = tuple(outcome.value for outcome in ReferralOutcome)


@dataclass(frozen=True)
class ExternalAgency:
    """An agency not in the directory, named by the officer."""

    name: str
    kind: AgencyKind
    contact: str | None = None


@dataclass(frozen=True)
class Refer:
    service: ReferralService
    reason: str
    consent: Consent
    agency_id: UUID | None = None
    external_agency: ExternalAgency | None = None
    note: str | None = None
    due_on: date | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class RecordReferralOutcome:
    outcome: ReferralOutcome
    note: str | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class ReferralLetter:
    """What the letter to the agency holds: the referral as recorded, the agency as it is
    listed now (when from the directory), the worker's name, sex and age, the last four
    digits of the NIK only when the agency's kind needs it, and who referred."""

    journey: Journey
    referral: ReferralEntry
    agency: Agency | None
    name: str
    sex: str
    age: int | None
    nik_last_four: str | None
    referred_by: str


class ReferralUseCases(JourneyUseCases, WorkerUseCases, AgencyUseCases):
    def refer(
        self, principal: Principal, journey_id: UUID, command: Refer, options: WriteOptions
    ) -> WriteResult:
        """Refers the case to an agency of the directory or one named in the request, with
        consent or (police and UPTD PPA only) on a recorded ground. Answers ``referral_id``."""
        occurred_on = self._occurred_on(command.occurred_on)
        if command.consent.on is not None:
            self._not_after_today(command.consent.on, "consent.on")
        agency = self._referred_agency(command)

        def act(journey: Journey) -> dict[str, Any]:
            referral_id = journey.refer(
                service=command.service,
                agency=agency,
                reason=command.reason,
                note=command.note,
                due_on=command.due_on,
                consent=command.consent,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"referral_id": referral_id}

        return self._write(principal, journey_id, options, "refer cases", act)

    def record_referral_outcome(
        self,
        principal: Principal,
        journey_id: UUID,
        referral_id: int,
        command: RecordReferralOutcome,
        options: WriteOptions,
    ) -> WriteResult:
        """The agency's answer: the referral's ``referral_response`` leaves the agenda."""
        occurred_on = self._occurred_on(command.occurred_on)

        def act(journey: Journey) -> dict[str, Any]:
            if not journey.has_referral(referral_id):
                raise NotFound(what="referral")
            journey.record_referral_outcome(
                referral_id,
                outcome=command.outcome,
                note=command.note,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"referral_id": referral_id}

        return self._write(principal, journey_id, options, "record referral outcomes", act)

    def referral_letter(
        self, principal: Principal, journey_id: UUID, referral_id: int
    ) -> ReferralLetter:
        """The letter's content, for whoever may read the case; each print is written to
        the access log besides the reads of the case and the worker."""
        journey = self.get_journey(principal, journey_id)
        if not journey.has_referral(referral_id):
            raise NotFound(what="referral")
        referral = journey.referral_list()[referral_id - 1]
        worker = self.get_worker(principal, journey.worker_id)
        self.log_access(principal, PRINT_REFERRAL_LETTER, str(worker.id))
        agency = None
        if referral["agency_id"] is not None:
            agency = self._load(referral["agency_id"], Agency, "agency")
        nik = None
        if needs_nik(referral["agency_kind"]) and not worker.erased:
            nik = worker.nik[-4:]
        return ReferralLetter(
            journey=journey,
            referral=referral,
            agency=agency,
            name=worker.full_name,
            sex=worker.sex,
            age=worker.age_on(referral["occurred_on"]),
            nik_last_four=nik,
            referred_by=self._username_of(referral["recorded_by"]),
        )

    # Reports -----------------------------------------------------------------------------

    def referral_report(
        self,
        principal: Principal,
        *,
        region: str | None,
        status: str | None,
        after: Key | None = None,
        limit: int = 100,
    ) -> Page:
        """Referrals in the caller's regions: ``open`` (no answer yet), ``overdue`` (open
        past their due date), ``closed`` (answered); soonest due first."""
        return self.report(
            principal,
            REFERRALS_READ_MODEL,
            "referrals",
            region=region,
            filters=self._status_filters(status),
            order=("due_on", "journey_id", "referral_id"),
            after=after,
            limit=limit,
        )

    def referral_summary(
        self,
        principal: Principal,
        *,
        region: str | None,
        after: Key | None = None,
        limit: int | None = None,
    ) -> Page:
        """Per agency and service: open, overdue and closed referrals, and how many of
        each outcome."""
        rows, position = self._referral_rows(principal, region)
        today = self.services.clock.today()
        totals: dict[tuple[str, str], Row] = {}
        for row in rows:
            agency = str(row["agency_id"] or f"external:{row['agency_kind']}:{row['agency_name']}")
            entry = totals.setdefault(
                (agency, str(row["service"])),
                {
                    "agency": agency,
                    "agency_id": row["agency_id"],
                    "agency_name": row["agency_name"],
                    "agency_kind": row["agency_kind"],
                    "service": row["service"],
                    "open": 0,
                    "overdue": 0,
                    "closed": 0,
                    **dict.fromkeys(OUTCOMES, 0),
                },
            )
            if row["status"] == "open":
                entry["open"] += 1
                entry["overdue"] += int(overdue_days(row, today) > 0)
            else:
                entry["closed"] += 1
                entry[str(row["outcome"])] += 1
        items = sorted(
            totals.values(),
            key=lambda e: (str(e["agency_name"]).casefold(), e["agency"], e["service"]),
        )
        return page_of(items, ("agency", "service"), position, after, limit)

    # Helpers -----------------------------------------------------------------------------

    def _referred_agency(self, command: Refer) -> ReferredAgency:
        if (command.agency_id is None) == (command.external_agency is None):
            raise InvalidValue(field="agency_id", reason="give either agency_id or external_agency")
        if command.external_agency is not None:
            external = command.external_agency
            return ReferredAgency(kind=external.kind, name=external.name, contact=external.contact)
        assert command.agency_id is not None
        try:
            agency = self._load(command.agency_id, Agency, "agency")
        except NotFound:
            raise InvalidValue(field="agency_id", reason="not an agency of the directory") from None
        return ReferredAgency(
            kind=AgencyKind(agency.kind),
            name=agency.name,
            agency_id=agency.id,
            region_code=agency.region_code,
            contact=agency.contact,
        )

    def _status_filters(self, status: str | None) -> list[Filter]:
        if status is None:
            return []
        if status == "overdue":
            today = self.services.clock.today()
            return [Filter("status", "=", "open"), Filter("due_on", "<", today)]
        return [Filter("status", "=", status)]

    def _referral_rows(
        self, principal: Principal, region: str | None
    ) -> tuple[Sequence[Row], int]:
        """Every referral in scope (a regency's are a few hundred), and the position."""
        principal.require_role(REPORT_ROLES, "read reports")
        query = Query(table="referrals", filters=scoped(principal, region))
        return self._all_rows(REFERRALS_READ_MODEL, query)

    def _username_of(self, user_id: UUID) -> str:
        try:
            return self._load(user_id, User, "user").username
        except NotFound:
            return "system"


def overdue_days(row: Row, today: date) -> int:
    """How many days an open referral of the read model is past its due date (0 if not)."""
    due = row["due_on"]
    due_on = due if isinstance(due, date) else date.fromisoformat(str(due))
    if row["status"] != "open" or due_on >= today:
        return 0
    return (today - due_on).days
