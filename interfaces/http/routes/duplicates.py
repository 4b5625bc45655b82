"""Possible duplicates for coordinators to review, and their verdict (SPEC §9)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from interfaces.http.deps import AppDep, PrincipalDep, WriteOptionsDep
from interfaces.http.errors import ApiError
from interfaces.http.reporting import decode_cursor, encode_cursor
from interfaces.http.respond import created
from interfaces.http.schemas.common import WriteResponse
from interfaces.http.schemas.imports import DuplicatePageView, DuplicatePairView, NotSamePersonBody

router = APIRouter(prefix="/v1", tags=["workers"])


@router.get("/duplicates", response_model=DuplicatePageView)
def list_duplicates(
    principal: PrincipalDep,
    app: AppDep,
    region: Annotated[str | None, Query(max_length=13, pattern=r"^[0-9.]+$")] = None,
    after: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DuplicatePageView:
    """Pairs of workers in your scope that may be one person (the same birth date and a
    similar name in one regency, or NIKs one digit or one swap apart), unless a coordinator
    declared them different people."""
    cursor = decode_cursor(after)
    if cursor is not None and (len(cursor) != 2 or not all(isinstance(v, str) for v in cursor)):
        raise ApiError(400, "invalid_cursor", "The ?after= cursor is not one this service gave.")
    page = app.list_possible_duplicates(
        principal,
        region=region,
        after=None if cursor is None else (str(cursor[0]), str(cursor[1])),
        limit=limit,
    )
    return DuplicatePageView(
        items=[
            DuplicatePairView(
                worker_id=str(pair.worker_id),
                other_worker_id=str(pair.other_worker_id),
                reason=pair.reasons[0].value,
                reasons=[r.value for r in pair.reasons],
            )
            for pair in page.items
        ],
        next=encode_cursor(page.next_after),
    )


@router.post("/duplicates/not-same-person", status_code=201, response_model=WriteResponse)
def declare_not_same_person(
    body: NotSamePersonBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> WriteResponse:
    """A coordinator checked that two workers are two people: recorded as an event
    (``PersonPair.DeclaredDistinct``), and the pair is not raised again."""
    try:
        first, second = (UUID(value) for value in body.worker_ids)
    except ValueError:
        raise ApiError(
            404, "not_found", "No {what} with that id.", params={"what": "worker"}
        ) from None
    result = app.declare_distinct(principal, first, second, body.reason, options)
    return WriteResponse.model_validate(created(response, result))
