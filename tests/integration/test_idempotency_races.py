"""A retry that races its own first attempt, on both backends, with the two interleavings
pinned down (the HTTP test in tests/reliability finds them by chance, these every time):

- the retry decides after the first attempt committed (so it sees "already registered");
- both attempts decide before either commits (so the retry's save meets the first
  attempt's claim on the NIK).

Either way the retry answers what the first attempt answered and records nothing."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from application.principal import SYSTEM_PRINCIPAL
from application.workers import RegisterWorker
from application.writes import WriteOptions, WriteResult
from domain.worker import Sex
from infrastructure.bootstrap import Runtime
from tests.support import VILLAGE, nik_for


def registration(serial: int) -> RegisterWorker:
    birth = date(1993, 4, 9)
    return RegisterWorker(
        nik=nik_for(birth, "P", serial=serial),
        full_name="Sri Wahyuni",
        sex=Sex("P"),
        birth_date=birth,
        village_code=VILLAGE,
    )


def keyed(key: str) -> WriteOptions:
    return WriteOptions(idempotency_key=key, fingerprint="same request")


def events_of(runtime: Runtime, aggregate_id: UUID) -> int:
    return len(list(runtime.app.events.get(aggregate_id)))


def test_a_retry_deciding_after_its_first_attempt_committed_replays_it(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = runtime.app
    command = registration(7001)
    first = app.register_worker(SYSTEM_PRINCIPAL, command, keyed("reg-a"))
    lookups: list[Any] = []
    real_replay = app._replay

    def lookup_made_before_the_commit(*args: Any) -> WriteResult | None:
        lookups.append(args)
        # The retry's first look for its key happened before the first attempt committed.
        return None if len(lookups) == 1 else real_replay(*args)

    monkeypatch.setattr(app, "_replay", lookup_made_before_the_commit)
    again = app.register_worker(SYSTEM_PRINCIPAL, command, keyed("reg-a"))
    assert again.replayed
    assert (again.id, again.version, again.position) == (first.id, first.version, first.position)
    assert events_of(runtime, first.id) == 1


def test_attempts_deciding_together_record_one_worker_and_share_its_answer(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = runtime.app
    command = registration(7002)
    both_checked = threading.Barrier(2, timeout=10)
    real_owner = app.ledger.get_claim_owner

    def owner_then_wait(kind: str, key: str) -> UUID | None:
        owner = real_owner(kind, key)
        both_checked.wait()  # neither attempt saves before both found the NIK free
        return owner

    monkeypatch.setattr(app.ledger, "get_claim_owner", owner_then_wait)
    results: list[WriteResult | BaseException] = []

    def attempt() -> None:
        try:
            results.append(app.register_worker(SYSTEM_PRINCIPAL, command, keyed("reg-b")))
        except BaseException as error:
            results.append(error)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, WriteResult) for r in results), results
    answers = {(r.id, r.version, r.position) for r in results if isinstance(r, WriteResult)}
    assert len(answers) == 1
    assert sorted(r.replayed for r in results if isinstance(r, WriteResult)) == [False, True]
    (worker_id, _, _) = answers.pop()
    assert events_of(runtime, worker_id) == 1
