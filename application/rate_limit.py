"""How often one user may do something that reveals what they could not otherwise read: a
sliding window of the last hour's acts per key.

The NIK space is small and structured (district, birth date, sex, a four-digit serial), so an
answer to "is this NIK registered?" repeated at machine speed maps who is registered where.
Each answer is access-logged; the limit keeps a person's pace a person's pace.

``RateLimiter`` is the port the use cases see. ``SlidingWindowLimiter`` keeps the window in
this process's memory, like the login throttle: with several API processes each counts on its
own, which bounds a caller to a small multiple of the limit. A limiter on shared storage (a
table of (key, at) rows, a Redis sorted set: trim what is older than the window, count, add)
fits the same three methods, so moving it later changes only the wiring."""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

from application.ports import Clock


class RateLimiter(Protocol):
    def wait(self, key: str) -> int:
        """Seconds until ``key`` may act again; 0 when it may now. Counts nothing."""
        ...

    def acquire(self, key: str) -> int:
        """Counts one act and answers 0 when ``key`` may act now; otherwise counts nothing
        and answers the seconds to wait. One step, so racing requests cannot both pass the
        last free place."""
        ...

    def record(self, key: str) -> None:
        """Counts one act that has happened already (whatever the limit)."""
        ...


@dataclass
class SlidingWindowLimiter:
    clock: Clock
    limit: int
    window_seconds: float = 3600.0
    _acts: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, key: str) -> int:
        now = self.clock.now().timestamp()
        with self._lock:
            return self._wait(key, now)

    def acquire(self, key: str) -> int:
        now = self.clock.now().timestamp()
        with self._lock:
            wait = self._wait(key, now)
            if wait == 0:
                self._acts.setdefault(key, deque()).append(now)
            return wait

    def record(self, key: str) -> None:
        now = self.clock.now().timestamp()
        with self._lock:
            self._recent(key, now)
            self._acts.setdefault(key, deque()).append(now)

    def _wait(self, key: str, now: float) -> int:
        recent = self._recent(key, now)
        if len(recent) < self.limit:
            return 0
        # The place frees when the act that filled the window leaves it.
        return max(1, math.ceil(recent[-self.limit] + self.window_seconds - now))

    def _recent(self, key: str, now: float) -> deque[float]:
        """The key's acts inside the window; a key with none is forgotten (memory stays
        proportional to the users active in the last hour)."""
        acts = self._acts.get(key)
        if acts is None:
            return deque()
        while acts and acts[0] <= now - self.window_seconds:
            acts.popleft()
        if not acts:
            del self._acts[key]
        return acts
