"""Reports for coordinators (read models). Every report: ``region`` (defaults to the caller's
scope, never beyond it), ``after`` (the ``next`` cursor of the previous page), ``limit``,
``min_position`` (wait briefly for the read model to reach a write's ``position``: see
``interfaces.http.freshness``), the machine CSV with ``Accept: text/csv`` and the spreadsheet
for people with ``?format=excel`` (``interfaces.downloads``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from application.app import JejakApplication
from application.principal import Principal
from application.readmodels import Filter, Page
from domain.dates import EARLIEST_YEAR
from domain.vocabularies import Stage, Vocabulary
from interfaces.downloads import spreadsheet_option
from interfaces.http.deps import AppDep, PrincipalDep
from interfaces.http.freshness import fresh
from interfaces.http.reporting import decode_cursor, report_response, wants_csv
from interfaces.http.schemas.common import IsoDate

router = APIRouter(prefix="/v1/reports", tags=["reports"])

Region = Annotated[str | None, Query(pattern=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")]
Limit = Annotated[int, Query(ge=1, le=1000)]
After = Annotated[str | None, Query(max_length=2000)]


def respond_with(
    request: Request,
    app: JejakApplication,
    principal: Principal,
    page: Page,
    columns: Sequence[str],
    *,
    filename: str,
) -> Response:
    """The page as JSON, or as a CSV download; a download is an export, and every export
    goes to the access log (who took which report, when, from where)."""
    if wants_csv(request):
        app.log_access(principal, "export", None)
    return report_response(request, page, columns, filename=filename)


class ReportPage(BaseModel):
    position: int = Field(description="The report is current up to this event position")
    items: list[dict[str, Any]]
    next: str | None = Field(description="Cursor for the next page (?after=)")


JOURNEY_COLUMNS = (
    "journey_id",
    "worker_id",
    "village_code",
    "district_code",
    "regency_code",
    "province_code",
    "stage",
    "destination_country",
    "occupation",
    "placement_scheme",
    "non_procedural",
    "non_procedural_reasons",
    "documents_expiring",
    "opened_on",
    "departed_on",
    "contract_end",
    "returned_on",
    "return_reason",
    "reintegration_planned",
    "last_reintegration_on",
    "last_help_on",
    "open_incidents",
    "version",
    "last_event_type",
    "last_event_at",
)
STAGE_COUNT_COLUMNS = ("region_code", "name", "level", *(s.value for s in Stage), "total")
DESTINATION_COLUMNS = ("year", "destination_country", "departures")
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}
#: ``?format=excel`` (the spreadsheet for people), shown and validated on every report.
SPREADSHEET = Depends(spreadsheet_option)


class JourneyFlag(Vocabulary):
    NON_PROCEDURAL = "non_procedural"
    DOCUMENTS_EXPIRING = "documents_expiring"


class IncidentStatus(Vocabulary):
    OPEN = "open"
    RESOLVED = "resolved"
    #: Unresolved when its journey was closed or cancelled: no longer on the open list.
    LEFT_OPEN = "left_open"


Destination = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")]


@router.get(
    "/journeys",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("journeys"), SPREADSHEET],
)
def journeys(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    stage: Stage | None = None,
    destination: Destination = None,
    flag: JourneyFlag | None = None,
    returned_since: IsoDate | None = None,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """One row per journey: worker id, village, stage, destination, scheme, flags, dates of
    departure and return, open incidents and the last event. No names: read the worker."""
    filters = []
    if stage is not None:
        filters.append(Filter("stage", "=", stage.value))
    if destination is not None:
        filters.append(Filter("destination_country", "=", destination.upper()))
    if flag is JourneyFlag.NON_PROCEDURAL:
        filters.append(Filter("non_procedural", "=", True))
    elif flag is JourneyFlag.DOCUMENTS_EXPIRING:
        filters.append(Filter("documents_expiring", ">", 0))
    if returned_since is not None:
        filters.append(Filter("returned_on", ">=", returned_since))
    page = app.report(
        principal,
        "journeys",
        "journeys",
        region=region,
        filters=filters,
        order=("journey_id",),
        after=decode_cursor(after),
        limit=limit,
    )
    return respond_with(request, app, principal, page, JOURNEY_COLUMNS, filename="journeys.csv")


@router.get(
    "/non-procedural",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("journeys"), SPREADSHEET],
)
def non_procedural(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """Departures recorded as non-procedural, with their reasons (missing documents,
    unresolved indications, under 18 on departure): the watch list."""
    page = app.report(
        principal,
        "journeys",
        "journeys",
        region=region,
        filters=[Filter("non_procedural", "=", True)],
        order=("journey_id",),
        after=decode_cursor(after),
        limit=limit,
    )
    return respond_with(
        request, app, principal, page, JOURNEY_COLUMNS, filename="non-procedural.csv"
    )


@router.get(
    "/reintegration-backlog",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("journeys"), SPREADSHEET],
)
def reintegration_backlog(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    older_than_days: Annotated[int, Query(ge=0, le=3650)] = 30,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """Returned workers with no reintegration help (no activity since their return or
    their last activity) for more than ``older_than_days``, longest waiting first."""
    cutoff = app.services.clock.today() - timedelta(days=older_than_days)
    page = app.report(
        principal,
        "journeys",
        "journeys",
        region=region,
        filters=[Filter("last_help_on", "not_null"), Filter("last_help_on", "<", cutoff)],
        order=("last_help_on", "journey_id"),
        after=decode_cursor(after),
        limit=limit,
    )
    return respond_with(
        request, app, principal, page, JOURNEY_COLUMNS, filename="reintegration-backlog.csv"
    )


INCIDENT_COLUMNS = (
    "journey_id",
    "incident_id",
    "worker_id",
    "village_code",
    "district_code",
    "regency_code",
    "province_code",
    "category",
    "severity",
    "status",
    "reported_on",
    "resolved_on",
    "outcome",
)


@router.get(
    "/incidents",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("journeys"), SPREADSHEET],
)
def incidents(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    status: IncidentStatus | None = None,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """Incidents abroad (unpaid wages, abuse, loss of contact...), oldest first."""
    filters = [] if status is None else [Filter("status", "=", status.value)]
    page = app.report(
        principal,
        "journeys",
        "incidents",
        region=region,
        filters=filters,
        order=("reported_on", "journey_id", "incident_id"),
        after=decode_cursor(after),
        limit=limit,
    )
    return respond_with(request, app, principal, page, INCIDENT_COLUMNS, filename="incidents.csv")


@router.get(
    "/stage-counts",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("journeys"), SPREADSHEET],
)
def stage_counts(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    region: Region = None,
    after: After = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> Response:
    """Journeys per stage in each region one level below ``region`` (default: your scope;
    provinces for national roles)."""
    page = app.stage_counts(
        principal,
        region=region,
        after=decode_cursor(after),
        limit=limit,
    )
    return respond_with(
        request, app, principal, page, STAGE_COUNT_COLUMNS, filename="stage-counts.csv"
    )


@router.get(
    "/destinations",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("journeys"), SPREADSHEET],
)
def destinations(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    year: Annotated[int | None, Query(ge=EARLIEST_YEAR, le=2200)] = None,
    region: Region = None,
    after: After = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> Response:
    """Departures per destination country and year within the region."""
    page = app.destinations(
        principal,
        region=region,
        year=year,
        after=decode_cursor(after),
        limit=limit,
    )
    return respond_with(
        request,
        app,
        principal,
        page,
        DESTINATION_COLUMNS,
        filename="destinations.csv",
    )


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
    "/cooperatives",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("cooperatives"), SPREADSHEET],
)
def cooperatives(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
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
    )
    return respond_with(
        request, app, principal, page, COOPERATIVE_COLUMNS, filename="cooperatives.csv"
    )


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
    "/pillar-activity",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("pillar_activity"), SPREADSHEET],
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
    )
    return respond_with(
        request, app, principal, page, PILLAR_COLUMNS, filename="pillar-activity.csv"
    )
