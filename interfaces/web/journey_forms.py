"""Journey commands on the web: the URL segment of each command's form
(``/journeys/{id}/departure``), the request model that checks it, and the use case that
records it. Which commands a case page offers is the domain's decision
(``Journey.allowed_actions()``); URL segments are the web's, never the domain's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from application.app import JejakApplication
from application.journeys import (
    CheckWelfare,
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
from application.principal import Principal
from application.writes import WriteOptions, WriteResult
from domain.journey import JourneyAction
from interfaces.http.routes.journeys import end_journey
from interfaces.http.schemas.journeys import (
    CounsellingBody,
    DepartureBody,
    DocumentBody,
    EndBody,
    IncidentBody,
    IncidentResolutionBody,
    IndicationBody,
    IndicationResolutionBody,
    ReintegrationActivityBody,
    ReintegrationPlanBody,
    ReturnBody,
    WelfareCheckBody,
)
from interfaces.http.schemas.transfers import ReferralOutcomeBody
from interfaces.web import referral_forms
from interfaces.web.referral_forms import ReferralForm

Call = Callable[[JejakApplication, Principal, UUID, Any, WriteOptions, int], WriteResult]


@dataclass(frozen=True)
class ActionForm:
    """How one journey command is read from its form and recorded."""

    #: The last segment of the form's URL (``/journeys/{id}/departure``), which also
    #: names the form's phrases (``action.departure.title``).
    segment: str
    model: type[BaseModel]
    call: Call
    #: Checkbox groups: every ticked value, as a list.
    lists: tuple[str, ...] = ()
    #: Forms about one indication, incident or referral carry its number in ``item``.
    per_item: bool = False
    #: Sent only with "Saya yakin" ticked (``forms.validate_confirmed``): the case ends.
    confirm: bool = False


ACTION_FORMS: dict[JourneyAction, ActionForm] = {
    JourneyAction.PROVIDE_MIGRATION_INFO: ActionForm(
        "counselling",
        CounsellingBody,
        lambda app, p, j, b, o, n: app.provide_migration_info(
            p, j, ProvideMigrationInfo(topics=b.topics, occurred_on=b.occurred_on), o
        ),
        lists=("topics",),
    ),
    JourneyAction.RECORD_DOCUMENT: ActionForm(
        "documents",
        DocumentBody,
        lambda app, p, j, b, o, n: app.record_document(
            p,
            j,
            RecordDocument(
                kind=b.kind,
                number=b.number,
                issued_on=b.issued_on,
                expires_on=b.expires_on,
                occurred_on=b.occurred_on,
            ),
            o,
        ),
    ),
    JourneyAction.RAISE_INDICATION: ActionForm(
        "indications",
        IndicationBody,
        lambda app, p, j, b, o, n: app.raise_indication(
            p,
            j,
            RaiseIndication(indicators=b.indicators, note=b.note, occurred_on=b.occurred_on),
            o,
        ),
        lists=("indicators",),
    ),
    JourneyAction.RESOLVE_INDICATION: ActionForm(
        "indication-resolution",
        IndicationResolutionBody,
        lambda app, p, j, b, o, n: app.resolve_indication(
            p, j, n, ResolveIndication(outcome=b.outcome, note=b.note, occurred_on=b.occurred_on), o
        ),
        per_item=True,
    ),
    JourneyAction.RECORD_DEPARTURE: ActionForm(
        "departure",
        DepartureBody,
        lambda app, p, j, b, o, n: app.record_departure(
            p,
            j,
            RecordDeparture(
                departed_on=b.departed_on,
                employer=b.employer,
                contract_start=b.contract_start,
                contract_end=b.contract_end,
            ),
            o,
        ),
    ),
    JourneyAction.CHECK_WELFARE: ActionForm(
        "welfare-checks",
        WelfareCheckBody,
        lambda app, p, j, b, o, n: app.check_welfare(
            p,
            j,
            CheckWelfare(
                contact_with=b.contact_with, status=b.status, note=b.note, occurred_on=b.occurred_on
            ),
            o,
        ),
    ),
    JourneyAction.REPORT_INCIDENT: ActionForm(
        "incidents",
        IncidentBody,
        lambda app, p, j, b, o, n: app.report_incident(
            p,
            j,
            ReportIncident(
                category=b.category, severity=b.severity, note=b.note, occurred_on=b.occurred_on
            ),
            o,
        ),
    ),
    JourneyAction.RESOLVE_INCIDENT: ActionForm(
        "incident-resolution",
        IncidentResolutionBody,
        lambda app, p, j, b, o, n: app.resolve_incident(
            p, j, n, ResolveIncident(outcome=b.outcome, note=b.note, occurred_on=b.occurred_on), o
        ),
        per_item=True,
    ),
    JourneyAction.REFER: ActionForm("referrals", ReferralForm, referral_forms.refer),
    JourneyAction.RECORD_REFERRAL_OUTCOME: ActionForm(
        "referral-outcome", ReferralOutcomeBody, referral_forms.record_outcome, per_item=True
    ),
    JourneyAction.RECORD_RETURN: ActionForm(
        "return",
        ReturnBody,
        lambda app, p, j, b, o, n: app.record_return(
            p, j, RecordReturn(returned_on=b.returned_on, reason=b.reason), o
        ),
    ),
    JourneyAction.PLAN_REINTEGRATION: ActionForm(
        "reintegration-plan",
        ReintegrationPlanBody,
        lambda app, p, j, b, o, n: app.plan_reintegration(
            p, j, PlanReintegration(needs=b.needs, occurred_on=b.occurred_on), o
        ),
        lists=("needs",),
    ),
    JourneyAction.RECORD_REINTEGRATION_ACTIVITY: ActionForm(
        "reintegration-activities",
        ReintegrationActivityBody,
        lambda app, p, j, b, o, n: app.record_reintegration_activity(
            p,
            j,
            RecordReintegrationActivity(kind=b.kind, note=b.note, occurred_on=b.occurred_on),
            o,
        ),
    ),
    JourneyAction.CANCEL: ActionForm(
        "cancellation",
        EndBody,
        lambda app, p, j, b, o, n: app.cancel_journey(p, j, end_journey(b), o),
        confirm=True,
    ),
    JourneyAction.CLOSE: ActionForm(
        "closure",
        EndBody,
        lambda app, p, j, b, o, n: app.close_journey(p, j, end_journey(b), o),
        confirm=True,
    ),
}

#: Which command a form's URL segment names.
ACTION_BY_SEGMENT: dict[str, JourneyAction] = {
    form.segment: action for action, form in ACTION_FORMS.items()
}
