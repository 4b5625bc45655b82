"""Retries: officers on poor connections give up waiting and send the same write again with
its Idempotency-Key, often while the first attempt is still being processed.

Against a real `jejak serve` (on SQLite and on PostgreSQL), each write is sent first with a
timeout too short for an answer and then again at once (racing the first attempt), or sent
several times at the same moment from several connections. Whatever order the attempts
arrive and commit in, each key yields exactly one event, and every answer for a key is the
same answer. The writes include creations guarded by a unique claim (a worker's NIK, one
open journey per worker), where a racing retry must replay the first answer, not collide
with it as a duplicate registration."""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.reliability.harness import Officer, Report, Server, seed_users, server_env, token
from tests.support import PASSWORD, VILLAGE, journey_body, nik_for, worker_body

pytestmark = pytest.mark.slow

CLIENTS = 8
RACERS = 4


class Impatient:
    """Sends each write once with a timeout of a few milliseconds (the officer gives up),
    then at once again with the same key, and keeps retrying until answered."""

    def __init__(self, base: str, officer_token: str, seed: int) -> None:
        self.base = base
        self.headers = {"Authorization": f"Bearer {officer_token}"}
        self.random = random.Random(seed)
        self.client = httpx.Client(base_url=base, headers=self.headers, timeout=30)
        self.timeouts = 0

    def send(self, path: str, body: dict[str, Any], key: str) -> list[dict[str, Any]]:
        answers = []
        headers = {"Idempotency-Key": key}
        try:
            first = self.client.post(
                path, json=body, headers=headers, timeout=self.random.uniform(0.001, 0.03)
            )
            answers.append(_answer(first))
        except httpx.TimeoutException:
            self.timeouts += 1
        while True:
            response = self.client.post(path, json=body, headers=headers)
            if response.status_code == 503:
                continue
            answers.append(_answer(response))
            return answers


def _answer(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == 201, (response.status_code, body)
    return {k: body[k] for k in ("id", "version", "position")}


def race(base: str, officer_token: str, path: str, body: dict[str, Any], key: str) -> list[Any]:
    """Sends one keyed write from several connections at the same moment."""
    barrier = threading.Barrier(RACERS)
    answers: list[Any] = []
    lock = threading.Lock()

    def one() -> None:
        with httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {officer_token}"}, timeout=30
        ) as client:
            barrier.wait()
            response = client.post(path, json=body, headers={"Idempotency-Key": key})
        with lock:
            answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=one) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def feed(auditor: Officer) -> list[dict[str, Any]]:
    """The whole global feed, page by page, through the auditor's API."""
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        page = auditor.get("/v1/audit/events", after=after, limit=1000)
        if not page["events"]:
            return events
        events.extend(page["events"])
        after = page["next_after"]


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_retries_that_time_out_or_race_record_exactly_one_event_per_key(
    database_url: str, keys: dict[str, str], workdir: Path, report: Report
) -> None:
    seed_users(
        database_url,
        keys,
        workdir,
        [("petugas", "officer", (VILLAGE,)), ("auditor", "auditor", ())],
    )
    server = Server(server_env(database_url, workdir, keys), workdir)
    server.start()
    try:
        officer_token = token(server.base, "petugas", PASSWORD)
        written: dict[str, list[dict[str, Any]]] = {}
        lock = threading.Lock()
        failures: list[BaseException] = []
        impatient = [Impatient(server.base, officer_token, seed) for seed in range(CLIENTS)]

        def follow(index: int) -> None:
            """One worker: registration, a journey, and writes on it, each retried."""
            client = impatient[index]
            birth = date(1991, 2, 1 + index)
            try:
                steps: list[tuple[str, dict[str, Any]]] = []
                body = worker_body(
                    nik=nik_for(birth, "L", serial=index + 1),
                    sex="L",
                    birth_date=birth.isoformat(),
                    full_name=f"Pekerja {index}",
                )
                answers = client.send("/v1/workers", body, f"r{index}-register")
                worker_id = answers[-1]["id"]
                steps.append((f"r{index}-register", {"answers": answers}))
                opened = client.send(
                    "/v1/journeys",
                    journey_body(worker_id, occurred_on="2022-01-05"),
                    f"r{index}-open",
                )
                journey = opened[-1]["id"]
                steps.append((f"r{index}-open", {"answers": opened}))
                for number in range(6):
                    key = f"r{index}-doc-{number}"
                    document = {
                        "kind": "other",
                        "number": key,
                        "issued_on": "2021-12-01",
                        "occurred_on": "2022-01-10",
                    }
                    answers = client.send(f"/v1/journeys/{journey}/documents", document, key)
                    steps.append((key, {"answers": answers}))
                with lock:
                    for key, value in steps:
                        written[key] = value["answers"]
            except BaseException as error:
                with lock:
                    failures.append(error)

        threads = [threading.Thread(target=follow, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for each in impatient:
            each.client.close()
        assert not failures, failures[0]

        # Several connections sending the same keyed write at the same moment.
        raced: dict[str, list[Any]] = {}
        for index in range(CLIENTS):
            birth = date(1992, 3, 1 + index)
            key = f"race-{index}-register"
            body = worker_body(
                nik=nik_for(birth, "P", serial=100 + index),
                birth_date=birth.isoformat(),
                full_name=f"Pekerja balapan {index}",
            )
            raced[key] = race(server.base, officer_token, "/v1/workers", body, key)
            worker_id = raced[key][0][1]["id"]
            key = f"race-{index}-open"
            raced[key] = race(
                server.base,
                officer_token,
                "/v1/journeys",
                journey_body(worker_id, occurred_on="2022-01-05"),
                key,
            )
            journey = raced[key][0][1]["id"]
            key = f"race-{index}-counselling"
            raced[key] = race(
                server.base,
                officer_token,
                f"/v1/journeys/{journey}/counselling",
                {"occurred_on": "2022-01-06", "topics": ["safe_migration"]},
                key,
            )
        for key, answers in raced.items():
            statuses = [status for status, _ in answers]
            assert statuses == [201] * RACERS, (key, answers)
            distinct = {(b["id"], b["version"], b["position"]) for _, b in answers}
            assert len(distinct) == 1, (key, answers)
            written[key] = [b for _, b in answers]

        for key, answers in written.items():
            assert len({(a["id"], a["version"], a["position"]) for a in answers}) == 1, (
                key,
                answers,
            )
        auditor = Officer(server.base, token(server.base, "auditor", PASSWORD))
        events = feed(auditor)
        auditor.close()
        assert [e["position"] for e in events] == list(range(1, len(events) + 1))
        per_aggregate = Counter(e["aggregate_id"] for e in events)
        keys_per_aggregate = Counter(answers[0]["id"] for answers in written.values())
        for aggregate, count in keys_per_aggregate.items():
            assert per_aggregate[aggregate] == count, (aggregate, count, per_aggregate[aggregate])
        answered_at = {(a[0]["id"], a[0]["version"]) for a in written.values()}
        stored_at = {
            (e["aggregate_id"], e["version"]) for e in events if e["aggregate_id"] in per_aggregate
        }
        assert answered_at == {k for k in stored_at if k[0] in keys_per_aggregate}
        assert server.unexpected_errors() == []
        report(
            f"impatient and racing retries ({database_url.split(':')[0]})",
            {
                "keys written": len(written),
                "first attempts that timed out": sum(c.timeouts for c in impatient),
                "attempts answered": sum(len(a) for a in written.values()),
                "keys sent by 4 connections at once": len(raced),
                "events stored for those keys": sum(keys_per_aggregate.values()),
            },
        )
    finally:
        server.stop()
