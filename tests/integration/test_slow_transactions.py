"""Work that sits between a transaction's statements on a loaded machine: PostgreSQL ends a
transaction idle for longer than the connections' timeout (the library sets 5 s), which is
right for a leaked writer holding the events table's lock and wrong for a projection batch
or a verifying scan, which failed over and over and never finished. Here the timeout is 1 s
and the work pauses for 2 s once its transaction has begun."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from infrastructure import bootstrap
from infrastructure.bootstrap import Runtime, build_runtime
from infrastructure.persistence import library_env
from infrastructure.projections.store import ReadModelStore
from infrastructure.settings import Settings
from infrastructure.store_common import JejakFactory
from tests.integration.test_projections import (
    EventTally,
    catch_up,
    counts,
    engine_for,
    record_events,
)

PAUSE = 2.0


@pytest.fixture
def impatient(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    """A runtime whose PostgreSQL connections end a transaction idle for 1 s."""

    def env_of(settings: Settings) -> dict[str, str]:
        env = library_env(settings)
        if "POSTGRES_DBNAME" in env:
            env["POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT"] = "1"
        return env

    monkeypatch.setattr(bootstrap, "library_env", env_of)
    runtime = build_runtime(settings, fast_passwords=True)
    yield runtime
    runtime.close()


def test_a_projection_batch_slower_than_the_idle_timeout_still_commits(
    impatient: Runtime,
) -> None:
    first = record_events(impatient, workers=2, children=1)
    catch_up(engine_for(impatient, batch_size=100))
    head = record_events(impatient, workers=2, children=1)
    EventTally.pause_at = (first + 3, PAUSE)
    try:
        fresh = engine_for(impatient, batch_size=100)  # no cached rows: it reads them
        fresh.process()
    finally:
        EventTally.pause_at = None
    assert ReadModelStore(fresh).position("tally") == head
    assert sum(counts(impatient, fresh).values()) == head


def test_a_stream_whose_reader_pauses_longer_than_the_idle_timeout_reads_to_the_end(
    impatient: Runtime,
) -> None:
    head = record_events(impatient, workers=3, children=2)
    factory = impatient.app.factory
    assert isinstance(factory, JejakFactory)
    events = factory.tables.events
    read = []
    rows = factory.database.stream(
        f"SELECT originator_id, originator_version FROM {events} "
        "ORDER BY originator_id, originator_version",
        batch=2,
    )
    for row in rows:
        read.append((str(row[0]), int(row[1])))
        if len(read) == 3:
            time.sleep(PAUSE)
    assert len(read) == head
    assert len(set(read)) == head
