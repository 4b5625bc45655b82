"""Journeys: the case of one migration, from counselling in the village to closure.

Every write answers 201 with the journey's id, its new version, the stage and the flags it
left the journey in, and honours If-Match and Idempotency-Key. Outside the caller's villages
a journey does not exist (404)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from application.journeys import (
    CheckWelfare,
    CorrectJourney,
    EndJourney,
    OpenJourney,
    PlanReintegration,
    ProvideMigrationInfo,
    RaiseIndication,
    RecordDeparture,
    RecordDocument,
    RecordReintegrationActivity,
    RecordReturn,
    ReportIncident,
    ResolveIncident,
    ResolveIndication,
)
from domain.journey import Journey
from interfaces.http.deps import AppDep, PrincipalDep, WriteOptionsDep
from interfaces.http.respond import created
from interfaces.http.schemas.common import IsoDateTime
from interfaces.http.schemas.journeys import (
    CorrectionBody,
    CounsellingBody,
    DepartureBody,
    DocumentBody,
    DocumentWriteResponse,
    EndBody,
    IncidentBody,
    IncidentResolutionBody,
    IncidentWriteResponse,
    IndicationBody,
    IndicationResolutionBody,
    IndicationWriteResponse,
    JourneyView,
    JourneyWriteResponse,
    OpenJourneyBody,
    ReintegrationActivityBody,
    ReintegrationPlanBody,
    ReturnBody,
    WelfareCheckBody,
)

router = APIRouter(prefix="/v1", tags=["journeys"])

JOURNEY = "/journeys/{journey_id}"


@router.post("/journeys", status_code=201, response_model=JourneyWriteResponse)
def open_journey(
    body: OpenJourneyBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> JourneyWriteResponse:
    """Opens a journey for a worker of one of the caller's villages. A worker has at most
    one open journey: a second is refused with 409 and ``details.open_journey_id``."""
    command = OpenJourney(
        worker_id=body.worker_id,
        destination_country=body.destination_country,
        occupation=body.occupation,
        placement_scheme=body.placement_scheme,
        p3mi=None
        if body.p3mi is None
        else {"name": body.p3mi.name, "licence_number": body.p3mi.licence_number},
        occurred_on=body.occurred_on,
    )
    result = app.open_journey(principal, command, options)
    return JourneyWriteResponse.model_validate(created(response, result))


@router.get(JOURNEY, response_model=JourneyView, response_model_by_alias=True)
def get_journey(
    journey_id: UUID,
    principal: PrincipalDep,
    app: AppDep,
    response: Response,
    as_of_version: Annotated[
        int | None,
        Query(ge=1, le=2**62, description="The journey as it was at this version (404 beyond)."),
    ] = None,
    as_of: Annotated[
        IsoDateTime | None,
        Query(
            description="The journey as it was at this recording time: ISO 8601 with a time "
            "zone, e.g. 2025-03-01T08:00:00+07:00 (404 before the journey was opened)."
        ),
    ] = None,
) -> JourneyView:
    """The journey now, or as it was (time travel). Versions beyond the latest and times
    before the opening are 404; a time without a time zone is 422."""
    journey = app.get_journey(principal, journey_id, as_of_version=as_of_version, as_of=as_of)
    response.headers["ETag"] = f'"{journey.version}"'
    return journey_view(journey, as_of)


@router.post(f"{JOURNEY}/counselling", status_code=201, response_model=JourneyWriteResponse)
def provide_migration_info(
    journey_id: UUID,
    body: CounsellingBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> JourneyWriteResponse:
    """Safe-migration counselling before departure."""
    command = ProvideMigrationInfo(topics=body.topics, occurred_on=body.occurred_on)
    result = app.provide_migration_info(principal, journey_id, command, options)
    return JourneyWriteResponse.model_validate(created(response, result))


@router.post(f"{JOURNEY}/documents", status_code=201, response_model=DocumentWriteResponse)
def record_document(
    journey_id: UUID,
    body: DocumentBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> DocumentWriteResponse:
    """A document seen by the officer, before departure or renewed abroad."""
    command = RecordDocument(
        kind=body.kind,
        number=body.number,
        issued_on=body.issued_on,
        expires_on=body.expires_on,
        occurred_on=body.occurred_on,
    )
    result = app.record_document(principal, journey_id, command, options)
    return DocumentWriteResponse.model_validate(created(response, result))


@router.post(f"{JOURNEY}/indications", status_code=201, response_model=IndicationWriteResponse)
def raise_indication(
    journey_id: UUID,
    body: IndicationBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> IndicationWriteResponse:
    """Signs of a non-procedural placement, before departure. Answers ``indication_id``."""
    command = RaiseIndication(
        indicators=body.indicators, note=body.note, occurred_on=body.occurred_on
    )
    result = app.raise_indication(principal, journey_id, command, options)
    return IndicationWriteResponse.model_validate(created(response, result))


@router.post(
    f"{JOURNEY}/indications/{{indication_id}}/resolution",
    status_code=201,
    response_model=IndicationWriteResponse,
)
def resolve_indication(
    journey_id: UUID,
    indication_id: int,
    body: IndicationResolutionBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> IndicationWriteResponse:
    """Resolves one indication: persuaded, referred or cleared."""
    command = ResolveIndication(outcome=body.outcome, note=body.note, occurred_on=body.occurred_on)
    result = app.resolve_indication(principal, journey_id, indication_id, command, options)
    return IndicationWriteResponse.model_validate(created(response, result))


@router.post(f"{JOURNEY}/departure", status_code=201, response_model=JourneyWriteResponse)
def record_departure(
    journey_id: UUID,
    body: DepartureBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> JourneyWriteResponse:
    """Always recorded: a departure with missing documents, an unresolved indication or a
    worker under 18 is flagged ``non_procedural`` with its reasons, not refused."""
    command = RecordDeparture(
        departed_on=body.departed_on,
        employer=body.employer,
        contract_start=body.contract_start,
        contract_end=body.contract_end,
    )
    result = app.record_departure(principal, journey_id, command, options)
    return JourneyWriteResponse.model_validate(created(response, result))


@router.post(f"{JOURNEY}/welfare-checks", status_code=201, response_model=JourneyWriteResponse)
def check_welfare(
    journey_id: UUID,
    body: WelfareCheckBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> JourneyWriteResponse:
    """A check on the worker during placement."""
    command = CheckWelfare(
        contact_with=body.contact_with,
        status=body.status,
        note=body.note,
        occurred_on=body.occurred_on,
    )
    result = app.check_welfare(principal, journey_id, command, options)
    return JourneyWriteResponse.model_validate(created(response, result))


@router.post(f"{JOURNEY}/incidents", status_code=201, response_model=IncidentWriteResponse)
def report_incident(
    journey_id: UUID,
    body: IncidentBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> IncidentWriteResponse:
    """A problem at any stage of an open journey. Answers ``incident_id``."""
    command = ReportIncident(
        category=body.category,
        severity=body.severity,
        note=body.note,
        occurred_on=body.occurred_on,
    )
    result = app.report_incident(principal, journey_id, command, options)
    return IncidentWriteResponse.model_validate(created(response, result))


@router.post(
    f"{JOURNEY}/incidents/{{incident_id}}/resolution",
    status_code=201,
    response_model=IncidentWriteResponse,
)
def resolve_incident(
    journey_id: UUID,
    incident_id: int,
    body: IncidentResolutionBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> IncidentWriteResponse:
    command = ResolveIncident(outcome=body.outcome, note=body.note, occurred_on=body.occurred_on)
    result = app.resolve_incident(principal, journey_id, incident_id, command, options)
    return IncidentWriteResponse.model_validate(created(response, result))


@router.post(f"{JOURNEY}/return", status_code=201, response_model=JourneyWriteResponse)
def record_return(
    journey_id: UUID,
    body: ReturnBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> JourneyWriteResponse:
    """The worker came home (UU 18/2017 Pasal 27 reasons); not before the departure."""
    command = RecordReturn(returned_on=body.returned_on, reason=body.reason)
    result = app.record_return(principal, journey_id, command, options)
    return JourneyWriteResponse.model_validate(created(response, result))


@router.post(f"{JOURNEY}/reintegration-plan", status_code=201, response_model=JourneyWriteResponse)
def plan_reintegration(
    journey_id: UUID,
    body: ReintegrationPlanBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> JourneyWriteResponse:
    """After return; a later plan revises the earlier one."""
    command = PlanReintegration(needs=body.needs, occurred_on=body.occurred_on)
    result = app.plan_reintegration(principal, journey_id, command, options)
    return JourneyWriteResponse.model_validate(created(response, result))


@router.post(
    f"{JOURNEY}/reintegration-activities", status_code=201, response_model=JourneyWriteResponse
)
def record_reintegration_activity(
    journey_id: UUID,
    body: ReintegrationActivityBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> JourneyWriteResponse:
    command = RecordReintegrationActivity(
        kind=body.kind, note=body.note, occurred_on=body.occurred_on
    )
    result = app.record_reintegration_activity(principal, journey_id, command, options)
    return JourneyWriteResponse.model_validate(created(response, result))


def end_journey(body: EndBody) -> EndJourney:
    return EndJourney(
        reason=body.reason, occurred_on=body.occurred_on, leave_open_reason=body.leave_open_reason
    )


@router.post(f"{JOURNEY}/cancellation", status_code=201, response_model=JourneyWriteResponse)
def cancel_journey(
    journey_id: UUID,
    body: EndBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> JourneyWriteResponse:
    """The worker did not leave. Only before departure."""
    command = end_journey(body)
    result = app.cancel_journey(principal, journey_id, command, options)
    return JourneyWriteResponse.model_validate(created(response, result))


@router.post(f"{JOURNEY}/closure", status_code=201, response_model=JourneyWriteResponse)
def close_journey(
    journey_id: UUID,
    body: EndBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> JourneyWriteResponse:
    """The case is done (after return, with or without reintegration). Afterwards only
    corrections are accepted."""
    command = end_journey(body)
    result = app.close_journey(principal, journey_id, command, options)
    return JourneyWriteResponse.model_validate(created(response, result))


@router.post(f"{JOURNEY}/corrections", status_code=201, response_model=JourneyWriteResponse)
def correct_journey(
    journey_id: UUID,
    body: CorrectionBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> JourneyWriteResponse:
    """Amends what the event at ``corrects_version`` said. The journey reflects the
    amendment (flags included); ``?as_of_version`` and the audit stream still show what
    was first recorded."""
    command = CorrectJourney(
        corrects_version=body.corrects_version, reason=body.reason, changes=body.changes
    )
    result = app.correct_journey(principal, journey_id, command, options)
    return JourneyWriteResponse.model_validate(created(response, result))


def journey_view(journey: Journey, as_of: datetime | None = None) -> JourneyView:
    data: dict[str, Any] = {
        "id": journey.id,
        "worker_id": journey.worker_id,
        "village_code": journey.village_code,
        "stage": journey.stage,
        "version": journey.version,
        "as_of": as_of,
        "flags": journey.flags.as_json(),
        "destination_country": journey.opening["destination_country"],
        "occupation": journey.opening["occupation"],
        "placement_scheme": journey.opening["placement_scheme"],
        "p3mi": journey.opening["p3mi"],
        "opened_on": journey.opened_on,
        "opened_at": journey.created_on,
        "updated_at": journey.modified_on,
        "counselling": journey.counselling,
        "documents": journey.documents,
        "indications": journey.indications,
        "departure": journey.departure,
        "welfare_checks": journey.welfare_checks,
        "incidents": journey.incidents,
        "return": journey.return_home,
        "reintegration_plans": journey.reintegration_plans,
        "reintegration_activities": journey.reintegration_activities,
        "cancellation": journey.cancellation,
        "closure": journey.closure,
        "left_open": journey.left_open_at_end,
        "corrections": journey.corrections,
        "scans": [{**scan, "bytes": scan["size"]} for scan in journey.attached_scans],
        "transfers": [dict(transfer) for transfer in journey.transfer_list()],
        "referrals": [dict(referral) for referral in journey.referral_list()],
    }
    return JourneyView.model_validate(data)
