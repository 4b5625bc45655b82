"""An import killed in the middle of its commit (SIGKILL: no cleanup, a batch's transaction
cut off) and run again: the rerun records the rows the first run did not, every row of the
file is recorded exactly once, and the hash chains verify. On SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from domain.worker import Worker
from infrastructure.bootstrap import build_runtime
from infrastructure.settings import Settings
from tests import rawdb
from tests.spreadsheets import WORKER_HEADER, csv_file
from tests.support import BIN, VILLAGE, captured, nik_for, personal, serve_env

pytestmark = pytest.mark.slow

ROWS = 3000


def registered(database_url: str) -> int:
    rows = rawdb.query(
        database_url,
        "SELECT COUNT(*) FROM jejak_events WHERE topic = %s",
        ("jejak:Worker.Registered",),
    )
    return int(rows[0][0])


def test_an_import_killed_mid_commit_is_completed_by_running_it_again(
    database_url: str, tmp_path: Path
) -> None:
    rows = []
    for index in range(ROWS):
        born = date(1970 + index % 30, 1 + index % 12, 1 + index % 28)
        name = f"Pekerja {index}"
        personal(name)
        rows.append(
            (nik_for(born, "L", serial=1 + index * 3 % 9990), name, "L", born, VILLAGE, None)
        )
    source = tmp_path / "pekerja.csv"
    source.write_bytes(csv_file([WORKER_HEADER, *rows], delimiter=";"))
    env = serve_env(database_url, tmp_path)
    command = [str(BIN / "jejak"), "import", str(source), "--kind", "workers", "--commit"]
    first = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 240
    while (registered(database_url) if _tables_exist(database_url) else 0) < 1:
        assert first.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline, "the import recorded nothing in time"
        time.sleep(0.05)
    first.kill()
    first.wait()
    for stream in (first.stdout, first.stderr):
        if stream is not None:
            captured(stream.read().decode(errors="replace"))
            stream.close()
    cut_at = registered(database_url)
    assert 0 < cut_at < ROWS, cut_at

    rerun = subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, timeout=600, check=False
    )
    captured(rerun.stdout.decode(errors="replace") + rerun.stderr.decode(errors="replace"))
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert f"already imported {cut_at}" in rerun.stdout.decode()
    assert registered(database_url) == ROWS

    settings = Settings(database_url=database_url, dev_key_file=tmp_path / "keys.json")
    runtime = build_runtime(settings, fast_passwords=True)
    try:
        events = [item.event for item in runtime.app.audit_store.feed(0, ROWS * 2)]
        sources = sorted(e.imported_from["row"] for e in events if isinstance(e, Worker.Registered))
        assert sources == list(range(2, ROWS + 2))
        assert runtime.app.audit_store.verify().failed == []
    finally:
        runtime.close()


def _tables_exist(database_url: str) -> bool:
    try:
        rawdb.query(database_url, "SELECT 1 FROM jejak_events LIMIT 1")
    except Exception:
        return False
    return True
