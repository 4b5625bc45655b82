"""The journey's rules, as given events / when a command / then events or an error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import project_aggregate
from eventsourcing.domain import CanMutateAggregate

from domain.errors import InvalidValue
from domain.events import ERASED, SYSTEM
from domain.journey import AlreadyResolved, Journey, JourneyStageConflict
from domain.vocabularies import (
    REQUIRED_DOCUMENTS,
    ContactWith,
    DocumentKind,
    IncidentCategory,
    IncidentOutcome,
    IndicationOutcome,
    Indicator,
    MigrationTopic,
    PlacementScheme,
    ReintegrationActivityKind,
    ReintegrationNeed,
    ReturnReason,
    Severity,
    WelfareStatus,
)

Event = CanMutateAggregate[UUID]
Step = Callable[[Journey], object]

ADULT = date(1995, 7, 5)
DEPARTED_ON = date(2024, 3, 1)
TODAY = date(2025, 1, 1)


# Given / when / then ---------------------------------------------------------------


def history(*steps: Step, scheme: PlacementScheme = PlacementScheme.P3MI) -> list[Event]:
    """The events a journey recorded: opened, then each step."""
    journey = Journey.open(
        worker_id=uuid4(),
        village_code="35.07.12.2001",
        destination_country="TW",
        occupation="caregiver",
        placement_scheme=scheme,
        p3mi={"name": "PT Contoh", "licence_number": "KEP 1/2020"}
        if scheme is PlacementScheme.P3MI
        else None,
        actor=SYSTEM,
        occurred_on=date(2024, 1, 2),
    )
    for step in steps:
        step(journey)
    return list(journey.collect_events())


def given(events: Sequence[Event]) -> Journey:
    """A journey rebuilt from its events alone, as the repository would."""
    journey = project_aggregate(None, events)
    assert isinstance(journey, Journey)
    return journey


def then(journey: Journey) -> list[Event]:
    """The events a command recorded."""
    return list(journey.collect_events())


# Steps --------------------------------------------------------------------------------


def document(kind: DocumentKind, **overrides: Any) -> Step:
    values: dict[str, Any] = {
        "kind": kind,
        "number": "A-1",
        "issued_on": date(2024, 1, 10),
        "expires_on": date(2034, 1, 10),
        "actor": SYSTEM,
        "occurred_on": date(2024, 1, 15),
    }
    values.update(overrides)
    return lambda journey: journey.record_document(**values)


def all_documents(scheme: PlacementScheme = PlacementScheme.P3MI) -> list[Step]:
    kinds = list(REQUIRED_DOCUMENTS)
    if scheme is PlacementScheme.P3MI:
        kinds.append(DocumentKind.PLACEMENT_AGREEMENT)
    return [document(kind) for kind in kinds]


def indication(note: str | None = None) -> Step:
    return lambda journey: journey.raise_indication(
        indicators=[Indicator.UNLICENSED_RECRUITER],
        note=note,
        actor=SYSTEM,
        occurred_on=date(2024, 1, 20),
    )


def resolution(on: date = date(2024, 2, 1), number: int = 1) -> Step:
    return lambda journey: journey.resolve_indication(
        number, outcome=IndicationOutcome.PERSUADED, note=None, actor=SYSTEM, occurred_on=on
    )


def departure(birth_date: date | None = ADULT, **overrides: Any) -> Step:
    values: dict[str, Any] = {
        "departed_on": DEPARTED_ON,
        "employer": "Chen household",
        "contract_start": date(2024, 3, 2),
        "contract_end": date(2026, 3, 1),
        "worker_birth_date": birth_date,
        "actor": SYSTEM,
    }
    values.update(overrides)
    return lambda journey: journey.record_departure(**values)


def returned(on: date = date(2026, 3, 5)) -> Step:
    return lambda journey: journey.record_return(
        returned_on=on, reason=ReturnReason.CONTRACT_COMPLETED, actor=SYSTEM
    )


def plan() -> Step:
    return lambda journey: journey.plan_reintegration(
        needs=[ReintegrationNeed.SKILLS_TRAINING], actor=SYSTEM, occurred_on=date(2026, 4, 1)
    )


def cancel(leave_open_reason: str | None = None) -> Step:
    return lambda journey: journey.cancel(
        reason="stayed", leave_open_reason=leave_open_reason, actor=SYSTEM, occurred_on=TODAY
    )


def close(leave_open_reason: str | None = None) -> Step:
    return lambda journey: journey.close(
        reason="done", leave_open_reason=leave_open_reason, actor=SYSTEM, occurred_on=TODAY
    )


#: An order test raises an indication first: ending the journey leaves it open.
LEFT = "the sponsor cannot be found"


def correct(version: int, **changes: object) -> Step:
    return lambda journey: journey.correct(
        corrects_version=version,
        reason="mistyped",
        changes=changes,
        worker_birth_date=ADULT,
        latest_today=TODAY,
        actor=SYSTEM,
        occurred_on=TODAY,
    )


def reasons(journey: Journey) -> list[dict[str, Any]]:
    return [dict(reason) for reason in journey.flags.non_procedural_reasons]


# Opening ------------------------------------------------------------------------------


def test_opening_records_the_worker_village_and_placement() -> None:
    (opened,) = history()
    assert isinstance(opened, Journey.Opened)
    journey = given([opened])
    assert journey.stage == "pre_departure"
    assert journey.village_code == "35.07.12.2001"
    assert journey.worker_id == opened.worker_id
    assert journey.opening["p3mi"] == {"name": "PT Contoh", "licence_number": "KEP 1/2020"}
    assert journey.is_open


@pytest.mark.parametrize(
    ("scheme", "p3mi", "country", "field"),
    [
        (PlacementScheme.P3MI, None, "TW", "p3mi"),
        (PlacementScheme.MANDIRI, {"name": "PT X", "licence_number": "1"}, "TW", "p3mi"),
        (PlacementScheme.G_TO_G, None, "XX", "destination_country"),
        (PlacementScheme.G_TO_G, None, "ID", "destination_country"),
        (PlacementScheme.P3MI, {"name": " ", "licence_number": "1"}, "TW", "p3mi.name"),
    ],
)
def test_an_opening_with_an_inconsistent_placement_is_refused(
    scheme: PlacementScheme, p3mi: Any, country: str, field: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        Journey.open(
            worker_id=uuid4(),
            village_code="35.07.12.2001",
            destination_country=country,
            occupation="caregiver",
            placement_scheme=scheme,
            p3mi=p3mi,
            actor=SYSTEM,
            occurred_on=TODAY,
        )
    assert raised.value.params["field"] == field


def test_country_codes_are_stored_in_capitals() -> None:
    journey = Journey.open(
        worker_id=uuid4(),
        village_code="35.07.12.2001",
        destination_country="hk",
        occupation="domestic worker",
        placement_scheme=PlacementScheme.UKPS,
        p3mi=None,
        actor=SYSTEM,
        occurred_on=TODAY,
    )
    assert journey.destination_country == "HK"


# Order --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "command", "stage"),
    [
        ([cancel(LEFT)], departure(), "cancelled"),
        ([], returned(), "pre_departure"),
        ([], plan(), "pre_departure"),
        ([departure()], plan(), "placement"),
        ([departure()], cancel(), "placement"),
        ([departure()], indication(), "placement"),
        ([], close(), "pre_departure"),
        ([departure(), returned(), close(LEFT)], document(DocumentKind.PASSPORT), "closed"),
        ([departure(), returned(), close(LEFT)], plan(), "closed"),
        ([cancel(LEFT)], resolution(), "cancelled"),
        (
            [],
            lambda j: j.check_welfare(
                contact_with=ContactWith.FAMILY,
                status=WelfareStatus.OK,
                note=None,
                actor=SYSTEM,
                occurred_on=TODAY,
            ),
            "pre_departure",
        ),
        (
            [departure()],
            lambda j: j.record_reintegration_activity(
                kind=ReintegrationActivityKind.COUNSELLING,
                note=None,
                actor=SYSTEM,
                occurred_on=TODAY,
            ),
            "placement",
        ),
        (
            [departure(), returned(), close(LEFT)],
            lambda j: j.report_incident(
                category=IncidentCategory.OTHER,
                severity=Severity.LOW,
                note=None,
                actor=SYSTEM,
                occurred_on=TODAY,
            ),
            "closed",
        ),
    ],
)
def test_a_command_out_of_order_is_refused_naming_the_current_stage(
    steps: list[Step], command: Step, stage: str
) -> None:
    journey = given(history(indication(), *steps))
    with pytest.raises(JourneyStageConflict) as raised:
        command(journey)
    assert raised.value.params["stage"] == stage
    assert f"stage {stage}" in raised.value.message
    assert then(journey) == []


def test_the_stages_run_from_departure_to_closure() -> None:
    journey = given(history())
    stages = []
    for step in (departure(), returned(), plan(), close()):
        step(journey)
        stages.append(journey.stage)
    assert stages == ["placement", "returned", "reintegration", "closed"]
    assert [type(e).__name__ for e in then(journey)] == [
        "Departed",
        "Returned",
        "ReintegrationPlanned",
        "Closed",
    ]
    assert not journey.is_open


def test_a_journey_may_close_after_return_without_reintegration() -> None:
    journey = given(history(departure(), returned()))
    close()(journey)
    (closed,) = then(journey)
    assert isinstance(closed, Journey.Closed)
    assert journey.stage == "closed"


def test_incidents_may_be_reported_before_departure_and_resolved_once() -> None:
    journey = given(history())
    number = journey.report_incident(
        category=IncidentCategory.JOB_FRAUD,
        severity=Severity.HIGH,
        note="asked for a deposit",
        actor=SYSTEM,
        occurred_on=TODAY,
    )
    journey.resolve_incident(
        number, outcome=IncidentOutcome.REFERRED, note=None, actor=SYSTEM, occurred_on=TODAY
    )
    reported, resolved = then(journey)
    assert isinstance(reported, Journey.IncidentReported)
    assert reported.incident_id == 1
    assert isinstance(resolved, Journey.IncidentResolved)
    with pytest.raises(AlreadyResolved):
        journey.resolve_incident(
            1, outcome=IncidentOutcome.RESOLVED, note=None, actor=SYSTEM, occurred_on=TODAY
        )


def test_an_indication_is_resolved_only_once() -> None:
    journey = given(history(indication(), resolution()))
    with pytest.raises(AlreadyResolved):
        resolution()(journey)


def test_counselling_records_each_topic_once() -> None:
    journey = given(history())
    journey.provide_migration_info(
        topics=[MigrationTopic.SAFE_MIGRATION, MigrationTopic.SAFE_MIGRATION, MigrationTopic.OTHER],
        actor=SYSTEM,
        occurred_on=TODAY,
    )
    (provided,) = then(journey)
    assert isinstance(provided, Journey.MigrationInfoProvided)
    assert provided.topics == ["safe_migration", "other"]


# Flags --------------------------------------------------------------------------------


def test_a_departure_with_every_document_and_no_indication_is_procedural() -> None:
    journey = given(history(*all_documents()))
    departure()(journey)
    (departed,) = then(journey)
    assert isinstance(departed, Journey.Departed)
    assert journey.stage == "placement"
    assert journey.flags.non_procedural is False
    assert journey.flags.missing_documents == ()


@pytest.mark.parametrize(
    "missing", [*REQUIRED_DOCUMENTS, DocumentKind.PLACEMENT_AGREEMENT], ids=lambda k: k.value
)
def test_a_departure_missing_a_required_document_is_recorded_and_flagged(
    missing: DocumentKind,
) -> None:
    kinds = [*REQUIRED_DOCUMENTS, DocumentKind.PLACEMENT_AGREEMENT]
    steps = [document(kind) for kind in kinds if kind is not missing]
    journey = given(history(*steps))
    departure()(journey)
    assert [type(e).__name__ for e in then(journey)] == ["Departed"]
    assert journey.flags.non_procedural is True
    assert reasons(journey) == [{"reason": "missing_document", "document_kind": missing.value}]


def test_the_placement_agreement_is_required_only_for_p3mi_placements() -> None:
    scheme = PlacementScheme.MANDIRI
    journey = given(history(*all_documents(scheme), scheme=scheme))
    departure()(journey)
    assert journey.flags.non_procedural is False


@pytest.mark.parametrize(
    "overrides",
    [
        {"issued_on": date(2024, 3, 2)},  # issued after the departure
        {"issued_on": date(2020, 1, 1), "expires_on": date(2024, 2, 29)},  # expired before it
    ],
)
def test_a_document_not_valid_on_the_departure_date_counts_as_missing(
    overrides: dict[str, Any],
) -> None:
    steps = [
        document(kind, **overrides) if kind is DocumentKind.PASSPORT else document(kind)
        for kind in [*REQUIRED_DOCUMENTS, DocumentKind.PLACEMENT_AGREEMENT]
    ]
    journey = given(history(*steps, departure()))
    assert reasons(journey) == [{"reason": "missing_document", "document_kind": "passport"}]


def test_a_departure_with_an_unresolved_indication_is_flagged() -> None:
    journey = given(history(*all_documents(), indication()))
    departure()(journey)
    assert reasons(journey) == [{"reason": "unresolved_indication", "indication_id": 1}]


def test_an_indication_resolved_before_departure_does_not_flag_it() -> None:
    journey = given(history(*all_documents(), indication(), resolution()))
    departure()(journey)
    assert journey.flags.non_procedural is False


def test_an_indication_resolved_only_after_the_departure_date_still_flags_it() -> None:
    journey = given(history(*all_documents(), indication(), departure()))
    resolution(on=date(2024, 4, 1))(journey)
    assert reasons(journey) == [{"reason": "unresolved_indication", "indication_id": 1}]


def test_a_departure_of_a_worker_under_18_is_flagged() -> None:
    journey = given(history(*all_documents()))
    departure(birth_date=date(2006, 3, 2))(journey)  # 18 one day later
    (departed,) = then(journey)
    assert isinstance(departed, Journey.Departed)
    assert departed.worker_under_18 is True
    assert reasons(journey) == [{"reason": "under_18"}]


def test_a_worker_turning_18_on_the_departure_date_is_not_flagged() -> None:
    journey = given(history(*all_documents()))
    departure(birth_date=date(2006, 3, 1))(journey)
    assert journey.flags.non_procedural is False


def test_a_document_expiring_before_the_contract_end_is_flagged() -> None:
    journey = given(
        history(*all_documents(), document(DocumentKind.PASSPORT, expires_on=date(2025, 1, 1)))
    )
    assert journey.flags.documents_expiring == ()  # no contract yet
    departure()(journey)
    # A passport to 2034 is also recorded: the one lasting longest counts.
    assert journey.flags.documents_expiring == ()

    journey = given(history(document(DocumentKind.WORK_VISA, expires_on=date(2025, 6, 30))))
    departure()(journey)
    assert [dict(item) for item in journey.flags.documents_expiring] == [
        {
            "document_id": 1,
            "kind": "work_visa",
            "expires_on": "2025-06-30",
            "contract_end": "2026-03-01",
        }
    ]


def test_contracts_and_returns_must_be_in_order() -> None:
    journey = given(history())
    with pytest.raises(InvalidValue) as raised:
        departure(contract_end=date(2024, 3, 2))(journey)
    assert raised.value.params["field"] == "contract_end"
    departure()(journey)
    with pytest.raises(InvalidValue) as raised:
        returned(on=date(2024, 2, 28))(journey)
    assert raised.value.params["field"] == "returned_on"


# Corrections --------------------------------------------------------------------------


def test_a_correction_amends_the_state_and_keeps_the_original_event() -> None:
    events = history(departure())
    journey = given(events)
    correct(2, contract_end="2027-03-01")(journey)
    (corrected,) = then(journey)
    assert isinstance(corrected, Journey.Corrected)
    assert corrected.corrects_version == 2
    assert corrected.changes == {"contract_end": date(2027, 3, 1)}
    assert journey.departure is not None
    assert journey.departure["contract_end"] == date(2027, 3, 1)
    original = events[1]
    assert isinstance(original, Journey.Departed)
    assert original.contract_end == date(2026, 3, 1)
    assert given([*events, corrected]).departure == journey.departure


def test_a_correction_recomputes_the_flags() -> None:
    steps = [document(kind) for kind in REQUIRED_DOCUMENTS]
    steps.append(document(DocumentKind.OTHER))  # meant to be the placement agreement
    journey = given(history(*steps, departure()))
    assert reasons(journey) == [
        {"reason": "missing_document", "document_kind": "placement_agreement"}
    ]
    correct(len(steps) + 1, kind="placement_agreement")(journey)
    assert journey.flags.non_procedural is False


def test_correcting_the_departure_date_recomputes_the_age_flag() -> None:
    journey = given(history(*all_documents(), departure(birth_date=date(2006, 5, 1))))
    assert reasons(journey) == [{"reason": "under_18"}]
    journey.correct(
        corrects_version=12,
        reason="left later",
        changes={"departed_on": "2024-06-01"},
        worker_birth_date=date(2006, 5, 1),
        latest_today=TODAY,
        actor=SYSTEM,
        occurred_on=TODAY,
    )
    (corrected,) = then(journey)
    assert isinstance(corrected, Journey.Corrected)
    assert corrected.changes == {"departed_on": date(2024, 6, 1), "worker_under_18": False}
    assert journey.departure is not None
    assert journey.departure["occurred_on"] == date(2024, 6, 1)
    assert journey.flags.non_procedural is False


def test_personal_fields_are_corrected_apart_from_the_others() -> None:
    journey = given(history(indication(note="the calo is a neighbour")))
    correct(2, note="the calo came from the next village", indicators=["excessive_fees"])(journey)
    (corrected,) = then(journey)
    assert isinstance(corrected, Journey.Corrected)
    assert corrected.changes == {"indicators": ["excessive_fees"]}
    assert corrected.personal_changes == {"note": "the calo came from the next village"}
    assert corrected.personal_fields == ["note"]
    assert set(Journey.Corrected.PERSONAL_FIELDS) == {"personal_changes"}
    assert journey.indications[0]["note"] == "the calo came from the next village"


def test_an_erased_personal_correction_reads_as_erased_and_changes_nothing_else() -> None:
    events = history(
        indication(note="secret"), correct(2, note="still secret", indicators=["other"])
    )
    erased = []
    for event in events:
        if isinstance(event, Journey.Corrected):
            state = dict(vars(event), personal_changes=None)
            event = cast(Event, type(event)(**state))
        erased.append(event)
    journey = given(erased)
    assert journey.indications[0]["note"] == ERASED
    assert journey.indications[0]["indicators"] == ["other"]


@pytest.mark.parametrize(
    ("version", "changes", "field"),
    [
        (9, {"occupation": "cook"}, "corrects_version"),
        (3, {"reason": "x"}, "corrects_version"),  # version 3 is itself a correction
        (1, {}, "changes"),
        (1, {"stage": "closed"}, "changes.stage"),
        (1, {"worker_id": str(uuid4())}, "changes.worker_id"),
        (1, {"placement_scheme": "mandiri"}, "p3mi"),
        (1, {"occurred_on": "2025-01-02"}, "changes.occurred_on"),  # after "today"
        (2, {"departed_on": 20240301}, "changes.departed_on"),
        (2, {"contract_start": "2026-06-01"}, "contract_end"),
        (2, {"worker_under_18": True}, "changes.worker_under_18"),
    ],
)
def test_a_correction_that_does_not_make_sense_is_refused(
    version: int, changes: dict[str, object], field: str
) -> None:
    journey = given(history(departure(), correct(2, employer="Lin household")))
    with pytest.raises(InvalidValue) as raised:
        correct(version, **changes)(journey)
    assert raised.value.params["field"] == field
    assert then(journey) == []


def test_a_closed_journey_accepts_corrections_only() -> None:
    journey = given(history(departure(), returned(), close()))
    correct(3, reason="deported")(journey)
    assert journey.return_home is not None
    assert journey.return_home["reason"] == "deported"
    assert journey.stage == "closed"


# What each stage offers ----------------------------------------------------------------


def test_each_stage_offers_only_the_commands_its_journey_accepts() -> None:
    """Interfaces offer ``allowed_actions()``: the table must agree with the commands."""
    from domain.journey import JourneyAction, actions_allowed_in
    from domain.vocabularies import Stage

    assert actions_allowed_in(Stage.PRE_DEPARTURE) == (
        JourneyAction.PROVIDE_MIGRATION_INFO,
        JourneyAction.RECORD_DOCUMENT,
        JourneyAction.RAISE_INDICATION,
        JourneyAction.RESOLVE_INDICATION,
        JourneyAction.RECORD_DEPARTURE,
        JourneyAction.REPORT_INCIDENT,
        JourneyAction.RESOLVE_INCIDENT,
        JourneyAction.REFER,
        JourneyAction.RECORD_REFERRAL_OUTCOME,
        JourneyAction.CANCEL,
    )
    assert JourneyAction.RECORD_RETURN in actions_allowed_in(Stage.PLACEMENT)
    assert JourneyAction.CLOSE in actions_allowed_in(Stage.REINTEGRATION)
    assert actions_allowed_in(Stage.CLOSED) == ()
    assert actions_allowed_in(Stage.CANCELLED) == ()


def test_a_command_outside_the_table_is_refused_naming_the_stage() -> None:
    from domain.journey import JourneyAction

    journey = given(history())
    assert JourneyAction.CLOSE not in journey.allowed_actions()
    with pytest.raises(JourneyStageConflict) as refused:
        journey.close(reason="done", actor=SYSTEM, occurred_on=TODAY)
    assert refused.value.params["stage"] == "pre_departure"
    assert refused.value.params["allowed"] == "returned, reintegration"
