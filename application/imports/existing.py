"""Overwrite control: what a row about someone Jejak already has does, as its importer
chose (a BP3MI list or a village spreadsheet comes again every semester).

``error`` (the default) refuses such rows, as before; ``skip`` keeps what is recorded and
reports the rows as kept; ``update`` changes only what an officer may change by hand,
through the same domain commands: a worker's phone (``update_contact``), a departure or a
return an open journey lacks (``record_departure``, ``record_return``). Who a person is
(name, sex, birth date, village) and what a journey already says are never overwritten: a
row that disagrees is a row error naming each column that differs. A row that agrees with
the record records nothing, so importing it again stays idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import Enum, StrEnum
from typing import Any

from application.imports.cells import folded
from application.imports.parse import ParsedRow
from domain.contact import normalise_phone
from domain.errors import InvalidValue, RuleViolation
from domain.events import Actor
from domain.journey import Journey
from domain.journey.state import DocumentEntry
from domain.worker import Worker, WorkerErased


class OnExisting(StrEnum):
    ERROR = "error"
    SKIP = "skip"
    UPDATE = "update"


class DiffersFromRecord(RuleViolation):
    """Raised with every differing field; the import reports one row error per field."""

    code = "differs_from_record"
    template = "This differs from what is recorded, and an import never overwrites it."

    def __init__(self, fields: Sequence[str], **params: Any) -> None:
        self.fields = tuple(fields)
        super().__init__(**params)


class IdentityDiffers(DiffersFromRecord):
    code = "identity_differs"
    template = (
        "Differs from this worker's record; an import never changes who a person is: open "
        "the worker's page to see which is right, and correct the record or the file."
    )


class JourneyDiffers(DiffersFromRecord):
    code = "journey_differs"
    template = (
        "Differs from what the open journey records; an import never overwrites it: open "
        "the journey's page and record a correction there, or correct the file."
    )


class DocumentDiffers(DiffersFromRecord):
    code = "document_differs"
    template = (
        "Differs from the document with this number on the open journey; an import never "
        "overwrites it: record a correction on the journey's page, or correct the file."
    )


def identity_differences(row: ParsedRow, worker: Worker, village_code: str | None) -> list[str]:
    """The person columns a row gives that disagree with the worker's record (names are
    compared without case, accents or punctuation: ``SITI AMINAH`` is Siti Aminah)."""
    if worker.erased:
        raise WorkerErased()
    found = []
    if row.has("full_name") and folded(row.get("full_name")) != folded(worker.full_name):
        found.append("full_name")
    if row.has("sex") and _plain(row.get("sex")) != worker.sex:
        found.append("sex")
    if row.has("birth_date") and row.get("birth_date") != worker.birth_date:
        found.append("birth_date")
    if village_code is not None and village_code != worker.village_code:
        found.append("village_code")
    return found


def update_phone(row: ParsedRow, worker: Worker, actor: Actor, today: date) -> bool:
    """A phone the row gives and the record lacks or has otherwise; an empty cell says
    nothing (it never clears a number)."""
    if not row.has("phone"):
        return False
    phone = normalise_phone(row.get("phone"))
    if phone == worker.phone:
        return False
    worker.update_contact(phone=phone, actor=actor, occurred_on=today)
    return True


def journey_differences(row: ParsedRow, journey: Journey) -> list[str]:
    """Columns the row gives that disagree with what the open journey records (its opening,
    and its departure and return once recorded)."""
    opening = journey.opening
    p3mi = opening["p3mi"] or {"name": "", "licence_number": ""}
    recorded: dict[str, Any] = {
        "destination_country": opening["destination_country"],
        "occupation": opening["occupation"],
        "placement_scheme": opening["placement_scheme"],
        "p3mi_name": p3mi["name"],
        "p3mi_licence_number": p3mi["licence_number"],
        "opened_on": opening["occurred_on"],
    }
    if journey.departure is not None:
        for name in ("departed_on", "employer", "contract_start", "contract_end"):
            recorded[name] = journey.departure[name]
    if journey.return_home is not None:
        recorded["returned_on"] = journey.return_home["returned_on"]
        recorded["return_reason"] = journey.return_home["reason"]
    return [name for name, value in recorded.items() if _differs(row, name, value)]


def extend_journey(row: ParsedRow, journey: Journey, birth_date: date | None, actor: Actor) -> bool:
    """Records the departure and the return the row gives and the open journey lacks, with
    the checks of recording them by hand; True when anything was recorded."""
    departure = row.has("departed_on") and journey.departure is None
    arrival = row.has("returned_on") and journey.return_home is None
    departed_on = row.get("departed_on") if departure else None
    if arrival:  # checked before anything is recorded, so a refused row changes nothing
        recorded = journey.departure
        departed = departed_on or (None if recorded is None else recorded["departed_on"])
        if departed is not None and row.get("returned_on") < departed:
            raise InvalidValue(field="returned_on", reason="cannot be before the departure date")
    if departure:
        journey.record_departure(
            departed_on=row.get("departed_on"),
            employer=row.get("employer"),
            contract_start=row.get("contract_start"),
            contract_end=row.get("contract_end"),
            worker_birth_date=birth_date,
            actor=actor,
        )
    if arrival:
        journey.record_return(
            returned_on=row.get("returned_on"), reason=row.get("return_reason"), actor=actor
        )
    return departure or arrival


def same_document(row: ParsedRow, journey: Journey) -> DocumentEntry | None:
    """The document of the row's kind and number the journey already records."""
    kind, number = _plain(row.get("kind")), folded(row.get("number"))
    for document in journey.documents:
        if document["kind"] == kind and folded(document["number"]) == number:
            return document
    return None


def document_differences(row: ParsedRow, document: DocumentEntry) -> list[str]:
    return [
        name
        for name in ("issued_on", "expires_on")
        if _differs(row, name, document[name])
    ]


def _differs(row: ParsedRow, name: str, recorded: Any) -> bool:
    """A column the row gives (an empty cell says nothing) whose value is not the record's."""
    if not row.has(name):
        return False
    value = _plain(row.get(name))
    if isinstance(value, str) and isinstance(recorded, str):
        return folded(value) != folded(recorded)
    return bool(value != recorded)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value
