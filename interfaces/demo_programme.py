"""Synthetic programme data for ``jejak demo-data``: designated villages, pillar 1-3 activities
over the last years, and a cooperative with members, savings and loans in most villages.

Everything is recorded through the application's use cases as the system, so the demo obeys
the same rules as real users (no saving by non-members, no repayment beyond what is owed).
Family and community members get synthetic names and no NIK: a made-up NIK could be a real
person's number.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from uuid import UUID

from application.app import JejakApplication
from application.cooperatives import (
    AdmitMember,
    DepositSavings,
    DisburseLoan,
    EstablishCooperative,
    HoldAnnualMeeting,
    OpenBusinessUnit,
    Person,
    RepayLoan,
    WithdrawMember,
    WithdrawSavings,
)
from application.principal import SYSTEM_PRINCIPAL
from application.villages import DesignateVillage, RecordActivity
from application.writes import WriteOptions
from domain.cooperative import Cooperative, MemberKind, SavingsKind
from domain.errors import AlreadyExists

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
_UNITS = (
    ("Toko sembako", "perdagangan"),
    ("Unit simpan pinjam", "keuangan"),
    ("Kerajinan anyaman", "industri kecil"),
    ("Budidaya ikan lele", "perikanan"),
    ("Katering desa", "makanan"),
)
_PURPOSES = (
    "Modal usaha warung",
    "Modal ternak kambing",
    "Peralatan jahit",
    "Modal usaha keripik",
    "Bibit dan pupuk",
)
_GIVEN = ("Siti", "Sri", "Dewi", "Sumiati", "Rina", "Budi", "Agus", "Slamet", "Eko", "Wahyu")
_FAMILY = ("Wahyuni", "Rahayu", "Lestari", "Santoso", "Susanto", "Hidayat", "Purnomo", "Setiawan")

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
            summary += _cooperative(app, rng, code, workers, designated_on, today)
        progress(summary)


def _designate(app: JejakApplication, rng: random.Random, code: str, today: date) -> date | None:
    years, weights = zip(*_COHORTS, strict=True)
    cohort = min(rng.choices(years, weights)[0], today.year)
    designated_on = min(_day_in(rng, date(cohort, 1, 1), date(cohort, 12, 28)), today)
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
                        held_on=_day_in(rng, start, end),
                        title=rng.choice(titles),
                        participants=participants,
                        participant_worker_ids=tuple(named),
                    ),
                    _OPTIONS,
                )
                held += 1
    return held


def _cooperative(
    app: JejakApplication,
    rng: random.Random,
    code: str,
    workers: Sequence[UUID],
    designated_on: date,
    today: date,
) -> str:
    """Establishes the cooperative and keeps its books for a few years; returns a summary."""
    established_on = min(designated_on + timedelta(days=rng.randint(60, 540)), today)
    name = app.village_name(code) or code
    coop = app.establish_cooperative(
        SYSTEM_PRINCIPAL,
        EstablishCooperative(
            name=f"Koperasi Desmigratif {name}",
            village_code=code,
            established_on=established_on,
            legal_entity_number=(
                f"AHU-{rng.randint(1, 9_999_999):07d}.AH.01.26.TAHUN {established_on.year}"
                if rng.random() < 0.7
                else None
            ),
        ),
        _OPTIONS,
    ).id
    returnees = rng.sample(list(workers), min(len(workers), rng.randint(3, 8)))
    members = [
        _admit(app, rng, coop, established_on, today, worker_id=worker_id)
        for worker_id in returnees
    ]
    members += [
        _admit(app, rng, coop, established_on, today, worker_id=None)
        for _ in range(rng.randint(3, 8))
    ]
    loans = 0
    for member_id, admitted_on in members:
        _save(app, rng, coop, member_id, admitted_on, today)
        if rng.random() < 0.35:
            _lend(app, rng, coop, member_id, admitted_on, today)
            loans += 1
    _leave_some(app, rng, coop)
    units = rng.sample(_UNITS, rng.randint(1, 2))
    for unit_name, sector in units:
        app.open_business_unit(
            SYSTEM_PRINCIPAL,
            coop,
            OpenBusinessUnit(
                name=unit_name, sector=sector, occurred_on=_day_in(rng, established_on, today)
            ),
            _OPTIONS,
        )
    meetings = _annual_meetings(app, rng, coop, established_on, today)
    return (
        f"; cooperative with {len(members)} members, {loans} loans, {len(units)} business "
        f"units, {meetings} annual meetings"
    )


def _admit(
    app: JejakApplication,
    rng: random.Random,
    coop: UUID,
    established_on: date,
    today: date,
    worker_id: UUID | None,
) -> tuple[UUID, date]:
    admitted_on = min(established_on + timedelta(days=rng.randint(0, 120)), today)
    if worker_id is not None:
        command = AdmitMember(
            kind=MemberKind.RETURNEE, worker_id=worker_id, occurred_on=admitted_on
        )
    else:
        person = Person(name=f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}")
        kind = rng.choice((MemberKind.FAMILY, MemberKind.COMMUNITY))
        command = AdmitMember(kind=kind, person=person, occurred_on=admitted_on)
    result = app.admit_member(SYSTEM_PRINCIPAL, coop, command, _OPTIONS)
    return UUID(result.extra["member_id"]), admitted_on


def _save(
    app: JejakApplication,
    rng: random.Random,
    coop: UUID,
    member_id: UUID,
    admitted_on: date,
    today: date,
) -> None:
    """Pokok on joining, wajib now and then, sometimes sukarela and a withdrawal of part."""

    def deposit(kind: SavingsKind, amount: int, day: date) -> None:
        command = DepositSavings(member_id=member_id, kind=kind, amount=amount, occurred_on=day)
        app.deposit_savings(SYSTEM_PRINCIPAL, coop, command, _OPTIONS)

    deposit(SavingsKind.POKOK, rng.choice((50_000, 100_000)), admitted_on)
    wajib = rng.choice((10_000, 20_000, 25_000))
    for _ in range(rng.randint(2, 6)):
        deposit(SavingsKind.WAJIB, wajib * rng.randint(1, 3), _day_in(rng, admitted_on, today))
    if rng.random() < 0.5:
        sukarela = rng.randrange(50_000, 1_000_001, 25_000)
        deposit(SavingsKind.SUKARELA, sukarela, admitted_on)
        if rng.random() < 0.4:
            app.withdraw_savings(
                SYSTEM_PRINCIPAL,
                coop,
                WithdrawSavings(
                    member_id=member_id,
                    amount=rng.randrange(25_000, sukarela + 1, 25_000),
                    occurred_on=_day_in(rng, admitted_on, today),
                ),
                _OPTIONS,
            )


def _lend(
    app: JejakApplication,
    rng: random.Random,
    coop: UUID,
    member_id: UUID,
    admitted_on: date,
    today: date,
) -> None:
    """A loan repaid in monthly instalments for the months gone by (some are paid off)."""
    principal = rng.randrange(1_000_000, 10_000_001, 500_000)
    term = rng.choice((6, 12, 18, 24))
    disbursed_on = _day_in(rng, admitted_on, today)
    loan_id = app.disburse_loan(
        SYSTEM_PRINCIPAL,
        coop,
        DisburseLoan(
            member_id=member_id,
            principal=principal,
            term_months=term,
            purpose=rng.choice(_PURPOSES),
            occurred_on=disbursed_on,
        ),
        _OPTIONS,
    ).extra["loan_id"]
    instalment = math.ceil(principal / term)
    months_gone = (today - disbursed_on).days // 30
    outstanding = principal
    paid_months = min(term, months_gone, 8)
    for month in range(1, paid_months + 1):
        amount = min(instalment, outstanding)
        app.repay_loan(
            SYSTEM_PRINCIPAL,
            coop,
            UUID(loan_id),
            RepayLoan(amount=amount, occurred_on=disbursed_on + timedelta(days=30 * month)),
            _OPTIONS,
        )
        outstanding -= amount
    if outstanding and months_gone > term:
        app.repay_loan(
            SYSTEM_PRINCIPAL,
            coop,
            UUID(loan_id),
            RepayLoan(
                amount=outstanding,
                occurred_on=_day_in(rng, disbursed_on + timedelta(days=30 * paid_months), today),
            ),
            _OPTIONS,
        )


def _leave_some(app: JejakApplication, rng: random.Random, coop: UUID) -> None:
    """Now and then a member who owes nothing leaves (today) and is paid their savings back."""
    cooperative: Cooperative = app.get_cooperative(SYSTEM_PRINCIPAL, coop)
    for member in list(cooperative.members.values()):
        if cooperative.outstanding_of(member.id) == 0 and rng.random() < 0.1:
            app.withdraw_member(SYSTEM_PRINCIPAL, coop, member.id, WithdrawMember(), _OPTIONS)


def _annual_meetings(
    app: JejakApplication, rng: random.Random, coop: UUID, established_on: date, today: date
) -> int:
    """One RAT in the first months of each year after the cooperative's first year."""
    held = 0
    for year in range(established_on.year + 1, today.year + 1):
        held_on = min(_day_in(rng, date(year, 2, 1), date(year, 4, 30)), today)
        cooperative: Cooperative = app.get_cooperative(SYSTEM_PRINCIPAL, coop)
        members = cooperative.members_on(held_on)
        if members == 0:
            continue
        attendees = rng.randint(max(1, members // 2), members)
        app.hold_annual_meeting(
            SYSTEM_PRINCIPAL,
            coop,
            HoldAnnualMeeting(attendees=attendees, held_on=held_on),
            _OPTIONS,
        )
        held += 1
    return held


def _day_in(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))
