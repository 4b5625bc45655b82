"""The demo's agenda: some villages on top of their work, some behind.

The demo programme records journeys as their stories happened, with welfare checks months
apart, incidents left open and returnees waiting for a plan: by the rules of SPEC §7 nearly
every case would be overdue. Here each village gets a habit, and its officer catches up on
what is due accordingly: a village "on top" records a recent welfare check for almost every
worker abroad, resolves its incidents and indications and plans its returnees'
reintegration, renews expiring documents and records returns; a village "behind" does
little of it. Demo officers and coordinators get a
reminder address on the reserved ``.invalid`` domain (nothing can ever be delivered there).

Called by ``interfaces.demo`` as one of its generators (``agenda``), after the villages."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from application.app import JejakApplication
from application.digests import ChoosePreferences
from application.errors import NotFound
from application.journeys import (
    CheckWelfare,
    PlanReintegration,
    RecordDocument,
    RecordReintegrationActivity,
    RecordReturn,
    ResolveIncident,
    ResolveIndication,
)
from application.principal import Principal
from application.writes import WriteOptions
from domain.agenda import open_items
from domain.agenda_rules import AgendaKind
from domain.errors import DomainError
from domain.journey import Journey
from domain.vocabularies import (
    ContactWith,
    DocumentKind,
    IncidentOutcome,
    IndicationOutcome,
    ReintegrationActivityKind,
    ReintegrationNeed,
    ReturnReason,
    WelfareStatus,
)

if TYPE_CHECKING:
    from interfaces.demo.load import DemoContext

#: How often a village's officer settles what is due: (habit, share of villages, chance).
HABITS = (("on top", 0.4, 0.92), ("catching up", 0.3, 0.55), ("behind", 0.3, 0.12))
REMINDER_DOMAIN = "desmigratif.invalid"
_O = WriteOptions()


def agenda(context: DemoContext) -> str:
    """Settles part of each village's agenda by its habit; answers a summary line."""
    habits = village_habits([v.code for v in context.villages])
    settled: Counter[str] = Counter()
    for _worker, village, journeys in context.workers:
        officer = context.officers.get(village)
        chance = {name: p for name, _, p in HABITS}[habits[village]]
        for journey_id in journeys:
            if officer is not None:
                settled.update(_catch_up(context, officer, journey_id, chance))
    reminders = sum(
        _reminder_address(context.app, principal)
        for principal in [*context.officers.values(), *context.coordinators.values()]
    )
    count = Counter(habits.values())
    return (
        f"agenda: {count['on top']} villages on top of their work, {count['catching up']} "
        f"catching up, {count['behind']} behind; {sum(settled.values())} items settled; "
        f"{reminders} reminder addresses"
    )


def village_habits(villages: list[str]) -> dict[str, str]:
    """Each village's habit, the same for the same villages (seeded by their codes)."""
    rng = random.Random(",".join(sorted(villages)))  # noqa: S311 (synthetic data)
    names = [name for name, _, _ in HABITS]
    weights = [share for _, share, _ in HABITS]
    return {code: rng.choices(names, weights)[0] for code in sorted(villages)}


def _catch_up(
    context: DemoContext, officer: Principal, journey_id: UUID, chance: float
) -> Counter[str]:
    app, rng, today = context.app, context.rng, context.today
    done: Counter[str] = Counter()
    tried: set[str] = set()
    for _ in range(2):  # a return recorded opens a plan, which a diligent village makes too
        try:
            journey: Journey = app.get_journey(officer, journey_id)
        except NotFound:
            return done
        for item in open_items(journey):
            if item.key in tried:
                continue
            tried.add(item.key)
            if rng.random() < chance and _settle(
                app, officer, journey_id, item.kind, item.subject, item.anchor, rng, today
            ):
                done[item.kind.value] += 1
    return done


Visit = Any  # (app, officer, journey id, number of the item's subject, day, rng) -> result

