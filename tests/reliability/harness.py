"""Real components for the reliability tests: users seeded straight through the application,
a `jejak serve` (or `jejak projections run`)
subprocess on loopback that can be killed and restarted, a PostgreSQL cluster of the test's
own that can be restarted under load, a client that retries like an officer on a poor
connection, and the checks that a store is whole."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import psycopg

from infrastructure.settings import Settings
from tests.support import PASSWORD, VILLAGE, create_user, fast_runtime, free_port

BIN = Path(sys.executable).parent
PG_BIN_ROOT = Path("/usr/lib/postgresql")

#: Prints a test's figures under a title (the ``report`` fixture).
Report = Callable[[str, dict[str, Any]], None]


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
    runtime = fast_runtime(settings)
    try:
        for username, role, regions in users:
            create_user(runtime, username, role, regions)
    finally:
        runtime.close()


#: Statuses a retrying client treats as "try again with the same Idempotency-Key".
RETRYABLE = frozenset({502, 503, 504})


# Processes ------------------------------------------------------------------------------


class JejakProcess:
    """One `jejak ...` subprocess whose stderr (JSON logs) goes to a file, so a test can
    count what the server logged (unexpected errors above all) after killing it."""

    def __init__(self, args: list[str], env: Mapping[str, str], workdir: Path, name: str) -> None:
        self.args = args
        self.env = dict(env)
        self.workdir = workdir
        self.name = name
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.kills = 0

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}.log"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def spawn(self) -> None:
        assert self.process is None or self.process.poll() is not None
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(
                [str(BIN / "jejak"), *self.args],
                env=self.env,
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        finally:
            log.close()
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, open transactions die with the connection."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
            self.kills += 1

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def rss_kib(self) -> int:
        """Resident memory of the process (VmRSS in /proc/<pid>/status)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        msg = f"no VmRSS for {self.pid}"
        raise AssertionError(msg)

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used (/proc/<pid>/stat)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_records(self) -> list[dict[str, Any]]:
        records = []
        if not self.log_path.exists():
            return records
        for line in self.log_path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict):
                    records.append(record)
        return records

    def unexpected_errors(self) -> list[dict[str, Any]]:
        """Requests answered 500 or errors logged as unexpected: there must be none."""
        return [
            r
            for r in self.log_records()
            if r.get("message") == "unexpected error"
            or (r.get("message") == "request" and r.get("status") == 500)
            or r.get("level") == "CRITICAL"
        ]


class Server(JejakProcess):
    """`jejak serve` on a loopback port that stays the same across restarts."""

    def __init__(self, env: Mapping[str, str], workdir: Path, name: str = "serve") -> None:
        self.port = free_port()
        super().__init__(["serve", "--port", str(self.port)], env, workdir, name)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 45.0) -> float:
        """Starts the server and waits until it answers /healthz; returns the seconds taken."""
        started = time.monotonic()
        self.spawn()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                break
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return time.monotonic() - started
            time.sleep(0.1)
        self.stop()
        tail = self.log_path.read_text(errors="replace")[-3000:]
        msg = f"jejak serve did not start within {timeout} s:\n{tail}"
        raise AssertionError(msg)


@contextlib.contextmanager
def officers_at_work(
    database_url: str, keys: Mapping[str, str], workdir: Path, officers: int
) -> Iterator[tuple[Server, list[str]]]:
    """A `jejak serve` (WARNING logs) with officers petugas.0, petugas.1... of VILLAGE,
    each signed in: the server and their bearer tokens, in order."""
    seed_users(
        database_url,
        dict(keys),
        workdir,
        [(f"petugas.{i}", "officer", (VILLAGE,)) for i in range(officers)],
    )
    server = Server(server_env(database_url, workdir, keys, JEJAK_LOG_LEVEL="WARNING"), workdir)
    server.start()
    try:
        yield server, [token(server.base, f"petugas.{i}", PASSWORD) for i in range(officers)]
    finally:
        server.stop()


