"""Auditors' pages: a history as a timeline (who, when, what; backdated entries marked;
corrections shown beside what they correct), the newest events of the feed, and the hash
chain verification. The state of a journey at a past date is the case page with ``?as_of=``.

Reads go through the same use cases as ``/v1/audit`` (``get_stream``, ``get_feed``,
``verify_chains``): auditors only, and every history holding personal data is access-logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from application.errors import NotFound
from application.ports import AuditedEvent
from application.principal import Principal
from interfaces.http.deps import AppDep
from interfaces.http.routes.audit import event_view
from interfaces.http.schemas.audit import AuditEventView
from interfaces.web.audit_view import Words, member_names, raw_json
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
    words = Words(session.lang, _region_namer(app), {})
    return render(
        request,
        "audit/index.html",
        session,
        {"events": events, "head": head, "words": words, "raw_json": raw_json, "types": {}},
    )


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
    words = Words(session.lang, _region_namer(app), member_names(views))
    return render(
        request,
        "audit/timeline.html",
        session,
        {
            "aggregate_id": aggregate_id,
            "aggregate_type": aggregate_type,
            "subject": _subject(app, session.principal, aggregate_type, aggregate_id, views, words),
            "words": words,
            "raw_json": raw_json,
            "types": {view.version: view.type for view in views},
            "events": views,
            "beside": beside,
            "verification": verification,
            "masked_versions": masked_versions,
        },
    )


def _region_namer(app: AppDep) -> Callable[[str | None], str]:
    regions = app.services.regions

    def region_name(code: str | None) -> str:
        return (regions.name_of(str(code)) or str(code)) if code else ""

    return region_name


def _subject(
    app: AppDep,
    principal: Principal,
    aggregate_type: str,
    aggregate_id: UUID,
    views: list[AuditEventView],
    words: Words,
) -> str:
    """Whose or what history this is, by name. A worker's name is read like on the worker's
    page (``get_worker``: access-logged), and reads as erasure left it."""
    first = views[0].data
    try:
        if aggregate_type == "Journey" and first.get("worker_id"):
            return app.get_worker(principal, UUID(str(first["worker_id"]))).full_name
        if aggregate_type == "Worker":
            return app.get_worker(principal, aggregate_id).full_name
    except NotFound:
        return ""
    if aggregate_type == "Village":
        return words.region_name(first.get("village_code"))
    return str(first.get("name") or first.get("username") or "")


@router.get("/audit/verify")
def verify(request: Request, session: SessionDep, app: AppDep) -> Response:
    """Recomputes every hash chain: names each aggregate whose history fails and how."""
    result = app.verify_chains(session.principal)
    return render(request, "audit/verify.html", session, {"result": result})
