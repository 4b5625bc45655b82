"""Digests: where each user's goes (or that they want none), and what was sent to whom."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from application.digests import ChoosePreferences, Notification
from application.principal import Principal
from interfaces.http.deps import AppDep, PrincipalDep, WriteOptionsDep
from interfaces.http.respond import created
from interfaces.http.schemas.common import MAX_POSITION, IsoDate, WriteResponse
from interfaces.http.schemas.digests import (
    NotificationList,
    NotificationView,
    PreferencesBody,
    PreferencesView,
)

router = APIRouter(prefix="/v1", tags=["digests"])
Username = Annotated[str, Path(min_length=1, max_length=64)]


def _view(app: AppDep, principal: Principal, username: str | None) -> PreferencesView:
    chosen = app.get_digest_preferences(principal, username)
    return PreferencesView(
        email=chosen.email if chosen else None,
        phone=chosen.phone if chosen else None,
        opted_out=chosen.opted_out if chosen else False,
        version=chosen.version if chosen else 0,
        channels=sorted(app.digest_channels),
    )


def _choose(
    app: AppDep,
    principal: Principal,
    body: PreferencesBody,
    options: WriteOptionsDep,
    response: Response,
    username: str | None,
) -> WriteResponse:
    command = ChoosePreferences(email=body.email, phone=body.phone, opted_out=body.opted_out)
    result = app.set_digest_preferences(principal, command, options, username)
    return WriteResponse.model_validate(created(response, result))


@router.get("/me/notifications", response_model=PreferencesView)
def my_preferences(principal: PrincipalDep, app: AppDep) -> PreferencesView:
    """Your contact addresses for the daily digest of overdue items, and whether you opted
    out. Digests go to officers and coordinators: e-mail to the address, the webhook (an
    SMS or WhatsApp gateway) to the phone number."""
    return _view(app, principal, None)


@router.put("/me/notifications", status_code=201, response_model=WriteResponse)
def choose_my_preferences(
    body: PreferencesBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> WriteResponse:
    """Sets where your digest goes, or `opted_out: true` for none."""
    return _choose(app, principal, body, options, response, None)


@router.get("/users/{username}/notifications", response_model=PreferencesView)
def user_preferences(username: Username, principal: PrincipalDep, app: AppDep) -> PreferencesView:
    """Admins: a user's digest preferences (the read is access-logged)."""
    return _view(app, principal, username)


@router.put("/users/{username}/notifications", status_code=201, response_model=WriteResponse)
def choose_user_preferences(
    username: Username,
    body: PreferencesBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> WriteResponse:
    """Admins set a user's contact addresses (when creating their account, say)."""
    return _choose(app, principal, body, options, response, username)


@router.get("/audit/notifications", response_model=NotificationList)
def notifications(
    principal: PrincipalDep,
    app: AppDep,
    day: IsoDate | None = None,
    username: Annotated[str | None, Query(max_length=64)] = None,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> NotificationList:
    """Auditors and admins: every digest planned, with whom it went to (username, masked
    address), when, through which channel, what it counted and how it ended."""
    entries = app.list_notifications(
        principal, after=after, limit=limit, day=day, username=username
    )
    items = [_notification(entry) for entry in entries]
    return NotificationList(items=items, next_after=items[-1].id if len(items) == limit else None)


def _notification(entry: Notification) -> NotificationView:
    return NotificationView(
        id=entry.id,
        day=entry.day,
        user_id=entry.user_id,
        username=entry.username,
        role=entry.role,
        channel=entry.channel,
        to=entry.address_hint,
        overdue=entry.overdue,
        due=entry.due,
        state=entry.state,
        attempts=entry.attempts,
        created_at=entry.created_at,
        next_attempt_at=entry.next_attempt_at,
        sent_at=entry.sent_at,
        last_error=entry.last_error,
    )
