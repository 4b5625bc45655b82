"""Scanned documents: a photo or PDF of a recorded document (the passport, the contract, the
KTP), attached to the journey by the officers who may record it and read by those who may
read it. Each upload is a new version; the history keeps every one.

The file is cleaned (``ScanFiles``) and stored encrypted under the worker's key
(``ScanStore``) before its event is recorded; the event holds the file's digest and size, and
the digest of what was stored, inside the hash chain. A scan whose event is never recorded
(a lost race, a retry answered from its first attempt) is deleted again."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, BinaryIO
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent

from application.audit import AuditUseCases
from application.errors import NotFound
from application.journeys import JourneyUseCases, VersionNotFound
from application.ports import Problem, Services, Verification
from application.principal import CASE_READING_ROLES, RECORDING_ROLES, Principal
from application.scan_ports import (
    PreparedScan,
    ScanCheck,
    ScanFiles,
    ScanStore,
    ScanType,
)
from application.workers import WorkerUseCases
from application.writes import WriteOptions, WriteResult
from domain.identity_numbers import identifies_person
from domain.journey import Journey, ScanEntry
from domain.journey.events import DocumentScanAttached

SCAN_TOPIC = DocumentScanAttached.TOPIC
#: Scan events read per page when the whole store is verified.
VERIFY_PAGE = 1000


@dataclass(frozen=True)
class AttachScan:
    document_id: int
    declared: ScanType
    file: BinaryIO


@dataclass(frozen=True)
class ScanContent:
    """One version of a scan, ready to be sent: ``chunks`` decrypts as it is read."""

    content_type: ScanType
    size: int
    sha256: str
    version: int
    chunks: Iterator[bytes]


class ScanUseCases(JourneyUseCases, WorkerUseCases, AuditUseCases):
    """Also extends two use cases of other areas: erasure deletes the person's stored scans
    (their key is destroyed already), and verification checks every stored scan against the
    digest its event recorded."""

    def __init__(self, env: Mapping[str, str], services: Services) -> None:
        super().__init__(env, services)
        self.scan_store: ScanStore | None = None
        self.scan_files: ScanFiles | None = None

    def attach_scan_services(self, store: ScanStore, files: ScanFiles) -> None:
        """Wired in by the composition root, as the read models are."""
        self.scan_store = store
        self.scan_files = files

    # Writing ---------------------------------------------------------------------------

    def check_scan_target(self, principal: Principal, journey_id: UUID, document_id: int) -> None:
        """What attaching would refuse about the caller and the target, checked before the
        upload is read: nobody sends ten megabytes to learn that the case is not theirs."""
        principal.require_role(RECORDING_ROLES, "attach scans")
        journey = self._load_journey(journey_id)
        principal.require_recording_on(journey.village_code, "journey", "attach scans")
        if not journey.has_document(document_id):
            raise NotFound(what="document")

    def attach_scan(
        self, principal: Principal, journey_id: UUID, command: AttachScan, options: WriteOptions
    ) -> WriteResult:
        """Cleans the file, stores it encrypted, then records ``DocumentScanAttached``; a
        replaced scan stays readable at the versions it was current."""
        self.check_scan_target(principal, journey_id, command.document_id)
        replay = self._replay_if_keyed(principal, options)
        if replay is not None:
            return replay
        store, files = self._scan_services()
        prepared = files.prepare(command.file, command.declared)
        try:
            return self._record_scan(principal, journey_id, command, prepared, store, options)
        finally:
            prepared.close()

    def _record_scan(
        self,
        principal: Principal,
        journey_id: UUID,
        command: AttachScan,
        prepared: PreparedScan,
        store: ScanStore,
        options: WriteOptions,
    ) -> WriteResult:
        scan_id = uuid4()
        worker_id = self._load_journey(journey_id).worker_id
        stored = store.put(scan_id, worker_id, prepared)
        occurred_on = self.services.clock.today()

        def act(journey: Journey) -> dict[str, Any]:
            journey.attach_scan(
                document_id=command.document_id,
                scan_id=scan_id,
                content_type=prepared.content_type.value,
                size=prepared.size,
                sha256=prepared.sha256,
                stored_sha256=stored.stored_sha256,
                actor=principal.actor,
                occurred_on=occurred_on,
            )
            return {
                "document_id": command.document_id,
                "sha256": prepared.sha256,
                "bytes": prepared.size,
                "content_type": prepared.content_type.value,
            }

        try:
            result = self._write(principal, journey_id, options, "attach scans", act)
        except BaseException:
            store.delete(scan_id)
            raise
        if result.replayed:
            store.delete(scan_id)  # a concurrent first attempt with this key was recorded
        return result

    # Reading ---------------------------------------------------------------------------

    def read_scan(
        self,
        principal: Principal,
        journey_id: UUID,
        document_id: int,
        *,
        as_of_version: int | None = None,
    ) -> ScanContent:
        """The document's scan now, or the one current at ``as_of_version`` (the auditor's
        timeline links each upload so). Every read is access-logged."""
        journey, entry = self._scan_entry(principal, journey_id, document_id, as_of_version)
        chunks = self._scan_services()[0].read(entry["scan_id"], journey.worker_id)
        self.log_access(principal, "read_scan", str(journey.worker_id))
        return ScanContent(
            content_type=ScanType(entry["content_type"]),
            size=entry["size"],
            sha256=entry["sha256"],
            version=entry["version"],
            chunks=chunks,
        )

    def scan_thumbnail(
        self, principal: Principal, journey_id: UUID, document_id: int
    ) -> bytes | None:
        """A small JPEG of the current scan for the case page (``None`` for a PDF); it shows
        the document, so it is access-logged like the scan itself. ``None`` too for a
        document that identifies the person (KTP, passport...): its picture shows the number
        that pages mask, so it opens only as the scan itself, when someone asks for it."""
        journey, _ = self._scan_entry(principal, journey_id, document_id, None)
        if identifies_person(journey.documents[document_id - 1]["kind"]):
            return None
        content = self.read_scan(principal, journey_id, document_id)
        return self._scan_services()[1].thumbnail(content.chunks, content.content_type)

    def _scan_entry(
        self, principal: Principal, journey_id: UUID, document_id: int, as_of_version: int | None
    ) -> tuple[Journey, ScanEntry]:
        principal.require_role(CASE_READING_ROLES, "read scans")
        journey = self._load_journey(journey_id)
        principal.require_reading(journey.village_code, "journey")
        if as_of_version is not None and as_of_version != journey.version:
            if as_of_version < 1 or as_of_version > journey.version:
                raise VersionNotFound(version=as_of_version, current=journey.version)
            journey = self._load_journey(journey_id, as_of_version)
        if not journey.has_document(document_id):
            raise NotFound(what="document")
        entry = journey.scan_of(document_id)
        if entry is None:
            raise NotFound(what="scan")
        return journey, entry

    # What other areas do, for scans too --------------------------------------------------

    def verify_chains(self, principal: Principal, aggregate_id: UUID | None = None) -> Verification:
        """The hash chains, and every stored scan against the digest in its event: a file
        swapped, altered or removed behind the service's back fails its journey."""
        result = super().verify_chains(principal, aggregate_id)
        store = self.scan_store
        if store is None:
            return result
        bad = [
            (event, check, detail)
            for event, check, detail in self._scan_checks(store, aggregate_id)
            if check in (ScanCheck.CHANGED, ScanCheck.REMOVED)
        ]
        scanned = [event for event, _, _ in bad]
        problems = [
            Problem(event.originator_id, event.originator_version, f"scan_{check.value}", detail)
            for event, check, detail in bad
        ]
        if not problems:
            return result
        failed = sorted({*result.failed, *(event.originator_id for event in scanned)})
        return replace(result, failed=failed, problems=[*result.problems, *problems])

    def _scan_checks(
        self, store: ScanStore, aggregate_id: UUID | None
    ) -> Iterator[tuple[DocumentScanAttached, ScanCheck, str]]:
        for event in self._scan_events(aggregate_id):
            check = store.check(event.scan_id, event.worker_id, event.stored_sha256)
            yield event, check, f"scan of document {event.document_id} is {check.value}"

    def _scan_events(self, aggregate_id: UUID | None) -> Iterator[DocumentScanAttached]:
        """Scan events in the store (page by page), or of one aggregate; one that no longer
        decodes is named by the chain's own verification already."""
        for item in self._stored_scan_events(aggregate_id):
            try:
                event = self.mapper.to_domain_event(item)
            except Exception:  # noqa: S112 - the chain's verification names it
                continue
            if isinstance(event, DocumentScanAttached):
                yield event

    def _stored_scan_events(self, aggregate_id: UUID | None) -> Iterator[StoredEvent]:
        if aggregate_id is not None:
            for stored in self.recorder.select_events(aggregate_id):
                if stored.topic == SCAN_TOPIC:
                    yield stored
            return
        start = 1
        while True:
            page = self.recorder.select_notifications(start, VERIFY_PAGE, topics=[SCAN_TOPIC])
            yield from page
            if len(page) < VERIFY_PAGE:
                return
            start = page[-1].id + 1

    def _shred(self, worker_id: UUID) -> None:
        super()._shred(worker_id)
        if self.scan_store is not None:
            self.scan_store.erase_subject(worker_id)

    def _scan_services(self) -> tuple[ScanStore, ScanFiles]:
        if self.scan_store is None or self.scan_files is None:
            msg = "the scan store is not attached to this application"
            raise RuntimeError(msg)
        return self.scan_store, self.scan_files
