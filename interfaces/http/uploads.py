"""Receiving a scan: a multipart body of up to 10 MiB, read as it streams in.

Every other body is read whole by the middleware before the app sees it, bounded by
``JEJAK_MAX_BODY_BYTES``; an upload is not (``streams_upload``). Its route counts the bytes
as they arrive and stops reading with 413 as soon as there are more than a scan may have,
so a 2 GB body costs 10 MiB of reading, not 2 GB of it and a temporary file to match.
The file part spills to a temporary file beyond 1 MB (Starlette's multipart parser)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.types import Scope

from application.scan_ports import MAX_SCAN_BYTES, ScanTooLarge
from domain.errors import InvalidValue
from interfaces.http.errors import ApiError

#: The file part is named so, in the API and in the web form alike.
FILE_FIELD = "file"
#: Room for the multipart framing and a form's small fields around the file.
FRAMING_BYTES = 64 * 1024
MAX_UPLOAD_BODY = MAX_SCAN_BYTES + FRAMING_BYTES
#: The longest value of a form field sent with a file (a CSRF token, a form key).
MAX_FIELD_BYTES = 1024

_UPLOAD_PATHS = (
    ("PUT", re.compile(r"^/v1/journeys/[^/]+/documents/[^/]+/scan$")),
    ("POST", re.compile(r"^/journeys/[^/]+/documents/[^/]+/scan$")),
)


def streams_upload(scope: Scope) -> bool:
    """A request whose body its route reads itself, bounded as it streams."""
    method, path = scope.get("method"), str(scope.get("path", ""))
    return any(method == m and pattern.match(path) for m, pattern in _UPLOAD_PATHS)


@dataclass
class Upload:
    """The file that was sent, with its declared type and the digest of its bytes as sent
    (an Idempotency-Key's fingerprint), and the form's other fields."""

    file: BinaryIO
    content_type: str | None
    size: int
    sha256: str
    fields: dict[str, str] = field(default_factory=dict)
    _upload: UploadFile | None = None

    async def close(self) -> None:
        if self._upload is not None:
            await self._upload.close()


async def receive_upload(request: Request) -> Upload:
    """Reads the body as it arrives: 413 once it outgrows a scan, 415 for a body that is
    not multipart, 400 for one that does not parse, 422 without a file part."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "multipart/form-data":
        raise ApiError(
            415,
            "multipart_required",
            "Send the scan as multipart/form-data, the file in a part named file.",
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BODY:
        raise ScanTooLarge(limit=MAX_SCAN_BYTES)
    parser = MultiPartParser(
        request.headers,
        _bounded(request.stream(), MAX_UPLOAD_BODY),
        max_files=1,
        max_fields=8,
        max_part_size=MAX_FIELD_BYTES,
    )
    try:
        form = await parser.parse()
    except MultiPartException:
        raise ApiError(
            400, "malformed_multipart", "The multipart body could not be read."
        ) from None
    upload = form.get(FILE_FIELD)
    for _, value in form.multi_items():
        if isinstance(value, UploadFile) and value is not upload:
            await value.close()  # a file in a part of another name: not read
    if not isinstance(upload, UploadFile):
        raise InvalidValue(field=FILE_FIELD, reason="is required: a JPEG, PNG or PDF file")
    try:
        size, digest = await _measured(upload)
        if size > MAX_SCAN_BYTES:
            raise ScanTooLarge(limit=MAX_SCAN_BYTES)
    except BaseException:
        await upload.close()
        raise
    fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
    return Upload(
        file=upload.file,
        content_type=upload.content_type,
        size=size,
        sha256=digest,
        fields=fields,
        _upload=upload,
    )


async def _bounded(stream: AsyncGenerator[bytes, Any], limit: int) -> AsyncGenerator[bytes]:
    received = 0
    async for chunk in stream:
        received += len(chunk)
        if received > limit:
            raise ScanTooLarge(limit=MAX_SCAN_BYTES)
        yield chunk


async def _measured(upload: UploadFile) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    await upload.seek(0)
    while chunk := await upload.read(256 * 1024):
        digest.update(chunk)
        size += len(chunk)
    await upload.seek(0)
    return size, digest.hexdigest()
