"""What every benchmark shares: the backend under test, the dataset, and what a measurement
records. Benchmarks are plain functions ``run(ctx: Context) -> list[Measurement]``."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from infrastructure.bootstrap import Runtime, build_runtime
from infrastructure.settings import Settings

#: The PostgreSQL server (no database part); each size gets its own database on it.
POSTGRES_ADMIN_URL = os.environ.get("JEJAK_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
#: Databases are named ``<prefix>_<size>``: the CI smoke test uses its own prefix so that it
#: never drops a dataset someone is benchmarking on the same server.
DATABASE_PREFIX = os.environ.get("JEJAK_BENCH_DB_PREFIX", "jejak_bench")

#: Named dataset sizes, in journeys. "quick" is the CI smoke test.
SIZES: dict[str, int] = {"quick": 200, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}


@dataclass(frozen=True)
class Backend:
    """One store under test: ``sqlite`` (a file in the work folder) or ``postgres`` (its own
    database on the local server)."""

    name: str
    database_url: str
    #: The raw DB-API connection string (a file path for SQLite, a conninfo for psycopg).
    dsn: str


@dataclass
class DatasetInfo:
    """What the dataset builder made, so benchmarks can address real records."""

    journeys: int
    workers: int
    events: int
    #: An officer who may record in every village of the dataset, and their password.
    officer_username: str
    officer_password: str
    coordinator_username: str
    coordinator_password: str
    password: str
    #: Regency codes holding data (coordinator reports are scoped to these).
    regencies: list[str]
    #: Ids of journeys in placement (welfare checks can be recorded on them forever).
    placement_journeys: list[str]
    #: A journey with at least 1,000 events (aggregate load benchmark).
    long_journey: str
    seconds_to_build: float
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    backend: Backend
    size_name: str
    dataset: DatasetInfo
    settings: Settings
    workdir: Path
    quick: bool

    def runtime(self) -> Runtime:
        """A fresh in-process runtime on this backend (close it when done)."""
        return build_runtime(self.settings, fast_passwords=True)

    def seconds(self, full: float, quick: float) -> float:
        """How long a timed phase runs: short in quick mode."""
        return quick if self.quick else full


@dataclass
class Measurement:
    """One row of the table: a figure, its baseline from the same run, and the target."""

    number: int  # the row of the table (1..8)
    name: str
    backend: str
    size: str
    journeys: int
    events: int
    value: float
    unit: str
    target: str
    baseline_name: str | None = None
    baseline: float | None = None
    #: value / baseline for throughputs, baseline / value for latencies: > 1 is better.
    ratio: float | None = None
    met: bool | None = None
    #: Cost of one operation in microseconds (for the scale curve, row 8).
    cost_us: float | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MemoryReading:
    process: str  # "server" or "projection runner"
    backend: str
    size: str
    journeys: int
    peak_rss_mb: float


def peak_rss_mb(pid: int) -> float:
    """The high-water mark of a process's resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    msg = f"no VmHWM for process {pid}"
    raise RuntimeError(msg)


def own_peak_rss_mb() -> float:
    return peak_rss_mb(os.getpid())


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation."""
    if not values:
        msg = "no values"
        raise ValueError(msg)
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[min(998, int(q * 10) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values)


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """``with stopwatch() as elapsed: ...; elapsed()`` in seconds."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())
