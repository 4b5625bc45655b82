"""Reads for auditors. Every route here is for auditors only (403 for other roles)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from application.audit import event_data
from application.ports import (
    AuditedEvent,
    CheckpointVerification,
    LogProblem,
    Problem,
    Undecodable,
    Verification,
)
from domain.errors import InvalidValue
from domain.events import is_backdated
from interfaces.http.deps import AppDep, PrincipalDep
from interfaces.http.schemas.audit import (
    AccessEntryView,
    AccessLogVerificationView,
    AccessLogView,
    ActivityItem,
    ActivityView,
    ActorView,
    AuditEventView,
    AuditStreamView,
    CheckedReadModelView,
    CheckpointBody,
    CheckpointVerificationView,
    FeedView,
    LogProblemView,
    ProblemView,
    ReadModelChecksView,
    ReadModelCheckView,
    RowDifferenceView,
    VerificationView,
)
from interfaces.http.schemas.common import MAX_POSITION, IsoDateTime

router = APIRouter(prefix="/v1/audit", tags=["audit"])
NDJSON = "application/x-ndjson"


def _aware(value: datetime | None, name: str) -> datetime | None:
    """A time with its zone, and one that still exists in UTC (0001-01-01T00:00+14:00
    would be a day before the calendar starts)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise InvalidValue(field=name, reason="needs a time zone, like 2026-01-31T00:00:00+07:00")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidValue(field=name, reason="is out of range") from None


def event_view(
    app: Any, item: AuditedEvent, names: dict[UUID, str], *, hide_personal: bool
) -> AuditEventView:
    event = item.event
    if isinstance(event, Undecodable):
        return AuditEventView(
            position=item.position,
            aggregate_id=str(item.aggregate_id),
            version=item.version,
            type=item.topic.split(":", 1)[-1],
            occurred_on=None,
            recorded_at=None,
            backdated=False,
            actor=ActorView(user="", username="unknown", role=""),
            data={"undecodable": True, "error": event.error},
            hash=item.hash,
        )
    actor_id = getattr(event, "actor_id", None)
    occurred = getattr(event, "occurred_on", None)
    data = event_data(event, hide_personal=hide_personal)
    return AuditEventView(
        position=item.position,
        aggregate_id=str(item.aggregate_id),
        version=item.version,
        type=item.topic.split(":", 1)[-1],
        occurred_on=occurred,
        recorded_at=event.timestamp,
        backdated=is_backdated(occurred, event.timestamp),
        actor=ActorView(
            user=str(actor_id),
            username=app.username_of(actor_id, names) if actor_id else "unknown",
            role=str(getattr(event, "actor_role", "")),
        ),
        data=data,
        hash=item.hash,
        corrects_version=data.get("corrects_version")
        if isinstance(data.get("corrects_version"), int)
        else None,
    )


def export_line(app: Any, item: AuditedEvent, names: dict[UUID, str]) -> str:
    """One NDJSON line of an export (personal fields hidden): exactly
    ``json.dumps(event_view(...).model_dump(mode="json"), ensure_ascii=False) + "\\n"``,
    built without the model when every value is already plain JSON (the usual case; other
    events go through the model)."""
    event = item.event
    if isinstance(event, Undecodable):
        return (
            _dumps(event_view(app, item, names, hide_personal=True).model_dump(mode="json")) + "\n"
        )
    occurred = getattr(event, "occurred_on", None)
    recorded = event.timestamp
    data = event_data(event, hide_personal=True)
    if (
        (occurred is None or type(occurred) is date)
        and type(recorded) is datetime
        and recorded.tzinfo is UTC
        and _plain_json(data)
    ):
        actor_id = getattr(event, "actor_id", None)
        corrects = data.get("corrects_version")
        record = {
            "position": item.position,
            "aggregate_id": str(item.aggregate_id),
            "version": item.version,
            "type": item.topic.split(":", 1)[-1],
            "occurred_on": None if occurred is None else occurred.isoformat(),
            # pydantic writes UTC as "Z"
            "recorded_at": recorded.replace(tzinfo=None).isoformat() + "Z",
            "backdated": is_backdated(occurred, recorded),
            "actor": {
                "user": str(actor_id),
                "username": app.username_of(actor_id, names) if actor_id else "unknown",
                "role": str(getattr(event, "actor_role", "")),
            },
            "data": data,
            "hash": item.hash,
            "corrects_version": corrects if type(corrects) is int else None,
            "corrected_by": [],
        }
        if type(record["position"]) is int and type(record["version"]) is int:
            return _dumps(record) + "\n"
    view = event_view(app, item, names, hide_personal=True)
    return _dumps(view.model_dump(mode="json")) + "\n"


