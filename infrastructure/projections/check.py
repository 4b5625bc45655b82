"""Checking a live read model against the events (`jejak projections check`).

A read-model row is not history: an edit made to it behind the service's back changes every
report that reads it and leaves no break anywhere. A check rebuilds the projection from the
feed into shadow tables (a generation of its own, state ``checking``, which the runner never
touches and readers never see), stops it at exactly the position the live generation stands
at, and compares the two in one consistent read: every live row that differs, that the
events do not give, or that is missing, is named by its key. The outcome is stored
(``jejak_read_model_checks``) for auditors (``GET /v1/audit/read-models``); the shadow
tables are dropped."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from application.readmodels import Projection, ReadModelCheck, RowDifference, Table
from infrastructure.db import Tx
from infrastructure.projections.runner import Generation, ProjectionEngine
from infrastructure.projections.schema import TRACKING, decode_row, drop_statements, table_name

CHECKS = "jejak_read_model_checks"
#: Differing rows kept per check (the count says how many there were).
DIFFERENCE_LIMIT = 100
#: How often the shadow follows a live model that keeps moving before the check gives up.
ATTEMPTS = 50


class LiveModelMissing(LookupError):
    """The projection has no active generation to check."""


def check(engine: ProjectionEngine, name: str) -> ReadModelCheck:
    """Rebuilds ``name`` into shadow tables, compares, records and returns the outcome."""
    projection = engine.projections[name]
    if engine.active(name) is None:
        raise LiveModelMissing(name)
    number = 1 + max(g.generation for g in engine.generations(name))
    shadow = engine._create_generation(projection, number, "checking")
    try:
        result = _compare_when_level(engine, projection, shadow)
    finally:
        _drop(engine, projection, shadow)
    _record(engine, result)
    return result


def _compare_when_level(
    engine: ProjectionEngine, projection: type[Projection], shadow: Generation
) -> ReadModelCheck:
    """Moves the shadow to the live generation's position and compares the two in one read
    transaction once they stand at the same place (the live one may move meanwhile)."""
    for _ in range(ATTEMPTS):
        live = engine.active(projection.name)
        if live is None:
            raise LiveModelMissing(projection.name)
        while shadow.position < live.position:
            engine._apply_batch([shadow], live.position)
            shadow = _reread(engine, shadow)
        with engine.db.reading() as tx:
            now = _position(tx, engine.prefix, projection.name, live.generation)
            if now == shadow.position:
                return _compare(tx, engine, projection, live.generation, shadow)
        if now is not None and now < shadow.position:
            engine.process(states=("active",))  # nobody else moved it: catch it up
    msg = f"{projection.name} kept moving: no level point to compare at"
    raise RuntimeError(msg)


def _compare(
    tx: Tx,
    engine: ProjectionEngine,
    projection: type[Projection],
    live_generation: int,
    shadow: Generation,
) -> ReadModelCheck:
    differing: list[RowDifference] = []
    total = rows = 0
    for table in projection.tables:
        live = f"{engine.prefix}{table_name(projection.name, live_generation, table.name)}"
        built = f"{engine.prefix}{table_name(projection.name, shadow.generation, table.name)}"
        counted = tx.fetchone(f"SELECT COUNT(*) FROM {built}")  # noqa: S608
        rows += int(counted[0]) if counted else 0
        count, found = _table_differences(tx, table, live, built)
        total += count
        differing.extend(found[: max(0, DIFFERENCE_LIMIT - len(differing))])
    return ReadModelCheck(
        name=projection.name,
        checked_at=datetime.now(UTC),
        generation=live_generation,
        position=shadow.position,
        rows=rows,
        differences=total,
        rows_differing=differing,
    )


def _table_differences(
    tx: Tx, table: Table, live: str, built: str
) -> tuple[int, list[RowDifference]]:
    columns = ", ".join(table.column_names())
    only_live = f"SELECT {columns} FROM {live} EXCEPT SELECT {columns} FROM {built}"  # noqa: S608
    only_built = f"SELECT {columns} FROM {built} EXCEPT SELECT {columns} FROM {live}"  # noqa: S608
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for side, sql in (("live", only_live), ("rebuilt", only_built)):
        for values in tx.fetchall(f"{sql} LIMIT {DIFFERENCE_LIMIT}"):
            row = decode_row(table, tuple(values))
            found.setdefault(tuple(row[k] for k in table.key), {})[side] = row
    # A changed row shows on both sides, once: count the keys that differ.
    keys = ", ".join(table.key)
    counted = tx.fetchone(
        f"SELECT COUNT(*) FROM (SELECT {keys} FROM ({only_live}) a "  # noqa: S608
        f"UNION SELECT {keys} FROM ({only_built}) b) d"
    )
    return (int(counted[0]) if counted else 0), list(_differences(table, found))


def _differences(
    table: Table, found: Mapping[tuple[Any, ...], Mapping[str, Any]]
) -> Iterator[RowDifference]:
    for key, sides in found.items():
        live, rebuilt = sides.get("live"), sides.get("rebuilt")
        named = dict(zip(table.key, key, strict=True))
        if live is not None and rebuilt is not None:
            columns = [c for c in table.column_names() if live[c] != rebuilt[c]]
            yield RowDifference(
                table.name,
                named,
                "changed",
                {c: live[c] for c in columns},
                {c: rebuilt[c] for c in columns},
            )
        elif live is not None:
            yield RowDifference(table.name, named, "extra", live=live)
        else:
            yield RowDifference(table.name, named, "missing", rebuilt=rebuilt)


def _position(tx: Tx, prefix: str, name: str, generation: int) -> int | None:
    row = tx.fetchone(
        f"SELECT position FROM {prefix}{TRACKING} WHERE name = ? AND generation = ?",  # noqa: S608
        (name, generation),
    )
    return None if row is None else int(row[0])


def _reread(engine: ProjectionEngine, shadow: Generation) -> Generation:
    return next(g for g in engine.generations(shadow.name) if g.generation == shadow.generation)


def _drop(engine: ProjectionEngine, projection: type[Projection], shadow: Generation) -> None:
    with engine.db.transaction() as tx:
        for statement in drop_statements(engine.prefix, projection, shadow.generation):
            tx.execute(statement)
        tx.execute(
            f"DELETE FROM {engine.prefix}{TRACKING} WHERE name = ? AND generation = ?",  # noqa: S608
            (shadow.name, shadow.generation),
        )
    engine._forget_rows([shadow])
    engine._states.pop(frozenset({(shadow.name, shadow.generation)}), None)


# The outcomes -----------------------------------------------------------------------------


def _record(engine: ProjectionEngine, result: ReadModelCheck) -> None:
    details = [
        {
            "table": d.table,
            "key": dict(d.key),
            "kind": d.kind,
            "live": None if d.live is None else dict(d.live),
            "rebuilt": None if d.rebuilt is None else dict(d.rebuilt),
        }
        for d in result.rows_differing
    ]
    with engine.db.transaction() as tx:
        tx.execute(
            f"INSERT INTO {engine.prefix}{CHECKS} (name, checked_at, generation, position, "  # noqa: S608
            "rows_compared, differences, details) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                result.name,
                result.checked_at.isoformat(),
                result.generation,
                result.position,
                result.rows,
                result.differences,
                json.dumps(details, default=str, sort_keys=True),
            ),
        )


def latest(engine: ProjectionEngine) -> list[ReadModelCheck]:
    """The newest check of each projection ever checked, in the projections' order."""
    with engine.db.reading() as tx:
        rows = tx.fetchall(
            f"SELECT c.name, c.checked_at, c.generation, c.position, c.rows_compared, "  # noqa: S608
            f"c.differences, c.details FROM {engine.prefix}{CHECKS} c JOIN "
            f"(SELECT name, MAX(checked_at) AS at FROM {engine.prefix}{CHECKS} GROUP BY name) m "
            "ON c.name = m.name AND c.checked_at = m.at"
        )
    by_name = {str(row[0]): _from_row(row) for row in rows}
    return [by_name[name] for name in engine.projections if name in by_name]


def _from_row(row: Sequence[Any]) -> ReadModelCheck:
    return ReadModelCheck(
        name=str(row[0]),
        checked_at=datetime.fromisoformat(str(row[1])),
        generation=int(row[2]),
        position=int(row[3]),
        rows=int(row[4]),
        differences=int(row[5]),
        rows_differing=[
            RowDifference(d["table"], d["key"], d["kind"], d["live"], d["rebuilt"])
            for d in json.loads(str(row[6]))
        ],
    )
