"""The case page: a journey's stage, flags and departure document checklist, its history,
and a form for each event the current stage allows, plus the printable case summary and
corrections.

Which forms appear is the domain's decision (``Journey.allowed_actions()``, from the one table
of stages in ``domain.journey.stages``); ``journey_forms`` gives each command its URL segment,
request model and use case. Forms are checked by the API's request models, so a value the API
refuses is refused here too, with the same translated message, next to its field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from application.errors import NotFound
from application.journeys import (
    CorrectJourney,
)
from domain.dates import WIB
from domain.errors import DomainError
from domain.events import Role, is_backdated
from domain.identity_numbers import identifies_person, masked
from domain.journey import Journey, OpenItemsAtEnd, values
from domain.vocabularies import VOCABULARIES, required_documents
from interfaces.http.deps import AppDep
from interfaces.web import text
from interfaces.web.as_of import RECORDED, AsOf, asked, journey_as_of
from interfaces.web.forms import (
    Form,
    FormDep,
    FormErrors,
    compact,
    domain_errors,
    validate,
    validate_confirmed,
    write_options,
)
from interfaces.web.identity import shown_document
from interfaces.web.journey_forms import ACTION_BY_SEGMENT, ACTION_FORMS
from interfaces.web.pages import can_record, form_state, vocabulary
from interfaces.web.referrals import referral_context
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession
from interfaces.web.transfers import transfer_context

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/journeys/{journey_id}")
def show_journey(
    journey_id: UUID,
    request: Request,
    session: SessionDep,
    app: AppDep,
    as_of: Annotated[str | None, Query(max_length=40)] = None,
    reading: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The case now, or as it stood at the end of ``as_of`` in the ``reading`` asked."""
    past = asked(as_of, reading, datetime.now(WIB).date())
    return _journey_page(
        request, session, app, journey_id, past=past, status=422 if past.error else 200
    )


@router.post("/journeys/{journey_id}/{segment}")
def record(
    journey_id: UUID,
    segment: str,
    request: Request,
    session: SessionDep,
    app: AppDep,
    form: FormDep,
) -> Response:
    """Records one journey event from its form; errors come back on the same page, in the
    form that was sent, next to their fields."""
    action = ACTION_BY_SEGMENT.get(segment)
    if action is None:
        raise NotFound(what="page")
    spec = ACTION_FORMS[action]
    item = int(form.get("item")) if spec.per_item and form.get("item").isdigit() else 0
    data: dict[str, Any] = compact(
        {
            name: form.all(name) if name in spec.lists else form.get(name)
            for name in spec.model.model_fields
        }
    )
    try:
        if spec.confirm:
            body = validate_confirmed(spec.model, data, session.lang, form)
        else:
            body = validate(spec.model, data, session.lang)
        options = write_options(request.app.state.runtime, form, with_version=True)
        spec.call(app, session.principal, journey_id, body, options, item)
    except FormErrors as errors:
        return _retry(request, session, app, journey_id, segment, item, form, errors)
    except DomainError as error:
        if isinstance(error, NotFound) and error.params.get("what") == "journey":
            raise
        return _retry(
            request, session, app, journey_id, segment, item, form, _refusal(error, session.lang)
        )
    return redirect(request, f"/journeys/{journey_id}?saved={segment}#top")


def _refusal(error: DomainError, lang: str) -> FormErrors:
    """Items still open are the reason box's business: the form shows it whenever there are
    some, so the refusal goes next to it."""
    if isinstance(error, OpenItemsAtEnd):
        message = text.t("ending.leave_open_required", lang)
        return FormErrors(fields={"leave_open_reason": message}, status=409)
    return domain_errors(error, lang)


@router.post("/journeys/{journey_id}/documents/{document_id}/number")
def show_document_number(
    journey_id: UUID,
    document_id: int,
    request: Request,
    session: SessionDep,
    app: AppDep,
    form: FormDep,
) -> Response:
    """An identity document's number in full, asked for with the button beside the masked
    one (access-logged); the case page comes back with it shown."""
    number = app.reveal_document_number(session.principal, journey_id, document_id)
    return _journey_page(request, session, app, journey_id, revealed={document_id: number})


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
            "nik": masked(worker.nik),
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
        if entry["kind"] == "masked" and new == "":
            continue  # an identity number is not shown, so an empty field keeps it
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
    past: AsOf | None = None,
    failed: tuple[str, dict[str, Any]] | None = None,
    status: int = 200,
    revealed: dict[int, str] | None = None,
) -> Response:
    past = past or AsOf()
    then = journey_as_of(app, session.principal, journey_id, past)
    journey = then or app.get_journey(session.principal, journey_id)
    as_of = past.day if then is not None else None
    worker = app.get_worker(session.principal, journey.worker_id)
    writable = as_of is None and can_record(session.principal)
    allowed = journey.allowed_actions() if writable else ()
    states: dict[str, dict[str, Any]] = {}
    if failed is not None:
        states[failed[0]] = failed[1]
    return render(
        request,
        "journeys/show.html",
        session,
        {
            **_case(journey, session.lang, revealed or {}),
            "worker": worker,
            "allowed": [ACTION_FORMS[action].segment for action in allowed],
            "states": states,
            "fresh": lambda form_id: form_state(form_id),
            "as_of": as_of,
            "past": past,
            # A date before the case: said above the case as it is now.
            "before_case": past.day is not None and then is None,
            # Read as it had happened, documents and versions are numbered afresh: links to
            # scans (by document and version of the real history) would open another one.
            "scan_links": as_of is None or past.reading == RECORDED,
            "writable": writable,
            "is_auditor": session.principal.role is Role.AUDITOR,
            "choices": {name: vocabulary(name, session.lang) for name in _VOCABULARIES},
            "today": datetime.now(WIB).date().isoformat(),
            # The agenda links straight to the form that settles an item (?open=<form id>).
            "open_form": request.query_params.get("open"),
            **referral_context(app, session.principal, journey, session.lang),
            **transfer_context(app, session.principal, worker),
        },
        status=status,
    )