_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _plain_json(value: Any) -> bool:
    """Made only of what pydantic writes unchanged in JSON mode (finite floats only)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is dict:
        return all(type(k) is str and _plain_json(v) for k, v in value.items())
    if kind is list:
        return all(_plain_json(v) for v in value)
    if kind is float:
        return math.isfinite(value)
    return False


@router.get("/streams/{aggregate_id}", response_model=AuditStreamView)
def get_stream(aggregate_id: UUID, principal: PrincipalDep, app: AppDep) -> AuditStreamView:
    """Every event of one aggregate, in order, with who, when, what and its chain link.
    Corrections name the version they correct, and that version lists its corrections."""
    events = app.get_stream(principal, aggregate_id)
    names: dict[UUID, str] = {}
    views = [event_view(app, item, names, hide_personal=False) for item in events]
    by_version = {view.version: view for view in views}
    for view in views:
        if view.corrects_version is not None and view.corrects_version in by_version:
            by_version[view.corrects_version].corrected_by.append(view.version)
    aggregate_type = events[0].topic.split(":", 1)[-1].split(".", 1)[0]
    return AuditStreamView(id=str(aggregate_id), type=aggregate_type, events=views)


@router.get(
    "/events",
    response_model=FeedView,
    responses={200: {"content": {NDJSON: {"schema": {"type": "string"}}}}},
)
def get_events(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """The global, gap-free feed of every event after a position. Personal fields show as
    ``[personal]``: read one history for them. With ``Accept: application/x-ndjson`` the
    whole feed after ``after`` is streamed as an export, in constant memory."""
    if NDJSON in request.headers.get("accept", ""):
        events = app.export_feed(principal, after)
        names: dict[UUID, str] = {}

        def lines() -> Iterator[bytes]:
            for item in events:
                yield export_line(app, item, names).encode()

        return StreamingResponse(lines(), media_type=NDJSON)
    page = app.get_feed(principal, after, limit)
    names = {}
    views = [event_view(app, item, names, hide_personal=True) for item in page]
    return FeedView(events=views, next_after=views[-1].position if views else after)


def problem_view(problem: Problem) -> ProblemView:
    return ProblemView(
        aggregate_id=None if problem.aggregate_id is None else str(problem.aggregate_id),
        version=problem.version,
        kind=problem.kind,
        detail=problem.detail,
        position=problem.position,
    )


def log_problem_view(problem: LogProblem) -> LogProblemView:
    return LogProblemView(entry_id=problem.entry_id, kind=problem.kind, detail=problem.detail)


def verification_view(result: Verification) -> VerificationView:
    """What ``GET /v1/audit/verify`` and ``jejak audit verify`` answer."""
    log = result.access_log
    return VerificationView(
        intact=result.intact,
        checked=result.checked,
        events=result.events,
        failed=[str(item) for item in result.failed],
        problems=[problem_view(p) for p in result.problems],
        last_position=result.last_position,
        missing_positions=result.missing_positions,
        snapshots=result.snapshots,
        access_log=None
        if log is None
        else AccessLogVerificationView(
            intact=log.intact,
            entries=log.entries,
            last_id=log.last_id,
            problems=[log_problem_view(p) for p in log.problems],
            problem_count=log.problem_count,
        ),
    )


def checkpoint_verification_view(result: CheckpointVerification) -> CheckpointVerificationView:
    """What ``POST /v1/audit/verify/checkpoint`` and ``jejak audit verify --checkpoint``
    answer."""
    assert result.verification is not None
    return CheckpointVerificationView(
        intact=result.intact,
        valid_signature=result.valid_signature,
        position=result.position,
        events_expected=result.events_expected,
        events_found=result.events_found,
        missing_positions=result.missing_positions,
        heads_match=result.heads_match,
        problems=[problem_view(p) for p in result.problems],
        access_log_problems=[log_problem_view(p) for p in result.access_log_problems],
        verification=verification_view(result.verification),
    )


@router.get("/verify", response_model=VerificationView)
def verify(
    principal: PrincipalDep, app: AppDep, aggregate_id: UUID | None = None
) -> VerificationView:
    """Recomputes the hash chains, the feed's seals, the snapshots' seals and the access
    log's chain, and names every aggregate found wrong and how (changed, removed,
    reordered, inserted; moved, renumbered, forged in the feed; a snapshot that is not
    sound), with holes in the feed's positions and breaks in the access log."""
    return verification_view(app.verify_chains(principal, aggregate_id))


