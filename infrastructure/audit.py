"""Reading the store as an auditor: streams with their links, the feed, and verification
of everything that vouches for the store (chains, feed seals, snapshot seals, the access
log's chain, signed checkpoints)."""

from __future__ import annotations

import hmac
import struct
from collections.abc import Iterator, Mapping
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from application.ports import (
    AuditedEvent,
    CheckpointVerification,
    Problem,
    Undecodable,
    Verification,
)
from infrastructure.access_log import AccessLogStore
from infrastructure.chain import U64, ChainRow, intact, keyed_mac, verify_aggregate
from infrastructure.checkpoints import Checkpoints
from infrastructure.db import Database
from infrastructure.feed import MISSING_LIMIT, FeedDiagnosis, FeedFindings, FeedRow, FeedSeals
from infrastructure.keys import StoreKeys
from infrastructure.ledger import Tables
from infrastructure.mapper import PersonalDataMapper
from infrastructure.snapshot_seals import SealedSnapshots

_NUMBER = struct.Struct(">Q")


class ChainAuditStore:
    def __init__(
        self,
        db: Database,
        tables: Tables,
        mapper: PersonalDataMapper,
        keys: StoreKeys,
        signing_key: str,
        position_column: str,
        access_log: AccessLogStore,
    ) -> None:
        self.db = db
        self.tables = tables
        self.mapper = mapper
        self.public_mapper = mapper.public()
        self.keys = keys
        self.position = position_column
        self.seals = FeedSeals(keys.feed)
        self.snapshots = SealedSnapshots(db, tables, keys.snapshots)
        self.access_log = access_log
        self.checkpoints = Checkpoints(db, tables, position_column, signing_key, access_log)

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
        """Recomputes every chain and checks every feed seal in one streaming scan; reads
        the feed again, in position order, only when that found something to explain."""
        p = self.position
        sql = (
            f"SELECT originator_id, originator_version, topic, state, hash, {p}, "  # noqa: S608
            f"feed_seal, feed_previous FROM {self.tables.events}"
        )
        params: tuple[Any, ...] = ()
        if aggregate_id is not None:
            sql += " WHERE originator_id = ?"
            params = (self.db.id_param(aggregate_id),)
        sql += " ORDER BY originator_id, originator_version"
        problems: list[Problem] = []
        unsound: list[FeedRow] = []
        checked = events = 0
        unsound_count = 0
        keyed = keyed_mac(self.keys.chain)
        for current, rows, feed in _grouped(self.db.stream(sql, params, batch=20_000)):
            checked += 1
            events += len(rows)
            unsound_count += _unsound_seals(self.seals.keyed, current, feed, unsound)
            if intact(keyed, current, rows):
                continue
            problems.extend(
                verify_aggregate(
                    self.keys.chain,
                    current,
                    [ChainRow(version, topic, state, digest) for version, topic, state, digest in rows],
                )
            )
        last, count = self._head(count=aggregate_id is None)
        missing: list[int] = []
        if aggregate_id is not None:
            problems.extend(FeedSeals(self.keys.feed).misplaced(unsound))
        elif unsound_count or count != last:
            findings = self._diagnose_feed()
            problems.extend(findings.problems)
            missing = findings.missing
        snapshots, snapshot_problems = self._verify_snapshots(aggregate_id)
        problems.extend(snapshot_problems)
        return Verification(
            checked=checked,
            events=events,
            failed=_named(problems),
            problems=problems,
            last_position=last,
            missing_positions=missing,
            snapshots=snapshots,
            access_log=self.access_log.verify() if aggregate_id is None else None,
        )

    def _head(self, *, count: bool) -> tuple[int, int]:
        """The last position and (when asked) how many events there are: the feed is
        gap-free, so the two differ only when positions are missing."""
        t, p = self.tables.events, self.position
        counted = "COUNT(*)" if count else "0"
        with self.db.reading() as tx:
            row = tx.fetchone(f"SELECT COALESCE(MAX({p}), 0), {counted} FROM {t}")  # noqa: S608
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def _diagnose_feed(self) -> FeedFindings:
        p = self.position
        sql = (
            f"SELECT {p}, originator_id, originator_version, hash, feed_seal, feed_previous "  # noqa: S608
            f"FROM {self.tables.events} ORDER BY {p}"
        )
        rows = (
            FeedRow(int(r[0]), _uuid(r[1]), _version(r[2]), _bytes(r[3]), _bytes(r[4]), _bytes(r[5]))
            for r in self.db.stream(sql, batch=20_000)
        )
        return FeedDiagnosis(FeedSeals(self.keys.feed), self.position_of).run(rows)

    def position_of(self, aggregate_id: UUID, version: int) -> int | None:
        """Where an event stands in the feed now, or None when it is nowhere."""
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT {self.position} FROM {self.tables.events} "  # noqa: S608
                "WHERE originator_id = ? AND originator_version = ?",
                (self.db.id_param(aggregate_id), version),
            )
        return None if row is None else int(row[0])

    def _verify_snapshots(self, aggregate_id: UUID | None) -> tuple[int, list[Problem]]:
        """Every snapshot's seal: one that is not sound is ignored by loads, and named."""
        count = 0
        problems: list[Problem] = []
        for row in self.snapshots.scan(aggregate_id):
            count += 1
            if row.is_sound(self.keys.snapshots):
                continue
            if row.seal is None:
                detail = "unsealed: ignored by loads, which replay the events"
            elif row.chain_link is None:
                detail = "its version names no event: ignored by loads"
            else:
                detail = "does not match its seal: ignored by loads, which replay the events"
            problems.append(Problem(row.originator_id, row.version, "snapshot", detail))
        return count, problems

    # Checkpoints -------------------------------------------------------------------------

    def checkpoint(self) -> dict[str, Any]:
        return self.checkpoints.make()

    def verify_checkpoint(self, statement: Mapping[str, Any]) -> CheckpointVerification:
        return self.checkpoints.verify(statement, self.verify())

