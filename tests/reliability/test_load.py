"""Load: 200 concurrent clients mixing reads and writes against one real `jejak serve` on
PostgreSQL, for LOAD_SECONDS after a short warm-up.

Each client is an officer's device following one worker: it reads the journey, the worker,
the vocabularies, a report and who it is, and writes counselling sessions, documents and
indications to its own journey, every write with an Idempotency-Key (about one request in
three is a write). No request may fail (every answer 200 or 201, no transport error), the
store must hold exactly the writes acknowledged, and the server's memory must settle: its
resident size in the second half of the run may not keep growing.

Thirty seconds rather than a minute: the machine that runs the suite has two cores shared
by the server, the 200 clients and PostgreSQL, the numbers are steady after ten seconds
(the figures of each run are printed and kept in docs/reliability.md), and the whole suite
has to stay reasonable. Set JEJAK_LOAD_SECONDS=60 for a full minute."""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.reliability.harness import (
    Report,
    latency_summary,
    officers_at_work,
    rss_sampler,
    store_shape,
)
from tests.support import VILLAGE, journey_body, nik_for, worker_body

pytestmark = pytest.mark.slow

CLIENTS = 200
OFFICERS = 10
WARM_UP_SECONDS = 5.0
LOAD_SECONDS = float(os.environ.get("JEJAK_LOAD_SECONDS", "30"))
#: The resident size may grow by at most this much over the second half of the run.
MAX_LATE_GROWTH_KIB = 20 * 1024


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    writes: Counter[str] = field(default_factory=Counter)  # journey id -> acknowledged writes
    counting: bool = False

    def record(self, kind: str, status: int | None, seconds: float, detail: str = "") -> None:
        if not self.counting:
            return
        self.latencies.setdefault(kind, []).append(seconds)
        self.statuses[str(status)] += 1
        if status not in (200, 201) and len(self.failures) < 20:
            self.failures.append(f"{kind}: {status} {detail[:200]}")


async def device(
    index: int, client: httpx.AsyncClient, token_value: str, tally: Tally, stop: asyncio.Event
) -> None:
    headers = {"Authorization": f"Bearer {token_value}"}
    pace = random.Random(index)
    birth = date(1985 + index % 15, 1 + index % 12, 1 + index % 28)
    nik = nik_for(birth, "L", serial=index + 1)
    body = worker_body(nik=nik, sex="L", birth_date=birth.isoformat(), village_code=VILLAGE)
    registered = await client.post(
        "/v1/workers", json=body, headers={**headers, "Idempotency-Key": f"load-{index}-w"}
    )
    assert registered.status_code == 201, registered.text
    worker = registered.json()["id"]
    opened = await client.post(
        "/v1/journeys",
        json=journey_body(worker, occurred_on="2022-01-05"),
        headers={**headers, "Idempotency-Key": f"load-{index}-j"},
    )
    assert opened.status_code == 201, opened.text
    journey = opened.json()["id"]
    base = f"/v1/journeys/{journey}"
    reads = [
        ("read journey", base, None),
        ("read worker", f"/v1/workers/{worker}", None),
        ("vocabularies", "/v1/vocabularies", None),
        ("report", "/v1/reports/pillar-activity", {"region": "35.07.12"}),
        ("me", "/v1/me", None),
    ]
    number = 0
    while not stop.is_set():
        number += 1
        started = time.monotonic()
        kind = "?"
        try:
            if pace.random() < 0.33:
                kind, suffix, payload = pace.choice(
                    [
                        ("write counselling", "counselling",
                         {"occurred_on": "2022-01-06", "topics": ["safe_migration"]}),
                        ("write document", "documents",
                         {"kind": "other", "number": f"L{index}-{number}",
                          "issued_on": "2021-12-01", "occurred_on": "2022-01-10"}),
                        ("write indication", "indications",
                         {"occurred_on": "2022-01-20", "indicators": ["excessive_fees"],
                          "note": f"load {index}-{number}"}),
                    ]
                )  # fmt: skip
                response = await client.post(
                    f"{base}/{suffix}",
                    json=payload,
                    headers={**headers, "Idempotency-Key": f"load-{index}-{number}"},
                )
                if response.status_code == 201 and tally.counting:
                    tally.writes[journey] += 1
                elif response.status_code == 201:
                    tally.writes[f"warm-up {journey}"] += 1
            else:
                kind, path, params = pace.choice(reads)
                response = await client.get(path, params=params, headers=headers)
            tally.record(kind, response.status_code, time.monotonic() - started, response.text)
        except httpx.TransportError as error:
            tally.record(kind, None, time.monotonic() - started, type(error).__name__)


