"""Fixtures of the reliability tests: keys shared by the test and the servers it starts,
users seeded straight through the application, and a printer for the figures of a run."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from infrastructure.bootstrap import build_runtime
from infrastructure.settings import Settings
from tests.support import PASSWORD, create_user

Report = Callable[[str, dict[str, Any]], None]

#: Where each test's figures also go, one JSON object a line (docs/reliability.md quotes them).
FIGURES_FILE = os.environ.get("JEJAK_RELIABILITY_FIGURES", "")


@pytest.fixture
def keys() -> dict[str, str]:
    return {"master_key": secrets.token_urlsafe(48), "signing_key": secrets.token_urlsafe(48)}


def seed_users(
    database_url: str,
    keys: dict[str, str],
    workdir: Path,
    users: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    """Creates users through the application (fast password hashing; the server verifies
    any argon2 hash), then closes the runtime: the servers under test start afterwards."""
    settings = Settings(
        database_url=database_url,
        master_key=keys["master_key"],
        signing_key=keys["signing_key"],
        dev_key_file=workdir / "keys.json",
        pool_size=1,
    )
    runtime = build_runtime(settings, fast_passwords=True)
    try:
        for username, role, regions in users:
            create_user(runtime, username, role, regions)
    finally:
        runtime.close()


@pytest.fixture
def report(capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> Report:
    """Prints a test's figures to the terminal whether or not pytest captures output (and
    appends them to JEJAK_RELIABILITY_FIGURES when set)."""

    def emit(title: str, figures: dict[str, Any]) -> None:
        lines = [f"\n[reliability] {request.node.name}: {title}"]
        lines += [f"    {name:<34} {value}" for name, value in figures.items()]
        with capsys.disabled():
            print("\n".join(lines))
        if FIGURES_FILE:
            with Path(FIGURES_FILE).open("a") as handle:
                entry = {"test": request.node.nodeid, "title": title, **figures}
                handle.write(json.dumps(entry, default=str) + "\n")

    return emit


__all__ = ["PASSWORD", "Report", "seed_users"]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """The servers' working directory (their logs end up here)."""
    path = tmp_path / "run"
    path.mkdir()
    return path
