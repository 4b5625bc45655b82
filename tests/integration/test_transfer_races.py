"""An acceptance and a withdrawal of one transfer at the same moment, on both backends: both
decide on the same version of the worker (a barrier holds each until the other has loaded
it), so both try to save; exactly one wins, the other is refused after its retry sees what
the winner did, and the store holds what the winner did and nothing of the loser."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from application.errors import NotFound
from application.journeys import EndJourney, OpenJourney
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.transfers import RequestTransfer
from application.villages import DesignateVillage
from application.workers import RegisterWorker
from application.writes import WriteOptions, WriteResult
from domain.journey import Journey
from domain.transfers import TransferNotPending
from domain.vocabularies import PlacementScheme
from domain.worker import Sex, Worker
from infrastructure.bootstrap import Runtime, build_runtime
from infrastructure.settings import Settings
from tests import rawdb
from tests.support import FAR_VILLAGE, VILLAGE, create_user, nik_for

_O = WriteOptions()
#: Races per backend; the order of the two calls alternates.
ROUNDS = 4


def principal(runtime: Runtime, username: str) -> Principal:
    return runtime.app.principal_for(runtime.app.get_user(username).id)


@pytest.fixture
def sides(runtime: Runtime) -> tuple[Principal, Principal]:
    app = runtime.app
    create_user(runtime, "petugas", "officer", (VILLAGE,))
    create_user(runtime, "petugas.cilacap", "officer", (FAR_VILLAGE,))
    for village in (VILLAGE, FAR_VILLAGE):
        app.designate_village(SYSTEM_PRINCIPAL, DesignateVillage(village, 2018), _O)
    return principal(runtime, "petugas"), principal(runtime, "petugas.cilacap")


def pending_transfer(runtime: Runtime, sender: Principal, serial: int) -> tuple[UUID, UUID, UUID]:
    app = runtime.app
    birth = date(1992, 3, 4)
    worker = app.register_worker(
        sender,
        RegisterWorker(
            nik=nik_for(birth, "P", serial=serial),
            full_name="Sri Rahayu",
            sex=Sex("P"),
            birth_date=birth,
            village_code=VILLAGE,
        ),
        _O,
    ).id
    journey = app.open_journey(
        sender,
        OpenJourney(
            worker_id=worker,
            destination_country="MY",
            occupation="operator pabrik",
            placement_scheme=PlacementScheme.MANDIRI,
        ),
        _O,
    ).id
    asked = app.request_transfer(sender, worker, RequestTransfer(FAR_VILLAGE, "pindah"), _O)
    return worker, journey, UUID(str(asked.extra["transfer_id"]))


def race(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, calls: list[Callable[[], WriteResult]]
) -> list[WriteResult | BaseException]:
    """Runs the calls in threads that each load the worker once, then wait until all have;
    checks that someone had to decide again (the race was real)."""
    app = runtime.app
    loaded = threading.Barrier(len(calls), timeout=20)
    first_load = threading.local()
    real_load = app._load
    worker_loads: list[UUID] = []

    def load_then_wait(
        aggregate_id: UUID, cls: type[Any], what: str, version: int | None = None
    ) -> Any:
        found = real_load(aggregate_id, cls, what, version)
        if cls is Worker:
            worker_loads.append(aggregate_id)
        if cls is Worker and not getattr(first_load, "done", False):
            first_load.done = True
            loaded.wait()  # nobody saves before everybody decided on this version
        return found

    monkeypatch.setattr(app, "_load", load_then_wait)
    results: list[WriteResult | BaseException] = []

    def run(call: Callable[[], WriteResult]) -> None:
        try:
            results.append(call())
        except BaseException as error:
            results.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.setattr(app, "_load", real_load)
    assert len(worker_loads) > len(calls)  # a loser decided again on the winner's version
    return results


def test_an_acceptance_and_a_withdrawal_at_once_one_wins(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, sides: tuple[Principal, Principal]
) -> None:
    app = runtime.app
    sender, receiver = sides
    winners: set[str] = set()
    for serial in range(ROUNDS):
        worker_id, journey_id, transfer_id = pending_transfer(runtime, sender, 9100 + serial)
        calls = [
            lambda w=worker_id, t=transfer_id: app.accept_transfer(receiver, w, t, _O),
            lambda w=worker_id, t=transfer_id: app.withdraw_transfer(sender, w, t, None, _O),
        ]
        if serial % 2:
            calls.reverse()  # either may start first
        results = race(runtime, monkeypatch, calls)
        won = [r for r in results if isinstance(r, WriteResult)]
        lost = [r for r in results if not isinstance(r, WriteResult)]
        assert len(won) == 1, results
        (loser,) = lost
        assert isinstance(loser, TransferNotPending | NotFound), loser
        status = str(won[0].extra["status"])
        winners.add(status)
        worker = app._load(worker_id, Worker, "worker")
        journey = app._load(journey_id, Journey, "journey")
        transfer = worker.transfer_of(transfer_id)
        assert transfer is not None
        assert transfer.status == status
        expected_village = FAR_VILLAGE if status == "accepted" else VILLAGE
        assert (worker.village_code, journey.village_code) == (expected_village, expected_village)
        # Only the winner's event is stored after the request.
        types = [type(e).__name__ for e in app.events.get(worker_id)]
        assert types[-2:] == [
            "TransferRequested",
            "TransferAccepted" if status == "accepted" else "TransferWithdrawn",
        ]
        assert len(journey.transfer_list()) == (status == "accepted")
    assert winners <= {"accepted", "withdrawn"}


def test_two_acceptances_at_once_move_the_case_once(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, sides: tuple[Principal, Principal]
) -> None:
    app = runtime.app
    sender, receiver = sides
    worker_id, journey_id, transfer_id = pending_transfer(runtime, sender, 9200)
    results = race(
        runtime,
        monkeypatch,
        [lambda: app.accept_transfer(receiver, worker_id, transfer_id, _O) for _ in range(2)],
    )
    assert sorted(type(r).__name__ for r in results) == ["TransferAlreadyAccepted", "WriteResult"]
    journey = app._load(journey_id, Journey, "journey")
    assert [t["to_village_code"] for t in journey.transfer_list()] == [FAR_VILLAGE]


def a_journey(
    runtime: Runtime, sender: Principal, worker_id: UUID, *, cancelled: bool = True
) -> UUID:
    app = runtime.app
    journey_id = app.open_journey(
        sender,
        OpenJourney(
            worker_id=worker_id,
            destination_country="SG",
            occupation="perawat lansia",
            placement_scheme=PlacementScheme.MANDIRI,
        ),
        _O,
    ).id
    if cancelled:
        app.cancel_journey(sender, journey_id, EndJourney("batal berangkat"), _O)
    return journey_id


def villages_of(runtime: Runtime, worker_id: UUID) -> dict[UUID, str]:
    """Every journey of the worker by the events themselves (no index, no read model)."""
    app = runtime.app
    found: dict[UUID, str] = {}
    for notification in app.recorder.select_notifications(1, 10_000, topics=["jejak:Journey.Opened"]):
        journey = app._load(notification.originator_id, Journey, "journey")
        if journey.worker_id == worker_id:
            found[journey.id] = journey.village_code
    return found


def test_an_acceptance_with_the_projections_stopped_moves_every_journey(
    runtime: Runtime, sides: tuple[Principal, Principal]
) -> None:
    """The journeys read model lags behind (its runner stopped): the acceptance moves the
    closed journeys too, at once, and waits for nothing."""
    app = runtime.app
    sender, receiver = sides
    runtime.read_models.catch_up_inline = False  # nothing projects from here on
    worker_id, open_id, transfer_id = pending_transfer(runtime, sender, 9300)
    app.cancel_journey(sender, open_id, EndJourney("batal berangkat"), _O)
    closed = [a_journey(runtime, sender, worker_id) for _ in range(2)]
    reopened = a_journey(runtime, sender, worker_id, cancelled=False)
    started = time.monotonic()
    accepted = app.accept_transfer(receiver, worker_id, transfer_id, _O)
    assert time.monotonic() - started < 2.0  # no bounded wait for a read model
    every = {open_id, reopened, *closed}
    assert set(accepted.extra["journey_ids"]) == {str(j) for j in every}
    assert villages_of(runtime, worker_id) == dict.fromkeys(every, FAR_VILLAGE)
    assert runtime.read_models.position("journeys") < runtime.projections.head()


def test_journeys_stored_before_the_index_are_indexed_by_the_upgrade(
    runtime: Runtime, settings: Settings, sides: tuple[Principal, Principal]
) -> None:
    """A store from before the index (its claims taken away again): the upgrade indexes
    every journey from its opening, and the acceptance moves them all."""
    sender, receiver = sides
    worker_id, closed, transfer_id = pending_transfer(runtime, sender, 9400)
    runtime.app.cancel_journey(sender, closed, EndJourney("batal berangkat"), _O)
    open_id = a_journey(runtime, sender, worker_id, cancelled=False)
    runtime.close()
    rawdb.execute(settings.database_url, "DELETE FROM jejak_claims WHERE kind = 'worker_journey'")
    upgraded = build_runtime(settings, fast_passwords=True, upgrade=True)
    try:
        assert upgraded.schema_report is not None
        assert upgraded.schema_report.journeys_indexed == 2
        upgraded.read_models.catch_up_inline = False
        receiver = principal(upgraded, "petugas.cilacap")
        accepted = upgraded.app.accept_transfer(receiver, worker_id, transfer_id, _O)
        assert set(accepted.extra["journey_ids"]) == {str(open_id), str(closed)}
        assert villages_of(upgraded, worker_id) == {open_id: FAR_VILLAGE, closed: FAR_VILLAGE}
    finally:
        upgraded.close()


@pytest.mark.parametrize("opener", ["petugas", "koordinator"])
def test_an_acceptance_and_an_opening_at_once_move_every_journey(
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    sides: tuple[Principal, Principal],
    opener: str,
) -> None:
    """The acceptance has listed the worker's journeys and the opening has read the
    worker's village when both save: whichever comes second decides again. The opening
    either lands first and is moved, or comes after and is refused (the sender's officer
    no longer sees the worker) or lands in the new village (a coordinator of both)."""
    app = runtime.app
    sender, receiver = sides
    create_user(runtime, "koordinator", "coordinator", ("35.07", "33.01"))
    opening = principal(runtime, opener)
    outcomes: set[str] = set()
    for serial in range(ROUNDS):
        worker_id, first, transfer_id = pending_transfer(runtime, sender, 9500 + serial)
        app.cancel_journey(sender, first, EndJourney("batal berangkat"), _O)
        command = OpenJourney(
            worker_id=worker_id,
            destination_country="TW",
            occupation="operator pabrik",
            placement_scheme=PlacementScheme.MANDIRI,
        )
        calls = {
            "accept": lambda w=worker_id, t=transfer_id: app.accept_transfer(receiver, w, t, _O),
            "open": lambda c=command: app.open_journey(opening, c, _O),
        }
        results = race_decisions(app, monkeypatch, calls, first="accept" if serial % 2 else "open")
        assert isinstance(results["accept"], WriteResult), results
        opened = results["open"]
        journeys = villages_of(runtime, worker_id)
        assert set(journeys.values()) == {FAR_VILLAGE}, (results, journeys)
        if isinstance(opened, WriteResult):
            assert opened.id in journeys
            moved = str(opened.id) in results["accept"].extra["journey_ids"]
            outcomes.add("opened, then moved" if moved else "opened in the new village")
            assert moved or opener == "koordinator"
        else:
            assert isinstance(opened, NotFound), opened
            assert opener == "petugas"
            assert set(journeys) == {first}
            outcomes.add("refused")
    assert outcomes  # every round ended in one of the two orders


def race_decisions(
    app: Any,
    monkeypatch: pytest.MonkeyPatch,
    calls: dict[str, Callable[[], WriteResult]],
    first: str,
) -> dict[str, WriteResult | BaseException]:
    """Holds the acceptance after it listed the worker's journeys and the opening after it
    read the worker, until both have; then lets ``first`` save before the other. The
    second's write must be refused and decided again (it is: both decide twice)."""
    decided = threading.Barrier(2, timeout=20)
    saved = threading.Event()
    local = threading.local()
    real_owned, real_load, real_save = app.ledger.claims_owned_by, app._load, app.save
    decisions: list[str] = []

    def hold() -> None:
        decisions.append(threading.current_thread().name)
        if not getattr(local, "held", False):
            local.held = True
            decided.wait()

    def owned(kind: str, owner_id: UUID) -> list[str]:
        keys: list[str] = real_owned(kind, owner_id)
        hold()
        return keys

    def load(aggregate_id: UUID, cls: type[Any], what: str, version: int | None = None) -> Any:
        found = real_load(aggregate_id, cls, what, version)
        if cls is Worker and threading.current_thread().name == "open":
            hold()
        return found

    def save(*aggregates: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name != first and not saved.is_set():
            saved.wait(20)
        try:
            return real_save(*aggregates, **kwargs)
        finally:
            saved.set()

    monkeypatch.setattr(app.ledger, "claims_owned_by", owned)
    monkeypatch.setattr(app, "_load", load)
    monkeypatch.setattr(app, "save", save)
    results: dict[str, WriteResult | BaseException] = {}

    def run(name: str) -> None:
        try:
            results[name] = calls[name]()
        except BaseException as error:
            results[name] = error

    threads = [threading.Thread(target=run, args=(name,), name=name) for name in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.undo()
    second = next(name for name in calls if name != first)
    assert decisions.count(second) >= 2, decisions  # the second decided again
    return results
