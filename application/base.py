"""The eventsourcing Application every use case runs on, and the write engine they share."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import (
    BaseAggregate,
    DomainEventProtocol,
    EventSourcingError,
    MutableOrImmutableAggregate,
    Snapshot,
)
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    MapperDeserialisationError,
    Recording,
    Transcoding,
)
from eventsourcing.utils import Environment, EnvType

from application.errors import IdempotencyKeyReused, NotFound, VersionMismatch
from application.ports import (
    ERASED_FINGERPRINT,
    AccessEntry,
    AccessLog,
    AuditStore,
    ClaimTaken,
    EventLedger,
    IdempotencyKeyTaken,
    IdempotencyRecord,
    PersonalDataStore,
    ProvidesLedger,
    ReadChanged,
    SaveExtras,
    Services,
)
from application.principal import Principal
from application.readmodels import ReadModels
from application.writes import Change, WriteOptions, WriteResult, retry_on_conflict
from domain.dates import fact_date
from domain.errors import DomainError
from domain.events import STATE_CLASSES

A = TypeVar("A", bound=BaseAggregate[UUID])
logger = logging.getLogger("jejak.application")

#: Locks shared by the aggregates of this process (an aggregate's id picks one).
WRITE_TURN_STRIPES = 64


class StateObjectAsDict(Transcoding):
    """Stores a registered state dataclass in snapshots as its fields, by its stable name."""

    def __init__(self, name: str, cls: type[Any]) -> None:
        self.name = name
        self.type = cls

    def encode(self, obj: Any) -> dict[str, Any]:
        return dict(vars(obj))

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class JejakBase(Application[UUID]):
    """One Application for every aggregate, so the whole programme shares one gap-free,
    ordered event feed. Its ``name`` prefixes tables and settings: never rename it."""

    name = "jejak"
    is_snapshotting_enabled = True
    snapshot_class = Snapshot
    #: The largest page ``notification_log.select()`` serves (the library's default is 10,
    #: which made every scan of the feed in pages of 500 fail with ValueError).
    log_section_size = 1000

    def __init__(self, env: Mapping[str, str], services: Services) -> None:
        self.services = services
        super().__init__(env=dict(env))
        if not isinstance(self.factory, ProvidesLedger):
            msg = "Jejak needs its own persistence modules (see infrastructure.persistence)"
            raise TypeError(msg)
        self.ledger: EventLedger = self.factory.ledger()
        self.audit_store: AuditStore = self.factory.audit_store(self.mapper)
        self.access_log: AccessLog = self.factory.access_log()
        self.personal_data: PersonalDataStore = self.factory.personal_data()
        self._replaying: Repository[UUID] = Repository(event_store=self.events)
        self.read_models: ReadModels | None = None
        self._listeners: list[Callable[[int], None]] = []
        #: Writers of one aggregate that lost a race take turns (see ``_execute``).
        self._write_turns = tuple(threading.Lock() for _ in range(WRITE_TURN_STRIPES))

    def on_recorded(self, listener: Callable[[int], None]) -> None:
        """Calls ``listener(position)`` after each save in this process (wakes projections)."""
        self._listeners.append(listener)

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        """The library's save, then each listener told the last position it recorded."""
        recordings = super().save(*objs, **kwargs)
        if recordings and self._listeners:
            position = recordings[-1].notification.id
            for listener in self._listeners:
                listener(position)
        return recordings

    def log_access(self, principal: Principal, action: str, subject_id: str | None) -> None:
        """Who read or exported whose personal data, when, from where (UU 27/2022)."""
        self.access_log.record(
            AccessEntry(
                at=self.services.clock.now(),
                user_id=str(principal.user_id),
                username=principal.username,
                role=principal.role.value,
                action=action,
                subject_id=subject_id,
                route=principal.route,
                client=principal.client,
            )
        )

    def require_read_models(self) -> ReadModels:
        if self.read_models is None:
            msg = "read models are not attached to this application"
            raise RuntimeError(msg)
        return self.read_models

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Only the environment built from settings: nothing leaks in from ``os.environ``."""
        values = dict(env or {})
        values["IS_SNAPSHOTTING_ENABLED"] = "y"
        return Environment(name, values)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        for name, cls in STATE_CLASSES.items():
            transcoder.register(StateObjectAsDict(name, cls))

    # Reading ---------------------------------------------------------------------------

    def _load(self, aggregate_id: UUID, cls: type[A], what: str, version: int | None = None) -> A:
        try:
            aggregate: BaseAggregate[UUID] = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(what=what) from None
        except MapperDeserialisationError:
            # A snapshot sealed with an erased person's key: replay the events instead.
            aggregate = self._replaying.get(aggregate_id, version=version)
        if not isinstance(aggregate, cls):
            raise NotFound(what=what)
        return aggregate

    def take_snapshot(
        self,
        aggregate_id: UUID,
        version: int | None = None,
        projector_func: Callable[[Any, Any], Any] = project_aggregate,
    ) -> None:
        """A snapshot is an optimisation taken after the events are committed: failing to
        take one (the store hiccups, the worker's key was destroyed, one exists already) must
        never turn a committed write into an error, or worse into a retry that records the
        command twice."""
        try:
            super().take_snapshot(aggregate_id, version, projector_func)
        except (DomainError, EventSourcingError) as error:
            logger.warning(
                "snapshot not taken",
                extra={
                    "aggregate_id": str(aggregate_id),
                    "version": version,
                    "error_type": type(error).__name__,
                },
            )

    # Writing ---------------------------------------------------------------------------

    def _occurred_on(self, value: date | None) -> date:
        """Backdating is allowed and visible; a date in the future is not."""
        if value is None:
            return self.services.clock.today()
        return fact_date(value, "occurred_on", self.services.clock.latest_today())

    def _execute(
        self,
        principal: Principal,
        options: WriteOptions,
        decide: Callable[[], Change],
    ) -> WriteResult:
        """Decides and saves a command, again on fresh state when a concurrent writer won
        (unless the caller pinned a version with If-Match), at most once per Idempotency-Key.

        A writer that lost a race decides again holding a lock for that aggregate, so the
        writers of one busy record in this process take turns instead of all retrying at
        once: with forty or more at the same moment, blind retries ran out of attempts (503)
        although every one of them could have been written."""
        contended: list[UUID] = []

        def attempt() -> WriteResult | None:
            if options.idempotency_key is not None:
                replay = self._replay(principal, options)
                if replay is not None:
                    return replay
            try:
                change = decide()
            except DomainError:
                # A concurrent attempt with this key may have committed between the lookup
                # above and the decision (which then sees its effect: "already registered",
                # "already departed"): its answer is the answer, not the refusal.
                replay = self._replay_if_keyed(principal, options)
                if replay is not None:
                    return replay
                raise
            target = change.target
            response: dict[str, Any] = {"id": str(target.id), "version": target.version}
            response.update(change.extra)
            record = None
            if options.idempotency_key is not None:
                record = IdempotencyRecord(
                    scope=str(principal.user_id),
                    key=options.idempotency_key,
                    fingerprint=options.fingerprint,
                    aggregate_id=target.id,
                    response=response,
                )
            try:
                recordings = self.save(
                    target,
                    *change.others,
                    jejak=SaveExtras(change.claims, change.releases, record, change.guards),
                )
            except (IdempotencyKeyTaken, ReadChanged):
                contended.append(target.id)
                return None
            except ClaimTaken as taken:
                if change.on_claim_taken is None:
                    raise
                raise change.on_claim_taken(taken) from None
            except IntegrityError:
                if change.on_conflict is not None:
                    raise change.on_conflict() from None
                if options.expected_version is not None:
                    current: int = self.repository.get(target.id).version
                    raise VersionMismatch(
                        expected=options.expected_version, current=current
                    ) from None
                contended.append(target.id)
                return None
            return WriteResult(
                id=target.id,
                version=target.version,
                position=recordings[-1].notification.id,
                extra=change.extra,
            )

        def taking_turns_after_a_conflict() -> WriteResult | None:
            if not contended:
                return attempt()
            with self._write_turns[contended[-1].int % WRITE_TURN_STRIPES]:
                return attempt()

        return retry_on_conflict(taking_turns_after_a_conflict)

    def _replay_if_keyed(self, principal: Principal, options: WriteOptions) -> WriteResult | None:
        return None if options.idempotency_key is None else self._replay(principal, options)

    def _replay(self, principal: Principal, options: WriteOptions) -> WriteResult | None:
        assert options.idempotency_key is not None
        stored = self.ledger.get_stored_response(str(principal.user_id), options.idempotency_key)
        if stored is None:
            return None
        if stored.fingerprint not in (options.fingerprint, ERASED_FINGERPRINT):
            raise IdempotencyKeyReused()
        body = dict(stored.response)
        return WriteResult(
            id=UUID(str(body.pop("id"))),
            version=int(body.pop("version")),
            position=stored.position,
            extra=body,
            replayed=True,
        )
