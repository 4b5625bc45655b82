"""Coordinators' reports on cooperatives and pillar activity, through the real app."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.support import FAR_VILLAGE, OTHER_VILLAGE, VILLAGE, create_user, login

Headers = dict[str, str]


@pytest.fixture
def people(client: TestClient, app_runtime: Runtime) -> dict[str, Headers]:
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    create_user(app_runtime, "koordinator.cilacap", "coordinator", ("33.01",))
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "admin", "admin")
    heads = {
        n: login(client, n)
        for n in (
            "koordinator.malang",
            "koordinator.cilacap",
            "petugas.ternyang",
            "auditor",
            "admin",
        )
    }
    for code, who in (
        (VILLAGE, "koordinator.malang"),
        (OTHER_VILLAGE, "koordinator.malang"),
        (FAR_VILLAGE, "koordinator.cilacap"),
    ):
        response = client.post(
            "/v1/villages", json={"village_code": code, "cohort_year": 2018}, headers=heads[who]
        )
        assert response.status_code == 201, response.text
    return heads


def write(client: TestClient, headers: Headers, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def books(client: TestClient, headers: Headers, village: str) -> tuple[str, int]:
    coop = write(
        client,
        headers,
        "/v1/cooperatives",
        {"name": "Koperasi Sejahtera", "village_code": village, "established_on": "2019-03-01"},
    )["id"]
    a = write(
        client,
        headers,
        f"/v1/cooperatives/{coop}/members",
        {"person": {"name": "Sri"}, "kind": "family", "occurred_on": "2020-01-02"},
    )["member_id"]
    b = write(
        client,
        headers,
        f"/v1/cooperatives/{coop}/members",
        {"person": {"name": "Ani"}, "kind": "community", "occurred_on": "2020-01-02"},
    )["member_id"]
    for member, kind, amount in (
        (a, "pokok", 100_000),
        (a, "wajib", 25_000),
        (b, "pokok", 100_000),
        (b, "sukarela", 500_000),
    ):
        write(
            client,
            headers,
            f"/v1/cooperatives/{coop}/savings",
            {"member_id": member, "kind": kind, "amount": amount, "occurred_on": "2020-02-01"},
        )
    write(
        client,
        headers,
        f"/v1/cooperatives/{coop}/savings-withdrawals",
        {"member_id": b, "amount": 200_000, "occurred_on": "2020-03-01"},
    )
    loan = write(
        client,
        headers,
        f"/v1/cooperatives/{coop}/loans",
        {
            "member_id": a,
            "principal": 2_000_000,
            "term_months": 12,
            "purpose": "warung",
            "occurred_on": "2020-04-01",
        },
    )["loan_id"]
    last = write(
        client,
        headers,
        f"/v1/cooperatives/{coop}/loans/{loan}/repayments",
        {"amount": 500_000, "occurred_on": "2020-05-01"},
    )
    return str(coop), int(last["position"])


def test_the_cooperatives_report_adds_up_the_books(
    client: TestClient, people: dict[str, Headers]
) -> None:
    coop, position = books(client, people["koordinator.malang"], VILLAGE)
    response = client.get(
        f"/v1/reports/cooperatives?min_position={position}", headers=people["koordinator.malang"]
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["position"] >= position
    [row] = body["items"]
    assert row["cooperative_id"] == coop
    assert (row["members_active"], row["members_total"]) == (2, 2)
    assert (row["savings_pokok"], row["savings_wajib"], row["savings_sukarela"]) == (
        200_000,
        25_000,
        300_000,
    )
    assert (
        row["loans"],
        row["loans_principal"],
        row["loans_repaid"],
        row["loans_outstanding"],
    ) == (1, 2_000_000, 500_000, 1_500_000)
    assert row["regency_code"] == "35.07"
    assert "Sri" not in response.text


def test_reports_never_reach_beyond_the_callers_scope(
    client: TestClient, people: dict[str, Headers]
) -> None:
    _, first = books(client, people["koordinator.malang"], VILLAGE)
    _, second = books(client, people["koordinator.malang"], OTHER_VILLAGE)
    _, third = books(client, people["koordinator.cilacap"], FAR_VILLAGE)
    position = max(first, second, third)
    malang = client.get(
        f"/v1/reports/cooperatives?min_position={position}", headers=people["koordinator.malang"]
    ).json()
    assert {row["village_code"] for row in malang["items"]} == {VILLAGE, OTHER_VILLAGE}
    officer = client.get("/v1/reports/cooperatives", headers=people["petugas.ternyang"]).json()
    assert {row["village_code"] for row in officer["items"]} == {VILLAGE}
    narrowed = client.get(
        f"/v1/reports/cooperatives?region={OTHER_VILLAGE}", headers=people["koordinator.malang"]
    ).json()
    assert {row["village_code"] for row in narrowed["items"]} == {OTHER_VILLAGE}
    outside = client.get(
        "/v1/reports/cooperatives?region=33.01", headers=people["koordinator.malang"]
    )
    assert outside.status_code == 403
    national = client.get("/v1/reports/cooperatives", headers=people["auditor"]).json()
    assert len(national["items"]) == 3
    assert client.get("/v1/reports/cooperatives", headers=people["admin"]).status_code == 403


def test_reports_page_by_cursor(client: TestClient, people: dict[str, Headers]) -> None:
    positions = [
        books(client, people["koordinator.malang"], v)[1] for v in (VILLAGE, OTHER_VILLAGE, VILLAGE)
    ]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1, "min_position": max(positions)}
        if cursor:
            params["after"] = cursor
        page = client.get(
            "/v1/reports/cooperatives", params=params, headers=people["koordinator.malang"]
        ).json()
        seen.extend(row["cooperative_id"] for row in page["items"])
        cursor = page["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 3
    bad = client.get(
        "/v1/reports/cooperatives?after=not-a-cursor", headers=people["koordinator.malang"]
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_cursor"


def test_reports_download_as_csv_without_formulas(
    client: TestClient, people: dict[str, Headers]
) -> None:
    headers = people["koordinator.malang"]
    coop = write(
        client,
        headers,
        "/v1/cooperatives",
        {
            "name": '=HYPERLINK("http://evil")',
            "village_code": VILLAGE,
            "established_on": "2019-03-01",
        },
    )
    response = client.get(
        f"/v1/reports/cooperatives?min_position={coop['position']}",
        headers={**headers, "Accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert int(response.headers["x-jejak-position"]) >= coop["position"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["cooperative_id"] == coop["id"]


def test_pillar_activity_per_village_month_and_pillar(
    client: TestClient, people: dict[str, Headers]
) -> None:
    headers = people["petugas.ternyang"]
    last = 0
    for pillar, held_on, participants in (
        ("migration_service", "2025-03-04", 30),
        ("migration_service", "2025-03-20", 12),
        ("community_parenting", "2025-03-21", 18),
        ("productive_business", "2024-11-02", 9),
    ):
        last = write(
            client,
            headers,
            f"/v1/villages/{VILLAGE}/activities",
            {
                "pillar": pillar,
                "held_on": held_on,
                "title": "Sosialisasi",
                "participants": participants,
            },
        )["position"]
    body = client.get(
        f"/v1/reports/pillar-activity?year=2025&min_position={last}",
        headers=people["koordinator.malang"],
    ).json()
    rows = {(r["month"], r["pillar"]): (r["activities"], r["participants"]) for r in body["items"]}
    assert rows == {
        ("2025-03", "community_parenting"): (1, 18),
        ("2025-03", "migration_service"): (2, 42),
    }
    older = client.get(
        "/v1/reports/pillar-activity?year=2024", headers=people["koordinator.malang"]
    ).json()
    assert [(r["pillar"], r["participants"]) for r in older["items"]] == [
        ("productive_business", 9)
    ]
    cilacap = client.get(
        "/v1/reports/pillar-activity", headers=people["koordinator.cilacap"]
    ).json()
    assert cilacap["items"] == []
