"""Workers as a village officer's list sees them: one row per worker with their village, sex,
registration date, whether their data was erased, and their open journey (stage and flags).

No names, NIKs or birth dates: read models hold no personal data. The list shows names by
reading each worker on the page through the application, where every read is access-logged.
The open journey's stage and flags are read from the Journey aggregate after each event, so
they follow the domain's own rules (corrections included)."""

from __future__ import annotations

from typing import Any

from application.projections.journeys import JOURNEY_TOPICS, flags_of
from application.readmodels import (
    Column,
    EventEnvelope,
    Projection,
    Table,
    ViewSession,
    region_columns,
    region_values,
)
from domain.journey import Journey

WORKER_REGISTERED = "jejak:Worker.Registered"
WORKER_ERASED = "jejak:Worker.PersonalDataErased"
WORKER_TRANSFERRED = "jejak:Worker.TransferAccepted"


class WorkerRegister(Projection):
    name = "workers"
    version = 1
    topics = (WORKER_REGISTERED, WORKER_ERASED, WORKER_TRANSFERRED, *JOURNEY_TOPICS)
    aggregates = ("jejak:Journey.",)
    tables = (
        Table(
            "workers",
            (
                Column("worker_id"),
                *region_columns(),
                Column("sex"),
                Column("registered_on", "date"),
                Column("erased", "bool"),
                Column("journeys", "int"),
                Column("open_journey_id"),
                Column("open_stage"),
                Column("non_procedural", "bool"),
                Column("missing_documents", "int"),
                Column("open_incidents", "int"),
                Column("last_event_at"),
            ),
            key=("worker_id",),
            indexes=(
                ("village_code", "registered_on", "worker_id"),
                ("district_code", "registered_on", "worker_id"),
                ("regency_code", "registered_on", "worker_id"),
                ("province_code", "registered_on", "worker_id"),
            ),
        ),
    )

    def extract(self, aggregate: Any) -> dict[str, Any]:
        journey: Journey = aggregate
        flags = flags_of(journey)
        return {
            "worker_id": str(journey.worker_id),
            "is_open": journey.is_open,
            "stage": journey.stage,
            "non_procedural": flags.non_procedural,
            "missing_documents": len(flags.missing_documents),
            "open_incidents": sum(1 for i in journey.incidents if i["resolution"] is None),
        }

    def apply(self, envelope: EventEnvelope, view: ViewSession) -> None:
        event: Any = envelope.event
        recorded_at = envelope.recorded_at.isoformat()
        if envelope.topic == WORKER_REGISTERED:
            view.put(
                "workers",
                {
                    "worker_id": str(envelope.aggregate_id),
                    **region_values(event.village_code),
                    "sex": event.sex,
                    "registered_on": event.occurred_on,
                    "erased": False,
                    "journeys": 0,
                    "open_journey_id": None,
                    "open_stage": None,
                    "non_procedural": False,
                    "missing_documents": 0,
                    "open_incidents": 0,
                    "last_event_at": recorded_at,
                },
            )
            return
        if envelope.topic in (WORKER_ERASED, WORKER_TRANSFERRED):
            row = view.get("workers", (str(envelope.aggregate_id),))
            if row is not None:
                if envelope.topic == WORKER_ERASED:
                    row["erased"] = True
                else:  # the worker is in the receiving village's list from now on
                    row.update(region_values(event.to_village_code))
                row["last_event_at"] = recorded_at
                view.put("workers", row)
            return
        facts: dict[str, Any] = envelope.facts
        row = view.get("workers", (facts["worker_id"],))
        if row is None:
            return
        journey_id = str(envelope.aggregate_id)
        if envelope.version == 1:
            row["journeys"] = int(row["journeys"]) + 1
        if facts["is_open"]:
            row.update(
                open_journey_id=journey_id,
                open_stage=facts["stage"],
                non_procedural=facts["non_procedural"],
                missing_documents=facts["missing_documents"],
                open_incidents=facts["open_incidents"],
            )
        elif row["open_journey_id"] == journey_id:
            # Closed or cancelled: the worker has no open journey (and may open another).
            row.update(
                open_journey_id=None,
                open_stage=None,
                non_procedural=False,
                missing_documents=0,
                open_incidents=0,
            )
        row["last_event_at"] = recorded_at
        view.put("workers", row)
