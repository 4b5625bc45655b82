"""Journey bodies (Appendix A) and the journey as clients read it.

Vocabularies are the domain's enums, so the OpenAPI schema lists every allowed value; their
labels in English and Bahasa Indonesia are served by ``GET /v1/vocabularies``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from domain.vocabularies import (
    ContactWith,
    DocumentKind,
    FlagReason,
    IncidentCategory,
    IncidentOutcome,
    IndicationOutcome,
    Indicator,
    MigrationTopic,
    PlacementScheme,
    ReintegrationActivityKind,
    ReintegrationNeed,
    ReturnReason,
    Severity,
    Stage,
    WelfareStatus,
)
from interfaces.http.schemas.case_moves import RecordedView, ReferralView, TransferredView
from interfaces.http.schemas.common import Body, Note, ShortText, WriteResponse, example

OccurredOn = Annotated[
    date | None,
    Field(
        default=None,
        description="When it happened (YYYY-MM-DD); today when left out; never in the future. "
        "Backdating is allowed and stays visible next to the recording time.",
    ),
]
OptionalNote = Annotated[
    Note | None,
    Field(
        default=None,
        description="Free text about the person: personal data, encrypted with the worker's key.",
    ),
]

# Requests ----------------------------------------------------------------------------


class P3miBody(Body):
    name: ShortText
    licence_number: ShortText


class OpenJourneyBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            worker_id="3f8a1c2e-5b7d-4e9f-a1b2-c3d4e5f60718",
            destination_country="TW",
            occupation="caregiver",
            placement_scheme="p3mi",
            p3mi={"name": "PT Contoh Penempatan", "licence_number": "KEP 123/2021"},
        )
    )

    worker_id: UUID
    destination_country: str = Field(
        min_length=2,
        max_length=2,
        pattern=r"^[A-Za-z]{2}$",
        description="ISO 3166-1 alpha-2 code of the country of work (not ID).",
    )
    occupation: ShortText
    placement_scheme: PlacementScheme
    p3mi: P3miBody | None = Field(
        default=None, description="The licensed placement company: required for p3mi only."
    )
    occurred_on: OccurredOn = None


class CounsellingBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            occurred_on="2025-01-15", topics=["safe_migration", "procedure_and_documents"]
        )
    )

    occurred_on: OccurredOn = None
    topics: list[MigrationTopic] = Field(min_length=1, max_length=20)


class DocumentBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            kind="passport", number="C1234567", issued_on="2024-11-01", expires_on="2034-11-01"
        )
    )

    kind: DocumentKind
    number: ShortText = Field(description="Personal data: encrypted with the worker's key.")
    issued_on: date
    expires_on: date | None = None
    occurred_on: OccurredOn = None


class IndicationBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            occurred_on="2025-02-01", indicators=["unlicensed_recruiter", "non_work_visa"]
        )
    )

    occurred_on: OccurredOn = None
    indicators: list[Indicator] = Field(min_length=1, max_length=20)
    note: OptionalNote = None


class IndicationResolutionBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(occurred_on="2025-02-10", outcome="persuaded")
    )

    occurred_on: OccurredOn = None
    outcome: IndicationOutcome
    note: OptionalNote = None


def _occurred_on_names(date_field: str, data: Any) -> Any:
    """Every other fact takes ``occurred_on``; a departure or a return has its own date, and a
    client that sends ``occurred_on`` as well (or instead) means that same day."""
    if not isinstance(data, dict) or "occurred_on" not in data:
        return data
    data = dict(data)
    occurred_on = data.pop("occurred_on")
    if data.get(date_field) is None:
        data[date_field] = occurred_on
    elif occurred_on is not None and occurred_on != data[date_field]:
        raise PydanticCustomError(
            "date_mismatch", f"occurred_on must be {date_field}, the day it happened"
        )
    return data


class DepartureBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            departed_on="2025-03-01",
            employer="Employer name",
            contract_start="2025-03-03",
            contract_end="2028-03-02",
        )
    )

    departed_on: date
    employer: ShortText = Field(description="Personal data: encrypted with the worker's key.")
    contract_start: date
    contract_end: date

    @model_validator(mode="before")
    @classmethod
    def _occurred_on(cls, data: Any) -> Any:
        return _occurred_on_names("departed_on", data)


class WelfareCheckBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(occurred_on="2025-06-01", contact_with="family", status="ok")
    )

    occurred_on: OccurredOn = None
    contact_with: ContactWith
    status: WelfareStatus
    note: OptionalNote = None


class IncidentBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            occurred_on="2025-07-01", category="unpaid_wages", severity="high"
        )
    )

    occurred_on: OccurredOn = None
    category: IncidentCategory
    severity: Severity
    note: OptionalNote = None


class IncidentResolutionBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(occurred_on="2025-08-01", outcome="resolved")
    )

    occurred_on: OccurredOn = None
    outcome: IncidentOutcome
    note: OptionalNote = None


class ReturnBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(returned_on="2028-03-05", reason="contract_completed")
    )

    returned_on: date
    reason: ReturnReason

    @model_validator(mode="before")
    @classmethod
    def _occurred_on(cls, data: Any) -> Any:
        return _occurred_on_names("returned_on", data)


class ReintegrationPlanBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(occurred_on="2028-04-01", needs=["skills_training"])
    )

    occurred_on: OccurredOn = None
    needs: list[ReintegrationNeed] = Field(min_length=1, max_length=20)


class ReintegrationActivityBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(occurred_on="2028-05-01", kind="entrepreneurship_training")
    )

    occurred_on: OccurredOn = None
    kind: ReintegrationActivityKind
    note: OptionalNote = None


class EndBody(Body):
    """A cancellation or a closure. The reason is not personal data: keep names out of it."""

    model_config = ConfigDict(
        json_schema_extra=example(occurred_on="2025-04-01", reason="chose to work in the village")
    )

    occurred_on: OccurredOn = None
    reason: ShortText
    leave_open_reason: ShortText | None = Field(
        default=None,
        description="Why open incidents and indications are left open: without it, a journey "
        "with any is refused (409 open_items_at_closure, naming them). Shown in the history; "
        "like the reason, not personal data: keep names out of it.",
    )


class CorrectionBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            corrects_version=5,
            reason="departure date mistyped",
            changes={"departed_on": "2025-03-02"},
        )
    )

    corrects_version: int = Field(ge=1, description="The version of the event to amend.")
    reason: ShortText
    changes: dict[str, Any] = Field(
        min_length=1,
        max_length=20,
        description="New values of that event's fields (the names of the body that recorded "
        "it, plus occurred_on). Which event was recorded never changes, so neither does a stage.",
    )


# Responses ---------------------------------------------------------------------------


class FlagReasonView(BaseModel):
    reason: FlagReason
    document_kind: DocumentKind | None = Field(
        default=None, description="For missing_document: which one."
    )
    indication_id: int | None = Field(
        default=None, description="For unresolved_indication: which one."
    )


class ExpiringDocumentView(BaseModel):
    document_id: int
    kind: DocumentKind
    expires_on: date
    contract_end: date


class FlagsView(BaseModel):
    """Risks of the journey, recomputed after every event (corrections included).

    ``non_procedural`` is true once a departure is recorded with at least one reason:
    a required document not valid on the departure date (``placement_agreement`` only for
    p3mi), an indication unresolved on that date, or a worker under 18 that day.
    ``documents_expiring``: documents whose expiry precedes the contract end.
    ``missing_documents``: required documents not held (before departure: not yet recorded)."""

    non_procedural: bool
    non_procedural_reasons: list[FlagReasonView]
    documents_expiring: list[ExpiringDocumentView]
    missing_documents: list[DocumentKind]


class JourneyWriteResponse(WriteResponse):
    """Every journey write answers with the stage and flags it left the journey in."""

    stage: Stage
    flags: FlagsView


class DocumentWriteResponse(JourneyWriteResponse):
    document_id: int


class IndicationWriteResponse(JourneyWriteResponse):
    indication_id: int


class IncidentWriteResponse(JourneyWriteResponse):
    incident_id: int


class P3miView(BaseModel):
    name: str
    licence_number: str


class CounsellingView(RecordedView):
    topics: list[str]


class DocumentView(RecordedView):
    document_id: int
    kind: str
    number: str
    issued_on: date
    expires_on: date | None


class ResolutionView(RecordedView):
    outcome: str
    note: str | None


class IndicationView(RecordedView):
    indication_id: int
    indicators: list[str]
    note: str | None
    resolution: ResolutionView | None


class DepartureView(RecordedView):
    departed_on: date
    employer: str
    contract_start: date
    contract_end: date
    worker_under_18: bool


class WelfareCheckView(RecordedView):
    contact_with: str
    status: str
    note: str | None


class IncidentView(RecordedView):
    incident_id: int
    category: str
    severity: str
    note: str | None
    resolution: ResolutionView | None


class ReturnView(RecordedView):
    returned_on: date
    reason: str


class PlanView(RecordedView):
    needs: list[str]


class ActivityView(RecordedView):
    kind: str
    note: str | None


class EndView(RecordedView):
    reason: str


class LeftOpenView(RecordedView):
    """The incidents and indications a closure or cancellation left unresolved, and why."""

    reason: str
    incidents: list[int]
    indications: list[int]


class CorrectionView(RecordedView):
    corrects_version: int
    reason: str
    changes: dict[str, Any] = Field(description="Corrected values of non-personal fields.")
    personal_fields: list[str] = Field(
        description="Names of corrected personal fields (their values are in the state)."
    )


class ScanView(RecordedView):
    """One upload of a document's scan (``GET …/documents/{document_id}/scan`` reads the
    current one, ``?as_of_version=`` an earlier one)."""

    document_id: int
    content_type: str
    bytes: int
    sha256: str = Field(description="SHA-256 of the file as served; [erased] after erasure.")


class JourneyView(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: UUID
    worker_id: UUID
    village_code: str
    stage: Stage
    version: int
    as_of: datetime | None = Field(
        default=None, description="The recording time asked for with ?as_of, if any."
    )
    flags: FlagsView
    destination_country: str
    occupation: str
    placement_scheme: PlacementScheme
    p3mi: P3miView | None
    opened_on: date
    opened_at: datetime
    updated_at: datetime
    counselling: list[CounsellingView]
    documents: list[DocumentView]
    indications: list[IndicationView]
    departure: DepartureView | None
    welfare_checks: list[WelfareCheckView]
    incidents: list[IncidentView]
    return_: ReturnView | None = Field(alias="return")
    reintegration_plans: list[PlanView]
    reintegration_activities: list[ActivityView]
    cancellation: EndView | None
    closure: EndView | None
    left_open: LeftOpenView | None = Field(
        default=None,
        description="What the journey's end left unresolved and why (none for a journey "
        "ended with everything resolved, or ended before a reason was asked for).",
    )
    corrections: list[CorrectionView]
    scans: list[ScanView] = Field(default_factory=list)
    transfers: list[TransferredView] = Field(default_factory=list)
    referrals: list[ReferralView] = Field(default_factory=list)


class VocabularyItem(BaseModel):
    code: str
    label: str = Field(description="In the language asked for with Accept-Language.")
    label_en: str
    label_id: str


class VocabulariesView(BaseModel):
    vocabularies: dict[str, list[VocabularyItem]]
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes a journey may go to.")
