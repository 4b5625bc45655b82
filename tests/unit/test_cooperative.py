"""The cooperative's books: every money rule, given events, when a command, then the events
or the error a treasurer reads."""

from __future__ import annotations

import random
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from domain.cooperative import (
    AlreadyAMember,
    AnnualMeetingAlreadyHeld,
    Cooperative,
    DateTooEarly,
    LoanAlreadyRepaid,
    MemberHasLeft,
    MemberKind,
    NoSuchLoan,
    NotAMember,
    OutstandingLoanBlocksLeaving,
    RepaymentExceedsOutstanding,
    SavingsKind,
    SavingsLockedWhileMember,
    WithdrawalExceedsBalance,
)
from domain.errors import InvalidValue
from domain.events import Actor, Role
from domain.nik import Nik
from domain.regions import RegionCode

TREASURER = Actor(uuid4(), Role.OFFICER)
START = date(2020, 1, 10)
DAY = date(2024, 6, 1)
POKOK, WAJIB, SUKARELA = SavingsKind.POKOK, SavingsKind.WAJIB, SavingsKind.SUKARELA


def established() -> Cooperative:
    return Cooperative.establish(
        name="Koperasi Desmigratif  Ternyang Sejahtera",
        village=RegionCode("35.07.12.2001"),
        legal_entity_number="AHU-0001234.AH.01.26.TAHUN 2019",
        actor=TREASURER,
        established_on=START,
    )


def with_member(kind: MemberKind = MemberKind.FAMILY) -> tuple[Cooperative, UUID]:
    cooperative = established()
    member_id = admit_person(cooperative, "Sri Wahyuni", kind=kind)
    return cooperative, member_id


def admit_person(cooperative: Cooperative, name: str, kind: MemberKind = MemberKind.FAMILY) -> UUID:
    return cooperative.admit_member(
        kind=kind, worker_id=None, name=name, nik=None, actor=TREASURER, occurred_on=START
    )


def deposit(cooperative: Cooperative, member_id: UUID, kind: SavingsKind, amount: int) -> None:
    cooperative.deposit_savings(
        member_id=member_id, kind=kind, amount=amount, actor=TREASURER, occurred_on=DAY
    )


def withdraw(cooperative: Cooperative, member_id: UUID, amount: int) -> int:
    return cooperative.withdraw_savings(
        member_id=member_id, kind=SUKARELA, amount=amount, actor=TREASURER, occurred_on=DAY
    )


def lend(cooperative: Cooperative, member_id: UUID, principal: int) -> UUID:
    return cooperative.disburse_loan(
        member_id=member_id,
        principal=principal,
        term_months=12,
        purpose="Modal warung",
        actor=TREASURER,
        occurred_on=DAY,
    )


def repay(cooperative: Cooperative, loan_id: UUID, amount: int) -> int:
    return cooperative.repay_loan(loan_id=loan_id, amount=amount, actor=TREASURER, occurred_on=DAY)


def replayed(cooperative: Cooperative) -> Cooperative:
    """The aggregate rebuilt from its own events, as the repository would."""
    events = cooperative.collect_events()
    rebuilt: Cooperative | None = None
    for event in events:
        rebuilt = event.mutate(rebuilt)  # type: ignore[arg-type]
    assert rebuilt is not None
    return rebuilt


# Establishment and membership ----------------------------------------------------------


def test_a_cooperative_is_established_with_its_village_and_legal_entity() -> None:
    cooperative = established()
    assert cooperative.name == "Koperasi Desmigratif Ternyang Sejahtera"
    assert cooperative.village_code == "35.07.12.2001"
    assert cooperative.established_on == START
    assert cooperative.members == {}


def test_a_worker_and_a_family_member_are_admitted_with_their_own_ids() -> None:
    cooperative = established()
    worker_id = uuid4()
    returnee = cooperative.admit_member(
        kind=MemberKind.RETURNEE,
        worker_id=worker_id,
        name=None,
        nik=None,
        actor=TREASURER,
        occurred_on=START,
    )
    nik = Nik.parse("3507124507950003")
    family = cooperative.admit_member(
        kind=MemberKind.FAMILY,
        worker_id=None,
        name=" Sri  Wahyuni ",
        nik=nik,
        actor=TREASURER,
        occurred_on=START,
    )
    assert returnee != family
    assert cooperative.members[returnee].worker_id == worker_id
    assert cooperative.members[family].name == "Sri Wahyuni"
    assert cooperative.members[family].nik == "3507124507950003"
    assert cooperative.members[family].balances == {"pokok": 0, "wajib": 0, "sukarela": 0}
    admitted = [
        e for e in cooperative.collect_events() if isinstance(e, Cooperative.MemberAdmitted)
    ]
    assert [e.member_id for e in admitted] == [returnee, family]


