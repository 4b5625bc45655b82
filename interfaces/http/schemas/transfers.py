"""Bodies and answers of transfers between villages, the service directory and referrals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.vocabularies import (
    AgencyKind,
    ConsentBy,
    ConsentGround,
    ReferralOutcome,
    ReferralService,
)
from interfaces.http.schemas.common import Body, Code, ShortText, WriteResponse, example
from interfaces.http.schemas.journeys import JourneyWriteResponse, OccurredOn, OptionalNote

# Transfers ---------------------------------------------------------------------------------


class TransferBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            to_village_code="33.01.01.2001", reason="Menikah dan pindah ke desa suami"
        )
    )

    to_village_code: Code = Field(description="A designated Desmigratif village.")
    reason: ShortText
    occurred_on: OccurredOn = Field(default=None, description="When the worker moved.")


class DeclineBody(Body):
    model_config = ConfigDict(json_schema_extra=example(reason="Tidak berdomisili di desa ini"))

    reason: ShortText


class WithdrawalBody(Body):
    reason: ShortText | None = None


class TransferWriteResponse(WriteResponse):
    """The worker's id and new version, and the transfer's id and status."""

    transfer_id: UUID
    status: str | None = None
    village_code: str | None = Field(
        default=None, description="After an acceptance: the worker's village now."
    )
    journey_ids: list[UUID] | None = Field(
        default=None, description="After an acceptance: the journeys that moved with the worker."
    )


class OpenItemView(BaseModel):
    kind: str = Field(description="The agenda's kind of item, e.g. incident_response")
    subject: str
    since: date
    due_on: date | None


class TransferView(BaseModel):
    transfer_id: UUID
    worker_id: UUID
    direction: str
    from_village_code: str
    to_village_code: str
    status: str
    requested_on: date
    requested_at: datetime
    decided_on: date | None
    reason: str
    name: str | None = Field(
        description="While pending, and for whoever may read the worker now (access-logged)."
    )
    stage: str | None = Field(description="The open journey's stage, when there is one.")
    journey_id: UUID | None = Field(description="Only for whoever may open the case.")
    open_items: list[OpenItemView]


class TransferPage(BaseModel):
    position: int
    items: list[TransferView]
    next: str | None


# The service directory ---------------------------------------------------------------------


class AgencyBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            name="BP3MI Jawa Timur",
            kind="bp3mi",
            region_code="35",
            contact="Jl. Raya Juanda No. 1, Sidoarjo · (031) 000000",
        )
    )

    name: ShortText
    kind: AgencyKind
    region_code: Code = Field(description="The region it serves: a province, regency, ...")
    contact: ShortText | None = None


class AgencyWriteResponse(WriteResponse):
    agency_id: UUID


class AgencyView(BaseModel):
    id: UUID
    name: str
    kind: AgencyKind
    region_code: str
    contact: str | None


# Referrals ---------------------------------------------------------------------------------


class ConsentBody(Body):
    given: bool = Field(strict=True)
    by: ConsentBy | None = Field(default=None, description="worker or family, when given")
    on: date | None = Field(default=None, description="When it was given")
    ground: ConsentGround | None = Field(
        default=None,
        description="Without consent (police and uptd_ppa only): danger_to_life or trafficking",
    )


class ExternalAgencyBody(Body):
    name: ShortText
    kind: AgencyKind
    contact: ShortText | None = None


class ReferralBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            service="wage_claim",
            agency_id="3f8a1c2e-5b7d-4e9f-a1b2-c3d4e5f60718",
            reason="Gaji tidak dibayar enam bulan",
            due_on="2025-07-15",
            consent={"given": True, "by": "worker", "on": "2025-06-30"},
        )
    )

    service: ReferralService
    agency_id: UUID | None = Field(default=None, description="An agency of the directory...")
    external_agency: ExternalAgencyBody | None = Field(
        default=None, description="... or one that is not in it (give one of the two)."
    )
    reason: ShortText
    note: OptionalNote = None
    due_on: date | None = Field(
        default=None, description="When the agency should answer; 14 days after by default."
    )
    consent: ConsentBody
    occurred_on: OccurredOn = None


class ReferralOutcomeBody(Body):
    model_config = ConfigDict(json_schema_extra=example(outcome="accepted"))

    outcome: ReferralOutcome
    note: OptionalNote = None
    occurred_on: OccurredOn = None


class ReferralWriteResponse(JourneyWriteResponse):
    referral_id: int


def referral_command_values(body: ReferralBody) -> dict[str, Any]:
    """The body's fields as the use case's ``Refer`` takes them (nested values made plain)."""
    return {
        "service": body.service,
        "reason": body.reason,
        "agency_id": body.agency_id,
        "note": body.note,
        "due_on": body.due_on,
        "occurred_on": body.occurred_on,
    }
