"""Throttling of failed logins, per username and per client address.

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
    max_failures: int = 5
    window_seconds: float = 300.0
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, *keys: str) -> int:
        """Seconds until a login for these keys may be tried again; 0 when it may now."""
        now = self.clock.now().timestamp()
        wait = 0.0
        with self._lock:
            for key in keys:
                recent = self._recent(key, now)
                if len(recent) >= self.max_failures:
                    wait = max(wait, recent[0] + self.window_seconds - now)
        return int(wait) + (1 if wait > 0 else 0)

    def failed(self, *keys: str) -> None:
        now = self.clock.now().timestamp()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, username_key: str) -> None:
        with self._lock:
            self._failures.pop(username_key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window_seconds:
            times.popleft()
        return times
