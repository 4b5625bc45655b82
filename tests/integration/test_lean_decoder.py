"""Fast paths that must change nothing.

The mapper's lean JSON decoding gives exactly what the library's JSONTranscoder gives (the
same types, values and key order) for every stored event and snapshot of a generated
programme (journeys, villages, cooperatives, users) plus dependents, legal holds and an
erasure, and for the edge cases of the library's marker objects. Export lines written
without the pydantic model are the model's, byte for byte."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent, TranscodingNotRegisteredError

from application.principal import SYSTEM_PRINCIPAL
from application.workers import AddDependent, RegisterWorker
from application.writes import WriteOptions
from domain.worker import Relationship, Sex
from infrastructure.bootstrap import Runtime
from infrastructure.mapper import PersonalDataMapper, lean_decoder, uuid_from_hex
from interfaces import demo
from interfaces.http.routes.audit import event_view, export_line
from tests import rawdb
from tests.support import VILLAGE, demo_programme, fast_runtime, make_settings, nik_for


def same(a: Any, b: Any, where: str = "") -> None:
    """Equal, of the same types all the way down, with dict keys in the same order."""
    assert type(a) is type(b), f"{where}: {type(a)} != {type(b)}"
    if isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    elif is_dataclass(a) and not isinstance(a, type):
        for field in fields(a):
            same(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, UUID):
        assert (a.int, a.is_safe) == (b.int, b.is_safe), where
    else:
        assert a == b, where
        assert repr(a) == repr(b), where


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Runtime]:
    settings = make_settings(f"sqlite:///{tmp_path / 'jejak.sqlite3'}", tmp_path)
    runtime = fast_runtime(settings.model_copy(update={"snapshot_interval": 5}))
    demo.run(runtime.app, demo_programme(5, 25, date(2025, 6, 30)))
    app = runtime.app
    birth = date(1994, 2, 3)
    worker_id = app.register_worker(
        SYSTEM_PRINCIPAL,
        RegisterWorker(
            nik=nik_for(birth, "P"),
            full_name="Dewi Lestari",
            sex=Sex.PEREMPUAN,
            birth_date=birth,
            village_code=VILLAGE,
        ),
        WriteOptions(),
    ).id
    app.add_dependent(
        SYSTEM_PRINCIPAL,
        worker_id,
        AddDependent(name="Putri", birth_date=date(2016, 1, 2), relationship=Relationship.CHILD),
        WriteOptions(),
    )
    app.place_legal_hold(SYSTEM_PRINCIPAL, worker_id, "court order", WriteOptions())
    app.lift_legal_hold(SYSTEM_PRINCIPAL, worker_id, "order lifted", WriteOptions())
    app.erase_worker(SYSTEM_PRINCIPAL, worker_id, "on request", WriteOptions())
    yield runtime
    runtime.close()


def test_every_stored_event_and_snapshot_decodes_as_the_library_decodes_it(
    store: Runtime, tmp_path: Path
) -> None:
    mapper = store.app.mapper
    assert isinstance(mapper, PersonalDataMapper)
    library = mapper.transcoder.decode
    lean = lean_decoder(mapper.transcoder)
    assert lean is not library
    url = f"sqlite:///{tmp_path / 'jejak.sqlite3'}"
    events = rawdb.query(
        url, "SELECT originator_id, originator_version, topic, state FROM jejak_events"
    )
    snapshots = rawdb.query(url, "SELECT state FROM jejak_snapshots")
    assert snapshots, "the programme should have snapshots (interval 5)"
    topics = {str(row[2]) for row in events}
    assert len(topics) >= 30, sorted(topics)
    for row in events:
        same(lean(bytes(row[3])), library(bytes(row[3])), str(row[2]))
    for row in snapshots:
        same(lean(bytes(row[0])), library(bytes(row[0])), "snapshot")

    # Whole domain events, through the mapper, with and without personal data.
    reference = PersonalDataMapper(mapper.transcoder, vault=mapper.vault)
    for public in (False, True):
        ours = mapper.public() if public else mapper
        theirs = reference.public() if public else reference
        theirs._decode = library  # the library's decoding, for comparison
        for row in events:
            stored = StoredEvent(UUID(str(row[0])), int(row[1]), str(row[2]), bytes(row[3]))
            a, b = ours.to_domain_event(stored), theirs.to_domain_event(stored)
            assert type(a) is type(b)
            same(vars(a), vars(b), str(row[2]))


def test_the_marker_objects_edge_cases_decode_as_the_library_decodes_them(
    runtime: Runtime,
) -> None:
    transcoder = runtime.app.mapper.transcoder
    lean = lean_decoder(transcoder)
    samples: list[Any] = [
        {"_type_": "uuid_hex", "_data_": "0123456789ABCDEF0123456789abcdef"},
        {"_type_": "uuid_hex", "_data_": "01234567-89ab-cdef-0123-456789abcdef"},
        {"_type_": "uuid_hex", "_data_": "{0123456789abcdef0123456789abcde}"},
        {"a": [{"_type_": "date_iso", "_data_": "2025-01-02"}, [{"_type_": "x"}]]},
        {"_type_": "datetime_iso", "_data_": "2025-01-02T03:04:05.000006+07:00"},
        {"_type_": "decimal_str", "_data_": "1.50"},
        {"_type_": "date_iso", "_data_": "2025-01-02", "extra": 1},
        {"_type_": "date_iso"},
        {"_data_": "2025-01-02", "other": 2},
        {"_type_": "date_iso", "_data_": {"_type_": "date_iso", "_data_": "2025-01-02"}},
        [1, 2.5, None, True, "ü", {"k": {}}],
        "text",
        17,
    ]
    for sample in samples:
        data = json.dumps(sample, ensure_ascii=False).encode()
        try:
            expected = transcoder.decode(data)
        except Exception as error:  # the lean decoder must fail the same way
            with pytest.raises(type(error)):
                lean(data)
            continue
        same(lean(data), expected, repr(sample))
    unknown = json.dumps({"_type_": "nope", "_data_": 1}).encode()
    for decode in (transcoder.decode, lean):
        with pytest.raises(TranscodingNotRegisteredError, match="'nope' is not"):
            decode(unknown)


@pytest.mark.parametrize(
    "text",
    [
        "0123456789abcdef0123456789abcdef",
        "0123456789ABCDEF0123456789ABCDEF",
        "urn:uuid:0123456789abcdef01234567",
        "{0123456789abcdef0123456789abcd}",
        "0123456789abcdef0123456789abcdeg",
        "0123456789abcdef0123456789abcdeé",
        "0123456789abcdef0123456789abcd_e",
        "short",
    ],
)
def test_uuid_from_hex_is_uuid(text: str) -> None:
    try:
        expected = UUID(text)
    except ValueError as error:
        with pytest.raises(ValueError, match=str(error)[:20] or None):
            uuid_from_hex(text)
        return
    got = uuid_from_hex(text)
    assert (got.int, got.is_safe, str(got)) == (expected.int, expected.is_safe, str(expected))


def test_each_export_line_is_what_the_model_would_write(store: Runtime) -> None:
    """``jejak audit export`` and the NDJSON feed skip the pydantic model when they can:
    every line must still be the model's, byte for byte."""
    app = store.app
    names: dict[UUID, str] = {}
    count = 0
    for item in app.export_feed(SYSTEM_PRINCIPAL, 0):
        expected = event_view(app, item, names, hide_personal=True).model_dump(mode="json")
        line = export_line(app, item, names)
        assert line == json.dumps(expected, ensure_ascii=False) + "\n", item.topic
        count += 1
    assert count == store.projections.head()
