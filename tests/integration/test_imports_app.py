"""Imports on a real store, SQLite and PostgreSQL: a commit records what its dry run
counted for every kind, a crashed commit is completed by running it again, progress is
reported while a file is read, and events recorded before imports existed still load."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from application.imports.columns import ImportKind
from application.imports.ports import ImportRecord
from application.imports.usecases import StartImport
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.villages import DesignateVillage
from application.workers import RegisterWorker
from application.writes import WriteOptions
from domain.journey import Journey
from domain.user import user_id_for
from domain.worker import Sex, Worker
from infrastructure.bootstrap import Runtime
from interfaces.importing import vocabulary_labels
from tests import rawdb
from tests.spreadsheets import JOURNEY_HEADER, WORKER_HEADER, Cell, csv_file, xlsx_file
from tests.support import FAR_VILLAGE, VILLAGE, create_user, nik_for, personal

P = SYSTEM_PRINCIPAL


def workers(count: int, village: str = VILLAGE, first: int = 1000) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for index in range(count):
        born = date(1975 + index % 25, 1 + index % 12, 1 + index % 28)
        nik = nik_for(born, "L", serial=first + index * 7 % 9000)
        name = f"Warga {index}"
        personal(name)
        rows.append((nik, name, "L", born, village, None))
    return rows


def start(
    runtime: Runtime, kind: ImportKind, content: bytes, principal: Principal = P, **kw: Any
) -> ImportRecord:
    command = StartImport(kind=kind, content=content, labels=vocabulary_labels(), **kw)
    return runtime.app.start_import(principal, command)


def commit(runtime: Runtime, record: ImportRecord, principal: Principal = P) -> ImportRecord:
    return runtime.app.commit_import(principal, record.id, vocabulary_labels(), wait_seconds=60)


def recorded_since(runtime: Runtime, position: int) -> list[Any]:
    return [item.event for item in runtime.app.audit_store.feed(position, 100_000)]


def head(runtime: Runtime) -> int:
    return int(runtime.app.recorder.max_notification_id() or 0)


def officer(runtime: Runtime, username: str, village: str) -> Principal:
    create_user(runtime, username, "officer", (village,))
    return runtime.app.principal_for(user_id_for(username))


def test_a_commit_records_every_event_its_dry_run_counted_for_every_kind(runtime: Runtime) -> None:
    app = runtime.app
    app.designate_village(
        P, DesignateVillage(village_code=VILLAGE, cohort_year=2019), WriteOptions()
    )
    people = workers(3)
    journeys: list[Sequence[Cell]] = [
        (*JOURNEY_HEADER, "Nama Lengkap", "Jenis Kelamin", "Tanggal Lahir", "Kode Desa"),
        (people[0][0], "TW", "caregiver", "p3mi", "PT Contoh", "KEP 1/2020", "01/03/2022",
         "Chen", "02/03/2022", "01/03/2024", "05/03/2024", "contract_completed",
         *people[0][1:5]),
        (people[1][0], "Malaysia", "welder", "Perseorangan (mandiri)", None, None, None, None,
         None, None, None, None, *people[1][1:5]),
    ]  # fmt: skip
    files: list[tuple[ImportKind, bytes]] = [
        (ImportKind.JOURNEYS, xlsx_file(journeys)),
        (ImportKind.WORKERS, csv_file([WORKER_HEADER, *people[2:]])),
        (ImportKind.DOCUMENTS, csv_file([
            ("NIK", "Jenis Dokumen", "Nomor Dokumen", "Tanggal Terbit", "Berlaku Sampai"),
            (people[1][0], "Paspor", "C1234567", "10/01/2024", "10 Januari 2034"),
            (people[1][0], "work_visa", "V-99", "2024-01-12", None),
        ])),
        (ImportKind.ACTIVITIES, csv_file([
            ("Kode Desa", "Pilar", "Tanggal Kegiatan", "Nama Kegiatan", "Jumlah Peserta"),
            (VILLAGE, "Layanan migrasi", "12 Feb 2024", "Sosialisasi migrasi aman", "35"),
            (VILLAGE, "productive_business", "13/02/2024", "Pelatihan usaha", "12"),
        ])),
    ]  # fmt: skip
    for kind, content in files:
        planned = start(runtime, kind, content)
        assert planned.report["errors"] == [], (kind, planned.report["errors"])
        before = head(runtime)
        done = commit(runtime, planned)
        assert (done.status, done.recorded) == ("committed", planned.report["would_record"])
        events = recorded_since(runtime, before)
        topics = Counter(type(e).TOPIC.removeprefix("jejak:") for e in events)
        assert topics == Counter(planned.report["events"]), kind
        assert all(e.imported_from["sha256"] == planned.sha256 for e in events)
    stages = sorted(
        e.originator_id for e in recorded_since(runtime, 0) if isinstance(e, Journey.Opened)
    )
    assert [runtime.app._load(i, Journey, "journey").stage for i in stages].count("returned") == 1
    assert runtime.app.audit_store.verify().failed == []


def test_a_crashed_commit_is_completed_by_committing_again(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = runtime.app
    rows = workers(700)
    planned = start(runtime, ImportKind.WORKERS, csv_file([WORKER_HEADER, *rows]))
    assert planned.report["would_record"] == 700
    saves = {"count": 0}
    real_save = type(app).save

    def power_cut_after_one_batch(self: Any, *objs: Any, **kwargs: Any) -> Any:
        saves["count"] += 1
        if saves["count"] == 2:
            raise RuntimeError("power cut")
        return real_save(self, *objs, **kwargs)

    monkeypatch.setattr(type(app), "save", power_cut_after_one_batch)
    stopped = runtime.app.commit_import(P, planned.id, vocabulary_labels(), wait_seconds=60)
    assert (stopped.status, stopped.recorded) == ("failed", 250)
    monkeypatch.setattr(type(app), "save", real_save)

    resumed = commit(runtime, planned)
    assert (resumed.status, resumed.recorded) == ("committed", 700)
    registered = [e for e in recorded_since(runtime, 0) if isinstance(e, Worker.Registered)]
    assert len(registered) == 700
    assert sorted(e.imported_from["row"] for e in registered) == list(range(2, 702))
    again = start(runtime, ImportKind.WORKERS, csv_file([WORKER_HEADER, *rows]))
    assert (again.report["would_record"], again.report["already_imported"]) == (0, 700)


def test_a_large_file_reports_its_progress_before_its_dry_run_is_done(runtime: Runtime) -> None:
    content = csv_file([WORKER_HEADER, *workers(1500)])
    started = start(runtime, ImportKind.WORKERS, content, wait_seconds=0)
    assert started.status == "checking"
    deadline = time.monotonic() + 120
    seen = []
    while (record := runtime.app.get_import(P, started.id)).status == "checking":
        seen.append(record.done_rows)
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert record.status == "planned"
    assert (record.rows, record.done_rows, record.report["would_record"]) == (1500, 1500, 1500)
    assert seen == sorted(seen)
    assert any(0 < done < 1500 for done in seen)


def test_rows_naming_workers_outside_the_importers_scope_are_errors_that_reveal_nothing(
    runtime: Runtime,
) -> None:
    elsewhere = workers(1, FAR_VILLAGE, first=4000)[0]
    far = officer(runtime, "petugas.jauh", FAR_VILLAGE)
    start_far = start(runtime, ImportKind.WORKERS, csv_file([WORKER_HEADER, elsewhere]), far)
    commit(runtime, start_far, far)
    near = officer(runtime, "petugas", VILLAGE)
    journeys = [
        ("NIK", "Negara Tujuan", "Jabatan", "Skema Penempatan", "Nama Lengkap", "Jenis Kelamin",
         "Tanggal Lahir", "Kode Desa"),
        (elsewhere[0], "TW", "caregiver", "mandiri", None, None, None, None),
        (elsewhere[0], "TW", "caregiver", "mandiri", *elsewhere[1:4], VILLAGE),
    ]  # fmt: skip
    planned = start(runtime, ImportKind.JOURNEYS, csv_file(journeys), near)
    codes = [(e["row"], e["code"]) for e in planned.report["errors"]]
    assert codes == [(2, "worker_not_registered"), (3, "worker_registered_elsewhere")]
    assert all("id" not in e["message"] for e in planned.report["errors"])


def test_events_recorded_before_imports_existed_still_load_and_verify(runtime: Runtime) -> None:
    app = runtime.app
    born = date(1990, 5, 17)
    result = app.register_worker(
        P,
        RegisterWorker(nik=nik_for(born, "L"), full_name="Budi", sex=Sex.LAKI_LAKI,
                       birth_date=born, village_code=VILLAGE),
        WriteOptions(),
    )  # fmt: skip
    (stored,) = app.recorder.select_events(result.id)
    assert b"imported_from" not in stored.state
    (event,) = app.events.get(result.id)
    assert event.imported_from is None
    planned = start(runtime, ImportKind.WORKERS, csv_file([WORKER_HEADER, *workers(1, first=8000)]))
    commit(runtime, planned)
    imported = [e for e in recorded_since(runtime, 0) if e.imported_from is not None]
    assert [e.imported_from for e in imported] == [
        {"sha256": planned.sha256, "sheet": "", "row": 2}
    ]
    assert app.audit_store.verify().failed == []


def test_no_nik_name_or_birth_date_is_stored_in_clear_by_an_import(
    runtime: Runtime, database_url: str
) -> None:
    """The file waits for its commit sealed, the duplicate index holds keyed hashes only, and
    the reports hold codes and row numbers: nothing of the people in clear, anywhere."""
    people = workers(2, first=6100)
    content = csv_file(
        [WORKER_HEADER, *people, (people[0][0], "Dua Kali", "L", people[0][3], VILLAGE, None)]
    )
    planned = start(runtime, ImportKind.WORKERS, content)
    pending = rawdb.all_stored_bytes(database_url)
    commit(runtime, planned)
    runtime.app.catch_up_duplicates()
    stored = pending + rawdb.all_stored_bytes(database_url)
    for nik, name, _, born, _, _ in people:
        assert str(nik).encode() not in stored
        assert str(name).encode() not in stored
        assert born.strftime("%d/%m/%Y").encode() not in stored
    assert b"Dua Kali" not in stored
