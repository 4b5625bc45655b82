"""Operations: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, Literal, TypeVar

from eventsourcing.persistence import PersistenceError
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from interfaces.http.deps import RuntimeDep, invalid_token, not_authenticated

router = APIRouter(tags=["operations"])

T = TypeVar("T")

#: How long /readyz waits for the projections' positions once the store has answered.
STATUS_TIMEOUT_SECONDS = 1.5


class SingleFlight(Generic[T]):
    """Runs a check in its own thread, one at a time, and waits for it a bounded time.

    The store can go away between /readyz's ping and its reading of the projections'
    positions; that reading then queues for a pooled connection as long as any request does
    (the pool's timeout, 5 s by default), and a probe must answer promptly. Concurrent
    callers share the check in flight, so probes repeated during an outage never pile up
    behind it."""

    def __init__(self, check: Callable[[], T]) -> None:
        self._check = check
        self._lock = threading.Lock()
        self._in_flight: Future[T] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jejak-readyz")

    def result(self, timeout: float) -> T:
        """The check's result; TimeoutError (an OSError) when it takes longer than
        ``timeout``."""
        with self._lock:
            if self._in_flight is None or self._in_flight.done():
                self._in_flight = self._executor.submit(self._check)
            in_flight = self._in_flight
        return in_flight.result(timeout=timeout)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up (it says nothing about the database)."""
    return {"status": "ok"}


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, Any] = Field(
        description="`store`: ok or unreachable; `projections`: those lagging, in seconds"
    )


@router.get(
    "/readyz",
    response_model=None,
    responses={
        200: {"model": Readiness, "description": "Ready to serve"},
        503: {"model": Readiness, "description": "Not ready: the checks say what is wrong"},
    },
)
def readyz(request: Request, runtime: RuntimeDep) -> JSONResponse:
    """Ready when the store answers, every personal-data key can be opened with the master
    keys this process was given, and every projection is within the allowed lag; 503 with
    what is wrong otherwise."""
    checks: dict[str, Any] = {}
    ready = True
    unreadable = int(getattr(request.app.state, "unreadable_keys", 0))
    if unreadable:
        checks["keys"] = {"unreadable": unreadable}
        ready = False
    try:
        runtime.app.ledger.ping()
        checks["store"] = "ok"
    except (PersistenceError, OSError):
        checks["store"] = "unreachable"
        ready = False
    if checks.get("store") == "ok":
        limit = runtime.settings.max_projection_lag_seconds
        lagging = {}
        statuses: SingleFlight[Any] = request.app.state.projection_status
        try:
            for status in statuses.result(STATUS_TIMEOUT_SECONDS):
                if status.lag_seconds > limit:
                    lagging[status.name] = round(status.lag_seconds, 1)
        except (PersistenceError, OSError):  # OSError: TimeoutError too
            checks["store"] = "unreachable"
            ready = False
        else:
            checks["projections"] = {"lagging": lagging, "max_lag_seconds": limit}
            ready = ready and not lagging
    return JSONResponse(
        status_code=200 if ready else 503,
        content={"status": "ready" if ready else "not_ready", "checks": checks},
    )


@router.get("/metrics", response_class=Response)
def metrics(request: Request, runtime: RuntimeDep) -> Response:
    """Prometheus text format; labels carry route templates and codes, never personal data.
    With JEJAK_METRICS_TOKEN set, only for ``Authorization: Bearer <that token>``."""
    expected = runtime.settings.metrics_token
    if expected is not None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given:
            raise not_authenticated()
        if not hmac.compare_digest(given.strip().encode(), expected.encode()):
            raise invalid_token()
    return Response(generate_latest(request.app.state.registry), media_type=CONTENT_TYPE_LATEST)
