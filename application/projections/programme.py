"""The village programme at a glance: cooperatives' books and pillar activity."""

from __future__ import annotations

from typing import Any

from application.readmodels import (
    Column,
    EventEnvelope,
    Projection,
    Table,
    ViewSession,
    region_columns,
    region_values,
)

COOPERATIVE = "jejak:Cooperative."
VILLAGE_ACTIVITY = "jejak:Village.ActivityHeld"
VILLAGE_DESIGNATED = "jejak:Village.Designated"


class CooperativeBooks(Projection):
    """One row per cooperative: members, savings by kind, loans and what is still owed."""

    name = "cooperatives"
    version = 1
    topics = (
        "jejak:Cooperative.Established",
        "jejak:Cooperative.MemberAdmitted",
        "jejak:Cooperative.MemberWithdrew",
        "jejak:Cooperative.SavingsDeposited",
        "jejak:Cooperative.SavingsWithdrawn",
        "jejak:Cooperative.LoanDisbursed",
        "jejak:Cooperative.LoanRepaid",
        "jejak:Cooperative.BusinessUnitOpened",
        "jejak:Cooperative.AnnualMeetingHeld",
    )
    tables = (
        Table(
            "cooperatives",
            (
                Column("cooperative_id"),
                Column("name"),
                *region_columns(),
                Column("established_on", "date"),
                Column("members_active", "int"),
                Column("members_total", "int"),
                Column("savings_pokok", "int"),
                Column("savings_wajib", "int"),
                Column("savings_sukarela", "int"),
                Column("loans", "int"),
                Column("loans_principal", "int"),
                Column("loans_repaid", "int"),
                Column("loans_outstanding", "int"),
                Column("business_units", "int"),
                Column("last_meeting_on", "date"),
                Column("last_event_at"),
            ),
            key=("cooperative_id",),
            indexes=(("regency_code",), ("district_code",), ("village_code",), ("province_code",)),
        ),
    )

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        event: Any = envelope.event
        key = (str(envelope.aggregate_id),)
        kind = envelope.topic.removeprefix(COOPERATIVE)
        if kind == "Established":
            view.put(
                "cooperatives",
                {
                    "cooperative_id": key[0],
                    "name": event.name,
                    **region_values(event.village_code),
                    "established_on": event.occurred_on,
                    "members_active": 0,
                    "members_total": 0,
                    "savings_pokok": 0,
                    "savings_wajib": 0,
                    "savings_sukarela": 0,
                    "loans": 0,
                    "loans_principal": 0,
                    "loans_repaid": 0,
                    "loans_outstanding": 0,
                    "business_units": 0,
                    "last_meeting_on": None,
                    "last_event_at": envelope.recorded_at.isoformat(),
                },
            )
            return
        deltas: dict[str, int] = {}
        if kind == "MemberAdmitted":
            deltas = {"members_active": 1, "members_total": 1}
        elif kind == "MemberWithdrew":
            deltas = {"members_active": -1}
            for savings_kind, amount in dict(event.refunded).items():
                deltas[f"savings_{savings_kind}"] = -int(amount)
        elif kind == "SavingsDeposited":
            deltas = {f"savings_{event.kind}": int(event.amount)}
        elif kind == "SavingsWithdrawn":
            deltas = {f"savings_{event.kind}": -int(event.amount)}
        elif kind == "LoanDisbursed":
            deltas = {
                "loans": 1,
                "loans_principal": int(event.principal),
                "loans_outstanding": int(event.principal),
            }
        elif kind == "LoanRepaid":
            deltas = {"loans_repaid": int(event.amount), "loans_outstanding": -int(event.amount)}
        elif kind == "BusinessUnitOpened":
            deltas = {"business_units": 1}
        row = view.get("cooperatives", key)
        if row is None:
            return
        for column, delta in deltas.items():
            row[column] = int(row[column] or 0) + delta
        if kind == "AnnualMeetingHeld":
            row["last_meeting_on"] = event.occurred_on
        row["last_event_at"] = envelope.recorded_at.isoformat()
        view.put("cooperatives", row)


class PillarActivity(Projection):
    """Activities and participants per village, month and pillar."""

    name = "pillar_activity"
    version = 1
    topics = (VILLAGE_DESIGNATED, VILLAGE_ACTIVITY)
    tables = (
        Table(
            "villages",
            (
                Column("village_id"),
                *region_columns(),
                Column("cohort_year", "int"),
                Column("programme"),
            ),
            key=("village_id",),
        ),
        Table(
            "activity",
            (
                *region_columns(),
                Column("year", "int"),
                Column("month"),
                Column("pillar"),
                Column("activities", "int"),
                Column("participants", "int"),
            ),
            key=("village_code", "month", "pillar"),
            indexes=(
                ("year", "regency_code"),
                ("year", "district_code"),
                ("year", "province_code"),
            ),
        ),
    )

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        event: Any = envelope.event
        if envelope.topic == VILLAGE_DESIGNATED:
            view.put(
                "villages",
                {
                    "village_id": str(envelope.aggregate_id),
                    **region_values(event.village_code),
                    "cohort_year": event.cohort_year,
                    "programme": event.programme,
                },
            )
            return
        known = view.get("villages", (str(envelope.aggregate_id),))
        if known is None:
            msg = f"activity at position {envelope.position} belongs to no designated village"
            raise ValueError(msg)
        village = str(known["village_code"])
        held = event.occurred_on
        month = f"{held.year:04d}-{held.month:02d}"
        key = (village, month, event.pillar)
        row = view.get("activity", key)
        if row is None:
            row = {
                **region_values(village),
                "year": held.year,
                "month": month,
                "pillar": event.pillar,
                "activities": 0,
                "participants": 0,
            }
        row["activities"] = int(row["activities"]) + 1
        row["participants"] = int(row["participants"]) + int(event.participants)
        view.put("activity", row)
