"""Corrections: which fields of which event a correction may change, how their JSON values
are read, and whether the amended journey still makes sense.

Only the fields of the corrected event can change, never which event it was (so never a
stage). Personal fields (notes, document numbers, the employer) are corrected into the
event's sealed ``personal_changes``, the others in clear."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from domain import vocabularies as vocab
from domain.errors import InvalidValue
from domain.journey import events, values
from domain.journey.flags import under_18
from domain.journey.state import JourneyState
from domain.journey.values import Choice, Parser

#: Fields holding personal data in journey events, corrected into an encrypted field.
PERSONAL_FIELD_NAMES = frozenset({"note", "number", "employer"})

#: What a correction may change on each event, and how its JSON value is read.
CORRECTABLE: dict[type[events.Event], dict[str, Parser]] = {
    events.Opened: {
        "occurred_on": values.past_date,
        "destination_country": values.country_field,
        "occupation": values.text_field,
        "placement_scheme": Choice(vocab.PlacementScheme),
        "p3mi": values.p3mi_field,
    },
    events.MigrationInfoProvided: {
        "occurred_on": values.past_date,
        "topics": Choice(vocab.MigrationTopic, many=True),
    },
    events.DocumentRecorded: {
        "occurred_on": values.past_date,
        "kind": Choice(vocab.DocumentKind),
        "number": values.text_field,
        "issued_on": values.past_date,
        "expires_on": values.optional_date,
    },
    events.NonProceduralIndicationRaised: {
        "occurred_on": values.past_date,
        "indicators": Choice(vocab.Indicator, many=True),
        "note": values.note_field,
    },
    events.IndicationResolved: {
        "occurred_on": values.past_date,
        "outcome": Choice(vocab.IndicationOutcome),
        "note": values.note_field,
    },
    events.Departed: {
        "departed_on": values.past_date,
        "employer": values.text_field,
        "contract_start": values.any_date,
        "contract_end": values.any_date,
    },
    events.WelfareChecked: {
        "occurred_on": values.past_date,
        "contact_with": Choice(vocab.ContactWith),
        "status": Choice(vocab.WelfareStatus),
        "note": values.note_field,
    },
    events.IncidentReported: {
        "occurred_on": values.past_date,
        "category": Choice(vocab.IncidentCategory),
        "severity": Choice(vocab.Severity),
        "note": values.note_field,
    },
    events.IncidentResolved: {
        "occurred_on": values.past_date,
        "outcome": Choice(vocab.IncidentOutcome),
        "note": values.note_field,
    },
    events.Returned: {"returned_on": values.past_date, "reason": Choice(vocab.ReturnReason)},
    events.ReintegrationPlanned: {
        "occurred_on": values.past_date,
        "needs": Choice(vocab.ReintegrationNeed, many=True),
    },
    events.ReintegrationActivityRecorded: {
        "occurred_on": values.past_date,
        "kind": Choice(vocab.ReintegrationActivityKind),
        "note": values.note_field,
    },
    events.Referred: {
        "occurred_on": values.past_date,
        "service": Choice(vocab.ReferralService),
        "reason": values.text_field,
        "note": values.note_field,
        "due_on": values.any_date,
    },
    events.ReferralOutcomeRecorded: {
        "occurred_on": values.past_date,
        "outcome": Choice(vocab.ReferralOutcome),
        "note": values.note_field,
    },
    events.Cancelled: {"occurred_on": values.past_date, "reason": values.text_field},
    events.Closed: {"occurred_on": values.past_date, "reason": values.text_field},
    events.LeftOpen: {"reason": values.text_field},
}


def correctable_fields(journey: JourneyState, version: int) -> Mapping[str, Parser]:
    """The fields a correction of the event at ``version`` may change (none when there is
    no such event, or it is itself a correction)."""
    event = events.event_type_at(journey, version)
    return {} if event is None else CORRECTABLE.get(event, {})


def corrected(
    journey: JourneyState,
    version: int,
    changes: Mapping[str, object],
    *,
    worker_birth_date: date | None,
    latest_today: date,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The changes a correction of the event at ``version`` records, read and checked:
    those in clear, and those of personal fields. A corrected departure date decides the
    worker's age at departure again."""
    event = events.event_type_at(journey, version)
    if event is None:
        raise InvalidValue(field="corrects_version", reason="names no event of this journey")
    if event is events.Corrected:
        raise InvalidValue(
            field="corrects_version",
            reason="a correction cannot be corrected: correct the original event again",
        )
    if not changes:
        raise InvalidValue(field="changes", reason="must name at least one field")
    fields = CORRECTABLE.get(event, {})  # a scan: replaced by a new one, never corrected
    parsed: dict[str, Any] = {}
    for name, value in changes.items():
        parse = fields.get(name)
        if parse is None:
            raise InvalidValue(field=f"changes.{name}", reason="cannot be corrected on this event")
        parsed[name] = parse(value, f"changes.{name}", latest_today)
    if event is events.Departed and "departed_on" in parsed and worker_birth_date is not None:
        parsed["worker_under_18"] = under_18(worker_birth_date, parsed["departed_on"])
    trial = copy.deepcopy(journey)
    events.amend(trial, version, parsed)
    check_consistency(trial)
    clear = {k: v for k, v in parsed.items() if k not in PERSONAL_FIELD_NAMES}
    personal = {k: v for k, v in parsed.items() if k in PERSONAL_FIELD_NAMES}
    return clear, personal


def check_consistency(journey: JourneyState) -> None:
    """Rules that span fields, checked on a journey after a correction: a contract ending
    after it starts, a document expiring after its issue, a return after the departure."""
    values.check_opening(cast(Mapping[str, Any], journey.opening))
    for document in journey.documents:
        values.check_validity(document["issued_on"], document["expires_on"])
    departure = journey.departure
    if departure is not None:
        values.check_contract(departure["contract_start"], departure["contract_end"])
        returned = journey.return_home
        if returned is not None and returned["returned_on"] < departure["departed_on"]:
            raise InvalidValue(field="returned_on", reason="cannot be before the departure date")
    for referral in journey.referral_list():
        if referral["due_on"] < referral["occurred_on"]:
            raise InvalidValue(field="due_on", reason="cannot be before the referral")
