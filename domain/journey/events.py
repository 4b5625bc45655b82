"""What can happen on a journey: its events, each keeping one entry of the journey's state.

An event's entry is what every entry keeps (version, dates, who recorded it) followed by the
event's own fields, in the order they are declared. ``KEPT_IN`` names where the entry goes
(a list of entries, or a single one), ``MOVES_TO`` the stage the event moves the journey to;
the journey's ``records`` say, version by version, which event it was and where its entry
went. One ``apply`` does this for every event; the few that do more say so below.

Stored names are schema: every ``TOPIC``, every field name and its order, and the event's
name in ``records`` (its ``TOPIC`` without ``jejak:Journey.``) stay as they are. The
aggregate (``domain.journey.aggregate``) makes these its events by naming them."""

from __future__ import annotations

import copy
import inspect
from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, cast
from uuid import UUID

from domain.events import ERASED, JejakCreated, JejakEvent
from domain.journey.state import JourneyState, OpeningEntry, P3mi
from domain.vocabularies import Stage

_TOPIC_PREFIX = "jejak:Journey."


class Event(JejakEvent):
    """Every journey event names its worker, whose key seals the event's personal fields."""

    PERSONAL_SUBJECT = "worker_id"
    #: The event's name in ``records``: its ``TOPIC`` without the aggregate's.
    NAME: ClassVar[str] = ""
    #: The journey attribute that holds the event's entry: a list, or one entry.
    KEPT_IN: ClassVar[str] = ""
    #: The stage the event moves the journey to, if it moves it.
    MOVES_TO: ClassVar[Stage | None] = None
    #: The event's own fields that its entry leaves out.
    NOT_KEPT: ClassVar[frozenset[str]] = frozenset()
    #: A date field that is the event's ``occurred_on`` under another name.
    DATE_FIELD: ClassVar[str | None] = None
    #: What the entry holds besides the event's fields (a resolution still to come).
    ALSO_KEPT: ClassVar[Mapping[str, None]] = {}
    _KEPT_FIELDS: ClassVar[tuple[str, ...]] = ()

    worker_id: UUID

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.NAME = str(cls.__dict__.get("TOPIC", "")).removeprefix(_TOPIC_PREFIX)
        own = inspect.get_annotations(cls)  # this class's fields, in declared order
        cls._KEPT_FIELDS = tuple(name for name in own if name not in cls.NOT_KEPT)

    def entry(self) -> dict[str, Any]:
        """The entry this event keeps (lists and dicts copied: corrections amend entries)."""
        entry: dict[str, Any] = {
            "version": self.originator_version,
            "occurred_on": self.occurred_on,
            "recorded_at": self.timestamp,
            "recorded_by": self.actor_id,
        }
        for name in self._KEPT_FIELDS:
            value = getattr(self, name)
            entry[name] = copy.deepcopy(value) if isinstance(value, list | dict) else value
        entry.update(self.ALSO_KEPT)
        return entry

    def apply(self, journey: JourneyState) -> None:
        index = self.keep(self.entry(), journey)
        if self.MOVES_TO is not None:
            journey.stage = self.MOVES_TO.value
        journey.records.append({"event": self.NAME, "index": index})

    def keep(self, entry: dict[str, Any], journey: JourneyState) -> int:
        """Puts the entry in its place on the journey; gives its index there."""
        held = getattr(journey, self.KEPT_IN)
        if isinstance(held, list):
            held.append(entry)
            return len(held) - 1
        setattr(journey, self.KEPT_IN, entry)
        return 0

    @classmethod
    def kept(cls, journey: JourneyState, index: int) -> dict[str, Any]:
        """The entry an event of this kind kept at ``index``, as corrections left it."""
        held = getattr(journey, cls.KEPT_IN)
        return cast(dict[str, Any], held[index] if isinstance(held, list) else held)


