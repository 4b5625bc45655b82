"""Mounting the web interface on the app ``create_app`` builds."""

from __future__ import annotations

from fastapi import FastAPI

from interfaces.web import (
    agencies,
    agenda,
    audit,
    auth,
    cooperatives,
    dashboard,
    duplicates,
    imports,
    journeys,
    offline,
    reconciliations,
    referrals,
    reminders,
    scans,
    static,
    transfers,
    villages,
    workers,
)


def mount_web(app: FastAPI) -> None:
    """Adds the pages (under ``/``) and the files they load (under ``/static``)."""
    pages = (
        reminders,
        agenda,
        transfers,
        referrals,
        agencies,
        workers,
        scans,
        journeys,
        villages,
        cooperatives,
        dashboard,
        audit,
    )
    for module in (static, offline, auth, *pages):
        app.include_router(module.router)
    for module in (imports, reconciliations, duplicates):
        app.include_router(module.router)
