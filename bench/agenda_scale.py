"""Row 11 at a million journeys: the agenda's read model multiplied, the same two queries.

Building a dataset of 1M journeys through the application takes hours on this machine; what
the agenda's queries depend on is the size of its read model, not of the event store. So
this module copies the agenda's active ``journeys`` and ``items`` rows until they stand for
``TARGET`` journeys (the copies get ids of their own and live in made-up regions ``X<n>…``,
so each village and regency keeps the density it has in the dataset), and then times the
officer's page and the regency summary of ``bench.agenda`` on the dataset's own busiest
village and regency, as a real deployment would be queried with the rest of the country in
the same tables. The baseline is the same full scan as ``bench.agenda`` (the scope's
journeys replayed from the event store), which the copies do not change. The copies are
deleted at the end, so later modules see the dataset as it was.

What this does not measure: the projection writing a million journeys (row 3 does at its
own sizes) and ``as_of`` (its history table is not copied)."""

from __future__ import annotations

import math
import time
from typing import Any

from application.projections.agenda import AgendaBoard
from bench.agenda import queries
from bench.core import Context, Measurement, MemoryReading
from infrastructure.db import Tx
from infrastructure.projections.schema import TRACKING, table_name

NUMBERS = (11,)
#: Journeys the multiplied read model stands for (quick: a smoke test of the code path).
TARGET = {True: 20_000, False: 1_000_000}
_COPY = "x"  # copies' ids start with it; the dataset's are UUIDs (hex digits)
_ID_COLUMNS = ("journey_id", "worker_id")
_REGION_COLUMNS = ("province_code", "regency_code", "district_code", "village_code")


def run(ctx: Context) -> list[Measurement | MemoryReading]:
    runtime = ctx.runtime()
    try:
        asked = queries(runtime)  # the scans before the copies: they replay the dataset
        engine = runtime.app.agenda_store.engine
        copies = max(0, math.ceil(TARGET[ctx.quick] / max(1, ctx.dataset.journeys)) - 1)
        started = time.perf_counter()
        rows = _multiply(engine, copies)
        multiplied_in = time.perf_counter() - started
        try:
            measurements = asked.measure(ctx, "agenda, read model multiplied: ")
        finally:
            _remove_copies(engine)
    finally:
        runtime.close()
    journeys = ctx.dataset.journeys * (copies + 1)
    for measurement in measurements:
        measurement.journeys = journeys
        measurement.details.update(
            {
                "read_model_journeys": journeys,
                "read_model_items": rows,
                "copies_of_the_dataset": copies + 1,
                "seconds_to_multiply": round(multiplied_in, 1),
                "how": "the agenda's journeys and items rows copied into made-up regions; "
                "the scope queried is the dataset's own",
            }
        )
    return list(measurements)


def _tables(engine: Any, tx: Tx) -> dict[str, str]:
    row = tx.fetchone(
        f"SELECT generation FROM {engine.prefix}{TRACKING} WHERE name = ? AND state = 'active'",
        (AgendaBoard.name,),
    )
    if row is None:
        msg = "the agenda read model has no active generation"
        raise RuntimeError(msg)
    generation = int(row[0])
    return {
        table.name: f"{engine.prefix}{table_name(AgendaBoard.name, generation, table.name)}"
        for table in AgendaBoard.tables
    }


def _copy_select(table: Any, source: str, copy: int) -> str:
    """An INSERT of one copy of the dataset's rows: new ids, the regions moved under a
    made-up province ``X<copy>`` (a region code's first two characters are its province)."""
    names = [column.name for column in table.columns]
    values = []
    for name in names:
        if name in _ID_COLUMNS:
            values.append(f"'{_COPY}{copy}-' || {name}")
        elif name in _REGION_COLUMNS:
            values.append(f"'X{copy}' || substr({name}, 3)")
        else:
            values.append(name)
    return (
        f"INSERT INTO {source} ({', '.join(names)}) "
        f"SELECT {', '.join(values)} FROM {source} WHERE journey_id NOT LIKE ?"
    )


def _multiply(engine: Any, copies: int) -> int:
    """Adds ``copies`` copies of the active generation's journeys and items; answers the
    items rows the read model then holds."""
    with engine.db.reading() as tx:
        tables = _tables(engine, tx)
    chosen = [t for t in AgendaBoard.tables if t.name in ("journeys", "items")]
    for copy in range(1, copies + 1):
        with engine.db.transaction() as tx:
            for table in chosen:
                tx.execute(_copy_select(table, tables[table.name], copy), (f"{_COPY}%",))
    if engine.db.dialect == "postgresql":  # what autovacuum would soon do in a deployment
        with engine.db.transaction() as tx:
            for name in ("journeys", "items"):
                tx.execute(f"ANALYZE {tables[name]}")
    with engine.db.reading() as tx:
        found = tx.fetchone(f"SELECT COUNT(*) FROM {tables['items']}")
    return int(found[0]) if found else 0


def _remove_copies(engine: Any) -> None:
    with engine.db.transaction() as tx:
        tables = _tables(engine, tx)
        for name in ("items", "journeys"):
            tx.execute(f"DELETE FROM {tables[name]} WHERE journey_id LIKE ?", (f"{_COPY}%",))
