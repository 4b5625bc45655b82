"""Desmigratif villages: designation, officers and pillar 1-3 activities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from application.principal import CASE_READING_ROLES
from application.villages import AssignOfficer, DesignateVillage, RecordActivity
from domain.village import Village
from interfaces.http.deps import AppDep, PrincipalDep, WriteOptionsDep
from interfaces.http.respond import created
from interfaces.http.schemas.common import WriteResponse
from interfaces.http.schemas.villages import (
    ActivityBody,
    ActivityResponse,
    ActivityView,
    AssignOfficerBody,
    DesignateVillageBody,
    DesignationResponse,
    OfficerView,
    VillageList,
    VillageSummary,
    VillageView,
)

router = APIRouter(prefix="/v1", tags=["villages"])

VillageCode = Annotated[
    str,
    Path(
        min_length=2,
        max_length=13,
        pattern=r"^[0-9.]+$",
        description="a Kemendagri village code like 35.07.12.2001",
    ),
]


@router.post("/villages", status_code=201, response_model=DesignationResponse)
def designate_village(
    body: DesignateVillageBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> DesignationResponse:
    """Coordinators (in their regions) and admins designate a village of the Kemendagri
    register as a Desmigratif village of a cohort year. A village is designated once: a
    second designation is 409."""
    command = DesignateVillage(
        village_code=body.village_code,
        cohort_year=body.cohort_year,
        occurred_on=body.occurred_on,
    )
    result = app.designate_village(principal, command, options)
    return DesignationResponse.model_validate(created(response, result))


@router.get("/villages", response_model=VillageList)
def list_villages(
    principal: PrincipalDep,
    app: AppDep,
    region: Annotated[str | None, Query(max_length=13, pattern=r"^[0-9.]+$")] = None,
) -> VillageList:
    """Designated villages under ``region`` (default: the caller's scope), by code."""
    villages = app.list_villages(principal, region)
    return VillageList(
        items=[village_summary(app.village_name(v.village_code), v) for v in villages]
    )


@router.get("/villages/{code}", response_model=VillageView)
def get_village(
    code: VillageCode, principal: PrincipalDep, app: AppDep, response: Response
) -> VillageView:
    """A designated village with its officers and every pillar activity (for admins, who
    read no case data, without the ids of the workers who took part)."""
    village = app.get_village(principal, code)
    response.headers["ETag"] = f'"{village.version}"'
    summary = village_summary(app.village_name(village.village_code), village)
    return VillageView(
        **summary.model_dump(),
        activities=[
            ActivityView(
                activity_id=str(activity.id),
                pillar=activity.pillar,
                held_on=activity.held_on,
                title=activity.title,
                participants=activity.participants,
                participant_worker_ids=[str(w) for w in activity.participant_worker_ids]
                if principal.role in CASE_READING_ROLES
                else [],
            )
            for activity in village.activities
        ],
    )


@router.post("/villages/{code}/officers", status_code=201, response_model=WriteResponse)
def assign_officer(
    code: VillageCode,
    body: AssignOfficerBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> WriteResponse:
    """Names a Petugas Desmigratif of the village: an officer account whose scope includes
    the village."""
    command = AssignOfficer(username=body.username, occurred_on=body.occurred_on)
    result = app.assign_officer(principal, code, command, options)
    return WriteResponse.model_validate(created(response, result))


@router.post("/villages/{code}/activities", status_code=201, response_model=ActivityResponse)
def record_activity(
    code: VillageCode,
    body: ActivityBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> ActivityResponse:
    """A pillar 1-3 activity (migration_service, productive_business, community_parenting):
    officers of the village and coordinators over it record them. Workers named as
    participants must be registered workers the caller may read."""
    command = RecordActivity(
        pillar=body.pillar,
        held_on=body.held_on,
        title=body.title,
        participants=body.participants,
        participant_worker_ids=tuple(body.participant_worker_ids),
    )
    result = app.record_activity(principal, code, command, options)
    return ActivityResponse.model_validate(created(response, result))


def village_summary(name: str | None, village: Village) -> VillageSummary:
    return VillageSummary(
        village_code=village.village_code,
        name=name,
        cohort_year=village.cohort_year,
        programme=village.programme,
        pillars=list(village.pillars),
        designated_on=village.designated_on,
        officers=[
            OfficerView(
                user_id=str(officer.user_id),
                username=officer.username,
                assigned_on=officer.assigned_on,
            )
            for officer in village.officers
        ],
        activity_counts=village.activity_counts(),
        version=village.version,
    )
