"""Scans kept in the database the events live in, encrypted under the worker's own key.

Two tables of their own: ``jejak_scans`` (one row per stored file: whose it is and how many
chunks it has) and ``jejak_scan_chunks`` (the file in pieces of 256 KiB, each sealed with
AES-GCM). A file is never held whole in memory: it is read, sealed and inserted one chunk
at a time, and read back the same way, one short query per chunk, so a slow download on a
village line holds no connection and no transaction while it waits.

Each scan has a key of its own, derived (HKDF) from the worker's data key and the scan's id:
destroying the worker's key on erasure makes every scan of theirs unreadable at once, as it
does their other personal data. Each chunk's associated data names its scan, its place and
whether it is the last one, so a chunk moved to another scan or another place, or a file cut
short, fails to decrypt instead of reading as something else. The digest of the stored
bytes goes into the event, inside the hash chain, so verification finds a swapped or
altered file without needing any key."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from application.scan_ports import (
    PreparedScan,
    ScanCheck,
    ScanDamaged,
    ScanErased,
    StoredScan,
)
from infrastructure.crypto import open_sealed, seal
from infrastructure.db import Database
from infrastructure.vault import KeyVault

#: Plain bytes per chunk: a 1 MB scan is four rows, a 10 MiB PDF forty.
CHUNK_BYTES = 256 * 1024


class ScanTables:
    """Names of the two tables (with the schema prefix on PostgreSQL) and how to make them."""

    def __init__(self, prefix: str = "") -> None:
        self.scans = f"{prefix}jejak_scans"
        self.chunks = f"{prefix}jejak_scan_chunks"

    def statements(self, *, postgres: bool) -> list[str]:
        blob = "bytea" if postgres else "BLOB"
        return [
            f"CREATE TABLE IF NOT EXISTS {self.scans} ("
            "scan_id TEXT PRIMARY KEY, subject_id TEXT NOT NULL, size BIGINT NOT NULL, "
            "chunks INTEGER NOT NULL, stored_at TEXT NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS jejak_scans_subject_idx ON {self.scans} (subject_id)",
            f"CREATE TABLE IF NOT EXISTS {self.chunks} ("
            f"scan_id TEXT NOT NULL, n INTEGER NOT NULL, data {blob} NOT NULL, "
            "PRIMARY KEY (scan_id, n))",
        ]


class DatabaseScanStore:
    """``ScanStore`` in the event store's own database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database, vault: KeyVault, prefix: str = "") -> None:
        self.db = db
        self.vault = vault
        self.tables = ScanTables(prefix)

    schema_name = "scans"

    def set_up(self) -> None:
        with self.db.transaction() as tx:
            for statement in self.tables.statements(postgres=self.db.dialect == "postgresql"):
                tx.execute(statement)

    def privileges(self) -> dict[str, str]:
        """Uploads add; erasure (and a failed upload) deletes; nothing is ever updated."""
        return {self.tables.scans: "SELECT, INSERT, DELETE", self.tables.chunks: "SELECT, INSERT, DELETE"}

    def put(self, scan_id: UUID, subject_id: UUID, scan: PreparedScan) -> StoredScan:
        data_key = self.vault.key_for(str(subject_id), create=True)
        assert data_key is not None  # create=True raises PersonErased instead
        key = _scan_key(data_key, scan_id)
        stored = hashlib.sha256()
        t = self.tables
        with self.db.transaction() as tx:
            count = 0
            for n, chunk, last in _numbered(scan.chunks(CHUNK_BYTES)):
                sealed = seal(key, chunk, _associated(scan_id, n, last))
                stored.update(_framed(n, sealed))
                tx.execute(
                    f"INSERT INTO {t.chunks} (scan_id, n, data) VALUES (?, ?, ?)",  # noqa: S608
                    (str(scan_id), n, sealed),
                )
                count += 1
            tx.execute(
                f"INSERT INTO {t.scans} (scan_id, subject_id, size, chunks, stored_at) "  # noqa: S608
                "VALUES (?, ?, ?, ?, ?)",
                (str(scan_id), str(subject_id), scan.size, count, datetime.now(UTC).isoformat()),
            )
        return StoredScan(scan_id=scan_id, stored_sha256=stored.hexdigest())

    def read(self, scan_id: UUID, subject_id: UUID) -> Iterator[bytes]:
        """Checks what can be checked before anything is sent (the key, the row, the first
        chunk), so that an erased or damaged scan is a clear error, not a broken download."""
        data_key = self.vault.key_for(str(subject_id), create=False)
        if data_key is None:
            raise ScanErased()
        t = self.tables
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT subject_id, chunks FROM {t.scans} WHERE scan_id = ?",  # noqa: S608
                (str(scan_id),),
            )
        if row is None or str(row[0]) != str(subject_id) or int(row[1]) < 1:
            raise ScanDamaged()
        key = _scan_key(data_key, scan_id)
        count = int(row[1])
        first = self._chunk(key, scan_id, 0, count)

        def chunks() -> Iterator[bytes]:
            yield first
            for n in range(1, count):
                yield self._chunk(key, scan_id, n, count)

        return chunks()

    def check(self, scan_id: UUID, subject_id: UUID, stored_sha256: str) -> ScanCheck:
        """Recomputes the digest of the stored bytes (no key needed, nothing decrypted)."""
        if self.vault.key_for(str(subject_id), create=False) is None:
            return ScanCheck.ERASED
        digest = hashlib.sha256()
        expected_n = 0
        for n, data in self.db.stream(
            f"SELECT n, data FROM {self.tables.chunks} WHERE scan_id = ? ORDER BY n",  # noqa: S608
            (str(scan_id),),
            batch=8,
        ):
            if int(n) != expected_n:
                return ScanCheck.CHANGED
            digest.update(_framed(expected_n, bytes(data)))
            expected_n += 1
        if expected_n == 0:
            return ScanCheck.REMOVED
        return ScanCheck.INTACT if digest.hexdigest() == stored_sha256 else ScanCheck.CHANGED

    def delete(self, scan_id: UUID) -> None:
        t = self.tables
        with self.db.transaction() as tx:
            tx.execute(f"DELETE FROM {t.chunks} WHERE scan_id = ?", (str(scan_id),))  # noqa: S608
            tx.execute(f"DELETE FROM {t.scans} WHERE scan_id = ?", (str(scan_id),))  # noqa: S608

    def erase_subject(self, subject_id: UUID) -> int:
        t = self.tables
        with self.db.transaction() as tx:
            tx.execute(
                f"DELETE FROM {t.chunks} WHERE scan_id IN "  # noqa: S608
                f"(SELECT scan_id FROM {t.scans} WHERE subject_id = ?)",
                (str(subject_id),),
            )
            return tx.execute(
                f"DELETE FROM {t.scans} WHERE subject_id = ?",  # noqa: S608
                (str(subject_id),),
            )

    def _chunk(self, key: bytes, scan_id: UUID, n: int, count: int) -> bytes:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT data FROM {self.tables.chunks} WHERE scan_id = ? AND n = ?",  # noqa: S608
                (str(scan_id), n),
            )
        if row is None or row[0] is None:
            raise ScanDamaged()
        try:
            return open_sealed(key, bytes(row[0]), _associated(scan_id, n, n == count - 1))
        except (InvalidTag, ValueError):
            raise ScanDamaged() from None


def _scan_key(data_key: bytes, scan_id: UUID) -> bytes:
    """A key for this scan alone: the worker's key never encrypts file-sized data itself,
    and random nonces stay far from their limit."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"jejak", info=b"jejak:scan:" + scan_id.bytes
    ).derive(data_key)


def _associated(scan_id: UUID, n: int, last: bool) -> bytes:
    return scan_id.bytes + n.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _framed(n: int, sealed: bytes) -> bytes:
    """What the stored digest covers for one chunk: its place, its length and its bytes, so
    that bytes moved across chunk boundaries change the digest too."""
    return n.to_bytes(4, "big") + len(sealed).to_bytes(4, "big") + sealed


def _numbered(chunks: Iterator[bytes]) -> Iterator[tuple[int, bytes, bool]]:
    """Each chunk with its number and whether it is the last (one empty chunk for an empty
    file, so every stored scan has at least one)."""
    current = next(chunks, b"")
    n = 0
    for following in chunks:
        yield n, current, False
        current = following
        n += 1
    yield n, current, True
