"""CSV downloads through the real app, on both backends. Scripts keep the machine CSV
(field names, codes, commas, no BOM); people get a file Excel opens as it is (a UTF-8 BOM,
``;`` and Indonesian words for an Indonesian reader, ``,`` and English otherwise), from
every download link of the web pages and from the API with ``?format=excel``. A cell that
would run as a formula is neutralised in both."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from application.principal import SYSTEM_PRINCIPAL
from infrastructure.bootstrap import Runtime
from interfaces.http.routes.reports import JOURNEY_COLUMNS
from tests.support import DEPARTURE, VILLAGE, create_user, journey_body, login, nik_for, worker_body
from tests.web import Person

Headers = dict[str, str]
FORMULA = '=HYPERLINK("http://evil.example")'


@pytest.fixture
def coordinator(client: TestClient, app_runtime: Runtime) -> Headers:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    create_user(app_runtime, "koordinator.malang", "coordinator", ("35.07",))
    return login(client, "koordinator.malang")


def post(client: TestClient, headers: Headers, path: str, body: dict[str, object]) -> int:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["position"])


@pytest.fixture
def departed(client: TestClient, coordinator: Headers) -> tuple[str, int]:
    """A worker gone to Poland without her documents (non-procedural), and a cooperative
    named like a spreadsheet formula: the journey's id and the last write's position."""
    officer = login(client, "petugas.ternyang")
    birth = date(1996, 5, 17)
    worker = client.post(
        "/v1/workers",
        json=worker_body(nik=nik_for(birth, "P"), birth_date=birth.isoformat()),
        headers=officer,
    ).json()["id"]
    opened = client.post(
        "/v1/journeys", json=journey_body(worker, destination_country="PL"), headers=officer
    ).json()["id"]
    post(client, officer, f"/v1/journeys/{opened}/departure", DEPARTURE)
    position = post(
        client,
        officer,
        "/v1/cooperatives",
        {"name": FORMULA, "village_code": VILLAGE, "established_on": "2019-03-01"},
    )
    return opened, position


def exports(runtime: Runtime) -> int:
    entries = runtime.app.access_entries(
        SYSTEM_PRINCIPAL, since=None, until=None, after=0, limit=100, username="koordinator.malang"
    )
    return [entry.action for entry in entries].count("export")


def as_excel_reads(response: httpx.Response, separator: str) -> list[dict[str, str]]:
    """The download as Excel opens it: the BOM says UTF-8, the locale's separator splits."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(codecs.BOM_UTF8)
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=separator))


def test_the_api_gives_people_a_spreadsheet_in_their_language_when_asked(
    client: TestClient, app_runtime: Runtime, coordinator: Headers, departed: tuple[str, int]
) -> None:
    journey, position = departed
    asked = {"min_position": position, "format": "excel"}
    indonesian = client.get(
        "/v1/reports/journeys", params=asked, headers={**coordinator, "Accept-Language": "id"}
    )
    rows = as_excel_reads(indonesian, ";")
    assert len(rows) == 1
    row = rows[0]
    assert row["ID perjalanan"] == journey
    assert row["Tahap"] == "Masa penempatan"
    assert row["Negara tujuan"] == "Polandia"
    assert row["Skema penempatan"] == "Melalui P3MI (P to P)"
    assert row["Nonprosedural"] == "Ya"
    assert row["Alasan nonprosedural"] == "Dokumen wajib tidak ada"
    assert row["Ada rencana reintegrasi"] == "Tidak"
    assert row["Tanggal berangkat"] == "01/03/2024"
    assert row["Akhir kontrak"] == "01/03/2026"
    assert row["Peristiwa terakhir"] == "Berangkat"
    for code in ("True", "False", "[", "missing_document", "placement", ";PL;", "p3mi"):
        assert code not in indonesian.content.decode("utf-8-sig"), code
    english = client.get("/v1/reports/journeys", params=asked, headers=coordinator)
    [row] = as_excel_reads(english, ",")
    assert (row["Stage"], row["Destination country"], row["Non-procedural"]) == (
        "Working abroad",
        "Poland",
        "Yes",
    )
    assert row["Departed on"] == "2024-03-01"
    coops = client.get(
        "/v1/reports/cooperatives", params=asked, headers={**coordinator, "Accept-Language": "id"}
    )
    [coop] = as_excel_reads(coops, ";")
    assert coop["Nama"] == "'" + FORMULA  # still no formula for Excel to run
    assert coop["Tanggal berdiri"] == "01/03/2019"
    assert exports(app_runtime) == 3  # a spreadsheet is an export, as the machine CSV


def test_scripts_keep_the_machine_csv(
    client: TestClient, coordinator: Headers, departed: tuple[str, int]
) -> None:
    journey, position = departed
    response = client.get(
        "/v1/reports/journeys",
        params={"min_position": position},
        headers={**coordinator, "Accept": "text/csv", "Accept-Language": "id"},
    )
    assert response.status_code == 200
    assert not response.content.startswith(codecs.BOM_UTF8)
    assert response.text.splitlines()[0] == ",".join(JOURNEY_COLUMNS)
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert row["journey_id"] == journey
    assert (row["stage"], row["destination_country"], row["non_procedural"]) == (
        "placement",
        "PL",
        "True",
    )
    assert row["non_procedural_reasons"] == '["missing_document"]'
    assert row["departed_on"] == "2024-03-01"


def test_an_unknown_format_is_refused(client: TestClient, coordinator: Headers) -> None:
    response = client.get("/v1/reports/journeys", params={"format": "xls"}, headers=coordinator)
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"][0]["field"] == "query.format"


def test_every_web_download_is_a_spreadsheet_in_the_page_language(
    client: TestClient, app_runtime: Runtime, departed: tuple[str, int]
) -> None:
    journey, _ = departed
    while app_runtime.projections.process():
        pass
    person = Person(client)
    person.login("koordinator.malang")
    watch = as_excel_reads(person.get("/dashboard/non-procedural.csv?region=35.07"), ";")
    assert [(r["ID perjalanan"], r["Tahap"], r["Nonprosedural"]) for r in watch] == [
        (journey, "Masa penempatan", "Ya")
    ]
    stages = as_excel_reads(person.get("/dashboard/stage-counts.csv?region=35.07"), ";")
    assert stages[0]["Tingkat wilayah"] == "Kecamatan"
    assert stages[0]["Masa penempatan"] == "1"
    [coop] = as_excel_reads(person.get("/dashboard/cooperatives.csv?region=35.07"), ";")
    assert coop["Nama"] == "'" + FORMULA
    agenda = as_excel_reads(person.get("/agenda.csv?region=35.07&status=overdue"), ";")
    assert {r["Jenis"] for r in agenda} >= {"Pemantauan kondisi"}
    assert {r["Dasar"] for r in agenda} >= {"berangkat 01/03/2024"}
    assert all(r["Status"] == "Terlambat" for r in agenda)
    person.get("/language/en?next=/dashboard")
    english = as_excel_reads(person.get("/dashboard/non-procedural.csv?region=35.07"), ",")
    assert [(r["Journey ID"], r["Stage"]) for r in english] == [(journey, "Working abroad")]
    assert exports(app_runtime) == 5
