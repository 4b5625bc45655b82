"""Reconciliation with a national placement list through the real app, on both backends."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.spreadsheets import csv_file, xlsx_file
from tests.support import (
    FAR_VILLAGE,
    VILLAGE,
    create_user,
    journey_body,
    login,
    nik_for,
    worker_body,
)

LIST_HEADER = ("NIK", "Nama", "Tanggal Berangkat", "Negara Tujuan", "P3MI")


@pytest.fixture
def officers(client: TestClient, app_runtime: Runtime) -> dict[str, dict[str, str]]:
    create_user(app_runtime, "petugas", "officer", (VILLAGE,))
    create_user(app_runtime, "petugas.jauh", "officer", (FAR_VILLAGE,))
    create_user(app_runtime, "koordinator", "coordinator", ("35.07",))
    return {name: login(client, name) for name in ("petugas", "petugas.jauh", "koordinator")}


def departed(
    client: TestClient,
    headers: dict[str, str],
    serial: int,
    name: str,
    on: str,
    country: str,
    village: str = VILLAGE,
) -> dict[str, Any]:
    born = date(1990, 1 + serial % 12, 1 + serial % 28)
    nik = nik_for(born, "P", district=village.replace(".", "")[:6], serial=serial)
    worker = client.post(
        "/v1/workers",
        json=worker_body(
            nik=nik, full_name=name, birth_date=born.isoformat(), village_code=village
        ),
        headers=headers,
    ).json()
    journey = client.post(
        "/v1/journeys",
        json=journey_body(worker["id"], destination_country=country, occurred_on="2023-01-02"),
        headers=headers,
    ).json()
    end = f"{int(on[:4]) + 2}{on[4:]}"
    departure = {
        "departed_on": on,
        "employer": "Majikan",
        "contract_start": on,
        "contract_end": end,
    }
    response = client.post(
        f"/v1/journeys/{journey['id']}/departure", json=departure, headers=headers
    )
    assert response.status_code == 201, response.text
    return {"nik": nik, "worker_id": worker["id"], "journey_id": journey["id"]}


def test_the_three_lists_name_jejak_ids_and_list_rows_never_a_nik(
    client: TestClient, officers: dict[str, dict[str, str]], app_runtime: Runtime
) -> None:
    officer = officers["petugas"]
    agreeing = departed(client, officer, 1111, "Siti Aminah", "2024-03-01", "TW")
    differing = departed(client, officer, 2222, "Rina Wati", "2024-04-10", "MY")
    unlisted = departed(client, officer, 3333, "Dewi Lestari", "2024-05-01", "SA")
    departed(client, officer, 4444, "Lama Sekali", "2021-01-05", "SG")  # before the list's dates
    elsewhere = departed(
        client, officers["petugas.jauh"], 5555, "Jauh", "2024-03-03", "TW", FAR_VILLAGE
    )
    unknown = nik_for(date(1992, 2, 2), "L", serial=6666)
    national = [
        LIST_HEADER,
        (agreeing["nik"], "SITI AMINAH", "01/03/2024", "Taiwan", "PT. Contoh Penempatan"),
        (differing["nik"], "Rina Wati", "12/04/2024", "Hong Kong", "PT Lain Sekali"),
        (unknown, "Tidak Dikenal", "02/03/2024", "Malaysia", "PT Contoh"),
        (elsewhere["nik"], "Jauh", "03/03/2024", "Taiwan", "PT Contoh Penempatan"),
        ("3507", "Salah", "03/03/2024", "Taiwan", ""),
    ]
    response = client.post(
        "/v1/reconciliations",
        files={"file": ("bp3mi.csv", csv_file(national, delimiter=";"), "text/csv")},
        headers=officer,
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["rows"], result["departed_since"], result["departed_until"]) == (
        5, "2024-03-01", "2024-04-12",
    )  # fmt: skip
    assert [r["row"] for r in result["national_only"]] == [4, 5]
    assert [r["journey_id"] for r in result["jejak_only"]] == []  # 1 May is after the list
    both = {entry["worker_id"]: entry for entry in result["both"]}
    assert both[agreeing["worker_id"]]["disagreements"] == []
    assert both[differing["worker_id"]]["disagreements"] == [
        {"field": "departed_on", "jejak": "2024-04-10", "national": "2024-04-12"},
        {"field": "destination_country", "jejak": "MY", "national": "HK"},
        {"field": "p3mi", "jejak": "PT Contoh Penempatan", "national": "PT Lain Sekali"},
    ]
    assert [(e["row"], e["field"]) for e in result["errors"]] == [(6, "NIK")]
    for value in (agreeing["nik"], differing["nik"], unknown, elsewhere["nik"], "Siti", "Rina"):
        assert value not in response.text
    assert unlisted["journey_id"] not in response.text


def test_departures_absent_from_the_list_are_a_watch_list_for_the_coordinator(
    client: TestClient, officers: dict[str, dict[str, str]]
) -> None:
    officer = officers["petugas"]
    listed = departed(client, officer, 1212, "Siti", "2024-03-01", "TW")
    unlisted = departed(client, officer, 3434, "Dewi", "2024-03-05", "SA")
    national = [LIST_HEADER, (listed["nik"], "Siti", date(2024, 3, 1), "TW", "")]
    response = client.post(
        "/v1/reconciliations",
        files={"file": ("bp3mi.xlsx", xlsx_file(national), "application/octet-stream")},
        data={"departed_since": "2024-01-01", "departed_until": "2024-12-31"},
        headers=officers["koordinator"],
    )
    assert response.status_code == 200, response.text
    watch = response.json()["jejak_only"]
    assert [(w["journey_id"], w["worker_id"], w["departed_on"]) for w in watch] == [
        (unlisted["journey_id"], unlisted["worker_id"], "2024-03-05")
    ]
    assert watch[0]["non_procedural"] is True  # no documents were recorded


def test_an_admin_may_not_reconcile_and_the_file_is_checked_like_an_import(
    client: TestClient, officers: dict[str, dict[str, str]], app_runtime: Runtime
) -> None:
    create_user(app_runtime, "admin", "admin")
    content = csv_file([LIST_HEADER])
    files = {"file": ("x.csv", content, "text/csv")}
    assert (
        client.post("/v1/reconciliations", files=files, headers=login(client, "admin")).status_code
        == 403
    )
    png = {"file": ("x.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")}
    response = client.post("/v1/reconciliations", files=png, headers=officers["petugas"])
    assert response.status_code == 415
    no_nik = {"file": ("x.csv", csv_file([("Nama",), ("Siti",)]), "text/csv")}
    assert (
        client.post("/v1/reconciliations", files=no_nik, headers=officers["petugas"]).status_code
        == 422
    )
