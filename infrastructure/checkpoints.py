"""Signed checkpoints: what the store held at one moment, kept outside the database.

Chains and seals show what was changed inside the store; what was cut off at its end (the
newest events, the newest access-log entries, or all of them) leaves nothing behind to
break. A checkpoint (Ed25519, key derived from the signing key) records the last position,
the event count, a digest over every aggregate's head, and (from version 2) the newest
event with its feed seal and the access log's newest entry with its link, so a later
verification names the aggregate whose events were cut off and sees a wiped access log.
Verifying against a checkpoint always verifies the whole store as well: a check of
truncation alone must not answer intact. Version 1 checkpoints still verify (they cannot
name what was cut off)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from application.ports import CheckpointVerification, LogProblem, Problem, Verification
from infrastructure.access_log import AccessLogStore
from infrastructure.crypto import derive_key
from infrastructure.db import Database
from infrastructure.feed import MISSING_LIMIT
from infrastructure.ledger import Tables

FORMAT = 2


class Checkpoints:
    def __init__(
        self,
        db: Database,
        tables: Tables,
        position_column: str,
        signing_key: str,
        access_log: AccessLogStore,
    ) -> None:
        self.db = db
        self.events = tables.events
        self.position = position_column
        self.access_log = access_log
        self._signer = Ed25519PrivateKey.from_private_bytes(
            derive_key(signing_key, "jejak:checkpoints")
        )

    def make(self) -> dict[str, Any]:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT COALESCE(MAX({self.position}), 0), COUNT(*) FROM {self.events}"  # noqa: S608
            )
        position, events = (int(row[0]), int(row[1])) if row else (0, 0)
        digest, aggregates = self._heads_digest(position)
        log_id, log_link = self.access_log.head()
        statement: dict[str, Any] = {
            "jejak_checkpoint": FORMAT,
            "position": position,
            "events": events,
            "aggregates": aggregates,
            "heads_digest": digest,
            "last_event": self._event_at(position),
            "access_log": {"last_id": log_id, "link": log_link.hex()},
            "created_at": datetime.now(UTC).isoformat(),
            "public_key": self._signer.public_key().public_bytes_raw().hex(),
        }
        statement["signature"] = self._signer.sign(_canonical(statement)).hex()
        return statement

    def verify(
        self, statement: Mapping[str, Any], verification: Verification
    ) -> CheckpointVerification:
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
                f"SELECT COUNT(*) FROM {self.events} WHERE {self.position} <= ?",  # noqa: S608
                (position,),
            )
        digest, _ = self._heads_digest(position)
        return CheckpointVerification(
            valid_signature=valid,
            position=position,
            events_expected=int(body.get("events", 0)),
            events_found=int(row[0]) if row else 0,
            missing_positions=missing,
            heads_match=digest == body.get("heads_digest"),
            verification=verification,
            problems=self._last_event_problems(body.get("last_event"), position),
            access_log_problems=self._access_log_problems(body.get("access_log")),
        )

    # What only a checkpoint can see --------------------------------------------------------

    def _event_at(self, position: int) -> dict[str, Any] | None:
        with self.db.reading() as tx:
            row = tx.fetchone(
                f"SELECT originator_id, originator_version, feed_seal FROM {self.events} "  # noqa: S608
                f"WHERE {self.position} = ?",
                (position,),
            )
        if row is None:
            return None
        return {
            "aggregate_id": str(_uuid(row[0])),
            "version": int(row[1]),
            "feed_seal": b"".hex() if row[2] is None else bytes(row[2]).hex(),
        }

    def _last_event_problems(self, recorded: Any, position: int) -> list[Problem]:
        """The checkpoint's newest event must still stand at its position, as it was: when
        it is gone, its aggregate lost its newest events (named here, though its own chain
        looks whole)."""
        if not isinstance(recorded, Mapping):
            return []
        try:
            aggregate_id = UUID(str(recorded["aggregate_id"]))
            version = int(recorded["version"])
        except (KeyError, TypeError, ValueError):
            return [Problem(None, None, "changed", "the checkpoint's newest event is unreadable")]
        now = self._event_at(position)
        if now == dict(recorded):
            return []
        if now is None:
            detail = f"the checkpoint's newest event (position {position}) is gone: cut off"
            kind = "removed"
        elif (now["aggregate_id"], now["version"]) != (str(aggregate_id), version):
            detail = f"another event now stands at position {position}, the checkpoint's newest"
            kind = "moved"
        else:
            detail = f"the event at position {position} no longer carries its feed seal"
            kind = "changed"
        return [Problem(aggregate_id, version, kind, detail, position=position)]

    def _access_log_problems(self, recorded: Any) -> list[LogProblem]:
        if not isinstance(recorded, Mapping):
            return []
        try:
            last_id = int(recorded["last_id"])
            link = str(recorded["link"])
        except (KeyError, TypeError, ValueError):
            return [LogProblem(0, "changed", "the checkpoint's access-log head is unreadable")]
        if last_id == 0:
            return []
        now = self.access_log.link_of(last_id)
        if now is None:
            detail = f"entry {last_id}, the newest when the checkpoint was made, is gone"
            return [LogProblem(last_id, "truncated", detail)]
        if now.hex() != link:
            return [LogProblem(last_id, "changed", "no longer the entry the checkpoint saw")]
        return []

    # Counting ---------------------------------------------------------------------------

    def _feed_holes(self, upto: int) -> tuple[int, list[int]]:
        """Positions missing at or below ``upto`` (the feed is gap-free)."""
        t, p = self.events, self.position
        with self.db.reading() as tx:
            row = tx.fetchone(f"SELECT COUNT(*) FROM {t} WHERE {p} <= ?", (upto,))  # noqa: S608
            count = int(row[0]) if row else 0
            if count == upto:
                return upto, []
            holes = tx.fetchall(
                f"SELECT a.{p} + 1 FROM {t} a WHERE a.{p} + 1 <= ? AND NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {t} b WHERE b.{p} = a.{p} + 1) ORDER BY 1 LIMIT ?",
                (upto, MISSING_LIMIT),
            )
            first_missing = tx.fetchone(f"SELECT 1 FROM {t} WHERE {p} = 1")  # noqa: S608
        starts = ([1] if first_missing is None and upto > 0 else []) + [int(h[0]) for h in holes]
        missing: list[int] = []
        with self.db.reading() as tx:
            for start in starts:
                following = tx.fetchone(
                    f"SELECT MIN({p}) FROM {t} WHERE {p} > ?",  # noqa: S608
                    (start,),
                )
                end = int(following[0]) if following and following[0] is not None else upto + 1
                # At most what is still listed: a forged position can lie far beyond the feed.
                missing.extend(range(start, min(end, upto + 1, start + MISSING_LIMIT)))
                if len(missing) >= MISSING_LIMIT:
                    return upto, missing[:MISSING_LIMIT]
        return upto, missing

    def _heads_digest(self, position: int) -> tuple[str, int]:
        t, p = self.events, self.position
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


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _canonical(statement: Mapping[str, Any]) -> bytes:
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
