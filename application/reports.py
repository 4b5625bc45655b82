"""Reports for coordinators, read from projections: scoped to the caller's regions (never
beyond), paginated by key, each saying up to which event position it is current."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from application.base import JejakBase
from application.errors import InvalidCursor
from application.principal import Principal
from application.readmodels import Filter, Key, Page, Query, Row, within
from domain.events import Role
from domain.vocabularies import Stage

REPORT_ROLES = frozenset({Role.OFFICER, Role.COORDINATOR, Role.AUDITOR, Role.SYSTEM})


class ReportUseCases(JejakBase):
    def report(
        self,
        principal: Principal,
        projection: str,
        table: str,
        *,
        region: str | None,
        filters: Sequence[Filter] = (),
        order: Sequence[str] = (),
        after: Key | None = None,
        limit: int = 100,
        descending: bool = False,
    ) -> Page:
        """Rows of one read-model table within the caller's scope (and the region asked)."""
        principal.require_role(REPORT_ROLES, "read reports")
        conditions = scoped(principal, region, filters)
        return self.require_read_models().query(
            projection,
            Query(
                table=table,
                filters=conditions,
                order=order,
                after=after,
                limit=limit,
                descending=descending,
            ),
        )

    def _all_rows(self, projection: str, query: Query) -> tuple[list[Row], int]:
        """Every row a query matches (for small aggregate tables), with the position."""
        read_models = self.require_read_models()
        rows: list[Row] = []
        after: Key | None = None
        position = 0
        while True:
            page = read_models.query(projection, replace(query, after=after, limit=1000))
            rows.extend(page.rows)
            position = page.position
            if page.next_after is None:
                return rows, position
            after = page.next_after

    def stage_counts(
        self,
        principal: Principal,
        *,
        region: str | None,
        after: Key | None = None,
        limit: int | None = None,
    ) -> Page:
        """Journeys per stage in each region one level below the one asked (provinces for
        the whole country); a village is its own row."""
        principal.require_role(REPORT_ROLES, "read reports")
        codes = principal.scope_filter(region)
        def add(entry: Row, row: Row) -> None:
            entry[str(row["stage"])] += int(row["journeys"])
            entry["total"] += int(row["journeys"])

        zero = {**{stage.value: 0 for stage in Stage}, "total": 0}
        items, position = self.region_totals("journeys", "stage_counts", codes, (), zero, add)
        return page_of(items, ("region_code",), position, after, limit)

    def region_totals(
        self,
        projection: str,
        table: str,
        codes: Sequence[str],
        filters: Sequence[Filter],
        zero: Row,
        add: Callable[[Row, Row], None],
    ) -> tuple[list[Row], int]:
        """Counts of a table kept per region level (``region_code``, ``parent_code``,
        ``level``), summed for each region one level below ``codes`` (``child_regions``):
        each region starts from ``zero`` and ``add`` adds a row to it. By region code."""
        totals: dict[str, Row] = {}
        position = 0
        for condition in child_regions(codes):
            query = Query(table=table, filters=[condition, *filters])
            rows, position = self._all_rows(projection, query)
            for row in rows:
                code = str(row["region_code"])
                entry = totals.setdefault(
                    code,
                    {
                        "region_code": code,
                        "name": self.services.regions.name_of(code),
                        "level": row["level"],
                        **zero,
                    },
                )
                add(entry, row)
        return sorted(totals.values(), key=lambda item: str(item["region_code"])), position

    def destinations(
        self,
        principal: Principal,
        *,
        region: str | None,
        year: int | None,
        after: Key | None = None,
        limit: int | None = None,
    ) -> Page:
        """Departures per destination country (and year) within the region asked."""
        principal.require_role(REPORT_ROLES, "read reports")
        codes = principal.scope_filter(region)
        filters = [Filter("level", "=", 1)] if not codes else [Filter("region_code", "in", codes)]
        if year is not None:
            filters.append(Filter("year", "=", year))
        rows, position = self._all_rows("journeys", Query(table="destinations", filters=filters))
        totals: dict[tuple[int, str], int] = {}
        for row in rows:
            key = (int(row["year"]), str(row["destination_country"]))
            totals[key] = totals.get(key, 0) + int(row["departures"])
        items: list[Row] = [
            {"year": y, "destination_country": country, "departures": count}
            for (y, country), count in totals.items()
            if count
        ]
        items.sort(
            key=lambda item: (
                -int(item["year"]),
                -int(item["departures"]),
                str(item["destination_country"]),
            )
        )
        return page_of(items, ("year", "destination_country"), position, after, limit)


def scoped(
    principal: Principal, region: str | None, filters: Sequence[Filter] = ()
) -> list[Filter]:
    """``filters`` and the region condition of a read: the region asked, never beyond the
    caller's scope (nothing at all for a scope of nothing: fail closed)."""
    scope = principal.scope_filter(region)
    conditions = list(filters)
    if scope or not principal.is_national:
        conditions.append(within(scope))
    return conditions


def child_regions(codes: Sequence[str]) -> list[Filter]:
    """Conditions on a table of counts per region level (``region_code``, ``parent_code``)
    that pick the regions one level below each of ``codes`` (provinces for none), a
    village being its own row."""
    if not codes:
        return [Filter("parent_code", "=", "")]
    villages = [c for c in codes if c.count(".") == 3]
    above = [c for c in codes if c.count(".") < 3]
    conditions = []
    if above:
        conditions.append(Filter("parent_code", "in", above))
    if villages:
        conditions.append(Filter("region_code", "in", villages))
    return conditions


def page_of(
    items: list[Row], key: Sequence[str], position: int, after: Key | None, limit: int | None
) -> Page:
    """A page of a report summed in memory (a few hundred rows at most), in its own order:
    ``after`` is the key of the last row of the previous page."""
    start = 0
    if after is not None:
        keys = [tuple(item[column] for column in key) for item in items]
        try:
            start = keys.index(tuple(after)) + 1
        except ValueError:
            raise InvalidCursor() from None
    end = len(items) if limit is None else start + limit
    rows = items[start:end]
    more = end < len(items) and bool(rows)
    next_after = tuple(rows[-1][column] for column in key) if more else None
    return Page(rows=rows, position=position, next_after=next_after)
