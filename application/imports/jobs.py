"""Imports run in the background, a batch at a time: each batch is one task on a small
shared pool and one transaction, and schedules the next when it is done. No thread and no
transaction is held for a whole file, several imports take turns, and the progress of each
is written after every batch, so any process can report it and a crash loses at most the
batch in flight (its rows are recorded again by a rerun: see ``Commit``)."""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from application.imports.cells import Cell, is_empty
from application.imports.columns import Layout, is_example
from application.imports.outcomes import DONE, KEPT, same_outcome
from application.imports.ports import ImportRecord
from application.imports.session import BatchPlan, ImportSession
from application.ports import SaveExtras
from domain.errors import DomainError
from domain.journey import Journey
from domain.worker import Worker

if TYPE_CHECKING:
    from application.imports.usecases import ImportUseCases

logger = logging.getLogger("jejak.imports")

#: Rows decided and saved together: one transaction each.
BATCH_ROWS = 250
#: Rows a refusal lists (the count is always whole).
LISTED_CHANGES = 100
SAVE_ATTEMPTS = 4

Rows = Iterator[tuple[int, Sequence[Cell]]]


def take(rows: Rows, count: int, kind: str, layout: Layout) -> list[tuple[int, Sequence[Cell]]]:
    """The next ``count`` rows that say something: empty rows and the template's own
    example row (left in by mistake) are passed over."""
    batch: list[tuple[int, Sequence[Cell]]] = []
    for number, row_cells in rows:
        if is_empty(row_cells) or is_example(kind, layout, row_cells):
            continue
        batch.append((number, row_cells))
        if len(batch) == count:
            break
    return batch


class Job(ABC):
    def __init__(self, app: ImportUseCases, record: ImportRecord) -> None:
        self.app = app
        self.record = record
        self.done = threading.Event()

    @abstractmethod
    def step(self) -> bool:
        """Does one batch; True when the job is over."""

    def follow_up(self) -> Job | None:
        """The job that continues this one for the same import (a commit after its dry run)."""
        return None

    def run(self, jobs: ImportJobs) -> None:
        follow_up = None
        try:
            finished = self.step()
            if finished:
                follow_up = self.follow_up()
        except Exception as error:
            self._fail(error)
            finished = True
        if finished or jobs.closed:
            jobs.finished(self, follow_up)
        else:
            jobs.submit(self)

    def _fail(self, error: Exception) -> None:
        # The type only: an error's text could carry a cell of the file.
        logger.error("import batch failed", extra={"error_type": type(error).__name__})
        code = error.code if isinstance(error, DomainError) else "internal_error"
        self.record.status = "failed"
        self.record.report = {**self.record.report, "failure": {"code": code}}
        self.app.import_store().save(self.record)


class ImportJobs:
    """The pool the jobs of one process run on, and which job runs for which import."""

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jejak-import")
        self._running: dict[UUID, Job] = {}
        self._lock = threading.Lock()
        self.closed = False

    def start(self, job: Job) -> bool:
        with self._lock:
            if self.closed or job.record.id in self._running:
                return False
            self._running[job.record.id] = job
        self.submit(job)
        return True

    def submit(self, job: Job) -> None:
        self._pool.submit(job.run, self)

    def finished(self, job: Job, follow_up: Job | None = None) -> None:
        """Ends a job; its follow-up takes its place before anyone waiting is woken, so a
        waiter goes on waiting for the import rather than for the first job alone."""
        with self._lock:
            self._running.pop(job.record.id, None)
            if follow_up is not None and not self.closed:
                self._running[follow_up.record.id] = follow_up
            else:
                follow_up = None
        if follow_up is not None:
            self.submit(follow_up)
        job.done.set()

    def running(self, import_id: UUID) -> Job | None:
        with self._lock:
            return self._running.get(import_id)

    def wait(self, import_id: UUID, timeout: float) -> None:
        """Until the import's jobs are over, or ``timeout`` seconds have passed."""
        deadline = time.monotonic() + timeout
        while (job := self.running(import_id)) is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not job.done.wait(left):
                return

    def shutdown(self) -> None:
        """Lets the batch in flight finish (its transaction commits or rolls back whole);
        the jobs stop there and a later commit resumes them."""
        self.closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)


