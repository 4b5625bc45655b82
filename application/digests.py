"""The daily digest: each officer and coordinator with something overdue, and a contact
address, is told how many items are overdue and due, with a link to their agenda. Never a
name, a NIK or a note: counts and a link only.

Sending is at most once per user, day and channel, whatever restarts or how many processes
send: each digest is a row of the digest ledger under a uniqueness constraint, claimed by one
sender at a time (a lease), marked ``sending`` in the database just before the message is
handed to the channel, and finished with the channel's answer. A channel that is down is
tried again with a growing wait; a sender that died after handing a message over leaves it
``in_doubt``, which is listed and never sent again (it may have arrived)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import UUID, uuid5

from application.agenda import AgendaUseCases
from application.errors import NotFound, VersionMismatch
from application.principal import Principal
from application.readmodels import Filter, Key, Query
from application.writes import Change, WriteOptions, WriteResult, check_expected_version
from domain.digests import DigestPreferences, masked, preferences_id
from domain.events import Role
from domain.user import User, user_id_for

#: Who is sent digests: the people who do the work an agenda lists.
RECIPIENT_ROLES = frozenset({Role.OFFICER, Role.COORDINATOR})
AUDIT_ROLES = frozenset({Role.AUDITOR, Role.ADMIN, Role.SYSTEM})
MAX_ATTEMPTS = 8
CATCH_UP_SECONDS = 30.0
LONGEST_WAIT = timedelta(hours=1)
_DELIVERY_NAMESPACE = UUID("5e2f0a9c-7b14-4d6e-a3c8-91d0b6e4f725")


class Outcome(StrEnum):
    SENT = "sent"
    #: Not handed over (refused connection, a 4xx/5xx answer that means "later").
    RETRY = "retry"
    #: Refused for good (an address the server will never take, a rejected signature).
    FAILED = "failed"
    #: Handed over with no answer: it may have arrived, so it is never sent again.
    IN_DOUBT = "in_doubt"
    #: This sender's claim had lapsed before the hand-over: another sender has the digest.
    LOST = "lost"


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    #: What went wrong, for the audit: an error type or a status code, never message text.
    detail: str | None = None


@dataclass(frozen=True)
class Digest:
    delivery_id: str
    day: date
    user_id: UUID
    overdue: int
    due: int
    link: str


class DigestChannel(Protocol):
    """A way of reaching people (e-mail, a webhook for SMS or WhatsApp gateways)."""

    name: str

    def address(self, preferences: DigestPreferences) -> str | None:
        """The user's address on this channel, if they gave one."""
        ...

    def send(self, digest: Digest, address: str, handover: Callable[[], bool]) -> Delivery:
        """Sends one digest; calls ``handover()`` right before the message leaves, and
        must not send it when that answers False."""
        ...


@dataclass(frozen=True)
class PlannedDigest:
    user_id: str
    day: date
    channel: str
    username: str
    role: str
    address_hint: str
    overdue: int
    due: int


@dataclass(frozen=True)
class Notification(PlannedDigest):
    """A digest as the ledger holds it: planned, being sent, sent, failed or in doubt."""

    id: int
    state: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None


class DigestLedger(Protocol):
    """Digests planned and sent, one row per user, day and channel (a unique key)."""

    def last_planned(self, day: date) -> datetime | None:
        """When the digests of ``day`` were last planned, if they were."""
        ...

    def mark_planned(self, day: date, at: datetime) -> None: ...

    def plan(self, digest: PlannedDigest, at: datetime) -> bool:
        """Adds the digest unless one exists for its user, day and channel."""
        ...

    def release_expired(self, now: datetime) -> None:
        """Claims whose lease ran out: back to pending before the hand-over, in doubt
        after it."""
        ...

    def due(self, now: datetime, limit: int) -> list[Notification]: ...

    def claim(self, entry_id: int, owner: str, until: datetime, now: datetime) -> bool: ...

    def handover(self, entry_id: int, owner: str) -> bool: ...

    def finish(
        self,
        entry_id: int,
        owner: str,
        state: str,
        now: datetime,
        next_attempt_at: datetime | None = None,
        error: str | None = None,
    ) -> None: ...

    def entries(
        self, *, after: int, limit: int, day: date | None, user_id: str | None
    ) -> list[Notification]: ...


