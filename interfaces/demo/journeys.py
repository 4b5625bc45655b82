"""One demo journey as the writes a village officer would make, stage by stage: counselling
and documents before departure (some missing, some with an indication of a non-procedural
recruitment), the departure, welfare checks and incidents abroad, the return, and the
reintegration or closing after it. Dates come from the shared case timeline."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from application.journeys import (
    CheckWelfare,
    CorrectJourney,
    EndJourney,
    OpenJourney,
    PlanReintegration,
    ProvideMigrationInfo,
    RaiseIndication,
    RecordDeparture,
    RecordReintegrationActivity,
    RecordReturn,
    ReportIncident,
    ResolveIncident,
    ResolveIndication,
)
from domain.vocabularies import REQUIRED_DOCUMENTS, DocumentKind, PlacementScheme, WelfareStatus
from interfaces.demo.tables import (
    CANCEL_REASONS,
    CLOSED_REINTEGRATED,
    CLOSED_WITHOUT_SUPPORT,
    CONCERN_NOTE,
    CONTACTS,
    EMPLOYERS,
    INCIDENT_NOTE,
    INCIDENT_OUTCOMES,
    INDICATION_NOTE,
    INDICATION_OUTCOMES,
    INDICATORS,
    LEFT_OPEN,
    SEVERITIES,
    TOPICS,
)
from interfaces.demo.timeline import (
    INCIDENT,
    days_after,
    draw_contract,
    draw_document,
    draw_placement,
    draw_reintegration,
    draw_return,
)

#: Stages a worker has come home by.
_HOME = ("returned", "reintegration", "closed")


@dataclass(frozen=True)
class Step:
    """One write on a journey: the use case's name and its command (``number`` names the
    indication or incident a resolution is about)."""

    action: str
    command: Any
    number: int = 0


@dataclass(frozen=True)
class DemoJourney:
    opening: OpenJourney  # its worker_id is filled in when the worker exists
    steps: tuple[Step, ...]
    stage: str
    non_procedural: bool


@dataclass
class _Draft:
    """A journey's plan as it grows, stage by stage."""

    rng: random.Random
    nik: str
    stage: str
    opened_on: date
    departed_on: date | None
    #: Nothing is dated after it.
    until: date
    #: How the departure goes: procedural, documents missing, an indication raised, or a
    #: minor leaving (the last three flag it non-procedural).
    scenario: str = "procedural"
    steps: list[Step] = field(default_factory=list)

    def add(self, action: str, command: Any, number: int = 0) -> None:
        self.steps.append(Step(action, command, number))


def plan_journey(
    rng: random.Random,
    nik: str,
    stage: str,
    opened_on: date,
    departed_on: date | None,
    until: date,
    *,
    minor: bool = False,
) -> DemoJourney:
    """The steps of one journey up to its stage; nothing is dated after ``until``."""
    placement = draw_placement(rng)
    opening = OpenJourney(
        worker_id=UUID(int=0),
        destination_country=placement.country,
        occupation=placement.occupation,
        placement_scheme=placement.scheme,
        p3mi=placement.p3mi,
        occurred_on=opened_on,
    )
    draft = _Draft(rng, nik, stage, opened_on, departed_on, until)
    contract = _pre_departure(draft, placement.scheme, minor)
    if stage == "cancelled":
        _cancellation(draft)
    elif draft.departed_on is not None:
        _departure(draft, draft.departed_on, placement.country, contract)
        _abroad_and_after(draft, draft.departed_on, contract[1])
    return DemoJourney(opening, tuple(draft.steps), stage, draft.scenario != "procedural")


def _pre_departure(draft: _Draft, scheme: PlacementScheme, minor: bool) -> tuple[date, date]:
    """Counselling, the documents seen (all of them for most departures, some missing for
    a few) and now and then an indication; answers the contract's start and end."""
    rng, opened_on = draft.rng, draft.opened_on
    topics = rng.sample(TOPICS, rng.randint(2, 5))
    draft.add("counselling", ProvideMigrationInfo(topics=tuple(topics), occurred_on=opened_on))
    ready_by = draft.departed_on or min(draft.until, opened_on + timedelta(days=90))
    if draft.departed_on is not None:
        roll = rng.random()
        if roll < 0.07:
            draft.scenario = "missing"
        elif roll < 0.11:
            draft.scenario = "indication"
    if minor:
        draft.scenario = "minor"
    kinds = _document_kinds(draft, scheme)
    contract = draw_contract(rng, ready_by)
    span = max((ready_by - opened_on).days, 1)
    for kind in kinds:
        seen = opened_on + timedelta(days=rng.randint(0, span))
        draft.add("document", draw_document(rng, kind, draft.nik, seen, contract[1]))
    if draft.scenario == "indication" or (rng.random() < 0.08 and ready_by > opened_on):
        _indication(draft, ready_by, span)
    return contract


def _document_kinds(draft: _Draft, scheme: PlacementScheme) -> list[DocumentKind]:
    """The whole checklist for a departure (bar a few missing in that scenario); part of it
    for a journey that has not left."""
    rng = draft.rng
    kinds = [DocumentKind.KTP, DocumentKind.KARTU_KELUARGA, *REQUIRED_DOCUMENTS]
    if scheme is PlacementScheme.P3MI:
        kinds.append(DocumentKind.PLACEMENT_AGREEMENT)
    if draft.departed_on is None:
        kinds = kinds[: rng.randint(2, len(kinds))]
    elif draft.scenario == "missing":
        for kind in rng.sample(list(REQUIRED_DOCUMENTS), rng.randint(1, 3)):
            kinds.remove(kind)
    return kinds


