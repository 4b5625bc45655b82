"""The coordinators' dashboard: where a regency's villagers are and who needs help.

Every table is one of the API's reports (``app.report``, ``app.stage_counts``,
``app.destinations``: the same read models and scope as ``/v1/reports/*``), drawn as a chart
where a chart helps, and downloadable as CSV. Filters (region, year, how long a returnee has
waited) live in the URL, so a view can be bookmarked or sent to a colleague."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from application.app import JejakApplication
from application.errors import NotFound
from application.readmodels import Filter, Key, Page, Row
from domain.events import Role
from domain.vocabularies import Stage
from interfaces.downloads import csv_response
from interfaces.http.deps import AppDep
from interfaces.http.reporting import shaped
from interfaces.http.routes.agenda import SUMMARY_COLUMNS
from interfaces.http.routes.reports import (
    COOPERATIVE_COLUMNS,
    DESTINATION_COLUMNS,
    INCIDENT_COLUMNS,
    JOURNEY_COLUMNS,
    PILLAR_COLUMNS,
    STAGE_COUNT_COLUMNS,
)
from interfaces.web import text
from interfaces.web.agenda import overdue_by_village
from interfaces.web.render import render
from interfaces.web.routing import WebRoute
from interfaces.web.session import SessionDep, WebSession

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Region = Annotated[str | None, Query(pattern=r"^(\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)?$")]
#: A GET form sends an unchosen year as ``year=``: read it as "every year", not an error.
Year = Annotated[str | None, Query(max_length=4, pattern=r"^(\d{4})?$")]
Days = Annotated[int, Query(ge=0, le=3650)]
#: Most rows one table shows on the page (the CSV has them all, up to ``MAX_CSV_ROWS``).
SHOWN = 25
MAX_CSV_ROWS = 20_000
DASHBOARD_ROLES = (Role.COORDINATOR, Role.AUDITOR, Role.OFFICER)


@dataclass(frozen=True)
class Filters:
    region: str | None
    year: int | None
    older_than_days: int

    def query(self) -> str:
        parts = []
        if self.region:
            parts.append(f"region={self.region}")
        if self.year:
            parts.append(f"year={self.year}")
        parts.append(f"older_than_days={self.older_than_days}")
        return "&".join(parts)


Fetch = Callable[[JejakApplication, WebSession, Filters, Key | None, int], Page]


@dataclass(frozen=True)
class Report:
    """One table of the dashboard: how to read a page of it, and its CSV columns."""

    fetch: Fetch
    columns: Sequence[str]
    paged: bool = True


def _journeys(
    conditions: Callable[[JejakApplication, Filters], list[Filter]], order: tuple[str, ...]
) -> Fetch:
    def fetch(
        app: JejakApplication, s: WebSession, f: Filters, after: Key | None, limit: int
    ) -> Page:
        return app.report(
            s.principal,
            "journeys",
            "journeys",
            region=f.region,
            filters=conditions(app, f),
            order=order,
            after=after,
            limit=limit,
        )

    return fetch


def _backlog(app: JejakApplication, f: Filters) -> list[Filter]:
    cutoff = app.services.clock.today() - timedelta(days=f.older_than_days)
    return [Filter("last_help_on", "not_null"), Filter("last_help_on", "<", cutoff)]


def _incidents(
    app: JejakApplication, s: WebSession, f: Filters, after: Key | None, limit: int
) -> Page:
    return app.report(
        s.principal,
        "journeys",
        "incidents",
        region=f.region,
        filters=[Filter("status", "=", "open")],
        order=("reported_on", "journey_id", "incident_id"),
        after=after,
        limit=limit,
    )


def _cooperatives(
    app: JejakApplication, s: WebSession, f: Filters, after: Key | None, limit: int
) -> Page:
    return app.report(
        s.principal,
        "cooperatives",
        "cooperatives",
        region=f.region,
        order=("village_code", "cooperative_id"),
        after=after,
        limit=limit,
    )


def _pillars(
    app: JejakApplication, s: WebSession, f: Filters, after: Key | None, limit: int
) -> Page:
    return app.report(
        s.principal,
        "pillar_activity",
        "activity",
        region=f.region,
        filters=[Filter("year", "=", f.year)] if f.year else [],
        order=("village_code", "month", "pillar"),
        after=after,
        limit=limit,
    )


def _stage_counts(
    app: JejakApplication, s: WebSession, f: Filters, after: Key | None, limit: int
) -> Page:
    return app.stage_counts(s.principal, region=f.region)


def _destinations(
    app: JejakApplication, s: WebSession, f: Filters, after: Key | None, limit: int
) -> Page:
    return app.destinations(s.principal, region=f.region, year=f.year)


def _agenda(
    app: JejakApplication, s: WebSession, f: Filters, after: Key | None, limit: int
) -> Page:
    return overdue_by_village(app, s, f.region)


REPORTS: dict[str, Report] = {
    "agenda-summary": Report(_agenda, SUMMARY_COLUMNS, paged=False),
    "stage-counts": Report(_stage_counts, STAGE_COUNT_COLUMNS, paged=False),
    "destinations": Report(_destinations, DESTINATION_COLUMNS, paged=False),
    "non-procedural": Report(
        _journeys(lambda app, f: [Filter("non_procedural", "=", True)], ("journey_id",)),
        JOURNEY_COLUMNS,
    ),
    "reintegration-backlog": Report(
        _journeys(_backlog, ("last_help_on", "journey_id")), JOURNEY_COLUMNS
    ),
    "incidents": Report(_incidents, INCIDENT_COLUMNS),
    "cooperatives": Report(_cooperatives, COOPERATIVE_COLUMNS),
    "pillar-activity": Report(_pillars, PILLAR_COLUMNS),
}


@router.get("/dashboard")
def dashboard(
    request: Request,
    session: SessionDep,
    app: AppDep,
    region: Region = None,
    year: Year = None,
    older_than_days: Days = 30,
) -> Response:
    filters = _filters(session, region, year, older_than_days)
    tables: dict[str, Page] = {
        name: report.fetch(app, session, filters, None, SHOWN + 1)
        for name, report in REPORTS.items()
    }
    stage_rows = tables["stage-counts"].rows
    totals = {stage.value: sum(int(r[stage.value]) for r in stage_rows) for stage in Stage}
    lang = session.lang
    charts = {
        "stages": {
            "labels": [str(r["name"] or r["region_code"]) for r in stage_rows],
            "datasets": [
                {
                    "label": text.label("stage", s.value, lang),
                    "data": [int(r[s.value]) for r in stage_rows],
                    "stage": s.value,
                }
                for s in Stage
            ],
        },
        "destinations": _destination_chart(tables["destinations"].rows, lang),
        "pillars": _pillar_chart(_pillars(app, session, filters, None, 1000).rows, lang),
    }
    return render(
        request,
        "dashboard/index.html",
        session,
        {
            "filters": filters,
            "regions": _region_choices(app, session, stage_rows, filters.region),
            "tables": {name: page.rows[:SHOWN] for name, page in tables.items()},
            "more": {
                name: len(page.rows) > SHOWN or page.next_after is not None
                for name, page in tables.items()
                if REPORTS[name].paged
            },
            "totals": totals,
            "position": max(page.position for page in tables.values()),
            # Inside <script type="application/json">: no "<" may close the element early.
            "charts_json": json.dumps(charts, ensure_ascii=False).replace("<", "\\u003c"),
            "days_since": lambda day: _days_since(app, day),
            "years": list(range(app.services.clock.today().year, 2015, -1)),
        },
    )


@router.get("/dashboard/{name}.csv")
def download(
    name: str,
    request: Request,
    session: SessionDep,
    app: AppDep,
    region: Region = None,
    year: Year = None,
    older_than_days: Days = 30,
) -> Response:
    """The whole table behind a dashboard section, with the page's filters, as a spreadsheet
    in the page's language (``interfaces.downloads``: words, BOM, ``;`` in Indonesian)."""
    report = REPORTS.get(name)
    if report is None:
        raise NotFound(what="report")
    filters = _filters(session, region, year, older_than_days)
    rows: list[Row] = []
    after: Key | None = None
    position = 0
    while True:
        page = report.fetch(app, session, filters, after, 1000)
        rows.extend(page.rows)
        position = max(position, page.position)
        if not report.paged or page.next_after is None or len(rows) >= MAX_CSV_ROWS:
            break
        after = page.next_after
    items = shaped(Page(rows=rows[:MAX_CSV_ROWS], position=position), report.columns)
    app.log_access(session.principal, "export", None)
    suffix = (filters.region or "all").replace(".", "-")
    return csv_response(
        items,
        report.columns,
        f"jejak-{name}-{suffix}.csv",
        {"X-Jejak-Position": str(position), "Cache-Control": "no-store"},
        lang=session.lang,
    )


