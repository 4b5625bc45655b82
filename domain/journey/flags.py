"""The flags of a journey: the risks it carries, derived from its state alone (no clock, no
personal data), so corrections and late-recorded facts recompute them and erasing a worker
never changes them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.dates import age_on
from domain.journey.state import DocumentEntry, JourneyState
from domain.vocabularies import DocumentKind, FlagReason, required_documents

ADULT_AGE = 18


@dataclass(frozen=True)
class Flags:
    """Risks a journey carries, derived from its state (and so from corrections too).

    ``non_procedural`` is set once a departure is recorded with at least one reason; the
    reasons say which document was missing at departure, which indication was unresolved,
    or that the worker was under 18 on the departure date. ``documents_expiring`` lists
    documents whose expiry precedes the contract end. ``missing_documents`` is the checklist
    of required documents not held (before departure: not recorded yet; after: not valid on
    the departure date)."""

    non_procedural: bool
    non_procedural_reasons: tuple[Mapping[str, Any], ...]
    documents_expiring: tuple[Mapping[str, Any], ...]
    missing_documents: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "non_procedural": self.non_procedural,
            "non_procedural_reasons": [dict(reason) for reason in self.non_procedural_reasons],
            "documents_expiring": [dict(item) for item in self.documents_expiring],
            "missing_documents": list(self.missing_documents),
        }


def assess(journey: JourneyState) -> Flags:
    """The flags of a journey, from its state alone (no clock, no personal data)."""
    required = required_documents(journey.placement_scheme)
    departure = journey.departure
    if departure is None:
        recorded = {document["kind"] for document in journey.documents}
        missing = tuple(kind.value for kind in required if kind.value not in recorded)
        return Flags(False, (), (), missing)
    departed_on = departure["departed_on"]
    held = {
        document["kind"]
        for document in journey.documents
        if document["issued_on"] <= departed_on
        and (document["expires_on"] is None or document["expires_on"] >= departed_on)
    }
    missing = tuple(kind.value for kind in required if kind.value not in held)
    reasons: list[Mapping[str, Any]] = [
        {"reason": FlagReason.MISSING_DOCUMENT.value, "document_kind": kind} for kind in missing
    ]
    for indication in journey.indications:
        resolution = indication["resolution"]
        if resolution is None or resolution["occurred_on"] > departed_on:
            reasons.append(
                {
                    "reason": FlagReason.UNRESOLVED_INDICATION.value,
                    "indication_id": indication["indication_id"],
                }
            )
    if departure["worker_under_18"]:
        reasons.append({"reason": FlagReason.UNDER_18.value})
    expiring = tuple(_expiring(journey.documents, departure["contract_end"]))
    return Flags(bool(reasons), tuple(reasons), expiring, missing)


def _expiring(
    documents: Iterable[DocumentEntry], contract_end: date
) -> Iterable[Mapping[str, Any]]:
    """Per kind, the document that lasts longest (a renewed passport replaces the old one);
    documents of kind ``other`` each stand alone."""
    latest: dict[str, DocumentEntry] = {}
    others: list[DocumentEntry] = []
    for document in documents:
        if document["kind"] == DocumentKind.OTHER.value:
            others.append(document)
            continue
        current = latest.get(document["kind"])
        if current is None or _lasts_longer(document, current):
            latest[document["kind"]] = document
    for document in sorted([*latest.values(), *others], key=lambda d: d["document_id"]):
        expires_on = document["expires_on"]
        if expires_on is not None and expires_on < contract_end:
            yield {
                "document_id": document["document_id"],
                "kind": document["kind"],
                "expires_on": expires_on.isoformat(),
                "contract_end": contract_end.isoformat(),
            }


def _lasts_longer(candidate: DocumentEntry, current: DocumentEntry) -> bool:
    if current["expires_on"] is None:
        return False
    return candidate["expires_on"] is None or candidate["expires_on"] > current["expires_on"]


def under_18(birth_date: date | None, on: date) -> bool:
    """Unknown birth dates are not guessed at: only a known minor is flagged."""
    if birth_date is None:
        return False
    return age_on(birth_date, on) < ADULT_AGE
