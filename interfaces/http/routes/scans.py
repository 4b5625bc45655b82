"""Scans of a journey's documents: ``PUT`` stores a new version, ``GET`` streams one back.

The upload route is asynchronous, unlike the others: it reads the body itself as it streams
in (bounded, see ``interfaces.http.uploads``) and runs the use cases in the thread pool, as
FastAPI runs a plain ``def`` route. Scope is checked before the body is read."""

from __future__ import annotations

import base64
import re
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from application.scan_ports import ScanType
from application.scans import AttachScan, ScanContent
from application.writes import WriteOptions
from interfaces.http.deps import (
    AppDep,
    PrincipalDep,
    RuntimeDep,
    request_fingerprint,
    write_headers,
)
from interfaces.http.respond import created
from interfaces.http.schemas.scans import SCAN_ERRORS, UPLOAD_BODY, ScanWriteResponse
from interfaces.http.uploads import Upload, receive_upload

router = APIRouter(prefix="/v1", tags=["journeys"])

SCAN = "/journeys/{journey_id}/documents/{document_id}/scan"
_EXTENSIONS = {ScanType.JPEG: "jpg", ScanType.PNG: "png", ScanType.PDF: "pdf"}
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


@router.put(
    SCAN,
    status_code=201,
    response_model=ScanWriteResponse,
    responses=SCAN_ERRORS,
    openapi_extra=UPLOAD_BODY,
)
async def attach_scan(
    journey_id: UUID,
    document_id: int,
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    runtime: RuntimeDep,
    response: Response,
) -> ScanWriteResponse:
    """Stores a scan of a recorded document (multipart ``file``: JPEG, PNG or PDF, at most
    10 MiB) as its new version; the earlier ones stay in the history. Images are re-encoded
    at most 2,000 px on the long side, without EXIF or GPS; PDFs are kept as sent. 415 when
    the bytes are not the declared type, 413 when larger than allowed (an image by its
    pixels too), 404 outside your villages. Honours If-Match and Idempotency-Key."""
    await run_in_threadpool(app.check_scan_target, principal, journey_id, document_id)
    upload = await receive_upload(request)
    try:
        declared = ScanType.declared(upload.content_type)
        options = upload_options(runtime, request, upload, declared)
        command = AttachScan(document_id=document_id, declared=declared, file=upload.file)
        result = await run_in_threadpool(app.attach_scan, principal, journey_id, command, options)
    finally:
        await upload.close()
    return ScanWriteResponse.model_validate(created(response, result))


@router.get(
    SCAN,
    response_class=StreamingResponse,
    responses={
        200: {"content": {t.value: {} for t in ScanType}, "description": "The file."},
        410: SCAN_ERRORS[410],
    },
)
def read_scan(
    journey_id: UUID,
    document_id: int,
    principal: PrincipalDep,
    app: AppDep,
    as_of_version: Annotated[
        int | None,
        Query(ge=1, le=2**62, description="The scan that was current at this journey version."),
    ] = None,
) -> StreamingResponse:
    """The document's current scan, or the one current at ``as_of_version``, as stored
    (``ETag`` and ``Repr-Digest`` carry its SHA-256). Written to the access log. 404 when
    there is none (or outside your scope), 410 once the worker's data was erased."""
    content = app.read_scan(principal, journey_id, document_id, as_of_version=as_of_version)
    return scan_response(content, f"document-{document_id}")


def scan_response(content: ScanContent, name: str) -> StreamingResponse:
    """The file inline (a browser shows it), never cached: it is personal data."""
    headers = {
        "Content-Length": str(content.size),
        "Content-Disposition": f'inline; filename="{name}.{_EXTENSIONS[content.content_type]}"',
        "Cache-Control": "private, no-store",
        "X-Scan-Version": str(content.version),
    }
    if _HEX_DIGEST.fullmatch(content.sha256):
        digest = base64.b64encode(bytes.fromhex(content.sha256)).decode()
        headers.update({"ETag": f'"{content.sha256}"', "Repr-Digest": f"sha-256=:{digest}:"})
    return StreamingResponse(content.chunks, media_type=content.content_type.value, headers=headers)


def upload_options(
    runtime: RuntimeDep, request: Request, upload: Upload, declared: ScanType
) -> WriteOptions:
    """If-Match and Idempotency-Key as for every write; the fingerprint stands for the
    body by the digest of the file as sent and its declared type."""
    expected, key = write_headers(request)
    fingerprint = ""
    if key is not None:
        fingerprint = request_fingerprint(runtime, request, f"{declared.value}:{upload.sha256}")
    return WriteOptions(expected_version=expected, idempotency_key=key, fingerprint=fingerprint)
