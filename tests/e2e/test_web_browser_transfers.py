"""Referrals and transfers in a real browser (Debian's Chromium, headless, through
Playwright) against a real ``jejak serve`` on SQLite and PostgreSQL: an officer refers a case
from its page and prints the one-page letter, then asks another village to take the worker;
that village's officer accepts from the inbox and the sender finds the case gone. The
browser, server and page fixtures are those of test_web_browser.py."""

from __future__ import annotations

import re
from datetime import date

import httpx2 as httpx
from playwright.sync_api import Page, expect

from tests.e2e import test_web_browser as browsing
from tests.e2e.test_web_browser import ELSEWHERE, VILLAGE, Server, log_in, open_form, screenshot
from tests.support import PASSWORD, nik_for

# The real browser, server and page of the browser tests (pytest finds fixtures by name).
browser = browsing.browser
server = browsing.server
page = browsing.page


def token(base: str, username: str) -> dict[str, str]:
    answer = httpx.post(
        f"{base}/v1/auth/token", data={"username": username, "password": PASSWORD}
    ).json()
    return {"Authorization": f"Bearer {answer['access_token']}"}


def a_case_to_refer(base: str) -> tuple[str, str]:
    """Two designated villages of Kabupaten Malang, an agency, and a case in Ternyang with an
    open incident, through the API; answers the worker's and the journey's ids."""
    coordinator = token(base, "koordinator.malang")
    for code in (VILLAGE, ELSEWHERE):
        httpx.post(
            f"{base}/v1/villages",
            headers=coordinator,
            json={"village_code": code, "cohort_year": 2018},
        ).raise_for_status()
    httpx.post(
        f"{base}/v1/agencies",
        headers=coordinator,
        json={"name": "BP3MI Jawa Timur", "kind": "bp3mi", "region_code": "35",
              "contact": "Jl. Raya Juanda, Sidoarjo · (031) 8680000"},
    ).raise_for_status()  # fmt: skip
    officer = token(base, "petugas.ternyang")
    birth = date(1994, 2, 11)
    worker = httpx.post(
        f"{base}/v1/workers",
        headers=officer,
        json={"nik": nik_for(birth, "P"), "full_name": "Dewi Lestari", "sex": "P",
              "birth_date": birth.isoformat(), "village_code": VILLAGE, "phone": "081298765432"},
    ).json()["id"]  # fmt: skip
    journey = httpx.post(
        f"{base}/v1/journeys",
        headers=officer,
        json={"worker_id": worker, "destination_country": "MY", "occupation": "operator pabrik",
              "placement_scheme": "mandiri"},
    ).json()["id"]  # fmt: skip
    httpx.post(
        f"{base}/v1/journeys/{journey}/incidents",
        headers=officer,
        json={"category": "unpaid_wages", "severity": "high", "note": "Gaji ditahan agen"},
    ).raise_for_status()
    return str(worker), str(journey)


def test_an_officer_refers_a_case_and_prints_a_one_page_letter(page: Page, server: Server) -> None:
    _, journey = a_case_to_refer(server.base)
    log_in(page, "petugas.ternyang")
    page.goto(f"/journeys/{journey}")
    form = open_form(page, "Rujuk ke lembaga layanan")
    form.get_by_label("Layanan yang diminta").select_option("wage_claim")
    form.get_by_label("Lembaga dari direktori layanan").select_option(label="BP3MI Jawa Timur (35)")
    form.get_by_label("Alasan rujukan").fill("Gaji tidak dibayar enam bulan")
    form.get_by_label("Catatan").fill("Agen menahan paspor di Johor Bahru")
    form.get_by_label("Persetujuan diberikan oleh").select_option("worker")
    form.get_by_label("Tanggal persetujuan").fill("2025-01-02")
    form.get_by_role("button", name="Simpan rujukan").click()
    expect(page.get_by_text("Rujukan sudah dicatat.")).to_be_visible()
    expect(page.locator("#referral-1")).to_contain_text("BP3MI Jawa Timur")

    page.locator("#referral-1").get_by_role("link", name="Cetak surat rujukan").click()
    expect(page.get_by_role("heading", name="Surat rujukan")).to_be_visible()
    letter = page.locator("body")
    expect(letter).to_contain_text("Dewi Lestari")
    expect(letter).to_contain_text("Tuntutan gaji yang tidak dibayar")
    expect(letter).to_contain_text("(031) 8680000")
    expect(letter).to_contain_text("NIK (empat digit terakhir)")
    text = letter.inner_text()
    assert re.search(r"•{12}\d{4}", text)
    assert "081298765432" not in text  # no phone
    assert "Gaji ditahan agen" not in text  # nothing else of the case
    screenshot(page, server, "referral-letter")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the referral letter printed on {pages} A4 pages"