#: What an officer records to settle each kind of item on a visit or a call.
_VISITS: dict[AgendaKind, Visit] = {
    AgendaKind.WELFARE_CHECK: lambda app, p, j, n, on, rng: app.check_welfare(
        p,
        j,
        CheckWelfare(
            contact_with=rng.choice((ContactWith.WORKER, ContactWith.FAMILY)),
            status=WelfareStatus.OK,
            occurred_on=on,
        ),
        _O,
    ),
    AgendaKind.INCIDENT_RESPONSE: lambda app, p, j, n, on, rng: app.resolve_incident(
        p, j, n, ResolveIncident(outcome=IncidentOutcome.RESOLVED, occurred_on=on), _O
    ),
    AgendaKind.INDICATION_FOLLOW_UP: lambda app, p, j, n, on, rng: app.resolve_indication(
        p, j, n, ResolveIndication(outcome=IndicationOutcome.PERSUADED, occurred_on=on), _O
    ),
    AgendaKind.REINTEGRATION_PLAN: lambda app, p, j, n, on, rng: app.plan_reintegration(
        p, j, PlanReintegration(needs=(ReintegrationNeed.SKILLS_TRAINING,), occurred_on=on), _O
    ),
    AgendaKind.REINTEGRATION_FOLLOW_UP: lambda app, p, j, n, on, rng: (
        app.record_reintegration_activity(
            p,
            j,
            RecordReintegrationActivity(kind=ReintegrationActivityKind.HOME_VISIT, occurred_on=on),
            _O,
        )
    ),
}


def _settle(
    app: JejakApplication,
    officer: Principal,
    journey_id: UUID,
    kind: AgendaKind,
    subject: str | None,
    anchor: date,
    rng: random.Random,
    today: date,
) -> bool:
    """Records what settles one item, on a recent day (never before what started it)."""
    on = max(anchor, today - timedelta(days=rng.randint(1, 45)))
    if on > today:
        return False
    tail = (subject or "").rpartition(":")[2]
    number = int(tail) if tail.isdigit() else 0
    visit = _VISITS.get(kind)
    action = (
        (lambda: visit(app, officer, journey_id, number, on, rng))
        if visit is not None
        else _renewal_or_return(app, officer, journey_id, kind, subject, anchor, rng, today)
    )
    if action is None:
        return False
    try:
        action()
    except DomainError:
        return False
    return True


def _renewal_or_return(
    app: JejakApplication,
    officer: Principal,
    journey_id: UUID,
    kind: AgendaKind,
    subject: str | None,
    anchor: date,
    rng: random.Random,
    today: date,
) -> Any:
    """A passport renewed with the officer's help, or a return recorded soon after the
    contract ended: what a village on top of its work has on file."""
    if kind is AgendaKind.DOCUMENT_EXPIRY and subject and subject.count(":") == 1:
        issued = today - timedelta(days=rng.randint(1, 30))
        document = RecordDocument(
            kind=DocumentKind(subject.partition(":")[2]),
            number=f"R{rng.randint(100000, 999999)}",
            issued_on=issued,
            expires_on=issued + timedelta(days=5 * 365),
            occurred_on=issued,
        )
        return lambda: app.record_document(officer, journey_id, document, _O)
    if kind is AgendaKind.EXPECTED_RETURN and anchor < today:
        back = min(today, anchor + timedelta(days=rng.randint(0, 20)))
        command = RecordReturn(returned_on=back, reason=ReturnReason.CONTRACT_COMPLETED)
        return lambda: app.record_return(officer, journey_id, command, _O)
    return None


def _reminder_address(app: JejakApplication, principal: Principal) -> int:
    if app.get_digest_preferences(principal) is not None:
        return 0
    address = f"{principal.username}@{REMINDER_DOMAIN}"
    app.set_digest_preferences(
        principal, ChoosePreferences(email=address, phone=None, opted_out=False), _O
    )
    return 1
