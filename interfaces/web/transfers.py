"""Transfers on the web: the inbox of incoming requests for officers and coordinators (with
what they may see before accepting: name, stage, open items), the outgoing ones, and the
transfer form of the worker and case pages (``partials/transfer.html``) with a page of its
own where it comes back with its errors.

Every write is the API's use case with the form's Idempotency-Key, so a double click on
"Terima" accepts once."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from application.app import JejakApplication
from application.principal import Principal
from application.transfers import RequestTransfer
from domain.errors import DomainError
from domain.worker import Worker
from interfaces.http.deps import AppDep
from interfaces.http.schemas.transfers import DeclineBody, TransferBody
from interfaces.web.forms import (
    Form,
    FormDep,
    FormErrors,
    compact,
    domain_errors,
    validate,
    write_options,
)
from interfaces.web.pages import can_record, form_state
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession

router = APIRouter(route_class=WebRoute, include_in_schema=False)

#: Where a transfer form may send the person back to after saving.
_BACK_TO = ("/journeys/", "/workers/")


def transfer_context(app: JejakApplication, principal: Principal, worker: Worker) -> dict[str, Any]:
    """What the transfer box of a worker or case page shows: the pending request, if any,
    the form otherwise (with the designated villages to choose from), and the history."""
    writable = can_record(principal) and not worker.erased
    return {
        "transfer_worker": worker,
        "transfer_pending": worker.pending_transfer,
        "transfer_history": list(reversed(worker.transfer_list())),
        "transfer_writable": writable,
        "destinations": _destinations(app, principal) if writable else [],
    }


@router.get("/transfers")
def inbox(request: Request, session: SessionDep, app: AppDep) -> Response:
    return _inbox(request, session, app, {})


@router.get("/workers/{worker_id}/transfer")
def transfer_page(worker_id: UUID, request: Request, session: SessionDep, app: AppDep) -> Response:
    return _transfer_page(request, session, app, worker_id, form_state("transfer"))


@router.post("/workers/{worker_id}/transfers")
def request_transfer(
    worker_id: UUID, request: Request, session: SessionDep, app: AppDep, form: FormDep
) -> Response:
    data = compact({name: form.get(name) for name in TransferBody.model_fields})
    try:
        body = validate(TransferBody, data, session.lang)
        command = RequestTransfer(body.to_village_code, body.reason, body.occurred_on)
        options = write_options(request.app.state.runtime, form)
        app.request_transfer(session.principal, worker_id, command, options)
    except FormErrors as invalid:
        return _refused_transfer(request, session, app, worker_id, form, invalid)
    except DomainError as error:
        if error.params.get("what") == "worker":
            raise
        refused = domain_errors(error, session.lang)
        return _refused_transfer(request, session, app, worker_id, form, refused)
    return redirect(request, f"{_back(form, worker_id)}?saved=transfer")


@router.post("/workers/{worker_id}/transfers/{transfer_id}/withdrawal")
def withdraw(
    worker_id: UUID,
    transfer_id: UUID,
    request: Request,
    session: SessionDep,
    app: AppDep,
    form: FormDep,
) -> Response:
    options = write_options(request.app.state.runtime, form)
    app.withdraw_transfer(session.principal, worker_id, transfer_id, None, options)
    return redirect(request, f"{_back(form, worker_id)}?saved=transfer-withdrawn")


@router.post("/workers/{worker_id}/transfers/{transfer_id}/acceptance")
def accept(
    worker_id: UUID,
    transfer_id: UUID,
    request: Request,
    session: SessionDep,
    app: AppDep,
    form: FormDep,
) -> Response:
    """Accepting brings the worker in: their case (the open journey, which comes first) or
    their page is the receiver's to open now."""
    options = write_options(request.app.state.runtime, form)
    try:
        result = app.accept_transfer(session.principal, worker_id, transfer_id, options)
    except DomainError as error:
        if error.params.get("what") == "transfer":
            raise
        return _inbox(request, session, app, {}, general=domain_errors(error, session.lang))
    moved = list(result.extra.get("journey_ids") or [])
    page = f"/journeys/{moved[0]}" if moved else f"/workers/{worker_id}"
    return redirect(request, f"{page}?saved=transfer-accepted")


@router.post("/workers/{worker_id}/transfers/{transfer_id}/decline")
def decline(
    worker_id: UUID,
    transfer_id: UUID,
    request: Request,
    session: SessionDep,
    app: AppDep,
    form: FormDep,
) -> Response:
    form_id = f"decline-{transfer_id}"
    try:
        body = validate(DeclineBody, compact({"reason": form.get("reason")}), session.lang)
        options = write_options(request.app.state.runtime, form)
        app.decline_transfer(session.principal, worker_id, transfer_id, body.reason, options)
    except FormErrors as errors:
        state = form_state(form_id, form.flat(), errors, form.form_key)
        return _inbox(request, session, app, {form_id: state}, status=errors.status)
    except DomainError as error:
        if error.params.get("what") == "transfer":
            raise
        refused = domain_errors(error, session.lang)
        state = form_state(form_id, form.flat(), refused, form.form_key)
        return _inbox(request, session, app, {form_id: state}, status=refused.status)
    return redirect(request, "/transfers?saved=transfer-declined")


# Pages ------------------------------------------------------------------------------------


def _inbox(
    request: Request,
    session: WebSession,
    app: AppDep,
    states: dict[str, dict[str, Any]],
    *,
    status: int = 200,
    general: FormErrors | None = None,
) -> Response:
    principal = session.principal

    def listed(direction: str, pending: bool) -> list[Any]:
        status_filter = "pending" if pending else None
        _, views = app.list_transfers(
            principal, direction=direction, status=status_filter, limit=200
        )
        return [view for view in views if (view.status == "pending") == pending]

    answered = [*listed("incoming", False), *listed("outgoing", False)]
    answered.sort(key=lambda view: view.decided_on or view.requested_on, reverse=True)
    return render(
        request,
        "transfers/inbox.html",
        session,
        {
            "incoming": listed("incoming", True),
            "outgoing": listed("outgoing", True),
            "answered": answered[:50],
            "states": states,
            "fresh": lambda form_id: form_state(form_id),
            "general": general.general if general else None,
            "writable": can_record(principal),
        },
        status=general.status if general else status,
    )


def _transfer_page(
    request: Request,
    session: WebSession,
    app: AppDep,
    worker_id: UUID,
    state: dict[str, Any],
    status: int = 200,
    back: str = "",
) -> Response:
    worker = app.get_worker(session.principal, worker_id)
    return render(
        request,
        "transfers/request.html",
        session,
        {
            **transfer_context(app, session.principal, worker),
            "worker": worker,
            "transfer_fd": state,
            "back": back or f"/workers/{worker_id}",
        },
        status=status,
    )


def _refused_transfer(
    request: Request,
    session: WebSession,
    app: AppDep,
    worker_id: UUID,
    form: Form,
    errors: FormErrors,
) -> Response:
    state = form_state("transfer", form.flat(), errors, form.form_key)
    back = _back(form, worker_id)
    return _transfer_page(request, session, app, worker_id, state, errors.status, back)


def _back(form: Form, worker_id: UUID) -> str:
    """The page the form was sent from (a case or worker page), or the worker's page."""
    back = form.get("back")
    if back.startswith(_BACK_TO) and back.replace("/", "").replace("-", "").isalnum():
        return back
    return f"/workers/{worker_id}"


def _destinations(app: JejakApplication, principal: Principal) -> list[dict[str, str]]:
    return [
        {"value": code, "label": f"{app.village_name(code) or code} ({code})"}
        for code in app.transfer_destinations(principal)
    ]
