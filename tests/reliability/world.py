"""A small programme built over HTTP, the same way for a TestClient and a real server: users
of every role, and in two regions (one in the officer's scope, one far outside it) a
designated village with an activity, a worker, a journey, and a cooperative with a member
and a loan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx2 as httpx

from tests.support import FAR_VILLAGE, PASSWORD, VILLAGE, journey_body, nik_for, worker_body

#: (username, role, regions): the roles of the matrix, and an officer of the far village
#: who writes the out-of-scope records.
USERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("petugas", "officer", (VILLAGE,)),
    ("koordinator", "coordinator", ("35.07",)),
    ("auditor", "auditor", ()),
    ("admin", "admin", ()),
    ("petugas.jauh", "officer", (FAR_VILLAGE,)),
)
ROLES = ("officer", "coordinator", "auditor", "admin")
USERNAME_BY_ROLE = {
    "officer": "petugas",
    "coordinator": "koordinator",
    "auditor": "auditor",
    "admin": "admin",
}


@dataclass
class Site:
    """The records of one village."""

    village: str
    worker_id: str = ""
    journey_id: str = ""
    cooperative_id: str = ""
    member_id: str = ""
    loan_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    tokens: dict[str, str]
    near: Site
    far: Site

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}


def login(client: httpx.Client, username: str) -> str:
    response = client.post("/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    value: str = response.json()["access_token"]
    return value


def _post(client: httpx.Client, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, (path, response.status_code, response.text)
    answer: dict[str, Any] = response.json()
    return answer


def build_site(client: httpx.Client, token: str, village: str, serial: int) -> Site:
    site = Site(village)
    birth = date(1990, 6, 1 + serial)
    district = village.replace(".", "")[:6]
    site.worker_id = _post(
        client,
        token,
        "/v1/workers",
        worker_body(
            nik=nik_for(birth, "L", district=district, serial=serial),
            sex="L",
            birth_date=birth.isoformat(),
            village_code=village,
        ),
    )["id"]
    site.journey_id = _post(
        client, token, "/v1/journeys", journey_body(site.worker_id, occurred_on="2022-01-05")
    )["id"]
    site.cooperative_id = _post(
        client,
        token,
        "/v1/cooperatives",
        {"name": f"Koperasi {village}", "village_code": village, "established_on": "2019-03-01"},
    )["id"]
    site.member_id = _post(
        client,
        token,
        f"/v1/cooperatives/{site.cooperative_id}/members",
        {"person": {"name": "Anggota"}, "kind": "community", "occurred_on": "2020-01-02"},
    )["member_id"]
    site.loan_id = _post(
        client,
        token,
        f"/v1/cooperatives/{site.cooperative_id}/loans",
        {
            "member_id": site.member_id,
            "principal": 1_000_000,
            "term_months": 12,
            "purpose": "Modal usaha",
            "occurred_on": "2024-02-01",
        },
    )["loan_id"]
    return site


def build_world(client: httpx.Client) -> World:
    """Needs the USERS to exist already (created through the application)."""
    tokens = {username: login(client, username) for username, _, _ in USERS}
    for village in (VILLAGE, FAR_VILLAGE):
        _post(
            client, tokens["admin"], "/v1/villages", {"village_code": village, "cohort_year": 2018}
        )
    near = build_site(client, tokens["petugas"], VILLAGE, 1)
    far = build_site(client, tokens["petugas.jauh"], FAR_VILLAGE, 2)
    return World(tokens=tokens, near=near, far=far)