class Opened(Event, JejakCreated):
    """Version 1 carried the P3MI as two flat fields (``p3mi_name``,
    ``p3mi_licence_number``); version 2 nests them. The upcaster is the pattern for
    the next change of a stored shape, and a test reads a version 1 event."""

    TOPIC = "jejak:Journey.Opened"
    class_version = 2
    KEPT_IN = "opening"
    NOT_KEPT = frozenset({"village_code"})

    village_code: str
    destination_country: str
    occupation: str
    placement_scheme: str
    p3mi: P3mi | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        name = state.pop("p3mi_name", None)
        licence = state.pop("p3mi_licence_number", None)
        state["p3mi"] = None if name is None else {"name": name, "licence_number": licence}

    def apply(self, journey: JourneyState) -> None:
        """Starts every list and entry of the journey, in the order snapshots store them."""
        journey.worker_id = self.worker_id
        journey.village_code = self.village_code
        journey.stage = Stage.PRE_DEPARTURE.value
        journey.opening = cast(OpeningEntry, self.entry())
        journey.counselling = []
        journey.documents = []
        journey.indications = []
        journey.departure = None
        journey.welfare_checks = []
        journey.incidents = []
        journey.return_home = None
        journey.reintegration_plans = []
        journey.reintegration_activities = []
        journey.cancellation = None
        journey.closure = None
        journey.corrections = []
        journey.records = [{"event": self.NAME, "index": 0}]


class MigrationInfoProvided(Event):
    TOPIC = "jejak:Journey.MigrationInfoProvided"
    KEPT_IN = "counselling"

    topics: list[str]


class DocumentRecorded(Event):
    TOPIC = "jejak:Journey.DocumentRecorded"
    #: A document number identifies a person (a KTP number is the NIK).
    PERSONAL_FIELDS = {"number": ERASED}
    KEPT_IN = "documents"

    document_id: int
    kind: str
    number: str
    issued_on: date
    expires_on: date | None


class NonProceduralIndicationRaised(Event):
    TOPIC = "jejak:Journey.NonProceduralIndicationRaised"
    PERSONAL_FIELDS = {"note": ERASED}
    KEPT_IN = "indications"
    ALSO_KEPT = {"resolution": None}

    indication_id: int
    indicators: list[str]
    note: str | None


class Resolution(Event):
    """A resolution is kept on the indication, incident or referral it resolves, which
    ``NUMBER`` (a field of the event) numbers from 1, under the key ``SLOT``."""

    NUMBER: ClassVar[str] = ""
    SLOT: ClassVar[str] = "resolution"

    def keep(self, entry: dict[str, Any], journey: JourneyState) -> int:
        index = int(getattr(self, self.NUMBER)) - 1
        getattr(journey, self.KEPT_IN)[index][self.SLOT] = entry
        return index

    @classmethod
    def kept(cls, journey: JourneyState, index: int) -> dict[str, Any]:
        return cast(dict[str, Any], getattr(journey, cls.KEPT_IN)[index][cls.SLOT])


class IndicationResolved(Resolution):
    TOPIC = "jejak:Journey.IndicationResolved"
    PERSONAL_FIELDS = {"note": ERASED}
    KEPT_IN = "indications"
    NUMBER = "indication_id"
    NOT_KEPT = frozenset({NUMBER})

    indication_id: int
    outcome: str
    note: str | None


class Departed(Event):
    """``occurred_on`` is the departure date. ``worker_under_18`` is decided when the
    departure is recorded, from the worker's birth date, so that erasing the worker's
    personal data never changes the journey's flags."""

    TOPIC = "jejak:Journey.Departed"
    #: Employers of domestic workers are private persons, and name where the worker is.
    PERSONAL_FIELDS = {"employer": ERASED}
    KEPT_IN = "departure"
    MOVES_TO = Stage.PLACEMENT
    DATE_FIELD = "departed_on"

    departed_on: date
    employer: str
    contract_start: date
    contract_end: date
    worker_under_18: bool


class WelfareChecked(Event):
    TOPIC = "jejak:Journey.WelfareChecked"
    PERSONAL_FIELDS = {"note": ERASED}
    KEPT_IN = "welfare_checks"

    contact_with: str
    status: str
    note: str | None


class IncidentReported(Event):
    TOPIC = "jejak:Journey.IncidentReported"
    PERSONAL_FIELDS = {"note": ERASED}
    KEPT_IN = "incidents"
    ALSO_KEPT = {"resolution": None}

    incident_id: int
    category: str
    severity: str
    note: str | None


