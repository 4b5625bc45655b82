"""The Desmigratif village (Desa Migran Produktif): its designation, its officers and the
activities it holds for pillars 1 to 3. Pillar 4, the cooperative, is an aggregate of its own
(``domain.cooperative``).

A village is identified by its Kemendagri code, which is public, so its id is derived from the
code: designating the same village twice collides on the event store's primary key, race-free.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4, uuid5

from domain.errors import InvalidValue, RuleViolation
from domain.events import Actor, JejakAggregate, JejakCreated, JejakEvent
from domain.numbers import whole_number
from domain.regions import RegionCode
from domain.text import one_line

_VILLAGE_NAMESPACE = UUID("0b6d5c1e-2f3a-4e47-9a51-6c0f4d8e2b73")
_PILLAR_NAME = re.compile(r"^[a-z][a-z0-9_]{1,63}$")

#: The year the programme was piloted (two villages in 2016): no cohort is older.
FIRST_COHORT_YEAR = 2016
#: Most participants one village activity can have (a whole village's gathering).
MAX_PARTICIPANTS = 100_000
#: Most participants named by worker id in one activity.
MAX_NAMED_PARTICIPANTS = 500


@dataclass(frozen=True)
class Programme:
    """A village programme and the pillars its village activities belong to.

    Desmigratif (Permenaker 2/2019) and its successor after 2024 (KemenP2MI's Desa Migran
    Emas) have the same shape with other names, so pillars are data: a village remembers the
    programme and pillar list it was designated under, and a new programme is a new value
    here (or from configuration), not new branches in the code."""

    name: str
    activity_pillars: tuple[str, ...]

    def __post_init__(self) -> None:
        names = (self.name, *self.activity_pillars)
        if not self.activity_pillars or not all(_PILLAR_NAME.fullmatch(n) for n in names):
            msg = "a programme has a name and pillars in lower_snake_case"
            raise ValueError(msg)
        if len(set(self.activity_pillars)) != len(self.activity_pillars):
            msg = "a programme names each pillar once"
            raise ValueError(msg)


#: Pillars 1 to 3 of Desmigratif: the migration service centre, productive business and
#: community parenting. (Pillar 4, the cooperative, keeps its own books.)
DESMIGRATIF = Programme(
    name="desmigratif",
    activity_pillars=("migration_service", "productive_business", "community_parenting"),
)

#: The programmes villages can be designated under, by name.
PROGRAMMES: Mapping[str, Programme] = {DESMIGRATIF.name: DESMIGRATIF}


def village_id_for(code: RegionCode) -> UUID:
    """Village codes are public, so the id may be derived from one."""
    return uuid5(_VILLAGE_NAMESPACE, code.value)


class VillageNotDesignated(RuleViolation):
    code = "village_not_designated"
    template = "Village {village_code} is not a designated Desmigratif village: designate it first."


class OfficerAlreadyAssigned(RuleViolation):
    code = "officer_already_assigned"
    template = "{username} is already an officer of this village."


class UnknownPillar(InvalidValue):
    code = "unknown_pillar"
    template = "{field}: {reason}: {allowed}"


class TooFewParticipants(InvalidValue):
    code = "too_few_participants"
    template = "{field}: {reason} ({named} named)"


@dataclass(frozen=True)
class Activity:
    id: UUID
    pillar: str
    held_on: date
    title: str
    participants: int
    participant_worker_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class Officer:
    user_id: UUID
    username: str
    assigned_on: date


class Village(JejakAggregate):
    """A village designated into a programme, with its officers and pillar activities."""

    TOPIC = "jejak:Village"

    class Event(JejakEvent):
        pass

    class Designated(Event, JejakCreated):
        TOPIC = "jejak:Village.Designated"

        village_code: str
        cohort_year: int
        programme: str
        pillars: list[str]

        def apply(self, village: Any) -> None:
            village.village_code = self.village_code
            village.cohort_year = self.cohort_year
            village.programme = self.programme
            village.pillars = tuple(self.pillars)
            village.designated_on = self.occurred_on
            village.officers = []
            village.activities = []

    class OfficerAssigned(Event):
        TOPIC = "jejak:Village.OfficerAssigned"

        officer_id: UUID
        username: str

        def apply(self, village: Any) -> None:
            village.officers.append(Officer(self.officer_id, self.username, self.occurred_on))

    class ActivityHeld(Event):
        TOPIC = "jejak:Village.ActivityHeld"

        activity_id: UUID
        pillar: str
        title: str
        participants: int
        participant_worker_ids: list[UUID]

        def apply(self, village: Any) -> None:
            village.activities.append(
                Activity(
                    id=self.activity_id,
                    pillar=self.pillar,
                    held_on=self.occurred_on,
                    title=self.title,
                    participants=self.participants,
                    participant_worker_ids=tuple(self.participant_worker_ids),
                )
            )

    if TYPE_CHECKING:  # state set by the events' apply(); the metaclass would turn
        # class annotations into required __init__ parameters.
        village_code: str
        cohort_year: int
        programme: str
        pillars: tuple[str, ...]
        designated_on: date
        officers: list[Officer]
        activities: list[Activity]

    @classmethod
    def designate(
        cls,
        *,
        code: RegionCode,
        cohort_year: int,
        programme: Programme,
        actor: Actor,
        occurred_on: date,
    ) -> Village:
        """Designates a village into the programme's cohort of a year. The cohort may be the
        coming year (decided ahead) but not older than the programme's pilot."""
        cohort_year = whole_number(cohort_year, "cohort_year", reason="must be a year like 2019")
        if cohort_year < FIRST_COHORT_YEAR:
            raise InvalidValue(
                field="cohort_year", reason="the programme began with the 2016 pilot"
            )
        if cohort_year > occurred_on.year + 1:
            raise InvalidValue(field="cohort_year", reason="is too far in the future")
        return cls._start(
            cls.Designated,
            id=village_id_for(code),
            actor=actor,
            occurred_on=occurred_on,
            village_code=code.value,
            cohort_year=cohort_year,
            programme=programme.name,
            pillars=list(programme.activity_pillars),
        )

    def assign_officer(
        self, *, officer_id: UUID, username: str, actor: Actor, occurred_on: date
    ) -> None:
        if any(officer.user_id == officer_id for officer in self.officers):
            raise OfficerAlreadyAssigned(username=username)
        self._record(
            self.OfficerAssigned,
            actor=actor,
            occurred_on=occurred_on,
            officer_id=officer_id,
            username=username,
        )

    def hold_activity(
        self,
        *,
        pillar: str,
        held_on: date,
        title: str,
        participants: int,
        participant_worker_ids: Sequence[UUID],
        actor: Actor,
    ) -> UUID:
        """Records an activity of one of the village's pillars. ``participants`` counts
        everyone who took part; the workers named by id are some of them (children and
        neighbours are counted, not named)."""
        if pillar not in self.pillars:
            raise UnknownPillar(
                field="pillar",
                reason="not an activity pillar of the village's programme",
                allowed=", ".join(self.pillars),
            )
        participants = whole_number(participants, "participants", reason="must be a whole number")
        if participants < 1:
            raise InvalidValue(field="participants", reason="must be at least 1")
        if participants > MAX_PARTICIPANTS:
            raise InvalidValue(field="participants", reason="is more than a village can gather")
        named = tuple(participant_worker_ids)
        if len(named) > MAX_NAMED_PARTICIPANTS:
            raise InvalidValue(field="participant_worker_ids", reason="names at most 500 workers")
        if len(set(named)) != len(named):
            raise InvalidValue(
                field="participant_worker_ids", reason="names the same worker more than once"
            )
        if participants < len(named):
            raise TooFewParticipants(
                field="participants",
                reason="cannot be fewer than the workers named",
                named=len(named),
            )
        activity_id = uuid4()
        self._record(
            self.ActivityHeld,
            actor=actor,
            occurred_on=held_on,
            activity_id=activity_id,
            pillar=pillar,
            title=one_line(title, "title"),
            participants=participants,
            participant_worker_ids=list(named),
        )
        return activity_id

    def activity_counts(self) -> dict[str, int]:
        """Activities held per pillar, every pillar listed (zero when none yet)."""
        counts = dict.fromkeys(self.pillars, 0)
        for activity in self.activities:
            counts[activity.pillar] = counts.get(activity.pillar, 0) + 1
        return counts
