"""Ending a case and paying out a loan on the web, on both backends: the closure form names
what is still open and asks why it is left open; closing, cancelling and disbursing a loan
are sent only with "Saya yakin" ticked, and a refusal keeps what was typed."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from infrastructure.bootstrap import Runtime
from tests.casework import Casework, casework
from tests.support import DEPARTURE, VILLAGE
from tests.web import Person, cooperative_with_a_member, field_errors

REASON = "pekerja pindah ke Batam, tidak dapat dihubungi"


@pytest.fixture
def work(client: TestClient, app_runtime: Runtime) -> Casework:
    return casework(client, app_runtime)


@pytest.fixture
def officer(work: Casework) -> Person:
    person = Person(work.client)
    assert person.login("petugas").status_code == 200
    return person


def returned_with_an_open_incident(work: Casework) -> str:
    _, journey = work.journey()
    base = f"/v1/journeys/{journey}"
    work.post("petugas", f"{base}/departure", DEPARTURE)
    incident = {"occurred_on": "2024-05-01", "category": "unpaid_wages", "severity": "high"}
    work.post("petugas", f"{base}/incidents", incident)
    work.post("petugas", f"{base}/return", {"returned_on": "2025-01-01", "reason": "leave"})
    return journey


def stage_of(runtime: Runtime, journey: str) -> str:
    return runtime.app.get_journey(SYSTEM_PRINCIPAL, UUID(journey)).stage


def test_the_closure_form_names_the_open_incident_and_asks_why_it_is_left_open(
    work: Casework, officer: Person, app_runtime: Runtime
) -> None:
    journey = returned_with_an_open_incident(work)
    page = officer.get(f"/journeys/{journey}").text
    form = page[page.index('id="form-closure"') :]
    form = form[: form.index("</details>")]
    assert "Kejadian #1: Gaji tidak dibayar (Tinggi)" in form
    assert 'name="leave_open_reason"' in form
    assert 'name="confirmed" type="checkbox" value="yes" required' in form
    path = (f"/journeys/{journey}", f"/journeys/{journey}/closure")

    # Without the tick: refused, with what was typed kept and every error at once.
    unticked = officer.submit(*path, {"reason": "sudah di rumah"})
    assert unticked.status_code == 422
    assert field_errors(unticked.text) == {
        "closure-confirmed": "Centang “Saya yakin” untuk melanjutkan."
    }
    assert 'value="sudah di rumah"' in unticked.text
    assert stage_of(app_runtime, journey) == "returned"

    # Ticked, without a reason for the open incident: refused next to the reason's box.
    no_reason = officer.submit(*path, {"reason": "sudah di rumah", "confirmed": "yes"})
    assert no_reason.status_code == 409
    errors = field_errors(no_reason.text)
    assert errors["closure-leave_open_reason"].startswith("Masih ada kejadian atau indikasi")
    assert 'value="sudah di rumah"' in no_reason.text
    assert stage_of(app_runtime, journey) == "returned"

    closed = officer.submit(
        *path, {"reason": "sudah di rumah", "leave_open_reason": REASON, "confirmed": "yes"}
    )
    assert closed.status_code == 200, field_errors(closed.text) or closed.text[-2000:]
    assert "Kasus sudah ditutup." in closed.text
    assert stage_of(app_runtime, journey) == "closed"
    box = closed.text[closed.text.index('id="left-open"') :]
    box = box[: box.index("</div>")]
    assert "Dibiarkan terbuka saat kasus berakhir" in box
    assert "Kejadian #1" in box
    assert REASON in box
    history = closed.text[closed.text.index('id="history"') :]
    assert re.search(r"Dibiarkan terbuka saat kasus berakhir.*Kejadian #1", history, re.S)
    summary = officer.get(f"/journeys/{journey}/summary").text
    assert "dibiarkan terbuka" in summary


def test_a_cancellation_is_sent_only_when_the_officer_is_sure(
    work: Casework, officer: Person, app_runtime: Runtime
) -> None:
    _, journey = work.journey()
    path = (f"/journeys/{journey}", f"/journeys/{journey}/cancellation")
    unticked = officer.submit(*path, {"reason": "tidak jadi berangkat"})
    assert unticked.status_code == 422
    assert set(field_errors(unticked.text)) == {"cancellation-confirmed"}
    assert stage_of(app_runtime, journey) == "pre_departure"
    done = officer.submit(*path, {"reason": "tidak jadi berangkat", "confirmed": "yes"})
    assert "Pembatalan sudah dicatat." in done.text
    assert stage_of(app_runtime, journey) == "cancelled"


def test_a_loan_is_paid_out_only_when_the_treasurer_is_sure(officer: Person) -> None:
    village_page = f"/villages/{VILLAGE}"
    coop, admitted, member = cooperative_with_a_member(officer, village_page)
    loan = {
        "member_id": member,
        "principal": "Rp 2.000.000",
        "term_months": "12",
        "purpose": "modal warung",
        "occurred_on": "2020-03-01",
    }
    unticked = officer.send(admitted.text, f"{coop}/loans", loan)
    assert unticked.status_code == 422
    assert field_errors(unticked.text) == {
        "loans-confirmed": "Centang “Saya yakin” untuk melanjutkan."
    }
    assert 'value="modal warung"' in unticked.text
    assert "Rp 2.000.000" not in unticked.text.split('id="form-loans"')[0]
    paid = officer.send(unticked.text, f"{coop}/loans", {**loan, "confirmed": "yes"})
    assert paid.status_code == 200, field_errors(paid.text)
    assert re.search(r"modal warung(</bdi>)?</td>", paid.text)  # in the loans table
