"""Scans on the web pages, on both backends: the upload form in the checklist, the
thumbnail, the scan opening in the browser, the summary and the auditor's timeline."""

from __future__ import annotations

import io
import re

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from infrastructure.bootstrap import Runtime
from tests import rawdb
from tests.e2e.test_web_pages import open_journey, record, register
from tests.scan_samples import contract_pdf, phone_photo
from tests.support import OTHER_VILLAGE, VILLAGE, create_user, login
from tests.web import Person, hidden_fields


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> Person:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,))
    create_user(app_runtime, "auditor", "auditor")
    person = Person(client)
    assert person.login("petugas.ternyang").status_code == 200
    return person


PASSPORT = "C1234567"


@pytest.fixture
def journey(officer: Person) -> str:
    """A case holding a health certificate (document 1, a paper's reference number) and a
    passport (document 2, a number of the person)."""
    journey_id = open_journey(officer, register(officer))
    for kind, number in (("health_certificate", "RS-2024/117"), ("passport", PASSPORT)):
        record(
            officer,
            journey_id,
            "documents",
            {
                "kind": kind,
                "number": number,
                "issued_on": "2024-01-10",
                "expires_on": "2034-01-10",
            },
        )
    return journey_id


def send_scan(
    person: Person,
    journey_id: str,
    data: bytes,
    content_type: str,
    html: str | None = None,
    document: int = 1,
) -> httpx.Response:
    action = f"/journeys/{journey_id}/documents/{document}/scan"
    page = html if html is not None else person.get(f"/journeys/{journey_id}").text
    return person.client.post(
        action,
        data=hidden_fields(page, action),
        files={"file": ("IMG_0001.jpg", data, content_type)},
    )


def test_an_officer_uploads_a_photo_from_the_checklist_and_sees_its_thumbnail(
    officer: Person, journey: str
) -> None:
    page = officer.get(f"/journeys/{journey}").text
    form = re.search(r'<input id="scan-1-file"[^>]+>', page)
    assert form is not None
    assert 'accept="image/*,application/pdf"' in form.group(0)
    assert " capture" in form.group(0)
    assert 'enctype="multipart/form-data"' in page

    answer = send_scan(officer, journey, phone_photo(4000, 3000), "image/jpeg", page)
    assert answer.status_code == 200
    assert str(answer.url).endswith(f"/journeys/{journey}?saved=scan#checklist")
    assert "Pindaian dokumen sudah disimpan." in answer.text
    assert f'src="/journeys/{journey}/documents/1/scan/thumbnail"' in answer.text

    thumbnail = officer.get(f"/journeys/{journey}/documents/1/scan/thumbnail")
    assert thumbnail.headers["content-type"] == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumbnail.content)).size) == 240
    scan = officer.get(f"/journeys/{journey}/documents/1/scan")
    assert scan.headers["content-type"] == "image/jpeg"
    assert scan.headers["content-disposition"].startswith("inline")
    assert Image.open(io.BytesIO(scan.content)).size == (1500, 2000)


def _row(page: str, document: int) -> str:
    start = page.index(f'id="document-{document}"')
    return page[start : page.index("</tr>", start)]


def _scan_reads(client: TestClient) -> int:
    auditor = login(client, "auditor")
    log = client.get("/v1/audit/access-log?username=petugas.ternyang&limit=1000", headers=auditor)
    assert log.status_code == 200
    return sum(1 for entry in log.json()["items"] if entry["action"] == "read_scan")


