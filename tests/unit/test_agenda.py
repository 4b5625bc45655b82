"""The agenda's rules as given events / then items, checked on every boundary day: the last
day an item is upcoming, the first and last it is due, the first it is overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.agenda import OpenItem, open_items, referral_items
from domain.agenda_rules import (
    AGENDA_RULES_ID,
    DUE_SOON_DAYS,
    VERSION_1,
    AgendaKind,
    AgendaRules,
    AgendaStatus,
    RuleSet,
    due_on,
    history,
    in_force,
    overdue_days,
    revised_figures,
    status_on,
)
from domain.events import SYSTEM
from domain.journey import Journey
from domain.vocabularies import (
    ContactWith,
    DocumentKind,
    IncidentCategory,
    IncidentOutcome,
    IndicationOutcome,
    Indicator,
    PlacementScheme,
    ReintegrationActivityKind,
    ReintegrationNeed,
    ReturnReason,
    Severity,
    WelfareStatus,
)

Step = Callable[[Journey], object]
DEPARTED = date(2024, 3, 1)
CONTRACT_END = date(2026, 3, 1)
RETURNED = date(2026, 3, 5)
LATEST = date(2027, 1, 1)


def given(*steps: Step) -> Journey:
    journey = Journey.open(
        worker_id=uuid4(),
        village_code="35.07.12.2001",
        destination_country="TW",
        occupation="caregiver",
        placement_scheme=PlacementScheme.MANDIRI,
        p3mi=None,
        actor=SYSTEM,
        occurred_on=date(2024, 1, 2),
    )
    for step in steps:
        step(journey)
    return journey


def departure(**overrides: Any) -> Step:
    values: dict[str, Any] = {
        "departed_on": DEPARTED,
        "employer": "Chen household",
        "contract_start": DEPARTED,
        "contract_end": CONTRACT_END,
        "worker_birth_date": date(1995, 7, 5),
        "actor": SYSTEM,
    }
    values.update(overrides)
    return lambda j: j.record_departure(**values)


def check(on: date) -> Step:
    return lambda j: j.check_welfare(
        contact_with=ContactWith.WORKER,
        status=WelfareStatus.OK,
        note=None,
        actor=SYSTEM,
        occurred_on=on,
    )


def incident(severity: Severity, on: date = date(2024, 6, 1)) -> Step:
    return lambda j: j.report_incident(
        category=IncidentCategory.UNPAID_WAGES,
        severity=severity,
        note=None,
        actor=SYSTEM,
        occurred_on=on,
    )


def resolve_incident(number: int) -> Step:
    return lambda j: j.resolve_incident(
        number, outcome=IncidentOutcome.RESOLVED, note=None, actor=SYSTEM, occurred_on=LATEST
    )


def indication(on: date = date(2024, 1, 20)) -> Step:
    return lambda j: j.raise_indication(
        indicators=[Indicator.UNLICENSED_RECRUITER], note=None, actor=SYSTEM, occurred_on=on
    )


def document(kind: DocumentKind, expires_on: date | None, seen: date = date(2024, 1, 15)) -> Step:
    return lambda j: j.record_document(
        kind=kind,
        number="A-1",
        issued_on=date(2024, 1, 10),
        expires_on=expires_on,
        actor=SYSTEM,
        occurred_on=seen,
    )


def returned(on: date = RETURNED) -> Step:
    return lambda j: j.record_return(
        returned_on=on, reason=ReturnReason.CONTRACT_COMPLETED, actor=SYSTEM
    )


def plan(on: date) -> Step:
    return lambda j: j.plan_reintegration(
        needs=[ReintegrationNeed.SKILLS_TRAINING], actor=SYSTEM, occurred_on=on
    )


def activity(on: date) -> Step:
    return lambda j: j.record_reintegration_activity(
        kind=ReintegrationActivityKind.COUNSELLING, note=None, actor=SYSTEM, occurred_on=on
    )


def correct(version: int, **changes: object) -> Step:
    return lambda j: j.correct(
        corrects_version=version,
        reason="mistyped",
        changes=changes,
        worker_birth_date=date(1995, 7, 5),
        latest_today=LATEST,
        actor=SYSTEM,
        occurred_on=LATEST,
    )


def items(journey: Journey) -> dict[str, OpenItem]:
    return {item.key: item for item in open_items(journey)}


def status(item: OpenItem, day: date, rules: RuleSet = VERSION_1) -> tuple[str, int]:
    due = due_on(item.anchor, item.rule, rules)
    grace = rules.grace(item.kind.value)
    return status_on(due, grace, day).value, overdue_days(due, grace, day)


def assert_boundaries(item: OpenItem, due: date, grace: int = 0) -> None:
    """Upcoming until a week before the due date, due from then until the grace has run
    out, overdue (by one day) the day after."""
    assert due_on(item.anchor, item.rule, VERSION_1) == due
    assert status(item, due - timedelta(days=DUE_SOON_DAYS + 1)) == ("upcoming", 0)
    assert status(item, due - timedelta(days=DUE_SOON_DAYS)) == ("due", 0)
    assert status(item, due) == ("due", 0)
    assert status(item, due + timedelta(days=grace)) == ("due", 0)
    assert status(item, due + timedelta(days=grace + 1)) == ("overdue", 1)


# Welfare checks and the expected return -------------------------------------------------


def test_the_first_welfare_check_is_due_30_days_after_departure() -> None:
    item = items(given(departure()))["welfare_check"]
    assert (item.kind, item.rule, item.reason) == (
        AgendaKind.WELFARE_CHECK,
        "welfare_check.first",
        "departure",
    )
    assert_boundaries(item, date(2024, 3, 31))


def test_then_a_check_is_due_every_90_days_after_the_last_one() -> None:
    item = items(given(departure(), check(date(2024, 5, 1))))["welfare_check"]
    assert (item.rule, item.reason) == ("welfare_check.every", "last_check")
    assert_boundaries(item, date(2024, 7, 30))


def test_a_backdated_older_check_does_not_pull_the_next_one_earlier() -> None:
    journey = given(departure(), check(date(2024, 5, 1)), check(date(2024, 4, 1)))
    assert items(journey)["welfare_check"].anchor == date(2024, 5, 1)


def test_a_backdated_newer_check_moves_the_next_one_later() -> None:
    journey = given(departure(), check(date(2024, 5, 1)), check(date(2024, 6, 10)))
    assert items(journey)["welfare_check"].anchor == date(2024, 6, 10)


def test_the_return_is_expected_at_the_contract_end_and_overdue_30_days_after_it() -> None:
    item = items(given(departure()))["expected_return"]
    assert item.anchor == CONTRACT_END
    assert_boundaries(item, CONTRACT_END, grace=30)


def test_a_return_closes_the_welfare_check_and_the_expected_return() -> None:
    keys = set(items(given(departure(), returned())))
    assert "welfare_check" not in keys
    assert "expected_return" not in keys


def test_a_corrected_departure_date_moves_the_first_check() -> None:
    journey = given(departure(), correct(2, departed_on="2024-02-01"))
    assert_boundaries(items(journey)["welfare_check"], date(2024, 3, 2))


def test_a_check_dated_before_a_corrected_departure_does_not_count_as_one_abroad() -> None:
    journey = given(departure(), check(date(2024, 3, 10)), correct(2, departed_on="2024-03-20"))
    item = items(journey)["welfare_check"]
    assert (item.rule, item.anchor) == ("welfare_check.first", date(2024, 3, 20))


def test_a_corrected_contract_end_moves_the_expected_return() -> None:
    journey = given(departure(), correct(2, contract_end="2025-09-01"))
    assert items(journey)["expected_return"].anchor == date(2025, 9, 1)


# After the return -------------------------------------------------------------------------


def test_a_plan_is_due_14_days_after_the_return() -> None:
    item = items(given(departure(), returned()))["reintegration_plan"]
    assert item.reason == "return"
    assert_boundaries(item, RETURNED + timedelta(days=14))


def test_a_plan_settles_it_and_a_follow_up_is_due_60_days_later() -> None:
    journey = given(departure(), returned(), plan(date(2026, 4, 1)))
    found = items(journey)
    assert "reintegration_plan" not in found
    assert found["reintegration_follow_up"].reason == "plan"
    assert_boundaries(found["reintegration_follow_up"], date(2026, 5, 31))


def test_each_activity_restarts_the_follow_up_clock() -> None:
    journey = given(departure(), returned(), plan(date(2026, 4, 1)), activity(date(2026, 5, 10)))
    item = items(journey)["reintegration_follow_up"]
    assert (item.reason, item.anchor) == ("activity", date(2026, 5, 10))
    assert_boundaries(item, date(2026, 7, 9))


def test_an_activity_without_a_plan_leaves_the_plan_due_and_starts_the_follow_up() -> None:
    found = items(given(departure(), returned(), activity(date(2026, 3, 10))))
    assert "reintegration_plan" in found
    assert found["reintegration_follow_up"].anchor == date(2026, 3, 10)


def test_closing_the_journey_ends_every_item() -> None:
    journey = given(
        departure(),
        incident(Severity.LOW),
        returned(),
        plan(date(2026, 4, 1)),
        lambda j: j.close(
            reason="done",
            leave_open_reason="the employer cannot be reached",
            actor=SYSTEM,
            occurred_on=date(2026, 6, 1),
        ),
    )
    assert open_items(journey) == []


def test_a_cancelled_journey_has_nothing_due() -> None:
    journey = given(
        indication(),
        document(DocumentKind.PASSPORT, date(2024, 6, 1)),
        lambda j: j.cancel(
            reason="stayed",
            leave_open_reason="the recruiter left the village",
            actor=SYSTEM,
            occurred_on=date(2024, 2, 1),
        ),
    )
    assert open_items(journey) == []


# Incidents and indications ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "days"),
    [(Severity.CRITICAL, 1), (Severity.HIGH, 3), (Severity.MEDIUM, 7), (Severity.LOW, 14)],
)
def test_an_incident_is_due_for_a_response_by_its_severity(severity: Severity, days: int) -> None:
    item = items(given(departure(), incident(severity)))["incident:1"]
    assert (item.rule, item.subject) == (f"incident_response.{severity.value}", "incident:1")
    assert_boundaries(item, date(2024, 6, 1) + timedelta(days=days))


def test_a_resolution_settles_only_its_incident() -> None:
    journey = given(
        departure(), incident(Severity.HIGH), incident(Severity.LOW), resolve_incident(1)
    )
    found = items(journey)
    assert "incident:1" not in found
    assert "incident:2" in found


def test_a_corrected_severity_changes_the_rule() -> None:
    journey = given(departure(), incident(Severity.LOW), correct(3, severity="critical"))
    assert items(journey)["incident:1"].rule == "incident_response.critical"


def test_an_indication_is_due_for_follow_up_7_days_after_it_was_raised() -> None:
    item = items(given(indication()))["indication:1"]
    assert_boundaries(item, date(2024, 1, 27))


def test_a_resolved_indication_is_no_longer_due() -> None:
    journey = given(
        indication(),
        lambda j: j.resolve_indication(
            1,
            outcome=IndicationOutcome.CLEARED,
            note=None,
            actor=SYSTEM,
            occurred_on=date(2024, 1, 22),
        ),
    )
    assert "indication:1" not in items(journey)


# Documents ----------------------------------------------------------------------------------


def test_a_document_renewal_is_due_60_days_before_it_expires() -> None:
    item = items(given(document(DocumentKind.PASSPORT, date(2024, 12, 31))))["document:passport"]
    assert (item.kind, item.reason) == (AgendaKind.DOCUMENT_EXPIRY, "expires")
    assert_boundaries(item, date(2024, 11, 1))


def test_a_newer_document_of_the_kind_renews_it() -> None:
    journey = given(
        document(DocumentKind.PASSPORT, date(2024, 12, 31)),
        document(DocumentKind.PASSPORT, date(2034, 12, 31), seen=date(2024, 10, 1)),
    )
    assert items(journey)["document:passport"].anchor == date(2034, 12, 31)


def test_a_newer_document_without_an_expiry_ends_the_item() -> None:
    journey = given(
        document(DocumentKind.WORK_CONTRACT, date(2024, 12, 31)),
        document(DocumentKind.WORK_CONTRACT, None, seen=date(2024, 10, 1)),
    )
    assert "document:work_contract" not in items(journey)


def test_other_documents_are_followed_each_on_its_own() -> None:
    journey = given(
        document(DocumentKind.OTHER, date(2024, 12, 31)),
        document(DocumentKind.OTHER, date(2025, 6, 30)),
    )
    assert {"document:other:1", "document:other:2"} <= set(items(journey))


def test_documents_are_followed_while_placed_but_not_after_the_return() -> None:
    placed = given(document(DocumentKind.WORK_VISA, date(2025, 1, 1)), departure())
    assert "document:work_visa" in items(placed)
    back = given(document(DocumentKind.WORK_VISA, date(2025, 1, 1)), departure(), returned())
    assert "document:work_visa" not in items(back)


def test_a_corrected_expiry_date_moves_the_renewal() -> None:
    journey = given(
        document(DocumentKind.PASSPORT, date(2024, 12, 31)), correct(2, expires_on="2025-12-31")
    )
    assert items(journey)["document:passport"].anchor == date(2025, 12, 31)


# Referrals (SPEC §8): the hook --------------------------------------------------------------


def test_an_open_referral_is_due_on_its_own_date_or_14_days_after_it() -> None:
    found = {
        item.key: item
        for item in referral_items(
            [
                {
                    "referral_id": 1,
                    "occurred_on": date(2025, 1, 1),
                    "due_on": date(2025, 1, 5),
                    "outcome": None,
                },
                {
                    "referral_id": 2,
                    "occurred_on": date(2025, 1, 1),
                    "due_on": None,
                    "outcome": None,
                },
                {"referral_id": 3, "occurred_on": date(2025, 1, 1), "outcome": "accepted"},
            ]
        )
    }
    assert set(found) == {"referral:1", "referral:2"}
    assert_boundaries(found["referral:1"], date(2025, 1, 5))
    assert_boundaries(found["referral:2"], date(2025, 1, 15))


# Rule versions -------------------------------------------------------------------------------


def test_a_revised_rule_moves_due_dates_from_the_same_anchor() -> None:
    item = items(given(departure(), check(date(2024, 5, 1))))["welfare_check"]
    table = revised_figures(VERSION_1, {"welfare_check": {"every_days": 60}})
    stricter = RuleSet(version=2, figures=table, effective_from=date(2024, 6, 1))
    assert due_on(item.anchor, item.rule, stricter) == date(2024, 6, 30)
    assert status(item, date(2024, 7, 1), stricter) == ("overdue", 1)
    assert status(item, date(2024, 7, 1)) == ("upcoming", 0)


def test_a_revision_keeps_what_it_does_not_name() -> None:
    table = revised_figures(VERSION_1, {"incident_response": {"critical_days": 0}})
    assert table["incident_response"]["critical_days"] == 0
    assert table["incident_response"]["high_days"] == 3
    assert table["welfare_check"] == {"first_days": 30, "every_days": 90, "grace_days": 0}


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({}, "rules", "must name at least one kind of item"),
        ({"home_visit": {"days": 3}}, "rules.home_visit", "not a kind of agenda item"),
        ({"welfare_check": {}}, "rules.welfare_check", "must name at least one figure"),
        ({"welfare_check": 5}, "rules.welfare_check", "must name at least one figure"),
        ({"welfare_check": {"days": 5}}, "rules.welfare_check.days", "not a figure of this rule"),
        (
            {"welfare_check": {"every_days": -1}},
            "rules.welfare_check.every_days",
            "cannot be negative",
        ),
        (
            {"welfare_check": {"every_days": 0}},
            "rules.welfare_check.every_days",
            "must be at least 1",
        ),
        (
            {"reintegration_plan": {"days": 1.5}},
            "rules.reintegration_plan.days",
            "must be a whole number of days",
        ),
        (
            {"reintegration_plan": {"days": True}},
            "rules.reintegration_plan.days",
            "must be a whole number of days",
        ),
        (
            {"reintegration_plan": {"days": "14"}},
            "rules.reintegration_plan.days",
            "must be a whole number of days",
        ),
        (
            {"document_expiry": {"days_before": 3651}},
            "rules.document_expiry.days_before",
            "must be at most 3650 days",
        ),
    ],
)
def test_an_invalid_revision_is_refused_with_the_figure_it_names(
    changes: dict[str, Any], field: str, reason: str
) -> None:
    from domain.errors import InvalidValue

    with pytest.raises(InvalidValue) as refused:
        revised_figures(VERSION_1, changes)
    assert refused.value.params == {"field": field, "reason": reason}


def test_version_1_is_the_table_of_the_specification() -> None:
    assert VERSION_1.table() == {
        "welfare_check": {"first_days": 30, "every_days": 90, "grace_days": 0},
        "expected_return": {"grace_days": 30},
        "reintegration_plan": {"days": 14, "grace_days": 0},
        "reintegration_follow_up": {"every_days": 60, "grace_days": 0},
        "incident_response": {
            "critical_days": 1,
            "high_days": 3,
            "medium_days": 7,
            "low_days": 14,
            "grace_days": 0,
        },
        "indication_follow_up": {"days": 7, "grace_days": 0},
        "document_expiry": {"days_before": 60, "grace_days": 0},
        "referral_response": {"days": 14, "grace_days": 0},
    }
    assert VERSION_1.offset("document_expiry") == -60


def test_status_is_upcoming_due_or_overdue_by_the_day_asked() -> None:
    due = date(2025, 1, 10)
    assert status_on(due, 0, date(2025, 1, 2)) is AgendaStatus.UPCOMING
    assert status_on(due, 0, date(2025, 1, 3)) is AgendaStatus.DUE
    assert status_on(due, 0, date(2025, 1, 11)) is AgendaStatus.OVERDUE
    assert overdue_days(due, 0, date(2025, 1, 20)) == 10
    assert overdue_days(due, 5, date(2025, 1, 20)) == 5


def test_the_rule_history_records_version_1_then_each_revision_from_its_date() -> None:
    assert history(None) == [VERSION_1]
    admin = SYSTEM
    rules = AgendaRules.adopt(actor=SYSTEM, today=date(2025, 3, 1))
    rules.revise(
        changes={"welfare_check": {"every_days": 60}},
        reason="monthly calls in the first year",
        actor=admin,
        today=date(2025, 3, 1),
    )
    rules.revise(
        changes={"welfare_check": {"every_days": 75}},
        reason="too many calls",
        actor=admin,
        today=date(2025, 5, 1),
    )
    assert rules.id == AGENDA_RULES_ID
    versions = history(rules)
    assert [v.version for v in versions] == [1, 2, 3]
    assert [v.effective_from for v in versions] == [None, date(2025, 3, 1), date(2025, 5, 1)]
    assert versions[0].figures == VERSION_1.figures
    assert versions[2].reason == "too many calls"
    assert in_force(versions, date(2025, 2, 28)).version == 1
    assert in_force(versions, date(2025, 3, 1)).version == 2
    assert in_force(versions, date(2025, 4, 30)).version == 2
    assert in_force(versions, date(2025, 5, 1)).figure(AgendaKind.WELFARE_CHECK, "every_days") == 75


def test_a_revision_needs_a_reason() -> None:
    from domain.errors import InvalidValue

    rules = AgendaRules.adopt(actor=SYSTEM, today=date(2025, 3, 1))
    with pytest.raises(InvalidValue) as refused:
        rules.revise(
            changes={"welfare_check": {"every_days": 60}}, reason=" ", actor=SYSTEM, today=LATEST
        )
    assert refused.value.params["field"] == "reason"
