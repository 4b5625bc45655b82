"""The encrypted chunk store, on SQLite and PostgreSQL: what it keeps, what it gives back,
and what it makes of bytes changed, moved or removed behind its back."""

from __future__ import annotations

import io
from uuid import UUID, uuid4

import pytest

from application.scan_ports import (
    PreparedScan,
    ScanCheck,
    ScanDamaged,
    ScanErased,
    ScanStore,
    ScanType,
    StoredScan,
)
from infrastructure.bootstrap import Runtime
from infrastructure.scans.files import PillowScanFiles
from infrastructure.scans.store import CHUNK_BYTES
from infrastructure.vault import PersonErased
from tests import rawdb
from tests.scan_samples import contract_pdf

#: Three and a bit chunks, with a marker to look for in what is stored.
MARKER = b"NOMOR-PASPOR-C1234567"
PDF = contract_pdf(padding=3 * CHUNK_BYTES + 1000).replace(b"%xxxx", b"%" + MARKER, 1)


def _store(runtime: Runtime) -> ScanStore:
    assert runtime.app.scan_store is not None
    return runtime.app.scan_store


def _prepared(data: bytes = PDF) -> PreparedScan:
    return PillowScanFiles().prepare(io.BytesIO(data), ScanType.PDF)


def _put(runtime: Runtime, subject: UUID, data: bytes = PDF) -> StoredScan:
    prepared = _prepared(data)
    try:
        return _store(runtime).put(uuid4(), subject, prepared)
    finally:
        prepared.close()


def _url(runtime: Runtime) -> str:
    return runtime.settings.database_url


def test_a_scan_reads_back_as_it_was_stored_and_is_encrypted_in_chunks(runtime: Runtime) -> None:
    subject = uuid4()
    stored = _put(runtime, subject)
    assert b"".join(_store(runtime).read(stored.scan_id, subject)) == PDF
    rows = rawdb.query(
        _url(runtime),
        "SELECT n, data FROM jejak_scan_chunks WHERE scan_id = %s ORDER BY n",
        (str(stored.scan_id),),
    )
    assert [n for n, _ in rows] == [0, 1, 2, 3]
    assert all(len(bytes(data)) <= CHUNK_BYTES + 28 for _, data in rows)
    everything = rawdb.all_stored_bytes(_url(runtime))
    assert MARKER not in everything
    assert b"%PDF" not in everything
    assert _store(runtime).check(stored.scan_id, subject, stored.stored_sha256) is ScanCheck.INTACT


def test_the_same_file_stored_twice_is_stored_differently(runtime: Runtime) -> None:
    subject = uuid4()
    first, second = _put(runtime, subject), _put(runtime, subject)
    assert first.stored_sha256 != second.stored_sha256  # fresh nonces, and a key per scan


def test_an_altered_chunk_is_found_by_the_check_and_refused_by_a_read(runtime: Runtime) -> None:
    subject = uuid4()
    stored = _put(runtime, subject)
    (data,) = rawdb.query(
        _url(runtime),
        "SELECT data FROM jejak_scan_chunks WHERE scan_id = %s AND n = 0",
        (str(stored.scan_id),),
    )[0]
    altered = bytearray(bytes(data))
    altered[40] ^= 0x01
    rawdb.execute(
        _url(runtime),
        "UPDATE jejak_scan_chunks SET data = %s WHERE scan_id = %s AND n = 0",
        (bytes(altered), str(stored.scan_id)),
    )
    store = _store(runtime)
    assert store.check(stored.scan_id, subject, stored.stored_sha256) is ScanCheck.CHANGED
    with pytest.raises(ScanDamaged):
        store.read(stored.scan_id, subject)


def test_a_scan_swapped_for_another_of_the_same_person_does_not_read(runtime: Runtime) -> None:
    """Someone with the database but not the keys copies another scan's chunks over this
    one's: each chunk is bound to its scan, so nothing reads as the wrong document."""
    subject = uuid4()
    passport, other = _put(runtime, subject), _put(runtime, subject, contract_pdf(padding=10))
    url = _url(runtime)
    rawdb.execute(url, "DELETE FROM jejak_scan_chunks WHERE scan_id = %s", (str(passport.scan_id),))
    rawdb.execute(
        url,
        "INSERT INTO jejak_scan_chunks (scan_id, n, data) "
        "SELECT %s, n, data FROM jejak_scan_chunks WHERE scan_id = %s",
        (str(passport.scan_id), str(other.scan_id)),
    )
    store = _store(runtime)
    assert store.check(passport.scan_id, subject, passport.stored_sha256) is ScanCheck.CHANGED
    with pytest.raises(ScanDamaged):
        store.read(passport.scan_id, subject)


def test_a_file_cut_short_does_not_read_to_its_end(runtime: Runtime) -> None:
    subject = uuid4()
    stored = _put(runtime, subject)
    url = _url(runtime)
    rawdb.execute(
        url,
        "DELETE FROM jejak_scan_chunks WHERE scan_id = %s AND n = 3",
        (str(stored.scan_id),),
    )
    rawdb.execute(
        url, "UPDATE jejak_scans SET chunks = 3 WHERE scan_id = %s", (str(stored.scan_id),)
    )
    store = _store(runtime)
    assert store.check(stored.scan_id, subject, stored.stored_sha256) is ScanCheck.CHANGED
    with pytest.raises(ScanDamaged):
        b"".join(store.read(stored.scan_id, subject))  # chunk 2 was not the last


def test_a_removed_scan_is_found(runtime: Runtime) -> None:
    subject = uuid4()
    stored = _put(runtime, subject)
    rawdb.execute(
        _url(runtime), "DELETE FROM jejak_scan_chunks WHERE scan_id = %s", (str(stored.scan_id),)
    )
    assert _store(runtime).check(stored.scan_id, subject, stored.stored_sha256) is ScanCheck.REMOVED


def test_erasing_the_person_makes_every_scan_of_theirs_unreadable(runtime: Runtime) -> None:
    subject, neighbour = uuid4(), uuid4()
    scans = [_put(runtime, subject), _put(runtime, subject)]
    kept = _put(runtime, neighbour)
    store = _store(runtime)
    runtime.app.personal_data.destroy_key(subject)
    for stored in scans:
        with pytest.raises(ScanErased):
            store.read(stored.scan_id, subject)
        assert store.check(stored.scan_id, subject, stored.stored_sha256) is ScanCheck.ERASED
    with pytest.raises(PersonErased):
        _put(runtime, subject)
    assert store.erase_subject(subject) == 2
    left = rawdb.query(_url(runtime), "SELECT DISTINCT scan_id FROM jejak_scan_chunks")
    assert left == [(str(kept.scan_id),)]
    assert b"".join(store.read(kept.scan_id, neighbour)) == PDF


def test_a_scan_read_as_another_persons_is_refused(runtime: Runtime) -> None:
    subject, other = uuid4(), uuid4()
    stored = _put(runtime, subject)
    _put(runtime, other)  # the other person has a key
    with pytest.raises(ScanDamaged):
        _store(runtime).read(stored.scan_id, other)


def test_a_deleted_scan_leaves_nothing(runtime: Runtime) -> None:
    subject = uuid4()
    stored = _put(runtime, subject)
    _store(runtime).delete(stored.scan_id)
    url = _url(runtime)
    assert rawdb.query(url, "SELECT COUNT(*) FROM jejak_scan_chunks")[0][0] == 0
    assert rawdb.query(url, "SELECT COUNT(*) FROM jejak_scans")[0][0] == 0
