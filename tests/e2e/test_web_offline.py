"""Working offline (SPEC §11) in a real browser: Debian's Chromium through Playwright, against
a real ``jejak serve`` on SQLite and on PostgreSQL, with the browser context's offline mode
standing for a village line that dropped.

Entries made offline wait in an encrypted outbox and are recorded once each when the line is
back; a refused entry waits in "perlu diperiksa" until the officer fixes or discards it; a
double click records one; two people on one browser profile see only their own; a new
build of Jejak replaces what the browser kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from interfaces.web.offline import files_digest
from tests.e2e import test_web_browser as browsing
from tests.e2e.test_web_browser import VILLAGE, Server
from tests.offline_browser import (
    caches,
    counselling,
    document,
    eventually,
    indication,
    journey,
    keep,
    kept_pages,
    log_in,
    offline_on_a_case,
    open_case,
    open_form,
    ready_offline,
    seed_case,
    stored_as,
    token,
    waiting_banner,
)
from tests.support import (
    PASSWORD,
    create_users_by_cli,
    free_port,
    jejak_serve,
    nik_for,
    serve_env,
)

USERS = browsing.USERS
# The real browser and server of the browser tests (pytest finds fixtures by name).
browser = browsing.browser
server = browsing.server


@pytest.fixture
def context(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    made = browser.new_context(base_url=server.base, locale="id-ID")
    made.set_default_timeout(15_000)
    problems: list[str] = []
    # A script error or a Content-Security-Policy refusal would break the app for someone.
    made.on("weberror", lambda error: problems.append(str(error.error)))
    made.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    yield made
    made.close()
    # What the line's absence and the server's refusals show in the console, as they should.
    expected = re.compile(
        r"^Failed to load resource: (net::ERR_|the server responded with a status of 4)"
    )
    assert [problem for problem in problems if not expected.match(problem)] == []


@pytest.fixture
def page(context: BrowserContext) -> Page:
    opened = context.new_page()
    opened.on("dialog", lambda dialog: dialog.accept())
    return opened


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
    stored = stored_as(page)
    assert stored["entries"] == 5
    assert stored["in_clear"] == ["id", "sealed", "seq", "state"]
    assert stored["key"] == {"extractable": False, "exported": False, "type": "secret"}
    for readable in ("C1234567", "calo", "MCU-77", "Pekerja Luring", "counselling"):
        assert readable not in stored["bytes"]
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


def test_a_refused_entry_waits_to_be_checked_and_is_fixed_or_discarded(
    page: Page, context: BrowserContext, server: Server
) -> None:
    officer, case, _ = offline_on_a_case(page, context, server.base, 3)
    counselling(page, "2024-03-01")
    indication(page, "menunggu yang pertama")
    # Meanwhile the coordinator records on the same case: the case moves on.
    coordinator = token(server.base, "koordinator.malang")
    moved = httpx.post(
        f"{server.base}/v1/journeys/{case}/documents",
        headers=coordinator,
        json={"kind": "passport", "number": "C7654321", "issued_on": "2024-01-10"},
    )
    moved.raise_for_status()
    version = moved.json()["version"]

    context.set_offline(False)
    review = page.locator("#outbox-review")
    expect(review).to_contain_text("Data ini baru saja diubah orang lain.")
    expect(waiting_banner(page)).to_contain_text("1 entri belum terkirim")
    expect(waiting_banner(page)).to_contain_text("1 perlu diperiksa")
    expect(page.locator("#outbox-here")).to_contain_text("menunggu entri sebelumnya")
    assert journey(server.base, officer, case)["version"] == version  # nothing written over

    review.get_by_role("link", name="Perbaiki dan kirim ulang").click()
    form = page.locator("details.action[open] form")
    expect(form).to_contain_text("Entri ini ditolak server.")
    expect(form.get_by_label("Migrasi aman dan prosedural")).to_be_checked()
    expect(form.get_by_label("Tanggal kejadian")).to_have_value("2024-03-01")
    form.get_by_role("button", name="Simpan konseling").click()
    expect(page.locator("#history")).to_contain_text("menunggu yang pertama")
    expect(page.locator("#jejak-outbox .offline-counts")).to_have_count(0)
    recorded = journey(server.base, officer, case)
    assert recorded["version"] == version + 2
    assert [c["occurred_on"] for c in recorded["counselling"]] == ["2024-03-01"]
    assert [i["note"] for i in recorded["indications"]] == ["menunggu yang pertama"]

    # A document without its number: the server's message next to the field, then discarded.
    context.set_offline(True)
    form = open_form(page, "Catat dokumen")
    form.get_by_label("Jenis dokumen").select_option("work_visa")
    form.get_by_label("Tanggal terbit").fill("2024-01-10")
    form.get_by_role("button", name="Simpan dokumen").click()
    context.set_offline(False)
    expect(review).to_contain_text("Nomor dokumen")
    expect(review).to_contain_text("wajib diisi")
    review.get_by_role("button", name="Buang").click()
    expect(page.locator("#outbox-review")).to_have_count(0)
    expect(waiting_banner(page)).to_have_count(0)
    assert journey(server.base, officer, case)["version"] == version + 2


def test_a_double_click_offline_records_one_entry(
    page: Page, context: BrowserContext, server: Server
) -> None:
    officer, case, before = offline_on_a_case(page, context, server.base, 4)
    form = open_form(page, "Konseling migrasi aman")
    form.get_by_label("Migrasi aman dan prosedural").check()
    form.get_by_role("button", name="Simpan konseling").dblclick()
    expect(waiting_banner(page)).to_contain_text("1 entri belum terkirim")
    page.reload()
    expect(page.locator("#outbox-here li")).to_have_count(1)
    context.set_offline(False)
    expect(page.locator("#jejak-outbox")).to_contain_text("1 entri terkirim.")
    recorded = journey(server.base, officer, case)
    assert recorded["version"] == before + 1
    assert len(recorded["counselling"]) == 1


def test_an_ended_session_asks_for_a_login_and_another_officer_sees_none_of_it(
    page: Page, context: BrowserContext, server: Server
) -> None:
    first, case, before = offline_on_a_case(page, context, server.base, 5)
    counselling(page, "2024-04-01")
    # The session ends while the line is down (here: signed out everywhere).
    httpx.post(f"{server.base}/v1/auth/logout", headers=first).raise_for_status()
    context.set_offline(False)
    expect(page.locator("#jejak-outbox")).to_contain_text("Sesi Anda sudah berakhir.")
    assert journey(server.base, token(server.base, "petugas.ternyang"), case)["version"] == before

    # The regency's coordinator logs in on this PC: nothing of the officer's shows.
    page.locator("#jejak-outbox").get_by_role("link", name="Masuk lagi").click()
    expect(page.locator("form[action='/login']")).to_contain_text("Nama pengguna")
    expect(page.locator("main")).to_contain_text("Ada entri yang menunggu dikirim di PC ini.")
    page.get_by_label("Nama pengguna").fill("koordinator.malang")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator("h1")).to_contain_text("Pekerja Luring 5")
    expect(page.locator("#jejak-outbox .offline-counts")).to_have_count(0)
    expect(page.locator("#outbox-here")).to_have_count(0)
    assert kept_pages(page) == [f"/journeys/{case}"]  # the coordinator's own copy only
    context.set_offline(True)
    page.goto("/workers/new")  # kept by nobody here: it needs the server
    expect(page.locator("h1")).to_have_text("Perlu koneksi ke server")
    context.set_offline(False)
    page.goto(f"/journeys/{case}")
    page.locator("form[action='/logout'] button").click()
    expect(page.locator("form[action='/login']")).to_be_visible()

    # The first officer again: their entry goes, once.
    log_in(page, "petugas.ternyang")
    expect(page.locator("#jejak-outbox")).to_contain_text("1 entri terkirim.")
    page.goto(f"/journeys/{case}")
    expect(page.locator("#history")).to_contain_text("1 April 2024")
    recorded = journey(server.base, token(server.base, "petugas.ternyang"), case)
    assert recorded["version"] == before + 1
    assert [c["occurred_on"] for c in recorded["counselling"]] == ["2024-04-01"]


def test_logging_out_with_entries_waiting_asks_first(
    context: BrowserContext, server: Server
) -> None:
    page = context.new_page()
    answers = iter([False, True])
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept() if next(answers) else dialog.dismiss()

    page.on("dialog", answer)
    _, case, _ = offline_on_a_case(page, context, server.base, 6)
    counselling(page, "2024-05-01")
    logout = page.locator("form[action='/logout'] button")
    logout.click()
    eventually(page, lambda: len(asked) == 1, "the logout asked first")
    expect(waiting_banner(page)).to_contain_text("1 entri belum terkirim")  # stayed
    assert asked == [
        "Masih ada 1 entri yang belum terkirim. Entri itu tetap tersimpan terenkripsi di PC ini "
        "dan dikirim saat Anda masuk lagi. Keluar sekarang?"
    ]
    logout.click()
    expect(page.locator("h1")).to_have_text("Perlu koneksi ke server")
    expect(page.locator("#offline-kept-none")).to_be_visible()  # the copies went
    # The server did not hear the logout: it is finished as soon as the line is back.
    context.set_offline(False)
    expect(page.locator("form[action='/login']")).to_be_visible()
    page.goto(f"/journeys/{case}")
    expect(page.locator("form[action='/login']")).to_be_visible()
    assert len(asked) == 2


def test_registrations_and_village_activities_wait_offline_too(
    page: Page, context: BrowserContext, server: Server
) -> None:
    coordinator = token(server.base, "koordinator.malang")
    httpx.post(
        f"{server.base}/v1/villages",
        headers=coordinator,
        json={"village_code": VILLAGE, "cohort_year": 2018},
    ).raise_for_status()
    log_in(page, "petugas.ternyang")
    ready_offline(page)
    for path in ("/workers/new", f"/villages/{VILLAGE}"):
        keep(page, path)

    context.set_offline(True)
    page.goto(f"/villages/{VILLAGE}")
    page.locator("summary", has_text="Catat kegiatan").click()
    page.get_by_label("Pilar").select_option("community_parenting")
    page.get_by_label("Nama kegiatan").fill("Rumah belajar anak PMI")
    page.get_by_label("Tanggal kegiatan").fill("2024-05-02")
    page.get_by_label("Jumlah peserta").fill("18")
    page.get_by_role("button", name="Catat kegiatan").click()
    expect(page.locator("#outbox-here")).to_contain_text("Kegiatan desa")

    page.goto("/workers/new")
    nik = nik_for(date(1996, 8, 17), "P")
    page.get_by_label("NIK", exact=True).fill(nik)
    page.get_by_label("NIK", exact=True).blur()  # the live check needs the server: not asked
    expect(page.locator("#jejak-outbox")).to_contain_text("Bagian ini perlu koneksi ke server.")
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Dewi Lestari")
    page.get_by_label("Tanggal lahir").fill("1996-08-17")
    page.get_by_label("Perempuan").check()
    page.get_by_role("button", name="Daftarkan").click()
    expect(page.locator("#outbox-here")).to_contain_text("Pendaftaran pekerja: Dewi Lestari")
    expect(waiting_banner(page)).to_contain_text("2 entri belum terkirim")

    context.set_offline(False)
    expect(page.locator("#jejak-outbox")).to_contain_text("2 entri terkirim.")
    officer = token(server.base, "petugas.ternyang")
    found = httpx.post(f"{server.base}/v1/workers/lookup", headers=officer, json={"nik": nik})
    assert found.status_code == 200
    assert found.json()["full_name"] == "Dewi Lestari"
    village = httpx.get(f"{server.base}/v1/villages/{VILLAGE}", headers=officer).json()
    assert [a["title"] for a in village["activities"]] == ["Rumah belajar anak PMI"]


def test_a_new_build_of_jejak_replaces_what_the_browser_kept(
    browser: Browser, database_url: str, tmp_path: Path
) -> None:
    env = serve_env(database_url, tmp_path)
    create_users_by_cli(env, tmp_path, USERS)
    port = free_port()
    context = browser.new_context(base_url=f"http://127.0.0.1:{port}", locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        with jejak_serve({**env, "JEJAK_BUILD": "rilis-1"}, tmp_path, port) as base:
            officer = token(base, "petugas.ternyang")
            kept, later = seed_case(base, officer, 7), seed_case(base, officer, 8)
            log_in(page, "petugas.ternyang")
            ready_offline(page)
            open_case(page, kept)
            open_case(page, later)
            assert caches(page) == [f"jejak-files-0.1.0-rilis-1.{files_digest()}"]
        # The server is away while the browser thinks it is online (a line up to the village
        # and no further): the page comes from the copy, the form from the worker's outbox.
        page.goto(f"/journeys/{later}")
        expect(page.locator("#jejak-outbox")).to_contain_text("Salinan halaman dari")
        counselling(page, "2024-06-01")
        expect(page).to_have_url(re.compile(r"\?offline=kept"))
        expect(waiting_banner(page)).to_contain_text("1 entri belum terkirim")
        with jejak_serve({**env, "JEJAK_BUILD": "rilis-2"}, tmp_path, port) as base:
            page.get_by_role("button", name="Kirim sekarang").click()  # made under rilis-1
            expect(page.locator("#jejak-outbox")).to_contain_text("1 entri terkirim.")
            page.goto("/workers")  # the browser finds the new worker, which takes over
            fresh = [f"jejak-files-0.1.0-rilis-2.{files_digest()}"]
            eventually(page, lambda: caches(page) == fresh, "only the new build's files are kept")
            recorded = journey(base, token(base, "petugas.ternyang"), later)
            assert [c["occurred_on"] for c in recorded["counselling"]] == ["2024-06-01"]
            # The pages kept by the older build are gone: offline, the case needs the server.
            context.set_offline(True)
            page.goto(f"/journeys/{kept}")
            expect(page.locator("h1")).to_have_text("Perlu koneksi ke server")
            context.set_offline(False)
            open_case(page, kept)
            context.set_offline(True)
            page.goto(f"/journeys/{kept}")
            expect(page.locator("#jejak-outbox")).to_contain_text("Salinan halaman dari")
    finally:
        context.close()


def test_the_pages_are_an_installable_app_and_work_without_javascript(
    browser: Browser, page: Page, context: BrowserContext, server: Server
) -> None:
    log_in(page, "petugas.ternyang")
    ready_offline(page)
    session = context.new_cdp_session(page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A browser context of a test is a private window, which is never offered an install.
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == []
    manifest = page.evaluate("async () => (await fetch('/manifest.webmanifest')).json()")
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"

    officer = token(server.base, "petugas.ternyang")
    case = seed_case(server.base, officer, 9)
    plain = browser.new_context(base_url=server.base, locale="id-ID", java_script_enabled=False)
    try:
        without = plain.new_page()
        log_in(without, "petugas.ternyang")
        without.goto(f"/journeys/{case}")
        counselling(without, "2024-07-01")
        expect(without.get_by_text("Konseling sudah dicatat.")).to_be_visible()
    finally:
        plain.close()
    recorded = journey(server.base, officer, case)
    assert [c["occurred_on"] for c in recorded["counselling"]] == ["2024-07-01"]


def test_an_entry_whose_answer_was_lost_is_sent_again_and_recorded_once(
    page: Page, context: BrowserContext, server: Server
) -> None:
    officer, case, before = offline_on_a_case(page, context, server.base, 10)
    counselling(page, "2024-08-01")
    lost: list[int] = []

    def deliver_then_drop(route: Any) -> None:
        lost.append(route.fetch().status)  # the server records it...
        route.abort("connectionreset")  # ...and the answer never arrives

    page.route("**/counselling", deliver_then_drop)
    context.set_offline(False)
    eventually(page, lambda: lost == [204], "the entry reached the server")
    expect(waiting_banner(page)).to_contain_text("1 entri belum terkirim")  # not known yet
    assert journey(server.base, officer, case)["version"] == before + 1
    page.unroute("**/counselling")
    page.get_by_role("button", name="Kirim sekarang").click()
    expect(page.locator("#jejak-outbox")).to_contain_text("1 entri terkirim.")
    recorded = journey(server.base, officer, case)
    assert recorded["version"] == before + 1
    assert [c["occurred_on"] for c in recorded["counselling"]] == ["2024-08-01"]
