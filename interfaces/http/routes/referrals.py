"""The service directory and referrals of cases to agencies (SPEC §8).

Agencies are listed by coordinators and admins and read by everyone signed in. A referral
is a journey write (201 with the journey's id, version, stage and flags, and
``referral_id``); its outcome closes it. Reports follow them per region, agency and
service."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from application.agencies import RegisterAgency
from application.referrals import (
    OUTCOMES,
    ExternalAgency,
    RecordReferralOutcome,
    Refer,
    overdue_days,
)
from domain.journey import Consent
from domain.vocabularies import AgencyKind, Vocabulary
from interfaces.http.deps import AppDep, PrincipalDep, WriteOptionsDep
from interfaces.http.freshness import fresh
from interfaces.http.reporting import decode_cursor
from interfaces.http.respond import created
from interfaces.http.routes.reports import (
    CSV,
    SPREADSHEET,
    After,
    Limit,
    Region,
    ReportPage,
    respond_with,
)
from interfaces.http.schemas.transfers import (
    AgencyBody,
    AgencyView,
    AgencyWriteResponse,
    ReferralBody,
    ReferralOutcomeBody,
    ReferralWriteResponse,
)

router = APIRouter(prefix="/v1", tags=["referrals"])

REFERRAL_COLUMNS = (
    "journey_id",
    "referral_id",
    "worker_id",
    "village_code",
    "district_code",
    "regency_code",
    "province_code",
    "service",
    "agency_id",
    "agency_kind",
    "agency_name",
    "referred_on",
    "due_on",
    "consent_given",
    "status",
    "overdue_days",
    "outcome",
    "outcome_on",
)
SUMMARY_COLUMNS = (
    "agency_id",
    "agency_name",
    "agency_kind",
    "service",
    "open",
    "overdue",
    "closed",
    *OUTCOMES,
)
AGENCY_COLUMNS = ("agency_id", "name", "kind", "region_code", "level", "contact")


class ReferralStatus(Vocabulary):
    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED = "closed"


# The service directory ---------------------------------------------------------------------


@router.post("/agencies", status_code=201, response_model=AgencyWriteResponse)
def register_agency(
    body: AgencyBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> AgencyWriteResponse:
    """Coordinators (in their regions, or for a region holding theirs) and admins list an
    agency. The same kind, region and name again is 409 (``agency_already_listed``)."""
    result = app.register_agency(principal, _entry(body), options)
    return AgencyWriteResponse.model_validate(created(response, result))


@router.get(
    "/agencies",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("agencies"), SPREADSHEET],
)
def list_agencies(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    region: Region = None,
    kind: AgencyKind | None = None,
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """Agencies serving ``region`` (listed for it or for a region holding it) and those
    within it, nearest first; every agency when no region is asked."""
    page = app.list_agencies(
        principal,
        region=region,
        kind=kind,
        after=decode_cursor(after),
        limit=limit,
    )
    return respond_with(request, app, principal, page, AGENCY_COLUMNS, filename="agencies.csv")


@router.put("/agencies/{agency_id}", response_model=AgencyWriteResponse)
def amend_agency(
    agency_id: UUID,
    body: AgencyBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> AgencyWriteResponse:
    """The whole entry as it reads from now on, for whoever may list it both where it was
    and where it is now (If-Match: its version). Referrals made before keep the agency as
    their letter named it; a kind, region and name of another entry is 409."""
    result = app.amend_agency(principal, agency_id, _entry(body), options)
    return AgencyWriteResponse.model_validate(created(response, result))


def _entry(body: AgencyBody) -> RegisterAgency:
    return RegisterAgency(
        name=body.name, kind=body.kind, region_code=body.region_code, contact=body.contact
    )


@router.get("/agencies/{agency_id}", response_model=AgencyView)
def get_agency(agency_id: UUID, principal: PrincipalDep, app: AppDep) -> AgencyView:
    agency = app.get_agency(principal, agency_id)
    return AgencyView(
        id=agency.id,
        name=agency.name,
        kind=AgencyKind(agency.kind),
        region_code=agency.region_code,
        contact=agency.contact,
    )


# Referrals ---------------------------------------------------------------------------------

REFERRALS = "/journeys/{journey_id}/referrals"


@router.post(REFERRALS, status_code=201, response_model=ReferralWriteResponse)
def refer(
    journey_id: UUID,
    body: ReferralBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> ReferralWriteResponse:
    """Refers the case to an agency (``agency_id`` from the directory, or
    ``external_agency``), with consent given by the worker or their family, or without it
    (``consent.given`` false and a ``ground``) to the police or UPTD PPA only. The agency may
    be outside your region; the case stays in your scope. Answers ``referral_id``."""
    external = body.external_agency
    command = Refer(
        service=body.service,
        reason=body.reason,
        consent=Consent(
            given=body.consent.given,
            by=body.consent.by,
            on=body.consent.on,
            ground=body.consent.ground,
        ),
        agency_id=body.agency_id,
        external_agency=None
        if external is None
        else ExternalAgency(name=external.name, kind=external.kind, contact=external.contact),
        note=body.note,
        due_on=body.due_on,
        occurred_on=body.occurred_on,
    )
    result = app.refer(principal, journey_id, command, options)
    return ReferralWriteResponse.model_validate(created(response, result))


@router.post(
    f"{REFERRALS}/{{referral_id}}/outcome", status_code=201, response_model=ReferralWriteResponse
)
def record_referral_outcome(
    journey_id: UUID,
    referral_id: int,
    body: ReferralOutcomeBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> ReferralWriteResponse:
    """The agency's answer (accepted, declined, service_provided, no_response); a referral
    has one, a second is 409."""
    command = RecordReferralOutcome(
        outcome=body.outcome, note=body.note, occurred_on=body.occurred_on
    )
    result = app.record_referral_outcome(principal, journey_id, referral_id, command, options)
    return ReferralWriteResponse.model_validate(created(response, result))


# Reports -----------------------------------------------------------------------------------


@router.get(
    "/reports/referrals",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("referrals"), SPREADSHEET],
)
def referral_report(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    status: ReferralStatus | None = None,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """One row per referral in the region: ``open`` (not answered), ``overdue`` (open past
    ``due_on``; ``overdue_days`` says by how much), ``closed`` (answered), soonest due
    first. No names or reasons: read the case."""
    page = app.referral_report(
        principal,
        region=region,
        status=None if status is None else status.value,
        after=decode_cursor(after),
        limit=limit,
    )
    today = app.services.clock.today()
    for row in page.rows:
        row["overdue_days"] = overdue_days(row, today)
    return respond_with(request, app, principal, page, REFERRAL_COLUMNS, filename="referrals.csv")


@router.get(
    "/reports/referral-summary",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("referrals"), SPREADSHEET],
)
def referral_summary(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """Per agency and service: open, overdue and closed referrals, and the count of each
    outcome."""
    page = app.referral_summary(
        principal,
        region=region,
        after=decode_cursor(after),
        limit=limit,
    )
    return respond_with(
        request, app, principal, page, SUMMARY_COLUMNS, filename="referral-summary.csv"
    )
