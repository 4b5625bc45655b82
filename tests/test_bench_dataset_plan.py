"""The benchmark's dataset stays the dataset it was: the same seed makes the same villages,
the same cases and the same long history, event for event (figures of one run stay
comparable with the next)."""

from __future__ import annotations

import random
from datetime import date
from uuid import UUID

from bench._data_plan import NikMaker, add_long_history, make_case, pick_villages
from domain.events import Actor, Role
from tests.digests import Canonical, digest

TODAY = date(2025, 6, 30)
ACTOR = Actor(UUID(int=7), Role.OFFICER)
#: Digest of seed 5's villages and first two batches of 300 cases (producer 1 of 2), and
#: 30 checks of long history, computed before the planner shared the demo's case timeline;
#: changed once on purpose since: cases that end with an incident or indication open record
#: why (``LeftOpen``, issue 18), as they must now.
SEED_5 = "52928c1b76909f4181e054b37b89aa9618386407fb7f4179a255e27fda4df4dd"


def test_a_seed_makes_the_cases_it_always_made() -> None:
    villages = pick_villages(random.Random(5))
    niks = NikMaker(offset=1, stride=3)
    canonical = Canonical()
    items: list[object] = [[v.code, v.regency] for v in villages]
    cases = []
    for number in range(2):
        rng = random.Random(f"5:{number}")
        cases += [make_case(rng, rng.choice(villages), TODAY, ACTOR, niks) for _ in range(300)]
    placement = next(case for case in cases if case.stage == "placement")
    add_long_history(random.Random("5:long"), placement.journey, ACTOR, TODAY, 30)
    for case in cases:
        items.append([case.stage, case.nik.digits])
        for aggregate in (case.worker, case.journey):
            items += [canonical.event(event) for event in aggregate.collect_events()]
    assert digest(items) == SEED_5
