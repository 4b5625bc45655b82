"""Backups an operator can trust, and their restore into an empty database.

A backup is one file of the whole store as it stood at one moment while the service kept
writing (SQLite's online backup; ``pg_dump`` in custom format on PostgreSQL, from a snapshot
exported by a transaction that also reads the head, so the position printed is the dump's),
and beside it a manifest signed with a key derived from the signing key: the file's size,
its SHA-256 and the head it holds. A restore checks the manifest first, so a backup altered
or damaged since it was taken is refused before anything is written, and writes only into an
empty database. What the restored events are worth is then shown by ``jejak audit verify
--checkpoint`` against a checkpoint taken before the backup.

The keys are not in a backup (the wrapped data keys and password hashes are): without
``JEJAK_MASTER_KEY`` its personal data cannot be read, without ``JEJAK_SIGNING_KEY`` neither
it nor its manifest can be verified."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infrastructure import backup_postgres
from infrastructure.backup_postgres import BackupRefused, PostgresTarget
from infrastructure.crypto import derive_key

FORMAT = 1
MANIFEST_SUFFIX = ".manifest.json"
EVENTS = "jejak_events"

__all__ = ["BackupInfo", "BackupRefused", "backup", "manifest_path", "restore"]


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds (or a restore wrote): where, how big, up to which position."""

    backend: str
    path: Path
    size: int
    sha256: str
    position: int
    events: int
    manifest: Path


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def backup(database_url: str, out: Path, signing_key: str) -> BackupInfo:
    """Writes the store to ``out`` (a temporary file renamed into place, readable by its
    owner only), then its signed manifest beside it."""
    out = out.absolute()
    if out.is_dir():
        msg = f"{out} is a directory: name the backup file to write"
        raise BackupRefused(msg)
    if not out.parent.is_dir():
        msg = f"the directory {out.parent} does not exist"
        raise BackupRefused(msg)
    with _atomic(out) as temporary:
        if database_url.startswith("sqlite:///"):
            backend = "sqlite"
            position, events = _backup_sqlite(_sqlite_path(database_url), out, temporary)
        else:
            backend = "postgresql"
            target = PostgresTarget.from_url(database_url)
            position, events = backup_postgres.dump(target, temporary)
    size, digest = _digest(out)
    statement = {
        "jejak_backup": FORMAT,
        "backend": backend,
        "schema": None if backend == "sqlite" else PostgresTarget.from_url(database_url).schema,
        "file": out.name,
        "bytes": size,
        "sha256": digest,
        "position": position,
        "events": events,
        "created_at": datetime.now(UTC).isoformat(),
    }
    manifest = manifest_path(out)
    with _atomic(manifest) as temporary:
        temporary.write_text(json.dumps(_signed(statement, signing_key), indent=2) + "\n")
    return BackupInfo(backend, out, size, digest, position, events, manifest)


def restore(database_url: str, source: Path, signing_key: str) -> BackupInfo:
    """Restores ``source`` into the empty database ``database_url`` names, after checking
    the backup against its signed manifest; refuses a database that holds any table."""
    source = source.absolute()
    statement = _checked_manifest(source, signing_key)
    size, digest = int(statement["bytes"]), str(statement["sha256"])
    backend = "sqlite" if database_url.startswith("sqlite:///") else "postgresql"
    if statement.get("backend") != backend:
        msg = f"this is a backup of a {statement.get('backend')} store; JEJAK_DATABASE_URL names {backend}"
        raise BackupRefused(msg)
    if backend == "sqlite":
        position, events = _restore_sqlite(source, _sqlite_path(database_url))
    else:
        target = PostgresTarget.from_url(database_url)
        if statement.get("schema") != target.schema:
            msg = (
                f"the backup holds the schema {statement.get('schema')!r}; the database URL "
                f"names {target.schema!r} (a dump restores into the schema it was taken from)"
            )
            raise BackupRefused(msg)
        position, events = backup_postgres.restore(target, source)
    if (position, events) != (statement["position"], statement["events"]):
        msg = (
            f"the restored store holds {events} events up to position {position}; the manifest "
            f"says {statement['events']} up to {statement['position']}"
        )
        raise BackupRefused(msg)
    return BackupInfo(backend, source, size, digest, position, events, manifest_path(source))


# The manifest ------------------------------------------------------------------------------


