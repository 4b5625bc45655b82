"""``jejak demo-data``: a deterministic plan, loaded through the use cases on both backends."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from application.principal import SYSTEM_PRINCIPAL
from domain.nik import Nik
from domain.worker import Worker
from infrastructure.bootstrap import Runtime, build_runtime
from infrastructure.settings import Settings
from interfaces import cli, demo
from tests.digests import Canonical, digest
from tests.support import demo_programme

TODAY = date(2025, 6, 30)

#: Digests of what ``jejak demo-data`` planned and loaded before its planner was reshaped
#: (seed 7, 300 workers planned; seed 3, 25 workers loaded, without the villages' pillars,
#: which test_demo_programme.py pins): a change to either is a change of the demo data every
#: user of a seed gets, never a side effect of tidying the code. Changed once since, on
#: purpose: a case ending with an incident or indication open says why (issue 18), so every
#: closure and cancellation carries ``leave_open_reason`` and those cases record ``LeftOpen``.
PLANNED_SEED_7 = "d8776d3dbb78a284588f41cae7d248c36a5ceb7cfabed29125d336e0235e3b78"
LOADED_SEED_3 = "8c618ccc253a00c549876ec0400b4cdae26230b70bf3cd7a1f2a88643577abcf"


def planned(programme: demo.Programme) -> list[object]:
    """The programme in plain terms: its villages, users, and every worker's registration
    and journeys, each step as the use case it calls with its command."""
    canonical = Canonical()
    plain = canonical.plain
    return [
        programme.seed,
        plain(programme.today),
        [[v.code, v.name, v.regency_code, v.regency_name] for v in programme.villages],
        [[u.username, u.role.value, list(u.regions)] for u in programme.users],
        [
            {
                "registration": plain(worker.registration),
                "journeys": [
                    {
                        "opening": plain(journey.opening),
                        "stage": journey.stage,
                        "non_procedural": journey.non_procedural,
                        "steps": [
                            [s.action, type(s.command).__name__, plain(s.command), s.number]
                            for s in journey.steps
                        ],
                    }
                    for journey in worker.journeys
                ],
            }
            for worker in programme.workers
        ],
    ]


def test_a_seed_plans_the_programme_it_always_planned() -> None:
    assert digest(planned(demo.plan_programme(7, 300, TODAY))) == PLANNED_SEED_7


def test_a_seed_loads_the_events_it_always_loaded(runtime: Runtime) -> None:
    app = runtime.app
    summary = demo.run(app, demo_programme(3, 25, TODAY), stderr=io.StringIO(), generators=())
    canonical = Canonical(today=app.services.clock.today())
    events = []
    after = 0
    while page := app.notification_log.select(after + 1, 1000):
        events += [canonical.event(app.mapper.to_domain_event(n)) for n in page]
        after = page[-1].id
    assert len(events) == summary.events
    assert digest([*events, summary.lines()]) == LOADED_SEED_3


def test_the_same_seed_plans_the_same_programme() -> None:
    first = demo.plan_programme(7, 40, TODAY)
    assert demo.plan_programme(7, 40, TODAY) == first
    other = demo.plan_programme(8, 40, TODAY)
    assert [w.registration.nik for w in other.workers] != [
        w.registration.nik for w in first.workers
    ]


def test_the_plan_looks_like_the_programme() -> None:
    programme = demo.plan_programme(1, 600, TODAY)
    provinces = {village.code[:2] for village in programme.villages}
    assert provinces == {"32", "33", "35", "52"}
    regencies = {village.regency_code for village in programme.villages}
    assert len(regencies) == sum(len(r) for r in demo.REGENCIES.values())
    journeys = [journey for worker in programme.workers for journey in worker.journeys]
    stages = Counter(journey.stage for journey in journeys)
    assert set(stages) == set(demo.STAGES)
    destinations = Counter(journey.opening.destination_country for journey in journeys)
    assert {country for country, _ in destinations.most_common(3)} == {"TW", "MY", "HK"}
    assert any(journey.non_procedural for journey in journeys)
    for worker in programme.workers:
        registration = worker.registration
        nik = Nik.parse(registration.nik)
        nik.check_matches(birth_date=registration.birth_date, sex=registration.sex.value)
        assert registration.village_code[:8].replace(".", "") == registration.nik[:6]
    dates = [
        value
        for journey in journeys
        for step in journey.steps
        for name, value in vars(step.command).items()
        if isinstance(value, date) and name not in {"expires_on", "contract_start", "contract_end"}
    ]
    assert max(dates) <= TODAY


def test_the_programme_loads_through_the_use_cases_and_again_adds_nothing(
    runtime: Runtime,
) -> None:
    app = runtime.app
    seen: list[demo.DemoContext] = []

    def extra(context: demo.DemoContext) -> str:
        seen.append(context)
        return f"extra: {len(context.workers)} workers seen"

    programme = demo_programme(3, 25, TODAY)
    stderr = io.StringIO()
    summary = demo.run(app, programme, stderr=stderr, generators=(*demo.GENERATORS, extra))
    assert summary.workers_created == 25
    assert summary.users_created == len(programme.users)
    assert sum(summary.journeys.values()) >= 25
    assert "extra: 25 workers seen" in summary.lines()
    assert "100% 25/25 workers" in stderr.getvalue()

    context = seen[0]
    assert len(context.officers) == len(context.villages)
    for worker_id, village, journey_ids in context.workers:
        worker = app.get_worker(SYSTEM_PRINCIPAL, worker_id)
        assert isinstance(worker, Worker)
        # Registered in their village; some moved since (demo/casework.py), case and all.
        moved = [t for t in worker.transfer_list() if t.status == "accepted"]
        assert worker.village_code == (moved[-1].to_village_code if moved else village)
        journey = app.get_journey(context.officers[worker.village_code], journey_ids[-1])
        assert journey.worker_id == worker_id
        assert journey.stage in demo.STAGES

    again = demo.run(app, demo.plan_programme(3, 25, TODAY), stderr=io.StringIO())
    assert again.users_created == 0
    assert again.workers_created == 0
    assert again.workers_skipped == 25
    assert again.events == 0


def test_the_command_line_loads_demo_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JEJAK_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    monkeypatch.setenv("JEJAK_DEV_KEY_FILE", str(tmp_path / "keys.json"))
    monkeypatch.setattr(cli, "build_runtime", lambda s: build_runtime(s, fast_passwords=True))
    demo_programme(2, 5, TODAY)  # what the command plans: its people join the log scan
    code = cli.main(
        ["demo-data", "--workers", "5", "--seed", "2", "--reference-date", TODAY.isoformat()]
    )
    assert code == 0
    out, err = capsys.readouterr()
    assert "workers: 5 registered, 0 already there" in out
    assert "5/5 workers" in err
    sign_ins = re.search(r"log in as, for example: (.+)", out)
    assert sign_ins is not None
    names = dict(reversed(part.rstrip(")").split(" (")) for part in sign_ins.group(1).split(", "))
    assert set(names) == {"officer", "coordinator", "auditor"}
    assert names["auditor"] == "auditor.demo"
    from fastapi.testclient import TestClient

    from infrastructure.settings import Settings
    from interfaces.http.app import create_app

    with TestClient(create_app(Settings())) as client:
        for username in names.values():
            token = client.post(
                "/v1/auth/token", data={"username": username, "password": "desmigratif-demo"}
            )
            assert token.status_code == 200, username


def test_demo_data_is_refused_in_production(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "Settings", lambda: Settings(env="production"))
    assert cli.main(["demo-data", "--workers", "5"]) == 1
    assert "never loaded in production" in capsys.readouterr().err
