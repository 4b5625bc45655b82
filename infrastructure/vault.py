"""Per-person data keys, wrapped by the master key (crypto-shredding for UU 27/2022).

Destroying a person's key leaves a tombstone, so nothing can quietly create a fresh key
for an erased person and make new data about them readable again."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from domain.errors import RuleViolation
from infrastructure.crypto import key_id, new_data_key, open_sealed, seal
from infrastructure.db import Database

CACHE_SECONDS = 30.0


class MasterKeyMismatch(RuntimeError):
    """A data key was wrapped by a master key other than the configured one."""


class PersonErased(RuleViolation):
    code = "person_erased"
    template = "The personal data of this person has been erased; it cannot be recorded again."


class KeyVault:
    def __init__(
        self,
        db: Database,
        table: str,
        master_key: bytes,
        previous_master_keys: tuple[bytes, ...] = (),
    ) -> None:
        self.db = db
        self.table = table
        self.master_key = master_key
        self.master_id = key_id(master_key)
        #: Master keys being rotated out: data keys they wrapped stay readable until rewrapped.
        self.previous = {key_id(key): key for key in previous_master_keys}
        self._cache: dict[str, tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    def key_for(self, subject: str, *, create: bool) -> bytes | None:
        """The subject's data key; ``None`` once erased (or never created, when reading)."""
        cached = self._cached(subject)
        if cached is not None:
            return cached
        row = self._select(subject)
        if row is None and create:
            with self.db.transaction() as tx:
                tx.execute(
                    f"INSERT INTO {self.table} (subject_id, wrapped_key, master_key_id, created_at) "  # noqa: S608
                    "VALUES (?, ?, ?, ?) ON CONFLICT (subject_id) DO NOTHING",
                    (subject, self._wrap(subject, new_data_key()), self.master_id, _now()),
                )
            row = self._select(subject)
        if row is None:
            return None
        wrapped, master_id = row
        if wrapped is None:
            if create:
                raise PersonErased()
            return None
        return self._unwrap(subject, wrapped, master_id)

    def load_keys(self, subjects: Sequence[str]) -> None:
        """Reads the keys of many subjects at once into the cache, so decoding a batch of
        their events asks the database once instead of once a person (catching an index
        up after an import of 50,000 people read one key a query). Unknown and erased
        subjects are left as they are: ``key_for`` answers them as before."""
        missing = sorted({s for s in subjects if self._cached(s) is None})
        for start in range(0, len(missing), _LOAD_CHUNK):
            self._read_into_cache(missing[start : start + _LOAD_CHUNK])

    def create_keys(self, subjects: Sequence[str]) -> None:
        """Keys for many new subjects in one transaction and one read (an import registers
        hundreds of people at a time), cached as ``key_for`` caches them. A subject that
        already has a key, or a tombstone, keeps it."""
        fresh = sorted({s for s in subjects if self._cached(s) is None})
        if not fresh:
            return
        with self.db.transaction() as tx:
            tx.executemany(
                f"INSERT INTO {self.table} (subject_id, wrapped_key, master_key_id, created_at) "  # noqa: S608
                "VALUES (?, ?, ?, ?) ON CONFLICT (subject_id) DO NOTHING",
                [(s, self._wrap(s, new_data_key()), self.master_id, _now()) for s in fresh],
            )
        self._read_into_cache(fresh)

    def _read_into_cache(self, subjects: Sequence[str]) -> None:
        with self.db.reading() as tx:
            rows = tx.fetchall(
                f"SELECT subject_id, wrapped_key, master_key_id FROM {self.table} "  # noqa: S608
                f"WHERE subject_id IN ({', '.join('?' for _ in subjects)})",
                subjects,
            )
        for subject, wrapped, master_id in rows:
            if wrapped is not None:
                self._unwrap(str(subject), bytes(wrapped), str(master_id))

    def _unwrap(self, subject: str, wrapped: bytes, master_id: str) -> bytes:
        if master_id == self.master_id:
            wrapping = self.master_key
        elif master_id in self.previous:
            wrapping = self.previous[master_id]
        else:
            msg = "a data key is wrapped by an unknown master key: set JEJAK_PREVIOUS_MASTER_KEY"
            raise MasterKeyMismatch(msg)
        key = open_sealed(wrapping, bytes(wrapped), subject.encode())
        with self._lock:
            self._cache[subject] = (key, time.monotonic() + CACHE_SECONDS)
        return key

    def destroy(self, subject: str) -> None:
        """Crypto-shreds the subject: the wrapped key is overwritten by a tombstone."""
        with self.db.transaction() as tx:
            changed = tx.execute(
                f"UPDATE {self.table} SET wrapped_key = NULL, destroyed_at = ? WHERE subject_id = ?",  # noqa: S608
                (_now(), subject),
            )
            if changed == 0:
                tx.execute(
                    f"INSERT INTO {self.table} (subject_id, wrapped_key, master_key_id, created_at, destroyed_at) "  # noqa: S608
                    "VALUES (?, NULL, ?, ?, ?)",
                    (subject, self.master_id, _now(), _now()),
                )
        with self._lock:
            self._cache.pop(subject, None)

    def rewrap(self) -> int:
        """Re-wraps every data key wrapped by a previous master key with the current one; the
        events themselves are untouched. Returns how many keys were re-wrapped."""
        count = 0
        for old_id, old_key in self.previous.items():
            with self.db.transaction() as tx:
                rows = tx.fetchall(
                    f"SELECT subject_id, wrapped_key FROM {self.table} "  # noqa: S608
                    "WHERE master_key_id = ? AND wrapped_key IS NOT NULL",
                    (old_id,),
                )
                for subject, wrapped in rows:
                    key = open_sealed(old_key, bytes(wrapped), str(subject).encode())
                    tx.execute(
                        f"UPDATE {self.table} SET wrapped_key = ?, master_key_id = ? WHERE subject_id = ?",  # noqa: S608
                        (self._wrap(str(subject), key), self.master_id, subject),
                    )
                    count += 1
        with self._lock:
            self._cache.clear()
        return count

    def unreadable(self) -> int:
        """Data keys wrapped by a master key that is neither current nor previous."""
        known = [self.master_id, *self.previous]
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT COUNT(*) FROM {self.table} WHERE wrapped_key IS NOT NULL "  # noqa: S608
                f"AND master_key_id NOT IN ({', '.join('?' for _ in known)})",
                known,
            )
        return int(row[0]) if row else 0

    def _wrap(self, subject: str, key: bytes) -> bytes:
        return seal(self.master_key, key, subject.encode())

    def _select(self, subject: str) -> tuple[bytes | None, str] | None:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT wrapped_key, master_key_id FROM {self.table} WHERE subject_id = ?",  # noqa: S608
                (subject,),
            )
        if row is None:
            return None
        return (None if row[0] is None else bytes(row[0]), str(row[1]))

    def _cached(self, subject: str) -> bytes | None:
        with self._lock:
            entry = self._cache.get(subject)
            if entry is None:
                return None
            if entry[1] < time.monotonic():
                del self._cache[subject]
                return None
            return entry[0]


#: Subjects per query of ``load_keys`` (well under SQLite's 32,766 parameters).
_LOAD_CHUNK = 500


def _now() -> str:
    return datetime.now(UTC).isoformat()
