"""Koperasi Desmigratif (pillar 4): establishment and the cooperative's books.

Every write loads the cooperative afresh inside ``decide()``, so when two treasurers record at
the same moment (two repayments of one loan, say) the loser is decided again on the winner's
state and the money rules are checked once more: together they can never exceed what is owed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from application.base import JejakBase
from application.checks import day_of, readable_worker, registered_village
from application.errors import NotFound
from application.principal import RECORDING_ROLES, Principal
from application.workers import ERASURE_ROLES
from application.writes import Change, WriteOptions, WriteResult, check_expected_version
from domain.cooperative import Cooperative, MemberAlreadyErased, MemberKind, SavingsKind
from domain.errors import InvalidValue
from domain.nik import Nik
from domain.worker import WorkerErased

COOPERATIVE = "cooperative"


@dataclass(frozen=True)
class EstablishCooperative:
    name: str
    village_code: str
    established_on: date | None = None
    legal_entity_number: str | None = None


@dataclass(frozen=True)
class Person:
    """A family or community member who is not a registered worker."""

    name: str
    nik: str | None = None


@dataclass(frozen=True)
class AdmitMember:
    kind: MemberKind
    worker_id: UUID | None = None
    person: Person | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class WithdrawMember:
    occurred_on: date | None = None


@dataclass(frozen=True)
class DepositSavings:
    member_id: UUID
    kind: SavingsKind
    amount: int
    occurred_on: date | None = None


@dataclass(frozen=True)
class WithdrawSavings:
    member_id: UUID
    amount: int
    kind: SavingsKind = SavingsKind.SUKARELA
    occurred_on: date | None = None


@dataclass(frozen=True)
class DisburseLoan:
    member_id: UUID
    principal: int
    term_months: int
    purpose: str
    occurred_on: date | None = None


@dataclass(frozen=True)
class RepayLoan:
    amount: int
    occurred_on: date | None = None


@dataclass(frozen=True)
class OpenBusinessUnit:
    name: str
    sector: str
    occurred_on: date | None = None


@dataclass(frozen=True)
class HoldAnnualMeeting:
    attendees: int
    held_on: date | None = None


class CooperativeUseCases(JejakBase):
    def establish_cooperative(
        self, principal: Principal, command: EstablishCooperative, options: WriteOptions
    ) -> WriteResult:
        """Establishes a cooperative of a village in the caller's scope (another village is
        403). The village need not be designated yet: a cooperative often comes before the
        programme does (pillar 4 can grow from a BUMDes), and it exists either way."""
        principal.require_role(RECORDING_ROLES, "establish cooperatives")
        code = registered_village(self, command.village_code, "village_code")
        principal.require_recording_in(code.value, "establish cooperatives")
        established_on = day_of(self, command.established_on, "established_on")

        def decide() -> Change:
            cooperative = Cooperative.establish(
                name=command.name,
                village=code,
                legal_entity_number=command.legal_entity_number,
                actor=principal.actor,
                established_on=established_on,
            )
            return Change(cooperative)

        return self._execute(principal, options, decide)

    def get_cooperative(self, principal: Principal, cooperative_id: UUID) -> Cooperative:
        cooperative = self._load(cooperative_id, Cooperative, COOPERATIVE)
        principal.require_reading(cooperative.village_code, COOPERATIVE)
        # Members' names and balances are personal (financial) data.
        self.log_access(principal, "read_personal_data", str(cooperative.id))
        return cooperative

    def admit_member(
        self,
        principal: Principal,
        cooperative_id: UUID,
        command: AdmitMember,
        options: WriteOptions,
    ) -> WriteResult:
        """Admits a registered worker the caller may read, or a family or community member
        by name (and NIK, when they have one)."""
        occurred_on = day_of(self, command.occurred_on, "occurred_on")
        person = command.person
        nik = _member_nik(person.nik) if person is not None and person.nik else None

        def act(cooperative: Cooperative, principal: Principal) -> Mapping[str, Any]:
            if command.worker_id is not None:
                worker = readable_worker(self, principal, command.worker_id, "worker_id")
                if worker.erased:
                    raise WorkerErased()
            member_id = cooperative.admit_member(
                kind=command.kind,
                worker_id=command.worker_id,
                name=None if person is None else person.name,
                nik=nik,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"member_id": str(member_id)}

        return self._record_on(principal, cooperative_id, options, "admit members", act)

    def erase_member(
        self,
        principal: Principal,
        cooperative_id: UUID,
        member_id: UUID,
        reason: str,
        options: WriteOptions,
    ) -> WriteResult:
        """Admin: erasure on request of a family or community member (UU 27/2022), as for a
        worker: the erasure is recorded, then the member's key is destroyed, so their name
        and NIK read as ``[erased]`` while the books stay whole and verifiable."""
        principal.require_role(ERASURE_ROLES, "erase personal data")
        occurred_on = self.services.clock.today()

        def decide() -> Change:
            cooperative = self._load(cooperative_id, Cooperative, COOPERATIVE)
            check_expected_version(cooperative, options)
            try:
                cooperative.erase_member_personal_data(
                    member_id=member_id,
                    reason=reason,
                    actor=principal.actor,
                    occurred_on=occurred_on,
                )
            except MemberAlreadyErased:
                self._shred_member(cooperative_id, member_id)  # finish an interrupted one
                raise
            return Change(cooperative)

        result = self._execute(principal, options, decide)
        self._shred_member(cooperative_id, member_id)
        return result

    def _shred_member(self, cooperative_id: UUID, member_id: UUID) -> None:
        self.personal_data.destroy_key(member_id)
        self.personal_data.purge([cooperative_id])

    def withdraw_member(
        self,
        principal: Principal,
        cooperative_id: UUID,
        member_id: UUID,
        command: WithdrawMember,
        options: WriteOptions,
    ) -> WriteResult:
        """The member leaves; the answer's ``refunded`` is what to pay back, per kind."""
        occurred_on = day_of(self, command.occurred_on, "occurred_on")

        def act(cooperative: Cooperative, principal: Principal) -> Mapping[str, Any]:
            if member_id not in cooperative.members:
                raise NotFound(what="member")
            refunded = cooperative.withdraw_member(
                member_id=member_id, actor=principal.actor, occurred_on=occurred_on
            )
            return {"member_id": str(member_id), "refunded": refunded}

        return self._record_on(principal, cooperative_id, options, "record withdrawals", act)

    def deposit_savings(
        self,
        principal: Principal,
        cooperative_id: UUID,
        command: DepositSavings,
        options: WriteOptions,
    ) -> WriteResult:
        occurred_on = day_of(self, command.occurred_on, "occurred_on")

        def act(cooperative: Cooperative, principal: Principal) -> Mapping[str, Any]:
            cooperative.deposit_savings(
                member_id=command.member_id,
                kind=command.kind,
                amount=command.amount,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"member_id": str(command.member_id)}

        return self._record_on(principal, cooperative_id, options, "record savings", act)

    def withdraw_savings(
        self,
        principal: Principal,
        cooperative_id: UUID,
        command: WithdrawSavings,
        options: WriteOptions,
    ) -> WriteResult:
        """Takes out simpanan sukarela, up to the member's balance; the answer's ``balance``
        is what is left."""
        occurred_on = day_of(self, command.occurred_on, "occurred_on")

        def act(cooperative: Cooperative, principal: Principal) -> Mapping[str, Any]:
            balance = cooperative.withdraw_savings(
                member_id=command.member_id,
                kind=command.kind,
                amount=command.amount,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"member_id": str(command.member_id), "balance": balance}

        return self._record_on(principal, cooperative_id, options, "record withdrawals", act)

    def disburse_loan(
        self,
        principal: Principal,
        cooperative_id: UUID,
        command: DisburseLoan,
        options: WriteOptions,
    ) -> WriteResult:
        occurred_on = day_of(self, command.occurred_on, "occurred_on")

        def act(cooperative: Cooperative, principal: Principal) -> Mapping[str, Any]:
            loan_id = cooperative.disburse_loan(
                member_id=command.member_id,
                principal=command.principal,
                term_months=command.term_months,
                purpose=command.purpose,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"loan_id": str(loan_id)}

        return self._record_on(principal, cooperative_id, options, "record loans", act)

    def repay_loan(
        self,
        principal: Principal,
        cooperative_id: UUID,
        loan_id: UUID,
        command: RepayLoan,
        options: WriteOptions,
    ) -> WriteResult:
        """Records a repayment of at most what is owed; the answer's ``outstanding`` is what
        is still owed."""
        occurred_on = day_of(self, command.occurred_on, "occurred_on")

        def act(cooperative: Cooperative, principal: Principal) -> Mapping[str, Any]:
            if loan_id not in cooperative.loans:
                raise NotFound(what="loan")
            outstanding = cooperative.repay_loan(
                loan_id=loan_id,
                amount=command.amount,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"loan_id": str(loan_id), "outstanding": outstanding}

        return self._record_on(principal, cooperative_id, options, "record repayments", act)

    def open_business_unit(
        self,
        principal: Principal,
        cooperative_id: UUID,
        command: OpenBusinessUnit,
        options: WriteOptions,
    ) -> WriteResult:
        occurred_on = day_of(self, command.occurred_on, "occurred_on")

        def act(cooperative: Cooperative, principal: Principal) -> Mapping[str, Any]:
            unit_id = cooperative.open_business_unit(
                name=command.name,
                sector=command.sector,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {"business_unit_id": str(unit_id)}

        return self._record_on(principal, cooperative_id, options, "open business units", act)

    def hold_annual_meeting(
        self,
        principal: Principal,
        cooperative_id: UUID,
        command: HoldAnnualMeeting,
        options: WriteOptions,
    ) -> WriteResult:
        held_on = day_of(self, command.held_on, "held_on")

        def act(cooperative: Cooperative, principal: Principal) -> Mapping[str, Any]:
            cooperative.hold_annual_meeting(
                attendees=command.attendees, actor=principal.actor, held_on=held_on
            )
            return {}

        return self._record_on(principal, cooperative_id, options, "record meetings", act)

    # The write path every cooperative command shares --------------------------------------

    def _record_on(
        self,
        principal: Principal,
        cooperative_id: UUID,
        options: WriteOptions,
        action: str,
        act: Callable[[Cooperative, Principal], Mapping[str, Any]],
    ) -> WriteResult:
        """Loads the cooperative (404 outside the caller's scope), checks If-Match, runs the
        command on it and saves; decided again on fresh state when a concurrent write won."""
        principal.require_role(RECORDING_ROLES, action)

        def decide() -> Change:
            cooperative = self._load(cooperative_id, Cooperative, COOPERATIVE)
            principal.require_recording_on(cooperative.village_code, COOPERATIVE, action)
            check_expected_version(cooperative, options)
            extra = act(cooperative, principal)
            return Change(cooperative, extra=extra)

        return self._execute(principal, options, decide)


def _member_nik(value: str) -> Nik:
    """A family or community member's NIK; an error names ``person.nik``, as the body does."""
    try:
        return Nik.parse(value)
    except InvalidValue as error:
        raise InvalidValue(field="person.nik", reason=error.params["reason"]) from None