@dataclass(frozen=True)
class ChoosePreferences:
    email: str | None
    phone: str | None
    opted_out: bool


class DigestUseCases(AgendaUseCases):
    digest_ledger: DigestLedger | None = None
    digest_channels: Mapping[str, DigestChannel] = {}

    # Preferences ---------------------------------------------------------------------------

    def get_digest_preferences(
        self, principal: Principal, username: str | None = None
    ) -> DigestPreferences | None:
        """A user's own preferences (an admin may read anyone's)."""
        user_id = self._preference_owner(principal, username)
        if username is not None:
            self.log_access(principal, "read_personal_data", str(user_id))
        return self._preferences(user_id)

    def set_digest_preferences(
        self,
        principal: Principal,
        command: ChoosePreferences,
        options: WriteOptions,
        username: str | None = None,
    ) -> WriteResult:
        """Where a user's digests go, or that they want none (an admin may set anyone's)."""
        user_id = self._preference_owner(principal, username)
        today = self.services.clock.today()

        def decide() -> Change:
            try:
                chosen = self._load(preferences_id(user_id), DigestPreferences, "preferences")
            except NotFound:
                if options.expected_version not in (None, 0):  # nothing chosen yet: version 0
                    raise VersionMismatch(expected=options.expected_version, current=0) from None
                chosen = DigestPreferences.choose(
                    user_id=user_id,
                    email=command.email,
                    phone=command.phone,
                    opted_out=command.opted_out,
                    actor=principal.actor,
                    today=today,
                )
                return Change(chosen)
            check_expected_version(chosen, options)
            chosen.change(
                email=command.email,
                phone=command.phone,
                opted_out=command.opted_out,
                actor=principal.actor,
                today=today,
            )
            return Change(chosen)

        return self._execute(principal, options, decide)

    def _preference_owner(self, principal: Principal, username: str | None) -> UUID:
        if username is None:
            return principal.user_id
        principal.require_role(frozenset({Role.ADMIN, Role.SYSTEM}), "manage users")
        return self._load(user_id_for(username), User, "user").id

    # Planning and sending ------------------------------------------------------------------

    def plan_digests(
        self, day: date | None = None, *, unless_planned_within: timedelta | None = None
    ) -> int:
        """Today's digests: one per channel for each officer and coordinator with something
        overdue and an address on it. Planning again the same day adds only those who had
        nothing overdue (or no address) before: the ledger's unique key keeps each user to
        one digest per day and channel."""
        ledger = self._ledger()
        today = day or self.services.clock.today()
        if not self.digest_channels:
            return 0
        last = ledger.last_planned(today)
        if (
            last is not None
            and unless_planned_within is not None
            and self.services.clock.now() - last < unless_planned_within
        ):
            return 0
        # Counts and subscribers as of now: the read models first catch up with the store.
        head = int(self.recorder.max_notification_id() or 0)
        for projection in ("agenda", "digest_subscribers"):
            self.require_read_models().wait_for(projection, head, CATCH_UP_SECONDS)
        now = self.services.clock.now()
        planned = 0
        for user_id in self._subscribers():
            for digest in self._digests_for(user_id, today):
                planned += ledger.plan(digest, now)
        ledger.mark_planned(today, now)
        return planned

    def deliver_digests(self, owner: str, limit: int = 200) -> Counter[str]:
        """Sends the digests whose time has come; answers how many ended how."""
        ledger = self._ledger()
        now = self.services.clock.now()
        ledger.release_expired(now)
        report: Counter[str] = Counter()
        lease = self._lease()
        for entry in ledger.due(now, limit):
            if ledger.claim(entry.id, owner, now + lease, now):
                report[self._deliver(ledger, entry, owner)] += 1
        return report

    def list_notifications(
        self,
        principal: Principal,
        *,
        after: int = 0,
        limit: int = 100,
        day: date | None = None,
        username: str | None = None,
    ) -> list[Notification]:
        """What was sent (or tried), to whom and when: for auditors and admins."""
        principal.require_role(AUDIT_ROLES, "read the notifications sent")
        user_id = None if username is None else str(user_id_for(username))
        return self._ledger().entries(after=after, limit=limit, day=day, user_id=user_id)

    def _subscribers(self) -> list[UUID]:
        read_models = self.require_read_models()
        found: list[UUID] = []
        after: Key | None = None
        while True:
            page = read_models.query(
                "digest_subscribers",
                Query(
                    table="subscribers",
                    filters=[Filter("opted_out", "=", False)],
                    after=after,
                    limit=1000,
                ),
            )
            found.extend(UUID(str(row["user_id"])) for row in page.rows)
            if page.next_after is None:
                return found
            after = page.next_after

    def _digests_for(self, user_id: UUID, day: date) -> list[PlannedDigest]:
        try:
            user = self._load(user_id, User, "user")
        except NotFound:
            return []
        preferences = self._preferences(user_id)
        if (
            not user.active
            or user.role not in RECIPIENT_ROLES
            or preferences is None
            or preferences.opted_out
        ):
            return []
        addresses = {
            name: address
            for name, channel in self.digest_channels.items()
            if (address := channel.address(preferences))
        }
        if not addresses:
            return []
        principal = Principal(
            user_id=user.id, username=user.username, role=user.role, regions=user.regions
        )
        overdue, due = self.agenda_totals(principal)
        if not overdue:
            return []
        return [
            PlannedDigest(
                user_id=str(user.id),
                day=day,
                channel=name,
                username=user.username,
                role=user.role.value,
                address_hint=masked(address),
                overdue=overdue,
                due=due,
            )
            for name, address in sorted(addresses.items())
        ]

    def _deliver(self, ledger: DigestLedger, entry: Notification, owner: str) -> str:
        now = self.services.clock.now()
        channel = self.digest_channels.get(entry.channel)
        preferences = self._preferences(UUID(entry.user_id))
        address = None
        if channel is not None and preferences is not None and not preferences.opted_out:
            address = channel.address(preferences)
        if channel is None or address is None:
            ledger.finish(entry.id, owner, "cancelled", now, error="no address or channel")
            return "cancelled"
        digest = Digest(
            delivery_id=str(
                uuid5(_DELIVERY_NAMESPACE, f"{entry.user_id}/{entry.day}/{entry.channel}")
            ),
            day=entry.day,
            user_id=UUID(entry.user_id),
            overdue=entry.overdue,
            due=entry.due,
            link=self._public_url() + "/agenda",
        )
        result = channel.send(digest, address, lambda: ledger.handover(entry.id, owner))
        finished = self.services.clock.now()
        if result.outcome is Outcome.LOST:
            return Outcome.LOST.value
        if result.outcome is Outcome.RETRY and entry.attempts + 1 < MAX_ATTEMPTS:
            wait = min(self._retry_base() * 2**entry.attempts, LONGEST_WAIT)
            ledger.finish(entry.id, owner, "pending", finished, finished + wait, result.detail)
            return Outcome.RETRY.value
        state = "failed" if result.outcome is Outcome.RETRY else result.outcome.value
        ledger.finish(entry.id, owner, state, finished, error=result.detail)
        return state

    def _preferences(self, user_id: UUID) -> DigestPreferences | None:
        try:
            return self._load(preferences_id(user_id), DigestPreferences, "preferences")
        except NotFound:
            return None

    def _ledger(self) -> DigestLedger:
        if self.digest_ledger is None:
            msg = "the digest ledger is not attached to this application"
            raise RuntimeError(msg)
        return self.digest_ledger

    def _retry_base(self) -> timedelta:
        return timedelta(seconds=float(self.services.settings.get("notify_retry_seconds", 60)))

    def _lease(self) -> timedelta:
        """Longer than any channel may take (four times its time-out)."""
        return timedelta(
            seconds=4 * float(self.services.settings.get("notify_timeout_seconds", 20))
        )

    def _public_url(self) -> str:
        return str(self.services.settings.get("public_url", "http://127.0.0.1:8000")).rstrip("/")
