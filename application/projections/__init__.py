"""The projections Jejak keeps. Adding one here is all it takes for it to be built."""

from __future__ import annotations

from application.projections.activity import ActorActivity
from application.projections.agenda import AgendaBoard
from application.projections.digests import DigestSubscribers
from application.projections.journeys import JourneyBoard
from application.projections.programme import CooperativeBooks, PillarActivity
from application.projections.referrals import ReferralBoard, ServiceDirectory
from application.projections.transfers import TransferLedger
from application.projections.workers import WorkerRegister
from application.readmodels import Projection

ALL_PROJECTIONS: tuple[type[Projection], ...] = (
    ActorActivity,
    JourneyBoard,
    CooperativeBooks,
    PillarActivity,
    WorkerRegister,
    AgendaBoard,
    DigestSubscribers,
    TransferLedger,
    ReferralBoard,
    ServiceDirectory,
)
