"""Row 7: ``jejak audit verify`` and ``jejak audit export`` over the whole store, in events per
second, against reading the raw notification log (the recorder's ``select_notifications``
page by page, nothing decoded) in the same run.

Both run the command line's own ``audit_command`` in this process (its output counted, not
kept), so the figures include what the command does besides the work: building the runtime,
logging the export in the access log, formatting the result."""

from __future__ import annotations

import argparse
import contextlib
import time
from typing import Any

from bench.core import Context, Measurement, MemoryReading, median

NUMBERS = (7,)
PAGE = 1000
VERIFY_TARGET = 100_000.0
EXPORT_TARGET = 20_000.0


class _Sink:
    """Standard output that counts what is written and keeps nothing."""

    def __init__(self) -> None:
        self.bytes = 0
        self.lines = 0

    def write(self, text: str) -> int:
        self.bytes += len(text)
        self.lines += text.count("\n")
        return len(text)

    def flush(self) -> None:
        pass


def read_log(ctx: Context) -> tuple[int, float]:
    """The baseline: every notification read in pages of ``PAGE``."""
    runtime = ctx.runtime()
    try:
        recorder = runtime.app.recorder
        started = time.perf_counter()
        count = 0
        position = 0
        while True:
            page = recorder.select_notifications(start=position + 1, limit=PAGE)
            count += len(page)
            if len(page) < PAGE:
                break
            position = page[-1].id
        return count, time.perf_counter() - started
    finally:
        runtime.close()


def cli(ctx: Context, **args: Any) -> tuple[int, _Sink, float]:
    from interfaces.cli import audit_command

    sink = _Sink()
    started = time.perf_counter()
    with contextlib.redirect_stdout(sink):
        status = audit_command(ctx.settings, argparse.Namespace(**args))
    return status, sink, time.perf_counter() - started


def run(ctx: Context) -> list[Measurement | MemoryReading]:
    events, _ = read_log(ctx)
    repeats = 3 if events <= 200_000 else 1
    base = median([read_log(ctx)[1] for _ in range(repeats)])
    base_rate = events / base

    verify_times = []
    for _ in range(repeats):
        status, sink, seconds = cli(ctx, audit_command="verify", checkpoint=None, aggregate=None)
        if status != 0:
            msg = f"audit verify says the store is not intact ({sink.lines} lines)"
            raise RuntimeError(msg)
        verify_times.append(seconds)
    export_times = []
    exported = 0
    for _ in range(repeats):
        status, sink, seconds = cli(ctx, audit_command="export", after=0)
        exported = sink.lines
        export_times.append(seconds)
    if exported != events:
        msg = f"audit export wrote {exported} lines for {events} events"
        raise RuntimeError(msg)

    common: dict[str, Any] = {
        "backend": ctx.backend.name,
        "size": ctx.size_name,
        "journeys": ctx.dataset.journeys,
        "events": events,
        "unit": "events/s",
        "baseline_name": "raw notification log read",
        "baseline": base_rate,
    }
    out: list[Measurement | MemoryReading] = []
    for name, times, target in (
        ("audit verify", verify_times, VERIFY_TARGET),
        ("audit export", export_times, EXPORT_TARGET),
    ):
        seconds = median(times)
        rate = events / seconds
        details: dict[str, Any] = {
            "measured": f"jejak audit {name.split()[1]}'s own code in-process, whole store, "
            f"median of {len(times)}",
            "seconds": round(seconds, 3),
            "baseline": f"recorder.select_notifications in pages of {PAGE}, "
            f"{base:.3f} s for {events:,} events",
        }
        out.append(
            Measurement(
                number=7,
                name=name,
                value=rate,
                target=f"≥ {target:,.0f} events/s",
                ratio=rate / base_rate,
                met=rate >= target,
                cost_us=1e6 / rate,
                details=details,
                **common,
            )
        )
    return out
