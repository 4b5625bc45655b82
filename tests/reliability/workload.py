"""The workload of the fault tests: officers following migrant workers through whole
journeys (and treasurers and village officers writing to shared records), every write with
an Idempotency-Key and retried until acknowledged; and the checks that what was
acknowledged is exactly what the store holds."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg

from tests.reliability.harness import Ack, GaveUp, Officer
from tests.support import VILLAGE, journey_body, nik_for, worker_body

#: The event type each write path records (checked against the audit stream).
EVENT_TYPE_BY_STEP = {
    "open": "Journey.Opened",
    "counselling": "Journey.MigrationInfoProvided",
    "documents": "Journey.DocumentRecorded",
    "indications": "Journey.NonProceduralIndicationRaised",
    "resolution": "Journey.IndicationResolved",
    "departure": "Journey.Departed",
    "welfare-checks": "Journey.WelfareChecked",
    "return": "Journey.Returned",
    "reintegration-plan": "Journey.ReintegrationPlanned",
    "reintegration-activities": "Journey.ReintegrationActivityRecorded",
    "closure": "Journey.Closed",
}


def journey_steps(tag: str) -> list[tuple[str, str, dict[str, Any]]]:
    """One whole journey, backdated to 2022-2024 so every date is in the past: (step, path
    suffix, body). Free-text fields carry ``tag`` so each event can be traced to its write."""
    return [
        ("counselling", "counselling", {"occurred_on": "2022-01-06", "topics": ["safe_migration"]}),
        (
            "documents",
            "documents",
            {
                "kind": "passport",
                "number": f"{tag}-passport",
                "issued_on": "2021-12-01",
                "expires_on": "2031-12-01",
                "occurred_on": "2022-01-10",
            },
        ),
        (
            "documents",
            "documents",
            {
                "kind": "work_visa",
                "number": f"{tag}-visa",
                "issued_on": "2021-12-01",
                "expires_on": "2031-12-01",
                "occurred_on": "2022-01-11",
            },
        ),
        (
            "indications",
            "indications",
            {
                "occurred_on": "2022-01-20",
                "indicators": ["excessive_fees"],
                "note": f"{tag}-fees",
            },
        ),
        (
            "resolution",
            "indications/1/resolution",
            {"occurred_on": "2022-02-01", "outcome": "persuaded"},
        ),
        (
            "departure",
            "departure",
            {
                "departed_on": "2022-03-01",
                "employer": f"{tag}-employer",
                "contract_start": "2022-03-02",
                "contract_end": "2024-03-01",
            },
        ),
        (
            "welfare-checks",
            "welfare-checks",
            {
                "occurred_on": "2022-06-01",
                "contact_with": "family",
                "status": "ok",
                "note": f"{tag}-w1",
            },
        ),
        (
            "welfare-checks",
            "welfare-checks",
            {
                "occurred_on": "2023-06-01",
                "contact_with": "family",
                "status": "concern",
                "note": f"{tag}-w2",
            },
        ),
        ("return", "return", {"returned_on": "2024-03-05", "reason": "contract_completed"}),
        (
            "reintegration-plan",
            "reintegration-plan",
            {"occurred_on": "2024-03-10", "needs": ["skills_training"]},
        ),
        (
            "reintegration-activities",
            "reintegration-activities",
            {
                "occurred_on": "2024-03-20",
                "kind": "entrepreneurship_training",
                "note": f"{tag}-ra",
            },
        ),
        ("closure", "closure", {"occurred_on": "2024-04-01", "reason": f"{tag}-closed"}),
    ]


#: Which field of a step's body is echoed by its stored event (to trace the event back).
MARKER_FIELD = {
    "documents": "number",
    "indications": "note",
    "departure": "employer",
    "welfare-checks": "note",
    "reintegration-activities": "note",
    "closure": "reason",
}


@dataclass
class JourneyWriter:
    """One officer's device: registers a worker, then follows them through journey after
    journey until told to stop (finishing the write in hand: it was already sent)."""

    officer: Officer
    index: int
    run: str
    stop: threading.Event
    village: str = VILLAGE
    acks: list[tuple[str, Ack]] = field(default_factory=list)
    failure: BaseException | None = None
    journeys: list[str] = field(default_factory=list)

    def key(self, *parts: object) -> str:
        return "-".join([self.run, f"c{self.index}", *(str(p) for p in parts)])

    def __call__(self) -> None:
        try:
            self._work()
        except (AssertionError, GaveUp) as error:
            self.failure = error
            self.stop.set()

    def _work(self) -> None:
        nik = nik_for(date(1990, 1, 1 + self.index % 28), "L", serial=self.index + 1)
        body = worker_body(
            nik=nik,
            full_name=f"Pekerja {self.run} {self.index}",
            sex="L",
            birth_date=date(1990, 1, 1 + self.index % 28).isoformat(),
            village_code=self.village,
        )
        registered = self.officer.write("/v1/workers", body, self.key("register"))
        self.acks.append(("register", registered))
        worker_id = str(registered.response["id"])
        cycle = 0
        while not self.stop.is_set():
            tag = self.key("j", cycle)
            opened = self.officer.write(
                "/v1/journeys",
                journey_body(worker_id, occurred_on="2022-01-05"),
                self.key(cycle, "open"),
            )
            self.acks.append(("open", opened))
            journey_id = str(opened.response["id"])
            self.journeys.append(journey_id)
            for number, (step, suffix, step_body) in enumerate(journey_steps(tag)):
                ack = self.officer.write(
                    f"/v1/journeys/{journey_id}/{suffix}", step_body, self.key(cycle, number)
                )
                self.acks.append((step, ack))
                if self.stop.is_set():
                    break
            cycle += 1


def writes_by_aggregate(acks: list[tuple[str, Ack]]) -> dict[str, list[int]]:
    by_aggregate: dict[str, list[int]] = {}
    for _, ack in acks:
        by_aggregate.setdefault(str(ack.response["id"]), []).append(int(ack.response["version"]))
    return by_aggregate


def assert_acks_match_store(acks: list[tuple[str, Ack]], versions: dict[str, list[int]]) -> None:
    """Every write was acknowledged once and the store holds exactly those events: for each
    aggregate written, the acknowledged versions are 1..n with no repeat, and n events are
    stored (an extra event would be a duplicate, a missing one a lost write)."""
    seen = Counter((str(a.response["id"]), int(a.response["version"])) for _, a in acks)
    repeated = [key for key, count in seen.items() if count > 1]
    assert not repeated, f"two writes were acknowledged with one version: {repeated[:5]}"
    for aggregate, acked in writes_by_aggregate(acks).items():
        stored = versions.get(aggregate, [])
        assert sorted(acked) == stored, (
            f"{aggregate}: acknowledged versions {sorted(acked)} but stored {stored}"
        )


def assert_events_are_the_writes(officer: Officer, writers: list[JourneyWriter]) -> int:
    """Each journey's history, read back through the auditor's API, holds at each version the
    event of the write acknowledged with that version (type and traced field). Returns the
    number of events compared."""
    compared = 0
    for writer in writers:
        expected: dict[str, dict[int, tuple[str, Ack]]] = {}
        for step, ack in writer.acks:
            if step == "register":
                continue
            expected.setdefault(str(ack.response["id"]), {})[int(ack.response["version"])] = (
                step,
                ack,
            )
        for journey_id, by_version in expected.items():
            stream = officer.get(f"/v1/audit/streams/{journey_id}")
            events = {int(e["version"]): e for e in stream["events"]}
            assert set(events) == set(by_version), journey_id
            for version, (step, ack) in by_version.items():
                event = events[version]
                assert event["type"] == EVENT_TYPE_BY_STEP[step], (
                    journey_id,
                    version,
                    event["type"],
                )
                marker = MARKER_FIELD.get(step)
                if marker is not None:
                    assert event["data"][marker] == ack.body[marker], (journey_id, version)
                compared += 1
    return compared


def positions_of(database_url: str) -> dict[tuple[str, int], int]:
    base, _, query = database_url.partition("?")
    schema = query.removeprefix("schema=") if query.startswith("schema=") else "public"
    with psycopg.connect(base, autocommit=True) as connection:
        rows = connection.execute(
            f'SELECT originator_id, originator_version, notification_id FROM "{schema}".jejak_events'
        ).fetchall()
    return {(str(r[0]), int(r[1])): int(r[2]) for r in rows}


def assert_positions_answered_are_stored(
    acks: list[tuple[str, Ack]], positions: dict[tuple[str, int], int]
) -> None:
    """The position each answer named is where that write's event sits in the feed."""
    for _, ack in acks:
        key = (str(ack.response["id"]), int(ack.response["version"]))
        assert key in positions, f"acknowledged {key} is not in the store"
        assert positions[key] <= int(ack.response["position"]), (key, ack.response)


def retry_figures(writers: list[JourneyWriter]) -> dict[str, Any]:
    attempts = [len(a.attempts) for w in writers for _, a in w.acks]
    unanswered = sum(1 for w in writers for _, a in w.acks for t in a.attempts if t.status is None)
    retried = sum(1 for w in writers for _, a in w.acks if len(a.attempts) > 1)
    replayed = sum(1 for w in writers for _, a in w.acks if a.replayed)
    return {
        "writes acknowledged": len(attempts),
        "writes needing a retry": retried,
        "answered by replay (committed, answer lost)": replayed,
        "attempts without an answer": unanswered,
        "most attempts for one write": max(attempts, default=0),
    }
