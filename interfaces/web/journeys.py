"""The case page: a journey's stage, flags and departure document checklist, its history,
and a form for each event the current stage allows, plus the printable case summary and
corrections.

Which forms appear is the domain's decision (``Journey.allowed_actions()``, from the one table
of stages in ``domain.journey``); this module only knows how each command's form is read and
which use case records it. Forms are checked by the API's request models, so a value the API
refuses is refused here too, with the same translated message, next to its field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from application.app import JejakApplication
from application.errors import NotFound
from application.journeys import (
    CheckWelfare,
    CorrectJourney,
    EndJourney,
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
from domain import journey_values as values
from domain.errors import DomainError
from domain.events import WIB, Role, is_backdated
from domain.journey import CORRECTABLE, Journey, JourneyAction
from domain.vocabularies import required_documents
from interfaces.http.deps import AppDep
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
from interfaces.web import text
from interfaces.web.forms import (
    Form,
    FormDep,
    FormErrors,
    compact,
    domain_errors,
    validate,
    write_options,
)
from interfaces.web.pages import can_record, form_state, masked_nik, vocabulary
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Call = Callable[[JejakApplication, Principal, UUID, Any, WriteOptions, int], WriteResult]


@dataclass(frozen=True)
class ActionForm:
    """How one journey command is read from its form and recorded."""

    model: type[BaseModel]
    call: Call
    #: Checkbox groups: every ticked value, as a list.
    lists: tuple[str, ...] = ()
    #: Forms about one indication or incident carry its number in ``item``.
    per_item: bool = False


ACTION_FORMS: dict[JourneyAction, ActionForm] = {
    JourneyAction.PROVIDE_MIGRATION_INFO: ActionForm(
        CounsellingBody,
        lambda app, p, j, b, o, n: app.provide_migration_info(
            p, j, ProvideMigrationInfo(topics=b.topics, occurred_on=b.occurred_on), o
        ),
        lists=("topics",),
    ),
    JourneyAction.RECORD_DOCUMENT: ActionForm(
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
        IndicationResolutionBody,
        lambda app, p, j, b, o, n: app.resolve_indication(
            p, j, n, ResolveIndication(outcome=b.outcome, note=b.note, occurred_on=b.occurred_on), o
        ),
        per_item=True,
    ),
    JourneyAction.RECORD_DEPARTURE: ActionForm(
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
        IncidentResolutionBody,
        lambda app, p, j, b, o, n: app.resolve_incident(
            p, j, n, ResolveIncident(outcome=b.outcome, note=b.note, occurred_on=b.occurred_on), o
        ),
        per_item=True,
    ),
    JourneyAction.RECORD_RETURN: ActionForm(
        ReturnBody,
        lambda app, p, j, b, o, n: app.record_return(
            p, j, RecordReturn(returned_on=b.returned_on, reason=b.reason), o
        ),
    ),
    JourneyAction.PLAN_REINTEGRATION: ActionForm(
        ReintegrationPlanBody,
        lambda app, p, j, b, o, n: app.plan_reintegration(
            p, j, PlanReintegration(needs=b.needs, occurred_on=b.occurred_on), o
        ),
        lists=("needs",),
    ),
    JourneyAction.RECORD_REINTEGRATION_ACTIVITY: ActionForm(
        ReintegrationActivityBody,
        lambda app, p, j, b, o, n: app.record_reintegration_activity(
            p,
            j,
            RecordReintegrationActivity(kind=b.kind, note=b.note, occurred_on=b.occurred_on),
            o,
        ),
    ),
    JourneyAction.CANCEL: ActionForm(
        EndBody,
        lambda app, p, j, b, o, n: app.cancel_journey(
            p, j, EndJourney(reason=b.reason, occurred_on=b.occurred_on), o
        ),
    ),
    JourneyAction.CLOSE: ActionForm(
        EndBody,
        lambda app, p, j, b, o, n: app.close_journey(
            p, j, EndJourney(reason=b.reason, occurred_on=b.occurred_on), o
        ),
    ),
}

AsOf = Annotated[date | None, Query(description="The case as it stood at the end of this day")]


@router.get("/journeys/{journey_id}")
def show_journey(
    journey_id: UUID,
    request: Request,
    session: SessionDep,
    app: AppDep,
    as_of: AsOf = None,
) -> Response:
    return _journey_page(request, session, app, journey_id, as_of=as_of)


@router.post("/journeys/{journey_id}/{action}")
def record(
    journey_id: UUID,
    action: JourneyAction,
    request: Request,
    session: SessionDep,
    app: AppDep,
    form: FormDep,
) -> Response:
    """Records one journey event from its form; errors come back on the same page, in the
    form that was sent, next to their fields."""
    spec = ACTION_FORMS[action]
    item = int(form.get("item")) if spec.per_item and form.get("item").isdigit() else 0
    data: dict[str, Any] = compact(
        {
            name: form.all(name) if name in spec.lists else form.get(name)
            for name in spec.model.model_fields
        }
    )
    try:
        body = validate(spec.model, data, session.lang)
        options = write_options(request.app.state.runtime, form)
        spec.call(app, session.principal, journey_id, body, options, item)
    except FormErrors as errors:
        return _retry(request, session, app, journey_id, action, item, form, errors)
    except DomainError as error:
        if isinstance(error, NotFound) and error.params.get("what") == "journey":
            raise
        return _retry(
            request,
            session,
            app,
            journey_id,
            action,
            item,
            form,
            domain_errors(error, session.lang),
        )
    return redirect(request, f"/journeys/{journey_id}?saved={action.value}#top")


@router.get("/journeys/{journey_id}/summary")
def summary(journey_id: UUID, request: Request, session: SessionDep, app: AppDep) -> Response:
    """One A4 page for the family or the regency office (print stylesheet)."""
    journey = app.get_journey(session.principal, journey_id)
    worker = app.get_worker(session.principal, journey.worker_id)
    return render(
        request,
        "journeys/summary.html",
        session,
        {
            **_case(journey, session.lang),
            "worker": worker,
            "nik": masked_nik(worker.nik),
            "printed_on": datetime.now(WIB).date(),
        },
    )


@router.get("/journeys/{journey_id}/corrections/{version}")
def correction_form(
    journey_id: UUID, version: int, request: Request, session: SessionDep, app: AppDep
) -> Response:
    journey = app.get_journey(session.principal, journey_id)
    return _correction_page(request, session, journey, version, form_state("correct"))


@router.post("/journeys/{journey_id}/corrections/{version}")
def correct(
    journey_id: UUID,
    version: int,
    request: Request,
    session: SessionDep,
    app: AppDep,
    form: FormDep,
) -> Response:
    """A correction changes what the fields the officer edited say; the history keeps both.
    The journey's version at rendering time is sent back (If-Match): a case that moved on
    meanwhile is shown again rather than corrected blind."""
    journey = app.get_journey(session.principal, journey_id)
    fields = _correctable_fields(journey, version, session.lang)
    changes: dict[str, Any] = {}
    for entry in fields:
        name = entry["name"]
        new: Any = form.all(name) if entry["kind"] == "checks" else form.get(name)
        if entry["kind"] in ("date", "text", "textarea", "select") and new == "":
            new = None
        if new != entry["current"] and not (new is None and entry["current"] in (None, "")):
            changes[name] = new
    try:
        if not changes:
            raise FormErrors(general=text.t("correct.nothing_changed", session.lang))
        reason = form.get("reason")
        if not reason:
            raise FormErrors(fields={"reason": text.validation_text("missing", "", session.lang)})
        app.correct_journey(
            session.principal,
            journey_id,
            CorrectJourney(corrects_version=version, reason=reason, changes=changes),
            write_options(request.app.state.runtime, form, with_version=True),
        )
    except FormErrors as invalid:
        state = form_state("correct", form.flat(), invalid, form.form_key)
        return _correction_page(request, session, journey, version, state, invalid.status)
    except DomainError as error:
        refused = domain_errors(error, session.lang, rename=lambda n: n.removeprefix("changes."))
        state = form_state("correct", form.flat(), refused, form.form_key)
        fresh = app.get_journey(session.principal, journey_id)
        return _correction_page(request, session, fresh, version, state, refused.status)
    return redirect(request, f"/journeys/{journey_id}?saved=corrected#history")


# The page ---------------------------------------------------------------------------------


def _journey_page(
    request: Request,
    session: WebSession,
    app: AppDep,
    journey_id: UUID,
    *,
    as_of: date | None = None,
    failed: tuple[str, dict[str, Any]] | None = None,
    status: int = 200,
) -> Response:
    moment = None
    if as_of is not None:
        moment = datetime.combine(as_of, time.max, tzinfo=WIB)
    journey = app.get_journey(session.principal, journey_id, as_of=moment)
    worker = app.get_worker(session.principal, journey.worker_id)
    writable = moment is None and can_record(session.principal)
    allowed = journey.allowed_actions() if writable else ()
    states: dict[str, dict[str, Any]] = {}
    if failed is not None:
        states[failed[0]] = failed[1]
    return render(
        request,
        "journeys/show.html",
        session,
        {
            **_case(journey, session.lang),
            "worker": worker,
            "allowed": [action.value for action in allowed],
            "states": states,
            "fresh": lambda form_id: form_state(form_id),
            "as_of": as_of,
            "writable": writable,
            "is_auditor": session.principal.role is Role.AUDITOR,
            "choices": {name: vocabulary(name, session.lang) for name in _VOCABULARIES},
            "today": datetime.now(WIB).date().isoformat(),
            # The agenda links straight to the form that settles an item (?open=<form id>).
            "open_form": request.query_params.get("open"),
        },
        status=status,
    )


def _retry(
    request: Request,
    session: WebSession,
    app: AppDep,
    journey_id: UUID,
    action: JourneyAction,
    item: int,
    form: Form,
    errors: FormErrors,
) -> Response:
    form_id = f"{action.value}-{item}" if item else action.value
    state = form_state(form_id, form.flat(), errors, form.form_key)
    return _journey_page(
        request, session, app, journey_id, failed=(form_id, state), status=errors.status
    )


_VOCABULARIES = (
    "migration_topic",
    "document_kind",
    "indicator",
    "indication_outcome",
    "contact_with",
    "welfare_status",
    "incident_category",
    "severity",
    "incident_outcome",
    "return_reason",
    "reintegration_need",
    "reintegration_activity_kind",
)


def _case(journey: Journey, lang: str) -> dict[str, Any]:
    """What every view of a case shows: stage, flags, the checklist and the history."""
    flags = journey.flags
    missing = set(flags.missing_documents)
    by_kind: dict[str, dict[str, Any]] = {}
    for document in journey.documents:
        by_kind[document["kind"]] = dict(document)
    checklist = [
        {"kind": kind.value, "held": kind.value not in missing, "document": by_kind.get(kind.value)}
        for kind in required_documents(journey.placement_scheme)
    ]
    return {
        "journey": journey,
        "flags": flags,
        "checklist": checklist,
        "missing_count": len(missing),
        "history": _history(journey),
        "open_indications": [i for i in journey.indications if i["resolution"] is None],
        "open_incidents": [i for i in journey.incidents if i["resolution"] is None],
    }


def _history(journey: Journey) -> list[dict[str, Any]]:
    """Each version of the case as the officer recorded it (amended by corrections, which
    are listed beside what they correct)."""
    corrections: dict[int, list[dict[str, Any]]] = {}
    for correction in journey.corrections:
        corrections.setdefault(correction["corrects_version"], []).append(dict(correction))
    items = []
    for version, record in enumerate(journey.records, start=1):
        event = record["event"]
        if event == "Corrected":
            continue
        entry = _entry_of(journey, version)
        items.append(
            {
                "version": version,
                "event": event,
                "entry": entry,
                "backdated": is_backdated(entry["occurred_on"], entry["recorded_at"]),
                "corrections": corrections.get(version, []),
                "correctable": event in CORRECTABLE,
            }
        )
    return items


def _entry_of(journey: Journey, version: int) -> dict[str, Any]:
    return journey.entry_at(version)


# Corrections --------------------------------------------------------------------------------

#: Which vocabulary a correctable field's values come from, to offer them as choices.
_FIELD_VOCABULARY = {
    ("Opened", "placement_scheme"): "placement_scheme",
    ("MigrationInfoProvided", "topics"): "migration_topic",
    ("DocumentRecorded", "kind"): "document_kind",
    ("NonProceduralIndicationRaised", "indicators"): "indicator",
    ("IndicationResolved", "outcome"): "indication_outcome",
    ("WelfareChecked", "contact_with"): "contact_with",
    ("WelfareChecked", "status"): "welfare_status",
    ("IncidentReported", "category"): "incident_category",
    ("IncidentReported", "severity"): "severity",
    ("IncidentResolved", "outcome"): "incident_outcome",
    ("Returned", "reason"): "return_reason",
    ("ReintegrationPlanned", "needs"): "reintegration_need",
    ("ReintegrationActivityRecorded", "kind"): "reintegration_activity_kind",
}
_DATE_PARSERS = (values.past_date, values.any_date, values.optional_date)


def _correctable_fields(journey: Journey, version: int, lang: str) -> list[dict[str, Any]]:
    event = journey.event_at(version)
    if event is None or event not in CORRECTABLE:
        raise NotFound(what="event")
    entry = _entry_of(journey, version)
    fields = []
    for name, parser in CORRECTABLE[event].items():
        if name == "p3mi":
            continue  # a nested value: corrected through the API
        current = entry.get(name)
        vocabulary_name = _FIELD_VOCABULARY.get((event, name))
        if parser in _DATE_PARSERS:
            kind = "date"
            current = current.isoformat() if isinstance(current, date) else current
        elif vocabulary_name and isinstance(current, list):
            kind = "checks"
        elif vocabulary_name:
            kind = "select"
        elif name == "note":
            kind = "textarea"
        else:
            kind = "text"
        fields.append(
            {
                "name": name,
                "kind": kind,
                "current": current,
                "choices": vocabulary(vocabulary_name, lang) if vocabulary_name else [],
            }
        )
    return fields


def _correction_page(
    request: Request,
    session: WebSession,
    journey: Journey,
    version: int,
    state: dict[str, Any],
    status: int = 200,
) -> Response:
    if not can_record(session.principal):
        raise NotFound(what="journey")
    fields = _correctable_fields(journey, version, session.lang)
    for entry in fields:  # the form starts from what the event says now
        current = entry["current"]
        state["values"].setdefault(entry["name"], "" if current is None else current)
    return render(
        request,
        "journeys/correct.html",
        session,
        {
            "journey": journey,
            "version": version,
            "event": journey.event_at(version),
            "fields": fields,
            "fd": state,
        },
        status=status,
    )
