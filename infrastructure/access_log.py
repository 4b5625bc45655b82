"""The access log: who read or exported whose personal data, and failed logins.

Append-only like the events (triggers refuse UPDATE, DELETE and TRUNCATE; the runtime role
may only insert and read), and hash-chained: each entry carries an HMAC (a key derived from
the signing key) over the previous entry's link, its id and every field, so an entry edited,
removed or inserted behind the service's back breaks the chain where it happened. Writers
take turns (the write lock of SQLite, an advisory lock on PostgreSQL) so the chain never
forks. Entries cut off at the end, or the whole log wiped, leave no break: a signed
checkpoint holds the log's head, and verification against it finds those."""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from application.ports import AccessEntry, AccessLogVerification, LogProblem
from infrastructure.chain import GENESIS
from infrastructure.db import Database, Tx, advisory_key
from infrastructure.ledger import Tables

#: Problems listed by one verification; the count says how many more there were.
PROBLEM_LIMIT = 100

_COLUMNS = "id, at, user_id, username, role, action, subject_id, route, client"
_NUMBER = struct.Struct(">Q")


def entry_link(key: bytes, previous: bytes, entry_id: int, fields: Sequence[Any]) -> bytes:
    """The chain link of one entry (``fields`` in the order of the table's columns after
    ``id``; a missing subject is told apart from an empty one)."""
    parts = [previous, _NUMBER.pack(entry_id)]
    for value in fields:
        if value is None:
            parts.append(b"\xff" * 8)
            continue
        encoded = str(value).encode("utf-8", "surrogatepass")
        parts.append(_NUMBER.pack(len(encoded)))
        parts.append(encoded)
    return hmac.new(key, b"".join(parts), hashlib.sha256).digest()


