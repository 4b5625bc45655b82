"""Throttling of logins: per account and address together, per account, and per address.

Every attempt is counted before its password is checked (and given back when it succeeds):
counting only failures, after the slow hash, let any number of parallel attempts through.

Three keys, three jobs:

- **(account, address)** stops one machine guessing one password: a few failures are free
  (typos), then each further one waits longer (30 s, 1, 2, 4, 8 min, at most 15 min). It
  locks only that pair: someone guessing ``petugas.ternyang`` from elsewhere does not lock
  the officer out of her own office.
- **account** is a far higher ceiling against guessing one password from many addresses.
  Addresses the account has logged in from before are exempt, so a distributed attack on a
  predictable username still does not lock its owner out.
- **address** stops one machine sweeping through many usernames; it is high, because a
  village office, a district network or a mobile carrier puts many officers behind one.

Kept in process memory: each API process throttles on its own, which bounds guessing to a
small multiple of the limits without a shared store, and a restart forgets the counts."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

from application.ports import Clock

HOUR = 3600.0


@dataclass(frozen=True)
class ThrottlePolicy:
    """The numbers (README lists them)."""

    free_failures: int = 5
    first_delay_seconds: float = 30.0
    max_delay_seconds: float = 900.0
    account_ceiling: int = 100
    address_ceiling: int = 300
    window_seconds: float = HOUR
    #: Addresses an account logged in from, remembered this long, at most this many each.
    known_address_seconds: float = 30 * 24 * HOUR
    known_addresses_per_account: int = 8


@dataclass(frozen=True)
class Attempt:
    """A login attempt counted before its password is checked."""

    account: str
    address: str
    at: float


@dataclass
class LoginThrottle:
    clock: Clock
    policy: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    _times: dict[str, deque[float]] = field(default_factory=dict)
    _known: dict[str, dict[str, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _since_sweep: int = 0

    def begin(self, username: str, client: str) -> Attempt | int:
        """Counts an attempt and returns it, or returns the seconds to wait (nothing counted)."""
        now = self.clock.now().timestamp()
        account, address = _account(username), client
        with self._lock:
            wait = max(
                self._pair_wait(account, address, now),
                self._account_wait(account, address, now),
                self._ceiling_wait(f"address:{address}", self.policy.address_ceiling, now),
            )
            if wait > 0:
                return int(wait) + 1
            for key in _keys(account, address):
                self._recent(key, now).append(now)
            self._sweep(now)
        return Attempt(account=account, address=address, at=now)

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: the attempt is given back, the pair's failures are
        forgotten and the address becomes one this account is known to log in from."""
        with self._lock:
            pair, account, address = _keys(attempt.account, attempt.address)
            self._times.pop(pair, None)
            for key in (account, address):
                times = self._times.get(key)
                if times and attempt.at in times:
                    times.remove(attempt.at)
            known = self._known.setdefault(attempt.account, {})
            known[attempt.address] = attempt.at
            while len(known) > self.policy.known_addresses_per_account:
                del known[min(known, key=known.__getitem__)]

    def _pair_wait(self, account: str, address: str, now: float) -> float:
        """Growing delays once the free failures of this account from this address are used."""
        recent = self._recent(_keys(account, address)[0], now)
        beyond = len(recent) - self.policy.free_failures
        if beyond < 0:
            return 0.0
        delay = min(self.policy.max_delay_seconds, self.policy.first_delay_seconds * 2.0**beyond)
        return recent[-1] + delay - now

    def _account_wait(self, account: str, address: str, now: float) -> float:
        seen = self._known.get(account, {}).get(address)
        if seen is not None and now - seen < self.policy.known_address_seconds:
            return 0.0
        return self._ceiling_wait(f"account:{account}", self.policy.account_ceiling, now)

    def _ceiling_wait(self, key: str, limit: int, now: float) -> float:
        recent = self._recent(key, now)
        if len(recent) < limit:
            return 0.0
        return recent[-limit] + self.policy.window_seconds - now

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._times.setdefault(key, deque())
        while times and times[0] <= now - self.policy.window_seconds:
            times.popleft()
        return times

    def _sweep(self, now: float) -> None:
        """Forgets keys with nothing recent, now and then: made-up usernames must not make
        the counts grow for ever."""
        self._since_sweep += 1
        if self._since_sweep < 1024:
            return
        self._since_sweep = 0
        for key in [k for k in self._times if not self._recent(k, now)]:
            del self._times[key]


def _account(username: str) -> str:
    return username.strip().lower()[:64]


def _keys(account: str, address: str) -> tuple[str, str, str]:
    return f"pair:{account}\n{address}", f"account:{account}", f"address:{address}"
