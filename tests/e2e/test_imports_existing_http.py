"""Overwrite control at every entry point, on both backends: the API's ``on_existing`` form
field, the web upload form, and ``jejak import --on-existing``; answers in the reader's
language and in the one error shape."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from application.imports.columns import ImportKind
from application.imports.usecases import StartImport
from application.principal import SYSTEM_PRINCIPAL
from application.workers import NIK_CLAIM
from domain.contact import normalise_phone
from domain.worker import Worker
from infrastructure.bootstrap import Runtime
from infrastructure.settings import Settings
from interfaces.cli import main
from interfaces.importing import vocabulary_labels
from tests.spreadsheets import WORKER_HEADER, Cell, csv_file, xlsx_file
from tests.support import VILLAGE, create_user, login, nik_for, personal, use_settings
from tests.web import Person, hidden_fields

BORN = date(1992, 8, 15)
NAME = "Nur Hidayah"


def registered(runtime: Runtime) -> tuple[Cell, ...]:
    """A worker last semester's file brought in (phone 0812…)."""
    personal(NAME)
    person: tuple[Cell, ...] = (nik_for(BORN, "P", serial=3301), NAME, "P", "15/08/1992",
                                VILLAGE, "0812 3456 7890")  # fmt: skip
    command = StartImport(
        kind=ImportKind.WORKERS,
        content=csv_file([WORKER_HEADER, person]),
        dry_run=False,
        labels=vocabulary_labels(),
        wait_seconds=60,
    )
    assert runtime.app.start_import(SYSTEM_PRINCIPAL, command).status == "committed"
    return person


def newcomer() -> tuple[Cell, ...]:
    born = date(1997, 1, 30)
    personal("Ayu Kartika")
    return (nik_for(born, "P", serial=3407), "Ayu Kartika", "P", "30/01/1997", VILLAGE, "")


def phone_of(runtime: Runtime, nik: Cell) -> str | None:
    key = runtime.app._nik_key(runtime.app.real_nik(str(nik)))
    owner = runtime.app.import_store().claim_owners(NIK_CLAIM, [key])[key]
    return runtime.app._load(owner, Worker, "worker").phone


def head(runtime: Runtime) -> int:
    return int(runtime.app.recorder.max_notification_id() or 0)


@pytest.fixture
def officer(client: TestClient, app_runtime: Runtime) -> dict[str, str]:
    create_user(app_runtime, "petugas.ternyang", "officer", (VILLAGE,))
    return login(client, "petugas.ternyang")


def upload(client: TestClient, headers: dict[str, str], content: bytes, **form: str) -> Any:
    return client.post(
        "/v1/imports",
        files={"file": ("pekerja.xlsx", content, "application/octet-stream")},
        data={"kind": "workers", **form},
        headers=headers,
    )


def test_the_api_takes_the_choice_and_answers_what_each_row_will_do(
    client: TestClient, officer: dict[str, str], app_runtime: Runtime
) -> None:
    person = registered(app_runtime)
    rows = [WORKER_HEADER, (*person[:5], "0857 2222 3333"), newcomer()]
    content = xlsx_file(rows, sheet="Pekerja")
    default = upload(client, officer, content).json()
    assert (default["on_existing"], default["would_record"], default["kept"]) == ("error", 1, 0)
    assert [e["code"] for e in default["errors"]] == ["worker_already_registered"]

    skip = upload(client, officer, content, on_existing="skip").json()
    assert (skip["kept"], skip["kept_rows"], skip["updated"], skip["errors"]) == (1, [2], 0, [])

    planned = upload(client, officer, content, on_existing="update")
    assert planned.status_code == 201, planned.text
    body = planned.json()
    assert (body["would_record"], body["updated"], body["updated_rows"]) == (1, 1, [2])
    assert body["events"] == {"Worker.Registered": 1, "Worker.ContactUpdated": 1}
    before = head(app_runtime)
    done = client.post(f"/v1/imports/{body['import_id']}/commit", headers=officer).json()
    assert (done["status"], done["recorded"], done["on_existing"]) == ("committed", 2, "update")
    assert head(app_runtime) == before + 2
    assert phone_of(app_runtime, person[0]) == normalise_phone("0857 2222 3333")


