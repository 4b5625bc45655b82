"""The Jejak application: every use case, on one event store."""

from __future__ import annotations

from application.audit import AuditUseCases
from application.users import UserUseCases
from application.workers import WorkerUseCases


class JejakApplication(WorkerUseCases, UserUseCases, AuditUseCases):
    name = "jejak"
