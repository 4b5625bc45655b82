"""Desmigratif villages: the list in a person's area, a village's pillar activities with the
form that records one, and the village's cooperative (or the form that establishes it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from application.cooperatives import EstablishCooperative
from application.errors import NotFound
from application.readmodels import Filter
from application.villages import RecordActivity
from domain.errors import DomainError
from interfaces.http.deps import AppDep
from interfaces.http.schemas.cooperatives import EstablishCooperativeBody
from interfaces.http.schemas.villages import ActivityBody
from interfaces.web import text
from interfaces.web.forms import (
    FormDep,
    FormErrors,
    compact,
    domain_errors,
    validate,
    whole,
    write_options,
)
from interfaces.web.pages import can_record, form_state
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession

router = APIRouter(route_class=WebRoute, include_in_schema=False)

VillageCode = Annotated[
    str, Path(min_length=13, max_length=13, pattern=r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
]


@router.get("/villages")
def list_villages(request: Request, session: SessionDep, app: AppDep) -> Response:
    villages = app.list_villages(session.principal, None)
    return render(request, "villages/list.html", session, {"villages": villages})


@router.get("/villages/{code}")
def show_village(code: VillageCode, request: Request, session: SessionDep, app: AppDep) -> Response:
    return _village_page(request, session, app, code, {})


@router.post("/villages/{code}/activities")
def record_activity(
    code: VillageCode, request: Request, session: SessionDep, app: AppDep, form: FormDep
) -> Response:
    """A pillar 1-3 activity held in the village (a counselling day, a training, the
    learning house for PMI children)."""
    data = compact(
        {
            "pillar": form.get("pillar"),
            "held_on": form.get("held_on"),
            "title": form.get("title"),
            "participants": whole(form.get("participants")),
        }
    )
    try:
        body = validate(ActivityBody, data, session.lang)
        command = RecordActivity(
            pillar=body.pillar,
            held_on=body.held_on,
            title=body.title,
            participants=body.participants,
        )
        options = write_options(request.app.state.runtime, form, with_version=True)
        app.record_activity(session.principal, code, command, options)
    except (FormErrors, DomainError) as error:
        if isinstance(error, NotFound):
            raise
        errors = error if isinstance(error, FormErrors) else domain_errors(error, session.lang)
        state = form_state("activity", form.flat(), errors, form.form_key)
        return _village_page(request, session, app, code, {"activity": state}, errors.status)
    return redirect(request, f"/villages/{code}?saved=activity")


@router.post("/villages/{code}/cooperatives")
def establish_cooperative(
    code: VillageCode, request: Request, session: SessionDep, app: AppDep, form: FormDep
) -> Response:
    data = compact(
        {
            "name": form.get("name"),
            "village_code": code,
            "legal_entity_number": form.get("legal_entity_number"),
            "established_on": form.get("established_on"),
        }
    )
    try:
        body = validate(EstablishCooperativeBody, data, session.lang)
        command = EstablishCooperative(
            name=body.name,
            village_code=body.village_code,
            legal_entity_number=body.legal_entity_number,
            established_on=body.established_on,
        )
        result = app.establish_cooperative(
            session.principal, command, write_options(request.app.state.runtime, form)
        )
    except (FormErrors, DomainError) as error:
        errors = error if isinstance(error, FormErrors) else domain_errors(error, session.lang)
        state = form_state("establish", form.flat(), errors, form.form_key)
        return _village_page(request, session, app, code, {"establish": state}, errors.status)
    return redirect(request, f"/cooperatives/{result.id}?saved=established")


def _village_page(
    request: Request,
    session: WebSession,
    app: AppDep,
    code: str,
    states: dict[str, dict[str, Any]],
    status: int = 200,
) -> Response:
    village = app.get_village(session.principal, code)
    cooperatives = app.report(
        session.principal,
        "cooperatives",
        "cooperatives",
        region=code,
        filters=[Filter("village_code", "=", code)],
        order=("village_code", "cooperative_id"),
        limit=20,
    ).rows
    activities = sorted(village.activities, key=lambda a: a.held_on, reverse=True)
    return render(
        request,
        "villages/show.html",
        session,
        {
            "village": village,
            "name": app.village_name(code) or code,
            "activities": activities[:100],
            "cooperatives": cooperatives,
            "can_record": can_record(session.principal),
            "pillars": [
                {"value": p, "label": text.t(f"pillar.{p}", session.lang)} for p in village.pillars
            ],
            "activity": states.get("activity") or form_state("activity"),
            "establish": states.get("establish") or form_state("establish"),
        },
        status=status,
    )
