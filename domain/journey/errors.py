"""The rules of a journey a command can break (each a 409: refused in the current state)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.errors import RuleViolation


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


class OpenItemsAtEnd(RuleViolation):
    """A case does not end with an incident or an indication still open unless the officer
    says why they are left open (``leave_open_reason``): an unresolved item on a closed case
    has no form left to resolve it. The error names the items by number, never their notes."""

    code = "open_items_at_closure"
    template = (
        "Cannot {action}: open incidents: {incidents}; open indications: {indications}. "
        "Resolve them first, or give leave_open_reason, why they are left open."
    )

    @property
    def message(self) -> str:
        return self.template.format(**numbered(self.params))


def numbered(params: Mapping[str, Any]) -> dict[str, Any]:
    """Lists of numbers as people read them (``1, 3``; ``-`` for none)."""
    return {
        key: (", ".join(str(item) for item in value) or "-") if isinstance(value, list) else value
        for key, value in params.items()
    }
