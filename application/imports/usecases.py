"""Importing what a programme already has (village spreadsheets, BP3MI lists): workers,
journeys with their departure and return, documents and village activities, from CSV or
XLSX. A dry run records nothing and says, row by row, what a commit would record and what
is wrong; the commit records exactly that, or refuses when the store moved in a way that
changes it. Every imported event names its source (the file's SHA-256, sheet and row) in
its stored state, and each row claims ``sha256:kind:sheet:row`` in the transaction that
records it, so the same file imported again records nothing."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from application.duplicates.usecases import DuplicateUseCases
from application.errors import NotFound, WorkerRegisteredElsewhere
from application.imports.columns import COLUMNS, SHEET_NAMES, ImportKind, find_header
from application.imports.existing import OnExisting
from application.imports.jobs import Commit, DryRun, ImportJobs, Rows
from application.imports.outcomes import NikChecksSpent
from application.imports.ports import ImportProgress, ImportRecord, ImportStore, SpreadsheetReader
from application.imports.session import ImportSession
from application.ports import AccessEntry
from application.principal import RECORDING_ROLES, Principal
from domain.errors import RuleViolation

#: How long an uploaded file waits for its commit before it is discarded.
STAGED_FOR = timedelta(hours=24)
#: A job that wrote no progress for this long died with its process: a commit resumes it.
STALE_AFTER = timedelta(seconds=60)
#: Imports whose file waits for a commit (or for a rerun of one).
WAITING = frozenset({"planned", "refused", "failed"})


class ImportChanged(RuleViolation):
    code = "import_changed"
    template = (
        "The records changed since the dry run: {changed} rows would now be recorded "
        "differently (rows {rows}). Nothing was recorded; run the dry run again."
    )


class ImportNotReady(RuleViolation):
    code = "import_not_ready"
    template = "The dry run of this import is still running ({done_rows} rows read)."


class ImportExpired(RuleViolation):
    code = "import_expired"
    template = "This import's file is no longer kept: upload it again for a new dry run."


@dataclass(frozen=True)
class ImportPorts:
    reader: SpreadsheetReader
    store: ImportStore


@dataclass(frozen=True)
class StartImport:
    kind: ImportKind
    content: bytes
    dry_run: bool = True
    #: Vocabulary labels the file may use for codes: vocabulary -> folded label -> code.
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: How long the call waits for the job before answering with its progress.
    wait_seconds: float = 10.0
    #: What rows about people already recorded in scope do (``application.imports.existing``).
    on_existing: OnExisting = OnExisting.ERROR


class ImportUseCases(DuplicateUseCases):
    import_ports: ImportPorts | None = None
    _jobs_lock = threading.Lock()

    def start_import(self, principal: Principal, command: StartImport) -> ImportRecord:
        """Reads the file's header at once (a file that is no spreadsheet, or lacks a
        column, is refused before anything else), keeps the file sealed for the commit,
        and runs the dry run as a background job."""
        principal.require_role(RECORDING_ROLES, "import records")
        self._expire_imports()
        ports = self._ports()
        sheet = ports.reader.open(command.content, prefer_sheet=SHEET_NAMES[command.kind])
        file_layout, rows = find_header(COLUMNS[command.kind], sheet.rows)
        now = self.services.clock.now()
        record = ImportRecord(
            id=uuid4(),
            user_id=str(principal.user_id),
            kind=command.kind.value,
            sha256=hashlib.sha256(command.content).hexdigest(),
            status="checking",
            created_at=now,
            updated_at=now,
            planned_position=int(self.recorder.max_notification_id() or 0),
            planned_on=self.services.clock.today(),
            report={"on_existing": command.on_existing.value},
        )
        ports.store.create(record, command.content)
        session = ImportSession(
            self, principal, command.kind, record.sha256, sheet.name, file_layout,
            command.labels, self.services.clock.today(), command.on_existing,
        )  # fmt: skip

        def commit_next(planned: ImportRecord) -> Commit:
            return self._commit_job(principal, planned, command.labels)

        then = None if command.dry_run else commit_next
        self._import_jobs().start(DryRun(self, record, session, rows, then))
        return self._wait(record.id, command.wait_seconds)

    def commit_import(
        self,
        principal: Principal,
        import_id: UUID,
        labels: Mapping[str, Mapping[str, str]],
        wait_seconds: float = 10.0,
    ) -> ImportRecord:
        """Records what the dry run said, in the background; answers once done or after
        ``wait_seconds`` with the progress. Committing a committed import changes nothing;
        a commit whose process died is resumed."""
        principal.require_role(RECORDING_ROLES, "import records")
        record = self.get_import(principal, import_id)
        if record.status == "refused":
            raise _changed(record)
        if record.status == "expired":
            raise ImportExpired()
        if record.status == "checking":
            if self._stale(record):  # its dry run died with its process: nothing to commit
                raise ImportExpired()
            raise ImportNotReady(done_rows=record.done_rows)
        if record.status in ("planned", "failed") or self._stale(record):
            self._import_jobs().start(self._commit_job(principal, record, labels))
        record = self._wait(import_id, wait_seconds)
        if record.status == "refused":
            raise _changed(record)
        return record

    def get_import(self, principal: Principal, import_id: UUID) -> ImportRecord:
        """An import, for the user who uploaded it only (anyone else: 404)."""
        record = self._ports().store.get(import_id)
        if record is None or record.user_id != str(principal.user_id):
            raise NotFound(what="import")
        return record

    def import_progress(
        self, principal: Principal, import_id: UUID, seconds: float
    ) -> ImportProgress:
        """How far the import is, once its jobs in this process are done or after
        ``seconds``: cheap enough to ask every second of a long import."""
        self._import_jobs().wait(import_id, seconds)
        progress = self._ports().store.progress_of(import_id)
        if progress is None or progress.user_id != str(principal.user_id):
            raise NotFound(what="import")
        return progress

    def answering_niks(self, principal: Principal) -> None:
        """Before a row answers whether its NIK is registered: once the importer's hourly
        allowance of NIK checks is spent, no such row answers (``NikChecksSpent``), whatever
        its NIK, as a registration by hand is refused before its NIK is looked up. Were only
        the rows of NIKs held elsewhere refused, the refusal would be the answer."""
        if self.nik_checks.wait(self.nik_check_key(principal)):
            raise NikChecksSpent()

    def registered_elsewhere(self, principal: Principal) -> RuleViolation:
        """What a row answers for a NIK registered outside the importer's scope: the one
        answer of an import that tells something its importer could not read, so it counts
        towards the hourly allowance of NIK checks like a registration's conflict does. Rows
        of their own people, and NIKs registered nowhere (the import registers them), tell
        nothing more and do not count."""
        self.nik_checks.record(self.nik_check_key(principal))
        return WorkerRegisteredElsewhere()

    def nik_checked(self, principal: Principal, owners: Sequence[UUID | None]) -> None:
        """Every NIK an import looks up goes to the access log, hit or miss, as a lookup by
        hand does (in one transaction per batch); what counts towards the allowance is
        ``registered_elsewhere``."""
        at = self.services.clock.now()
        self.access_log.record_many(
            [
                AccessEntry(
                    at=at,
                    user_id=str(principal.user_id),
                    username=principal.username,
                    role=principal.role.value,
                    action="nik_check",
                    subject_id=None if owner is None else str(owner),
                    route=principal.route,
                    client=principal.client,
                )
                for owner in owners
            ]
        )

    def import_store(self) -> ImportStore:
        return self._ports().store

    def close(self) -> None:
        jobs: ImportJobs | None = self.__dict__.get("_jobs")
        if jobs is not None:
            jobs.shutdown()
        super().close()

    # Helpers ------------------------------------------------------------------------------

    def _commit_job(
        self, principal: Principal, record: ImportRecord, labels: Mapping[str, Mapping[str, str]]
    ) -> Commit:
        ports = self._ports()
        kind = ImportKind(record.kind)
        today = self.services.clock.today()
        on_existing = OnExisting(record.report.get("on_existing", OnExisting.ERROR))

        def sessions() -> tuple[ImportSession, Rows]:
            content = ports.store.content(record.id)
            if content is None:
                raise ImportExpired()
            sheet = ports.reader.open(content, prefer_sheet=SHEET_NAMES[kind])
            file_layout, rows = find_header(COLUMNS[kind], sheet.rows)
            session = ImportSession(
                self, principal, kind, record.sha256, sheet.name, file_layout, labels, today,
                on_existing,
            )  # fmt: skip
            return session, rows

        head = int(self.recorder.max_notification_id() or 0)
        check_first = head != record.planned_position or today != record.planned_on
        return Commit(self, record, sessions, check_first)

    def _wait(self, import_id: UUID, seconds: float) -> ImportRecord:
        self._import_jobs().wait(import_id, seconds)
        record = self._ports().store.get(import_id)
        assert record is not None
        return record

    def _stale(self, record: ImportRecord) -> bool:
        """A job no process is running any more: no progress written for a while, and not
        running here."""
        if record.status not in ("checking", "committing") or self._import_jobs().running(
            record.id
        ):
            return False
        return self.services.clock.now() - record.updated_at > STALE_AFTER

    def _expire_imports(self) -> None:
        store = self._ports().store
        for import_id in store.expired(self.services.clock.now() - STAGED_FOR):
            record = store.get(import_id)
            if record is not None and record.status in WAITING:
                record.status = "expired"
                store.save(record)
                store.discard_content(import_id)

    def _import_jobs(self) -> ImportJobs:
        with self._jobs_lock:
            jobs: ImportJobs | None = self.__dict__.get("_jobs")
            if jobs is None:
                jobs = ImportJobs()
                self.__dict__["_jobs"] = jobs
            return jobs

    def _ports(self) -> ImportPorts:
        if self.import_ports is None:
            msg = "imports are not attached to this application"
            raise RuntimeError(msg)
        return self.import_ports


def _changed(record: ImportRecord) -> ImportChanged:
    refusal: dict[str, Any] = dict(record.report.get("refusal") or {})
    rows = ", ".join(str(row) for row in refusal.get("rows", []))
    return ImportChanged(changed=int(refusal.get("changed", 0)), rows=rows)
