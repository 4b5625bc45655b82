"""Workers (calon PMI / PMI)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from application.workers import AddDependent, RegisterWorker, UpdateContact
from domain.worker import Worker
from interfaces.http.deps import AppDep, PrincipalDep, WriteOptionsDep
from interfaces.http.respond import created
from interfaces.http.schemas.common import WriteResponse
from interfaces.http.schemas.imports import RegisterWorkerResponse
from interfaces.http.schemas.workers import (
    ERASURE_ON_REQUEST,
    ContactBody,
    DependentBody,
    DependentResponse,
    DependentView,
    ErasureBody,
    LookupBody,
    ReasonBody,
    RegisterWorkerBody,
    TransferEntryView,
    WorkerView,
)

router = APIRouter(prefix="/v1", tags=["workers"])


@router.post("/workers", status_code=201, response_model=RegisterWorkerResponse)
def register_worker(
    body: RegisterWorkerBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> RegisterWorkerResponse:
    """Registers a worker of one of the caller's villages. The NIK must be structurally
    valid and agree with the birth date and sex. A NIK already registered is refused with
    409: ``worker_already_registered`` with the existing worker's id in
    ``details.existing_id`` when the caller's scope covers that worker, otherwise
    ``worker_registered_elsewhere`` without an id (ask the coordinator). Each conflict is one
    NIK check of the caller's hourly allowance (``JEJAK_NIK_CHECKS_PER_HOUR``; beyond it,
    429 ``too_many_nik_checks`` with Retry-After) and is access-logged. ``possible_duplicates``
    names workers in the caller's scope this person may be (the same birth date and a
    similar name in the regency, or a NIK one digit or one swap away)."""
    command = RegisterWorker(
        nik=body.nik,
        full_name=body.full_name,
        sex=body.sex,
        birth_date=body.birth_date,
        village_code=body.village_code,
        phone=body.phone,
    )
    result = app.register_worker(principal, command, options)
    return RegisterWorkerResponse.model_validate(created(response, result))


@router.get("/workers/{worker_id}", response_model=WorkerView)
def get_worker(
    worker_id: UUID, principal: PrincipalDep, app: AppDep, response: Response
) -> WorkerView:
    worker = app.get_worker(principal, worker_id)
    response.headers["ETag"] = f'"{worker.version}"'
    return worker_view(worker)


@router.post("/workers/lookup", response_model=WorkerView)
def lookup_worker(body: LookupBody, principal: PrincipalDep, app: AppDep) -> WorkerView:
    """Finds a worker by NIK. The NIK travels in the body, never in a URL or a log. A worker
    outside the caller's scope is not found (404). Every lookup is one NIK check of the
    caller's hourly allowance (429 ``too_many_nik_checks`` with Retry-After beyond it) and is
    access-logged, hit or miss."""
    return worker_view(app.lookup_worker(principal, body.nik))


@router.post("/workers/{worker_id}/dependents", status_code=201, response_model=DependentResponse)
def add_dependent(
    worker_id: UUID,
    body: DependentBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> DependentResponse:
    """Adds a child or other dependent (community parenting cares for PMI children)."""
    command = AddDependent(
        name=body.name,
        birth_date=body.birth_date,
        relationship=body.relationship,
        occurred_on=body.occurred_on,
    )
    result = app.add_dependent(principal, worker_id, command, options)
    return DependentResponse.model_validate(created(response, result))


@router.post("/workers/{worker_id}/contact", status_code=201, response_model=WriteResponse)
def update_contact(
    worker_id: UUID,
    body: ContactBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> WriteResponse:
    """Records a new phone number (ContactUpdated), or that there is none (``null``)."""
    command = UpdateContact(phone=body.phone, occurred_on=body.occurred_on)
    result = app.update_contact(principal, worker_id, command, options)
    return WriteResponse.model_validate(created(response, result))


@router.post("/workers/{worker_id}/erasure", status_code=201, response_model=WriteResponse)
def erase_worker(
    worker_id: UUID,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
    body: ErasureBody | None = None,
) -> WriteResponse:
    """Admin: erase a person's data (UU 27/2022). The body is optional: without a
    ``reason`` the erasure is recorded as the person's request. Their key is destroyed:
    journeys, memberships and counts stay, hash chains still verify, the data reads as
    ``[erased]`` and a lookup by their NIK finds nothing. Refused (409) under a legal hold;
    a late retry with the same Idempotency-Key gets the first answer."""
    reason = body.reason if body is not None else ERASURE_ON_REQUEST
    result = app.erase_worker(principal, worker_id, reason, options)
    return WriteResponse.model_validate(created(response, result))


@router.post("/workers/{worker_id}/legal-hold", status_code=201, response_model=WriteResponse)
def place_legal_hold(
    worker_id: UUID,
    body: ReasonBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> WriteResponse:
    """Admin: keep the data from erasure (a pending legal case, an archive duty)."""
    result = app.place_legal_hold(principal, worker_id, body.reason, options)
    return WriteResponse.model_validate(created(response, result))


@router.post("/workers/{worker_id}/legal-hold/lift", status_code=201, response_model=WriteResponse)
def lift_legal_hold(
    worker_id: UUID,
    body: ReasonBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> WriteResponse:
    result = app.lift_legal_hold(principal, worker_id, body.reason, options)
    return WriteResponse.model_validate(created(response, result))


def worker_view(worker: Worker) -> WorkerView:
    return WorkerView(
        id=str(worker.id),
        version=worker.version,
        nik=worker.nik,
        full_name=worker.full_name,
        sex=worker.sex,
        birth_date=worker.birth_date,
        village_code=worker.village_code,
        phone=worker.phone,
        dependents=[
            DependentView(
                id=str(dependent.id),
                name=dependent.name,
                birth_date=dependent.birth_date,
                relationship=dependent.relationship,
            )
            for dependent in worker.dependents
        ],
        erased=worker.erased,
        legal_hold=worker.legal_hold,
        registered_at=worker.created_on,
        updated_at=worker.modified_on,
        transfers=[TransferEntryView(**vars(t)) for t in worker.transfer_list()],
    )
