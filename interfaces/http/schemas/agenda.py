"""Bodies and answers of the agenda: its rules and their versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain.agenda_rules import DUE_SOON_DAYS, MAX_DAYS, SPEC_RULES, RuleSet
from interfaces.http.schemas.common import Body, ShortText, example

#: The kinds and their figures, named in the schema (so errors may name them: keys a client
#: makes up are shown as ``*``). The domain checks the values.
_RULE_PROPERTIES: dict[str, Any] = {
    str(kind): {
        "type": "object",
        "properties": {
            figure: {"type": "integer", "minimum": 0, "maximum": MAX_DAYS} for figure in figures
        },
        "additionalProperties": False,
    }
    for kind, figures in SPEC_RULES.items()
}


class ReviseRulesBody(Body):
    """The kinds and figures that change; everything left out keeps its value in force."""

    model_config = ConfigDict(
        json_schema_extra=example(
            rules={"welfare_check": {"every_days": 60}},
            reason="Monthly contact in the first year abroad (Dinas circular 12/2025)",
        )
    )

    rules: dict[str, Any] = Field(
        description="kind -> {figure: whole days}",
        json_schema_extra={"properties": _RULE_PROPERTIES, "additionalProperties": False},
    )
    reason: ShortText


class Recorder(BaseModel):
    user: str
    role: str


class RuleVersion(BaseModel):
    version: int
    effective_from: date | None = Field(
        description="The first day it applies (null for version 1: every day before version 2)"
    )
    recorded_at: datetime | None
    recorded_by: Recorder | None
    reason: str
    rules: dict[str, dict[str, int]]


class RulesView(RuleVersion):
    due_soon_days: int = Field(
        description="An item counts as due (not upcoming) from this many days before its date"
    )
    versions: list[RuleVersion]


def rule_version(rules: RuleSet) -> RuleVersion:
    recorder = None
    if rules.recorded_by is not None:
        recorder = Recorder(user=str(rules.recorded_by), role=str(rules.recorded_role))
    return RuleVersion(
        version=rules.version,
        effective_from=rules.effective_from,
        recorded_at=rules.recorded_at,
        recorded_by=recorder,
        reason=rules.reason,
        rules=rules.table(),
    )


def rules_view(in_force: RuleSet, versions: list[RuleSet]) -> RulesView:
    return RulesView(
        **rule_version(in_force).model_dump(),
        due_soon_days=DUE_SOON_DAYS,
        versions=[rule_version(v) for v in versions],
    )
