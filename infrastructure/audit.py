"""Reading the store as an auditor: streams with their links, the feed, chain verification,
signed checkpoints, and the access log."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from eventsourcing.persistence import StoredEvent

from application.ports import (
    AccessEntry,
    AuditedEvent,
    CheckpointVerification,
    Problem,
    Undecodable,
    Verification,
)
from infrastructure.chain import ChainRow, intact, verify_aggregate
from infrastructure.crypto import derive_key
from infrastructure.db import Database
from infrastructure.ledger import Tables
from infrastructure.mapper import PersonalDataMapper

MISSING_LIMIT = 1000


class ChainAuditStore:
    def __init__(
        self,
        db: Database,
        tables: Tables,
        mapper: PersonalDataMapper,
        chain_key: bytes,
        signing_key: str,
        position_column: str,
    ) -> None:
        self.db = db
        self.tables = tables
        self.mapper = mapper
        self.public_mapper = mapper.public()
        self.chain_key = chain_key
        self.position = position_column
        self._signer = Ed25519PrivateKey.from_private_bytes(
            derive_key(signing_key, "jejak:checkpoints")
        )

    # Reading -----------------------------------------------------------------------------

    def stream(self, aggregate_id: UUID) -> list[AuditedEvent]:
        with self.db.reading() as tx:
            rows = tx.fetchall(
                f"SELECT {self.position}, originator_version, topic, state, hash "  # noqa: S608
                f"FROM {self.tables.events} WHERE originator_id = ? ORDER BY originator_version",
                (self.db.id_param(aggregate_id),),
            )
        return [self._audited(self.mapper, aggregate_id, *row) for row in rows]

    def feed(self, after: int, limit: int) -> list[AuditedEvent]:
        with self.db.reading() as tx:
            rows = tx.fetchall(
                f"SELECT {self.position}, originator_id, originator_version, topic, state, hash "  # noqa: S608
                f"FROM {self.tables.events} WHERE {self.position} > ? "
                f"ORDER BY {self.position} LIMIT ?",
                (after, limit),
            )
        return [
            self._audited(self.public_mapper, _uuid(row[1]), row[0], row[2], row[3], row[4], row[5])
            for row in rows
        ]

    def _audited(
        self,
        mapper: PersonalDataMapper,
        aggregate_id: UUID,
        position: int,
        version: int,
        topic: str,
        state: bytes,
        digest: bytes,
    ) -> AuditedEvent:
        event: Any
        try:
            event = mapper.to_domain_event(
                StoredEvent(aggregate_id, _version(version), str(topic), _bytes(state))
            )
        except Exception as error:
            event = Undecodable(error=type(error).__name__)
        return AuditedEvent(
            position=int(position),
            aggregate_id=aggregate_id,
            version=_version(version),
            topic=str(topic),
            hash=_bytes(digest).hex(),
            event=event,
        )

    # Verifying ---------------------------------------------------------------------------

    def verify(self, aggregate_id: UUID | None = None) -> Verification:
        sql = f"SELECT originator_id, originator_version, topic, state, hash FROM {self.tables.events}"  # noqa: S608
        params: tuple[Any, ...] = ()
        if aggregate_id is not None:
            sql += " WHERE originator_id = ?"
            params = (self.db.id_param(aggregate_id),)
        sql += " ORDER BY originator_id, originator_version"
        problems: list[Problem] = []
        failed: list[UUID] = []
        checked = events = 0
        keyed = hmac.new(self.chain_key, digestmod=hashlib.sha256)
        for current, rows in _grouped(self.db.stream(sql, params, batch=20_000)):
            checked += 1
            events += len(rows)
            if intact(keyed, current, rows):
                continue
            found = verify_aggregate(
                self.chain_key,
                current,
                [ChainRow(version, topic, state, digest) for version, topic, state, digest in rows],
            )
            if found:
                failed.append(current)
                problems.extend(found)
        last, missing = self._feed_holes()
        return Verification(
            checked=checked,
            events=events,
            failed=failed,
            problems=problems,
            last_position=last,
            missing_positions=missing if aggregate_id is None else [],
        )

    def _feed_holes(self, upto: int | None = None) -> tuple[int, list[int]]:
        """The last position and any positions missing below it (the feed is gap-free)."""
        t, p = self.tables.events, self.position
        with self.db.reading() as tx:
            if upto is None:
                row = tx.fetchone(f"SELECT COALESCE(MAX({p}), 0), COUNT(*) FROM {t}")  # noqa: S608
            else:
                row = tx.fetchone(
                    f"SELECT ?, COUNT(*) FROM {t} WHERE {p} <= ?",  # noqa: S608
                    (upto, upto),
                )
            last, count = (int(row[0]), int(row[1])) if row else (0, 0)
            if count == last:
                return last, []
            holes = tx.fetchall(
                f"SELECT a.{p} + 1 FROM {t} a WHERE a.{p} + 1 <= ? AND NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {t} b WHERE b.{p} = a.{p} + 1) ORDER BY 1 LIMIT ?",
                (last, MISSING_LIMIT),
            )
            first_missing = tx.fetchone(f"SELECT 1 FROM {t} WHERE {p} = 1")  # noqa: S608
        starts = ([1] if first_missing is None and last > 0 else []) + [int(h[0]) for h in holes]
        missing: list[int] = []
        with self.db.reading() as tx:
            for start in starts:
                following = tx.fetchone(
                    f"SELECT MIN({p}) FROM {t} WHERE {p} > ?",  # noqa: S608
                    (start,),
                )
                end = int(following[0]) if following and following[0] is not None else last + 1
                missing.extend(range(start, min(end, last + 1)))
                if len(missing) >= MISSING_LIMIT:
                    return last, missing[:MISSING_LIMIT]
        return last, missing

    # Checkpoints -------------------------------------------------------------------------

    def checkpoint(self) -> dict[str, Any]:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT COALESCE(MAX({self.position}), 0), COUNT(*) FROM {self.tables.events}"  # noqa: S608
            )
        position, events = (int(row[0]), int(row[1])) if row else (0, 0)
        digest, aggregates = self._heads_digest(position)
        statement = {
            "jejak_checkpoint": 1,
            "position": position,
            "events": events,
            "aggregates": aggregates,
            "heads_digest": digest,
            "created_at": datetime.now(UTC).isoformat(),
            "public_key": self._signer.public_key().public_bytes_raw().hex(),
        }
        statement["signature"] = self._signer.sign(_canonical(statement)).hex()
        return statement

    def verify_checkpoint(self, statement: Mapping[str, Any]) -> CheckpointVerification:
        body = {k: v for k, v in statement.items() if k != "signature"}
        ours = self._signer.public_key()
        valid = body.get("public_key") == ours.public_bytes_raw().hex()
        try:
            Ed25519PublicKey.from_public_bytes(ours.public_bytes_raw()).verify(
                bytes.fromhex(str(statement.get("signature", ""))), _canonical(body)
            )
        except (InvalidSignature, ValueError):
            valid = False
        position = int(body.get("position", 0))
        _, missing = self._feed_holes(upto=position)
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT COUNT(*) FROM {self.tables.events} WHERE {self.position} <= ?",  # noqa: S608
                (position,),
            )
        found = int(row[0]) if row else 0
        digest, _ = self._heads_digest(position)
        return CheckpointVerification(
            valid_signature=valid,
            position=position,
            events_expected=int(body.get("events", 0)),
            events_found=found,
            missing_positions=missing,
            heads_match=digest == body.get("heads_digest"),
        )

    def _heads_digest(self, position: int) -> tuple[str, int]:
        t, p = self.tables.events, self.position
        sql = (
            f"SELECT e.originator_id, e.originator_version, e.hash FROM {t} e JOIN "  # noqa: S608
            f"(SELECT originator_id, MAX(originator_version) AS v FROM {t} WHERE {p} <= ? "
            "GROUP BY originator_id) m ON e.originator_id = m.originator_id "
            "AND e.originator_version = m.v ORDER BY e.originator_id"
        )
        digest = hashlib.sha256()
        count = 0
        for originator_id, version, head in self.db.stream(sql, (position,)):
            digest.update(f"{_uuid(originator_id)}:{int(version)}:{bytes(head).hex()}\n".encode())
            count += 1
        return digest.hexdigest(), count


class AccessLogStore:
    def __init__(self, db: Database, tables: Tables) -> None:
        self.db = db
        self.table = tables.access_log

    def record(self, entry: AccessEntry) -> None:
        self.record_many([entry])

    def record_many(self, entries: Sequence[AccessEntry]) -> None:
        """Several entries in one transaction (an import checks hundreds of NIKs a batch)."""
        with self.db.transaction() as tx:
            tx.executemany(
                f"INSERT INTO {self.table} (at, user_id, username, role, action, subject_id, "  # noqa: S608
                "route, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        entry.at.isoformat(),
                        entry.user_id,
                        entry.username,
                        entry.role,
                        entry.action,
                        entry.subject_id,
                        entry.route,
                        entry.client,
                    )
                    for entry in entries
                ],
            )

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
                f"SELECT id, at, user_id, username, role, action, subject_id, route, client "  # noqa: S608
                f"FROM {self.table} WHERE {' AND '.join(where)} ORDER BY id LIMIT ?",
                [*params, limit],
            )
        return [
            AccessEntry(
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
            for r in rows
        ]


def _grouped(
    rows: Iterator[tuple[Any, ...]],
) -> Iterator[tuple[UUID, list[tuple[int, str, bytes, bytes]]]]:
    """Rows ordered by aggregate, as (version, topic, state, hash) groups per aggregate."""
    current: Any = None
    group: list[tuple[int, str, bytes, bytes]] = []
    for originator_id, version, topic, state, digest in rows:
        if originator_id != current:
            if group:
                yield _uuid(current), group
                group = []
            current = originator_id
        group.append((_version(version), str(topic), _bytes(state), _bytes(digest)))
    if group:
        yield _uuid(current), group


def _bytes(value: Any) -> bytes:
    """A stored value as bytes. Altered behind the service's back, a BLOB can come back as
    text (SQLite's replace() returns text) or NULL: verification must report that, not fail."""
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return bytes(value)


def _version(value: Any) -> int:
    """An altered version that is no longer a number reads as -1: out of order, reported."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _canonical(statement: Mapping[str, Any]) -> bytes:
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
