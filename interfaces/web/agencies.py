"""The service directory on the web (SPEC §8): every agency cases can be referred to, by
region and kind, for everyone signed in; coordinators (for their regions) and admins add
an agency on the list page and change one on its own page. Officers and auditors read
it only: they see no form, and a form sent anyway is refused (403).

Both forms are the API's use cases with the form's Idempotency-Key; a refusal comes back
on the form with what was typed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from application.agencies import DIRECTORY_KEEPERS, RegisterAgency, keeps_entry
from application.errors import Forbidden, NotFound
from application.principal import Principal
from domain.errors import DomainError, InvalidValue
from domain.vocabularies import AgencyKind
from interfaces.http.deps import AppDep
from interfaces.http.schemas.transfers import AgencyBody
from interfaces.web import forms, text
from interfaces.web.forms import Form, FormDep, FormErrors
from interfaces.web.pages import form_state, vocabulary
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession

router = APIRouter(route_class=WebRoute, include_in_schema=False)

#: The most agencies one page lists (a province has a few dozen).
LISTED = 500


@router.get("/agencies")
def list_agencies(request: Request, session: SessionDep, app: AppDep) -> Response:
    return _list_page(request, session, app, form_state("agency"))


@router.post("/agencies")
def add_agency(request: Request, session: SessionDep, app: AppDep, form: FormDep) -> Response:
    principal = session.principal
    principal.require_role(DIRECTORY_KEEPERS, "register agencies")
    try:
        command = _command(form, session.lang)
        options = forms.write_options(request.app.state.runtime, form)
        result = app.register_agency(principal, command, options)
    except (FormErrors, DomainError) as error:
        errors = _refusal(error, session.lang)
        state = form_state("agency", form.flat(), errors, form.form_key)
        return _list_page(request, session, app, state, errors.status)
    return redirect(request, f"/agencies/{result.id}?saved=agency")


@router.get("/agencies/{agency_id}")
def show_agency(agency_id: UUID, request: Request, session: SessionDep, app: AppDep) -> Response:
    return _agency_page(request, session, app, agency_id, None)


@router.post("/agencies/{agency_id}")
def amend_agency(
    agency_id: UUID, request: Request, session: SessionDep, app: AppDep, form: FormDep
) -> Response:
    principal = session.principal
    principal.require_role(DIRECTORY_KEEPERS, "amend agencies")
    try:
        command = _command(form, session.lang)
        options = forms.write_options(request.app.state.runtime, form, with_version=True)
        app.amend_agency(principal, agency_id, command, options)
    except (FormErrors, DomainError) as error:
        errors = _refusal(error, session.lang)
        state = form_state("agency", form.flat(), errors, form.form_key)
        return _agency_page(request, session, app, agency_id, state, errors.status)
    return redirect(request, f"/agencies/{agency_id}?saved=agency-amended")


# Pages ------------------------------------------------------------------------------------


def _list_page(
    request: Request,
    session: WebSession,
    app: AppDep,
    state: dict[str, Any],
    status: int = 200,
) -> Response:
    """The directory, filtered by the region and kind asked (a bad one is shown as such
    and filters nothing)."""
    lang = session.lang
    asked = {name: request.query_params.get(name, "").strip() for name in ("region", "kind")}
    if asked["kind"] not in {kind.value for kind in AgencyKind}:
        asked["kind"] = ""  # the choices offer every kind: anything else is no filter
    filters = form_state("filter", asked)
    kind = AgencyKind(asked["kind"]) if asked["kind"] else None
    try:
        page = app.list_agencies(
            session.principal, region=asked["region"] or None, kind=kind, limit=LISTED
        )
        rows = page.rows
    except InvalidValue:
        rows = []
        filters["values"]["region"] = ""  # never repeated: it may be a NIK typed there
        filters["errors"] = {"region": text.t("agencies.bad_region", lang)}
    return render(
        request,
        "agencies/list.html",
        session,
        {
            "agencies": rows,
            "filters": filters,
            "kinds": vocabulary("agency_kind", lang),
            "keeps": _keeps(session.principal),
            "fd": state,
        },
        status=status,
    )


def _agency_page(
    request: Request,
    session: WebSession,
    app: AppDep,
    agency_id: UUID,
    state: dict[str, Any] | None,
    status: int = 200,
) -> Response:
    agency = app.get_agency(session.principal, agency_id)
    entry = {
        "name": agency.name,
        "kind": agency.kind,
        "region_code": agency.region_code,
        "contact": agency.contact or "",
    }
    return render(
        request,
        "agencies/show.html",
        session,
        {
            "agency": agency,
            "keeps": keeps_entry(session.principal, agency.region_code),
            "kinds": vocabulary("agency_kind", session.lang),
            "fd": state or form_state("agency", entry),
        },
        status=status,
    )


def _command(form: Form, lang: str) -> RegisterAgency:
    data = forms.compact({name: form.get(name).strip() for name in AgencyBody.model_fields})
    body = forms.validate(AgencyBody, data, lang)
    return RegisterAgency(
        name=body.name, kind=body.kind, region_code=body.region_code, contact=body.contact
    )


def _refusal(error: FormErrors | DomainError, lang: str) -> FormErrors:
    """A form's own errors, or the application's refusal on the form; an agency that is
    not there (or a role that may not) is the page's answer, not the form's."""
    if isinstance(error, FormErrors):
        return error
    if type(error) is Forbidden or isinstance(error, NotFound):
        raise error
    return forms.domain_errors(error, lang)


def _keeps(principal: Principal) -> bool:
    return principal.role in DIRECTORY_KEEPERS
