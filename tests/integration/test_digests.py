"""Daily digests on SQLite and PostgreSQL against a real SMTP server (aiosmtpd) and a real
HTTP receiver on loopback: counts and a link only, at most once per user and day, a channel
that is down tried again later, a sender killed mid-send never sending twice, two senders
racing sending each digest once."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from application.digests import ChoosePreferences
from application.journeys import OpenJourney, RecordDeparture
from application.principal import SYSTEM_PRINCIPAL, Principal
from application.workers import RegisterWorker
from application.writes import WriteOptions
from domain.vocabularies import PlacementScheme
from domain.worker import Sex
from infrastructure.bootstrap import Runtime
from infrastructure.digest_runner import DigestRunner
from infrastructure.settings import Settings
from tests.channels import WEBHOOK_SECRET, Mailbox, Receiver, smtp_server, webhook_receiver
from tests.support import (
    BIN,
    OTHER_VILLAGE,
    VILLAGE,
    create_user,
    fast_runtime,
    free_port,
    nik_for,
    serve_env,
)

NO = WriteOptions()
NAME = "Siti Aminah"


@pytest.fixture
def mail() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as found:
        yield found


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as found:
        yield found


def channel_settings(settings: Settings, smtp_port: int, webhook: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "smtp_url": f"smtp://127.0.0.1:{smtp_port}?from=jejak@dinas.example",
        "notify_webhook_url": webhook,
        "notify_webhook_secret": WEBHOOK_SECRET,
        "notify_timeout_seconds": 5.0,
        "notify_retry_seconds": 0.3,
        "public_url": "https://jejak.example/",
    }
    values.update(extra)
    return settings.model_copy(update=values)


@pytest.fixture
def make_runtime(settings: Settings) -> Iterator[Any]:
    built: list[Runtime] = []

    def make(smtp_port: int, webhook: str, **extra: Any) -> Runtime:
        runtime = fast_runtime(channel_settings(settings, smtp_port, webhook, **extra))
        built.append(runtime)
        return runtime

    yield make
    for runtime in built:
        runtime.close()


def subscribe(
    runtime: Runtime, username: str, role: str, regions: tuple[str, ...], **choice: Any
) -> Principal:
    create_user(runtime, username, role, regions)
    principal = runtime.app.principal_for(runtime.app.get_user(username).id)
    command = ChoosePreferences(
        email=choice.get("email"),
        phone=choice.get("phone"),
        opted_out=choice.get("opted_out", False),
    )
    runtime.app.set_digest_preferences(principal, command, NO)
    return principal


def overdue_case(runtime: Runtime, village: str, days_ago: int = 45) -> UUID:
    """A worker who left ``days_ago`` with no welfare check since: overdue after 30 days."""
    app = runtime.app
    birth = date(1995, 7, 5)
    nik = nik_for(birth, "P", village.replace(".", "")[:6])
    worker = app.register_worker(
        SYSTEM_PRINCIPAL,
        RegisterWorker(
            nik=nik, full_name=NAME, sex=Sex.PEREMPUAN, birth_date=birth, village_code=village
        ),
        NO,
    ).id
    journey = app.open_journey(
        SYSTEM_PRINCIPAL,
        OpenJourney(
            worker_id=worker,
            destination_country="HK",
            occupation="domestic worker",
            placement_scheme=PlacementScheme.MANDIRI,
        ),
        NO,
    ).id
    departed = app.services.clock.today() - timedelta(days=days_ago)
    app.record_departure(
        SYSTEM_PRINCIPAL,
        journey,
        RecordDeparture(
            departed_on=departed,
            employer="Wong household",
            contract_start=departed,
            contract_end=departed + timedelta(days=720),
        ),
        NO,
    )
    return journey


def run(runtime: Runtime) -> dict[str, int]:
    return dict(DigestRunner(runtime.app, hour=0).run_once(plan_now=True))


def states(runtime: Runtime) -> dict[tuple[str, str], tuple[str, int]]:
    entries = runtime.app.list_notifications(SYSTEM_PRINCIPAL, limit=1000)
    return {(e.username, e.channel): (e.state, e.attempts) for e in entries}


def test_each_user_with_something_overdue_gets_one_digest_per_channel_and_day(
    make_runtime: Any, mail: tuple[Mailbox, int], receiver: Receiver
) -> None:
    mailbox, port = mail
    runtime = make_runtime(port, receiver.url)
    subscribe(
        runtime,
        "petugas.ternyang",
        "officer",
        (VILLAGE,),
        email="Ani@Dinas.Example",
        phone="0812 3456 7890",
    )
    subscribe(runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,), email="budi@dinas.example")
    subscribe(
        runtime, "petugas.libur", "officer", (VILLAGE,), email="libur@dinas.example", opted_out=True
    )
    subscribe(runtime, "koordinator.malang", "coordinator", ("35.07",), email="koor@dinas.example")
    subscribe(runtime, "auditor", "auditor", (), email="auditor@dinas.example")
    overdue_case(runtime, VILLAGE)
    overdue_case(runtime, VILLAGE, days_ago=60)

    report = run(runtime)
    assert report == {"planned": 3, "sent": 3}
    recipients = sorted(rcpt[0] for rcpt, _ in mailbox.messages)
    assert recipients == ["Ani@dinas.example", "koor@dinas.example"]
    message = next(m for rcpt, m in mailbox.messages if rcpt == ["Ani@dinas.example"])
    body = message.get_content()
    assert "2 tugas terlambat" in body
    assert "https://jejak.example/agenda" in body
    assert NAME not in message.as_string()
    assert message["X-Jejak-Delivery"]
    (post,) = receiver.posts
    assert post.signed_with(WEBHOOK_SECRET)
    assert not post.signed_with("another secret")
    payload = post.json
    assert payload["to"] == {"phone": "+6281234567890"}
    assert payload["counts"] == {"overdue": 2, "due": 0}
    assert payload["link"] == "https://jejak.example/agenda"
    assert NAME not in post.body.decode()
    assert post.headers["x-jejak-delivery"] == payload["delivery_id"]

    assert run(runtime) == {"planned": 0}  # the same day again: nothing more
    assert len(mailbox.messages) == 2
    assert len(receiver.posts) == 1
    assert states(runtime) == {
        ("petugas.ternyang", "email"): ("sent", 1),
        ("petugas.ternyang", "webhook"): ("sent", 1),
        ("koordinator.malang", "email"): ("sent", 1),
    }
    entry = runtime.app.list_notifications(SYSTEM_PRINCIPAL, username="petugas.ternyang")[0]
    assert entry.address_hint == "A•••@dinas.example"
    assert entry.sent_at is not None


def test_a_channel_that_is_down_is_tried_again_after_a_wait(
    make_runtime: Any, receiver: Receiver
) -> None:
    port = free_port()  # nobody listens there yet
    runtime = make_runtime(port, receiver.url)
    subscribe(runtime, "petugas.ternyang", "officer", (VILLAGE,), email="ani@dinas.example")
    overdue_case(runtime, VILLAGE)
    assert run(runtime) == {"planned": 1, "retry": 1}
    (entry,) = runtime.app.list_notifications(SYSTEM_PRINCIPAL)
    assert (entry.state, entry.attempts, entry.last_error) == (
        "pending",
        1,
        "ConnectionRefusedError",
    )
    assert entry.next_attempt_at is not None
    with smtp_server(port) as (mailbox, _):
        assert run(runtime) == {"planned": 0}  # still waiting
        time.sleep(0.4)
        assert run(runtime) == {"planned": 0, "sent": 1}
        assert len(mailbox.messages) == 1
    (entry,) = runtime.app.list_notifications(SYSTEM_PRINCIPAL)
    assert (entry.state, entry.attempts) == ("sent", 2)


def test_a_gateway_that_answers_later_is_retried_and_one_that_refuses_is_not(
    make_runtime: Any, mail: tuple[Mailbox, int], receiver: Receiver
) -> None:
    runtime = make_runtime(mail[1], receiver.url, smtp_url=None)
    subscribe(runtime, "petugas.ternyang", "officer", (VILLAGE,), phone="081234567890")
    subscribe(runtime, "petugas.senggreng", "officer", (OTHER_VILLAGE,), phone="081234567891")
    overdue_case(runtime, VILLAGE)
    overdue_case(runtime, OTHER_VILLAGE)
    receiver.status = 503
    assert run(runtime) == {"planned": 2, "retry": 2}
    receiver.status = 401
    time.sleep(0.4)
    assert run(runtime) == {"planned": 0, "failed": 2}
    assert {state for state, _ in states(runtime).values()} == {"failed"}
    receiver.status = 200
    time.sleep(0.4)
    assert run(runtime) == {"planned": 0}
    assert len(receiver.posts) == 4


def test_a_refused_address_is_not_tried_again_and_an_unanswered_message_never_twice(
    make_runtime: Any, mail: tuple[Mailbox, int], receiver: Receiver
) -> None:
    mailbox, port = mail
    runtime = make_runtime(
        port,
        receiver.url,
        notify_webhook_url=None,
        notify_webhook_secret=None,
        notify_timeout_seconds=1.0,
    )
    subscribe(runtime, "petugas.ternyang", "officer", (VILLAGE,), email="pindah@dinas.example")
    subscribe(runtime, "petugas.senggreng", "officer", (VILLAGE,), email="budi@dinas.example")
    overdue_case(runtime, VILLAGE)
    mailbox.refuse = {"pindah@dinas.example"}
    mailbox.delay = 2.0  # the server takes longer over the message than the sender waits
    assert run(runtime) == {"planned": 2, "failed": 1, "in_doubt": 1}
    mailbox.delay = 0.0
    assert run(runtime) == {"planned": 0}
    assert mailbox.messages == []  # whether it arrived or not, it is not sent again
    entries = {e.username: e for e in runtime.app.list_notifications(SYSTEM_PRINCIPAL)}
    assert (entries["petugas.ternyang"].state, entries["petugas.ternyang"].last_error) == (
        "failed",
        "smtp 550",
    )
    assert entries["petugas.senggreng"].state == "in_doubt"
    # smtplib reports a reply that never came as either, depending on where it waited.
    assert entries["petugas.senggreng"].last_error in ("TimeoutError", "SMTPServerDisconnected")


def test_a_sender_that_stopped_before_the_handover_is_replaced(
    make_runtime: Any, mail: tuple[Mailbox, int], receiver: Receiver
) -> None:
    mailbox, port = mail
    runtime = make_runtime(port, receiver.url, notify_webhook_url=None, notify_webhook_secret=None)
    subscribe(runtime, "petugas.ternyang", "officer", (VILLAGE,), email="ani@dinas.example")
    overdue_case(runtime, VILLAGE)
    assert runtime.app.plan_digests() == 1
    ledger = runtime.app.digest_ledger
    assert ledger is not None
    now = runtime.app.services.clock.now()
    (entry,) = ledger.due(now, 10)
    assert ledger.claim(entry.id, "a sender that died", now - timedelta(seconds=1), now)
    assert run(runtime) == {"planned": 0, "sent": 1}
    assert len(mailbox.messages) == 1
    assert states(runtime)[("petugas.ternyang", "email")] == ("sent", 2)


def command_env(runtime: Runtime, workdir: Path) -> dict[str, str]:
    settings = runtime.settings
    env = serve_env(settings.database_url, workdir)
    env.update(
        {
            "JEJAK_MASTER_KEY": settings.master_key or "",
            "JEJAK_SIGNING_KEY": settings.signing_key or "",
            "JEJAK_NOTIFY_WEBHOOK_URL": settings.notify_webhook_url or "",
            "JEJAK_NOTIFY_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "JEJAK_NOTIFY_TIMEOUT_SECONDS": str(settings.notify_timeout_seconds),
            "JEJAK_PUBLIC_URL": settings.public_url,
            "JEJAK_LOG_LEVEL": "WARNING",
        }
    )
    return env


def notify(env: dict[str, str], workdir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "jejak"), "notify", "run"],
        env=env,
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_sender_killed_mid_send_never_sends_again(
    make_runtime: Any, receiver: Receiver, tmp_path: Path
) -> None:
    runtime = make_runtime(free_port(), receiver.url, smtp_url=None, notify_timeout_seconds=2.0)
    subscribe(runtime, "petugas.ternyang", "officer", (VILLAGE,), phone="081234567890")
    overdue_case(runtime, VILLAGE)
    runtime.app.plan_digests()
    receiver.hold = True
    process = notify(command_env(runtime, tmp_path), tmp_path)
    try:
        assert receiver.received.wait(60), process.stderr.read() if process.stderr else ""
        os.kill(process.pid, signal.SIGKILL)  # the machine lost power mid-send
    finally:
        process.wait(30)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    receiver.hold = False
    assert states(runtime)[("petugas.ternyang", "webhook")] == ("sending", 1)
    time.sleep(8.5)  # the dead sender's lease (4 x the 2 s time-out) runs out
    assert run(runtime) == {"planned": 0}
    (entry,) = runtime.app.list_notifications(SYSTEM_PRINCIPAL)
    assert (entry.state, entry.attempts) == ("in_doubt", 1)
    assert entry.last_error == "sender stopped while sending"
    assert len(receiver.posts) == 1  # delivered at most once: never again


def test_two_senders_racing_send_each_digest_once(
    make_runtime: Any, receiver: Receiver, tmp_path: Path
) -> None:
    runtime = make_runtime(free_port(), receiver.url, smtp_url=None)
    for number in range(6):
        village = VILLAGE if number % 2 else OTHER_VILLAGE
        subscribe(runtime, f"petugas.{number}", "officer", (village,), phone=f"08123456780{number}")
    overdue_case(runtime, VILLAGE)
    overdue_case(runtime, OTHER_VILLAGE)
    head = runtime.projections.head()
    for name in ("agenda", "digest_subscribers"):
        assert runtime.read_models.wait_for(name, head, 30)
    env = command_env(runtime, tmp_path)
    first, second = notify(env, tmp_path), notify(env, tmp_path)
    outputs = []
    for process in (first, second):
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
        outputs.append(out.decode())
    delivery_ids = [post.headers["x-jejak-delivery"] for post in receiver.posts]
    assert len(delivery_ids) == 6, outputs
    assert len(set(delivery_ids)) == 6
    assert {state for state, _ in states(runtime).values()} == {"sent"}
    assert len(states(runtime)) == 6
