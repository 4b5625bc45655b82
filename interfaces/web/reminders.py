"""Where a person's daily digest goes (an e-mail address, a phone number for an SMS or
WhatsApp gateway), or that they want none: the same use case as ``PUT /v1/me/notifications``."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from application.digests import ChoosePreferences
from domain.errors import DomainError
from interfaces.http.deps import AppDep
from interfaces.http.schemas.digests import PreferencesBody
from interfaces.web.forms import FormDep, FormErrors, domain_errors, validate, write_options
from interfaces.web.pages import form_state
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/agenda/reminders")
def reminders_form(request: Request, session: SessionDep, app: AppDep) -> Response:
    chosen = app.get_digest_preferences(session.principal)
    values = {}
    if chosen is not None:
        values = {
            "email": chosen.email or "",
            "phone": chosen.phone or "",
            "opted_out": "yes" if chosen.opted_out else "",
        }
    return _page(request, session, app, form_state("reminders", values))


@router.post("/agenda/reminders")
def choose_reminders(request: Request, session: SessionDep, app: AppDep, form: FormDep) -> Response:
    data = {
        "email": form.get("email") or None,
        "phone": form.get("phone") or None,
        "opted_out": form.get("opted_out") == "yes",
    }
    try:
        body = validate(PreferencesBody, data, session.lang)
        command = ChoosePreferences(email=body.email, phone=body.phone, opted_out=body.opted_out)
        app.set_digest_preferences(
            session.principal, command, write_options(request.app.state.runtime, form)
        )
    except FormErrors as invalid:
        return _page(
            request,
            session,
            app,
            form_state("reminders", form.flat(), invalid, form.form_key),
            invalid.status,
        )
    except DomainError as error:
        refused = domain_errors(error, session.lang)
        return _page(
            request,
            session,
            app,
            form_state("reminders", form.flat(), refused, form.form_key),
            refused.status,
        )
    return redirect(request, "/agenda/reminders?saved=reminders")


def _page(
    request: Request, session: WebSession, app: AppDep, state: dict[str, object], status: int = 200
) -> Response:
    return render(
        request,
        "agenda/reminders.html",
        session,
        {"fd": state, "channels": sorted(app.digest_channels)},
        status=status,
    )
