"""``jejak backup PATH`` and ``jejak restore PATH``: the store in one file and its signed
manifest beside it, and back into an empty database (``infrastructure/backup.py``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from infrastructure.backup import BackupInfo, BackupRefused, backup, restore
from infrastructure.settings import Settings

KEYS_REMINDER = (
    "the keys are not in the backup: keep JEJAK_MASTER_KEY and JEJAK_SIGNING_KEY (or the "
    "development key file) apart from it; without them it cannot be read or verified\n"
)


def add_commands(commands: Any) -> None:
    taken = commands.add_parser(
        "backup", help="the whole store in one file, online, with a signed manifest beside it"
    )
    taken.add_argument("path", type=Path, help="the backup file to write")
    restored = commands.add_parser(
        "restore", help="a backup into an empty database (then run `jejak audit verify`)"
    )
    restored.add_argument("path", type=Path, help="a file written by `jejak backup`")


def backup_command(settings: Settings, args: argparse.Namespace) -> int:
    """Exit status 0 with the backup written, 2 when it could not be (nothing is left)."""
    info = _carried_out(backup, settings, args.path)
    if info is None:
        return 2
    sys.stdout.write(
        f"backed up the {info.backend} store to {info.path}: {info.size} bytes, "
        f"{info.events} events up to position {info.position}\n"
        f"signed manifest: {info.manifest} (sha256 {info.sha256})\n"
    )
    sys.stderr.write(KEYS_REMINDER)
    return 0


def restore_command(settings: Settings, args: argparse.Namespace) -> int:
    """Exit status 0 with the store restored, 2 when the backup or the target is refused."""
    info = _carried_out(restore, settings, args.path)
    if info is None:
        return 2
    grant = (
        ", then `jejak db init` to grant the service's role" if settings.owner_database_url else ""
    )
    sys.stdout.write(
        f"restored {info.events} events up to position {info.position} from {info.path} "
        f"(sha256 {info.sha256}, as its signed manifest says)\n"
        f"next: jejak audit verify --checkpoint <a checkpoint taken before the backup>{grant}\n"
    )
    return 0


def _carried_out(
    action: Callable[[str, Path, str], BackupInfo], settings: Settings, path: Path
) -> BackupInfo | None:
    """The backup or restore done as the schema's owner, or None with the refusal written."""
    keyed = settings.with_keys()
    assert keyed.signing_key is not None
    try:
        return action(settings.as_owner().database_url, path, keyed.signing_key)
    except BackupRefused as error:
        sys.stderr.write(f"error: {error}\n")
        return None