def _filters(session: WebSession, region: str | None, year: str | None, days: int) -> Filters:
    chosen = int(year) if year and 2000 <= int(year) <= 2200 else None
    return Filters(region=region or _default_region(session), year=chosen, older_than_days=days)


def _days_since(app: JejakApplication, day: object) -> str:
    if day is None:
        return ""
    value = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
    return str((app.services.clock.today() - value).days)


def _default_region(session: WebSession) -> str | None:
    regions = session.principal.regions
    return regions[0].value if len(regions) == 1 else None


def _region_choices(
    app: JejakApplication, session: WebSession, stage_rows: list[Row], current: str | None
) -> list[dict[str, str]]:
    """The caller's own regions, the region shown and its parts one level down."""
    codes: list[str] = [code.value for code in session.principal.regions]
    if current and current not in codes:
        codes.append(current)
    codes.extend(str(row["region_code"]) for row in stage_rows)
    top = min((code.count(".") for code in codes), default=0)
    seen: dict[str, dict[str, str]] = {}
    for code in codes:
        if code not in seen:
            indent = "— " * (code.count(".") - top)  # parts under a region read as such
            name = app.village_name(code) or code
            seen[code] = {"value": code, "label": f"{indent}{name} ({code})"}
    return sorted(seen.values(), key=lambda c: c["value"])


