"""Overwrite control on a real store, SQLite and PostgreSQL: the semester's list comes again
with people Jejak already has, and the importer chooses what their rows do (``error``,
``skip``, ``update``). In every mode the commit records exactly what the dry run said."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from application.imports.columns import ImportKind
from application.imports.existing import OnExisting
from application.imports.ports import ImportRecord
from application.imports.usecases import StartImport
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.workers import NIK_CLAIM, UpdateContact
from application.writes import WriteOptions
from domain.contact import normalise_phone
from domain.journey import Journey
from domain.user import user_id_for
from domain.worker import Worker
from infrastructure.bootstrap import Runtime
from interfaces.importing import vocabulary_labels
from tests.spreadsheets import JOURNEY_HEADER, WORKER_HEADER, Cell, csv_file, xlsx_file
from tests.support import FAR_VILLAGE, VILLAGE, create_user, nik_for, personal

P = SYSTEM_PRINCIPAL
BORN = (date(1988, 2, 3), date(1990, 7, 21), date(1993, 11, 9))
NAMES = ("Sri Wahyuni", "Dewi Lestari", "Rina Marlina")


def people() -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for index, (born, name) in enumerate(zip(BORN, NAMES, strict=True)):
        personal(name)
        rows.append((nik_for(born, "P", serial=2100 + index * 37), name, "P", born, VILLAGE,
                     f"08123456{index:04d}"))  # fmt: skip
    return rows


def start(
    runtime: Runtime,
    kind: ImportKind,
    content: bytes,
    on_existing: OnExisting = OnExisting.ERROR,
    principal: Principal = P,
) -> ImportRecord:
    command = StartImport(
        kind=kind, content=content, labels=vocabulary_labels(), on_existing=on_existing
    )
    record = runtime.app.start_import(principal, command)
    assert record.status == "planned", record
    return record


def commit(runtime: Runtime, record: ImportRecord, principal: Principal = P) -> ImportRecord:
    return runtime.app.commit_import(principal, record.id, vocabulary_labels(), wait_seconds=60)


def imported(runtime: Runtime, rows: Sequence[Sequence[Cell]]) -> None:
    """The people already in Jejak: last semester's file, committed."""
    done = commit(runtime, start(runtime, ImportKind.WORKERS, csv_file([WORKER_HEADER, *rows])))
    assert done.status == "committed"


def head(runtime: Runtime) -> int:
    return int(runtime.app.recorder.max_notification_id() or 0)


def recorded_since(runtime: Runtime, position: int) -> list[Any]:
    return [item.event for item in runtime.app.audit_store.feed(position, 1000)]


def worker_of(runtime: Runtime, nik: Cell) -> Worker:
    key = runtime.app._nik_key(runtime.app.real_nik(str(nik)))
    owner = runtime.app.import_store().claim_owners(NIK_CLAIM, [key])[key]
    return runtime.app._load(owner, Worker, "worker")


def codes(record: ImportRecord) -> list[tuple[int, str, str]]:
    return [(e["row"], e["field"], e["code"]) for e in record.report["errors"]]


def semester(known: Sequence[tuple[Cell, ...]]) -> list[tuple[Cell, ...]]:
    """This semester's list: the first person with a new phone, the second as recorded, and
    someone new."""
    return [(*known[0][:5], "0857 1111 2222"), known[1], _newcomer()]


def _newcomer() -> tuple[Cell, ...]:
    born = date(1996, 4, 12)
    personal("Yuli Astuti")
    return (nik_for(born, "P", serial=2900), "Yuli Astuti", "P", born, VILLAGE, None)


