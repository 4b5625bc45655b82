"""Village bodies: designation, officers and pillar 1-3 activities."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.village import FIRST_COHORT_YEAR, MAX_NAMED_PARTICIPANTS, MAX_PARTICIPANTS
from interfaces.http.schemas.common import Body, Code, ShortText, WriteResponse, example

#: A pillar is data (the programme's list), so the body takes any name and the domain checks it.
PillarName = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[a-z][a-z0-9_]+$")]


class DesignateVillageBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(village_code="35.07.12.2001", cohort_year=2018)
    )

    village_code: Code
    cohort_year: int = Field(strict=True, ge=FIRST_COHORT_YEAR, le=2100)
    occurred_on: date | None = None


class DesignationResponse(WriteResponse):
    village_code: str


class AssignOfficerBody(Body):
    model_config = ConfigDict(json_schema_extra=example(username="petugas.ternyang"))

    username: str = Field(min_length=1, max_length=64)
    occurred_on: date | None = None


class ActivityBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            pillar="community_parenting",
            held_on="2024-05-02",
            title="Rumah belajar anak PMI",
            participants=18,
            participant_worker_ids=[],
        )
    )

    pillar: PillarName = Field(
        description="migration_service, productive_business or community_parenting"
    )
    held_on: date
    title: ShortText
    participants: int = Field(strict=True, ge=1, le=MAX_PARTICIPANTS)
    participant_worker_ids: list[UUID] = Field(
        default_factory=list, max_length=MAX_NAMED_PARTICIPANTS
    )


class ActivityResponse(WriteResponse):
    activity_id: str


class OfficerView(BaseModel):
    user_id: str
    username: str
    assigned_on: date


class ActivityView(BaseModel):
    activity_id: str
    pillar: str
    held_on: date
    title: str
    participants: int
    participant_worker_ids: list[str]


class VillageSummary(BaseModel):
    village_code: str
    name: str | None
    cohort_year: int
    programme: str
    pillars: list[str]
    designated_on: date
    officers: list[OfficerView]
    activity_counts: dict[str, int]
    version: int


class VillageView(VillageSummary):
    activities: list[ActivityView]


class VillageList(BaseModel):
    items: list[VillageSummary]
