"""Imports (SPEC §9): upload a CSV or XLSX file for a dry run, then commit it."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, File, Form, Request, Response, UploadFile

from application.imports.columns import ImportKind
from application.imports.existing import OnExisting
from application.imports.ports import ImportRecord
from application.imports.usecases import StartImport
from interfaces.http.deps import AppDep, PrincipalDep
from interfaces.http.errors import ApiError
from interfaces.http.i18n import wants_indonesian
from interfaces.http.schemas.imports import ImportView
from interfaces.importing import import_body, template_bytes, vocabulary_labels

router = APIRouter(prefix="/v1", tags=["imports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUNNING = frozenset({"checking", "committing"})
ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"model": ImportView, "description": "Still running: GET the import for progress"}
}


@router.post("/imports", status_code=201, response_model=ImportView, responses=ACCEPTED)
def start_import(
    request: Request,
    response: Response,
    principal: PrincipalDep,
    app: AppDep,
    file: Annotated[UploadFile, File(description="CSV or XLSX, Indonesian headers")],
    kind: Annotated[ImportKind, Form()],
    dry_run: Annotated[bool, Form()] = True,
    on_existing: Annotated[OnExisting, Form()] = OnExisting.ERROR,
) -> ImportView:
    """Reads the file and answers its dry run: ``would_record``, every row's ``errors`` and
    ``possible_duplicates``, recording nothing. With ``dry_run=false`` it commits straight
    after. ``on_existing`` says what rows about people already registered in your scope
    (and journeys rows of workers with an open journey) do: ``error`` (the default),
    ``skip`` (``kept``, nothing recorded), or ``update`` (only what an officer may change by
    hand: the phone, a missing departure or return; identity facts that differ are row
    errors naming the column). A file that is not CSV or XLSX (or carries macros) is 415; one too large (or a
    workbook that expands too far) 413; a file without the kind's columns 422. A large file
    answers 202 with its progress before the dry run is done: GET the import."""
    content = file.file.read()
    command = StartImport(
        kind=kind,
        content=content,
        dry_run=dry_run,
        labels=vocabulary_labels(),
        on_existing=on_existing,
    )
    return _answer(request, response, app.start_import(principal, command))


@router.post(
    "/imports/{import_id}/commit", status_code=201, response_model=ImportView, responses=ACCEPTED
)
def commit_import(
    import_id: UUID, request: Request, response: Response, principal: PrincipalDep, app: AppDep
) -> ImportView:
    """Records what the dry run said, or refuses (409 ``import_changed``, nothing recorded)
    when the records moved in a way that changes it. Runs in the background, a batch of
    rows per transaction; 202 while it runs. Committing again resumes a commit a crash
    interrupted, and a committed import stays as it is."""
    record = app.commit_import(principal, import_id, vocabulary_labels())
    return _answer(request, response, record)


@router.get(
    "/imports/templates/{kind}", response_class=Response, responses={200: {"content": {XLSX: {}}}}
)
def import_template(kind: ImportKind, principal: PrincipalDep) -> Response:
    """An XLSX template: Indonesian headers, one example row, the vocabularies as drop-down
    lists."""
    return Response(
        content=template_bytes(kind),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="jejak-{kind.value}.xlsx"'},
    )


@router.get("/imports/{import_id}", response_model=ImportView)
def get_import(
    import_id: UUID, request: Request, principal: PrincipalDep, app: AppDep
) -> ImportView:
    """An import's progress and report, for the user who uploaded it."""
    record = app.get_import(principal, import_id)
    return ImportView.model_validate(import_body(record, _indonesian(request)))


def _answer(request: Request, response: Response, record: ImportRecord) -> ImportView:
    if record.status == "failed":
        failure = dict(record.report.get("failure") or {})
        raise ApiError(
            503,
            "import_failed",
            "The import stopped ({reason}); commit it again to resume where it stopped.",
            params={"reason": failure.get("code", "internal_error")},
            headers={"Retry-After": "5"},
        )
    if record.status in RUNNING:
        response.status_code = 202
        response.headers["Location"] = f"/v1/imports/{record.id}"
    return ImportView.model_validate(import_body(record, _indonesian(request)))


def _indonesian(request: Request) -> bool:
    return wants_indonesian(request.headers.get("accept-language"))