class IncidentResolved(Resolution):
    TOPIC = "jejak:Journey.IncidentResolved"
    PERSONAL_FIELDS = {"note": ERASED}
    KEPT_IN = "incidents"
    NUMBER = "incident_id"
    NOT_KEPT = frozenset({NUMBER})

    incident_id: int
    outcome: str
    note: str | None


class Returned(Event):
    """``occurred_on`` is the date of return."""

    TOPIC = "jejak:Journey.Returned"
    KEPT_IN = "return_home"
    MOVES_TO = Stage.RETURNED
    DATE_FIELD = "returned_on"

    returned_on: date
    reason: str


class ReintegrationPlanned(Event):
    TOPIC = "jejak:Journey.ReintegrationPlanned"
    KEPT_IN = "reintegration_plans"
    MOVES_TO = Stage.REINTEGRATION

    needs: list[str]


class ReintegrationActivityRecorded(Event):
    TOPIC = "jejak:Journey.ReintegrationActivityRecorded"
    PERSONAL_FIELDS = {"note": ERASED}
    KEPT_IN = "reintegration_activities"
    MOVES_TO = Stage.REINTEGRATION

    kind: str
    note: str | None


class Cancelled(Event):
    TOPIC = "jejak:Journey.Cancelled"
    KEPT_IN = "cancellation"
    MOVES_TO = Stage.CANCELLED

    reason: str


class Closed(Event):
    TOPIC = "jejak:Journey.Closed"
    KEPT_IN = "closure"
    MOVES_TO = Stage.CLOSED

    reason: str


class LeftOpen(Event):
    """The journey ended (closure or cancellation, recorded right after this in the same
    save) with these incidents and indications unresolved, for ``reason``. They stay
    unresolved in the history and leave every open list: nothing can be recorded on an
    ended case, so nobody could ever resolve them. The reason is not personal data,
    like the closure's: no names in it (a correction may amend it)."""

    TOPIC = "jejak:Journey.LeftOpen"
    KEPT_IN = "left_open"

    reason: str
    incidents: list[int]
    indications: list[int]

    def keep(self, entry: dict[str, Any], journey: JourneyState) -> int:
        setattr(journey, self.KEPT_IN, entry)  # journeys before this event have none
        return 0


class DocumentScanAttached(Event):
    """A scan (photo or PDF) of a recorded document was stored; a later one of the same
    document replaces it and this one stays in the history. ``sha256`` and ``size`` are of
    the file as served; ``stored_sha256`` is of its encrypted bytes in the scan store, so
    verification checks the store against the hash chain with no key. The file's own digest
    is the worker's: after erasure nothing could match a copy of their passport photo to
    this case. A scan is replaced by a new one, never corrected."""

    TOPIC = "jejak:Journey.DocumentScanAttached"
    PERSONAL_FIELDS = {"sha256": ERASED}
    KEPT_IN = "scans"
    NOT_KEPT = frozenset({"stored_sha256"})

    document_id: int
    scan_id: UUID
    content_type: str
    size: int
    sha256: str
    stored_sha256: str

    def keep(self, entry: dict[str, Any], journey: JourneyState) -> int:
        journey.scan_list()  # the first scan of a journey starts its list
        return super().keep(entry, journey)


class Transferred(Event):
    """The worker's transfer to another village was accepted (``Worker.TransferAccepted``,
    recorded in the same transaction): the case now belongs to ``to_village_code``, with
    its whole history and original recorders. ``occurred_on`` is the day of acceptance:
    reports count the case in the new village from then on and in the old one before
    (``JourneyState.village_on``). A change of custody, not a fact of the migration: it
    is recorded at any stage, and nothing of it can be corrected."""

    TOPIC = "jejak:Journey.Transferred"
    KEPT_IN = "transfers"

    transfer_id: UUID
    from_village_code: str
    to_village_code: str

    def keep(self, entry: dict[str, Any], journey: JourneyState) -> int:
        journey.transfer_list()  # the first transfer of a journey starts its list
        return super().keep(entry, journey)

    def apply(self, journey: JourneyState) -> None:
        super().apply(journey)
        journey.village_code = self.to_village_code


