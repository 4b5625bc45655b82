"""Throttling of failed logins, per username and per client address.

The two keys have different limits. Five failures lock one account for a while: that is what
stops a password being guessed. An address gets many more, because a village office, a
district network or a mobile carrier puts many officers behind one address, and one officer
mistyping a password must not lock out everyone else there; the address limit only stops
one machine sweeping through many usernames.

Kept in process memory: each API process throttles on its own, which bounds guessing to a
small multiple of the limit without a shared store."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

from application.ports import Clock


@dataclass
class LoginThrottle:
    clock: Clock
    max_failures_per_user: int = 5
    max_failures_per_client: int = 50
    window_seconds: float = 300.0
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, username: str, client: str) -> int:
        """Seconds until this username may try again from this client; 0 when it may now."""
        now = self.clock.now().timestamp()
        wait = 0.0
        with self._lock:
            for key, limit in self._limits(username, client):
                recent = self._recent(key, now)
                if len(recent) >= limit:
                    wait = max(wait, recent[-limit] + self.window_seconds - now)
        return int(wait) + (1 if wait > 0 else 0)

    def failed(self, username: str, client: str) -> None:
        now = self.clock.now().timestamp()
        with self._lock:
            for key, _ in self._limits(username, client):
                self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        """A correct password clears the account's count; the address keeps its own."""
        with self._lock:
            self._failures.pop(_user_key(username), None)

    def _limits(self, username: str, client: str) -> tuple[tuple[str, int], ...]:
        return (
            (_user_key(username), self.max_failures_per_user),
            (f"client:{client}", self.max_failures_per_client),
        )

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window_seconds:
            times.popleft()
        return times


def _user_key(username: str) -> str:
    return f"user:{username.strip().lower()}"
