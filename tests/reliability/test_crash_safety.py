"""Crash safety: processes killed with SIGKILL in the middle of a load of writes.

Officers keep writing whole journeys against a real `jejak serve` on PostgreSQL, retrying
every unanswered write with its Idempotency-Key, while the server (and with it the
in-process projections) is killed and restarted several times; then the same with the
projections running as their own process (`jejak projections run`) and that process
killed. Afterwards: every acknowledged write is in the store at the version and position it
was answered with, no history and no part of the global feed has a gap, nothing is stored
twice, the hash chains verify, and every projection has caught up with exactly the store
(counters that a double-applied batch would inflate match the store to the rupiah)."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import psycopg
import pytest

from infrastructure.projections.schema import table_name
from tests.reliability.harness import (
    Ack,
    JejakProcess,
    Officer,
    Report,
    Server,
    seed_users,
    server_env,
    store_shape,
    token,
    tracking_positions,
    wait_until,
)
from tests.reliability.workload import (
    JourneyWriter,
    assert_acks_match_store,
    assert_events_are_the_writes,
    assert_positions_answered_are_stored,
    positions_of,
    retry_figures,
)
from tests.support import PASSWORD, VILLAGE

pytestmark = pytest.mark.slow

WRITERS = 16
KILLS = 4
SECONDS_BETWEEN_KILLS = 3.0


def _schema(database_url: str) -> str:
    return database_url.partition("?schema=")[2] or "public"


def activity_rows(database_url: str) -> int:
    """Rows of the actor-activity read model: one per event recorded by someone."""
    schema = _schema(database_url)
    base = database_url.partition("?")[0]
    with psycopg.connect(base, autocommit=True) as connection:
        row = connection.execute(
            f'SELECT generation FROM "{schema}".jejak_projections '
            "WHERE name = 'activity' AND state = 'active'"
        ).fetchone()
        assert row is not None
        table = table_name("activity", int(row[0]), "events")
        count = connection.execute(f'SELECT count(*) FROM "{schema}".{table}').fetchone()
    assert count is not None
    return int(count[0])


def wait_for_projections(database_url: str, timeout: float = 60.0) -> float:
    def caught_up() -> bool:
        head = store_shape(database_url).head
        positions = tracking_positions(database_url)
        return bool(positions) and all(p == head for p in positions.values())

    return wait_until(caught_up, timeout, "the projections to reach the head of the store")


def start_writers(
    server: Server, officer_token: str, run: str, count: int, stop: threading.Event
) -> tuple[list[JourneyWriter], list[threading.Thread]]:
    writers = [
        JourneyWriter(Officer(server.base, officer_token), index, run, stop)
        for index in range(count)
    ]
    threads = [threading.Thread(target=w, name=f"writer-{w.index}") for w in writers]
    for thread in threads:
        thread.start()
    return writers, threads


def finish(writers: list[JourneyWriter], threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(timeout=180)
    for writer in writers:
        writer.officer.close()
    failures = [w.failure for w in writers if w.failure is not None]
    assert not failures, failures[0]
    assert not any(t.is_alive() for t in threads), "a writer never finished"


def test_killing_the_server_mid_load_loses_and_duplicates_nothing(
    postgres_url: str, keys: dict[str, str], workdir: Path, report: Report
) -> None:
    seed_users(
        postgres_url,
        keys,
        workdir,
        [("petugas", "officer", (VILLAGE,)), ("auditor", "auditor", ())],
    )
    server = Server(server_env(postgres_url, workdir, keys), workdir)
    server.start()
    try:
        stop = threading.Event()
        writers, threads = start_writers(
            server, token(server.base, "petugas", PASSWORD), "kill", WRITERS, stop
        )
        restarts: list[float] = []
        events_at_kill: list[int] = []
        try:
            for _ in range(KILLS):
                time.sleep(SECONDS_BETWEEN_KILLS)
                if stop.is_set():
                    break
                server.kill()
                events_at_kill.append(store_shape(postgres_url).events)
                restarts.append(server.start())
            time.sleep(SECONDS_BETWEEN_KILLS)
        finally:
            stop.set()
            finish(writers, threads)

        assert server.kills == KILLS
        acks: list[tuple[str, Ack]] = [a for w in writers for a in w.acks]
        shape = store_shape(postgres_url)  # asserts: no gap in the feed or in any history
        assert_acks_match_store(acks, shape.versions)
        assert_positions_answered_are_stored(acks, positions_of(postgres_url))
        auditor = Officer(server.base, token(server.base, "auditor", PASSWORD))
        compared = assert_events_are_the_writes(auditor, writers)
        verification = auditor.get("/v1/audit/verify")
        assert verification["intact"] is True, verification
        caught_up = wait_for_projections(postgres_url)
        assert activity_rows(postgres_url) == shape.events
        auditor.close()
        assert server.unexpected_errors() == []
        statuses: dict[str, int] = {}
        for writer in writers:
            for status, count in writer.officer.statuses.items():
                statuses[str(status)] = statuses.get(str(status), 0) + count
        report(
            "API server killed with SIGKILL mid-load",
            {
                "writers": WRITERS,
                "server kills": server.kills,
                "events stored at each kill": events_at_kill,
                "restart to /healthz (s)": [round(r, 2) for r in restarts],
                **retry_figures(writers),
                "journeys written": sum(len(w.journeys) for w in writers),
                "events in the store": shape.events,
                "events traced to their write": compared,
                "projections caught up after (s)": round(caught_up, 2),
                "answers seen by the writers": statuses,
            },
        )
    finally:
        server.stop()


class Treasurer:
    """Deposits into one shared cooperative, each amount distinct, until told to stop."""

    def __init__(
        self, officer: Officer, coop: str, member: str, index: int, stop: threading.Event
    ) -> None:
        self.officer, self.coop, self.member, self.index, self.stop = (
            officer,
            coop,
            member,
            index,
            stop,
        )
        self.acks: list[Ack] = []
        self.failure: BaseException | None = None

    def __call__(self) -> None:
        try:
            number = 0
            while not self.stop.is_set():
                amount = 1000 * (self.index + 1) + number
                self.acks.append(
                    self.officer.write(
                        f"/v1/cooperatives/{self.coop}/savings",
                        {
                            "member_id": self.member,
                            "kind": "sukarela",
                            "amount": amount,
                            "occurred_on": "2024-01-15",
                        },
                        f"deposit-{self.index}-{number}",
                    )
                )
                number += 1
        except Exception as error:  # reported by the test
            self.failure = error
            self.stop.set()


class VillageOfficer:
    """Records pillar activities in the village, each with a distinct participant count."""

    def __init__(self, officer: Officer, index: int, stop: threading.Event) -> None:
        self.officer, self.index, self.stop = officer, index, stop
        self.acks: list[Ack] = []
        self.failure: BaseException | None = None

    def __call__(self) -> None:
        try:
            number = 0
            while not self.stop.is_set():
                self.acks.append(
                    self.officer.write(
                        f"/v1/villages/{VILLAGE}/activities",
                        {
                            "pillar": "migration_service",
                            "held_on": "2024-05-02",
                            "title": f"Sosialisasi {self.index}-{number}",
                            "participants": 1 + (number % 40),
                        },
                        f"activity-{self.index}-{number}",
                    )
                )
                number += 1
        except Exception as error:  # reported by the test
            self.failure = error
            self.stop.set()


def test_killing_the_projection_process_mid_load_applies_every_event_exactly_once(
    postgres_url: str, keys: dict[str, str], workdir: Path, report: Report
) -> None:
    seed_users(
        postgres_url,
        keys,
        workdir,
        [
            ("petugas", "officer", (VILLAGE,)),
            ("koordinator", "coordinator", ("35.07",)),
            ("auditor", "auditor", ()),
        ],
    )
    env = server_env(postgres_url, workdir, keys, JEJAK_PROJECTIONS_IN_PROCESS="false")
    server = Server(env, workdir)
    projections = JejakProcess(["projections", "run"], env, workdir, "projections")
    server.start()
    projections.spawn()
    try:
        officer_token = token(server.base, "petugas", PASSWORD)
        coordinator = Officer(server.base, token(server.base, "koordinator", PASSWORD))
        coordinator.write("/v1/villages", {"village_code": VILLAGE, "cohort_year": 2018}, "v")
        setup = Officer(server.base, officer_token)
        coop = setup.write(
            "/v1/cooperatives",
            {
                "name": "Koperasi Desmigratif Ternyang",
                "village_code": VILLAGE,
                "established_on": "2019-03-01",
            },
            "coop",
        ).response["id"]
        members = [
            setup.write(
                f"/v1/cooperatives/{coop}/members",
                {
                    "person": {"name": f"Anggota {i}"},
                    "kind": "community",
                    "occurred_on": "2020-01-02",
                },
                f"member-{i}",
            ).response["member_id"]
            for i in range(4)
        ]
        stop = threading.Event()
        writers, threads = start_writers(server, officer_token, "proj", 8, stop)
        treasurers = [
            Treasurer(Officer(server.base, officer_token), coop, m, i, stop)
            for i, m in enumerate(members)
        ]
        village_officers = [
            VillageOfficer(Officer(server.base, officer_token), i, stop) for i in range(2)
        ]
        others = [threading.Thread(target=t) for t in [*treasurers, *village_officers]]
        for thread in others:
            thread.start()
        lag_at_kill: list[int] = []
        pace = random.Random(9)
        try:
            for _ in range(KILLS):
                # Some kills land while the process catches up on a backlog (a batch open).
                time.sleep(pace.uniform(1.0, SECONDS_BETWEEN_KILLS))
                if stop.is_set():
                    break
                projections.kill()
                head = store_shape(postgres_url).head
                lag_at_kill.append(head - min(tracking_positions(postgres_url).values()))
                time.sleep(1.5)  # down: a backlog builds up
                projections.spawn()
            time.sleep(SECONDS_BETWEEN_KILLS)
        finally:
            stop.set()
            for thread in others:
                thread.join(timeout=180)
            finish(writers, threads)
            for worker in [*treasurers, *village_officers]:
                worker.officer.close()
        failures = [t.failure for t in [*treasurers, *village_officers] if t.failure]
        assert not failures, failures[0]
        assert projections.kills == KILLS

        shape = store_shape(postgres_url)
        acks: list[tuple[str, Ack]] = [a for w in writers for a in w.acks]
        acks += [("deposit", a) for t in treasurers for a in t.acks]
        acks += [("activity", a) for v in village_officers for a in v.acks]
        assert_acks_match_store(
            [a for a in acks if a[0] not in ("deposit", "activity")], shape.versions
        )
        assert_positions_answered_are_stored(acks, positions_of(postgres_url))
        caught_up = wait_for_projections(postgres_url)

        deposited = sum(int(a.body["amount"]) for t in treasurers for a in t.acks)
        books = coordinator.get("/v1/reports/cooperatives", region="35.07")["items"]
        (row,) = [r for r in books if r["cooperative_id"] == coop]
        assert row["savings_sukarela"] == deposited
        assert row["members_active"] == row["members_total"] == len(members)
        held = coordinator.get(f"/v1/cooperatives/{coop}")
        assert sum(int(m["balances"]["sukarela"]) for m in held["members"]) == deposited
        activity_acks = [a for v in village_officers for a in v.acks]
        pillar = coordinator.get("/v1/reports/pillar-activity", region="35.07")["items"]
        assert sum(int(r["activities"]) for r in pillar) == len(activity_acks)
        assert sum(int(r["participants"]) for r in pillar) == sum(
            int(a.body["participants"]) for a in activity_acks
        )
        assert activity_rows(postgres_url) == shape.events
        for client in (coordinator, setup):
            client.close()
        assert server.unexpected_errors() == []
        assert projections.unexpected_errors() == []
        report(
            "projection process killed with SIGKILL mid-load",
            {
                "projection process kills": projections.kills,
                "events not yet projected at each kill": lag_at_kill,
                "journey writes acknowledged": len(acks)
                - len(activity_acks)
                - sum(len(t.acks) for t in treasurers),
                "deposits acknowledged (one cooperative)": sum(len(t.acks) for t in treasurers),
                "rupiah deposited = rupiah in read model": deposited,
                "activities acknowledged = in read model": len(activity_acks),
                "events in the store": shape.events,
                "projections caught up after (s)": round(caught_up, 2),
            },
        )
    finally:
        projections.stop()
        server.stop()
