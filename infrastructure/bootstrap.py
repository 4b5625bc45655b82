"""The composition root: settings in, a running application out."""

from __future__ import annotations

from dataclasses import dataclass

from application.app import JejakApplication
from application.ports import Services
from infrastructure.clock import SystemClock
from infrastructure.crypto import Keyring
from infrastructure.passwords import Argon2Passwords
from infrastructure.persistence import library_env
from infrastructure.regions import KemendagriRegister
from infrastructure.settings import Settings
from infrastructure.tokens import TokenService


@dataclass
class Runtime:
    """Everything a process (the API, the CLI) needs, built once from settings."""

    settings: Settings
    app: JejakApplication
    tokens: TokenService

    def close(self) -> None:
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
    tokens = TokenService.from_signing_key(settings.signing_key, settings.token_ttl_seconds)
    return Runtime(settings=settings, app=app, tokens=tokens)
