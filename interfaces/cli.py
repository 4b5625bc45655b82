"""The ``jejak`` command line."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID

from pydantic import ValidationError

from application.principal import SYSTEM_PRINCIPAL
from application.users import CreateUser
from application.writes import WriteOptions
from domain.errors import DomainError
from domain.events import Role
from infrastructure.bootstrap import Runtime, build_runtime
from infrastructure.projections.check import LiveModelMissing
from infrastructure.projections.check import check as check_read_model
from infrastructure.schema import SCHEMA_VERSION, SchemaOutdated, grant_runtime
from infrastructure.settings import InsecureSettings, Settings
from interfaces import cli_backup, cli_import, cli_notify
from interfaces.http.i18n import translate
from interfaces.http.routes.audit import (
    checkpoint_verification_view,
    export_line,
    verification_view,
)
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
    except SchemaOutdated as error:
        sys.stderr.write(f"error: {error}\n")
        return 2


def _parser() -> argparse.ArgumentParser:
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
    check = projection_commands.add_parser(
        "check", help="rebuild into shadow tables and name every live row that differs"
    )
    check.add_argument("name", nargs="?", help="one projection (default: all)")

    _store_commands(commands)
    return parser


def _store_commands(commands: Any) -> None:
    """The commands that look after the store itself: audit, db, keys, demo data."""
    audit = commands.add_parser("audit", help="verify, export and checkpoint the event store")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_commands.add_parser("verify", help="recompute every hash chain")
    verify.add_argument("--aggregate", type=UUID, default=None)
    verify.add_argument("--checkpoint", type=Path, default=None, help="a checkpoint file to check")
    export = audit_commands.add_parser("export", help="the feed as NDJSON on standard output")
    export.add_argument("--after", type=int, default=0)
    checkpoint = audit_commands.add_parser("checkpoint", help="write a signed checkpoint")
    checkpoint.add_argument("--output", type=Path, default=None)

    db = commands.add_parser(
        "db", help="create or upgrade the store's schema (as its owner: JEJAK_OWNER_DATABASE_URL)"
    )
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("init", help="create the schema and grant the service's role")
    db_commands.add_parser(
        "upgrade", help="bring the schema to this version, seal what was stored before, grant"
    )

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

    cli_notify.add_parser(commands)
    cli_import.add_commands(commands)
    cli_backup.add_commands(commands)


def _main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings()
    if args.command == "import":
        return cli_import.import_command(settings, args)
    if args.command == "duplicates":
        return cli_import.duplicates_command(settings)
    if args.command == "backup":
        return cli_backup.backup_command(settings, args)
    if args.command == "restore":
        return cli_backup.restore_command(settings, args)
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
    if args.command == "db":
        return db_command(settings, args.db_command)
    if args.command == "projections":
        return projections_command(settings, args.projections_command, getattr(args, "name", None))
    if args.command == "notify":
        return cli_notify.notify_command(settings, args)
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
        # Forwarded headers are honoured by the app, from JEJAK_TRUSTED_PROXIES only:
        # uvicorn's own default trusts anything on the loopback interface.
        proxy_headers=False,
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
        sys.stderr.write(f"error: {refusal(error)}\n")
        return 1
    finally:
        runtime.close()
    sys.stdout.write(f"created {role} {username.strip().lower()} ({result.id})\n")
    return 0


def db_command(settings: Settings, command: str) -> int:
    """Creates or upgrades the schema connected as its owner, then (with two PostgreSQL
    roles) grants the service's role exactly what it needs. Both are idempotent."""
    configure_logging(settings.log_level)
    try:
        runtime_role = two_roles(settings)
    except ValueError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    runtime = build_runtime(settings.as_owner(), upgrade=True)
    try:
        report = runtime.schema_report
        assert report is not None
        if runtime_role is not None:
            grant_runtime(runtime.app, runtime_role, runtime.own_tables)
    finally:
        runtime.close()
    if command == "init" and report.existed:
        print(f"the store was initialised already: schema version {SCHEMA_VERSION} checked")
    else:
        print(f"schema at version {SCHEMA_VERSION}")
    print(
        f"sealed {report.events_sealed} events into the feed, chained "
        f"{report.entries_chained} access-log entries, replaced "
        f"{report.snapshots_replaced} unsealed snapshots, indexed "
        f"{report.journeys_indexed} journeys by worker"
    )
    if runtime_role is not None:
        print(f"granted role {runtime_role} what the service needs, and no more")
    return 0


