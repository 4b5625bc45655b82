"""Each projection against hand-made event sequences, on an in-memory view: given events,
then rows. (The database side of running them is tested in tests/integration.)"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from application.projections.activity import ActorActivity
from application.projections.journeys import JourneyBoard
from application.projections.programme import CooperativeBooks, PillarActivity
from application.readmodels import EventEnvelope, Key, Projection, Row
from domain.cooperative import Cooperative, MemberKind, SavingsKind
from domain.events import Actor, Role
from domain.journey import Journey
from domain.regions import RegionCode
from domain.village import DESMIGRATIF, Village, village_id_for
from domain.vocabularies import (
    IncidentCategory,
    IncidentOutcome,
    PlacementScheme,
    ReturnReason,
    Severity,
)

OFFICER = Actor(uuid4(), Role.OFFICER)
VILLAGE = "35.07.12.2001"
AT = datetime(2025, 1, 1, tzinfo=UTC)


class InMemoryView:
    """The ViewSession protocol over dictionaries (a hand-written fake, not a mock)."""

    def __init__(self, projection: type[Projection]) -> None:
        self.keys = {table.name: table.key for table in projection.tables}
        self.rows: dict[str, dict[Key, Row]] = {table.name: {} for table in projection.tables}

    def get(self, table: str, key: Key) -> Row | None:
        row = self.rows[table].get(tuple(key))
        return None if row is None else dict(row)

    def put(self, table: str, row: Row) -> None:
        self.rows[table][tuple(row[c] for c in self.keys[table])] = dict(row)

    def delete(self, table: str, key: Key) -> None:
        self.rows[table].pop(tuple(key), None)

    def add(self, table: str, key: Key, deltas: Mapping[str, int]) -> None:
        row = self.get(table, key) or dict(zip(self.keys[table], key, strict=True))
        for column, delta in deltas.items():
            row[column] = int(row.get(column) or 0) + delta
        self.put(table, row)


def run(projection: Projection, events: Sequence[Any], view: InMemoryView) -> None:
    """Feeds events as the runner does, evolving aggregates when the projection asks."""
    aggregates: dict[UUID, Any] = {}
    for position, event in enumerate(events, start=1):
        facts = None
        if type(event).TOPIC.startswith(projection.aggregates):
            aggregates[event.originator_id] = event.mutate(aggregates.get(event.originator_id))
            facts = projection.extract(aggregates[event.originator_id])
        projection.apply(
            EventEnvelope(
                position=position,
                aggregate_id=event.originator_id,
                version=event.originator_version,
                topic=type(event).TOPIC,
                recorded_at=AT,
                event=event,
                facts=facts,
            ),
            view,
        )


def journey_events() -> tuple[Journey, list[Any]]:
    journey = Journey.open(
        worker_id=uuid4(),
        village_code=VILLAGE,
        destination_country="TW",
        occupation="caregiver",
        placement_scheme=PlacementScheme.MANDIRI,
        p3mi=None,
        actor=OFFICER,
        occurred_on=date(2024, 1, 2),
    )
    journey.record_departure(
        departed_on=date(2024, 3, 1),
        employer="Chen household",
        contract_start=date(2024, 3, 2),
        contract_end=date(2026, 3, 1),
        worker_birth_date=date(1990, 1, 1),
        actor=OFFICER,
    )
    journey.report_incident(
        category=IncidentCategory.UNPAID_WAGES,
        severity=Severity.HIGH,
        note=None,
        actor=OFFICER,
        occurred_on=date(2024, 5, 1),
    )
    journey.resolve_incident(
        1,
        outcome=IncidentOutcome.COMPENSATED,
        note=None,
        actor=OFFICER,
        occurred_on=date(2024, 6, 1),
    )
    journey.report_incident(
        category=IncidentCategory.LOSS_OF_CONTACT,
        severity=Severity.CRITICAL,
        note=None,
        actor=OFFICER,
        occurred_on=date(2024, 7, 1),
    )
    journey.record_return(
        returned_on=date(2025, 1, 10), reason=ReturnReason.EARLY_TERMINATION, actor=OFFICER
    )
    return journey, list(journey.collect_events())


def test_a_journey_row_follows_the_case_with_its_flags_and_counts() -> None:
    journey, events = journey_events()
    view = InMemoryView(JourneyBoard)
    run(JourneyBoard(), events, view)
    row = view.rows["journeys"][(str(journey.id),)]
    assert row["stage"] == "returned"
    assert row["non_procedural"] is True  # a mandiri departure with no documents recorded
    assert row["non_procedural_reasons"] == ["missing_document"]
    assert (row["departure_year"], row["returned_on"], row["return_reason"]) == (
        2024,
        date(2025, 1, 10),
        "early_termination",
    )
    assert row["last_help_on"] == date(2025, 1, 10)
    assert row["open_incidents"] == 1
    assert row["regency_code"] == "35.07"
    counts = {key: r["journeys"] for key, r in view.rows["stage_counts"].items() if r["journeys"]}
    assert counts == {
        ("35", "returned"): 1,
        ("35.07", "returned"): 1,
        ("35.07.12", "returned"): 1,
        (VILLAGE, "returned"): 1,
    }
    assert view.rows["destinations"][("35.07", 2024, "TW")]["departures"] == 1
    statuses = {key[1]: r["status"] for key, r in view.rows["incidents"].items()}
    assert statuses == {1: "resolved", 2: "open"}


def test_a_correction_of_the_destination_moves_the_departure() -> None:
    journey, events = journey_events()
    journey.correct(
        corrects_version=1,
        reason="wrong country",
        changes={"destination_country": "HK"},
        actor=OFFICER,
        occurred_on=date(2025, 2, 1),
        latest_today=date(2025, 2, 1),
        worker_birth_date=date(1990, 1, 1),
    )
    events += list(journey.collect_events())
    view = InMemoryView(JourneyBoard)
    run(JourneyBoard(), events, view)
    departures = {
        key: r["departures"] for key, r in view.rows["destinations"].items() if key[0] == "35"
    }
    assert departures == {("35", 2024, "TW"): 0, ("35", 2024, "HK"): 1}


def test_cooperative_books_add_up() -> None:
    coop = Cooperative.establish(
        name="Koperasi Sejahtera",
        village=RegionCode(VILLAGE),
        legal_entity_number=None,
        actor=OFFICER,
        established_on=date(2020, 1, 1),
    )
    member = coop.admit_member(
        kind=MemberKind.FAMILY,
        worker_id=None,
        name="Sri",
        nik=None,
        actor=OFFICER,
        occurred_on=date(2020, 1, 2),
    )
    coop.deposit_savings(
        member_id=member,
        kind=SavingsKind.POKOK,
        amount=100_000,
        actor=OFFICER,
        occurred_on=date(2020, 1, 3),
    )
    coop.deposit_savings(
        member_id=member,
        kind=SavingsKind.SUKARELA,
        amount=50_000,
        actor=OFFICER,
        occurred_on=date(2020, 1, 3),
    )
    loan = coop.disburse_loan(
        member_id=member,
        principal=1_000_000,
        term_months=10,
        purpose="warung",
        actor=OFFICER,
        occurred_on=date(2020, 2, 1),
    )
    coop.repay_loan(loan_id=loan, amount=400_000, actor=OFFICER, occurred_on=date(2020, 3, 1))
    view = InMemoryView(CooperativeBooks)
    run(CooperativeBooks(), list(coop.collect_events()), view)
    row = view.rows["cooperatives"][(str(coop.id),)]
    assert (row["members_active"], row["savings_pokok"], row["savings_sukarela"]) == (
        1,
        100_000,
        50_000,
    )
    assert (row["loans_principal"], row["loans_repaid"], row["loans_outstanding"]) == (
        1_000_000,
        400_000,
        600_000,
    )


def test_pillar_activity_counts_per_village_month_and_pillar() -> None:
    village = Village.designate(
        code=RegionCode(VILLAGE),
        cohort_year=2018,
        programme=DESMIGRATIF,
        actor=OFFICER,
        occurred_on=date(2018, 5, 1),
    )
    for held_on, pillar, people in (
        (date(2024, 3, 2), "migration_service", 20),
        (date(2024, 3, 9), "migration_service", 5),
    ):
        village.hold_activity(
            pillar=pillar,
            held_on=held_on,
            title="Sosialisasi",
            participants=people,
            participant_worker_ids=(),
            actor=OFFICER,
        )
    view = InMemoryView(PillarActivity)
    run(PillarActivity(), list(village.collect_events()), view)
    assert view.rows["villages"][(str(village_id_for(RegionCode(VILLAGE))),)]["cohort_year"] == 2018
    row = view.rows["activity"][(VILLAGE, "2024-03", "migration_service")]
    assert (row["activities"], row["participants"], row["year"]) == (2, 25, 2024)


def test_every_event_is_listed_under_the_user_who_recorded_it() -> None:
    _, events = journey_events()
    view = InMemoryView(ActorActivity)
    run(ActorActivity(), events, view)
    rows = sorted(view.rows["events"].values(), key=lambda r: r["position"])
    assert {r["actor_id"] for r in rows} == {str(OFFICER.user_id)}
    assert [r["type"] for r in rows][:2] == ["Journey.Opened", "Journey.Departed"]
