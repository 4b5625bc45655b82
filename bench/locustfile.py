"""Locust load for rows 1, 2 and 4: officers recording welfare checks over HTTP.

Run by ``bench.writes`` and ``bench.lag`` as ``locust -f bench/locustfile.py --headless`` in
its own process (locust patches the standard library with gevent, which the benchmark
process must not be). Configured through the environment:

``BENCH_TOKEN``     the officer's bearer token
``BENCH_JOURNEYS``  a file with one journey id per line (journeys in placement)
``BENCH_RATE``      requests per second per user, on a fixed schedule; 0 or unset: as
                    fast as each user can go (no wait between requests)
``BENCH_SAMPLES``   where to write, at the end, every request's start time, response time
                    (ms, locust's own measurement) and success, as JSON: locust's CSV rounds
                    times above 100 ms and its requests/s to whole seconds of wall clock

Each user takes its own slice of the journeys (user i of n gets ids i, i + n, ...), so no
two users write to the same journey at the same time: the load measures the write path, not
concurrency conflicts on one aggregate (``bench.writes`` gives the in-process baseline the
same slices)."""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]
from locust import FastHttpUser, events, task

TOKEN = os.environ.get("BENCH_TOKEN", "")
JOURNEYS = [
    line.strip()
    for line in Path(os.environ.get("BENCH_JOURNEYS", "/dev/null")).read_text().splitlines()
    if line.strip()
]
RATE = float(os.environ.get("BENCH_RATE", "0") or 0)
#: How many users the run has (``-u``); users beyond it wrap around the slices.
USERS = int(os.environ.get("BENCH_USERS", "16"))
BODY = {"contact_with": "family", "status": "ok"}

SAMPLES = os.environ.get("BENCH_SAMPLES", "")

_numbers = itertools.count()
#: (start time, response time in ms, succeeded) of every request.
_samples: list[tuple[float, float, bool]] = []


@events.request.add_listener  # type: ignore[untyped-decorator]
def _record(
    response_time: float, exception: BaseException | None, start_time: float, **_: Any
) -> None:
    _samples.append((start_time, response_time, exception is None))


@events.quitting.add_listener  # type: ignore[untyped-decorator]
def _write_samples(**_: Any) -> None:
    if SAMPLES:
        Path(SAMPLES).write_text(json.dumps({"written": time.time(), "samples": _samples}))


class Officer(FastHttpUser):
    # Keep-alive connections, like a real client; no connection reuse across users.
    connection_timeout = 30.0
    network_timeout = 30.0

    def on_start(self) -> None:
        number = next(_numbers) % USERS
        mine = JOURNEYS[number::USERS] or JOURNEYS
        self.journeys = itertools.cycle(mine)
        self.headers = {"Authorization": f"Bearer {TOKEN}"}
        # Locust starts every user at once whatever the spawn rate, and its
        # constant_throughput lets them drift into step: requests then came 16 at a time.
        # Each user instead keeps its own slot of a fixed schedule, its share of one period
        # after the previous user's.
        self.due = time.time() + (number / (USERS * RATE) if RATE > 0 else 0.0)
        gevent.sleep(max(0.0, self.due - time.time()))

    def wait_time(self) -> float:
        """As fast as possible without a rate; else until this user's next slot (at once
        when late: the schedule, not the server's speed, sets the load)."""
        if RATE <= 0:
            return 0.0
        self.due += 1 / RATE
        return max(0.0, self.due - time.time())

    @task
    def check_welfare(self) -> None:
        journey = next(self.journeys)
        self.client.post(
            f"/v1/journeys/{journey}/welfare-checks",
            json=BODY,
            headers=self.headers,
            name="/v1/journeys/{id}/welfare-checks",
        )
