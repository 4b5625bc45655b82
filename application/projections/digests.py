"""Who may be sent a daily digest: one row per user who chose digest preferences, with
whether they opted out and which kinds of address they gave (never the addresses: those
stay sealed in the events, read only when a digest is sent)."""

from __future__ import annotations

from typing import Any

from application.readmodels import Column, EventEnvelope, Projection, Table, ViewSession

PREFERENCE_TOPICS = ("jejak:DigestPreferences.Chosen", "jejak:DigestPreferences.Changed")


class DigestSubscribers(Projection):
    name = "digest_subscribers"
    version = 1
    topics = PREFERENCE_TOPICS
    tables = (
        Table(
            "subscribers",
            (
                Column("user_id"),
                Column("opted_out", "bool"),
                Column("email_set", "bool"),
                Column("phone_set", "bool"),
                Column("changed_at"),
            ),
            key=("user_id",),
            indexes=(("opted_out", "user_id"),),
        ),
    )

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        event: Any = envelope.event
        view.put(
            "subscribers",
            {
                "user_id": str(event.user_id),
                "opted_out": bool(event.opted_out),
                "email_set": bool(event.email_set),
                "phone_set": bool(event.phone_set),
                "changed_at": envelope.recorded_at.isoformat(),
            },
        )