def test_personal_fields_of_a_member_are_sealed_with_the_members_own_key() -> None:
    assert Cooperative.MemberAdmitted.PERSONAL_SUBJECT == "member_id"
    assert set(Cooperative.MemberAdmitted.PERSONAL_FIELDS) == {"name", "nik"}


def test_a_returnee_who_came_home_before_jejak_is_admitted_by_name() -> None:
    cooperative = established()
    member = admit_person(cooperative, "Sri", kind=MemberKind.RETURNEE)
    assert cooperative.members[member].kind == "returnee"
    assert cooperative.members[member].worker_id is None


def test_a_member_is_either_a_worker_or_a_named_person() -> None:
    cooperative = established()
    with pytest.raises(InvalidValue):
        cooperative.admit_member(
            kind=MemberKind.FAMILY,
            worker_id=uuid4(),
            name="Sri",
            nik=None,
            actor=TREASURER,
            occurred_on=START,
        )
    with pytest.raises(InvalidValue):
        cooperative.admit_member(
            kind=MemberKind.FAMILY,
            worker_id=None,
            name=None,
            nik=None,
            actor=TREASURER,
            occurred_on=START,
        )


def test_an_active_member_is_not_admitted_twice_but_may_rejoin_after_leaving() -> None:
    cooperative = established()
    worker_id = uuid4()

    def admit() -> UUID:
        return cooperative.admit_member(
            kind=MemberKind.RETURNEE,
            worker_id=worker_id,
            name=None,
            nik=None,
            actor=TREASURER,
            occurred_on=START,
        )

    first = admit()
    with pytest.raises(AlreadyAMember) as raised:
        admit()
    assert raised.value.params["member_id"] == str(first)
    cooperative.withdraw_member(member_id=first, actor=TREASURER, occurred_on=DAY)
    assert admit() != first


def test_nothing_is_recorded_before_the_cooperative_was_established() -> None:
    cooperative = established()
    with pytest.raises(DateTooEarly) as raised:
        cooperative.admit_member(
            kind=MemberKind.COMMUNITY,
            worker_id=None,
            name="Sri",
            nik=None,
            actor=TREASURER,
            occurred_on=START - timedelta(days=1),
        )
    assert raised.value.params["earliest"] == START.isoformat()


# Savings ---------------------------------------------------------------------------------


def test_only_members_save() -> None:
    cooperative = established()
    stranger = uuid4()
    with pytest.raises(NotAMember) as raised:
        deposit(cooperative, stranger, POKOK, 100_000)
    assert str(stranger) in raised.value.message
    assert cooperative.collect_events()[-1].__class__ is Cooperative.Established


def test_balances_are_kept_per_member_and_kind_and_sum_over_many_deposits() -> None:
    cooperative, sri = with_member()
    budi = admit_person(cooperative, "Budi")
    rng = random.Random(7)
    expected = {sri: dict.fromkeys(SavingsKind, 0), budi: dict.fromkeys(SavingsKind, 0)}
    for _ in range(500):
        member = rng.choice((sri, budi))
        kind = rng.choice(list(SavingsKind))
        amount = rng.randrange(1_000, 250_000)
        deposit(cooperative, member, kind, amount)
        expected[member][kind] += amount
    for member, kinds in expected.items():
        assert cooperative.members[member].balances == {k.value: v for k, v in kinds.items()}
    total = sum(sum(kinds.values()) for kinds in expected.values())
    assert cooperative.total_savings == total
    assert replayed(cooperative).total_savings == total


@pytest.mark.parametrize("amount", [0, -1, 1.5, "1000", 1_000_000_001])
def test_a_deposit_must_be_whole_positive_rupiah(amount: object) -> None:
    cooperative, sri = with_member()
    with pytest.raises(InvalidValue) as raised:
        deposit(cooperative, sri, POKOK, amount)  # type: ignore[arg-type]
    assert raised.value.params["field"] == "amount"


