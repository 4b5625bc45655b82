"""Turning read-model pages into report answers: JSON ``{position, items, next}`` or CSV
(``Accept: text/csv``) with spreadsheet formula injection neutralised."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from application.readmodels import Key, Page, Row
from interfaces.http.errors import ApiError

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    if isinstance(value, list | dict):
        return safe_cell(json.dumps(value, ensure_ascii=False))
    return value


def wants_csv(request: Request) -> bool:
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
        return csv_response(items, columns, filename, headers)
    body = {"position": page.position, "items": items, "next": encode_cursor(page.next_after)}
    return JSONResponse(body, headers=headers)


def shaped(
    page: Page, columns: Sequence[str], shape: Callable[[Row], dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    return [shape(row) if shape else {c: row.get(c) for c in columns} for row in page.rows]


def csv_response(
    items: Sequence[dict[str, Any]],
    columns: Sequence[str],
    filename: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """A CSV download (the API's ``Accept: text/csv`` and the web's download links alike)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for item in items:
        writer.writerow([safe_cell(item.get(c)) for c in columns])
    all_headers = dict(headers or {})
    all_headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=all_headers)