class DryRun(Job):
    """Plans every row and records nothing; ends ``planned`` with the report."""

    def __init__(
        self,
        app: ImportUseCases,
        record: ImportRecord,
        session: ImportSession,
        rows: Rows,
        then: Callable[[ImportRecord], Job] | None = None,
    ) -> None:
        super().__init__(app, record)
        self.session = session
        self.rows = rows
        self.then = then
        self.signatures: list[str] = []
        self.errors: list[dict[str, Any]] = []
        self.duplicates: list[dict[str, Any]] = []
        self.events: dict[str, int] = {}
        self.kept_rows: list[int] = []
        self.updated_rows: list[int] = []

    def step(self) -> bool:
        batch = take(self.rows, BATCH_ROWS, self.session.kind, self.session.layout)
        if batch:
            plan = self.session.plan(batch)
            self._absorb(plan)
            self.record.done_rows += len(batch)
            self.record.rows = self.record.done_rows
            self.app.import_store().progress(self.record)
        if len(batch) == BATCH_ROWS:
            return False
        self._finish()
        return True

    def _absorb(self, plan: BatchPlan) -> None:
        for outcome in plan.outcomes:
            self.signatures.append(outcome.signature)
            self.errors.extend(error.as_json() for error in outcome.errors)
            if outcome.signature == KEPT:
                self.kept_rows.append(outcome.row)
            elif outcome.signature.startswith("U:"):
                self.updated_rows.append(outcome.row)
        self.duplicates.extend(plan.duplicates)
        for topic, count in plan.events().items():
            self.events[topic] = self.events.get(topic, 0) + count

    def _finish(self) -> None:
        self.duplicates.extend(self.session.in_file_duplicates())
        signatures = self.signatures
        self.record.signatures = signatures
        self.record.report = {
            "sheet": self.session.sheet,
            "on_existing": self.session.on_existing.value,
            "would_record": sum(1 for s in signatures if s.startswith("R:")),
            "updated": len(self.updated_rows),
            "updated_rows": self.updated_rows,
            "kept": len(self.kept_rows),
            "kept_rows": self.kept_rows,
            "already_imported": sum(1 for s in signatures if s == DONE),
            "error_rows": sum(1 for s in signatures if s.startswith("E:")),
            "events": dict(sorted(self.events.items())),
            "errors": self.errors,
            "possible_duplicates": sorted(self.duplicates, key=lambda d: d["row"]),
        }
        self.record.status = "planned"
        self.app.import_store().save(self.record)

    def follow_up(self) -> Job | None:
        return None if self.then is None else self.then(self.record)


class Commit(Job):
    """Records a planned import: first checks, without writing, that every row would still
    be recorded as the dry run said (skipped when nothing was recorded since and the day is
    the same); then plans and saves batch by batch, comparing again. A row the dry run would
    record and a rerun finds recorded (a crash came after its batch) is what the dry run
    said: a rerun of the commit therefore completes what a crash left."""

    def __init__(
        self,
        app: ImportUseCases,
        record: ImportRecord,
        sessions: Callable[[], tuple[ImportSession, Rows]],
        check_first: bool,
    ) -> None:
        super().__init__(app, record)
        self.sessions = sessions
        self.checking = check_first
        self.session, self.rows = sessions()
        self.session.check_duplicates = False
        self.offset = 0
        self.changed: list[int] = []
        self.record.status = "committing"
        self.record.done_rows = 0
        self.record.phase = "checking" if check_first else "recording"
        self.record.report = {
            k: v for k, v in record.report.items() if k not in ("refusal", "failure")
        }
        self.app.import_store().progress(self.record)

    def step(self) -> bool:
        batch = take(self.rows, BATCH_ROWS, self.session.kind, self.session.layout)
        if self.checking:
            self._compare(self.session.plan(batch))
        elif batch:
            self._record(batch)
            if self.changed:
                return self._stop("failed")
            # The people just registered join the duplicate index now, while their keys are
            # cached: left for later, the first registration after a large import would
            # have indexed them inside its own request.
            self.app.catch_up_duplicates()
        self.offset += len(batch)
        self.record.done_rows = self.offset
        self.app.import_store().progress(self.record)
        if len(batch) == BATCH_ROWS:
            return False
        if self.checking:
            if self.changed:
                return self._stop("refused")
            self.checking = False
            self.session, self.rows = self.sessions()
            self.session.check_duplicates = False
            self.offset = 0
            self.record.phase = "recording"
            return False
        self.record.status = "committed"
        self.record.phase = "done"
        self.app.import_store().save(self.record)
        self.app.import_store().discard_content(self.record.id)
        return True

    def _record(self, batch: list[tuple[int, Sequence[Cell]]]) -> None:
        for attempt in range(SAVE_ATTEMPTS):
            planned = dict(self.session.planned)
            plan = self.session.plan(batch)
            if self._compare(plan):
                return
            if not plan.touched:
                break
            try:
                self.app.import_store().prepare_keys(_subjects(plan))
                extras = SaveExtras(claims=plan.claims, guards=plan.guards)
                self.app.save(*plan.touched.values(), jejak=extras)
            except IntegrityError:
                # Another writer came first (a record this batch changes, or a row claimed by
                # a concurrent import of this file): decide the batch again on fresh state.
                self.session.planned = planned
                if attempt == SAVE_ATTEMPTS - 1:
                    raise
                continue
            break
        self.record.recorded += plan.recorded

    def _compare(self, plan: BatchPlan) -> bool:
        """Rows whose outcome is no longer the dry run's; True when there are any."""
        expected = self.record.signatures
        found = False
        for index, outcome in enumerate(plan.outcomes, start=self.offset):
            planned = expected[index] if index < len(expected) else ""
            if not same_outcome(planned, outcome.signature):
                self.changed.append(outcome.row)
                found = True
        return found

    def _stop(self, status: str) -> bool:
        self.record.status = status
        self.record.report = {
            **self.record.report,
            "refusal": {"changed": len(self.changed), "rows": self.changed[:LISTED_CHANGES]},
        }
        self.app.import_store().save(self.record)
        return True


def _subjects(plan: BatchPlan) -> list[UUID]:
    """Whose keys seal this batch's personal data: its workers'."""
    found = []
    for aggregate in plan.touched.values():
        if isinstance(aggregate, Worker):
            found.append(aggregate.id)
        elif isinstance(aggregate, Journey):
            found.append(aggregate.worker_id)
    return found
