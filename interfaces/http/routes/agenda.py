"""The agenda (SPEC §7): what is due, the rules that say so, and a summary per region."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from application.agenda import ReviseRules
from application.readmodels import Row
from domain.agenda_rules import AgendaKind, AgendaStatus
from interfaces.http.deps import AppDep, PrincipalDep, WriteOptionsDep
from interfaces.http.freshness import fresh
from interfaces.http.reporting import decode_cursor, report_response, wants_csv
from interfaces.http.respond import created
from interfaces.http.routes.reports import CSV, SPREADSHEET, After, Limit, Region, ReportPage
from interfaces.http.schemas.agenda import ReviseRulesBody, RulesView, rules_view
from interfaces.http.schemas.common import IsoDate, WriteResponse

router = APIRouter(prefix="/v1", tags=["agenda"])

AsOf = Annotated[
    IsoDate | None,
    Query(description="What was due on that day, as recorded by its end, under its rules"),
]

AGENDA_COLUMNS = (
    "kind",
    "journey_id",
    "worker_id",
    "village_code",
    "item",
    "subject",
    "reason",
    "rule",
    "anchor_on",
    "due_on",
    "grace_days",
    "status",
    "overdue_days",
)
SUMMARY_COLUMNS = (
    "region_code",
    "name",
    "level",
    "overdue",
    "due",
    "upcoming",
    "oldest_overdue_on",
    "most_overdue_days",
)


def iso_row(row: Row, columns: tuple[str, ...]) -> dict[str, Any]:
    """A row with its dates written as YYYY-MM-DD."""
    return {c: _iso(row.get(c)) for c in columns}


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@router.get(
    "/agenda", response_model=ReportPage, responses=CSV, dependencies=[fresh("agenda"), SPREADSHEET]
)
def agenda(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    kind: AgendaKind | None = None,
    status: AgendaStatus | None = None,
    as_of: AsOf = None,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """Open items in your scope, soonest due first: `overdue` (past its due date and grace),
    `due` (within the next 7 days or in its grace), `upcoming` (later), computed against
    today, or against `as_of` with what had been recorded by the end of that day and the
    rules then in force. No names: read the worker."""
    page = app.agenda(
        principal,
        region=region,
        kind=None if kind is None else kind.value,
        status=status,
        as_of=as_of,
        after=decode_cursor(after),
        limit=limit,
    )
    if wants_csv(request):
        app.log_access(principal, "export", None)
    return report_response(
        request,
        page,
        AGENDA_COLUMNS,
        shape=lambda row: iso_row(row, AGENDA_COLUMNS),
        filename="agenda.csv",
    )


@router.get(
    "/reports/agenda-summary",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("agenda"), SPREADSHEET],
)
def agenda_summary(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    as_of: AsOf = None,
    region: Region = None,
) -> Response:
    """Per region one level below `region` (default: your scope; a village is its own
    row): items overdue, due and upcoming, the due date of the oldest overdue one and the
    most days any is overdue."""
    page = app.agenda_summary(principal, region=region, as_of=as_of)
    if wants_csv(request):
        app.log_access(principal, "export", None)
    return report_response(
        request,
        page,
        SUMMARY_COLUMNS,
        shape=lambda row: iso_row(row, SUMMARY_COLUMNS),
        filename="agenda-summary.csv",
    )


@router.get("/agenda/rules", response_model=RulesView)
def get_rules(
    principal: PrincipalDep,
    app: AppDep,
    response: Response,
    as_of: Annotated[IsoDate | None, Query(description="The version in force on that day")] = None,
) -> RulesView:
    """The rules in force (today, or on `as_of`) and every version recorded, with who
    recorded it, when and why. Version 1 is the table of SPEC §7."""
    in_force, versions = app.get_agenda_rules(principal, as_of)
    response.headers["ETag"] = f'"{versions[-1].version}"'
    return rules_view(in_force, versions)


@router.put("/agenda/rules", status_code=201, response_model=WriteResponse)
def revise_rules(
    body: ReviseRulesBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> WriteResponse:
    """Admins record a new version of the rules, applying from today: the kinds and
    figures named change, the rest keep their values. Every figure is a whole number of
    days from 0 to 3650 (`every_days` and `first_days` at least 1). `If-Match` takes the
    version you read."""
    result = app.revise_agenda_rules(
        principal, ReviseRules(changes=body.rules, reason=body.reason), options
    )
    return WriteResponse.model_validate(created(response, result))
