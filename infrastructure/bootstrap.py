"""The composition root: settings in, a running application out."""

from __future__ import annotations

from dataclasses import dataclass

from application.app import JejakApplication
from application.ports import Services
from application.projections import ALL_PROJECTIONS
from infrastructure.agenda_store import AgendaStore
from infrastructure.channels import channels_for
from infrastructure.clock import SystemClock
from infrastructure.crypto import Keyring
from infrastructure.digest_runner import DigestRunner
from infrastructure.digest_store import DigestStore
from infrastructure.imports_store import attach_imports, import_schema
from infrastructure.mapper import PersonalDataMapper
from infrastructure.passwords import Argon2Passwords
from infrastructure.persistence import library_env
from infrastructure.projections.runner import ProjectionEngine, ProjectionRunner
from infrastructure.projections.store import ReadModelStore
from infrastructure.regions import KemendagriRegister
from infrastructure.scans.files import PillowScanFiles
from infrastructure.scans.store import DatabaseScanStore
from infrastructure.schema import TablesOfItsOwn, UpgradeReport, ensure_schema
from infrastructure.settings import Settings
from infrastructure.store_common import JejakFactory
from infrastructure.tokens import TokenService


@dataclass
class Runtime:
    """Everything a process (the API, the CLI) needs, built once from settings."""

    settings: Settings
    app: JejakApplication
    tokens: TokenService
    projections: ProjectionEngine
    read_models: ReadModelStore
    runner: ProjectionRunner | None = None
    digests: DigestRunner | None = None
    #: What the schema's upgrade did at start (None when the schema was current).
    schema_report: UpgradeReport | None = None
    #: Stores beside the events with tables of their own (granted by ``jejak db init``).
    own_tables: tuple[TablesOfItsOwn, ...] = ()

    def start_projections(self) -> ProjectionRunner:
        """Runs the projections in a background thread of this process."""
        if self.runner is None:
            self.runner = ProjectionRunner(self.projections)
            self.app.on_recorded(self.runner.nudge)
            self.read_models.runs_behind(self.runner.nudge)
            self.runner.start()
            if self.settings.notify_with_projections and self.app.digest_channels:
                self.digests = DigestRunner(self.app, hour=self.settings.notify_hour)
                self.digests.start()
        return self.runner

    def close(self) -> None:
        if self.digests is not None:
            self.digests.stop()
        if self.runner is not None:
            self.runner.stop()
        self.app.close()


def build_runtime(
    settings: Settings, *, fast_passwords: bool = False, upgrade: bool = False
) -> Runtime:
    """``upgrade`` runs the schema's upgrade even when it is current (`jejak db upgrade`);
    otherwise it runs only when the schema is older than this version of Jejak."""
    settings = settings.with_keys()
    assert settings.signing_key is not None
    services = Services(
        regions=KemendagriRegister(),
        passwords=Argon2Passwords(fast=fast_passwords),
        keyring=Keyring(settings.signing_key),
        clock=SystemClock(),
        settings={
            "snapshot_interval": settings.snapshot_interval,
            "nik_checks_per_hour": settings.nik_checks_per_hour,
            "public_url": settings.public_url,
            "notify_retry_seconds": settings.notify_retry_seconds,
            "notify_timeout_seconds": settings.notify_timeout_seconds,
        },
    )
    app = JejakApplication(env=library_env(settings), services=services)
    factory = app.factory
    assert isinstance(factory, JejakFactory)
    assert isinstance(app.mapper, PersonalDataMapper)
    engine = ProjectionEngine(
        factory.database, factory.tables.prefix, app.recorder, app.mapper, ALL_PROJECTIONS
    )
    scans = DatabaseScanStore(factory.database, factory.vault, factory.tables.prefix)
    digest_store = DigestStore(factory.database, factory.tables.prefix)
    stores = (scans, digest_store, import_schema(app))
    try:
        report = ensure_schema(app, engine, stores, force=upgrade)
    except BaseException:
        app.close()
        raise
    app.attach_scan_services(scans, PillowScanFiles())
    read_models = ReadModelStore(engine)
    app.read_models = read_models
    app.agenda_store = AgendaStore(engine)
    app.digest_ledger = digest_store
    app.digest_channels = channels_for(settings)
    attach_imports(app)
    tokens = TokenService.from_signing_key(settings.signing_key, settings.token_ttl_seconds)
    return Runtime(
        settings=settings,
        app=app,
        tokens=tokens,
        projections=engine,
        read_models=read_models,
        schema_report=report,
        own_tables=stores,
    )
