"""Hash chains over each aggregate's stored events, and the seal of each event's place in
the global feed.

Each link is an HMAC (keyed by a key derived from the signing key) over the previous link,
the aggregate id, the topic and the stored bytes, which include the actor, times and the
ciphertext of personal data. Someone who can edit the database but does not hold the key
cannot forge a link, and erasure (destroying a person's key) leaves every link valid.

A chain cannot see its own newest events cut off, nor an event moved to another place in
the feed. So each event is also sealed (another derived key) with its position, its link
and the event before it in the feed, which is stored beside the seal (``feed_previous``:
that event's aggregate id and version). A seal is checked on its own row, so verification
needs no second pass over a store that is intact; and when an event is cut out of the
feed, the event after it still names what came before it, so the aggregate that lost it
can be named even when the positions were renumbered to hide the hole."""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.ports import Problem

GENESIS = bytes(32)
#: ``feed_previous`` of the event at position 1: nothing came before it.
FEED_START = b""
_POSITION = struct.Struct(">Q")
#: Numbers as sealed: eight bytes. A position or version altered into something negative or
#: huge is packed all the same (and fails its seal), never an error that stops an audit.
U64 = 0xFFFF_FFFF_FFFF_FFFF


def link(key: bytes, previous: bytes, originator_id: UUID, topic: str, state: bytes) -> bytes:
    mac = hmac.new(key, digestmod=hashlib.sha256)
    mac.update(previous)
    for part in (str(originator_id).encode(), topic.encode(), state):
        mac.update(struct.pack(">Q", len(part)))
        mac.update(part)
    return mac.digest()


def feed_ref(originator_id: UUID, version: int) -> bytes:
    """How an event names the one before it in the feed: its aggregate id and version."""
    return originator_id.bytes + _POSITION.pack(version & U64)


def read_feed_ref(ref: bytes) -> tuple[UUID, int] | None:
    """The (aggregate id, version) a stored ``feed_previous`` names; None for the first
    event's (or a value altered into something else)."""
    if len(ref) != 24:
        return None
    return UUID(bytes=ref[:16]), _POSITION.unpack(ref[16:])[0]


def feed_seal(
    keyed: Any, position: int, originator_id: UUID, version: int, digest: bytes, previous: bytes
) -> bytes:
    """The seal of an event's place in the feed (``keyed`` is ``hmac.new(feed_key,
    digestmod=hashlib.sha256)``). Every part but the last has a fixed length, so the parts
    cannot be shifted into one another."""
    mac = keyed.copy()
    mac.update(
        _POSITION.pack(position & U64)
        + originator_id.bytes
        + _POSITION.pack(version & U64)
        + digest
        + previous
    )
    digest_out: bytes = mac.digest()
    return digest_out


def keyed_mac(key: bytes) -> Any:
    """A keyed HMAC-SHA256 to ``copy()`` for each message: OpenSSL's own object where there
    is one, without the ``hmac`` module's Python layer around it (half the cost of a link
    when verification computes two per event)."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    return getattr(mac, "_hmac", None) or mac


feed_keyed = keyed_mac


def intact(keyed: Any, originator_id: UUID, rows: Iterable[tuple[Any, str, bytes, bytes]]) -> bool:
    """Whether (version, topic, state, hash) rows, in version order from 1, form one
    unbroken chain: the fast path of verification (``keyed`` is ``hmac.new(key,
    digestmod=hashlib.sha256)`` or ``keyed_mac(key)``, copied for each link rather than keyed
    afresh)."""
    identity = str(originator_id).encode()
    head = struct.pack(">Q", len(identity)) + identity
    previous = GENESIS
    expected = 1
    pack = struct.pack
    compare = hmac.compare_digest
    for version, topic, state, digest in rows:
        if version != expected:
            return False
        expected += 1
        mac = keyed.copy()
        encoded = topic.encode()
        mac.update(previous + head + pack(">Q", len(encoded)) + encoded)
        mac.update(pack(">Q", len(state)))
        mac.update(state)
        if not compare(mac.digest(), digest):
            return False
        previous = digest
    return True


@dataclass(frozen=True)
class ChainRow:
    version: int
    topic: str
    state: bytes
    hash: bytes


def verify_aggregate(key: bytes, aggregate_id: UUID, rows: Sequence[ChainRow]) -> list[Problem]:
    """Recomputes one aggregate's chain and says what is wrong and how.

    changed: an event's content (or its link) no longer matches; removed: versions are
    missing; reordered: an event links after another event than the one before it;
    inserted: an event nothing links to, sitting between two events that link to each other.
    Events cut off at the end are invisible to a chain: checkpoints find those."""

    def links_after(i: int, previous: bytes) -> bool:
        row = rows[i]
        return hmac.compare_digest(
            link(key, previous, aggregate_id, row.topic, row.state), row.hash
        )

    problems: list[Problem] = []
    count = len(rows)
    predecessor: list[int | None] = []
    for i in range(count):
        if links_after(i, GENESIS if i == 0 else rows[i - 1].hash):
            predecessor.append(i - 1)
            continue
        found: int | None = -1 if i > 0 and links_after(i, GENESIS) else None
        if found is None:
            found = next(
                (j for j in range(count) if j not in (i, i - 1) and links_after(i, rows[j].hash)),
                None,
            )
        predecessor.append(found)

    expected = 1
    gap_before: set[int] = set()
    for i, row in enumerate(rows):
        if row.version > expected:
            missing = list(range(expected, row.version))
            problems.append(
                Problem(
                    aggregate_id,
                    missing[0],
                    "removed",
                    f"versions {missing[0]}-{missing[-1]} are missing",
                )
            )
            gap_before.add(i)
        expected = row.version + 1

    for i, row in enumerate(rows):
        found = predecessor[i]
        if found == i - 1:
            continue
        if found is None:
            if i + 1 < count and predecessor[i + 1] == i - 1:
                problems.append(
                    Problem(aggregate_id, row.version, "inserted", "no event links to it")
                )
            elif i in gap_before:
                continue
            else:
                problems.append(
                    Problem(aggregate_id, row.version, "changed", "content does not match its hash")
                )
        elif found == i - 2 and i >= 1 and predecessor[i - 1] is None:
            continue  # the event before it was inserted, already reported
        else:
            problems.append(
                Problem(aggregate_id, row.version, "reordered", "links after another event")
            )
    return problems
