"""The cooperative's aggregate: its events and the commands that check the rules of the
books (``domain.cooperative`` states them) before recording what happened."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from domain.cooperative.errors import (
    AlreadyAMember,
    AnnualMeetingAlreadyHeld,
    DateTooEarly,
    LoanAlreadyRepaid,
    MemberAlreadyErased,
    MemberHasLeft,
    MemberIsAWorker,
    NoSuchLoan,
    NotAMember,
    OutstandingLoanBlocksLeaving,
    RepaymentExceedsOutstanding,
    SavingsLockedWhileMember,
    WithdrawalExceedsBalance,
)
from domain.cooperative.state import (
    MAX_ATTENDEES,
    MAX_TERM_MONTHS,
    WITHDRAWABLE_WHILE_MEMBER,
    BusinessUnit,
    Loan,
    Meeting,
    Member,
    MemberKind,
    SavingsKind,
)
from domain.errors import InvalidValue
from domain.events import ERASED, Actor, JejakAggregate, JejakCreated, JejakEvent
from domain.money import Amount, rupiah
from domain.nik import Nik
from domain.numbers import whole_number
from domain.regions import RegionCode
from domain.text import one_line


class Cooperative(JejakAggregate):
    """A village cooperative's books, keeping the rules ``domain.cooperative`` states."""

    TOPIC = "jejak:Cooperative"

    class Event(JejakEvent):
        pass

    class Established(Event, JejakCreated):
        TOPIC = "jejak:Cooperative.Established"

        name: str
        village_code: str
        legal_entity_number: str | None

        def apply(self, cooperative: Any) -> None:
            cooperative.name = self.name
            cooperative.village_code = self.village_code
            cooperative.legal_entity_number = self.legal_entity_number
            cooperative.established_on = self.occurred_on
            cooperative.members = {}
            cooperative.loans = {}
            cooperative.business_units = []
            cooperative.meetings = []

    class MemberAdmitted(Event):
        """A registered worker (``worker_id``) or a family or community member named here.
        The name and NIK are personal data, sealed with a key of the member's own."""

        TOPIC = "jejak:Cooperative.MemberAdmitted"
        PERSONAL_FIELDS = {"name": ERASED, "nik": None}
        PERSONAL_SUBJECT = "member_id"

        member_id: UUID
        kind: str
        worker_id: UUID | None
        name: str | None
        nik: str | None

        def apply(self, cooperative: Any) -> None:
            cooperative.members[self.member_id] = Member(
                id=self.member_id,
                kind=self.kind,
                worker_id=self.worker_id,
                name=self.name,
                nik=self.nik,
                admitted_on=self.occurred_on,
            )

    class MemberWithdrew(Event):
        """The member left; ``refunded`` is what was paid back to them, per kind."""

        TOPIC = "jejak:Cooperative.MemberWithdrew"

        member_id: UUID
        refunded: dict[str, int]

        def apply(self, cooperative: Any) -> None:
            member: Member = cooperative.members[self.member_id]
            member.left_on = self.occurred_on
            member.refunded = dict(self.refunded)
            for kind, amount in self.refunded.items():
                member.balances[kind] -= amount

    class MemberPersonalDataErased(Event):
        """The name and NIK of a member who is not a registered worker were erased on request
        (UU 27/2022): the member's key is destroyed, so ``MemberAdmitted`` reads as
        ``[erased]`` while balances, loans and counts stay. A worker member is erased as a
        worker."""

        TOPIC = "jejak:Cooperative.MemberPersonalDataErased"

        member_id: UUID
        reason: str

        def apply(self, cooperative: Any) -> None:
            member: Member = cooperative.members[self.member_id]
            member.name = ERASED
            member.nik = None

    class SavingsDeposited(Event):
        TOPIC = "jejak:Cooperative.SavingsDeposited"

        member_id: UUID
        kind: str
        amount: int

        def apply(self, cooperative: Any) -> None:
            cooperative.members[self.member_id].balances[self.kind] += self.amount

    class SavingsWithdrawn(Event):
        TOPIC = "jejak:Cooperative.SavingsWithdrawn"

        member_id: UUID
        kind: str
        amount: int

        def apply(self, cooperative: Any) -> None:
            cooperative.members[self.member_id].balances[self.kind] -= self.amount

    class LoanDisbursed(Event):
        TOPIC = "jejak:Cooperative.LoanDisbursed"

        loan_id: UUID
        member_id: UUID
        principal: int
        term_months: int
        purpose: str

        def apply(self, cooperative: Any) -> None:
            cooperative.loans[self.loan_id] = Loan(
                id=self.loan_id,
                member_id=self.member_id,
                principal=self.principal,
                term_months=self.term_months,
                purpose=self.purpose,
                disbursed_on=self.occurred_on,
            )

    class LoanRepaid(Event):
        TOPIC = "jejak:Cooperative.LoanRepaid"

        loan_id: UUID
        amount: int

        def apply(self, cooperative: Any) -> None:
            loan: Loan = cooperative.loans[self.loan_id]
            loan.repaid += self.amount
            loan.repayments += 1

    class BusinessUnitOpened(Event):
        TOPIC = "jejak:Cooperative.BusinessUnitOpened"

        unit_id: UUID
        name: str
        sector: str

        def apply(self, cooperative: Any) -> None:
            cooperative.business_units.append(
                BusinessUnit(self.unit_id, self.name, self.sector, self.occurred_on)
            )

    class AnnualMeetingHeld(Event):
        TOPIC = "jejak:Cooperative.AnnualMeetingHeld"

        attendees: int

        def apply(self, cooperative: Any) -> None:
            cooperative.meetings.append(Meeting(self.occurred_on, self.attendees))

    if TYPE_CHECKING:  # state set by the events' apply(); the metaclass would turn
        # class annotations into required __init__ parameters.
        name: str
        village_code: str
        legal_entity_number: str | None
        established_on: date
        members: dict[UUID, Member]
        loans: dict[UUID, Loan]
        business_units: list[BusinessUnit]
        meetings: list[Meeting]

    # Commands ---------------------------------------------------------------------------

    @classmethod
    def establish(
        cls,
        *,
        name: str,
        village: RegionCode,
        legal_entity_number: str | None,
        actor: Actor,
        established_on: date,
    ) -> Cooperative:
        number = None
        if legal_entity_number is not None and legal_entity_number.strip():
            number = one_line(legal_entity_number, "legal_entity_number")
        return cls._start(
            cls.Established,
            id=uuid4(),
            actor=actor,
            occurred_on=established_on,
            name=one_line(name, "name"),
            village_code=village.value,
            legal_entity_number=number,
        )

    def admit_member(
        self,
        *,
        kind: MemberKind,
        worker_id: UUID | None,
        name: str | None,
        nik: Nik | None,
        actor: Actor,
        occurred_on: date,
    ) -> UUID:
        """Admits a registered worker (by id) or a family or community member (by name, and
        NIK when they have one). A returnee is usually a registered worker, but may have come
        home before the village recorded journeys, so may be admitted by name too. A person
        already an active member is not admitted twice."""
        self._not_before(occurred_on, self.established_on, "occurred_on", reason=_AFTER_ESTABLISHED)
        if worker_id is not None and (name is not None or nik is not None):
            raise InvalidValue(field="person", reason="give either worker_id or person, not both")
        if worker_id is None and name is None:
            raise InvalidValue(field="worker_id", reason="give either worker_id or person")
        for member in self.members.values():
            same_worker = worker_id is not None and member.worker_id == worker_id
            same_nik = nik is not None and member.nik == nik.digits
            if member.active and (same_worker or same_nik):
                raise AlreadyAMember(member_id=str(member.id))
        member_id = uuid4()
        self._record(
            self.MemberAdmitted,
            actor=actor,
            occurred_on=occurred_on,
            member_id=member_id,
            kind=kind.value,
            worker_id=worker_id,
            name=None if name is None else one_line(name, "person.name"),
            nik=None if nik is None else nik.digits,
        )
        return member_id

    def erase_member_personal_data(
        self, *, member_id: UUID, reason: str, actor: Actor, occurred_on: date
    ) -> None:
        """Records the erasure of a named member's data; the caller destroys their key."""
        member = self.members.get(member_id)
        if member is None:
            raise NotAMember(member_id=str(member_id))
        if member.worker_id is not None:
            raise MemberIsAWorker(member_id=str(member_id), worker_id=str(member.worker_id))
        if member.name == ERASED:
            raise MemberAlreadyErased(member_id=str(member_id))
        self._record(
            self.MemberPersonalDataErased,
            actor=actor,
            occurred_on=occurred_on,
            member_id=member_id,
            reason=one_line(reason, "reason"),
        )

    def withdraw_member(
        self, *, member_id: UUID, actor: Actor, occurred_on: date
    ) -> dict[str, int]:
        """The member leaves and every saving is paid back to them; refused while they owe
        on a loan. Returns what is paid back, per kind."""
        member = self._active_member(member_id)
        self._not_before(occurred_on, self.established_on, "occurred_on", reason=_AFTER_ESTABLISHED)
        owing = [loan for loan in self.loans.values() if loan.member_id == member_id]
        outstanding = sum(loan.outstanding for loan in owing)
        if outstanding > 0:
            open_loans = sum(1 for loan in owing if loan.outstanding > 0)
            raise OutstandingLoanBlocksLeaving(outstanding=Amount(outstanding), loans=open_loans)
        refunded = {str(kind): amount for kind, amount in member.balances.items() if amount}
        self._record(
            self.MemberWithdrew,
            actor=actor,
            occurred_on=occurred_on,
            member_id=member_id,
            refunded=refunded,
        )
        return refunded

    def deposit_savings(
        self, *, member_id: UUID, kind: SavingsKind, amount: int, actor: Actor, occurred_on: date
    ) -> None:
        self._active_member(member_id)
        self._not_before(occurred_on, self.established_on, "occurred_on", reason=_AFTER_ESTABLISHED)
        self._record(
            self.SavingsDeposited,
            actor=actor,
            occurred_on=occurred_on,
            member_id=member_id,
            kind=kind.value,
            amount=rupiah(amount),
        )

    def withdraw_savings(
        self, *, member_id: UUID, kind: SavingsKind, amount: int, actor: Actor, occurred_on: date
    ) -> int:
        """Takes simpanan sukarela out, up to its balance; returns the balance left."""
        member = self._active_member(member_id)
        self._not_before(occurred_on, self.established_on, "occurred_on", reason=_AFTER_ESTABLISHED)
        amount = rupiah(amount)
        if kind not in WITHDRAWABLE_WHILE_MEMBER:
            raise SavingsLockedWhileMember(kind=kind.value)
        balance = member.balances[kind.value]
        if amount > balance:
            raise WithdrawalExceedsBalance(
                kind=kind.value, balance=Amount(balance), amount=Amount(amount)
            )
        self._record(
            self.SavingsWithdrawn,
            actor=actor,
            occurred_on=occurred_on,
            member_id=member_id,
            kind=kind.value,
            amount=amount,
        )
        return member.balances[kind.value]

    def disburse_loan(
        self,
        *,
        member_id: UUID,
        principal: int,
        term_months: int,
        purpose: str,
        actor: Actor,
        occurred_on: date,
    ) -> UUID:
        self._active_member(member_id)
        self._not_before(occurred_on, self.established_on, "occurred_on", reason=_AFTER_ESTABLISHED)
        amount = rupiah(principal, "principal")
        term_months = whole_number(
            term_months, "term_months", reason="must be a whole number of months"
        )
        if not 1 <= term_months <= MAX_TERM_MONTHS:
            raise InvalidValue(field="term_months", reason="must be 1 to 120 months")
        loan_id = uuid4()
        self._record(
            self.LoanDisbursed,
            actor=actor,
            occurred_on=occurred_on,
            loan_id=loan_id,
            member_id=member_id,
            principal=amount,
            term_months=term_months,
            purpose=one_line(purpose, "purpose"),
        )
        return loan_id

    def repay_loan(self, *, loan_id: UUID, amount: int, actor: Actor, occurred_on: date) -> int:
        """Records a repayment, never more than is owed; returns what is still owed."""
        loan = self.loans.get(loan_id)
        if loan is None:
            raise NoSuchLoan(loan_id=str(loan_id))
        self._active_member(loan.member_id)
        self._not_before(occurred_on, loan.disbursed_on, "occurred_on", reason=_AFTER_DISBURSED)
        amount = rupiah(amount)
        if loan.outstanding == 0:
            raise LoanAlreadyRepaid(loan_id=str(loan_id))
        if amount > loan.outstanding:
            raise RepaymentExceedsOutstanding(
                loan_id=str(loan_id),
                outstanding=Amount(loan.outstanding),
                amount=Amount(amount),
            )
        self._record(
            self.LoanRepaid, actor=actor, occurred_on=occurred_on, loan_id=loan_id, amount=amount
        )
        return loan.outstanding

    def open_business_unit(
        self, *, name: str, sector: str, actor: Actor, occurred_on: date
    ) -> UUID:
        self._not_before(occurred_on, self.established_on, "occurred_on", reason=_AFTER_ESTABLISHED)
        unit_id = uuid4()
        self._record(
            self.BusinessUnitOpened,
            actor=actor,
            occurred_on=occurred_on,
            unit_id=unit_id,
            name=one_line(name, "name"),
            sector=one_line(sector, "sector"),
        )
        return unit_id

    def hold_annual_meeting(self, *, attendees: int, actor: Actor, held_on: date) -> None:
        """The RAT is held once a year. Its attendance is not checked against the members on
        record: a cooperative often has members Jejak has not recorded (yet)."""
        self._not_before(held_on, self.established_on, "held_on", reason=_AFTER_ESTABLISHED)
        attendees = whole_number(attendees, "attendees", reason="must be a whole number")
        if attendees < 1:
            raise InvalidValue(field="attendees", reason="must be at least 1")
        if attendees > MAX_ATTENDEES:
            raise InvalidValue(field="attendees", reason="is more than a village can gather")
        for meeting in self.meetings:
            if meeting.held_on.year == held_on.year:
                raise AnnualMeetingAlreadyHeld(
                    year=held_on.year, held_on=meeting.held_on.isoformat()
                )
        self._record(self.AnnualMeetingHeld, actor=actor, occurred_on=held_on, attendees=attendees)

    # Queries ----------------------------------------------------------------------------

    def members_on(self, day: date) -> int:
        """How many people were members on a day (admitted by then, not yet left)."""
        return sum(
            1
            for member in self.members.values()
            if member.admitted_on <= day and (member.left_on is None or member.left_on > day)
        )

    def outstanding_of(self, member_id: UUID) -> int:
        return sum(loan.outstanding for loan in self.loans.values() if loan.member_id == member_id)

    @property
    def total_savings(self) -> int:
        return sum(member.total_savings for member in self.members.values())

    @property
    def total_outstanding(self) -> int:
        return sum(loan.outstanding for loan in self.loans.values())

    # Rules shared by the commands -----------------------------------------------------

    def _active_member(self, member_id: UUID) -> Member:
        member = self.members.get(member_id)
        if member is None:
            raise NotAMember(member_id=str(member_id))
        if member.left_on is not None:
            raise MemberHasLeft(member_id=str(member_id), left_on=member.left_on.isoformat())
        return member

    @staticmethod
    def _not_before(day: date, earliest: date, field: str, reason: str) -> None:
        if day < earliest:
            raise DateTooEarly(field=field, reason=reason, earliest=earliest.isoformat())


_AFTER_ESTABLISHED = "cannot be before the cooperative was established"
_AFTER_DISBURSED = "cannot be before the loan was disbursed"
