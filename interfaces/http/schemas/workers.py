"""Worker bodies."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.worker import Relationship, Sex
from interfaces.http.schemas.common import Body, Code, ShortText, WriteResponse, example


class RegisterWorkerBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            nik="3507124507950003",
            full_name="Siti Aminah",
            sex="P",
            birth_date="1995-07-05",
            village_code="35.07.12.2001",
            phone="081234567890",
        )
    )

    nik: str = Field(min_length=1, max_length=32, description="16 digits; sent only in bodies")
    full_name: ShortText
    sex: Sex
    birth_date: date
    village_code: Code
    phone: ShortText | None = None


class LookupBody(Body):
    model_config = ConfigDict(json_schema_extra=example(nik="3507124507950003"))

    nik: str = Field(min_length=1, max_length=32)


class DependentBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(name="Budi", birth_date="2015-03-02", relationship="child")
    )

    name: ShortText
    birth_date: date
    relationship: Relationship
    occurred_on: date | None = None


class ContactBody(Body):
    model_config = ConfigDict(json_schema_extra=example(phone="+886912345678"))

    phone: ShortText | None = Field(
        default=None, description="Personal data; null removes the number"
    )
    occurred_on: date | None = None


class ReasonBody(Body):
    model_config = ConfigDict(json_schema_extra=example(reason="Permintaan penghapusan dari ybs."))

    reason: ShortText


#: The reason recorded when an erasure request gives none: the person asked (UU 27/2022
#: gives them that right without having to say why).
ERASURE_ON_REQUEST = "request of the person concerned"


class ErasureBody(Body):
    """Optional: SPEC's erasure has no body, and the person owes no reason."""

    model_config = ConfigDict(json_schema_extra=example(reason="Permintaan penghapusan dari ybs."))

    reason: ShortText = ERASURE_ON_REQUEST


class DependentResponse(WriteResponse):
    dependent_id: str


class DependentView(BaseModel):
    id: str
    name: str
    birth_date: date | None
    relationship: str


class TransferEntryView(BaseModel):
    id: UUID
    from_village_code: str
    to_village_code: str
    reason: str
    status: str = Field(description="pending, accepted, declined or withdrawn")
    requested_on: date
    requested_at: datetime
    requested_by: UUID
    decided_on: date | None
    decided_at: datetime | None
    decided_by: UUID | None
    decision_reason: str | None


class WorkerView(BaseModel):
    id: str
    version: int
    nik: str
    full_name: str
    sex: str
    birth_date: date | None
    village_code: str
    phone: str | None
    dependents: list[DependentView]
    erased: bool
    legal_hold: str | None = None
    registered_at: datetime
    updated_at: datetime
    transfers: list[TransferEntryView] = Field(
        default_factory=list, description="Transfers to other villages (SPEC §8), oldest first."
    )
