"""Officers' pages for workers: the list of their villages' workers with the open journey's
stage and flags, registration (the NIK checked as it is typed), a worker's record and the
form that opens a journey.

The list comes from the workers read model, which holds no names: each name on the page is
read through ``app.get_worker``, so every person shown is in the access log."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from application.errors import (
    NotFound,
    TooManyNikChecks,
    WorkerAlreadyRegistered,
    WorkerRegisteredElsewhere,
)
from application.journeys import OpenJourney
from application.readmodels import Filter
from application.workers import RegisterWorker
from domain.errors import DomainError, InvalidValue
from domain.events import Role
from domain.identity_numbers import masked
from domain.nik import Nik
from domain.vocabularies import COUNTRY_CODES, HOME_COUNTRY, Stage
from interfaces.http.deps import AppDep
from interfaces.http.reporting import decode_cursor, encode_cursor
from interfaces.http.schemas.journeys import OpenJourneyBody
from interfaces.http.schemas.workers import RegisterWorkerBody
from interfaces.web import text
from interfaces.web.forms import (
    FormDep,
    FormErrors,
    compact,
    domain_errors,
    validate,
    write_options,
)
from interfaces.web.pages import (
    can_record,
    form_state,
    recording_villages,
    vocabulary,
)
from interfaces.web.registration import duplicate_warnings
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession
from interfaces.web.transfers import transfer_context

router = APIRouter(route_class=WebRoute, include_in_schema=False)

PAGE_SIZE = 20
Code = Annotated[str | None, Query(max_length=13, pattern=r"^[0-9.]*$")]
Cursor = Annotated[str | None, Query(max_length=500)]


@router.get("/workers")
def list_workers(
    request: Request,
    session: SessionDep,
    app: AppDep,
    village: Code = None,
    stage: Annotated[str | None, Query(max_length=20)] = None,
    flag: Annotated[str | None, Query(max_length=20)] = None,
    after: Cursor = None,
) -> Response:
    """Newest registrations first, filtered by village, stage of the open journey and flag;
    filters live in the URL so a list can be bookmarked and shared."""
    filters: list[Filter] = []
    if stage == "none":
        filters.append(Filter("open_stage", "is_null"))
    elif stage in {s.value for s in Stage}:
        filters.append(Filter("open_stage", "=", stage))
    if flag == "non_procedural":
        filters.append(Filter("non_procedural", "=", True))
    elif flag == "missing_documents":
        filters.append(Filter("missing_documents", ">", 0))
    elif flag == "open_incidents":
        filters.append(Filter("open_incidents", ">", 0))
    page = app.report(
        session.principal,
        "workers",
        "workers",
        region=village or None,
        filters=filters,
        order=("registered_on", "worker_id"),
        descending=True,
        after=decode_cursor(after),
        limit=PAGE_SIZE,
    )
    people = []
    for row in page.rows:
        try:
            worker = app.get_worker(session.principal, UUID(str(row["worker_id"])))
        except NotFound:
            continue
        people.append({"row": row, "name": worker.full_name})
    query = {"village": village or "", "stage": stage or "", "flag": flag or ""}
    next_cursor = encode_cursor(page.next_after)
    return render(
        request,
        "workers/list.html",
        session,
        {
            "people": people,
            "query": query,
            "next_cursor": next_cursor,
            "is_first_page": after is None,
            "villages": _scope_villages(app, session),
            "stages": vocabulary("stage", session.lang),
            "position": page.position,
            "find": form_state("find"),
        },
    )


@router.post("/workers/find")
def find_worker(request: Request, session: SessionDep, app: AppDep, form: FormDep) -> Response:
    """A lookup by NIK: the NIK travels in the form's body, never in a URL."""
    try:
        worker = app.lookup_worker(session.principal, form.get("nik"))
    except InvalidValue as error:
        return _find_again(request, session, app, domain_errors(error, session.lang))
    except NotFound:
        errors = FormErrors(fields={"nik": text.t("workers.not_registered", session.lang)})
        return _find_again(request, session, app, errors)
    except TooManyNikChecks as limited:
        return _find_again(request, session, app, _limited(limited, session.lang), limited)
    return redirect(request, f"/workers/{worker.id}")


@router.get("/workers/new")
def new_worker(request: Request, session: SessionDep, app: AppDep) -> Response:
    return _register_page(request, session, app, form_state("register"))


