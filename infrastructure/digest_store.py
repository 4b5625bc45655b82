"""The digest ledger: one row per user, day and channel (a unique key in the database, so no
restart, retry or second process can plan or send a digest twice), with its state, attempts
and the lease of the sender working on it. Each change of state is one guarded UPDATE: the
row must still be in the state (and held by the sender) the change expects."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from application.digests import Notification, PlannedDigest
from infrastructure.db import Database

_COLUMNS = (
    "id, user_id, day, channel, username, role, address_hint, overdue, due, state, attempts, "
    "created_at, next_attempt_at, sent_at, last_error"
)


def digest_statements(prefix: str, *, postgres: bool) -> list[str]:
    identity = "BIGSERIAL PRIMARY KEY" if postgres else "INTEGER PRIMARY KEY AUTOINCREMENT"
    return [
        f"CREATE TABLE IF NOT EXISTS {prefix}jejak_digests (id {identity}, "
        "user_id TEXT NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL, "
        "username TEXT NOT NULL, role TEXT NOT NULL, address_hint TEXT NOT NULL, "
        "overdue INTEGER NOT NULL, due INTEGER NOT NULL, state TEXT NOT NULL, "
        "attempts INTEGER NOT NULL, next_attempt_at TEXT, lease_owner TEXT, lease_until TEXT, "
        "created_at TEXT NOT NULL, sent_at TEXT, last_error TEXT, "
        "CONSTRAINT jejak_digests_once UNIQUE (user_id, day, channel))",
        f"CREATE INDEX IF NOT EXISTS jejak_digests_due_idx ON {prefix}jejak_digests "
        "(state, next_attempt_at)",
        f"CREATE INDEX IF NOT EXISTS jejak_digests_day_idx ON {prefix}jejak_digests (day, id)",
        f"CREATE TABLE IF NOT EXISTS {prefix}jejak_digest_days ("
        "day TEXT PRIMARY KEY, planned_at TEXT NOT NULL)",
    ]


def _at(value: datetime) -> str:
    """Times in one form (UTC, microseconds), so that text comparisons order them."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