def _signer(signing_key: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(derive_key(signing_key, "jejak:backups"))


def _canonical(statement: dict[str, Any]) -> bytes:
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()


def _signed(statement: dict[str, Any], signing_key: str) -> dict[str, Any]:
    signer = _signer(signing_key)
    body = {**statement, "public_key": signer.public_key().public_bytes_raw().hex()}
    return {**body, "signature": signer.sign(_canonical(body)).hex()}


def _checked_manifest(source: Path, signing_key: str) -> dict[str, Any]:
    manifest = manifest_path(source)
    if not source.is_file():
        msg = f"no backup at {source}"
        raise BackupRefused(msg)
    try:
        statement = json.loads(manifest.read_text())
        body = {k: v for k, v in statement.items() if k != "signature"}
        signature = bytes.fromhex(str(statement["signature"]))
    except FileNotFoundError:
        msg = f"the backup's manifest {manifest} is missing: it is written beside every backup"
        raise BackupRefused(msg) from None
    except (ValueError, KeyError, TypeError, AttributeError):
        msg = f"the manifest {manifest} is unreadable"
        raise BackupRefused(msg) from None
    try:
        _signer(signing_key).public_key().verify(signature, _canonical(body))
    except InvalidSignature:
        msg = (
            f"the manifest {manifest} is not signed with this deployment's JEJAK_SIGNING_KEY: "
            "the backup is another deployment's, or the manifest was altered"
        )
        raise BackupRefused(msg) from None
    size, digest = _digest(source)
    if (size, digest) != (body.get("bytes"), body.get("sha256")):
        msg = (
            f"{source} is not the file that was backed up ({size} bytes, sha256 {digest}; the "
            f"manifest says {body.get('bytes')} bytes, sha256 {body.get('sha256')}): it was "
            "altered or damaged since"
        )
        raise BackupRefused(msg)
    return dict(body)


# Files --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` (mode 0600), renamed onto it when the block ends
    without an error and removed when it does not: ``path`` is whole or untouched."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield temporary
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


# SQLite -------------------------------------------------------------------------------------


def _sqlite_path(database_url: str) -> Path:
    path = database_url.removeprefix("sqlite:///")
    if not path or path == ":memory:" or path.startswith("file:"):
        msg = "backup and restore need an SQLite file (JEJAK_DATABASE_URL=sqlite:///path)"
        raise BackupRefused(msg)
    return Path(path).absolute()


def _backup_sqlite(database: Path, out: Path, temporary: Path) -> tuple[int, int]:
    if not database.is_file():
        msg = f"no SQLite store at {database}"
        raise BackupRefused(msg)
    if out.exists() and out.resolve() == database.resolve():
        msg = "the backup would overwrite the store itself: name another file"
        raise BackupRefused(msg)
    source = sqlite3.connect(database, timeout=30)
    try:
        _head(source)  # a Jejak store, or refused
        copy = sqlite3.connect(temporary)
        try:
            # One step (pages=-1): the copy is the store as one read transaction saw it,
            # while writers go on in the write-ahead log.
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            return _head(copy)
        finally:
            copy.close()
    finally:
        source.close()


def _restore_sqlite(source: Path, database: Path) -> tuple[int, int]:
    try:
        backup_db = _read_only(source)
    except sqlite3.Error as error:
        msg = f"{source} cannot be opened as an SQLite store: {error}"
        raise BackupRefused(msg) from None
    try:
        try:
            verdict = backup_db.execute("PRAGMA integrity_check").fetchone()
        except sqlite3.DatabaseError as error:
            msg = f"{source} is not an SQLite store: {error}"
            raise BackupRefused(msg) from None
        if verdict is None or verdict[0] != "ok":
            msg = f"{source} is damaged: SQLite's integrity check says {verdict}"
            raise BackupRefused(msg)
        _head(backup_db)
        _refuse_non_empty_sqlite(database)
        database.parent.mkdir(parents=True, exist_ok=True)
        with _atomic(database) as temporary:
            copy = sqlite3.connect(temporary)
            try:
                backup_db.backup(copy)
                return _head(copy)
            finally:
                copy.close()
    finally:
        backup_db.close()


def _refuse_non_empty_sqlite(database: Path) -> None:
    log = database.with_name(database.name + "-wal")
    if log.exists() and log.stat().st_size > 0:
        msg = f"{log} is left from another store: SQLite would replay it into the restore"
        raise BackupRefused(msg)
    if not database.exists() or database.stat().st_size == 0:
        return
    connection = _read_only(database)
    try:
        tables = connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError:
        tables = -1
    finally:
        connection.close()
    if tables:
        msg = (
            f"{database} is not empty: a restore writes only into an empty database (move "
            "the file away, or name another with JEJAK_DATABASE_URL)"
        )
        raise BackupRefused(msg)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)


def _head(connection: sqlite3.Connection) -> tuple[int, int]:
    try:
        row = connection.execute(
            f"SELECT COALESCE(MAX(rowid), 0), COUNT(*) FROM {EVENTS}"  # noqa: S608
        ).fetchone()
    except sqlite3.DatabaseError as error:
        msg = f"not a Jejak store: {error}"
        raise BackupRefused(msg) from None
    return int(row[0]), int(row[1])
