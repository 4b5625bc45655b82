"""`jejak backup` and `jejak restore` through the command line, SQLite and PostgreSQL: a backup
taken while the service writes restores into a fresh database that verifies against a signed
checkpoint taken before it, with the checkpoint's events byte for byte; a backup altered since,
one from another deployment, and a restore into a database that holds a store are refused."""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import psycopg
import pytest

from application.principal import SYSTEM_PRINCIPAL
from infrastructure import backup_postgres
from infrastructure.bootstrap import Runtime
from infrastructure.settings import Settings
from interfaces.cli import main
from tests import rawdb
from tests.integration import test_postgres_roles
from tests.integration.test_journeys_app import depart_and_return, open_for, register
from tests.integration.test_postgres_roles import TwoRoles, init
from tests.integration.test_read_model_check import use_settings
from tests.support import fast_runtime

#: The owner and the service's role of a two-role PostgreSQL setup (a fixture).
two_roles = test_postgres_roles.two_roles

EVENT_COLUMNS = "originator_id, originator_version, topic, state, hash, feed_seal, feed_previous"


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database to restore into: a new SQLite file, or a new PostgreSQL database
    whose URL names the schema the store was backed up from, created empty beforehand (as a
    DBA would for its owner; the two-role test restores where it does not exist yet)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored here #1' / 'jejak.sqlite3'}"
        return
    parts = urlsplit(database_url)
    name = f"jejak_restore_{secrets.token_hex(4)}"
    admin = parts._replace(query="").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    fresh = parts._replace(path=f"/{name}").geturl()
    schema = parse_qs(parts.query)["schema"][0]
    with psycopg.connect(urlsplit(fresh)._replace(query="").geturl(), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield fresh
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def casework(runtime: Runtime, people: int) -> list[str]:
    """Workers with journeys, some departed and returned; their ids."""
    ids = []
    for n in range(people):
        worker_id = register(runtime.app)
        journey_id = open_for(runtime.app, worker_id)
        if n % 2:
            depart_and_return(runtime.app, journey_id)
        ids.append(str(worker_id))
    return ids


class Writer(threading.Thread):
    """The service at work: registers workers until told to stop."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(daemon=True)
        self.runtime = runtime
        self.stop = threading.Event()
        self.written = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                open_for(self.runtime.app, register(self.runtime.app))
                self.written += 1
        except BaseException as error:  # reported by the test
            self.error = error


def head(url: str) -> int:
    [(position,)] = rawdb.query(
        url, f"SELECT COALESCE(MAX({rawdb.position_column(url)}), 0) FROM jejak_events"
    )
    return int(position)


def events_upto(url: str, position: int) -> list[tuple[object, ...]]:
    p = rawdb.position_column(url)
    rows = rawdb.query(
        url,
        f"SELECT {p}, {EVENT_COLUMNS} FROM jejak_events WHERE {p} <= %s ORDER BY {p}",
        (position,),
    )
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]


@dataclass
class Scene:
    """The store under test, an empty database to restore into, and the command line."""

    settings: Settings
    url: str
    fresh: str
    workdir: Path
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def jejak(self, *argv: str, url: str, settings: Settings | None = None) -> tuple[int, str, str]:
        """``jejak ARGV`` against the store at ``url``: exit status, stdout, stderr."""
        use_settings(settings or self.settings, self.monkeypatch)
        self.monkeypatch.setenv("JEJAK_DATABASE_URL", url)
        self.capsys.readouterr()
        status = main(list(argv))
        out, err = self.capsys.readouterr()
        return status, out, err

    def record(self, people: int) -> None:
        """Casework on the store (``casework``), by a runtime of its own."""
        runtime = fast_runtime(self.settings)
        try:
            casework(runtime, people)
        finally:
            runtime.close()

    def backed_up(self) -> Path:
        """`jejak backup` of the store, which must succeed."""
        backup = self.workdir / "jejak.backup"
        status, _, err = self.jejak("backup", str(backup), url=self.url)
        assert status == 0, err
        return backup


@pytest.fixture
def scene(
    settings: Settings,
    database_url: str,
    fresh_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Scene:
    return Scene(settings, database_url, fresh_url, tmp_path, monkeypatch, capsys)


def test_a_backup_taken_while_writing_restores_into_a_fresh_database_that_verifies_against_the_checkpoint(
    scene: Scene,
) -> None:
    runtime = fast_runtime(scene.settings)
    writer = Writer(runtime)
    checkpoint = scene.workdir / "checkpoint.json"
    backup = scene.workdir / "backups" / "jejak.backup"
    backup.parent.mkdir()
    try:
        workers = casework(runtime, 6)
        assert (
            scene.jejak("audit", "checkpoint", "--output", str(checkpoint), url=scene.url)[0] == 0
        )
        signed = json.loads(checkpoint.read_text())

        writer.start()
        while writer.written < 3 and writer.error is None:
            writer.stop.wait(0.01)
        for _ in range(10):  # until a write commits while the backup runs (the first, mostly)
            before = head(scene.url)
            status, out, err = scene.jejak("backup", str(backup), url=scene.url)
            after = head(scene.url)
            if status != 0 or after > before:
                break
        writer.stop.set()
        writer.join(timeout=30)
    finally:
        writer.stop.set()
        runtime.close()
    assert writer.error is None, writer.error
    assert status == 0, err
    assert signed["position"] < before < after, "writes went on while the backup ran"
    reported = re.search(r"(\d+) bytes, (\d+) events up to position (\d+)", out)
    assert reported, out
    size, events, position = (int(n) for n in reported.groups())
    assert size == backup.stat().st_size
    assert before <= position <= after, "the backup is the store at one moment of the backup"
    assert backup.stat().st_mode & 0o077 == 0, "a backup is personal data: its owner's only"
    assert not [p.name for p in backup.parent.iterdir() if p.name.endswith(".tmp")]
    for key in (scene.settings.master_key, scene.settings.signing_key):
        assert key
        assert key not in out + err

    status, out, err = scene.jejak("restore", str(backup), url=scene.fresh)
    assert status == 0, err
    assert f"restored {events} events up to position {position}" in out
    assert head(scene.fresh) == position

    status, out, _ = scene.jejak(
        "audit", "verify", "--checkpoint", str(checkpoint), url=scene.fresh
    )
    verdict = json.loads(out)
    assert status == 0, verdict
    assert verdict["intact"], verdict
    assert verdict["heads_match"], verdict
    assert verdict["verification"]["events"] == events
    assert events_upto(scene.fresh, signed["position"]) == events_upto(
        scene.url, signed["position"]
    )
    assert events_upto(scene.fresh, position) == events_upto(scene.url, position)

    restored = fast_runtime(scene.settings.model_copy(update={"database_url": scene.fresh}))
    try:
        worker = restored.app.get_worker(SYSTEM_PRINCIPAL, UUID(workers[0]))
        assert worker.full_name == "Siti Aminah", "the data keys came back with the events"
    finally:
        restored.close()


def test_a_damaged_backup_another_deployments_backup_and_a_store_in_the_way_are_refused(
    scene: Scene,
) -> None:
    scene.record(3)
    backup = scene.backed_up()
    original = backup.read_bytes()

    damaged = bytearray(original)
    damaged[len(damaged) // 2] ^= 0x01
    cases = [
        (scene.url, original, ("is not empty", "a restore writes only into an empty database")),
        (scene.fresh, bytes(damaged), ("is not the file that was backed up", "altered or damaged")),
    ]
    for url, content, messages in cases:
        backup.write_bytes(content)
        status, _, err = scene.jejak("restore", str(backup), url=url)
        assert status == 2
        for message in messages:
            assert message in err
    backup.write_bytes(original)

    other = scene.settings.model_copy(update={"signing_key": secrets.token_urlsafe(48)})
    status, _, err = scene.jejak("restore", str(backup), url=scene.fresh, settings=other)
    assert status == 2
    assert "not signed with this deployment's JEJAK_SIGNING_KEY" in err

    manifest = Path(f"{backup}.manifest.json")
    forged = json.loads(manifest.read_text())
    forged["position"] += 1
    manifest.write_text(json.dumps(forged))
    status, _, err = scene.jejak("restore", str(backup), url=scene.fresh)
    assert status == 2
    assert "not signed" in err
    assert _holds_nothing(scene.fresh), "nothing refused was written"

    manifest.unlink()
    status, _, err = scene.jejak("restore", str(backup), url=scene.fresh)
    assert status == 2
    assert "is missing" in err


def test_a_backup_of_a_store_edited_before_it_restores_and_fails_verification(
    scene: Scene,
) -> None:
    """The manifest vouches for the file, not for the store: what was edited before the backup
    is found by verifying the restored store against a checkpoint taken before the edit."""
    runtime = fast_runtime(scene.settings)
    try:
        casework(runtime, 3)
        checkpoint = scene.workdir / "checkpoint.json"
        checkpoint.write_text(json.dumps(runtime.app.make_checkpoint(SYSTEM_PRINCIPAL)))
    finally:
        runtime.close()
    p = rawdb.position_column(scene.url)
    rawdb.execute(
        scene.url,
        f"UPDATE jejak_events SET topic = topic || ' ' WHERE {p} = 2",
        bypass_triggers=True,
    )
    backup = scene.backed_up()
    status, _, err = scene.jejak("restore", str(backup), url=scene.fresh)
    assert status == 0, err
    status, out, _ = scene.jejak(
        "audit", "verify", "--checkpoint", str(checkpoint), url=scene.fresh
    )
    assert status == 1
    assert json.loads(out)["intact"] is False


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_without_pg_dump_the_backup_says_so_and_writes_nothing(scene: Scene) -> None:
    fast_runtime(scene.settings).close()
    scene.monkeypatch.setattr(backup_postgres, "PG_BIN_GLOB", str(scene.workdir / "nowhere" / "*"))
    scene.monkeypatch.setenv("PATH", str(scene.workdir))
    backup = scene.workdir / "jejak.backup"
    status, _, err = scene.jejak("backup", str(backup), url=scene.url)
    assert status == 2
    assert "pg_dump was found neither on PATH nor in" in err
    assert not [p.name for p in scene.workdir.iterdir() if "backup" in p.name]


def _holds_nothing(url: str) -> bool:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return not path.exists() or not rawdb.query(url, "SELECT name FROM sqlite_master")
    schema = parse_qs(urlsplit(url).query)["schema"][0]
    return not rawdb.query(
        url, "SELECT 1 FROM information_schema.tables WHERE table_schema = %s", (schema,)
    )


@pytest.fixture
def elsewhere(two_roles: TwoRoles) -> Iterator[TwoRoles]:
    """The same two roles on a new database, where the owner may create the schema."""
    parts = urlsplit(two_roles.owner_url)
    owner = parts.username
    name = f"jejak_restore_{secrets.token_hex(4)}"
    admin = parts._replace(netloc=f"postgres@{parts.hostname}:{parts.port}", query="").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        conn.execute(f'GRANT CREATE ON DATABASE "{name}" TO "{owner}"')

    def moved(url: str) -> str:
        return urlsplit(url)._replace(path=f"/{name}").geturl()

    settings = two_roles.settings.model_copy(
        update={
            "database_url": moved(two_roles.service_url),
            "owner_database_url": moved(two_roles.owner_url),
        }
    )
    yield TwoRoles(
        moved(two_roles.owner_url), moved(two_roles.service_url), two_roles.service, settings
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_with_two_roles_the_owner_restores_and_db_init_grants_the_service_its_work(
    two_roles: TwoRoles,
    elsewhere: TwoRoles,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    init(two_roles, monkeypatch)
    runtime = fast_runtime(two_roles.settings)
    try:
        [worker_id] = casework(runtime, 1)
    finally:
        runtime.close()
    backup = tmp_path / "jejak.backup"
    assert main(["backup", str(backup)]) == 0

    elsewhere.env(monkeypatch)
    capsys.readouterr()
    assert main(["restore", str(backup)]) == 0
    assert "then `jejak db init` to grant the service's role" in capsys.readouterr().out
    init(elsewhere, monkeypatch)
    assert main(["audit", "verify"]) == 0
    restored = fast_runtime(elsewhere.settings)
    try:
        assert restored.app.get_worker(SYSTEM_PRINCIPAL, UUID(worker_id)).full_name == "Siti Aminah"
        casework(restored, 1)  # the service's role writes again
    finally:
        restored.close()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_restore_that_fails_half_way_leaves_nothing_behind(scene: Scene) -> None:
    """pg_restore runs in one transaction: an object in the way (here a function of the same
    name, which is no table and so passes the emptiness check) ends it with nothing restored."""
    scene.record(1)
    backup = scene.backed_up()
    rawdb.execute(
        scene.fresh,
        "CREATE FUNCTION jejak_refuse_change() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN NULL; END $$",
    )
    status, _, err = scene.jejak("restore", str(backup), url=scene.fresh)
    assert status == 2
    assert "pg_restore failed" in err
    assert "already exists" in err
    schema = parse_qs(urlsplit(scene.fresh).query)["schema"][0]
    created = rawdb.query(
        scene.fresh,
        "SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "WHERE n.nspname = %s",
        (schema,),
    )
    assert created == [], "the type restored before the failing function was rolled back"
    assert _holds_nothing(scene.fresh)
