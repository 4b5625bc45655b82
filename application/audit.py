"""Auditors: every history in order, the whole feed, tamper evidence, who did what and who
read whose personal data. Auditors read everything and write nothing; nobody else reads
here."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from application.base import JejakBase
from application.errors import NotFound
from application.ports import AccessEntry, AuditedEvent, CheckpointVerification, Verification
from application.principal import Principal
from application.readmodels import Filter, Page, Query, ReadModelCheck
from domain.errors import InvalidValue
from domain.events import SYSTEM_ACTOR_ID, Role
from domain.user import User, user_id_for

#: Events per read of an export: fewer round trips, still bounded memory.
EXPORT_PAGE = 5000
AUDIT_ROLES = frozenset({Role.AUDITOR, Role.SYSTEM})
HIDDEN = "[personal]"
SECRET = "[secret]"  # noqa: S105 - a placeholder, not a password
_META = {
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "actor_id",
    "actor_role",
    "occurred_on",
}


@dataclass(frozen=True)
class CheckedReadModel:
    """A read model now, with the outcome of its last check against the events."""

    name: str
    generation: int
    position: int
    last_check: ReadModelCheck | None

    @property
    def rebuilt_since(self) -> bool:
        """The live model was rebuilt after its last check: that check is of the tables
        it replaced."""
        return self.last_check is not None and self.last_check.generation != self.generation


class AuditUseCases(JejakBase):
    def get_stream(self, principal: Principal, aggregate_id: UUID) -> list[AuditedEvent]:
        """Every event of one aggregate in order, personal data included (logged)."""
        principal.require_role(AUDIT_ROLES, "read audit histories")
        events = self.audit_store.stream(aggregate_id)
        if not events:
            raise NotFound(what="aggregate")
        if any(getattr(type(e.event), "PERSONAL_FIELDS", None) for e in events):
            self.log_access(principal, "read_personal_data", str(aggregate_id))
        return events

    def get_feed(self, principal: Principal, after: int, limit: int) -> list[AuditedEvent]:
        principal.require_role(AUDIT_ROLES, "read the event feed")
        return self.audit_store.feed(after, limit)

    def export_feed(self, principal: Principal, after: int) -> Iterator[AuditedEvent]:
        """The whole feed after a position, page by page (constant memory); logged."""
        principal.require_role(AUDIT_ROLES, "export the event feed")
        self.log_access(principal, "export", None)

        def pages() -> Iterator[AuditedEvent]:
            position = after
            while True:
                page = self.audit_store.feed(position, EXPORT_PAGE)
                yield from page
                if len(page) < EXPORT_PAGE:
                    return
                position = page[-1].position

        return pages()

    def verify_chains(self, principal: Principal, aggregate_id: UUID | None = None) -> Verification:
        principal.require_role(AUDIT_ROLES, "verify the hash chains")
        result = self.audit_store.verify(aggregate_id)
        if aggregate_id is not None and result.checked == 0:
            # No history at all: never recorded, or removed whole. Not "intact".
            raise NotFound(what="aggregate")
        return result

    def verify_against_checkpoint(
        self, principal: Principal, statement: Mapping[str, Any]
    ) -> CheckpointVerification:
        principal.require_role(AUDIT_ROLES, "verify checkpoints")
        return self.audit_store.verify_checkpoint(statement)

    def make_checkpoint(self, principal: Principal) -> dict[str, Any]:
        principal.require_role(AUDIT_ROLES, "write checkpoints")
        return self.audit_store.checkpoint()

    def read_model_checks(self, principal: Principal) -> list[CheckedReadModel]:
        """Each read model and its last check (`jejak projections check`): a row changed
        behind the service's back changes reports, and only a check names it."""
        principal.require_role(AUDIT_ROLES, "read read-model checks")
        read_models = self.require_read_models()
        checks = {check.name: check for check in read_models.checks()}
        return [
            CheckedReadModel(
                name=status.name,
                generation=status.generation,
                position=status.position,
                last_check=checks.get(status.name),
            )
            for status in read_models.status()
        ]

    def user_activity(
        self,
        principal: Principal,
        username: str,
        *,
        since: datetime | None,
        until: datetime | None,
        after: int | None,
        limit: int,
    ) -> Page:
        principal.require_role(AUDIT_ROLES, "read user activity")
        try:
            user_id = user_id_for(username)
        except InvalidValue:
            raise NotFound(what="user") from None
        self._load(user_id, User, "user")
        filters = [Filter("actor_id", "=", str(user_id))]
        if since is not None:
            filters.append(Filter("recorded_at", ">=", since.isoformat()))
        if until is not None:
            filters.append(Filter("recorded_at", "<=", until.isoformat()))
        return self.require_read_models().query(
            "activity",
            Query(
                table="events",
                filters=filters,
                # The cursor names a whole key (actor, position): a bare position did not
                # match the order and every ?after= answered 500.
                order=("position", "actor_id"),
                after=None if after is None else (after, str(user_id)),
                limit=limit,
            ),
        )

    def access_entries(
        self,
        principal: Principal,
        *,
        since: datetime | None,
        until: datetime | None,
        after: int,
        limit: int,
        username: str | None = None,
    ) -> list[AccessEntry]:
        principal.require_role(AUDIT_ROLES, "read the access log")
        user_id = str(user_id_for(username)) if username else None
        return self.access_log.entries(
            since=since, until=until, after=after, limit=limit, user_id=user_id
        )

    def username_of(self, user_id: UUID, cache: dict[UUID, str]) -> str:
        if user_id == SYSTEM_ACTOR_ID:
            return "system"
        if user_id not in cache:
            try:
                cache[user_id] = self._load(user_id, User, "user").username
            except NotFound:
                cache[user_id] = "unknown"
        return cache[user_id]


def event_data(event: Any, *, hide_personal: bool = False) -> dict[str, Any]:
    """What an event says, as JSON-ready data (without the metadata shown beside it)."""
    personal: Sequence[str] = tuple(getattr(type(event), "PERSONAL_FIELDS", {}) or ())
    secret: frozenset[str] = getattr(type(event), "SECRET_FIELDS", frozenset())
    data = {}
    for name, value in vars(event).items():
        if name in _META:
            continue
        if name in secret:
            data[name] = SECRET
            continue
        data[name] = HIDDEN if hide_personal and name in personal else plain(value)
    return data


def plain(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value
