"""Queries over the agenda read model (``application/projections/agenda.py``).

Due dates are computed in the query: the anchor's day number plus the offset of the item's
rule in the version asked, so rules can change without a row being rewritten. The figures
come from validated rule versions (whole numbers; rule and kind names from the fixed table
of ``domain.agenda_rules``) and are written into the SQL as literals, which keeps the
statement short and lets both backends plan it once per version."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from application.agenda import AgendaQuery, RegionCounts
from application.errors import InvalidCursor
from application.readmodels import REGION_LEVEL_COLUMNS, Page
from domain.agenda_rules import DUE_SOON_DAYS, AgendaStatus
from infrastructure.db import Tx
from infrastructure.projections.runner import ProjectionEngine
from infrastructure.projections.schema import TRACKING, table_name

PROJECTION = "agenda"
MAX_LIMIT = 1000
_NAME = re.compile(r"^[a-z_.]{1,64}$")
_COLUMNS = (
    "journey_id",
    "worker_id",
    "province_code",
    "regency_code",
    "district_code",
    "village_code",
    "item",
    "kind",
    "rule",
    "anchor_day",
    "reason",
    "subject",
)


class AgendaStore:
    def __init__(self, engine: ProjectionEngine) -> None:
        self.engine = engine

    def items(self, query: AgendaQuery) -> Page:
        return self.lists([query])[0]

    def lists(self, queries: Sequence[AgendaQuery]) -> list[Page]:
        """Pages of several queries, read together in one transaction (a page of the web
        interface shows three lists)."""
        with self.engine.db.reading() as tx:
            active = self._active(tx)
            if active is None:
                return [Page(rows=[], position=0) for _ in queries]
            tables, position = active
            return [_page(tx, tables, query, position) for query in queries]

    def summary(self, query: AgendaQuery, group: str) -> tuple[list[RegionCounts], int]:
        if group not in REGION_LEVEL_COLUMNS:
            msg = f"not a region column: {group}"
            raise ValueError(msg)
        with self.engine.db.reading() as tx:
            active = self._active(tx)
            if active is None:
                return [], 0
            tables, position = active
            source, params = _source(tables, query)
            found = tx.fetchall(_summary_sql(source, group, query.day.toordinal()), params)
        day = query.day.toordinal()
        counts = [
            RegionCounts(
                region_code=str(row[0]),
                overdue=int(row[1] or 0),
                due=int(row[2] or 0),
                upcoming=int(row[3] or 0),
                oldest_overdue_day=None if row[4] is None else int(row[4]),
                most_overdue_days=None if row[5] is None else day - int(row[5]),
            )
            for row in found
        ]
        return counts, position

    def _active(self, tx: Tx) -> tuple[tuple[str, str, str], int] | None:
        """The active generation's journeys, items and history tables, and its position,
        read in the query's own transaction (so they agree with the rows it reads)."""
        prefix = self.engine.prefix
        row = tx.fetchone(
            f"SELECT generation, position FROM {prefix}{TRACKING} "  # noqa: S608
            "WHERE name = ? AND state = 'active'",
            (PROJECTION,),
        )
        if row is None:
            return None
        generation, position = int(row[0]), int(row[1])

        def name(table: str) -> str:
            return f"{prefix}{table_name(PROJECTION, generation, table)}"

        return (name("journeys"), name("items"), name("history")), position


def _summary_sql(source: str, group: str, day: int) -> str:
    """Counts per region: overdue, due, upcoming, the oldest overdue due date and the
    earliest end of grace among the overdue (the most days overdue)."""
    late = f"due_day + grace < {day}"
    soon = f"due_day + grace >= {day} AND due_day <= {day + DUE_SOON_DAYS}"
    return (
        f"SELECT {group}, "  # noqa: S608
        f"SUM(CASE WHEN {late} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {soon} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN due_day > {day + DUE_SOON_DAYS} THEN 1 ELSE 0 END), "
        f"MIN(CASE WHEN {late} THEN due_day END), "
        f"MIN(CASE WHEN {late} THEN due_day + grace END) "
        f"FROM ({source}) agenda GROUP BY {group} ORDER BY {group}"
    )


