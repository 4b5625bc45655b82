"""A rebuild from zero produces exactly the rows the live run produced, on a few thousand
events of a generated programme (journeys, villages, activities, cooperatives)."""

from __future__ import annotations

from datetime import date
from typing import Any

from application.readmodels import Query
from infrastructure.bootstrap import Runtime
from interfaces import demo
from tests.support import demo_programme

TODAY = date(2025, 6, 30)


def all_rows(runtime: Runtime) -> dict[tuple[str, str], list[dict[str, Any]]]:
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for name, projection in runtime.projections.projections.items():
        for table in projection.tables:
            collected: list[dict[str, Any]] = []
            after = None
            while True:
                page = runtime.read_models.query(
                    name, Query(table=table.name, after=after, limit=1000)
                )
                collected.extend(page.rows)
                if page.next_after is None:
                    break
                after = page.next_after
            rows[(name, table.name)] = collected
    return rows


def test_rebuilding_every_projection_reproduces_the_live_rows(runtime: Runtime) -> None:
    runner = runtime.start_projections()
    demo.run(runtime.app, demo_programme(11, 40, TODAY))
    head = runtime.projections.head()
    assert head > 2000
    for name in runtime.projections.projections:
        assert runtime.read_models.wait_for(name, head, timeout=60), name
    runner.stop()
    live = all_rows(runtime)
    assert len(live[("journeys", "journeys")]) > 30
    assert sum(
        row["journeys"] for row in live[("journeys", "stage_counts")] if row["level"] == 1
    ) == len(live[("journeys", "journeys")])
    assert live[("cooperatives", "cooperatives")]
    assert live[("pillar_activity", "activity")]
    for name in runtime.projections.projections:
        runtime.projections.rebuild(name)
    rebuilt = all_rows(runtime)
    for key in live:
        assert rebuilt[key] == live[key], key