@router.post("/workers/new")
def register_worker(request: Request, session: SessionDep, app: AppDep, form: FormDep) -> Response:
    """Registers with the same checks as the API; a NIK already registered shows the link
    to the existing record next to the NIK field."""
    runtime = request.app.state.runtime
    values = form.flat()
    try:
        body = validate(
            RegisterWorkerBody, compact({k: form.get(k) for k in _REGISTER_FIELDS}), session.lang
        )
        command = RegisterWorker(
            nik=body.nik,
            full_name=body.full_name,
            sex=body.sex,
            birth_date=body.birth_date,
            village_code=body.village_code,
            phone=body.phone,
        )
        if form.get("confirm_duplicates") != "1":
            warnings = duplicate_warnings(app, session, command)
            if warnings:
                state = form_state("register", values, None, form.form_key)
                return _register_page(request, session, app, state, duplicates=warnings)
        result = app.register_worker(session.principal, command, write_options(runtime, form))
    except FormErrors as invalid:
        state = form_state("register", values, invalid, form.form_key)
        return _register_page(request, session, app, state)
    except WorkerAlreadyRegistered as taken:
        existing = str(taken.params["existing_id"])
        duplicate = FormErrors(
            fields={"nik": text.t("workers.already_registered", session.lang)}, status=409
        )
        state = form_state("register", values, duplicate, form.form_key)
        return _register_page(request, session, app, state, existing)
    except WorkerRegisteredElsewhere:
        elsewhere = FormErrors(
            fields={"nik": text.t("workers.registered_elsewhere", session.lang)}, status=409
        )
        state = form_state("register", values, elsewhere, form.form_key)
        return _register_page(request, session, app, state, status=409)
    except TooManyNikChecks as limited:
        state = form_state("register", values, _limited(limited, session.lang), form.form_key)
        return _register_page(request, session, app, state, status=429, limited=limited)
    except DomainError as error:
        state = form_state("register", values, domain_errors(error, session.lang), form.form_key)
        return _register_page(request, session, app, state)
    return redirect(request, f"/workers/{result.id}?saved=registered")


@router.post("/workers/check-nik")
def check_nik(request: Request, session: SessionDep, app: AppDep, form: FormDep) -> Response:
    """As the officer types (htmx): is the NIK well formed, what does it encode, and is the
    person registered already? The NIK is in the POST body; nothing here logs it. Each
    well-formed NIK is one check of the officer's allowance (429 beyond it)."""
    value = form.get("nik")
    context: dict[str, Any] = {"state": "empty", "derived": None}
    headers: dict[str, str] = {}
    status = 200
    if value:
        try:
            context = _nik_status(app, session, value)
        except InvalidValue as error:
            context = {
                "state": "invalid",
                "derived": None,
                "message": text.reason_text(str(error.params.get("reason", "")), session.lang),
            }
        except TooManyNikChecks as limited:
            message = text.message_text(limited.code, limited.message, limited.params, session.lang)
            context = {"state": "invalid", "derived": None, "message": message}
            status, headers = 429, _retry_after(limited)
    return render(
        request, "workers/nik_status.html", session, context, status=status, headers=headers
    )


def _nik_status(app: AppDep, session: WebSession, value: str) -> dict[str, Any]:
    found = app.check_nik(session.principal, value)
    if found.worker is not None:
        return {
            "state": "registered",
            "worker_id": str(found.worker.id),
            "name": found.worker.full_name,
            "derived": None,
        }
    if found.elsewhere:
        # Saving would say so (409), so the check does too, naming no one.
        return {"state": "registered_elsewhere", "derived": None}
    nik = app.real_nik(value)
    born = _birth_date(nik, app)
    return {
        "state": "valid",
        "derived": None if born is None else {"birth_date": born.isoformat(), "sex": nik.sex},
        "sex": nik.sex,
        "regency": app.village_name(nik.regency_code),
        "born": text.format_date(born, session.lang),
    }


@router.get("/workers/{worker_id}")
def show_worker(worker_id: UUID, request: Request, session: SessionDep, app: AppDep) -> Response:
    return _worker_page(request, session, app, worker_id, form_state("open"))


@router.post("/workers/{worker_id}/nik")
def show_nik(
    worker_id: UUID, request: Request, session: SessionDep, app: AppDep, form: FormDep
) -> Response:
    """The NIK in full, asked for with the button beside the masked one (access-logged)."""
    nik = app.reveal_nik(session.principal, worker_id)
    return _worker_page(request, session, app, worker_id, form_state("open"), nik=nik)


@router.post("/workers/{worker_id}/journeys")
def open_journey(
    worker_id: UUID, request: Request, session: SessionDep, app: AppDep, form: FormDep
) -> Response:
    runtime = request.app.state.runtime
    values = form.flat()
    data: dict[str, Any] = compact(
        {
            "worker_id": str(worker_id),
            "destination_country": form.get("destination_country"),
            "occupation": form.get("occupation"),
            "placement_scheme": form.get("placement_scheme"),
            "occurred_on": form.get("occurred_on"),
        }
    )
    if form.get("p3mi_name") or form.get("p3mi_licence_number"):
        data["p3mi"] = {
            "name": form.get("p3mi_name"),
            "licence_number": form.get("p3mi_licence_number"),
        }
    try:
        body = validate(OpenJourneyBody, data, session.lang)
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
        result = app.open_journey(session.principal, command, write_options(runtime, form))
    except FormErrors as invalid:
        state = form_state("open", values, invalid, form.form_key)
        return _worker_page(request, session, app, worker_id, state)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        refused = domain_errors(error, session.lang, rename=_p3mi_field)
        state = form_state("open", values, refused, form.form_key)
        return _worker_page(request, session, app, worker_id, state)
    return redirect(request, f"/journeys/{result.id}?saved=opened")


