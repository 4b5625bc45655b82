"""What a journey holds: one entry per recorded fact, as plain dicts and lists of JSON
values (so snapshots store them without transcodings of their own), typed by TypedDicts.

Entries are schema too: snapshots store them, so their keys and the order of their keys
stay as they are (a list whose entries differ in shape is stored unpacked)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast
from uuid import UUID

from domain.vocabularies import FINAL_STAGES, Stage


class P3mi(TypedDict):
    """The licensed placement company of a p3mi placement."""

    name: str
    licence_number: str


class Entry(TypedDict):
    """What every recorded fact keeps: the event that said it, when it happened, when and
    by whom it was recorded."""

    version: int
    occurred_on: date
    recorded_at: datetime
    recorded_by: UUID


class OpeningEntry(Entry):
    destination_country: str
    occupation: str
    placement_scheme: str
    p3mi: P3mi | None


class CounsellingEntry(Entry):
    topics: list[str]


class DocumentEntry(Entry):
    document_id: int
    kind: str
    number: str
    issued_on: date
    expires_on: date | None


class ResolutionEntry(Entry):
    outcome: str
    note: str | None


class IndicationEntry(Entry):
    indication_id: int
    indicators: list[str]
    note: str | None
    resolution: ResolutionEntry | None


class DepartureEntry(Entry):
    departed_on: date
    employer: str
    contract_start: date
    contract_end: date
    worker_under_18: bool


class WelfareCheckEntry(Entry):
    contact_with: str
    status: str
    note: str | None


class IncidentEntry(Entry):
    incident_id: int
    category: str
    severity: str
    note: str | None
    resolution: ResolutionEntry | None


class ReturnEntry(Entry):
    returned_on: date
    reason: str


class PlanEntry(Entry):
    needs: list[str]


class ActivityEntry(Entry):
    kind: str
    note: str | None


class EndEntry(Entry):
    reason: str


class LeftOpenEntry(Entry):
    reason: str
    incidents: list[int]
    indications: list[int]


class CorrectionEntry(Entry):
    corrects_version: int
    reason: str
    #: The corrected values of fields that are not personal data.
    changes: dict[str, Any]
    #: Names (never values) of corrected personal fields, e.g. ``["note"]``.
    personal_fields: list[str]


class ScanEntry(Entry):
    """One upload of a document's scan; the file itself is in the scan store."""

    document_id: int
    scan_id: UUID
    content_type: str
    size: int
    sha256: str


class TransferEntry(Entry):
    """The case moved to another village (a worker's transfer was accepted)."""

    transfer_id: UUID
    from_village_code: str
    to_village_code: str


class ReferralEntry(Entry):
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
    outcome: ResolutionEntry | None


class EventRecord(TypedDict):
    """Which event a version was (its stored name) and which entry it wrote (an index
    into its list)."""

    event: str
    index: int


class JourneyState:
    """The state of a journey and what can be read from it alone. The aggregate is one;
    flags, events and corrections read and write this, not the aggregate's commands."""

    if TYPE_CHECKING:  # set by the events' apply(); the library's metaclass would turn
        # class annotations of the aggregate into required __init__ parameters.
        worker_id: UUID
        village_code: str
        stage: str
        opening: OpeningEntry
        counselling: list[CounsellingEntry]
        documents: list[DocumentEntry]
        indications: list[IndicationEntry]
        departure: DepartureEntry | None
        welfare_checks: list[WelfareCheckEntry]
        incidents: list[IncidentEntry]
        return_home: ReturnEntry | None
        reintegration_plans: list[PlanEntry]
        reintegration_activities: list[ActivityEntry]
        cancellation: EndEntry | None
        closure: EndEntry | None
        corrections: list[CorrectionEntry]
        records: list[EventRecord]
        #: Only from the first scan on (journeys snapshotted before scans have none).
        scans: list[ScanEntry]
        #: Likewise only from the first transfer, and the first referral, on.
        transfers: list[TransferEntry]
        referrals: list[ReferralEntry]
        #: Only on a journey that ended with items left open (``LeftOpen``).
        left_open: LeftOpenEntry

    @property
    def destination_country(self) -> str:
        return self.opening["destination_country"]

    @property
    def placement_scheme(self) -> str:
        return self.opening["placement_scheme"]

    @property
    def opened_on(self) -> date:
        return self.opening["occurred_on"]

    @property
    def is_open(self) -> bool:
        """Neither closed nor cancelled: the worker's one open journey."""
        return Stage(self.stage) not in FINAL_STAGES

    def event_at(self, version: int) -> str | None:
        """The stored name of the event recorded at ``version``, if there is one."""
        if 1 <= version <= len(self.records):
            return self.records[version - 1]["event"]
        return None

    def has_indication(self, indication_id: int) -> bool:
        return 1 <= indication_id <= len(self.indications)

    def has_incident(self, incident_id: int) -> bool:
        return 1 <= incident_id <= len(self.incidents)

    @property
    def open_incidents(self) -> list[IncidentEntry]:
        return [i for i in self.incidents if i["resolution"] is None]

    @property
    def open_indications(self) -> list[IndicationEntry]:
        return [i for i in self.indications if i["resolution"] is None]

    @property
    def left_open_at_end(self) -> LeftOpenEntry | None:
        """Why the journey ended with items unresolved, when the officer said so (journeys
        ended before the rule have none, and may still have unresolved items)."""
        return cast("LeftOpenEntry | None", self.__dict__.get("left_open"))

    def has_document(self, document_id: int) -> bool:
        return 1 <= document_id <= len(self.documents)

    @property
    def attached_scans(self) -> list[ScanEntry]:
        """Every upload of every document's scan, in the order they were attached."""
        return list(self.scan_list())

    def scan_of(self, document_id: int) -> ScanEntry | None:
        """The document's current scan: the last one attached."""
        for scan in reversed(self.scan_list()):
            if scan["document_id"] == document_id:
                return scan
        return None

    def scan_list(self) -> list[ScanEntry]:
        """The journey's scans, a list made on the first (scans arrived after journeys had
        snapshots, and Opened does not start one: older snapshots hold none)."""
        return cast(list[ScanEntry], self.__dict__.setdefault("scans", []))

    def transfer_list(self) -> list[TransferEntry]:
        """The journey's moves between villages, oldest first (a list made on the first)."""
        return cast(list[TransferEntry], self.__dict__.setdefault("transfers", []))

    def referral_list(self) -> list[ReferralEntry]:
        """The journey's referrals, numbered from 1 (a list made on the first)."""
        return cast(list[ReferralEntry], self.__dict__.setdefault("referrals", []))

    def has_referral(self, referral_id: int) -> bool:
        return 1 <= referral_id <= len(self.referral_list())

    @property
    def open_referrals(self) -> list[ReferralEntry]:
        """Referrals the agency has not answered yet."""
        return [r for r in self.referral_list() if r["outcome"] is None]

    def village_on(self, day: date) -> str:
        """The village the case belonged to on ``day``: a transfer counts from the day it
        was accepted, so a year's figures keep what happened before it where it happened."""
        village = self.village_code
        for transfer in reversed(self.transfer_list()):
            if transfer["occurred_on"] <= day:
                break
            village = transfer["from_village_code"]
        return village
