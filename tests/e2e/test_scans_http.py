"""Scanned documents through the real app, on SQLite and PostgreSQL: upload, replace and
read back, what is refused, who may see them, tampering found by verification, erasure."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from PIL import ExifTags, Image

from infrastructure.bootstrap import Runtime
from interfaces import cli
from tests import rawdb
from tests.scan_samples import (
    CAMERA_MAKE,
    contract_pdf,
    phone_photo,
    png_bomb,
    scanned_png,
)
from tests.support import (
    OTHER_VILLAGE,
    VILLAGE,
    create_user,
    document_body,
    journey_body,
    login,
    worker_body,
)

Headers = dict[str, str]


@pytest.fixture
def people(client: TestClient, app_runtime: Runtime) -> dict[str, Headers]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,))
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "admin", "admin")
    names = ("petugas.ternyang", "petugas.senggreng", "koordinator.malang", "auditor", "admin")
    return {name: login(client, name) for name in names}


@pytest.fixture
def officer(people: dict[str, Headers]) -> Headers:
    return people["petugas.ternyang"]


@pytest.fixture
def case(client: TestClient, officer: Headers) -> dict[str, Any]:
    """A journey with a passport and a work contract recorded."""
    worker = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    journey = client.post("/v1/journeys", json=journey_body(worker), headers=officer).json()["id"]
    documents = {}
    for kind in ("passport", "work_contract"):
        answer = client.post(
            f"/v1/journeys/{journey}/documents", json=document_body(kind), headers=officer
        )
        assert answer.status_code == 201, answer.text
        documents[kind] = answer.json()["document_id"]
    return {"worker_id": worker, "journey_id": journey, "documents": documents}


def scan_path(case: dict[str, Any], kind: str = "passport") -> str:
    return f"/v1/journeys/{case['journey_id']}/documents/{case['documents'][kind]}/scan"


def upload(
    client: TestClient,
    headers: Headers,
    path: str,
    data: bytes,
    content_type: str,
    **extra: str,
) -> Any:
    return client.put(
        path,
        files={"file": ("scan", data, content_type)},
        headers={**headers, **extra},
    )


def test_a_phone_photo_is_stored_cleaned_and_read_back_as_stored(
    client: TestClient, app_runtime: Runtime, officer: Headers, case: dict[str, Any]
) -> None:
    answer = upload(client, officer, scan_path(case), phone_photo(4000, 3000), "image/jpeg")
    assert answer.status_code == 201, answer.text
    stored = answer.json()
    assert stored["content_type"] == "image/jpeg"
    assert stored["document_id"] == case["documents"]["passport"]
    assert stored["version"] == 4

    read = client.get(scan_path(case), headers=officer)
    assert read.status_code == 200
    assert read.headers["content-type"] == "image/jpeg"
    assert read.headers["cache-control"] == "private, no-store"
    assert len(read.content) == stored["bytes"]
    assert hashlib.sha256(read.content).hexdigest() == stored["sha256"]
    assert read.headers["etag"] == f'"{stored["sha256"]}"'
    image = Image.open(io.BytesIO(read.content))
    assert image.size == (1500, 2000)
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert CAMERA_MAKE.encode() not in read.content

    entries = app_runtime.app.access_entries(
        _system(), since=None, until=None, after=0, limit=100, username="petugas.ternyang"
    )
    reads = [e for e in entries if e.action == "read_scan"]
    assert [e.subject_id for e in reads] == [case["worker_id"]]
    assert reads[0].route == "/v1/journeys/{journey_id}/documents/{document_id}/scan"


def test_a_new_scan_replaces_the_old_which_stays_in_the_history(
    client: TestClient, officer: Headers, case: dict[str, Any]
) -> None:
    first = upload(client, officer, scan_path(case), scanned_png(), "image/png").json()
    pdf = contract_pdf(padding=600_000)
    second = upload(client, officer, scan_path(case), pdf, "application/pdf").json()
    assert second["version"] == first["version"] + 1
    assert second["bytes"] == len(pdf)

    now = client.get(scan_path(case), headers=officer)
    assert (now.headers["content-type"], now.content) == ("application/pdf", pdf)
    then = client.get(scan_path(case), params={"as_of_version": first["version"]}, headers=officer)
    assert then.headers["content-type"] == "image/png"
    assert hashlib.sha256(then.content).hexdigest() == first["sha256"]
    before = client.get(scan_path(case), params={"as_of_version": 3}, headers=officer)
    assert before.status_code == 404
    assert before.json()["error"]["details"]["what"] == "scan"

    journey = client.get(f"/v1/journeys/{case['journey_id']}", headers=officer).json()
    assert [(s["version"], s["content_type"], s["bytes"]) for s in journey["scans"]] == [
        (first["version"], "image/png", first["bytes"]),
        (second["version"], "application/pdf", len(pdf)),
    ]
    other = client.get(scan_path(case, "work_contract"), headers=officer)
    assert other.status_code == 404


@pytest.mark.parametrize(
    ("data", "declared", "code"),
    [
        (contract_pdf(), "image/jpeg", "scan_type_mismatch"),
        (phone_photo(400, 300), "application/pdf", "scan_type_mismatch"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif", "unsupported_scan_type"),
        (b"<html>", "text/html", "unsupported_scan_type"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_415(
    client: TestClient,
    officer: Headers,
    case: dict[str, Any],
    data: bytes,
    declared: str,
    code: str,
) -> None:
    answer = upload(client, officer, scan_path(case), data, declared, **{"Accept-Language": "id"})
    assert answer.status_code == 415, answer.text
    assert answer.json()["error"]["code"] == code
    assert "berkas" in answer.json()["error"]["message"].lower()
    journey = client.get(f"/v1/journeys/{case['journey_id']}", headers=officer).json()
    assert journey["version"] == 3
    assert journey["scans"] == []


def test_a_file_over_10_mib_is_413_and_nothing_is_stored(
    client: TestClient, officer: Headers, case: dict[str, Any], database_url: str
) -> None:
    too_large = contract_pdf(padding=10 * 1024 * 1024)
    answer = upload(client, officer, scan_path(case), too_large, "application/pdf")
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "scan_too_large"
    assert answer.json()["error"]["details"]["limit"] == 10 * 1024 * 1024
    fits = contract_pdf(padding=10 * 1024 * 1024 - 400)
    assert len(fits) <= 10 * 1024 * 1024
    assert upload(client, officer, scan_path(case), fits, "application/pdf").status_code == 201
    assert rawdb.query(database_url, "SELECT COUNT(*) FROM jejak_scans")[0][0] == 1


def test_a_decompression_bomb_is_413(
    client: TestClient, officer: Headers, case: dict[str, Any]
) -> None:
    answer = upload(client, officer, scan_path(case), png_bomb(), "image/png")
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "image_too_large"


def test_a_body_that_is_not_a_multipart_file_is_refused(
    client: TestClient, officer: Headers, case: dict[str, Any]
) -> None:
    raw = client.put(scan_path(case), content=contract_pdf(), headers=officer)
    assert raw.status_code == 415
    assert raw.json()["error"]["code"] == "multipart_required"
    no_file = client.put(scan_path(case), files={"other": ("x", b"1")}, headers=officer)
    assert no_file.status_code == 422
    assert no_file.json()["error"]["details"]["fields"][0]["field"] == "file"


def test_scans_are_404_outside_the_callers_villages(
    client: TestClient, people: dict[str, Headers], case: dict[str, Any]
) -> None:
    assert upload(client, people["petugas.ternyang"], scan_path(case), scanned_png(), "image/png")
    outsider = people["petugas.senggreng"]
    refused = upload(client, outsider, scan_path(case), scanned_png(), "image/png")
    assert refused.status_code == 404
    assert refused.json()["error"]["details"]["what"] == "journey"
    assert client.get(scan_path(case), headers=outsider).status_code == 404
    for reader in ("koordinator.malang", "auditor"):
        assert client.get(scan_path(case), headers=people[reader]).status_code == 200
    assert upload(client, people["auditor"], scan_path(case), b"", "image/png").status_code == 403
    assert client.get(scan_path(case), headers=people["admin"]).status_code == 403
    unknown = f"/v1/journeys/{case['journey_id']}/documents/99/scan"
    assert client.get(unknown, headers=people["auditor"]).json()["error"]["details"] == {
        "what": "document"
    }


def test_a_retried_upload_records_one_scan(
    client: TestClient, officer: Headers, case: dict[str, Any], database_url: str
) -> None:
    photo = scanned_png()
    key = {"Idempotency-Key": "scan-passport-1"}
    first = upload(client, officer, scan_path(case), photo, "image/png", **key)
    again = upload(client, officer, scan_path(case), photo, "image/png", **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert rawdb.query(database_url, "SELECT COUNT(*) FROM jejak_scans")[0][0] == 1
    other = upload(client, officer, scan_path(case), scanned_png(800, 900), "image/png", **key)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"


def test_a_swapped_or_altered_file_is_found_by_verification(
    client: TestClient,
    people: dict[str, Headers],
    case: dict[str, Any],
    database_url: str,
    app_runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    officer, auditor = people["petugas.ternyang"], people["auditor"]
    passport = upload(client, officer, scan_path(case), phone_photo(800, 600), "image/jpeg")
    contract = upload(
        client, officer, scan_path(case, "work_contract"), contract_pdf(), "application/pdf"
    )
    assert (passport.status_code, contract.status_code) == (201, 201)
    assert client.get("/v1/audit/verify", headers=auditor).json()["failed"] == []

    # Behind the service's back: the passport's chunks are replaced by the contract's.
    passport_id, contract_id = (
        row[0]
        for row in rawdb.query(database_url, "SELECT scan_id FROM jejak_scans ORDER BY stored_at")
    )
    rawdb.execute(database_url, "DELETE FROM jejak_scan_chunks WHERE scan_id = %s", (passport_id,))
    rawdb.execute(
        database_url,
        "INSERT INTO jejak_scan_chunks (scan_id, n, data) "
        "SELECT %s, n, data FROM jejak_scan_chunks WHERE scan_id = %s",
        (passport_id, contract_id),
    )

    verified = client.get("/v1/audit/verify", headers=auditor).json()
    assert verified["failed"] == [case["journey_id"]]
    assert [(p["version"], p["kind"]) for p in verified["problems"]] == [
        (passport.json()["version"], "scan_changed")
    ]
    one = client.get(
        "/v1/audit/verify", params={"aggregate_id": case["journey_id"]}, headers=auditor
    )
    assert one.json()["failed"] == [case["journey_id"]]
    damaged = client.get(scan_path(case), headers=officer)
    assert damaged.status_code == 503
    assert damaged.json()["error"]["code"] == "scan_damaged"

    # The command line says so too, with its exit status.
    settings = app_runtime.settings
    monkeypatch.setenv("JEJAK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("JEJAK_MASTER_KEY", settings.master_key or "")
    monkeypatch.setenv("JEJAK_SIGNING_KEY", settings.signing_key or "")
    assert cli.main(["audit", "verify"]) == 1
    assert "scan_changed" in capsys.readouterr().out


def test_erasure_makes_every_scan_of_the_person_unreadable_and_deletes_it(
    client: TestClient,
    people: dict[str, Headers],
    case: dict[str, Any],
    database_url: str,
) -> None:
    officer, auditor = people["petugas.ternyang"], people["auditor"]
    upload(client, officer, scan_path(case), phone_photo(800, 600), "image/jpeg")
    upload(client, officer, scan_path(case, "work_contract"), contract_pdf(), "application/pdf")
    erased = client.post(
        f"/v1/workers/{case['worker_id']}/erasure",
        json={"reason": "request"},
        headers=people["admin"],
    )
    assert erased.status_code == 201, erased.text

    for kind in ("passport", "work_contract"):
        gone = client.get(scan_path(case, kind), headers=auditor)
        assert gone.status_code == 410
        assert gone.json()["error"]["code"] == "scan_erased"
    assert rawdb.query(database_url, "SELECT COUNT(*) FROM jejak_scan_chunks")[0][0] == 0
    journey = client.get(f"/v1/journeys/{case['journey_id']}", headers=auditor).json()
    assert [s["sha256"] for s in journey["scans"]] == ["[erased]", "[erased]"]
    assert client.get("/v1/audit/verify", headers=auditor).json()["failed"] == []
    again = upload(client, officer, scan_path(case), scanned_png(), "image/png")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "person_erased"


def _system() -> Any:
    from application.principal import SYSTEM_PRINCIPAL

    return SYSTEM_PRINCIPAL


def test_the_journey_id_in_a_scan_path_is_checked_like_any_other(
    client: TestClient, officer: Headers
) -> None:
    missing = f"/v1/journeys/{UUID(int=7)}/documents/1/scan"
    assert client.get(missing, headers=officer).status_code == 404
    assert upload(client, officer, missing, scanned_png(), "image/png").status_code == 404


def test_an_oversized_upload_is_refused_while_it_streams_not_after(
    client: TestClient, officer: Headers, case: dict[str, Any]
) -> None:
    """A 40 MiB body without a Content-Length: the app stops reading it just past 10 MiB.
    Driven at the ASGI interface, where the bytes read can be counted (the test client
    would read the whole body before the app sees any of it)."""
    mib = b"x" * (1024 * 1024)
    head = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    )
    sent = {"chunks": 0}
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        sent["chunks"] += 1
        if sent["chunks"] == 1:
            return {"type": "http.request", "body": head, "more_body": True}
        return {"type": "http.request", "body": mib, "more_body": sent["chunks"] < 41}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "PUT",
        "scheme": "http",
        "path": scan_path(case),
        "raw_path": scan_path(case).encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", officer["Authorization"].encode()),
            (b"content-type", b"multipart/form-data; boundary=B"),
            (b"transfer-encoding", b"chunked"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(client.app(scope, receive, send))  # type: ignore[arg-type]

    assert messages[0]["status"] == 413
    assert json.loads(messages[1]["body"])["error"]["code"] == "scan_too_large"
    assert sent["chunks"] <= 12  # the head and ten MiB and a little: not forty


def test_a_stale_if_match_is_412_and_leaves_no_file_behind(
    client: TestClient, officer: Headers, case: dict[str, Any], database_url: str
) -> None:
    stale = upload(
        client, officer, scan_path(case), scanned_png(), "image/png", **{"If-Match": '"2"'}
    )
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "version_mismatch"
    assert rawdb.query(database_url, "SELECT COUNT(*) FROM jejak_scan_chunks")[0][0] == 0
    fresh = upload(
        client, officer, scan_path(case), scanned_png(), "image/png", **{"If-Match": '"3"'}
    )
    assert fresh.status_code == 201
    assert fresh.headers["etag"] == '"4"'
