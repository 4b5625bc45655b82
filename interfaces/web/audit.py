"""Auditors' pages: a history as a timeline (who, when, what; backdated entries marked;
corrections shown beside what they correct), the newest events of the feed, and the hash
chain verification. The state of a journey at a past date is the case page with ``?as_of=``.

Reads go through the same use cases as ``/v1/audit`` (``get_stream``, ``get_feed``,
``verify_chains``): auditors only, and every history holding personal data is access-logged."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from application.errors import NotFound
from application.ports import AuditedEvent
from interfaces.http.deps import AppDep
from interfaces.http.routes.audit import event_view
from interfaces.web.forms import FormDep
from interfaces.web.identity import masked_event
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession

router = APIRouter(route_class=WebRoute, include_in_schema=False)

RECENT = 25


@router.get("/audit")
def audit_home(
    request: Request,
    session: SessionDep,
    app: AppDep,
    id: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Open a history by id, verify the chains, or look at the newest events."""
    if id:
        try:
            return redirect(request, f"/audit/streams/{UUID(id.strip())}")
        except ValueError:
            raise NotFound(what="aggregate") from None
    head = max((status.head for status in app.require_read_models().status()), default=0)
    items = app.get_feed(session.principal, max(0, head - RECENT), RECENT)
    names: dict[UUID, str] = {}
    events = [event_view(app, item, names, hide_personal=True) for item in reversed(items)]
    return render(request, "audit/index.html", session, {"events": events, "head": head})


@router.get("/audit/streams/{aggregate_id}")
def timeline(aggregate_id: UUID, request: Request, session: SessionDep, app: AppDep) -> Response:
    events = app.get_stream(session.principal, aggregate_id)
    return _timeline(request, session, app, aggregate_id, events)


@router.post("/audit/streams/{aggregate_id}/identity-numbers")
def show_identity_numbers(
    aggregate_id: UUID, request: Request, session: SessionDep, app: AppDep, form: FormDep
) -> Response:
    """The identity numbers one event recorded, in full (access-logged); the timeline shows
    them masked, like every page (the API's stream gives them whole)."""
    version = int(form.get("version")) if form.get("version").isdigit() else 0
    events = app.reveal_in_history(session.principal, aggregate_id, version)
    return _timeline(request, session, app, aggregate_id, events, revealed=version)


def _timeline(
    request: Request,
    session: WebSession,
    app: AppDep,
    aggregate_id: UUID,
    events: list[AuditedEvent],
    revealed: int | None = None,
) -> Response:
    names: dict[UUID, str] = {}
    views = [event_view(app, item, names, hide_personal=False) for item in events]
    kinds = {v.version: v.data.get("kind") for v in views if v.type == "Journey.DocumentRecorded"}
    masked_versions = set()
    for index, view in enumerate(views):
        shown = None if view.version == revealed else masked_event(view, kinds)
        if shown is not None:
            views[index] = shown
            masked_versions.add(view.version)
    by_version = {view.version: view for view in views}
    beside: dict[int, list[Any]] = {}
    for view in views:
        if view.corrects_version is not None and view.corrects_version in by_version:
            by_version[view.corrects_version].corrected_by.append(view.version)
            beside.setdefault(view.corrects_version, []).append(view)
    aggregate_type = events[0].topic.split(":", 1)[-1].split(".", 1)[0]
    verification = app.verify_chains(session.principal, aggregate_id)
    return render(
        request,
        "audit/timeline.html",
        session,
        {
            "aggregate_id": aggregate_id,
            "aggregate_type": aggregate_type,
            "events": views,
            "beside": beside,
            "verification": verification,
            "masked_versions": masked_versions,
        },
    )


@router.get("/audit/verify")
def verify(request: Request, session: SessionDep, app: AppDep) -> Response:
    """Recomputes every hash chain: names each aggregate whose history fails and how."""
    result = app.verify_chains(session.principal)
    return render(request, "audit/verify.html", session, {"result": result})
