"""Answers of the scan routes."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from interfaces.http.schemas.common import ErrorBody
from interfaces.http.schemas.journeys import JourneyWriteResponse

#: Answers of the scan routes beyond those of every API path.
SCAN_ERRORS: dict[int | str, dict[str, Any]] = {
    410: {"model": ErrorBody, "description": "The worker's personal data, scans too, was erased"},
    413: {"model": ErrorBody, "description": "Over 10 MiB, or an image of too many pixels"},
    415: {
        "model": ErrorBody,
        "description": "Not multipart, not JPEG, PNG or PDF, or bytes not of the declared type",
    },
}


class ScanWriteResponse(JourneyWriteResponse):
    """A scan was stored and its event recorded: what is stored, as a read gives it back."""

    document_id: int
    sha256: str = Field(description="SHA-256 of the stored file (images are re-encoded).")
    bytes: int = Field(description="Size of the stored file.")
    content_type: str = Field(examples=["image/jpeg"])


#: The request body in OpenAPI: the route reads it itself, as it streams in.
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "JPEG, PNG or PDF, at most 10 MiB, its part's "
                            "Content-Type saying which.",
                        }
                    },
                }
            }
        },
    }
}
