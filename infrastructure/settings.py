"""Settings: one typed object, read from ``JEJAK_*`` environment variables once at start."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_KEY_LENGTH = 32
_PLACEHOLDER_HINTS = ("change", "placeholder", "example", "secret", "xxxx", "todo", "default")


class InsecureSettings(ValueError):
    """Production settings that would put personal data at risk."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JEJAK_", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///data/jejak.sqlite3"
    master_key: str | None = Field(default=None, repr=False)
    #: The master key being rotated out: set it, run `jejak keys rotate`, then remove it.
    previous_master_key: str | None = Field(default=None, repr=False)
    signing_key: str | None = Field(default=None, repr=False)
    #: Where development keys are kept between restarts when none are configured.
    dev_key_file: Path = Path("data/dev-keys.json")
    token_ttl_seconds: int = Field(default=8 * 3600, ge=60, le=7 * 24 * 3600)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    lock_timeout_seconds: int = Field(default=5, ge=1)
    pool_size: int = Field(default=5, ge=1)
    pool_max_overflow: int = Field(default=10, ge=0)
    snapshot_interval: int = Field(default=50, ge=2)
    #: NIK existence checks (lookups, the live check, registration conflicts) per user and hour.
    nik_checks_per_hour: int = Field(default=200, ge=1)
    log_level: str = "INFO"
    #: Run projections in a background thread of the API process (the embedded default);
    #: turn off when ``jejak projections run`` runs them as their own process.
    projections_in_process: bool = True
    #: /readyz fails when a projection lags the event store by more than this.
    max_projection_lag_seconds: float = Field(default=30.0, gt=0)
    #: A label for this deployment (a release, a commit): part of the offline web app's
    #: version, so browsers drop their cached pages when it changes.
    build: str = Field(default="", max_length=40, pattern=r"^[A-Za-z0-9._-]*$")
    host: str = "127.0.0.1"
    port: int = 8000

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            msg = "JEJAK_DATABASE_URL must start with sqlite:/// or postgresql://"
            raise ValueError(msg)
        return value

    def with_keys(self) -> Settings:
        """Settings whose keys are present and strong enough.

        In production a missing, short or placeholder key stops the service. In development,
        missing keys are generated once and kept in ``dev_key_file``, so that a restart can
        still read the data it wrote."""
        if self.env == "production":
            for name in ("master_key", "signing_key"):
                check_key(name, getattr(self, name))
            if self.master_key == self.signing_key:
                msg = "JEJAK_MASTER_KEY and JEJAK_SIGNING_KEY must differ"
                raise InsecureSettings(msg)
            return self
        if self.master_key and self.signing_key:
            return self
        stored = _load_or_create_dev_keys(self.dev_key_file)
        return self.model_copy(
            update={
                "master_key": self.master_key or stored["master_key"],
                "signing_key": self.signing_key or stored["signing_key"],
            }
        )


def check_key(name: str, value: str | None) -> None:
    env_name = f"JEJAK_{name.upper()}"
    if not value:
        msg = f"{env_name} is required in production"
        raise InsecureSettings(msg)
    if len(value) < MIN_KEY_LENGTH:
        msg = f"{env_name} must be at least {MIN_KEY_LENGTH} characters"
        raise InsecureSettings(msg)
    lowered = value.lower()
    if any(hint in lowered for hint in _PLACEHOLDER_HINTS) or len(set(value)) < 8:
        msg = f"{env_name} looks like a placeholder: generate one with `openssl rand -base64 48`"
        raise InsecureSettings(msg)


def _load_or_create_dev_keys(path: Path) -> dict[str, str]:
    if path.exists():
        data: dict[str, str] = json.loads(path.read_text())
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"master_key": secrets.token_urlsafe(48), "signing_key": secrets.token_urlsafe(48)}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(data, handle)
    return data
