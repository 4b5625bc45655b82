"""Helpers for tests of transfers and referrals (SPEC §8): a small programme of two
designated villages far apart, their officers and coordinators, and workers with journeys
recorded by the sending village's officer."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.support import (
    FAR_VILLAGE,
    OTHER_VILLAGE,
    VILLAGE,
    create_user,
    journey_body,
    login,
    nik_for,
    worker_body,
)

Headers = dict[str, str]

#: (username, role, regions) of the people of these tests.
PEOPLE = (
    ("petugas", "officer", (VILLAGE,)),
    ("petugas.senggreng", "officer", (OTHER_VILLAGE,)),
    ("petugas.cilacap", "officer", (FAR_VILLAGE,)),
    ("koordinator.malang", "coordinator", ("35.07",)),
    ("koordinator.cilacap", "coordinator", ("33.01",)),
    ("auditor", "auditor", ()),
    ("admin", "admin", ()),
)
_serials = itertools.count(500)


@dataclass
class Casework:
    client: TestClient
    headers: dict[str, Headers]

    def __getitem__(self, username: str) -> Headers:
        return self.headers[username]

    def post(self, who: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.client.post(path, json=body, headers=self.headers[who])
        assert response.status_code == 201, (path, response.text)
        return dict(response.json())

    def worker(self, who: str = "petugas", village: str = VILLAGE) -> str:
        serial = next(_serials)
        birth = date(1990, 1 + serial % 12, 1 + serial % 28)
        district = village.replace(".", "")[:6]
        body = worker_body(
            nik=nik_for(birth, "P", district=district, serial=serial),
            birth_date=birth.isoformat(),
            village_code=village,
        )
        return str(self.post(who, "/v1/workers", body)["id"])

    def journey(self, who: str = "petugas", village: str = VILLAGE) -> tuple[str, str]:
        worker = self.worker(who, village)
        journey = self.post(who, "/v1/journeys", journey_body(worker, occurred_on="2023-01-05"))
        return worker, str(journey["id"])

    def transfer(self, who: str, worker: str, to: str = FAR_VILLAGE) -> dict[str, Any]:
        return self.post(
            who, f"/v1/workers/{worker}/transfers", {"to_village_code": to, "reason": "menikah"}
        )


def casework(client: TestClient, runtime: Runtime) -> Casework:
    """The people, and the villages VILLAGE, OTHER_VILLAGE and FAR_VILLAGE designated."""
    for username, role, regions in PEOPLE:
        create_user(runtime, username, role, regions)
    work = Casework(client, {name: login(client, name) for name, _, _ in PEOPLE})
    for village in (VILLAGE, OTHER_VILLAGE, FAR_VILLAGE):
        work.post("admin", "/v1/villages", {"village_code": village, "cohort_year": 2018})
    return work


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code, error
    return dict(error)
