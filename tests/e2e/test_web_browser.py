"""The web interface in a real browser: Debian's Chromium, headless, driven by Playwright for
Python, against a real ``jejak serve`` on SQLite and on PostgreSQL.

An officer registers a worker and records a journey to closure, a coordinator filters the
dashboard and downloads a CSV, an auditor reads a timeline. A missing browser fails the run.
With ``JEJAK_SCREENSHOTS=docs/screenshots`` (``make screenshots``) the SQLite run saves the
pictures the README shows."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from domain.dates import WIB
from tests.support import (
    ALL_DOCUMENTS,
    PASSWORD,
    create_users_by_cli,
    jejak_serve,
    nik_for,
    serve_env,
)

CHROMIUM = os.environ.get("JEJAK_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VILLAGE = "35.07.12.2001"  # Ternyang
NEIGHBOUR = "35.07.12.2002"  # Senggreng
ELSEWHERE = "35.07.05.2001"  # Sukodono, Dampit
USERS = {
    "petugas.ternyang": ("officer", (VILLAGE,)),
    "petugas.senggreng": ("officer", (NEIGHBOUR,)),
    "petugas.sukodono": ("officer", (ELSEWHERE,)),
    "koordinator.malang": ("coordinator", ("35.07",)),
    "auditor.inspektorat": ("auditor", ()),
}


@dataclass
class Server:
    base: str
    backend: str


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One browser for this module, closed at its end: Playwright's sync API keeps an asyncio
    loop marked running on the main thread while it is open, and a later test's
    ``asyncio.run()`` (the load test) then fails."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is required for the browser tests and is missing at {CHROMIUM} "
            "(scripts/ensure-chromium installs Debian's package)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    env = serve_env(database_url, tmp_path)
    create_users_by_cli(env, tmp_path, USERS)
    with jejak_serve(env, tmp_path) as base:
        yield Server(
            base=base, backend="sqlite" if database_url.startswith("sqlite") else "postgres"
        )


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server.base, viewport={"width": 1280, "height": 860}, locale="id-ID"
    )
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    problems: list[str] = []
    # A script error or a Content-Security-Policy refusal (an inline script or style, a file
    # from elsewhere) would break the pages for someone: none may happen.
    opened.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    opened.on("pageerror", lambda error: problems.append(str(error)))
    yield opened
    context.close()
    # Pages answering a form with its errors say so with 409 or 422, as they should.
    refusals = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")
    assert [problem for problem in problems if not refusals.match(problem)] == []


def screenshot(page: Page, server: Server, name: str) -> None:
    """Saved for the README when asked for (``make screenshots``), from the SQLite run."""
    folder = os.environ.get("JEJAK_SCREENSHOTS")
    if folder and server.backend == "sqlite":
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def open_form(page: Page, title: str) -> Any:
    """Opens the form under a heading of the case page and answers the form's locator."""
    section = page.locator("details.action", has=page.locator("summary", has_text=title))
    section.locator("summary").click()
    return section


# The officer ------------------------------------------------------------------------------


