"""Possible duplicates shown on the registration form before it is saved: the officer sees
who this person may already be (in their own villages only) and saves anyway or opens the
existing record. Each name shown is read through the application, so it is access-logged."""

from __future__ import annotations

from typing import Any

from application.app import JejakApplication
from application.errors import NotFound
from application.workers import RegisterWorker
from interfaces.web.session import WebSession


def duplicate_warnings(
    app: JejakApplication, session: WebSession, command: RegisterWorker
) -> list[dict[str, Any]]:
    warnings = []
    for match in app.find_possible_duplicates(session.principal, command):
        try:
            worker = app.get_worker(session.principal, match.worker_id)
        except NotFound:
            continue
        warnings.append(
            {
                "worker_id": str(worker.id),
                "name": worker.full_name,
                "birth_date": worker.birth_date,
                "village_code": worker.village_code,
                "reasons": [reason.value for reason in match.reasons],
            }
        )
    return warnings
