"""Fixtures of the reliability tests: keys shared by the test and the servers it starts, a
printer for the figures of a run, the servers' working directory. What the tests import
lives in ``harness``."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.harness import Report

#: Where each test's figures also go, one JSON object a line (docs/reliability.md quotes them).
FIGURES_FILE = os.environ.get("JEJAK_RELIABILITY_FIGURES", "")


@pytest.fixture
def keys() -> dict[str, str]:
    return {"master_key": secrets.token_urlsafe(48), "signing_key": secrets.token_urlsafe(48)}


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


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """The servers' working directory (their logs end up here)."""
    path = tmp_path / "run"
    path.mkdir()
    return path
