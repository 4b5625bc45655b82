"""Sending the daily digests from a long-running process (beside the projections, by
default) or once from the command line (``jejak notify run``)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

from domain.dates import WIB

logger = logging.getLogger("jejak.digests")


class DigestRunner:
    """From the configured hour (WIB), plans the day's digests (again every ``replan``
    seconds, for those who fell behind or subscribed since) and sends what is due, every
    ``interval`` seconds. Each runner has an owner name of its own, which its claims carry:
    two runners never send one digest."""

    def __init__(
        self, app: Any, *, hour: int, interval: float = 30.0, replan: float = 3600.0
    ) -> None:
        self.app = app
        self.hour = hour
        self.interval = interval
        self.replan = replan
        self.wake = threading.Event()
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.errors = 0

    def run_once(self, *, plan_now: bool = False) -> Counter[str]:
        report: Counter[str] = Counter()
        if plan_now:
            report["planned"] = self.app.plan_digests()
        elif self.app.services.clock.now().astimezone(WIB).hour >= self.hour:
            within = timedelta(seconds=self.replan)
            report["planned"] = self.app.plan_digests(unless_planned_within=within)
        report.update(self.app.deliver_digests(self.owner))
        return report

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="jejak-digests", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """Runs the next round now instead of after the interval."""
        self.wake.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                sent = self.run_once()
                self.errors = 0
                if any(sent.values()):
                    logger.info("digests", extra={"counts": dict(sent)})
            except Exception as error:
                self.errors += 1
                logger.warning("digest run failed", extra={"error_type": type(error).__name__})
            self.wake.wait(min(300.0, self.interval * 2 ** min(self.errors, 4)))
            self.wake.clear()