@pytest.mark.parametrize("mode", list(OnExisting), ids=[mode.value for mode in OnExisting])
def test_the_commit_records_what_the_dry_run_said_in_every_mode(
    runtime: Runtime, mode: OnExisting
) -> None:
    known = people()[:2]
    imported(runtime, known)
    content = xlsx_file([WORKER_HEADER, *semester(known)], sheet="Pekerja")
    planned = start(runtime, ImportKind.WORKERS, content, mode)
    report = planned.report
    expected = {
        OnExisting.ERROR: (1, 0, 0, {"Worker.Registered": 1}),
        OnExisting.SKIP: (1, 0, 2, {"Worker.Registered": 1}),
        OnExisting.UPDATE: (1, 1, 1, {"Worker.Registered": 1, "Worker.ContactUpdated": 1}),
    }[mode]
    assert (report["would_record"], report["updated"], report["kept"], report["events"]) == expected
    assert report["on_existing"] == mode.value
    if mode is OnExisting.ERROR:
        assert [code for _, _, code in codes(planned)] == ["worker_already_registered"] * 2
    else:
        assert report["errors"] == []
    before = head(runtime)

    done = commit(runtime, planned)
    assert done.status == "committed"
    assert done.recorded == report["would_record"] + report["updated"]
    events = recorded_since(runtime, before)
    assert Counter(type(e).TOPIC.removeprefix("jejak:") for e in events) == Counter(
        report["events"]
    )
    rows = {e.imported_from["row"] for e in events}
    assert rows == {4, *report["updated_rows"]}
    assert all(e.imported_from["sha256"] == planned.sha256 for e in events)
    assert all(e.imported_from["sheet"] == "Pekerja" for e in events)
    assert runtime.app.audit_store.verify().failed == []


def test_skip_keeps_the_people_already_registered_and_names_their_rows(runtime: Runtime) -> None:
    known = people()
    imported(runtime, known[:2])
    rows = [WORKER_HEADER, (*known[0][:4], VILLAGE, "0899 0000 1111"), known[2], known[1]]
    planned = start(runtime, ImportKind.WORKERS, csv_file(rows), OnExisting.SKIP)
    report = planned.report
    assert (report["would_record"], report["kept"], report["kept_rows"]) == (1, 2, [2, 4])
    assert (report["updated"], report["errors"]) == (0, [])
    commit(runtime, planned)
    # Skipped: the phone of the file is not the worker's.
    assert worker_of(runtime, known[0][0]).phone == normalise_phone(str(known[0][5]))


def test_update_records_a_new_phone_through_the_contact_update(runtime: Runtime) -> None:
    known = people()[:1]
    imported(runtime, known)
    content = csv_file([WORKER_HEADER, (*known[0][:5], "0857-1111-2222")], delimiter=";")
    planned = start(runtime, ImportKind.WORKERS, content, OnExisting.UPDATE)
    assert (planned.report["updated"], planned.report["updated_rows"]) == (1, [2])
    before = head(runtime)
    commit(runtime, planned)
    (event,) = recorded_since(runtime, before)
    assert isinstance(event, Worker.ContactUpdated)
    assert event.imported_from == {"sha256": planned.sha256, "sheet": "", "row": 2}
    assert worker_of(runtime, known[0][0]).phone == normalise_phone("0857-1111-2222")

    # The same file again records nothing; another file saying the same keeps the row.
    again = start(runtime, ImportKind.WORKERS, content, OnExisting.UPDATE)
    assert (again.report["already_imported"], again.report["updated"]) == (1, 0)
    other = csv_file([WORKER_HEADER, (*known[0][:5], "0857-1111-2222")])
    same = start(runtime, ImportKind.WORKERS, other, OnExisting.UPDATE)
    assert (same.report["kept"], same.report["updated"], same.report["events"]) == (1, 0, {})
    for record in (again, same):
        assert commit(runtime, record).recorded == 0
    assert head(runtime) == before + 1


def test_update_refuses_a_row_whose_identity_differs_and_names_each_column(
    runtime: Runtime,
) -> None:
    known = people()[:2]
    imported(runtime, known)
    personal("Sri Wahyuningsih")
    rows = [
        WORKER_HEADER,
        (known[0][0], "Sri Wahyuningsih", "P", known[0][3], "35.07.12.2002", "0857 1111 2222"),
        (known[1][0], str(known[1][1]).upper(), "P", known[1][3], VILLAGE, known[1][5]),
    ]
    planned = start(runtime, ImportKind.WORKERS, csv_file(rows), OnExisting.UPDATE)
    assert codes(planned) == [
        (2, "Nama Lengkap", "identity_differs"),
        (2, "Kode Desa", "identity_differs"),
    ]
    assert "worker's page" in planned.report["errors"][0]["message"]
    # A name in capitals is the same name: that row agrees with the record.
    assert (planned.report["kept_rows"], planned.report["updated"]) == ([3], 0)
    before = head(runtime)
    commit(runtime, planned)
    assert head(runtime) == before
    worker = worker_of(runtime, known[0][0])
    assert (worker.full_name, worker.phone) == (known[0][1], normalise_phone(str(known[0][5])))


