"""Imports through the real app, on both backends: CSV (with a byte order mark, with
semicolons) and XLSX (as openpyxl writes it, as LibreOffice saves it), the dry run, the
commit, a file imported twice, refusals, the templates."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from infrastructure.bootstrap import Runtime
from tests.spreadsheets import (
    JOURNEY_HEADER,
    OLD_XLS,
    WORKER_HEADER,
    Cell,
    csv_file,
    libreoffice_xlsx,
    with_macros,
    xlsx_file,
    zip_bomb,
)
from tests.support import FAR_VILLAGE, VILLAGE, create_user, login, nik_for, personal

BORN = date(1991, 3, 14)


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> dict[str, str]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    return login(client, "petugas.ternyang")


def upload(
    client: TestClient,
    headers: dict[str, str],
    content: bytes,
    kind: str = "workers",
    filename: str = "data.csv",
    **form: str,
) -> Any:
    return client.post(
        "/v1/imports",
        files={"file": (filename, content, "application/octet-stream")},
        data={"kind": kind, **form},
        headers=headers,
    )


def people(count: int, village: str = VILLAGE, first_serial: int = 1000) -> list[tuple[Cell, ...]]:
    """Workers whose NIKs differ in two digits or more, with different names and birth
    dates, so that none is a possible duplicate of another."""
    rows: list[tuple[Cell, ...]] = []
    for index in range(count):
        born = date(1980 + index % 20, 1 + index % 12, 1 + index % 27)
        nik = nik_for(born, "L", serial=first_serial + index * 11)
        name = f"Pekerja {chr(65 + index % 26)}{chr(65 + index // 26 % 26)}"
        personal(name)
        rows.append((nik, name, "L", born.strftime("%d/%m/%Y"), village, ""))
    return rows


def head(runtime: Runtime) -> int:
    return int(runtime.app.recorder.max_notification_id() or 0)


def test_a_dry_run_records_nothing_and_reports_every_problem_of_every_row(
    client: TestClient, officer: dict[str, str], app_runtime: Runtime
) -> None:
    good = people(2)
    future = (nik_for(BORN, "P", serial=7001), "Ani", "P", "14/03/2091", VILLAGE, "")
    rows = [
        WORKER_HEADER,
        *good,
        ("12345", "Tanpa NIK", "L", "14 Maret 1991", VILLAGE, ""),
        future,
        (nik_for(BORN, "L", serial=7101), "Di Luar", "L", "14/03/1991", FAR_VILLAGE, ""),
        (nik_for(BORN, "L", serial=7201), "", "X", "kemarin", VILLAGE, ""),
    ]
    before = head(app_runtime)
    response = upload(client, officer, csv_file(rows, bom=True))
    assert response.status_code == 201, response.text
    body = response.json()
    assert head(app_runtime) == before
    assert (body["status"], body["rows"], body["would_record"], body["error_rows"]) == (
        "planned",
        6,
        2,
        4,
    )
    errors = {(e["row"], e["field"], e["code"]) for e in body["errors"]}
    assert (4, "NIK", "invalid_value") in errors
    assert (5, "Tanggal Lahir", "invalid_value") in errors  # born in the future
    assert (6, "", "out_of_scope") in errors
    # Every problem of the last row, not only the first.
    assert {(7, "Nama Lengkap"), (7, "Jenis Kelamin"), (7, "Tanggal Lahir")} <= {
        (row, field) for row, field, _ in errors
    }
    assert all(set(e) == {"row", "field", "code", "message"} for e in body["errors"])
    assert future[0] not in response.text


def test_the_commit_records_what_the_dry_run_said_and_names_the_source_in_the_chain(
    client: TestClient, officer: dict[str, str], app_runtime: Runtime
) -> None:
    create_user(app_runtime, "auditor", "auditor")
    auditor = login(client, "auditor")
    rows = [WORKER_HEADER, *people(3)]
    content = csv_file(rows, delimiter=";")
    planned = upload(client, officer, content).json()
    assert planned["events"] == {"Worker.Registered": 3}
    before = head(app_runtime)

    committed = client.post(f"/v1/imports/{planned['import_id']}/commit", headers=officer)
    assert committed.status_code == 201, committed.text
    assert (committed.json()["status"], committed.json()["recorded"]) == ("committed", 3)
    assert head(app_runtime) == before + 3

    feed = client.get(f"/v1/audit/events?after={before}&limit=10", headers=auditor).json()
    sources = [event["data"]["imported_from"] for event in feed["events"]]
    assert sources == [{"sha256": planned["sha256"], "sheet": "", "row": row} for row in (2, 3, 4)]
    assert client.get("/v1/audit/verify", headers=auditor).json()["failed"] == []


def test_the_same_file_imported_again_records_nothing(
    client: TestClient, officer: dict[str, str], app_runtime: Runtime
) -> None:
    content = xlsx_file([WORKER_HEADER, *people(3)], sheet="Pekerja")
    first = upload(client, officer, content, filename="pekerja.xlsx").json()
    client.post(f"/v1/imports/{first['import_id']}/commit", headers=officer)
    before = head(app_runtime)

    again = upload(client, officer, content, filename="pekerja.xlsx").json()
    assert (again["would_record"], again["already_imported"], again["errors"]) == (0, 3, [])
    committed = client.post(f"/v1/imports/{again['import_id']}/commit", headers=officer).json()
    assert committed["recorded"] == 0
    # Committing the first import again changes nothing either.
    client.post(f"/v1/imports/{first['import_id']}/commit", headers=officer)
    assert head(app_runtime) == before


def test_a_libreoffice_workbook_of_journeys_records_departures_and_returns(
    client: TestClient, officer: dict[str, str], app_runtime: Runtime
) -> None:
    registered = people(2)
    at_once = client.post(
        "/v1/imports",
        files={"file": ("w.csv", csv_file([WORKER_HEADER, *registered]), "text/csv")},
        data={"kind": "workers", "dry_run": "false"},
        headers=officer,
    )
    assert (at_once.status_code, at_once.json()["status"], at_once.json()["recorded"]) == (
        201, "committed", 2,
    )  # fmt: skip
    journeys: list[Sequence[Cell]] = [
        JOURNEY_HEADER,
        (registered[0][0], "Taiwan", "caregiver", "Melalui P3MI (P to P)", "PT Contoh Penempatan",
         "KEP 123/2021", date(2022, 3, 1), "Chen household", date(2022, 3, 2), date(2024, 3, 1),
         date(2024, 3, 5), "Perjanjian kerja berakhir"),
        (registered[1][0], "MY", "plantation worker", "mandiri", None, None, "1 Agustus 2023",
         "Ladang Sawit Sdn Bhd", "02/08/2023", "01/08/2025", None, None),
    ]  # fmt: skip
    response = upload(client, officer, libreoffice_xlsx(journeys), "journeys", "perjalanan.xlsx")
    body = response.json()
    assert body["errors"] == [], body["errors"]
    assert body["events"] == {"Journey.Opened": 2, "Journey.Departed": 2, "Journey.Returned": 1}
    committed = client.post(f"/v1/imports/{body['import_id']}/commit", headers=officer).json()
    assert committed["recorded"] == 2

    newest = head(app_runtime)
    report = client.get(f"/v1/reports/journeys?min_position={newest}", headers=officer).json()
    stages = sorted((row["destination_country"], row["stage"]) for row in report["items"])
    assert stages == [("MY", "placement"), ("TW", "returned")]


def test_a_commit_is_refused_when_the_records_moved_in_a_way_that_changes_it(
    client: TestClient, officer: dict[str, str], app_runtime: Runtime
) -> None:
    rows = [WORKER_HEADER, *people(3)]
    planned = upload(client, officer, csv_file(rows)).json()
    nik, name, sex, born, village, _ = rows[2]
    day, month, year = str(born).split("/")
    by_hand = {"nik": nik, "full_name": name, "sex": sex, "birth_date": f"{year}-{month}-{day}",
               "village_code": village}  # fmt: skip
    assert client.post("/v1/workers", json=by_hand, headers=officer).status_code == 201
    before = head(app_runtime)

    refused = client.post(
        f"/v1/imports/{planned['import_id']}/commit",
        headers={**officer, "Accept-Language": "id"},
    )
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert (error["code"], error["details"]["changed"], error["details"]["rows"]) == (
        "import_changed", 1, "3",
    )  # fmt: skip
    assert "uji coba" in error["message"]
    assert head(app_runtime) == before
    status = client.get(f"/v1/imports/{planned['import_id']}", headers=officer).json()
    assert status["status"] == "refused"


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 415, "unsupported_file"),
        (OLD_XLS, 415, "unsupported_file"),
        (b"PK\x03\x04 not really a zip", 415, "unsupported_file"),
    ],
)
def test_a_file_that_is_no_spreadsheet_is_refused_at_once(
    client: TestClient, officer: dict[str, str], content: bytes, status: int, code: str
) -> None:
    response = upload(client, officer, content, filename="data.xlsx")
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)


def test_a_workbook_with_macros_or_one_that_inflates_is_refused(
    client: TestClient, officer: dict[str, str]
) -> None:
    workbook = xlsx_file([WORKER_HEADER, *people(1)])
    macros = upload(client, officer, with_macros(workbook), filename="data.xlsm")
    assert (macros.status_code, macros.json()["error"]["code"]) == (415, "unsupported_file")
    assert "macro" in macros.json()["error"]["message"]
    bomb = upload(client, officer, zip_bomb(workbook), filename="data.xlsx")
    assert (bomb.status_code, bomb.json()["error"]["code"]) == (413, "file_too_large")


def test_an_upload_larger_than_the_limit_is_413_before_it_is_read(
    client: TestClient, officer: dict[str, str]
) -> None:
    limit = 20 * 1024 * 1024
    response = upload(client, officer, b"NIK\n" + b"1" * limit)
    assert response.status_code == 413
    assert response.json()["error"]["details"]["limit"] == limit


def test_a_file_without_the_kinds_columns_is_422_naming_them_in_the_readers_language(
    client: TestClient, officer: dict[str, str]
) -> None:
    title_then_header = [("DATA PMI DESA TERNYANG 2024",), (), ("NIK", "Nama")]
    response = client.post(
        "/v1/imports",
        files={"file": ("x.csv", csv_file(title_then_header), "text/csv")},
        data={"kind": "workers"},
        headers={**officer, "Accept-Language": "id"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "missing_columns"
    assert "Jenis Kelamin, Tanggal Lahir, Kode Desa" in error["message"]
    assert error["message"].startswith("Berkas tidak memiliki kolom")


def test_row_errors_are_in_the_readers_language(
    client: TestClient, officer: dict[str, str]
) -> None:
    rows = [WORKER_HEADER, ("35071245079", "Siti", "P", "31/02/1995", VILLAGE, "")]
    response = client.post(
        "/v1/imports",
        files={"file": ("x.csv", csv_file(rows), "text/csv")},
        data={"kind": "workers"},
        headers={**officer, "Accept-Language": "id"},
    )
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages == {
        "NIK": "NIK terdiri dari tepat 16 digit",
        "Tanggal Lahir": "harus berupa tanggal seperti 15/08/1995 atau 15 Agustus 1995",
    }


def test_an_auditor_may_not_import_and_another_user_cannot_see_an_import(
    client: TestClient, officer: dict[str, str], app_runtime: Runtime
) -> None:
    create_user(app_runtime, "auditor", "auditor")
    create_user(app_runtime, "petugas.lain", "officer", (VILLAGE,))
    content = csv_file([WORKER_HEADER, *people(1)])
    assert upload(client, login(client, "auditor"), content).status_code == 403
    planned = upload(client, officer, content).json()
    other = login(client, "petugas.lain")
    assert client.get(f"/v1/imports/{planned['import_id']}", headers=other).status_code == 404
    commit = client.post(f"/v1/imports/{planned['import_id']}/commit", headers=other)
    assert commit.status_code == 404


def test_the_template_has_indonesian_headers_an_example_and_drop_down_lists(
    client: TestClient, officer: dict[str, str], app_runtime: Runtime
) -> None:
    response = client.get("/v1/imports/templates/journeys", headers=officer)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Perjalanan"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["NIK", "Nama Lengkap", "Jenis Kelamin"]
    assert "Tanggal Berangkat" in headers
    assert "Alasan Pulang" in headers
    assert sheet["A2"].value == "3507124507950003"
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    # Sex, placement scheme and return reason, each from its column of the hidden list.
    assert lists == {
        "C2:C5000": "=Daftar!$A$2:$A$3",
        "I2:I5000": "=Daftar!$B$2:$B$5",
        "R2:R5000": "=Daftar!$C$2:$C$10",
    }
    assert book["Daftar"].sheet_state == "hidden"
    reasons = [c.value for c in book["Daftar"]["C"]]
    assert "Perjanjian kerja berakhir" in reasons
    # The template uploaded unchanged records nothing: its example row is passed over.
    before = head(app_runtime)
    unchanged = upload(client, officer, response.content, "journeys", "template.xlsx").json()
    assert (unchanged["rows"], unchanged["would_record"]) == (0, 0)
    assert head(app_runtime) == before


def test_an_unknown_kind_is_422_in_a_form_and_names_no_template(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = upload(client, officer, b"NIK\n", kind="cooperatives")
    assert response.status_code == 422
    assert client.get("/v1/imports/templates/loans", headers=officer).status_code == 404
