"""Reconciliation with a national placement list (SPEC §9)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile

from application.reconciliation import Reconcile
from interfaces.http.deps import AppDep, PrincipalDep
from interfaces.http.i18n import wants_indonesian
from interfaces.http.schemas.imports import ReconciliationView
from interfaces.importing import reconciliation_body

router = APIRouter(prefix="/v1", tags=["imports"])


@router.post("/reconciliations", response_model=ReconciliationView)
def reconcile(
    request: Request,
    principal: PrincipalDep,
    app: AppDep,
    file: Annotated[
        UploadFile,
        File(description="CSV or XLSX: NIK, Nama, Tanggal Berangkat, Negara Tujuan, P3MI"),
    ],
    region: Annotated[str | None, Form(max_length=13, pattern=r"^[0-9.]+$")] = None,
    departed_since: Annotated[date | None, Form()] = None,
    departed_until: Annotated[date | None, Form()] = None,
) -> ReconciliationView:
    """Three lists, within your scope (or ``region``): ``national_only`` (rows of the list
    unknown to Jejak here), ``jejak_only`` (journeys departed within the list's dates and
    absent from it: candidate non-procedural departures) and ``both`` (with the fields that
    disagree). Matched by the keyed NIK index; the file is not kept; the answer names Jejak
    ids and the list's row numbers, never a NIK or a name."""
    command = Reconcile(
        content=file.file.read(),
        region=region,
        departed_since=departed_since,
        departed_until=departed_until,
    )
    result = app.reconcile(principal, command)
    indonesian = wants_indonesian(request.headers.get("accept-language"))
    return ReconciliationView.model_validate(reconciliation_body(result, indonesian))
