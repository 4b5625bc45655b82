"""The FastAPI app factory. Nothing connects at import time: the runtime (application,
database pool, token service) is built in the lifespan and closed at shutdown.

Run with ``uvicorn --factory interfaces.http.app:create_app`` or ``jejak serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from infrastructure.bootstrap import Runtime, build_runtime
from infrastructure.settings import Settings
from interfaces.http.errors import install_error_handlers
from interfaces.http.freshness import ReadYourWrites
from interfaces.http.logins import PasswordChecks, default_slots
from interfaces.http.middleware import HttpMetrics, JejakMiddleware, ProjectionCollector
from interfaces.http.routes import (
    agenda,
    audit,
    auth,
    cooperatives,
    digests,
    duplicates,
    imports,
    journeys,
    ops,
    reconciliations,
    referrals,
    reports,
    scans,
    transfers,
    users,
    villages,
    vocabularies,
    workers,
)
from interfaces.http.schemas.common import ERROR_RESPONSES
from interfaces.web.app import mount_web

DESCRIPTION = """
Event-sourced case tracking for the Desa Migran Produktif (Desmigratif) programme.

Take a token at `POST /v1/auth/token` and send it as `Authorization: Bearer …`.
Writes accept `If-Match: "<version>"` (412 when stale) and `Idempotency-Key` (a retry
returns the first answer and records nothing new). Errors always have the shape
`{"error": {"code", "message", "details"}}`; send `Accept-Language: id` for Indonesian.
"""


def create_app(
    settings: Settings | None = None,
    runtime_factory: Callable[[Settings], Runtime] | None = None,
) -> FastAPI:
    settings = settings or Settings()
    build = runtime_factory or build_runtime

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = build(settings)
        if settings.projections_in_process:
            runtime.start_projections()
        else:
            runtime.read_models.runs_elsewhere()
        app.state.runtime = runtime
        # Counted once: a wrong master key does not fix itself while the process runs.
        app.state.unreadable_keys = runtime.app.personal_data.unreadable_keys()
        collector = ProjectionCollector(runtime.read_models.status)
        registry.register(collector)
        app.state.projection_status = ops.SingleFlight(runtime.read_models.status)
        app.state.password_checks = PasswordChecks(
            settings.max_concurrent_logins or default_slots()
        )
        app.state.read_your_writes = ReadYourWrites(runtime.read_models, runtime.projections.head)
        try:
            yield
        finally:
            registry.unregister(collector)
            app.state.projection_status.close()
            app.state.password_checks.close()
            app.state.read_your_writes.close()
            runtime.close()

    app = FastAPI(
        title="Jejak",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    registry = CollectorRegistry()
    app.state.registry = registry
    install_error_handlers(app)
    for module in (
        auth,
        users,
        villages,
        workers,
        journeys,
        scans,
        cooperatives,
        reports,
        vocabularies,
        audit,
        agenda,
        digests,
        imports,
        reconciliations,
        duplicates,
        transfers,
        referrals,
    ):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    app.include_router(ops.router)
    mount_web(app)  # the web interface for people: pages under /, on the same application
    app.add_middleware(
        JejakMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        metrics=HttpMetrics(registry),
    )
    if settings.trusted_proxies:
        # Outermost: the client address and scheme are the proxy's word for everything
        # inside (throttle, access log, Secure cookies, Strict-Transport-Security).
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app
