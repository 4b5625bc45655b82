"""What may be recorded in which stage of a journey, as one table the commands enforce and
the interfaces read (a case page offers only the forms its stage accepts).

Stages: ``pre_departure`` → ``placement`` → ``returned`` → (``reintegration`` →) ``closed``,
or ``pre_departure`` → ``cancelled``."""

from __future__ import annotations

from enum import StrEnum

from domain.journey.errors import JourneyStageConflict
from domain.vocabularies import Stage


class JourneyAction(StrEnum):
    """The journey commands other than opening and correcting; each value is the name of
    the command (``Journey.record_departure``)."""

    PROVIDE_MIGRATION_INFO = "provide_migration_info"
    RECORD_DOCUMENT = "record_document"
    RAISE_INDICATION = "raise_indication"
    RESOLVE_INDICATION = "resolve_indication"
    RECORD_DEPARTURE = "record_departure"
    CHECK_WELFARE = "check_welfare"
    REPORT_INCIDENT = "report_incident"
    RESOLVE_INCIDENT = "resolve_incident"
    REFER = "refer"
    RECORD_REFERRAL_OUTCOME = "record_referral_outcome"
    RECORD_RETURN = "record_return"
    PLAN_REINTEGRATION = "plan_reintegration"
    RECORD_REINTEGRATION_ACTIVITY = "record_reintegration_activity"
    CANCEL = "cancel"
    CLOSE = "close"


_OPEN_STAGES = frozenset(
    {Stage.PRE_DEPARTURE, Stage.PLACEMENT, Stage.RETURNED, Stage.REINTEGRATION}
)

#: The order of a journey, as one table: each command and the stages it may be recorded in.
#: Counselling, indications and cancellation belong before departure; welfare checks and the
#: return to the placement; reintegration after the return; incidents and referrals at any
#: open stage;
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
    JourneyAction.REFER: _OPEN_STAGES,
    JourneyAction.RECORD_REFERRAL_OUTCOME: _OPEN_STAGES,
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
    JourneyAction.REFER: "refer the case to an agency",
    JourneyAction.RECORD_REFERRAL_OUTCOME: "record a referral's outcome",
    JourneyAction.RECORD_RETURN: "record a return",
    JourneyAction.PLAN_REINTEGRATION: "plan reintegration",
    JourneyAction.RECORD_REINTEGRATION_ACTIVITY: "record a reintegration activity",
    JourneyAction.CANCEL: "cancel the journey",
    JourneyAction.CLOSE: "close the journey",
}


def actions_allowed_in(stage: Stage) -> tuple[JourneyAction, ...]:
    """The commands a journey in ``stage`` accepts, in the table's order."""
    return tuple(action for action in JourneyAction if stage in ALLOWED_STAGES[action])


def require_allowed(stage: str, action: JourneyAction) -> None:
    """Refuses ``action`` in ``stage``, naming the stages that would accept it."""
    allowed = ALLOWED_STAGES[action]
    if Stage(stage) not in allowed:
        raise JourneyStageConflict(
            action=ACTION_WORDS[action],
            stage=stage,
            allowed=", ".join(s.value for s in Stage if s in allowed),
        )