def test_an_officer_registers_a_worker_and_records_a_journey_to_closure(
    page: Page, server: Server
) -> None:
    log_in(page, "petugas.ternyang")
    expect(page.get_by_role("heading", name="Tugas hari ini")).to_be_visible()
    page.get_by_role("link", name="Pekerja", exact=True).click()
    expect(page.get_by_role("heading", name="Pekerja di desa Anda")).to_be_visible()
    page.get_by_role("link", name="Daftarkan pekerja").first.click()

    nik = nik_for(date(1995, 7, 5), "P")
    page.get_by_label("NIK", exact=True).press_sequentially(nik, delay=15)
    expect(page.locator("#register-nik-status")).to_contain_text(
        "NIK sah: lahir 5 Juli 1995, Perempuan, Kabupaten Malang."
    )
    # The NIK encodes the birth date and the sex: they are filled in from it.
    expect(page.get_by_label("Tanggal lahir")).to_have_value("1995-07-05")
    expect(page.get_by_label("Perempuan")).to_be_checked()
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Siti Aminah")
    screenshot(page, server, "register-worker")
    page.get_by_role("button", name="Daftarkan").click()
    expect(page.get_by_text("Pekerja sudah didaftarkan.")).to_be_visible()
    worker_url = page.url

    # The same NIK again: told at once, with a link to the existing record.
    page.goto("/workers/new")
    page.get_by_label("NIK", exact=True).press_sequentially(nik, delay=15)
    expect(page.locator("#register-nik-status")).to_contain_text("sudah terdaftar")
    page.locator("#register-nik-status a").click()
    assert page.url.split("?")[0] == worker_url.split("?")[0]

    page.get_by_label("Negara tujuan").select_option("TW")
    page.get_by_label("Jabatan/pekerjaan").fill("caregiver")
    page.get_by_label("Skema penempatan").select_option("p3mi")
    page.get_by_role("button", name="Buka perjalanan").click()
    expect(page.locator("#open-p3mi_name-err")).to_contain_text(
        "wajib diisi bila skema penempatan p3mi"
    )
    page.get_by_label("Nama P3MI").fill("PT Contoh Penempatan")
    page.get_by_label("Nomor izin P3MI (SIP3MI)").fill("KEP 123/2021")
    page.get_by_role("button", name="Buka perjalanan").click()
    expect(page.get_by_text("Perjalanan kerja sudah dibuka.")).to_be_visible()
    expect(page.get_by_text("10 belum ada")).to_be_visible()

    form = open_form(page, "Konseling migrasi aman")
    form.get_by_label("Migrasi aman dan prosedural").check()
    form.get_by_label("Hak-hak pekerja migran").check()
    form.get_by_label("Tanggal kejadian").fill("2024-01-05")
    form.get_by_role("button", name="Simpan konseling").click()
    expect(page.get_by_text("Konseling sudah dicatat.")).to_be_visible()

    for done, kind in enumerate(ALL_DOCUMENTS[:-1], start=1):  # all but the placement agreement
        form = open_form(page, "Catat dokumen")
        form.get_by_label("Jenis dokumen").select_option(kind)
        form.get_by_label("Nomor dokumen").fill(f"{kind[:3].upper()}-0001")
        form.get_by_label("Tanggal terbit").fill("2024-01-10")
        form.get_by_label("Berlaku sampai").fill("2034-01-10")
        form.get_by_role("button", name="Simpan dokumen").click()
        expect(page.get_by_text(f"{10 - done} belum ada")).to_be_visible()

    form = open_form(page, "Catat keberangkatan")
    expect(form.get_by_text("1 dokumen wajib belum dicatat")).to_be_visible()
    form.get_by_label("Tanggal berangkat").fill("2024-03-01")
    form.get_by_label("Pemberi kerja").fill("Chen household")
    form.get_by_label("Kontrak mulai").fill("2024-03-02")
    form.get_by_label("Kontrak berakhir").fill("2024-02-01")
    form.get_by_role("button", name="Simpan keberangkatan").click()
    expect(page.locator("#departure-contract_end-err")).to_have_text(
        "harus setelah tanggal mulai kontrak"
    )
    page.locator("#departure-contract_end").fill("2026-03-01")
    page.get_by_role("button", name="Simpan keberangkatan").click()
    expect(page.get_by_text("Keberangkatan sudah dicatat.")).to_be_visible()
    expect(page.locator(".alert.error", has_text="Non-prosedural")).to_contain_text(
        "Perjanjian penempatan"
    )
    screenshot(page, server, "journey")

    form = open_form(page, "Catat pemantauan kondisi")
    form.get_by_label("Menghubungi").select_option("family")
    form.get_by_label("Baik").check()
    form.get_by_role("button", name="Simpan pemantauan").click()
    expect(page.get_by_text("Pemantauan sudah dicatat.")).to_be_visible()

    form = open_form(page, "Catat kepulangan")
    form.get_by_label("Tanggal pulang").fill("2024-12-20")
    form.get_by_label("Alasan pulang").select_option("contract_completed")
    form.get_by_role("button", name="Simpan kepulangan").click()
    expect(page.get_by_text("Kepulangan sudah dicatat.")).to_be_visible()

    form = open_form(page, "Susun rencana reintegrasi")
    form.get_by_label("Modal usaha").check()
    form.get_by_role("button", name="Simpan rencana").click()
    expect(page.get_by_text("Rencana reintegrasi sudah dicatat.")).to_be_visible()

    form = open_form(page, "Tutup kasus")
    form.get_by_label("Alasan").fill("membuka warung di desa")
    form.get_by_label("Saya yakin").check()
    form.locator("button[type=submit]").click()
    expect(page.get_by_text("Kasus sudah ditutup.")).to_be_visible()
    expect(page.locator("h1 .stage")).to_have_text("Ditutup")
    expect(page.locator("details.action")).to_have_count(0)

    page.get_by_role("link", name="Ringkasan untuk dicetak").click()
    expect(page.get_by_role("heading", name="Ringkasan kasus PMI")).to_be_visible()
    screenshot(page, server, "case-summary")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the case summary printed on {pages} A4 pages"


