"""The Jejak application: every use case, on one event store."""

from __future__ import annotations

from application.audit import AuditUseCases
from application.cooperatives import CooperativeUseCases
from application.reports import ReportUseCases
from application.users import UserUseCases
from application.villages import VillageUseCases
from application.workers import WorkerUseCases


class JejakApplication(
    CooperativeUseCases,
    VillageUseCases,
    WorkerUseCases,
    UserUseCases,
    AuditUseCases,
    ReportUseCases,
):
    name = "jejak"
