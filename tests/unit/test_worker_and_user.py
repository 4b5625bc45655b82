"""Worker and user aggregates: given events, when a command, then events or an error."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import InvalidValue
from domain.events import ERASED, Actor, Role
from domain.nik import Nik
from domain.regions import RegionCode
from domain.user import User, user_id_for
from domain.worker import Relationship, Sex, Worker, WorkerErased

OFFICER = Actor(uuid4(), Role.OFFICER)
TODAY = date(2026, 11, 27)


def registered() -> Worker:
    return Worker.register(
        nik=Nik.parse("3507124507950003"),
        full_name="  Siti   Aminah ",
        sex=Sex.PEREMPUAN,
        birth_date=date(1995, 7, 5),
        village=RegionCode("35.07.12.2001"),
        phone=None,
        actor=OFFICER,
        today=TODAY,
    )


def test_registration_records_who_and_when() -> None:
    worker = registered()
    [event] = worker.collect_events()
    assert isinstance(event, Worker.Registered)
    assert event.actor_id == OFFICER.user_id
    assert event.actor_role == "officer"
    assert event.occurred_on == TODAY
    assert event.full_name == "Siti Aminah"
    assert worker.age_on(date(2013, 7, 4)) == 17
    assert worker.age_on(date(2013, 7, 5)) == 18


def test_a_worker_cannot_be_born_in_the_future() -> None:
    with pytest.raises(InvalidValue):
        Worker.register(
            nik=Nik.parse("3507124507270003"),
            full_name="Siti",
            sex=Sex.PEREMPUAN,
            birth_date=date(2027, 7, 5),
            village=RegionCode("35.07.12.2001"),
            phone=None,
            actor=OFFICER,
            today=TODAY,
        )


def test_a_dependent_is_added_and_erasure_blanks_personal_data() -> None:
    worker = registered()
    dependent_id = worker.add_dependent(
        name="Budi",
        birth_date=date(2015, 3, 2),
        relationship=Relationship.CHILD,
        actor=OFFICER,
        occurred_on=TODAY,
    )
    assert [d.id for d in worker.dependents] == [dependent_id]
    worker.erase_personal_data(reason="request of the person", actor=OFFICER, occurred_on=TODAY)
    assert worker.erased
    assert worker.full_name == ERASED
    assert worker.dependents[0].name == ERASED
    with pytest.raises(WorkerErased):
        worker.update_contact(phone="+6281234567890", actor=OFFICER, occurred_on=TODAY)
    events = worker.collect_events()
    assert [type(e).__name__ for e in events] == [
        "Registered",
        "DependentAdded",
        "PersonalDataErased",
    ]


def test_a_dependent_cannot_be_born_after_the_date_recorded() -> None:
    worker = registered()
    with pytest.raises(InvalidValue):
        worker.add_dependent(
            name="Budi",
            birth_date=date(2027, 1, 1),
            relationship=Relationship.CHILD,
            actor=OFFICER,
            occurred_on=TODAY,
        )


def test_user_ids_come_from_normalised_usernames() -> None:
    assert user_id_for("Admin") == user_id_for(" admin ")
    user = User.create(
        username="Koordinator.Malang",
        password_hash="hash",
        role=Role.COORDINATOR,
        regions=(RegionCode("35.07"), RegionCode("35.07")),
        actor=OFFICER,
        today=TODAY,
    )
    assert user.id == user_id_for("koordinator.malang")
    assert user.regions == (RegionCode("35.07"),)


@pytest.mark.parametrize(
    ("role", "regions"),
    [
        (Role.OFFICER, ()),
        (Role.OFFICER, ("35.07",)),
        (Role.COORDINATOR, ()),
        (Role.AUDITOR, ("35",)),
        (Role.ADMIN, ("35.07",)),
        (Role.SYSTEM, ()),
    ],
)
def test_scopes_fit_roles(role: Role, regions: tuple[str, ...]) -> None:
    with pytest.raises(InvalidValue):
        User.create(
            username="someone",
            password_hash="hash",
            role=role,
            regions=tuple(RegionCode(c) for c in regions),
            actor=OFFICER,
            today=TODAY,
        )
