"""Answers of imports, reconciliations and possible duplicates."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from interfaces.http.schemas.common import Body, ShortText, WriteResponse, example


class RowErrorView(BaseModel):
    """One problem of one row, in the one error shape (``field`` is the file's column)."""

    row: int
    field: str
    code: str
    message: str


class RowDuplicateView(BaseModel):
    """A row that may be a registered worker (``worker_id``, in the importer's scope) or an
    earlier row of the same file (``other_row``)."""

    row: int
    worker_id: str | None = None
    other_row: int | None = None
    reason: str
    reasons: list[str]


class ImportView(BaseModel):
    import_id: str
    kind: str
    status: str = Field(
        description="checking (dry run running) · planned (dry run done) · committing · "
        "committed · refused (the records moved: run the dry run again) · failed (commit "
        "again to resume) · expired"
    )
    phase: str | None = Field(description="Of a commit: checking, recording, done")
    sha256: str
    sheet: str | None
    rows: int = Field(description="Rows read so far (all of them once the dry run is done)")
    done_rows: int = Field(description="Rows the running job has got through")
    on_existing: str = Field(
        description="What rows about people already recorded in scope do: error (row "
        "errors) · skip (kept as recorded) · update (only what an officer may change by hand)"
    )
    would_record: int = Field(description="Rows a commit records anew")
    updated: int = Field(description="Rows a commit records as changes to existing records")
    updated_rows: list[int]
    kept: int = Field(description="Rows about existing records that a commit leaves as they are")
    kept_rows: list[int]
    already_imported: int = Field(description="Rows recorded by an earlier import of this file")
    error_rows: int
    recorded: int = Field(description="Rows the commit has recorded (anew or as updates)")
    events: dict[str, int] = Field(description="Events a commit records, by type")
    errors: list[RowErrorView]
    possible_duplicates: list[RowDuplicateView]
    refusal: dict[str, Any] | None = None


class DisagreementView(BaseModel):
    field: str
    jejak: Any = None
    national: Any = None


class ListedOnlyView(BaseModel):
    row: int
    departed_on: date | None
    destination_country: str | None


class DepartedOnlyView(BaseModel):
    """Departed in Jejak, absent from the national list: a candidate non-procedural
    departure to follow up on its case page."""

    journey_id: str
    worker_id: str
    village_code: str
    stage: str
    departed_on: date | None
    destination_country: str | None
    non_procedural: bool


class BothView(BaseModel):
    row: int
    worker_id: str
    journey_id: str | None
    disagreements: list[DisagreementView]


class ReconciliationView(BaseModel):
    rows: int
    departed_since: date | None
    departed_until: date | None
    national_only: list[ListedOnlyView] = Field(
        description="On the national list, unknown to Jejak in your scope (rows of the list)"
    )
    jejak_only: list[DepartedOnlyView] = Field(
        description="Departed in Jejak within the list's dates, absent from the list"
    )
    both: list[BothView] = Field(description="On both; disagreements name the fields")
    errors: list[RowErrorView]
    position: int


class DuplicatePairView(BaseModel):
    worker_id: str
    other_worker_id: str
    reason: str
    reasons: list[str]


class DuplicatePageView(BaseModel):
    items: list[DuplicatePairView]
    next: str | None


class NotSamePersonBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            worker_ids=[
                "3f8a1c2e-5b7d-4e9f-a1b2-c3d4e5f60718",
                "9b2d4f6a-8c1e-4a3b-b5d7-e9f1a3c5b7d9",
            ],
            reason="Dua orang berbeda: dicek dengan KK",
        )
    )

    worker_ids: list[str] = Field(min_length=2, max_length=2)
    reason: ShortText


class RegisterWorkerResponse(WriteResponse):
    possible_duplicates: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Workers in your scope this person may be: {worker_id, reason, reasons}",
    )
