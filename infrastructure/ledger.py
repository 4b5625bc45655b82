"""Jejak's event recording, shared by the SQLite and PostgreSQL recorders.

One write transaction: take the write lock, number the new events right after the current
last position (so positions are gap-free and in commit order), claim unique keys, store the
idempotency record, link each event into its aggregate's hash chain, seal its place in the
feed (its position and the event before it), insert."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent

from application.ports import (
    ClaimsOwned,
    ClaimTaken,
    Guard,
    IdempotencyKeyTaken,
    ReadChanged,
    SaveExtras,
    StoredResponse,
)
from infrastructure.chain import FEED_START, GENESIS, feed_keyed, feed_ref, feed_seal, link
from infrastructure.db import Database, Tx

#: How long /readyz waits for the store before saying it is unreachable.
PING_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class Tables:
    """Qualified names of Jejak's tables (a schema prefix on PostgreSQL)."""

    prefix: str = ""

    @property
    def events(self) -> str:
        return f"{self.prefix}jejak_events"

    @property
    def snapshots(self) -> str:
        return f"{self.prefix}jejak_snapshots"

    @property
    def claims(self) -> str:
        return f"{self.prefix}jejak_claims"

    @property
    def idempotency(self) -> str:
        return f"{self.prefix}jejak_idempotency"

    @property
    def data_keys(self) -> str:
        return f"{self.prefix}jejak_data_keys"

    @property
    def access_log(self) -> str:
        return f"{self.prefix}jejak_access_log"


def side_table_statements(tables: Tables, *, postgres: bool) -> list[str]:
    blob = "bytea" if postgres else "BLOB"
    return [
        f"CREATE TABLE IF NOT EXISTS {tables.claims} ("
        "kind TEXT NOT NULL, key TEXT NOT NULL, owner_id TEXT NOT NULL, claimed_at TEXT NOT NULL, "
        "PRIMARY KEY (kind, key))",
        f"CREATE INDEX IF NOT EXISTS jejak_claims_owner_idx ON {tables.claims} (owner_id)",
        f"CREATE TABLE IF NOT EXISTS {tables.idempotency} ("
        "scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
        "aggregate_id TEXT NOT NULL, response TEXT NOT NULL, position BIGINT NOT NULL, "
        "created_at TEXT NOT NULL, PRIMARY KEY (scope, key))",
        f"CREATE INDEX IF NOT EXISTS jejak_idempotency_aggregate_idx ON {tables.idempotency} "
        "(aggregate_id)",
        f"CREATE TABLE IF NOT EXISTS {tables.data_keys} ("
        f"subject_id TEXT PRIMARY KEY, wrapped_key {blob}, master_key_id TEXT NOT NULL, "
        "created_at TEXT NOT NULL, destroyed_at TEXT)",
        f"CREATE TABLE IF NOT EXISTS {tables.access_log} ("
        f"id {'BIGSERIAL PRIMARY KEY' if postgres else 'INTEGER PRIMARY KEY AUTOINCREMENT'}, "
        "at TEXT NOT NULL, user_id TEXT NOT NULL, username TEXT NOT NULL, role TEXT NOT NULL, "
        "action TEXT NOT NULL, subject_id TEXT, route TEXT NOT NULL, client TEXT NOT NULL, "
        f"hash {blob})",
        f"CREATE INDEX IF NOT EXISTS jejak_access_log_at_idx ON {tables.access_log} (at)",
        f"CREATE INDEX IF NOT EXISTS jejak_access_log_user_idx ON {tables.access_log} (user_id, id)",
    ]


