"""The rules of a journey a command can break (each a 409: refused in the current state)."""

from __future__ import annotations

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
