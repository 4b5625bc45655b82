"""Mounting the web interface on the app ``create_app`` builds."""

from __future__ import annotations

from fastapi import FastAPI

from interfaces.web import (
    audit,
    auth,
    cooperatives,
    dashboard,
    journeys,
    offline,
    scans,
    static,
    villages,
    workers,
)


def mount_web(app: FastAPI) -> None:
    """Adds the pages (under ``/``) and the files they load (under ``/static``)."""
    for module in (
        static,
        offline,
        auth,
        workers,
        scans,
        journeys,
        villages,
        cooperatives,
        dashboard,
        audit,
    ):
        app.include_router(module.router)
