"""The ``jejak`` command line."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import signal
import sys
import threading
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from uuid import UUID

from pydantic import ValidationError

from application.principal import SYSTEM_PRINCIPAL
from application.users import CreateUser
from application.writes import WriteOptions
from domain.errors import DomainError
from domain.events import Role
from infrastructure.bootstrap import build_runtime
from infrastructure.settings import InsecureSettings, Settings
from interfaces import cli_import
from interfaces.http.routes.audit import export_line
from interfaces.logs import configure_logging

FIRST_ADMIN_HINT = (
    "No admin exists yet. Create the first one with:\n"
    "  printf '%s' 'a long passphrase' | .venv/bin/jejak users create admin --role admin\n"
)

UNREADABLE_KEYS = (
    "error: {count} personal-data keys are wrapped by a master key that is neither "
    "JEJAK_MASTER_KEY nor JEJAK_PREVIOUS_MASTER_KEY, so those people could not be read. "
    "Set the master key they were made with (as JEJAK_PREVIOUS_MASTER_KEY while rotating, "
    "then run `jejak keys rotate`).\n"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; settings that would put personal data at risk stop it with a
    message (exit status 2), never a traceback."""
    try:
        return _main(argv)
    except (InsecureSettings, ValidationError) as error:
        sys.stderr.write(f"error: refusing to start: {error}\n")
        return 2


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jejak", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web interface (/) and the HTTP API (/v1)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)

    users = commands.add_parser("users", help="manage users")
    users_commands = users.add_subparsers(dest="users_command", required=True)
    create = users_commands.add_parser("create", help="create a user (password on stdin)")
    create.add_argument("username")
    create.add_argument(
        "--role", required=True, choices=[r.value for r in Role if r is not Role.SYSTEM]
    )
    create.add_argument("--region", action="append", default=[], dest="regions")

    projections = commands.add_parser("projections", help="read models: status, rebuild, run")
    projection_commands = projections.add_subparsers(dest="projections_command", required=True)
    projection_commands.add_parser("status", help="position and lag of each projection")
    rebuild = projection_commands.add_parser("rebuild", help="rebuild from zero, then switch")
    rebuild.add_argument("name", nargs="?", help="one projection (default: all)")
    projection_commands.add_parser("run", help="run the projections as their own process")

    audit = commands.add_parser("audit", help="verify, export and checkpoint the event store")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_commands.add_parser("verify", help="recompute every hash chain")
    verify.add_argument("--aggregate", type=UUID, default=None)
    verify.add_argument("--checkpoint", type=Path, default=None, help="a checkpoint file to check")
    export = audit_commands.add_parser("export", help="the feed as NDJSON on standard output")
    export.add_argument("--after", type=int, default=0)
    checkpoint = audit_commands.add_parser("checkpoint", help="write a signed checkpoint")
    checkpoint.add_argument("--output", type=Path, default=None)

    keys = commands.add_parser("keys", help="data keys")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True)
    keys_commands.add_parser(
        "rotate",
        help="re-wrap every data key with JEJAK_MASTER_KEY (old key in JEJAK_PREVIOUS_MASTER_KEY)",
    )

    demo = commands.add_parser(
        "demo-data", help="load a realistic synthetic programme (never in production)"
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same programme")
    demo.add_argument("--workers", type=_positive, default=2000, help="how many workers")
    demo.add_argument(
        "--reference-date",
        type=date.fromisoformat,
        default=None,
        help="the 'today' of the programme (YYYY-MM-DD; default: today)",
    )

    cli_import.add_commands(commands)

    args = parser.parse_args(argv)
    settings = Settings()
    if args.command == "import":
        return cli_import.import_command(settings, args)
    if args.command == "duplicates":
        return cli_import.duplicates_command(settings)
    if args.command == "serve":
        return serve_command(settings, args.host, args.port)
    if args.command == "users" and args.users_command == "create":
        return create_user_command(settings, args.username, args.role, args.regions)
    if args.command == "keys":
        runtime = build_runtime(settings)
        try:
            count = runtime.app.rotate_keys(SYSTEM_PRINCIPAL)
        finally:
            runtime.close()
        print(f"re-wrapped {count} data keys with the current master key")
        return 0
    if args.command == "audit":
        return audit_command(settings, args)
    if args.command == "projections":
        return projections_command(settings, args.projections_command, getattr(args, "name", None))
    if args.command == "demo-data":
        return demo_data_command(settings, args.seed, args.workers, args.reference_date)
    parser.error("unknown command")  # exits
    raise AssertionError


def serve_command(settings: Settings, host: str | None, port: int | None) -> int:
    import uvicorn

    from interfaces.http.app import create_app

    configure_logging(settings.log_level)
    runtime = build_runtime(settings)
    try:
        unreadable = runtime.app.personal_data.unreadable_keys()
        if unreadable:
            sys.stderr.write(UNREADABLE_KEYS.format(count=unreadable))
            return 1
        if not runtime.app.has_admin():
            sys.stderr.write(FIRST_ADMIN_HINT)
    finally:
        runtime.close()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        access_log=False,
        log_config=None,
    )
    return 0