def rss_sampler(server: Server, samples: list[tuple[float, int]], stop: threading.Event) -> None:
    """Samples the server's resident size (KiB) every 0.2 s until ``stop``."""
    while not stop.wait(0.2):
        samples.append((time.monotonic(), server.rss_kib()))


def server_env(
    database_url: str, workdir: Path, keys: Mapping[str, str], **extra: str
) -> dict[str, str]:
    """The environment of a real server: explicit keys (so restarts and the test's own
    runtime read the same data), JSON logs to the log file."""
    env = {
        **os.environ,
        "JEJAK_DATABASE_URL": database_url,
        "JEJAK_MASTER_KEY": keys["master_key"],
        "JEJAK_SIGNING_KEY": keys["signing_key"],
        "JEJAK_DEV_KEY_FILE": str(workdir / "keys.json"),
        "JEJAK_LOG_LEVEL": "INFO",
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    }
    env.update(extra)
    return env


# A PostgreSQL cluster of the test's own -------------------------------------------------


def postgres_bin() -> Path:
    versions = sorted(
        (p for p in PG_BIN_ROOT.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not versions:
        msg = f"no PostgreSQL binaries under {PG_BIN_ROOT}: cannot run the database-fault test"
        raise AssertionError(msg)
    return versions[-1]


class PrivatePostgres:
    """A throw-away cluster (initdb into a temporary directory, its own port and socket
    directory), so that restarting it disturbs nobody else's tests. Runs as the
    ``postgres`` OS user when the test runs as root (PostgreSQL refuses to run as root)."""

    def __init__(self) -> None:
        self.bin = postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="jejak-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.log = self.root / "postgres.log"
        self.restarts = 0

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd=self.root
        )
        if result.returncode != 0:
            msg = f"{' '.join(args[:2])} failed ({result.returncode}): {result.stderr[-2000:]}"
            raise AssertionError(msg)
        return result

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=200 -c shared_buffers=64MB"
        )
        (self.root / "options").write_text(options)

    def _options(self) -> str:
        return (self.root / "options").read_text()

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            self._options(),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def restart(self, mode: str = "immediate", down_seconds: float = 0.0) -> float:
        """Stops the server (``immediate``: like a crash, every backend killed mid-query),
        keeps it down a while, starts it again; returns the seconds it was unreachable."""
        started = time.monotonic()
        self.stop(mode)
        time.sleep(down_seconds)
        self.start()
        self.restarts += 1
        return time.monotonic() - started

    def destroy(self) -> None:
        with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


# The client -----------------------------------------------------------------------------


@dataclass
class Attempt:
    status: int | None  # None: no answer (connection refused, reset, timed out)
    seconds: float
    body: Any = None
    #: When the answer (or the failure) came, on the monotonic clock.
    at: float = field(default_factory=time.monotonic)


@dataclass
class Ack:
    """A write the client saw acknowledged (201), with what it asked and what it got."""

    key: str
    path: str
    body: dict[str, Any]
    response: dict[str, Any]
    attempts: list[Attempt]
    #: Answered from the idempotency record: an earlier attempt had committed.
    replayed: bool = False


class GaveUp(Exception):
    """The write was never acknowledged within the client's patience."""


