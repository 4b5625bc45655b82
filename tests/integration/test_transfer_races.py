"""An acceptance and a withdrawal of one transfer at the same moment, on both backends: both
decide on the same version of the worker (a barrier holds each until the other has loaded
it), so both try to save; exactly one wins, the other is refused after its retry sees what
the winner did, and the store holds what the winner did and nothing of the loser."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from application.errors import NotFound
from application.journeys import OpenJourney
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.transfers import RequestTransfer
from application.villages import DesignateVillage
from application.workers import RegisterWorker
from application.writes import WriteOptions, WriteResult
from domain.journey import Journey
from domain.transfers import TransferNotPending
from domain.vocabularies import PlacementScheme
from domain.worker import Sex, Worker
from infrastructure.bootstrap import Runtime
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
