"""When things fall due: the rule table of the agenda, as data (SPEC §7).

Each kind of agenda item has a few figures, all whole days: how long after the event that
starts the clock an item falls due (``days``, ``first_days``, ``every_days``, one per incident
severity), how long before a document expires its renewal is due (``days_before``), and how
long past its due date an item may wait before it counts as overdue (``grace_days``). The
table of SPEC §7 is version 1; an admin records a new version as an event (who, when, why),
and a version applies from the date it was recorded, so an auditor can tell which rules
applied on any date. Nothing here stores a due date: an item keeps the date its clock starts
from and which figure counts from it, and a due date is that date plus the figure in force.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.errors import InvalidValue
from domain.events import Actor, JejakAggregate, JejakCreated, JejakEvent
from domain.text import one_line
from domain.vocabularies import Vocabulary


class AgendaKind(Vocabulary):
    """What an item of the agenda asks an officer to do."""

    WELFARE_CHECK = "welfare_check"
    EXPECTED_RETURN = "expected_return"
    REINTEGRATION_PLAN = "reintegration_plan"
    REINTEGRATION_FOLLOW_UP = "reintegration_follow_up"
    INCIDENT_RESPONSE = "incident_response"
    INDICATION_FOLLOW_UP = "indication_follow_up"
    DOCUMENT_EXPIRY = "document_expiry"
    #: Appears once referrals (SPEC §8) are recorded: ``domain.agenda.referral_items``.
    REFERRAL_RESPONSE = "referral_response"


class AgendaStatus(Vocabulary):
    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"


#: An item counts as due (rather than upcoming) from this many days before its due date:
#: the officer's "this week".
DUE_SOON_DAYS = 7
#: The longest figure a rule may hold (ten years): a longer one is a typing mistake.
MAX_DAYS = 3650

#: Version 1: the table of SPEC §7.
SPEC_RULES: dict[str, dict[str, int]] = {
    AgendaKind.WELFARE_CHECK: {"first_days": 30, "every_days": 90, "grace_days": 0},
    AgendaKind.EXPECTED_RETURN: {"grace_days": 30},
    AgendaKind.REINTEGRATION_PLAN: {"days": 14, "grace_days": 0},
    AgendaKind.REINTEGRATION_FOLLOW_UP: {"every_days": 60, "grace_days": 0},
    AgendaKind.INCIDENT_RESPONSE: {
        "critical_days": 1,
        "high_days": 3,
        "medium_days": 7,
        "low_days": 14,
        "grace_days": 0,
    },
    AgendaKind.INDICATION_FOLLOW_UP: {"days": 7, "grace_days": 0},
    AgendaKind.DOCUMENT_EXPIRY: {"days_before": 60, "grace_days": 0},
    #: ``days`` counts from the referral when it names no ``due_on`` of its own.
    AgendaKind.REFERRAL_RESPONSE: {"days": 14, "grace_days": 0},
}

#: Figures that repeat a check: zero would make every check due the day it is recorded.
_AT_LEAST_ONE = frozenset({"every_days", "first_days"})


@dataclass(frozen=True)
class Clock:
    """Which figure of which kind a rule counts with, and in which direction: a due date is
    ``anchor + sign * figure`` (``figure`` None: the anchor itself is the due date)."""

    kind: AgendaKind
    figure: str | None
    sign: int = 1


#: Every rule an item can follow, by its stored name (stored names are schema).
RULES: dict[str, Clock] = {
    "welfare_check.first": Clock(AgendaKind.WELFARE_CHECK, "first_days"),
    "welfare_check.every": Clock(AgendaKind.WELFARE_CHECK, "every_days"),
    "expected_return": Clock(AgendaKind.EXPECTED_RETURN, None),
    "reintegration_plan": Clock(AgendaKind.REINTEGRATION_PLAN, "days"),
    "reintegration_follow_up": Clock(AgendaKind.REINTEGRATION_FOLLOW_UP, "every_days"),
    "incident_response.critical": Clock(AgendaKind.INCIDENT_RESPONSE, "critical_days"),
    "incident_response.high": Clock(AgendaKind.INCIDENT_RESPONSE, "high_days"),
    "incident_response.medium": Clock(AgendaKind.INCIDENT_RESPONSE, "medium_days"),
    "incident_response.low": Clock(AgendaKind.INCIDENT_RESPONSE, "low_days"),
    "indication_follow_up": Clock(AgendaKind.INDICATION_FOLLOW_UP, "days"),
    "document_expiry": Clock(AgendaKind.DOCUMENT_EXPIRY, "days_before", -1),
    "referral_response.due_on": Clock(AgendaKind.REFERRAL_RESPONSE, None),
    "referral_response.default": Clock(AgendaKind.REFERRAL_RESPONSE, "days"),
}


@dataclass(frozen=True)
class RuleSet:
    """One version of the rules. ``effective_from`` is None for version 1, which applies
    to every date before the first revision."""

    version: int
    figures: Mapping[str, Mapping[str, int]]
    effective_from: date | None = None
    reason: str = "the table of SPEC §7"
    recorded_at: datetime | None = None
    recorded_by: UUID | None = None
    recorded_role: str | None = None

    def offset(self, rule: str) -> int:
        """Days from an item's anchor to its due date under this version."""
        clock = RULES[rule]
        if clock.figure is None:
            return 0
        return clock.sign * self.figure(clock.kind, clock.figure)

    def grace(self, kind: str) -> int:
        return self.figure(AgendaKind(kind), "grace_days")

    def figure(self, kind: AgendaKind, name: str) -> int:
        """A figure of a kind; one a stored version predates falls back on version 1."""
        value = self.figures.get(kind.value, {}).get(name)
        return SPEC_RULES[kind][name] if value is None else int(value)

    def offsets(self) -> dict[str, int]:
        return {rule: self.offset(rule) for rule in RULES}

    def graces(self) -> dict[str, int]:
        return {kind.value: self.grace(kind.value) for kind in AgendaKind}

    def table(self) -> dict[str, dict[str, int]]:
        """Every figure of every kind, as ``GET /v1/agenda/rules`` shows them."""
        return {
            kind.value: {name: self.figure(kind, name) for name in SPEC_RULES[kind]}
            for kind in AgendaKind
        }