# Helpers ---------------------------------------------------------------------------------

_REGISTER_FIELDS = ("nik", "full_name", "sex", "birth_date", "village_code", "phone")

#: Where Indonesians go to work most (BP2MI), first in the destination list.
COMMON_DESTINATIONS = (
    "TW",
    "MY",
    "HK",
    "SG",
    "SA",
    "KR",
    "JP",
    "BN",
    "AE",
    "QA",
    "KW",
    "OM",
    "IT",
    "PL",
    "DE",
    "TR",
)


def _birth_date(nik: Nik, app: AppDep) -> date | None:
    """The NIK has a two-digit year: a birth year after this one is in the last century."""
    today = app.services.clock.today()
    century = 2000 if nik.two_digit_year <= today.year % 100 else 1900
    try:
        return date(century + nik.two_digit_year, nik.month, nik.day)
    except ValueError:
        return None


def _p3mi_field(name: str) -> str:
    return "p3mi_name" if name == "p3mi" else name.replace(".", "_")


def _scope_villages(app: AppDep, session: WebSession) -> list[dict[str, str]]:
    if session.principal.role is Role.OFFICER:
        return recording_villages(app, session.principal)
    return recording_villages(app, session.principal) if can_record(session.principal) else []


def countries(lang: str) -> list[dict[str, str]]:
    common = [
        {"value": code, "label": f"{text.country_name(code, lang)} ({code})"}
        for code in COMMON_DESTINATIONS
    ]
    rest = [
        {"value": code, "label": text.country_name(code, lang) + f" ({code})"}
        for code in sorted(COUNTRY_CODES - {HOME_COUNTRY} - set(COMMON_DESTINATIONS))
    ]
    return common + rest


def _limited(limited: TooManyNikChecks, lang: str) -> FormErrors:
    message = text.message_text(limited.code, limited.message, limited.params, lang)
    return FormErrors(fields={"nik": message}, status=429)


def _retry_after(limited: TooManyNikChecks | None) -> dict[str, str]:
    return {} if limited is None else {"Retry-After": str(limited.params["retry_after"])}


def _find_again(
    request: Request,
    session: WebSession,
    app: AppDep,
    errors: FormErrors,
    limited: TooManyNikChecks | None = None,
) -> Response:
    return render(
        request,
        "workers/find.html",
        session,
        {"find": form_state("find", {}, errors)},
        status=errors.status,
        headers=_retry_after(limited),
    )


def _register_page(
    request: Request,
    session: WebSession,
    app: AppDep,
    state: dict[str, Any],
    existing_id: str | None = None,
    *,
    status: int | None = None,
    limited: TooManyNikChecks | None = None,
    duplicates: list[dict[str, Any]] | None = None,
) -> Response:
    if status is None:
        status = 200
        if state["errors"] or state["general"]:
            status = 409 if existing_id else 422
    return render(
        request,
        "workers/new.html",
        session,
        {
            "fd": state,
            "villages": recording_villages(app, session.principal),
            "existing_id": existing_id,
            "duplicates": duplicates or [],
        },
        status=status,
        headers=_retry_after(limited),
    )


def _worker_page(
    request: Request,
    session: WebSession,
    app: AppDep,
    worker_id: UUID,
    state: dict[str, Any],
    *,
    nik: str | None = None,
) -> Response:
    """The worker's record; ``nik`` is the NIK in full when the officer asked to see it."""
    worker = app.get_worker(session.principal, worker_id)
    journeys = app.report(
        session.principal,
        "journeys",
        "journeys",
        region=None,
        filters=[Filter("worker_id", "=", str(worker_id))],
        order=("opened_on", "journey_id"),
        descending=True,
        limit=50,
    ).rows
    has_open = any(row["stage"] not in ("closed", "cancelled") for row in journeys)
    status = 422 if state["errors"] or state["general"] else 200
    return render(
        request,
        "workers/show.html",
        session,
        {
            "worker": worker,
            "nik": nik or masked(worker.nik),
            "nik_masked": nik is None and not worker.erased,
            "journeys": journeys,
            "can_open": can_record(session.principal) and not has_open and not worker.erased,
            "fd": state,
            "countries": countries(session.lang),
            "schemes": vocabulary("placement_scheme", session.lang),
            **transfer_context(app, session.principal, worker),
            "transfer_fd": form_state("transfer"),
        },
        status=status,
    )