def test_a_nik_registered_outside_the_scope_is_the_same_error_in_every_mode(
    runtime: Runtime,
) -> None:
    create_user(runtime, "petugas.jauh", "officer", (FAR_VILLAGE,))
    create_user(runtime, "petugas", "officer", (VILLAGE,))
    far = runtime.app.principal_for(user_id_for("petugas.jauh"))
    near = runtime.app.principal_for(user_id_for("petugas"))
    elsewhere = (*people()[0][:4], FAR_VILLAGE, None)
    commit(runtime, start(runtime, ImportKind.WORKERS, csv_file([WORKER_HEADER, elsewhere]),
                          principal=far), far)  # fmt: skip
    rows = [WORKER_HEADER, (*elsewhere[:4], VILLAGE, None)]
    journeys = [("NIK", "Negara Tujuan", "Jabatan", "Skema Penempatan"),
                (elsewhere[0], "TW", "caregiver", "mandiri")]  # fmt: skip
    for mode in OnExisting:
        planned = start(runtime, ImportKind.WORKERS, csv_file(rows), mode, near)
        assert [code for _, _, code in codes(planned)] == ["worker_registered_elsewhere"]
        planned = start(runtime, ImportKind.JOURNEYS, csv_file(journeys), mode, near)
        assert [code for _, _, code in codes(planned)] == ["worker_not_registered"]


def journey_rows(person: Sequence[Cell], **columns: Cell) -> list[tuple[Cell, ...]]:
    values: dict[str, Cell] = dict.fromkeys(JOURNEY_HEADER[1:])
    values.update({"Negara Tujuan": "TW", "Jabatan": "caregiver", "Skema Penempatan": "p3mi",
                   "Nama P3MI": "PT Contoh", "Nomor Izin P3MI": "KEP 1/2020"})  # fmt: skip
    values.update({name.replace("_", " "): value for name, value in columns.items()})
    return [JOURNEY_HEADER, (person[0], *(values[h] for h in JOURNEY_HEADER[1:]))]


DEPARTURE = {"Tanggal Berangkat": "01/03/2024", "Pemberi Kerja": "Chen",
             "Awal Kontrak": "02/03/2024", "Akhir Kontrak": "01/03/2026"}  # fmt: skip


