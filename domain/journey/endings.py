"""How a journey ends with items still open: a case ends with its incidents and indications
resolved, or with the officer's reason for leaving the rest open.

Nothing can be recorded on an ended case, resolutions included, so an item left unresolved
without a word would wait on the coordinator's list for ever. With a reason, the journey
records ``LeftOpen`` (the items, by number, and why) right before ``Closed`` or
``Cancelled``; the items then leave the open lists as "left open at closure" and the
history says why. A reason with nothing open records nothing (the last item may have been
resolved since the form was shown)."""

from __future__ import annotations

from typing import Any

from domain.journey.errors import OpenItemsAtEnd
from domain.journey.stages import ACTION_WORDS, JourneyAction
from domain.journey.state import JourneyState
from domain.text import one_line


def left_open(journey: JourneyState, action: JourneyAction, reason: str | None) -> dict[str, Any]:
    """The fields of the ``LeftOpen`` event ending the journey needs, or none when nothing
    is open; refused when something is open and no reason is given."""
    incidents = [i["incident_id"] for i in journey.open_incidents]
    indications = [i["indication_id"] for i in journey.open_indications]
    if not incidents and not indications:
        return {}
    if reason is None or not reason.strip():
        raise OpenItemsAtEnd(
            action=ACTION_WORDS[action], incidents=incidents, indications=indications
        )
    return {
        "reason": one_line(reason, "leave_open_reason"),
        "incidents": incidents,
        "indications": indications,
    }