def test_a_transfer_is_asked_from_the_case_page_and_accepted_from_the_inbox(
    page: Page, server: Server
) -> None:
    worker, journey = a_case_to_refer(server.base)
    log_in(page, "petugas.ternyang")
    page.goto(f"/journeys/{journey}")
    transfer = page.locator("#transfer")
    transfer.locator("summary", has_text="Pindahkan ke desa lain").click()
    transfer.get_by_label("Desa tujuan (kode wilayah)").fill(ELSEWHERE)
    transfer.get_by_label("Alasan pindah").fill("Ikut suami ke Dampit")
    transfer.get_by_role("button", name="Kirim permintaan pindah").click()
    expect(page.get_by_text("Permintaan pindah sudah dikirim.")).to_be_visible()
    expect(page.locator("#transfer")).to_contain_text("menunggu jawaban")

    log_in(page, "petugas.sukodono")
    page.get_by_role("link", name="Perpindahan").click()
    row = page.locator("#incoming tr", has_text="Dewi Lestari")
    expect(row).to_contain_text("Ikut suami ke Dampit")
    expect(row).to_contain_text("Pra-penempatan")
    expect(row).to_contain_text("Tanggapan kejadian")
    expect(row.get_by_role("link")).to_have_count(0)  # nothing to open before accepting
    screenshot(page, server, "transfers-inbox")
    row.get_by_role("button", name="Terima").click()
    expect(page.get_by_text("Pekerja diterima: kasusnya kini di desa Anda.")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Dewi Lestari")
    expect(page.locator("#history")).to_contain_text("Dipindahkan ke desa lain")
    assert page.url.split("?")[0].endswith(f"/journeys/{journey}")

    log_in(page, "petugas.ternyang")
    gone = page.goto(f"/journeys/{journey}")
    assert gone is not None
    assert gone.status == 404
    page.goto("/transfers")
    expect(page.locator("#answered")).to_contain_text("tidak lagi dalam cakupan Anda")
    expect(page.locator("#answered")).not_to_contain_text("Dewi Lestari")
    assert worker not in page.content()


def test_a_coordinator_lists_an_agency_and_an_officer_finds_it_by_kind(
    page: Page, server: Server
) -> None:
    log_in(page, "koordinator.malang")
    page.get_by_role("link", name="Lembaga layanan").click()
    expect(page.get_by_role("heading", name="Direktori lembaga layanan")).to_be_visible()
    form = open_form(page, "Tambah lembaga")
    form.get_by_label("Nama lembaga").fill("LBH Pos Malang")
    form.get_by_label("Jenis lembaga").select_option("legal_aid")
    form.get_by_label("Wilayah layanan").fill("33.01")  # Cilacap: not the coordinator's
    form.get_by_role("button", name="Tambah lembaga").click()
    expect(page.get_by_role("alert").first).to_contain_text("33.01")
    form = page.locator("#form-agency")
    expect(form.get_by_label("Nama lembaga")).to_have_value("LBH Pos Malang")  # kept
    form.get_by_label("Wilayah layanan").fill("35.07")
    form.get_by_role("button", name="Tambah lembaga").click()
    expect(page.get_by_text("Lembaga sudah ditambahkan.")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("LBH Pos Malang")

    log_in(page, "petugas.ternyang")
    page.goto("/agencies")
    expect(page.locator("#form-agency")).to_have_count(0)  # an officer reads only
    page.get_by_label("Jenis lembaga").select_option("legal_aid")
    page.get_by_role("button", name="Saring").click()
    expect(page.locator("#agencies")).to_contain_text("LBH Pos Malang")
    expect(page.locator("#agencies")).to_contain_text("Bantuan hukum")
    assert "kind=legal_aid" in page.url
