"""Transfers and referrals of the demo (SPEC §8), added after the villages are designated.

Each regency gets its service directory (the Disnaker, the police resort, the UPTD PPA; the
province's BP3MI), listed by its coordinator. Open cases with an incident are referred to the
agency that fits it: unpaid wages to the Disnaker or the BP3MI with the worker's consent,
abuse and trafficking to the police or UPTD PPA, sometimes without consent; some agencies
answered, some are overdue, some are still within their time. A few workers moved: some were
taken by another village, one was declined, one withdrawn, and a few requests wait in the
destination's inbox.

Draws come from a generator of their own (the programme's seed + 20), so adding this stage
left every earlier stage of a seed as it was."""

from __future__ import annotations

import random
from datetime import date, timedelta
from uuid import UUID

from application.agencies import RegisterAgency
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.referrals import ExternalAgency, RecordReferralOutcome, Refer
from application.transfers import RequestTransfer
from application.writes import WriteOptions
from domain.agency import AgencyAlreadyListed
from domain.journey import Consent, Journey
from domain.vocabularies import (
    AgencyKind,
    ConsentBy,
    ConsentGround,
    ReferralOutcome,
    ReferralService,
)
from interfaces.demo.load import DemoContext

_O = WriteOptions()
#: Share of open cases with an incident that were referred, and of workers who moved.
REFERRED_SHARE = 0.6
MOVED_SHARE = 0.04

#: What an incident is referred for, and to whom.
_FOR_INCIDENT: dict[str, tuple[ReferralService, AgencyKind]] = {
    "unpaid_wages": (ReferralService.WAGE_CLAIM, AgencyKind.DISNAKER),
    "withheld_documents": (ReferralService.DOCUMENT_RECOVERY, AgencyKind.BP3MI),
    "wants_to_go_home": (ReferralService.REPATRIATION, AgencyKind.BP3MI),
    "deportation": (ReferralService.REPATRIATION, AgencyKind.BP3MI),
    "illness": (ReferralService.HEALTH_CARE, AgencyKind.BP3MI),
    "accident": (ReferralService.HEALTH_CARE, AgencyKind.BP3MI),
    "abuse": (ReferralService.SHELTER, AgencyKind.UPTD_PPA),
    "trafficking": (ReferralService.INVESTIGATION, AgencyKind.POLICE),
    "job_fraud": (ReferralService.INVESTIGATION, AgencyKind.POLICE),
}
#: How the requests of the movers end, in turn ("pending": still in the inbox).
_ANSWERS = ("accepted", "pending", "declined", "accepted", "withdrawn")
_REASONS = {
    ReferralService.WAGE_CLAIM: "Gaji tidak dibayar",
    ReferralService.DOCUMENT_RECOVERY: "Paspor ditahan majikan",
    ReferralService.REPATRIATION: "Minta dipulangkan",
    ReferralService.HEALTH_CARE: "Perlu perawatan",
    ReferralService.SHELTER: "Korban kekerasan, perlu rumah aman",
    ReferralService.INVESTIGATION: "Dugaan perdagangan orang",
}


def casework(context: DemoContext) -> str:
    """The generator of transfers and referrals; answers its summary line."""
    rng = random.Random(context.seed + 20)  # noqa: S311 (synthetic data)
    directory = _directory(context)
    referred = sum(_refer(context, rng, worker, directory) for worker in context.workers)
    moved = _transfers(context, rng)
    return f"{len(directory)} agencies; {referred} referrals; {moved} transfer requests"


def _directory(context: DemoContext) -> dict[tuple[str, AgencyKind], UUID]:
    """The agencies of each regency (and its province's BP3MI), by (regency, kind)."""
    found: dict[tuple[str, AgencyKind], UUID] = {}
    for village in context.villages:
        regency = village.regency_code
        if (regency, AgencyKind.DISNAKER) in found:
            continue
        coordinator = context.coordinators.get(regency, SYSTEM_PRINCIPAL)
        name = village.regency_name.removeprefix("Kabupaten ").removeprefix("Kota ")
        listed = (
            (AgencyKind.DISNAKER, f"Disnaker {village.regency_name}", regency),
            (AgencyKind.POLICE, f"Polres {name}", regency),
            (AgencyKind.UPTD_PPA, f"UPTD PPA {village.regency_name}", regency),
            (AgencyKind.BP3MI, f"BP3MI provinsi {regency[:2]}", regency[:2]),
        )
        for kind, title, region in listed:
            found[(regency, kind)] = _agency(context, coordinator, kind, title, region)
    return found