def _retry(
    request: Request,
    session: WebSession,
    app: AppDep,
    journey_id: UUID,
    segment: str,
    item: int,
    form: Form,
    errors: FormErrors,
) -> Response:
    form_id = f"{segment}-{item}" if item else segment
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


def _case(journey: Journey, lang: str, revealed: dict[int, str] | None = None) -> dict[str, Any]:
    """What every view of a case shows: stage, flags, the checklist and the history, with
    identity numbers masked (but those in ``revealed``, by document id)."""
    flags = journey.flags
    missing = set(flags.missing_documents)
    by_kind: dict[str, dict[str, Any]] = {}
    for document in journey.documents:
        by_kind[document["kind"]] = shown_document(document, revealed or {})
    required = [kind.value for kind in required_documents(journey.placement_scheme)]
    scans = {scan["document_id"]: scan for scan in journey.attached_scans}  # the last wins
    # The required documents, then the others recorded (a KTP, a family card): a scan of
    # any of them is uploaded from its row.
    kinds = [*required, *(kind for kind in by_kind if kind not in required)]
    checklist = [
        {
            "kind": kind,
            "held": kind not in missing,
            "required": kind in required,
            "document": by_kind.get(kind),
            "scan": scans.get(by_kind[kind]["document_id"]) if kind in by_kind else None,
        }
        for kind in kinds
    ]
    return {
        "journey": journey,
        "flags": flags,
        "checklist": checklist,
        "missing_count": len(missing),
        "history": _history(journey, revealed or {}),
        "open_indications": journey.open_indications,
        "open_incidents": journey.open_incidents,
        "left_open": journey.left_open_at_end,
    }


def _history(journey: Journey, revealed: dict[int, str]) -> list[dict[str, Any]]:
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
        if event == "DocumentRecorded":
            entry = shown_document(entry, revealed)
        items.append(
            {
                "version": version,
                "event": event,
                "entry": entry,
                "backdated": is_backdated(entry["occurred_on"], entry["recorded_at"]),
                "corrections": corrections.get(version, []),
                "correctable": bool(journey.correctable_at(version)),
            }
        )
    return items


def _entry_of(journey: Journey, version: int) -> dict[str, Any]:
    return journey.entry_at(version)


# Corrections --------------------------------------------------------------------------------

#: The name each vocabulary goes by in forms and labels (``document_kind``).
_VOCABULARY_NAMES = {vocabulary: name for name, vocabulary in VOCABULARIES.items()}
_DATE_PARSERS = (values.past_date, values.any_date, values.optional_date)


def _correctable_fields(journey: Journey, version: int, lang: str) -> list[dict[str, Any]]:
    correctable = journey.correctable_at(version)
    if not correctable:
        raise NotFound(what="event")
    entry = _entry_of(journey, version)
    fields = []
    for name, parser in correctable.items():
        if name == "p3mi":
            continue  # a nested value: corrected through the API
        current = entry.get(name)
        choice = parser if isinstance(parser, values.Choice) else None
        vocabulary_name = None if choice is None else _VOCABULARY_NAMES[choice.vocabulary]
        if parser in _DATE_PARSERS:
            kind = "date"
            current = current.isoformat() if isinstance(current, date) else current
        elif choice is not None and choice.many:
            kind = "checks"
        elif choice is not None:
            kind = "select"
        elif name == "note":
            kind = "textarea"
        elif name == "number" and identifies_person(entry.get("kind")):
            kind = "masked"
        else:
            kind = "text"
        fields.append(
            {
                "name": name,
                "kind": kind,
                "current": current,
                "shown": masked(str(current)) if kind == "masked" else current,
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
        current = None if entry["kind"] == "masked" else entry["current"]
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
