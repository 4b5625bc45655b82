"""The worker (calon PMI / PMI): one per person, registered by a village officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from domain.dates import age_on
from domain.errors import InvalidValue, RuleViolation
from domain.events import ERASED, Actor, JejakAggregate, JejakCreated, JejakEvent, state_class
from domain.nik import Nik
from domain.regions import RegionCode, village_code
from domain.text import collapsed, person_name, visible
from domain.transfers import (
    TransferAccepted,
    TransferDeclined,
    TransferRequested,
    TransferWithdrawn,
    WorkerTransfers,
)
from domain.vocabularies import Vocabulary


class Sex(Vocabulary):
    LAKI_LAKI = "L"
    PEREMPUAN = "P"


class Relationship(Vocabulary):
    CHILD = "child"
    SPOUSE = "spouse"
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER = "other"


class UnderLegalHold(RuleViolation):
    code = "under_legal_hold"
    template = "This worker's data is under a legal hold ({reason}); lift the hold before erasing."


class NotUnderLegalHold(RuleViolation):
    code = "not_under_legal_hold"
    template = "This worker's data is not under a legal hold."


class WorkerErased(RuleViolation):
    code = "worker_erased"
    template = "The personal data of this worker has been erased; nothing more can be recorded."


@state_class("jejak:Worker.Dependent")
@dataclass
class Dependent:
    id: UUID
    name: str
    birth_date: date | None
    relationship: str


class Worker(JejakAggregate, WorkerTransfers):
    """A person who may migrate for work, with the dependents the programme cares for, and
    the transfers that move them (and their case) between villages (``domain.transfers``)."""

    TOPIC = "jejak:Worker"
    #: Snapshots of a worker are sealed with the worker's own key ("id": the aggregate's).
    PERSONAL_SUBJECT_ATTRIBUTE = "id"

    class Event(JejakEvent):
        pass

    class Registered(Event, JejakCreated):
        TOPIC = "jejak:Worker.Registered"
        PERSONAL_FIELDS = {"nik": ERASED, "full_name": ERASED, "birth_date": None, "phone": None}

        nik: str
        full_name: str
        sex: str
        birth_date: date | None
        village_code: str
        phone: str | None

        def apply(self, worker: Any) -> None:
            worker.nik = self.nik
            worker.full_name = self.full_name
            worker.sex = self.sex
            worker.birth_date = self.birth_date
            worker.village_code = self.village_code
            worker.phone = self.phone
            worker.dependents = []
            worker.erased = False
            worker.legal_hold = None

    class ContactUpdated(Event):
        TOPIC = "jejak:Worker.ContactUpdated"
        PERSONAL_FIELDS = {"phone": None}

        phone: str | None

        def apply(self, worker: Any) -> None:
            worker.phone = self.phone

    class DependentAdded(Event):
        TOPIC = "jejak:Worker.DependentAdded"
        PERSONAL_FIELDS = {"name": ERASED, "birth_date": None}

        dependent_id: UUID
        name: str
        birth_date: date | None
        relationship: str

        def apply(self, worker: Any) -> None:
            worker.dependents.append(
                Dependent(self.dependent_id, self.name, self.birth_date, self.relationship)
            )

    class LegalHoldPlaced(Event):
        """A pending case or archive duty (UU 27/2022) keeps the data from erasure."""

        TOPIC = "jejak:Worker.LegalHoldPlaced"

        reason: str

        def apply(self, worker: Any) -> None:
            worker.legal_hold = self.reason

    class LegalHoldLifted(Event):
        TOPIC = "jejak:Worker.LegalHoldLifted"

        reason: str

        def apply(self, worker: Any) -> None:
            worker.legal_hold = None

    class PersonalDataErased(Event):
        """The person's key is destroyed; this event holds no personal data itself."""

        TOPIC = "jejak:Worker.PersonalDataErased"

        reason: str

        def apply(self, worker: Any) -> None:
            worker.erased = True
            worker.nik = ERASED
            worker.full_name = ERASED
            worker.birth_date = None
            worker.phone = None
            for dependent in worker.dependents:
                dependent.name = ERASED
                dependent.birth_date = None

    # Transfers between villages: the library takes an aggregate's events from its class
    # attributes, so naming them here makes them the worker's.
    TransferRequested = TransferRequested
    TransferWithdrawn = TransferWithdrawn
    TransferAccepted = TransferAccepted
    TransferDeclined = TransferDeclined

    if TYPE_CHECKING:  # state set by the events' apply(); the metaclass would turn
        # class annotations into required __init__ parameters.
        nik: str
        full_name: str
        sex: str
        birth_date: date | None
        village_code: str
        phone: str | None
        dependents: list[Dependent]
        erased: bool
        legal_hold: str | None

    @classmethod
    def register(
        cls,
        *,
        nik: Nik,
        full_name: str,
        sex: Sex,
        birth_date: date,
        village: RegionCode,
        phone: str | None,
        actor: Actor,
        today: date,
    ) -> Worker:
        """Registers a person; the NIK must agree with the birth date and sex given."""
        nik.check_matches(birth_date=birth_date, sex=sex.value)
        if birth_date > today:
            raise InvalidValue(field="birth_date", reason="cannot be in the future")
        village = village_code(village.value)
        return cls._start(
            cls.Registered,
            id=uuid4(),
            actor=actor,
            occurred_on=today,
            nik=nik.digits,
            full_name=_name(full_name, "full_name"),
            sex=sex.value,
            birth_date=birth_date,
            village_code=village.value,
            phone=phone,
        )

    def update_contact(self, *, phone: str | None, actor: Actor, occurred_on: date) -> None:
        self._check_not_erased()
        self._record(self.ContactUpdated, actor=actor, occurred_on=occurred_on, phone=phone)

    def add_dependent(
        self,
        *,
        name: str,
        birth_date: date,
        relationship: Relationship,
        actor: Actor,
        occurred_on: date,
    ) -> UUID:
        self._check_not_erased()
        if birth_date > occurred_on:
            raise InvalidValue(field="birth_date", reason="cannot be after the date recorded")
        dependent_id = uuid4()
        self._record(
            self.DependentAdded,
            actor=actor,
            occurred_on=occurred_on,
            dependent_id=dependent_id,
            name=_name(name, "name"),
            birth_date=birth_date,
            relationship=relationship.value,
        )
        return dependent_id

    def place_legal_hold(self, *, reason: str, actor: Actor, occurred_on: date) -> None:
        self._check_not_erased()
        self._record(
            self.LegalHoldPlaced, actor=actor, occurred_on=occurred_on, reason=_reason(reason)
        )

    def lift_legal_hold(self, *, reason: str, actor: Actor, occurred_on: date) -> None:
        if self.legal_hold is None:
            raise NotUnderLegalHold()
        self._record(
            self.LegalHoldLifted, actor=actor, occurred_on=occurred_on, reason=_reason(reason)
        )

    def erase_personal_data(self, *, reason: str, actor: Actor, occurred_on: date) -> None:
        """The right to erasure (UU 27/2022 Pasal 8), unless a legal hold applies."""
        self._check_not_erased()
        if self.legal_hold is not None:
            raise UnderLegalHold(reason=self.legal_hold)
        self._record(
            self.PersonalDataErased, actor=actor, occurred_on=occurred_on, reason=_reason(reason)
        )

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, day)

    def _check_not_erased(self) -> None:
        if self.erased:
            raise WorkerErased()


def _reason(value: str) -> str:
    return collapsed(visible(value, "reason"), "reason")[:500]


def _name(value: str, field: str) -> str:
    """A person's name: at least one letter, and nothing invisible, so a name made of
    zero-width spaces or one turned around by a direction mark cannot pass for another."""
    return person_name(value, field)
