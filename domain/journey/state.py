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
