"""Turning read-model pages into report answers: JSON ``{position, items, next}``, the
machine CSV (``Accept: text/csv``) or the spreadsheet for people (``?format=excel``): see
``interfaces.downloads``."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from application.readmodels import Key, Page, Row
from interfaces.downloads import EXCEL, csv_response, reader_of
from interfaces.http.errors import ApiError


def encode_cursor(key: Key | None) -> str | None:
    if key is None:
        return None
    return (
        base64.urlsafe_b64encode(json.dumps(list(key), default=str).encode()).decode().rstrip("=")
    )


def decode_cursor(token: str | None) -> Key | None:
    if token is None or token == "":
        return None
    try:
        padded = token + "=" * (-len(token) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise ApiError(
            400, "invalid_cursor", "The ?after= cursor is not one this service gave."
        ) from None
    if not isinstance(values, list) or not all(_cursor_value(v) for v in values):
        raise ApiError(400, "invalid_cursor", "The ?after= cursor is not one this service gave.")
    return tuple(values)


def _cursor_value(value: object) -> bool:
    """What a cursor may hold: the key of a read-model row (integers within SQL's BIGINT)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    return isinstance(value, int) and -(2**63) <= value < 2**63


def wants_csv(request: Request) -> bool:
    """A CSV download (an export, for the access log): ``Accept: text/csv`` or
    ``?format=excel``."""
    if request.query_params.get("format") == EXCEL:
        return True
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept.split(",")[0]


def report_response(
    request: Request,
    page: Page,
    columns: Sequence[str],
    shape: Callable[[Row], dict[str, Any]] | None = None,
    filename: str = "report.csv",
) -> Response:
    items = shaped(page, columns, shape)
    headers = {"X-Jejak-Position": str(page.position)}
    if wants_csv(request):
        next_cursor = encode_cursor(page.next_after)
        if next_cursor:
            headers["X-Jejak-Next"] = next_cursor
        return csv_response(items, columns, filename, headers, lang=reader_of(request))
    body = {"position": page.position, "items": items, "next": encode_cursor(page.next_after)}
    return JSONResponse(body, headers=headers)


def shaped(
    page: Page, columns: Sequence[str], shape: Callable[[Row], dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    return [shape(row) if shape else {c: row.get(c) for c in columns} for row in page.rows]
