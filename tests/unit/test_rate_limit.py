"""The per-user sliding window behind the NIK-check allowance."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from application.rate_limit import SlidingWindowLimiter


@dataclass
class Clock:
    at: datetime = datetime(2025, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.date()

    def latest_today(self) -> date:
        return self.at.date()

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def test_a_key_acts_up_to_the_limit_then_waits_until_its_oldest_act_leaves_the_window() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(clock=clock, limit=3, window_seconds=3600)
    assert [limiter.acquire("a") for _ in range(3)] == [0, 0, 0]
    clock.advance(600)
    assert limiter.acquire("a") == 3000
    assert limiter.wait("a") == 3000
    assert limiter.acquire("b") == 0  # each key has its own window
    clock.advance(3000)
    assert limiter.acquire("a") == 0  # the first three acts left the window
    clock.advance(1200)
    assert limiter.acquire("a") == 0
    assert limiter.acquire("a") == 0
    assert limiter.acquire("a") == 2400  # when the act of 1,200 s ago leaves the window


def test_a_refused_act_is_not_counted_and_wait_counts_nothing() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(clock=clock, limit=1, window_seconds=60)
    for _ in range(5):
        assert limiter.wait("a") == 0
    assert limiter.acquire("a") == 0
    for _ in range(5):
        assert limiter.acquire("a") == 60
    clock.advance(60)
    assert limiter.acquire("a") == 0


def test_recorded_acts_count_against_the_limit() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(clock=clock, limit=2, window_seconds=60)
    limiter.record("a")
    limiter.record("a")
    assert limiter.wait("a") == 60
    clock.advance(0.5)
    assert limiter.wait("a") == 60  # never 0 while refused: seconds are rounded up


def test_racing_acquirers_never_pass_the_last_free_place_together() -> None:
    limiter = SlidingWindowLimiter(clock=Clock(), limit=50, window_seconds=60)
    passed: list[int] = []
    barrier = threading.Barrier(8)

    def race() -> None:
        barrier.wait()
        passed.extend(1 for _ in range(20) if limiter.acquire("a") == 0)

    threads = [threading.Thread(target=race) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passed) == 50


def test_idle_keys_are_forgotten() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(clock=clock, limit=2, window_seconds=60)
    for user in range(100):
        limiter.acquire(f"user-{user}")
    clock.advance(61)
    for user in range(100):
        assert limiter.wait(f"user-{user}") == 0
    assert limiter._acts == {}