async def drive(base: str, tokens: list[str], tally: Tally, on_load: Any) -> float:
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        stop = asyncio.Event()
        devices = [
            asyncio.create_task(device(i, client, tokens[i % len(tokens)], tally, stop))
            for i in range(CLIENTS)
        ]
        await asyncio.sleep(WARM_UP_SECONDS)
        on_load()
        tally.counting = True
        started = time.monotonic()
        await asyncio.sleep(LOAD_SECONDS)
        tally.counting = False
        elapsed = time.monotonic() - started
        stop.set()
        await asyncio.gather(*devices)
    return elapsed


def test_200_clients_mixing_reads_and_writes(
    postgres_url: str, keys: dict[str, str], workdir: Path, report: Report
) -> None:
    with officers_at_work(postgres_url, keys, workdir, OFFICERS) as (server, tokens):
        rss_start = server.rss_kib()
        samples: list[tuple[float, int]] = []
        sampling = threading.Event()
        sampler = threading.Thread(target=rss_sampler, args=(server, samples, sampling))
        tally = Tally()
        marks: dict[str, int] = {}
        cpu: dict[str, float] = {}

        def on_load() -> None:
            marks["rss_after_warm_up"] = server.rss_kib()
            cpu["server"], cpu["client"] = server.cpu_seconds(), time.process_time()
            sampler.start()

        elapsed = asyncio.run(drive(server.base, tokens, tally, on_load))
        sampling.set()
        sampler.join()
        rss_end = server.rss_kib()
        server_cpu = (server.cpu_seconds() - cpu["server"]) / elapsed
        client_cpu = (time.process_time() - cpu["client"]) / elapsed

        requests = sum(len(v) for v in tally.latencies.values())
        assert tally.failures == [], tally.failures
        assert set(tally.statuses) <= {"200", "201"}, tally.statuses
        assert server.unexpected_errors() == []
        # Every acknowledged write is in the store, once (2 set-up writes per journey).
        shape = store_shape(postgres_url)
        written = Counter[str]()
        for key, count in tally.writes.items():
            written[key.removeprefix("warm-up ")] += count
        for journey, count in written.items():
            assert len(shape.versions[journey]) == 1 + count, journey
        # Memory settles: over the second half of the run the resident size stops growing.
        half = samples[len(samples) // 2 :]
        late_growth = half[-1][1] - half[0][1] if len(half) > 1 else 0
        assert late_growth < MAX_LATE_GROWTH_KIB, samples
        everything = [s for values in tally.latencies.values() for s in values]
        writes = [s for kind, v in tally.latencies.items() if kind.startswith("write") for s in v]
        reads = [
            s for kind, v in tally.latencies.items() if not kind.startswith("write") for s in v
        ]
        report(
            f"{CLIENTS} clients for {LOAD_SECONDS:.0f} s on PostgreSQL",
            {
                "requests": requests,
                "requests per second": round(requests / elapsed, 1),
                "writes per second": round(len(writes) / elapsed, 1),
                "errors": requests - tally.statuses["200"] - tally.statuses["201"],
                "all requests": latency_summary(everything),
                "reads": latency_summary(reads),
                "writes": latency_summary(writes),
                "server RSS at start (MiB)": round(rss_start / 1024, 1),
                "server RSS after warm-up (MiB)": round(marks["rss_after_warm_up"] / 1024, 1),
                "server RSS at the end (MiB)": round(rss_end / 1024, 1),
                "RSS growth over the second half (MiB)": round(late_growth / 1024, 1),
                "server CPU (cores busy)": round(server_cpu, 2),
                "test client CPU (cores busy)": round(client_cpu, 2),
                "events in the store": shape.events,
            },
        )