def two_roles(settings: Settings) -> str | None:
    """The service's role when an owner connects separately (None with one role)."""
    if settings.owner_database_url is None:
        return None
    owner, service = urlsplit(settings.owner_database_url), urlsplit(settings.database_url)
    if service.scheme not in ("postgresql", "postgres"):
        msg = "JEJAK_OWNER_DATABASE_URL is for PostgreSQL; JEJAK_DATABASE_URL is not"
        raise ValueError(msg)
    where = [(u.hostname, u.port or 5432, u.path, parse_qs(u.query).get("schema")) for u in (owner, service)]
    if where[0] != where[1]:
        msg = "JEJAK_OWNER_DATABASE_URL and JEJAK_DATABASE_URL must name the same database and schema"
        raise ValueError(msg)
    role = unquote(service.username or "postgres")
    return None if role == unquote(owner.username or "postgres") else role


def projections_command(settings: Settings, command: str, name: str | None) -> int:
    configure_logging(settings.log_level)
    # Rebuilds and checks create tables: the owner's work in a two-role setup.
    runtime = build_runtime(settings.as_owner() if command in ("rebuild", "check") else settings)
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
        names = [name] if name else list(runtime.projections.projections)
        unknown = [n for n in names if n not in runtime.projections.projections]
        if unknown:
            sys.stderr.write(f"unknown projection: {', '.join(unknown)}\n")
            return 2
        if command == "check":
            return check_command(runtime, names)
        if command == "rebuild":
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


def check_command(runtime: Runtime, names: list[str]) -> int:
    """Exit status 0 when every read model is what the events give, 1 when not."""
    differing = 0
    for name in names:
        try:
            result = check_read_model(runtime.projections, name)
        except LiveModelMissing:
            sys.stderr.write(f"{name}: no live read model to check (is it being rebuilt?)\n")
            return 2
        verdict = "intact" if result.intact else f"{result.differences} rows differ"
        print(
            f"{name}: {result.rows} rows rebuilt at position {result.position}, "
            f"generation {result.generation}: {verdict}"
        )
        for row in result.rows_differing:
            key = ", ".join(f"{k}={v}" for k, v in row.key.items())
            columns = f" ({', '.join(row.live or {})})" if row.kind == "changed" else ""
            print(f"  {row.table} [{key}]: {row.kind}{columns}")
        differing += result.differences
    return 0 if differing == 0 else 1


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
            print(checkpoint_verification_view(against).model_dump_json(indent=2))
            return 0 if against.intact else 1
        result = app.verify_chains(SYSTEM_PRINCIPAL, args.aggregate)
        print(verification_view(result).model_dump_json(indent=2))
        return 0 if result.intact else 1
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
        summary = demo.run(runtime.app, demo.plan_programme(seed, workers, today))
    except DomainError as error:
        sys.stderr.write(f"error: {refusal(error)}\n")
        return 1
    finally:
        runtime.close()
    for line in summary.lines():
        sys.stdout.write(line + "\n")
    sys.stdout.write(f"demo users log in with the password {demo.DEMO_PASSWORD!r}\n")
    return 0


def refusal(error: DomainError) -> str:
    """A refusal in the operator's language: Indonesian when the locale says so
    (``LANG=id_ID.UTF-8``), English otherwise, as the API does with Accept-Language."""
    locale = next(
        (os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)),
        "",
    )
    return translate(error.code, error.message, error.params, locale.lower().startswith("id"))


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        msg = "must be at least 1"
        raise argparse.ArgumentTypeError(msg)
    return number


if __name__ == "__main__":
    raise SystemExit(main())
