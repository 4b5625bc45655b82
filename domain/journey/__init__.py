"""The journey of one worker's migration, the case Jejak follows.

``aggregate`` holds the ``Journey`` and its commands; ``events`` what can happen on one and
where each event's entry goes; ``state`` the entries; ``stages`` what may be recorded in
which stage; ``referrals`` the referrals to agencies and their rules; ``flags`` the risks
derived from the state; ``corrections`` what a correction may change; ``values`` how the
values of commands and corrections are read; ``errors`` the rules a command can break.
Importers take what they need from here."""

from domain.journey.aggregate import Journey, JourneySnapshot
from domain.journey.corrections import CORRECTABLE
from domain.journey.errors import (
    AlreadyResolved,
    JourneyAlreadyOpen,
    JourneyStageConflict,
    OpenItemsAtEnd,
)
from domain.journey.events import EVENTS
from domain.journey.flags import Flags
from domain.journey.referrals import DEFAULT_RESPONSE_DAYS, Consent, ReferredAgency
from domain.journey.stages import ALLOWED_STAGES, JourneyAction, actions_allowed_in
from domain.journey.state import P3mi, ScanEntry

__all__ = [
    "ALLOWED_STAGES",
    "CORRECTABLE",
    "DEFAULT_RESPONSE_DAYS",
    "EVENTS",
    "AlreadyResolved",
    "Consent",
    "Flags",
    "Journey",
    "JourneyAction",
    "JourneyAlreadyOpen",
    "JourneySnapshot",
    "JourneyStageConflict",
    "OpenItemsAtEnd",
    "P3mi",
    "ReferredAgency",
    "ScanEntry",
    "actions_allowed_in",
]