def _indication(draft: _Draft, ready_by: date, span: int) -> None:
    """An indication of non-procedural recruitment, resolved before departure unless the
    worker left with it open."""
    rng = draft.rng
    raised_on = draft.opened_on + timedelta(days=rng.randint(0, span))
    indicators = rng.sample(INDICATORS, rng.randint(1, 2))
    draft.add(
        "indication",
        RaiseIndication(indicators=tuple(indicators), note=INDICATION_NOTE, occurred_on=raised_on),
    )
    if draft.scenario != "indication" and raised_on < ready_by:
        outcome = rng.choice(INDICATION_OUTCOMES)
        resolved_on = raised_on + timedelta(days=rng.randint(0, (ready_by - raised_on).days))
        draft.add(
            "resolve_indication", ResolveIndication(outcome=outcome, occurred_on=resolved_on), 1
        )


def _cancellation(draft: _Draft) -> None:
    rng = draft.rng
    cancelled_on = days_after(rng, draft.opened_on, 20, 120, draft.until)
    cancel = EndJourney(
        reason=rng.choice(CANCEL_REASONS), occurred_on=cancelled_on, leave_open_reason=LEFT_OPEN
    )
    draft.add("cancel", cancel)


def _departure(draft: _Draft, departed_on: date, country: str, contract: tuple[date, date]) -> None:
    """The departure with its employer and contract; now and then the employer is mistyped
    and put right."""
    rng = draft.rng
    employer = rng.choice(EMPLOYERS.get(country, (f"Employer in {country}",)))
    start, end = contract
    draft.add(
        "departure",
        RecordDeparture(
            departed_on=departed_on, employer=employer, contract_start=start, contract_end=end
        ),
    )
    if rng.random() < 0.03:
        changes = {"employer": f"{employer} (corrected)"}
        fix = CorrectJourney(corrects_version=-1, reason="employer mistyped", changes=changes)
        draft.add("correction", fix)


def _abroad_and_after(draft: _Draft, departed_on: date, contract_end: date) -> None:
    """Welfare checks while abroad, then, for a worker who came home, the return and what
    followed it."""
    home = None
    if draft.stage in _HOME:
        home = draw_return(draft.rng, departed_on, contract_end, draft.until)
    _placement(draft, departed_on, home[0] if home else draft.until)
    if home is None:
        return
    returned_on, reason = home
    draft.add("return", RecordReturn(returned_on=returned_on, reason=reason))
    _after_return(draft, returned_on)


def _placement(draft: _Draft, departed_on: date, abroad_until: date) -> None:
    """Welfare checks every five to eight months; a concern (and now and then a check
    without one) is reported as an incident, most of them resolved."""
    rng = draft.rng
    check_on = departed_on + timedelta(days=rng.randint(60, 200))
    incidents = 0
    while check_on < abroad_until and len(draft.steps) < 40:
        concern = rng.random() < 0.12
        draft.add(
            "welfare",
            CheckWelfare(
                contact_with=rng.choice(CONTACTS),
                status=WelfareStatus.CONCERN if concern else WelfareStatus.OK,
                note=CONCERN_NOTE if concern else None,
                occurred_on=check_on,
            ),
        )
        if concern or rng.random() < 0.03:
            incidents += 1
            _incident(draft, check_on, incidents)
        check_on += timedelta(days=rng.randint(150, 240))


def _incident(draft: _Draft, reported_on: date, number: int) -> None:
    rng = draft.rng
    draft.add(
        "incident",
        ReportIncident(
            category=INCIDENT(rng),
            severity=rng.choice(SEVERITIES),
            note=INCIDENT_NOTE,
            occurred_on=reported_on,
        ),
    )
    resolved_on = reported_on + timedelta(days=rng.randint(7, 90))
    if resolved_on <= draft.until and rng.random() < 0.7:
        outcome = rng.choice(INCIDENT_OUTCOMES)
        resolution = ResolveIncident(outcome=outcome, occurred_on=resolved_on)
        draft.add("resolve_incident", resolution, number)


def _after_return(draft: _Draft, returned_on: date) -> None:
    """Back home: some journeys close with no support needed, the others plan reintegration
    and record its activities (and close when the stage says so)."""
    rng, stage = draft.rng, draft.stage
    if stage == "returned" or (stage == "closed" and rng.random() < 0.4):
        if stage == "closed":
            closed_on = days_after(rng, returned_on, 14, 60, draft.until)
            close = EndJourney(
                reason=CLOSED_WITHOUT_SUPPORT, occurred_on=closed_on, leave_open_reason=LEFT_OPEN
            )
            draft.add("close", close)
        return
    plan = draw_reintegration(
        rng, returned_on, draft.until, activities=(1, 3), closes=stage == "closed"
    )
    draft.add("plan", PlanReintegration(needs=plan.needs, occurred_on=plan.planned_on))
    for day, kind in plan.activities:
        draft.add("activity", RecordReintegrationActivity(kind=kind, occurred_on=day))
    if plan.closed_on is not None:
        close = EndJourney(
            reason=CLOSED_REINTEGRATED, occurred_on=plan.closed_on, leave_open_reason=LEFT_OPEN
        )
        draft.add("close", close)
