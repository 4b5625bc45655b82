"""The access log is append-only and hash-chained: an entry edited or removed behind the
service's back is found by verification, a log wiped or cut short by verification against a
checkpoint, and TRUNCATE is refused. SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from application.principal import SYSTEM_PRINCIPAL
from infrastructure.bootstrap import build_runtime
from tests import rawdb
from tests.support import make_settings
from tests.tamper import AuditedStore, worker_with_children


def read_worker(audited: AuditedStore, times: int) -> None:
    worker_id = worker_with_children(audited.runtime, children=0)
    for _ in range(times):
        audited.runtime.app.get_worker(SYSTEM_PRINCIPAL, worker_id)


def log_problems(verdict: dict[str, Any]) -> set[tuple[int, str]]:
    log = verdict.get("access_log") or verdict.get("verification", {}).get("access_log")
    problems = [*log["problems"], *verdict.get("access_log_problems", [])]
    return {(p["entry_id"], p["kind"]) for p in problems}


def test_an_edited_entry_is_found_everywhere(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    read_worker(audited, 5)
    statement = audited.checkpoint()
    assert audited.runtime.app.verify_chains(SYSTEM_PRINCIPAL).access_log.entries >= 5  # type: ignore[union-attr]
    rawdb.execute(
        audited.url,
        "UPDATE jejak_access_log SET username = 'someone else' WHERE id = 3",
        bypass_triggers=True,
    )
    for surface, verdict in audited.verdicts(capsys, statement).items():
        assert verdict["intact"] is False, surface
        assert (3, "changed") in log_problems(verdict), surface


def test_a_removed_entry_is_found_everywhere(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    read_worker(audited, 5)
    statement = audited.checkpoint()
    rawdb.execute(audited.url, "DELETE FROM jejak_access_log WHERE id = 3", bypass_triggers=True)
    for surface, verdict in audited.verdicts(capsys, statement).items():
        assert verdict["intact"] is False, surface
        assert (4, "removed") in log_problems(verdict), surface


def test_a_wiped_log_is_found_against_a_checkpoint(
    audited: AuditedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    read_worker(audited, 3)
    statement = audited.checkpoint()
    last = statement["access_log"]["last_id"]
    assert last >= 3
    rawdb.execute(audited.url, "DELETE FROM jejak_access_log", bypass_triggers=True)
    verdicts = audited.verdicts(capsys, statement)
    for surface in ("jejak audit verify --checkpoint", "POST /v1/audit/verify/checkpoint"):
        assert verdicts[surface]["intact"] is False, surface
        assert (last, "truncated") in log_problems(verdicts[surface]), surface


def test_entries_written_at_once_form_one_chain(audited: AuditedStore) -> None:
    worker_id = worker_with_children(audited.runtime, children=0)
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(10):
                audited.runtime.app.get_worker(SYSTEM_PRINCIPAL, worker_id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    log = audited.runtime.app.verify_chains(SYSTEM_PRINCIPAL).access_log
    assert log is not None
    assert log.intact
    assert log.entries >= 40
    ids = [
        int(r[0]) for r in rawdb.query(audited.url, "SELECT id FROM jejak_access_log ORDER BY id")
    ]
    assert ids == list(range(1, len(ids) + 1))


def test_postgres_refuses_to_truncate_the_access_log(postgres_url: str, tmp_path: Path) -> None:
    runtime = build_runtime(make_settings(postgres_url, tmp_path), fast_passwords=True)
    try:
        worker_id = worker_with_children(runtime, children=0)
        runtime.app.get_worker(SYSTEM_PRINCIPAL, worker_id)
    finally:
        runtime.close()
    before = rawdb.query(postgres_url, "SELECT COUNT(*) FROM jejak_access_log")
    assert before[0][0] >= 1  # the read of the worker (and the registration's NIK check)
    with pytest.raises(Exception, match="append-only"):
        rawdb.execute(postgres_url, "TRUNCATE jejak_access_log")
    assert rawdb.query(postgres_url, "SELECT COUNT(*) FROM jejak_access_log") == before
