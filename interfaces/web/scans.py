"""Scans on the case page: the upload form in the document checklist (a phone's camera
works: the input asks for an image or a PDF and offers the camera), the thumbnail beside
each scanned document, and the scan itself, which opens in the browser for officers,
coordinators and auditors.

The upload is read as the API's is (``interfaces.http.uploads``: bounded as it streams in)
and written through the same use case; its CSRF token and form key travel as fields of the
multipart form. A refusal (415, 413, a stage conflict) comes back on the case page, next to
that document's upload form."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from application.scan_ports import ScanType
from application.scans import AttachScan
from application.writes import WriteOptions
from domain.errors import DomainError
from interfaces.http.deps import AppDep, RuntimeDep
from interfaces.http.routes.scans import scan_response
from interfaces.http.uploads import Upload, receive_upload
from interfaces.web.forms import IDEMPOTENCY_FIELD, Form, FormErrors, domain_errors, write_options
from interfaces.web.journeys import _journey_page
from interfaces.web.pages import form_state
from interfaces.web.routing import WebRoute, redirect
from interfaces.web.session import CSRF_FIELD, CsrfRefused, SessionDep, csrf_matches

router = APIRouter(route_class=WebRoute, include_in_schema=False)

SCAN = "/journeys/{journey_id}/documents/{document_id}/scan"


@router.post(SCAN)
async def upload_scan(
    journey_id: UUID,
    document_id: int,
    request: Request,
    session: SessionDep,
    app: AppDep,
    runtime: RuntimeDep,
) -> Response:
    await run_in_threadpool(app.check_scan_target, session.principal, journey_id, document_id)
    form_id = f"scan-{document_id}"
    try:
        upload = await receive_upload(request)
    except DomainError as error:  # too large, no file: nothing was read to keep
        return await _again(request, session, app, journey_id, form_id, "", error)
    try:
        token = request.cookies.get("jejak_session", "")
        if not csrf_matches(runtime, token, upload.fields.get(CSRF_FIELD)):
            raise CsrfRefused()
        key = upload.fields.get(IDEMPOTENCY_FIELD, "")
        try:
            declared = ScanType.declared(upload.content_type)
            command = AttachScan(document_id=document_id, declared=declared, file=upload.file)
            options = _options(runtime, request, upload, declared)
            await run_in_threadpool(
                app.attach_scan, session.principal, journey_id, command, options
            )
        except DomainError as error:
            return await _again(request, session, app, journey_id, form_id, key, error)
    finally:
        await upload.close()
    return redirect(request, f"/journeys/{journey_id}?saved=scan#checklist")


@router.get(SCAN)
def show_scan(
    journey_id: UUID,
    document_id: int,
    session: SessionDep,
    app: AppDep,
    as_of_version: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    """The file as stored, inline: a browser shows the image or the PDF itself."""
    content = app.read_scan(session.principal, journey_id, document_id, as_of_version=as_of_version)
    return scan_response(content, f"document-{document_id}")


@router.get(f"{SCAN}/thumbnail")
def scan_thumbnail(
    journey_id: UUID, document_id: int, session: SessionDep, app: AppDep
) -> Response:
    thumbnail = app.scan_thumbnail(session.principal, journey_id, document_id)
    if thumbnail is None:
        return Response(status_code=404)
    return Response(
        thumbnail,
        media_type="image/jpeg",
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )


def _options(
    runtime: RuntimeDep, request: Request, upload: Upload, declared: ScanType
) -> WriteOptions:
    """As for every form: its key, and a fingerprint of what was sent, the file standing
    for itself by its digest (a photo sent twice on a slow line is one scan)."""
    values = {name: [value] for name, value in upload.fields.items()}
    values["file"] = [f"{declared.value}:{upload.sha256}"]
    return write_options(runtime, Form(values=values, path=request.url.path))


async def _again(
    request: Request,
    session: SessionDep,
    app: AppDep,
    journey_id: UUID,
    form_id: str,
    key: str,
    error: DomainError,
) -> Response:
    errors: FormErrors = domain_errors(error, session.lang)
    if errors.fields:  # "file: is required": the one field of this form
        errors = FormErrors(general=next(iter(errors.fields.values())), status=errors.status)
    state = form_state(form_id, None, errors, key or None)
    return await run_in_threadpool(
        _journey_page,
        request,
        session,
        app,
        journey_id,
        failed=(form_id, state),
        status=errors.status,
    )
