"""Showing an identity number in full: a NIK, or the number of a document that identifies the
person (``domain.identity_numbers``). Pages show them masked; seeing one whole is a
deliberate act of its own (a POST), with its own line in the access log besides the read
of the record, so an auditor can tell who looked at the number from who opened the case.

The API answers with full numbers, as it always has: it serves scripts and auditors' tools
that need them, and each read is access-logged as a read of personal data."""

from __future__ import annotations

from uuid import UUID

from application.audit import AuditUseCases
from application.errors import NotFound
from application.journeys import JourneyUseCases
from application.ports import AuditedEvent
from application.principal import Principal
from application.workers import WorkerUseCases

#: Access-log action of showing a masked identity number in full (the subject: whose).
REVEAL_IDENTITY_NUMBER = "reveal_identity_number"


class DisclosureUseCases(JourneyUseCases, WorkerUseCases, AuditUseCases):
    def reveal_nik(self, principal: Principal, worker_id: UUID) -> str:
        worker = self.get_worker(principal, worker_id)
        self.log_access(principal, REVEAL_IDENTITY_NUMBER, str(worker.id))
        return worker.nik

    def reveal_document_number(
        self, principal: Principal, journey_id: UUID, document_id: int
    ) -> str:
        """The number of one recorded document (as corrected), for whoever may read the
        case."""
        journey = self.get_journey(principal, journey_id)
        for document in journey.documents:
            if document["document_id"] == document_id:
                self.log_access(principal, REVEAL_IDENTITY_NUMBER, str(journey.worker_id))
                return str(document["number"])
        raise NotFound(what="document")

    def reveal_in_history(
        self, principal: Principal, aggregate_id: UUID, version: int
    ) -> list[AuditedEvent]:
        """An auditor shows the identity numbers one event of a history recorded."""
        events = self.get_stream(principal, aggregate_id)
        if not any(item.version == version for item in events):
            raise NotFound(what="version")
        self.log_access(principal, REVEAL_IDENTITY_NUMBER, str(aggregate_id))
        return events
