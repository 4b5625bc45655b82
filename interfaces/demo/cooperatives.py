"""Pillar 4 of the demo: a village's cooperative and its books over a few years, with
returnees and their neighbours as members, savings, loans repaid in instalments, business
units and annual meetings (RAT).

Recorded through the use cases as the system, so the books obey the same rules as real ones
(no saving by non-members, no repayment beyond what is owed). Family and community members
get synthetic names and no NIK: a made-up NIK could be a real person's number."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
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
from application.writes import WriteOptions
from domain.cooperative import Cooperative, MemberKind, SavingsKind
from interfaces.demo.timeline import day_between

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


@dataclass(frozen=True)
class _Books:
    """A cooperative whose books the demo keeps, up to ``today``."""

    app: JejakApplication
    rng: random.Random
    id: UUID
    established_on: date
    today: date


def keep_cooperative(
    app: JejakApplication,
    rng: random.Random,
    code: str,
    workers: Sequence[UUID],
    designated_on: date,
    today: date,
) -> str:
    """Establishes the cooperative and keeps its books for a few years; returns a summary."""
    books = _establish(app, rng, code, designated_on, today)
    returnees = rng.sample(list(workers), min(len(workers), rng.randint(3, 8)))
    members = [_admit(books, worker_id=worker_id) for worker_id in returnees]
    members += [_admit(books, worker_id=None) for _ in range(rng.randint(3, 8))]
    loans = 0
    for member_id, admitted_on in members:
        _save(books, member_id, admitted_on)
        if rng.random() < 0.35:
            _lend(books, member_id, admitted_on)
            loans += 1
    _leave_some(books)
    units = _open_units(books)
    meetings = _annual_meetings(books)
    return (
        f"; cooperative with {len(members)} members, {loans} loans, {units} business "
        f"units, {meetings} annual meetings"
    )


def _establish(
    app: JejakApplication, rng: random.Random, code: str, designated_on: date, today: date
) -> _Books:
    """Established some months after the village's designation, most with a legal entity."""
    established_on = min(designated_on + timedelta(days=rng.randint(60, 540)), today)
    name = app.village_name(code) or code
    legal_entity_number = (
        f"AHU-{rng.randint(1, 9_999_999):07d}.AH.01.26.TAHUN {established_on.year}"
        if rng.random() < 0.7
        else None
    )
    command = EstablishCooperative(
        name=f"Koperasi Desmigratif {name}",
        village_code=code,
        established_on=established_on,
        legal_entity_number=legal_entity_number,
    )
    coop = app.establish_cooperative(SYSTEM_PRINCIPAL, command, _OPTIONS).id
    return _Books(app, rng, coop, established_on, today)


def _admit(books: _Books, worker_id: UUID | None) -> tuple[UUID, date]:
    """A returnee (by worker id) or a family or community member (by a synthetic name)."""
    rng = books.rng
    admitted_on = min(books.established_on + timedelta(days=rng.randint(0, 120)), books.today)
    if worker_id is not None:
        command = AdmitMember(
            kind=MemberKind.RETURNEE, worker_id=worker_id, occurred_on=admitted_on
        )
    else:
        person = Person(name=f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}")
        kind = rng.choice((MemberKind.FAMILY, MemberKind.COMMUNITY))
        command = AdmitMember(kind=kind, person=person, occurred_on=admitted_on)
    result = books.app.admit_member(SYSTEM_PRINCIPAL, books.id, command, _OPTIONS)
    return UUID(result.extra["member_id"]), admitted_on


