"""Scans in a real browser (Debian's Chromium, headless, through Playwright) against a real
``jejak serve`` on SQLite and PostgreSQL: an officer picks a phone photo and a PDF in the
document checklist, sees the thumbnail and opens the scan (a passport's scan has no
thumbnail: it would show the number the page masks); an auditor opens it from the timeline. The browser, server and page fixtures are those of test_web_browser.py."""

from __future__ import annotations

from datetime import date

import httpx2 as httpx
from playwright.sync_api import Page, expect

from tests.e2e import test_web_browser as browsing
from tests.e2e.test_web_browser import VILLAGE, Server, log_in, screenshot
from tests.scan_samples import contract_pdf, phone_photo
from tests.support import PASSWORD, nik_for

# The real browser, server and page of the browser tests (pytest finds fixtures by name).
browser = browsing.browser
server = browsing.server
page = browsing.page


def a_case_with_documents(base: str) -> str:
    """A journey with a passport (document 1), a work contract (2) and a health certificate
    (3), through the API."""
    token = httpx.post(
        f"{base}/v1/auth/token", data={"username": "petugas.ternyang", "password": PASSWORD}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    birth = date(1996, 3, 14)
    worker = httpx.post(
        f"{base}/v1/workers",
        headers=headers,
        json={
            "nik": nik_for(birth, "P"),
            "full_name": "Sri Wahyuni",
            "sex": "P",
            "birth_date": birth.isoformat(),
            "village_code": VILLAGE,
        },
    ).json()["id"]
    journey = httpx.post(
        f"{base}/v1/journeys",
        headers=headers,
        json={
            "worker_id": worker,
            "destination_country": "HK",
            "occupation": "domestic worker",
            "placement_scheme": "mandiri",
        },
    ).json()["id"]
    for kind in ("passport", "work_contract", "health_certificate"):
        httpx.post(
            f"{base}/v1/journeys/{journey}/documents",
            headers=headers,
            json={"kind": kind, "number": "C7654321", "issued_on": "2024-05-02"},
        ).raise_for_status()
    return str(journey)


def test_an_officer_uploads_a_phone_photo_and_a_pdf_and_an_auditor_opens_them(
    page: Page, server: Server
) -> None:
    journey = a_case_with_documents(server.base)
    log_in(page, "petugas.ternyang")
    page.goto(f"/journeys/{journey}")
    certificate = page.locator("#document-3")
    expect(certificate).to_contain_text("Belum dipindai")
    picker = certificate.locator("input[type=file]")
    expect(picker).to_have_attribute("accept", "image/*,application/pdf")
    expect(picker).to_have_attribute("capture", "")

    picker.set_input_files(
        files=[{"name": "IMG_20250105.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()}]
    )
    certificate.get_by_role("button", name="Simpan pindaian").click()
    expect(page.get_by_text("Pindaian dokumen sudah disimpan.")).to_be_visible()
    thumbnail = page.locator("#document-3 img.scan-thumb")
    expect(thumbnail).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    assert thumbnail.evaluate("img => img.naturalHeight") == 240  # upright: portrait

    with page.context.expect_page() as opening:
        page.locator("#document-3 a.scan-link").click()
    opened = opening.value
    opened.wait_for_load_state()
    assert opened.url.endswith(f"/journeys/{journey}/documents/3/scan")
    size = opened.evaluate(
        "() => [document.images[0].naturalWidth, document.images[0].naturalHeight]"
    )
    assert size == [1500, 2000]
    opened.close()

    # The passport's scan: a link that opens it, no picture of the number on the page.
    passport = page.locator("#document-1")
    passport.locator("input[type=file]").set_input_files(
        files=[{"name": "IMG_20250106.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()}]
    )
    passport.get_by_role("button", name="Simpan pindaian").click()
    expect(page.locator("#document-1 a.scan-link")).to_contain_text("tanpa gambar kecil")
    expect(page.locator("#document-1 img")).to_have_count(0)
    with page.context.expect_page() as opening:
        page.locator("#document-1 a.scan-link").click()
    opened = opening.value
    opened.wait_for_load_state()
    assert opened.evaluate("() => document.images[0].naturalWidth") == 1500
    opened.close()

    contract = page.locator("#document-2")
    contract.locator("input[type=file]").set_input_files(
        files=[{"name": "kontrak.pdf", "mimeType": "application/pdf", "buffer": contract_pdf()}]
    )
    contract.get_by_role("button", name="Simpan pindaian").click()
    expect(page.locator("#document-2 .scan-pdf")).to_have_text("PDF")
    page.locator("#checklist").scroll_into_view_if_needed()
    screenshot(page, server, "scans")

    # A file that is not what it says: refused next to its form, in the officer's language.
    page.locator("#document-2 input[type=file]").set_input_files(
        files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": contract_pdf()}]
    )
    page.locator("#document-2").get_by_role("button", name="Simpan pindaian").click()
    expect(page.locator("#scan-2-error")).to_have_text(
        "Berkas ini bukan berkas image/jpeg yang sah."
    )

    log_in(page, "auditor.inspektorat")
    page.goto(f"/audit/streams/{journey}")
    expect(page.locator("h1")).to_contain_text("Linimasa audit")
    link = page.get_by_role("link", name="Lihat pindaian versi 5")
    with page.context.expect_page() as opening:
        link.click()
    opened = opening.value
    opened.wait_for_load_state()
    assert opened.evaluate("() => document.images[0].naturalWidth") == 1500
    answer = page.request.get(f"/journeys/{journey}/documents/2/scan?as_of_version=7")
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body() == contract_pdf()
