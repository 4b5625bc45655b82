"""A worker's transfer to another village (SPEC §8): requested by the village that has the
case, answered by the one it would go to.

Workers move: they register at another regency's one-stop service, marry into another
village, come home to a different district. A case that cannot move is entered again by
hand and its history is lost. Here the worker holds its transfers (one pending at a time);
while a transfer is pending the sending village keeps the case, and on acceptance the
worker's village becomes the destination, so scope (and with it the case) moves. The
worker's journeys move by an event of their own (``Journey.Transferred``) recorded in the
same transaction, each keeping its whole history and original recorders.

Reasons are one line in clear, like the other reasons a worker's history holds (a legal
hold, an erasure): details about the person belong in a journey's notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID, uuid4

from domain.errors import InvalidValue, RuleViolation
from domain.events import Actor, JejakEvent, state_class
from domain.regions import RegionCode
from domain.text import one_line
from domain.vocabularies import Vocabulary

E = TypeVar("E", bound=JejakEvent)


class TransferStatus(Vocabulary):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class TransferPending(RuleViolation):
    """One pending transfer per worker: two would race for the same case."""

    code = "transfer_pending"
    template = (
        "This worker already has a pending transfer ({transfer_id}): "
        "withdraw it or wait for its answer."
    )


class TransferNotPending(RuleViolation):
    """Accepting twice, or answering a transfer that was withdrawn or declined: one error
    for each, so that whoever tried knows what happened meanwhile."""

    code = "transfer_not_pending"
    template = "This transfer is no longer pending."


class TransferAlreadyAccepted(TransferNotPending):
    code = "transfer_already_accepted"
    template = "This transfer was accepted already."


class TransferWithdrawnBySender(TransferNotPending):
    code = "transfer_withdrawn"
    template = "This transfer was withdrawn by the sending village."


class TransferAlreadyDeclined(TransferNotPending):
    code = "transfer_declined"
    template = "This transfer was declined."


_NOT_PENDING: dict[str, type[TransferNotPending]] = {
    "accepted": TransferAlreadyAccepted,
    "withdrawn": TransferWithdrawnBySender,
    "declined": TransferAlreadyDeclined,
}


@state_class("jejak:Worker.Transfer")
@dataclass
class Transfer:
    """One transfer and how it ended; the events hold who did what and when."""

    id: UUID
    from_village_code: str
    to_village_code: str
    reason: str
    requested_on: date
    requested_at: datetime
    requested_by: UUID
    status: str = TransferStatus.PENDING.value
    decided_on: date | None = None
    decided_at: datetime | None = None
    decided_by: UUID | None = None
    decision_reason: str | None = None

    @property
    def pending(self) -> bool:
        return self.status == TransferStatus.PENDING.value


class TransferEvent(JejakEvent):
    """Every transfer event names its transfer."""

    transfer_id: UUID

    def decide(self, worker: WorkerTransfers, status: TransferStatus, reason: str | None) -> None:
        transfer = worker.transfer_of(self.transfer_id)
        assert transfer is not None
        transfer.status = status.value
        transfer.decided_on = self.occurred_on
        transfer.decided_at = self.timestamp
        transfer.decided_by = self.actor_id
        transfer.decision_reason = reason


class TransferRequested(TransferEvent):
    TOPIC = "jejak:Worker.TransferRequested"

    from_village_code: str
    to_village_code: str
    reason: str

    def apply(self, worker: Any) -> None:
        cast(WorkerTransfers, worker).transfer_list().append(
            Transfer(
                id=self.transfer_id,
                from_village_code=self.from_village_code,
                to_village_code=self.to_village_code,
                reason=self.reason,
                requested_on=self.occurred_on,
                requested_at=self.timestamp,
                requested_by=self.actor_id,
            )
        )


class TransferWithdrawn(TransferEvent):
    """The sending village took its request back while it was pending."""

    TOPIC = "jejak:Worker.TransferWithdrawn"

    reason: str | None

    def apply(self, worker: Any) -> None:
        self.decide(worker, TransferStatus.WITHDRAWN, self.reason)


class TransferAccepted(TransferEvent):
    """The destination took the worker: from now on the worker is theirs."""

    TOPIC = "jejak:Worker.TransferAccepted"

    from_village_code: str
    to_village_code: str

    def apply(self, worker: Any) -> None:
        self.decide(worker, TransferStatus.ACCEPTED, None)
        worker.village_code = self.to_village_code


class TransferDeclined(TransferEvent):
    TOPIC = "jejak:Worker.TransferDeclined"

    reason: str

    def apply(self, worker: Any) -> None:
        self.decide(worker, TransferStatus.DECLINED, self.reason)


class WorkerTransfers:
    """The worker's transfers and the commands on them (the ``Worker`` inherits them)."""

    if TYPE_CHECKING:  # the Worker's own state and recording
        village_code: str

        def _check_not_erased(self) -> None: ...

        def _record(
            self,
            event_class: type[JejakEvent],
            *,
            actor: Actor,
            occurred_on: date,
            **kwargs: Any,
        ) -> None: ...

    def transfer_list(self) -> list[Transfer]:
        """Every transfer, in the order requested (a list made on the first: workers
        registered before transfers existed have none)."""
        return cast(list[Transfer], self.__dict__.setdefault("transfers", []))

    def transfer_of(self, transfer_id: UUID) -> Transfer | None:
        for transfer in self.transfer_list():
            if transfer.id == transfer_id:
                return transfer
        return None

    @property
    def pending_transfer(self) -> Transfer | None:
        for transfer in self.transfer_list():
            if transfer.pending:
                return transfer
        return None

    def request_transfer(
        self, *, to_village: RegionCode, reason: str, actor: Actor, occurred_on: date
    ) -> UUID:
        """Asks the destination to take the worker; the sender keeps the case meanwhile."""
        self._check_not_erased()
        if to_village.value == self.village_code:
            raise InvalidValue(field="to_village_code", reason="is the worker's village already")
        pending = self.pending_transfer
        if pending is not None:
            raise TransferPending(transfer_id=str(pending.id))
        transfer_id = uuid4()
        self._record(
            self._event(TransferRequested),
            actor=actor,
            occurred_on=occurred_on,
            transfer_id=transfer_id,
            from_village_code=self.village_code,
            to_village_code=to_village.value,
            reason=one_line(reason, "reason"),
        )
        return transfer_id

    def withdraw_transfer(
        self, transfer_id: UUID, *, reason: str | None, actor: Actor, occurred_on: date
    ) -> None:
        self._require_pending(transfer_id)
        self._record(
            self._event(TransferWithdrawn),
            actor=actor,
            occurred_on=occurred_on,
            transfer_id=transfer_id,
            reason=None if reason is None else one_line(reason, "reason"),
        )

    def accept_transfer(self, transfer_id: UUID, *, actor: Actor, occurred_on: date) -> Transfer:
        transfer = self._require_pending(transfer_id)
        self._record(
            self._event(TransferAccepted),
            actor=actor,
            occurred_on=occurred_on,
            transfer_id=transfer_id,
            from_village_code=transfer.from_village_code,
            to_village_code=transfer.to_village_code,
        )
        return transfer

    def decline_transfer(
        self, transfer_id: UUID, *, reason: str, actor: Actor, occurred_on: date
    ) -> None:
        self._require_pending(transfer_id)
        self._record(
            self._event(TransferDeclined),
            actor=actor,
            occurred_on=occurred_on,
            transfer_id=transfer_id,
            reason=one_line(reason, "reason"),
        )

    def _event(self, event_class: type[E]) -> type[E]:
        """The aggregate's own class of the event: the library redefines the events an
        aggregate names as subclasses of its ``Event``, and those are the ones registered."""
        return cast(type[E], getattr(type(self), event_class.__name__))

    def _require_pending(self, transfer_id: UUID) -> Transfer:
        transfer = self.transfer_of(transfer_id)
        if transfer is None:
            raise InvalidValue(field="transfer_id", reason="names no transfer of this worker")
        if not transfer.pending:
            raise _NOT_PENDING.get(transfer.status, TransferNotPending)()
        return transfer
