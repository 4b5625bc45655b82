"""The benchmark harness works end to end: ``python -m bench --quick`` on both backends
builds its dataset, runs every benchmark and writes the report. A smoke test of the harness,
never a timed assertion: the figures of a tiny dataset on a shared machine mean nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support import ADMIN_URL

ROWS = {1, 2, 3, 4, 5, 6, 7, 10, 11, 12}
PROJECT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_quick_benchmarks_run_on_both_backends(tmp_path: Path) -> None:
    prefix = f"jejak_smoke_{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "JEJAK_BENCH_POSTGRES": ADMIN_URL.rsplit("/", 1)[0],
        "JEJAK_BENCH_DB_PREFIX": prefix,
    }
    out = tmp_path / "benchmarks.md"
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "bench", "--quick", "--backends", "sqlite,postgres",
             "--out", str(out), "--workdir", str(tmp_path / "work")],
            cwd=PROJECT, env=env, capture_output=True, text=True, timeout=590, check=False,
        )  # fmt: skip
    finally:
        _drop_database(f"{prefix}_quick")
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]

    results = json.loads(out.with_suffix(".json").read_text())
    for backend in ("sqlite", "postgres"):
        run = results["runs"][f"{backend}/quick"]
        numbers = {m["number"] for m in run["measurements"]}
        assert numbers == ROWS, f"{backend}: rows {sorted(ROWS - numbers)} missing"
        for m in run["measurements"]:
            assert m["value"] > 0, m
            assert m["journeys"] > 0, m
            assert m["events"] > 0, m
            if m["baseline_name"] is not None:
                assert m["baseline"] is not None, m
                assert m["baseline"] > 0, m
                assert m["ratio"] is not None, m
                assert m["ratio"] > 0, m
        processes = {r["process"] for r in run["memory"]}
        assert {"server", "projection runner", "importer"} <= processes, processes
        assert all(r["peak_rss_mb"] > 10 for r in run["memory"])
    report = out.read_text()
    for backend in ("sqlite", "postgres"):
        for number in ROWS:
            assert any(
                line.startswith(f"| {number} |") and f"| {backend} | quick |" in line
                for line in report.splitlines()
            ), f"row {number} for {backend} missing from the report"


def _drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
