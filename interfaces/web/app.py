"""Mounting the web interface on the app ``create_app`` builds."""

from __future__ import annotations

from fastapi import FastAPI

from interfaces.web import (
    audit,
    auth,
    cooperatives,
    dashboard,
    duplicates,
    imports,
    journeys,
    reconciliations,
    static,
    villages,
    workers,
)


def mount_web(app: FastAPI) -> None:
    """Adds the pages (under ``/``) and the files they load (under ``/static``)."""
    for module in (static, auth, workers, journeys, villages, cooperatives, dashboard, audit):
        app.include_router(module.router)
    for module in (imports, reconciliations, duplicates):
        app.include_router(module.router)
