"""The demo's service directory, referrals and transfers (``interfaces/demo/casework.py``), on
both backends: agencies per regency, referrals open, overdue and answered, workers moved,
declined, withdrawn and waiting; and a second run adding nothing."""

from __future__ import annotations

import io
from collections import Counter

from application.principal import SYSTEM_PRINCIPAL
from domain.worker import Worker
from infrastructure.bootstrap import Runtime
from interfaces import demo
from tests.support import demo_programme


def test_the_demo_refers_cases_and_moves_workers(runtime: Runtime) -> None:
    app = runtime.app
    today = app.services.clock.today()
    programme = demo_programme(11, 90, today)
    seen: list[demo.DemoContext] = []

    def keep(context: demo.DemoContext) -> str:
        seen.append(context)
        return "kept"

    summary = demo.run(app, programme, stderr=io.StringIO(), generators=(*demo.GENERATORS, keep))
    line = next(text for text in summary.lines() if "agencies" in text)
    regencies = {village.regency_code for village in programme.villages}
    assert line.startswith(f"{len(regencies) * 4} agencies")
    head = app.recorder.max_notification_id() or 0
    read_models = app.require_read_models()
    for name in ("referrals", "transfers", "agencies", "journeys"):
        assert read_models.wait_for(name, head, 30)

    referrals = app.referral_report(SYSTEM_PRINCIPAL, region=None, status=None, limit=1000).rows
    assert referrals, "no case was referred"
    statuses = Counter(row["status"] for row in referrals)
    overdue = app.referral_report(SYSTEM_PRINCIPAL, region=None, status="overdue").rows
    assert statuses["open"] >= 1
    assert statuses["closed"] >= 1
    assert overdue
    without_consent = [row["agency_kind"] for row in referrals if not row["consent_given"]]
    assert set(without_consent) <= {"police", "uptd_ppa"}

    _, moves = app.list_transfers(SYSTEM_PRINCIPAL, direction="incoming", limit=1000)
    assert {view.status for view in moves} == {"accepted", "pending", "declined", "withdrawn"}
    for view in moves:
        worker = app._load(view.worker_id, Worker, "worker")
        expected = view.to_village_code if view.status == "accepted" else view.from_village_code
        assert worker.village_code == expected
    context = seen[0]
    assert context.seed == 11

    again = demo.run(app, demo.plan_programme(11, 90, today), stderr=io.StringIO())
    assert again.events == 0
    assert again.workers_skipped == 90  # moved workers too, though now in another scope
    assert app.recorder.max_notification_id() == head
