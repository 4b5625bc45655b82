"""The README's walk-through, run as written against a real `jejak serve` on loopback, and
the command line that creates the first admin."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.support import captured

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    env = {
        **os.environ,
        "JEJAK_DATABASE_URL": database_url,
        "JEJAK_DEV_KEY_FILE": str(tmp_path / "keys.json"),
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    }
    process = subprocess.Popen(
        [str(BIN / "jejak"), "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        process.kill()
        _, errors = process.communicate()
        pytest.fail(f"jejak serve did not start: {errors.decode()}")
    yield base, env
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stderr:
        captured(process.stderr.read().decode(errors="replace"))
        process.stderr.close()


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
