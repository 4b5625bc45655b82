""" "Tugas hari ini": an officer's first page, and any village's list for coordinators.

Three lists (overdue, due this week, upcoming) from ``app.agenda``, the same use case and
scope as ``GET /v1/agenda``. Each row names the worker, read through ``app.get_worker`` as
the workers page does (every name shown is in the access log), and links straight to the
form on the case page that settles it (``?open=`` opens that form). Auditors read the agenda
as it stood at the end of any past day, under the rules then in force."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from application.app import JejakApplication
from application.errors import NotFound
from application.readmodels import Key, Page, Row
from domain.agenda import SETTLED_BY
from domain.agenda_rules import AgendaKind, AgendaStatus
from domain.journey import JourneyAction
from interfaces.downloads import agenda_subject, csv_response
from interfaces.http.deps import AppDep
from interfaces.http.reporting import decode_cursor, encode_cursor
from interfaces.http.routes.agenda import AGENDA_COLUMNS, iso_row
from interfaces.web import text
from interfaces.web.journey_forms import ACTION_FORMS
from interfaces.web.pages import can_record
from interfaces.web.render import render
from interfaces.web.routing import WebRoute
from interfaces.web.session import SessionDep, WebSession

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Region = Annotated[str | None, Query(pattern=r"^(\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)?$")]
Day = Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")]
Cursor = Annotated[str | None, Query(max_length=500)]
#: How many rows each list shows on the first page (the rest one click away).
SHOWN = {AgendaStatus.OVERDUE: 25, AgendaStatus.DUE: 25, AgendaStatus.UPCOMING: 10}
PAGE_SIZE = 50
MAX_CSV_ROWS = 20_000


@router.get("/agenda")
def agenda_page(
    request: Request,
    session: SessionDep,
    app: AppDep,
    region: Region = None,
    as_of: Day = None,
    status: AgendaStatus | None = None,
    after: Cursor = None,
) -> Response:
    """The three lists, or one of them page by page (``status``)."""
    day = _day(as_of)
    principal = session.principal
    rules, _ = app.get_agenda_rules(principal, day)
    names: dict[str, str] = {}
    if status is not None:
        pages = {
            status: app.agenda(
                principal,
                region=region or None,
                status=status,
                as_of=day,
                after=decode_cursor(after),
                limit=PAGE_SIZE,
            )
        }
    else:
        pages = app.agenda_lists(principal, SHOWN, region=region or None, as_of=day)
    lists = {
        which.value: {
            "rows": [_row(app, session, row, day, names) for row in page.rows],
            "next": encode_cursor(page.next_after),
        }
        for which, page in pages.items()
    }
    position = max(page.position for page in pages.values())
    return render(
        request,
        "agenda/index.html",
        session,
        {
            "lists": lists,
            "single": status.value if status is not None else None,
            "first_page": after is None,
            "region": region or "",
            "as_of": day,
            "rules_version": rules.version,
            "villages": _villages(app, session, region, day),
            "position": position,
            "query": _query(region, day),
            "today": app.services.clock.today().isoformat(),
        },
    )


@router.get("/agenda.csv")
def download(
    request: Request,
    session: SessionDep,
    app: AppDep,
    region: Region = None,
    as_of: Day = None,
    status: AgendaStatus | None = None,
) -> Response:
    """Every item of the list (ids, dates and the items' words: no names), as a spreadsheet
    in the page's language (``interfaces.downloads``)."""
    day = _day(as_of)
    rows: list[Row] = []
    after: Key | None = None
    position = 0
    while len(rows) < MAX_CSV_ROWS:
        page = app.agenda(
            session.principal,
            region=region or None,
            status=status,
            as_of=day,
            after=after,
            limit=1000,
        )
        rows.extend(page.rows)
        position = max(position, page.position)
        if page.next_after is None:
            break
        after = page.next_after
    app.log_access(session.principal, "export", None)
    items = [iso_row(row, AGENDA_COLUMNS) for row in rows[:MAX_CSV_ROWS]]
    suffix = (region or "all").replace(".", "-")
    return csv_response(
        items,
        AGENDA_COLUMNS,
        f"jejak-agenda-{suffix}.csv",
        {"X-Jejak-Position": str(position), "Cache-Control": "no-store"},
        lang=session.lang,
    )


def overdue_by_village(app: JejakApplication, session: WebSession, region: str | None) -> Page:
    """The dashboard's table: villages with the most overdue items first."""
    page = app.agenda_summary(session.principal, region=region, per_village=True)
    rows = sorted(page.rows, key=lambda r: (-int(r["overdue"]), str(r["region_code"])))
    return Page(rows=rows, position=page.position)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _query(region: str | None, day: date | None) -> str:
    parts = []
    if region:
        parts.append(f"region={region}")
    if day is not None:
        parts.append(f"as_of={day.isoformat()}")
    return "&".join(parts)


def _villages(
    app: JejakApplication, session: WebSession, region: str | None, day: date | None
) -> list[dict[str, Any]]:
    """Villages with items in the caller's scope, for the list of villages to open (a
    one-village officer has none to choose from)."""
    principal = session.principal
    if len(principal.regions) == 1 and principal.regions[0].value.count(".") == 3:
        return []
    page = app.agenda_summary(principal, region=None, as_of=day, per_village=True)
    return [
        {
            "code": row["region_code"],
            "name": row["name"] or row["region_code"],
            "overdue": row["overdue"],
            "selected": row["region_code"] == region,
        }
        for row in page.rows
    ]


def _row(
    app: JejakApplication,
    session: WebSession,
    row: Row,
    day: date | None,
    names: dict[str, str],
) -> dict[str, Any]:
    lang = session.lang
    worker = str(row["worker_id"])
    if worker not in names:
        names[worker] = _name(app, session, worker)
    anchor = text.format_date(row["anchor_on"], lang)
    return {
        **row,
        "name": names[worker],
        "task": text.t(f"agenda.kind.{row['kind']}", lang),
        "subject_label": agenda_subject(str(row["subject"] or ""), lang),
        "why": text.t(f"agenda.reason.{row['reason']}", lang, date=anchor),
        "grace_until": row["due_on"] + timedelta(days=int(row["grace_days"])),
        "link": _link(session, row, day),
        "action_title": _action_title(row, lang),
    }


def _name(app: JejakApplication, session: WebSession, worker_id: str) -> str:
    """The worker's name, read (and access-logged) once per page."""
    try:
        worker = app.get_worker(session.principal, UUID(worker_id))
    except NotFound:
        return text.t("agenda.erased", session.lang)
    return str(worker.full_name)


def _form(row: Row) -> str | None:
    """The id of the case page's form that settles the item (``incident-resolution-2``)."""
    action: JourneyAction | None = SETTLED_BY.get(AgendaKind(str(row["kind"])))
    if action is None:
        return None
    if action in (JourneyAction.RESOLVE_INCIDENT, JourneyAction.RESOLVE_INDICATION):
        return f"{ACTION_FORMS[action].segment}-{str(row['subject']).partition(':')[2]}"
    return ACTION_FORMS[action].segment


def _link(session: WebSession, row: Row, day: date | None) -> str:
    base = f"/journeys/{row['journey_id']}"
    if day is not None:
        return f"{base}?as_of={day.isoformat()}"
    form = _form(row)
    if form is None or not can_record(session.principal):
        return base
    return f"{base}?open={form}#form-{form}"


def _action_title(row: Row, lang: str) -> str:
    action = SETTLED_BY.get(AgendaKind(str(row["kind"])))
    if action is None:
        return text.t("agenda.open_case", lang)
    number = str(row["subject"] or "").partition(":")[2]
    return text.t(f"action.{ACTION_FORMS[action].segment}.title", lang, number=number)
