"""Working offline (SPEC §11) in a real browser: Debian's Chromium through Playwright, against
a real ``jejak serve`` on SQLite and on PostgreSQL, with the browser context's offline mode
standing for a village line that dropped.

Entries made offline wait in an encrypted outbox and are recorded once each when the line is
back; a refused entry waits in "perlu diperiksa" until the officer fixes or discards it; a
double click records one; two officers on one browser profile see only their own; a new
build of Jejak replaces what the browser kept."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.support import BIN, PASSWORD, jejak_serve, nik_for, serve_env

CHROMIUM = os.environ.get("JEJAK_TEST_CHROMIUM", "/usr/bin/chromium")
VILLAGE = "35.07.12.2001"  # Ternyang
USERS = {
    "petugas.ternyang": ("officer", (VILLAGE,)),
    "petugas.kedua": ("officer", (VILLAGE,)),  # a second officer of the same village
    "koordinator.malang": ("coordinator", ("35.07",)),
}


@dataclass
class Server:
    base: str
    env: dict[str, str]
    workdir: Path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is required for the browser tests ({CHROMIUM})", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield launched
        launched.close()


def create_users(env: dict[str, str], workdir: Path) -> None:
    for username, (role, regions) in USERS.items():
        command = [str(BIN / "jejak"), "users", "create", username, "--role", role]
        for region in regions:
            command += ["--region", region]
        subprocess.run(
            command,
            input=PASSWORD + "\n",
            env=env,
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    env = serve_env(database_url, tmp_path)
    create_users(env, tmp_path)
    with jejak_serve(env, tmp_path) as base:
        yield Server(base=base, env=env, workdir=tmp_path)


@pytest.fixture
def context(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    made = browser.new_context(base_url=server.base, locale="id-ID")
    made.set_default_timeout(15_000)
    problems: list[str] = []
    made.on("weberror", lambda error: problems.append(str(error.error)))
    yield made
    made.close()
    assert problems == []


@pytest.fixture
def page(context: BrowserContext) -> Page:
    opened = context.new_page()
    opened.on("dialog", lambda dialog: dialog.accept())
    return opened


# Helpers -----------------------------------------------------------------------------------


def token(base: str, username: str) -> dict[str, str]:
    answer = httpx.post(f"{base}/v1/auth/token", data={"username": username, "password": PASSWORD})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def seed_case(base: str, headers: dict[str, str], number: int) -> str:
    """A registered worker with a journey in preparation; answers the journey's id."""
    birth = date(1994, 3, number)
    worker = httpx.post(
        f"{base}/v1/workers",
        headers=headers,
        json={
            "nik": nik_for(birth, "P"),
            "full_name": f"Pekerja Luring {number}",
            "sex": "P",
            "birth_date": birth.isoformat(),
            "village_code": VILLAGE,
        },
    )
    worker.raise_for_status()
    journey = httpx.post(
        f"{base}/v1/journeys",
        headers=headers,
        json={
            "worker_id": worker.json()["id"],
            "destination_country": "TW",
            "occupation": "caregiver",
            "placement_scheme": "g_to_g",
        },
    )
    journey.raise_for_status()
    return str(journey.json()["id"])


def journey(base: str, headers: dict[str, str], journey_id: str) -> dict[str, Any]:
    answer = httpx.get(f"{base}/v1/journeys/{journey_id}", headers=headers)
    answer.raise_for_status()
    result: dict[str, Any] = answer.json()
    return result


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator("body[data-jejak-user]")).to_have_count(1)


def ready_offline(page: Page) -> None:
    """Waits until the service worker controls the page (pages opened from then on are kept)."""
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def kept_pages(page: Page) -> list[str]:
    """The paths this PC keeps for whoever is signed in here, read as the app reads them."""
    paths: list[str] = page.evaluate(
        """async () => {
            const { Store, signedIn } = await import('/offline/store.js');
            const current = await signedIn();
            if (!current) return [];
            const store = await Store.open(current.user);
            try { return (await store.pages()).map((kept) => kept.path); }
            finally { store.close(); }
        }"""
    )
    return paths