# The coordinator --------------------------------------------------------------------------


def seed_cases(base: str) -> list[str]:
    """A few cases in three villages over three years, through the JSON API (fast); answers
    the journeys' ids."""
    tokens = {}
    for username in ("petugas.ternyang", "petugas.senggreng", "petugas.sukodono"):
        answer = httpx.post(
            f"{base}/v1/auth/token", data={"username": username, "password": PASSWORD}
        )
        tokens[username] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    plan = [
        ("petugas.ternyang", VILLAGE, "TW", 2023, True, True),
        ("petugas.ternyang", VILLAGE, "HK", 2024, False, False),
        ("petugas.ternyang", VILLAGE, "MY", 2025, True, False),
        ("petugas.senggreng", NEIGHBOUR, "TW", 2024, True, True),
        ("petugas.senggreng", NEIGHBOUR, "SG", 2025, False, False),
        ("petugas.sukodono", ELSEWHERE, "MY", 2023, True, True),
        ("petugas.sukodono", ELSEWHERE, "SA", 2024, False, False),
    ]
    journeys = []
    for number, (user, village, country, year, complete, returned) in enumerate(plan, start=1):
        headers = tokens[user]
        birth = date(1990, 1, number)
        nik = nik_for(birth, "L", district=village.replace(".", "")[:6])
        worker = httpx.post(
            f"{base}/v1/workers",
            headers=headers,
            json={
                "nik": nik,
                "full_name": f"Pekerja {number}",
                "sex": "L",
                "birth_date": birth.isoformat(),
                "village_code": village,
            },
        ).json()
        journey = httpx.post(
            f"{base}/v1/journeys",
            headers=headers,
            json={
                "worker_id": worker["id"],
                "destination_country": country,
                "occupation": "factory operator",
                "placement_scheme": "g_to_g",
                "occurred_on": f"{year - 1}-11-01",
            },
        ).json()
        journeys.append(journey["id"])
        path = f"{base}/v1/journeys/{journey['id']}"
        kinds = ALL_DOCUMENTS[:-1] if complete else ALL_DOCUMENTS[:3]
        for kind in kinds:
            httpx.post(
                f"{path}/documents",
                headers=headers,
                json={
                    "kind": kind,
                    "number": "X-1",
                    "issued_on": f"{year - 1}-11-10",
                    "occurred_on": f"{year - 1}-11-15",
                },
            ).raise_for_status()
        httpx.post(
            f"{path}/departure",
            headers=headers,
            json={
                "departed_on": f"{year}-02-01",
                "employer": "Employer",
                "contract_start": f"{year}-02-02",
                "contract_end": f"{year + 2}-02-01",
            },
        ).raise_for_status()
        if returned:
            httpx.post(
                f"{path}/return",
                headers=headers,
                json={"returned_on": f"{year + 1}-06-01", "reason": "early_termination"},
            ).raise_for_status()
        if not complete:
            httpx.post(
                f"{path}/incidents",
                headers=headers,
                json={
                    "category": "unpaid_wages",
                    "severity": "high",
                    "occurred_on": f"{year}-09-01",
                },
            ).raise_for_status()
    # A mistyped departure date, corrected: the timeline shows the fix beside the original.
    correction = httpx.post(
        f"{base}/v1/journeys/{journeys[0]}/corrections",
        headers=tokens["petugas.ternyang"],
        json={
            "corrects_version": 11,
            "reason": "tanggal salah ketik",
            "changes": {"departed_on": "2023-02-03"},
        },
    )
    correction.raise_for_status()
    return journeys


