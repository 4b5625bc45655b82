"""Concurrency through a real `jejak serve` (SQLite and PostgreSQL): many officers writing
to one record at the same moment, each on a connection of their own.

- Without If-Match every write lands, and the versions answered are consecutive.
- With the same If-Match exactly one write wins; every other gets 412 in the error shape.
- Concurrent repayments of one loan never repay more than was lent."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.reliability.harness import (
    Officer,
    Report,
    Server,
    latency_summary,
    seed_users,
    server_env,
    token,
)
from tests.support import PASSWORD, VILLAGE, journey_body, worker_body

pytestmark = pytest.mark.slow

WRITERS = 100


def at_once(
    base: str, officer_token: str, count: int, send: Callable[[httpx.Client, int], httpx.Response]
) -> list[tuple[int, Any, float]]:
    """Runs ``send`` from ``count`` clients released together by a barrier.

    Each connects after the barrier: a connection opened before it sat idle while a loaded
    machine started the other threads, past the server's keep-alive timeout, and the
    server rightly closed it under the first request (a POST is not retried). A request
    that fails without an answer is kept as status 0 with its error, so the counts show it."""
    barrier = threading.Barrier(count, timeout=60)
    results: list[tuple[int, Any, float]] = []
    lock = threading.Lock()

    def one(index: int) -> None:
        with httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {officer_token}"}, timeout=60
        ) as client:
            barrier.wait()
            started = time.monotonic()
            try:
                response = send(client, index)
            except httpx.TransportError as error:
                outcome: tuple[int, Any, float] = (0, repr(error), time.monotonic() - started)
            else:
                outcome = (response.status_code, response.json(), time.monotonic() - started)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_many_writers_on_one_record(
    database_url: str, keys: dict[str, str], workdir: Path, report: Report
) -> None:
    seed_users(
        database_url,
        keys,
        workdir,
        [("petugas", "officer", (VILLAGE,)), ("koordinator", "coordinator", ("35.07",))],
    )
    server = Server(server_env(database_url, workdir, keys), workdir)
    server.start()
    try:
        officer_token = token(server.base, "petugas", PASSWORD)
        setup = Officer(server.base, officer_token)
        worker = setup.write("/v1/workers", worker_body(), "w").response["id"]
        journey = setup.write(
            "/v1/journeys", journey_body(worker, occurred_on="2022-01-05"), "j"
        ).response["id"]

        # Without If-Match: every write lands, on consecutive versions.
        def document(client: httpx.Client, index: int) -> httpx.Response:
            return client.post(
                f"/v1/journeys/{journey}/documents",
                json={
                    "kind": "other",
                    "number": f"DOC-{index}",
                    "issued_on": "2021-12-01",
                    "occurred_on": "2022-01-10",
                },
            )

        unpinned = at_once(server.base, officer_token, WRITERS, document)
        assert Counter(status for status, _, _ in unpinned) == {201: WRITERS}, unpinned
        versions = sorted(body["version"] for _, body, _ in unpinned)
        assert versions == list(range(2, 2 + WRITERS))
        positions = sorted(body["position"] for _, body, _ in unpinned)
        assert len(set(positions)) == WRITERS
        read = setup.get(f"/v1/journeys/{journey}")
        assert read["version"] == 1 + WRITERS
        assert sorted(d["number"] for d in read["documents"]) == sorted(
            f"DOC-{i}" for i in range(WRITERS)
        )

        # With the same If-Match: one wins, the others are told the record moved on.
        pinned_version = read["version"]

        def pinned(client: httpx.Client, index: int) -> httpx.Response:
            return client.post(
                f"/v1/journeys/{journey}/counselling",
                json={"occurred_on": "2022-01-06", "topics": ["safe_migration"]},
                headers={"If-Match": f'"{pinned_version}"'},
            )

        racing = at_once(server.base, officer_token, WRITERS, pinned)
        assert Counter(status for status, _, _ in racing) == {201: 1, 412: WRITERS - 1}
        (winner,) = [body for status, body, _ in racing if status == 201]
        assert winner["version"] == pinned_version + 1
        for status, body, _ in racing:
            if status == 412:
                assert body["error"]["code"] == "version_mismatch"
                assert body["error"]["details"]["expected"] == pinned_version
                assert set(body["error"]) == {"code", "message", "details"}
        assert setup.get(f"/v1/journeys/{journey}")["version"] == pinned_version + 1

        # Repayments racing on one loan never repay more than was lent.
        coordinator = Officer(server.base, token(server.base, "koordinator", PASSWORD))
        coordinator.write("/v1/villages", {"village_code": VILLAGE, "cohort_year": 2018}, "v")
        coop = setup.write(
            "/v1/cooperatives",
            {"name": "Koperasi Ternyang", "village_code": VILLAGE, "established_on": "2019-03-01"},
            "c",
        ).response["id"]
        member = setup.write(
            f"/v1/cooperatives/{coop}/members",
            {"person": {"name": "Sri"}, "kind": "family", "occurred_on": "2020-01-02"},
            "m",
        ).response["member_id"]
        principal = 1_000_000
        loan = setup.write(
            f"/v1/cooperatives/{coop}/loans",
            {
                "member_id": member,
                "principal": principal,
                "term_months": 12,
                "purpose": "Modal usaha",
                "occurred_on": "2024-02-01",
            },
            "l",
        ).response["loan_id"]
        amounts = [30_000 + 7_919 * (i % 11) for i in range(WRITERS)]  # sum beyond the loan

        def repay(client: httpx.Client, index: int) -> httpx.Response:
            return client.post(
                f"/v1/cooperatives/{coop}/loans/{loan}/repayments",
                json={"amount": amounts[index], "occurred_on": "2024-03-01"},
            )

        repayments = at_once(server.base, officer_token, WRITERS, repay)
        statuses = Counter(status for status, _, _ in repayments)
        assert set(statuses) <= {201, 409}, repayments
        refused = {b["error"]["code"] for s, b, _ in repayments if s == 409}
        assert refused <= {"repayment_exceeds_outstanding", "loan_already_repaid"}
        held = setup.get(f"/v1/cooperatives/{coop}")
        (shown,) = held["loans"]
        repaid_ok = [b for s, b, _ in repayments if s == 201]
        assert shown["repaid"] <= principal
        assert shown["repaid"] + shown["outstanding"] == principal
        assert sum(amounts) > principal
        assert len(repaid_ok) == statuses[201]
        assert min(b["outstanding"] for b in repaid_ok) == shown["outstanding"]
        # Whatever was refused was refused because it no longer fitted.
        assert shown["outstanding"] < max(amounts)
        for client in (setup, coordinator):
            client.close()
        assert server.unexpected_errors() == []
        report(
            f"{WRITERS} writers on one record ({database_url.split(':')[0]})",
            {
                "without If-Match: 201": statuses_of(unpinned),
                "without If-Match latency": latency_summary([e for _, _, e in unpinned]),
                "same If-Match": statuses_of(racing),
                "repayments": statuses_of(repayments),
                "lent / repaid / outstanding": (principal, shown["repaid"], shown["outstanding"]),
            },
        )
    finally:
        server.stop()


def statuses_of(results: list[tuple[int, Any, float]]) -> dict[int, int]:
    return dict(sorted(Counter(status for status, _, _ in results).items()))
