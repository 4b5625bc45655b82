"""Hash chains over each aggregate's stored events.

Each link is an HMAC (keyed by a key derived from the signing key) over the previous link,
the aggregate id, the topic and the stored bytes, which include the actor, times and the
ciphertext of personal data. Someone who can edit the database but does not hold the key
cannot forge a link, and erasure (destroying a person's key) leaves every link valid."""

from __future__ import annotations

import hashlib
import hmac
import struct
from uuid import UUID

GENESIS = bytes(32)


def link(key: bytes, previous: bytes, originator_id: UUID, topic: str, state: bytes) -> bytes:
    mac = hmac.new(key, digestmod=hashlib.sha256)
    mac.update(previous)
    for part in (str(originator_id).encode(), topic.encode(), state):
        mac.update(struct.pack(">Q", len(part)))
        mac.update(part)
    return mac.digest()
