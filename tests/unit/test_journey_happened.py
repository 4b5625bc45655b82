"""The journey as it had happened by a day (``domain.journey.happened``): given a recorded
history, then the journey its events up to that day make, as the history knows it now."""

from __future__ import annotations

from datetime import date

from domain.events import SYSTEM
from domain.journey import Journey
from domain.journey.happened import happened_by
from domain.vocabularies import IndicationOutcome, Indicator
from tests.unit.test_journey import Step, correct, departure, given, history


def indication_on(day: date) -> Step:
    return lambda journey: journey.raise_indication(
        indicators=[Indicator.UNLICENSED_RECRUITER], note=None, actor=SYSTEM, occurred_on=day
    )


def resolution_of(number: int, day: date) -> Step:
    return lambda journey: journey.resolve_indication(
        number, outcome=IndicationOutcome.PERSUADED, note=None, actor=SYSTEM, occurred_on=day
    )


def as_happened(steps: list[Step], day: date) -> Journey | None:
    events = history(*steps)
    kept = happened_by(events, given(events), day)
    return given(kept) if kept else None


def test_nothing_had_happened_before_the_journey_was_opened() -> None:
    assert as_happened([departure()], date(2024, 1, 1)) is None  # opened 2 January 2024


def test_an_entry_counts_from_the_day_it_happened_not_the_day_it_was_recorded() -> None:
    steps = [
        indication_on(date(2024, 3, 10)),  # recorded first, happened later
        indication_on(date(2024, 1, 20)),  # recorded later, backdated
        resolution_of(2, date(2024, 2, 1)),
    ]
    journey = as_happened(steps, date(2024, 2, 15))
    assert journey is not None
    assert [i["occurred_on"] for i in journey.indications] == [date(2024, 1, 20)]
    assert journey.indications[0]["resolution"]["outcome"] == "persuaded"
    assert journey.version == 3  # opened, raised, resolved: renumbered
    later = as_happened(steps, date(2024, 3, 31))
    assert later is not None
    assert len(later.indications) == 2


def test_a_corrected_date_is_the_day_it_happened_and_the_correction_counts_with_it() -> None:
    steps = [departure(), correct(2, departed_on="2024-04-01")]  # recorded 1 March, mistyped
    before = as_happened(steps, date(2024, 3, 15))
    assert before is not None
    assert before.stage == "pre_departure"
    assert before.departure is None
    after = as_happened(steps, date(2024, 4, 15))
    assert after is not None
    assert after.stage == "placement"
    assert after.departure is not None
    assert after.departure["departed_on"] == date(2024, 4, 1)
    assert len(after.corrections) == 1
