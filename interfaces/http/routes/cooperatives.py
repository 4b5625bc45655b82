"""Koperasi Desmigratif (pillar 4): establishment and the cooperative's books."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

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
from domain.cooperative import Cooperative
from interfaces.http.deps import AppDep, PrincipalDep, WriteOptionsDep
from interfaces.http.respond import created
from interfaces.http.schemas.common import WriteResponse
from interfaces.http.schemas.cooperatives import (
    AdmitMemberBody,
    BalancesView,
    BusinessUnitBody,
    BusinessUnitResponse,
    BusinessUnitView,
    CooperativeView,
    EstablishCooperativeBody,
    LoanBody,
    LoanResponse,
    LoanView,
    MeetingBody,
    MeetingView,
    MemberResponse,
    MemberView,
    MemberWithdrawalBody,
    MemberWithdrawalResponse,
    RepaymentBody,
    RepaymentResponse,
    SavingsBody,
    SavingsWithdrawalBody,
    SavingsWithdrawalResponse,
    TotalsView,
)
from interfaces.http.schemas.workers import ERASURE_ON_REQUEST, ErasureBody

router = APIRouter(prefix="/v1", tags=["cooperatives"])


@router.post("/cooperatives", status_code=201, response_model=WriteResponse)
def establish_cooperative(
    body: EstablishCooperativeBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> WriteResponse:
    """Establishes the cooperative of a designated Desmigratif village in the caller's scope
    (another village is 403; a village not designated yet is 409)."""
    command = EstablishCooperative(
        name=body.name,
        village_code=body.village_code,
        legal_entity_number=body.legal_entity_number,
        established_on=body.established_on,
    )
    result = app.establish_cooperative(principal, command, options)
    return WriteResponse.model_validate(created(response, result))


@router.get("/cooperatives/{cooperative_id}", response_model=CooperativeView)
def get_cooperative(
    cooperative_id: UUID, principal: PrincipalDep, app: AppDep, response: Response
) -> CooperativeView:
    """Members with their balances per kind of saving, loans with what is outstanding,
    business units and annual meetings."""
    cooperative = app.get_cooperative(principal, cooperative_id)
    response.headers["ETag"] = f'"{cooperative.version}"'
    return cooperative_view(cooperative)


@router.post(
    "/cooperatives/{cooperative_id}/members", status_code=201, response_model=MemberResponse
)
def admit_member(
    cooperative_id: UUID,
    body: AdmitMemberBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> MemberResponse:
    """Admits a registered worker (``worker_id``) or a family or community member
    (``person: {name, nik?}``); answers the new ``member_id``."""
    person = None if body.person is None else Person(name=body.person.name, nik=body.person.nik)
    command = AdmitMember(
        kind=body.kind, worker_id=body.worker_id, person=person, occurred_on=body.occurred_on
    )
    result = app.admit_member(principal, cooperative_id, command, options)
    return MemberResponse.model_validate(created(response, result))


@router.post(
    "/cooperatives/{cooperative_id}/members/{member_id}/withdrawal",
    status_code=201,
    response_model=MemberWithdrawalResponse,
)
def withdraw_member(
    cooperative_id: UUID,
    member_id: UUID,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
    body: MemberWithdrawalBody | None = None,
) -> MemberWithdrawalResponse:
    """The member leaves the cooperative and every saving is paid back (``refunded``, per
    kind). Refused (409) while they owe on a loan."""
    command = WithdrawMember(occurred_on=None if body is None else body.occurred_on)
    result = app.withdraw_member(principal, cooperative_id, member_id, command, options)
    return MemberWithdrawalResponse.model_validate(created(response, result))


@router.post(
    "/cooperatives/{cooperative_id}/members/{member_id}/erasure",
    status_code=201,
    response_model=WriteResponse,
)
def erase_member(
    cooperative_id: UUID,
    member_id: UUID,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
    body: ErasureBody | None = None,
) -> WriteResponse:
    """Admin: erase a family or community member's name and NIK (UU 27/2022), as
    ``/v1/workers/{id}/erasure`` does for a worker (a worker member is erased that way: 409
    here). Balances, loans and counts stay; the body is optional."""
    reason = body.reason if body is not None else ERASURE_ON_REQUEST
    result = app.erase_member(principal, cooperative_id, member_id, reason, options)
    return WriteResponse.model_validate(created(response, result))


@router.post(
    "/cooperatives/{cooperative_id}/savings", status_code=201, response_model=MemberResponse
)
def deposit_savings(
    cooperative_id: UUID,
    body: SavingsBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> MemberResponse:
    """A member's deposit of simpanan pokok, wajib or sukarela, in whole rupiah."""
    command = DepositSavings(
        member_id=body.member_id, kind=body.kind, amount=body.amount, occurred_on=body.occurred_on
    )
    result = app.deposit_savings(principal, cooperative_id, command, options)
    return MemberResponse.model_validate(created(response, result))


