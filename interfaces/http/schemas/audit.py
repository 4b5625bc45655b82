"""Audit bodies: histories, the feed, verification, activity, access log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ActorView(BaseModel):
    user: str
    username: str
    role: str


class AuditEventView(BaseModel):
    position: int
    aggregate_id: str
    version: int
    type: str = Field(description="Aggregate and event, e.g. Worker.Registered")
    occurred_on: date | None = Field(description="When it happened in the world")
    recorded_at: datetime | None = Field(
        description="When Jejak recorded it (UTC); null only for an event whose stored bytes "
        "no longer decode (``data.undecodable``), which verification names as changed"
    )
    backdated: bool = Field(description="Recorded on a later day than it happened")
    actor: ActorView
    data: dict[str, Any]
    hash: str = Field(description="This event's link in its aggregate's hash chain (hex)")
    corrects_version: int | None = None
    corrected_by: list[int] = Field(default_factory=list)


class AuditStreamView(BaseModel):
    id: str
    type: str
    events: list[AuditEventView]


class FeedView(BaseModel):
    events: list[AuditEventView]
    next_after: int


class ProblemView(BaseModel):
    aggregate_id: str | None = Field(
        description="The history it concerns; null only for a renumbered run of the feed"
    )
    version: int | None
    kind: str = Field(
        description="changed, removed, reordered, inserted (a history's chain); moved, "
        "renumbered, forged, unsealed (the feed); snapshot (a snapshot that is not sound: "
        "loads ignore it and replay the events)"
    )
    detail: str
    position: int | None = Field(default=None, description="Where in the feed it was found")


class LogProblemView(BaseModel):
    entry_id: int
    kind: str = Field(description="changed, removed, unsealed, truncated")
    detail: str


class AccessLogVerificationView(BaseModel):
    intact: bool
    entries: int
    last_id: int
    problems: list[LogProblemView] = Field(description="The first 100 problems found")
    problem_count: int


class VerificationView(BaseModel):
    intact: bool
    checked: int = Field(description="Aggregates whose chains were recomputed")
    events: int
    failed: list[str] = Field(description="Every aggregate a problem names")
    problems: list[ProblemView]
    last_position: int
    missing_positions: list[int]
    snapshots: int = Field(default=0, description="Snapshots whose seal was checked")
    access_log: AccessLogVerificationView | None = Field(
        default=None, description="The access log's chain (null when one history was verified)"
    )


class CheckpointAccessLog(BaseModel):
    model_config = ConfigDict(strict=True)

    last_id: int = Field(ge=0)
    link: str = Field(max_length=128)


class CheckpointEvent(BaseModel):
    model_config = ConfigDict(strict=True)

    aggregate_id: str = Field(max_length=64)
    version: int = Field(ge=1)
    feed_seal: str = Field(max_length=128)


class CheckpointBody(BaseModel):
    """A checkpoint as `jejak audit checkpoint` wrote it, taken exactly (``false`` is not a
    position). Version 1 checkpoints have no ``last_event`` and ``access_log``."""

    model_config = ConfigDict(strict=True)

    jejak_checkpoint: int
    position: int = Field(ge=0)
    events: int = Field(ge=0)
    aggregates: int = Field(ge=0)
    heads_digest: str = Field(max_length=128)
    last_event: CheckpointEvent | None = None
    access_log: CheckpointAccessLog | None = None
    created_at: str = Field(max_length=64)
    public_key: str = Field(max_length=128)
    signature: str = Field(max_length=256)


class CheckpointVerificationView(BaseModel):
    intact: bool = Field(
        description="The signature is ours, nothing recorded before the checkpoint is gone, "
        "and the whole store verifies"
    )
    valid_signature: bool
    position: int
    events_expected: int
    events_found: int
    missing_positions: list[int]
    heads_match: bool
    problems: list[ProblemView] = Field(
        description="What the checkpoint finds: its newest event cut off or replaced (named)"
    )
    access_log_problems: list[LogProblemView]
    verification: VerificationView = Field(description="The whole store, verified as well")


class RowDifferenceView(BaseModel):
    table: str
    key: dict[str, Any] = Field(description="The row's key columns and values")
    kind: str = Field(
        description="changed (columns differ), extra (the events give no such row), "
        "missing (the events give a row the live model lacks)"
    )
    live: dict[str, Any] | None = Field(description="The live values that differ")
    rebuilt: dict[str, Any] | None = Field(description="What the events give instead")


class ReadModelCheckView(BaseModel):
    checked_at: datetime
    generation: int = Field(description="The live generation that was checked")
    position: int = Field(description="The feed position both stood at when compared")
    rows: int = Field(description="Rows the events give")
    differences: int = Field(description="Rows that differ, are extra or are missing")
    intact: bool
    rows_differing: list[RowDifferenceView] = Field(description="The first 100 of them")


class CheckedReadModelView(BaseModel):
    name: str
    generation: int
    position: int
    last_check: ReadModelCheckView | None = Field(
        description="Null until `jejak projections check` has checked this read model"
    )
    rebuilt_since: bool = Field(
        description="The read model was rebuilt after its last check: check it again"
    )


class ReadModelChecksView(BaseModel):
    items: list[CheckedReadModelView]


class ActivityItem(BaseModel):
    position: int
    aggregate_id: str
    version: int
    type: str
    actor_role: str | None
    occurred_on: date | None
    recorded_at: datetime


class ActivityView(BaseModel):
    position: int = Field(description="The read model is current up to this event position")
    items: list[ActivityItem]
    next: int | None = Field(description="Pass as ?after= for the next page")


class AccessEntryView(BaseModel):
    id: int
    at: datetime
    user_id: str
    username: str
    role: str
    action: str
    subject_id: str | None
    route: str
    client: str


class AccessLogView(BaseModel):
    items: list[AccessEntryView]
    next_after: int | None