class DigestStore:
    def __init__(self, db: Database, prefix: str) -> None:
        self.db = db
        self.table = f"{prefix}jejak_digests"
        self.days = f"{prefix}jejak_digest_days"
        self.prefix = prefix

    schema_name = "digests"

    def privileges(self) -> dict[str, str]:
        """A digest's state moves by guarded UPDATEs; nothing is deleted."""
        return {self.table: "SELECT, INSERT, UPDATE", self.days: "SELECT, INSERT, UPDATE"}

    def set_up(self) -> None:
        with self.db.transaction() as tx:
            for statement in digest_statements(
                self.prefix, postgres=self.db.dialect == "postgresql"
            ):
                tx.execute(statement)

    def last_planned(self, day: date) -> datetime | None:
        with self.db.reading() as tx:
            found = tx.fetchone(
                f"SELECT planned_at FROM {self.days} WHERE day = ?",  # noqa: S608
                (day.isoformat(),),
            )
        return None if found is None else _time(found[0])

    def mark_planned(self, day: date, at: datetime) -> None:
        with self.db.transaction() as tx:
            tx.execute(
                f"INSERT INTO {self.days} (day, planned_at) VALUES (?, ?) "  # noqa: S608
                "ON CONFLICT (day) DO UPDATE SET planned_at = excluded.planned_at",
                (day.isoformat(), _at(at)),
            )

    def plan(self, digest: PlannedDigest, at: datetime) -> bool:
        with self.db.transaction() as tx:
            added = tx.execute(
                f"INSERT INTO {self.table} (user_id, day, channel, username, role, address_hint, "  # noqa: S608
                "overdue, due, state, attempts, next_attempt_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) "
                "ON CONFLICT (user_id, day, channel) DO NOTHING",
                (
                    digest.user_id,
                    digest.day.isoformat(),
                    digest.channel,
                    digest.username,
                    digest.role,
                    digest.address_hint,
                    digest.overdue,
                    digest.due,
                    _at(at),
                    _at(at),
                ),
            )
        return added == 1

    def release_expired(self, now: datetime) -> None:
        with self.db.transaction() as tx:
            tx.execute(
                f"UPDATE {self.table} SET state = 'pending', lease_owner = NULL, "  # noqa: S608
                "lease_until = NULL WHERE state = 'claimed' AND lease_until < ?",
                (_at(now),),
            )
            tx.execute(
                f"UPDATE {self.table} SET state = 'in_doubt', lease_owner = NULL, "  # noqa: S608
                "lease_until = NULL, last_error = 'sender stopped while sending' "
                "WHERE state = 'sending' AND lease_until < ?",
                (_at(now),),
            )

    def due(self, now: datetime, limit: int) -> list[Notification]:
        with self.db.reading() as tx:
            rows = tx.fetchall(
                f"SELECT {_COLUMNS} FROM {self.table} WHERE state = 'pending' "  # noqa: S608
                "AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
                (_at(now), limit),
            )
        return [_notification(row) for row in rows]

    def claim(self, entry_id: int, owner: str, until: datetime, now: datetime) -> bool:
        with self.db.transaction() as tx:
            claimed = tx.execute(
                f"UPDATE {self.table} SET state = 'claimed', lease_owner = ?, lease_until = ?, "  # noqa: S608
                "attempts = attempts + 1 WHERE id = ? AND state = 'pending' AND next_attempt_at <= ?",
                (owner, _at(until), entry_id, _at(now)),
            )
        return claimed == 1

    def handover(self, entry_id: int, owner: str) -> bool:
        with self.db.transaction() as tx:
            moved = tx.execute(
                f"UPDATE {self.table} SET state = 'sending' "  # noqa: S608
                "WHERE id = ? AND state = 'claimed' AND lease_owner = ?",
                (entry_id, owner),
            )
        return moved == 1

    def finish(
        self,
        entry_id: int,
        owner: str,
        state: str,
        now: datetime,
        next_attempt_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        sent_at = _at(now) if state == "sent" else None
        with self.db.transaction() as tx:
            tx.execute(
                f"UPDATE {self.table} SET state = ?, lease_owner = NULL, lease_until = NULL, "  # noqa: S608
                "next_attempt_at = ?, sent_at = ?, last_error = ? "
                "WHERE id = ? AND lease_owner = ? AND state IN ('claimed', 'sending')",
                (
                    state,
                    None if next_attempt_at is None else _at(next_attempt_at),
                    sent_at,
                    None if error is None else error[:200],
                    entry_id,
                    owner,
                ),
            )

    def entries(
        self, *, after: int, limit: int, day: date | None, user_id: str | None
    ) -> list[Notification]:
        where = ["id > ?"]
        params: list[Any] = [after]
        if day is not None:
            where.append("day = ?")
            params.append(day.isoformat())
        if user_id is not None:
            where.append("user_id = ?")
            params.append(user_id)
        with self.db.reading() as tx:
            rows = tx.fetchall(
                f"SELECT {_COLUMNS} FROM {self.table} WHERE {' AND '.join(where)} "  # noqa: S608
                "ORDER BY id LIMIT ?",
                [*params, limit],
            )
        return [_notification(row) for row in rows]


def _notification(row: tuple[Any, ...]) -> Notification:
    return Notification(
        id=int(row[0]),
        user_id=str(row[1]),
        day=date.fromisoformat(str(row[2])),
        channel=str(row[3]),
        username=str(row[4]),
        role=str(row[5]),
        address_hint=str(row[6]),
        overdue=int(row[7]),
        due=int(row[8]),
        state=str(row[9]),
        attempts=int(row[10]),
        created_at=datetime.fromisoformat(str(row[11])),
        next_attempt_at=_time(row[12]),
        sent_at=_time(row[13]),
        last_error=None if row[14] is None else str(row[14]),
    )