class LedgerWriter:
    """The write path and the side-table reads, written once for both dialects."""

    def __init__(
        self,
        db: Database,
        tables: Tables,
        chain_key: bytes,
        position_column: str,
        *,
        feed_key: bytes,
    ):
        self.db = db
        self.tables = tables
        self.chain_key = chain_key
        self._feed = feed_keyed(feed_key)
        self.position_column = position_column

    def write(self, tx: Tx, events: Sequence[StoredEvent], extras: SaveExtras | None) -> list[int]:
        t = self.tables
        p = self.position_column
        row = tx.fetchone(
            f"SELECT {p}, originator_id, originator_version FROM {t.events} "  # noqa: S608
            f"ORDER BY {p} DESC LIMIT 1"
        )
        last = int(row[0]) if row else 0
        previous = feed_ref(_as_uuid(row[1]), int(row[2])) if row else FEED_START
        positions = list(range(last + 1, last + 1 + len(events)))
        if extras is not None:
            for guard in extras.guards:
                self._check(tx, guard)
            self._write_extras(tx, extras, positions[-1] if positions else last)
        heads = self._previous_links(tx, events)
        rows: list[tuple[Any, ...]] = []
        for position, event in zip(positions, events, strict=True):
            originator_id = _as_uuid(event.originator_id)
            version = event.originator_version
            digest = link(
                self.chain_key,
                heads.get(event.originator_id, GENESIS),
                originator_id,
                event.topic,
                event.state,
            )
            heads[event.originator_id] = digest
            seal = feed_seal(self._feed, position, originator_id, version, digest, previous)
            rows.append(
                (
                    position,
                    self.db.id_param(event.originator_id),
                    version,
                    event.topic,
                    event.state,
                    digest,
                    seal,
                    previous,
                )
            )
            previous = feed_ref(originator_id, version)
        tx.executemany(
            f"INSERT INTO {t.events} ({p}, originator_id, originator_version, "  # noqa: S608
            "topic, state, hash, feed_seal, feed_previous) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return positions

    def _write_extras(self, tx: Tx, extras: SaveExtras, position: int) -> None:
        """The idempotency record, released and new claims, in the events' transaction."""
        t = self.tables
        now = datetime.now(UTC).isoformat()
        # The idempotency record first: a retry racing its own first attempt must find
        # the key taken (and replay the first answer), not collide with the first
        # attempt's claims as if it were another registration of the same person.
        record = extras.idempotency
        if record is not None:
            stored = tx.execute(
                f"INSERT INTO {t.idempotency} (scope, key, fingerprint, aggregate_id, response, "  # noqa: S608
                "position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (scope, key) DO NOTHING",
                (
                    record.scope,
                    record.key,
                    record.fingerprint,
                    str(record.aggregate_id),
                    json.dumps(dict(record.response), separators=(",", ":")),
                    position,
                    now,
                ),
            )
            if stored == 0:
                raise IdempotencyKeyTaken("idempotency key already used")
        for claim in extras.releases:
            tx.execute(
                f"DELETE FROM {t.claims} WHERE kind = ? AND key = ? AND owner_id = ?",  # noqa: S608
                (claim.kind, claim.key, str(claim.owner_id)),
            )
        for claim in extras.claims:
            claimed = tx.execute(
                f"INSERT INTO {t.claims} (kind, key, owner_id, claimed_at) VALUES (?, ?, ?, ?) "  # noqa: S608
                "ON CONFLICT (kind, key) DO NOTHING",
                (claim.kind, claim.key, str(claim.owner_id), now),
            )
            if claimed == 0:
                owner = tx.fetchone(
                    f"SELECT owner_id FROM {t.claims} WHERE kind = ? AND key = ?",  # noqa: S608
                    (claim.kind, claim.key),
                )
                raise ClaimTaken(claim.kind, UUID(str(owner[0])) if owner else claim.owner_id)

    def _check(self, tx: Tx, guard: Guard) -> None:
        """Under the write lock every earlier write is committed and no other is under way,
        so what this reads is what the events will be stored after."""
        t = self.tables
        if isinstance(guard, ClaimsOwned):
            now = self._owned(tx, guard.kind, guard.owner_id)
            if set(now) != guard.keys:
                raise ReadChanged(f"the {guard.kind} claims of {guard.owner_id} changed")
            return
        row = tx.fetchone(
            f"SELECT MAX(originator_version) FROM {t.events} WHERE originator_id = ?",  # noqa: S608
            (self.db.id_param(guard.aggregate_id),),
        )
        if (int(row[0]) if row and row[0] is not None else 0) != guard.version:
            raise ReadChanged(f"{guard.aggregate_id} changed after version {guard.version}")

    def _owned(self, tx: Tx, kind: str, owner_id: UUID) -> list[str]:
        rows = tx.fetchall(
            f"SELECT key FROM {self.tables.claims} WHERE kind = ? AND owner_id = ? ORDER BY key",  # noqa: S608
            (kind, str(owner_id)),
        )
        return [str(row[0]) for row in rows]

    def _previous_links(self, tx: Tx, events: Sequence[StoredEvent]) -> dict[Any, bytes]:
        """The chain head each aggregate in the batch continues from."""
        first: dict[Any, int] = {}
        for event in events:
            if event.originator_id not in first:
                first[event.originator_id] = event.originator_version
        heads: dict[Any, bytes] = {}
        for originator_id, version in first.items():
            if version <= 1:
                continue
            row = tx.fetchone(
                f"SELECT hash FROM {self.tables.events} "  # noqa: S608
                "WHERE originator_id = ? AND originator_version = ?",
                (self.db.id_param(originator_id), version - 1),
            )
            if row is None or row[0] is None:
                msg = f"event {version - 1} of {originator_id} is missing: refusing to extend it"
                raise IntegrityError(msg)
            heads[originator_id] = bytes(row[0])
        return heads

    # Side-table reads -----------------------------------------------------------------

    def get_stored_response(self, scope: str, key: str) -> StoredResponse | None:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT fingerprint, response, position FROM {self.tables.idempotency} "  # noqa: S608
                "WHERE scope = ? AND key = ?",
                (scope, key),
            )
        if row is None:
            return None
        return StoredResponse(
            fingerprint=str(row[0]), response=json.loads(row[1]), position=int(row[2])
        )

    def get_claim_owner(self, kind: str, key: str) -> UUID | None:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT owner_id FROM {self.tables.claims} WHERE kind = ? AND key = ?",  # noqa: S608
                (kind, key),
            )
        return None if row is None else UUID(str(row[0]))

    def has_claims(self, kind: str) -> bool:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT 1 FROM {self.tables.claims} WHERE kind = ? LIMIT 1",  # noqa: S608
                (kind,),
            )
        return row is not None

    def claims_owned_by(self, kind: str, owner_id: UUID) -> list[str]:
        with self.db.reading() as tx:
            return self._owned(tx, kind, owner_id)

    def ping(self) -> None:
        self.db.ping(timeout=PING_TIMEOUT_SECONDS)


def _as_uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
