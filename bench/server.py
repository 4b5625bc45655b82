"""A real ``jejak serve`` (and ``jejak projections run``) as subprocesses of the benchmark.

``running_server(ctx)`` starts the API on a free loopback port with the context's settings
(database, keys, pool, snapshots: every ``Settings`` field as its ``JEJAK_*`` variable), waits
for ``/readyz``, logs the dataset's officer in and yields a ``Server`` with the bearer token.
``projection_runner(ctx)`` runs the read models as their own process, the deployment the
API's ``JEJAK_PROJECTIONS_IN_PROCESS=false`` is meant for. Read a process's peak RSS with
``peak_rss_mb()`` before the context exits (the kernel forgets it with the process)."""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.core import Context, peak_rss_mb, percentile
from infrastructure.settings import Settings

REPO = Path(__file__).resolve().parent.parent
#: How long a server may take to answer /readyz (projections catching up at 1M journeys).
READY_TIMEOUT = 300.0


def settings_env(settings: Settings, **overrides: Any) -> dict[str, str]:
    """The process environment that makes ``Settings()`` equal ``settings`` (plus overrides)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JEJAK_")}
    values = settings.model_dump() | overrides
    for name, value in values.items():
        if value is None:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        env[f"JEJAK_{name.upper()}"] = text
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def cpu_pressure() -> float | None:
    """The share of the last 10 s in which some runnable task waited for a CPU (Linux PSI,
    ``some avg10`` in %): other people's work on the machine, next to a figure."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    fields = dict(part.split("=", 1) for part in first.split()[1:])
    return float(fields.get("avg10", "nan"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _jejak(*args: str) -> list[str]:
    return [sys.executable, "-m", "interfaces.cli", *args]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    token: str
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def peak_rss_mb(self) -> float:
        return peak_rss_mb(self.process.pid)

    def get_json(self, path: str, timeout: float = 10.0) -> tuple[int, Any]:
        return _get_json(self.base_url + path, timeout, self.token)


def _get_json(url: str, timeout: float, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url)  # noqa: S310 (loopback)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body or b"null")
        except ValueError:
            return error.code, body.decode(errors="replace")


def login(base_url: str, username: str, password: str) -> str:
    data = urllib.parse.urlencode({"username": username, "password": password}).encode()
    request = urllib.request.Request(f"{base_url}/v1/auth/token", data=data, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        token: str = json.loads(answer.read())["access_token"]
        return token


def _stop(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def wait_ready(process: subprocess.Popen[bytes], base_url: str, log: Path, timeout: float) -> None:
    """Until /readyz says the store answers (read models lagging behind are the runner's
    business, not the API's); a process that dies or never gets there is an error."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"jejak serve exited with {process.returncode}:\n{_tail(log)}"
            raise RuntimeError(msg)
        try:
            status, last = _get_json(f"{base_url}/readyz", 2.0)
            if status == 200 or (isinstance(last, dict) and last["checks"].get("store") == "ok"):
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    msg = f"jejak serve not ready after {timeout:.0f} s: {last}\n{_tail(log)}"
    raise RuntimeError(msg)


@contextmanager
def running_server(
    ctx: Context, *, projections_in_process: bool = False, **overrides: Any
) -> Iterator[Server]:
    """``jejak serve`` on this context's store, with the officer logged in.

    By default the API runs no projections (``JEJAK_PROJECTIONS_IN_PROCESS=false``): start
    ``projection_runner(ctx)`` beside it when read models must follow."""
    port = free_port()
    env = settings_env(
        ctx.settings,
        host="127.0.0.1",
        port=port,
        projections_in_process=projections_in_process,
        **overrides,
    )
    log = ctx.workdir / f"server-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            _jejak("serve", "--host", "127.0.0.1", "--port", str(port)),
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_ready(process, base_url, log, READY_TIMEOUT)
        token = login(base_url, ctx.dataset.officer_username, ctx.dataset.officer_password)
        yield Server(process=process, port=port, token=token, log=log)
    finally:
        _stop(process)


@dataclass
class Runner:
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def peak_rss_mb(self) -> float:
        return peak_rss_mb(self.process.pid)

    def alive(self) -> bool:
        return self.process.poll() is None


@contextmanager
def projection_runner(ctx: Context) -> Iterator[Runner]:
    """``jejak projections run`` as its own process on this context's store."""
    env = settings_env(ctx.settings, projections_in_process=False)
    log = ctx.workdir / f"projections-{os.getpid()}-{time.monotonic_ns()}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            _jejak("projections", "run"),
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Runner(process=process, log=log)
    finally:
        _stop(process)
        if process.returncode not in (0, -signal.SIGTERM):
            sys.stderr.write(f"[bench] projection runner exited {process.returncode}\n")


# Load ------------------------------------------------------------------------------------

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
LOCUST = Path(sys.executable).parent / "locust"


@dataclass
class LoadResult:
    """One locust run, from its CSV statistics (latencies in ms, from locust's histogram)."""

    users: int
    seconds: float
    requests: int
    failures: int
    #: Successful requests per second: each is one recorded event.
    per_second: float
    p50: float
    p95: float
    p99: float
    p999: float
    max_ms: float
    failure_samples: list[str]
    #: Wall-clock (``time.time()``) start of the first request and end of the last one.
    first_request: float
    last_response: float
    #: CPU pressure on the machine at the end of the run (see ``cpu_pressure``).
    cpu_pressure: float | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "users": self.users,
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
            "failures": self.failures,
            "per_second": round(self.per_second, 1),
            "p50_ms": self.p50,
            "p95_ms": self.p95,
            "p99_ms": self.p99,
            "p99_9_ms": self.p999,
            "max_ms": self.max_ms,
            "cpu_pressure_avg10_pct": self.cpu_pressure,
            **({"failure_samples": self.failure_samples} if self.failures else {}),
        }


def write_journeys(ctx: Context) -> Path:
    """The placement journeys, one per line, for the locustfile."""
    path = ctx.workdir / "bench-journeys.txt"
    path.write_text("\n".join(ctx.dataset.placement_journeys) + "\n")
    return path


def run_locust(
    server: Server,
    ctx: Context,
    *,
    seconds: float,
    users: int = 16,
    rate_per_user: float = 0.0,
    label: str = "load",
) -> LoadResult:
    """Locust headless against ``server`` for ``seconds``: every user records welfare checks,
    as fast as it can (``rate_per_user`` 0) or at a constant rate each."""
    import csv

    journeys = write_journeys(ctx)
    prefix = ctx.workdir / f"locust-{label}-{time.monotonic_ns()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JEJAK_")}
    env.update(
        {
            "BENCH_TOKEN": server.token,
            "BENCH_JOURNEYS": str(journeys),
            "BENCH_RATE": str(rate_per_user),
            "BENCH_USERS": str(users),
        }
    )
    command = [
        str(LOCUST),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        # All at once; at a constant rate the locustfile spreads the users over one period.
        str(users * 20),
        "--run-time",
        f"{max(1, math.ceil(seconds))}s",
        "--stop-timeout",
        "5",
        "--host",
        server.base_url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    samples_file = Path(f"{prefix}_samples.json")
    env["BENCH_SAMPLES"] = str(samples_file)
    completed = subprocess.run(
        command, env=env, cwd=REPO, capture_output=True, timeout=seconds + 120, check=False
    )
    stats_file = Path(f"{prefix}_stats.csv")
    if completed.returncode != 0 or not stats_file.exists() or not samples_file.exists():
        msg = (
            f"locust failed ({completed.returncode}):\n"
            f"{completed.stderr.decode(errors='replace')[-3000:]}"
        )
        raise RuntimeError(msg)
    failure_samples: list[str] = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with failures_file.open() as handle:
            failure_samples = [
                f"{r['Occurrences']}x {r['Error']}"[:300] for r in csv.DictReader(handle)
            ][:5]
    samples = json.loads(samples_file.read_text())["samples"]
    if not samples:
        msg = f"locust made no requests:\n{completed.stderr.decode(errors='replace')[-3000:]}"
        raise RuntimeError(msg)
    first = min(start for start, _, _ in samples)
    last = max(start + elapsed / 1000 for start, elapsed, _ in samples)
    times = sorted(elapsed for _, elapsed, ok in samples if ok) or [0.0]
    succeeded = sum(1 for _, _, ok in samples if ok)
    duration = max(last - first, 1e-6)
    return LoadResult(
        users=users,
        seconds=duration,
        requests=len(samples),
        failures=len(samples) - succeeded,
        per_second=succeeded / duration,
        p50=round(percentile(times, 50), 2),
        p95=round(percentile(times, 95), 2),
        p99=round(percentile(times, 99), 2),
        p999=round(percentile(times, 99.9), 2),
        max_ms=round(times[-1], 2),
        failure_samples=failure_samples,
        first_request=first,
        last_response=last,
        cpu_pressure=cpu_pressure(),
    )
