"""Snapshots bound to the history they summarise.

A snapshot is a cache of an aggregate's events, trusted on every load instead of them: a row
of ``jejak_snapshots`` edited behind the service's back (its version moved from 50 to 52,
say) would hide events from every read while writes went on. So each snapshot is sealed
with an HMAC (a key derived from the signing key) over its aggregate id, its version, the
aggregate's chain link at that version and its stored bytes. A load reads the link in the
same query (a join on the events' primary key) and checks the seal; a snapshot whose seal
does not match is ignored (the events are replayed), logged, and named by verification.

Snapshots stored before seals existed (both formats: the library's ``Snapshot`` and the
packed ``jejak:Journey.Snapshot``) are not trusted either: nothing vouches for them. They
are ignored on load like a broken one, and ``jejak db upgrade`` (run at start in the
single-role setup) replaces each with a snapshot taken afresh from the events."""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import struct
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent

from infrastructure.db import Database
from infrastructure.ledger import Tables

logger = logging.getLogger("jejak.integrity")


_NUMBER = struct.Struct(">Q")


def snapshot_seal(
    key: bytes, originator_id: UUID, version: int, chain_link: bytes, topic: str, state: bytes
) -> bytes:
    encoded = topic.encode()
    message = (
        originator_id.bytes
        + _NUMBER.pack(version)
        + _NUMBER.pack(len(chain_link))
        + chain_link
        + _NUMBER.pack(len(encoded))
        + encoded
        + state
    )
    return hmac.new(key, message, hashlib.sha256).digest()


@dataclass(frozen=True)
class SnapshotRow:
    """A stored snapshot with its seal and the chain link at its version (None when no
    event has that version)."""

    originator_id: UUID
    version: int
    topic: str
    state: bytes
    seal: bytes | None
    chain_link: bytes | None

    def is_sound(self, key: bytes) -> bool:
        if not self.seal or self.chain_link is None:
            return False
        expected = snapshot_seal(
            key, self.originator_id, self.version, self.chain_link, self.topic, self.state
        )
        return hmac.compare_digest(expected, self.seal)


class SealedSnapshots:
    """The snapshot store's reads and writes, one implementation for both dialects."""

    def __init__(
        self,
        db: Database,
        tables: Tables,
        key: bytes,
        bounded: Callable[[Callable[[], Any]], Any] | None = None,
    ) -> None:
        self.db = db
        self.tables = tables
        self.key = key
        #: How a read is run (PostgreSQL retries one broken pooled connection, once).
        self.bounded = bounded or (lambda read: read())

    def select_sql(self) -> str:
        t = self.tables
        return (
            f"SELECT s.originator_id, s.originator_version, s.topic, s.state, s.seal, e.hash "  # noqa: S608
            f"FROM {t.snapshots} s LEFT JOIN {t.events} e ON e.originator_id = s.originator_id "
            "AND e.originator_version = s.originator_version"
        )

    def insert(self, stored: Sequence[StoredEvent]) -> None:
        """Seals each snapshot with the chain link of the event at its version, read in the
        same transaction: a snapshot of a version that was never recorded is refused."""
        if not stored:
            return
        t = self.tables
        with self.db.transaction() as tx:
            rows = []
            for snapshot in stored:
                originator_id = _uuid(snapshot.originator_id)
                found = tx.fetchone(
                    f"SELECT hash FROM {t.events} WHERE originator_id = ? "  # noqa: S608
                    "AND originator_version = ?",
                    (self.db.id_param(originator_id), snapshot.originator_version),
                )
                if found is None:
                    msg = f"no event at version {snapshot.originator_version} to snapshot"
                    raise IntegrityError(msg)
                seal = snapshot_seal(
                    self.key,
                    originator_id,
                    snapshot.originator_version,
                    bytes(found[0]),
                    snapshot.topic,
                    snapshot.state,
                )
                rows.append(
                    (
                        self.db.id_param(originator_id),
                        snapshot.originator_version,
                        snapshot.topic,
                        snapshot.state,
                        seal,
                    )
                )
            tx.executemany(
                f"INSERT INTO {t.snapshots} (originator_id, originator_version, topic, state, "  # noqa: S608
                "seal) VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def select(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """The library's ``select_events`` over sound snapshots only. A load asks for the
        newest one (``desc``, ``limit=1``); when that one is not sound, the next older one
        is read, so one broken snapshot costs a replay of its events, never a wrong state."""
        found: list[StoredEvent] = []
        upper = lte
        while True:
            rows: list[SnapshotRow] = self.bounded(
                functools.partial(self._rows, _uuid(originator_id), gt, upper, desc, limit)
            )
            for row in rows:
                if row.is_sound(self.key):
                    found.append(
                        StoredEvent(row.originator_id, row.version, row.topic, row.state)
                    )
                else:
                    _log_ignored(row)
            if limit is None or len(found) >= limit or len(rows) < limit or not desc:
                return found[:limit] if limit is not None else found
            upper = rows[-1].version - 1

    def _rows(
        self,
        originator_id: UUID,
        gt: int | None,
        lte: int | None,
        desc: bool,
        limit: int | None,
    ) -> list[SnapshotRow]:
        sql = self.select_sql() + " WHERE s.originator_id = ?"
        params: list[Any] = [self.db.id_param(originator_id)]
        if gt is not None:
            sql += " AND s.originator_version > ?"
            params.append(gt)
        if lte is not None:
            sql += " AND s.originator_version <= ?"
            params.append(lte)
        sql += f" ORDER BY s.originator_version {'DESC' if desc else 'ASC'}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self.db.reading() as tx:
            return [_row(values) for values in tx.fetchall(sql, params)]

    def scan(self, originator_id: UUID | None = None) -> Iterator[SnapshotRow]:
        """Every stored snapshot (or one aggregate's) with its chain link, to verify."""
        sql = self.select_sql()
        params: tuple[Any, ...] = ()
        if originator_id is not None:
            sql += " WHERE s.originator_id = ?"
            params = (self.db.id_param(originator_id),)
        for values in self.db.stream(sql + " ORDER BY s.originator_id, s.originator_version", params):
            yield _row(values)


class SealedSnapshotRecorder:
    """Mixed in before a library aggregate recorder: its snapshots, sealed."""

    sealed: SealedSnapshots

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        self.sealed.insert(stored_events)
        return None

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        return self.sealed.select(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)


def _row(values: Sequence[Any]) -> SnapshotRow:
    originator_id, version, topic, state, seal, chain_link = values
    return SnapshotRow(
        originator_id=_uuid(originator_id),
        version=int(version),
        topic=str(topic),
        state=_bytes(state),
        seal=None if seal is None else _bytes(seal),
        chain_link=None if chain_link is None else _bytes(chain_link),
    )


def _log_ignored(row: SnapshotRow) -> None:
    logger.warning(
        "snapshot ignored: its seal does not match, the events are replayed",
        extra={
            "aggregate_id": str(row.originator_id),
            "version": row.version,
            "sealed": row.seal is not None,
        },
    )


def _bytes(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return bytes(value)


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
