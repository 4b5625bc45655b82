"""The agenda projection's row changes, on a view kept in memory: items open, move and close
with the journey's facts; versions a later day replaced are kept for ``as_of``; a journey that
changes village (a transfer, SPEC §8) moves its live items with its one journey row."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from application.projections.agenda import AgendaBoard
from application.readmodels import EventEnvelope, Key, Row

HERE = "35.07.12.2001"
THERE = "35.07.12.2002"


class MemoryView:
    """The ViewSession port in memory (a fake of the read-model store, for row changes)."""

    def __init__(self) -> None:
        self.specs = {table.name: table for table in AgendaBoard.tables}
        self.rows: dict[str, dict[Key, Row]] = {name: {} for name in self.specs}

    def get(self, table: str, key: Key) -> Row | None:
        row = self.rows[table].get(key)
        return None if row is None else dict(row)

    def put(self, table: str, row: Row) -> None:
        spec = self.specs[table]
        self.rows[table][tuple(row[c] for c in spec.key)] = {
            c: row.get(c) for c in spec.column_names()
        }

    def delete(self, table: str, key: Key) -> None:
        self.rows[table].pop(key, None)

    def add(self, table: str, key: Key, deltas: Any) -> None:
        raise NotImplementedError


def apply(
    view: MemoryView,
    journey: UUID,
    position: int,
    day: date,
    village: str,
    items: dict[str, list[Any]],
) -> None:
    recorded = datetime(day.year, day.month, day.day, 5, tzinfo=UTC)  # noon WIB
    envelope = EventEnvelope(
        position=position,
        aggregate_id=journey,
        version=position,
        topic="jejak:Journey.WelfareChecked",
        recorded_at=recorded,
        event=None,
        facts={"worker_id": "w-1", "village_code": village, "items": items},
    )
    AgendaBoard().apply(envelope, view)


def check(anchor: date) -> list[Any]:
    return ["welfare_check", "welfare_check.every", anchor.toordinal(), "last_check", None]


def test_an_item_moved_on_a_later_day_keeps_its_earlier_version() -> None:
    view, journey = MemoryView(), uuid4()
    apply(view, journey, 1, date(2025, 1, 10), HERE, {"welfare_check": check(date(2025, 1, 5))})
    apply(view, journey, 2, date(2025, 2, 20), HERE, {"welfare_check": check(date(2025, 2, 18))})
    (item,) = view.rows["items"].values()
    assert (item["anchor_day"], item["since_day"], item["since_position"]) == (
        date(2025, 2, 18).toordinal(),
        date(2025, 2, 20).toordinal(),
        2,
    )
    (old,) = view.rows["history"].values()
    assert (old["anchor_day"], old["since_day"], old["until_day"], old["village_code"]) == (
        date(2025, 1, 5).toordinal(),
        date(2025, 1, 10).toordinal(),
        date(2025, 2, 20).toordinal(),
        HERE,
    )


def test_a_version_replaced_the_day_it_was_recorded_is_not_kept() -> None:
    view, journey = MemoryView(), uuid4()
    apply(view, journey, 1, date(2025, 1, 10), HERE, {"welfare_check": check(date(2025, 1, 5))})
    apply(view, journey, 2, date(2025, 1, 10), HERE, {"welfare_check": check(date(2025, 1, 8))})
    assert view.rows["history"] == {}
    (item,) = view.rows["items"].values()
    assert item["anchor_day"] == date(2025, 1, 8).toordinal()


def test_an_event_that_changes_no_item_writes_nothing() -> None:
    view, journey = MemoryView(), uuid4()
    apply(view, journey, 1, date(2025, 1, 10), HERE, {"welfare_check": check(date(2025, 1, 5))})
    before = {name: dict(rows) for name, rows in view.rows.items()}
    apply(view, journey, 2, date(2025, 3, 1), HERE, {"welfare_check": check(date(2025, 1, 5))})
    assert view.rows == before


def test_a_village_change_moves_the_live_items_with_the_journey_row() -> None:
    view, journey = MemoryView(), uuid4()
    items = {
        "welfare_check": check(date(2025, 1, 5)),
        "incident:1": [
            "incident_response",
            "incident_response.high",
            739000,
            "reported",
            "incident:1",
        ],
    }
    apply(view, journey, 1, date(2025, 1, 10), HERE, items)
    apply(view, journey, 2, date(2025, 3, 1), THERE, items)
    (row,) = view.rows["journeys"].values()
    assert (row["village_code"], row["district_code"]) == (THERE, "35.07.12")
    assert "village_code" not in view.rows["items"][(str(journey), "welfare_check")]
    assert {r["since_day"] for r in view.rows["items"].values()} == {date(2025, 3, 1).toordinal()}
    # What was due in the old village until the move stays visible as of those days.
    assert {(r["item"], r["village_code"]) for r in view.rows["history"].values()} == {
        ("welfare_check", HERE),
        ("incident:1", HERE),
    }


def test_closing_every_item_drops_the_journey_row_and_keeps_the_history() -> None:
    view, journey = MemoryView(), uuid4()
    apply(view, journey, 1, date(2025, 1, 10), HERE, {"welfare_check": check(date(2025, 1, 5))})
    apply(view, journey, 2, date(2025, 4, 1), HERE, {})
    assert view.rows["journeys"] == {}
    assert view.rows["items"] == {}
    (old,) = view.rows["history"].values()
    assert old["until_day"] == date(2025, 4, 1).toordinal()
