"""What a cooperative's books hold: its members and their savings per kind, loans, business
units and annual meetings. Not snapshotted (see ``domain.cooperative``): these are the
aggregate's state, rebuilt from its events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.vocabularies import Vocabulary

#: The longest loan term a village cooperative gives (ten years).
MAX_TERM_MONTHS = 120
#: Most attendees one annual meeting can record.
MAX_ATTENDEES = 100_000


class MemberKind(Vocabulary):
    RETURNEE = "returnee"
    FAMILY = "family"
    COMMUNITY = "community"


class SavingsKind(Vocabulary):
    POKOK = "pokok"
    WAJIB = "wajib"
    SUKARELA = "sukarela"


#: Kinds a member may take out while still a member; the others are returned on leaving.
WITHDRAWABLE_WHILE_MEMBER = frozenset({SavingsKind.SUKARELA})


@dataclass
class Member:
    id: UUID
    kind: str
    worker_id: UUID | None
    name: str | None
    nik: str | None
    admitted_on: date
    left_on: date | None = None
    balances: dict[str, int] = field(default_factory=lambda: {k.value: 0 for k in SavingsKind})
    #: What was paid back when the member left, per kind.
    refunded: dict[str, int] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.left_on is None

    @property
    def total_savings(self) -> int:
        return sum(self.balances.values())


@dataclass
class Loan:
    id: UUID
    member_id: UUID
    principal: int
    term_months: int
    purpose: str
    disbursed_on: date
    repaid: int = 0
    repayments: int = 0

    @property
    def outstanding(self) -> int:
        return self.principal - self.repaid


@dataclass(frozen=True)
class BusinessUnit:
    id: UUID
    name: str
    sector: str
    opened_on: date


@dataclass(frozen=True)
class Meeting:
    held_on: date
    attendees: int
