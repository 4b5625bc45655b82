"""``jejak import FILE --kind K [--commit] [--on-existing error|skip|update] [--as USERNAME]`` and ``jejak duplicates index``.

An import from the command line runs the same dry run and commit as the API, in this
process, and shows its progress on standard error. Without ``--as`` it imports as the
system (national scope, recorded as ``system``); with it, with that user's role and scope,
so rows outside their villages are errors as they would be over HTTP. Exit status: 0 done,
1 refused or stopped (commit again to resume), 2 a file that cannot be read."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from application.imports.columns import ImportKind
from application.imports.existing import OnExisting
from application.imports.ports import ImportRecord
from application.imports.usecases import StartImport
from application.principal import SYSTEM_PRINCIPAL, Principal
from domain.errors import DomainError
from domain.user import user_id_for
from infrastructure.bootstrap import Runtime, build_runtime
from infrastructure.settings import Settings
from interfaces.importing import import_body, vocabulary_labels
from interfaces.logs import configure_logging

RUNNING = frozenset({"checking", "committing"})
#: Row errors printed; the JSON output has them all.
SHOWN_ERRORS = 20


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "import", help="import workers, journeys, documents or village activities (CSV, XLSX)"
    )
    command.add_argument("file", type=Path)
    command.add_argument("--kind", required=True, choices=[kind.value for kind in ImportKind])
    command.add_argument(
        "--commit", action="store_true", help="record it (default: a dry run, nothing recorded)"
    )
    command.add_argument(
        "--on-existing",
        choices=[mode.value for mode in OnExisting],
        default=OnExisting.ERROR.value,
        help="rows about people already recorded: error (default), skip them, or update "
        "what an officer may change by hand (phone, a missing departure or return)",
    )
    command.add_argument("--as", dest="username", default=None, help="import as this user")
    command.add_argument("--json", action="store_true", help="the whole report as JSON")
    duplicates = commands.add_parser("duplicates", help="the index of possible duplicates")
    duplicate_commands = duplicates.add_subparsers(dest="duplicates_command", required=True)
    duplicate_commands.add_parser("index", help="bring the index up to the newest event")


def import_command(settings: Settings, args: argparse.Namespace) -> int:
    configure_logging(settings.log_level)
    try:
        content = args.file.read_bytes()
    except OSError as error:
        sys.stderr.write(f"error: cannot read {args.file}: {error.strerror}\n")
        return 2
    runtime = build_runtime(settings)
    try:
        principal = _principal(runtime, args.username)
        command = StartImport(
            kind=ImportKind(args.kind),
            content=content,
            dry_run=not args.commit,
            labels=vocabulary_labels(),
            wait_seconds=0,
            on_existing=OnExisting(args.on_existing),
        )
        record = _follow(runtime, principal, runtime.app.start_import(principal, command))
    except DomainError as error:
        sys.stderr.write(f"error: {error.message}\n")
        return 2
    finally:
        runtime.close()
    _report(record, args.json)
    return 0 if record.status in ("planned", "committed") else 1


def duplicates_command(settings: Settings) -> int:
    configure_logging(settings.log_level)
    runtime = build_runtime(settings)
    try:
        runtime.app.catch_up_duplicates(max_batches=10**9)
        position = runtime.app._duplicate_index().position()
    finally:
        runtime.close()
    print(f"the duplicate index is at event {position}")
    return 0


def _principal(runtime: Runtime, username: str | None) -> Principal:
    if username is None:
        return SYSTEM_PRINCIPAL
    return runtime.app.principal_for(user_id_for(username))


def _follow(runtime: Runtime, principal: Principal, record: ImportRecord) -> ImportRecord:
    """Progress on standard error until the import's jobs are done."""
    progress = runtime.app.import_progress(principal, record.id, 0.0)
    while progress.status in RUNNING:
        progress = runtime.app.import_progress(principal, record.id, 1.0)
        verb = "checked" if progress.status == "checking" else progress.phase or "recorded"
        sys.stderr.write(f"\r{verb}: {progress.done_rows:,} rows".ljust(40))
        sys.stderr.flush()
    sys.stderr.write("\n")
    return runtime.app.get_import(principal, record.id)


def _report(record: ImportRecord, as_json: bool) -> None:
    body = import_body(record, indonesian=False)
    if as_json:
        print(json.dumps(body, ensure_ascii=False, indent=2))
        return
    print(
        f"import {body['import_id']} ({body['kind']}, sha256 {body['sha256'][:16]}…): {body['status']}"
    )
    print(
        f"rows {body['rows']}, would record {body['would_record']}, would update "
        f"{body['updated']}, kept {body['kept']} (on existing: {body['on_existing']}), already "
        f"imported {body['already_imported']}, with problems {body['error_rows']}, recorded "
        f"{body['recorded']}"
    )
    for name, count in body["events"].items():
        print(f"  {name}: {count}")
    for error in body["errors"][:SHOWN_ERRORS]:
        print(f"row {error['row']} {error['field']}: {error['message']}")
    if len(body["errors"]) > SHOWN_ERRORS:
        print(f"... {len(body['errors']) - SHOWN_ERRORS} more problems (--json shows them all)")
    if body["possible_duplicates"]:
        print(f"{len(body['possible_duplicates'])} possible duplicates (--json lists them)")
    if "refusal" in body:
        print(f"refused: {body['refusal']['changed']} rows changed since the dry run")
