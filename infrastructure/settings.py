"""Settings: one typed object, read from ``JEJAK_*`` environment variables once at start."""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_KEY_LENGTH = 32
_PLACEHOLDER_HINTS = ("change", "placeholder", "example", "secret", "xxxx", "todo", "default")


class InsecureSettings(ValueError):
    """Production settings that would put personal data at risk."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JEJAK_", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///data/jejak.sqlite3"
    #: PostgreSQL with two roles: the owner of the schema, for `jejak db init|upgrade` and the
    #: commands that create tables (projection rebuilds and checks); the service itself
    #: connects with ``database_url``, a role that may not change the schema.
    owner_database_url: str | None = Field(default=None, repr=False)
    master_key: str | None = Field(default=None, repr=False)
    #: The master key being rotated out: set it, run `jejak keys rotate`, then remove it.
    previous_master_key: str | None = Field(default=None, repr=False)
    signing_key: str | None = Field(default=None, repr=False)
    #: Where development keys are kept between restarts when none are configured.
    dev_key_file: Path = Path("data/dev-keys.json")
    token_ttl_seconds: int = Field(default=8 * 3600, ge=60, le=7 * 24 * 3600)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    #: Spreadsheets for import or reconciliation (50,000 rows of CSV are about 8 MB).
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
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
    #: Password checks run at once (each takes a core and 64 MiB); more logins get 503 at
    #: once. Unset: one per core.
    max_concurrent_logins: int | None = Field(default=None, ge=1, le=64)
    #: A label for this deployment (a release, a commit): part of the offline web app's
    #: version, so browsers drop their cached pages when it changes.
    build: str = Field(default="", max_length=40, pattern=r"^[A-Za-z0-9._-]*$")
    host: str = "127.0.0.1"
    port: int = 8000
    #: Daily digests of overdue items (SPEC §7): e-mail through an SMTP server, and a JSON
    #: POST for an SMS or WhatsApp gateway, signed with the shared secret.
    smtp_url: str | None = Field(default=None, repr=False)
    notify_webhook_url: str | None = None
    notify_webhook_secret: str | None = Field(default=None, repr=False)
    #: Where people open Jejak: the link in a digest.
    public_url: str = "http://127.0.0.1:8000"
    notify_hour: int = Field(default=7, ge=0, le=23)
    notify_with_projections: bool = True
    notify_retry_seconds: float = Field(default=60.0, gt=0)
    notify_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    #: Addresses or networks of the reverse proxies in front of Jejak, comma-separated
    #: (``10.0.0.5,192.168.1.0/24``). Only requests from them have X-Forwarded-For and
    #: X-Forwarded-Proto honoured; empty, the peer's own address is the client's.
    trusted_proxies: str = ""
    #: When set, /metrics asks for ``Authorization: Bearer <token>``; unset, it is open.
    metrics_token: str | None = Field(default=None, min_length=16, repr=False)

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: str) -> str:
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        for entry in entries:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                msg = f"JEJAK_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
                raise ValueError(msg) from None
        return ",".join(entries)

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            msg = "JEJAK_DATABASE_URL must start with sqlite:/// or postgresql://"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _signed_webhook(self) -> Settings:
        if self.notify_webhook_url and not self.notify_webhook_secret:
            msg = "JEJAK_NOTIFY_WEBHOOK_URL needs JEJAK_NOTIFY_WEBHOOK_SECRET to sign its posts"
            raise ValueError(msg)
        return self

    @field_validator("owner_database_url")
    @classmethod
    def _owner_on_postgres(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("postgresql://", "postgres://")):
            msg = "JEJAK_OWNER_DATABASE_URL must start with postgresql://"
            raise ValueError(msg)
        return value

    def as_owner(self) -> Settings:
        """These settings connected as the schema's owner (the same when there is one role)."""
        if self.owner_database_url is None:
            return self
        return self.model_copy(update={"database_url": self.owner_database_url})

    def with_keys(self) -> Settings:
        """Settings whose keys are present and strong enough.

        In production a missing, short or placeholder key stops the service. In development,
        missing keys are generated once and kept in ``dev_key_file``, so that a restart can
        still read the data it wrote."""
        if self.env == "production":
            for name in ("master_key", "signing_key"):
                check_key(name, getattr(self, name))
            if self.notify_webhook_url:
                check_key("notify_webhook_secret", self.notify_webhook_secret)
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