def test_update_records_the_departure_an_open_journey_lacks_and_refuses_what_differs(
    runtime: Runtime,
) -> None:
    person = people()[0]
    imported(runtime, [person])
    opened = start(runtime, ImportKind.JOURNEYS, csv_file(journey_rows(person)))
    commit(runtime, opened)

    departed = csv_file([journey_rows(person)[0], journey_rows(person, **DEPARTURE)[1]])
    skipped = start(runtime, ImportKind.JOURNEYS, departed, OnExisting.SKIP)
    assert (skipped.report["kept_rows"], skipped.report["events"]) == ([2], {})
    refused = start(runtime, ImportKind.JOURNEYS, departed)
    assert [code for _, _, code in codes(refused)] == ["journey_already_open"]

    planned = start(runtime, ImportKind.JOURNEYS, departed, OnExisting.UPDATE)
    assert (planned.report["updated_rows"], planned.report["events"]) == (
        [2],
        {"Journey.Departed": 1},
    )
    before = head(runtime)
    commit(runtime, planned)
    (event,) = recorded_since(runtime, before)
    assert isinstance(event, Journey.Departed)
    journey = runtime.app._load(event.originator_id, Journey, "journey")
    assert (journey.stage, journey.departure and journey.departure["employer"]) == (
        "placement",
        "Chen",
    )

    other = {**DEPARTURE, "Pemberi Kerja": "Lin", "Awal Kontrak": "05/03/2024"}
    differs = csv_file(journey_rows(person, **other, **{"Negara Tujuan": "Malaysia"}))
    planned = start(runtime, ImportKind.JOURNEYS, differs, OnExisting.UPDATE)
    assert codes(planned) == [
        (2, "Negara Tujuan", "journey_differs"),
        (2, "Pemberi Kerja", "journey_differs"),
        (2, "Awal Kontrak", "journey_differs"),
    ]
    again = start(runtime, ImportKind.JOURNEYS, departed, OnExisting.UPDATE)
    assert (again.report["already_imported"], again.report["events"]) == (1, {})
    rows = [journey_rows(person)[0], journey_rows(person, **DEPARTURE)[1]]
    same = start(runtime, ImportKind.JOURNEYS, xlsx_file(rows), OnExisting.UPDATE)
    assert (same.report["kept_rows"], same.report["events"]) == ([2], {})

    back = {**DEPARTURE, "Tanggal Pulang": "05/03/2026", "Alasan Pulang": "contract_completed"}
    early = {**back, "Tanggal Pulang": "05/03/2023"}
    planned = start(runtime, ImportKind.JOURNEYS, csv_file(journey_rows(person, **early)),
                    OnExisting.UPDATE)  # fmt: skip
    assert codes(planned) == [(2, "Tanggal Pulang", "invalid_value")]
    planned = start(runtime, ImportKind.JOURNEYS, csv_file(journey_rows(person, **back)),
                    OnExisting.UPDATE)  # fmt: skip
    assert planned.report["events"] == {"Journey.Returned": 1}
    assert commit(runtime, planned).recorded == 1
    assert runtime.app._load(journey.id, Journey, "journey").stage == "returned"


def test_a_document_already_on_the_open_journey_is_kept_not_recorded_twice(
    runtime: Runtime,
) -> None:
    person = people()[0]
    imported(runtime, [person])
    commit(runtime, start(runtime, ImportKind.JOURNEYS, csv_file(journey_rows(person))))
    header = ("NIK", "Jenis Dokumen", "Nomor Dokumen", "Tanggal Terbit", "Berlaku Sampai")
    first = csv_file([header, (person[0], "Paspor", "C1234567", "10/01/2024", "10/01/2034")])
    commit(runtime, start(runtime, ImportKind.DOCUMENTS, first))
    again = [header, (person[0], "passport", "c1234567", "10/01/2024", "10/01/2034"),
             (person[0], "Paspor", "C1234567", "11/01/2024", None)]  # fmt: skip
    skipped = start(runtime, ImportKind.DOCUMENTS, csv_file(again), OnExisting.SKIP)
    assert (skipped.report["kept_rows"], skipped.report["would_record"]) == ([2, 3], 0)
    updated = start(runtime, ImportKind.DOCUMENTS, csv_file(again), OnExisting.UPDATE)
    assert updated.report["kept_rows"] == [2]
    assert codes(updated) == [(3, "Tanggal Terbit", "document_differs")]
    # Without a choice, a document is recorded as it always was.
    recorded = start(runtime, ImportKind.DOCUMENTS, csv_file(again))
    assert recorded.report["would_record"] == 2


def test_the_commit_is_refused_when_the_record_moved_since_the_dry_run(runtime: Runtime) -> None:
    known = people()[:1]
    imported(runtime, known)
    content = csv_file([WORKER_HEADER, (*known[0][:5], "0857 1111 2222")])
    planned = start(runtime, ImportKind.WORKERS, content, OnExisting.UPDATE)
    assert planned.report["updated"] == 1
    worker = worker_of(runtime, known[0][0])
    runtime.app.update_contact(P, worker.id, UpdateContact(phone="0857 1111 2222"), WriteOptions())
    before = head(runtime)
    with pytest.raises(Exception, match="changed since the dry run"):
        commit(runtime, planned)
    assert head(runtime) == before
