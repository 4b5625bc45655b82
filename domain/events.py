"""What every Jejak event carries, and the aggregate base that records it.

eventsourcing 9.5.6 has no per-event metadata, so who recorded an event, in which role, and
on which date the fact happened in the world live in the event itself. The library stamps
``timestamp`` (the recording time, UTC) on every event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Self, TypeVar
from uuid import UUID

from eventsourcing.domain import AggregateCreated, AggregateEvent, BaseAggregate

from domain.dates import WIB
from domain.vocabularies import Vocabulary

#: What a personal field reads as once its owner's key has been destroyed.
ERASED = "[erased]"

#: The actor of events recorded by the service itself (the first admin, demo data).
SYSTEM_ACTOR_ID = UUID("00000000-0000-0000-0000-000000000000")


T = TypeVar("T")

#: Value classes held in aggregate state, by stable name: snapshots store them by this name,
#: so like topics the names are schema (see ``state_class``).
STATE_CLASSES: dict[str, type[Any]] = {}


def state_class(name: str) -> Any:
    """Registers a dataclass held in aggregate state so snapshots can store it by name."""

    def register(cls: type[T]) -> type[T]:
        if STATE_CLASSES.setdefault(name, cls) is not cls:
            msg = f"state class name {name!r} is already taken"
            raise ValueError(msg)
        return cls

    return register


class Role(Vocabulary):
    OFFICER = "officer"
    COORDINATOR = "coordinator"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who records an event: a user of the service, in the role they held when they did."""

    user_id: UUID
    role: Role


SYSTEM = Actor(SYSTEM_ACTOR_ID, Role.SYSTEM)


def is_backdated(occurred_on: date | None, recorded_at: datetime) -> bool:
    """Recorded on a later day (on the officers' calendar) than it happened."""
    return occurred_on is not None and occurred_on < recorded_at.astimezone(WIB).date()


class JejakEvent(AggregateEvent):
    """Base of every stored event.

    ``PERSONAL_FIELDS`` names the fields that hold personal data (UU 27/2022) and what each
    reads as after erasure; the persistence layer encrypts them with the key of the person
    named by ``PERSONAL_SUBJECT`` (an attribute of the event holding that person's id).
    """

    PERSONAL_FIELDS: ClassVar[Mapping[str, object]] = {}
    PERSONAL_SUBJECT: ClassVar[str] = "originator_id"
    #: Fields never shown to anyone, auditors included (password hashes).
    SECRET_FIELDS: ClassVar[frozenset[str]] = frozenset()

    actor_id: UUID
    actor_role: str
    occurred_on: date

    #: Where an imported event came from (``{"sha256", "sheet", "row"}`` of the file), set
    #: by the import on its events before they are saved, so the source is stored inside
    #: the hash chain. Deliberately not a dataclass field: events recorded by hand, and
    #: every event stored before imports existed, have no such key in their stored state
    #: and read as ``None``; no stored shape changes, so no upcaster is needed.
    imported_from: ClassVar[Mapping[str, Any] | None] = None


class JejakCreated(JejakEvent, AggregateCreated):
    """Base of the first event of every aggregate."""


class JejakAggregate(BaseAggregate[UUID]):
    """An aggregate whose events all carry the actor and ``occurred_on``.

    Subclasses set ``TOPIC`` and a ``TOPIC`` on each event class: stored names are schema,
    so code can be moved without breaking stored histories.
    """

    @classmethod
    def _start(
        cls,
        event_class: type[JejakCreated],
        *,
        id: UUID,
        actor: Actor,
        occurred_on: date,
        **kwargs: Any,
    ) -> Self:
        return cls._create(
            event_class,
            id=id,
            actor_id=actor.user_id,
            actor_role=actor.role.value,
            occurred_on=occurred_on,
            **kwargs,
        )

    def _record(
        self,
        event_class: type[JejakEvent],
        *,
        actor: Actor,
        occurred_on: date,
        **kwargs: Any,
    ) -> None:
        self.trigger_event(
            event_class,
            actor_id=actor.user_id,
            actor_role=actor.role.value,
            occurred_on=occurred_on,
            **kwargs,
        )
