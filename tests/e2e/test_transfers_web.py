"""Transfers and referrals on the web pages, through the real app on both backends: the
forms of the case page, the inbox each side sees before and after an acceptance, and a
referral letter that carries what the agency needs and nothing more."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.casework import Casework, casework
from tests.support import FAR_VILLAGE
from tests.web import Person, field_errors


@pytest.fixture
def work(client: TestClient, app_runtime: Runtime) -> Casework:
    return casework(client, app_runtime)


def person(client: TestClient, username: str) -> Person:
    someone = Person(TestClient(client.app))
    assert someone.login(username).status_code == 200
    return someone


def visible_text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_an_officer_refers_from_the_case_page_and_prints_the_letter(work: Casework) -> None:
    disnaker = work.post("koordinator.malang", "/v1/agencies",
                         {"name": "Disnaker Kabupaten Malang", "kind": "disnaker",
                          "region_code": "35.07", "contact": "(0341) 390000"})["agency_id"]  # fmt: skip
    _, journey = work.journey()
    officer = person(work.client, "petugas")
    page = officer.get(f"/journeys/{journey}")
    assert "Disnaker Kabupaten Malang (35.07)" in page.text  # the directory in the form
    saved = officer.send(
        page.text,
        f"/journeys/{journey}/referrals",
        {"service": "wage_claim", "agency_id": disnaker, "reason": "Gaji tidak dibayar",
         "note": "Majikan di Taichung", "consent_given": "yes", "consent_by": "family",
         "consent_on": "2025-01-02"},
        follow_redirects=True,
    )  # fmt: skip
    assert saved.status_code == 200
    assert "Rujukan sudah dicatat." in saved.text
    shown = visible_text(saved.text)
    assert "#1 Tuntutan gaji yang tidak dibayar" in shown  # in the list and the history
    assert "Dirujuk ke lembaga" in shown

    letter = officer.get(f"/journeys/{journey}/referrals/1/letter")
    text = visible_text(letter.text)
    assert "Disnaker Kabupaten Malang" in text
    assert "(0341) 390000" in text
    assert "Siti Aminah" in text
    assert "Majikan di Taichung" in text
    assert "Diberikan oleh Keluarga pada 2 Januari 2025." in text
    # Nothing the agency does not need: no NIK for a Disnaker, no phone, no birth date.
    assert "NIK" not in text
    assert "081234567890" not in text
    assert "1990" not in text
    response = work.client.get(
        "/v1/audit/access-log", params={"limit": 1000}, headers=work["auditor"]
    ).json()
    actions = [entry["action"] for entry in response["items"]]
    assert "print_referral_letter" in actions


def test_a_letter_to_the_police_carries_only_the_last_four_digits_of_the_nik(
    work: Casework,
) -> None:
    worker, journey = work.journey()
    nik = work.client.get(f"/v1/workers/{worker}", headers=work["petugas"]).json()["nik"]
    work.post("petugas", f"/v1/journeys/{journey}/referrals",
              {"service": "investigation", "reason": "Dugaan TPPO",
               "external_agency": {"name": "Polres Malang", "kind": "police"},
               "consent": {"given": False, "ground": "trafficking"}})  # fmt: skip
    officer = person(work.client, "petugas")
    text = visible_text(officer.get(f"/journeys/{journey}/referrals/1/letter").text)
    assert "•" * 12 + nik[-4:] in text
    assert nik[:12] not in text
    assert "tanpa persetujuan, atas dasar: Tindak pidana perdagangan orang (TPPO)" in text


def test_the_referral_form_shows_refusals_next_to_their_fields(work: Casework) -> None:
    _, journey = work.journey()
    officer = person(work.client, "petugas")
    page = officer.get(f"/journeys/{journey}")
    refused = officer.send(
        page.text,
        f"/journeys/{journey}/referrals",
        {"service": "shelter", "external_name": "Rumah Aman", "external_kind": "ngo",
         "reason": "Bahaya", "consent_given": "no", "consent_ground": "danger_to_life"},
    )  # fmt: skip
    assert refused.status_code == 422
    errors = field_errors(refused.text)
    assert errors["referrals-consent_given"].startswith("tanpa persetujuan")
    missing = officer.send(
        page.text, f"/journeys/{journey}/referrals",
        {"service": "shelter", "reason": "Bahaya", "consent_given": "yes",
         "consent_by": "worker", "consent_on": "2025-01-01"},
    )  # fmt: skip
    assert "referrals-agency_id" in field_errors(missing.text)


def test_the_inbox_before_and_after_an_acceptance(work: Casework) -> None:
    worker, journey = work.journey()
    work.post("petugas", f"/v1/journeys/{journey}/incidents",
              {"occurred_on": "2023-02-01", "category": "abuse", "severity": "critical",
               "note": "Catatan rahasia kasus"})  # fmt: skip
    sender = person(work.client, "petugas")
    page = sender.get(f"/workers/{worker}")
    sent = sender.send(
        page.text, f"/workers/{worker}/transfers",
        {"to_village_code": FAR_VILLAGE, "reason": "Ikut suami", "back": f"/workers/{worker}"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Permintaan pindah sudah dikirim." in sent.text
    assert "menunggu jawaban" in sent.text

    receiver = person(work.client, "petugas.cilacap")
    inbox = receiver.get("/transfers")
    text = visible_text(inbox.text)
    assert "Siti Aminah" in text
    assert "Ikut suami" in text
    assert "Pra-penempatan" in text
    assert "Tanggapan kejadian (incident:1)" in text
    assert "Catatan rahasia kasus" not in text  # nothing of the case itself
    assert f'href="/journeys/{journey}"' not in inbox.text
    assert receiver.get(f"/workers/{worker}").status_code == 404

    accept = re.search(r'action="(/workers/[^"]+/acceptance)"', inbox.text)
    assert accept is not None
    accepted = receiver.send(inbox.text, accept.group(1), {}, follow_redirects=True)
    assert accepted.status_code == 200
    assert "Pekerja diterima" in accepted.text
    case = receiver.get(f"/journeys/{journey}")
    assert case.status_code == 200
    assert "Catatan rahasia kasus" in case.text  # the whole history is theirs now
    assert "Dipindahkan ke desa lain" in visible_text(case.text)
    assert sender.get(f"/journeys/{journey}").status_code == 404
    after = visible_text(sender.get("/transfers").text)
    assert "(tidak lagi dalam cakupan Anda)" in after
    assert "Siti Aminah" not in after


def test_a_refused_transfer_form_comes_back_with_its_error(work: Casework) -> None:
    worker, journey = work.journey()
    sender = person(work.client, "petugas")
    page = sender.get(f"/journeys/{journey}")
    refused = sender.send(
        page.text, f"/workers/{worker}/transfers",
        {"to_village_code": "35.07.12.2003", "reason": "pindah", "back": f"/journeys/{journey}"},
    )  # fmt: skip
    assert refused.status_code == 409
    assert "belum ditetapkan sebagai Desmigratif" in visible_text(refused.text)
    unknown = sender.send(
        page.text, f"/workers/{worker}/transfers",
        {"to_village_code": "35.07.12.9999", "reason": "pindah", "back": "//evil.example"},
    )  # fmt: skip
    assert unknown.status_code == 422
    assert "transfer-to_village_code" in field_errors(unknown.text)
    assert 'href="/workers/' in unknown.text  # back to the worker, never elsewhere


def test_a_declined_request_says_why_and_the_sender_can_ask_again(work: Casework) -> None:
    worker = work.worker()
    work.transfer("petugas", worker)
    receiver = person(work.client, "petugas.cilacap")
    inbox = receiver.get("/transfers")
    decline = re.search(r'action="(/workers/[^"]+/decline)"', inbox.text)
    assert decline is not None
    empty = receiver.send(inbox.text, decline.group(1), {"reason": ""})
    assert empty.status_code == 422
    done = receiver.send(inbox.text, decline.group(1), {"reason": "Bukan warga kami"},
                         follow_redirects=True)  # fmt: skip
    assert "Permintaan pindah ditolak." in done.text
    sender = person(work.client, "petugas")
    history = visible_text(sender.get(f"/workers/{worker}").text)
    assert "Ditolak" in history
    assert "Bukan warga kami" in history
    assert "Pindahkan ke desa lain…" in history  # the form is offered again
