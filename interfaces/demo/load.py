"""Loading a planned programme through the application's use cases: users first, then each
worker and their journeys, recorded by the officer of the worker's village, then whatever the
generators add on top (villages' activities, cooperatives). Users and workers that exist (by
username, by NIK) are skipped, so loading the same programme again adds nothing."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from uuid import UUID

from application.app import JejakApplication
from application.errors import WorkerAlreadyRegistered, WorkerRegisteredElsewhere
from application.journeys import CorrectJourney
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.users import CreateUser
from application.writes import WriteOptions
from domain.errors import AlreadyExists
from domain.events import Role
from interfaces.demo.journeys import DemoJourney, Step
from interfaces.demo.plan import DemoUser, DemoVillage, Programme
from interfaces.demo.progress import Progress

#: The password of every demo user: demo data never goes on a production store.
DEMO_PASSWORD = "desmigratif-demo"  # noqa: S105
_O = WriteOptions()


@dataclass
class DemoContext:
    """What a generator of another area can build on (designated villages, cooperatives
    with returnee members, pillar activities)."""

    app: JejakApplication
    rng: random.Random
    today: date
    villages: tuple[DemoVillage, ...]
    #: The principal of each village's officer, by village code.
    officers: dict[str, Principal] = field(default_factory=dict)
    #: The principal of each regency's coordinator, by regency code.
    coordinators: dict[str, Principal] = field(default_factory=dict)
    #: (worker id, village code, journey ids in order) of every worker loaded.
    workers: list[tuple[UUID, str, list[UUID]]] = field(default_factory=list)
    #: The programme's seed, for a generator that draws from a random generator of its own.
    seed: int = 0


#: What another area adds on top of the workers and journeys: it gets the context and
#: answers one summary line.
Generator = Callable[[DemoContext], str]


@dataclass
class Summary:
    users_created: int = 0
    workers_created: int = 0
    workers_skipped: int = 0
    journeys: Counter[str] = field(default_factory=Counter)
    non_procedural: int = 0
    events: int = 0
    extra: list[str] = field(default_factory=list)
    #: One username per role, so whoever ran the command knows whom to log in as.
    sign_ins: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        stages = ", ".join(f"{stage} {count}" for stage, count in sorted(self.journeys.items()))
        return [
            f"users: {self.users_created} created",
            f"workers: {self.workers_created} registered, {self.workers_skipped} already there",
            f"journeys: {sum(self.journeys.values())} ({stages})",
            f"non-procedural departures: {self.non_procedural}",
            f"events recorded: {self.events}",
            *self.extra,
            "log in as, for example: "
            + ", ".join(f"{name} ({role})" for role, name in self.sign_ins.items()),
        ]


def load_programme(
    app: JejakApplication,
    programme: Programme,
    progress: Progress | None = None,
    generators: Sequence[Generator] = (),
) -> Summary:
    """Writes the programme through the use cases; each journey is recorded by the officer
    of the worker's village."""
    summary = Summary()
    context = DemoContext(
        app=app,
        rng=random.Random(programme.seed + 1),  # noqa: S311 (synthetic data)
        today=programme.today,
        villages=programme.villages,
        seed=programme.seed,
    )
    _load_users(app, programme, context, summary)
    for worker in programme.workers:
        village = worker.registration.village_code
        officer = context.officers[village]
        try:
            result = app.register_worker(officer, worker.registration, _O)
        except (WorkerAlreadyRegistered, WorkerRegisteredElsewhere):
            # Registered before (and, if transferred since, in another village's scope now).
            summary.workers_skipped += 1
        else:
            summary.workers_created += 1
            summary.events += 1
            journey_ids = [
                _load_journey(app, officer, result.id, journey, summary)
                for journey in worker.journeys
            ]
            context.workers.append((result.id, village, journey_ids))
        if progress is not None:
            progress.advance()
    for generate in generators:
        summary.extra.append(generate(context))
    return summary


def _load_users(
    app: JejakApplication, programme: Programme, context: DemoContext, summary: Summary
) -> None:
    for user in programme.users:
        principal = _ensure_user(app, user, summary)
        summary.sign_ins.setdefault(user.role.value, user.username)
        if user.role is Role.OFFICER:
            context.officers[user.regions[0]] = principal
        elif user.role is Role.COORDINATOR:
            context.coordinators[user.regions[0]] = principal


def _ensure_user(app: JejakApplication, user: DemoUser, summary: Summary) -> Principal:
    command = CreateUser(
        username=user.username, password=DEMO_PASSWORD, role=user.role, regions=user.regions
    )
    try:
        result = app.create_user(SYSTEM_PRINCIPAL, command, _O)
    except AlreadyExists:
        return app.principal_for(app.get_user(user.username).id)
    summary.users_created += 1
    summary.events += 1
    return app.principal_for(result.id)


def _load_journey(
    app: JejakApplication,
    officer: Principal,
    worker_id: UUID,
    journey: DemoJourney,
    summary: Summary,
) -> UUID:
    opened = app.open_journey(officer, replace(journey.opening, worker_id=worker_id), _O)
    journey_id = opened.id
    result = opened
    for step in journey.steps:
        result = _STEPS[step.action](app, officer, journey_id, step, result.version)
    summary.events += result.version
    summary.journeys[str(result.extra.get("stage", opened.extra["stage"]))] += 1
    flags = result.extra.get("flags", {})
    if isinstance(flags, dict) and flags.get("non_procedural"):
        summary.non_procedural += 1
    return journey_id


StepRunner = Callable[[JejakApplication, Principal, UUID, Step, int], Any]


def _correction(app: JejakApplication, p: Principal, j: UUID, step: Step, version: int) -> Any:
    """A correction of the event just recorded (the plan cannot know its version)."""
    command: CorrectJourney = step.command
    fixed = CorrectJourney(corrects_version=version, reason=command.reason, changes=command.changes)
    return app.correct_journey(p, j, fixed, _O)


_STEPS: dict[str, StepRunner] = {
    "counselling": lambda app, p, j, s, v: app.provide_migration_info(p, j, s.command, _O),
    "document": lambda app, p, j, s, v: app.record_document(p, j, s.command, _O),
    "indication": lambda app, p, j, s, v: app.raise_indication(p, j, s.command, _O),
    "resolve_indication": lambda app, p, j, s, v: app.resolve_indication(
        p, j, s.number, s.command, _O
    ),
    "departure": lambda app, p, j, s, v: app.record_departure(p, j, s.command, _O),
    "correction": _correction,
    "welfare": lambda app, p, j, s, v: app.check_welfare(p, j, s.command, _O),
    "incident": lambda app, p, j, s, v: app.report_incident(p, j, s.command, _O),
    "resolve_incident": lambda app, p, j, s, v: app.resolve_incident(p, j, s.number, s.command, _O),
    "return": lambda app, p, j, s, v: app.record_return(p, j, s.command, _O),
    "plan": lambda app, p, j, s, v: app.plan_reintegration(p, j, s.command, _O),
    "activity": lambda app, p, j, s, v: app.record_reintegration_activity(p, j, s.command, _O),
    "cancel": lambda app, p, j, s, v: app.cancel_journey(p, j, s.command, _O),
    "close": lambda app, p, j, s, v: app.close_journey(p, j, s.command, _O),
}
