"""Reconciliation on the web: upload a national placement list, see who is on it but
unknown here, who departed here but is missing from it (the watch list: each row opens the
case, where an indication can be raised), and who is on both with fields that disagree.
Names on the page are read through the application, so each one is in the access log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from application.errors import Forbidden, NotFound
from application.reconciliation import Reconcile
from domain.errors import DomainError
from interfaces.http.deps import AppDep
from interfaces.http.errors import status_for
from interfaces.importing import reconciliation_body
from interfaces.web import text
from interfaces.web.render import render
from interfaces.web.routing import WebRoute
from interfaces.web.session import SessionDep, WebSession
from interfaces.web.uploads import UploadDep

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/reconciliations")
def new_reconciliation(request: Request, session: SessionDep) -> Response:
    return render(request, "reconciliations/new.html", session, {"message": None})


@router.post("/reconciliations")
def reconcile(request: Request, session: SessionDep, app: AppDep, sent: UploadDep) -> Response:
    if sent.content is None:
        message = text.t("imports.choose_file", session.lang)
        return render(
            request, "reconciliations/new.html", session, {"message": message}, status=422
        )
    try:
        result = app.reconcile(session.principal, Reconcile(content=sent.content))
    except DomainError as refused:
        if isinstance(refused, Forbidden):
            raise
        message = text.message_text(refused.code, refused.message, refused.params, session.lang)
        page = {"message": message}
        return render(
            request, "reconciliations/new.html", session, page, status=status_for(refused)
        )
    body = reconciliation_body(result, session.lang == "id")
    names = _names(app, session, body)
    return render(request, "reconciliations/show.html", session, {"r": body, "names": names})


def _names(app: AppDep, session: WebSession, body: dict[str, Any]) -> dict[str, str]:
    ids = {str(item["worker_id"]) for item in (*body["jejak_only"], *body["both"])}
    names = {}
    for worker_id in sorted(ids):
        try:
            names[worker_id] = app.get_worker(session.principal, UUID(worker_id)).full_name
        except NotFound:
            continue
    return names
