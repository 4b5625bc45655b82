"""Transfers between villages as each side sees them, and moves in and out per region.

``transfers``: two rows per transfer, one for each side (``incoming``: the destination's
region columns; ``outgoing``: the origin's), so each side's list is a region filter on one
table. Rows hold ids, codes, dates and the status: no names, no reasons (the inbox reads
those from the worker, where each read is access-logged).

``moves``: accepted transfers per region level and year of acceptance, counted only at the
levels where the two villages differ: a move between two villages of one regency is a move
out of one district and into another, not out of and into the regency."""

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
from domain.regions import RegionCode
from domain.transfers import TransferStatus

REQUESTED = "jejak:Worker.TransferRequested"
WITHDRAWN = "jejak:Worker.TransferWithdrawn"
ACCEPTED = "jejak:Worker.TransferAccepted"
DECLINED = "jejak:Worker.TransferDeclined"
_STATUS_AFTER = {
    WITHDRAWN: TransferStatus.WITHDRAWN,
    ACCEPTED: TransferStatus.ACCEPTED,
    DECLINED: TransferStatus.DECLINED,
}
INCOMING = "incoming"
OUTGOING = "outgoing"


class TransferLedger(Projection):
    name = "transfers"
    version = 1
    topics = (REQUESTED, WITHDRAWN, ACCEPTED, DECLINED)
    tables = (
        Table(
            "transfers",
            (
                Column("transfer_id"),
                Column("side"),
                Column("worker_id"),
                *region_columns(),
                Column("from_village_code"),
                Column("to_village_code"),
                Column("status"),
                Column("requested_on", "date"),
                Column("requested_at"),
                Column("decided_on", "date"),
            ),
            key=("transfer_id", "side"),
            indexes=(
                ("side", "status", "village_code"),
                ("side", "status", "district_code"),
                ("side", "status", "regency_code"),
                ("side", "status", "province_code"),
                ("worker_id",),
            ),
        ),
        Table(
            "moves",
            (
                Column("region_code"),
                Column("parent_code"),
                Column("level", "int"),
                Column("year", "int"),
                Column("transfers_in", "int"),
                Column("transfers_out", "int"),
            ),
            key=("region_code", "year"),
            indexes=(("parent_code", "year"), ("level", "year")),
        ),
    )

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        event: Any = envelope.event
        transfer_id = str(event.transfer_id)
        if envelope.topic == REQUESTED:
            for side, village in (
                (INCOMING, event.to_village_code),
                (OUTGOING, event.from_village_code),
            ):
                view.put(
                    "transfers",
                    {
                        "transfer_id": transfer_id,
                        "side": side,
                        "worker_id": str(envelope.aggregate_id),
                        **region_values(village),
                        "from_village_code": event.from_village_code,
                        "to_village_code": event.to_village_code,
                        "status": TransferStatus.PENDING.value,
                        "requested_on": event.occurred_on,
                        "requested_at": envelope.recorded_at.isoformat(),
                        "decided_on": None,
                    },
                )
            return
        for side in (INCOMING, OUTGOING):
            row = view.get("transfers", (transfer_id, side))
            if row is not None:
                row.update(status=_STATUS_AFTER[envelope.topic].value, decided_on=event.occurred_on)
                view.put("transfers", row)
        if envelope.topic == ACCEPTED:
            _count_move(
                view, event.from_village_code, event.to_village_code, event.occurred_on.year
            )


def _count_move(view: ViewSession, origin: str, destination: str, year: int) -> None:
    for direction, village, other in (
        ("transfers_out", origin, destination),
        ("transfers_in", destination, origin),
    ):
        for code in RegionCode(village).ancestors():
            if code.covers(other):
                continue  # both villages are in this region: nobody came or went
            parent = code.ancestors()[-2].value if code.level > 1 else ""
            key = (code.value, year)
            row = view.get("moves", key) or {
                "region_code": code.value,
                "parent_code": parent,
                "level": int(code.level),
                "year": year,
                "transfers_in": 0,
                "transfers_out": 0,
            }
            row[direction] = int(row[direction]) + 1
            view.put("moves", row)
