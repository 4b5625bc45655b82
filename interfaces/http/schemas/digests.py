"""Digest preferences and the notifications audit."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from interfaces.http.schemas.common import Body, example


class PreferencesBody(Body):
    """Where the daily digest goes; ``null`` (or leaving a field out) clears an address."""

    model_config = ConfigDict(
        json_schema_extra=example(email="petugas.ternyang@example.org", phone=None, opted_out=False)
    )

    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    opted_out: StrictBool = False


class PreferencesView(BaseModel):
    email: str | None
    phone: str | None
    opted_out: bool
    version: int = Field(description="0 before any choice was recorded (use it in If-Match)")
    channels: list[str] = Field(description="The channels this service sends digests through")


class NotificationView(BaseModel):
    id: int
    day: date
    user_id: str
    username: str
    role: str
    channel: str
    to: str = Field(description="The address, masked")
    overdue: int
    due: int
    state: str = Field(
        description="pending, claimed, sending, sent, failed, in_doubt (handed over with no "
        "answer: never sent again) or cancelled"
    )
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None


class NotificationList(BaseModel):
    items: list[NotificationView]
    next_after: int | None
