"""The routes added after issue 16 (the agenda and its rules, digests' addresses, transfers,
the service directory, referrals, imports, reconciliation, possible duplicates, scans, the
offline app) keep its rule, through the real app on both backends: a refusal never repeats a
key the client chose or a NIK sent where it does not belong, in a body, a multipart form, a
query or a path."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.casework import Casework, casework
from tests.scan_samples import contract_pdf
from tests.spreadsheets import WORKER_HEADER, csv_file
from tests.support import document_body, nik_for
from tests.web import Person

NIK = nik_for(date(1987, 11, 23), "L", serial=8123)
Call = tuple[str, str, dict[str, Any]]


@pytest.fixture
def work(client: TestClient, app_runtime: Runtime) -> Casework:
    return casework(client, app_runtime)


def calls(work: Casework) -> list[Call]:
    worker, journey = work.journey()
    path = f"/v1/journeys/{journey}"
    work.post("petugas", f"{path}/documents", document_body("health_certificate"))
    agency = work.post("koordinator.malang", "/v1/agencies",
                       {"name": "Disnaker", "kind": "disnaker", "region_code": "35.07"})  # fmt: skip
    consent = {"given": True, "by": "worker", "on": "2024-05-01"}
    referral = {"service": "wage_claim", "agency_id": agency["agency_id"], "reason": "Gaji",
                "consent": consent}  # fmt: skip
    work.post("petugas", f"{path}/referrals", referral)
    moving, _ = work.journey()
    transfer = work.transfer("petugas", moving)["transfer_id"]
    file = {"file": ("data.csv", csv_file([WORKER_HEADER]), "text/csv")}
    return [
        ("POST", f"/v1/workers/{worker}/transfers",
         {"json": {"to_village_code": NIK, "reason": "x", NIK: 1}}),
        ("POST", f"/v1/workers/{moving}/transfers/{transfer}/decline", {"json": {NIK: NIK}}),
        ("POST", "/v1/agencies",
         {"json": {"name": "X", "kind": NIK, "region_code": NIK, NIK: "x"}}),
        ("POST", f"{path}/referrals",
         {"json": {**referral, "consent": {**consent, NIK: True}, NIK: 1}}),
        ("POST", f"{path}/referrals",
         {"json": {**referral, "agency_id": NIK, "external_agency": {"name": "X", NIK: 1}}}),
        ("POST", f"{path}/referrals/1/outcome", {"json": {"outcome": NIK, NIK: 1}}),
        ("PUT", "/v1/agenda/rules", {"json": {"rules": {NIK: {"days": 1}}, "reason": "x"}}),
        ("PUT", "/v1/agenda/rules",
         {"json": {"rules": {"welfare_check": {NIK: 1}}, "reason": "x"}}),
        ("PUT", "/v1/me/notifications", {"json": {"email": NIK, "phone": NIK, NIK: 1}}),
        ("POST", "/v1/duplicates/not-same-person",
         {"json": {"worker_ids": [NIK, worker], "reason": "x", NIK: 1}}),
        ("POST", "/v1/imports", {"files": file, "data": {"kind": NIK, NIK: NIK}}),
        ("POST", "/v1/reconciliations", {"files": file, "data": {"region": NIK}}),
        ("GET", "/v1/agenda", {"params": {"kind": NIK, "region": NIK, "as_of": NIK}}),
        ("GET", "/v1/transfers", {"params": {"direction": NIK, "status": NIK}}),
        ("GET", "/v1/reports/referrals", {"params": {"status": NIK, "region": NIK}}),
        ("GET", "/v1/agencies", {"params": {"kind": NIK, "region": NIK}}),
        ("GET", f"/v1/imports/templates/{NIK}", {}),
        ("GET", f"/v1/imports/{NIK}", {}),
        ("GET", f"{path}/documents/{NIK}/scan", {}),
        ("PUT", f"{path}/documents/1/scan",
         {"files": {"file": ("scan.pdf", contract_pdf(), NIK)}}),
        ("GET", f"/offline/{NIK}", {}),
    ]  # fmt: skip


def test_refusals_of_the_newer_routes_repeat_no_key_and_no_nik(work: Casework) -> None:
    sent = calls(work)
    answered = []
    for method, path, kwargs in sent:
        headers = work["admin" if "agenda/rules" in path else "koordinator.malang"]
        if path.startswith(("/v1/journeys", "/v1/imports")):
            headers = work["petugas"]
        for language in ("en", "id"):
            response = work.client.request(
                method, path, headers={**headers, "Accept-Language": language}, **kwargs
            )
            assert 400 <= response.status_code < 500, (method, path, response.text)
            assert NIK[:12] not in response.text, (method, path, response.text)
            answered.append(response.status_code)
    assert len(answered) == 2 * len(sent)


def test_the_newer_pages_repeat_no_nik_from_their_address(work: Casework) -> None:
    _, journey = work.journey()
    officer = Person(work.client)
    officer.login("petugas")
    for path in (
        f"/journeys/{journey}/referrals/{NIK}/letter",
        f"/journeys/{journey}/documents/{NIK}/scan/thumbnail",
        f"/workers/{NIK}/transfer",
        f"/imports/{NIK}",
        f"/agenda?region={NIK}&as_of={NIK}",
        f"/transfers?direction={NIK}",
        f"/agencies?region={NIK}&kind={NIK}",
        f"/agencies/{NIK}",
    ):
        page = officer.get(path)
        assert page.status_code < 500, (path, page.status_code)  # the inbox ignores it: 200
        # The language switch links back to the address the person typed; nothing else may.
        shown = re.sub(r'href="/language/[^"]*"', "", page.text)
        assert NIK[:12] not in shown, path