def test_a_differing_identity_is_a_row_error_in_the_readers_language(
    client: TestClient, officer: dict[str, str], app_runtime: Runtime
) -> None:
    person = registered(app_runtime)
    personal("Nur Hidayati")
    rows = [WORKER_HEADER, (person[0], "Nur Hidayati", "P", "16/08/1992", VILLAGE, None)]
    headers = {**officer, "Accept-Language": "id"}
    body = upload(client, headers, csv_file(rows), on_existing="update").json()
    assert [(e["row"], e["field"], e["code"]) for e in body["errors"]] == [
        (2, "Nama Lengkap", "identity_differs"),
        (2, "Tanggal Lahir", "identity_differs"),
    ]
    assert all(set(e) == {"row", "field", "code", "message"} for e in body["errors"])
    assert "halaman pekerja" in body["errors"][0]["message"]
    assert (body["would_record"], body["updated"], body["kept"]) == (0, 0, 0)
    assert NAME not in str(body)
    assert "Nur Hidayati" not in str(body)


def test_an_unknown_choice_is_422_in_the_one_error_shape(
    client: TestClient, officer: dict[str, str]
) -> None:
    response = upload(client, officer, csv_file([WORKER_HEADER]), on_existing="overwrite")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"


def web_officer(client: TestClient, runtime: Runtime) -> Person:
    create_user(runtime, "petugas", "officer", (VILLAGE,))
    officer = Person(client)
    assert officer.login("petugas").status_code == 200
    return officer


def web_upload(officer: Person, content: bytes, on_existing: str) -> Any:
    form = officer.get("/imports")
    return officer.client.post(
        "/imports",
        data={**hidden_fields(form.text, "/imports"), "kind": "workers",
              "on_existing": on_existing},
        files={"file": ("data.csv", content, "text/csv")},
    )  # fmt: skip


def test_the_web_form_offers_the_choice_and_the_dry_run_lists_the_kept_rows(
    client: TestClient, app_runtime: Runtime
) -> None:
    person = registered(app_runtime)
    officer = web_officer(client, app_runtime)
    form = officer.get("/imports")
    assert 'name="on_existing" value="skip"' in form.text
    assert "Lewati: biarkan data yang tercatat" in form.text
    content = csv_file([WORKER_HEADER, person, newcomer()], delimiter=";")
    page = web_upload(officer, content, "skip")
    assert page.status_code == 200
    assert "Dibiarkan seperti tercatat" in page.text
    assert "Baris 2" in page.text
    action = re.search(r'action="(/imports/[0-9a-f-]{36}/commit)"', page.text)
    assert action, page.text
    before = head(app_runtime)
    done = officer.send(page.text, action.group(1), {})
    assert "Sudah dicatat." in done.text
    assert head(app_runtime) == before + 1


def test_jejak_import_takes_on_existing(
    runtime: Runtime,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    person = registered(runtime)
    source = tmp_path / "pekerja.csv"
    source.write_bytes(csv_file([WORKER_HEADER, (*person[:5], "0857 4444 5555")]))
    use_settings(settings, monkeypatch)
    command = ["import", str(source), "--kind", "workers"]
    assert main([*command, "--on-existing", "skip", "--commit"]) == 0
    assert "kept 1 (on existing: skip)" in capsys.readouterr().out
    assert phone_of(runtime, person[0]) == normalise_phone("0812 3456 7890")

    assert main([*command, "--on-existing", "update", "--commit"]) == 0
    out = capsys.readouterr().out
    assert "would update 1" in out
    assert "recorded 1" in out
    assert phone_of(runtime, person[0]) == normalise_phone("0857 4444 5555")
    with pytest.raises(SystemExit) as refused:
        main([*command, "--on-existing", "overwrite"])
    assert refused.value.code == 2


def test_a_file_that_only_updates_can_be_committed_from_its_page(
    client: TestClient, app_runtime: Runtime
) -> None:
    person = registered(app_runtime)
    officer = web_officer(client, app_runtime)
    content = csv_file([WORKER_HEADER, (*person[:5], "0857 6666 7777")])
    page = web_upload(officer, content, "update")
    assert "Nomor HP diperbarui" in page.text
    action = re.search(r'action="(/imports/[0-9a-f-]{36}/commit)"', page.text)
    assert action, page.text
    assert "Catat 1 baris" in page.text
    done = officer.send(page.text, action.group(1), {})
    assert "Sudah dicatat." in done.text
    assert phone_of(app_runtime, person[0]) == normalise_phone("0857 6666 7777")
