"""Imports on the web: upload a spreadsheet, read its dry run (what would be recorded, each
row's problems in the person's language, possible duplicates), commit it, follow its
progress. Templates are downloaded from the same page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from application.errors import Forbidden
from application.imports.columns import COLUMNS, ImportKind
from application.imports.existing import OnExisting
from application.imports.usecases import StartImport
from domain.errors import DomainError
from interfaces.http.deps import AppDep
from interfaces.http.errors import status_for
from interfaces.importing import import_body, template_bytes, vocabulary_labels
from interfaces.web import text
from interfaces.web.forms import FormDep
from interfaces.web.pages import can_record
from interfaces.web.render import render
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import SessionDep, WebSession
from interfaces.web.uploads import UploadDep

router = APIRouter(route_class=WebRoute, include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: How long a page waits for a job before showing its progress instead.
PAGE_WAIT_SECONDS = 5.0
#: Rows of problems (and of possible duplicates) a page lists; the API gives them all.
SHOWN_ROWS = 500


@router.get("/imports")
def new_import(request: Request, session: SessionDep) -> Response:
    _require_recording(session)
    return _form_page(request, session)


@router.post("/imports")
def upload(request: Request, session: SessionDep, app: AppDep, sent: UploadDep) -> Response:
    """The dry run of the file: nothing is recorded until the person commits it."""
    _require_recording(session)
    chosen = sent.form.get("kind")
    if chosen not in {kind.value for kind in ImportKind}:
        return _form_page(request, session, text.t("imports.choose_kind", session.lang), chosen)
    if sent.content is None:
        return _form_page(request, session, text.t("imports.choose_file", session.lang), chosen)
    mode = sent.form.get("on_existing") or OnExisting.ERROR.value
    if mode not in {choice.value for choice in OnExisting}:
        return _form_page(request, session, text.t("imports.choose_mode", session.lang), chosen)
    command = StartImport(
        kind=ImportKind(chosen),
        content=sent.content,
        labels=vocabulary_labels(),
        wait_seconds=PAGE_WAIT_SECONDS,
        on_existing=OnExisting(mode),
    )
    try:
        record = app.start_import(session.principal, command)
    except DomainError as refused:
        if isinstance(refused, Forbidden):
            raise
        message = text.message_text(refused.code, refused.message, refused.params, session.lang)
        return _form_page(request, session, message, chosen, status_for(refused), mode)
    return redirect(request, f"/imports/{record.id}")


@router.get("/imports/templates/{kind}")
def template(kind: ImportKind, session: SessionDep) -> Response:
    return Response(
        content=template_bytes(kind),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="jejak-{kind.value}.xlsx"'},
    )


@router.get("/imports/{import_id}")
def show_import(import_id: UUID, request: Request, session: SessionDep, app: AppDep) -> Response:
    record = app.get_import(session.principal, import_id)
    body = import_body(record, session.lang == "id")
    return _show(request, session, app, body)


@router.post("/imports/{import_id}/commit")
def commit(
    import_id: UUID, request: Request, session: SessionDep, app: AppDep, form: FormDep
) -> Response:
    """Records what the dry run showed; a refusal (the records moved since) is shown on the
    import's page with what to do."""
    try:
        app.commit_import(
            session.principal, import_id, vocabulary_labels(), wait_seconds=PAGE_WAIT_SECONDS
        )
    except DomainError as refused:
        if isinstance(refused, Forbidden) or refused.code == "not_found":
            raise
        record = app.get_import(session.principal, import_id)
        body = import_body(record, session.lang == "id")
        message = text.message_text(refused.code, refused.message, refused.params, session.lang)
        return _show(request, session, app, body, message, status=409)
    return redirect(request, f"/imports/{import_id}")


# Helpers ---------------------------------------------------------------------------------


def _require_recording(session: WebSession) -> None:
    if not can_record(session.principal):
        raise Forbidden(role=session.principal.role.value, action="import records")


def _form_page(
    request: Request,
    session: WebSession,
    message: str | None = None,
    chosen: str | None = None,
    status: int = 422,
    on_existing: str = OnExisting.ERROR.value,
) -> Response:
    kinds = [
        {
            "value": kind.value,
            "label": text.t(f"imports.kind.{kind.value}", session.lang),
            "columns": [c.header for c in COLUMNS[kind]],
            "required": [c.header for c in COLUMNS[kind] if c.required],
        }
        for kind in ImportKind
    ]
    return render(
        request,
        "imports/new.html",
        session,
        {
            "kinds": kinds,
            "message": message,
            "chosen": chosen,
            "on_existing_modes": [mode.value for mode in OnExisting],
            "on_existing": on_existing,
        },
        status=status if message else 200,
    )


def _show(
    request: Request,
    session: WebSession,
    app: AppDep,
    body: dict[str, Any],
    message: str | None = None,
    status: int = 200,
) -> Response:
    running = body["status"] in ("checking", "committing")
    return render(
        request,
        "imports/show.html",
        session,
        {"imp": body, "running": running, "message": message, "shown": SHOWN_ROWS},
        status=status,
    )
