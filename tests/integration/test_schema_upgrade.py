"""A store written before feed seals, snapshot seals and the chained access log keeps
working: `jejak db upgrade` (or, with one role, the service at start) adds the columns,
seals the feed in its order, chains the access log and takes the snapshots again, and the
store then verifies intact. SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from application.principal import SYSTEM_PRINCIPAL
from infrastructure.bootstrap import build_runtime
from infrastructure.settings import Settings
from interfaces.cli import main
from tests import rawdb
from tests.integration.test_snapshot_seals import INTERVAL, journey_of
from tests.tamper import worker_with_children

#: The layout of before, made from today's: what this version added, taken away again.
LEGACY = (
    "ALTER TABLE jejak_events DROP COLUMN feed_seal",
    "ALTER TABLE jejak_events DROP COLUMN feed_previous",
    "ALTER TABLE jejak_snapshots DROP COLUMN seal",
    "ALTER TABLE jejak_access_log DROP COLUMN hash",
    "DROP TABLE jejak_schema",
    "DROP TABLE jejak_read_model_checks",
)


@pytest.fixture
def legacy_store(settings: Settings) -> Settings:
    """A store with two workers, a journey with two snapshots and read workers, turned into
    the layout it would have had before this version."""
    settings = settings.model_copy(update={"snapshot_interval": INTERVAL})
    runtime = build_runtime(settings, fast_passwords=True)
    try:
        worker_id = worker_with_children(runtime, children=3)
        journey_of(runtime, 12)
        for _ in range(3):
            runtime.app.get_worker(SYSTEM_PRINCIPAL, worker_id)
    finally:
        runtime.close()
    url = settings.database_url
    statements = list(LEGACY)
    if not url.startswith("sqlite"):
        statements.append("DROP TRIGGER jejak_access_log_no_truncate ON jejak_access_log")
    for statement in statements:
        rawdb.execute(url, statement)
    return settings


def check_upgraded(settings: Settings) -> None:
    url = settings.database_url
    assert rawdb.query(url, "SELECT COUNT(*) FROM jejak_events WHERE feed_seal IS NULL") == [(0,)]
    assert rawdb.query(url, "SELECT COUNT(*) FROM jejak_access_log WHERE hash IS NULL") == [(0,)]
    assert rawdb.query(
        url, "SELECT originator_version FROM jejak_snapshots WHERE seal IS NOT NULL ORDER BY 1"
    ) == [(5,), (10,)]
    runtime = build_runtime(settings, fast_passwords=True)
    try:
        assert runtime.schema_report is None  # current now: nothing done at start
        result = runtime.app.verify_chains(SYSTEM_PRINCIPAL)
        assert result.intact, result
        assert result.snapshots == 2
        assert result.access_log is not None
        assert result.access_log.entries == 5  # every entry the legacy store logged, NIK checks too
        # Sealed in their order: a swap after the upgrade is found.
        statement = runtime.app.make_checkpoint(SYSTEM_PRINCIPAL)
        assert runtime.app.verify_against_checkpoint(SYSTEM_PRINCIPAL, statement).intact
    finally:
        runtime.close()
    p = rawdb.position_column(url)
    for old, new in ((2, -1), (3, 2), (-1, 3)):
        rawdb.execute(
            url, f"UPDATE jejak_events SET {p} = %s WHERE {p} = %s", (new, old), bypass_triggers=True
        )
    runtime = build_runtime(settings, fast_passwords=True)
    try:
        assert {p.kind for p in runtime.app.verify_chains(SYSTEM_PRINCIPAL).problems} == {"moved"}
    finally:
        runtime.close()


def test_jejak_db_upgrade_seals_what_was_stored_before(
    legacy_store: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = legacy_store
    for name, value in {
        "JEJAK_DATABASE_URL": settings.database_url,
        "JEJAK_MASTER_KEY": settings.master_key or "",
        "JEJAK_SIGNING_KEY": settings.signing_key or "",
        "JEJAK_DEV_KEY_FILE": str(settings.dev_key_file),
        "JEJAK_SNAPSHOT_INTERVAL": str(INTERVAL),
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert "sealed 17 events into the feed" in out
    assert "chained 5 access-log entries" in out
    assert "replaced 2 unsealed snapshots" in out
    check_upgraded(settings)


def test_a_single_role_service_upgrades_its_store_at_start(legacy_store: Settings) -> None:
    """What `make run` does with an older data/jejak.sqlite3, and development with one
    PostgreSQL role."""
    runtime = build_runtime(legacy_store, fast_passwords=True)
    try:
        report = runtime.schema_report
        assert report is not None
        assert report.existed
        assert (report.events_sealed, report.entries_chained, report.snapshots_replaced) == (
            17,
            5,
            2,
        )
    finally:
        runtime.close()
    check_upgraded(legacy_store)


def test_jejak_db_init_on_an_empty_store_creates_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JEJAK_DATABASE_URL", f"sqlite:///{tmp_path / 'new.sqlite3'}")
    monkeypatch.setenv("JEJAK_DEV_KEY_FILE", str(tmp_path / "keys.json"))
    assert main(["db", "init"]) == 0
    assert "schema at version" in capsys.readouterr().out
    assert main(["db", "init"]) == 0
    assert "initialised already" in capsys.readouterr().out
