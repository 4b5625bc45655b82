"""Who recorded what: every event by the user who recorded it, for auditors."""

from __future__ import annotations

from datetime import date
from typing import Any

from application.readmodels import Column, EventEnvelope, Projection, Table, ViewSession


def event_type(topic: str) -> str:
    """``jejak:Journey.Departed`` → ``Journey.Departed``."""
    return topic.split(":", 1)[-1]


class ActorActivity(Projection):
    name = "activity"
    version = 1
    topics = ()
    tables = (
        Table(
            "events",
            (
                Column("actor_id"),
                Column("position", "int"),
                Column("actor_role"),
                Column("aggregate_id"),
                Column("version", "int"),
                Column("type"),
                Column("occurred_on", "date"),
                Column("recorded_at"),
            ),
            key=("actor_id", "position"),
            indexes=(("actor_id", "recorded_at"),),
        ),
    )

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        event: Any = envelope.event
        actor_id = getattr(event, "actor_id", None)
        if actor_id is None:
            return
        occurred: date | None = getattr(event, "occurred_on", None)
        view.put(
            "events",
            {
                "actor_id": str(actor_id),
                "position": envelope.position,
                "actor_role": getattr(event, "actor_role", None),
                "aggregate_id": str(envelope.aggregate_id),
                "version": envelope.version,
                "type": event_type(envelope.topic),
                "occurred_on": occurred,
                "recorded_at": envelope.recorded_at.isoformat(),
            },
        )
