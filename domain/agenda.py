"""What a journey asks of its officer now: the open items of the agenda (SPEC §7).

An item is open from the event that starts its clock until the event that settles it
(the "until" column of the table): a welfare check is due while the worker is placed, a
reintegration plan after the return until one is made, an incident until it is resolved.
The items are computed from the journey's state as the domain's own events left it
(corrections included), so a corrected departure date or a backdated check moves an item
the moment it is recorded. Each item names the date its clock starts from (``anchor``) and
the rule that counts from it; the figures of the rules are data (``domain.agenda_rules``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.agenda_rules import AgendaKind
from domain.journey import Journey, JourneyAction
from domain.vocabularies import DocumentKind, Stage

_OPEN = frozenset({Stage.PRE_DEPARTURE, Stage.PLACEMENT, Stage.RETURNED, Stage.REINTEGRATION})
_AFTER_RETURN = frozenset({Stage.RETURNED, Stage.REINTEGRATION})
_BEFORE_RETURN = frozenset({Stage.PRE_DEPARTURE, Stage.PLACEMENT})


@dataclass(frozen=True)
class OpenItem:
    """One thing due on one journey.

    ``key`` is stable while the item stays the same thing (``incident:2``,
    ``document:passport``), so a later event moves the item instead of making another.
    ``reason`` names what started the clock (``departure``, ``last_check``...)."""

    key: str
    kind: AgendaKind
    rule: str
    anchor: date
    reason: str
    subject: str | None = None

    def as_row(self) -> tuple[str, str, int, str, str | None]:
        """(kind, rule, anchor day number, reason, subject): what the read model keeps."""
        return (self.kind.value, self.rule, self.anchor.toordinal(), self.reason, self.subject)


#: The journey form that settles each kind of item (the web links straight to it).
SETTLED_BY: dict[AgendaKind, JourneyAction] = {
    AgendaKind.WELFARE_CHECK: JourneyAction.CHECK_WELFARE,
    AgendaKind.EXPECTED_RETURN: JourneyAction.RECORD_RETURN,
    AgendaKind.REINTEGRATION_PLAN: JourneyAction.PLAN_REINTEGRATION,
    AgendaKind.REINTEGRATION_FOLLOW_UP: JourneyAction.RECORD_REINTEGRATION_ACTIVITY,
    AgendaKind.INCIDENT_RESPONSE: JourneyAction.RESOLVE_INCIDENT,
    AgendaKind.INDICATION_FOLLOW_UP: JourneyAction.RESOLVE_INDICATION,
    AgendaKind.DOCUMENT_EXPIRY: JourneyAction.RECORD_DOCUMENT,
}


def open_items(journey: Journey) -> list[OpenItem]:
    """Every open item of the journey, in a stable order."""
    stage = Stage(journey.stage)
    if stage not in _OPEN:
        return []  # closed or cancelled: nothing can be recorded, so nothing is due
    items: list[OpenItem] = []
    if stage is Stage.PLACEMENT:
        items.extend(_while_placed(journey))
    if stage in _AFTER_RETURN:
        items.extend(_after_return(journey))
    items.extend(_incidents(journey))
    items.extend(_indications(journey))
    if stage in _BEFORE_RETURN:
        items.extend(_documents(journey))
    items.extend(referral_items(getattr(journey, "referrals", ())))
    return items


def _while_placed(journey: Journey) -> Iterable[OpenItem]:
    """First check 30 days after departure, then every 90 days after the last one; the
    return is expected on the contract's end. Checks dated before the departure (a
    corrected departure date) do not count as checks abroad."""
    departure = journey.departure
    if departure is None:
        return
    departed = departure["departed_on"]
    checks = [c["occurred_on"] for c in journey.welfare_checks if c["occurred_on"] >= departed]
    if checks:
        last = max(checks)
        yield OpenItem(
            "welfare_check", AgendaKind.WELFARE_CHECK, "welfare_check.every", last, "last_check"
        )
    else:
        yield OpenItem(
            "welfare_check", AgendaKind.WELFARE_CHECK, "welfare_check.first", departed, "departure"
        )
    yield OpenItem(
        "expected_return",
        AgendaKind.EXPECTED_RETURN,
        "expected_return",
        departure["contract_end"],
        "contract_end",
    )


def _after_return(journey: Journey) -> Iterable[OpenItem]:
    """A plan 14 days after the return (until one is made); then a follow-up every 60 days
    after the latest plan or activity, until the journey closes."""
    returned = journey.return_home
    if returned is None:
        return
    plans = [p["occurred_on"] for p in journey.reintegration_plans]
    if not plans:
        yield OpenItem(
            "reintegration_plan",
            AgendaKind.REINTEGRATION_PLAN,
            "reintegration_plan",
            returned["returned_on"],
            "return",
        )
    activities = [a["occurred_on"] for a in journey.reintegration_activities]
    if plans or activities:
        last_plan = max(plans, default=None)
        last_activity = max(activities, default=None)
        if last_activity is not None and (last_plan is None or last_activity >= last_plan):
            anchor, reason = last_activity, "activity"
        else:
            assert last_plan is not None
            anchor, reason = last_plan, "plan"
        yield OpenItem(
            "reintegration_follow_up",
            AgendaKind.REINTEGRATION_FOLLOW_UP,
            "reintegration_follow_up",
            anchor,
            reason,
        )


def _incidents(journey: Journey) -> Iterable[OpenItem]:
    for incident in journey.incidents:
        if incident["resolution"] is None:
            rule = f"incident_response.{incident['severity']}"
            yield _numbered(
                "incident",
                incident["incident_id"],
                AgendaKind.INCIDENT_RESPONSE,
                rule,
                incident["occurred_on"],
                "reported",
            )


def _indications(journey: Journey) -> Iterable[OpenItem]:
    for indication in journey.indications:
        if indication["resolution"] is None:
            yield _numbered(
                "indication",
                indication["indication_id"],
                AgendaKind.INDICATION_FOLLOW_UP,
                "indication_follow_up",
                indication["occurred_on"],
                "raised",
            )


def _numbered(
    what: str, number: int, kind: AgendaKind, rule: str, anchor: date, reason: str
) -> OpenItem:
    """An item about one numbered thing of the journey (its subject, ``incident:2``)."""
    key = f"{what}:{number}"
    return OpenItem(key, kind, rule, anchor, reason, key)


def _documents(journey: Journey) -> Iterable[OpenItem]:
    """The newest document of each kind is the one that counts: recording a newer one
    renews it (and one without an expiry date ends the item). Documents of kind ``other``
    are different papers, each followed on its own."""
    newest: dict[str, date | None] = {}
    for document in journey.documents:
        kind = str(document["kind"])
        key = f"document:{kind}"
        if kind == DocumentKind.OTHER.value:
            key = f"document:{kind}:{document['document_id']}"
        newest[key] = document["expires_on"]
    for key, expires in newest.items():
        if expires is not None:
            yield OpenItem(
                key, AgendaKind.DOCUMENT_EXPIRY, "document_expiry", expires, "expires", key
            )


def referral_items(referrals: Iterable[Mapping[str, Any]]) -> Iterable[OpenItem]:
    """The hook for referrals (SPEC §8, not built yet): each open referral (no ``outcome``)
    is due on its own ``due_on``, or ``days`` after it was made. When the journey records
    referrals as entries with ``referral_id``, ``occurred_on``, ``due_on`` and ``outcome``,
    their items appear here with no other change to the agenda."""
    for referral in referrals:
        if referral.get("outcome") is not None:
            continue
        key = f"referral:{referral['referral_id']}"
        due = referral.get("due_on")
        if due is not None:
            yield OpenItem(
                key,
                AgendaKind.REFERRAL_RESPONSE,
                "referral_response.due_on",
                due,
                "referral_due",
                key,
            )
        else:
            yield OpenItem(
                key,
                AgendaKind.REFERRAL_RESPONSE,
                "referral_response.default",
                referral["occurred_on"],
                "referred",
                key,
            )
