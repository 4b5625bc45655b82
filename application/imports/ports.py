"""What imports need from the infrastructure: a reader of spreadsheets that refuses what is
not one, a place to keep an uploaded file (sealed) between its dry run and its commit, and a
few bulk reads of the keyed indexes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from application.imports.cells import Cell
from domain.errors import DomainError


class UnsupportedFile(DomainError):
    """Not a CSV or XLSX file, an old .xls, a workbook with macros (415)."""

    code = "unsupported_file"
    template = "{reason}"


class FileTooLarge(DomainError):
    """Larger than the service reads, or a workbook that expands beyond it (413)."""

    code = "file_too_large"
    template = "{reason}"


@dataclass
class Sheet:
    """The rows of one sheet, each with its number as the spreadsheet shows it (the first
    is row 1). ``name`` is empty for a CSV file."""

    name: str
    rows: Iterator[tuple[int, Sequence[Cell]]]


class SpreadsheetReader(Protocol):
    def open(self, content: bytes, *, prefer_sheet: str) -> Sheet:
        """The sheet to import (``prefer_sheet`` if a workbook has it, else its first);
        raises ``UnsupportedFile`` or ``FileTooLarge`` before reading any row."""
        ...


@dataclass
class ImportRecord:
    """An uploaded file, its dry run and its commit. ``report`` and ``signatures`` hold
    codes, counts, row numbers and ids only: no personal data."""

    id: UUID
    user_id: str
    kind: str
    sha256: str
    status: str
    created_at: datetime
    updated_at: datetime
    rows: int = 0
    done_rows: int = 0
    recorded: int = 0
    #: The event position and the day the dry run was planned against.
    planned_position: int = 0
    planned_on: date | None = None
    #: Of a commit: ``checking`` (nothing written yet), ``recording``, ``done``.
    phase: str = ""
    report: Mapping[str, Any] = field(default_factory=dict)
    #: One outcome signature per row, in order (``R:Worker.Registered``, ``E:nik``, ``D``).
    signatures: Sequence[str] = ()


@dataclass(frozen=True)
class ImportProgress:
    """How far an import's jobs are: what a progress line shows, read without the report
    and the row signatures (megabytes for a file of 50,000 rows)."""

    user_id: str
    status: str
    phase: str
    rows: int
    done_rows: int


class ImportStore(Protocol):
    def create(self, record: ImportRecord, content: bytes) -> None:
        """Keeps the record and the file, sealed with a key of the import's own."""
        ...

    def get(self, import_id: UUID) -> ImportRecord | None: ...

    def progress_of(self, import_id: UUID) -> ImportProgress | None: ...

    def content(self, import_id: UUID) -> bytes | None:
        """The file, or ``None`` once committed or expired (its key is destroyed)."""
        ...

    def save(self, record: ImportRecord) -> None:
        """Everything but the file: status, counters, report and signatures."""
        ...

    def progress(self, record: ImportRecord) -> None:
        """Status and counters only (written after every batch)."""
        ...

    def discard_content(self, import_id: UUID) -> None: ...

    def expired(self, before: datetime) -> list[UUID]:
        """Imports not committed since ``before`` whose files are still kept."""
        ...

    def prepare_keys(self, subjects: Sequence[UUID]) -> None:
        """Makes (or reads) the data keys of these people at once, before a batch seals
        their personal data: one transaction instead of one per person."""
        ...

    def claim_owners(self, kind: str, keys: Sequence[str]) -> dict[str, UUID]:
        """Owners of the claims of one kind among ``keys``, in as few reads as it takes."""
        ...