class AccessLogStore:
    def __init__(self, db: Database, tables: Tables, key: bytes) -> None:
        self.db = db
        self.table = tables.access_log
        self.key = key
        self._lock = advisory_key(self.table)

    def record(self, entry: AccessEntry) -> None:
        self.record_many([entry])

    def record_many(self, entries: Sequence[AccessEntry]) -> None:
        """Several entries in one transaction, chained one after the other (an import
        checks hundreds of NIKs a batch)."""
        with self.db.transaction() as tx:
            entry_id, previous = self._head(tx)
            rows = []
            for entry in entries:
                fields = (
                    entry.at.isoformat(),
                    entry.user_id,
                    entry.username,
                    entry.role,
                    entry.action,
                    entry.subject_id,
                    entry.route,
                    entry.client,
                )
                entry_id += 1
                previous = entry_link(self.key, previous, entry_id, fields)
                rows.append((entry_id, *fields, previous))
            tx.executemany(
                f"INSERT INTO {self.table} ({_COLUMNS}, hash) "  # noqa: S608
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def _head(self, tx: Tx) -> tuple[int, bytes]:
        """The last entry's id and link, holding the log's write lock until commit."""
        if self.db.dialect == "postgresql":
            tx.execute("SELECT pg_advisory_xact_lock(?)", (self._lock,))
        row = tx.fetchone(f"SELECT id, hash FROM {self.table} ORDER BY id DESC LIMIT 1")  # noqa: S608
        if row is None:
            return 0, GENESIS
        return int(row[0]), b"" if row[1] is None else bytes(row[1])

    def head(self) -> tuple[int, bytes]:
        """The id and link of the newest entry (0 and the genesis link when empty)."""
        with self.db.reading() as tx:
            row = tx.fetchone(f"SELECT id, hash FROM {self.table} ORDER BY id DESC LIMIT 1")  # noqa: S608
        if row is None:
            return 0, GENESIS
        return int(row[0]), b"" if row[1] is None else bytes(row[1])

    def link_of(self, entry_id: int) -> bytes | None:
        with self.db.reading() as tx:
            row = tx.fetchone(f"SELECT hash FROM {self.table} WHERE id = ?", (entry_id,))  # noqa: S608
        return None if row is None or row[0] is None else bytes(row[0])

    def verify(self) -> AccessLogVerification:
        """Recomputes the chain in id order and says where it breaks and how."""
        problems: list[LogProblem] = []
        total = 0
        entries = 0
        previous, previous_id = GENESIS, 0
        sql = f"SELECT {_COLUMNS}, hash FROM {self.table} ORDER BY id"  # noqa: S608
        for row in self.db.stream(sql):
            entries += 1
            entry_id, fields, stored = int(row[0]), row[1:9], row[9]
            problem = _check(self.key, previous, previous_id, entry_id, fields, stored)
            if problem is not None:
                total += 1
                if len(problems) < PROBLEM_LIMIT:
                    problems.append(problem)
            previous = b"" if stored is None else bytes(stored)
            previous_id = entry_id
        return AccessLogVerification(
            entries=entries, last_id=previous_id, problems=problems, problem_count=total
        )

    def chain_unlinked(self, tx: Tx) -> int:
        """Links entries stored before the log was chained (``jejak db upgrade``; the caller
        has lifted the append-only guard for this transaction). Returns how many."""
        first = tx.fetchone(f"SELECT MIN(id) FROM {self.table} WHERE hash IS NULL")  # noqa: S608
        if first is None or first[0] is None:
            return 0
        before = tx.fetchone(
            f"SELECT hash FROM {self.table} WHERE id < ? ORDER BY id DESC LIMIT 1",  # noqa: S608
            (int(first[0]),),
        )
        previous = GENESIS if before is None or before[0] is None else bytes(before[0])
        rows = tx.fetchall(
            f"SELECT {_COLUMNS}, hash FROM {self.table} WHERE id >= ? ORDER BY id",  # noqa: S608
            (int(first[0]),),
        )
        updates: list[tuple[bytes, int]] = []
        for row in rows:
            entry_id, stored = int(row[0]), row[9]
            if stored is None:
                stored = entry_link(self.key, previous, entry_id, row[1:9])
                updates.append((stored, entry_id))
            previous = bytes(stored)
        tx.executemany(f"UPDATE {self.table} SET hash = ? WHERE id = ?", updates)  # noqa: S608
        return len(updates)

    def entries(
        self,
        *,
        since: datetime | None,
        until: datetime | None,
        after: int,
        limit: int,
        user_id: str | None = None,
    ) -> list[AccessEntry]:
        where = ["id > ?"]
        params: list[Any] = [after]
        if since is not None:
            where.append("at >= ?")
            params.append(since.astimezone(UTC).isoformat())
        if until is not None:
            where.append("at <= ?")
            params.append(until.astimezone(UTC).isoformat())
        if user_id is not None:
            where.append("user_id = ?")
            params.append(user_id)
        with self.db.reading() as tx:
            rows = tx.fetchall(
                f"SELECT {_COLUMNS} "  # noqa: S608
                f"FROM {self.table} WHERE {' AND '.join(where)} ORDER BY id LIMIT ?",
                [*params, limit],
            )
        return list(_entries(rows))


def _check(
    key: bytes,
    previous: bytes,
    previous_id: int,
    entry_id: int,
    fields: Sequence[Any],
    stored: Any,
) -> LogProblem | None:
    if stored is None:
        return LogProblem(entry_id, "unsealed", "the entry carries no link")
    if hmac.compare_digest(entry_link(key, previous, entry_id, fields), bytes(stored)):
        return None
    if entry_id > previous_id + 1:
        first, last = previous_id + 1, entry_id - 1
        span = str(first) if first == last else f"{first}-{last}"
        return LogProblem(entry_id, "removed", f"entries {span} before it are missing")
    return LogProblem(
        entry_id, "changed", "does not match its link: changed, or moved from elsewhere"
    )


def _entries(rows: Sequence[Sequence[Any]]) -> Iterator[AccessEntry]:
    for r in rows:
        yield AccessEntry(
            id=int(r[0]),
            at=datetime.fromisoformat(str(r[1])),
            user_id=str(r[2]),
            username=str(r[3]),
            role=str(r[4]),
            action=str(r[5]),
            subject_id=None if r[6] is None else str(r[6]),
            route=str(r[7]),
            client=str(r[8]),
        )
