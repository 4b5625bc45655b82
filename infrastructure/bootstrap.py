"""The composition root: settings in, a running application out."""

from __future__ import annotations

from dataclasses import dataclass

from application.app import JejakApplication
from application.ports import Services
from application.projections import ALL_PROJECTIONS
from infrastructure.clock import SystemClock
from infrastructure.crypto import Keyring
from infrastructure.imports_store import attach_imports
from infrastructure.mapper import PersonalDataMapper
from infrastructure.passwords import Argon2Passwords
from infrastructure.persistence import library_env
from infrastructure.projections.runner import ProjectionEngine, ProjectionRunner
from infrastructure.projections.store import ReadModelStore
from infrastructure.regions import KemendagriRegister
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

    def start_projections(self) -> ProjectionRunner:
        """Runs the projections in a background thread of this process."""
        if self.runner is None:
            self.runner = ProjectionRunner(self.projections)
            self.app.on_recorded(self.runner.nudge)
            self.read_models.engine_nudge = self.runner.nudge  # type: ignore[method-assign]
            self.read_models.catch_up_inline = False
            self.runner.start()
        return self.runner

    def close(self) -> None:
        if self.runner is not None:
            self.runner.stop()
        self.app.close()


def build_runtime(settings: Settings, *, fast_passwords: bool = False) -> Runtime:
    settings = settings.with_keys()
    assert settings.signing_key is not None
    services = Services(
        regions=KemendagriRegister(),
        passwords=Argon2Passwords(fast=fast_passwords),
        keyring=Keyring(settings.signing_key),
        clock=SystemClock(),
        settings={"snapshot_interval": settings.snapshot_interval},
    )
    app = JejakApplication(env=library_env(settings), services=services)
    factory = app.factory
    assert isinstance(factory, JejakFactory)
    assert isinstance(app.mapper, PersonalDataMapper)
    engine = ProjectionEngine(
        factory.database, factory.tables.prefix, app.recorder, app.mapper, ALL_PROJECTIONS
    )
    engine.set_up()
    read_models = ReadModelStore(engine)
    app.read_models = read_models
    attach_imports(app)
    tokens = TokenService.from_signing_key(settings.signing_key, settings.token_ttl_seconds)
    return Runtime(
        settings=settings, app=app, tokens=tokens, projections=engine, read_models=read_models
    )
