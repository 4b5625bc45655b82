"""The index of every worker's journeys, for journeys stored before it existed.

Since schema version 3 each journey's opening claims ``worker_journey`` (its id, owned by
its worker) in the transaction that stores it, and an accepted transfer moves the journeys
that index names. A store from before has journeys without that claim: the upgrade indexes
them from their ``Opened`` events (whose worker id is stored in clear), so an acceptance
never depends on a read model having caught up."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from application.journeys import WORKER_JOURNEY_CLAIM
from domain.journey.events import Opened
from infrastructure.db import Database
from infrastructure.mapper import PersonalDataMapper

if TYPE_CHECKING:
    from application.app import JejakApplication

BATCH = 5_000


def index_journeys(app: JejakApplication, db: Database, claims_table: str) -> int:
    """Claims the index entry of every stored journey that has none; returns how many."""
    mapper = app.mapper
    assert isinstance(mapper, PersonalDataMapper)
    public = mapper.public()  # ids only: no person's key is needed, nor fetched
    now = datetime.now(UTC).isoformat()
    indexed, start = 0, 1
    while True:
        opened = app.recorder.select_notifications(start, BATCH, topics=[Opened.TOPIC])
        if not opened:
            return indexed
        rows = [
            (
                WORKER_JOURNEY_CLAIM,
                str(notification.originator_id),
                str(public.to_domain_event(notification).worker_id),  # type: ignore[attr-defined]
                now,
            )
            for notification in opened
        ]
        with db.transaction() as tx:
            for row in rows:
                indexed += tx.execute(
                    f"INSERT INTO {claims_table} (kind, key, owner_id, claimed_at) "  # noqa: S608
                    "VALUES (?, ?, ?, ?) ON CONFLICT (kind, key) DO NOTHING",
                    row,
                )
        start = opened[-1].id + 1