def _save(books: _Books, member_id: UUID, admitted_on: date) -> None:
    """Pokok on joining, wajib now and then, sometimes sukarela and a withdrawal of part."""
    app, rng, today = books.app, books.rng, books.today

    def deposit(kind: SavingsKind, amount: int, day: date) -> None:
        command = DepositSavings(member_id=member_id, kind=kind, amount=amount, occurred_on=day)
        app.deposit_savings(SYSTEM_PRINCIPAL, books.id, command, _OPTIONS)

    deposit(SavingsKind.POKOK, rng.choice((50_000, 100_000)), admitted_on)
    wajib = rng.choice((10_000, 20_000, 25_000))
    for _ in range(rng.randint(2, 6)):
        deposit(SavingsKind.WAJIB, wajib * rng.randint(1, 3), day_between(rng, admitted_on, today))
    if rng.random() < 0.5:
        sukarela = rng.randrange(50_000, 1_000_001, 25_000)
        deposit(SavingsKind.SUKARELA, sukarela, admitted_on)
        if rng.random() < 0.4:
            command = WithdrawSavings(
                member_id=member_id,
                amount=rng.randrange(25_000, sukarela + 1, 25_000),
                occurred_on=day_between(rng, admitted_on, today),
            )
            app.withdraw_savings(SYSTEM_PRINCIPAL, books.id, command, _OPTIONS)


def _lend(books: _Books, member_id: UUID, admitted_on: date) -> None:
    """A loan repaid in monthly instalments for the months gone by (some are paid off)."""
    app, rng, today = books.app, books.rng, books.today
    principal = rng.randrange(1_000_000, 10_000_001, 500_000)
    term = rng.choice((6, 12, 18, 24))
    disbursed_on = day_between(rng, admitted_on, today)
    loan = DisburseLoan(
        member_id=member_id,
        principal=principal,
        term_months=term,
        purpose=rng.choice(_PURPOSES),
        occurred_on=disbursed_on,
    )
    loan_id = UUID(app.disburse_loan(SYSTEM_PRINCIPAL, books.id, loan, _OPTIONS).extra["loan_id"])

    def repay(amount: int, day: date) -> None:
        command = RepayLoan(amount=amount, occurred_on=day)
        app.repay_loan(SYSTEM_PRINCIPAL, books.id, loan_id, command, _OPTIONS)

    instalment = math.ceil(principal / term)
    months_gone = (today - disbursed_on).days // 30
    outstanding = principal
    paid_months = min(term, months_gone, 8)
    for month in range(1, paid_months + 1):
        amount = min(instalment, outstanding)
        repay(amount, disbursed_on + timedelta(days=30 * month))
        outstanding -= amount
    if outstanding and months_gone > term:
        last_instalment = disbursed_on + timedelta(days=30 * paid_months)
        repay(outstanding, day_between(rng, last_instalment, today))


def _leave_some(books: _Books) -> None:
    """Now and then a member who owes nothing leaves (today) and is paid their savings back."""
    cooperative: Cooperative = books.app.get_cooperative(SYSTEM_PRINCIPAL, books.id)
    for member in list(cooperative.members.values()):
        if cooperative.outstanding_of(member.id) == 0 and books.rng.random() < 0.1:
            command = WithdrawMember()
            books.app.withdraw_member(SYSTEM_PRINCIPAL, books.id, member.id, command, _OPTIONS)


def _open_units(books: _Books) -> int:
    """One or two business units (a shop, savings and loans, crafts, fish, catering)."""
    units = books.rng.sample(_UNITS, books.rng.randint(1, 2))
    for name, sector in units:
        opened_on = day_between(books.rng, books.established_on, books.today)
        command = OpenBusinessUnit(name=name, sector=sector, occurred_on=opened_on)
        books.app.open_business_unit(SYSTEM_PRINCIPAL, books.id, command, _OPTIONS)
    return len(units)


def _annual_meetings(books: _Books) -> int:
    """One RAT in the first months of each year after the cooperative's first year."""
    app, rng, today = books.app, books.rng, books.today
    held = 0
    for year in range(books.established_on.year + 1, today.year + 1):
        held_on = min(day_between(rng, date(year, 2, 1), date(year, 4, 30)), today)
        cooperative: Cooperative = app.get_cooperative(SYSTEM_PRINCIPAL, books.id)
        members = cooperative.members_on(held_on)
        if members == 0:
            continue
        attendees = rng.randint(max(1, members // 2), members)
        command = HoldAnnualMeeting(attendees=attendees, held_on=held_on)
        app.hold_annual_meeting(SYSTEM_PRINCIPAL, books.id, command, _OPTIONS)
        held += 1
    return held
