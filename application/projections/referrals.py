"""Referrals as coordinators follow them, and the service directory.

``referrals``: one row per referral of a journey, with the region the case is in now (a
transferred case takes its open referrals along: the receiving village follows them up),
the agency, the service, the date the answer is due and the outcome. Rows are written
from the Journey aggregate after each referral, outcome, transfer or correction, so the
read model agrees with the case. No names of people, no reasons or notes: the agency's
name is an office's.

``agencies``: one row per agency of the directory, with the region columns down to its
own level (a province's BP3MI has no regency), so ``within`` finds agencies inside a
region and ``region_code`` those of the regions holding it."""

from __future__ import annotations

from typing import Any

from application.readmodels import (
    REGION_LEVEL_COLUMNS,
    Column,
    EventEnvelope,
    Projection,
    Table,
    ViewSession,
    region_columns,
    region_values,
)
from domain.journey import Journey

#: The journey events that change a referral row.
REFERRAL_TOPICS = (
    Journey.Referred.TOPIC,
    Journey.ReferralOutcomeRecorded.TOPIC,
    Journey.Transferred.TOPIC,
    Journey.Corrected.TOPIC,
)
AGENCY_REGISTERED = "jejak:Agency.Registered"
AGENCY_AMENDED = "jejak:Agency.Amended"


class ReferralBoard(Projection):
    name = "referrals"
    version = 1
    topics = REFERRAL_TOPICS
    aggregates = ("jejak:Journey.",)
    tables = (
        Table(
            "referrals",
            (
                Column("journey_id"),
                Column("referral_id", "int"),
                Column("worker_id"),
                *region_columns(),
                Column("service"),
                Column("agency_id"),
                Column("agency_kind"),
                Column("agency_name"),
                Column("referred_on", "date"),
                Column("due_on", "date"),
                Column("consent_given", "bool"),
                Column("status"),
                Column("outcome"),
                Column("outcome_on", "date"),
            ),
            key=("journey_id", "referral_id"),
            indexes=(
                ("regency_code", "status", "due_on"),
                ("province_code", "status", "due_on"),
                ("district_code", "status", "due_on"),
                ("village_code", "status", "due_on"),
                ("agency_id",),
            ),
        ),
    )

    def extract(self, aggregate: Any) -> dict[str, Any]:
        journey: Journey = aggregate
        return {
            "worker_id": str(journey.worker_id),
            "village_code": journey.village_code,
            "referrals": [
                {
                    "referral_id": r["referral_id"],
                    "service": r["service"],
                    "agency_id": None if r["agency_id"] is None else str(r["agency_id"]),
                    "agency_kind": r["agency_kind"],
                    "agency_name": r["agency_name"],
                    "referred_on": r["occurred_on"],
                    "due_on": r["due_on"],
                    "consent_given": r["consent_given"],
                    "status": "open" if r["outcome"] is None else "closed",
                    "outcome": None if r["outcome"] is None else r["outcome"]["outcome"],
                    "outcome_on": None if r["outcome"] is None else r["outcome"]["occurred_on"],
                }
                for r in journey.referral_list()
            ],
        }

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        facts: dict[str, Any] = envelope.facts
        regions = region_values(facts["village_code"])
        for referral in facts["referrals"]:
            view.put(
                "referrals",
                {
                    "journey_id": str(envelope.aggregate_id),
                    "worker_id": facts["worker_id"],
                    **regions,
                    **referral,
                },
            )


def agency_regions(code: str) -> dict[str, str | None]:
    """The four region columns of an agency's region: its own level and those above it."""
    parts = code.split(".")
    return {
        name: ".".join(parts[: level + 1]) if level < len(parts) else None
        for level, name in enumerate(REGION_LEVEL_COLUMNS)
    }


class ServiceDirectory(Projection):
    name = "agencies"
    version = 1
    topics = (AGENCY_REGISTERED, AGENCY_AMENDED)
    tables = (
        Table(
            "agencies",
            (
                Column("agency_id"),
                Column("name"),
                Column("kind"),
                Column("region_code"),
                Column("level", "int"),
                *region_columns(),
                Column("contact"),
                Column("registered_on", "date"),
            ),
            key=("agency_id",),
            indexes=(
                ("region_code",),
                ("province_code",),
                ("regency_code",),
                ("district_code",),
                ("village_code",),
            ),
        ),
    )

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        """An amendment replaces the entry; it was registered on the day it was."""
        event: Any = envelope.event
        agency_id = str(envelope.aggregate_id)
        before = view.get("agencies", (agency_id,))
        view.put(
            "agencies",
            {
                "agency_id": agency_id,
                "name": event.name,
                "kind": event.kind,
                "region_code": event.region_code,
                "level": event.region_code.count(".") + 1,
                **agency_regions(event.region_code),
                "contact": event.contact,
                "registered_on": event.occurred_on if before is None else before["registered_on"],
            },
        )
