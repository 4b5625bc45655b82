"""A login flood while officers work: 45 clients, each from an address of its own on the
loopback range (as a botnet would come from many), send wrong passwords as fast as they are
answered to one real `jejak serve` with production Argon2 hashing, while four officers who
are already signed in keep reading.

It fails if an officer's request fails, if a flooding request gets anything but 401, 429
or 503 (the 503 with Retry-After, at once, when every password check slot is taken), or if
the server's memory grows by more than a few password checks' worth (each Argon2 check takes
64 MiB: before the checks were bounded, 45 at once took 1.4 GiB). The officers' latency
alone and under the flood is printed (docs/reliability.md keeps the figures): speed is for
reading, not asserting."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.reliability.harness import Report, latency_summary, officers_at_work, rss_sampler
from tests.support import PASSWORD

pytestmark = pytest.mark.slow

ATTACKERS = 45
OFFICERS = 4
QUIET_SECONDS = 5.0
FLOOD_SECONDS = 15.0
#: Growth of the resident size allowed during the flood: a few concurrent Argon2 checks
#: (64 MiB each) and the allocator's slack, far below one check per flooding client.
MAX_FLOOD_GROWTH_MIB = 400
OFFICER_READS = ("/v1/me", "/v1/vocabularies", "/v1/reports/journeys")


@dataclass
class Flood:
    statuses: Counter[int] = field(default_factory=Counter)
    busy_without_retry_after: int = 0
    unexpected: list[str] = field(default_factory=list)
    busy_latencies: list[float] = field(default_factory=list)


async def attacker(index: int, base: str, flood: Flood, stop: asyncio.Event) -> None:
    """Wrong passwords for made-up names, from 127.0.1.<index>, one after another."""
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.1.{10 + index}")
    async with httpx.AsyncClient(base_url=base, transport=transport, timeout=120) as client:
        attempt = 0
        while not stop.is_set():
            attempt += 1
            started = time.monotonic()
            try:
                response = await client.post(
                    "/v1/auth/token",
                    data={"username": f"tebak.{index}.{attempt % 7}", "password": "wrong guess 1"},
                )
            except httpx.TransportError as error:
                flood.unexpected.append(type(error).__name__)
                continue
            flood.statuses[response.status_code] += 1
            if response.status_code == 503:
                flood.busy_latencies.append(time.monotonic() - started)
                if not response.headers.get("retry-after"):
                    flood.busy_without_retry_after += 1
            elif response.status_code not in (401, 429) and len(flood.unexpected) < 20:
                flood.unexpected.append(f"{response.status_code} {response.text[:200]}")


async def officer(
    client: httpx.AsyncClient,
    bearer: str,
    latencies: dict[str, list[float]],
    phase: list[str],
    failures: list[str],
    stop: asyncio.Event,
) -> None:
    headers = {"Authorization": f"Bearer {bearer}"}
    number = 0
    while not stop.is_set():
        path = OFFICER_READS[number % len(OFFICER_READS)]
        number += 1
        started = time.monotonic()
        current = phase[0]
        try:
            response = await client.get(path, headers=headers)
        except httpx.TransportError as error:
            failures.append(f"{path}: {type(error).__name__}")
            continue
        latencies.setdefault(current, []).append(time.monotonic() - started)
        if response.status_code != 200 and len(failures) < 20:
            failures.append(f"{path}: {response.status_code} {response.text[:200]}")


async def drive(
    base: str, bearers: list[str], flood: Flood, on_phase: Callable[[], None]
) -> dict[str, list[float]]:
    latencies: dict[str, list[float]] = {}
    failures: list[str] = []
    phase = ["quiet"]
    stop_officers, stop_flood = asyncio.Event(), asyncio.Event()
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        officers = [
            asyncio.create_task(officer(client, b, latencies, phase, failures, stop_officers))
            for b in bearers
        ]
        await asyncio.sleep(QUIET_SECONDS)
        phase[0] = "flood"
        on_phase()
        attackers = [
            asyncio.create_task(attacker(i, base, flood, stop_flood)) for i in range(ATTACKERS)
        ]
        await asyncio.sleep(FLOOD_SECONDS)
        phase[0] = "draining"
        stop_flood.set()
        await asyncio.gather(*attackers)
        stop_officers.set()
        await asyncio.gather(*officers)
    assert failures == [], failures
    return latencies


def test_a_login_flood_leaves_signed_in_officers_working(
    postgres_url: str, keys: dict[str, str], workdir: Path, report: Report
) -> None:
    with officers_at_work(postgres_url, keys, workdir, OFFICERS) as (server, bearers):
        flood = Flood()
        samples: list[tuple[float, int]] = []
        sampling = threading.Event()
        sampler = threading.Thread(target=rss_sampler, args=(server, samples, sampling))
        before: list[int] = []

        def flood_starts() -> None:
            before.append(server.rss_kib())
            sampler.start()

        latencies = asyncio.run(drive(server.base, bearers, flood, flood_starts))
        sampling.set()
        sampler.join()
        after_login = httpx.post(
            f"{server.base}/v1/auth/token",
            data={"username": "petugas.0", "password": PASSWORD},
            timeout=30,
        ).status_code
        peak = max([before[0], *(rss for _, rss in samples)])
        report(
            f"{ATTACKERS} clients flooding wrong logins for {FLOOD_SECONDS:.0f} s, "
            f"{OFFICERS} officers reading",
            {
                "officers alone": latency_summary(latencies.get("quiet", [])),
                "officers under the flood": latency_summary(latencies.get("flood", [])),
                "officer requests alone / flooded": (
                    f"{len(latencies.get('quiet', []))} / {len(latencies.get('flood', []))}"
                ),
                "flood answers": dict(sorted(flood.statuses.items())),
                "503 answered in": latency_summary(flood.busy_latencies),
                "server RSS before the flood (MiB)": round(before[0] / 1024, 1),
                "server RSS peak (MiB)": round(peak / 1024, 1),
                "login after the flood": after_login,
            },
        )
        assert flood.unexpected == [], flood.unexpected
        assert flood.statuses[503] > 0, "the password checks were never bounded"
        assert flood.busy_without_retry_after == 0
        growth_mib = (peak - before[0]) / 1024
        assert growth_mib < MAX_FLOOD_GROWTH_MIB, f"grew by {growth_mib:.0f} MiB"
        assert after_login == 200
        assert server.unexpected_errors() == []