def test_sukarela_is_withdrawn_up_to_its_balance() -> None:
    cooperative, sri = with_member()
    deposit(cooperative, sri, SUKARELA, 50_000)
    deposit(cooperative, sri, SUKARELA, 25_000)
    assert withdraw(cooperative, sri, 30_000) == 45_000
    assert withdraw(cooperative, sri, 45_000) == 0
    assert cooperative.members[sri].balances["sukarela"] == 0


def test_no_withdrawal_beyond_the_balance() -> None:
    cooperative, sri = with_member()
    deposit(cooperative, sri, SUKARELA, 50_000)
    deposit(cooperative, sri, WAJIB, 500_000)
    with pytest.raises(WithdrawalExceedsBalance) as raised:
        withdraw(cooperative, sri, 50_001)
    assert raised.value.params == {"kind": "sukarela", "balance": 50_000, "amount": 50_001}
    assert raised.value.message == (
        "The member has Rp 50,000 in simpanan sukarela; a withdrawal of Rp 50,001 is more than that."
    )
    assert cooperative.members[sri].balances["sukarela"] == 50_000


@pytest.mark.parametrize("kind", [POKOK, WAJIB])
def test_pokok_and_wajib_stay_in_while_the_person_is_a_member(kind: SavingsKind) -> None:
    cooperative, sri = with_member()
    deposit(cooperative, sri, kind, 100_000)
    with pytest.raises(SavingsLockedWhileMember) as raised:
        cooperative.withdraw_savings(
            member_id=sri, kind=kind, amount=10_000, actor=TREASURER, occurred_on=DAY
        )
    assert "paid back when the member leaves" in raised.value.message


def test_leaving_pays_every_saving_back() -> None:
    cooperative, sri = with_member()
    deposit(cooperative, sri, POKOK, 100_000)
    deposit(cooperative, sri, WAJIB, 20_000)
    deposit(cooperative, sri, WAJIB, 20_000)
    refunded = cooperative.withdraw_member(member_id=sri, actor=TREASURER, occurred_on=DAY)
    assert refunded == {"pokok": 100_000, "wajib": 40_000}
    member = cooperative.members[sri]
    assert not member.active
    assert member.left_on == DAY
    assert member.total_savings == 0
    assert member.refunded == refunded
    assert replayed(cooperative).members[sri].refunded == refunded


# Loans -----------------------------------------------------------------------------------


def test_only_members_borrow() -> None:
    cooperative = established()
    with pytest.raises(NotAMember):
        lend(cooperative, uuid4(), 1_000_000)


@pytest.mark.parametrize(
    ("principal", "term", "field"),
    [
        (0, 12, "principal"),
        (2.5, 12, "principal"),
        (5_000_000_000, 12, "principal"),
        (1_000_000, 0, "term_months"),
        (1_000_000, 121, "term_months"),
    ],
)
def test_a_loan_needs_a_sane_principal_and_term(principal: object, term: int, field: str) -> None:
    cooperative, sri = with_member()
    with pytest.raises(InvalidValue) as raised:
        cooperative.disburse_loan(
            member_id=sri,
            principal=principal,  # type: ignore[arg-type]
            term_months=term,
            purpose="Modal",
            actor=TREASURER,
            occurred_on=DAY,
        )
    assert raised.value.params["field"] == field


def test_partial_repayments_add_up_to_the_principal_and_no_further() -> None:
    cooperative, sri = with_member()
    loan_id = lend(cooperative, sri, 3_000_000)
    rng = random.Random(11)
    outstanding = 3_000_000
    while outstanding > 100_000:
        amount = rng.randrange(1, 100_000)
        outstanding = repay(cooperative, loan_id, amount)
    loan = cooperative.loans[loan_id]
    assert loan.outstanding == outstanding == 3_000_000 - loan.repaid
    with pytest.raises(RepaymentExceedsOutstanding) as raised:
        repay(cooperative, loan_id, outstanding + 1)
    assert raised.value.params["outstanding"] == outstanding
    assert repay(cooperative, loan_id, outstanding) == 0
    with pytest.raises(LoanAlreadyRepaid):
        repay(cooperative, loan_id, 1)
    rebuilt = replayed(cooperative)
    assert rebuilt.loans[loan_id].repaid == 3_000_000
    assert rebuilt.total_outstanding == 0


