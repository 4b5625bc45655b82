"""Shaping write answers the same way everywhere."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from application.writes import WriteResult


def created(response: Response, result: WriteResult) -> dict[str, Any]:
    """201 with the body of the write; a replayed Idempotency-Key says so in a header."""
    response.headers["ETag"] = f'"{result.version}"'
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return result.response()