def _destination_chart(rows: list[Row], lang: str) -> dict[str, Any]:
    """Departures per year for the most common destinations (the rest together)."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[str(row["destination_country"])] = totals.get(
            str(row["destination_country"]), 0
        ) + int(row["departures"])
    top = [code for code, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:6]]
    years = sorted({int(row["year"]) for row in rows})
    series: dict[str, dict[int, int]] = {code: {} for code in [*top, "other"]}
    for row in rows:
        code = str(row["destination_country"])
        key = code if code in top else "other"
        series[key][int(row["year"])] = series[key].get(int(row["year"]), 0) + int(
            row["departures"]
        )
    datasets = [
        {
            "label": text.country_name(code, lang)
            if code != "other"
            else text.t("dashboard.other", lang),
            "data": [series[code].get(y, 0) for y in years],
        }
        for code in [*top, "other"]
        if series[code]
    ]
    return {"labels": [str(y) for y in years], "datasets": datasets}


def _pillar_chart(rows: list[Row], lang: str) -> dict[str, Any]:
    months = sorted({str(row["month"]) for row in rows})
    pillars = sorted({str(row["pillar"]) for row in rows})
    data = {p: dict.fromkeys(months, 0) for p in pillars}
    for row in rows:
        data[str(row["pillar"])][str(row["month"])] += int(row["activities"])
    return {
        "labels": months,
        "datasets": [
            {"label": text.t(f"pillar.{p}", lang), "data": [data[p][m] for m in months]}
            for p in pillars
        ],
    }