def test_an_officer_starts_from_todays_tasks_one_click_from_the_form(
    page: Page, server: Server
) -> None:
    seed_cases(server.base)
    log_in(page, "petugas.ternyang")
    expect(page.get_by_role("heading", name="Tugas hari ini")).to_be_visible()
    overdue = page.locator("#overdue table.data tbody tr")
    expect(overdue.first).to_contain_text("Pekerja")
    screenshot(page, server, "agenda")
    first = overdue.first.locator("td").last.locator("a")
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/journeys/[0-9a-f-]{36}\?open="))
    form = page.locator("details.action[open]")
    expect(form).to_have_count(1)
    expect(form.locator("summary")).to_have_text(title)
    expect(form.get_by_role("button")).to_be_visible()


def test_a_coordinator_filters_the_dashboard_and_downloads_csv(
    page: Page, server: Server, tmp_path: Path
) -> None:
    seed_cases(server.base)
    log_in(page, "petugas.ternyang")
    page.goto("/workers")  # an officer lands on the agenda ("Tugas hari ini")
    expect(page.locator("table.data tbody tr")).to_have_count(3)
    screenshot(page, server, "workers")
    log_in(page, "koordinator.malang")
    expect(page.get_by_role("heading", name="Dasbor: Kabupaten Malang")).to_be_visible()
    expect(page.locator("#chart-stages")).to_be_visible()
    stages = page.locator("#stages table")
    expect(stages).to_contain_text("Sumberpucung")
    expect(stages).to_contain_text("Dampit")
    screenshot(page, server, "dashboard")

    page.get_by_label("Wilayah", exact=True).select_option("35.07.12")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_role("heading", name="Dasbor: Sumberpucung")).to_be_visible()
    assert "region=35.07.12" in page.url
    watch = page.locator("#non-procedural table")
    expect(watch.locator("tbody tr")).to_have_count(2)
    expect(watch).not_to_contain_text("Sukodono")
    expect(page.locator("#stages table")).to_contain_text("Senggreng")

    with page.expect_download() as waiting:
        page.locator("#non-procedural").get_by_role("link", name="Unduh CSV").click()
    download = waiting.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename == "jejak-non-procedural-35-07-12.csv"
    # As Excel on an Indonesian office PC reads it: UTF-8 by its BOM, ";" between cells.
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert {row["Kode kecamatan"] for row in rows} == {"35.07.12"}
    assert all(row["Nonprosedural"] == "Ya" for row in rows)

    page.reload()  # the filters live in the URL
    expect(page.get_by_label("Wilayah", exact=True)).to_have_value("35.07.12")


# The auditor ------------------------------------------------------------------------------


def test_an_auditor_reads_a_timeline(page: Page, server: Server) -> None:
    journey_id = seed_cases(server.base)[0]
    log_in(page, "auditor.inspektorat")
    expect(page.get_by_role("heading", name="Audit")).to_be_visible()
    page.goto("/audit")
    page.get_by_label("Buka riwayat dengan id").fill(journey_id)
    page.get_by_role("button", name="Buka").click()
    expect(page.locator("h1")).to_contain_text("Linimasa audit")
    expect(page.get_by_role("status")).to_contain_text("Rantai hash riwayat ini utuh")
    expect(page.locator(".event").first).to_contain_text("petugas.")
    expect(page.locator(".badge", has_text="dicatat belakangan").first).to_be_visible()
    corrected = page.locator("#v11")
    expect(corrected).to_contain_text("dikoreksi oleh versi 13")
    expect(corrected.locator("xpath=following-sibling::article[1]")).to_contain_text(
        "mengoreksi versi 11"
    )
    screenshot(page, server, "audit-timeline")

    today = datetime.now(WIB).date()  # the officers' calendar
    page.get_by_label("Keadaan pada tanggal").fill(today.isoformat())
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("h1")).to_contain_text("Perjalanan kerja Pekerja")
    expect(page.locator("details.action")).to_have_count(0)

    page.goto("/audit/verify")
    expect(page.get_by_role("status")).to_contain_text("Utuh:")