def test_a_repayment_names_a_loan_of_this_cooperative() -> None:
    cooperative, _ = with_member()
    with pytest.raises(NoSuchLoan):
        repay(cooperative, uuid4(), 1_000)


def test_a_repayment_cannot_predate_the_loan() -> None:
    cooperative, sri = with_member()
    loan_id = lend(cooperative, sri, 1_000_000)
    with pytest.raises(DateTooEarly):
        cooperative.repay_loan(
            loan_id=loan_id, amount=1_000, actor=TREASURER, occurred_on=DAY - timedelta(days=1)
        )


def test_a_member_who_owes_cannot_leave_until_repaid() -> None:
    cooperative, sri = with_member()
    deposit(cooperative, sri, POKOK, 100_000)
    first = lend(cooperative, sri, 2_000_000)
    lend(cooperative, sri, 500_000)
    repay(cooperative, first, 1_500_000)
    with pytest.raises(OutstandingLoanBlocksLeaving) as raised:
        cooperative.withdraw_member(member_id=sri, actor=TREASURER, occurred_on=DAY)
    assert raised.value.params == {"outstanding": 1_000_000, "loans": 2}
    assert cooperative.members[sri].active
    assert cooperative.members[sri].balances["pokok"] == 100_000


def test_a_member_who_left_cannot_transact() -> None:
    cooperative, sri = with_member()
    deposit(cooperative, sri, SUKARELA, 10_000)
    cooperative.withdraw_member(member_id=sri, actor=TREASURER, occurred_on=DAY)
    attempts = [
        lambda: deposit(cooperative, sri, SUKARELA, 1_000),
        lambda: withdraw(cooperative, sri, 1_000),
        lambda: lend(cooperative, sri, 1_000_000),
        lambda: cooperative.withdraw_member(member_id=sri, actor=TREASURER, occurred_on=DAY),
    ]
    for attempt in attempts:
        with pytest.raises(MemberHasLeft) as raised:
            attempt()
        assert DAY.isoformat() in raised.value.message


# Business units and annual meetings ---------------------------------------------------


def test_business_units_are_opened_with_their_own_ids() -> None:
    cooperative = established()
    unit = cooperative.open_business_unit(
        name="Toko Sembako", sector="perdagangan", actor=TREASURER, occurred_on=DAY
    )
    assert cooperative.business_units[0].id == unit
    assert cooperative.business_units[0].opened_on == DAY


def test_the_annual_meeting_is_held_once_a_year_by_members() -> None:
    cooperative, _ = with_member()
    admit_person(cooperative, "Budi")
    # Members Jejak has not recorded attend too: attendance is not capped by the register.
    cooperative.hold_annual_meeting(attendees=2, actor=TREASURER, held_on=DAY)
    with pytest.raises(AnnualMeetingAlreadyHeld):
        cooperative.hold_annual_meeting(attendees=1, actor=TREASURER, held_on=date(2024, 12, 1))
    cooperative.hold_annual_meeting(attendees=1, actor=TREASURER, held_on=date(2025, 2, 1))
    assert [m.attendees for m in cooperative.meetings] == [2, 1]
    cooperative.hold_annual_meeting(attendees=35, actor=TREASURER, held_on=date(2023, 2, 1))


def test_members_are_counted_on_the_day_of_a_backdated_meeting() -> None:
    cooperative, sri = with_member()
    cooperative.withdraw_member(member_id=sri, actor=TREASURER, occurred_on=DAY)
    assert cooperative.members_on(DAY - timedelta(days=1)) == 1
    assert cooperative.members_on(DAY) == 0
    cooperative.hold_annual_meeting(attendees=1, actor=TREASURER, held_on=date(2023, 3, 1))


def test_cooperatives_are_never_snapshotted() -> None:
    """A snapshot is sealed with one person's key, but a cooperative's state holds the names
    of many members: snapshotting it would store their personal data in clear."""
    from application.app import JejakApplication

    assert getattr(Cooperative, "PERSONAL_SUBJECT_ATTRIBUTE", None) is None
    assert Cooperative not in (JejakApplication.snapshotting_intervals or {})
