"""The agenda read model: one row per open item, with the date its clock starts from and the
rule that counts from it, plus every earlier version of each item for ``as_of``.

Items come from the Journey aggregate after each event (``domain.agenda.open_items``, the
domain's own state, corrections and backdated entries included), so the read model cannot
disagree with the case. Due dates are not stored: the query adds the figures of the rules in
force to each item's anchor, so a new rule version applies to every item at once, with no
rewrite, and ``as_of`` uses the rules of its own date exactly.

Tables:
- ``journeys``: one row per journey with open items: its worker and region (held once, so a
  village change, a transfer of SPEC §8, is one update for the live agenda) and its items.
- ``items``: one row per open item; joined to its journey row for region and worker.
- ``history``: versions of items that a later event moved or closed, with the (WIB) days
  they were known from and until, and the region they were in: what ``as_of`` reads. A
  version replaced on the day it was recorded is never anyone's "as of" and is not kept.

Per event the projection reads one row (the journey's) and writes only what changed."""

from __future__ import annotations

from typing import Any

from application.projections.journeys import JOURNEY_TOPICS
from application.readmodels import (
    Column,
    EventEnvelope,
    Projection,
    Table,
    ViewSession,
    region_columns,
    region_values,
)
from domain.agenda import open_items
from domain.dates import WIB
from domain.journey import Journey

#: (kind, rule, anchor day number, reason, subject, since position, since day number)
Version = list[Any]
SPEC_LENGTH = 5


def _item_columns() -> tuple[Column, ...]:
    return (
        Column("kind"),
        Column("rule"),
        Column("anchor_day", "int"),
        Column("reason"),
        Column("subject"),
        Column("since_day", "int"),
    )


class AgendaBoard(Projection):
    name = "agenda"
    version = 1
    topics = JOURNEY_TOPICS
    aggregates = ("jejak:Journey.",)
    tables = (
        Table(
            "journeys",
            (
                Column("journey_id"),
                Column("worker_id"),
                *region_columns(),
                Column("items", "json"),
            ),
            key=("journey_id",),
            indexes=(("village_code",), ("district_code",), ("regency_code",), ("province_code",)),
        ),
        Table(
            "items",
            (
                Column("journey_id"),
                Column("item"),
                *_item_columns(),
                Column("since_position", "int"),
            ),
            key=("journey_id", "item"),
        ),
        Table(
            "history",
            (
                Column("journey_id"),
                Column("item"),
                Column("since_position", "int"),
                Column("worker_id"),
                *region_columns(),
                *_item_columns(),
                Column("until_day", "int"),
            ),
            key=("journey_id", "item", "since_position"),
            indexes=(
                ("village_code", "until_day"),
                ("district_code", "until_day"),
                ("regency_code", "until_day"),
                ("province_code", "until_day"),
            ),
        ),
    )

    def extract(self, aggregate: Any) -> dict[str, Any]:
        journey: Journey = aggregate
        return {
            "worker_id": str(journey.worker_id),
            "village_code": journey.village_code,
            "items": {item.key: list(item.as_row()) for item in open_items(journey)},
        }

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        facts: dict[str, Any] = envelope.facts
        journey_id = str(envelope.aggregate_id)
        row = view.get("journeys", (journey_id,))
        wanted: dict[str, list[Any]] = facts["items"]
        if row is None and not wanted:
            return
        before: dict[str, Version] = row["items"] if row is not None else {}
        today = envelope.recorded_at.astimezone(WIB).date().toordinal()
        moved = row is not None and row["village_code"] != facts["village_code"]
        kept: dict[str, Version] = {}
        for key, spec in wanted.items():
            old = before.get(key)
            if old is not None and not moved and old[:SPEC_LENGTH] == spec:
                kept[key] = old
                continue
            if old is not None:
                _retire(view, row, journey_id, key, old, today)
            kept[key] = [*spec, envelope.position, today]
            _open(view, journey_id, key, kept[key])
        for key, old in before.items():
            if key not in wanted:
                _retire(view, row, journey_id, key, old, today)
                view.delete("items", (journey_id, key))
        if kept == before and not moved:
            return
        if not kept:
            view.delete("journeys", (journey_id,))
            return
        view.put(
            "journeys",
            {
                "journey_id": journey_id,
                "worker_id": facts["worker_id"],
                **region_values(facts["village_code"]),
                "items": kept,
            },
        )


def _open(view: ViewSession, journey_id: str, key: str, version: Version) -> None:
    kind, rule, anchor, reason, subject, position, day = version
    view.put(
        "items",
        {
            "journey_id": journey_id,
            "item": key,
            "kind": kind,
            "rule": rule,
            "anchor_day": anchor,
            "reason": reason,
            "subject": subject,
            "since_day": day,
            "since_position": position,
        },
    )


def _retire(
    view: ViewSession,
    journey: dict[str, Any] | None,
    journey_id: str,
    key: str,
    version: Version,
    today: int,
) -> None:
    """Keeps a version a later event replaced, with the region it was in, unless it was
    replaced on the day it was recorded (no "as of" date ever saw it)."""
    kind, rule, anchor, reason, subject, position, since = version
    if journey is None or since >= today:
        return
    view.put(
        "history",
        {
            "journey_id": journey_id,
            "item": key,
            "since_position": position,
            "worker_id": journey["worker_id"],
            "province_code": journey["province_code"],
            "regency_code": journey["regency_code"],
            "district_code": journey["district_code"],
            "village_code": journey["village_code"],
            "kind": kind,
            "rule": rule,
            "anchor_day": anchor,
            "reason": reason,
            "subject": subject,
            "since_day": since,
            "until_day": today,
        },
    )