@router.post(
    "/cooperatives/{cooperative_id}/savings-withdrawals",
    status_code=201,
    response_model=SavingsWithdrawalResponse,
)
def withdraw_savings(
    cooperative_id: UUID,
    body: SavingsWithdrawalBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> SavingsWithdrawalResponse:
    """Takes out simpanan sukarela, up to the member's balance (``balance`` is what is left).
    Pokok and wajib are paid back only when the member leaves."""
    command = WithdrawSavings(
        member_id=body.member_id, amount=body.amount, kind=body.kind, occurred_on=body.occurred_on
    )
    result = app.withdraw_savings(principal, cooperative_id, command, options)
    return SavingsWithdrawalResponse.model_validate(created(response, result))


@router.post("/cooperatives/{cooperative_id}/loans", status_code=201, response_model=LoanResponse)
def disburse_loan(
    cooperative_id: UUID,
    body: LoanBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> LoanResponse:
    """A loan to a member, with its term and purpose; answers the new ``loan_id``."""
    command = DisburseLoan(
        member_id=body.member_id,
        principal=body.principal,
        term_months=body.term_months,
        purpose=body.purpose,
        occurred_on=body.occurred_on,
    )
    result = app.disburse_loan(principal, cooperative_id, command, options)
    return LoanResponse.model_validate(created(response, result))


@router.post(
    "/cooperatives/{cooperative_id}/loans/{loan_id}/repayments",
    status_code=201,
    response_model=RepaymentResponse,
)
def repay_loan(
    cooperative_id: UUID,
    loan_id: UUID,
    body: RepaymentBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> RepaymentResponse:
    """A repayment of at most what is owed (``outstanding`` is what is still owed)."""
    command = RepayLoan(amount=body.amount, occurred_on=body.occurred_on)
    result = app.repay_loan(principal, cooperative_id, loan_id, command, options)
    return RepaymentResponse.model_validate(created(response, result))


@router.post(
    "/cooperatives/{cooperative_id}/business-units",
    status_code=201,
    response_model=BusinessUnitResponse,
)
def open_business_unit(
    cooperative_id: UUID,
    body: BusinessUnitBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> BusinessUnitResponse:
    command = OpenBusinessUnit(name=body.name, sector=body.sector, occurred_on=body.occurred_on)
    result = app.open_business_unit(principal, cooperative_id, command, options)
    return BusinessUnitResponse.model_validate(created(response, result))


@router.post(
    "/cooperatives/{cooperative_id}/meetings", status_code=201, response_model=WriteResponse
)
def hold_annual_meeting(
    cooperative_id: UUID,
    body: MeetingBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> WriteResponse:
    """The annual members' meeting (RAT): once a year, attended by members."""
    command = HoldAnnualMeeting(attendees=body.attendees, held_on=body.held_on)
    result = app.hold_annual_meeting(principal, cooperative_id, command, options)
    return WriteResponse.model_validate(created(response, result))


def cooperative_view(cooperative: Cooperative) -> CooperativeView:
    members = sorted(cooperative.members.values(), key=lambda m: (m.admitted_on, str(m.id)))
    loans = sorted(cooperative.loans.values(), key=lambda loan: (loan.disbursed_on, str(loan.id)))
    return CooperativeView(
        id=str(cooperative.id),
        version=cooperative.version,
        name=cooperative.name,
        village_code=cooperative.village_code,
        legal_entity_number=cooperative.legal_entity_number,
        established_on=cooperative.established_on,
        members=[
            MemberView(
                member_id=str(member.id),
                kind=member.kind,
                worker_id=None if member.worker_id is None else str(member.worker_id),
                name=member.name,
                nik=member.nik,
                status="active" if member.active else "left",
                admitted_on=member.admitted_on,
                left_on=member.left_on,
                balances=BalancesView.model_validate(member.balances),
                total_savings=member.total_savings,
                outstanding=cooperative.outstanding_of(member.id),
                refunded=member.refunded,
            )
            for member in members
        ],
        loans=[
            LoanView(
                loan_id=str(loan.id),
                member_id=str(loan.member_id),
                principal=loan.principal,
                term_months=loan.term_months,
                purpose=loan.purpose,
                disbursed_on=loan.disbursed_on,
                repaid=loan.repaid,
                outstanding=loan.outstanding,
                status="outstanding" if loan.outstanding else "repaid",
            )
            for loan in loans
        ],
        business_units=[
            BusinessUnitView(
                business_unit_id=str(unit.id),
                name=unit.name,
                sector=unit.sector,
                opened_on=unit.opened_on,
            )
            for unit in cooperative.business_units
        ],
        meetings=[
            MeetingView(held_on=meeting.held_on, attendees=meeting.attendees)
            for meeting in cooperative.meetings
        ],
        totals=TotalsView(
            active_members=sum(1 for m in cooperative.members.values() if m.active),
            savings=cooperative.total_savings,
            outstanding=cooperative.total_outstanding,
        ),
    )