FeedTuple = tuple[int, int, bytes, bytes, bytes]


def _grouped(
    rows: Iterator[tuple[Any, ...]],
) -> Iterator[tuple[UUID, list[tuple[int, str, bytes, bytes]], list[FeedTuple]]]:
    """Rows ordered by aggregate, as (version, topic, state, hash) groups per aggregate,
    with each event's (position, version, hash, feed seal, feed previous)."""
    current: Any = None
    group: list[tuple[int, str, bytes, bytes]] = []
    feed: list[FeedTuple] = []
    for originator_id, version, topic, state, digest, position, seal, previous in rows:
        if originator_id != current:
            if group:
                yield _uuid(current), group, feed
                group = []
                feed = []
            current = originator_id
        number = _version(version)
        link = _bytes(digest)
        group.append((number, str(topic), _bytes(state), link))
        feed.append((_version(position), number, link, _bytes(seal), _bytes(previous)))
    if group:
        yield _uuid(current), group, feed


def _unsound_seals(
    sealer: Any, current: UUID, feed: list[FeedTuple], unsound: list[FeedRow]
) -> int:
    """How many of one aggregate's events do not carry their feed seal (``feed_seal()``,
    inlined: two HMACs per event are most of verification's work); the first ones are
    kept in ``unsound`` to be explained."""
    identity = current.bytes
    number = _NUMBER.pack
    compare = hmac.compare_digest
    count = 0
    for position, version, digest, seal, previous in feed:
        mac = sealer.copy()
        mac.update(number(position & U64) + identity + number(version & U64) + digest + previous)
        if not compare(mac.digest(), seal):
            count += 1
            if len(unsound) < MISSING_LIMIT:
                unsound.append(FeedRow(position, current, version, digest, seal, previous))
    return count


def _named(problems: list[Problem]) -> list[UUID]:
    """The aggregates the problems concern, each once, in the order found."""
    return list(dict.fromkeys(p.aggregate_id for p in problems if p.aggregate_id is not None))


def _bytes(value: Any) -> bytes:
    if type(value) is bytes:
        return value
    return _as_bytes(value)


def _as_bytes(value: Any) -> bytes:
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
