"""The cooperative's books through the real app, on both backends: every path of SPEC §3
and each refusal a treasurer can meet."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.support import (
    FAR_VILLAGE,
    OTHER_VILLAGE,
    VILLAGE,
    create_user,
    login,
    nik_for,
    worker_body,
)

Headers = dict[str, str]
TODAY = datetime.now(UTC).date()
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> Headers:
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    coordinator = login(client, "koordinator.malang")
    for code in (VILLAGE, OTHER_VILLAGE):
        response = client.post(
            "/v1/villages", json={"village_code": code, "cohort_year": 2018}, headers=coordinator
        )
        assert response.status_code == 201, response.text
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    return login(client, "petugas.ternyang")


@pytest.fixture
def coop(client: TestClient, officer: Headers) -> str:
    response = client.post(
        "/v1/cooperatives",
        json={
            "name": "Koperasi Desmigratif Ternyang Sejahtera",
            "village_code": VILLAGE,
            "legal_entity_number": "AHU-0001234.AH.01.26.TAHUN 2019",
            "established_on": "2019-03-01",
        },
        headers=officer,
    )
    assert response.status_code == 201, response.text
    assert response.json()["version"] == 1
    return str(response.json()["id"])


@pytest.fixture
def member(client: TestClient, officer: Headers, coop: str) -> str:
    return admit(
        client,
        officer,
        coop,
        {"person": {"name": "Sri Wahyuni"}, "kind": "family", "occurred_on": "2020-01-02"},
    )


def admit(client: TestClient, headers: Headers, coop: str, body: dict[str, Any]) -> str:
    response = client.post(f"/v1/cooperatives/{coop}/members", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["member_id"])


def post(client: TestClient, headers: Headers, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json=body, headers=headers)


def deposit(
    client: TestClient, headers: Headers, coop: str, member: str, kind: str, amount: int
) -> None:
    response = post(
        client,
        headers,
        f"/v1/cooperatives/{coop}/savings",
        {"member_id": member, "kind": kind, "amount": amount, "occurred_on": "2024-01-15"},
    )
    assert response.status_code == 201, response.text


def lend(client: TestClient, headers: Headers, coop: str, member: str, principal: int) -> str:
    response = post(
        client,
        headers,
        f"/v1/cooperatives/{coop}/loans",
        {
            "member_id": member,
            "principal": principal,
            "term_months": 12,
            "purpose": "Modal usaha warung",
            "occurred_on": "2024-02-01",
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["loan_id"])


def read(client: TestClient, headers: Headers, coop: str) -> dict[str, Any]:
    response = client.get(f"/v1/cooperatives/{coop}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert "Traceback" not in response.text
    return dict(error)


# Establishment ---------------------------------------------------------------------------


def test_an_officer_establishes_the_cooperative_of_their_village(
    client: TestClient, officer: Headers, coop: str
) -> None:
    body = read(client, officer, coop)
    assert body["name"] == "Koperasi Desmigratif Ternyang Sejahtera"
    assert body["village_code"] == VILLAGE
    assert body["legal_entity_number"] == "AHU-0001234.AH.01.26.TAHUN 2019"
    assert body["established_on"] == "2019-03-01"
    assert body["members"] == body["loans"] == body["business_units"] == body["meetings"] == []
    assert body["totals"] == {"active_members": 0, "savings": 0, "outstanding": 0}


def test_establishing_needs_a_registered_village_in_scope(
    client: TestClient, app_runtime: Runtime, officer: Headers
) -> None:
    body = {"name": "Koperasi", "village_code": OTHER_VILLAGE}
    assert_error(client.post("/v1/cooperatives", json=body, headers=officer), 403, "out_of_scope")
    create_user(app_runtime, "petugas.baru", "officer", ("35.07.12.2003",))
    undesignated = {"name": "Koperasi", "village_code": "35.07.12.2003"}
    established = client.post(
        "/v1/cooperatives", json=undesignated, headers=login(client, "petugas.baru")
    )
    assert established.status_code == 201, established.text  # designation is not a condition
    unknown = {"name": "Koperasi", "village_code": "35.07.12.9999"}
    assert_error(
        client.post("/v1/cooperatives", json=unknown, headers=officer), 422, "invalid_value"
    )
    future = {
        "name": "K",
        "village_code": VILLAGE,
        "established_on": (TODAY + timedelta(days=2)).isoformat(),
    }
    error = assert_error(
        client.post("/v1/cooperatives", json=future, headers=officer), 422, "invalid_value"
    )
    assert error["details"]["fields"][0]["field"] == "established_on"
    nameless = {"village_code": VILLAGE}
    assert_error(
        client.post("/v1/cooperatives", json=nameless, headers=officer), 422, "validation_failed"
    )


def test_admins_and_auditors_establish_nothing(
    client: TestClient, app_runtime: Runtime, officer: Headers
) -> None:
    create_user(app_runtime, "admin", "admin")
    create_user(app_runtime, "auditor", "auditor")
    for name in ("admin", "auditor"):
        response = client.post(
            "/v1/cooperatives",
            json={"name": "Koperasi", "village_code": VILLAGE},
            headers=login(client, name),
        )
        assert_error(response, 403, "forbidden")


# Members ---------------------------------------------------------------------------------


def test_workers_and_family_members_are_admitted_and_shown(
    client: TestClient, officer: Headers, coop: str
) -> None:
    worker_id = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    returnee = admit(client, officer, coop, {"worker_id": worker_id, "kind": "returnee"})
    nik = nik_for(date(1970, 2, 3), "P")
    mother = admit(
        client,
        officer,
        coop,
        {"person": {"name": "Sumiati", "nik": nik}, "kind": "family", "occurred_on": "2020-01-02"},
    )
    members = {m["member_id"]: m for m in read(client, officer, coop)["members"]}
    assert members[returnee]["worker_id"] == worker_id
    assert members[returnee]["kind"] == "returnee"
    assert members[returnee]["name"] is None
    assert members[mother]["name"] == "Sumiati"
    assert members[mother]["nik"] == nik
    assert members[mother]["admitted_on"] == "2020-01-02"
    assert members[mother]["status"] == "active"
    assert members[mother]["balances"] == {"pokok": 0, "wajib": 0, "sukarela": 0}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"kind": "family"}, 422, "invalid_value"),
        ({"person": {"name": "Sri"}, "worker_id": UNKNOWN, "kind": "family"}, 422, "invalid_value"),
        ({"worker_id": UNKNOWN, "kind": "returnee"}, 422, "invalid_value"),
        ({"person": {"name": "Sri", "nik": "12345"}, "kind": "family"}, 422, "invalid_value"),
        ({"person": {"name": "Sri"}, "kind": "tourist"}, 422, "validation_failed"),
        ({"person": {"name": ""}, "kind": "family"}, 422, "validation_failed"),
        (
            {"person": {"name": "Sri"}, "kind": "family", "occurred_on": "2019-02-28"},
            422,
            "date_too_early",
        ),
    ],
)
def test_invalid_admissions_are_refused(
    client: TestClient, officer: Headers, coop: str, body: dict[str, Any], status: int, code: str
) -> None:
    response = client.post(f"/v1/cooperatives/{coop}/members", json=body, headers=officer)
    error = assert_error(response, status, code)
    if "nik" in body.get("person", {}):
        assert error["details"]["fields"][0]["field"] == "person.nik"
    assert read(client, officer, coop)["members"] == []


def test_a_nik_never_reaches_an_error_message(
    client: TestClient, officer: Headers, coop: str
) -> None:
    nik = "3507124507950000"  # serial 0000: structurally invalid
    response = client.post(
        f"/v1/cooperatives/{coop}/members",
        json={"person": {"name": "Sri", "nik": nik}, "kind": "family"},
        headers=officer,
    )
    assert_error(response, 422, "invalid_value")
    assert nik not in response.text


def test_a_worker_outside_the_scope_is_not_admitted(
    client: TestClient, app_runtime: Runtime, officer: Headers, coop: str
) -> None:
    create_user(app_runtime, "petugas.cilacap", "officer", (FAR_VILLAGE,))
    body = worker_body(village_code=FAR_VILLAGE, nik=nik_for(date(1995, 7, 5), "P", "330101"))
    far_worker = client.post(
        "/v1/workers", json=body, headers=login(client, "petugas.cilacap")
    ).json()["id"]
    response = client.post(
        f"/v1/cooperatives/{coop}/members",
        json={"worker_id": far_worker, "kind": "returnee"},
        headers=officer,
    )
    error = assert_error(response, 422, "invalid_value")
    assert error["details"]["fields"][0]["field"] == "worker_id"


def test_a_member_is_not_admitted_twice(client: TestClient, officer: Headers, coop: str) -> None:
    worker_id = client.post("/v1/workers", json=worker_body(), headers=officer).json()["id"]
    first = admit(client, officer, coop, {"worker_id": worker_id, "kind": "returnee"})
    again = client.post(
        f"/v1/cooperatives/{coop}/members",
        json={"worker_id": worker_id, "kind": "returnee"},
        headers=officer,
    )
    error = assert_error(again, 409, "already_a_member")
    assert error["details"]["member_id"] == first


# Savings ---------------------------------------------------------------------------------


def test_deposits_sum_into_balances_per_kind(
    client: TestClient, officer: Headers, coop: str, member: str
) -> None:
    for kind, amount in [
        ("pokok", 100_000),
        ("wajib", 20_000),
        ("wajib", 20_000),
        ("sukarela", 75_500),
    ]:
        deposit(client, officer, coop, member, kind, amount)
    body = read(client, officer, coop)
    (shown,) = body["members"]
    assert shown["balances"] == {"pokok": 100_000, "wajib": 40_000, "sukarela": 75_500}
    assert shown["total_savings"] == 215_500
    assert body["totals"]["savings"] == 215_500
    assert body["version"] == 6


@pytest.mark.parametrize(
    "amount", [1.5, 1000.0, "1000", True, 0, -5000, 1_000_000_001, 10**20, None]
)
def test_money_must_be_whole_positive_rupiah_within_bounds(
    client: TestClient, officer: Headers, coop: str, member: str, amount: Any
) -> None:
    response = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/savings",
        {"member_id": member, "kind": "wajib", "amount": amount},
    )
    error = assert_error(response, 422, "validation_failed")
    assert [item["field"] for item in error["details"]["fields"]] == ["amount"]
    assert read(client, officer, coop)["members"][0]["total_savings"] == 0


def test_only_members_save(client: TestClient, officer: Headers, coop: str) -> None:
    response = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/savings",
        {"member_id": UNKNOWN, "kind": "wajib", "amount": 10_000},
    )
    error = assert_error(response, 409, "not_a_member")
    assert "only members save or borrow" in error["message"]


def test_sukarela_is_withdrawn_up_to_the_balance(
    client: TestClient, officer: Headers, coop: str, member: str
) -> None:
    deposit(client, officer, coop, member, "sukarela", 50_000)
    path = f"/v1/cooperatives/{coop}/savings-withdrawals"
    taken = post(
        client, officer, path, {"member_id": member, "amount": 20_000, "occurred_on": "2024-03-01"}
    )
    assert taken.status_code == 201, taken.text
    assert taken.json()["balance"] == 30_000
    too_much = post(
        client, {**officer, "Accept-Language": "id"}, path, {"member_id": member, "amount": 30_001}
    )
    error = assert_error(too_much, 409, "withdrawal_exceeds_balance")
    assert (
        error["message"]
        == "Saldo simpanan sukarela anggota Rp 30.000; penarikan Rp 30.001 melebihi saldo itu."
    )
    assert error["details"] == {"kind": "sukarela", "balance": 30_000, "amount": 30_001}
    assert read(client, officer, coop)["members"][0]["balances"]["sukarela"] == 30_000


def test_pokok_and_wajib_are_not_withdrawn_while_a_member(
    client: TestClient, officer: Headers, coop: str, member: str
) -> None:
    deposit(client, officer, coop, member, "pokok", 100_000)
    response = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/savings-withdrawals",
        {"member_id": member, "amount": 10_000, "kind": "pokok"},
    )
    error = assert_error(response, 409, "savings_locked_while_member")
    assert "paid back when the member leaves" in error["message"]


# Loans -----------------------------------------------------------------------------------


def test_loans_are_repaid_in_parts_and_never_beyond_what_is_owed(
    client: TestClient, officer: Headers, coop: str, member: str
) -> None:
    loan = lend(client, officer, coop, member, 3_000_000)
    path = f"/v1/cooperatives/{coop}/loans/{loan}/repayments"
    outstanding = 3_000_000
    for amount in (1_000_000, 750_000, 250_000):
        response = post(client, officer, path, {"amount": amount, "occurred_on": "2024-03-01"})
        assert response.status_code == 201, response.text
        outstanding -= amount
        assert response.json()["outstanding"] == outstanding
        assert response.json()["loan_id"] == loan
    (shown,) = read(client, officer, coop)["loans"]
    assert shown == {
        "loan_id": loan,
        "member_id": member,
        "principal": 3_000_000,
        "term_months": 12,
        "purpose": "Modal usaha warung",
        "disbursed_on": "2024-02-01",
        "repaid": 2_000_000,
        "outstanding": 1_000_000,
        "status": "outstanding",
    }
    error = assert_error(
        post(client, officer, path, {"amount": 1_000_001}), 409, "repayment_exceeds_outstanding"
    )
    assert error["details"]["outstanding"] == 1_000_000
    assert post(client, officer, path, {"amount": 1_000_000}).json()["outstanding"] == 0
    assert_error(post(client, officer, path, {"amount": 1}), 409, "loan_already_repaid")
    body = read(client, officer, coop)
    assert body["loans"][0]["status"] == "repaid"
    assert body["totals"]["outstanding"] == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"principal": 2.5}, "principal"),
        ({"principal": "3000000"}, "principal"),
        ({"principal": 0}, "principal"),
        ({"principal": 5_000_000_000}, "principal"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 121}, "term_months"),
        ({"term_months": 12.0}, "term_months"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_invalid_loans_are_refused(
    client: TestClient,
    officer: Headers,
    coop: str,
    member: str,
    changes: dict[str, Any],
    field: str,
) -> None:
    body = {
        "member_id": member,
        "principal": 1_000_000,
        "term_months": 12,
        "purpose": "Modal",
        **changes,
    }
    error = assert_error(
        post(client, officer, f"/v1/cooperatives/{coop}/loans", body), 422, "validation_failed"
    )
    assert [item["field"] for item in error["details"]["fields"]] == [field]


def test_only_members_borrow_and_unknown_loans_are_not_found(
    client: TestClient, officer: Headers, coop: str
) -> None:
    body = {"member_id": UNKNOWN, "principal": 1_000_000, "term_months": 12, "purpose": "Modal"}
    assert_error(post(client, officer, f"/v1/cooperatives/{coop}/loans", body), 409, "not_a_member")
    repayment = post(
        client, officer, f"/v1/cooperatives/{coop}/loans/{UNKNOWN}/repayments", {"amount": 1_000}
    )
    assert_error(repayment, 404, "not_found")
    assert (
        client.post(
            f"/v1/cooperatives/{coop}/loans/xyz/repayments", json={"amount": 1_000}, headers=officer
        ).status_code
        == 404
    )


def test_a_repayment_cannot_predate_its_loan(
    client: TestClient, officer: Headers, coop: str, member: str
) -> None:
    loan = lend(client, officer, coop, member, 1_000_000)
    response = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/loans/{loan}/repayments",
        {"amount": 1_000, "occurred_on": "2024-01-31"},
    )
    error = assert_error(response, 422, "date_too_early")
    assert error["details"]["fields"][0]["field"] == "occurred_on"


# Leaving ---------------------------------------------------------------------------------


def test_a_member_who_owes_cannot_leave_and_a_member_who_left_cannot_transact(
    client: TestClient, officer: Headers, coop: str, member: str
) -> None:
    deposit(client, officer, coop, member, "pokok", 100_000)
    deposit(client, officer, coop, member, "wajib", 25_000)
    deposit(client, officer, coop, member, "sukarela", 10_000)
    loan = lend(client, officer, coop, member, 500_000)
    leave = f"/v1/cooperatives/{coop}/members/{member}/withdrawal"
    error = assert_error(
        client.post(leave, json={"occurred_on": "2024-06-01"}, headers=officer),
        409,
        "outstanding_loan_blocks_leaving",
    )
    assert error["details"] == {"outstanding": 500_000, "loans": 1}
    assert (
        post(
            client, officer, f"/v1/cooperatives/{coop}/loans/{loan}/repayments", {"amount": 500_000}
        ).status_code
        == 201
    )

    left = client.post(leave, headers=officer)  # the body is optional: today
    assert left.status_code == 201, left.text
    assert left.json()["refunded"] == {"pokok": 100_000, "wajib": 25_000, "sukarela": 10_000}
    assert left.json()["member_id"] == member
    (shown,) = read(client, officer, coop)["members"]
    assert shown["status"] == "left"
    assert abs(date.fromisoformat(shown["left_on"]) - TODAY) <= timedelta(days=1)
    assert shown["balances"] == {"pokok": 0, "wajib": 0, "sukarela": 0}
    assert shown["refunded"] == {"pokok": 100_000, "wajib": 25_000, "sukarela": 10_000}

    again = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/savings",
        {"member_id": member, "kind": "wajib", "amount": 5_000},
    )
    assert_error(again, 409, "member_has_left")
    body = {"member_id": member, "principal": 1_000_000, "term_months": 12, "purpose": "Modal"}
    assert_error(
        post(client, officer, f"/v1/cooperatives/{coop}/loans", body), 409, "member_has_left"
    )
    assert_error(client.post(leave, headers=officer), 409, "member_has_left")


def test_leaving_names_a_member_of_this_cooperative(
    client: TestClient, officer: Headers, coop: str
) -> None:
    response = client.post(f"/v1/cooperatives/{coop}/members/{UNKNOWN}/withdrawal", headers=officer)
    assert_error(response, 404, "not_found")


# Business units and meetings -----------------------------------------------------------


def test_business_units_and_annual_meetings_are_recorded(
    client: TestClient, officer: Headers, coop: str, member: str
) -> None:
    unit = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/business-units",
        {"name": "Toko Sembako", "sector": "perdagangan", "occurred_on": "2020-05-01"},
    )
    assert unit.status_code == 201, unit.text
    meeting = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/meetings",
        {"held_on": "2024-02-20", "attendees": 1},
    )
    assert meeting.status_code == 201, meeting.text
    body = read(client, officer, coop)
    assert body["business_units"] == [
        {
            "business_unit_id": unit.json()["business_unit_id"],
            "name": "Toko Sembako",
            "sector": "perdagangan",
            "opened_on": "2020-05-01",
        }
    ]
    assert body["meetings"] == [{"held_on": "2024-02-20", "attendees": 1}]
    twice = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/meetings",
        {"held_on": "2024-11-20", "attendees": 1},
    )
    assert_error(twice, 409, "annual_meeting_already_held")
    crowded = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/meetings",
        {"held_on": "2023-02-20", "attendees": 35},
    )
    assert crowded.status_code == 201, crowded.text  # members not (yet) in Jejak attend too
    future = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/meetings",
        {"held_on": (TODAY + timedelta(days=5)).isoformat(), "attendees": 1},
    )
    error = assert_error(future, 422, "invalid_value")
    assert error["details"]["fields"][0]["field"] == "held_on"
    early = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/business-units",
        {"name": "X", "sector": "Y", "occurred_on": "2018-01-01"},
    )
    assert_error(early, 422, "date_too_early")


# Scope, roles and the write contract -----------------------------------------------------


def test_a_cooperative_outside_the_scope_looks_like_it_does_not_exist(
    client: TestClient, app_runtime: Runtime, coop: str, member: str
) -> None:
    create_user(app_runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,))
    other = login(client, "petugas.senggreng")
    assert_error(client.get(f"/v1/cooperatives/{coop}", headers=other), 404, "not_found")
    assert_error(client.get(f"/v1/cooperatives/{UNKNOWN}", headers=other), 404, "not_found")
    writes = [
        (f"/v1/cooperatives/{coop}/members", {"person": {"name": "X"}, "kind": "community"}),
        (
            f"/v1/cooperatives/{coop}/savings",
            {"member_id": member, "kind": "wajib", "amount": 1_000},
        ),
        (f"/v1/cooperatives/{coop}/savings-withdrawals", {"member_id": member, "amount": 1_000}),
        (
            f"/v1/cooperatives/{coop}/loans",
            {"member_id": member, "principal": 1_000, "term_months": 1, "purpose": "x"},
        ),
        (f"/v1/cooperatives/{coop}/loans/{UNKNOWN}/repayments", {"amount": 1_000}),
        (f"/v1/cooperatives/{coop}/members/{member}/withdrawal", {}),
        (f"/v1/cooperatives/{coop}/business-units", {"name": "x", "sector": "y"}),
        (f"/v1/cooperatives/{coop}/meetings", {"held_on": "2024-01-01", "attendees": 1}),
    ]
    for path, body in writes:
        assert_error(post(client, other, path, body), 404, "not_found")


def test_coordinators_write_auditors_read_admins_neither(
    client: TestClient, app_runtime: Runtime, coop: str, member: str
) -> None:
    coordinator = login(client, "koordinator.malang")
    deposit(client, coordinator, coop, member, "wajib", 10_000)
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "admin", "admin")
    auditor, admin = login(client, "auditor"), login(client, "admin")
    assert read(client, auditor, coop)["members"][0]["balances"]["wajib"] == 10_000
    body = {"member_id": member, "kind": "wajib", "amount": 10_000}
    assert_error(post(client, auditor, f"/v1/cooperatives/{coop}/savings", body), 403, "forbidden")
    assert_error(client.get(f"/v1/cooperatives/{coop}", headers=admin), 403, "forbidden")


def test_a_stale_if_match_is_refused_and_a_retry_is_recorded_once(
    client: TestClient, officer: Headers, coop: str, member: str
) -> None:
    body = {"member_id": member, "kind": "wajib", "amount": 10_000}
    path = f"/v1/cooperatives/{coop}/savings"
    error = assert_error(
        client.post(path, json=body, headers={**officer, "If-Match": '"1"'}),
        412,
        "version_mismatch",
    )
    assert error["details"] == {"expected": 1, "current": 2}
    keyed = {**officer, "Idempotency-Key": "setoran-1", "If-Match": '"2"'}
    first = client.post(path, json=body, headers=keyed)
    again = client.post(path, json=body, headers=keyed)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert read(client, officer, coop)["members"][0]["balances"]["wajib"] == 10_000
    other_body = client.post(path, json={**body, "amount": 20_000}, headers=keyed)
    assert_error(other_body, 422, "idempotency_key_reused")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("meetings", {"held_on": "2024-02-20", "attendees": 0}, "attendees"),
        ("meetings", {"held_on": "2024-02-20", "attendees": 1.5}, "attendees"),
        ("meetings", {"attendees": 3}, "held_on"),
        ("business-units", {"name": "", "sector": "perdagangan"}, "name"),
        ("business-units", {"name": "Toko"}, "sector"),
        ("savings", {"member_id": UNKNOWN, "kind": "emas", "amount": 1_000}, "kind"),
        ("savings-withdrawals", {"member_id": "nobody", "amount": 1_000}, "member_id"),
    ],
)
def test_invalid_bodies_name_the_field(
    client: TestClient, officer: Headers, coop: str, path: str, body: dict[str, Any], field: str
) -> None:
    error = assert_error(
        post(client, officer, f"/v1/cooperatives/{coop}/{path}", body), 422, "validation_failed"
    )
    assert [item["field"] for item in error["details"]["fields"]] == [field]
    assert read(client, officer, coop)["version"] == 1


def test_a_retried_admission_returns_the_same_member_id(
    client: TestClient, officer: Headers, coop: str
) -> None:
    headers = {**officer, "Idempotency-Key": "anggota-sri"}
    body = {"person": {"name": "Sri"}, "kind": "community"}
    first = client.post(f"/v1/cooperatives/{coop}/members", json=body, headers=headers)
    again = client.post(f"/v1/cooperatives/{coop}/members", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["member_id"] == first.json()["member_id"]
    assert len(read(client, officer, coop)["members"]) == 1


def test_refusals_speak_indonesian_with_indonesian_amounts(
    client: TestClient, officer: Headers, coop: str, member: str
) -> None:
    loan = lend(client, officer, coop, member, 2_500_000)
    response = client.post(
        f"/v1/cooperatives/{coop}/loans/{loan}/repayments",
        json={"amount": 3_000_000},
        headers={**officer, "Accept-Language": "id"},
    )
    error = assert_error(response, 409, "repayment_exceeds_outstanding")
    assert "Rp 2.500.000" in error["message"]
    assert "Rp 3.000.000" in error["message"]
    assert error["details"]["outstanding"] == 2_500_000
    english = client.post(
        f"/v1/cooperatives/{coop}/members/{member}/withdrawal", json={}, headers=officer
    )
    assert assert_error(english, 409, "outstanding_loan_blocks_leaving")["message"] == (
        "The member still owes Rp 2,500,000 on 1 loan(s) and cannot leave the cooperative "
        "until it is repaid."
    )


def test_a_member_admitted_as_appendix_a_shows_can_save_and_borrow_on_earlier_dates(
    client: TestClient, officer: Headers, coop: str
) -> None:
    """Appendix A's admission body has no date, so it is recorded today; the treasurer's
    book then brings in last month's deposits and loans, which are facts all the same."""
    member = admit(client, officer, coop, {"person": {"name": "Sri"}, "kind": "returnee"})
    saved = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/savings",
        {"member_id": member, "kind": "wajib", "amount": 50_000, "occurred_on": "2024-05-02"},
    )
    assert saved.status_code == 201, saved.text
    lent = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/loans",
        {
            "member_id": member,
            "principal": 1_000_000,
            "term_months": 10,
            "purpose": "modal warung",
            "occurred_on": "2024-05-03",
        },
    )
    assert lent.status_code == 201, lent.text
    early = post(
        client,
        officer,
        f"/v1/cooperatives/{coop}/savings",
        {"member_id": member, "kind": "wajib", "amount": 50_000, "occurred_on": "2019-02-01"},
    )
    assert_error(early, 422, "date_too_early")  # before the cooperative was established
