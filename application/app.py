"""The Jejak application: every use case, on one event store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from application.audit import AuditUseCases
from application.cooperatives import CooperativeUseCases
from application.digests import DigestUseCases
from application.disclosure import DisclosureUseCases
from application.imports.usecases import ImportUseCases
from application.journeys import JourneyUseCases
from application.ports import Services
from application.reconciliation import ReconciliationUseCases
from application.referrals import ReferralUseCases
from application.reports import ReportUseCases
from application.scans import ScanUseCases
from application.transfers import TransferUseCases
from application.users import UserUseCases
from application.villages import VillageUseCases
from application.workers import WorkerUseCases
from domain.journey import Journey

#: Snapshot every N journey events unless settings say otherwise (JEJAK_SNAPSHOT_INTERVAL).
JOURNEY_SNAPSHOT_INTERVAL = 50


class JejakApplication(
    TransferUseCases,
    ReferralUseCases,
    DisclosureUseCases,
    ScanUseCases,
    JourneyUseCases,
    CooperativeUseCases,
    VillageUseCases,
    ReconciliationUseCases,
    ImportUseCases,
    WorkerUseCases,
    UserUseCases,
    AuditUseCases,
    ReportUseCases,
    DigestUseCases,
):
    name = "jejak"
    #: A journey followed for years (welfare checks, reintegration) grows a long history.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Journey: JOURNEY_SNAPSHOT_INTERVAL}

    def __init__(self, env: Mapping[str, str], services: Services) -> None:
        interval = int(services.settings.get("snapshot_interval", JOURNEY_SNAPSHOT_INTERVAL))
        # The library reads the intervals through the instance when it saves, so the
        # configured interval can shadow the class default for this application only.
        vars(self)["snapshotting_intervals"] = {Journey: interval}
        super().__init__(env, services)
