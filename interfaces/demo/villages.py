"""Pillars 1 to 3 of the demo: villages designated in the programme's cohorts, their
migration service, productive business and community parenting activities over the last
years (naming some of the village's workers as participants), and a cooperative in most of
them (``interfaces.demo.cooperatives``).

Everything is recorded through the application's use cases as the system, so the demo obeys
the same rules as real users. A village designated before is left as it is: running the demo
twice adds nothing."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from uuid import UUID

from application.app import JejakApplication
from application.principal import SYSTEM_PRINCIPAL
from application.villages import DesignateVillage, RecordActivity
from application.writes import WriteOptions
from domain.errors import AlreadyExists
from interfaces.demo.cooperatives import keep_cooperative
from interfaces.demo.load import DemoContext
from interfaces.demo.timeline import day_between

#: Share of villages whose cooperative is already established.
COOPERATIVE_SHARE = 0.8
#: How many past years of activities to record (and the current one).
ACTIVITY_YEARS = 3

# Cohorts of the programme, weighted by the number of villages designated that year.
_COHORTS = ((2017, 122), (2018, 130), (2019, 150), (2021, 51))

_TITLES: Mapping[str, Sequence[str]] = {
    "migration_service": (
        "Sosialisasi migrasi aman dan prosedural",
        "Verifikasi data calon PMI",
        "Pendampingan pengurusan dokumen",
        "Informasi lowongan kerja luar negeri",
        "Pencatatan migrasi warga desa",
    ),
    "productive_business": (
        "Pelatihan kewirausahaan purna PMI",
        "Pelatihan pengolahan makanan",
        "Bantuan sarana usaha",
        "Pemasaran produk UMKM desa",
        "Pelatihan menjahit",
    ),
    "community_parenting": (
        "Rumah belajar anak PMI",
        "Kelas pengasuhan bagi keluarga PMI",
        "Bimbingan belajar anak PMI",
        "Kegiatan bermain dan membaca",
    ),
}
_OPTIONS = WriteOptions()


def seed_programme(
    app: JejakApplication,
    rng: random.Random,
    villages: Sequence[str],
    workers_by_village: Mapping[str, Sequence[UUID]],
    progress: Callable[[str], None],
) -> None:
    """Designates ``villages`` (codes of the register), records their pillar activities over
    the last years, naming some of ``workers_by_village`` as participants, and establishes a
    cooperative in most of them with those workers and some neighbours as members.

    A village designated before is left as it is, so running the demo twice adds nothing."""
    today = app.services.clock.today()
    with_cooperative = set(rng.sample(list(villages), math.ceil(len(villages) * COOPERATIVE_SHARE)))
    for number, code in enumerate(villages, start=1):
        designated_on = _designate(app, rng, code, today)
        if designated_on is None:
            progress(f"village {number}/{len(villages)} {code}: designated before, left as is")
            continue
        workers = list(workers_by_village.get(code, ()))
        activities = _activities(app, rng, code, workers, designated_on, today)
        summary = f"village {number}/{len(villages)} {code}: {activities} activities"
        if code in with_cooperative:
            summary += keep_cooperative(app, rng, code, workers, designated_on, today)
        progress(summary)


def _designate(app: JejakApplication, rng: random.Random, code: str, today: date) -> date | None:
    years, weights = zip(*_COHORTS, strict=True)
    cohort = min(rng.choices(years, weights)[0], today.year)
    designated_on = min(day_between(rng, date(cohort, 1, 1), date(cohort, 12, 28)), today)
    try:
        app.designate_village(
            SYSTEM_PRINCIPAL,
            DesignateVillage(village_code=code, cohort_year=cohort, occurred_on=designated_on),
            _OPTIONS,
        )
    except AlreadyExists:
        return None
    return designated_on


def _activities(
    app: JejakApplication,
    rng: random.Random,
    code: str,
    workers: Sequence[UUID],
    designated_on: date,
    today: date,
) -> int:
    village = app.get_village(SYSTEM_PRINCIPAL, code)
    first = max(designated_on, date(today.year - ACTIVITY_YEARS, 1, 1))
    held = 0
    for year in range(first.year, today.year + 1):
        start, end = max(first, date(year, 1, 1)), min(today, date(year, 12, 31))
        if start > end:
            continue
        for pillar in village.pillars:
            for _ in range(rng.randint(1, 3)):
                participants = rng.randint(8, 60)
                named = rng.sample(list(workers), min(len(workers), rng.randint(0, 5)))
                titles = _TITLES.get(pillar, (f"Kegiatan {pillar.replace('_', ' ')}",))
                app.record_activity(
                    SYSTEM_PRINCIPAL,
                    code,
                    RecordActivity(
                        pillar=pillar,
                        held_on=day_between(rng, start, end),
                        title=rng.choice(titles),
                        participants=participants,
                        participant_worker_ids=tuple(named),
                    ),
                    _OPTIONS,
                )
                held += 1
    return held


def designated_villages(context: DemoContext) -> str:
    """The generator of pillars 1 to 4: every village of the programme designated, with its
    activities and, in most, a cooperative."""
    workers_by_village: dict[str, list[UUID]] = {}
    for worker_id, village, _ in context.workers:
        workers_by_village.setdefault(village, []).append(worker_id)
    codes = [village.code for village in context.villages]
    lines: list[str] = []
    seed_programme(context.app, context.rng, codes, workers_by_village, lines.append)
    cooperatives = sum("cooperative" in line for line in lines)
    return f"{len(codes)} Desmigratif villages with their activities; {cooperatives} cooperatives"
