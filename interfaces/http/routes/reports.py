"""Reports for coordinators (read models). Every report: ``region`` (defaults to the caller's
scope, never beyond it), ``after`` (the ``next`` cursor of the previous page), ``limit``,
``min_position`` (wait briefly for the read model to reach a write's ``position``), and CSV
with ``Accept: text/csv``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from application.readmodels import Filter
from interfaces.http.deps import AppDep, PrincipalDep
from interfaces.http.reporting import decode_cursor, report_response

router = APIRouter(prefix="/v1/reports", tags=["reports"])

Region = Annotated[str | None, Query(pattern=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")]
Limit = Annotated[int, Query(ge=1, le=1000)]
After = Annotated[str | None, Query(max_length=2000)]
MinPosition = Annotated[int | None, Query(ge=0)]


class ReportPage(BaseModel):
    position: int = Field(description="The report is current up to this event position")
    items: list[dict[str, Any]]
    next: str | None = Field(description="Cursor for the next page (?after=)")


COOPERATIVE_COLUMNS = (
    "cooperative_id",
    "name",
    "village_code",
    "district_code",
    "regency_code",
    "province_code",
    "established_on",
    "members_active",
    "members_total",
    "savings_pokok",
    "savings_wajib",
    "savings_sukarela",
    "loans",
    "loans_principal",
    "loans_repaid",
    "loans_outstanding",
    "business_units",
    "last_meeting_on",
)


@router.get(
    "/cooperatives", response_model=ReportPage, responses={200: {"content": {"text/csv": {}}}}
)
def cooperatives(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
    min_position: MinPosition = None,
) -> Response:
    """How the cooperatives are doing: members, savings by kind (whole rupiah), loans and
    what is still owed, business units and the last annual members' meeting (RAT)."""
    page = app.report(
        principal,
        "cooperatives",
        "cooperatives",
        region=region,
        order=("village_code", "cooperative_id"),
        after=decode_cursor(after),
        limit=limit,
        min_position=min_position,
    )
    return report_response(request, page, COOPERATIVE_COLUMNS, filename="cooperatives.csv")


PILLAR_COLUMNS = (
    "village_code",
    "district_code",
    "regency_code",
    "province_code",
    "year",
    "month",
    "pillar",
    "activities",
    "participants",
)


@router.get(
    "/pillar-activity", response_model=ReportPage, responses={200: {"content": {"text/csv": {}}}}
)
def pillar_activity(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    year: Annotated[int | None, Query(ge=2000, le=2200)] = None,
    pillar: Annotated[str | None, Query(max_length=64)] = None,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
    min_position: MinPosition = None,
) -> Response:
    """Activities and participants per village, month and pillar (pillars 1 to 3)."""
    filters = []
    if year is not None:
        filters.append(Filter("year", "=", year))
    if pillar is not None:
        filters.append(Filter("pillar", "=", pillar))
    page = app.report(
        principal,
        "pillar_activity",
        "activity",
        region=region,
        filters=filters,
        order=("village_code", "month", "pillar"),
        after=decode_cursor(after),
        limit=limit,
        min_position=min_position,
    )
    return report_response(request, page, PILLAR_COLUMNS, filename="pillar-activity.csv")