def _page(tx: Tx, tables: tuple[str, str, str], query: AgendaQuery, position: int) -> Page:
    source, params = _source(tables, query)
    where, where_params = _status(query)
    if query.after is not None:
        where.append("(due_day, journey_id, item) > (?, ?, ?)")
        where_params.extend(_cursor(query.after))
    limit = max(1, min(query.limit, MAX_LIMIT))
    sql = (
        f"SELECT {', '.join(_COLUMNS)}, due_day, grace FROM ({source}) agenda"  # noqa: S608
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " ORDER BY due_day, journey_id, item LIMIT ?"
    )
    found = tx.fetchall(sql, [*params, *where_params, limit + 1])
    names = (*_COLUMNS, "due_day", "grace")
    rows = [dict(zip(names, row, strict=True)) for row in found[:limit]]
    next_after = None
    if len(found) > limit and rows:
        last = rows[-1]
        next_after = (int(last["due_day"]), str(last["journey_id"]), str(last["item"]))
    return Page(rows=rows, position=position, next_after=next_after)


def _source(tables: tuple[str, str, str], query: AgendaQuery) -> tuple[str, list[Any]]:
    """Every item of the scope (as known at the end of ``as_of``, when asked), each with its
    due day and grace under the rules of the query."""
    journeys, items, history = tables
    live_region, live_params = _region("j", query.regions)
    live = (
        "SELECT i.journey_id, j.worker_id, j.province_code, j.regency_code, j.district_code, "  # noqa: S608
        "j.village_code, i.item, i.kind, i.rule, i.anchor_day, i.reason, i.subject "
        f"FROM {items} i JOIN {journeys} j ON j.journey_id = i.journey_id WHERE {live_region}"
    )
    params: list[Any] = list(live_params)
    if query.kind is not None:
        live += " AND i.kind = ?"
        params.append(query.kind)
    union = live
    if query.as_of is not None:
        day = query.as_of.toordinal()
        live += " AND i.since_day <= ?"
        params.append(day)
        past_region, past_params = _region("h", query.regions)
        past = (
            f"SELECT {', '.join('h.' + c for c in _COLUMNS)} FROM {history} h "  # noqa: S608
            f"WHERE {past_region} AND h.since_day <= ? AND h.until_day > ?"
        )
        params.extend([*past_params, day, day])
        if query.kind is not None:
            past += " AND h.kind = ?"
            params.append(query.kind)
        union = f"{live} UNION ALL {past}"
    due = _case("rule", query.offsets)
    grace = _case("kind", query.graces)
    sql = (
        f"SELECT src.*, src.anchor_day + {due} AS due_day, {grace} AS grace "  # noqa: S608
        f"FROM ({union}) src"
    )
    return sql, params


def _case(column: str, figures: Mapping[str, int]) -> str:
    branches = []
    for name, value in sorted(figures.items()):
        if not _NAME.fullmatch(name):
            msg = f"not a rule name: {name!r}"
            raise ValueError(msg)
        branches.append(f"WHEN '{name}' THEN {int(value)}")
    return f"(CASE src.{column} {' '.join(branches)} ELSE 0 END)"


def _region(alias: str, regions: tuple[str, ...] | None) -> tuple[str, list[str]]:
    """Rows under any of the codes (each compared by equality on its level's column, which
    plain indexes serve); no codes, no rows; None, the whole country."""
    if regions is None:
        return "1 = 1", []
    if not regions:
        return "1 = 0", []
    by_level: dict[str, list[str]] = {}
    for code in regions:
        by_level.setdefault(REGION_LEVEL_COLUMNS[code.count(".")], []).append(code)
    parts = [
        f"{alias}.{column} IN ({', '.join('?' for _ in codes)})"
        for column, codes in by_level.items()
    ]
    params = [code for codes in by_level.values() for code in codes]
    return "(" + " OR ".join(parts) + ")", params


def _status(query: AgendaQuery) -> tuple[list[str], list[Any]]:
    day = query.day.toordinal()
    if query.status is AgendaStatus.OVERDUE:
        return ["due_day + grace < ?"], [day]
    if query.status is AgendaStatus.DUE:
        return ["due_day + grace >= ?", "due_day <= ?"], [day, day + DUE_SOON_DAYS]
    if query.status is AgendaStatus.UPCOMING:
        return ["due_day > ?"], [day + DUE_SOON_DAYS]
    return [], []


def _cursor(after: Sequence[Any]) -> list[Any]:
    """A cursor of this report: (due day, journey id, item)."""
    if (
        len(after) != 3
        or isinstance(after[0], bool)
        or not isinstance(after[0], int)
        or not all(isinstance(v, str) for v in after[1:])
    ):
        raise InvalidCursor()
    return [after[0], after[1], after[2]]
