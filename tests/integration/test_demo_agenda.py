"""The demo's agenda, on both backends: villages on top of their work have a smaller share
of their items overdue than villages behind, and demo users have a reminder address."""

from __future__ import annotations

import io

from application.principal import SYSTEM_PRINCIPAL
from infrastructure.bootstrap import Runtime
from interfaces import demo
from interfaces.demo.agenda import REMINDER_DOMAIN, village_habits
from tests.support import demo_programme


def test_the_demo_agenda_has_villages_on_top_and_villages_behind(runtime: Runtime) -> None:
    app = runtime.app
    today = app.services.clock.today()
    summary = demo.run(app, demo_programme(5, 120, today), stderr=io.StringIO())
    line = next(line for line in summary.lines() if line.startswith("agenda:"))
    assert "items settled" in line
    assert runtime.read_models.wait_for("agenda", runtime.projections.head(), 30)
    rows = app.agenda_summary(SYSTEM_PRINCIPAL, region=None, per_village=True).rows
    habits = village_habits(
        [village.code for village in demo.plan_programme(5, 120, today).villages]
    )
    shares: dict[str, list[float]] = {"on top": [], "behind": []}
    for row in rows:
        total = row["overdue"] + row["due"] + row["upcoming"]
        habit = habits[row["region_code"]]
        if habit in shares and total >= 3:
            shares[habit].append(row["overdue"] / total)
    assert shares["on top"]
    assert shares["behind"]
    on_top = sum(shares["on top"]) / len(shares["on top"])
    behind = sum(shares["behind"]) / len(shares["behind"])
    assert on_top < behind - 0.15, (on_top, behind)
    officer = next(user for user in demo.plan_programme(5, 120, today).users)
    principal = app.principal_for(app.get_user(officer.username).id)
    chosen = app.get_digest_preferences(principal)
    assert chosen is not None
    assert chosen.email == f"{officer.username}@{REMINDER_DOMAIN}"