def open_case(page: Page, journey_id: str) -> None:
    """Opens a case online and waits until this PC keeps it."""
    page.goto(f"/journeys/{journey_id}")
    expect(page.locator("h1")).to_contain_text("Pekerja Luring")
    page.wait_for_function(
        """async (path) => {
            const { Store, signedIn } = await import('/offline/store.js');
            const current = await signedIn();
            if (!current) return false;
            const store = await Store.open(current.user);
            try { return (await store.pages()).some((kept) => kept.path === path); }
            finally { store.close(); }
        }""",
        arg=f"/journeys/{journey_id}",
    )


def open_form(page: Page, title: str) -> Any:
    section = page.locator("details.action", has=page.locator("summary", has_text=title))
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    return section.locator("form")


def counselling(page: Page, day: str) -> None:
    form = open_form(page, "Konseling migrasi aman")
    form.get_by_label("Migrasi aman dan prosedural").check()
    form.get_by_label("Tanggal kejadian").fill(day)
    form.get_by_role("button", name="Simpan konseling").click()


def document(page: Page, kind: str, number: str) -> None:
    form = open_form(page, "Catat dokumen")
    form.get_by_label("Jenis dokumen").select_option(kind)
    form.get_by_label("Nomor dokumen").fill(number)
    form.get_by_label("Tanggal terbit").fill("2024-01-10")
    form.get_by_role("button", name="Simpan dokumen").click()


def indication(page: Page, note: str) -> None:
    form = open_form(page, "Laporkan indikasi non-prosedural")
    form.locator("input[name=indicators]").first.check()
    form.locator("textarea[name=note]").fill(note)
    form.get_by_role("button", name="Simpan indikasi").click()


def waiting_banner(page: Page) -> Any:
    return page.locator("#jejak-outbox .offline-counts")


# Tests -------------------------------------------------------------------------------------


def test_five_entries_made_offline_on_two_cases_are_recorded_once_each(
    page: Page, context: BrowserContext, server: Server
) -> None:
    officer = token(server.base, "petugas.ternyang")
    first, second = seed_case(server.base, officer, 1), seed_case(server.base, officer, 2)
    before = {case: journey(server.base, officer, case)["version"] for case in (first, second)}
    log_in(page, "petugas.ternyang")
    ready_offline(page)
    open_case(page, first)
    open_case(page, second)

    context.set_offline(True)
    page.goto(f"/journeys/{first}")  # from this PC's copy
    expect(page.locator("#jejak-outbox")).to_contain_text("Salinan halaman dari")
    counselling(page, "2024-01-05")
    expect(waiting_banner(page)).to_contain_text("1 entri belum terkirim")
    document(page, "passport", "C1234567")
    expect(waiting_banner(page)).to_contain_text("2 entri belum terkirim")
    indication(page, "calo menawarkan visa turis")
    expect(waiting_banner(page)).to_contain_text("3 entri belum terkirim")
    expect(page.locator("#outbox-here li")).to_have_count(3)
    expect(page.locator("#outbox-here")).to_contain_text("belum terkirim")

    page.goto(f"/journeys/{second}")
    counselling(page, "2024-02-05")
    document(page, "health_certificate", "MCU-77")
    expect(waiting_banner(page)).to_contain_text("5 entri belum terkirim")
    page.reload()
    expect(waiting_banner(page)).to_contain_text("5 entri belum terkirim")
    expect(page.locator("#outbox-here li")).to_have_count(2)
    assert journey(server.base, officer, first)["version"] == before[first]

    context.set_offline(False)
    expect(page.locator("#jejak-outbox")).to_contain_text("5 entri terkirim.")
    expect(waiting_banner(page)).to_have_count(0)
    one, two = journey(server.base, officer, first), journey(server.base, officer, second)
    assert one["version"] == before[first] + 3
    assert two["version"] == before[second] + 2
    assert [c["occurred_on"] for c in one["counselling"]] == ["2024-01-05"]
    assert [d["number"] for d in one["documents"]] == ["C1234567"]
    assert [i["note"] for i in one["indications"]] == ["calo menawarkan visa turis"]
    assert [d["number"] for d in two["documents"]] == ["MCU-77"]
    page.get_by_role("button", name="Muat ulang halaman").click()
    expect(page.locator("#history")).to_contain_text("MCU-77")
    expect(page.locator("#outbox-here")).to_have_count(0)
