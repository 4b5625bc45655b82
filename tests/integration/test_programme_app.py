"""Villages and cooperatives through the application, on SQLite and PostgreSQL: stored
shapes, sealed personal data, feed paging and concurrent writers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from uuid import UUID

from application.cooperatives import (
    AdmitMember,
    DepositSavings,
    DisburseLoan,
    EstablishCooperative,
    Person,
    RepayLoan,
    WithdrawSavings,
)
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.villages import DesignateVillage, RecordActivity
from application.writes import WriteOptions
from domain.cooperative import (
    Cooperative,
    LoanAlreadyRepaid,
    MemberKind,
    RepaymentExceedsOutstanding,
    SavingsKind,
    WithdrawalExceedsBalance,
)
from domain.errors import DomainError, RuleViolation
from domain.events import Role
from domain.regions import RegionCode
from infrastructure.bootstrap import Runtime
from interfaces.http.errors import status_for
from tests.support import VILLAGE

NO_OPTIONS = WriteOptions()
OFFICER = Principal(
    user_id=UUID("11111111-1111-4111-8111-111111111111"),
    username="petugas.ternyang",
    role=Role.OFFICER,
    regions=(RegionCode(VILLAGE),),
)


def designate(runtime: Runtime, code: str = VILLAGE) -> None:
    runtime.app.designate_village(
        SYSTEM_PRINCIPAL, DesignateVillage(village_code=code, cohort_year=2018), NO_OPTIONS
    )


def establish(runtime: Runtime) -> UUID:
    designate(runtime)
    result = runtime.app.establish_cooperative(
        OFFICER,
        EstablishCooperative(
            name="Koperasi Desmigratif Ternyang",
            village_code=VILLAGE,
            established_on=date(2019, 3, 1),
        ),
        NO_OPTIONS,
    )
    return result.id


def admit_person(runtime: Runtime, coop: UUID, name: str = "Sumiati") -> UUID:
    result = runtime.app.admit_member(
        OFFICER,
        coop,
        AdmitMember(
            kind=MemberKind.FAMILY,
            person=Person(name=name, nik="3507124302700001"),
            occurred_on=date(2020, 1, 2),
        ),
        NO_OPTIONS,
    )
    return UUID(result.extra["member_id"])


def test_the_books_survive_a_restart_with_every_rupiah(runtime: Runtime) -> None:
    coop = establish(runtime)
    member = admit_person(runtime, coop)
    deposits = [(SavingsKind.WAJIB, 25_000)] * 40 + [(SavingsKind.SUKARELA, 12_345)] * 7
    for kind, amount in deposits:
        runtime.app.deposit_savings(
            OFFICER, coop, DepositSavings(member_id=member, kind=kind, amount=amount), NO_OPTIONS
        )
    loan = runtime.app.disburse_loan(
        OFFICER,
        coop,
        DisburseLoan(member_id=member, principal=2_500_000, term_months=10, purpose="Modal"),
        NO_OPTIONS,
    ).extra["loan_id"]
    for _ in range(3):
        runtime.app.repay_loan(OFFICER, coop, UUID(loan), RepayLoan(amount=250_000), NO_OPTIONS)

    cooperative = runtime.app.get_cooperative(OFFICER, coop)
    assert cooperative.members[member].balances == {
        "pokok": 0,
        "wajib": 1_000_000,
        "sukarela": 86_415,
    }
    assert cooperative.loans[UUID(loan)].outstanding == 1_750_000
    assert cooperative.version == 1 + 1 + 47 + 1 + 3


def test_a_members_name_and_nik_are_stored_sealed(runtime: Runtime) -> None:
    coop = establish(runtime)
    member = admit_person(runtime, coop, name="Sumiati Rahayu")
    stored = runtime.app.recorder.select_events(coop)
    admitted = [event for event in stored if event.topic == Cooperative.MemberAdmitted.TOPIC]
    assert len(admitted) == 1
    assert b"Sumiati" not in admitted[0].state
    assert b"3507124302700001" not in admitted[0].state
    assert str(member).encode() in admitted[0].state
    assert runtime.app.get_cooperative(OFFICER, coop).members[member].name == "Sumiati Rahayu"


def test_villages_are_listed_from_the_read_model_within_scope(runtime: Runtime) -> None:
    runtime.start_projections()
    codes = ["35.07.12.2001", "35.07.12.2002", "35.07.12.2003", "35.07.12.2004", "33.01.01.2001"]
    for code in codes:
        designate(runtime, code)
    runtime.app.record_activity(
        OFFICER,
        VILLAGE,
        RecordActivity(
            pillar="migration_service",
            held_on=date(2024, 1, 5),
            title="Sosialisasi",
            participants=9,
        ),
        NO_OPTIONS,
    )
    listed = runtime.app.list_villages(SYSTEM_PRINCIPAL, None)
    assert [v.village_code for v in listed] == sorted(codes)
    assert [v.village_code for v in runtime.app.list_villages(OFFICER, None)] == [VILLAGE]
    assert runtime.app.list_villages(OFFICER, None)[0].activities[0].participants == 9


# Concurrent writers ----------------------------------------------------------------------


def race(attempts: list[Callable[[], object]]) -> tuple[int, list[DomainError]]:
    """Runs the attempts at the same moment; counts the winners and collects the refusals."""
    barrier = threading.Barrier(len(attempts))
    lock = threading.Lock()
    wins = 0
    refusals: list[DomainError] = []
    unexpected: list[BaseException] = []

    def run(attempt: Callable[[], object]) -> None:
        nonlocal wins
        barrier.wait()
        try:
            attempt()
        except DomainError as error:
            with lock:
                refusals.append(error)
        except BaseException as error:
            with lock:
                unexpected.append(error)
        else:
            with lock:
                wins += 1

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert unexpected == []
    return wins, refusals


def test_concurrent_repayments_never_exceed_what_is_owed(runtime: Runtime) -> None:
    coop = establish(runtime)
    member = admit_person(runtime, coop)
    loan = UUID(
        runtime.app.disburse_loan(
            OFFICER,
            coop,
            DisburseLoan(member_id=member, principal=1_000_000, term_months=6, purpose="Modal"),
            NO_OPTIONS,
        ).extra["loan_id"]
    )

    def repay() -> object:
        return runtime.app.repay_loan(OFFICER, coop, loan, RepayLoan(amount=300_000), NO_OPTIONS)

    wins, refusals = race([repay] * 8)

    cooperative = runtime.app.get_cooperative(OFFICER, coop)
    assert cooperative.loans[loan].repaid == 300_000 * wins
    assert cooperative.loans[loan].repaid <= 1_000_000
    assert wins == 3
    assert len(refusals) == 5
    assert all(isinstance(e, RepaymentExceedsOutstanding | LoanAlreadyRepaid) for e in refusals)
    assert {status_for(error) for error in refusals} == {409}
    assert cooperative.loans[loan].outstanding == 100_000


def test_concurrent_withdrawals_never_overdraw_a_balance(runtime: Runtime) -> None:
    coop = establish(runtime)
    member = admit_person(runtime, coop)
    runtime.app.deposit_savings(
        OFFICER,
        coop,
        DepositSavings(member_id=member, kind=SavingsKind.SUKARELA, amount=100_000),
        NO_OPTIONS,
    )

    def withdraw() -> object:
        return runtime.app.withdraw_savings(
            OFFICER, coop, WithdrawSavings(member_id=member, amount=40_000), NO_OPTIONS
        )

    wins, refusals = race([withdraw] * 6)

    balance = runtime.app.get_cooperative(OFFICER, coop).members[member].balances["sukarela"]
    assert wins == 2
    assert balance == 20_000
    assert all(isinstance(e, WithdrawalExceedsBalance) for e in refusals)
    assert all(isinstance(e, RuleViolation) for e in refusals)
