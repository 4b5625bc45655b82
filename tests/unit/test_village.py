"""The village aggregate: designation, officers and pillar activities as data."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import InvalidValue
from domain.events import SYSTEM, Actor, Role
from domain.regions import RegionCode
from domain.village import (
    DESMIGRATIF,
    OfficerAlreadyAssigned,
    Programme,
    UnknownPillar,
    Village,
    village_id_for,
)

CODE = RegionCode("35.07.12.2001")
DAY = date(2024, 3, 1)
OFFICER = Actor(uuid4(), Role.OFFICER)


def designated(programme: Programme = DESMIGRATIF) -> Village:
    return Village.designate(
        code=CODE, cohort_year=2018, programme=programme, actor=SYSTEM, occurred_on=DAY
    )


def test_the_village_id_is_derived_from_its_code() -> None:
    village = designated()
    assert village.id == village_id_for(CODE)
    assert village.id != village_id_for(RegionCode("35.07.12.2002"))
    assert village.village_code == "35.07.12.2001"
    assert village.cohort_year == 2018
    assert village.pillars == DESMIGRATIF.activity_pillars
    assert village.activity_counts() == dict.fromkeys(DESMIGRATIF.activity_pillars, 0)


@pytest.mark.parametrize("year", [2015, 2026, 1900])
def test_a_cohort_year_outside_the_programme_is_refused(year: int) -> None:
    with pytest.raises(InvalidValue) as raised:
        Village.designate(
            code=CODE, cohort_year=year, programme=DESMIGRATIF, actor=SYSTEM, occurred_on=DAY
        )
    assert raised.value.params["field"] == "cohort_year"


def test_an_activity_of_a_pillar_is_recorded_with_its_participants() -> None:
    village = designated()
    workers = (uuid4(), uuid4())
    activity_id = village.hold_activity(
        pillar="community_parenting",
        held_on=date(2024, 5, 2),
        title="  Rumah belajar\tanak PMI ",
        participants=12,
        participant_worker_ids=workers,
        actor=OFFICER,
    )
    (event,) = [e for e in village.collect_events() if isinstance(e, Village.ActivityHeld)]
    assert event.activity_id == activity_id
    assert event.occurred_on == date(2024, 5, 2)
    assert event.actor_role == "officer"
    assert village.activities[0].title == "Rumah belajar anak PMI"
    assert village.activities[0].participant_worker_ids == workers
    assert village.activity_counts()["community_parenting"] == 1


def test_a_pillar_outside_the_programme_is_refused_naming_the_allowed_ones() -> None:
    village = designated()
    with pytest.raises(UnknownPillar) as raised:
        village.hold_activity(
            pillar="cooperative",
            held_on=DAY,
            title="Rapat",
            participants=3,
            participant_worker_ids=(),
            actor=OFFICER,
        )
    assert "migration_service" in raised.value.message


def test_pillars_are_data_a_successor_programme_brings_its_own() -> None:
    emas = Programme(name="desa_migran_emas", activity_pillars=("layanan_migrasi", "ekonomi"))
    village = designated(emas)
    village.hold_activity(
        pillar="ekonomi",
        held_on=DAY,
        title="Pelatihan",
        participants=5,
        participant_worker_ids=(),
        actor=OFFICER,
    )
    assert village.programme == "desa_migran_emas"
    assert village.activity_counts() == {"layanan_migrasi": 0, "ekonomi": 1}
    with pytest.raises(UnknownPillar):
        village.hold_activity(
            pillar="migration_service",
            held_on=DAY,
            title="Sosialisasi",
            participants=5,
            participant_worker_ids=(),
            actor=OFFICER,
        )


@pytest.mark.parametrize(
    ("participants", "named", "field"),
    [
        (1, 2, "participants"),
        (0, 0, "participants"),
        (-3, 0, "participants"),
        (100_001, 0, "participants"),
    ],
)
def test_participant_counts_must_be_possible(participants: int, named: int, field: str) -> None:
    village = designated()
    with pytest.raises(InvalidValue) as raised:
        village.hold_activity(
            pillar="migration_service",
            held_on=DAY,
            title="Sosialisasi migrasi aman",
            participants=participants,
            participant_worker_ids=[uuid4() for _ in range(named)],
            actor=OFFICER,
        )
    assert raised.value.params["field"] == field


def test_a_worker_is_named_once_per_activity() -> None:
    village = designated()
    worker = uuid4()
    with pytest.raises(InvalidValue) as raised:
        village.hold_activity(
            pillar="migration_service",
            held_on=DAY,
            title="Sosialisasi",
            participants=5,
            participant_worker_ids=[worker, worker],
            actor=OFFICER,
        )
    assert raised.value.params["field"] == "participant_worker_ids"


def test_an_officer_is_assigned_once() -> None:
    village = designated()
    officer_id = uuid4()
    village.assign_officer(officer_id=officer_id, username="p.t", actor=SYSTEM, occurred_on=DAY)
    assert [o.user_id for o in village.officers] == [officer_id]
    with pytest.raises(OfficerAlreadyAssigned):
        village.assign_officer(officer_id=officer_id, username="p.t", actor=SYSTEM, occurred_on=DAY)


def test_programme_names_are_checked() -> None:
    with pytest.raises(ValueError, match="lower_snake_case"):
        Programme(name="Desa Migran", activity_pillars=("a_b",))
    with pytest.raises(ValueError, match="once"):
        Programme(name="x_programme", activity_pillars=("ab", "ab"))
