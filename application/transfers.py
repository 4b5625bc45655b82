"""Transfers of workers between villages (SPEC §8).

The village that has the case asks (``request_transfer``); a user whose scope covers the
destination answers (``accept_transfer``, ``decline_transfer``); the sender may take the
request back while it is pending (``withdraw_transfer``). While pending, the sender keeps
the case and the destination sees only the worker's name, the open journey's stage and its
open items (``list_transfers``). On acceptance the worker and every journey of theirs move
to the destination in one transaction: the sender's scope no longer covers them (404), the
receiver reads the whole history with its original recorders.

The transfer lives on the Worker aggregate, so its answers are optimistic writes to one
aggregate: an acceptance and a withdrawal at the same moment cannot both win (the loser's
retry finds the transfer decided, or the worker gone from its scope)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID

from application.checks import day_of, registered_village
from application.errors import NotFound
from application.journeys import OPEN_JOURNEY_CLAIM, WORKER_JOURNEY_CLAIM, JourneyUseCases
from application.ports import ClaimsOwned
from application.principal import RECORDING_ROLES, SYSTEM_PRINCIPAL, Principal
from application.readmodels import Filter, Key, Page, Query, Row
from application.reports import (
    REPORT_ROLES,
    ReportUseCases,
    scoped,
)
from application.villages import VillageUseCases
from application.workers import WorkerUseCases
from application.writes import Change, WriteOptions, WriteResult, check_expected_version
from domain.journey import Journey
from domain.regions import RegionCode
from domain.transfers import Transfer
from domain.village import Village, VillageNotDesignated, village_id_for
from domain.worker import Worker

TRANSFERS_READ_MODEL = "transfers"
#: Access-log action of showing a pending transfer's worker to the destination.
READ_TRANSFER = "read_transfer"


@dataclass(frozen=True)
class RequestTransfer:
    to_village_code: str
    reason: str
    occurred_on: date | None = None


@dataclass(frozen=True)
class OpenItem:
    """Something open on the case: its agenda kind, what it is about (``incident:2``) and
    the date it counts from, or is due on."""

    kind: str
    subject: str
    since: date
    due_on: date | None = None


@dataclass(frozen=True)
class TransferView:
    """A transfer as one side sees it. ``name``, ``stage`` and ``open_items`` are shown
    while it is pending and to whoever may read the worker now; ``journey_id`` only to
    whoever may open the case."""

    transfer_id: UUID
    worker_id: UUID
    direction: str
    from_village_code: str
    to_village_code: str
    status: str
    requested_on: date
    requested_at: datetime
    decided_on: date | None
    reason: str
    name: str | None = None
    stage: str | None = None
    journey_id: UUID | None = None
    open_items: list[OpenItem] = field(default_factory=list)


class TransferUseCases(JourneyUseCases, VillageUseCases, WorkerUseCases, ReportUseCases):
    def request_transfer(
        self, principal: Principal, worker_id: UUID, command: RequestTransfer, options: WriteOptions
    ) -> WriteResult:
        """Asks a designated village to take the worker and their case; one pending
        transfer per worker."""
        principal.require_role(RECORDING_ROLES, "request transfers")
        destination = registered_village(self, command.to_village_code, "to_village_code")
        occurred_on = day_of(self, command.occurred_on, "occurred_on")

        def decide() -> Change:
            worker = self._load(worker_id, Worker, "worker")
            principal.require_recording_on(worker.village_code, "worker", "request transfers")
            check_expected_version(worker, options)
            self._require_designated(destination)
            transfer_id = worker.request_transfer(
                to_village=destination,
                reason=command.reason,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return Change(worker, extra={"transfer_id": str(transfer_id), "status": "pending"})

        return self._execute(principal, options, decide)

    def withdraw_transfer(
        self,
        principal: Principal,
        worker_id: UUID,
        transfer_id: UUID,
        reason: str | None,
        options: WriteOptions,
    ) -> WriteResult:
        """The sender takes a pending request back. After an acceptance the worker is
        no longer the sender's to see (404)."""
        principal.require_role(RECORDING_ROLES, "withdraw transfers")
        today = self.services.clock.today()

        def decide() -> Change:
            worker = self._load(worker_id, Worker, "worker")
            principal.require_recording_on(worker.village_code, "worker", "withdraw transfers")
            transfer = worker.transfer_of(transfer_id)
            if transfer is None or not principal.covers(transfer.from_village_code):
                raise NotFound(what="transfer")
            check_expected_version(worker, options)
            worker.withdraw_transfer(
                transfer_id, reason=reason, actor=principal.actor, occurred_on=today
            )
            return Change(worker, extra={"transfer_id": str(transfer_id), "status": "withdrawn"})

        return self._execute(principal, options, decide)

    def accept_transfer(
        self, principal: Principal, worker_id: UUID, transfer_id: UUID, options: WriteOptions
    ) -> WriteResult:
        """The destination takes the worker: the worker and each of their journeys move
        in one transaction (``Worker.TransferAccepted``, ``Journey.Transferred``)."""
        principal.require_role(RECORDING_ROLES, "answer transfers")
        today = self.services.clock.today()

        def decide() -> Change:
            worker, _ = self._received(principal, worker_id, transfer_id, options)
            transfer = worker.accept_transfer(transfer_id, actor=principal.actor, occurred_on=today)
            every, guard = self._journeys_of(worker_id)
            journeys = [j for j in every if j.village_code != transfer.to_village_code]
            for journey in journeys:
                journey.transfer(
                    transfer_id=transfer_id,
                    to_village_code=transfer.to_village_code,
                    actor=principal.actor,
                    occurred_on=today,
                )
            extra = {
                "transfer_id": str(transfer_id),
                "status": "accepted",
                "village_code": transfer.to_village_code,
                "journey_ids": [str(journey.id) for journey in journeys],
            }
            return Change(worker, others=journeys, extra=extra, guards=[guard])

        return self._execute(principal, options, decide)

    def decline_transfer(
        self,
        principal: Principal,
        worker_id: UUID,
        transfer_id: UUID,
        reason: str,
        options: WriteOptions,
    ) -> WriteResult:
        principal.require_role(RECORDING_ROLES, "answer transfers")
        today = self.services.clock.today()

        def decide() -> Change:
            worker, _ = self._received(principal, worker_id, transfer_id, options)
            worker.decline_transfer(
                transfer_id, reason=reason, actor=principal.actor, occurred_on=today
            )
            return Change(worker, extra={"transfer_id": str(transfer_id), "status": "declined"})

        return self._execute(principal, options, decide)

    # Reading ---------------------------------------------------------------------------

    def list_transfers(
        self,
        principal: Principal,
        *,
        direction: str,
        status: str | None = None,
        region: str | None = None,
        after: Key | None = None,
        limit: int = 100,
    ) -> tuple[Page, list[TransferView]]:
        """Transfers into (``incoming``) or out of (``outgoing``) the caller's regions,
        oldest request first; pending ones name the worker, whose read is access-logged."""
        principal.require_role(REPORT_ROLES, "list transfers")
        filters = [Filter("side", "=", direction)]
        if status is not None:
            filters.append(Filter("status", "=", status))
        read_models = self.require_read_models()
        page = read_models.query(
            TRANSFERS_READ_MODEL,
            Query(
                table="transfers",
                filters=scoped(principal, region, filters),
                order=("requested_at", "transfer_id"),
                after=after,
                limit=limit,
            ),
        )
        return page, [self._view(principal, row) for row in page.rows]

    def transfer_counts(
        self,
        principal: Principal,
        *,
        region: str | None,
        year: int | None,
    ) -> tuple[list[Row], int]:
        """Accepted transfers into and out of each region one level below the one asked
        (by the year of acceptance, when asked)."""
        principal.require_role(REPORT_ROLES, "read reports")
        filters = [] if year is None else [Filter("year", "=", year)]

        def add(entry: Row, row: Row) -> None:
            entry["transfers_in"] += int(row["transfers_in"])
            entry["transfers_out"] += int(row["transfers_out"])

        zero = {"transfers_in": 0, "transfers_out": 0}
        codes = principal.scope_filter(region)
        return self.region_totals(TRANSFERS_READ_MODEL, "moves", codes, filters, zero, add)

    def transfer_destinations(self, principal: Principal) -> list[str]:
        """Every designated village a worker may be transferred to, by code: designations
        are programme facts, public to every role (``GET /v1/villages`` lists them too)."""
        principal.require_role(RECORDING_ROLES, "request transfers")
        return sorted(self._designated_codes((), SYSTEM_PRINCIPAL))

    # Helpers ---------------------------------------------------------------------------

    def _received(
        self, principal: Principal, worker_id: UUID, transfer_id: UUID, options: WriteOptions
    ) -> tuple[Worker, Transfer]:
        """The worker and the transfer, for a user whose scope covers its destination;
        for anyone else neither exists (404)."""
        try:
            worker = self._load(worker_id, Worker, "worker")
        except NotFound:
            raise NotFound(what="transfer") from None
        transfer = worker.transfer_of(transfer_id)
        if transfer is None or not principal.covers(transfer.to_village_code):
            raise NotFound(what="transfer")
        check_expected_version(worker, options)
        return worker, transfer

    def _require_designated(self, code: RegionCode) -> None:
        try:
            self._load(village_id_for(code), Village, "village")
        except NotFound:
            raise VillageNotDesignated(village_code=code.value) from None

    def _journeys_of(self, worker_id: UUID) -> tuple[list[Journey], ClaimsOwned]:
        """Every journey of the worker (the open one first), from the index written with each journey's opening
        (``WORKER_JOURNEY_CLAIM``; an upgrade indexes the journeys stored before it), and
        the guard that refuses the acceptance's write if a journey was opened meanwhile
        (it then decides again, and moves that one too). No read model is waited for."""
        keys = self.ledger.claims_owned_by(WORKER_JOURNEY_CLAIM, worker_id)
        guard = ClaimsOwned(WORKER_JOURNEY_CLAIM, worker_id, frozenset(keys))
        open_id = str(self.ledger.get_claim_owner(OPEN_JOURNEY_CLAIM, str(worker_id)))
        keys.sort(key=lambda key: key != open_id)  # the open one first: the case to open
        return [self._load_journey(UUID(key)) for key in keys], guard

    def _view(self, principal: Principal, row: Row) -> TransferView:
        worker = self._load(UUID(str(row["worker_id"])), Worker, "worker")
        transfer = worker.transfer_of(UUID(str(row["transfer_id"])))
        assert transfer is not None
        view = TransferView(
            transfer_id=transfer.id,
            worker_id=worker.id,
            direction=str(row["side"]),
            from_village_code=transfer.from_village_code,
            to_village_code=transfer.to_village_code,
            status=transfer.status,
            requested_on=transfer.requested_on,
            requested_at=transfer.requested_at,
            decided_on=transfer.decided_on,
            reason=transfer.reason,
        )
        reads_worker = principal.covers(worker.village_code)
        if not (transfer.pending or reads_worker):
            return view
        self.log_access(principal, READ_TRANSFER, str(worker.id))
        journey = self._open_journey_of(worker.id)
        if journey is None:
            return replace(view, name=worker.full_name)
        return replace(
            view,
            name=worker.full_name,
            stage=journey.stage,
            journey_id=journey.id if reads_worker else None,
            open_items=self._open_agenda_items(journey),
        )

    def _open_journey_of(self, worker_id: UUID) -> Journey | None:
        journey_id = self.ledger.get_claim_owner(OPEN_JOURNEY_CLAIM, str(worker_id))
        return None if journey_id is None else self._load_journey(journey_id)

    def _open_agenda_items(self, journey: Journey) -> list[OpenItem]:
        """What is open on the case, as its destination may see it before accepting:
        unresolved incidents and indications (from the day they were raised) and
        unanswered referrals (due on their ``due_on``). The agenda (SPEC §7) knows more
        kinds, due by its rules: it overrides this with its own items."""
        items = [
            OpenItem("incident_response", f"incident:{i['incident_id']}", i["occurred_on"])
            for i in journey.incidents
            if i["resolution"] is None
        ]
        items += [
            OpenItem("indication_follow_up", f"indication:{i['indication_id']}", i["occurred_on"])
            for i in journey.indications
            if i["resolution"] is None
        ]
        items += [
            OpenItem(
                "referral_response", f"referral:{r['referral_id']}", r["occurred_on"], r["due_on"]
            )
            for r in journey.open_referrals
        ]
        return items
