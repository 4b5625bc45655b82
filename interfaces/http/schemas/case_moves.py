"""How a journey shows what was recorded, and its moves and referrals (SPEC §8)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel


class RecordedView(BaseModel):
    """``occurred_on`` is when it happened; ``recorded_at`` when it was recorded, and by
    whom: a backdated entry shows both."""

    version: int
    occurred_on: date
    recorded_at: datetime
    recorded_by: UUID


class ReferralOutcomeView(RecordedView):
    outcome: str
    note: str | None


class ReferralView(RecordedView):
    """A referral to an agency; ``outcome`` is the agency's answer once recorded."""

    referral_id: int
    service: str
    agency_id: UUID | None
    agency_kind: str
    agency_name: str
    agency_region_code: str | None
    agency_contact: str | None
    reason: str
    note: str | None
    due_on: date
    consent_given: bool
    consent_by: str | None
    consent_on: date | None
    consent_ground: str | None
    outcome: ReferralOutcomeView | None


class TransferredView(RecordedView):
    """The case moved to another village: a worker's transfer was accepted."""

    transfer_id: UUID
    from_village_code: str
    to_village_code: str