class Referred(Event):
    """The case was referred to an agency for a service (SPEC §8), with the consent of the
    worker or their family (``consent_by``, ``consent_on``) or, only to the police or UPTD
    PPA, without it on a recorded ground (``consent_given`` false, ``consent_ground``).
    ``due_on`` is when the agency is asked to answer (the agenda's ``referral_response``);
    the agency is copied as it was named in the letter. The entry's ``outcome`` is the
    agency's answer, kept there by ``ReferralOutcomeRecorded``."""

    TOPIC = "jejak:Journey.Referred"
    PERSONAL_FIELDS = {"note": ERASED}
    KEPT_IN = "referrals"
    ALSO_KEPT = {"outcome": None}

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

    def keep(self, entry: dict[str, Any], journey: JourneyState) -> int:
        journey.referral_list()  # the first referral of a journey starts its list
        return super().keep(entry, journey)


class ReferralOutcomeRecorded(Resolution):
    """The agency's answer to a referral; one closes it."""

    TOPIC = "jejak:Journey.ReferralOutcomeRecorded"
    PERSONAL_FIELDS = {"note": ERASED}
    KEPT_IN = "referrals"
    NUMBER = "referral_id"
    SLOT = "outcome"
    NOT_KEPT = frozenset({NUMBER})

    referral_id: int
    outcome: str
    note: str | None


class Corrected(Event):
    """Amends what the event at ``corrects_version`` said. Changes to fields that are
    not personal stay in clear in ``changes``; changes to personal fields (notes,
    document numbers, employer) travel sealed in ``personal_changes``, so erasing the
    worker never changes counts, stages or flags. ``occurred_on`` is the date of the
    correction itself."""

    TOPIC = "jejak:Journey.Corrected"
    PERSONAL_FIELDS = {"personal_changes": None}
    KEPT_IN = "corrections"
    NOT_KEPT = frozenset({"personal_changes"})

    corrects_version: int
    reason: str
    changes: dict[str, Any]
    personal_fields: list[str]
    personal_changes: dict[str, Any] | None

    def keep(self, entry: dict[str, Any], journey: JourneyState) -> int:
        """Amends the corrected entry first; an erased worker's personal changes read as
        erased."""
        amended = dict(self.changes)
        if self.personal_changes is None:
            amended.update(dict.fromkeys(self.personal_fields, ERASED))
        else:
            amended.update(self.personal_changes)
        amend(journey, self.corrects_version, amended)
        return super().keep(entry, journey)


#: Every journey event, in the order of a journey.
EVENTS: tuple[type[Event], ...] = (
    Opened,
    MigrationInfoProvided,
    DocumentRecorded,
    NonProceduralIndicationRaised,
    IndicationResolved,
    Departed,
    WelfareChecked,
    IncidentReported,
    IncidentResolved,
    Returned,
    ReintegrationPlanned,
    ReintegrationActivityRecorded,
    Cancelled,
    Closed,
    Corrected,
    DocumentScanAttached,
    Transferred,
    Referred,
    ReferralOutcomeRecorded,
    LeftOpen,
)

#: Events by the name ``records`` keep.
BY_NAME: dict[str, type[Event]] = {event.NAME: event for event in EVENTS}


def event_type_at(journey: JourneyState, version: int) -> type[Event] | None:
    """The kind of event recorded at ``version``, if there is one."""
    name = journey.event_at(version)
    return None if name is None else BY_NAME[name]


def entry_of(journey: JourneyState, version: int) -> dict[str, Any]:
    """The entry the event at ``version`` kept (itself, not a copy: corrections amend it)."""
    record = journey.records[version - 1]
    return BY_NAME[record["event"]].kept(journey, record["index"])


def amend(journey: JourneyState, version: int, changes: Mapping[str, Any]) -> None:
    """Writes corrected values into the entry of the event at ``version``; a corrected
    departure or return date is also the date the entry happened on."""
    date_field = BY_NAME[journey.records[version - 1]["event"]].DATE_FIELD
    target = entry_of(journey, version)
    for name, value in changes.items():
        target[name] = copy.deepcopy(value)
        if name == date_field:
            target["occurred_on"] = value