@router.post("/verify/checkpoint", response_model=CheckpointVerificationView)
def verify_checkpoint(
    body: CheckpointBody, principal: PrincipalDep, app: AppDep
) -> CheckpointVerificationView:
    """Checks the store against a signed checkpoint (from ``jejak audit checkpoint``): finds
    events and access-log entries recorded before it that have since been cut off (naming
    the aggregate of its newest event), and verifies the whole store as well."""
    result = app.verify_against_checkpoint(principal, body.model_dump(exclude_unset=True))
    return checkpoint_verification_view(result)


@router.get("/read-models", response_model=ReadModelChecksView)
def read_models(principal: PrincipalDep, app: AppDep) -> ReadModelChecksView:
    """Each read model with the outcome of its last check against the events (`jejak
    projections check`): a row changed behind the service's back, named by its key."""
    items = []
    for model in app.read_model_checks(principal):
        check = model.last_check
        items.append(
            CheckedReadModelView(
                name=model.name,
                generation=model.generation,
                position=model.position,
                rebuilt_since=model.rebuilt_since,
                last_check=None
                if check is None
                else ReadModelCheckView(
                    checked_at=check.checked_at,
                    generation=check.generation,
                    position=check.position,
                    rows=check.rows,
                    differences=check.differences,
                    intact=check.intact,
                    rows_differing=[
                        RowDifferenceView(
                            table=d.table,
                            key=dict(d.key),
                            kind=d.kind,
                            live=None if d.live is None else dict(d.live),
                            rebuilt=None if d.rebuilt is None else dict(d.rebuilt),
                        )
                        for d in check.rows_differing
                    ],
                ),
            )
        )
    return ReadModelChecksView(items=items)


@router.get("/users/{username}/activity", response_model=ActivityView)
def user_activity(
    username: str,
    principal: PrincipalDep,
    app: AppDep,
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_POSITION)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ActivityView:
    """Every event a user recorded, oldest first, filterable by recording time."""
    page = app.user_activity(
        principal,
        username,
        since=_aware(since, "since"),
        until=_aware(until, "until"),
        after=after,
        limit=limit,
    )
    items = [ActivityItem.model_validate(row) for row in page.rows]
    return ActivityView(
        position=page.position,
        items=items,
        next=int(page.next_after[0]) if page.next_after else None,
    )


@router.get("/access-log", response_model=AccessLogView)
def access_log(
    principal: PrincipalDep,
    app: AppDep,
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
    username: str | None = None,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AccessLogView:
    """Who read or exported whose personal data, when and from which route; failed logins."""
    entries = app.access_entries(
        principal,
        since=_aware(since, "since"),
        until=_aware(until, "until"),
        after=after,
        limit=limit,
        username=username,
    )
    items = [
        AccessEntryView(
            id=entry.id or 0,
            at=entry.at,
            user_id=entry.user_id,
            username=entry.username,
            role=entry.role,
            action=entry.action,
            subject_id=entry.subject_id,
            route=entry.route,
            client=entry.client,
        )
        for entry in entries
    ]
    return AccessLogView(items=items, next_after=items[-1].id if len(items) == limit else None)
