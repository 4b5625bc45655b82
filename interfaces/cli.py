"""The ``jejak`` command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import date

from application.principal import SYSTEM_PRINCIPAL
from application.users import CreateUser
from application.writes import WriteOptions
from domain.errors import DomainError
from domain.events import Role
from infrastructure.bootstrap import build_runtime
from infrastructure.settings import Settings
from interfaces.logs import configure_logging

FIRST_ADMIN_HINT = (
    "No admin exists yet. Create the first one with:\n"
    "  printf '%s' 'a long passphrase' | .venv/bin/jejak users create admin --role admin\n"
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jejak", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP API")
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

    args = parser.parse_args(argv)
    settings = Settings()
    if args.command == "serve":
        return serve_command(settings, args.host, args.port)
    if args.command == "users" and args.users_command == "create":
        return create_user_command(settings, args.username, args.role, args.regions)
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
