"""Helpers of the offline browser tests (tests/e2e/test_web_offline.py): cases made through
the API, a person in the browser, and what the browser keeps, read as the app reads it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx2 as httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.support import PASSWORD, VILLAGE, nik_for


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


def eventually(page: Page, check: Callable[[], bool], what: str) -> None:
    """Polls ``check`` (Playwright's own waits do not await a promise a predicate returns),
    waiting through the page so that its events (a dialog) are handled meanwhile."""
    deadline = time.monotonic() + 15
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"still not so after 15 s: {what}")
        page.wait_for_timeout(100)


def keep(page: Page, path: str) -> None:
    """Opens a page online and waits until this PC keeps it."""
    page.goto(path)
    expect(page.locator("body[data-jejak-user]")).to_have_count(1)
    eventually(page, lambda: path in kept_pages(page), f"{path} is kept")


def open_case(page: Page, journey_id: str) -> None:
    keep(page, f"/journeys/{journey_id}")
    expect(page.locator("h1")).to_contain_text("Pekerja Luring")


def stored_as(page: Page) -> dict[str, Any]:
    """What this PC holds for the person signed in, read from IndexedDB as anyone with the
    browser profile could: the outbox rows, their bytes and the key."""
    stored: dict[str, Any] = page.evaluate(
        """async () => {
            const { signedIn } = await import('/offline/store.js');
            const name = 'jejak-user-' + (await signedIn()).user;
            const db = await new Promise((resolve) => {
                indexedDB.open(name).onsuccess = (event) => resolve(event.target.result);
            });
            const read = (store, key) => new Promise((resolve) => {
                const objects = db.transaction(store).objectStore(store);
                (key ? objects.get(key) : objects.getAll()).onsuccess =
                    (event) => resolve(event.target.result);
            });
            const rows = [...await read('outbox'), ...await read('pages')];
            const outbox = await read('outbox');
            const key = await read('meta', 'key');
            const exported = await crypto.subtle.exportKey('raw', key).then(() => true, () => false);
            const bytes = rows.map((row) => new TextDecoder('latin1').decode(row.sealed.data));
            db.close();
            return {
                entries: outbox.length,
                in_clear: Object.keys(outbox[0]).sort(),
                key: { extractable: key.extractable, exported, type: key.type },
                bytes: bytes.join(''),
            };
        }"""
    )
    return stored


def offline_on_a_case(
    page: Page, context: BrowserContext, base: str, number: int
) -> tuple[dict[str, str], str, int]:
    """The officer opened a new case online and is now on this PC's copy of it, with no
    line; answers their API headers, the case and its version."""
    officer = token(base, "petugas.ternyang")
    case = seed_case(base, officer, number)
    before = int(journey(base, officer, case)["version"])
    log_in(page, "petugas.ternyang")
    ready_offline(page)
    open_case(page, case)
    context.set_offline(True)
    page.goto(f"/journeys/{case}")
    return officer, case, before


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


def caches(page: Page) -> list[str]:
    names: list[str] = page.evaluate("async () => (await caches.keys()).sort()")
    return names