VERSION_1 = RuleSet(version=1, figures=SPEC_RULES)


def revised_figures(current: RuleSet, changes: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """The whole table after ``changes``: kinds and figures it leaves out keep the values in
    force. A figure is a whole number of days from 0 to ``MAX_DAYS`` (intervals at least 1);
    an unknown kind or figure is refused, never ignored."""
    if not isinstance(changes, Mapping) or not changes:
        raise InvalidValue(field="rules", reason="must name at least one kind of item")
    table = current.table()
    for kind_name, figures in changes.items():
        field = f"rules.{kind_name}"
        try:
            kind = AgendaKind(kind_name)
        except ValueError:
            raise InvalidValue(field=field, reason="not a kind of agenda item") from None
        if not isinstance(figures, Mapping) or not figures:
            raise InvalidValue(field=field, reason="must name at least one figure")
        for name, value in figures.items():
            table[kind.value][_figure_name(kind, name, field)] = _days(name, value, field)
    return table


def _figure_name(kind: AgendaKind, name: object, field: str) -> str:
    if not isinstance(name, str) or name not in SPEC_RULES[kind]:
        raise InvalidValue(field=f"{field}.{name}", reason="not a figure of this rule")
    return name


def _days(name: str, value: object, field: str) -> int:
    where = f"{field}.{name}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(field=where, reason="must be a whole number of days")
    if value < 0:
        raise InvalidValue(field=where, reason="cannot be negative")
    if value < 1 and name in _AT_LEAST_ONE:
        raise InvalidValue(field=where, reason="must be at least 1")
    if value > MAX_DAYS:
        raise InvalidValue(field=where, reason="must be at most 3650 days")
    return value


def in_force(versions: Sequence[RuleSet], day: date) -> RuleSet:
    """The version that applied on ``day``: the last one recorded on or before it."""
    chosen = versions[0]
    for version in versions:
        if version.effective_from is None or version.effective_from <= day:
            chosen = version
    return chosen


def due_on(anchor: date, rule: str, rules: RuleSet) -> date:
    return anchor + timedelta(days=rules.offset(rule))


def status_on(due: date, grace: int, day: date) -> AgendaStatus:
    """Overdue once more than ``grace`` days have passed since the due date; due from
    ``DUE_SOON_DAYS`` before it; upcoming before that."""
    if (day - due).days > grace:
        return AgendaStatus.OVERDUE
    if (due - day).days <= DUE_SOON_DAYS:
        return AgendaStatus.DUE
    return AgendaStatus.UPCOMING


def overdue_days(due: date, grace: int, day: date) -> int:
    return max(0, (day - due).days - grace)


# The rules as an aggregate --------------------------------------------------------------

#: There is one rule table for the programme: its id is fixed.
AGENDA_RULES_ID = UUID("7a6c1f0e-3d2b-4c55-9a1e-5f0b8e2d4a61")


class AgendaRules(JejakAggregate):
    """The history of the rule table. Version 1 (the table of SPEC §7) is recorded by the
    first revision, as the system's, so every version an auditor reads is an event."""

    TOPIC = "jejak:AgendaRules"

    class Event(JejakEvent):
        rules: dict[str, dict[str, int]]
        reason: str

        def entry(self) -> RuleSet:
            return RuleSet(
                version=self.originator_version,
                figures=copy.deepcopy(self.rules),
                effective_from=self.occurred_on if self.originator_version > 1 else None,
                reason=self.reason,
                recorded_at=self.timestamp,
                recorded_by=self.actor_id,
                recorded_role=self.actor_role,
            )

    class Adopted(Event, JejakCreated):
        """Version 1, applying to every date before the first revision."""

        TOPIC = "jejak:AgendaRules.Adopted"

        def apply(self, rules: AgendaRules) -> None:
            rules.versions = [self.entry()]

    class Revised(Event):
        """A new version, applying from the date it was recorded (``occurred_on``)."""

        TOPIC = "jejak:AgendaRules.Revised"

        def apply(self, rules: AgendaRules) -> None:
            rules.versions.append(self.entry())

    if TYPE_CHECKING:  # state set by the events' apply()
        versions: list[RuleSet]

    @classmethod
    def adopt(cls, *, actor: Actor, today: date) -> AgendaRules:
        return cls._start(
            cls.Adopted,
            id=AGENDA_RULES_ID,
            actor=actor,
            occurred_on=today,
            rules=copy.deepcopy(SPEC_RULES),
            reason=VERSION_1.reason,
        )

    def revise(self, *, changes: Mapping[str, Any], reason: str, actor: Actor, today: date) -> None:
        """Records the table after ``changes`` as a new version, applying from today."""
        table = revised_figures(self.versions[-1], changes)
        self._record(
            self.Revised,
            actor=actor,
            occurred_on=today,
            rules=table,
            reason=one_line(reason, "reason"),
        )


def history(rules: AgendaRules | None) -> list[RuleSet]:
    """Every version in order; version 1 alone before any revision was recorded."""
    return [VERSION_1] if rules is None else list(rules.versions)