def test_an_identity_documents_scan_has_no_thumbnail_and_opens_only_when_asked(
    officer: Person, journey: str
) -> None:
    """A thumbnail of a passport or KTP shows its number, which the page masks, to whoever
    is near the screen each time the case opens: the scan opens from its link, and that read
    is in the access log."""
    scan = f"/journeys/{journey}/documents/2/scan"
    answer = send_scan(officer, journey, phone_photo(1200, 1600), "image/jpeg", document=2)
    assert answer.status_code == 200
    row = _row(answer.text, 2)
    assert "scan-thumb" not in row
    assert "/thumbnail" not in row
    assert f'<a class="scan-link" href="{scan}"' in row
    assert "tanpa gambar kecil" in row
    assert PASSPORT not in answer.text
    reads = _scan_reads(officer.client)
    assert officer.get(f"{scan}/thumbnail").status_code == 404
    assert officer.get(f"/journeys/{journey}").status_code == 200
    assert _scan_reads(officer.client) == reads  # neither the page nor a thumbnail showed it
    opened = officer.get(scan)
    assert opened.headers["content-type"] == "image/jpeg"
    assert _scan_reads(officer.client) == reads + 1

    # A document of the paper, not the person, keeps its thumbnail beside it.
    assert send_scan(officer, journey, phone_photo(800, 600), "image/jpeg").status_code == 200
    page = officer.get(f"/journeys/{journey}").text
    assert f'src="/journeys/{journey}/documents/1/scan/thumbnail"' in _row(page, 1)
    assert "scan-thumb" not in _row(page, 2)


def test_a_form_sent_twice_stores_one_scan(
    officer: Person, journey: str, database_url: str
) -> None:
    page = officer.get(f"/journeys/{journey}").text
    photo = phone_photo(800, 600)
    assert send_scan(officer, journey, photo, "image/jpeg", page).status_code == 200
    assert send_scan(officer, journey, photo, "image/jpeg", page).status_code == 200
    assert rawdb.query(database_url, "SELECT COUNT(*) FROM jejak_scans")[0][0] == 1


def test_a_refused_file_comes_back_next_to_its_form_in_indonesian(
    officer: Person, journey: str, database_url: str
) -> None:
    answer = send_scan(officer, journey, contract_pdf(), "image/jpeg")
    assert answer.status_code == 415
    assert "Berkas ini bukan berkas image/jpeg yang sah." in answer.text
    assert 'id="scan-1-error"' in answer.text
    assert rawdb.query(database_url, "SELECT COUNT(*) FROM jejak_scans")[0][0] == 0


def test_an_upload_without_the_sessions_csrf_token_is_refused(
    officer: Person, journey: str
) -> None:
    answer = officer.client.post(
        f"/journeys/{journey}/documents/1/scan",
        files={"file": ("scan.pdf", contract_pdf(), "application/pdf")},
    )
    assert answer.status_code == 403


def test_another_villages_officer_finds_neither_the_form_nor_the_scan(
    officer: Person, journey: str
) -> None:
    assert send_scan(officer, journey, contract_pdf(), "application/pdf").status_code == 200
    officer.login("petugas.senggreng")
    assert officer.get(f"/journeys/{journey}/documents/1/scan").status_code == 404
    page = officer.get("/workers").text  # any page of theirs: a session and its token
    refused = officer.client.post(
        f"/journeys/{journey}/documents/1/scan",
        data={"csrf_token": _csrf(page)},
        files={"file": ("scan.pdf", contract_pdf(), "application/pdf")},
    )
    assert refused.status_code == 404


def test_the_summary_lists_scanned_documents_and_the_timeline_links_each_scan(
    officer: Person, journey: str
) -> None:
    pdf = contract_pdf(padding=2000)
    assert send_scan(officer, journey, phone_photo(800, 600), "image/jpeg").status_code == 200
    assert send_scan(officer, journey, pdf, "application/pdf").status_code == 200
    summary = officer.get(f"/journeys/{journey}/summary").text
    assert '<th scope="col">Pindaian</th>' in summary
    assert "✓ ada" in summary

    officer.login("auditor")
    timeline = officer.get(f"/audit/streams/{journey}").text
    links = re.findall(
        rf'href="(/journeys/{journey}/documents/1/scan\?as_of_version=\d+)"', timeline
    )
    assert len(links) == 2
    first = officer.get(links[0])
    assert first.headers["content-type"] == "image/jpeg"
    second = officer.get(links[1])
    assert second.content == pdf
    case_page = officer.get(f"/journeys/{journey}").text
    assert 'class="scan-pdf"' in case_page
    assert 'id="scan-1-file"' not in case_page  # auditors read, and upload nothing


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)