@dataclass
class Officer:
    """An HTTP client that behaves like an officer on a village connection: every write has
    an Idempotency-Key, and a write that got no answer (or a 503) is sent again with the same
    key until it is acknowledged."""

    base: str
    token: str
    timeout: float = 10.0
    patience: float = 120.0
    statuses: dict[int | None, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            base_url=self.base,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=self.timeout,
        )

    def close(self) -> None:
        self.client.close()

    def _count(self, status: int | None) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def write(
        self,
        path: str,
        body: dict[str, Any],
        key: str,
        *,
        accept: Callable[[int], bool] = lambda status: status == 201,
        on_error_body: Callable[[int, Any], None] | None = None,
    ) -> Ack:
        attempts: list[Attempt] = []
        deadline = time.monotonic() + self.patience
        pause = 0.05
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                response = self.client.post(path, json=body, headers={"Idempotency-Key": key})
            except httpx.TransportError:
                attempts.append(Attempt(None, time.monotonic() - started))
                self._count(None)
            else:
                status = response.status_code
                self._count(status)
                payload = _json(response)
                attempts.append(Attempt(status, time.monotonic() - started, payload))
                if accept(status):
                    replayed = response.headers.get("idempotent-replayed") == "true"
                    return Ack(key, path, body, payload, attempts, replayed)
                if status not in RETRYABLE:
                    if on_error_body is not None:
                        on_error_body(status, payload)
                    msg = f"{path} answered {status}: {payload}"
                    raise AssertionError(msg)
            time.sleep(pause)
            pause = min(1.0, pause * 1.5)
        msg = f"{path} ({key}) never acknowledged: {[a.status for a in attempts]}"
        raise GaveUp(msg)

    def get(self, path: str, **params: Any) -> Any:
        deadline = time.monotonic() + self.patience
        while True:
            try:
                response = self.client.get(path, params=params or None)
            except httpx.TransportError:
                self._count(None)
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
                continue
            self._count(response.status_code)
            if response.status_code in RETRYABLE and time.monotonic() < deadline:
                time.sleep(0.2)
                continue
            assert response.status_code == 200, (
                f"GET {path}: {response.status_code} {response.text}"
            )
            return response.json()


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def token(base: str, username: str, password: str) -> str:
    response = httpx.post(
        f"{base}/v1/auth/token", data={"username": username, "password": password}, timeout=30
    )
    assert response.status_code == 200, response.text
    value: str = response.json()["access_token"]
    return value


# Checks on the store -------------------------------------------------------------------


@dataclass(frozen=True)
class StoreShape:
    events: int
    head: int
    versions: dict[str, list[int]]


def store_shape(database_url: str) -> StoreShape:
    """Reads the events table directly (positions and versions only: nothing personal)."""
    base, _, query = database_url.partition("?")
    schema = query.removeprefix("schema=") if query.startswith("schema=") else "public"
    with psycopg.connect(base, autocommit=True) as connection:
        rows = connection.execute(
            f'SELECT originator_id, originator_version, notification_id FROM "{schema}".jejak_events '
            "ORDER BY notification_id"
        ).fetchall()
    versions: dict[str, list[int]] = {}
    for originator_id, version, _ in rows:
        versions.setdefault(str(originator_id), []).append(int(version))
    positions = [int(row[2]) for row in rows]
    assert positions == list(range(1, len(positions) + 1)), "the global feed has a gap"
    for aggregate, found in versions.items():
        assert found == list(range(1, len(found) + 1)), f"history {aggregate} has a gap: {found}"
    return StoreShape(events=len(rows), head=positions[-1] if positions else 0, versions=versions)


def tracking_positions(database_url: str) -> dict[str, int]:
    base, _, query = database_url.partition("?")
    schema = query.removeprefix("schema=") if query.startswith("schema=") else "public"
    with psycopg.connect(base, autocommit=True) as connection:
        rows = connection.execute(
            f"SELECT name, position FROM \"{schema}\".jejak_projections WHERE state = 'active'"
        ).fetchall()
    return {str(name): int(position) for name, position in rows}


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with contextlib.suppress(httpx.TransportError, psycopg.OperationalError):
            if check():
                return time.monotonic() - started
        time.sleep(0.2)
    msg = f"timed out after {timeout} s waiting for {what}"
    raise AssertionError(msg)


# Figures --------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def latency_summary(seconds: list[float]) -> dict[str, float]:
    millis = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(millis, 0.50), 1),
        "p95_ms": round(percentile(millis, 0.95), 1),
        "p99_ms": round(percentile(millis, 0.99), 1),
        "max_ms": round(max(millis), 1) if millis else 0.0,
        "mean_ms": round(statistics.fmean(millis), 1) if millis else 0.0,
    }


@contextlib.contextmanager
def running(threads: list[threading.Thread]) -> Iterator[None]:
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        for thread in threads:
            thread.join()
