"""Checks shared by the village and cooperative use cases: registered village codes, workers
the caller may name, and dates named after the request's field."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from application.base import JejakBase
from application.errors import NotFound
from application.principal import Principal
from domain.errors import InvalidValue
from domain.regions import RegionCode, village_code
from domain.worker import Worker


def day_of(app: JejakBase, value: date | None, field: str) -> date:
    """``app._occurred_on`` (today by default, never in the future), with errors naming the
    field of the request (``held_on``, ``established_on``) rather than ``occurred_on``."""
    try:
        return app._occurred_on(value)
    except InvalidValue as error:
        raise InvalidValue(field=field, reason=error.params.get("reason", "")) from None


def registered_village(app: JejakBase, value: str, field: str) -> RegionCode:
    """A village code of the Kemendagri register (422 otherwise)."""
    try:
        code = village_code(value)
    except InvalidValue as error:
        raise InvalidValue(field=field, reason=error.params["reason"]) from None
    if app.services.regions.name_of(code.value) is None:
        raise InvalidValue(field=field, reason="not a village in the Kemendagri register")
    return code


def registered_region(app: JejakBase, value: str, field: str) -> RegionCode:
    """A Kemendagri code of any level that names a real region (422 otherwise)."""
    try:
        region = RegionCode(value)
    except InvalidValue as error:
        raise InvalidValue(field=field, reason=error.params["reason"]) from None
    if app.services.regions.name_of(region.value) is None:
        raise InvalidValue(field=field, reason="not a region in the Kemendagri register")
    return region


def readable_worker(app: JejakBase, principal: Principal, worker_id: UUID, field: str) -> Worker:
    """A registered worker the caller may read. An unknown id and a worker outside the
    caller's scope are the same 422, so ids cannot be probed."""
    try:
        worker = app._load(worker_id, Worker, "worker")
    except NotFound:
        worker = None
    if worker is None or not principal.covers(worker.village_code):
        raise InvalidValue(field=field, reason="not a registered worker in your scope")
    return worker
