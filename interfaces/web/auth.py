"""Logging in and out, the language switch, and the home page that sends each role to its
own starting point."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from application.errors import AuthenticationFailed, LoginsBusy, TooManyAttempts
from domain.events import Role
from interfaces.http.deps import AppDep, RuntimeDep
from interfaces.http.errors import status_for
from interfaces.http.logins import password_checks
from interfaces.web import text
from interfaces.web.forms import FormDep, read_form
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import (
    CSRF_FIELD,
    LOGIN_NONCE_COOKIE,
    SessionDep,
    csrf_matches,
    csrf_token,
    current_session,
    end_session,
    language_of,
    login_nonce,
    masked,
    safe_next,
    set_language,
    start_session,
)

router = APIRouter(route_class=WebRoute, include_in_schema=False)

START_PAGES = {
    Role.OFFICER: "/agenda",
    Role.COORDINATOR: "/dashboard",
    Role.AUDITOR: "/audit",
}


@router.get("/")
def home(request: Request, runtime: RuntimeDep) -> Response:
    session = current_session(request, runtime)
    if session is None:
        return RedirectResponse("/login", status_code=303)
    start = START_PAGES.get(session.principal.role)
    if start is not None:
        return RedirectResponse(start, status_code=303)
    return render(request, "home.html", session)


@router.get("/login")
def login_form(
    request: Request,
    runtime: RuntimeDep,
    next: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    if current_session(request, runtime) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, runtime, next_path=safe_next(next))


@router.post("/login")
async def login(request: Request, runtime: RuntimeDep) -> Response:
    """Checks the password with the application's ``authenticate`` (throttled, failures
    access-logged) and starts a session; the form is bound to a nonce cookie (login CSRF)."""
    form = await read_form(request)
    lang = language_of(request)
    next_path = safe_next(form.get("next"))
    nonce = request.cookies.get(LOGIN_NONCE_COOKIE, "")
    if not nonce or not csrf_matches(runtime, "login:" + nonce, form.get(CSRF_FIELD)):
        return _login_page(
            request, runtime, next_path=next_path, error=text.t("login.expired", lang), status=403
        )
    username = form.get("username")[:64]
    client = request.client.host if request.client else "unknown"
    try:
        principal = await password_checks(request).authenticate(
            runtime.app, username, form.get("password"), client, "/login"
        )
    except (AuthenticationFailed, TooManyAttempts, LoginsBusy) as refused:
        message = text.message_text(refused.code, refused.message, refused.params, lang)
        page = _login_page(
            request,
            runtime,
            next_path=next_path,
            error=message,
            username=username,
            status=status_for(refused),
        )
        if isinstance(refused, LoginsBusy | TooManyAttempts):
            page.headers["Retry-After"] = str(refused.params.get("retry_after", 1))
        return page
    response = RedirectResponse(next_path if next_path != "/login" else "/", status_code=303)
    start_session(
        request, response, runtime, runtime.tokens.issue(principal.user_id, principal.session)
    )
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, form: FormDep, app: AppDep) -> Response:
    """Ends the session here and everywhere: the cookie goes, and the token in it (and in
    any copy of it) is refused from now on."""
    app.sign_out(session.principal)
    response = RedirectResponse("/login?bye=1", status_code=303)
    end_session(request, response)
    return response


@router.get("/language/{lang}")
def switch_language(
    lang: str, request: Request, next: Annotated[str | None, Query(max_length=500)] = None
) -> Response:
    """A preference, not an action on data: a plain link, so it works before login too."""
    response = redirect(request, safe_next(next))
    set_language(request, response, lang)
    return response


def _login_page(
    request: Request,
    runtime: RuntimeDep,
    *,
    next_path: str,
    error: str | None = None,
    username: str = "",
    status: int = 200,
) -> Response:
    holder = Response()
    nonce = login_nonce(request, holder)
    response = render(
        request,
        "login.html",
        None,
        {
            "login_csrf": masked(csrf_token(runtime, "login:" + nonce)),
            "next_path": next_path,
            "error": error,
            "username": username,
            "bye": request.query_params.get("bye") == "1",
        },
        status=status,
    )
    for key, value in holder.headers.items():
        if key == "set-cookie":
            response.headers.append("set-cookie", value)
    return response
