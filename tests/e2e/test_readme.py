"""The README's walk-through, run as written against a real `jejak serve` on loopback, and
the command line that creates the first admin."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.support import BIN, jejak_serve, serve_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    env = serve_env(database_url, tmp_path)
    with jejak_serve(env, tmp_path) as base:
        yield base, env


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash walkthrough\n(.*?)```", readme, flags=re.DOTALL)
    assert blocks, "the README lost its walk-through"
    return "\n".join(blocks)


def test_the_readme_walkthrough_runs_as_written(
    server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, env = server
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walkthrough()],
        env={**env, "BASE": base},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"version":1' in result.stdout
    assert "Siti Aminah" in result.stdout


def test_the_first_admin_is_created_from_standard_input(
    server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, env = server
    created = subprocess.run(
        [str(BIN / "jejak"), "users", "create", "Admin", "--role", "admin"],
        input="a long passphrase\n",
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    assert "created admin admin" in created.stdout
    token = httpx.post(
        f"{base}/v1/auth/token", data={"username": "admin", "password": "a long passphrase"}
    )
    assert token.status_code == 200
    again = subprocess.run(
        [str(BIN / "jejak"), "users", "create", "admin", "--role", "admin"],
        input="a long passphrase\n",
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert again.returncode == 1
    assert "already exists" in again.stderr
