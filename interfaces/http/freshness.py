"""Read-your-writes for reports: ``?min_position=`` waits, briefly, until the report's read
model has applied the write at that position.

The wait used to sleep in a request thread, re-reading the position every 20 ms: forty
reports asking for a position that would never come (beyond the store's newest event) held
forty threads for 2 s each, and every other request queued behind them. Now a position
beyond the newest event is refused at once (422), each user may have only a few waits
open at a time (429 beyond), and a wait holds no thread at all: waiting requests are
coroutines on an event, and one watcher per process, in a thread of its own, moves the
read models on (or nudges the projection runner) and wakes them when positions move."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, Query, Request

from application.readmodels import ReadModels
from application.reports import REPORT_ROLES
from interfaces.http.deps import PrincipalDep
from interfaces.http.errors import ApiError
from interfaces.http.schemas.common import MAX_POSITION

logger = logging.getLogger("jejak.http")

#: How long a report waits for its read model to reach ``min_position``.
MAX_WAIT_SECONDS = 2.0
#: Waits one user may have open at once.
MAX_WAITS_PER_USER = 4
#: How long the watcher lets the read models move before it reports their positions.
STEP_SECONDS = 0.1

MinPosition = Annotated[
    int | None,
    Query(
        ge=0,
        le=MAX_POSITION,
        description="Wait (at most 2 s) until the report includes the write at this position.",
    ),
]


class ReadYourWrites:
    def __init__(self, read_models: ReadModels, head: Callable[[], int]) -> None:
        self._read_models = read_models
        self._head = head
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jejak-fresh")
        #: The highest position each projection is known to have reached (it only grows).
        self._reached: dict[str, int] = {}
        #: Positions awaited, per projection (one entry per waiting request).
        self._awaited: dict[str, Counter[int]] = {}
        self._per_user: Counter[str] = Counter()
        self._moved: asyncio.Event | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def wait(self, projection: str, position: int, user: str) -> None:
        """Returns once ``projection`` has reached ``position``, or after MAX_WAIT_SECONDS
        (the report then says how far it is current)."""
        if self._reached.get(projection, -1) >= position:
            return
        if self._per_user[user] >= MAX_WAITS_PER_USER:
            raise ApiError(
                429,
                "too_many_waits",
                "You already have {limit} reports waiting for their read models; "
                "try again in a moment.",
                {"limit": MAX_WAITS_PER_USER},
                headers={"Retry-After": "1"},
            )
        self._per_user[user] += 1
        try:
            head = await anyio.to_thread.run_sync(self._head)
            if position > head:
                raise ApiError(
                    422,
                    "position_ahead",
                    "min_position {min_position} is beyond the newest event ({head}): "
                    "pass the position a write answered.",
                    {"min_position": position, "head": head},
                )
            await self._until_reached(projection, position)
        finally:
            self._per_user[user] -= 1
            if not self._per_user[user]:
                del self._per_user[user]

    async def _until_reached(self, projection: str, position: int) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MAX_WAIT_SECONDS
        awaited = self._awaited.setdefault(projection, Counter())
        awaited[position] += 1
        try:
            while self._reached.get(projection, -1) < position:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return
                moved = self._start_watching()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(moved.wait(), remaining)
        finally:
            awaited[position] -= 1
            if not awaited[position]:
                del awaited[position]
            if not awaited:
                self._awaited.pop(projection, None)

    def _start_watching(self) -> asyncio.Event:
        """The event set when positions next move; the watcher starts if it is not running
        (in this event loop: a server has one, a test client may start a new one)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._moved, self._watcher = loop, None, None
        if self._moved is None:
            self._moved = asyncio.Event()
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.create_task(self._watch())
        return self._moved

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while self._awaited:
            targets = {name: max(positions) for name, positions in self._awaited.items()}
            try:
                reached = await loop.run_in_executor(self._executor, self._step, targets)
            except Exception as error:  # the store is down: the waits time out, reports 503
                logger.warning(
                    "read model watch failed", extra={"error_type": type(error).__name__}
                )
                await asyncio.sleep(STEP_SECONDS)
                continue
            for name, value in reached.items():
                self._reached[name] = max(value, self._reached.get(name, -1))
            moved, self._moved = self._moved, asyncio.Event()
            if moved is not None:
                moved.set()

    def _step(self, targets: Mapping[str, int]) -> dict[str, int]:
        """In the watcher's thread: lets each awaited read model move for a moment (catching
        it up itself when no runner does, nudging the runner otherwise), then reads where
        each stands."""
        reached = {}
        for name, target in targets.items():
            self._read_models.wait_for(name, target, STEP_SECONDS / len(targets))
            reached[name] = self._read_models.position(name)
        return reached

    def open_waits(self) -> int:
        """Reports waiting now, all users together."""
        return sum(self._per_user.values())

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def fresh(projection: str) -> Any:
    """A route dependency: ``?min_position=`` on a report read from ``projection``."""

    async def wait_for_position(
        request: Request, principal: PrincipalDep, min_position: MinPosition = None
    ) -> None:
        if min_position is None:
            return
        principal.require_role(REPORT_ROLES, "read reports")
        waits: ReadYourWrites = request.app.state.read_your_writes
        await waits.wait(projection, min_position, str(principal.user_id))

    return Depends(wait_for_position)