def _agency(
    context: DemoContext, principal: Principal, kind: AgencyKind, name: str, region: str
) -> UUID:
    command = RegisterAgency(name=name, kind=kind, region_code=region, contact="Kantor dinas")
    try:
        return context.app.register_agency(principal, command, _O).id
    except AgencyAlreadyListed as listed:
        return UUID(str(listed.params["existing_id"]))


def _refer(
    context: DemoContext,
    rng: random.Random,
    worker: tuple[UUID, str, list[UUID]],
    directory: dict[tuple[str, AgencyKind], UUID],
) -> int:
    _, village, journeys = worker
    if not journeys:
        return 0
    officer = context.officers[village]
    journey = context.app.get_journey(officer, journeys[-1])
    incidents = [i for i in journey.incidents if i["category"] in _FOR_INCIDENT]
    if not journey.is_open or not incidents or rng.random() > REFERRED_SHARE:
        return 0
    incident = rng.choice(incidents)
    service, kind = _FOR_INCIDENT[incident["category"]]
    referred_on = min(context.today, incident["occurred_on"] + timedelta(days=rng.randint(1, 10)))
    without_consent = kind in (AgencyKind.POLICE, AgencyKind.UPTD_PPA) and rng.random() < 0.3
    consent = (
        Consent(given=False, ground=ConsentGround.TRAFFICKING)
        if without_consent
        else Consent(given=True, by=rng.choice(list(ConsentBy)), on=referred_on)
    )
    regency = village[:5]
    agency_id = directory.get((regency, kind))
    external = None if agency_id else ExternalAgency(name="Lembaga bantuan", kind=kind)
    command = Refer(
        service=service,
        reason=_REASONS[service],
        consent=consent,
        agency_id=agency_id,
        external_agency=external,
        due_on=referred_on + timedelta(days=rng.choice((7, 14, 30))),
        occurred_on=referred_on,
    )
    made = context.app.refer(officer, journey.id, command, _O)
    _answer(context, rng, officer, journey, int(made.extra["referral_id"]), referred_on)
    return 1


def _answer(
    context: DemoContext,
    rng: random.Random,
    officer: Principal,
    journey: Journey,
    referral_id: int,
    referred_on: date,
) -> None:
    """Half the agencies answered within a few weeks; the others are awaited (overdue when
    their date has passed)."""
    answered_on = referred_on + timedelta(days=rng.randint(2, 40))
    if rng.random() < 0.5 or answered_on > context.today:
        return
    outcome = rng.choices(list(ReferralOutcome), weights=(5, 1, 4, 1))[0]
    command = RecordReferralOutcome(outcome=outcome, occurred_on=answered_on)
    context.app.record_referral_outcome(officer, journey.id, referral_id, command, _O)


def _transfers(context: DemoContext, rng: random.Random) -> int:
    """A few workers asked for by other villages: most accepted, one declined, one
    withdrawn, the rest waiting in the destination's inbox."""
    codes = [village.code for village in context.villages]
    if len(codes) < 2 or not context.workers:
        return 0
    count = min(len(context.workers), max(len(_ANSWERS), round(len(context.workers) * MOVED_SHARE)))
    movers = rng.sample(context.workers, count)
    for number, (worker_id, village, _) in enumerate(movers):
        destination = rng.choice([code for code in codes if code != village])
        sender, receiver = context.officers[village], context.officers[destination]
        moved_on = context.today - timedelta(days=rng.randint(0, 60))
        asked = context.app.request_transfer(
            sender, worker_id, RequestTransfer(destination, "Pindah domisili", moved_on), _O
        )
        transfer_id = UUID(str(asked.extra["transfer_id"]))
        answer = _ANSWERS[number % len(_ANSWERS)]
        if answer == "accepted":
            context.app.accept_transfer(receiver, worker_id, transfer_id, _O)
        elif answer == "declined":
            context.app.decline_transfer(receiver, worker_id, transfer_id, "Bukan warga kami", _O)
        elif answer == "withdrawn":
            context.app.withdraw_transfer(sender, worker_id, transfer_id, "Batal pindah", _O)
    return len(movers)
