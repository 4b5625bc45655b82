"""Cooperative bodies (Appendix A). Money is a JSON integer of rupiah: ``1.5``, ``"1000"``
and ``1000.0`` are refused (strict), as are zero, negatives and more than Rp 1.000.000.000 in
one transaction (see ``domain.money``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.cooperative import MAX_ATTENDEES, MAX_TERM_MONTHS, MemberKind, SavingsKind
from domain.money import MAX_AMOUNT
from interfaces.http.schemas.common import Body, Code, ShortText, WriteResponse, example

Rupiah = Annotated[
    int,
    Field(strict=True, gt=0, le=MAX_AMOUNT, description="whole rupiah", examples=[250000]),
]


class EstablishCooperativeBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            name="Koperasi Desmigratif Ternyang Sejahtera",
            village_code="35.07.12.2001",
            legal_entity_number="AHU-0001234.AH.01.26.TAHUN 2019",
            established_on="2019-03-01",
        )
    )

    name: ShortText
    village_code: Code
    legal_entity_number: ShortText | None = None
    established_on: date | None = None


class PersonBody(Body):
    name: ShortText
    nik: str | None = Field(default=None, min_length=1, max_length=32)


class AdmitMemberBody(Body):
    """A registered worker by ``worker_id``, or a family or community member as ``person``."""

    model_config = ConfigDict(
        json_schema_extra=example(person={"name": "Sri Wahyuni"}, kind="family")
    )

    worker_id: UUID | None = None
    person: PersonBody | None = None
    kind: MemberKind
    occurred_on: date | None = None


class MemberResponse(WriteResponse):
    member_id: str


class MemberWithdrawalBody(Body):
    occurred_on: date | None = None


class MemberWithdrawalResponse(MemberResponse):
    refunded: dict[str, int] = Field(description="savings paid back to the member, per kind")


class SavingsBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            member_id="5b0e8c8e-3c3a-4f0e-9a57-0c1d2e3f4a5b",
            kind="wajib",
            amount=25000,
            occurred_on="2024-05-02",
        )
    )

    member_id: UUID
    kind: SavingsKind
    amount: Rupiah
    occurred_on: date | None = None


class SavingsWithdrawalBody(Body):
    """Only simpanan sukarela can be taken out while a member; pokok and wajib are paid back
    when the member leaves."""

    member_id: UUID
    amount: Rupiah
    kind: SavingsKind = SavingsKind.SUKARELA
    occurred_on: date | None = None


class SavingsWithdrawalResponse(MemberResponse):
    balance: int = Field(description="what is left of that kind of saving")


class LoanBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            member_id="5b0e8c8e-3c3a-4f0e-9a57-0c1d2e3f4a5b",
            principal=3000000,
            term_months=12,
            purpose="Modal usaha warung",
            occurred_on="2024-05-02",
        )
    )

    member_id: UUID
    principal: Rupiah
    term_months: int = Field(strict=True, ge=1, le=MAX_TERM_MONTHS)
    purpose: ShortText
    occurred_on: date | None = None


class LoanResponse(WriteResponse):
    loan_id: str


class RepaymentBody(Body):
    amount: Rupiah
    occurred_on: date | None = None


class RepaymentResponse(LoanResponse):
    outstanding: int = Field(description="what is still owed after this repayment")


class BusinessUnitBody(Body):
    name: ShortText
    sector: ShortText
    occurred_on: date | None = None


class BusinessUnitResponse(WriteResponse):
    business_unit_id: str


class MeetingBody(Body):
    model_config = ConfigDict(json_schema_extra=example(held_on="2024-02-20", attendees=35))

    held_on: date
    attendees: int = Field(strict=True, ge=1, le=MAX_ATTENDEES)


class BalancesView(BaseModel):
    pokok: int
    wajib: int
    sukarela: int


class MemberView(BaseModel):
    member_id: str
    kind: str
    worker_id: str | None
    name: str | None
    nik: str | None
    status: Literal["active", "left"]
    admitted_on: date
    left_on: date | None
    balances: BalancesView
    total_savings: int
    outstanding: int = Field(description="owed on this member's loans")
    refunded: dict[str, int]


class LoanView(BaseModel):
    loan_id: str
    member_id: str
    principal: int
    term_months: int
    purpose: str
    disbursed_on: date
    repaid: int
    outstanding: int
    status: Literal["outstanding", "repaid"]


class BusinessUnitView(BaseModel):
    business_unit_id: str
    name: str
    sector: str
    opened_on: date


class MeetingView(BaseModel):
    held_on: date
    attendees: int


class TotalsView(BaseModel):
    active_members: int
    savings: int
    outstanding: int


class CooperativeView(BaseModel):
    id: str
    version: int
    name: str
    village_code: str
    legal_entity_number: str | None
    established_on: date
    members: list[MemberView]
    loans: list[LoanView]
    business_units: list[BusinessUnitView]
    meetings: list[MeetingView]
    totals: TotalsView