def create_user_command(settings: Settings, username: str, role: str, regions: list[str]) -> int:
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Repeat password: "):
            sys.stderr.write("The passwords differ.\n")
            return 1
    else:
        password = sys.stdin.read().rstrip("\r\n")
    runtime = build_runtime(settings)
    try:
        result = runtime.app.create_user(
            SYSTEM_PRINCIPAL,
            CreateUser(
                username=username, password=password, role=Role(role), regions=tuple(regions)
            ),
            WriteOptions(),
        )
    except DomainError as error:
        sys.stderr.write(f"error: {error.message}\n")
        return 1
    finally:
        runtime.close()
    sys.stdout.write(f"created {role} {username.strip().lower()} ({result.id})\n")
    return 0


def projections_command(settings: Settings, command: str, name: str | None) -> int:
    configure_logging(settings.log_level)
    runtime = build_runtime(settings)
    try:
        if command == "status":
            for status in runtime.read_models.status():
                rebuilding = (
                    "" if status.rebuilding is None else f"  rebuilding at {status.rebuilding}"
                )
                print(
                    f"{status.name:<24} generation {status.generation:<3} position {status.position:<10} "
                    f"head {status.head:<10} lag {status.lag_events} events / "
                    f"{status.lag_seconds:.1f} s{rebuilding}"
                )
            return 0
        if command == "rebuild":
            names = [name] if name else list(runtime.projections.projections)
            unknown = [n for n in names if n not in runtime.projections.projections]
            if unknown:
                sys.stderr.write(f"unknown projection: {', '.join(unknown)}\n")
                return 2
            started = time.monotonic()

            def show(position: int, head: int) -> None:
                sys.stderr.write(f"\rrebuilding {len(names)} projection(s): {position}/{head}")

            generations = runtime.projections.rebuild_all(names, progress=show)
            elapsed = time.monotonic() - started
            sys.stderr.write("\n")
            for generation in generations:
                print(
                    f"{generation.name}: rebuilt as generation {generation.generation} up to "
                    f"position {generation.position}"
                )
            print(f"rebuilt {len(generations)} projection(s) in one pass in {elapsed:.1f} s")
            return 0
        runner = runtime.start_projections()
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        stop.wait()
        runner.stop()
        return 0
    finally:
        runtime.close()


def audit_command(settings: Settings, args: argparse.Namespace) -> int:
    """Auditor's tools; exit status 0 when intact, 1 when anything fails verification."""
    runtime = build_runtime(settings)
    app = runtime.app
    try:
        if args.audit_command == "export":
            names: dict[UUID, str] = {}
            out = sys.stdout
            for item in app.export_feed(SYSTEM_PRINCIPAL, args.after):
                out.write(export_line(app, item, names))
            return 0
        if args.audit_command == "checkpoint":
            statement = json.dumps(app.make_checkpoint(SYSTEM_PRINCIPAL), indent=2)
            if args.output:
                args.output.write_text(statement + "\n")
                print(f"checkpoint written to {args.output}")
            else:
                print(statement)
            return 0
        if args.checkpoint is not None:
            against = app.verify_against_checkpoint(
                SYSTEM_PRINCIPAL, json.loads(args.checkpoint.read_text())
            )
            print(json.dumps(dataclasses.asdict(against) | {"intact": against.intact}, indent=2))
            return 0 if against.intact else 1
        result = app.verify_chains(SYSTEM_PRINCIPAL, args.aggregate)
        print(
            json.dumps(
                {
                    "intact": not result.failed and not result.missing_positions,
                    "checked": result.checked,
                    "events": result.events,
                    "failed": [str(item) for item in result.failed],
                    "problems": [
                        {**dataclasses.asdict(p), "aggregate_id": str(p.aggregate_id)}
                        for p in result.problems
                    ],
                    "last_position": result.last_position,
                    "missing_positions": result.missing_positions,
                },
                indent=2,
            )
        )
        return 0 if not result.failed and not result.missing_positions else 1
    finally:
        runtime.close()


def demo_data_command(
    settings: Settings, seed: int, workers: int, reference_date: date | None
) -> int:
    from interfaces import demo

    if settings.env == "production":
        sys.stderr.write("error: demo data is never loaded in production (JEJAK_ENV)\n")
        return 1
    runtime = build_runtime(settings)
    try:
        today = reference_date or runtime.app.services.clock.today()
        if today > runtime.app.services.clock.latest_today():
            sys.stderr.write("error: the reference date cannot be in the future\n")
            return 1
        summary = demo.run(runtime.app, seed=seed, workers=workers, today=today)
    except DomainError as error:
        sys.stderr.write(f"error: {error.message}\n")
        return 1
    finally:
        runtime.close()
    for line in summary.lines():
        sys.stdout.write(line + "\n")
    sys.stdout.write(f"demo users log in with the password {demo.DEMO_PASSWORD!r}\n")
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        msg = "must be at least 1"
        raise argparse.ArgumentTypeError(msg)
    return number


if __name__ == "__main__":
    raise SystemExit(main())
