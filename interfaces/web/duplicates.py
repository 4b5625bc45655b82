"""Possible duplicates on the web: coordinators review pairs of workers of their regions
that may be one person, and declare the ones that are two people (recorded as an event, so
the pair is not raised again). Names are read through the application (access-logged)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from application.errors import NotFound
from domain.errors import DomainError
from domain.events import Role
from interfaces.http.deps import AppDep
from interfaces.http.reporting import decode_cursor, encode_cursor
from interfaces.web import text
from interfaces.web.forms import FormDep, write_options
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Cursor = Annotated[str | None, Query(max_length=500)]


@router.get("/duplicates")
def list_duplicates(
    request: Request, session: SessionDep, app: AppDep, after: Cursor = None
) -> Response:
    return _page(request, session, app, after)


@router.post("/duplicates/not-same-person")
def not_same_person(request: Request, session: SessionDep, app: AppDep, form: FormDep) -> Response:
    try:
        first, second = UUID(form.get("worker_id")), UUID(form.get("other_worker_id"))
    except ValueError:
        raise NotFound(what="worker") from None
    reason = form.get("reason") or text.t("duplicates.default_reason", session.lang)
    runtime = request.app.state.runtime
    try:
        app.declare_distinct(session.principal, first, second, reason, write_options(runtime, form))
    except DomainError as refused:
        if refused.code not in ("already_declared_distinct", "invalid_value"):
            raise
        message = text.message_text(refused.code, refused.message, refused.params, session.lang)
        return _page(request, session, app, None, message, 409)
    return redirect(request, "/duplicates?saved=not_same_person")


def _page(
    request: Request,
    session: WebSession,
    app: AppDep,
    after: str | None,
    message: str | None = None,
    status: int = 200,
) -> Response:
    cursor = decode_cursor(after)
    start = None if cursor is None or len(cursor) != 2 else (str(cursor[0]), str(cursor[1]))
    page = app.list_possible_duplicates(session.principal, region=None, after=start, limit=25)
    pairs = []
    for pair in page.items:
        try:
            workers = [
                app.get_worker(session.principal, w) for w in (pair.worker_id, pair.other_worker_id)
            ]
        except NotFound:
            continue
        pairs.append({"workers": workers, "reasons": [r.value for r in pair.reasons]})
    return render(
        request,
        "duplicates/list.html",
        session,
        {
            "pairs": pairs,
            "next_cursor": encode_cursor(page.next_after),
            "can_declare": session.principal.role is Role.COORDINATOR,
            "message": message,
        },
        status=status,
    )
