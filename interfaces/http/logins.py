"""Password checks, bounded and kept apart from every other request.

An Argon2 check takes a fraction of a second of every core and 64 MiB. Run in the request
thread pool, 45 parallel wrong logins held its threads, the CPU and 2.5 GiB while
officers' reads waited 24 s behind them. So logins run in a pool of their own with one
thread per slot (about one per core), a slot is taken before a login is handed to it, and
a login that finds every slot taken is refused at once (503, Retry-After) instead of
queueing: the request thread pool never runs a password check, and a flood costs at most
``slots`` checks at a time, at a lower CPU priority than everything else."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Annotated

from fastapi import Depends, Request

from application.app import JejakApplication
from application.errors import LoginsBusy
from application.principal import Principal

#: Password checks run this much nicer than the rest of the process (Linux, where nice is
#: per thread and the threads Argon2 starts for its lanes inherit it): an Argon2 check with
#: its four lanes keeps every core of a small machine busy, and signed-in requests must get
#: the CPU first, not only a free thread.
LOGIN_NICENESS = 10


def _lower_priority() -> None:
    if sys.platform == "linux":
        thread = threading.get_native_id()
        with contextlib.suppress(OSError):
            current = os.getpriority(os.PRIO_PROCESS, thread)
            os.setpriority(os.PRIO_PROCESS, thread, min(19, current + LOGIN_NICENESS))


def default_slots() -> int:
    """One password check per core."""
    return max(1, os.cpu_count() or 1)


class PasswordChecks:
    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._free = threading.BoundedSemaphore(slots)
        self._executor = ThreadPoolExecutor(
            max_workers=slots, thread_name_prefix="jejak-login", initializer=_lower_priority
        )

    async def authenticate(
        self, app: JejakApplication, username: str, password: str, client: str, route: str
    ) -> Principal:
        """The application's ``authenticate`` (throttled, access-logged) in a free slot;
        ``LoginsBusy`` when there is none."""
        if not self._free.acquire(blocking=False):
            raise LoginsBusy()
        try:
            future: Future[Principal] = self._executor.submit(
                app.authenticate, username, password, client, route
            )
        except RuntimeError:  # shutting down
            self._free.release()
            raise LoginsBusy() from None
        # The slot is given back when the check ends, not when its caller stops waiting
        # (a client that hangs up must not let another check start beside its own).
        future.add_done_callback(lambda _: self._free.release())
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def password_checks(request: Request) -> PasswordChecks:
    checks: PasswordChecks = request.app.state.password_checks
    return checks


PasswordChecksDep = Annotated[PasswordChecks, Depends(password_checks)]
