"""``jejak notify run``: plans today's digests (once a day, whatever the hour) and sends
what is due, then exits; a digest that could not be sent is tried again by the next run
(or by the runner beside the projections) after its wait."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from infrastructure.bootstrap import build_runtime
from infrastructure.digest_runner import DigestRunner
from infrastructure.settings import Settings
from interfaces.logs import configure_logging


def add_parser(commands: Any) -> None:
    notify = commands.add_parser("notify", help="daily digests of overdue items")
    notify_commands = notify.add_subparsers(dest="notify_command", required=True)
    notify_commands.add_parser("run", help="plan today's digests and send what is due, once")


def notify_command(settings: Settings, args: argparse.Namespace) -> int:
    configure_logging(settings.log_level)
    runtime = build_runtime(settings)
    try:
        if not runtime.app.digest_channels:
            sys.stderr.write(
                "no channel configured: set JEJAK_SMTP_URL or JEJAK_NOTIFY_WEBHOOK_URL\n"
            )
            return 2
        report = DigestRunner(runtime.app, hour=settings.notify_hour).run_once(plan_now=True)
    finally:
        runtime.close()
    counts = ", ".join(f"{name} {count}" for name, count in sorted(report.items()))
    sys.stdout.write(f"digests: {counts}\n")
    return 0
