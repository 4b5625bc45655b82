"""Transfers of workers between villages (SPEC §8).

The sending village asks, the destination answers, the sender may withdraw while the
request is pending. Writes answer 201 with the worker's id and version and the transfer's
id and honour If-Match (the worker's version) and Idempotency-Key. The worker is 404 to
anyone who may not see it, and so is a transfer to whoever is neither its sender nor a
user whose scope covers its destination."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from application.transfers import RequestTransfer, TransferView
from domain.dates import EARLIEST_YEAR
from domain.transfers import TransferStatus
from domain.vocabularies import Vocabulary
from interfaces.downloads import csv_response, reader_of
from interfaces.http.deps import AppDep, PrincipalDep, WriteOptionsDep
from interfaces.http.freshness import fresh
from interfaces.http.reporting import decode_cursor, encode_cursor, wants_csv
from interfaces.http.respond import created
from interfaces.http.routes.reports import CSV, SPREADSHEET, After, Limit, Region, ReportPage
from interfaces.http.schemas.transfers import (
    DeclineBody,
    TransferBody,
    TransferPage,
    TransferWriteResponse,
    WithdrawalBody,
)

router = APIRouter(prefix="/v1", tags=["transfers"])

TRANSFER = "/workers/{worker_id}/transfers/{transfer_id}"
TRANSFER_COLUMNS = (
    "transfer_id",
    "worker_id",
    "direction",
    "from_village_code",
    "to_village_code",
    "status",
    "requested_on",
    "decided_on",
    "stage",
)
TRANSFER_COUNT_COLUMNS = ("region_code", "name", "level", "transfers_in", "transfers_out")


class Direction(Vocabulary):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


@router.post(
    "/workers/{worker_id}/transfers", status_code=201, response_model=TransferWriteResponse
)
def request_transfer(
    worker_id: UUID,
    body: TransferBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> TransferWriteResponse:
    """Asks a designated village to take the worker and their case; the sender keeps the
    case while the request is pending. A second pending request is 409
    (``transfer_pending``); an unknown village 422; one not designated 409
    (``village_not_designated``). Answers ``transfer_id``."""
    command = RequestTransfer(
        to_village_code=body.to_village_code, reason=body.reason, occurred_on=body.occurred_on
    )
    result = app.request_transfer(principal, worker_id, command, options)
    return TransferWriteResponse.model_validate(created(response, result))


@router.post(f"{TRANSFER}/acceptance", status_code=201, response_model=TransferWriteResponse)
def accept_transfer(
    worker_id: UUID,
    transfer_id: UUID,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> TransferWriteResponse:
    """The destination takes the worker: the worker and every journey of theirs move to
    it (``journey_ids``); the sender gets 404 for them from now on. A transfer accepted,
    declined or withdrawn already is 409 (``transfer_already_accepted``,
    ``transfer_declined``, ``transfer_withdrawn``)."""
    result = app.accept_transfer(principal, worker_id, transfer_id, options)
    return TransferWriteResponse.model_validate(created(response, result))


@router.post(f"{TRANSFER}/decline", status_code=201, response_model=TransferWriteResponse)
def decline_transfer(
    worker_id: UUID,
    transfer_id: UUID,
    body: DeclineBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> TransferWriteResponse:
    """The destination refuses, saying why; the worker stays where they are."""
    result = app.decline_transfer(principal, worker_id, transfer_id, body.reason, options)
    return TransferWriteResponse.model_validate(created(response, result))


@router.post(f"{TRANSFER}/withdrawal", status_code=201, response_model=TransferWriteResponse)
def withdraw_transfer(
    worker_id: UUID,
    transfer_id: UUID,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
    body: WithdrawalBody | None = None,
) -> TransferWriteResponse:
    """The sender takes a pending request back (body optional, ``{"reason"}``)."""
    reason = None if body is None else body.reason
    result = app.withdraw_transfer(principal, worker_id, transfer_id, reason, options)
    return TransferWriteResponse.model_validate(created(response, result))


@router.get(
    "/transfers",
    response_model=TransferPage,
    responses=CSV,
    dependencies=[fresh("transfers"), SPREADSHEET],
)
def list_transfers(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    direction: Direction = Direction.INCOMING,
    status: TransferStatus | None = None,
    region: Region = None,
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """Transfers into (``incoming``, the inbox) or out of (``outgoing``) your regions,
    oldest request first. A pending one shows the worker's name, the open journey's stage
    and its open items, and nothing else of the case (each such read is access-logged)."""
    page, views = app.list_transfers(
        principal,
        direction=direction.value,
        status=None if status is None else status.value,
        region=region,
        after=decode_cursor(after),
        limit=limit,
    )
    items = [_transfer_item(view) for view in views]
    headers = {"X-Jejak-Position": str(page.position)}
    if wants_csv(request):
        app.log_access(principal, "export", None)
        return csv_response(
            items, TRANSFER_COLUMNS, "transfers.csv", headers, lang=reader_of(request)
        )
    body = {"position": page.position, "items": items, "next": encode_cursor(page.next_after)}
    return JSONResponse(TransferPage.model_validate(body).model_dump(mode="json"), headers=headers)


@router.get(
    "/reports/transfers",
    response_model=ReportPage,
    responses=CSV,
    dependencies=[fresh("transfers"), SPREADSHEET],
)
def transfer_report(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    year: Annotated[int | None, Query(ge=EARLIEST_YEAR, le=2200)] = None,
    region: Region = None,
) -> Response:
    """Accepted transfers into and out of each region one level below ``region`` (default:
    your scope), by the year they were accepted; a move within a region is neither."""
    rows, position = app.transfer_counts(principal, region=region, year=year)
    headers = {"X-Jejak-Position": str(position)}
    if wants_csv(request):
        app.log_access(principal, "export", None)
        return csv_response(
            rows,
            TRANSFER_COUNT_COLUMNS,
            "transfers-per-region.csv",
            headers,
            lang=reader_of(request),
        )
    return JSONResponse({"position": position, "items": rows, "next": None}, headers=headers)


def _transfer_item(view: TransferView) -> dict[str, Any]:
    return {
        **{name: value for name, value in vars(view).items() if name != "open_items"},
        "open_items": [vars(item) for item in view.open_items],
    }
