"""The agenda read model on SQLite and PostgreSQL: items follow the journey's events
(backdated checks, corrections, resolutions), ``as_of`` replays what was known on a past day
under the rules of that day, a new rule version applies at once, a rebuild equals the live
model, and scope is never exceeded.

Events are recorded on chosen days (the events' recording clock is set by the test), since
``as_of`` reads what had been recorded by the end of a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.agenda import ReviseRules
from application.journeys import (
    CheckWelfare,
    CorrectJourney,
    OpenJourney,
    RecordDeparture,
    ReportIncident,
    ResolveIncident,
)
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.readmodels import Query
from application.workers import RegisterWorker
from application.writes import WriteOptions
from domain.agenda_rules import AgendaStatus
from domain.dates import WIB
from domain.events import JejakEvent, Role
from domain.regions import RegionCode
from domain.vocabularies import (
    ContactWith,
    IncidentCategory,
    IncidentOutcome,
    PlacementScheme,
    Severity,
    WelfareStatus,
)
from domain.worker import Sex
from infrastructure.bootstrap import Runtime
from tests.support import OTHER_VILLAGE, VILLAGE, nik_for

P = SYSTEM_PRINCIPAL
NO = WriteOptions()


class RecordingDay:
    """Sets the day (WIB, at noon) the next events are recorded on."""

    def __init__(self) -> None:
        self.moment = datetime.now(UTC)

    def set(self, day: date) -> None:
        self.moment = datetime.combine(day, time(12), tzinfo=WIB).astimezone(UTC)

    def now(self) -> datetime:
        self.moment += timedelta(microseconds=1)
        return self.moment


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> RecordingDay:
    clock = RecordingDay()
    monkeypatch.setattr(JejakEvent, "create_timestamp", staticmethod(clock.now))
    return clock


def officer(village: str) -> Principal:
    return Principal(
        user_id=uuid4(), username="petugas", role=Role.OFFICER, regions=(RegionCode(village),)
    )


def placed_worker(runtime: Runtime, village: str = VILLAGE) -> UUID:
    app = runtime.app
    birth = date(1995, 7, 5)
    worker = app.register_worker(
        P,
        RegisterWorker(
            nik=nik_for(birth, "P"),
            full_name="Siti Aminah",
            sex=Sex.PEREMPUAN,
            birth_date=birth,
            village_code=village,
        ),
        NO,
    ).id
    journey = app.open_journey(
        P,
        OpenJourney(
            worker_id=worker,
            destination_country="TW",
            occupation="caregiver",
            placement_scheme=PlacementScheme.MANDIRI,
            occurred_on=date(2024, 12, 1),
        ),
        NO,
    ).id
    app.record_departure(
        P,
        journey,
        RecordDeparture(
            departed_on=date(2025, 1, 5),
            employer="Chen household",
            contract_start=date(2025, 1, 6),
            contract_end=date(2027, 1, 5),
        ),
        NO,
    )
    return journey


def check(runtime: Runtime, journey: UUID, on: date) -> None:
    runtime.app.check_welfare(
        P,
        journey,
        CheckWelfare(contact_with=ContactWith.WORKER, status=WelfareStatus.OK, occurred_on=on),
        NO,
    )


def caught_up(runtime: Runtime) -> None:
    """Waits until the agenda has applied every event written so far."""
    assert runtime.read_models.wait_for("agenda", runtime.projections.head(), 10)


def agenda(runtime: Runtime, **kwargs: Any) -> dict[tuple[str, str], dict[str, Any]]:
    caught_up(runtime)
    page = runtime.app.agenda(P, region=None, limit=1000, **kwargs)
    return {(str(row["journey_id"]), str(row["item"])): row for row in page.rows}


def due(runtime: Runtime, journey: UUID, item: str, **kwargs: Any) -> date | None:
    row = agenda(runtime, **kwargs).get((str(journey), item))
    return None if row is None else row["due_on"]


def test_items_follow_checks_backdating_incidents_and_corrections(
    runtime: Runtime, recording: RecordingDay
) -> None:
    recording.set(date(2025, 1, 10))
    journey = placed_worker(runtime)
    assert due(runtime, journey, "welfare_check") == date(2025, 2, 4)
    assert due(runtime, journey, "expected_return") == date(2027, 1, 5)

    recording.set(date(2025, 2, 20))
    check(runtime, journey, date(2025, 2, 18))
    assert due(runtime, journey, "welfare_check") == date(2025, 5, 19)

    recording.set(date(2025, 3, 1))
    check(runtime, journey, date(2025, 2, 25))  # recorded late: the clock restarts from it
    runtime.app.report_incident(
        P,
        journey,
        ReportIncident(
            category=IncidentCategory.UNPAID_WAGES,
            severity=Severity.CRITICAL,
            occurred_on=date(2025, 3, 1),
        ),
        NO,
    )
    assert due(runtime, journey, "welfare_check") == date(2025, 5, 26)
    assert due(runtime, journey, "incident:1") == date(2025, 3, 2)

    recording.set(date(2025, 3, 5))
    runtime.app.resolve_incident(
        P,
        journey,
        1,
        ResolveIncident(outcome=IncidentOutcome.RESOLVED, occurred_on=date(2025, 3, 5)),
        NO,
    )
    runtime.app.correct_journey(
        P,
        journey,
        CorrectJourney(
            corrects_version=2, reason="typed wrong", changes={"contract_end": "2026-12-31"}
        ),
        NO,
    )
    now = agenda(runtime)
    assert (str(journey), "incident:1") not in now
    assert now[(str(journey), "expected_return")]["due_on"] == date(2026, 12, 31)

    # As of past days: what had been recorded by the end of each, statuses on that day.
    assert agenda(runtime, as_of=date(2025, 1, 9)) == {}
    first = agenda(runtime, as_of=date(2025, 1, 31))[(str(journey), "welfare_check")]
    assert (first["due_on"], first["status"], first["reason"]) == (
        date(2025, 2, 4),
        "due",
        "departure",
    )
    late = agenda(runtime, as_of=date(2025, 2, 19))[(str(journey), "welfare_check")]
    assert (late["due_on"], late["status"], late["overdue_days"]) == (
        date(2025, 2, 4),
        "overdue",
        15,
    )
    assert due(runtime, journey, "welfare_check", as_of=date(2025, 2, 28)) == date(2025, 5, 19)
    on_march_3 = agenda(runtime, as_of=date(2025, 3, 3))
    incident = on_march_3[(str(journey), "incident:1")]
    assert (incident["status"], incident["overdue_days"]) == ("overdue", 1)
    assert on_march_3[(str(journey), "welfare_check")]["due_on"] == date(2025, 5, 26)
    assert on_march_3[(str(journey), "expected_return")]["due_on"] == date(2027, 1, 5)
    assert (str(journey), "incident:1") not in agenda(runtime, as_of=date(2025, 3, 5))
    overdue = agenda(runtime, as_of=date(2025, 3, 3), status=AgendaStatus.OVERDUE)
    assert set(overdue) == {(str(journey), "incident:1")}


def test_a_new_rule_version_applies_from_its_day_and_as_of_keeps_the_old_one(
    runtime: Runtime, recording: RecordingDay
) -> None:
    recording.set(date(2025, 1, 10))
    journey = placed_worker(runtime)
    check(runtime, journey, date(2025, 2, 1))
    before = due(runtime, journey, "welfare_check")
    assert before == date(2025, 5, 2)
    admin = Principal(user_id=uuid4(), username="admin", role=Role.ADMIN, regions=())
    result = runtime.app.revise_agenda_rules(
        admin,
        ReviseRules(changes={"welfare_check": {"every_days": 60}}, reason="monthly in year one"),
        NO,
    )
    assert result.version == 2
    assert due(runtime, journey, "welfare_check") == date(2025, 4, 2)
    assert due(runtime, journey, "welfare_check", as_of=date(2025, 3, 1)) == date(2025, 5, 2)
    in_force, versions = runtime.app.get_agenda_rules(P)
    assert in_force.version == 2
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].recorded_by == admin.user_id
    assert versions[1].reason == "monthly in year one"


def test_scope_and_summary_per_child_region(runtime: Runtime, recording: RecordingDay) -> None:
    recording.set(date(2025, 1, 10))
    here = placed_worker(runtime, VILLAGE)
    there = placed_worker(runtime, OTHER_VILLAGE)
    caught_up(runtime)
    mine = runtime.app.agenda(officer(VILLAGE), region=None)
    assert {str(row["journey_id"]) for row in mine.rows} == {str(here)}
    assert str(there) not in {str(row["journey_id"]) for row in mine.rows}
    summary = runtime.app.agenda_summary(P, region="35.07.12")
    by_village = {row["region_code"]: row for row in summary.rows}
    assert set(by_village) == {VILLAGE, OTHER_VILLAGE}
    today = runtime.app.services.clock.today()
    for row in by_village.values():
        # The first check (due 2025-02-04) is long overdue; the return is not yet.
        assert row["overdue"] == 1
        assert row["oldest_overdue_on"] == date(2025, 2, 4)
        assert row["most_overdue_days"] == (today - date(2025, 2, 4)).days
    national = runtime.app.agenda_summary(P, region=None)
    assert [row["region_code"] for row in national.rows] == ["35"]
    assert national.rows[0]["overdue"] == 2


def test_pages_follow_the_due_order_without_gaps(runtime: Runtime, recording: RecordingDay) -> None:
    recording.set(date(2025, 1, 10))
    for _ in range(3):
        placed_worker(runtime)
    caught_up(runtime)
    seen: list[tuple[date, str, str]] = []
    after = None
    while True:
        page = runtime.app.agenda(P, region=VILLAGE, after=after, limit=2)
        seen.extend((row["due_on"], str(row["journey_id"]), str(row["item"])) for row in page.rows)
        if page.next_after is None:
            break
        after = page.next_after
    assert len(seen) == 6
    assert seen == sorted(seen)


def test_a_rebuild_equals_the_live_model_and_its_as_of(
    runtime: Runtime, recording: RecordingDay
) -> None:
    recording.set(date(2025, 1, 10))
    journey = placed_worker(runtime)
    recording.set(date(2025, 2, 20))
    check(runtime, journey, date(2025, 2, 18))
    recording.set(date(2025, 4, 2))
    check(runtime, journey, date(2025, 4, 1))
    head = runtime.projections.head()
    runtime.read_models.wait_for("agenda", head, 10)
    tables = ("journeys", "items", "history")
    live = {t: runtime.read_models.query("agenda", Query(table=t, limit=1000)).rows for t in tables}
    assert len(live["history"]) == 2
    past = agenda(runtime, as_of=date(2025, 3, 1))
    runtime.projections.rebuild("agenda")
    rebuilt = {
        t: runtime.read_models.query("agenda", Query(table=t, limit=1000)).rows for t in tables
    }
    assert rebuilt == live
    assert agenda(runtime, as_of=date(2025, 3, 1)) == past
