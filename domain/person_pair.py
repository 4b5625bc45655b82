"""Two registered workers a coordinator has declared to be different people.

Registration and imports warn about possible duplicates (the same birth date and a similar
name in one regency, or a NIK one digit or one swap away). When a coordinator has checked
that the two records are two people, the pair is recorded once, as an event, and is not
raised again. The pair's id is derived from the two worker ids, so a second declaration of
the same pair collides on the event store's primary key, race-free."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from domain.errors import InvalidValue
from domain.events import Actor, JejakAggregate, JejakCreated, JejakEvent
from domain.text import one_line

_PAIR_NAMESPACE = UUID("6f1d2a4c-8b3e-4c5d-9e7f-1a2b3c4d5e6f")


def pair_id_for(first: UUID, second: UUID) -> UUID:
    """The same id whichever worker is named first."""
    low, high = sorted((str(first), str(second)))
    return uuid5(_PAIR_NAMESPACE, f"{low}:{high}")


class PersonPair(JejakAggregate):
    """Holds only ids: which two workers are distinct, who said so, and why."""

    TOPIC = "jejak:PersonPair"

    class Event(JejakEvent):
        pass

    class DeclaredDistinct(Event, JejakCreated):
        TOPIC = "jejak:PersonPair.DeclaredDistinct"

        worker_ids: list[UUID]
        reason: str

        def apply(self, pair: Any) -> None:
            pair.worker_ids = tuple(self.worker_ids)
            pair.reason = self.reason

    if TYPE_CHECKING:
        worker_ids: tuple[UUID, UUID]
        reason: str

    @classmethod
    def declare_distinct(
        cls, *, first: UUID, second: UUID, reason: str, actor: Actor, occurred_on: date
    ) -> PersonPair:
        if first == second:
            raise InvalidValue(field="worker_ids", reason="names the same worker twice")
        low, high = sorted((first, second), key=str)
        return cls._start(
            cls.DeclaredDistinct,
            id=pair_id_for(first, second),
            actor=actor,
            occurred_on=occurred_on,
            worker_ids=[low, high],
            reason=one_line(reason, "reason", 500),
        )
